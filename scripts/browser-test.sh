#!/usr/bin/env bash
# Builds the playground (release, offline) and runs the Playwright journeys in
# headless Debian Chromium against it. Screenshots land in tests/browser/output/.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
TRUNK_OFFLINE=true trunk build --release
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
cd tests/browser
mkdir -p output
PORT="$port" CHROMIUM="$(command -v chromium)" playwright test -c playwright.config.mjs "$@"
