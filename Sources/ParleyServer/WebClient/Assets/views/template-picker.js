// The template picker of sellers, support and service: "/" at the start of the composer
// lists the templates, filtered by what follows the slash; arrows move, Enter (or a
// click) chooses, Escape closes. The chosen template is rendered for the open
// conversation and fills the composer; when the server needs values it has not got
// (`missing_variables`), a small form asks for them first. Nothing is sent from here.

import { byId, h, replaceChildren } from "../dom.js";
import { localize } from "../i18n.js";
import { matchingTemplates, usesAssist } from "../store/assist.js";

/** What the composer holds while the picker is open: "/" and a filter on one line. */
const PICKER_TRIGGER = /^\/([^\n]*)$/;

export class TemplatePickerView {
  constructor(store, dispatch) {
    this.store = store;
    this.dispatch = dispatch;
    this.input = byId("composer-input");
    this.box = byId("template-picker");
    this.open = false;
    this.query = "";
    this.active = 0;
    this.options = [];
    this.shown = null;
    this.valuesFor = null; // the templateUse (serial and missing names) the values form was built for
    // Registered before the composer's own handler (app.js builds this view first), so
    // Enter on a highlighted template chooses it instead of sending the text.
    this.input.addEventListener("keydown", (event) => this.onKeydown(event));
    this.input.addEventListener("input", () => this.onInput());
    this.input.addEventListener("blur", (event) => {
      if (!this.box.contains(event.relatedTarget)) this.close();
    });
    store.subscribe((state) => this.render(state));
  }

  onInput() {
    const match = PICKER_TRIGGER.exec(this.input.value);
    if (!usesAssist(this.store.state) || !match) {
      this.close();
      return;
    }
    this.query = match[1];
    this.active = 0;
    this.open = true;
    this.dispatch({ type: "templates.load" });
    this.render(this.store.state);
  }

  onKeydown(event) {
    if (!this.open || event.isComposing) return;
    const count = this.options.length;
    if (event.key === "ArrowDown" && count) {
      this.active = (this.active + 1) % count;
    } else if (event.key === "ArrowUp" && count) {
      this.active = (this.active - 1 + count) % count;
    } else if (event.key === "Enter" && !event.shiftKey && count) {
      event.preventDefault();
      this.choose(this.options[this.active]);
      return;
    } else if (event.key === "Escape") {
      this.close();
    } else {
      return;
    }
    event.preventDefault();
    this.render(this.store.state);
  }

  close() {
    if (!this.open) return;
    this.open = false;
    this.render(this.store.state);
  }

  choose(template) {
    this.open = false;
    this.dispatch({ type: "template.use", templateId: template.templateId, values: {} });
    this.render(this.store.state);
  }

  render(state) {
    const use = state.templateUse && state.templateUse.conversationId === state.openId ? state.templateUse : null;
    if (!usesAssist(state) || !state.openId) {
      this.open = false;
      this.valuesFor = null;
      this.box.hidden = true;
      this.setInputAria(null);
      return;
    }
    const { t } = localize(state.language);
    if (use) {
      this.open = false;
      this.setInputAria(null);
      this.box.hidden = false;
      this.renderValues(use, t);
      return;
    }
    this.valuesFor = null;
    if (!this.open) {
      this.box.hidden = true;
      this.shown = null;
      this.setInputAria(null);
      return;
    }
    const templates = state.assist.templates;
    this.options = templates ? matchingTemplates(templates, this.query) : [];
    if (this.active >= this.options.length) this.active = 0;
    this.box.hidden = false;
    const key = JSON.stringify([state.language, this.query, this.active, templates === null, this.options.map((o) => o.templateId)]);
    if (key !== this.shown) {
      this.shown = key;
      replaceChildren(
        this.box,
        h(
          "ul",
          { id: "template-options", class: "template-options", role: "listbox", "aria-label": t("picker.label"), "data-testid": "template-options" },
          this.options.map((template, index) =>
            h(
              "li",
              {
                id: `template-option-${index}`,
                role: "option",
                class: `template-option${index === this.active ? " active" : ""}`,
                "aria-selected": index === this.active ? "true" : "false",
                "data-testid": "template-option",
                "data-template-id": template.templateId,
                // Keep the focus in the composer, so the keys go on working after a click.
                onmousedown: (event) => event.preventDefault(),
                onclick: () => this.choose(template),
              },
              h("span", { class: "template-option-name" }, template.name),
              template.shortcut ? h("code", { class: "shortcut" }, `/${template.shortcut}`) : null,
              h("span", { class: "template-option-text" }, template.content),
            ),
          ),
        ),
        h(
          "p",
          { class: "template-picker-note", role: "status" },
          templates === null ? t("picker.loading") : this.options.length === 0 ? t("picker.none") : t("picker.hint"),
        ),
      );
    }
    this.setInputAria(this.options.length ? `template-option-${this.active}` : "");
  }

