//! Route selection in a subnet (azure-semantics §5), as a short pipeline in
//! the manner of smoltcp's routing: gather the subnet's routes, keep those
//! that contain the destination, apply Azure's exceptions, then take the
//! longest prefix, breaking ties User > BGP > system.
//!
//! Exceptions, in Azure's words turned into code:
//! - service endpoint routes win over UDRs and BGP for the service's prefixes;
//! - a private endpoint's /32 wins unless route policies are on in the
//!   endpoint's subnet and a UDR at least as long as the VNet prefix covers it;
//! - system routes for the VNet and its peerings win over more specific BGP routes.

use alloc::string::String;
use alloc::vec::Vec;
use core::net::IpAddr;

use crate::address::{AddressSet, IpNet, parse_prefix};
use crate::ids::{RouteTableId, SubnetId, VnetId};
use crate::network::Network;
use crate::resources::{NextHopType, RoutePrefix};
use crate::servicetag::ServiceTag;
use crate::tags::TagContext;
use crate::trace::RouteHit;

/// Where a route comes from, as effective routes name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum RouteSource {
    /// A system route.
    Default,
    /// Learned from the VNet gateway (BGP / local network gateway).
    VirtualNetworkGateway,
    /// A user-defined route.
    User,
}

impl RouteSource {
    /// Spelling in effective routes.
    pub fn api_name(self) -> &'static str {
        match self {
            Self::Default => "Default",
            Self::VirtualNetworkGateway => "VirtualNetworkGateway",
            Self::User => "User",
        }
    }
}

/// One route of a subnet's route table as Azure computes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EffectiveRoute {
    /// The prefix (a tag route contributes one entry per prefix of the tag).
    pub prefix: IpNet,
    /// The tag, for tag routes.
    pub tag: Option<String>,
    /// Where it comes from.
    pub source: RouteSource,
    /// Next-hop type.
    pub next_hop_type: NextHopType,
    /// Next-hop address for appliances.
    pub next_hop_ip: Option<IpAddr>,
    /// Route table of a user route.
    pub route_table: Option<RouteTableId>,
    /// Name of a user route.
    pub route_name: Option<String>,
    /// `Active`, or `Invalid` when a route of higher precedence has the same prefix.
    pub active: bool,
}

const RESERVED: &[&str] = &[
    "10.0.0.0/8",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "100.64.0.0/10",
];

fn system(prefix: IpNet, hop: NextHopType) -> EffectiveRoute {
    EffectiveRoute {
        prefix,
        tag: None,
        source: RouteSource::Default,
        next_hop_type: hop,
        next_hop_ip: None,
        route_table: None,
        route_name: None,
        active: true,
    }
}

/// The service tag base behind a service endpoint name (`Microsoft.Storage` → `Storage`).
pub fn endpoint_service_tag(endpoint: &str) -> Option<&str> {
    let service = endpoint.strip_prefix("Microsoft.")?;
    Some(match service {
        "KeyVault" => "AzureKeyVault",
        "Web" => "AppService",
        "ContainerRegistry" => "AzureContainerRegistry",
        other => other.split('.').next().unwrap_or(other),
    })
}

/// The addresses a subnet's service endpoint for `endpoint` covers: the
/// service's declared instances in the VNet's region (and its pair, for
/// Storage) plus the tag's sample prefixes, less the declared instances in
/// other regions.
pub fn service_endpoint_prefixes(net: &Network, subnet: SubnetId, endpoint: &str) -> AddressSet {
    let Some(tag_base) = endpoint_service_tag(endpoint) else {
        return AddressSet::empty();
    };
    let region = net
        .subnet(subnet)
        .and_then(|s| net.vnet(s.vnet))
        .and_then(|v| net.region(v.region));
    let mut ips = Vec::new();
    let mut elsewhere = Vec::new();
    for (_, svc) in net.paas() {
        if !svc.service_tag.eq_ignore_ascii_case(tag_base) {
            continue;
        }
        let svc_region = net.region(svc.region).map(|r| r.name.as_str());
        let same = region.is_some_and(|r| Some(r.name.as_str()) == svc_region);
        let paired = tag_base == "Storage"
            && region
                .and_then(|r| r.pair.as_deref())
                .is_some_and(|p| Some(p) == svc_region);
        if same || paired {
            ips.push(IpNet::from(svc.public_ip));
        } else {
            elsewhere.push(IpNet::from(svc.public_ip));
        }
    }
    let builtin = ServiceTag::parse(tag_base)
        .map(|t| t.builtin_prefixes())
        .unwrap_or(&[]);
    ips.extend(builtin.iter().filter_map(|p| parse_prefix(p).ok()));
    // The sample prefixes have no region; a declared instance elsewhere stays
    // outside the endpoint even when its address falls inside them.
    AddressSet::from_nets(&ips).difference(&AddressSet::from_nets(&elsewhere))
}

