//! A seeded, reproducible workload for the flow-classification benchmarks
//! (issue G1/G2): one network, the four NSGs a flow crosses between two NICs,
//! 1,000 custom rules in each, and a set of flows. Compiled only with the
//! `bench-gen` feature; the criterion bench and the WASM harness
//! (`crates/netsec-bench`) both build their workload here, so they time the
//! same rules and the same flows.
//!
//! ## The network
//!
//! One VNet `10.0.0.0/16` with subnets `subnet-a` (`10.0.1.0/24`) and
//! `subnet-b` (`10.0.2.0/24`), each with an NSG, and NICs `nic-a`
//! (`10.0.1.4`) and `nic-b` (`10.0.2.4`), each with an NSG (two more NICs
//! only fill the two ASGs). A flow from `subnet-a` to `subnet-b` crosses, in
//! order: `nsg-nic-a` outbound, `nsg-subnet-a` outbound, `nsg-subnet-b`
//! inbound, `nsg-nic-b` inbound. It passes only if every NSG allows it and
//! stops at the first deny.
//!
//! ## The rules
//!
//! Each NSG gets [`RULES_PER_NSG`] custom rules in the direction it sees on
//! the path, drawn from: address prefixes from a shared pool (public, in the
//! VNet, on-premises `10.50-99.x`), service tags (`VirtualNetwork`,
//! `Internet`, `Storage`, `Sql`, ...), ASGs and `*`; destination port lists
//! and ranges from a pool of well-known ports; `Tcp`, `Udp`, `Icmp` and `*`;
//! about 60% Allow and 40% Deny. One constraint keeps a known share of the
//! traffic unmatched: a rule whose destination can include the "dark" ranges
//! `192.168.0.0/16` and `172.16.0.0/12` (on-premises space with no route,
//! neither `VirtualNetwork` nor `Internet`) is TCP, UDP or `*` with
//! destination ports below 49152.
//!
//! ## The flows
//!
//! [`FLOWS`] flows, all starting in `subnet-a`: about 40% to hosts in
//! `subnet-b` (mostly `nic-b`), 34% to the dark ranges on ephemeral ports
//! (these match no custom rule and stop at `DenyAllOutBound` in the first
//! NSG: the fall-through share the budget asks for), 24% to addresses
//! from the rules' prefix pool and 2% to the platform addresses
//! `168.63.129.16` and `169.254.169.254`. About 10% are ICMP.

use alloc::string::String;
use alloc::vec::Vec;
use core::net::{IpAddr, Ipv4Addr};

use crate::address::{IpNet, Ipv4Net};
use crate::classifier::{CompiledNsg, FlowKey};
use crate::effective::{self, EffectiveRule};
use crate::error::ModelError;
use crate::flow::Flow;
use crate::ids::AsgId;
use crate::network::Network;
use crate::nsg_eval::RuleRef;
use crate::port::{PortRange, PortSpec};
use crate::protocol::{Protocol, RuleProtocol};
use crate::resources::*;
use crate::servicetag::ServiceTag;
use crate::tags::TagContext;

/// The seed the published numbers use.
pub const DEFAULT_SEED: u64 = 0x4731_4732_6e73_6763;
/// Custom rules in each NSG (Azure's limit).
pub const RULES_PER_NSG: usize = 1_000;
/// Flows in the default workload.
pub const FLOWS: usize = 10_000;
/// Lowest destination port of the fall-through flows; no rule that can see
/// their destination lists a port this high.
pub const EPHEMERAL_LO: u16 = 49_152;

