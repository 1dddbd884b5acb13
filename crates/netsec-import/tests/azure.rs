//! The Azure resource reader against hand-written fixtures in the shapes the
//! REST API and the az CLI print.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "a panic in a test is a failed test"
)]

use netsec_import::scenario::export::export;
use netsec_import::*;

const REST_LIST: &str = include_str!("fixtures/rest-list.json");
const AZ_CLI: &str = include_str!("fixtures/az-cli.json");
const AZ_NIC_CREATE: &str = include_str!("fixtures/az-nic-create.json");
const CONCATENATED: &str = include_str!("fixtures/concatenated.json");
const FIREWALL_POLICY: &str = include_str!("fixtures/firewall-policy.json");

fn skipped(l: &Loaded, what: &str) -> bool {
    l.report.skipped.iter().any(|(w, _)| w.contains(what))
}

fn assumed(l: &Loaded, text: &str) -> bool {
    l.report.assumptions.iter().any(|a| a.contains(text))
}

/// An Azure import writes a scenario that loads back to the same network.
fn reloads(l: &Loaded) {
    let text = to_scenario_json(&l.doc);
    let again = load(&text).unwrap();
    assert_eq!(again.format, SourceFormat::Scenario);
    assert_eq!(export(&again.network), export(&l.network));
}

#[test]
fn rest_list_shape() {
    let l = load(REST_LIST).unwrap();
    assert_eq!(l.format, SourceFormat::AzureResources);
    let d = &l.doc;
    assert_eq!(d.vnets.len(), 2);
    let corp = &d.vnets[0];
    assert_eq!(corp.location, "westus2");
    assert_eq!(corp.subnets.len(), 4);
    let fe = &corp.subnets[0];
    assert_eq!(fe.nsg.as_deref(), Some("frontend-nsg"));
    assert_eq!(fe.route_table.as_deref(), Some("to-fw"));
    assert_eq!(fe.service_endpoints, ["Microsoft.Storage"]);
    assert_eq!(corp.subnets[2].address_prefixes, ["172.18.3.0/24"]);
    assert_eq!(
        corp.subnets[2].private_endpoint_network_policies.as_deref(),
        Some("NetworkSecurityGroupEnabled")
    );
    // The subnet whose NSG is absent keeps no reference, and says so.
    assert_eq!(corp.subnets[3].nsg, None);
    assert!(skipped(&l, "retired-nsg"));
    // Peerings: the one to a VNet outside the input is skipped.
    assert_eq!(corp.peerings.len(), 1);
    assert!(corp.peerings[0].allow_forwarded_traffic);
    assert!(skipped(&l, "corp-to-partner"));
    assert!(l.network.peering_connected(
        l.network.find_vnet("corp-vnet").unwrap(),
        l.network.find_vnet("shared-vnet").unwrap()
    ));
    // Custom rules only: the six default rules are recognised, not doubled.
    let nsg = &d.nsgs[0];
    assert_eq!(nsg.rules.len(), 2);
    assert_eq!(
        nsg.rules[0].destination_application_security_groups,
        ["webservers"]
    );
    assert_eq!(nsg.rules[1].source_address_prefixes.len(), 2);
    assert_eq!(nsg.rules[1].description, "no remote admin from partners");
    let net_nsg = l
        .network
        .nsg(l.network.find_nsg("frontend-nsg").unwrap())
        .unwrap();
    assert_eq!(net_nsg.rules.len(), 2);
    assert_eq!(
        d.route_tables[0].routes[0].next_hop_ip_address.as_deref(),
        Some("172.18.254.4")
    );
    assert!(d.route_tables[0].disable_bgp_route_propagation);
    // A dynamic public IP without an address gets a placeholder.
    let jump = d.public_ips.iter().find(|p| p.name == "jump-pip").unwrap();
    assert_eq!(
        (jump.sku.as_str(), jump.address.as_str()),
        ("Basic", "20.255.0.1")
    );
    assert!(assumed(&l, "20.255.0.0/16"));
    // A dynamic private IP gets the first free address of its subnet.
    assert_eq!(
        d.nics[1].ip_configurations[0].private_ip_address,
        "172.18.1.4"
    );
    assert!(assumed(&l, "172.18.1.4, the first free address"));
    // VMs: one from the input (zonal), one made from its NIC's reference.
    assert_eq!(d.vms[0].zone, Some(2));
    assert_eq!(d.vms[1].name, "fe-vm-02");
    assert!(assumed(&l, "virtual machine fe-vm-02 is not in the input"));
    // The load balancer's pool members come from both sides, once.
    let lb = &d.load_balancers[0];
    assert_eq!(lb.backend_pools[0].members.len(), 1);
    assert_eq!(lb.rules[0].probe.as_deref(), Some("https-probe"));
    assert!(skipped(&l, "inboundNatRules"));
    // The classic firewall: three collections; the IP-group rule is left out.
    let fw = &d.firewalls[0];
    assert_eq!(fw.rule_collections.len(), 3);
    assert_eq!(fw.rule_collections[1].rules.len(), 1);
    assert_eq!(
        fw.rule_collections[2].rules[0].protocols,
        ["Https:443", "Http:80"]
    );
    assert!(fw.threat_intel);
    assert!(skipped(&l, "to-groups"));
    // The storage account and its private endpoint.
    let svc = &d.services[0];
    assert_eq!(svc.service_tag, "Storage");
    assert_eq!(svc.allowed_subnets[0].subnet, "frontend");
    assert_eq!(svc.allowed_ip_ranges, ["203.0.113.0/24"]);
    assert_eq!(d.private_endpoints[0].private_ip_address, "172.18.3.5");
    // Types the playground does not model are listed with their Azure spelling.
    assert!(skipped(&l, "Microsoft.Network/natGateways/egress-nat"));
    assert!(skipped(&l, "Microsoft.Network/dnsResolvers/corp-resolver"));
    reloads(&l);
}

