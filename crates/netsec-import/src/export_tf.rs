//! A scenario → Terraform configuration for the azurerm provider (4.x).
//!
//! The same resources as [`mod@crate::export_arm`]: a resource group (named by a
//! variable), ASGs, NSGs with inline `security_rule` blocks, route tables with
//! inline `route` blocks, public IPs, virtual networks, `azurerm_subnet`s with
//! their NSG and route table associations, peerings, network interfaces with
//! their NSG and ASG associations, and Linux virtual machines. Resources refer
//! to each other by reference (`azurerm_subnet.hub_web.id`), so Terraform
//! orders them itself.
//!
//! A public IP's address goes in the tag [`ADDRESS_TAG`] (Azure allocates the
//! real one), so the configuration loads back to the same scenario. The
//! azurerm provider associates ASGs with a whole network interface; a NIC
//! whose IP configurations have different ASGs gets their union on all of
//! them, and the report says so.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use crate::ImportError;
use crate::export_arm::{Exported, left_out, normal};
use crate::scenario::doc::*;

/// The tag that carries a public IP's address in an exported configuration.
pub const ADDRESS_TAG: &str = "netsec-ip-address";

/// An HCL value to write.
enum Hv {
    Str(String),
    /// An expression written as is (`azurerm_subnet.web.id`).
    Raw(String),
    Bool(bool),
    Num(i64),
    List(Vec<Hv>),
    Map(Vec<(String, Hv)>),
}

fn s(x: &str) -> Hv {
    Hv::Str(x.to_string())
}

