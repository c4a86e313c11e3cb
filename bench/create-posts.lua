-- wrk script for `make bench`: each thread POSTs the new-post form until it has sent its share
-- (POSTS_PER_THREAD), then stops, so a run creates a known number of posts over HTTP.
local sent = 0
local limit = tonumber(os.getenv("POSTS_PER_THREAD") or "5000")

function request()
    sent = sent + 1
    local body = "csrf=" .. os.getenv("BENCH_CSRF") .. "&title=Bench+post+" .. sent ..
        "&body=Benchmarking+Herald%3A+a+post+written+over+HTTP+%23bench&new_tags=bench"
    return wrk.format("POST", nil, {
        ["Content-Type"] = "application/x-www-form-urlencoded",
        ["Cookie"] = os.getenv("BENCH_COOKIE"),
    }, body)
end

function response(status, headers, body)
    if sent >= limit then wrk.thread:stop() end
end
