#!/usr/bin/env python3
"""Writes the seed corpora in Fuzz/Corpus/<target>/ (small, committed; run again to remake them).

The GGUF and safetensors seeds are tiny files written here by the formats' specs; the document
seeds are short texts, or parts of the pandoc-made fixtures in Tests/IngestTests/Fixtures.
libFuzzer adds what it finds to a working copy of the corpus (Benchmarks/fuzz/run.sh), never here.
"""
import json, pathlib, struct, zipfile

ROOT = pathlib.Path(__file__).resolve().parent
CORPUS = ROOT / "Corpus"
OFFICE = ROOT.parent / "Tests/IngestTests/Fixtures/OfficeDocuments"


def put(target, name, data):
    folder = CORPUS / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data if isinstance(data, bytes) else data.encode())


# GGUF v3 (ggml docs/gguf.md): magic, version, tensor count, metadata count, metadata, tensor infos, data.
def gguf_string(s):
    b = s.encode()
    return struct.pack("<Q", len(b)) + b


def gguf_value(v):
    kind, x = v
    if kind == "u32": return struct.pack("<I", 4) + struct.pack("<I", x)
    if kind == "i32": return struct.pack("<I", 5) + struct.pack("<i", x)
    if kind == "f32": return struct.pack("<I", 6) + struct.pack("<f", x)
    if kind == "bool": return struct.pack("<I", 7) + struct.pack("<B", x)
    if kind == "str": return struct.pack("<I", 8) + gguf_string(x)
    if kind == "strs": return struct.pack("<I", 9) + struct.pack("<IQ", 8, len(x)) + b"".join(gguf_string(s) for s in x)
    if kind == "f32s": return struct.pack("<I", 9) + struct.pack("<IQ", 6, len(x)) + b"".join(struct.pack("<f", f) for f in x)
    if kind == "i32s": return struct.pack("<I", 9) + struct.pack("<IQ", 5, len(x)) + b"".join(struct.pack("<i", i) for i in x)
    raise ValueError(kind)


def gguf(metadata, tensors=()):
    """tensors: (name, dims, type id, bytes), laid out in order, each padded to 32."""
    head = b"GGUF" + struct.pack("<IQQ", 3, len(tensors), len(metadata))
    for key, value in metadata:
        head += gguf_string(key) + gguf_value(value)
    offset, data = 0, b""
    for name, dims, type_id, raw in tensors:
        head += gguf_string(name) + struct.pack("<I", len(dims)) + b"".join(struct.pack("<Q", d) for d in dims)
        head += struct.pack("<IQ", type_id, offset)
        padded = raw + b"\0" * (-len(raw) % 32)
        data += padded
        offset += len(padded)
    return head + b"\0" * (-len(head) % 32) + data


