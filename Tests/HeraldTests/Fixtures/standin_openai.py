"""An OpenAI-compatible chat-completions server on the stand-in (what HERALD_AI_BASE_URL points at: the
stand-in's /openai/v1), and test web pages for GuardedFetch and SourceText under /pages/.

    POST /openai/v1/chat/completions   the wire format of platform.openai.com/docs/api-reference/chat/create:
        a JSON body {model, messages: [{role, content}], max_tokens?, max_completion_tokens?, temperature?, ...};
        answers {"id": "chatcmpl-…", "object": "chat.completion", "created", "model", "system_fingerprint",
        "choices": [{"index": 0, "message": {"role": "assistant", "content", "refusal": null}, "logprobs": null,
        "finish_reason": "stop"|"length"}], "usage": {"prompt_tokens", "completion_tokens", "total_tokens", …}}.
        The answer is deterministic: "Draft: " and the words of the last user message (at most 40), cut to
        max_tokens words (finish_reason "length"). Tokens are words: prompt_tokens the words of every message's
        content, completion_tokens the answer's. Errors in OpenAI's shape {"error": {"message", "type", "param",
        "code"}}: 400 for a malformed request, 401 for a key starting "sk-invalid", 404 for the model "missing-model".
        No key at all is accepted (a local server).

Control (JSON bodies). Each takes an optional "model": it then applies only to requests for that model, so
tests side by side each use their own model name and do not take each other's answers or faults.
    POST /_control/openai/answers {"answers": [TEXT | {"text": T, "repeat": N, "finish_reason": F}], "model"?}
        the next requests answer exactly TEXT (or T repeated N times) instead of the echo, in order
    POST /_control/openai/faults {"faults": ["429", "500", "503", "invalid", "slow", "drop", "quota"], "delay": 5, "model"?}
        "429"      429 rate_limit_exceeded with Retry-After: 7 and x-ratelimit-* headers
        "quota"    429 insufficient_quota (a used-up quota: no Retry-After)
        "500"      500 server_error; "503" 503 with OpenAI's overloaded message
        "invalid"  200 with a malformed (truncated) JSON body
        "slow"     the normal answer after `delay` seconds
        "drop"     the connection closes without a byte of answer
    GET  /_control/openai/requests?model=M   the requests received (for M), in order: model, messages,
        max_tokens, temperature, authorization (the header as sent, or null), content_type
    POST /_control/openai/reset              forgets queued answers, faults and requests

Pages (HTML as text/html; charset=utf-8 unless said):
    GET /pages/article.html         an article amid navigation, scripts, styles, a form, an aside, an svg, entities
    GET /pages/latin1.html          the same kind of page in ISO-8859-1 (charset in the header)
    GET /pages/plain.txt            text/plain
    GET /pages/doc.pdf              a one-page PDF with two lines of text (application/pdf)
    GET /pages/redirect-private     302 to http://10.0.0.1/pages/article.html
    GET /pages/redirect-loopback    302 to http://127.0.0.1:<this port>/pages/article.html
    GET /pages/redirect-article     302 to /pages/article.html (a relative Location)
    GET /pages/redirect?to=URL      302 to URL
    GET /pages/loop                 302 to itself, forever
    GET /pages/big?bytes=N          an HTML page of N bytes (default 3 MiB)
    GET /pages/slow?seconds=S       the article after S seconds (default 5)
"""
import json
import secrets
import time
from collections import deque

from standin_core import LOCK, Reply, routes

FAULTS = ("429", "quota", "500", "503", "invalid", "slow", "drop")
ROLES = ("system", "developer", "user", "assistant", "tool")
STATE = {"answers": deque(), "faults": deque(), "requests": []}


def error(status, message, type_="invalid_request_error", code=None, param=None, headers=()):
    return Reply(status, {"error": {"message": message, "type": type_, "param": param, "code": code}}, headers)


def take(queue, model):
    """The first entry queued for this model (or for any model), removed; None if there is none."""
    for index, entry in enumerate(queue):
        if entry.get("model") in (None, model):
            del queue[index]
            return entry
    return None


