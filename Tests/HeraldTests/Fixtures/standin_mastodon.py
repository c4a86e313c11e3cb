"""Mastodon statuses and accounts on the stand-in (served at the root, next to /api/v1/apps and /oauth/…)."""
import html
import re
import time
from urllib.parse import urlencode

from standin_core import (IDEMPOTENCY, LOCK, POSTS, Reply, authenticate, counts, follower_count, graphemes, iso_micro,
                          known_accounts, rate, record_post, routes, snowflake_mastodon, take_fault)

PLATFORM = "mastodon"
API_LIMIT, API_PERIOD = 300, 300              # every API method, per token (or per IP without one)
STATUS_LIMIT, STATUS_PERIOD = 300, 3 * 3600   # the "statuses" family: statuses created per account
IDEMPOTENCY_TTL = 3600
MAX_CHARS, URL_CHARS = 500, 23
VISIBILITIES = ("public", "unlisted", "private", "direct")
URL_RE = re.compile(r"https?://[^\s<>\"]+[^\s<>\".,;:!?)\]']")
TAG_RE = re.compile(r"(?<![\w/])#(\w+)")


# ---- shared pieces ----
def rate_headers(limit, remaining, reset_at):
    # https://docs.joinmastodon.org/api/rate-limits/ ; Reset is Time#iso8601(6) (app/controllers/concerns/rate_limit_headers.rb)
    return [("X-RateLimit-Limit", str(limit)), ("X-RateLimit-Remaining", str(remaining)), ("X-RateLimit-Reset", iso_micro(reset_at))]


def api_rate(req, account):
    """Rack::Attack's throttle: 300 requests per 5 minutes per token, or per IP without one."""
    key = account.token if account else "ip:" + req.client_ip
    return rate(PLATFORM, "api", key, API_LIMIT, API_PERIOD, aligned=True)


def too_many(limit, reset_at):
    # config/initializers/rack_attack.rb throttled_responder: 429, Remaining 0, {"error": "Too many requests"}
    return Reply(429, {"error": "Too many requests"}, rate_headers(limit, 0, reset_at))


def unauthorized(why, headers=()):
    # Doorkeeper's descriptions, rendered by Api::BaseController (docs.joinmastodon.org/methods/statuses/#create 401)
    text = {"expired": "The access token expired", "revoked": "The access token was revoked"}.get(why, "The access token is invalid")
    challenge = 'Bearer realm="Doorkeeper", error="invalid_token", error_description="%s"' % text
    return Reply(401, {"error": text}, list(headers) + [("WWW-Authenticate", challenge)])


def params(req):
    """The form or JSON parameters (Rails accepts both)."""
    if req.content_type() == "application/json":
        body = req.json()
        return body if isinstance(body, dict) else {}
    return req.form()[0]


def format_content(text, base):
    """Mastodon's TextFormatter for local plain text: escaped, paragraphs, <br />, linked URLs and hashtags."""
    def link(url):
        url = html.unescape(url)
        scheme, _, rest = url.partition("://")
        shown, hidden = rest[:30], rest[30:]
        cls = "ellipsis" if hidden else ""
        return ('<a href="%s" target="_blank" rel="nofollow noopener" translate="no"><span class="invisible">%s://</span>'
                '<span class="%s">%s</span><span class="invisible">%s</span></a>') % (
                    html.escape(url), scheme, cls, html.escape(shown), html.escape(hidden))

    def line(s):
        s = URL_RE.sub(lambda m: link(m.group(0)), html.escape(s, quote=False))
        return TAG_RE.sub(lambda m: '<a href="%s/tags/%s" class="mention hashtag" rel="tag">#<span>%s</span></a>' % (
            base, m.group(1).lower(), m.group(1)), s)

    paragraphs = [p for p in re.split(r"\n{2,}", text.replace("\r\n", "\n").strip()) if p]
    return "".join("<p>%s</p>" % "<br />".join(line(s) for s in p.split("\n")) for p in paragraphs)


