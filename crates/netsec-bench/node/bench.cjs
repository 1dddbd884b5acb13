// The WASM side of the G1/G2 harness: loads the wasm-bindgen (nodejs) build
// given as argv[2] (optionally `--compiled-only` as argv[3]), times
// BenchHarness with performance.now() using the same protocol as the native
// binary (src/main.rs), and prints `wasm <path>: <ns> ns/flow`. Run by
// scripts/bench.sh. BENCH_CLOCK=cpu (Linux) times with the main thread's CPU
// time instead, as the native side does.
'use strict';
const fs = require('fs');
const path = require('path');
const { BenchHarness } = require(path.resolve(process.argv[2]));

const h = new BenchHarness();
const [compiledPasses, linearPasses, warmupRounds, warmupMs, compiledRounds, linearRounds, cpuFactor] =
  BenchHarness.protocol();
const flows = h.flows();

// Milliseconds on the chosen clock.
const cpuClock = process.env.BENCH_CLOCK === 'cpu' && fs.existsSync('/proc/thread-self/schedstat');
const now = cpuClock
  ? () => Number(fs.readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6
  : () => performance.now();

function medianNs(rounds, passes, run) {
  // The CPU-time clock advances in scheduler ticks: longer rounds.
  if (cpuClock) passes *= cpuFactor;
  const start = performance.now();
  for (let i = 0; i < warmupRounds || performance.now() - start < warmupMs; i++) {
    run(passes);
  }
  const samples = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = now();
    run(passes);
    const ms = now() - t0;
    samples.push((ms * 1e6) / (passes * flows));
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

const compiled = medianNs(compiledRounds, compiledPasses, (p) => h.run_compiled(p));
console.log(`wasm fall-through: ${h.fall_through_percent().toFixed(1)}%`);
console.log(`wasm compiled: ${compiled.toFixed(2)} ns/flow`);
// `--compiled-only`: skip the (slow) linear path, for quick comparisons.
if (process.argv[3] !== '--compiled-only') {
  const linear = medianNs(linearRounds, linearPasses, (p) => h.run_linear(p));
  console.log(`wasm linear: ${linear.toFixed(2)} ns/flow`);
}
