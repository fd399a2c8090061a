"""Makes one small synthetic model per decoder architecture and llama.cpp's greedy reference on
each (run by Scripts/make-architecture-references.sh, which installs gguf and llama-cpp-python).

Real Qwen, Gemma, Phi and Llama 3 weights cannot be fetched here, so each family gets a model
with its real structure at a small scale (2-6 layers, width 256, grouped-query attention) and
random weights from a fixed seed, written with gguf-py in F32 with the tokenizer of SmolLM2
(gpt2 BPE, pre-tokenizer smollm, ChatML template) copied from its GGUF, so that llama.cpp and
Trove both load it. What each family adds is in the file, the way llama.cpp's converter writes it:

  llama   untied output.weight, Llama 3.1 rope_freqs (factor 8, low 1, high 4, original 8192)
  qwen2   attn_q/k/v biases, tied output
  qwen3   attn_q_norm/attn_k_norm, key_length 64 with width 256 and 8 heads (queries 512 wide)
  phi3    fused attn_qkv and ffn_up (gate rows, then up rows), partial rotation (24 of 32),
          rope_factors_short/long and rope.scaling.attn_factor (Phi-3.5; original context 256,
          so llama.cpp's n_ctx 512 takes the long factors and an extra reference at 256 the short)
  gemma3  6 layers (5 sliding, window 16, local base 10000; global base 1e6 with linear
          scaling 8), head norms, post-attention/post-FFN norms, GeGLU-tanh, √width embedding
          scale, final logit soft-capping 30

For each: `<arch>.F32.gguf`, and `<arch>.Q4_K_M.gguf` by llama.cpp's own quantiser; llama.cpp
(llama-cpp-python, F32 KV cache) decodes the five prompts of ../shared/fixtures/smollm2/greedy.json
greedily for 24 tokens on the F32 file and on the Q4_K_M file dequantised exactly by gguf-py:
`<arch>.<format>.greedy.json` (n_ctx 512), shaped like the fixture's `exact_dequant_f32` results,
plus the 16 largest logits after each prompt. Idempotent: existing outputs are kept.

    python make_architecture_references.py MODELS_FOLDER FIXTURES_FOLDER [ARCH…]
"""
import json, math, os, sys
from pathlib import Path
import numpy as np
import gguf
from gguf import GGUFReader, GGUFWriter, GGUFValueType
from gguf.quants import dequantize

models, fixtures = Path(sys.argv[1]), Path(sys.argv[2])
source = models / "SmolLM2-135M-Instruct" / "SmolLM2-135M-Instruct.Q4_1.gguf"
out = models / "generated" / "architectures"
VOCAB = 49152

# name: layers, width, heads, kv heads, head dim, ff, extras
SPECS = {
    "llama": dict(layers=2, dim=256, heads=8, kv=2, hd=32, ff=512, base=500000.0, eps=1e-5, tied=False),
    "qwen2": dict(layers=2, dim=256, heads=8, kv=2, hd=32, ff=512, base=1000000.0, eps=1e-6, tied=True),
    "qwen3": dict(layers=2, dim=256, heads=8, kv=4, hd=64, ff=512, base=1000000.0, eps=1e-6, tied=True),
    "phi3": dict(layers=2, dim=256, heads=8, kv=4, hd=32, ff=512, base=10000.0, eps=1e-5, tied=False),
    "gemma3": dict(layers=6, dim=256, heads=4, kv=1, hd=64, ff=512, base=1000000.0, eps=1e-6, tied=True),
}
FORMATS = {"F32": None, "Q4_K_M": 15}   # llama_ftype


def llama3_rope_factors(hd, base, factor=8.0, low=1.0, high=4.0, original=8192):
    """convert_hf_to_gguf.py (conversion/llama.py, generate_extra_tensors) for rope_type llama3."""
    freqs = 1.0 / (base ** (np.arange(0, hd, 2, dtype=np.float32) / hd))
    low_wavelen, high_wavelen = original / low, original / high
    factors = []
    for f in freqs:
        wavelen = 2 * math.pi / f
        if wavelen < high_wavelen:
            factors.append(1.0)
        elif wavelen > low_wavelen:
            factors.append(factor)
        else:
            smooth = (original / wavelen - low) / (high - low)
            factors.append(1 / ((1 - smooth) / factor + smooth))
    return np.array(factors, dtype=np.float32)


