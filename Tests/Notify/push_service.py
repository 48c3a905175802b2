"""A Web Push service for tests: the independent counterpart of Parley's push sender.

Listens on 127.0.0.1 (a free port, printed alone on the first line of stdout), holds
browser-like subscriptions (a P-256 key pair and a 16-byte auth secret each, made here),
and for every POST to a subscription's endpoint checks what a real push service and
browser would:

- the VAPID header (RFC 8292): `Authorization: vapid t=<JWT>, k=<key>`, the JWT verified
  with PyJWT (ES256) against `k`, `aud` = this service's origin, `exp` an integer no more
  than 24 h ahead, `sub` a mailto: or https: URI;
- `Content-Encoding: aes128gcm` and a `Content-Length`;
- the body decrypted with http_ece (RFC 8188/8291) using the subscription's private key.

A push that passes is recorded with its decrypted payload and headers, and answered with
the status the test chose (201 by default); one that fails is recorded under `rejected`
and answered 400 (bad body) or 403 (bad VAPID).

HTTP interface (all JSON):
  GET  /subscription      the default subscription, as PushSubscription.toJSON():
                          {"endpoint", "expirationTime": null, "keys": {"p256dh", "auth"}}
  POST /subscriptions     a new subscription, same shape
  GET  /pushes            {"pushes": [...], "rejected": [...]}; each push has
                          "subscription", "headers", "bodyLength", "receivedAt"
                          (seconds since 1970), "vapid", "payload", "payloadJSON",
                          "answeredStatus"
  POST /control           {"status": 410, "retryAfter": "7", "location": "http://…",
                           "delaySeconds": 2, "times": 1}: how to answer the next `times`
                           valid pushes (all of them when `times` is absent)
  POST /push/<token>      a push to a subscription

Usage: python push_service.py
"""

import base64
import json
import os
import sys
import time

import http_ece
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from loopback_counterpart import Controls, JSONHandler, serve

# RFC 8292 §2: a push service refuses an `exp` more than 24 hours ahead.
MAX_EXP_AHEAD_SECONDS = 24 * 3600
# Push services refuse bodies near 4 KiB; nothing bigger is read.
MAX_BODY_BYTES = 8192


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Subscription:
    def __init__(self, origin):
        self.token = b64url(os.urandom(12))
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.p256dh = b64url(
            self.private_key.public_key().public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
            )
        )
        self.auth_secret = os.urandom(16)
        self.endpoint = f"{origin}/push/{self.token}"

    def to_json(self):
        return {
            "endpoint": self.endpoint,
            "expirationTime": None,
            "keys": {"p256dh": self.p256dh, "auth": b64url(self.auth_secret)},
        }


class State(Controls):
    def __init__(self):
        super().__init__()
        self.origin = None
        self.subscriptions = {}
        self.default_token = None
        self.pushes = []
        self.rejected = []

    def add_subscription(self):
        subscription = Subscription(self.origin)
        with self.lock:
            self.subscriptions[subscription.token] = subscription
        return subscription


STATE = State()


def check_vapid(header):
    """The JWT's claims when the Authorization header is a valid VAPID one; raises otherwise."""
    if not header or not header.startswith("vapid "):
        raise ValueError(f"Authorization is not a vapid header: {header!r}")
    parts = {}
    for item in header[len("vapid ") :].split(","):
        name, _, value = item.strip().partition("=")
        parts[name] = value
    token, key = parts.get("t"), parts.get("k")
    if not token or not key:
        raise ValueError("vapid header lacks t= or k=")
    point = unb64url(key)
    if len(point) != 65 or point[0] != 4:
        raise ValueError("k is not an uncompressed P-256 point")
    public_key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    claims = jwt.decode(
        token,
        public_key,
        algorithms=["ES256"],
        audience=STATE.origin,
        options={"require": ["exp", "aud", "sub"]},
    )
    # PyJWT accepts a fractional exp; push services do not.
    raw_claims = json.loads(unb64url(token.split(".")[1]))
    if not isinstance(raw_claims["exp"], int):
        raise ValueError(f"exp is not an integer: {raw_claims['exp']!r}")
    if raw_claims["exp"] - time.time() > MAX_EXP_AHEAD_SECONDS:
        raise ValueError("exp is more than 24 h ahead")
    sub = claims["sub"]
    if not (sub.startswith("mailto:") or sub.startswith("https:")):
        raise ValueError(f"sub is not mailto: or https: {sub!r}")
    header_fields = jwt.get_unverified_header(token)
    return {"aud": claims["aud"], "exp": raw_claims["exp"], "sub": sub, "k": key, "header": header_fields}


