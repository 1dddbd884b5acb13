//! Azure resource ids for resources of the playground's network.
//!
//! The engine does not track subscriptions or resource groups; every id uses
//! one fixed subscription and resource group, so ids are stable and readable.

use alloc::string::String;

use crate::ids::SubnetId;
use crate::network::Network;

/// The subscription id used in generated resource ids.
pub const SUBSCRIPTION: &str = "00000000-0000-0000-0000-000000000000";
/// The resource group used in generated resource ids.
pub const RESOURCE_GROUP: &str = "netsec-playground";

fn network_id(path: &str) -> String {
    alloc::format!(
        "/subscriptions/{SUBSCRIPTION}/resourceGroups/{RESOURCE_GROUP}/providers/Microsoft.Network/{path}"
    )
}

/// Id of an NSG.
pub fn nsg_id(name: &str) -> String {
    network_id(&alloc::format!("networkSecurityGroups/{name}"))
}

/// Id of a NIC.
pub fn nic_id(name: &str) -> String {
    network_id(&alloc::format!("networkInterfaces/{name}"))
}

/// Id of a route table.
pub fn route_table_id(name: &str) -> String {
    network_id(&alloc::format!("routeTables/{name}"))
}

/// Id of a VNet.
pub fn vnet_id(name: &str) -> String {
    network_id(&alloc::format!("virtualNetworks/{name}"))
}

/// Id of the security admin configuration that holds the scenario's admin
/// rules. The engine models the rules and the VNets they are deployed to, not
/// the network manager and configuration that carry them, so both names are
/// fixed.
pub fn admin_configuration_id() -> String {
    network_id("networkManagers/netsec-playground/securityAdminConfigurations/admin-rules")
}

/// Id of a subnet.
pub fn subnet_id(net: &Network, subnet: SubnetId) -> String {
    network_id(&net.subnet_path(subnet))
}

/// A GUID-shaped id derived from a name (FNV-1a), stable across runs.
pub fn stable_guid(name: &str) -> String {
    let mut h: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    for b in name.bytes() {
        h ^= u128::from(b);
        h = h.wrapping_mul(0x0000_0000_0100_0000_0000_0000_0000_013B);
    }
    let hex = alloc::format!("{h:032x}");
    alloc::format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}
