#!/usr/bin/env python3
"""Grow a Trove index to N chunks with synthetic documents, through the documented schema.

Usage: grow_index.py INDEX VECTORS_F32 TARGET_CHUNKS

INDEX must already exist (created by `trove ingest` of one real file, so the encoder identity and
dimension are recorded as Trove records them). Each synthetic document has 10 chunks of about 60
words drawn from a fixed vocabulary (so BM25 has real work), and each chunk a unit-norm random
float32 vector (numpy PCG64, seeded by the chunk's ordinal in the run, so a grown index is the
same whatever the steps). Rows go in exactly as Trove writes them: documents + documents_fts,
chunks (whose trigger fills chunks_fts), vectors (whose v4 triggers keep vector_set). Every
vector is also appended to VECTORS_F32 (row-major float32, with VECTORS_F32.ids as int64), the
bytes FAISS and sqlite-vec are given.
"""
import os
import sqlite3
import sys
import time

import numpy as np

CHUNKS_PER_DOCUMENT = 10
WORDS_PER_CHUNK = 60
BATCH_DOCUMENTS = 2000

COMMON = ("storm harbour pier tide lens lighthouse keeper engine valve bridge river north south "
          "winter summer report repair inspection damage wave coast ship cargo rope anchor light "
          "signal lamp glass stone iron timber crew captain weather wind rain fog night morning").split()


def vocabulary(rng):
    syllables = ["ka", "lo", "mi", "ne", "ru", "ta", "shi", "pe", "do", "ga", "zu", "ri", "ven", "tor", "al"]
    words = set(COMMON)
    while len(words) < 20000:
        n = rng.integers(2, 5)
        words.add("".join(syllables[i] for i in rng.integers(0, len(syllables), n)))
    return np.array(sorted(words))


def main():
    index, vectors_path, target = sys.argv[1], sys.argv[2], int(sys.argv[3])
    db = sqlite3.connect(index, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    dimension = int(db.execute("SELECT value FROM metadata WHERE key = 'dimension'").fetchone()[0])
    have = db.execute("SELECT count(*) FROM chunks").fetchone()[0]
    if have >= target:
        print(f"{index}: {have} chunks already (target {target})")
        return
    words = vocabulary(np.random.default_rng(1))
    # Zipf-like word frequencies: a few common words, a long tail.
    weights = 1.0 / np.arange(1, len(words) + 1)
    weights /= weights.sum()
    started = time.time()
    made = 0
    with open(vectors_path, "ab") as vf, open(vectors_path + ".ids", "ab") as idf:
        while have + made < target:
            docs = min(BATCH_DOCUMENTS, (target - have - made + CHUNKS_PER_DOCUMENT - 1) // CHUNKS_PER_DOCUMENT)
            rng = np.random.default_rng(have + made)
            n = docs * CHUNKS_PER_DOCUMENT
            vectors = rng.standard_normal((n, dimension), dtype=np.float32)
            vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
            picks = rng.choice(len(words), size=(n, WORDS_PER_CHUNK), p=weights)
            texts = [" ".join(words[row]) + "." for row in picks]
            db.execute("BEGIN")
            ids = []
            for d in range(docs):
                path = f"synthetic/{(have + made) // CHUNKS_PER_DOCUMENT + d:08d}.txt"
                chunk_texts = texts[d * CHUNKS_PER_DOCUMENT:(d + 1) * CHUNKS_PER_DOCUMENT]
                whole = " ".join(chunk_texts)
                cur = db.execute(
                    "INSERT INTO documents(path, file_path, content_hash, size, mtime, format, title, ingested_at, "
                    "extraction_version) VALUES (?, ?, ?, ?, ?, 'txt', ?, ?, 3)",
                    (path, path, f"{hash(path) & 0xffffffffffff:012x}", len(whole), time.time(), path, time.time()))
                doc_id = cur.lastrowid
                db.execute("INSERT INTO documents_fts(rowid, text) VALUES (?, ?)", (doc_id, whole))
                start = 0
                for o, text in enumerate(chunk_texts):
                    cur = db.execute(
                        "INSERT INTO chunks(document_id, ordinal, text, start, \"end\", token_count, line_start, line_end) "
                        "VALUES (?, ?, ?, ?, ?, ?, 1, 1)",
                        (doc_id, o, text, start, start + len(text), WORDS_PER_CHUNK + 1))
                    chunk_id = cur.lastrowid
                    ids.append(chunk_id)
                    db.execute("INSERT INTO vectors(chunk_id, embedding) VALUES (?, ?)",
                               (chunk_id, vectors[d * CHUNKS_PER_DOCUMENT + o].astype("<f4").tobytes()))
                    start += len(text) + 1
            db.execute("COMMIT")
            vf.write(vectors.astype("<f4").tobytes())
            idf.write(np.array(ids, dtype="<i8").tobytes())
            made += n
            if made % 100000 < n:
                rate = made / (time.time() - started)
                print(f"  {have + made} chunks ({rate:.0f} chunks/s)", flush=True)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    print(f"{index}: grew to {have + made} chunks in {time.time() - started:.0f} s")


if __name__ == "__main__":
    main()
