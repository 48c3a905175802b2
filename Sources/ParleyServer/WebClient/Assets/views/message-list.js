// The open thread's messages: kept in seq order, each once, updated in place; our own
// pending messages until stored, with "sending", "sent", "seen" and "retry"; older
// pages on request. Automatic answers are marked as such, and their buyer is asked
// whether they helped. Messages carry a small sentiment mark for those the server sends
// it to (sellers, support, service), a note where contact details were masked, and for
// support and service a toggle showing the original text. Photos and files show as a
// thumbnail or a card above their caption (message-attachment.js).

import { byId, h, replaceChildren } from "../dom.js";
import { localize } from "../i18n.js";
import { isAutomaticAnswer } from "../store/assist.js";
import { attachmentOf } from "../store/attachments.js";
import { encryptedView } from "../store/e2ee.js";
import { hasOriginal, maskedKinds, sentimentOf } from "../store/escalation.js";
import { displayName } from "../store/state.js";
import { readersOf, sortedMessages, threadOrEmpty } from "../store/threads.js";
import { FocusTarget } from "./focus-target.js";
import { attachmentNode } from "./message-attachment.js";

/** Pixels from the bottom that still count as "at the bottom" (new messages scroll into view). */
const NEAR_BOTTOM_PX = 80;
/** How long a message found by search stays marked. */
const FOUND_MARK_MS = 4000;

export class MessageListView {
  constructor(store, dispatch) {
    this.dispatch = dispatch;
    this.scroller = byId("message-scroller");
    this.loadOlderButton = byId("load-older");
    this.notice = byId("thread-notice");
    this.list = byId("messages");
    this.loadOlderButton.addEventListener("click", () => dispatch({ type: "thread.older" }));
    this.elements = new Map(); // key -> <li>
    // messageId -> {language, node}: an attachment's node outlives its message's re-renders
    // (a loaded image is not asked for again).
    this.attachmentNodes = new Map();
    this.renderedFor = null;
    this.focusTarget = new FocusTarget("message");
    store.subscribe((state) => this.render(state));
  }

  render(state) {
    const id = state.openId;
    if (!state.me || !id || !state.conversations.has(id)) {
      this.renderedFor = null;
      return;
    }
    if (this.renderedFor !== id) {
      this.renderedFor = id;
      this.elements.clear();
      this.attachmentNodes.clear();
      this.list.textContent = "";
      this.stickToBottom = true;
    }
    const l10n = localize(state.language);
    const { t } = l10n;
    const entry = threadOrEmpty(state, id);
    const firstBefore = this.list.firstElementChild;
    const fromBottom = this.scroller.scrollHeight - this.scroller.scrollTop;
    let wasAtBottom = this.stickToBottom || this.isNearBottom();
    this.stickToBottom = false;

    this.loadOlderButton.hidden = !entry.hasOlder;
    this.loadOlderButton.disabled = entry.loading;
    this.loadOlderButton.textContent = t("thread.loadOlder");
    if (entry.error) this.notice.textContent = t("thread.loadFailed", { message: entry.error });
    else if (entry.loaded && entry.byId.size === 0 && entry.pending.size === 0) this.notice.textContent = t("thread.start");
    else this.notice.textContent = "";

    const wanted = [];
    for (const message of sortedMessages(entry)) {
      const key = `m:${message.messageId}`;
      if (!this.elements.has(key) && message.clientMessageId && this.elements.has(`p:${message.clientMessageId}`)) {
        // Our pending message was stored: keep its element, now keyed by its id.
        this.elements.set(key, this.elements.get(`p:${message.clientMessageId}`));
        this.elements.delete(`p:${message.clientMessageId}`);
      }
      wanted.push([key, { stored: message }]);
    }
    for (const pending of entry.pending.values()) wanted.push([`p:${pending.clientMessageId}`, { pending }]);

    const keep = new Set(wanted.map(([key]) => key));
    for (const [key, element] of this.elements) {
      if (!keep.has(key)) {
        element.remove();
        this.elements.delete(key);
      }
    }
    let previous = null;
    for (const [key, item] of wanted) {
      let element = this.elements.get(key);
      if (!element) {
        element = h("li", { "data-testid": "message", tabindex: "-1" });
        this.elements.set(key, element);
        // Something we just sent: show it, wherever the list was scrolled.
        if (item.pending) wasAtBottom = true;
      }
      this.fillMessage(element, item, entry, state, l10n);
      const expectedNext = previous ? previous.nextSibling : this.list.firstChild;
      if (element !== expectedNext) this.list.insertBefore(element, expectedNext);
      previous = element;
    }
    if (wasAtBottom) {
      this.scroller.scrollTop = this.scroller.scrollHeight;
    } else if (firstBefore && firstBefore.isConnected && this.list.firstElementChild !== firstBefore) {
      // Older messages came in above: keep the ones being read where they were.
      this.scroller.scrollTop = this.scroller.scrollHeight - fromBottom;
    }
    const request = this.focusTarget.take(state);
    if (request && request.conversationId === id) this.revealMessage(request.seq);
  }

