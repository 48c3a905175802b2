// The open conversation's head: "back" (phone width), its title, what it is about,
// with whom, whether they are online or when they were last seen, and for sellers and
// support when and why it was escalated to a person.

import { byId, h, replaceChildren } from "../dom.js";
import { localize } from "../i18n.js";
import { conversationTitle, otherParticipants } from "../store/conversations.js";
import { escalationOf, escalationReasonKey, showsEscalation } from "../store/escalation.js";
import { displayName } from "../store/state.js";
import { threadOrEmpty } from "../store/threads.js";
import { FocusTarget } from "./focus-target.js";

export class ThreadHeaderView {
  constructor(store, dispatch) {
    this.dispatch = dispatch;
    this.title = byId("thread-title");
    this.escalation = byId("thread-escalation");
    this.escalationShown = null;
    this.context = byId("thread-context");
    this.presence = byId("presence");
    byId("back-button").addEventListener("click", () => dispatch({ type: "thread.close" }));
    this.focusTarget = new FocusTarget("thread-title");
    store.subscribe((state) => this.render(state));
  }

  render(state) {
    const conversation = state.openId ? state.conversations.get(state.openId) : null;
    if (!state.me || !conversation) return;
    const l10n = localize(state.language);
    const { t } = l10n;
    this.title.textContent = conversationTitle(conversation, t);
    const parts = [];
    if (conversation.orderId) parts.push(t("thread.order", { id: conversation.orderId }));
    else if (conversation.productId) parts.push(t("thread.product", { id: conversation.productId }));
    const others = otherParticipants(state, conversation);
    if (others.length) parts.push(t("thread.with", { names: others.map((p) => displayName(state, p.userId)).join(", ") }));
    this.context.textContent = parts.join(" · ");
    this.renderPresence(state, others, l10n);
    this.renderEscalation(state, conversation, l10n);
    if (this.focusTarget.take(state)) this.title.focus();
  }

  /** "⚑ Escalated to a person · 13:28 — the buyer asked to talk to a person  Show the message". */
  renderEscalation(state, conversation, { t, formatTime, formatFullTime }) {
    const escalation = showsEscalation(state) ? escalationOf(conversation) : null;
    const message = escalation && escalation.messageId ? threadOrEmpty(state, conversation.conversationId).byId.get(escalation.messageId) : null;
    const key = escalation
      ? JSON.stringify([state.language, conversation.conversationId, escalation, formatTime(escalation.at), message ? message.seq : null])
      : null;
    if (key === this.escalationShown) return;
    this.escalationShown = key;
    this.escalation.hidden = !escalation;
    if (!escalation) {
      replaceChildren(this.escalation);
      delete this.escalation.dataset.reason;
      return;
    }
    this.escalation.dataset.reason = escalation.reason;
    replaceChildren(
      this.escalation,
      h("span", { class: "escalation-flag", "aria-hidden": "true" }, "⚑"),
      " ",
      h("strong", {}, t("escalation.title")),
      " · ",
      h("time", { datetime: escalation.at, title: formatFullTime(escalation.at), "data-testid": "escalation-time" }, formatTime(escalation.at)),
      " — ",
      h("span", { "data-testid": "escalation-reason" }, t(escalationReasonKey(escalation))),
      message
        ? [
            " ",
            h(
              "button",
              {
                type: "button",
                class: "link-button",
                "data-testid": "escalation-message",
                onclick: () =>
                  this.dispatch({ type: "conversation.open", conversationId: conversation.conversationId, focusSeq: message.seq }),
              },
              t("escalation.showMessage"),
            ),
          ]
        : null,
    );
  }

  renderPresence(state, others, { t, formatRelative, formatFullTime }) {
    const lines = others.map((participant) => {
      const known = state.presence.get(participant.userId);
      const online = known && known.state === "online";
      const lastSeen = (known && known.lastSeen) || participant.lastSeen;
      let text;
      if (online) text = t("presence.online");
      else if (lastSeen) text = t("presence.lastSeen", { time: formatRelative(lastSeen) });
      else text = t("presence.offline");
      return h(
        "span",
        {
          class: `presence${online ? " online" : ""}`,
          "data-testid": "presence-item",
          "data-user-id": participant.userId,
          "data-state": online ? "online" : "offline",
          title: lastSeen && !online ? formatFullTime(lastSeen) : null,
        },
        h("span", { class: "presence-dot", "aria-hidden": "true" }),
        others.length > 1 ? `${displayName(state, participant.userId)}: ${text}` : text,
      );
    });
    replaceChildren(this.presence, lines);
  }
}
