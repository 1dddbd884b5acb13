//! Pure edits of a scenario document: each takes a document and returns the
//! edited copy or a sentence saying why Azure would not allow it. The reducer
//! records them for undo; views only call these and dispatch the result.

use std::net::{IpAddr, Ipv4Addr};

use netsec_engine::address::{IpNet, parse_prefix};
use netsec_import::scenario::doc::*;

/// A node of the diagram, by kind and name (the layout key without the kind prefix).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NodeKey {
    /// A region, by programmatic name.
    Region(String),
    /// A VNet.
    Vnet(String),
    /// A subnet: VNet, subnet.
    Subnet(String, String),
    /// A VM.
    Vm(String),
    /// A NIC without a VM.
    Nic(String),
    /// An NSG.
    Nsg(String),
    /// An ASG.
    Asg(String),
    /// A route table.
    RouteTable(String),
    /// A public IP.
    PublicIp(String),
    /// A load balancer.
    LoadBalancer(String),
    /// A firewall.
    Firewall(String),
    /// A PaaS service.
    Service(String),
    /// A private endpoint.
    PrivateEndpoint(String),
    /// An Internet client.
    Client(String),
    /// An Azure Virtual Network Manager security admin rule.
    AdminRule(String),
}

impl NodeKey {
    /// The layout key (`vm/web`, `subnet/hub/web`).
    pub fn layout_key(&self) -> String {
        match self {
            NodeKey::Region(n) => format!("region/{n}"),
            NodeKey::Vnet(n) => format!("vnet/{n}"),
            NodeKey::Subnet(v, s) => format!("subnet/{v}/{s}"),
            NodeKey::Vm(n) => format!("vm/{n}"),
            NodeKey::Nic(n) => format!("nic/{n}"),
            NodeKey::Nsg(n) => format!("nsg/{n}"),
            NodeKey::Asg(n) => format!("asg/{n}"),
            NodeKey::RouteTable(n) => format!("rt/{n}"),
            NodeKey::PublicIp(n) => format!("pip/{n}"),
            NodeKey::LoadBalancer(n) => format!("lb/{n}"),
            NodeKey::Firewall(n) => format!("firewall/{n}"),
            NodeKey::Service(n) => format!("service/{n}"),
            NodeKey::PrivateEndpoint(n) => format!("pe/{n}"),
            NodeKey::Client(n) => format!("client/{n}"),
            NodeKey::AdminRule(n) => format!("admin/{n}"),
        }
    }

    /// A human label for the kind.
    pub fn kind_label(&self) -> &'static str {
        match self {
            NodeKey::Region(_) => "Region",
            NodeKey::Vnet(_) => "Virtual network",
            NodeKey::Subnet(..) => "Subnet",
            NodeKey::Vm(_) => "Virtual machine",
            NodeKey::Nic(_) => "Network interface",
            NodeKey::Nsg(_) => "Network security group",
            NodeKey::Asg(_) => "Application security group",
            NodeKey::RouteTable(_) => "Route table",
            NodeKey::PublicIp(_) => "Public IP",
            NodeKey::LoadBalancer(_) => "Load balancer",
            NodeKey::Firewall(_) => "Azure Firewall",
            NodeKey::Service(_) => "PaaS service",
            NodeKey::PrivateEndpoint(_) => "Private endpoint",
            NodeKey::Client(_) => "Internet client",
            NodeKey::AdminRule(_) => "Security admin rule",
        }
    }

    /// The display name.
    pub fn name(&self) -> &str {
        match self {
            NodeKey::Subnet(_, s) => s,
            NodeKey::Region(n)
            | NodeKey::Vnet(n)
            | NodeKey::Vm(n)
            | NodeKey::Nic(n)
            | NodeKey::Nsg(n)
            | NodeKey::Asg(n)
            | NodeKey::RouteTable(n)
            | NodeKey::PublicIp(n)
            | NodeKey::LoadBalancer(n)
            | NodeKey::Firewall(n)
            | NodeKey::Service(n)
            | NodeKey::PrivateEndpoint(n)
            | NodeKey::Client(n)
            | NodeKey::AdminRule(n) => n,
        }
    }
}

/// What the palette can create.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NewKind {
    /// A VNet.
    Vnet,
    /// A subnet.
    Subnet,
    /// A VM with one NIC.
    Vm,
    /// An NVA: a VM with IP forwarding.
    Appliance,
    /// An NSG.
    Nsg,
    /// An ASG.
    Asg,
    /// A route table.
    RouteTable,
    /// A Standard public IP.
    PublicIp,
    /// A load balancer.
    LoadBalancer,
    /// An Azure Firewall (with its subnet).
    Firewall,
    /// A storage account.
    Service,
    /// A private endpoint to the first service.
    PrivateEndpoint,
    /// An Internet client.
    Client,
    /// An AVNM security admin rule (for the VNet it is dropped on, or all).
    AdminRule,
}

impl NewKind {
    /// Every kind, in palette order.
    pub const ALL: [NewKind; 14] = [
        NewKind::Vnet,
        NewKind::Subnet,
        NewKind::Vm,
        NewKind::Appliance,
        NewKind::Nsg,
        NewKind::Asg,
        NewKind::RouteTable,
        NewKind::PublicIp,
        NewKind::LoadBalancer,
        NewKind::Firewall,
        NewKind::Service,
        NewKind::PrivateEndpoint,
        NewKind::Client,
        NewKind::AdminRule,
    ];

    /// Palette label.
    pub fn label(self) -> &'static str {
        match self {
            NewKind::Vnet => "VNet",
            NewKind::Subnet => "Subnet",
            NewKind::Vm => "VM",
            NewKind::Appliance => "NVA",
            NewKind::Nsg => "NSG",
            NewKind::Asg => "ASG",
            NewKind::RouteTable => "Route table",
            NewKind::PublicIp => "Public IP",
            NewKind::LoadBalancer => "Load balancer",
            NewKind::Firewall => "Firewall",
            NewKind::Service => "Storage",
            NewKind::PrivateEndpoint => "Private endpoint",
            NewKind::Client => "Internet client",
            NewKind::AdminRule => "Admin rule (AVNM)",
        }
    }

    /// Stable id for data-testid and drag data.
    pub fn id(self) -> &'static str {
        match self {
            NewKind::Vnet => "vnet",
            NewKind::Subnet => "subnet",
            NewKind::Vm => "vm",
            NewKind::Appliance => "nva",
            NewKind::Nsg => "nsg",
            NewKind::Asg => "asg",
            NewKind::RouteTable => "rt",
            NewKind::PublicIp => "pip",
            NewKind::LoadBalancer => "lb",
            NewKind::Firewall => "firewall",
            NewKind::Service => "service",
            NewKind::PrivateEndpoint => "pe",
            NewKind::Client => "client",
            NewKind::AdminRule => "admin",
        }
    }

    /// Reads [`NewKind::id`].
    pub fn from_id(id: &str) -> Option<NewKind> {
        NewKind::ALL.into_iter().find(|k| k.id() == id)
    }

    /// Whether the new resource goes inside a container (which one).
    pub fn needs(self) -> Option<&'static str> {
        match self {
            NewKind::Subnet | NewKind::Firewall => Some("a virtual network"),
            NewKind::Vm | NewKind::Appliance | NewKind::PrivateEndpoint => Some("a subnet"),
            _ => None,
        }
    }
}

