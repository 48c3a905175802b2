import ParleyAssist
import ParleyCore

/// Automatic answers: each buyer message the queue offers is matched against its
/// seller's entries and the global ones after it is committed; a confident match is
/// posted by `parley.assistant` as the conversation's next message.
extension AssistService {
    /// Messages considered at once: matching is CPU work, and one slow seller's FAQ must
    /// not stall every other buyer on the node.
    static let concurrentAnswers = 4

    /// Answers buyer messages until the queue finishes, a few at a time (at most one per
    /// conversation: the next message of a conversation waits for the hold). Run once per node.
    public func runAutoAnswers() async {
        await withTaskGroup(of: Void.self) { group in
            var running = 0
            for await item in autoAnswers.items {
                if running == Self.concurrentAnswers {
                    await group.next()
                    running -= 1
                }
                group.addTask {
                    await answer(item)
                    autoAnswers.release(item)
                }
                running += 1
            }
        }
    }

    /// Keeps the assistant's picture of who it may answer for up to date.
    public func refreshDirectory() async {
        do {
            autoAnswers.update(try await store.assistDirectory())
        } catch {
            logger.warning("could not read the assist directory", metadata: ["error": "\(error)"])
        }
    }

    /// Decides and, when confident, answers one buyer message. Failures are logged: the
    /// buyer's message is stored whatever happens here.
    func answer(_ item: AutoAnswerQueue.Item) async {
        let conversationID = item.conversation.conversationID
        // A message that hands the conversation to a person is a person's to answer, even
        // before its escalation (decided beside this) has landed.
        if SentimentReview.handsOver(item.message) { return }
        do {
            guard try await store.assistSettings(sellerID: item.sellerID).autoAnswer else { return }
            let entries = try await enabledEntries(sellerID: item.sellerID)
            guard !entries.isEmpty else { return }
            // Escalated conversations are a person's now; and an answer comes next or not at
            // all (a person, or the buyer again, wrote meanwhile: the hold ran out).
            guard let current = try await store.conversation(id: conversationID), current.escalation == nil,
                current.lastSeq == item.message.seq
            else { return }
            let outcome = matcher.match(item.message.content, in: entries.map(document(of:)), limit: 1)
            guard let answer = outcome.answer, let entry = entries.first(where: { $0.faqID == answer.faqId }) else { return }
            let mark = AutoAnswerMark(faqID: entry.faqID, score: (answer.score * 1000).rounded() / 1000)
            let posted = try await messaging.postAutomaticAnswer(
                entry.answer, mark: mark, in: conversationID, answering: item.message.seq)
            try await store.countAutomaticAnswer(faqID: entry.faqID)
            logger.info(
                "automatic answer",
                metadata: [
                    "conversation": "\(conversationID)", "to": "\(item.message.messageID)", "faq": "\(entry.faqID)",
                    "score": "\(mark.score)", "message": "\(posted.message.messageID)",
                ])
        } catch is AutomaticAnswerOvertaken {
            logger.debug("automatic answer dropped: escalated or answered meanwhile", metadata: ["conversation": "\(conversationID)"])
        } catch {
            logger.error(
                "automatic answer failed",
                metadata: ["conversation": "\(conversationID)", "message": "\(item.message.messageID)", "error": "\(error)"])
        }
    }
}
