-- wrk: mixed load on the seeded data set (scripts/bench/mixed.sh writes the data file named
-- by BENCH_MIXED_DATA). Every thread is one signed-in session of the 5,000-IP bench customer
-- and owns every n-th of its addresses, so that no two connections save one address at once;
-- it cycles through: its customer's page (a random page), a live check, a save, a help-desk
-- search, the 50-IP customer's page, a live check, a save, a search. A save sends the entry
-- version the address will have, counting its own saves (each publishes: the name resolves
-- and alternates between edgeN and coreN); a save that did not publish shows up as a 409 on
-- the next one. `bad` counts live-check answers with an error or unverified finding.
dofile("scripts/bench/report.lua")
dofile(os.getenv("BENCH_MIXED_DATA"))

local own = {}
local step = 0
local next_own = 1
local next_search = 1
bad = 0
saves = 0
-- Answers by status code ("200=…,303=…"), and the first error answers, for the report.
statuses = ""
samples = ""
local counts = {}

local function escape(text)
  return (string.gsub(text, "[^%w%-%._~]", function(c)
    return string.format("%%%02X", string.byte(c))
  end))
end

function init(args)
  local threads = #sessions
  local me = thread_number or 1
  session = sessions[(me - 1) % threads + 1]
  for i = me, #ips, threads do
    own[#own + 1] = i
  end
  next_search = me
  math.randomseed(me * 7919)
end

local function next_address()
  local i = own[next_own]
  next_own = next_own % #own + 1
  return i
end

local function name_for(i, version)
  if version % 2 == 0 then
    return "edge" .. (i - 1) .. "." .. domain
  end
  return "core" .. (i - 1) .. "." .. domain
end

local function get(path, cookie)
  return wrk.format("GET", path, { ["Cookie"] = cookie })
end

function request()
  step = step % 8 + 1
  if step == 1 then
    return get("/ips?page=" .. math.random(1, pages), session.cookie)
  elseif step == 5 then
    return get("/ips", small_cookie)
  elseif step == 2 or step == 6 then
    local i = next_address()
    return get("/ptr/check?ip=" .. ips[i] .. "&hostname=" .. name_for(i, 0) .. "&stage=full", session.cookie)
  elseif step == 3 or step == 7 then
    local i = next_address()
    local version = versions[i]
    versions[i] = version + 1
    local body = "csrf=" .. session.csrf .. "&ip=" .. ips[i] .. "&version=" .. version
      .. "&hostname=" .. name_for(i, version + 1) .. "&back="
    return wrk.format("POST", "/ptr/save", {
      ["Cookie"] = session.cookie,
      ["Content-Type"] = "application/x-www-form-urlencoded",
    }, body)
  else
    local q = searches[next_search]
    next_search = next_search % #searches + 1
    return get("/lookup?q=" .. escape(q), helpdesk_cookie)
  end
end

local function sample(text)
  if #samples < 1500 then
    samples = samples .. "\n    ! " .. string.gsub(string.sub(text or "", 1, 300), "%s+", " ")
  end
end

function response(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
  local parts = {}
  for code, n in pairs(counts) do parts[#parts + 1] = code .. "=" .. n end
  table.sort(parts)
  statuses = table.concat(parts, ",")
  if status == 303 then
    saves = saves + 1
  elseif status >= 400 then
    local title = body and string.match(body, "<title>(.-)</title>") or ""
    local message = body and string.match(body, 'class="error"[^>]*>(.-)<') or ""
    sample(status .. " " .. title .. " " .. message)
  elseif body and string.sub(body, 1, 21) == '<div class="findings"' then
    if string.find(body, 'class="finding error', 1, true)
      or string.find(body, 'class="finding unverified', 1, true) then
      bad = bad + 1
      sample("live check: " .. string.gsub(body, "<[^>]*>", " "))
    end
  end
end

-- done() of report.lua, plus the saves answered with a redirect.
local report_done = done
function done(summary, latency, requests)
  report_done(summary, latency, requests)
  local answered = 0
  for _, thread in ipairs(bench_threads) do
    answered = answered + (thread:get("saves") or 0)
  end
  io.write(string.format("MIXED saves=%d\n", answered))
  for n, thread in ipairs(bench_threads) do
    io.write(string.format("MIXED thread %d answers: %s", n, thread:get("statuses") or ""))
    io.write((thread:get("samples") or "") .. "\n")
  end
end
