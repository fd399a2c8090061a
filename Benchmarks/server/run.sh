#!/usr/bin/env bash
# Load on `trove serve`: wrk against POST /v1/search on an index of the demo corpus (Corpora/),
# then the time to first streamed token of /v1/ask and /v1/chat/completions.
#
#   Benchmarks/server/run.sh [DURATION_SECONDS] [CONNECTIONS] [WRK_THREADS]
#
# Defaults: 30 s, 16 connections, 2 wrk threads. wrk runs on the same machine as the server, so
# the two share its cores; the figures are for that set-up. Needs `swift build -c release
# --product trove` first; installs wrk (Debian package) when it is missing.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
trove="${TROVE_BINARY:-$root/.build/release/trove}"
duration="${1:-30}"; connections="${2:-16}"; threads="${3:-2}"
if ! command -v wrk >/dev/null; then
  sudo=""; [[ $(id -u) -eq 0 ]] || sudo="sudo"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq wrk >/dev/null
fi

source "$root/Scripts/serve-demo-index.sh"      # sets $work, $server, $port

echo "cpu: $(grep -m1 "model name" /proc/cpuinfo | cut -d: -f2 | xargs), family $(grep -m1 "cpu family" /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores; $(grep -o -m1 avx512f /proc/cpuinfo || echo "no avx512")"
echo "index: demo corpus, $("$trove" stats --index "$work/demo.sqlite" --json | python3 -c 'import json,sys; s=json.load(sys.stdin); print(s["documents"], "documents,", s["chunks"], "chunks")')"
curl -sf "http://127.0.0.1:$port/v1/search" -d '{"query": "warm-up", "k": 5}' >/dev/null
echo "wrk -t$threads -c$connections -d${duration}s POST /v1/search (k=5, hybrid)"
wrk -t"$threads" -c"$connections" -d"${duration}s" --latency -s "$root/Benchmarks/server/search.lua" "http://127.0.0.1:$port" \
  | tee "$work/wrk.txt" | grep -E "SUMMARY|Socket errors|Non-2xx" || true
python3 "$root/Benchmarks/server/first_token.py" "$port" 3
