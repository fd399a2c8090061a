#!/usr/bin/env bash
# Side-by-side decoder benchmark: Trove's DecoderBench and llama.cpp (llama-cpp-python from
# PyPI, built from source for this CPU) on the same GGUF, same token counts, same thread
# counts, in one run. Prints medians and Trove/llama.cpp ratios (higher is better for Trove).
#
#   Benchmarks/decoder/run.sh [--threads 1,2] [--repeat 3] [--pp 512] [--tg 128] [--model PATH]
#
# The first run creates Benchmarks/.venv-decoder and builds llama.cpp (several CPU-minutes,
# run under nice). Set TROVE_BENCH_SKIP_LLAMA=1 to time Trove alone.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bench="$(dirname "$here")"
model="${TROVE_MODELS:-$HOME/.cache/trove/models}/SmolLM2-135M-Instruct/SmolLM2-135M-Instruct.Q4_1.gguf"
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
    if [[ "${args[$i]}" == "--model" ]]; then model="${args[$((i + 1))]}"; fi
done
[[ -f "$model" ]] || { echo "error: model not found: $model" >&2; exit 1; }
out="$bench/out"
mkdir -p "$out"

echo "== building DecoderBench" >&2
(cd "$bench" && swift build -c release --product DecoderBench >&2)

# TROVE_BENCH_PYTHON: a python that already has llama_cpp (e.g. .build/reference-venv/bin/python
# from Scripts/make-kquant-references.sh, built for this CPU) instead of building another one.
python="${TROVE_BENCH_PYTHON:-$bench/.venv-decoder/bin/python}"
if [[ "${TROVE_BENCH_SKIP_LLAMA:-0}" != "1" && -z "${TROVE_BENCH_PYTHON:-}" ]]; then
    venv="$bench/.venv-decoder"
    if [[ ! -x "$venv/bin/python" ]] || ! "$venv/bin/python" -c "import llama_cpp" 2>/dev/null; then
        echo "== creating $venv and building llama-cpp-python for this CPU (slow, once)" >&2
        python3 -m venv "$venv"
        "$venv/bin/pip" install --quiet --upgrade pip >&2
        CMAKE_ARGS="-DGGML_NATIVE=ON -DGGML_BLAS=OFF" CMAKE_BUILD_PARALLEL_LEVEL=2 \
            nice -n 10 "$venv/bin/pip" install --quiet --no-cache-dir llama-cpp-python numpy >&2
    fi
fi

echo "== Trove" >&2
"$bench/.build/release/DecoderBench" "$@" --model "$model" | tee "$out/decoder-trove.jsonl"
if [[ "${TROVE_BENCH_SKIP_LLAMA:-0}" != "1" ]]; then
    echo "== llama.cpp" >&2
    "$python" "$here/compare.py" llama "$@" --model "$model" | tee "$out/decoder-llama.jsonl"
    python3 "$here/compare.py" report "$out/decoder-trove.jsonl" "$out/decoder-llama.jsonl"
fi
