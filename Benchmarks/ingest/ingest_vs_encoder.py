#!/usr/bin/env python3
"""Ingest throughput beside the encoder's own, on the same chunks, in one run (issue 15).

For each corpus: `trove ingest` into a fresh index (timed), then the exact texts the ingest gave
the encoder (each chunk after its context line, read back from the index) through
`trove embed --json-input -` (timed). The share is encoder time / ingest time: 100% means the
ingest costs nothing beyond the encoder. Medians over --runs; the shipped binary, default flags.

  python3 Benchmarks/ingest/ingest_vs_encoder.py --corpus scifact-2k=/tmp/scifact-2k.jsonl \\
      --corpus python-docs=$HOME/.cache/trove-bench/python-docs/pages --runs 3
"""
import argparse, json, os, platform, sqlite3, statistics, subprocess, tempfile, time
from pathlib import Path


def cpu_name():
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor()


def timed(command, stdin=None):
    source = open(stdin, "rb") if stdin else subprocess.DEVNULL
    start = time.perf_counter()
    result = subprocess.run(command, stdin=source, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    seconds = time.perf_counter() - start
    if stdin:
        source.close()
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed: {result.stderr.decode()[-500:]}")
    return seconds, result.stdout


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--trove", default=str(Path(__file__).resolve().parents[2] / ".build/release/trove"))
    parser.add_argument("--corpus", action="append", required=True, help="NAME=PATH (a folder or a .jsonl file)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"CPU: {cpu_name()}, {os.cpu_count()} cores; OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(unset)')}")
    print(f"{'corpus':<14} {'docs':>6} {'chunks':>7} {'ingest s':>9} {'docs/s':>7} {'chunks/s':>9} {'encoder s':>10} {'encoder chunks/s':>17} {'share':>6}")
    for spec in args.corpus:
        name, path = spec.split("=", 1)
        ingests, encodes = [], []
        with tempfile.TemporaryDirectory() as work:
            texts = Path(work) / "texts.jsonl"
            for run in range(args.runs):
                index = Path(work) / f"index-{run}.sqlite"
                seconds, out = timed([args.trove, "ingest", "--json", "--index", str(index), path])
                report = json.loads(out)
                ingests.append(seconds)
                if run == 0:
                    db = sqlite3.connect(index)
                    rows = db.execute("SELECT text, context FROM chunks ORDER BY id").fetchall()
                    documents = db.execute("SELECT count(*) FROM documents").fetchone()[0]
                    db.close()
                    with open(texts, "w") as f:
                        for text, context in rows:
                            f.write(json.dumps(f"{context}\n{text}" if context else text) + "\n")
                    chunks = len(rows)
                    assert chunks == report["chunks_written"], (chunks, report)
                seconds, _ = timed([args.trove, "embed", "--json-input", "-"], stdin=texts)
                encodes.append(seconds)
        ingest, encode = statistics.median(ingests), statistics.median(encodes)
        print(f"{name:<14} {documents:>6} {chunks:>7} {ingest:>9.1f} {documents / ingest:>7.1f} {chunks / ingest:>9.1f} "
              f"{encode:>10.1f} {chunks / encode:>17.1f} {encode / ingest:>6.0%}")


if __name__ == "__main__":
    main()
