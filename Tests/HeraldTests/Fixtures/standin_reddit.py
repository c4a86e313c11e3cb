"""Reddit submissions, their look-up and the user's profile on the stand-in, under /reddit like its OAuth
endpoints (oauth.reddit.com paths)."""
import re
import time
from urllib.parse import urlsplit

from standin_core import (CONFIG, LOCK, POSTS, Reply, authenticate, counts, follower_count, known_accounts, rate, record_post,
                          reddit_id, routes, take_fault)

PLATFORM = "reddit"
# support.reddithelp.com/hc/en-us/articles/16160319875092-Reddit-Data-API-Wiki: 100 queries per minute per
# client, averaged over 10 minutes; the headers count the 10-minute window.
LIMIT, WINDOW = 1000, 600
TITLE_MAX, TEXT_MAX = 300, 40000
SR_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_]{2,20}$")
SITE = "https://www.reddit.com"


def rate_headers(used, remaining, reset_at):
    # Used, Remaining (a float) and Reset (seconds to the end of the window), as reddit sends them
    return [("x-ratelimit-used", str(used)), ("x-ratelimit-remaining", "%.1f" % remaining),
            ("x-ratelimit-reset", str(max(0, int(reset_at - time.time()))))]


def count(account):
    limit, remaining, reset_at, _ = rate(PLATFORM, "api", account.token, LIMIT, WINDOW, aligned=True)
    return rate_headers(limit - remaining, remaining, reset_at)


def unauthorized():
    # oauth.reddit.com's 401: {"message": "Unauthorized", "error": 401}, with a Bearer challenge
    return Reply(401, {"message": "Unauthorized", "error": 401}, [("www-authenticate", 'Bearer realm="reddit", error="invalid_token"')])


def errors_reply(errors, headers=(), api_type="json"):
    """Reddit answers a refused submission with 200 and the errors inside (r2/controllers/api.py POST_submit)."""
    if api_type != "json":
        return jquery_reply(None, errors, headers)
    return Reply(200, {"json": {"errors": [list(e) for e in errors]}}, headers)


def jquery_reply(url, errors, headers):
    # Without api_type=json reddit answers its legacy jQuery instructions; a minimal form of them.
    calls = [[0, 1, "call", ["body"]]]
    for code, text, field in errors:
        calls += [[1, 2, "attr", "find"], [2, 3, "call", [".error.%s.field-%s" % (code, field)]], [3, 4, "attr", "text"], [4, 5, "call", [text]]]
    if url:
        calls += [[0, 6, "attr", "redirect"], [6, 7, "call", [url]]]
    return Reply(200, {"jquery": calls, "success": not errors}, headers)


def ratelimit_error(minutes):
    # The RATELIMIT error as reddit words it today (praw-dev/praw#1954); older: "you are doing that too much. try again in N minutes."
    return ("RATELIMIT", "Looks like you've been doing that a lot. Take a break for %d minute%s before trying again." % (minutes, "" if minutes == 1 else "s"), "ratelimit")


def fault_reply(fault, api_type):
    name = fault["fault"] if fault else None
    if name == "500":
        return Reply(500, {"message": "Internal Server Error", "error": 500})   # guess: the shape of reddit's JSON 401/404
    if name == "429":
        return errors_reply([ratelimit_error(1)], rate_headers(LIMIT, 0, time.time() + 60), api_type)
    if name == "invalid":
        return errors_reply([("NO_TEXT", "we need something here", "title")], (), api_type)
    if name == "expired":
        return unauthorized()
    return None


def read_fault_reply(fault):
    """A fault on a read: as on a submission, except that a rate limit is the HTTP 429 reads get."""
    if fault and fault["fault"] == "429":
        return Reply(429, {"message": "Too Many Requests", "error": 429}, rate_headers(LIMIT, 0, time.time() + 60))
    return fault_reply(fault, "json")


