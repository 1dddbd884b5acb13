//! Exports to ARM and Terraform: the template is deployable-shaped (ids by
//! resourceId(), dependsOn complete, current API versions), the configuration
//! parses, and both load back to the same network (a property over random
//! scenarios of the exported resource kinds).

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "a panic in a test is a failed test"
)]

use std::collections::BTreeSet;

use netsec_import::scenario::build::build;
use netsec_import::scenario::doc::*;
use netsec_import::scenario::export::export;
use netsec_import::*;
use proptest::prelude::*;
use serde_json::Value;

const SCENARIO: &str = include_str!("fixtures/scenario.json");
const HUB_SPOKE: &str = include_str!("fixtures/arm/hub-spoke.json");
const CONTOSO: &str = include_str!("fixtures/terraform/contoso.tf");

/// Every `resourceId('type', 'name', ...)` in a string, as (full type, names).
fn resource_ids(text: &str, out: &mut BTreeSet<(String, Vec<String>)>) {
    let mut rest = text;
    while let Some(i) = rest.find("resourceId(") {
        rest = &rest[i + "resourceId(".len()..];
        let end = rest.find(')').unwrap();
        let args: Vec<String> = rest[..end]
            .split(", ")
            .map(|a| a.trim_matches('\'').replace("''", "'"))
            .collect();
        out.insert((args[0].clone(), args[1..].to_vec()));
        rest = &rest[end..];
    }
}

fn strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        Value::Object(o) => o.values().for_each(|x| strings(x, out)),
        _ => {}
    }
}

/// The top-level resource a reference needs: a subnet's VNet, a load
/// balancer's pool's load balancer, a rule collection group itself.
fn declaring(ty: &str, names: &[String]) -> (String, Vec<String>) {
    let parts: Vec<&str> = ty.split('/').collect();
    let declared_children = ["ruleCollectionGroups", "virtualNetworkPeerings"];
    if parts.len() > 2 && !declared_children.contains(&parts[parts.len() - 1]) {
        (parts[..2].join("/"), vec![names[0].clone()])
    } else {
        (ty.to_string(), names.to_vec())
    }
}

/// The structural checks a deployment would make before it starts.
fn check_template(text: &str) {
    let t: Value = serde_json::from_str(text).unwrap();
    assert!(
        t["$schema"]
            .as_str()
            .unwrap()
            .ends_with("deploymentTemplate.json#")
    );
    assert_eq!(t["contentVersion"], "1.0.0.0");
    let resources = t["resources"].as_array().unwrap();
    let mut declared = BTreeSet::new();
    for r in resources {
        let ty = r["type"].as_str().unwrap();
        let names: Vec<String> = r["name"]
            .as_str()
            .unwrap()
            .split('/')
            .map(String::from)
            .collect();
        if ty.starts_with("Microsoft.Network/") {
            assert_eq!(r["apiVersion"], "2024-05-01", "{ty}");
        } else {
            // A dated, non-preview version.
            let v = r["apiVersion"].as_str().unwrap();
            assert!(v >= "2023-01-01" && v.len() == 10, "{ty} {v}");
        }
        declared.insert((ty.to_string(), names));
    }
    for r in resources {
        let me = (
            r["type"].as_str().unwrap().to_string(),
            r["name"]
                .as_str()
                .unwrap()
                .split('/')
                .map(String::from)
                .collect::<Vec<_>>(),
        );
        // Every reference names a resource of the template...
        let mut texts = Vec::new();
        strings(&r["properties"], &mut texts);
        let mut refs = BTreeSet::new();
        for s in &texts {
            resource_ids(s, &mut refs);
        }
        let mut deps = BTreeSet::new();
        for d in r["dependsOn"].as_array().into_iter().flatten() {
            resource_ids(d.as_str().unwrap(), &mut deps);
        }
        // ...a child depends on its parent...
        if me.1.len() > 1 {
            let parent_ty: Vec<&str> = me.0.split('/').collect();
            let parent = (
                parent_ty[..parent_ty.len() - 1].join("/"),
                me.1[..me.1.len() - 1].to_vec(),
            );
            assert!(
                deps.contains(&parent),
                "{:?} does not depend on its parent",
                me
            );
        }
        for (ty, names) in &refs {
            let target = declaring(ty, names);
            if target == me {
                continue;
            }
            assert!(
                declared.contains(&target),
                "{} refers to {target:?}, which the template does not declare",
                r["name"]
            );
            // ...and is waited for.
            assert!(
                deps.contains(&target),
                "{} does not depend on {target:?}",
                r["name"]
            );
        }
        // Nothing depends on what the template does not declare.
        for d in &deps {
            assert!(declared.contains(d), "{} depends on {d:?}", r["name"]);
        }
    }
}

