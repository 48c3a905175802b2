#!/usr/bin/env bash
# Makes the Python virtual environment of the tests' independent counterparts
# (Tests/Notify/push_service.py and webhook_receiver.py: RFC 8291 decryption (http_ece),
# VAPID checking (PyJWT, cryptography) and Standard Webhooks verification
# (standardwebhooks); Tests/E2EE/counterpart.py: HPKE, AES-GCM and ECDSA (cryptography);
# Tests/Audit/rfc9162.py: RFC 9162 and Ed25519 (cryptography)), at pinned versions, then prints the path of
# the environment's python on stdout (the value of PARLEY_TEST_NOTIFY_PYTHON).
#
# Usage: scripts/notify-venv.sh   (folder: $PARLEY_NOTIFY_VENV, default .build-notify-venv
#        in the repository, which .gitignore's `.build-*/` keeps out of commits)
#
# Idempotent: when the folder's REQUIREMENTS file already lists these pins, nothing is
# installed again.
set -euo pipefail

repo_root=$(cd "$(dirname "$0")/.." && pwd)
venv=${PARLEY_NOTIFY_VENV:-$repo_root/.build-notify-venv}
case "$venv" in
    /*) ;;
    *) venv="$PWD/$venv" ;;
esac

requirements="http_ece==1.2.1
standardwebhooks==1.1.0
PyJWT==2.15.1
cryptography==48.0.0"

if [ -x "$venv/bin/python" ] && [ -f "$venv/REQUIREMENTS" ] && [ "$(cat "$venv/REQUIREMENTS")" = "$requirements" ]; then
    echo "$venv/bin/python"
    exit 0
fi

python3 -m venv "$venv" >&2
# shellcheck disable=SC2086 # one requirement a line, none with spaces
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check $requirements >&2
# Fails here, not in the tests, when an import is broken.
"$venv/bin/python" -c 'import http_ece, standardwebhooks, jwt, cryptography' >&2
# Written last: a half-made environment is made again on the next run.
printf '%s' "$requirements" >"$venv/REQUIREMENTS"
echo "$venv/bin/python"
