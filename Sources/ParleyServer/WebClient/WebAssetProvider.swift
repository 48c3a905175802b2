import Foundation
import Hummingbird
import NIOCore

/// The browser client's files for Hummingbird's `FileMiddleware`: `/web/<path>` is the
/// file at `<path>`, nothing else (`WebClientMiddleware` makes `/` `/web/index.html`). Files of the built-in folder are
/// read once at start and kept in memory; a `--web-root` folder is read again on every
/// request (for working on the client). HTML pages are served with the embedding
/// origins filled in (`WebClientRoutes.embeddingOriginsPlaceholder`), so their size,
/// ranges and validators are those of the page as served.
struct WebAssetProvider: FileProvider {
    /// A file as served: its bytes, and the date its validators (ETag, Last-Modified) use.
    struct Asset: Sendable {
        var body: ByteBuffer
        var modificationDate: Date
    }

    struct FileAttributes: FileMiddlewareFileAttributes, Sendable {
        /// Folders are never served (no listing, no redirect to `…/`).
        var isFolder: Bool { false }
        var size: Int
        var modificationDate: Date
    }

    typealias FileIdentifier = Asset

    /// The largest file served (the client is a handful of small files).
    static let maxFileBytes = 2 * 1024 * 1024
    /// Where the client's files are under the server's paths.
    static let urlPrefix = "/web/"

    private let root: URL?
    private let reloads: Bool
    private let cached: [String: Asset]
    private let embeddingOriginsTag: String
    /// When this node started: no file is dated earlier, so a restart (perhaps with other
    /// `--allowed-origins` filled into the page) never answers 304 to a copy from before.
    private let startedAt: Date

    init(root: URL?, reloads: Bool, embeddingOriginsTag: String) {
        self.root = root
        self.reloads = reloads
        self.embeddingOriginsTag = embeddingOriginsTag
        startedAt = Date()
        var cached: [String: Asset] = [:]
        if let root, !reloads {
            for path in Self.files(under: root) {
                if let asset = Self.read(root.appendingPathComponent(path), embeddingOriginsTag: embeddingOriginsTag, notBefore: startedAt) {
                    cached[path] = asset
                }
            }
        }
        self.cached = cached
    }

    /// The file a request path names (already percent-decoded by `FileMiddleware`), or
    /// `nil` when there is none, it is not a regular file, or the path tries to leave the
    /// folder or names a hidden file.
    func getFileIdentifier(_ path: String) -> Asset? {
        guard path.hasPrefix(Self.urlPrefix) else { return nil }
        let relative = path.dropFirst(Self.urlPrefix.count)
        let components = relative.split(separator: "/", omittingEmptySubsequences: false)
        guard !components.isEmpty,
            components.allSatisfy({ !$0.isEmpty && !$0.hasPrefix(".") && !$0.contains("\\") && !$0.contains("\0") })
        else { return nil }
        guard reloads else { return cached[String(relative)] }
        guard let root else { return nil }
        // A synchronous read of a small file: FileProvider asks for the identifier
        // synchronously, and reading here once keeps size and body the same file.
        return Self.read(root.appendingPathComponent(String(relative)), embeddingOriginsTag: embeddingOriginsTag, notBefore: startedAt)
    }

    func getAttributes(id: Asset) async throws -> FileAttributes? {
        FileAttributes(size: id.body.readableBytes, modificationDate: id.modificationDate)
    }

    func loadFile(id: Asset, context: some RequestContext) async throws -> ResponseBody {
        ResponseBody(byteBuffer: id.body)
    }

    func loadFile(id: Asset, range: ClosedRange<Int>, context: some RequestContext) async throws -> ResponseBody {
        // FileMiddleware passes an open range ("bytes=10-") as far as Int.max.
        let lower = max(range.lowerBound, 0)
        let upper = min(range.upperBound, id.body.readableBytes - 1)
        guard lower <= upper, let slice = id.body.getSlice(at: id.body.readerIndex + lower, length: upper - lower + 1) else {
            throw HTTPError(.rangeNotSatisfiable)
        }
        return ResponseBody(byteBuffer: slice)
    }

    private static func read(_ url: URL, embeddingOriginsTag: String, notBefore: Date) -> Asset? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: url.path),
            attributes[.type] as? FileAttributeType == .typeRegular,
            let size = attributes[.size] as? Int, size <= maxFileBytes,
            let data = try? Data(contentsOf: url)
        else { return nil }
        var body = ByteBuffer(bytes: data)
        if url.pathExtension.lowercased() == "html" {
            let text = String(decoding: data, as: UTF8.self)
            if text.contains(WebClientRoutes.embeddingOriginsPlaceholder) {
                body = ByteBuffer(
                    string: text.replacingOccurrences(of: WebClientRoutes.embeddingOriginsPlaceholder, with: embeddingOriginsTag))
            }
        }
        let modified = attributes[.modificationDate] as? Date ?? notBefore
        return Asset(body: body, modificationDate: max(modified, notBefore))
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