#[test]
fn az_cli_flattened_shape() {
    let l = load_azure(AZ_CLI).unwrap();
    let d = &l.doc;
    // The VNet has no `type`: it is read from the id.
    assert_eq!(d.vnets[0].name, "data-vnet");
    assert_eq!(d.vnets[0].location, "northeurope");
    let db = &d.vnets[0].subnets[0];
    assert_eq!(db.address_prefixes, ["10.42.5.0/24"]);
    assert_eq!(db.nsg.as_deref(), Some("db-nsg"));
    assert_eq!(
        db.private_endpoint_network_policies.as_deref(),
        Some("Enabled")
    );
    assert!(!db.default_outbound_access);
    // Default rules in az's flattened shape are recognised too.
    assert_eq!(d.nsgs[0].rules.len(), 2);
    assert!(
        l.report
            .imported
            .iter()
            .any(|i| i.contains("6 default rules recognised"))
    );
    assert_eq!(
        d.nsgs[0].rules[0].source_application_security_groups,
        ["app-tier"]
    );
    assert!(assumed(&l, "application security group app-tier"));
    // az spells privateIpAddress and enableIpForwarding its own way.
    let nic = &d.nics[0];
    assert_eq!(nic.ip_configurations[0].private_ip_address, "10.42.5.20");
    assert!(nic.ip_forwarding);
    assert!(d.vms[0].is_appliance);
    assert!(assumed(&l, "network virtual appliance"));
    reloads(&l);
}

