#!/usr/bin/env python3
"""Times FAISS IndexFlatL2 (1 and 2 threads) and sqlite-vec (vec0 KNN) on the same vectors and
queries as SearchBench, checks that Trove's top-k ids equal FAISS's, and prints a table with ratios.

Usage: compare.py --data DIR --n N --trove TROVE.json [--k 10] [--batch 64] [--repeats 50]
                  [--sqlite-queries 20] [--threads 1,2]
The vectors are DIR/vectors-N.f32 ([N, 384] float32), the queries DIR/queries.f32; row r has id r.
The sqlite-vec database is built once into DIR/vec0-N.sqlite and reused.
"""
import argparse
import json
import os
import sys
import time

import numpy as np

DIM = 384


def percentile(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, round((len(s) - 1) * p))]


def time_faiss(x, queries, args):
    import faiss

    index = faiss.IndexFlatL2(DIM)
    index.add(x)
    runs, ids = [], None
    for threads in args.threads:
        faiss.omp_set_num_threads(threads)
        for q in queries[-3:]:
            index.search(q[None, :], args.k)
        latencies, found = [], []
        for q in queries[: args.repeats]:
            start = time.perf_counter()
            _, i = index.search(q[None, :], args.k)
            latencies.append(time.perf_counter() - start)
            found.append(i[0].tolist())
        ids = ids or found
        batch = queries[: args.batch]
        best = min(timed(lambda: index.search(batch, args.k)) for _ in range(3))
        # FAISS answers a batch below distance_compute_blas_threshold (128000 in 1.15) query by
        # query; with the threshold at its old value, 20, it takes the sgemm path as Trove does.
        default_threshold = faiss.cvar.distance_compute_blas_threshold
        faiss.cvar.distance_compute_blas_threshold = 20
        best_blas = min(timed(lambda: index.search(batch, args.k)) for _ in range(3))
        faiss.cvar.distance_compute_blas_threshold = default_threshold
        runs.append(dict(tool="faiss IndexFlatL2", threads=threads,
                         min=min(latencies) * 1000, median=percentile(latencies, 0.5) * 1000,
                         p95=percentile(latencies, 0.95) * 1000, qps=len(batch) / best,
                         qps_blas=len(batch) / best_blas))
    return runs, ids


def timed(body):
    start = time.perf_counter()
    body()
    return time.perf_counter() - start


def open_sqlite_vec(x, path):
    # The system Python's sqlite3 cannot load extensions; pysqlite3-binary bundles one that can.
    import pysqlite3 as sqlite3
    import sqlite_vec

    fresh = not os.path.exists(path)
    db = sqlite3.connect(path + ".part" if fresh else path)
    db.enable_load_extension(True)
    sqlite_vec.load(db)
    db.enable_load_extension(False)
    if fresh:
        db.execute(f"create virtual table items using vec0(embedding float[{DIM}])")
        step = 10_000
        for start in range(0, len(x), step):
            rows = ((r, x[r].tobytes()) for r in range(start, min(start + step, len(x))))
            db.executemany("insert into items(rowid, embedding) values (?, ?)", rows)
        db.commit()
        db.close()
        os.replace(path + ".part", path)
        return open_sqlite_vec(x, path)
    return db


