//! Load balancer inbound NAT rules, read from every input format: the
//! scenario file (with its errors at the field), an ARM template (inline and
//! as separate child resources, the NIC naming the rule), Azure's REST shape
//! (the rule naming its `backendIPConfiguration`) and Terraform
//! (`azurerm_lb_nat_rule` with its association, and a version 2 rule on a
//! pool). Each one ends in a trace through the rule.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test code: a panic is a failed test"
)]

use netsec_engine::trace::Verdict;
use netsec_engine::{Flow, Protocol, path};
use netsec_import::*;

const CORPUS: &str = include_str!("../../../tests/corpus/lb-inbound-nat.json");

/// The trace of TCP from an Internet address to `frontend:port`: its verdict
/// and the backend address and port the load balancer translated to.
fn through(l: &Loaded, frontend: &str, port: u16) -> (Verdict, Option<String>) {
    let flow = Flow::new(
        Protocol::Tcp,
        "203.0.113.9".parse().unwrap(),
        50000,
        frontend.parse().unwrap(),
        port,
    );
    let t = path::trace(&l.network, &flow);
    let to = t
        .steps
        .iter()
        .find_map(|s| s.translation.as_ref())
        .map(|x| format!("{}:{}", x.to.0, x.to.1));
    (t.verdict, to)
}

fn scenario_err(edit: impl FnOnce(&mut serde_json::Value)) -> ImportError {
    let mut v: serde_json::Value = serde_json::from_str(CORPUS).unwrap();
    edit(&mut v);
    match load(&v.to_string()) {
        Ok(_) => panic!("the edited scenario loaded"),
        Err(e) => e,
    }
}

/// An edit to the corpus scenario's JSON.
type Edit = Box<dyn FnOnce(&mut serde_json::Value)>;

fn nat(v: &mut serde_json::Value, k: usize) -> &mut serde_json::Value {
    &mut v["loadBalancers"][0]["natRules"][k]
}

#[test]
fn a_scenario_rule_forwards_its_port_to_one_backend() {
    let l = load(CORPUS).unwrap();
    assert_eq!(
        through(&l, "20.50.0.20", 50001),
        (Verdict::Allowed, Some(String::from("10.0.1.4:3389")))
    );
    assert_eq!(
        through(&l, "20.50.0.20", 60000),
        (Verdict::Allowed, Some(String::from("10.0.1.4:22")))
    );
    assert_eq!(
        through(&l, "20.50.0.20", 60001),
        (Verdict::Allowed, Some(String::from("10.0.1.5:22")))
    );
    assert_eq!(through(&l, "20.50.0.20", 60002), (Verdict::Denied, None));
}

#[test]
fn scenario_mistakes_are_errors_at_the_field() {
    let cases: Vec<(&str, Edit, &str)> = vec![
        (
            "$.loadBalancers[0].natRules[0].frontendPort",
            Box::new(|v| nat(v, 0)["frontendPort"] = 70000.into()),
            "70000",
        ),
        (
            "$.loadBalancers[0].natRules[0].nic",
            Box::new(|v| nat(v, 0)["backendPool"] = "pool".into()),
            "exactly one",
        ),
        (
            "$.loadBalancers[0].natRules[0].nic",
            Box::new(|v| nat(v, 0)["nic"] = "nope".into()),
            "nope",
        ),
        (
            "$.loadBalancers[0].natRules[1].ipConfiguration",
            Box::new(|v| nat(v, 1)["ipConfiguration"] = "other".into()),
            "other",
        ),
        (
            "$.loadBalancers[0].natRules[0].frontend",
            Box::new(|v| nat(v, 0)["frontend"] = "fe2".into()),
            "fe2",
        ),
        (
            "$.loadBalancers[0].natRules[2].backendPool",
            Box::new(|v| nat(v, 2)["backendPool"] = "pool2".into()),
            "pool2",
        ),
        (
            "$.loadBalancers[0].natRules[0].protocol",
            Box::new(|v| nat(v, 0)["protocol"] = "Icmp".into()),
            "Icmp",
        ),
        // The load-balancing rule already serves TCP 80 on this frontend.
        (
            "$.loadBalancers[0].natRules[0].frontendPort",
            Box::new(|v| nat(v, 0)["frontendPort"] = 80.into()),
            "load-balancing rule http",
        ),
        // 60000-60001 is the pool rule's.
        (
            "$.loadBalancers[0].natRules[1].frontendPort",
            Box::new(|v| {
                let rules = v["loadBalancers"][0]["natRules"].as_array_mut().unwrap();
                let pool_rule = rules.remove(2);
                rules.insert(0, pool_rule);
                nat(v, 1)["frontendPort"] = 60001.into();
            }),
            "inbound NAT rule ssh",
        ),
        (
            "$.loadBalancers[0].natRules[2].frontendPortEnd",
            Box::new(|v| nat(v, 2)["frontendPortEnd"] = 59999.into()),
            "before it starts",
        ),
        (
            "$.loadBalancers[0].natRules[0].frontendPortEnd",
            Box::new(|v| nat(v, 0)["frontendPortEnd"] = 50009.into()),
            "backend pool",
        ),
        (
            "$.loadBalancers[0].natRules[1].name",
            Box::new(|v| nat(v, 1)["name"] = "RDP-VM1".into()),
            "two natRules are named",
        ),
    ];
    for (at, edit, says) in cases {
        let e = scenario_err(edit);
        assert_eq!(e.location(), at, "{e}");
        assert!(e.message().contains(says), "{at}: {e}");
        assert!(!e.message().contains('\n'), "{e}");
    }
}

