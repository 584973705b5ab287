#!/usr/bin/env bash
# Lighthouse scores for the sample site: the front page, an article, a tag
# page and the archive, with the diagnostics behind the scores.
#
#     bash bench/lighthouse.sh [ARTICLE_PATH]
#
# Builds the sample site (with the golden tests' fixed clock) into a temporary
# folder, serves it on 127.0.0.1 with Python's http.server, runs a pinned
# Lighthouse 12 (mobile emulation, simulated throttling: its defaults) in
# Debian's Chromium against each page, and prints the four category scores as
# a table, then the diagnostics Lighthouse reports without weighing them
# (unused CSS and JavaScript, render-blocking requests, bytes, LCP and CLS,
# DOM size...). This is a benchmark, not a test: it never fails on a low score.
# Needs .venv (make install), Node.js with npx, and chromium; Lighthouse itself
# comes from the npm registry through npx on first use.
set -euo pipefail
cd "$(dirname "$0")/.."

LIGHTHOUSE=lighthouse@12.8.2
ARTICLE=${1:-2021/03/kestrel-bay-port-orders-electric-cranes-in-bid-to-cut-emissions/}
PYTHON=${PYTHON:-.venv/bin/python}
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}

command -v npx >/dev/null || { echo "needs npx (apt-get install nodejs npm)" >&2; exit 2; }
[ -x "$CHROME_PATH" ] || { echo "needs Chromium at $CHROME_PATH (apt-get install chromium)" >&2; exit 2; }
[ -x "$PYTHON" ] || { echo "needs $PYTHON (make install)" >&2; exit 2; }

work=$(mktemp -d)
server_pid=
cleanup() {
    if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

"$PYTHON" -c 'import sys; from pathlib import Path; from tests.golden import build_sample; build_sample(Path(sys.argv[1]))' "$work/site"

# Serve on a free port; the server writes the port it got to a file.
"$PYTHON" - "$work/site" "$work/port" <<'PY' &
import functools, sys
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=sys.argv[1]))
with open(sys.argv[2] + ".tmp", "w") as f:
    f.write(str(httpd.server_address[1]))
import os; os.replace(sys.argv[2] + ".tmp", sys.argv[2])
httpd.serve_forever()
PY
server_pid=$!
for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.1; done
[ -s "$work/port" ] || { echo "the HTTP server did not start" >&2; exit 1; }
base="http://127.0.0.1:$(cat "$work/port")/"

declare -A pages=([front]="" [article]="$ARTICLE" [tag]="tags/belarus/" [archive]="archive/")
for name in front article tag archive; do
    echo "Lighthouse: ${base}${pages[$name]}" >&2
    npx --yes "$LIGHTHOUSE" "${base}${pages[$name]}" \
        --quiet --output=json --output-path="$work/$name.json" \
        --only-categories=performance,accessibility,best-practices,seo \
        --chrome-flags="--headless --no-sandbox --disable-gpu" >&2
done

"$PYTHON" - "$work" "$ARTICLE" <<'PY'
import json, sys
from pathlib import Path

work, article = Path(sys.argv[1]), sys.argv[2]
categories = ["performance", "accessibility", "best-practices", "seo"]
# Diagnostics: audits that carry no weight in a score but say what a page costs.
DIAGNOSTICS = ("largest-contentful-paint", "cumulative-layout-shift", "total-blocking-time", "server-response-time",
               "render-blocking-resources", "unused-css-rules", "unused-javascript", "total-byte-weight",
               "dom-size", "uses-responsive-images", "modern-image-formats", "offscreen-images",
               "unsized-images", "font-display", "mainthread-work-breakdown", "bootup-time")
pages = (("front", "/"), ("article", "/" + article), ("tag", "/tags/belarus/"), ("archive", "/archive/"))
rows = []
diagnostics = []
for name, label in pages:
    report = json.loads((work / f"{name}.json").read_text())
    scores = [report["categories"][c]["score"] for c in categories]
    rows.append((label, [("n/a" if s is None else str(round(s * 100))) for s in scores]))
    for category in categories:  # what cost points, for the record
        for ref in report["categories"][category]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                print(f"  {label} {category}: {audit['id']} scored {audit['score']}"
                      + (f" ({audit['displayValue']})" if audit.get("displayValue") else ""), file=sys.stderr)
    for audit_id in DIAGNOSTICS:
        audit = report["audits"].get(audit_id)
        if audit is not None:
            shown = audit.get("displayValue") or ("passed" if audit.get("score") == 1 else "")
            diagnostics.append((label, audit_id, "n/a" if audit.get("score") is None else audit["score"], shown))
print(f"Lighthouse {json.loads((work / 'front.json').read_text())['lighthouseVersion']}, "
      "mobile emulation, simulated throttling")
width = max(len(label) for label, _ in rows)
print(f"{'page':<{width}}  " + "  ".join(f"{c:>14}" for c in categories))
for label, scores in rows:
    print(f"{label:<{width}}  " + "  ".join(f"{s:>14}" for s in scores))
print()
print("Diagnostics (not weighed in the scores)")
for label, audit_id, score, shown in diagnostics:
    print(f"{label:<{width}}  {audit_id:<28} {str(score):>5}  {shown}")
PY
