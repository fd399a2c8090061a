#!/usr/bin/env bash
# Fetches real chat templates and Jinja's rendering of them into $TROVE_MODELS/chat-templates
# (default ~/.cache/trove/models/chat-templates), idempotently, for the LlamaDecoder chat-template
# tests:
#
#   templates/*.jinja   llama.cpp's `models/templates/` folder, from the llama-cpp-python 0.3.36
#                       source distribution (Scripts/llama-cpp-sdist.sh downloads and checks it)
#   references.json     every template above, and the `tokenizer.chat_template` of the GGUF files
#                       the other scripts fetched (the default model, llama.cpp's vocabularies),
#                       rendered for a few fixed conversations by jinja2 as transformers'
#                       apply_chat_template does (Scripts/make_chat_template_references.py)
#
# A stamp records the sdist's sha256 and the reference script's, so a changed script renders
# again and a second run otherwise does nothing. Run after Scripts/fetch-models.sh and
# Scripts/fetch-tokenizer-vectors.sh (whose GGUF files it reads).
#
#   Scripts/fetch-chat-templates.sh
set -euo pipefail

models="${TROVE_MODELS:-$HOME/.cache/trove/models}"
mkdir -p "$models"
# One writer of the model cache at a time: two checkouts (or a test run and the demo) set up
# together would otherwise unpack into the same .partial folders and leave a model half there.
exec 9>>"$models/.lock"; flock 9
target="$models/chat-templates"
source "$(dirname "$0")/llama-cpp-sdist.sh"
cd "$(dirname "$0")/.."
ggufs=("$models/SmolLM2-135M-Instruct/SmolLM2-135M-Instruct.Q4_1.gguf" "$models"/tokenizer-vectors/ggml-vocab-*.gguf)
for gguf in "${ggufs[@]}"; do
  [[ -f "$gguf" ]] || { echo "error: $gguf is missing (run Scripts/fetch-models.sh and Scripts/fetch-tokenizer-vectors.sh first)" >&2; exit 1; }
done
stamp="$llama_cpp_sdist_sha $(sha256sum Scripts/make_chat_template_references.py | cut -d' ' -f1)"
if [[ -f "$target/references.json" && -f "$target/.stamp" && "$(cat "$target/.stamp")" == "$stamp" ]]; then
  echo "chat templates: present ($target)"
  exit 0
fi

llama_cpp_sdist
rm -rf "$target.partial"
mkdir -p "$target.partial/templates"
extract_from_sdist '^[^/]+/vendor/llama\.cpp/models/templates/([^/]+\.jinja)$' "$target.partial/templates" 'vendor/llama.cpp/models/templates/*.jinja'

source Scripts/reference-venv.sh
reference_venv
"$reference_python" Scripts/make_chat_template_references.py "$target.partial/templates" \
  "$target.partial/references.json" "${ggufs[@]}" 2>"$target.partial/make-references.log" \
  || { tail -20 "$target.partial/make-references.log" >&2; exit 1; }
echo "$stamp" > "$target.partial/.stamp"
rm -rf "$target"
mv "$target.partial" "$target"
echo "chat templates: extracted and rendered by Jinja into $target"
