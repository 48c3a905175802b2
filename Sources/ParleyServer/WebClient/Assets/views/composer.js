// The composer of the open thread: Enter sends, Shift+Enter adds a line, a draft is
// kept per conversation, and a message over the server's size limit is refused here.
// A template or a suggestion fills it (`state.composerFill`); only the person sends.
// (The template picker and the suggestions are views of their own beside it.)
// With a file waiting in the attachment tray, Send sends the file and the text is its
// caption (which may be empty); a file the server refused is left out.

import { byId } from "../dom.js";
import { localize } from "../i18n.js";
import { draftOf, isBusy, isRefused } from "../store/attachments.js";
import { FocusTarget } from "./focus-target.js";

/** The tallest the text box grows before it scrolls. */
const MAX_INPUT_HEIGHT_PX = 160;

export class ComposerView {
  constructor(store, dispatch) {
    this.store = store;
    this.dispatch = dispatch;
    this.form = byId("composer");
    this.input = byId("composer-input");
    this.error = byId("composer-error");
    this.sendButton = byId("send-button");
    this.renderedFor = null;
    this.drafts = new Map(); // conversationId -> text not sent yet
    this.focusTarget = new FocusTarget("composer");
    this.filled = 0; // the last composerFill serial put in the text box

    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.submit();
    });
    this.input.addEventListener("keydown", (event) => {
      // Enter sends; Shift+Enter is a new line; never while an IME is composing, nor when
      // the template picker took the key.
      if (event.defaultPrevented) return;
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing && !event.altKey && !event.ctrlKey && !event.metaKey) {
        event.preventDefault();
        this.submit();
      }
    });
    this.input.addEventListener("input", () => {
      this.autosize();
      this.error.hidden = true;
      dispatch({ type: "composer.input", text: this.input.value });
    });
    this.input.addEventListener("blur", () => dispatch({ type: "composer.idle" }));
    store.subscribe((state) => this.render(state));
  }

  render(state) {
    const id = state.openId;
    if (!state.me || !id || !state.conversations.has(id)) {
      this.renderedFor = null;
      return;
    }
    if (this.renderedFor !== id) {
      if (this.renderedFor) this.drafts.set(this.renderedFor, this.input.value);
      this.renderedFor = id;
      this.input.value = this.drafts.get(id) || "";
      this.autosize();
      this.error.hidden = true;
    }
    const fill = state.composerFill;
    if (fill && fill.serial > this.filled) {
      this.filled = fill.serial;
      if (fill.conversationId === id) this.fill(fill.text);
    }
    if (!this.error.hidden) this.error.textContent = localize(state.language).t("composer.tooLong");
    this.sendButton.disabled = isBusy(draftOf(state, id));
    if (this.focusTarget.take(state)) this.input.focus();
  }

  /** Puts a template's or a suggestion's text in the box, ready to edit and send. */
  fill(text) {
    this.input.value = text;
    this.autosize();
    this.error.hidden = true;
    this.input.focus();
    this.input.setSelectionRange(text.length, text.length);
    this.dispatch({ type: "composer.input", text });
  }

  submit() {
    const { state } = this.store;
    const text = this.input.value;
    const waiting = draftOf(state, state.openId);
    if (isBusy(waiting)) return;
    // A file the server refused stays in the tray with its error; the text goes alone.
    const attachment = isRefused(waiting) ? null : waiting;
    if (!text.trim() && !attachment) return;
    if (new TextEncoder().encode(text).length > state.limits.maxContentBytes) {
      this.error.textContent = localize(state.language).t("composer.tooLong");
      this.error.hidden = false;
      return;
    }
    this.input.value = "";
    this.autosize();
    if (state.openId) this.drafts.delete(state.openId);
    if (attachment) this.dispatch({ type: "attachment.send", caption: text.trim() ? text : "" });
    else this.dispatch({ type: "message.send", text });
  }

  autosize() {
    this.input.style.height = "auto";
    this.input.style.height = `${Math.min(this.input.scrollHeight, MAX_INPUT_HEIGHT_PX)}px`;
  }
}
