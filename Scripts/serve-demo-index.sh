# Sourced (not run) by scripts that need `trove serve` running over an index of Corpora/:
# Benchmarks/server/run.sh, Scripts/test-openai-client.sh and Scripts/test-mcp-client.sh. Needs $trove (the binary) and
# $root (the repository); sets $work (a temporary folder), $server (the pid) and $port. The server
# is stopped and the folder removed when the calling script exits.
work="$(mktemp -d)"
server=""
cleanup() { [[ -n "$server" ]] && kill "$server" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
"$trove" ingest --index "$work/demo.sqlite" "$root/Corpora" >/dev/null
"$trove" serve --index "$work/demo.sqlite" --port 0 2>"$work/serve.log" &
server=$!
port=""
for _ in $(seq 1 100); do
  port="$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/serve.log")"
  [[ -n "$port" ]] && break
  sleep 0.1
done
[[ -n "$port" ]] || { echo "trove serve did not start:"; cat "$work/serve.log"; exit 1; }
