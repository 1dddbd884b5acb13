//! One NSG deciding one flow: rules sorted by priority, first match wins
//! (azure-semantics §1.4). The decision carries its reason: the deciding rule
//! in Azure's naming and which of the five fields matched, for every rule
//! looked at, the way Network Watcher's NSG diagnostics reports it.

use alloc::string::String;
use alloc::vec::Vec;
use core::net::IpAddr;

use crate::flow::Flow;
use crate::ids::NsgId;
use crate::network::Network;
use crate::port::PortSpec;
use crate::protocol::{Protocol, RuleProtocol};
use crate::resources::{Access, AddressSpec, Direction, SecurityRule};
use crate::servicetag::{HOST_VIP, IMDS_IP, ServiceTag, TagKind};
use crate::tags::TagContext;
use crate::trace::Note;

/// The six default rules of every NSG, with their API names, priorities and
/// fields exactly as `az network nsg show` returns them (azure-semantics §1.5).
pub fn default_rules() -> [SecurityRule; 6] {
    fn rule(
        name: &str,
        description: &str,
        direction: Direction,
        priority: u16,
        access: Access,
        source: &str,
        destination: &str,
    ) -> SecurityRule {
        let spec = |t: &str| {
            if t == "*" {
                AddressSpec::Any
            } else {
                ServiceTag::parse(t).map_or(AddressSpec::Any, AddressSpec::Tag)
            }
        };
        SecurityRule {
            name: String::from(name),
            description: String::from(description),
            priority,
            direction,
            access,
            protocol: RuleProtocol::Any,
            source: spec(source),
            source_ports: PortSpec::Any,
            destination: spec(destination),
            destination_ports: PortSpec::Any,
        }
    }
    use Access::*;
    use Direction::*;
    [
        rule(
            "AllowVnetInBound",
            "Allow inbound traffic from all VMs in VNET",
            Inbound,
            65000,
            Allow,
            "VirtualNetwork",
            "VirtualNetwork",
        ),
        rule(
            "AllowAzureLoadBalancerInBound",
            "Allow inbound traffic from azure load balancer",
            Inbound,
            65001,
            Allow,
            "AzureLoadBalancer",
            "*",
        ),
        rule(
            "DenyAllInBound",
            "Deny all inbound traffic",
            Inbound,
            65500,
            Deny,
            "*",
            "*",
        ),
        rule(
            "AllowVnetOutBound",
            "Allow outbound traffic from all VMs to all VMs in VNET",
            Outbound,
            65000,
            Allow,
            "VirtualNetwork",
            "VirtualNetwork",
        ),
        rule(
            "AllowInternetOutBound",
            "Allow outbound traffic from all VMs to Internet",
            Outbound,
            65001,
            Allow,
            "*",
            "Internet",
        ),
        rule(
            "DenyAllOutBound",
            "Deny all outbound traffic",
            Outbound,
            65500,
            Deny,
            "*",
            "*",
        ),
    ]
}

/// Which rule of an NSG: a custom one by index, or a default one by index into
/// [`default_rules`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum RuleRef {
    /// `securityRules/<name>`.
    Custom(usize),
    /// `defaultSecurityRules/<name>`.
    Default(usize),
}

pub use crate::trace::FieldMatch;

/// One rule looked at while deciding.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct RuleEvaluation {
    /// Azure-style name (`securityRules/allow-ssh`).
    pub name: String,
    /// Priority.
    pub priority: u16,
    /// Field flags.
    pub fields: FieldMatch,
}

/// An NSG's decision on one flow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NsgDecision {
    /// Allow or deny.
    pub access: Access,
    /// The deciding rule; `None` only for platform traffic no rule targets.
    pub rule: Option<RuleRef>,
    /// The deciding rule's name, prefixed (`securityRules/x`, `defaultSecurityRules/x`).
    pub rule_name: Option<String>,
    /// The deciding rule's priority.
    pub priority: Option<u16>,
    /// The deciding rule's field flags.
    pub fields: FieldMatch,
    /// Every rule looked at, in order, up to and including the deciding one.
    pub evaluated: Vec<RuleEvaluation>,
    /// Assumptions the decision rests on.
    pub notes: Vec<Note>,
}

/// The rule behind a [`RuleRef`], with its Azure-style name.
pub fn rule_by_ref(net: &Network, nsg: NsgId, rule: RuleRef) -> Option<(SecurityRule, String)> {
    match rule {
        RuleRef::Custom(i) => {
            let r = net.nsg(nsg)?.rules.get(i)?.clone();
            let name = alloc::format!("securityRules/{}", r.name);
            Some((r, name))
        }
        RuleRef::Default(i) => {
            let r = default_rules().into_iter().nth(i)?;
            let name = alloc::format!("defaultSecurityRules/{}", r.name);
            Some((r, name))
        }
    }
}

