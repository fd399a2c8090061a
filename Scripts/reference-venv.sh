#!/usr/bin/env bash
# Sourced by the reference scripts (make-kquant-references.sh, make-architecture-references.sh):
# makes .build/reference-venv with the reference tools from PyPI, once: gguf (also used by
# Tests/TensorsTests/Fixtures) and llama-cpp-python, which compiles llama.cpp from its source
# distribution (~10 min on 2 cores). Sets $venv.
venv=.build/reference-venv
if [[ ! -x "$venv/bin/pip" ]]; then
  rm -rf "$venv"
  if ! python3 -m venv "$venv" >/dev/null 2>&1; then
    sudo=""; [[ $(id -u) -eq 0 ]] || sudo="sudo"
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3-venv >/dev/null
    rm -rf "$venv"; python3 -m venv "$venv"
  fi
fi
pip=("$venv/bin/pip" install -q --disable-pip-version-check)
"$venv/bin/python" -c "import gguf" 2>/dev/null || "${pip[@]}" "gguf==0.19.0"
if ! "$venv/bin/python" -c "import llama_cpp" 2>/dev/null; then
  echo "reference tools: building llama-cpp-python 0.3.36 from PyPI (compiles llama.cpp, once)"
  CMAKE_ARGS="-DLLAVA_BUILD=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF" CMAKE_BUILD_PARALLEL_LEVEL="$(nproc)" \
    "${pip[@]}" "llama-cpp-python==0.3.36"
fi
