//! The resources of an Azure network, as plain data.
//!
//! These are what a caller hands to [`NetworkBuilder`](crate::NetworkBuilder)
//! and what a built [`Network`](crate::Network) hands back. A resource inside a
//! `Network` has passed validation; the builder is the only way in.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
use core::net::IpAddr;

use crate::address::IpNet;
use crate::ids::*;
use crate::port::PortSpec;
use crate::protocol::{Protocol, RuleProtocol};
use crate::servicetag::ServiceTag;

/// A region used by the network.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Region {
    /// Programmatic name (`westeurope`).
    pub name: String,
    /// Display name (`West Europe`), from the built-in table when known.
    pub display_name: String,
    /// The paired region's programmatic name.
    pub pair: Option<String>,
    /// Availability zones offered (0 or 3).
    pub zones: u8,
}

/// A virtual network.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VirtualNetwork {
    /// Resource name.
    pub name: String,
    /// Region it lives in.
    pub region: RegionId,
    /// Address spaces (IPv4 and IPv6).
    pub address_space: Vec<IpNet>,
    /// Prefixes learned over BGP or from a local network gateway, reached through
    /// the VNet's gateway (source `VirtualNetworkGateway`).
    pub gateway_routes: Vec<IpNet>,
}

/// Whether NSGs and UDRs apply to private endpoints in a subnet
/// (`privateEndpointNetworkPolicies`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum PrivateEndpointPolicies {
    /// Neither NSGs nor UDRs apply to private endpoint traffic (Azure's default).
    #[default]
    Disabled,
    /// Both apply.
    Enabled,
    /// NSGs apply, UDRs do not.
    NetworkSecurityGroupEnabled,
    /// UDRs apply, NSGs do not.
    RouteTableEnabled,
}

impl PrivateEndpointPolicies {
    /// Whether NSGs filter traffic to private endpoints in the subnet.
    pub fn nsg_applies(self) -> bool {
        matches!(self, Self::Enabled | Self::NetworkSecurityGroupEnabled)
    }
    /// Whether UDRs can override private endpoint routes.
    pub fn routes_apply(self) -> bool {
        matches!(self, Self::Enabled | Self::RouteTableEnabled)
    }
    /// Azure's API spelling.
    pub fn api_name(self) -> &'static str {
        match self {
            Self::Disabled => "Disabled",
            Self::Enabled => "Enabled",
            Self::NetworkSecurityGroupEnabled => "NetworkSecurityGroupEnabled",
            Self::RouteTableEnabled => "RouteTableEnabled",
        }
    }
}

/// A subnet of a virtual network.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Subnet {
    /// Resource name (`AzureFirewallSubnet` for a firewall's subnet).
    pub name: String,
    /// The VNet it belongs to.
    pub vnet: VnetId,
    /// Address prefixes (one per family, usually).
    pub prefixes: Vec<IpNet>,
    /// NSG associated with the subnet.
    pub nsg: Option<NsgId>,
    /// Route table associated with the subnet.
    pub route_table: Option<RouteTableId>,
    /// Service endpoints enabled (`Microsoft.Storage`, `Microsoft.Sql`, ...).
    pub service_endpoints: Vec<String>,
    /// `privateEndpointNetworkPolicies`.
    pub private_endpoint_policies: PrivateEndpointPolicies,
    /// `defaultOutboundAccess`: whether VMs without an explicit outbound method get
    /// Azure's default outbound IP. `false` is a private subnet.
    pub default_outbound_access: bool,
}

/// Inbound or outbound, relative to the resource the rule protects.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Direction {
    /// Traffic arriving at the NIC.
    Inbound,
    /// Traffic leaving the NIC.
    Outbound,
}

impl Direction {
    /// The other direction.
    pub fn reverse(self) -> Self {
        match self {
            Self::Inbound => Self::Outbound,
            Self::Outbound => Self::Inbound,
        }
    }
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Inbound => "Inbound",
            Self::Outbound => "Outbound",
        })
    }
}

/// Allow or deny.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Access {
    /// Let the flow through.
    Allow,
    /// Drop the flow.
    Deny,
}

impl fmt::Display for Access {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Allow => "Allow",
            Self::Deny => "Deny",
        })
    }
}

/// One side (source or destination) of a security rule.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum AddressSpec {
    /// `*`.
    Any,
    /// One or more IPs or CIDRs (`sourceAddressPrefix` or `sourceAddressPrefixes`).
    Prefixes(Vec<IpNet>),
    /// One service tag.
    Tag(ServiceTag),
    /// Application security groups (`sourceApplicationSecurityGroups`).
    Asgs(Vec<AsgId>),
}

