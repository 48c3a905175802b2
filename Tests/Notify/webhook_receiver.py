"""A webhook receiver for tests: the independent counterpart of Parley's webhook sender.

Listens on 127.0.0.1 (a free port, printed alone on the first line of stdout) and checks
every POST (any path but /control) the Standard Webhooks v1 way with the `standardwebhooks`
package: `webhook-id`, `webhook-timestamp` (within its 5-minute tolerance) and
`webhook-signature` against each of the secrets it holds. A delivery that at least one
secret verifies is recorded (with, per secret, whether it verified) and answered with the
status the test chose (200 by default); one that none verifies is recorded under
`rejected` and answered 401.

HTTP interface (all JSON):
  GET  /events     {"events": [...], "rejected": [...]}; each event: {"path", "id",
                   "timestamp", "signature", "verified": [bool per secret], "body" (the
                   parsed JSON), "headers": {"Content-Type", "Content-Length",
                   "Transfer-Encoding"}, "receivedAt", "answeredStatus"}
  POST /control    {"status": 500, "delaySeconds": 3, "times": 2, "secrets": ["whsec_…"]}:
                   how to answer the next `times` verified deliveries (all when absent);
                   `secrets` replaces the secrets (e.g. once the server created the webhook)

Usage: python webhook_receiver.py [SECRET ...]
"""

import json
import sys
import time

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from loopback_counterpart import Controls, JSONHandler, serve

# Event bodies carry up to 200 messages (ticket.requested): a few hundred KiB at most.
MAX_BODY_BYTES = 4 * 1024 * 1024


class State(Controls):
    def __init__(self, secrets):
        super().__init__()
        self.secrets = list(secrets)
        self.events = []
        self.rejected = []


STATE = State([])


class Handler(JSONHandler):
    max_body_bytes = MAX_BODY_BYTES

    def do_GET(self):
        if self.path == "/events":
            with STATE.lock:
                self.answer_json(200, {"events": list(STATE.events), "rejected": list(STATE.rejected)})
        else:
            self.answer_json(404, {"error": "not found"})

    def do_POST(self):
        if self.path == "/control":
            control = json.loads(self.read_body() or b"{}")
            if "secrets" in control:
                with STATE.lock:
                    STATE.secrets = list(control.pop("secrets"))
            STATE.set(control)
            self.answer_json(200, {"ok": True})
            return
        body = self.read_body()
        headers = {name: self.headers.get(name) for name in ("Content-Type", "Content-Length", "Transfer-Encoding")}
        signed = {name: self.headers.get(name) for name in ("webhook-id", "webhook-timestamp", "webhook-signature")}
        record = {
            "path": self.path,
            "id": signed["webhook-id"],
            "timestamp": signed["webhook-timestamp"],
            "signature": signed["webhook-signature"],
            "headers": headers,
            "receivedAt": time.time(),
        }
        with STATE.lock:
            secrets = list(STATE.secrets)
        verified, errors = [], []
        for secret in secrets:
            try:
                Webhook(secret).verify(body or b"", {name: value or "" for name, value in signed.items()})
                verified.append(True)
            except WebhookVerificationError as error:
                verified.append(False)
                errors.append(str(error))
        record["verified"] = verified
        try:
            record["body"] = json.loads(body) if body else None
        except ValueError:
            record["body"] = None
        if body is None or not any(verified):
            record["error"] = "no Content-Length" if body is None else "; ".join(errors) or "no secret to verify with"
            with STATE.lock:
                STATE.rejected.append(record)
            self.answer_json(401, {"error": record["error"]})
            return
        control = STATE.next_answer()
        status = int(control.get("status", 200))
        record["answeredStatus"] = status
        with STATE.lock:
            STATE.events.append(record)
        if control.get("delaySeconds"):
            time.sleep(float(control["delaySeconds"]))
        try:
            self.answer_json(status, {"status": status})
        except (BrokenPipeError, ConnectionResetError):
            pass


def main():
    STATE.secrets = sys.argv[1:]
    serve(Handler)


if __name__ == "__main__":
    sys.exit(main())
