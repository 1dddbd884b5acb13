//! ARM templates (and Bicep compiled to them) against hand-written fixtures:
//! what each construct evaluates to, the verdicts of flows through the
//! imported network, and every kind of error, located in the template.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "a panic in a test is a failed test"
)]

use netsec_engine::watcher::{IpFlowQuery, Target, ip_flow_verify, next_hop};
use netsec_engine::{Access, Direction, Protocol};
use netsec_import::*;

const HUB_SPOKE: &str = include_str!("fixtures/arm/hub-spoke.json");
const HUB_SPOKE_PARAMETERS: &str = include_str!("fixtures/arm/hub-spoke.parameters.json");
const DEFAULTS: &str = include_str!("fixtures/arm/defaults-written-out.json");
const UNRESOLVED: &str = include_str!("fixtures/arm/unresolved.json");
const UNRESOLVED_PRIORITY: &str = include_str!("fixtures/arm/unresolved-priority.json");
const BICEP_EDGE: &str = include_str!("fixtures/bicep/edge.json");
const FIREWALL_NEXT_HOP: &str = include_str!("fixtures/arm/firewall-next-hop.json");
const FIREWALL_SYMBOLIC: &str = include_str!("fixtures/bicep/firewall-symbolic.json");

fn skipped(l: &Loaded, what: &str) -> bool {
    l.report
        .skipped
        .iter()
        .any(|(w, y)| w.contains(what) || y.contains(what))
}

fn assumed(l: &Loaded, text: &str) -> bool {
    l.report.assumptions.iter().any(|a| a.contains(text))
}

/// IP flow verify, inbound to a VM from `remote`.
fn inbound(
    l: &Loaded,
    vm: &str,
    protocol: Protocol,
    local: &str,
    port: u16,
    remote: &str,
) -> (Access, String) {
    let vm = l.network.find_vm(vm).unwrap();
    let q = IpFlowQuery {
        target: Target::Vm(vm),
        direction: Direction::Inbound,
        protocol,
        local_ip: local.parse().unwrap(),
        local_port: port,
        remote_ip: remote.parse().unwrap(),
        remote_port: 50000,
    };
    let r = ip_flow_verify(&l.network, &q).unwrap();
    (r.access, r.rule_name.unwrap_or_default())
}

fn template(resources: &str) -> String {
    format!(
        r#"{{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
            "contentVersion": "1.0.0.0", "resources": {resources}}}"#
    )
}

const NSG_RULE: &str = r#""direction": "Inbound", "access": "Allow", "protocol": "Tcp",
    "sourceAddressPrefix": "*", "sourcePortRange": "*", "destinationAddressPrefix": "*", "destinationPortRange": "443""#;

#[test]
fn hub_and_spokes_evaluate_with_parameter_defaults() {
    let l = load(HUB_SPOKE).unwrap();
    assert_eq!(l.format, SourceFormat::ArmTemplate);
    let d = &l.doc;
    let names: Vec<&str> = d.vnets.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["corp-hub", "corp-spoke1", "corp-spoke2"]);
    // Nested child subnet with a true condition; cidrSubnet on a parameter.
    let hub = &d.vnets[0];
    let subnets: Vec<(&str, &str)> = hub
        .subnets
        .iter()
        .map(|s| (s.name.as_str(), s.address_prefixes[0].as_str()))
        .collect();
    assert_eq!(
        subnets,
        [
            ("snet-shared", "10.60.0.0/24"),
            ("AzureFirewallSubnet", "10.60.1.0/26")
        ]
    );
    assert_eq!(hub.location, "westeurope");
    // Resource copy (copyIndex(1)), variable copy, property copy of subnets.
    let spoke2 = &d.vnets[2];
    assert_eq!(spoke2.address_space, ["10.62.0.0/16"]);
    assert_eq!(spoke2.subnets[0].name, "snet-web");
    assert_eq!(spoke2.subnets[1].address_prefixes, ["10.62.1.0/24"]);
    assert_eq!(spoke2.subnets[0].nsg.as_deref(), Some("corp-web-nsg"));
    // if(..., createObject(...), null()): the app subnet has no NSG.
    assert_eq!(spoke2.subnets[1].nsg, None);
    assert_eq!(spoke2.subnets[0].route_table, None);
    assert_eq!(
        spoke2.subnets[1].route_table.as_deref(),
        Some("corp-hub-rt")
    );
    // Peerings: a copy loop of child resources by full name, both ways.
    let peers: Vec<&str> = hub
        .peerings
        .iter()
        .map(|p| p.remote_vnet.as_str())
        .collect();
    assert_eq!(peers, ["corp-spoke1", "corp-spoke2"]);
    assert_eq!(d.vnets[1].peerings[0].remote_vnet, "corp-hub");
    assert!(d.vnets[1].peerings[0].allow_forwarded_traffic);
    // toUpper, property copy of rules with if() priorities and union() ports,
    // and a nested child rule.
    assert_eq!(d.asgs[0].name, "CORP-ASG-WEB");
    let nsg = &d.nsgs[0];
    assert_eq!(nsg.name, "corp-web-nsg");
    let rules: Vec<(&str, i64)> = nsg
        .rules
        .iter()
        .map(|r| (r.name.as_str(), r.priority))
        .collect();
    assert_eq!(
        rules,
        [
            ("allow-web", 100),
            ("deny-legacy", 200),
            ("allow-admin-ssh", 300)
        ]
    );
    assert_eq!(nsg.rules[0].destination_port_ranges, ["80", "443", "8443"]);
    assert_eq!(
        nsg.rules[0].destination_application_security_groups,
        ["CORP-ASG-WEB"]
    );
    assert_eq!(nsg.rules[1].destination_port_ranges, ["23", "21"]);
    assert_eq!(
        nsg.rules[2].source_address_prefixes,
        ["198.51.100.0/24", "203.0.113.8"]
    );
    assert_eq!(nsg.rules[2].destination_port_range.as_deref(), Some("22"));
    // The nested deployment (a module, inner scope) with its own parameters.
    assert_eq!(d.nsgs[1].name, "corp-db-nsg");
    assert_eq!(
        d.nsgs[1].rules[0].source_address_prefix.as_deref(),
        Some("10.61.0.0/16")
    );
    assert_eq!(
        d.nsgs[1].rules[0].destination_port_range.as_deref(),
        Some("1433")
    );
    // Routes: a nested child and a top-level one with a true condition.
    let rt = &d.route_tables[0];
    assert!(!rt.disable_bgp_route_propagation);
    assert_eq!(rt.routes.len(), 2);
    assert_eq!(
        rt.routes[0].next_hop_ip_address.as_deref(),
        Some("10.60.1.4")
    );
    // NICs: cidrHost address, ASG, public IP; the dynamic one gets one assigned.
    let web = &d.nics[0].ip_configurations[0];
    assert_eq!(web.private_ip_address, "10.61.0.10");
    assert_eq!(web.public_ip.as_deref(), Some("corp-web-pip"));
    assert_eq!(web.asgs, ["CORP-ASG-WEB"]);
    assert_eq!(
        d.nics[1].ip_configurations[0].private_ip_address,
        "10.61.1.4"
    );
    assert_eq!(d.vms[0].zone, Some(1));
    // What was left out, and what was assumed.
    assert!(skipped(&l, "corp-sandbox"));
    assert!(skipped(&l, "its condition is false"));
    assert!(skipped(&l, "natGateways/corp-nat"));
    assert!(assumed(&l, "resourceGroup() is not known offline"));
    assert!(assumed(
        &l,
        "$.parameters.adminPassword: parameter 'adminPassword' has no default value"
    ));
    assert!(assumed(
        &l,
        "corp-app-nic/ipConfigurations/ipconfig1 has no private address"
    ));
}

