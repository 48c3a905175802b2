import Crypto
import Foundation
import ParleyClient
import ParleyCore
import Testing

@testable import ParleyServer

/// The OpenAPI document (`Sources/ParleyServer/OpenAPI/openapi.json`, served at
/// `GET /openapi.json`) held against the server it describes: it parses, every `$ref` in
/// it resolves, and every operation it lists, sent once as a plausible request to the real
/// executable, gets an answer the document lists for that operation, and a success: an
/// operation the router lost (404) or a method it does not take (405) fails here.
@Suite struct OpenAPIDocumentTests {
    /// The bundled document: JSON, OpenAPI 3, every reference pointing at something.
    @Test func theDocumentParsesAndEveryReferenceResolves() throws {
        let document = try Self.parse(Data(OpenAPIDocument.json.utf8))
        #expect((document["openapi"] as? String)?.hasPrefix("3.") == true)
        let references = Self.references(in: document)
        #expect(references.count > 50, "the document shares its parts through components")
        for reference in Set(references) {
            #expect(Self.resolve(["$ref": reference], in: document) != nil, "\(reference) points at nothing")
        }
        for (method, path, operation) in try Self.operations(of: document) {
            #expect(operation["operationId"] is String, "\(method) \(path) has no operationId")
            let responses = operation["responses"] as? [String: Any] ?? [:]
            #expect(!responses.isEmpty, "\(method) \(path) lists no answers")
        }
    }