class Handler(JSONHandler):
    max_body_bytes = MAX_BODY_BYTES

    def do_GET(self):
        if self.path == "/subscription":
            self.answer_json(200, STATE.subscriptions[STATE.default_token].to_json())
        elif self.path == "/pushes":
            with STATE.lock:
                self.answer_json(200, {"pushes": list(STATE.pushes), "rejected": list(STATE.rejected)})
        else:
            self.answer_json(404, {"error": "not found"})

    def do_POST(self):
        if self.path == "/subscriptions":
            self.read_body()
            self.answer_json(201, STATE.add_subscription().to_json())
        elif self.path == "/control":
            STATE.set(json.loads(self.read_body() or b"{}"))
            self.answer_json(200, {"ok": True})
        elif self.path.startswith("/push/"):
            self.handle_push(self.path[len("/push/") :])
        else:
            self.answer_json(404, {"error": "not found"})

    def handle_push(self, token):
        headers = {
            name: self.headers.get(name)
            for name in ("TTL", "Urgency", "Topic", "Content-Encoding", "Content-Length", "Content-Type", "Transfer-Encoding")
        }
        body = self.read_body()
        record = {
            "subscription": token,
            "headers": headers,
            "bodyLength": None if body is None else len(body),
            # Seconds since 1970, when the request's body had arrived: tests compare it
            # with the message's time (same machine, same clock).
            "receivedAt": time.time(),
        }
        subscription = STATE.subscriptions.get(token)
        status = 201
        try:
            if subscription is None:
                status = 404
                raise ValueError("no such subscription")
            if body is None:
                raise ValueError("no Content-Length")
            if headers["Content-Encoding"] != "aes128gcm":
                raise ValueError(f"Content-Encoding is {headers['Content-Encoding']!r}, not aes128gcm")
            try:
                record["vapid"] = check_vapid(self.headers.get("Authorization"))
            except Exception as error:
                status = 403
                raise ValueError(f"VAPID: {error}")
            try:
                plaintext = http_ece.decrypt(
                    body, private_key=subscription.private_key, auth_secret=subscription.auth_secret, version="aes128gcm"
                )
            except Exception as error:
                raise ValueError(f"decryption failed: {error!r}")
        except ValueError as error:
            record["error"] = str(error)
            with STATE.lock:
                STATE.rejected.append(record)
            self.answer_json(status if status != 201 else 400, {"error": str(error)})
            return
        record["payload"] = plaintext.decode("utf-8", errors="replace")
        try:
            record["payloadJSON"] = json.loads(plaintext)
        except ValueError:
            record["payloadJSON"] = None
        control = STATE.next_answer()
        answer_status = int(control.get("status", 201))
        record["answeredStatus"] = answer_status
        with STATE.lock:
            STATE.pushes.append(record)
        if control.get("delaySeconds"):
            time.sleep(float(control["delaySeconds"]))
        extra = []
        if control.get("retryAfter") is not None:
            extra.append(("Retry-After", str(control["retryAfter"])))
        if control.get("location"):
            extra.append(("Location", control["location"]))
        try:
            self.answer_json(answer_status, {"status": answer_status}, extra)
        except (BrokenPipeError, ConnectionResetError):
            pass


def main():
    def ready(port):
        STATE.origin = f"http://127.0.0.1:{port}"
        STATE.default_token = STATE.add_subscription().token

    serve(Handler, ready)


if __name__ == "__main__":
    sys.exit(main())
