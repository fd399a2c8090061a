# Sourced (not run) by Scripts/fetch-tokenizer-vectors.sh and Scripts/fetch-chat-templates.sh,
# which read llama.cpp's `models/` folder as the llama-cpp-python 0.3.36 source distribution on
# PyPI vendors it. `llama_cpp_sdist` downloads it once into $models/sdists by
# `pip download --no-deps --no-binary llama-cpp-python` (only this package as source:
# `--no-binary :all:` would also build its build tools, cmake among them, from source just to read
# its metadata), checks it against its pinned sha256 and sets `sdist` to its path;
# `extract_from_sdist REGEX DEST WHAT` copies the files whose path in it matches REGEX (one group:
# the name to write) into DEST.
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

extract_from_sdist() {
  python3 - "$sdist" "$1" "$2" "$3" <<'PY'
import os, re, sys, tarfile
sdist, pattern, dest, what = sys.argv[1:]
wanted = re.compile(pattern)
count = 0
with tarfile.open(sdist, "r:gz") as tar:
    for member in tar:
        match = wanted.match(member.name)
        if not match or not member.isfile():
            continue
        with tar.extractfile(member) as src, open(os.path.join(dest, match.group(1)), "wb") as dst:
            while chunk := src.read(1 << 20):
                dst.write(chunk)
        count += 1
if count == 0:
    sys.exit(f"error: {sdist} holds no {what}")
print(f"{what}: {count} files extracted", file=sys.stderr)
PY
}
