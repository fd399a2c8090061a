#!/usr/bin/env python3
"""Question answering and page retrieval of `trove ask` / `trove search` on a question set.

    Benchmarks/answers/qa_benchmark.py --set python-docs [--trove PATH] [--limit N] [--json-out FILE] [-- extra ask flags]
    Benchmarks/answers/qa_benchmark.py --set corpora     [...]
    Benchmarks/answers/qa_benchmark.py --set postgres-docs [...]
    Benchmarks/answers/qa_benchmark.py --set man-pages [...]

python-docs: the pages of python-docs/pages.txt, copied from /usr/share/doc/python3.11/html (package
python3.11-doc) into ${XDG_CACHE_HOME:-~/.cache}/trove-bench/python-docs/pages and ingested into
index.sqlite next to it (incremental on reruns); questions from python-docs/questions.jsonl.
corpora: Corpora/QUESTIONS.md (both tables) on Indexes/demo.sqlite, built from Corpora/ if missing.
postgres-docs: the held-out retrieval set (../retrieval/postgres-docs: 60 questions over PostgreSQL 15
pages, written before any change to `ask` and never tuned on), copied by its make_folder.sh into
${XDG_CACHE_HOME:-~/.cache}/trove-bench/postgres-docs/pages; a question may name several gold pages.
man-pages: 30 questions about command-line options (man-pages/questions.jsonl, written before `ask` was
first run on man pages) over the 40 gzip-compressed man pages of man-pages/pages.txt, copied from
/usr/share/man into ${XDG_CACHE_HOME:-~/.cache}/trove-bench/man-pages/pages. An option is matched
exactly (case kept: -C is not -c; not inside a longer option: -t is not in --time or -lt).

Per covered question: `trove ask --json` (exit code, seconds) and `trove search --json -k 5`.
  correct      a gold form occurs in the shown answer (cited_answer and answer) AND the first
               citation is the gold page; `answer ok` ignores the page, `page first` ignores the answer
  meaningless  `answer` is non-null but only stop words / function words, or has no letter or digit
  search       the gold page is the top result (top-1) or among the 5 results (top-5)
Per not-covered question: exit 3, and "invented on exit 3" (exit 3 but an answer other than
null / "" / "The documents do not cover this." is shown). --limit N takes the first N of each kind.
"""
import argparse
import json
import os
import re
import shutil
import statistics
import string
import subprocess
import sys
import time
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
DOCS = Path("/usr/share/doc/python3.11/html")
NOT_COVERED = "The documents do not cover this."
STOP_WORDS = set("""
a about above after again against all am an and any are as at be because been before being below
between both but by can could did do does doing down during each few for from further had has have
having he her here hers herself him himself his how i if in into is it its itself just me more most
my myself no nor not now of off on once only or other our ours ourselves out over own same she
should so some such than that the their theirs them themselves then there these they this those
through to too under until up very was we were what when where which while who whom why will with
would you your yours yourself yourselves
use using used uses set sets function functions method methods call calls called value values
answer question following example true false yes none null""".split())


