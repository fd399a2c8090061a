#!/usr/bin/env python3
"""Checks this folder's metric (reference_bm25_fts5.evaluate, which the Swift tests pin) against
pytrec_eval, the library BEIR and MTEB call (`ndcg_cut.10`, `recall.10,100`; MRR is BEIR's own code).

Usage: Benchmarks/.venv-eval/bin/python Benchmarks/quality/check_metric_against_pytrec_eval.py DATASET_DIR RUN_FILE
(RUN_FILE: qid<TAB>doc ids best first, space-separated, as --dump-run writes; needs pytrec-eval-terrier.)
"""
import os
import sys

import pytrec_eval

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference_bm25_fts5 as ref  # noqa: E402


def main():
    dataset, run_file = sys.argv[1], sys.argv[2]
    qrels = ref.load_qrels(dataset, "test")
    run = ref.read_run(run_file)
    ours = ref.evaluate(run, qrels)
    # pytrec_eval wants scores: 1/rank keeps the order and has no ties (trec_eval breaks ties by doc id).
    scored = {q: {d: 1.0 / r for r, d in enumerate(docs, 1)} for q, docs in run.items()}
    per_query = pytrec_eval.RelevanceEvaluator(qrels, {"ndcg_cut.10", "recall.10,100"}).evaluate(scored)
    n = len(per_query)
    theirs = {key: sum(v[measure] for v in per_query.values()) / n for key, measure in
              [("ndcg_at_10", "ndcg_cut_10"), ("recall_at_10", "recall_10"), ("recall_at_100", "recall_100")]}
    for key, value in theirs.items():
        print(f"{key:<14} ours {ours[key]:.12f}  pytrec_eval {value:.12f}  diff {abs(ours[key] - value):.1e}")
    print(f"queries        ours {ours['queries']}  pytrec_eval {n}")


if __name__ == "__main__":
    main()
