"""Fixtures: the running Parley server (started by scripts/browser-test.sh) and browsers."""

import http.server
import os
import re
import sys
import tempfile
import threading
import urllib.error
import urllib.request

import pytest

sys.path.insert(0, os.path.dirname(__file__))

from parley_page import ParleyPage, new_driver  # noqa: E402

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


@pytest.fixture(scope="session")
def base_url():
    url = os.environ.get("PARLEY_URL")
    if not url:
        pytest.fail("PARLEY_URL is not set: run the suite with scripts/browser-test.sh (it starts the server)")
    return url


@pytest.fixture(scope="session")
def embedder_url(base_url):
    """The origin allowed to embed Parley (browser-test.sh passes it as --allowed-origins)."""
    return os.environ.get("PARLEY_EMBEDDER_URL") or base_url.replace("127.0.0.1", "localhost")


class _BlankPage(http.server.BaseHTTPRequestHandler):
    """An empty page: somewhere on another origin for a browser to stand."""

    def do_GET(self):
        body = b"<!doctype html><title>elsewhere</title><body></body>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def _serve(handler):
    """Serves `handler` on a free loopback port in a thread; yields its origin, then stops."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def foreign_url():
    """A page on another loopback origin, one that is not allowed to embed Parley."""
    yield from _serve(_BlankPage)


class _PolicyStrippingProxy(http.server.BaseHTTPRequestHandler):
    """Forwards GETs to Parley and drops its Content-Security-Policy on the way back."""

    upstream = ""
    dropped = {"content-security-policy", "transfer-encoding", "connection", "content-length"}

    def do_GET(self):
        headers = {name: value for name, value in self.headers.items() if name.lower() != "host"}
        request = urllib.request.Request(self.upstream + self.path, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                status, reply, body = response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            status, reply, body = error.code, error.headers, error.read()
        self.send_response(status)
        for name, value in reply.items():
            if name.lower() not in self.dropped:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def unguarded_url(base_url):
    """Parley's page on another loopback origin, without its Content-Security-Policy.

    Stands for a browser (or a proxy on the way) that does not enforce frame-ancestors:
    any page may frame it, and its own check of who posts it a token is all that is left.
    """
    handler = type("Proxy", (_PolicyStrippingProxy,), {"upstream": base_url})
    yield from _serve(handler)


@pytest.fixture(scope="session")
def screenshots():
    return os.environ.get("PARLEY_SCREENSHOTS", os.path.join(REPO, "docs", "screenshots"))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture
def open_browser(request, base_url, screenshots):
    """open_browser(width=1280, height=900) -> a ParleyPage in a new headless browser."""
    pages = []

    def factory(width=1280, height=900, language="es"):
        page = ParleyPage(new_driver(width, height, language), base_url, screenshots)
        pages.append(page)
        return page

    yield factory

    failed = getattr(request.node, "report_call", None) is not None and request.node.report_call.failed
    failures = os.environ.get("PARLEY_FAILURE_SHOTS", tempfile.gettempdir())
    for index, page in enumerate(pages):
        try:
            if failed:
                name = re.sub(r"[^A-Za-z0-9_.-]", "_", request.node.name)
                path = os.path.join(failures, f"parley-failure-{name}-{index}.png")
                page.driver.save_screenshot(path)
                print(f"\nscreenshot of browser {index} at failure: {path}")
                for entry in page.console_errors():
                    print(f"browser {index} console: {entry.get('message')}")
        finally:
            page.driver.quit()


def _dev_secret(base_url):
    """The --dev server's signing secret: PARLEY_JWT_SECRET, or the `dev-secret` file
    `parley serve --dev` keeps beside its SQLite database (browser-test.sh's work folder),
    found from the command line of the process serving `base_url`'s port."""
    if os.environ.get("PARLEY_JWT_SECRET"):
        return os.environ["PARLEY_JWT_SECRET"]
    port = base_url.rsplit(":", 1)[-1].strip("/")
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as file:
                argv = file.read().decode(errors="replace").split("\0")
        except OSError:
            continue
        if "serve" not in argv or "--port" not in argv or argv[argv.index("--port") + 1 : argv.index("--port") + 2] != [port]:
            continue
        if "--database" in argv:
            database = argv[argv.index("--database") + 1]
            folder = os.path.dirname(database.removeprefix("sqlite://"))
        else:
            folder = os.path.join(os.readlink(f"/proc/{pid}/cwd"), "parley-data")
        with open(os.path.join(folder, "dev-secret")) as file:
            return file.read().strip()
    pytest.fail(f"no parley serve on port {port} to take the --dev secret from (set PARLEY_JWT_SECRET)")


def service_token(base_url, user_id, role="service", name=None, ttl=3600):
    """An HS256 token for a user outside the demo (the help desk: role `service`), signed
    with the server's --dev secret as `parley token` would."""
    import base64
    import hashlib
    import hmac
    import json
    import time

    def b64(data):
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    now = int(time.time())
    header = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    payload = b64(json.dumps({"sub": user_id, "role": role, "name": name or user_id, "iat": now, "exp": now + ttl}).encode())
    signature = hmac.new(_dev_secret(base_url).encode(), f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{b64(signature)}"