    /// One `parley serve --dev` (so that the sign-in picker's operations exist, and Web Push
    /// has a key), one request per documented operation, each with a token unless the
    /// operation needs none. Push endpoints and webhook URLs point at a closed loopback
    /// port (`--push-allow-insecure` lets them), so whatever the outbox sends fails at once.
    @Test func everyDocumentedOperationAnswersAsDocumented() async throws {
        let folder = try makeTemporaryFolder("openapi")
        defer { try? FileManager.default.removeItem(at: folder) }
        let node = try ServerProcess(
            arguments: [
                "--jwt-secret", TestServer.secret, "--database", "sqlite://\(folder.path)/parley.sqlite", "--dev",
                "--push-allow-insecure",
            ],
            workingDirectory: folder)
        let baseURL = "http://127.0.0.1:\(try node.waitUntilListening())"
        let signer = try await TokenSigner(secret: TestServer.secret)
        let anonymous = ParleyRESTClient(baseURL: baseURL, token: nil, timeout: Self.requestTimeout)
        func client(_ userID: String, _ role: Role) async throws -> ParleyRESTClient {
            ParleyRESTClient(
                baseURL: baseURL, token: try await signer.sign(userID: userID, role: role), timeout: Self.requestTimeout)
        }
        let buyer = try await client("buyer1", .buyer)

        let served = try await anonymous.raw(.GET, "/openapi.json")
        #expect(served.status == 200)
        #expect(served.header("Content-Type") == "application/json")
        let document = try Self.parse(served.body)
        #expect(served.body == Data(OpenAPIDocument.json.utf8), "the server serves the bundled document as it is")

        // What the plausible requests name: a conversation of buyer1's with a message, a demo user.
        let conversationID = try await buyer.createThread(message: "hola, ¿llegó el envío?").conversation.conversationID
        let demoUsers = try Self.parse(try await anonymous.raw(.GET, "/dev/users").body)["users"] as? [[String: Any]]
        let demoUserID = try #require(demoUsers?.first?["userId"] as? String, "a --dev node lists its demo users")
        // Assist: an automatic answer (to judge), a template and an FAQ entry of buyer1's.
        let seller = try await client("seller1", .seller)
        _ = try await seller.createFAQEntry(.init(question: "¿Cuándo llega el envío?", answer: "En 2 días laborables."))
        let question = try await buyer.send(conversationID, .init(content: "cuando llega el envio?"))
        let automatic = try await AssistAPITests.nextMessage(after: question.seq, in: conversationID, as: buyer)
        let template = try await buyer.createTemplate(.init(name: "Gracias", content: #"Gracias, {{buyer.name | "cliente"}}"#))
        let entry = try await buyer.createFAQEntry(.init(question: "¿Tienes stock?", answer: "Sí, en 24 h."))
        // Attachments: a photo buyer1 sent (it has a thumbnail).
        let photo = try await buyer.upload(conversationID, bytes: AttachmentAPITests.phonePhoto, contentType: "image/jpeg")
        _ = try await buyer.send(conversationID, .init(content: "", type: .image, attachmentId: photo.attachmentId))
        // Notifications: a push subscription of buyer1's, two webhooks (one is deleted
        // before the operations under its path run, so those name the other).
        let service = try await client("backend", .service)
        let subscription = try await buyer.subscribePush(Self.pushSubscription(endpoint: "\(Self.closedEndpoint)/push/1"))
        let webhook = try await service.registerWebhook(url: "\(Self.closedEndpoint)/hooks", events: [.messageCreated])
        let doomedWebhook = try await service.registerWebhook(url: "\(Self.closedEndpoint)/old", events: [.ticketRequested])
        // End-to-end encryption: devices of buyer1 and seller1, an encrypted conversation with
        // epoch 1, and a franked message of buyer1's that seller1 reports.
        let buyerPhone = E2EETestDevice("buyer1", "phone")
        let sellerLaptop = E2EETestDevice("seller1", "laptop")
        #expect(try await buyerPhone.register(with: buyer).status == 201)
        #expect(try await sellerLaptop.register(with: seller).status == 201)
        let encrypted = try await buyer.rawJSON(
            .POST, "/api/conversations",
            #"{"participants":[{"userId":"buyer1","role":"buyer"},{"userId":"seller1","role":"seller"}],"orderId":"o-e2ee","encrypted":true}"#)
        let encryptedID = try #require(encrypted.jsonObject["conversationId"] as? String)
        let epochKey = SymmetricKey(size: .bits256)
        let firstEpoch = try await buyer.rawJSON(
            .POST, "/api/conversations/\(encryptedID)/keys",
            #"{"epoch":1,"senderDeviceId":"phone","sealed":[\#(try buyerPhone.sealedEntry(epochKey, conversationID: encryptedID, epoch: 1)),\#(try sellerLaptop.sealedEntry(epochKey, conversationID: encryptedID, epoch: 1))]}"#)
        #expect(firstEpoch.status == 201)
        let frankingKey = [UInt8](repeating: 5, count: 32)
        let franked = try buyerPhone.encrypt(
            "hola", key: epochKey, conversationID: encryptedID, epoch: 1, clientMessageID: "openapi-e2ee", franking: frankingKey)
        let frankedMessage = try await buyer.rawJSON(
            .POST, "/api/conversations/\(encryptedID)/messages", E2EETestDevice.sendJSON(franked, clientMessageID: "openapi-e2ee"))
        let frankedID = try #require(frankedMessage.jsonObject["messageId"] as? String)
        let newDevice = E2EETestDevice("buyer1", "openapi-device")
        let pathValues = [
            "deviceId": newDevice.deviceID, "userId": "buyer1",
            "conversationId": conversationID, "templateId": template.templateID, "faqId": entry.faqID,
            "messageId": automatic.messageID, "attachmentId": photo.attachmentId,
            "subscriptionId": subscription.subscriptionID, "webhookId": webhook.webhookID,
        ]
        let operationPathValues = [
            "deleteWebhook": ["webhookId": doomedWebhook.webhookID],
            "postEpochKeys": ["conversationId": encryptedID], "listEpochKeys": ["conversationId": encryptedID],
            "reportMessage": ["conversationId": encryptedID, "messageId": frankedID],
        ]
        let secondSubscription = String(
            decoding: try JSONEncoder().encode(Self.pushSubscription(endpoint: "\(Self.closedEndpoint)/push/2")), as: UTF8.self)
        // The audit proofs ask about the first leaf (the conversation created above) and tree size 1.
        let queryValues = ["q": "hola", "index": "0", "treeSize": "1", "from": "1", "to": "1", "deviceId": buyerPhone.deviceID]
        let bodies = [
            "createConversation":
                #"{"participants": [{"userId": "buyer1", "role": "buyer"}, {"userId": "seller1", "role": "seller"}], "orderId": "o1"}"#,
            "sendMessage": #"{"content": "¿y la factura?", "clientMessageId": "openapi-1"}"#,
            "setStatus": #"{"status": "pending"}"#,
            "setLabels": #"{"labels": ["envío"]}"#,
            "setPriority": #"{"priority": "high"}"#,
            "setAssignee": #"{"assignedTo": null}"#,
            "setArchive": #"{"archived": true}"#,
            "markRead": #"{"seq": 1}"#,
            "devToken": #"{"userId": "\#(demoUserID)"}"#,
            "createTemplate": #"{"name": "Saludo", "content": "Hola {{buyer.name | \"cliente\"}}", "language": "es"}"#,
            "updateTemplate": #"{"name": "Gracias de nuevo"}"#,
            "renderTemplate": #"{"values": {"custom.carrier": "SEUR"}}"#,
            "createFAQEntry": #"{"question": "¿Hacéis envíos a Francia?", "answer": "Sí, en 5 días."}"#,
            "updateFAQEntry": #"{"alternatives": ["¿Tenéis existencias?"]}"#,
            "matchFAQ": #"{"text": "cuando llega el envio", "sellerId": "seller1"}"#,
            "sendFeedback": #"{"helpful": true}"#,
            "setAssistSettings": #"{"autoAnswer": true}"#,
            "assessSentiment": #"{"text": "no está mal, gracias"}"#,
            "uploadAttachment": "la factura va en el siguiente mensaje",
            "subscribePush": secondSubscription,
            "registerWebhook": #"{"url": "\#(Self.closedEndpoint)/more", "events": ["conversation.updated", "ticket.requested"]}"#,
            "requestTicket": #"{"reason": "el paquete no llegó"}"#,
            "updateTicket": #"{"ticketId": "ZD-1234", "url": "https://help.example.com/tickets/1234", "state": "open"}"#,
            "registerDevice": newDevice.registrationJSON,
            "postEpochKeys":
                #"{"epoch":2,"senderDeviceId":"phone","sealed":[\#(try buyerPhone.sealedEntry(epochKey, conversationID: encryptedID, epoch: 2))]}"#,
            "reportMessage": #"{"content":"hola","franking":"\#(E2EETestDevice.b64(frankingKey))"}"#,
        ]
        // Only support and service may change the assignee; buyer1 sends everything else.
        // Suggestions are for the conversation's sellers; webhooks and the help desk's ticket
        // answer for a service.
        var senders = ["setAssignee": try await client("support1", .support), "suggestions": seller, "updateTicket": service]
        for operationID in ["registerWebhook", "listWebhooks", "deleteWebhook", "rotateWebhookSecret", "listWebhookDeliveries"] {
            senders[operationID] = service
        }
        senders["listAuditEntries"] = service
        // A recipient reports buyer1's message; support and service read reports.
        senders["reportMessage"] = seller
        senders["listReports"] = service

        let operations = try Self.operations(of: document)
        #expect(operations.count >= 20, "the document lists the API")
        for (method, path, operation) in operations {
            let name = "\(method.uppercased()) \(path)"
            let operationID = operation["operationId"] as? String ?? name
            var target = path
            let values = pathValues.merging(operationPathValues[operationID] ?? [:]) { $1 }
            for (parameter, value) in values { target = target.replacingOccurrences(of: "{\(parameter)}", with: value) }
            #expect(!target.contains("{"), "\(name): no plausible value for a path parameter")
            let required = Self.parameters(of: operation, in: document).filter { $0["in"] as? String == "query" && $0["required"] as? Bool == true }
            let query = required.compactMap { parameter in
                (parameter["name"] as? String).flatMap { name in queryValues[name].map { "\(name)=\($0)" } }
            }
            #expect(query.count == required.count, "\(name): no plausible value for a required query parameter")
            if !query.isEmpty { target += "?" + query.joined(separator: "&") }
            let body = operation["requestBody"] == nil ? nil : bodies[operationID]
            #expect(operation["requestBody"] == nil || body != nil, "\(name): no plausible body for \(operationID)")

            let needsNoToken = (operation["security"] as? [Any])?.isEmpty == true
            let sender = needsNoToken ? anonymous : senders[operationID] ?? buyer
            let httpMethod = try #require(ParleyRESTClient.Method(rawValue: method.uppercased()), "\(name): a method the test cannot send")
            let response = try await sender.raw(httpMethod, target, body: body.map { Data($0.utf8) })
            let responses = operation["responses"] as? [String: Any] ?? [:]
            let text = String(decoding: response.body.prefix(300), as: UTF8.self)
            #expect(responses["\(response.status)"] != nil, "\(name) answered \(response.status), which the document does not list: \(text)")

            if responses["101"] != nil {
                // A WebSocket: the plain request above is refused as documented; the upgrade is the success.
                let opened = try await RealtimeSession.open(
                    baseURL: baseURL, credentials: .token(try await signer.sign(userID: "buyer1", role: .buyer))
                ) { _ in true }
                #expect(opened.value, "\(name) does not switch to a WebSocket")
                continue
            }
            #expect((200..<300).contains(response.status), "\(name): a plausible request got \(response.status): \(text)")
            // The answer's media type is the documented one (application/json, text/plain…).
            let documented = Self.resolve(responses["\(response.status)"], in: document) as? [String: Any]
            if let content = documented?["content"] as? [String: Any] {
                let mediaType = response.header("Content-Type")?.split(separator: ";").first.map {
                    $0.trimmingCharacters(in: .whitespaces)
                }
                #expect(
                    mediaType.map { content[$0] != nil || content["*/*"] != nil } == true,
                    "\(name) answered \(mediaType ?? "no Content-Type")")
            }
        }
        node.kill(SIGTERM)
        #expect(node.waitForExit() != nil, "the node stops on SIGTERM")
    }

    /// A loopback port nothing listens on (discard): deliveries there are refused at once.
    static let closedEndpoint = "http://127.0.0.1:9"

    /// A browser's subscription to `endpoint`, with real keys (the server checks the point).
    static func pushSubscription(endpoint: String) -> PushSubscriptionBody {
        let browserKey = P256.KeyAgreement.PrivateKey().publicKey.x963Representation
        let auth = Data((0..<16).map { _ in UInt8.random(in: .min ... .max) })
        return PushSubscriptionBody(
            endpoint: endpoint, keys: .init(p256dh: browserKey.base64URLEncodedString(), auth: auth.base64URLEncodedString()))
    }

    /// Long enough for a request on a loaded two-core machine, short enough to fail fast.
    static let requestTimeout: Duration = .seconds(10)

    static func parse(_ data: Data) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], "the document is a JSON object")
    }

