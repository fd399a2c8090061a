#!/usr/bin/env bash
# The whole test suite: installs what is missing, fetches the models, then runs every test
# target in release mode (numeric code is 10-50x slower in debug).
set -euo pipefail
cd "$(dirname "$0")/.."
Scripts/install-deps.sh
Scripts/fetch-models.sh
# SmolLM2 in Q4_K_M, Q5_K_M, Q6_K, Q3_K_M, Q2_K (and pure Q2_K) by llama.cpp's quantiser, and llama.cpp's greedy reference on
# their exact dequantisation (the LlamaDecoder K-quant tests); once, then found in the model cache.
Scripts/make-kquant-references.sh
# llama.cpp's tokenizer test vectors (vocabulary-only GGUFs with .inp/.out pairs) from the
# llama-cpp-python sdist; once, then found in the model cache.
Scripts/fetch-tokenizer-vectors.sh
# llama.cpp's real chat templates (models/templates/ of the same sdist, and the GGUF files' own)
# rendered by jinja2 as transformers does, for the chat-template tests; once, then found in the cache.
Scripts/fetch-chat-templates.sh
# One small synthetic model per architecture (llama, qwen2, qwen3, phi3, gemma3) and llama.cpp's
# greedy reference on it (the LlamaDecoder architecture tests); once, then found in the model cache.
Scripts/make-architecture-references.sh
# One build of everything, the `trove` binary included (the CLI tests run it): `swift test` alone
# would build the packages a second time with another plan.
swift build -c release -Xswiftc -enable-testing --build-tests
# The fuzzing smoke test is in it: FuzzTargetsTests replays every seed and crash input of
# Fuzz/ through the fuzz targets. The libFuzzer build (sanitizers, a second ~11-minute build) is
# not run here: Benchmarks/fuzz/run.sh.
swift test -c release -Xswiftc -enable-testing --skip-build "$@"
# kill -9 at random points of ingests (fresh, re-ingest with changes, server): integrity, resume,
# and equality with an uninterrupted run; about a minute (--long in Scripts/fault-suite.sh: 120 kills).
Scripts/fault-suite.sh
# The OpenAI-compatible endpoints through the official openai Python client (skipped without PyPI).
Scripts/test-openai-client.sh
# The MCP server over stdio and HTTP through the official mcp Python package (skipped without PyPI).
Scripts/test-mcp-client.sh
