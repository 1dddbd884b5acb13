//! Laws of NSG evaluation, checked on random networks and flows:
//!
//! - nothing panics, whatever the builder is given or the flow is;
//! - a rule added after the deciding rule never changes the verdict;
//! - an NSG decides exactly as its expanded effective rules do.

#![allow(clippy::unwrap_used, reason = "test code: a panic is a failed test")]

use std::net::IpAddr;

use netsec_engine::address::parse_prefix;
use netsec_engine::effective;
use netsec_engine::nsg_eval::{self, RuleRef};
use netsec_engine::port::{PortRange, PortSpec};
use netsec_engine::servicetag::ServiceTag;
use netsec_engine::tags::TagContext;
use netsec_engine::*;
use proptest::prelude::*;

const PREFIX_POOL: &[&str] = &[
    "10.0.0.0/16",
    "10.0.1.0/24",
    "10.0.1.4",
    "10.0.2.0/24",
    "10.1.0.0/16",
    "172.31.0.0/16",
    "203.0.113.0/24",
    "20.60.1.1",
    "0.0.0.0/0",
    "168.63.129.16",
];
const TAG_POOL: &[&str] = &[
    "VirtualNetwork",
    "Internet",
    "AzureLoadBalancer",
    "Storage",
    "AzurePlatformDNS",
];
const ADDRESS_POOL: &[&str] = &[
    "10.0.1.4",
    "10.0.1.5",
    "10.0.2.4",
    "10.1.0.4",
    "172.31.0.100",
    "203.0.113.7",
    "20.60.1.1",
    "168.63.129.16",
    "169.254.169.254",
    "8.8.8.8",
    "2001:db8::1",
];

#[derive(Clone, Debug)]
struct RuleSeed {
    priority: u16,
    outbound: bool,
    deny: bool,
    protocol: u8,
    source: (u8, usize),
    destination: (u8, usize),
    sport: (u16, u16, bool),
    dport: (u16, u16, bool),
}

fn rule_seed() -> impl Strategy<Value = RuleSeed> {
    (
        100u16..=4096,
        any::<bool>(),
        any::<bool>(),
        0u8..6,
        (0u8..4, 0usize..16),
        (0u8..4, 0usize..16),
        (0u16..=65535, 0u16..200, prop::bool::weighted(0.6)),
        (0u16..=65535, 0u16..200, prop::bool::weighted(0.3)),
    )
        .prop_map(
            |(priority, outbound, deny, protocol, source, destination, sport, dport)| RuleSeed {
                priority,
                outbound,
                deny,
                protocol,
                source,
                destination,
                sport,
                dport,
            },
        )
}

fn address(kind: (u8, usize), asgs: &[AsgId]) -> AddressSpec {
    match kind.0 {
        0 => AddressSpec::Any,
        1 => AddressSpec::Prefixes(vec![
            parse_prefix(PREFIX_POOL[kind.1 % PREFIX_POOL.len()]).unwrap(),
        ]),
        2 => AddressSpec::Tag(ServiceTag::parse(TAG_POOL[kind.1 % TAG_POOL.len()]).unwrap()),
        _ => AddressSpec::Asgs(vec![asgs[kind.1 % asgs.len()]]),
    }
}

fn ports((lo, span, any): (u16, u16, bool)) -> PortSpec {
    if any {
        PortSpec::Any
    } else {
        PortSpec::List(vec![PortRange {
            lo,
            hi: lo.saturating_add(span),
        }])
    }
}

fn rule(i: usize, s: &RuleSeed, asgs: &[AsgId]) -> SecurityRule {
    let protocol = match s.protocol {
        0 => RuleProtocol::Any,
        1 => RuleProtocol::Only(Protocol::Tcp),
        2 => RuleProtocol::Only(Protocol::Udp),
        3 => RuleProtocol::Only(Protocol::Icmp),
        4 => RuleProtocol::Only(Protocol::Esp),
        _ => RuleProtocol::Only(Protocol::Ah),
    };
    SecurityRule {
        name: format!("r{i}"),
        description: String::new(),
        priority: s.priority,
        direction: if s.outbound {
            Direction::Outbound
        } else {
            Direction::Inbound
        },
        access: if s.deny { Access::Deny } else { Access::Allow },
        protocol,
        source: address(s.source, asgs),
        source_ports: ports(s.sport),
        destination: address(s.destination, asgs),
        destination_ports: ports(s.dport),
    }
}