/// A name not used yet among `taken`: `base-1`, `base-2`, ...
pub fn fresh_name<'a>(base: &str, taken: impl Iterator<Item = &'a str> + Clone) -> String {
    (1..)
        .map(|i| format!("{base}-{i}"))
        .find(|n| !taken.clone().any(|t| t.eq_ignore_ascii_case(n)))
        .unwrap_or_else(|| base.to_string())
}

fn v4(net: &IpNet) -> Option<(u32, u32)> {
    match net {
        IpNet::V4(n) => Some((u32::from(n.network()), u32::from(n.broadcast()))),
        IpNet::V6(_) => None,
    }
}

/// Every private address used in a subnet (NICs, private endpoints, firewalls).
fn used_addresses(doc: &ScenarioDoc, vnet: &str, subnet: &str) -> Vec<IpAddr> {
    let mut used: Vec<IpAddr> = Vec::new();
    for nic in &doc.nics {
        for c in &nic.ip_configurations {
            if c.vnet.eq_ignore_ascii_case(vnet) && c.subnet.eq_ignore_ascii_case(subnet) {
                used.extend(c.private_ip_address.parse::<IpAddr>().ok());
            }
        }
    }
    for pe in &doc.private_endpoints {
        if pe.vnet.eq_ignore_ascii_case(vnet) && pe.subnet.eq_ignore_ascii_case(subnet) {
            used.extend(pe.private_ip_address.parse::<IpAddr>().ok());
        }
    }
    for fw in &doc.firewalls {
        if fw.vnet.eq_ignore_ascii_case(vnet) && subnet.eq_ignore_ascii_case("AzureFirewallSubnet")
        {
            used.extend(fw.private_ip_address.parse::<IpAddr>().ok());
        }
    }
    used
}

/// The next free address of a subnet, skipping Azure's five reserved ones
/// (network, .1 gateway, .2 and .3 DNS, broadcast).
pub fn next_free_ip(doc: &ScenarioDoc, vnet: &str, subnet: &str) -> Result<IpAddr, String> {
    let s = find_subnet(doc, vnet, subnet)
        .ok_or_else(|| format!("subnet {subnet} does not exist in {vnet}"))?;
    let used = used_addresses(doc, vnet, subnet);
    for prefix in &s.address_prefixes {
        let Ok(net) = parse_prefix(prefix) else {
            continue;
        };
        let Some((lo, hi)) = v4(&net) else { continue };
        if hi.saturating_sub(lo) < 5 {
            continue;
        }
        for a in (lo + 4)..hi {
            let ip = IpAddr::V4(Ipv4Addr::from(a));
            if !used.contains(&ip) {
                return Ok(ip);
            }
        }
    }
    Err(format!(
        "subnet {subnet} has no free address left (Azure reserves five per subnet)"
    ))
}

/// A free /24 (or smaller) inside the VNet's first IPv4 space, not overlapping its subnets.
pub fn next_free_prefix(doc: &ScenarioDoc, vnet: &str, len: u8) -> Result<String, String> {
    let v = doc
        .vnets
        .iter()
        .find(|v| v.name.eq_ignore_ascii_case(vnet))
        .ok_or_else(|| format!("virtual network {vnet} does not exist"))?;
    let taken: Vec<(u32, u32)> = v
        .subnets
        .iter()
        .flat_map(|s| s.address_prefixes.iter())
        .filter_map(|p| parse_prefix(p).ok())
        .filter_map(|n| v4(&n))
        .collect();
    for space in &v.address_space {
        let Ok(net) = parse_prefix(space) else {
            continue;
        };
        let Some((lo, hi)) = v4(&net) else { continue };
        if net.prefix_len() > len {
            continue;
        }
        let size = 1u64 << (32 - u32::from(len));
        let mut start = u64::from(lo);
        while start + size - 1 <= u64::from(hi) {
            let end = start + size - 1;
            if !taken
                .iter()
                .any(|&(a, b)| u64::from(a) <= end && start <= u64::from(b))
            {
                return Ok(format!("{}/{len}", Ipv4Addr::from(start as u32)));
            }
            start += size;
        }
    }
    Err(format!(
        "virtual network {vnet} has no free /{len} left; widen its address space"
    ))
}

/// The subnet document, by VNet and name.
pub fn find_subnet<'a>(doc: &'a ScenarioDoc, vnet: &str, subnet: &str) -> Option<&'a SubnetDoc> {
    doc.vnets
        .iter()
        .find(|v| v.name.eq_ignore_ascii_case(vnet))?
        .subnets
        .iter()
        .find(|s| s.name.eq_ignore_ascii_case(subnet))
}

fn find_subnet_mut<'a>(
    doc: &'a mut ScenarioDoc,
    vnet: &str,
    subnet: &str,
) -> Option<&'a mut SubnetDoc> {
    doc.vnets
        .iter_mut()
        .find(|v| v.name.eq_ignore_ascii_case(vnet))?
        .subnets
        .iter_mut()
        .find(|s| s.name.eq_ignore_ascii_case(subnet))
}

/// A free public address for new public IPs and services (20.x, Azure-like).
fn next_public_ip(doc: &ScenarioDoc, base: [u8; 3]) -> String {
    let used: Vec<&str> = doc
        .public_ips
        .iter()
        .map(|p| p.address.as_str())
        .chain(doc.services.iter().map(|s| s.public_ip_address.as_str()))
        .collect();
    (10..250)
        .map(|i| format!("{}.{}.{}.{i}", base[0], base[1], base[2]))
        .find(|a| !used.contains(&a.as_str()))
        .unwrap_or_else(|| format!("{}.{}.{}.251", base[0], base[1], base[2]))
}

fn first_location(doc: &ScenarioDoc) -> String {
    doc.vnets
        .first()
        .map_or_else(|| String::from("westeurope"), |v| v.location.clone())
}

