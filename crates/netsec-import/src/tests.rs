//! Unit tests: the error contract, scenario loading, build and export.

use crate::scenario::build::build;
use crate::scenario::doc::*;
use crate::scenario::export::export;
use crate::*;

/// The example of the scenario module docs, kept valid.
const EXAMPLE: &str = r#"{
  "format": "netsec-scenario",
  "version": 1,
  "title": "Web VM opened on 80/443",
  "subscription": { "offerType": "PayAsYouGo" },
  "vnets": [{ "name": "vnet", "location": "westeurope", "addressSpace": ["10.0.0.0/16"],
              "subnets": [{ "name": "web", "addressPrefixes": ["10.0.1.0/24"], "nsg": "web-nsg" }] }],
  "nsgs": [{ "name": "web-nsg", "rules": [{ "name": "allow-web", "priority": 100,
             "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
             "sourceAddressPrefix": "Internet", "sourcePortRange": "*",
             "destinationAddressPrefix": "*", "destinationPortRanges": ["80", "443"] }] }],
  "nics": [{ "name": "web-nic", "ipConfigurations": [{ "name": "ipconfig1", "vnet": "vnet",
             "subnet": "web", "privateIpAddress": "10.0.1.4", "publicIp": "web-ip" }] }],
  "publicIps": [{ "name": "web-ip", "sku": "Standard", "address": "20.50.0.10" }],
  "vms": [{ "name": "web-vm", "nics": ["web-nic"] }],
  "internetClients": [{ "name": "laptop", "address": "203.0.113.10" }],
  "flows": [{ "name": "HTTPS in", "source": "client/laptop", "destination": "20.50.0.10",
              "protocol": "Tcp", "destinationPort": 443 }],
  "layout": { "vm/web-vm": { "x": 120, "y": 80 } }
}"#;

fn example() -> ScenarioDoc {
    scenario::parse(EXAMPLE).unwrap()
}

/// Builds a variant of the example and returns the error.
fn build_err(edit: impl FnOnce(&mut ScenarioDoc)) -> ImportError {
    let mut doc = example();
    edit(&mut doc);
    build(&doc).unwrap_err()
}

fn rule(name: &str, priority: i64) -> RuleDoc {
    RuleDoc {
        name: name.into(),
        priority,
        direction: "Inbound".into(),
        access: "Allow".into(),
        protocol: "Tcp".into(),
        source_address_prefix: Some("*".into()),
        source_port_range: Some("*".into()),
        destination_address_prefix: Some("*".into()),
        destination_port_range: Some("22".into()),
        ..RuleDoc::default()
    }
}

fn assert_one_line(e: &ImportError) {
    let text = e.to_string();
    assert!(!text.contains('\n'), "{text}");
    assert!(text.starts_with(&format!("{}: ", e.location())), "{text}");
}

#[test]
fn example_loads_and_its_flow_resolves() {
    let loaded = load(EXAMPLE).unwrap();
    assert_eq!(loaded.format, SourceFormat::Scenario);
    assert_eq!(loaded.doc.title, "Web VM opened on 80/443");
    assert!(
        loaded
            .report
            .imported
            .contains(&"1 virtual network".to_string())
    );
    let flow = &loaded.doc.flows[0];
    let (f, host) = flow_from_doc(&loaded.doc, &loaded.network, flow).unwrap();
    assert_eq!(f.source.to_string(), "203.0.113.10");
    assert_eq!(f.source_port, 50000);
    assert_eq!(f.destination_port, 443);
    assert_eq!(host, None);
}

#[test]
fn broken_json_gives_line_and_column() {
    let e = load("{\n  \"format\": \"netsec-scenario\",\n  \"version\": 1,\n  \"vnets\": [,]\n}")
        .unwrap_err();
    assert_eq!(e.location(), "line 4, column 13");
    assert!(e.message().contains("not valid JSON"), "{e}");
    assert_one_line(&e);
    let e = load_scenario("{\"format\": \"netsec-scenario\"").unwrap_err();
    assert!(e.location().starts_with("line 1, column"), "{e}");
    // Ending just after a line break is column 1, as editors count.
    for text in [
        "{\"value\": [1,\n",
        "{\"format_version\": \"1.0\", \"values\": {\n",
    ] {
        let e = load(text).unwrap_err();
        assert_eq!(e.location(), "line 2, column 1", "{text}: {e}");
        assert!(e.message().contains("ends too early"), "{e}");
    }
    let e = load_azure("[{\"id\": 1} garbage").unwrap_err();
    assert!(e.location().starts_with("line 1, column"), "{e}");
}

