#!/usr/bin/env bash
# Lighthouse 12 (npm, pinned: 13 needs Node 22) on the example's home and publications
# pages, with Debian's chromium; prints the four category scores and every audit that
# failed. Not part of the test suite.
#
#   bash benchmarks/lighthouse.sh            # desktop preset
#   FORM=mobile bash benchmarks/lighthouse.sh
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(dirname "$HERE")"
PY="$ROOT/.venv/bin/python"
LH="$HERE/lighthouse/node_modules/.bin/lighthouse"
FORM="${FORM:-desktop}"
export CHROME_PATH="${CHROME_PATH:-$(command -v chromium)}"
if [ ! -x "$LH" ]; then
  (cd "$HERE/lighthouse" && npm ci --no-audit --no-fund --silent 2>/dev/null \
    || npm i -E --no-audit --no-fund --silent lighthouse@12.2.3)
fi
WORK="$(mktemp -d)"
trap 'kill "${SERVER:-0}" 2>/dev/null || true; rm -rf "$WORK"' EXIT
PORT="$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
# The example as if published at this address (absolute canonical and hreflang URLs).
cp -r "$ROOT/examples/about-me" "$WORK/src"
rm -rf "$WORK/src/_site" "$WORK/src/.scholarsite-cache"
sed -i "s|^base_url:.*|base_url: http://127.0.0.1:$PORT/|" "$WORK/src/site.yaml"
"$ROOT/.venv/bin/scholarsite" build "$WORK/src" -o "$WORK/site" >/dev/null
"$PY" "$HERE/static_server.py" "$WORK/site" "$PORT" >/dev/null 2>&1 &  # gzip, as hosts do
SERVER=$!
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$PORT/" >/dev/null && break; sleep 0.1; done
FLAGS="--headless=new --no-sandbox --disable-gpu --disable-background-networking"
FLAGS="$FLAGS --disable-component-update --disable-sync --no-first-run"
PRESET=(); [ "$FORM" = desktop ] && PRESET=(--preset=desktop)
for page in "" "publications/"; do
  "$LH" "http://127.0.0.1:$PORT/$page" "${PRESET[@]}" --quiet --chrome-flags="$FLAGS" \
    --only-categories=performance,accessibility,best-practices,seo \
    --output=json --output-path="$WORK/report.json" || true
  "$PY" - "$WORK/report.json" "/$page" "$FORM" <<'PYEOF'
import json, sys
report = json.load(open(sys.argv[1]))
cats = report["categories"]
scores = "  ".join(f"{c['title']}: {round(c['score'] * 100)}" for c in cats.values())
print(f"{sys.argv[2]:<15} ({sys.argv[3]})  {scores}")
for cat in cats.values():
    for ref in cat["auditRefs"]:
        audit = report["audits"][ref["id"]]
        if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
            print(f"    {cat['title']}: {audit['id']}: {audit['title']} ({audit['score']})")
            for item in (audit.get("details") or {}).get("items", [])[:3]:
                what = item.get("text") or item.get("href") or item.get("url") or ""
                if what:
                    print(f"        {what!r} {item.get('href', '')}")
PYEOF
done