#[test]
fn value_lists_and_empty_lists() {
    for text in [
        r#"{"value": []}"#,
        "[]",
        r#"{"value": [], "nextLink": null}"#,
    ] {
        let l = load(text).unwrap();
        assert_eq!(l.format, SourceFormat::AzureResources);
        assert!(l.doc.vnets.is_empty() && l.report.imported.is_empty());
    }
    let wrapped = format!(r#"{{"value": {AZ_CLI}}}"#);
    assert_eq!(load(&wrapped).unwrap().doc, load(AZ_CLI).unwrap().doc);
}

#[test]
fn single_resource_and_wrapper_objects() {
    // One object, as `az network nsg show` prints it.
    let nsg = serde_json::to_string(&serde_json::from_str::<serde_json::Value>(AZ_CLI).unwrap()[1])
        .unwrap();
    let l = load(&nsg).unwrap();
    assert_eq!(l.doc.nsgs.len(), 1);
    // `az network nic create` wraps its result; everything it names is elsewhere.
    let l = load(AZ_NIC_CREATE).unwrap();
    assert!(l.doc.nics.is_empty());
    assert!(skipped(&l, "networkInterfaces/orphan-nic"));
    let why = &l
        .report
        .skipped
        .iter()
        .find(|(w, _)| w.ends_with("ipconfig1"))
        .unwrap()
        .1;
    assert!(
        why.contains("elsewhere-vnet/apps is not in the input"),
        "{why}"
    );
}

#[test]
fn concatenated_documents() {
    let l = load(CONCATENATED).unwrap();
    let d = &l.doc;
    assert_eq!(d.nsgs.len(), 1);
    assert_eq!(d.nsgs[0].name, "ops-nsg");
    assert_eq!(d.nsgs[0].rules.len(), 2);
    assert_eq!(d.vnets[0].subnets[0].nsg.as_deref(), Some("ops-nsg"));
    assert!(assumed(&l, "ops-nsg is not in the input, only its rules"));
    // Errors in a later document say which one.
    let bad = CONCATENATED.replacen("\"priority\": 100", "\"priority\": 100.5", 1);
    let e = load(&bad).unwrap_err();
    assert_eq!(e.location(), "document 2, $[0].priority");
    assert!(e.message().contains("whole number"), "{e}");
    reloads(&l);
}

#[test]
fn firewall_policy_with_parent_and_mixed_collection() {
    let l = load(FIREWALL_POLICY).unwrap();
    let fw = &l.doc.firewalls[0];
    assert_eq!(fw.private_ip_address, "10.100.0.4");
    assert!(fw.threat_intel);
    let policy = fw.policy.as_ref().unwrap();
    assert_eq!(policy.name, "child-policy");
    let groups = &policy.rule_collection_groups;
    assert_eq!(groups.len(), 2);
    assert!(groups[0].from_parent_policy && groups[0].name == "baseline");
    let apps = &groups[1];
    assert_eq!(apps.rule_collections.len(), 2);
    assert_eq!(apps.rule_collections[0].kind, "Network");
    assert_eq!(apps.rule_collections[0].rules[0].protocols, ["UDP", "TCP"]);
    assert_eq!(apps.rule_collections[1].name, "mixed-application");
    assert_eq!(apps.rule_collections[1].rules.len(), 1);
    assert!(skipped(&l, "rules/cats"));
    assert!(!skipped(&l, "org-policy"), "{:?}", l.report.skipped);
    reloads(&l);
}

#[test]
fn build_errors_point_into_the_azure_input() {
    let bad = REST_LIST.replacen("\"priority\": 120", "\"priority\": 110", 1);
    let e = load(&bad).unwrap_err();
    assert_eq!(
        e.location(),
        "$.value[2].properties.securityRules[1].properties.priority"
    );
    assert!(e.message().contains("SecurityRuleConflict"), "{e}");
    let bad = REST_LIST.replacen("\"priority\": 120", "\"priority\": 99999", 1);
    let e = load(&bad).unwrap_err();
    assert_eq!(
        e.location(),
        "$.value[2].properties.securityRules[1].properties.priority"
    );
    assert!(e.message().contains("100-4096"), "{e}");
    // A rule's name is beside its properties, and its error points there.
    let bad = REST_LIST.replacen("\"name\": \"deny-rdp\"", "\"name\": \"deny-rdp.\"", 1);
    let e = load(&bad).unwrap_err();
    assert_eq!(e.location(), "$.value[2].properties.securityRules[1].name");
    let bad = AZ_CLI.replacen("\"priority\": 200", "\"priority\": \"high\"", 1);
    let e = load(&bad).unwrap_err();
    assert_eq!(e.location(), "$[1].securityRules[0].priority");
    let bad = REST_LIST.replacen("\"172.18.1.0/24\"", "\"172.18.1.9/24\"", 1);
    let e = load(&bad).unwrap_err();
    assert_eq!(
        e.location(),
        "$.value[0].properties.subnets[0].properties.addressPrefix"
    );
    assert!(e.message().contains("InvalidCIDRNotation"), "{e}");
}

#[test]
fn not_json_and_not_resources() {
    let e = load_azure("[{\"id\": \"x\"},\n  oops]").unwrap_err();
    assert_eq!(e.location(), "line 2, column 3");
    let e = load(r#"{"hello": "world"}"#).unwrap_err();
    assert_eq!(e.location(), "$");
    assert!(e.message().contains("no Azure resources found"), "{e}");
    // Non-empty lists of things that are not resources, even nested under a
    // key, are the wrong file, not an empty network.
    for text in [r#"{"foo": [{"a": 1}]}"#, r#"{"a": {"b": [1, 2]}}"#] {
        let e = load(text).unwrap_err();
        assert!(
            e.message().contains("hold no Azure resources"),
            "{text}: {e}"
        );
    }
    // An NSG flow log record (one event, or the storage blob's "records").
    let record = r#"{"time": "2018-11-13T12:00:35Z", "category": "NetworkSecurityGroupFlowEvent",
        "resourceId": "/SUBSCRIPTIONS/0/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.NETWORK/NETWORKSECURITYGROUPS/NSG",
        "properties": {"Version": 2, "flows": []}}"#;
    let e = load(record).unwrap_err();
    assert!(e.message().contains("NSG flow log"), "{e}");
    let e = load(&format!(r#"{{"records": [{record}]}}"#)).unwrap_err();
    assert_eq!(e.location(), "$.records[0]");
    assert!(e.message().contains("NSG flow log"), "{e}");
    // A pasted IP flow verify result is not an error: nothing to import, and the report says why.
    let loaded =
        load(r#"{"responses": {"200": {"body": {"access": "Allow", "ruleName": "r"}}}}"#).unwrap();
    assert_eq!(loaded.network.nsgs().len(), 0);
    assert!(
        loaded
            .report
            .skipped
            .iter()
            .any(|(_, why)| why.contains("Network Watcher IP flow verify result")),
        "{:?}",
        loaded.report
    );
    // The effective rules view brings its NSG's custom rules back, without the defaults.
    let effective = r#"{"value": [{"networkSecurityGroup": {"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/web-nsg"},
        "association": {"networkInterface": {"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkInterfaces/web-nic"}},
        "effectiveSecurityRules": [
          {"name": "securityRules/allow-https", "protocol": "Tcp", "sourcePortRange": "0-65535", "destinationPortRange": "443-443", "sourceAddressPrefix": "0.0.0.0/0", "destinationAddressPrefix": "0.0.0.0/0", "access": "Allow", "priority": 100, "direction": "Inbound"},
          {"name": "defaultSecurityRules/DenyAllInBound", "protocol": "All", "sourcePortRange": "0-65535", "destinationPortRange": "0-65535", "sourceAddressPrefix": "0.0.0.0/0", "destinationAddressPrefix": "0.0.0.0/0", "access": "Deny", "priority": 65500, "direction": "Inbound"}]}]}"#;
    let loaded = load(effective).unwrap();
    let (_, nsg) = loaded.network.nsgs().next().unwrap();
    assert_eq!(
        (
            nsg.name.as_str(),
            nsg.rules.len(),
            nsg.rules[0].name.as_str()
        ),
        ("web-nsg", 1, "allow-https")
    );
}

#[test]
fn same_name_in_two_resource_groups_is_renamed() {
    let text = r#"[
      {"id": "/subscriptions/s/resourceGroups/team-a/providers/Microsoft.Network/networkSecurityGroups/default-nsg", "securityRules": []},
      {"id": "/subscriptions/s/resourceGroups/team-b/providers/Microsoft.Network/networkSecurityGroups/default-nsg", "securityRules": []},
      {"id": "/subscriptions/s/resourceGroups/team-b/providers/Microsoft.Network/virtualNetworks/v", "location": "eastus",
       "addressSpace": {"addressPrefixes": ["10.1.0.0/16"]},
       "subnets": [{"name": "s", "addressPrefix": "10.1.0.0/24",
         "networkSecurityGroup": {"id": "/subscriptions/s/resourceGroups/team-b/providers/Microsoft.Network/networkSecurityGroups/default-nsg"}}]}
    ]"#;
    let l = load(text).unwrap();
    let names: Vec<&str> = l.doc.nsgs.iter().map(|n| n.name.as_str()).collect();
    assert_eq!(names, ["default-nsg", "default-nsg-team-b"]);
    // The reference goes to the one in the same resource group, by full id.
    assert_eq!(
        l.doc.vnets[0].subnets[0].nsg.as_deref(),
        Some("default-nsg-team-b")
    );
    assert!(assumed(
        &l,
        "two network security groups are named default-nsg"
    ));
}

