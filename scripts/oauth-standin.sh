# The local OAuth provider the channel tests connect to (Tests/HeraldTests/Fixtures/oauth_standin.py),
# for `make test`: sourced by scripts/test.sh after lib.sh; also by scripts/bench.sh (the publishing
# section) and scripts/run.sh (`HERALD_STANDIN=1 make run`).
# shellcheck shell=bash

OAUTH_STANDIN_PID=
# Its address once started (http://127.0.0.1:PORT), like HERALD_TEST_OAUTH_URL but not exported.
OAUTH_STANDIN_URL=

# start_oauth_standin DIR: starts the stand-in (on a port the system picks, written to DIR/oauth-standin.port;
# its log is DIR/oauth-standin.log) and exports the variables that point the programs' platforms at it:
# X, LinkedIn and Reddit clients, endpoints and publishing APIs, the one Mastodon server allowed, the Bluesky server.
# Call it after HERALD_BASE_URL is set (the stand-in accepts only Herald's callback URLs), before start_programs.
start_oauth_standin() {
    local dir=$1 port url platform upper tries=0
    for platform in x linkedin reddit; do
        upper=${platform^^}
        export "HERALD_${upper}_CLIENT_ID=standin-$platform-client" "HERALD_${upper}_CLIENT_SECRET=standin-$platform-secret"
    done
    mkdir -p "$dir"
    rm -f "$dir/oauth-standin.port"
    python3 "$HERALD_ROOT/Tests/HeraldTests/Fixtures/oauth_standin.py" "$dir/oauth-standin.port" >>"$dir/oauth-standin.log" 2>&1 &
    OAUTH_STANDIN_PID=$!
    until [ -s "$dir/oauth-standin.port" ]; do
        tries=$((tries + 1))
        if [ $tries -gt 100 ] || ! kill -0 "$OAUTH_STANDIN_PID" 2>/dev/null; then
            tail -5 "$dir/oauth-standin.log" >&2
            die "the OAuth stand-in did not start"
        fi
        sleep 0.1
    done
    port=$(cat "$dir/oauth-standin.port")
    url="http://127.0.0.1:$port"
    for platform in x linkedin reddit; do
        upper=${platform^^}
        export "HERALD_${upper}_AUTHORIZE_URL=$url/$platform/authorize" "HERALD_${upper}_TOKEN_URL=$url/$platform/token"
    done
    export HERALD_X_REVOKE_URL=$url/x/revoke HERALD_X_USERINFO_URL=$url/x/2/users/me
    export HERALD_LINKEDIN_USERINFO_URL=$url/linkedin/v2/userinfo
    export HERALD_REDDIT_REVOKE_URL=$url/reddit/revoke HERALD_REDDIT_USERINFO_URL=$url/reddit/api/v1/me
    export HERALD_MASTODON_INSTANCES=$url HERALD_BLUESKY_SERVICE_URL=$url
    # Where herald-worker publishes: the stand-in's X, LinkedIn and Reddit APIs (Mastodon and Bluesky
    # posts go to the account's own server, the stand-in's root).
    export HERALD_X_API_URL=$url/x HERALD_LINKEDIN_API_URL=$url/linkedin HERALD_REDDIT_API_URL=$url/reddit
    # The language model (the stand-in's chat completions) and the pages AI sources may fetch from it
    # although it is on a private address.
    export HERALD_AI_BASE_URL=$url/openai/v1 HERALD_AI_MODEL=${HERALD_AI_MODEL:-standin}
    export HERALD_SOURCE_ALLOW_ORIGINS=$url
    export HERALD_TEST_OAUTH_URL=$url
    OAUTH_STANDIN_URL=$url
}

stop_oauth_standin() {
    [ -n "$OAUTH_STANDIN_PID" ] || return 0
    kill "$OAUTH_STANDIN_PID" 2>/dev/null || true
    wait "$OAUTH_STANDIN_PID" 2>/dev/null || true
    OAUTH_STANDIN_PID=
    OAUTH_STANDIN_URL=
}
