// The realtime connection of a session and what its events do to the state: new
// messages (kept once, counted once, announced once), conversation changes and
// escalations, typing, read positions and presence; after a reconnect, what is not
// replayed comes by REST.

import { Realtime } from "../services/realtime.js";
import { messageSummary } from "../store/attachments.js";
import { conversationTitle, noteMessageInConversation } from "../store/conversations.js";
import { displayName } from "../store/state.js";
import { mergeMessage, raiseReadPosition, thread } from "../store/threads.js";

/** Someone's typing indicator without a new "start" fades after this. */
const TYPING_SHOWN_MS = 6000;
/** Relative times ("5 min ago") and presence lines are rendered again this often. */
const CLOCK_TICK_MS = 30_000;
/** How often an open conversation that sends us no events is fetched again (support, service). */
const UNSUBSCRIBED_THREAD_POLL_MS = 5_000;
/** How often support and service reload the inbox (they see conversations they are not part of). */
const DESK_INBOX_POLL_MS = 30_000;
/** The start of a new message that is read out to screen readers. */
const ANNOUNCED_CHARACTERS = 200;

export function liveActions({ store, api }, actions) {
  let realtime = null;
  let everOnline = false;
  let timers = [];
  /** `${conversationId} ${userId}` -> the timer that hides their typing indicator. */
  const typingTimers = new Map();

  const isOpenAndVisible = (conversationId) =>
    store.state.openId === conversationId && document.visibilityState === "visible";

  /** Whether the signed-in user sees a conversation without being sent its events. */
  const seesWithoutEvents = (conversationId) => {
    const { me, conversations } = store.state;
    const conversation = conversations.get(conversationId);
    if (!conversation || !me) return false;
    const inAudience =
      (conversation.participants || []).some((p) => p.userId === me.userId) ||
      (conversation.metadata || {}).assignedTo === me.userId;
    return !inAudience;
  };

  const setTyping = (conversationId, userId, typing) => {
    const key = `${conversationId} ${userId}`;
    clearTimeout(typingTimers.get(key));
    typingTimers.delete(key);
    if (typing) typingTimers.set(key, setTimeout(() => setTyping(conversationId, userId, false), TYPING_SHOWN_MS));
    const shown = store.state.typing.get(conversationId);
    if (!typing && !(shown && shown.has(userId))) return;
    store.update((state) => {
      let typers = state.typing.get(conversationId);
      if (!typers) {
        typers = new Set();
        state.typing.set(conversationId, typers);
      }
      if (typing) typers.add(userId);
      else typers.delete(userId);
    });
  };

  const markEveryoneOffline = (state) => {
    for (const [userId, known] of state.presence) state.presence.set(userId, { ...known, state: "offline" });
  };

  const onStatus = (status) => {
    store.update((state) => {
      state.connection = status;
      // Without a connection we cannot know who is online.
      if (status === "offline") markEveryoneOffline(state);
    });
    if (status === "offline" && everOnline) actions.announce((t) => t("announce.offline"));
    if (status === "online") {
      if (everOnline) actions.announce((t) => t("announce.online"));
      everOnline = true;
    }
  };

  const onSendFailed = (entry, error) => {
    if (entry.encrypted && error.code === "stale_epoch") actions.epochWentStale(entry.conversationId);
    store.update((state) => {
      const pending = thread(state, entry.conversationId).pending.get(entry.clientMessageId);
      if (pending) pending.state = "failed";
    });
    actions.announce((t) => `${t("message.failed")}: ${error.message || ""}`);
  };

  const handleEvent = (frame) => {
    switch (frame.type) {
      case "message.new":
        if (frame.message) actions.handleMessage(frame.message);
        break;
      case "conversation.updated":
        if (frame.conversation) {
          actions.applyConversationUpdate(frame.conversation);
          if (isOpenAndVisible(frame.conversation.conversationId)) actions.maybeMarkRead();
        }
        break;
      case "devices.changed":
        actions.devicesChanged(frame);
        break;
      case "escalated":
        // To every connected support user: the conversation as with conversation.updated, and a notice.
        if (frame.conversation) actions.conversationEscalated(frame.conversation);
        break;
      case "typing":
        if (store.state.me && frame.userId !== store.state.me.userId) {
          setTyping(frame.conversationId, frame.userId, frame.state === "start");
        }
        break;
      case "read":
        store.update((state) => {
          raiseReadPosition(thread(state, frame.conversationId), frame.userId, frame.seq);
          if (state.me && frame.userId === state.me.userId) {
            const conversation = state.conversations.get(frame.conversationId);
            if (conversation && frame.seq >= (conversation.lastSeq || 0)) conversation.unreadCount = 0;
          }
        });
        break;
      case "presence":
        store.update((state) => state.presence.set(frame.userId, { state: frame.state, lastSeen: frame.lastSeen || null }));
        break;
      default:
        break;
    }
  };

  const afterConnect = (resumed) => {
    // The new connection is told who is online now; forget what the old one said.
    store.update(markEveryoneOffline);
    if (realtime && realtime.stats.connects === 1 && !resumed) {
      // First connection: the inbox is loading already; catch the open thread up only.
      const { openId } = store.state;
      if (openId && thread(store.state, openId).loaded) actions.catchUp(openId).catch(() => {});
      return;
    }
    refreshEverything();
  };

  /**
   * After a reconnect (the replay brings the messages) or a refused cursor: events that
   * are not replayed (status, labels, read positions) come back through REST.
   */
  const refreshEverything = () => {
    actions.loadInbox();
    store.update((state) => {
      for (const [id, entry] of state.threads) if (id !== state.openId && entry.loaded) entry.stale = true;
    });
    if (store.state.openId) actions.catchUp(store.state.openId).catch(() => {});
  };

  return {
    startLive() {
      everOnline = false;
      store.update((state) => (state.connection = "connecting"));
      realtime = new Realtime(api, store.state.me.userId, {
        onEvent: handleEvent,
        onAck: (message) => actions.handleMessage(message),
        onSendFailed,
        onStatus,
        onConnected: ({ resumed }) => afterConnect(resumed),
        onResumed: () => {},
        onCursorExpired: () => refreshEverything(),
      });
      realtime.start();
      timers.push(
        setInterval(() => actions.tick(), CLOCK_TICK_MS),
        setInterval(() => {
          const { openId } = store.state;
          if (!openId || !seesWithoutEvents(openId)) return;
          actions.catchUp(openId).catch(() => {});
        }, UNSUBSCRIBED_THREAD_POLL_MS),
        setInterval(() => {
          const { me, search } = store.state;
          if (me && (me.role === "support" || me.role === "service") && !search) actions.loadInbox();
        }, DESK_INBOX_POLL_MS),
      );
    },

    stopLive() {
      realtime?.stop();
      realtime = null;
      for (const timer of timers) clearInterval(timer);
      timers = [];
      for (const timer of typingTimers.values()) clearTimeout(timer);
      typingTimers.clear();
      everOnline = false;
    },

    isLive: () => realtime !== null,
    reconnectNow: () => realtime?.reconnectNow(),
    /** Sends a frame if the socket is open; answers whether it was sent. */
    sendFrame: (frame) => Boolean(realtime && realtime.sendFrame(frame)),
    /** `encrypted`: the envelope of an end-to-end encrypted message (then `text` is not sent). */
    queueMessage: (conversationId, text, clientMessageId, encrypted = null) =>
      realtime?.sendMessage(conversationId, text, clientMessageId, encrypted),

    /** A stored message, from any source: kept once, counted once, announced once. */
    handleMessage(message, { quiet = false } = {}) {
      const { me } = store.state;
      const fromOther = me && message.senderId !== me.userId;
      const visible = isOpenAndVisible(message.conversationId);
      const { isNew, known } = store.update((state) => {
        const isNew = mergeMessage(state, message);
        const known = noteMessageInConversation(state, message, { countsAsUnread: isNew && fromOther && !visible });
        return { isNew, known };
      });
      if (!known) actions.fetchConversation(message.conversationId).catch(() => {});
      if (fromOther) setTyping(message.conversationId, message.senderId, false);
      if (isNew && fromOther && !quiet) {
        actions.announce((t) => {
          const { state } = store;
          const name = displayName(state, message.senderId);
          if (visible) return t("announce.newMessage", { name, text: messageSummary(message, t).slice(0, ANNOUNCED_CHARACTERS) });
          const conversation = state.conversations.get(message.conversationId);
          return t("announce.newMessageIn", { name, subject: conversation ? conversationTitle(conversation, t) : "" });
        });
      }
      if (visible) actions.maybeMarkRead();
      // A new question (or an answer to it) changes what to suggest for the open thread.
      if (isNew && store.state.openId === message.conversationId) actions.loadSuggestions(message.conversationId);
    },

    /** For tests and for trying reconnection by hand (window.parleyDebug, see Tests/Browser). */
    debugHook() {
      return {
        dropConnection: () => realtime && realtime.dropConnection(),
        restoreConnection: () => realtime && realtime.restoreConnection(),
        connection: () => store.state.connection,
        cursor: () => (realtime ? realtime.cursor : null),
        stats: () => (realtime ? { ...realtime.stats, outbox: realtime.outbox.size } : null),
        e2ee: actions.e2eeDebug(),
      };
    },
  };
}
