// Managing the open conversation: status, priority, assignee and labels for sellers
// and support, archive for everyone.

import { byId, h, replaceChildren } from "../dom.js";
import { localize } from "../i18n.js";
import { displayName, isDesk, supportAgents } from "../store/state.js";

export class ManagePanelView {
  constructor(store, dispatch) {
    this.dispatch = dispatch;
    this.panel = byId("manage");
    this.shown = null;
    store.subscribe((state) => this.render(state));
  }

  render(state) {
    const conversation = state.openId ? state.conversations.get(state.openId) : null;
    if (!state.me || !conversation) return;
    const metadata = conversation.metadata || {};
    const key = JSON.stringify([
      state.language, conversation.conversationId, conversation.status, metadata, conversation.archived,
      supportAgents(state), [...state.knownLabels], state.manageRevision, state.limits?.maxLabelBytes,
    ]);
    // Rebuild only when something shown changed (a rebuild would close an open list).
    if (key === this.shown) return;
    this.shown = key;
    const focusedId = document.activeElement && this.panel.contains(document.activeElement) ? document.activeElement.id : null;
    const pendingLabel = document.getElementById("label-input")?.value || "";
    const { t } = localize(state.language);
    const controls = [];
    if (isDesk(state)) controls.push(...this.deskControls(state, conversation, metadata, t, pendingLabel));
    controls.push(
      h(
        "button",
        {
          type: "button",
          id: "manage-archive",
          class: "secondary",
          "data-testid": "manage-archive",
          "aria-pressed": conversation.archived ? "true" : "false",
          onclick: () => this.dispatch({ type: "manage.archived", archived: !conversation.archived }),
        },
        conversation.archived ? t("manage.unarchive") : t("manage.archive"),
      ),
    );
    replaceChildren(
      this.panel,
      h("h3", { class: "visually-hidden" }, t("manage.title")),
      h("div", { class: "manage-controls" }, controls),
    );
    if (focusedId) document.getElementById(focusedId)?.focus();
  }

  deskControls(state, conversation, metadata, t, pendingLabel) {
    const { me } = state;
    const controls = [
      h(
        "div",
        { class: "field" },
        h("label", { for: "manage-status" }, t("manage.status")),
        h(
          "select",
          { id: "manage-status", "data-testid": "manage-status", onchange: (e) => this.dispatch({ type: "manage.status", status: e.target.value }) },
          ["open", "pending", "closed"].map((s) => h("option", { value: s, selected: conversation.status === s }, t(`status.${s}`))),
        ),
      ),
      h(
        "div",
        { class: "field" },
        h("label", { for: "manage-priority" }, t("manage.priority")),
        h(
          "select",
          {
            id: "manage-priority",
            "data-testid": "manage-priority",
            onchange: (e) => this.dispatch({ type: "manage.priority", priority: e.target.value }),
          },
          ["low", "medium", "high"].map((p) => h("option", { value: p, selected: metadata.priority === p }, t(`priority.${p}`))),
        ),
      ),
    ];
    if (me.role === "support" || me.role === "service") {
      const options = [["", t("manage.unassigned")]];
      if (me.role === "support") options.push([me.userId, `${me.name} (${t("app.you")})`]);
      for (const [userId, user] of state.users) {
        if (user.role === "support" && userId !== me.userId) options.push([userId, user.name]);
      }
      if (metadata.assignedTo && !options.some(([value]) => value === metadata.assignedTo)) {
        options.push([metadata.assignedTo, displayName(state, metadata.assignedTo)]);
      }
      controls.push(
        h(
          "div",
          { class: "field" },
          h("label", { for: "manage-assignee" }, t("manage.assignee")),
          h(
            "select",
            {
              id: "manage-assignee",
              "data-testid": "manage-assignee",
              onchange: (e) => this.dispatch({ type: "manage.assignee", userId: e.target.value || null }),
            },
            options.map(([value, text]) => h("option", { value, selected: (metadata.assignedTo || "") === value }, text)),
          ),
        ),
      );
    }
    const labels = metadata.labels || [];
    const setLabels = (next) => this.dispatch({ type: "manage.labels", labels: next });
    const addLabel = () => {
      const input = document.getElementById("label-input");
      const value = input.value.trim();
      if (!value) return;
      input.value = "";
      if (!labels.includes(value)) setLabels([...labels, value]);
    };
    controls.push(
      h(
        "div",
        { class: "field labels-field", role: "group", "aria-labelledby": "labels-heading" },
        h("span", { id: "labels-heading", class: "field-title" }, t("manage.labels")),
        h(
          "ul",
          { class: "label-chips", "data-testid": "thread-labels" },
          labels.length === 0 ? h("li", { class: "muted" }, t("manage.noLabels")) : null,
          labels.map((label) =>
            h(
              "li",
              { class: "chip", "data-testid": "thread-label" },
              h("span", {}, label),
              h(
                "button",
                {
                  type: "button",
                  class: "chip-remove",
                  id: `remove-label-${label}`,
                  "aria-label": t("manage.removeLabel", { label }),
                  onclick: () => setLabels(labels.filter((l) => l !== label)),
                },
                "×",
              ),
            ),
          ),
        ),
        h(
          "span",
          { class: "label-add" },
          h("label", { for: "label-input", class: "visually-hidden" }, t("manage.addLabel")),
          h("input", {
            id: "label-input",
            "data-testid": "label-input",
            type: "text",
            // The limit is in bytes and maxlength counts UTF-16 units: it stops the plainly too long, the server the rest.
            maxlength: String(state.limits.maxLabelBytes),
            placeholder: t("manage.addLabel"),
            list: "known-labels",
            value: pendingLabel,
            onkeydown: (e) => {
              if (e.key === "Enter") {
                e.preventDefault();
                addLabel();
              }
            },
          }),
          h("datalist", { id: "known-labels" }, [...state.knownLabels].sort().map((l) => h("option", { value: l }))),
          h("button", { type: "button", id: "label-add", "data-testid": "label-add", onclick: addLabel }, t("manage.addLabelButton")),
        ),
      ),
    );
    return controls;
  }
}