def write_model(arch: str, dst: Path):
    if dst.exists():
        return
    s = SPECS[arch]
    rng = np.random.default_rng(sum(map(ord, arch)))
    dim, heads, kv, hd, ff, L = s["dim"], s["heads"], s["kv"], s["hd"], s["ff"], s["layers"]
    q_len, kv_len = heads * hd, kv * hd
    writer = GGUFWriter(str(dst) + ".partial", arch)
    reader = GGUFReader(source)
    for name, field in reader.fields.items():     # the SmolLM2 tokenizer and chat template
        if name.startswith("tokenizer."):
            vtype = field.types[0]
            sub = field.types[-1] if vtype == GGUFValueType.ARRAY else None
            writer.add_key_value(name, field.contents(), vtype, sub)
    # Not the architecture's name: llama.cpp gives special tokens Phi-3's attributes when the name
    # says phi3, and fails on this vocabulary (no "</s>").
    writer.add_name("Trove synthetic model")
    writer.add_file_type(gguf.LlamaFileType.ALL_F32)
    writer.add_block_count(L)
    writer.add_context_length(131072 if arch == "phi3" else 8192)
    writer.add_embedding_length(dim)
    writer.add_feed_forward_length(ff)
    writer.add_head_count(heads)
    writer.add_head_count_kv(kv)
    writer.add_rope_freq_base(s["base"])
    writer.add_layer_norm_rms_eps(s["eps"])
    writer.add_vocab_size(VOCAB)
    if hd != dim // heads:
        writer.add_key_length(hd)
        writer.add_value_length(hd)
    if arch == "phi3":
        writer.add_rope_dimension_count(24)              # partial rotation, as Phi-4-mini (0.75)
        writer.add_rope_scaling_orig_ctx_len(256)              # llama.cpp: long factors when n_ctx > 256
        writer.add_rope_scaling_attn_factors(1.1902380714238083)
        writer.add_sliding_window(2047)                  # written by the converter, ignored by llama.cpp
    if arch == "gemma3":
        writer.add_sliding_window(16)
        writer.add_rope_scaling_type(gguf.RopeScalingType.LINEAR)
        writer.add_rope_scaling_factor(8.0)
        writer.add_final_logit_softcapping(30.0)

    def normal(*shape, std):
        return (rng.standard_normal(shape) * std).astype(np.float32)

    def norm(n):  # RMSNorm weights near 1 (gemma3's converter already stores 1 + w)
        return (1 + 0.2 * rng.standard_normal(n)).astype(np.float32)

    # Random weights make a degenerate model when a tied embedding dominates the residual stream (each
    # token then predicts itself forever): tied embeddings are kept small (gemma3's is also scaled by
    # √width on the way in) and the sublayers' output projections large, so continuations vary.
    embedding_std = 0.5 if not s["tied"] else 0.1 if arch == "gemma3" else 0.3
    tensors = {"token_embd.weight": normal(VOCAB, dim, std=embedding_std), "output_norm.weight": norm(dim)}
    if not s["tied"]:
        tensors["output.weight"] = normal(VOCAB, dim, std=0.5)
    if arch == "llama":
        tensors["rope_freqs.weight"] = llama3_rope_factors(hd, s["base"])
    if arch == "phi3":
        tensors["rope_factors_short.weight"] = (1 + 0.5 * rng.random(12)).astype(np.float32)
        tensors["rope_factors_long.weight"] = (1 + 20 * rng.random(12)).astype(np.float32)
    for i in range(L):
        p = f"blk.{i}."
        w_in, w_ff = 1 / math.sqrt(dim), 1 / math.sqrt(ff)
        tensors[p + "attn_norm.weight"] = norm(dim)
        if arch == "phi3":
            tensors[p + "attn_qkv.weight"] = normal(q_len + 2 * kv_len, dim, std=w_in)
            tensors[p + "ffn_up.weight"] = normal(2 * ff, dim, std=w_in)
        else:
            tensors[p + "attn_q.weight"] = normal(q_len, dim, std=w_in)
            tensors[p + "attn_k.weight"] = normal(kv_len, dim, std=w_in)
            tensors[p + "attn_v.weight"] = normal(kv_len, dim, std=w_in)
            tensors[p + "ffn_gate.weight"] = normal(ff, dim, std=w_in)
            tensors[p + "ffn_up.weight"] = normal(ff, dim, std=w_in)
        if arch == "qwen2":
            tensors[p + "attn_q.bias"] = normal(q_len, std=0.2)
            tensors[p + "attn_k.bias"] = normal(kv_len, std=0.2)
            tensors[p + "attn_v.bias"] = normal(kv_len, std=0.1)
        if arch in ("qwen3", "gemma3"):
            tensors[p + "attn_q_norm.weight"] = norm(hd)
            tensors[p + "attn_k_norm.weight"] = norm(hd)
        if arch == "gemma3":
            tensors[p + "post_attention_norm.weight"] = norm(dim)
            tensors[p + "post_ffw_norm.weight"] = norm(dim)
        tensors[p + "attn_output.weight"] = normal(dim, q_len, std=3 / math.sqrt(q_len))
        tensors[p + "ffn_norm.weight"] = norm(dim)
        tensors[p + "ffn_down.weight"] = normal(dim, ff, std=3 * w_ff)
    for name, values in tensors.items():
        writer.add_tensor(name, values, raw_dtype=gguf.GGMLQuantizationType.F32)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    os.replace(str(dst) + ".partial", dst)


