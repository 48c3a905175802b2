// "New conversation" in the inbox, for buyers: with which seller, about which order or
// product, an optional subject and first message, and the opt-in to end-to-end
// encryption ("Cifrado de extremo a extremo"). An encrypted conversation starts its
// first epoch before anything is sent in it (actions/e2ee.js).

import { byId, h, replaceChildren } from "../dom.js";
import { localize } from "../i18n.js";
import { lockIcon } from "./lock-icon.js";

export class NewConversationView {
  constructor(store, dispatch) {
    this.dispatch = dispatch;
    this.area = byId("new-conversation");
    this.shown = null;
    store.subscribe((state) => this.render(state));
  }

  render(state) {
    const buyer = Boolean(state.me) && state.me.role === "buyer";
    const sellers = [...state.users].filter(([, user]) => user.role === "seller").map(([id, user]) => [id, user.name]);
    const form = state.newConversation;
    // The sellers we know of fill the list in place: rebuilding the form would take the
    // focus (and keystrokes) from whoever is typing in it.
    const sellersKey = JSON.stringify(sellers);
    if (sellersKey !== this.sellersShown) {
      this.sellersShown = sellersKey;
      const list = document.getElementById("new-seller-list");
      if (list) replaceChildren(list, sellers.map(([id, name]) => h("option", { value: id }, name)));
    }
    const key = JSON.stringify([state.language, buyer, form]);
    if (key === this.shown) return;
    const wasOpen = Boolean(this.shown && JSON.parse(this.shown)[2]);
    this.shown = key;
    this.area.hidden = !buyer;
    if (!buyer) {
      replaceChildren(this.area);
      return;
    }
    const { t } = localize(state.language);
    if (!form) {
      replaceChildren(
        this.area,
        h(
          "button",
          { type: "button", class: "secondary", "data-testid": "new-conversation", onclick: () => this.dispatch({ type: "conversation.new", open: true }) },
          t("newConversation.open"),
        ),
      );
      return;
    }
    // Keep what was typed across re-renders (sending, an error).
    const draft = this.readDraft();
    const field = (id, label, input) => h("p", { class: "field" }, h("label", { for: id }, label), input);
    const formNode = h(
      "form",
      {
        class: "new-conversation-form",
        "data-testid": "new-conversation-form",
        "aria-labelledby": "new-conversation-title",
        onsubmit: (event) => {
          event.preventDefault();
          const values = this.readDraft();
          if (!values.sellerId) return;
          this.dispatch({ type: "conversation.create", draft: values });
        },
      },
      h("h3", { id: "new-conversation-title" }, t("newConversation.title")),
      field(
        "new-seller",
        t("newConversation.seller"),
        h("input", { id: "new-seller", list: "new-seller-list", required: true, autocomplete: "off", "data-testid": "new-seller", value: draft.sellerId || "" }),
      ),
      h("datalist", { id: "new-seller-list" }, sellers.map(([id, name]) => h("option", { value: id }, name))),
      field("new-order", t("newConversation.order"), h("input", { id: "new-order", "data-testid": "new-order", value: draft.orderId || "" })),
      field("new-product", t("newConversation.product"), h("input", { id: "new-product", "data-testid": "new-product", value: draft.productId || "" })),
      field("new-subject", t("newConversation.subject"), h("input", { id: "new-subject", "data-testid": "new-subject", value: draft.subject || "" })),
      field(
        "new-message",
        t("newConversation.message"),
        h("textarea", { id: "new-message", rows: "2", "data-testid": "new-message", value: draft.text || "" }),
      ),
      h(
        "p",
        { class: "field checkbox" },
        h("input", { id: "new-encrypted", type: "checkbox", "data-testid": "new-encrypted", checked: Boolean(draft.encrypted), "aria-describedby": "new-encrypted-hint" }),
        " ",
        h("label", { for: "new-encrypted" }, lockIcon(), " ", t("newConversation.encrypted")),
        h("span", { id: "new-encrypted-hint", class: "hint" }, t("newConversation.encryptedHint")),
      ),
      form.error ? h("p", { class: "form-error", role: "alert", "data-testid": "new-conversation-error" }, t("newConversation.failed", { message: form.error })) : null,
      form.existsPlain ? h("p", { class: "form-error", role: "alert", "data-testid": "new-conversation-exists" }, t("newConversation.existsPlain")) : null,
      h(
        "p",
        { class: "actions" },
        h("button", { type: "submit", "data-testid": "new-conversation-create", disabled: Boolean(form.sending) }, t(form.sending ? "newConversation.sending" : "newConversation.create")),
        " ",
        h("button", { type: "button", class: "secondary", "data-testid": "new-conversation-cancel", onclick: () => this.dispatch({ type: "conversation.new", open: false }) }, t("newConversation.cancel")),
      ),
    );
    replaceChildren(this.area, formNode);
    if (!wasOpen) document.getElementById("new-seller")?.focus();
  }

  readDraft() {
    const value = (id) => (document.getElementById(id)?.value || "").trim();
    return {
      sellerId: value("new-seller"),
      orderId: value("new-order"),
      productId: value("new-product"),
      subject: value("new-subject"),
      text: document.getElementById("new-message")?.value || "",
      encrypted: Boolean(document.getElementById("new-encrypted")?.checked),
    };
  }
}
