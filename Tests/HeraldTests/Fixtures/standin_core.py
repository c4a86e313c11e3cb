"""Shared state and helpers of the platform stand-in (oauth_standin.py is the entry point and documents
the control API): the one lock, who a bearer token is, the per-platform fault queues, the posts made and
the metrics they gather, rate-limit windows, ids in each platform's format, and the Request/Reply pair
the publishing endpoints use.
"""
import base64
import hashlib
import json
import re
import threading
import time
import unicodedata
from collections import deque
from datetime import datetime, timezone
from urllib.parse import parse_qsl

LOCK = threading.Lock()
PLATFORMS = ("mastodon", "bluesky", "x", "linkedin", "reddit")
FAULT_NAMES = ("500", "429", "drop", "slow", "invalid", "expired")
DEFAULT_DELAY = 5
DEFAULTS = {"linkedin_min_version": "202411"}

# ---- OAuth and session state (the flows themselves live in oauth_standin.py) ----
CLIENTS = {}        # platform -> {client_id: (secret, [redirect_uris])}
CODES = {}          # code -> dict
GRANTS = []         # dicts: platform, user, client_id, access, refresh, expires, revoked
REVOKED = {}        # platform -> [tokens revoked through the revoke endpoint]
FAIL_REVOKE = set() # platforms whose revoke endpoint answers 503
SESSIONS = []       # Bluesky: dicts did, handle, access, refresh, revoked
SETTINGS = {"expires_in": 7200}

# ---- publishing state ----
ACCOUNTS = []                                # registered by /_control/accounts: platform, token, account_id, handle
EXPIRED = set()                              # (platform, token) marked expired by /_control/expire
POSTS = {p: [] for p in PLATFORMS}           # every post created, in order (keys starting "_" are internal)
FAULTS = {p: deque() for p in PLATFORMS}     # {"fault": name, "delay": seconds}
RATE = {}                                    # (platform, bucket, key) -> [window start, used]
IDEMPOTENCY = {}                             # Mastodon: (account id, key) -> (status id, stored at)
CONFIG = {"linkedin_min_version": DEFAULTS["linkedin_min_version"], "reddit_missing": set()}


def reset_publishing():
    """/_control/reset: forget posts, faults, registered accounts, expiry marks, counters and settings."""
    for platform in PLATFORMS:
        POSTS[platform].clear()
        FAULTS[platform].clear()
    ACCOUNTS.clear()
    EXPIRED.clear()
    RATE.clear()
    IDEMPOTENCY.clear()
    CONFIG.update(linkedin_min_version=DEFAULTS["linkedin_min_version"], reddit_missing=set())


# ---- small helpers ----
def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def user_id(name):
    return str(int(hashlib.sha256(name.encode()).hexdigest()[:12], 16))


def did_for(handle):
    return "did:plc:" + hashlib.sha256(handle.encode()).hexdigest()[:24]


