//! Pure layout: where every resource of a scenario is drawn.
//!
//! The diagram reads left to right as Azure's layers: the Internet, the Azure
//! backbone and edge, then each region (its regional gateway and datacenter
//! row of public IPs and load balancers above its VNets, subnets and VMs),
//! then PaaS services. NSGs, ASGs and route tables sit on a shelf below and
//! are joined to what they are attached to. Containers size themselves to
//! their content; free-standing items keep positions the user dragged them to.

use std::collections::BTreeMap;

use netsec_engine::trace::{Layer, Outcome};
use netsec_import::scenario::doc::ScenarioDoc;

use crate::edit::NodeKey;

/// Sizes, in diagram units.
pub const LEAF_W: f64 = 138.0;
/// Height of a leaf node.
pub const LEAF_H: f64 = 46.0;
const GAP: f64 = 14.0;
const HEADER: f64 = 34.0;
const INTERNET_X: f64 = 20.0;
const INTERNET_W: f64 = 170.0;
const EDGE_X: f64 = 210.0;
const EDGE_W: f64 = 64.0;
const REGION_X: f64 = 300.0;
const TOP: f64 = 20.0;

/// What a box is, for drawing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// A container (region, VNet, subnet).
    Container,
    /// A leaf resource.
    Leaf,
    /// A fixed band (Internet, edge, datacenter row).
    Band,
}

/// One drawn box.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeBox {
    /// The resource, `None` for bands.
    pub key: Option<NodeKey>,
    /// A stable id (layout key or band name) for tests and ARIA.
    pub id: String,
    /// Shape.
    pub shape: Shape,
    /// Left.
    pub x: f64,
    /// Top.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
    /// First line.
    pub label: String,
    /// Second line (address, prefix, SKU).
    pub detail: String,
    /// CSS class suffix (`vm`, `subnet`, `nsg`, ...).
    pub class: &'static str,
    /// Nesting depth, for drop-target preference.
    pub depth: u8,
}

impl NodeBox {
    /// Whether a point is inside.
    pub fn contains(&self, x: f64, y: f64) -> bool {
        x >= self.x && x <= self.x + self.w && y >= self.y && y <= self.y + self.h
    }

    /// Centre point.
    pub fn centre(&self) -> (f64, f64) {
        (self.x + self.w / 2.0, self.y + self.h / 2.0)
    }
}

/// A line between two boxes.
#[derive(Clone, Debug, PartialEq)]
pub struct Edge {
    /// From this node id.
    pub from: String,
    /// To this node id.
    pub to: String,
    /// CSS class suffix (`nsg`, `rt`, `asg`, `peering`, `nat`, `pe`).
    pub class: &'static str,
}

/// The whole drawing.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Diagram {
    /// Boxes, containers before their content (paint order).
    pub nodes: Vec<NodeBox>,
    /// Lines.
    pub edges: Vec<Edge>,
    /// Total width.
    pub width: f64,
    /// Total height.
    pub height: f64,
}

impl Diagram {
    /// The box of a node id.
    pub fn node(&self, id: &str) -> Option<&NodeBox> {
        self.nodes.iter().find(|n| n.id == id)
    }

    /// The deepest resource box under a point, skipping `except`.
    pub fn hit(&self, x: f64, y: f64, except: Option<&NodeKey>) -> Option<&NodeBox> {
        self.nodes
            .iter()
            .filter(|n| n.key.is_some() && n.key.as_ref() != except && n.contains(x, y))
            .filter(|n| except.is_none_or(|e| !n.id.starts_with(&format!("{}/", e.layout_key()))))
            .max_by(|a, b| {
                (a.depth, a.shape == Shape::Leaf).cmp(&(b.depth, b.shape == Shape::Leaf))
            })
    }
}