def account_entity(account_id, username, base):
    # https://docs.joinmastodon.org/entities/Account/
    mine = [p for p in POSTS[PLATFORM] if p["account"] == account_id]
    return {"id": account_id, "username": username, "acct": username, "display_name": username.title(), "locked": False,
            "bot": False, "discoverable": True, "indexable": False, "group": False, "created_at": "2024-01-01T00:00:00.000Z",
            "note": "", "url": "%s/@%s" % (base, username), "uri": "%s/users/%s" % (base, username),
            "avatar": base + "/avatars/original/missing.png", "avatar_static": base + "/avatars/original/missing.png",
            "header": base + "/headers/original/missing.png", "header_static": base + "/headers/original/missing.png",
            "followers_count": follower_count(account_id, len(mine)), "following_count": 0, "statuses_count": len(mine),
            "last_status_at": mine[-1]["created_at"][:10] if mine else None, "hide_collections": None,
            "noindex": False, "emojis": [], "roles": [], "fields": []}


def status_entity(post, base, viewer=None):
    # https://docs.joinmastodon.org/entities/Status/
    p = post["_params"]
    tags = [{"name": t.lower(), "url": "%s/tags/%s" % (base, t.lower())} for t in dict.fromkeys(TAG_RE.findall(post["text"]))]
    n = counts(post)
    entity = {"id": post["id"], "created_at": post["created_at"], "in_reply_to_id": p.get("in_reply_to_id") or None,
              "in_reply_to_account_id": None, "sensitive": post["_sensitive"], "spoiler_text": p.get("spoiler_text") or "",
              "visibility": post["visibility"], "language": p.get("language") or None,
              "uri": "%s/users/%s/statuses/%s" % (base, post["_username"], post["id"]),
              "url": "%s/@%s/%s" % (base, post["_username"], post["id"]), "replies_count": n["comments"],
              "reblogs_count": n["shares"], "favourites_count": n["likes"], "quotes_count": n["quotes"], "edited_at": None, "content": format_content(post["text"], base),
              "reblog": None, "application": None,
              "account": account_entity(post["account"], post["_username"], base), "media_attachments": [],
              "mentions": [], "tags": tags, "emojis": [], "quote": None, "card": None, "poll": None,
              "quote_approval": {"automatic": ["public"], "manual": [], "current_user": "automatic"}}
    if viewer is not None:
        entity.update(favourited=False, reblogged=False, muted=False, bookmarked=False, pinned=False, filtered=[])
    return entity


def visible(post, viewer):
    return post["visibility"] in ("public", "unlisted") or (viewer is not None and viewer.account_id == post["account"])


def fault_reply(fault):
    name = fault["fault"] if fault else None
    if name == "500":
        # Api::BaseController#respond_with_error: {"error": Rack::Utils::HTTP_STATUS_CODES[code]}
        return Reply(500, {"error": "Internal Server Error"})
    if name == "429":
        return too_many(STATUS_LIMIT, time.time() + 60)
    if name == "invalid":
        return Reply(422, {"error": "Validation failed: Text can't be blank"})
    if name == "expired":
        return unauthorized("expired")
    return None


def validate(p):
    """Mastodon's 422 for a status it will not create, or None (PostStatusService + Status validations)."""
    text = p.get("status") or ""
    if not text.strip() and not p.get("media_ids") and not p.get("media_ids[]"):
        return "Validation failed: Text can't be blank"
    # StatusLengthValidator: grapheme clusters of text and spoiler, each URL counting as 23
    length = graphemes(URL_RE.sub("x" * URL_CHARS, text)) + graphemes(p.get("spoiler_text") or "")
    if length > MAX_CHARS:
        return "Validation failed: Text character limit of %d exceeded" % MAX_CHARS
    if p.get("visibility") and p["visibility"] not in VISIBILITIES:
        # Guess: Status's visibility enum validation (recent Mastodon answers 422, not 500).
        return "Validation failed: Visibility is not included in the list"
    return None


