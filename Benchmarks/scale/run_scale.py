#!/usr/bin/env python3
"""How Trove's costs grow with the index: 10k, 100k, 1M (3M) chunks, beside FAISS and sqlite-vec.

Usage (from the repository root, after `swift build -c release`):
    .build/scale-venv/bin/python Benchmarks/scale/run_scale.py [--sizes 10000 100000 1000000] [--runs 5]

The venv: `python3 -m venv .build/scale-venv && .build/scale-venv/bin/pip install numpy faiss-cpu
sqlite-vec pysqlite3-binary` (the system sqlite3 module cannot load extensions).

One index in .build/scale/ is grown step by step (grow_index.py, through the schema, no encoder
run); at each size, with the page cache warm, every figure is a whole process timed by
/usr/bin/time (wall seconds and peak RSS), median of --runs runs:
  - the first `trove search` after the growth (it extends or builds `<index>-vectors`), once;
  - `trove search -k 10 --json` in each mode (hybrid, dense, keyword), shipped binary, default flags;
  - `trove stats`; `trove ingest` of one more small file;
  - FAISS: a Python process that `read_index`es an IndexFlatL2 of the same vectors and searches
    the same query vector (Trove's own embedding of the query, from `trove embed`);
  - sqlite-vec: a Python process that opens a vec0 table of the same vectors and runs one KNN query;
  - `trove serve`: POST /v1/search latency (median of 20 after 3 warm-ups) and resident memory.
Prints a Markdown table per size and writes .build/scale/results.json. Nothing here sets an
environment variable for Trove; the OpenBLAS core in force is printed from the environment.
"""
import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WORK = os.path.join(ROOT, ".build", "scale")
TROVE = os.path.join(ROOT, ".build", "release", "trove")
SEED_INDEX = os.path.join(WORK, "index-seed.sqlite")
SEED_VECTORS = os.path.join(WORK, "vectors-seed.f32")
INDEX = VECTORS = None  # the index and vector file of the size being measured (one pair per size)
QUERY = "storm damage to the harbour pier lighthouse"
QUESTION = "which valve did the harbour crew replace after the winter storm"
PY = sys.executable


def timed(cmd, stdin=None):
    """(wall seconds, peak RSS MB, stdout) of one process, from GNU time."""
    out = subprocess.run(["/usr/bin/time", "-f", "TIME %e %M"] + cmd, capture_output=True, text=True, input=stdin)
    m = re.search(r"TIME ([\d.]+) (\d+)", out.stderr)
    if out.returncode != 0 or not m:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{out.stderr[-2000:]}")
    return float(m.group(1)), int(m.group(2)) / 1024, out.stdout


def median_of(cmd, runs):
    timed(cmd)  # warm-up
    results = [timed(cmd) for _ in range(runs)]
    return statistics.median(r[0] for r in results), max(r[1] for r in results)


def setup():
    os.makedirs(WORK, exist_ok=True)
    if os.path.exists(SEED_INDEX):
        return
    seed = os.path.join(WORK, "seed")
    os.makedirs(seed, exist_ok=True)
    with open(os.path.join(seed, "pier.txt"), "w") as f:
        f.write("The storm damaged the north pier of the harbour; the lighthouse keeper logged the repair.\n")
    subprocess.run([TROVE, "ingest", "--index", SEED_INDEX, seed], check=True, capture_output=True)
    # The ingested chunk's vector starts the shared vector file, so all tools see the same rows.
    import sqlite3
    import numpy as np
    db = sqlite3.connect(SEED_INDEX)
    rows = db.execute("SELECT chunk_id, embedding FROM vectors ORDER BY chunk_id").fetchall()
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    with open(SEED_VECTORS, "wb") as vf, open(SEED_VECTORS + ".ids", "wb") as idf:
        for chunk_id, blob in rows:
            vf.write(blob)
            idf.write(np.array([chunk_id], dtype="<i8").tobytes())