/// A hub VNet with two subnets and two NICs (one with two IP configurations,
/// only one in an ASG), a peered VNet, a storage account, and one NSG on a
/// subnet built from `seeds` (rules with clashing priorities are dropped).
fn network(seeds: &[RuleSeed], extra: Option<&RuleSeed>) -> Option<(Network, NsgId, SubnetId)> {
    let mut b = Network::builder();
    let region = b.region("westeurope").ok()?;
    let vnet = |name: &str, space: &str| VirtualNetwork {
        name: name.into(),
        region,
        address_space: vec![parse_prefix(space).unwrap()],
        gateway_routes: vec![],
    };
    let hub = b.add_vnet(vnet("hub", "10.0.0.0/16")).ok()?;
    let spoke = b.add_vnet(vnet("spoke", "10.1.0.0/16")).ok()?;
    let web = b
        .add_asg(ApplicationSecurityGroup {
            name: "web".into(),
            region: None,
        })
        .ok()?;
    let db = b
        .add_asg(ApplicationSecurityGroup {
            name: "db".into(),
            region: None,
        })
        .ok()?;
    let asgs = [web, db];
    let mut rules: Vec<SecurityRule> = Vec::new();
    for (i, s) in seeds.iter().chain(extra).enumerate() {
        let r = rule(i, s, &asgs);
        if !rules
            .iter()
            .any(|x| x.priority == r.priority && x.direction == r.direction)
        {
            rules.push(r);
        }
    }
    let nsg = b
        .add_nsg(NetworkSecurityGroup {
            name: "nsg".into(),
            rules,
        })
        .ok()?;
    let subnet = |name: &str, vnet, prefix: &str, nsg| Subnet {
        name: name.into(),
        vnet,
        prefixes: vec![parse_prefix(prefix).unwrap()],
        nsg,
        route_table: None,
        service_endpoints: vec![],
        private_endpoint_policies: PrivateEndpointPolicies::Disabled,
        default_outbound_access: true,
    };
    let s1 = b
        .add_subnet(subnet("s1", hub, "10.0.1.0/24", Some(nsg)))
        .ok()?;
    let s2 = b.add_subnet(subnet("s2", hub, "10.0.2.0/24", None)).ok()?;
    let s3 = b
        .add_subnet(subnet("s3", spoke, "10.1.0.0/24", None))
        .ok()?;
    let cfg = |name: &str, subnet, ip: &str, asgs: Vec<AsgId>| IpConfiguration {
        name: name.into(),
        subnet,
        private_ip: ip.parse().unwrap(),
        public_ip: None,
        asgs,
    };
    b.add_nic(NetworkInterface {
        name: "n1".into(),
        nsg: None,
        ip_forwarding: false,
        vm: None,
        ip_configs: vec![
            cfg("a", s1, "10.0.1.4", vec![web]),
            cfg("b", s1, "10.0.1.5", vec![]),
        ],
    })
    .ok()?;
    b.add_nic(NetworkInterface {
        name: "n2".into(),
        nsg: None,
        ip_forwarding: false,
        vm: None,
        ip_configs: vec![cfg("a", s2, "10.0.2.4", vec![db])],
    })
    .ok()?;
    b.add_nic(NetworkInterface {
        name: "n3".into(),
        nsg: None,
        ip_forwarding: false,
        vm: None,
        ip_configs: vec![cfg("a", s3, "10.1.0.4", vec![])],
    })
    .ok()?;
    let peering = |name: &str, local, remote| Peering {
        name: name.into(),
        local,
        remote,
        allow_virtual_network_access: true,
        allow_forwarded_traffic: false,
        allow_gateway_transit: false,
        use_remote_gateways: false,
    };
    b.add_peering(peering("hub-spoke", hub, spoke)).ok()?;
    b.add_peering(peering("spoke-hub", spoke, hub)).ok()?;
    Some((b.build().ok()?, nsg, s1))
}

