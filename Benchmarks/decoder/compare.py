#!/usr/bin/env python3
"""llama.cpp's side of the decoder benchmark, and the side-by-side report.

  compare.py llama --model PATH [--threads 1,2] [--repeat 3] [--pp 512] [--tg 128]
      times llama.cpp through llama-cpp-python on the workloads of DecoderBench (same prompt
      tokens, same counts) and prints one JSON object per line, like DecoderBench.
  compare.py trove-cli --model PATH [--threads 1,2] [--repeat 3] [--pp 512] [--tg 128] [--trove BIN]
      the same counts through the shipped binary as a user runs it (`trove generate --raw --json`,
      greedy, default flags but --threads; "default" in --threads runs it with no --threads), read
      from its reported timings (prompt tokens/s of the prefill, generated tokens/s)
  compare.py report TROVE.jsonl LLAMA.jsonl
      prints medians side by side and the ratio Trove / llama.cpp (speeds: higher is better
      for Trove; load and TTFT are times, so the ratio printed is llama.cpp time / Trove time).

Generation is timed twice, as args.tg one-token steps after the first token is known (Trove's
generated_tokens_per_second counts the steps after the first sampled token, so it asks for tg + 1):
  tgN       from an almost empty context (llama.cpp: one token; Trove: the prompt "the"), as
            llama-bench's tgN is timed;
  tgN@P     right after the P-token prompt of ppP, as a reply follows its prompt: every step also
            reads P+ cached keys and values per layer.
"""
import argparse
from pathlib import Path
import json
import statistics
import sys
import time

CHAT_PROMPT = [1, 9690, 198, 2683, 359, 253, 5356, 5646, 11173, 3365, 3511, 308, 34519, 28, 7018, 411, 407, 19712,
               8182, 2, 198, 1, 4093, 198, 1780, 314, 260, 3575, 282, 4649, 47, 2, 198, 1, 520, 9531, 198]


def prompt_tokens(count, vocab):
    """The same pseudo-random prompt as DecoderBench (a 64-bit LCG, ids 100 … vocab-1)."""
    state, out = 42, []
    for _ in range(count):
        state = (state * 6364136223846793005 + 1442695040888963407) % (1 << 64)
        out.append(100 + (state >> 33) % (vocab - 100))
    return out


def emit(**fields):
    print(json.dumps(dict(engine="llama.cpp", **fields), sort_keys=True), flush=True)


