"""Bluesky (atproto PDS) records on the stand-in: createRecord and getRecord, with the access JWTs the
session endpoints in oauth_standin.py issue (or tokens a test registered); and the AppView methods a
PDS passes on for its accounts, getPosts and getProfile, with counters that grow over time."""
import re
import time

from standin_core import (LOCK, POSTS, TID_RE, Reply, authenticate, cid_for, counts, follower_count, graphemes, iso_ms,
                          known_accounts, rate, record_post, routes, take_fault, tid)

PLATFORM = "bluesky"
POST_NSID = "app.bsky.feed.post"
# packages/pds/src/rate-limits.ts: writes cost points (create 3) per DID; everything else 3000 per 5 minutes per IP.
WRITE_LIMIT, WRITE_WINDOW, CREATE_POINTS = 5000, 3600, 3
DAY_LIMIT, DAY_WINDOW = 35000, 86400
GLOBAL_LIMIT, GLOBAL_WINDOW = 3000, 300
GET_POSTS_MAX = 25                                # lexicons/app/bsky/feed/getPosts.json: uris maxLength
TEXT_MAX_BYTES, TEXT_MAX_GRAPHEMES = 3000, 300   # lexicons/app/bsky/feed/post.json
NSID_RE = re.compile(r"^[a-zA-Z]([a-zA-Z0-9-]{0,62})?(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,62})?)+$")
RKEY_RE = re.compile(r"^[A-Za-z0-9._:~-]{1,512}$")
DATETIME_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")
FEATURES = {"app.bsky.richtext.facet#mention": ("did", r"^did:[a-z]+:[A-Za-z0-9._:%-]+$"),
            "app.bsky.richtext.facet#link": ("uri", r"^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$"),
            "app.bsky.richtext.facet#tag": ("tag", r"^.{1,640}$")}


def error(status, name, message, headers=()):
    # XRPC errors: {"error": <name>, "message": <text>} (https://atproto.com/specs/xrpc#error-responses)
    return Reply(status, {"error": name, "message": message}, headers)


def rate_headers(limit, remaining, reset_at, window):
    # packages/xrpc-server/src/rate-limiter-http.ts setStatusHeaders; https://docs.bsky.app/docs/advanced-guides/rate-limits
    return [("RateLimit-Limit", str(limit)), ("RateLimit-Remaining", str(remaining)), ("RateLimit-Reset", str(int(reset_at))),
            ("RateLimit-Policy", "%d;w=%d" % (limit, window))]


def global_rate(req):
    limit, remaining, reset_at, allowed = rate(PLATFORM, "global-ip", req.client_ip, GLOBAL_LIMIT, GLOBAL_WINDOW)
    return rate_headers(limit, remaining, reset_at, GLOBAL_WINDOW), allowed, reset_at


def rate_exceeded(limit, window, reset_at):
    retry = max(1, int(reset_at - time.time()))
    return error(429, "RateLimitExceeded", "Rate Limit Exceeded", rate_headers(limit, 0, reset_at, window) + [("Retry-After", str(retry))])


def auth_error(why, headers=()):
    # packages/pds/src/auth-verifier.ts verifyBearerJwt
    if why == "missing":
        return error(401, "AuthMissing", "Authentication Required", headers)
    if why == "expired":
        return error(400, "ExpiredToken", "Token has expired", headers)
    return error(400, "InvalidToken", "Token could not be verified", headers)


def invalid_record(message):
    # packages/pds/src/repo/prepare.ts: `Invalid ${$type} record: ${reason}`, reasons as @atproto/lex-schema words them
    return error(400, "InvalidRequest", "Invalid %s record: %s" % (POST_NSID, message))


def fault_reply(fault):
    name = fault["fault"] if fault else None
    if name == "500":
        return error(500, "InternalServerError", "Internal Server Error")
    if name == "429":
        return rate_exceeded(WRITE_LIMIT, WRITE_WINDOW, time.time() + 60)
    if name == "invalid":
        return invalid_record("grapheme too big (maximum %d, got %d) at $.record.text" % (TEXT_MAX_GRAPHEMES, TEXT_MAX_GRAPHEMES + 1))
    if name == "expired":
        return auth_error("expired")
    return None