#[test]
fn flows_through_the_template_get_azures_verdicts() {
    let l = load(HUB_SPOKE).unwrap();
    let vm = "corp-web-vm";
    let ip = "10.61.0.10";
    // allow-web (priority 100) opens 80/443/8443 from the Internet to the ASG.
    assert_eq!(
        inbound(&l, vm, Protocol::Tcp, ip, 443, "203.0.113.77"),
        (Access::Allow, String::from("securityRules/allow-web"))
    );
    // Telnet is denied by deny-legacy before anything else.
    assert_eq!(
        inbound(&l, vm, Protocol::Tcp, ip, 23, "203.0.113.77"),
        (Access::Deny, String::from("securityRules/deny-legacy"))
    );
    // SSH from the admin range is allowed by the child rule, from elsewhere
    // it falls to Azure's DenyAllInBound.
    assert_eq!(
        inbound(&l, vm, Protocol::Tcp, ip, 22, "198.51.100.30"),
        (Access::Allow, String::from("securityRules/allow-admin-ssh"))
    );
    assert_eq!(
        inbound(&l, vm, Protocol::Tcp, ip, 22, "192.0.2.200"),
        (
            Access::Deny,
            String::from("defaultSecurityRules/DenyAllInBound")
        )
    );
    // The app subnet's route table sends the Internet to the firewall's
    // address; the template deploys only the firewall's subnet, not a device
    // at that address, so Azure shows the next hop as None (§5.2).
    let hop = next_hop(
        &l.network,
        Target::Nic(l.network.find_nic("corp-app-nic").unwrap()),
        "10.61.1.4".parse().unwrap(),
        "8.8.8.8".parse().unwrap(),
    )
    .unwrap();
    let hop = serde_json::to_value(&hop).unwrap();
    assert_eq!(hop["nextHopType"], "None");
    let routes = netsec_engine::routing::effective_routes(
        &l.network,
        l.network
            .nic(l.network.find_nic("corp-app-nic").unwrap())
            .unwrap()
            .ip_configs[0]
            .subnet,
    );
    let chosen =
        netsec_engine::routing::select(&l.network, &routes, "8.8.8.8".parse().unwrap()).unwrap();
    assert_eq!(chosen.next_hop_ip, Some("10.60.1.4".parse().unwrap()));
}

#[test]
fn a_parameters_file_overrides_defaults() {
    let l = load_with_parameters(HUB_SPOKE, Some(HUB_SPOKE_PARAMETERS)).unwrap();
    let d = &l.doc;
    let names: Vec<&str> = d.vnets.iter().map(|v| v.name.as_str()).collect();
    // spokeCount 1, and the Dev-only sandbox VNet is deployed.
    assert_eq!(names, ["fab-hub", "fab-spoke1", "fab-sandbox"]);
    assert!(d.route_tables[0].disable_bgp_route_propagation);
    assert_eq!(d.nsgs[0].rules[0].priority, 150);
    assert!(!d.vnets[1].peerings[0].allow_forwarded_traffic);
    // The Key Vault reference cannot be read: reported where it is used.
    assert!(assumed(
        &l,
        "$.resources[11].properties.osProfile.adminPassword: '[parameters('adminPassword')]' cannot be resolved offline (its value is a Key Vault secret reference"
    ));
}

