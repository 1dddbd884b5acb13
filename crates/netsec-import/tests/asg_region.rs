//! An application security group's NICs must be in its region (Azure picks
//! ASGs from the NIC's region, azure-semantics §3). The scenario format, ARM
//! and Terraform all carry the ASG's location; a member elsewhere is refused
//! with the ASG named, and a location that agrees loads.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test code: a panic is a failed test"
)]

use netsec_import::*;

fn scenario(asg_location: &str) -> String {
    format!(
        r#"{{"format":"netsec-scenario","version":1,"title":"t",
        "vnets":[{{"name":"a","location":"westeurope","addressSpace":["10.0.0.0/16"],"subnets":[{{"name":"s","addressPrefixes":["10.0.1.0/24"]}}]}}],
        "asgs":[{{"name":"web","location":"{asg_location}"}}],
        "nics":[{{"name":"n1","ipConfigurations":[{{"name":"c","vnet":"a","subnet":"s","privateIpAddress":"10.0.1.4","asgs":["web"]}}]}}]}}"#
    )
}

fn arm(asg_location: &str) -> String {
    format!(
        r#"{{"$schema":"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#","contentVersion":"1.0.0.0","resources":[
        {{"type":"Microsoft.Network/applicationSecurityGroups","apiVersion":"2023-04-01","name":"web","location":"{asg_location}","properties":{{}}}},
        {{"type":"Microsoft.Network/virtualNetworks","apiVersion":"2023-04-01","name":"v","location":"westeurope","properties":{{"addressSpace":{{"addressPrefixes":["10.0.0.0/16"]}},"subnets":[{{"name":"s","properties":{{"addressPrefix":"10.0.1.0/24"}}}}]}}}},
        {{"type":"Microsoft.Network/networkInterfaces","apiVersion":"2023-04-01","name":"n","location":"westeurope","properties":{{"ipConfigurations":[{{"name":"c","properties":{{"privateIPAllocationMethod":"Dynamic",
          "subnet":{{"id":"[resourceId('Microsoft.Network/virtualNetworks/subnets','v','s')]"}},
          "applicationSecurityGroups":[{{"id":"[resourceId('Microsoft.Network/applicationSecurityGroups','web')]"}}]}}}}]}}}}]}}"#
    )
}

fn terraform(asg_location: &str) -> String {
    format!(
        r#"
resource "azurerm_virtual_network" "v" {{
  name = "v"
  address_space = ["10.0.0.0/16"]
  location = "westeurope"
  resource_group_name = "rg"
}}
resource "azurerm_subnet" "s" {{
  name = "s"
  resource_group_name = "rg"
  virtual_network_name = azurerm_virtual_network.v.name
  address_prefixes = ["10.0.1.0/24"]
}}
resource "azurerm_application_security_group" "web" {{
  name = "web"
  location = "{asg_location}"
  resource_group_name = "rg"
}}
resource "azurerm_network_interface" "n" {{
  name = "n"
  location = "westeurope"
  resource_group_name = "rg"
  ip_configuration {{
    name = "c"
    subnet_id = azurerm_subnet.s.id
    private_ip_address_allocation = "Dynamic"
  }}
}}
resource "azurerm_network_interface_application_security_group_association" "a" {{
  network_interface_id = azurerm_network_interface.n.id
  application_security_group_id = azurerm_application_security_group.web.id
}}
"#
    )
}

#[test]
fn a_member_outside_the_asgs_region_is_refused_in_every_format() {
    for (format, text, place) in [
        ("scenario", scenario("northeurope"), "$.asgs[0]"),
        ("ARM", arm("eastus"), "resources[0]"),
        (
            "Terraform",
            terraform("eastus"),
            "azurerm_application_security_group.web",
        ),
    ] {
        let Err(e) = load(&text) else {
            unreachable!("{format} loaded")
        };
        let e = e.to_string();
        assert!(e.contains(place), "{format}: {e}");
        assert!(
            e.contains("application security group web is in"),
            "{format}: {e}"
        );
        assert!(e.contains("must be in its region"), "{format}: {e}");
    }
}

#[test]
fn a_location_that_agrees_loads_in_every_format() {
    let l = load(&scenario("West Europe")).unwrap();
    assert_eq!(l.doc.asgs[0].location.as_deref(), Some("West Europe"));
    for text in [arm("westeurope"), terraform("West Europe")] {
        let l = load(&text).unwrap();
        assert_eq!(l.network.asgs().count(), 1);
    }
}
