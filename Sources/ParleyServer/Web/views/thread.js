// One conversation: header (title, who, presence), management tools, the messages
// (kept in seq order, each once), the typing indicator and the composer.

import { byId, h, replaceChildren } from "../dom.js";
import { formatFullTime, formatRelative, formatTime, t } from "../i18n.js";
import {
  conversationTitle,
  displayName,
  otherParticipants,
  readersOf,
  sortedMessages,
  state,
  thread,
} from "../state.js";

const MAX_CONTENT_BYTES = 16_384;

export class ThreadView {
  /**
   * @param {object} actions  send(text), composerInput(text), composerIdle(), loadOlder(),
   *   retry(clientMessageId), back(), setStatus(s), setPriority(p), setLabels(labels),
   *   setArchived(bool), setAssignee(userId|null)
   */
  constructor(actions) {
    this.actions = actions;
    this.section = byId("thread");
    this.empty = byId("thread-empty");
    this.body = byId("thread-body");
    this.title = byId("thread-title");
    this.context = byId("thread-context");
    this.presence = byId("presence");
    this.manage = byId("manage");
    this.scroller = byId("message-scroller");
    this.loadOlderButton = byId("load-older");
    this.notice = byId("thread-notice");
    this.list = byId("messages");
    this.typing = byId("typing-indicator");
    this.composer = byId("composer");
    this.input = byId("composer-input");
    this.composerError = byId("composer-error");
    this.elements = new Map(); // key -> <li>
    this.renderedFor = null;
    this.drafts = new Map();

    byId("back-button").addEventListener("click", () => this.actions.back());
    this.loadOlderButton.addEventListener("click", () => this.actions.loadOlder());
    this.composer.addEventListener("submit", (event) => {
      event.preventDefault();
      this.submit();
    });
    this.input.addEventListener("keydown", (event) => {
      // Enter sends; Shift+Enter is a new line; never while an IME is composing.
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing && !event.altKey && !event.ctrlKey && !event.metaKey) {
        event.preventDefault();
        this.submit();
      }
    });
    this.input.addEventListener("input", () => {
      this.autosize();
      this.composerError.hidden = true;
      this.actions.composerInput(this.input.value);
    });
    this.input.addEventListener("blur", () => this.actions.composerIdle());
  }

  submit() {
    const text = this.input.value;
    if (!text.trim()) return;
    if (new TextEncoder().encode(text).length > MAX_CONTENT_BYTES) {
      this.composerError.textContent = t("composer.tooLong");
      this.composerError.hidden = false;
      return;
    }
    this.input.value = "";
    this.autosize();
    if (state.openId) this.drafts.delete(state.openId);
    this.actions.send(text);
    this.scrollToBottom();
  }

  autosize() {
    this.input.style.height = "auto";
    this.input.style.height = `${Math.min(this.input.scrollHeight, 160)}px`;
  }

  focusComposer() {
    this.input.focus();
  }

  focusTitle() {
    this.title.focus();
  }

  isNearBottom() {
    return this.scroller.scrollHeight - this.scroller.scrollTop - this.scroller.clientHeight < 80;
  }

  scrollToBottom() {
    this.scroller.scrollTop = this.scroller.scrollHeight;
  }

  /** Scrolls to a message and marks it briefly (after a search). */
  revealMessage(seq) {
    const element = this.list.querySelector(`[data-seq="${seq}"]`);
    if (!element) return;
    element.classList.add("found");
    element.scrollIntoView({ block: "center" });
    element.focus({ preventScroll: true });
    setTimeout(() => element.classList.remove("found"), 4000);
  }

  /** Full render: header, tools, messages. */
  render() {
    const id = state.openId;
    const conversation = id ? state.conversations.get(id) : null;
    if (!id || !conversation) {
      this.empty.hidden = false;
      this.body.hidden = true;
      this.renderedFor = null;
      return;
    }
    if (this.renderedFor !== id) this.switchTo(id);
    this.empty.hidden = true;
    this.body.hidden = false;
    this.renderHeader(conversation);
    this.renderManage(conversation);
    this.renderMessages();
    this.renderTyping();
  }

  switchTo(id) {
    if (this.renderedFor) this.drafts.set(this.renderedFor, this.input.value);
    this.renderedFor = id;
    this.elements.clear();
    this.list.textContent = "";
    this.input.value = this.drafts.get(id) || "";
    this.autosize();
    this.composerError.hidden = true;
    this.stickToBottom = true;
  }

  renderHeader(conversation) {
    this.title.textContent = conversationTitle(conversation, t);
    const parts = [];
    if (conversation.orderId) parts.push(t("thread.order", { id: conversation.orderId }));
    else if (conversation.productId) parts.push(t("thread.product", { id: conversation.productId }));
    const others = otherParticipants(conversation);
    if (others.length) parts.push(t("thread.with", { names: others.map((p) => displayName(p.userId)).join(", ") }));
    this.context.textContent = parts.join(" · ");
    this.renderPresence(conversation);
  }

  renderPresence(conversation = state.conversations.get(state.openId)) {
    if (!conversation) return;
    const others = otherParticipants(conversation);
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
        others.length > 1 ? `${displayName(participant.userId)}: ${text}` : text,
      );
    });
    replaceChildren(this.presence, lines);
  }

  renderManage(conversation) {
    const role = state.me.role;
    const desk = role !== "buyer";
    const metadata = conversation.metadata || {};
    const supportUsers = [...state.users].filter(([, user]) => user.role === "support").map(([id, user]) => [id, user.name]);
    const key = JSON.stringify([
      document.documentElement.lang, conversation.conversationId, conversation.status, metadata, conversation.archived,
      supportUsers, [...state.knownLabels],
    ]);
    // Rebuild only when something shown changed (a rebuild would close an open list).
    if (key === this.manageKey) return;
    this.manageKey = key;
    const focusedId = document.activeElement && this.manage.contains(document.activeElement) ? document.activeElement.id : null;
    const pendingLabel = document.getElementById("label-input")?.value || "";
    const controls = [];

    if (desk) {
      controls.push(
        h(
          "div",
          { class: "field" },
          h("label", { for: "manage-status" }, t("manage.status")),
          h(
            "select",
            { id: "manage-status", "data-testid": "manage-status", onchange: (e) => this.actions.setStatus(e.target.value) },
            ["open", "pending", "closed"].map((s) => h("option", { value: s, selected: conversation.status === s }, t(`status.${s}`))),
          ),
        ),
        h(
          "div",
          { class: "field" },
          h("label", { for: "manage-priority" }, t("manage.priority")),
          h(
            "select",
            { id: "manage-priority", "data-testid": "manage-priority", onchange: (e) => this.actions.setPriority(e.target.value) },
            ["low", "medium", "high"].map((p) => h("option", { value: p, selected: metadata.priority === p }, t(`priority.${p}`))),
          ),
        ),
      );
      if (role === "support" || role === "service") {
        const options = [["", t("manage.unassigned")]];
        if (role === "support") options.push([state.me.userId, `${state.me.name} (${t("app.you")})`]);
        for (const [userId, user] of state.users) {
          if (user.role === "support" && userId !== state.me.userId) options.push([userId, user.name]);
        }
        if (metadata.assignedTo && !options.some(([value]) => value === metadata.assignedTo)) {
          options.push([metadata.assignedTo, displayName(metadata.assignedTo)]);
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
                onchange: (e) => this.actions.setAssignee(e.target.value || null),
              },
              options.map(([value, text]) => h("option", { value, selected: (metadata.assignedTo || "") === value }, text)),
            ),
          ),
        );
      }
      const labels = metadata.labels || [];
      const addLabel = () => {
        const input = document.getElementById("label-input");
        const value = input.value.trim();
        if (!value) return;
        input.value = "";
        if (!labels.includes(value)) this.actions.setLabels([...labels, value]);
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
                    onclick: () => this.actions.setLabels(labels.filter((l) => l !== label)),
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
              maxlength: "64",
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
    }
    controls.push(
      h(
        "button",
        {
          type: "button",
          id: "manage-archive",
          class: "secondary",
          "data-testid": "manage-archive",
          "aria-pressed": conversation.archived ? "true" : "false",
          onclick: () => this.actions.setArchived(!conversation.archived),
        },
        conversation.archived ? t("manage.unarchive") : t("manage.archive"),
      ),
    );
    replaceChildren(
      this.manage,
      h("h3", { class: "visually-hidden" }, t("manage.title")),
      h("div", { class: "manage-controls" }, controls),
    );
    if (focusedId) document.getElementById(focusedId)?.focus();
  }

  renderMessages() {
    const entry = thread(state.openId);
    const wasAtBottom = this.stickToBottom || this.isNearBottom();
    this.stickToBottom = false;

    this.loadOlderButton.hidden = !entry.hasOlder;
    this.loadOlderButton.disabled = entry.loading;
    this.loadOlderButton.textContent = t("thread.loadOlder");
    if (entry.error) this.notice.textContent = t("thread.loadFailed", { message: entry.error });
    else if (entry.loaded && entry.byId.size === 0 && entry.pending.size === 0) this.notice.textContent = t("thread.start");
    else this.notice.textContent = "";

    const wanted = [];
    for (const message of sortedMessages(entry)) {
      let key = `m:${message.messageId}`;
      if (!this.elements.has(key) && message.clientMessageId && this.elements.has(`p:${message.clientMessageId}`)) {
        // Our pending message was stored: keep its element, now keyed by its id.
        this.elements.set(key, this.elements.get(`p:${message.clientMessageId}`));
        this.elements.delete(`p:${message.clientMessageId}`);
      }
      wanted.push([key, { stored: message }]);
    }
    for (const pending of entry.pending.values()) wanted.push([`p:${pending.clientMessageId}`, { pending }]);

    const keep = new Set(wanted.map(([key]) => key));
    for (const [key, element] of this.elements) {
      if (!keep.has(key)) {
        element.remove();
        this.elements.delete(key);
      }
    }
    let previous = null;
    for (const [key, item] of wanted) {
      let element = this.elements.get(key);
      if (!element) {
        element = h("li", { "data-testid": "message", tabindex: "-1" });
        this.elements.set(key, element);
      }
      this.fillMessage(element, item, entry);
      const expectedNext = previous ? previous.nextSibling : this.list.firstChild;
      if (element !== expectedNext) this.list.insertBefore(element, expectedNext);
      previous = element;
    }
    if (wasAtBottom) this.scrollToBottom();
  }

  fillMessage(element, { stored, pending }, entry) {
    const mine = stored ? stored.senderId === state.me.userId : true;
    const system = stored && stored.type === "system";
    const signature = stored
      ? `${document.documentElement.lang}|${stored.messageId}|${readersOf(entry, stored.seq).join(",")}`
      : `${document.documentElement.lang}|${pending.clientMessageId}|${pending.state}`;
    if (element.parleySignature === signature) return;
    element.parleySignature = signature;

    element.className = `message ${system ? "system" : mine ? "mine" : "theirs"}${pending ? ` pending ${pending.state}` : ""}`;
    const senderId = stored ? stored.senderId : state.me.userId;
    element.dataset.senderId = senderId;
    if (stored) {
      element.dataset.messageId = stored.messageId;
      element.dataset.seq = String(stored.seq);
    } else {
      delete element.dataset.messageId;
      delete element.dataset.seq;
    }
    const clientId = stored ? stored.clientMessageId : pending.clientMessageId;
    if (clientId) element.dataset.clientMessageId = clientId;

    const timestamp = stored ? stored.timestamp : pending.timestamp;
    const children = [];
    children.push(
      h("span", { class: mine && !system ? "sender visually-hidden" : "sender" }, mine ? t("app.you") : displayName(senderId)),
    );
    children.push(contentNode(stored ? stored : { type: "text", content: pending.content }));
    const meta = [h("time", { datetime: timestamp, title: formatFullTime(timestamp) }, formatTime(timestamp))];
    if (mine && !system) meta.push(this.statusNode(stored, pending, entry));
    children.push(h("span", { class: "meta" }, meta));
    replaceChildren(element, children);
  }

  statusNode(stored, pending, entry) {
    let stateName;
    let text;
    let label;
    if (pending) {
      stateName = pending.state === "failed" ? "failed" : "sending";
      text = pending.state === "failed" ? `⚠ ${t("message.failed")}` : `○ ${t("message.sending")}`;
      label = pending.state === "failed" ? t("message.failed") : t("message.sending");
    } else {
      const readers = readersOf(entry, stored.seq);
      if (readers.length > 0) {
        stateName = "seen";
        text = `✓✓ ${t("message.seen")}`;
        label = t("message.seenBy", { names: readers.map(displayName).join(", ") });
      } else {
        stateName = "sent";
        text = `✓ ${t("message.sent")}`;
        label = t("message.sent");
      }
    }
    const node = h(
      "span",
      { class: `status status-${stateName}`, "data-testid": "message-status", "data-state": stateName, title: label },
      h("span", { "aria-hidden": "true" }, text),
      h("span", { class: "visually-hidden" }, label),
    );
    if (pending && pending.state === "failed") {
      node.append(
        " ",
        h(
          "button",
          { type: "button", class: "link-button", "data-testid": "retry", onclick: () => this.actions.retry(pending.clientMessageId) },
          t("message.retry"),
        ),
      );
    }
    return node;
  }

  renderTyping() {
    const typers = state.openId ? [...(state.typing.get(state.openId)?.keys() || [])] : [];
    if (typers.length === 0) {
      this.typing.hidden = true;
      this.typing.textContent = "";
      return;
    }
    this.typing.hidden = false;
    this.typing.textContent = t("typing.one", { name: typers.map(displayName).join(", ") });
  }

  /** Re-renders everything after a language change. */
  relabel() {
    for (const element of this.elements.values()) element.parleySignature = null;
    this.render();
  }
}

/** A message body: plain text (line breaks kept by CSS), or a link for images and files. */
function contentNode(message) {
  const text = String(message.content);
  if ((message.type === "image" || message.type === "file") && /^https?:\/\//i.test(text)) {
    return h(
      "p",
      { class: "text", "data-testid": "message-text" },
      h("a", { href: text, target: "_blank", rel: "noopener noreferrer" }, message.type === "image" ? `🖼 ${text}` : `📎 ${text}`),
    );
  }
  return h("p", { class: "text", "data-testid": "message-text" }, text);
}
