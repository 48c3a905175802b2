"""The tests' independent implementation of Parley's end-to-end encryption, written from
../shared/CONTRACT.md ("End-to-end encryption") alone, with the `cryptography` package:
HPKE (RFC 9180, base mode, DHKEM(P-256, HKDF-SHA256), HKDF-SHA256, AES-128-GCM) through
`hazmat.primitives.hpke`, AES-256-GCM, ECDSA P-256/SHA-256 (r||s on the wire, DER inside
`cryptography`), HMAC-SHA256. It shares no code with the Swift client.

Listens on 127.0.0.1 (a free port, printed alone on the first line of stdout). Every
request is a POST with a JSON body and gets a JSON answer; a cryptographic refusal is
answered 422 {"error": "..."}. Binary values are unpadded base64url, as in the contract.

Offline operations:
  /device        {"deviceId"} -> {"deviceId", "signingKey", "encryptionKey", "signature",
                 "safetyNumber"}: a new device whose private keys stay in this process
  /verify-device {"signingKey", "encryptionKey", "signature"} -> {"valid": bool}
  /safety        {"signingKey", "encryptionKey"} -> {"safetyNumber"}
  /seal          {"encryptionKey", "conversationId", "epoch", "key"} -> {"sealed"}
  /open          {"deviceId", "conversationId", "epoch", "sealed"} -> {"key"}
  /encrypt       {"deviceId", "key", "conversationId", "epoch", "senderId",
                 "clientMessageId", "content", "franking": bool} -> {"encrypted": {...}}
                 (with "commitment" in it when franked)
  /decrypt       {"key", "conversationId", "senderId", "clientMessageId", "encrypted",
                 "signingKey", "commitment"?} -> {"content", "franking"?}
  /commitment    {"franking", "content"} -> {"commitment"}

Against a Parley server (each with "baseURL", "token", "deviceId", and "userId" where the
caller's own id matters), over urllib:
  /server/request     {"method", "path", "body"?} -> {"status", "body"}
  /server/register    -> {"status"}
  /server/start-epoch {"conversationId", "epoch", "alsoSealTo"?: [userId]} -> {"status",
                      "sealedTo": [[userId, deviceId]]}
  /server/load-keys   {"conversationId"} -> {"epochs": [...]}
  /server/share       {"conversationId", "recipientUserId"} -> {"statuses", "epochs", "devices"}
  /server/send        {"conversationId", "content", "clientMessageId", "franking"?}
                      -> {"status", "body"}
  /server/read        {"conversationId"} -> {"messages": [{"messageId", "senderId",
                      "content" | null, "franking" | null, "error" | null,
                      "receiptValid": the server's Ed25519 receipt checked with
                      GET /api/audit/key, null when unfranked}], "hasMore"}

Usage: python counterpart.py
"""

import base64
import hashlib
import hmac
import json
import os
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, hpke, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Notify"))
from loopback_counterpart import JSONHandler, serve  # noqa: E402

# Pages of 200 messages travel through /decrypt and /server/read answers, not requests;
# requests carry at most a page for /server/request bodies.
MAX_BODY_BYTES = 4 * 1024 * 1024
# The server is on loopback; any answer comes at once.
HTTP_TIMEOUT_SECONDS = 20

SUITE = hpke.Suite(hpke.KEM.P256, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_128_GCM)


class Refused(Exception):
    """A cryptographic check failed: answered 422."""


# --- encodings -------------------------------------------------------------------------

def b64u(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64u(text, length=None, field="value"):
    if not isinstance(text, str) or "=" in text or "+" in text or "/" in text:
        raise Refused(f"{field}: not unpadded base64url")
    data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if length is not None and len(data) != length:
        raise Refused(f"{field}: {len(data)} bytes, not {length}")
    return data


def point_bytes(public_key):
    return public_key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)


