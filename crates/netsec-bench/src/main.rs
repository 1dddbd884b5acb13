//! The native side of the G1/G2 harness: times [`Harness`] with the same
//! protocol as `node/bench.cjs` and prints `native <path>: <ns> ns/flow`.
//!
//! `BENCH_CLOCK=cpu` (Linux) times with the thread's CPU time
//! (`/proc/thread-self/schedstat`) instead of wall time, which leaves out the
//! time other processes held the CPU on a shared machine.

use std::process::ExitCode;
use std::time::Instant;

use netsec_bench::{Harness, protocol};

/// The thread's CPU time in ns, if `BENCH_CLOCK=cpu` and the system has it.
fn cpu_ns() -> Option<f64> {
    if std::env::var_os("BENCH_CLOCK").is_none_or(|c| c != "cpu") {
        return None;
    }
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// Nanoseconds on the chosen clock, from an arbitrary origin.
fn now_ns(origin: Instant) -> f64 {
    cpu_ns().unwrap_or_else(|| origin.elapsed().as_nanos() as f64)
}

fn median_ns(h: &Harness, rounds: u32, passes: u32, run: impl Fn(&Harness, u32) -> u32) -> f64 {
    let origin = Instant::now();
    let passes = if cpu_ns().is_some() {
        passes * protocol::CPU_CLOCK_PASS_FACTOR
    } else {
        passes
    };
    let warmup = Instant::now();
    let mut rounds_done = 0;
    while rounds_done < protocol::WARMUP_ROUNDS
        || warmup.elapsed().as_millis() < u128::from(protocol::WARMUP_MS)
    {
        std::hint::black_box(run(h, passes));
        rounds_done += 1;
    }
    let mut samples: Vec<f64> = (0..rounds)
        .map(|_| {
            let start = now_ns(origin);
            std::hint::black_box(run(h, passes));
            (now_ns(origin) - start) / (f64::from(passes) * h.flows() as f64)
        })
        .collect();
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

fn main() -> ExitCode {
    let h = match Harness::new() {
        Ok(h) => h,
        Err(e) => {
            eprintln!("netsec-bench: {e}");
            return ExitCode::FAILURE;
        }
    };
    let compiled = median_ns(
        &h,
        protocol::COMPILED_ROUNDS,
        protocol::COMPILED_PASSES,
        Harness::run_compiled,
    );
    let linear = median_ns(
        &h,
        protocol::LINEAR_ROUNDS,
        protocol::LINEAR_PASSES,
        Harness::run_linear,
    );
    println!(
        "native fall-through: {:.1}%",
        h.stats().fall_through_percent()
    );
    println!("native compiled: {compiled:.2} ns/flow");
    println!("native linear: {linear:.2} ns/flow");
    ExitCode::SUCCESS
}
