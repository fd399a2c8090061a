#!/usr/bin/env bash
# A soak of `trove serve` over an index of the demo corpus: mixed search, ask, embeddings, chat and
# ingest requests from 8 concurrent clients on 127.0.0.1, memory sampled every 10 s (soak.py says
# what runs and what fails the soak). Stops by itself.
#
#   Benchmarks/server/soak.sh [SECONDS]        # default 600
#
# Needs `swift build -c release --product trove` first (or TROVE_BINARY).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
trove="${TROVE_BINARY:-$root/.build/release/trove}"
seconds="${1:-600}"
source "$root/Scripts/serve-demo-index.sh"      # sets $work, $server, $port
echo "cpu: $(grep -m1 "model name" /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
status=0
python3 "$root/Benchmarks/server/soak.py" "$port" "$server" "$seconds" || status=$?
grep -ci "error\|fatal" "$work/serve.log" | sed 's/^/server log lines with "error": /' || true
exit $status
