#!/usr/bin/env bash
# Runs the whole test suite on a fresh Debian machine: installs what the build and the
# tests need when it is missing, builds once (debug, with tests), then runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."

need_packages=()
dpkg -s libsqlite3-dev >/dev/null 2>&1 || need_packages+=(libsqlite3-dev)
if [ ${#need_packages[@]} -gt 0 ]; then
    echo "installing ${need_packages[*]}"
    if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_packages[@]}"
fi

# The end-to-end tests start the real `parley` executable, so build everything first.
swift build --build-tests
swift test --skip-build "$@"
