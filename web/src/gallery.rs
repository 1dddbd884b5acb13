//! The built-in scenarios, one per lesson of the layer model. They are plain
//! scenario files (`web/scenarios/`), embedded at build time.

/// (id, scenario JSON), in gallery order. The first is the default.
pub const SCENARIOS: &[(&str, &str)] = &[
    (
        "locked-down-vm",
        include_str!("../scenarios/01-locked-down-vm.json"),
    ),
    (
        "web-vm-80-443",
        include_str!("../scenarios/02-web-vm-80-443.json"),
    ),
    (
        "subnet-and-nic-nsg",
        include_str!("../scenarios/03-subnet-and-nic-nsg.json"),
    ),
    (
        "no-nsg-public-ip",
        include_str!("../scenarios/04-no-nsg-public-ip.json"),
    ),
    ("asg-tiers", include_str!("../scenarios/05-asg-tiers.json")),
    (
        "hub-spoke-firewall",
        include_str!("../scenarios/06-hub-spoke-firewall.json"),
    ),
    (
        "service-vs-private-endpoint",
        include_str!("../scenarios/07-service-vs-private-endpoint.json"),
    ),
    (
        "smtp-by-subscription",
        include_str!("../scenarios/08-smtp-by-subscription.json"),
    ),
];

/// The default scenario's id.
pub const DEFAULT: &str = "web-vm-80-443";

/// A built-in scenario by id.
pub fn find(id: &str) -> Option<&'static str> {
    SCENARIOS
        .iter()
        .find(|(i, _)| *i == id)
        .map(|(_, text)| *text)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic, reason = "tests")]

    /// Every gallery scenario loads and its flows do what it says they do.
    #[test]
    fn every_scenario_loads_and_keeps_its_promises() {
        for (id, text) in super::SCENARIOS {
            let loaded = netsec_import::load_scenario(text).unwrap_or_else(|e| panic!("{id}: {e}"));
            assert!(!loaded.doc.description.is_empty(), "{id} explains itself");
            for f in &loaded.doc.flows {
                let expect = f.expect.as_ref().unwrap();
                let (flow, host) =
                    netsec_import::flow_from_doc(&loaded.doc, &loaded.network, f).unwrap();
                let start = netsec_import::endpoint_nic(&loaded.network, &f.source);
                let t =
                    netsec_engine::path::trace_from(&loaded.network, &flow, host.as_deref(), start);
                let got = format!("{:?}", t.verdict);
                assert_eq!(
                    got,
                    expect.verdict,
                    "{id}: {}: {:#?}",
                    f.name,
                    t.steps
                        .iter()
                        .map(|s| (s.layer, s.outcome, s.reason.clone()))
                        .collect::<Vec<_>>()
                );
                if let Some(layer) = &expect.layer {
                    assert_eq!(
                        &format!("{:?}", t.denied_at().unwrap().layer),
                        layer,
                        "{id}: {}",
                        f.name
                    );
                }
                if let Some(rule) = &expect.rule {
                    assert_eq!(
                        &t.deciding_step().and_then(|s| s.rule.clone()).unwrap().name,
                        rule,
                        "{id}: {}",
                        f.name
                    );
                }
            }
        }
    }
}