/// Creates a resource of `kind`, inside `parent` when the kind needs one.
/// Returns the new document and the new node.
pub fn add(
    doc: &ScenarioDoc,
    kind: NewKind,
    parent: Option<&NodeKey>,
) -> Result<(ScenarioDoc, NodeKey), String> {
    let mut d = doc.clone();
    let node = match (kind, parent) {
        (NewKind::Vnet, _) => {
            let name = fresh_name("vnet", d.vnets.iter().map(|v| v.name.as_str()));
            let index = d.vnets.len();
            let space = (0..250u32)
                .map(|i| format!("10.{}.0.0/16", (index as u32 + i) % 250))
                .find(|s| !d.vnets.iter().any(|v| v.address_space.contains(s)))
                .unwrap_or_else(|| String::from("10.250.0.0/16"));
            let location = match parent {
                Some(NodeKey::Region(r)) => r.clone(),
                _ => first_location(&d),
            };
            d.vnets.push(VnetDoc {
                name: name.clone(),
                location,
                address_space: vec![space],
                ..Default::default()
            });
            NodeKey::Vnet(name)
        }
        (NewKind::Subnet, Some(NodeKey::Vnet(vnet)) | Some(NodeKey::Subnet(vnet, _))) => {
            let prefix = next_free_prefix(&d, vnet, 24)?;
            let v = d
                .vnets
                .iter_mut()
                .find(|v| v.name.eq_ignore_ascii_case(vnet))
                .ok_or("the virtual network is gone")?;
            let name = fresh_name("subnet", v.subnets.iter().map(|s| s.name.as_str()));
            v.subnets.push(SubnetDoc {
                name: name.clone(),
                address_prefixes: vec![prefix],
                default_outbound_access: true,
                ..Default::default()
            });
            NodeKey::Subnet(v.name.clone(), name)
        }
        (NewKind::Vm | NewKind::Appliance, Some(NodeKey::Subnet(vnet, subnet))) => {
            let ip = next_free_ip(&d, vnet, subnet)?;
            let base = if kind == NewKind::Appliance {
                "nva"
            } else {
                "vm"
            };
            let vm_name = fresh_name(base, d.vms.iter().map(|v| v.name.as_str()));
            let nic_name = fresh_name(
                &format!("{vm_name}-nic"),
                d.nics.iter().map(|n| n.name.as_str()),
            );
            d.nics.push(NicDoc {
                name: nic_name.clone(),
                ip_forwarding: kind == NewKind::Appliance,
                ip_configurations: vec![IpConfigDoc {
                    name: String::from("ipconfig1"),
                    vnet: vnet.clone(),
                    subnet: subnet.clone(),
                    private_ip_address: ip.to_string(),
                    ..Default::default()
                }],
                ..Default::default()
            });
            d.vms.push(VmDoc {
                name: vm_name.clone(),
                nics: vec![nic_name],
                is_appliance: kind == NewKind::Appliance,
                ..Default::default()
            });
            NodeKey::Vm(vm_name)
        }
        (NewKind::PrivateEndpoint, Some(NodeKey::Subnet(vnet, subnet))) => {
            let service = d
                .services
                .first()
                .map(|s| s.name.clone())
                .ok_or("add a PaaS service first: a private endpoint leads to one")?;
            let ip = next_free_ip(&d, vnet, subnet)?;
            let name = fresh_name("pe", d.private_endpoints.iter().map(|p| p.name.as_str()));
            d.private_endpoints.push(PrivateEndpointDoc {
                name: name.clone(),
                vnet: vnet.clone(),
                subnet: subnet.clone(),
                private_ip_address: ip.to_string(),
                service,
            });
            NodeKey::PrivateEndpoint(name)
        }
        (NewKind::Firewall, Some(NodeKey::Vnet(vnet)) | Some(NodeKey::Subnet(vnet, _))) => {
            if d.firewalls
                .iter()
                .any(|f| f.vnet.eq_ignore_ascii_case(vnet))
            {
                return Err(format!(
                    "{vnet} already has an Azure Firewall (one per virtual network)"
                ));
            }
            if find_subnet(&d, vnet, "AzureFirewallSubnet").is_none() {
                let prefix = next_free_prefix(&d, vnet, 26)?;
                let v = d
                    .vnets
                    .iter_mut()
                    .find(|v| v.name.eq_ignore_ascii_case(vnet))
                    .ok_or("the virtual network is gone")?;
                v.subnets.push(SubnetDoc {
                    name: String::from("AzureFirewallSubnet"),
                    address_prefixes: vec![prefix],
                    default_outbound_access: true,
                    ..Default::default()
                });
            }
            let ip = next_free_ip(&d, vnet, "AzureFirewallSubnet")?;
            let pip = fresh_name("fw-pip", d.public_ips.iter().map(|p| p.name.as_str()));
            d.public_ips.push(PublicIpDoc {
                name: pip.clone(),
                sku: String::from("Standard"),
                address: next_public_ip(&d, [20, 61, 0]),
            });
            let name = fresh_name("firewall", d.firewalls.iter().map(|f| f.name.as_str()));
            d.firewalls.push(FirewallDoc {
                name: name.clone(),
                vnet: vnet.clone(),
                private_ip_address: ip.to_string(),
                public_ips: vec![pip],
                ..Default::default()
            });
            NodeKey::Firewall(name)
        }
        (NewKind::Nsg, _) => {
            let name = fresh_name("nsg", d.nsgs.iter().map(|n| n.name.as_str()));
            d.nsgs.push(NsgDoc {
                name: name.clone(),
                rules: vec![],
            });
            NodeKey::Nsg(name)
        }
        (NewKind::Asg, _) => {
            let name = fresh_name("asg", d.asgs.iter().map(|n| n.name.as_str()));
            d.asgs.push(AsgDoc {
                name: name.clone(),
                location: None,
            });
            NodeKey::Asg(name)
        }
        (NewKind::RouteTable, _) => {
            let name = fresh_name("rt", d.route_tables.iter().map(|n| n.name.as_str()));
            d.route_tables.push(RouteTableDoc {
                name: name.clone(),
                ..Default::default()
            });
            NodeKey::RouteTable(name)
        }
        (NewKind::PublicIp, _) => {
            let name = fresh_name("pip", d.public_ips.iter().map(|n| n.name.as_str()));
            let address = next_public_ip(&d, [20, 61, 1]);
            d.public_ips.push(PublicIpDoc {
                name: name.clone(),
                sku: String::from("Standard"),
                address,
            });
            NodeKey::PublicIp(name)
        }
        (NewKind::LoadBalancer, _) => {
            let pip = fresh_name("lb-pip", d.public_ips.iter().map(|n| n.name.as_str()));
            d.public_ips.push(PublicIpDoc {
                name: pip.clone(),
                sku: String::from("Standard"),
                address: next_public_ip(&d, [20, 61, 2]),
            });
            let name = fresh_name("lb", d.load_balancers.iter().map(|n| n.name.as_str()));
            d.load_balancers.push(LoadBalancerDoc {
                name: name.clone(),
                sku: String::from("Standard"),
                frontends: vec![FrontendDoc {
                    name: String::from("frontend"),
                    public_ip: Some(pip),
                    private_ip_address: None,
                }],
                backend_pools: vec![BackendPoolDoc {
                    name: String::from("backend"),
                    members: vec![],
                }],
                ..Default::default()
            });
            NodeKey::LoadBalancer(name)
        }
        (NewKind::Service, _) => {
            let name = fresh_name("storage", d.services.iter().map(|n| n.name.as_str()));
            let address = next_public_ip(&d, [20, 60, 1]);
            d.services.push(ServiceDoc {
                name: name.clone(),
                service_tag: String::from("Storage"),
                location: first_location(&d),
                public_ip_address: address,
                public_network_access: true,
                ..Default::default()
            });
            NodeKey::Service(name)
        }
        (NewKind::AdminRule, target) => {
            let name = fresh_name("admin-rule", d.admin_rules.iter().map(|r| r.name.as_str()));
            let applies_to: Vec<String> = match target {
                Some(NodeKey::Vnet(v) | NodeKey::Subnet(v, _)) => vec![v.clone()],
                _ => d.vnets.iter().map(|v| v.name.clone()).collect(),
            };
            if applies_to.is_empty() {
                return Err(String::from(
                    "add a virtual network first: admin rules apply to virtual networks",
                ));
            }
            let priority = d
                .admin_rules
                .iter()
                .map(|r| r.priority)
                .max()
                .map_or(10, |p| (p + 10).min(4096));
            d.admin_rules.push(AdminRuleDoc {
                name: name.clone(),
                priority,
                direction: String::from("Inbound"),
                access: String::from("Deny"),
                protocol: String::from("Tcp"),
                sources: vec![String::from("Internet")],
                source_port_ranges: vec![],
                destinations: vec![],
                destination_port_ranges: vec![String::from("22"), String::from("3389")],
                applies_to,
            });
            NodeKey::AdminRule(name)
        }
        (NewKind::Client, _) => {
            let name = fresh_name("client", d.internet_clients.iter().map(|n| n.name.as_str()));
            let used: Vec<&str> = d
                .internet_clients
                .iter()
                .map(|c| c.address.as_str())
                .collect();
            let address = (10..250)
                .map(|i| format!("203.0.113.{i}"))
                .find(|a| !used.contains(&a.as_str()))
                .unwrap_or_else(|| String::from("198.51.100.10"));
            d.internet_clients.push(ClientDoc {
                name: name.clone(),
                address,
            });
            NodeKey::Client(name)
        }
        (kind, _) => {
            return Err(format!(
                "drop the {} onto {}",
                kind.label(),
                kind.needs().unwrap_or("the canvas")
            ));
        }
    };
    Ok((d, node))
}