def words(text):
    return text.split() if isinstance(text, str) else []


def content_text(content):
    """A message's content: a string, or a list of parts ({"type": "text", "text": …})."""
    if isinstance(content, list):
        return " ".join(p.get("text", "") for p in content if isinstance(p, dict))
    return content if isinstance(content, str) else ""


def fault_reply(fault):
    name = fault["fault"]
    if name == "429":
        # As OpenAI sends it: the message names the limit; x-ratelimit-* headers (reset as a duration).
        headers = [("Retry-After", "7"), ("x-ratelimit-limit-requests", "3"), ("x-ratelimit-remaining-requests", "0"),
                   ("x-ratelimit-reset-requests", "7s")]
        return error(429, "Rate limit reached for requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 7s.",
                     "requests", "rate_limit_exceeded", headers=headers)
    if name == "quota":
        return error(429, "You exceeded your current quota, please check your plan and billing details.", "insufficient_quota",
                     "insufficient_quota")
    if name == "500":
        return error(500, "The server had an error while processing your request. Sorry about that!", "server_error")
    if name == "503":
        return error(503, "The engine is currently overloaded, please try again later.", "server_error")
    if name == "invalid":
        return Reply(200, b'{"id": "chatcmpl-standin", "object": "chat.completion", "choices": [{"index": 0, "message": {"role": "assis')
    return None


def chat_completions(req):
    try:
        body = req.json()
    except ValueError:
        return error(400, "We could not parse the JSON body of your request.")
    if not isinstance(body, dict):
        return error(400, "We could not parse the JSON body of your request.")
    auth = req.headers.get("Authorization")
    model = body.get("model")
    messages = body.get("messages")
    with LOCK:
        STATE["requests"].append({"model": model, "messages": messages, "max_tokens": body.get("max_tokens"),
                                  "max_completion_tokens": body.get("max_completion_tokens"), "temperature": body.get("temperature"),
                                  "authorization": auth, "content_type": req.content_type()})
        fault = take(STATE["faults"], model)
        answer = None if fault else take(STATE["answers"], model)
    if auth is not None:
        token = auth[7:] if auth.startswith("Bearer ") else ""
        if not token or token.startswith("sk-invalid"):
            shown = (token[:8] + "*" * 4) if token else ""
            return error(401, "Incorrect API key provided: %s. You can find your API key at https://platform.openai.com/account/api-keys."
                         % shown, code="invalid_api_key")
    if fault:
        reply = fault_reply(fault)
        if reply is not None:
            return reply
    if not isinstance(model, str) or not model:
        return error(400, "you must provide a model parameter")
    if model == "missing-model":
        return error(404, "The model `%s` does not exist or you do not have access to it." % model, code="model_not_found")
    if not isinstance(messages, list) or not messages:
        return error(400, "[] is too short - 'messages'", param="messages", code="invalid_value" if isinstance(messages, list) else None)
    for index, message in enumerate(messages):
        if not isinstance(message, dict) or message.get("role") not in ROLES or "content" not in message:
            return error(400, "Invalid value for 'messages[%d]': each message needs a role (%s) and content." % (index, ", ".join(ROLES)),
                         param="messages[%d]" % index)
    limit = body.get("max_completion_tokens", body.get("max_tokens"))
    if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool) or limit < 1):
        return error(400, "Invalid 'max_tokens': integer below minimum value. Expected a value >= 1, but got %r instead." % limit,
                     param="max_tokens", code="integer_below_min_value")
    temperature = body.get("temperature", 1)
    if not isinstance(temperature, (int, float)) or isinstance(temperature, bool) or not 0 <= temperature <= 2:
        return error(400, "Invalid 'temperature': decimal above maximum value. Expected a value <= 2.", param="temperature",
                     code="decimal_above_max_value")

    finish = "stop"
    if answer is not None:
        text = answer["text"] * answer.get("repeat", 1)
        finish = answer.get("finish_reason") or "stop"
    else:
        last = next((content_text(m["content"]) for m in reversed(messages) if m["role"] == "user"), "")
        draft = (["Draft:"] + words(last))[:41]
        if limit is not None and len(draft) > limit:
            draft, finish = draft[:limit], "length"
        text = " ".join(draft)
    prompt_tokens = sum(len(words(content_text(m["content"]))) for m in messages)
    completion_tokens = len(words(text))
    reply = Reply(200, {
        "id": "chatcmpl-" + secrets.token_urlsafe(18), "object": "chat.completion", "created": int(time.time()), "model": model,
        "system_fingerprint": "fp_standin",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text, "refusal": None}, "logprobs": None,
                     "finish_reason": finish}],
        "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens, "total_tokens": prompt_tokens + completion_tokens,
                  "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
                  "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0, "accepted_prediction_tokens": 0,
                                                "rejected_prediction_tokens": 0}},
        "service_tier": "default",
    })
    return reply.after(fault)