# ---- endpoints ----
# https://docs.joinmastodon.org/methods/statuses/#create
def create_status(req):
    with LOCK:
        fault = take_fault(PLATFORM, req.bearer(), req.path)
        early = fault_reply(fault)
        if early and early.status != 429:
            # Rack::Attack counted the request before the failure: the headers are there too.
            limit, remaining, reset_at, _ = api_rate(req, authenticate(PLATFORM, req.bearer())[0])
            early.headers = rate_headers(limit, remaining, reset_at) + early.headers
        return (early or post_status(req)).after(fault)


def post_status(req):
    account, why = authenticate(PLATFORM, req.bearer())
    limit, remaining, reset_at, allowed = api_rate(req, account)
    headers = rate_headers(limit, remaining, reset_at)
    if not allowed:
        return too_many(limit, reset_at)
    if account is None:
        return unauthorized(why, headers)
    try:
        p = params(req)
    except ValueError:
        return Reply(400, {"error": "Error occurred while parsing request parameters"}, headers)
    # The Idempotency-Key is kept an hour per account (PostStatusService: "idempotency:status:<account>:<key>"),
    # checked before anything else: the same key answers the first status again.
    key = req.headers.get("Idempotency-Key")
    stored = IDEMPOTENCY.get((account.account_id, key)) if key else None
    if stored and stored[1] + IDEMPOTENCY_TTL > time.time():
        first = next(s for s in POSTS[PLATFORM] if s["id"] == stored[0])
        return Reply(200, status_entity(first, req.base, account), headers)
    problem = validate(p)
    if problem:
        return Reply(422, {"error": problem}, headers)
    # The statuses family (300 per 3 hours) is counted when a status is created; the headers show
    # whichever limit is closer (RateLimitHeaders#override_rate_limit_headers).
    s_limit, s_remaining, s_reset, s_allowed = rate(PLATFORM, "statuses", account.account_id, STATUS_LIMIT, STATUS_PERIOD)
    if not s_allowed:
        return too_many(s_limit, s_reset)
    if s_remaining < remaining:
        headers = rate_headers(s_limit, s_remaining, s_reset)
    sensitive = str(p.get("sensitive")).lower() in ("true", "1") or bool(p.get("spoiler_text"))
    post = record_post(PLATFORM, id=snowflake_mastodon(), text=p.get("status") or "", account=account.account_id,
                       idempotency_key=key, visibility=p.get("visibility") or "public", request_body=req.text,
                       _params=p, _username=account.handle, _sensitive=sensitive)
    if key:
        IDEMPOTENCY[(account.account_id, key)] = (post["id"], time.time())
    return Reply(200, status_entity(post, req.base, account), headers)


def optional_viewer(req):
    """authorize_if_got_token!: no token is fine, a bad one is a 401. (account, rate headers, error reply)."""
    token = req.bearer()
    account, why = authenticate(PLATFORM, token) if token else (None, None)
    limit, remaining, reset_at, allowed = api_rate(req, account)
    headers = rate_headers(limit, remaining, reset_at)
    if not allowed:
        return None, headers, too_many(limit, reset_at)
    if token and account is None:
        return None, headers, unauthorized(why, headers)
    return account, headers, None


def outside_scopes(headers=()):
    # Doorkeeper's 403 for a token without the scope the action needs (Api::BaseController)
    return Reply(403, {"error": "This action is outside the authorized scopes"}, headers)


# https://docs.joinmastodon.org/methods/statuses/#get (its counters grow with the status's age: standin_core.counts)
def get_status(req):
    with LOCK:
        fault = take_fault(PLATFORM, req.bearer(), req.path, create=False)
        return (fault_reply(fault) or read_status(req)).after(fault)


