"""End-to-end encryption in the web client (CONTRACT.md "End-to-end encryption").

The page's HPKE, built from WebCrypto, against RFC 9180's test vector A.3 in chromium;
its message envelopes, device signatures and safety numbers against independent Python
code (hashlib and Python's `cryptography`, written from the contract); then the page itself.
"""

import base64
import hashlib
import hmac
import json
import os
import uuid

import pytest
from cryptography.hazmat.primitives import hashes, hpke, serialization
from cryptography.hazmat.primitives.asymmetric import ec, utils
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from selenium.webdriver.common.by import By

from parley_page import ParleyPage

# RFC 9180, Appendix A.3: DHKEM(P-256, HKDF-SHA256), HKDF-SHA256, AES-128-GCM, base mode.
RFC9180_A3 = {
    "info": "4f6465206f6e2061204772656369616e2055726e",
    "skRm": "f3ce7fdae57e1a310d87f1ebbde6f328be0a99cdbcadf4d6589cf29de4b8ffd2",
    "pkRm": "04fe8c19ce0905191ebc298a9245792531f26f0cece2460639e8bc39cb7f706a826a779b4cf969b8a0e539c7f62fb3d30ad6aa8f80e30f1d128aafd68a2ce72ea0",
    "skEm": "4995788ef4b9d6132b249ce59a77281493eb39af373d236a1fe415cb0c2d7beb",
    "pkEm": "04a92719c6195d5085104f469a8b9814d5838ff72b60501e2c4466e5e67b325ac98536d7b61a1af4b78e5b7f951c0900be863c403ce65c9bfcb9382657222d18c4",
    "enc": "04a92719c6195d5085104f469a8b9814d5838ff72b60501e2c4466e5e67b325ac98536d7b61a1af4b78e5b7f951c0900be863c403ce65c9bfcb9382657222d18c4",
    "shared_secret": "c0d26aeab536609a572b07695d933b589dcf363ff9d93c93adea537aeabb8cb8",
    "key": "868c066ef58aae6dc589b6cfdd18f97e",
    "base_nonce": "4e0bc5018beba4bf004cca59",
    "exporter_secret": "14ad94af484a7ad3ef40e9f3be99ecc6fa9036df9d4920548424df127ee0d99f",
    # The first encryption (sequence number 0, the only one a single-shot seal makes).
    "aad": "436f756e742d30",
    "pt": "4265617574792069732074727574682c20747275746820626561757479",
    "ct": "5ad590bb8baa577f8619db35a36311226a896e7342a6d836d8b7bcd2f20b6c7f9076ac232e3ab2523f39513434",
}


def run_module_script(page, body, *args):
    """Runs `body` (an async function body with `hpke`, `e2ee`, `hex`, `unhex` and `args`
    in scope) on Parley's origin, importing the page's own modules; answers its value or
    fails the test with the page's error."""
    script = """
        const done = arguments[arguments.length - 1];
        const args = Array.from(arguments).slice(0, -1);
        (async () => {
          const hpke = await import("/web/crypto/hpke.js");
          const e2ee = await import("/web/crypto/e2ee.js");
          const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
          const unhex = (text) => Uint8Array.from(text.match(/../g) || [], (pair) => parseInt(pair, 16));
          BODY
        })().then((value) => done({ok: true, value}), (error) => done({ok: false, error: String(error && error.stack || error)}));
    """.replace("BODY", body)
    answer = page.driver.execute_async_script(script, *args)
    assert answer["ok"], answer["error"]
    return answer["value"]


@pytest.fixture
def blank_page(open_browser, base_url):
    """A browser on Parley's origin (its modules load from /web/), signed in as nobody."""
    page = open_browser()
    page.driver.get(base_url.rstrip("/") + "/")
    page.driver.set_script_timeout(30)
    return page


