#!/usr/bin/env python3
"""Whether a page's time tells that an address has an account: POST /password/forgot and POST /signup,
for addresses with an account and without, interleaved at random, back to back (each request right
after the one before, as an attacker timing one request after another would) and 30 ms apart.
Prints each page's median time for both kinds and their ratio (1.00 is no difference).

usage: same-answer.py BASE_URL PSQL_ARGS...   (PSQL_ARGS reach the herald database as a superuser)
"""
import http.client
import random
import statistics
import subprocess
import sys
import time
import urllib.parse
import uuid

BASE, PSQL = sys.argv[1], sys.argv[2:]
HOST, PORT = urllib.parse.urlsplit(BASE).hostname, urllib.parse.urlsplit(BASE).port
N = 40


def sql(query):
    return subprocess.run(["psql", "-X", "-q", "-At", *PSQL, "-c", query], capture_output=True, text=True, check=True).stdout


def request(method, path, body=None, cookie=None):
    connection = http.client.HTTPConnection(HOST, PORT)
    headers = {"Content-Type": "application/x-www-form-urlencoded"} if body else {}
    if cookie:
        headers["Cookie"] = cookie
    started = time.perf_counter()
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    response.read()
    return time.perf_counter() - started, response


def csrf(path):
    _, response = request("GET", path)
    cookie = next(v for k, v in response.getheaders() if k.lower() == "set-cookie" and v.startswith("__Host-herald_csrf="))
    cookie = cookie.split(";")[0]
    return cookie, cookie.split("=", 1)[1]


def measure(path, form, gap):
    tag = uuid.uuid4().hex[:8]
    known = [f"known-{tag}-{i}@example.com" for i in range(N)]
    password_hash = sql("SELECT password_hash FROM users ORDER BY id LIMIT 1").strip()
    sql("INSERT INTO users (email, name, password_hash, time_zone) VALUES "
        + ",".join(f"('{email}', 'Same Answer', '{password_hash}', 'UTC')" for email in known))
    order = [(True, email) for email in known] + [(False, f"unknown-{tag}-{i}@example.com") for i in range(N)]
    random.shuffle(order)
    times = {True: [], False: []}
    statuses = {True: set(), False: set()}
    for has_account, email in order:
        cookie, token = csrf(path)
        time.sleep(gap)
        seconds, response = request("POST", path, urllib.parse.urlencode(form(token, email)), cookie)
        times[has_account].append(seconds)
        statuses[has_account].add(response.status)
    known_ms, unknown_ms = (statistics.median(times[k]) * 1000 for k in (True, False))
    return known_ms, unknown_ms, statuses


PAGES = [
    ("/password/forgot", "/password/forgot", lambda token, email: {"csrf": token, "email": email}),
    ("/signup", "/signup", lambda token, email: {"csrf": token, "email": email, "name": "Same Answer",
                                                 "password": "a long enough passphrase", "time_zone": "UTC"}),
]
for path, form_page, form in PAGES:
    for gap, label in [(0, "back to back"), (0.03, "30 ms apart")]:
        known_ms, unknown_ms, statuses = measure(path, form, gap)
        same = statuses[True] == statuses[False]
        print(f"POST {path:<17} {label:<13} account {known_ms:6.2f} ms, none {unknown_ms:6.2f} ms, ratio {known_ms / unknown_ms:.2f}"
              f" (statuses {'the same' if same else 'DIFFER'}: {sorted(statuses[True])})")
