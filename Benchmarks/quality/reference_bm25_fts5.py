#!/usr/bin/env python3
"""Reference keyword retriever and metrics for a BEIR folder (Python standard library only).

Keyword half: SQLite FTS5 (tokenize = 'porter unicode61 remove_diacritics 2'), one row per document
holding title + " " + text, the query's words each double-quoted and joined by OR, ranked by bm25()
(FTS5's bm25 is NEGATED BM25: smaller = better, so ORDER BY bm25 ascending).

Metrics: the BEIR definitions (pytrec_eval / trec_eval 9.0.8 ndcg_cut, recall; BEIR custom mrr):
  nDCG@k   = DCG@k / IDCG@k, DCG@k = sum_{r=1..k} rel(d_r) / log2(r + 1), gain = rel (linear, not 2^rel - 1),
             IDCG@k = the same sum over the qrels' relevance values sorted descending.
  Recall@k = |relevant in top k| / |relevant|   (relevant = rel > 0)
  MRR@k    = 1 / rank of the first relevant document in the top k (0 if none)
  Averaged over the queries of the qrels (a query with no run scores 0).
The Swift metric (Sources/Trove/Evaluation/RetrievalMetrics.swift) is cross-checked against this one.

Usage:
  reference_bm25_fts5.py DATASET_DIR [--split test] [--top 100] [--limit-queries N] [--ignore-identical-ids]
  reference_bm25_fts5.py DATASET_DIR --dump-run run.tsv   # one line per query: qid<TAB>doc ids best first, space-separated
  reference_bm25_fts5.py DATASET_DIR --score-run run.tsv  # score a run in that format (e.g. from `trove eval`) instead
Never reads queries' `metadata` (SciFact keeps the gold evidence there).
"""
import argparse
import json
import math
import os
import re
import sqlite3
import sys
import time

# ---------------------------------------------------------------- dataset


def load_corpus(folder):
    corpus = []  # [(doc_id, title, text)] in file order
    path = os.path.join(folder, "corpus.jsonl")
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                corpus.append((str(row["_id"]), row.get("title", "") or "", row.get("text", "") or ""))
            except (ValueError, KeyError) as error:
                sys.exit(f"error: {path}:{number}: {error}")
    return corpus


def load_queries(folder):
    queries = {}  # id -> text (metadata deliberately dropped)
    path = os.path.join(folder, "queries.jsonl")
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                queries[str(row["_id"])] = row["text"]
            except (ValueError, KeyError) as error:
                sys.exit(f"error: {path}:{number}: {error}")
    return queries


def load_qrels(folder, split):
    qrels = {}  # query id -> {doc id: relevance}
    path = os.path.join(folder, "qrels", f"{split}.tsv")
    with open(path, encoding="utf-8", newline="") as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip("\r\n")
            if number == 1 or not line:
                continue  # header "query-id corpus-id score"
            fields = line.split("\t")
            if len(fields) != 3:
                sys.exit(f"error: {path}:{number}: expected 3 tab-separated fields, found {len(fields)}")
            qrels.setdefault(fields[0], {})[fields[1]] = int(fields[2])
    return qrels


# ---------------------------------------------------------------- metrics


def ndcg_at(ranked, rels, k):
    dcg = sum(rels.get(d, 0) / math.log2(r + 2) for r, d in enumerate(ranked[:k]) if rels.get(d, 0) > 0)
    ideal = sorted((g for g in rels.values() if g > 0), reverse=True)[:k]
    idcg = sum(g / math.log2(r + 2) for r, g in enumerate(ideal))
    return dcg / idcg if idcg > 0 else 0.0


def recall_at(ranked, rels, k):
    relevant = {d for d, g in rels.items() if g > 0}
    return len(relevant.intersection(ranked[:k])) / len(relevant) if relevant else 0.0


def mrr_at(ranked, rels, k):
    for r, d in enumerate(ranked[:k]):
        if rels.get(d, 0) > 0:
            return 1.0 / (r + 1)
    return 0.0


