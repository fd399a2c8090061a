#!/usr/bin/env bash
# Trove's MCP server (`trove mcp` over stdio, `/mcp` on `trove serve`) driven by the official `mcp`
# Python package, installed from PyPI into a virtual environment (.build/mcp-venv). Skipped, with
# a message, when pip cannot reach PyPI. Needs the release binary (Scripts/test.sh builds it) and
# the models.
#
#   Scripts/test-mcp-client.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
trove="$PWD/.build/release/trove"
source Scripts/client-venv.sh
client_venv .build/mcp-venv "mcp==2.3.0" "mcp client"

export TROVE_TOKEN="mcp-check-$RANDOM$RANDOM"
source "$root/Scripts/serve-demo-index.sh"      # sets $work, $server, $port
.build/mcp-venv/bin/python Tests/TroveMCPTests/mcp_client_check.py "$trove" "$work/demo.sqlite" \
  "http://127.0.0.1:$port/mcp" "$TROVE_TOKEN"
