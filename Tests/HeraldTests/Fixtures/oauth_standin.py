#!/usr/bin/env python3
"""A local stand-in for the social platforms' OAuth 2.0 providers, for the channel tests.

It speaks the real wire format of each platform Herald connects to, checking what a strict provider
checks: the authorize request (client, redirect URI, response_type=code, PKCE S256, state), the
token endpoint (client authentication by HTTP Basic or in the body as the platform does, the PKCE
verifier against the challenge, single-use codes, refresh tokens), revocation, the "who am I"
endpoint in each platform's JSON shape, Mastodon's app registration and Bluesky's sessions.

    X          /x/authorize  /x/token (Basic)  /x/revoke  /x/2/users/me
    LinkedIn   /linkedin/authorize  /linkedin/token (body)  /linkedin/v2/userinfo   (no revoke)
    Reddit     /reddit/authorize  /reddit/token (Basic)  /reddit/revoke  /reddit/api/v1/me
    Mastodon   /api/v1/apps  /oauth/authorize  /oauth/token (body)  /oauth/revoke  /api/v1/accounts/verify_credentials
    Bluesky    /xrpc/com.atproto.server.createSession | refreshSession | deleteSession

The clients of X, LinkedIn and Reddit and the redirect URIs come from Herald's own variables
(HERALD_X_CLIENT_ID, …, HERALD_BASE_URL). Two things only a test can do, as query parameters of the
authorize request: `login_as=NAME` (who signs in at the provider) and `deny=1` (the user cancels).
/_control/… lets a test look inside and break things (see Control below).

Usage: oauth_standin.py PORT_FILE   (Python 3 standard library only)
Listens on 127.0.0.1 on a port the system picks (no race with other test runs) and writes it to PORT_FILE.
"""
import base64
import hashlib
import json
import os
import re
import secrets
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlencode, urlsplit

LOCK = threading.Lock()
FIXED = ("x", "linkedin", "reddit")
# How each platform authenticates clients at its token and revoke endpoints.
CLIENT_AUTH = {"x": "basic", "reddit": "basic", "linkedin": "body", "mastodon": "body"}

CLIENTS = {}        # platform -> {client_id: (secret, [redirect_uris])}
CODES = {}          # code -> dict
GRANTS = []         # dicts: platform, user, client_id, access, refresh, expires, revoked
REVOKED = {}        # platform -> [tokens revoked through the revoke endpoint]
FAIL_REVOKE = set() # platforms whose revoke endpoint answers 503
SESSIONS = []       # Bluesky: dicts did, handle, access, refresh, revoked
SETTINGS = {"expires_in": 7200}


def configure():
    base = os.environ.get("HERALD_BASE_URL", "http://127.0.0.1:8080").rstrip("/")
    for platform in FIXED:
        prefix = "HERALD_%s_" % platform.upper()
        client_id = os.environ.get(prefix + "CLIENT_ID")
        if client_id:
            CLIENTS[platform] = {client_id: (os.environ.get(prefix + "CLIENT_SECRET"), ["%s/oauth/%s/callback" % (base, platform)])}
    CLIENTS["mastodon"] = {}


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def user_id(name):
    return str(int(hashlib.sha256(name.encode()).hexdigest()[:12], 16))


class Handler(BaseHTTPRequestHandler):
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

    # ---- routing ----
    def do_GET(self):
        path, _, query = self.path.partition("?")
        params = dict(parse_qsl(query, keep_blank_values=True))
        with LOCK:
            if path in ("/x/authorize", "/linkedin/authorize", "/reddit/authorize"):
                return self.authorize(path.split("/")[1], params)
            if path == "/oauth/authorize":
                return self.authorize("mastodon", params)
            if path in ("/x/2/users/me", "/linkedin/v2/userinfo", "/reddit/api/v1/me", "/api/v1/accounts/verify_credentials"):
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
        if grant is None or grant["revoked"] or (grant["expires"] and grant["expires"] < time.time()):
            return self.send(401, {"error": "invalid_token"})
        user, uid = grant["user"], user_id(grant["user"])
        if path == "/x/2/users/me":
            return self.send(200, {"data": {"id": uid, "name": user.title(), "username": user}})
        if path == "/linkedin/v2/userinfo":
            return self.send(200, {"sub": "li-" + uid, "name": user.title() + " Example", "given_name": user.title(), "family_name": "Example"})
        if path == "/reddit/api/v1/me":
            return self.send(200, {"id": uid[:7], "name": user, "subreddit": {"title": user.title()}})
        self.send(200, {"id": uid, "username": user, "acct": user, "display_name": user.title(), "url": "https://example.invalid/@" + user})

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