def point(data, field):
    if len(data) != 65 or data[0] != 4:
        raise Refused(f"{field}: not a 65-byte uncompressed point")
    try:
        return ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), data)
    except ValueError as error:
        raise Refused(f"{field}: {error}")


def sign_raw(private_key, data):
    """ECDSA P-256/SHA-256 as the contract sends it: r||s, 32 bytes each."""
    r, s = decode_dss_signature(private_key.sign(data, ec.ECDSA(hashes.SHA256())))
    return r.to_bytes(32, "big") + s.to_bytes(32, "big")


def verify_raw(public_key, signature, data):
    if len(signature) != 64:
        return False
    der = encode_dss_signature(int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big"))
    try:
        public_key.verify(der, data, ec.ECDSA(hashes.SHA256()))
        return True
    except InvalidSignature:
        return False


# --- the contract's constructions ------------------------------------------------------

def hpke_info(conversation_id, epoch):
    return f"parley-e2ee-v1|{conversation_id}|{epoch}".encode()


def additional_data(conversation_id, epoch, sender_id, device_id, client_message_id):
    return f"{conversation_id}|{epoch}|{sender_id}|{device_id}|{client_message_id}".encode()


def safety_number(signing_key, encryption_key):
    digest = hashlib.sha256(b"parley-safety-v1|" + signing_key + encryption_key).digest()
    groups = [int.from_bytes(digest[4 * i:4 * i + 4], "big") % 100000 for i in range(6)]
    return " ".join(f"{group:05d}" for group in groups)


def commitment(franking, content):
    return b64u(hmac.new(franking, content.encode(), hashlib.sha256).digest())


def seal(encryption_key, conversation_id, epoch, key):
    return SUITE.encrypt(key, point(encryption_key, "encryptionKey"), info=hpke_info(conversation_id, epoch))


def open_sealed(private_key, conversation_id, epoch, sealed):
    try:
        key = SUITE.decrypt(sealed, private_key, info=hpke_info(conversation_id, epoch))
    except Exception as error:  # the package raises InvalidTag, ValueError…
        raise Refused(f"HPKE refused the sealed key: {type(error).__name__}")
    if len(key) != 32:
        raise Refused(f"the epoch key is {len(key)} bytes, not 32")
    return key


def encrypt(device, key, conversation_id, epoch, sender_id, client_message_id, content, franking):
    plaintext = {"content": content}
    franking_key = os.urandom(32) if franking else None
    if franking_key is not None:
        plaintext["franking"] = b64u(franking_key)
    ad = additional_data(conversation_id, epoch, sender_id, device["deviceId"], client_message_id)
    iv = os.urandom(12)
    ciphertext = AESGCM(key).encrypt(iv, json.dumps(plaintext, ensure_ascii=False).encode(), ad)
    envelope = {
        "epoch": epoch,
        "deviceId": device["deviceId"],
        "iv": b64u(iv),
        "ciphertext": b64u(ciphertext),
        "signature": b64u(sign_raw(device["signing"], ad + ciphertext)),
    }
    if franking_key is not None:
        envelope["commitment"] = commitment(franking_key, content)
    return envelope


def decrypt(key, conversation_id, sender_id, client_message_id, envelope, signing_key, message_commitment=None):
    """Verifies the sender device's signature before anything else, then decrypts."""
    epoch = envelope["epoch"]
    ad = additional_data(conversation_id, epoch, sender_id, envelope["deviceId"], client_message_id)
    iv = unb64u(envelope["iv"], 12, "iv")
    ciphertext = unb64u(envelope["ciphertext"], field="ciphertext")
    signature = unb64u(envelope["signature"], 64, "signature")
    if not verify_raw(point(signing_key, "signingKey"), signature, ad + ciphertext):
        raise Refused("bad signature")
    try:
        plaintext = json.loads(AESGCM(key).decrypt(iv, ciphertext, ad))
    except InvalidTag:
        raise Refused("AES-GCM refused the ciphertext")
    if not isinstance(plaintext, dict) or not isinstance(plaintext.get("content"), str):
        raise Refused("the plaintext is not {\"content\": ...}")
    answer = {"content": plaintext["content"]}
    if "franking" in plaintext:
        franking_key = unb64u(plaintext["franking"], 32, "franking")
        answer["franking"] = plaintext["franking"]
    else:
        franking_key = None
    expected = message_commitment or envelope.get("commitment")
    if expected is not None:
        if franking_key is None or not hmac.compare_digest(expected, commitment(franking_key, plaintext["content"])):
            raise Refused("the franking key does not open the commitment")
    return answer


# --- state -----------------------------------------------------------------------------

LOCK = threading.Lock()
DEVICES = {}      # deviceId -> {"deviceId", "signing", "agreement"}
EPOCH_KEYS = {}   # (deviceId, conversationId) -> {epoch: key}


def new_device(device_id):
    device = {
        "deviceId": device_id,
        "signing": ec.generate_private_key(ec.SECP256R1()),
        "agreement": ec.generate_private_key(ec.SECP256R1()),
    }
    with LOCK:
        DEVICES[device_id] = device
    return device


def device_record(device):
    signing = point_bytes(device["signing"].public_key())
    encryption = point_bytes(device["agreement"].public_key())
    return {
        "deviceId": device["deviceId"],
        "signingKey": b64u(signing),
        "encryptionKey": b64u(encryption),
        "signature": b64u(sign_raw(device["signing"], encryption)),
        "safetyNumber": safety_number(signing, encryption),
    }


def device(device_id):
    with LOCK:
        found = DEVICES.get(device_id)
    if found is None:
        raise Refused(f"no device {device_id} here")
    return found


def checked_record(record):
    """A listed device's keys, once its signature over the encryption key verifies."""
    signing = unb64u(record["signingKey"], 65, "signingKey")
    encryption = unb64u(record["encryptionKey"], 65, "encryptionKey")
    signature = unb64u(record["signature"], 64, "signature")
    if not verify_raw(point(signing, "signingKey"), signature, encryption):
        raise Refused(f"device {record.get('deviceId')}: bad signature over its encryption key")
    return signing, encryption


# --- the server ------------------------------------------------------------------------

def http(request, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    outgoing = urllib.request.Request(request["baseURL"].rstrip("/") + path, data=data, method=method)
    outgoing.add_header("Authorization", "Bearer " + request["token"])
    if data is not None:
        outgoing.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(outgoing, timeout=HTTP_TIMEOUT_SECONDS) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    return status, (json.loads(raw) if raw else None)


def quoted(segment):
    return urllib.parse.quote(segment, safe="")


def devices_of(request, user_id):
    status, body = http(request, "GET", f"/api/users/{quoted(user_id)}/devices")
    if status != 200:
        raise Refused(f"devices of {user_id}: {status} {body}")
    return [(record["deviceId"], *checked_record(record)) for record in body["devices"]]


def load_keys(request):
    me = device(request["deviceId"])
    conversation_id = request["conversationId"]
    status, body = http(
        request, "GET", f"/api/conversations/{conversation_id}/keys?deviceId={quoted(me['deviceId'])}")
    if status != 200:
        raise Refused(f"keys: {status} {body}")
    with LOCK:
        keys = EPOCH_KEYS.setdefault((me["deviceId"], conversation_id), {})
    for entry in body["keys"]:
        # An entry that does not open (sealed to keys this device no longer has, or
        # altered) is passed over: its epoch's messages then say the key is missing.
        try:
            key = open_sealed(me["agreement"], conversation_id, entry["epoch"], unb64u(entry["key"], field="key"))
        except Refused:
            continue
        with LOCK:
            keys.setdefault(entry["epoch"], key)
    return keys


def start_epoch(request):
    me = device(request["deviceId"])
    conversation_id, epoch = request["conversationId"], request["epoch"]
    status, conversation = http(request, "GET", f"/api/conversations/{conversation_id}")
    if status != 200:
        raise Refused(f"conversation: {status} {conversation}")
    users = [participant["userId"] for participant in conversation["participants"]]
    for user in [request["userId"]] + request.get("alsoSealTo", []):
        if user not in users:
            users.append(user)
    key = os.urandom(32)
    sealed, sealed_to = [], []
    for user in users:
        for device_id, _, encryption in devices_of(request, user):
            sealed.append({"userId": user, "deviceId": device_id, "key": b64u(seal(encryption, conversation_id, epoch, key))})
            sealed_to.append([user, device_id])
    status, body = http(request, "POST", f"/api/conversations/{conversation_id}/keys",
                        {"epoch": epoch, "senderDeviceId": me["deviceId"], "sealed": sealed})
    if 200 <= status < 300:
        with LOCK:
            EPOCH_KEYS.setdefault((me["deviceId"], conversation_id), {})[epoch] = key
    return {"status": status, "body": body, "sealedTo": sealed_to}


def share(request):
    me = device(request["deviceId"])
    conversation_id, recipient = request["conversationId"], request["recipientUserId"]
    keys = load_keys(request)
    devices = devices_of(request, recipient)
    statuses = []
    for epoch, key in sorted(keys.items()):
        sealed = [{"userId": recipient, "deviceId": device_id, "key": b64u(seal(encryption, conversation_id, epoch, key))}
                  for device_id, _, encryption in devices]
        status, _ = http(request, "POST", f"/api/conversations/{conversation_id}/keys",
                         {"epoch": epoch, "senderDeviceId": me["deviceId"], "sealed": sealed, "share": True})
        statuses.append(status)
    return {"statuses": statuses, "epochs": sorted(keys), "devices": [d[0] for d in devices]}


def send(request):
    me = device(request["deviceId"])
    conversation_id = request["conversationId"]
    keys = load_keys(request)
    if not keys:
        raise Refused("no epoch key for this conversation")
    epoch = max(keys)
    envelope = encrypt(me, keys[epoch], conversation_id, epoch, request["userId"], request["clientMessageId"],
                       request["content"], request.get("franking", False))
    status, body = http(request, "POST", f"/api/conversations/{conversation_id}/messages",
                        {"type": "text", "encrypted": envelope, "clientMessageId": request["clientMessageId"]})
    return {"status": status, "body": body}


def audit_key(request):
    """The server's Ed25519 audit key: standard base64 with padding, as the audit section says."""
    status, body = http(request, "GET", "/api/audit/key")
    if status != 200:
        raise Refused(f"audit key: {status} {body}")
    return ed25519.Ed25519PublicKey.from_public_bytes(base64.b64decode(body["publicKey"], validate=True))


def receipt_valid(key, message, message_commitment):
    """The receipt is Ed25519 over <conversationId>|<messageId>|<senderId>|<timestamp>|<commitment>."""
    text = "|".join([message["conversationId"], message["messageId"], message["senderId"], message["timestamp"],
                     message_commitment])
    try:
        key.verify(unb64u(message["receipt"], 64, "receipt"), text.encode())
        return True
    except (InvalidSignature, Refused):
        return False


def read(request):
    conversation_id = request["conversationId"]
    keys = load_keys(request)
    server_key = None
    status, page = http(request, "GET", f"/api/conversations/{conversation_id}/messages?limit=200")
    if status != 200:
        raise Refused(f"messages: {status} {page}")
    listings = {}
    answers = []
    for message in page["messages"]:
        answer = {"messageId": message["messageId"], "senderId": message["senderId"],
                  "content": None, "franking": None, "error": None, "receiptValid": None}
        envelope = message.get("encrypted")
        if envelope is None:
            answer["content"] = message["content"]
            answers.append(answer)
            continue
        try:
            sender = message["senderId"]
            if sender not in listings:
                listings[sender] = {d[0]: d[1] for d in devices_of(request, sender)}
            signing_key = listings[sender].get(envelope["deviceId"])
            if signing_key is None:
                raise Refused(f"unknown device {envelope['deviceId']}")
            key = keys.get(envelope["epoch"])
            if key is None:
                raise Refused(f"no key for epoch {envelope['epoch']}")
            answer.update(decrypt(key, conversation_id, sender, message.get("clientMessageId"), envelope,
                                  signing_key, message.get("commitment")))
            message_commitment = message.get("commitment") or envelope.get("commitment")
            if message_commitment is not None and "receipt" in message:
                server_key = server_key or audit_key(request)
                answer["receiptValid"] = receipt_valid(server_key, message, message_commitment)
        except Refused as refusal:
            answer["error"] = str(refusal)
        answers.append(answer)
    return {"messages": answers, "hasMore": page["hasMore"]}


# --- the interface ---------------------------------------------------------------------

def handle(path, request):
    if path == "/device":
        return device_record(new_device(request["deviceId"]))
    if path == "/verify-device":
        try:
            checked_record(request)
            return {"valid": True}
        except Refused:
            return {"valid": False}
    if path == "/safety":
        return {"safetyNumber": safety_number(unb64u(request["signingKey"], 65), unb64u(request["encryptionKey"], 65))}
    if path == "/seal":
        key = unb64u(request["key"], 32, "key")
        return {"sealed": b64u(seal(unb64u(request["encryptionKey"], 65), request["conversationId"], request["epoch"], key))}
    if path == "/open":
        me = device(request["deviceId"])
        key = open_sealed(me["agreement"], request["conversationId"], request["epoch"], unb64u(request["sealed"]))
        return {"key": b64u(key)}
    if path == "/encrypt":
        envelope = encrypt(device(request["deviceId"]), unb64u(request["key"], 32, "key"), request["conversationId"],
                           request["epoch"], request["senderId"], request["clientMessageId"], request["content"],
                           request.get("franking", False))
        return {"encrypted": envelope}
    if path == "/decrypt":
        return decrypt(unb64u(request["key"], 32, "key"), request["conversationId"], request["senderId"],
                       request["clientMessageId"], request["encrypted"], unb64u(request["signingKey"], 65, "signingKey"),
                       request.get("commitment"))
    if path == "/commitment":
        return {"commitment": commitment(unb64u(request["franking"], 32, "franking"), request["content"])}
    if path == "/server/request":
        status, body = http(request, request["method"], request["path"], request.get("body"))
        return {"status": status, "body": body}
    if path == "/server/register":
        record = device_record(device(request["deviceId"]))
        status, body = http(request, "PUT", f"/api/devices/{quoted(request['deviceId'])}",
                            {key: record[key] for key in ("signingKey", "encryptionKey", "signature")})
        return {"status": status, "body": body}
    if path == "/server/start-epoch":
        return start_epoch(request)
    if path == "/server/load-keys":
        return {"epochs": sorted(load_keys(request))}
    if path == "/server/share":
        return share(request)
    if path == "/server/send":
        return send(request)
    if path == "/server/read":
        return read(request)
    return None


class Handler(JSONHandler):
    max_body_bytes = MAX_BODY_BYTES

    def do_POST(self):
        try:
            request = json.loads(self.read_body() or b"{}")
            answer = handle(self.path, request)
            if answer is None:
                self.answer_json(404, {"error": f"no operation {self.path}"})
            else:
                self.answer_json(200, answer)
        except Refused as refusal:
            self.answer_json(422, {"error": str(refusal)})
        except (KeyError, TypeError, ValueError) as error:
            self.answer_json(400, {"error": f"{type(error).__name__}: {error}"})


if __name__ == "__main__":
    serve(Handler)
