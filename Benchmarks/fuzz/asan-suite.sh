#!/usr/bin/env bash
# The whole test suite under AddressSanitizer, built on top of the fuzz build (.build-fuzz: the
# same flags as Benchmarks/fuzz/run.sh, so the sanitized libraries are compiled once for both):
#
#   Benchmarks/fuzz/asan-suite.sh [swift test options, e.g. --filter IngestTests]
#
# Slow (an hour of CPU); findings are ASan reports ("ERROR: AddressSanitizer") in the output,
# kept in Benchmarks/fuzz/out/asan-suite.log.
set -euo pipefail
cd "$(dirname "$0")/../.."
swiftc=$(readlink -f "$(command -v swiftc)")
fuzzer_lib=$(ls "$(dirname "$swiftc")"/../lib/clang/*/lib/linux/libclang_rt.fuzzer_no_main-x86_64.a | head -n 1)
flags=(-c release --build-path .build-fuzz --sanitize address -Xswiftc -enable-testing
       -Xswiftc -sanitize-coverage=edge,indirect-calls,trace-cmp,inline-8bit-counters,pc-table
       -Xlinker --whole-archive -Xlinker "$fuzzer_lib" -Xlinker --no-whole-archive -Xlinker -lstdc++)
TROVE_FUZZ=1 flock /tmp/trove-build.lock swift build "${flags[@]}" --build-tests
mkdir -p Benchmarks/fuzz/out
# Leaks are not checked (the Swift runtime's caches look like leaks); the Swift backtracer is off
# so that ASan's report is the one printed.
SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0 TROVE_FUZZ=1 \
    flock /tmp/trove-build.lock swift test "${flags[@]}" --skip-build "$@" 2>&1 | tee Benchmarks/fuzz/out/asan-suite.log
