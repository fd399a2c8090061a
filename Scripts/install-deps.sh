#!/usr/bin/env bash
# Installs the system libraries Trove builds against, only what is missing (Debian/Ubuntu).
set -euo pipefail
need=()
# zlib1g-dev: Ingest inflates the entries of zip-based documents through zlib; zip: the encrypted-archive test makes
# its document with `zip -P` (Python's zipfile cannot encrypt).
for pkg in libopenblas-dev libsqlite3-dev poppler-utils pkg-config zlib1g-dev zip; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if ((${#need[@]})); then
  sudo=""; [[ $(id -u) -eq 0 ]] || sudo="sudo"
  echo "installing ${need[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi
