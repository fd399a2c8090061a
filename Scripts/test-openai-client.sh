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
venv=.build/openai-venv
make_venv() { rm -rf "$venv"; python3 -m venv "$venv" >/dev/null 2>&1; }
if [[ ! -x "$venv/bin/pip" ]] && ! make_venv; then
  # Debian's own python3 keeps venv in a separate package.
  sudo=""; [[ $(id -u) -eq 0 ]] || sudo="sudo"
  { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3-venv; } >/dev/null 2>&1 || true
  if ! make_venv; then
    echo "openai client test SKIPPED: python3 -m venv does not work here (install python3-venv)"
    exit 0
  fi
fi
if ! "$venv/bin/pip" install -q --disable-pip-version-check "openai==2.8.1" 2>"$venv.pip.log"; then
  echo "openai client test SKIPPED: pip could not install openai from PyPI ($(tail -1 "$venv.pip.log"))"
  exit 0
fi

source "$root/Scripts/serve-demo-index.sh"      # sets $work, $server, $port
"$venv/bin/python" Tests/TroveServerTests/openai_client_check.py "http://127.0.0.1:$port/v1" "$trove"