def grow(n, previous):
    """index-N.sqlite: a copy of the previous size's index grown to N chunks (kept for later runs)."""
    global INDEX, VECTORS
    INDEX, VECTORS = os.path.join(WORK, f"index-{n}.sqlite"), os.path.join(WORK, f"vectors-{n}.f32")
    if not os.path.exists(INDEX + ".done"):
        source_index, source_vectors = previous
        for suffix in ["", "-wal", "-shm", "-vectors"]:
            if os.path.exists(INDEX + suffix):
                os.remove(INDEX + suffix)
        shutil.copyfile(source_index, INDEX)
        shutil.copyfile(source_vectors, VECTORS)
        shutil.copyfile(source_vectors + ".ids", VECTORS + ".ids")
        subprocess.run([PY, os.path.join(ROOT, "Benchmarks", "scale", "grow_index.py"), INDEX, VECTORS, str(n)], check=True)
        open(INDEX + ".done", "w").close()
    return INDEX, VECTORS


def query_vector():
    path = os.path.join(WORK, "query.f32")
    if not os.path.exists(path):
        out = subprocess.run([TROVE, "embed", "--json", QUERY], check=True, capture_output=True, text=True).stdout
        data = json.loads(out)
        vector = data[0]["embedding"] if isinstance(data, list) else (data.get("embeddings") or data.get("vectors") or [data.get("embedding")])[0]
        import numpy as np
        np.array(vector, dtype="<f4").tofile(path)
    return path


def build_competitors(n):
    """FAISS and sqlite-vec files over the same vectors (not timed)."""
    import numpy as np
    faiss_path = os.path.join(WORK, f"faiss-{n}.index")
    vec_path = os.path.join(WORK, f"sqlite-vec-{n}.db")
    vectors = np.fromfile(VECTORS, dtype="<f4").reshape(-1, 384)
    if not os.path.exists(faiss_path):
        import faiss
        index = faiss.IndexFlatL2(384)
        index.add(vectors)
        faiss.write_index(index, faiss_path)
    if not os.path.exists(vec_path):
        import pysqlite3 as sqlite3
        import sqlite_vec
        db = sqlite3.connect(vec_path)
        db.enable_load_extension(True)
        sqlite_vec.load(db)
        db.execute("CREATE VIRTUAL TABLE v USING vec0(embedding float[384])")
        db.execute("BEGIN")
        for start in range(0, len(vectors), 10000):
            block = vectors[start:start + 10000]
            db.executemany("INSERT INTO v(rowid, embedding) VALUES (?, ?)",
                           ((start + i + 1, block[i].tobytes()) for i in range(len(block))))
        db.execute("COMMIT")
        db.close()
    return faiss_path, vec_path


FAISS_ONE_SHOT = """
import sys, numpy as np, faiss
index = faiss.read_index(sys.argv[1])
q = np.fromfile(sys.argv[2], dtype='<f4').reshape(1, -1)
d, i = index.search(q, 10)
print(i[0].tolist())
"""

SQLITE_VEC_ONE_SHOT = """
import sys, pysqlite3 as sqlite3, sqlite_vec
db = sqlite3.connect(sys.argv[1])
db.enable_load_extension(True)
sqlite_vec.load(db)
q = open(sys.argv[2], 'rb').read()
rows = db.execute('SELECT rowid, distance FROM v WHERE embedding MATCH ? AND k = 10', (q,)).fetchall()
print([r[0] for r in rows])
"""


def serve_figures(runs=20):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([TROVE, "serve", "--index", INDEX, "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        body = json.dumps({"query": QUERY, "k": 10}).encode()
        deadline = time.time() + 120
        while True:
            try:
                request = urllib.request.Request(f"http://127.0.0.1:{port}/v1/search", data=body,
                                                 headers={"Content-Type": "application/json"})
                urllib.request.urlopen(request, timeout=60).read()
                break
            except Exception:
                if time.time() > deadline or server.poll() is not None:
                    return None
                time.sleep(0.2)
        latencies = []
        for i in range(runs + 3):
            started = time.perf_counter()
            urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{port}/v1/search", data=body,
                                                          headers={"Content-Type": "application/json"}),
                                   timeout=60).read()
            if i >= 3:
                latencies.append(time.perf_counter() - started)
        status = open(f"/proc/{server.pid}/status").read()
        rss = int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024
        hwm = int(re.search(r"VmHWM:\s+(\d+)", status).group(1)) / 1024
        return statistics.median(latencies), rss, hwm
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


