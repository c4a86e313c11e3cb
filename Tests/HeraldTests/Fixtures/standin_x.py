"""X (API v2) posts and users on the stand-in, under /x like its OAuth endpoints."""
import base64
import re
import time

from standin_core import (LOCK, POSTS, Reply, authenticate, counts, follower_count, known_accounts, rate, record_post, routes,
                          snowflake_x, take_fault)

PLATFORM = "x"
# docs.x.com/x-api/fundamentals/rate-limits: per user, 15-minute windows (POST /2/tweets answered with limit 100 in 2026)
CREATE_LIMIT, TIMELINE_LIMIT, LOOKUP_LIMIT, WINDOW = 100, 900, 900, 900
MAX_WEIGHT, URL_WEIGHT = 280, 23
INVALID_TYPE = "https://api.twitter.com/2/problems/invalid-request"
URL_RE = re.compile(r"https?://\S+")


def problem(status, title, detail, headers=(), type_="about:blank"):
    # X API v2 errors are RFC 7807 problem documents (docs.x.com/x-api/fundamentals/response-codes-and-errors)
    # (served as application/json; charset=utf-8, as seen on a 403 duplicate)
    return Reply(status, {"title": title, "detail": detail, "type": type_, "status": status}, headers)


def invalid_request(message, parameters=None, headers=()):
    # The 400 "Invalid Request" shape: errors[] with the parameter and message, then title/detail/type.
    return Reply(400, {"errors": [{"parameters": parameters or {}, "message": message}], "title": "Invalid Request",
                       "detail": "One or more parameters to your request was invalid.", "type": INVALID_TYPE}, headers)


def unauthorized():
    return problem(401, "Unauthorized", "Unauthorized")


def rate_headers(limit, remaining, reset_at):
    # x-rate-limit-reset is a Unix timestamp in seconds (docs.x.com/x-api/fundamentals/rate-limits)
    return [("x-rate-limit-limit", str(limit)), ("x-rate-limit-remaining", str(remaining)), ("x-rate-limit-reset", str(int(reset_at)))]


def too_many(limit, reset_at):
    return problem(429, "Too Many Requests", "Too Many Requests", rate_headers(limit, 0, reset_at))


def weighted_length(text):
    """twitter-text v3: code points in the Latin ranges weigh 1, others 2, every URL 23 (max 280)."""
    def weight(ch):
        cp = ord(ch)
        return 1 if cp <= 4351 or 8192 <= cp <= 8205 or 8208 <= cp <= 8223 or 8242 <= cp <= 8247 else 2
    urls = URL_RE.findall(text)
    rest = URL_RE.sub("", text)
    return sum(weight(ch) for ch in rest) + URL_WEIGHT * len(urls)


def too_long_message():
    # As X words it (seen through tweepy's BadRequest on POST /2/tweets)
    return "Your Tweet text is too long. For more information on how Twitter determines text length see https://github.com/twitter/twitter-text."


def fault_reply(fault):
    name = fault["fault"] if fault else None
    if name == "500":
        return problem(500, "Internal Server Error", "Internal Server Error")   # guess: the v2 problem shape for a 500
    if name == "429":
        return too_many(CREATE_LIMIT, time.time() + 60)
    if name == "invalid":
        return invalid_request(too_long_message(), {"text": ["…"]})
    if name == "expired":
        return unauthorized()
    return None


# ---- endpoints ----
# https://docs.x.com/x-api/posts/creation-of-a-post
def create_tweet(req):
    with LOCK:
        fault = take_fault(PLATFORM, req.bearer(), req.path)
        return (fault_reply(fault) or post_tweet(req)).after(fault)