#[test]
fn parameters_files_are_checked_against_the_template() {
    let bad = r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
        "contentVersion": "1.0.0.0", "parameters": {"prefix": {"value": "x"}, "bogus": {"value": 1}}}"#;
    let e = load_with_parameters(HUB_SPOKE, Some(bad)).unwrap_err();
    assert_eq!(e.location(), "parameters file, $.parameters.bogus");
    assert!(e.message().contains("declares no parameter 'bogus'"), "{e}");
    let bad = r#"{"parameters": {"environment": {"value": "Staging"}}}"#;
    let e = load_with_parameters(HUB_SPOKE, Some(bad)).unwrap_err();
    assert_eq!(
        e.location(),
        "parameters file, $.parameters.environment.value"
    );
    assert!(e.message().contains("not one of the values"), "{e}");
    let e = load_with_parameters(HUB_SPOKE, Some("{\"parameters\": ")).unwrap_err();
    assert!(e.location().starts_with("parameters file, line 1"), "{e}");
    let e =
        load_with_parameters(HUB_SPOKE, Some(r#"{"parameters": {"prefix": "x"}}"#)).unwrap_err();
    assert!(
        e.message().contains("neither a value nor a reference"),
        "{e}"
    );
}

#[test]
fn default_rules_written_out_are_recognised_once() {
    let l = load(DEFAULTS).unwrap();
    let nsg = &l.doc.nsgs[0];
    // The custom rule once (inline and as a resource), no default rule imported.
    assert_eq!(nsg.rules.len(), 1);
    assert_eq!(nsg.rules[0].name, "allow-rdp-jump");
    assert!(
        l.report.imported[0].contains("6 default rules recognised"),
        "{:?}",
        l.report.imported
    );
    assert!(assumed(
        &l,
        "1 default security rules written out as securityRules resources"
    ));
    assert_eq!(l.network.nsgs().next().unwrap().1.rules.len(), 1);
}

#[test]
fn unresolvable_values_are_reported_and_assumed_where_safe() {
    let l = load(UNRESOLVED).unwrap();
    let note = l
        .report
        .assumptions
        .iter()
        .find(|a| a.starts_with("$.resources[1].properties.ipConfigurations[0].properties.privateIPAddress: '[reference("))
        .unwrap();
    assert!(
        note.contains(
            "cannot be resolved offline (reference() reads the live state of a deployed resource"
        ),
        "{note}"
    );
    assert!(assumed(
        &l,
        "ops-nic/ipConfigurations/ipconfig1 has no private address in the input; it gets 10.80.1.4"
    ));
    assert_eq!(
        l.doc.nics[0].ip_configurations[0].private_ip_address,
        "10.80.1.4"
    );
    // Where no value is safe (a rule's priority), it is an error at its place.
    let e = load(UNRESOLVED_PRIORITY).unwrap_err();
    assert_eq!(
        e.location(),
        "$.resources[0].properties.securityRules[0].properties.priority"
    );
    assert!(e.message().contains("has no priority"), "{e}");
    assert!(
        e.message()
            .contains("cannot be resolved offline: reference()"),
        "{e}"
    );
}

#[test]
fn bicep_compiled_templates_import_the_same_way() {
    let l = load(BICEP_EDGE).unwrap();
    let d = &l.doc;
    assert_eq!(d.vnets[0].name, "edge-prod-vnet");
    // take(format(..., uniqueString(...)), 24): deterministic, reported.
    let nsg = &d.nsgs[0];
    assert!(
        nsg.name.starts_with("edge-nsg-") && nsg.name.len() <= 24,
        "{}",
        nsg.name
    );
    assert_eq!(
        d.vnets[0].subnets[0].nsg.as_deref(),
        Some(nsg.name.as_str())
    );
    assert!(assumed(
        &l,
        "uniqueString() and guid() give deterministic stand-ins"
    ));
    let rules: Vec<(&str, Option<&str>)> = nsg
        .rules
        .iter()
        .map(|r| (r.name.as_str(), r.destination_port_range.as_deref()))
        .collect();
    assert_eq!(
        rules,
        [("allow-https", Some("443")), ("allow-http", Some("80"))]
    );
    // The module's route table, from its nested deployment.
    assert_eq!(d.route_tables[0].name, "edge-rt");
    assert_eq!(
        d.route_tables[0].routes[0].next_hop_ip_address.as_deref(),
        Some("10.90.0.4")
    );
    // The existing VNet is only referred to; the peering to it is reported.
    assert!(skipped(&l, "shared-services-vnet"));
    assert!(skipped(&l, "declared `existing`"));
    // stage=dev: the peering's condition is false.
    let dev = r#"{"parameters": {"stage": {"value": "dev"}}}"#;
    let l = load_with_parameters(BICEP_EDGE, Some(dev)).unwrap();
    assert_eq!(l.doc.vnets[0].name, "edge-dev-vnet");
    assert!(skipped(&l, "its condition is false"));
}

#[test]
fn errors_point_into_the_template() {
    // A parameter with no default that a rule needs.
    let text = format!(
        r#"{{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
            "parameters": {{"basePriority": {{"type": "int"}}}},
            "resources": [{{"type": "Microsoft.Network/networkSecurityGroups", "name": "n", "location": "westeurope",
              "properties": {{"securityRules": [{{"name": "r", "properties": {{"priority": "[parameters('basePriority')]", {NSG_RULE}}}}}]}}}}]}}"#
    );
    let e = load(&text).unwrap_err();
    assert_eq!(
        e.location(),
        "$.resources[0].properties.securityRules[0].properties.priority"
    );
    assert!(
        e.message()
            .contains("parameter 'basePriority' (int) has no default value"),
        "{e}"
    );
    // An unknown function.
    let e = load(&template(
        r#"[{"type": "Microsoft.Network/networkSecurityGroups", "name": "[concatt('a', 'b')]"}]"#,
    ))
    .unwrap_err();
    assert_eq!(e.location(), "$.resources[0].name");
    assert_eq!(
        e.message(),
        "unknown template function 'concatt', in '[concatt('a', 'b')]'"
    );
    // A circular variable.
    let text = r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "variables": {"a": "[concat(variables('b'), '-x')]", "b": "[variables('a')]"},
        "resources": [{"type": "Microsoft.Network/networkSecurityGroups", "name": "[variables('a')]"}]}"#;
    let e = load(text).unwrap_err();
    assert!(e.location().starts_with("$.variables."), "{e}");
    assert!(e.message().contains("circular: a → b → a"), "{e}");
    // Broken JSON: line and column.
    let e = load("{\"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\",\n  \"resources\": [\n    {\"type\": }\n  ]\n}").unwrap_err();
    assert_eq!(e.location(), "line 3, column 14");
    assert!(e.message().contains("not valid JSON"), "{e}");
    // An expression that does not parse.
    let e = load(&template(
        r#"[{"type": "Microsoft.Network/networkSecurityGroups", "name": "[concat('a', ]"}]"#,
    ))
    .unwrap_err();
    assert_eq!(e.location(), "$.resources[0].name");
    assert!(e.message().contains("cannot be read"), "{e}");
    // A name that does not fit its type.
    let e = load(&template(r#"[{"type": "Microsoft.Network/virtualNetworks/subnets", "name": "lonely", "properties": {}}]"#)).unwrap_err();
    assert_eq!(e.location(), "$.resources[0].name");
    assert!(e.message().contains("needs 2 segments"), "{e}");
    // A copy loop past Azure's limit.
    let e = load(&template(r#"[{"type": "Microsoft.Network/networkSecurityGroups", "name": "[concat('n', copyIndex())]", "copy": {"name": "l", "count": 801}}]"#)).unwrap_err();
    assert_eq!(e.location(), "$.resources[0].copy.count");
    // copyIndex() outside a loop.
    let e = load(&template(r#"[{"type": "Microsoft.Network/networkSecurityGroups", "name": "[concat('n', copyIndex())]"}]"#)).unwrap_err();
    assert!(e.message().contains("outside a resource copy loop"), "{e}");
}

#[test]
fn model_errors_in_copied_properties_point_at_the_copy_input() {
    let text = template(
        r#"[{"type": "Microsoft.Network/networkSecurityGroups", "name": "n", "location": "westeurope",
            "properties": {"copy": [{"name": "securityRules", "count": 3, "input": {
              "name": "[concat('r', copyIndex('securityRules'))]",
              "properties": {"priority": "[add(4000, mul(copyIndex('securityRules'), 90))]",
                "direction": "Inbound", "access": "Allow", "protocol": "Tcp", "sourceAddressPrefix": "*",
                "sourcePortRange": "*", "destinationAddressPrefix": "*", "destinationPortRange": "443"}}}]}}]"#,
    );
    let e = load(&text).unwrap_err();
    assert_eq!(
        e.location(),
        "$.resources[0].properties.copy[0].input.properties.priority"
    );
    assert!(e.message().contains("4180"), "{e}");
    assert!(e.message().contains("SecurityRuleInvalidPriority"), "{e}");
}

#[test]
fn deep_and_huge_templates_fail_cleanly() {
    // JSON nested past serde_json's limit.
    let deep = format!(
        "{{\"$schema\": \"deploymentTemplate\", \"resources\": {}{}}}",
        "[".repeat(5000),
        "]".repeat(5000)
    );
    let e = load(&deep).unwrap_err();
    assert!(e.location().starts_with("line 1"), "{e}");
    // Expressions nested past the parser's limit.
    let nested = format!("[{}'x'{}]", "concat(".repeat(200), ")".repeat(200));
    let e = load(&template(&format!(
        r#"[{{"type": "Microsoft.Network/networkSecurityGroups", "name": "{nested}"}}]"#
    )))
    .unwrap_err();
    assert!(e.message().contains("nests more than"), "{e}");
}

#[test]
fn a_20_mb_template_imports() {
    // 500 NSGs of 100 rules each, written out: about 20 MB.
    let mut resources = Vec::new();
    for n in 0..500 {
        let rules: Vec<String> = (0..100)
            .map(|r| {
                format!(
                    r#"{{"name": "rule-{r:03}-allow-https-from-the-partner-network-{n}", "properties": {{"priority": {}, "direction": "Inbound", "access": "Allow", "protocol": "Tcp", "sourceAddressPrefix": "[concat('10.', string({}), '.0.0/16')]", "sourcePortRange": "*", "destinationAddressPrefix": "*", "destinationPortRanges": ["443", "8443", "9443"], "description": "Rule {r} of NSG {n}: written out long, as exported templates are."}}}}"#,
                    100 + r,
                    r % 250
                )
            })
            .collect();
        resources.push(format!(
            r#"{{"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2024-05-01", "name": "nsg-{n:04}", "location": "westeurope", "properties": {{"securityRules": [{}]}}}}"#,
            rules.join(",\n")
        ));
    }
    let text = template(&format!("[{}]", resources.join(",\n")));
    assert!(text.len() > 20 * 1000 * 1000, "{} bytes", text.len());
    let l = load(&text).unwrap();
    assert_eq!(l.doc.nsgs.len(), 500);
    assert_eq!(l.doc.nsgs[499].rules.len(), 100);
    assert_eq!(
        l.doc.nsgs[3].rules[7].source_address_prefix.as_deref(),
        Some("10.7.0.0/16")
    );
}

#[test]
fn peerings_nested_in_their_vnet() {
    let text = template(
        r#"[
      {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2024-05-01", "name": "east", "location": "eastus",
       "properties": {"addressSpace": {"addressPrefixes": ["10.30.0.0/16"]}},
       "resources": [
         {"type": "virtualNetworkPeerings", "apiVersion": "2024-05-01", "name": "east-to-west",
          "dependsOn": ["east", "[resourceId('Microsoft.Network/virtualNetworks', 'west')]"],
          "properties": {"remoteVirtualNetwork": {"id": "[resourceId('Microsoft.Network/virtualNetworks', 'west')]"},
                         "allowGatewayTransit": true}}
       ]},
      {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2024-05-01", "name": "west", "location": "westus",
       "properties": {"addressSpace": {"addressPrefixes": ["10.31.0.0/16"]}},
       "resources": [
         {"type": "Microsoft.Network/virtualNetworks/virtualNetworkPeerings", "apiVersion": "2024-05-01", "name": "west/west-to-east",
          "properties": {"remoteVirtualNetwork": {"id": "[resourceId('Microsoft.Network/virtualNetworks', 'east')]"}}}
       ]}
    ]"#,
    );
    let l = load(&text).unwrap();
    let east = &l.doc.vnets[0];
    assert_eq!(east.peerings[0].name, "east-to-west");
    assert_eq!(east.peerings[0].remote_vnet, "west");
    assert!(east.peerings[0].allow_gateway_transit);
    // A child written with its full type and name inside its parent.
    assert_eq!(l.doc.vnets[1].peerings[0].remote_vnet, "east");
    assert!(l.network.peering_connected(
        l.network.find_vnet("east").unwrap(),
        l.network.find_vnet("west").unwrap()
    ));
}

/// Shapes that modules compiled from Bicep use and Azure deploys: a nullable
/// parameter left out, a false condition or `existing` on a resource whose
/// name only resolves when deployed, and an `int` parameter as a port range.
#[test]
fn compiled_bicep_module_shapes_deploy_as_in_azure() {
    let template = r#"{
      "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
      "contentVersion": "1.0.0.0",
      "parameters": {
        "tags": { "type": "object", "nullable": true },
        "maintenance": { "type": "object", "nullable": true },
        "rpcPort": { "type": "int", "defaultValue": 8540 },
        "pipName": { "type": "string", "defaultValue": "" }
      },
      "resources": {
        "nsg": {
          "type": "Microsoft.Network/networkSecurityGroups",
          "apiVersion": "2024-05-01",
          "name": "nsg-rpc",
          "location": "westeurope",
          "tags": "[parameters('tags')]",
          "properties": { "securityRules": [ {
            "name": "allow-rpc",
            "properties": {
              "priority": 100, "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
              "sourceAddressPrefix": "*", "sourcePortRange": "*",
              "destinationAddressPrefix": "*",
              "destinationPortRange": "[parameters('rpcPort')]"
            } } ] }
        },
        "assignment": {
          "condition": "[not(empty(parameters('maintenance')))]",
          "type": "Microsoft.Maintenance/configurationAssignments",
          "apiVersion": "2023-04-01",
          "name": "[parameters('maintenance').name]",
          "properties": {}
        },
        "pip": {
          "condition": "[not(empty(parameters('pipName')))]",
          "existing": true,
          "type": "Microsoft.Network/publicIPAddresses",
          "apiVersion": "2024-05-01",
          "name": "[parameters('pipName')]"
        }
      }
    }"#;
    let l = load(template).unwrap();
    let rule = &l.doc.nsgs[0].rules[0];
    assert_eq!(rule.destination_port_range.as_deref(), Some("8540"));
    assert!(skipped(
        &l,
        "Microsoft.Maintenance/configurationAssignments at"
    ));
    assert!(skipped(&l, "its condition is false"));
    assert_eq!(l.report.skipped.len(), 2, "{:?}", l.report.skipped);
}

/// A load balancer frontend with a static address in a subnet the template
/// does not deploy is reported, as a NIC there is, not an error.
#[test]
fn a_frontend_in_a_subnet_outside_the_template_is_reported() {
    let template = r#"{
      "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
      "contentVersion": "1.0.0.0",
      "resources": [ {
        "type": "Microsoft.Network/loadBalancers", "apiVersion": "2023-04-01",
        "name": "lb1", "location": "westeurope", "sku": { "name": "Standard" },
        "properties": { "frontendIPConfigurations": [ { "name": "fe", "properties": {
          "privateIPAddress": "10.0.0.20", "privateIPAllocationMethod": "Static",
          "subnet": { "id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet-existing', 'snet')]" }
        } } ] }
      } ]
    }"#;
    let l = load(template).unwrap();
    assert!(l.doc.load_balancers.is_empty());
    assert!(skipped(&l, "its subnet is not in the input"));
}

