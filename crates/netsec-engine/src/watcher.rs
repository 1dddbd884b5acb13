//! Network Watcher's tools, computed offline with the same inputs and outputs
//! (azure-semantics §7): IP flow verify, NSG diagnostics, effective security
//! rules, next hop and NSG flow log records.
//!
//! Output structs serialize (feature `serde`) to Azure's JSON field names.

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;
use core::net::IpAddr;

use crate::address::AddressSet;
use crate::admin;
use crate::effective::{self, Association, EffectiveRule};
use crate::flow::Flow;
use crate::ids::{NicId, NsgId, VmId};
use crate::network::{AddressOwner, Network};
use crate::nsg_eval::{self, FieldMatch};
use crate::protocol::{Protocol, RuleProtocol};
use crate::rangeset::RangeSet;
use crate::resources::{Access, AddressSpec, AdminAction, Direction, NextHopType};
use crate::routing;
use crate::servicetag::{HOST_VIP, IMDS_IP, ServiceTag};
use crate::tags::TagContext;
use crate::trace::{Layer, Outcome, Trace};

/// Why a Network Watcher query cannot be answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WatcherError {
    message: String,
}

impl WatcherError {
    fn new(message: String) -> Self {
        Self { message }
    }
}

impl fmt::Display for WatcherError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl core::error::Error for WatcherError {}

/// Which NIC a query targets: a VM (its only NIC, or the one holding the local
/// address) or a NIC directly.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// A VM.
    Vm(VmId),
    /// A NIC.
    Nic(NicId),
}

fn resolve_nic(
    net: &Network,
    target: Target,
    local_ip: Option<IpAddr>,
) -> Result<(NicId, usize), WatcherError> {
    let nics: Vec<NicId> = match target {
        Target::Nic(n) => alloc::vec![n],
        Target::Vm(vm) => net
            .vm(vm)
            .map(|v| v.nics.clone())
            .ok_or_else(|| WatcherError::new(String::from("unknown virtual machine")))?,
    };
    for nic in &nics {
        let Some(n) = net.nic(*nic) else { continue };
        match local_ip {
            Some(ip) => {
                if let Some(cfg) = n.ip_configs.iter().position(|c| c.private_ip == ip) {
                    return Ok((*nic, cfg));
                }
            }
            None => return Ok((*nic, 0)),
        }
    }
    let names: Vec<String> = nics
        .iter()
        .filter_map(|n| net.nic(*n))
        .flat_map(|n| n.ip_configs.iter().map(|c| c.private_ip.to_string()))
        .collect();
    Err(WatcherError::new(alloc::format!(
        "local IP {} is not an address of the target (its addresses: {})",
        local_ip.map_or(String::new(), |i| i.to_string()),
        names.join(", ")
    )))
}

// ------------------------------------------------------------------ IP flow verify

/// `VerificationIPFlowParameters`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IpFlowQuery {
    /// The VM or NIC.
    pub target: Target,
    /// Relative to the NIC.
    pub direction: Direction,
    /// TCP or UDP (ICMP accepted too; Azure's tool does not take it).
    pub protocol: Protocol,
    /// The NIC's address.
    pub local_ip: IpAddr,
    /// The NIC's port.
    pub local_port: u16,
    /// The other end's address.
    pub remote_ip: IpAddr,
    /// The other end's port.
    pub remote_port: u16,
}

/// `VerificationIPFlowResult`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct IpFlowResult {
    /// `Allow` or `Deny`.
    pub access: Access,
    /// The deciding rule (`securityRules/x`), absent when no rule applied.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub rule_name: Option<String>,
}

