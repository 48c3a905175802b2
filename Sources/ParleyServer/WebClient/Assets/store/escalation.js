// Escalation to a person, sentiment and contact masking as the page sees them
// (CONTRACT.md "Sentiment, escalation, contact masking"): functions of the state and of
// what the server sent. The server decides who gets what (a message carries `sentiment`
// and `originalContent` only for those allowed to see them); these functions only say
// what to show.

/** The contract's reasons for escalating; anything else is shown as the generic reason. */
export const ESCALATION_REASONS = ["negative_sentiment", "asked_for_human", "unhelpful_answer"];

/** The contract's sentiment labels. */
export const SENTIMENT_LABELS = ["negative", "neutral", "positive"];

/** The contract's kinds of masked contact details. */
export const MASKED_KINDS = ["phone", "email", "link", "handle"];

/** Escalation notices kept at once (older ones are dropped; each one's conversation stays marked in the list). */
export const MAX_ESCALATION_NOTICES = 3;

/** A conversation's `metadata.escalation` ({at, reason, messageId}), or null when it was never escalated. */
export function escalationOf(conversation) {
  const escalation = conversation && conversation.metadata && conversation.metadata.escalation;
  return escalation && escalation.reason ? escalation : null;
}

/** The i18n key of an escalation's reason in plain words. */
export function escalationReasonKey(escalation) {
  const reason = ESCALATION_REASONS.includes(escalation.reason) ? escalation.reason : "other";
  return `escalation.reason.${reason}`;
}

/** Whether this user is shown that conversations were escalated (sellers, support, service; buyers are not). */
export function showsEscalation(state) {
  return Boolean(state.me) && state.me.role !== "buyer";
}

/** Whether this user has the "escalated only" view of the inbox (support and service see every conversation). */
export function hasEscalatedView(state) {
  return Boolean(state.me) && (state.me.role === "support" || state.me.role === "service");
}

/** A message's sentiment when the server sent one that can be shown, else null. */
export function sentimentOf(message) {
  const sentiment = message && message.sentiment;
  if (!sentiment || !SENTIMENT_LABELS.includes(sentiment.label)) return null;
  const score = Number(sentiment.score);
  return { label: sentiment.label, score: Number.isFinite(score) ? Math.max(-1, Math.min(1, score)) : 0 };
}

/** The kinds of contact details masked in a message (known kinds, each once, in the contract's order). */
export function maskedKinds(message) {
  const masked = (message && Array.isArray(message.masked) && message.masked) || [];
  return MASKED_KINDS.filter((kind) => masked.includes(kind));
}

/** Whether a message carries its text from before masking (support and service only). */
export function hasOriginal(message) {
  return Boolean(message) && typeof message.originalContent === "string" && message.originalContent !== message.content;
}

/**
 * Keeps what an older copy of a message knew that a newer copy lacks: the same message
 * may arrive by ack, live, by replay and by REST, and a copy made before the sentiment
 * was scored must not take the mark away.
 */
export function keepAnnotations(previous, message) {
  if (!previous) return message;
  let kept = message;
  if (previous.sentiment && !message.sentiment) kept = { ...kept, sentiment: previous.sentiment };
  if (previous.originalContent && message.originalContent === undefined) kept = { ...kept, originalContent: previous.originalContent };
  return kept;
}

/** Adds an escalation notice (once per conversation), newest first, at most MAX_ESCALATION_NOTICES. */
export function addEscalationNotice(state, conversation) {
  const escalation = escalationOf(conversation);
  if (!escalation) return false;
  if (state.escalationNotices.some((notice) => notice.conversationId === conversation.conversationId)) return false;
  state.escalationNotices = [{ conversationId: conversation.conversationId, at: escalation.at }, ...state.escalationNotices].slice(
    0,
    MAX_ESCALATION_NOTICES,
  );
  return true;
}