def time_sqlite_vec(x, queries, args):
    db = open_sqlite_vec(x, os.path.join(args.data, f"vec0-{args.n}.sqlite"))
    sql = "select rowid, distance from items where embedding match ? and k = ? order by distance"
    for q in queries[-2:]:
        db.execute(sql, (q.tobytes(), args.k)).fetchall()
    latencies, found = [], []
    for q in queries[: args.sqlite_queries]:
        start = time.perf_counter()
        rows = db.execute(sql, (q.tobytes(), args.k)).fetchall()
        latencies.append(time.perf_counter() - start)
        found.append([r[0] for r in rows])
    # No batch API: its q/s is one query after another.
    run = dict(tool="sqlite-vec vec0", threads=1, min=min(latencies) * 1000, median=percentile(latencies, 0.5) * 1000,
               p95=percentile(latencies, 0.95) * 1000, qps=len(latencies) / sum(latencies))
    return [run], found


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", required=True)
    p.add_argument("--n", type=int, required=True)
    p.add_argument("--trove", required=True)
    p.add_argument("--k", type=int, default=10)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--repeats", type=int, default=50)
    p.add_argument("--sqlite-queries", type=int, default=20)
    p.add_argument("--threads", default="1,2")
    args = p.parse_args()
    args.threads = [int(t) for t in args.threads.split(",")]

    x = np.fromfile(os.path.join(args.data, f"vectors-{args.n}.f32"), dtype=np.float32, count=args.n * DIM)
    x = x.reshape(args.n, DIM)
    queries = np.fromfile(os.path.join(args.data, "queries.f32"), dtype=np.float32).reshape(-1, DIM)
    with open(args.trove) as f:
        trove = json.load(f)

    faiss_runs, faiss_ids = time_faiss(x, queries, args)
    sqlite_runs, sqlite_ids = time_sqlite_vec(x, queries, args)
    trove_runs = [dict(tool="trove FlatL2Index", threads=r["threads"],
                       min=r["single_ms_min"], median=r["single_ms_median"],
                       p95=r["single_ms_p95"], qps=r["batch_qps"]) for r in trove["runs"]]

    print(f"\nexact top-{args.k} search, {args.n:,} vectors × {DIM} float32, normalised random "
          f"(single query: {args.repeats} queries; batch: {args.batch} queries at once)")
    print(f"{'tool':<20} {'threads':>7} {'min ms':>8} {'median ms':>10} {'p95 ms':>9} {'batch q/s':>10} {'(sgemm path)':>13}")
    for r in faiss_runs + sqlite_runs + trove_runs:
        blas = f"{r['qps_blas']:>13.1f}" if "qps_blas" in r else ""
        print(f"{r['tool']:<20} {r['threads']:>7} {r['min']:>8.2f} {r['median']:>10.2f} {r['p95']:>9.2f} {r['qps']:>10.1f} {blas}")

    best = lambda runs, key, pick: pick(runs, key=lambda r: r[key])
    t_single = best(trove_runs, "median", min)
    f_single = best(faiss_runs, "median", min)
    s_single = sqlite_runs[0]
    for r in faiss_runs:   # FAISS's batch figure: the faster of its default and its sgemm path
        r["qps"], r["qps_default"] = max(r["qps"], r["qps_blas"]), r["qps"]
    t_batch, f_batch = best(trove_runs, "qps", max), best(faiss_runs, "qps", max)
    print("\nratios (best thread setting of each; > 1 means Trove is faster)")
    print(f"  single query vs FAISS:      {f_single['median'] / t_single['median']:.2f}×  "
          f"(FAISS {f_single['median']:.2f} ms at {f_single['threads']}t, Trove {t_single['median']:.2f} ms at {t_single['threads']}t)")
    t_min, f_min = best(trove_runs, "min", min), best(faiss_runs, "min", min)
    print(f"  single query vs FAISS, fastest of the {args.repeats} (least disturbed by other load): "
          f"{f_min['min'] / t_min['min']:.2f}×  (FAISS {f_min['min']:.2f} ms, Trove {t_min['min']:.2f} ms)")
    print(f"  single query vs sqlite-vec: {s_single['median'] / t_single['median']:.2f}×")
    print(f"  batch q/s vs FAISS:         {t_batch['qps'] / f_batch['qps']:.2f}×  "
          f"(FAISS {f_batch['qps']:.1f} q/s at {f_batch['threads']}t, Trove {t_batch['qps']:.1f} q/s at {t_batch['threads']}t)")

    same_faiss = sum(a == b for a, b in zip(trove["ids"], faiss_ids))
    same_sqlite = sum(a == b for a, b in zip(trove["ids"], sqlite_ids))
    print(f"\ntop-{args.k} ids equal to FAISS's: {same_faiss}/{len(faiss_ids)} queries; "
          f"to sqlite-vec's: {same_sqlite}/{len(sqlite_ids)}")
    consistent = all(r["same_ids_as_first_thread_count"] and r["batch_same_ids_as_single"] for r in trove["runs"])
    print(f"Trove: same ids on every thread count and in batch: {consistent}; build {trove['build_s']:.2f} s")
    if same_faiss != len(faiss_ids) or not consistent:
        sys.exit(1)


if __name__ == "__main__":
    main()
