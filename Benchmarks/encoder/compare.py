#!/usr/bin/env python3
"""Encoder speed, side by side on the same chunks and the same machine, in one run.

Tools: Trove (EncoderBench, a subprocess), sentence-transformers (torch, fp32), onnxruntime on a
plain ONNX export of the same model folder, and onnxruntime on that export after
onnxruntime.transformers' BERT optimizer (fused attention, fused LayerNorm/GELU). All embed the
same chunks (truncated to 256 word pieces), use the given thread count, and report word pieces
per second: the ids the model actually sees, [CLS]/[SEP] included, after truncation.

Usage: compare.py --model DIR --chunks FILE --trove PATH/TO/EncoderBench
                  [--threads 2 1] [--repeat 3] [--limit N] [--work DIR]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

import numpy as np


def parse():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", required=True)
    p.add_argument("--chunks", required=True)
    p.add_argument("--trove", required=True, help="the EncoderBench executable")
    p.add_argument("--threads", type=int, nargs="+", default=[2, 1])
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--limit", type=int, default=None)
    p.add_argument("--batch", type=int, default=32, help="batch size for the Python tools")
    p.add_argument("--work", default="Benchmarks/out/encoder", help="where the ONNX exports go")
    return p.parse_args()


def has_avx512():
    try:
        with open("/proc/cpuinfo") as f:
            return " avx512f" in f.read()
    except OSError:
        return False


def timed(run, repeat, warmup):
    """Wall-clock and process CPU seconds of each run, after a short warm-up call."""
    warmup()
    seconds, cpu = [], []
    for _ in range(repeat):
        start, cpu_start = time.perf_counter(), time.process_time()
        run()
        seconds.append(time.perf_counter() - start)
        cpu.append(time.process_time() - cpu_start)
    return seconds, cpu


def export_onnx(model_dir, work):
    """Plain ONNX export of BertModel (input_ids, attention_mask, token_type_ids → last_hidden_state),
    then the onnxruntime BERT optimizer's fused version (Attention, EmbedLayerNormalization,
    SkipLayerNormalization, BiasGelu). Returns the two paths and the fusion counts.

    The TorchScript exporter (dynamo=False) on eager attention gives the graph whose patterns
    the optimizer recognises; torch.export's graph (the default in torch ≥ 2.9) and SDPA
    attention leave Attention unfused."""
    import torch
    from transformers import AutoModel

    os.makedirs(work, exist_ok=True)
    plain = os.path.join(work, "minilm.onnx")
    fused = os.path.join(work, "minilm-fused.onnx")
    if not os.path.exists(plain):
        model = AutoModel.from_pretrained(model_dir, attn_implementation="eager").eval()

        class LastHiddenState(torch.nn.Module):
            """Keyword arguments in, last_hidden_state out (BertModel's positional order varies)."""
            def __init__(self, bert):
                super().__init__()
                self.bert = bert

            def forward(self, input_ids, attention_mask, token_type_ids):
                return self.bert(input_ids=input_ids, attention_mask=attention_mask,
                                 token_type_ids=token_type_ids).last_hidden_state

        # Three distinct example tensors: tracing by identity would merge one passed twice.
        ids = torch.randint(1000, 2000, (2, 16), dtype=torch.long)
        mask = torch.ones((2, 16), dtype=torch.long)
        types = torch.zeros((2, 16), dtype=torch.long)
        names = ["input_ids", "attention_mask", "token_type_ids"]
        torch.onnx.export(LastHiddenState(model), (ids, mask, types), plain, dynamo=False,
                          input_names=names, output_names=["last_hidden_state"],
                          dynamic_axes={n: {0: "batch", 1: "sequence"} for n in names + ["last_hidden_state"]},
                          opset_version=17)
    from onnxruntime.transformers import optimizer

    optimized = optimizer.optimize_model(plain, model_type="bert", num_heads=12, hidden_size=384, opt_level=1)
    statistics_ = {k: v for k, v in optimized.get_fused_operator_statistics().items() if v}
    if not os.path.exists(fused):
        optimized.save_model_to_file(fused)
    if not statistics_.get("Attention"):
        print("# warning: the optimizer fused no Attention node", file=sys.stderr)
    return plain, fused, statistics_


def make_batches(tokenizer, chunks, batch):
    """Padded numpy batches, texts sorted by length (as sentence-transformers does) to limit padding."""
    encoded = [tokenizer(c, truncation=True, max_length=256)["input_ids"] for c in chunks]
    order = sorted(range(len(encoded)), key=lambda i: -len(encoded[i]))
    batches = []
    for start in range(0, len(order), batch):
        group = [encoded[i] for i in order[start:start + batch]]
        width = max(len(g) for g in group)
        ids = np.zeros((len(group), width), dtype=np.int64)
        mask = np.zeros((len(group), width), dtype=np.int64)
        for r, g in enumerate(group):
            ids[r, :len(g)] = g
            mask[r, :len(g)] = 1
        batches.append((ids, mask))
    return batches, sum(len(e) for e in encoded)


def run_warm(run):
    """One pass over the last (shortest) batch: creates ORT's buffers and threads."""
    run(warmup=True)


def ort_runner(path, threads, batches):
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    # No busy-waiting between operators: on a shared machine spinning threads only steal time.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    session = ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])

    def run(warmup=False):
        out = []
        for ids, mask in (batches[-1:] if warmup else batches):
            hidden = session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)})[0]
            m = mask[..., None].astype(np.float32)
            pooled = (hidden * m).sum(1) / np.maximum(m.sum(1), 1e-9)
            out.append(pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12))
        return np.concatenate(out)

    return run


