# Sourced (not run) by the scripts that drive Trove with a client no one here wrote:
# Scripts/test-openai-client.sh and Scripts/test-mcp-client.sh. `client_venv DIR PACKAGE==VERSION
# NAME` makes the virtual environment DIR (python3-venv installed if missing) and installs the
# package from PyPI into it; where either cannot be done, it prints "NAME test SKIPPED: why" and
# exits the calling script with 0, as a test that cannot run here.
client_venv() {
  local venv="$1" package="$2" name="$3"
  make_venv() { rm -rf "$venv"; python3 -m venv "$venv" >/dev/null 2>&1; }
  if [[ ! -x "$venv/bin/pip" ]] && ! make_venv; then
    # Debian's own python3 keeps venv in a separate package.
    local sudo=""; [[ $(id -u) -eq 0 ]] || sudo="sudo"
    { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3-venv; } >/dev/null 2>&1 || true
    if ! make_venv; then
      echo "$name test SKIPPED: python3 -m venv does not work here (install python3-venv)"
      exit 0
    fi
  fi
  if ! "$venv/bin/pip" install -q --disable-pip-version-check "$package" 2>"$venv.pip.log"; then
    echo "$name test SKIPPED: pip could not install $package from PyPI ($(tail -1 "$venv.pip.log"))"
    exit 0
  fi
}
