// HPKE (RFC 9180) in base mode for one suite only: DHKEM(P-256, HKDF-SHA256),
// HKDF-SHA256, AES-128-GCM — the suite of CONTRACT.md "End-to-end encryption".
// Browsers have no HPKE, so it is built here from what WebCrypto has: ECDH on P-256
// (the KEM's Diffie-Hellman), HMAC-SHA256 (HKDF's Extract and Expand, with the RFC's
// LabeledExtract/LabeledExpand) and AES-GCM. Single-shot only: one message per
// context (sequence number 0, so the nonce is the base nonce), which is all that
// sealing an epoch key needs.
//
//   const sealed = await seal(recipientPublicKeyBytes, infoBytes, plaintext);   // enc ‖ ct
//   const opened = await open(recipientPrivateKey, sealed, infoBytes);          // plaintext
//
// The recipient's private key may be a non-extractable CryptoKey (ECDH, P-256): it is
// used only through deriveBits. Checked against RFC 9180's test vector A.3
// (Tests/Browser/test_e2ee.py); the ephemeral key can be given for that test.

const encoder = new TextEncoder();

/** Nenc and Npk of DHKEM(P-256): an uncompressed point, 0x04 ‖ x ‖ y. */
export const PUBLIC_KEY_BYTES = 65;
/** Nsecret of the KEM and Nh of HKDF-SHA256. */
const HASH_BYTES = 32;
/** Nk of AES-128-GCM. */
const KEY_BYTES = 16;
/** Nn of AES-128-GCM. */
const NONCE_BYTES = 12;
/** Nt of AES-128-GCM: WebCrypto appends the tag to the ciphertext. */
export const TAG_BYTES = 16;
/** mode_base. */
const MODE_BASE = 0x00;

/** suite_id of the KEM: "KEM" ‖ I2OSP(kem_id = 0x0010, 2). */
const KEM_SUITE_ID = concat(encoder.encode("KEM"), new Uint8Array([0x00, 0x10]));
/** suite_id of the context: "HPKE" ‖ kem_id ‖ kdf_id (0x0001) ‖ aead_id (0x0001). */
const HPKE_SUITE_ID = concat(encoder.encode("HPKE"), new Uint8Array([0x00, 0x10, 0x00, 0x01, 0x00, 0x01]));
const VERSION_LABEL = encoder.encode("HPKE-v1");

const ECDH = { name: "ECDH", namedCurve: "P-256" };

/** Joins byte arrays. */
export function concat(...parts) {
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  const joined = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.length;
  }
  return joined;
}

/** I2OSP(value, 2). */
function twoBytes(value) {
  return new Uint8Array([(value >> 8) & 0xff, value & 0xff]);
}

