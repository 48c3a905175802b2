import Foundation

/// Reads `PARLEY_*` variables; an option given on the command line wins over its variable.
/// (Not `Environment`: Hummingbird has a type of that name.)
enum EnvironmentVariables {
    static func value(_ name: String) -> String? {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else { return nil }
        return value
    }
}
