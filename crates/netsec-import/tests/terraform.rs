//! Terraform: `.tf` source with every construct the reader evaluates, and the
//! plan and state JSON of a configuration, which must give the same network.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "a panic in a test is a failed test"
)]

use netsec_engine::trace::Verdict;
use netsec_engine::watcher::{IpFlowQuery, Target, ip_flow_verify, next_hop};
use netsec_engine::{Access, Direction, Flow, Protocol, path};
use netsec_import::scenario::export::export;
use netsec_import::*;

const CONTOSO: &str = include_str!("fixtures/terraform/contoso.tf");
const CONTOSO_VARS: &str = include_str!("fixtures/terraform/contoso.tfvars");
const EDGE: &str = include_str!("fixtures/terraform/edge.tf");
const EDGE_PLAN: &str = include_str!("fixtures/terraform/edge.plan.json");
const EDGE_STATE: &str = include_str!("fixtures/terraform/edge.state.json");
/// Load balancer, storage account, private endpoint, firewall policy and
/// firewall, with FRONT, IPRULE, PEIP, GPRIO and CPRIO to fill in.
const NEW_KINDS: &str = include_str!("fixtures/terraform/new-kinds.tf.in");

fn new_kinds(front: &str, ip_rule: &str, pe_ip: &str, group: &str, collection: &str) -> String {
    NEW_KINDS
        .replace("FRONT", front)
        .replace("IPRULE", ip_rule)
        .replace("PEIP", pe_ip)
        .replace("GPRIO", group)
        .replace("CPRIO", collection)
}

fn skipped(l: &Loaded, what: &str) -> bool {
    l.report
        .skipped
        .iter()
        .any(|(w, y)| w.contains(what) || y.contains(what))
}

fn assumed(l: &Loaded, text: &str) -> bool {
    l.report.assumptions.iter().any(|a| a.contains(text))
}

fn inbound(l: &Loaded, vm: &str, local: &str, port: u16, remote: &str) -> (Access, String) {
    let q = IpFlowQuery {
        target: Target::Vm(l.network.find_vm(vm).unwrap()),
        direction: Direction::Inbound,
        protocol: Protocol::Tcp,
        local_ip: local.parse().unwrap(),
        local_port: port,
        remote_ip: remote.parse().unwrap(),
        remote_port: 50000,
    };
    let r = ip_flow_verify(&l.network, &q).unwrap();
    (r.access, r.rule_name.unwrap_or_default())
}