def submission_errors(form):
    """The first refusal reddit would give, in its order of checks (r2/controllers/api.py POST_submit, r2/lib/errors.py)."""
    sr, kind, title = (form.get("sr") or "").strip(), form.get("kind") or "", form.get("title") or ""
    if not sr:
        return ("SUBREDDIT_REQUIRED", "you must specify a subreddit", "sr")
    if not SR_RE.match(sr) or sr.lower() in CONFIG["reddit_missing"]:
        return ("SUBREDDIT_NOEXIST", "that subreddit doesn't exist", "sr")
    if kind not in ("link", "self"):
        return ("INVALID_OPTION", "that option is not valid", "kind")
    if not title.strip():
        return ("NO_TEXT", "we need something here", "title")
    if len(title) > TITLE_MAX:
        return ("TOO_LONG", "this is too long (max: %d)" % TITLE_MAX, "title")
    if kind == "link":
        url = (form.get("url") or "").strip()
        if not url:
            return ("NO_URL", "a url is required", "url")
        parts = urlsplit(url if "://" in url else "http://" + url)
        if parts.scheme not in ("http", "https") or "." not in parts.netloc:
            return ("BAD_URL", "you should check that url", "url")
        if form.get("resubmit") not in ("true", "1", "on") and any(
                p["kind"] == "link" and p["subreddit"].lower() == sr.lower() and p["text"] == url for p in POSTS[PLATFORM]):
            return ("ALREADY_SUB", "that link has already been submitted", "url")
    elif len(form.get("text") or "") > TEXT_MAX:
        return ("TOO_LONG", "this is too long (max: %d)" % TEXT_MAX, "text")
    return None


def slug(title):
    return "_".join(re.sub(r"[^a-z0-9 ]", "", title.lower()).split())[:50] or "_"


def link_entity(post):
    # A t3 (link) as listings carry it (www.reddit.com/dev/api#listings); score and num_comments grow (and the
    # score dips) with the post's age: standin_core.counts
    is_self, sr, n = post["kind"] == "self", post["subreddit"], counts(post)
    return {"kind": "t3", "data": {
        "subreddit": sr, "subreddit_name_prefixed": "r/" + sr, "selftext": post["text"] if is_self else "",
        "selftext_html": None, "author": post["account"], "author_fullname": post["_author_fullname"], "title": post["title"],
        "name": post["name"], "id": post["id"], "is_self": is_self, "created": post["_at"], "created_utc": post["_at"],
        "permalink": post["_permalink"], "url": post["url"] if is_self else post["text"],
        "domain": "self." + sr if is_self else urlsplit(post["text"]).netloc, "num_comments": n["comments"], "score": n["score"],
        "ups": max(n["score"], 0), "downs": 0, "upvote_ratio": 1.0, "over_18": False, "spoiler": False, "locked": False, "stickied": False,
        "archived": False, "hidden": False, "saved": False, "edited": False, "link_flair_text": None, "approved_at_utc": None}}


# ---- endpoints ----
# https://www.reddit.com/dev/api#POST_api_submit
def submit(req):
    with LOCK:
        fault = take_fault(PLATFORM, req.bearer(), req.path)
        form = req.form()[0] if req.content_type() == "application/x-www-form-urlencoded" else {}
        return (fault_reply(fault, form.get("api_type")) or submit_post(req, form)).after(fault)


def submit_post(req, form):
    account, _ = authenticate(PLATFORM, req.bearer())
    if account is None:
        return unauthorized()
    headers = count(account)
    api_type = form.get("api_type")
    refusal = submission_errors(form)
    if refusal:
        return errors_reply([refusal], headers, api_type)
    ident, sr, title, kind = reddit_id(), form["sr"].strip(), form["title"], form["kind"]
    permalink = "/r/%s/comments/%s/%s/" % (sr, ident, slug(title))
    username = account.handle or account.account_id
    fullname = account.account_id if str(account.account_id).startswith("t2_") else "t2_%s" % account.account_id
    post = record_post(PLATFORM, id=ident, name="t3_" + ident, kind=kind, subreddit=sr, title=title,
                       text=(form.get("text") or "") if kind == "self" else form["url"].strip(), account=username,
                       url=SITE + permalink, request_body=req.text, _permalink=permalink, _author_fullname=fullname,
                       _at=float(int(time.time())))
    if api_type != "json":
        return jquery_reply(post["url"], [], headers)
    return Reply(200, {"json": {"errors": [], "data": {"url": post["url"], "drafts_count": 0, "id": ident, "name": post["name"]}}}, headers)


