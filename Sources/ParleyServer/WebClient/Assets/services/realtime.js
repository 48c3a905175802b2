// The WebSocket at /api/realtime (CONTRACT.md "Real time", docs/realtime.md).
//
// - Browsers cannot set headers: each connection takes a single-use ticket from
//   POST /api/realtime/tickets and opens ws(s)://host/api/realtime?ticket=….
// - After a disconnect it reconnects with backoff and resumes from the last cursor it
//   saw (`&cursor=…`: the server replays what was missed before any live event).
// - Messages are sent with a clientMessageId and kept in an outbox until acknowledged;
//   after a reconnect they are sent again with the same id, and the server answers
//   with the stored message instead of making a second one.

import { ApiError } from "./api.js";

const BACKOFF_MS = [250, 500, 1000, 2000, 4000, 8000];
const PING_EVERY_MS = 25_000;
const PONG_TIMEOUT_MS = 10_000;
/** A message still unsent after this long, while the socket is down, goes by REST. */
const REST_FALLBACK_MS = 8_000;

export class Realtime {
  /**
   * @param {import("./api.js").Api} api
   * @param {object} handlers
   *   onEvent(frame)            message.new, conversation.updated, escalated, typing, read, presence
   *   onAck(message)            a message of ours is stored (by ack, replay or REST)
   *   onSendFailed(entry, err)  the server refused a message for good
   *   onStatus(status)          "connecting" | "online" | "offline"
   *   onConnected({resumed})    a new connection is up (resumed: opened with a cursor)
   *   onResumed()               the replay after a cursor is complete
   *   onCursorExpired()         the cursor was refused: reload through REST
   */
  constructor(api, userId, handlers) {
    this.api = api;
    this.userId = userId;
    this.handlers = handlers;
    this.socket = null;
    this.status = "connecting";
    this.cursor = null;
    this.outbox = new Map(); // clientMessageId -> {conversationId, content, clientMessageId, frameId, queuedAt}
    this.nextFrameId = 1;
    this.attempt = 0;
    this.reconnectTimer = null;
    this.pingTimer = null;
    this.pongDeadline = null;
    this.blocked = false; // the debug hook's "offline"
    this.stopped = true;
    this.connecting = false;
    this.stats = { connects: 0, resumes: 0, replayed: 0, lastUrlHadCursor: false };
    this.replaying = false;
    this.onBrowserOnline = () => this.reconnectNow();
    this.fallbackTimer = null;
  }

  start() {
    if (!this.stopped) return;
    this.stopped = false;
    window.addEventListener("online", this.onBrowserOnline);
    this.fallbackTimer = setInterval(() => this.restFallback(), 2000);
    this.connect();
  }

  stop() {
    this.stopped = true;
    window.removeEventListener("online", this.onBrowserOnline);
    clearInterval(this.fallbackTimer);
    clearTimeout(this.reconnectTimer);
    this.detach(1000, "signed out");
  }

  get isOpen() {
    return this.socket !== null && this.socket.readyState === WebSocket.OPEN;
  }

  setStatus(status) {
    if (this.status === status) return;
    this.status = status;
    this.handlers.onStatus(status);
  }

  async connect() {
    if (this.stopped || this.blocked || this.connecting || this.socket) return;
    this.connecting = true;
    let ticket;
    try {
      ticket = (await this.api.realtimeTicket()).ticket;
    } catch (error) {
      this.connecting = false;
      // 401: the token is gone or expired; the app asks for a new one and restarts us.
      if (error instanceof ApiError && error.status === 401) {
        this.setStatus("offline");
        return;
      }
      this.failed();
      return;
    }
    if (this.stopped || this.blocked) {
      this.connecting = false;
      return;
    }
    const url = new URL("/api/realtime", window.location.href);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    url.search = "";
    url.searchParams.set("ticket", ticket);
    const resuming = this.cursor !== null;
    if (resuming) url.searchParams.set("cursor", this.cursor);
    this.stats.lastUrlHadCursor = resuming;

    let socket;
    try {
      socket = new WebSocket(url.toString());
    } catch {
      this.connecting = false;
      this.failed();
      return;
    }
    this.socket = socket;
    this.connecting = false;
    this.replaying = resuming;
    let opened = false;
    socket.onopen = () => {
      if (this.socket !== socket) return;
      opened = true;
      this.refusedResumes = 0;
      this.attempt = 0;
      this.stats.connects += 1;
      if (resuming) this.stats.resumes += 1;
      this.setStatus("online");
      this.startPing();
      this.handlers.onConnected({ resumed: resuming });
      this.flushOutbox();
    };
    socket.onmessage = (event) => {
      if (this.socket !== socket) return;
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch {
        return;
      }
      this.handleFrame(frame);
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.stopPing();
      // The ticket was good but the upgrade failed: if that keeps happening with a
      // cursor, the server refuses the cursor; reconnect without it (REST reloads).
      if (!opened && resuming) {
        this.refusedResumes = (this.refusedResumes || 0) + 1;
        if (this.refusedResumes >= 3) {
          this.cursor = null;
          this.refusedResumes = 0;
        }
      }
      this.failed();
    };
    socket.onerror = () => {
      /* a close event follows */
    };
  }

  /** The connection could not be made or was lost: show offline, try again later. */
  failed() {
    this.setStatus("offline");
    if (this.stopped || this.blocked) return;
    clearTimeout(this.reconnectTimer);
    const base = BACKOFF_MS[Math.min(this.attempt, BACKOFF_MS.length - 1)];
    this.attempt += 1;
    const delay = base * (0.8 + Math.random() * 0.4);
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
  }

