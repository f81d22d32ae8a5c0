-- wrk script for bench/serve_load.py: posts the bodies in $WRK_BODIES (one JSON body per line), each
-- thread starting at its own offset, and prints one JSON line of results when done.
local bodies = {}
for line in io.lines(os.getenv("WRK_BODIES")) do bodies[#bodies + 1] = line end
local counter = 0
local threads = {}

function setup(thread)
    thread:set("offset", #threads * 997)
    threads[#threads + 1] = thread
end

function init(args)
    next_index = offset or 0
end

function request()
    next_index = next_index + 1
    local body = bodies[(next_index % #bodies) + 1]
    return wrk.format("POST", "/predict", {["Content-Type"] = "application/json"}, body)
end

function done(summary, latency, requests)
    io.write(string.format(
        '{"requests": %d, "durationMicroseconds": %d, "non2xx": %d, "connectErrors": %d, "readErrors": %d, ' ..
        '"writeErrors": %d, "timeouts": %d, "p50Microseconds": %d, "p90Microseconds": %d, "p99Microseconds": %d, ' ..
        '"meanMicroseconds": %.1f, "maxMicroseconds": %d}\n',
        summary.requests, summary.duration, summary.errors.status, summary.errors.connect, summary.errors.read,
        summary.errors.write, summary.errors.timeout, latency:percentile(50), latency:percentile(90),
        latency:percentile(99), latency.mean, latency.max))
end
