// Signing in and out. The token comes from the address fragment, this tab's storage,
// the embedding page (postMessage) or, with `--dev`, the demo picker; a 401 anywhere
// ends the session and asks for a new one. Signing out also drops this browser's push
// subscription (a session that merely expired keeps it: the person did not leave).

import {
  askParentForToken,
  isExpired,
  storeToken,
  storedToken,
  takeFragment,
  takeOpenQuery,
  userFromToken,
} from "../services/auth.js";
import { clearSession } from "../store/state.js";

/** An embedding page is asked for a fresh token this long before the current one expires. */
const TOKEN_REFRESH_LEAD_MS = 120_000;
/** The largest delay setTimeout takes (about 24.8 days); a later expiry is not scheduled. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export function sessionActions({ store, api }, actions) {
  /** What the link asked to open ({conversation} | {orderId} | {productId}), once signed in. */
  let pendingOpen = null;
  /** GET /web/limits.json, asked once at start; nothing is sent before it answers. */
  let limitsReady = null;
  let expiryTimer = null;

  const showSignIn = (mode) => store.update((state) => (state.signIn = mode));

  const devUsersOrNull = () =>
    api.devUsers().then(
      (answer) => (answer && Array.isArray(answer.users) ? answer.users : null),
      () => null,
    );

  /** The sign-in screen after the session ended: the picker with --dev, else `fallback`. */
  const showSignInAgain = (fallback, { expired = false } = {}) => {
    if (!store.state.dev) return showSignIn({ kind: fallback });
    api.devUsers().then(
      (answer) => showSignIn({ kind: "dev", users: answer.users, expired }),
      () => showSignIn({ kind: fallback }),
    );
  };

  const startSession = () => {
    store.update((state) => (state.signIn = null));
    actions.startLive();
    actions.startNotifications();
    actions.startE2EE();
    const expiresAt = userFromToken(store.state.token)?.expiresAt;
    const askIn = expiresAt ? expiresAt - Date.now() - TOKEN_REFRESH_LEAD_MS : null;
    if (askIn !== null && askIn < MAX_TIMER_MS) {
      expiryTimer = setTimeout(() => askParentForToken("expiring"), Math.max(0, askIn));
    }
    actions.loadInbox().then(() => {
      const open = pendingOpen;
      pendingOpen = null;
      if (open) actions.openFromLink(open);
    });
  };

  return {
    /** Loads the server's limits, then signs in with the token at hand or shows how to. */
    async boot() {
      const { token, open } = takeFragment();
      // `/?conversation=<id>`: a notification's link (the fragment wins when both say).
      pendingOpen = open || takeOpenQuery();
      actions.bootNotifications();
      limitsReady = api.limits();
      const devUsers = devUsersOrNull();
      devUsers.then((users) => {
        if (!users) return;
        store.update((state) => {
          state.dev = true;
          for (const user of users) state.users.set(user.userId, { name: user.name, role: user.role });
        });
      });
      try {
        const limits = await limitsReady;
        store.update((state) => (state.limits = limits));
      } catch (error) {
        showSignIn({ kind: "failed", error: error.message });
        return;
      }

      const candidate = token || storedToken();
      if (candidate && !isExpired(candidate)) {
        actions.useToken(candidate);
        return;
      }
      if (candidate) storeToken(null);
      showSignIn({ kind: "loading" });
      const users = await devUsers;
      if (store.state.me) return; // a token was posted meanwhile
      if (users) {
        showSignIn({ kind: "dev", users, expired: Boolean(candidate) });
      } else {
        showSignIn({ kind: candidate ? "expired" : "production" });
        askParentForToken(candidate ? "expired" : "missing");
      }
    },

    async pickDevUser(userId) {
      try {
        const answer = await api.devToken(userId);
        if (answer.user) {
          store.update((state) => state.users.set(answer.user.userId, { name: answer.user.name, role: answer.user.role }));
        }
        await actions.useToken(answer.token);
      } catch (error) {
        const users = store.state.signIn?.users || [];
        showSignIn({ kind: "dev", users, error: error.message });
      }
    },

    /** A token from the fragment, storage, the embedding page or the dev picker. */
    async useToken(token) {
      if (!limitsReady) return;
      try {
        await limitsReady;
      } catch {
        return; // the page could not start; boot says so
      }
      const user = userFromToken(token);
      if (!user || isExpired(token)) return;
      const current = store.state.me;
      if (current && current.userId === user.userId) {
        // A fresh token for the same person: keep going with it.
        store.update((state) => (state.token = token));
        storeToken(token);
        actions.reconnectNow();
        return;
      }
      if (current) actions.signOut({ quiet: true });
      storeToken(token);
      store.update((state) => {
        state.token = token;
        state.me = { userId: user.userId, name: user.name, role: user.role };
        const known = state.users.get(user.userId);
        if (known && known.name && user.name === user.userId) state.me.name = known.name;
        state.users.set(user.userId, { name: state.me.name, role: user.role });
      });
      startSession();
    },

    /** `keepPush`: the session expired rather than ended; this browser stays subscribed. */
    signOut({ quiet = false, keepPush = false } = {}) {
      // Before the token is dropped: the server is told with it.
      if (!keepPush) actions.dropPushOnSignOut(store.state.token);
      actions.stopTyping();
      actions.stopLive();
      actions.stopE2EE();
      clearTimeout(expiryTimer);
      storeToken(null);
      store.update(clearSession);
      if (!quiet) showSignInAgain("production");
    },

    /** What to open once someone signs in (a notification clicked while signed out). */
    openAfterSignIn(open) {
      pendingOpen = open;
    },

    /** A 401 anywhere: the token expired or was revoked. */
    sessionExpired() {
      if (!store.state.me) return;
      const wasOpen = store.state.openId;
      actions.signOut({ quiet: true, keepPush: true });
      pendingOpen = wasOpen ? { conversation: wasOpen } : null;
      showSignInAgain("expired", { expired: true });
      askParentForToken("expired");
    },
  };
}