def write_f32_copy(src: Path, dst: Path):
    """dst: src's metadata and tensors, every tensor dequantised exactly to float32 by gguf-py."""
    reader = GGUFReader(src)
    writer = GGUFWriter(str(dst) + ".partial", reader.fields["general.architecture"].contents())
    for name, field in reader.fields.items():
        if name.startswith("GGUF.") or name == "general.architecture":
            continue
        vtype = field.types[0]
        sub = field.types[-1] if vtype == GGUFValueType.ARRAY else None
        writer.add_key_value(name, field.contents(), vtype, sub)
    for t in reader.tensors:
        shape = [int(d) for d in reversed(t.shape)]
        writer.add_tensor(t.name, dequantize(t.data, t.tensor_type).astype(np.float32).reshape(shape),
                          raw_dtype=gguf.GGMLQuantizationType.F32)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    os.replace(str(dst) + ".partial", dst)


def quantize(src: Path, dst: Path, ftype: int):
    if dst.exists():
        return
    import llama_cpp
    params = llama_cpp.llama_model_quantize_default_params()
    params.ftype = ftype
    params.nthread = 2
    partial = str(dst) + ".partial"
    if llama_cpp.llama_model_quantize(str(src).encode(), partial.encode(), params) != 0:
        sys.exit(f"error: llama_model_quantize({src} → {dst}) failed")
    os.replace(partial, dst)


def log_softmax(logits):
    z = logits.astype(np.float64)
    z = z - z.max()
    return z - math.log(np.exp(z).sum())


def greedy_reference(model: Path, described: Path, dst: Path, n_ctx=512):
    if dst.exists():
        return
    from llama_cpp import Llama
    import llama_cpp
    fixture = json.loads((fixtures / "smollm2" / "greedy.json").read_text())
    llm = Llama(model_path=str(model), n_ctx=n_ctx, n_batch=512, n_threads=2, logits_all=True,
                type_k=0, type_v=0, flash_attn=False, verbose=False, seed=42)
    prompts = []
    for p in fixture["prompts"]:
        llm.reset()
        llm.eval(p["prompt_ids"])
        first = np.array(llm.scores[llm.n_tokens - 1], dtype=np.float32)
        top = np.argsort(-first, kind="stable")[:16]
        generated, chosen, margins, stop = [], [], [], None
        for _ in range(24):
            lp = log_softmax(np.array(llm.scores[llm.n_tokens - 1], dtype=np.float32))
            order = np.argsort(-lp, kind="stable")
            token = int(order[0])
            chosen.append(round(float(lp[token]), 6))
            margins.append(round(float(lp[order[0]] - lp[order[1]]), 6))
            if token in (0, 2):
                stop = token
                break
            generated.append(token)
            llm.eval([token])
        prompts.append({"name": p["name"], "prompt_ids": p["prompt_ids"],
                        "first_logits_top": [[int(i), float(first[i])] for i in top],
                        "exact_dequant_f32": {"generated_ids": generated, "stop_reason": "eos" if stop is not None else "length",
                                              "stop_token_id": stop, "chosen_logprob": chosen, "top1_minus_top2_logprob": margins}})
    types = {}
    for t in GGUFReader(described).tensors:
        types[t.tensor_type.name] = types.get(t.tensor_type.name, 0) + 1
    header = {"produced_by": f"llama-cpp-python {llama_cpp.__version__} (llama.cpp CPU), gguf "
                             f"{__import__('importlib.metadata').metadata.version('gguf')}",
              "model_file": described.name, "tensor_types": types, "n_ctx": n_ctx,
              "how": "synthetic model (Scripts/make_architecture_references.py); greedy decoding by llama.cpp on its "
                     "weights dequantised exactly to F32, KV cache F32, prompt in one batch, up to 24 tokens",
              "logprobs": "log-softmax of the raw logits over the full vocabulary, natural log, float64"}
    Path(str(dst) + ".partial").write_text(json.dumps({"header": header, "prompts": prompts}, indent=1) + "\n")
    os.replace(str(dst) + ".partial", dst)


def main(only=None):
    out.mkdir(parents=True, exist_ok=True)
    for arch in only or SPECS:
        f32 = out / f"{arch}.F32.gguf"
        write_model(arch, f32)
        for name, ftype in FORMATS.items():
            model = out / f"{arch}.{name}.gguf"
            if ftype is not None:
                quantize(f32, model, ftype)
            reference = out / f"{arch}.{name}.greedy.json"
            if reference.exists():
                continue
            if ftype is None:
                greedy_reference(model, model, reference)
            else:
                exact = out / f"{arch}.{name}.exact-f32.gguf"
                write_f32_copy(model, exact)
                greedy_reference(exact, model, reference)
                exact.unlink()
            print(f"{arch} {name}: {model}")
        if arch == "phi3":   # a context within rope.scaling.original_context_length: the short factors
            greedy_reference(f32, f32, out / "phi3.F32.ctx256.greedy.json", n_ctx=256)


if __name__ == "__main__":
    main(sys.argv[3:] or None)
