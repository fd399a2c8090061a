#!/usr/bin/env bash
# CKernels' matvec throughput per block type and instruction-set level (matvec_throughput.c),
# compiled with the flags of the package's CKernels target. The end-to-end comparison with
# llama.cpp on real files is Benchmarks/decoder/run.sh --model FILE.
#
#   Benchmarks/kernels/run.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
kernels="$here/../../Sources/CKernels"
out="$here/../out"
mkdir -p "$out"
clang -O3 -I"$kernels/include" "$here/matvec_throughput.c" "$kernels"/*.c -o "$out/matvec_throughput" -lm
"$out/matvec_throughput"
