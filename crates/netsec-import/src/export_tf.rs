//! A scenario → Terraform configuration for the azurerm provider (4.x).
//!
//! The same resources as [`mod@crate::export_arm`]: a resource group (named by a
//! variable), ASGs, NSGs with inline `security_rule` blocks, route tables with
//! inline `route` blocks, public IPs, virtual networks, `azurerm_subnet`s with
//! their NSG and route table associations, peerings, network interfaces with
//! their NSG and ASG associations, Linux virtual machines, load balancers
//! (`azurerm_lb` with its frontends, `azurerm_lb_backend_address_pool`,
//! `azurerm_lb_probe`, `azurerm_lb_rule`,
//! `azurerm_network_interface_backend_address_pool_association` for each
//! member, `azurerm_lb_nat_rule` and, for a rule to one NIC,
//! `azurerm_network_interface_nat_rule_association`), Azure Firewalls (`azurerm_firewall` with classic
//! `azurerm_firewall_{nat,network,application}_rule_collection`s, or an
//! `azurerm_firewall_policy` with its
//! `azurerm_firewall_policy_rule_collection_group`s and a `<policy>-parent`
//! base policy for inherited groups), PaaS services (`azurerm_storage_account`,
//! `azurerm_mssql_server` with `azurerm_mssql_virtual_network_rule` and
//! `azurerm_mssql_firewall_rule`, `azurerm_key_vault`,
//! `azurerm_cosmosdb_account`, `azurerm_linux_web_app` on an
//! `azurerm_service_plan`, `azurerm_container_registry`,
//! `azurerm_eventhub_namespace`, `azurerm_servicebus_namespace`, each with its
//! public network access and network rules in its own arguments) and
//! `azurerm_private_endpoint`s (static address, connection to the service's
//! sub-resource). Resources refer to each other by reference
//! (`azurerm_subnet.hub_web.id`), so Terraform orders them itself; a policy's
//! rule collection groups also `depends_on` the one before.
//!
//! Values Azure computes are carried in tags so that the configuration loads
//! back to the same scenario: a public IP's or a service's public address in
//! [`ADDRESS_TAG`], a firewall's private address in [`FIREWALL_ADDRESS_TAG`].
//! The azurerm provider associates ASGs with a whole network interface; a NIC
//! whose IP configurations have different ASGs gets their union on all of
//! them, and the report says so. What the configuration cannot hold is listed
//! in the report and in a comment at its top (the same list as the ARM export,
//! except that every service kind keeps its network rules here; a container
//! registry keeps only its IP ranges).

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use crate::ImportError;
use crate::export_arm::{
    Exported, Places, exportable_endpoints, exportable_services, firewall_subnet, first_usable,
    left_out, member_name, normal, placeable_lbs, service_kind, subnet_of,
};
use crate::scenario::doc::*;

/// The tag that carries a public IP's address in an exported configuration.
pub const ADDRESS_TAG: &str = "netsec-ip-address";

