"""LinkedIn (versioned REST Posts and Social Actions APIs) on the stand-in, under /linkedin like its OAuth endpoints."""
import re
import time
from datetime import datetime, timezone
from urllib.parse import unquote

from standin_core import CONFIG, LOCK, POSTS, Reply, authenticate, counts, linkedin_id, record_post, routes, take_fault

PLATFORM = "linkedin"
VERSION_RE = re.compile(r"^(\d{4})(\d{2})(?:\.(\d{2}))?$")
VISIBILITIES = ("PUBLIC", "CONNECTIONS", "LOGGED_IN", "CONTAINER")
FEEDS = ("MAIN_FEED", "NONE", "CONTAINER_ONLY")
STATES = ("PUBLISHED", "DRAFT", "PUBLISH_REQUESTED", "PUBLISH_FAILED")
MAX_COMMENTARY = 3000


def error(status, message, **extra):
    # LinkedIn's error body: message, serviceErrorCode, status (learn.microsoft.com/en-us/linkedin/shared/api-guide/concepts/error-handling)
    body = dict(extra)
    body.update(message=message, status=status)
    return Reply(status, body)


def bad_field(path, description, code, status=422):
    # Rest.li validation errors, in the shape LinkedIn gives its DUPLICATE_POST 422 (errorDetailType,
    # message, errorDetails.inputErrors); the "ERROR :: <path> :: <reason>" message is Rest.li's wording.
    return Reply(status, {"errorDetailType": "com.linkedin.common.error.BadRequest",
                          "message": "ERROR :: %s :: %s\n" % (path, description),
                          "errorDetails": {"inputErrors": [{"description": description, "input": {"inputPath": {"fieldPath": path}}, "code": code}]},
                          "status": status})


def unauthorized(why):
    if why == "missing":
        return error(401, "Empty oauth2_access_token", serviceErrorCode=401)   # the sample on the error-handling page
    if why == "expired":
        return error(401, "The token used in the request has expired", serviceErrorCode=65602, code="EXPIRED_ACCESS_TOKEN")  # 65602 is a guess
    if why == "revoked":
        return error(401, "The token used in the request has been revoked by the user", serviceErrorCode=65601, code="REVOKED_ACCESS_TOKEN")
    return error(401, "Invalid access token", serviceErrorCode=65600, code="INVALID_ACCESS_TOKEN")


def canonical(version):
    """LinkedIn names versions YYYYMMDD in its messages: 202504 → 20250401, 202508.02 → 20250802."""
    m = VERSION_RE.match(version)
    return m.group(1) + m.group(2) + (m.group(3) or "01") if m else version


def check_version(req):
    """None when the LinkedIn-Version header names an active version; otherwise LinkedIn's answer."""
    version = (req.headers.get("LinkedIn-Version") or "").strip()
    if not version:
        # From memory of LinkedIn's answer; not in the docs the stand-in could read.
        return error(400, "A version must be present. Please specify a version by adding the LinkedIn-Version header.", code="VERSION_MISSING")
    m = VERSION_RE.match(version)
    newest = datetime.now(timezone.utc).strftime("%Y%m")
    month = m.group(1) + m.group(2) if m else ""
    if not m or not CONFIG["linkedin_min_version"] <= month <= newest:
        # Sunset (and not yet released) versions: 426 NONEXISTENT_VERSION, as reported by many integrations.
        return error(426, "Requested version %s is not active" % canonical(version), code="NONEXISTENT_VERSION")
    return None


def author_urn(account):
    return account.account_id if account.account_id.startswith("urn:li:") else "urn:li:person:" + account.account_id


