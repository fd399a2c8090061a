-- wrk script: POST /v1/search with questions about the demo corpus, one after another per connection.
local queries = {
  "When was Gannet Head lighthouse first lit?",
  "who designed the rotating lens",
  "storm damage to the harbour wall",
  "fog signal",
  "How many keepers lived at the station?",
  "paraffin vapour burner",
  "Kittiwake Skerry position",
  "what replaced the tungsten-halogen lamp",
}
local i = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

request = function()
  i = i + 1
  local body = string.format('{"query": "%s", "k": 5}', queries[(i % #queries) + 1])
  return wrk.format(nil, "/v1/search", nil, body)
end

-- Count non-2xx answers as errors in the summary (wrk counts them but does not fail on them).
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("SUMMARY requests=%d duration_s=%.3f rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f non2xx=%d connect=%d read=%d write=%d timeout=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1e3, latency:percentile(90) / 1e3, latency:percentile(99) / 1e3, latency.max / 1e3,
    e.status, e.connect, e.read, e.write, e.timeout))
end
