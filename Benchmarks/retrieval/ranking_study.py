#!/usr/bin/env python3
"""Page retrieval on a folder question set, and how it moves with the ranking weights.

For each question, runs the shipped `trove search --json --explain -k K` once (hybrid, default
weights) and keeps every result's signals (cosine, passage and document BM25 as fractions of the
query's maximum). Then, for each (dense, passage) weight pair of the grid, re-scores those passages
as Trove does (PassageRanking: keyword = passage * passage_keyword + (1 - passage) *
document_keyword; hybrid = dense * cosine + (1 - dense) * keyword), ranks documents by their best
passage, and reports where the gold page lands: top-1, top-5 and MRR@10 over pages.

The re-scoring sees only the K passages the default weights returned (at most 3 per document), so
it is an approximation for the other weights; `--plain` ranks pages as `search -k 10` lists them, with
default weights, for any binary (before/after); `--exact` runs `trove search` once per question and
weight pair instead (slow). Use `--split odd` / `--split even` to tune on one half and report on the
other; a held-out set (Benchmarks/retrieval/postgres-docs) is only ever reported, never tuned on.

    ranking_study.py --index ~/.cache/trove-bench/python-docs/index.sqlite \
        --questions Benchmarks/answers/python-docs/questions.jsonl --split odd
"""
import argparse
import json
import subprocess
import sys
from pathlib import Path

DENSE = [0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 1.0]
PASSAGE = [0.0, 0.25, 0.5, 0.75, 1.0]


def gold_pages(row):
    return [p for p in (row.get("pages") or [row.get("page")]) if p]


def same_page(path, gold):
    path = (path or "").split("#")[0]
    return path == gold or path.endswith("/" + gold)


def search(binary, index, question, k, mode="hybrid", weights=None, explain=True):
    command = [binary, "search", "--index", index, "--json", "-k", str(k), "--mode", mode] + (["--explain"] if explain else [])
    if weights:
        command += ["--dense-weight", str(weights[0]), "--passage-weight", str(weights[1])]
    out = subprocess.run(command + ["--", question], capture_output=True, text=True, check=True).stdout
    return json.loads(out)["results"]


def page_rank(paths, golds):
    """1-based rank of the first gold page among the documents in `paths` (best first), or None."""
    documents = []
    for path in paths:
        page = path.split("#")[0]
        if page not in documents:
            documents.append(page)
    for rank, page in enumerate(documents, 1):
        if any(same_page(page, g) for g in golds):
            return rank
    return None


def rescored_paths(results, dense, passage, mode):
    def score(r):
        e = r["explain"]
        keyword = passage * e.get("passage_keyword", 0) + (1 - passage) * e.get("document_keyword", 0)
        if mode == "keyword":
            return keyword
        if mode == "dense":
            return e.get("cosine", 0)
        return dense * e.get("cosine", 0) + (1 - dense) * keyword
    ordered = sorted(results, key=lambda r: (-score(r), r["chunk_id"]))
    return [r["path"] for r in ordered]


def summary(ranks):
    n = len(ranks)
    top1 = sum(1 for r in ranks if r == 1) / n
    top5 = sum(1 for r in ranks if r and r <= 5) / n
    mrr = sum(1 / r for r in ranks if r and r <= 10) / n
    return top1, top5, mrr


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", required=True)
    parser.add_argument("--questions", required=True)
    parser.add_argument("--binary", default=str(Path(__file__).resolve().parents[2] / ".build/release/trove"))
    parser.add_argument("--split", choices=["all", "odd", "even"], default="all",
                        help="questions whose numeric id is odd or even (tune on one, report on the other)")
    parser.add_argument("-k", type=int, default=100, help="passages kept per question for re-scoring")
    parser.add_argument("--exact", action="store_true", help="one search per question and weight pair")
    parser.add_argument("--plain", action="store_true",
                        help="no grid: `search -k 10` per question and mode with default weights, pages ranked as listed "
                             "(works with any trove binary, for before/after comparisons)")
    parser.add_argument("--json", help="write the grid here")
    args = parser.parse_args()

    rows = [json.loads(line) for line in open(args.questions) if line.strip()]
    rows = [r for r in rows if gold_pages(r)]   # questions the folder does not cover have no page
    if args.split != "all":
        parity = 1 if args.split == "odd" else 0
        rows = [r for r in rows if int("".join(c for c in r["id"] if c.isdigit())) % 2 == parity]
    print(f"{len(rows)} questions ({args.split}) on {args.index}", file=sys.stderr)

    grid = []
    if args.plain:
        for mode in ["dense", "keyword", "hybrid"]:
            ranks = [page_rank([r["path"] for r in search(args.binary, args.index, q["question"], 10, mode, explain=False)],
                               gold_pages(q)) for q in rows]
            grid.append((mode, float("nan"), float("nan")) + summary(ranks))
    elif args.exact:
        for mode, dense, passage in [("dense", 1.0, 0.5)] + [("keyword", 0.5, p) for p in PASSAGE] + \
                [("hybrid", d, p) for d in DENSE[1:-1] for p in PASSAGE]:
            ranks = [page_rank([r["path"] for r in search(args.binary, args.index, q["question"], 10, mode,
                                                           (dense, passage))], gold_pages(q)) for q in rows]
            grid.append((mode, dense, passage) + summary(ranks))
            print(*grid[-1], file=sys.stderr)
    else:
        found = [search(args.binary, args.index, q["question"], args.k) for q in rows]
        for mode, dense, passage in [("dense", 1.0, 0.5)] + [("keyword", 0.5, p) for p in PASSAGE] + \
                [("hybrid", d, p) for d in DENSE[1:-1] for p in PASSAGE]:
            ranks = [page_rank(rescored_paths(results, dense, passage, mode), gold_pages(q))
                     for q, results in zip(rows, found)]
            grid.append((mode, dense, passage) + summary(ranks))

    print(f"{'mode':8} {'dense':>5} {'passage':>7} {'top-1':>6} {'top-5':>6} {'MRR@10':>7}")
    for mode, dense, passage, top1, top5, mrr in grid:
        print(f"{mode:8} {dense:5.2f} {passage:7.2f} {top1:6.3f} {top5:6.3f} {mrr:7.3f}")
    if args.json:
        Path(args.json).write_text(json.dumps([dict(zip(["mode", "dense", "passage", "top1", "top5", "mrr10"], g))
                                               for g in grid], indent=1))


if __name__ == "__main__":
    main()