def test_hpke_matches_rfc9180_vector_a3_in_chromium(blank_page):
    answer = run_module_script(
        blank_page,
        """
        const v = args[0];
        // The vector's ephemeral key, injected (a sender always draws a fresh one).
        const ephemeral = {privateKey: await hpke.importPrivateKey(unhex(v.skEm), unhex(v.pkEm)), publicKeyBytes: unhex(v.pkEm)};
        const sealed = await hpke.sealDetailed(unhex(v.pkRm), unhex(v.info), unhex(v.pt), {aad: unhex(v.aad), ephemeral});
        const schedule = await hpke.keySchedule(sealed.sharedSecret, unhex(v.info));
        const recipient = await hpke.importPrivateKey(unhex(v.skRm), unhex(v.pkRm));
        const opened = await hpke.open(recipient, unhex(v.pkRm), hpke.concat(unhex(v.enc), unhex(v.ct)), unhex(v.info), {aad: unhex(v.aad)});
        let wrongInfo = "opened";
        try {
          await hpke.open(recipient, unhex(v.pkRm), sealed.sealed, new TextEncoder().encode("another info"), {aad: unhex(v.aad)});
        } catch (error) {
          wrongInfo = error.name;
        }
        // A fresh ephemeral key each time: two seals of one plaintext differ and both open.
        const first = await hpke.seal(unhex(v.pkRm), unhex(v.info), unhex(v.pt));
        const second = await hpke.seal(unhex(v.pkRm), unhex(v.info), unhex(v.pt));
        return {
          enc: hex(sealed.enc), sharedSecret: hex(sealed.sharedSecret), key: hex(sealed.key),
          baseNonce: hex(sealed.baseNonce), exporterSecret: hex(schedule.exporterSecret), ct: hex(sealed.ciphertext),
          opened: hex(opened), wrongInfo,
          freshDiffer: hex(first) !== hex(second),
          freshOpen: hex(await hpke.open(recipient, unhex(v.pkRm), first, unhex(v.info))),
        };
        """,
        RFC9180_A3,
    )
    v = RFC9180_A3
    assert answer["enc"] == v["enc"]
    assert answer["sharedSecret"] == v["shared_secret"]
    assert answer["key"] == v["key"]
    assert answer["baseNonce"] == v["base_nonce"]
    assert answer["exporterSecret"] == v["exporter_secret"]
    assert answer["ct"] == v["ct"]
    assert answer["opened"] == v["pt"]
    assert answer["wrongInfo"] == "OperationError", "a seal opened under another info"
    assert answer["freshDiffer"]
    assert answer["freshOpen"] == v["pt"]


