#!/usr/bin/env python3
"""Where each wrong answer of a qa_benchmark.py run was lost: retrieval or the answer step.

    Benchmarks/answers/where_answers_fail.py RUN.json [--trove PATH] [-k 5]

RUN.json is qa_benchmark.py's --json-out. For each covered question not answered correctly, it runs
`trove search --json -k K` on the same index and sorts the question into:
  A  the gold page is not among the K passages (retrieval lost it);
  B  a passage of the gold page holding a gold form was retrieved (rank shown): the answer step
     (evidence sentence, quote or short answer) lost it;
  C  the gold page was retrieved, but none of its passages holds a gold form.
"""
import argparse, json, subprocess, sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from qa_benchmark import ROOT, gold_found, same_page  # noqa: E402

parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
parser.add_argument("run")
parser.add_argument("--trove", default=str(ROOT / ".build/release/trove"))
parser.add_argument("-k", default="5")
args = parser.parse_args()
run = json.load(open(args.run))
index = run["summary"]["index"]
kinds = {}
for r in run["covered"]:
    if r["correct"]:
        continue
    out = subprocess.run([args.trove, "search", "--index", index, "--json", "-k", args.k, r["question"]],
                         capture_output=True, text=True).stdout
    hits = json.loads(out)["results"]
    page = [i for i, h in enumerate(hits) if same_page(h["path"], r["page"])]
    gold = [i for i in page if gold_found(r["gold"], hits[i]["text"])]
    kind = "A" if not page else ("B" if gold else "C")
    kinds.setdefault(kind, []).append(r["id"])
    print(r["id"], kind, f"rank {gold[0] + 1}" if gold else "")
for kind in sorted(kinds):
    print(kind, len(kinds[kind]), " ".join(kinds[kind]))
