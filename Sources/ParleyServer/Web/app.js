// Parley's browser client: sign-in, inbox, thread and real time, wired together.
// No framework and no build step: ES modules served by the server itself.

import { Api, ApiError } from "./api.js";
import { askParentForToken, isExpired, listenForPostedTokens, storeToken, storedToken, takeFragment, userFromToken } from "./auth.js";
import { byId, h, randomId } from "./dom.js";
import { LANGUAGES, language, onLanguageChange, setLanguage, t, translateStatic } from "./i18n.js";
import { Realtime } from "./realtime.js";
import {
  conversationTitle,
  displayName,
  filterQuery,
  mergeMessage,
  newestSeq,
  noteMessageInConversation,
  oldestSeq,
  raiseReadPosition,
  state,
  thread,
  upsertConversation,
} from "./state.js";
import { InboxView } from "./views/inbox.js";
import { SignInView } from "./views/signin.js";
import { ThreadView } from "./views/thread.js";

const TYPING_REPEAT_MS = 3000; // a "start" again while still typing (the server forwards at most 1/s)
const TYPING_IDLE_MS = 4000; // no keystroke for this long: "stop"
const TYPING_SHOWN_MS = 6000; // someone's indicator without a new "start" fades after this
const MAX_PAGES_TO_CATCH_UP = 20;

const session = { token: null, pendingOpen: null };
const api = new Api(() => session.token, () => sessionExpired());
let realtime = null;
let typingOut = { active: false, conversationId: null, lastStart: 0, idleTimer: null };
let periodicTimers = [];
let inboxRequest = 0;
let everOnline = false;
const conversationFetches = new Map();

const workspace = byId("workspace");
const banner = byId("connection-banner");
const announcer = byId("announcer");
const signOutButton = byId("sign-out");
const currentUser = byId("current-user");
const languageSelect = byId("language-select");

const signInView = new SignInView((userId) => pickDevUser(userId));

const inboxView = new InboxView({
  openConversation: (id, options) => openConversation(id, options),
  changeFilters: (patch) => changeFilters(patch),
  loadMore: () => loadInbox({ more: true }),
  search: (q) => runSearch(q),
  clearSearch: () => {
    state.search = null;
    render();
  },
});

const threadView = new ThreadView({
  send: (text) => sendMessage(text),
  composerInput: (text) => composerInput(text),
  composerIdle: () => stopTyping(),
  loadOlder: () => loadOlder(),
  retry: (clientMessageId) => retry(clientMessageId),
  back: () => closeThread(),
  setStatus: (status) => changeConversation((id) => api.setStatus(id, status)),
  setPriority: (priority) => changeConversation((id) => api.setPriority(id, priority)),
  setLabels: (labels) => changeConversation((id) => api.setLabels(id, labels)),
  setArchived: (archived) => changeConversation((id) => api.setArchived(id, archived)),
  setAssignee: (userId) => changeConversation((id) => api.setAssignee(id, userId)),
});

// Rendering

let renderQueued = false;
function render() {
  if (renderQueued) return;
  renderQueued = true;
  queueMicrotask(() => {
    renderQueued = false;
    if (!state.me) return;
    inboxView.render();
    threadView.render();
  });
}

function renderHeader() {
  if (!state.me) {
    currentUser.textContent = "";
    signOutButton.hidden = true;
    return;
  }
  currentUser.textContent = t("app.signedInAs", { name: state.me.name, role: t(`role.${state.me.role}`) });
  currentUser.dataset.userId = state.me.userId;
  signOutButton.hidden = false;
}

function renderBanner() {
  const offline = state.me && state.connection === "offline";
  banner.hidden = !offline;
  banner.textContent = offline ? t("app.offline") : "";
  banner.dataset.state = state.connection;
}

/** Says something to screen readers (the aria-live region), keeping the last few lines. */
function announce(text) {
  const line = h("p", {}, text);
  announcer.append(line);
  while (announcer.childElementCount > 5) announcer.firstElementChild.remove();
  setTimeout(() => line.remove(), 20_000);
}

function isNarrow() {
  return window.matchMedia("(max-width: 720px)").matches;
}

