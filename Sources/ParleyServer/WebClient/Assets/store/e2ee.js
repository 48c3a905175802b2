// End-to-end encryption as the page reads it: which conversations are encrypted, who
// takes part, and what to show for an encrypted message (its text once decrypted, or
// why it cannot be read).

/** Whether a conversation is end-to-end encrypted (the server sends `encrypted`). */
export function isEncrypted(conversation) {
  return Boolean(conversation && conversation.encrypted);
}

/** {epoch, floor, rekeyRequired} of an encrypted conversation (its `e2ee`), or {}. */
export function epochState(conversation) {
  return (conversation && conversation.e2ee) || {};
}

export function participantIds(conversation) {
  return (conversation.participants || []).map((participant) => participant.userId);
}

/**
 * What an encrypted message shows: {state: "ok", content, changedKey} once read,
 * {state: "waiting"} while there is no key yet or it is being decrypted, {state:
 * "failed", reason} when it cannot be read (a bad signature, an altered ciphertext).
 */
export function encryptedView(state, message) {
  const value = state.e2ee.plaintexts.get(message.messageId);
  if (!value) return { state: "waiting", reason: "decrypting" };
  if (value.content !== undefined) {
    return {
      state: "ok",
      content: value.content,
      changedKey: Boolean(value.changedKey),
      reportable: Boolean(value.franking),
      report: state.e2ee.reports.get(message.messageId) || null,
    };
  }
  if (value.error === "no_key") return { state: "waiting", reason: "no_key" };
  return { state: "failed", reason: value.error };
}
