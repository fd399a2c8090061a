#!/bin/sh
# Copy exactly the pages listed in pages.txt (and nothing else) from the
# Debian package postgresql-doc-15 into a target folder, keeping their paths
# relative to the package's html folder.
#
#   ./make_folder.sh [target]        (default target: /tmp/postgres-docs)
#
# Installs postgresql-doc-15 first if it is missing. Safe to run again: the
# listed pages are copied over themselves. A target that already holds any
# other file is refused (nothing is deleted), so the folder can never hold
# more than the listed pages.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
list="$here/pages.txt"
source_dir=/usr/share/doc/postgresql-doc-15/html
target=${1:-/tmp/postgres-docs}

if ! dpkg-query -W -f='${Status}' postgresql-doc-15 2>/dev/null | grep -q 'install ok installed'; then
    echo "postgresql-doc-15 is not installed; installing it" >&2
    if [ "$(id -u)" -eq 0 ]; then
        apt-get install -y postgresql-doc-15
    else
        sudo apt-get install -y postgresql-doc-15
    fi
fi

# Every listed page must exist before anything is copied.
missing=0
while IFS= read -r page; do
    [ -n "$page" ] || continue
    if [ ! -f "$source_dir/$page" ]; then
        echo "missing in $source_dir: $page" >&2
        missing=1
    fi
done < "$list"
[ "$missing" -eq 0 ] || exit 1

mkdir -p "$target"

# Refuse a target that holds files other than the listed pages.
extra=$(cd "$target" && find . -type f | sed 's|^\./||' | grep -vxF -f "$list" || true)
if [ -n "$extra" ]; then
    echo "refusing: $target holds files that are not in pages.txt:" >&2
    echo "$extra" | head -20 >&2
    exit 1
fi

count=0
while IFS= read -r page; do
    [ -n "$page" ] || continue
    mkdir -p "$target/$(dirname "$page")"
    cp "$source_dir/$page" "$target/$page"
    count=$((count + 1))
done < "$list"

echo "copied $count pages into $target"
