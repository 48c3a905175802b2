// The messages of opened threads and who has read how far: functions of the state.
// A stored message is kept once by messageId; a pending message of ours is matched to
// its stored copy by clientMessageId.

import { keepAnnotations } from "./escalation.js";

/** The thread of a conversation, made empty the first time it is asked for (actions only). */
export function thread(state, conversationId) {
  let entry = state.threads.get(conversationId);
  if (!entry) {
    entry = emptyThread(conversationId);
    state.threads.set(conversationId, entry);
  }
  return entry;
}

/** The thread of a conversation for reading (views): an empty one when none is kept yet. */
export function threadOrEmpty(state, conversationId) {
  return state.threads.get(conversationId) || emptyThread(conversationId);
}

function emptyThread(conversationId) {
  return {
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
}

export function raiseReadPosition(entry, userId, seq) {
  if ((entry.readPositions.get(userId) || 0) < seq) entry.readPositions.set(userId, seq);
}

/** Adds (or updates) a stored message. Answers true when it was new. */
export function mergeMessage(state, message) {
  const entry = thread(state, message.conversationId);
  const known = entry.byId.has(message.messageId);
  const previous = entry.byId.get(message.messageId);
  // readBy only grows; keep the longer list if an older copy arrives later.
  if (previous && (previous.readBy || []).length > (message.readBy || []).length) {
    message = { ...message, readBy: previous.readBy };
  }
  message = keepAnnotations(previous, message);
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
export function readersOf(state, entry, seq) {
  const readers = [];
  for (const [userId, position] of entry.readPositions) {
    if (state.me && userId === state.me.userId) continue;
    if (position >= seq) readers.push(userId);
  }
  return readers;
}
