#!/usr/bin/env python3
"""What the chunk overlap costs and what it gives (issue 15, item 2).

For each overlap (word pieces repeated between consecutive chunks, `trove ingest --chunk-overlap`):

- SciFact: `trove ingest --json` of corpus.jsonl into a fresh index (chunks, word pieces embedded,
  seconds), then `trove eval --index … --split S --mode M --json` reusing that index, nDCG@10 for
  dense, keyword and hybrid, on the train split (where the default is chosen) and on test;
- a folder of HTML pages (the 90 Python documentation pages of Benchmarks/answers): ingest, then
  `trove search --json -k 5` for each of its 128 covered questions: the gold page first (top-1),
  in the top 5, and the mean reciprocal rank of the gold page within 5.

The shipped binary, default flags but --chunk-overlap. Everything runs one process at a time.

  python3 Benchmarks/retrieval/overlap_study.py                       # overlaps 0 16 32 64
  python3 Benchmarks/retrieval/overlap_study.py --overlaps 0 32 --work /tmp/overlap
"""
import argparse, json, os, platform, shutil, subprocess, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "Benchmarks/answers"))
from qa_benchmark import same_page  # noqa: E402  (the same page matching as the answer benchmark)

DOCS = Path("/usr/share/doc/python3.11/html")


def run_json(command):
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"{' '.join(map(str, command))} failed (exit {result.returncode}): {result.stderr.strip()[-500:]}")
    return json.loads(result.stdout)


def cpu_name():
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor()


def ingest(trove, index, path, overlap):
    index.unlink(missing_ok=True)
    start = time.perf_counter()
    report = run_json([trove, "ingest", "--json", "--chunk-overlap", str(overlap), "--index", str(index), str(path)])
    return {"chunks": report["chunks_written"], "word_pieces": report["word_pieces_written"],
            "seconds": round(time.perf_counter() - start, 1)}


def scifact(trove, dataset, work, overlap, splits):
    index = work / f"scifact-overlap{overlap}.sqlite"
    row = ingest(trove, index, dataset / "corpus.jsonl", overlap)
    for split in splits:
        for mode in ("dense", "keyword", "hybrid"):
            report = run_json([trove, "eval", "--index", str(index), "--split", split, "--mode", mode, "--json", str(dataset)])
            assert report["index_reused"], "eval re-embedded the corpus: the index was not the one ingested"
            row[f"{split}_{mode}"] = round(report["ndcg_at_10"], 4)
    return row


def pages_folder(work):
    folder = work / "python-docs"
    for page in (ROOT / "Benchmarks/answers/python-docs/pages.txt").read_text().split():
        target = folder / page
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(DOCS / page, target)
    return folder


def html_folder(trove, folder, work, overlap):
    index = work / f"python-docs-overlap{overlap}.sqlite"
    row = ingest(trove, index, folder, overlap)
    questions = [json.loads(line) for line in (ROOT / "Benchmarks/answers/python-docs/questions.jsonl").read_text().splitlines()
                 if line.strip()]
    questions = [q for q in questions if q.get("covered", True)]
    top1 = top5 = 0
    reciprocal = 0.0
    for question in questions:
        results = run_json([trove, "search", "--index", str(index), "--json", "-k", "5", question["question"]])["results"]
        ranks = [i for i, result in enumerate(results[:5]) if same_page(result["path"], question["page"])]
        if ranks:
            top1 += ranks[0] == 0
            top5 += 1
            reciprocal += 1 / (ranks[0] + 1)
    n = len(questions)
    row.update({"questions": n, "top1": round(top1 / n, 4), "top5": round(top5 / n, 4), "mrr5": round(reciprocal / n, 4)})
    return row


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--trove", default=str(ROOT / ".build/release/trove"))
    parser.add_argument("--dataset", default=str(ROOT.parent / "shared/datasets/scifact"))
    parser.add_argument("--overlaps", type=int, nargs="+", default=[0, 16, 32, 64])
    parser.add_argument("--splits", nargs="+", default=["train", "test"])
    parser.add_argument("--work", default="/tmp/trove-overlap-study")
    parser.add_argument("--json-out")
    args = parser.parse_args()
    if not DOCS.is_dir():
        sys.exit(f"{DOCS} is missing: apt-get install python3.11-doc")
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    print(f"CPU: {cpu_name()}, {os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f} at start", flush=True)
    folder = pages_folder(work)
    rows = []
    for overlap in args.overlaps:
        row = {"overlap": overlap,
               "scifact": scifact(args.trove, Path(args.dataset), work, overlap, args.splits),
               "html": html_folder(args.trove, folder, work, overlap)}
        rows.append(row)
        print(json.dumps(row), flush=True)
    base = next((r for r in rows if r["overlap"] == 32), rows[0])
    print(f"\nload average {os.getloadavg()[0]:.1f} at the end")
    heads = [f"{s} {m}" for s in args.splits for m in ("dense", "keyword", "hybrid")]
    print("| overlap | SciFact chunks | word pieces (vs 32) | " + " | ".join(f"nDCG@10 {h}" for h in heads)
          + " | HTML chunks | word pieces (vs 32) | top-1 | top-5 | MRR@5 |")
    print("|" + "---|" * (3 + len(heads) + 5))
    for r in rows:
        s, h = r["scifact"], r["html"]
        cells = [str(r["overlap"]), f"{s['chunks']:,}", f"{s['word_pieces']:,} ({s['word_pieces'] / base['scifact']['word_pieces']:.3f})"]
        cells += [f"{s[f'{sp}_{m}']:.4f}" for sp in args.splits for m in ("dense", "keyword", "hybrid")]
        cells += [f"{h['chunks']:,}", f"{h['word_pieces']:,} ({h['word_pieces'] / base['html']['word_pieces']:.3f})",
                  f"{h['top1']:.3f}", f"{h['top5']:.3f}", f"{h['mrr5']:.3f}"]
        print("| " + " | ".join(cells) + " |")
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
