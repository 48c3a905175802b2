// What the composer asks for: sending (through the realtime outbox, which re-sends
// with the same clientMessageId until stored), retrying, and "typing" frames.

import { randomId } from "../dom.js";
import { thread } from "../store/threads.js";

/** A "start" again while still typing (the server forwards at most one a second). */
const TYPING_REPEAT_MS = 3000;
/** No keystroke for this long: "stop". */
const TYPING_IDLE_MS = 4000;

export function composerActions({ store }, actions) {
  /** Our own typing state as last told to the server. */
  let typingOut = { active: false, conversationId: null, lastStart: 0, idleTimer: null };

  return {
    sendMessage(text) {
      const id = store.state.openId;
      if (!id || !actions.isLive()) return;
      actions.stopTyping();
      const clientMessageId = randomId();
      store.update((state) =>
        thread(state, id).pending.set(clientMessageId, {
          clientMessageId,
          content: text,
          state: "sending",
          timestamp: new Date().toISOString(),
        }),
      );
      actions.queueText(id, text, clientMessageId);
    },

    retry(clientMessageId) {
      const id = store.state.openId;
      const pending = id && thread(store.state, id).pending.get(clientMessageId);
      if (!pending || !actions.isLive()) return;
      store.update(() => (pending.state = "sending"));
      actions.queueText(id, pending.content, clientMessageId);
    },

    /** The composer's text changed: "start" (repeated while typing), "stop" when emptied or idle. */
    composerInput(text) {
      const id = store.state.openId;
      if (!id || !actions.isLive()) return;
      if (!text.trim()) {
        actions.stopTyping();
        return;
      }
      const now = Date.now();
      if (!typingOut.active || typingOut.conversationId !== id || now - typingOut.lastStart >= TYPING_REPEAT_MS) {
        if (typingOut.active && typingOut.conversationId !== id) actions.stopTyping();
        if (actions.sendFrame({ type: "typing", conversationId: id, state: "start" })) {
          typingOut.active = true;
          typingOut.conversationId = id;
          typingOut.lastStart = now;
        }
      }
      clearTimeout(typingOut.idleTimer);
      typingOut.idleTimer = setTimeout(() => actions.stopTyping(), TYPING_IDLE_MS);
    },

    stopTyping() {
      clearTimeout(typingOut.idleTimer);
      if (typingOut.active) actions.sendFrame({ type: "typing", conversationId: typingOut.conversationId, state: "stop" });
      typingOut = { active: false, conversationId: null, lastStart: 0, idleTimer: null };
    },
  };
}