#[test]
fn default_rules_in_any_form_are_not_doubled() {
    let text = r#"[
      {"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/n", "type": "Microsoft.Network/networkSecurityGroups",
       "properties": {"securityRules": [
         {"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/n/defaultSecurityRules/DenyAllInBound",
          "name": "DenyAllInBound", "properties": {"priority": 65500, "direction": "Inbound", "access": "Deny", "protocol": "*",
          "sourceAddressPrefix": "*", "sourcePortRange": "*", "destinationAddressPrefix": "*", "destinationPortRange": "*"}}]}},
      {"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/n/defaultSecurityRules/AllowVnetInBound",
       "name": "AllowVnetInBound", "priority": 65000, "direction": "Inbound", "access": "Allow", "protocol": "*",
       "sourceAddressPrefix": "VirtualNetwork", "sourcePortRange": "*", "destinationAddressPrefix": "VirtualNetwork", "destinationPortRange": "*"}
    ]"#;
    let l = load(text).unwrap();
    assert!(l.doc.nsgs[0].rules.is_empty());
    assert!(assumed(
        &l,
        "default security rules given as separate resources"
    ));
}

#[test]
fn scenario_fixture_loads_and_its_flow_resolves() {
    let l = load(include_str!("fixtures/scenario.json")).unwrap();
    assert_eq!(l.format, SourceFormat::Scenario);
    assert_eq!(l.network.offer_type().name(), "EnterpriseAgreement");
    let (flow, host) = flow_from_doc(&l.doc, &l.network, &l.doc.flows[0]).unwrap();
    assert_eq!(flow.destination.to_string(), "20.90.1.10");
    assert_eq!(
        (flow.source_port, flow.destination_port, host),
        (50000, 443, None)
    );
    // Export writes the default pool member as the primary configuration.
    let out = export(&l.network);
    assert_eq!(
        out.load_balancers[0].backend_pools[0].members[1].ip_configuration,
        None
    );
    let mut expected = l.doc.clone();
    expected.title.clear();
    expected.flows.clear();
    expected.layout.clear();
    assert_eq!(out.vnets, expected.vnets);
    assert_eq!(out.nsgs, expected.nsgs);
}