bpe_tokens = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "H", "e", "l", "o", "Ġ", "w", "r", "d", "He", "ll", "llo", "Ġw", "or", "ld"]
put("gguf", "gpt2-vocabulary", gguf([
    ("general.architecture", ("str", "llama")),
    ("tokenizer.ggml.model", ("str", "gpt2")),
    ("tokenizer.ggml.pre", ("str", "smollm")),
    ("tokenizer.ggml.tokens", ("strs", bpe_tokens)),
    ("tokenizer.ggml.token_type", ("i32s", [3, 3, 3] + [1] * (len(bpe_tokens) - 3))),
    ("tokenizer.ggml.merges", ("strs", ["H e", "l l", "ll o", "He llo", "Ġ w", "o r", "l d"])),
    ("tokenizer.ggml.bos_token_id", ("u32", 1)),
    ("tokenizer.ggml.eos_token_id", ("u32", 2)),
]))
spm_tokens = ["<unk>", "<s>", "</s>", "<0x41>", "▁", "▁H", "ello", "▁world", "w", "o", "r", "l", "d", "H", "e"]
put("gguf", "llama-vocabulary", gguf([
    ("tokenizer.ggml.model", ("str", "llama")),
    ("tokenizer.ggml.tokens", ("strs", spm_tokens)),
    ("tokenizer.ggml.scores", ("f32s", [0.0, 0.0, 0.0, 0.0] + [-float(i) for i in range(len(spm_tokens) - 4)])),
    ("tokenizer.ggml.token_type", ("i32s", [2, 3, 3, 6] + [1] * (len(spm_tokens) - 4))),
    ("tokenizer.ggml.add_bos_token", ("bool", 1)),
    ("tokenizer.ggml.unknown_token_id", ("u32", 0)),
]))
q8_block = struct.pack("<e", 0.5) + bytes(range(32))            # Q8_0: f16 scale + 32 int8
put("gguf", "tiny-model", gguf([
    ("general.architecture", ("str", "llama")),
    ("general.alignment", ("u32", 32)),
    ("llama.block_count", ("u32", 1)),
    ("llama.context_length", ("u32", 64)),
    ("llama.embedding_length", ("u32", 32)),
    ("llama.feed_forward_length", ("u32", 64)),
    ("llama.attention.head_count", ("u32", 2)),
    ("llama.attention.head_count_kv", ("u32", 1)),
    ("llama.attention.layer_norm_rms_epsilon", ("f32", 1e-5)),
    ("llama.rope.freq_base", ("f32", 10000.0)),
], [
    ("output_norm.weight", [32], 0, struct.pack("<32f", *([1.0] * 32))),     # F32
    ("token_embd.weight", [32, 2], 8, q8_block * 2),                         # Q8_0
]))

# safetensors: u64 header length, JSON header, data section.
def safetensors(header, data):
    raw = json.dumps(header, separators=(",", ":")).encode()
    return struct.pack("<Q", len(raw)) + raw + data


put("safetensors", "two-tensors", safetensors({
    "__metadata__": {"format": "pt"},
    "bias": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]},
    "weight": {"dtype": "F32", "shape": [2, 2], "data_offsets": [16, 32]},
}, struct.pack("<8f", *range(8))))
put("safetensors", "mixed-dtypes", safetensors({
    "half": {"dtype": "F16", "shape": [2], "data_offsets": [0, 4]},
    "ids": {"dtype": "I64", "shape": [1, 1], "data_offsets": [4, 12]},
    "empty": {"dtype": "F32", "shape": [0], "data_offsets": [12, 12]},
}, struct.pack("<ee", 1.0, -2.0) + struct.pack("<q", 7)))

texts = {
    "english": "The keeper lit the lamp at dusk; the fog horn sounded every 30 seconds. Don't stop!",
    "unicode": "Héllo wörld — naïve café, 東京タワー, ﻿zero\u200bwidth, 🦙🔥 emoji, Ελληνικά, Привет, عربى",
    "code": "def squaredL2(a, b):\n    return sum((x - y) ** 2 for x, y in zip(a, b))  # [CLS] [SEP]\n\t\tindent",
    "special": "<|im_start|>user\nHi<|im_end|>\n<|endoftext|><s></s>[UNK][MASK] <unk>",
    "numbers": "3.14159 1,000,000 2026-12-07 0x1F 1e-5 ½ ⅔ ١٢٣",
    "whitespace": "  leading\n\n\n  trailing   \r\n\ttabs\u00a0nbsp\u3000ideographic   ",
}
for target in ["wordpiece", "bpe", "sentencepiece"]:
    for name, text in texts.items():
        put(target, name, text)

