#!/usr/bin/env python3
"""Answer quality of `trove ask` on the questions of Corpora/QUESTIONS.md.

For each question: runs `trove ask --json`, then scores the answer as a reading-comprehension set
is scored: `contains` (the normalised gold answer, or one of its " / " forms, occurs in the
normalised answer) and SQuAD F1 (token overlap, best over the gold forms). Prints one line per
question and the means. Usage:

    Benchmarks/answers/corpus_questions.py [--index Indexes/demo.sqlite] [--trove .build/release/trove] [-- extra ask flags]
"""
import json
import re
import string
import subprocess
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def normalise(text):
    """SQuAD's normalisation (lower case, no punctuation, no articles, single spaces) plus accents removed."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = "".join(" " if c in string.punctuation else c for c in text)
    text = re.sub(r"\b(a|an|the)\b", " ", text)
    return " ".join(text.split())


def f1(prediction, gold):
    p, g = normalise(prediction).split(), normalise(gold).split()
    common = Counter(p) & Counter(g)
    same = sum(common.values())
    if same == 0:
        return 0.0
    precision, recall = same / len(p), same / len(g)
    return 2 * precision * recall / (precision + recall)


def questions(path):
    rows = []
    for line in path.read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 4 and cells[0].isdigit():
            rows.append((int(cells[0]), cells[1], [g.strip() for g in cells[2].split(" / ")], cells[3]))
    return rows


def main():
    args = sys.argv[1:]
    extra = []
    if "--" in args:
        extra = args[args.index("--") + 1:]
        args = args[:args.index("--")]
    index = args[args.index("--index") + 1] if "--index" in args else str(ROOT / "Indexes/demo.sqlite")
    trove = args[args.index("--trove") + 1] if "--trove" in args else str(ROOT / ".build/release/trove")
    rows = questions(ROOT / "Corpora/QUESTIONS.md")
    contains_total, f1_total, supported, seconds = 0, 0.0, 0, 0.0
    for number, question, golds, source in rows:
        start = time.time()
        run = subprocess.run([trove, "ask", "--index", index, "--json", *extra, question],
                             capture_output=True, text=True)
        seconds += time.time() - start
        if run.returncode not in (0, 3):
            print(f"{number:2d} ERROR {run.stderr.strip()}")
            continue
        answer = json.loads(run.stdout)
        text = answer["answer"]
        hit = any(normalise(g) in normalise(text) for g in golds)
        score = max(f1(text, g) for g in golds)
        contains_total += hit
        f1_total += score
        supported += run.returncode == 0
        cited = sorted({Path(c["path"]).name for c in answer["citations"]})
        mark = "✓" if hit else "✗"
        print(f"{number:2d} {mark} F1 {score:.2f} exit {run.returncode}  {text!r}  gold {golds[0]!r}  cites {cited} (source {source})")
    n = len(rows)
    print(f"\n{n} questions: contains gold {contains_total}/{n} = {contains_total / n:.1%}, "
          f"mean F1 {f1_total / n * 100:.1f}, supported (exit 0) {supported}/{n}, {seconds / n:.1f} s per question")


if __name__ == "__main__":
    main()