/// IP flow verify: the NSGs of the NIC and its subnet, and admin rules, in
/// Azure's order. A deny names the denying rule; an allow names the rule of the
/// last NSG that allowed. With no NSG and no admin rule: `Allow` and no rule
/// name (Azure does not document this case; assumption).
///
/// A VM with several NICs, IP forwarding on for any of them, must be given as
/// the NIC to check (Azure requires `targetNicResourceId` then, §7.1): with
/// forwarding, the local address alone does not say which NIC the traffic uses.
pub fn ip_flow_verify(net: &Network, q: &IpFlowQuery) -> Result<IpFlowResult, WatcherError> {
    if let Target::Vm(vm) = q.target
        && let Some(v) = net.vm(vm)
        && v.nics.len() > 1
        && let Some(forwarding) = v
            .nics
            .iter()
            .filter_map(|n| net.nic(*n))
            .find(|n| n.ip_forwarding)
    {
        return Err(WatcherError::new(alloc::format!(
            "virtual machine {} has several network interfaces and IP forwarding is on for {}: name the network interface to check, as Azure requires (targetNicResourceId)",
            v.name,
            forwarding.name
        )));
    }
    let (nic, cfg) = resolve_nic(net, q.target, Some(q.local_ip))?;
    let flow = match q.direction {
        Direction::Inbound => Flow::new(
            q.protocol,
            q.remote_ip,
            q.remote_port,
            q.local_ip,
            q.local_port,
        ),
        Direction::Outbound => Flow::new(
            q.protocol,
            q.local_ip,
            q.local_port,
            q.remote_ip,
            q.remote_port,
        ),
    };
    let n = net
        .nic(nic)
        .ok_or_else(|| WatcherError::new(String::from("unknown network interface")))?;
    let subnet = n.ip_configs[cfg].subnet;
    let mut ignore = Vec::new();
    if let Some((_, rule)) = admin::first_match(net, subnet, q.direction, &flow, &mut ignore) {
        let name = Some(alloc::format!("securityAdminRules/{}", rule.name));
        match rule.action {
            AdminAction::Deny => {
                return Ok(IpFlowResult {
                    access: Access::Deny,
                    rule_name: name,
                });
            }
            AdminAction::AlwaysAllow => {
                return Ok(IpFlowResult {
                    access: Access::Allow,
                    rule_name: name,
                });
            }
            AdminAction::Allow => {}
        }
    }
    let subnet_nsg = net.subnet(subnet).and_then(|s| s.nsg);
    let order = match q.direction {
        Direction::Inbound => [subnet_nsg, n.nsg],
        Direction::Outbound => [n.nsg, subnet_nsg],
    };
    let ctx = TagContext::for_subnet(net, subnet);
    let mut result = IpFlowResult {
        access: Access::Allow,
        rule_name: None,
    };
    for nsg in order.into_iter().flatten() {
        let d = nsg_eval::evaluate(&ctx, nsg, q.direction, &flow);
        result = IpFlowResult {
            access: d.access,
            rule_name: d.rule_name,
        };
        if d.access == Access::Deny {
            break;
        }
    }
    Ok(result)
}

// ------------------------------------------------------------------ next hop

/// `NextHopResult`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct NextHopResult {
    /// `Internet`, `VirtualAppliance`, `VnetLocal`, `VNetPeering`, `None`, ...
    pub next_hop_type: NextHopType,
    /// The appliance's address, when there is one.
    pub next_hop_ip_address: Option<IpAddr>,
    /// The route table of a user route, or `System Route`.
    pub route_table_id: String,
}

