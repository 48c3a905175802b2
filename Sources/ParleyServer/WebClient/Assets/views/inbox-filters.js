// The inbox filters of sellers and support: status, label, priority, assignee, archived,
// and for support and service the escalated view (conversations handed to a person).

import { byId, h, replaceChildren } from "../dom.js";
import { localize } from "../i18n.js";
import { hasEscalatedView } from "../store/escalation.js";
import { displayName, isDesk } from "../store/state.js";

const STATUSES = ["open", "pending", "closed"];
const PRIORITIES = ["low", "medium", "high"];

export class InboxFiltersView {
  constructor(store, dispatch) {
    this.dispatch = dispatch;
    this.filters = byId("filters");
    this.shown = null;
    store.subscribe((state) => this.render(state));
  }

  render(state) {
    if (!isDesk(state)) {
      this.filters.hidden = true;
      return;
    }
    this.filters.hidden = false;
    const { t } = localize(state.language);
    const f = state.filters;
    const labels = [...state.knownLabels].sort();
    if (f.label && !labels.includes(f.label)) labels.push(f.label);
    const assigneeOptions = [
      ["", t("filters.any")],
      ["none", t("filters.none")],
    ];
    if (state.me.role === "support") assigneeOptions.splice(1, 0, [state.me.userId, t("filters.me")]);
    for (const [userId, user] of state.users) {
      if (user.role === "support" && userId !== state.me.userId) assigneeOptions.push([userId, user.name]);
    }
    if (f.assignedTo && !assigneeOptions.some(([value]) => value === f.assignedTo)) {
      assigneeOptions.push([f.assignedTo, displayName(state, f.assignedTo)]);
    }
    // Rebuild only when something shown changed (a rebuild would close an open list).
    const escalatedView = hasEscalatedView(state);
    const key = JSON.stringify([state.language, f, labels, assigneeOptions, escalatedView]);
    if (key === this.shown) return;
    this.shown = key;
    // Keep focus on the control being used when we rebuild.
    const focusedId = document.activeElement && this.filters.contains(document.activeElement) ? document.activeElement.id : null;
    const filter = (patch) => this.dispatch({ type: "inbox.filter", patch });
    const check = (id, key, label, extraClass = "") =>
      h(
        "div",
        { class: `field field-check${extraClass}` },
        h("input", {
          type: "checkbox",
          id,
          "data-testid": id,
          checked: f[key],
          onchange: (event) => filter({ [key]: event.target.checked }),
        }),
        h("label", { for: id }, label),
      );
    const select = (id, key, label, options) =>
      h(
        "div",
        { class: "field" },
        h("label", { for: id }, label),
        h(
          "select",
          { id, "data-testid": id, onchange: (event) => filter({ [key]: event.target.value }) },
          options.map(([value, text]) => h("option", { value, selected: f[key] === value }, text)),
        ),
      );
    replaceChildren(
      this.filters,
      h("legend", {}, t("filters.title")),
      escalatedView ? check("filter-escalated", "escalated", t("filters.escalated"), " field-escalated") : null,
      select("filter-status", "status", t("filters.status"), [
        ["", t("filters.any")],
        ...STATUSES.map((s) => [s, t(`status.${s}`)]),
      ]),
      select("filter-label", "label", t("filters.label"), [["", t("filters.anyLabel")], ...labels.map((l) => [l, l])]),
      select("filter-priority", "priority", t("filters.priority"), [
        ["", t("filters.any")],
        ...PRIORITIES.map((p) => [p, t(`priority.${p}`)]),
      ]),
      select("filter-assignee", "assignedTo", t("filters.assignee"), assigneeOptions),
      check("filter-archived", "archived", t("filters.archived")),
    );
    if (focusedId) document.getElementById(focusedId)?.focus();
  }
}
