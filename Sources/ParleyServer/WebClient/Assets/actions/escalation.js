// Escalation to a person and masked contact details (CONTRACT.md "Sentiment, escalation,
// contact masking"): the `escalated` event support receives, the notices it leaves,
// conversations that became escalated, and support revealing a masked message's original.

import { conversationTitle, upsertConversation } from "../store/conversations.js";
import { addEscalationNotice, escalationOf, escalationReasonKey, hasEscalatedView } from "../store/escalation.js";

export function escalationActions({ store }, actions) {
  /**
   * A conversation just became escalated and is open: its messages are fetched again,
   * so sentiment scored after they were delivered shows on them.
   */
  const refreshIfOpen = (conversationId) => {
    if (store.state.openId === conversationId) actions.catchUp(conversationId).catch(() => {});
  };

  return {
    /**
     * A conversation from `conversation.updated` (or any live source): stored as usual;
     * when it has just become escalated and is open, its messages are fetched again.
     */
    applyConversationUpdate(conversation) {
      const before = store.state.conversations.get(conversation.conversationId);
      const wasEscalated = Boolean(escalationOf(before));
      store.update((state) => upsertConversation(state, conversation));
      if (!wasEscalated && escalationOf(conversation)) refreshIfOpen(conversation.conversationId);
    },

    /** The `escalated` event (support): the conversation as with `conversation.updated`, plus a notice, said once. */
    conversationEscalated(conversation) {
      if (!conversation || !conversation.conversationId || !escalationOf(conversation)) return;
      actions.applyConversationUpdate(conversation);
      if (!hasEscalatedView(store.state)) return;
      const added = store.update((state) => addEscalationNotice(state, conversation));
      if (!added) return;
      actions.announce((t) =>
        t("escalation.announce", {
          subject: conversationTitle(conversation, t),
          reason: t(escalationReasonKey(escalationOf(conversation))),
        }),
      );
    },

    /** Support opened or put aside the conversation a notice is about. */
    dismissEscalationNotice(conversationId) {
      store.update((state) => {
        state.escalationNotices = state.escalationNotices.filter((notice) => notice.conversationId !== conversationId);
      });
    },

    /** Shows or hides a masked message's original text (support and service; the server sends it only to them). */
    toggleOriginal(messageId) {
      store.update((state) => {
        if (state.revealed.has(messageId)) state.revealed.delete(messageId);
        else state.revealed.add(messageId);
      });
    },
  };
}
