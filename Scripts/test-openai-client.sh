#!/usr/bin/env bash
# The OpenAI-compatible endpoints driven by the official `openai` Python client, installed from
# PyPI into a virtual environment (.build/openai-venv). Skipped, with a message, when pip cannot
# reach PyPI. Needs the release binary (Scripts/test.sh builds it) and the models.
#
#   Scripts/test-openai-client.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
trove="$PWD/.build/release/trove"
source Scripts/client-venv.sh
client_venv .build/openai-venv "openai==2.8.1" "openai client"

source "$root/Scripts/serve-demo-index.sh"      # sets $work, $server, $port
.build/openai-venv/bin/python Tests/TroveServerTests/openai_client_check.py "http://127.0.0.1:$port/v1" "$trove"