def post_tweet(req):
    account, _ = authenticate(PLATFORM, req.bearer())
    if account is None:
        return unauthorized()
    if req.content_type() != "application/json":
        return invalid_request("Requests with bodies must have content-type of application/json.")
    try:
        body = req.json()
    except ValueError:
        return invalid_request("Request body is not valid JSON.")   # guess at the wording
    limit, remaining, reset_at, allowed = rate(PLATFORM, "tweets", account.account_id, CREATE_LIMIT, WINDOW)
    if not allowed:
        return too_many(limit, reset_at)
    headers = rate_headers(limit, remaining, reset_at)
    text = body.get("text") if isinstance(body, dict) else None
    if not isinstance(text, str) or not text.strip():
        if not (isinstance(body, dict) and (body.get("media") or body.get("poll") or body.get("quote_tweet_id"))):
            # guess at the wording: X refuses a post with neither text nor media
            return invalid_request("Post text is empty. Provide text, media or a poll.", {"text": [text or ""]}, headers)
    if weighted_length(text or "") > MAX_WEIGHT:
        return invalid_request(too_long_message(), {"text": [text]}, headers)
    if text and any(p["account"] == account.account_id and p["text"] == text for p in POSTS[PLATFORM]):
        # Observed answer to a repeated text from the same account.
        return problem(403, "Forbidden", "You are not allowed to create a Tweet with duplicate content.", headers)
    post = record_post(PLATFORM, id=snowflake_x(), text=text or "", account=account.account_id, request_body=req.text)
    return Reply(201, {"data": {"id": post["id"], "text": post["text"], "edit_history_tweet_ids": [post["id"]]}}, headers)


# https://docs.x.com/x-api/posts/timelines/introduction (the user Post timeline: max_results 5–100, default 10)
def user_tweets(req):
    with LOCK:
        account, _ = authenticate(PLATFORM, req.bearer())
        if account is None:
            return unauthorized()
        limit, remaining, reset_at, allowed = rate(PLATFORM, "timeline", account.account_id, TIMELINE_LIMIT, WINDOW)
        if not allowed:
            return too_many(limit, reset_at)
        headers = rate_headers(limit, remaining, reset_at)
        user, q = req.params["id"], req.query
        if not re.fullmatch(r"[0-9]{1,19}", user):
            return invalid_request("The `id` query parameter value [%s] does not match ^[0-9]{1,19}$" % user, {"id": [user]}, headers)
        raw = q.get("max_results", "10")
        if not raw.isdigit() or not 5 <= int(raw) <= 100:
            return invalid_request("The `max_results` query parameter value [%s] is not between 5 and 100" % raw, {"max_results": [raw]}, headers)
        known = {a.account_id for a in known_accounts(PLATFORM)} | {p["account"] for p in POSTS[PLATFORM]}
        if user not in known:
            # A missing user is a 200 with a partial error, as v2 lookups do.
            return Reply(200, {"errors": [{"value": user, "detail": "Could not find user with id: [%s]." % user, "title": "Not Found Error",
                                            "resource_type": "user", "parameter": "id", "resource_id": user,
                                            "type": "https://api.twitter.com/2/problems/resource-not-found"}]}, headers)
        posts = sorted((p for p in POSTS[PLATFORM] if p["account"] == user), key=lambda p: int(p["id"]), reverse=True)
        for name, keep in (("since_id", lambda p, v: int(p["id"]) > v), ("until_id", lambda p, v: int(p["id"]) < v)):
            if (q.get(name) or "").isdigit():
                posts = [p for p in posts if keep(p, int(q[name]))]
        token = q.get("pagination_token")
        if token:
            try:
                below = int(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode())
            except ValueError:
                return invalid_request("The `pagination_token` query parameter value [%s] is not valid" % token, {"pagination_token": [token]}, headers)
            posts = [p for p in posts if int(p["id"]) < below]
        page, more = posts[:int(raw)], len(posts) > int(raw)
        if not page:
            return Reply(200, {"meta": {"result_count": 0}}, headers)
        fields = set((q.get("tweet.fields") or "").split(","))
        data = []
        for p in page:
            item = {"id": p["id"], "text": p["text"], "edit_history_tweet_ids": [p["id"]]}
            if "created_at" in fields:
                item["created_at"] = p["created_at"]
            if "author_id" in fields:
                item["author_id"] = p["account"]
            data.append(item)
        meta = {"result_count": len(page), "newest_id": page[0]["id"], "oldest_id": page[-1]["id"]}
        if more:
            meta["next_token"] = base64.urlsafe_b64encode(page[-1]["id"].encode()).decode().rstrip("=")
        return Reply(200, {"data": data, "meta": meta}, headers)


