import Hummingbird
import HTTPTypes
import NIOCore
import ParleyCore

/// The browser client: `/` and `/web/…` for its files, and with `--dev` the sign-in
/// picker's `/dev/users` and `/dev/tokens`. No token needed (the page brings its own
/// to the API).
struct WebClientRoutes {
    let assets: WebAssets
    let devSignIn: DevSignIn?

    init(configuration: WebClientConfiguration) {
        if let root = configuration.root {
            assets = WebAssets(root: root, reloads: true)
        } else {
            assets = WebAssets(root: WebClientConfiguration.builtInRoot, reloads: false)
        }
        devSignIn = configuration.devSignIn
    }

    /// The page may talk only to this server (HTTP and WebSocket), and loads nothing else.
    static let contentSecurityPolicy =
        "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; style-src 'self'; script-src 'self'; base-uri 'none'; form-action 'none'"

    func add(to router: Router<ParleyRequestContext>) {
        let assets = self.assets
        router.get("/") { _, _ in
            try Self.response(assets.file("index.html"), path: "index.html")
        }
        router.get("web/**") { _, context in
            let path = context.parameters.getCatchAll().joined(separator: "/")
            return try Self.response(assets.file(path), path: path)
        }
        // HEAD: the same headers, no body (link checkers, proxies, caches ask so).
        router.head("/") { _, _ in
            try Self.response(assets.file("index.html"), path: "index.html").withoutBody()
        }
        router.head("web/**") { _, context in
            let path = context.parameters.getCatchAll().joined(separator: "/")
            return try Self.response(assets.file(path), path: path).withoutBody()
        }
        guard let devSignIn else { return }
        router.get("dev/users") { _, _ in
            JSONBody.response(DevUsersBody(users: devSignIn.users))
        }
        router.post("dev/tokens") { request, _ in
            let body = try await JSONBody.decode(DevTokenRequest.self, from: request)
            guard let user = devSignIn.users.first(where: { $0.userId == body.userId }) else {
                throw ParleyError.invalid(field: "userId", reason: "not one of the demo users of GET /dev/users")
            }
            let token = try await devSignIn.signer.sign(
                userID: user.userId, role: user.role, name: user.name, timeToLive: 12 * 3600)
            return JSONBody.response(DevTokenBody(token: token, user: user))
        }
    }

    private static func response(_ file: WebAssets.File?, path: String) throws -> Response {
        guard let file else { throw ParleyError.notFound(what: "file /web/\(path)") }
        var headers: HTTPFields = [
            .contentType: file.contentType, .cacheControl: "no-cache",
            HTTPField.Name("X-Content-Type-Options")!: "nosniff",
        ]
        if file.contentType.hasPrefix("text/html") {
            headers[HTTPField.Name("Content-Security-Policy")!] = contentSecurityPolicy
            headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: file.body))
    }
}

extension Response {
    /// This response's status and headers, with its body's length but no body (for HEAD).
    fileprivate func withoutBody() -> Response {
        var headers = self.headers
        if let length = body.contentLength { headers[.contentLength] = String(length) }
        return Response(status: status, headers: headers, body: ResponseBody())
    }
}

struct DevUsersBody: Encodable {
    var users: [DemoUser]
}

struct DevTokenRequest: Decodable {
    var userId: String
}

struct DevTokenBody: Encodable {
    var token: String
    var user: DemoUser
}
