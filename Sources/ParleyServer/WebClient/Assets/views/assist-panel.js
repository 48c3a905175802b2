// The assist panel (sellers, support, service): the automatic answers setting, the FAQ
// entries and the templates, each listed with a form to add or edit one. A 400 that
// names a field is shown beside that field. Reached from the top bar; Escape or
// "back" returns to the conversations.

import { byId, h, replaceChildren } from "../dom.js";
import { localize } from "../i18n.js";
import { canEditFAQ, canEditTemplate, managesShared } from "../store/assist.js";
import { FocusTarget } from "./focus-target.js";

const LANGUAGE_OPTIONS = [
  ["", "assist.languageAny"],
  ["es", "assist.language.es"],
  ["en", "assist.language.en"],
];

/** The FAQ form's fields ("name" is the field the server names in its errors). */
const FAQ_FORM = [
  { name: "question", kind: "input", label: "faq.question", required: true },
  { name: "alternatives", kind: "textarea", label: "faq.alternatives", rows: 2 },
  { name: "answer", kind: "textarea", label: "faq.answer", rows: 3, required: true },
  { name: "language", kind: "select", label: "faq.language", options: () => LANGUAGE_OPTIONS },
  { name: "enabled", kind: "checkbox", label: "faq.enabled" },
];

const TEMPLATE_FORM = [
  { name: "name", kind: "input", label: "template.name", required: true },
  { name: "shortcut", kind: "input", label: "template.shortcut" },
  { name: "language", kind: "select", label: "template.language", options: () => LANGUAGE_OPTIONS },
  { name: "content", kind: "textarea", label: "template.content", rows: 3, required: true, hint: "template.contentHint" },
  {
    name: "scope",
    kind: "select",
    label: "template.scope",
    sharedOnly: true,
    options: () => [
      ["personal", "template.personal"],
      ["shared", "template.shared"],
    ],
  },
];

export class AssistPanelView {
  constructor(store, dispatch) {
    this.store = store;
    this.dispatch = dispatch;
    this.panel = byId("assist-panel");
    this.built = null; // what the static part was built for (language, user, sellers)
    this.listsShown = null;
    this.editing = { faq: null, template: null }; // the id being edited in each form
    this.savedSeen = { faq: 0, template: 0 };
    this.confirming = null; // "faq:<id>" | "template:<id>": a delete waiting for "yes"
    this.focusTarget = new FocusTarget("assist-panel");
    store.subscribe((state) => this.render(state));
  }

  render(state) {
    const open = Boolean(state.me) && state.assist.panelOpen;
    this.panel.hidden = !open;
    if (!open) return;
    const { t } = localize(state.language);
    const sellers = managesShared(state)
      ? [...state.users].filter(([, user]) => user.role === "seller").map(([id, user]) => [id, user.name])
      : [];
    const buildKey = JSON.stringify([state.language, state.me.userId, sellers]);
    if (buildKey !== this.built) {
      this.built = buildKey;
      this.listsShown = null;
      this.build(state, t, sellers);
    }
    this.renderStatus(state, t);
    this.renderLists(state, t);
    for (const form of ["faq", "template"]) this.renderForm(form, state.assist.forms[form], t);
    if (this.focusTarget.take(state)) this.title.focus();
  }

  // The static part: headings, the setting, the forms (rebuilt only when the language changes; typed values are kept).

