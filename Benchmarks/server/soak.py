#!/usr/bin/env python3
"""A soak of `trove serve`: mixed requests from concurrent clients on 127.0.0.1 for a fixed time,
with the server's memory sampled every 10 s. Run by soak.sh, which starts the server.

    soak.py PORT SERVER_PID [SECONDS]

Clients (threads, each a loop of one kind of request, no pause between requests):
  4 × POST /v1/search (k 5, the three modes in turn), 1 × POST /v1/ask, 1 × POST /v1/embeddings
  (8 texts), 1 × POST /v1/chat/completions (model "trove" and the bare model in turn, 32 tokens),
  1 × ingest: POST /v1/documents {"text", "name"}, then DELETE /v1/documents/{id} of what it added.
Prints per-endpoint counts, errors, 5xx, search latency percentiles under the mixed load, and the
memory curve; exits 1 on any error or 5xx, or when memory after warm-up (the first minute) grows by
more than 10% from its first sample to its last.
"""
import json, statistics, sys, threading, time, urllib.error, urllib.request

port, pid = int(sys.argv[1]), int(sys.argv[2])
duration = float(sys.argv[3]) if len(sys.argv) > 3 else 600.0
base = f"http://127.0.0.1:{port}"
deadline = time.monotonic() + duration
lock = threading.Lock()
counts, errors, server_errors = {}, [], 0
search_latencies = []

QUESTIONS = ["When was Gannet Head first lit?", "How many granite blocks make up the Marrow Rock tower?",
             "What is the focal length of a first-order Fresnel lens?", "storm damage to the lantern",
             "Who invented the sun valve?", "fog signal character", "keeper's duties at night"]


def call(method, path, body=None, timeout=300):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.status, response.read()


def client(name, step):
    global server_errors
    i = 0
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            step(i)
            with lock:
                counts[name] = counts.get(name, 0) + 1
                if name == "search":
                    search_latencies.append(time.monotonic() - started)
        except urllib.error.HTTPError as error:
            with lock:
                if error.code >= 500:
                    server_errors += 1
                errors.append(f"{name}: HTTP {error.code} {error.read()[:200]!r}")
        except Exception as error:  # a refused connection, a timeout, a bad body
            with lock:
                errors.append(f"{name}: {error!r}")
        i += 1


def search(i):
    mode = ["hybrid", "dense", "keyword"][i % 3]
    status, body = call("POST", "/v1/search", {"query": QUESTIONS[i % len(QUESTIONS)], "k": 5, "mode": mode})
    assert "results" in json.loads(body), body[:200]


def ask(i):
    status, body = call("POST", "/v1/ask", {"question": QUESTIONS[i % len(QUESTIONS)], "k": 3})
    assert "cited_answer" in json.loads(body), body[:200]


def embeddings(i):
    status, body = call("POST", "/v1/embeddings", {"input": [f"text {i} number {j}" for j in range(8)]})
    assert len(json.loads(body)["data"]) == 8


def chat(i):
    model = "trove" if i % 2 == 0 else "SmolLM2-135M-Instruct.Q4_1"
    status, body = call("POST", "/v1/chat/completions", {
        "model": model, "max_tokens": 32,
        "messages": [{"role": "user", "content": QUESTIONS[i % len(QUESTIONS)]}]})
    assert json.loads(body)["choices"][0]["message"]["content"] is not None


def ingest(i):
    name = f"soak-{i}.md"
    status, body = call("POST", "/v1/documents", {"text": f"# Soak {i}\n\nThe walrus number {i} sleeps on the north rocks.", "name": name})
    status, body = call("GET", "/v1/documents")
    ids = [d["id"] for d in json.loads(body)["documents"] if d["path"].endswith(name)]
    assert ids, f"{name} not listed after its POST"
    for document in ids:
        call("DELETE", f"/v1/documents/{document}")


def rss_mb():
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


threads = [threading.Thread(target=client, args=("search", search)) for _ in range(4)]
threads += [threading.Thread(target=client, args=(n, f)) for n, f in
            [("ask", ask), ("embeddings", embeddings), ("chat", chat), ("ingest", ingest)]]
start = time.monotonic()
for t in threads:
    t.start()
memory = []
while time.monotonic() < deadline:
    memory.append((round(time.monotonic() - start), rss_mb()))
    time.sleep(min(10, max(0, deadline - time.monotonic())))
for t in threads:
    t.join()
memory.append((round(time.monotonic() - start), rss_mb()))

print(f"soak: {duration:.0f} s, clients: 4 search, 1 ask, 1 embeddings, 1 chat, 1 ingest+delete")
for name in ["search", "ask", "embeddings", "chat", "ingest"]:
    print(f"  {name:11s} {counts.get(name, 0):7d} requests")
print(f"  errors {len(errors)}, 5xx {server_errors}")
for error in errors[:10]:
    print("   ", error)
if search_latencies:
    ordered = sorted(search_latencies)
    p = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000
    print(f"  search under the mixed load: p50 {p(0.5):.1f} ms, p99 {p(0.99):.1f} ms, max {ordered[-1] * 1000:.1f} ms")
print("  memory (s: MB RSS): " + ", ".join(f"{t}: {m:.0f}" for t, m in memory))
after_warmup = [m for t, m in memory if t >= 60] or [m for _, m in memory]
growth = (after_warmup[-1] - after_warmup[0]) / after_warmup[0] if after_warmup[0] else 0
print(f"  after warm-up: {after_warmup[0]:.0f} → {after_warmup[-1]:.0f} MB ({growth * 100:+.1f}%), "
      f"min {min(after_warmup):.0f}, max {max(after_warmup):.0f}")
sys.exit(1 if errors or server_errors or growth > 0.10 else 0)
