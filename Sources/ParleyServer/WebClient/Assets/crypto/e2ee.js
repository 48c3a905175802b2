// The end-to-end encryption of CONTRACT.md "End-to-end encryption", on WebCrypto
// alone: epoch keys sealed with HPKE (hpke.js) to each device, messages in AES-256-GCM
// under the epoch key and signed by the sending device (ECDSA P-256, SHA-256), devices
// registered with a signature over their encryption key, and the safety number two
// people compare to know they see the same keys. Binary values travel as unpadded
// base64url. Nothing here talks to the server or keeps state.

import { concat, open, seal } from "./hpke.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

/** An epoch key: 32 random bytes (AES-256-GCM). */
export const EPOCH_KEY_BYTES = 32;
/** The AES-GCM nonce of a message. */
export const IV_BYTES = 12;
/** ECDSA P-256 signatures as WebCrypto gives them: r ‖ s. */
export const SIGNATURE_BYTES = 64;
/** The franking key of a reportable message, and its HMAC-SHA256 commitment. */
export const FRANKING_BYTES = 32;
/** Device keys travel as uncompressed points. */
export const POINT_BYTES = 65;
/** The contract's prefixes, kept exactly. */
const EPOCH_INFO_PREFIX = "parley-e2ee-v1";
const SAFETY_PREFIX = "parley-safety-v1|";
/** A safety number: six groups of five digits. */
const SAFETY_GROUPS = 6;
const SAFETY_MODULUS = 100000;

const ECDSA = { name: "ECDSA", namedCurve: "P-256" };
const ECDSA_SHA256 = { name: "ECDSA", hash: "SHA-256" };

// Bytes and text

/** Unpadded base64url of bytes. */
export function toBase64url(bytes) {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Bytes of unpadded base64url; throws on anything else (padding, other alphabets, a bad length). */
export function fromBase64url(text) {
  if (typeof text !== "string" || !/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) {
    throw new TypeError("not unpadded base64url");
  }
  const padded = text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4);
  const binary = atob(padded);
  return Uint8Array.from(binary, (character) => character.charCodeAt(0));
}

export function utf8(text) {
  return encoder.encode(text);
}

function randomBytes(count) {
  const bytes = new Uint8Array(count);
  crypto.getRandomValues(bytes);
  return bytes;
}

// Device keys

/**
 * A new device: an ECDSA key pair (signing) and an ECDH key pair (HPKE recipient), both
 * private keys non-extractable (they can be kept in IndexedDB, never read out).
 * Answers {signing: CryptoKeyPair, encryption: CryptoKeyPair, signingKey, encryptionKey}
 * with the public points as bytes.
 */
export async function generateDeviceKeys() {
  const signing = await crypto.subtle.generateKey(ECDSA, false, ["sign", "verify"]);
  const encryption = await crypto.subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, false, ["deriveBits"]);
  return {
    signing,
    encryption,
    signingKey: new Uint8Array(await crypto.subtle.exportKey("raw", signing.publicKey)),
    encryptionKey: new Uint8Array(await crypto.subtle.exportKey("raw", encryption.publicKey)),
  };
}

/** The body of PUT /api/devices/{deviceId}: both points and the signature over the encryption key. */
export async function deviceRegistration(signingPrivateKey, signingKey, encryptionKey) {
  const signature = new Uint8Array(await crypto.subtle.sign(ECDSA_SHA256, signingPrivateKey, encryptionKey));
  return { signingKey: toBase64url(signingKey), encryptionKey: toBase64url(encryptionKey), signature: toBase64url(signature) };
}

function importVerifyingKey(signingKey) {
  if (signingKey.length !== POINT_BYTES || signingKey[0] !== 0x04) throw new TypeError("a signing key is a 65-byte point");
  return crypto.subtle.importKey("raw", signingKey, ECDSA, false, ["verify"]);
}

