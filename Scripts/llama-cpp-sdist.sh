# Sourced (not run) by Scripts/fetch-tokenizer-vectors.sh and Scripts/fetch-chat-templates.sh,
# which read llama.cpp's `models/` folder as the llama-cpp-python 0.3.36 source distribution on
# PyPI vendors it. `llama_cpp_sdist` downloads it once into $models/sdists by
# `pip download --no-deps --no-binary llama-cpp-python` (only this package as source:
# `--no-binary :all:` would also build its build tools, cmake among them, from source just to read
# its metadata), checks it against its pinned sha256 and sets `sdist` to its path.
llama_cpp_sdist_version=0.3.36
llama_cpp_sdist_sha=832db0699007f1be95a7e41ef12e88926b02ba836461e36a36372db2760c1a2e

llama_cpp_sdist() {
  mkdir -p "$models/sdists"
  sdist="$models/sdists/llama_cpp_python-$llama_cpp_sdist_version.tar.gz"
  if [[ ! -f "$sdist" ]]; then
    echo "llama.cpp sources: downloading the llama-cpp-python==$llama_cpp_sdist_version source distribution from PyPI"
    python3 -m pip download --quiet --disable-pip-version-check --no-deps --no-binary llama-cpp-python \
      "llama-cpp-python==$llama_cpp_sdist_version" -d "$models/sdists" >&2
  fi
  local found
  found=$(sha256sum "$sdist" | cut -d' ' -f1)
  if [[ "$found" != "$llama_cpp_sdist_sha" ]]; then
    echo "error: $sdist has sha256 $found, expected $llama_cpp_sdist_sha; refusing it (deleted, run again to re-download)" >&2
    rm -f "$sdist"
    exit 1
  fi
}