/// Next hop from a VM's NIC (the one holding `source`) to `destination`.
pub fn next_hop(
    net: &Network,
    target: Target,
    source: IpAddr,
    destination: IpAddr,
) -> Result<NextHopResult, WatcherError> {
    let (nic, cfg) = resolve_nic(net, target, Some(source))?;
    let subnet = net
        .nic(nic)
        .map(|n| n.ip_configs[cfg].subnet)
        .ok_or_else(|| WatcherError::new(String::from("unknown network interface")))?;
    let mut routes = routing::effective_routes(net, subnet);
    // The host's virtual IPs are not subject to user-defined routes
    // (azure-semantics §2, DOC S25), as the trace treats them: the answer is
    // the route Azure's own routes give (assumption: Network Watcher reports
    // that route rather than a dedicated host next hop, which its API has no
    // type for).
    if destination == HOST_VIP || destination == IMDS_IP {
        routes.retain(|r| r.source != routing::RouteSource::User);
    }
    let Some(route) = routing::select(net, &routes, destination) else {
        return Ok(NextHopResult {
            next_hop_type: NextHopType::None,
            next_hop_ip_address: None,
            route_table_id: String::from("System Route"),
        });
    };
    let route_table_id = match route.route_table.and_then(|t| net.route_table(t)) {
        Some(t) => crate::ids_path::route_table_id(&t.name),
        None => String::from("System Route"),
    };
    // A next hop whose device is missing or not configured shows as None
    // (azure-semantics §5.2): an appliance address no forwarding NIC, internal
    // load balancer or firewall holds, or a gateway the VNet does not have.
    let vnet = net.subnet(subnet).map(|s| s.vnet);
    let missing = match route.next_hop_type {
        NextHopType::VirtualAppliance => {
            // The holder in the VNet the hop is reached in: VNets that are
            // not peered may reuse the address.
            let holder = |ip| net.owner_in(ip, crate::routing::appliance_vnet(net, subnet, ip));
            !route.next_hop_ip.is_some_and(|ip| match holder(ip) {
                Some(AddressOwner::Nic(n, _)) => net.nic(n).is_some_and(|n| n.ip_forwarding),
                Some(AddressOwner::Firewall(_)) => true,
                Some(AddressOwner::LoadBalancerFrontend(lb, fe)) => net
                    .load_balancer(lb)
                    .and_then(|l| l.frontends.get(fe))
                    .is_some_and(|f| f.private_ip == Some(ip)),
                _ => false,
            })
        }
        NextHopType::VirtualNetworkGateway => vnet.and_then(|v| net.gateway_vnet(v)).is_none(),
        _ => false,
    };
    if missing {
        return Ok(NextHopResult {
            next_hop_type: NextHopType::None,
            next_hop_ip_address: None,
            route_table_id,
        });
    }
    Ok(NextHopResult {
        next_hop_type: route.next_hop_type,
        next_hop_ip_address: route.next_hop_ip,
        route_table_id,
    })
}

// ------------------------------------------------------------------ effective rules

/// One `EffectiveNetworkSecurityRule`, shaped as Azure returns it: a single
/// value goes in the singular field, several in the plural one, and tags or
/// ASGs come with their expansion.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct EffectiveRuleView {
    /// `securityRules/x` or `defaultSecurityRules/x`.
    pub name: String,
    /// `Tcp`, `Udp`, `Icmp`, `Esp`, `Ah` or `All`.
    pub protocol: String,
    /// One source port range (`0-65535` for any).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub source_port_range: Option<String>,
    /// Several source port ranges.
    #[cfg_attr(
        feature = "serde",
        serde(skip_serializing_if = "Vec::is_empty", default)
    )]
    pub source_port_ranges: Vec<String>,
    /// One destination port range.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub destination_port_range: Option<String>,
    /// Several destination port ranges.
    #[cfg_attr(
        feature = "serde",
        serde(skip_serializing_if = "Vec::is_empty", default)
    )]
    pub destination_port_ranges: Vec<String>,
    /// One source: a prefix, `0.0.0.0/0` for `*`, or a tag.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub source_address_prefix: Option<String>,
    /// Several source prefixes (or ASG names).
    #[cfg_attr(
        feature = "serde",
        serde(skip_serializing_if = "Vec::is_empty", default)
    )]
    pub source_address_prefixes: Vec<String>,
    /// The source tag or ASGs expanded to prefixes.
    #[cfg_attr(
        feature = "serde",
        serde(skip_serializing_if = "Vec::is_empty", default)
    )]
    pub expanded_source_address_prefix: Vec<String>,
    /// One destination.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub destination_address_prefix: Option<String>,
    /// Several destination prefixes (or ASG names).
    #[cfg_attr(
        feature = "serde",
        serde(skip_serializing_if = "Vec::is_empty", default)
    )]
    pub destination_address_prefixes: Vec<String>,
    /// The destination tag or ASGs expanded.
    #[cfg_attr(
        feature = "serde",
        serde(skip_serializing_if = "Vec::is_empty", default)
    )]
    pub expanded_destination_address_prefix: Vec<String>,
    /// Allow or Deny.
    pub access: Access,
    /// Priority.
    pub priority: u16,
    /// Inbound or Outbound.
    pub direction: Direction,
}

