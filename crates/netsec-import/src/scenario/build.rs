//! A scenario document → a validated [`Network`].
//!
//! Resources are added in dependency order (regions, VNets, ASGs, NSGs, route
//! tables, subnets, public IPs, NICs, VMs, peerings, load balancers,
//! firewalls, services, private endpoints, admin rules, clients). Names are
//! resolved here and values parsed here; everything else is checked by the
//! engine's [`NetworkBuilder`]. Every error becomes an [`ImportError`] at the
//! JSON path of the field at fault.

use std::net::IpAddr;
use std::str::FromStr;

use netsec_engine::address::{self, IpNet};
use netsec_engine::port::PortSpec;
use netsec_engine::servicetag::ServiceTag;
use netsec_engine::{
    Access, AddressItem, AdminAction, AdminRule, ApplicationRule, ApplicationSecurityGroup, AsgId,
    BackendPool, CollectionRules, Direction, ErrorKind, Firewall, FirewallRules, Frontend,
    InboundNatRule, InternetClient, IpConfiguration, LbRule, LoadBalancer, ModelError, NatRule,
    NatTarget, Network, NetworkBuilder, NetworkInterface, NetworkRule, NetworkSecurityGroup,
    NextHopType, NicId, OfferType, PaasService, Peering, PrivateEndpoint, PrivateEndpointPolicies,
    Probe, Protocol, PublicIp, PublicIpId, Route, RoutePrefix, RouteTable, RuleCollection,
    RuleCollectionGroup, RuleProtocol, SecurityRule, Side, Sku, Subnet, SubnetId, VirtualMachine,
    VirtualNetwork, VnetId, address_from_fields, ports_from_fields,
};

use super::doc::*;
use crate::ImportError;

/// Builds the network a scenario document describes.
///
/// Errors carry the JSON path of the offending field (`$.nsgs[1].rules[0].priority`)
/// and a message naming the resource and the problem, in the engine's words
/// with Azure's error code for model errors.
pub fn build(doc: &ScenarioDoc) -> Result<Network, ImportError> {
    let mut b = Builder {
        b: Network::builder(),
    };
    b.subscription(&doc.subscription)?;
    for (i, v) in doc.vnets.iter().enumerate() {
        b.region(&format!("$.vnets[{i}].location"), &v.location)?;
    }
    for (i, s) in doc.services.iter().enumerate() {
        b.region(&format!("$.services[{i}].location"), &s.location)?;
    }
    for (i, v) in doc.vnets.iter().enumerate() {
        b.vnet(i, v)?;
    }
    for (i, a) in doc.asgs.iter().enumerate() {
        let region = match &a.location {
            Some(l) => Some(
                b.b.region(l)
                    .map_err(|e| ImportError::model(format!("$.asgs[{i}].location"), &e))?,
            ),
            None => None,
        };
        let asg = ApplicationSecurityGroup {
            name: a.name.clone(),
            region,
        };
        b.b.add_asg(asg)
            .map_err(|e| ImportError::model(format!("$.asgs[{i}].name"), &e))?;
    }
    for (i, n) in doc.nsgs.iter().enumerate() {
        b.nsg(i, n)?;
    }
    for (i, t) in doc.route_tables.iter().enumerate() {
        b.route_table(i, t)?;
    }
    for (i, v) in doc.vnets.iter().enumerate() {
        for (j, s) in v.subnets.iter().enumerate() {
            b.subnet(i, v, j, s)?;
        }
    }
    for (i, p) in doc.public_ips.iter().enumerate() {
        b.public_ip(i, p)?;
    }
    for (i, n) in doc.nics.iter().enumerate() {
        b.nic(i, n)?;
    }
    for (i, v) in doc.vms.iter().enumerate() {
        b.vm(i, v)?;
    }
    for (i, v) in doc.vnets.iter().enumerate() {
        for (k, p) in v.peerings.iter().enumerate() {
            b.peering(i, v, k, p)?;
        }
    }
    for (i, l) in doc.load_balancers.iter().enumerate() {
        b.load_balancer(i, l)?;
    }
    for (i, f) in doc.firewalls.iter().enumerate() {
        b.firewall(i, f)?;
    }
    for (i, s) in doc.services.iter().enumerate() {
        b.service(i, s)?;
    }
    for (i, p) in doc.private_endpoints.iter().enumerate() {
        b.private_endpoint(i, p)?;
    }
    for (i, r) in doc.admin_rules.iter().enumerate() {
        b.admin_rule(i, r)?;
    }
    for (i, c) in doc.internet_clients.iter().enumerate() {
        b.client(i, c)?;
    }
    b.b.build().map_err(|e| final_error(doc, &e))
}

struct Builder {
    b: NetworkBuilder,
}

type Res<T> = Result<T, ImportError>;

/// User text, shortened and printable, for messages.
pub(crate) fn clip(text: &str) -> String {
    clip_to(text, 64)
}

/// [`clip`] to `max` characters (expressions, which say more in full).
pub(crate) fn clip_to(text: &str, max: usize) -> String {
    let mut out: String = text
        .chars()
        .take(max)
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    if text.chars().count() > max {
        out.push('…');
    }
    out
}

fn err(loc: impl Into<String>, msg: impl Into<String>) -> ImportError {
    ImportError::new(loc, msg)
}

/// `what` refers to a `kind` named `name` that the scenario does not have.
fn missing(loc: String, what: &str, kind: &str, name: &str) -> ImportError {
    err(
        loc,
        format!(
            "{what} refers to {kind} '{}', which is not in the scenario",
            clip(name)
        ),
    )
}

/// A priority that does not even fit the engine's type, worded as the engine
/// words an out-of-range one.
/// Said after an error code the playground names but Azure does not document.
pub(crate) const ASSUMED_CODE: &str =
    "a name the playground assumes: Azure does not document this error's code";

fn priority_error(loc: String, resource: &str, priority: i64, min: u32, max: u32) -> ImportError {
    err(
        loc,
        format!(
            "{resource} (priority): priority {priority} is outside the allowed range {min}-{max} (SecurityRuleInvalidPriority, {ASSUMED_CODE})"
        ),
    )
}

/// A port number from a JSON integer.
/// The protocols of a load-balancing rule and an inbound NAT rule.
const LB_PROTOCOLS: &[(&str, RuleProtocol)] = &[
    ("Tcp", RuleProtocol::Only(Protocol::Tcp)),
    ("Udp", RuleProtocol::Only(Protocol::Udp)),
    ("All", RuleProtocol::Any),
];

fn port(loc: String, resource: &str, field: &str, value: i64) -> Res<u16> {
    u16::try_from(value).map_err(|_| {
        err(
            loc,
            format!("{resource} ({field}): port {value} is outside 0-65535"),
        )
    })
}

/// An exact prefix (address spaces, subnets): host bits are an error.
fn exact_prefix(loc: String, resource: &str, field: &str, text: &str) -> Res<IpNet> {
    let net = address::parse_prefix(text)
        .map_err(|e| err(loc.clone(), format!("{resource} ({field}): {e}")))?;
    if address::has_host_bits(text) {
        return Err(ImportError::kind(
            loc,
            resource,
            field,
            &ErrorKind::HostBitsSet {
                prefix: clip(text.trim()),
            },
        ));
    }
    Ok(net)
}

fn prefix(loc: String, resource: &str, field: &str, text: &str) -> Res<IpNet> {
    address::parse_prefix(text).map_err(|e| err(loc, format!("{resource} ({field}): {e}")))
}

fn ip(loc: String, resource: &str, field: &str, text: &str) -> Res<IpAddr> {
    address::parse_ip(text).map_err(|_| {
        err(
            loc,
            format!(
                "{resource} ({field}): '{}' is not an IP address (expected e.g. 10.0.0.4)",
                clip(text)
            ),
        )
    })
}

fn public_address(loc: String, resource: &str, field: &str, text: &str) -> Res<IpAddr> {
    let addr = ip(loc.clone(), resource, field, text)?;
    if netsec_engine::tags::is_private_or_reserved(addr) {
        return Err(err(
            loc,
            format!(
                "{resource} ({field}): {addr} is private or reserved space, not a public address"
            ),
        ));
    }
    Ok(addr)
}

