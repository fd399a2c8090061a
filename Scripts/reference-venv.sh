# Sourced (not run) by the scripts that make references with llama.cpp itself (or its Jinja):
# Scripts/make-kquant-references.sh, Scripts/make-architecture-references.sh,
# Scripts/fetch-tokenizer-vectors.sh and Scripts/fetch-chat-templates.sh. `reference_venv`
# makes the virtual environment .build/reference-venv (python3-venv installed if missing) with
# gguf 0.19.0, jinja2 3.1.6 (the chat templates' renderer, as transformers uses it) and
# llama-cpp-python 0.3.36 from PyPI (which compiles llama.cpp from its source
# distribution: ~10 min on 2 cores, once) and sets `reference_python` to its python.
# TROVE_REFERENCE_VENV names another folder (one made by this function elsewhere, say).
reference_venv() {
  local venv="${TROVE_REFERENCE_VENV:-.build/reference-venv}"
  if [[ ! -x "$venv/bin/pip" ]]; then
    rm -rf "$venv"
    if ! python3 -m venv "$venv" >/dev/null 2>&1; then
      local sudo=""; [[ $(id -u) -eq 0 ]] || sudo="sudo"
      $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3-venv >/dev/null
      rm -rf "$venv"; python3 -m venv "$venv"
    fi
  fi
  local pip=("$venv/bin/pip" install -q --disable-pip-version-check)
  "$venv/bin/python" -c "import gguf" 2>/dev/null || "${pip[@]}" "gguf==0.19.0"
  "$venv/bin/python" -c "import jinja2; assert jinja2.__version__ == '3.1.6'" 2>/dev/null || "${pip[@]}" "jinja2==3.1.6"
  if ! "$venv/bin/python" -c "import llama_cpp" 2>/dev/null; then
    echo "reference tools: building llama-cpp-python 0.3.36 from PyPI (compiles llama.cpp, once)"
    CMAKE_ARGS="-DLLAVA_BUILD=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF" CMAKE_BUILD_PARALLEL_LEVEL="$(nproc)" \
      "${pip[@]}" "llama-cpp-python==0.3.36"
  fi
  reference_python="$venv/bin/python"
}