/// `{"id": ...}`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct IdRef {
    /// Resource id.
    pub id: String,
}

/// One NSG's block of effective rules.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct EffectiveNsgView {
    /// The NSG.
    pub network_security_group: IdRef,
    /// Where it is associated.
    pub association: AssociationView,
    /// Rules.
    pub effective_security_rules: Vec<EffectiveRuleView>,
}

/// Where an NSG is associated.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct AssociationView {
    /// The subnet, when on the subnet.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub subnet: Option<IdRef>,
    /// The NIC, when on the NIC.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub network_interface: Option<IdRef>,
}

fn one_or_many(items: Vec<String>) -> (Option<String>, Vec<String>) {
    if items.len() == 1 {
        (items.into_iter().next(), Vec::new())
    } else {
        (None, items)
    }
}

fn ports_view(set: &RangeSet<u16>) -> (Option<String>, Vec<String>) {
    one_or_many(
        set.ranges()
            .iter()
            .map(|(lo, hi)| alloc::format!("{lo}-{hi}"))
            .collect(),
    )
}

fn address_view(
    net: &Network,
    spec: &AddressSpec,
    set: &AddressSet,
) -> (Option<String>, Vec<String>, Vec<String>) {
    let expanded = || {
        set.to_prefixes()
            .iter()
            .map(|n| n.to_string())
            .collect::<Vec<_>>()
    };
    match spec {
        AddressSpec::Any => (Some(String::from("0.0.0.0/0")), Vec::new(), Vec::new()),
        AddressSpec::Prefixes(nets) => {
            let (one, many) = one_or_many(nets.iter().map(|n| n.to_string()).collect());
            (one, many, Vec::new())
        }
        AddressSpec::Tag(t) => (Some(t.to_string()), Vec::new(), expanded()),
        AddressSpec::Asgs(asgs) => {
            let (one, many) = one_or_many(
                asgs.iter()
                    .filter_map(|a| net.asg(*a))
                    .map(|a| a.name.clone())
                    .collect(),
            );
            (one, many, expanded())
        }
    }
}

fn rule_view(net: &Network, r: &EffectiveRule) -> EffectiveRuleView {
    let (source_port_range, source_port_ranges) = ports_view(&r.source_ports);
    let (destination_port_range, destination_port_ranges) = ports_view(&r.destination_ports);
    let (source_address_prefix, source_address_prefixes, expanded_source_address_prefix) =
        address_view(net, &r.rule.source, &r.source);
    let (
        destination_address_prefix,
        destination_address_prefixes,
        expanded_destination_address_prefix,
    ) = address_view(net, &r.rule.destination, &r.destination);
    EffectiveRuleView {
        name: r.name.clone(),
        protocol: match r.rule.protocol {
            RuleProtocol::Any => String::from("All"),
            RuleProtocol::Only(p) => String::from(p.api_name()),
        },
        source_port_range,
        source_port_ranges,
        destination_port_range,
        destination_port_ranges,
        source_address_prefix,
        source_address_prefixes,
        expanded_source_address_prefix,
        destination_address_prefix,
        destination_address_prefixes,
        expanded_destination_address_prefix,
        access: r.rule.access,
        priority: r.rule.priority,
        direction: r.rule.direction,
    }
}

/// Effective security rules of a NIC, one block per associated NSG (subnet
/// first). Empty when no NSG is associated, as Azure returns nothing then.
pub fn effective_security_rules(net: &Network, nic: NicId) -> Vec<EffectiveNsgView> {
    effective::for_nic(net, nic)
        .into_iter()
        .map(|e| EffectiveNsgView {
            network_security_group: IdRef {
                id: net
                    .nsg(e.nsg)
                    .map_or(String::new(), |n| crate::ids_path::nsg_id(&n.name)),
            },
            association: match e.association {
                Association::Subnet(s) => AssociationView {
                    subnet: Some(IdRef {
                        id: crate::ids_path::subnet_id(net, s),
                    }),
                    network_interface: None,
                },
                Association::NetworkInterface(n) => AssociationView {
                    subnet: None,
                    network_interface: net.nic(n).map(|x| IdRef {
                        id: crate::ids_path::nic_id(&x.name),
                    }),
                },
            },
            effective_security_rules: e.rules.iter().map(|r| rule_view(net, r)).collect(),
        })
        .collect()
}