/// Moves a resource into another container, as Azure allows: a VM (its NICs)
/// into a subnet of the same VNet or another one (new addresses), a subnet
/// into another VNet (a new prefix there).
pub fn reparent(
    doc: &ScenarioDoc,
    node: &NodeKey,
    target: &NodeKey,
) -> Result<ScenarioDoc, String> {
    let mut d = doc.clone();
    match (node, target) {
        (NodeKey::Vm(vm), NodeKey::Subnet(vnet, subnet)) => {
            let nics = d
                .vms
                .iter()
                .find(|v| v.name == *vm)
                .map(|v| v.nics.clone())
                .ok_or("the VM is gone")?;
            if subnet.eq_ignore_ascii_case("AzureFirewallSubnet")
                || subnet.eq_ignore_ascii_case("GatewaySubnet")
            {
                return Err(format!(
                    "{subnet} is reserved for its Azure service; VMs cannot be placed there"
                ));
            }
            for nic in nics {
                let ip = next_free_ip(&d, vnet, subnet)?;
                if let Some(n) = d.nics.iter_mut().find(|n| n.name == nic) {
                    if let Some(c) = n.ip_configurations.first_mut() {
                        if c.vnet.eq_ignore_ascii_case(vnet)
                            && c.subnet.eq_ignore_ascii_case(subnet)
                        {
                            continue;
                        }
                        c.vnet = vnet.clone();
                        c.subnet = subnet.clone();
                        c.private_ip_address = ip.to_string();
                        // ASGs must stay within one VNet: drop memberships when leaving it.
                        c.asgs.clear();
                    }
                    n.ip_configurations.truncate(1);
                }
            }
            Ok(d)
        }
        (NodeKey::Subnet(from, subnet), NodeKey::Vnet(to)) => {
            if from.eq_ignore_ascii_case(to) {
                return Ok(d);
            }
            let in_use = d.nics.iter().flat_map(|n| &n.ip_configurations).any(|c| {
                c.vnet.eq_ignore_ascii_case(from) && c.subnet.eq_ignore_ascii_case(subnet)
            }) || d.private_endpoints.iter().any(|p| {
                p.vnet.eq_ignore_ascii_case(from) && p.subnet.eq_ignore_ascii_case(subnet)
            });
            if in_use {
                return Err(format!(
                    "subnet {subnet} has network interfaces in it; Azure cannot move a subnet that is in use"
                ));
            }
            if find_subnet(&d, to, subnet).is_some() {
                return Err(format!("{to} already has a subnet named {subnet}"));
            }
            let prefix = next_free_prefix(&d, to, 24)?;
            let src = d
                .vnets
                .iter_mut()
                .find(|v| v.name.eq_ignore_ascii_case(from))
                .ok_or("the virtual network is gone")?;
            let pos = src
                .subnets
                .iter()
                .position(|s| s.name.eq_ignore_ascii_case(subnet))
                .ok_or("the subnet is gone")?;
            let mut moved = src.subnets.remove(pos);
            moved.address_prefixes = vec![prefix];
            let dst = d
                .vnets
                .iter_mut()
                .find(|v| v.name.eq_ignore_ascii_case(to))
                .ok_or("the target virtual network is gone")?;
            dst.subnets.push(moved);
            Ok(d)
        }
        (NodeKey::Vnet(v), NodeKey::Region(region)) => {
            let vnet = d
                .vnets
                .iter_mut()
                .find(|x| x.name == *v)
                .ok_or("the VNet is gone")?;
            vnet.location = region.clone();
            Ok(d)
        }
        (NodeKey::Vm(_), other) => Err(format!(
            "a virtual machine goes into a subnet, not into a {}",
            other.kind_label().to_ascii_lowercase()
        )),
        (NodeKey::Subnet(..), other) => Err(format!(
            "a subnet belongs to a virtual network, not to a {}",
            other.kind_label().to_ascii_lowercase()
        )),
        (NodeKey::Vnet(_), other) => Err(format!(
            "a virtual network lives in a region, not in a {}",
            other.kind_label().to_ascii_lowercase()
        )),
        (other, _) => Err(format!(
            "a {} cannot be moved into another resource",
            other.kind_label().to_ascii_lowercase()
        )),
    }
}