/// The part of a scenario the exports carry: its network resources.
fn exported_part(l: &Loaded) -> ScenarioDoc {
    let mut d = export(&l.network);
    d.subscription = SubscriptionDoc::default();
    d.admin_rules.clear();
    d.internet_clients.clear();
    for v in &mut d.vnets {
        v.gateway_routes.clear();
    }
    d
}

#[test]
fn the_arm_export_is_a_deployable_template_that_loads_back() {
    let l = load(SCENARIO).unwrap();
    let out = export_arm::export_arm(&l.doc).unwrap();
    check_template(&out.text);
    let back = load(&out.text).unwrap();
    assert_eq!(back.format, SourceFormat::ArmTemplate);
    assert_eq!(export(&back.network), exported_part(&l));
    // What could not go in is said, in the report and the template.
    for left_out in ["Internet client", "subscription settings"] {
        assert!(
            out.report.skipped.iter().any(|(w, _)| w.contains(left_out)),
            "{left_out}"
        );
    }
    assert!(out.text.contains("\"notExported\""));
    // The load balancer and the firewall are written.
    for written in ["loadBalancers/web-lb", "azureFirewalls/hub-fw"] {
        assert!(
            out.report.imported.iter().any(|w| w.starts_with(written)),
            "{written}"
        );
    }
}

#[test]
fn the_terraform_export_parses_and_loads_back() {
    let l = load(SCENARIO).unwrap();
    let out = export_tf::export_terraform(&l.doc).unwrap();
    assert!(
        out.text
            .contains("azurerm = { source = \"hashicorp/azurerm\", version = \"~> 4.0\" }"),
        "{}",
        out.text
    );
    assert!(
        out.text
            .contains("resource \"azurerm_subnet_network_security_group_association\"")
    );
    let back = load(&out.text).unwrap();
    assert_eq!(back.format, SourceFormat::Terraform);
    assert_eq!(export(&back.network), exported_part(&l));
}