  reconnectNow() {
    if (this.stopped || this.blocked || this.socket || this.connecting) return;
    clearTimeout(this.reconnectTimer);
    this.connect();
  }

  /** Forgets the current socket without waiting for its close handshake. */
  detach(code = 4000, reason = "") {
    const socket = this.socket;
    this.socket = null;
    this.stopPing();
    if (socket) {
      socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
      try {
        socket.close(code, reason);
      } catch {
        /* already closing */
      }
    }
  }

  startPing() {
    this.stopPing();
    this.pingTimer = setInterval(() => {
      if (!this.isOpen) return;
      if (this.pongDeadline !== null && Date.now() > this.pongDeadline) {
        // No answer: the connection is dead even if the browser has not noticed.
        this.detach(4001, "no pong");
        this.failed();
        return;
      }
      if (this.pongDeadline === null) this.pongDeadline = Date.now() + PONG_TIMEOUT_MS;
      this.sendFrame({ type: "ping", id: `ping-${this.nextFrameId++}` });
    }, PING_EVERY_MS);
  }

  stopPing() {
    clearInterval(this.pingTimer);
    this.pingTimer = null;
    this.pongDeadline = null;
  }

  /** Sends a frame if the socket is open; answers whether it was sent. */
  sendFrame(frame) {
    if (!this.isOpen) return false;
    try {
      this.socket.send(JSON.stringify(frame));
      return true;
    } catch {
      return false;
    }
  }

  handleFrame(frame) {
    switch (frame.type) {
      case "message.new": {
        if (typeof frame.cursor === "string") this.cursor = frame.cursor;
        if (this.replaying) this.stats.replayed += 1;
        const message = frame.message;
        if (message && message.senderId === this.userId && message.clientMessageId) {
          if (this.outbox.delete(message.clientMessageId)) this.handlers.onAck(message);
        }
        this.handlers.onEvent(frame);
        break;
      }
      case "ack": {
        const message = frame.message;
        if (message && message.clientMessageId) this.outbox.delete(message.clientMessageId);
        if (message) this.handlers.onAck(message);
        break;
      }
      case "resumed":
        this.replaying = false;
        this.handlers.onResumed();
        break;
      case "pong":
        this.pongDeadline = null;
        break;
      case "error":
        this.handleError(frame);
        break;
      default:
        this.handlers.onEvent(frame);
    }
  }

  handleError(frame) {
    const error = frame.error || {};
    if (error.code === "cursor_expired") {
      this.cursor = null;
      this.replaying = false;
      this.handlers.onCursorExpired();
      return;
    }
    const entry = [...this.outbox.values()].find((candidate) => candidate.frameId === frame.id);
    if (!entry) return;
    if (error.code === "rate_limited") {
      setTimeout(() => this.sendEntry(entry), 1000);
      return;
    }
    this.outbox.delete(entry.clientMessageId);
    this.handlers.onSendFailed(entry, error);
  }

  /**
   * Queues a message; it is sent now if connected, else as soon as we are. `encrypted`:
   * an end-to-end encrypted envelope sent instead of `content` (the same one on every
   * re-send, so the server's clientMessageId answer is the first message).
   */
  sendMessage(conversationId, content, clientMessageId, encrypted = null) {
    const entry = { conversationId, content, clientMessageId, encrypted, frameId: null, queuedAt: Date.now() };
    this.outbox.set(clientMessageId, entry);
    this.sendEntry(entry);
    return entry;
  }

  sendEntry(entry) {
    if (!this.outbox.has(entry.clientMessageId)) return;
    entry.frameId = `send-${this.nextFrameId++}`;
    this.sendFrame({
      type: "message.send",
      id: entry.frameId,
      conversationId: entry.conversationId,
      ...(entry.encrypted ? { encrypted: entry.encrypted } : { content: entry.content }),
      contentType: "text",
      clientMessageId: entry.clientMessageId,
    });
  }

  flushOutbox() {
    for (const entry of this.outbox.values()) this.sendEntry(entry);
  }

  /** Messages waiting too long while the socket is down go through REST (same id). */
  async restFallback() {
    if (this.isOpen || this.blocked || this.api.offline) return;
    const now = Date.now();
    for (const entry of [...this.outbox.values()]) {
      if (now - entry.queuedAt < REST_FALLBACK_MS || entry.restInFlight) continue;
      entry.restInFlight = true;
      try {
        const message = entry.encrypted
          ? await this.api.sendEncrypted(entry.conversationId, entry.encrypted, entry.clientMessageId)
          : await this.api.send(entry.conversationId, entry.content, entry.clientMessageId);
        if (this.outbox.delete(entry.clientMessageId)) this.handlers.onAck(message);
      } catch (error) {
        if (error instanceof ApiError && error.status >= 400 && error.status < 500 && error.status !== 429 && error.status !== 401) {
          this.outbox.delete(entry.clientMessageId);
          this.handlers.onSendFailed(entry, error);
        }
      } finally {
        entry.restInFlight = false;
      }
    }
  }

  // The debug hook (window.parleyDebug): a dropped network, for tests and for trying it.

  dropConnection() {
    this.blocked = true;
    this.api.offline = true;
    clearTimeout(this.reconnectTimer);
    this.detach(4000, "dropped for testing");
    this.setStatus("offline");
  }

  restoreConnection() {
    this.blocked = false;
    this.api.offline = false;
    this.attempt = 0;
    this.reconnectNow();
  }
}
