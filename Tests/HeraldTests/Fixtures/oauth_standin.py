#!/usr/bin/env python3
"""A local stand-in for the social platforms Herald connects to and publishes on, for the tests.

It speaks the real wire format of each platform, checking what a strict provider checks: the authorize
request (client, redirect URI, response_type=code, PKCE S256, state), the token endpoint (client
authentication by HTTP Basic or in the body as the platform does, the PKCE verifier against the
challenge, single-use codes, refresh tokens), revocation, the "who am I" endpoint in each platform's JSON
shape, Mastodon's app registration and Bluesky's sessions; then each platform's posting and look-up
endpoints with their status codes, JSON shapes, rate-limit headers and error bodies.

    X          /x/authorize  /x/token (Basic)  /x/revoke  /x/2/users/me[?user.fields=public_metrics]
               POST /x/2/tweets  GET /x/2/users/:id/tweets  GET /x/2/tweets/:id[?tweet.fields=public_metrics]
    LinkedIn   /linkedin/authorize  /linkedin/token (body)  /linkedin/v2/userinfo   (no revoke)
               POST /linkedin/rest/posts  GET /linkedin/rest/posts?q=author&author=…  GET /linkedin/rest/socialActions/:urn
    Reddit     /reddit/authorize  /reddit/token (Basic)  /reddit/revoke  /reddit/api/v1/me (subreddit.subscribers)
               POST /reddit/api/submit  GET /reddit/user/:name/submitted  GET /reddit/api/info?id=t3_…
    Mastodon   /api/v1/apps  /oauth/authorize  /oauth/token (body)  /oauth/revoke  /api/v1/accounts/verify_credentials
               POST /api/v1/statuses  GET /api/v1/statuses/:id  GET /api/v1/accounts/:id/statuses
    Bluesky    /xrpc/com.atproto.server.createSession | refreshSession | deleteSession
               POST /xrpc/com.atproto.repo.createRecord  GET /xrpc/com.atproto.repo.getRecord
               GET /xrpc/app.bsky.feed.getPosts?uris=…  GET /xrpc/app.bsky.actor.getProfile?actor=…
    AI drafts  POST /openai/v1/chat/completions (OpenAI's wire format) and test pages under /pages/ for the
               source fetcher; their control API is documented in standin_openai.py (/_control/openai/…)

The clients of X, LinkedIn and Reddit and the redirect URIs come from Herald's own variables
(HERALD_X_CLIENT_ID, …, HERALD_BASE_URL). Two things only a test can do, as query parameters of the
authorize request: `login_as=NAME` (who signs in at the provider) and `deny=1` (the user cancels).
The publishing endpoints accept the access tokens the stand-in issued (OAuth grants, Bluesky accessJwt)
and tokens a test registered (below). The platform modules sit next to this file: standin_core.py (state,
token → account, faults, rate windows, ids), standin_<platform>.py (endpoints), standin_control.py.

Control (JSON bodies; answers are JSON; 400 {"error": …} for a malformed control request)
  OAuth and sessions
    GET  /_control/tokens?platform=P&user=U       [{"access", "refresh", "revoked"}] of U's grants at P
    GET  /_control/revocations?platform=P         tokens sent to P's revoke endpoint, in order
    GET  /_control/sessions?handle=H              Bluesky sessions of H (did, handle, access, refresh, revoked)
    GET  /_control/apps                           Mastodon apps: {client_id: {"secret", "redirect_uris"}}
    POST /_control/revoke-grants?platform=P&user=U   the user revokes Herald at the platform
    POST /_control/fail-revoke?platform=P&on=1|0     P's revoke endpoint answers 503 / works again
  Accounts and tokens (P is one of mastodon, bluesky, x, linkedin, reddit)
    POST /_control/accounts {"platform": P, "token": T, "account_id": ID, "handle": NAME, "scope": "…"}
        T is accepted as a bearer token at P, acting as ID (Mastodon/X numeric id, Bluesky DID, LinkedIn
        member id or urn:li:person:…/urn:li:organization:…, Reddit t2_ id) named NAME; answers the entry.
        "scope" (optional, space-separated) is what T was granted; without it T may do everything. OAuth
        grants have the scope of their authorize request. Checked where a platform refuses a token without
        the permission: Mastodon's GET /api/v1/statuses/:id (read or read:statuses; 403) and LinkedIn's
        socialActions (r_member_social or r_organization_social; 403).
    POST /_control/expire {"platform": P, "token": T}
        T (registered, OAuth access token or Bluesky accessJwt) is expired from now: {"expired": true}, 404 if unknown.
  Faults: each request to a create endpoint (POST /api/v1/statuses, createRecord, /x/2/tweets,
  /linkedin/rest/posts, /reddit/api/submit) takes the next fault queued for its platform, if any.
    POST /_control/faults {"platform": P, "faults": ["500", "429", "drop", "slow", "invalid", "expired"], "delay": 5}
        appends to P's queue (delay, seconds, default 5, is kept with each fault of the call); answers {P: queue}.
        With "token": T, the faults apply only to requests with that bearer token (tests side by side).
        With "path": "/…", the faults apply to the requests whose path starts with it instead (and not to
        the other create requests): the metrics reads GET /api/v1/statuses/, /api/v1/accounts/verify_credentials,
        /xrpc/app.bsky.feed.getPosts, /xrpc/app.bsky.actor.getProfile, /x/2/tweets/, /x/2/users/me,
        /linkedin/rest/socialActions/, /reddit/api/info, /reddit/api/v1/me take them, as do the create endpoints.
        "500"      the platform's 500 body; nothing created
        "429"      the platform's rate-limit answer, Remaining 0 and the reset ~60 s ahead in its format
                   (Reddit: 200 with a RATELIMIT error to a submission, HTTP 429 to a read; LinkedIn sends no
                   rate-limit headers); nothing created
        "drop"     the post is created, then the connection closes without a byte of answer (a read: no answer)
        "slow"     the post is created, the answer comes after `delay` seconds (other requests are served meanwhile)
        "invalid"  the platform's validation error (status and body as it sends them); nothing created
        "expired"  the platform's expired-token error; nothing created
    GET  /_control/faults                          {P: [{"fault", "delay", "token", "path"?}, …]} for every platform
  Posts
    GET  /_control/posts?platform=P                every post created at P, in order: id, text, account (the
        Mastodon/X account id, Bluesky DID, LinkedIn author urn or Reddit user name it was posted as),
        created_at, request_body (the raw request body), and per platform idempotency_key and visibility
        (Mastodon), rkey, uri (= id), collection and cid (Bluesky), title, subreddit, kind, name and url (Reddit)
    POST /_control/reset                           forgets posts, faults, registered accounts, expiry marks,
        rate-limit counters, Mastodon idempotency keys and the two settings below (OAuth grants stay)
    POST /_control/age {"platform": P, "id": ID, "seconds": N}
        the post ID (as the adapters store it: Reddit's t3_ name, Bluesky's at:// URI, …) was made N seconds
        earlier than it was; answers the post
  Metrics: every platform's counters for a post grow with its age e (whole seconds since it was made) and
  k = 1 + (the sum of the UTF-8 bytes of its id as the adapters store it) % 3: likes k·e, shares (reblogs,
  reposts, retweets) e//3, comments (replies) e//5, quotes e//10, saves (bookmarks) e//4, views
  (impressions) 20·k·e, Reddit's score 1 + k·e//2 − 3·((e//4) % 2) (it dips every other 4 seconds). Each
  platform shows those it has (standin_core.counts). An account's followers: 100 + (the byte sum of its
  id: Mastodon/X id, Bluesky DID, Reddit id without t2_) % 900 + 3 per post it made here.
  Settings
    POST /_control/linkedin-min-version {"version": "YYYYMM"}   oldest LinkedIn-Version accepted (default 202411;
        older ones and months still to come answer 426 NONEXISTENT_VERSION)
    POST /_control/reddit-subreddits {"missing": ["name", …]}  subreddits that do not exist (SUBREDDIT_NOEXIST)

Usage: oauth_standin.py PORT_FILE   (Python 3 standard library only)
Listens on 127.0.0.1 on a port the system picks (no race with other test runs) and writes it to PORT_FILE.
Requests are served on threads; publishing endpoints hold the shared lock only while they read or change state.
"""
import base64
import hashlib
import json
import os
import re
import secrets
import socket
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlencode

sys.dont_write_bytecode = True  # the sibling modules below: no __pycache__ in the checkout
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import standin_bluesky  # noqa: E402
import standin_control  # noqa: E402
import standin_linkedin  # noqa: E402
import standin_mastodon  # noqa: E402
import standin_openai  # noqa: E402
import standin_reddit  # noqa: E402
import standin_x  # noqa: E402
from standin_core import (ACCOUNTS, CLIENTS, CODES, EXPIRED, FAIL_REVOKE, GRANTS, LOCK, REVOKED, SESSIONS,  # noqa: E402
                          SETTINGS, Request, b64url, route, user_id)

FIXED = ("x", "linkedin", "reddit")
# How each platform authenticates clients at its token and revoke endpoints.
CLIENT_AUTH = {"x": "basic", "reddit": "basic", "linkedin": "body", "mastodon": "body"}
# The publishing endpoints and the control API: (method, path pattern, function(Request) -> Reply).
ROUTES = (standin_control.ROUTES + standin_mastodon.ROUTES + standin_bluesky.ROUTES + standin_x.ROUTES
          + standin_linkedin.ROUTES + standin_reddit.ROUTES + standin_openai.ROUTES)
# The "who am I" of X, Reddit and Mastodon are platform endpoints (in their modules, with follower counts).
ME_PLATFORM = {"/linkedin/v2/userinfo": "linkedin"}


