// Where the page's token comes from.
//
// Production: the marketplace signs a JWT for its user and either
//   - opens the page as /#token=<JWT> (the page takes it out of the address bar at once
//     and keeps it in sessionStorage, so it survives a reload of this tab only), or
//   - embeds the page in an iframe and posts {type: "parley-token", token} into it
//     (also to hand over a fresh token before the old one expires); the shop's origin
//     must be in the server's --allowed-origins, or the page is neither framed nor listens.
// The page decodes the payload only to show who is signed in; the server verifies it.
//
// Development (`parley serve --dev`): GET /dev/users lists demo users and
// POST /dev/tokens signs a token for one of them.

const STORAGE_KEY = "parley.token";

/** The payload of a JWT, or null when it is not one. Not a verification. */
export function decodeToken(token) {
  if (typeof token !== "string") return null;
  const parts = token.split(".");
  if (parts.length !== 3) return null;
  try {
    const base64 = parts[1].replace(/-/g, "+").replace(/_/g, "/");
    const padded = base64 + "=".repeat((4 - (base64.length % 4)) % 4);
    const bytes = Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
    const payload = JSON.parse(new TextDecoder().decode(bytes));
    if (!payload || typeof payload.sub !== "string") return null;
    return payload;
  } catch {
    return null;
  }
}

/** The user a token names: {userId, name, role, expiresAt (ms or null)}. */
export function userFromToken(token) {
  const payload = decodeToken(token);
  if (!payload) return null;
  return {
    userId: payload.sub,
    name: typeof payload.name === "string" && payload.name ? payload.name : payload.sub,
    role: typeof payload.role === "string" ? payload.role : "buyer",
    expiresAt: typeof payload.exp === "number" ? payload.exp * 1000 : null,
  };
}

export function isExpired(token, now = Date.now()) {
  const user = userFromToken(token);
  return !user || (user.expiresAt !== null && user.expiresAt <= now);
}

/**
 * Reads `#token=…` (and the optional `conversation`, `orderId`, `productId` that say
 * which thread to open) from the fragment, then removes the fragment from the address
 * bar and the history entry.
 */
export function takeFragment() {
  const hash = window.location.hash.replace(/^#/, "");
  if (!hash) return { token: null, open: null };
  const params = new URLSearchParams(hash);
  const token = params.get("token");
  const open = {};
  for (const key of ["conversation", "orderId", "productId"]) {
    if (params.get(key)) open[key] = params.get(key);
  }
  if (token || Object.keys(open).length > 0) {
    const clean = window.location.pathname + window.location.search;
    window.history.replaceState(window.history.state, "", clean);
  }
  return { token, open: Object.keys(open).length > 0 ? open : null };
}

/**
 * Reads `?conversation=<id>` (the link of a push notification, CONTRACT.md "Web Push")
 * and removes it from the address bar, so a reload does not open it again.
 */
export function takeOpenQuery() {
  const params = new URLSearchParams(window.location.search);
  const conversation = params.get("conversation");
  if (!params.has("conversation")) return null;
  params.delete("conversation");
  const query = params.toString();
  const clean = window.location.pathname + (query ? `?${query}` : "") + window.location.hash;
  window.history.replaceState(window.history.state, "", clean);
  return conversation ? { conversation } : null;
}

export function storedToken() {
  try {
    return window.sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

export function storeToken(token) {
  try {
    if (token) window.sessionStorage.setItem(STORAGE_KEY, token);
    else window.sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    /* private mode: the token lives in memory only */
  }
}

/**
 * The origins whose pages may hand this page a token: its own, and the shop's origins
 * the server names (`--allowed-origins`) in `<meta name="parley-embedding-origins">`.
 */
export function embeddingOrigins() {
  const meta = document.querySelector('meta[name="parley-embedding-origins"]');
  const named = meta ? meta.content.split(" ").filter((origin) => origin !== "") : [];
  return [window.location.origin, ...named];
}

/**
 * Listens for tokens posted by the embedding page. Only the parent window, and only on
 * an allowed origin, may hand one over: any other page that got to frame us (or a
 * browser that ignores `frame-ancestors`) could otherwise sign us in as someone of its
 * choosing (login CSRF).
 */
export function listenForPostedTokens(onToken) {
  const allowed = embeddingOrigins();
  window.addEventListener("message", (event) => {
    if (event.source !== window.parent || window.parent === window) return;
    if (!allowed.includes(event.origin)) return;
    const data = event.data;
    if (!data || data.type !== "parley-token" || typeof data.token !== "string") return;
    if (!userFromToken(data.token)) return;
    onToken(data.token, event.origin);
  });
}

/** Tells an embedding page that the token is missing or expired (carries no secret). */
export function askParentForToken(reason) {
  if (window.parent === window) return;
  try {
    window.parent.postMessage({ type: "parley-token-needed", reason }, "*");
  } catch {
    /* not embedded */
  }
}
