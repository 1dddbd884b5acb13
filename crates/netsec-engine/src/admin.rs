//! Azure Virtual Network Manager security admin rules (azure-semantics §1.1):
//! evaluated before NSGs; Deny drops, AlwaysAllow delivers without NSGs,
//! Allow hands the flow on to the NSGs.

use alloc::vec::Vec;

use crate::address::AddressSet;
use crate::flow::Flow;
use crate::ids::{AdminRuleId, SubnetId, VnetId};
use crate::network::Network;
use crate::nsg_eval::ports_match;
use crate::resources::{AddressItem, AdminRule, Direction};
use crate::tags::TagContext;
use crate::trace::Note;

fn items_match(
    ctx: &TagContext<'_>,
    items: &[AddressItem],
    addr: core::net::IpAddr,
    notes: &mut Vec<Note>,
) -> bool {
    items.is_empty()
        || items.iter().any(|i| match i {
            AddressItem::Any => true,
            AddressItem::Net(n) => n.contains(&addr),
            AddressItem::Tag(t) => match ctx.tag_match(t, addr) {
                Some(basis) => {
                    notes.extend(basis.note());
                    true
                }
                None => false,
            },
        })
}

/// Whether any admin rule is deployed to `vnet` in `direction`.
pub fn any_for(net: &Network, vnet: VnetId, direction: Direction) -> bool {
    net.admin_rules()
        .any(|(_, r)| r.direction == direction && r.applies_to.contains(&vnet))
}

/// The admin rules deployed to `vnet` in `direction`, in evaluation order
/// (priority; equal priorities keep the scenario's order).
pub fn ordered(
    net: &Network,
    vnet: VnetId,
    direction: Direction,
) -> Vec<(AdminRuleId, &AdminRule)> {
    let mut rules: Vec<(AdminRuleId, &AdminRule)> = net
        .admin_rules()
        .filter(|(_, r)| r.direction == direction && r.applies_to.contains(&vnet))
        .collect();
    crate::rangeset::sort_by_key_stably(&mut rules, |(_, r)| u128::from(r.priority));
    rules
}

/// The addresses an admin rule's address list stands for (empty: any).
pub fn address_set(ctx: &TagContext<'_>, items: &[AddressItem]) -> AddressSet {
    if items.is_empty() {
        return AddressSet::any();
    }
    items.iter().fold(AddressSet::empty(), |acc, i| match i {
        AddressItem::Any => AddressSet::any(),
        AddressItem::Net(n) => acc.union(&AddressSet::from_nets(core::slice::from_ref(n))),
        AddressItem::Tag(t) => acc.union(&ctx.expand(t)),
    })
}

/// The first admin rule (by priority) deployed to the subnet's VNet that matches.
pub fn first_match(
    net: &Network,
    subnet: SubnetId,
    direction: Direction,
    flow: &Flow,
    notes: &mut Vec<Note>,
) -> Option<(AdminRuleId, AdminRule)> {
    let vnet = net.subnet_vnet(subnet)?;
    let ctx = TagContext::for_subnet(net, subnet);
    for (id, r) in ordered(net, vnet, direction) {
        let (sp, sp_ignored) =
            ports_match(r.protocol, &r.source_ports, flow.protocol, flow.source_port);
        let (dp, dp_ignored) = ports_match(
            r.protocol,
            &r.destination_ports,
            flow.protocol,
            flow.destination_port,
        );
        let mut tag_notes = Vec::new();
        if r.protocol.matches(flow.protocol)
            && sp
            && dp
            && items_match(&ctx, &r.sources, flow.source, &mut tag_notes)
            && items_match(&ctx, &r.destinations, flow.destination, &mut tag_notes)
        {
            notes.extend(tag_notes);
            if sp_ignored || dp_ignored {
                notes.push(Note::assumption("the admin rule names ports for a protocol without ports; the engine ignores them"));
            }
            return Some((id, r.clone()));
        }
    }
    None
}
