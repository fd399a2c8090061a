#!/usr/bin/env python3
"""Encoder speed, side by side on the same chunks and the same machine, in one run.

Tools: Trove (EncoderBench, a subprocess) in each --precisions (fp32, int8, bf16),
sentence-transformers (torch, fp32), onnxruntime on a plain ONNX export of the same model folder,
onnxruntime on that export after onnxruntime.transformers' BERT optimizer (fused attention, fused
LayerNorm/GELU), and onnxruntime on the export quantised to int8 by
onnxruntime.quantization.quantize_dynamic (plain, and fused then quantised). All embed the same
chunks (truncated to 256 word pieces), use the given thread count, and report word pieces per
second: the ids the model actually sees, [CLS]/[SEP] included, after truncation.

Usage: compare.py --model DIR --chunks FILE --trove PATH/TO/EncoderBench
                  [--threads 2 1] [--repeat 3] [--limit N] [--work DIR] [--precisions fp32 int8 bf16]
                  [--skip-torch]
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
    p.add_argument("--precisions", nargs="+", default=["fp32", "int8", "bf16"], help="Trove encoder precisions to time")
    p.add_argument("--skip-torch", action="store_true", help="leave sentence-transformers out of the timings")
    p.add_argument("--avx2", action="store_true",
                   help="emulate an AVX2-only CPU for Trove: OPENBLAS_CORETYPE=Haswell and EncoderBench --kernels avx2 "
                        "(onnxruntime still uses what the CPU has)")
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


def quantize_onnx(plain, fused, work):
    """onnxruntime.quantization.quantize_dynamic (int8 weights, uint8 activations quantised per
    tensor at run time, its defaults) on the plain export, and on the fused one."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    out = []
    for source, name in [(plain, "minilm-int8.onnx"), (fused, "minilm-fused-int8.onnx")]:
        target = os.path.join(work, name)
        if not os.path.exists(target):
            # The fused graph's com.microsoft operators defeat shape inference: say its tensors are float.
            quantize_dynamic(source, target, weight_type=QuantType.QInt8,
                             extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})
        out.append(target)
    return out


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
    plain_int8, fused_int8 = quantize_onnx(plain, fused, args.work)
    onnx_models = [("onnxruntime", plain), ("onnxruntime-fused", fused),
                   ("onnxruntime-int8", plain_int8), ("onnxruntime-fused-int8", fused_int8)]

    # The ONNX paths must give sentence-transformers' vectors (checked on a few chunks).
    reference = st.encode(chunks[:16], normalize_embeddings=True, batch_size=args.batch)
    small, _ = make_batches(st.tokenizer, chunks[:16], 16)
    order = sorted(range(min(16, len(chunks))), key=lambda i: -len(st.tokenizer(chunks[i], truncation=True, max_length=256)["input_ids"]))
    for name, path in onnx_models:
        got = ort_runner(path, 1, small)()
        cos = min(float(np.dot(got[k], reference[i])) for k, i in enumerate(order))
        print(f"# {name}: min cosine vs sentence-transformers on {len(order)} chunks = {cos:.7f}", file=sys.stderr)

    # The `trove` command re-executes itself with OPENBLAS_CORETYPE=SkylakeX on a CPU with AVX-512
    # (Sources/TroveCLI/CPUFeatures.swift): the same is set here, so that the figure is the shipped
    # default's. EncoderBench reports the core OpenBLAS actually chose.
    coretype = "Haswell" if args.avx2 else "SkylakeX" if has_avx512() else None
    results, cores, kernels = [], set(), {}
    for threads in args.threads:
        # Tools take turns, one run each per round, so that a change in the machine's load falls on all.
        runners = []
        env = dict(os.environ, TROVE_THREADS=str(threads), OPENBLAS_NUM_THREADS=str(threads))
        if coretype:
            env["OPENBLAS_CORETYPE"] = coretype
        for precision in args.precisions:
            command = [args.trove, "--model", args.model, "--chunks", args.chunks, "--threads", str(threads),
                       "--repeat", "1", "--precision", precision, "--skip-model-only"]
            if args.limit:
                command += ["--limit", str(args.limit)]
            if args.avx2:
                command += ["--kernels", "avx2"]

            def run_trove(command=command, precision=precision):
                report = json.loads(subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout)
                if report["wordpieces"] != pieces:
                    print(f"# warning: Trove counted {report['wordpieces']} word pieces, sentence-transformers {pieces}", file=sys.stderr)
                cores.add(report.get("openblas_core", "?"))
                kernels[precision] = report.get("kernels", "?")
                return report["seconds"][0], report["cpu_seconds"][0]
            name = "trove" if precision == "fp32" else f"trove-{precision}"
            runners.append((name, run_trove, None))
        if not args.skip_torch:
            def run_st():
                torch.set_num_threads(threads)
                st.encode(chunks, batch_size=args.batch, normalize_embeddings=True)
            runners.append(("sentence-transformers", run_st,
                            lambda: (torch.set_num_threads(threads), st.encode(chunks[:16], batch_size=args.batch, normalize_embeddings=True))))
        for name, path in onnx_models:
            run = ort_runner(path, threads, batches)
            runners.append((name, run, lambda run=run: run_warm(run)))
        timings = {name: ([], []) for name, _, _ in runners}
        for _, _, warm in runners:
            if warm:
                warm()
        for _ in range(args.repeat):
            for name, run, _ in runners:
                if name.startswith("trove"):
                    seconds, cpu = run()
                else:
                    start, cpu_start = time.perf_counter(), time.process_time()
                    run()
                    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
                timings[name][0].append(seconds)
                timings[name][1].append(cpu)
        results += [(name, threads, timings[name]) for name, _, _ in runners]

    cpu_name = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    print(f"# {len(chunks)} chunks, {pieces} word pieces; {args.repeat} rounds (tools take turns), median shown")
    print(f"# CPU: {cpu_name}, {os.cpu_count()} cores; OPENBLAS_CORETYPE={coretype or '(unset: no avx512f)'} "
          f"({'emulating AVX2 only: Trove --kernels avx2' if args.avx2 else 'as the trove command sets it'}); OpenBLAS core in force: {', '.join(sorted(cores))}")
    print(f"# Trove kernels: {kernels}")
    print(f"# onnxruntime-fused operators: {fusions}")
    print("# wp/s = word pieces per wall-clock second (median); wp/cpu-s = per CPU-second of the process;")
    print("# the ÷ columns are each Trove precision's wp/s divided by the tool's")
    troves = ["trove" if p == "fp32" else f"trove-{p}" for p in args.precisions]
    header = "".join(f"{name + ' ÷':>14}" for name in troves)
    print(f"{'tool':24} {'threads':>7} {'median s':>9} {'wp/s':>9} {'wp/cpu-s':>9}{header}")
    for threads in args.threads:
        rates = {n: pieces / statistics.median(r[0]) for n, t, r in results if t == threads}
        for name, t, (seconds, cpu) in results:
            if t != threads:
                continue
            wps, cps = pieces / statistics.median(seconds), pieces / statistics.median(cpu)
            ratios = "".join(f"{rates[n] / wps:>14.2f}" for n in troves)
            print(f"{name:24} {t:>7} {statistics.median(seconds):>9.3f} {wps:>9.0f} {cps:>9.0f}{ratios}")


if __name__ == "__main__":
    main()
