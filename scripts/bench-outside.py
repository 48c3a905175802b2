#!/usr/bin/env python3
"""An outside load generator for Parley's real-time path, independent of `parley bench`.

Python's standard library only (asyncio streams, its own small WebSocket client), so it
shares no code with the server or with `parley bench pairs`. It creates `--pairs`
buyer/seller threads over REST, opens one WebSocket per user, then has the sellers send
`message.send` frames at a fixed total `--rate`, round robin over the pairs, for
`--seconds`. Each message carries its scheduled send time; the buyer's `message.new`
is timed twice:

- from the moment the frame was written (what `parley bench pairs` measures), and
- from the moment it was *due* by the schedule, so that a sender held back by a slow
  server still counts the wait (no coordinated omission).

Usage (a server started with --rate-limit 0):
    python3 scripts/bench-outside.py --url http://127.0.0.1:18090 --jwt-secret "$SECRET" \
        --pairs 100 --rate 500 --seconds 20
"""

import argparse
import asyncio
import base64
import hashlib
import hmac
import json
import os
import struct
import time
import urllib.request
import uuid


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def token(secret: str, sub: str, role: str) -> str:
    header = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    claims = b64url(json.dumps({"sub": sub, "role": role, "exp": int(time.time()) + 3600}).encode())
    signature = hmac.new(secret.encode(), f"{header}.{claims}".encode(), hashlib.sha256).digest()
    return f"{header}.{claims}.{b64url(signature)}"


def create_pair(url: str, service_token: str, run: str, index: int) -> str:
    body = json.dumps({
        "participants": [{"userId": f"ob-{run}-{index}", "role": "buyer"},
                         {"userId": f"os-{run}-{index}", "role": "seller"}],
        "orderId": f"outside-{run}-{index}",
    }).encode()
    request = urllib.request.Request(f"{url}/api/conversations", data=body, method="POST", headers={
        "Authorization": f"Bearer {service_token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())["conversationId"]


class WebSocket:
    """A minimal RFC 6455 client: text frames out (masked), text/ping/close in."""

    def __init__(self, reader, writer):
        self.reader, self.writer = reader, writer

    @classmethod
    async def connect(cls, host: str, port: int, bearer: str):
        reader, writer = await asyncio.open_connection(host, port)
        key = base64.b64encode(os.urandom(16)).decode()
        writer.write((f"GET /api/realtime HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
                      f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
                      f"Authorization: Bearer {bearer}\r\n\r\n").encode())
        status = await reader.readline()
        if b" 101 " not in status:
            raise RuntimeError(f"upgrade refused: {status!r}")
        while (await reader.readline()) not in (b"\r\n", b""):
            pass
        return cls(reader, writer)

    def send_text(self, text: str):
        payload = text.encode()
        mask = os.urandom(4)
        length = len(payload)
        if length < 126:
            header = struct.pack("!BB", 0x81, 0x80 | length)
        elif length < 65536:
            header = struct.pack("!BBH", 0x81, 0x80 | 126, length)
        else:
            header = struct.pack("!BBQ", 0x81, 0x80 | 127, length)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.writer.write(header + mask + masked)

    def send_control(self, opcode: int, payload: bytes):
        mask = os.urandom(4)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.writer.write(struct.pack("!BB", 0x80 | opcode, 0x80 | len(payload)) + mask + masked)

    async def receive_text(self):
        """The next text message; answers pings on the way. None when the socket closes."""
        while True:
            try:
                first, second = await self.reader.readexactly(2)
            except (asyncio.IncompleteReadError, ConnectionError):
                return None
            opcode, length = first & 0x0F, second & 0x7F
            if length == 126:
                (length,) = struct.unpack("!H", await self.reader.readexactly(2))
            elif length == 127:
                (length,) = struct.unpack("!Q", await self.reader.readexactly(8))
            payload = await self.reader.readexactly(length)
            if opcode == 0x9:
                self.send_control(0xA, payload)
            elif opcode == 0x8:
                return None
            elif opcode == 0x1:
                return payload.decode()


def percentile(values, fraction):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


async def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://127.0.0.1:8080")
    parser.add_argument("--jwt-secret", required=True)
    parser.add_argument("--pairs", type=int, default=100)
    parser.add_argument("--rate", type=float, default=500, help="messages per second, all pairs together")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--padding", type=int, default=80, help="letters of text after the time stamp")
    options = parser.parse_args()
    host, port = options.url.split("//")[1].split(":")
    port = int(port)
    run = uuid.uuid4().hex[:8]
    service = token(options.jwt_secret, "outside-service", "service")
    conversations = [create_pair(options.url, service, run, i) for i in range(options.pairs)]
    sellers = [await WebSocket.connect(host, port, token(options.jwt_secret, f"os-{run}-{i}", "seller"))
               for i in range(options.pairs)]
    buyers = [await WebSocket.connect(host, port, token(options.jwt_secret, f"ob-{run}-{i}", "buyer"))
              for i in range(options.pairs)]
    total = int(options.rate * options.seconds)
    from_write, from_schedule = [], []
    received = 0
    done = asyncio.Event()
    words = "hola, ¿cuándo llega mi pedido? gracias por la respuesta tan rápida "

    async def read_buyer(socket):
        nonlocal received
        while True:
            text = await socket.receive_text()
            if text is None:
                return
            now = time.monotonic_ns()
            frame = json.loads(text)
            if frame.get("type") != "message.new":
                continue
            content = frame["message"]["content"]
            if not content.startswith("due="):
                continue
            due, written = content.split(" ")[0][4:].split("/")
            from_schedule.append((now - int(due)) / 1e6)
            from_write.append((now - int(written)) / 1e6)
            received += 1
            if received >= total:
                done.set()

    async def drain_seller(socket):
        while await socket.receive_text() is not None:
            pass

    readers = [asyncio.create_task(read_buyer(b)) for b in buyers] + [asyncio.create_task(drain_seller(s)) for s in sellers]
    await asyncio.sleep(1)  # presence snapshots and the like
    start = time.monotonic_ns()
    interval = 1e9 / options.rate
    for n in range(total):
        due = start + int(n * interval)
        delay = (due - time.monotonic_ns()) / 1e9
        if delay > 0:
            await asyncio.sleep(delay)
        index = n % options.pairs
        written = time.monotonic_ns()
        content = f"due={due}/{written} " + words[: max(0, options.padding)]
        sellers[index].send_text(json.dumps({
            "type": "message.send", "id": n, "conversationId": conversations[index], "content": content,
            "clientMessageId": f"o{n}"}))
    sent_in = (time.monotonic_ns() - start) / 1e9
    try:
        await asyncio.wait_for(done.wait(), timeout=30)
    except asyncio.TimeoutError:
        pass
    elapsed = (time.monotonic_ns() - start) / 1e9
    for task in readers:
        task.cancel()
    print(f"outside harness: {options.pairs} pairs, {options.rate:.0f} msgs/s scheduled for {options.seconds:.0f} s "
          f"(sent in {sent_in:.1f} s); received {received} of {total} in {elapsed:.1f} s")
    for name, values in (("from write", from_write), ("from schedule", from_schedule)):
        print(f"  {name:13}: p50 {percentile(values, 0.5):.2f} ms  p90 {percentile(values, 0.9):.2f} ms  "
              f"p99 {percentile(values, 0.99):.2f} ms  max {max(values, default=float('nan')):.2f} ms")


if __name__ == "__main__":
    asyncio.run(main())