#[test]
fn wrong_type_gives_json_path() {
    let text = EXAMPLE.replace("\"priority\": 100", "\"priority\": \"high\"");
    let e = load(&text).unwrap_err();
    assert_eq!(e.location(), "$.nsgs[0].rules[0].priority");
    assert!(e.message().contains("expected i64"), "{e}");
    assert_one_line(&e);
    let text = EXAMPLE.replace("\"title\"", "\"titel\"");
    let e = load(&text).unwrap_err();
    assert_eq!(e.location(), "$.titel");
    assert!(e.message().contains("unknown field"), "{e}");
}

#[test]
fn unknown_nsg_on_subnet_names_the_field() {
    let e = build_err(|d| d.vnets[0].subnets[0].nsg = Some("nope".into()));
    assert_eq!(e.location(), "$.vnets[0].subnets[0].nsg");
    assert!(e.message().contains("'nope'"), "{e}");
    assert!(
        e.message().contains("virtualNetworks/vnet/subnets/web"),
        "{e}"
    );
}

#[test]
fn security_rule_conflict_maps_to_the_rule() {
    let e = build_err(|d| {
        d.nsgs[0].rules.push(rule("ssh", 300));
        d.nsgs[0].rules.push(rule("ssh2", 300));
    });
    assert_eq!(e.location(), "$.nsgs[0].rules[2].priority");
    assert!(e.message().contains("SecurityRuleConflict"), "{e}");
    assert!(e.message().contains("ssh2"), "{e}");
    assert_one_line(&e);
}

#[test]
fn priorities_outside_the_range_get_the_engines_message() {
    for p in [50, 5000, 70_000, -1, i64::MAX] {
        let e = build_err(|d| d.nsgs[0].rules[0].priority = p);
        assert_eq!(e.location(), "$.nsgs[0].rules[0].priority", "{p}");
        assert!(
            e.message().contains(&format!(
                "priority {p} is outside the allowed range 100-4096"
            )),
            "{e}"
        );
        assert!(e.message().contains("SecurityRuleInvalidPriority"), "{e}");
    }
}

#[test]
fn port_70000_is_a_clear_error() {
    let e = build_err(|d| {
        d.nsgs[0].rules[0].destination_port_ranges = vec!["80".into(), "70000".into()]
    });
    assert_eq!(e.location(), "$.nsgs[0].rules[0].destinationPortRanges[1]");
    assert!(e.message().contains("65535"), "{e}");
    let e = build_err(|d| {
        d.nsgs[0].rules[0].destination_port_ranges = vec![];
        d.nsgs[0].rules[0].destination_port_range = Some("70000".into());
    });
    assert_eq!(e.location(), "$.nsgs[0].rules[0].destinationPortRange");
    let mut doc = example();
    doc.flows[0].destination_port = Some(70_000);
    let net = build(&doc).unwrap();
    let err = flow_from_doc(&doc, &net, &doc.flows[0]).unwrap_err();
    assert!(err.contains("70000 is outside 0-65535"), "{err}");
}

#[test]
fn invalid_cidr_is_reported_at_the_item() {
    let e = build_err(|d| {
        d.vnets[0].address_space = vec!["10.0.0.0/16".into(), "10.300.0.0/16".into()]
    });
    assert_eq!(e.location(), "$.vnets[0].addressSpace[1]");
    assert!(e.message().contains("10.300.0.0/16"), "{e}");
    let e = build_err(|d| {
        d.nsgs[0].rules[0].source_address_prefix = None;
        d.nsgs[0].rules[0].source_address_prefixes = vec!["10.0.0.0/8".into(), "10.0.0/8".into()];
    });
    assert_eq!(e.location(), "$.nsgs[0].rules[0].sourceAddressPrefixes[1]");
}

#[test]
fn tag_in_a_prefix_list_is_unsupported_value() {
    let e = build_err(|d| {
        d.nsgs[0].rules[0].source_address_prefix = None;
        d.nsgs[0].rules[0].source_address_prefixes = vec!["10.0.0.0/8".into(), "Internet".into()];
    });
    assert_eq!(e.location(), "$.nsgs[0].rules[0].sourceAddressPrefixes[1]");
    assert!(
        e.message()
            .contains("SecurityRuleParameterContainsUnsupportedValue"),
        "{e}"
    );
}