/// Attaches an NSG or route table to a subnet or NIC (or a VM's NICs), or
/// puts a NIC (VM) into an ASG. Either argument order works.
pub fn attach(doc: &ScenarioDoc, a: &NodeKey, b: &NodeKey) -> Result<ScenarioDoc, String> {
    let mut d = doc.clone();
    let vm_nics = |d: &ScenarioDoc, vm: &str| {
        d.vms
            .iter()
            .find(|v| v.name == vm)
            .map(|v| v.nics.clone())
            .unwrap_or_default()
    };
    match (a, b) {
        (NodeKey::Nsg(nsg), NodeKey::Subnet(v, s)) | (NodeKey::Subnet(v, s), NodeKey::Nsg(nsg)) => {
            if s.eq_ignore_ascii_case("AzureFirewallSubnet") {
                return Err(String::from(
                    "Azure does not allow an NSG on AzureFirewallSubnet",
                ));
            }
            find_subnet_mut(&mut d, v, s)
                .ok_or("the subnet is gone")?
                .nsg = Some(nsg.clone());
        }
        (NodeKey::Nsg(nsg), NodeKey::Vm(vm)) | (NodeKey::Vm(vm), NodeKey::Nsg(nsg)) => {
            for nic in vm_nics(&d, vm) {
                if let Some(n) = d.nics.iter_mut().find(|n| n.name == nic) {
                    n.nsg = Some(nsg.clone());
                }
            }
        }
        (NodeKey::Nsg(nsg), NodeKey::Nic(nic)) | (NodeKey::Nic(nic), NodeKey::Nsg(nsg)) => {
            d.nics
                .iter_mut()
                .find(|n| n.name == *nic)
                .ok_or("the NIC is gone")?
                .nsg = Some(nsg.clone());
        }
        (NodeKey::RouteTable(rt), NodeKey::Subnet(v, s))
        | (NodeKey::Subnet(v, s), NodeKey::RouteTable(rt)) => {
            find_subnet_mut(&mut d, v, s)
                .ok_or("the subnet is gone")?
                .route_table = Some(rt.clone());
        }
        (NodeKey::RouteTable(_), NodeKey::Vm(_) | NodeKey::Nic(_))
        | (NodeKey::Vm(_) | NodeKey::Nic(_), NodeKey::RouteTable(_)) => {
            return Err(String::from(
                "route tables attach to subnets, not to network interfaces",
            ));
        }
        (NodeKey::Asg(asg), NodeKey::Vm(vm)) | (NodeKey::Vm(vm), NodeKey::Asg(asg)) => {
            let nics = vm_nics(&d, vm);
            let Some(first) = nics.first() else {
                return Err(String::from("the VM has no network interface"));
            };
            join_asg(&mut d, first, asg)?;
        }
        (NodeKey::Asg(asg), NodeKey::Nic(nic)) | (NodeKey::Nic(nic), NodeKey::Asg(asg)) => {
            join_asg(&mut d, nic, asg)?
        }
        (NodeKey::Nsg(_) | NodeKey::RouteTable(_) | NodeKey::Asg(_), other)
        | (other, NodeKey::Nsg(_) | NodeKey::RouteTable(_) | NodeKey::Asg(_)) => {
            return Err(format!(
                "this cannot be attached to a {}",
                other.kind_label().to_ascii_lowercase()
            ));
        }
        _ => {
            return Err(String::from(
                "only NSGs, route tables and ASGs are attached by dragging",
            ));
        }
    }
    Ok(d)
}

fn join_asg(d: &mut ScenarioDoc, nic: &str, asg: &str) -> Result<(), String> {
    // All members of an ASG must be in one VNet (the VNet of its first member).
    let vnet_of = |c: &IpConfigDoc| c.vnet.to_ascii_lowercase();
    let member_vnet = d
        .nics
        .iter()
        .flat_map(|n| &n.ip_configurations)
        .find(|c| c.asgs.iter().any(|a| a == asg))
        .map(vnet_of);
    let n = d
        .nics
        .iter_mut()
        .find(|n| n.name == nic)
        .ok_or("the NIC is gone")?;
    let c = n
        .ip_configurations
        .first_mut()
        .ok_or("the NIC has no IP configuration")?;
    if let Some(v) = member_vnet
        && v != vnet_of(c)
    {
        return Err(format!(
            "{asg} already has members in virtual network {v}; all members of an ASG must be in the same virtual network"
        ));
    }
    if c.asgs.len() >= 20 {
        return Err(String::from(
            "an IP configuration can be in at most 20 application security groups",
        ));
    }
    if !c.asgs.iter().any(|a| a == asg) {
        c.asgs.push(asg.to_string());
    }
    Ok(())
}