/// The tag that carries a firewall's private address in an exported
/// configuration (Azure computes it; azurerm does not take it as an argument).
pub const FIREWALL_ADDRESS_TAG: &str = "netsec-private-ip-address";

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
    let lbs = placeable_lbs(&d, report);
    let services = exportable_services(&d, report);
    let places = Places { doc: &d };
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
    let exported_services: Vec<&ServiceDoc> = d
        .services
        .iter()
        .filter(|x| services.contains(&x.name))
        .collect();
    if exported_services
        .iter()
        .any(|x| service_kind(&x.service_tag).is_some_and(|k| k.tag == "Sql"))
    {
        let mut v = Block::new("variable \"sql_administrator_login\"");
        v.attr("type", Hv::Raw(String::from("string")))
            .attr("default", s("sqladmin"));
        blocks.push(v);
        let mut v = Block::new("variable \"sql_administrator_password\"");
        v.attr("type", Hv::Raw(String::from("string")))
            .attr("sensitive", Hv::Bool(true));
        blocks.push(v);
    }
    if exported_services
        .iter()
        .any(|x| service_kind(&x.service_tag).is_some_and(|k| k.tag == "AzureKeyVault"))
    {
        blocks.push(Block::new("data \"azurerm_client_config\" \"current\""));
    }
    let mut rg = Block::new("resource \"azurerm_resource_group\" \"main\"");
    rg.attr("name", Hv::Raw(String::from("var.resource_group_name")))
        .attr("location", Hv::Raw(String::from("var.location")));
    blocks.push(rg);

    for a in &d.asgs {
        let l = labels.make("azurerm_application_security_group", &a.name);
        let location = match &a.location {
            Some(l) => s(l),
            None => d
                .nics
                .iter()
                .find(|n| n.ip_configurations.iter().any(|c| c.asgs.contains(&a.name)))
                .map_or_else(rg_location, nic_location),
        };
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
    let place = |l: Option<String>| l.map_or_else(rg_location, |x| s(&x));
    for lb in d.load_balancers.iter().filter(|l| lbs.contains(&l.name)) {
        load_balancer(&d, lb, place(places.lb(lb)), &mut labels, &mut blocks);
        report.imported.push(format!(
            "azurerm_lb.{} ({} frontends, {} rules)",
            labels.get("azurerm_lb", &lb.name),
            lb.frontends.len(),
            lb.rules.len()
        ));
    }
    for lb in d.load_balancers.iter().filter(|l| lbs.contains(&l.name)) {
        for pool in &lb.backend_pools {
            for m in &pool.members {
                let cfg = match &m.ip_configuration {
                    Some(c) => c.clone(),
                    None => d
                        .nics
                        .iter()
                        .find(|n| n.name == m.nic)
                        .and_then(|n| n.ip_configurations.first())
                        .map_or_else(String::new, |c| c.name.clone()),
                };
                let al = labels.make(
                    "azurerm_network_interface_backend_address_pool_association",
                    &format!("{}_{}_{}_{}", m.nic, cfg, lb.name, pool.name),
                );
                let mut b = Block::new(format!(
                    "resource \"azurerm_network_interface_backend_address_pool_association\" \"{al}\""
                ));
                b.attr(
                    "network_interface_id",
                    reference("azurerm_network_interface", &labels, &m.nic, "id"),
                )
                .attr("ip_configuration_name", s(&cfg))
                .attr(
                    "backend_address_pool_id",
                    reference(
                        "azurerm_lb_backend_address_pool",
                        &labels,
                        &format!("{}/{}", lb.name, pool.name),
                        "id",
                    ),
                );
                blocks.push(b);
            }
        }
    }
    for lb in d.load_balancers.iter().filter(|l| lbs.contains(&l.name)) {
        for r in &lb.nat_rules {
            let Some(nic) = &r.nic else { continue };
            let cfg = match &r.ip_configuration {
                Some(c) => c.clone(),
                None => d
                    .nics
                    .iter()
                    .find(|n| n.name == *nic)
                    .and_then(|n| n.ip_configurations.first())
                    .map_or_else(String::new, |c| c.name.clone()),
            };
            let al = labels.make(
                "azurerm_network_interface_nat_rule_association",
                &format!("{nic}_{cfg}_{}_{}", lb.name, r.name),
            );
            let mut b = Block::new(format!(
                "resource \"azurerm_network_interface_nat_rule_association\" \"{al}\""
            ));
            b.attr(
                "network_interface_id",
                reference("azurerm_network_interface", &labels, nic, "id"),
            )
            .attr("ip_configuration_name", s(&cfg))
            .attr(
                "nat_rule_id",
                reference(
                    "azurerm_lb_nat_rule",
                    &labels,
                    &format!("{}/{}", lb.name, r.name),
                    "id",
                ),
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

    let mut written_policies: Vec<String> = Vec::new();
    for f in &d.firewalls {
        let Some(subnet) = firewall_subnet(&d, &f.vnet) else {
            report.skip(
                format!("azureFirewalls/{}", f.name),
                "its VNet has no AzureFirewallSubnet",
            );
            continue;
        };
        if let Some(first) = first_usable(subnet)
            && first != f.private_ip_address
        {
            report.skip(
                format!("azureFirewalls/{}: privateIpAddress", f.name),
                format!(
                    "Azure gives a firewall the first usable address of its subnet ({first}); the configuration records {} in the tag {FIREWALL_ADDRESS_TAG} so that it reads back, but a deployment gets {first}",
                    f.private_ip_address
                ),
            );
        }
        let location = place(places.vnet(&f.vnet));
        if let Some(policy) = &f.policy
            && !written_policies.contains(&policy.name)
        {
            written_policies.push(policy.name.clone());
            let parent = format!("{}-parent", policy.name);
            let has_parent = policy
                .rule_collection_groups
                .iter()
                .any(|g| g.from_parent_policy);
            if has_parent {
                firewall_policy(
                    &parent,
                    None,
                    policy
                        .rule_collection_groups
                        .iter()
                        .filter(|g| g.from_parent_policy),
                    f.threat_intel,
                    place(places.vnet(&f.vnet)),
                    &mut labels,
                    &mut blocks,
                );
            }
            firewall_policy(
                &policy.name,
                has_parent.then_some(parent.as_str()),
                policy
                    .rule_collection_groups
                    .iter()
                    .filter(|g| !g.from_parent_policy),
                f.threat_intel,
                place(places.vnet(&f.vnet)),
                &mut labels,
                &mut blocks,
            );
            report.imported.push(format!(
                "azurerm_firewall_policy.{} ({} rule collection groups)",
                labels.get("azurerm_firewall_policy", &policy.name),
                policy.rule_collection_groups.len()
            ));
        }
        firewall(f, &subnet.name, location, &mut labels, &mut blocks);
        report.imported.push(format!(
            "azurerm_firewall.{}",
            labels.get("azurerm_firewall", &f.name)
        ));
    }
    for svc in &exported_services {
        let Some(kind) = service_kind(&svc.service_tag) else {
            continue;
        };
        service(svc, kind, &mut labels, &mut blocks, report);
        report.imported.push(format!(
            "{}.{} (service {})",
            tf_type(kind.tag),
            labels.get(tf_type(kind.tag), &svc.name),
            kind.tag
        ));
    }
    for (pe, kind) in exportable_endpoints(&d, &services) {
        let l = labels.make("azurerm_private_endpoint", &pe.name);
        let mut b = Block::new(format!("resource \"azurerm_private_endpoint\" \"{l}\""));
        b.attr("name", s(&pe.name))
            .attr("location", place(places.vnet(&pe.vnet)))
            .attr("resource_group_name", Hv::Raw(RG.into()))
            .attr("subnet_id", subnet_ref(&labels, &pe.vnet, &pe.subnet));
        let mut conn = Block::new("private_service_connection");
        conn.attr("name", s(&pe.name))
            .attr(
                "private_connection_resource_id",
                reference(tf_type(kind.tag), &labels, &pe.service, "id"),
            )
            .attr("subresource_names", Hv::List(vec![s(kind.group_id)]))
            .attr("is_manual_connection", Hv::Bool(false));
        b.block(conn);
        let mut cfg = Block::new("ip_configuration");
        cfg.attr("name", s("ipconfig1"))
            .attr("private_ip_address", s(&pe.private_ip_address))
            .attr("subresource_name", s(kind.group_id))
            .attr("member_name", s(&member_name(kind, &pe.service)));
        b.block(cfg);
        blocks.push(b);
        report.imported.push(format!(
            "azurerm_private_endpoint.{l} (to service {})",
            pe.service
        ));
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

/// The azurerm resource type written for a service tag's kind.
fn tf_type(tag: &str) -> &'static str {
    match tag {
        "Storage" => "azurerm_storage_account",
        "Sql" => "azurerm_mssql_server",
        "AzureKeyVault" => "azurerm_key_vault",
        "AzureCosmosDB" => "azurerm_cosmosdb_account",
        "AppService" => "azurerm_linux_web_app",
        "AzureContainerRegistry" => "azurerm_container_registry",
        "EventHub" => "azurerm_eventhub_namespace",
        _ => "azurerm_servicebus_namespace",
    }
}

fn subnet_ref(labels: &Labels, vnet: &str, subnet: &str) -> Hv {
    Hv::Raw(format!(
        "azurerm_subnet.{}.id",
        labels.get("azurerm_subnet", &format!("{vnet}/{subnet}"))
    ))
}

fn strings(items: &[String]) -> Hv {
    Hv::List(items.iter().map(|x| s(x)).collect())
}

/// A load balancer with its frontends, and its pools, probes and rules as
/// their own resources.
fn load_balancer(
    d: &ScenarioDoc,
    lb: &LoadBalancerDoc,
    location: Hv,
    labels: &mut Labels,
    blocks: &mut Vec<Block>,
) {
    let l = labels.make("azurerm_lb", &lb.name);
    let mut b = Block::new(format!("resource \"azurerm_lb\" \"{l}\""));
    b.attr("name", s(&lb.name))
        .attr("location", location)
        .attr("resource_group_name", Hv::Raw(RG.into()))
        .attr("sku", s(&lb.sku));
    for f in &lb.frontends {
        let mut fb = Block::new("frontend_ip_configuration");
        fb.attr("name", s(&f.name));
        if let Some(pip) = &f.public_ip {
            fb.attr(
                "public_ip_address_id",
                reference("azurerm_public_ip", labels, pip, "id"),
            );
        } else if let Some(ip) = &f.private_ip_address {
            if let Some((v, sn)) = subnet_of(d, ip) {
                fb.attr("subnet_id", subnet_ref(labels, &v, &sn));
            }
            fb.attr("private_ip_address_allocation", s("Static"))
                .attr("private_ip_address", s(ip));
            if ip.contains(':') {
                fb.attr("private_ip_address_version", s("IPv6"));
            }
        }
        b.block(fb);
    }
    blocks.push(b);
    let lb_id = Hv::Raw(format!("azurerm_lb.{l}.id"));
    let lb_id = || match &lb_id {
        Hv::Raw(x) => Hv::Raw(x.clone()),
        _ => Hv::Raw(String::new()),
    };
    for p in &lb.backend_pools {
        let pl = labels.make(
            "azurerm_lb_backend_address_pool",
            &format!("{}/{}", lb.name, p.name),
        );
        let mut b = Block::new(format!(
            "resource \"azurerm_lb_backend_address_pool\" \"{pl}\""
        ));
        b.attr("name", s(&p.name)).attr("loadbalancer_id", lb_id());
        blocks.push(b);
    }
    for p in &lb.probes {
        let pl = labels.make("azurerm_lb_probe", &format!("{}/{}", lb.name, p.name));
        let mut b = Block::new(format!("resource \"azurerm_lb_probe\" \"{pl}\""));
        b.attr("name", s(&p.name))
            .attr("loadbalancer_id", lb_id())
            .attr("protocol", s(&p.protocol))
            .attr("port", Hv::Num(p.port));
        if p.protocol.eq_ignore_ascii_case("Http") || p.protocol.eq_ignore_ascii_case("Https") {
            b.attr("request_path", s("/"));
        }
        blocks.push(b);
    }
    for r in &lb.rules {
        let rl = labels.make("azurerm_lb_rule", &format!("{}/{}", lb.name, r.name));
        let mut b = Block::new(format!("resource \"azurerm_lb_rule\" \"{rl}\""));
        b.attr("name", s(&r.name))
            .attr("loadbalancer_id", lb_id())
            .attr("frontend_ip_configuration_name", s(&r.frontend))
            .attr("protocol", s(&r.protocol))
            .attr("frontend_port", Hv::Num(r.frontend_port))
            .attr("backend_port", Hv::Num(r.backend_port))
            .attr(
                "backend_address_pool_ids",
                Hv::List(vec![reference(
                    "azurerm_lb_backend_address_pool",
                    labels,
                    &format!("{}/{}", lb.name, r.backend_pool),
                    "id",
                )]),
            );
        if let Some(p) = &r.probe {
            b.attr(
                "probe_id",
                reference(
                    "azurerm_lb_probe",
                    labels,
                    &format!("{}/{}", lb.name, p),
                    "id",
                ),
            );
        }
        blocks.push(b);
    }
    for r in &lb.nat_rules {
        let rl = labels.make("azurerm_lb_nat_rule", &format!("{}/{}", lb.name, r.name));
        let mut b = Block::new(format!("resource \"azurerm_lb_nat_rule\" \"{rl}\""));
        b.attr("name", s(&r.name))
            .attr("resource_group_name", Hv::Raw(RG.into()))
            .attr("loadbalancer_id", lb_id())
            .attr("frontend_ip_configuration_name", s(&r.frontend))
            .attr("protocol", s(&r.protocol));
        match &r.backend_pool {
            Some(pool) => {
                b.attr("frontend_port_start", Hv::Num(r.frontend_port))
                    .attr(
                        "frontend_port_end",
                        Hv::Num(r.frontend_port_end.unwrap_or(r.frontend_port)),
                    )
                    .attr(
                        "backend_address_pool_id",
                        reference(
                            "azurerm_lb_backend_address_pool",
                            labels,
                            &format!("{}/{}", lb.name, pool),
                            "id",
                        ),
                    );
            }
            None => {
                b.attr("frontend_port", Hv::Num(r.frontend_port));
            }
        }
        b.attr("backend_port", Hv::Num(r.backend_port));
        blocks.push(b);
    }
}

fn threat_intel_mode(on: bool) -> Hv {
    s(if on { "Alert" } else { "Off" })
}

/// An application rule's `protocol` blocks (`Https:443`).
fn app_protocols(b: &mut Block, name: &str, protocols: &[String]) {
    for p in protocols {
        let mut pb = Block::new(name);
        match p.split_once(':') {
            Some((t, port)) => {
                pb.attr("type", s(t.trim()));
                match port.trim().parse::<i64>() {
                    Ok(n) => pb.attr("port", Hv::Num(n)),
                    Err(_) => pb.attr("port", s(port.trim())),
                };
            }
            None => {
                pb.attr("type", s(p));
            }
        }
        b.block(pb);
    }
}

/// A firewall policy and its rule collection groups, each after the one before.
fn firewall_policy<'g>(
    name: &str,
    parent: Option<&str>,
    groups: impl Iterator<Item = &'g RuleCollectionGroupDoc>,
    threat_intel: bool,
    location: Hv,
    labels: &mut Labels,
    blocks: &mut Vec<Block>,
) {
    let l = labels.make("azurerm_firewall_policy", name);
    let mut b = Block::new(format!("resource \"azurerm_firewall_policy\" \"{l}\""));
    b.attr("name", s(name))
        .attr("location", location)
        .attr("resource_group_name", Hv::Raw(RG.into()))
        .attr("sku", s("Standard"))
        .attr("threat_intelligence_mode", threat_intel_mode(threat_intel));
    if let Some(p) = parent {
        b.attr(
            "base_policy_id",
            reference("azurerm_firewall_policy", labels, p, "id"),
        );
    }
    blocks.push(b);
    let mut before: Option<String> = None;
    for g in groups {
        let gl = labels.make(
            "azurerm_firewall_policy_rule_collection_group",
            &format!("{name}/{}", g.name),
        );
        let mut b = Block::new(format!(
            "resource \"azurerm_firewall_policy_rule_collection_group\" \"{gl}\""
        ));
        b.attr("name", s(&g.name))
            .attr(
                "firewall_policy_id",
                Hv::Raw(format!("azurerm_firewall_policy.{l}.id")),
            )
            .attr("priority", Hv::Num(g.priority));
        if let Some(prev) = &before {
            // Azure updates one group of a policy at a time.
            b.attr("depends_on", Hv::List(vec![Hv::Raw(prev.clone())]));
        }
        for c in &g.rule_collections {
            let (block, action) = match c.kind.as_str() {
                "Dnat" => ("nat_rule_collection", String::from("Dnat")),
                "Network" => (
                    "network_rule_collection",
                    c.action.clone().unwrap_or_else(|| String::from("Deny")),
                ),
                _ => (
                    "application_rule_collection",
                    c.action.clone().unwrap_or_else(|| String::from("Deny")),
                ),
            };
            let mut cb = Block::new(block);
            cb.attr("name", s(&c.name))
                .attr("priority", Hv::Num(c.priority))
                .attr("action", s(&action));
            for r in &c.rules {
                let mut rb = Block::new("rule");
                rb.attr("name", s(&r.name));
                match c.kind.as_str() {
                    "Dnat" => {
                        rb.attr("protocols", strings(&r.protocols))
                            .attr("source_addresses", strings(&r.source_addresses));
                        if let Some(a) = r.destination_addresses.first() {
                            rb.attr("destination_address", s(a));
                        }
                        rb.attr("destination_ports", strings(&r.destination_ports));
                        if let Some(a) = &r.translated_address {
                            rb.attr("translated_address", s(a));
                        }
                        if let Some(p) = &r.translated_port {
                            match p.parse::<i64>() {
                                Ok(n) => rb.attr("translated_port", Hv::Num(n)),
                                Err(_) => rb.attr("translated_port", s(p)),
                            };
                        }
                    }
                    "Network" => {
                        rb.attr("protocols", strings(&r.protocols))
                            .attr("source_addresses", strings(&r.source_addresses))
                            .attr("destination_addresses", strings(&r.destination_addresses))
                            .attr("destination_ports", strings(&r.destination_ports));
                        if !r.destination_fqdns.is_empty() {
                            rb.attr("destination_fqdns", strings(&r.destination_fqdns));
                        }
                    }
                    _ => {
                        rb.attr("source_addresses", strings(&r.source_addresses))
                            .attr("destination_fqdns", strings(&r.target_fqdns));
                        app_protocols(&mut rb, "protocols", &r.protocols);
                    }
                }
                cb.block(rb);
            }
            b.block(cb);
        }
        blocks.push(b);
        before = Some(format!(
            "azurerm_firewall_policy_rule_collection_group.{gl}"
        ));
    }
}

/// An Azure Firewall, and its classic rule collections as their own resources.
fn firewall(
    f: &FirewallDoc,
    subnet: &str,
    location: Hv,
    labels: &mut Labels,
    blocks: &mut Vec<Block>,
) {
    let l = labels.make("azurerm_firewall", &f.name);
    let mut b = Block::new(format!("resource \"azurerm_firewall\" \"{l}\""));
    b.attr("name", s(&f.name))
        .attr("location", location)
        .attr("resource_group_name", Hv::Raw(RG.into()))
        .attr("sku_name", s("AZFW_VNet"))
        .attr("sku_tier", s("Standard"));
    match &f.policy {
        Some(p) => {
            b.attr(
                "firewall_policy_id",
                reference("azurerm_firewall_policy", labels, &p.name, "id"),
            );
        }
        None => {
            b.attr("threat_intel_mode", threat_intel_mode(f.threat_intel));
        }
    }
    b.attr(
        "tags",
        Hv::Map(vec![(
            FIREWALL_ADDRESS_TAG.to_string(),
            s(&f.private_ip_address),
        )]),
    );
    for k in 0..f.public_ips.len().max(1) {
        let mut cb = Block::new("ip_configuration");
        cb.attr("name", s(&format!("ipconfig{}", k + 1)));
        if k == 0 {
            cb.attr("subnet_id", subnet_ref(labels, &f.vnet, subnet));
        }
        if let Some(pip) = f.public_ips.get(k) {
            cb.attr(
                "public_ip_address_id",
                reference("azurerm_public_ip", labels, pip, "id"),
            );
        }
        b.block(cb);
    }
    blocks.push(b);
    if f.policy.is_some() {
        return;
    }
    for c in &f.rule_collections {
        let ty = match c.kind.as_str() {
            "Dnat" => "azurerm_firewall_nat_rule_collection",
            "Network" => "azurerm_firewall_network_rule_collection",
            _ => "azurerm_firewall_application_rule_collection",
        };
        let cl = labels.make(ty, &format!("{}/{}", f.name, c.name));
        let mut b = Block::new(format!("resource \"{ty}\" \"{cl}\""));
        let action = if c.kind == "Dnat" {
            String::from("Dnat")
        } else {
            c.action.clone().unwrap_or_else(|| String::from("Deny"))
        };
        b.attr("name", s(&c.name))
            .attr(
                "azure_firewall_name",
                Hv::Raw(format!("azurerm_firewall.{l}.name")),
            )
            .attr("resource_group_name", Hv::Raw(RG.into()))
            .attr("priority", Hv::Num(c.priority))
            .attr("action", s(&action));
        for r in &c.rules {
            let mut rb = Block::new("rule");
            rb.attr("name", s(&r.name))
                .attr("source_addresses", strings(&r.source_addresses));
            match c.kind.as_str() {
                "Application" => {
                    rb.attr("target_fqdns", strings(&r.target_fqdns));
                    app_protocols(&mut rb, "protocol", &r.protocols);
                }
                kind => {
                    rb.attr("destination_addresses", strings(&r.destination_addresses))
                        .attr("destination_ports", strings(&r.destination_ports))
                        .attr("protocols", strings(&r.protocols));
                    if !r.destination_fqdns.is_empty() {
                        rb.attr("destination_fqdns", strings(&r.destination_fqdns));
                    }
                    if kind == "Dnat" {
                        if let Some(p) = &r.translated_port {
                            rb.attr("translated_port", s(p));
                        }
                        if let Some(a) = &r.translated_address {
                            rb.attr("translated_address", s(a));
                        }
                    }
                }
            }
            b.block(rb);
        }
        blocks.push(b);
    }
}

/// The first and last IPv4 addresses of a prefix or address (a SQL firewall rule).
fn ipv4_range(prefix: &str) -> Option<(String, String)> {
    match netsec_engine::address::parse_prefix(prefix).ok()? {
        netsec_engine::address::IpNet::V4(n) => {
            Some((n.network().to_string(), n.broadcast().to_string()))
        }
        netsec_engine::address::IpNet::V6(_) => None,
    }
}

/// A PaaS service (with an App Service plan for a web app, and a SQL
/// server's rules as their own resources) with its network rules.
fn service(
    svc: &ServiceDoc,
    kind: &crate::export_arm::ServiceKind,
    labels: &mut Labels,
    blocks: &mut Vec<Block>,
    report: &mut crate::ImportReport,
) {
    let ty = tf_type(kind.tag);
    let restricted = !svc.allowed_subnets.is_empty() || !svc.allowed_ip_ranges.is_empty();
    let default_action = s(if restricted { "Deny" } else { "Allow" });
    let subnet_ids = |labels: &Labels| {
        Hv::List(
            svc.allowed_subnets
                .iter()
                .map(|r| subnet_ref(labels, &r.vnet, &r.subnet))
                .collect(),
        )
    };
    if kind.tag == "AppService" {
        let pl = labels.make("azurerm_service_plan", &svc.name);
        let mut b = Block::new(format!("resource \"azurerm_service_plan\" \"{pl}\""));
        b.attr("name", s(&format!("{}-plan", svc.name)))
            .attr("location", s(&svc.location))
            .attr("resource_group_name", Hv::Raw(RG.into()))
            .attr("os_type", s("Linux"))
            .attr("sku_name", s("B1"));
        blocks.push(b);
    }
    let l = labels.make(ty, &svc.name);
    let mut b = Block::new(format!("resource \"{ty}\" \"{l}\""));
    b.attr("name", s(&svc.name))
        .attr("location", s(&svc.location))
        .attr("resource_group_name", Hv::Raw(RG.into()));
    match kind.tag {
        "Storage" => {
            b.attr("account_tier", s("Standard"))
                .attr("account_replication_type", s("LRS"));
        }
        "Sql" => {
            b.attr("version", s("12.0"))
                .attr(
                    "administrator_login",
                    Hv::Raw(String::from("var.sql_administrator_login")),
                )
                .attr(
                    "administrator_login_password",
                    Hv::Raw(String::from("var.sql_administrator_password")),
                );
        }
        "AzureKeyVault" => {
            b.attr(
                "tenant_id",
                Hv::Raw(String::from("data.azurerm_client_config.current.tenant_id")),
            )
            .attr("sku_name", s("standard"));
        }
        "AzureCosmosDB" => {
            b.attr("offer_type", s("Standard"))
                .attr("kind", s("GlobalDocumentDB"))
                .attr(
                    "is_virtual_network_filter_enabled",
                    Hv::Bool(!svc.allowed_subnets.is_empty()),
                );
            if !svc.allowed_ip_ranges.is_empty() {
                b.attr("ip_range_filter", strings(&svc.allowed_ip_ranges));
            }
        }
        "AppService" => {
            b.attr(
                "service_plan_id",
                reference("azurerm_service_plan", labels, &svc.name, "id"),
            );
        }
        "AzureContainerRegistry" => {
            // Private endpoints and network rules need the Premium tier.
            b.attr("sku", s("Premium"));
        }
        "EventHub" => {
            b.attr("sku", s("Standard")).attr("capacity", Hv::Num(1));
        }
        _ => {
            // Service Bus: private endpoints need the Premium tier.
            b.attr("sku", s("Premium"))
                .attr("capacity", Hv::Num(1))
                .attr("premium_messaging_partitions", Hv::Num(1));
        }
    }
    b.attr(
        "public_network_access_enabled",
        Hv::Bool(svc.public_network_access),
    );
    b.attr(
        "tags",
        Hv::Map(vec![(ADDRESS_TAG.to_string(), s(&svc.public_ip_address))]),
    );
    match kind.tag {
        "Storage" | "AzureKeyVault" if restricted => {
            let storage = kind.tag == "Storage";
            let mut nb = Block::new(if storage {
                "network_rules"
            } else {
                "network_acls"
            });
            nb.attr("default_action", default_action)
                .attr(
                    "bypass",
                    if storage {
                        Hv::List(vec![s("AzureServices")])
                    } else {
                        s("AzureServices")
                    },
                )
                .attr("ip_rules", strings(&svc.allowed_ip_ranges))
                .attr("virtual_network_subnet_ids", subnet_ids(labels));
            b.block(nb);
        }
        "AzureCosmosDB" => {
            for r in &svc.allowed_subnets {
                let mut vb = Block::new("virtual_network_rule");
                vb.attr("id", subnet_ref(labels, &r.vnet, &r.subnet));
                b.block(vb);
            }
            let mut cp = Block::new("consistency_policy");
            cp.attr("consistency_level", s("Session"));
            b.block(cp);
            let mut geo = Block::new("geo_location");
            geo.attr("location", s(&svc.location))
                .attr("failover_priority", Hv::Num(0));
            b.block(geo);
        }
        "AppService" => {
            let mut sc = Block::new("site_config");
            if restricted {
                sc.attr("ip_restriction_default_action", s("Deny"));
            }
            let mut priority = 100;
            for r in &svc.allowed_subnets {
                let mut rb = Block::new("ip_restriction");
                rb.attr("name", s(&format!("allow-{}", r.subnet)))
                    .attr("priority", Hv::Num(priority))
                    .attr("action", s("Allow"))
                    .attr(
                        "virtual_network_subnet_id",
                        subnet_ref(labels, &r.vnet, &r.subnet),
                    );
                sc.block(rb);
                priority += 10;
            }
            for ip in &svc.allowed_ip_ranges {
                let mut rb = Block::new("ip_restriction");
                rb.attr(
                    "name",
                    s(&format!("allow-{}", ip.replace(['/', '.', ':'], "-"))),
                )
                .attr("priority", Hv::Num(priority))
                .attr("action", s("Allow"))
                .attr("ip_address", s(ip));
                sc.block(rb);
                priority += 10;
            }
            b.block(sc);
        }
        "AzureContainerRegistry" if restricted => {
            if !svc.allowed_subnets.is_empty() {
                report.skip(
                    format!("service {}: allowed subnets", svc.name),
                    "container registries no longer take virtual network rules; the configuration allows only its IP ranges",
                );
            }
            let mut nb = Block::new("network_rule_set");
            nb.attr("default_action", default_action);
            for ip in &svc.allowed_ip_ranges {
                let mut rb = Block::new("ip_rule");
                rb.attr("action", s("Allow")).attr("ip_range", s(ip));
                nb.block(rb);
            }
            b.block(nb);
        }
        "EventHub" if restricted => {
            let mut nb = Block::new("network_rulesets");
            nb.attr("default_action", default_action);
            for r in &svc.allowed_subnets {
                let mut rb = Block::new("virtual_network_rule");
                rb.attr("subnet_id", subnet_ref(labels, &r.vnet, &r.subnet));
                nb.block(rb);
            }
            for ip in &svc.allowed_ip_ranges {
                let mut rb = Block::new("ip_rule");
                rb.attr("ip_mask", s(ip)).attr("action", s("Allow"));
                nb.block(rb);
            }
            b.block(nb);
        }
        "ServiceBus" if restricted => {
            let mut nb = Block::new("network_rule_set");
            nb.attr("default_action", default_action)
                .attr("ip_rules", strings(&svc.allowed_ip_ranges));
            for r in &svc.allowed_subnets {
                let mut rb = Block::new("network_rules");
                rb.attr("subnet_id", subnet_ref(labels, &r.vnet, &r.subnet));
                nb.block(rb);
            }
            b.block(nb);
        }
        _ => {}
    }
    blocks.push(b);
    if kind.tag == "Sql" {
        for r in &svc.allowed_subnets {
            let rl = labels.make(
                "azurerm_mssql_virtual_network_rule",
                &format!("{}_{}_{}", svc.name, r.vnet, r.subnet),
            );
            let mut rb = Block::new(format!(
                "resource \"azurerm_mssql_virtual_network_rule\" \"{rl}\""
            ));
            rb.attr("name", s(&format!("{}-{}", r.vnet, r.subnet)))
                .attr("server_id", Hv::Raw(format!("{ty}.{l}.id")))
                .attr("subnet_id", subnet_ref(labels, &r.vnet, &r.subnet));
            blocks.push(rb);
        }
        for ip in &svc.allowed_ip_ranges {
            let Some((start, end)) = ipv4_range(ip) else {
                report.skip(
                    format!("service {}: allowed range {ip}", svc.name),
                    "SQL firewall rules take IPv4 ranges only",
                );
                continue;
            };
            let rl = labels.make(
                "azurerm_mssql_firewall_rule",
                &format!("{}_{}", svc.name, ip.replace(['/', '.'], "_")),
            );
            let mut rb = Block::new(format!("resource \"azurerm_mssql_firewall_rule\" \"{rl}\""));
            rb.attr("name", s(&format!("allow-{}", ip.replace('/', "-"))))
                .attr("server_id", Hv::Raw(format!("{ty}.{l}.id")))
                .attr("start_ip_address", s(&start))
                .attr("end_ip_address", s(&end));
            blocks.push(rb);
        }
    }
}
