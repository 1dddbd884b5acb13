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
#
# Issue G12: one cold `netsec test-ip-flow` call on a generated Azure REST
# export (1,000 NICs, 100 NSGs x 1,000 rules, 50 ASGs at 1x), at several sizes.
#
#   scripts/bench.sh g12          0.25x, 0.5x, 1x and 2x, G12_RUNS (default 7) runs each
#   G12_SCALES="1" scripts/bench.sh g12   other sizes (multiples of the budget's input)
#
# The files are generated once into $CARGO_TARGET_DIR/g12 (again when the
# generator is rebuilt); each run is a new process, the file in the page cache.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

RUNS="${BENCH_RUNS:-3}"
TARGET="${CARGO_TARGET_DIR:-target}"

say() { printf 'bench: %s\n' "$*" >&2; }

if [ "${1:-}" = g12 ]; then
  G12_RUNS="${G12_RUNS:-7}"
  SCALES="${G12_SCALES:-0.25 0.5 1 2}"
  say "building netsec and the G12 generator"
  cargo build --release -q -p netsec-cli --bin netsec
  cargo build --release -q -p netsec-bench --bin netsec-bench-rest
  NETSEC="$TARGET/release/netsec"
  GEN="$TARGET/release/netsec-bench-rest"
  DIR="$TARGET/g12"
  mkdir -p "$DIR"
  TIMER=""
  if [ -x /usr/bin/time ]; then TIMER=/usr/bin/time; fi
  RESULTS="$(mktemp)"
  STATS="$(mktemp)"
  trap 'rm -f "$RESULTS" "$STATS"' EXIT
  for s in $SCALES; do
    file="$DIR/rest-${s}x.json"
    info="$file.info"
    if [ ! -s "$file" ] || [ ! -s "$info" ] || [ "$GEN" -nt "$file" ]; then
      say "generating $file"
      "$GEN" --scale "$s" --out "$file" >"$info"
    fi
    bytes="$(awk '/^bytes:/ {print $2}' "$info")"
    read -r -a probe <<<"$(awk '/^probe:/ {sub(/^probe: /, ""); print; exit}' "$info")"
    expect="$(awk '/^expect:/ {sub(/^expect: /, ""); print; exit}' "$info")"
    say "${s}x: $(sed -n 's/^shape: //p' "$info")"
    # One untimed run: the answer must be the known one.
    got="$("$NETSEC" test-ip-flow --scenario "$file" "${probe[@]}")"
    if [ "$got" != "$expect" ]; then
      say "${s}x: netsec answered $got, expected $expect"
      exit 1
    fi
    : >"$STATS"
    for i in $(seq "$G12_RUNS"); do
      start="$EPOCHREALTIME"
      if [ -n "$TIMER" ]; then
        "$TIMER" -o "$STATS" -a -f '%U %S %M' "$NETSEC" test-ip-flow --scenario "$file" "${probe[@]}" >/dev/null
      else
        "$NETSEC" test-ip-flow --scenario "$file" "${probe[@]}" >/dev/null
      fi
      end="$EPOCHREALTIME"
      ms="$(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.1f", (b - a) * 1000}')"
      printf 'run %s %s %s\n' "$s" "$i" "$ms" >&2
      echo "$s $bytes $ms" >>"$RESULTS"
    done
    if [ -s "$STATS" ]; then
      # CPU time (user + sys) and peak memory, medians (information only).
      cpu="$(awk '{print ($1 + $2) * 1000}' "$STATS" | sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}')"
      rss="$(awk '{print $3}' "$STATS" | sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}')"
      echo "cpu $s $cpu $rss" >>"$RESULTS"
    fi
  done
  echo
  echo "== G12: one cold \`netsec test-ip-flow\` on a generated Azure REST export, $G12_RUNS runs per size, wall clock =="
  echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
  MEDS="$(mktemp)"
  trap 'rm -f "$RESULTS" "$STATS" "$MEDS"' EXIT
  for s in $SCALES; do
    bytes="$(awk -v s="$s" '$1 == s {print $2; exit}' "$RESULTS")"
    # scale, bytes, median, min, max (ms)
    awk -v s="$s" '$1 == s {print $3}' "$RESULTS" | sort -g | awk -v s="$s" -v b="$bytes" '
      {v[NR]=$1}
      END {
        med=(NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2
        print s, b, med, v[1], v[NR]
      }' >>"$MEDS"
    awk -v s="$s" '$1 == s {
      printf "%sx: %.1f MB, median %.0f ms (min %.0f, max %.0f), %.1f ms/MB\n", s, $2/1e6, $3, $4, $5, $3/($2/1e6)
    }' "$MEDS"
    awk -v s="$s" '$1 == "cpu" && $2 == s {
      printf "     CPU time (user+sys) median %.0f ms, peak memory median %.0f MB\n", $3, $4/1024
    }' "$RESULTS"
  done
  med1="$(awk '$1 == 1 {print $3}' "$MEDS")"
  first="$(head -n1 "$MEDS")"
  last="$(tail -n1 "$MEDS")"
  verdict() { if awk "BEGIN {exit !($1)}"; then echo PASS; else echo MISS; fi; }
  if [ -n "$med1" ]; then
    echo "budget: 1x <= 1000 ms end to end: $(verdict "$med1 <= 1000") (stretch <= 300 ms: $(verdict "$med1 <= 300"))"
  fi
  if [ "$first" != "$last" ]; then
    read -r s0 b0 m0 _ <<<"$first"
    read -r s1 b1 m1 _ <<<"$last"
    growth="$(awk -v b0="$b0" -v m0="$m0" -v b1="$b1" -v m1="$m1" 'BEGIN {printf "%.2f", (m1/b1) / (m0/b0)}')"
    echo "budget: cost grows no faster than the input (ms/MB at ${s1}x / at ${s0}x = $growth <= 1.25): $(verdict "$growth <= 1.25")"
    # The same with CPU time, which other processes on a busy machine disturb less.
    c0="$(awk -v s="$s0" '$1 == "cpu" && $2 == s {print $3}' "$RESULTS")"
    c1="$(awk -v s="$s1" '$1 == "cpu" && $2 == s {print $3}' "$RESULTS")"
    if [ -n "$c0" ] && [ -n "$c1" ]; then
      cgrowth="$(awk -v b0="$b0" -v c0="$c0" -v b1="$b1" -v c1="$c1" 'BEGIN {printf "%.2f", (c1/b1) / (c0/b0)}')"
      echo "budget: ... with CPU time (CPU ms/MB at ${s1}x / at ${s0}x = $cgrowth <= 1.25): $(verdict "$cgrowth <= 1.25")"
    fi
  fi
  exit 0
fi
WASM_BINDGEN_VERSION=0.2.130   # must equal the wasm-bindgen version in Cargo.lock
OUT="$TARGET/bench-wasm"

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
