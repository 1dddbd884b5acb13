//! Issue G12 input: a seeded, reproducible Azure REST export of a large
//! network, for timing one cold `netsec test-ip-flow` call on it
//! (`scripts/bench.sh g12`).
//!
//! ## The file
//!
//! Four REST list responses (`{"value": [...]}`, compact, as the API returns
//! them) one after another, as saving `GET .../virtualNetworks`,
//! `.../applicationSecurityGroups`, `.../networkSecurityGroups` and
//! `.../networkInterfaces` into one file gives. Every resource is in the
//! REST shape with the fields Azure prints (`id`, `name`, `etag`, `type`,
//! `location`, `properties` with `provisioningState`, `resourceGuid`, empty
//! lists, back-references such as a subnet's `ipConfigurations` and an NSG's
//! `networkInterfaces`), so the reader skips as much as it would on a real
//! export. At [`Shape::scaled`]`(1.0)`:
//!
//! - 5 VNets (`10.V.0.0/16`), hub and spokes: VNet 0 is peered both ways with
//!   each other one; 50 subnets (`10.V.J.0/24`), each with its own NSG;
//! - 50 ASGs, each belonging to one VNet (ASG `a` to VNet `a mod 5`);
//! - 100 NSGs of [`RULES_PER_NSG`] custom rules each (Azure's limit), with
//!   their six default rules written out as Azure prints them: the first half
//!   sit on the subnets, the second half on the NICs (NIC `i` gets NSG
//!   `50 + i mod 50`);
//! - 1,000 NICs, spread over the subnets, each with one static IP
//!   configuration in 0 to 2 ASGs of its VNet, an NSG and a `virtualMachine`
//!   reference (the VMs themselves are not in the export: the reader makes
//!   them from the NICs).
//!
//! That is 66.5 MB (the budget estimated about 56 MB). Security rules are
//! written without `etag` and `provisioningState` (every other resource has
//! them): with them, and empty ASG lists, 1x was 85 MB and 2x over the 128 MiB
//! limit. Other scales multiply the counts of VNets, NSGs, ASGs and NICs
//! (never the rules per NSG).
//!
//! ## The rules
//!
//! 700 inbound and 300 outbound per NSG, distinct priorities below 4000,
//! drawn like the G1 workload's: address prefixes (1-4) from a pool of
//! on-premises and public ranges, service tags, ASGs of one VNet and `*`;
//! ports and port lists from well-known ports and ranges; `Tcp`, `Udp`,
//! `*`, `Icmp`; about 60% Allow. Every NSG also has, at priority 4000 (the
//! last custom rule inbound), `allow-probe-9443`: TCP from
//! [`PROBE_SOURCE_PREFIX`] to port 9443.
//!
//! No generated rule can match a TCP flow from [`PROBE_SOURCE`] to port 9443
//! or 49999: every listed port and range is below 9000, and a rule with any
//! destination port (`*`) has a source that cannot hold that address (pool
//! prefixes, `VirtualNetwork`, `AzureLoadBalancer`, ASGs). So the
//! [`Probe`]s' answers are known by construction: port 9443 is allowed by
//! `allow-probe-9443` in both NSGs after every other inbound rule was
//! looked at, port 49999 falls through to `DenyAllInBound`.

use core::fmt::Write;

use netsec_engine::benchgen::SplitMix64;

/// The seed the published numbers use.
pub const DEFAULT_SEED: u64 = 0x4731_3252_4553_5447;
/// Custom rules in every NSG (Azure's limit), the probe rule included.
pub const RULES_PER_NSG: usize = 1_000;
/// Inbound custom rules per NSG, the probe rule included.
pub const INBOUND_PER_NSG: usize = 700;
/// The probe rule's source.
pub const PROBE_SOURCE_PREFIX: &str = "198.51.100.0/24";
/// The remote address of the probes.
pub const PROBE_SOURCE: &str = "198.51.100.10";
/// The probe rule's name.
pub const PROBE_RULE: &str = "allow-probe-9443";

const SUBSCRIPTION: &str = "5e1f0c2a-7b3d-4e8f-9a6b-0c1d2e3f4a5b";
const RESOURCE_GROUP: &str = "rg-netsec-g12";
const LOCATION: &str = "westeurope";