/// Every route of a subnet, system and user, with `active` set.
pub fn effective_routes(net: &Network, subnet: SubnetId) -> Vec<EffectiveRoute> {
    let mut routes = Vec::new();
    let Some(s) = net.subnet(subnet) else {
        return routes;
    };
    let Some(vnet) = net.vnet(s.vnet) else {
        return routes;
    };
    for space in &vnet.address_space {
        routes.push(system(*space, NextHopType::VnetLocal));
    }
    for text in ["0.0.0.0/0", "::/0"] {
        if let Ok(p) = parse_prefix(text) {
            routes.push(system(p, NextHopType::Internet));
        }
    }
    for text in RESERVED {
        let Ok(reserved) = parse_prefix(text) else {
            continue;
        };
        // A reserved range used by (or inside) the VNet's space loses its None route.
        if !vnet
            .address_space
            .iter()
            .any(|space| space.contains(&reserved))
        {
            routes.push(system(reserved, NextHopType::None));
        }
    }
    for p in net
        .peerings
        .iter()
        .filter(|p| p.local == s.vnet && net.peering_connected(p.local, p.remote))
    {
        if let Some(remote) = net.vnet(p.remote) {
            routes.extend(
                remote
                    .address_space
                    .iter()
                    .map(|space| system(*space, NextHopType::VnetPeering)),
            );
        }
    }
    for endpoint in &s.service_endpoints {
        for prefix in service_endpoint_prefixes(net, subnet, endpoint).to_prefixes() {
            let mut r = system(prefix, NextHopType::VirtualNetworkServiceEndpoint);
            r.tag = endpoint_service_tag(endpoint).map(String::from);
            routes.push(r);
        }
    }
    for (_, pe) in net.private_endpoints() {
        let pe_vnet = net.subnet_vnet(pe.subnet);
        let reachable =
            pe_vnet == Some(s.vnet) || pe_vnet.is_some_and(|v| net.peering_connected(s.vnet, v));
        if reachable {
            routes.push(system(
                IpNet::from(pe.private_ip),
                NextHopType::InterfaceEndpoint,
            ));
        }
    }
    let table = s
        .route_table
        .and_then(|id| net.route_table(id).map(|t| (id, t)));
    let bgp_off = table.is_some_and(|(_, t)| t.disable_bgp_route_propagation);
    let gateway = net.gateway_vnet(s.vnet).and_then(|g| net.vnet(g));
    if !bgp_off && let Some(gateway) = gateway {
        for prefix in &gateway.gateway_routes {
            let mut r = system(*prefix, NextHopType::VirtualNetworkGateway);
            r.source = RouteSource::VirtualNetworkGateway;
            routes.push(r);
        }
    }
    if let Some((table_id, table)) = table {
        let ctx = TagContext::for_subnet(net, subnet);
        for route in &table.routes {
            let (prefixes, tag) = match &route.prefix {
                RoutePrefix::Net(n) => (alloc::vec![*n], None),
                RoutePrefix::Tag(t) => (ctx.expand(t).to_prefixes(), Some(alloc::format!("{t}"))),
            };
            for prefix in prefixes {
                routes.push(EffectiveRoute {
                    prefix,
                    tag: tag.clone(),
                    source: RouteSource::User,
                    next_hop_type: route.next_hop,
                    next_hop_ip: route.next_hop_ip,
                    route_table: Some(table_id),
                    route_name: Some(route.name.clone()),
                    active: true,
                });
            }
        }
    }
    // Among the routes of one prefix, the one `select` would pick is Active
    // and the others Invalid, so the flag follows the same exceptions as
    // routing does (service endpoints over UDRs, a private endpoint's /32
    // over a UDR unless route policies let it win, the VNet over BGP).
    let winners: Vec<bool> = (0..routes.len())
        .map(|i| {
            let prefix = routes[i].prefix;
            // Most prefixes have one route, which is Active: no copies then.
            if routes.iter().filter(|o| o.prefix == prefix).count() == 1 {
                return true;
            }
            let same: Vec<EffectiveRoute> = routes
                .iter()
                .filter(|o| o.prefix == prefix)
                .cloned()
                .collect();
            let mine = same.iter().position(|o| o == &routes[i]);
            let chosen = select(net, &same, prefix.addr())
                .and_then(|w| same.iter().position(|o| core::ptr::eq(o, w)));
            chosen.is_some() && chosen == mine
        })
        .collect();
    for (r, active) in routes.iter_mut().zip(winners) {
        r.active = active;
    }
    routes
}

/// Same prefix: User > BGP > system; an explicit prefix > a tag; among tags
/// the documented order (azure-semantics §5.2, DOC S9).
fn precedence(r: &EffectiveRoute) -> (RouteSource, bool, u8) {
    (r.source, r.tag.is_none(), tag_rank(r))
}

/// Among tag routes matching the same address: a regional tag > a top-level
/// tag > `AzureCloud.<region>` > `AzureCloud` (DOC S9). 4 for explicit prefixes.
fn tag_rank(r: &EffectiveRoute) -> u8 {
    let Some(tag) = r.tag.as_deref().and_then(ServiceTag::parse) else {
        return 4;
    };
    let cloud = tag.base_name().eq_ignore_ascii_case("AzureCloud");
    match (cloud, tag.region().is_some()) {
        (false, true) => 3,
        (false, false) => 2,
        (true, true) => 1,
        (true, false) => 0,
    }
}