def validate_post(record):
    """The app.bsky.feed.post lexicon's checks, plus facet ranges inside the text; a message or None."""
    text = record.get("text")
    if "text" not in record:
        return 'Missing required key "text" at $.record'
    if not isinstance(text, str):
        return "Expected string value type (got %s) at $.record.text" % type(text).__name__
    size = len(text.encode("utf-8"))
    if size > TEXT_MAX_BYTES:
        return "string too big (maximum %d, got %d) at $.record.text" % (TEXT_MAX_BYTES, size)
    count = graphemes(text)
    if count > TEXT_MAX_GRAPHEMES:
        return "grapheme too big (maximum %d, got %d) at $.record.text" % (TEXT_MAX_GRAPHEMES, count)
    if "createdAt" not in record:
        return 'Missing required key "createdAt" at $.record'
    if not isinstance(record["createdAt"], str) or not DATETIME_RE.match(record["createdAt"]):
        return 'Invalid datetime string (got %r) at $.record.createdAt' % (record["createdAt"],)
    langs = record.get("langs")
    if langs is not None and (not isinstance(langs, list) or len(langs) > 3):
        return "array too big (maximum 3, got %d) at $.record.langs" % (len(langs) if isinstance(langs, list) else 0)
    facets = record.get("facets")
    if facets is None:
        return None
    if not isinstance(facets, list):
        return "Expected array value type at $.record.facets"
    for i, facet in enumerate(facets):
        problem = validate_facet(facet, "$.record.facets[%d]" % i, size)
        if problem:
            return problem
    return None


def validate_facet(facet, path, text_bytes):
    # lexicons/app/bsky/richtext/facet.json: index {byteStart, byteEnd} integers >= 0, features a union.
    if not isinstance(facet, dict) or not isinstance(facet.get("index"), dict):
        return 'Missing required key "index" at ' + path
    index = facet["index"]
    for key in ("byteStart", "byteEnd"):
        value = index.get(key)
        if value is None:
            return 'Missing required key "%s" at %s.index' % (key, path)
        if not isinstance(value, int) or isinstance(value, bool):
            return "Expected integer value type at %s.index.%s" % (path, key)
        if value < 0:
            return "integer too small (minimum 0, got %d) at %s.index.%s" % (value, path, key)
    # Stricter than the reference PDS, which only enforces the minimum of 0 (the AppView drops facets
    # outside the text): byteStart/byteEnd are UTF-8 byte offsets and must lie within the text.
    if index["byteStart"] > index["byteEnd"] or index["byteEnd"] > text_bytes:
        return "facet byte range %d..%d outside the text (%d bytes) at %s.index" % (index["byteStart"], index["byteEnd"], text_bytes, path)
    features = facet.get("features")
    if not isinstance(features, list):
        return 'Missing required key "features" at ' + path
    for j, feature in enumerate(features):
        kind = feature.get("$type") if isinstance(feature, dict) else None
        if kind not in FEATURES:
            return 'Expected an object which includes the "$type" property value type at %s.features[%d]' % (path, j)
        field, pattern = FEATURES[kind]
        value = feature.get(field)
        if not isinstance(value, str) or not re.match(pattern, value):
            return 'Invalid %s (got %r) at %s.features[%d].%s' % (field, value, path, j, field)
    return None


def resolve_repo(repo):
    """The DID a repo parameter (DID or handle) names, or None."""
    for account in known_accounts(PLATFORM):
        if repo in (account.account_id, account.handle):
            return account.account_id
    return next((p["account"] for p in POSTS[PLATFORM] if p["account"] == repo), None)


# ---- endpoints ----
# https://docs.bsky.app/docs/api/com-atproto-repo-create-record
def create_record(req):
    with LOCK:
        fault = take_fault(PLATFORM, req.bearer(), req.path)
        early = fault_reply(fault)
        if early and early.status != 429:
            early.headers = global_rate(req)[0] + early.headers   # the per-IP limiter runs on every request
        return (early or write_record(req)).after(fault)


