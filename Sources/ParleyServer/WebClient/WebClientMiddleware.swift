import Foundation
import HTTPTypes
import Hummingbird
import ParleyCore

/// What the web client's routes need around Hummingbird's `FileMiddleware` that it
/// cannot be told to do itself:
/// - `/` is the page `/web/index.html` (FileMiddleware takes a file's type and cache
///   control from the request path, and `/` has no extension), and `/sw.js` the service
///   worker `/web/sw.js` (a worker controls only pages under its script's folder, and
///   notifications open `/?conversation=…`: it must be served from the root);
/// - a path with `..` (or bad percent-encoding) is a file that is not there, 404 like any
///   other, as it always was (FileMiddleware answers 400);
/// - every answer says `nosniff`, and HTML pages carry their Content-Security-Policy and
///   `Referrer-Policy` (FileMiddleware sets no headers of one's own).
struct WebClientMiddleware: RouterMiddleware {
    typealias Context = ParleyRequestContext

    static let contentTypeOptions = HTTPField.Name("X-Content-Type-Options")!
    static let contentSecurityPolicy = HTTPField.Name("Content-Security-Policy")!
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    static let indexPath = "/web/index.html"
    static let workerPath = "/sw.js"
    static let workerFilePath = "/web/sw.js"
    /// The service worker's own policy (a worker is governed by the policy it is served
    /// with, not the page's): it loads nothing and talks to this server only.
    static let workerPolicy = "default-src 'none'; connect-src 'self'; img-src 'self'"

    /// The policy of every page (see `WebClientRoutes.contentSecurityPolicy`).
    let pagePolicy: String

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        guard let path = request.uri.path.removingPercentEncoding, !path.contains("..") else {
            throw ParleyError.notFound(what: "file \(request.uri.path)")
        }
        var request = request
        if path == "/" || path == Self.workerPath {
            var head = request.head
            head.path = (path == "/" ? Self.indexPath : Self.workerFilePath) + (request.uri.query.map { "?\($0)" } ?? "")
            request = Request(head: head, body: request.body)
        }
        var response = try await next(request, context)
        response.headers[Self.contentTypeOptions] = "nosniff"
        // FileMiddleware's cache control and types know only the extensions Hummingbird knows.
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-cache" }
        if response.headers[.contentType] == nil, response.status == .ok || response.status == .partialContent {
            response.headers[.contentType] = "application/octet-stream"
        }
        if response.headers[.contentType]?.hasPrefix("text/html") == true {
            response.headers[Self.contentSecurityPolicy] = pagePolicy
            response.headers[Self.referrerPolicy] = "no-referrer"
        } else if path == Self.workerPath {
            response.headers[Self.contentSecurityPolicy] = Self.workerPolicy
        }
        return response
    }
}