def normalise(text):
    """As corpus_questions.py: accents removed, lower case, no punctuation, no articles, single spaces."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = "".join(" " if c in string.punctuation else c for c in text)
    text = re.sub(r"\b(a|an|the)\b", " ", text)
    return " ".join(text.split())


def occurs(needle, haystack):
    """needle in haystack, not inside a longer word ('10' is not in '100', 'auto' not in 'automatic')."""
    if not needle:
        return False
    left = r"(?<![0-9a-z])" if needle[0].isalnum() else ""
    right = r"(?![0-9a-z])" if needle[-1].isalnum() else ""
    return re.search(left + re.escape(needle) + right, haystack) is not None


def gold_found(golds, shown, exact=False):
    if exact:
        return any(re.search(r"(?<![\w-])" + re.escape(g) + r"(?![\w-])", shown) for g in golds)
    raw, norm = shown.casefold(), normalise(shown)
    return any(occurs(g.casefold(), raw) or occurs(normalise(g), norm) for g in golds)


def meaningless(answer):
    if answer is None:
        return False
    words = normalise(answer).split()
    return not re.search(r"[0-9a-z]", " ".join(words)) or all(w in STOP_WORDS for w in words)


def same_page(path, gold):
    """Whether `path` is the gold page (or one of the gold pages, for a list)."""
    if isinstance(gold, list):
        return any(same_page(path, g) for g in gold)
    path = (path or "").split("#")[0]
    return path == gold or path.endswith("/" + gold)


def text_of(value):
    return value.strip() if isinstance(value, str) else ""


class VisibleText(HTMLParser):
    """Rough visible text of an HTML page, only to warn when a gold form is absent from its page."""
    def __init__(self):
        super().__init__()
        self.parts, self.hidden = [], 0

    def handle_starttag(self, tag, attrs):
        self.hidden += tag in ("script", "style")

    def handle_endtag(self, tag):
        self.hidden -= tag in ("script", "style")

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def trove(binary, *args, timeout=600):
    start = time.time()
    try:
        run = subprocess.run([binary, *args], capture_output=True, text=True, timeout=timeout)
        code, out, err = run.returncode, run.stdout, run.stderr
    except subprocess.TimeoutExpired:
        code, out, err = -1, "", f"timed out after {timeout} s"
    seconds = time.time() - start
    try:
        data = json.loads(out) if code in (0, 3) else None
    except json.JSONDecodeError:
        data, err = None, "output is not JSON: " + out[:200]
    return code, seconds, data, err.strip()[-300:]


def python_docs(binary):
    if not DOCS.is_dir():
        sys.exit(f"{DOCS} is missing: install the pages with `apt-get install python3.11-doc`")
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "trove-bench/python-docs"
    folder, index = cache / "pages", cache / "index.sqlite"
    pages = (HERE / "python-docs/pages.txt").read_text().split()
    for page in pages:
        source, copy = DOCS / page, folder / page
        if not copy.exists() or copy.read_bytes() != source.read_bytes():
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, copy)
    rows = [json.loads(line) for line in (HERE / "python-docs/questions.jsonl").read_text().splitlines() if line.strip()]
    for row in rows:
        if row.get("covered", True):
            parser = VisibleText()
            parser.feed((folder / row["page"]).read_text())
            visible = " ".join("".join(parser.parts).split())
            if not any(g in visible for g in row["gold"]):
                print(f"warning: {row['id']}: no gold form in the visible text of {row['page']}")
    ingest(binary, index, folder)
    return index, rows


def corpora(binary):
    index = ROOT / "Indexes/demo.sqlite"
    if not index.exists():
        index.parent.mkdir(exist_ok=True)
        ingest(binary, index, ROOT / "Corpora")
    rows, uncovered = [], False
    for line in (ROOT / "Corpora/QUESTIONS.md").read_text().splitlines():
        if line.startswith("## "):
            uncovered = "not answer" in line
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not line.startswith("|") or set(cells[0]) <= set("-") or cells[0] in ("#", "question"):
            continue
        if uncovered:
            rows.append({"id": f"nc{sum(not r.get('covered', True) for r in rows) + 1}", "question": cells[0], "covered": False})
        elif len(cells) >= 4 and cells[0].isdigit():
            rows.append({"id": f"c{cells[0]}", "question": cells[1], "page": cells[3],
                         "gold": [g.strip() for g in cells[2].split(" / ")]})
    return index, rows


def postgres_docs(binary):
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "trove-bench/postgres-docs"
    folder, index = cache / "pages", cache / "index.sqlite"
    subprocess.run([str(ROOT / "Benchmarks/retrieval/postgres-docs/make_folder.sh"), str(folder)], check=True)
    rows = [json.loads(line) for line in (ROOT / "Benchmarks/retrieval/postgres-docs/questions.jsonl").read_text().splitlines()
            if line.strip()]
    rows = [{**row, "page": row["pages"]} for row in rows]
    ingest(binary, index, folder)
    return index, rows


def man_pages(binary):
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "trove-bench/man-pages"
    folder, index = cache / "pages", cache / "index.sqlite"
    for page in (HERE / "man-pages/pages.txt").read_text().split():
        source = Path("/usr/share/man") / page
        if not source.exists():
            sys.exit(f"{source} is missing: install the package that has it (apt-get install --reinstall <package>)")
        (folder / page).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, folder / page)
    rows = [{**json.loads(line), "exact": True} for line in (HERE / "man-pages/questions.jsonl").read_text().splitlines() if line.strip()]
    ingest(binary, index, folder)
    return index, rows


def ingest(binary, index, folder):
    print(f"ingesting {folder} into {index} …", flush=True)
    start = time.time()
    run = subprocess.run([binary, "ingest", "--index", str(index), str(folder)], capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"ingest failed (exit {run.returncode}): {run.stderr.strip()}")
    print(f"{run.stdout.strip()}  [{time.time() - start:.0f} s]", flush=True)


def covered_row(binary, index, row, extra):
    code, seconds, data, err = trove(binary, "ask", "--index", str(index), "--json", *extra, row["question"])
    data = data or {}
    answer, cited = data.get("answer"), data.get("cited_answer")
    shown = " ".join(t for t in (text_of(cited), text_of(answer)) if t)
    citations = [c.get("path") for c in data.get("citations") or [] if isinstance(c, dict)]
    answer_ok = gold_found(row["gold"], shown, exact=row.get("exact", False))
    page_first = bool(citations) and same_page(citations[0], row["page"])
    s_code, s_seconds, s_data, s_err = trove(binary, "search", "--index", str(index), "--json", "-k", "5", row["question"])
    found = [r.get("path") for r in (s_data or {}).get("results") or []][:5]
    return {**row, "exit": code, "seconds": round(seconds, 2), "error": err if code not in (0, 3) else None,
            "answer": answer, "cited_answer": cited, "citations": citations,
            "answer_ok": answer_ok, "page_first": page_first, "correct": answer_ok and page_first,
            "meaningless": meaningless(answer), "search_exit": s_code, "search_seconds": round(s_seconds, 2),
            "search_paths": found, "search_top1": bool(found) and same_page(found[0], row["page"]),
            "search_top5": any(same_page(p, row["page"]) for p in found)}


def uncovered_row(binary, index, row, extra):
    code, seconds, data, err = trove(binary, "ask", "--index", str(index), "--json", *extra, row["question"])
    data = data or {}
    shown = [text_of(data.get(key)) for key in ("answer", "cited_answer")]
    return {**row, "exit": code, "seconds": round(seconds, 2), "error": err if code not in (0, 3) else None,
            "answer": data.get("answer"), "cited_answer": data.get("cited_answer"),
            "invented_on_exit3": code == 3 and any(t and t != NOT_COVERED for t in shown)}


def rate(rows, key):
    count = sum(bool(r[key]) for r in rows)
    return {"count": count, "of": len(rows), "rate": round(count / len(rows), 4) if rows else None}


def shown_rate(value):
    return f"{value['count']}/{value['of']} = {value['rate']:.1%}" if value["of"] else "-"


def short(text, width=60):
    text = " ".join((text or "").split()) if text is not None else "null"
    return text if len(text) <= width else text[:width - 1] + "…"


def main():
    argv = sys.argv[1:]
    extra = argv[argv.index("--") + 1:] if "--" in argv else []
    argv = argv[:argv.index("--")] if "--" in argv else argv
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--set", choices=["python-docs", "corpora", "postgres-docs", "man-pages"], required=True)
    parser.add_argument("--trove", default=str(ROOT / ".build/release/trove"))
    parser.add_argument("--limit", type=int, help="at most N covered and N not-covered questions")
    parser.add_argument("--json-out", help="write every question's record and the summary to this file")
    args = parser.parse_args(argv)
    if not Path(args.trove).is_file():
        sys.exit(f"no trove binary at {args.trove} (swift build -c release, or --trove PATH)")
    index, rows = {"python-docs": python_docs, "corpora": corpora, "postgres-docs": postgres_docs,
                   "man-pages": man_pages}[args.set](args.trove)
    covered = [r for r in rows if r.get("covered", True)][:args.limit]
    uncovered = [r for r in rows if not r.get("covered", True)][:args.limit]
    results_c, results_u = [], []
    for row in covered:
        r = covered_row(args.trove, index, row, extra)
        results_c.append(r)
        mark = "✓" if r["correct"] else ("a" if r["answer_ok"] else ("p" if r["page_first"] else "✗"))
        search = "1" if r["search_top1"] else ("5" if r["search_top5"] else "-")
        print(f"{r['id']:6} {mark} exit {r['exit']:2} {r['seconds']:5.1f}s search {search}"
              f"{' MEANINGLESS' if r['meaningless'] else ''}  {short(r['answer'], 30)!r} in {short(r['cited_answer'])!r}"
              f"  gold {r['gold'][0]!r}  cites {Path(r['citations'][0]).name if r['citations'] else '-'}"
              f" (page {r['page'] if isinstance(r['page'], str) else ' or '.join(r['page'])}){'  ERROR ' + r['error'] if r['error'] else ''}", flush=True)
    for row in uncovered:
        r = uncovered_row(args.trove, index, row, extra)
        results_u.append(r)
        print(f"{r['id']:6} {'INVENTED' if r['invented_on_exit3'] else '        '} exit {r['exit']:2} "
              f"{r['seconds']:5.1f}s  {short(r['cited_answer'] or r['answer'])!r}  [{row['question']}]"
              f"{'  ERROR ' + r['error'] if r['error'] else ''}", flush=True)
    everything = results_c + results_u
    seconds = [r["seconds"] for r in everything]
    for r in everything:
        r["exit3"] = r["exit"] == 3
        r["errored"] = r["exit"] not in (0, 3)
    summary = {
        "set": args.set, "trove": args.trove, "index": str(index), "extra_ask_flags": extra,
        "covered": len(results_c), "not_covered": len(results_u),
        "pages": len({str(r["page"]) for r in results_c}),
        "correct": rate(results_c, "correct"), "answer_ok": rate(results_c, "answer_ok"),
        "page_first": rate(results_c, "page_first"), "meaningless": rate(results_c, "meaningless"),
        "exit3_covered": rate(results_c, "exit3"), "errors": rate(everything, "errored"),
        "search_top1": rate(results_c, "search_top1"), "search_top5": rate(results_c, "search_top5"),
        "exit3_not_covered": rate(results_u, "exit3"), "invented_on_exit3": rate(results_u, "invented_on_exit3"),
        "seconds_median": round(statistics.median(seconds), 2) if seconds else None,
        "seconds_mean": round(statistics.mean(seconds), 2) if seconds else None,
        "search_seconds_median": round(statistics.median(r["search_seconds"] for r in results_c), 2) if results_c else None,
        "search_misses": [r["id"] for r in results_c if not r["search_top5"]],
    }
    print(f"\n{args.set}: {len(results_c)} covered questions over {summary['pages']} pages, "
          f"{len(results_u)} not covered; trove {args.trove} {' '.join(extra)}")
    labels = [("correct (answer and first citation)", "correct"), ("answer contains gold", "answer_ok"),
              ("first citation is the gold page", "page_first"), ("meaningless short answer", "meaningless"),
              ("exit 3 on covered", "exit3_covered"), ("search: gold page top-1", "search_top1"),
              ("search: gold page in top-5", "search_top5"), ("not covered: exit 3", "exit3_not_covered"),
              ("not covered: invented answer on exit 3", "invented_on_exit3"), ("errors (exit not 0/3)", "errors")]
    for label, key in labels:
        print(f"  {label:40} {shown_rate(summary[key])}")
    print(f"  {'seconds per ask (median / mean)':40} {summary['seconds_median']} / {summary['seconds_mean']}")
    print(f"  {'seconds per search (median)':40} {summary['search_seconds_median']}")
    print(f"  gold page not in search top-5: {' '.join(summary['search_misses']) or 'none'}")
    if args.json_out:
        Path(args.json_out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json_out).write_text(json.dumps({"summary": summary, "covered": results_c,
                                                   "not_covered": results_u}, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
