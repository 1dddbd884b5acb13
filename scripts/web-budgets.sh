#!/usr/bin/env bash
# Prints the front end's performance figures against their budgets (G7 bundle
# size, G8 first render, drag on a 200+-resource canvas, G9 244 animated flows,
# G11 rule edit to every verdict), measured in headless Debian Chromium against a
# loopback server. G7 budgets the wasm and JS that dist/index.html loads; the
# import worker's files (loaded on the first import or export) are printed too,
# for information.
#
#   scripts/web-budgets.sh             build (trunk, release, offline), then measure
#   scripts/web-budgets.sh --no-build  measure the existing dist/ (or $DIST)
#
# Environment: G8_RUNS (default 9), DRAG_RUNS (3), DRAG_STEPS (150), G9_RUNS (3),
# G9_MS (4000), G9_COPIES (1; 4 repeats the flows, 976), G11_EDITS (6), ONLY
# (some of g7,g8,drag,g9,g11), DIST (with --no-build: the site to measure, e.g. a
# clean worktree's dist; default dist), CHROMIUM.
# Exit status: 0 when everything was measured, whether budgets were met or not
# (a miss prints MISS); non-zero only when something could not be measured.
# Record results in docs/BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"

build=1
for arg in "$@"; do
  case "$arg" in
    --no-build) build=0 ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "unknown argument: $arg (try --help)" >&2; exit 2 ;;
  esac
done

dist="${DIST:-dist}"
if [ "$build" = 1 ] && [ "$dist" != dist ]; then echo "DIST=$dist goes with --no-build (a build writes dist/)" >&2; exit 2; fi
if [ "$build" = 1 ]; then
  TRUNK_OFFLINE=true trunk build --release >&2
fi
[ -f "$dist/index.html" ] || { echo "cannot measure: no $dist/index.html (build first, or drop --no-build)" >&2; exit 2; }
[ -d node_modules/playwright-core ] || { echo "cannot measure: node_modules/playwright-core is missing (npm install)" >&2; exit 2; }
chromium="${CHROMIUM:-$(command -v chromium || echo /usr/bin/chromium)}"
[ -x "$chromium" ] || { echo "cannot measure: no Chromium at $chromium (apt-get install -y chromium)" >&2; exit 2; }

# Measure a private copy of dist/, so another build running meanwhile cannot
# swap files under the server.
work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
cp -R "$dist" "$work/dist"

# Port 0: the OS picks a free port; serve.mjs prints the one it got.
node tests/browser/serve.mjs 0 "$work/dist" >"$work/serve.log" 2>&1 &
server_pid=$!
url=""
for _ in $(seq 1 100); do
  url="$(grep -o 'http://127.0.0.1:[0-9]*/' "$work/serve.log" | head -n1 || true)"
  [ -n "$url" ] && break
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
[ -n "$url" ] || { echo "cannot measure: the static server did not start:" >&2; cat "$work/serve.log" >&2; exit 2; }

# The commit of the tree the dist was built from (DIST's parent directory).
src="$(cd "$(dirname "$dist")" && pwd)"
commit="$(git -C "$src" rev-parse --short HEAD 2>/dev/null || echo unknown)"
git -C "$src" diff --quiet HEAD -- 2>/dev/null || commit="$commit (plus uncommitted changes)"
echo "# commit $commit; $(nproc) cores; $("$chromium" --version 2>/dev/null || echo chromium)"
CHROMIUM="$chromium" node tests/browser/budgets.mjs "$url" "$work/dist"
