#!/usr/bin/env python3
"""Writes the search benchmark's vectors and queries once, as raw float32 [rows, 384] files.

Deterministic: numpy's PCG64 with fixed seeds, standard normal values, each row L2-normalised
(like sentence embeddings). The vectors are drawn in blocks of 100,000 rows from one generator,
so the file for 100k rows is the first 100k rows of the file for 1M.

Usage: make_data.py OUT_DIR N [N ...]     writes OUT_DIR/vectors-N.f32 and OUT_DIR/queries.f32
"""
import os
import sys

import numpy as np

DIM = 384
QUERIES = 256
BLOCK = 100_000


def normalised(rng, rows):
    x = rng.standard_normal((rows, DIM), dtype=np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    return x


def main():
    out, sizes = sys.argv[1], [int(s) for s in sys.argv[2:]]
    os.makedirs(out, exist_ok=True)
    queries = os.path.join(out, "queries.f32")
    if not os.path.exists(queries):
        normalised(np.random.default_rng(7), QUERIES).tofile(queries)
    for n in sizes:
        path = os.path.join(out, f"vectors-{n}.f32")
        if os.path.exists(path) and os.path.getsize(path) == n * DIM * 4:
            continue
        rng = np.random.default_rng(42)
        with open(path + ".part", "wb") as f:
            for start in range(0, n, BLOCK):
                normalised(rng, min(BLOCK, n - start)).tofile(f)
        os.replace(path + ".part", path)
        print(f"wrote {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
