#!/usr/bin/env python3
"""Cold-start latency of `trove ask` as a user gets it, and 1 vs 2 threads under competing load.

1. `ask`: N cold processes of the shipped binary with default flags on the demo index, each
   `trove ask --json QUESTION`; reports the median wall time of the whole process (the answer is
   shown once, when it is known: first output = whole answer) and the median split that the JSON
   reports (load, retrieval, evidence, prefill, candidate scoring).
2. `threads`: `trove generate --raw --max-tokens 128 --temperature 0 --repetition-penalty 1` with
   `--threads 1` and `--threads 2`, interleaved, while two busy processes compete for the 2 cores;
   reports the median decode speed of each (2 threads must not be slower than 1).

Usage: Benchmarks/answers/ask_latency.py [--trove .build/release/trove] [--index Indexes/demo.sqlite] [-n 10]
Sets no environment variable of its own; prints the OpenBLAS core in force (OPENBLAS_CORETYPE as set).
"""
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
QUESTIONS = [
    "How long did the Tollan Point siren's longest continuous run last?",
    "Who was the captain of the Halcyon?",
    "How many granite blocks make up the Marrow Rock tower?",
    "What is the focal length of a first-order Fresnel lens?",
    "On what date was the Marrow Rock light first exhibited?",
]


def argument(name, default):
    args = sys.argv[1:]
    return args[args.index(name) + 1] if name in args else default


def busy(stop_at):
    while time.time() < stop_at:
        pass


def main():
    trove = argument("--trove", str(ROOT / ".build/release/trove"))
    index = argument("--index", str(ROOT / "Indexes/demo.sqlite"))
    runs = int(argument("-n", "10"))
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    flags = next((l for l in open("/proc/cpuinfo") if l.startswith("flags")), "")
    print(f"CPU: {cpu} ({'AVX-512' if 'avx512f' in flags else 'AVX2'}), {os.cpu_count()} cores; "
          f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(unset)')}")
    if not Path(index).exists():
        subprocess.run([trove, "ingest", "--index", index, str(ROOT / "Corpora")], check=True, capture_output=True)

    walls, parts = [], {k: [] for k in ["load_seconds", "retrieval_seconds", "evidence_seconds",
                                        "prefill_seconds", "decode_seconds", "total_seconds"]}
    for i in range(runs):
        question = QUESTIONS[i % len(QUESTIONS)]
        start = time.perf_counter()
        out = subprocess.run([trove, "ask", "--index", index, "--json", question], capture_output=True, text=True)
        walls.append(time.perf_counter() - start)
        timings = json.loads(out.stdout)["timings"]
        for key in parts:
            parts[key].append(timings[key])
    print(f"\nask, {runs} cold processes, default flags: whole process (first output = whole answer) "
          f"median {statistics.median(walls):.2f} s (min {min(walls):.2f}, max {max(walls):.2f})")
    print("  inside the process, medians: " + ", ".join(f"{k.replace('_seconds', '')} {statistics.median(v):.3f} s" for k, v in parts.items()))

    rates = {1: [], 2: []}
    stop_at = time.time() + 3600
    competitors = [multiprocessing.Process(target=busy, args=(stop_at,)) for _ in range(2)]
    for p in competitors:
        p.start()
    try:
        for _ in range(max(3, runs // 2)):
            for threads in (1, 2):
                out = subprocess.run([trove, "generate", "--raw", "--max-tokens", "128", "--temperature", "0",
                                      "--repetition-penalty", "1", "--json", "--threads", str(threads),
                                      "The lighthouse keeper"], capture_output=True, text=True)
                rates[threads].append(json.loads(out.stdout)["timings"]["generated_tokens_per_second"])
    finally:
        for p in competitors:
            p.terminate()
    print(f"\ngenerate under 2 busy competing processes, decode tokens/s, medians: "
          f"--threads 1 {statistics.median(rates[1]):.1f}, --threads 2 {statistics.median(rates[2]):.1f} "
          f"(ratio 2/1 = {statistics.median(rates[2]) / statistics.median(rates[1]):.2f})")


if __name__ == "__main__":
    main()
