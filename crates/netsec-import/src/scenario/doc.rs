//! The scenario file format, version 1: the document types.
//!
//! A scenario is one JSON object. Resources refer to each other by name
//! (subnets by VNet and subnet name). Field names follow Azure's ARM
//! properties where Azure has one (`addressPrefix`, `sourcePortRanges`,
//! `nextHopIpAddress`, ...), so rules can be pasted between the two.
//! Unknown fields are rejected, so a typo is reported instead of ignored.
//! How each field reads and writes (required, defaulted, left out when
//! default) is the table in [`super::codec`].
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

/// The value of `format`.
pub const FORMAT: &str = "netsec-scenario";
/// The version this crate writes and reads.
pub const VERSION: u32 = 1;

/// The offer type a scenario gets when it names none.
pub const DEFAULT_OFFER: &str = "PayAsYouGo";
/// The SKU of a public IP or load balancer that names none.
pub const DEFAULT_SKU: &str = "Standard";

/// A whole scenario.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct ScenarioDoc {
    /// Always `netsec-scenario`.
    pub format: String,
    /// Format version (1).
    pub version: u32,
    /// Short title.
    pub title: String,
    /// What the scenario teaches, shown when it opens (plain text).
    pub description: String,
    /// Subscription settings.
    pub subscription: SubscriptionDoc,
    /// Virtual networks with their subnets and peerings.
    pub vnets: Vec<VnetDoc>,
    /// Network security groups.
    pub nsgs: Vec<NsgDoc>,
    /// Application security groups.
    pub asgs: Vec<AsgDoc>,
    /// Route tables.
    pub route_tables: Vec<RouteTableDoc>,
    /// Public IP addresses.
    pub public_ips: Vec<PublicIpDoc>,
    /// Network interfaces.
    pub nics: Vec<NicDoc>,
    /// Virtual machines.
    pub vms: Vec<VmDoc>,
    /// Load balancers.
    pub load_balancers: Vec<LoadBalancerDoc>,
    /// Azure Firewalls.
    pub firewalls: Vec<FirewallDoc>,
    /// PaaS service instances (storage accounts, SQL servers, ...).
    pub services: Vec<ServiceDoc>,
    /// Private endpoints.
    pub private_endpoints: Vec<PrivateEndpointDoc>,
    /// AVNM security admin rules.
    pub admin_rules: Vec<AdminRuleDoc>,
    /// Clients on the Internet.
    pub internet_clients: Vec<ClientDoc>,
    /// Named flows (presets, lesson steps, expected verdicts for tests).
    pub flows: Vec<FlowDoc>,
    /// Diagram positions, keyed `<kind>/<name>` (`vnet/hub`, `subnet/hub/web`,
    /// `vm/web-vm`, `nsg/web-nsg`, ...). Ignored by the engine.
    pub layout: BTreeMap<String, PositionDoc>,
}

/// Subscription settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubscriptionDoc {
    /// `PayAsYouGo` (default), `EnterpriseAgreement`, `EnterpriseAgreementDevTest`,
    /// `Msdn`, `CloudSolutionProvider`, `Legacy`.
    pub offer_type: String,
    /// An SMTP exemption was granted (Enterprise Agreement Dev/Test).
    pub smtp_exemption: bool,
}

fn default_offer() -> String {
    String::from(DEFAULT_OFFER)
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
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct PositionDoc {
    /// X, in diagram units.
    pub x: f64,
    /// Y, in diagram units.
    pub y: f64,
    /// Width, for containers laid out by hand.
    pub w: Option<f64>,
    /// Height, for containers laid out by hand.
    pub h: Option<f64>,
}

/// A virtual network.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct VnetDoc {
    /// Name.
    pub name: String,
    /// Region (`westeurope` or `West Europe`).
    pub location: String,
    /// Address spaces.
    pub address_space: Vec<String>,
    /// Prefixes learned from the VNet gateway (BGP / on-premises).
    pub gateway_routes: Vec<String>,
    /// Subnets.
    pub subnets: Vec<SubnetDoc>,
    /// This VNet's side of its peerings.
    pub peerings: Vec<PeeringDoc>,
}

/// A subnet.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct SubnetDoc {
    /// Name.
    pub name: String,
    /// Prefixes.
    pub address_prefixes: Vec<String>,
    /// NSG name.
    pub nsg: Option<String>,
    /// Route table name.
    pub route_table: Option<String>,
    /// Service endpoints (`Microsoft.Storage`).
    pub service_endpoints: Vec<String>,
    /// `Disabled` (default), `Enabled`, `NetworkSecurityGroupEnabled`, `RouteTableEnabled`.
    pub private_endpoint_network_policies: Option<String>,
    /// Default outbound access (default true; false makes a private subnet).
    pub default_outbound_access: bool,
}

/// One side of a peering.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct PeeringDoc {
    /// Name.
    pub name: String,
    /// The remote VNet's name.
    pub remote_vnet: String,
    /// Default true.
    pub allow_virtual_network_access: bool,
    /// Default false.
    pub allow_forwarded_traffic: bool,
    /// Default false.
    pub allow_gateway_transit: bool,
    /// Default false.
    pub use_remote_gateways: bool,
}

