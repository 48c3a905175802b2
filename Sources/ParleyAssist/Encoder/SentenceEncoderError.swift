/// Why a ``SentenceEncoder`` could not be loaded from its model directory.
///
/// Every case names the file at fault, so the server's log says which file to fetch again
/// (`scripts/fetch-assist-model.sh` lays the directory out).
public enum SentenceEncoderError: Error, Equatable, CustomStringConvertible {
    /// The file is not there.
    case missingFile(path: String)
    /// The file is there but could not be read.
    case unreadableFile(path: String, reason: String)
    /// The file was read but is not what the model needs (format, element type or shape).
    case badFile(path: String, reason: String)

    public var description: String {
        switch self {
        case .missingFile(let path):
            "assist model file \(path) is missing (run scripts/fetch-assist-model.sh)"
        case .unreadableFile(let path, let reason):
            "assist model file \(path) could not be read: \(reason)"
        case .badFile(let path, let reason):
            "assist model file \(path) is not usable: \(reason)"
        }
    }
}