def not_found(kind, value, parameter="id"):
    """The partial error v2 lookups answer for what does not exist: a 200 with errors and no data."""
    return {"value": value, "detail": "Could not find %s with %s: [%s]." % (kind, parameter, value), "title": "Not Found Error",
            "resource_type": kind, "parameter": parameter, "resource_id": value, "type": "https://api.twitter.com/2/problems/resource-not-found"}


# https://docs.x.com/x-api/posts/lookup/quickstart: GET /2/tweets/:id; public_metrics (docs.x.com/x-api/fundamentals/fields)
# when tweet.fields asks for them, growing with the post's age (standin_core.counts).
def get_tweet(req):
    with LOCK:
        fault = take_fault(PLATFORM, req.bearer(), req.path, create=False)
        return (fault_reply(fault) or lookup_tweet(req)).after(fault)


def lookup_tweet(req):
    account, _ = authenticate(PLATFORM, req.bearer())
    if account is None:
        return unauthorized()
    limit, remaining, reset_at, allowed = rate(PLATFORM, "lookup", account.account_id, LOOKUP_LIMIT, WINDOW)
    if not allowed:
        return too_many(limit, reset_at)
    headers = rate_headers(limit, remaining, reset_at)
    ident = req.params["id"]
    if not re.fullmatch(r"[0-9]{1,19}", ident):
        return invalid_request("The `id` query parameter value [%s] does not match ^[0-9]{1,19}$" % ident, {"id": [ident]}, headers)
    post = next((p for p in POSTS[PLATFORM] if p["id"] == ident), None)
    if post is None:
        # Observed for a deleted post (the integrate guide says 404; the reader takes both).
        return Reply(200, {"errors": [not_found("tweet", ident)]}, headers)
    data = {"id": post["id"], "text": post["text"], "edit_history_tweet_ids": [post["id"]]}
    fields = set((req.query.get("tweet.fields") or "").split(","))
    if "public_metrics" in fields:
        n = counts(post)
        data["public_metrics"] = {"retweet_count": n["shares"], "reply_count": n["comments"], "like_count": n["likes"],
                                  "quote_count": n["quotes"], "bookmark_count": n["saves"], "impression_count": n["views"]}
    if "created_at" in fields:
        data["created_at"] = post["created_at"]
    if "author_id" in fields:
        data["author_id"] = post["account"]
    return Reply(200, {"data": data}, headers)


# https://docs.x.com/x-api/users/lookup/quickstart/authenticated-lookup: the token's user; public_metrics
# when user.fields asks for them (followers_count: standin_core.follower_count). Not rate-limited here:
# every connection of the OAuth tests asks it.
def users_me(req):
    with LOCK:
        fault = take_fault(PLATFORM, req.bearer(), req.path, create=False)
        return (fault_reply(fault) or me(req)).after(fault)


def me(req):
    account, _ = authenticate(PLATFORM, req.bearer())
    if account is None:
        return unauthorized()
    data = {"id": account.account_id, "name": account.handle.title(), "username": account.handle}
    if "public_metrics" in (req.query.get("user.fields") or "").split(","):
        made = sum(1 for p in POSTS[PLATFORM] if p["account"] == account.account_id)
        data["public_metrics"] = {"followers_count": follower_count(account.account_id, made), "following_count": 0,
                                  "tweet_count": made, "listed_count": 0, "like_count": 0, "media_count": 0}
    return Reply(200, {"data": data})


ROUTES = routes(
    ("POST", r"/x/2/tweets", create_tweet),
    ("GET", r"/x/2/tweets/(?P<id>[^/]+)", get_tweet),
    ("GET", r"/x/2/users/me", users_me),
    ("GET", r"/x/2/users/(?P<id>[^/]+)/tweets", user_tweets),
)