  build(state, t, sellers) {
    // Typed values survive a change of language, not a change of user.
    const kept = this.forms && this.builtFor === state.me.userId ? this.readForms() : null;
    this.builtFor = state.me.userId;
    this.title = h("h2", { id: "assist-title", tabindex: "-1" }, t("assist.title"));
    this.status = h("p", { id: "assist-status", class: "assist-status", role: "status", "data-testid": "assist-status" });
    this.settingsError = h("p", { class: "field-error", role: "alert", hidden: true });
    this.autoAnswer = h("input", {
      type: "checkbox",
      id: "auto-answer",
      "data-testid": "auto-answer",
      "aria-describedby": "auto-answer-hint",
      onchange: (event) => this.dispatch({ type: "assist.autoAnswer", on: event.target.checked }),
    });
    this.faqList = h("ul", { class: "assist-list", "data-testid": "faq-list", "aria-labelledby": "faq-title" });
    this.templateList = h("ul", { class: "assist-list", "data-testid": "template-list", "aria-labelledby": "template-title" });
    this.forms = {
      faq: this.buildForm("faq", FAQ_FORM, state, t, {
        newTitle: "faq.new",
        editTitle: "faq.edit",
        submit: (draft) => this.dispatch({ type: "assist.saveFAQ", faqId: this.editing.faq, draft: this.faqDraft(draft) }),
      }),
      template: this.buildForm("template", TEMPLATE_FORM, state, t, {
        newTitle: "template.new",
        editTitle: "template.edit",
        submit: (draft) =>
          this.dispatch({ type: "assist.saveTemplate", templateId: this.editing.template, draft: this.templateDraft(draft) }),
      }),
    };
    const ownerPicker = managesShared(state)
      ? h(
          "div",
          { class: "field" },
          h("label", { for: "faq-owner" }, t("faq.owner")),
          h(
            "select",
            {
              id: "faq-owner",
              "data-testid": "faq-owner",
              onchange: (event) => this.dispatch({ type: "assist.faqOwner", owner: event.target.value }),
            },
            [["", t("faq.global")], ...sellers].map(([value, text]) =>
              h("option", { value, selected: state.assist.faqOwner === value }, text),
            ),
          ),
        )
      : null;
    replaceChildren(
      this.panel,
      h(
        "div",
        { class: "assist-head" },
        this.title,
        h(
          "button",
          { type: "button", class: "secondary", "data-testid": "assist-close", onclick: () => this.dispatch({ type: "assist.close" }) },
          t("assist.close"),
        ),
      ),
      this.status,
      state.me.role === "seller"
        ? h(
            "div",
            { class: "assist-settings", "data-testid": "assist-settings" },
            h("div", { class: "field field-check" }, this.autoAnswer, h("label", { for: "auto-answer" }, t("assist.autoAnswer"))),
            h("p", { id: "auto-answer-hint", class: "muted hint" }, t("assist.autoHint")),
            this.settingsError,
          )
        : null,
      h(
        "div",
        { class: "assist-columns" },
        h(
          "section",
          { class: "assist-section", "aria-labelledby": "faq-title", "data-testid": "faq-section" },
          h("h3", { id: "faq-title" }, t("faq.title")),
          ownerPicker,
          this.faqList,
          this.forms.faq.element,
        ),
        h(
          "section",
          { class: "assist-section", "aria-labelledby": "template-title", "data-testid": "template-section" },
          h("h3", { id: "template-title" }, t("template.title")),
          this.templateList,
          this.forms.template.element,
        ),
      ),
    );
    if (kept) this.writeForms(kept);
    else {
      this.resetForm("faq");
      this.resetForm("template");
    }
  }

  /** A form from its field specs: {element, inputs: {name: control}, errors: {name: <p>}, formError, title, save, cancel}. */
  buildForm(prefix, specs, state, t, { newTitle, editTitle, submit }) {
    const inputs = {};
    const errors = {};
    const fields = [];
    for (const spec of specs) {
      if (spec.sharedOnly && !managesShared(state)) continue;
      const id = `${prefix}-${spec.name}`;
      const errorId = `${id}-error`;
      const hintId = spec.hint ? `${id}-hint` : null;
      const describedBy = [hintId, errorId].filter(Boolean).join(" ");
      const common = { id, name: spec.name, "data-testid": id, "aria-describedby": describedBy };
      let control;
      if (spec.kind === "textarea") control = h("textarea", { ...common, rows: String(spec.rows || 2), required: spec.required });
      else if (spec.kind === "select") {
        control = h(
          "select",
          common,
          spec.options().map(([value, key]) => h("option", { value }, t(key))),
        );
      } else if (spec.kind === "checkbox") control = h("input", { ...common, type: "checkbox" });
      else control = h("input", { ...common, type: "text", autocomplete: "off", required: spec.required });
      inputs[spec.name] = control;
      errors[spec.name] = h("p", { id: errorId, class: "field-error", "data-testid": errorId, hidden: true });
      const label = h("label", { for: id }, t(spec.label));
      fields.push(
        spec.kind === "checkbox"
          ? h("div", { class: "field field-check" }, control, label, errors[spec.name])
          : h(
              "div",
              { class: "field" },
              label,
              control,
              hintId ? h("p", { id: hintId, class: "muted hint" }, t(spec.hint)) : null,
              errors[spec.name],
            ),
      );
    }
    const title = h("h4", { id: `${prefix}-form-title` });
    const formError = h("p", { class: "field-error", role: "alert", "data-testid": `${prefix}-form-error`, hidden: true });
    const save = h("button", { type: "submit", "data-testid": `${prefix}-save` }, t("assist.save"));
    const cancel = h(
      "button",
      { type: "button", class: "secondary", "data-testid": `${prefix}-cancel`, onclick: () => this.resetForm(prefix, { focus: true }) },
      t("assist.cancel"),
    );
    const element = h(
      "form",
      {
        class: "assist-form",
        "data-testid": `${prefix}-form`,
        "aria-labelledby": `${prefix}-form-title`,
        novalidate: true,
        onsubmit: (event) => {
          event.preventDefault();
          submit(this.readForm(prefix));
        },
      },
      title,
      fields,
      formError,
      h("div", { class: "assist-form-actions" }, save, cancel),
    );
    return { element, inputs, errors, formError, title, save, cancel, newTitle, editTitle, t };
  }

