#!/usr/bin/env bash
# Makes one small synthetic model per decoder architecture (llama, qwen2, qwen3, phi3, gemma3), in
# F32 and in llama.cpp's Q4_K_M, and llama.cpp's greedy reference on each
# (Scripts/make_architecture_references.py says how) in $TROVE_MODELS/generated/architectures,
# idempotently: a second run finds every file and does nothing. About 700 MB; the reference tools
# come from PyPI into .build/reference-venv (Scripts/reference-venv.sh).
#
#   Scripts/make-architecture-references.sh
set -euo pipefail
cd "$(dirname "$0")/.."
models="${TROVE_MODELS:-$HOME/.cache/trove/models}"
mkdir -p "$models"
# One writer of the model cache at a time: two checkouts (or a test run and the demo) set up
# together would otherwise unpack into the same .partial folders and leave a model half there.
exec 9>>"$models/.lock"; flock 9
fixtures="${TROVE_FIXTURES:-$PWD/../shared/fixtures}"
generated="$models/generated/architectures"
mkdir -p "$generated"
missing=0
for arch in llama qwen2 qwen3 phi3 gemma3; do
  for format in F32 Q4_K_M; do
    for f in "$generated/$arch.$format.gguf" "$generated/$arch.$format.greedy.json"; do [[ -f "$f" ]] || missing=1; done
  done
done
[[ -f "$generated/phi3.F32.ctx256.greedy.json" ]] || missing=1
if ((missing == 0)); then
  echo "architecture references: present ($generated)"
  exit 0
fi
source Scripts/reference-venv.sh
reference_venv
"$reference_python" Scripts/make_architecture_references.py "$models" "$fixtures" 2>"$generated/make-references.log" \
  || { tail -20 "$generated/make-references.log" >&2; exit 1; }