function isOpenAndVisible(conversationId) {
  return state.openId === conversationId && document.visibilityState === "visible";
}

// Sign-in

async function boot() {
  document.documentElement.lang = language();
  for (const [code, name] of Object.entries(LANGUAGES)) {
    languageSelect.append(h("option", { value: code, selected: code === language() }, name));
  }
  languageSelect.addEventListener("change", () => setLanguage(languageSelect.value));
  onLanguageChange(() => {
    translateStatic();
    renderHeader();
    renderBanner();
    signInView.render();
    threadView.relabel();
    inboxView.render();
  });
  translateStatic();
  signOutButton.addEventListener("click", () => signOut());
  listenForPostedTokens((token) => useToken(token));
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") {
      maybeMarkRead();
      realtime?.reconnectNow();
    }
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && isNarrow() && state.openId && !event.defaultPrevented) closeThread();
  });
  installDebugHook();

  const { token, open } = takeFragment();
  session.pendingOpen = open;
  const devUsers = api.devUsers().then(
    (answer) => (answer && Array.isArray(answer.users) ? answer.users : null),
    () => null,
  );
  devUsers.then((users) => {
    if (!users) return;
    state.dev = true;
    for (const user of users) state.users.set(user.userId, { name: user.name, role: user.role });
    render();
  });

  const candidate = token || storedToken();
  if (candidate && !isExpired(candidate)) {
    useToken(candidate);
    return;
  }
  if (candidate) storeToken(null);
  signInView.show({ kind: "loading" });
  const users = await devUsers;
  if (state.me) return; // a token was posted meanwhile
  if (users) {
    signInView.show({ kind: "dev", users, expired: Boolean(candidate) });
  } else {
    signInView.show({ kind: candidate ? "expired" : "production" });
    askParentForToken(candidate ? "expired" : "missing");
  }
}

async function pickDevUser(userId) {
  try {
    const answer = await api.devToken(userId);
    if (answer.user) state.users.set(answer.user.userId, { name: answer.user.name, role: answer.user.role });
    useToken(answer.token);
  } catch (error) {
    const users = signInView.mode.users || [];
    signInView.show({ kind: "dev", users, error: error.message });
  }
}

/** A token from the fragment, storage, the embedding page or the dev picker. */
function useToken(token) {
  const user = userFromToken(token);
  if (!user || isExpired(token)) return;
  if (state.me && state.me.userId === user.userId) {
    // A fresh token for the same person: keep going with it.
    session.token = token;
    storeToken(token);
    realtime?.reconnectNow();
    return;
  }
  if (state.me) signOut({ quiet: true });
  session.token = token;
  storeToken(token);
  state.me = { userId: user.userId, name: user.name, role: user.role };
  const known = state.users.get(user.userId);
  if (known && known.name && user.name === user.userId) state.me.name = known.name;
  state.users.set(user.userId, { name: state.me.name, role: user.role });
  startSession();
}

function startSession() {
  signInView.hide();
  workspace.hidden = false;
  workspace.dataset.role = state.me.role;
  renderHeader();
  state.connection = "connecting";
  renderBanner();
  realtime = new Realtime(api, state.me.userId, {
    onEvent: handleEvent,
    onAck: (message) => handleMessage(message),
    onSendFailed: (entry, error) => {
      const pending = thread(entry.conversationId).pending.get(entry.clientMessageId);
      if (pending) pending.state = "failed";
      announce(`${t("message.failed")}: ${error.message || ""}`);
      render();
    },
    onStatus: (status) => {
      state.connection = status;
      renderBanner();
      if (status === "offline") {
        // Without a connection we cannot know who is online.
        for (const [userId, known] of state.presence) state.presence.set(userId, { ...known, state: "offline" });
        render();
        threadView.renderPresence();
        if (everOnline) announce(t("announce.offline"));
      }
      if (status === "online") {
        if (everOnline) announce(t("announce.online"));
        everOnline = true;
      }
    },
    onConnected: ({ resumed }) => afterConnect(resumed),
    onResumed: () => render(),
    onCursorExpired: () => refreshEverything(),
  });
  realtime.start();
  // An embedding page is asked for a fresh token two minutes before this one expires.
  const expiresAt = userFromToken(session.token)?.expiresAt;
  const askIn = expiresAt ? expiresAt - Date.now() - 120_000 : null;
  if (askIn !== null && askIn < 2 ** 31 - 1) {
    periodicTimers.push(setTimeout(() => askParentForToken("expiring"), Math.max(0, askIn)));
  }
  loadInbox().then(() => {
    const open = session.pendingOpen;
    session.pendingOpen = null;
    if (open) openFromLink(open);
  });
  periodicTimers.push(
    // Relative times ("5 min ago") and presence lines age.
    setInterval(() => {
      inboxView.render();
      threadView.renderPresence();
    }, 30_000),
    // Support and service see conversations they are not part of, which send them no
    // events: poll those while open, and the inbox now and then.
    setInterval(() => {
      if (!state.openId || !seesWithoutEvents(state.openId)) return;
      catchUp(state.openId).catch(() => {});
    }, 5_000),
    setInterval(() => {
      if (state.me && (state.me.role === "support" || state.me.role === "service") && !state.search) loadInbox();
    }, 30_000),
  );
  render();
}

