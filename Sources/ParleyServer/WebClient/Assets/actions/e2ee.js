// End-to-end encrypted conversations (CONTRACT.md "End-to-end encryption"): this
// browser's device (keys made and kept in IndexedDB, registered with the server), the
// epoch keys of each conversation (fetched sealed to this device and opened here;
// a new epoch drawn and sealed to every device of every participant when there is
// none, when a participant's devices changed, or when the server calls ours stale),
// messages encrypted before they are queued and decrypted (signature first) when they
// arrive, and the keys shared with a support agent once one is assigned.
//
// Epoch keys live only in this closure: after a reload they are fetched and opened
// again with the device's non-extractable private key.

import * as e2ee from "../crypto/e2ee.js";
import { randomId } from "../dom.js";
import { ApiError } from "../services/api.js";
import { DeviceKeyStore } from "../services/device-keys.js";
import { upsertConversation } from "../store/conversations.js";
import { displayName } from "../store/state.js";
import { epochState, isEncrypted, participantIds } from "../store/e2ee.js";
import { thread } from "../store/threads.js";

/** A conversation's keys are asked for again at most this often while a message waits for one. */
const KEY_REFETCH_MS = 3000;
/** Epoch numbers tried when other devices start the same epoch at the same time (409). */
const MAX_EPOCH_ATTEMPTS = 3;
/** A share that failed (the agent has no device yet, the network) is tried again after this. */
const SHARE_RETRY_MS = 10_000;
/** The length of the random part of a new device's id. */
const DEVICE_ID_CHARACTERS = 16;

