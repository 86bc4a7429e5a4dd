-- wrk: GET the paths listed in the file named by BENCH_PATHS (one per line), in turn, each
-- thread starting at its own place; headers (the session cookie) come from wrk's -H. With
-- BENCH_BAD set, an answer whose body contains that text counts as bad (see report.lua).
dofile("scripts/bench/report.lua")

local paths = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do
  if line ~= "" then paths[#paths + 1] = line end
end
local bad_text = os.getenv("BENCH_BAD")
local next_index = 1
bad = 0

function init(args)
  next_index = ((thread_number or 1) - 1) * 7919 % #paths + 1
end

function request()
  local path = paths[next_index]
  next_index = next_index % #paths + 1
  return wrk.format("GET", path)
end

if bad_text and bad_text ~= "" then
  function response(status, headers, body)
    if body and string.find(body, bad_text, 1, true) then
      bad = bad + 1
    end
  end
end