def iso_ms(t):
    """2019-12-05T11:34:47.196Z: the datetime format of Mastodon, Bluesky and X."""
    return datetime.fromtimestamp(t, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (int(t * 1000) % 1000)


def iso_micro(t):
    """Ruby's Time#iso8601(6) in UTC (2020-09-08T13:25:00.019685Z), as Mastodon's X-RateLimit-Reset."""
    return datetime.fromtimestamp(t, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def graphemes(text):
    """An approximation of the number of extended grapheme clusters (UAX #29) with the standard library:
    combining marks, variation selectors, emoji modifiers and tags, ZWJ sequences, regional-indicator
    pairs, CR LF and Hangul jamo join the cluster before them."""
    count, prev, joined, regional = 0, None, False, 0
    for ch in text:
        cp = ord(ch)
        extend = (unicodedata.category(ch) in ("Mn", "Me", "Mc") or 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF
                  or 0x1F3FB <= cp <= 0x1F3FF or 0xE0020 <= cp <= 0xE007F or cp == 0x200D)
        if 0x1F1E6 <= cp <= 0x1F1FF:
            regional += 1
            extend = regional % 2 == 0
        else:
            regional = 0
        hangul = prev is not None and (0x1160 <= cp <= 0x11FF) and (0x1100 <= ord(prev) <= 0x11FF or 0xAC00 <= ord(prev) <= 0xD7A3)
        if not (count and (extend or joined or hangul or (prev == "\r" and ch == "\n"))):
            count += 1
        joined, prev = cp == 0x200D, ch
    return count


# ---- ids in each platform's format ----
_SEQ = {"n": 0}


def _next_seq():
    _SEQ["n"] = (_SEQ["n"] + 1) % 4096
    return _SEQ["n"]


def snowflake_mastodon():
    """Mastodon's ids: milliseconds since 1970 shifted 16 bits, plus a sequence."""
    return str((int(time.time() * 1000) << 16) | _next_seq())


def snowflake_x():
    """X's ids: milliseconds since the Twitter epoch shifted 22 bits, plus worker and sequence."""
    return str(((int(time.time() * 1000) - 1288834974657) << 22) | (1 << 12) | _next_seq())


def linkedin_id():
    """A 19-digit activity id, as in urn:li:share:7012345678901234567."""
    return str(7000000000000000000 + ((int(time.time() * 1000) << 12) | _next_seq()) % 999999999999999999)


_B32S = "234567abcdefghijklmnopqrstuvwxyz"
_TID = {"last": 0}


def tid():
    """An atproto TID: 53 bits of microseconds and a 10-bit clock id, base32-sortable, 13 characters."""
    micros = max(int(time.time() * 1_000_000), _TID["last"] + 1)
    _TID["last"] = micros
    value, out = (micros << 10) | 7, ""
    for _ in range(13):
        out = _B32S[value & 31] + out
        value >>= 5
    return out


TID_RE = re.compile(r"^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$")


def cid_for(data):
    """A CIDv1 (dag-cbor, sha2-256) in base32, bafyrei…; hashed over the JSON, not real DAG-CBOR."""
    raw = bytes([0x01, 0x71, 0x12, 0x20]) + hashlib.sha256(json.dumps(data, sort_keys=True).encode()).digest()
    return "b" + base64.b32encode(raw).decode().lower().rstrip("=")


_REDDIT = {"n": 36 ** 6 * 20}


def reddit_id():
    _REDDIT["n"] += 1
    n, out = _REDDIT["n"], ""
    while n:
        n, r = divmod(n, 36)
        out = "0123456789abcdefghijklmnopqrstuvwxyz"[r] + out
    return out


# ---- who a bearer token is ----
class Account:
    """A platform account a token acts as. account_id: the platform's id for it (Mastodon and X numeric
    ids, the Bluesky DID, the LinkedIn member id or urn, the Reddit id); handle: its user name; scope: the
    permissions the token was granted (space-separated), or None for a token that may do everything."""

    def __init__(self, platform, account_id, handle, token, scope=None):
        self.platform, self.account_id, self.handle, self.token = platform, account_id, handle, token
        self.scope = scope or None

    def may(self, *scopes):
        """True when the token holds one of the scopes (or is unrestricted)."""
        return self.scope is None or any(s in self.scope.split() for s in scopes)


def authenticate(platform, token):
    """(Account, None) for a token the stand-in issued or a test registered; otherwise (None, why) with
    why one of "missing", "unknown", "expired", "revoked"."""
    if not token:
        return None, "missing"
    expired = (platform, token) in EXPIRED
    for entry in reversed(ACCOUNTS):
        if entry["platform"] == platform and entry["token"] == token:
            return (None, "expired") if expired else (Account(platform, entry["account_id"], entry["handle"], token, entry.get("scope")), None)
    if platform == "bluesky":
        session = next((s for s in SESSIONS if s["access"] == token), None)
        if session is None:
            return None, "unknown"
        if expired or jwt_exp(token) < time.time():
            return None, "expired"
        return Account(platform, session["did"], session["handle"], token), None
    grant = next((g for g in GRANTS if g["platform"] == platform and g["access"] == token), None)
    if grant is None:
        return None, "unknown"
    if grant["revoked"]:
        return None, "revoked"
    if expired or (grant["expires"] and grant["expires"] < time.time()):
        return None, "expired"
    uid = user_id(grant["user"])
    account_id = {"linkedin": "li-" + uid, "reddit": uid[:7]}.get(platform, uid)
    return Account(platform, account_id, grant["user"], token, grant["scope"]), None


def jwt_exp(token):
    try:
        payload = token.split(".")[1]
        return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["exp"]
    except (IndexError, ValueError, KeyError):
        return 0


def known_accounts(platform):
    """Every account of the platform the stand-in knows (registered, signed in, or that posted)."""
    out = [Account(platform, a["account_id"], a["handle"], a["token"]) for a in ACCOUNTS if a["platform"] == platform]
    if platform == "bluesky":
        out += [Account(platform, s["did"], s["handle"], s["access"]) for s in SESSIONS]
    else:
        for g in GRANTS:
            if g["platform"] == platform:
                uid = user_id(g["user"])
                out.append(Account(platform, {"linkedin": "li-" + uid, "reddit": uid[:7]}.get(platform, uid), g["user"], g["access"]))
    return out


def expire(platform, token):
    """Marks a token expired; False when no such token is known."""
    known = any(a["platform"] == platform and a["token"] == token for a in ACCOUNTS)
    if platform == "bluesky":
        known = known or any(s["access"] == token for s in SESSIONS)
    else:
        known = known or any(g["platform"] == platform and g["access"] == token for g in GRANTS)
    if known:
        EXPIRED.add((platform, token))
    return known


# ---- faults, posts, rate windows ----
def take_fault(platform, token=None, path=None, create=True):
    """The next fault queued for the platform that applies to this request, or None (call under LOCK).
    A fault queued with a "path" applies to the requests whose path starts with it (a create endpoint's
    or a read's: "/api/v1/statuses/" is the status reads, not the create); one without applies to the
    create endpoints (create=True) only. Faults queued with a "token" apply to that token's requests
    only, so tests running side by side do not take each other's."""
    queue = FAULTS[platform]
    for index, entry in enumerate(queue):
        target = entry.get("path")
        if entry.get("token") in (None, token) and ((path or "").startswith(target) if target else create):
            del queue[index]
            return entry
    return None


def record_post(platform, **fields):
    now = time.time()
    fields.setdefault("created_at", iso_ms(now))
    fields.setdefault("_t", now)
    POSTS[platform].append(fields)
    return fields


# ---- metrics: numbers that grow with a post's age, the same for the same post at the same age ----
def seed(text):
    """A number from an id: the sum of its UTF-8 bytes (the tests compute it the same way)."""
    return sum(str(text).encode("utf-8"))


def age(post):
    """Whole seconds since the post was made (POST /_control/age makes a post older)."""
    return max(0, int(time.time() - post["_t"]))


def counts(post):
    """The counters every platform's metrics endpoint shows for a post, from e = age(post) and
    k = 1 + seed(id) % 3 (id: the platform's id as the adapters store it: Mastodon/X id, Bluesky at://
    URI, LinkedIn URN, Reddit t3_ fullname): likes k·e, shares e//3, comments e//5, quotes e//10,
    saves e//4, views 20·k·e, and Reddit's score 1 + k·e//2 − 3·((e//4) % 2), which dips every other
    4 seconds. All but the score never go down."""
    e, k = age(post), 1 + seed(post.get("name") or post["id"]) % 3
    return {"likes": k * e, "shares": e // 3, "comments": e // 5, "quotes": e // 10, "saves": e // 4, "views": 20 * k * e,
            "score": 1 + k * e // 2 - 3 * ((e // 4) % 2)}


def follower_count(account_id, posts_made):
    """An account's followers: 100 + seed(account id) % 900, and 3 more for each post it made here."""
    return 100 + seed(account_id) % 900 + 3 * posts_made


def public(post):
    return {k: v for k, v in post.items() if not k.startswith("_")}


def rate(platform, bucket, key, limit, period, cost=1, aligned=False, consume=True):
    """Counts a request in a fixed window; (limit, remaining, reset epoch, allowed). Windows start at the
    first request (rate-limiter-flexible, X) or at multiples of the period (Rack::Attack, Reddit)."""
    now = time.time()
    slot = RATE.setdefault((platform, bucket, key), [now - now % period if aligned else now, 0])
    if now >= slot[0] + period:
        slot[0], slot[1] = (now - now % period if aligned else now), 0
    allowed = slot[1] + cost <= limit
    if consume and allowed:
        slot[1] += cost
    return limit, max(0, limit - slot[1]), slot[0] + period, allowed


# ---- requests and replies of the publishing endpoints ----
class Request:
    """What an endpoint function sees: method, path, query (dict), params (from the route), headers, body."""

    def __init__(self, handler, path, query, params):
        self.method, self.path, self.params = handler.command, path, params
        self.query = dict(parse_qsl(query, keep_blank_values=True))
        self.query_lists = parse_qsl(query, keep_blank_values=True)
        self.headers = handler.headers
        length = int(self.headers.get("Content-Length") or 0)
        self.body = handler.rfile.read(length) if length else b""
        self.base = "http://" + (self.headers.get("Host") or "127.0.0.1:%d" % handler.server.server_address[1])
        self.client_ip = handler.client_address[0]

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    def content_type(self):
        return (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()

    def bearer(self):
        header = self.headers.get("Authorization") or ""
        return header[7:].strip() if header.lower().startswith("bearer ") else None

    def json(self):
        """The JSON body (ValueError when it is not JSON)."""
        return json.loads(self.body.decode("utf-8"))

    def form(self):
        """The form body as a dict (last value wins) and as (name, value) pairs."""
        pairs = parse_qsl(self.body.decode("utf-8", "replace"), keep_blank_values=True)
        return dict(pairs), pairs


class Reply:
    """An answer: status, body (dict/list → JSON, str, bytes or None), extra headers; action "drop" (close
    without a byte) or "slow" (answer after delay seconds) is set by a fault."""

    def __init__(self, status, body=None, headers=(), content_type="application/json; charset=utf-8"):
        self.status, self.body, self.headers, self.content_type = status, body, list(headers), content_type
        self.action, self.delay = None, 0

    def after(self, fault):
        if fault and fault["fault"] in ("drop", "slow"):
            self.action, self.delay = fault["fault"], fault["delay"]
        return self


def route(routes, method, path):
    """(function, params) for the first route matching, or None."""
    for m, pattern, func in routes:
        if m == method:
            match = pattern.fullmatch(path)
            if match:
                return func, match.groupdict()
    return None


def routes(*entries):
    return [(m, re.compile(p), f) for m, p, f in entries]