// ------------------------------------------------------------------ NSG diagnostics

/// Source or destination of an NSG diagnostics profile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DiagnosticAddress {
    /// `*`.
    Any,
    /// An IP or CIDR.
    Prefix(crate::address::IpNet),
    /// A service tag.
    Tag(ServiceTag),
}

impl DiagnosticAddress {
    /// Reads `*`, an IP, a CIDR or a tag.
    pub fn parse(text: &str) -> Option<Self> {
        let t = text.trim();
        if t == "*" {
            return Some(Self::Any);
        }
        if let Ok(n) = crate::address::parse_prefix(t) {
            return Some(Self::Prefix(n));
        }
        ServiceTag::parse(t).map(Self::Tag)
    }

    fn to_set(&self, ctx: &TagContext<'_>) -> AddressSet {
        match self {
            Self::Any => AddressSet::any(),
            Self::Prefix(n) => AddressSet::from_nets(&[*n]),
            Self::Tag(t) => ctx.expand(t),
        }
    }
}

/// One `NetworkConfigurationDiagnosticProfile`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiagnosticProfile {
    /// Direction relative to the NIC.
    pub direction: Direction,
    /// `*`, TCP, UDP (ICMP also accepted).
    pub protocol: RuleProtocol,
    /// Source.
    pub source: DiagnosticAddress,
    /// Destination.
    pub destination: DiagnosticAddress,
    /// `*` or one port.
    pub destination_port: Option<u16>,
}

/// `matchedRule`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct MatchedRule {
    /// Rule name as Azure's API names it (no prefix).
    pub rule_name: String,
    /// `Allow` or `Deny`.
    pub action: Access,
}

/// `NetworkSecurityRulesEvaluationResult`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct RuleEvaluationView {
    /// Rule name.
    pub name: String,
    /// Field flags, flattened.
    #[cfg_attr(feature = "serde", serde(flatten))]
    pub fields: FieldMatch,
}

/// `EvaluatedNetworkSecurityGroup`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct EvaluatedNsg {
    /// NSG id.
    pub network_security_group_id: String,
    /// Subnet or NIC id.
    pub applied_to: String,
    /// The deciding rule.
    pub matched_rule: MatchedRule,
    /// Rules looked at, in order.
    pub rules_evaluation_result: Vec<RuleEvaluationView>,
}

/// `NetworkConfigurationDiagnosticResult` for one profile.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct DiagnosticResult {
    /// Overall access across the NSGs.
    pub security_rule_access_result: Access,
    /// Each NSG evaluated, in Azure's order.
    pub evaluated_network_security_groups: Vec<EvaluatedNsg>,
}

/// How a rule's field relates to a diagnostics profile's field: it matches when
/// the rule's field covers all of the profile's (so the rule surely applies).
fn covers<T: crate::rangeset::Bound>(rule: &RangeSet<T>, profile: &RangeSet<T>) -> bool {
    rule.contains_set(profile)
}

fn covers_addr(rule: &AddressSet, profile: &AddressSet) -> bool {
    !profile.is_empty() && profile.difference(rule).is_empty()
}