#[test]
fn both_address_fields_is_an_error() {
    let e = build_err(|d| d.nsgs[0].rules[0].source_address_prefixes = vec!["10.0.0.0/8".into()]);
    assert_eq!(e.location(), "$.nsgs[0].rules[0].sourceAddressPrefix");
    assert!(e.message().contains("exactly one"), "{e}");
}

#[test]
fn host_bits_are_errors_in_spaces_and_subnets() {
    let e = build_err(|d| d.vnets[0].address_space = vec!["10.0.0.7/16".into()]);
    assert_eq!(e.location(), "$.vnets[0].addressSpace[0]");
    assert!(e.message().contains("InvalidCIDRNotation"), "{e}");
    let e = build_err(|d| d.vnets[0].subnets[0].address_prefixes = vec!["10.0.1.7/24".into()]);
    assert_eq!(e.location(), "$.vnets[0].subnets[0].addressPrefixes[0]");
    assert!(e.message().contains("bits set after the mask"), "{e}");
}

#[test]
fn subnet_outside_vnet_and_overlap_map_to_the_prefix() {
    let e = build_err(|d| {
        d.vnets[0].subnets[0].address_prefixes = vec!["10.0.1.0/24".into(), "10.9.0.0/24".into()]
    });
    assert_eq!(e.location(), "$.vnets[0].subnets[0].addressPrefixes[1]");
    assert!(e.message().contains("NetcfgSubnetRangeOutsideVnet"), "{e}");
    let e = build_err(|d| {
        let mut s = d.vnets[0].subnets[0].clone();
        s.name = "app".into();
        s.address_prefixes = vec!["10.0.2.0/24".into(), "10.0.1.128/25".into()];
        d.vnets[0].subnets.push(s);
    });
    assert_eq!(e.location(), "$.vnets[0].subnets[1].addressPrefixes[1]");
}

#[test]
fn unknown_format_and_newer_version_are_clear() {
    let e = load_scenario(&EXAMPLE.replace("netsec-scenario", "netsec-senario")).unwrap_err();
    assert_eq!(e.location(), "$.format");
    assert!(e.message().contains("\"netsec-senario\""), "{e}");
    let e = load(&EXAMPLE.replace("netsec-scenario", "other")).unwrap_err();
    assert_eq!(
        e.location(),
        "$.format",
        "load sends format+version objects to the scenario reader"
    );
    let e =
        load(&EXAMPLE.replace("\"version\": 1", "\"version\": 2, \"newField\": true")).unwrap_err();
    assert_eq!(e.location(), "$.version");
    assert!(e.message().contains("version 2, newer"), "{e}");
    let e = load(&EXAMPLE.replace("\"version\": 1", "\"version\": 0")).unwrap_err();
    assert!(e.message().contains("does not exist"), "{e}");
    let e = load_scenario(&EXAMPLE.replace("\"version\": 1,", "")).unwrap_err();
    assert_eq!(e.location(), "$.version");
    let e = load_scenario("[1, 2]").unwrap_err();
    assert_eq!(e.location(), "$");
}

#[test]
fn oversize_and_empty_input_are_refused() {
    let e = check_size(MAX_INPUT_BYTES + 1).unwrap_err();
    assert_eq!(e.location(), "$");
    assert!(e.message().contains("128.0 MiB (134217729 bytes)"), "{e}");
    assert!(e.message().contains("limit is 128 MiB"), "{e}");
    let big = " ".repeat(MAX_INPUT_BYTES + 1);
    assert!(
        load(&big)
            .unwrap_err()
            .message()
            .contains("limit is 128 MiB")
    );
    for empty in ["", "   \n\t"] {
        let e = load(empty).unwrap_err();
        assert!(e.message().contains("empty"), "{e}");
        assert!(load_azure(empty).is_err() && load_scenario(empty).is_err());
    }
}

