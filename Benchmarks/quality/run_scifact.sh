#!/usr/bin/env bash
# SciFact test with `trove eval`, three modes, one table. Not a unit test: the first run embeds the
# 5,183 abstracts (minutes on a laptop); later runs reuse the index (unchanged corpus).
#
#   Benchmarks/quality/run_scifact.sh [DATASET_DIR] [INDEX_FILE]
#   TROVE_ENCODER_PRECISION=int8 Benchmarks/quality/run_scifact.sh
#
# Defaults: ../shared/datasets/scifact (or $TROVE_DATASETS/scifact), and trove eval's own cache file.
# Needs `swift build -c release --product trove` first; python3 for the table.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
trove="${TROVE_BINARY:-$root/.build/release/trove}"
dataset="${1:-${TROVE_DATASETS:-$root/../shared/datasets}/scifact}"
index_args=()
if [[ $# -ge 2 ]]; then index_args=(--index "$2"); fi
# TROVE_ENCODER_PRECISION=int8 (or bf16): embed with that precision (`trove eval --encoder-precision`;
# its own cache file unless INDEX_FILE is given).
if [[ -n "${TROVE_ENCODER_PRECISION:-}" ]]; then index_args+=(--encoder-precision "$TROVE_ENCODER_PRECISION"); fi
out="$(mktemp -d)"
for mode in dense keyword hybrid; do
  "$trove" eval "${index_args[@]}" --json --mode "$mode" "$dataset" > "$out/$mode.json"
done
python3 - "$out" <<'PY'
import json, sys, os
rows = [json.load(open(os.path.join(sys.argv[1], f"{m}.json"))) for m in ("dense", "keyword", "hybrid")]
first = rows[0]
print(f"{first['dataset']} {first['split']}: {first['queries']} queries, {first['documents']} documents, {first['chunks']} chunks")
print(f"index {first['index']}")
if not first["index_reused"]:
    print(f"ingest {first['ingest_seconds']:.1f} s, {first['documents_per_second']:.1f} documents/s")
print(f"| mode | nDCG@10 | Recall@10 | Recall@100 | MRR@10 | queries/s |")
print(f"|---|---|---|---|---|---|")
for r in rows:
    name = r["mode"] + (f" ({r['fusion']})" if r.get("fusion") else "")
    print(f"| {name} | {r['ndcg_at_10']:.4f} | {r['recall_at_10']:.4f} | {r['recall_at_100']:.4f} | {r['mrr_at_10']:.4f} | {r['queries_per_second']:.1f} |")
PY