fn flow() -> impl Strategy<Value = (Flow, bool)> {
    (
        0usize..ADDRESS_POOL.len(),
        0usize..ADDRESS_POOL.len(),
        0u8..5,
        any::<u16>(),
        prop_oneof![Just(22u16), Just(80), Just(443), Just(1433), any::<u16>()],
        any::<bool>(),
    )
        .prop_map(|(s, d, p, sp, dp, outbound)| {
            let protocol = [
                Protocol::Tcp,
                Protocol::Udp,
                Protocol::Icmp,
                Protocol::Esp,
                Protocol::Ah,
            ][p as usize];
            let src: IpAddr = ADDRESS_POOL[s].parse().unwrap();
            let dst: IpAddr = ADDRESS_POOL[d].parse().unwrap();
            (Flow::new(protocol, src, sp, dst, dp), outbound)
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn nsg_decides_as_its_expanded_rules(seeds in prop::collection::vec(rule_seed(), 0..40), flows in prop::collection::vec(flow(), 1..20)) {
        let Some((net, nsg, subnet)) = network(&seeds, None) else { return Ok(()) };
        let ctx = TagContext::for_subnet(&net, subnet);
        for (flow, outbound) in flows {
            let direction = if outbound { Direction::Outbound } else { Direction::Inbound };
            let decided = nsg_eval::evaluate(&ctx, nsg, direction, &flow);
            let rules = effective::expand(&ctx, nsg, direction);
            let expanded = effective::decide(&rules, direction, &flow);
            prop_assert_eq!(decided.rule, expanded.map(|r| r.rule_ref), "flow {}", flow);
            prop_assert_eq!(decided.access, effective::access(&rules, direction, &flow));
        }
    }

    #[test]
    fn a_rule_after_the_deciding_rule_changes_nothing(seeds in prop::collection::vec(rule_seed(), 1..30), extra in rule_seed(), flows in prop::collection::vec(flow(), 1..10)) {
        let Some((net, nsg, subnet)) = network(&seeds, None) else { return Ok(()) };
        let ctx = TagContext::for_subnet(&net, subnet);
        for (flow, outbound) in flows {
            let direction = if outbound { Direction::Outbound } else { Direction::Inbound };
            let before = nsg_eval::evaluate(&ctx, nsg, direction, &flow);
            let Some(RuleRef::Custom(_)) = before.rule else { continue };
            let deciding = before.priority.unwrap();
            if deciding >= 4096 { continue; }
            // The extra rule goes strictly after the deciding one, in the same direction.
            let mut later = extra.clone();
            later.outbound = outbound;
            later.priority = deciding + 1 + (extra.priority % (4096 - deciding));
            let Some((net2, nsg2, subnet2)) = network(&seeds, Some(&later)) else { continue };
            let ctx2 = TagContext::for_subnet(&net2, subnet2);
            let after = nsg_eval::evaluate(&ctx2, nsg2, direction, &flow);
            prop_assert_eq!(before.access, after.access);
            prop_assert_eq!(before.rule_name, after.rule_name);
        }
    }

    #[test]
    fn tracing_never_panics(seeds in prop::collection::vec(rule_seed(), 0..20), flows in prop::collection::vec(flow(), 1..10)) {
        let Some((net, _, _)) = network(&seeds, None) else { return Ok(()) };
        for (flow, _) in flows {
            let t = path::trace(&net, &flow);
            // A denied trace stops at its denial; an allowed one arrives.
            match t.verdict {
                Verdict::Denied => prop_assert!(t.denied_at().is_some()),
                Verdict::Allowed => prop_assert!(t.steps.last().is_some_and(|s| s.outcome == Outcome::Arrived)),
            }
        }
    }

    #[test]
    fn value_parsers_never_panic(text in "\\PC{0,40}") {
        let _ = parse_prefix(&text);
        let _ = PortSpec::parse_one(&text);
        let _ = PortSpec::parse_comma_list(&text);
        let _ = text.parse::<RuleProtocol>();
        let _ = ServiceTag::parse(&text);
        let _ = netsec_engine::watcher::DiagnosticAddress::parse(&text);
    }

    #[test]
    fn builder_rejects_or_accepts_without_panicking(name in "\\PC{0,90}", priority in any::<u16>(), prefix in "[0-9./:a-f]{0,20}") {
        let mut b = Network::builder();
        let _ = b.region(&name);
        if let Ok(region) = b.region("westeurope") {
            let space = parse_prefix(&prefix).map(|p| vec![p]).unwrap_or_default();
            let _ = b.add_vnet(VirtualNetwork { name: name.clone(), region, address_space: space, gateway_routes: vec![] });
        }
        let rule = SecurityRule { name: name.clone(), description: String::new(), priority, direction: Direction::Inbound, access: Access::Allow, protocol: RuleProtocol::Any, source: AddressSpec::Any, source_ports: PortSpec::Any, destination: AddressSpec::Any, destination_ports: PortSpec::Any };
        let _ = b.add_nsg(NetworkSecurityGroup { name, rules: vec![rule] });
        let _ = b.build();
    }
}