/// Deletes a resource and every reference to it (Azure would refuse some of
/// these; the playground cleans up instead and says so in the undo label).
pub fn delete(doc: &ScenarioDoc, node: &NodeKey) -> ScenarioDoc {
    let mut d = doc.clone();
    let same = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
    match node {
        NodeKey::Region(r) => {
            let vnets: Vec<String> = d
                .vnets
                .iter()
                .filter(|v| same(&v.location, r))
                .map(|v| v.name.clone())
                .collect();
            for v in vnets {
                d = delete(&d, &NodeKey::Vnet(v));
            }
        }
        NodeKey::Vnet(v) => {
            let subnets: Vec<String> = d
                .vnets
                .iter()
                .filter(|x| same(&x.name, v))
                .flat_map(|x| x.subnets.iter().map(|s| s.name.clone()))
                .collect();
            for s in subnets {
                d = delete(&d, &NodeKey::Subnet(v.clone(), s));
            }
            d.firewalls.retain(|f| !same(&f.vnet, v));
            d.vnets.retain(|x| !same(&x.name, v));
            for x in &mut d.vnets {
                x.peerings.retain(|p| !same(&p.remote_vnet, v));
            }
            for r in &mut d.admin_rules {
                r.applies_to.retain(|a| !same(a, v));
            }
        }
        NodeKey::Subnet(v, s) => {
            let vms: Vec<String> = d
                .vms
                .iter()
                .filter(|vm| {
                    vm.nics.iter().any(|n| {
                        d.nics.iter().any(|x| {
                            &x.name == n
                                && x.ip_configurations
                                    .first()
                                    .is_some_and(|c| same(&c.vnet, v) && same(&c.subnet, s))
                        })
                    })
                })
                .map(|vm| vm.name.clone())
                .collect();
            for vm in vms {
                d = delete(&d, &NodeKey::Vm(vm));
            }
            d.nics.retain(|n| {
                !n.ip_configurations
                    .first()
                    .is_some_and(|c| same(&c.vnet, v) && same(&c.subnet, s))
            });
            d.private_endpoints
                .retain(|p| !(same(&p.vnet, v) && same(&p.subnet, s)));
            if same(s, "AzureFirewallSubnet") {
                d.firewalls.retain(|f| !same(&f.vnet, v));
            }
            for svc in &mut d.services {
                svc.allowed_subnets
                    .retain(|r| !(same(&r.vnet, v) && same(&r.subnet, s)));
            }
            if let Some(x) = d.vnets.iter_mut().find(|x| same(&x.name, v)) {
                x.subnets.retain(|sub| !same(&sub.name, s));
            }
        }
        NodeKey::Vm(vm) => {
            let nics = d
                .vms
                .iter()
                .find(|x| x.name == *vm)
                .map(|x| x.nics.clone())
                .unwrap_or_default();
            d.vms.retain(|x| x.name != *vm);
            for n in nics {
                d = delete(&d, &NodeKey::Nic(n));
            }
        }
        NodeKey::Nic(n) => {
            d.nics.retain(|x| x.name != *n);
            for vm in &mut d.vms {
                vm.nics.retain(|x| x != n);
            }
            d.vms.retain(|vm| !vm.nics.is_empty());
            for lb in &mut d.load_balancers {
                for p in &mut lb.backend_pools {
                    p.members.retain(|m| m.nic != *n);
                }
                lb.nat_rules
                    .retain(|r| r.nic.as_deref() != Some(n.as_str()));
            }
        }
        NodeKey::Nsg(n) => {
            d.nsgs.retain(|x| x.name != *n);
            for s in d.vnets.iter_mut().flat_map(|v| v.subnets.iter_mut()) {
                if s.nsg.as_deref() == Some(n) {
                    s.nsg = None;
                }
            }
            for nic in &mut d.nics {
                if nic.nsg.as_deref() == Some(n) {
                    nic.nsg = None;
                }
            }
        }
        NodeKey::Asg(a) => {
            d.asgs.retain(|x| x.name != *a);
            for c in d
                .nics
                .iter_mut()
                .flat_map(|n| n.ip_configurations.iter_mut())
            {
                c.asgs.retain(|x| x != a);
            }
            for r in d.nsgs.iter_mut().flat_map(|n| n.rules.iter_mut()) {
                r.source_application_security_groups.retain(|x| x != a);
                r.destination_application_security_groups.retain(|x| x != a);
                if r.source_application_security_groups.is_empty()
                    && r.source_address_prefix.is_none()
                    && r.source_address_prefixes.is_empty()
                {
                    r.source_address_prefix = Some(String::from("*"));
                }
                if r.destination_application_security_groups.is_empty()
                    && r.destination_address_prefix.is_none()
                    && r.destination_address_prefixes.is_empty()
                {
                    r.destination_address_prefix = Some(String::from("*"));
                }
            }
        }
        NodeKey::RouteTable(t) => {
            d.route_tables.retain(|x| x.name != *t);
            for s in d.vnets.iter_mut().flat_map(|v| v.subnets.iter_mut()) {
                if s.route_table.as_deref() == Some(t) {
                    s.route_table = None;
                }
            }
        }
        NodeKey::PublicIp(p) => {
            d.public_ips.retain(|x| x.name != *p);
            for c in d
                .nics
                .iter_mut()
                .flat_map(|n| n.ip_configurations.iter_mut())
            {
                if c.public_ip.as_deref() == Some(p) {
                    c.public_ip = None;
                }
            }
            d.load_balancers.retain(|lb| {
                !lb.frontends
                    .iter()
                    .any(|f| f.public_ip.as_deref() == Some(p))
            });
            for f in &mut d.firewalls {
                f.public_ips.retain(|x| x != p);
            }
        }
        NodeKey::LoadBalancer(l) => d.load_balancers.retain(|x| x.name != *l),
        NodeKey::Firewall(f) => d.firewalls.retain(|x| x.name != *f),
        NodeKey::Service(s) => {
            d.services.retain(|x| x.name != *s);
            d.private_endpoints.retain(|p| p.service != *s);
        }
        NodeKey::PrivateEndpoint(p) => d.private_endpoints.retain(|x| x.name != *p),
        NodeKey::Client(c) => d.internet_clients.retain(|x| x.name != *c),
        NodeKey::AdminRule(r) => d.admin_rules.retain(|x| x.name != *r),
    }
    d.layout.retain(|k, _| {
        k != &node.layout_key() && !k.starts_with(&format!("{}/", node.layout_key()))
    });
    d
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

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
    fn new_vm_gets_the_first_address_after_the_reserved_ones() {
        let (d, subnet) = add(
            &doc(),
            NewKind::Subnet,
            Some(&NodeKey::Vnet(String::from("hub"))),
        )
        .unwrap();
        assert_eq!(
            subnet,
            NodeKey::Subnet(String::from("hub"), String::from("subnet-1"))
        );
        assert_eq!(
            find_subnet(&d, "hub", "subnet-1").unwrap().address_prefixes,
            ["10.0.0.0/24"]
        );
        let (d, vm) = add(&d, NewKind::Vm, Some(&subnet)).unwrap();
        assert_eq!(vm, NodeKey::Vm(String::from("vm-1")));
        assert_eq!(
            d.nics[0].ip_configurations[0].private_ip_address,
            "10.0.0.4"
        );
        let (d, _) = add(&d, NewKind::Vm, Some(&subnet)).unwrap();
        assert_eq!(
            d.nics[1].ip_configurations[0].private_ip_address,
            "10.0.0.5"
        );
    }

    #[test]
    fn vm_needs_a_subnet_and_says_so() {
        let err = add(
            &doc(),
            NewKind::Vm,
            Some(&NodeKey::Vnet(String::from("hub"))),
        )
        .unwrap_err();
        assert_eq!(err, "drop the VM onto a subnet");
    }

    #[test]
    fn full_subnet_reports_no_free_address() {
        let mut d = doc();
        d.vnets[0].subnets.push(SubnetDoc {
            name: String::from("tiny"),
            address_prefixes: vec![String::from("10.0.9.0/29")],
            default_outbound_access: true,
            ..Default::default()
        });
        let subnet = NodeKey::Subnet(String::from("hub"), String::from("tiny"));
        let mut d2 = d.clone();
        for _ in 0..3 {
            d2 = add(&d2, NewKind::Vm, Some(&subnet)).unwrap().0;
        }
        assert!(
            add(&d2, NewKind::Vm, Some(&subnet))
                .unwrap_err()
                .contains("no free address")
        );
    }

    #[test]
    fn attach_nsg_to_subnet_and_reject_route_table_on_vm() {
        let (d, subnet) = add(
            &doc(),
            NewKind::Subnet,
            Some(&NodeKey::Vnet(String::from("hub"))),
        )
        .unwrap();
        let (d, nsg) = add(&d, NewKind::Nsg, None).unwrap();
        let d = attach(&d, &nsg, &subnet).unwrap();
        assert_eq!(
            find_subnet(&d, "hub", "subnet-1").unwrap().nsg.as_deref(),
            Some("nsg-1")
        );
        let (d, vm) = add(&d, NewKind::Vm, Some(&subnet)).unwrap();
        let (d, rt) = add(&d, NewKind::RouteTable, None).unwrap();
        assert!(attach(&d, &rt, &vm).unwrap_err().contains("subnets"));
    }

    #[test]
    fn reparent_vm_gives_a_new_address_and_illegal_moves_say_why() {
        let (d, s1) = add(
            &doc(),
            NewKind::Subnet,
            Some(&NodeKey::Vnet(String::from("hub"))),
        )
        .unwrap();
        let (d, s2) = add(
            &d,
            NewKind::Subnet,
            Some(&NodeKey::Vnet(String::from("hub"))),
        )
        .unwrap();
        let (d, vm) = add(&d, NewKind::Vm, Some(&s1)).unwrap();
        let moved = reparent(&d, &vm, &s2).unwrap();
        assert_eq!(
            moved.nics[0].ip_configurations[0].private_ip_address,
            "10.0.1.4"
        );
        assert!(
            reparent(&d, &vm, &NodeKey::Vnet(String::from("hub")))
                .unwrap_err()
                .contains("goes into a subnet")
        );
        assert!(reparent(&d, &s1, &NodeKey::Vnet(String::from("hub"))).is_ok());
    }

    #[test]
    fn delete_cleans_references() {
        let (d, subnet) = add(
            &doc(),
            NewKind::Subnet,
            Some(&NodeKey::Vnet(String::from("hub"))),
        )
        .unwrap();
        let (d, nsg) = add(&d, NewKind::Nsg, None).unwrap();
        let d = attach(&d, &nsg, &subnet).unwrap();
        let d = delete(&d, &nsg);
        assert!(find_subnet(&d, "hub", "subnet-1").unwrap().nsg.is_none());
        let (d, vm) = add(&d, NewKind::Vm, Some(&subnet)).unwrap();
        let d = delete(&d, &vm);
        assert!(d.nics.is_empty() && d.vms.is_empty());
    }

    #[test]
    fn deleting_a_vm_drops_the_nat_rules_to_it() {
        let text = include_str!("../../tests/corpus/lb-inbound-nat.json");
        let d = netsec_import::load_scenario(text).unwrap().doc;
        let d = delete(&d, &NodeKey::Vm(String::from("vm1")));
        let names: Vec<&str> = d.load_balancers[0]
            .nat_rules
            .iter()
            .map(|r| r.name.as_str())
            .collect();
        assert_eq!(names, ["rdp-vm2", "ssh"]);
        assert!(netsec_import::scenario::build::build(&d).is_ok());
    }
}