/// One of a few names, case-insensitively.
fn pick<T: Copy>(text: &str, options: &[(&str, T)]) -> Option<T> {
    let t = text.trim();
    options
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(t))
        .map(|(_, v)| *v)
}

/// Reads one of a few names, case-insensitively.
fn choice<T: Copy>(
    loc: String,
    resource: &str,
    field: &str,
    text: &str,
    options: &[(&str, T)],
) -> Res<T> {
    if let Some(v) = pick(text, options) {
        return Ok(v);
    }
    let names: Vec<&str> = options.iter().map(|(n, _)| *n).collect();
    Err(err(
        loc,
        format!(
            "{resource} ({field}): '{}' is not one of {}",
            clip(text),
            names.join(", ")
        ),
    ))
}

const DIRECTIONS: &[(&str, Direction)] = &[
    ("Inbound", Direction::Inbound),
    ("Outbound", Direction::Outbound),
];
const ACCESSES: &[(&str, Access)] = &[("Allow", Access::Allow), ("Deny", Access::Deny)];
const SKUS: &[(&str, Sku)] = &[("Standard", Sku::Standard), ("Basic", Sku::Basic)];

fn rule_protocol(loc: String, resource: &str, text: &str) -> Res<RuleProtocol> {
    RuleProtocol::from_str(text).map_err(|e| err(loc, format!("{resource} (protocol): {e}")))
}

/// Index of the first item of a prefix list that does not parse.
fn bad_prefix_index(items: &[String]) -> Option<usize> {
    items.iter().position(|t| address::parse_prefix(t).is_err())
}

/// Index of the first item of a port list that does not parse on its own, or a
/// `*` among others.
fn bad_port_index(items: &[String]) -> Option<usize> {
    items
        .iter()
        .position(|t| PortSpec::parse_one(t).is_err() || (t.trim() == "*" && items.len() > 1))
}

/// A port list (firewall and admin rules); empty means `empty`.
fn port_list(loc: &str, resource: &str, field: &str, items: &[String]) -> Res<PortSpec> {
    PortSpec::parse_list(items).map_err(|e| {
        let at = match bad_port_index(items) {
            Some(k) => format!("{loc}[{k}]"),
            None => loc.to_string(),
        };
        err(at, format!("{resource} ({field}): {e}"))
    })
}

/// `*`, a prefix or a service tag.
fn address_item(loc: String, resource: &str, field: &str, text: &str) -> Res<AddressItem> {
    let t = text.trim();
    if t == "*" {
        return Ok(AddressItem::Any);
    }
    if let Ok(net) = address::parse_prefix(t) {
        return Ok(AddressItem::Net(net));
    }
    if let Some(tag) = ServiceTag::parse(t) {
        return Ok(AddressItem::Tag(tag));
    }
    Err(err(
        loc,
        format!(
            "{resource} ({field}): '{}' is not an IP address, CIDR prefix, service tag or '*'",
            clip(text)
        ),
    ))
}

fn address_items(
    loc: &str,
    resource: &str,
    field: &str,
    items: &[String],
) -> Res<Vec<AddressItem>> {
    items
        .iter()
        .enumerate()
        .map(|(k, t)| address_item(format!("{loc}[{k}]"), resource, field, t))
        .collect()
}

/// The index of the item with `name` (case-insensitive); for a duplicate-name
/// error, the second such item, which is the one the engine rejects.
fn index_by_name<'a>(
    names: impl Iterator<Item = &'a String>,
    name: &str,
    duplicate: bool,
) -> Option<usize> {
    let mut hits = names
        .enumerate()
        .filter(|(_, n)| n.eq_ignore_ascii_case(name))
        .map(|(i, _)| i);
    let first = hits.next();
    if duplicate {
        hits.next().or(first)
    } else {
        first
    }
}

/// The child's name in an engine resource path `<parent>/<marker>/<child>`:
/// everything after the parent's own path, so that a name holding `/` (which
/// the engine rejects, and says so) is still found.
fn child_name<'a>(resource: &'a str, parent: &str, marker: &str) -> Option<&'a str> {
    resource
        .strip_prefix(parent)?
        .strip_prefix('/')?
        .strip_prefix(marker)?
        .strip_prefix('/')
}

/// The path segment after `/<marker>/` (for firewalls' nested collections,
/// where each level's parent is not at hand).
fn segment_after<'a>(resource: &'a str, marker: &str) -> Option<&'a str> {
    let (_, rest) = resource.split_once(&format!("/{marker}/"))?;
    Some(rest.split('/').next().unwrap_or(rest))
}

fn is_dup(e: &ModelError) -> bool {
    matches!(e.kind(), ErrorKind::DuplicateName)
}

/// The index of the prefix a subnet or address-space error is about: the last
/// one whose text appears in the message.
fn prefix_index_in_message(items: &[String], message: &str) -> Option<usize> {
    items.iter().enumerate().rev().find_map(|(k, t)| {
        let net = address::parse_prefix(t).ok()?;
        message.contains(&net.to_string()).then_some(k)
    })
}

impl Builder {
    fn net(&self) -> &Network {
        self.b.network()
    }

    fn subscription(&mut self, s: &SubscriptionDoc) -> Res<()> {
        let offer = OfferType::from_name(&s.offer_type).ok_or_else(|| {
            let names: Vec<&str> = OfferType::ALL.iter().map(|o| o.name()).collect();
            err(
                "$.subscription.offerType",
                format!(
                    "'{}' is not an offer type; expected one of {}",
                    clip(&s.offer_type),
                    names.join(", ")
                ),
            )
        })?;
        // Only Enterprise Agreement Dev/Test subscriptions can be granted the
        // SMTP exemption (azure-semantics §2.1); for the others it means nothing.
        if s.smtp_exemption && offer != netsec_engine::OfferType::EnterpriseAgreementDevTest {
            return Err(err(
                "$.subscription.smtpExemption",
                format!(
                    "an SMTP exemption is granted only to Enterprise Agreement Dev/Test subscriptions, not to {}",
                    offer.name()
                ),
            ));
        }
        self.b.set_offer_type(offer, s.smtp_exemption);
        Ok(())
    }

    fn region(&mut self, loc: &str, name: &str) -> Res<()> {
        self.b
            .region(name)
            .map(|_| ())
            .map_err(|e| ImportError::model(loc, &e))
    }

    fn vnet_id(&self, loc: String, what: &str, name: &str) -> Res<VnetId> {
        self.net()
            .find_vnet(name)
            .ok_or_else(|| missing(loc, what, "virtual network", name))
    }

    fn subnet_id(&self, base: &str, what: &str, vnet: &str, subnet: &str) -> Res<SubnetId> {
        let v = self.vnet_id(format!("{base}.vnet"), what, vnet)?;
        self.net().find_subnet(v, subnet).ok_or_else(|| {
            err(
                format!("{base}.subnet"),
                format!(
                    "{what} refers to subnet '{}' of virtual network {}, which has no such subnet",
                    clip(subnet),
                    clip(vnet)
                ),
            )
        })
    }

    fn public_ip_id(&self, loc: String, what: &str, name: &str) -> Res<PublicIpId> {
        self.net()
            .find_public_ip(name)
            .ok_or_else(|| missing(loc, what, "public IP", name))
    }

    fn asg_ids(&self, loc: &str, what: &str, names: &[String]) -> Res<Vec<AsgId>> {
        names
            .iter()
            .enumerate()
            .map(|(k, n)| {
                self.net().find_asg(n).ok_or_else(|| {
                    missing(format!("{loc}[{k}]"), what, "application security group", n)
                })
            })
            .collect()
    }

    fn nic_id(&self, loc: String, what: &str, name: &str) -> Res<NicId> {
        self.net()
            .find_nic(name)
            .ok_or_else(|| missing(loc, what, "network interface", name))
    }

