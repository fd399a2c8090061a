#!/usr/bin/env python3
"""Second check of the retrievers, on a different kind of data: the 25 questions of Corpora/QUESTIONS.md.

SciFact is short scientific abstracts with claims as queries; this is a small folder of long, mixed
documents (Markdown, HTML, PDF, text, Python, JSONL) about a fictional lighthouse board, with short
factual questions whose answers no model knows. Each question has a gold answer (forms separated by
" / ") and a source file. For each mode, `trove search --json --mode MODE -k 10` answers every question
and the script reports, over the 25 questions:

  answer@1, answer@5   a passage among the top 1 / 5 contains a gold form (case and accents ignored)
  answer MRR@10        1 / rank of the first passage containing a gold form (0 if none in the top 10)
  source MRR@10        1 / rank, among the distinct documents listed, of the first from the source file

Usage (from the repository root, after `swift build -c release --product trove`):
  python3 Benchmarks/quality/corpora_questions.py [--trove .build/release/trove] [--index /tmp/x.sqlite]
Only the Python standard library is needed.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def fold(text):
    """Lower case, accents removed, whitespace collapsed."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", text.lower())


def questions(path):
    rows = []
    for line in open(path, encoding="utf-8"):
        m = re.match(r"^\|\s*(\d+)\s*\|(.*)\|(.*)\|(.*)\|\s*$", line)
        if m:
            rows.append((int(m.group(1)), m.group(2).strip(), [fold(f.strip()) for f in m.group(3).split(" / ")],
                         m.group(4).strip()))
    return rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--trove", default=os.path.join(ROOT, ".build/release/trove"))
    parser.add_argument("--corpus", default=os.path.join(ROOT, "Corpora"))
    parser.add_argument("--index", default=None, help="default: a fresh file in a temporary folder")
    parser.add_argument("--modes", default="dense,keyword,hybrid")
    args = parser.parse_args()

    rows = questions(os.path.join(args.corpus, "QUESTIONS.md"))
    assert len(rows) == 25, f"expected 25 questions, parsed {len(rows)}"
    index = args.index or os.path.join(tempfile.mkdtemp(prefix="trove-corpora-"), "index.sqlite")
    subprocess.run([args.trove, "ingest", "--index", index, args.corpus], check=True, stdout=subprocess.DEVNULL)

    print(f"Corpora/QUESTIONS.md: {len(rows)} questions, index {index}")
    print(f"{'mode':8} {'answer@1':>9} {'answer@5':>9} {'answer MRR@10':>14} {'source MRR@10':>14}")
    for mode in args.modes.split(","):
        at1 = at5 = mrr = source_mrr = 0.0
        misses = []
        for number, question, forms, source in rows:
            out = subprocess.run([args.trove, "search", "--index", index, "--json", "--mode", mode, "-k", "10", question],
                                 check=True, capture_output=True, text=True).stdout
            results = json.loads(out)["results"]
            ranks = [r["rank"] for r in results if any(f in fold(r["text"]) for f in forms)]
            if ranks:
                at1 += ranks[0] == 1
                at5 += ranks[0] <= 5
                mrr += 1 / ranks[0]
            else:
                misses.append(number)
            documents = []
            for r in results:
                name = os.path.basename(r["path"].split("#")[0])
                if name not in documents:
                    documents.append(name)
            if source in documents:
                source_mrr += 1 / (documents.index(source) + 1)
        n = len(rows)
        print(f"{mode:8} {at1 / n:9.3f} {at5 / n:9.3f} {mrr / n:14.3f} {source_mrr / n:14.3f}"
              + (f"   no answer in top 10: {misses}" if misses else ""))


if __name__ == "__main__":
    sys.exit(main())
