#!/usr/bin/env bash
# Fault suite: kill -9 at random points of ingests, then check that the index is whole and that a
# resumed run ends exactly where an uninterrupted one does.
#
#   Scripts/fault-suite.sh            short mode (9 kills, 3 per scenario; about a minute), run by Scripts/test.sh
#   Scripts/fault-suite.sh --long     120 kills (40 per scenario) on a larger corpus
#   Scripts/fault-suite.sh --kills N  N kills per scenario
#
# Scenarios, each kill followed by: PRAGMA integrity_check and Trove's invariants (every chunk has
# its document and one vector of the recorded dimension, the FTS5 tables in step, FTS5's own
# integrity-check), `trove stats` reading the file, a resume (`trove ingest` again), and a
# comparison with an uninterrupted reference index (same documents, content hashes, titles,
# chunks, vectors within 1e-4, and the same top-5 search results for three queries):
#   fresh    - a first ingest of the corpus, killed;
#   reingest - the corpus edited (3 files), pruned (2 deleted), renamed (2), extended (2 added,
#              a JSONL record edited and one removed), re-ingested over the complete index, killed;
#   server   - `trove serve` ingesting the corpus through POST /v1/documents, the server killed.
# Then a first-use race: an ingest and a search started together on an index that does not exist
# yet (5 rounds, 100 with --long), neither of which may fail ("database is locked", "table
# metadata already exists" before the fix).
# Odd kills come after a delay drawn from 0 to the uninterrupted duration of the step; even kills
# once a random number of documents has been committed (so that kills land all through the run,
# not mostly while the models load). Seeded: FAULT_SEED.
# Needs the models (Scripts/fetch-models.sh) and a release build (.build/release/trove).
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
trove=${TROVE:-$root/.build/release/trove}
check="python3 $root/Scripts/fault-suite-check.py"
kills=3 documents=20 races=5
case "${1:-}" in
  --long) kills=40 documents=60 races=100 ;;
  --kills) kills=$2 ;;
  "") ;;
  *) echo "usage: $0 [--long | --kills N]" >&2; exit 2 ;;
esac
[ -x "$trove" ] || { echo "error: $trove not found: build with swift build -c release first" >&2; exit 2; }
RANDOM=${FAULT_SEED:-1853}
work=$(mktemp -d /tmp/trove-faults.XXXXXX)
server_pid=""
cleanup() { [ -n "$server_pid" ] && kill -9 "$server_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
export TROVE_NO_REEXEC=${TROVE_NO_REEXEC:-}
queries=("lighthouse keeper in the fog" "storm over the harbour wall" "Record 3")

failures=0 total=0 committed=()
fail() { echo "FAIL [$1 kill $2]: $3"; failures=$((failures + 1)); }

# Seconds with millisecond precision since an origin.
now() { date +%s.%N; }
elapsed() { python3 -c "print(max(0.0, $(now) - $1))"; }
# A delay uniformly drawn in [0.05, $1] seconds.
delay() { python3 -c "import sys; print(f'{0.05 + ($RANDOM / 32767) * max(0.0, $1 - 0.05):.3f}')"; }
# Kill number $1 of process $5, in a step that takes $2 s uninterrupted and commits up to $3
# documents into index $4: after a random delay, or the moment a random number is committed.
killer() {
  if [ $(($1 % 2)) -eq 1 ]; then sleep "$(delay "$2")"; kill -9 "$5" 2>/dev/null
  else $check kill "$5" "$4" $((1 + RANDOM % $3)) 30; fi
  { wait "$5"; } 2>/dev/null
}

searches() {  # top-5 paths and ordinals of each query, as one text
  for q in "${queries[@]}"; do
    "$trove" search --json -k 5 --index "$1" "$q" 2>&1 | python3 -c '
import json, sys
try:
    print([(r["path"], r["start"], r["end"], r["title"]) for r in json.load(sys.stdin)["results"]])
except Exception as error:
    print("unreadable search output:", error)'
  done
}

# Checks an index after a kill, resumes, and compares with a reference; $1 scenario, $2 kill, $3 index,
# $4 corpus, $5 reference index, $6 reference search text.
verify() {
  local problems
  committed+=("$(python3 -c "import sqlite3,sys
try: print(sqlite3.connect('file:$3?mode=ro', uri=True).execute('SELECT count(*) FROM documents').fetchone()[0])
except Exception: print(0)")")
  if ! problems=$($check check "$3"); then fail "$1" "$2" "after the kill: $problems"; fi
  if ! "$trove" stats --index "$3" >/dev/null 2>"$work/stats.err"; then
    fail "$1" "$2" "trove stats after the kill: $(head -c 300 "$work/stats.err")"
  fi
  if ! "$trove" ingest --index "$3" "$4" >/dev/null 2>"$work/resume.err"; then
    fail "$1" "$2" "the resume failed: $(head -c 300 "$work/resume.err")"
  fi
  if ! problems=$($check check "$3"); then fail "$1" "$2" "after the resume: $problems"; fi
  if ! problems=$($check compare "$3" "$5"); then fail "$1" "$2" "resumed index differs: $(echo "$problems" | head -5)"; fi
  if [ "$(searches "$3")" != "$6" ]; then fail "$1" "$2" "search results differ from the reference"; fi
  total=$((total + 1))
}

echo "fault suite: $kills kills per scenario, $documents documents, work in $work"
# Paths are stored absolute, so every index is built on the same folder, $work/corpus, holding
# either version of the corpus: A (generated) or B (A edited, pruned, renamed and extended).
corpus=$work/corpus
use() { rm -rf "$corpus"; cp -a "$work/$1" "$corpus"; }
$check corpus "$work/A" "$documents"
cp -a "$work/A" "$work/B"; $check mutate "$work/B"

# References: uninterrupted ingests of A and of B, each from scratch.
use A; start=$(now)
"$trove" ingest --index "$work/refA.sqlite" "$corpus" >/dev/null || { echo "error: the reference ingest of A failed" >&2; exit 1; }
fresh_seconds=$(elapsed "$start")
refA_search=$(searches "$work/refA.sqlite")
documents_A=$($check count "$work/refA.sqlite")
use B
"$trove" ingest --index "$work/refB.sqlite" "$corpus" >/dev/null || { echo "error: the reference ingest of B failed" >&2; exit 1; }
refB_search=$(searches "$work/refB.sqlite")
cp "$work/refA.sqlite" "$work/timing.sqlite"; start=$(now)
"$trove" ingest --index "$work/timing.sqlite" "$corpus" >/dev/null; reingest_seconds=$(elapsed "$start")
printf 'uninterrupted: fresh ingest %.2f s, re-ingest of the changes %.2f s\n' "$fresh_seconds" "$reingest_seconds"
case "$refA_search$refB_search" in *unreadable*) echo "error: search output unreadable: $refA_search" >&2; exit 1 ;; esac