/// A template in the shape of Microsoft's "VM with an RDP port" quickstarts:
/// the rules inline on the load balancer (one of them a separate child
/// resource), each NIC of a copy loop naming its rule.
const TEMPLATE: &str = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "variables": { "lbId": "[resourceId('Microsoft.Network/loadBalancers', 'lb')]" },
  "resources": [
    { "type": "Microsoft.Network/publicIPAddresses", "apiVersion": "2023-09-01", "name": "lb-ip",
      "location": "westeurope", "sku": { "name": "Standard" },
      "properties": { "publicIPAllocationMethod": "Static", "ipAddress": "20.61.0.7" } },
    { "type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2023-09-01", "name": "nsg",
      "location": "westeurope",
      "properties": { "securityRules": [ { "name": "rdp", "properties": {
        "priority": 100, "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
        "sourceAddressPrefix": "Internet", "sourcePortRange": "*",
        "destinationAddressPrefix": "*", "destinationPortRange": "3389" } } ] } },
    { "type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-09-01", "name": "vnet",
      "location": "westeurope",
      "properties": { "addressSpace": { "addressPrefixes": ["10.0.0.0/16"] },
        "subnets": [ { "name": "s", "properties": { "addressPrefix": "10.0.0.0/24",
          "networkSecurityGroup": { "id": "[resourceId('Microsoft.Network/networkSecurityGroups', 'nsg')]" } } } ] } },
    { "type": "Microsoft.Network/loadBalancers", "apiVersion": "2023-09-01", "name": "lb",
      "location": "westeurope", "sku": { "name": "Standard" },
      "properties": {
        "frontendIPConfigurations": [ { "name": "fe", "properties": {
          "publicIPAddress": { "id": "[resourceId('Microsoft.Network/publicIPAddresses', 'lb-ip')]" } } } ],
        "inboundNatRules": [ { "name": "RDP-VM0", "properties": {
          "frontendIPConfiguration": { "id": "[concat(variables('lbId'), '/frontendIPConfigurations/fe')]" },
          "protocol": "Tcp", "frontendPort": 50000, "backendPort": 3389 } } ] } },
    { "type": "Microsoft.Network/loadBalancers/inboundNatRules", "apiVersion": "2023-09-01",
      "name": "lb/RDP-VM1", "dependsOn": ["[variables('lbId')]"],
      "properties": {
        "frontendIPConfiguration": { "id": "[concat(variables('lbId'), '/frontendIPConfigurations/fe')]" },
        "protocol": "Tcp", "frontendPort": 50001, "backendPort": 3389 } },
    { "type": "Microsoft.Network/networkInterfaces", "apiVersion": "2023-09-01",
      "name": "[concat('nic', copyIndex())]", "location": "westeurope",
      "copy": { "name": "nics", "count": 2 },
      "properties": { "ipConfigurations": [ { "name": "ipconfig1", "properties": {
        "privateIPAllocationMethod": "Dynamic",
        "subnet": { "id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 's')]" },
        "loadBalancerInboundNatRules": [
          { "id": "[concat(variables('lbId'), '/inboundNatRules/RDP-VM', copyIndex())]" } ] } } ] } }
  ]
}"#;