/// The repository's scenario files: the corpus and the playground's gallery.
fn repository_scenarios() -> Vec<(String, String)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut out = Vec::new();
    for dir in ["tests/corpus", "web/scenarios"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "json") {
                let name = format!("{dir}/{}", path.file_name().unwrap().to_string_lossy());
                out.push((name, std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    out.sort();
    assert!(out.len() > 30, "the corpus and the gallery are found");
    out
}

/// Firewall rule collections ordered by kind (DNAT, network, application),
/// keeping their order within a kind, and a parent policy's groups first. A
/// template and a configuration list each kind apart and a parent policy's
/// groups apart, and the firewall evaluates them in that order, so only the
/// order within a kind (and within a policy) means something.
fn by_kind(mut d: ScenarioDoc) -> ScenarioDoc {
    // The exports write PaaS services kind by kind (storage accounts, key
    // vaults, SQL servers, ...), so a scenario that mixes kinds reads back
    // grouped; their order carries no meaning.
    d.services.sort_by(|a, b| a.name.cmp(&b.name));
    let rank = |c: &RuleCollectionDoc| match c.kind.as_str() {
        "Dnat" => 0,
        "Network" => 1,
        _ => 2,
    };
    for f in &mut d.firewalls {
        f.rule_collections.sort_by_key(rank);
        // A parent policy's groups come first, wherever a scenario lists them.
        if let Some(p) = &mut f.policy {
            p.rule_collection_groups
                .sort_by_key(|g| !g.from_parent_policy);
        }
        for g in f
            .policy
            .iter_mut()
            .flat_map(|p| &mut p.rule_collection_groups)
        {
            g.rule_collections.sort_by_key(rank);
        }
    }
    d
}

/// The lines of two documents' JSON that differ, for a readable failure.
fn difference(a: &ScenarioDoc, b: &ScenarioDoc) -> String {
    let a = netsec_import::to_scenario_json(a);
    let b = netsec_import::to_scenario_json(b);
    let (a, b): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
    let first = a
        .iter()
        .zip(&b)
        .position(|(x, y)| x != y)
        .unwrap_or(a.len().min(b.len()));
    let from = first.saturating_sub(6);
    format!(
        "expected:\n{}\ngot:\n{}",
        a[from..(first + 6).min(a.len())].join("\n"),
        b[from..(first + 6).min(b.len())].join("\n")
    )
}

/// What a flow does: verdict, denying layer, deciding rule, reply.
fn outcome(doc: &ScenarioDoc, net: &netsec_engine::Network, f: &FlowDoc) -> String {
    let (flow, host) = flow_from_doc(doc, net, f).unwrap_or_else(|e| panic!("{}: {e}", f.name));
    let start = endpoint_nic(net, &f.source);
    let t = netsec_engine::path::trace_from(net, &flow, host.as_deref(), start);
    format!(
        "{:?} at {:?} by {:?}, reply {:?}",
        t.verdict,
        t.denied_at().map(|s| s.layer),
        t.deciding_step()
            .and_then(|s| s.rule.as_ref())
            .map(|r| r.name.clone()),
        t.reply_verdict
    )
}

/// Exports a scenario, loads the export back, and checks that the network
/// and the verdicts of the scenario's flows are the same.
fn round_trip(name: &str, text: &str, via: &str) {
    let l = load(text).unwrap_or_else(|e| panic!("{name}: {e}"));
    let out = match via {
        "ARM" => export_arm::export_arm(&l.doc).unwrap(),
        _ => export_tf::export_terraform(&l.doc).unwrap(),
    };
    if via == "ARM" {
        check_template(&out.text);
    }
    let back = load(&out.text).unwrap_or_else(|e| panic!("{name} via {via}: {e}\n{}", out.text));
    let expected = exported_part(&l);
    let mut expected = by_kind(expected);
    // What the report says was left out is not expected back.
    for (what, _) in &out.report.skipped {
        if let Some(rest) = what.strip_prefix("service ") {
            let (svc, part) = rest.split_once(": ").unwrap_or((rest, ""));
            for x in expected.services.iter_mut().filter(|x| x.name == svc) {
                match part {
                    "allowed subnets and IP ranges" => {
                        x.allowed_subnets.clear();
                        x.allowed_ip_ranges.clear();
                    }
                    "allowed subnets" => x.allowed_subnets.clear(),
                    _ => {}
                }
            }
        }
        if let Some(nic) = what
            .strip_prefix("networkInterfaces/")
            .and_then(|w| w.strip_suffix(": per-configuration ASGs"))
        {
            for n in expected.nics.iter_mut().filter(|n| n.name == nic) {
                let mut all: Vec<String> = Vec::new();
                for c in &n.ip_configurations {
                    for a in &c.asgs {
                        if !all.contains(a) {
                            all.push(a.clone());
                        }
                    }
                }
                for c in &mut n.ip_configurations {
                    c.asgs = all.clone();
                }
            }
        }
        if let Some(vm) = what
            .strip_prefix("virtualMachines/")
            .and_then(|w| w.strip_suffix(": appliance"))
        {
            for v in expected.vms.iter_mut().filter(|v| v.name == vm) {
                v.is_appliance = false;
            }
        }
    }
    let mut got = by_kind(export(&back.network));
    if got != expected {
        panic!(
            "{name} via {via} reads back differently:\n{}",
            difference(&expected, &got)
        );
    }
    // The parts a template does not carry come from the scenario.
    got.subscription = l.doc.subscription.clone();
    got.admin_rules = l.doc.admin_rules.clone();
    got.internet_clients = l.doc.internet_clients.clone();
    for (v, orig) in got.vnets.iter_mut().zip(&l.doc.vnets) {
        v.gateway_routes = orig.gateway_routes.clone();
    }
    got.flows = l.doc.flows.clone();
    for (v, orig) in got.vms.iter_mut().zip(&l.doc.vms) {
        v.is_appliance = orig.is_appliance;
    }
    for (x, orig) in got.services.iter_mut().zip(&l.doc.services) {
        x.allowed_subnets = orig.allowed_subnets.clone();
        x.allowed_ip_ranges = orig.allowed_ip_ranges.clone();
    }
    for (n, orig) in got.nics.iter_mut().zip(&l.doc.nics) {
        for (c, o) in n.ip_configurations.iter_mut().zip(&orig.ip_configurations) {
            c.asgs = o.asgs.clone();
        }
    }
    let net = build(&got).unwrap();
    for f in &l.doc.flows {
        assert_eq!(
            outcome(&got, &net, f),
            outcome(&l.doc, &l.network, f),
            "{name} via {via}: flow {}",
            f.name
        );
        if let Some(e) = &f.expect {
            let (flow, host) = flow_from_doc(&got, &net, f).unwrap();
            let start = endpoint_nic(&net, &f.source);
            let t = netsec_engine::path::trace_from(&net, &flow, host.as_deref(), start);
            let problems = expect::check(e, &t);
            assert!(
                problems.is_empty(),
                "{name} via {via}: flow {}: {problems:?}",
                f.name
            );
        }
    }
}

#[test]
fn every_corpus_and_gallery_scenario_round_trips_through_arm() {
    for (name, text) in repository_scenarios() {
        round_trip(&name, &text, "ARM");
    }
}

const EVERY_KIND: &str = include_str!("fixtures/every-kind.json");

#[test]
fn every_kind_in_every_shape_round_trips() {
    // All eight service kinds with their rules, private endpoints to each, a
    // policy with inherited groups and DNAT, network and application rules,
    // a public and an internal load balancer, a pool member that is not a
    // NIC's primary configuration.
    round_trip("every-kind.json", EVERY_KIND, "ARM");
    round_trip("every-kind.json", EVERY_KIND, "Terraform");
    let doc = load(EVERY_KIND).unwrap().doc;
    let arm = export_arm::export_arm(&doc).unwrap();
    // The template cannot hold four kinds' network rules, and says so.
    let lost: Vec<&str> = arm
        .report
        .skipped
        .iter()
        .filter(|(_, why)| why.contains("child resources or site settings"))
        .map(|(w, _)| w.as_str())
        .collect();
    assert_eq!(
        lost,
        [
            "service sql-everykind: allowed subnets and IP ranges",
            "service cosmos-everykind: allowed subnets and IP ranges",
            "service app-everykind: allowed subnets and IP ranges",
            "service eh-everykind: allowed subnets and IP ranges"
        ]
    );
    assert!(arm.text.contains("\"notExported\""));
    // The configuration holds every kind's rules.
    let tf = export_tf::export_terraform(&doc).unwrap();
    assert!(tf.report.skipped.is_empty(), "{:?}", tf.report.skipped);
    for needle in [
        "resource \"azurerm_lb_rule\"",
        "resource \"azurerm_network_interface_backend_address_pool_association\"",
        "ip_configuration_name   = \"second\"",
        "request_path                   = \"/\"",
        "base_policy_id",
        "resource \"azurerm_mssql_firewall_rule\"",
        "start_ip_address = \"198.51.100.0\"",
        "end_ip_address   = \"198.51.100.127\"",
        "subresource_names              = [\"sqlServer\"]",
        "netsec-private-ip-address = \"10.10.0.4\"",
    ] {
        let squeeze = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            squeeze(&tf.text).contains(&squeeze(needle)),
            "{needle}\n{}",
            tf.text
        );
    }
}

#[test]
fn every_corpus_and_gallery_scenario_round_trips_through_terraform() {
    for (name, text) in repository_scenarios() {
        round_trip(&name, &text, "Terraform");
    }
}

#[test]
fn imports_of_templates_and_configurations_export_back() {
    // A template → a scenario → a template → the same network.
    let l = load(HUB_SPOKE).unwrap();
    let again = load(&export_arm(&l.doc).unwrap()).unwrap();
    assert_eq!(export(&again.network), export(&l.network));
    // A configuration → Terraform → the same network, firewall and storage
    // account included.
    let l = load(CONTOSO).unwrap();
    let text = export_terraform(&l.doc).unwrap();
    let again = load(&text).unwrap();
    let expected = export(&l.network);
    assert_eq!(expected.firewalls.len(), 1);
    assert_eq!(expected.services.len(), 1);
    // The VM that is an appliance keeps its forwarding NIC, so it stays one.
    assert_eq!(export(&again.network), expected);
    // Nothing of it is left out any more.
    assert!(!text.contains("# Not exported:"), "{text}");
}

#[test]
fn names_and_text_that_need_escaping_survive() {
    let doc = ScenarioDoc {
        format: FORMAT.into(),
        version: VERSION,
        nsgs: vec![NsgDoc {
            name: "1st.web_nsg-a".into(),
            rules: vec![RuleDoc {
                name: "r".into(),
                description: "[not an expression] say \"${hi}\" and %{x}\nnew line".into(),
                priority: 100,
                direction: "Inbound".into(),
                access: "Allow".into(),
                protocol: "Tcp".into(),
                source_address_prefix: Some("*".into()),
                source_port_range: Some("*".into()),
                destination_address_prefix: Some("*".into()),
                destination_port_range: Some("443".into()),
                ..RuleDoc::default()
            }],
        }],
        ..ScenarioDoc::default()
    };
    let net = export(&build(&doc).unwrap());
    for text in [export_arm(&doc).unwrap(), export_terraform(&doc).unwrap()] {
        let back = load(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_eq!(export(&back.network), net);
    }
}

#[test]
fn an_invalid_scenario_is_not_exported() {
    let mut doc = load(SCENARIO).unwrap().doc;
    doc.nsgs[0].rules[0].priority = 5;
    let e = export_arm(&doc).unwrap_err();
    assert_eq!(e.location(), "$.nsgs[0].rules[0].priority");
    assert!(export_terraform(&doc).is_err());
}

// ---- The round-trip property ------------------------------------------------

/// Decisions from bytes; exhausted input decides "no" / "the first".
struct Choices<'a>(std::slice::Iter<'a, u8>);

impl Choices<'_> {
    fn byte(&mut self) -> u8 {
        self.0.next().copied().unwrap_or(0)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            usize::from(self.byte()) % n
        }
    }
    fn flag(&mut self) -> bool {
        self.byte() % 2 == 1
    }
    fn pick<'s>(&mut self, items: &[&'s str]) -> &'s str {
        items[self.below(items.len())]
    }
}

