// The shape of what the page knows. Only actions change it (through the store); views
// read it. Merging is idempotent: the same message may arrive by REST, by ack, live and
// by replay, and is kept once (see threads.js).

import { localize } from "../i18n.js";
import { ASSISTANT_ID } from "./assist.js";
import { emptyAttachments } from "./attachments.js";

/** A fresh state, signed out. */
export function initialState({ language }) {
  return {
    language, // "es" | "en"
    limits: null, // GET /web/limits.json: the server's sizes (ParleyCore's Limits)
    token: null, // the bearer token of the signed-in user
    me: null, // {userId, name, role}
    dev: false, // the server offers the demo sign-in picker
    signIn: null, // the sign-in screen: {kind, users, error, expired}, null when hidden
    users: new Map(), // userId -> {name, role}, from /dev/users and what we learn
    conversations: new Map(), // conversationId -> Conversation (as the API returns it)
    inbox: emptyInbox(),
    filters: { status: "", label: "", priority: "", assignedTo: "", archived: false, escalated: false },
    knownLabels: new Set(),
    search: null, // {q, loading, error, results: []}
    openId: null,
    threads: new Map(), // conversationId -> Thread (threads.js)
    presence: new Map(), // userId -> {state: "online"|"offline", lastSeen: iso|null}
    typing: new Map(), // conversationId -> Set(userId) of those typing now
    connection: "connecting", // "connecting" | "online" | "offline"
    lastReadSent: new Map(), // conversationId -> seq
    announcements: [], // the last few {id, text} for screen readers
    focus: null, // a request to move focus: {serial, target, conversationId, seq}
    manageRevision: 0, // raised when a change failed: the panel shows the stored values again
    assist: emptyAssist(), // FAQ entries, templates and settings (sellers and support; store/assist.js)
    suggestions: new Map(), // conversationId -> {forMessageId, suggestions: [...]} (GET …/suggestions)
    feedback: new Map(), // messageId -> "sending" | "helpful" | "unhelpful": the buyer's verdict on an automatic answer
    templateUse: null, // a template picked in the composer that needs values: {conversationId, templateId, name, missing, values, error, serial}
    composerFill: null, // a request to put text in the composer (never sent by itself): {serial, conversationId, text}
    escalationNotices: [], // support and service: [{conversationId, at}], newest first (store/escalation.js)
    revealed: new Set(), // messageIds whose originalContent support or service chose to see
    attachments: emptyAttachments(), // files waiting in the composer and the photo viewer (store/attachments.js)
    notifications: emptyNotifications(), // Web Push for the signed-in user (actions/notifications.js)
    ticketForm: null, // the "request a support ticket" form of the open thread: {conversationId, sending, error}
    e2ee: emptyE2EE(), // this browser's device and what it knows of others' (actions/e2ee.js, store/e2ee.js)
    newConversation: null, // the "new conversation" form: {sending, error} while open
    clock: Date.now(), // moved on now and then so relative times age
  };
}

/** The assist panel and what it lists (filled by actions/assist.js). */
export function emptyAssist() {
  return {
    panelOpen: false,
    loading: false,
    error: null, // the lists could not be loaded
    faqOwner: "", // support and service: whose entries are shown ("" for the global ones)
    faq: null, // [FAQ entry] once loaded
    templates: null, // [template] once loaded
    autoAnswer: null, // sellers: the automatic answers setting, once loaded
    settingsError: null,
    // The two forms: {saving, error: {field, message} | null, saved: serial raised on each success}
    forms: { faq: { saving: false, error: null, saved: 0 }, template: { saving: false, error: null, saved: 0 } },
  };
}

/**
 * The "enable notifications" control: `available` once the browser has Push and the
 * server answered its key; `state` "off" | "on" | "blocked" (the browser refuses) |
 * "working"; `error` {key, message} of the last failure.
 */
export function emptyNotifications() {
  return { available: false, publicKey: null, state: "off", subscriptionId: null, error: null };
}

/**
 * End-to-end encryption as the page shows it: this browser's device (`device`:
 * {deviceId, safetyNumber} once registered, `error` when it could not be), the devices
 * of others with their safety numbers (`devices`: userId -> [{deviceId, safetyNumber,
 * changed, verified}]), the text of encrypted messages (`plaintexts`: messageId ->
 * {content, franking} | {error: reason}), the agents a conversation's keys were shared
 * with (`shares`: conversationId -> agentId) and the reports made of received messages
 * (`reports`: messageId -> "sending" | "sent" | "failed").
 */
export function emptyE2EE() {
  return { device: null, error: null, devices: new Map(), plaintexts: new Map(), shares: new Map(), reports: new Map() };
}

export function emptyInbox() {
  return { loading: false, error: null, nextCursor: null, loadedOnce: false };
}

/** Forgets everything of the signed-in user (the page's own settings stay). */
export function clearSession(state) {
  state.token = null;
  state.me = null;
  state.conversations.clear();
  state.threads.clear();
  state.presence.clear();
  state.typing.clear();
  state.lastReadSent.clear();
  state.knownLabels.clear();
  state.search = null;
  state.openId = null;
  state.inbox = emptyInbox();
  state.connection = "connecting";
  state.focus = null;
  state.assist = emptyAssist();
  state.suggestions.clear();
  state.feedback.clear();
  state.templateUse = null;
  state.composerFill = null;
  state.escalationNotices = [];
  state.revealed.clear();
  state.attachments = emptyAttachments();
  state.notifications = emptyNotifications();
  state.ticketForm = null;
  state.e2ee = emptyE2EE();
  state.newConversation = null;
  state.filters.escalated = false; // only support and service have that view
}

/** The name to show for a user (the assistant of automatic answers by its name in the page's language). */
export function displayName(state, userId) {
  if (state.me && userId === state.me.userId) return state.me.name;
  if (userId === ASSISTANT_ID) return localize(state.language).t("auto.sender");
  const user = state.users.get(userId);
  return user && user.name ? user.name : userId;
}

/** Whether this user gets the seller/support tools (filters, management). */
export function isDesk(state) {
  return Boolean(state.me) && state.me.role !== "buyer";
}

/** The support agents we know of, as [userId, name]. */
export function supportAgents(state) {
  return [...state.users].filter(([, user]) => user.role === "support").map(([id, user]) => [id, user.name]);
}
