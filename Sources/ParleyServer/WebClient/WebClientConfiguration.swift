import Foundation
import ParleyCore

/// How a node serves the browser client at `/` and `/web/…`.
public struct WebClientConfiguration: Sendable {
    /// Serve the files from this folder, read again on every request, instead of the
    /// copy built into the server (`--web-root`, for working on the client).
    public var root: URL?
    /// With `--dev`: the sign-in picker's users and the signer of their tokens
    /// (`GET /dev/users`, `POST /dev/tokens`). `nil` in production: those routes are 404.
    public var devSignIn: DevSignIn?

    public init(root: URL? = nil, devSignIn: DevSignIn? = nil) {
        self.root = root
        self.devSignIn = devSignIn
    }

    /// The folder of client files built into the server (`WebClient/Assets`, copied by
    /// SwiftPM as `Assets`), when the resources are beside the executable.
    public static var builtInRoot: URL? {
        let url = Bundle.module.bundleURL.appendingPathComponent("Assets", isDirectory: true)
        return FileManager.default.fileExists(atPath: url.appendingPathComponent("index.html").path) ? url : nil
    }
}

/// The users a `--dev` node lets anyone sign in as, without a token from a shop.
public struct DevSignIn: Sendable {
    public var users: [DemoUser]
    public var signer: TokenSigner

    public init(users: [DemoUser], signer: TokenSigner) {
        self.users = users
        self.signer = signer
    }
}

/// A user of the demo marketplace.
public struct DemoUser: Codable, Sendable, Hashable {
    public var userId: String
    public var name: String
    public var role: Role

    public init(userId: String, name: String, role: Role) {
        self.userId = userId
        self.name = name
        self.role = role
    }
}