/// The next hop of `route` in `table`, as imported.
fn hop<'a>(l: &'a Loaded, table: &str, route: &str) -> Option<&'a str> {
    l.doc
        .route_tables
        .iter()
        .find(|t| t.name == table)?
        .routes
        .iter()
        .find(|r| r.name == route)?
        .next_hop_ip_address
        .as_deref()
}

#[test]
fn a_route_to_a_firewalls_referenced_address_gets_the_address_the_firewall_gets() {
    let l = load(FIREWALL_NEXT_HOP).unwrap();
    let fw = &l.doc.firewalls[0];
    assert_eq!(fw.private_ip_address, "10.0.1.4");
    // Inline route (reference(id, version)) and a separate route resource
    // (reference(id, version, 'Full').properties...).
    assert_eq!(
        hop(&l, "workload-rt", "default-via-firewall"),
        Some("10.0.1.4")
    );
    assert_eq!(hop(&l, "workload-rt", "hub-via-firewall"), Some("10.0.1.4"));
    // By name, to an NVA's NIC with a dynamic address.
    assert_eq!(hop(&l, "workload-rt", "partner-via-nva"), Some("10.0.2.4"));
    assert!(assumed(
        &l,
        "default-via-firewall: the next hop is azureFirewalls/hub-fw's private address"
    ));
    // A firewall not in the template: the route is left out, and said so.
    assert_eq!(hop(&l, "workload-rt", "onprem-via-gone-firewall"), None);
    assert!(
        l.report
            .skipped
            .iter()
            .any(|(w, y)| w.ends_with("routes/onprem-via-gone-firewall")
                && y.contains("azureFirewalls/old-fw, which is not in the input"))
    );
    assert!(
        l.report
            .imported
            .iter()
            .any(|line| line == "routeTables/workload-rt (3 routes)")
    );
    // The route works: the workload's Internet traffic goes to the firewall,
    // whose rule allows 443 and whose default denies the rest.
    let h = next_hop(
        &l.network,
        Target::Nic(l.network.find_nic("app-nic").unwrap()),
        "10.0.3.4".parse().unwrap(),
        "1.1.1.1".parse().unwrap(),
    )
    .unwrap();
    assert_eq!(h.next_hop_ip_address, Some("10.0.1.4".parse().unwrap()));
    let verdict = |port| {
        let flow = netsec_engine::Flow::new(
            Protocol::Tcp,
            "10.0.3.4".parse().unwrap(),
            50000,
            "1.1.1.1".parse().unwrap(),
            port,
        );
        let t = netsec_engine::path::trace(&l.network, &flow);
        (t.verdict, t.denied_at().map(|s| s.layer))
    };
    assert_eq!(verdict(443), (netsec_engine::trace::Verdict::Allowed, None));
    assert_eq!(
        verdict(80),
        (
            netsec_engine::trace::Verdict::Denied,
            Some(netsec_engine::trace::Layer::VnetFirewall)
        )
    );
}

