import Foundation

/// The committed test images (made once by Fixtures/make-fixtures.py) and byte searches on them.
enum Fixture {
    struct Missing: Error { let name: String }

    static func bytes(_ name: String) throws -> [UInt8] {
        guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures") else { throw Missing(name: name) }
        return Array(try Data(contentsOf: url))
    }

    /// Whether `text`'s UTF-8 bytes occur anywhere in `bytes`.
    static func contains(_ bytes: [UInt8], _ text: String) -> Bool {
        contains(bytes, Array(text.utf8))
    }

    static func contains(_ bytes: [UInt8], _ pattern: [UInt8]) -> Bool {
        guard !pattern.isEmpty, bytes.count >= pattern.count else { return false }
        for start in 0...(bytes.count - pattern.count) where bytes[start] == pattern[0] {
            if bytes[start..<(start + pattern.count)].elementsEqual(pattern) { return true }
        }
        return false
    }
}