/// A custom security rule of an NSG.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecurityRule {
    /// Rule name, unique in the NSG.
    pub name: String,
    /// Description (up to 140 characters).
    pub description: String,
    /// 100..=4096; lower is evaluated first.
    pub priority: u16,
    /// Inbound or outbound.
    pub direction: Direction,
    /// Allow or deny.
    pub access: Access,
    /// Protocol condition.
    pub protocol: RuleProtocol,
    /// Source condition.
    pub source: AddressSpec,
    /// Source port condition.
    pub source_ports: PortSpec,
    /// Destination condition.
    pub destination: AddressSpec,
    /// Destination port condition.
    pub destination_ports: PortSpec,
}

/// A network security group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NetworkSecurityGroup {
    /// Resource name.
    pub name: String,
    /// Custom rules, in the order given (evaluation sorts by priority).
    pub rules: Vec<SecurityRule>,
}

/// An application security group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApplicationSecurityGroup {
    /// Resource name.
    pub name: String,
    /// Its region, when the input gives one: its members' VNets must be in it
    /// (azure-semantics §3, DOC S5).
    pub region: Option<RegionId>,
}

/// One IP configuration of a NIC.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IpConfiguration {
    /// Name (`ipconfig1`).
    pub name: String,
    /// Subnet of the address.
    pub subnet: SubnetId,
    /// Private address.
    pub private_ip: IpAddr,
    /// Public IP associated with this configuration.
    pub public_ip: Option<PublicIpId>,
    /// ASG memberships of this configuration (not of the whole NIC).
    pub asgs: Vec<AsgId>,
}

/// A network interface.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NetworkInterface {
    /// Resource name.
    pub name: String,
    /// IP configurations; the first is the primary.
    pub ip_configs: Vec<IpConfiguration>,
    /// NSG associated with the NIC.
    pub nsg: Option<NsgId>,
    /// `enableIPForwarding`: required for a NIC that forwards traffic (an NVA).
    pub ip_forwarding: bool,
    /// The VM the NIC is attached to, set when a VM claims it.
    pub vm: Option<VmId>,
}

/// A virtual machine.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VirtualMachine {
    /// Resource name.
    pub name: String,
    /// NICs; the first is the primary.
    pub nics: Vec<NicId>,
    /// Availability zone (1..=3), if zonal.
    pub zone: Option<u8>,
    /// Whether the VM acts as a network virtual appliance. Its own filtering is
    /// not modelled: it forwards what reaches it.
    pub is_appliance: bool,
}

/// SKU of a public IP or load balancer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Sku {
    /// Open to inbound traffic by default (retired for public IPs 2025-09-30).
    Basic,
    /// Closed to inbound traffic until an NSG allows it.
    Standard,
}

impl fmt::Display for Sku {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Basic => "Basic",
            Self::Standard => "Standard",
        })
    }
}

/// A public IP address resource.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicIp {
    /// Resource name.
    pub name: String,
    /// Basic or Standard.
    pub sku: Sku,
    /// The address.
    pub address: IpAddr,
}

/// A load balancer frontend.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Frontend {
    /// Frontend IP configuration name.
    pub name: String,
    /// Public IP (public LB).
    pub public_ip: Option<PublicIpId>,
    /// Private IP (internal LB).
    pub private_ip: Option<IpAddr>,
}

/// A backend address pool: NIC IP configurations.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackendPool {
    /// Pool name.
    pub name: String,
    /// Members as (NIC, index of its IP configuration).
    pub members: Vec<(NicId, usize)>,
}

/// A load-balancing rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LbRule {
    /// Rule name.
    pub name: String,
    /// Index into the frontends.
    pub frontend: usize,
    /// Index into the backend pools.
    pub backend: usize,
    /// `Tcp`, `Udp` or `*` (`All`, HA ports on an internal LB).
    pub protocol: RuleProtocol,
    /// Frontend port (0 with `All` for HA ports).
    pub frontend_port: u16,
    /// Backend port.
    pub backend_port: u16,
    /// Index into the probes.
    pub probe: Option<usize>,
}

/// Which backend an inbound NAT rule forwards to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NatTarget {
    /// Version 1: one NIC IP configuration (the NIC's
    /// `loadBalancerInboundNatRules` names the rule).
    IpConfig(NicId, usize),
    /// Version 2: every member of a backend pool, each on its own frontend
    /// port from the rule's range.
    Pool(usize),
}

