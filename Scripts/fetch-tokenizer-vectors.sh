#!/usr/bin/env bash
# Fetches llama.cpp's tokenizer test vectors into $TROVE_MODELS/tokenizer-vectors (default
# ~/.cache/trove/models/tokenizer-vectors), idempotently: the vocabulary-only GGUF files
# `ggml-vocab-*.gguf` and their `.inp`/`.out` pairs (inputs separated by `__ggml_vocab_test__`
# lines; one line of expected ids per input, as tests/test-tokenizer-0.cpp reads them).
#
# They ship in llama.cpp's `models/` folder, which the llama-cpp-python 0.3.36 source distribution
# on PyPI vendors (downloaded and checked by Scripts/llama-cpp-sdist.sh), and only
# `vendor/llama.cpp/models/ggml-vocab-*.gguf{,.inp,.out}` is extracted. A second run finds the
# marker and downloads nothing.
#
# Then llama.cpp itself (llama-cpp-python in .build/reference-venv, see Scripts/reference-venv.sh)
# records how it tokenizes chat-like texts with special tokens parsed and detokenizes them
# (Scripts/make_tokenizer_references.py) into `llama-cpp-tokenize.json` beside the vectors.
#
#   Scripts/fetch-tokenizer-vectors.sh
set -euo pipefail

models="${TROVE_MODELS:-$HOME/.cache/trove/models}"
mkdir -p "$models"
# One writer of the model cache at a time: two checkouts (or a test run and the demo) set up
# together would otherwise unpack into the same .partial folders and leave a model half there.
exec 9>>"$models/.lock"; flock 9
target="$models/tokenizer-vectors"
source "$(dirname "$0")/llama-cpp-sdist.sh"
sha=$llama_cpp_sdist_sha
marker="$target/.sdist-sha256"

# The vocabularies Trove supports (as Tests/TroveTestSupport/LlamaCppTokenizerVectors.swift).
supported=(llama-spm phi-3 gemma-4 llama-bpe qwen2 qwen35 gpt-2 starcoder refact command-r mpt)
references="$target/llama-cpp-tokenize.json"

make_references() {
  if [[ -f "$references" ]]; then
    echo "tokenizer references: present ($references)"
    return
  fi
  source Scripts/reference-venv.sh
  reference_venv
  "$reference_python" Scripts/make_tokenizer_references.py "$target" "$references.partial" "${supported[@]}" \
    2>"$target/make-references.log" || { tail -20 "$target/make-references.log" >&2; exit 1; }
  mv "$references.partial" "$references"
  echo "tokenizer references: written by llama.cpp into $references"
}

cd "$(dirname "$0")/.."
if [[ -f "$marker" && "$(cat "$marker")" == "$sha" ]]; then
  echo "tokenizer vectors: present ($target)"
  make_references
  exit 0
fi

llama_cpp_sdist

rm -rf "$target.partial"
mkdir -p "$target.partial"
extract_from_sdist '^[^/]+/vendor/llama\.cpp/models/(ggml-vocab-[^/]+\.gguf(\.inp|\.out)?)$' "$target.partial" 'vendor/llama.cpp/models/ggml-vocab-* files'
echo "$sha" > "$target.partial/.sdist-sha256"
rm -rf "$target"
mv "$target.partial" "$target"
echo "tokenizer vectors: unpacked into $target"
make_references
