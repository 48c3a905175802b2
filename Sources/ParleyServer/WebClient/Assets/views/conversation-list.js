// The list of conversations (newest activity first, unread counts, and for sellers and
// support whether it was escalated to a person, status, priority, labels and assignee),
// with "load more".

import { byId, h, replaceChildren } from "../dom.js";
import { localize } from "../i18n.js";
import { messageSummary } from "../store/attachments.js";
import { lockIcon } from "./lock-icon.js";
import { conversationTitle, inboxConversations, otherParticipants } from "../store/conversations.js";
import { escalationOf, escalationReasonKey, showsEscalation } from "../store/escalation.js";
import { displayName, isDesk } from "../store/state.js";
import { FocusTarget } from "./focus-target.js";

/** Characters of the last message shown under a conversation's title. */
const PREVIEW_CHARACTERS = 90;

export class ConversationListView {
  constructor(store, dispatch) {
    this.dispatch = dispatch;
    this.list = byId("conversation-list");
    this.status = byId("inbox-status");
    this.loadMoreButton = byId("load-more");
    this.loadMoreButton.addEventListener("click", () => dispatch({ type: "inbox.more" }));
    // Items are kept by conversation id and updated in place, so the element a person
    // (or a screen reader) is on stays the same element.
    this.items = new Map();
    this.focusTarget = new FocusTarget("conversation");
    store.subscribe((state) => this.render(state));
  }

  render(state) {
    if (!state.me) return;
    if (state.search) {
      this.list.hidden = true;
      this.loadMoreButton.hidden = true;
      return;
    }
    this.list.hidden = false;
    const focusedId =
      document.activeElement && this.list.contains(document.activeElement) ? document.activeElement.dataset.conversationId : null;
    const l10n = localize(state.language);
    const { t } = l10n;
    const conversations = inboxConversations(state);
    const wanted = new Set(conversations.map((c) => c.conversationId));
    for (const [id, li] of this.items) {
      if (!wanted.has(id)) {
        li.remove();
        this.items.delete(id);
      }
    }
    let previous = null;
    for (const conversation of conversations) {
      let li = this.items.get(conversation.conversationId);
      if (!li) {
        li = h(
          "li",
          {},
          h("button", {
            type: "button",
            "data-testid": "conversation-item",
            "data-conversation-id": conversation.conversationId,
            onclick: () => this.dispatch({ type: "conversation.open", conversationId: conversation.conversationId }),
          }),
        );
        this.items.set(conversation.conversationId, li);
      }
      this.fillConversation(li.firstChild, conversation, state, l10n);
      const expected = previous ? previous.nextSibling : this.list.firstChild;
      if (li !== expected) this.list.insertBefore(li, expected);
      previous = li;
    }
    if (state.inbox.error) {
      this.status.textContent = t("inbox.loadFailed", { message: state.inbox.error });
    } else if (state.inbox.loadedOnce && conversations.length === 0) {
      this.status.textContent = t(state.filters.escalated ? "inbox.noEscalated" : "inbox.empty");
    } else {
      this.status.textContent = "";
    }
    this.loadMoreButton.hidden = !state.inbox.nextCursor;
    this.loadMoreButton.disabled = state.inbox.loading;
    if (focusedId && document.activeElement === document.body) {
      this.items.get(focusedId)?.firstChild.focus();
    }
    const request = this.focusTarget.take(state);
    if (request) this.items.get(request.conversationId)?.firstChild.focus();
  }