/// An inbound NAT rule: port forwarding from a frontend port to one backend.
///
/// Unlike a load-balancing rule it takes no health probe (Azure's inbound
/// NAT rule documentation), so the engine forwards whatever the backend's
/// health.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InboundNatRule {
    /// Rule name.
    pub name: String,
    /// Index into the frontends.
    pub frontend: usize,
    /// `Tcp`, `Udp` or `*` (`All`).
    pub protocol: RuleProtocol,
    /// First frontend port. Version 1 rules have a single port, so
    /// `frontend_port_end` equals it.
    pub frontend_port: u16,
    /// Last frontend port of a version 2 rule's range.
    pub frontend_port_end: u16,
    /// Port on the backend.
    pub backend_port: u16,
    /// The backend.
    pub target: NatTarget,
}

impl InboundNatRule {
    /// The pool member (index into its members) a version 2 rule gives
    /// `port`, or 0 for a version 1 rule whose port it is; `None` when `port`
    /// is outside the rule's range.
    ///
    /// Assumption: members take the range's ports in pool order. Azure
    /// assigns one port per instance and shows the mapping in the portal,
    /// but the order is not documented.
    pub fn member_for_port(&self, port: u16) -> Option<usize> {
        (self.frontend_port..=self.frontend_port_end)
            .contains(&port)
            .then(|| usize::from(port - self.frontend_port))
    }
}

/// A health probe.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Probe {
    /// Probe name.
    pub name: String,
    /// `Tcp` (also used for HTTP/HTTPS probes, which run over TCP).
    pub protocol: Protocol,
    /// Port probed on each backend.
    pub port: u16,
}

/// A load balancer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadBalancer {
    /// Resource name.
    pub name: String,
    /// Basic or Standard.
    pub sku: Sku,
    /// Frontend IP configurations.
    pub frontends: Vec<Frontend>,
    /// Backend pools.
    pub backends: Vec<BackendPool>,
    /// Load-balancing rules.
    pub rules: Vec<LbRule>,
    /// Inbound NAT rules (port forwarding to one backend).
    pub nat_rules: Vec<InboundNatRule>,
    /// Health probes.
    pub probes: Vec<Probe>,
}

/// Next-hop types of a user-defined route. Serialized with Azure's spellings
/// ([`NextHopType::api_name`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NextHopType {
    /// The VNet's own address space.
    VnetLocal,
    /// A peered VNet (system routes only).
    VnetPeering,
    /// The Internet.
    Internet,
    /// A VM, NVA, firewall or internal LB at `next_hop_ip`.
    VirtualAppliance,
    /// The VNet's VPN gateway.
    VirtualNetworkGateway,
    /// Drop.
    None,
    /// A service endpoint (system routes only).
    VirtualNetworkServiceEndpoint,
    /// A private endpoint's /32 (system routes only).
    InterfaceEndpoint,
}

impl NextHopType {
    /// Spelling in effective routes and next hop output.
    pub fn api_name(self) -> &'static str {
        match self {
            Self::VnetLocal => "VnetLocal",
            Self::VnetPeering => "VNetPeering",
            Self::Internet => "Internet",
            Self::VirtualAppliance => "VirtualAppliance",
            Self::VirtualNetworkGateway => "VirtualNetworkGateway",
            Self::None => "None",
            Self::VirtualNetworkServiceEndpoint => "VirtualNetworkServiceEndpoint",
            Self::InterfaceEndpoint => "InterfaceEndpoint",
        }
    }

    /// Whether a user-defined route may use this type.
    pub fn allowed_in_udr(self) -> bool {
        matches!(
            self,
            Self::VnetLocal
                | Self::Internet
                | Self::VirtualAppliance
                | Self::VirtualNetworkGateway
                | Self::None
        )
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for NextHopType {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.api_name())
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for NextHopType {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <alloc::string::String as serde::Deserialize>::deserialize(deserializer)?;
        NextHopType::from_api_name(&text)
            .ok_or_else(|| serde::de::Error::custom(alloc::format!("unknown next hop type {text}")))
    }
}

impl NextHopType {
    /// Every type.
    pub const ALL: [NextHopType; 8] = [
        Self::VnetLocal,
        Self::VnetPeering,
        Self::Internet,
        Self::VirtualAppliance,
        Self::VirtualNetworkGateway,
        Self::None,
        Self::VirtualNetworkServiceEndpoint,
        Self::InterfaceEndpoint,
    ];

    /// Reads Azure's spelling, ignoring case.
    pub fn from_api_name(text: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|t| t.api_name().eq_ignore_ascii_case(text.trim()))
    }
}

impl fmt::Display for NextHopType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.api_name())
    }
}