def fault_reply(fault):
    name = fault["fault"] if fault else None
    if name == "500":
        return error(500, "Internal Server Error")   # guess: the documented error shape for a 500
    if name == "429":
        # Observed: {"serviceErrorCode":101,"message":"Resource level throttle limit …","status":429}. LinkedIn
        # sends no rate-limit headers (limits are only shown in the developer portal).
        return error(429, "Resource level throttle limit for calls to this resource is reached.", serviceErrorCode=101)
    if name == "invalid":
        return bad_field("/commentary", "field is required but not found and has no default value", "MISSING_REQUIRED_FIELD")
    if name == "expired":
        return unauthorized("expired")
    return None


def validate(body):
    """The Posts schema's required fields and enums; a Reply or None."""
    for field in ("author", "commentary", "visibility", "distribution", "lifecycleState"):
        if field not in body:
            return bad_field("/" + field, "field is required but not found and has no default value", "MISSING_REQUIRED_FIELD")
    if not isinstance(body["commentary"], str):
        return bad_field("/commentary", "%s is not a string" % repr(body["commentary"]), "INVALID_VALUE")
    if len(body["commentary"]) > MAX_COMMENTARY:
        return bad_field("/commentary", "length of %d is out of range 0...%d" % (len(body["commentary"]), MAX_COMMENTARY), "INVALID_VALUE")
    for field, allowed in (("visibility", VISIBILITIES), ("lifecycleState", STATES)):
        if body[field] not in allowed:
            return bad_field("/" + field, '"%s" is not an enum symbol' % body[field], "INVALID_ENUM_VALUE")
    distribution = body["distribution"]
    if not isinstance(distribution, dict) or "feedDistribution" not in distribution:
        return bad_field("/distribution/feedDistribution", "field is required but not found and has no default value", "MISSING_REQUIRED_FIELD")
    if distribution["feedDistribution"] not in FEEDS:
        return bad_field("/distribution/feedDistribution", '"%s" is not an enum symbol' % distribution["feedDistribution"], "INVALID_ENUM_VALUE")
    if not isinstance(body["author"], str) or not re.match(r"^urn:li:(person|organization|organizationBrand):\S+$", body["author"]):
        return bad_field("/author", '"%s" is not a valid Person or Organization URN' % body["author"], "INVALID_VALUE")
    return None


def post_entity(post):
    # The Post as the Posts API returns it (learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/post-api-schema)
    body, at = post["_body"], post["_at"]
    return {"id": post["id"], "author": body["author"], "commentary": body["commentary"], "visibility": body["visibility"],
            "distribution": body["distribution"], "lifecycleState": body["lifecycleState"],
            "isReshareDisabledByAuthor": bool(body.get("isReshareDisabledByAuthor", False)),
            "lifecycleStateInfo": {"isEditedByAuthor": False}, "createdAt": at, "lastModifiedAt": at, "publishedAt": at}


def common_checks(req):
    """Version header, Rest.li protocol 2.0.0 and the token: (account, error reply)."""
    problem = check_version(req)
    if problem:
        return None, problem
    if req.headers.get("X-Restli-Protocol-Version") != "2.0.0":
        # Stand-in strictness: the Posts API documents the header as required; LinkedIn itself would
        # fall back to protocol 1.0.0.
        return None, error(400, "X-Restli-Protocol-Version: 2.0.0 is required by the Posts API")
    account, why = authenticate(PLATFORM, req.bearer())
    return account, (None if account else unauthorized(why))


# ---- endpoints ----
# https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/posts-api#create-a-post
def create_post(req):
    with LOCK:
        fault = take_fault(PLATFORM, req.bearer(), req.path)
        return (fault_reply(fault) or write_post(req)).after(fault)


