-- Shared by every wrk run of scripts/bench: one machine-readable line at the end, which
-- common.sh reads (wrk's own text report rounds and changes units). Latencies in
-- milliseconds; `status` counts answers >= 400, `socket` every socket error, `bad` the answers
-- a script's response() found wrong (a global `bad` in each thread).
bench_threads = {}

function setup(thread)
  bench_threads[#bench_threads + 1] = thread
  thread:set("thread_number", #bench_threads)
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors
  local bad = 0
  for _, thread in ipairs(bench_threads) do
    bad = bad + (thread:get("bad") or 0)
  end
  io.write(string.format(
    "BENCH requests=%d rps=%.1f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f status=%d socket=%d connect=%d read=%d write=%d timeout=%d bad=%d\n",
    summary.requests, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    errors.status, errors.connect + errors.read + errors.write + errors.timeout,
    errors.connect, errors.read, errors.write, errors.timeout, bad))
end