/// The destination of a route: a prefix, or a service tag.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum RoutePrefix {
    /// An explicit prefix.
    Net(IpNet),
    /// A service tag (`Storage`, `AzureCloud.WestEurope`).
    Tag(ServiceTag),
}

impl fmt::Display for RoutePrefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Net(n) => write!(f, "{n}"),
            Self::Tag(t) => write!(f, "{t}"),
        }
    }
}

/// A user-defined route.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Route {
    /// Route name.
    pub name: String,
    /// Destination.
    pub prefix: RoutePrefix,
    /// Next-hop type.
    pub next_hop: NextHopType,
    /// Next-hop address, only for `VirtualAppliance`.
    pub next_hop_ip: Option<IpAddr>,
}

/// A route table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RouteTable {
    /// Resource name.
    pub name: String,
    /// User-defined routes.
    pub routes: Vec<Route>,
    /// `disableBgpRoutePropagation`.
    pub disable_bgp_route_propagation: bool,
}

/// One direction of a VNet peering (Azure keeps one resource per side).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Peering {
    /// Resource name.
    pub name: String,
    /// The VNet this side belongs to.
    pub local: VnetId,
    /// The VNet it points at.
    pub remote: VnetId,
    /// `allowVirtualNetworkAccess` (default true).
    pub allow_virtual_network_access: bool,
    /// `allowForwardedTraffic` (default false).
    pub allow_forwarded_traffic: bool,
    /// `allowGatewayTransit`.
    pub allow_gateway_transit: bool,
    /// `useRemoteGateways`.
    pub use_remote_gateways: bool,
}

/// Matching on addresses in firewall and admin rules: prefixes, tags or `*`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum AddressItem {
    /// `*`.
    Any,
    /// A prefix or address.
    Net(IpNet),
    /// A service tag.
    Tag(ServiceTag),
}

/// An Azure Firewall DNAT rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NatRule {
    /// Rule name.
    pub name: String,
    /// Protocols (TCP and/or UDP).
    pub protocols: Vec<Protocol>,
    /// Source addresses.
    pub sources: Vec<AddressItem>,
    /// The firewall public address the rule listens on.
    pub destination: IpAddr,
    /// Destination ports.
    pub destination_ports: PortSpec,
    /// Address to translate to.
    pub translated_address: IpAddr,
    /// Port to translate to.
    pub translated_port: u16,
}

/// An Azure Firewall network rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NetworkRule {
    /// Rule name.
    pub name: String,
    /// Protocols; empty means any.
    pub protocols: Vec<Protocol>,
    /// Source addresses.
    pub sources: Vec<AddressItem>,
    /// Destination addresses (prefixes or service tags).
    pub destinations: Vec<AddressItem>,
    /// Destination FQDNs (need DNS proxy; matched against the flow's host name).
    pub destination_fqdns: Vec<String>,
    /// Destination ports.
    pub destination_ports: PortSpec,
}

/// An Azure Firewall application rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApplicationRule {
    /// Rule name.
    pub name: String,
    /// Source addresses.
    pub sources: Vec<AddressItem>,
    /// `Http`/`Https`/`Mssql` with their ports, as (name, port).
    pub protocols: Vec<(String, u16)>,
    /// Target FQDNs, `*.example.com` wildcards allowed.
    pub target_fqdns: Vec<String>,
}

/// What the rules of a collection are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CollectionRules {
    /// DNAT rules (action is always DNAT).
    Nat(Vec<NatRule>),
    /// Network rules with the collection's action.
    Network(Access, Vec<NetworkRule>),
    /// Application rules with the collection's action.
    Application(Access, Vec<ApplicationRule>),
}

/// A rule collection (classic) or a rule collection inside a group (policy).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleCollection {
    /// Collection name.
    pub name: String,
    /// 100..=65000; lower first.
    pub priority: u32,
    /// Its rules.
    pub rules: CollectionRules,
}

/// A firewall policy's rule collection group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleCollectionGroup {
    /// Group name.
    pub name: String,
    /// 100..=65000; lower first.
    pub priority: u32,
    /// Collections of any kind.
    pub collections: Vec<RuleCollection>,
    /// Whether the group comes from a parent policy (always evaluated first).
    pub from_parent_policy: bool,
}

/// How a firewall's rules are held.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FirewallRules {
    /// Classic rules: collections on the firewall resource.
    Classic(Vec<RuleCollection>),
    /// A firewall policy with rule collection groups.
    Policy {
        /// Policy name.
        name: String,
        /// Its groups (parent policy groups flagged).
        groups: Vec<RuleCollectionGroup>,
    },
}