# https://www.reddit.com/dev/api#GET_user_{username}_submitted
def submitted(req):
    with LOCK:
        account, _ = authenticate(PLATFORM, req.bearer())
        if account is None:
            return unauthorized()
        headers = count(account)
        name = req.params["name"]
        known = {(a.handle or a.account_id).lower() for a in known_accounts(PLATFORM)} | {p["account"].lower() for p in POSTS[PLATFORM]}
        if name.lower() not in known:
            return Reply(404, {"message": "Not Found", "error": 404}, headers)
        q = req.query
        try:
            limit = min(max(int(q.get("limit") or 25), 1), 100)
        except ValueError:
            limit = 25
        posts = [p for p in reversed(POSTS[PLATFORM]) if p["account"].lower() == name.lower()]
        if q.get("after"):
            names = [p["name"] for p in posts]
            posts = posts[names.index(q["after"]) + 1:] if q["after"] in names else []
        elif q.get("before"):
            names = [p["name"] for p in posts]
            posts = posts[:names.index(q["before"])][-limit:] if q["before"] in names else []
        page = posts[:limit]
        after = page[-1]["name"] if len(posts) > limit else None
        return Reply(200, {"kind": "Listing", "data": {"after": after, "dist": len(page), "modhash": None, "geo_filter": "",
                                                       "children": [link_entity(p) for p in page], "before": None}}, headers)


# https://www.reddit.com/dev/api#GET_api_info: the things named by id (comma-separated fullnames, up to
# 100), as a Listing; what does not exist is left out.
def info(req):
    with LOCK:
        fault = take_fault(PLATFORM, req.bearer(), req.path, create=False)
        return (read_fault_reply(fault) or things(req)).after(fault)


def things(req):
    account, _ = authenticate(PLATFORM, req.bearer())
    if account is None:
        return unauthorized()
    headers = count(account)
    names = [n for n in (req.query.get("id") or "").split(",") if n][:100]
    by_name = {p["name"]: p for p in POSTS[PLATFORM]}
    children = [link_entity(by_name[n]) for n in names if n in by_name]
    return Reply(200, {"kind": "Listing", "data": {"after": None, "dist": len(children), "modhash": None, "geo_filter": "",
                                                   "children": children, "before": None}}, headers)


# https://www.reddit.com/dev/api#GET_api_v1_me: the user, with the profile subreddit whose subscribers are
# the user's followers (standin_core.follower_count). Also the "who am I" of the OAuth flow.
def me(req):
    with LOCK:
        fault = take_fault(PLATFORM, req.bearer(), req.path, create=False)
        return (read_fault_reply(fault) or identity(req)).after(fault)


def identity(req):
    account, _ = authenticate(PLATFORM, req.bearer())
    if account is None:
        return unauthorized()
    name, ident = account.handle, str(account.account_id)
    ident = ident[3:] if ident.startswith("t2_") else ident
    made = sum(1 for p in POSTS[PLATFORM] if p["account"].lower() == name.lower())
    return Reply(200, {"id": ident, "name": name, "created_utc": 1704067200.0, "link_karma": 1, "comment_karma": 0, "total_karma": 1,
                       "subreddit": {"display_name": "u_" + name, "display_name_prefixed": "u/" + name, "title": name.title(),
                                     "name": "t5_" + ident, "url": "/user/%s/" % name, "subreddit_type": "user",
                                     "subscribers": follower_count(ident, made), "public_description": "", "over_18": False}},
                 count(account))


ROUTES = routes(
    ("POST", r"/reddit/api/submit", submit),
    ("GET", r"/reddit/user/(?P<name>[^/]+)/submitted(?:\.json)?", submitted),
    ("GET", r"/reddit/api/info(?:\.json)?", info),
    ("GET", r"/reddit/api/v1/me", me),
)
