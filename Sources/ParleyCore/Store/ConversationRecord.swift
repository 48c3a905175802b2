import Foundation

/// A conversation as both stores keep it (a row of `conversations`), before its values
/// are checked. Its participants are read separately (`ParticipantRecord`).
public struct ConversationRecord: Sendable, Equatable {
    public var id: String
    public var productID: String?
    public var orderID: String?
    public var subject: String?
    /// A `ConversationStatus`'s raw value.
    public var status: String
    /// A JSON array of strings (`storedLabels(_:)`).
    public var labels: String
    /// A `Priority`'s raw value.
    public var priority: String
    public var assignedTo: String?
    /// Milliseconds since 1970, as every stored time.
    public var createdAt: Int64
    public var lastActivityAt: Int64
    public var lastSeq: Int64
    /// An `Escalation` as JSON, `nil` when never escalated.
    public var escalation: String?
    /// A `SupportTicket` as JSON, `nil` when none was requested.
    public var ticket: String?
    /// A `ConversationEncryption` as JSON, `nil` for a plain conversation.
    public var encryption: String?

    public init(
        id: String, productID: String?, orderID: String?, subject: String?, status: String, labels: String,
        priority: String, assignedTo: String?, createdAt: Int64, lastActivityAt: Int64, lastSeq: Int64,
        escalation: String? = nil, ticket: String? = nil, encryption: String? = nil
    ) {
        self.encryption = encryption
        self.escalation = escalation
        self.ticket = ticket
        self.id = id
        self.productID = productID
        self.orderID = orderID
        self.subject = subject
        self.status = status
        self.labels = labels
        self.priority = priority
        self.assignedTo = assignedTo
        self.createdAt = createdAt
        self.lastActivityAt = lastActivityAt
        self.lastSeq = lastSeq
    }

    /// The conversation, or `StoredValueError` for a status, priority or labels no
    /// version of Parley writes.
    public func conversation(participants: [ParticipantRecord]) throws(StoredValueError) -> Conversation {
        let row = "conversation \(id)"
        var people: [Participant] = []
        people.reserveCapacity(participants.count)
        for participant in participants { people.append(try participant.participant(inConversation: id)) }
        return Conversation(
            conversationID: id,
            participants: people,
            productID: productID,
            orderID: orderID,
            subject: subject,
            status: try ConversationStatus(stored: status, column: "conversations.status", row: row),
            labels: try Self.decodeLabels(labels, row: row),
            priority: try Priority(stored: priority, column: "conversations.priority", row: row),
            assignedTo: assignedTo,
            createdAt: Timestamp(millisecondsSince1970: createdAt),
            lastActivityAt: Timestamp(millisecondsSince1970: lastActivityAt),
            lastSeq: lastSeq,
            escalation: try Self.decodeEscalation(escalation, row: row),
            ticket: try Self.decodeTicket(ticket, row: row),
            encryption: try Self.decodeEncryption(encryption, row: row))
    }

    /// `encryption` as both stores keep it.
    public static func storedEncryption(_ encryption: ConversationEncryption) -> String {
        // Written by hand: three numbers and a flag, in a fixed order both stores read back.
        #"{"epoch":\#(encryption.epoch),"floor":\#(encryption.floor),"rekeyRequired":\#(encryption.rekeyRequired)}"#
    }

    private static func decodeEncryption(_ text: String?, row: String) throws(StoredValueError) -> ConversationEncryption? {
        guard let text else { return nil }
        do {
            return try JSONDecoder().decode(ConversationEncryption.self, from: Data(text.utf8))
        } catch {
            throw StoredValueError(column: "conversations.encryption", row: row, value: text)
        }
    }

    /// `escalation` as both stores keep it.
    public static func storedEscalation(_ escalation: Escalation) -> String {
        // Encoding a struct of strings and a timestamp cannot fail.
        String(decoding: (try? JSONEncoder().encode(escalation)) ?? Data("null".utf8), as: UTF8.self)
    }

    private static func decodeEscalation(_ text: String?, row: String) throws(StoredValueError) -> Escalation? {
        guard let text else { return nil }
        do {
            return try JSONDecoder().decode(Escalation.self, from: Data(text.utf8))
        } catch {
            throw StoredValueError(column: "conversations.escalation", row: row, value: text)
        }
    }

    /// `ticket` as both stores keep it.
    public static func storedTicket(_ ticket: SupportTicket) -> String {
        // Encoding a struct of strings and timestamps cannot fail.
        String(decoding: (try? JSONEncoder().encode(ticket)) ?? Data("null".utf8), as: UTF8.self)
    }

    private static func decodeTicket(_ text: String?, row: String) throws(StoredValueError) -> SupportTicket? {
        guard let text else { return nil }
        do {
            return try JSONDecoder().decode(SupportTicket.self, from: Data(text.utf8))
        } catch {
            throw StoredValueError(column: "conversations.ticket", row: row, value: text)
        }
    }

    /// `labels` as both stores keep them: a JSON array of strings.
    public static func storedLabels(_ labels: [String]) throws -> String {
        StoredStrings.encode(labels)
    }

    private static func decodeLabels(_ text: String, row: String) throws(StoredValueError) -> [String] {
        try StoredStrings.decode(text, column: "conversations.labels", row: row)
    }
}
