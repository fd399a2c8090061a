#!/usr/bin/env python3
"""Check pages.txt and questions.jsonl against the installed PostgreSQL 15 docs.

    python3 validate.py [html_folder]   (default /usr/share/doc/postgresql-doc-15/html)

A page's text is the character data that python3's html.parser reports,
joined, with runs of white space collapsed to one space. Checks:
  - every line of pages.txt names an existing file, no duplicates;
  - ids are unique; every question lists at least one page, all in pages.txt;
  - every gold string occurs (case-sensitively) in the text of at least one
    of the question's pages, and every listed page contains at least one gold
    string;
  - a non-null anchor is an HTML id in the question's first page.
Prints counts; exits 1 on any failure.
"""
import collections, html.parser, json, os, re, sys

here = os.path.dirname(os.path.abspath(__file__))
root = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/doc/postgresql-doc-15/html"


class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        for k, v in attrs:
            if k == "id" and v:
                self.ids.add(v)

    def handle_data(self, data):
        self.parts.append(data)


cache = {}
def page(name):
    if name not in cache:
        p = Page()
        with open(os.path.join(root, name), encoding="utf-8") as f:
            p.feed(f.read())
        cache[name] = (re.sub(r"\s+", " ", "".join(p.parts)), p.ids)
    return cache[name]


errors = []
pages = [l.strip() for l in open(os.path.join(here, "pages.txt")) if l.strip()]
for name, n in collections.Counter(pages).items():
    if n > 1:
        errors.append(f"pages.txt lists {name} {n} times")
for name in pages:
    if not os.path.isfile(os.path.join(root, name)):
        errors.append(f"page missing: {name}")
listed = set(pages)

questions = [json.loads(l) for l in open(os.path.join(here, "questions.jsonl")) if l.strip()]
ids = collections.Counter(q["id"] for q in questions)
for i, n in ids.items():
    if n > 1:
        errors.append(f"id {i} used {n} times")

answered = collections.Counter()
multi = 0
for q in questions:
    qid, qp, gold = q["id"], q["pages"], q["gold"]
    if set(q) != {"id", "question", "pages", "anchor", "gold"}:
        errors.append(f"{qid}: fields {sorted(q)}")
    if not qp or not gold or not q["question"].strip():
        errors.append(f"{qid}: empty question, pages or gold")
        continue
    if len(qp) > 1:
        multi += 1
    bad = [p for p in qp if p not in listed or not os.path.isfile(os.path.join(root, p))]
    if bad:
        errors.append(f"{qid}: pages not in pages.txt or missing: {bad}")
        continue
    answered.update(qp)
    for g in gold:
        if not any(g in page(p)[0] for p in qp):
            errors.append(f"{qid}: gold {g!r} in none of {qp}")
    for p in qp:
        if not any(g in page(p)[0] for g in gold):
            errors.append(f"{qid}: {p} contains none of the gold strings")
    if q["anchor"] is not None and q["anchor"] not in page(qp[0])[1]:
        errors.append(f"{qid}: anchor {q['anchor']!r} is not an id in {qp[0]}")

print(f"pages listed: {len(pages)} (all present: {not any('page missing' in e for e in errors)})")
print(f"questions: {len(questions)}, unique ids: {len(ids)}, with more than one page: {multi}, "
      f"with an anchor: {sum(q['anchor'] is not None for q in questions)}")
print(f"gold strings: {sum(len(q['gold']) for q in questions)}")
print(f"pages that answer at least one question: {len(answered)}; never an answer: {len(listed - set(answered))}")
for e in errors:
    print("ERROR", e)
print("OK" if not errors else f"{len(errors)} errors")
sys.exit(1 if errors else 0)
