#!/usr/bin/env python3
"""bench/plan.py LOG_SLICE TOKEN_HASH > NAME.plan: the statements one Herald page ran, from PostgreSQL's
log with log_min_duration_statement = 0 (stderr format, log_line_prefix '%m [%p] '), as the plan
bench/reference.c replays: only the "execute" entries (Herald prepares every statement), in order,
with the parameters PostgreSQL logged for each. A parameter equal to the bench session's token hash
becomes the mark bench/reference.c replaces with the hash of the request's cookie. Stops with a message
when the slice holds no statement, or statements of more than one server process (not one request)."""
import re
import sys

PREFIX = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)? \S+ \[(\d+)\] ")
EXECUTE = re.compile(r"LOG:  duration: [0-9.]+ ms  execute [^:]+: (.*)\Z", re.S)
DETAIL = re.compile(r"DETAIL:  [Pp]arameters: (.*)\Z", re.S)
PARAM = re.compile(r"\$(\d+) = (NULL|'((?:[^']|'')*)')")
COOKIE_MARK = "\x01session-cookie-hash"


def main():
    log, token_hash = sys.argv[1], sys.argv[2]
    entries = []
    with open(log, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = PREFIX.match(line)
            if m:
                entries.append([m.group(1), line[m.end():]])
            elif entries:
                entries[-1][1] += line
    statements, pids = [], set()
    for i, (pid, text) in enumerate(entries):
        m = EXECUTE.match(text)
        if not m:
            continue
        params = []
        if i + 1 < len(entries) and entries[i + 1][0] == pid:
            d = DETAIL.match(entries[i + 1][1])
            if d:
                for p in PARAM.finditer(d.group(1)):
                    value = None if p.group(2) == "NULL" else p.group(3).replace("''", "'")
                    if value is not None and value.lower() == "\\x" + token_hash.lower():
                        value = COOKIE_MARK
                    params.append((int(p.group(1)), value))
        params.sort()
        if [n for n, _ in params] != list(range(1, len(params) + 1)):
            sys.exit(f"plan.py: parameters of a statement are not $1..$n: {params}")
        statements.append((m.group(1).rstrip("\n"), [v for _, v in params]))
        pids.add(pid)
    if not statements:
        sys.exit(f"plan.py: no executed statement in {log}")
    if len(pids) > 1:
        sys.exit(f"plan.py: statements of {len(pids)} server processes in {log}, not of one request")
    out = sys.stdout.buffer
    out.write(b"%d\n" % len(statements))
    for sql, params in statements:
        data = sql.encode()
        out.write(b"%d\n%s\n%d\n" % (len(data), data, len(params)))
        for value in params:
            if value is None:
                out.write(b"-1\n")
            else:
                data = value.encode()
                out.write(b"%d\n%s\n" % (len(data), data))


main()
