#!/usr/bin/env python3
"""Reference dense retriever for a BEIR folder: all-MiniLM-L6-v2 in plain numpy (no torch).

Why: it gives the team a dense run that no Swift code produced, to (1) check that the published
MTEB figure (SciFact nDCG@10 = 0.645) is reachable with these exact model files and this metric,
(2) tune fusion on the TRAIN split before the Swift encoder is merged, (3) cross-check `trove eval`.

Model: BERT post-norm encoder read from model.safetensors; word pieces from tokenizer.json through
HF `tokenizers` (Benchmarks/.venv-eval), truncated to 256 word pieces as sentence-transformers'
max_seq_length (tokenizer.json itself says 128 with fixed padding: a trap, overridden here);
mean pooling over the attention mask; L2 normalisation. Document text = (title + " " + text).strip().
Checked against ../shared/fixtures/minilm/reference.json (sentence-transformers) by --check-fixture.

Embeddings are cached in Benchmarks/out/ (git-ignored), so the corpus is encoded once.

Usage (from the repository root):
  Benchmarks/.venv-eval/bin/python Benchmarks/quality/reference_dense_minilm.py --check-fixture
  Benchmarks/.venv-eval/bin/python Benchmarks/quality/reference_dense_minilm.py DATASET_DIR [--split test]
"""
import argparse
import base64
import json
import math
import os
import struct
import sys
import time

import numpy as np
from tokenizers import Tokenizer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference_bm25_fts5 as ref  # noqa: E402  (dataset loading and the metric)

MODEL = os.environ.get("TROVE_MODELS", os.path.expanduser("~/.cache/trove/models")) + "/all-MiniLM-L6-v2"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "out")
MAX_PIECES = 256


def load_safetensors(path):
    with open(path, "rb") as f:
        header_size = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(header_size))
        data = f.read()
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__" or info["dtype"] != "F32":
            continue
        start, end = info["data_offsets"]
        tensors[name] = np.frombuffer(data[start:end], dtype="<f4").reshape(info["shape"])
    return tensors


def erf(x):
    # Abramowitz & Stegun 7.1.26, |error| < 1.5e-7: numpy has no erf and exact GELU needs one.
    sign = np.sign(x)
    x = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * x)
    y = 1.0 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * np.exp(-x * x)
    return sign * y


def layer_norm(x, weight, bias, eps=1e-12):
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weight + bias


