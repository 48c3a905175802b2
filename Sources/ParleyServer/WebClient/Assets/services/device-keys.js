// This browser's end-to-end encryption keys and what it remembers of other devices, in
// IndexedDB (database "parley-e2ee"), per signed-in user:
//
// devices  userId -> {userId, deviceId, signing: CryptoKeyPair, encryption: CryptoKeyPair,
//                     signingKey, encryptionKey (public points, bytes)}
//          The private keys are non-extractable CryptoKeys: IndexedDB keeps them (structured
//          clone) and the page can use them, but nothing can read them out.
// seen     "<me>|<userId>|<deviceId>" -> {id, signingKey, encryptionKey (base64url), safetyNumber,
//          firstSeen, changedFrom}: the keys this user was first shown for another
//          device; a device that comes back with other keys is a warning until accepted.
// shares   "<me>|<conversationId>|<agentId>|<epoch>" -> {id, at}: epoch keys this browser
//          already sealed to an assigned agent (so a reload does not share again).

const DATABASE = "parley-e2ee";
const VERSION = 1;
const STORES = { devices: "userId", seen: "id", shares: "id" };

function promised(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

export class DeviceKeyStore {
  #database;

  constructor(database) {
    this.#database = database;
  }

  /** Opens (creating on first use) the database; fails where IndexedDB is unavailable. */
  static async open() {
    const request = indexedDB.open(DATABASE, VERSION);
    request.onupgradeneeded = () => {
      for (const [name, keyPath] of Object.entries(STORES)) {
        if (!request.result.objectStoreNames.contains(name)) request.result.createObjectStore(name, { keyPath });
      }
    };
    return new DeviceKeyStore(await promised(request));
  }

  async #run(storeName, mode, work) {
    const transaction = this.#database.transaction(storeName, mode);
    const done = new Promise((resolve, reject) => {
      transaction.oncomplete = resolve;
      transaction.onerror = () => reject(transaction.error);
      transaction.onabort = () => reject(transaction.error);
    });
    const result = await promised(work(transaction.objectStore(storeName)));
    await done;
    return result;
  }

  /** This browser's device for `userId`, or undefined. */
  device(userId) {
    return this.#run("devices", "readonly", (store) => store.get(userId));
  }

  saveDevice(record) {
    return this.#run("devices", "readwrite", (store) => store.put(record));
  }

  /** What `me` first saw for another user's device, or undefined. */
  seen(me, userId, deviceId) {
    return this.#run("seen", "readonly", (store) => store.get(`${me}|${userId}|${deviceId}`));
  }

  remember(me, userId, deviceId, record) {
    return this.#run("seen", "readwrite", (store) => store.put({ ...record, id: `${me}|${userId}|${deviceId}` }));
  }

  hasShared(me, conversationId, agentId, epoch) {
    return this.#run("shares", "readonly", (store) => store.get(`${me}|${conversationId}|${agentId}|${epoch}`)).then(Boolean);
  }

  noteShared(me, conversationId, agentId, epoch) {
    return this.#run("shares", "readwrite", (store) =>
      store.put({ id: `${me}|${conversationId}|${agentId}|${epoch}`, at: new Date().toISOString() }),
    );
  }
}