function seesWithoutEvents(conversationId) {
  const conversation = state.conversations.get(conversationId);
  if (!conversation || !state.me) return false;
  const me = state.me.userId;
  const inAudience =
    (conversation.participants || []).some((p) => p.userId === me) || (conversation.metadata || {}).assignedTo === me;
  return !inAudience;
}

function signOut({ quiet = false } = {}) {
  stopTyping();
  realtime?.stop();
  realtime = null;
  for (const timer of periodicTimers) {
    clearInterval(timer);
    clearTimeout(timer);
  }
  periodicTimers = [];
  for (const typers of state.typing.values()) for (const timer of typers.values()) clearTimeout(timer);
  session.token = null;
  storeToken(null);
  state.me = null;
  state.conversations.clear();
  state.threads.clear();
  state.presence.clear();
  state.typing.clear();
  state.lastReadSent.clear();
  state.knownLabels.clear();
  state.search = null;
  state.openId = null;
  state.inbox = { loading: false, error: null, nextCursor: null, loadedOnce: false };
  state.connection = "connecting";
  everOnline = false;
  workspace.hidden = true;
  workspace.classList.remove("show-thread");
  threadView.render();
  renderHeader();
  renderBanner();
  if (quiet) return;
  if (state.dev) {
    api.devUsers().then(
      (answer) => signInView.show({ kind: "dev", users: answer.users }),
      () => signInView.show({ kind: "production" }),
    );
  } else {
    signInView.show({ kind: "production" });
  }
}

/** A 401 anywhere: the token expired or was revoked. */
function sessionExpired() {
  if (!state.me) return;
  const wasOpen = state.openId;
  signOut({ quiet: true });
  session.pendingOpen = wasOpen ? { conversation: wasOpen } : null;
  if (state.dev) {
    api.devUsers().then(
      (answer) => signInView.show({ kind: "dev", users: answer.users, expired: true }),
      () => signInView.show({ kind: "expired" }),
    );
  } else {
    signInView.show({ kind: "expired" });
  }
  askParentForToken("expired");
}

// Inbox

async function loadInbox({ more = false } = {}) {
  if (more && !state.inbox.nextCursor) return;
  const request = ++inboxRequest;
  state.inbox.loading = true;
  render();
  try {
    const answer = await api.listConversations(filterQuery(), more ? state.inbox.nextCursor : null);
    if (request !== inboxRequest) return;
    for (const conversation of answer.conversations || []) upsertConversation(conversation);
    state.inbox.nextCursor = answer.nextCursor || null;
    state.inbox.error = null;
    state.inbox.loadedOnce = true;
  } catch (error) {
    if (request !== inboxRequest) return;
    if (!(error instanceof ApiError && error.status === 401)) state.inbox.error = error.message;
  } finally {
    if (request === inboxRequest) state.inbox.loading = false;
    render();
  }
}

function changeFilters(patch) {
  Object.assign(state.filters, patch);
  state.inbox.nextCursor = null;
  render();
  loadInbox();
}