def run_llama(args):
    import llama_cpp

    threads = [int(t) for t in args.threads.split(",")]
    n_ctx = args.pp + args.tg + 64

    def load(n_threads):
        return llama_cpp.Llama(model_path=args.model, n_ctx=n_ctx, n_batch=512, n_ubatch=512,
                               n_threads=n_threads, n_threads_batch=n_threads, logits_all=False, verbose=False)

    def generate(llm):
        """Tokens/s of args.tg one-token steps after what llm holds. With logits_all=False
        llama-cpp-python keeps no logits to pick a token from (its sampler reads them in C), so the
        steps feed pseudo-random tokens: a step costs the same whichever token it reads."""
        tokens = prompt_tokens(args.tg, llm.n_vocab())
        start = time.perf_counter()
        for token in tokens:
            llm.eval([token])
        return args.tg / (time.perf_counter() - start)

    loads = []
    for _ in range(max(1, args.repeat)):
        start = time.perf_counter()
        llm = load(threads[0])
        loads.append(time.perf_counter() - start)
        del llm
    emit(test="load", seconds=statistics.median(loads), llama_cpp_python=llama_cpp.__version__)

    for n in threads:
        llm = load(n)
        prompt = prompt_tokens(args.pp, llm.n_vocab())
        llm.reset()
        llm.eval(prompt[:16])  # warm-up
        pp, tg, tg_after, ttft = [], [], [], []
        for _ in range(max(1, args.repeat)):
            llm.reset()
            start = time.perf_counter()
            llm.eval(prompt)
            pp.append(args.pp / (time.perf_counter() - start))
            tg_after.append(generate(llm))

            llm.reset()
            llm.eval([1])
            tg.append(generate(llm))

            llm.reset()
            start = time.perf_counter()
            llm.eval(CHAT_PROMPT)   # the first token's logits are computed (in C) by this call
            ttft.append(time.perf_counter() - start)
        emit(test=f"pp{args.pp}", threads=n, tokens_per_second=statistics.median(pp))
        emit(test=f"tg{args.tg}", threads=n, tokens_per_second=statistics.median(tg))
        emit(test=f"tg{args.tg}@{args.pp}", threads=n, tokens_per_second=statistics.median(tg_after))
        emit(test="ttft", threads=n, seconds=statistics.median(ttft))
        del llm

    import resource
    emit(test="peak_rss", megabytes=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def run_trove_cli(args):
    import subprocess
    def trove(*extra):
        result = subprocess.run([args.trove, *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if result.returncode != 0:
            sys.exit(f"trove {' '.join(extra[:3])} failed: {result.stderr[-400:]}")
        return json.loads(result.stdout)
    # A prompt of exactly args.pp tokens: words added until the model's tokenizer counts that many.
    words = "the keeper lit the lamp at dusk and logged the wind swell tide and the ships that passed".split()
    text, count = "", 0
    while count < args.pp:
        text = " ".join(words[i % len(words)] for i in range(len(text.split()) + max(1, args.pp - count)))
        count = len(trove("tokenize", "--json", "--no-parse-special", "--model", args.model, text)["ids"])
    while count > args.pp:
        text = text.rsplit(" ", 1)[0]
        count = len(trove("tokenize", "--json", "--no-parse-special", "--model", args.model, text)["ids"])
    for n in args.threads.split(","):
        flags = [] if n == "default" else ["--threads", n]
        def generate(prompt):
            out = trove("generate", "--json", "--raw", "--model", args.model, "--max-tokens", str(args.tg + 1),
                        "--temperature", "0", "--repetition-penalty", "1", *flags, prompt)
            timings = out["timings"]
            if timings["generated_tokens"] < args.tg + 1:
                print(f"note: stopped after {timings['generated_tokens']} tokens ({out['stop_reason']})", file=sys.stderr)
            return timings
        pp, tg, tg_after = [], [], []
        for _ in range(max(1, args.repeat)):
            timings = generate(text)
            pp.append(timings["prompt_tokens_per_second"])
            tg_after.append(timings["generated_tokens_per_second"])
            tg.append(generate("the")["generated_tokens_per_second"])
        threads = int(n) if n != "default" else None
        print(json.dumps(dict(engine="trove-cli", test=f"pp{args.pp}", threads=threads or "default",
                              tokens_per_second=statistics.median(pp), prompt_tokens=count)), flush=True)
        print(json.dumps(dict(engine="trove-cli", test=f"tg{args.tg}", threads=threads or "default",
                              tokens_per_second=statistics.median(tg))), flush=True)
        print(json.dumps(dict(engine="trove-cli", test=f"tg{args.tg}@{args.pp}", threads=threads or "default",
                              tokens_per_second=statistics.median(tg_after))), flush=True)


def report(trove_path, llama_path):
    def read(path):
        rows = {}
        for line in open(path):
            line = line.strip()
            if line.startswith("{"):
                r = json.loads(line)
                rows[(r["test"], r.get("threads"))] = r
        return rows

    trove, llama = read(trove_path), read(llama_path)
    print(f"{'test':<10} {'threads':>7} {'trove':>12} {'llama.cpp':>12} {'ratio':>7}")
    for key in sorted(trove, key=lambda k: (k[0], str(k[1] or ""))):
        t, l = trove[key], llama.get(key)
        if "tokens_per_second" in t:
            a, b = t["tokens_per_second"], (l or {}).get("tokens_per_second")
            unit, ratio = "tok/s", (a / b if b else None)
        elif "seconds" in t:
            a, b = t["seconds"] * 1000, ((l or {}).get("seconds") or 0) * 1000 or None
            unit, ratio = "ms", (b / a if b else None)
        else:
            a, b = t["megabytes"], (l or {}).get("megabytes")
            unit, ratio = "MB", None
        fmt = lambda v: f"{v:10.1f}" if v is not None else f"{'-':>10}"
        print(f"{key[0]:<10} {str(key[1] or '-'):>7} {fmt(a)} {unit:<1} {fmt(b)} {unit:<1} "
              + (f"{ratio:6.2f}x" if ratio else "     -"))
    print("ratio: Trove speed / llama.cpp speed (for load and ttft: llama.cpp time / Trove time); >1 means Trove is faster")


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    for name, threads in [("llama", "1,2"), ("trove-cli", "1,2,default")]:
        p = sub.add_parser(name)
        p.add_argument("--model", required=True)
        p.add_argument("--threads", default=threads)
        p.add_argument("--repeat", type=int, default=3)
        p.add_argument("--pp", type=int, default=512)
        p.add_argument("--tg", type=int, default=128)
        if name == "trove-cli":
            p.add_argument("--trove", default=str(Path(__file__).resolve().parents[2] / ".build/release/trove"))
    r = sub.add_parser("report")
    r.add_argument("trove")
    r.add_argument("llama")
    args = parser.parse_args()
    if args.command == "llama":
        run_llama(args)
    elif args.command == "trove-cli":
        run_trove_cli(args)
    else:
        report(args.trove, args.llama)


if __name__ == "__main__":
    sys.exit(main())