#[test]
fn a_symbolic_reference_to_a_firewall_resolves_to_its_address() {
    let l = load(FIREWALL_SYMBOLIC).unwrap();
    assert_eq!(l.doc.firewalls[0].name, "afw-northeurope");
    assert_eq!(hop(&l, "rt-spoke", "route-all-to-afw"), Some("10.10.0.68"));
}

#[test]
fn a_reference_outside_a_next_hop_is_still_left_out() {
    // A NIC address copied from another NIC with reference(): not a route's
    // next hop, so it stays unresolved (the NIC gets an address of its own).
    let l = load(UNRESOLVED).unwrap();
    assert!(assumed(&l, "cannot be resolved offline"));
}

/// A template from before Standard was the default: neither the load
/// balancer nor its dynamic public IP names a SKU. Both are Basic (the only
/// pair that deploys), not a Standard load balancer refused for its Basic IP.
#[test]
fn a_load_balancer_without_a_sku_in_front_of_a_dynamic_ip_is_basic() {
    let t = template(
        r#"[
        {"type": "Microsoft.Network/publicIPAddresses", "apiVersion": "2020-06-01", "name": "lb-ip",
         "location": "westeurope", "properties": {"publicIPAllocationMethod": "Dynamic"}},
        {"type": "Microsoft.Network/loadBalancers", "apiVersion": "2020-06-01", "name": "lb",
         "location": "westeurope",
         "dependsOn": ["[resourceId('Microsoft.Network/publicIPAddresses', 'lb-ip')]"],
         "properties": {"frontendIPConfigurations": [{"name": "fe", "properties": {
             "publicIPAddress": {"id": "[resourceId('Microsoft.Network/publicIPAddresses', 'lb-ip')]"}}}]}}
    ]"#,
    );
    let l = load(&t).unwrap();
    assert_eq!(l.doc.public_ips[0].sku, "Basic");
    assert_eq!(l.doc.load_balancers[0].sku, "Basic");
    assert!(assumed(
        &l,
        "loadBalancers/lb has no SKU in the input and a frontend uses the Basic public IP lb-ip"
    ));
    // A static IP without a SKU is Standard, and so is the load balancer.
    let l = load(&t.replace("Dynamic", "Static")).unwrap();
    assert_eq!(l.doc.public_ips[0].sku, "Standard");
    assert_eq!(l.doc.load_balancers[0].sku, "Standard");
}

/// `reference()` to resources of the same template: what the template gives
/// the resource is read back (a subnet's prefix), and a public IP's address,
/// which Azure allocates, is one placeholder shared by the IP and every rule
/// that reads it.
#[test]
fn references_to_the_templates_own_resources_read_what_it_gives_them() {
    let subnet = "resourceId('Microsoft.Network/virtualNetworks/subnets', 'v', 'web')";
    let pip = "resourceId('Microsoft.Network/publicIPAddresses/', 'fw-ip')";
    let t = template(&format!(
        r#"[
        {{"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-04-01", "name": "v", "location": "westeurope",
          "properties": {{"addressSpace": {{"addressPrefixes": ["10.5.0.0/16"]}}, "subnets": [
            {{"name": "AzureFirewallSubnet", "properties": {{"addressPrefix": "10.5.0.0/26"}}}},
            {{"name": "web", "properties": {{"addressPrefix": "10.5.1.0/24"}}}}]}}}},
        {{"type": "Microsoft.Network/publicIPAddresses", "apiVersion": "2023-04-01", "name": "fw-ip", "location": "westeurope",
          "sku": {{"name": "Standard"}}, "properties": {{"publicIPAllocationMethod": "Static"}}}},
        {{"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2023-04-01", "name": "nsg", "location": "westeurope",
          "properties": {{"securityRules": [{{"name": "from-web", "properties": {{"priority": 100,
            "direction": "Inbound", "access": "Allow", "protocol": "Tcp", "sourcePortRange": "*",
            "sourceAddressPrefix": "[reference({subnet}, '2023-04-01').addressPrefix]",
            "destinationAddressPrefix": "*", "destinationPortRange": "22"}}}}]}}}},
        {{"type": "Microsoft.Network/azureFirewalls", "apiVersion": "2023-04-01", "name": "fw", "location": "westeurope",
          "properties": {{"ipConfigurations": [{{"name": "c", "properties": {{
              "subnet": {{"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'v', 'AzureFirewallSubnet')]"}},
              "publicIPAddress": {{"id": "[{pip}]"}}}}}}],
            "natRuleCollections": [{{"name": "dnat", "properties": {{"priority": 100, "action": {{"type": "Dnat"}},
              "rules": [{{"name": "ssh", "protocols": ["TCP"], "sourceAddresses": ["*"],
                "destinationAddresses": ["[reference({pip}).ipAddress]"], "destinationPorts": ["22"],
                "translatedAddress": "10.5.1.4", "translatedPort": "22"}}]}}}}]}}}}
    ]"#
    ));
    let l = load(&t).unwrap();
    assert_eq!(l.doc.public_ips[0].address, "20.255.0.1");
    let rule = &l.doc.nsgs[0].rules[0];
    assert_eq!(rule.source_address_prefix.as_deref(), Some("10.5.1.0/24"));
    assert_eq!(
        l.doc.firewalls[0].rule_collections[0].rules[0].destination_addresses,
        ["20.255.0.1"]
    );
    assert!(
        assumed(
            &l,
            "reads virtualNetworks/v/subnets/web, which this template deploys"
        ),
        "{:?}",
        l.report.assumptions
    );
    assert!(assumed(
        &l,
        "publicIPAddresses/fw-ip gets its address from Azure at deployment"
    ));
    // A reference to a resource the template does not deploy stays unresolved.
    let l = load(&t.replace(
        "[reference(resourceId('Microsoft.Network/virtualNetworks/subnets', 'v', 'web'), '2023-04-01').addressPrefix]",
        "10.5.1.0/24",
    ).replace("publicIPAddresses/', 'fw-ip')).ipAddress", "publicIPAddresses/', 'other-ip')).ipAddress"));
    let e = l.unwrap_err();
    assert!(
        e.message().contains("which cannot be resolved offline"),
        "{e}"
    );
    assert!(
        e.location()
            .contains("natRuleCollections[0].properties.rules[0]"),
        "{e}"
    );
}

