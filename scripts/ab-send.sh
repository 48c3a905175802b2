#!/bin/bash
# A/B of durable sends between two release binaries of parley, as docs/benchmarks.md
# reports them: each round starts BEFORE, then AFTER, on a fresh SQLite database in a
# temporary folder (`serve --dev --rate-limit 0`, with the assist encoder when a model
# folder is given), runs `bench rest --senders 16,256 --seconds 5` and
# `bench pairs --pairs 200 --messages 20 --window 4` against it with AFTER's bench, and
# stops it by its PID. Compare the rounds' means as a ratio; machines here differ by up
# to 2x between sessions, so only runs of one invocation compare.
#
# usage: scripts/ab-send.sh BEFORE_BINARY AFTER_BINARY [ROUNDS=3] [MODEL_DIR]
set -euo pipefail
before=$(realpath "$1"); after=$(realpath "$2"); rounds=${3:-3}; model=${4:-}

run() {
    local label=$1 server=$2 dir port pid
    dir=$(mktemp -d /tmp/parley-ab-XXXX)
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    local args=(serve --dev --host 127.0.0.1 --port "$port" --rate-limit 0)
    [[ -n "$model" ]] && args+=(--assist-model "$model")
    (cd "$dir" && exec "$server" "${args[@]}" > server.log 2>&1) &
    pid=$!
    for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$port/ready" > /dev/null && break; sleep 0.2; done
    echo "== $label"
    # The bench reads the --dev secret from ./parley-data, so it runs in the server's folder.
    (cd "$dir" && "$after" bench rest --url "http://127.0.0.1:$port" --senders 16,256 --seconds 5 2>&1 | grep -E '^senders' || true)
    (cd "$dir" && "$after" bench pairs --url "http://127.0.0.1:$port" --pairs 200 --messages 20 --window 4 2>&1 | grep -E '^delivered' || true)
    kill "$pid"; wait "$pid" 2> /dev/null || true
    rm -rf "$dir"
}

for round in $(seq 1 "$rounds"); do
    run "before, round $round" "$before"
    run "after, round $round" "$after"
done
