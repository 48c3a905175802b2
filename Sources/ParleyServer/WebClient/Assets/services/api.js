// The REST side of the contract (../shared/CONTRACT.md), same origin as the page.

/** An error answered by the server ({error: {code, message}}) or a network failure. */
export class ApiError extends Error {
  constructor(status, code, message, retryAfter = null) {
    super(message);
    this.status = status; // 0 for a network failure
    this.code = code;
    this.retryAfter = retryAfter;
  }
}

export class Api {
  /**
   * @param {() => string|null} getToken  the current bearer token
   * @param {(error: ApiError) => void} onUnauthorized  called on every 401
   */
  constructor(getToken, onUnauthorized) {
    this.getToken = getToken;
    this.onUnauthorized = onUnauthorized;
    /** While true every call fails as if the network were down (the offline debug hook). */
    this.offline = false;
  }

  /**
   * `token`: use this token instead of the current one, and never end the session on its
   * 401 (sign-out cleans up with the token it is dropping).
   */
  async request(method, path, body = undefined, { auth = true, token: givenToken = null } = {}) {
    if (this.offline) throw new ApiError(0, "offline", "offline");
    const headers = { Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const token = givenToken || this.getToken();
    if (auth && token) headers.Authorization = `Bearer ${token}`;
    let response;
    try {
      response = await fetch(path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: "omit",
        cache: "no-store",
      });
    } catch (cause) {
      throw new ApiError(0, "network", String(cause && cause.message ? cause.message : cause));
    }
    let payload = null;
    const text = await response.text();
    if (text) {
      try {
        payload = JSON.parse(text);
      } catch {
        payload = null;
      }
    }
    if (!response.ok) {
      const detail = (payload && payload.error) || {};
      const error = new ApiError(
        response.status,
        detail.code || `http_${response.status}`,
        detail.message || response.statusText,
        response.headers.get("Retry-After"),
      );
      if (response.status === 401 && auth && !givenToken) this.onUnauthorized(error);
      throw error;
    }
    return payload;
  }

  // Conversations