#[test]
fn template_expressions_are_refused_clearly() {
    let text = r#"[{"type": "Microsoft.Network/networkSecurityGroups", "name": "[variables('nsgName')]", "properties": {}}]"#;
    let e = load(text).unwrap_err();
    assert_eq!(e.location(), "$[0].name");
    assert!(e.message().contains("ARM template expression"), "{e}");
}

#[test]
fn build_errors_of_inline_rules_point_at_the_rule_as_written() {
    let rule = |name: &str, props: &str, priority: u32| {
        format!(
            r#"{{"name": "{name}", "{props}": {{"priority": {priority}, "direction": "Inbound",
               "access": "Allow", "protocol": "Tcp", "sourceAddressPrefix": "*",
               "sourcePortRange": "*", "destinationAddressPrefix": "*",
               "destinationPortRange": "443"}}}}"#
        )
    };
    // A default rule written among the custom ones is left out, so the
    // third rule of the input is the document's second.
    let rest = format!(
        r#"{{"value": [{{"name": "n", "type": "Microsoft.Network/networkSecurityGroups",
            "id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/n",
            "location": "westeurope", "properties": {{"securityRules": [{}, {}, {}]}}}}]}}"#,
        rule("AllowVnetInBound", "properties", 65000),
        rule("a", "properties", 100),
        rule("b", "Properties", 100)
    );
    let e = load(&rest).unwrap_err();
    assert_eq!(
        e.location(),
        "$.value[0].properties.securityRules[2].Properties.priority"
    );
    assert!(e.message().contains("SecurityRuleConflict"), "{e}");
    // The az CLI's flattened rules have no properties object.
    let flat = |name: &str, priority: u32| {
        format!(
            r#"{{"name": "{name}", "priority": {priority}, "direction": "Inbound", "access": "Deny",
               "protocol": "*", "sourceAddressPrefix": "*", "sourcePortRange": "*",
               "destinationAddressPrefix": "*", "destinationPortRange": "*"}}"#
        )
    };
    let az = format!(
        r#"[{{"name": "n", "type": "Microsoft.Network/networkSecurityGroups", "location": "westeurope",
            "securityRules": [{}, {}]}}]"#,
        flat("a", 200),
        flat("b", 200)
    );
    let e = load(&az).unwrap_err();
    assert_eq!(e.location(), "$[0].securityRules[1].priority");
}