/// NSG diagnostics. A rule's field counts as matched when it covers the whole
/// of the profile's field (an IP, a CIDR, a tag, or `*`); the first rule with
/// every field matched decides, as for a single flow. (Azure does not document
/// how partial overlaps are reported; this is the engine's choice.)
///
/// Security admin rules deployed to the NIC's VNet come first, as one entry
/// applied to the VNet (azure-semantics §1.1; Microsoft's NSG diagnostics
/// overview lists them as the first layer): a matching Deny ends the result
/// there, AlwaysAllow allows without the NSGs (its action shows as `Allow`,
/// and no NSG entry follows), Allow hands the profile on to the NSGs. When no
/// admin rule matches, the entry is left out, since no admin rule judged
/// the traffic.
pub fn nsg_diagnostics(
    net: &Network,
    nic: NicId,
    profile: &DiagnosticProfile,
) -> Result<DiagnosticResult, WatcherError> {
    let n = net
        .nic(nic)
        .ok_or_else(|| WatcherError::new(String::from("unknown network interface")))?;
    let subnet = n.ip_configs[0].subnet;
    let ctx = TagContext::for_subnet(net, subnet);
    let src = profile.source.to_set(&ctx);
    let dst = profile.destination.to_set(&ctx);
    let dport = profile
        .destination_port
        .map_or_else(RangeSet::full, |p| RangeSet::range(p, p));
    let subnet_nsg = net
        .subnet(subnet)
        .and_then(|s| s.nsg)
        .map(|g| (g, crate::ids_path::subnet_id(net, subnet)));
    let nic_nsg = n.nsg.map(|g| (g, crate::ids_path::nic_id(&n.name)));
    let order: [Option<(NsgId, String)>; 2] = match profile.direction {
        Direction::Inbound => [subnet_nsg, nic_nsg],
        Direction::Outbound => [nic_nsg, subnet_nsg],
    };
    let mut result = DiagnosticResult {
        security_rule_access_result: Access::Allow,
        evaluated_network_security_groups: Vec::new(),
    };
    if let Some(vnet) = net.subnet_vnet(subnet) {
        let mut evaluated = Vec::new();
        let mut decided = None;
        for (_, r) in admin::ordered(net, vnet, profile.direction) {
            let fields = FieldMatch {
                protocol_matched: r.protocol == RuleProtocol::Any || r.protocol == profile.protocol,
                source_matched: covers_addr(&admin::address_set(&ctx, &r.sources), &src),
                source_port_matched: r.source_ports.to_set().is_full(),
                destination_matched: covers_addr(&admin::address_set(&ctx, &r.destinations), &dst),
                destination_port_matched: covers(&r.destination_ports.to_set(), &dport),
            };
            evaluated.push(RuleEvaluationView {
                name: r.name.clone(),
                fields,
            });
            if fields.all() {
                decided = Some((r.name.clone(), r.action));
                break;
            }
        }
        if let Some((rule_name, action)) = decided {
            let access = if action == AdminAction::Deny {
                Access::Deny
            } else {
                Access::Allow
            };
            let vnet_name = net.vnet(vnet).map_or("", |v| v.name.as_str());
            result.evaluated_network_security_groups.push(EvaluatedNsg {
                network_security_group_id: crate::ids_path::admin_configuration_id(),
                applied_to: crate::ids_path::vnet_id(vnet_name),
                matched_rule: MatchedRule {
                    rule_name,
                    action: access,
                },
                rules_evaluation_result: evaluated,
            });
            if action != AdminAction::Allow {
                result.security_rule_access_result = access;
                return Ok(result);
            }
        }
    }
    for (nsg, applied_to) in order.into_iter().flatten() {
        let rules = effective::expand(&ctx, nsg, profile.direction);
        let mut evaluated = Vec::new();
        let mut matched = None;
        for r in &rules {
            let fields = FieldMatch {
                protocol_matched: r.rule.protocol == RuleProtocol::Any
                    || r.rule.protocol == profile.protocol,
                source_matched: covers_addr(&r.source, &src),
                source_port_matched: r.source_ports.is_full(),
                destination_matched: covers_addr(&r.destination, &dst),
                destination_port_matched: covers(&r.destination_ports, &dport),
            };
            evaluated.push(RuleEvaluationView {
                name: r.rule.name.clone(),
                fields,
            });
            if fields.all() {
                matched = Some(MatchedRule {
                    rule_name: r.rule.name.clone(),
                    action: r.rule.access,
                });
                break;
            }
        }
        // DenyAll always covers everything, so a rule always matches.
        let matched = matched.unwrap_or(MatchedRule {
            rule_name: String::from(if profile.direction == Direction::Inbound {
                "DenyAllInBound"
            } else {
                "DenyAllOutBound"
            }),
            action: Access::Deny,
        });
        let deny = matched.action == Access::Deny;
        result.evaluated_network_security_groups.push(EvaluatedNsg {
            network_security_group_id: net
                .nsg(nsg)
                .map_or(String::new(), |g| crate::ids_path::nsg_id(&g.name)),
            applied_to,
            matched_rule: matched,
            rules_evaluation_result: evaluated,
        });
        if deny {
            result.security_rule_access_result = Access::Deny;
            break;
        }
    }
    Ok(result)
}

