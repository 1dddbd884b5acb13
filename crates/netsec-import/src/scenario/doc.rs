//! The scenario file format, version 1: the document types.
//!
//! A scenario is one JSON object. Resources refer to each other by name
//! (subnets by VNet and subnet name). Field names follow Azure's ARM
//! properties where Azure has one (`addressPrefix`, `sourcePortRanges`,
//! `nextHopIpAddress`, ...), so rules can be pasted between the two.
//! Unknown fields are rejected, so a typo is reported instead of ignored.
//!
//! ```json
//! {
//!   "format": "netsec-scenario",
//!   "version": 1,
//!   "title": "Web VM opened on 80/443",
//!   "subscription": { "offerType": "PayAsYouGo" },
//!   "vnets": [{ "name": "vnet", "location": "westeurope", "addressSpace": ["10.0.0.0/16"],
//!               "subnets": [{ "name": "web", "addressPrefixes": ["10.0.1.0/24"], "nsg": "web-nsg" }] }],
//!   "nsgs": [{ "name": "web-nsg", "rules": [{ "name": "allow-web", "priority": 100,
//!              "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
//!              "sourceAddressPrefix": "Internet", "sourcePortRange": "*",
//!              "destinationAddressPrefix": "*", "destinationPortRanges": ["80", "443"] }] }],
//!   "nics": [{ "name": "web-nic", "ipConfigurations": [{ "name": "ipconfig1", "vnet": "vnet",
//!              "subnet": "web", "privateIpAddress": "10.0.1.4", "publicIp": "web-ip" }] }],
//!   "publicIps": [{ "name": "web-ip", "sku": "Standard", "address": "20.50.0.10" }],
//!   "vms": [{ "name": "web-vm", "nics": ["web-nic"] }],
//!   "internetClients": [{ "name": "laptop", "address": "203.0.113.10" }],
//!   "flows": [{ "name": "HTTPS in", "source": "client/laptop", "destination": "20.50.0.10",
//!               "protocol": "Tcp", "destinationPort": 443 }],
//!   "layout": { "vm/web-vm": { "x": 120, "y": 80 } }
//! }
//! ```

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The value of `format`.
pub const FORMAT: &str = "netsec-scenario";
/// The version this crate writes and reads.
pub const VERSION: u32 = 1;

fn yes() -> bool {
    true
}
fn is_true(b: &bool) -> bool {
    *b
}
fn is_false(b: &bool) -> bool {
    !*b
}

/// A whole scenario.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ScenarioDoc {
    /// Always `netsec-scenario`.
    pub format: String,
    /// Format version (1).
    pub version: u32,
    /// Short title.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
    /// What the scenario teaches, shown when it opens (plain text).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Subscription settings.
    #[serde(default)]
    pub subscription: SubscriptionDoc,
    /// Virtual networks with their subnets and peerings.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vnets: Vec<VnetDoc>,
    /// Network security groups.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub nsgs: Vec<NsgDoc>,
    /// Application security groups.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub asgs: Vec<AsgDoc>,
    /// Route tables.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub route_tables: Vec<RouteTableDoc>,
    /// Public IP addresses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub public_ips: Vec<PublicIpDoc>,
    /// Network interfaces.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub nics: Vec<NicDoc>,
    /// Virtual machines.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vms: Vec<VmDoc>,
    /// Load balancers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub load_balancers: Vec<LoadBalancerDoc>,
    /// Azure Firewalls.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub firewalls: Vec<FirewallDoc>,
    /// PaaS service instances (storage accounts, SQL servers, ...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<ServiceDoc>,
    /// Private endpoints.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub private_endpoints: Vec<PrivateEndpointDoc>,
    /// AVNM security admin rules.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub admin_rules: Vec<AdminRuleDoc>,
    /// Clients on the Internet.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub internet_clients: Vec<ClientDoc>,
    /// Named flows (presets, lesson steps, expected verdicts for tests).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub flows: Vec<FlowDoc>,
    /// Diagram positions, keyed `<kind>/<name>` (`vnet/hub`, `subnet/hub/web`,
    /// `vm/web-vm`, `nsg/web-nsg`, ...). Ignored by the engine.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub layout: BTreeMap<String, PositionDoc>,
}

/// Subscription settings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SubscriptionDoc {
    /// `PayAsYouGo` (default), `EnterpriseAgreement`, `EnterpriseAgreementDevTest`,
    /// `Msdn`, `CloudSolutionProvider`, `Legacy`.
    #[serde(default = "default_offer")]
    pub offer_type: String,
    /// An SMTP exemption was granted (Enterprise Agreement Dev/Test).
    #[serde(default, skip_serializing_if = "is_false")]
    pub smtp_exemption: bool,
}