function fetchConversation(id) {
  if (conversationFetches.has(id)) return conversationFetches.get(id);
  const request = api
    .conversation(id)
    .then((conversation) => {
      upsertConversation(conversation);
      render();
      return conversation;
    })
    .finally(() => conversationFetches.delete(id));
  conversationFetches.set(id, request);
  return request;
}

async function runSearch(q) {
  state.search = { q, loading: true, error: null, results: [] };
  render();
  try {
    const answer = await api.search(q);
    if (!state.search || state.search.q !== q) return;
    state.search = { q, loading: false, error: null, results: answer.results || [] };
    const missing = [...new Set(state.search.results.map((r) => r.conversationId))].filter((id) => !state.conversations.has(id));
    await Promise.allSettled(missing.slice(0, 20).map((id) => fetchConversation(id)));
  } catch (error) {
    if (!state.search || state.search.q !== q) return;
    state.search = { q, loading: false, error: error.message, results: [] };
  }
  render();
}

async function openFromLink(open) {
  try {
    if (open.conversation) return await openConversation(open.conversation);
    const filter = open.orderId ? { orderId: open.orderId } : { productId: open.productId };
    for (const archived of ["false", "true"]) {
      const answer = await api.listConversations({ ...filter, archived });
      const found = (answer.conversations || [])[0];
      if (found) {
        upsertConversation(found);
        return await openConversation(found.conversationId);
      }
    }
  } catch {
    /* the list is there; nothing to open */
  }
}

// Thread

async function openConversation(id, { focusSeq = null } = {}) {
  if (state.openId !== id) stopTyping();
  state.openId = id;
  workspace.classList.add("show-thread");
  if (!state.conversations.has(id)) {
    try {
      await fetchConversation(id);
    } catch (error) {
      announce(t("thread.loadFailed", { message: error.message }));
      state.openId = null;
      workspace.classList.remove("show-thread");
      render();
      return;
    }
  }
  const conversation = state.conversations.get(id);
  if (conversation && !state.lastReadSent.has(id) && (conversation.unreadCount || 0) === 0) {
    state.lastReadSent.set(id, conversation.lastSeq || 0);
  }
  render();
  await new Promise((resolve) => queueMicrotask(resolve));
  if (focusSeq === null) {
    if (isNarrow()) threadView.focusTitle();
    else threadView.focusComposer();
  }
  const entry = thread(id);
  try {
    if (!entry.loaded) await loadThread(id);
    else if (entry.stale) await catchUp(id);
    if (focusSeq !== null) {
      for (let page = 0; page < MAX_PAGES_TO_CATCH_UP && entry.hasOlder && (oldestSeq(entry) ?? 0) > focusSeq; page += 1) {
        await loadOlder(200);
      }
    }
  } catch (error) {
    entry.error = error.message;
  }
  if (state.openId !== id) return;
  render();
  await new Promise((resolve) => queueMicrotask(resolve));
  if (focusSeq !== null) threadView.revealMessage(focusSeq);
  maybeMarkRead();
}

function closeThread() {
  stopTyping();
  const id = state.openId;
  state.openId = null;
  workspace.classList.remove("show-thread");
  render();
  queueMicrotask(() => {
    const button = id && document.querySelector(`[data-testid="conversation-item"][data-conversation-id="${CSS.escape(id)}"]`);
    if (button) button.focus();
  });
}

async function loadThread(id) {
  const entry = thread(id);
  entry.loading = true;
  entry.error = null;
  render();
  try {
    const page = await api.messages(id, {}, 50);
    // Messages that arrived live before the first load may not join up with this page.
    entry.byId.clear();
    for (const message of page.messages || []) mergeMessage(message);
    entry.hasOlder = Boolean(page.hasMore);
    entry.loaded = true;
    entry.stale = false;
  } finally {
    entry.loading = false;
  }
}