def write_post(req):
    account, problem = common_checks(req)
    if problem:
        return problem
    try:
        body = req.json()
    except ValueError:
        return error(400, "Unable to parse the request body as JSON")   # guess at the wording
    if not isinstance(body, dict):
        return error(400, "Unable to parse the request body as JSON")
    problem = validate(body)
    if problem:
        return problem
    if body["author"] != author_urn(account):
        # guess at the wording: the member may only post as themself
        return error(403, "Not enough permissions to access: partnerApiPostsExternal.CREATE.%s" % canonical(req.headers["LinkedIn-Version"].strip()),
                     serviceErrorCode=100, code="ACCESS_DENIED")
    first = next((p for p in POSTS[PLATFORM] if p["account"] == body["author"] and p["text"] == body["commentary"]), None)
    if first:
        # Observed answer to the same commentary again (github.com/Arisamiga/Linkedin-RSS/issues/5)
        return Reply(422, {"errorDetailType": "com.linkedin.common.error.BadRequest",
                           "message": "com.linkedin.content.common.exception.BadRequestResponseException: Content is a duplicate of %s" % first["id"],
                           "errorDetails": {"inputErrors": [{"description": "Duplicate post is detected", "input": {}, "code": "DUPLICATE_POST"}]},
                           "status": 422})
    post = record_post(PLATFORM, id="urn:li:share:" + linkedin_id(), text=body["commentary"], account=body["author"],
                       request_body=req.text, _body=body, _at=int(time.time() * 1000))
    # 201 Created, an empty body, the new post's id in x-restli-id
    return Reply(201, None, [("x-restli-id", post["id"])])


# https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/posts-api#find-posts-by-authors
def find_posts(req):
    with LOCK:
        account, problem = common_checks(req)
        if problem:
            return problem
        q = req.query
        if q.get("q") != "author" or not q.get("author"):
            return error(400, "Invalid query parameters passed to request")   # guess at the wording
        author = unquote(q["author"])
        try:
            start, count = int(q.get("start", 0)), min(int(q.get("count", 10)), 100)
        except ValueError:
            return error(400, "Invalid query parameters passed to request")
        posts = [p for p in reversed(POSTS[PLATFORM]) if p["account"] == author]
        page = posts[start:start + count]
        return Reply(200, {"paging": {"start": start, "count": count, "links": [], "total": len(posts)},
                           "elements": [post_entity(p) for p in page]})


# https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/network-update-social-actions
# GET /rest/socialActions/{shareUrn|ugcPostUrn|commentUrn} (the URN URL-encoded): the likes and comments
# summaries (counters: standin_core.counts). Needs r_member_social, which LinkedIn grants select partners
# only: a token whose scope lacks it (Herald asks for openid profile w_member_social) is refused with 403.
def social_actions(req):
    with LOCK:
        fault = take_fault(PLATFORM, req.bearer(), req.path, create=False)
        return (fault_reply(fault) or summary(req)).after(fault)


def summary(req):
    account, problem = common_checks(req)
    if problem:
        return problem
    if not account.may("r_member_social", "r_organization_social"):
        # guess at the wording, in the shape of LinkedIn's ACCESS_DENIED answers
        return error(403, "Not enough permissions to access: partnerApiSocialActions.GET.%s" % canonical(req.headers["LinkedIn-Version"].strip()),
                     serviceErrorCode=100, code="ACCESS_DENIED")
    urn = unquote(req.params["urn"])
    post = next((p for p in POSTS[PLATFORM] if p["id"] == urn), None)
    if post is None:
        return error(404, "Not Found", serviceErrorCode=0, code="NOT_FOUND")   # guess at the wording
    n = counts(post)
    return Reply(200, {"target": urn, "$URN": urn,
                       "likesSummary": {"selectedLikes": [], "aggregatedTotalLikes": n["likes"], "likedByCurrentUser": False,
                                        "totalLikes": n["likes"]},
                       "commentsSummary": {"selectedComments": [], "totalFirstLevelComments": n["comments"], "commentsState": "OPEN",
                                           "aggregatedTotalComments": n["comments"]}})


ROUTES = routes(
    ("POST", r"/linkedin/rest/posts", create_post),
    ("GET", r"/linkedin/rest/posts", find_posts),
    ("GET", r"/linkedin/rest/socialActions/(?P<urn>[^/]+)", social_actions),
)
