#!/usr/bin/env python3
"""Many idle authenticated WebSockets over a cluster of Parley nodes, then one message
that must reach a user with a socket on every node (issue 17's 100,000-connection run).

It starts `--nodes` `parley serve` processes on loopback, sharing one PostgreSQL database
and one Redis (one working folder, so they share the audit key), waits until each is
ready, and runs one `parley bench idle` per node at once (each spreads its share over
`--processes-per-node` client processes and reports its node's memory per socket). While
they hold their sockets it

- sums `parley_websocket_connections` over the nodes' `/metrics` until every socket is
  up (the time to connect all of them),
- reads the resident memory of every node and every client process (/proc), and
- opens one socket per node for a user `fan-…`, has a seller send `--messages` messages
  over REST (each through a different node) and times each one's `message.new` on all
  of the user's sockets.

Then it stops what it started, by PID. Python's standard library only; the WebSocket
client is `bench-outside.py`'s.

Usage (a release build, PostgreSQL with max_connections ≥ 40 per node):
    python3 scripts/bench-cluster-idle.py --parley .build/release/parley \
        --database postgres://postgres@127.0.0.1:5432/parley --redis redis://127.0.0.1:6379 \
        --nodes 6 --connections 100000
"""

import argparse
import asyncio
import importlib.util
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid

_spec = importlib.util.spec_from_file_location(
    "bench_outside", os.path.join(os.path.dirname(os.path.abspath(__file__)), "bench-outside.py"))
