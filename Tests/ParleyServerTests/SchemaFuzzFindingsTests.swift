import Foundation
import ParleyClient
import ParleyCore
import Testing

/// What schema fuzzing (scripts/schemathesis.sh) found, kept as tests: the server's
/// answers and the OpenAPI document must agree.
@Suite struct SchemaFuzzFindingsTests {
    /// A GET /api/realtime that is not a WebSocket upgrade got an empty 200, an answer the
    /// document does not list; it is a 400 naming the missing header.
    @Test func realtimeWithoutUpgradeIsRefused() async throws {
        try await TestServer.with { server in
            let buyer = try await server.client("buyer1", .buyer)
            let response = try await buyer.raw(.GET, "/api/realtime")
            #expect(response.status == 400)
            let body = try #require(try JSONSerialization.jsonObject(with: response.body) as? [String: Any])
            #expect((body["error"] as? [String: Any])?["code"] as? String == "invalid_request")
        }
    }

    /// The document states every answer schemathesis saw: 429 with Retry-After on every
    /// state-changing operation and on search, 400 on the WebSocket route, and sizes as
    /// bytes of UTF-8 (the contract's precise rules).
    @Test func openAPIDocumentStatesRateLimitsAndByteLimits() async throws {
        try await TestServer.with { server in
            let response = try await server.anonymous().raw(.GET, "/openapi.json")
            let document = try #require(try JSONSerialization.jsonObject(with: response.body) as? [String: Any])
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            for (path, operations) in paths where path.hasPrefix("/api/") {
                for (method, operation) in operations {
                    guard ["post", "put", "delete"].contains(method) || path == "/api/search",
                        let responses = (operation as? [String: Any])?["responses"] as? [String: Any]
                    else { continue }
                    let rateLimited = OpenAPIDocumentTests.resolve(responses["429"], in: document) as? [String: Any]
                    let headers = rateLimited?["headers"] as? [String: Any]
                    #expect(headers?["Retry-After"] != nil, "\(method) \(path) lacks 429 with Retry-After")
                }
            }
            let realtime = try #require(paths["/api/realtime"]?["get"] as? [String: Any])
            #expect((realtime["responses"] as? [String: Any])?["400"] != nil)
            let description = try #require((document["info"] as? [String: Any])?["description"] as? String)
            for limit in ["128 bytes", "64 bytes", "at most 20 labels", "512 bytes", "16,384 bytes", "16 words and 256 bytes"] {
                #expect(description.contains(limit), "the document does not state \(limit)")
            }
        }
    }
}
