"""llama.cpp's tokenization and detokenization of chat-like texts, for Trove's tokenizer tests.

llama.cpp's own vectors (`ggml-vocab-*.gguf.inp/.out`) tokenize with special tokens NOT parsed;
a chat prompt is tokenized with them parsed, and an answer is shown through the detokenizer.
This records, for each vocabulary given, every text below both ways (`parse_special` true and
false, no BOS), with llama_detokenize's text of the ids (special tokens kept, rendered):

    {"llama.cpp": "0.3.36 (llama-cpp-python)", "vocabularies": {"NAME": [{"text", "parse_special",
      "ids", "detokenized"}, ...]}}

Run by Scripts/fetch-tokenizer-vectors.sh with the python of .build/reference-venv:

    python make_tokenizer_references.py VECTORS_FOLDER OUTPUT.json NAME...
"""
import ctypes
import json
import sys

import llama_cpp

TEXTS = [
    "<|user|>\nWhat is 2+2?<|end|>\n<|assistant|>\n",                        # phi-3
    "<s>[INST] Hello there [/INST] Hi</s>",                                  # llama-2 / mistral
    "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHello<|eot_id|>",  # llama 3
    "<|im_start|>user\nhello  world<|im_end|>\n<|im_start|>assistant\n",    # chatml
    "<start_of_turn>user\nHi<end_of_turn>\n<start_of_turn>model\n",         # gemma
    "Hello </s> world <s>x<unk>",
    " leading space\tand tabs\n\nnewlines   ",
    "é café naïve 日本語 🦙🦙 \u0301x \u00a0\u3000",
    "",
]


def main():
    folder, output, names = sys.argv[1], sys.argv[2], sys.argv[3:]
    result = {"llama.cpp": "0.3.36 (llama-cpp-python)", "vocabularies": {}}
    for name in names:
        params = llama_cpp.llama_model_default_params()
        params.vocab_only = True
        model = llama_cpp.llama_model_load_from_file(f"{folder}/ggml-vocab-{name}.gguf".encode(), params)
        if not model:
            sys.exit(f"error: llama.cpp could not load {folder}/ggml-vocab-{name}.gguf")
        vocab = llama_cpp.llama_model_get_vocab(model)
        cases = []
        for text in TEXTS:
            for parse_special in (True, False):
                data = text.encode()
                ids = (llama_cpp.llama_token * 4096)()
                n = llama_cpp.llama_tokenize(vocab, data, len(data), ids, 4096, False, parse_special)
                text_out = ctypes.create_string_buffer(16384)
                # remove_special false, unparse_special true: every token rendered.
                k = llama_cpp.llama_detokenize(vocab, ids, n, text_out, 16384, False, True)
                cases.append({"text": text, "parse_special": parse_special, "ids": list(ids[:n]),
                              "detokenized": text_out.raw[:k].decode("utf-8", "replace")})
        result["vocabularies"][name] = cases
        llama_cpp.llama_model_free(model)
    with open(output, "w", encoding="utf-8") as f:
        json.dump(result, f, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
