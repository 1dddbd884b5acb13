#!/usr/bin/env bash
# Issue G1/G2 performance benchmark: one flow through the whole path
# (4 NSGs x 1,000 custom rules), compiled classifier vs the plain linear scan,
# natively and as WASM in node. Prints the numbers and the budget verdicts.
# Timing lives here and in the benches only; nothing here runs in the tests.
#
#   scripts/bench.sh              native + WASM, interleaved, BENCH_RUNS times
#   BENCH_RUNS=5 scripts/bench.sh more runs (medians are reported)
#   BENCH_CRITERION=1 scripts/bench.sh   also run the criterion bench
#   BENCH_CLOCK=cpu scripts/bench.sh     time with each process's thread CPU
#                                        time (Linux), not wall time
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

RUNS="${BENCH_RUNS:-3}"
TARGET="${CARGO_TARGET_DIR:-target}"
WASM_BINDGEN_VERSION=0.2.130   # must equal the wasm-bindgen version in Cargo.lock
OUT="$TARGET/bench-wasm"

say() { printf 'bench: %s\n' "$*" >&2; }

if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  say "wasm-bindgen $WASM_BINDGEN_VERSION is required (scripts/setup.sh installs it)"
  exit 1
fi
command -v node >/dev/null || { say "node is required"; exit 1; }

say "building the native harness"
cargo build --release -q -p netsec-bench --bin netsec-bench-native
say "building the WASM harness"
cargo build --release -q --target wasm32-unknown-unknown -p netsec-bench --lib
wasm-bindgen --target nodejs --out-dir "$OUT" \
  "$TARGET/wasm32-unknown-unknown/release/netsec_bench.wasm"

LOG="$(mktemp)"
trap 'rm -f "$LOG"' EXIT
# Interleaved, so both sides see the same machine load.
for i in $(seq "$RUNS"); do
  say "run $i/$RUNS"
  "$TARGET/release/netsec-bench-native" | tee -a "$LOG"
  node crates/netsec-bench/node/bench.cjs "$OUT/netsec_bench.js" | tee -a "$LOG"
done

median() { # the median of the values of lines "<side> <path>: <value> ..."
  grep "^$1 $2:" "$LOG" | awk '{print $3}' | tr -d '%' | sort -g |
    awk '{v[NR]=$1} END {if (NR==0) exit 1; print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'
}

NC="$(median native compiled)"
NL="$(median native linear)"
WC="$(median wasm compiled)"
WL="$(median wasm linear)"
FT="$(median native fall-through)"

verdict() { if awk "BEGIN {exit !($1)}"; then echo PASS; else echo FAIL; fi; }

echo
echo "== G1/G2: 4 NSGs x 1,000 custom rules, 10,000 flows, medians of $RUNS runs, ${BENCH_CLOCK:-wall} clock =="
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
awk -v nc="$NC" -v nl="$NL" -v wc="$WC" -v wl="$WL" -v ft="$FT" 'BEGIN {
  printf "fall-through: %.1f%% of flows reach DenyAll with no custom match\n", ft
  printf "native compiled: %.1f ns/flow (%.2f M flows/s)\n", nc, 1000 / nc
  printf "native linear: %.1f ns/flow (%.3f M flows/s)\n", nl, 1000 / nl
  printf "speedup: %.1fx\n", nl / nc
  printf "wasm compiled: %.1f ns/flow (%.2f M flows/s)\n", wc, 1000 / wc
  printf "wasm linear: %.1f ns/flow\n", wl
  printf "wasm/native compiled: %.2fx\n", wc / nc
  printf "wasm/native linear: %.2fx\n", wl / nl
}'
echo "budget: >= 30% fall-through: $(verdict "$FT >= 30")"
echo "budget: native <= 100 ns/flow (>= 10 M flows/s): $(verdict "$NC <= 100")"
echo "budget: >= 20x faster than the linear scan: $(verdict "$NL / $NC >= 20")"
echo "budget: WASM <= 1.25x native time: $(verdict "$WC / $NC <= 1.25")"

if [ "${BENCH_CRITERION:-0}" = 1 ]; then
  say "criterion bench"
  cargo bench -p netsec-engine --features bench-gen --bench flows
fi