def evaluate(run, qrels, ignore_identical_ids=False):
    """run: query id -> ranked doc ids (best first). Returns the report dict (snake_case keys)."""
    totals = {"ndcg_at_10": 0.0, "recall_at_10": 0.0, "recall_at_100": 0.0, "mrr_at_10": 0.0}
    for qid, rels in qrels.items():
        ranked = []
        for d in run.get(qid, []):
            if (ignore_identical_ids and d == qid) or d in ranked:
                continue
            ranked.append(d)
        totals["ndcg_at_10"] += ndcg_at(ranked, rels, 10)
        totals["recall_at_10"] += recall_at(ranked, rels, 10)
        totals["recall_at_100"] += recall_at(ranked, rels, 100)
        totals["mrr_at_10"] += mrr_at(ranked, rels, 10)
    n = len(qrels)
    report = {key: (value / n if n else 0.0) for key, value in totals.items()}
    report["queries"] = n
    return report


def read_run(path):
    run = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            qid, _, docs = line.rstrip("\n").partition("\t")
            run[qid] = docs.split()
    return run


# ---------------------------------------------------------------- keyword retriever


def fts5_query(text):
    """Each word double-quoted (a quoted string is always a plain phrase to FTS5), joined by OR.
    Words are runs of letters/digits; duplicates are kept once so that no term is counted twice."""
    words = []
    for w in re.findall(r"\w+", text):
        w = w.replace('"', '""')
        if w.lower() not in (x.lower() for x in words):
            words.append(w)
    return " OR ".join(f'"{w}"' for w in words)


def build_index(corpus):
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE docs USING fts5(doc_id UNINDEXED, body, "
               "tokenize = 'porter unicode61 remove_diacritics 2')")
    db.executemany("INSERT INTO docs(doc_id, body) VALUES (?, ?)",
                   ((d, f"{title} {text}".strip()) for d, title, text in corpus))
    db.commit()
    return db


def keyword_run(db, queries, top):
    run = {}
    for qid, text in queries.items():
        match = fts5_query(text)
        if not match:
            run[qid] = []
            continue
        rows = db.execute("SELECT doc_id FROM docs WHERE docs MATCH ? ORDER BY bm25(docs), doc_id LIMIT ?",
                          (match, top)).fetchall()
        run[qid] = [r[0] for r in rows]
    return run


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("dataset")
    parser.add_argument("--split", default="test")
    parser.add_argument("--top", type=int, default=100)
    parser.add_argument("--limit-queries", type=int, default=0, help="evaluate only the first N qrels queries")
    parser.add_argument("--ignore-identical-ids", action="store_true")
    parser.add_argument("--dump-run", help="write the run: qid<TAB>doc ids best first, space-separated")
    parser.add_argument("--score-run", help="score this run file (same format) instead of running FTS5")
    args = parser.parse_args()

    if args.score_run:
        qrels = load_qrels(args.dataset, args.split)
        print(json.dumps(evaluate(read_run(args.score_run), qrels, args.ignore_identical_ids)))
        return
    start = time.perf_counter()
    corpus = load_corpus(args.dataset)
    queries = load_queries(args.dataset)
    qrels = load_qrels(args.dataset, args.split)
    if args.limit_queries:
        qrels = dict(list(qrels.items())[: args.limit_queries])
    missing = [q for q in qrels if q not in queries]
    if missing:
        sys.exit(f"error: qrels/{args.split}.tsv names query {missing[0]} absent from queries.jsonl")
    db = build_index(corpus)
    indexed = time.perf_counter()
    run = keyword_run(db, {q: queries[q] for q in qrels}, args.top)
    searched = time.perf_counter()
    report = evaluate(run, qrels, args.ignore_identical_ids)
    if args.dump_run:
        with open(args.dump_run, "w") as f:
            for qid, docs in run.items():
                f.write(qid + "\t" + " ".join(docs) + "\n")
    print(f"dataset {args.dataset} split {args.split}: {len(corpus)} docs, {report['queries']} queries")
    print(f"index {indexed - start:.2f} s ({len(corpus) / (indexed - start):.0f} docs/s), "
          f"search {len(qrels) / (searched - indexed):.0f} queries/s")
    print(json.dumps(report, indent=None))


if __name__ == "__main__":
    main()