/// How many of each resource.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shape {
    /// Virtual networks (VNet 0 is the hub).
    pub vnets: usize,
    /// Subnets, over all VNets; each has its own NSG.
    pub subnets: usize,
    /// NSGs: one per subnet, the rest on NICs.
    pub nsgs: usize,
    /// Application security groups.
    pub asgs: usize,
    /// Network interfaces.
    pub nics: usize,
}

impl Shape {
    /// The budget's input (`scale` 1.0: 1,000 NICs, 100 NSGs, 50 ASGs) or a
    /// multiple of it.
    pub fn scaled(scale: f64) -> Result<Shape, String> {
        if !(scale.is_finite() && (0.01..=10.0).contains(&scale)) {
            return Err(format!("scale {scale} is not between 0.01 and 10"));
        }
        let n = |base: f64, min: usize| ((base * scale).round() as usize).max(min);
        let nsgs = n(100.0, 2);
        let shape = Shape {
            vnets: n(5.0, 1),
            subnets: nsgs / 2,
            nsgs,
            asgs: n(50.0, 1),
            nics: n(1000.0, 1),
        };
        shape.check()?;
        Ok(shape)
    }

    /// Whether the addresses fit (`10.V.J.K`).
    pub fn check(&self) -> Result<(), String> {
        let ok = self.vnets >= 1
            && self.vnets <= 200
            && self.subnets >= self.vnets
            && self.subnets.div_ceil(self.vnets) <= 250
            && self.nsgs > self.subnets
            && self.asgs >= 1
            && self.nics >= 1
            && self.nics.div_ceil(self.subnets) <= 250;
        if ok {
            Ok(())
        } else {
            Err(format!("{self:?} does not fit the address plan"))
        }
    }
}

/// One `netsec test-ip-flow` question whose answer is known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Probe {
    /// The VM (made by the reader from the NIC's reference).
    pub vm: String,
    /// Its NIC.
    pub nic: String,
    /// `Inbound`.
    pub direction: &'static str,
    /// `TCP`.
    pub protocol: &'static str,
    /// `IP:PORT` on the VM.
    pub local: String,
    /// `IP:PORT` of the remote side.
    pub remote: String,
    /// The expected `access`.
    pub access: &'static str,
    /// The expected `ruleName`.
    pub rule_name: String,
}

impl Probe {
    /// The arguments after `netsec test-ip-flow --scenario FILE`.
    pub fn cli_args(&self) -> Vec<String> {
        [
            "--vm",
            &self.vm,
            "--direction",
            self.direction,
            "--protocol",
            self.protocol,
            "--local",
            &self.local,
            "--remote",
            &self.remote,
        ]
        .iter()
        .map(|s| (*s).to_string())
        .collect()
    }

    /// The line `netsec test-ip-flow` prints for it.
    pub fn expected_output(&self) -> String {
        format!(
            "{{\"access\":\"{}\",\"ruleName\":\"{}\"}}",
            self.access, self.rule_name
        )
    }
}

/// The generated export.
#[derive(Clone, Debug)]
pub struct Export {
    /// The JSON text.
    pub text: String,
    /// What it holds.
    pub shape: Shape,
    /// Questions with known answers, about the last NIC (the one every list
    /// holds last): allowed by the probe rule, and denied by default.
    pub probes: Vec<Probe>,
}

/// Generates the export for a shape (see the module documentation).
pub fn generate(seed: u64, shape: Shape) -> Result<Export, String> {
    shape.check()?;
    let mut g = Gen {
        rng: SplitMix64::new(seed),
        shape,
        out: String::with_capacity(shape.nsgs * RULES_PER_NSG * 600 + shape.nics * 2_000),
        pool: Vec::new(),
    };
    g.pool = prefix_pool(&mut g.rng);
    g.out.push_str("{\"value\":[");
    for v in 0..shape.vnets {
        g.sep(v);
        g.vnet(v);
    }
    g.out.push_str("]}\n{\"value\":[");
    for a in 0..shape.asgs {
        g.sep(a);
        g.asg(a);
    }
    g.out.push_str("]}\n{\"value\":[");
    for n in 0..shape.nsgs {
        g.sep(n);
        g.nsg(n);
    }
    g.out.push_str("]}\n{\"value\":[");
    for i in 0..shape.nics {
        g.sep(i);
        g.nic(i);
    }
    g.out.push_str("]}\n");
    let last = shape.nics - 1;
    let local_ip = g.nic_ip(last);
    let probe = |port: u16, access: &'static str, rule: String| Probe {
        vm: vm_name(last),
        nic: nic_name(last),
        direction: "Inbound",
        protocol: "TCP",
        local: format!("{local_ip}:{port}"),
        remote: format!("{PROBE_SOURCE}:50000"),
        access,
        rule_name: rule,
    };
    let probes = vec![
        probe(9443, "Allow", format!("securityRules/{PROBE_RULE}")),
        probe(
            49999,
            "Deny",
            String::from("defaultSecurityRules/DenyAllInBound"),
        ),
    ];
    Ok(Export {
        text: g.out,
        shape,
        probes,
    })
}

