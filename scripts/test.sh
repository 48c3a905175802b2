#!/usr/bin/env bash
# Runs the whole test suite on a fresh Debian machine: installs what the build and the
# tests need when it is missing, starts a throwaway Redis on a free loopback port (and
# stops it, by its PID, at the end), builds once (debug, with tests), then runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."

need_packages=()
dpkg -s libsqlite3-dev >/dev/null 2>&1 || need_packages+=(libsqlite3-dev)
command -v redis-server >/dev/null 2>&1 || need_packages+=(redis-server)
if [ ${#need_packages[@]} -gt 0 ]; then
    echo "installing ${need_packages[*]}"
    if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_packages[@]}"
fi

# A Redis of our own for the cluster tests: loopback only, no persistence.
redis_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no >/tmp/parley-test-redis-$$.log 2>&1 &
redis_pid=$!
trap 'kill "$redis_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
    if redis-cli -p "$redis_port" ping 2>/dev/null | grep -q PONG; then break; fi
    sleep 0.05
done
export PARLEY_TEST_REDIS_URL="redis://127.0.0.1:$redis_port"
echo "test Redis on $PARLEY_TEST_REDIS_URL (pid $redis_pid)"

# The end-to-end tests start the real `parley` executable, so build everything first.
swift build --build-tests
swift test --skip-build "$@"