#[test]
fn an_arm_template_rule_goes_to_the_nic_that_names_it() {
    let l = load(TEMPLATE).unwrap();
    let lb = &l.doc.load_balancers[0];
    let targets: Vec<(&str, Option<&str>)> = lb
        .nat_rules
        .iter()
        .map(|r| (r.name.as_str(), r.nic.as_deref()))
        .collect();
    assert_eq!(
        targets,
        [("RDP-VM0", Some("nic0")), ("RDP-VM1", Some("nic1"))]
    );
    assert!(
        l.report
            .imported
            .iter()
            .any(|x| x == "loadBalancers/lb (1 frontend, 0 rules, 2 NAT rules)"),
        "{:?}",
        l.report.imported
    );
    assert_eq!(
        through(&l, "20.61.0.7", 50000),
        (Verdict::Allowed, Some(String::from("10.0.0.4:3389")))
    );
    assert_eq!(
        through(&l, "20.61.0.7", 50001),
        (Verdict::Allowed, Some(String::from("10.0.0.5:3389")))
    );
}

#[test]
fn an_arm_rule_no_nic_names_is_reported_not_invented() {
    let text = TEMPLATE.replace("\"count\": 2", "\"count\": 1");
    let l = load(&text).unwrap();
    assert_eq!(l.doc.load_balancers[0].nat_rules.len(), 1);
    assert!(
        l.report.skipped.iter().any(|(what, why)| what
            == "loadBalancers/lb/inboundNatRules/RDP-VM1"
            && why.contains("no network interface")),
        "{:?}",
        l.report.skipped
    );
    assert_eq!(through(&l, "20.61.0.7", 50001), (Verdict::Denied, None));
}

#[test]
fn an_arm_rule_port_that_is_not_a_number_is_an_error_at_it() {
    let text = TEMPLATE.replace("\"frontendPort\": 50000", "\"frontendPort\": \"fifty\"");
    let e = load(&text).unwrap_err();
    assert!(e.location().contains("frontendPort"), "{e}");
    assert!(e.message().contains("whole number"), "{e}");
}

/// Azure's REST shape: the rule names its backend configuration.
const REST: &str = r#"[
  { "id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet",
    "name": "vnet", "type": "Microsoft.Network/virtualNetworks", "location": "westeurope",
    "properties": { "addressSpace": { "addressPrefixes": ["10.0.0.0/16"] },
      "subnets": [ { "name": "s", "id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/s",
        "properties": { "addressPrefix": "10.0.0.0/24" } } ] } },
  { "id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkInterfaces/nic",
    "name": "nic", "type": "Microsoft.Network/networkInterfaces", "location": "westeurope",
    "properties": { "ipConfigurations": [ { "name": "c",
      "id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkInterfaces/nic/ipConfigurations/c",
      "properties": { "privateIPAddress": "10.0.0.9",
        "subnet": { "id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/s" } } } ] } },
  { "id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/publicIPAddresses/ip",
    "name": "ip", "type": "Microsoft.Network/publicIPAddresses", "location": "westeurope",
    "sku": { "name": "Basic" }, "properties": { "ipAddress": "20.62.0.1" } },
  { "id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/loadBalancers/lb",
    "name": "lb", "type": "Microsoft.Network/loadBalancers", "location": "westeurope",
    "sku": { "name": "Basic" },
    "properties": {
      "frontendIPConfigurations": [ { "name": "fe",
        "properties": { "publicIPAddress": { "id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/publicIPAddresses/ip" } } } ],
      "inboundNatRules": [ { "name": "ssh", "properties": {
        "frontendIPConfiguration": { "id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/loadBalancers/lb/frontendIPConfigurations/fe" },
        "backendIPConfiguration": { "id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkInterfaces/nic/ipConfigurations/c" },
        "protocol": "Tcp", "frontendPort": 2222, "backendPort": 22 } } ] } }
]"#;

#[test]
fn a_rest_export_rule_names_its_backend_configuration() {
    let l = load(REST).unwrap();
    assert_eq!(
        l.doc.load_balancers[0].nat_rules[0].nic.as_deref(),
        Some("nic")
    );
    // Basic: open to inbound traffic, and the NIC has no NSG.
    assert_eq!(
        through(&l, "20.62.0.1", 2222),
        (Verdict::Allowed, Some(String::from("10.0.0.9:22")))
    );
}