def measure(n, runs, with_server):
    row = {"chunks": n}
    search = [TROVE, "search", "--index", INDEX, "-k", "10", "--json"]
    row["first_search"] = timed(search + [QUERY])[:2]
    for mode in ["hybrid", "dense", "keyword"]:
        row[f"search_{mode}"] = median_of(search + ["--mode", mode, QUERY], runs)
    row["stats"] = median_of([TROVE, "stats", "--index", INDEX], runs)
    ingests = []
    for i in range(3):
        folder = os.path.join(WORK, f"extra-{n}-{i}")
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "note.txt"), "w") as f:
            f.write(f"Note {n}-{i}: the harbour crew replaced valve {n * 10 + i} after the winter storm.\n")
        ingests.append(timed([TROVE, "ingest", "--index", INDEX, folder]))
    row["ingest_one_file"] = (statistics.median(r[0] for r in ingests), max(r[1] for r in ingests))
    row["search_after_ingest"] = timed(search + [QUERY])[:2]
    # A question the notes just ingested answer (so `ask` exits 0), in a fresh process each time.
    row["ask"] = median_of([TROVE, "ask", "--index", INDEX, "--json", QUESTION], runs)
    faiss_path, vec_path = build_competitors(n)
    q = query_vector()
    row["faiss_one_shot"] = median_of([PY, "-c", FAISS_ONE_SHOT, faiss_path, q], runs)
    row["sqlite_vec_one_shot"] = median_of([PY, "-c", SQLITE_VEC_ONE_SHOT, vec_path, q], runs)
    if with_server:
        row["serve"] = serve_figures()
    return row


def table(row):
    lines = [f"### {row['chunks']:,} chunks", "", "| what | wall s (median) | peak RSS MB |", "|---|---|---|"]
    names = [("first_search", "first `trove search` after growing (extends/builds the vector file)"),
             ("search_hybrid", "`trove search -k 10 --json` (hybrid)"),
             ("search_dense", "`trove search --mode dense`"),
             ("search_keyword", "`trove search --mode keyword`"),
             ("stats", "`trove stats`"),
             ("ingest_one_file", "`trove ingest` one more small file"),
             ("search_after_ingest", "first search after that ingest (appends one row)"),
             ("ask", "`trove ask --json` (a process per question: encoder, decoder, retrieval, answer)"),
             ("faiss_one_shot", "FAISS: `read_index` + one search (Python process)"),
             ("sqlite_vec_one_shot", "sqlite-vec: open + one KNN query (Python process)")]
    for key, label in names:
        if key not in row:
            continue  # a saved result from before this row was measured
        wall, rss = row[key]
        lines.append(f"| {label} | {wall:.3f} | {rss:.0f} |")
    if row.get("serve"):
        latency, rss, hwm = row["serve"]
        lines.append(f"| `trove serve`: POST /v1/search (median of 20) | {latency:.3f} | {rss:.0f} resident ({hwm:.0f} peak) |")
    return "\n".join(lines)


def main():
    global TROVE
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 100000, 1000000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-serve", action="store_true")
    parser.add_argument("--grow-only", action="store_true", help="only build the indexes")
    parser.add_argument("--trove", default=TROVE, help="the trove binary to measure")
    parser.add_argument("--label", default="results", help="name of the JSON written in .build/scale/")
    args = parser.parse_args()
    TROVE = args.trove
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    print(f"CPU: {cpu}, {os.cpu_count()} cores; OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(unset: OpenBLAS detects)')}")
    print(subprocess.run([TROVE, "--version"], capture_output=True, text=True).stdout.strip())
    setup()
    results = []
    previous = (SEED_INDEX, SEED_VECTORS)
    for n in sorted(args.sizes):
        previous = grow(n, previous)
        if args.grow_only:
            continue
        row = measure(n, args.runs, not args.no_serve)
        results.append(row)
        print(table(row), flush=True)
        print()
    with open(os.path.join(WORK, f"{args.label}.json"), "w") as f:
        json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