/// An NSG.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct NsgDoc {
    /// Name.
    pub name: String,
    /// Custom rules.
    pub rules: Vec<RuleDoc>,
}

/// A security rule, with ARM's property names. Per side, exactly one of the
/// prefix, the prefix list or the ASG list; per port side, the range or the list.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct RuleDoc {
    /// Name.
    pub name: String,
    /// Description.
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
    pub source_address_prefix: Option<String>,
    /// Source list.
    pub source_address_prefixes: Vec<String>,
    /// Source ASG names.
    pub source_application_security_groups: Vec<String>,
    /// Single source port or range.
    pub source_port_range: Option<String>,
    /// Source port list.
    pub source_port_ranges: Vec<String>,
    /// Single destination.
    pub destination_address_prefix: Option<String>,
    /// Destination list.
    pub destination_address_prefixes: Vec<String>,
    /// Destination ASG names.
    pub destination_application_security_groups: Vec<String>,
    /// Single destination port or range.
    pub destination_port_range: Option<String>,
    /// Destination port list.
    pub destination_port_ranges: Vec<String>,
}

/// An ASG.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct AsgDoc {
    /// Name.
    pub name: String,
    /// `location`, optional: when given, every member NIC's VNet must be in
    /// this region (Azure picks ASGs from the NIC's region).
    pub location: Option<String>,
}

/// A route table.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct RouteTableDoc {
    /// Name.
    pub name: String,
    /// Routes.
    pub routes: Vec<RouteDoc>,
    /// `disableBgpRoutePropagation`.
    pub disable_bgp_route_propagation: bool,
}

/// A user-defined route.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct RouteDoc {
    /// Name.
    pub name: String,
    /// A prefix or a service tag.
    pub address_prefix: String,
    /// `VirtualAppliance`, `Internet`, `VnetLocal`, `VirtualNetworkGateway`, `None`.
    pub next_hop_type: String,
    /// Only with `VirtualAppliance`.
    pub next_hop_ip_address: Option<String>,
}

/// A public IP.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct PublicIpDoc {
    /// Name.
    pub name: String,
    /// `Standard` (default) or `Basic`.
    pub sku: String,
    /// The address.
    pub address: String,
}

/// A NIC.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct NicDoc {
    /// Name.
    pub name: String,
    /// NSG name.
    pub nsg: Option<String>,
    /// IP forwarding (appliances).
    pub ip_forwarding: bool,
    /// IP configurations; the first is primary.
    pub ip_configurations: Vec<IpConfigDoc>,
}

/// An IP configuration.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
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
    pub public_ip: Option<String>,
    /// ASG names.
    pub asgs: Vec<String>,
}

/// A VM.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct VmDoc {
    /// Name.
    pub name: String,
    /// NIC names; the first is primary.
    pub nics: Vec<String>,
    /// Availability zone.
    pub zone: Option<u8>,
    /// Acts as a network virtual appliance.
    pub is_appliance: bool,
}

/// A load balancer.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct LoadBalancerDoc {
    /// Name.
    pub name: String,
    /// `Standard` (default) or `Basic`.
    pub sku: String,
    /// Frontends.
    pub frontends: Vec<FrontendDoc>,
    /// Backend pools.
    pub backend_pools: Vec<BackendPoolDoc>,
    /// Load-balancing rules.
    pub rules: Vec<LbRuleDoc>,
    /// Inbound NAT rules (port forwarding).
    pub nat_rules: Vec<InboundNatRuleDoc>,
    /// Probes.
    pub probes: Vec<ProbeDoc>,
}

/// A frontend: a public IP name, or a private address.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct FrontendDoc {
    /// Name.
    pub name: String,
    /// Public IP name (public LB).
    pub public_ip: Option<String>,
    /// Private address (internal LB).
    pub private_ip_address: Option<String>,
}

/// A backend pool.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct BackendPoolDoc {
    /// Name.
    pub name: String,
    /// Members.
    pub members: Vec<BackendMemberDoc>,
}

/// A backend member: a NIC's IP configuration.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct BackendMemberDoc {
    /// NIC name.
    pub nic: String,
    /// IP configuration name (default: the primary).
    pub ip_configuration: Option<String>,
}

/// A load-balancing rule; frontend, pool and probe by name.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
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
    pub probe: Option<String>,
}

/// An inbound NAT rule: a frontend port forwarded to one NIC IP
/// configuration (`nic`, Azure's version 1), or a frontend port range
/// forwarded to the members of a backend pool, one port each
/// (`backendPool` with `frontendPortEnd`, version 2). Exactly one of `nic`
/// and `backendPool` is given.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct InboundNatRuleDoc {
    /// Name.
    pub name: String,
    /// Frontend name.
    pub frontend: String,
    /// `Tcp`, `Udp` or `All`.
    pub protocol: String,
    /// The frontend port, or the first of the range.
    pub frontend_port: i64,
    /// The last frontend port of a pool rule's range (default: the first).
    pub frontend_port_end: Option<i64>,
    /// Backend port.
    pub backend_port: i64,
    /// Target NIC name (version 1).
    pub nic: Option<String>,
    /// The NIC's IP configuration name (default: the primary).
    pub ip_configuration: Option<String>,
    /// Target backend pool name (version 2).
    pub backend_pool: Option<String>,
}