  /** The composer as the combobox's text box: which list it controls and which option is current. */
  setInputAria(activeId) {
    if (activeId === null) {
      for (const name of ["aria-autocomplete", "aria-controls", "aria-activedescendant"]) this.input.removeAttribute(name);
      return;
    }
    this.input.setAttribute("aria-autocomplete", "list");
    this.input.setAttribute("aria-controls", "template-options");
    if (activeId) this.input.setAttribute("aria-activedescendant", activeId);
    else this.input.removeAttribute("aria-activedescendant");
  }

  /** The form asking for the values a template needs (built once per template use, so typed values stay). */
  renderValues(use, t) {
    const key = JSON.stringify([use.serial, use.missing]);
    const fresh = key !== this.valuesFor;
    if (fresh) {
      this.valuesFor = key;
      this.shown = null;
      const typed = this.readValues();
      const inputs = use.missing.map((name, index) =>
        h(
          "div",
          { class: "field" },
          h("label", { for: `template-value-${index}` }, name.replace(/^custom\./, "")),
          h("input", {
            id: `template-value-${index}`,
            type: "text",
            autocomplete: "off",
            "data-testid": "template-value",
            "data-variable": name,
            value: typed[name] ?? use.values[name] ?? "",
          }),
        ),
      );
      this.valuesError = h("p", { class: "field-error", role: "alert", "data-testid": "template-values-error", hidden: true });
      this.insertButton = h("button", { type: "submit", "data-testid": "template-values-insert" }, t("picker.insert"));
      replaceChildren(
        this.box,
        h(
          "form",
          {
            class: "template-values",
            "data-testid": "template-values",
            "aria-labelledby": "template-values-title",
            onsubmit: (event) => {
              event.preventDefault();
              this.dispatch({ type: "template.use", templateId: use.templateId, values: { ...use.values, ...this.readValues() } });
            },
            onkeydown: (event) => {
              if (event.key === "Escape") {
                event.preventDefault();
                this.dispatch({ type: "template.cancel" });
              }
            },
          },
          h("p", { id: "template-values-title", class: "template-values-title" }, t("picker.values", { name: use.name })),
          h("div", { class: "template-values-fields" }, inputs),
          this.valuesError,
          h(
            "div",
            { class: "assist-form-actions" },
            this.insertButton,
            h("button", { type: "button", class: "secondary", onclick: () => this.dispatch({ type: "template.cancel" }) }, t("picker.cancel")),
          ),
        ),
      );
      const empty = [...this.box.querySelectorAll("input")].find((input) => !input.value);
      (empty || this.box.querySelector("input"))?.focus();
    }
    this.valuesError.hidden = !use.error;
    this.valuesError.textContent = use.error ? t("picker.failed", { message: use.error }) : "";
    this.insertButton.disabled = Boolean(use.busy);
  }

  readValues() {
    const values = {};
    for (const input of this.box.querySelectorAll('input[data-testid="template-value"]')) values[input.dataset.variable] = input.value;
    return values;
  }
}
