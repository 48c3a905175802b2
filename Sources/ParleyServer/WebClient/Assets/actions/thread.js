// The open thread: opening and closing it, its pages of messages, catching up after a
// gap, and telling the server how far it has been read.

import { isNarrow } from "../dom.js";
import { upsertConversation } from "../store/conversations.js";
import { mergeMessage, newestSeq, oldestSeq, raiseReadPosition, thread } from "../store/threads.js";

/** Pages walked at most to catch up after a gap, or to reach a search result's message. */
const MAX_PAGES_TO_CATCH_UP = 20;

export function threadActions({ store, api }, actions) {
  const loadThread = async (id) => {
    store.update((state) => {
      const entry = thread(state, id);
      entry.loading = true;
      entry.error = null;
    });
    try {
      const page = await api.messages(id, {}, store.state.limits.defaultPageSize);
      store.update((state) => {
        const entry = thread(state, id);
        // Messages that arrived live before the first load may not join up with this page.
        entry.byId.clear();
        for (const message of page.messages || []) mergeMessage(state, message);
        entry.hasOlder = Boolean(page.hasMore);
        entry.loaded = true;
        entry.stale = false;
      });
    } finally {
      store.update((state) => (thread(state, id).loading = false));
    }
  };

  return {
    async openConversation(id, { focusSeq = null } = {}) {
      if (store.state.openId !== id) actions.stopTyping();
      store.update((state) => (state.openId = id));
      actions.dismissEscalationNotice(id); // seen to
      if (!store.state.conversations.has(id)) {
        try {
          await actions.fetchConversation(id);
        } catch (error) {
          actions.announce((t) => t("thread.loadFailed", { message: error.message }));
          store.update((state) => (state.openId = null));
          return;
        }
      }
      store.update((state) => {
        const conversation = state.conversations.get(id);
        if (conversation && !state.lastReadSent.has(id) && (conversation.unreadCount || 0) === 0) {
          state.lastReadSent.set(id, conversation.lastSeq || 0);
        }
      });
      if (focusSeq === null) actions.requestFocus(isNarrow() ? "thread-title" : "composer");
      const entry = thread(store.state, id);
      try {
        if (!entry.loaded) await loadThread(id);
        else if (entry.stale) await actions.catchUp(id);
        if (focusSeq !== null) {
          for (let page = 0; page < MAX_PAGES_TO_CATCH_UP && entry.hasOlder && (oldestSeq(entry) ?? 0) > focusSeq; page += 1) {
            await actions.loadOlder(store.state.limits.maxPageSize);
          }
        }
      } catch (error) {
        store.update(() => (entry.error = error.message));
      }
      if (store.state.openId !== id) return;
      actions.loadSuggestions(id);
      if (focusSeq !== null) actions.requestFocus("message", { conversationId: id, seq: focusSeq });
      actions.maybeMarkRead();
    },

    closeThread() {
      actions.stopTyping();
      const id = store.state.openId;
      store.update((state) => (state.openId = null));
      if (id) actions.requestFocus("conversation", { conversationId: id });
    },

    /** Fetches everything after the newest message we have, then the newest page (for readBy). */
    async catchUp(id) {
      const entry = thread(store.state, id);
      if (!entry.loaded) return loadThread(id);
      const { defaultPageSize, maxPageSize } = store.state.limits;
      let after = newestSeq(entry);
      for (let page = 0; page < MAX_PAGES_TO_CATCH_UP; page += 1) {
        const answer = await api.messages(id, { after }, maxPageSize);
        const messages = answer.messages || [];
        for (const message of messages) actions.handleMessage(message, { quiet: true });
        if (!answer.hasMore || messages.length === 0) break;
        after = messages[messages.length - 1].seq;
      }
      const newest = await api.messages(id, {}, defaultPageSize);
      for (const message of newest.messages || []) actions.handleMessage(message, { quiet: true });
      const conversation = await api.conversation(id);
      store.update((state) => {
        entry.stale = false;
        upsertConversation(state, conversation);
      });
      actions.maybeMarkRead();
    },

    async loadOlder(limit = store.state.limits.defaultPageSize) {
      const id = store.state.openId;
      if (!id) return;
      const entry = thread(store.state, id);
      const oldest = oldestSeq(entry);
      if (!entry.hasOlder || oldest === null || entry.loading) return;
      store.update(() => (entry.loading = true));
      try {
        const page = await api.messages(id, { before: oldest }, limit);
        store.update((state) => {
          for (const message of page.messages || []) mergeMessage(state, message);
          entry.hasOlder = Boolean(page.hasMore);
        });
      } catch (error) {
        store.update(() => (entry.error = error.message));
      } finally {
        store.update(() => (entry.loading = false));
      }
    },

    /** Marks the open thread read up to its newest message, when it is on screen. */
    maybeMarkRead() {
      const { openId: id, me } = store.state;
      if (!id || !me || document.visibilityState !== "visible") return;
      const conversation = store.state.conversations.get(id);
      const entry = thread(store.state, id);
      const newest = Math.max(newestSeq(entry), conversation ? conversation.lastSeq || 0 : 0);
      if (!newest) return;
      const sent = store.state.lastReadSent.get(id) || 0;
      const unread = conversation ? conversation.unreadCount || 0 : 0;
      if (newest <= sent && unread === 0) return;
      store.update((state) => {
        state.lastReadSent.set(id, newest);
        if (conversation) conversation.unreadCount = 0;
        raiseReadPosition(entry, me.userId, newest);
      });
      if (!actions.sendFrame({ type: "read", conversationId: id, seq: newest })) {
        api.markRead(id, newest).catch(() => store.update((state) => state.lastReadSent.set(id, sent)));
      }
    },

    /** The tab is shown again: mark what is on screen read, reconnect at once if down. */
    pageShown() {
      actions.maybeMarkRead();
      actions.reconnectNow();
    },
  };
}