/// A parameter without a value gets its own name as a placeholder; when
/// that placeholder is what is wrong, the error says where it came from.
#[test]
fn an_error_on_a_placeholder_names_the_parameter_without_a_value() {
    let t = r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "contentVersion": "1.0.0.0",
        "parameters": {"spacePrefix": {"type": "string"}},
        "resources": [{"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-04-01",
            "name": "v", "location": "westeurope",
            "properties": {"addressSpace": {"addressPrefixes": ["[parameters('spacePrefix')]"]}}}]}"#;
    let e = load(t).unwrap_err();
    assert_eq!(
        e.location(),
        "$.resources[0].properties.addressSpace.addressPrefixes[0]"
    );
    assert!(
        e.message().ends_with(
            "(parameter 'spacePrefix' has no value, so its own name stands in for it: give it a value in a parameters file (--parameters FILE))"
        ),
        "{e}"
    );
    let given = r#"{"parameters": {"spacePrefix": {"value": "10.9.0.0/16"}}}"#;
    assert!(load_with_parameters(t, Some(given)).is_ok());
    // Also when an expression over the placeholder fails, and only once.
    let sliced = t.replace(
        "\"[parameters('spacePrefix')]\"",
        "\"[substring(parameters('spacePrefix'), 0, 20)]\"",
    );
    let e = load(&sliced).unwrap_err();
    assert!(
        e.message()
            .contains("substring(0, 20) is outside the string"),
        "{e}"
    );
    assert_eq!(
        e.message()
            .matches("(parameter 'spacePrefix' has no value")
            .count(),
        1,
        "{e}"
    );
}

/// Comments, multi-line strings and trailing commas, which Azure accepts in
/// templates; a syntax error after them is reported at the file's own line.
#[test]
fn templates_may_hold_comments_multi_line_strings_and_trailing_commas() {
    let t = "{\n  // a template written by hand\n  \"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\",\n  \"contentVersion\": \"1.0.0.0\",\n  \"variables\": { \"note\": \"two\nlines\" },\n  \"resources\": [\n    /* the network */\n    {\"type\": \"Microsoft.Network/virtualNetworks\", \"apiVersion\": \"2023-04-01\", \"name\": \"v\", \"location\": \"westeurope\",\n     \"properties\": {\"addressSpace\": {\"addressPrefixes\": [\"10.0.0.0/16\",]}}},\n  ]\n}\n";
    let l = load(t).unwrap();
    assert_eq!(l.format, SourceFormat::ArmTemplate);
    assert_eq!(l.doc.vnets[0].address_space, ["10.0.0.0/16"]);
    // `"oops"` is on line 9 of the file (line 8 once the string's line break
    // is escaped), where the error points.
    let broken = t.replace("\"name\": \"v\",", "\"name\": \"v\" \"oops\",");
    let e = load(&broken).unwrap_err();
    let line9 = broken.lines().nth(8).unwrap();
    let column = line9.find("\"oops\"").unwrap() + 1;
    assert_eq!(e.location(), format!("line 9, column {column}"), "{e}");
    // A parameters file with a comment.
    let p = "{\"parameters\": {} // none\n}";
    assert!(load_with_parameters(t, Some(p)).is_ok());
}

/// The same in a template: `reference(nic).ipConfigurations[0].properties
/// .privateIPAddress` as a rule's destination, the NIC allocated dynamically.
#[test]
fn a_rule_prefix_read_with_reference_from_a_dynamic_nic() {
    let t = template(
        r#"[
        {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-04-01", "name": "v", "location": "westeurope",
         "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
           "subnets": [{"name": "s", "properties": {"addressPrefix": "10.0.2.0/24"}}]}},
        {"type": "Microsoft.Network/networkInterfaces", "apiVersion": "2023-04-01", "name": "web-nic", "location": "westeurope",
         "properties": {"ipConfigurations": [{"name": "primary", "properties": {"privateIPAllocationMethod": "Dynamic",
           "subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'v', 's')]"}}}]}},
        {"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2023-04-01", "name": "nsg", "location": "westeurope",
         "properties": {"securityRules": [{"name": "tls", "properties": {"priority": 100, "direction": "Inbound",
           "access": "Allow", "protocol": "Tcp", "sourceAddressPrefix": "*", "sourcePortRange": "*",
           "destinationAddressPrefix": "[reference(resourceId('Microsoft.Network/networkInterfaces', 'web-nic')).ipConfigurations[0].properties.privateIPAddress]",
           "destinationPortRange": "443"}}]}}
    ]"#,
    );
    let l = load(&t).unwrap();
    assert_eq!(
        l.doc.nsgs[0].rules[0].destination_address_prefix.as_deref(),
        Some("10.0.2.4")
    );
    // The NIC not in the template: an error at the rule, naming what is missing.
    let e = load(&t.replace(
        "networkInterfaces', 'web-nic')).ipConfigurations",
        "networkInterfaces', 'gone-nic')).ipConfigurations",
    ))
    .unwrap_err();
    assert!(
        e.location()
            .ends_with("securityRules[0].properties.destinationAddressPrefix"),
        "{e}"
    );
    assert!(e.message().contains("cannot be resolved offline"), "{e}");
}

/// Microsoft's firewall sandbox shape: an application rule with no source
/// addresses and the target `*microsoft.com`. Both readings are assumptions
/// (any source; a plain suffix), and the sample's intent holds: the server
/// reaches www.microsoft.com through the firewall and nothing else.
#[test]
fn a_sandbox_application_rule_without_sources_matches_any_source() {
    let t = template(
        r#"[
        {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2020-05-01", "name": "v", "location": "westeurope",
         "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]}, "subnets": [
           {"name": "AzureFirewallSubnet", "properties": {"addressPrefix": "10.0.1.0/24"}},
           {"name": "servers", "properties": {"addressPrefix": "10.0.2.0/24",
             "routeTable": {"id": "[resourceId('Microsoft.Network/routeTables', 'rt')]"}}}]}},
        {"type": "Microsoft.Network/routeTables", "apiVersion": "2020-05-01", "name": "rt", "location": "westeurope",
         "properties": {"routes": [{"name": "default", "properties": {"addressPrefix": "0.0.0.0/0",
           "nextHopType": "VirtualAppliance", "nextHopIpAddress": "10.0.1.4"}}]}},
        {"type": "Microsoft.Network/publicIPAddresses", "apiVersion": "2020-05-01", "name": "fw-ip", "location": "westeurope",
         "sku": {"name": "Standard"}, "properties": {"publicIPAllocationMethod": "Static"}},
        {"type": "Microsoft.Network/azureFirewalls", "apiVersion": "2020-05-01", "name": "fw", "location": "westeurope",
         "properties": {"ipConfigurations": [{"name": "c", "properties": {
             "subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'v', 'AzureFirewallSubnet')]"},
             "publicIPAddress": {"id": "[resourceId('Microsoft.Network/publicIPAddresses', 'fw-ip')]"}}}],
           "applicationRuleCollections": [{"name": "appRc1", "properties": {"priority": 101, "action": {"type": "Allow"},
             "rules": [{"name": "appRule1", "protocols": [{"port": "443", "protocolType": "https"}],
               "targetFqdns": ["*microsoft.com"]}]}}]}},
        {"type": "Microsoft.Network/networkInterfaces", "apiVersion": "2020-05-01", "name": "server-nic", "location": "westeurope",
         "properties": {"ipConfigurations": [{"name": "c", "properties": {"privateIPAllocationMethod": "Dynamic",
           "subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'v', 'servers')]"}}}]}},
        {"type": "Microsoft.Compute/virtualMachines", "apiVersion": "2020-06-01", "name": "server", "location": "westeurope",
         "properties": {"networkProfile": {"networkInterfaces": [{"id": "[resourceId('Microsoft.Network/networkInterfaces', 'server-nic')]"}]}}}
    ]"#,
    );
    let l = load(&t).unwrap();
    assert_eq!(
        l.doc.firewalls[0].rule_collections[0].rules[0].source_addresses,
        ["*"]
    );
    assert!(assumed(
        &l,
        "appRule1 names no source addresses or IP groups; it is taken to match any source (*)"
    ));
    let trace = |host: &str| {
        let flow = netsec_engine::Flow::new(
            Protocol::Tcp,
            "10.0.2.4".parse().unwrap(),
            50000,
            "13.107.21.200".parse().unwrap(),
            443,
        );
        netsec_engine::path::trace_with_host(&l.network, &flow, Some(host))
    };
    let t = trace("www.microsoft.com");
    assert_eq!(
        t.verdict,
        netsec_engine::trace::Verdict::Allowed,
        "{:?}",
        t.denied_at()
    );
    assert!(
        t.steps
            .iter()
            .flat_map(|s| &s.notes)
            .any(|n| n.text.contains("*contoso.com"))
    );
    assert_eq!(
        trace("www.example.com").verdict,
        netsec_engine::trace::Verdict::Denied
    );
}

