//! Issue G12: writes the seeded Azure REST export of
//! [`netsec_bench::rest_export`] to a file and prints what it holds and the
//! `netsec test-ip-flow` questions whose answers are known
//! (`scripts/bench.sh g12` reads these lines).
//!
//! ```text
//! netsec-bench-rest --out FILE [--scale 1.0] [--seed N]
//! ```

use std::process::ExitCode;

use netsec_bench::rest_export::{self, DEFAULT_SEED, RULES_PER_NSG, Shape};

const USAGE: &str = "usage: netsec-bench-rest --out FILE [--scale 1.0] [--seed N]";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("netsec-bench-rest: {e}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<(), String> {
    let words: Vec<String> = std::env::args().skip(1).collect();
    let mut out = None;
    let mut scale = 1.0f64;
    let mut seed = DEFAULT_SEED;
    let mut it = words.iter();
    while let Some(w) = it.next() {
        let mut value = || {
            it.next()
                .ok_or_else(|| format!("{w} needs a value\n{USAGE}"))
        };
        match w.as_str() {
            "--out" => out = Some(value()?.clone()),
            "--scale" => {
                let v = value()?;
                scale = v
                    .parse()
                    .map_err(|_| format!("--scale: '{v}' is not a number"))?;
            }
            "--seed" => {
                let v = value()?;
                seed = match v.strip_prefix("0x") {
                    Some(hex) => u64::from_str_radix(hex, 16),
                    None => v.parse(),
                }
                .map_err(|_| format!("--seed: '{v}' is not a number"))?;
            }
            "--help" | "-h" => {
                println!("{USAGE}");
                return Ok(());
            }
            other => return Err(format!("unknown argument '{other}'\n{USAGE}")),
        }
    }
    let out = out.ok_or_else(|| format!("--out FILE is required\n{USAGE}"))?;
    let shape = Shape::scaled(scale)?;
    let export = rest_export::generate(seed, shape)?;
    std::fs::write(&out, &export.text).map_err(|e| format!("{out}: {e}"))?;
    println!("file: {out}");
    println!("bytes: {}", export.text.len());
    println!(
        "shape: {} VNets, {} subnets, {} NSGs x {RULES_PER_NSG} rules, {} ASGs, {} NICs (seed {seed:#x}, scale {scale})",
        shape.vnets, shape.subnets, shape.nsgs, shape.asgs, shape.nics
    );
    for p in &export.probes {
        println!("probe: {}", p.cli_args().join(" "));
        println!("expect: {}", p.expected_output());
    }
    Ok(())
}