  isNearBottom() {
    return this.scroller.scrollHeight - this.scroller.scrollTop - this.scroller.clientHeight < NEAR_BOTTOM_PX;
  }

  /** Scrolls to a message and marks it briefly (after a search). */
  revealMessage(seq) {
    const element = this.list.querySelector(`[data-seq="${seq}"]`);
    if (!element) return;
    element.classList.add("found");
    element.scrollIntoView({ block: "center" });
    element.focus({ preventScroll: true });
    setTimeout(() => element.classList.remove("found"), FOUND_MARK_MS);
  }

  fillMessage(element, { stored, pending }, entry, state, l10n) {
    const { t, formatTime, formatFullTime } = l10n;
    const me = state.me.userId;
    const mine = stored ? stored.senderId === me : true;
    const system = stored && stored.type === "system";
    const auto = stored && isAutomaticAnswer(stored);
    // An end-to-end encrypted message shows its text once decrypted here (signature checked first).
    const encrypted = stored && stored.encrypted ? encryptedView(state, stored) : null;
    const signature = stored
      ? JSON.stringify([
          state.language, stored.messageId, stored.content, readersOf(state, entry, stored.seq), state.feedback.get(stored.messageId) || "",
          stored.sentiment || null, stored.masked || null, stored.originalContent ?? null, state.revealed.has(stored.messageId), encrypted,
        ])
      : `${state.language}|${pending.clientMessageId}|${pending.state}`;
    if (element.parleySignature === signature) return;
    element.parleySignature = signature;
    // The toggle is built anew below: keep the focus on it for keyboard users.
    const refocus = element.contains(document.activeElement) ? document.activeElement.dataset.testid : null;

    element.className = `message ${system ? "system" : mine ? "mine" : "theirs"}${auto ? " auto" : ""}${pending ? ` pending ${pending.state}` : ""}`;
    const senderId = stored ? stored.senderId : me;
    element.dataset.senderId = senderId;
    if (stored) {
      element.dataset.messageId = stored.messageId;
      element.dataset.seq = String(stored.seq);
    } else {
      delete element.dataset.messageId;
      delete element.dataset.seq;
    }
    const clientId = stored ? stored.clientMessageId : pending.clientMessageId;
    if (clientId) element.dataset.clientMessageId = clientId;

    const timestamp = stored ? stored.timestamp : pending.timestamp;
    const children = [];
    if (auto) {
      element.dataset.auto = "true";
      children.push(
        h(
          "span",
          { class: "sender" },
          t("auto.sender"),
          " ",
          h("span", { class: "auto-label", "data-testid": "auto-label" }, t("auto.label")),
        ),
      );
    } else {
      delete element.dataset.auto;
      children.push(
        h("span", { class: mine && !system ? "sender visually-hidden" : "sender" }, mine ? t("app.you") : displayName(state, senderId)),
      );
    }
    const attachment = stored ? attachmentOf(stored) : null;
    if (attachment) {
      element.dataset.attachmentId = attachment.attachmentId;
      children.push(this.attachmentFor(stored, attachment, state, l10n));
    } else {
      delete element.dataset.attachmentId;
    }
    // Only a participant who received a message may report it.
    const canReport = !mine && (state.me.role === "buyer" || state.me.role === "seller");
    const report = canReport ? () => this.dispatch({ type: "e2ee.report", conversationId: stored.conversationId, messageId: stored.messageId }) : null;
    if (encrypted) children.push(encryptedNode(encrypted, t, report));
    else children.push(contentNode(stored ? stored : { type: "text", content: pending.content }, Boolean(attachment)));
    if (stored && Array.isArray(stored.masked) && stored.masked.length > 0) children.push(this.maskedNode(stored, state, l10n));
    const meta = [h("time", { datetime: timestamp, title: formatFullTime(timestamp) }, formatTime(timestamp))];
    const sentiment = stored && !mine ? sentimentOf(stored) : null;
    if (sentiment) meta.unshift(sentimentNode(sentiment, l10n));
    if (stored && stored.templateId && state.me.role !== "buyer") meta.unshift(h("span", { class: "template-mark" }, t("template.sentBy")));
    if (mine && !system) meta.push(this.statusNode(stored, pending, entry, state, t));
    children.push(h("span", { class: "meta" }, meta));
    if (auto && state.me.role === "buyer") children.push(this.feedbackNode(stored, state, t));
    replaceChildren(element, children);
    if (refocus) element.querySelector(`[data-testid="${refocus}"]`)?.focus();
  }

