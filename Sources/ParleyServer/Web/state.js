// What the page knows: conversations, the messages of opened threads, read positions,
// presence and typing. Merging is idempotent: the same message may arrive by REST, by
// ack, live and by replay, and is kept once (by messageId; a pending message of ours
// is matched by its clientMessageId).

export const state = {
  me: null, // {userId, name, role}
  dev: false,
  users: new Map(), // userId -> {name, role}, from /dev/users and what we learn
  conversations: new Map(), // conversationId -> Conversation (as the API returns it)
  inbox: { loading: false, error: null, nextCursor: null, loadedOnce: false },
  filters: { status: "", label: "", priority: "", assignedTo: "", archived: false },
  knownLabels: new Set(),
  search: null, // {q, loading, error, results: [], nextCursor}
  openId: null,
  threads: new Map(), // conversationId -> Thread
  presence: new Map(), // userId -> {state: "online"|"offline", lastSeen: iso|null}
  typing: new Map(), // conversationId -> Map(userId -> timer)
  connection: "connecting",
  lastReadSent: new Map(), // conversationId -> seq
};

export function displayName(userId) {
  if (state.me && userId === state.me.userId) return state.me.name;
  const user = state.users.get(userId);
  return user && user.name ? user.name : userId;
}

// Conversations

export function conversationTitle(conversation, t) {
  if (conversation.subject) return conversation.subject;
  if (conversation.orderId) return t("thread.order", { id: conversation.orderId });
  if (conversation.productId) return t("thread.product", { id: conversation.productId });
  return t("thread.general");
}

export function otherParticipants(conversation) {
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
export function upsertConversation(incoming, { authoritative = false } = {}) {
  if (!incoming || !incoming.conversationId) return null;
  const existing = state.conversations.get(incoming.conversationId);
  let merged = { ...incoming };
  if (existing && !authoritative && lastSeqOf(existing) > lastSeqOf(incoming)) {
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
export function noteMessageInConversation(message, { countsAsUnread }) {
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

export function matchesFilters(conversation) {
  const f = state.filters;
  const metadata = conversation.metadata || {};
  if (Boolean(conversation.archived) !== Boolean(f.archived)) return false;
  if (f.status && conversation.status !== f.status) return false;
  if (f.priority && metadata.priority !== f.priority) return false;
  if (f.label && !(metadata.labels || []).includes(f.label)) return false;
  if (f.assignedTo === "none" && metadata.assignedTo) return false;
  if (f.assignedTo && f.assignedTo !== "none" && metadata.assignedTo !== f.assignedTo) return false;
  return true;
}

/** The inbox as shown: cached conversations that match the filters, newest activity first. */
export function inboxConversations() {
  return [...state.conversations.values()]
    .filter(matchesFilters)
    .sort((a, b) => activityTime(b) - activityTime(a) || (a.conversationId < b.conversationId ? -1 : 1));
}

/** The filters as query parameters of GET /api/conversations. */
export function filterQuery() {
  const f = state.filters;
  return {
    status: f.status,
    label: f.label,
    priority: f.priority,
    assignedTo: f.assignedTo,
    archived: f.archived ? "true" : "false",
  };
}

// Threads

export function thread(conversationId) {
  let entry = state.threads.get(conversationId);
  if (!entry) {
    entry = {
      conversationId,
      byId: new Map(), // messageId -> Message
      pending: new Map(), // clientMessageId -> {clientMessageId, content, state: "sending"|"failed", timestamp}
      readPositions: new Map(), // userId -> seq
      hasOlder: false,
      loaded: false,
      loading: false,
      stale: false,
      error: null,
    };
    state.threads.set(conversationId, entry);
  }
  return entry;
}

export function raiseReadPosition(entry, userId, seq) {
  if ((entry.readPositions.get(userId) || 0) < seq) entry.readPositions.set(userId, seq);
}

/** Adds (or updates) a stored message. Answers true when it was new. */
export function mergeMessage(message) {
  const entry = thread(message.conversationId);
  const known = entry.byId.has(message.messageId);
  const previous = entry.byId.get(message.messageId);
  // readBy only grows; keep the longer list if an older copy arrives later.
  if (previous && (previous.readBy || []).length > (message.readBy || []).length) {
    message = { ...message, readBy: previous.readBy };
  }
  entry.byId.set(message.messageId, message);
  if (message.clientMessageId && state.me && message.senderId === state.me.userId) {
    entry.pending.delete(message.clientMessageId);
  }
  for (const reader of message.readBy || []) raiseReadPosition(entry, reader, message.seq);
  // Sending moves the sender's own read position (contract).
  raiseReadPosition(entry, message.senderId, message.seq);
  return !known;
}

export function sortedMessages(entry) {
  return [...entry.byId.values()].sort((a, b) => a.seq - b.seq);
}

export function oldestSeq(entry) {
  let oldest = Infinity;
  for (const message of entry.byId.values()) oldest = Math.min(oldest, message.seq);
  return oldest === Infinity ? null : oldest;
}

export function newestSeq(entry) {
  let newest = 0;
  for (const message of entry.byId.values()) newest = Math.max(newest, message.seq);
  return newest;
}

/** Who other than me has read up to `seq`. */
export function readersOf(entry, seq) {
  const readers = [];
  for (const [userId, position] of entry.readPositions) {
    if (state.me && userId === state.me.userId) continue;
    if (position >= seq) readers.push(userId);
  }
  return readers;
}