export function e2eeActions({ store, api }, actions) {
  let keyStore = null;
  /** This browser's device for the signed-in user, once registered. */
  let device = null;
  let ready = null;
  /** Raised on sign-out: work of an earlier session drops its results. */
  let session = 0;
  let unsubscribe = null;
  let scanQueued = false;
  let retryTimer = null;
  let lastOpen = null;
  /** conversationId -> Map(epoch -> [key bytes]) (two devices may start one epoch at once). */
  const epochKeys = new Map();
  /** conversationId -> {promise, at}: the newest GET …/keys. */
  const keyFetches = new Map();
  /** userId -> promise of the user's checked devices. */
  const directory = new Map();
  /** conversationId -> the tail of its queue of key work (one epoch started at a time). */
  const queues = new Map();
  /** Conversations whose next message starts a new epoch. */
  const rotateNeeded = new Set();
  /** clientMessageId -> content of what this browser sent (shown without decrypting). */
  const sentTexts = new Map();
  const decrypting = new Set();
  /** conversationId -> the assignee its keys were (being) shared with. */
  const sharedWith = new Map();

  const me = () => store.state.me;

  const keysFor = (conversationId, epoch) => (epochKeys.get(conversationId) || new Map()).get(epoch) || [];

  const addKey = (conversationId, epoch, key) => {
    let epochs = epochKeys.get(conversationId);
    if (!epochs) epochKeys.set(conversationId, (epochs = new Map()));
    const keys = epochs.get(epoch) || [];
    if (!keys.some((known) => e2ee.toBase64url(known) === e2ee.toBase64url(key))) keys.push(key);
    epochs.set(epoch, keys);
  };

  const latestEpoch = (conversationId) => Math.max(0, ...(epochKeys.get(conversationId) || new Map()).keys());

  /** Runs `work` after the conversation's earlier key work (so one epoch starts at a time). */
  const serially = (conversationId, work) => {
    const previous = queues.get(conversationId) || Promise.resolve();
    const next = previous.catch(() => {}).then(work);
    queues.set(conversationId, next);
    return next;
  };

  const scheduleScan = () => {
    if (scanQueued || !device) return;
    scanQueued = true;
    setTimeout(() => {
      scanQueued = false;
      scan();
    }, 0);
  };

  /** Opens what was sealed to this device for a conversation (at most once per KEY_REFETCH_MS unless `force`). */
  const fetchKeys = (conversationId, { force = false } = {}) => {
    const previous = keyFetches.get(conversationId);
    if (previous && (Date.now() - previous.at < KEY_REFETCH_MS || previous.running) && !force) return previous.promise;
    const current = session;
    const entry = { at: Date.now(), running: true, promise: null };
    entry.promise = (async () => {
      try {
        const answer = await api.keys(conversationId, device.deviceId);
        for (const sealed of answer.keys || []) {
          try {
            const key = await e2ee.openEpochKey(device.encryption.privateKey, device.encryptionKey, sealed.key, conversationId, sealed.epoch);
            if (current === session) addKey(conversationId, sealed.epoch, key);
          } catch {
            /* sealed to an earlier key of this device, or altered: not ours to read */
          }
        }
      } finally {
        entry.running = false;
      }
    })();
    keyFetches.set(conversationId, entry);
    return entry.promise;
  };

  /**
   * A user's devices whose signature over their encryption key checks out, each with its
   * safety number and whether its keys differ from those this user was first shown
   * (then it is not sealed to until accepted). Kept in the state for the thread's panel.
   */
  const devicesOf = (userId) => {
    if (directory.has(userId)) return directory.get(userId);
    const current = session;
    const me0 = me().userId;
    const promise = (async () => {
      const answer = await api.userDevices(userId);
      const devices = [];
      for (const listed of answer.devices || []) {
        const mine = Boolean(device) && userId === me0 && listed.deviceId === device.deviceId;
        if (mine) {
          // This browser's own device: its keys are the ones held here, never the listing's.
          // Other keys listed under our id (a server that put its own there) are not
          // sealed to nor trusted for our signature; they are only warned about.
          const local = device;
          const forged = listed.signingKey !== e2ee.toBase64url(local.signingKey) || listed.encryptionKey !== e2ee.toBase64url(local.encryptionKey);
          const safetyNumber = await e2ee.safetyNumber(local.signingKey, local.encryptionKey);
          devices.push({ userId, deviceId: local.deviceId, signingKey: local.signingKey, encryptionKey: local.encryptionKey, safetyNumber, changed: false, forged, mine, listed });
          continue;
        }
        if (!(await e2ee.verifyDevice(listed))) continue;
        const signingKey = e2ee.fromBase64url(listed.signingKey);
        const encryptionKey = e2ee.fromBase64url(listed.encryptionKey);
        const safetyNumber = await e2ee.safetyNumber(signingKey, encryptionKey);
        let changed = false;
        const seen = await keyStore.seen(me0, userId, listed.deviceId);
        if (!seen) {
          await keyStore.remember(me0, userId, listed.deviceId, {
            signingKey: listed.signingKey,
            encryptionKey: listed.encryptionKey,
            safetyNumber,
            firstSeen: new Date().toISOString(),
          });
        } else {
          changed = seen.signingKey !== listed.signingKey || seen.encryptionKey !== listed.encryptionKey;
        }
        devices.push({ userId, deviceId: listed.deviceId, signingKey, encryptionKey, safetyNumber, changed, mine: false, listed });
      }
      if (current === session) {
        store.update((state) =>
          state.e2ee.devices.set(
            userId,
            devices.map(({ deviceId, safetyNumber, changed, mine, forged }) => ({ deviceId, safetyNumber, changed, mine, forged: Boolean(forged) })),
          ),
        );
      }
      return devices;
    })();
    directory.set(userId, promise);
    promise.catch(() => directory.delete(userId));
    return promise;
  };

  /** Who a new epoch's key is sealed to: the participants, and the assigned agent once there is one. */
  const audienceOf = (conversation) => {
    const users = participantIds(conversation);
    const assignee = conversation.metadata && conversation.metadata.assignedTo;
    if (assignee && !users.includes(assignee)) users.push(assignee);
    return users;
  };

  const startEpoch = async (conversationId, epoch) => {
    const conversation = store.state.conversations.get(conversationId);
    const key = e2ee.newEpochKey();
    const sealed = [];
    for (const userId of audienceOf(conversation)) {
      let devices = [];
      try {
        devices = await devicesOf(userId);
      } catch {
        continue; // a user whose devices we may not list gets no key
      }
      for (const target of devices) {
        if (target.changed) continue; // not silently trusted
        if (target.mine) continue; // sealed below to the keys held here, whatever the listing says
        sealed.push({
          userId,
          deviceId: target.deviceId,
          key: await e2ee.sealEpochKey(target.encryptionKey, conversationId, epoch, key),
        });
      }
    }
    sealed.push({
      userId: me().userId,
      deviceId: device.deviceId,
      key: await e2ee.sealEpochKey(device.encryptionKey, conversationId, epoch, key),
    });
    const answer = await api.postKeys(conversationId, { epoch, senderDeviceId: device.deviceId, sealed });
    addKey(conversationId, epoch, key);
    // The server's new epoch state (rekeyRequired cleared) now, not when conversation.updated
    // arrives: else every send until then would start yet another epoch.
    if (answer && answer.e2ee) {
      store.update((state) => {
        const known = state.conversations.get(conversationId);
        if (known) known.e2ee = answer.e2ee;
      });
    }
  };

  /** The newest epoch the server holds a key set for (the conversation's `e2ee.epoch`). */
  const serverEpoch = (conversationId) => {
    const state = epochState(store.state.conversations.get(conversationId));
    return Number.isInteger(state.epoch) ? state.epoch : 0;
  };

  /** Starts the next epoch; another device starting it first (409) moves on to the one after. */
  const newEpoch = async (conversationId) => {
    for (let attempt = 0; ; attempt += 1) {
      const epoch = Math.max(latestEpoch(conversationId), serverEpoch(conversationId)) + 1;
      try {
        await startEpoch(conversationId, epoch);
        return epoch;
      } catch (error) {
        if (!(error instanceof ApiError && error.status === 409) || attempt + 1 >= MAX_EPOCH_ATTEMPTS) throw error;
        await fetchKeys(conversationId, { force: true });
        await actions.fetchConversation(conversationId).catch(() => {});
      }
    }
  };

  /** The epoch and key the next message is sent with, starting an epoch when needed. */
  const sendKey = async (conversationId) => {
    await ready;
    if (!device) throw new Error(store.state.e2ee.error || "no device");
    if (latestEpoch(conversationId) === 0) await fetchKeys(conversationId);
    let epoch = latestEpoch(conversationId);
    if (!participantIds(store.state.conversations.get(conversationId)).includes(me().userId)) {
      // A support agent: the server lets only participants start epochs, so the agent
      // sends with the newest epoch it was given (asking once more when it holds none
      // or an older one than the server's).
      if (epoch === 0 || epoch < serverEpoch(conversationId)) {
        await fetchKeys(conversationId, { force: true });
        epoch = latestEpoch(conversationId);
      }
      rotateNeeded.delete(conversationId);
      if (epoch === 0) throw new Error("no key shared with this device yet");
      const held = keysFor(conversationId, epoch);
      return { epoch, key: held[held.length - 1] };
    }
    // A participant left since the newest key set: the server wants a new one first.
    if (epochState(store.state.conversations.get(conversationId)).rekeyRequired) rotateNeeded.add(conversationId);
    if (epoch === 0 || epoch < serverEpoch(conversationId) || rotateNeeded.has(conversationId)) {
      if (epoch !== 0 && epoch < serverEpoch(conversationId) && !rotateNeeded.has(conversationId)) {
        // A newer epoch exists: perhaps sealed to us since we last asked.
        await fetchKeys(conversationId, { force: true });
        epoch = latestEpoch(conversationId);
      }
      if (epoch === 0 || epoch < serverEpoch(conversationId) || rotateNeeded.has(conversationId)) {
        rotateNeeded.delete(conversationId);
        epoch = await newEpoch(conversationId);
      }
    }
    const keys = keysFor(conversationId, epoch);
    return { epoch, key: keys[keys.length - 1] };
  };

  const setPlaintext = (messageId, value) => store.update((state) => state.e2ee.plaintexts.set(messageId, value));

  const decryptOne = async (message) => {
    const current = session;
    const envelope = message.encrypted;
    if (message.senderId === me().userId && sentTexts.has(message.clientMessageId)) {
      setPlaintext(message.messageId, { content: sentTexts.get(message.clientMessageId) });
      return;
    }
    const findSender = async () => {
      try {
        return (await devicesOf(message.senderId)).find((candidate) => candidate.deviceId === envelope.deviceId) || null;
      } catch {
        return null;
      }
    };
    let senderDevice = await findSender();
    if (!senderDevice) {
      // Perhaps registered after we listed the sender's devices.
      directory.delete(message.senderId);
      senderDevice = await findSender();
    }
    if (!senderDevice) {
      if (current === session) setPlaintext(message.messageId, { error: "unknown_device" });
      return;
    }
    if (keysFor(message.conversationId, envelope.epoch).length === 0) {
      // Refused (403) until this user is a participant or the assignee: then there is no key.
      await fetchKeys(message.conversationId).catch(() => {});
    }
    const keys = keysFor(message.conversationId, envelope.epoch);
    const fields = {
      conversationId: message.conversationId,
      senderId: message.senderId,
      clientMessageId: message.clientMessageId || "",
      envelope,
      senderSigningKey: senderDevice.signingKey,
    };
    let outcome = null;
    for (const epochKey of keys.length ? keys : [null]) {
      try {
        const body = await e2ee.decryptMessageBody({ ...fields, epochKey });
        outcome = { content: body.content, franking: body.franking, changedKey: senderDevice.changed };
        break;
      } catch (error) {
        outcome = { error: error.reason || "bad_ciphertext" };
        if (error.reason === "bad_signature") break;
      }
    }
    if (current === session) setPlaintext(message.messageId, outcome);
  };

  /** Decrypts what is not yet, shares keys with a newly assigned agent, loads the open thread's devices. */
  const scan = () => {
    const state = store.state;
    if (!device || !state.me) return;
    for (const entry of state.threads.values()) {
      // Only encrypted conversations hold envelopes; the rest are skipped whole.
      if (!isEncrypted(state.conversations.get(entry.conversationId))) continue;
      for (const message of entry.byId.values()) {
        if (!message.encrypted || state.e2ee.plaintexts.has(message.messageId) || decrypting.has(message.messageId)) continue;
        decrypting.add(message.messageId);
        decryptOne(message)
          .catch(() => setPlaintext(message.messageId, { error: "bad_ciphertext" }))
          .finally(() => decrypting.delete(message.messageId));
      }
    }
    for (const conversation of state.conversations.values()) {
      if (!isEncrypted(conversation)) continue;
      const assignee = conversation.metadata && conversation.metadata.assignedTo;
      const participating = participantIds(conversation).includes(state.me.userId);
      if (participating && assignee && sharedWith.get(conversation.conversationId) !== assignee) {
        const id = conversation.conversationId;
        sharedWith.set(id, assignee);
        const current = session;
        shareWithAgent(id, assignee).catch(() =>
          setTimeout(() => {
            if (current !== session || sharedWith.get(id) !== assignee) return;
            sharedWith.delete(id);
            scheduleScan();
          }, SHARE_RETRY_MS),
        );
      }
    }
    const open = state.openId ? state.conversations.get(state.openId) : null;
    if (open && isEncrypted(open) && lastOpen !== open.conversationId) {
      lastOpen = open.conversationId;
      for (const userId of audienceOf(open)) devicesOf(userId).catch(() => {});
      devicesOf(state.me.userId).catch(() => {});
    }
    if (!open) lastOpen = null;
    scheduleKeyRetry(state);
  };

  /** While the open thread shows messages waiting for a key, ask for keys again now and then. */
  const scheduleKeyRetry = (state) => {
    if (retryTimer || !state.openId) return;
    const entry = state.threads.get(state.openId);
    if (!entry) return;
    const waiting = [...entry.byId.values()].filter((message) => state.e2ee.plaintexts.get(message.messageId)?.error === "no_key");
    if (waiting.length === 0) return;
    const conversationId = state.openId;
    retryTimer = setTimeout(async () => {
      retryTimer = null;
      if (store.state.openId !== conversationId) return;
      await fetchKeys(conversationId).catch(() => {});
      store.update((current) => {
        for (const message of waiting) {
          if (current.e2ee.plaintexts.get(message.messageId)?.error === "no_key") current.e2ee.plaintexts.delete(message.messageId);
        }
      });
    }, KEY_REFETCH_MS);
  };

  /** Seals every epoch key this device holds to the agent's devices (`share: true`), once per epoch. */
  const shareWithAgent = (conversationId, agentId) =>
    serially(conversationId, async () => {
      await ready;
      const current = session;
      await fetchKeys(conversationId, { force: true });
      const targets = (await devicesOf(agentId)).filter((target) => !target.changed);
      if (targets.length === 0) throw new Error("the agent has no device yet");
      for (const [epoch, keys] of epochKeys.get(conversationId) || new Map()) {
        if (await keyStore.hasShared(me().userId, conversationId, agentId, epoch)) continue;
        for (const key of keys) {
          const sealed = [];
          for (const target of targets) {
            sealed.push({ userId: agentId, deviceId: target.deviceId, key: await e2ee.sealEpochKey(target.encryptionKey, conversationId, epoch, key) });
          }
          await api.postKeys(conversationId, { epoch, senderDeviceId: device.deviceId, sealed, share: true });
        }
        await keyStore.noteShared(me().userId, conversationId, agentId, epoch);
      }
      if (current !== session || (epochKeys.get(conversationId) || new Map()).size === 0) return;
      store.update((state) => state.e2ee.shares.set(conversationId, agentId));
      actions.announce((t) => t("e2ee.shared", { name: displayName(store.state, agentId) }));
    });

  return {
    /** Makes (first time) or loads this browser's device for the signed-in user and registers it. */
    startE2EE() {
      const user = me();
      const current = ++session;
      ready = (async () => {
        keyStore = keyStore || (await DeviceKeyStore.open());
        let record = await keyStore.device(user.userId);
        if (!record) {
          const keys = await e2ee.generateDeviceKeys();
          record = { userId: user.userId, deviceId: `web-${randomId().slice(0, DEVICE_ID_CHARACTERS)}`, ...keys };
          await keyStore.saveDevice(record);
        }
        await api.registerDevice(
          record.deviceId,
          await e2ee.deviceRegistration(record.signing.privateKey, record.signingKey, record.encryptionKey),
        );
        const safetyNumber = await e2ee.safetyNumber(record.signingKey, record.encryptionKey);
        if (current !== session) return;
        device = record;
        store.update((state) => {
          state.e2ee.device = { deviceId: record.deviceId, safetyNumber };
          state.e2ee.error = null;
        });
        scheduleScan();
      })();
      ready.catch((error) => {
        if (current === session) store.update((state) => (state.e2ee.error = error.message || String(error)));
      });
      unsubscribe = unsubscribe || store.subscribe(scheduleScan);
    },

    stopE2EE() {
      session += 1;
      device = null;
      ready = null;
      unsubscribe?.();
      unsubscribe = null;
      clearTimeout(retryTimer);
      retryTimer = null;
      lastOpen = null;
      for (const map of [epochKeys, keyFetches, directory, queues, sentTexts, sharedWith]) map.clear();
      rotateNeeded.clear();
      decrypting.clear();
    },

    /** Sends a text: as typed, or encrypted first in an encrypted conversation. */
    async queueText(conversationId, text, clientMessageId) {
      const conversation = store.state.conversations.get(conversationId);
      if (!isEncrypted(conversation)) {
        actions.queueMessage(conversationId, text, clientMessageId);
        return;
      }
      sentTexts.set(clientMessageId, text);
      try {
        const { epoch, key } = await serially(conversationId, () => sendKey(conversationId));
        const envelope = await e2ee.encryptMessage({
          conversationId,
          epoch,
          senderId: me().userId,
          deviceId: device.deviceId,
          clientMessageId,
          content: text,
          epochKey: key,
          signingPrivateKey: device.signing.privateKey,
        });
        actions.queueMessage(conversationId, "", clientMessageId, envelope);
      } catch (error) {
        store.update((state) => {
          const pending = thread(state, conversationId).pending.get(clientMessageId);
          if (pending) pending.state = "failed";
        });
        actions.announce((t) => `${t("message.failed")}: ${t("e2ee.sendFailed", { message: error.message || "" })}`);
      }
    },

    /** `devices.changed`: forget the user's devices; conversations with them start a new epoch. */
    devicesChanged(frame) {
      const userId = frame.userId;
      if (userId) directory.delete(userId);
      else directory.clear();
      if (!device || !store.state.me) return;
      const mine = userId === store.state.me.userId;
      for (const conversation of store.state.conversations.values()) {
        if (!isEncrypted(conversation)) continue;
        const audience = audienceOf(conversation);
        if (userId && !audience.includes(userId)) continue;
        // Our own user too: another browser of ours needs the next epoch's key (after this
        // browser's own first registration that costs one extra epoch, no more).
        rotateNeeded.add(conversation.conversationId);
        if (userId) devicesOf(userId).catch(() => {});
        const id = conversation.conversationId;
        // The open conversation rotates now, so the new device reads what comes next.
        // Only a participant: the server lets no one else start an epoch.
        if (!mine && store.state.openId === id && participantIds(conversation).includes(store.state.me.userId)) {
          serially(id, () => sendKey(id)).catch(() => {});
        }
        // An agent who got a device after the assignment still needs the keys.
        if (userId && conversation.metadata && conversation.metadata.assignedTo === userId) sharedWith.delete(id);
      }
      scheduleScan();
    },

    /** The server refused a message as sent with a stale epoch: the next one starts a new epoch. */
    epochWentStale(conversationId) {
      rotateNeeded.add(conversationId);
      fetchKeys(conversationId, { force: true }).catch(() => {});
      actions.fetchConversation(conversationId).catch(() => {});
    },

    /**
     * Reports a received encrypted message to support: its text and franking key go to
     * the server, which checks them against the commitment it signed on receipt.
     */
    async reportMessage(conversationId, messageId) {
      const value = store.state.e2ee.plaintexts.get(messageId);
      if (!value || value.content === undefined || !value.franking) return;
      store.update((state) => state.e2ee.reports.set(messageId, "sending"));
      try {
        await api.reportMessage(conversationId, messageId, value.content, value.franking);
        store.update((state) => state.e2ee.reports.set(messageId, "sent"));
        actions.announce((t) => t("e2ee.reported"));
      } catch (error) {
        store.update((state) => state.e2ee.reports.set(messageId, "failed"));
        actions.announce((t) => t("e2ee.reportFailed", { message: error.message || "" }));
      }
    },

    /** Trusts a device's new keys after the person compared its new safety number. */
    async acceptDeviceKey(userId, deviceId, safetyNumber) {
      // The listing asked for again: only the key whose safety number was shown is trusted,
      // not one the server swapped in since.
      directory.delete(userId);
      const devices = await devicesOf(userId);
      const target = devices.find((candidate) => candidate.deviceId === deviceId);
      if (!target || target.mine || !safetyNumber || target.safetyNumber !== safetyNumber) {
        actions.announce((t) => t("e2ee.changed", { name: displayName(store.state, userId), device: deviceId }));
        return;
      }
      await keyStore.remember(me().userId, userId, deviceId, {
        signingKey: target.listed.signingKey,
        encryptionKey: target.listed.encryptionKey,
        safetyNumber: target.safetyNumber,
        firstSeen: new Date().toISOString(),
      });
      directory.delete(userId);
      await devicesOf(userId);
      for (const conversation of store.state.conversations.values()) {
        if (isEncrypted(conversation) && audienceOf(conversation).includes(userId)) rotateNeeded.add(conversation.conversationId);
      }
      // Messages shown with the old key's warning are checked again.
      store.update((state) => {
        for (const [messageId, value] of state.e2ee.plaintexts) if (value.changedKey) state.e2ee.plaintexts.delete(messageId);
      });
    },

    /** A buyer's new conversation (the form in the inbox); encrypted ones start epoch 1 at once. */
    async createConversation({ sellerId, orderId, productId, subject, text, encrypted }) {
      const user = me();
      store.update((state) => (state.newConversation = { ...(state.newConversation || {}), sending: true, error: null }));
      try {
        const body = {
          participants: [
            { userId: user.userId, role: "buyer" },
            { userId: sellerId, role: "seller" },
          ],
        };
        if (orderId) body.orderId = orderId;
        if (productId) body.productId = productId;
        if (subject) body.subject = subject;
        if (encrypted) body.encrypted = true;
        else if (text.trim()) body.message = { content: text, type: "text" };
        const conversation = await api.createConversation(body);
        store.update((state) => upsertConversation(state, conversation));
        const id = conversation.conversationId;
        if (encrypted && !isEncrypted(conversation)) {
          // The thread existed already, unencrypted (200): nothing is sent in it unencrypted by surprise.
          store.update((state) => (state.newConversation = { open: true, sending: false, error: null, existsPlain: id }));
          return;
        }
        if (isEncrypted(conversation)) await serially(id, () => sendKey(id));
        store.update((state) => (state.newConversation = null));
        await actions.openConversation(id);
        if (encrypted && text.trim()) actions.sendMessage(text);
      } catch (error) {
        store.update((state) => (state.newConversation = { open: true, sending: false, error: error.message || String(error) }));
      }
    },

    showNewConversation(open) {
      store.update((state) => (state.newConversation = open ? { open: true, sending: false, error: null } : null));
    },

    /** For tests (window.parleyDebug.e2ee): this browser's device id and the epochs it holds. */
    e2eeDebug() {
      return {
        deviceId: () => (device ? device.deviceId : null),
        epochs: (conversationId) => [...(epochKeys.get(conversationId) || new Map()).keys()],
      };
    },
  };
}
