//! The G12 input stays readable: a small scale of the generated Azure REST
//! export imports through the Azure reader with nothing skipped, holds what
//! its shape says, and IP flow verify gives the probes' known answers.
//! Nothing here is timed (`scripts/bench.sh g12` times the `netsec` command).

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "a panic in a test is a failed test"
)]

use std::net::IpAddr;

use netsec_bench::rest_export::{self, DEFAULT_SEED, PROBE_RULE, Probe, RULES_PER_NSG, Shape};
use netsec_engine::watcher::{self, IpFlowQuery, Target};
use netsec_engine::{Access, Direction, Protocol};
use netsec_import::{Loaded, SourceFormat};

fn endpoint(text: &str) -> (IpAddr, u16) {
    let (ip, port) = text.rsplit_once(':').unwrap();
    (ip.parse().unwrap(), port.parse().unwrap())
}

/// Asks what `netsec test-ip-flow` asks, through the same engine call.
fn ask(l: &Loaded, p: &Probe) -> (Access, Option<String>) {
    let vm = l.network.find_vm(&p.vm).unwrap();
    let (local_ip, local_port) = endpoint(&p.local);
    let (remote_ip, remote_port) = endpoint(&p.remote);
    assert_eq!(p.direction, "Inbound");
    let q = IpFlowQuery {
        target: Target::Vm(vm),
        direction: Direction::Inbound,
        protocol: p.protocol.parse::<Protocol>().unwrap(),
        local_ip,
        local_port,
        remote_ip,
        remote_port,
    };
    let r = watcher::ip_flow_verify(&l.network, &q).unwrap();
    (r.access, r.rule_name)
}

#[test]
fn the_budget_shape_is_the_budget_input() {
    let s = Shape::scaled(1.0).unwrap();
    assert_eq!((s.nics, s.nsgs, s.asgs), (1_000, 100, 50));
    assert_eq!((s.vnets, s.subnets), (5, 50));
    let double = Shape::scaled(2.0).unwrap();
    assert_eq!((double.nics, double.nsgs, double.asgs), (2_000, 200, 100));
    assert!(Shape::scaled(0.0).is_err());
    assert!(Shape::scaled(f64::NAN).is_err());
}

#[test]
fn a_small_export_imports_and_answers_the_probes() {
    let shape = Shape::scaled(0.05).unwrap();
    let export = rest_export::generate(DEFAULT_SEED, shape).unwrap();
    let l = netsec_import::load(&export.text).unwrap();
    assert_eq!(l.format, SourceFormat::AzureResources);
    assert_eq!(l.report.skipped, Vec::<(String, String)>::new());
    let d = &l.doc;
    assert_eq!(d.vnets.len(), shape.vnets);
    let subnets: usize = d.vnets.iter().map(|v| v.subnets.len()).sum();
    assert_eq!(subnets, shape.subnets);
    assert_eq!(d.asgs.len(), shape.asgs);
    assert_eq!(d.nics.len(), shape.nics);
    assert_eq!(d.vms.len(), shape.nics);
    assert_eq!(d.nsgs.len(), shape.nsgs);
    for nsg in &d.nsgs {
        assert_eq!(nsg.rules.len(), RULES_PER_NSG, "{}", nsg.name);
        assert!(nsg.rules.iter().any(|r| r.name == PROBE_RULE));
    }
    // Rules name ASGs, and NICs are in them.
    assert!(
        d.nsgs
            .iter()
            .flat_map(|n| &n.rules)
            .any(|r| !r.source_application_security_groups.is_empty())
    );
    assert!(
        d.nics
            .iter()
            .any(|n| !n.ip_configurations[0].asgs.is_empty())
    );
    // Every subnet and NIC has its NSG.
    assert!(
        d.vnets
            .iter()
            .flat_map(|v| &v.subnets)
            .all(|s| s.nsg.is_some())
    );
    assert!(d.nics.iter().all(|n| n.nsg.is_some()));
    assert_eq!(export.probes.len(), 2);
    for p in &export.probes {
        let (access, rule) = ask(&l, p);
        let expected = match p.access {
            "Allow" => Access::Allow,
            _ => Access::Deny,
        };
        assert_eq!(
            (access, rule.as_deref()),
            (expected, Some(p.rule_name.as_str())),
            "{p:?}"
        );
    }
    assert_eq!(
        export.probes[0].expected_output(),
        r#"{"access":"Allow","ruleName":"securityRules/allow-probe-9443"}"#
    );
}

#[test]
fn the_export_is_seeded() {
    let shape = Shape::scaled(0.02).unwrap();
    let a = rest_export::generate(DEFAULT_SEED, shape).unwrap();
    let b = rest_export::generate(DEFAULT_SEED, shape).unwrap();
    let c = rest_export::generate(DEFAULT_SEED ^ 1, shape).unwrap();
    assert_eq!(a.text, b.text);
    assert_ne!(a.text, c.text);
    assert_eq!(a.probes, c.probes);
}