fn default_offer() -> String {
    String::from("PayAsYouGo")
}

impl Default for SubscriptionDoc {
    fn default() -> Self {
        Self {
            offer_type: default_offer(),
            smtp_exemption: false,
        }
    }
}

/// A position on the diagram.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct PositionDoc {
    /// X, in diagram units.
    pub x: f64,
    /// Y, in diagram units.
    pub y: f64,
    /// Width, for containers laid out by hand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub w: Option<f64>,
    /// Height, for containers laid out by hand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub h: Option<f64>,
}

/// A virtual network.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VnetDoc {
    /// Name.
    pub name: String,
    /// Region (`westeurope` or `West Europe`).
    pub location: String,
    /// Address spaces.
    pub address_space: Vec<String>,
    /// Prefixes learned from the VNet gateway (BGP / on-premises).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gateway_routes: Vec<String>,
    /// Subnets.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subnets: Vec<SubnetDoc>,
    /// This VNet's side of its peerings.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub peerings: Vec<PeeringDoc>,
}

/// A subnet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SubnetDoc {
    /// Name.
    pub name: String,
    /// Prefixes.
    pub address_prefixes: Vec<String>,
    /// NSG name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nsg: Option<String>,
    /// Route table name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub route_table: Option<String>,
    /// Service endpoints (`Microsoft.Storage`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub service_endpoints: Vec<String>,
    /// `Disabled` (default), `Enabled`, `NetworkSecurityGroupEnabled`, `RouteTableEnabled`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private_endpoint_network_policies: Option<String>,
    /// Default outbound access (default true; false makes a private subnet).
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub default_outbound_access: bool,
}

/// One side of a peering.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PeeringDoc {
    /// Name.
    pub name: String,
    /// The remote VNet's name.
    pub remote_vnet: String,
    /// Default true.
    #[serde(default = "yes")]
    pub allow_virtual_network_access: bool,
    /// Default false.
    #[serde(default)]
    pub allow_forwarded_traffic: bool,
    /// Default false.
    #[serde(default)]
    pub allow_gateway_transit: bool,
    /// Default false.
    #[serde(default)]
    pub use_remote_gateways: bool,
}

/// An NSG.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NsgDoc {
    /// Name.
    pub name: String,
    /// Custom rules.
    #[serde(default)]
    pub rules: Vec<RuleDoc>,
}

/// A security rule, with ARM's property names. Per side, exactly one of the
/// prefix, the prefix list or the ASG list; per port side, the range or the list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RuleDoc {
    /// Name.
    pub name: String,
    /// Description.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// 100..=4096. Kept wide so an out-of-range value gets Azure's error, not a parse error.
    pub priority: i64,
    /// `Inbound` or `Outbound`.
    pub direction: String,
    /// `Allow` or `Deny`.
    pub access: String,
    /// `Tcp`, `Udp`, `Icmp`, `Esp`, `Ah` or `*`.
    pub protocol: String,
    /// Single source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_address_prefix: Option<String>,
    /// Source list.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub source_address_prefixes: Vec<String>,
    /// Source ASG names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub source_application_security_groups: Vec<String>,
    /// Single source port or range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_port_range: Option<String>,
    /// Source port list.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub source_port_ranges: Vec<String>,
    /// Single destination.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination_address_prefix: Option<String>,
    /// Destination list.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub destination_address_prefixes: Vec<String>,
    /// Destination ASG names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub destination_application_security_groups: Vec<String>,
    /// Single destination port or range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination_port_range: Option<String>,
    /// Destination port list.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub destination_port_ranges: Vec<String>,
}

/// An ASG.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AsgDoc {
    /// Name.
    pub name: String,
}

/// A route table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RouteTableDoc {
    /// Name.
    pub name: String,
    /// Routes.
    #[serde(default)]
    pub routes: Vec<RouteDoc>,
    /// `disableBgpRoutePropagation`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub disable_bgp_route_propagation: bool,
}

/// A user-defined route.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RouteDoc {
    /// Name.
    pub name: String,
    /// A prefix or a service tag.
    pub address_prefix: String,
    /// `VirtualAppliance`, `Internet`, `VnetLocal`, `VirtualNetworkGateway`, `None`.
    pub next_hop_type: String,
    /// Only with `VirtualAppliance`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_hop_ip_address: Option<String>,
}

/// A public IP.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PublicIpDoc {
    /// Name.
    pub name: String,
    /// `Standard` (default) or `Basic`.
    #[serde(default = "standard")]
    pub sku: String,
    /// The address.
    pub address: String,
}