/// SplitMix64: a tiny, seeded, portable generator (same stream on every target).
#[derive(Clone, Debug)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator with this seed.
    pub const fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`; 0 gives 0).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        // Multiply-shift: unbiased enough for a benchmark and branch-free.
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// A number in `lo..=hi`.
    pub fn between(&mut self, lo: u32, hi: u32) -> u32 {
        lo + self.below(u64::from(hi - lo) + 1) as u32
    }

    /// True with probability `percent`/100.
    pub fn percent(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// One element of a non-empty slice (callers pass constants and pools
    /// that are never empty).
    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }
}

/// One NSG on the path, expanded for the NIC it protects.
#[derive(Clone, Debug)]
pub struct PathNsg {
    /// NSG name.
    pub name: String,
    /// The direction it sees the flows in.
    pub direction: Direction,
    /// Its effective rules in that direction, in evaluation order (custom then default).
    pub rules: Vec<EffectiveRule>,
}

/// The benchmark's network, path and flows.
#[derive(Clone, Debug)]
pub struct Workload {
    /// The seed it was made from.
    pub seed: u64,
    /// The network (built and validated by [`Network::builder`]).
    pub network: Network,
    /// The four NSGs in path order.
    pub path: Vec<PathNsg>,
    /// The flows.
    pub flows: Vec<Flow>,
}

const VNET: [u8; 2] = [10, 0];
const SUBNET_A: u8 = 1;
const SUBNET_B: u8 = 2;
const HOST: u8 = 4;

fn v4(a: u8, b: u8, c: u8, d: u8) -> IpAddr {
    IpAddr::V4(Ipv4Addr::new(a, b, c, d))
}

fn net4(addr: u32, len: u8) -> IpNet {
    let mask = if len == 0 {
        0
    } else {
        u32::MAX << (32 - u32::from(len))
    };
    // `len` is at most 32 by construction; fall back to a host route otherwise.
    Ipv4Net::new(Ipv4Addr::from(addr & mask), len)
        .map_or_else(|_| IpNet::from(IpAddr::V4(Ipv4Addr::from(addr))), IpNet::V4)
}

fn tag(name: &str) -> AddressSpec {
    ServiceTag::parse(name).map_or(AddressSpec::Any, AddressSpec::Tag)
}

/// Well-known destination ports and ranges, all below [`EPHEMERAL_LO`].
const PORTS: &[(u16, u16)] = &[
    (22, 22),
    (25, 25),
    (53, 53),
    (80, 80),
    (123, 123),
    (135, 139),
    (389, 389),
    (443, 443),
    (445, 445),
    (636, 636),
    (1433, 1433),
    (1521, 1521),
    (3306, 3306),
    (3389, 3389),
    (5432, 5432),
    (5671, 5672),
    (5985, 5986),
    (6379, 6379),
    (8080, 8080),
    (8443, 8443),
    (9092, 9092),
    (9200, 9300),
    (27017, 27017),
    (1024, 5000),
    (8000, 8999),
    (10000, 20000),
    (30000, 32767),
];

/// Service tags used on the remote side of rules (none covers the dark ranges).
const REMOTE_TAGS: &[&str] = &[
    "Internet",
    "VirtualNetwork",
    "Storage",
    "Sql",
    "AzureCloud",
    "AzureMonitor",
    "AzureKeyVault",
    "AzureActiveDirectory",
];

/// First octets of the public part of the pool.
const PUBLIC_OCTETS: &[u8] = &[
    13, 20, 23, 40, 51, 52, 104, 137, 147, 151, 185, 191, 203, 204,
];

/// One entry of the shared remote-prefix pool.
#[derive(Clone, Copy, Debug)]
struct PoolNet {
    net: IpNet,
    /// Inside the dark ranges (rules naming it must restrict ports).
    dark: bool,
}

fn remote_pool(rng: &mut SplitMix64) -> Vec<PoolNet> {
    let mut pool = Vec::with_capacity(800);
    for i in 0..800u32 {
        let kind = rng.below(100);
        let (addr, len, dark) = if kind < 45 {
            // Public space.
            let a = u32::from(rng.pick(PUBLIC_OCTETS));
            let addr = (a << 24) | (rng.next_u64() as u32 & 0x00FF_FFFF);
            (addr, rng.pick(&[12u8, 16, 20, 24, 24, 28, 32, 32]), false)
        } else if kind < 70 {
            // The VNet, weighted toward the two subnets of the path.
            let third = if rng.percent(60) {
                u32::from(rng.pick(&[SUBNET_A, SUBNET_B]))
            } else {
                rng.between(0, 15)
            };
            let addr = 0x0A00_0000 | (third << 8) | rng.between(0, 255);
            (addr, rng.pick(&[22u8, 24, 25, 27, 28, 32, 32]), false)
        } else if kind < 92 {
            // On-premises space reached over a gateway in real life (here: no route).
            let addr = 0x0A00_0000 | (rng.between(50, 99) << 16) | (rng.next_u64() as u32 & 0xFFFF);
            (addr, rng.pick(&[16u8, 20, 24, 32]), false)
        } else {
            // Dark ranges.
            let addr = if i % 2 == 0 {
                0xC0A8_0000 | (rng.next_u64() as u32 & 0xFFFF)
            } else {
                0xAC10_0000 | (rng.next_u64() as u32 & 0x000F_FFFF)
            };
            (addr, rng.pick(&[16u8, 20, 24, 32]), true)
        };
        pool.push(PoolNet {
            net: net4(addr, len),
            dark,
        });
    }
    pool
}

/// The two sides of the path, for picking "local" addresses.
#[derive(Clone, Copy)]
struct Side {
    subnet: u8,
    asg: AsgId,
}

fn local_spec(rng: &mut SplitMix64, side: Side) -> AddressSpec {
    let roll = rng.below(100);
    if roll < 20 {
        AddressSpec::Any
    } else if roll < 40 {
        tag("VirtualNetwork")
    } else if roll < 90 {
        let s = u32::from(side.subnet);
        let base = 0x0A00_0000 | (s << 8);
        let count = rng.between(1, 2);
        let nets = (0..count)
            .map(|_| match rng.below(6) {
                0 => net4(base | u32::from(HOST), 32),
                1 => net4(base, 24),
                2 => net4(base | (rng.between(0, 1) << 7), 25),
                3 => net4(base | rng.between(0, 255), 32),
                4 => net4(base | (rng.between(0, 15) << 4), 28),
                _ => net4(0x0A00_0000, 16),
            })
            .collect();
        AddressSpec::Prefixes(nets)
    } else {
        AddressSpec::Asgs(alloc::vec![side.asg])
    }
}

/// The remote side and whether it can include the dark ranges.
fn remote_spec(
    rng: &mut SplitMix64,
    pool: &[PoolNet],
    asgs: [AsgId; 2],
    inbound: bool,
) -> (AddressSpec, bool) {
    let roll = rng.below(100);
    if roll < 12 {
        (AddressSpec::Any, true)
    } else if roll < 30 {
        if inbound && rng.percent(15) {
            (tag("AzureLoadBalancer"), false)
        } else {
            (tag(rng.pick(REMOTE_TAGS)), false)
        }
    } else if roll < 95 {
        let count = rng.between(1, 4);
        let mut dark = false;
        let nets = (0..count)
            .map(|_| {
                let p = rng.pick(pool);
                dark |= p.dark;
                p.net
            })
            .collect();
        (AddressSpec::Prefixes(nets), dark)
    } else {
        (AddressSpec::Asgs(alloc::vec![rng.pick(&asgs)]), false)
    }
}

fn port_list(rng: &mut SplitMix64) -> PortSpec {
    let count = rng.between(1, 4);
    PortSpec::List(
        (0..count)
            .map(|_| {
                let (lo, hi) = rng.pick(PORTS);
                PortRange { lo, hi }
            })
            .collect(),
    )
}

fn custom_rules(
    rng: &mut SplitMix64,
    pool: &[PoolNet],
    direction: Direction,
    local: Side,
    asgs: [AsgId; 2],
) -> Vec<SecurityRule> {
    let inbound = direction == Direction::Inbound;
    (0..RULES_PER_NSG)
        .map(|i| {
            let (remote, remote_dark) = remote_spec(rng, pool, asgs, inbound);
            let local_side = local_spec(rng, local);
            // Outbound rules see the remote side as destination.
            let dest_can_be_dark = !inbound && remote_dark;
            let mut protocol = match rng.below(100) {
                0..50 => RuleProtocol::Only(Protocol::Tcp),
                50..70 => RuleProtocol::Only(Protocol::Udp),
                70..95 => RuleProtocol::Any,
                _ => RuleProtocol::Only(Protocol::Icmp),
            };
            if dest_can_be_dark && protocol == RuleProtocol::Only(Protocol::Icmp) {
                protocol = RuleProtocol::Only(Protocol::Tcp);
            }
            let destination_ports = if !dest_can_be_dark && rng.percent(15) {
                PortSpec::Any
            } else {
                port_list(rng)
            };
            let source_ports = if rng.percent(90) {
                PortSpec::Any
            } else {
                PortSpec::List(alloc::vec![PortRange {
                    lo: 1024,
                    hi: 65535
                }])
            };
            let (source, destination) = if inbound {
                (remote, local_side)
            } else {
                (local_side, remote)
            };
            SecurityRule {
                name: alloc::format!("r{i:04}"),
                description: String::new(),
                // 100, 103, ..., 3097: unique, with gaps as real NSGs have.
                priority: 100 + 3 * i as u16,
                direction,
                access: if rng.percent(60) {
                    Access::Allow
                } else {
                    Access::Deny
                },
                protocol,
                source,
                source_ports,
                destination,
                destination_ports,
            }
        })
        .collect()
}

fn subnet(name: &str, vnet: crate::ids::VnetId, third: u8, nsg: crate::ids::NsgId) -> Subnet {
    Subnet {
        name: String::from(name),
        vnet,
        prefixes: alloc::vec![net4(u32::from_be_bytes([VNET[0], VNET[1], third, 0]), 24)],
        nsg: Some(nsg),
        route_table: None,
        service_endpoints: Vec::new(),
        private_endpoint_policies: PrivateEndpointPolicies::Disabled,
        default_outbound_access: true,
    }
}

fn nic(
    name: &str,
    subnet: crate::ids::SubnetId,
    ip: IpAddr,
    nsg: Option<crate::ids::NsgId>,
    asg: AsgId,
) -> NetworkInterface {
    NetworkInterface {
        name: String::from(name),
        nsg,
        ip_forwarding: false,
        vm: None,
        ip_configs: alloc::vec![IpConfiguration {
            name: String::from("ipconfig1"),
            subnet,
            private_ip: ip,
            public_ip: None,
            asgs: alloc::vec![asg],
        }],
    }
}

fn flow_set(rng: &mut SplitMix64, pool: &[PoolNet], count: usize) -> Vec<Flow> {
    let non_dark: Vec<&PoolNet> = pool.iter().filter(|p| !p.dark).collect();
    (0..count)
        .map(|_| {
            let src = if rng.percent(70) {
                v4(VNET[0], VNET[1], SUBNET_A, HOST)
            } else {
                v4(VNET[0], VNET[1], SUBNET_A, rng.between(4, 250) as u8)
            };
            let sport = rng.between(1024, 65535) as u16;
            let protocol = match rng.below(100) {
                0..65 => Protocol::Tcp,
                65..90 => Protocol::Udp,
                _ => Protocol::Icmp,
            };
            let well_known = |rng: &mut SplitMix64| {
                if rng.percent(80) {
                    let (lo, hi) = rng.pick(PORTS);
                    rng.between(u32::from(lo), u32::from(hi)) as u16
                } else {
                    rng.between(1, 65535) as u16
                }
            };
            let roll = rng.below(100);
            if roll < 34 {
                // Dark: on-premises space with no route, ephemeral port.
                let dst = if rng.percent(50) {
                    v4(192, 168, rng.below(256) as u8, rng.below(256) as u8)
                } else {
                    v4(
                        172,
                        rng.between(16, 31) as u8,
                        rng.below(256) as u8,
                        rng.below(256) as u8,
                    )
                };
                let proto = if rng.percent(80) {
                    Protocol::Tcp
                } else {
                    Protocol::Udp
                };
                let dport = rng.between(u32::from(EPHEMERAL_LO), 65535) as u16;
                Flow::new(proto, src, sport, dst, dport)
            } else if roll < 74 {
                // East/west to subnet-b.
                let dst = if rng.percent(75) {
                    v4(VNET[0], VNET[1], SUBNET_B, HOST)
                } else {
                    v4(VNET[0], VNET[1], SUBNET_B, rng.between(4, 250) as u8)
                };
                let dport = well_known(rng);
                Flow::new(protocol, src, sport, dst, dport)
            } else if roll < 98 {
                // To an address some rule names.
                let p = rng.pick(&non_dark).net;
                let dst = match p {
                    IpNet::V4(n) => {
                        let lo = u32::from(n.network());
                        let hi = u32::from(n.broadcast());
                        IpAddr::V4(Ipv4Addr::from(
                            lo + rng.below(u64::from(hi - lo) + 1) as u32,
                        ))
                    }
                    IpNet::V6(_) => v4(20, 1, 2, 3),
                };
                let dport = well_known(rng);
                Flow::new(protocol, src, sport, dst, dport)
            } else {
                // Platform: DNS and the wire server, IMDS.
                if rng.percent(50) {
                    Flow::new(Protocol::Udp, src, sport, v4(168, 63, 129, 16), 53)
                } else {
                    Flow::new(Protocol::Tcp, src, sport, v4(169, 254, 169, 254), 80)
                }
            }
        })
        .collect()
}

/// Builds the default-sized workload for `seed`.
pub fn workload(seed: u64) -> Result<Workload, ModelError> {
    workload_sized(seed, FLOWS)
}

/// Builds the workload for `seed` with `flows` flows.
pub fn workload_sized(seed: u64, flows: usize) -> Result<Workload, ModelError> {
    let mut rng = SplitMix64::new(seed);
    let pool = remote_pool(&mut rng);
    let mut b = Network::builder();
    let region = b.region("westeurope")?;
    let vnet = b.add_vnet(VirtualNetwork {
        name: String::from("bench-vnet"),
        region,
        address_space: alloc::vec![net4(0x0A00_0000, 16)],
        gateway_routes: Vec::new(),
    })?;
    let asg_a = b.add_asg(ApplicationSecurityGroup {
        name: String::from("asg-web"),
        region: None,
    })?;
    let asg_b = b.add_asg(ApplicationSecurityGroup {
        name: String::from("asg-db"),
        region: None,
    })?;
    let asgs = [asg_a, asg_b];
    let side_a = Side {
        subnet: SUBNET_A,
        asg: asg_a,
    };
    let side_b = Side {
        subnet: SUBNET_B,
        asg: asg_b,
    };
    let mut nsg = |name: &str, direction, side| {
        let rules = custom_rules(&mut rng, &pool, direction, side, asgs);
        b.add_nsg(NetworkSecurityGroup {
            name: String::from(name),
            rules,
        })
    };
    let nsg_nic_a = nsg("nsg-nic-a", Direction::Outbound, side_a)?;
    let nsg_sub_a = nsg("nsg-subnet-a", Direction::Outbound, side_a)?;
    let nsg_sub_b = nsg("nsg-subnet-b", Direction::Inbound, side_b)?;
    let nsg_nic_b = nsg("nsg-nic-b", Direction::Inbound, side_b)?;
    let sub_a = b.add_subnet(subnet("subnet-a", vnet, SUBNET_A, nsg_sub_a))?;
    let sub_b = b.add_subnet(subnet("subnet-b", vnet, SUBNET_B, nsg_sub_b))?;
    b.add_nic(nic(
        "nic-a",
        sub_a,
        v4(VNET[0], VNET[1], SUBNET_A, HOST),
        Some(nsg_nic_a),
        asg_a,
    ))?;
    b.add_nic(nic(
        "nic-b",
        sub_b,
        v4(VNET[0], VNET[1], SUBNET_B, HOST),
        Some(nsg_nic_b),
        asg_b,
    ))?;
    b.add_nic(nic("nic-a2", sub_a, v4(10, 0, 1, 5), None, asg_a))?;
    b.add_nic(nic("nic-b2", sub_b, v4(10, 0, 2, 5), None, asg_b))?;
    let network = b.build()?;

    let ctx_a = TagContext::for_subnet(&network, sub_a);
    let ctx_b = TagContext::for_subnet(&network, sub_b);
    let mut path = Vec::with_capacity(4);
    for (ctx, id, direction) in [
        (&ctx_a, nsg_nic_a, Direction::Outbound),
        (&ctx_a, nsg_sub_a, Direction::Outbound),
        (&ctx_b, nsg_sub_b, Direction::Inbound),
        (&ctx_b, nsg_nic_b, Direction::Inbound),
    ] {
        path.push(PathNsg {
            name: network.nsg(id).map_or_else(String::new, |n| n.name.clone()),
            direction,
            rules: effective::expand(ctx, id, direction),
        });
    }
    let flows = flow_set(&mut rng, &pool, flows);
    Ok(Workload {
        seed,
        network,
        path,
        flows,
    })
}

/// The compiled path: one [`CompiledNsg`] per NSG, built once.
#[derive(Clone, Debug)]
pub struct CompiledPath {
    nsgs: Vec<CompiledNsg>,
}

impl CompiledPath {
    /// Compiles every NSG of the path.
    pub fn compile(path: &[PathNsg]) -> Self {
        Self {
            nsgs: path
                .iter()
                .map(|p| CompiledNsg::compile(p.rules.clone(), p.direction))
                .collect(),
        }
    }

    /// The compiled NSGs, in path order.
    pub fn nsgs(&self) -> &[CompiledNsg] {
        &self.nsgs
    }

    /// Whether the flow passes every NSG (stops at the first deny).
    #[inline]
    pub fn access(&self, flow: &Flow) -> Access {
        // Convert the flow once for all four NSGs.
        let key = FlowKey::new(flow);
        for nsg in &self.nsgs {
            if nsg.access_key(&key) == Access::Deny {
                return Access::Deny;
            }
        }
        Access::Allow
    }
}

/// The same path decided by a plain linear scan ([`effective::decide`]).
pub fn linear_access(path: &[PathNsg], flow: &Flow) -> Access {
    for nsg in path {
        if effective::access(&nsg.rules, nsg.direction, flow) == Access::Deny {
            return Access::Deny;
        }
    }
    Access::Allow
}

/// Where the flows of a workload end, by the linear path.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Flows.
    pub flows: usize,
    /// Flows that match no custom rule of the first NSG and stop at its `DenyAllOutBound`.
    pub fall_through: usize,
    /// Flows decided by a default rule (or by none, platform traffic) in the first NSG.
    pub no_custom_match_first: usize,
    /// Flows allowed by all four NSGs.
    pub allowed: usize,
    /// Flows denied at each NSG of the path.
    pub denied_at: [usize; 4],
    /// NSGs evaluated in total (a flow stops at the first deny).
    pub nsgs_evaluated: usize,
}

impl Stats {
    /// The fall-through share, in percent.
    pub fn fall_through_percent(&self) -> f64 {
        if self.flows == 0 {
            0.0
        } else {
            self.fall_through as f64 * 100.0 / self.flows as f64
        }
    }
}

/// Counts where the flows end.
pub fn stats(w: &Workload) -> Stats {
    let mut s = Stats {
        flows: w.flows.len(),
        ..Stats::default()
    };
    for flow in &w.flows {
        let mut denied = false;
        for (k, nsg) in w.path.iter().enumerate() {
            s.nsgs_evaluated += 1;
            let rule = effective::decide(&nsg.rules, nsg.direction, flow);
            if k == 0 {
                let custom = rule.is_some_and(|r| matches!(r.rule_ref, RuleRef::Custom(_)));
                if !custom {
                    s.no_custom_match_first += 1;
                }
                if rule.is_some_and(|r| {
                    r.rule_ref == RuleRef::Default(5) && r.rule.access == Access::Deny
                }) {
                    s.fall_through += 1;
                }
            }
            if rule.is_some_and(|r| r.rule.access == Access::Deny) {
                if let Some(slot) = s.denied_at.get_mut(k) {
                    *slot += 1;
                }
                denied = true;
                break;
            }
        }
        if !denied {
            s.allowed += 1;
        }
    }
    s
}

/// Checks that the compiled classifier picks the same rule as the linear scan
/// for every flow and NSG. Returns the first disagreement, described.
pub fn check_equivalence(w: &Workload, compiled: &CompiledPath) -> Result<(), String> {
    for (k, (nsg, c)) in w.path.iter().zip(compiled.nsgs()).enumerate() {
        for flow in &w.flows {
            let linear = effective::decide(&nsg.rules, nsg.direction, flow)
                .and_then(|r| nsg.rules.iter().position(|x| core::ptr::eq(x, r)));
            let fast = c.decide(flow);
            if linear != fast {
                return Err(alloc::format!(
                    "NSG {k} ({}): flow {flow}: linear picks {linear:?}, compiled picks {fast:?}",
                    nsg.name
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_workload_is_reproducible_and_equivalent() {
        let a = workload_sized(7, 500).unwrap();
        let b = workload_sized(7, 500).unwrap();
        assert_eq!(a.flows, b.flows);
        assert_eq!(a.path.len(), 4);
        assert!(a.path.iter().all(|p| p.rules.len() == RULES_PER_NSG + 3));
        let compiled = CompiledPath::compile(&a.path);
        check_equivalence(&a, &compiled).unwrap();
        let s = stats(&a);
        assert!(s.fall_through_percent() >= 30.0, "{s:?}");
    }
}