outside = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(outside)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def resident_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def descendants(pid: int) -> list:
    """Every live process below `pid` (the bench parents' client children)."""
    children = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                parent = int(stat.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(parent, []).append(int(entry))
    found, queue = [], [pid]
    while queue:
        for child in children.get(queue.pop(), []):
            found.append(child)
            queue.append(child)
    return found


def get(url: str, timeout: float = 5) -> tuple:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""
    except OSError:
        return 0, ""


def open_sockets(url: str) -> int:
    _, text = get(f"{url}/metrics")
    for line in text.splitlines():
        if line.startswith("parley_websocket_connections ") or line.startswith("parley_websocket_connections{"):
            return int(float(line.split()[-1]))
    return 0


def post(url: str, bearer: str, body: dict) -> dict:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST", headers={
        "Authorization": f"Bearer {bearer}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


async def fan_out(urls: list, secret: str, run: str, messages: int) -> list:
    """Per message: seconds from the REST send until the last of the user's sockets has it."""
    user, seller = f"fan-{run}", f"fan-seller-{run}"
    service = outside.token(secret, "bench-service", "service")
    conversation = post(f"{urls[0]}/api/conversations", service, {
        "participants": [{"userId": user, "role": "buyer"}, {"userId": seller, "role": "seller"}],
        "orderId": f"fan-{run}"})["conversationId"]
    sockets = []
    for url in urls:
        host, port = url.rsplit("/", 1)[-1].split(":")
        sockets.append(await outside.WebSocket.connect(host, int(port), outside.token(secret, user, "buyer")))
    seller_token = outside.token(secret, seller, "seller")
    latencies = []
    for index in range(messages):
        marker = f"fan-{run}-{index}"
        waits = [asyncio.ensure_future(wait_for(socket_, marker)) for socket_ in sockets]
        start = time.monotonic()
        await asyncio.to_thread(post, f"{urls[index % len(urls)]}/api/conversations/{conversation}/messages",
                                seller_token, {"content": marker})
        arrivals = await asyncio.wait_for(asyncio.gather(*waits), timeout=30)
        latencies.append(max(arrivals) - start)
    for socket_ in sockets:
        socket_.writer.close()
    return latencies


async def wait_for(socket_, marker: str) -> float:
    while True:
        text = await socket_.receive_text()
        if text is None:
            raise RuntimeError("a fan-out socket closed")
        frame = json.loads(text)
        if frame.get("type") == "message.new" and frame.get("message", {}).get("content") == marker:
            return time.monotonic()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--parley", default=".build/release/parley")
    parser.add_argument("--database", required=True, help="postgres:// URL of an empty database")
    parser.add_argument("--redis", required=True)
    parser.add_argument("--nodes", type=int, default=6)
    parser.add_argument("--connections", type=int, default=100_000)
    parser.add_argument("--processes-per-node", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=64, help="connections opened at once per client process")
    parser.add_argument("--hold", type=int, default=90, help="seconds the clients hold their sockets once up")
    parser.add_argument("--messages", type=int, default=20)
    arguments = parser.parse_args()
    if not (1 <= arguments.nodes <= 16 and 1 <= arguments.connections <= 18_000 * arguments.nodes):
        sys.exit("--nodes 1–16 and at most 18,000 connections per node")

    folder = tempfile.mkdtemp(prefix="parley-cluster-")
    secret = secrets.token_hex(32)
    run = uuid.uuid4().hex[:8]
    nodes, benches = [], []
    try:
        for index in range(arguments.nodes):
            port = free_port()
            log = open(os.path.join(folder, f"node{index}.log"), "w")
            process = subprocess.Popen(
                [os.path.abspath(arguments.parley), "serve", "--host", "127.0.0.1", "--port", str(port),
                 "--jwt-secret", secret, "--database", arguments.database, "--redis", arguments.redis],
                cwd=folder, stdout=log, stderr=subprocess.STDOUT)
            nodes.append((process, f"http://127.0.0.1:{port}"))
            if index == 0:  # the first node creates the schema; the others then start together
                wait_ready(nodes[:1])
        wait_ready(nodes)
        urls = [url for _, url in nodes]
        base_kib = [resident_kib(process.pid) for process, _ in nodes]
        print(f"{arguments.nodes} nodes ready: {', '.join(urls)}; "
              f"resident {sum(base_kib) / 1024:.0f} MiB in all before any socket")

        share = arguments.connections // arguments.nodes
        start = time.monotonic()
        for index, (process, url) in enumerate(nodes):
            count = share if index < arguments.nodes - 1 else arguments.connections - share * (arguments.nodes - 1)
            output = open(os.path.join(folder, f"bench{index}.out"), "w")
            benches.append(subprocess.Popen(
                [os.path.abspath(arguments.parley), "bench", "idle", "--url", url, "--jwt-secret", secret,
                 "--server-pid", str(process.pid), "--connections", str(count),
                 "--processes", str(arguments.processes_per_node), "--concurrency", str(arguments.concurrency),
                 "--hold", str(arguments.hold)], cwd=folder, stdout=output, stderr=subprocess.STDOUT))

        connected, last_change, last_count = 0, time.monotonic(), -1
        while connected < arguments.connections and time.monotonic() - last_change < 60:
            time.sleep(0.5)
            connected = sum(open_sockets(url) for url in urls)
            if connected != last_count:
                last_change, last_count = time.monotonic(), connected
        elapsed = time.monotonic() - start
        print(f"{connected} of {arguments.connections} sockets open after {elapsed:.1f} s "
              f"({connected / elapsed:.0f} connections/s over {arguments.nodes} nodes)")
        per_node = [open_sockets(url) for url in urls]
        node_kib = [resident_kib(process.pid) for process, _ in nodes]
        clients = [pid for bench in benches for pid in [bench.pid] + descendants(bench.pid)]
        client_kib = sum(resident_kib(pid) for pid in clients)
        added = sum(node_kib) - sum(base_kib)
        print(f"sockets per node: {per_node}")
        print(f"nodes resident: {sum(node_kib) / 1024:.0f} MiB ({added / 1024:.0f} MiB more than before, "
              f"{added / max(connected, 1):.1f} KiB per socket); "
              f"{len(clients)} client processes resident: {client_kib / 1024:.0f} MiB")

        latencies = asyncio.run(fan_out(urls, secret, run, arguments.messages))
        latencies.sort()
        print(f"fan-out: {len(latencies)} messages, each to one user's {len(urls)} sockets (one per node): "
              f"p50 {latencies[len(latencies) // 2] * 1000:.1f} ms, max {latencies[-1] * 1000:.1f} ms")

        for index, bench in enumerate(benches):
            bench.wait(timeout=arguments.hold + 600)
            with open(os.path.join(folder, f"bench{index}.out")) as output:
                lines = [line.strip() for line in output if line.startswith("opened") or "failed" in line]
            print(f"node {index} bench: {' / '.join(lines)}")
    finally:
        for bench in benches:
            if bench.poll() is None:
                for pid in descendants(bench.pid):
                    try:
                        os.kill(pid, signal.SIGTERM)
                    except OSError:
                        pass
                bench.terminate()
        for process, _ in nodes:
            process.send_signal(signal.SIGTERM)
        for process, _ in nodes:
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
        print(f"logs in {folder}")


def wait_ready(nodes: list, timeout: float = 120):
    deadline = time.monotonic() + timeout
    for process, url in nodes:
        while get(f"{url}/ready", timeout=2)[0] != 200:
            if process.poll() is not None:
                sys.exit(f"{url} exited with {process.returncode}")
            if time.monotonic() > deadline:
                sys.exit(f"{url} never became ready")
            time.sleep(0.2)


if __name__ == "__main__":
    main()
