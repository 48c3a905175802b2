#!/usr/bin/env bash
# Schema fuzzing: schemathesis drives every operation of /openapi.json against a throwaway
# `parley serve` on each store (SQLite always; PostgreSQL when PARLEY_TEST_POSTGRES_URL is
# set, in a database made for the run and dropped after). The run fails on any 5xx, any
# response that breaks the document's own schemas, status codes or headers, an accepted
# request that the schema says is invalid, and a server that dies on the way.
#
#   scripts/schemathesis.sh [schemathesis run options…]
#
# PARLEY_BIN                    the parley executable (default .build/debug/parley; build first)
# PARLEY_SCHEMATHESIS_EXAMPLES  test cases per operation and phase (default 25, under a minute
#                               per store; raise it by hand, e.g. 200)
# PARLEY_SCHEMATHESIS_VENV      where schemathesis is installed (default .build-schemathesis-venv)
#
# Each node signs with a secret made for the run; requests are signed as a buyer, a seller,
# a support agent and a service, picked at random (scripts/schemathesis/hooks.py), over a
# few seeded conversations whose ids the path and query parameters draw from
# (scripts/schemathesis/seed.py). The per-user rate limit is off (--rate-limit 0) so that
# the run goes deep rather than into 429s (a 429 with Retry-After is a documented answer).
# Hypothesis's "data generation is too slow" health check is off: on two loaded cores the
# content pattern of POST …/messages trips it now and then, which says nothing of the API.
# Both nodes have Web Push on (SQLite through --dev, which makes a VAPID key in its data
# folder; PostgreSQL with that same key), so the push operations are fuzzed rather than
# answering 503; webhooks the run registers point at a closed loopback port (hooks.py), so
# the outbox's deliveries are refused at once and never leave the machine.
# Not checked, on purpose: positive_data_acceptance (rules JSON Schema cannot state, such
# as distinct participants, `before` with `after`, and sizes in bytes, not characters, make
# schema-valid requests that are rightly refused) and unsupported_method (undeclared
# methods get 404 from the router, not 405). Reports go to .build/schemathesis/.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

SCHEMATHESIS_VERSION=4.32.5
PARLEY_BIN=${PARLEY_BIN:-.build/debug/parley}
case "$PARLEY_BIN" in /*) ;; *) PARLEY_BIN="$ROOT/$PARLEY_BIN" ;; esac
EXAMPLES=${PARLEY_SCHEMATHESIS_EXAMPLES:-25}
VENV=${PARLEY_SCHEMATHESIS_VENV:-$ROOT/.build-schemathesis-venv}
REPORTS=$ROOT/.build/schemathesis

if [ ! -x "$PARLEY_BIN" ]; then
    echo "schemathesis: $PARLEY_BIN is missing; build it first (swift build)" >&2
    exit 1
fi
if [ "$("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("schemathesis"))' 2>/dev/null)" != "$SCHEMATHESIS_VERSION" ]; then
    echo "schemathesis: installing schemathesis $SCHEMATHESIS_VERSION in $VENV"
    if ! python3 -m venv "$VENV" 2>/dev/null; then
        # Debian ships venv separately.
        if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
        $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
        python3 -m venv "$VENV"
    fi
    "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi

work=$(mktemp -d /tmp/parley-schemathesis-XXXXXX)
mkdir -p "$REPORTS"
secret=$(python3 -c 'import secrets; print(secrets.token_hex(32))')
server_pid=""
postgres_database=""
pg_bin=""
if ls /usr/lib/postgresql/*/bin/psql >/dev/null 2>&1; then
    pg_bin=$(dirname "$(ls /usr/lib/postgresql/*/bin/psql | sort -V | tail -1)")
fi
stop_server() {
    if [ -n "$server_pid" ]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
        server_pid=""
    fi
}
cleanup() {
    stop_server
    if [ -n "$postgres_database" ]; then
        "$pg_bin/psql" -q "$PARLEY_TEST_POSTGRES_URL" -c "DROP DATABASE IF EXISTS $postgres_database WITH (FORCE)" >/dev/null 2>&1 || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

for role in buyer seller support service; do
    token=$("$PARLEY_BIN" token --sub "fuzz-$role" --role "$role" --ttl 7200 --jwt-secret "$secret")
    export "PARLEY_FUZZ_${role^^}_TOKEN=$token"
done

# is_ready URL: whether the node answers /ready with 200 (python: curl may be missing).
is_ready() {
    python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1] + "/ready", timeout=2)' "$1" >/dev/null 2>&1
}

