import Foundation

/// Reads one file of the model directory whole, turning every failure into a
/// ``SentenceEncoderError`` that names the file.
enum ModelFile {
    static func read(_ path: String) throws(SentenceEncoderError) -> [UInt8] {
        guard FileManager.default.fileExists(atPath: path) else { throw .missingFile(path: path) }
        do {
            return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw .unreadableFile(path: path, reason: "\(error)")
        }
    }
}
