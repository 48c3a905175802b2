// The list of conversations (with filters for sellers and support) and search results.

import { byId, h, replaceChildren, snippetFragment } from "../dom.js";
import { formatRelative, formatFullTime, t } from "../i18n.js";
import { conversationTitle, displayName, inboxConversations, otherParticipants, state } from "../state.js";

const STATUSES = ["open", "pending", "closed"];
const PRIORITIES = ["low", "medium", "high"];

export class InboxView {
  /**
   * @param {object} actions  openConversation(id, {focusSeq}), changeFilters(patch),
   *   loadMore(), search(q), clearSearch()
   */
  constructor(actions) {
    this.actions = actions;
    this.list = byId("conversation-list");
    this.results = byId("search-results");
    this.filters = byId("filters");
    this.status = byId("inbox-status");
    this.loadMoreButton = byId("load-more");
    this.searchForm = byId("search-form");
    this.searchInput = byId("search-input");
    this.loadMoreButton.addEventListener("click", () => this.actions.loadMore());
    this.searchForm.addEventListener("submit", (event) => {
      event.preventDefault();
      const q = this.searchInput.value.trim();
      if (q) this.actions.search(q);
      else this.actions.clearSearch();
    });
    this.searchInput.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && state.search) {
        event.preventDefault();
        this.searchInput.value = "";
        this.actions.clearSearch();
      }
    });
  }

  /** Whether this user gets the seller/support tools (filters, management). */
  static isDesk() {
    return state.me && state.me.role !== "buyer";
  }

  render() {
    this.renderFilters();
    if (state.search) {
      this.list.hidden = true;
      this.loadMoreButton.hidden = true;
      this.results.hidden = false;
      this.renderSearch();
    } else {
      this.results.hidden = true;
      this.list.hidden = false;
      this.renderList();
    }
  }

  // Filters

  renderFilters() {
    if (!InboxView.isDesk()) {
      this.filters.hidden = true;
      return;
    }
    this.filters.hidden = false;
    // Keep focus on the control being used when we rebuild.
    const focusedId = document.activeElement && this.filters.contains(document.activeElement) ? document.activeElement.id : null;
    const f = state.filters;
    const select = (id, key, label, options) =>
      h(
        "div",
        { class: "field" },
        h("label", { for: id }, label),
        h(
          "select",
          {
            id,
            "data-testid": id,
            onchange: (event) => this.actions.changeFilters({ [key]: event.target.value }),
          },
          options.map(([value, text]) => h("option", { value, selected: f[key] === value }, text)),
        ),
      );
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
      assigneeOptions.push([f.assignedTo, displayName(f.assignedTo)]);
    }
    // Rebuild only when something shown changed (a rebuild would close an open list).
    const key = JSON.stringify([document.documentElement.lang, f, labels, assigneeOptions]);
    if (key === this.filtersKey) return;
    this.filtersKey = key;
    replaceChildren(
      this.filters,
      h("legend", {}, t("filters.title")),
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
      h(
        "div",
        { class: "field field-check" },
        h("input", {
          type: "checkbox",
          id: "filter-archived",
          "data-testid": "filter-archived",
          checked: f.archived,
          onchange: (event) => this.actions.changeFilters({ archived: event.target.checked }),
        }),
        h("label", { for: "filter-archived" }, t("filters.archived")),
      ),
    );
    if (focusedId) document.getElementById(focusedId)?.focus();
  }

  // Conversation list

  renderList() {
    const focusedId = document.activeElement && this.list.contains(document.activeElement)
      ? document.activeElement.dataset.conversationId
      : null;
    const conversations = inboxConversations();
    // Items are kept by conversation id and updated in place, so the element a person
    // (or a screen reader) is on stays the same element.
    if (!this.items) this.items = new Map();
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
        li = h("li", {}, h("button", {
          type: "button",
          "data-testid": "conversation-item",
          "data-conversation-id": conversation.conversationId,
          onclick: () => this.actions.openConversation(conversation.conversationId),
        }));
        this.items.set(conversation.conversationId, li);
      }
      this.fillConversation(li.firstChild, conversation);
      const expected = previous ? previous.nextSibling : this.list.firstChild;
      if (li !== expected) this.list.insertBefore(li, expected);
      previous = li;
    }
    if (state.inbox.error) {
      this.status.textContent = t("inbox.loadFailed", { message: state.inbox.error });
    } else if (state.inbox.loadedOnce && conversations.length === 0) {
      this.status.textContent = t("inbox.empty");
    } else {
      this.status.textContent = "";
    }
    this.loadMoreButton.hidden = !state.inbox.nextCursor;
    this.loadMoreButton.disabled = state.inbox.loading;
    if (focusedId && document.activeElement === document.body) {
      this.items.get(focusedId)?.firstChild.focus();
    }
  }

  fillConversation(button, conversation) {
    const metadata = conversation.metadata || {};
    const others = otherParticipants(conversation).map((p) => displayName(p.userId));
    const last = conversation.lastMessage;
    const unread = conversation.unreadCount || 0;
    const context = [];
    if (conversation.orderId) context.push(t("thread.order", { id: conversation.orderId }));
    else if (conversation.productId) context.push(t("thread.product", { id: conversation.productId }));
    if (others.length) context.push(others.join(", "));
    const anyOtherOnline = otherParticipants(conversation).some((p) => state.presence.get(p.userId)?.state === "online");
    const current = state.openId === conversation.conversationId;
    const signature = JSON.stringify([
      document.documentElement.lang, conversation, others, anyOtherOnline, current, InboxView.isDesk(),
      last ? formatRelative(last.timestamp) : "",
    ]);
    if (button.parleySignature === signature) return;
    button.parleySignature = signature;

    const badges = [];
    if (InboxView.isDesk()) {
      badges.push(h("span", { class: `badge status-${conversation.status}`, "data-testid": "conversation-status" }, t(`status.${conversation.status}`)));
      if (metadata.priority === "high") {
        badges.push(h("span", { class: "badge priority-high" }, t("priority.badge", { p: t("priority.high") })));
      }
      for (const label of metadata.labels || []) badges.push(h("span", { class: "badge label", "data-testid": "conversation-label" }, label));
      if (metadata.assignedTo) {
        badges.push(h("span", { class: "badge assignee" }, t("inbox.assignedBadge", { name: displayName(metadata.assignedTo) })));
      }
    }
    if (conversation.archived) badges.push(h("span", { class: "badge archived" }, t("inbox.archivedBadge")));

    button.className = `conversation${unread > 0 ? " has-unread" : ""}`;
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
            ? `${last.senderId === state.me.userId ? t("app.you") : displayName(last.senderId)}: ${preview(last.content)}`
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

  // Search

  renderSearch() {
    const search = state.search;
    const children = [];
    let summary;
    if (search.loading) summary = t("signIn.loading");
    else if (search.error) summary = t("search.failed", { message: search.error });
    else if (search.results.length === 0) summary = t("search.none", { q: search.q });
    else if (search.results.length === 1) summary = t("search.oneResult", { q: search.q });
    else summary = t("search.results", { n: search.results.length, q: search.q });
    children.push(
      h(
        "div",
        { class: "search-summary" },
        h("p", { role: "status", "data-testid": "search-summary" }, summary),
        h(
          "button",
          {
            type: "button",
            class: "link-button",
            "data-testid": "search-clear",
            onclick: () => {
              this.searchInput.value = "";
              this.actions.clearSearch();
              this.searchInput.focus();
            },
          },
          t("search.clear"),
        ),
      ),
    );
    const items = (search.results || []).map((result) => {
      const message = result.message;
      const conversation = state.conversations.get(result.conversationId);
      const title = conversation ? conversationTitle(conversation, t) : result.conversationId;
      return h(
        "li",
        {},
        h(
          "button",
          {
            type: "button",
            class: "search-result",
            "data-testid": "search-result",
            "data-conversation-id": result.conversationId,
            "data-seq": message.seq,
            onclick: () => this.actions.openConversation(result.conversationId, { focusSeq: message.seq }),
          },
          h(
            "span",
            { class: "conversation-top" },
            h("span", { class: "conversation-title" }, title),
            h("time", { class: "conversation-time", datetime: message.timestamp, title: formatFullTime(message.timestamp) }, formatRelative(message.timestamp)),
          ),
          h("span", { class: "conversation-context" }, displayName(message.senderId)),
          // The only server HTML the page inserts: escaped text with <mark> around matches.
          h("span", { class: "snippet", "data-testid": "search-snippet" }, snippetFragment(result.snippet || "")),
        ),
      );
    });
    replaceChildren(this.results, children, h("ul", { class: "result-list" }, items));
  }
}

function preview(text) {
  const line = String(text).replace(/\s+/g, " ").trim();
  return line.length > 90 ? `${line.slice(0, 89)}…` : line;
}