  fillConversation(button, conversation, state, { t, formatRelative, formatFullTime }) {
    const metadata = conversation.metadata || {};
    const desk = isDesk(state);
    const others = otherParticipants(state, conversation).map((p) => displayName(state, p.userId));
    const last = conversation.lastMessage;
    const unread = conversation.unreadCount || 0;
    const context = [];
    if (conversation.orderId) context.push(t("thread.order", { id: conversation.orderId }));
    else if (conversation.productId) context.push(t("thread.product", { id: conversation.productId }));
    if (others.length) context.push(others.join(", "));
    const anyOtherOnline = otherParticipants(state, conversation).some((p) => state.presence.get(p.userId)?.state === "online");
    const current = state.openId === conversation.conversationId;
    // An encrypted last message reads as its text once this browser decrypted it.
    const decrypted = last && last.encrypted ? state.e2ee.plaintexts.get(last.messageId)?.content : undefined;
    const signature = JSON.stringify([
      state.language, conversation, others, anyOtherOnline, current, desk, last ? formatRelative(last.timestamp) : "", decrypted ?? null,
    ]);
    if (button.parleySignature === signature) return;
    button.parleySignature = signature;

    const badges = [];
    const escalation = showsEscalation(state) ? escalationOf(conversation) : null;
    if (escalation) {
      const reason = t(escalationReasonKey(escalation));
      badges.push(
        h(
          "span",
          { class: "badge escalated", "data-testid": "conversation-escalated", "data-reason": escalation.reason, title: reason },
          h("span", { "aria-hidden": "true" }, "⚑ "),
          t("escalation.badge"),
          h("span", { class: "visually-hidden" }, `: ${reason}`),
        ),
      );
    }
    if (desk) {
      badges.push(h("span", { class: `badge status-${conversation.status}`, "data-testid": "conversation-status" }, t(`status.${conversation.status}`)));
      if (metadata.priority === "high") {
        badges.push(h("span", { class: "badge priority-high" }, t("priority.badge", { p: t("priority.high") })));
      }
      for (const label of metadata.labels || []) badges.push(h("span", { class: "badge label", "data-testid": "conversation-label" }, label));
      if (metadata.assignedTo) {
        badges.push(h("span", { class: "badge assignee" }, t("inbox.assignedBadge", { name: displayName(state, metadata.assignedTo) })));
      }
    }
    if (conversation.archived) badges.push(h("span", { class: "badge archived" }, t("inbox.archivedBadge")));
    if (conversation.encrypted) {
      badges.push(
        h(
          "span",
          { class: "badge encrypted", "data-testid": "conversation-encrypted", title: t("e2ee.lock") },
          lockIcon(),
          h("span", { class: "visually-hidden" }, t("e2ee.lock")),
        ),
      );
    }

    button.className = `conversation${unread > 0 ? " has-unread" : ""}${escalation ? " escalated" : ""}`;
    if (conversation.orderId) button.dataset.orderId = conversation.orderId;
    else delete button.dataset.orderId;
    if (conversation.productId) button.dataset.productId = conversation.productId;
    else delete button.dataset.productId;
    if (current) button.setAttribute("aria-current", "true");
    else button.removeAttribute("aria-current");
    replaceChildren(
      button,
      h(
        "span",
        { class: "conversation-top" },
        h("span", { class: `presence-dot${anyOtherOnline ? " online" : ""}`, "aria-hidden": "true" }),
        h("span", { class: "conversation-title", "data-testid": "conversation-title" }, conversationTitle(conversation, t)),
        last ? h("time", { class: "conversation-time", datetime: last.timestamp, title: formatFullTime(last.timestamp) }, formatRelative(last.timestamp)) : null,
      ),
      h("span", { class: "conversation-context" }, context.join(" · ")),
      h(
        "span",
        { class: "conversation-bottom" },
        h(
          "span",
          { class: "conversation-preview" },
          last
            ? `${last.senderId === state.me.userId ? t("app.you") : displayName(state, last.senderId)}: ${preview(decrypted ?? messageSummary(last, t))}`
            : t("inbox.noMessages"),
        ),
        unread > 0
          ? h(
              "span",
              { class: "unread", "data-testid": "unread-count", title: t("inbox.unread", { n: unread }) },
              h("span", { "aria-hidden": "true", "data-testid": "unread-number" }, String(unread)),
              h("span", { class: "visually-hidden" }, t("inbox.unread", { n: unread })),
            )
          : null,
      ),
      badges.length ? h("span", { class: "badges" }, badges) : null,
    );
  }
}

function preview(text) {
  const line = String(text).replace(/\s+/g, " ").trim();
  return line.length > PREVIEW_CHARACTERS ? `${line.slice(0, PREVIEW_CHARACTERS - 1)}…` : line;
}