def read_status(req):
    viewer, headers, error = optional_viewer(req)
    if error:
        return error
    if viewer is not None and not viewer.may("read", "read:statuses"):
        # authorize_if_got_token! :read, :'read:statuses': a token without it is refused even a public status.
        return outside_scopes(headers)
    post = next((p for p in POSTS[PLATFORM] if p["id"] == req.params["id"]), None)
    if post is None or not visible(post, viewer):
        return Reply(404, {"error": "Record not found"}, headers)
    return Reply(200, status_entity(post, req.base, viewer), headers)


# https://docs.joinmastodon.org/methods/accounts/#verify_credentials: the CredentialAccount, whose
# followers_count is standin_core.follower_count. The scope is not checked: every Herald connection
# asks for read:accounts.
def verify_credentials(req):
    with LOCK:
        fault = take_fault(PLATFORM, req.bearer(), req.path, create=False)
        return (fault_reply(fault) or credential_account(req)).after(fault)


def credential_account(req):
    account, why = authenticate(PLATFORM, req.bearer())
    limit, remaining, reset_at, allowed = api_rate(req, account)
    headers = rate_headers(limit, remaining, reset_at)
    if not allowed:
        return too_many(limit, reset_at)
    if account is None:
        return unauthorized(why, headers)
    entity = account_entity(account.account_id, account.handle, req.base)
    entity["source"] = {"privacy": "public", "sensitive": False, "language": None, "note": "", "fields": [], "follow_requests_count": 0}
    return Reply(200, entity, headers)


# https://docs.joinmastodon.org/methods/accounts/#statuses
def account_statuses(req):
    with LOCK:
        viewer, headers, error = optional_viewer(req)
        if error:
            return error
        account_id = req.params["id"]
        known = {a.account_id for a in known_accounts(PLATFORM)} | {p["account"] for p in POSTS[PLATFORM]}
        if account_id not in known:
            return Reply(404, {"error": "Record not found"}, headers)
        q = req.query
        try:
            limit = min(max(int(q.get("limit") or 20), 1), 40)
        except ValueError:
            limit = 20
        posts = [p for p in POSTS[PLATFORM] if p["account"] == account_id and visible(p, viewer)]
        if q.get("exclude_replies") in ("true", "1"):
            posts = [p for p in posts if not p["_params"].get("in_reply_to_id")]
        if q.get("only_media") in ("true", "1") or q.get("pinned") in ("true", "1"):
            posts = []
        if q.get("tagged"):
            posts = [p for p in posts if q["tagged"].lower() in (t.lower() for t in TAG_RE.findall(p["text"]))]
        num = lambda p: int(p["id"])
        bound = lambda name: int(q[name]) if (q.get(name) or "").isdigit() else None
        if bound("max_id") is not None:
            posts = [p for p in posts if num(p) < bound("max_id")]
        if bound("since_id") is not None:
            posts = [p for p in posts if num(p) > bound("since_id")]
        if bound("min_id") is not None:
            posts = sorted((p for p in posts if num(p) > bound("min_id")), key=num)[:limit]
        page = sorted(posts, key=num, reverse=True)[:limit]
        if page:
            # Pagination by the Link header (docs.joinmastodon.org/api/guidelines/#pagination)
            path = "%s/api/v1/accounts/%s/statuses?" % (req.base, account_id)
            headers.append(("Link", '<%s>; rel="next", <%s>; rel="prev"' % (
                path + urlencode({"limit": limit, "max_id": page[-1]["id"]}), path + urlencode({"limit": limit, "min_id": page[0]["id"]}))))
        return Reply(200, [status_entity(p, req.base, viewer) for p in page], headers)


ROUTES = routes(
    ("POST", r"/api/v1/statuses", create_status),
    ("GET", r"/api/v1/statuses/(?P<id>[^/]+)", get_status),
    ("GET", r"/api/v1/accounts/verify_credentials", verify_credentials),
    ("GET", r"/api/v1/accounts/(?P<id>[^/]+)/statuses", account_statuses),
)
