import Foundation
import ParleyClient
import ParleyCore
import ParleyNotify
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
        Operation(
            description: "GET suggestions", method: .GET, path: { "/api/conversations/\($0)/suggestions" },
            expected: [.buyer: 403, .seller: 200, .outsider: 404, .support: 200, .service: 200]),
        Operation(
            description: "POST sentiment", method: .POST, path: { _ in "/api/assist/sentiment" },
            body: #"{"text":"hola"}"#, expected: [.buyer: 200, .seller: 200, .outsider: 200, .support: 200, .service: 200]),
        // The audit log (issue 16): checkpoints, the key and proofs for anyone with a token,
        // the leaves themselves for support and service only.
        Operation(description: "GET audit checkpoint", method: .GET, path: { _ in "/api/audit/checkpoint" }, expected: everyone200),
        Operation(description: "GET audit key", method: .GET, path: { _ in "/api/audit/key" }, expected: everyone200),
        Operation(
            description: "GET audit entries", method: .GET, path: { "/api/audit/entries?conversationId=\($0)" },
            expected: [.buyer: 403, .seller: 403, .outsider: 403, .support: 200, .service: 200]),
        Operation(
            description: "GET audit inclusion proof", method: .GET, path: { _ in "/api/audit/proof/inclusion?index=0&treeSize=1" },
            expected: everyone200),
        Operation(
            description: "GET audit consistency proof", method: .GET, path: { _ in "/api/audit/proof/consistency?from=1&to=1" },
            expected: everyone200),
    ]

    static let everyone200: [Caller: Int] = [.buyer: 200, .seller: 200, .outsider: 200, .support: 200, .service: 200]

    /// What each caller gets of a buyer's masked, negative message: (sentiment, originalContent),
    /// or nil for those who may not see the conversation.
    static let disclosures: [Caller: (Bool, Bool)?] = [
        .buyer: (false, false), .seller: (true, false), .outsider: nil, .support: (true, true), .service: (true, true),
    ]

    @Test(arguments: Caller.allCases)
    func eachCallerSeesOnlyTheSentimentAndOriginalTextItMay(caller: Caller) async throws {
        try await TestServer.with(options: .init(userWritesPerSecond: 0)) { server in
            let buyer = try await server.client("buyer1", .buyer)
            let (userID, role) = caller.identity
            let client = try await server.client(userID, role)
            // No orderId: contacts are masked.
            let id = try await buyer.createConversation(
                CreateConversationBody(
                    participants: [.init(userId: "buyer1", role: .buyer), .init(userId: "seller1", role: .seller)],
                    message: .init(content: "esto es una estafa, llamadme al 612 345 678 ya"))
            ).conversation.conversationID
            guard let expected = try #require(Self.disclosures[caller]) else {
                await expectStatus(404) { _ = try await client.messages(id) }
                return
            }
            let message = try #require(try await client.messages(id).messages.first)
            #expect(message.annotations.masked == [.phone] && !message.content.contains("612"))
            #expect((message.annotations.sentiment != nil) == expected.0, "\(caller) sentiment")
            #expect((message.annotations.originalContent != nil) == expected.1, "\(caller) originalContent")
        }
    }

    /// Templates and FAQ entries: seller1's personal template and entries (one disabled),
    /// a shared template and a global entry of support's.
    struct AssistFixture {
        var personalTemplate, sharedTemplate, entry, disabledEntry, globalEntry, conversation: String
    }

    static let assistOperations: [(String, ParleyRESTClient.Method, @Sendable (AssistFixture) -> String, String?, [Caller: Int])] = [
        (
            "GET personal template", .GET, { "/api/templates/\($0.personalTemplate)" }, nil,
            [.buyer: 404, .seller: 200, .outsider: 404, .support: 404, .service: 404]
        ),
        (
            "PUT personal template", .PUT, { "/api/templates/\($0.personalTemplate)" }, #"{"name":"otro"}"#,
            [.buyer: 404, .seller: 200, .outsider: 404, .support: 404, .service: 404]
        ),
        (
            "GET shared template", .GET, { "/api/templates/\($0.sharedTemplate)" }, nil,
            [.buyer: 200, .seller: 200, .outsider: 200, .support: 200, .service: 200]
        ),
        (
            "PUT shared template", .PUT, { "/api/templates/\($0.sharedTemplate)" }, #"{"name":"otro"}"#,
            [.buyer: 403, .seller: 403, .outsider: 403, .support: 200, .service: 200]
        ),
        (
            "POST shared template", .POST, { _ in "/api/templates" }, #"{"name":"n","content":"c","scope":"shared"}"#,
            [.buyer: 403, .seller: 403, .outsider: 403, .support: 201, .service: 201]
        ),
        (
            "POST render shared template", .POST,
            { "/api/conversations/\($0.conversation)/templates/\($0.sharedTemplate)/render" }, #"{"values":{}}"#,
            [.buyer: 200, .seller: 200, .outsider: 404, .support: 200, .service: 200]
        ),
        (
            "GET entry", .GET, { "/api/faq/\($0.entry)" }, nil,
            [.buyer: 200, .seller: 200, .outsider: 200, .support: 200, .service: 200]
        ),
        (
            "PUT entry", .PUT, { "/api/faq/\($0.entry)" }, #"{"answer":"otra"}"#,
            [.buyer: 403, .seller: 200, .outsider: 403, .support: 200, .service: 200]
        ),
        (
            "GET disabled entry", .GET, { "/api/faq/\($0.disabledEntry)" }, nil,
            [.buyer: 404, .seller: 200, .outsider: 404, .support: 200, .service: 200]
        ),
        (
            "PUT global entry", .PUT, { "/api/faq/\($0.globalEntry)" }, #"{"answer":"otra"}"#,
            [.buyer: 403, .seller: 403, .outsider: 403, .support: 200, .service: 200]
        ),
        (
            "POST global entry", .POST, { _ in "/api/faq" }, #"{"scope":"global","question":"q","answer":"a"}"#,
            [.buyer: 403, .seller: 403, .outsider: 403, .support: 201, .service: 201]
        ),
        (
            "DELETE entry", .DELETE, { "/api/faq/\($0.entry)" }, nil,
            [.buyer: 403, .seller: 204, .outsider: 403, .support: 204, .service: 204]
        ),
    ]

    @Test(arguments: Caller.allCases)
    func eachCallerGetsTheContractsAnswerOnTemplatesAndEntries(caller: Caller) async throws {
        try await TestServer.with(options: .init(userWritesPerSecond: 0)) { server in
            let seller = try await server.client("seller1", .seller)
            let support = try await server.client("agent1", .support)
            let (userID, role) = caller.identity
            let client = try await server.client(userID, role)
            for (description, method, path, body, expected) in Self.assistOperations {
                // Fresh resources for each operation (one of them deletes).
                let fixture = AssistFixture(
                    personalTemplate: try await seller.createTemplate(.init(name: "p", content: "Hola")).templateID,
                    sharedTemplate: try await support.createTemplate(.init(name: "s", content: "Hola {{buyer.name | \"cliente\"}}", scope: .shared))
                        .templateID,
                    entry: try await seller.createFAQEntry(.init(question: "¿Envíos?", answer: "Sí")).faqID,
                    disabledEntry: try await seller.createFAQEntry(.init(question: "b", answer: "b", enabled: false)).faqID,
                    globalEntry: try await support.createFAQEntry(.init(question: "¿Soporte?", answer: "Aquí")).faqID,
                    conversation: try await server.client("buyer1", .buyer).createThread(orderID: "o-\(description)").conversation.conversationID)
                let response = try await client.raw(method, path(fixture), body: body.map { Data($0.utf8) })
                let want = try #require(expected[caller])
                #expect(response.status == want, "\(caller) \(description): \(response.status)")
                if response.status >= 400 { #expect(response.error != nil, "\(caller) \(description) error body") }
            }
        }
    }

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

    /// Attachments (issue 14): who may upload, send, download, thumbnail and link — a sent
    /// photo for everyone who sees the conversation, an unsent one for its uploader only.
    @Test(arguments: Caller.allCases)
    func eachCallerGetsTheContractsAnswerOnAttachments(caller: Caller) async throws {
        try await TestServer.with(options: .init(userWritesPerSecond: 0)) { server in
            let buyer = try await server.client("buyer1", .buyer)
            let (userID, role) = caller.identity
            let client = try await server.client(userID, role)
            let id = try await buyer.createThread(orderID: "o-attachments").conversation.conversationID
            let photo = AttachmentAPITests.phonePhoto
            let sent = try await buyer.upload(id, bytes: photo, contentType: "image/jpeg", name: "foto.jpg")
            _ = try await buyer.send(id, .init(content: "", type: .image, attachmentId: sent.attachmentId))
            let unsent = try await buyer.upload(id, bytes: photo, contentType: "image/jpeg", name: "borrador.jpg")
            let sees = caller != .outsider
            let isUploader = caller == .buyer

            let upload = try await client.raw(
                .POST, "/api/conversations/\(id)/attachments?name=nota.txt", body: Data("hola".utf8),
                headers: [("Content-Type", "text/plain")])
            #expect(upload.status == (sees ? 201 : 404), "\(caller) upload: \(upload.status)")
            if upload.status == 201 {
                let mine = try JSONDecoder().decode(AttachmentBody.self, from: upload.body)
                let send = try await client.raw(
                    .POST, "/api/conversations/\(id)/messages",
                    body: Data(#"{"type":"file","content":"","attachmentId":"\#(mine.attachmentId)"}"#.utf8))
                #expect(send.status == 201, "\(caller) send own upload: \(send.status)")
            }
            for (path, expected) in [
                ("/api/attachments/\(sent.attachmentId)", sees ? 200 : 404),
                ("/api/attachments/\(sent.attachmentId)/thumbnail", sees ? 200 : 404),
                ("/api/attachments/\(unsent.attachmentId)", isUploader ? 200 : 404),
                ("/api/attachments/\(unsent.attachmentId)/thumbnail", isUploader ? 200 : 404),
                ("/api/attachments/a_unknown", 404),
            ] {
                let response = try await client.raw(.GET, path)
                #expect(response.status == expected, "\(caller) GET \(path): \(response.status)")
                if response.status >= 400 { #expect(response.error != nil, "\(caller) \(path) error body") }
            }
            let link = try await client.raw(.POST, "/api/attachments/\(sent.attachmentId)/link")
            #expect(link.status == (sees ? 200 : 404), "\(caller) link: \(link.status)")
            let unsentLink = try await client.raw(.POST, "/api/attachments/\(unsent.attachmentId)/link")
            #expect(unsentLink.status == (isUploader ? 200 : 404), "\(caller) link to unsent: \(unsentLink.status)")
            // Someone else's upload is never theirs to send.
            if !isUploader && sees {
                let send = try await client.raw(
                    .POST, "/api/conversations/\(id)/messages",
                    body: Data(#"{"type":"image","content":"","attachmentId":"\#(unsent.attachmentId)"}"#.utf8))
                #expect(send.status == 400, "\(caller) send another's upload: \(send.status)")
            }
        }
    }

    /// What the notification operations (issue 15) name: a conversation of buyer1's and
    /// seller1's, buyer1's push subscription and a webhook of the service's.
    struct NotifyFixture {
        var conversation, buyerSubscription, webhook: String
    }

    /// In order: the ticket's PUT after its POST, deletions last.
    static let notifyOperations: [(String, ParleyRESTClient.Method, @Sendable (NotifyFixture) -> String, String?, [Caller: Int])] = [
        ("GET push key", .GET, { _ in "/api/push/key" }, nil, everyone(200)),
        (
            "POST push subscription", .POST, { _ in "/api/push/subscriptions" },
            #"{"endpoint":"http://127.0.0.1:9/push/caller","expirationTime":null,"keys":{"p256dh":"\#(browserKey)","auth":"\#(browserAuth)"}}"#,
            everyone(201)
        ),
        ("GET push subscriptions", .GET, { _ in "/api/push/subscriptions" }, nil, everyone(200)),
        (
            "POST webhook", .POST, { _ in "/api/webhooks" }, #"{"url":"http://127.0.0.1:9/hooks","events":["message.created"]}"#,
            onlyService(201)
        ),
        ("GET webhooks", .GET, { _ in "/api/webhooks" }, nil, onlyService(200)),
        ("POST webhook rotate", .POST, { "/api/webhooks/\($0.webhook)/rotate" }, nil, onlyService(200)),
        ("GET webhook deliveries", .GET, { "/api/webhooks/\($0.webhook)/deliveries" }, nil, onlyService(200)),
        ("DELETE unknown webhook", .DELETE, { _ in "/api/webhooks/wh_unknown" }, nil, onlyService(404)),
        (
            "POST ticket", .POST, { "/api/conversations/\($0.conversation)/ticket" }, #"{"reason":"no llegó"}"#,
            [.buyer: 200, .seller: 200, .outsider: 404, .support: 200, .service: 200]
        ),
        (
            "PUT ticket", .PUT, { "/api/conversations/\($0.conversation)/ticket" }, #"{"ticketId":"ZD-1","state":"open"}"#,
            onlyService(200)
        ),
        ("PUT ticket of an unknown conversation", .PUT, { _ in "/api/conversations/c_unknown/ticket" },
            #"{"ticketId":"ZD-1","state":"open"}"#, onlyService(404)),
        (
            "DELETE buyer1's push subscription", .DELETE, { "/api/push/subscriptions/\($0.buyerSubscription)" }, nil,
            [.buyer: 204, .seller: 404, .outsider: 404, .support: 404, .service: 404]
        ),
        ("DELETE webhook", .DELETE, { "/api/webhooks/\($0.webhook)" }, nil, onlyService(204)),
    ]

    static func everyone(_ status: Int) -> [Caller: Int] {
        Dictionary(uniqueKeysWithValues: Caller.allCases.map { ($0, status) })
    }

    /// Webhooks and the help desk's ticket answer: a service's; 403 for every other role.
    static func onlyService(_ status: Int) -> [Caller: Int] {
        [.buyer: 403, .seller: 403, .outsider: 403, .support: 403, .service: status]
    }

    /// A browser's keys as the server checks them: a P-256 point (the generator's, fixed so
    /// the table stays static) and 16 bytes.
    static let browserKey = "BGsX0fLhLEJH-Lzm5WOkQPJ3A32BLeszoPShOUXYmMKWT-NC4v4af5uO5-tKfA-eFivOM1drMV7Oy7ZAaDe_UfU"
    static let browserAuth = "AAECAwQFBgcICQoLDA0ODw"

    /// Push subscriptions (anyone's own; another user's is unknown), webhooks (a service's
    /// only), tickets (asked for by whoever sees the conversation, answered by a service).
    @Test(arguments: Caller.allCases)
    func eachCallerGetsTheContractsAnswerOnNotifications(caller: Caller) async throws {
        let push = PushConfiguration(signer: try VAPIDSigner.generate(subject: "mailto:test@example.com"), allowInsecure: true)
        try await TestServer.with(options: .init(userWritesPerSecond: 0, push: push)) { server in
            let buyer = try await server.client("buyer1", .buyer)
            let (userID, role) = caller.identity
            let client = try await server.client(userID, role)
            let buyerSubscription = try await buyer.subscribePush(
                PushSubscriptionBody(
                    endpoint: "http://127.0.0.1:9/push/buyer1", keys: .init(p256dh: Self.browserKey, auth: Self.browserAuth)))
            #expect(buyerSubscription.created)
            let fixture = NotifyFixture(
                conversation: try await buyer.createThread(orderID: "o-notify").conversation.conversationID,
                buyerSubscription: buyerSubscription.subscriptionID,
                webhook: try await server.client("backend", .service)
                    .registerWebhook(url: "http://127.0.0.1:9/fixture", events: [.ticketRequested]).webhookID)
            for (description, method, path, body, expected) in Self.notifyOperations {
                let response = try await client.raw(method, path(fixture), body: body.map { Data($0.utf8) })
                let want = try #require(expected[caller])
                #expect(response.status == want, "\(caller) \(description): \(response.status)")
                if response.status >= 400 { #expect(response.error != nil, "\(caller) \(description) error body") }
            }
            // Each sees only its own subscriptions; buyer1's survives everyone else's DELETE.
            let listed = try await client.pushSubscriptions().map(\.endpoint)
            #expect(listed == ["http://127.0.0.1:9/push/caller"], "\(caller) lists \(listed)")
            if caller != .buyer {
                #expect(try await buyer.pushSubscriptions().map(\.subscriptionID) == [buyerSubscription.subscriptionID])
            }
            // The ticket as the service left it (participants and support see it too).
            if caller != .outsider {
                let ticket = try await client.conversation(fixture.conversation).conversation.ticket
                #expect(ticket?.state == (caller == .service ? .open : .requested), "\(caller) ticket \(String(describing: ticket))")
            }
        }
    }

    /// A node without a VAPID key: every push operation is `503 push_not_configured`.
    @Test func pushOperationsAnswer503WithoutAKey() async throws {
        try await TestServer.with { server in
            let client = try await server.client("buyer1", .buyer)
            await expectStatus(503, code: "push_not_configured") { _ = try await client.pushKey() }
            await expectStatus(503, code: "push_not_configured") { _ = try await client.pushSubscriptions() }
            await expectStatus(503, code: "push_not_configured") { try await client.unsubscribePush("ps_unknown") }
            await expectStatus(503, code: "push_not_configured") {
                _ = try await client.subscribePush(
                    PushSubscriptionBody(
                        endpoint: "https://push.example.com/x", keys: .init(p256dh: Self.browserKey, auth: Self.browserAuth)))
            }
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
