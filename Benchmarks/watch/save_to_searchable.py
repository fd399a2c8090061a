"""How long from a file's save to its being searchable, with `trove watch` running.

Starts `trove watch FOLDER --index INDEX` (the shipped binary, default flags), waits for its first
ingest, then N times: saves a new Markdown note into the folder (written in place, or written
aside and renamed over, as editors do), and polls the index (read-only SQLite, every 10 ms) until
the note's document row is committed: from then on `trove search` finds it. Prints each latency
and the median; removes the notes afterwards.

    python3 Benchmarks/watch/save_to_searchable.py --trove .build/release/trove \
        --folder ~/.cache/trove-bench/python-docs/pages --index /tmp/watch.sqlite --saves 20
"""
import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import time

parser = argparse.ArgumentParser()
parser.add_argument("--trove", required=True)
parser.add_argument("--folder", required=True)
parser.add_argument("--index", required=True)
parser.add_argument("--saves", type=int, default=20)
args = parser.parse_args()

folder = os.path.realpath(args.folder)
watch = subprocess.Popen([args.trove, "watch", "--index", args.index, folder],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
first = watch.stdout.readline()          # the first round: the catch-up ingest
print("first ingest:", first.strip(), file=sys.stderr)


def committed(path):
    database = sqlite3.connect(f"file:{args.index}?mode=ro", uri=True)
    try:
        return database.execute("SELECT 1 FROM documents WHERE path = ?", (path,)).fetchone() is not None
    finally:
        database.close()


latencies, notes = [], []
try:
    for n in range(args.saves):
        note = os.path.join(folder, f"watch-bench-note-{os.getpid()}-{n}.md")
        notes.append(note)
        text = f"# Note {n}\n\nThe watch benchmark wrote this note, number {n}, about tide pools and herons.\n"
        started = time.monotonic()
        if n % 2 == 0:
            with open(note, "w") as handle:
                handle.write(text)
        else:
            aside = os.path.join(folder, f".watch-bench-{n}.tmp")
            with open(aside, "w") as handle:
                handle.write(text)
            os.rename(aside, note)
        while not committed(note):
            if time.monotonic() - started > 30:
                raise SystemExit(f"note {n} not searchable after 30 s")
            time.sleep(0.01)
        latencies.append(time.monotonic() - started)
        print(f"save {n:2d} ({'in place' if n % 2 == 0 else 'write and rename'}): {latencies[-1]:.3f} s")
        time.sleep(0.5)
finally:
    for note in notes:
        if os.path.exists(note):
            os.remove(note)
    time.sleep(1.5)
    watch.terminate()
    watch.wait(timeout=30)

print(f"median {statistics.median(latencies):.3f} s, min {min(latencies):.3f} s, max {max(latencies):.3f} s "
      f"over {len(latencies)} saves (folder {folder})")