fn vnet_name(v: usize) -> String {
    format!("vnet-{v:02}")
}
fn subnet_name(k: usize) -> String {
    format!("snet-{k:03}")
}
fn nsg_name(n: usize) -> String {
    format!("nsg-{n:03}")
}
fn asg_name(a: usize) -> String {
    format!("asg-{a:02}")
}
fn nic_name(i: usize) -> String {
    format!("nic-{i:04}")
}
fn vm_name(i: usize) -> String {
    format!("vm-{i:04}")
}

fn provider(ty: &str, name: &str) -> String {
    format!("/subscriptions/{SUBSCRIPTION}/resourceGroups/{RESOURCE_GROUP}/providers/{ty}/{name}")
}

/// Address prefixes rules draw from: on-premises `10.100-199.x`,
/// `172.16-31.x`, `192.168.x`, and public ranges in `20-60.x` and `80-120.x`
/// (none holds [`PROBE_SOURCE`]).
fn prefix_pool(rng: &mut SplitMix64) -> Vec<String> {
    let mut pool = Vec::with_capacity(600);
    for _ in 0..600 {
        let p = match rng.below(5) {
            0 => format!("10.{}.{}.0/24", rng.between(100, 199), rng.below(256)),
            1 => format!("172.{}.{}.0/24", rng.between(16, 31), rng.below(256)),
            2 => format!("192.168.{}.0/24", rng.below(256)),
            3 => {
                let len = rng.between(16, 28);
                let raw = (rng.between(20, 60) << 24) | (rng.next_u64() as u32 & 0x00ff_ffff);
                let mask = u32::MAX << (32 - len);
                let ip = core::net::Ipv4Addr::from(raw & mask);
                format!("{ip}/{len}")
            }
            _ => format!(
                "{}.{}.{}.{}",
                rng.between(80, 120),
                rng.below(256),
                rng.below(256),
                rng.between(1, 254)
            ),
        };
        pool.push(p);
    }
    pool
}

/// Destination ports and ranges (all below 9000).
const PORTS: &[&str] = &[
    "22",
    "25",
    "53",
    "80",
    "88",
    "123",
    "135",
    "389",
    "443",
    "445",
    "636",
    "1433",
    "1521",
    "2049",
    "3306",
    "3389",
    "5432",
    "5671-5672",
    "5985-5986",
    "6379",
    "8000-8100",
    "8080",
    "8443",
    "1024-4999",
    "6000-6999",
    "135-139",
    "7000-7999",
];

/// Service tags a rule may name on the remote side.
const REMOTE_TAGS: &[&str] = &[
    "Internet",
    "Storage",
    "Sql",
    "AzureCloud",
    "AzureMonitor",
    "AzureKeyVault",
    "EventHub",
];

struct Gen {
    rng: SplitMix64,
    shape: Shape,
    out: String,
    pool: Vec<String>,
}

/// One side of a generated rule.
enum Addr {
    Any,
    Tag(&'static str),
    Prefixes(Vec<String>),
    Asgs(Vec<usize>),
}

impl Addr {
    /// Whether [`PROBE_SOURCE`] can be in it.
    fn may_hold_probe(&self) -> bool {
        match self {
            Addr::Any => true,
            Addr::Tag(t) => !matches!(*t, "VirtualNetwork" | "AzureLoadBalancer"),
            Addr::Prefixes(_) | Addr::Asgs(_) => false,
        }
    }
}

impl Gen {
    fn sep(&mut self, i: usize) {
        if i > 0 {
            self.out.push(',');
        }
    }