/// Picks the route for `dst` from a subnet's routes.
pub fn select<'r>(
    net: &Network,
    routes: &'r [EffectiveRoute],
    dst: IpAddr,
) -> Option<&'r EffectiveRoute> {
    let candidates: Vec<&EffectiveRoute> =
        routes.iter().filter(|r| r.prefix.contains(&dst)).collect();
    if let Some(se) = candidates
        .iter()
        .find(|r| r.next_hop_type == NextHopType::VirtualNetworkServiceEndpoint)
    {
        return Some(se);
    }
    let pe = candidates
        .iter()
        .copied()
        .find(|r| r.next_hop_type == NextHopType::InterfaceEndpoint);
    if let Some(pe) = pe
        && !udr_overrides_private_endpoint(net, &candidates, dst)
    {
        return Some(pe);
    }
    let local_covers = candidates.iter().any(|r| {
        matches!(
            r.next_hop_type,
            NextHopType::VnetLocal | NextHopType::VnetPeering
        ) && r.source == RouteSource::Default
    });
    let usable = candidates
        .into_iter()
        .filter(|r| r.next_hop_type != NextHopType::InterfaceEndpoint)
        .filter(|r| !(local_covers && r.source == RouteSource::VirtualNetworkGateway));
    let (tagged, explicit): (Vec<&EffectiveRoute>, Vec<&EffectiveRoute>) =
        usable.partition(|r| r.tag.is_some());
    let explicit = explicit
        .into_iter()
        .max_by_key(|r| (r.prefix.prefix_len(), precedence(r)));
    // Assumption (documented in the README): a tag's prefixes here are the
    // engine's samples, so tag routes are ranked by the documented tag order
    // first and by prefix length only after it; against an explicit prefix a
    // tag route needs a longer prefix (an explicit one wins a tie).
    let tagged = tagged
        .into_iter()
        .max_by_key(|r| (tag_rank(r), r.source, r.prefix.prefix_len()));
    match (explicit, tagged) {
        (Some(e), Some(t)) if t.prefix.prefix_len() > e.prefix.prefix_len() => Some(t),
        (Some(e), _) => Some(e),
        (None, t) => t,
    }
}

/// Whether a UDR takes precedence over a private endpoint's /32 (azure-semantics §5.5).
fn udr_overrides_private_endpoint(
    net: &Network,
    candidates: &[&EffectiveRoute],
    dst: IpAddr,
) -> bool {
    let Some(pe_subnet) = net
        .private_endpoints()
        .find(|(_, p)| p.private_ip == dst)
        .map(|(_, p)| p.subnet)
    else {
        return false;
    };
    let Some(subnet) = net.subnet(pe_subnet) else {
        return false;
    };
    if !subnet.private_endpoint_policies.routes_apply() {
        return false;
    }
    let vnet_len = net
        .vnet(subnet.vnet)
        .and_then(|v| v.address_space.iter().find(|s| s.contains(&dst)))
        .map_or(u8::MAX, |s| s.prefix_len());
    candidates
        .iter()
        .any(|r| r.source == RouteSource::User && r.prefix.prefix_len() >= vnet_len)
}

/// The VNet that holds a `VirtualAppliance` next hop at `ip`, if `subnet`
/// can hand it packets: the subnet's own VNet or one connected to it by
/// peering (azure-semantics §5.2: directly reachable, not through a
/// gateway). User routes do not enter into it: Azure forwards to the next
/// hop's address itself, without looking the subnet's routes up again.
pub fn appliance_vnet(net: &Network, subnet: SubnetId, ip: IpAddr) -> Option<VnetId> {
    let local = net.subnet(subnet)?.vnet;
    let holds = net
        .vnet(local)
        .is_some_and(|v| v.address_space.iter().any(|space| space.contains(&ip)));
    if holds {
        Some(local)
    } else {
        net.peer_containing(local, ip)
    }
}

/// The route for `dst` from `subnet`, described for a trace.
pub fn next_hop(net: &Network, subnet: SubnetId, dst: IpAddr) -> Option<RouteHit> {
    let routes = effective_routes(net, subnet);
    select(net, &routes, dst).map(|r| describe(net, r))
}

/// A route as a trace shows it.
pub fn describe(net: &Network, r: &EffectiveRoute) -> RouteHit {
    RouteHit {
        prefix: r.tag.clone().map_or_else(
            || alloc::format!("{}", r.prefix),
            |t| alloc::format!("{t} ({})", r.prefix),
        ),
        next_hop_type: r.next_hop_type,
        next_hop_ip: r.next_hop_ip,
        source: String::from(r.source.api_name()),
        route_table: r.route_table.and_then(|t| net.route_table(t)).map_or_else(
            || String::from("System Route"),
            |t| alloc::format!("routeTables/{}", t.name),
        ),
        route_name: r.route_name.clone(),
    }
}