fn side(c: &mut Choices<'_>, asgs: &[String]) -> (Option<String>, Vec<String>, Vec<String>) {
    match c.below(5) {
        0 => (Some("*".into()), vec![], vec![]),
        1 => (
            Some(
                c.pick(&[
                    "Internet",
                    "VirtualNetwork",
                    "AzureLoadBalancer",
                    "Storage.WestEurope",
                ])
                .into(),
            ),
            vec![],
            vec![],
        ),
        2 => (
            None,
            vec![
                format!("192.168.{}.0/24", c.below(200)),
                "198.51.100.7".into(),
            ],
            vec![],
        ),
        3 if !asgs.is_empty() => (None, vec![], vec![asgs[c.below(asgs.len())].clone()]),
        _ => (Some(format!("10.{}.0.0/16", c.below(4))), vec![], vec![]),
    }
}

fn ports(c: &mut Choices<'_>) -> (Option<String>, Vec<String>) {
    match c.below(3) {
        0 => (Some("*".into()), vec![]),
        1 => (Some(format!("{}", 1 + c.below(65535))), vec![]),
        _ => (
            None,
            vec!["80".into(), format!("{}-{}", 8000, 8000 + c.below(100))],
        ),
    }
}

/// A valid scenario of the kinds the exports carry.
fn scenario(bytes: &[u8]) -> ScenarioDoc {
    let c = &mut Choices(bytes.iter());
    let mut doc = ScenarioDoc {
        format: FORMAT.into(),
        version: VERSION,
        ..ScenarioDoc::default()
    };
    let asgs: Vec<String> = (0..c.below(3)).map(|i| format!("asg-{i}")).collect();
    doc.asgs = asgs
        .iter()
        .map(|n| AsgDoc {
            name: n.clone(),
            location: None,
        })
        .collect();
    for n in 0..c.below(3) {
        let rules = (0..c.below(4))
            .map(|r| {
                let (src, srcs, src_asgs) = side(c, &asgs);
                let (dst, dsts, dst_asgs) = side(c, &asgs);
                let (sp, sps) = ports(c);
                let (dp, dps) = ports(c);
                RuleDoc {
                    name: format!("rule-{r}"),
                    description: if c.flag() {
                        format!("Rule {r}")
                    } else {
                        String::new()
                    },
                    priority: 100 + 10 * r as i64 + c.below(10) as i64,
                    direction: c.pick(&["Inbound", "Outbound"]).into(),
                    access: c.pick(&["Allow", "Deny"]).into(),
                    protocol: c.pick(&["Tcp", "Udp", "*", "Icmp", "Esp", "Ah"]).into(),
                    source_address_prefix: src,
                    source_address_prefixes: srcs,
                    source_application_security_groups: src_asgs,
                    source_port_range: sp,
                    source_port_ranges: sps,
                    destination_address_prefix: dst,
                    destination_address_prefixes: dsts,
                    destination_application_security_groups: dst_asgs,
                    destination_port_range: dp,
                    destination_port_ranges: dps,
                }
            })
            .collect();
        doc.nsgs.push(NsgDoc {
            name: format!("nsg-{n}"),
            rules,
        });
    }
    for t in 0..c.below(3) {
        let routes = (0..c.below(3))
            .map(|r| {
                let hop = c.pick(&[
                    "VirtualAppliance",
                    "Internet",
                    "None",
                    "VnetLocal",
                    "VirtualNetworkGateway",
                ]);
                RouteDoc {
                    name: format!("route-{r}"),
                    address_prefix: match r {
                        0 => "0.0.0.0/0".into(),
                        1 => c.pick(&["Storage", "AzureCloud.WestEurope"]).into(),
                        _ => format!("192.168.{}.0/24", c.below(256)),
                    },
                    next_hop_type: hop.into(),
                    next_hop_ip_address: (hop == "VirtualAppliance")
                        .then(|| format!("10.0.0.{}", 4 + c.below(200))),
                }
            })
            .collect();
        doc.route_tables.push(RouteTableDoc {
            name: format!("rt-{t}"),
            routes,
            disable_bgp_route_propagation: c.flag(),
        });
    }
    let vnets = 1 + c.below(3);
    for v in 0..vnets {
        let subnets = (0..1 + c.below(3))
            .map(|s| SubnetDoc {
                name: format!("snet-{s}"),
                address_prefixes: vec![format!("10.{v}.{s}.0/24")],
                nsg: (!doc.nsgs.is_empty() && c.flag())
                    .then(|| format!("nsg-{}", c.below(doc.nsgs.len()))),
                route_table: (!doc.route_tables.is_empty() && c.flag())
                    .then(|| format!("rt-{}", c.below(doc.route_tables.len()))),
                service_endpoints: if c.flag() {
                    vec!["Microsoft.Storage".into()]
                } else {
                    vec![]
                },
                private_endpoint_network_policies: match c.below(4) {
                    0 => None,
                    k => Some(
                        [
                            "Enabled",
                            "NetworkSecurityGroupEnabled",
                            "RouteTableEnabled",
                        ][k - 1]
                            .into(),
                    ),
                },
                default_outbound_access: !c.flag(),
            })
            .collect();
        doc.vnets.push(VnetDoc {
            name: format!("vnet-{v}"),
            location: c.pick(&["westeurope", "eastus", "swedencentral"]).into(),
            address_space: vec![format!("10.{v}.0.0/16")],
            subnets,
            ..VnetDoc::default()
        });
    }
    if vnets >= 2 && c.flag() {
        for (a, b) in [(0, 1), (1, 0)] {
            doc.vnets[a].peerings.push(PeeringDoc {
                name: format!("vnet-{a}-to-vnet-{b}"),
                remote_vnet: format!("vnet-{b}"),
                allow_virtual_network_access: !c.flag(),
                allow_forwarded_traffic: c.flag(),
                allow_gateway_transit: false,
                use_remote_gateways: false,
            });
        }
    }
    let pips = c.below(4);
    for p in 0..pips {
        doc.public_ips.push(PublicIpDoc {
            name: format!("pip-{p}"),
            sku: c.pick(&["Standard", "Basic"]).into(),
            address: format!("20.1.0.{}", p + 1),
        });
    }
    let mut free_pips: Vec<usize> = (0..pips).collect();
    for n in 0..c.below(5) {
        let v = n % vnets;
        // ASG members must share a VNet: only VNet 0's NICs join them; all
        // configurations of a NIC have the same ASGs (azurerm's association).
        let nic_asgs: Vec<String> = if v == 0 && !asgs.is_empty() && c.flag() {
            vec![asgs[c.below(asgs.len())].clone()]
        } else {
            vec![]
        };
        let configs = (0..1 + c.below(2))
            .map(|k| IpConfigDoc {
                name: format!("ipconfig{}", k + 1),
                vnet: format!("vnet-{v}"),
                subnet: "snet-0".into(),
                private_ip_address: format!("10.{v}.0.{}", 10 + 10 * n + k),
                public_ip: if !free_pips.is_empty() && c.flag() {
                    Some(format!("pip-{}", free_pips.remove(0)))
                } else {
                    None
                },
                asgs: nic_asgs.clone(),
            })
            .collect();
        let ip_forwarding = c.flag();
        doc.nics.push(NicDoc {
            name: format!("nic-{n}"),
            nsg: (!doc.nsgs.is_empty() && c.flag())
                .then(|| format!("nsg-{}", c.below(doc.nsgs.len()))),
            ip_forwarding,
            ip_configurations: configs,
        });
        if c.flag() {
            doc.vms.push(VmDoc {
                name: format!("vm-{n}"),
                nics: vec![format!("nic-{n}")],
                zone: None,
                is_appliance: ip_forwarding,
            });
        }
    }
    doc
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn exports_load_back_to_the_same_network(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let doc = scenario(&bytes);
        let net = build(&doc).unwrap_or_else(|e| panic!("the generator made an invalid scenario: {e}"));
        let expected = export(&net);
        let arm = export_arm(&doc).unwrap();
        let from_arm = load(&arm).unwrap_or_else(|e| panic!("{e}\n{arm}"));
        prop_assert_eq!(&export(&from_arm.network), &expected);
        let tf = export_terraform(&doc).unwrap();
        let from_tf = load(&tf).unwrap_or_else(|e| panic!("{e}\n{tf}"));
        prop_assert_eq!(&export(&from_tf.network), &expected);
    }
}