  readForm(prefix) {
    const values = {};
    for (const [name, control] of Object.entries(this.forms[prefix].inputs)) {
      values[name] = control.type === "checkbox" ? control.checked : control.value;
    }
    return values;
  }

  readForms() {
    return { faq: this.readForm("faq"), template: this.readForm("template") };
  }

  writeForms(values) {
    for (const prefix of ["faq", "template"]) this.fill(prefix, values[prefix]);
  }

  fill(prefix, values) {
    for (const [name, control] of Object.entries(this.forms[prefix].inputs)) {
      if (!(name in values)) continue;
      if (control.type === "checkbox") control.checked = Boolean(values[name]);
      else control.value = values[name] ?? "";
    }
    const form = this.forms[prefix];
    form.title.textContent = form.t(this.editing[prefix] ? form.editTitle : form.newTitle);
    form.cancel.hidden = !this.editing[prefix];
  }

  resetForm(prefix, { focus = false } = {}) {
    this.editing[prefix] = null;
    const empty = prefix === "faq"
      ? { question: "", alternatives: "", answer: "", language: "", enabled: true }
      : { name: "", shortcut: "", language: "", content: "", scope: "personal" };
    this.fill(prefix, empty);
    this.dispatch({ type: "assist.resetForm", form: prefix });
    if (focus) Object.values(this.forms[prefix].inputs)[0].focus();
  }

  edit(prefix, item) {
    this.editing[prefix] = prefix === "faq" ? item.faqId : item.templateId;
    const values =
      prefix === "faq"
        ? {
            question: item.question,
            alternatives: (item.alternatives || []).join("\n"),
            answer: item.answer,
            language: item.language || "",
            enabled: item.enabled,
          }
        : { name: item.name, shortcut: item.shortcut || "", language: item.language || "", content: item.content, scope: item.scope };
    this.fill(prefix, values);
    this.dispatch({ type: "assist.resetForm", form: prefix });
    Object.values(this.forms[prefix].inputs)[0].focus();
  }

  faqDraft(values) {
    const { state } = this.store;
    const draft = {
      question: values.question,
      alternatives: values.alternatives
        .split("\n")
        .map((line) => line.trim())
        .filter(Boolean),
      answer: values.answer,
      enabled: values.enabled,
    };
    if (values.language) draft.language = values.language;
    if (managesShared(state) && !this.editing.faq) {
      // Support and service write the marketplace's entries, or a seller's when one is picked.
      draft.scope = state.assist.faqOwner ? "seller" : "global";
      if (state.assist.faqOwner) draft.ownerId = state.assist.faqOwner;
    }
    return draft;
  }

  templateDraft(values) {
    const draft = { name: values.name, content: values.content };
    if (values.shortcut.trim()) draft.shortcut = values.shortcut.trim();
    if (values.language) draft.language = values.language;
    if (values.scope) draft.scope = values.scope;
    return draft;
  }

  // What changes with the state.

  renderStatus(state, t) {
    const { assist } = state;
    this.status.textContent = assist.error
      ? t("assist.loadFailed", { message: assist.error })
      : assist.loading && !assist.faq
        ? t("assist.loading")
        : "";
    this.status.classList.toggle("error", Boolean(assist.error));
    if (state.me.role === "seller") {
      this.autoAnswer.checked = assist.autoAnswer !== false;
      this.autoAnswer.disabled = assist.autoAnswer === null;
      this.settingsError.hidden = !assist.settingsError;
      this.settingsError.textContent = assist.settingsError ? t("assist.settingsFailed", { message: assist.settingsError }) : "";
    }
  }

  renderForm(prefix, formState, t) {
    const form = this.forms[prefix];
    if (formState.saved !== this.savedSeen[prefix]) {
      this.savedSeen[prefix] = formState.saved;
      this.resetForm(prefix);
      return; // resetting cleared the error; the next render shows the rest
    }
    form.save.disabled = formState.saving;
    form.save.textContent = formState.saving ? t("assist.saving") : t("assist.save");
    const error = formState.error;
    for (const [name, element] of Object.entries(form.errors)) {
      const here = Boolean(error && error.field === name);
      element.hidden = !here;
      element.textContent = here ? error.message : "";
      element.setAttribute("role", here ? "alert" : "status");
      if (here) form.inputs[name].setAttribute("aria-invalid", "true");
      else form.inputs[name].removeAttribute("aria-invalid");
    }
    const general = Boolean(error && !(error.field && form.errors[error.field]));
    form.formError.hidden = !general;
    form.formError.textContent = general ? error.message : "";
  }

