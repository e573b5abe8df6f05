-- wrk's script for bench/news_day.py, which writes the ND_* settings above this text.
-- One connection per wrk thread: requests and answers alternate, so each answer is matched to
-- its address. Each thread asks for the addresses of its share of the draws (an index into the
-- paths, one a line), paced at ND_RATE requests/s when it is above 0, stops after ND_QUOTA
-- answers when it is above 0, and logs every answer to ND_TRACE<thread>:
-- "<ms since the epoch> <address index> <HTTP status> <Cache-Status kind>", the kind being
-- H (hit), S (stale hit), M (rendered: uri-miss), R (rendered: stale), B (bypass), N (none).
-- ND_MODE "random" adds a random ?x= or ?utm_source= to each address.
local ffi = require("ffi")
ffi.cdef([[
typedef struct { long tv_sec; long tv_usec; } nd_timeval;
int gettimeofday(nd_timeval *tv, void *tz);
]])
local clock = ffi.new("nd_timeval")

local function now_ms()
  ffi.C.gettimeofday(clock, nil)
  return tonumber(clock.tv_sec) * 1000 + tonumber(clock.tv_usec) / 1000
end

local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  paths, draws = {}, {}
  for line in io.lines(ND_PATHS) do paths[#paths + 1] = line end
  for line in io.lines(ND_DRAWS) do draws[#draws + 1] = tonumber(line) end
  pos = id % #draws + 1
  trace = io.open(ND_TRACE .. id, "w")
  trace:setvbuf("full")
  counts = { H = 0, S = 0, M = 0, R = 0, B = 0, N = 0, bad = 0 }
  answered, started = 0, now_ms()
  headers = { ["Accept-Encoding"] = "gzip" }
  math.randomseed(1000 + id)
end

function request()
  if not paths then return wrk.format("GET", "/") end -- wrk's check, in its main state
  current = draws[pos]
  pos = pos + ND_THREADS
  if pos > #draws then pos = (pos - 1) % #draws + 1 end
  local path = paths[current + 1]
  if ND_MODE == "random" then
    local name = (math.random(2) == 1) and "x" or "utm_source"
    local join = path:find("?", 1, true) and "&" or "?"
    path = path .. join .. name .. "=" .. math.random(1, 2147483647) .. "-" .. id
  end
  return wrk.format("GET", path, headers)
end

function delay()
  if ND_RATE <= 0 then return 0 end
  local due = started + answered * 1000 / ND_RATE
  local wait = due - now_ms()
  if wait < 1 then return 0 end
  return math.floor(wait)
end

function response(status, headers, body)
  local cs = headers["Cache-Status"] or headers["cache-status"] or ""
  local kind = "N"
  if cs:find("fwd=bypass", 1, true) then kind = "B"
  elseif cs:find("fwd=uri-miss", 1, true) then kind = "M"
  elseif cs:find("fwd=", 1, true) then kind = "R"
  elseif cs:find("detail=stale", 1, true) then kind = "S"
  elseif cs:find("hit", 1, true) then kind = "H"
  end
  counts[kind] = counts[kind] + 1
  if status >= 400 then counts.bad = counts.bad + 1 end
  trace:write(string.format("%.1f %d %d %s\n", now_ms(), current, status, kind))
  answered = answered + 1
  if ND_QUOTA > 0 and answered >= ND_QUOTA then
    trace:flush()
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local total = { H = 0, S = 0, M = 0, R = 0, B = 0, N = 0, bad = 0 }
  for _, thread in ipairs(threads) do
    local c = thread:get("counts")
    for k, v in pairs(c) do total[k] = total[k] + v end
  end
  io.write(string.format("ND-COUNTS hit=%d stale=%d miss=%d rerendered=%d bypass=%d none=%d bad=%d\n",
    total.H, total.S, total.M, total.R, total.B, total.N, total.bad))
end