const TERRAFORM: &str = r#"
resource "azurerm_resource_group" "rg" {
  name     = "rg"
  location = "westeurope"
}
resource "azurerm_virtual_network" "vnet" {
  name                = "vnet"
  location            = "westeurope"
  resource_group_name = azurerm_resource_group.rg.name
  address_space       = ["10.0.0.0/16"]
}
resource "azurerm_subnet" "s" {
  name                 = "s"
  resource_group_name  = azurerm_resource_group.rg.name
  virtual_network_name = azurerm_virtual_network.vnet.name
  address_prefixes     = ["10.0.1.0/24"]
}
resource "azurerm_network_interface" "nic" {
  count               = 2
  name                = "nic${count.index}"
  location            = "westeurope"
  resource_group_name = azurerm_resource_group.rg.name
  ip_configuration {
    name                          = "internal"
    subnet_id                     = azurerm_subnet.s.id
    private_ip_address_allocation = "Static"
    private_ip_address            = "10.0.1.${10 + count.index}"
  }
}
resource "azurerm_public_ip" "ip" {
  name                = "ip"
  location            = "westeurope"
  resource_group_name = azurerm_resource_group.rg.name
  allocation_method   = "Static"
  sku                 = "Basic"
}
resource "azurerm_lb" "lb" {
  name                = "lb"
  location            = "westeurope"
  resource_group_name = azurerm_resource_group.rg.name
  sku                 = "Basic"
  frontend_ip_configuration {
    name                 = "fe"
    public_ip_address_id = azurerm_public_ip.ip.id
  }
}
resource "azurerm_lb_backend_address_pool" "pool" {
  name            = "pool"
  loadbalancer_id = azurerm_lb.lb.id
}
resource "azurerm_network_interface_backend_address_pool_association" "m" {
  count                   = 2
  network_interface_id    = azurerm_network_interface.nic[count.index].id
  ip_configuration_name   = "internal"
  backend_address_pool_id = azurerm_lb_backend_address_pool.pool.id
}
resource "azurerm_lb_nat_rule" "rdp" {
  name                           = "rdp"
  resource_group_name            = azurerm_resource_group.rg.name
  loadbalancer_id                = azurerm_lb.lb.id
  protocol                       = "Tcp"
  frontend_port                  = 3390
  backend_port                   = 3389
  frontend_ip_configuration_name = "fe"
}
resource "azurerm_network_interface_nat_rule_association" "rdp" {
  network_interface_id  = azurerm_network_interface.nic[1].id
  ip_configuration_name = "internal"
  nat_rule_id           = azurerm_lb_nat_rule.rdp.id
}
resource "azurerm_lb_nat_rule" "ssh" {
  name                           = "ssh"
  resource_group_name            = azurerm_resource_group.rg.name
  loadbalancer_id                = azurerm_lb.lb.id
  protocol                       = "Tcp"
  frontend_port_start            = 2200
  frontend_port_end              = 2209
  backend_port                   = 22
  frontend_ip_configuration_name = "fe"
  backend_address_pool_id        = azurerm_lb_backend_address_pool.pool.id
}
"#;

#[test]
fn terraform_rules_and_their_association_are_read() {
    let l = load(TERRAFORM).unwrap();
    let rules = &l.doc.load_balancers[0].nat_rules;
    assert_eq!(rules.len(), 2, "{:?}", l.report.skipped);
    assert_eq!(rules[0].nic.as_deref(), Some("nic1"));
    assert_eq!(rules[1].backend_pool.as_deref(), Some("pool"));
    assert_eq!(
        (rules[1].frontend_port, rules[1].frontend_port_end),
        (2200, Some(2209))
    );
    assert_eq!(
        through(&l, "20.255.0.1", 3390).1.as_deref(),
        Some("10.0.1.11:3389")
    );
    assert_eq!(
        through(&l, "20.255.0.1", 2201).1.as_deref(),
        Some("10.0.1.11:22")
    );
}

#[test]
fn a_terraform_rule_port_out_of_range_points_at_the_attribute() {
    let text = TERRAFORM.replace(
        "frontend_port                  = 3390",
        "frontend_port = 70000",
    );
    let e = load(&text).unwrap_err();
    assert!(e.message().contains("70000"), "{e}");
    assert!(e.location().contains("line"), "{e}");
}

