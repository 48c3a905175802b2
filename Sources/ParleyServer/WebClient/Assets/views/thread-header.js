// The open conversation's head: "back" (phone width), its title, what it is about,
// with whom, and whether they are online or when they were last seen.

import { byId, h, replaceChildren } from "../dom.js";
import { localize } from "../i18n.js";
import { conversationTitle, otherParticipants } from "../store/conversations.js";
import { displayName } from "../store/state.js";
import { FocusTarget } from "./focus-target.js";

export class ThreadHeaderView {
  constructor(store, dispatch) {
    this.title = byId("thread-title");
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
    if (this.focusTarget.take(state)) this.title.focus();
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
