// Notifications while the page is closed (Web Push): the "enable notifications" control,
// the subscription the server is told about, dropping it on sign-out, and opening the
// conversation of a clicked notification (the worker's message, or `/?conversation=`).

import {
  currentSubscription,
  listenForWorker,
  madeWithKey,
  permission,
  pushSupported,
  registerWorker,
  requestPermission,
  subscribe,
} from "../services/push.js";
import { emptyNotifications } from "../store/state.js";

export function notificationActions({ store, api }, actions) {
  /** Raised on every sign-in and sign-out: an answer for an earlier session is dropped. */
  let session = 0;

  const set = (patch) => store.update((state) => Object.assign(state.notifications, patch));

  /** The server's id of this browser's subscription, when the signed-in user has it. */
  const registeredId = async (subscription, options = {}) => {
    const answer = await api.pushSubscriptions(options);
    const found = (answer.subscriptions || []).find((entry) => entry.endpoint === subscription.endpoint);
    return found ? found.subscriptionId : null;
  };

  return {
    /** At start: the worker registered (it shows pushes) and its clicks listened for. */
    bootNotifications() {
      if (!pushSupported()) return;
      listenForWorker((conversationId) => actions.openFromNotification(conversationId));
      registerWorker().catch(() => {});
    },

    /**
     * After sign-in: whether to offer the control (the browser has Push and the server a
     * key), and its state — blocked by the browser, on (this browser's subscription is
     * the user's on the server), or off.
     */
    async startNotifications() {
      const mine = ++session;
      store.update((state) => (state.notifications = emptyNotifications()));
      if (!pushSupported()) return;
      let publicKey;
      try {
        publicKey = (await api.pushKey()).publicKey;
        await registerWorker();
      } catch {
        return; // no key (503 push_not_configured) or no worker: nothing to offer
      }
      if (mine !== session || !publicKey) return;
      set({ available: true, publicKey });
      if (permission() === "denied") {
        set({ state: "blocked" });
        return;
      }
      try {
        const subscription = await currentSubscription();
        if (!subscription || permission() !== "granted" || !madeWithKey(subscription, publicKey)) return;
        const subscriptionId = await registeredId(subscription);
        if (mine === session && subscriptionId) set({ state: "on", subscriptionId });
      } catch {
        /* shown as off: turning it on again repairs it */
      }
    },

    async enableNotifications() {
      const { notifications } = store.state;
      if (!notifications.available || notifications.state === "working") return;
      const mine = session;
      set({ state: "working", error: null });
      try {
        const answer = await requestPermission();
        if (answer === "denied") {
          set({ state: "blocked" });
          actions.announce((t) => t("notify.blockedHelp"));
          return;
        }
        if (answer !== "granted") {
          set({ state: "off", error: { key: "notify.dismissed" } });
          return;
        }
        const subscription = await subscribe(notifications.publicKey);
        if (mine !== session) return;
        const created = await api.addPushSubscription(subscription.toJSON());
        if (mine !== session) return;
        set({ state: "on", subscriptionId: created.subscriptionId, error: null });
        actions.announce((t) => t("notify.enabled"));
      } catch (error) {
        if (mine !== session) return;
        const message = (error && error.message) || String(error);
        set({
          state: permission() === "denied" ? "blocked" : "off",
          error: { key: error && error.name === "TimeoutError" ? "notify.noPushService" : "notify.failed", message },
        });
      }
    },

    async disableNotifications() {
      const { notifications } = store.state;
      if (notifications.state !== "on") return;
      const mine = session;
      set({ state: "working", error: null });
      try {
        const subscription = await currentSubscription();
        const subscriptionId = notifications.subscriptionId || (subscription && (await registeredId(subscription)));
        if (subscriptionId) await api.removePushSubscription(subscriptionId);
        if (subscription) await subscription.unsubscribe();
        if (mine !== session) return;
        set({ state: "off", subscriptionId: null });
        actions.announce((t) => t("notify.disabled"));
      } catch (error) {
        if (mine !== session) return;
        set({ state: "on", error: { key: "notify.disableFailed", message: (error && error.message) || String(error) } });
      }
    },

    /**
     * Sign-out: the server forgets this browser's subscription (with the token being
     * dropped, captured before it is) and the browser drops it, so the next person to
     * sign in here is not sent the previous one's messages. Answers when both are done.
     */
    async dropPushOnSignOut(token) {
      session += 1;
      const known = store.state.notifications.subscriptionId;
      store.update((state) => (state.notifications = emptyNotifications()));
      if (!pushSupported() || !token) return;
      try {
        const subscription = await currentSubscription();
        if (!subscription) return;
        const subscriptionId = known || (await registeredId(subscription, { token }).catch(() => null));
        if (subscriptionId) await api.removePushSubscription(subscriptionId, { token }).catch(() => {});
        await subscription.unsubscribe();
      } catch {
        /* nothing registered, or the worker is gone */
      }
    },

    /** A notification was clicked (the worker's message): that conversation, now or once signed in. */
    openFromNotification(conversationId) {
      if (store.state.me) actions.openFromLink({ conversation: conversationId });
      else actions.openAfterSignIn({ conversation: conversationId });
    },
  };
}
