"""The stand-in's control API for the publishing endpoints (documented in oauth_standin.py's docstring)."""
import re

from standin_core import (ACCOUNTS, CONFIG, DEFAULT_DELAY, FAULT_NAMES, FAULTS, LOCK, PLATFORMS, POSTS, Reply, expire,
                          iso_ms, public, reset_publishing, routes)


def bad(message):
    return Reply(400, {"error": message})


def body_of(req):
    """The JSON object of a control request, or a 400 Reply."""
    try:
        body = req.json() if req.body else {}
    except ValueError:
        return None, bad("a JSON object is expected")
    return (body, None) if isinstance(body, dict) else (None, bad("a JSON object is expected"))


def platform_of(value):
    return value if value in PLATFORMS else None


def register_account(req):
    body, error = body_of(req)
    if error:
        return error
    platform = platform_of(body.get("platform"))
    if not platform or not body.get("token") or not body.get("account_id"):
        return bad("platform (%s), token and account_id are required" % "|".join(PLATFORMS))
    scope = body.get("scope")
    if scope is not None and not isinstance(scope, str):
        return bad("scope is the token's permissions, space-separated")
    entry = {"platform": platform, "token": str(body["token"]), "account_id": str(body["account_id"]),
             "handle": str(body.get("handle") or body["account_id"])}
    if scope is not None:
        entry["scope"] = scope
    with LOCK:
        ACCOUNTS.append(entry)
    return Reply(200, entry)


def expire_token(req):
    body, error = body_of(req)
    if error:
        return error
    platform = platform_of(body.get("platform"))
    if not platform or not body.get("token"):
        return bad("platform and token are required")
    with LOCK:
        if not expire(platform, str(body["token"])):
            return Reply(404, {"error": "no such token"})
    return Reply(200, {"expired": True})


def queue_faults(req):
    body, error = body_of(req)
    if error:
        return error
    platform, faults = platform_of(body.get("platform")), body.get("faults")
    if not platform or not isinstance(faults, list) or any(f not in FAULT_NAMES for f in faults):
        return bad("platform and faults (a list of %s) are required" % ", ".join(FAULT_NAMES))
    delay = body.get("delay", DEFAULT_DELAY)
    if not isinstance(delay, (int, float)) or isinstance(delay, bool) or delay < 0:
        return bad("delay is a number of seconds")
    token = body.get("token")
    if token is not None and not isinstance(token, str):
        return bad("token is the bearer token the faults apply to")
    path = body.get("path")
    if path is not None and (not isinstance(path, str) or not path.startswith("/")):
        return bad("path is the start of the request paths the faults apply to, e.g. /x/2/tweets/")
    entry = {"delay": delay, "token": token}
    if path is not None:
        entry["path"] = path
    with LOCK:
        FAULTS[platform].extend(dict(entry, fault=f) for f in faults)
        return Reply(200, {platform: list(FAULTS[platform])})


def show_faults(req):
    with LOCK:
        return Reply(200, {p: list(FAULTS[p]) for p in PLATFORMS})


def reset(req):
    with LOCK:
        reset_publishing()
    return Reply(200, {})


def list_posts(req):
    platform = platform_of(req.query.get("platform"))
    if not platform:
        return bad("platform=%s is required" % "|".join(PLATFORMS))
    with LOCK:
        return Reply(200, [public(p) for p in POSTS[platform]])


def age_post(req):
    """Makes a post older: its creation time moves `seconds` into the past (its metrics grow with age)."""
    body, error = body_of(req)
    if error:
        return error
    platform, ident, seconds = platform_of(body.get("platform")), body.get("id"), body.get("seconds")
    if not platform or not isinstance(ident, str) or not isinstance(seconds, (int, float)) or isinstance(seconds, bool) or seconds < 0:
        return bad("platform, id (as the adapters store it) and seconds (>= 0) are required")
    with LOCK:
        post = next((p for p in POSTS[platform] if ident in (p["id"], p.get("name"))), None)
        if post is None:
            return Reply(404, {"error": "no such post"})
        post["_t"] -= seconds
        post["created_at"] = iso_ms(post["_t"])
        if "_at" in post:
            # LinkedIn keeps milliseconds, Reddit seconds.
            post["_at"] -= int(seconds * 1000) if platform == "linkedin" else seconds
        return Reply(200, public(post))


def linkedin_min_version(req):
    body, error = body_of(req)
    if error:
        return error
    version = str(body.get("version") or req.query.get("version") or "")
    if not re.fullmatch(r"\d{6}", version):
        return bad("version is YYYYMM")
    with LOCK:
        CONFIG["linkedin_min_version"] = version
    return Reply(200, {"version": version})


def reddit_subreddits(req):
    body, error = body_of(req)
    if error:
        return error
    missing = body.get("missing")
    if not isinstance(missing, list):
        return bad("missing is a list of subreddit names")
    with LOCK:
        CONFIG["reddit_missing"] = {str(name).lower() for name in missing}
    return Reply(200, {"missing": sorted(CONFIG["reddit_missing"])})


ROUTES = routes(
    ("POST", r"/_control/accounts", register_account),
    ("POST", r"/_control/expire", expire_token),
    ("POST", r"/_control/faults", queue_faults),
    ("GET", r"/_control/faults", show_faults),
    ("POST", r"/_control/reset", reset),
    ("GET", r"/_control/posts", list_posts),
    ("POST", r"/_control/age", age_post),
    ("POST", r"/_control/linkedin-min-version", linkedin_min_version),
    ("POST", r"/_control/reddit-subreddits", reddit_subreddits),
)