async function hmac(key, data) {
  // HKDF's absent salt is HashLen zero bytes; HMAC pads short keys with zeros anyway,
  // and WebCrypto refuses a zero-length HMAC key.
  const keyBytes = key.length === 0 ? new Uint8Array(HASH_BYTES) : key;
  const hmacKey = await crypto.subtle.importKey("raw", keyBytes, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", hmacKey, data));
}

/** HKDF-Extract (RFC 5869). */
export function extract(salt, ikm) {
  return hmac(salt, ikm);
}

/** HKDF-Expand (RFC 5869) to `length` bytes (at most 255 blocks). */
export async function expand(prk, info, length) {
  if (length > 255 * HASH_BYTES) throw new RangeError("HKDF-Expand: too long");
  const blocks = [];
  let previous = new Uint8Array(0);
  for (let counter = 1; blocks.length * HASH_BYTES < length; counter += 1) {
    previous = await hmac(prk, concat(previous, info, new Uint8Array([counter])));
    blocks.push(previous);
  }
  return concat(...blocks).slice(0, length);
}

/** LabeledExtract(salt, label, ikm) of RFC 9180 §4. */
export function labeledExtract(suiteId, salt, label, ikm) {
  return extract(salt, concat(VERSION_LABEL, suiteId, encoder.encode(label), ikm));
}

/** LabeledExpand(prk, label, info, L) of RFC 9180 §4. */
export function labeledExpand(suiteId, prk, label, info, length) {
  return expand(prk, concat(twoBytes(length), VERSION_LABEL, suiteId, encoder.encode(label), info), length);
}

/** DHKEM's ExtractAndExpand: the shared secret from the DH output and the KEM context. */
async function extractAndExpand(dh, kemContext) {
  const eaePrk = await labeledExtract(KEM_SUITE_ID, new Uint8Array(0), "eae_prk", dh);
  return labeledExpand(KEM_SUITE_ID, eaePrk, "shared_secret", kemContext, HASH_BYTES);
}

/** DH(sk, pk) of P-256: the x coordinate of the shared point (32 bytes). */
async function diffieHellman(privateKey, publicKey) {
  return new Uint8Array(await crypto.subtle.deriveBits({ name: "ECDH", public: publicKey }, privateKey, 256));
}

/** An uncompressed P-256 point as an ECDH public CryptoKey (WebCrypto checks it is on the curve). */
export function importPublicKey(bytes) {
  if (!(bytes instanceof Uint8Array) || bytes.length !== PUBLIC_KEY_BYTES || bytes[0] !== 0x04) {
    throw new TypeError("an HPKE public key is a 65-byte uncompressed P-256 point");
  }
  return crypto.subtle.importKey("raw", bytes, ECDH, true, []);
}

/** A fresh ephemeral key pair: {privateKey, publicKeyBytes}. */
async function generateEphemeralKey() {
  const pair = await crypto.subtle.generateKey(ECDH, true, ["deriveBits"]);
  return { privateKey: pair.privateKey, publicKeyBytes: new Uint8Array(await crypto.subtle.exportKey("raw", pair.publicKey)) };
}

/** The key schedule of base mode: {key, baseNonce, exporterSecret} as bytes (RFC 9180 §5.1). */
export async function keySchedule(sharedSecret, info) {
  const empty = new Uint8Array(0);
  const pskIdHash = await labeledExtract(HPKE_SUITE_ID, empty, "psk_id_hash", empty);
  const infoHash = await labeledExtract(HPKE_SUITE_ID, empty, "info_hash", info);
  const context = concat(new Uint8Array([MODE_BASE]), pskIdHash, infoHash);
  const secret = await labeledExtract(HPKE_SUITE_ID, sharedSecret, "secret", empty);
  return {
    key: await labeledExpand(HPKE_SUITE_ID, secret, "key", context, KEY_BYTES),
    baseNonce: await labeledExpand(HPKE_SUITE_ID, secret, "base_nonce", context, NONCE_BYTES),
    exporterSecret: await labeledExpand(HPKE_SUITE_ID, secret, "exp", context, HASH_BYTES),
  };
}

async function aesKey(keyBytes, usage) {
  return crypto.subtle.importKey("raw", keyBytes, { name: "AES-GCM" }, false, [usage]);
}

/**
 * SetupBaseS + Seal: `plaintext` sealed to the recipient's public key (65 bytes).
 * Answers {enc, ciphertext, sealed: enc ‖ ciphertext, sharedSecret, key, baseNonce}.
 * `ephemeral` ({privateKey: CryptoKey, publicKeyBytes}) is for test vectors only: a
 * sender always draws a fresh one.
 */
export async function sealDetailed(recipientPublicKeyBytes, info, plaintext, { aad = new Uint8Array(0), ephemeral = null } = {}) {
  const recipient = await importPublicKey(recipientPublicKeyBytes);
  const { privateKey, publicKeyBytes: enc } = ephemeral || (await generateEphemeralKey());
  const dh = await diffieHellman(privateKey, recipient);
  const sharedSecret = await extractAndExpand(dh, concat(enc, recipientPublicKeyBytes));
  const { key, baseNonce } = await keySchedule(sharedSecret, info);
  const ciphertext = new Uint8Array(
    await crypto.subtle.encrypt({ name: "AES-GCM", iv: baseNonce, additionalData: aad }, await aesKey(key, "encrypt"), plaintext),
  );
  return { enc, ciphertext, sealed: concat(enc, ciphertext), sharedSecret, key, baseNonce };
}

/** Single-shot seal: enc ‖ ciphertext (the `key` of a sealed epoch key). */
export async function seal(recipientPublicKeyBytes, info, plaintext, options = {}) {
  return (await sealDetailed(recipientPublicKeyBytes, info, plaintext, options)).sealed;
}

/**
 * SetupBaseR + Open of `sealed` (enc ‖ ciphertext) with the recipient's ECDH private
 * key and its public key bytes (part of the KEM context). Throws when the tag does not
 * verify (wrong key, wrong info, altered bytes).
 */
export async function open(recipientPrivateKey, recipientPublicKeyBytes, sealed, info, { aad = new Uint8Array(0) } = {}) {
  if (!(sealed instanceof Uint8Array) || sealed.length < PUBLIC_KEY_BYTES + TAG_BYTES) {
    throw new TypeError("sealed HPKE data is shorter than enc and a tag");
  }
  const enc = sealed.slice(0, PUBLIC_KEY_BYTES);
  const ephemeral = await importPublicKey(enc);
  const dh = await diffieHellman(recipientPrivateKey, ephemeral);
  const sharedSecret = await extractAndExpand(dh, concat(enc, recipientPublicKeyBytes));
  const { key, baseNonce } = await keySchedule(sharedSecret, info);
  return new Uint8Array(
    await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: baseNonce, additionalData: aad },
      await aesKey(key, "decrypt"),
      sealed.slice(PUBLIC_KEY_BYTES),
    ),
  );
}

/**
 * An ECDH P-256 private key from its scalar and public point (test vectors give skEm
 * and pkEm; WebCrypto imports EC private keys only as JWK or PKCS#8).
 */
export function importPrivateKey(scalarBytes, publicKeyBytes, { extractable = false } = {}) {
  const b64 = (bytes) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  const jwk = {
    kty: "EC",
    crv: "P-256",
    d: b64(scalarBytes),
    x: b64(publicKeyBytes.slice(1, 33)),
    y: b64(publicKeyBytes.slice(33, 65)),
    ext: extractable,
  };
  return crypto.subtle.importKey("jwk", jwk, ECDH, extractable, ["deriveBits"]);
}