    fn vnet(&mut self, i: usize, v: &VnetDoc) -> Res<()> {
        let base = format!("$.vnets[{i}]");
        let res = format!("virtualNetworks/{}", clip(&v.name));
        let region = self
            .b
            .region(&v.location)
            .map_err(|e| ImportError::model(format!("{base}.location"), &e))?;
        let mut space = Vec::with_capacity(v.address_space.len());
        for (k, t) in v.address_space.iter().enumerate() {
            space.push(exact_prefix(
                format!("{base}.addressSpace[{k}]"),
                &res,
                "addressSpace.addressPrefixes",
                t,
            )?);
        }
        let mut gateway_routes = Vec::with_capacity(v.gateway_routes.len());
        for (k, t) in v.gateway_routes.iter().enumerate() {
            gateway_routes.push(prefix(
                format!("{base}.gatewayRoutes[{k}]"),
                &res,
                "gatewayRoutes",
                t,
            )?);
        }
        self.b
            .add_vnet(VirtualNetwork {
                name: v.name.clone(),
                region,
                address_space: space,
                gateway_routes,
            })
            .map_err(|e| {
                let loc = match e.field() {
                    "location" => format!("{base}.location"),
                    "addressSpace.addressPrefixes" => {
                        match prefix_index_in_message(&v.address_space, &e.to_string()) {
                            Some(k) => format!("{base}.addressSpace[{k}]"),
                            None => format!("{base}.addressSpace"),
                        }
                    }
                    _ => format!("{base}.name"),
                };
                ImportError::model(loc, &e)
            })?;
        Ok(())
    }

    fn nsg(&mut self, i: usize, n: &NsgDoc) -> Res<()> {
        let base = format!("$.nsgs[{i}]");
        let mut rules = Vec::with_capacity(n.rules.len());
        for (j, r) in n.rules.iter().enumerate() {
            rules.push(self.rule(&|| format!("{base}.rules[{j}]"), &n.name, r)?);
        }
        self.b
            .add_nsg(NetworkSecurityGroup {
                name: n.name.clone(),
                rules,
            })
            .map_err(|e| {
                let rule = child_name(
                    e.resource(),
                    &format!("networkSecurityGroups/{}", n.name),
                    "securityRules",
                )
                .and_then(|r| index_by_name(n.rules.iter().map(|x| &x.name), r, is_dup(&e)));
                let loc = match rule {
                    Some(j) => format!("{base}.rules[{j}].{}", e.field()),
                    None if e.field() == "name" => format!("{base}.name"),
                    None => format!("{base}.rules"),
                };
                ImportError::model(loc, &e)
            })?;
        Ok(())
    }

    /// One rule; `base` and `res` (its JSON path and resource name) are
    /// written out only for an error: an NSG has up to 1,000 rules.
    fn rule(&self, base: &dyn Fn() -> String, nsg: &str, r: &RuleDoc) -> Res<SecurityRule> {
        let res = || {
            format!(
                "networkSecurityGroups/{}/securityRules/{}",
                clip(nsg),
                clip(&r.name)
            )
        };
        let priority = u16::try_from(r.priority).map_err(|_| {
            priority_error(
                format!("{}.priority", base()),
                &res(),
                r.priority,
                100,
                4096,
            )
        })?;
        let direction = match pick(&r.direction, DIRECTIONS) {
            Some(d) => d,
            None => choice(
                format!("{}.direction", base()),
                &res(),
                "direction",
                &r.direction,
                DIRECTIONS,
            )?,
        };
        let access = match pick(&r.access, ACCESSES) {
            Some(a) => a,
            None => choice(
                format!("{}.access", base()),
                &res(),
                "access",
                &r.access,
                ACCESSES,
            )?,
        };
        let protocol = match RuleProtocol::from_str(&r.protocol) {
            Ok(p) => p,
            Err(_) => rule_protocol(format!("{}.protocol", base()), &res(), &r.protocol)?,
        };
        let sides = [
            (
                Side::Source,
                &r.source_address_prefix,
                &r.source_address_prefixes,
                &r.source_application_security_groups,
                "sourceApplicationSecurityGroups",
            ),
            (
                Side::Destination,
                &r.destination_address_prefix,
                &r.destination_address_prefixes,
                &r.destination_application_security_groups,
                "destinationApplicationSecurityGroups",
            ),
        ];
        let mut specs = Vec::with_capacity(2);
        for (side, single, list, asgs, asg_field) in sides {
            let asgs = if asgs.is_empty() {
                Vec::new()
            } else {
                self.asg_ids(&format!("{}.{asg_field}", base()), &res(), asgs)?
            };
            let spec = address_from_fields(single.as_deref(), list, asgs, side).map_err(
                |(field, kind)| {
                    let loc = match (&kind, field.ends_with('s')) {
                        (ErrorKind::ExactlyOneAddressField, _) | (_, false) => {
                            format!("{}.{field}", base())
                        }
                        (_, true) => match bad_prefix_index(list) {
                            Some(k) => format!("{}.{field}[{k}]", base()),
                            None => format!("{}.{field}", base()),
                        },
                    };
                    ImportError::kind(loc, &res(), field, &kind)
                },
            )?;
            specs.push(spec);
        }
        let port_sides = [
            (Side::Source, &r.source_port_range, &r.source_port_ranges),
            (
                Side::Destination,
                &r.destination_port_range,
                &r.destination_port_ranges,
            ),
        ];
        let mut ports = Vec::with_capacity(2);
        for (side, single, list) in port_sides {
            let spec =
                ports_from_fields(single.as_deref(), list, side).map_err(|(field, kind)| {
                    let loc = match (field.ends_with('s'), bad_port_index(list)) {
                        (true, Some(k)) => format!("{}.{field}[{k}]", base()),
                        _ => format!("{}.{field}", base()),
                    };
                    ImportError::kind(loc, &res(), field, &kind)
                })?;
            ports.push(spec);
        }
        let mut specs = specs.into_iter();
        let mut ports = ports.into_iter();
        match (specs.next(), specs.next(), ports.next(), ports.next()) {
            (Some(source), Some(destination), Some(source_ports), Some(destination_ports)) => {
                Ok(SecurityRule {
                    name: r.name.clone(),
                    description: r.description.clone(),
                    priority,
                    direction,
                    access,
                    protocol,
                    source,
                    source_ports,
                    destination,
                    destination_ports,
                })
            }
            _ => Err(err(
                base(),
                format!("{}: the rule could not be read", res()),
            )),
        }
    }

    fn route_table(&mut self, i: usize, t: &RouteTableDoc) -> Res<()> {
        let base = format!("$.routeTables[{i}]");
        let mut routes = Vec::with_capacity(t.routes.len());
        for (k, r) in t.routes.iter().enumerate() {
            let rbase = format!("{base}.routes[{k}]");
            let res = format!("routeTables/{}/routes/{}", clip(&t.name), clip(&r.name));
            let prefix = match address::parse_prefix(&r.address_prefix) {
                Ok(net) => RoutePrefix::Net(net),
                Err(e) => match ServiceTag::parse(&r.address_prefix) {
                    Some(tag) => RoutePrefix::Tag(tag),
                    None => {
                        return Err(err(
                            format!("{rbase}.addressPrefix"),
                            format!(
                                "{res} (addressPrefix): {e}; a route's prefix is a CIDR prefix or a service tag"
                            ),
                        ));
                    }
                },
            };
            let hops: Vec<(&str, NextHopType)> = [
                NextHopType::VirtualAppliance,
                NextHopType::Internet,
                NextHopType::VnetLocal,
                NextHopType::VirtualNetworkGateway,
                NextHopType::None,
                NextHopType::VnetPeering,
                NextHopType::VirtualNetworkServiceEndpoint,
                NextHopType::InterfaceEndpoint,
            ]
            .into_iter()
            .map(|h| (h.api_name(), h))
            .collect();
            let next_hop = choice(
                format!("{rbase}.nextHopType"),
                &res,
                "nextHopType",
                &r.next_hop_type,
                &hops,
            )?;
            let next_hop_ip = match &r.next_hop_ip_address {
                Some(t) => Some(ip(
                    format!("{rbase}.nextHopIpAddress"),
                    &res,
                    "nextHopIpAddress",
                    t,
                )?),
                None => None,
            };
            routes.push(Route {
                name: r.name.clone(),
                prefix,
                next_hop,
                next_hop_ip,
            });
        }
        self.b
            .add_route_table(RouteTable {
                name: t.name.clone(),
                routes,
                disable_bgp_route_propagation: t.disable_bgp_route_propagation,
            })
            .map_err(|e| {
                let route = child_name(e.resource(), &format!("routeTables/{}", t.name), "routes")
                    .and_then(|r| index_by_name(t.routes.iter().map(|x| &x.name), r, is_dup(&e)));
                let loc = match route {
                    Some(k) => format!("{base}.routes[{k}].{}", e.field()),
                    None if e.field() == "name" => format!("{base}.name"),
                    None => format!("{base}.routes"),
                };
                ImportError::model(loc, &e)
            })?;
        Ok(())
    }