/** Fetches everything after the newest message we have, then the newest page (for readBy). */
async function catchUp(id) {
  const entry = thread(id);
  if (!entry.loaded) return loadThread(id);
  let after = newestSeq(entry);
  for (let page = 0; page < MAX_PAGES_TO_CATCH_UP; page += 1) {
    const answer = await api.messages(id, { after }, 200);
    const messages = answer.messages || [];
    for (const message of messages) handleMessage(message, { quiet: true });
    if (!answer.hasMore || messages.length === 0) break;
    after = messages[messages.length - 1].seq;
  }
  const newest = await api.messages(id, {}, 50);
  for (const message of newest.messages || []) handleMessage(message, { quiet: true });
  entry.stale = false;
  upsertConversation(await api.conversation(id));
  render();
  maybeMarkRead();
}

async function loadOlder(limit = 50) {
  const id = state.openId;
  if (!id) return;
  const entry = thread(id);
  const oldest = oldestSeq(entry);
  if (!entry.hasOlder || oldest === null || entry.loading) return;
  entry.loading = true;
  const scroller = byId("message-scroller");
  const fromBottom = scroller.scrollHeight - scroller.scrollTop;
  render();
  try {
    const page = await api.messages(id, { before: oldest }, limit);
    for (const message of page.messages || []) mergeMessage(message);
    entry.hasOlder = Boolean(page.hasMore);
  } catch (error) {
    entry.error = error.message;
  } finally {
    entry.loading = false;
  }
  threadView.render();
  scroller.scrollTop = scroller.scrollHeight - fromBottom;
}

/** Marks the open thread read up to its newest message, when it is on screen. */
function maybeMarkRead() {
  const id = state.openId;
  if (!id || !state.me || document.visibilityState !== "visible") return;
  const conversation = state.conversations.get(id);
  const entry = thread(id);
  const newest = Math.max(newestSeq(entry), conversation ? conversation.lastSeq || 0 : 0);
  if (!newest) return;
  const sent = state.lastReadSent.get(id) || 0;
  const unread = conversation ? conversation.unreadCount || 0 : 0;
  if (newest <= sent && unread === 0) return;
  state.lastReadSent.set(id, newest);
  if (conversation) conversation.unreadCount = 0;
  raiseReadPosition(entry, state.me.userId, newest);
  const frame = { type: "read", conversationId: id, seq: newest };
  if (!realtime || !realtime.sendFrame(frame)) {
    api.markRead(id, newest).catch(() => state.lastReadSent.set(id, sent));
  }
  render();
}

// Sending and typing

function sendMessage(text) {
  const id = state.openId;
  if (!id || !realtime) return;
  stopTyping();
  const clientMessageId = randomId();
  thread(id).pending.set(clientMessageId, {
    clientMessageId,
    content: text,
    state: "sending",
    timestamp: new Date().toISOString(),
  });
  realtime.sendMessage(id, text, clientMessageId);
  render();
}

function retry(clientMessageId) {
  const id = state.openId;
  const pending = id && thread(id).pending.get(clientMessageId);
  if (!pending || !realtime) return;
  pending.state = "sending";
  realtime.sendMessage(id, pending.content, clientMessageId);
  render();
}

function composerInput(text) {
  const id = state.openId;
  if (!id || !realtime) return;
  if (!text.trim()) {
    stopTyping();
    return;
  }
  const now = Date.now();
  if (!typingOut.active || typingOut.conversationId !== id || now - typingOut.lastStart >= TYPING_REPEAT_MS) {
    if (typingOut.active && typingOut.conversationId !== id) stopTyping();
    if (realtime.sendFrame({ type: "typing", conversationId: id, state: "start" })) {
      typingOut.active = true;
      typingOut.conversationId = id;
      typingOut.lastStart = now;
    }
  }
  clearTimeout(typingOut.idleTimer);
  typingOut.idleTimer = setTimeout(stopTyping, TYPING_IDLE_MS);
}

function stopTyping() {
  clearTimeout(typingOut.idleTimer);
  if (typingOut.active && realtime) {
    realtime.sendFrame({ type: "typing", conversationId: typingOut.conversationId, state: "stop" });
  }
  typingOut = { active: false, conversationId: null, lastStart: 0, idleTimer: null };
}