def main():
    args = parse()
    with open(args.chunks) as f:
        chunks = [json.loads(line) for line in f if line.strip()]
    if args.limit:
        chunks = chunks[:args.limit]

    import torch
    from sentence_transformers import SentenceTransformer

    st = SentenceTransformer(args.model, device="cpu")
    st.max_seq_length = 256
    batches, pieces = make_batches(st.tokenizer, chunks, args.batch)
    plain, fused, fusions = export_onnx(args.model, args.work)

    # The ONNX paths must give sentence-transformers' vectors (checked on a few chunks).
    reference = st.encode(chunks[:16], normalize_embeddings=True, batch_size=args.batch)
    small, _ = make_batches(st.tokenizer, chunks[:16], 16)
    order = sorted(range(min(16, len(chunks))), key=lambda i: -len(st.tokenizer(chunks[i], truncation=True, max_length=256)["input_ids"]))
    for name, path in [("onnxruntime", plain), ("onnxruntime-fused", fused)]:
        got = ort_runner(path, 1, small)()
        cos = min(float(np.dot(got[k], reference[i])) for k, i in enumerate(order))
        print(f"# {name}: min cosine vs sentence-transformers on {len(order)} chunks = {cos:.7f}", file=sys.stderr)

    coretype = "SkylakeX" if has_avx512() else None
    results = []
    for threads in args.threads:
        env = dict(os.environ, TROVE_THREADS=str(threads), OPENBLAS_NUM_THREADS=str(threads))
        if coretype:
            env["OPENBLAS_CORETYPE"] = coretype
        command = [args.trove, "--model", args.model, "--chunks", args.chunks, "--threads", str(threads), "--repeat", str(args.repeat)]
        if args.limit:
            command += ["--limit", str(args.limit)]
        trove = json.loads(subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout)
        if trove["wordpieces"] != pieces:
            print(f"# warning: Trove counted {trove['wordpieces']} word pieces, sentence-transformers {pieces}", file=sys.stderr)
        results.append(("trove", threads, (trove["seconds"], trove["cpu_seconds"])))

        torch.set_num_threads(threads)
        results.append(("sentence-transformers", threads,
                        timed(lambda: st.encode(chunks, batch_size=args.batch, normalize_embeddings=True), args.repeat,
                              lambda: st.encode(chunks[:16], batch_size=args.batch, normalize_embeddings=True))))
        for name, path in [("onnxruntime", plain), ("onnxruntime-fused", fused)]:
            run = ort_runner(path, threads, batches)
            results.append((name, threads, timed(run, args.repeat, lambda: run_warm(run))))

    print(f"# {len(chunks)} chunks, {pieces} word pieces; {args.repeat} runs each, median shown; "
          f"Trove with OPENBLAS_CORETYPE={coretype or '(unset: no avx512f)'}; machine shared: figures provisional")
    print(f"# onnxruntime-fused operators: {fusions}")
    print("# wp/s = word pieces per wall-clock second (median); wp/cpu-s = per CPU-second of the process")
    print(f"{'tool':24} {'threads':>7} {'median s':>9} {'wp/s':>9} {'Trove ÷ tool':>13} {'wp/cpu-s':>9} {'Trove ÷ tool':>13}")
    for threads in args.threads:
        trove = next(r for n, t, r in results if n == "trove" and t == threads)
        trove_wps, trove_cpu = pieces / statistics.median(trove[0]), pieces / statistics.median(trove[1])
        for name, t, (seconds, cpu) in results:
            if t != threads:
                continue
            wps, cps = pieces / statistics.median(seconds), pieces / statistics.median(cpu)
            print(f"{name:24} {t:>7} {statistics.median(seconds):>9.3f} {wps:>9.0f} {trove_wps / wps:>13.2f} "
                  f"{cps:>9.0f} {trove_cpu / cps:>13.2f}")


if __name__ == "__main__":
    main()