def write_record(req):
    headers, allowed, reset_at = global_rate(req)
    if not allowed:
        return rate_exceeded(GLOBAL_LIMIT, GLOBAL_WINDOW, reset_at)
    account, why = authenticate(PLATFORM, req.bearer())
    if account is None:
        return auth_error(why, headers)
    if req.content_type() != "application/json":
        return error(400, "InvalidRequest", "Wrong request encoding (Content-Type): %s" % (req.content_type() or "none"), headers)
    try:
        body = req.json()
    except ValueError:
        return error(400, "InvalidRequest", "Invalid JSON body", headers)
    if not isinstance(body, dict):
        return error(400, "InvalidRequest", "Expected object value type (got %s) at $" % type(body).__name__, headers)
    for key in ("repo", "collection", "record"):
        if key not in body:
            return error(400, "InvalidRequest", 'Missing required key "%s" at $' % key, headers)
    repo, collection, record, rkey, validate = body["repo"], body["collection"], body["record"], body.get("rkey"), body.get("validate")
    if not isinstance(collection, str) or not NSID_RE.match(collection):
        return error(400, "InvalidRequest", "Invalid NSID (got %r) at $.collection" % (collection,), headers)
    if not isinstance(record, dict):
        return error(400, "InvalidRequest", "Expected object value type at $.record", headers)
    # Writes are counted per DID in points, an hour and a day at a time (the headers show the hour).
    limit, remaining, w_reset, allowed = rate(PLATFORM, "repo-write-hour", account.account_id, WRITE_LIMIT, WRITE_WINDOW, CREATE_POINTS)
    _, _, d_reset, day_allowed = rate(PLATFORM, "repo-write-day", account.account_id, DAY_LIMIT, DAY_WINDOW, CREATE_POINTS)
    if not allowed or not day_allowed:
        return rate_exceeded(WRITE_LIMIT, WRITE_WINDOW, w_reset) if not allowed else rate_exceeded(DAY_LIMIT, DAY_WINDOW, d_reset)
    headers = rate_headers(limit, remaining, w_reset, WRITE_WINDOW)
    did = resolve_repo(repo)
    if did is None:
        return error(403, "AccountNotFound", "Account not found", headers)
    if did != account.account_id:
        return error(401, "AuthenticationRequired", "Authentication Required", headers)
    # packages/pds/src/repo/prepare.ts prepareWrite
    record = dict(record)
    record.setdefault("$type", collection)
    if record["$type"] != collection:
        return error(400, "InvalidRequest", "Invalid $type: expected %s, got %s" % (collection, record["$type"]), headers)
    if rkey is not None and (not isinstance(rkey, str) or not RKEY_RE.match(rkey) or rkey in (".", "..")):
        return error(400, "InvalidRequest", "Invalid record key: %s" % (rkey,), headers)
    status = None
    if validate is not False:
        if collection == POST_NSID:
            if rkey is not None and not TID_RE.match(rkey):
                return error(400, "InvalidRequest", 'Invalid record key for %s: Invalid TID string (got "%s")' % (POST_NSID, rkey), headers)
            problem = validate_post(record)
            if problem:
                reply = invalid_record(problem)
                reply.headers = headers
                return reply
            status = "valid"
        elif validate is True:
            return error(400, "InvalidRequest", "Unknown lexicon type: %s" % collection, headers)
        else:
            status = "unknown"
    rkey = rkey or tid()
    uri = "at://%s/%s/%s" % (did, collection, rkey)
    if any(p["id"] == uri for p in POSTS[PLATFORM]):
        # A PDS refuses a record that already exists with a 500: the MST insert throws "There is already a
        # value at key" (github.com/bluesky-social/atproto/issues/3718; the RecordAlreadyExists error of
        # github.com/bluesky-social/atproto/pull/4728 is not released).
        return error(500, "InternalServerError", "Internal Server Error", headers)
    cid = cid_for(record)
    rev = tid()
    record_post(PLATFORM, id=uri, text=record.get("text") if isinstance(record.get("text"), str) else "", account=did,
                rkey=rkey, collection=collection, cid=cid, request_body=req.text, _value=record)
    body = {"uri": uri, "cid": cid, "commit": {"cid": cid_for({"rev": rev, "data": cid}), "rev": rev}}
    if status:
        body["validationStatus"] = status
    return Reply(200, body, headers)


# https://docs.bsky.app/docs/api/com-atproto-repo-get-record
def get_record(req):
    with LOCK:
        headers, allowed, reset_at = global_rate(req)
        if not allowed:
            return rate_exceeded(GLOBAL_LIMIT, GLOBAL_WINDOW, reset_at)
        q = req.query
        for key in ("repo", "collection", "rkey"):
            if not q.get(key):
                return error(400, "InvalidRequest", 'Invalid com.atproto.repo.getRecord params: Missing required key "%s"' % key, headers)
        did = resolve_repo(q["repo"]) or q["repo"]
        uri = "at://%s/%s/%s" % (did, q["collection"], q["rkey"])
        post = next((p for p in POSTS[PLATFORM] if p["id"] == uri and (not q.get("cid") or p["cid"] == q["cid"])), None)
        if post is None:
            # packages/pds/src/api/com/atproto/repo/getRecord.ts
            return error(400, "RecordNotFound", "Could not locate record: %s" % uri, headers)
        return Reply(200, {"uri": uri, "cid": post["cid"], "value": post["_value"]}, headers)