class MiniLM:
    def __init__(self, folder=MODEL):
        self.w = load_safetensors(os.path.join(folder, "model.safetensors"))
        self.tokenizer = Tokenizer.from_file(os.path.join(folder, "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(MAX_PIECES)
        self.layers = sum(1 for k in self.w if k.endswith("attention.self.query.weight"))

    def forward(self, ids, mask):
        """ids, mask: [batch, tokens] → L2-normalised mean-pooled embeddings [batch, 384]."""
        w = self.w
        batch, tokens = ids.shape
        x = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:tokens] \
            + w["embeddings.token_type_embeddings.weight"][0]
        x = layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        heads, head_dim = 12, x.shape[-1] // 12
        additive = np.where(mask[:, None, None, :] > 0, 0.0, -1e9).astype(np.float32)   # [b, 1, 1, t]
        for i in range(self.layers):
            p = f"encoder.layer.{i}."
            def linear(v, name):
                return v @ w[p + name + ".weight"].T + w[p + name + ".bias"]
            def split(v):
                return v.reshape(batch, tokens, heads, head_dim).transpose(0, 2, 1, 3)   # [b, h, t, d]
            q, k, v = split(linear(x, "attention.self.query")), split(linear(x, "attention.self.key")), \
                split(linear(x, "attention.self.value"))
            scores = q @ k.transpose(0, 1, 3, 2) / math.sqrt(head_dim) + additive        # [b, h, t, t]
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(batch, tokens, -1)
            x = layer_norm(x + linear(context, "attention.output.dense"),
                           w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"])
            h = linear(x, "intermediate.dense")
            h = 0.5 * h * (1.0 + erf(h / math.sqrt(2.0)))                                  # exact GELU
            x = layer_norm(x + linear(h, "output.dense"),
                           w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"])
        m = mask[:, :, None].astype(np.float32)
        pooled = (x * m).sum(1) / np.maximum(m.sum(1), 1e-9)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)

    def encode(self, texts, batch_size=32, progress=""):
        encodings = self.tokenizer.encode_batch(texts)
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))   # batch by length: less padding
        out = np.zeros((len(texts), 384), dtype=np.float32)
        start = time.perf_counter()
        for b in range(0, len(order), batch_size):
            chunk = order[b:b + batch_size]
            width = max(len(encodings[i].ids) for i in chunk)
            ids = np.zeros((len(chunk), width), dtype=np.int64)
            mask = np.zeros((len(chunk), width), dtype=np.int64)
            for row, i in enumerate(chunk):
                n = len(encodings[i].ids)
                ids[row, :n] = encodings[i].ids
                mask[row, :n] = 1
            out[chunk] = self.forward(ids, mask.astype(np.float32))
            if progress and (b // batch_size) % 20 == 0:
                print(f"  {progress}: {b + len(chunk)}/{len(texts)} ({time.perf_counter() - start:.0f} s)",
                      file=sys.stderr, flush=True)
        return out


def check_fixture(model):
    fixtures = os.environ.get("TROVE_FIXTURES",
                              os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../shared/fixtures"))
    items = json.load(open(os.path.join(fixtures, "minilm/reference.json")))["items"]
    texts = [item["text"] for item in items]
    ours = model.encode(texts)
    worst_ids, worst_cos = 0, 1.0
    for item, vec in zip(items, ours):
        if model.tokenizer.encode(item["text"]).ids != item["input_ids"]:
            worst_ids += 1
        worst_cos = min(worst_cos, float(vec @ np.asarray(item["embedding"], dtype=np.float32)))
    print(f"fixture: {len(items)} texts, {worst_ids} with different ids, min cosine to reference {worst_cos:.7f}")


def cached_embeddings(model, name, ids, texts):
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, f"minilm-{name}.npz")
    if os.path.exists(path):
        cached = np.load(path, allow_pickle=False)
        if list(cached["ids"]) == ids:
            return cached["vectors"]
    vectors = model.encode(texts, progress=name)
    np.savez(path, ids=np.array(ids), vectors=vectors)
    return vectors


def dense_hits(doc_ids, doc_vectors, query_vectors, query_ids, top):
    """query id → [(doc id, squared L2 distance)] best first (ties by doc id), like Trove's flat L2 index."""
    hits = {}
    for qid, q in zip(query_ids, query_vectors):
        d2 = np.maximum(2.0 - 2.0 * (doc_vectors @ q), 0.0)   # unit vectors: ‖q − v‖² = 2 − 2 q·v
        best = np.argsort(d2, kind="stable")[:top * 2]
        ranked = sorted(((doc_ids[i], float(d2[i])) for i in best), key=lambda h: (h[1], h[0]))[:top]
        hits[qid] = ranked
    return hits


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("dataset", nargs="?")
    parser.add_argument("--split", default="test")
    parser.add_argument("--top", type=int, default=100)
    parser.add_argument("--check-fixture", action="store_true")
    args = parser.parse_args()
    model = MiniLM()
    if args.check_fixture:
        check_fixture(model)
        return
    corpus = ref.load_corpus(args.dataset)
    queries = ref.load_queries(args.dataset)
    qrels = ref.load_qrels(args.dataset, args.split)
    name = os.path.basename(os.path.normpath(args.dataset))
    start = time.perf_counter()
    doc_ids = [d for d, _, _ in corpus]
    doc_vectors = cached_embeddings(model, f"{name}-corpus", doc_ids, [f"{t} {x}".strip() for _, t, x in corpus])
    encoded = time.perf_counter()
    query_ids = list(qrels)
    query_vectors = model.encode([queries[q] for q in query_ids])
    run = {q: [d for d, _ in hits] for q, hits in dense_hits(doc_ids, doc_vectors, query_vectors, query_ids, args.top).items()}
    print(f"dataset {args.dataset} split {args.split}: {len(corpus)} docs ({encoded - start:.1f} s, cached if ~0), "
          f"{len(query_ids)} queries")
    print(json.dumps(ref.evaluate(run, qrels)))


if __name__ == "__main__":
    main()
