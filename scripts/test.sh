#!/usr/bin/env bash
# Runs every test the project has, after installing whatever is missing.
# This is exactly what CI runs (.ci/run calls this script and nothing else).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

step() { printf '\n==> %s\n' "$*"; }

step "set-up (installs only what is missing)"
bash scripts/setup.sh

step "formatting"
cargo fmt --all -- --check

step "clippy, host"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "clippy, wasm32-unknown-unknown"
cargo clippy --workspace --lib --bins --target wasm32-unknown-unknown --locked -- -D warnings

step "the engine builds for wasm32 without std"
cargo build -p netsec-engine --no-default-features --target wasm32-unknown-unknown --locked

step "unit, property, corpus and command-line tests (native)"
cargo test --workspace --locked

step "the corpus in WASM (wasm-bindgen-test under node)"
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test -p netsec-corpus --target wasm32-unknown-unknown --locked

step "web components in headless Chromium (wasm-bindgen-test, chromedriver)"
CHROMEDRIVER="$(command -v chromedriver)" CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test -p netsec-web --target wasm32-unknown-unknown --test components --locked

if [ -x scripts/browser-test.sh ]; then
  step "browser journeys (Playwright, headless Chromium)"
  bash scripts/browser-test.sh
fi

step "all tests passed"
