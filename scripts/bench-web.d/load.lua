-- wrk script for scripts/bench-web.
--
--   wrk ... -s load.lua URL -- MODE LIST_FILE HEADER_NAME HEADER_VALUE THREADS
--
-- MODE read:   LIST_FILE holds one path per line; each thread cycles through them from
--              its own starting point (GET, with the header: a session cookie or a bearer token).
-- MODE update: LIST_FILE holds "TENANT_ID TASK_ID SERVICE" lines ("-" = tenant-wide), each a
--              task instance never set; thread k of n takes lines k, k+n, k+2n, ... so every
--              PATCH is on a distinct instance and version 0 is right. If a thread runs out it
--              stops and says so (the rate would be understated).
-- MODE none:   plain requests of the URL (the /healthz floor); only the report below. Run it
--              with BENCH_NO_RESPONSE=1 so wrk does not pass responses to Lua; its non-2xx
--              count is then wrk's own (status >= 400).
--
-- Every mode prints one machine-readable line from done(): requests, rate, latency
-- percentiles (microseconds, as wrk measured them under its closed loop), non-2xx count
-- (counted here by status, so a 3xx such as a redirect to the sign-in page counts too).

local threads = {}
local next_id = 1

function setup(thread)
   thread:set("id", next_id)
   next_id = next_id + 1
   table.insert(threads, thread)
end

local mode, reqs, n, pos, stride, lines
non2xx = 0
first_bad = ""
exhausted = 0

local function read_lines(file)
   local out = {}
   local f = assert(io.open(file, "r"))
   for line in f:lines() do
      if line ~= "" then out[#out + 1] = line end
   end
   f:close()
   return out
end

function init(args)
   mode = args[1] or "none"
   if mode == "none" then return end
   local file, hname, hvalue, nthreads = args[2], args[3], args[4], tonumber(args[5] or "1")
   local headers = {}
   headers[hname] = hvalue
   lines = read_lines(file)
   n = #lines
   if n == 0 then error("load.lua: " .. file .. " is empty") end
   if mode == "read" then
      reqs = {}
      for i, path in ipairs(lines) do
         reqs[i] = wrk.format("GET", path, headers)
      end
      -- Spread the threads' starting points over the list.
      pos = math.floor((id - 1) * n / nthreads)
      stride = 1
   else
      headers["Content-Type"] = "application/json"
      upd_headers = headers
      pos = id - 1
      stride = nthreads
   end
end

function request()
   if mode == "read" then
      pos = pos % n + 1
      return reqs[pos]
   elseif mode == "update" then
      pos = pos + stride
      if pos > n then
         if exhausted == 0 then
            exhausted = 1
            wrk.thread:stop()
         end
         pos = ((pos - 1) % n) + 1
      end
      local tenant, task, service = lines[pos]:match("^(%S+)%s+(%S+)%s+(%S+)$")
      if service == "-" then service = "" end
      local body = '{"service":"' .. service .. '","version":0,"status":"complete"}'
      return wrk.format("PATCH", "/api/v1/tenants/" .. tenant .. "/tasks/" .. task, upd_headers, body)
   end
   return wrk.request()
end

-- Only when statuses are wanted: a response() makes wrk hand every header and body to Lua,
-- which costs the client (and so the shared CPUs) a little; the /healthz floor goes without.
if os.getenv("BENCH_NO_RESPONSE") ~= "1" then
   function response(status, headers, body)
      if status < 200 or status > 299 then
         non2xx = non2xx + 1
         if first_bad == "" then
            first_bad = tostring(status) .. " " .. string.sub(string.gsub(body or "", "%s+", " "), 1, 160)
         end
      end
   end
end

function done(summary, latency, requests)
   local bad, exh, example = 0, 0, ""
   for _, t in ipairs(threads) do
      bad = bad + (tonumber(t:get("non2xx")) or 0)
      exh = exh + (tonumber(t:get("exhausted")) or 0)
      local fb = t:get("first_bad")
      if example == "" and fb and fb ~= "" then example = fb end
   end
   local e = summary.errors
   local secs = summary.duration / 1e6
   io.write(string.format(
      "BENCH requests=%d seconds=%.3f rps=%.1f p50_us=%d p90_us=%d p99_us=%d max_us=%d " ..
      "non2xx=%d status_errors=%d connect=%d read=%d write=%d timeout=%d exhausted=%d\n",
      summary.requests, secs, summary.requests / secs,
      latency:percentile(50.0), latency:percentile(90.0), latency:percentile(99.0), latency.max,
      bad, e.status, e.connect, e.read, e.write, e.timeout, exh))
   if example ~= "" then
      io.write("BENCH-EXAMPLE " .. example .. "\n")
   end
end