/// Renames a resource and every reference to it.
pub fn rename(
    doc: &ScenarioDoc,
    node: &NodeKey,
    new_name: &str,
) -> Result<(ScenarioDoc, NodeKey), String> {
    let new = new_name.trim().to_string();
    netsec_engine::network::check_name(node.kind_label(), &new).map_err(|e| e.to_string())?;
    let old = node.name().to_string();
    if old == new {
        return Ok((doc.clone(), node.clone()));
    }
    let mut d = doc.clone();
    let taken = |names: &mut dyn Iterator<Item = &String>| {
        for n in names {
            if n.eq_ignore_ascii_case(&new) && !n.eq_ignore_ascii_case(&old) {
                return true;
            }
        }
        false
    };
    let swap = |s: &mut String| {
        if *s == old {
            *s = new.clone();
        }
    };
    let swap_opt = |s: &mut Option<String>| {
        if s.as_deref() == Some(old.as_str()) {
            *s = Some(new.clone());
        }
    };
    let duplicate = || {
        format!(
            "another {} is already named {new}",
            node.kind_label().to_ascii_lowercase()
        )
    };
    let new_key = match node {
        NodeKey::Vnet(_) => {
            if taken(&mut d.vnets.iter().map(|v| &v.name)) {
                return Err(duplicate());
            }
            for v in &mut d.vnets {
                swap(&mut v.name);
                v.peerings.iter_mut().for_each(|p| swap(&mut p.remote_vnet));
            }
            d.nics
                .iter_mut()
                .flat_map(|n| n.ip_configurations.iter_mut())
                .for_each(|c| swap(&mut c.vnet));
            d.private_endpoints
                .iter_mut()
                .for_each(|p| swap(&mut p.vnet));
            d.firewalls.iter_mut().for_each(|f| swap(&mut f.vnet));
            d.services
                .iter_mut()
                .flat_map(|s| s.allowed_subnets.iter_mut())
                .for_each(|r| swap(&mut r.vnet));
            d.admin_rules
                .iter_mut()
                .flat_map(|r| r.applies_to.iter_mut())
                .for_each(swap);
            NodeKey::Vnet(new.clone())
        }
        NodeKey::Subnet(vnet, _) => {
            let v = d
                .vnets
                .iter_mut()
                .find(|v| v.name == *vnet)
                .ok_or("the virtual network is gone")?;
            if taken(&mut v.subnets.iter().map(|s| &s.name)) {
                return Err(duplicate());
            }
            v.subnets.iter_mut().for_each(|s| swap(&mut s.name));
            for c in d
                .nics
                .iter_mut()
                .flat_map(|n| n.ip_configurations.iter_mut())
                .filter(|c| c.vnet == *vnet)
            {
                swap(&mut c.subnet);
            }
            for p in d.private_endpoints.iter_mut().filter(|p| p.vnet == *vnet) {
                swap(&mut p.subnet);
            }
            for r in d
                .services
                .iter_mut()
                .flat_map(|s| s.allowed_subnets.iter_mut())
                .filter(|r| r.vnet == *vnet)
            {
                swap(&mut r.subnet);
            }
            NodeKey::Subnet(vnet.clone(), new.clone())
        }
        NodeKey::Vm(_) => {
            if taken(&mut d.vms.iter().map(|v| &v.name)) {
                return Err(duplicate());
            }
            d.vms.iter_mut().for_each(|v| swap(&mut v.name));
            d.flows.iter_mut().for_each(|f| {
                for e in [&mut f.source, &mut f.destination] {
                    if *e == format!("vm/{old}") {
                        *e = format!("vm/{new}");
                    }
                }
            });
            NodeKey::Vm(new.clone())
        }
        NodeKey::Nsg(_) => {
            if taken(&mut d.nsgs.iter().map(|n| &n.name)) {
                return Err(duplicate());
            }
            d.nsgs.iter_mut().for_each(|n| swap(&mut n.name));
            d.vnets
                .iter_mut()
                .flat_map(|v| v.subnets.iter_mut())
                .for_each(|s| swap_opt(&mut s.nsg));
            d.nics.iter_mut().for_each(|n| swap_opt(&mut n.nsg));
            NodeKey::Nsg(new.clone())
        }
        NodeKey::Asg(_) => {
            if taken(&mut d.asgs.iter().map(|n| &n.name)) {
                return Err(duplicate());
            }
            d.asgs.iter_mut().for_each(|n| swap(&mut n.name));
            d.nics
                .iter_mut()
                .flat_map(|n| n.ip_configurations.iter_mut())
                .flat_map(|c| c.asgs.iter_mut())
                .for_each(swap);
            for r in d.nsgs.iter_mut().flat_map(|n| n.rules.iter_mut()) {
                r.source_application_security_groups
                    .iter_mut()
                    .for_each(swap);
                r.destination_application_security_groups
                    .iter_mut()
                    .for_each(swap);
            }
            NodeKey::Asg(new.clone())
        }
        NodeKey::RouteTable(_) => {
            if taken(&mut d.route_tables.iter().map(|n| &n.name)) {
                return Err(duplicate());
            }
            d.route_tables.iter_mut().for_each(|n| swap(&mut n.name));
            d.vnets
                .iter_mut()
                .flat_map(|v| v.subnets.iter_mut())
                .for_each(|s| swap_opt(&mut s.route_table));
            NodeKey::RouteTable(new.clone())
        }
        NodeKey::PublicIp(_) => {
            if taken(&mut d.public_ips.iter().map(|n| &n.name)) {
                return Err(duplicate());
            }
            d.public_ips.iter_mut().for_each(|n| swap(&mut n.name));
            d.nics
                .iter_mut()
                .flat_map(|n| n.ip_configurations.iter_mut())
                .for_each(|c| swap_opt(&mut c.public_ip));
            d.load_balancers
                .iter_mut()
                .flat_map(|l| l.frontends.iter_mut())
                .for_each(|f| swap_opt(&mut f.public_ip));
            d.firewalls
                .iter_mut()
                .flat_map(|f| f.public_ips.iter_mut())
                .for_each(swap);
            NodeKey::PublicIp(new.clone())
        }
        NodeKey::Client(_) => {
            if taken(&mut d.internet_clients.iter().map(|n| &n.name)) {
                return Err(duplicate());
            }
            d.internet_clients
                .iter_mut()
                .for_each(|n| swap(&mut n.name));
            NodeKey::Client(new.clone())
        }
        NodeKey::Service(_) => {
            if taken(&mut d.services.iter().map(|n| &n.name)) {
                return Err(duplicate());
            }
            d.services.iter_mut().for_each(|n| swap(&mut n.name));
            d.private_endpoints
                .iter_mut()
                .for_each(|p| swap(&mut p.service));
            NodeKey::Service(new.clone())
        }
        NodeKey::AdminRule(_) => {
            if taken(&mut d.admin_rules.iter().map(|n| &n.name)) {
                return Err(duplicate());
            }
            d.admin_rules.iter_mut().for_each(|n| swap(&mut n.name));
            NodeKey::AdminRule(new.clone())
        }
        other => {
            return Err(format!(
                "renaming a {} is not supported here",
                other.kind_label().to_ascii_lowercase()
            ));
        }
    };
    if let Some(pos) = d.layout.remove(&node.layout_key()) {
        d.layout.insert(new_key.layout_key(), pos);
    }
    Ok((d, new_key))
}