    /// Every (method, path, operation) of `paths`, in a stable order: paths sorted, and in
    /// each path creation first and deletion last (so the others find what they name).
    static func operations(of document: [String: Any]) throws -> [(String, String, [String: Any])] {
        let paths = try #require(document["paths"] as? [String: [String: Any]], "the document has paths")
        let methods = ["post", "get", "head", "options", "put", "patch", "trace", "delete"]
        return paths.keys.sorted().flatMap { path in
            methods.filter { paths[path, default: [:]][$0] != nil }.compactMap { method in
                (paths[path]?[method] as? [String: Any]).map { (method, path, $0) }
            }
        }
    }

    /// An operation's parameters, references resolved.
    static func parameters(of operation: [String: Any], in document: [String: Any]) -> [[String: Any]] {
        (operation["parameters"] as? [Any] ?? []).compactMap { resolve($0, in: document) as? [String: Any] }
    }

    /// Every `$ref` string anywhere in `node`.
    static func references(in node: Any) -> [String] {
        if let object = node as? [String: Any] {
            let own = (object["$ref"] as? String).map { [$0] } ?? []
            return own + object.values.flatMap { references(in: $0) }
        }
        if let array = node as? [Any] { return array.flatMap { references(in: $0) } }
        return []
    }

    /// `node`, or what its `$ref` (a local JSON pointer, `#/…`) points at, followed through
    /// at most `depth` references; nil when that is nothing.
    static func resolve(_ node: Any?, in document: [String: Any], depth: Int = 8) -> Any? {
        guard let object = node as? [String: Any], let reference = object["$ref"] as? String else { return node }
        guard reference.hasPrefix("#/"), depth > 0 else { return nil }
        var target: Any? = document
        for token in reference.dropFirst(2).split(separator: "/", omittingEmptySubsequences: false) {
            let key = token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            target = (target as? [String: Any])?[key]
        }
        return target == nil ? nil : resolve(target, in: document, depth: depth - 1)
    }
}