fn standard() -> String {
    String::from("Standard")
}

/// A NIC.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NicDoc {
    /// Name.
    pub name: String,
    /// NSG name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nsg: Option<String>,
    /// IP forwarding (appliances).
    #[serde(default, skip_serializing_if = "is_false")]
    pub ip_forwarding: bool,
    /// IP configurations; the first is primary.
    pub ip_configurations: Vec<IpConfigDoc>,
}

/// An IP configuration.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IpConfigDoc {
    /// Name.
    pub name: String,
    /// VNet name.
    pub vnet: String,
    /// Subnet name.
    pub subnet: String,
    /// Private address.
    pub private_ip_address: String,
    /// Public IP name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_ip: Option<String>,
    /// ASG names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub asgs: Vec<String>,
}

/// A VM.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VmDoc {
    /// Name.
    pub name: String,
    /// NIC names; the first is primary.
    pub nics: Vec<String>,
    /// Availability zone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zone: Option<u8>,
    /// Acts as a network virtual appliance.
    #[serde(default, skip_serializing_if = "is_false")]
    pub is_appliance: bool,
}

/// A load balancer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LoadBalancerDoc {
    /// Name.
    pub name: String,
    /// `Standard` (default) or `Basic`.
    #[serde(default = "standard")]
    pub sku: String,
    /// Frontends.
    pub frontends: Vec<FrontendDoc>,
    /// Backend pools.
    #[serde(default)]
    pub backend_pools: Vec<BackendPoolDoc>,
    /// Load-balancing rules.
    #[serde(default)]
    pub rules: Vec<LbRuleDoc>,
    /// Probes.
    #[serde(default)]
    pub probes: Vec<ProbeDoc>,
}

/// A frontend: a public IP name, or a private address.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FrontendDoc {
    /// Name.
    pub name: String,
    /// Public IP name (public LB).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_ip: Option<String>,
    /// Private address (internal LB).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private_ip_address: Option<String>,
}

/// A backend pool.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BackendPoolDoc {
    /// Name.
    pub name: String,
    /// Members.
    #[serde(default)]
    pub members: Vec<BackendMemberDoc>,
}

/// A backend member: a NIC's IP configuration.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BackendMemberDoc {
    /// NIC name.
    pub nic: String,
    /// IP configuration name (default: the primary).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip_configuration: Option<String>,
}

/// A load-balancing rule; frontend, pool and probe by name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LbRuleDoc {
    /// Name.
    pub name: String,
    /// Frontend name.
    pub frontend: String,
    /// Backend pool name.
    pub backend_pool: String,
    /// `Tcp`, `Udp` or `All`.
    pub protocol: String,
    /// Frontend port (0 for HA ports).
    pub frontend_port: i64,
    /// Backend port.
    pub backend_port: i64,
    /// Probe name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub probe: Option<String>,
}

/// A health probe.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProbeDoc {
    /// Name.
    pub name: String,
    /// `Tcp`, `Http` or `Https` (all probe over TCP).
    pub protocol: String,
    /// Port.
    pub port: i64,
}

/// An Azure Firewall: classic rule collections or a policy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FirewallDoc {
    /// Name.
    pub name: String,
    /// VNet holding its `AzureFirewallSubnet`.
    pub vnet: String,
    /// Private address.
    pub private_ip_address: String,
    /// Public IP names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub public_ips: Vec<String>,
    /// Threat intelligence on.
    #[serde(default, skip_serializing_if = "is_false")]
    pub threat_intel: bool,
    /// Classic collections (mutually exclusive with `policy`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rule_collections: Vec<RuleCollectionDoc>,
    /// A firewall policy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<FirewallPolicyDoc>,
}

/// A firewall policy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FirewallPolicyDoc {
    /// Name.
    pub name: String,
    /// Rule collection groups.
    #[serde(default)]
    pub rule_collection_groups: Vec<RuleCollectionGroupDoc>,
}

/// A rule collection group.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RuleCollectionGroupDoc {
    /// Name.
    pub name: String,
    /// 100..=65000.
    pub priority: i64,
    /// Inherited from a parent policy (evaluated first).
    #[serde(default, skip_serializing_if = "is_false")]
    pub from_parent_policy: bool,
    /// Collections.
    #[serde(default)]
    pub rule_collections: Vec<RuleCollectionDoc>,
}

