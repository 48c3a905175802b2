// The page itself: what screen readers are told, where the focus goes, the language,
// and the clock that ages relative times.

import { localize, rememberLanguage, isLanguage } from "../i18n.js";

/** Announcements kept for the announcer (it shows each once, then drops it). */
const MAX_ANNOUNCEMENTS = 5;

export function pageActions({ store }) {
  let announcementId = 0;
  let focusSerial = 0;

  return {
    /** Says something to screen readers; `text` is a string or `(t) => string` in the page's language. */
    announce(text) {
      store.update((state) => {
        const line = typeof text === "function" ? text(localize(state.language).t) : text;
        state.announcements = [...state.announcements, { id: ++announcementId, text: line }].slice(-MAX_ANNOUNCEMENTS);
      });
    },

    /**
     * Asks the view that owns `target` to move the focus there, once ("composer",
     * "thread-title", "search", "conversation" {conversationId}, "message" {conversationId, seq}).
     */
    requestFocus(target, details = {}) {
      store.update((state) => (state.focus = { serial: ++focusSerial, target, ...details }));
    },

    setLanguage(language) {
      if (!isLanguage(language) || language === store.state.language) return;
      rememberLanguage(language);
      store.update((state) => (state.language = language));
    },

    /** Moves the clock on: "5 min ago" and "last seen" lines are rendered again. */
    tick() {
      store.update((state) => (state.clock = Date.now()));
    },
  };
}
