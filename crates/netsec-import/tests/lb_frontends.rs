//! An internal load balancer's frontend address is checked as a NIC's is:
//! inside a subnet, not one of the subnet's five reserved addresses, not an
//! address a NIC or another frontend holds. Each refusal names the field.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test code: a panic is a failed test"
)]

use netsec_import::*;

const CORPUS: &str = include_str!("../../../tests/corpus/ilb-next-hop.json");

fn with_frontends(addresses: &[&str]) -> Result<Loaded, ImportError> {
    let mut v: serde_json::Value = serde_json::from_str(CORPUS).unwrap();
    let frontends: Vec<serde_json::Value> = (addresses.iter().enumerate())
        .map(|(i, a)| serde_json::json!({ "name": format!("fe{i}"), "privateIpAddress": a }))
        .collect();
    v["loadBalancers"][0]["frontends"] = serde_json::Value::Array(frontends);
    // The corpus rule names frontend "fe"; point it at the first one.
    v["loadBalancers"][0]["rules"][0]["frontend"] = serde_json::json!("fe0");
    load(&v.to_string())
}

fn refusal(addresses: &[&str]) -> ImportError {
    match with_frontends(addresses) {
        Ok(_) => panic!("{addresses:?} loaded"),
        Err(e) => e,
    }
}

#[test]
fn a_free_address_of_the_subnet_is_accepted() {
    with_frontends(&["10.0.3.100"]).unwrap();
    with_frontends(&["10.0.3.100", "10.0.3.101"]).unwrap();
}

#[test]
fn reserved_addresses_are_refused_at_the_field() {
    for reserved in ["10.0.3.0", "10.0.3.1", "10.0.3.2", "10.0.3.3", "10.0.3.255"] {
        let e = refusal(&[reserved]);
        let text = e.to_string();
        assert!(
            text.contains("$.loadBalancers[0].frontends[0].privateIpAddress"),
            "{text}"
        );
        assert!(text.contains("reserves"), "{text}");
    }
}

#[test]
fn an_address_a_nic_or_another_frontend_holds_is_refused() {
    let text = refusal(&["10.0.3.4"]).to_string();
    assert!(text.contains("frontends[0].privateIpAddress"), "{text}");
    assert!(text.contains("already used"), "{text}");
    let text = refusal(&["10.0.3.100", "10.0.3.100"]).to_string();
    assert!(text.contains("frontends[1].privateIpAddress"), "{text}");
    assert!(text.contains("two frontends"), "{text}");
}

#[test]
fn an_address_outside_every_subnet_is_refused() {
    let text = refusal(&["10.9.9.9"]).to_string();
    assert!(text.contains("frontends[0].privateIpAddress"), "{text}");
}