# 1. fresh ingests, killed
use A
for k in $(seq 1 "$kills"); do
  index=$work/fresh.sqlite; rm -f "$index" "$index-wal" "$index-shm" "$index-vectors"
  "$trove" ingest --index "$index" "$corpus" >/dev/null 2>&1 & pid=$!
  killer "$k" "$fresh_seconds" "$documents_A" "$index" "$pid"
  verify fresh "$k" "$index" "$corpus" "$work/refA.sqlite" "$refA_search"
done

# 2. re-ingests with edits, deletes and renames, killed
for k in $(seq 1 "$kills"); do
  index=$work/reingest.sqlite; rm -f "$index" "$index-wal" "$index-shm" "$index-vectors"
  cp "$work/refA.sqlite" "$index"; use B    # the complete index of A, the files now B
  "$trove" ingest --index "$index" "$corpus" >/dev/null 2>&1 & pid=$!
  killer "$k" "$reingest_seconds" 2 "$index" "$pid"
  verify reingest "$k" "$index" "$corpus" "$work/refB.sqlite" "$refB_search"
done

# 3. server ingests, the server killed
use A
for k in $(seq 1 "$kills"); do
  index=$work/server.sqlite; rm -f "$index" "$index-wal" "$index-shm" "$index-vectors"
  port=$((20000 + RANDOM % 20000))
  "$trove" serve --index "$index" --port "$port" >"$work/serve.log" 2>&1 & server_pid=$!
  for _ in $(seq 1 100); do curl -s "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break; sleep 0.05; done
  curl -s -m 60 -X POST -H 'Content-Type: application/json' -d "{\"path\": \"$corpus\"}" \
    "http://127.0.0.1:$port/v1/documents" >/dev/null 2>&1 &
  curl_pid=$!
  killer "$k" "$fresh_seconds" "$documents_A" "$index" "$server_pid"; server_pid=""
  wait "$curl_pid" 2>/dev/null
  verify server "$k" "$index" "$corpus" "$work/refA.sqlite" "$refA_search"
done

# 4. first use: an ingest and a search together on a new index (of two small files)
mkdir -p "$work/small"; echo "The keeper lit the lamp." >"$work/small/a.txt"; echo "Fog over the rock." >"$work/small/b.txt"
raced=0
for r in $(seq 1 "$races"); do
  index=$work/race.sqlite; rm -f "$index" "$index-wal" "$index-shm" "$index-vectors"
  "$trove" ingest --index "$index" "$work/small" >/dev/null 2>"$work/race-ingest.err" & a=$!
  "$trove" search --index "$index" "keeper" >/dev/null 2>"$work/race-search.err" & b=$!
  wait "$a"; ingest_status=$?; wait "$b"
  if [ "$ingest_status" -ne 0 ] || grep -qE "locked|already exists|duplicate column" "$work/race-ingest.err" "$work/race-search.err"; then
    fail race "$r" "$(cat "$work/race-ingest.err" "$work/race-search.err" | head -c 300)"
  fi
  raced=$((raced + 1))
done

echo "documents committed when killed: ${committed[*]}"
echo "first-use races: $raced rounds"
echo "fault suite: $total kills, $failures failures"
[ "$failures" -eq 0 ]