/** Whether a listed device's `signature` is its signing key's over its encryption key. */
export async function verifyDevice(device) {
  try {
    const signingKey = fromBase64url(device.signingKey);
    const encryptionKey = fromBase64url(device.encryptionKey);
    const signature = fromBase64url(device.signature);
    if (encryptionKey.length !== POINT_BYTES || signature.length !== SIGNATURE_BYTES) return false;
    return await crypto.subtle.verify(ECDSA_SHA256, await importVerifyingKey(signingKey), signature, encryptionKey);
  } catch {
    return false;
  }
}

/**
 * The safety number of a device: SHA-256 of "parley-safety-v1|" ‖ signingKey ‖
 * encryptionKey; six groups, each the big-endian uint32 of the next four bytes mod
 * 100000, five digits, joined by spaces. Both sides compute it from the same points.
 */
export async function safetyNumber(signingKey, encryptionKey) {
  const digest = new DataView(await crypto.subtle.digest("SHA-256", concat(utf8(SAFETY_PREFIX), signingKey, encryptionKey)));
  const groups = [];
  for (let index = 0; index < SAFETY_GROUPS; index += 1) {
    groups.push(String(digest.getUint32(4 * index, false) % SAFETY_MODULUS).padStart(5, "0"));
  }
  return groups.join(" ");
}

// Epoch keys

/** HPKE's `info` for an epoch key: UTF-8 of "parley-e2ee-v1|<conversationId>|<epoch>". */
export function epochInfo(conversationId, epoch) {
  return utf8(`${EPOCH_INFO_PREFIX}|${conversationId}|${epoch}`);
}

/** 32 fresh random bytes. */
export function newEpochKey() {
  return randomBytes(EPOCH_KEY_BYTES);
}

/** An epoch key sealed to a device's encryption key (bytes): base64url of enc ‖ ciphertext. */
export async function sealEpochKey(encryptionKey, conversationId, epoch, keyBytes, options = {}) {
  return toBase64url(await seal(encryptionKey, epochInfo(conversationId, epoch), keyBytes, options));
}

/** Opens a sealed epoch key (base64url) with this device's ECDH private key and its public point. */
export async function openEpochKey(privateKey, encryptionKey, sealedText, conversationId, epoch) {
  const key = await open(privateKey, encryptionKey, fromBase64url(sealedText), epochInfo(conversationId, epoch));
  if (key.length !== EPOCH_KEY_BYTES) throw new TypeError("an epoch key is 32 bytes");
  return key;
}

function importMessageKey(keyBytes) {
  return crypto.subtle.importKey("raw", keyBytes, { name: "AES-GCM" }, false, ["encrypt", "decrypt"]);
}

// Messages

/** The additional data of a message: UTF-8 of "<conversationId>|<epoch>|<senderId>|<deviceId>|<clientMessageId>". */
export function messageAD(conversationId, epoch, senderId, deviceId, clientMessageId) {
  return utf8(`${conversationId}|${epoch}|${senderId}|${deviceId}|${clientMessageId}`);
}