/// An HCL string literal, with `${` and `%{` escaped.
fn quoted(x: &str) -> String {
    let mut out = String::from("\"");
    let mut chars = x.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn render(v: &Hv) -> String {
    match v {
        Hv::Str(x) => quoted(x),
        Hv::Raw(x) => x.clone(),
        Hv::Bool(b) => b.to_string(),
        Hv::Num(n) => n.to_string(),
        Hv::List(items) => {
            let parts: Vec<String> = items.iter().map(render).collect();
            format!("[{}]", parts.join(", "))
        }
        Hv::Map(items) => {
            let parts: Vec<String> = items
                .iter()
                .map(|(k, v)| {
                    let bare = k.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                        && k.chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
                    let key = if bare { k.clone() } else { quoted(k) };
                    format!("{key} = {}", render(v))
                })
                .collect();
            format!("{{ {} }}", parts.join(", "))
        }
    }
}

/// A block to write: attributes and nested blocks, in order.
struct Block {
    header: String,
    items: Vec<Item>,
}

enum Item {
    Attr(String, Hv),
    Block(Block),
}

impl Block {
    fn new(header: impl Into<String>) -> Self {
        Self {
            header: header.into(),
            items: Vec::new(),
        }
    }
    fn attr(&mut self, k: &str, v: Hv) -> &mut Self {
        self.items.push(Item::Attr(k.to_string(), v));
        self
    }
    fn block(&mut self, b: Block) -> &mut Self {
        self.items.push(Item::Block(b));
        self
    }
    fn write(&self, out: &mut String, indent: usize) {
        let pad = " ".repeat(indent);
        if self.items.is_empty() {
            let _ = writeln!(out, "{pad}{} {{}}", self.header);
            return;
        }
        let _ = writeln!(out, "{pad}{} {{", self.header);
        // Consecutive attributes align their `=`, as terraform fmt does.
        let mut i = 0;
        while i < self.items.len() {
            match &self.items[i] {
                Item::Attr(..) => {
                    let mut j = i;
                    let mut width = 0;
                    while let Some(Item::Attr(k, _)) = self.items.get(j) {
                        width = width.max(k.len());
                        j += 1;
                    }
                    for item in &self.items[i..j] {
                        if let Item::Attr(k, v) = item {
                            let _ = writeln!(out, "{pad}  {k:<width$} = {}", render(v));
                        }
                    }
                    i = j;
                }
                Item::Block(b) => {
                    if i > 0 {
                        out.push('\n');
                    }
                    b.write(out, indent + 2);
                    i += 1;
                }
            }
        }
        let _ = writeln!(out, "{pad}}}");
    }
}

/// Terraform resource names, unique per type.
#[derive(Default)]
struct Labels {
    used: HashMap<&'static str, HashSet<String>>,
    by: HashMap<(&'static str, String), String>,
}

impl Labels {
    fn make(&mut self, ty: &'static str, key: &str) -> String {
        let mut base: String = key
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        if !base.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
            base = format!("r_{base}");
        }
        let used = self.used.entry(ty).or_default();
        let mut label = base.clone();
        let mut n = 2;
        while !used.insert(label.to_ascii_lowercase()) {
            label = format!("{base}_{n}");
            n += 1;
        }
        self.by.insert((ty, key.to_string()), label.clone());
        label
    }
    fn get(&self, ty: &'static str, key: &str) -> String {
        self.by
            .get(&(ty, key.to_string()))
            .cloned()
            .unwrap_or_else(|| String::from("missing"))
    }
}

fn reference(ty: &'static str, labels: &Labels, key: &str, attr: &str) -> Hv {
    Hv::Raw(format!("{ty}.{}.{attr}", labels.get(ty, key)))
}

const RG: &str = "azurerm_resource_group.main.name";

/// Writes the configuration and its report.
pub fn export_terraform(doc: &ScenarioDoc) -> Result<Exported, ImportError> {
    let d = normal(doc)?;
    let mut exported = Exported::default();
    left_out(&d, &mut exported.report);
    let report = &mut exported.report;
    for lb in &d.load_balancers {
        report.skip(
            format!("loadBalancers/{}", lb.name),
            "load balancers are not exported to Terraform yet",
        );
    }
    for f in &d.firewalls {
        report.skip(
            format!("azureFirewalls/{}", f.name),
            "firewalls are not exported to Terraform yet",
        );
    }
    for s in &d.services {
        report.skip(
            format!("service {}", s.name),
            "PaaS services are not exported to Terraform yet",
        );
    }
    for p in &d.private_endpoints {
        report.skip(
            format!("privateEndpoints/{}", p.name),
            "private endpoints are not exported to Terraform yet",
        );
    }
    let mut labels = Labels::default();
    let location_of_vnet: HashMap<&str, &str> = d
        .vnets
        .iter()
        .map(|v| (v.name.as_str(), v.location.as_str()))
        .collect();
    let nic_location = |n: &NicDoc| -> Hv {
        n.ip_configurations
            .first()
            .and_then(|c| location_of_vnet.get(c.vnet.as_str()))
            .map_or(
                Hv::Raw(String::from("azurerm_resource_group.main.location")),
                |l| s(l),
            )
    };
    let rg_location = || Hv::Raw(String::from("azurerm_resource_group.main.location"));
    let nsg_location = |name: &str| -> Hv {
        for v in &d.vnets {
            if v.subnets.iter().any(|x| x.nsg.as_deref() == Some(name)) {
                return s(&v.location);
            }
        }
        d.nics
            .iter()
            .find(|n| n.nsg.as_deref() == Some(name))
            .map_or_else(rg_location, nic_location)
    };
    let mut blocks: Vec<Block> = Vec::new();

    let mut tf = Block::new("terraform");
    let mut providers = Block::new("required_providers");
    providers.attr(
        "azurerm",
        Hv::Map(vec![
            (String::from("source"), s("hashicorp/azurerm")),
            (String::from("version"), s("~> 4.0")),
        ]),
    );
    tf.block(providers);
    blocks.push(tf);
    let mut provider = Block::new("provider \"azurerm\"");
    provider.block(Block::new("features"));
    blocks.push(provider);
    let mut var = Block::new("variable \"resource_group_name\"");
    var.attr("type", Hv::Raw(String::from("string")))
        .attr("default", s("netsec-rg"));
    blocks.push(var);
    let mut var = Block::new("variable \"location\"");
    var.attr("type", Hv::Raw(String::from("string"))).attr(
        "default",
        s(d.vnets
            .first()
            .map_or("westeurope", |v| v.location.as_str())),
    );
    blocks.push(var);
    if !d.vms.is_empty() {
        let mut v = Block::new("variable \"vm_size\"");
        v.attr("type", Hv::Raw(String::from("string")))
            .attr("default", s("Standard_B2s"));
        blocks.push(v);
        let mut v = Block::new("variable \"admin_username\"");
        v.attr("type", Hv::Raw(String::from("string")))
            .attr("default", s("azureuser"));
        blocks.push(v);
        let mut v = Block::new("variable \"admin_password\"");
        v.attr("type", Hv::Raw(String::from("string")))
            .attr("sensitive", Hv::Bool(true));
        blocks.push(v);
    }
    let mut rg = Block::new("resource \"azurerm_resource_group\" \"main\"");
    rg.attr("name", Hv::Raw(String::from("var.resource_group_name")))
        .attr("location", Hv::Raw(String::from("var.location")));
    blocks.push(rg);

    for a in &d.asgs {
        let l = labels.make("azurerm_application_security_group", &a.name);
        let location = d
            .nics
            .iter()
            .find(|n| n.ip_configurations.iter().any(|c| c.asgs.contains(&a.name)))
            .map_or_else(rg_location, nic_location);
        let mut b = Block::new(format!(
            "resource \"azurerm_application_security_group\" \"{l}\""
        ));
        b.attr("name", s(&a.name))
            .attr("location", location)
            .attr("resource_group_name", Hv::Raw(RG.into()));
        blocks.push(b);
        report
            .imported
            .push(format!("azurerm_application_security_group.{l}"));
    }
    for n in &d.nsgs {
        let l = labels.make("azurerm_network_security_group", &n.name);
        let mut b = Block::new(format!(
            "resource \"azurerm_network_security_group\" \"{l}\""
        ));
        b.attr("name", s(&n.name))
            .attr("location", nsg_location(&n.name))
            .attr("resource_group_name", Hv::Raw(RG.into()));
        for r in &n.rules {
            let mut rb = Block::new("security_rule");
            rb.attr("name", s(&r.name))
                .attr("priority", Hv::Num(r.priority))
                .attr("direction", s(&r.direction))
                .attr("access", s(&r.access))
                .attr("protocol", s(&r.protocol));
            if !r.description.is_empty() {
                rb.attr("description", s(&r.description));
            }
            type Side<'r> = (
                &'r str,
                &'r Option<String>,
                &'r Vec<String>,
                &'r Vec<String>,
            );
            let sides: [Side<'_>; 2] = [
                (
                    "source",
                    &r.source_address_prefix,
                    &r.source_address_prefixes,
                    &r.source_application_security_groups,
                ),
                (
                    "destination",
                    &r.destination_address_prefix,
                    &r.destination_address_prefixes,
                    &r.destination_application_security_groups,
                ),
            ];
            for (side, single, list, asgs) in sides {
                if let Some(x) = single {
                    rb.attr(&format!("{side}_address_prefix"), s(x));
                }
                if !list.is_empty() {
                    rb.attr(
                        &format!("{side}_address_prefixes"),
                        Hv::List(list.iter().map(|x| s(x)).collect()),
                    );
                }
                if !asgs.is_empty() {
                    rb.attr(
                        &format!("{side}_application_security_group_ids"),
                        Hv::List(
                            asgs.iter()
                                .map(|a| {
                                    reference(
                                        "azurerm_application_security_group",
                                        &labels,
                                        a,
                                        "id",
                                    )
                                })
                                .collect(),
                        ),
                    );
                }
            }
            for (side, single, list) in [
                ("source", &r.source_port_range, &r.source_port_ranges),
                (
                    "destination",
                    &r.destination_port_range,
                    &r.destination_port_ranges,
                ),
            ] {
                if let Some(x) = single {
                    rb.attr(&format!("{side}_port_range"), s(x));
                }
                if !list.is_empty() {
                    rb.attr(
                        &format!("{side}_port_ranges"),
                        Hv::List(list.iter().map(|x| s(x)).collect()),
                    );
                }
            }
            b.block(rb);
        }
        blocks.push(b);
        report.imported.push(format!(
            "azurerm_network_security_group.{l} ({} rules)",
            n.rules.len()
        ));
    }
    for t in &d.route_tables {
        let l = labels.make("azurerm_route_table", &t.name);
        let location = d
            .vnets
            .iter()
            .find(|v| {
                v.subnets
                    .iter()
                    .any(|x| x.route_table.as_deref() == Some(t.name.as_str()))
            })
            .map_or_else(rg_location, |v| s(&v.location));
        let mut b = Block::new(format!("resource \"azurerm_route_table\" \"{l}\""));
        b.attr("name", s(&t.name))
            .attr("location", location)
            .attr("resource_group_name", Hv::Raw(RG.into()))
            .attr(
                "bgp_route_propagation_enabled",
                Hv::Bool(!t.disable_bgp_route_propagation),
            );
        for r in &t.routes {
            let mut rb = Block::new("route");
            rb.attr("name", s(&r.name))
                .attr("address_prefix", s(&r.address_prefix))
                .attr("next_hop_type", s(&r.next_hop_type));
            if let Some(ip) = &r.next_hop_ip_address {
                rb.attr("next_hop_in_ip_address", s(ip));
            }
            b.block(rb);
        }
        blocks.push(b);
        report.imported.push(format!(
            "azurerm_route_table.{l} ({} routes)",
            t.routes.len()
        ));
    }
    for p in &d.public_ips {
        let l = labels.make("azurerm_public_ip", &p.name);
        let location = d
            .nics
            .iter()
            .find(|n| {
                n.ip_configurations
                    .iter()
                    .any(|c| c.public_ip.as_deref() == Some(p.name.as_str()))
            })
            .map_or_else(rg_location, nic_location);
        let mut b = Block::new(format!("resource \"azurerm_public_ip\" \"{l}\""));
        b.attr("name", s(&p.name))
            .attr("location", location)
            .attr("resource_group_name", Hv::Raw(RG.into()))
            .attr("allocation_method", s("Static"))
            .attr("sku", s(&p.sku));
        if p.address.contains(':') {
            b.attr("ip_version", s("IPv6"));
        }
        b.attr(
            "tags",
            Hv::Map(vec![(ADDRESS_TAG.to_string(), s(&p.address))]),
        );
        blocks.push(b);
        report.imported.push(format!("azurerm_public_ip.{l}"));
    }
    let mut associations: Vec<Block> = Vec::new();
    for v in &d.vnets {
        let l = labels.make("azurerm_virtual_network", &v.name);
        let mut b = Block::new(format!("resource \"azurerm_virtual_network\" \"{l}\""));
        b.attr("name", s(&v.name))
            .attr("location", s(&v.location))
            .attr("resource_group_name", Hv::Raw(RG.into()))
            .attr(
                "address_space",
                Hv::List(v.address_space.iter().map(|x| s(x)).collect()),
            );
        blocks.push(b);
        report.imported.push(format!("azurerm_virtual_network.{l}"));
        for sn in &v.subnets {
            let key = format!("{}/{}", v.name, sn.name);
            let sl = labels.make("azurerm_subnet", &format!("{}_{}", v.name, sn.name));
            labels
                .by
                .insert(("azurerm_subnet", key.clone()), sl.clone());
            let mut b = Block::new(format!("resource \"azurerm_subnet\" \"{sl}\""));
            b.attr("name", s(&sn.name))
                .attr("resource_group_name", Hv::Raw(RG.into()))
                .attr(
                    "virtual_network_name",
                    Hv::Raw(format!("azurerm_virtual_network.{l}.name")),
                )
                .attr(
                    "address_prefixes",
                    Hv::List(sn.address_prefixes.iter().map(|x| s(x)).collect()),
                );
            if !sn.service_endpoints.is_empty() {
                b.attr(
                    "service_endpoints",
                    Hv::List(sn.service_endpoints.iter().map(|x| s(x)).collect()),
                );
            }
            if let Some(p) = &sn.private_endpoint_network_policies {
                b.attr("private_endpoint_network_policies", s(p));
            }
            if !sn.default_outbound_access {
                b.attr("default_outbound_access_enabled", Hv::Bool(false));
            }
            blocks.push(b);
            report.imported.push(format!("azurerm_subnet.{sl}"));
            if let Some(nsg) = &sn.nsg {
                let mut a = Block::new(format!(
                    "resource \"azurerm_subnet_network_security_group_association\" \"{sl}\""
                ));
                a.attr("subnet_id", Hv::Raw(format!("azurerm_subnet.{sl}.id")))
                    .attr(
                        "network_security_group_id",
                        reference("azurerm_network_security_group", &labels, nsg, "id"),
                    );
                associations.push(a);
            }
            if let Some(rt) = &sn.route_table {
                let mut a = Block::new(format!(
                    "resource \"azurerm_subnet_route_table_association\" \"{sl}\""
                ));
                a.attr("subnet_id", Hv::Raw(format!("azurerm_subnet.{sl}.id")))
                    .attr(
                        "route_table_id",
                        reference("azurerm_route_table", &labels, rt, "id"),
                    );
                associations.push(a);
            }
        }
    }
    blocks.append(&mut associations);
    for v in &d.vnets {
        for p in &v.peerings {
            let l = labels.make(
                "azurerm_virtual_network_peering",
                &format!("{}_{}", v.name, p.name),
            );
            let mut b = Block::new(format!(
                "resource \"azurerm_virtual_network_peering\" \"{l}\""
            ));
            b.attr("name", s(&p.name))
                .attr("resource_group_name", Hv::Raw(RG.into()))
                .attr(
                    "virtual_network_name",
                    reference("azurerm_virtual_network", &labels, &v.name, "name"),
                )
                .attr(
                    "remote_virtual_network_id",
                    reference("azurerm_virtual_network", &labels, &p.remote_vnet, "id"),
                )
                .attr(
                    "allow_virtual_network_access",
                    Hv::Bool(p.allow_virtual_network_access),
                )
                .attr(
                    "allow_forwarded_traffic",
                    Hv::Bool(p.allow_forwarded_traffic),
                )
                .attr("allow_gateway_transit", Hv::Bool(p.allow_gateway_transit))
                .attr("use_remote_gateways", Hv::Bool(p.use_remote_gateways));
            blocks.push(b);
            report
                .imported
                .push(format!("azurerm_virtual_network_peering.{l}"));
        }
    }
    for n in &d.nics {
        let l = labels.make("azurerm_network_interface", &n.name);
        let mut b = Block::new(format!("resource \"azurerm_network_interface\" \"{l}\""));
        b.attr("name", s(&n.name))
            .attr("location", nic_location(n))
            .attr("resource_group_name", Hv::Raw(RG.into()));
        if n.ip_forwarding {
            b.attr("ip_forwarding_enabled", Hv::Bool(true));
        }
        let several = n.ip_configurations.len() > 1;
        for (k, c) in n.ip_configurations.iter().enumerate() {
            let mut cb = Block::new("ip_configuration");
            cb.attr("name", s(&c.name))
                .attr(
                    "subnet_id",
                    Hv::Raw(format!(
                        "azurerm_subnet.{}.id",
                        labels.get("azurerm_subnet", &format!("{}/{}", c.vnet, c.subnet))
                    )),
                )
                .attr("private_ip_address_allocation", s("Static"))
                .attr("private_ip_address", s(&c.private_ip_address));
            if c.private_ip_address.contains(':') {
                cb.attr("private_ip_address_version", s("IPv6"));
            }
            if let Some(p) = &c.public_ip {
                cb.attr(
                    "public_ip_address_id",
                    reference("azurerm_public_ip", &labels, p, "id"),
                );
            }
            if several {
                cb.attr("primary", Hv::Bool(k == 0));
            }
            b.block(cb);
        }
        blocks.push(b);
        report
            .imported
            .push(format!("azurerm_network_interface.{l}"));
        if let Some(nsg) = &n.nsg {
            let mut a = Block::new(format!(
                "resource \"azurerm_network_interface_security_group_association\" \"{l}\""
            ));
            a.attr(
                "network_interface_id",
                Hv::Raw(format!("azurerm_network_interface.{l}.id")),
            )
            .attr(
                "network_security_group_id",
                reference("azurerm_network_security_group", &labels, nsg, "id"),
            );
            blocks.push(a);
        }
        let mut asgs: Vec<&String> = Vec::new();
        for c in &n.ip_configurations {
            for a in &c.asgs {
                if !asgs.contains(&a) {
                    asgs.push(a);
                }
            }
        }
        let uneven = n
            .ip_configurations
            .iter()
            .any(|c| c.asgs.len() != asgs.len());
        if uneven && !asgs.is_empty() {
            report.skipped.push((
                format!("networkInterfaces/{}: per-configuration ASGs", n.name),
                String::from("azurerm associates ASGs with the whole network interface; every IP configuration gets all of them"),
            ));
        }
        for a in asgs {
            let al = labels.make(
                "azurerm_network_interface_application_security_group_association",
                &format!("{l}_{a}"),
            );
            let mut b = Block::new(format!(
                "resource \"azurerm_network_interface_application_security_group_association\" \"{al}\""
            ));
            b.attr(
                "network_interface_id",
                Hv::Raw(format!("azurerm_network_interface.{l}.id")),
            )
            .attr(
                "application_security_group_id",
                reference("azurerm_application_security_group", &labels, a, "id"),
            );
            blocks.push(b);
        }
    }
    for vm in &d.vms {
        let l = labels.make("azurerm_linux_virtual_machine", &vm.name);
        let location = vm
            .nics
            .first()
            .and_then(|n| d.nics.iter().find(|x| x.name == *n))
            .map_or_else(rg_location, nic_location);
        let mut b = Block::new(format!(
            "resource \"azurerm_linux_virtual_machine\" \"{l}\""
        ));
        b.attr("name", s(&vm.name))
            .attr("location", location)
            .attr("resource_group_name", Hv::Raw(RG.into()))
            .attr("size", Hv::Raw(String::from("var.vm_size")))
            .attr(
                "admin_username",
                Hv::Raw(String::from("var.admin_username")),
            )
            .attr(
                "admin_password",
                Hv::Raw(String::from("var.admin_password")),
            )
            .attr("disable_password_authentication", Hv::Bool(false))
            .attr(
                "network_interface_ids",
                Hv::List(
                    vm.nics
                        .iter()
                        .map(|n| reference("azurerm_network_interface", &labels, n, "id"))
                        .collect(),
                ),
            );
        if let Some(z) = vm.zone {
            b.attr("zone", s(&z.to_string()));
        }
        let mut disk = Block::new("os_disk");
        disk.attr("caching", s("ReadWrite"))
            .attr("storage_account_type", s("StandardSSD_LRS"));
        b.block(disk);
        let mut image = Block::new("source_image_reference");
        image
            .attr("publisher", s("Canonical"))
            .attr("offer", s("ubuntu-24_04-lts"))
            .attr("sku", s("server"))
            .attr("version", s("latest"));
        b.block(image);
        blocks.push(b);
        report
            .imported
            .push(format!("azurerm_linux_virtual_machine.{l}"));
    }

    let mut text = String::from("# Generated by NetSec Playground (azurerm provider 4.x).\n");
    if !doc.title.is_empty() {
        let _ = writeln!(text, "# {}", doc.title.replace('\n', " "));
    }
    if !report.skipped.is_empty() {
        text.push_str("#\n# Not exported:\n");
        for (w, y) in &report.skipped {
            let _ = writeln!(text, "#   {}: {}", w.replace('\n', " "), y);
        }
    }
    for b in &blocks {
        text.push('\n');
        b.write(&mut text, 0);
    }
    exported.text = text;
    Ok(exported)
}