    fn subnet(&mut self, i: usize, v: &VnetDoc, j: usize, s: &SubnetDoc) -> Res<()> {
        let base = format!("$.vnets[{i}].subnets[{j}]");
        let res = format!(
            "virtualNetworks/{}/subnets/{}",
            clip(&v.name),
            clip(&s.name)
        );
        let vnet = self.vnet_id(format!("$.vnets[{i}].name"), &res, &v.name)?;
        let mut prefixes = Vec::with_capacity(s.address_prefixes.len());
        for (k, t) in s.address_prefixes.iter().enumerate() {
            prefixes.push(exact_prefix(
                format!("{base}.addressPrefixes[{k}]"),
                &res,
                "addressPrefix",
                t,
            )?);
        }
        let nsg = match &s.nsg {
            Some(n) => Some(self.net().find_nsg(n).ok_or_else(|| {
                missing(format!("{base}.nsg"), &res, "network security group", n)
            })?),
            None => None,
        };
        let route_table =
            match &s.route_table {
                Some(n) => Some(self.net().find_route_table(n).ok_or_else(|| {
                    missing(format!("{base}.routeTable"), &res, "route table", n)
                })?),
                None => None,
            };
        let policies = match &s.private_endpoint_network_policies {
            Some(t) => choice(
                format!("{base}.privateEndpointNetworkPolicies"),
                &res,
                "privateEndpointNetworkPolicies",
                t,
                &[
                    ("Disabled", PrivateEndpointPolicies::Disabled),
                    ("Enabled", PrivateEndpointPolicies::Enabled),
                    (
                        "NetworkSecurityGroupEnabled",
                        PrivateEndpointPolicies::NetworkSecurityGroupEnabled,
                    ),
                    (
                        "RouteTableEnabled",
                        PrivateEndpointPolicies::RouteTableEnabled,
                    ),
                ],
            )?,
            None => PrivateEndpointPolicies::Disabled,
        };
        let siblings: Vec<IpNet> = self
            .net()
            .subnets()
            .filter(|(_, x)| x.vnet == vnet)
            .flat_map(|(_, x)| x.prefixes.iter().copied())
            .collect();
        self.b
            .add_subnet(Subnet {
                name: s.name.clone(),
                vnet,
                prefixes: prefixes.clone(),
                nsg,
                route_table,
                service_endpoints: s.service_endpoints.clone(),
                private_endpoint_policies: policies,
                default_outbound_access: s.default_outbound_access,
            })
            .map_err(|e| {
                let loc = match e.field() {
                    "addressPrefix" => {
                        let overlapping = prefixes
                            .iter()
                            .position(|p| siblings.iter().any(|o| o.contains(p) || p.contains(o)));
                        let k = match e.kind() {
                            ErrorKind::Overlap { .. } => overlapping,
                            _ => prefix_index_in_message(&s.address_prefixes, &e.to_string()),
                        };
                        match k {
                            Some(k) => format!("{base}.addressPrefixes[{k}]"),
                            None => format!("{base}.addressPrefixes"),
                        }
                    }
                    "networkSecurityGroup" => format!("{base}.nsg"),
                    "routeTable" => format!("{base}.routeTable"),
                    "serviceEndpoints" => {
                        let msg = e.to_string();
                        match s
                            .service_endpoints
                            .iter()
                            .position(|x| msg.contains(&format!("'{}'", clip(x))))
                        {
                            Some(k) => format!("{base}.serviceEndpoints[{k}]"),
                            None => format!("{base}.serviceEndpoints"),
                        }
                    }
                    _ => format!("{base}.name"),
                };
                ImportError::model(loc, &e)
            })?;
        Ok(())
    }

    fn public_ip(&mut self, i: usize, p: &PublicIpDoc) -> Res<()> {
        let base = format!("$.publicIps[{i}]");
        let res = format!("publicIPAddresses/{}", clip(&p.name));
        let sku = choice(format!("{base}.sku"), &res, "sku", &p.sku, SKUS)?;
        let address = public_address(format!("{base}.address"), &res, "ipAddress", &p.address)?;
        self.b
            .add_public_ip(PublicIp {
                name: p.name.clone(),
                sku,
                address,
            })
            .map_err(|e| {
                let loc = match e.field() {
                    "ipAddress" => format!("{base}.address"),
                    _ => format!("{base}.name"),
                };
                ImportError::model(loc, &e)
            })?;
        Ok(())
    }

    fn nic(&mut self, i: usize, n: &NicDoc) -> Res<()> {
        let base = format!("$.nics[{i}]");
        let res = format!("networkInterfaces/{}", clip(&n.name));
        let nsg = match &n.nsg {
            Some(x) => Some(self.net().find_nsg(x).ok_or_else(|| {
                missing(format!("{base}.nsg"), &res, "network security group", x)
            })?),
            None => None,
        };
        let mut configs = Vec::with_capacity(n.ip_configurations.len());
        for (k, c) in n.ip_configurations.iter().enumerate() {
            let cbase = format!("{base}.ipConfigurations[{k}]");
            let cres = format!("{res}/ipConfigurations/{}", clip(&c.name));
            let subnet = self.subnet_id(&cbase, &cres, &c.vnet, &c.subnet)?;
            let private_ip = ip(
                format!("{cbase}.privateIpAddress"),
                &cres,
                "privateIPAddress",
                &c.private_ip_address,
            )?;
            let public_ip = match &c.public_ip {
                Some(p) => Some(self.public_ip_id(format!("{cbase}.publicIp"), &cres, p)?),
                None => None,
            };
            let asgs = self.asg_ids(&format!("{cbase}.asgs"), &cres, &c.asgs)?;
            configs.push(IpConfiguration {
                name: c.name.clone(),
                subnet,
                private_ip,
                public_ip,
                asgs,
            });
        }
        self.b
            .add_nic(NetworkInterface {
                name: n.name.clone(),
                ip_configs: configs,
                nsg,
                ip_forwarding: n.ip_forwarding,
                vm: None,
            })
            .map_err(|e| {
                let cfg = child_name(
                    e.resource(),
                    &format!("networkInterfaces/{}", n.name),
                    "ipConfigurations",
                )
                .and_then(|c| {
                    index_by_name(n.ip_configurations.iter().map(|x| &x.name), c, is_dup(&e))
                });
                let field = match e.field() {
                    "privateIPAddress" => "privateIpAddress",
                    "publicIPAddress" => "publicIp",
                    "applicationSecurityGroups" => "asgs",
                    "networkSecurityGroup" => "nsg",
                    other => other,
                };
                let loc = match cfg {
                    Some(k) => format!("{base}.ipConfigurations[{k}].{field}"),
                    None if field == "ipConfigurations" || field == "nsg" => {
                        format!("{base}.{field}")
                    }
                    None => format!("{base}.name"),
                };
                ImportError::model(loc, &e)
            })?;
        Ok(())
    }

    fn vm(&mut self, i: usize, v: &VmDoc) -> Res<()> {
        let base = format!("$.vms[{i}]");
        let res = format!("virtualMachines/{}", clip(&v.name));
        let mut nics = Vec::with_capacity(v.nics.len());
        for (k, n) in v.nics.iter().enumerate() {
            nics.push(self.nic_id(format!("{base}.nics[{k}]"), &res, n)?);
        }
        self.b
            .add_vm(VirtualMachine {
                name: v.name.clone(),
                nics,
                zone: v.zone,
                is_appliance: v.is_appliance,
            })
            .map_err(|e| {
                let loc = match e.field() {
                    "zones" => format!("{base}.zone"),
                    "networkProfile.networkInterfaces" => {
                        let msg = e.to_string();
                        match v
                            .nics
                            .iter()
                            .position(|n| msg.contains(&format!("{n} is already attached")))
                        {
                            Some(k) => format!("{base}.nics[{k}]"),
                            None => format!("{base}.nics"),
                        }
                    }
                    _ => format!("{base}.name"),
                };
                ImportError::model(loc, &e)
            })?;
        Ok(())
    }

