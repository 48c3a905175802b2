import Foundation
import NIOCore

/// The browser client's static files. Files from the built-in folder are read once
/// and kept in memory; a `--web-root` folder is read again on each request.
struct WebAssets: Sendable {
    struct File: Sendable {
        var body: ByteBuffer
        var contentType: String
    }

    private let root: URL?
    private let reloads: Bool
    private let cached: [String: File]

    /// The largest file served (the client is a handful of small files).
    static let maxFileBytes = 2 * 1024 * 1024

    init(root: URL?, reloads: Bool) {
        self.root = root
        self.reloads = reloads
        var cached: [String: File] = [:]
        if let root, !reloads {
            for path in Self.files(under: root) {
                if let file = Self.read(root.appendingPathComponent(path)) { cached[path] = file }
            }
        }
        self.cached = cached
    }

    /// The file at `path` (relative, `/`-separated), or `nil` when there is none or the
    /// path tries to leave the folder.
    func file(_ path: String) -> File? {
        let components = path.split(separator: "/", omittingEmptySubsequences: false)
        guard !components.isEmpty,
            components.allSatisfy({ !$0.isEmpty && !$0.hasPrefix(".") && !$0.contains("\\") && !$0.contains("\0") })
        else { return nil }
        guard reloads else { return cached[path] }
        guard let root else { return nil }
        return Self.read(root.appendingPathComponent(path))
    }

    static func contentType(of path: String) -> String {
        switch path.split(separator: ".").last.map({ $0.lowercased() }) {
        case "html": "text/html; charset=utf-8"
        case "js", "mjs": "text/javascript; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        case "json": "application/json"
        case "svg": "image/svg+xml"
        case "png": "image/png"
        case "ico": "image/x-icon"
        case "webmanifest": "application/manifest+json"
        default: "application/octet-stream"
        }
    }

    private static func read(_ url: URL) -> File? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: url.path),
            attributes[.type] as? FileAttributeType == .typeRegular,
            let size = attributes[.size] as? Int, size <= maxFileBytes,
            let data = try? Data(contentsOf: url)
        else { return nil }
        return File(body: ByteBuffer(bytes: data), contentType: contentType(of: url.lastPathComponent))
    }

    private static func files(under root: URL) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: root.path) else { return [] }
        return enumerator.compactMap { $0 as? String }.filter { path in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path, isDirectory: &isDirectory)
                && !isDirectory.boolValue
        }
    }
}