#[test]
fn arm_templates_and_parameter_files_are_recognised() {
    let l = load(r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "resources": []}"#).unwrap();
    assert_eq!(l.format, SourceFormat::ArmTemplate);
    assert_eq!(l.network.vnets().len(), 0);
    let e = load(r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#", "parameters": {}}"#).unwrap_err();
    assert_eq!(e.location(), "$.$schema");
    assert!(e.message().contains("parameters file"), "{e}");
    let e = load_with_parameters(r#"{"format": "netsec-scenario", "version": 1}"#, Some("{}"))
        .unwrap_err();
    assert!(e.message().contains("only for ARM templates"), "{e}");
}

#[test]
fn a_byte_order_mark_is_ignored() {
    let l = load("\u{feff}{\"format\": \"netsec-scenario\", \"version\": 1}").unwrap();
    assert_eq!(l.format, SourceFormat::Scenario);
    let l = load("\u{feff}resource \"azurerm_resource_group\" \"r\" {\n  name = \"r\"\n  location = \"uksouth\"\n}\n").unwrap();
    assert_eq!(l.format, SourceFormat::Terraform);
}

#[test]
fn source_files_are_told_apart() {
    assert_eq!(
        detect("# comment\nresource \"azurerm_subnet\" \"a\" {}"),
        Detected::TerraformHcl
    );
    assert_eq!(detect("variable \"x\" {\n}"), Detected::TerraformHcl);
    assert_eq!(detect("locals {\n a = 1\n}"), Detected::TerraformHcl);
    assert_eq!(detect("param location string = 'x'\n"), Detected::Bicep);
    assert_eq!(detect("@description('x')\nparam a string"), Detected::Bicep);
    assert_eq!(
        detect("resource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' = {}"),
        Detected::Bicep
    );
    assert_eq!(
        detect(r#"{"format_version": "1.2", "planned_values": {}}"#),
        Detected::TerraformJson
    );
    assert_eq!(
        detect(r#"{"version": 4, "terraform_version": "1.9.0", "resources": []}"#),
        Detected::TerraformJson
    );
    assert_eq!(
        detect(r#"{"resource": {"azurerm_subnet": {}}}"#),
        Detected::TerraformConfigJson
    );
    assert_eq!(
        detect(r#"{"contentVersion": "1.0.0.0", "resources": []}"#),
        Detected::ArmTemplate
    );
    assert_eq!(detect(r#"[{"id": "x"}]"#), Detected::Azure);
    assert_eq!(detect("not json at all"), Detected::Azure);
    // Comments alone are an empty Terraform configuration, not broken JSON;
    // text with anything else in it is not.
    assert_eq!(detect("# just notes\n// more\n"), Detected::TerraformHcl);
    assert_eq!(detect("/* a\n * b\n */\n"), Detected::TerraformHcl);
    assert_eq!(detect("# notes\nhello\n"), Detected::Azure);
    let l = load("# nothing yet\n").unwrap();
    assert_eq!(l.format, SourceFormat::Terraform);
    // Lone-CR line endings are found, and named by the Terraform reader.
    let cr = "resource \"azurerm_resource_group\" \"r\" {\r  name = \"r\"\r}\r";
    assert_eq!(detect(cr), Detected::TerraformHcl);
    let e = load(cr).unwrap_err();
    assert!(e.message().contains("carriage return"), "{e}");
    let e = load("param location string = resourceGroup().location\n").unwrap_err();
    assert!(e.message().contains("bicep build"), "{e}");
}

#[test]
fn model_errors_of_other_resources_map_to_their_fields() {
    let e = build_err(|d| d.nics[0].ip_configurations[0].private_ip_address = "10.0.1.1".into());
    assert_eq!(
        e.location(),
        "$.nics[0].ipConfigurations[0].privateIpAddress"
    );
    assert!(e.message().contains("reserves"), "{e}");
    let e = build_err(|d| d.nics[0].ip_configurations[0].public_ip = Some("nope".into()));
    assert_eq!(e.location(), "$.nics[0].ipConfigurations[0].publicIp");
    let e = build_err(|d| d.vms[0].zone = Some(7));
    assert_eq!(e.location(), "$.vms[0].zone");
    let e = build_err(|d| d.public_ips[0].address = "10.1.2.3".into());
    assert_eq!(e.location(), "$.publicIps[0].address");
    let e = build_err(|d| d.internet_clients[0].address = "10.1.2.3".into());
    assert_eq!(e.location(), "$.internetClients[0].address");
    let e = build_err(|d| {
        d.nsgs.push(NsgDoc {
            name: "WEB-NSG".into(),
            rules: vec![],
        })
    });
    assert_eq!(e.location(), "$.nsgs[1].name");
    assert!(e.message().contains("DuplicateResourceName"), "{e}");
    let e = build_err(|d| d.subscription.offer_type = "Free".into());
    assert_eq!(e.location(), "$.subscription.offerType");
    let e = build_err(|d| d.nsgs[0].rules[0].protocol = "Tcpp".into());
    assert_eq!(e.location(), "$.nsgs[0].rules[0].protocol");
    let e = build_err(|d| d.nsgs[0].rules[0].direction = "In".into());
    assert_eq!(e.location(), "$.nsgs[0].rules[0].direction");
    let e = build_err(|d| {
        d.admin_rules.push(AdminRuleDoc {
            name: "deny-ssh".into(),
            priority: 0,
            direction: "Inbound".into(),
            access: "Deny".into(),
            protocol: "Tcp".into(),
            applies_to: vec!["vnet".into()],
            ..AdminRuleDoc::default()
        })
    });
    assert_eq!(e.location(), "$.adminRules[0].priority");
    assert!(e.message().contains("1-4096"), "{e}");
}

#[test]
fn asgs_and_load_balancers_and_firewalls_build_and_export() {
    let mut doc = example();
    doc.asgs.push(AsgDoc {
        name: "web".into(),
        location: None,
    });
    doc.nics[0].ip_configurations[0].asgs = vec!["web".into()];
    doc.nsgs[0].rules[0].destination_address_prefix = None;
    doc.nsgs[0].rules[0].destination_application_security_groups = vec!["web".into()];
    doc.vnets[0].subnets.push(SubnetDoc {
        name: "AzureFirewallSubnet".into(),
        address_prefixes: vec!["10.0.250.0/26".into()],
        default_outbound_access: true,
        ..SubnetDoc::default()
    });
    doc.public_ips.push(PublicIpDoc {
        name: "fw-ip".into(),
        sku: "Standard".into(),
        address: "20.50.0.11".into(),
    });
    doc.public_ips.push(PublicIpDoc {
        name: "lb-ip".into(),
        sku: "Standard".into(),
        address: "20.50.0.12".into(),
    });
    doc.firewalls.push(FirewallDoc {
        name: "fw".into(),
        vnet: "vnet".into(),
        private_ip_address: "10.0.250.4".into(),
        public_ips: vec!["fw-ip".into()],
        rule_collections: vec![
            RuleCollectionDoc {
                name: "dnat".into(),
                priority: 100,
                kind: "Dnat".into(),
                rules: vec![FirewallRuleDoc {
                    name: "ssh".into(),
                    protocols: vec!["TCP".into()],
                    source_addresses: vec!["*".into()],
                    destination_addresses: vec!["20.50.0.11".into()],
                    destination_ports: vec!["2222".into()],
                    translated_address: Some("10.0.1.4".into()),
                    translated_port: Some("22".into()),
                    ..FirewallRuleDoc::default()
                }],
                ..RuleCollectionDoc::default()
            },
            RuleCollectionDoc {
                name: "web".into(),
                priority: 200,
                kind: "Application".into(),
                action: Some("Allow".into()),
                rules: vec![FirewallRuleDoc {
                    name: "github".into(),
                    protocols: vec!["https".into()],
                    source_addresses: vec!["10.0.0.0/16".into()],
                    target_fqdns: vec!["*.github.com".into()],
                    ..FirewallRuleDoc::default()
                }],
            },
        ],
        ..FirewallDoc::default()
    });
    doc.load_balancers.push(LoadBalancerDoc {
        name: "lb".into(),
        sku: "Standard".into(),
        frontends: vec![FrontendDoc {
            name: "fe".into(),
            public_ip: Some("lb-ip".into()),
            private_ip_address: None,
        }],
        backend_pools: vec![BackendPoolDoc {
            name: "pool".into(),
            members: vec![BackendMemberDoc {
                nic: "web-nic".into(),
                ip_configuration: None,
            }],
        }],
        rules: vec![LbRuleDoc {
            name: "http".into(),
            frontend: "fe".into(),
            backend_pool: "pool".into(),
            protocol: "Tcp".into(),
            frontend_port: 80,
            backend_port: 8080,
            probe: Some("p".into()),
        }],
        nat_rules: Vec::new(),
        probes: vec![ProbeDoc {
            name: "p".into(),
            protocol: "Http".into(),
            port: 8080,
        }],
    });
    let net = build(&doc).unwrap();
    let out = export(&net);
    assert_eq!(
        out.firewalls[0].rule_collections[1].rules[0].protocols,
        ["Https:443"]
    );
    assert_eq!(out.firewalls[0].rule_collections[0].action, None);
    assert_eq!(out.load_balancers[0].probes[0].protocol, "Tcp");
    assert_eq!(
        out.nsgs[0].rules[0].destination_application_security_groups,
        ["web"]
    );
    // Ports: one item in the single field, several in the list.
    assert_eq!(out.nsgs[0].rules[0].destination_port_ranges, ["80", "443"]);
    assert_eq!(out.nsgs[0].rules[0].source_port_range.as_deref(), Some("*"));
    assert_eq!(export(&build(&out).unwrap()), out);
    let resolve = |t: &str| resolve_endpoint(&doc, &net, t).map(|ip| ip.to_string());
    assert_eq!(resolve("firewall/fw").unwrap(), "20.50.0.11");
    assert_eq!(resolve("lb/LB").unwrap(), "20.50.0.12");
    assert_eq!(resolve("vm/web-vm").unwrap(), "10.0.1.4");
    assert_eq!(resolve("nic/web-nic").unwrap(), "10.0.1.4");
    assert_eq!(resolve("pip/fw-ip").unwrap(), "20.50.0.11");
    assert_eq!(resolve("2001:db8::1").unwrap(), "2001:db8::1");
    assert!(resolve("vm/nope").unwrap_err().contains("known: web-vm"));
    assert!(
        resolve("disk/x")
            .unwrap_err()
            .contains("not an endpoint kind")
    );
    assert!(resolve("web-vm").is_err());

    // The firewall's DNAT port is checked with the item's path.
    let mut bad = doc.clone();
    bad.firewalls[0].rule_collections[0].rules[0].translated_port = Some("99999".into());
    let e = build(&bad).unwrap_err();
    assert_eq!(
        e.location(),
        "$.firewalls[0].ruleCollections[0].rules[0].translatedPort"
    );
    let mut bad = doc.clone();
    bad.load_balancers[0].rules[0].backend_port = 70_000;
    let e = build(&bad).unwrap_err();
    assert_eq!(e.location(), "$.loadBalancers[0].rules[0].backendPort");
    assert!(e.message().contains("70000 is outside 0-65535"), "{e}");
    let mut bad = doc.clone();
    bad.firewalls[0].rule_collections[1].priority = 50;
    let e = build(&bad).unwrap_err();
    assert_eq!(e.location(), "$.firewalls[0].ruleCollections[1].priority");
    assert!(e.message().contains("100-65000"), "{e}");
}

#[test]
fn flows_need_ports_and_known_protocols() {
    let doc = example();
    let net = build(&doc).unwrap();
    let mut f = doc.flows[0].clone();
    f.destination_port = None;
    assert!(
        flow_from_doc(&doc, &net, &f)
            .unwrap_err()
            .contains("needs a destination port")
    );
    f.protocol = "Icmp".into();
    let (flow, _) = flow_from_doc(&doc, &net, &f).unwrap();
    assert_eq!((flow.source_port, flow.destination_port), (0, 0));
    f.protocol = "*".into();
    assert!(flow_from_doc(&doc, &net, &f).is_err());
    f.protocol = "Tcp".into();
    f.destination_port = Some(443);
    f.source_port = Some(-1);
    assert!(
        flow_from_doc(&doc, &net, &f)
            .unwrap_err()
            .contains("source port -1")
    );
}

#[test]
fn to_scenario_json_round_trips() {
    let doc = example();
    let text = to_scenario_json(&doc);
    assert!(text.ends_with("}\n"));
    assert!(text.contains("\n  \"format\": \"netsec-scenario\""));
    assert_eq!(scenario::parse(&text).unwrap(), doc);
}

#[test]
fn export_drops_default_rules_and_keeps_single_fields() {
    let net = build(&example()).unwrap();
    let doc = export(&net);
    assert_eq!(doc.nsgs[0].rules.len(), 1);
    let r = &doc.nsgs[0].rules[0];
    assert_eq!(r.source_address_prefix.as_deref(), Some("Internet"));
    assert_eq!(r.destination_address_prefix.as_deref(), Some("*"));
    assert!(doc.flows.is_empty() && doc.layout.is_empty() && doc.title.is_empty());
    assert_eq!(doc.vnets[0].location, "westeurope");
}

#[test]
fn lists_of_things_that_are_not_resources_are_refused() {
    for text in [
        "[1, 2, 3]",
        "[{}]",
        r#"[{"id": "x"}]"#,
        r#"{"value": [true]}"#,
    ] {
        let e = load(text).unwrap_err();
        assert_eq!(e.location(), "$", "{text}");
        assert!(e.message().contains("no Azure resources"), "{text}: {e}");
    }
    // An empty list is what `az ... list` prints for an empty resource group.
    assert!(load("[]").unwrap().doc.vnets.is_empty());
}

#[test]
fn hostile_names_are_escaped_and_clipped_in_errors() {
    let name = format!("a\u{1b}[31m\u{202e}{}", "v".repeat(100_000));
    let text = format!(
        r#"{{"format": "netsec-scenario", "version": 1,
            "vnets": [{{"name": {}, "location": "westeurope", "addressSpace": ["10.0.0.0/16"]}}]}}"#,
        serde_json::Value::String(name)
    );
    let e = load(&text).unwrap_err();
    assert_one_line(&e);
    let shown = e.to_string();
    assert!(
        !shown.chars().any(|c| c.is_control() || c == '\u{202e}'),
        "{shown}"
    );
    assert!(shown.contains("\\u{1b}") && shown.contains("\\u{202e}"));
    assert!(shown.len() < 2_000, "{} bytes", shown.len());
    // The end of the message, which says what is wrong, survives the cut.
    assert!(shown.contains("InvalidResourceName"), "{shown}");
}

#[test]
fn rule_names_may_start_with_an_underscore_but_resources_may_not() {
    let rule = |name: &str| {
        format!(
            r#"{{"format": "netsec-scenario", "version": 1, "nsgs": [{{"name": "nsg", "rules": [
              {{"name": "{name}", "priority": 100, "direction": "Inbound", "access": "Allow",
                "protocol": "Tcp", "sourceAddressPrefix": "*", "sourcePortRange": "*",
                "destinationAddressPrefix": "*", "destinationPortRange": "443"}}]}}]}}"#
        )
    };
    // §1.2: a rule name starts with a word character, and `_` is one.
    assert!(load(&rule("_allow-https")).is_ok());
    let e = load(&rule("-allow")).unwrap_err();
    assert_eq!(e.location(), "$.nsgs[0].rules[0].name");
    // A name holding `/` is still found among the rules, not taken for the NSG.
    for name in ["../../etc", "a/b", "allow/"] {
        let e = load(&rule(name)).unwrap_err();
        assert_eq!(e.location(), "$.nsgs[0].rules[0].name", "{name}: {e}");
    }
    let e = load(&rule("_allow").replace(r#""name": "nsg""#, r#""name": "_nsg""#)).unwrap_err();
    assert_eq!(e.location(), "$.nsgs[0].name");
}

#[test]
fn fixed_tags_have_no_regional_form() {
    let text = r#"{"format": "netsec-scenario", "version": 1, "nsgs": [{"name": "nsg", "rules": [
      {"name": "a", "priority": 100, "direction": "Outbound", "access": "Deny", "protocol": "*",
       "sourceAddressPrefix": "*", "sourcePortRange": "*",
       "destinationAddressPrefix": "VirtualNetwork.WestEurope", "destinationPortRange": "*"}]}]}"#;
    let e = load(text).unwrap_err();
    assert_eq!(e.location(), "$.nsgs[0].rules[0].destinationAddressPrefix");
    // A regional service tag is fine.
    assert!(load(&text.replace("VirtualNetwork.WestEurope", "Storage.WestEurope")).is_ok());
}

#[test]
fn an_unknown_tag_is_reported_when_loading() {
    let text = r#"{"format": "netsec-scenario", "version": 1, "nsgs": [{"name": "nsg", "rules": [
      {"name": "deny-typo", "priority": 100, "direction": "Inbound", "access": "Deny", "protocol": "*",
       "sourceAddressPrefix": "Internt", "sourcePortRange": "*",
       "destinationAddressPrefix": "*", "destinationPortRange": "*"}]}]}"#;
    let loaded = load(text).unwrap();
    assert!(
        loaded
            .report
            .assumptions
            .iter()
            .any(|a| a.contains("'Internt' is not a service tag")),
        "{:?}",
        loaded.report.assumptions
    );
    let known = load(&text.replace("Internt", "Internet")).unwrap();
    assert!(known.report.assumptions.is_empty());
}