put("html", "article", """<!DOCTYPE html><html><head><title>Lighthouses</title><style>p{}</style>
<script>var x = "<p>not text</p>";</script></head><body><nav><a href="/">Home</a></nav>
<main><h1 id="top">Lighthouses &amp; keepers</h1><p>The <b>Fresnel</b> lens&nbsp;focuses light.&#x263A; &unknown;</p>
<h2 id="fog">Fog</h2><ul><li>horn</li><li>bell</li></ul>
<table><tr><th>Name</th><th>Year</th></tr><tr><td>Eddystone</td><td>1759</td></tr></table>
<pre>  kept   as is  </pre><!-- comment --><p>Unclosed <i>tags <p>next</main><footer>© 2026</footer></body></html>
""")
put("html", "broken", "<h1>Title<h2><<<>>></h2><div id=\"a\" id='b' data-x=>text</div><![CDATA[x]]><p>&#99999999;&#0;</p")
put("markdown", "notes", """---
title: Lenses
---
# Lenses

A Fresnel lens is *thin*. See [the docs](https://example.com) and `code`.

## Kinds {#kinds}

- plano-convex
- meniscus
  1. nested

```swift
let x = 1  # not a heading
```

Setext heading
==============

> quote

| a | b |
|---|---|
| 1 | 2 |
""")
put("markdown", "edge", "#\n##  \n####### seven\n```\nunclosed fence\n# inside\n")
put("jsonl", "records", '{"_id": "d1", "title": "Fog", "text": "The horn sounds every minute."}\n'
    '{"_id": 2, "title": "", "text": "Numbers as ids."}\n\n'
    'not json\n{"_id": "d3", "text": 5}\n{"_id": "d4", "title": "Unicode ☃", "text": "snow\\u2603man"}\n')
put("pdf-text", "pages", "Lighthouses of Brittany\n\nThe first page.\n\f  Second page\nwith two lines.\n\f\f\fLast page.\n\f")
put("pdf-text", "blank", "\f\n\f   \f")

# The zip-based formats: their main parts from the fixtures, and whole small archives.
def part(archive, name):
    with zipfile.ZipFile(OFFICE / archive) as z:
        return z.read(name)


put("docx", "pages-document.xml", part("pages.docx", "word/document.xml"))
put("odt", "pages-content.xml", part("pages.odt", "content.xml"))
put("pptx", "slide1.xml", part("slides.pptx", "ppt/slides/slide1.xml"))
put("pptx", "slide3.xml", part("slides.pptx", "ppt/slides/slide3.xml"))
put("epub", "package.opf", """<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Storms and Fog</dc:title></metadata>
<manifest><item id="c1" href="ch1.xhtml" media-type="application/xhtml+xml"/>
<item id="c2" href="ch2%2Exhtml" media-type="text/html"/><item id="nav" href="ch1.xhtml" media-type="application/xhtml+xml" properties="nav"/></manifest>
<spine><itemref idref="c1"/><itemref idref="c2"/><itemref idref="nav"/><itemref idref="c1" linear="no"/></spine></package>
""")
for name in ["pages.docx", "pages.odt", "lighthouses.epub"]:
    put("zip", name.replace(".", "-"), (OFFICE / name).read_bytes())

bodies = {
    "search": {"query": "lighthouse lens", "k": 5, "mode": "hybrid", "explain": True,
               "filter": {"paths": ["docs/"], "types": ["md"], "since": "2024-01-01", "until": "2026-12-31T00:00:00Z"}},
    "ask": {"question": "Who lit the lamp?", "k": 3, "stream": False, "temperature": 0.2, "max_tokens": 64, "seed": 7},
    "embeddings": {"model": "all-MiniLM-L6-v2", "input": ["one", "two"], "encoding_format": "base64"},
    "chat": {"model": "trove", "messages": [{"role": "system", "content": "Be brief."},
             {"role": "user", "content": [{"type": "text", "text": "Hi"}]}], "stop": ["\n"], "n": 1,
             "stream": True, "stream_options": {"include_usage": True}, "top_p": 0.9},
    "document": {"text": "Some notes.", "name": "notes/Q3 plan.md"},
}
for name, body in bodies.items():
    put("server-request", name, json.dumps(body))
put("server-request", "host-headers", "[::1]:8080")
