#!/usr/bin/env bash
# Coverage-guided fuzzing of every target in Fuzz/Targets (see Fuzz/README.md), each for a bounded
# time, with AddressSanitizer:
#
#   Benchmarks/fuzz/run.sh [SECONDS-PER-TARGET] [TARGET…]     (default 60 s, every target)
#   TROVE_FUZZ_NO_BUILD=1 Benchmarks/fuzz/run.sh …           (run the last build)
#
# Builds `trove-fuzz` into .build-fuzz (TROVE_FUZZ=1: the driver target exists only then; Swift
# code instrumented for libFuzzer's coverage, libFuzzer linked without its main), runs each target
# on a working copy of its corpus (.build-fuzz/corpus/<target>, kept between runs: the committed
# seeds in Fuzz/Corpus are never written), copies crashes, timeouts and OOMs to
# Benchmarks/fuzz/out/<target>/, and prints a table (also written to Benchmarks/fuzz/out/table.md).
# A crash input belongs in Fuzz/Regressions/<target>/ once fixed, with a unit test.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-60}
shift || true
build=.build-fuzz
out=Benchmarks/fuzz/out

# libFuzzer's driver without main() ships with the toolchain's clang runtime.
swiftc=$(readlink -f "$(command -v swiftc)")
fuzzer_lib=$(ls "$(dirname "$swiftc")"/../lib/clang/*/lib/linux/libclang_rt.fuzzer_no_main-x86_64.a | head -n 1)
[ -f "$fuzzer_lib" ] || { echo "error: libclang_rt.fuzzer_no_main not found beside $swiftc" >&2; exit 1; }

# swiftc's -sanitize=fuzzer would also link libFuzzer's main(), which clashes with the driver's;
# these are the coverage kinds it turns on, given directly. -enable-testing as in every release
# build here, so that the whole test suite can be built on top for an AddressSanitizer run
# (Benchmarks/fuzz/README.md).
start=$(date +%s)
[ "${TROVE_FUZZ_NO_BUILD:-}" = 1 ] || TROVE_FUZZ=1 flock /tmp/trove-build.lock swift build -c release --build-path "$build" --product trove-fuzz \
    --sanitize address -Xswiftc -enable-testing \
    -Xswiftc -sanitize-coverage=edge,indirect-calls,trace-cmp,inline-8bit-counters,pc-table \
    -Xlinker --whole-archive -Xlinker "$fuzzer_lib" -Xlinker --no-whole-archive -Xlinker -lstdc++
[ "${TROVE_FUZZ_NO_BUILD:-}" = 1 ] || echo "built $build/release/trove-fuzz in $(( $(date +%s) - start )) s" >&2
binary=$build/release/trove-fuzz

if [ $# -gt 0 ]; then targets=("$@"); else
    mapfile -t targets < <("$binary" 2>&1 | sed -n 's/^  \([a-z0-9-]*\) .*/\1/p')
fi

mkdir -p "$out"
table="$out/table.md"
printf '| target | seconds | execs | execs/s | coverage (edges) | features | corpus | crashes |\n|---|---:|---:|---:|---:|---:|---:|---|\n' > "$table"
status=0
for target in "${targets[@]}"; do
    work=$build/corpus/$target
    artifacts=$out/$target
    mkdir -p "$work" "$artifacts"
    log=$out/$target.log
    # The Swift runtime's backtracer would hold a crashing process for its report; libFuzzer and
    # ASan report instead. Leaks are not checked (Swift's runtime caches look like leaks).
    began=$(date +%s)
    SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0:handle_abort=1 \
        "$binary" "$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$artifacts/" "$work" "Fuzz/Corpus/$target" > "$log" 2>&1 || true
    ran=$(( $(date +%s) - began ))
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    coverage=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
    features=$(grep -o 'ft: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
    crashes=$(find "$artifacts" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' -o -name 'leak-*' \) | sort)
    found=$(printf '%s' "$crashes" | grep -c . || true)
    [ "$found" -eq 0 ] || status=1
    names=$(printf '%s\n' "$crashes" | xargs -r -n1 basename | paste -sd ' ' -)
    [ -n "$execs" ] || execs=0
    rate=$(( execs / (ran > 0 ? ran : 1) ))
    printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$target" "$ran" "$execs" "$rate" "${coverage:-?}" "${features:-?}" \
        "$(ls "$work" | wc -l)" "$found${names:+ ($names)}" >> "$table"
    tail -n 1 "$table" >&2
done
echo >&2
cat "$table"
exit $status