  renderLists(state, t) {
    const { faq, templates } = state.assist;
    const key = JSON.stringify([faq, templates, this.confirming]);
    if (key === this.listsShown) return;
    this.listsShown = key;
    const focusedId = document.activeElement && this.panel.contains(document.activeElement) ? document.activeElement.id : null;
    replaceChildren(
      this.faqList,
      faq === null ? null : faq.length === 0 ? h("li", { class: "muted" }, t("faq.none")) : faq.map((entry) => this.faqItem(state, entry, t)),
    );
    replaceChildren(
      this.templateList,
      templates === null
        ? null
        : templates.length === 0
          ? h("li", { class: "muted" }, t("template.none"))
          : templates.map((template) => this.templateItem(state, template, t)),
    );
    if (focusedId) document.getElementById(focusedId)?.focus();
  }

  faqItem(state, entry, t) {
    const stats = entry.stats || { answered: 0, helpful: 0, unhelpful: 0 };
    return h(
      "li",
      { class: `assist-item${entry.enabled ? "" : " disabled"}`, "data-testid": "faq-entry", "data-faq-id": entry.faqId },
      h(
        "p",
        { class: "assist-item-title" },
        h("span", { "data-testid": "faq-entry-question" }, entry.question),
        this.badges([
          entry.language ? t(`assist.language.${entry.language}`) : null,
          entry.scope === "global" ? t("faq.globalBadge") : null,
          entry.enabled ? null : t("faq.disabled"),
        ]),
      ),
      (entry.alternatives || []).length
        ? h("p", { class: "muted" }, t("faq.alternativesShown", { list: entry.alternatives.join(" · ") }))
        : null,
      h("p", { class: "assist-item-body", "data-testid": "faq-entry-answer" }, entry.answer),
      h("p", { class: "muted small", "data-testid": "faq-entry-stats" }, t("faq.stats", stats)),
      canEditFAQ(state, entry) ? this.itemActions("faq", entry.faqId, entry.question, entry, t) : null,
    );
  }

  templateItem(state, template, t) {
    return h(
      "li",
      { class: "assist-item", "data-testid": "template-entry", "data-template-id": template.templateId },
      h(
        "p",
        { class: "assist-item-title" },
        h("span", { "data-testid": "template-entry-name" }, template.name),
        template.shortcut ? h("code", { class: "shortcut" }, `/${template.shortcut}`) : null,
        this.badges([
          template.language ? t(`assist.language.${template.language}`) : null,
          template.scope === "shared" ? t("template.sharedBadge") : null,
        ]),
      ),
      h("p", { class: "assist-item-body" }, template.content),
      canEditTemplate(state, template) ? this.itemActions("template", template.templateId, template.name, template, t) : null,
    );
  }

  badges(texts) {
    return texts.filter(Boolean).map((text) => h("span", { class: "badge" }, text));
  }

  itemActions(prefix, id, name, item, t) {
    const key = `${prefix}:${id}`;
    const confirm = (value) => {
      this.confirming = value;
      this.listsShown = null;
      this.renderLists(this.store.state, t);
    };
    if (this.confirming === key) {
      return h(
        "div",
        { class: "assist-item-actions", role: "group", "aria-label": t("assist.confirmDelete", { name }) },
        h("span", {}, t("assist.confirmDelete", { name })),
        h(
          "button",
          {
            type: "button",
            id: `${prefix}-delete-yes-${id}`,
            class: "danger",
            "data-testid": `${prefix}-delete-yes`,
            onclick: () => {
              this.confirming = null;
              if (this.editing[prefix] === id) this.resetForm(prefix);
              this.dispatch(prefix === "faq" ? { type: "assist.deleteFAQ", faqId: id } : { type: "assist.deleteTemplate", templateId: id });
            },
          },
          t("assist.confirmYes"),
        ),
        h("button", { type: "button", class: "secondary", onclick: () => confirm(null) }, t("assist.cancel")),
      );
    }
    return h(
      "div",
      { class: "assist-item-actions" },
      h(
        "button",
        {
          type: "button",
          id: `${prefix}-edit-${id}`,
          class: "secondary",
          "data-testid": `${prefix}-edit`,
          "aria-label": `${t("assist.edit")}: ${name}`,
          onclick: () => this.edit(prefix, item),
        },
        t("assist.edit"),
      ),
      h(
        "button",
        {
          type: "button",
          id: `${prefix}-delete-${id}`,
          class: "secondary",
          "data-testid": `${prefix}-delete`,
          "aria-label": `${t("assist.delete")}: ${name}`,
          onclick: () => {
            confirm(key);
            document.getElementById(`${prefix}-delete-yes-${id}`)?.focus();
          },
        },
        t("assist.delete"),
      ),
    );
  }
}
