#!/usr/bin/env bash
# The main job on a fresh machine: install what is missing, fetch the models, build the release
# binary, ingest Corpora/ into Indexes/demo.sqlite, then search it and answer a question.
set -euo pipefail
cd "$(dirname "$0")/.."
Scripts/install-deps.sh
Scripts/fetch-models.sh
swift build -c release --product trove
trove=".build/release/trove"
index="Indexes/demo.sqlite"

echo "== trove ingest Corpora"
"$trove" ingest --index "$index" Corpora
echo
question="${1:-What was the longest continuous run of the Tollan Point siren?}"
echo "== trove search \"$question\""
"$trove" search --index "$index" -k 3 "$question"
if "$trove" help ask >/dev/null 2>&1; then
  echo
  echo "== trove ask \"$question\""
  "$trove" ask --index "$index" "$question" || true
fi