/// `reference()` to a child declared as its own resource (`hub/web`), and a
/// reference whose value is itself read with `reference()`.
#[test]
fn references_to_child_resources_and_chains_of_references_resolve() {
    let subnet = "resourceId('Microsoft.Network/virtualNetworks/subnets', 'hub', 'web')";
    let rule = |name: &str, source: &str| {
        format!(
            r#"{{"name": "{name}", "properties": {{"priority": 100, "direction": "Inbound", "access": "Allow",
               "protocol": "Tcp", "sourcePortRange": "*", "destinationAddressPrefix": "*",
               "destinationPortRange": "443", "sourceAddressPrefix": "{source}"}}}}"#
        )
    };
    let t = template(&format!(
        r#"[
        {{"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-04-01", "name": "hub", "location": "westeurope",
          "properties": {{"addressSpace": {{"addressPrefixes": ["10.0.0.0/16"]}}}}}},
        {{"type": "Microsoft.Network/virtualNetworks/subnets", "apiVersion": "2023-04-01", "name": "hub/web",
          "properties": {{"addressPrefix": "10.0.3.0/24"}}}},
        {{"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2023-04-01", "name": "first", "location": "westeurope",
          "properties": {{"securityRules": [{}]}}}},
        {{"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2023-04-01", "name": "second", "location": "westeurope",
          "properties": {{"securityRules": [{}]}}}}
    ]"#,
        rule("from-web", &format!("[reference({subnet}).addressPrefix]")),
        rule(
            "copied",
            "[reference(resourceId('Microsoft.Network/networkSecurityGroups', 'first')).securityRules[0].properties.sourceAddressPrefix]"
        ),
    ));
    let l = load(&t).unwrap();
    let prefix = |nsg: usize| l.doc.nsgs[nsg].rules[0].source_address_prefix.as_deref();
    assert_eq!(prefix(0), Some("10.0.3.0/24"));
    assert_eq!(prefix(1), Some("10.0.3.0/24"));
    assert!(assumed(&l, "(itself read with reference()) is used"));
}

/// A template that opens with a comment, with a script whose lines look like
/// source code (`import os`, `param x`), is still read as a template.
#[test]
fn a_template_opening_with_a_comment_is_not_sniffed_as_source() {
    let t = "// Deploys a network\n{\n  \"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\",\n  \"contentVersion\": \"1.0.0.0\",\n  \"variables\": { \"script\": \"#!/usr/bin/env python3\nimport os\nparam x\n\" },\n  \"resources\": [{\"type\": \"Microsoft.Network/virtualNetworks\", \"apiVersion\": \"2023-04-01\", \"name\": \"v\", \"location\": \"westeurope\", \"properties\": {\"addressSpace\": {\"addressPrefixes\": [\"10.0.0.0/16\"]}}}]\n}\n";
    let l = load(t).unwrap();
    assert_eq!(l.format, SourceFormat::ArmTemplate);
    assert_eq!(l.doc.vnets.len(), 1);
}

/// The shapes of Microsoft's firewall lab templates: a DNAT rule listening on
/// `first(split(reference(ip).ipAddress, ','))` and translating to
/// `reference(nic).ipConfigurations[0].properties.privateIPAddress`, both
/// assigned by Azure at deployment. The public IP's placeholder is given
/// inside the functions, and the NIC's address is the one this import gives
/// it; the DNAT reaches the VM.
#[test]
fn a_dnat_rule_on_referenced_public_and_private_addresses_reaches_the_vm() {
    let t = template(
        r#"[
        {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2020-05-01", "name": "v", "location": "westeurope",
         "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]}, "subnets": [
           {"name": "AzureFirewallSubnet", "properties": {"addressPrefix": "10.0.1.0/24"}},
           {"name": "servers", "properties": {"addressPrefix": "10.0.2.0/24"}}]}},
        {"type": "Microsoft.Network/publicIPAddresses", "apiVersion": "2020-05-01", "name": "fw-ip", "location": "westeurope",
         "sku": {"name": "Standard"}, "properties": {"publicIPAllocationMethod": "Static"}},
        {"type": "Microsoft.Network/networkInterfaces", "apiVersion": "2020-05-01", "name": "server-nic", "location": "westeurope",
         "properties": {"ipConfigurations": [{"name": "c", "properties": {"privateIPAllocationMethod": "Dynamic",
           "subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'v', 'servers')]"}}}]}},
        {"type": "Microsoft.Network/firewallPolicies", "apiVersion": "2020-05-01", "name": "pol", "location": "westeurope",
         "properties": {}},
        {"type": "Microsoft.Network/firewallPolicies/ruleCollectionGroups", "apiVersion": "2020-05-01",
         "name": "pol/DefaultDnatRuleCollectionGroup",
         "properties": {"priority": 100, "ruleCollections": [{"ruleCollectionType": "FirewallPolicyNatRuleCollection",
           "name": "RemoteIn", "priority": 100, "action": {"type": "Dnat"},
           "rules": [{"ruleType": "NatRule", "name": "RDP", "ipProtocols": ["TCP"], "sourceAddresses": ["*"],
             "destinationAddresses": ["[first(split(reference(resourceId('Microsoft.Network/publicIPAddresses', 'fw-ip'), '2020-05-01').ipAddress, ','))]"],
             "destinationPorts": ["3389"],
             "translatedAddress": "[reference(resourceId('Microsoft.Network/networkInterfaces', 'server-nic')).ipConfigurations[0].properties.privateIPAddress]",
             "translatedPort": "3389"}]}]}},
        {"type": "Microsoft.Network/azureFirewalls", "apiVersion": "2020-05-01", "name": "fw", "location": "westeurope",
         "properties": {"firewallPolicy": {"id": "[resourceId('Microsoft.Network/firewallPolicies', 'pol')]"},
           "ipConfigurations": [{"name": "c", "properties": {
             "subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'v', 'AzureFirewallSubnet')]"},
             "publicIPAddress": {"id": "[resourceId('Microsoft.Network/publicIPAddresses', 'fw-ip')]"}}}]}}
    ]"#,
    );
    let l = load(&t).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(l.doc.public_ips[0].address, "20.255.0.1");
    assert!(assumed(
        &l,
        "publicIPAddresses/fw-ip gets its address from Azure"
    ));
    assert!(assumed(
        &l,
        "(translatedAddress): networkInterfaces/server-nic (c)'s private address"
    ));
    let flow = netsec_engine::Flow::new(
        Protocol::Tcp,
        "203.0.113.9".parse().unwrap(),
        50000,
        "20.255.0.1".parse().unwrap(),
        3389,
    );
    let t = netsec_engine::path::trace(&l.network, &flow);
    assert_eq!(
        t.verdict,
        netsec_engine::trace::Verdict::Allowed,
        "{:?}",
        t.denied_at()
    );
    let to = t
        .steps
        .iter()
        .find_map(|s| s.translation.as_ref())
        .unwrap()
        .to;
    assert_eq!(to, ("10.0.2.4".parse().unwrap(), 3389));
}

