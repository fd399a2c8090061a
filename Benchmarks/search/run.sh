#!/usr/bin/env bash
# Exact top-10 search side by side: Trove FlatL2Index vs FAISS IndexFlatL2 vs sqlite-vec.
#
#   Benchmarks/search/run.sh [N ...]        default N = 100000; the full run is 1000000
#
# Makes a venv Benchmarks/.venv-search (numpy, faiss-cpu, sqlite-vec, and
# pysqlite3-binary for an sqlite3 module that can load extensions, from PyPI) on first use,
# writes the vectors once (Benchmarks/out/search/vectors-N.f32, normalised random, dim 384),
# builds and runs SearchBench (Trove at 1 and 2 threads, JSON), then compare.py times FAISS at
# 1 and 2 threads and sqlite-vec on the same data, checks the ids and prints the table.
# Extra options for both sides can be passed through SEARCH_BENCH_ARGS, e.g. "--repeats 20".
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bench="$(dirname "$here")"
venv="$bench/.venv-search"
data="$bench/out/search"
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100000)

if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet numpy faiss-cpu sqlite-vec pysqlite3-binary
fi
"$venv/bin/python" "$here/make_data.py" "$data" "${sizes[@]}"
(cd "$bench" && swift build -c release --product SearchBench 2>&1 | grep -Ev '^\[|^Building|^Compiling' || true)

for n in "${sizes[@]}"; do
    # shellcheck disable=SC2086
    "$bench/.build/release/SearchBench" "$data/vectors-$n.f32" "$data/queries.f32" "$n" 384 \
        ${SEARCH_BENCH_ARGS:-} > "$data/trove-$n.json"
    # shellcheck disable=SC2086
    "$venv/bin/python" "$here/compare.py" --data "$data" --n "$n" --trove "$data/trove-$n.json" ${SEARCH_BENCH_ARGS:-}
done
