import ArgumentParser
import AsyncHTTPClient
import Foundation
import ParleyClient
import ParleyCore
import ParleyServer

enum BenchSecret {
    static func resolve(_ option: String?) throws -> String {
        guard let secret = option ?? EnvironmentVariables.value("PARLEY_JWT_SECRET") ?? DevSecret.load(in: URL(fileURLWithPath: "./parley-data"))
        else { throw ValidationError("no secret: pass --jwt-secret (the node's) or set PARLEY_JWT_SECRET") }
        return secret
    }
}