  attachmentFor(message, attachment, state, l10n) {
    const kept = this.attachmentNodes.get(message.messageId);
    // The caption is the image's alt text: a new caption (masking) builds it anew.
    const key = `${state.language}|${message.content}`;
    if (kept && kept.key === key) return kept.node;
    const node = attachmentNode(message, attachment, l10n, state.language, this.dispatch);
    this.attachmentNodes.set(message.messageId, { key, node });
    return node;
  }

  /**
   * "Contact details hidden (phone)" under a masked message, for everyone in the
   * conversation; for support and service, who get the original, a button showing it.
   */
  maskedNode(message, state, { t }) {
    const kinds = maskedKinds(message);
    const note = h(
      "p",
      { class: "masked-note", "data-testid": "masked-note", "data-kinds": kinds.join(" "), title: t("masked.why") },
      h("span", { class: "masked-icon", "aria-hidden": "true" }, "⊘"),
      " ",
      kinds.length ? t("masked.note", { kinds: kinds.map((kind) => t(`masked.${kind}`)).join(", ") }) : t("masked.noteGeneric"),
    );
    if (!hasOriginal(message)) return note;
    const revealed = state.revealed.has(message.messageId);
    const originalId = `original-${message.messageId}`;
    note.append(
      " ",
      h(
        "button",
        {
          type: "button",
          class: "link-button",
          "data-testid": "reveal-original",
          "aria-expanded": revealed ? "true" : "false",
          "aria-controls": originalId,
          onclick: () => this.dispatch({ type: "message.toggleOriginal", messageId: message.messageId }),
        },
        t(revealed ? "masked.hide" : "masked.show"),
      ),
    );
    return h(
      "div",
      { class: "masked" },
      note,
      h(
        "p",
        { id: originalId, class: "original", "data-testid": "original-text", hidden: !revealed },
        h("span", { class: "original-label" }, t("masked.original")),
        " ",
        h("span", { "data-testid": "original-content" }, message.originalContent),
      ),
    );
  }

  /** "Did this help?" under an automatic answer, for its buyer: asked once, then thanked. */
  feedbackNode(message, state, t) {
    const verdict = state.feedback.get(message.messageId);
    if (verdict === "helpful" || verdict === "unhelpful") {
      return h(
        "p",
        { class: "auto-feedback done", "data-testid": "auto-feedback-done", "data-verdict": verdict },
        t(verdict === "helpful" ? "auto.thanks" : "auto.handedOver"),
      );
    }
    const questionId = `auto-question-${message.messageId}`;
    const answer = (helpful) =>
      h(
        "button",
        {
          type: "button",
          class: "secondary small",
          "data-testid": helpful ? "auto-helpful" : "auto-unhelpful",
          disabled: verdict === "sending",
          onclick: () => this.dispatch({ type: "auto.feedback", messageId: message.messageId, helpful }),
        },
        t(helpful ? "auto.helpful" : "auto.unhelpful"),
      );
    return h(
      "div",
      { class: "auto-feedback", role: "group", "aria-labelledby": questionId, "data-testid": "auto-feedback" },
      h("span", { id: questionId }, t("auto.question")),
      answer(true),
      answer(false),
    );
  }