fn leaf(
    key: NodeKey,
    x: f64,
    y: f64,
    label: String,
    detail: String,
    class: &'static str,
    depth: u8,
) -> NodeBox {
    NodeBox {
        id: key.layout_key(),
        key: Some(key),
        shape: Shape::Leaf,
        x,
        y,
        w: LEAF_W,
        h: LEAF_H,
        label,
        detail,
        class,
        depth,
    }
}

fn region_title(location: &str) -> (String, String) {
    match netsec_engine::region::lookup(location) {
        Some(r) => {
            let pair = r.pair.and_then(netsec_engine::region::lookup).map_or_else(
                || String::from("no pair"),
                |p| format!("pair: {}", p.display_name),
            );
            let zones = if r.has_zones { "zones 1-3" } else { "no zones" };
            (r.display_name.to_string(), format!("{pair} · {zones}"))
        }
        None => (
            location.to_string(),
            String::from("region not in the built-in table"),
        ),
    }
}

/// A resource placed in a subnet: its key, address and CSS class.
type Placed = (NodeKey, String, &'static str);

/// A coordinate or scale as SVG attribute text: to three decimals, trailing
/// zeros dropped (`12`, `-3.5`, `1.728`); see [`netsec_import::scenario::json::decimal_text`],
/// which keeps core's float formatting out of the page. A thousandth of a
/// diagram unit is below what a screen shows.
pub fn svg_num(v: f64) -> String {
    netsec_import::scenario::json::decimal_text(v)
}

/// `v` held within `lo..=hi`, never panicking: `f64::clamp` asserts
/// `lo <= hi` (a degenerate box would stop the page) and its message formats
/// floats, which links core's float printing (about 6 KB gzip) into the page.
/// NaN becomes `lo`; when `lo > hi`, `hi` wins.
pub fn clamp(v: f64, lo: f64, hi: f64) -> f64 {
    v.max(lo).min(hi)
}

/// Lays out a scenario.
pub fn layout(doc: &ScenarioDoc) -> Diagram {
    let mut d = Diagram::default();
    let positions = &doc.layout;
    let pos = |key: &NodeKey| positions.get(&key.layout_key()).map(|p| (p.x, p.y));

    // Regions, in order of first appearance.
    let mut regions: Vec<String> = Vec::new();
    for v in &doc.vnets {
        let r = netsec_engine::region::normalize(&v.location);
        if !regions.contains(&r) {
            regions.push(r);
        }
    }
    if regions.is_empty() {
        regions.push(String::from("westeurope"));
    }

    // Which VM/NIC/PE/firewall sits in which subnet.
    let mut in_subnet: BTreeMap<(String, String), Vec<Placed>> = BTreeMap::new();
    let lower = |s: &str| s.to_ascii_lowercase();
    for vm in &doc.vms {
        let first = vm
            .nics
            .first()
            .and_then(|n| doc.nics.iter().find(|x| &x.name == n));
        if let Some(c) = first.and_then(|n| n.ip_configurations.first()) {
            let class = if vm.is_appliance { "nva" } else { "vm" };
            in_subnet
                .entry((lower(&c.vnet), lower(&c.subnet)))
                .or_default()
                .push((
                    NodeKey::Vm(vm.name.clone()),
                    c.private_ip_address.clone(),
                    class,
                ));
        }
    }
    for nic in doc
        .nics
        .iter()
        .filter(|n| !doc.vms.iter().any(|v| v.nics.contains(&n.name)))
    {
        if let Some(c) = nic.ip_configurations.first() {
            in_subnet
                .entry((lower(&c.vnet), lower(&c.subnet)))
                .or_default()
                .push((
                    NodeKey::Nic(nic.name.clone()),
                    c.private_ip_address.clone(),
                    "nic",
                ));
        }
    }
    for r in &doc.admin_rules {
        for v in &r.applies_to {
            d.edges.push(Edge {
                from: format!("admin/{}", r.name),
                to: format!("vnet/{v}"),
                class: "admin",
            });
        }
    }
    for pe in &doc.private_endpoints {
        in_subnet
            .entry((lower(&pe.vnet), lower(&pe.subnet)))
            .or_default()
            .push((
                NodeKey::PrivateEndpoint(pe.name.clone()),
                pe.private_ip_address.clone(),
                "pe",
            ));
    }
    for fw in &doc.firewalls {
        in_subnet
            .entry((lower(&fw.vnet), String::from("azurefirewallsubnet")))
            .or_default()
            .push((
                NodeKey::Firewall(fw.name.clone()),
                fw.private_ip_address.clone(),
                "firewall",
            ));
    }

    let mut y = TOP;
    let mut max_x: f64 = REGION_X;
    for region in &regions {
        let (title, detail) = region_title(region);
        let region_key = NodeKey::Region(region.clone());
        let region_index = d.nodes.len();
        d.nodes.push(NodeBox {
            id: region_key.layout_key(),
            key: Some(region_key),
            shape: Shape::Container,
            x: REGION_X,
            y,
            w: 0.0,
            h: 0.0,
            label: title,
            detail,
            class: "region",
            depth: 0,
        });
        let mut inner_y = y + HEADER + 4.0;
        // Datacenter row: public IPs and load balancers of VNets in this region (all, for the first region).
        let dc_index = d.nodes.len();
        d.nodes.push(NodeBox {
            key: None,
            id: format!("datacenter/{region}"),
            shape: Shape::Band,
            x: REGION_X + GAP,
            y: inner_y,
            w: 0.0,
            h: LEAF_H + HEADER,
            label: String::from("Datacenter: public IPs and load balancers (NAT)"),
            detail: String::new(),
            class: "datacenter",
            depth: 1,
        });
        let mut dc_x = REGION_X + 2.0 * GAP;
        if Some(region) == regions.first() {
            for p in &doc.public_ips {
                let key = NodeKey::PublicIp(p.name.clone());
                d.nodes.push(leaf(
                    key,
                    dc_x,
                    inner_y + HEADER - 8.0,
                    p.name.clone(),
                    format!("{} · {}", p.address, p.sku),
                    "pip",
                    2,
                ));
                dc_x += LEAF_W + GAP;
            }
            for lb in &doc.load_balancers {
                let key = NodeKey::LoadBalancer(lb.name.clone());
                d.nodes.push(leaf(
                    key,
                    dc_x,
                    inner_y + HEADER - 8.0,
                    lb.name.clone(),
                    format!("load balancer · {}", lb.sku),
                    "lb",
                    2,
                ));
                dc_x += LEAF_W + GAP;
            }
        }
        d.nodes[dc_index].w = (dc_x - REGION_X - GAP).max(420.0);
        inner_y += LEAF_H + HEADER + GAP;
        let mut region_w = d.nodes[dc_index].w + 2.0 * GAP;

        for vnet in doc
            .vnets
            .iter()
            .filter(|v| netsec_engine::region::normalize(&v.location) == *region)
        {
            let vkey = NodeKey::Vnet(vnet.name.clone());
            let v_index = d.nodes.len();
            d.nodes.push(NodeBox {
                id: vkey.layout_key(),
                key: Some(vkey),
                shape: Shape::Container,
                x: REGION_X + GAP,
                y: inner_y,
                w: 0.0,
                h: 0.0,
                label: vnet.name.clone(),
                detail: vnet.address_space.join(", "),
                class: "vnet",
                depth: 1,
            });
            let mut sx = REGION_X + 2.0 * GAP;
            let sy = inner_y + HEADER + 4.0;
            let mut tallest: f64 = 60.0;
            for subnet in &vnet.subnets {
                let skey = NodeKey::Subnet(vnet.name.clone(), subnet.name.clone());
                let items = in_subnet
                    .get(&(lower(&vnet.name), lower(&subnet.name)))
                    .cloned()
                    .unwrap_or_default();
                let h = HEADER + 10.0 + items.len().max(1) as f64 * (LEAF_H + 8.0);
                let mut detail = subnet.address_prefixes.join(", ");
                if let Some(nsg) = &subnet.nsg {
                    detail.push_str(&format!(" · NSG {nsg}"));
                }
                d.nodes.push(NodeBox {
                    id: skey.layout_key(),
                    key: Some(skey),
                    shape: Shape::Container,
                    x: sx,
                    y: sy,
                    w: LEAF_W + 2.0 * GAP,
                    h,
                    label: subnet.name.clone(),
                    detail,
                    class: "subnet",
                    depth: 2,
                });
                for (i, (key, ip, class)) in items.into_iter().enumerate() {
                    let label = key.name().to_string();
                    d.nodes.push(leaf(
                        key,
                        sx + GAP,
                        sy + HEADER + 6.0 + i as f64 * (LEAF_H + 8.0),
                        label,
                        ip,
                        class,
                        3,
                    ));
                }
                tallest = tallest.max(h);
                sx += LEAF_W + 3.0 * GAP;
            }
            let vw = (sx - REGION_X - GAP).max(300.0);
            d.nodes[v_index].w = vw;
            d.nodes[v_index].h = HEADER + tallest + 2.0 * GAP;
            region_w = region_w.max(vw + 2.0 * GAP);
            inner_y += d.nodes[v_index].h + GAP;
            for p in &vnet.peerings {
                d.edges.push(Edge {
                    from: format!("vnet/{}", vnet.name),
                    to: format!("vnet/{}", p.remote_vnet),
                    class: "peering",
                });
            }
        }
        d.nodes[region_index].w = region_w;
        d.nodes[region_index].h = inner_y - y + GAP;
        max_x = max_x.max(REGION_X + region_w);
        y = inner_y + 2.0 * GAP;
    }
    let regions_bottom = y;

    // The Internet column and the edge band span the regions.
    let internet = NodeBox {
        key: None,
        id: String::from("band/internet"),
        shape: Shape::Band,
        x: INTERNET_X,
        y: TOP,
        w: INTERNET_W,
        h: regions_bottom - TOP - 2.0 * GAP,
        label: String::from("Internet"),
        detail: String::new(),
        class: "internet",
        depth: 0,
    };
    let edge = NodeBox {
        key: None,
        id: String::from("band/edge"),
        shape: Shape::Band,
        x: EDGE_X,
        y: TOP,
        w: EDGE_W,
        h: regions_bottom - TOP - 2.0 * GAP,
        label: String::from("Azure edge"),
        detail: String::from("backbone"),
        class: "edge",
        depth: 0,
    };
    d.nodes.insert(0, edge);
    d.nodes.insert(0, internet);
    for (i, c) in doc.internet_clients.iter().enumerate() {
        let key = NodeKey::Client(c.name.clone());
        let (x, cy) = pos(&key).unwrap_or((
            INTERNET_X + 16.0,
            TOP + HEADER + 10.0 + i as f64 * (LEAF_H + GAP),
        ));
        d.nodes.push(leaf(
            key,
            x,
            cy,
            c.name.clone(),
            c.address.clone(),
            "client",
            1,
        ));
    }

    // PaaS services on the right.
    let paas_x = max_x + 3.0 * GAP;
    for (i, s) in doc.services.iter().enumerate() {
        let key = NodeKey::Service(s.name.clone());
        let (x, sy) = pos(&key).unwrap_or((paas_x, TOP + HEADER + i as f64 * (LEAF_H + GAP)));
        d.nodes.push(leaf(
            key,
            x,
            sy,
            s.name.clone(),
            format!("{} · {}", s.service_tag, s.public_ip_address),
            "service",
            1,
        ));
    }
    let right = if doc.services.is_empty() {
        max_x
    } else {
        paas_x + LEAF_W
    };

    // The shelf of security resources.
    let shelf_y = regions_bottom;
    let mut shelf_x = REGION_X;
    let mut shelf = |key: NodeKey, detail: String, class: &'static str, d: &mut Diagram| {
        let (x, sy) = pos(&key).unwrap_or((shelf_x, shelf_y));
        if pos(&key).is_none() {
            shelf_x += LEAF_W + GAP;
        }
        let label = key.name().to_string();
        d.nodes.push(leaf(key, x, sy, label, detail, class, 1));
    };
    for n in &doc.nsgs {
        shelf(
            NodeKey::Nsg(n.name.clone()),
            format!(
                "NSG · {} rule{}",
                n.rules.len(),
                if n.rules.len() == 1 { "" } else { "s" }
            ),
            "nsg",
            &mut d,
        );
    }
    for a in &doc.asgs {
        shelf(
            NodeKey::Asg(a.name.clone()),
            String::from("ASG"),
            "asg",
            &mut d,
        );
    }
    for r in &doc.admin_rules {
        let ports = if r.destination_port_ranges.is_empty() {
            String::from("any port")
        } else {
            r.destination_port_ranges.join(",")
        };
        shelf(
            NodeKey::AdminRule(r.name.clone()),
            format!("AVNM {} {} {ports} · {}", r.access, r.direction, r.priority),
            "admin",
            &mut d,
        );
    }
    for t in &doc.route_tables {
        shelf(
            NodeKey::RouteTable(t.name.clone()),
            format!("routes · {}", t.routes.len()),
            "rt",
            &mut d,
        );
    }

    // Attachments.
    for vnet in &doc.vnets {
        for s in &vnet.subnets {
            let sid = format!("subnet/{}/{}", vnet.name, s.name);
            if let Some(n) = &s.nsg {
                d.edges.push(Edge {
                    from: format!("nsg/{n}"),
                    to: sid.clone(),
                    class: "nsg",
                });
            }
            if let Some(t) = &s.route_table {
                d.edges.push(Edge {
                    from: format!("rt/{t}"),
                    to: sid.clone(),
                    class: "rt",
                });
            }
        }
    }
    let vm_of_nic = |nic: &str| {
        doc.vms
            .iter()
            .find(|v| v.nics.iter().any(|n| n == nic))
            .map_or_else(|| format!("nic/{nic}"), |v| format!("vm/{}", v.name))
    };
    for nic in &doc.nics {
        let owner = vm_of_nic(&nic.name);
        if let Some(n) = &nic.nsg {
            d.edges.push(Edge {
                from: format!("nsg/{n}"),
                to: owner.clone(),
                class: "nsg",
            });
        }
        for c in &nic.ip_configurations {
            for a in &c.asgs {
                d.edges.push(Edge {
                    from: format!("asg/{a}"),
                    to: owner.clone(),
                    class: "asg",
                });
            }
            if let Some(p) = &c.public_ip {
                d.edges.push(Edge {
                    from: format!("pip/{p}"),
                    to: owner.clone(),
                    class: "nat",
                });
            }
        }
    }
    for lb in &doc.load_balancers {
        let pool_members = lb.backend_pools.iter().flat_map(|p| &p.members);
        let nat_targets = lb.nat_rules.iter().filter_map(|r| r.nic.as_ref());
        let mut targets: Vec<&String> = Vec::new();
        for nic in pool_members.map(|m| &m.nic).chain(nat_targets) {
            if !targets.contains(&nic) {
                targets.push(nic);
            }
        }
        for nic in targets {
            d.edges.push(Edge {
                from: format!("lb/{}", lb.name),
                to: vm_of_nic(nic),
                class: "nat",
            });
        }
    }
    for fw in &doc.firewalls {
        for p in &fw.public_ips {
            d.edges.push(Edge {
                from: format!("pip/{p}"),
                to: format!("firewall/{}", fw.name),
                class: "nat",
            });
        }
    }
    for pe in &doc.private_endpoints {
        d.edges.push(Edge {
            from: format!("pe/{}", pe.name),
            to: format!("service/{}", pe.service),
            class: "pe",
        });
    }
    d.edges
        .retain(|e| d.nodes.iter().any(|n| n.id == e.from) && d.nodes.iter().any(|n| n.id == e.to));

    let bottom = d.nodes.iter().map(|n| n.y + n.h).fold(0.0_f64, f64::max);
    let far = d.nodes.iter().map(|n| n.x + n.w).fold(right, f64::max);
    d.width = far + 2.0 * GAP;
    d.height = bottom + 2.0 * GAP;
    d
}