# ---- control ----
def control_body(req):
    try:
        body = req.json() if req.body else {}
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def queue_answers(req):
    body = control_body(req)
    answers = body.get("answers") if body else None
    if not isinstance(answers, list):
        return Reply(400, {"error": "answers (a list of texts or {text, repeat, finish_reason}) is required"})
    entries = []
    for item in answers:
        if isinstance(item, str):
            item = {"text": item}
        if not isinstance(item, dict) or not isinstance(item.get("text"), str) or not isinstance(item.get("repeat", 1), int):
            return Reply(400, {"error": "each answer is a text or {text, repeat, finish_reason}"})
        entries.append(dict(item, model=body.get("model")))
    with LOCK:
        STATE["answers"].extend(entries)
        return Reply(200, {"queued": len(STATE["answers"])})


def queue_faults(req):
    body = control_body(req)
    faults = body.get("faults") if body else None
    if not isinstance(faults, list) or any(f not in FAULTS for f in faults):
        return Reply(400, {"error": "faults (a list of %s) is required" % ", ".join(FAULTS)})
    delay = body.get("delay", 5)
    if not isinstance(delay, (int, float)) or isinstance(delay, bool) or delay < 0:
        return Reply(400, {"error": "delay is a number of seconds"})
    with LOCK:
        STATE["faults"].extend({"fault": f, "delay": delay, "model": body.get("model")} for f in faults)
        return Reply(200, {"faults": list(STATE["faults"])})


def list_requests(req):
    model = req.query.get("model")
    with LOCK:
        return Reply(200, [r for r in STATE["requests"] if model is None or r["model"] == model])


def reset(req):
    with LOCK:
        for key in ("answers", "faults"):
            STATE[key].clear()
        STATE["requests"].clear()
    return Reply(200, {})


# ---- pages ----
ARTICLE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Why Small Teams Ship &amp; Win</title>
<style>body { font-family: sans-serif; } .ad::after { content: "BUY NOW"; }</style>
<script>var tracking = "<p>not text</p>"; document.write("SCRIPT TEXT");</script>
</head>
<body>
<header class="site"><a href="/">Example News</a> <span>SITE HEADER</span></header>
<nav><ul><li><a href="/">Home</a></li><li><a href="/about">NAV ABOUT</a></li></ul></nav>
<main>
<article>
<header><h1>Why small teams ship faster</h1><p class="byline">By Ada &mdash; 3&nbsp;min read</p></header>
<!-- a comment that is not text -->
<p>Small teams   decide
   quickly.
