// Parley's service worker, served at /sw.js with the scope "/" (CONTRACT.md
// "Notifications and integrations"). It does one thing: Web Push.
//
//   push {"type": "message.new", conversationId, seq, senderName, preview, url}
//        → a notification "senderName — preview", one per conversation (its tag), a newer
//          message replacing the older one and alerting again;
//   push {"type": "read", conversationId, seq}
//        → the conversation was read on another device: its notification goes away;
//   a click on a notification
//        → an open tab of the page is focused and told to open the conversation
//          (postMessage {type: "parley-open-conversation", conversationId}), or a new
//          window opens `/?conversation=<id>`.
//
// No caching and no fetch handler: the page is not meant to work offline, and a worker
// that answered fetches could serve a stale client after the server changed.
// A classic script (not a module): every browser with Push runs those.

/** What the page listens for on navigator.serviceWorker (actions/notifications.js). */
const OPEN_MESSAGE = "parley-open-conversation";
const ICON = "/web/icon.svg";
/** Shown when a push carries no preview (encrypted conversations, attachments without a caption). */
const NO_PREVIEW = { es: "Nuevo mensaje", en: "New message" };

self.addEventListener("install", () => {
  // A new version takes over at once: it holds no state an old page could depend on.
  self.skipWaiting();
});

self.addEventListener("activate", (event) => {
  event.waitUntil(self.clients.claim());
});

self.addEventListener("push", (event) => {
  event.waitUntil(handlePush(event));
});

self.addEventListener("notificationclick", (event) => {
  const notification = event.notification;
  notification.close();
  event.waitUntil(openConversation(notification.data || {}));
});

function language() {
  const preferred = (self.navigator && self.navigator.language) || "en";
  return preferred.toLowerCase().startsWith("es") ? "es" : "en";
}

function readPayload(event) {
  if (!event.data) return null;
  try {
    const payload = event.data.json();
    return payload && typeof payload === "object" ? payload : null;
  } catch {
    return null;
  }
}

async function handlePush(event) {
  const payload = readPayload(event);
  if (!payload || typeof payload.conversationId !== "string" || !payload.conversationId) return;
  if (payload.type === "message.new") return showMessage(payload);
  if (payload.type === "read") return closeRead(payload.conversationId, Number(payload.seq));
}

async function showMessage(payload) {
  const seq = Number(payload.seq) || 0;
  const tag = payload.conversationId;
  // Pushes may arrive out of order (retries): an older message never replaces a newer one.
  const shown = await self.registration.getNotifications({ tag });
  if (shown.some((notification) => ((notification.data && notification.data.seq) || 0) > seq)) return;
  const title = typeof payload.senderName === "string" && payload.senderName ? payload.senderName : "Parley";
  const body = typeof payload.preview === "string" && payload.preview ? payload.preview : NO_PREVIEW[language()];
  await self.registration.showNotification(title, {
    body,
    tag,
    renotify: true, // a new message in the same conversation alerts again
    icon: ICON,
    data: { url: sameOriginURL(payload.url, tag), conversationId: tag, seq, messageId: payload.messageId || null },
  });
}

async function closeRead(conversationId, seq) {
  if (!Number.isFinite(seq)) return;
  const shown = await self.registration.getNotifications({ tag: conversationId });
  for (const notification of shown) {
    const shownSeq = (notification.data && notification.data.seq) || 0;
    if (shownSeq <= seq) notification.close();
  }
}

/** The push's link if it is one of ours, else the conversation's: a push never sends the user elsewhere. */
function sameOriginURL(url, conversationId) {
  const fallback = new URL(`/?conversation=${encodeURIComponent(conversationId)}`, self.location.origin).href;
  if (typeof url !== "string" || !url) return fallback;
  try {
    const parsed = new URL(url, self.location.origin);
    return parsed.origin === self.location.origin ? parsed.href : fallback;
  } catch {
    return fallback;
  }
}

async function openConversation(data) {
  const conversationId = typeof data.conversationId === "string" ? data.conversationId : null;
  const url = sameOriginURL(data.url, conversationId || "");
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  // The page itself (not a marketplace page that frames it): a focused one first.
  const pages = windows.filter((client) => new URL(client.url).origin === self.location.origin);
  const page = pages.find((client) => client.focused && client.frameType === "top-level")
    || pages.find((client) => client.frameType === "top-level")
    || pages[0];
  if (page && conversationId) {
    page.postMessage({ type: OPEN_MESSAGE, conversationId });
    try {
      await page.focus();
    } catch {
      /* focusing is allowed only from a click; the page opens the thread anyway */
    }
    return page;
  }
  return self.clients.openWindow(url);
}
