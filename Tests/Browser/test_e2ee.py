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
import subprocess
import sys
import urllib.error
import urllib.request
import uuid

import pytest
from cryptography.hazmat.primitives import hashes, hpke, serialization
from cryptography.hazmat.primitives.asymmetric import ec, utils
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from conftest import service_token
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




# The page itself: James Carter (buyer) and Casa Verde Hogar (seller), who share no demo
# conversation, and Luis from support. Each browser is a new profile, so a new device.

BUYER = "james"
SELLER = "casa-verde"
SELLER_NAME = "Casa Verde Hogar"
AGENT = "soporte-luis"
AGENT_NAME = "Luis (soporte)"
OFF_NOTICE = "el servidor no puede leer estos mensajes"


def tag():
    return uuid.uuid4().hex[:8]


def database_files(base_url):
    """The SQLite database of the server at `base_url` and its -wal/-shm files, found from
    the command line of the process serving that port (browser-test.sh's --database)."""
    port = base_url.rsplit(":", 1)[-1].strip("/")
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as file:
                argv = file.read().decode(errors="replace").split("\0")
        except OSError:
            continue
        if "serve" in argv and "--port" in argv and argv[argv.index("--port") + 1] == port and "--database" in argv:
            database = argv[argv.index("--database") + 1]
            if not database.startswith("sqlite://"):
                pytest.skip("the server does not run on SQLite")
            path = database.removeprefix("sqlite://")
            if not os.path.isabs(path):
                path = os.path.join(os.readlink(f"/proc/{pid}/cwd"), path)
            return [candidate for candidate in (path, path + "-wal", path + "-shm") if os.path.exists(candidate)]
    pytest.skip(f"no parley serve with --database on port {port} (its files cannot be read)")


def click(page, selector, message):
    """Clicks the element `selector` names, again if a re-render replaced it meanwhile."""
    def attempt(_):
        elements = page.css(selector)
        if not elements:
            return False
        elements[0].click()
        return True

    page.wait(attempt, message)


def wait_for_device(page):
    """Waits until the page registered its device; answers the device id."""
    return page.wait(lambda d: d.execute_script("return window.parleyDebug && window.parleyDebug.e2ee.deviceId()"),
                     "the page never registered its device")


def create_encrypted_conversation(buyer, seller_id, product, first_text):
    """The buyer creates an encrypted conversation from the inbox form; answers its id."""
    buyer.visible('[data-testid="new-conversation"]').click()
    buyer.visible('[data-testid="new-seller"]').send_keys(seller_id)
    buyer.visible('[data-testid="new-product"]').send_keys(product)
    buyer.visible('[data-testid="new-message"]').send_keys(first_text)
    assert "Cifrado de extremo a extremo" in buyer.css('label[for="new-encrypted"]')[0].text
    click(buyer, '[data-testid="new-encrypted"]', "no encryption opt-in")
    assert buyer.css('[data-testid="new-encrypted"]')[0].is_selected()
    click(buyer, '[data-testid="new-conversation-create"]', "no create button")
    buyer.wait(lambda d: not buyer.css('[data-testid="new-conversation-form"]'), "the form stayed open: "
               + " ".join(e.text for e in buyer.css('[data-testid="new-conversation-error"]')))
    buyer.wait(lambda d: d.execute_script(
        "const li = document.querySelector('[data-testid=\"conversation-item\"][aria-current=\"true\"]');"
        "return li && li.dataset.conversationId"), "the new conversation did not open")
    return buyer.driver.execute_script(
        "return document.querySelector('[data-testid=\"conversation-item\"][aria-current=\"true\"]').dataset.conversationId")


def encrypted_pair(open_browser, first_text):
    """A buyer and a seller in a new encrypted conversation (both devices registered first)."""
    seller = open_browser().sign_in_as(SELLER, language="es")
    wait_for_device(seller)
    buyer = open_browser().sign_in_as(BUYER, language="es")
    wait_for_device(buyer)
    cid = create_encrypted_conversation(buyer, SELLER, f"PROD-E2EE-{tag()}", first_text)
    buyer.wait_for_message(first_text)
    buyer.wait_for_status(first_text, "sent")
    return buyer, seller, cid