# run_store NAME DATABASE [serve options…]: one node, seeded, fuzzed, stopped.
run_store() {
    local name=$1 database=$2
    shift 2
    local port log status=0
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    log="$REPORTS/server-$name.log"
    (cd "$work" && exec "$PARLEY_BIN" serve --host 127.0.0.1 --port "$port" --database "$database" \
        --jwt-secret "$secret" --rate-limit 0 "$@") >"$log" 2>&1 &
    server_pid=$!
    local base="http://127.0.0.1:$port"
    for _ in $(seq 1 200); do
        if is_ready "$base"; then break; fi
        sleep 0.1
    done
    if ! is_ready "$base"; then
        echo "schemathesis: the $name node did not start:" >&2
        tail -20 "$log" >&2
        stop_server
        return 1
    fi

    python3 scripts/schemathesis/seed.py "$base" >"$work/conversations-$name.txt" || { stop_server; return 1; }
    {
        # Content over 16,384 bytes is refused with 413 (contract), not 400.
        echo "[checks.negative_data_rejection]"
        echo "expected-statuses = [400, 401, 403, 404, 413, 429]"
        echo "[parameters]"
        echo '"path.conversationId" = { dictionary = "conversations", probability = 0.8 }'
        echo '"query.conversationId" = { dictionary = "conversations", probability = 0.5 }'
        echo "[dictionaries.conversations]"
        printf 'values = [%s]\n' "$(sed 's/.*/"&"/' "$work/conversations-$name.txt" | paste -sd, -)"
    } >"$work/schemathesis-$name.toml"

    echo "schemathesis: $name store on $base, $EXAMPLES examples per operation"
    SCHEMATHESIS_HOOKS=hooks PYTHONPATH="$ROOT/scripts/schemathesis" \
        "$VENV/bin/schemathesis" --config-file "$work/schemathesis-$name.toml" run "$base/openapi.json" \
        --checks all --exclude-checks positive_data_acceptance,unsupported_method \
        --max-examples "$EXAMPLES" --workers 1 --request-timeout 10 --no-color --suppress-health-check=too_slow \
        --report junit --report-dir "$REPORTS" --report-junit-path "$REPORTS/junit-$name.xml" "${run_options[@]}" \
        >"$REPORTS/run-$name.txt" 2>&1 || status=$?
    if ! kill -0 "$server_pid" 2>/dev/null; then
        echo "schemathesis: the $name node died during the run:" >&2
        tail -20 "$log" >&2
        status=1
    fi
    stop_server
    if [ $status -ne 0 ]; then
        echo "schemathesis: $name FAILED; failures (full output: $REPORTS/run-$name.txt):" >&2
        sed -n '/^=* \(FAILURES\|ERRORS\) =*$/,/^=* SUMMARY =*$/p' "$REPORTS/run-$name.txt" | grep -v '^ *[|+]' |
            cut -c1-300 | head -150 >&2
        tail -25 "$REPORTS/run-$name.txt" | cut -c1-300 >&2
        return 1
    fi
    echo "schemathesis: $name passed: $(grep -E '^ +[0-9]+ generated' "$REPORTS/run-$name.txt" | sed 's/^ *//')"
}

run_options=("$@")
overall=0
mkdir -p "$work/sqlite"
# With --dev, so that /dev/users and /dev/tokens are fuzzed too (the secret is still ours).
run_store sqlite "sqlite://$work/sqlite/parley.sqlite" --dev || overall=1

if [ -n "${PARLEY_TEST_POSTGRES_URL:-}" ]; then
    if [ -z "$pg_bin" ]; then
        echo "schemathesis: psql not found; skipping PostgreSQL" >&2
        overall=1
    else
        postgres_database="parley_schemathesis_$$"
        "$pg_bin/psql" -q "$PARLEY_TEST_POSTGRES_URL" -c "CREATE DATABASE $postgres_database" >/dev/null
        # The SQLite node's --dev VAPID key (made at its start), so that push is on here too.
        run_store postgres "${PARLEY_TEST_POSTGRES_URL%/*}/$postgres_database" \
            --vapid-private-key "$work/sqlite/vapid-private-key.pem" --vapid-subject mailto:fuzz@localhost || overall=1
    fi
else
    echo "schemathesis: PARLEY_TEST_POSTGRES_URL is not set; PostgreSQL not fuzzed"
fi
exit $overall
