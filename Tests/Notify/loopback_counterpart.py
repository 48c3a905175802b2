"""What the tests' counterparts (push_service.py, webhook_receiver.py) share: a JSON
handler, the answers a test sets with POST /control, and serving on a free loopback port."""

import json
import signal
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Controls:
    """How to answer the next requests: a test's POST /control {"status", "delaySeconds",
    …, "times"} holds for the next `times` of them (all when absent)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.control = {}
        self.remaining = None

    def set(self, control):
        """Takes a /control body (without keys the caller handles itself)."""
        with self.lock:
            self.remaining = control.pop("times", None)
            self.control = control

    def next_answer(self):
        """The control in force for this request, counting it against `times`."""
        with self.lock:
            control = dict(self.control)
            if self.remaining is not None:
                self.remaining -= 1
                if self.remaining <= 0:
                    self.control, self.remaining = {}, None
            return control


class JSONHandler(BaseHTTPRequestHandler):
    """Quiet, answers JSON, reads bodies up to `max_body_bytes`."""

    protocol_version = "HTTP/1.1"
    max_body_bytes = 8192

    def log_message(self, format, *args):
        pass

    def answer_json(self, status, value, extra_headers=()):
        body = json.dumps(value).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for name, header_value in extra_headers:
            self.send_header(name, header_value)
        self.end_headers()
        self.wfile.write(body)

    def read_body(self):
        length = self.headers.get("Content-Length")
        if length is None:
            return None
        return self.rfile.read(min(int(length), self.max_body_bytes))


def serve(handler, on_port=lambda port: None):
    """Serves `handler` on 127.0.0.1 at a free port, printed alone on the first line of
    stdout (what the Swift side waits for), until SIGTERM/SIGINT."""
    # A child started from a thread of the Swift test process inherits that thread's
    # signal mask, with SIGTERM and SIGINT blocked: unblock them so the usual stop works.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    port = server.server_address[1]
    on_port(port)
    print(port, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