    fn peering(&mut self, i: usize, v: &VnetDoc, k: usize, p: &PeeringDoc) -> Res<()> {
        let base = format!("$.vnets[{i}].peerings[{k}]");
        let res = format!(
            "virtualNetworks/{}/virtualNetworkPeerings/{}",
            clip(&v.name),
            clip(&p.name)
        );
        let local = self.vnet_id(format!("$.vnets[{i}].name"), &res, &v.name)?;
        let remote = self.vnet_id(format!("{base}.remoteVnet"), &res, &p.remote_vnet)?;
        self.b
            .add_peering(Peering {
                name: p.name.clone(),
                local,
                remote,
                allow_virtual_network_access: p.allow_virtual_network_access,
                allow_forwarded_traffic: p.allow_forwarded_traffic,
                allow_gateway_transit: p.allow_gateway_transit,
                use_remote_gateways: p.use_remote_gateways,
            })
            .map_err(|e| {
                let loc = match e.field() {
                    "remoteVirtualNetwork" => format!("{base}.remoteVnet"),
                    _ => format!("{base}.name"),
                };
                ImportError::model(loc, &e)
            })?;
        Ok(())
    }

    /// A NIC's IP configuration named at `{base}.nic` and
    /// `{base}.ipConfiguration` (default: the primary).
    fn ip_config_of(
        &self,
        base: &str,
        res: &str,
        nic_name: &str,
        config: Option<&str>,
    ) -> Res<(NicId, usize)> {
        let nic = self.nic_id(format!("{base}.nic"), res, nic_name)?;
        let Some(name) = config else {
            return Ok((nic, 0));
        };
        self.net()
            .nic(nic)
            .and_then(|n| {
                n.ip_configs
                    .iter()
                    .position(|c| c.name.eq_ignore_ascii_case(name))
            })
            .map(|cfg| (nic, cfg))
            .ok_or_else(|| {
                err(
                    format!("{base}.ipConfiguration"),
                    format!(
                        "{res} refers to IP configuration '{}' of network interface {}, which has no such configuration",
                        clip(name),
                        clip(nic_name)
                    ),
                )
            })
    }

    /// An inbound NAT rule of load balancer `l` (at `$.loadBalancers[i]`).
    fn nat_rule(
        &self,
        base: &str,
        res: &str,
        l: &LoadBalancerDoc,
        k: usize,
        r: &InboundNatRuleDoc,
    ) -> Res<InboundNatRule> {
        let rbase = format!("{base}.natRules[{k}]");
        let rres = format!("{res}/inboundNatRules/{}", clip(&r.name));
        let missing = |field: &str, kind: &str, target: &str| {
            err(
                format!("{rbase}.{field}"),
                format!(
                    "{rres} refers to {kind} '{}', which load balancer {} does not have",
                    clip(target),
                    clip(&l.name)
                ),
            )
        };
        let frontend = index_by_name(l.frontends.iter().map(|f| &f.name), &r.frontend, false)
            .ok_or_else(|| missing("frontend", "frontend", &r.frontend))?;
        let target = match (&r.nic, &r.backend_pool) {
            (Some(nic), None) => {
                let (nic, cfg) =
                    self.ip_config_of(&rbase, &rres, nic, r.ip_configuration.as_deref())?;
                NatTarget::IpConfig(nic, cfg)
            }
            (None, Some(pool)) => NatTarget::Pool(
                index_by_name(l.backend_pools.iter().map(|p| &p.name), pool, false)
                    .ok_or_else(|| missing("backendPool", "backend pool", pool))?,
            ),
            _ => {
                return Err(err(
                    format!("{rbase}.nic"),
                    format!(
                        "{rres}: an inbound NAT rule forwards either to one NIC (\"nic\") or to a backend pool (\"backendPool\"); give exactly one"
                    ),
                ));
            }
        };
        let protocol = choice(
            format!("{rbase}.protocol"),
            &rres,
            "protocol",
            &r.protocol,
            LB_PROTOCOLS,
        )?;
        let frontend_port = port(
            format!("{rbase}.frontendPort"),
            &rres,
            "frontendPort",
            r.frontend_port,
        )?;
        let frontend_port_end = match r.frontend_port_end {
            Some(end) => port(
                format!("{rbase}.frontendPortEnd"),
                &rres,
                "frontendPortRangeEnd",
                end,
            )?,
            None => frontend_port,
        };
        Ok(InboundNatRule {
            name: r.name.clone(),
            frontend,
            protocol,
            frontend_port,
            frontend_port_end,
            backend_port: port(
                format!("{rbase}.backendPort"),
                &rres,
                "backendPort",
                r.backend_port,
            )?,
            target,
        })
    }

