//! Issue G1/G2 harness: the seeded workload of
//! [`netsec_engine::benchgen`] (4 NSGs x 1,000 custom rules on one path,
//! 10,000 flows), decided by the compiled classifier and by the plain linear
//! scan, built for both the native target and `wasm32-unknown-unknown`.
//!
//! The timing itself is done by the caller, with the same protocol on both
//! sides: the native binary (`src/main.rs`) with `std::time::Instant`, the
//! node script (`node/bench.cjs`) with `performance.now()`. Each calls
//! [`Harness::run_compiled`] / [`Harness::run_linear`] for a number of passes
//! over all flows, several rounds, and reports the median ns per flow.
//! `scripts/bench.sh` runs both and prints the ratio.
//!
//! [`rest_export`] is issue G12's input: a seeded Azure REST export of 1,000
//! NICs and 100 NSGs x 1,000 rules, written by the `netsec-bench-rest` binary
//! for `scripts/bench.sh g12`, which times the `netsec` command on it.

use std::hint::black_box;

pub mod rest_export;

use netsec_engine::Flow;
use netsec_engine::benchgen::{self, CompiledPath, DEFAULT_SEED, Stats, Workload};
use netsec_engine::resources::Access;

/// Passes per timed round and rounds, shared by both runners.
pub mod protocol {
    /// Passes over all flows per round, compiled path.
    pub const COMPILED_PASSES: u32 = 40;
    /// Passes over all flows per round, linear path.
    pub const LINEAR_PASSES: u32 = 1;
    /// Untimed warm-up rounds (at least).
    pub const WARMUP_ROUNDS: u32 = 3;
    /// Untimed warm-up time per path, ms (at least; lets V8 tier up to its
    /// optimising compiler before timing).
    pub const WARMUP_MS: u32 = 1500;
    /// Timed rounds, compiled path (the median is reported).
    pub const COMPILED_ROUNDS: u32 = 21;
    /// Timed rounds, linear path.
    pub const LINEAR_ROUNDS: u32 = 7;
    /// With the CPU-time clock (`BENCH_CLOCK=cpu`), passes per round are
    /// multiplied by this: that clock advances in scheduler ticks (4 ms here),
    /// so rounds must be long.
    pub const CPU_CLOCK_PASS_FACTOR: u32 = 8;
}

/// The workload, compiled once.
#[derive(Debug)]
pub struct Harness {
    workload: Workload,
    compiled: CompiledPath,
    stats: Stats,
}

impl Harness {
    /// Builds the default workload and compiles it, checking that the
    /// compiled decision equals the linear one for every flow and NSG.
    pub fn new() -> Result<Self, String> {
        Self::with_seed(DEFAULT_SEED)
    }

    /// Same, for another seed.
    pub fn with_seed(seed: u64) -> Result<Self, String> {
        let workload = benchgen::workload(seed).map_err(|e| format!("{e}"))?;
        let compiled = CompiledPath::compile(&workload.path);
        benchgen::check_equivalence(&workload, &compiled)?;
        let stats = benchgen::stats(&workload);
        if stats.fall_through_percent() < 30.0 {
            return Err(format!(
                "only {:.1}% of flows fall through to DenyAll (need >= 30%)",
                stats.fall_through_percent()
            ));
        }
        Ok(Self {
            workload,
            compiled,
            stats,
        })
    }

    /// Number of flows in one pass.
    pub fn flows(&self) -> usize {
        self.workload.flows.len()
    }

    /// Where the flows end (by the linear path).
    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    /// `passes` passes of the compiled path over all flows; returns the
    /// number of allowed decisions (so the work cannot be optimised away).
    pub fn run_compiled(&self, passes: u32) -> u32 {
        let mut allowed = 0u32;
        for _ in 0..passes {
            allowed =
                allowed.wrapping_add(count(&self.workload.flows, |f| self.compiled.access(f)));
        }
        allowed
    }

    /// `passes` passes of the linear path ([`netsec_engine::effective::decide`]
    /// per NSG) over all flows; returns the number of allowed decisions.
    pub fn run_linear(&self, passes: u32) -> u32 {
        let mut allowed = 0u32;
        for _ in 0..passes {
            allowed = allowed.wrapping_add(count(&self.workload.flows, |f| {
                benchgen::linear_access(&self.workload.path, f)
            }));
        }
        allowed
    }
}

fn count(flows: &[Flow], mut access: impl FnMut(&Flow) -> Access) -> u32 {
    let mut n = 0u32;
    for f in flows {
        if access(black_box(f)) == Access::Allow {
            n += 1;
        }
    }
    n
}

#[cfg(target_arch = "wasm32")]
mod wasm {
    use wasm_bindgen::prelude::*;

    /// The harness, for JavaScript.
    #[wasm_bindgen]
    pub struct BenchHarness(super::Harness);

    #[wasm_bindgen]
    impl BenchHarness {
        /// Builds and checks the default workload.
        #[wasm_bindgen(constructor)]
        pub fn new() -> Result<BenchHarness, JsError> {
            super::Harness::new()
                .map(BenchHarness)
                .map_err(|e| JsError::new(&e))
        }

        /// Flows in one pass.
        pub fn flows(&self) -> u32 {
            self.0.flows() as u32
        }

        /// Fall-through share in percent.
        pub fn fall_through_percent(&self) -> f64 {
            self.0.stats().fall_through_percent()
        }

        /// See [`super::Harness::run_compiled`].
        pub fn run_compiled(&self, passes: u32) -> u32 {
            self.0.run_compiled(passes)
        }

        /// See [`super::Harness::run_linear`].
        pub fn run_linear(&self, passes: u32) -> u32 {
            self.0.run_linear(passes)
        }

        /// The shared protocol: `[compiled passes, linear passes, warm-up
        /// rounds, warm-up ms, compiled rounds, linear rounds, CPU-clock pass
        /// factor]`.
        pub fn protocol() -> Vec<u32> {
            use super::protocol::*;
            vec![
                COMPILED_PASSES,
                LINEAR_PASSES,
                WARMUP_ROUNDS,
                WARMUP_MS,
                COMPILED_ROUNDS,
                LINEAR_ROUNDS,
                CPU_CLOCK_PASS_FACTOR,
            ]
        }

        /// A one-line description of the workload.
        pub fn describe(&self) -> String {
            let s = self.0.stats();
            format!(
                "{} flows, allowed {}, denied at NSG 1..4 {:?}",
                s.flows, s.allowed, s.denied_at
            )
        }
    }
}