/** The franking commitment: HMAC-SHA256 keyed with the franking bytes over the UTF-8 of the content. */
export async function frankingCommitment(franking, content) {
  const key = await crypto.subtle.importKey("raw", franking, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", key, utf8(content)));
}

/**
 * The `encrypted` envelope of a text message: {epoch, deviceId, iv, ciphertext,
 * signature, commitment}. `epochKey` is the epoch's 32 bytes, `signingPrivateKey` the
 * device's. With `franking` (the default) the plaintext carries 32 random franking
 * bytes and the envelope their commitment to the content, so a recipient can report the
 * message provably (CONTRACT.md "Abuse reports"). `iv` may be given for test vectors only.
 */
export async function encryptMessage({ conversationId, epoch, senderId, deviceId, clientMessageId, content, epochKey, signingPrivateKey, iv = null, franking = true }) {
  const nonce = iv || randomBytes(IV_BYTES);
  const additionalData = messageAD(conversationId, epoch, senderId, deviceId, clientMessageId);
  const frankingKey = franking ? randomBytes(FRANKING_BYTES) : null;
  const plaintext = utf8(JSON.stringify(frankingKey ? { content, franking: toBase64url(frankingKey) } : { content }));
  const ciphertext = new Uint8Array(
    await crypto.subtle.encrypt({ name: "AES-GCM", iv: nonce, additionalData }, await importMessageKey(epochKey), plaintext),
  );
  const signature = new Uint8Array(await crypto.subtle.sign(ECDSA_SHA256, signingPrivateKey, concat(additionalData, ciphertext)));
  const envelope = { epoch, deviceId, iv: toBase64url(nonce), ciphertext: toBase64url(ciphertext), signature: toBase64url(signature) };
  if (frankingKey) envelope.commitment = toBase64url(await frankingCommitment(frankingKey, content));
  return envelope;
}

/** Why a message could not be read (shown instead of its text). */
export class UndecryptableError extends Error {
  constructor(reason, message) {
    super(message || reason);
    this.reason = reason; // "malformed" | "bad_signature" | "no_key" | "bad_ciphertext" | "bad_commitment"
  }
}

/** The content of an encrypted Message (see decryptMessageBody). */
export async function decryptMessage(fields) {
  return (await decryptMessageBody(fields)).content;
}

/**
 * An encrypted Message's {content, franking} (franking: base64url, or null when the
 * message is not reportable): the sender's signature is checked first (with the signing
 * key of the device the envelope names, as listed for the sender), then the ciphertext
 * is opened with the epoch key, then a commitment the envelope carries is checked
 * against the content. Throws UndecryptableError.
 */
export async function decryptMessageBody({ conversationId, senderId, clientMessageId, envelope, epochKey, senderSigningKey }) {
  let iv;
  let ciphertext;
  let signature;
  try {
    iv = fromBase64url(envelope.iv);
    ciphertext = fromBase64url(envelope.ciphertext);
    signature = fromBase64url(envelope.signature);
  } catch {
    throw new UndecryptableError("malformed");
  }
  if (iv.length !== IV_BYTES || signature.length !== SIGNATURE_BYTES || !Number.isInteger(envelope.epoch) || !envelope.deviceId) {
    throw new UndecryptableError("malformed");
  }
  const additionalData = messageAD(conversationId, envelope.epoch, senderId, envelope.deviceId, clientMessageId);
  let signed = false;
  try {
    signed = await crypto.subtle.verify(ECDSA_SHA256, await importVerifyingKey(senderSigningKey), signature, concat(additionalData, ciphertext));
  } catch {
    signed = false;
  }
  if (!signed) throw new UndecryptableError("bad_signature");
  if (!epochKey) throw new UndecryptableError("no_key");
  let plaintext;
  try {
    plaintext = await crypto.subtle.decrypt({ name: "AES-GCM", iv, additionalData }, await importMessageKey(epochKey), ciphertext);
  } catch {
    throw new UndecryptableError("bad_ciphertext");
  }
  let body;
  try {
    body = JSON.parse(decoder.decode(plaintext));
  } catch {
    throw new UndecryptableError("malformed");
  }
  if (!body || typeof body.content !== "string") throw new UndecryptableError("malformed");
  const franking = typeof body.franking === "string" ? body.franking : null;
  if (envelope.commitment || franking) {
    // A commitment that does not match would make the message unreportable, or pin other words on its sender.
    let matches = false;
    try {
      const frankingKey = fromBase64url(franking);
      matches = frankingKey.length === FRANKING_BYTES && toBase64url(await frankingCommitment(frankingKey, body.content)) === envelope.commitment;
    } catch {
      matches = false;
    }
    if (!matches) throw new UndecryptableError("bad_commitment");
  }
  return { content: body.content, franking };
}
