#!/usr/bin/env bash
# Renders the insecure example's HTML report in headless Chromium and checks
# that the graph has nodes, that clicking a node shows its findings, that
# the filters hide findings, that no console error occurs and that hostile
# names stay text; saves a screenshot to docs/img/report.png.
#
# It installs what it needs (Debian's chromium, playwright-core from npm)
# and skips, with a message and exit 0, when it cannot. Usage, from the
# repository root or anywhere:
#   bash scripts/html-e2e/run.sh [SCREENSHOT.png]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
shot="${1:-$root/docs/img/report.png}"
skip() { echo "html-e2e: SKIPPED: $*"; exit 0; }

chromium="${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}"
if [ -z "$chromium" ]; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
		echo "html-e2e: installing chromium (apt-get)"
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } >/tmp/html-e2e-apt.log 2>&1 ||
			skip "chromium could not be installed (see /tmp/html-e2e-apt.log)"
		chromium="$(command -v chromium || true)"
	fi
	[ -n "$chromium" ] || skip "no chromium, and not root with apt-get to install it"
fi
command -v node >/dev/null && command -v npm >/dev/null || skip "node and npm are needed (apt-get install nodejs npm)"
if [ ! -d "$here/node_modules/playwright-core" ]; then
	echo "html-e2e: installing playwright-core (npm ci)"
	# playwright-core drives the system chromium: no browser download.
	(cd "$here" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --silent) >/tmp/html-e2e-npm.log 2>&1 ||
		skip "npm ci failed (see /tmp/html-e2e-npm.log)"
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cd "$root"
go build -o "$tmp/faasguard" ./cmd/faasguard
# Exit 1 means "findings at or above --fail-on": expected here.
scan() { "$tmp/faasguard" scan "$1" --format html --output "$2" || [ $? -eq 1 ]; }
scan examples/serverless/insecure "$tmp/report.html"
scan scripts/html-e2e/testdata/hostile "$tmp/hostile.html"
echo "html-e2e: report size $(wc -c <"$tmp/report.html") bytes"
mkdir -p "$(dirname "$shot")"
CHROMIUM="$chromium" node "$here/e2e.mjs" "$tmp/report.html" "$tmp/hostile.html" "$shot"
