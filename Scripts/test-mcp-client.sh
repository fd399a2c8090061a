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
venv=.build/mcp-venv
make_venv() { rm -rf "$venv"; python3 -m venv "$venv" >/dev/null 2>&1; }
if [[ ! -x "$venv/bin/pip" ]] && ! make_venv; then
  sudo=""; [[ $(id -u) -eq 0 ]] || sudo="sudo"
  { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3-venv; } >/dev/null 2>&1 || true
  if ! make_venv; then
    echo "mcp client test SKIPPED: python3 -m venv does not work here (install python3-venv)"
    exit 0
  fi
fi
if ! "$venv/bin/pip" install -q --disable-pip-version-check "mcp==2.3.0" 2>"$venv.pip.log"; then
  echo "mcp client test SKIPPED: pip could not install mcp from PyPI ($(tail -1 "$venv.pip.log"))"
  exit 0
fi

export TROVE_TOKEN="mcp-check-$RANDOM$RANDOM"
source "$root/Scripts/serve-demo-index.sh"      # sets $work, $server, $port
"$venv/bin/python" Tests/TroveMCPTests/mcp_client_check.py "$trove" "$work/demo.sqlite" \
  "http://127.0.0.1:$port/mcp" "$TROVE_TOKEN"