/// A rule collection: `kind` is `Dnat`, `Network` or `Application`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RuleCollectionDoc {
    /// Name.
    pub name: String,
    /// 100..=65000.
    pub priority: i64,
    /// `Dnat`, `Network` or `Application`.
    pub kind: String,
    /// `Allow` or `Deny` (ignored for `Dnat`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// Rules.
    #[serde(default)]
    pub rules: Vec<FirewallRuleDoc>,
}

/// A firewall rule; which fields apply depends on the collection kind.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FirewallRuleDoc {
    /// Name.
    pub name: String,
    /// Network/DNAT: `TCP`, `UDP`, `ICMP`, `Any`. Application: `Http:80`, `Https:443`, `Mssql:1433`.
    #[serde(default)]
    pub protocols: Vec<String>,
    /// Source prefixes, tags or `*`.
    #[serde(default)]
    pub source_addresses: Vec<String>,
    /// Network: destination prefixes, tags or `*`. DNAT: the firewall's public address.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub destination_addresses: Vec<String>,
    /// Network: destination FQDNs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub destination_fqdns: Vec<String>,
    /// Network/DNAT: destination ports.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub destination_ports: Vec<String>,
    /// Application: target FQDNs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub target_fqdns: Vec<String>,
    /// DNAT: translated address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub translated_address: Option<String>,
    /// DNAT: translated port.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub translated_port: Option<String>,
}

/// A PaaS service instance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ServiceDoc {
    /// Name.
    pub name: String,
    /// Service tag (`Storage`, `Sql`, `AzureKeyVault`, ...).
    pub service_tag: String,
    /// Region.
    pub location: String,
    /// Public endpoint address.
    pub public_ip_address: String,
    /// Default true.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub public_network_access: bool,
    /// Subnets allowed by virtual network rules.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allowed_subnets: Vec<SubnetRefDoc>,
    /// IP ranges allowed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allowed_ip_ranges: Vec<String>,
}

/// A subnet by VNet and name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SubnetRefDoc {
    /// VNet name.
    pub vnet: String,
    /// Subnet name.
    pub subnet: String,
}

/// A private endpoint.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PrivateEndpointDoc {
    /// Name.
    pub name: String,
    /// VNet name.
    pub vnet: String,
    /// Subnet name.
    pub subnet: String,
    /// Its private address.
    pub private_ip_address: String,
    /// Service name.
    pub service: String,
}

/// An AVNM security admin rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AdminRuleDoc {
    /// Name.
    pub name: String,
    /// 1..=4096.
    pub priority: i64,
    /// `Inbound` or `Outbound`.
    pub direction: String,
    /// `Allow`, `Deny` or `AlwaysAllow`.
    pub access: String,
    /// `Tcp`, `Udp`, `Icmp`, `Esp`, `Ah` or `Any`.
    pub protocol: String,
    /// Source prefixes/tags (empty = any).
    #[serde(default)]
    pub sources: Vec<String>,
    /// Source ports (empty = any).
    #[serde(default)]
    pub source_port_ranges: Vec<String>,
    /// Destination prefixes/tags (empty = any).
    #[serde(default)]
    pub destinations: Vec<String>,
    /// Destination ports (empty = any).
    #[serde(default)]
    pub destination_port_ranges: Vec<String>,
    /// VNet names of the network group.
    pub applies_to: Vec<String>,
}

/// A client on the Internet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ClientDoc {
    /// Name.
    pub name: String,
    /// Public address.
    pub address: String,
}

/// A named flow. Endpoints are an IP address or `vm/<name>`, `nic/<name>`,
/// `client/<name>`, `service/<name>`, `pe/<name>`, `pip/<name>`, `lb/<name>`
/// (the first frontend), `firewall/<name>` (its public address).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FlowDoc {
    /// Name.
    pub name: String,
    /// Source endpoint.
    pub source: String,
    /// Destination endpoint.
    pub destination: String,
    /// `Tcp`, `Udp`, `Icmp`, `Esp`, `Ah`.
    pub protocol: String,
    /// Source port (default 50000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_port: Option<i64>,
    /// Destination port.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination_port: Option<i64>,
    /// Host name for firewall application rules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// Expected verdict (`Allowed`/`Denied`), for lessons and tests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expect: Option<ExpectDoc>,
}

/// What a flow is expected to do.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExpectDoc {
    /// `Allowed` or `Denied`.
    pub verdict: String,
    /// The layer that denies (`NicNsg`, `SubnetNsg`, `Routing`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layer: Option<String>,
    /// The deciding rule's name (`defaultSecurityRules/DenyAllInBound`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// Whether the reply comes back (`Allowed`/`Denied`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply: Option<String>,
    /// The fact of the reference this row checks.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub fact: String,
}
