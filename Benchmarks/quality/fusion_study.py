#!/usr/bin/env python3
"""Dense, keyword and hybrid retrieval on a BEIR folder, with fusion tuned on the TRAIN split only.

The two halves are the reference retrievers of this folder (numpy all-MiniLM-L6-v2, SQLite FTS5 BM25),
or any two hit files (e.g. dumped by the Swift engine) given with --dense-hits/--keyword-hits.
Fusion mirrors Sources/Trove/Retrieval/RankFusion.swift exactly (same conventions, same ties):
  dense hit   = (doc id, squared L2 distance)   smaller is better, similarity = 1 - d²/2
  keyword hit = (doc id, FTS5 bm25())           smaller (more negative) is better, relevance = -bm25
  RRF(k)      = sum over lists of 1 / (k + rank), ranks 1-based
  min-max(w)  = w * norm(similarity) + (1 - w) * norm(-bm25), norm over the list, absent = 0
  z-score(w)  = w * z(similarity) + (1 - w) * z(-bm25), absent = the list's minimum z (extra, for study)
  ties: fused score descending, then doc id ascending.

The hook for other retrievers is `fuse_and_evaluate(hits, qrels, fusion)`: `hits` maps a query id to
(dense_hits, keyword_hits), two ranked lists of (doc id, raw score).

Usage (from the repository root; the dense half needs Benchmarks/.venv-eval, see reference_dense_minilm.py):
  Benchmarks/.venv-eval/bin/python Benchmarks/quality/fusion_study.py ../shared/datasets/scifact [--top 100]
  ... --dense-hits SPLIT=FILE --keyword-hits SPLIT=FILE   # FILE lines: qid<TAB>doc id<TAB>raw score
"""
import argparse
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference_bm25_fts5 as ref  # noqa: E402

# ---------------------------------------------------------------- fusion (mirror of RankFusion.swift)


def ordered_dense(hits):
    seen, out = set(), []
    for doc, d2 in sorted(hits, key=lambda h: (h[1], h[0])):
        if doc not in seen:
            seen.add(doc)
            out.append((doc, d2))
    return out


def ordered_keyword(hits):
    return ordered_dense(hits)  # bm25(): also ascending = best first


def rrf(dense, keyword, k=60.0):
    scores = {}
    for rank, (doc, _) in enumerate(ordered_dense(dense), 1):
        scores[doc] = scores.get(doc, 0.0) + 1.0 / (k + rank)
    for rank, (doc, _) in enumerate(ordered_keyword(keyword), 1):
        scores[doc] = scores.get(doc, 0.0) + 1.0 / (k + rank)
    return sorted(scores, key=lambda d: (-scores[d], d))


def _min_max(pairs):
    if not pairs:
        return {}
    values = [v for _, v in pairs]
    low, high = min(values), max(values)
    return {d: ((v - low) / (high - low) if high > low else 1.0) for d, v in pairs}


def _z(pairs):
    if not pairs:
        return {}, 0.0
    values = [v for _, v in pairs]
    mean = sum(values) / len(values)
    std = math.sqrt(sum((v - mean) ** 2 for v in values) / len(values)) or 1.0
    z = {d: (v - mean) / std for d, v in pairs}
    return z, min(z.values())


def min_max(dense, keyword, dense_weight=0.5, keyword_weight=None):
    keyword_weight = 1 - dense_weight if keyword_weight is None else keyword_weight
    dn = _min_max([(d, 1 - s / 2) for d, s in ordered_dense(dense)])
    kn = _min_max([(d, -s) for d, s in ordered_keyword(keyword)])
    scores = {d: dense_weight * dn.get(d, 0.0) + keyword_weight * kn.get(d, 0.0) for d in set(dn) | set(kn)}
    return sorted(scores, key=lambda d: (-scores[d], d))


def z_score(dense, keyword, dense_weight=0.5):
    dz, dmin = _z([(d, 1 - s / 2) for d, s in ordered_dense(dense)])
    kz, kmin = _z([(d, -s) for d, s in ordered_keyword(keyword)])
    scores = {d: dense_weight * dz.get(d, dmin) + (1 - dense_weight) * kz.get(d, kmin) for d in set(dz) | set(kz)}
    return sorted(scores, key=lambda d: (-scores[d], d))


def fuse_and_evaluate(hits, qrels, fusion):
    """hits: qid -> (dense [(doc, d²)], keyword [(doc, bm25)]); fusion: (dense, keyword) -> ranked doc ids."""
    run = {q: fusion(d, k) for q, (d, k) in hits.items()}
    return ref.evaluate(run, qrels)


# ---------------------------------------------------------------- the two halves


def read_hits(path):
    hits = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            qid, doc, score = line.rstrip("\n").split("\t")
            hits.setdefault(qid, []).append((doc, float(score)))
    return hits