  listConversations(filters, limit, cursor = null) {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(filters)) {
      if (value !== null && value !== undefined && value !== "") query.set(key, String(value));
    }
    query.set("limit", String(limit));
    if (cursor) query.set("cursor", cursor);
    return this.request("GET", `/api/conversations?${query}`);
  }

  conversation(id) {
    return this.request("GET", `/api/conversations/${encodeURIComponent(id)}`);
  }

  /** `anchor`: {} for the newest page, {before: seq} or {after: seq}. */
  messages(id, anchor, limit) {
    const query = new URLSearchParams({ limit: String(limit) });
    if (anchor.before !== undefined) query.set("before", String(anchor.before));
    if (anchor.after !== undefined) query.set("after", String(anchor.after));
    return this.request("GET", `/api/conversations/${encodeURIComponent(id)}/messages?${query}`);
  }

  send(id, content, clientMessageId) {
    return this.request("POST", `/api/conversations/${encodeURIComponent(id)}/messages`, {
      content,
      type: "text",
      clientMessageId,
    });
  }

  /** `body`: {participants, productId | orderId, subject, encrypted}; answers the Conversation (201, or 200 when it existed). */
  createConversation(body) {
    return this.request("POST", "/api/conversations", body);
  }

  // End-to-end encryption (CONTRACT.md "End-to-end encryption")

  /** An end-to-end encrypted text message: `encrypted` is the envelope, no content. */
  sendEncrypted(id, encrypted, clientMessageId) {
    return this.request("POST", `/api/conversations/${encodeURIComponent(id)}/messages`, {
      type: "text",
      encrypted,
      clientMessageId,
    });
  }

  /** Registers (or re-registers) this browser's device: {signingKey, encryptionKey, signature}. */
  registerDevice(deviceId, registration) {
    return this.request("PUT", `/api/devices/${encodeURIComponent(deviceId)}`, registration);
  }

  /** {devices: [{deviceId, signingKey, encryptionKey, signature}]} of a user. */
  userDevices(userId) {
    return this.request("GET", `/api/users/${encodeURIComponent(userId)}/devices`);
  }

  /** `keySet`: {epoch, senderDeviceId, sealed: [{userId, deviceId, key}], share?}. */
  postKeys(conversationId, keySet) {
    return this.request("POST", `/api/conversations/${encodeURIComponent(conversationId)}/keys`, keySet);
  }

  /** Reports a received encrypted message to support, revealing its text and franking key (proven by the commitment). */
  reportMessage(conversationId, messageId, content, franking) {
    const path = `/api/conversations/${encodeURIComponent(conversationId)}/messages/${encodeURIComponent(messageId)}/report`;
    return this.request("POST", path, { content, franking });
  }

  /** {keys: [{epoch, senderDeviceId, key}]}: what was sealed to this device. */
  keys(conversationId, deviceId) {
    const query = new URLSearchParams({ deviceId });
    return this.request("GET", `/api/conversations/${encodeURIComponent(conversationId)}/keys?${query}`);
  }

  // Attachments (CONTRACT.md "Attachments")

  /**
   * Uploads a file to a conversation as `multipart/form-data`. XMLHttpRequest rather
   * than fetch: only it reports upload progress. Answers {promise, abort}; the promise
   * gives the attachment (201) or fails with an ApiError (status 0 when aborted or the
   * network failed). `onProgress(loaded, total)` is called as the bytes go out.
   */
  uploadAttachment(conversationId, file, onProgress = () => {}) {
    const xhr = new XMLHttpRequest();
    const promise = new Promise((resolve, reject) => {
      if (this.offline) {
        reject(new ApiError(0, "offline", "offline"));
        return;
      }
      xhr.open("POST", `/api/conversations/${encodeURIComponent(conversationId)}/attachments`);
      xhr.setRequestHeader("Accept", "application/json");
      const token = this.getToken();
      if (token) xhr.setRequestHeader("Authorization", `Bearer ${token}`);
      xhr.withCredentials = false;
      xhr.upload.addEventListener("progress", (event) => {
        if (event.lengthComputable) onProgress(event.loaded, event.total);
      });
      xhr.addEventListener("load", () => {
        let payload = null;
        try {
          payload = xhr.responseText ? JSON.parse(xhr.responseText) : null;
        } catch {
          payload = null;
        }
        if (xhr.status === 201 || xhr.status === 200) {
          resolve(payload);
          return;
        }
        const detail = (payload && payload.error) || {};
        const error = new ApiError(
          xhr.status,
          detail.code || `http_${xhr.status}`,
          detail.message || xhr.statusText,
          xhr.getResponseHeader("Retry-After"),
        );
        if (xhr.status === 401) this.onUnauthorized(error);
        reject(error);
      });
      xhr.addEventListener("error", () => reject(new ApiError(0, "network", "network error")));
      xhr.addEventListener("abort", () => reject(new ApiError(0, "aborted", "aborted")));
      const form = new FormData();
      form.append("file", file, file.name || "file");
      xhr.send(form);
    });
    return { promise, abort: () => xhr.abort() };
  }

  /** Sends an uploaded attachment as a message (`type` "image" or "file"; `content` the caption). */
  sendAttachment(conversationId, { type, attachmentId, content, clientMessageId }) {
    return this.request("POST", `/api/conversations/${encodeURIComponent(conversationId)}/messages`, {
      type,
      attachmentId,
      content,
      clientMessageId,
    });
  }

  /** A signed link to an attachment, valid for a few minutes without the token: {url, expiresAt}. */
  attachmentLink(attachmentId) {
    return this.request("POST", `/api/attachments/${encodeURIComponent(attachmentId)}/link`);
  }

  markRead(id, seq) {
    return this.request("POST", `/api/conversations/${encodeURIComponent(id)}/read`, { seq });
  }

  setStatus(id, status) {
    return this.request("PUT", `/api/conversations/${encodeURIComponent(id)}/status`, { status });
  }

  setLabels(id, labels) {
    return this.request("PUT", `/api/conversations/${encodeURIComponent(id)}/labels`, { labels });
  }

  setPriority(id, priority) {
    return this.request("PUT", `/api/conversations/${encodeURIComponent(id)}/priority`, { priority });
  }

  setAssignee(id, assignedTo) {
    return this.request("PUT", `/api/conversations/${encodeURIComponent(id)}/assignee`, { assignedTo });
  }

  setArchived(id, archived) {
    return this.request("PUT", `/api/conversations/${encodeURIComponent(id)}/archive`, { archived });
  }

  search(q, limit, cursor = null) {
    const query = new URLSearchParams({ q, limit: String(limit) });
    if (cursor) query.set("cursor", cursor);
    return this.request("GET", `/api/search?${query}`);
  }

  // Assist: templates, FAQ entries, suggestions, feedback (CONTRACT.md "Assist")

  templates() {
    return this.request("GET", "/api/templates");
  }

  /** `template`: {name, content, scope, shortcut, language}; with `id` it is a PUT. */
  saveTemplate(id, template) {
    return id
      ? this.request("PUT", `/api/templates/${encodeURIComponent(id)}`, template)
      : this.request("POST", "/api/templates", template);
  }

  deleteTemplate(id) {
    return this.request("DELETE", `/api/templates/${encodeURIComponent(id)}`);
  }

  renderTemplate(conversationId, templateId, values) {
    const path = `/api/conversations/${encodeURIComponent(conversationId)}/templates/${encodeURIComponent(templateId)}/render`;
    return this.request("POST", path, { values });
  }

  /** `ownerId`: a seller's entries (support and service); none: the caller's own, or the global ones. */
  faqEntries(ownerId = null) {
    const query = ownerId ? `?${new URLSearchParams({ ownerId })}` : "";
    return this.request("GET", `/api/faq${query}`);
  }

  /** `entry`: {question, alternatives, answer, language, enabled, scope, ownerId}; with `id` it is a PUT. */
  saveFAQEntry(id, entry) {
    return id ? this.request("PUT", `/api/faq/${encodeURIComponent(id)}`, entry) : this.request("POST", "/api/faq", entry);
  }

  deleteFAQEntry(id) {
    return this.request("DELETE", `/api/faq/${encodeURIComponent(id)}`);
  }

  assistSettings() {
    return this.request("GET", "/api/assist/settings");
  }

  saveAssistSettings(autoAnswer) {
    return this.request("PUT", "/api/assist/settings", { autoAnswer });
  }

  suggestions(conversationId) {
    return this.request("GET", `/api/conversations/${encodeURIComponent(conversationId)}/suggestions`);
  }

  feedback(conversationId, messageId, helpful) {
    const path = `/api/conversations/${encodeURIComponent(conversationId)}/messages/${encodeURIComponent(messageId)}/feedback`;
    return this.request("POST", path, { helpful });
  }

  // Support tickets (CONTRACT.md "Support tickets")

  /** Asks the help desk for a ticket (`reason` optional); answers the conversation. */
  requestTicket(conversationId, reason) {
    const body = reason ? { reason } : {};
    return this.request("POST", `/api/conversations/${encodeURIComponent(conversationId)}/ticket`, body);
  }

  // Web Push (CONTRACT.md "Notifications and integrations")

  /** {publicKey}: the server's VAPID key; 503 push_not_configured when it has none. */
  pushKey() {
    return this.request("GET", "/api/push/key");
  }

  /** `subscription`: PushSubscription.toJSON(); answers {subscriptionId}. */
  addPushSubscription(subscription) {
    return this.request("POST", "/api/push/subscriptions", subscription);
  }

  /** {subscriptions: [{subscriptionId, endpoint, createdAt}]}: the caller's. */
  pushSubscriptions({ token = null } = {}) {
    return this.request("GET", "/api/push/subscriptions", undefined, { token });
  }

  removePushSubscription(subscriptionId, { token = null } = {}) {
    return this.request("DELETE", `/api/push/subscriptions/${encodeURIComponent(subscriptionId)}`, undefined, { token });
  }

  // Real time

  realtimeTicket() {
    return this.request("POST", "/api/realtime/tickets", {});
  }

  // The web client's own routes

  /** The server's sizes (ParleyCore's Limits), so the page never copies them. */
  limits() {
    return this.request("GET", "/web/limits.json", undefined, { auth: false });
  }

  // Development sign-in (only answered by `parley serve --dev`)

  devUsers() {
    return this.request("GET", "/dev/users", undefined, { auth: false });
  }

  devToken(userId) {
    return this.request("POST", "/dev/tokens", { userId }, { auth: false });
  }
}