/// A public IP without a SKU is Standard unless it is allocated dynamically,
/// which only Basic allows (the SKU decides whether it is open by default).
#[test]
fn a_dynamic_public_ip_without_a_sku_is_basic() {
    let text = r#"[
      { "type": "Microsoft.Network/publicIPAddresses", "name": "old-pip", "location": "westeurope",
        "id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/publicIPAddresses/old-pip",
        "properties": { "publicIPAllocationMethod": "Dynamic", "ipAddress": "20.1.2.3" } },
      { "type": "Microsoft.Network/publicIPAddresses", "name": "new-pip", "location": "westeurope",
        "id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/publicIPAddresses/new-pip",
        "properties": { "publicIPAllocationMethod": "Static", "ipAddress": "20.1.2.4" } }
    ]"#;
    let l = load(text).unwrap();
    let sku = |name: &str| {
        l.doc
            .public_ips
            .iter()
            .find(|p| p.name == name)
            .unwrap()
            .sku
            .clone()
    };
    assert_eq!(sku("old-pip"), "Basic");
    assert_eq!(sku("new-pip"), "Standard");
    assert!(assumed(
        &l,
        "allocated dynamically, which only Basic allows"
    ));
    reloads(&l);
}

/// Two VNets exported with a peering each way, in the given states and
/// (for the first) `peerCompleteVnets`.
fn peered(state12: &str, state21: &str, complete: bool) -> String {
    let vnet = |name: &str, space: &str, peer: &str, remote: &str, state: &str, extra: &str| {
        format!(
            r#"{{"id":"/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.Network/virtualNetworks/{name}","name":"{name}","type":"Microsoft.Network/virtualNetworks","location":"westeurope",
            "properties":{{"addressSpace":{{"addressPrefixes":["{space}.0.0/16"]}},"subnets":[{{"name":"s","properties":{{"addressPrefix":"{space}.0.0/24"}}}}],
            "virtualNetworkPeerings":[{{"name":"{peer}","properties":{{"peeringState":"{state}","remoteVirtualNetwork":{{"id":"/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.Network/virtualNetworks/{remote}"}},"allowVirtualNetworkAccess":true{extra}}}}}]}}}}"#
        )
    };
    let extra = if complete {
        ""
    } else {
        r#","peerCompleteVnets":false,"localSubnetNames":["s"],"remoteSubnetNames":["s"]"#
    };
    format!(
        "[{},{}]",
        vnet("v1", "10.1", "p12", "v2", state12, extra),
        vnet("v2", "10.2", "p21", "v1", state21, "")
    )
}

#[test]
fn only_connected_whole_vnet_peerings_are_imported() {
    let l = load(&peered("Connected", "Connected", true)).unwrap();
    assert_eq!(
        l.doc.vnets.iter().map(|v| v.peerings.len()).sum::<usize>(),
        2
    );
    let l = load(&peered("Disconnected", "Initiated", true)).unwrap();
    assert!(l.doc.vnets.iter().all(|v| v.peerings.is_empty()));
    assert!(skipped(&l, "virtualNetworks/v1/virtualNetworkPeerings/p12"));
    assert!(skipped(&l, "virtualNetworks/v2/virtualNetworkPeerings/p21"));
    let l = load(&peered("Connected", "Connected", false)).unwrap();
    assert_eq!(
        l.doc.vnets.iter().map(|v| v.peerings.len()).sum::<usize>(),
        1,
        "the subnet peering is left out, the other side kept"
    );
    assert!(skipped(&l, "virtualNetworks/v1/virtualNetworkPeerings/p12"));
}