def keyword_hits(db, queries, top):
    out = {}
    for qid, text in queries.items():
        match = ref.fts5_query(text)
        rows = db.execute("SELECT doc_id, bm25(docs) FROM docs WHERE docs MATCH ? ORDER BY bm25(docs), doc_id LIMIT ?",
                          (match, top)).fetchall() if match else []
        out[qid] = [(d, s) for d, s in rows]
    return out


def dense_hits_for(dataset, corpus, queries, top):
    import reference_dense_minilm as dense  # numpy + tokenizers: only when the dense half is computed here
    model = dense.MiniLM()
    name = os.path.basename(os.path.normpath(dataset))
    doc_ids = [d for d, _, _ in corpus]
    vectors = dense.cached_embeddings(model, f"{name}-corpus", doc_ids, [f"{t} {x}".strip() for _, t, x in corpus])
    query_ids = list(queries)
    query_vectors = model.encode([queries[q] for q in query_ids])
    return dense.dense_hits(doc_ids, vectors, query_vectors, query_ids, top)


# ---------------------------------------------------------------- study


def row(name, report):
    return f"{name:<40} {report['ndcg_at_10']:.4f}   {report['recall_at_100']:.4f}   {report['mrr_at_10']:.4f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("dataset")
    parser.add_argument("--top", type=int, default=100, help="depth of each half before fusion")
    parser.add_argument("--dense-hits", action="append", default=[], help="SPLIT=FILE")
    parser.add_argument("--keyword-hits", action="append", default=[], help="SPLIT=FILE")
    parser.add_argument("--limit-queries", type=int, default=0, help="first N queries of each split (smoke runs)")
    args = parser.parse_args()
    given_dense = dict(x.split("=", 1) for x in args.dense_hits)
    given_keyword = dict(x.split("=", 1) for x in args.keyword_hits)

    corpus = ref.load_corpus(args.dataset)
    queries = ref.load_queries(args.dataset)
    db = None
    hits, qrels = {}, {}
    for split in ("train", "test"):
        qrels[split] = ref.load_qrels(args.dataset, split)
        if args.limit_queries:
            qrels[split] = dict(list(qrels[split].items())[: args.limit_queries])
        split_queries = {q: queries[q] for q in qrels[split]}
        if split in given_keyword:
            keyword = read_hits(given_keyword[split])
        else:
            db = db or ref.build_index(corpus)
            keyword = keyword_hits(db, split_queries, args.top)
        dense = read_hits(given_dense[split]) if split in given_dense else \
            dense_hits_for(args.dataset, corpus, split_queries, args.top)
        hits[split] = {q: (dense.get(q, []), keyword.get(q, [])) for q in qrels[split]}

    # Tune on train only.
    grids = {
        "rrf": ([1, 2, 5, 10, 20, 30, 40, 60, 80, 100, 150, 200], lambda k: (lambda d, w: rrf(d, w, k))),
        "min-max": ([i / 20 for i in range(21)], lambda a: (lambda d, w: min_max(d, w, a))),
        "z-score": ([i / 20 for i in range(21)], lambda a: (lambda d, w: z_score(d, w, a))),
    }
    chosen = {}
    print(f"train ({len(qrels['train'])} queries) nDCG@10 by parameter:")
    for name, (values, make) in grids.items():
        scores = [(fuse_and_evaluate(hits["train"], qrels["train"], make(v))["ndcg_at_10"], v) for v in values]
        print(f"  {name:<8} " + "  ".join(f"{v:g}:{s:.4f}" for s, v in scores))
        best = max(scores, key=lambda sv: (sv[0], -abs(sv[1] - (60 if name == "rrf" else 0.5))))
        chosen[name] = best[1]

    print(f"\ntest ({len(qrels['test'])} queries), halves at depth {args.top}:")
    print(f"{'retriever':<40} nDCG@10  Recall@100  MRR@10")
    test = hits["test"]
    print(row("dense (MiniLM-L6, numpy reference)", fuse_and_evaluate(test, qrels["test"], lambda d, w: [x for x, _ in ordered_dense(d)])))
    print(row("keyword (FTS5 bm25, porter)", fuse_and_evaluate(test, qrels["test"], lambda d, w: [x for x, _ in ordered_keyword(w)])))
    print(row("hybrid RRF k=60", fuse_and_evaluate(test, qrels["test"], grids["rrf"][1](60))))
    print(row("hybrid min-max 0.5/0.5", fuse_and_evaluate(test, qrels["test"], grids["min-max"][1](0.5))))
    print(row("hybrid z-score 0.5/0.5", fuse_and_evaluate(test, qrels["test"], grids["z-score"][1](0.5))))
    for name in grids:
        label = f"hybrid {name} {'k' if name == 'rrf' else 'w_dense'}={chosen[name]:g} (train)"
        print(row(label, fuse_and_evaluate(test, qrels["test"], grids[name][1](chosen[name]))))


if __name__ == "__main__":
    main()
