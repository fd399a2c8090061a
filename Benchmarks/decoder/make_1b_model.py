"""Writes a decoder at Llama-3.2-1B's real shape, random weights, quantised by llama.cpp to Q4_K_M,
for measuring speed at the size users run (issue 11: 1B-class, Q4_K_M). Real Llama weights cannot
be fetched here; speed depends on the shape and the tensor types, not on the values.

Shape (Llama-3.2-1B's config): 16 layers, width 2048, 32 query heads and 8 KV heads of 64, FFN
8192, vocabulary 128,256 (llama.cpp's own `ggml-vocab-llama-bpe.gguf`, which the tokenizer
vectors bring: Scripts/fetch-tokenizer-vectors.sh), RoPE base 500,000 with Llama 3 frequency
factors (`rope_freqs`, factor 32 as 3.2), tied output. Weights N(0, 0.02) written in F16 with
gguf-py, then `llama_model_quantize` (Q4_K_M, ftype 15); the F16 file (2.5 GB) is deleted.

    .build/reference-venv/bin/python Benchmarks/decoder/make_1b_model.py [OUT.gguf]

Default OUT: $TROVE_MODELS/generated/llama-3.2-1b-shape.Q4_K_M.gguf (skipped when present).
"""
import math, os, sys
from pathlib import Path
import numpy as np
import gguf
from gguf import GGUFReader, GGUFWriter, GGUFValueType

models = Path(os.environ.get("TROVE_MODELS", Path.home() / ".cache/trove/models"))
out = Path(sys.argv[1]) if len(sys.argv) > 1 else models / "generated" / "llama-3.2-1b-shape.Q4_K_M.gguf"
vocabulary = models / "tokenizer-vectors" / "ggml-vocab-llama-bpe.gguf"
LAYERS, DIM, HEADS, KV, HD, FF, VOCAB = 16, 2048, 32, 8, 64, 8192, 128256


def llama3_rope_factors(base=500000.0, factor=32.0, low=1.0, high=4.0, original=8192):
    """convert_hf_to_gguf.py's rope_freqs for rope_type llama3."""
    freqs = 1.0 / (base ** (np.arange(0, HD, 2, dtype=np.float32) / HD))
    factors = []
    for f in freqs:
        wavelen = 2 * math.pi / f
        if wavelen < original / high:
            factors.append(1.0)
        elif wavelen > original / low:
            factors.append(factor)
        else:
            smooth = (original / wavelen - low) / (high - low)
            factors.append(1 / ((1 - smooth) / factor + smooth))
    return np.array(factors, dtype=np.float32)


def write_f16(dst: Path):
    rng = np.random.default_rng(1)
    writer = GGUFWriter(str(dst), "llama")
    for name, field in GGUFReader(vocabulary).fields.items():
        if name.startswith("tokenizer."):
            vtype = field.types[0]
            writer.add_key_value(name, field.contents(), vtype, field.types[-1] if vtype == GGUFValueType.ARRAY else None)
    writer.add_name("Trove benchmark model (Llama-3.2-1B shape, random weights)")
    writer.add_file_type(gguf.LlamaFileType.MOSTLY_F16)
    writer.add_block_count(LAYERS)
    writer.add_context_length(131072)
    writer.add_embedding_length(DIM)
    writer.add_feed_forward_length(FF)
    writer.add_head_count(HEADS)
    writer.add_head_count_kv(KV)
    writer.add_rope_dimension_count(HD)
    writer.add_rope_freq_base(500000.0)
    writer.add_layer_norm_rms_eps(1e-5)
    writer.add_vocab_size(VOCAB)

    def normal(*shape):
        return (rng.standard_normal(shape, dtype=np.float32) * 0.02).astype(np.float16)

    writer.add_tensor("token_embd.weight", normal(VOCAB, DIM))
    writer.add_tensor("rope_freqs.weight", llama3_rope_factors())
    writer.add_tensor("output_norm.weight", np.ones(DIM, dtype=np.float32))
    for l in range(LAYERS):
        p = f"blk.{l}."
        writer.add_tensor(p + "attn_norm.weight", np.ones(DIM, dtype=np.float32))
        writer.add_tensor(p + "attn_q.weight", normal(HEADS * HD, DIM))
        writer.add_tensor(p + "attn_k.weight", normal(KV * HD, DIM))
        writer.add_tensor(p + "attn_v.weight", normal(KV * HD, DIM))
        writer.add_tensor(p + "attn_output.weight", normal(DIM, HEADS * HD))
        writer.add_tensor(p + "ffn_norm.weight", np.ones(DIM, dtype=np.float32))
        writer.add_tensor(p + "ffn_gate.weight", normal(FF, DIM))
        writer.add_tensor(p + "ffn_up.weight", normal(FF, DIM))
        writer.add_tensor(p + "ffn_down.weight", normal(DIM, FF))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


if out.exists():
    print(f"present: {out}")
    sys.exit(0)
out.parent.mkdir(parents=True, exist_ok=True)
f16 = out.with_name(out.name.replace(".Q4_K_M.gguf", ".F16.gguf"))
if not f16.exists():
    write_f16(Path(str(f16) + ".partial"))
    os.replace(str(f16) + ".partial", f16)
import llama_cpp
params = llama_cpp.llama_model_quantize_default_params()
params.ftype = 15   # LLAMA_FTYPE_MOSTLY_Q4_K_M
params.nthread = 2
partial = str(out) + ".partial"
if llama_cpp.llama_model_quantize(str(f16).encode(), partial.encode(), params) != 0:
    sys.exit(f"error: llama_model_quantize({f16} → {out}) failed")
os.replace(partial, out)
f16.unlink()
print(f"wrote {out}")