/// A property of the wrong JSON type is an error at its path, as Azure
/// refuses it; before, it was read as absent (an NSG without rules, the
/// default outbound access, port 22 alone).
#[test]
fn values_of_the_wrong_type_are_errors_at_their_path() {
    let nsg = |props: &str| {
        format!(
            r#"{{"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/n",
                "name": "n", "type": "Microsoft.Network/networkSecurityGroups", "location": "westeurope",
                "properties": {props}}}"#
        )
    };
    let rule = |extra: &str| {
        nsg(&format!(
            r#"{{"securityRules": [{{"name": "r", "properties": {{"priority": 100, "direction": "Inbound",
                "access": "Allow", "protocol": "Tcp", "sourcePortRange": "*", "sourceAddressPrefix": "*",
                "destinationAddressPrefix": "*", {extra}}}}}]}}"#
        ))
    };
    let cases = [
        (
            nsg(r#"{"securityRules": {}}"#),
            "$.properties.securityRules",
            "'securityRules' must be a list of objects, not an object",
        ),
        (
            rule(r#""destinationPortRanges": [22, true]"#),
            "$.properties.securityRules[0].properties.destinationPortRanges[1]",
            "each element of 'destinationPortRanges' must be a string, not true",
        ),
        (
            rule(r#""destinationPortRange": {"from": 22}"#),
            "$.properties.securityRules[0].properties.destinationPortRange",
            "'destinationPortRange' must be a string, not an object",
        ),
        (
            r#"{"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v",
                "type": "Microsoft.Network/virtualNetworks", "name": "v", "location": "westeurope",
                "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
                  "subnets": [{"name": "a", "properties": {"addressPrefix": "10.0.0.0/24", "defaultOutboundAccess": "no"}}]}}"#
                .to_string(),
            "$.properties.subnets[0].properties.defaultOutboundAccess",
            "'defaultOutboundAccess' must be true or false, not the string 'no'",
        ),
    ];
    for (text, at, says) in cases {
        let e = load_azure(&text).unwrap_err();
        assert_eq!(e.location(), at, "{e}");
        assert!(e.message().contains(says), "{e}");
    }
    // The portal's "Any" (and the effective view's "All") are not API values.
    for any in ["Any", "all"] {
        let text =
            rule(r#""destinationPortRange": "22""#).replace(r#""Tcp""#, &format!("\"{any}\""));
        let e = load_azure(&text).unwrap_err();
        assert_eq!(
            e.location(),
            "$.properties.securityRules[0].properties.protocol",
            "{e}"
        );
        assert!(
            e.message()
                .contains("not one of the API's values Tcp, Udp, Icmp, Esp, Ah and *"),
            "{e}"
        );
    }
    // What Azure accepts still loads: a number for a port, one string for a
    // list, "True" for a boolean, null for absent.
    let loaded = load_azure(&rule(
        r#""destinationPortRange": 443, "sourceAddressPrefixes": null, "description": null"#,
    ))
    .unwrap();
    let (_, n) = loaded.network.nsgs().next().unwrap();
    assert_eq!(n.rules.len(), 1);
}

/// A reference whose full id names another resource group (or subscription)
/// than the same-named resource in an export does not bind to it: in Azure
/// that is another resource, which the export does not hold.
#[test]
fn a_reference_into_another_resource_group_is_not_the_same_named_resource() {
    let export = |nsg_ref: &str| {
        format!(
            r#"{{"value": [
          {{"id": "/subscriptions/s1/resourceGroups/rg-a/providers/Microsoft.Network/networkSecurityGroups/nsg1",
            "name": "nsg1", "type": "Microsoft.Network/networkSecurityGroups", "location": "westeurope",
            "properties": {{"securityRules": []}}}},
          {{"id": "/subscriptions/s1/resourceGroups/rg-a/providers/Microsoft.Network/virtualNetworks/vnet1",
            "name": "vnet1", "type": "Microsoft.Network/virtualNetworks", "location": "westeurope",
            "properties": {{"addressSpace": {{"addressPrefixes": ["10.0.0.0/16"]}},
              "subnets": [{{"name": "web", "properties": {{"addressPrefix": "10.0.1.0/24",
                "networkSecurityGroup": {{"id": "{nsg_ref}"}}}}}}]}}}}
        ]}}"#
        )
    };
    let own = "/subscriptions/s1/resourceGroups/RG-A/providers/Microsoft.Network/networkSecurityGroups/NSG1";
    let l = load(&export(own)).unwrap();
    assert_eq!(l.doc.vnets[0].subnets[0].nsg.as_deref(), Some("nsg1"));
    for other in [
        "/subscriptions/s1/resourceGroups/rg-b/providers/Microsoft.Network/networkSecurityGroups/nsg1",
        "/subscriptions/s2/resourceGroups/rg-a/providers/Microsoft.Network/networkSecurityGroups/nsg1",
    ] {
        let l = load(&export(other)).unwrap();
        assert_eq!(l.doc.vnets[0].subnets[0].nsg, None, "{other}");
        assert!(skipped(&l, "its network security group nsg1"), "{other}");
    }
}