Fewer meetings mean more <em>shipping</em> &amp; less waiting.</p>
<h2>Three habits</h2>
<ul>
<li>Write things down</li>
<li>Ship small changes &lt;daily&gt;</li>
<li>Say &quot;no&quot; often &#8212; and mean it &#x2713;</li>
</ul>
<p hidden>HIDDEN PARAGRAPH</p>
<svg width="10" height="10"><title>SVG TITLE</title><text>SVG TEXT</text></svg>
<noscript>NOSCRIPT TEXT</noscript>
<p>Caf&eacute; owners know it: &euro;5 coffee, &copy; 2026.</p>
<footer><p>Filed under teams.</p></footer>
</article>
<aside>ASIDE RELATED LINKS</aside>
<form action="/subscribe"><label>FORM LABEL</label><input name="email"><button>SUBSCRIBE BUTTON</button></form>
</main>
<footer>SITE FOOTER &copy; Example</footer>
<script src="/app.js"></script>
</body>
</html>
"""

LATIN1 = ("<html><head><title>Cr\u00e8me br\u00fbl\u00e9e</title></head><body><p>Cr\u00e8me br\u00fbl\u00e9e \u00e0 la "
          "fran\u00e7aise, co\u00fbt 5\u00a0\u00a3.</p></body></html>")

PLAIN = "Release notes\n\n\nVersion 2.0   adds   scheduling.\r\nVersion 2.1 fixes time zones.\n"


def tiny_pdf(lines):
    """A one-page PDF (Helvetica, one text line per entry) with a correct cross-reference table."""
    def escape(text):
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    content = "BT /F1 18 Tf 72 720 Td " + " ".join("(%s) Tj 0 -24 Td" % escape(line) for line in lines) + " ET"
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
               "<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
               "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body.encode("latin-1"))
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out


def html(body, status=200, headers=()):
    return Reply(status, body, headers, content_type="text/html; charset=utf-8")


def redirect(location):
    return Reply(302, None, [("Location", location)])


def page_article(req):
    return html(ARTICLE)


def page_latin1(req):
    return Reply(200, LATIN1.encode("latin-1"), content_type="text/html; charset=ISO-8859-1")


def page_plain(req):
    return Reply(200, PLAIN, content_type="text/plain; charset=utf-8")


def page_pdf(req):
    return Reply(200, tiny_pdf(["Quarterly report", "Revenue grew 12 percent."]), content_type="application/pdf")


def page_redirect_private(req):
    return redirect("http://10.0.0.1/pages/article.html")


def page_redirect_loopback(req):
    port = req.base.rsplit(":", 1)[-1]
    return redirect("http://127.0.0.1:%s/pages/article.html" % port)


def page_redirect_article(req):
    return redirect("/pages/article.html")


def page_redirect(req):
    target = req.query.get("to")
    return redirect(target) if target else Reply(400, {"error": "to=URL is required"})


def page_loop(req):
    return redirect("/pages/loop")


def page_big(req):
    try:
        size = int(req.query.get("bytes", 3 << 20))
    except ValueError:
        return Reply(400, {"error": "bytes is a number"})
    head, tail = "<html><body><p>", "</p></body></html>"
    return html(head + "x" * max(0, size - len(head) - len(tail)) + tail)


def page_slow(req):
    try:
        seconds = float(req.query.get("seconds", 5))
    except ValueError:
        return Reply(400, {"error": "seconds is a number"})
    reply = html(ARTICLE)
    reply.action, reply.delay = "slow", seconds
    return reply


ROUTES = routes(
    ("POST", r"/openai/v1/chat/completions", chat_completions),
    ("POST", r"/_control/openai/answers", queue_answers),
    ("POST", r"/_control/openai/faults", queue_faults),
    ("GET", r"/_control/openai/requests", list_requests),
    ("POST", r"/_control/openai/reset", reset),
    ("GET", r"/pages/article\.html", page_article),
    ("GET", r"/pages/latin1\.html", page_latin1),
    ("GET", r"/pages/plain\.txt", page_plain),
    ("GET", r"/pages/doc\.pdf", page_pdf),
    ("GET", r"/pages/redirect-private", page_redirect_private),
    ("GET", r"/pages/redirect-loopback", page_redirect_loopback),
    ("GET", r"/pages/redirect-article", page_redirect_article),
    ("GET", r"/pages/redirect", page_redirect),
    ("GET", r"/pages/loop", page_loop),
    ("GET", r"/pages/big", page_big),
    ("GET", r"/pages/slow", page_slow),
)