    fn load_balancer(&mut self, i: usize, l: &LoadBalancerDoc) -> Res<()> {
        let base = format!("$.loadBalancers[{i}]");
        let res = format!("loadBalancers/{}", clip(&l.name));
        let sku = choice(format!("{base}.sku"), &res, "sku", &l.sku, SKUS)?;
        unique_names(
            &base,
            &res,
            "frontends",
            l.frontends.iter().map(|f| &f.name),
        )?;
        unique_names(
            &base,
            &res,
            "backendPools",
            l.backend_pools.iter().map(|p| &p.name),
        )?;
        unique_names(&base, &res, "probes", l.probes.iter().map(|p| &p.name))?;
        unique_names(&base, &res, "rules", l.rules.iter().map(|r| &r.name))?;
        unique_names(&base, &res, "natRules", l.nat_rules.iter().map(|r| &r.name))?;
        let mut frontends = Vec::with_capacity(l.frontends.len());
        for (k, f) in l.frontends.iter().enumerate() {
            let fbase = format!("{base}.frontends[{k}]");
            let fres = format!("{res}/frontendIPConfigurations/{}", clip(&f.name));
            let public_ip = match &f.public_ip {
                Some(p) => Some(self.public_ip_id(format!("{fbase}.publicIp"), &fres, p)?),
                None => None,
            };
            let private_ip = match &f.private_ip_address {
                Some(t) => Some(ip(
                    format!("{fbase}.privateIpAddress"),
                    &fres,
                    "privateIPAddress",
                    t,
                )?),
                None => None,
            };
            frontends.push(Frontend {
                name: f.name.clone(),
                public_ip,
                private_ip,
            });
        }
        let mut backends = Vec::with_capacity(l.backend_pools.len());
        for (k, p) in l.backend_pools.iter().enumerate() {
            let pres = format!("{res}/backendAddressPools/{}", clip(&p.name));
            let mut members = Vec::with_capacity(p.members.len());
            for (m, member) in p.members.iter().enumerate() {
                let mbase = format!("{base}.backendPools[{k}].members[{m}]");
                members.push(self.ip_config_of(
                    &mbase,
                    &pres,
                    &member.nic,
                    member.ip_configuration.as_deref(),
                )?);
            }
            backends.push(BackendPool {
                name: p.name.clone(),
                members,
            });
        }
        let mut probes = Vec::with_capacity(l.probes.len());
        for (k, p) in l.probes.iter().enumerate() {
            let pbase = format!("{base}.probes[{k}]");
            let pres = format!("{res}/probes/{}", clip(&p.name));
            let protocol = choice(
                format!("{pbase}.protocol"),
                &pres,
                "protocol",
                &p.protocol,
                &[
                    ("Tcp", Protocol::Tcp),
                    ("Http", Protocol::Tcp),
                    ("Https", Protocol::Tcp),
                ],
            )?;
            let port = port(format!("{pbase}.port"), &pres, "port", p.port)?;
            probes.push(Probe {
                name: p.name.clone(),
                protocol,
                port,
            });
        }
        let mut rules = Vec::with_capacity(l.rules.len());
        for (k, r) in l.rules.iter().enumerate() {
            let rbase = format!("{base}.rules[{k}]");
            let rres = format!("{res}/loadBalancingRules/{}", clip(&r.name));
            let find = |field: &str, kind: &str, target: &str, names: Vec<&String>| {
                names
                    .iter()
                    .position(|n| n.eq_ignore_ascii_case(target))
                    .ok_or_else(|| {
                        err(
                            format!("{rbase}.{field}"),
                            format!(
                                "{rres} refers to {kind} '{}', which load balancer {} does not have",
                                clip(target),
                                clip(&l.name)
                            ),
                        )
                    })
            };
            let frontend = find(
                "frontend",
                "frontend",
                &r.frontend,
                l.frontends.iter().map(|f| &f.name).collect(),
            )?;
            let backend = find(
                "backendPool",
                "backend pool",
                &r.backend_pool,
                l.backend_pools.iter().map(|p| &p.name).collect(),
            )?;
            let probe = match &r.probe {
                Some(p) => Some(find(
                    "probe",
                    "probe",
                    p,
                    l.probes.iter().map(|p| &p.name).collect(),
                )?),
                None => None,
            };
            let protocol = choice(
                format!("{rbase}.protocol"),
                &rres,
                "protocol",
                &r.protocol,
                LB_PROTOCOLS,
            )?;
            rules.push(LbRule {
                name: r.name.clone(),
                frontend,
                backend,
                protocol,
                frontend_port: port(
                    format!("{rbase}.frontendPort"),
                    &rres,
                    "frontendPort",
                    r.frontend_port,
                )?,
                backend_port: port(
                    format!("{rbase}.backendPort"),
                    &rres,
                    "backendPort",
                    r.backend_port,
                )?,
                probe,
            });
        }
        let nat_rules = (l.nat_rules.iter().enumerate())
            .map(|(k, r)| self.nat_rule(&base, &res, l, k, r))
            .collect::<Res<Vec<_>>>()?;
        self.b
            .add_load_balancer(LoadBalancer {
                name: l.name.clone(),
                sku,
                frontends,
                backends,
                rules,
                nat_rules,
                probes,
            })
            .map_err(|e| {
                let r = e.resource();
                let lb = format!("loadBalancers/{}", l.name);
                let field = match e.field() {
                    "publicIPAddress" => "publicIp",
                    "privateIPAddress" => "privateIpAddress",
                    "backendIPConfigurations" => "members",
                    "frontendIPConfiguration" => "frontend",
                    "backendAddressPool" => "backendPool",
                    "backendIPConfiguration" => "nic",
                    "frontendPortRangeEnd" => "frontendPortEnd",
                    other => other,
                };
                let loc = if let Some(f) = child_name(r, &lb, "frontendIPConfigurations")
                    .and_then(|f| index_by_name(l.frontends.iter().map(|x| &x.name), f, false))
                {
                    format!("{base}.frontends[{f}].{field}")
                } else if let Some(p) = child_name(r, &lb, "backendAddressPools")
                    .and_then(|p| index_by_name(l.backend_pools.iter().map(|x| &x.name), p, false))
                {
                    format!("{base}.backendPools[{p}].{field}")
                } else if let Some(k) = child_name(r, &lb, "loadBalancingRules")
                    .and_then(|k| index_by_name(l.rules.iter().map(|x| &x.name), k, false))
                {
                    format!("{base}.rules[{k}].{field}")
                } else if let Some(k) = child_name(r, &lb, "inboundNatRules")
                    .and_then(|k| index_by_name(l.nat_rules.iter().map(|x| &x.name), k, false))
                {
                    format!("{base}.natRules[{k}].{field}")
                } else {
                    format!("{base}.name")
                };
                ImportError::model(loc, &e)
            })?;
        Ok(())
    }

    fn firewall(&mut self, i: usize, f: &FirewallDoc) -> Res<()> {
        let base = format!("$.firewalls[{i}]");
        let res = format!("azureFirewalls/{}", clip(&f.name));
        let vnet = self.vnet_id(format!("{base}.vnet"), &res, &f.vnet)?;
        let subnet = self
            .net()
            .find_subnet(vnet, "AzureFirewallSubnet")
            .ok_or_else(|| {
                err(
                    format!("{base}.vnet"),
                    format!(
                        "{res}: virtual network {} has no subnet named AzureFirewallSubnet, which Azure Firewall needs",
                        clip(&f.vnet)
                    ),
                )
            })?;
        let private_ip = ip(
            format!("{base}.privateIpAddress"),
            &res,
            "privateIPAddress",
            &f.private_ip_address,
        )?;
        let mut public_ips = Vec::with_capacity(f.public_ips.len());
        for (k, p) in f.public_ips.iter().enumerate() {
            public_ips.push(self.public_ip_id(format!("{base}.publicIps[{k}]"), &res, p)?);
        }
        let rules = match (&f.policy, f.rule_collections.is_empty()) {
            (Some(_), false) => {
                return Err(err(
                    format!("{base}.policy"),
                    format!(
                        "{res}: a firewall has either classic rule collections or a policy, not both"
                    ),
                ));
            }
            (Some(p), true) => {
                let pbase = format!("{base}.policy");
                let pres = format!("firewallPolicies/{}", clip(&p.name));
                let mut groups = Vec::with_capacity(p.rule_collection_groups.len());
                for (g, group) in p.rule_collection_groups.iter().enumerate() {
                    let gbase = format!("{pbase}.ruleCollectionGroups[{g}]");
                    let gres = format!("{pres}/ruleCollectionGroups/{}", clip(&group.name));
                    let priority = u32::try_from(group.priority).map_err(|_| {
                        priority_error(
                            format!("{gbase}.priority"),
                            &gres,
                            group.priority,
                            100,
                            65000,
                        )
                    })?;
                    let mut collections = Vec::with_capacity(group.rule_collections.len());
                    for (c, coll) in group.rule_collections.iter().enumerate() {
                        collections.push(collection(
                            &format!("{gbase}.ruleCollections[{c}]"),
                            &format!("{gres}/ruleCollections/{}", clip(&coll.name)),
                            coll,
                        )?);
                    }
                    groups.push(RuleCollectionGroup {
                        name: group.name.clone(),
                        priority,
                        collections,
                        from_parent_policy: group.from_parent_policy,
                    });
                }
                FirewallRules::Policy {
                    name: p.name.clone(),
                    groups,
                }
            }
            (None, _) => {
                let mut collections = Vec::with_capacity(f.rule_collections.len());
                for (c, coll) in f.rule_collections.iter().enumerate() {
                    collections.push(collection(
                        &format!("{base}.ruleCollections[{c}]"),
                        &format!("{res}/ruleCollections/{}", clip(&coll.name)),
                        coll,
                    )?);
                }
                FirewallRules::Classic(collections)
            }
        };
        self.b
            .add_firewall(Firewall {
                name: f.name.clone(),
                subnet,
                private_ip,
                public_ips,
                rules,
                threat_intel: f.threat_intel,
            })
            .map_err(|e| firewall_error(&base, f, &e))?;
        Ok(())
    }

    fn service(&mut self, i: usize, s: &ServiceDoc) -> Res<()> {
        let base = format!("$.services[{i}]");
        let res = format!("services/{}", clip(&s.name));
        let region = self
            .b
            .region(&s.location)
            .map_err(|e| ImportError::model(format!("{base}.location"), &e))?;
        let public_ip = public_address(
            format!("{base}.publicIpAddress"),
            &res,
            "publicIpAddress",
            &s.public_ip_address,
        )?;
        let mut allowed_subnets = Vec::with_capacity(s.allowed_subnets.len());
        for (k, r) in s.allowed_subnets.iter().enumerate() {
            allowed_subnets.push(self.subnet_id(
                &format!("{base}.allowedSubnets[{k}]"),
                &res,
                &r.vnet,
                &r.subnet,
            )?);
        }
        let mut allowed_ip_ranges = Vec::with_capacity(s.allowed_ip_ranges.len());
        for (k, t) in s.allowed_ip_ranges.iter().enumerate() {
            allowed_ip_ranges.push(prefix(
                format!("{base}.allowedIpRanges[{k}]"),
                &res,
                "allowedIpRanges",
                t,
            )?);
        }
        self.b
            .add_paas(PaasService {
                name: s.name.clone(),
                service_tag: s.service_tag.clone(),
                region,
                public_ip,
                public_network_access: s.public_network_access,
                allowed_subnets,
                allowed_ip_ranges,
            })
            .map_err(|e| {
                let loc = match e.field() {
                    "serviceTag" => format!("{base}.serviceTag"),
                    "location" => format!("{base}.location"),
                    "publicIp" => format!("{base}.publicIpAddress"),
                    "networkAcls.virtualNetworkRules" => format!("{base}.allowedSubnets"),
                    _ => format!("{base}.name"),
                };
                ImportError::model(loc, &e)
            })?;
        Ok(())
    }

