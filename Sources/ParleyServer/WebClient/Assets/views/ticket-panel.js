// The open conversation's support ticket: its state as the help desk keeps it
// (requested, open ZD-1234 with a link to the help desk's page, pending, solved, closed),
// changed live by `conversation.updated`, and for participants and support the way to
// request one, with an optional reason.

import { byId, h, replaceChildren } from "../dom.js";
import { localize } from "../i18n.js";

/** States after which a new ticket may be requested (the help desk is done with the old one). */
const FINISHED = new Set(["solved", "closed"]);

/** The help desk's link, when it is a web address (never `javascript:` or the like). */
function webLink(url) {
  if (typeof url !== "string") return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.href : null;
  } catch {
    return null;
  }
}

export class TicketPanelView {
  constructor(store, dispatch) {
    this.dispatch = dispatch;
    this.panel = byId("ticket");
    this.shown = null;
    store.subscribe((state) => this.render(state));
  }

  render(state) {
    const conversation = state.openId ? state.conversations.get(state.openId) : null;
    if (!state.me || !conversation) return;
    const ticket = (conversation.metadata || {}).ticket || null;
    const { me } = state;
    const canRequest =
      me.role === "support" || me.role === "service" || (conversation.participants || []).some((p) => p.userId === me.userId);
    const form = state.ticketForm && state.ticketForm.conversationId === conversation.conversationId ? state.ticketForm : null;
    const key = JSON.stringify([state.language, conversation.conversationId, ticket, canRequest, form]);
    if (key === this.shown) return;
    this.shown = key;
    const reasonDraft = document.getElementById("ticket-reason")?.value || "";
    const focusedId = document.activeElement && this.panel.contains(document.activeElement) ? document.activeElement.id : null;
    const { t } = localize(state.language);
    this.panel.hidden = !ticket && !canRequest;
    const active = ticket && !FINISHED.has(ticket.state);
    replaceChildren(
      this.panel,
      ticket ? this.stateLine(ticket, t) : null,
      canRequest && !active && !form
        ? h(
            "button",
            {
              type: "button",
              id: "ticket-request",
              class: "secondary",
              "data-testid": "ticket-request",
              onclick: () => this.dispatch({ type: "ticket.form", open: true }),
            },
            t(ticket ? "ticket.requestAgain" : "ticket.request"),
          )
        : null,
      form && !active ? this.form(form, reasonDraft, t) : null,
    );
    if (form && !form.sending && !focusedId) document.getElementById("ticket-reason")?.focus();
    else if (focusedId) document.getElementById(focusedId)?.focus();
  }

  stateLine(ticket, t) {
    const link = webLink(ticket.url);
    const id = ticket.ticketId
      ? link
        ? h(
            "a",
            {
              href: link,
              target: "_blank",
              rel: "noopener noreferrer",
              "data-testid": "ticket-link",
              title: t("ticket.linkTitle", { id: ticket.ticketId }),
            },
            ticket.ticketId,
          )
        : h("span", { "data-testid": "ticket-id" }, ticket.ticketId)
      : null;
    return h(
      "p",
      { class: `ticket-state ${ticket.state}`, "data-testid": "ticket-state", "data-state": ticket.state },
      h("span", { class: "ticket-mark", "aria-hidden": "true" }, "⚐"),
      " ",
      h("strong", {}, t("ticket.title")),
      id ? [" ", id] : null,
      ": ",
      h("span", { "data-testid": "ticket-state-text" }, t(`ticket.state.${ticket.state}`)),
      ticket.reason ? h("span", { class: "ticket-reason muted" }, ` — «${ticket.reason}»`) : null,
    );
  }

  form(form, draft, t) {
    const submit = (event) => {
      event.preventDefault();
      this.dispatch({ type: "ticket.request", reason: document.getElementById("ticket-reason").value });
    };
    return h(
      "form",
      { class: "ticket-form", "data-testid": "ticket-form", onsubmit: submit },
      h("label", { for: "ticket-reason" }, t("ticket.reason")),
      h("textarea", { id: "ticket-reason", rows: "2", "data-testid": "ticket-reason", value: draft, disabled: form.sending }),
      h(
        "span",
        { class: "ticket-actions" },
        h("button", { type: "submit", id: "ticket-submit", "data-testid": "ticket-submit", disabled: form.sending },
          t(form.sending ? "ticket.sending" : "ticket.submit")),
        h(
          "button",
          {
            type: "button",
            id: "ticket-cancel",
            class: "secondary",
            "data-testid": "ticket-cancel",
            disabled: form.sending,
            onclick: () => this.dispatch({ type: "ticket.form", open: false }),
          },
          t("ticket.cancel"),
        ),
      ),
      form.error ? h("p", { class: "ticket-error", role: "alert", "data-testid": "ticket-error" }, t("ticket.failed", { message: form.error })) : null,
    );
  }
}