/// A scale set behind a load balancer with an inbound NAT pool, in the shape
/// of Microsoft's VMSS quickstarts: each instance is imported as a VM with
/// its NIC, the pool becomes one NAT rule per instance.
const SCALE_SET: &str = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": { "instanceCount": { "type": "int", "defaultValue": 3 } },
  "variables": { "lbId": "[resourceId('Microsoft.Network/loadBalancers', 'lb')]" },
  "resources": [
    { "type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-09-01", "name": "vnet",
      "location": "westeurope",
      "properties": { "addressSpace": { "addressPrefixes": ["10.0.0.0/16"] },
        "subnets": [ { "name": "s", "properties": { "addressPrefix": "10.0.0.0/24" } } ] } },
    { "type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2023-09-01", "name": "nsg",
      "location": "westeurope",
      "properties": { "securityRules": [ { "name": "ssh", "properties": {
        "priority": 100, "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
        "sourceAddressPrefix": "Internet", "sourcePortRange": "*",
        "destinationAddressPrefix": "*", "destinationPortRange": "22" } } ] } },
    { "type": "Microsoft.Network/publicIPAddresses", "apiVersion": "2023-09-01", "name": "lb-ip",
      "location": "westeurope", "sku": { "name": "Standard" },
      "properties": { "publicIPAllocationMethod": "Static", "ipAddress": "20.61.0.8" } },
    { "type": "Microsoft.Network/loadBalancers", "apiVersion": "2023-09-01", "name": "lb",
      "location": "westeurope", "sku": { "name": "Standard" },
      "properties": {
        "frontendIPConfigurations": [ { "name": "fe", "properties": {
          "publicIPAddress": { "id": "[resourceId('Microsoft.Network/publicIPAddresses', 'lb-ip')]" } } } ],
        "backendAddressPools": [ { "name": "pool" } ],
        "inboundNatPools": [ { "name": "ssh", "properties": {
          "frontendIPConfiguration": { "id": "[concat(variables('lbId'), '/frontendIPConfigurations/fe')]" },
          "protocol": "Tcp", "frontendPortRangeStart": 50000, "frontendPortRangeEnd": 50001,
          "backendPort": 22 } } ] } },
    { "type": "Microsoft.Compute/virtualMachineScaleSets", "apiVersion": "2023-09-01", "name": "web",
      "location": "westeurope",
      "sku": { "name": "Standard_B1s", "capacity": "[parameters('instanceCount')]" },
      "properties": { "virtualMachineProfile": { "networkProfile": { "networkInterfaceConfigurations": [
        { "name": "nic", "properties": { "primary": true,
          "networkSecurityGroup": { "id": "[resourceId('Microsoft.Network/networkSecurityGroups', 'nsg')]" },
          "ipConfigurations": [ { "name": "ipconfig", "properties": {
            "subnet": { "id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 's')]" },
            "loadBalancerBackendAddressPools": [ { "id": "[concat(variables('lbId'), '/backendAddressPools/pool')]" } ],
            "loadBalancerInboundNatPools": [ { "id": "[concat(variables('lbId'), '/inboundNatPools/ssh')]" } ] } } ] } } ] } } } }
  ]
}"#;

#[test]
fn scale_set_instances_are_vms_and_a_nat_pool_gives_each_a_port() {
    let l = load(SCALE_SET).unwrap_or_else(|e| panic!("{e}"));
    let vms: Vec<&str> = l.doc.vms.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(vms, ["web_0", "web_1", "web_2"]);
    assert_eq!(l.doc.nics[0].nsg.as_deref(), Some("nsg"));
    let lb = &l.doc.load_balancers[0];
    assert_eq!(lb.backend_pools[0].members.len(), 3);
    let rules: Vec<(&str, i64, Option<&str>)> = lb
        .nat_rules
        .iter()
        .map(|r| (r.name.as_str(), r.frontend_port, r.nic.as_deref()))
        .collect();
    assert_eq!(
        rules,
        [
            ("ssh.0", 50000, Some("web_0-nic")),
            ("ssh.1", 50001, Some("web_1-nic"))
        ]
    );
    // Two ports for three instances: the third is reported.
    assert!(
        l.report
            .skipped
            .iter()
            .any(|(w, why)| w.ends_with("inboundNatPools/ssh: instance 2") && why.contains("fewer")),
        "{:?}",
        l.report.skipped
    );
    assert_eq!(
        through(&l, "20.61.0.8", 50001),
        (Verdict::Allowed, Some(String::from("10.0.0.5:22")))
    );
}