    fn private_endpoint(&mut self, i: usize, p: &PrivateEndpointDoc) -> Res<()> {
        let base = format!("$.privateEndpoints[{i}]");
        let res = format!("privateEndpoints/{}", clip(&p.name));
        let subnet = self.subnet_id(&base, &res, &p.vnet, &p.subnet)?;
        let private_ip = ip(
            format!("{base}.privateIpAddress"),
            &res,
            "privateIPAddress",
            &p.private_ip_address,
        )?;
        let service = self
            .net()
            .find_paas(&p.service)
            .ok_or_else(|| missing(format!("{base}.service"), &res, "service", &p.service))?;
        self.b
            .add_private_endpoint(PrivateEndpoint {
                name: p.name.clone(),
                subnet,
                private_ip,
                service,
            })
            .map_err(|e| {
                let loc = match e.field() {
                    "customNetworkInterface.privateIPAddress" => {
                        format!("{base}.privateIpAddress")
                    }
                    "privateLinkServiceConnections" => format!("{base}.service"),
                    "subnet" => format!("{base}.subnet"),
                    _ => format!("{base}.name"),
                };
                ImportError::model(loc, &e)
            })?;
        Ok(())
    }

    fn admin_rule(&mut self, i: usize, r: &AdminRuleDoc) -> Res<()> {
        let base = format!("$.adminRules[{i}]");
        let res = format!("securityAdminConfigurations/rules/{}", clip(&r.name));
        let priority = u16::try_from(r.priority)
            .map_err(|_| priority_error(format!("{base}.priority"), &res, r.priority, 1, 4096))?;
        let direction = choice(
            format!("{base}.direction"),
            &res,
            "direction",
            &r.direction,
            DIRECTIONS,
        )?;
        let action = choice(
            format!("{base}.access"),
            &res,
            "access",
            &r.access,
            &[
                ("Allow", AdminAction::Allow),
                ("Deny", AdminAction::Deny),
                ("AlwaysAllow", AdminAction::AlwaysAllow),
            ],
        )?;
        let protocol = rule_protocol(format!("{base}.protocol"), &res, &r.protocol)?;
        let sources = address_items(&format!("{base}.sources"), &res, "sources", &r.sources)?;
        let destinations = address_items(
            &format!("{base}.destinations"),
            &res,
            "destinations",
            &r.destinations,
        )?;
        let ports = |field: &str, items: &[String]| {
            if items.is_empty() {
                Ok(PortSpec::Any)
            } else {
                port_list(&format!("{base}.{field}"), &res, field, items)
            }
        };
        let source_ports = ports("sourcePortRanges", &r.source_port_ranges)?;
        let destination_ports = ports("destinationPortRanges", &r.destination_port_ranges)?;
        let mut applies_to = Vec::with_capacity(r.applies_to.len());
        for (k, v) in r.applies_to.iter().enumerate() {
            applies_to.push(self.vnet_id(format!("{base}.appliesTo[{k}]"), &res, v)?);
        }
        self.b
            .add_admin_rule(AdminRule {
                name: r.name.clone(),
                priority,
                direction,
                action,
                protocol,
                sources,
                source_ports,
                destinations,
                destination_ports,
                applies_to,
            })
            .map_err(|e| {
                let loc = match e.field() {
                    "priority" => format!("{base}.priority"),
                    "appliesToGroups" => format!("{base}.appliesTo"),
                    _ => format!("{base}.name"),
                };
                ImportError::model(loc, &e)
            })?;
        Ok(())
    }

    fn client(&mut self, i: usize, c: &ClientDoc) -> Res<()> {
        let base = format!("$.internetClients[{i}]");
        let res = format!("internetClients/{}", clip(&c.name));
        let address = ip(format!("{base}.address"), &res, "address", &c.address)?;
        self.b
            .add_client(InternetClient {
                name: c.name.clone(),
                address,
            })
            .map_err(|e| {
                let loc = match e.field() {
                    "address" => format!("{base}.address"),
                    _ => format!("{base}.name"),
                };
                ImportError::model(loc, &e)
            })?;
        Ok(())
    }
}

/// Names of one kind inside a load balancer must be unique (rules refer to them).
fn unique_names<'a>(
    base: &str,
    res: &str,
    field: &str,
    names: impl Iterator<Item = &'a String>,
) -> Res<()> {
    let names: Vec<&String> = names.collect();
    for (k, n) in names.iter().enumerate() {
        if names.iter().take(k).any(|m| m.eq_ignore_ascii_case(n)) {
            return Err(err(
                format!("{base}.{field}[{k}].name"),
                format!(
                    "{res}: two {field} are named '{}'; names must be unique because rules refer to them (DuplicateResourceName)",
                    clip(n)
                ),
            ));
        }
    }
    Ok(())
}

const COLLECTION_KINDS: &[(&str, u8)] =
    &[("Dnat", 0), ("Nat", 0), ("Network", 1), ("Application", 2)];

/// One firewall rule collection.
fn collection(base: &str, res: &str, c: &RuleCollectionDoc) -> Res<RuleCollection> {
    let priority = u32::try_from(c.priority)
        .map_err(|_| priority_error(format!("{base}.priority"), res, c.priority, 100, 65000))?;
    let kind = choice(
        format!("{base}.kind"),
        res,
        "kind",
        &c.kind,
        COLLECTION_KINDS,
    )?;
    let action = || -> Res<Access> {
        match &c.action {
            Some(a) => choice(format!("{base}.action"), res, "action", a, ACCESSES),
            None => Err(err(
                format!("{base}.action"),
                format!(
                    "{res} (action): a {} rule collection needs an action, Allow or Deny",
                    c.kind
                ),
            )),
        }
    };
    let rules = match kind {
        0 => {
            let mut out = Vec::with_capacity(c.rules.len());
            for (k, r) in c.rules.iter().enumerate() {
                out.push(nat_rule(&format!("{base}.rules[{k}]"), res, r)?);
            }
            CollectionRules::Nat(out)
        }
        1 => {
            let access = action()?;
            let mut out = Vec::with_capacity(c.rules.len());
            for (k, r) in c.rules.iter().enumerate() {
                out.push(network_rule(&format!("{base}.rules[{k}]"), res, r)?);
            }
            CollectionRules::Network(access, out)
        }
        _ => {
            let access = action()?;
            let mut out = Vec::with_capacity(c.rules.len());
            for (k, r) in c.rules.iter().enumerate() {
                out.push(application_rule(&format!("{base}.rules[{k}]"), res, r)?);
            }
            CollectionRules::Application(access, out)
        }
    };
    Ok(RuleCollection {
        name: c.name.clone(),
        priority,
        rules,
    })
}

