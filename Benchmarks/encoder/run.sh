#!/usr/bin/env bash
# Encoder speed: Trove vs sentence-transformers vs onnxruntime (plain and fused attention), on
# the 512 workload chunks of ../shared/bench/workload.py, in one run on this machine.
#
#   Benchmarks/encoder/run.sh                 # full run: 512 chunks, 2 and 1 threads, 3 repetitions
#   Benchmarks/encoder/run.sh --limit 32 --repeat 1 --threads 2    # smoke run
#   Benchmarks/encoder/run.sh --no-build --threads 2 --avx2          # as an AVX2-only CPU (first argument: --no-build)
#
# Needs: Python 3 with venv and network access to PyPI (first run installs
# sentence-transformers, torch, onnxruntime and onnx into Benchmarks/.venv-encoder).
# OpenBLAS uses its AVX-512 kernels on Zen only with OPENBLAS_CORETYPE=SkylakeX set before the
# process starts; compare.py sets it for Trove when /proc/cpuinfo lists avx512f.
set -euo pipefail
cd "$(dirname "$0")/../.."                                # repository root
ROOT=$(pwd)
MODEL=${TROVE_MODELS:-$HOME/.cache/trove/models}/all-MiniLM-L6-v2
WORKLOAD=${TROVE_WORKLOAD:-$ROOT/../shared/bench/workload.py}
[ -f "$WORKLOAD" ] || WORKLOAD=/work/shared/bench/workload.py
OUT=$ROOT/Benchmarks/out/encoder
VENV=$ROOT/Benchmarks/.venv-encoder
mkdir -p "$OUT"

[ -f "$MODEL/model.safetensors" ] || { echo "error: no model at $MODEL (run Scripts/fetch-models.sh)" >&2; exit 1; }
[ -f "$WORKLOAD" ] || { echo "error: no workload generator at $WORKLOAD" >&2; exit 1; }

if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import sentence_transformers, onnxruntime, onnx" 2>/dev/null; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet sentence-transformers torch onnxruntime onnx onnxscript
fi

python3 "$WORKLOAD" > "$OUT/chunks.jsonl"
# --no-build: time the EncoderBench already built (a shared machine builds under its own lock).
if [ "${1:-}" = "--no-build" ]; then shift; else (cd Benchmarks && swift build -c release --product EncoderBench 2>&1 | tail -1); fi
BENCH=$(cd Benchmarks && swift build -c release --product EncoderBench --show-bin-path)/EncoderBench

"$VENV/bin/python" Benchmarks/encoder/compare.py --model "$MODEL" --chunks "$OUT/chunks.jsonl" \
    --trove "$BENCH" --work "$OUT" "$@"
