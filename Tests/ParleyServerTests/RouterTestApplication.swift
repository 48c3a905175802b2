import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import ParleyCore
import ParleyServer

/// A Parley node tested in process through Hummingbird's router test framework: the
/// same application, middleware and services as `TestServer`, but no socket and no
/// port. For tests of HTTP answers alone; tests of WebSockets, timeouts or several
/// nodes use `TestServer`.
struct RouterTestApplication {
    /// Sends requests straight to the router.
    struct Client {
        let client: any TestClientProtocol

        /// The answer to `method path`, with `token` as the bearer when given.
        func raw(
            _ method: HTTPRequest.Method, _ path: String, token: String? = nil, headers: [(String, String)] = [],
            json: String? = nil
        ) async throws -> TestResponse {
            var fields = HTTPFields()
            if let token { fields[.authorization] = "Bearer \(token)" }
            for (name, value) in headers { fields[HTTPField.Name(name)!] = value }
            if json != nil { fields[.contentType] = "application/json" }
            return try await client.execute(uri: path, method: method, headers: fields, body: json.map { ByteBuffer(string: $0) })
        }
    }

    static func with<T: Sendable>(
        options: TestServer.Options = TestServer.Options(), _ body: @escaping @Sendable (Client) async throws -> T
    ) async throws -> T {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parley-router-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let (app, _) = try await TestServer.makeApplication(options: options, folder: folder)
        return try await app.test(.router) { client in try await body(Client(client: client)) }
    }
}

extension TestResponse {
    /// The contract's error code, when the body is the contract's error JSON.
    var errorCode: String? {
        (try? JSONDecoder().decode(ErrorBody.self, from: Data(buffer: body)))?.error.code
    }
}