/// Quickstarts leave a name parameter's default empty for the deployer to
/// fill in; Azure refuses an empty name, and so does the import, saying which
/// parameter to give.
#[test]
fn an_empty_name_from_an_empty_default_names_the_parameter() {
    let t = r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "contentVersion": "1.0.0.0",
        "parameters": {"firewallName": {"type": "string", "defaultValue": ""}},
        "resources": [{"type": "Microsoft.Network/publicIPAddresses", "apiVersion": "2020-05-01",
          "name": "[parameters('firewallName')]", "location": "westeurope", "properties": {}}]}"#;
    let e = load(t).unwrap_err();
    assert_eq!(e.location(), "$.resources[0].name");
    assert!(
        e.message()
            .contains("parameter 'firewallName' defaults to \"\": the template expects a value"),
        "{e}"
    );
    let given = r#"{"parameters": {"firewallName": {"value": "fw"}}}"#;
    assert!(load_with_parameters(t, Some(given)).is_ok());
}

/// A child resource (a subnet, security rule or route deployed as its own
/// resource) deploys after its parent and replaces the parent's inline item
/// of the same name, so the child's settings are the ones Azure ends with.
#[test]
fn child_resources_replace_inline_items_of_the_same_name() {
    let l = load(include_str!("fixtures/child-resources-win.json")).unwrap();
    let subnet = &l.doc.vnets[0].subnets[0];
    assert_eq!(subnet.nsg.as_deref(), Some("nsg1"));
    assert_eq!(subnet.route_table.as_deref(), Some("rt1"));
    assert_eq!(l.doc.vnets[0].subnets.len(), 1);
    let rules = &l.doc.nsgs[0].rules;
    assert_eq!(rules.len(), 1);
    assert_eq!(rules[0].access, "Deny");
    let routes = &l.doc.route_tables[0].routes;
    assert_eq!(routes.len(), 1);
    assert_eq!(routes[0].next_hop_type, "None");
}

/// Two rules of one NSG with the same name, in any case, are refused, as
/// Azure refuses them; before, the second was dropped without a word.
#[test]
fn a_rule_name_used_twice_in_an_nsg_is_an_error() {
    let rule = |name: &str, priority: u32, access: &str| {
        format!(
            r#"{{"name":"{name}","properties":{{"priority":{priority},"direction":"Inbound","access":"{access}","protocol":"Tcp","sourceAddressPrefix":"*","sourcePortRange":"*","destinationAddressPrefix":"*","destinationPortRange":"22"}}}}"#
        )
    };
    let text = format!(
        r#"{{"$schema":"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#","contentVersion":"1.0.0.0","resources":[
        {{"type":"Microsoft.Network/networkSecurityGroups","apiVersion":"2023-04-01","name":"nsg1","location":"westeurope","properties":{{"securityRules":[{},{}]}}}}]}}"#,
        rule("r", 100, "Allow"),
        rule("R", 200, "Deny")
    );
    let e = load(&text).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(e.contains("securityRules[1].name"), "{e}");
    assert!(e.contains("two rules named 'R'"), "{e}");
}

/// A reference that is not a resource id (`{"id": "nsg1"}`), which Azure
/// refuses, is reported rather than read as "no NSG": the subnet or NIC
/// would otherwise look unprotected without a word.
#[test]
fn references_that_are_not_resource_ids_are_reported() {
    let l = load(include_str!("fixtures/unreadable-references.json")).unwrap();
    let said = |what: &str| {
        l.report
            .skipped
            .iter()
            .any(|(w, why)| w.contains(what) && why.contains("not a resource id"))
    };
    assert!(
        said("subnets/s: its networkSecurityGroup"),
        "{:?}",
        l.report.skipped
    );
    assert!(
        said("networkInterfaces/nic: its networkSecurityGroup"),
        "{:?}",
        l.report.skipped
    );
    assert!(
        said("its application security group 'asgX'"),
        "{:?}",
        l.report.skipped
    );
}

/// A template that names the resource group of its own resources through a
/// parameter means the group it is deployed to, which is not known offline:
/// the reference binds to the resource the template deploys.
#[test]
fn a_reference_through_a_resource_group_parameter_binds_to_the_deployed_resource() {
    let template = r#"{
      "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
      "contentVersion": "1.0.0.0",
      "parameters": { "vnetResourceGroup": { "type": "string", "defaultValue": "network-rg" } },
      "resources": [
        { "type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-04-01",
          "name": "vnet1", "location": "westeurope",
          "properties": { "addressSpace": { "addressPrefixes": ["10.0.0.0/16"] },
            "subnets": [ { "name": "web", "properties": { "addressPrefix": "10.0.1.0/24" } } ] } },
        { "type": "Microsoft.Network/networkInterfaces", "apiVersion": "2023-04-01",
          "name": "nic1", "location": "westeurope",
          "dependsOn": ["vnet1"],
          "properties": { "ipConfigurations": [ { "name": "ip", "properties": {
            "privateIPAllocationMethod": "Dynamic",
            "subnet": { "id": "[resourceId(parameters('vnetResourceGroup'), 'Microsoft.Network/virtualNetworks/subnets', 'vnet1', 'web')]" }
          } } ] } }
      ]
    }"#;
    let l = load(template).unwrap();
    assert_eq!(l.doc.nics.len(), 1, "{:?}", l.report.skipped);
    assert_eq!(l.doc.nics[0].ip_configurations[0].subnet, "web");
}

/// Copy loops inside nested deployments multiply (800 x 800 x 800 NSGs here):
/// the reader stops at its resource limit with an error at the resource,
/// instead of running out of memory.
#[test]
fn nested_copy_loops_stop_at_the_resource_limit() {
    let nsg = r#"{"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2023-04-01",
      "name": "[concat('n', copyIndex())]", "location": "westeurope",
      "properties": {"securityRules": []}, "copy": {"name": "c", "count": 800}}"#;
    let schema = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#";
    let mut inner = String::from(nsg);
    for _ in 0..2 {
        inner = format!(
            r#"{{"type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01",
              "name": "[concat('d', copyIndex())]", "copy": {{"name": "dc", "count": 800}},
              "properties": {{"mode": "Incremental", "expressionEvaluationOptions": {{"scope": "inner"}},
                "template": {{"$schema": "{schema}", "contentVersion": "1.0.0.0", "resources": [{inner}]}}}}}}"#
        );
    }
    let template = format!(
        r#"{{"$schema": "{schema}", "contentVersion": "1.0.0.0", "resources": [{inner}]}}"#
    );
    let e = load(&template).unwrap_err();
    assert!(e.message().contains("more than 50000 resources"), "{e}");
    assert!(
        e.location()
            .starts_with("$.resources[0].properties.template.resources[0]"),
        "{e}"
    );
}
