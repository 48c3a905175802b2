// The browser's side of Web Push: the service worker (/sw.js, scope "/"), the
// notification permission and the PushManager subscription. What the server is told
// (POST/DELETE /api/push/subscriptions) is actions/notifications.js's business.

/** What the worker posts to the page when a notification is clicked (see sw.js). */
export const OPEN_MESSAGE = "parley-open-conversation";

/**
 * How long subscribing may take. The browser asks its push service (FCM, Mozilla's…) for
 * an endpoint; one it cannot reach (a network that blocks it, a browser without one)
 * never answers, and the control must not say "one moment" forever.
 */
export const SUBSCRIBE_TIMEOUT_MS = 20_000;

const WORKER_URL = "/sw.js";
const WORKER_SCOPE = "/";

let registration = null;

/** Whether this browser can receive Web Push for this page at all. */
export function pushSupported() {
  return (
    window.isSecureContext &&
    "serviceWorker" in navigator &&
    "PushManager" in window &&
    "Notification" in window &&
    typeof ServiceWorkerRegistration !== "undefined" &&
    "showNotification" in ServiceWorkerRegistration.prototype
  );
}

/** Registers the worker once per page; answers its registration (a rejected promise when it failed). */
export function registerWorker() {
  if (!registration) {
    registration = navigator.serviceWorker.register(WORKER_URL, { scope: WORKER_SCOPE }).then(async (registered) => {
      // A subscription needs an active worker: wait for the one just installed.
      await navigator.serviceWorker.ready;
      return registered;
    });
    registration.catch(() => (registration = null));
  }
  return registration;
}

/** "granted" | "denied" | "default" */
export function permission() {
  return Notification.permission;
}

export function requestPermission() {
  return Notification.requestPermission();
}

/** The browser's current subscription for this page, or null. */
export async function currentSubscription() {
  const registered = await registerWorker();
  return registered.pushManager.getSubscription();
}

/**
 * Subscribes with the server's VAPID key (unpadded base64url). A subscription made with
 * another key (the server's key changed) is dropped first: the push service would refuse
 * the server's pushes to it.
 */
export async function subscribe(publicKey) {
  const registered = await registerWorker();
  const key = base64urlBytes(publicKey);
  const existing = await registered.pushManager.getSubscription();
  if (existing) {
    if (sameBytes(existing.options && existing.options.applicationServerKey, key)) return existing;
    await existing.unsubscribe();
  }
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => {
      const error = new Error("the browser's push service did not answer");
      error.name = "TimeoutError";
      reject(error);
    }, SUBSCRIBE_TIMEOUT_MS);
  });
  try {
    return await Promise.race([registered.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key }), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Whether `subscription` was made with `publicKey`. */
export function madeWithKey(subscription, publicKey) {
  try {
    return sameBytes(subscription.options && subscription.options.applicationServerKey, base64urlBytes(publicKey));
  } catch {
    return false;
  }
}

/** Calls `onOpen(conversationId)` when the worker says a notification was clicked. */
export function listenForWorker(onOpen) {
  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker.addEventListener("message", (event) => {
    const data = event.data;
    if (!data || data.type !== OPEN_MESSAGE || typeof data.conversationId !== "string" || !data.conversationId) return;
    onOpen(data.conversationId);
  });
  // Messages the worker sent before this listener existed are delivered now.
  if (typeof navigator.serviceWorker.startMessages === "function") navigator.serviceWorker.startMessages();
}

function base64urlBytes(text) {
  const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const padded = base64 + "=".repeat((4 - (base64.length % 4)) % 4);
  return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
}

function sameBytes(buffer, bytes) {
  if (!buffer) return false;
  const other = new Uint8Array(buffer);
  return other.length === bytes.length && other.every((byte, index) => byte === bytes[index]);
}
