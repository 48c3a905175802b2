import Foundation
import ParleyClient
import ParleyCore
import Testing

/// Who may do what: buyer, seller, an outsider, support and service, against every
/// endpoint that acts on a conversation. 404 for those who may not see it; 403 for
/// those who see it but whose role may not act.
@Suite struct PermissionMatrixTests {
    enum Caller: String, CaseIterable, CustomStringConvertible {
        case buyer, seller, outsider, support, service
        var description: String { rawValue }

        var identity: (String, Role) {
            switch self {
            case .buyer: ("buyer1", .buyer)
            case .seller: ("seller1", .seller)
            case .outsider: ("stranger", .buyer)
            case .support: ("agent1", .support)
            case .service: ("backend", .service)
            }
        }
    }

    struct Operation: Sendable, CustomStringConvertible {
        var description: String
        var method: ParleyRESTClient.Method
        var path: @Sendable (String) -> String
        var body: String?
        /// Expected status per caller.
        var expected: [Caller: Int]
    }

    static let everyoneWhoSees: [Caller: Int] = [.buyer: 200, .seller: 200, .outsider: 404, .support: 200, .service: 200]

    static let operations: [Operation] = [
        Operation(description: "GET conversation", method: .GET, path: { "/api/conversations/\($0)" }, expected: everyoneWhoSees),
        Operation(description: "GET messages", method: .GET, path: { "/api/conversations/\($0)/messages" }, expected: everyoneWhoSees),
        Operation(
            description: "POST text message", method: .POST, path: { "/api/conversations/\($0)/messages" },
            body: #"{"content":"hola"}"#, expected: [.buyer: 201, .seller: 201, .outsider: 404, .support: 201, .service: 201]),
        Operation(
            description: "POST system message", method: .POST, path: { "/api/conversations/\($0)/messages" },
            body: #"{"content":"Pedido enviado","type":"system"}"#,
            expected: [.buyer: 403, .seller: 403, .outsider: 404, .support: 403, .service: 201]),
        Operation(
            description: "PUT status", method: .PUT, path: { "/api/conversations/\($0)/status" },
            body: #"{"status":"pending"}"#, expected: everyoneWhoSees),
        Operation(
            description: "PUT labels", method: .PUT, path: { "/api/conversations/\($0)/labels" },
            body: #"{"labels":["envio"]}"#, expected: everyoneWhoSees),
        Operation(
            description: "PUT priority", method: .PUT, path: { "/api/conversations/\($0)/priority" },
            body: #"{"priority":"high"}"#, expected: everyoneWhoSees),
        Operation(
            description: "PUT assignee", method: .PUT, path: { "/api/conversations/\($0)/assignee" },
            body: #"{"assignedTo":"agent1"}"#,
            expected: [.buyer: 403, .seller: 403, .outsider: 404, .support: 200, .service: 200]),
        Operation(
            description: "PUT archive", method: .PUT, path: { "/api/conversations/\($0)/archive" },
            body: #"{"archived":true}"#, expected: everyoneWhoSees),
        Operation(
            description: "POST read", method: .POST, path: { "/api/conversations/\($0)/read" },
            body: #"{"seq":1}"#, expected: everyoneWhoSees),
    ]

    static var cases: [(Caller, Int)] {
        Caller.allCases.flatMap { caller in operations.indices.map { (caller, $0) } }
    }

    @Test(arguments: Caller.allCases)
    func eachCallerGetsTheContractsAnswerOnEveryEndpoint(caller: Caller) async throws {
        try await TestServer.with { server in
            let buyer = try await server.client("buyer1", .buyer)
            let (userID, role) = caller.identity
            let client = try await server.client(userID, role)
            // agent1, the assignee below, has signed in with its support token.
            _ = try await server.client("agent1", .support).conversations()
            for operation in Self.operations {
                // A fresh conversation for each operation, with one message to read.
                let id = try await buyer.createThread(orderID: "o-\(operation.description)", message: "hola")
                    .conversation.conversationID
                let response = try await client.raw(
                    operation.method, operation.path(id), body: operation.body.map { Data($0.utf8) })
                let expected = try #require(operation.expected[caller])
                #expect(response.status == expected, "\(caller) \(operation.description): \(response.status)")
                if response.status >= 400 { #expect(response.error != nil, "\(caller) \(operation.description) error body") }
            }
            // Unknown ids are 404 for everyone, whatever their role.
            #expect(try await client.raw(.GET, "/api/conversations/c_unknown").status == 404)
        }
    }

    @Test func listingShowsBuyersAndSellersOnlyTheirOwnAndSupportAndServiceEverything() async throws {
        try await TestServer.with { server in
            let buyer = try await server.client("buyer1", .buyer)
            _ = try await buyer.createThread(orderID: "o1")
            let other = try await server.client("buyer2", .buyer)
            _ = try await other.createThread(orderID: "o2", me: ("buyer2", .buyer))
            #expect(try await buyer.conversations().conversations.count == 1)
            #expect(try await server.client("stranger", .seller).conversations().conversations.isEmpty)
            #expect(try await server.client("seller1", .seller).conversations().conversations.count == 2)
            #expect(try await server.client("agent1", .support).conversations().conversations.count == 2)
            #expect(try await server.client("backend", .service).conversations().conversations.count == 2)
        }
    }
}