/// The rules of one direction, custom and default, sorted by priority.
pub fn ordered_rules(
    net: &Network,
    nsg: NsgId,
    direction: Direction,
) -> Vec<(RuleRef, SecurityRule)> {
    let mut rules: Vec<(RuleRef, SecurityRule)> = Vec::new();
    if let Some(n) = net.nsg(nsg) {
        rules.extend(
            n.rules
                .iter()
                .enumerate()
                .filter(|(_, r)| r.direction == direction)
                .map(|(i, r)| (RuleRef::Custom(i), r.clone())),
        );
    }
    rules.extend(
        default_rules()
            .into_iter()
            .enumerate()
            .filter(|(_, r)| r.direction == direction)
            .map(|(i, r)| (RuleRef::Default(i), r)),
    );
    // Stable: custom priorities never reach the defaults' 65000+.
    crate::rangeset::sort_by_key_stably(&mut rules, |(_, r)| u128::from(r.priority));
    rules
}

/// Whether outbound traffic to `addr` is platform traffic that NSGs skip unless
/// a rule targets the platform tags (azure-semantics §2).
pub fn is_platform_destination(direction: Direction, addr: IpAddr) -> bool {
    direction == Direction::Outbound && (addr == HOST_VIP || addr == IMDS_IP)
}

/// Whether `flow` is Windows activation: outbound TCP 1688 to one of Azure's
/// KMS addresses. Its platform rule lets it past NSGs unless a rule uses
/// `AzurePlatformLKM`, while no 0.0.0.0/0 route is set
/// ([`TagContext::kms_platform_rule`]; azure-semantics §2, DOC S1).
pub fn is_kms_traffic(direction: Direction, flow: &Flow) -> bool {
    direction == Direction::Outbound
        && flow.protocol == Protocol::Tcp
        && flow.destination_port == 1688
        && crate::tags::is_kms_address(flow.destination)
}

/// The ports of the VM agent's traffic to the host's virtual IP (WireServer on
/// 80, the guest agent's host plugin on 32526).
pub const VM_AGENT_PORTS: [u16; 2] = [80, 32526];

/// Whether `flow` is the VM agent's traffic to 168.63.129.16 (TCP 80 or
/// 32526), which no NSG rule filters, not even one using the platform tags
/// (azure-semantics §2, DOC S25).
pub fn is_vm_agent_traffic(direction: Direction, flow: &Flow) -> bool {
    direction == Direction::Outbound
        && flow.destination == HOST_VIP
        && flow.protocol == Protocol::Tcp
        && VM_AGENT_PORTS.contains(&flow.destination_port)
}

/// Whether a rule takes part when the destination is platform traffic.
pub fn targets_platform(rule: &SecurityRule) -> bool {
    matches!(&rule.destination, AddressSpec::Tag(t) if matches!(t.kind(), TagKind::AzurePlatformDns | TagKind::AzurePlatformImds | TagKind::AzurePlatformLkm))
}

/// How port conditions apply to a flow without ports.
pub(crate) fn ports_match(
    rule_protocol: RuleProtocol,
    spec: &PortSpec,
    flow_protocol: Protocol,
    port: u16,
) -> (bool, bool) {
    if flow_protocol.has_ports() {
        return (spec.contains(port), false);
    }
    // Assumption (azure-semantics §1.2, a GAP): an ICMP/ESP/AH rule matches on
    // protocol and addresses only; a `*`-protocol rule with specific ports does
    // not match a flow that has no ports.
    match rule_protocol {
        RuleProtocol::Only(_) => (true, !spec.is_any()),
        RuleProtocol::Any => (spec.is_any(), false),
    }
}

fn address_match(
    ctx: &TagContext<'_>,
    spec: &AddressSpec,
    addr: IpAddr,
    notes: &mut Vec<Note>,
) -> bool {
    match spec {
        AddressSpec::Any => true,
        AddressSpec::Prefixes(nets) => nets.iter().any(|n| n.contains(&addr)),
        AddressSpec::Tag(tag) => match ctx.tag_match(tag, addr) {
            None => false,
            Some(basis) => {
                notes.extend(basis.note());
                true
            }
        },
        AddressSpec::Asgs(asgs) => {
            let net = ctx.network();
            asgs.iter().any(|asg| {
                net.asg_members(*asg).iter().any(|&(nic, cfg)| {
                    net.nic(nic)
                        .and_then(|n| n.ip_configs.get(cfg))
                        .is_some_and(|c| c.private_ip == addr)
                })
            })
        }
    }
}

