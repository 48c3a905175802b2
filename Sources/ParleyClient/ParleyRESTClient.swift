import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import ParleyCore

/// A client of Parley's REST API, for apps, tests and the bench.
///
/// ```swift
/// let client = ParleyRESTClient(baseURL: "http://127.0.0.1:8080", token: token)
/// let conversation = try await client.createConversation(.init(participants: [...]))
/// ```
public struct ParleyRESTClient: Sendable {
    /// The raw answer to a request: status, headers and body bytes.
    public struct RawResponse: Sendable {
        public var status: Int
        public var headers: [(String, String)]
        public var body: Data

        public func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }

        /// The contract's error body, when the answer is one.
        public var error: ErrorBody? { try? JSONDecoder().decode(ErrorBody.self, from: body) }
    }

    /// The HTTP methods the API uses.
    public enum Method: String, Sendable {
        case GET, HEAD, POST, PUT, DELETE
    }

    /// Largest answer read: a page of 200 messages of 16 KiB each, with room to spare.
    public static let maxResponseBytes = 8 * 1024 * 1024

    public let baseURL: String
    public let token: String?
    /// How long one request may take, connecting included (AsyncHTTPClient retries a
    /// refused connection until this deadline).
    public let timeout: Duration
    private let httpClient: HTTPClient

    public init(baseURL: String, token: String?, timeout: Duration = .seconds(30), httpClient: HTTPClient = .shared) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.token = token
        self.timeout = timeout
        self.httpClient = httpClient
    }

    /// The same client with another token.
    public func with(token: String?) -> ParleyRESTClient {
        ParleyRESTClient(baseURL: baseURL, token: token, timeout: timeout, httpClient: httpClient)
    }

    // MARK: The API

    public func createConversation(_ body: CreateConversationBody) async throws -> ConversationView {
        try await call(.POST, "/api/conversations", body: body)
    }

    public func conversations(query: [String: String] = [:]) async throws -> ConversationListBody {
        try await call(.GET, "/api/conversations" + Self.queryString(query))
    }

    public func conversation(_ id: String) async throws -> ConversationView {
        try await call(.GET, "/api/conversations/\(id)")
    }

    public func messages(_ conversationID: String, query: [String: String] = [:]) async throws -> MessagePage {
        try await call(.GET, "/api/conversations/\(conversationID)/messages" + Self.queryString(query))
    }

    public func send(_ conversationID: String, _ body: SendMessageBody) async throws -> Message {
        try await call(.POST, "/api/conversations/\(conversationID)/messages", body: body)
    }

    public func setStatus(_ conversationID: String, _ status: ConversationStatus) async throws -> ConversationView {
        try await call(.PUT, "/api/conversations/\(conversationID)/status", body: StatusBody(status: status))
    }

    public func setLabels(_ conversationID: String, _ labels: [String]) async throws -> ConversationView {
        try await call(.PUT, "/api/conversations/\(conversationID)/labels", body: LabelsBody(labels: labels))
    }

    public func setPriority(_ conversationID: String, _ priority: Priority) async throws -> ConversationView {
        try await call(.PUT, "/api/conversations/\(conversationID)/priority", body: PriorityBody(priority: priority))
    }

    public func setAssignee(_ conversationID: String, _ assignee: String?) async throws -> ConversationView {
        try await call(.PUT, "/api/conversations/\(conversationID)/assignee", body: AssigneeBody(assignedTo: assignee))
    }

    public func setArchived(_ conversationID: String, _ archived: Bool) async throws -> ConversationView {
        try await call(.PUT, "/api/conversations/\(conversationID)/archive", body: ArchiveBody(archived: archived))
    }

    public func markRead(_ conversationID: String, seq: Int64) async throws -> ReadPositionBody {
        try await call(.POST, "/api/conversations/\(conversationID)/read", body: ReadBody(seq: seq))
    }

    /// Messages matching `q` that the caller may see, best first. `query` adds filters:
    /// `conversationId`, `senderId`, `from`, `to`, `limit`, `cursor`.
    public func search(_ q: String, query: [String: String] = [:]) async throws -> SearchResultsBody {
        try await call(.GET, "/api/search" + Self.queryString(query.merging(["q": q]) { $1 }))
    }

    /// A single-use ticket for opening a WebSocket from a browser.
    public func realtimeTicket() async throws -> String {
        struct Ticket: Decodable { var ticket: String }
        let ticket: Ticket = try await call(.POST, "/api/realtime/tickets")
        return ticket.ticket
    }

    // MARK: Plumbing

    /// Sends a request and decodes a 2xx answer; any other status throws `ParleyClientError`.
    public func call<Answer: Decodable>(
        _ method: Method, _ path: String, body: (some Encodable)? = Optional<Int>.none
    )
        async throws -> Answer
    {
        let bodyData = try body.map { try JSONEncoder().encode($0) }
        return try Self.decoded(try await raw(method, path, body: bodyData))
    }

    /// A 2xx answer's JSON; any other status throws `ParleyClientError`.
    static func decoded<Answer: Decodable>(_ response: RawResponse) throws -> Answer {
        guard (200..<300).contains(response.status) else {
            throw ParleyClientError.server(status: response.status, error: response.error)
        }
        return try JSONDecoder().decode(Answer.self, from: response.body)
    }

    /// Sends any request and returns the answer as it came.
    public func raw(
        _ method: Method, _ path: String, body: Data? = nil, headers: [(String, String)] = [],
        maxResponseBytes: Int = Self.maxResponseBytes
    )
        async throws -> RawResponse
    {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = HTTPMethod(rawValue: method.rawValue)
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        for (name, value) in headers { request.headers.replaceOrAdd(name: name, value: value) }
        if let body {
            if !request.headers.contains(name: "Content-Type") { request.headers.add(name: "Content-Type", value: "application/json") }
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response = try await httpClient.execute(
            request, timeout: .nanoseconds(timeout.components.seconds * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000))
        let bytes = try await response.body.collect(upTo: maxResponseBytes)
        return RawResponse(
            status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
            body: Data(bytes.readableBytesView))
    }

    static func queryString(_ query: [String: String]) -> String {
        guard !query.isEmpty else { return "" }
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+?")
        return "?"
            + query.sorted { $0.key < $1.key }.map { key, value in
                "\(key)=\(value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value)"
            }.joined(separator: "&")
    }
}