/// A health probe.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ProbeDoc {
    /// Name.
    pub name: String,
    /// `Tcp`, `Http` or `Https` (all probe over TCP).
    pub protocol: String,
    /// Port.
    pub port: i64,
}

/// An Azure Firewall: classic rule collections or a policy.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct FirewallDoc {
    /// Name.
    pub name: String,
    /// VNet holding its `AzureFirewallSubnet`.
    pub vnet: String,
    /// Private address.
    pub private_ip_address: String,
    /// Public IP names.
    pub public_ips: Vec<String>,
    /// Threat intelligence on.
    pub threat_intel: bool,
    /// Classic collections (mutually exclusive with `policy`).
    pub rule_collections: Vec<RuleCollectionDoc>,
    /// A firewall policy.
    pub policy: Option<FirewallPolicyDoc>,
}

/// A firewall policy.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct FirewallPolicyDoc {
    /// Name.
    pub name: String,
    /// Rule collection groups.
    pub rule_collection_groups: Vec<RuleCollectionGroupDoc>,
}

/// A rule collection group.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct RuleCollectionGroupDoc {
    /// Name.
    pub name: String,
    /// 100..=65000.
    pub priority: i64,
    /// Inherited from a parent policy (evaluated first).
    pub from_parent_policy: bool,
    /// Collections.
    pub rule_collections: Vec<RuleCollectionDoc>,
}

/// A rule collection: `kind` is `Dnat`, `Network` or `Application`.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct RuleCollectionDoc {
    /// Name.
    pub name: String,
    /// 100..=65000.
    pub priority: i64,
    /// `Dnat`, `Network` or `Application`.
    pub kind: String,
    /// `Allow` or `Deny` (ignored for `Dnat`).
    pub action: Option<String>,
    /// Rules.
    pub rules: Vec<FirewallRuleDoc>,
}

/// A firewall rule; which fields apply depends on the collection kind.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct FirewallRuleDoc {
    /// Name.
    pub name: String,
    /// Network/DNAT: `TCP`, `UDP`, `ICMP`, `Any`. Application: `Http:80`, `Https:443`, `Mssql:1433`.
    pub protocols: Vec<String>,
    /// Source prefixes, tags or `*`.
    pub source_addresses: Vec<String>,
    /// Network: destination prefixes, tags or `*`. DNAT: the firewall's public address.
    pub destination_addresses: Vec<String>,
    /// Network: destination FQDNs.
    pub destination_fqdns: Vec<String>,
    /// Network/DNAT: destination ports.
    pub destination_ports: Vec<String>,
    /// Application: target FQDNs.
    pub target_fqdns: Vec<String>,
    /// DNAT: translated address.
    pub translated_address: Option<String>,
    /// DNAT: translated port.
    pub translated_port: Option<String>,
}

/// A PaaS service instance.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
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
    pub public_network_access: bool,
    /// Subnets allowed by virtual network rules.
    pub allowed_subnets: Vec<SubnetRefDoc>,
    /// IP ranges allowed.
    pub allowed_ip_ranges: Vec<String>,
}

/// A subnet by VNet and name.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct SubnetRefDoc {
    /// VNet name.
    pub vnet: String,
    /// Subnet name.
    pub subnet: String,
}

/// A private endpoint.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
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
#[derive(Clone, Debug, PartialEq, Eq, Default)]
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
    pub sources: Vec<String>,
    /// Source ports (empty = any).
    pub source_port_ranges: Vec<String>,
    /// Destination prefixes/tags (empty = any).
    pub destinations: Vec<String>,
    /// Destination ports (empty = any).
    pub destination_port_ranges: Vec<String>,
    /// VNet names of the network group.
    pub applies_to: Vec<String>,
}

/// A client on the Internet.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ClientDoc {
    /// Name.
    pub name: String,
    /// Public address.
    pub address: String,
}

/// A named flow. Endpoints are an IP address or `vm/<name>`, `nic/<name>`,
/// `client/<name>`, `service/<name>`, `pe/<name>`, `pip/<name>`, `lb/<name>`
/// (the first frontend), `firewall/<name>` (its public address).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
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
    pub source_port: Option<i64>,
    /// Destination port.
    pub destination_port: Option<i64>,
    /// Host name for firewall application rules.
    pub host: Option<String>,
    /// Expected verdict (`Allowed`/`Denied`), for lessons and tests.
    pub expect: Option<ExpectDoc>,
}

/// What a flow is expected to do.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ExpectDoc {
    /// `Allowed` or `Denied`.
    pub verdict: String,
    /// The layer that denies (`NicNsg`, `SubnetNsg`, `Routing`, ...).
    pub layer: Option<String>,
    /// The deciding rule's name (`defaultSecurityRules/DenyAllInBound`).
    pub rule: Option<String>,
    /// Whether the reply comes back (`Allowed`/`Denied`).
    pub reply: Option<String>,
    /// The fact of the reference this row checks.
    pub fact: String,
}