def test_an_encrypted_conversation_is_read_by_both_sides_and_the_database_holds_no_plaintext(open_browser, base_url):
    question = f"¿Me lo dejáis en la portería del número 7? clave-{tag()}"
    buyer, seller, cid = encrypted_pair(open_browser, question)

    # The lock and what is off, and why.
    panel = buyer.visible('[data-testid="e2ee"]')
    assert "Cifrado de extremo a extremo" in panel.text
    assert OFF_NOTICE in buyer.testid("e2ee-off")[0].text
    for feature in ("búsqueda", "respuestas automáticas", "sugerencias", "notificaciones"):
        assert feature in buyer.testid("e2ee-off")[0].text, feature
    assert buyer.css(f'{ParleyPage.item_selector(cid)} [data-testid="conversation-encrypted"]')

    # The seller reads it, decrypted in its browser, and answers.
    seller.open_thread(cid)
    seller.wait_for_message(question)
    assert seller.css('[data-testid="message-text"][data-e2ee="ok"]')
    answer = f"Sí, lo dejamos allí el martes. ref-{tag()}"
    seller.send(answer)
    buyer.wait_for_message(answer)
    seller.wait_for_status(answer, "seen")

    # Both sides see the same safety number for each device.
    seller_device = wait_for_device(seller)
    buyer.wait(lambda d: buyer.css(f'[data-testid="safety-number"][data-device-id="{seller_device}"]'), "no safety number for the seller")
    shown_by_buyer = buyer.css(f'[data-testid="safety-number"][data-device-id="{seller_device}"] [data-testid="safety-digits"]')[0].get_attribute("textContent")
    own = seller.css('[data-testid="my-safety-number"] [data-testid="safety-digits"]')[0].get_attribute("textContent")
    assert shown_by_buyer == own and len(own.split(" ")) == 6, (shown_by_buyer, own)
    buyer.screenshot("e2ee-conversation.png")

    # What the server holds: envelopes and empty content; the database files hold neither text.
    status, page = buyer.api("GET", f"/api/conversations/{cid}/messages")
    assert status == 200
    assert all(m["content"] == "" and m["encrypted"]["ciphertext"] for m in page["messages"]), page["messages"]
    status, found = buyer.api("GET", "/api/search?q=porter%C3%ADa")
    assert status in (200, 400) and not any(r["conversationId"] == cid for r in (found or {}).get("results", []))
    files = database_files(base_url)
    assert files
    for path in files:
        with open(path, "rb") as file:
            data = file.read()
        for text in (question, answer):
            for part in (text, text.split(" ")[-1]):
                assert part.encode() not in data, f"{part!r} is readable in {path}"

    # The seller reports the question (after the check above: a report reveals its text to
    # support, on purpose): the server checks the text against the commitment it signed.
    click(seller, '[data-testid="e2ee-report"]', "no way to report the buyer's message")
    seller.wait(lambda d: seller.testid("e2ee-reported"), "the report was not accepted: " + " ".join(e.text for e in seller.css(".e2ee-report")))
    request = urllib.request.Request(f"{base_url}/api/reports", headers={"Authorization": f"Bearer {service_token(base_url, AGENT, role='support')}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        reports = json.loads(response.read())["reports"]
    assert any(r["conversationId"] == cid and r["content"] == question and r["reporterId"] == SELLER for r in reports), reports


def test_a_changed_device_key_is_shown_as_a_warning(open_browser):
    buyer, seller, cid = encrypted_pair(open_browser, f"Hola, una pregunta {tag()}")
    seller_device = wait_for_device(seller)
    buyer.wait(lambda d: buyer.css(f'[data-testid="safety-number"][data-device-id="{seller_device}"]'), "no safety number for the seller")
    before = buyer.css(f'[data-testid="safety-number"][data-device-id="{seller_device}"] [data-testid="safety-digits"]')[0].get_attribute("textContent")
    assert not buyer.testid("e2ee-key-changed")

    # Someone registers other keys under the seller's device id (a reinstall, or an attack).
    registration = run_module_script(seller, """
        const keys = await e2ee.generateDeviceKeys();
        return await e2ee.deviceRegistration(keys.signing.privateKey, keys.signingKey, keys.encryptionKey);
    """)
    status, answer = seller.api("PUT", f"/api/devices/{seller_device}", registration)
    assert status in (200, 201), (status, answer)

    warning = f'[data-testid="e2ee-key-changed"][data-device-id="{seller_device}"]'
    buyer.wait(lambda d: buyer.css(warning), "the buyer was not warned of the seller's new key")
    assert buyer.css(warning)[0].get_attribute("data-user-id") == SELLER
    assert f"La clave de seguridad de {SELLER_NAME} ha cambiado" in buyer.css(warning)[0].text
    after = buyer.css(f'[data-testid="safety-number"][data-device-id="{seller_device}"] [data-testid="safety-digits"]')[0].get_attribute("textContent")
    assert after != before
    buyer.screenshot("e2ee-key-changed.png")

    # Trusted only when the person says so.
    click(buyer, f'{warning} [data-testid="e2ee-accept-key"]', "no way to trust the new key")
    buyer.wait(lambda d: not buyer.testid("e2ee-key-changed"), "the warning stayed after trusting the new key")


def test_other_keys_listed_under_our_own_device_are_warned_about_and_never_sealed_to(open_browser):
    buyer, seller, cid = encrypted_pair(open_browser, f"Hola, ¿sigue disponible? {tag()}")
    buyer_device = wait_for_device(buyer)
    epochs_before = buyer.driver.execute_script("return window.parleyDebug.e2ee.epochs(arguments[0])", cid)
    assert epochs_before, "the buyer holds no epoch"

    # Other keys under the buyer's own device id (what a server could list to get the keys):
    # made here, so that the test holds their private key.
    forged_signing = ec.generate_private_key(ec.SECP256R1())
    forged_encryption = ec.generate_private_key(ec.SECP256R1())
    encryption_point = point(forged_encryption.public_key())
    status, answer = buyer.api("PUT", f"/api/devices/{buyer_device}", {
        "signingKey": b64u(point(forged_signing.public_key())),
        "encryptionKey": b64u(encryption_point),
        "signature": b64u(raw_signature(forged_signing.sign(encryption_point, ec.ECDSA(hashes.SHA256())))),
    })
    assert status in (200, 201), (status, answer)

    warning = f'[data-testid="e2ee-key-changed"][data-own="true"][data-device-id="{buyer_device}"]'
    buyer.wait(lambda d: buyer.css(warning), "the buyer was not warned of other keys under its own device id")
    assert not buyer.css(f'{warning} [data-testid="e2ee-accept-key"]'), "other keys under our own id can be accepted"

    # The next message starts a new epoch (our user's devices changed); it is sealed to the
    # keys this browser holds, not to the listed ones. (The server, checking the message's
    # signature against the listed key, refuses the message itself: whether it is sent is
    # not what this test is about.)
    buyer.send(f"¿Y el envío? {tag()}")
    buyer.wait(lambda d: max(d.execute_script("return window.parleyDebug.e2ee.epochs(arguments[0])", cid)) > max(epochs_before),
               "no new epoch after our user's devices changed")
    status, keys = buyer.api("GET", f"/api/conversations/{cid}/keys?deviceId={buyer_device}")
    assert status == 200, (status, keys)
    newest = max(entry["epoch"] for entry in keys["keys"])
    assert newest > max(epochs_before), keys
    for entry in keys["keys"]:
        info = f"parley-e2ee-v1|{cid}|{entry['epoch']}".encode()
        with pytest.raises(Exception):
            HPKE_SUITE.decrypt(unb64u(entry["key"]), forged_encryption, info=info)
    # …and this browser holds the newest one (it drew it; sealed to itself with its own key).
    opened = buyer.driver.execute_script("return window.parleyDebug.e2ee.epochs(arguments[0])", cid)
    assert newest in opened, (newest, opened)


def test_attaching_is_off_in_an_encrypted_conversation(open_browser):
    buyer, seller, cid = encrypted_pair(open_browser, f"Una pregunta sobre la talla {tag()}")
    assert "adjuntos" in buyer.testid("e2ee-off")[0].text
    button = buyer.testid("attach-button")[0]
    assert not button.is_displayed() and not button.is_enabled(), "the attach button is offered in an encrypted conversation"

    # A pasted or dropped file is not taken either (it would be uploaded unencrypted).
    png = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\0" * 64).decode()
    buyer.driver.execute_script(DROP_SCRIPT, '[data-testid="composer-input"]', png, "foto.png", "image/png", "paste")
    buyer.driver.execute_script(DROP_SCRIPT, "#thread-body", png, "foto.png", "image/png", "drop")
    assert not buyer.testid("attachment-tray")[0].is_displayed(), "a file waits to be sent in an encrypted conversation"
    status, page = buyer.api("GET", f"/api/conversations/{cid}/messages")
    assert status == 200 and not any(m["type"] in ("image", "file") for m in page["messages"]), page


DROP_SCRIPT = """
const [selector, base64, name, type, kind] = arguments;
const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
const data = new DataTransfer();
data.items.add(new File([bytes], name, {type}));
const target = document.querySelector(selector);
const event = kind === "paste"
  ? new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true})
  : new DragEvent(kind, {dataTransfer: data, bubbles: true, cancelable: true});
target.dispatchEvent(event);
"""


def test_an_assigned_agent_reads_the_history_once_a_participant_shares_the_keys(open_browser):
    first = f"El paquete llegó abierto {tag()}"
    buyer, seller, cid = encrypted_pair(open_browser, first)
    seller.open_thread(cid)
    seller.wait_for_message(first)
    second = f"Lo sentimos, ¿nos mandas una foto? {tag()}"
    seller.send(second)
    buyer.wait_for_message(second)

    agent = open_browser().sign_in_as(AGENT, language="es")
    wait_for_device(agent)
    agent.driver.get(f"{agent.base_url}/?conversation={cid}")
    agent.wait(lambda d: agent.css('[data-testid="message-text"][data-e2ee]'), "the agent does not see the encrypted messages")
    # Not assigned yet: the agent has no key and sees no text.
    agent.wait(lambda d: agent.css('[data-testid="message-text"][data-e2ee-reason="no_key"]'), "the agent's messages are not waiting for a key")
    assert first not in agent.driver.page_source and second not in agent.driver.page_source

    status, conversation = agent.api("PUT", f"/api/conversations/{cid}/assignee", {"assignedTo": AGENT})
    assert status == 200, (status, conversation)

    buyer.wait(lambda d: buyer.testid("e2ee-shared"), "the buyer never shared the keys with support")
    assert buyer.testid("e2ee-shared")[0].get_attribute("data-agent-id") == AGENT
    assert f"Claves compartidas con soporte ({AGENT_NAME})" in buyer.testid("e2ee-shared")[0].text
    agent.wait_for_message(first, timeout=30)
    agent.wait_for_message(second)
    agent.screenshot("e2ee-agent-reads.png")

    # The agent answers with the newest epoch it was given: not a participant, it may not start one.
    epochs = agent.driver.execute_script("return window.parleyDebug.e2ee.epochs(arguments[0])", cid)
    reply = f"Soy Luis, de soporte: lo revisamos. {tag()}"
    agent.send(reply)
    buyer.wait_for_message(reply)
    assert agent.driver.execute_script("return window.parleyDebug.e2ee.epochs(arguments[0])", cid) == epochs


class PythonDevice:
    """A seller's device in Python (`cryptography`), talking to the server's REST API as
    the contract says: the other side of the page in the interop test."""

    def __init__(self, base_url, user_id, role="seller"):
        self.base_url = base_url.rstrip("/")
        self.user_id = user_id
        self.token = service_token(base_url, user_id, role=role)
        self.device_id = f"py-{tag()}"
        self.signing = ec.generate_private_key(ec.SECP256R1())
        self.encryption = ec.generate_private_key(ec.SECP256R1())

    def call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        headers = {"Authorization": f"Bearer {self.token}", "Accept": "application/json"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(self.base_url + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")

    def register(self):
        encryption_point = point(self.encryption.public_key())
        signature = raw_signature(self.signing.sign(encryption_point, ec.ECDSA(hashes.SHA256())))
        status, answer = self.call("PUT", f"/api/devices/{self.device_id}", {
            "signingKey": b64u(point(self.signing.public_key())), "encryptionKey": b64u(encryption_point), "signature": b64u(signature),
        })
        assert status in (200, 201), (status, answer)

    def epoch_keys(self, conversation_id):
        status, answer = self.call("GET", f"/api/conversations/{conversation_id}/keys?deviceId={self.device_id}")
        assert status == 200, (status, answer)
        return {
            entry["epoch"]: HPKE_SUITE.decrypt(unb64u(entry["key"]), self.encryption,
                                               info=f"parley-e2ee-v1|{conversation_id}|{entry['epoch']}".encode())
            for entry in answer["keys"]
        }

    def read(self, conversation_id, message, keys):
        """Checks the sender device's signature, then decrypts: the message's content."""
        envelope = message["encrypted"]
        status, listed = self.call("GET", f"/api/users/{message['senderId']}/devices")
        assert status == 200, (status, listed)
        device = next(d for d in listed["devices"] if d["deviceId"] == envelope["deviceId"])
        ad = f"{conversation_id}|{envelope['epoch']}|{message['senderId']}|{envelope['deviceId']}|{message['clientMessageId']}".encode()
        ciphertext = unb64u(envelope["ciphertext"])
        verifying = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64u(device["signingKey"]))
        verifying.verify(der_signature(unb64u(envelope["signature"])), ad + ciphertext, ec.ECDSA(hashes.SHA256()))
        return json.loads(AESGCM(keys[envelope["epoch"]]).decrypt(unb64u(envelope["iv"]), ciphertext, ad))["content"]

    def send(self, conversation_id, epoch, key, content):
        client_message_id = f"py-{tag()}"
        ad = f"{conversation_id}|{epoch}|{self.user_id}|{self.device_id}|{client_message_id}".encode()
        iv = os.urandom(12)
        ciphertext = AESGCM(key).encrypt(iv, json.dumps({"content": content}).encode(), ad)
        signature = raw_signature(self.signing.sign(ad + ciphertext, ec.ECDSA(hashes.SHA256())))
        status, answer = self.call("POST", f"/api/conversations/{conversation_id}/messages", {
            "type": "text", "clientMessageId": client_message_id,
            "encrypted": {"epoch": epoch, "deviceId": self.device_id, "iv": b64u(iv), "ciphertext": b64u(ciphertext), "signature": b64u(signature)},
        })
        assert status == 201, (status, answer)
        return answer


def test_a_seller_in_python_reads_the_page_and_the_page_reads_its_answer(open_browser, base_url):
    seller = PythonDevice(base_url, f"py-seller-{tag()}")
    seller.register()
    buyer = open_browser().sign_in_as(BUYER, language="es")
    wait_for_device(buyer)
    question = f"¿Tenéis la lámpara en verde? {tag()}"
    cid = create_encrypted_conversation(buyer, seller.user_id, f"PROD-PY-{tag()}", question)
    buyer.wait_for_status(question, "sent")

    keys = seller.epoch_keys(cid)
    assert 1 in keys and len(keys[1]) == 32
    status, page = seller.call("GET", f"/api/conversations/{cid}/messages")
    assert status == 200
    mine = [m for m in page["messages"] if m["senderId"] == BUYER]
    assert mine and mine[0]["content"] == ""
    assert seller.read(cid, mine[0], keys) == question

    answer = f"Sí, en verde y en gris. {tag()}"
    seller.send(cid, max(keys), keys[max(keys)], answer)
    buyer.wait_for_message(answer)
    assert buyer.css('[data-testid="message-text"][data-e2ee="ok"]')

    # Signed by the seller's device but encrypted under a key that is not the epoch's: the
    # server cannot tell; the page shows it cannot be read, never a wrong text.
    garbled = seller.send(cid, max(keys), os.urandom(32), f"nunca legible {tag()}")
    failed = f'[data-message-id="{garbled["messageId"]}"] [data-testid="message-text"]'
    buyer.wait(lambda d: buyer.css(failed) and buyer.css(failed)[0].get_attribute("data-e2ee") == "failed",
               "the undecryptable message was not shown as such")
    assert buyer.css(failed)[0].get_attribute("data-e2ee-reason") == "bad_ciphertext"
    assert "No se puede descifrar este mensaje" in buyer.css(failed)[0].text
    assert "nunca legible" not in buyer.driver.page_source


@pytest.fixture
def contract_counterpart():
    """Tests/E2EE/counterpart.py (the suite's contract-only implementation in Python) on a
    free loopback port: call(path, body) posts to it and answers its JSON."""
    script = os.path.join(os.path.dirname(__file__), "..", "E2EE", "counterpart.py")
    if not os.path.exists(script):
        pytest.skip("Tests/E2EE/counterpart.py is not there")
    process = subprocess.Popen([sys.executable, script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        port = int(process.stdout.readline().strip())

        def call(path, body):
            request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=json.dumps(body).encode(), method="POST",
                                             headers={"Content-Type": "application/json"})
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    return json.loads(response.read())
            except urllib.error.HTTPError as error:
                pytest.fail(f"counterpart {path}: {error.code} {error.read()!r}")

        yield call
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def test_the_page_and_the_contract_counterpart_read_each_other_through_the_server(open_browser, base_url, contract_counterpart):
    seller_id = f"cp-seller-{tag()}"
    session = {"baseURL": base_url, "token": service_token(base_url, seller_id, role="seller"), "deviceId": f"cp-{tag()}", "userId": seller_id}
    contract_counterpart("/device", {"deviceId": session["deviceId"]})
    assert contract_counterpart("/server/register", session)["status"] in (200, 201)

    buyer = open_browser().sign_in_as(BUYER, language="es")
    wait_for_device(buyer)
    question = f"¿El envío a Canarias cuesta extra? {tag()}"
    cid = create_encrypted_conversation(buyer, seller_id, f"PROD-CP-{tag()}", question)
    buyer.wait_for_status(question, "sent")

    # The counterpart opens the page's epoch key, checks the signature, decrypts, and checks
    # the server's receipt over the page's franking commitment.
    read = contract_counterpart("/server/read", {**session, "conversationId": cid})
    from_buyer = [m for m in read["messages"] if m["senderId"] == BUYER]
    assert from_buyer and from_buyer[0]["error"] is None, read
    assert from_buyer[0]["content"] == question
    assert from_buyer[0]["receiptValid"] is True

    # Its franked answer: the page decrypts it and may report it (the server checks the franking).
    answer = f"No, el envío a Canarias no cuesta más. {tag()}"
    sent = contract_counterpart("/server/send", {**session, "conversationId": cid, "content": answer, "clientMessageId": f"cp-{tag()}", "franking": True})
    assert sent["status"] == 201, sent
    buyer.wait_for_message(answer)
    click(buyer, '[data-testid="e2ee-report"]', "no way to report the counterpart's message")
    buyer.wait(lambda d: buyer.testid("e2ee-reported"), "the report of the counterpart's message was refused")