#[test]
fn every_resource_kind_and_construct_is_read() {
    let l = load(CONTOSO).unwrap();
    assert_eq!(l.format, SourceFormat::Terraform);
    let d = &l.doc;
    let vnets: Vec<(&str, &str)> = d
        .vnets
        .iter()
        .map(|v| (v.name.as_str(), v.location.as_str()))
        .collect();
    // for_each over a map variable, a resource group's location by reference.
    assert_eq!(
        vnets,
        [
            ("tfc-hub", "northeurope"),
            ("tfc-spoke-alpha", "northeurope"),
            ("tfc-spoke-beta", "northeurope"),
            ("tfc-legacy", "westeurope")
        ]
    );
    // cidrsubnet over a local; subnets by for_each; 4.x subnet settings.
    let hub = &d.vnets[0];
    assert_eq!(hub.subnets[0].name, "AzureFirewallSubnet");
    assert_eq!(hub.subnets[0].address_prefixes, ["10.70.0.0/26"]);
    assert_eq!(hub.subnets[1].nsg.as_deref(), Some("tfc-mgmt-nsg"));
    let alpha = &d.vnets[1];
    assert_eq!(alpha.subnets[0].address_prefixes, ["10.71.1.0/24"]);
    assert_eq!(alpha.subnets[0].nsg.as_deref(), Some("tfc-web-nsg"));
    assert_eq!(alpha.subnets[0].service_endpoints, ["Microsoft.Storage"]);
    let data = &alpha.subnets[1];
    assert_eq!(data.route_table.as_deref(), Some("tfc-spoke-rt"));
    assert_eq!(
        data.private_endpoint_network_policies.as_deref(),
        Some("NetworkSecurityGroupEnabled")
    );
    assert!(!data.default_outbound_access);
    // Inline subnet blocks (3.x spelling) with their security_group.
    let legacy = &d.vnets[3];
    assert_eq!(legacy.subnets[0].address_prefixes, ["10.79.1.0/24"]);
    assert_eq!(legacy.subnets[0].nsg.as_deref(), Some("tfc-mgmt-nsg"));
    // Peerings both ways, by for_each over another resource.
    let peers: Vec<(&str, bool)> = hub
        .peerings
        .iter()
        .map(|p| (p.remote_vnet.as_str(), p.allow_forwarded_traffic))
        .collect();
    assert_eq!(peers, [("tfc-spoke-alpha", true), ("tfc-spoke-beta", true)]);
    assert_eq!(alpha.peerings[0].remote_vnet, "tfc-hub");
    // Dynamic and static inline rules, then the separate rule resources.
    let web = &d.nsgs[0];
    let rules: Vec<(&str, i64)> = web
        .rules
        .iter()
        .map(|r| (r.name.as_str(), r.priority))
        .collect();
    assert_eq!(
        rules,
        [
            ("allow-https", 100),
            ("allow-health", 110),
            ("deny-smb", 300),
            ("allow-ssh-from-admins", 250)
        ]
    );
    assert_eq!(
        web.rules[0].destination_application_security_groups,
        ["tfc-web-asg"]
    );
    assert_eq!(
        web.rules[3].source_address_prefixes,
        ["198.51.100.0/25", "198.51.100.128/25"]
    );
    // count with format() names and count.index arithmetic.
    let mgmt = &d.nsgs[1];
    let rules: Vec<(&str, i64, Option<&str>)> = mgmt
        .rules
        .iter()
        .map(|r| {
            (
                r.name.as_str(),
                r.priority,
                r.source_address_prefix.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        rules,
        [
            ("allow-ssh-admin-01", 200, Some("198.51.100.0/25")),
            ("allow-ssh-admin-02", 201, Some("198.51.100.128/25"))
        ]
    );
    // Route table: inline route with a local's cidrhost, a separate azurerm_route.
    let rt = &d.route_tables[0];
    assert!(rt.disable_bgp_route_propagation);
    assert_eq!(
        rt.routes[0].next_hop_ip_address.as_deref(),
        Some("10.70.0.4")
    );
    assert_eq!(rt.routes[1].name, "drop-test-net");
    // NICs: count, cidrhost of another resource's attribute, a conditional
    // public IP, ASG and NSG associations, IP forwarding.
    let nics: Vec<(&str, &str, Option<&str>)> = d
        .nics
        .iter()
        .map(|n| {
            let c = &n.ip_configurations[0];
            (
                n.name.as_str(),
                c.private_ip_address.as_str(),
                c.public_ip.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        nics,
        [
            ("tfc-web-nic-0", "10.71.1.10", Some("tfc-web-pip")),
            ("tfc-web-nic-1", "10.71.1.11", None),
            ("tfc-data-nic", "10.71.2.4", None)
        ]
    );
    assert_eq!(d.nics[1].ip_configurations[0].asgs, ["tfc-web-asg"]);
    assert_eq!(d.nics[2].nsg.as_deref(), Some("tfc-mgmt-nsg"));
    assert!(d.nics[2].ip_forwarding);
    // Linux and Windows VMs, zones from tostring(count.index + 1).
    let vms: Vec<(&str, Option<u8>)> = d.vms.iter().map(|v| (v.name.as_str(), v.zone)).collect();
    assert_eq!(
        vms,
        [
            ("tfc-web-0", Some(1)),
            ("tfc-web-1", Some(2)),
            ("tfc-data", None)
        ]
    );
    // The public IP address comes from the tag when Terraform cannot know it.
    assert_eq!(d.public_ips[1].address, "20.70.0.100");
    assert!(assumed(
        &l,
        "publicIPAddresses/tfc-web-pip has no address in the input"
    ));
    // The firewall and its three classic rule collections.
    let fw = &d.firewalls[0];
    assert_eq!(fw.vnet, "tfc-hub");
    assert_eq!(fw.private_ip_address, "10.70.0.4");
    assert!(fw.threat_intel);
    let kinds: Vec<(&str, &str)> = fw
        .rule_collections
        .iter()
        .map(|c| (c.name.as_str(), c.kind.as_str()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("inbound", "Dnat"),
            ("egress", "Network"),
            ("web-out", "Application")
        ]
    );
    assert_eq!(
        fw.rule_collections[1].rules[0].source_addresses,
        ["10.71.0.0/16", "10.72.0.0/16"]
    );
    assert_eq!(
        fw.rule_collections[2].rules[0].protocols,
        ["Https:443", "Http:80"]
    );
    // What was left out.
    assert!(skipped(&l, "module.dns"));
    // The storage account is a service; its public address is not in the input.
    assert_eq!(d.services[0].name, "tfclogs001");
    assert_eq!(d.services[0].service_tag, "Storage");
    assert!(d.services[0].public_network_access);
    assert!(assumed(
        &l,
        "storageAccounts/tfclogs001: the input does not hold"
    ));
    assert!(skipped(&l, "azurerm_resource_group.net"));
}

#[test]
fn flows_through_the_configuration_get_azures_verdicts() {
    let l = load(CONTOSO).unwrap();
    let (vm, ip) = ("tfc-web-0", "10.71.1.10");
    assert_eq!(
        inbound(&l, vm, ip, 443, "203.0.113.9"),
        (Access::Allow, String::from("securityRules/allow-https"))
    );
    assert_eq!(
        inbound(&l, vm, ip, 445, "203.0.113.9"),
        (Access::Deny, String::from("securityRules/deny-smb"))
    );
    assert_eq!(
        inbound(&l, vm, ip, 22, "198.51.100.200"),
        (
            Access::Allow,
            String::from("securityRules/allow-ssh-from-admins")
        )
    );
    assert_eq!(
        inbound(&l, vm, ip, 22, "192.0.2.10"),
        (
            Access::Deny,
            String::from("defaultSecurityRules/DenyAllInBound")
        )
    );
    // The data subnet's route table sends the Internet to the firewall.
    let hop = next_hop(
        &l.network,
        Target::Vm(l.network.find_vm("tfc-data").unwrap()),
        "10.71.2.4".parse().unwrap(),
        "8.8.8.8".parse().unwrap(),
    )
    .unwrap();
    let hop = serde_json::to_value(&hop).unwrap();
    assert_eq!(hop["nextHopType"], "VirtualAppliance");
    assert_eq!(hop["nextHopIpAddress"], "10.70.0.4");
    // DNAT on the firewall's public address reaches the web VM.
    let flow = Flow::new(
        Protocol::Tcp,
        "203.0.113.9".parse().unwrap(),
        50000,
        "20.70.0.100".parse().unwrap(),
        443,
    );
    let t = path::trace(&l.network, &flow);
    assert_eq!(t.verdict, Verdict::Allowed, "{:?}", t.denied_at());
}

#[test]
fn tfvars_override_defaults() {
    let l = load_with_parameters(CONTOSO, Some(CONTOSO_VARS)).unwrap();
    let d = &l.doc;
    assert_eq!(d.vnets[0].name, "acme-hub");
    assert_eq!(d.nics.len(), 2);
    assert_eq!(d.vms.len(), 2);
    assert_eq!(d.nsgs[1].rules.len(), 1);
    assert_eq!(
        d.nsgs[1].rules[0].source_address_prefix.as_deref(),
        Some("203.0.113.0/28")
    );
    // JSON variables files too.
    let l = load_with_parameters(CONTOSO, Some(r#"{"prefix": "json", "vm_count": 0}"#)).unwrap();
    assert_eq!(l.doc.vnets[0].name, "json-hub");
    assert_eq!(l.doc.vms.len(), 1);
    let e = load_with_parameters(CONTOSO, Some("prefix = \n")).unwrap_err();
    assert!(e.location().starts_with("variables file, line"), "{e}");
}

#[test]
fn plan_state_and_source_give_the_same_network() {
    let source = load(EDGE).unwrap();
    let plan = load(EDGE_PLAN).unwrap();
    let state = load(EDGE_STATE).unwrap();
    assert_eq!(plan.format, SourceFormat::TerraformJson);
    assert_eq!(state.format, SourceFormat::TerraformJson);
    let expected = export(&source.network);
    assert_eq!(expected.nics.len(), 2);
    assert_eq!(expected.nsgs[0].rules.len(), 2);
    assert_eq!(export(&plan.network), expected);
    assert_eq!(export(&state.network), expected);
    // The plan does not know the ids: references in the configuration say
    // which resource each attribute points to, count index by count index.
    assert_eq!(plan.doc.vms[1].nics, ["app-nic-1"]);
    assert_eq!(plan.doc.nics[1].ip_configurations[0].public_ip, None);
    assert_eq!(
        plan.doc.nsgs[0].rules[1].destination_application_security_groups,
        ["app-asg"]
    );
}

#[test]
fn a_plan_without_references_reports_what_it_cannot_resolve() {
    // Terraform leaves references inside dynamic blocks out of the plan.
    let plan = r#"{"format_version": "1.2", "terraform_version": "1.9.8",
      "planned_values": {"root_module": {"resources": [
        {"address": "azurerm_network_security_group.n", "mode": "managed", "type": "azurerm_network_security_group", "name": "n",
         "values": {"name": "n", "location": "uksouth", "resource_group_name": "rg",
           "security_rule": [{"name": "to-asg", "priority": 100, "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
             "source_address_prefix": "*", "source_port_range": "*", "destination_port_range": "443"}]}}]}},
      "resource_changes": [{"address": "azurerm_network_security_group.n", "change": {"actions": ["create"],
        "after_unknown": {"id": true, "security_rule": [{"destination_application_security_group_ids": true}]}}}],
      "configuration": {"root_module": {"resources": [{"address": "azurerm_network_security_group.n",
        "expressions": {"name": {"constant_value": "n"}, "security_rule": [{"destination_application_security_group_ids": {}}]}}]}}}"#;
    let l = load(plan).unwrap();
    assert_eq!(l.doc.nsgs[0].rules.len(), 0);
    assert!(skipped(&l, "security rule to-asg"));
}

#[test]
fn placeholders_for_missing_variables() {
    let text = r#"
resource "azurerm_resource_group" "rg" {
  name     = "${var.prefix}-rg"
  location = var.location
}
resource "azurerm_network_security_group" "nsg" {
  name                = "${var.prefix}-nsg"
  location            = azurerm_resource_group.rg.location
  resource_group_name = azurerm_resource_group.rg.name
}
"#;
    let l = load(text).unwrap();
    assert_eq!(l.doc.nsgs[0].name, "prefix-nsg");
    assert!(assumed(
        &l,
        "var.prefix is not declared in this configuration"
    ));
    assert!(assumed(
        &l,
        "the location placeholder 'location' is not a region; westeurope is used"
    ));
}

#[test]
fn errors_point_at_lines_and_columns() {
    // HCL syntax.
    let e = load("resource \"azurerm_subnet\" \"a\" {\n  name = \n}\n").unwrap_err();
    assert!(
        e.location().starts_with("line 3") || e.location().starts_with("line 2"),
        "{e}"
    );
    assert!(e.message().contains("not valid Terraform"), "{e}");
    // A number too large to read is named, where it starts.
    let e =
        load("resource \"azurerm_resource_group\" \"r\" {\n  name = \"r\"\n  count = 1e400\n}\n")
            .unwrap_err();
    assert_eq!(e.location(), "line 3, column 11");
    assert!(e.message().contains("the number 1e400 is too large"), "{e}");
    // A reference to a resource the file does not declare.
    let e = load(
        "resource \"azurerm_network_interface\" \"n\" {\n  name = \"n\"\n  resource_group_name = \"rg\"\n  location = \"uksouth\"\n  ip_configuration {\n    name = \"c\"\n    subnet_id = azurerm_subnet.missing.id\n  }\n}\n",
    )
    .unwrap_err();
    assert_eq!(e.location(), "line 7, column 17");
    assert!(
        e.message()
            .contains("azurerm_subnet.missing is not declared"),
        "{e}"
    );
    // Circular locals.
    let e = load("locals {\n  a = local.b\n  b = local.a\n}\nresource \"azurerm_resource_group\" \"r\" {\n  name = local.a\n  location = \"uksouth\"\n}\n").unwrap_err();
    assert!(e.message().contains("circular"), "{e}");
    // An unknown function.
    let e = load("resource \"azurerm_resource_group\" \"r\" {\n  name = frobnicate(\"x\")\n  location = \"uksouth\"\n}\n").unwrap_err();
    assert_eq!(e.location(), "line 2, column 10");
    assert!(e.message().contains("unknown function 'frobnicate'"), "{e}");
    // A model error lands on the attribute at fault.
    let e = load(
        "resource \"azurerm_network_security_group\" \"n\" {\n  name = \"n\"\n  location = \"uksouth\"\n  resource_group_name = \"rg\"\n  security_rule {\n    name = \"r\"\n    priority = 5000\n    direction = \"Inbound\"\n    access = \"Allow\"\n    protocol = \"Tcp\"\n    source_port_range = \"*\"\n    destination_port_range = \"443\"\n    source_address_prefix = \"*\"\n    destination_address_prefix = \"*\"\n  }\n}\n",
    )
    .unwrap_err();
    assert_eq!(e.location(), "line 7, column 16");
    assert!(
        e.message()
            .starts_with("azurerm_network_security_group.n: "),
        "{e}"
    );
    assert!(e.message().contains("SecurityRuleInvalidPriority"), "{e}");
    // Broken plan JSON, and a model error in a plan, at its JSON path.
    let e = load("{\"format_version\": \"1.2\", \"planned_values\": {").unwrap_err();
    assert!(e.location().starts_with("line 1"), "{e}");
    let bad = EDGE_STATE.replacen("\"priority\": 100", "\"priority\": 99", 1);
    let e = load(&bad).unwrap_err();
    assert!(
        e.location().starts_with("$.values.root_module.resources["),
        "{e}"
    );
    assert!(e.message().contains("SecurityRuleInvalidPriority"), "{e}");
}

#[test]
fn unknown_counts_and_computed_values_are_reported() {
    let text = r#"
resource "azurerm_public_ip" "p" {
  name                = "p"
  location            = "uksouth"
  resource_group_name = "rg"
  allocation_method   = "Static"
}
resource "azurerm_network_security_group" "n" {
  count               = length(azurerm_public_ip.p.ip_address)
  name                = "n"
  location            = "uksouth"
  resource_group_name = "rg"
}
"#;
    let l = load(text).unwrap();
    assert!(l.doc.nsgs.is_empty());
    assert!(skipped(&l, "its count is known only after apply"));
}

#[test]
fn expressions_evaluate_as_terraform_does() {
    let text = r#"
variable "envs" {
  default = ["dev", "prod"]
}
locals {
  names    = [for e in var.envs : upper(e) if e != "dev"]
  by_name  = { for i, e in var.envs : e => i }
  grouped  = { for e in ["a", "b", "a"] : e => e... }
  cidrs    = cidrsubnets("10.50.0.0/16", 8, 8)
  nested   = [{ ports = ["80"] }, { ports = ["443", "8443"] }]
  all      = flatten(local.nested[*].ports)
  # The legacy splat takes only the names after it: this is the second list,
  # where [*] would take element 1 of each list (and fail on the first).
  second   = local.nested.*.ports[1]
  text     = <<-EOT
    hello ${local.names[0]}
    %{ for p in local.all }${p},%{ endfor }
    EOT
  chosen   = try(local.missing_key["x"], "fallback")
  ok       = can(regex("x", "y"))
  number   = 7 % 4 + 2 * 3 - 1
  joined   = join("-", [format("%02d", local.number), tostring(length(local.grouped["a"])), lookup(local.by_name, "prod", 9)])
}
resource "azurerm_network_security_group" "n" {
  name                = "n-${local.joined}"
  location            = "uksouth"
  resource_group_name = "rg"

  security_rule {
    name                       = "r"
    description                = trimspace(local.text)
    priority                   = 100 + local.by_name["prod"]
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_ranges    = concat(local.all, local.second)
    source_address_prefixes    = local.cidrs
    destination_address_prefix = local.chosen == "fallback" && !local.ok ? "VirtualNetwork" : "*"
  }
}
"#;
    let l = load(text).unwrap_or_else(|e| panic!("{e}"));
    let nsg = &l.doc.nsgs[0];
    assert_eq!(nsg.name, "n-08-2-1");
    let r = &nsg.rules[0];
    assert_eq!(r.description, "hello PROD\n80,443,8443,");
    assert_eq!(r.priority, 101);
    assert_eq!(
        r.destination_port_ranges,
        ["80", "443", "8443", "443", "8443"]
    );
    assert_eq!(r.source_address_prefixes, ["10.50.0.0/24", "10.50.1.0/24"]);
    assert_eq!(
        r.destination_address_prefix.as_deref(),
        Some("VirtualNetwork")
    );
}

#[test]
fn a_state_that_lists_subnets_in_their_vnet_counts_them_once() {
    // After a refresh, a VNet's `subnet` attribute repeats the subnets that
    // azurerm_subnet resources manage; the resources (with their associations) win.
    let mut state: serde_json::Value = serde_json::from_str(EDGE_STATE).unwrap();
    let resources = state["values"]["root_module"]["resources"]
        .as_array_mut()
        .unwrap();
    let vnet = resources
        .iter_mut()
        .find(|r| r["address"] == "azurerm_virtual_network.edge")
        .unwrap();
    vnet["values"]["subnet"] = serde_json::json!([
        {"name": "snet-app", "address_prefixes": ["10.90.1.0/24"], "security_group": "", "id": "x"}
    ]);
    let l = load(&state.to_string()).unwrap();
    let edge = &l.doc.vnets[0];
    assert_eq!(edge.subnets.len(), 1);
    assert_eq!(edge.subnets[0].nsg.as_deref(), Some("app-nsg"));
    assert_eq!(edge.subnets[0].route_table.as_deref(), Some("app-rt"));
}

#[test]
fn load_balancers_endpoints_services_and_policies_are_read() {
    let l = load(&new_kinds(
        "80",
        "\"198.51.100.0/24\"",
        "\"10.0.1.9\"",
        "100",
        "100",
    ))
    .unwrap();
    let lb = &l.doc.load_balancers[0];
    assert_eq!(lb.sku, "Standard");
    assert_eq!(
        lb.frontends[0].private_ip_address.as_deref(),
        Some("10.0.1.50")
    );
    assert_eq!(lb.rules[0].backend_pool, "p");
    assert_eq!(lb.rules[0].frontend_port, 80);
    let st = &l.doc.services[0];
    assert_eq!(st.allowed_ip_ranges, ["198.51.100.0/24"]);
    assert_eq!(l.doc.private_endpoints[0].private_ip_address, "10.0.1.9");
    assert_eq!(l.doc.private_endpoints[0].service, "st");
    let fw = &l.doc.firewalls[0];
    assert_eq!(fw.private_ip_address, "10.0.0.4");
    assert_eq!(
        fw.policy.as_ref().unwrap().rule_collection_groups[0].name,
        "g"
    );
}

#[test]
fn malformed_new_kinds_are_one_line_errors_at_the_attribute() {
    let cases = [
        (
            new_kinds(
                "\"eighty\"",
                "\"198.51.100.0/24\"",
                "\"10.0.1.9\"",
                "100",
                "100",
            ),
            "line 40, column 36",
            "azurerm_lb_rule.r: ",
            "frontendPort must be a whole number",
        ),
        (
            new_kinds("70000", "\"198.51.100.0/24\"", "\"10.0.1.9\"", "100", "100"),
            "line 40, column 36",
            "azurerm_lb_rule.r: ",
            "outside 0-65535",
        ),
        (
            new_kinds("80", "\"not-an-ip\"", "\"10.0.1.9\"", "100", "100"),
            "line 50, column 3",
            "azurerm_storage_account.st: ",
            "'not-an-ip' is not an IP address",
        ),
        (
            new_kinds("80", "\"198.51.100.0/24\"", "\"10.0.1.999\"", "100", "100"),
            "line 68, column 26",
            "azurerm_private_endpoint.pe: ",
            "'10.0.1.999' is not an IP address",
        ),
        (
            new_kinds(
                "80",
                "\"198.51.100.0/24\"",
                "\"10.0.1.9\"",
                "\"high\"",
                "100",
            ),
            "line 81, column 24",
            "azurerm_firewall_policy_rule_collection_group.g: ",
            "the priority must be a whole number",
        ),
        (
            new_kinds("80", "\"198.51.100.0/24\"", "\"10.0.1.9\"", "100", "70000"),
            "line 84, column 16",
            "azurerm_firewall_policy_rule_collection_group.g: ",
            "outside the allowed range 100-65000",
        ),
    ];
    for (text, at, prefix, says) in cases {
        let e = load(&text).unwrap_err();
        assert_eq!(e.location(), at, "{e}");
        assert!(e.message().starts_with(prefix), "{e}");
        assert!(e.message().contains(says), "{e}");
        assert!(!e.to_string().contains('\n'), "{e}");
    }
    // References to what the configuration does not have are reported, not errors.
    let text = new_kinds("80", "\"198.51.100.0/24\"", "\"10.0.1.9\"", "100", "100")
        + "resource \"azurerm_network_interface_backend_address_pool_association\" \"a\" {\n  network_interface_id    = \"/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/networkInterfaces/nope\"\n  ip_configuration_name   = \"c\"\n  backend_address_pool_id = azurerm_lb_backend_address_pool.p.id\n}\n"
        + "resource \"azurerm_lb_probe\" \"orphan\" {\n  name            = \"x\"\n  loadbalancer_id = \"/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/loadBalancers/nope\"\n  port            = 80\n}\n";
    let l = load(&text).unwrap();
    assert!(skipped(
        &l,
        "its network interface is not in the configuration"
    ));
    assert!(skipped(&l, "its load balancer is not in the configuration"));
}

/// The quickstarts' pattern: names from the `random` provider, and a Basic
/// load balancer (azurerm's default) in front of a public IP without a SKU.
#[test]
fn random_names_and_a_default_basic_load_balancer_import() {
    let tf = r#"
resource "random_pet" "rg_name" { prefix = "rg" }
resource "random_string" "suffix" {
  length  = 6
  special = false
  upper   = false
}
resource "azurerm_resource_group" "rg" {
  name     = random_pet.rg_name.id
  location = "westeurope"
}
resource "azurerm_virtual_network" "vnet" {
  name                = "vnet-${random_string.suffix.result}"
  address_space       = ["10.0.0.0/16"]
  location            = azurerm_resource_group.rg.location
  resource_group_name = azurerm_resource_group.rg.name
}
resource "azurerm_subnet" "web" {
  name                 = "web"
  resource_group_name  = azurerm_resource_group.rg.name
  virtual_network_name = azurerm_virtual_network.vnet.name
  address_prefixes     = ["10.0.1.0/24"]
}
resource "azurerm_public_ip" "lb" {
  name                = "pip-lb"
  location            = azurerm_resource_group.rg.location
  resource_group_name = azurerm_resource_group.rg.name
  allocation_method   = "Static"
}
resource "azurerm_lb" "lb" {
  name                = "lb"
  location            = azurerm_resource_group.rg.location
  resource_group_name = azurerm_resource_group.rg.name
  frontend_ip_configuration {
    name                 = "fe"
    public_ip_address_id = azurerm_public_ip.lb.id
  }
}
"#;
    let l = load_terraform(tf, None).unwrap();
    assert_eq!(l.doc.vnets.len(), 1);
    let vnet = &l.doc.vnets[0];
    assert_eq!(vnet.name, "vnet-suffix");
    assert_eq!(vnet.subnets.len(), 1);
    assert!(assumed(&l, "random_pet.rg_name is random"));
    assert_eq!(l.doc.load_balancers.len(), 1);
    assert_eq!(l.doc.public_ips[0].sku, "Basic");
    assert!(assumed(&l, "which takes only Basic public IPs"));
    assert!(!assumed(&l, "Standard is assumed"));
}

/// A route whose next hop is the firewall's private address, which Azure
/// assigns at deployment (azurerm's `ip_configuration[0].private_ip_address`):
/// the import uses the address Azure gives out first in AzureFirewallSubnet,
/// the one the firewall itself gets, and says so.
#[test]
fn a_route_to_the_firewalls_computed_address() {
    let l = load(include_str!("fixtures/terraform/firewall-next-hop.tf")).unwrap();
    let rt = &l.doc.route_tables[0];
    assert_eq!(
        rt.routes[0].next_hop_ip_address.as_deref(),
        Some("10.0.1.4")
    );
    assert_eq!(l.doc.firewalls[0].private_ip_address, "10.0.1.4");
    assert!(
        l.report
            .assumptions
            .iter()
            .any(|a| a.contains("the next hop is azureFirewalls/fw's private address ('azurerm_firewall.fw'), which Azure assigns")),
        "{:?}",
        l.report.assumptions
    );
    // A next hop computed from anything else is still refused, at its route.
    let other = include_str!("fixtures/terraform/firewall-next-hop.tf").replace(
        "azurerm_firewall.fw.ip_configuration[0].private_ip_address",
        "azurerm_public_ip.fw.ip_address",
    );
    let e = load(&other).unwrap_err();
    assert!(e.message().contains("needs a next hop IP address"), "{e}");
}

/// The same for an NVA's NIC with a dynamic address, as a separate
/// `azurerm_route`: the route gets the address the NIC is given.
#[test]
fn a_route_to_an_nvas_computed_address() {
    let tf = include_str!("fixtures/terraform/firewall-next-hop.tf").to_string()
        + r#"
resource "azurerm_network_interface" "nva" {
  name                 = "nva-nic"
  location             = azurerm_resource_group.rg.location
  resource_group_name  = azurerm_resource_group.rg.name
  ip_forwarding_enabled = true
  ip_configuration {
    name                          = "ipconfig1"
    subnet_id                     = azurerm_subnet.work.id
    private_ip_address_allocation = "Dynamic"
  }
}
resource "azurerm_route" "partner" {
  name                   = "partner"
  resource_group_name    = azurerm_resource_group.rg.name
  route_table_name       = azurerm_route_table.rt.name
  address_prefix         = "172.16.0.0/12"
  next_hop_type          = "VirtualAppliance"
  next_hop_in_ip_address = azurerm_network_interface.nva.private_ip_address
}
"#;
    let l = load(&tf).unwrap();
    let nic = l.doc.nics.iter().find(|n| n.name == "nva-nic").unwrap();
    let ip = &nic.ip_configurations[0].private_ip_address;
    assert_eq!(ip, "10.0.2.4");
    let route = l.doc.route_tables[0]
        .routes
        .iter()
        .find(|r| r.name == "partner")
        .unwrap();
    assert_eq!(route.next_hop_ip_address.as_deref(), Some(ip.as_str()));
}

/// A subnet declared inside its VNet and picked out by a function
/// (`one(..)`, `tolist(..)[0]`, `element(..[*].id, 0)`) has the id azurerm
/// exports for it, so a NIC can name it.
#[test]
fn inline_subnets_reached_through_functions() {
    let tf = |subnet_id: &str| {
        format!(
            r#"resource "azurerm_virtual_network" "v" {{
  name                = "v"
  location            = "westeurope"
  resource_group_name = "rg"
  address_space       = ["10.0.0.0/16"]
  subnet {{
    name             = "s"
    address_prefixes = ["10.0.1.0/24"]
  }}
}}
resource "azurerm_network_interface" "n" {{
  name                = "n"
  location            = "westeurope"
  resource_group_name = "rg"
  ip_configuration {{
    name                          = "c"
    subnet_id                     = {subnet_id}
    private_ip_address_allocation = "Dynamic"
  }}
}}
"#
        )
    };
    for expr in [
        "one(azurerm_virtual_network.v.subnet).id",
        "tolist(azurerm_virtual_network.v.subnet)[0].id",
        "element(azurerm_virtual_network.v.subnet[*].id, 0)",
    ] {
        let l = load(&tf(expr)).unwrap_or_else(|e| panic!("{expr}: {e}"));
        assert_eq!(l.doc.nics.len(), 1, "{expr}: {:?}", l.report.skipped);
        assert_eq!(l.doc.nics[0].ip_configurations[0].subnet, "s", "{expr}");
        assert!(
            l.report.skipped.is_empty(),
            "{expr}: {:?}",
            l.report.skipped
        );
    }
    // A function that does not hand back its argument's values keeps the error.
    let e = load(&tf("merge({}, {}).id")).unwrap_err();
    assert!(e.message().contains("no attribute 'id'"), "{e}");
}

/// A variable without a default stands in by its own name; an error on that
/// stand-in says which variable has no value.
#[test]
fn an_error_on_a_placeholder_names_the_variable_without_a_value() {
    let tf = r#"
variable "fw_ip" {}
resource "azurerm_route_table" "rt" {
  name                = "rt"
  location            = "westeurope"
  resource_group_name = "rg"
  route {
    name                   = "default"
    address_prefix         = "0.0.0.0/0"
    next_hop_type          = "VirtualAppliance"
    next_hop_in_ip_address = var.fw_ip
  }
}
"#;
    let e = load(tf).unwrap_err();
    assert!(
        e.message().ends_with(
            "(variable 'fw_ip' has no value, so its own name stands in for it: give it a value in a .tfvars file (--parameters FILE))"
        ),
        "{e}"
    );
    assert!(load_with_parameters(tf, Some("fw_ip = \"10.0.1.4\"")).is_ok());
}

/// VNet `v` (10.0.0.0/16) with subnet `s` (10.0.2.0/24), for the tests below.
const VNET_V_SUBNET_S: &str = r#"
resource "azurerm_virtual_network" "v" {
  name                = "v"
  location            = "westeurope"
  resource_group_name = "rg"
  address_space       = ["10.0.0.0/16"]
}
resource "azurerm_subnet" "s" {
  name                 = "s"
  resource_group_name  = "rg"
  virtual_network_name = azurerm_virtual_network.v.name
  address_prefixes     = ["10.0.2.0/24"]
}
"#;

/// An NSG rule whose destination is a NIC's dynamic address (computed by
/// Azure) gets the address the NIC gets here, and the verdict follows it.
#[test]
fn a_rule_prefix_from_a_nics_computed_address() {
    let tf = format!(
        "{VNET_V_SUBNET_S}{}",
        r#"
resource "azurerm_network_interface" "web" {
  name                = "web-nic"
  location            = "westeurope"
  resource_group_name = "rg"
  ip_configuration {
    name                          = "primary"
    subnet_id                     = azurerm_subnet.s.id
    private_ip_address_allocation = "Dynamic"
  }
}
resource "azurerm_network_security_group" "web" {
  name                = "web-nsg"
  location            = "westeurope"
  resource_group_name = "rg"
  security_rule {
    name                       = "tls"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    source_address_prefix      = "*"
    destination_port_range     = "443"
    destination_address_prefix = azurerm_network_interface.web.private_ip_address
  }
}
"#
    );
    let l = load(&tf).unwrap();
    let rule = &l.doc.nsgs[0].rules[0];
    assert_eq!(rule.destination_address_prefix.as_deref(), Some("10.0.2.4"));
    assert_eq!(
        l.doc.nics[0].ip_configurations[0].private_ip_address,
        "10.0.2.4"
    );
    assert!(l.report.assumptions.iter().any(|a| a.contains(
        "securityRules/tls (destination): networkInterfaces/web-nic (primary)'s private address ('azurerm_network_interface.web')"
    )));
}

/// azurerm 3.x's `address_prefix` of a subnet (its first prefix), which
/// configurations written for it still read.
#[test]
fn a_subnets_deprecated_address_prefix_is_its_first_prefix() {
    let tf = format!(
        "{VNET_V_SUBNET_S}{}",
        r#"
resource "azurerm_network_security_group" "n" {
  name                = "n"
  location            = "westeurope"
  resource_group_name = "rg"
  security_rule {
    name                       = "from-subnet"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    source_address_prefix      = azurerm_subnet.s.address_prefix
    destination_port_range     = "443"
    destination_address_prefix = "*"
  }
}
"#
    );
    let l = load(&tf).unwrap();
    assert_eq!(
        l.doc.nsgs[0].rules[0].source_address_prefix.as_deref(),
        Some("10.0.2.0/24")
    );
}

/// An expression over a placeholder that fails says so too.
#[test]
fn an_expression_over_a_placeholder_names_the_variable() {
    let tf = r#"
variable "prefix" {}
resource "azurerm_virtual_network" "v" {
  name                = "v"
  location            = "westeurope"
  resource_group_name = "rg"
  address_space       = [cidrsubnet(var.prefix, 8, 1)]
}
"#;
    let e = load(tf).unwrap_err();
    assert!(
        e.message()
            .contains("(variable 'prefix' has no value, so its own name stands in for it"),
        "{e}"
    );
}

/// Microsoft's firewall policy quickstarts: a DNAT rule's destination is the
/// firewall's public IP as Terraform computes it, and a rule name has a space.
const DNAT_ON_COMPUTED_IP: &str = r#"
resource "azurerm_virtual_network" "v" {
  name                = "v"
  location            = "westeurope"
  resource_group_name = "rg"
  address_space       = ["10.10.0.0/16"]
}
resource "azurerm_subnet" "fw" {
  name                 = "AzureFirewallSubnet"
  resource_group_name  = "rg"
  virtual_network_name = azurerm_virtual_network.v.name
  address_prefixes     = ["10.10.0.0/26"]
}
resource "azurerm_subnet" "vms" {
  name                 = "vms"
  resource_group_name  = "rg"
  virtual_network_name = azurerm_virtual_network.v.name
  address_prefixes     = ["10.10.1.0/24"]
}
resource "azurerm_public_ip" "fw" {
  name                = "fw-ip"
  location            = "westeurope"
  resource_group_name = "rg"
  allocation_method   = "Static"
  sku                 = "Standard"
}
resource "azurerm_network_interface" "vm" {
  name                = "vm-nic"
  location            = "westeurope"
  resource_group_name = "rg"
  ip_configuration {
    name                          = "c"
    subnet_id                     = azurerm_subnet.vms.id
    private_ip_address_allocation = "Static"
    private_ip_address            = "10.10.1.4"
  }
}
resource "azurerm_firewall_policy" "p" {
  name                = "p"
  location            = "westeurope"
  resource_group_name = "rg"
}
resource "azurerm_firewall_policy_rule_collection_group" "g" {
  name               = "g"
  firewall_policy_id = azurerm_firewall_policy.p.id
  priority           = 100
  nat_rule_collection {
    name     = "dnat"
    action   = "Dnat"
    priority = 200
    rule {
      name                = "RDP to the VM"
      protocols           = ["TCP"]
      source_addresses    = ["*"]
      destination_address = azurerm_public_ip.fw.ip_address
      destination_ports   = ["3389"]
      translated_address  = "10.10.1.4"
      translated_port     = "3389"
    }
  }
}
resource "azurerm_firewall" "fw" {
  name                = "fw"
  location            = "westeurope"
  resource_group_name = "rg"
  sku_name            = "AZFW_VNet"
  sku_tier            = "Standard"
  firewall_policy_id  = azurerm_firewall_policy.p.id
  ip_configuration {
    name                 = "c"
    subnet_id            = azurerm_subnet.fw.id
    public_ip_address_id = azurerm_public_ip.fw.id
  }
}
"#;

#[test]
fn a_dnat_rule_on_the_computed_public_ip_gets_the_ips_placeholder() {
    let l = load(DNAT_ON_COMPUTED_IP).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(l.doc.public_ips[0].address, "20.255.0.1");
    assert!(assumed(&l, "azurerm_public_ip.fw.ip_address"));
    let flow = Flow::new(
        Protocol::Tcp,
        "203.0.113.9".parse().unwrap(),
        50000,
        "20.255.0.1".parse().unwrap(),
        3389,
    );
    let t = path::trace(&l.network, &flow);
    assert_eq!(t.verdict, Verdict::Allowed, "{:?}", t.denied_at());
    assert!(
        t.steps
            .iter()
            .filter_map(|s| s.rule.as_ref())
            .any(|r| r.name.ends_with("/rules/RDP to the VM")),
        "the rule named with spaces decides"
    );
}

fn files(list: &[(&str, &str)]) -> Vec<TerraformFile> {
    list.iter()
        .map(|(p, t)| TerraformFile {
            path: (*p).to_string(),
            text: (*t).to_string(),
        })
        .collect()
}

const ROOT_WITH_MODULES: &str = r#"
module "net" {
  source   = "./modules/net"
  name     = "hub"
  prefixes = ["10.60.0.0/16"]
}
module "spoke" {
  count    = 2
  source   = "./modules/net"
  name     = "spoke${count.index}"
  prefixes = ["10.6${count.index + 1}.0.0/16"]
}
module "naming" {
  source = "Azure/naming/azurerm"
}
module "gone" {
  source = "./modules/missing"
}
resource "azurerm_network_interface" "vm" {
  name                = "vm-nic"
  location            = "westeurope"
  resource_group_name = "rg"
  ip_configuration {
    name                          = "c"
    subnet_id                     = module.net.subnet_id
    private_ip_address_allocation = "Static"
    private_ip_address            = "10.60.1.10"
  }
}
"#;

const NET_MODULE: &str = r#"
variable "name" {}
variable "prefixes" { type = list(string) }
resource "azurerm_virtual_network" "v" {
  name                = var.name
  location            = "westeurope"
  resource_group_name = "rg"
  address_space       = var.prefixes
}
resource "azurerm_subnet" "s" {
  name                 = "workload"
  resource_group_name  = "rg"
  virtual_network_name = azurerm_virtual_network.v.name
  address_prefixes     = [cidrsubnet(var.prefixes[0], 8, 1)]
}
module "guard" {
  source    = "../guard"
  subnet_id = azurerm_subnet.s.id
}
output "subnet_id" { value = azurerm_subnet.s.id }
"#;

const GUARD_MODULE: &str = r#"
variable "subnet_id" {}
resource "azurerm_network_security_group" "g" {
  name                = "guard-${basename(dirname(dirname(var.subnet_id)))}"
  location            = "westeurope"
  resource_group_name = "rg"
}
resource "azurerm_subnet_network_security_group_association" "a" {
  subnet_id                 = var.subnet_id
  network_security_group_id = azurerm_network_security_group.g.id
}
"#;

#[test]
fn local_modules_are_read_with_their_inputs_and_outputs() {
    let l = load_terraform_files(
        &files(&[
            ("main.tf", ROOT_WITH_MODULES),
            ("modules/net/main.tf", NET_MODULE),
            ("modules/guard/main.tf", GUARD_MODULE),
            ("modules/unused/main.tf", "this does not parse {"),
        ]),
        None,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let vnets: Vec<(&str, &str)> = l
        .doc
        .vnets
        .iter()
        .map(|v| (v.name.as_str(), v.subnets[0].address_prefixes[0].as_str()))
        .collect();
    assert_eq!(
        vnets,
        [
            ("hub", "10.60.1.0/24"),
            ("spoke0", "10.61.1.0/24"),
            ("spoke1", "10.62.1.0/24")
        ]
    );
    // The nested module's NSG guards each module instance's subnet.
    let guards: Vec<Option<&str>> = l
        .doc
        .vnets
        .iter()
        .map(|v| v.subnets[0].nsg.as_deref())
        .collect();
    assert_eq!(
        guards,
        [
            Some("guard-hub"),
            Some("guard-spoke0"),
            Some("guard-spoke1")
        ]
    );
    // The root's NIC sits in the subnet the module's output names.
    assert_eq!(l.doc.nics[0].ip_configurations[0].vnet, "hub");
    assert!(skipped_tf(&l, "module.naming", "not a local directory"));
    assert!(skipped_tf(&l, "module.gone", "not among the files read"));
}

fn skipped_tf(l: &Loaded, what: &str, why: &str) -> bool {
    l.report
        .skipped
        .iter()
        .any(|(w, y)| w == what && y.contains(why))
}

#[test]
fn an_error_inside_a_module_names_the_modules_file() {
    let broken = NET_MODULE.replace("cidrsubnet(var.prefixes[0], 8, 1)", "\"10.99.0.0/24\"");
    let e = load_terraform_files(
        &files(&[
            ("main.tf", ROOT_WITH_MODULES),
            ("modules/net/main.tf", &broken),
            ("modules/guard/main.tf", GUARD_MODULE),
        ]),
        None,
    )
    .unwrap_err();
    assert!(
        e.location()
            .starts_with("modules/net/main.tf: line 14, column"),
        "{e}"
    );
    assert!(e.message().contains("module.net.azurerm_subnet.s"), "{e}");
    assert!(e.message().contains("not inside"), "{e}");
    // A module whose files do not parse is an error once it is called.
    let e = load_terraform_files(
        &files(&[
            ("main.tf", ROOT_WITH_MODULES),
            ("modules/net/main.tf", "resource {"),
        ]),
        None,
    )
    .unwrap_err();
    assert!(
        e.location().starts_with("modules/net/main.tf: line 1"),
        "{e}"
    );
}

#[test]
fn a_module_that_calls_its_own_directory_is_an_error_at_the_call() {
    let e = load_terraform_files(
        &files(&[
            ("main.tf", "module \"a\" {\n  source = \"./m\"\n}\n"),
            (
                "m/main.tf",
                "module \"again\" {\n  count  = 3\n  source = \"../m\"\n}\n",
            ),
        ]),
        None,
    )
    .unwrap_err();
    assert_eq!(e.location(), "m/main.tf: line 1, column 1", "{e}");
    assert!(e.message().contains("module.again calls 'm'"), "{e}");
}

/// `private_ip_addresses[k]` of a NIC with two dynamic configurations is
/// configuration k's address; another computed attribute stays unknown.
#[test]
fn a_rule_prefix_from_a_nics_second_computed_address() {
    let tf = format!(
        "{VNET_V_SUBNET_S}{}",
        r#"
resource "azurerm_network_interface" "web" {
  name                = "web-nic"
  location            = "westeurope"
  resource_group_name = "rg"
  ip_configuration {
    name                          = "primary"
    subnet_id                     = azurerm_subnet.s.id
    private_ip_address_allocation = "Dynamic"
    primary                       = true
  }
  ip_configuration {
    name                          = "second"
    subnet_id                     = azurerm_subnet.s.id
    private_ip_address_allocation = "Dynamic"
  }
}
resource "azurerm_network_security_group" "web" {
  name                = "web-nsg"
  location            = "westeurope"
  resource_group_name = "rg"
  security_rule {
    name                       = "tls"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    source_address_prefix      = "*"
    destination_port_range     = "443"
    destination_address_prefix = azurerm_network_interface.web.private_ip_addresses[1]
  }
}
"#
    );
    let l = load(&tf).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        l.doc.nics[0].ip_configurations[1].private_ip_address,
        "10.0.2.5"
    );
    let rule = &l.doc.nsgs[0].rules[0];
    assert_eq!(rule.destination_address_prefix.as_deref(), Some("10.0.2.5"));
    // Another computed attribute of the NIC (its MAC) is not an address:
    // the rule has no destination, an error at the rule.
    let e = load(&tf.replace("private_ip_addresses[1]", "mac_address")).unwrap_err();
    assert!(e.message().contains("securityRules/tls"), "{e}");
    // A configuration the NIC does not have is an error naming the NIC.
    let e = load(&tf.replace("private_ip_addresses[1]", "private_ip_addresses[2]")).unwrap_err();
    assert!(e.message().contains("IP configuration 2"), "{e}");
}

/// An inline `subnet {}` block of azurerm_virtual_network takes the same
/// settings as an azurerm_subnet (azurerm 4.x): service endpoints, private
/// endpoint network policies and default outbound access are read, not
/// dropped.
#[test]
fn inline_subnet_blocks_keep_their_settings() {
    let text = r#"
resource "azurerm_network_security_group" "nsg" {
  name                = "nsg1"
  location            = "westeurope"
  resource_group_name = "rg"
}
resource "azurerm_virtual_network" "v" {
  name                = "vnet1"
  location            = "westeurope"
  resource_group_name = "rg"
  address_space       = ["10.0.0.0/16"]
  subnet {
    name                              = "s1"
    address_prefixes                  = ["10.0.1.0/24"]
    security_group                    = azurerm_network_security_group.nsg.id
    default_outbound_access_enabled   = false
    private_endpoint_network_policies = "Enabled"
    service_endpoints                 = ["Microsoft.Storage", "Microsoft.Sql"]
  }
  subnet {
    name             = "s2"
    address_prefixes = ["10.0.2.0/24"]
  }
}
"#;
    let l = load(text).unwrap();
    let v = &l.doc.vnets[0];
    let s1 = &v.subnets[0];
    assert_eq!(s1.nsg.as_deref(), Some("nsg1"));
    assert_eq!(s1.service_endpoints, ["Microsoft.Storage", "Microsoft.Sql"]);
    assert_eq!(
        s1.private_endpoint_network_policies.as_deref(),
        Some("Enabled")
    );
    assert!(!s1.default_outbound_access);
    let s2 = &v.subnets[1];
    assert!(s2.service_endpoints.is_empty());
    assert!(s2.default_outbound_access, "the default is on");
}

/// An argument of the wrong type is an error at it, as `terraform validate`
/// refuses it; before, `security_rule = "oops"` was an NSG without rules.
#[test]
fn arguments_of_the_wrong_type_are_errors_at_them() {
    let nsg = |body: &str| {
        format!(
            "resource \"azurerm_network_security_group\" \"nsg\" {{\n  name = \"nsg\"\n  location = \"westeurope\"\n  resource_group_name = \"rg\"\n{body}}}\n"
        )
    };
    let e = load(&nsg("  security_rule = \"oops\"\n")).unwrap_err();
    assert_eq!(e.location(), "line 5, column 19", "{e}");
    assert!(
        e.message().contains(
            "azurerm_network_security_group.nsg: 'security_rule' must be blocks (a list of objects), not the string \"oops\""
        ),
        "{e}"
    );
    let rule = "  security_rule {\n    name = \"a\"\n    priority = 100\n    direction = \"Inbound\"\n    access = \"Allow\"\n    protocol = \"Tcp\"\n    source_port_range = \"*\"\n    source_address_prefix = \"*\"\n    destination_address_prefix = \"*\"\n    destination_port_ranges = [22, { a = 1 }]\n  }\n";
    let e = load(&nsg(rule)).unwrap_err();
    assert_eq!(e.location(), "line 14, column 31", "{e}");
    assert!(
        e.message()
            .contains("each element of 'destination_port_ranges' must be a string, not an object"),
        "{e}"
    );
    let subnet = "resource \"azurerm_subnet\" \"s\" {\n  name = \"s\"\n  resource_group_name = \"rg\"\n  virtual_network_name = \"v\"\n  address_prefixes = [\"10.0.0.0/24\"]\n  default_outbound_access_enabled = \"no\"\n}\n";
    let e = load(subnet).unwrap_err();
    assert_eq!(e.location(), "line 6, column 37", "{e}");
    assert!(e.message().contains("must be true or false"), "{e}");
    // What Terraform converts still loads: a number for a port string.
    let ok = rule.replace("[22, { a = 1 }]", "[22, \"443\"]");
    let loaded = load(&nsg(&ok)).unwrap();
    let (_, n) = loaded.network.nsgs().next().unwrap();
    assert_eq!(n.rules.len(), 1);
}

/// A literal id in a configuration names a real subscription, which the ids
/// made up for the configuration's own resources do not know: it binds to the
/// resource of that type, name and resource group, and not to a same-named one
/// in another group.
#[test]
fn a_literal_id_binds_by_resource_group_whatever_its_subscription() {
    let config = |rg: &str| {
        format!(
            r#"
resource "azurerm_network_security_group" "nsg" {{
  name                = "nsg1"
  location            = "westeurope"
  resource_group_name = "rg-a"
}}
resource "azurerm_virtual_network" "vnet" {{
  name                = "vnet1"
  location            = "westeurope"
  resource_group_name = "rg-a"
  address_space       = ["10.0.0.0/16"]
}}
resource "azurerm_subnet" "web" {{
  name                 = "web"
  resource_group_name  = "rg-a"
  virtual_network_name = azurerm_virtual_network.vnet.name
  address_prefixes     = ["10.0.1.0/24"]
}}
resource "azurerm_subnet_network_security_group_association" "web" {{
  subnet_id                 = azurerm_subnet.web.id
  network_security_group_id = "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/{rg}/providers/Microsoft.Network/networkSecurityGroups/nsg1"
}}
"#
        )
    };
    let l = load(&config("rg-a")).unwrap();
    assert_eq!(l.doc.vnets[0].subnets[0].nsg.as_deref(), Some("nsg1"));
    let l = load(&config("rg-b")).unwrap();
    assert_eq!(l.doc.vnets[0].subnets[0].nsg, None);
    assert!(skipped(&l, "nsg1"), "{:?}", l.report.skipped);
}

/// A count over a dynamic block multiplies (10,000 NSGs of 1,000 rules): the
/// reader stops at its size limit with an error at the resource, instead of
/// running out of memory.
#[test]
fn counts_that_multiply_stop_at_the_size_limit() {
    let config = r#"
resource "azurerm_network_security_group" "n" {
  count               = 10000
  name                = "n${count.index}"
  location            = "westeurope"
  resource_group_name = "rg"
  dynamic "security_rule" {
    for_each = range(1000)
    content {
      name                       = "r${security_rule.value}"
      priority                   = 100 + security_rule.value
      direction                  = "Inbound"
      access                     = "Allow"
      protocol                   = "Tcp"
      source_port_range          = "*"
      destination_port_range     = "22"
      source_address_prefix      = "*"
      destination_address_prefix = "*"
    }
  }
}
"#;
    let e = load(config).unwrap_err();
    assert!(
        e.message()
            .contains("expands to more than the playground reads"),
        "{e}"
    );
    assert!(e.location().starts_with("line 2"), "{e}");
}
