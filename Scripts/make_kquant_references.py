"""Makes the K-quant model files and llama.cpp's greedy reference for them (run by
Scripts/make-kquant-references.sh, which installs gguf and llama-cpp-python first).

For SmolLM2-135M-Instruct (the Q4_1 file of Scripts/fetch-models.sh):
  1. an F32 GGUF of the same weights, written with gguf-py (every tensor dequantised exactly);
  2. from it, llama.cpp's own quantiser (llama_model_quantize) writes Q4_K_M, Q5_K_M, Q6_K, Q3_K_M,
     Q2_K, Q2_K-pure and Q8_0 files
     (rows of 576 are not whole 256-blocks, so llama.cpp stores those matrices in a 32-block
     type, Q4_0 to Q8_0, and only the 1536-wide ffn_down in K-quants: each file mixes several types);
  3. each quantised file dequantised exactly by gguf-py into an F32 GGUF, and llama.cpp
     (llama-cpp-python, F32 weights, F32 KV cache) decodes the prompts of
     ../shared/fixtures/smollm2/greedy.json greedily on it: `<file>.greedy.json`, shaped like that
     fixture's `exact_dequant_f32` results.
Idempotent: a file that exists is kept (outputs are written under a temporary name, then renamed);
the F32 intermediates (540 MB each) are deleted once the references exist.

    python make_kquant_references.py MODELS_FOLDER FIXTURES_FOLDER
"""
import json, math, os, sys
from pathlib import Path
import numpy as np
import gguf
from gguf import GGUFReader, GGUFWriter, GGUFValueType
from gguf.quants import dequantize

models, fixtures = Path(sys.argv[1]), Path(sys.argv[2])
source = models / "SmolLM2-135M-Instruct" / "SmolLM2-135M-Instruct.Q4_1.gguf"
out = models / "generated"
out.mkdir(parents=True, exist_ok=True)
# llama.cpp's llama_ftype values.
# name → (llama_ftype, pure). "Q2_K-pure" (llama-quantize --pure) puts Q2_K wherever rows allow
# it: llama.cpp's ordinary Q2_K mix gives SmolLM2 no Q2_K tensor at all (ffn_down becomes Q3_K).
FTYPES = {"Q4_K_M": (15, False), "Q5_K_M": (17, False), "Q6_K": (18, False), "Q3_K_M": (12, False), "Q2_K": (10, False),
          "Q2_K-pure": (10, True), "Q8_0": (7, False)}


def write_f32_copy(src: Path, dst: Path):
    """dst: src's metadata and tensors, every tensor dequantised exactly to float32 by gguf-py."""
    if dst.exists():
        return
    reader = GGUFReader(src)
    arch = reader.fields["general.architecture"].contents()
    writer = GGUFWriter(str(dst) + ".partial", arch)
    for name, field in reader.fields.items():
        if name.startswith("GGUF.") or name == "general.architecture":
            continue
        if name == "general.file_type":
            writer.add_file_type(gguf.LlamaFileType.ALL_F32)
            continue
        vtype = field.types[0]
        sub = field.types[-1] if vtype == GGUFValueType.ARRAY else None
        writer.add_key_value(name, field.contents(), vtype, sub)
    for t in reader.tensors:
        shape = [int(d) for d in reversed(t.shape)]   # numpy order: rows first
        values = dequantize(t.data, t.tensor_type).astype(np.float32).reshape(shape)
        writer.add_tensor(t.name, values, raw_dtype=gguf.GGMLQuantizationType.F32)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    os.replace(str(dst) + ".partial", dst)


def quantize(src: Path, dst: Path, ftype: int, pure: bool):
    if dst.exists():
        return
    import llama_cpp
    params = llama_cpp.llama_model_quantize_default_params()
    params.ftype = ftype
    params.pure = pure
    params.nthread = 2
    partial = str(dst) + ".partial"
    code = llama_cpp.llama_model_quantize(str(src).encode(), partial.encode(), params)
    if code != 0:
        sys.exit(f"error: llama_model_quantize({src} → {dst}, ftype {ftype}) returned {code}")
    os.replace(partial, dst)


def log_softmax(logits: np.ndarray) -> np.ndarray:
    z = logits.astype(np.float64)
    z = z - z.max()
    return z - math.log(np.exp(z).sum())


def greedy_reference(model: Path, quantized: Path, dst: Path):
    if dst.exists():
        return
    from llama_cpp import Llama
    fixture = json.loads((fixtures / "smollm2" / "greedy.json").read_text())
    llm = Llama(model_path=str(model), n_ctx=2048, n_batch=512, n_threads=2, logits_all=True,
                type_k=0, type_v=0, flash_attn=False, verbose=False, seed=42)
    eog = {0, 2}
    prompts = []
    for p in fixture["prompts"]:
        llm.reset()
        llm.eval(p["prompt_ids"])
        generated, chosen, margins, stop = [], [], [], None
        for _ in range(48):
            lp = log_softmax(np.array(llm.scores[llm.n_tokens - 1], dtype=np.float32))
            order = np.argsort(-lp, kind="stable")
            token = int(order[0])
            chosen.append(round(float(lp[token]), 6))
            margins.append(round(float(lp[order[0]] - lp[order[1]]), 6))
            if token in eog:
                stop = token
                break
            generated.append(token)
            llm.eval([token])
        prompts.append({"name": p["name"], "prompt_ids": p["prompt_ids"],
                        "exact_dequant_f32": {"generated_ids": generated, "generated_text": llm.detokenize(generated).decode("utf-8", "replace"),
                                              "stop_reason": "eos" if stop is not None else "length", "stop_token_id": stop,
                                              "chosen_logprob": chosen, "top1_minus_top2_logprob": margins}})
    types = {}
    for t in GGUFReader(quantized).tensors:
        types[t.tensor_type.name] = types.get(t.tensor_type.name, 0) + 1
    import llama_cpp
    header = {"produced_by": f"llama-cpp-python {llama_cpp.__version__} (llama.cpp CPU), gguf {__import__('importlib.metadata').metadata.version('gguf')}",
              "quantized_file": quantized.name, "tensor_types": types,
              "how": "llama_model_quantize from an F32 GGUF of SmolLM2-135M-Instruct.Q4_1.gguf written by gguf-py; the quantised "
                     "file dequantised exactly by gguf-py to F32; greedy decoding by llama.cpp on that F32 file, KV cache F32, "
                     "prompt in one batch, up to 48 tokens, stopping at token 0 or 2 (whose position is included)",
              "logprobs": "log-softmax of the raw logits over the full vocabulary, natural log, float64"}
    Path(str(dst) + ".partial").write_text(json.dumps({"header": header, "prompts": prompts}, indent=1) + "\n")
    os.replace(str(dst) + ".partial", dst)


f32 = out / "SmolLM2-135M-Instruct.F32.gguf"
write_f32_copy(source, f32)
for name, (ftype, pure) in FTYPES.items():
    quantized = out / f"SmolLM2-135M-Instruct.{name}.gguf"
    greedy = out / f"SmolLM2-135M-Instruct.{name}.greedy.json"
    if quantized.exists() and greedy.exists():
        continue   # made by an earlier run (a format added since is made alone)
    quantize(f32, quantized, ftype, pure)
    exact = out / f"SmolLM2-135M-Instruct.{name}.exact-f32.gguf"
    write_f32_copy(quantized, exact)
    greedy_reference(exact, quantized, greedy)
    exact.unlink()   # 540 MB, needed only for the reference run
    print(f"{name}: {quantized}")
f32.unlink()