// ------------------------------------------------------------------ flow logs

/// One NSG flow log (version 2) record.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct FlowLogRecord {
    /// ISO 8601 time.
    pub time: String,
    /// NSG system id.
    #[cfg_attr(feature = "serde", serde(rename = "systemId"))]
    pub system_id: String,
    /// `NetworkSecurityGroupFlowEvent`.
    pub category: String,
    /// NSG resource id, upper-case.
    #[cfg_attr(feature = "serde", serde(rename = "resourceId"))]
    pub resource_id: String,
    /// `NetworkSecurityGroupFlowEvents`.
    #[cfg_attr(feature = "serde", serde(rename = "operationName"))]
    pub operation_name: String,
    /// `{"Version": 2, "flows": [...]}`.
    pub properties: FlowLogProperties,
}

/// Properties of a flow log record.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct FlowLogProperties {
    /// Always 2.
    #[cfg_attr(feature = "serde", serde(rename = "Version"))]
    pub version: u8,
    /// Per rule.
    pub flows: Vec<FlowLogRuleGroup>,
}

/// The tuples one rule decided.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct FlowLogRuleGroup {
    /// `UserRule_<name>` or `DefaultRule_<name>`.
    pub rule: String,
    /// Per NIC MAC.
    pub flows: Vec<FlowLogMacGroup>,
}

/// The tuples of one NIC.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct FlowLogMacGroup {
    /// 12 hex digits, upper-case, no separators.
    pub mac: String,
    /// `ts,src,dst,sp,dp,T|U,I|O,A|D,B,,,,`.
    #[cfg_attr(feature = "serde", serde(rename = "flowTuples"))]
    pub flow_tuples: Vec<String>,
}