  statusNode(stored, pending, entry, state, t) {
    let stateName;
    let text;
    let label;
    if (pending) {
      stateName = pending.state === "failed" ? "failed" : "sending";
      text = pending.state === "failed" ? `⚠ ${t("message.failed")}` : `○ ${t("message.sending")}`;
      label = pending.state === "failed" ? t("message.failed") : t("message.sending");
    } else {
      const readers = readersOf(state, entry, stored.seq);
      if (readers.length > 0) {
        stateName = "seen";
        text = `✓✓ ${t("message.seen")}`;
        label = t("message.seenBy", { names: readers.map((userId) => displayName(state, userId)).join(", ") });
      } else {
        stateName = "sent";
        text = `✓ ${t("message.sent")}`;
        label = t("message.sent");
      }
    }
    const node = h(
      "span",
      { class: `status status-${stateName}`, "data-testid": "message-status", "data-state": stateName, title: label },
      h("span", { "aria-hidden": "true" }, text),
      h("span", { class: "visually-hidden" }, label),
    );
    if (pending && pending.state === "failed") {
      node.append(
        " ",
        h(
          "button",
          {
            type: "button",
            class: "link-button",
            "data-testid": "retry",
            onclick: () => this.dispatch({ type: "message.retry", clientMessageId: pending.clientMessageId }),
          },
          t("message.retry"),
        ),
      );
    }
    return node;
  }
}

/**
 * The sentiment of someone else's message: a shape and a colour (▼ negative, ● neutral,
 * ▲ positive), named for screen readers and explained on hover.
 */
function sentimentNode({ label, score }, { t, formatScore }) {
  const text = t("sentiment.label", { label: t(`sentiment.${label}`), score: formatScore(score) });
  const shape = { negative: "▼", neutral: "●", positive: "▲" }[label];
  return h(
    "span",
    {
      class: `sentiment sentiment-${label}`,
      role: "img",
      "aria-label": text,
      title: text,
      "data-testid": "sentiment",
      "data-label": label,
      "data-score": String(score),
    },
    shape,
  );
}

/**
 * The body of an end-to-end encrypted message: its text once decrypted (with a warning
 * when its device's key changed since first seen), else why it cannot be shown yet.
 */
function encryptedNode(view, t, report) {
  const common = { "data-testid": "message-text", "data-e2ee": view.state, "data-e2ee-reason": view.reason || null };
  if (view.state === "ok") {
    return [
      h("p", { class: "text", ...common }, view.content),
      view.changedKey ? h("p", { class: "e2ee-message-warning", "data-testid": "e2ee-message-warning" }, t("e2ee.changedMessage")) : null,
      report && view.reportable ? reportNode(view.report, report, t) : null,
    ];
  }
  if (view.state === "waiting") {
    return h("p", { class: "text e2ee-pending", ...common }, t(view.reason === "no_key" ? "e2ee.noKey" : "e2ee.decrypting"));
  }
  return h("p", { class: "text e2ee-failed", ...common }, t("e2ee.failed", { reason: t(`e2ee.reason.${view.reason}`) }));
}

/** "Report to support" under someone else's encrypted message (its text is proven by its franking). */
function reportNode(reportState, report, t) {
  if (reportState === "sent") return h("p", { class: "e2ee-report done", "data-testid": "e2ee-reported" }, t("e2ee.reported"));
  return h(
    "p",
    { class: "e2ee-report" },
    h(
      "button",
      { type: "button", class: "link-button", "data-testid": "e2ee-report", disabled: reportState === "sending", onclick: report },
      t("e2ee.report"),
    ),
    reportState === "failed" ? [" ", h("span", { class: "e2ee-failed" }, t("e2ee.reportFailedShort"))] : null,
  );
}

/**
 * A message body: plain text (line breaks kept by CSS); under an attachment its caption
 * (empty when there is none); for images and files sent as a link, the link.
 */
function contentNode(message, captionOnly = false) {
  const text = String(message.content);
  if (captionOnly) return h("p", { class: text.trim() ? "text caption" : "text caption empty", "data-testid": "message-text" }, text);
  if ((message.type === "image" || message.type === "file") && /^https?:\/\//i.test(text)) {
    return h(
      "p",
      { class: "text", "data-testid": "message-text" },
      h("a", { href: text, target: "_blank", rel: "noopener noreferrer" }, message.type === "image" ? `🖼 ${text}` : `📎 ${text}`),
    );
  }
  return h("p", { class: "text", "data-testid": "message-text" }, text);
}