/// The next free custom priority in a direction (multiples of 10, from 100).
pub fn next_priority(nsg: &NsgDoc, direction: &str) -> i64 {
    let used: Vec<i64> = nsg
        .rules
        .iter()
        .filter(|r| r.direction.eq_ignore_ascii_case(direction))
        .map(|r| r.priority)
        .collect();
    let start = used
        .iter()
        .copied()
        .filter(|p| (100..=4096).contains(p))
        .max()
        .map_or(100, |m| (m / 10 + 1) * 10);
    (start..=4096)
        .find(|p| !used.contains(p))
        .or_else(|| (100..=4096).find(|p| !used.contains(p)))
        .unwrap_or(4096)
}

#[cfg(test)]
mod rename_tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    #[test]
    fn rename_nsg_updates_attachments_and_rejects_bad_names() {
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
        let (d, subnet) = add(
            &d,
            NewKind::Subnet,
            Some(&NodeKey::Vnet(String::from("hub"))),
        )
        .unwrap();
        let (d, nsg) = add(&d, NewKind::Nsg, None).unwrap();
        let d = attach(&d, &nsg, &subnet).unwrap();
        let (d, key) = rename(&d, &nsg, "web-nsg").unwrap();
        assert_eq!(key, NodeKey::Nsg(String::from("web-nsg")));
        assert_eq!(
            find_subnet(&d, "hub", "subnet-1").unwrap().nsg.as_deref(),
            Some("web-nsg")
        );
        assert!(rename(&d, &key, "bad name!").is_err());
        assert!(rename(&d, &key, "").is_err());
    }

    #[test]
    fn next_priority_skips_used_values() {
        let mut nsg = NsgDoc {
            name: String::from("n"),
            rules: vec![],
        };
        assert_eq!(next_priority(&nsg, "Inbound"), 100);
        nsg.rules.push(RuleDoc {
            name: String::from("a"),
            priority: 100,
            direction: String::from("Inbound"),
            ..Default::default()
        });
        assert_eq!(next_priority(&nsg, "Inbound"), 110);
        assert_eq!(next_priority(&nsg, "Outbound"), 100);
    }
}