/// The flow log records the evaluated traces would produce at `epoch_seconds`.
///
/// Each flow is logged once: by the NSG that denied it, or by the last NSG
/// that allowed it (azure-semantics §7.7), as a `B` (begin) tuple with empty
/// counters. Only TCP and UDP are logged (version 2 has no other protocol
/// letters). NIC MAC addresses are not modelled: the engine derives a stable
/// one from Azure's OUI `00-0D-3A` and the NIC.
pub fn flow_log_records(net: &Network, traces: &[Trace], epoch_seconds: u64) -> Vec<FlowLogRecord> {
    let mut records: Vec<FlowLogRecord> = Vec::new();
    for t in traces {
        let letter = match t.flow.protocol {
            Protocol::Tcp => "T",
            Protocol::Udp => "U",
            _ => continue,
        };
        // NSG flow logs do not capture inbound traffic to a private endpoint
        // (azure-semantics §5.5): such a step is never the logged one.
        let to_private_endpoint = |s: &&crate::trace::Step| {
            s.direction == Some(Direction::Inbound)
                && matches!(
                    net.owner_of(s.packet.destination),
                    Some(crate::network::AddressOwner::PrivateEndpoint(_))
                )
        };
        let mut nsg_steps = t.steps.iter().filter(|s| {
            matches!(s.layer, Layer::SubnetNsg | Layer::NicNsg)
                && s.rule.is_some()
                && !to_private_endpoint(s)
        });
        let logged = match t.steps.iter().find(|s| {
            s.outcome == Outcome::Denied
                && s.rule.is_some()
                && matches!(s.layer, Layer::SubnetNsg | Layer::NicNsg)
                && !to_private_endpoint(s)
        }) {
            Some(denied) => Some(denied),
            None => nsg_steps.next_back(),
        };
        let Some(step) = logged else { continue };
        let (Some(res), Some(rule), Some(dir)) = (&step.resource, &step.rule, step.direction)
        else {
            continue;
        };
        let nsg_name = res.name.clone();
        let rule_name = match rule.name.split_once('/') {
            Some(("defaultSecurityRules", n)) => alloc::format!("DefaultRule_{n}"),
            Some((_, n)) => alloc::format!("UserRule_{n}"),
            None => rule.name.clone(),
        };
        let nic_addr = if dir == Direction::Inbound {
            step.packet.destination
        } else {
            step.packet.source
        };
        // The NIC the logging NSG filters for (VNets that are not peered
        // may reuse its address): one whose NIC or subnet has this NSG.
        let guarded_by_nsg = |nic: crate::ids::NicId, cfg: usize| {
            let named = |id: Option<crate::ids::NsgId>| {
                id.and_then(|g| net.nsg(g))
                    .is_some_and(|g| g.name == nsg_name)
            };
            net.nic(nic).is_some_and(|n| {
                named(n.nsg)
                    || n.ip_configs
                        .get(cfg)
                        .and_then(|c| net.subnet(c.subnet))
                        .is_some_and(|s| named(s.nsg))
            })
        };
        let nic = net.owners_at(nic_addr).find_map(|o| match o {
            crate::network::AddressOwner::Nic(nic, cfg) if guarded_by_nsg(nic, cfg) => Some(nic),
            _ => None,
        });
        let mac = match nic {
            Some(nic) => alloc::format!("000D3A{:06X}", nic.index() & 0xFF_FFFF),
            None => String::from("000000000000"),
        };
        let p = step.packet;
        let tuple = alloc::format!(
            "{epoch_seconds},{},{},{},{},{letter},{},{},B,,,,",
            p.source,
            p.destination,
            p.source_port,
            p.destination_port,
            if dir == Direction::Inbound { "I" } else { "O" },
            if step.outcome == Outcome::Denied {
                "D"
            } else {
                "A"
            }
        );
        // Flow logs upper-case the resource id; ASCII is enough for Azure ids
        // and keeps the Unicode case tables out of the browser bundle.
        let resource_id = crate::ids_path::nsg_id(&nsg_name).to_ascii_uppercase();
        let idx = match records.iter().position(|r| r.resource_id == resource_id) {
            Some(i) => i,
            None => {
                records.push(FlowLogRecord {
                    time: iso8601(epoch_seconds),
                    system_id: crate::ids_path::stable_guid(&nsg_name),
                    category: String::from("NetworkSecurityGroupFlowEvent"),
                    resource_id,
                    operation_name: String::from("NetworkSecurityGroupFlowEvents"),
                    properties: FlowLogProperties {
                        version: 2,
                        flows: Vec::new(),
                    },
                });
                records.len() - 1
            }
        };
        let groups = &mut records[idx].properties.flows;
        let g = match groups.iter().position(|g| g.rule == rule_name) {
            Some(i) => i,
            None => {
                groups.push(FlowLogRuleGroup {
                    rule: rule_name,
                    flows: Vec::new(),
                });
                groups.len() - 1
            }
        };
        let macs = &mut groups[g].flows;
        match macs.iter_mut().find(|m| m.mac == mac) {
            Some(m) => m.flow_tuples.push(tuple),
            None => macs.push(FlowLogMacGroup {
                mac,
                flow_tuples: alloc::vec![tuple],
            }),
        }
    }
    records
}

/// Seconds since the epoch as `YYYY-MM-DDThh:mm:ss.0000000Z`.
pub fn iso8601(secs: u64) -> String {
    let days = secs / 86_400;
    let rem = secs % 86_400;
    // Civil-from-days (Howard Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    alloc::format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.0000000Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::iso8601;

    #[test]
    fn formats_epoch_as_azure_does() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00.0000000Z");
        assert_eq!(iso8601(1_542_110_377), "2018-11-13T11:59:37.0000000Z");
    }
}