def configure():
    base = os.environ.get("HERALD_BASE_URL", "http://127.0.0.1:8080").rstrip("/")
    for platform in FIXED:
        prefix = "HERALD_%s_" % platform.upper()
        client_id = os.environ.get(prefix + "CLIENT_ID")
        if client_id:
            CLIENTS[platform] = {client_id: (os.environ.get(prefix + "CLIENT_SECRET"), ["%s/oauth/%s/callback" % (base, platform)])}
    CLIENTS["mastodon"] = {}


class Handler(BaseHTTPRequestHandler):
    # An answer's headers and body go out in two sends; with Nagle's algorithm the body would wait for
    # the client's delayed ACK, ~40 ms on every request (socketserver's own switch for TCP_NODELAY).
    disable_nagle_algorithm = True
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        sys.stderr.write("oauth-standin: %s %s\n" % (self.command, self.path.split("?")[0]))

    # ---- plumbing ----
    def send(self, status, body=b"", content_type="application/json", headers=()):
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
        elif isinstance(body, str):
            body = body.encode()
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        if body or status not in (204, 302):
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def oauth_error(self, status, error, description=None):
        body = {"error": error}
        if description:
            body["error_description"] = description
        self.send(status, body)

    def body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def form(self):
        if not (self.headers.get("Content-Type") or "").startswith("application/x-www-form-urlencoded"):
            return None
        return dict(parse_qsl(self.body().decode(), keep_blank_values=True))

    def bearer(self):
        header = self.headers.get("Authorization") or ""
        return header[7:] if header.lower().startswith("bearer ") else None

    def client(self, platform, form):
        """The authenticated client id, or None; the way the platform wants it."""
        clients = CLIENTS.get(platform, {})
        if CLIENT_AUTH[platform] == "basic":
            header = self.headers.get("Authorization") or ""
            if not header.startswith("Basic "):
                return None
            try:
                client_id, _, secret = base64.b64decode(header[6:]).decode().partition(":")
            except Exception:
                return None
            if "client_id" in form and "client_secret" in form:
                return None  # one authentication method per request (RFC 6749 2.3)
        else:
            client_id, secret = form.get("client_id"), form.get("client_secret")
        known = clients.get(client_id)
        if known is None or (known[0] or "") != (secret or ""):
            return None
        return client_id

    def respond(self, reply):
        """Sends a publishing endpoint's Reply; a "drop" fault closes the connection without a byte, a
        "slow" one answers after its delay (outside the lock: other requests go on meanwhile)."""
        if reply.action == "drop":
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        if reply.action == "slow":
            time.sleep(reply.delay)
        body = reply.body
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
        elif isinstance(body, str):
            body = body.encode()
        body = body or b""
        self.send_response(reply.status)
        for name, value in reply.headers:
            self.send_header(name, value)
        if body:
            self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def publishing(self):
        """Answers the request if it is for a publishing endpoint or the control API in ROUTES."""
        path, _, query = self.path.partition("?")
        found = route(ROUTES, self.command, path)
        if found is None:
            return False
        func, params = found
        self.respond(func(Request(self, path, query, params)))
        return True

    # ---- routing ----
    def do_GET(self):
        if self.publishing():
            return
        path, _, query = self.path.partition("?")
        params = dict(parse_qsl(query, keep_blank_values=True))
        with LOCK:
            if path in ("/x/authorize", "/linkedin/authorize", "/reddit/authorize"):
                return self.authorize(path.split("/")[1], params)
            if path == "/oauth/authorize":
                return self.authorize("mastodon", params)
            if path in ME_PLATFORM:
                return self.me(path)
            if path == "/_control/tokens":
                grants = [g for g in GRANTS if g["platform"] == params.get("platform") and g["user"] == params.get("user")]
                return self.send(200, [{k: g[k] for k in ("access", "refresh", "revoked")} for g in grants])
            if path == "/_control/revocations":
                return self.send(200, REVOKED.get(params.get("platform"), []))
            if path == "/_control/sessions":
                return self.send(200, [s for s in SESSIONS if s["handle"] == params.get("handle")])
            if path == "/_control/apps":
                return self.send(200, {k: {"secret": v[0], "redirect_uris": v[1]} for k, v in CLIENTS["mastodon"].items()})
        self.send(404, {"error": "not_found"})

    def do_POST(self):
        if self.publishing():
            return
        path, _, query = self.path.partition("?")
        params = dict(parse_qsl(query, keep_blank_values=True))
        with LOCK:
            if path in ("/x/token", "/linkedin/token", "/reddit/token"):
                return self.token(path.split("/")[1])
            if path == "/oauth/token":
                return self.token("mastodon")
            if path in ("/x/revoke", "/reddit/revoke"):
                return self.revoke(path.split("/")[1])
            if path == "/oauth/revoke":
                return self.revoke("mastodon")
            if path == "/api/v1/apps":
                return self.register_app()
            if path.startswith("/xrpc/com.atproto.server."):
                return self.bluesky(path.rsplit(".", 1)[1])
            # Control: the user revokes Herald at the platform; the revoke endpoint goes down or comes back.
            if path == "/_control/revoke-grants":
                for g in GRANTS:
                    if g["platform"] == params.get("platform") and g["user"] == params.get("user"):
                        g["revoked"] = True
                return self.send(200, {})
            if path == "/_control/fail-revoke":
                (FAIL_REVOKE.add if params.get("on") == "1" else FAIL_REVOKE.discard)(params.get("platform"))
                return self.send(200, {})
        self.send(404, {"error": "not_found"})

    # ---- OAuth 2.0 ----
    def authorize(self, platform, p):
        known = CLIENTS.get(platform, {}).get(p.get("client_id"))
        if known is None:
            return self.send(400, "unknown client_id", "text/plain")
        redirect = p.get("redirect_uri")
        if redirect not in known[1]:
            return self.send(400, "redirect_uri is not registered for this client", "text/plain")
        state = p.get("state")
        def back(**fields):
            if state is not None:
                fields["state"] = state
            self.send(302, headers=[("Location", redirect + ("&" if "?" in redirect else "?") + urlencode(fields))])
        if p.get("response_type") != "code":
            return back(error="unsupported_response_type")
        if not state:
            return back(error="invalid_request", error_description="state is required")
        if p.get("code_challenge_method") != "S256" or not re.fullmatch(r"[A-Za-z0-9_-]{43,128}", p.get("code_challenge", "")):
            return back(error="invalid_request", error_description="PKCE with S256 is required")
        if platform == "reddit" and p.get("duration") != "permanent":
            return back(error="invalid_request", error_description="duration=permanent is needed for a refresh token")
        if p.get("deny") == "1":
            return back(error="access_denied")
        code = secrets.token_urlsafe(24)
        CODES[code] = {"platform": platform, "client_id": p["client_id"], "redirect_uri": redirect, "challenge": p["code_challenge"],
                       "user": p.get("login_as", "standin"), "scope": p.get("scope", ""), "used": False, "expires": time.time() + 60}
        back(code=code)

    def token(self, platform):
        form = self.form()
        if form is None:
            return self.oauth_error(400, "invalid_request", "application/x-www-form-urlencoded expected")
        client_id = self.client(platform, form)
        if client_id is None:
            return self.oauth_error(401, "invalid_client")
        grant = form.get("grant_type")
        if grant == "authorization_code":
            entry = CODES.get(form.get("code", ""))
            verifier = form.get("code_verifier", "")
            if entry is None or entry["platform"] != platform or entry["client_id"] != client_id:
                return self.invalid_grant(platform, "unknown code")
            if entry["used"]:
                # A replayed code: refuse, and revoke what the first use issued (RFC 6749 4.1.2).
                for g in GRANTS:
                    if g.get("code") == form["code"]:
                        g["revoked"] = True
                return self.invalid_grant(platform, "code already used")
            entry["used"] = True
            if entry["expires"] < time.time():
                return self.invalid_grant(platform, "code expired")
            if form.get("redirect_uri") != entry["redirect_uri"]:
                return self.invalid_grant(platform, "redirect_uri differs from the authorize request")
            if b64url(hashlib.sha256(verifier.encode()).digest()) != entry["challenge"]:
                return self.invalid_grant(platform, "code_verifier does not match the code_challenge")
            return self.issue(platform, client_id, entry["user"], entry["scope"], code=form["code"])
        if grant == "refresh_token":
            old = next((g for g in GRANTS if g["platform"] == platform and g["refresh"] and g["refresh"] == form.get("refresh_token")), None)
            if old is None or old["revoked"] or old["client_id"] != client_id:
                return self.invalid_grant(platform, "refresh token revoked or unknown")
            if platform == "x":
                old["revoked"] = True  # X rotates refresh tokens: the old one is spent
                return self.issue(platform, client_id, old["user"], old["scope"])
            # Reddit and LinkedIn keep the refresh token; Reddit does not send it again.
            old["access"] = "%s-at-%s" % (platform, secrets.token_urlsafe(24))
            old["expires"] = time.time() + SETTINGS["expires_in"]
            body = {"access_token": old["access"], "token_type": "bearer", "expires_in": SETTINGS["expires_in"], "scope": old["scope"]}
            if platform == "linkedin":
                body.pop("token_type")
                body["refresh_token"] = old["refresh"]
            return self.send(200, body)
        return self.oauth_error(400, "unsupported_grant_type")

    def invalid_grant(self, platform, why):
        # Reddit answers token errors with 200 and an error member.
        self.oauth_error(200 if platform == "reddit" else 400, "invalid_grant", why)

    def issue(self, platform, client_id, user, scope, code=None):
        grant = {"platform": platform, "client_id": client_id, "user": user, "scope": scope, "code": code, "revoked": False,
                 "access": "%s-at-%s" % (platform, secrets.token_urlsafe(24)),
                 "refresh": None if platform == "mastodon" else "%s-rt-%s" % (platform, secrets.token_urlsafe(32)),
                 "expires": None if platform == "mastodon" else time.time() + SETTINGS["expires_in"]}
        GRANTS.append(grant)
        body = {"access_token": grant["access"], "token_type": "Bearer" if platform == "mastodon" else "bearer", "scope": scope}
        if grant["refresh"]:
            body["refresh_token"] = grant["refresh"]
        if grant["expires"]:
            body["expires_in"] = SETTINGS["expires_in"]
        if platform == "linkedin":
            body.pop("token_type")  # LinkedIn sends none
        if platform == "mastodon":
            body["created_at"] = int(time.time())
        self.send(200, body)

    def revoke(self, platform):
        form = self.form() or {}
        if self.client(platform, form) is None:
            return self.oauth_error(401, "invalid_client")
        if platform in FAIL_REVOKE:
            return self.send(503, {"error": "temporarily_unavailable"})
        token = form.get("token", "")
        REVOKED.setdefault(platform, []).append(token)
        for g in GRANTS:
            if g["platform"] == platform and token in (g["access"], g["refresh"]):
                g["revoked"] = True
        if platform == "reddit":
            return self.send(204)
        self.send(200, {"revoked": True} if platform == "x" else {})

    def me(self, path):
        token = self.bearer()
        grant = next((g for g in GRANTS if g["access"] == token), None)
        if grant is None:
            return self.registered_me(path, token)
        if grant["revoked"] or (grant["expires"] and grant["expires"] < time.time()) or (grant["platform"], token) in EXPIRED:
            return self.send(401, {"error": "invalid_token"})
        user, uid = grant["user"], user_id(grant["user"])
        self.send(200, {"sub": "li-" + uid, "name": user.title() + " Example", "given_name": user.title(), "family_name": "Example"})

    def registered_me(self, path, token):
        """The "who am I" answer for a token a test registered with /_control/accounts."""
        platform = ME_PLATFORM[path]
        entry = next((a for a in reversed(ACCOUNTS) if a["platform"] == platform and a["token"] == token), None)
        if entry is None or (platform, token) in EXPIRED:
            return self.send(401, {"error": "invalid_token"})
        sub, user = entry["account_id"].rsplit(":", 1)[-1], entry["handle"]
        self.send(200, {"sub": sub, "name": user.title() + " Example", "given_name": user.title(), "family_name": "Example"})

    # ---- Mastodon app registration ----
    def register_app(self):
        form = self.form()
        if form is None:
            try:
                form = json.loads(self.body() or b"{}")
            except ValueError:
                return self.send(400, {"error": "invalid JSON"})
        if not form.get("client_name") or not form.get("redirect_uris"):
            return self.send(422, {"error": "Validation failed: Application name and redirect URI can't be blank"})
        client_id, secret = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        CLIENTS["mastodon"][client_id] = (secret, form["redirect_uris"].split())
        self.send(200, {"id": str(len(CLIENTS["mastodon"])), "name": form["client_name"], "website": form.get("website"),
                        "redirect_uri": form["redirect_uris"], "client_id": client_id, "client_secret": secret, "vapid_key": "x"})

    # ---- Bluesky ----
    def jwt(self, did, scope, seconds):
        header = b64url(json.dumps({"typ": "at+jwt", "alg": "ES256K"}).encode())
        payload = b64url(json.dumps({"scope": scope, "sub": did, "iat": int(time.time()), "exp": int(time.time()) + seconds,
                                     "jti": secrets.token_urlsafe(8)}).encode())
        return "%s.%s.%s" % (header, payload, b64url(secrets.token_bytes(32)))

    def new_session(self, handle):
        did = "did:plc:" + hashlib.sha256(handle.encode()).hexdigest()[:24]
        session = {"did": did, "handle": handle, "access": self.jwt(did, "com.atproto.appPass", SETTINGS["expires_in"]),
                   "refresh": self.jwt(did, "com.atproto.refresh", 90 * 86400), "revoked": False}
        SESSIONS.append(session)
        return {"did": did, "handle": handle, "accessJwt": session["access"], "refreshJwt": session["refresh"], "active": True}

    def bluesky(self, method):
        if method == "createSession":
            try:
                body = json.loads(self.body() or b"{}")
            except ValueError:
                return self.send(400, {"error": "InvalidRequest", "message": "bad JSON"})
            if not re.fullmatch(r"[a-z0-9]{4}(-[a-z0-9]{4}){3}", body.get("password", "")) or not body.get("identifier"):
                return self.send(401, {"error": "AuthenticationRequired", "message": "Invalid identifier or password"})
            return self.send(200, self.new_session(body["identifier"]))
        session = next((s for s in SESSIONS if s["refresh"] == self.bearer() and not s["revoked"]), None)
        if session is None:
            return self.send(400, {"error": "ExpiredToken", "message": "Token has been revoked"})
        if method == "refreshSession":
            session["revoked"] = True
            return self.send(200, self.new_session(session["handle"]))
        if method == "deleteSession":
            session["revoked"] = True
            return self.send(200)
        self.send(404, {"error": "MethodNotImplemented"})


def main():
    configure()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    with open(sys.argv[1] + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(sys.argv[1] + ".tmp", sys.argv[1])
    server.serve_forever()


if __name__ == "__main__":
    main()
