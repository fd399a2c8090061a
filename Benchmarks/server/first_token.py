"""Time to first streamed token of POST /v1/ask (stream: true), and of /v1/chat/completions.

    python3 first_token.py PORT [REPEATS]

For each question: the time from sending the request to the first `token` event (ask) or the
first content chunk (chat), and to the end of the stream. Prints medians. Standard library only.
"""
import http.client
import json
import statistics
import sys
import time

port, repeats = int(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 3
questions = [
    "When was Gannet Head lighthouse first lit?",
    "Who designed the first rotating lens?",
    "What replaced the tungsten-halogen lamp?",
    "How far can the light be seen?",
    "When was the station electrified?",
]


def stream(path, body, is_first):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    start = time.perf_counter()
    connection.request("POST", path, json.dumps(body), {"Content-Type": "application/json"})
    response = connection.getresponse()
    assert response.status == 200, response.read()
    first = None
    for raw in response:
        line = raw.decode().rstrip("\n")
        if first is None and is_first(line):
            first = time.perf_counter() - start
    connection.close()
    return first, time.perf_counter() - start


def ask_token(line):
    return line == "event: token"


def chat_content(line):
    if not line.startswith("data: {"):
        return False
    delta = json.loads(line[6:])["choices"][0]["delta"] if json.loads(line[6:])["choices"] else {}
    return bool(delta.get("content"))


for name, path, make, first in [
    ("/v1/ask", "/v1/ask", lambda q: {"question": q, "k": 3, "stream": True}, ask_token),
    ("/v1/chat/completions", "/v1/chat/completions",
     lambda q: {"messages": [{"role": "user", "content": q}], "max_tokens": 64, "stream": True}, chat_content),
]:
    stream(path, make(questions[0]), first)  # warm-up
    firsts, totals = [], []
    for _ in range(repeats):
        for question in questions:
            f, t = stream(path, make(question), first)
            firsts.append(f)
            totals.append(t)
    print(f"FIRST_TOKEN {name}: median {statistics.median(firsts) * 1000:.1f} ms "
          f"(min {min(firsts) * 1000:.1f}, max {max(firsts) * 1000:.1f}), whole stream median "
          f"{statistics.median(totals) * 1000:.1f} ms, n={len(firsts)}")