/// The diagram node a step is about.
pub fn step_node_id(doc: &ScenarioDoc, step: &netsec_engine::trace::Step) -> Option<String> {
    let r = step.resource.as_ref();
    let path = r.map(|r| r.path.as_str()).unwrap_or_default();
    let name = r.map(|r| r.name.clone()).unwrap_or_default();
    match step.layer {
        Layer::Internet => {
            let addr = if step.outcome == Outcome::Arrived {
                step.packet.destination
            } else {
                step.packet.source
            }
            .to_string();
            doc.internet_clients
                .iter()
                .find(|c| c.address == addr)
                .map(|c| format!("client/{}", c.name))
                .or(Some(String::from("band/internet")))
        }
        Layer::AzureEdge => Some(String::from("band/edge")),
        Layer::RegionalGateway => path.strip_prefix("regions/").map(|n| format!("region/{n}")),
        Layer::Datacenter => path
            .strip_prefix("publicIPAddresses/")
            .map(|n| format!("pip/{n}"))
            .or_else(|| {
                path.strip_prefix("loadBalancers/")
                    .map(|n| format!("lb/{n}"))
            }),
        Layer::VnetFirewall => path
            .strip_prefix("azureFirewalls/")
            .map(|n| format!("firewall/{n}"))
            .or_else(|| {
                path.strip_prefix("networkInterfaces/")
                    .and_then(|n| doc.vms.iter().find(|v| v.nics.iter().any(|x| x == n)))
                    .map(|v| format!("vm/{}", v.name))
            }),
        // NSG layers are shown at what they protect: the subnet or the VM.
        Layer::SubnetNsg | Layer::NicNsg | Layer::AdminRules => {
            let addr = if step.direction == Some(netsec_engine::Direction::Outbound) {
                step.packet.source
            } else {
                step.packet.destination
            }
            .to_string();
            let config = doc.nics.iter().find_map(|n| {
                n.ip_configurations
                    .iter()
                    .find(|c| c.private_ip_address == addr)
                    .map(|c| (n, c))
            });
            match (step.layer, config) {
                (Layer::NicNsg, Some((nic, _))) => Some(
                    doc.vms
                        .iter()
                        .find(|v| v.nics.contains(&nic.name))
                        .map_or_else(|| format!("nic/{}", nic.name), |v| format!("vm/{}", v.name)),
                ),
                (Layer::SubnetNsg | Layer::AdminRules, Some((_, c))) => {
                    Some(format!("subnet/{}/{}", c.vnet, c.subnet))
                }
                _ => path
                    .strip_prefix("networkSecurityGroups/")
                    .map(|n| format!("nsg/{n}")),
            }
        }
        Layer::Routing => path
            .strip_prefix("virtualNetworks/")
            .map(|rest| format!("subnet/{}", rest.replacen("/subnets/", "/", 1))),
        Layer::Vm => path
            .strip_prefix("virtualMachines/")
            .map(|n| format!("vm/{n}"))
            .or_else(|| {
                path.strip_prefix("networkInterfaces/")
                    .map(|n| format!("nic/{n}"))
            }),
        Layer::Service => path
            .strip_prefix("services/")
            .map(|n| format!("service/{n}"))
            .or_else(|| {
                path.strip_prefix("privateEndpoints/")
                    .map(|n| format!("pe/{n}"))
            }),
        Layer::PlatformPolicy => None,
    }
    .or_else(|| (!name.is_empty()).then(|| name.clone()))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;
    use crate::edit::{NewKind, add};
    use netsec_import::scenario::doc::*;

    #[test]
    fn clamping_never_panics_and_keeps_values_in_range() {
        assert_eq!(clamp(5.0, 0.2, 4.0), 4.0);
        assert_eq!(clamp(0.1, 0.2, 4.0), 0.2);
        assert_eq!(clamp(1.5, 0.2, 4.0), 1.5);
        assert_eq!(clamp(f64::NAN, 0.2, 4.0), 0.2);
        // A degenerate box (height below zero) gives its upper edge, not a panic.
        assert_eq!(clamp(3.0, 10.0, 5.0), 5.0);
    }

    #[test]
    fn svg_numbers_are_short_and_exact_to_a_thousandth() {
        for (v, text) in [
            (0.0, "0"),
            (12.0, "12"),
            (-3.5, "-3.5"),
            (1.728, "1.728"),
            (0.0004, "0"),
            (-0.25, "-0.25"),
            (1.2346, "1.235"),
            (-0.0004, "0"),
            (1e6, "1000000"),
            (f64::NAN, "0"),
        ] {
            assert_eq!(svg_num(v), text, "{v}");
        }
        for v in [-1234.5678, 0.001, 99.999, 4096.125] {
            let back: f64 = svg_num(v).parse().unwrap();
            assert!((back - v).abs() <= 0.0005, "{v}");
        }
    }

    fn doc() -> ScenarioDoc {
        let mut d = ScenarioDoc {
            format: String::from(FORMAT),
            version: VERSION,
            ..Default::default()
        };
        d.vnets.push(VnetDoc {
            name: String::from("hub"),
            location: String::from("westeurope"),
            address_space: vec![String::from("10.0.0.0/16")],
            ..Default::default()
        });
        d
    }

    #[test]
    fn containers_nest_and_grow_with_their_content() {
        let (d, subnet) = add(
            &doc(),
            NewKind::Subnet,
            Some(&NodeKey::Vnet(String::from("hub"))),
        )
        .unwrap();
        let before = layout(&d);
        let (d, _) = add(&d, NewKind::Vm, Some(&subnet)).unwrap();
        let (d, _) = add(&d, NewKind::Vm, Some(&subnet)).unwrap();
        let after = layout(&d);
        let s0 = before.node("subnet/hub/subnet-1").unwrap();
        let s1 = after.node("subnet/hub/subnet-1").unwrap();
        assert!(s1.h > s0.h, "the subnet grows with its VMs");
        let vnet = after.node("vnet/hub").unwrap();
        let region = after.node("region/westeurope").unwrap();
        for vm in ["vm/vm-1", "vm/vm-2"] {
            let b = after.node(vm).unwrap();
            assert!(
                s1.contains(b.x, b.y) && s1.contains(b.x + b.w, b.y + b.h),
                "{vm} inside its subnet"
            );
        }
        assert!(vnet.contains(s1.x, s1.y) && vnet.contains(s1.x + s1.w, s1.y + s1.h));
        assert!(
            region.contains(vnet.x, vnet.y) && region.contains(vnet.x + vnet.w, vnet.y + vnet.h)
        );
        assert!(
            region.detail.contains("North Europe"),
            "the region names its pair"
        );
    }

    #[test]
    fn hit_finds_the_deepest_box() {
        let (d, subnet) = add(
            &doc(),
            NewKind::Subnet,
            Some(&NodeKey::Vnet(String::from("hub"))),
        )
        .unwrap();
        let (d, vm) = add(&d, NewKind::Vm, Some(&subnet)).unwrap();
        let diagram = layout(&d);
        let b = diagram.node("vm/vm-1").unwrap();
        let (cx, cy) = b.centre();
        assert_eq!(diagram.hit(cx, cy, None).unwrap().key, Some(vm.clone()));
        assert_eq!(diagram.hit(cx, cy, Some(&vm)).unwrap().key, Some(subnet));
    }
}
