// Support's notices of conversations escalated while the page was open (the `escalated`
// event): above the inbox, each with "Open" and a way to put it aside. The announcer
// says each once; these stay until seen to, for whoever was looking elsewhere.

import { byId, h, replaceChildren } from "../dom.js";
import { localize } from "../i18n.js";
import { conversationTitle } from "../store/conversations.js";
import { escalationOf, escalationReasonKey } from "../store/escalation.js";

export class EscalationNoticesView {
  constructor(store, dispatch) {
    this.dispatch = dispatch;
    this.section = byId("escalation-notices");
    this.shown = null;
    store.subscribe((state) => this.render(state));
  }

  render(state) {
    const notices = state.me && !state.search ? state.escalationNotices : [];
    const { t } = localize(state.language);
    const rows = notices
      .map(({ conversationId }) => state.conversations.get(conversationId))
      .filter((conversation) => escalationOf(conversation))
      .map((conversation) => ({
        conversationId: conversation.conversationId,
        subject: conversationTitle(conversation, t),
        reason: escalationOf(conversation).reason,
        reasonText: t(escalationReasonKey(escalationOf(conversation))),
      }));
    // Rebuild only when something shown changed (a rebuild would move the focus).
    const key = JSON.stringify([state.language, rows]);
    if (key === this.shown) return;
    this.shown = key;
    const focused = document.activeElement && this.section.contains(document.activeElement) ? document.activeElement : null;
    this.section.hidden = rows.length === 0;
    if (rows.length === 0) {
      replaceChildren(this.section);
      // The focus was on a notice that is gone: the list of conversations is where to go on.
      if (focused) byId("conversation-list").querySelector("button")?.focus();
      return;
    }
    replaceChildren(
      this.section,
      h("h3", { id: "escalation-notices-title", class: "visually-hidden" }, t("escalation.notices")),
      h(
        "ul",
        { class: "escalation-notice-list" },
        rows.map(({ conversationId, subject, reason, reasonText }) =>
          h(
            "li",
            { class: "escalation-notice", "data-testid": "escalation-notice", "data-conversation-id": conversationId, "data-reason": reason },
            h("span", { class: "escalation-flag", "aria-hidden": "true" }, "⚑"),
            h("span", { class: "escalation-notice-text" }, t("escalation.notice", { subject, reason: reasonText })),
            h(
              "button",
              {
                type: "button",
                class: "small",
                "data-testid": "escalation-notice-open",
                onclick: () => this.dispatch({ type: "conversation.open", conversationId }),
              },
              t("escalation.open"),
            ),
            h(
              "button",
              {
                type: "button",
                class: "chip-remove",
                "data-testid": "escalation-notice-dismiss",
                "aria-label": t("escalation.dismiss", { subject }),
                title: t("escalation.dismiss", { subject }),
                onclick: () => this.dispatch({ type: "escalation.dismiss", conversationId }),
              },
              h("span", { "aria-hidden": "true" }, "×"),
            ),
          ),
        ),
      ),
    );
  }
}
