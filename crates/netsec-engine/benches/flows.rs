//! Issue G1/G2: one flow through the whole path (4 NSGs x 1,000 custom rules),
//! compiled classifier against the plain linear scan of the same expanded rules.
//!
//! Run: `cargo bench -p netsec-engine --features bench-gen --bench flows`.
//! After criterion's own report it prints plain summary lines (median of
//! repeated passes over all flows):
//!
//! ```text
//! compiled: X ns/flow (Y M flows/s)
//! linear: X ns/flow (Y M flows/s)
//! speedup: Zx
//! fall-through: P%
//! ```
//!
//! Before any timing it checks that the compiled decision equals the linear
//! one for every generated flow and NSG (correctness, not timing).

// Bench code: a broken workload must stop the run loudly, and the crate-level
// `missing_docs` lint does not apply to a bench binary's helpers.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    missing_docs,
    reason = "bench binary: failures must abort loudly"
)]

use std::hint::black_box;
use std::time::Instant;

use criterion::{Criterion, Throughput};
use netsec_engine::Flow;
use netsec_engine::benchgen::{self, CompiledPath, DEFAULT_SEED, PathNsg, RULES_PER_NSG, Workload};
use netsec_engine::resources::Access;

fn allowed_compiled(path: &CompiledPath, flows: &[Flow]) -> usize {
    flows
        .iter()
        .filter(|f| path.access(black_box(f)) == Access::Allow)
        .count()
}

fn allowed_linear(path: &[PathNsg], flows: &[Flow]) -> usize {
    flows
        .iter()
        .filter(|f| benchgen::linear_access(path, black_box(f)) == Access::Allow)
        .count()
}

/// Median ns per flow over `rounds` rounds of `passes` passes over all flows.
fn median_ns(rounds: usize, passes: usize, flows: usize, mut pass: impl FnMut() -> usize) -> f64 {
    let mut samples: Vec<f64> = (0..rounds)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..passes {
                black_box(pass());
            }
            start.elapsed().as_nanos() as f64 / (passes * flows) as f64
        })
        .collect();
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

fn criterion_benches(c: &mut Criterion, w: &Workload, compiled: &CompiledPath) {
    let mut g = c.benchmark_group("path_4x1000");
    g.throughput(Throughput::Elements(w.flows.len() as u64));
    g.bench_function("compiled", |b| {
        b.iter(|| allowed_compiled(compiled, &w.flows))
    });
    g.finish();
    // A linear pass over 10,000 flows takes a good fraction of a second: fewer samples.
    let mut g = c.benchmark_group("path_4x1000");
    g.throughput(Throughput::Elements(w.flows.len() as u64));
    g.sample_size(10);
    g.bench_function("linear", |b| b.iter(|| allowed_linear(&w.path, &w.flows)));
    g.finish();
}

fn main() {
    let w = benchgen::workload(DEFAULT_SEED).unwrap();
    let compiled = CompiledPath::compile(&w.path);
    if let Err(e) = benchgen::check_equivalence(&w, &compiled) {
        panic!("compiled classifier disagrees with the linear scan: {e}");
    }
    let stats = benchgen::stats(&w);
    assert!(
        stats.fall_through_percent() >= 30.0,
        "the workload must have >= 30% fall-through flows: {stats:?}"
    );
    assert_eq!(
        allowed_compiled(&compiled, &w.flows),
        allowed_linear(&w.path, &w.flows)
    );

    let mut c = Criterion::default().configure_from_args();
    criterion_benches(&mut c, &w, &compiled);
    c.final_summary();

    // `cargo test --benches` runs this binary without `--bench`: no timing there.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let n = w.flows.len();
    let fast = median_ns(31, 10, n, || allowed_compiled(&compiled, &w.flows));
    let slow = median_ns(5, 1, n, || allowed_linear(&w.path, &w.flows));
    println!();
    println!(
        "workload: seed {:#x}, {} NSGs x {} custom rules, {} flows; allowed {}, denied at NSG 1..4 {:?}, {:.2} NSGs evaluated per flow",
        w.seed,
        w.path.len(),
        RULES_PER_NSG,
        n,
        stats.allowed,
        stats.denied_at,
        stats.nsgs_evaluated as f64 / n as f64
    );
    println!("compiled: {fast:.1} ns/flow ({:.2} M flows/s)", 1e3 / fast);
    println!("linear: {slow:.1} ns/flow ({:.3} M flows/s)", 1e3 / slow);
    println!("speedup: {:.1}x", slow / fast);
    println!(
        "fall-through: {:.1}% (no custom match in the first NSG: {:.1}%)",
        stats.fall_through_percent(),
        stats.no_custom_match_first as f64 * 100.0 / n as f64
    );
}