def handle_of(did):
    return next((a.handle for a in known_accounts(PLATFORM) if a.account_id == did), "handle.invalid")


def profile_basic(did):
    # app.bsky.actor.defs#profileViewBasic
    return {"did": did, "handle": handle_of(did), "displayName": handle_of(did).split(".")[0].title(), "associated": {},
            "viewer": {"muted": False, "blockedBy": False}, "labels": [], "createdAt": "2024-01-01T00:00:00.000Z"}


def post_view(post):
    # app.bsky.feed.defs#postView (docs.bsky.app/docs/api/app-bsky-feed-get-posts); counters: standin_core.counts
    n = counts(post)
    return {"uri": post["id"], "cid": post["cid"], "author": profile_basic(post["account"]), "record": post["_value"],
            "replyCount": n["comments"], "repostCount": n["shares"], "likeCount": n["likes"], "quoteCount": n["quotes"],
            "indexedAt": post["created_at"], "viewer": {"threadMuted": False, "embeddingDisabled": False}, "labels": []}


def appview_viewer(req):
    """The PDS checks the access JWT before it passes an app.bsky.* call on: (headers, error reply)."""
    headers, allowed, reset_at = global_rate(req)
    if not allowed:
        return headers, rate_exceeded(GLOBAL_LIMIT, GLOBAL_WINDOW, reset_at)
    account, why = authenticate(PLATFORM, req.bearer())
    return headers, (None if account else auth_error(why, headers))


# https://docs.bsky.app/docs/api/app-bsky-feed-get-posts: the posts that exist, in the order asked; a
# URI of a post that does not exist (or no longer does) is left out.
def get_posts(req):
    with LOCK:
        fault = take_fault(PLATFORM, req.bearer(), req.path, create=False)
        return (fault_reply(fault) or list_posts(req)).after(fault)


def list_posts(req):
    headers, problem = appview_viewer(req)
    if problem:
        return problem
    uris = [value for name, value in req.query_lists if name == "uris"]
    if not uris:
        return error(400, "InvalidRequest", 'Error: Params must have the property "uris"', headers)
    if len(uris) > GET_POSTS_MAX:
        return error(400, "InvalidRequest", "Error: uris must not have more than %d elements" % GET_POSTS_MAX, headers)
    if any(not u.startswith("at://") for u in uris):
        return error(400, "InvalidRequest", "Error: uris/0 must be a valid at-uri", headers)
    by_uri = {p["id"]: p for p in POSTS[PLATFORM]}
    return Reply(200, {"posts": [post_view(by_uri[u]) for u in uris if u in by_uri]}, headers)


# https://docs.bsky.app/docs/api/app-bsky-actor-get-profile: app.bsky.actor.defs#profileViewDetailed,
# followersCount from standin_core.follower_count.
def get_profile(req):
    with LOCK:
        fault = take_fault(PLATFORM, req.bearer(), req.path, create=False)
        return (fault_reply(fault) or profile(req)).after(fault)


def profile(req):
    headers, problem = appview_viewer(req)
    if problem:
        return problem
    actor = req.query.get("actor")
    if not actor:
        return error(400, "InvalidRequest", 'Error: Params must have the property "actor"', headers)
    did = resolve_repo(actor)
    if did is None:
        return error(400, "InvalidRequest", "Profile not found", headers)
    made = [p for p in POSTS[PLATFORM] if p["account"] == did]
    view = profile_basic(did)
    view.update(description="", followersCount=follower_count(did, len(made)), followsCount=0, postsCount=len(made),
                indexedAt=iso_ms(made[-1]["_t"]) if made else "2024-01-01T00:00:00.000Z")
    return Reply(200, view, headers)


ROUTES = routes(
    ("POST", r"/xrpc/com\.atproto\.repo\.createRecord", create_record),
    ("GET", r"/xrpc/com\.atproto\.repo\.getRecord", get_record),
    ("GET", r"/xrpc/app\.bsky\.feed\.getPosts", get_posts),
    ("GET", r"/xrpc/app\.bsky\.actor\.getProfile", get_profile),
)