fn nat_rule(base: &str, cres: &str, r: &FirewallRuleDoc) -> Res<NatRule> {
    let res = format!("{cres}/rules/{}", clip(&r.name));
    let mut protocols = Vec::with_capacity(r.protocols.len());
    for (k, p) in r.protocols.iter().enumerate() {
        protocols.push(choice(
            format!("{base}.protocols[{k}]"),
            &res,
            "protocols",
            p,
            &[("TCP", Protocol::Tcp), ("UDP", Protocol::Udp)],
        )?);
    }
    let sources = address_items(
        &format!("{base}.sourceAddresses"),
        &res,
        "sourceAddresses",
        &r.source_addresses,
    )?;
    let destination = match r.destination_addresses.as_slice() {
        [one] => ip(
            format!("{base}.destinationAddresses[0]"),
            &res,
            "destinationAddresses",
            one,
        )?,
        _ => {
            return Err(err(
                format!("{base}.destinationAddresses"),
                format!(
                    "{res} (destinationAddresses): a DNAT rule listens on exactly one address, the firewall's public IP"
                ),
            ));
        }
    };
    let destination_ports = port_list(
        &format!("{base}.destinationPorts"),
        &res,
        "destinationPorts",
        &r.destination_ports,
    )?;
    let translated_address = match &r.translated_address {
        Some(t) => ip(
            format!("{base}.translatedAddress"),
            &res,
            "translatedAddress",
            t,
        )?,
        None => {
            return Err(err(
                format!("{base}.translatedAddress"),
                format!("{res} (translatedAddress): a DNAT rule needs a translated address"),
            ));
        }
    };
    let translated_port = match &r.translated_port {
        Some(t) => {
            let t = t.trim();
            t.parse::<u16>().map_err(|_| {
                err(
                    format!("{base}.translatedPort"),
                    format!(
                        "{res} (translatedPort): '{}' is not a port from 0 to 65535",
                        clip(t)
                    ),
                )
            })?
        }
        None => {
            return Err(err(
                format!("{base}.translatedPort"),
                format!("{res} (translatedPort): a DNAT rule needs a translated port"),
            ));
        }
    };
    Ok(NatRule {
        name: r.name.clone(),
        protocols,
        sources,
        destination,
        destination_ports,
        translated_address,
        translated_port,
    })
}

fn network_rule(base: &str, cres: &str, r: &FirewallRuleDoc) -> Res<NetworkRule> {
    let res = format!("{cres}/rules/{}", clip(&r.name));
    let mut protocols = Vec::with_capacity(r.protocols.len());
    let mut any = false;
    for (k, p) in r.protocols.iter().enumerate() {
        let loc = format!("{base}.protocols[{k}]");
        match RuleProtocol::from_str(p) {
            Ok(RuleProtocol::Any) => any = true,
            Ok(RuleProtocol::Only(p)) => protocols.push(p),
            Err(e) => return Err(err(loc, format!("{res} (protocols): {e}"))),
        }
    }
    if any {
        protocols.clear();
    }
    let sources = address_items(
        &format!("{base}.sourceAddresses"),
        &res,
        "sourceAddresses",
        &r.source_addresses,
    )?;
    let destinations = address_items(
        &format!("{base}.destinationAddresses"),
        &res,
        "destinationAddresses",
        &r.destination_addresses,
    )?;
    let destination_ports = port_list(
        &format!("{base}.destinationPorts"),
        &res,
        "destinationPorts",
        &r.destination_ports,
    )?;
    Ok(NetworkRule {
        name: r.name.clone(),
        protocols,
        sources,
        destinations,
        destination_fqdns: r.destination_fqdns.clone(),
        destination_ports,
    })
}

/// `Http`, `Https` and `Mssql`, with their default ports.
const APP_PROTOCOLS: &[(&str, u16)] = &[("Http", 80), ("Https", 443), ("Mssql", 1433)];

fn application_rule(base: &str, cres: &str, r: &FirewallRuleDoc) -> Res<ApplicationRule> {
    let res = format!("{cres}/rules/{}", clip(&r.name));
    let mut protocols = Vec::with_capacity(r.protocols.len());
    for (k, p) in r.protocols.iter().enumerate() {
        let loc = format!("{base}.protocols[{k}]");
        let (name, port_text) = match p.split_once(':') {
            Some((n, port)) => (n.trim(), Some(port.trim())),
            None => (p.trim(), None),
        };
        let Some((canonical, default_port)) = APP_PROTOCOLS
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
        else {
            return Err(err(
                loc,
                format!(
                    "{res} (protocols): '{}' is not an application protocol; write Http:80, Https:443 or Mssql:1433",
                    clip(p)
                ),
            ));
        };
        let port = match port_text {
            None => *default_port,
            Some(t) => t.parse::<u16>().map_err(|_| {
                err(
                    loc.clone(),
                    format!(
                        "{res} (protocols): '{}' is not a port from 0 to 65535",
                        clip(t)
                    ),
                )
            })?,
        };
        protocols.push((String::from(*canonical), port));
    }
    let sources = address_items(
        &format!("{base}.sourceAddresses"),
        &res,
        "sourceAddresses",
        &r.source_addresses,
    )?;
    Ok(ApplicationRule {
        name: r.name.clone(),
        sources,
        protocols,
        target_fqdns: r.target_fqdns.clone(),
    })
}

/// Maps a firewall error back to the collection, group or rule it names.
fn firewall_error(base: &str, f: &FirewallDoc, e: &ModelError) -> ImportError {
    let r = e.resource();
    let field = e.field();
    let collection_loc = |cbase: String, colls: &[RuleCollectionDoc]| -> Option<String> {
        let name = segment_after(r, "ruleCollections")
            .or_else(|| segment_after(r, "natRuleCollections"))
            .or_else(|| segment_after(r, "networkRuleCollections"))
            .or_else(|| segment_after(r, "applicationRuleCollections"))?;
        let c = index_by_name(colls.iter().map(|c| &c.name), name, false)?;
        let coll = colls.get(c)?;
        let rule = segment_after(r, "rules")
            .and_then(|n| index_by_name(coll.rules.iter().map(|x| &x.name), n, false));
        Some(match rule {
            Some(k) => format!("{cbase}.ruleCollections[{c}].rules[{k}].{field}"),
            None => format!("{cbase}.ruleCollections[{c}].{field}"),
        })
    };
    let loc = if r.starts_with("firewallPolicies/") {
        let pbase = format!("{base}.policy");
        let groups = f
            .policy
            .as_ref()
            .map_or(&[][..], |p| p.rule_collection_groups.as_slice());
        match segment_after(r, "ruleCollectionGroups")
            .and_then(|g| index_by_name(groups.iter().map(|x| &x.name), g, false))
        {
            Some(g) => {
                let gbase = format!("{pbase}.ruleCollectionGroups[{g}]");
                let colls = groups
                    .get(g)
                    .map_or(&[][..], |x| x.rule_collections.as_slice());
                collection_loc(gbase.clone(), colls).unwrap_or(format!("{gbase}.{field}"))
            }
            None => format!("{pbase}.name"),
        }
    } else if let Some(loc) = collection_loc(base.to_string(), &f.rule_collections) {
        loc
    } else {
        match field {
            "ipConfigurations.privateIPAddress" => format!("{base}.privateIpAddress"),
            "ipConfigurations.publicIPAddress" => format!("{base}.publicIps"),
            "ipConfigurations.subnet" | "subnet" => format!("{base}.vnet"),
            _ => format!("{base}.name"),
        }
    };
    ImportError::model(loc, e)
}

/// Errors from [`NetworkBuilder::build`]: ASG membership across VNets.
fn final_error(doc: &ScenarioDoc, e: &ModelError) -> ImportError {
    let r = e.resource();
    if let Some(name) = r.strip_prefix("applicationSecurityGroups/")
        && let Some(i) = index_by_name(doc.asgs.iter().map(|a| &a.name), name, false)
    {
        return ImportError::model(format!("$.asgs[{i}]"), e);
    }
    if let Some(rest) = r.strip_prefix("networkSecurityGroups/") {
        let nsg = rest.split('/').next().unwrap_or(rest);
        if let Some(i) = index_by_name(doc.nsgs.iter().map(|n| &n.name), nsg, false) {
            let rule = segment_after(r, "securityRules").and_then(|x| {
                doc.nsgs
                    .get(i)
                    .and_then(|n| index_by_name(n.rules.iter().map(|y| &y.name), x, false))
            });
            return match rule {
                Some(j) => ImportError::model(format!("$.nsgs[{i}].rules[{j}]"), e),
                None => ImportError::model(format!("$.nsgs[{i}]"), e),
            };
        }
    }
    ImportError::model("$", e)
}
