//! Effective security rules: an NSG's rules with every tag and ASG expanded to
//! addresses for one NIC, as Network Watcher's effective-rules view shows them
//! (azure-semantics §7.3).
//!
//! The expanded rules decide exactly as the NSG does (a property test holds
//! the two to it); they are also the input of the fast [`crate::classifier`].

use alloc::string::String;
use alloc::vec::Vec;

use crate::address::AddressSet;
use crate::flow::Flow;
use crate::ids::{NicId, NsgId, SubnetId};
use crate::network::Network;
use crate::nsg_eval::{
    RuleRef, is_platform_destination, is_vm_agent_traffic, ordered_rules, targets_platform,
};
use crate::protocol::RuleProtocol;
use crate::rangeset::RangeSet;
use crate::resources::{Access, AddressSpec, Direction, SecurityRule};
use crate::tags::TagContext;

/// One rule with its addresses expanded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EffectiveRule {
    /// Which rule of the NSG.
    pub rule_ref: RuleRef,
    /// Azure-style name (`securityRules/x`, `defaultSecurityRules/x`).
    pub name: String,
    /// The rule as written.
    pub rule: SecurityRule,
    /// Source addresses.
    pub source: AddressSet,
    /// Source ports.
    pub source_ports: RangeSet<u16>,
    /// Destination addresses.
    pub destination: AddressSet,
    /// Destination ports.
    pub destination_ports: RangeSet<u16>,
    /// Whether the rule targets a platform tag (it then applies to platform traffic).
    pub targets_platform: bool,
}

impl EffectiveRule {
    /// Whether the rule matches a flow. Same semantics as the NSG evaluation,
    /// including ports on port-less protocols.
    pub fn matches(&self, flow: &Flow) -> bool {
        let ports = |set: &RangeSet<u16>, port: u16| {
            if flow.protocol.has_ports() {
                set.contains(port)
            } else {
                matches!(self.rule.protocol, RuleProtocol::Only(_)) || set.is_full()
            }
        };
        self.rule.protocol.matches(flow.protocol)
            && self.source.contains(flow.source)
            && ports(&self.source_ports, flow.source_port)
            && self.destination.contains(flow.destination)
            && ports(&self.destination_ports, flow.destination_port)
    }
}

/// Where an NSG is associated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Association {
    /// On the NIC's subnet.
    Subnet(SubnetId),
    /// On the NIC.
    NetworkInterface(NicId),
}

/// The effective rules of one NSG for one NIC.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EffectiveNsg {
    /// The NSG.
    pub nsg: NsgId,
    /// Where it is associated.
    pub association: Association,
    /// Inbound rules then outbound rules, each sorted by priority.
    pub rules: Vec<EffectiveRule>,
}

fn expand_side(ctx: &TagContext<'_>, spec: &AddressSpec) -> AddressSet {
    match spec {
        AddressSpec::Any => AddressSet::any(),
        AddressSpec::Prefixes(nets) => AddressSet::from_nets(nets),
        AddressSpec::Tag(tag) => ctx.expand(tag),
        AddressSpec::Asgs(asgs) => asgs.iter().fold(AddressSet::empty(), |acc, a| {
            acc.union(&ctx.network().asg_addresses(*a))
        }),
    }
}

/// The expanded rules of an NSG in one direction, in evaluation order.
pub fn expand(ctx: &TagContext<'_>, nsg: NsgId, direction: Direction) -> Vec<EffectiveRule> {
    ordered_rules(ctx.network(), nsg, direction)
        .into_iter()
        .map(|(rule_ref, rule)| {
            let name = match rule_ref {
                RuleRef::Custom(_) => alloc::format!("securityRules/{}", rule.name),
                RuleRef::Default(_) => alloc::format!("defaultSecurityRules/{}", rule.name),
            };
            EffectiveRule {
                rule_ref,
                name,
                source: expand_side(ctx, &rule.source),
                source_ports: rule.source_ports.to_set(),
                destination: expand_side(ctx, &rule.destination),
                destination_ports: rule.destination_ports.to_set(),
                targets_platform: targets_platform(&rule),
                rule,
            }
        })
        .collect()
}

/// The first expanded rule that decides a flow, as the NSG would.
/// `None` only for platform traffic that no platform-tag rule matches, and for
/// the VM agent's traffic, which no rule filters (both allowed).
pub fn decide<'r>(
    rules: &'r [EffectiveRule],
    direction: Direction,
    flow: &Flow,
) -> Option<&'r EffectiveRule> {
    if is_vm_agent_traffic(direction, flow) {
        return None;
    }
    let platform = is_platform_destination(direction, flow.destination);
    rules
        .iter()
        .filter(|r| r.rule.direction == direction)
        .filter(|r| !platform || r.targets_platform)
        .find(|r| r.matches(flow))
}

/// The access an expanded rule list gives a flow.
pub fn access(rules: &[EffectiveRule], direction: Direction, flow: &Flow) -> Access {
    decide(rules, direction, flow).map_or(Access::Allow, |r| r.rule.access)
}

/// Effective rules of every NSG that applies to a NIC: subnet first, then NIC.
pub fn for_nic(net: &Network, nic: NicId) -> Vec<EffectiveNsg> {
    let mut out = Vec::new();
    let Some(n) = net.nic(nic) else { return out };
    let Some(subnet) = n.ip_configs.first().map(|c| c.subnet) else {
        return out;
    };
    let ctx = TagContext::for_subnet(net, subnet);
    let mut push = |nsg: NsgId, association| {
        let mut rules = expand(&ctx, nsg, Direction::Inbound);
        rules.extend(expand(&ctx, nsg, Direction::Outbound));
        out.push(EffectiveNsg {
            nsg,
            association,
            rules,
        });
    };
    if let Some(nsg) = net.subnet(subnet).and_then(|s| s.nsg) {
        push(nsg, Association::Subnet(subnet));
    }
    if let Some(nsg) = n.nsg {
        push(nsg, Association::NetworkInterface(nic));
    }
    out
}
