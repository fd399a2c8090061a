"""Writes dequantize_reference.json: blocks of every type Trove reads beyond Q4_0/Q4_1/Q8_0, and
their values as gguf-py's `gguf.quants.dequantize` (which mirrors ggml's dequantize_row_*) gives them.

Blocks are random bytes (every bit pattern of a K-quant's packed fields is a valid block) with
the f16 scale fields set to finite values of both signs, including subnormals; Q5_0/Q5_1 also get
blocks quantised from random normals by gguf-py's own quantiser. Deterministic (seeded).

    .build/reference-venv/bin/python Tests/TensorsTests/Fixtures/make_dequantize_reference.py
"""
import base64, importlib.metadata, json
from pathlib import Path
import numpy as np
import gguf
from gguf import GGMLQuantizationType as T
from gguf.quants import dequantize, quantize

# type → byte offsets of its f16 scale fields (ggml-common.h layouts).
HALF_FIELDS = {T.Q5_0: [0], T.Q5_1: [0, 2], T.Q2_K: [80, 82], T.Q3_K: [108], T.Q4_K: [0, 2], T.Q5_K: [0, 2], T.Q6_K: [208]}
BLOCKS = 4

rng = np.random.default_rng(20261206)
cases = []
for qtype, fields in HALF_FIELDS.items():
    block_size, type_size = gguf.GGML_QUANT_SIZES[qtype]
    raw = rng.integers(0, 256, size=(BLOCKS, type_size), dtype=np.uint8)
    halves = [np.float16(0.0123), np.float16(-0.5), np.float16(6.1e-6), np.float16(3.0e-8), np.float16(-2.25)]
    for b in range(BLOCKS):
        for f in fields:
            h = halves[(b + f) % len(halves)] if b < 2 else np.float16(rng.normal() * 0.05)
            raw[b, f:f + 2] = np.frombuffer(np.float16(h).tobytes(), dtype=np.uint8)
    blocks = raw.reshape(-1)
    if qtype in (T.Q5_0, T.Q5_1):
        blocks = np.concatenate([blocks, quantize(rng.normal(size=(1, 2 * block_size)).astype(np.float32), qtype).reshape(-1)])
    count = len(blocks) // type_size * block_size
    values = dequantize(blocks.reshape(1, -1), qtype).reshape(-1).astype("<f4")
    assert values.size == count and np.isfinite(values).all(), qtype.name
    cases.append({"type": qtype.name, "id": int(qtype), "count": count,
                  "blocks": base64.b64encode(blocks.tobytes()).decode(),
                  "values_f32le": base64.b64encode(values.tobytes()).decode()})

out = {"header": {"produced_by": f"gguf {importlib.metadata.version('gguf')} (PyPI) gguf.quants.dequantize, numpy {np.__version__}",
                  "script": "Tests/TensorsTests/Fixtures/make_dequantize_reference.py"},
       "cases": cases}
Path(__file__).with_name("dequantize_reference.json").write_text(json.dumps(out, indent=1) + "\n")
print("wrote", len(cases), "cases")