/// An Azure Firewall.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Firewall {
    /// Resource name.
    pub name: String,
    /// Its subnet (named `AzureFirewallSubnet`).
    pub subnet: SubnetId,
    /// The private address UDRs point at.
    pub private_ip: IpAddr,
    /// Public IPs (DNAT and SNAT).
    pub public_ips: Vec<PublicIpId>,
    /// Rules.
    pub rules: FirewallRules,
    /// Whether threat-intelligence filtering is on (not modelled beyond a note).
    pub threat_intel: bool,
}

/// A PaaS service instance reachable over the Microsoft backbone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaasService {
    /// Instance name (`mystorageacct`).
    pub name: String,
    /// Its service tag base (`Storage`, `Sql`, `AzureKeyVault`).
    pub service_tag: String,
    /// Region.
    pub region: RegionId,
    /// Public endpoint address.
    pub public_ip: IpAddr,
    /// `publicNetworkAccess`: whether the public endpoint accepts traffic at all.
    pub public_network_access: bool,
    /// Subnets allowed through the service firewall (need a service endpoint).
    pub allowed_subnets: Vec<SubnetId>,
    /// Public address ranges allowed through the service firewall. With neither
    /// this nor `allowed_subnets`, every network is allowed.
    pub allowed_ip_ranges: Vec<IpNet>,
}

/// A private endpoint: a NIC in a subnet that leads to one PaaS instance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrivateEndpoint {
    /// Resource name.
    pub name: String,
    /// Subnet of its NIC.
    pub subnet: SubnetId,
    /// Its private address.
    pub private_ip: IpAddr,
    /// The service it leads to.
    pub service: PaasId,
}

/// Action of an Azure Virtual Network Manager security admin rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum AdminAction {
    /// Hand the flow on to NSG evaluation.
    Allow,
    /// Drop without evaluating NSGs.
    Deny,
    /// Deliver without evaluating NSGs.
    AlwaysAllow,
}

impl fmt::Display for AdminAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Allow => "Allow",
            Self::Deny => "Deny",
            Self::AlwaysAllow => "AlwaysAllow",
        })
    }
}

/// An AVNM security admin rule, applied to a set of VNets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AdminRule {
    /// Rule name.
    pub name: String,
    /// 1..=4096; lower first.
    pub priority: u16,
    /// Direction relative to the VMs of the VNets.
    pub direction: Direction,
    /// What a match does.
    pub action: AdminAction,
    /// Protocol condition.
    pub protocol: RuleProtocol,
    /// Source addresses.
    pub sources: Vec<AddressItem>,
    /// Source ports.
    pub source_ports: PortSpec,
    /// Destination addresses.
    pub destinations: Vec<AddressItem>,
    /// Destination ports.
    pub destination_ports: PortSpec,
    /// VNets of the network group the rule is deployed to.
    pub applies_to: Vec<VnetId>,
}

/// A client somewhere on the Internet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InternetClient {
    /// A label (`laptop`, `attacker`).
    pub name: String,
    /// Its public address.
    pub address: IpAddr,
}

/// The subscription's offer type, which decides outbound SMTP (azure-semantics §2.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum OfferType {
    /// Pay-as-you-go: TCP 25 blocked, no exemption.
    #[default]
    PayAsYouGo,
    /// Enterprise Agreement: not blocked.
    EnterpriseAgreement,
    /// Enterprise Agreement Dev/Test: blocked unless an exemption was granted.
    EnterpriseAgreementDevTest,
    /// MSDN, Azure Pass, Azure in Open, Education, Free trial: blocked.
    Msdn,
    /// Cloud Solution Provider: blocked.
    CloudSolutionProvider,
    /// Any subscription created before 2017-11-15: allowed.
    Legacy,
}

impl OfferType {
    /// Every offer type, for pickers.
    pub const ALL: [OfferType; 6] = [
        Self::PayAsYouGo,
        Self::EnterpriseAgreement,
        Self::EnterpriseAgreementDevTest,
        Self::Msdn,
        Self::CloudSolutionProvider,
        Self::Legacy,
    ];

    /// Stable name used in scenario files.
    pub fn name(self) -> &'static str {
        match self {
            Self::PayAsYouGo => "PayAsYouGo",
            Self::EnterpriseAgreement => "EnterpriseAgreement",
            Self::EnterpriseAgreementDevTest => "EnterpriseAgreementDevTest",
            Self::Msdn => "Msdn",
            Self::CloudSolutionProvider => "CloudSolutionProvider",
            Self::Legacy => "Legacy",
        }
    }

    /// Reads [`OfferType::name`], case-insensitively.
    pub fn from_name(text: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|o| o.name().eq_ignore_ascii_case(text.trim()))
    }
}
