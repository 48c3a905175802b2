// Conversations as the page keeps them: functions of the state, called by actions
// (the changes) and views (the reads).

export function conversationTitle(conversation, t) {
  if (conversation.subject) return conversation.subject;
  if (conversation.orderId) return t("thread.order", { id: conversation.orderId });
  if (conversation.productId) return t("thread.product", { id: conversation.productId });
  return t("thread.general");
}

export function otherParticipants(state, conversation) {
  const me = state.me ? state.me.userId : null;
  return (conversation.participants || []).filter((p) => p.userId !== me);
}

function activityTime(conversation) {
  const iso =
    conversation.lastActivityAt ||
    (conversation.lastMessage && conversation.lastMessage.timestamp) ||
    conversation.createdAt;
  const time = Date.parse(iso);
  return Number.isNaN(time) ? 0 : time;
}

function lastSeqOf(conversation) {
  const fromMessage = conversation.lastMessage ? conversation.lastMessage.seq : 0;
  return Math.max(conversation.lastSeq || 0, fromMessage || 0);
}

/**
 * Stores a conversation from the server. A copy fetched earlier than live events we
 * already applied keeps our newer last message and unread count.
 */
export function upsertConversation(state, incoming) {
  if (!incoming || !incoming.conversationId) return null;
  const existing = state.conversations.get(incoming.conversationId);
  let merged = { ...incoming };
  if (existing && lastSeqOf(existing) > lastSeqOf(incoming)) {
    merged = {
      ...incoming,
      lastMessage: existing.lastMessage,
      lastSeq: existing.lastSeq,
      lastActivityAt: existing.lastActivityAt,
      unreadCount: existing.unreadCount,
    };
  }
  state.conversations.set(merged.conversationId, merged);
  for (const label of (merged.metadata && merged.metadata.labels) || []) state.knownLabels.add(label);
  for (const participant of merged.participants || []) {
    if (!state.users.has(participant.userId)) {
      state.users.set(participant.userId, { name: participant.userId, role: participant.role });
    }
  }
  return merged;
}

/** Applies a new message to its conversation's summary (last message, unread, archive). */
export function noteMessageInConversation(state, message, { countsAsUnread }) {
  const conversation = state.conversations.get(message.conversationId);
  if (!conversation) return false;
  if (message.seq > lastSeqOf(conversation)) {
    conversation.lastMessage = message;
    conversation.lastSeq = message.seq;
    conversation.lastActivityAt = message.timestamp;
    if (countsAsUnread) conversation.unreadCount = (conversation.unreadCount || 0) + 1;
    // A message from someone else brings an archived conversation back (contract).
    if (message.senderId !== state.me.userId) conversation.archived = false;
  }
  return true;
}

function matchesFilters(filters, conversation) {
  const metadata = conversation.metadata || {};
  if (Boolean(conversation.archived) !== Boolean(filters.archived)) return false;
  if (filters.status && conversation.status !== filters.status) return false;
  if (filters.priority && metadata.priority !== filters.priority) return false;
  if (filters.label && !(metadata.labels || []).includes(filters.label)) return false;
  if (filters.assignedTo === "none" && metadata.assignedTo) return false;
  if (filters.assignedTo && filters.assignedTo !== "none" && metadata.assignedTo !== filters.assignedTo) return false;
  if (filters.escalated && !metadata.escalation) return false;
  return true;
}

/** The inbox as shown: cached conversations that match the filters, newest activity first. */
export function inboxConversations(state) {
  return [...state.conversations.values()]
    .filter((conversation) => matchesFilters(state.filters, conversation))
    .sort((a, b) => activityTime(b) - activityTime(a) || (a.conversationId < b.conversationId ? -1 : 1));
}

/** The filters as query parameters of GET /api/conversations. */
export function filterQuery(filters) {
  return {
    status: filters.status,
    label: filters.label,
    priority: filters.priority,
    assignedTo: filters.assignedTo,
    archived: filters.archived ? "true" : "false",
    escalated: filters.escalated ? "true" : "",
  };
}