#[test]
fn a_scale_set_without_a_capacity_value_is_one_instance_and_large_ones_are_capped() {
    let t = SCALE_SET.replace(r#""defaultValue": 3 "#, "");
    let l = load(&t).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(l.doc.vms.len(), 1);
    assert!(
        l.report
            .assumptions
            .iter()
            .any(|a| a.contains("instanceCount") && a.contains("one instance")),
        "{:?}",
        l.report.assumptions
    );
    let l = load(&SCALE_SET.replace(r#""defaultValue": 3"#, r#""defaultValue": 40"#)).unwrap();
    assert_eq!(l.doc.vms.len(), 10);
    assert!(
        l.report
            .assumptions
            .iter()
            .any(|a| a.contains("has 40 instances; the first 10"))
    );
}

const TERRAFORM_SCALE_SET: &str = r#"
resource "azurerm_virtual_network" "v" {
  name                = "v"
  location            = "westeurope"
  resource_group_name = "rg"
  address_space       = ["10.5.0.0/16"]
}
resource "azurerm_subnet" "s" {
  name                 = "s"
  resource_group_name  = "rg"
  virtual_network_name = azurerm_virtual_network.v.name
  address_prefixes     = ["10.5.1.0/24"]
}
resource "azurerm_public_ip" "ip" {
  name                = "ip"
  location            = "westeurope"
  resource_group_name = "rg"
  allocation_method   = "Static"
  sku                 = "Standard"
  ip_address          = "20.62.0.9"
}
resource "azurerm_lb" "lb" {
  name                = "lb"
  location            = "westeurope"
  resource_group_name = "rg"
  sku                 = "Standard"
  frontend_ip_configuration {
    name                 = "fe"
    public_ip_address_id = azurerm_public_ip.ip.id
  }
}
resource "azurerm_lb_backend_address_pool" "pool" {
  name            = "pool"
  loadbalancer_id = azurerm_lb.lb.id
}
resource "azurerm_lb_nat_pool" "ssh" {
  name                           = "ssh"
  resource_group_name            = "rg"
  loadbalancer_id                = azurerm_lb.lb.id
  protocol                       = "Tcp"
  frontend_port_start            = 50000
  frontend_port_end              = 50119
  backend_port                   = 22
  frontend_ip_configuration_name = "fe"
}
resource "azurerm_network_security_group" "nsg" {
  name                = "nsg"
  location            = "westeurope"
  resource_group_name = "rg"
  security_rule {
    name                       = "ssh"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "22"
    source_address_prefix      = "Internet"
    destination_address_prefix = "*"
  }
}
resource "azurerm_linux_virtual_machine_scale_set" "web" {
  name                = "web"
  resource_group_name = "rg"
  location            = "westeurope"
  sku                 = "Standard_B1s"
  instances           = 2
  admin_username      = "azureuser"
  network_interface {
    name                      = "nic"
    primary                   = true
    network_security_group_id = azurerm_network_security_group.nsg.id
    ip_configuration {
      name                                   = "internal"
      primary                                = true
      subnet_id                              = azurerm_subnet.s.id
      load_balancer_backend_address_pool_ids = [azurerm_lb_backend_address_pool.pool.id]
      load_balancer_inbound_nat_rules_ids    = [azurerm_lb_nat_pool.ssh.id]
    }
  }
}
"#;

#[test]
fn a_terraform_scale_set_and_its_nat_pool_are_read() {
    let l = load(TERRAFORM_SCALE_SET).unwrap_or_else(|e| panic!("{e}"));
    let vms: Vec<&str> = l.doc.vms.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(vms, ["web_0", "web_1"]);
    assert_eq!(l.doc.load_balancers[0].backend_pools[0].members.len(), 2);
    assert_eq!(l.doc.load_balancers[0].nat_rules.len(), 2);
    assert_eq!(
        through(&l, "20.62.0.9", 50001),
        (Verdict::Allowed, Some(String::from("10.5.1.5:22")))
    );
}