/// Matches one rule against a flow, field by field.
pub fn match_rule(
    ctx: &TagContext<'_>,
    rule: &SecurityRule,
    flow: &Flow,
    notes: &mut Vec<Note>,
) -> FieldMatch {
    let (sp, sp_ignored) = ports_match(
        rule.protocol,
        &rule.source_ports,
        flow.protocol,
        flow.source_port,
    );
    let (dp, dp_ignored) = ports_match(
        rule.protocol,
        &rule.destination_ports,
        flow.protocol,
        flow.destination_port,
    );
    let protocol_matched = rule.protocol.matches(flow.protocol);
    let mut local = Vec::new();
    let fields = FieldMatch {
        protocol_matched,
        source_matched: address_match(ctx, &rule.source, flow.source, &mut local),
        source_port_matched: sp,
        destination_matched: address_match(ctx, &rule.destination, flow.destination, &mut local),
        destination_port_matched: dp,
    };
    if fields.all() {
        notes.extend(local);
        if sp_ignored || dp_ignored {
            notes.push(Note::assumption("the rule names ports for a protocol without ports; the engine ignores them (Azure does not document this)"));
        }
        if rule.protocol == RuleProtocol::Any
            && matches!(flow.protocol, Protocol::Esp | Protocol::Ah)
        {
            notes.push(Note::assumption("protocol Any is documented as TCP, UDP and ICMP; the engine lets it match ESP and AH too"));
        }
    }
    fields
}

/// Decides one flow with one NSG in one direction. `ctx` is the tag context of
/// the NIC the NSG protects.
pub fn evaluate(
    ctx: &TagContext<'_>,
    nsg: NsgId,
    direction: Direction,
    flow: &Flow,
) -> NsgDecision {
    decide(ctx, nsg, direction, flow, false)
}

/// Decides an inbound flow to a private endpoint with its subnet's NSG (when
/// the subnet's network policies let NSGs apply). Source port filtering
/// toward a private endpoint is treated as `*` (azure-semantics §5.5, DOC
/// S13): every rule's source ports match.
pub fn evaluate_for_private_endpoint(ctx: &TagContext<'_>, nsg: NsgId, flow: &Flow) -> NsgDecision {
    decide(ctx, nsg, Direction::Inbound, flow, true)
}

fn decide(
    ctx: &TagContext<'_>,
    nsg: NsgId,
    direction: Direction,
    flow: &Flow,
    any_source_port: bool,
) -> NsgDecision {
    let kms = is_kms_traffic(direction, flow) && ctx.kms_platform_rule();
    let platform = kms || is_platform_destination(direction, flow.destination);
    let mut evaluated = Vec::new();
    let mut notes = Vec::new();
    if is_vm_agent_traffic(direction, flow) {
        notes.push(Note::documented(
            "the VM agent's traffic to 168.63.129.16 on TCP 80 and 32526 is not subject to NSGs, not even to rules using the platform tags",
        ));
        return NsgDecision {
            access: Access::Allow,
            rule: None,
            rule_name: None,
            priority: None,
            fields: FieldMatch::default(),
            evaluated,
            notes,
        };
    }
    for (rule_ref, mut rule) in ordered_rules(ctx.network(), nsg, direction) {
        if platform && !targets_platform(&rule) {
            continue;
        }
        if any_source_port {
            rule.source_ports = PortSpec::Any;
        }
        // A rule evaluated on the way to the decision that names a tag the
        // engine does not know matched nothing: the verdict rests on that.
        for side in [&rule.source, &rule.destination] {
            if let AddressSpec::Tag(tag) = side
                && tag.kind() == TagKind::Unknown
            {
                notes.push(Note::assumption(&alloc::format!(
                    "rule {} names {tag}, which is not a service tag the playground knows: it matches no address here (Azure accepts only its published tag names; check the spelling)",
                    rule.name
                )));
            }
        }
        let mut rule_notes = Vec::new();
        let fields = match_rule(ctx, &rule, flow, &mut rule_notes);
        let name = match rule_ref {
            RuleRef::Custom(_) => alloc::format!("securityRules/{}", rule.name),
            RuleRef::Default(_) => alloc::format!("defaultSecurityRules/{}", rule.name),
        };
        evaluated.push(RuleEvaluation {
            name: name.clone(),
            priority: rule.priority,
            fields,
        });
        if fields.all() {
            notes.extend(rule_notes);
            return NsgDecision {
                access: rule.access,
                rule: Some(rule_ref),
                rule_name: Some(name),
                priority: Some(rule.priority),
                fields,
                evaluated,
                notes,
            };
        }
    }
    // Only platform traffic gets here: DenyAll would have matched anything else.
    notes.push(Note::documented(if kms {
        "Windows activation (KMS, TCP 1688) has a platform rule: NSGs do not filter it unless a rule uses the AzurePlatformLKM tag (the rule is disabled when the subnet has a 0.0.0.0/0 route)"
    } else {
        "traffic to Azure's platform addresses (168.63.129.16, 169.254.169.254) is not filtered by NSGs unless a rule uses the AzurePlatformDNS/IMDS/LKM tags"
    }));
    NsgDecision {
        access: Access::Allow,
        rule: None,
        rule_name: None,
        priority: None,
        fields: FieldMatch::default(),
        evaluated,
        notes,
    }
}
