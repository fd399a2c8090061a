#!/usr/bin/env bash
# Makes the K-quant SmolLM2 files (Q4_K_M, Q5_K_M, Q6_K, Q3_K_M, Q2_K, Q2_K-pure, Q8_0) and llama.cpp's greedy reference on their exact dequantisation
# (Scripts/make_kquant_references.py says how) in $TROVE_MODELS/generated, idempotently: a second
# run finds every file and does nothing. The reference tools come from PyPI into a virtual
# environment, .build/reference-venv: gguf (also used by Tests/TensorsTests/Fixtures) and
# llama-cpp-python, which compiles llama.cpp from its source distribution (~10 min on 2 cores, once).
#
#   Scripts/make-kquant-references.sh
set -euo pipefail
cd "$(dirname "$0")/.."
models="${TROVE_MODELS:-$HOME/.cache/trove/models}"
mkdir -p "$models"
# One writer of the model cache at a time: two checkouts (or a test run and the demo) set up
# together would otherwise unpack into the same .partial folders and leave a model half there.
exec 9>>"$models/.lock"; flock 9
fixtures="${TROVE_FIXTURES:-$PWD/../shared/fixtures}"
generated="$models/generated"
mkdir -p "$generated"
wanted=()
for q in Q4_K_M Q5_K_M Q6_K Q3_K_M Q2_K Q2_K-pure Q8_0; do
  wanted+=("$generated/SmolLM2-135M-Instruct.$q.gguf" "$generated/SmolLM2-135M-Instruct.$q.greedy.json")
done
missing=0
for f in "${wanted[@]}"; do [[ -f "$f" ]] || missing=1; done
if ((missing == 0)); then
  echo "K-quant references: present ($generated)"
  exit 0
fi

source Scripts/reference-venv.sh
reference_venv
# llama.cpp reports every fallback it makes (rows of 576 are not whole 256-blocks): kept in a log.
"$reference_python" Scripts/make_kquant_references.py "$models" "$fixtures" 2>"$generated/make-references.log" \
  || { tail -20 "$generated/make-references.log" >&2; exit 1; }