def test_messages_devices_and_safety_numbers_follow_the_contract(blank_page):
    answer = run_module_script(
        blank_page,
        """
        const device = await e2ee.generateDeviceKeys();
        const other = await e2ee.generateDeviceKeys();
        const registration = await e2ee.deviceRegistration(device.signing.privateKey, device.signingKey, device.encryptionKey);
        const forged = {...registration, encryptionKey: e2ee.toBase64url(other.encryptionKey)};
        const epochKey = e2ee.newEpochKey();
        const sealedKey = await e2ee.sealEpochKey(other.encryptionKey, "c1", 3, epochKey);
        const openedKey = await e2ee.openEpochKey(other.encryption.privateKey, other.encryptionKey, sealedKey, "c1", 3);
        let wrongEpoch = "opened";
        try { await e2ee.openEpochKey(other.encryption.privateKey, other.encryptionKey, sealedKey, "c1", 4); } catch (error) { wrongEpoch = error.name; }
        const fields = {conversationId: "c1", epoch: 3, senderId: "ana", deviceId: "d-ana", clientMessageId: "m1"};
        const envelope = await e2ee.encryptMessage({...fields, content: "¿Llega el lunes? 📦", epochKey, signingPrivateKey: device.signing.privateKey});
        const read = (changes) => e2ee.decryptMessage({
          conversationId: "c1", senderId: "ana", clientMessageId: "m1", envelope, epochKey: openedKey,
          senderSigningKey: device.signingKey, ...changes,
        }).then((content) => ({content}), (error) => ({reason: error.reason}));
        const flipped = e2ee.fromBase64url(envelope.ciphertext);
        flipped[0] ^= 1;
        let extractable = "exported";
        try { await crypto.subtle.exportKey("jwk", device.signing.privateKey); } catch (error) { extractable = error.name; }
        return {
          signingKey: e2ee.toBase64url(device.signingKey), encryptionKey: e2ee.toBase64url(device.encryptionKey), registration,
          verified: await e2ee.verifyDevice(registration), forgedVerified: await e2ee.verifyDevice(forged),
          safety: await e2ee.safetyNumber(device.signingKey, device.encryptionKey),
          keyRoundTrip: e2ee.toBase64url(openedKey) === e2ee.toBase64url(epochKey), wrongEpoch,
          envelope, ad: e2ee.toBase64url(e2ee.messageAD("c1", 3, "ana", "d-ana", "m1")), epochKey: e2ee.toBase64url(epochKey),
          plain: await read({}),
          otherSender: await read({senderId: "luis"}),
          otherClientId: await read({clientMessageId: "m2"}),
          wrongSigner: await read({senderSigningKey: other.signingKey}),
          noKey: await read({epochKey: null}),
          tampered: await read({envelope: {...envelope, ciphertext: e2ee.toBase64url(flipped)}}),
          otherCommitment: await read({envelope: {...envelope, commitment: e2ee.toBase64url(new Uint8Array(32))}}),
          extractable,
          padded: (() => { try { e2ee.fromBase64url("AA=="); return "accepted"; } catch { return "refused"; } })(),
        };
        """,
    )
    def unb64(text):
        assert "=" not in text and "+" not in text and "/" not in text, text
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))

    signing, encryption = unb64(answer["signingKey"]), unb64(answer["encryptionKey"])
    assert len(signing) == 65 and signing[0] == 4 and len(encryption) == 65 and encryption[0] == 4
    assert len(unb64(answer["registration"]["signature"])) == 64
    assert answer["verified"] and not answer["forgedVerified"]
    # The safety number, computed here from the contract's words.
    digest = hashlib.sha256(b"parley-safety-v1|" + signing + encryption).digest()
    expected = " ".join(f"{int.from_bytes(digest[4 * i:4 * i + 4], 'big') % 100000:05d}" for i in range(6))
    assert answer["safety"] == expected
    assert answer["keyRoundTrip"] and answer["wrongEpoch"] == "OperationError"
    envelope = answer["envelope"]
    assert envelope["epoch"] == 3 and envelope["deviceId"] == "d-ana"
    assert len(unb64(envelope["iv"])) == 12 and len(unb64(envelope["signature"])) == 64
    # AES-256-GCM under the epoch key of {"content": …, "franking": …}, with the AD; the
    # envelope commits to the content with HMAC-SHA256 keyed by the franking bytes.
    assert unb64(answer["ad"]) == b"c1|3|ana|d-ana|m1"
    body = json.loads(AESGCM(unb64(answer["epochKey"])).decrypt(unb64(envelope["iv"]), unb64(envelope["ciphertext"]), b"c1|3|ana|d-ana|m1"))
    assert body["content"] == "¿Llega el lunes? 📦" and len(unb64(body["franking"])) == 32
    assert unb64(envelope["commitment"]) == hmac.new(unb64(body["franking"]), body["content"].encode(), hashlib.sha256).digest()
    assert answer["plain"] == {"content": "¿Llega el lunes? 📦"}
    for case in ("otherSender", "otherClientId", "wrongSigner", "tampered"):
        assert answer[case] == {"reason": "bad_signature"}, (case, answer[case])
    assert answer["noKey"] == {"reason": "no_key"}
    assert answer["otherCommitment"] == {"reason": "bad_commitment"}
    assert answer["extractable"] == "InvalidAccessError", "a device's private key could be read out"
    assert answer["padded"] == "refused"



# An independent counterpart, written from the contract with Python's `cryptography`
# (its own HPKE, AES-GCM and ECDSA): what the page seals and encrypts opens here, and the
# other way round.

def b64u(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64u(text):
    assert "=" not in text and "+" not in text and "/" not in text, text
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def point(public_key):
    return public_key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)


def raw_signature(der):
    r, s = utils.decode_dss_signature(der)
    return r.to_bytes(32, "big") + s.to_bytes(32, "big")


def der_signature(raw):
    return utils.encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))


