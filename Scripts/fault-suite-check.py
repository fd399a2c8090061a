#!/usr/bin/env python3
"""Helpers of Scripts/fault-suite.sh: make a corpus, change it, and check an index file.

  fault-suite-check.py corpus DIR N          writes N documents (txt, md, one jsonl) into DIR
  fault-suite-check.py mutate DIR            edits 3 files, deletes 2, renames 2, adds 2, edits the jsonl
  fault-suite-check.py check INDEX           PRAGMA integrity_check + Trove's invariants; prints problems
  fault-suite-check.py compare INDEX REF     same documents, titles, chunks, vectors (|d| < 1e-4) as REF
  fault-suite-check.py kill PID INDEX N SEC  kill -9 PID as soon as INDEX holds N more documents than
                                             at the start (or after SEC seconds): a kill mid-run

Exit 0 when all is well, 1 with one line per problem otherwise. Only the standard library.
"""
import json, os, random, sqlite3, struct, sys

WORDS = ("lighthouse gannet storm lens keeper harbour wave night fog beacon rock tide signal "
         "lamp tower coast ship wreck gale rope bell cliff sand shore pier anchor chart compass").split()


def sentence(rng, n=14):
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def corpus(folder, count):
    rng = random.Random(1853)
    os.makedirs(os.path.join(folder, "notes"), exist_ok=True)
    for i in range(count):
        paragraphs = ["\n".join(sentence(rng) for _ in range(rng.randint(3, 9))) for _ in range(rng.randint(1, 6))]
        if i % 3 == 0:
            text = f"# Keeper's note {i}\n\n" + "\n\n".join(paragraphs) + "\n"
            name = f"notes/note{i:03d}.md"
        else:
            text = "\n\n".join(paragraphs) + "\n"
            name = f"doc{i:03d}.txt"
        with open(os.path.join(folder, name), "w") as f:
            f.write(text)
    with open(os.path.join(folder, "records.jsonl"), "w") as f:
        for r in range(8):
            f.write(json.dumps({"_id": f"r{r}", "title": f"Record {r}", "text": sentence(rng, 30)}) + "\n")


def mutate(folder):
    rng = random.Random(1869)
    files = sorted(os.path.join(d, n) for d, _, ns in os.walk(folder) for n in ns if not n.endswith(".jsonl"))
    for path in files[0:3]:                                    # edited
        with open(path, "a") as f:
            f.write("\n" + sentence(rng) + "\n")
    for path in files[3:5]:                                    # deleted
        os.remove(path)
    for path in files[5:7]:                                    # renamed (the title of a .txt follows)
        head, name = os.path.split(path)
        os.rename(path, os.path.join(head, "renamed-" + name))
    for n in range(2):                                         # added
        with open(os.path.join(folder, f"added{n}.txt"), "w") as f:
            f.write("\n".join(sentence(rng) for _ in range(6)) + "\n")
    path = os.path.join(folder, "records.jsonl")               # one record edited, one removed
    lines = open(path).read().splitlines()
    record = json.loads(lines[0]); record["text"] += " " + sentence(rng)
    lines[0] = json.dumps(record)
    del lines[1]
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def connect(path):
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def check(path):
    db = connect(path)
    problems = []
    result = db.execute("PRAGMA integrity_check").fetchall()
    if result != [("ok",)]:
        problems.append(f"integrity_check: {result[:3]}")
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
    if "documents" not in tables:
        return problems        # killed before the schema was committed: an empty file is consistent
    q = lambda sql: db.execute(sql).fetchone()[0]
    if q("SELECT count(*) FROM chunks WHERE document_id NOT IN (SELECT id FROM documents)"):
        problems.append("chunks without a document")
    if "vectors" in tables:
        if q("SELECT count(*) FROM chunks WHERE id NOT IN (SELECT chunk_id FROM vectors)"):
            problems.append("chunks without a vector")
        if q("SELECT count(*) FROM vectors WHERE chunk_id NOT IN (SELECT id FROM chunks)"):
            problems.append("vectors without a chunk")
        dimension = db.execute("SELECT value FROM metadata WHERE key = 'dimension'").fetchone()
        if dimension and q(f"SELECT count(*) FROM vectors WHERE length(embedding) <> 4 * {int(dimension[0])}"):
            problems.append("vectors of the wrong length")
    if q("SELECT count(*) FROM documents WHERE id NOT IN (SELECT rowid FROM documents_fts)") or \
       q("SELECT count(*) FROM documents_fts WHERE rowid NOT IN (SELECT id FROM documents)"):
        problems.append("documents_fts out of step with documents")
    if q("SELECT count(*) FROM chunks_fts") != q("SELECT count(*) FROM chunks"):
        problems.append("chunks_fts out of step with chunks")
    # FTS5's own check, on a copy (it is a write statement).
    mem = sqlite3.connect(":memory:")
    db.backup(mem)
    for table in ("chunks_fts", "documents_fts"):
        try:
            mem.execute(f"INSERT INTO {table}({table}, rank) VALUES ('integrity-check', 1)")
        except sqlite3.DatabaseError as error:
            problems.append(f"{table} integrity-check: {error}")
    return problems


def snapshot(path):
    db = connect(path)
    docs = {}
    for doc_id, p, h, title, fmt, size in db.execute(
            "SELECT id, path, content_hash, title, format, size FROM documents"):
        chunks = db.execute("SELECT id, ordinal, text, start, \"end\" FROM chunks WHERE document_id = ? ORDER BY ordinal",
                            (doc_id,)).fetchall()
        vectors = []
        for chunk_id, *_ in chunks:
            row = db.execute("SELECT embedding FROM vectors WHERE chunk_id = ?", (chunk_id,)).fetchone()
            vectors.append(struct.unpack(f"<{len(row[0]) // 4}f", row[0]) if row else None)
        docs[p] = dict(hash=h, title=title, format=fmt, size=size,
                       chunks=[c[1:] for c in chunks], vectors=vectors)
    return docs


def compare(path, ref):
    a, b = snapshot(path), snapshot(ref)
    problems = []
    for p in sorted(set(a) ^ set(b)):
        problems.append(f"document {p} only in {'the resumed index' if p in a else 'the reference'}")
    for p in sorted(set(a) & set(b)):
        x, y = a[p], b[p]
        for key in ("hash", "title", "format", "size", "chunks"):
            if x[key] != y[key]:
                problems.append(f"{p}: {key} differs ({str(x[key])[:60]} vs {str(y[key])[:60]})")
        for n, (u, v) in enumerate(zip(x["vectors"], y["vectors"])):
            if u is None or v is None or len(u) != len(v) or max(abs(s - t) for s, t in zip(u, v)) > 1e-4:
                problems.append(f"{p}: vector of chunk {n} differs")
                break
    return problems


def count(path):
    try:
        return connect(path).execute("SELECT count(*) FROM documents").fetchone()[0]
    except sqlite3.Error:
        return 0


def kill_after(pid, path, more, seconds):
    import signal, time
    deadline = time.time() + seconds
    start = count(path) if os.path.exists(path) else 0
    while time.time() < deadline and (not os.path.exists(path) or count(path) - start < more):
        time.sleep(0.002)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    if command == "kill":
        kill_after(int(args[0]), args[1], int(args[2]), float(args[3]))
    elif command == "count":
        print(count(args[0]))
    elif command == "corpus":
        corpus(args[0], int(args[1]))
    elif command == "mutate":
        mutate(args[0])
    else:
        found = check(args[0]) if command == "check" else compare(args[0], args[1])
        for line in found:
            print(line)
        sys.exit(1 if found else 0)
