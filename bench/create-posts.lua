-- wrk script for `make bench`: POSTs the new-post form again and again; scripts/bench.sh stops
-- wrk once the workspace holds the number of new posts it wants (wrk itself runs for a duration).
local sent = 0

function request()
    sent = sent + 1
    local body = "csrf=" .. os.getenv("BENCH_CSRF") .. "&title=Bench+post+" .. sent ..
        "&body=Benchmarking+Herald%3A+a+post+written+over+HTTP+%23bench&new_tags=bench"
    return wrk.format("POST", nil, {
        ["Content-Type"] = "application/x-www-form-urlencoded",
        ["Cookie"] = os.getenv("BENCH_COOKIE"),
    }, body)
end
