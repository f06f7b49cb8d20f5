-- wrk script: POST /api/v1/notifications with a bearer token (env TOKEN), one user notice per request,
-- to 10,000 users nobody is connected as, in turn: a real publisher's traffic is keyed by many users and
-- so spread over the topic's partitions (one user for all would funnel every send through one partition's
-- queue in the producer). Every request is a new notification: no id, so the publisher generates one.
-- wrk counts non-2xx answers as errors; the summary line below prints them apart.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
local pad = string.rep("x", 100)
local sent = 0

request = function()
  sent = sent + 1
  return wrk.format(nil, nil, nil, '{"target":{"type":"user","ids":["nobody-' .. (sent % 10000) ..
    '"]},"event":"bench","payload":{"pad":"' .. pad .. '"}}')
end

done = function(summary, latency, requests)
  local lat = function(p) return latency:percentile(p) / 1000 end
  io.write(string.format(
    '{"tool":"wrk","requests":%d,"seconds":%.2f,"acceptedPerSec":%.0f,"non2xx":%d,"socketErrors":%d,' ..
    '"latencyMs":{"p50":%.2f,"p90":%.2f,"p99":%.2f,"max":%.2f}}\n',
    summary.requests, summary.duration / 1e6, (summary.requests - summary.errors.status) / (summary.duration / 1e6),
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    lat(50), lat(90), lat(99), latency.max / 1000))
end