    fn guid(&mut self) -> String {
        let a = self.rng.next_u64();
        let b = self.rng.next_u64();
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xfff,
            0x8000 | ((b >> 48) & 0x3fff),
            b & 0xffff_ffff_ffff
        )
    }

    fn etag(&mut self) -> String {
        format!("W/\\\"{}\\\"", self.guid())
    }

    fn vnet_of_subnet(&self, k: usize) -> (usize, usize) {
        (k % self.shape.vnets, k / self.shape.vnets)
    }

    fn subnet_of_nic(&self, i: usize) -> (usize, usize) {
        (i % self.shape.subnets, i / self.shape.subnets)
    }

    fn nic_ip(&self, i: usize) -> String {
        let (k, host) = self.subnet_of_nic(i);
        let (v, j) = self.vnet_of_subnet(k);
        format!("10.{v}.{j}.{}", host + 4)
    }

    fn vnet_id(&self, v: usize) -> String {
        provider("Microsoft.Network/virtualNetworks", &vnet_name(v))
    }
    fn subnet_id(&self, k: usize) -> String {
        let (v, _) = self.vnet_of_subnet(k);
        format!("{}/subnets/{}", self.vnet_id(v), subnet_name(k))
    }
    fn nsg_id(&self, n: usize) -> String {
        provider("Microsoft.Network/networkSecurityGroups", &nsg_name(n))
    }
    fn asg_id(&self, a: usize) -> String {
        provider("Microsoft.Network/applicationSecurityGroups", &asg_name(a))
    }
    fn nic_id(&self, i: usize) -> String {
        provider("Microsoft.Network/networkInterfaces", &nic_name(i))
    }
    fn nic_nsg(&self, i: usize) -> usize {
        self.shape.subnets + i % (self.shape.nsgs - self.shape.subnets)
    }
    /// The ASGs of a NIC (0 to 2, of its VNet).
    fn nic_asgs(&self, i: usize) -> Vec<usize> {
        let (k, _) = self.subnet_of_nic(i);
        let (v, _) = self.vnet_of_subnet(k);
        let mine: Vec<usize> = self.vnet_asgs(v);
        if mine.is_empty() {
            return Vec::new();
        }
        // Deterministic from the index, not the stream: NICs and the
        // VNets' back-references agree without keeping state.
        let h = (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32;
        let count = (h % 3) as usize;
        (0..count.min(mine.len()))
            .map(|c| mine[(h as usize / 3 + c) % mine.len()])
            .collect()
    }
    fn vnet_asgs(&self, v: usize) -> Vec<usize> {
        (0..self.shape.asgs)
            .filter(|a| a % self.shape.vnets == v)
            .collect()
    }

    fn refs(&mut self, ids: impl IntoIterator<Item = String>) {
        self.out.push('[');
        for (k, id) in ids.into_iter().enumerate() {
            self.sep(k);
            let _ = write!(self.out, "{{\"id\":\"{id}\"}}");
        }
        self.out.push(']');
    }

    fn vnet(&mut self, v: usize) {
        let name = vnet_name(v);
        let id = self.vnet_id(v);
        let etag = self.etag();
        let guid = self.guid();
        let _ = write!(
            self.out,
            "{{\"name\":\"{name}\",\"id\":\"{id}\",\"etag\":\"{etag}\",\"type\":\"Microsoft.Network/virtualNetworks\",\"location\":\"{LOCATION}\",\"properties\":{{\"provisioningState\":\"Succeeded\",\"resourceGuid\":\"{guid}\",\"addressSpace\":{{\"addressPrefixes\":[\"10.{v}.0.0/16\"]}},\"subnets\":["
        );
        let subnets: Vec<usize> = (0..self.shape.subnets)
            .filter(|k| k % self.shape.vnets == v)
            .collect();
        for (c, k) in subnets.into_iter().enumerate() {
            self.sep(c);
            let (_, j) = self.vnet_of_subnet(k);
            let sid = self.subnet_id(k);
            let etag = self.etag();
            let nsg = self.nsg_id(k);
            let _ = write!(
                self.out,
                "{{\"name\":\"{}\",\"id\":\"{sid}\",\"etag\":\"{etag}\",\"properties\":{{\"provisioningState\":\"Succeeded\",\"addressPrefix\":\"10.{v}.{j}.0/24\",\"networkSecurityGroup\":{{\"id\":\"{nsg}\"}},\"ipConfigurations\":",
                subnet_name(k)
            );
            let nics: Vec<String> = (0..self.shape.nics)
                .filter(|i| i % self.shape.subnets == k)
                .map(|i| format!("{}/ipConfigurations/ipconfig1", self.nic_id(i)))
                .collect();
            self.refs(nics);
            self.out.push_str(",\"delegations\":[],\"privateEndpointNetworkPolicies\":\"Disabled\",\"privateLinkServiceNetworkPolicies\":\"Enabled\"},\"type\":\"Microsoft.Network/virtualNetworks/subnets\"}");
        }
        self.out.push_str("],\"virtualNetworkPeerings\":[");
        let remotes: Vec<usize> = if v == 0 {
            (1..self.shape.vnets).collect()
        } else {
            vec![0]
        };
        for (c, r) in remotes.into_iter().enumerate() {
            self.sep(c);
            let pname = format!("{name}-to-{}", vnet_name(r));
            let etag = self.etag();
            let rid = self.vnet_id(r);
            let (fwd, transit) = if v == 0 {
                ("false", "true")
            } else {
                ("true", "false")
            };
            let _ = write!(
                self.out,
                "{{\"name\":\"{pname}\",\"id\":\"{id}/virtualNetworkPeerings/{pname}\",\"etag\":\"{etag}\",\"properties\":{{\"provisioningState\":\"Succeeded\",\"peeringState\":\"Connected\",\"peeringSyncLevel\":\"FullyInSync\",\"remoteVirtualNetwork\":{{\"id\":\"{rid}\"}},\"allowVirtualNetworkAccess\":true,\"allowForwardedTraffic\":{fwd},\"allowGatewayTransit\":{transit},\"useRemoteGateways\":false,\"doNotVerifyRemoteGateways\":false,\"remoteAddressSpace\":{{\"addressPrefixes\":[\"10.{r}.0.0/16\"]}},\"routeServiceVips\":{{}}}},\"type\":\"Microsoft.Network/virtualNetworks/virtualNetworkPeerings\"}}"
            );
        }
        self.out.push_str(
            "],\"enableDdosProtection\":false,\"privateEndpointVNetPolicies\":\"Disabled\"}}",
        );
    }

    fn asg(&mut self, a: usize) {
        let etag = self.etag();
        let guid = self.guid();
        let _ = write!(
            self.out,
            "{{\"name\":\"{}\",\"id\":\"{}\",\"etag\":\"{etag}\",\"type\":\"Microsoft.Network/applicationSecurityGroups\",\"location\":\"{LOCATION}\",\"tags\":{{}},\"properties\":{{\"resourceGuid\":\"{guid}\",\"provisioningState\":\"Succeeded\"}}}}",
            asg_name(a),
            self.asg_id(a)
        );
    }

    fn nsg(&mut self, n: usize) {
        let name = nsg_name(n);
        let id = self.nsg_id(n);
        let etag = self.etag();
        let guid = self.guid();
        let _ = write!(
            self.out,
            "{{\"name\":\"{name}\",\"id\":\"{id}\",\"etag\":\"{etag}\",\"type\":\"Microsoft.Network/networkSecurityGroups\",\"location\":\"{LOCATION}\",\"properties\":{{\"provisioningState\":\"Succeeded\",\"resourceGuid\":\"{guid}\",\"securityRules\":["
        );
        // The VNet whose ASGs the rules name: the subnet's, or any for NIC NSGs.
        let home = (n < self.shape.subnets).then(|| self.vnet_of_subnet(n).0);
        let inbound = distinct_priorities(&mut self.rng, INBOUND_PER_NSG - 1);
        let outbound = distinct_priorities(&mut self.rng, RULES_PER_NSG - INBOUND_PER_NSG);
        let mut k = 0;
        for (dir, prios) in [("Inbound", inbound), ("Outbound", outbound)] {
            for p in prios {
                self.sep(k);
                self.rule(&id, k, dir, p, home);
                k += 1;
            }
        }
        self.sep(k);
        let _ = write!(
            self.out,
            "{{\"name\":\"{PROBE_RULE}\",\"id\":\"{id}/securityRules/{PROBE_RULE}\",\"type\":\"Microsoft.Network/networkSecurityGroups/securityRules\",\"properties\":{{\"description\":\"synthetic monitoring\",\"protocol\":\"Tcp\",\"sourcePortRange\":\"*\",\"destinationPortRange\":\"9443\",\"sourceAddressPrefix\":\"{PROBE_SOURCE_PREFIX}\",\"destinationAddressPrefix\":\"*\",\"access\":\"Allow\",\"priority\":4000,\"direction\":\"Inbound\",\"sourcePortRanges\":[],\"destinationPortRanges\":[],\"sourceAddressPrefixes\":[],\"destinationAddressPrefixes\":[]}}}}"
        );
        self.out.push_str("],\"defaultSecurityRules\":[");
        for (c, (dname, desc, src, dst, access, prio, dir)) in DEFAULT_RULES.iter().enumerate() {
            self.sep(c);
            let _ = write!(
                self.out,
                "{{\"name\":\"{dname}\",\"id\":\"{id}/defaultSecurityRules/{dname}\",\"type\":\"Microsoft.Network/networkSecurityGroups/defaultSecurityRules\",\"properties\":{{\"description\":\"{desc}\",\"protocol\":\"*\",\"sourcePortRange\":\"*\",\"destinationPortRange\":\"*\",\"sourceAddressPrefix\":\"{src}\",\"destinationAddressPrefix\":\"{dst}\",\"access\":\"{access}\",\"priority\":{prio},\"direction\":\"{dir}\",\"sourcePortRanges\":[],\"destinationPortRanges\":[],\"sourceAddressPrefixes\":[],\"destinationAddressPrefixes\":[]}}}}"
            );
        }
        self.out.push(']');
        if n < self.shape.subnets {
            self.out.push_str(",\"subnets\":");
            let sid = self.subnet_id(n);
            self.refs([sid]);
        } else {
            self.out.push_str(",\"networkInterfaces\":");
            let nics: Vec<String> = (0..self.shape.nics)
                .filter(|i| self.nic_nsg(*i) == n)
                .map(|i| self.nic_id(i))
                .collect();
            self.refs(nics);
        }
        self.out.push_str("}}");
    }

    /// Addresses on the remote side of a rule (the source of an inbound rule).
    fn remote_addr(&mut self, asg_vnet: usize) -> Addr {
        match self.rng.below(100) {
            0..35 => Addr::Prefixes(self.pool_prefixes()),
            35..45 => Addr::Tag(self.rng.pick(REMOTE_TAGS)),
            45..52 => Addr::Tag(self.rng.pick(&["VirtualNetwork", "AzureLoadBalancer"])),
            52..60 => self.asgs_of(asg_vnet),
            _ => Addr::Any,
        }
    }

    /// Addresses on the local side (the destination of an inbound rule).
    fn local_addr(&mut self, asg_vnet: usize) -> Addr {
        match self.rng.below(100) {
            0..45 => Addr::Any,
            45..65 => Addr::Tag("VirtualNetwork"),
            65..90 => {
                let n = self.rng.between(1, 3) as usize;
                let mut list: Vec<String> = Vec::with_capacity(n);
                for _ in 0..n {
                    let k = self.rng.below(self.shape.subnets as u64) as usize;
                    let (v, j) = self.vnet_of_subnet(k);
                    let p = format!("10.{v}.{j}.0/24");
                    if !list.contains(&p) {
                        list.push(p);
                    }
                }
                Addr::Prefixes(list)
            }
            _ => self.asgs_of(asg_vnet),
        }
    }

    fn pool_prefixes(&mut self) -> Vec<String> {
        let n = match self.rng.below(10) {
            0..6 => 1,
            6..8 => 2,
            8 => 3,
            _ => 4,
        };
        let mut out: Vec<String> = Vec::with_capacity(n);
        while out.len() < n {
            let p = self.pool[self.rng.below(self.pool.len() as u64) as usize].clone();
            if !out.contains(&p) {
                out.push(p);
            }
        }
        out
    }

    /// One or two ASGs of VNet `v` (`VirtualNetwork` if it has none).
    fn asgs_of(&mut self, v: usize) -> Addr {
        let mine = self.vnet_asgs(v);
        if mine.is_empty() {
            return Addr::Tag("VirtualNetwork");
        }
        let n = (self.rng.between(1, 2) as usize).min(mine.len());
        let mut out: Vec<usize> = Vec::with_capacity(n);
        while out.len() < n {
            let a = self.rng.pick(&mine);
            if !out.contains(&a) {
                out.push(a);
            }
        }
        Addr::Asgs(out)
    }

    fn addr_fields(&self, side: &str, a: &Addr) -> String {
        // REST prints the prefix lists even when empty; ASG lists only when set.
        match a {
            Addr::Any => format!("\"{side}AddressPrefix\":\"*\",\"{side}AddressPrefixes\":[]"),
            Addr::Tag(t) => format!("\"{side}AddressPrefix\":\"{t}\",\"{side}AddressPrefixes\":[]"),
            Addr::Prefixes(list) if list.len() == 1 => format!(
                "\"{side}AddressPrefix\":\"{}\",\"{side}AddressPrefixes\":[]",
                list[0]
            ),
            Addr::Prefixes(list) => format!(
                "\"{side}AddressPrefixes\":[{}]",
                list.iter()
                    .map(|p| format!("\"{p}\""))
                    .collect::<Vec<_>>()
                    .join(",")
            ),
            Addr::Asgs(list) => format!(
                "\"{side}AddressPrefixes\":[],\"{side}ApplicationSecurityGroups\":[{}]",
                list.iter()
                    .map(|a| format!("{{\"id\":\"{}\"}}", self.asg_id(*a)))
                    .collect::<Vec<_>>()
                    .join(",")
            ),
        }
    }

    fn rule(&mut self, nsg_id: &str, k: usize, dir: &str, priority: u16, home: Option<usize>) {
        let asg_vnet = home.unwrap_or_else(|| self.rng.below(self.shape.vnets as u64) as usize);
        let remote = self.remote_addr(asg_vnet);
        let local = self.local_addr(asg_vnet);
        let protocol = match self.rng.below(100) {
            0..50 => "Tcp",
            50..70 => "Udp",
            70..95 => "*",
            _ => "Icmp",
        };
        let access = if self.rng.percent(60) {
            "Allow"
        } else {
            "Deny"
        };
        // Any destination port only where the remote side cannot be the probe's.
        let any_port = !remote.may_hold_probe() && self.rng.percent(30);
        let ports: Vec<&str> = if any_port {
            vec!["*"]
        } else {
            let n = match self.rng.below(10) {
                0..7 => 1,
                7..9 => 2,
                _ => self.rng.between(3, 5) as usize,
            };
            let mut out: Vec<&str> = Vec::with_capacity(n);
            while out.len() < n {
                let p = self.rng.pick(PORTS);
                if !out.contains(&p) {
                    out.push(p);
                }
            }
            out
        };
        let source_ports = if self.rng.percent(8) {
            "1024-65535"
        } else {
            "*"
        };
        let (source, destination) = if dir == "Inbound" {
            (remote, local)
        } else {
            (local, remote)
        };
        let name = format!(
            "{}-{}-{k:04}",
            access.to_ascii_lowercase(),
            dir.to_ascii_lowercase()
        );
        let _ = write!(
            self.out,
            "{{\"name\":\"{name}\",\"id\":\"{nsg_id}/securityRules/{name}\",\"type\":\"Microsoft.Network/networkSecurityGroups/securityRules\",\"properties\":{{"
        );
        if self.rng.percent(30) {
            let _ = write!(
                self.out,
                "\"description\":\"ticket CHG{:06}\",",
                self.rng.below(1_000_000)
            );
        }
        let _ = write!(
            self.out,
            "\"protocol\":\"{protocol}\",\"sourcePortRange\":\"{source_ports}\","
        );
        if ports.len() == 1 {
            let _ = write!(
                self.out,
                "\"destinationPortRange\":\"{}\",\"destinationPortRanges\":[],",
                ports[0]
            );
        } else {
            let list: Vec<String> = ports.iter().map(|p| format!("\"{p}\"")).collect();
            let _ = write!(self.out, "\"destinationPortRanges\":[{}],", list.join(","));
        }
        let src = self.addr_fields("source", &source);
        let dst = self.addr_fields("destination", &destination);
        let _ = write!(
            self.out,
            "{src},{dst},\"access\":\"{access}\",\"priority\":{priority},\"direction\":\"{dir}\",\"sourcePortRanges\":[]}}}}"
        );
    }

    fn nic(&mut self, i: usize) {
        let name = nic_name(i);
        let id = self.nic_id(i);
        let (k, _) = self.subnet_of_nic(i);
        let ip = self.nic_ip(i);
        let sid = self.subnet_id(k);
        let nsg = self.nsg_id(self.nic_nsg(i));
        let vm = provider("Microsoft.Compute/virtualMachines", &vm_name(i));
        let etag = self.etag();
        let guid = self.guid();
        let mac = self.rng.next_u64();
        let _ = write!(
            self.out,
            "{{\"name\":\"{name}\",\"id\":\"{id}\",\"etag\":\"{etag}\",\"type\":\"Microsoft.Network/networkInterfaces\",\"location\":\"{LOCATION}\",\"kind\":\"Regular\",\"properties\":{{\"provisioningState\":\"Succeeded\",\"resourceGuid\":\"{guid}\",\"ipConfigurations\":[{{\"name\":\"ipconfig1\",\"id\":\"{id}/ipConfigurations/ipconfig1\",\"etag\":\"{etag}\",\"type\":\"Microsoft.Network/networkInterfaces/ipConfigurations\",\"properties\":{{\"provisioningState\":\"Succeeded\",\"privateIPAddress\":\"{ip}\",\"privateIPAllocationMethod\":\"Static\",\"subnet\":{{\"id\":\"{sid}\"}},\"primary\":true,\"privateIPAddressVersion\":\"IPv4\",\"applicationSecurityGroups\":"
        );
        let asgs: Vec<String> = self
            .nic_asgs(i)
            .into_iter()
            .map(|a| self.asg_id(a))
            .collect();
        self.refs(asgs);
        let _ = write!(
            self.out,
            "}}}}],\"dnsSettings\":{{\"dnsServers\":[],\"appliedDnsServers\":[],\"internalDomainNameSuffix\":\"g12lab.ax.internal.cloudapp.net\"}},\"macAddress\":\"00-0D-3A-{:02X}-{:02X}-{:02X}\",\"enableAcceleratedNetworking\":true,\"vnetEncryptionSupported\":false,\"enableIPForwarding\":false,\"disableTcpStateTracking\":false,\"networkSecurityGroup\":{{\"id\":\"{nsg}\"}},\"primary\":true,\"virtualMachine\":{{\"id\":\"{vm}\"}},\"hostedWorkloads\":[],\"tapConfigurations\":[],\"nicType\":\"Standard\",\"allowPort25Out\":false,\"auxiliaryMode\":\"None\",\"auxiliarySku\":\"None\"}}}}",
            (mac >> 16) & 0xff,
            (mac >> 8) & 0xff,
            mac & 0xff
        );
    }
}

/// Azure's default rules as the REST API prints them: name, description,
/// source, destination, access, priority, direction.
const DEFAULT_RULES: &[(&str, &str, &str, &str, &str, u32, &str)] = &[
    (
        "AllowVnetInBound",
        "Allow inbound traffic from all VMs in VNET",
        "VirtualNetwork",
        "VirtualNetwork",
        "Allow",
        65000,
        "Inbound",
    ),
    (
        "AllowAzureLoadBalancerInBound",
        "Allow inbound traffic from azure load balancer",
        "AzureLoadBalancer",
        "*",
        "Allow",
        65001,
        "Inbound",
    ),
    (
        "DenyAllInBound",
        "Deny all inbound traffic",
        "*",
        "*",
        "Deny",
        65500,
        "Inbound",
    ),
    (
        "AllowVnetOutBound",
        "Allow outbound traffic from all VMs to all VMs in VNET",
        "VirtualNetwork",
        "VirtualNetwork",
        "Allow",
        65000,
        "Outbound",
    ),
    (
        "AllowInternetOutBound",
        "Allow outbound traffic from all VMs to Internet",
        "*",
        "Internet",
        "Allow",
        65001,
        "Outbound",
    ),
    (
        "DenyAllOutBound",
        "Deny all outbound traffic",
        "*",
        "*",
        "Deny",
        65500,
        "Outbound",
    ),
];

/// `n` distinct priorities from 100..=3999, in a random order.
fn distinct_priorities(rng: &mut SplitMix64, n: usize) -> Vec<u16> {
    let mut all: Vec<u16> = (100..4000).collect();
    let n = n.min(all.len());
    for k in 0..n {
        let j = k + rng.below((all.len() - k) as u64) as usize;
        all.swap(k, j);
    }
    all.truncate(n);
    all
}