function setTyping(conversationId, userId, typing) {
  let typers = state.typing.get(conversationId);
  if (!typers) {
    typers = new Map();
    state.typing.set(conversationId, typers);
  }
  clearTimeout(typers.get(userId));
  if (typing) {
    typers.set(
      userId,
      setTimeout(() => setTyping(conversationId, userId, false), TYPING_SHOWN_MS),
    );
  } else {
    typers.delete(userId);
  }
  if (conversationId === state.openId) threadView.renderTyping();
}

// Management (status, priority, labels, archive, assignment)

async function changeConversation(call) {
  const id = state.openId;
  if (!id) return;
  try {
    const answer = await call(id);
    if (answer && answer.conversationId) upsertConversation(answer);
    else await fetchConversation(id);
    announce(t("manage.saved"));
  } catch (error) {
    announce(t("manage.failed", { message: error.message }));
    threadView.manageKey = null; // show the stored values again
  }
  render();
}

// Real-time events

function handleEvent(frame) {
  switch (frame.type) {
    case "message.new":
      if (frame.message) handleMessage(frame.message);
      break;
    case "conversation.updated":
      if (frame.conversation) {
        upsertConversation(frame.conversation);
        if (isOpenAndVisible(frame.conversation.conversationId)) maybeMarkRead();
        render();
      }
      break;
    case "typing":
      if (state.me && frame.userId !== state.me.userId) setTyping(frame.conversationId, frame.userId, frame.state === "start");
      break;
    case "read": {
      const entry = thread(frame.conversationId);
      raiseReadPosition(entry, frame.userId, frame.seq);
      if (state.me && frame.userId === state.me.userId) {
        const conversation = state.conversations.get(frame.conversationId);
        if (conversation && frame.seq >= (conversation.lastSeq || 0)) conversation.unreadCount = 0;
      }
      render();
      break;
    }
    case "presence":
      state.presence.set(frame.userId, { state: frame.state, lastSeen: frame.lastSeen || null });
      render();
      threadView.renderPresence();
      break;
    default:
      break;
  }
}

/** A stored message, from any source: kept once, counted once, announced once. */
function handleMessage(message, { quiet = false } = {}) {
  const isNew = mergeMessage(message);
  const fromOther = state.me && message.senderId !== state.me.userId;
  const visible = isOpenAndVisible(message.conversationId);
  const known = noteMessageInConversation(message, { countsAsUnread: isNew && fromOther && !visible });
  if (!known) fetchConversation(message.conversationId).catch(() => {});
  if (fromOther) setTyping(message.conversationId, message.senderId, false);
  if (isNew && fromOther && !quiet) {
    const conversation = state.conversations.get(message.conversationId);
    if (visible) {
      announce(t("announce.newMessage", { name: displayName(message.senderId), text: message.content.slice(0, 200) }));
    } else {
      const subject = conversation ? conversationTitle(conversation, t) : "";
      announce(t("announce.newMessageIn", { name: displayName(message.senderId), subject }));
    }
  }
  if (visible) maybeMarkRead();
  render();
}

async function afterConnect(resumed) {
  // The new connection is told who is online now; forget what the old one said.
  for (const [userId, known] of state.presence) state.presence.set(userId, { ...known, state: "offline" });
  render();
  if (realtime && realtime.stats.connects === 1 && !resumed) {
    // First connection: the inbox is loading already; catch the open thread up only.
    if (state.openId && thread(state.openId).loaded) catchUp(state.openId).catch(() => {});
    return;
  }
  refreshEverything();
}

/**
 * After a reconnect (the replay brings the messages) or a refused cursor: events that
 * are not replayed (status, labels, read positions) come back through REST.
 */
function refreshEverything() {
  loadInbox();
  for (const [id, entry] of state.threads) if (id !== state.openId && entry.loaded) entry.stale = true;
  if (state.openId) catchUp(state.openId).catch(() => {});
}

// For tests and for trying reconnection by hand (see Tests/Browser).

function installDebugHook() {
  window.parleyDebug = {
    dropConnection: () => realtime && realtime.dropConnection(),
    restoreConnection: () => realtime && realtime.restoreConnection(),
    connection: () => state.connection,
    cursor: () => (realtime ? realtime.cursor : null),
    stats: () => (realtime ? { ...realtime.stats, outbox: realtime.outbox.size } : null),
  };
}

boot();