HPKE_SUITE = hpke.Suite(hpke.KEM.P256, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_128_GCM)


def test_the_page_and_an_independent_python_implementation_read_each_other(blank_page):
    python_encryption = ec.generate_private_key(ec.SECP256R1())
    python_signing = ec.generate_private_key(ec.SECP256R1())
    fields = {"conversationId": "conv-7", "epoch": 2, "senderId": "luis", "deviceId": "web-luis", "clientMessageId": "cm-1"}
    page = run_module_script(
        blank_page,
        """
        const [pythonKey, fields] = args;
        const device = await e2ee.generateDeviceKeys();
        const epochKey = e2ee.newEpochKey();
        const sealed = await e2ee.sealEpochKey(e2ee.fromBase64url(pythonKey), fields.conversationId, fields.epoch, epochKey);
        const envelope = await e2ee.encryptMessage({...fields, content: "Página → Python: ¿talla 42? 👟", epochKey, signingPrivateKey: device.signing.privateKey});
        window.e2eeInterop = {device};
        return {sealed, envelope, signingKey: e2ee.toBase64url(device.signingKey), encryptionKey: e2ee.toBase64url(device.encryptionKey)};
        """,
        b64u(point(python_encryption.public_key())),
        fields,
    )

    # Python opens the page's sealed epoch key and message.
    info = f"parley-e2ee-v1|{fields['conversationId']}|{fields['epoch']}".encode()
    epoch_key = HPKE_SUITE.decrypt(unb64u(page["sealed"]), python_encryption, info=info)
    assert len(epoch_key) == 32
    envelope = page["envelope"]
    ad = "|".join(str(fields[k]) for k in ("conversationId", "epoch", "senderId", "deviceId", "clientMessageId")).encode()
    ciphertext = unb64u(envelope["ciphertext"])
    page_signing = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64u(page["signingKey"]))
    page_signing.verify(der_signature(unb64u(envelope["signature"])), ad + ciphertext, ec.ECDSA(hashes.SHA256()))
    body = json.loads(AESGCM(epoch_key).decrypt(unb64u(envelope["iv"]), ciphertext, ad))
    assert body["content"] == "Página → Python: ¿talla 42? 👟"
    assert unb64u(envelope["commitment"]) == hmac.new(unb64u(body["franking"]), body["content"].encode(), hashlib.sha256).digest()

    # Python seals a key to the page's device and sends it a message; the page reads it.
    reply_fields = {**fields, "epoch": 3, "senderId": "py", "deviceId": "py-device", "clientMessageId": "cm-2"}
    reply_key = os.urandom(32)
    reply_info = f"parley-e2ee-v1|{fields['conversationId']}|3".encode()
    page_encryption = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64u(page["encryptionKey"]))
    sealed_reply_key = HPKE_SUITE.encrypt(reply_key, page_encryption, info=reply_info)
    reply_ad = f"conv-7|3|py|py-device|cm-2".encode()
    iv = os.urandom(12)
    reply_ciphertext = AESGCM(reply_key).encrypt(iv, json.dumps({"content": "Python → página: sí, la 42"}).encode(), reply_ad)
    reply_envelope = {
        "epoch": 3, "deviceId": "py-device", "iv": b64u(iv), "ciphertext": b64u(reply_ciphertext),
        "signature": b64u(raw_signature(python_signing.sign(reply_ad + reply_ciphertext, ec.ECDSA(hashes.SHA256())))),
    }
    read = run_module_script(
        blank_page,
        """
        const [sealed, envelope, signingKey] = args;
        const {device} = window.e2eeInterop;
        const epochKey = await e2ee.openEpochKey(device.encryption.privateKey, device.encryptionKey, sealed, "conv-7", 3);
        return await e2ee.decryptMessage({conversationId: "conv-7", senderId: "py", clientMessageId: "cm-2", envelope, epochKey,
                                          senderSigningKey: e2ee.fromBase64url(signingKey)});
        """,
        b64u(sealed_reply_key),
        reply_envelope,
        b64u(point(python_signing.public_key())),
    )
    assert read == "Python → página: sí, la 42"


