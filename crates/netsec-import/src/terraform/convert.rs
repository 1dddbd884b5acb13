//! `azurerm_*` resource instances → Azure resources in the REST shape, with
//! association resources applied to the resources they associate.

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value, json};

use super::value::V;
use super::{Instance, synth_id};
use crate::ImportReport;
use crate::azure;

/// The region used where a location is a placeholder.
const DEFAULT_LOCATION: &str = "westeurope";

pub(crate) struct Converted {
    /// Resources with the path their errors are reported at (the address).
    pub items: Vec<(Value, String)>,
    /// (path in `items`, place in the input, address).
    pub relocations: Vec<(String, String, String)>,
    pub report: ImportReport,
}

/// Types that are containers or settings, not part of the network.
const QUIET: &[&str] = &["azurerm_resource_group"];

/// Known types the playground does not model from Terraform, with the reason.
const NOT_READ: &[(&str, &str)] = &[
    (
        "azurerm_service_plan",
        "an App Service plan has no network settings (its web apps are read)",
    ),
    (
        "azurerm_lb_backend_address_pool_address",
        "pool members by address are not read from Terraform (associate the NICs' IP configurations)",
    ),
    ("azurerm_nat_gateway", "NAT gateways are not modelled"),
    (
        "azurerm_subnet_nat_gateway_association",
        "NAT gateways are not modelled",
    ),
    ("azurerm_bastion_host", "Azure Bastion is not modelled"),
    (
        "azurerm_virtual_network_gateway",
        "VPN and ExpressRoute gateways are not modelled",
    ),
    (
        "azurerm_network_watcher",
        "Network Watcher is a tool, not part of the network",
    ),
    (
        "azurerm_network_watcher_flow_log",
        "flow logs do not change what the network allows",
    ),
    (
        "azurerm_application_gateway",
        "Application Gateway is not modelled",
    ),
    (
        "azurerm_private_dns_zone",
        "private DNS is not modelled (flows use addresses)",
    ),
    (
        "azurerm_private_dns_zone_virtual_network_link",
        "private DNS is not modelled (flows use addresses)",
    ),
];

/// PaaS service resources and their Azure types.
const SERVICE_TYPES: &[(&str, &str)] = &[
    (
        "azurerm_storage_account",
        "Microsoft.Storage/storageAccounts",
    ),
    ("azurerm_key_vault", "Microsoft.KeyVault/vaults"),
    ("azurerm_mssql_server", "Microsoft.Sql/servers"),
    (
        "azurerm_cosmosdb_account",
        "Microsoft.DocumentDB/databaseAccounts",
    ),
    ("azurerm_linux_web_app", "Microsoft.Web/sites"),
    ("azurerm_windows_web_app", "Microsoft.Web/sites"),
    (
        "azurerm_container_registry",
        "Microsoft.ContainerRegistry/registries",
    ),
    (
        "azurerm_eventhub_namespace",
        "Microsoft.EventHub/namespaces",
    ),
    (
        "azurerm_servicebus_namespace",
        "Microsoft.ServiceBus/namespaces",
    ),
];

/// Resources applied to another one after every resource is converted.
const CHILDREN: &[&str] = &[
    "azurerm_subnet_network_security_group_association",
    "azurerm_subnet_route_table_association",
    "azurerm_network_interface_security_group_association",
    "azurerm_network_interface_application_security_group_association",
    "azurerm_firewall_network_rule_collection",
    "azurerm_firewall_nat_rule_collection",
    "azurerm_firewall_application_rule_collection",
    "azurerm_lb_backend_address_pool",
    "azurerm_lb_probe",
    "azurerm_lb_rule",
    "azurerm_lb_nat_rule",
    "azurerm_lb_nat_pool",
    "azurerm_lb_outbound_rule",
    "azurerm_network_interface_backend_address_pool_association",
    "azurerm_network_interface_nat_rule_association",
    "azurerm_mssql_virtual_network_rule",
    "azurerm_mssql_firewall_rule",
    "azurerm_storage_account_network_rules",
];

/// Scale sets: `network_interface` blocks (or `network_profile` in the
/// legacy resource) become the ARM shape the Azure reader reads.
const SCALE_SET_TYPES: &[&str] = &[
    "azurerm_linux_virtual_machine_scale_set",
    "azurerm_windows_virtual_machine_scale_set",
    "azurerm_orchestrated_virtual_machine_scale_set",
    "azurerm_virtual_machine_scale_set",
];

const VM_TYPES: &[&str] = &[
    "azurerm_linux_virtual_machine",
    "azurerm_windows_virtual_machine",
    "azurerm_virtual_machine",
];

fn st(v: &V, k: &str) -> Option<String> {
    match v.get(k) {
        Some(V::Str(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Some(V::Num(n)) => Some(super::value::num_text(*n)),
        _ => None,
    }
}

fn strs(v: &V, k: &str) -> Vec<String> {
    match v.get(k) {
        Some(V::List(l)) => l
            .iter()
            .filter_map(|x| match x {
                V::Str(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
                V::Num(n) => Some(super::value::num_text(*n)),
                _ => None,
            })
            .collect(),
        Some(V::Str(s)) if !s.trim().is_empty() => vec![s.trim().to_string()],
        _ => Vec::new(),
    }
}

fn blocks<'v>(v: &'v V, k: &str) -> Vec<&'v V> {
    match v.get(k) {
        Some(V::List(l)) => l.iter().filter(|x| matches!(x, V::Map(_))).collect(),
        Some(m @ V::Map(_)) => vec![m],
        _ => Vec::new(),
    }
}

/// A subnet's service endpoints, private endpoint network policies and
/// default outbound access, from an azurerm_subnet or from an inline
/// `subnet {}` block of azurerm_virtual_network (both take them in azurerm
/// 4.x), as the ARM properties.
fn subnet_settings(v: &V, props: &mut Map<String, Value>) {
    let endpoints: Vec<Value> = strs(v, "service_endpoints")
        .into_iter()
        .map(|s| json!({ "service": s }))
        .collect();
    if !endpoints.is_empty() {
        props.insert("serviceEndpoints".into(), Value::Array(endpoints));
    }
    let policies = match (
        st(v, "private_endpoint_network_policies"),
        boolean(v, "private_endpoint_network_policies_enabled"),
        boolean(v, "enforce_private_link_endpoint_network_policies"),
    ) {
        (Some(p), _, _) => Some(p),
        (None, Some(true), _) => Some(String::from("Enabled")),
        (None, Some(false), _) => Some(String::from("Disabled")),
        // 2.x: "enforce" true meant the policies are off.
        (None, None, Some(true)) => Some(String::from("Disabled")),
        (None, None, Some(false)) => Some(String::from("Enabled")),
        _ => None,
    };
    if let Some(p) = policies {
        props.insert("privateEndpointNetworkPolicies".into(), p.into());
    }
    if let Some(b) = boolean(v, "default_outbound_access_enabled") {
        props.insert("defaultOutboundAccess".into(), b.into());
    }
}

fn boolean(v: &V, k: &str) -> Option<bool> {
    match v.get(k) {
        Some(V::Bool(b)) => Some(*b),
        Some(V::Str(s)) if s == "true" => Some(true),
        Some(V::Str(s)) if s == "false" => Some(false),
        _ => None,
    }
}

/// A number or numeric string, as JSON.
fn number(v: &V, k: &str) -> Option<Value> {
    match v.get(k) {
        Some(x @ (V::Num(_) | V::Str(_))) => Some(x.to_json()),
        _ => None,
    }
}

/// The port arguments of a load-balancing rule, an inbound NAT rule and a
/// NAT pool, with their ARM names.
const LB_RULE_PORTS: [(&str, &str); 2] = [
    ("frontend_port", "frontendPort"),
    ("backend_port", "backendPort"),
];
const NAT_RULE_PORTS: [(&str, &str); 4] = [
    ("frontend_port", "frontendPort"),
    ("frontend_port_start", "frontendPortRangeStart"),
    ("frontend_port_end", "frontendPortRangeEnd"),
    ("backend_port", "backendPort"),
];
const NAT_POOL_PORTS: [(&str, &str); 3] = [
    ("frontend_port_start", "frontendPortRangeStart"),
    ("frontend_port_end", "frontendPortRangeEnd"),
    ("backend_port", "backendPort"),
];

/// What a load balancer's rule, NAT rule and NAT pool share: the frontend
/// (by name, on load balancer `lb_id`), the protocol (default `Tcp`) and
/// the `ports` given.
fn lb_child_props(v: &V, lb_id: &str, ports: &[(&str, &str)]) -> Map<String, Value> {
    let mut p = Map::new();
    if let Some(fe) = st(v, "frontend_ip_configuration_name") {
        p.insert(
            "frontendIPConfiguration".into(),
            json!({ "id": format!("{lb_id}/frontendIPConfigurations/{fe}") }),
        );
    }
    p.insert(
        "protocol".into(),
        st(v, "protocol")
            .unwrap_or_else(|| String::from("Tcp"))
            .into(),
    );
    for (tf, arm) in ports {
        if let Some(n) = number(v, tf) {
            p.insert((*arm).into(), n);
        }
    }
    p
}

fn reference(id: Option<String>) -> Option<Value> {
    id.map(|i| json!({ "id": i }))
}

/// Where a subnet is in the output: its own resource, or inline in a VNet's.
#[derive(Clone, Copy)]
enum SubnetAt {
    Own(usize),
    Inline(usize, usize),
}

struct Conv<'i> {
    insts: &'i [Instance],
    by_addr: HashMap<&'i str, usize>,
    items: Vec<(Value, String)>,
    /// Resource key (type and names, lower case) → index in `items`.
    by_key: HashMap<String, usize>,
    subnets: HashMap<String, SubnetAt>,
    /// (resource group, VNet, subnet), lower case, of the `azurerm_subnet`s:
    /// a VNet's `subnet` list in a state repeats them; the resources win.
    separate_subnets: HashSet<(String, String, String)>,
    relocations: Vec<(String, String, String)>,
    report: ImportReport,
    placeholders: &'i HashSet<String>,
    /// Public IP instance → the placeholder address given to it because a
    /// firewall rule reads its computed `ip_address`.
    pip_placeholders: HashMap<usize, String>,
}

/// Converts every instance, then applies the associations.
pub(crate) fn convert(insts: &[Instance], placeholders: &HashSet<String>) -> Converted {
    let mut c = Conv {
        insts,
        by_addr: insts
            .iter()
            .enumerate()
            .map(|(i, x)| (x.address.as_str(), i))
            .collect(),
        items: Vec::new(),
        by_key: HashMap::new(),
        subnets: HashMap::new(),
        separate_subnets: insts
            .iter()
            .filter(|x| x.ty == "azurerm_subnet")
            .filter_map(|x| {
                let v = &x.values;
                Some((
                    st(v, "resource_group_name")?.to_ascii_lowercase(),
                    st(v, "virtual_network_name")?.to_ascii_lowercase(),
                    st(v, "name")?.to_ascii_lowercase(),
                ))
            })
            .collect(),
        relocations: Vec::new(),
        report: ImportReport::default(),
        placeholders,
        pip_placeholders: HashMap::new(),
    };
    let mut later = Vec::new();
    for (i, inst) in insts.iter().enumerate() {
        if inst.ty.starts_with("data.")
            || inst.address.starts_with("data.")
            || inst.address.contains(".data.")
        {
            continue;
        }
        if CHILDREN.contains(&inst.ty.as_str()) {
            later.push(i);
        } else {
            c.resource(inst);
        }
    }
    // Pools before what refers to them by name.
    later.sort_by_key(|i| {
        insts
            .get(*i)
            .is_none_or(|x| x.ty != "azurerm_lb_backend_address_pool")
    });
    for i in later {
        if let Some(inst) = insts.get(i) {
            c.association(inst);
        }
    }
    c.write_pip_placeholders();
    Converted {
        items: c.items,
        relocations: c.relocations,
        report: c.report,
    }
}

impl<'i> Conv<'i> {
    /// Records where a path of the converted resource comes from.
    fn at(&mut self, inst: &Instance, path: String, attr: &str) {
        self.relocations
            .push((path, inst.loc(attr), inst.address.clone()));
    }

    /// The id an attribute refers to: its value, or (in a plan, before apply)
    /// the id of the resource the configuration points it at.
    fn refer(&mut self, inst: &Instance, attr: &str, v: Option<&V>) -> Option<String> {
        match v {
            Some(V::Str(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
            Some(V::Unknown(u)) => {
                let target = u
                    .target
                    .as_deref()
                    .and_then(|t| self.find(t, &inst.address));
                match target.and_then(|t| self.insts.get(t)).and_then(id_of) {
                    Some(id) => Some(id),
                    None => {
                        self.report.assumptions.push(format!(
                            "{}: {}.{attr} is not known ({}); it is left out",
                            inst.loc(attr),
                            inst.address,
                            u.why
                        ));
                        None
                    }
                }
            }
            _ => None,
        }
    }

    /// A route's properties. A next hop that is an Azure Firewall's private
    /// address (`azurerm_firewall.x.ip_configuration[0].private_ip_address`),
    /// which Azure assigns at deployment, is taken to be the first address
    /// Azure hands out in its AzureFirewallSubnet (the subnet's 5th, `.4`),
    /// and the report says so.
    fn route_props(&self, inst: &Instance, r: &V) -> Value {
        let mut p = Map::new();
        if let Some(a) = st(r, "address_prefix") {
            p.insert("addressPrefix".into(), a.into());
        }
        if let Some(h) = st(r, "next_hop_type") {
            p.insert("nextHopType".into(), h.into());
        }
        let next_hop = match st(r, "next_hop_in_ip_address") {
            Some(ip) => Some(Value::from(ip)),
            None => self.computed_address(inst, r.get("next_hop_in_ip_address")),
        };
        if let Some(ip) = next_hop {
            p.insert("nextHopIpAddress".into(), ip);
        }
        Value::Object(p)
    }

    /// A public IP's address read before Azure assigns it
    /// (`azurerm_public_ip.x.ip_address` in source or a plan): a placeholder
    /// from `20.255.0.0/16`, the same for the IP itself (written in
    /// [`Conv::write_pip_placeholders`]) and for every value read from it.
    fn computed_public_ip(&mut self, inst: &Instance, v: &V) -> Option<String> {
        let V::Unknown(u) = v else { return None };
        if u.attribute.as_deref() != Some("ip_address") {
            return None;
        }
        let t = self.find(u.target.as_deref()?, &inst.address)?;
        let pip = self.insts.get(t)?;
        if pip.ty != "azurerm_public_ip" {
            return None;
        }
        if let Some(ip) =
            st(&pip.values, "ip_address").or_else(|| self.pip_placeholders.get(&t).cloned())
        {
            return Some(ip);
        }
        let taken: HashSet<String> = self
            .insts
            .iter()
            .filter(|x| x.ty == "azurerm_public_ip")
            .filter_map(|x| st(&x.values, "ip_address"))
            .chain(self.pip_placeholders.values().cloned())
            .collect();
        let ip = azure::placeholder_public_ips()
            .map(|a| a.to_string())
            .find(|a| !taken.contains(a))?;
        self.pip_placeholders.insert(t, ip.clone());
        Some(ip)
    }

    /// A list of addresses (or one address) at `k` of `r`, where a public
    /// IP's computed `ip_address` gets its placeholder
    /// ([`Conv::computed_public_ip`]).
    fn addresses(&mut self, inst: &Instance, r: &V, k: &str) -> Vec<String> {
        let items: Vec<&V> = match r.get(k) {
            Some(V::List(l)) => l.iter().collect(),
            Some(x) => vec![x],
            None => Vec::new(),
        };
        let mut out = Vec::new();
        for x in items {
            match x {
                V::Str(s) if !s.trim().is_empty() => out.push(s.trim().to_string()),
                V::Num(n) => out.push(super::value::num_text(*n)),
                other => out.extend(self.computed_public_ip(inst, other)),
            }
        }
        out
    }

    /// Writes the placeholders of [`Conv::computed_public_ip`] into the
    /// public IPs themselves, and reports them.
    fn write_pip_placeholders(&mut self) {
        let mut given: Vec<(usize, String)> = self.pip_placeholders.drain().collect();
        given.sort();
        for (t, ip) in given {
            let Some(pip) = self.insts.get(t) else {
                continue;
            };
            let Some(k) = id_of(pip)
                .map(|id| id_key(&id))
                .and_then(|k| self.by_key.get(&k).copied())
            else {
                continue;
            };
            let Some(props) = self.props_of(k) else {
                continue;
            };
            props.insert("ipAddress".into(), Value::from(ip.clone()));
            self.report.assumptions.push(format!(
                "{} gets its address from Azure at apply, and the configuration reads it ({}.ip_address); it gets the placeholder {ip} from 20.255.0.0/16, and so does every value read from it",
                pip.address, pip.address
            ));
        }
    }

    /// A firewall's or NIC's private address that Azure assigns at
    /// deployment, read by `inst`: a marker the Azure reader fills in with
    /// the address it gives that resource (and reports). The first IP
    /// configuration's: a computed attribute does not say which.
    fn computed_address(&self, inst: &Instance, v: Option<&V>) -> Option<Value> {
        let Some(V::Unknown(u)) = v else {
            return None;
        };
        // Only the address itself (`.private_ip_address`, of the NIC or of
        // the firewall's `ip_configuration[0]`), not any other computed
        // attribute of the same resource (`private_ip_addresses[1]`). A plan
        // does not say which attribute was read, only that the value comes
        // after apply from that resource: taken as its address.
        // A NIC's `private_ip_addresses[k]` is configuration k's address.
        let configuration = match u.attribute.as_deref() {
            None | Some("private_ip_address") => 0,
            Some(a) => a
                .strip_prefix("private_ip_addresses[")?
                .strip_suffix(']')?
                .parse::<usize>()
                .ok()?,
        };
        let f = self
            .insts
            .get(self.find(u.target.as_deref()?, &inst.address)?)?;
        if !matches!(
            f.ty.as_str(),
            "azurerm_firewall" | "azurerm_network_interface"
        ) || (configuration > 0 && f.ty != "azurerm_network_interface")
        {
            return None;
        }
        Some(azure::address_of(&id_of(f)?, configuration, &f.address))
    }

    /// The instance an address names; for a resource with count or for_each,
    /// the one with the referring instance's index, or the only one.
    fn find(&self, target: &str, from: &str) -> Option<usize> {
        if let Some(i) = self.by_addr.get(target) {
            return Some(*i);
        }
        let prefix = format!("{target}[");
        let matches: Vec<usize> = self
            .insts
            .iter()
            .enumerate()
            .filter(|(_, x)| x.address.starts_with(&prefix))
            .map(|(i, _)| i)
            .collect();
        if let Some(k) = from.rfind('[').and_then(|p| from.get(p..)) {
            let want = format!("{target}{k}");
            if let Some(i) = self.by_addr.get(want.as_str()) {
                return Some(*i);
            }
        }
        match matches.as_slice() {
            [one] => Some(*one),
            _ => None,
        }
    }

    fn location(&mut self, inst: &Instance) -> Option<String> {
        let l = st(&inst.values, "location")?;
        if self.placeholders.contains(&l) {
            let note = format!(
                "the location placeholder '{l}' is not a region; {DEFAULT_LOCATION} is used"
            );
            if !self.report.assumptions.contains(&note) {
                self.report.assumptions.push(note);
            }
            return Some(String::from(DEFAULT_LOCATION));
        }
        Some(l)
    }

    fn push(&mut self, inst: &Instance, value: Value) -> usize {
        let k = self.items.len();
        if let Some(key) = value
            .get("id")
            .and_then(Value::as_str)
            .and_then(azure::id_key)
        {
            self.by_key.entry(key).or_insert(k);
        }
        self.at(inst, inst.address.clone(), "");
        self.items.push((value, inst.address.clone()));
        k
    }

    fn resource(&mut self, inst: &Instance) {
        let ty = inst.ty.as_str();
        let v = &inst.values;
        if QUIET.contains(&ty) {
            self.report.skip(
                inst.address.clone(),
                "a resource group holds resources; it is not part of the network",
            );
            return;
        }
        if let Some((_, why)) = NOT_READ.iter().find(|(t, _)| *t == ty) {
            self.report.skip(inst.address.clone(), *why);
            return;
        }
        let known = [
            "azurerm_virtual_network",
            "azurerm_subnet",
            "azurerm_network_security_group",
            "azurerm_network_security_rule",
            "azurerm_application_security_group",
            "azurerm_route_table",
            "azurerm_route",
            "azurerm_public_ip",
            "azurerm_network_interface",
            "azurerm_virtual_network_peering",
            "azurerm_firewall",
            "azurerm_firewall_policy",
            "azurerm_firewall_policy_rule_collection_group",
            "azurerm_lb",
            "azurerm_private_endpoint",
        ];
        let service = SERVICE_TYPES
            .iter()
            .find(|(t, _)| *t == ty)
            .map(|(_, a)| *a);
        if !known.contains(&ty)
            && !VM_TYPES.contains(&ty)
            && !SCALE_SET_TYPES.contains(&ty)
            && service.is_none()
        {
            let why = if ty.starts_with("azurerm_") {
                format!("{ty} is not part of what the playground models")
            } else {
                format!("{ty} is not an Azure network resource")
            };
            self.report.skip(inst.address.clone(), why);
            return;
        }
        if st(v, "name").is_none() {
            let why = match v.get("name") {
                Some(V::Unknown(u)) => format!("its name is not known ({})", u.why),
                _ => String::from("it has no name"),
            };
            self.report.skip(inst.address.clone(), why);
            return;
        }
        let Some(id) = id_of(inst) else {
            self.report.skip(
                inst.address.clone(),
                "its resource group or parent is not known, so its Azure id cannot be made",
            );
            return;
        };
        let root = inst.address.clone();
        let name = st(v, "name").unwrap_or_default();
        let location = self.location(inst);
        let mut props = Map::new();
        let mut top = Map::new();
        match ty {
            "azurerm_virtual_network" => {
                top.insert("type".into(), "Microsoft.Network/virtualNetworks".into());
                props.insert(
                    "addressSpace".into(),
                    json!({ "addressPrefixes": strs(v, "address_space") }),
                );
                self.at(
                    inst,
                    format!("{root}.properties.addressSpace"),
                    "address_space",
                );
                let mut subnets = Vec::new();
                let rg = st(v, "resource_group_name")
                    .unwrap_or_default()
                    .to_ascii_lowercase();
                let inline: Vec<&V> = blocks(v, "subnet")
                    .into_iter()
                    .filter(|s| {
                        let key = (
                            rg.clone(),
                            name.to_ascii_lowercase(),
                            st(s, "name").unwrap_or_default().to_ascii_lowercase(),
                        );
                        !self.separate_subnets.contains(&key)
                    })
                    .collect();
                for (k, s) in inline.into_iter().enumerate() {
                    let mut p = Map::new();
                    let mut prefixes = strs(s, "address_prefixes");
                    if prefixes.is_empty() {
                        prefixes = strs(s, "address_prefix");
                    }
                    p.insert("addressPrefixes".into(), json!(prefixes));
                    // The inline block takes the same settings as azurerm_subnet.
                    subnet_settings(s, &mut p);
                    if let Some(r) = reference(self.refer(
                        inst,
                        &format!("subnet[{k}].security_group"),
                        s.get("security_group"),
                    )) {
                        p.insert("networkSecurityGroup".into(), r);
                    }
                    if let Some(r) = reference(self.refer(
                        inst,
                        &format!("subnet[{k}].route_table_id"),
                        s.get("route_table_id"),
                    )) {
                        p.insert("routeTable".into(), r);
                    }
                    let sname = st(s, "name").unwrap_or_default();
                    self.at(
                        inst,
                        format!("{root}.properties.subnets[{k}]"),
                        &format!("subnet[{k}]"),
                    );
                    self.subnets.insert(
                        id_key(&format!("{id}/subnets/{sname}")),
                        SubnetAt::Inline(self.items.len(), k),
                    );
                    subnets.push(json!({ "name": sname, "properties": Value::Object(p) }));
                }
                if !subnets.is_empty() {
                    props.insert("subnets".into(), Value::Array(subnets));
                }
            }
            "azurerm_subnet" => {
                top.insert(
                    "type".into(),
                    "Microsoft.Network/virtualNetworks/subnets".into(),
                );
                let mut prefixes = strs(v, "address_prefixes");
                let mut attr = "address_prefixes";
                if prefixes.is_empty() {
                    prefixes = strs(v, "address_prefix");
                    attr = "address_prefix";
                }
                props.insert("addressPrefixes".into(), json!(prefixes));
                self.at(inst, format!("{root}.properties.addressPrefixes"), attr);
                subnet_settings(v, &mut props);
                // azurerm 2.x wrote the associations on the subnet itself.
                if let Some(r) = reference(self.refer(
                    inst,
                    "network_security_group_id",
                    v.get("network_security_group_id"),
                )) {
                    props.insert("networkSecurityGroup".into(), r);
                }
                if let Some(r) =
                    reference(self.refer(inst, "route_table_id", v.get("route_table_id")))
                {
                    props.insert("routeTable".into(), r);
                }
                self.subnets
                    .insert(id_key(&id), SubnetAt::Own(self.items.len()));
            }
            "azurerm_network_security_group" => {
                top.insert(
                    "type".into(),
                    "Microsoft.Network/networkSecurityGroups".into(),
                );
                let mut rules = Vec::new();
                for (k, r) in blocks(v, "security_rule").into_iter().enumerate() {
                    let attr = format!("security_rule[{k}]");
                    let j = rules.len();
                    let Some(p) = self.rule_props(
                        inst,
                        r,
                        &attr,
                        &format!("{root}.properties.securityRules[{j}].properties"),
                    ) else {
                        continue;
                    };
                    self.at(inst, format!("{root}.properties.securityRules[{j}]"), &attr);
                    rules.push(json!({ "name": st(r, "name").unwrap_or_default(), "properties": Value::Object(p) }));
                }
                props.insert("securityRules".into(), Value::Array(rules));
            }
            "azurerm_network_security_rule" => {
                top.insert(
                    "type".into(),
                    "Microsoft.Network/networkSecurityGroups/securityRules".into(),
                );
                match self.rule_props(inst, v, "", &format!("{root}.properties")) {
                    Some(p) => props = p,
                    None => return,
                }
            }
            "azurerm_application_security_group" => {
                top.insert(
                    "type".into(),
                    "Microsoft.Network/applicationSecurityGroups".into(),
                );
            }
            "azurerm_route_table" => {
                top.insert("type".into(), "Microsoft.Network/routeTables".into());
                let mut routes = Vec::new();
                for (k, r) in blocks(v, "route").into_iter().enumerate() {
                    self.at(
                        inst,
                        format!("{root}.properties.routes[{k}]"),
                        &format!("route[{k}]"),
                    );
                    let props = self.route_props(inst, r);
                    routes.push(
                        json!({ "name": st(r, "name").unwrap_or_default(), "properties": props }),
                    );
                }
                props.insert("routes".into(), Value::Array(routes));
                let disabled = match (
                    boolean(v, "disable_bgp_route_propagation"),
                    boolean(v, "bgp_route_propagation_enabled"),
                ) {
                    (Some(d), _) => d,
                    (None, Some(e)) => !e,
                    _ => false,
                };
                props.insert("disableBgpRoutePropagation".into(), disabled.into());
            }
            "azurerm_route" => {
                top.insert("type".into(), "Microsoft.Network/routeTables/routes".into());
                if let Value::Object(p) = self.route_props(inst, v) {
                    props = p;
                }
            }
            "azurerm_public_ip" => {
                top.insert("type".into(), "Microsoft.Network/publicIPAddresses".into());
                if let Some(s) = st(v, "sku") {
                    top.insert("sku".into(), json!({ "name": s }));
                }
                let tagged = v
                    .get("tags")
                    .and_then(|t| st(t, crate::export_tf::ADDRESS_TAG));
                if let Some(ip) = st(v, "ip_address").or(tagged) {
                    props.insert("ipAddress".into(), ip.into());
                    self.at(inst, format!("{root}.properties.ipAddress"), "ip_address");
                }
                if let Some(m) = st(v, "allocation_method") {
                    props.insert("publicIPAllocationMethod".into(), m.into());
                }
                let zones = strs(v, "zones");
                if !zones.is_empty() {
                    top.insert("zones".into(), json!(zones));
                }
            }
            "azurerm_network_interface" => {
                top.insert("type".into(), "Microsoft.Network/networkInterfaces".into());
                let forwarding =
                    boolean(v, "ip_forwarding_enabled").or(boolean(v, "enable_ip_forwarding"));
                if let Some(f) = forwarding {
                    props.insert("enableIPForwarding".into(), f.into());
                }
                let mut cfgs = Vec::new();
                for (k, c) in blocks(v, "ip_configuration").into_iter().enumerate() {
                    let attr = format!("ip_configuration[{k}]");
                    let base = format!("{root}.properties.ipConfigurations[{k}]");
                    let mut p = Map::new();
                    if let Some(r) = reference(self.refer(
                        inst,
                        &format!("{attr}.subnet_id"),
                        c.get("subnet_id"),
                    )) {
                        p.insert("subnet".into(), r);
                        self.at(
                            inst,
                            format!("{base}.properties.subnet"),
                            &format!("{attr}.subnet_id"),
                        );
                    }
                    if let Some(ip) = st(c, "private_ip_address") {
                        p.insert("privateIPAddress".into(), ip.into());
                        self.at(
                            inst,
                            format!("{base}.properties.privateIPAddress"),
                            &format!("{attr}.private_ip_address"),
                        );
                    }
                    if let Some(m) = st(c, "private_ip_address_allocation") {
                        p.insert("privateIPAllocationMethod".into(), m.into());
                    }
                    if let Some(r) = reference(self.refer(
                        inst,
                        &format!("{attr}.public_ip_address_id"),
                        c.get("public_ip_address_id"),
                    )) {
                        p.insert("publicIPAddress".into(), r);
                    }
                    if let Some(b) = boolean(c, "primary") {
                        p.insert("primary".into(), b.into());
                    }
                    let asgs: Vec<Value> = strs(c, "application_security_group_ids")
                        .into_iter()
                        .map(|a| json!({ "id": a }))
                        .collect();
                    if !asgs.is_empty() {
                        p.insert("applicationSecurityGroups".into(), Value::Array(asgs));
                    }
                    self.at(inst, base, &attr);
                    cfgs.push(json!({ "name": st(c, "name").unwrap_or_else(|| format!("ipconfig{}", k + 1)), "properties": Value::Object(p) }));
                }
                props.insert("ipConfigurations".into(), Value::Array(cfgs));
            }
            t if SCALE_SET_TYPES.contains(&t) => {
                top.insert(
                    "type".into(),
                    "Microsoft.Compute/virtualMachineScaleSets".into(),
                );
                let mut sku = Map::new();
                // `instances` (the current resources), `sku.capacity` (the
                // legacy one); a flexible set without either has none.
                let capacity = number(v, "instances")
                    .or_else(|| blocks(v, "sku").first().and_then(|b| number(b, "capacity")));
                if let Some(c) = capacity {
                    sku.insert("capacity".into(), c);
                }
                top.insert("sku".into(), Value::Object(sku));
                let nic_blocks: Vec<&V> = if t == "azurerm_virtual_machine_scale_set" {
                    blocks(v, "network_profile")
                } else {
                    blocks(v, "network_interface")
                };
                let mut configs = Vec::new();
                for (k, n) in nic_blocks.into_iter().enumerate() {
                    let nattr = format!(
                        "{}[{k}]",
                        if t == "azurerm_virtual_machine_scale_set" {
                            "network_profile"
                        } else {
                            "network_interface"
                        }
                    );
                    let mut np = Map::new();
                    if let Some(b) = boolean(n, "primary") {
                        np.insert("primary".into(), b.into());
                    }
                    let forwarding = boolean(n, "ip_forwarding_enabled")
                        .or(boolean(n, "enable_ip_forwarding"))
                        .or(boolean(n, "ip_forwarding"));
                    if let Some(f) = forwarding {
                        np.insert("enableIPForwarding".into(), f.into());
                    }
                    if let Some(r) = reference(self.refer(
                        inst,
                        &format!("{nattr}.network_security_group_id"),
                        n.get("network_security_group_id"),
                    )) {
                        np.insert("networkSecurityGroup".into(), r);
                    }
                    let mut ips = Vec::new();
                    for (j, c) in blocks(n, "ip_configuration").into_iter().enumerate() {
                        let attr = format!("{nattr}.ip_configuration[{j}]");
                        let mut p = Map::new();
                        if let Some(r) = reference(self.refer(
                            inst,
                            &format!("{attr}.subnet_id"),
                            c.get("subnet_id"),
                        )) {
                            p.insert("subnet".into(), r);
                        }
                        if let Some(b) = boolean(c, "primary") {
                            p.insert("primary".into(), b.into());
                        }
                        for (tf, arm) in [
                            (
                                "load_balancer_backend_address_pool_ids",
                                "loadBalancerBackendAddressPools",
                            ),
                            (
                                "load_balancer_inbound_nat_rules_ids",
                                "loadBalancerInboundNatPools",
                            ),
                            (
                                "application_security_group_ids",
                                "applicationSecurityGroups",
                            ),
                        ] {
                            let ids: Vec<Value> = self
                                .ref_list(inst, &format!("{attr}.{tf}"), c.get(tf))
                                .into_iter()
                                .map(|id| json!({ "id": id }))
                                .collect();
                            if !ids.is_empty() {
                                p.insert(arm.into(), Value::Array(ids));
                            }
                        }
                        if !blocks(c, "public_ip_address").is_empty() {
                            p.insert("publicIPAddressConfiguration".into(), json!({}));
                        }
                        ips.push(json!({
                            "name": st(c, "name").unwrap_or_else(|| format!("ipconfig{}", j + 1)),
                            "properties": Value::Object(p),
                        }));
                    }
                    np.insert("ipConfigurations".into(), Value::Array(ips));
                    configs.push(json!({
                        "name": st(n, "name").unwrap_or_else(|| format!("nic{}", k + 1)),
                        "properties": Value::Object(np),
                    }));
                }
                props.insert(
                    "virtualMachineProfile".into(),
                    json!({ "networkProfile": { "networkInterfaceConfigurations": configs } }),
                );
            }
            "azurerm_virtual_network_peering" => {
                top.insert(
                    "type".into(),
                    "Microsoft.Network/virtualNetworks/virtualNetworkPeerings".into(),
                );
                if let Some(r) = reference(self.refer(
                    inst,
                    "remote_virtual_network_id",
                    v.get("remote_virtual_network_id"),
                )) {
                    props.insert("remoteVirtualNetwork".into(), r);
                    self.at(
                        inst,
                        format!("{root}.properties.remoteVirtualNetwork"),
                        "remote_virtual_network_id",
                    );
                }
                for (tf, arm, default) in [
                    (
                        "allow_virtual_network_access",
                        "allowVirtualNetworkAccess",
                        true,
                    ),
                    ("allow_forwarded_traffic", "allowForwardedTraffic", false),
                    ("allow_gateway_transit", "allowGatewayTransit", false),
                    ("use_remote_gateways", "useRemoteGateways", false),
                ] {
                    props.insert(arm.into(), boolean(v, tf).unwrap_or(default).into());
                }
                if let Some(b) = boolean(v, "peer_complete_virtual_networks_enabled") {
                    props.insert("peerCompleteVnets".into(), b.into());
                }
            }
            "azurerm_firewall" => {
                top.insert("type".into(), "Microsoft.Network/azureFirewalls".into());
                let sku = st(v, "sku_name").unwrap_or_else(|| String::from("AZFW_VNet"));
                let mut sku_obj = json!({ "name": sku });
                if let (Some(t), Value::Object(o)) = (st(v, "sku_tier"), &mut sku_obj) {
                    o.insert("tier".into(), t.into());
                }
                props.insert("sku".into(), sku_obj.clone());
                top.insert("sku".into(), sku_obj);
                let mut cfgs = Vec::new();
                for (k, c) in blocks(v, "ip_configuration").into_iter().enumerate() {
                    let attr = format!("ip_configuration[{k}]");
                    let mut p = Map::new();
                    if let Some(r) = reference(self.refer(
                        inst,
                        &format!("{attr}.subnet_id"),
                        c.get("subnet_id"),
                    )) {
                        p.insert("subnet".into(), r);
                    }
                    if let Some(r) = reference(self.refer(
                        inst,
                        &format!("{attr}.public_ip_address_id"),
                        c.get("public_ip_address_id"),
                    )) {
                        p.insert("publicIPAddress".into(), r);
                    }
                    // Computed by Azure: a state has it; an exported
                    // configuration carries it in a tag.
                    let tagged = (k == 0)
                        .then(|| {
                            v.get("tags")
                                .and_then(|t| st(t, crate::export_tf::FIREWALL_ADDRESS_TAG))
                        })
                        .flatten();
                    if let Some(ip) = st(c, "private_ip_address").or(tagged) {
                        p.insert("privateIPAddress".into(), ip.into());
                    }
                    self.at(
                        inst,
                        format!("{root}.properties.ipConfigurations[{k}]"),
                        &attr,
                    );
                    cfgs.push(json!({ "name": st(c, "name").unwrap_or_else(|| format!("ipconfig{}", k + 1)), "properties": Value::Object(p) }));
                }
                props.insert("ipConfigurations".into(), Value::Array(cfgs));
                if let Some(r) =
                    reference(self.refer(inst, "firewall_policy_id", v.get("firewall_policy_id")))
                {
                    props.insert("firewallPolicy".into(), r);
                }
                if let Some(m) = st(v, "threat_intel_mode") {
                    props.insert("threatIntelMode".into(), m.into());
                }
            }
            "azurerm_firewall_policy" => {
                top.insert("type".into(), "Microsoft.Network/firewallPolicies".into());
                if let Some(r) =
                    reference(self.refer(inst, "base_policy_id", v.get("base_policy_id")))
                {
                    props.insert("basePolicy".into(), r);
                }
                if let Some(m) = st(v, "threat_intelligence_mode") {
                    props.insert("threatIntelMode".into(), m.into());
                }
            }
            "azurerm_firewall_policy_rule_collection_group" => {
                top.insert(
                    "type".into(),
                    "Microsoft.Network/firewallPolicies/ruleCollectionGroups".into(),
                );
                if let Some(p) = number(v, "priority") {
                    props.insert("priority".into(), p);
                }
                self.at(inst, format!("{root}.properties.priority"), "priority");
                props.insert(
                    "ruleCollections".into(),
                    Value::Array(self.policy_collections(inst)),
                );
            }
            "azurerm_lb" => {
                top.insert("type".into(), "Microsoft.Network/loadBalancers".into());
                // azurerm's default SKU is Basic.
                let sku = st(v, "sku").unwrap_or_else(|| String::from("Basic"));
                top.insert("sku".into(), json!({ "name": sku }));
                let mut fes = Vec::new();
                for (k, f) in blocks(v, "frontend_ip_configuration")
                    .into_iter()
                    .enumerate()
                {
                    let attr = format!("frontend_ip_configuration[{k}]");
                    let mut p = Map::new();
                    for (tf, arm) in [
                        ("public_ip_address_id", "publicIPAddress"),
                        ("subnet_id", "subnet"),
                    ] {
                        if let Some(r) =
                            reference(self.refer(inst, &format!("{attr}.{tf}"), f.get(tf)))
                        {
                            p.insert(arm.into(), r);
                        }
                    }
                    if let Some(ip) = st(f, "private_ip_address") {
                        p.insert("privateIPAddress".into(), ip.into());
                    }
                    self.at(
                        inst,
                        format!("{root}.properties.frontendIPConfigurations[{k}]"),
                        &attr,
                    );
                    fes.push(json!({ "name": st(f, "name").unwrap_or_default(), "properties": Value::Object(p) }));
                }
                props.insert("frontendIPConfigurations".into(), Value::Array(fes));
            }
            "azurerm_private_endpoint" => {
                top.insert("type".into(), "Microsoft.Network/privateEndpoints".into());
                if let Some(r) = reference(self.refer(inst, "subnet_id", v.get("subnet_id"))) {
                    props.insert("subnet".into(), r);
                    self.at(inst, format!("{root}.properties.subnet"), "subnet_id");
                }
                let mut auto = Vec::new();
                let mut manual = Vec::new();
                let mut cfgs = Vec::new();
                for (k, c) in blocks(v, "private_service_connection")
                    .into_iter()
                    .enumerate()
                {
                    let attr = format!("private_service_connection[{k}]");
                    let target = self.refer(
                        inst,
                        &format!("{attr}.private_connection_resource_id"),
                        c.get("private_connection_resource_id"),
                    );
                    let conn = json!({
                        "name": st(c, "name").unwrap_or_default(),
                        "properties": {
                            "privateLinkServiceId": target,
                            "groupIds": strs(c, "subresource_names"),
                        }
                    });
                    if boolean(c, "is_manual_connection") == Some(true) {
                        manual.push(conn);
                    } else {
                        auto.push(conn);
                    }
                    // A state records the address Azure gave.
                    if let Some(ip) = st(c, "private_ip_address") {
                        cfgs.push(json!({ "name": format!("ipconfig{}", k + 1), "properties": { "privateIPAddress": ip } }));
                    }
                }
                let given: Vec<Value> = blocks(v, "ip_configuration")
                    .into_iter()
                    .map(|c| {
                        json!({
                            "name": st(c, "name").unwrap_or_default(),
                            "properties": {
                                "privateIPAddress": st(c, "private_ip_address"),
                                "groupId": st(c, "subresource_name"),
                                "memberName": st(c, "member_name"),
                            }
                        })
                    })
                    .collect();
                if !given.is_empty() {
                    cfgs = given;
                    self.at(
                        inst,
                        format!("{root}.properties.ipConfigurations"),
                        "ip_configuration",
                    );
                    // Where the reader reports a wrong address.
                    self.at(
                        inst,
                        format!("{root}.properties.privateIpAddress"),
                        "ip_configuration[0].private_ip_address",
                    );
                }
                props.insert("privateLinkServiceConnections".into(), Value::Array(auto));
                props.insert(
                    "manualPrivateLinkServiceConnections".into(),
                    Value::Array(manual),
                );
                props.insert("ipConfigurations".into(), Value::Array(cfgs));
            }
            _ if service.is_some() => {
                top.insert("type".into(), service.unwrap_or_default().into());
                if let Some(t) = v.get("tags") {
                    top.insert("tags".into(), t.to_json());
                }
                self.service_props(inst, &root, &mut props);
            }
            _ => {
                // Virtual machines.
                top.insert("type".into(), "Microsoft.Compute/virtualMachines".into());
                let ids: Vec<String> = match v.get("network_interface_ids") {
                    Some(V::List(l)) => l
                        .iter()
                        .enumerate()
                        .filter_map(|(k, x)| {
                            self.refer(inst, &format!("network_interface_ids[{k}]"), Some(x))
                        })
                        .collect(),
                    other => self
                        .refer(inst, "network_interface_ids", other)
                        .into_iter()
                        .collect(),
                };
                let primary = self.refer(
                    inst,
                    "primary_network_interface_id",
                    v.get("primary_network_interface_id"),
                );
                let nics: Vec<Value> = ids
                    .iter()
                    .enumerate()
                    .map(|(k, id)| {
                        let p = match &primary {
                            Some(pid) => pid.eq_ignore_ascii_case(id),
                            None => k == 0,
                        };
                        json!({ "id": id, "properties": { "primary": p } })
                    })
                    .collect();
                props.insert(
                    "networkProfile".into(),
                    json!({ "networkInterfaces": nics }),
                );
                self.at(
                    inst,
                    format!("{root}.properties.networkProfile"),
                    "network_interface_ids",
                );
                let mut zones = strs(v, "zones");
                if let Some(z) = st(v, "zone") {
                    zones.push(z);
                }
                if !zones.is_empty() {
                    top.insert("zones".into(), json!(zones));
                }
            }
        }
        top.insert("id".into(), id.into());
        top.insert("name".into(), name.into());
        if let Some(l) = location {
            top.insert("location".into(), l.into());
        }
        top.insert("properties".into(), Value::Object(props));
        self.push(inst, Value::Object(top));
    }

    /// A security rule's properties; `None` (and a report line) when an ASG it
    /// names is not known, as in a plan where Terraform leaves the reference out.
    fn rule_props(
        &mut self,
        inst: &Instance,
        r: &V,
        attr: &str,
        base: &str,
    ) -> Option<Map<String, Value>> {
        let a = |k: &str| {
            if attr.is_empty() {
                k.to_string()
            } else {
                format!("{attr}.{k}")
            }
        };
        let mut p = Map::new();
        for (tf, arm) in [
            ("description", "description"),
            ("protocol", "protocol"),
            ("access", "access"),
            ("direction", "direction"),
            ("source_port_range", "sourcePortRange"),
            ("destination_port_range", "destinationPortRange"),
            ("source_address_prefix", "sourceAddressPrefix"),
            ("destination_address_prefix", "destinationAddressPrefix"),
        ] {
            if let Some(x) = st(r, tf) {
                p.insert(arm.into(), x.into());
                self.at(inst, format!("{base}.{arm}"), &a(tf));
            } else if let Some(m) = self.computed_address(inst, r.get(tf)) {
                // A NIC's or firewall's dynamic address as the prefix.
                p.insert(arm.into(), m);
                self.at(inst, format!("{base}.{arm}"), &a(tf));
            }
        }
        if let Some(n) = number(r, "priority") {
            p.insert("priority".into(), n);
        }
        self.at(inst, format!("{base}.priority"), &a("priority"));
        for (tf, arm) in [
            ("source_port_ranges", "sourcePortRanges"),
            ("destination_port_ranges", "destinationPortRanges"),
            ("source_address_prefixes", "sourceAddressPrefixes"),
            ("destination_address_prefixes", "destinationAddressPrefixes"),
        ] {
            let list = strs(r, tf);
            if !list.is_empty() {
                p.insert(arm.into(), json!(list));
                self.at(inst, format!("{base}.{arm}"), &a(tf));
            }
        }
        for (tf, arm) in [
            (
                "source_application_security_group_ids",
                "sourceApplicationSecurityGroups",
            ),
            (
                "destination_application_security_group_ids",
                "destinationApplicationSecurityGroups",
            ),
        ] {
            let items: Vec<&V> = match r.get(tf) {
                Some(V::List(l)) => l.iter().collect(),
                Some(x) => vec![x],
                None => Vec::new(),
            };
            let mut ids = Vec::new();
            for (k, x) in items.into_iter().enumerate() {
                match self.refer(inst, &a(&format!("{tf}[{k}]")), Some(x)) {
                    Some(id) => ids.push(json!({ "id": id })),
                    None if x.is_unknown() => {
                        let name = st(r, "name").unwrap_or_default();
                        self.report.skip(
                            format!("{} security rule {name}", inst.address),
                            format!("its {tf} are not known (a plan leaves out references inside dynamic blocks and rule blocks); load the .tf source or the state instead"),
                        );
                        return None;
                    }
                    None => {}
                }
            }
            if !ids.is_empty() {
                p.insert(arm.into(), Value::Array(ids));
                self.at(inst, format!("{base}.{arm}"), &a(tf));
            }
        }
        Some(p)
    }

    fn policy_collections(&mut self, inst: &Instance) -> Vec<Value> {
        let v = &inst.values;
        let mut out = Vec::new();
        for (block, kind, rule_type) in [
            (
                "nat_rule_collection",
                "FirewallPolicyNatRuleCollection",
                "NatRule",
            ),
            (
                "network_rule_collection",
                "FirewallPolicyFilterRuleCollection",
                "NetworkRule",
            ),
            (
                "application_rule_collection",
                "FirewallPolicyFilterRuleCollection",
                "ApplicationRule",
            ),
        ] {
            for (k, c) in blocks(v, block).into_iter().enumerate() {
                let base = format!("{}.properties.ruleCollections[{}]", inst.address, out.len());
                self.at(
                    inst,
                    format!("{base}.priority"),
                    &format!("{block}[{k}].priority"),
                );
                self.at(inst, base, &format!("{block}[{k}]"));
                let mut rules = Vec::new();
                for r in blocks(c, "rule") {
                    let mut p = Map::new();
                    p.insert("ruleType".into(), rule_type.into());
                    p.insert("name".into(), st(r, "name").unwrap_or_default().into());
                    p.insert("sourceAddresses".into(), json!(strs(r, "source_addresses")));
                    match rule_type {
                        "ApplicationRule" => {
                            let protocols: Vec<Value> = blocks(r, "protocols")
                                .into_iter()
                                .map(|x| json!({ "protocolType": st(x, "type").unwrap_or_default(), "port": number(x, "port").unwrap_or(Value::Null) }))
                                .collect();
                            p.insert("protocols".into(), Value::Array(protocols));
                            p.insert("targetFqdns".into(), json!(strs(r, "destination_fqdns")));
                            let tags = strs(r, "destination_fqdn_tags");
                            if !tags.is_empty() {
                                p.insert("fqdnTags".into(), json!(tags));
                            }
                        }
                        _ => {
                            p.insert("ipProtocols".into(), json!(strs(r, "protocols")));
                            let mut dests = self.addresses(inst, r, "destination_addresses");
                            dests.extend(self.addresses(inst, r, "destination_address"));
                            p.insert("destinationAddresses".into(), json!(dests));
                            p.insert(
                                "destinationPorts".into(),
                                json!(strs(r, "destination_ports")),
                            );
                            p.insert(
                                "destinationFqdns".into(),
                                json!(strs(r, "destination_fqdns")),
                            );
                            if let Some(t) = st(r, "translated_address") {
                                p.insert("translatedAddress".into(), t.into());
                            }
                            if let Some(t) = st(r, "translated_port") {
                                p.insert("translatedPort".into(), t.into());
                            }
                        }
                    }
                    rules.push(Value::Object(p));
                }
                out.push(json!({
                    "name": st(c, "name").unwrap_or_default(),
                    "priority": number(c, "priority").unwrap_or(Value::Null),
                    "ruleCollectionType": kind,
                    "action": { "type": st(c, "action").unwrap_or_default() },
                    "rules": rules,
                }));
            }
        }
        out
    }

    // ---- Associations ---------------------------------------------------------

    fn association(&mut self, inst: &Instance) {
        let v = &inst.values;
        let ty = inst.ty.as_str();
        match ty {
            "azurerm_subnet_network_security_group_association"
            | "azurerm_subnet_route_table_association" => {
                let (key, attr) = if ty.contains("security_group") {
                    ("networkSecurityGroup", "network_security_group_id")
                } else {
                    ("routeTable", "route_table_id")
                };
                let subnet = self.refer(inst, "subnet_id", v.get("subnet_id"));
                let target = self.refer(inst, attr, v.get(attr));
                let (Some(subnet), Some(target)) = (subnet, target) else {
                    self.report.skip(
                        inst.address.clone(),
                        format!("its subnet_id or {attr} is not known"),
                    );
                    return;
                };
                let Some(at) = self.subnets.get(&id_key(&subnet)).copied() else {
                    self.report.skip(
                        inst.address.clone(),
                        "its subnet is not in the configuration",
                    );
                    return;
                };
                let path = match at {
                    SubnetAt::Own(k) => self
                        .items
                        .get(k)
                        .map(|(_, r)| format!("{r}.properties.{key}")),
                    SubnetAt::Inline(k, j) => self
                        .items
                        .get(k)
                        .map(|(_, r)| format!("{r}.properties.subnets[{j}].properties.{key}")),
                };
                let props = match at {
                    SubnetAt::Own(k) => self
                        .items
                        .get_mut(k)
                        .and_then(|(x, _)| x.get_mut("properties")),
                    SubnetAt::Inline(k, j) => self
                        .items
                        .get_mut(k)
                        .and_then(|(x, _)| x.get_mut("properties"))
                        .and_then(|p| p.get_mut("subnets"))
                        .and_then(|s| s.get_mut(j))
                        .and_then(|s| s.get_mut("properties")),
                };
                if let Some(Value::Object(p)) = props {
                    p.insert(key.into(), json!({ "id": target }));
                }
                if let Some(path) = path {
                    self.at(inst, path, attr);
                }
            }
            "azurerm_network_interface_security_group_association"
            | "azurerm_network_interface_application_security_group_association" => {
                let asg = ty.contains("application");
                let attr = if asg {
                    "application_security_group_id"
                } else {
                    "network_security_group_id"
                };
                let nic = self.refer(inst, "network_interface_id", v.get("network_interface_id"));
                let target = self.refer(inst, attr, v.get(attr));
                let (Some(nic), Some(target)) = (nic, target) else {
                    self.report.skip(
                        inst.address.clone(),
                        format!("its network_interface_id or {attr} is not known"),
                    );
                    return;
                };
                let Some(k) = self.by_key.get(&id_key(&nic)).copied() else {
                    self.report.skip(
                        inst.address.clone(),
                        "its network interface is not in the configuration",
                    );
                    return;
                };
                let root = self
                    .items
                    .get(k)
                    .map(|(_, r)| r.clone())
                    .unwrap_or_default();
                let Some(Value::Object(props)) = self
                    .items
                    .get_mut(k)
                    .and_then(|(x, _)| x.get_mut("properties"))
                else {
                    return;
                };
                if asg {
                    // The association puts the ASG on every IP configuration.
                    let mut n = 0;
                    if let Some(Value::Array(cfgs)) = props.get_mut("ipConfigurations") {
                        for c in cfgs.iter_mut() {
                            if let Some(Value::Object(cp)) = c.get_mut("properties") {
                                let list = cp
                                    .entry("applicationSecurityGroups")
                                    .or_insert_with(|| Value::Array(Vec::new()));
                                if let Value::Array(l) = list {
                                    l.push(json!({ "id": target }));
                                }
                                n += 1;
                            }
                        }
                    }
                    for j in 0..n {
                        self.at(inst, format!("{root}.properties.ipConfigurations[{j}].properties.applicationSecurityGroups"), attr);
                    }
                } else {
                    props.insert("networkSecurityGroup".into(), json!({ "id": target }));
                    self.at(
                        inst,
                        format!("{root}.properties.networkSecurityGroup"),
                        attr,
                    );
                }
            }
            "azurerm_lb_backend_address_pool"
            | "azurerm_lb_probe"
            | "azurerm_lb_rule"
            | "azurerm_lb_nat_rule"
            | "azurerm_lb_nat_pool"
            | "azurerm_lb_outbound_rule" => self.lb_child(inst),
            "azurerm_network_interface_backend_address_pool_association" => self
                .config_association(
                    inst,
                    "backend_address_pool_id",
                    "loadBalancerBackendAddressPools",
                ),
            "azurerm_network_interface_nat_rule_association" => {
                self.config_association(inst, "nat_rule_id", "loadBalancerInboundNatRules")
            }
            "azurerm_mssql_virtual_network_rule"
            | "azurerm_mssql_firewall_rule"
            | "azurerm_storage_account_network_rules" => self.service_rule(inst),
            _ => self.rule_collection(inst),
        }
    }

    /// The converted resource an attribute refers to: its index and path.
    fn target(&mut self, inst: &Instance, attr: &str, what: &str) -> Option<(usize, String)> {
        let Some(id) = self.refer(inst, attr, inst.values.get(attr)) else {
            self.report
                .skip(inst.address.clone(), format!("its {attr} is not known"));
            return None;
        };
        match self.by_key.get(&id_key(&id)).copied() {
            Some(k) => {
                let root = self
                    .items
                    .get(k)
                    .map(|(_, r)| r.clone())
                    .unwrap_or_default();
                Some((k, root))
            }
            None => {
                self.report.skip(
                    inst.address.clone(),
                    format!("its {what} is not in the configuration"),
                );
                None
            }
        }
    }

    /// The properties of the converted resource at `k`.
    fn props_of(&mut self, k: usize) -> Option<&mut Map<String, Value>> {
        match self
            .items
            .get_mut(k)
            .and_then(|(x, _)| x.get_mut("properties"))
        {
            Some(Value::Object(p)) => Some(p),
            _ => None,
        }
    }

    /// Appends to a list property of the resource at `k`; its index there.
    fn append(&mut self, k: usize, list: &str, value: Value) -> usize {
        let Some(props) = self.props_of(k) else {
            return 0;
        };
        match props
            .entry(list)
            .or_insert_with(|| Value::Array(Vec::new()))
        {
            Value::Array(l) => {
                l.push(value);
                l.len() - 1
            }
            _ => 0,
        }
    }

    /// A load balancer's pool, probe, rule or inbound NAT rule, or a NAT pool
    /// or outbound rule (which the reader reports as not modelled), added to
    /// the load balancer.
    fn lb_child(&mut self, inst: &Instance) {
        let v = &inst.values;
        let Some((k, root)) = self.target(inst, "loadbalancer_id", "load balancer") else {
            return;
        };
        let lb_id = self
            .refer(inst, "loadbalancer_id", v.get("loadbalancer_id"))
            .unwrap_or_default();
        let name = st(v, "name").unwrap_or_default();
        match inst.ty.as_str() {
            "azurerm_lb_backend_address_pool" => {
                let j = self.append(k, "backendAddressPools", json!({ "name": name }));
                self.at(
                    inst,
                    format!("{root}.properties.backendAddressPools[{j}]"),
                    "",
                );
            }
            "azurerm_lb_probe" => {
                let probe = json!({ "name": name, "properties": {
                    "protocol": st(v, "protocol").unwrap_or_else(|| String::from("Tcp")),
                    "port": number(v, "port"),
                } });
                let j = self.append(k, "probes", probe);
                let base = format!("{root}.properties.probes[{j}]");
                self.at(inst, format!("{base}.properties.port"), "port");
                self.at(inst, base, "");
            }
            "azurerm_lb_rule" => {
                let mut p = lb_child_props(v, &lb_id, &LB_RULE_PORTS);
                let pools: Vec<Value> = match v.get("backend_address_pool_ids") {
                    Some(V::List(l)) => l
                        .iter()
                        .enumerate()
                        .filter_map(|(n, x)| {
                            self.refer(inst, &format!("backend_address_pool_ids[{n}]"), Some(x))
                        })
                        .map(|id| json!({ "id": id }))
                        .collect(),
                    other => reference(self.refer(inst, "backend_address_pool_ids", other))
                        .into_iter()
                        .collect(),
                };
                p.insert("backendAddressPools".into(), Value::Array(pools));
                if let Some(r) = reference(self.refer(inst, "probe_id", v.get("probe_id"))) {
                    p.insert("probe".into(), r);
                }
                let j = self.append(
                    k,
                    "loadBalancingRules",
                    json!({ "name": name, "properties": Value::Object(p) }),
                );
                let base = format!("{root}.properties.loadBalancingRules[{j}]");
                // The reader reports a wrong port at the rule in the
                // scenario's shape (`rules[j].frontendPort`).
                let doc_base = format!("{root}.properties.rules[{j}]");
                for (tf, arm) in LB_RULE_PORTS {
                    self.at(inst, format!("{base}.properties.{arm}"), tf);
                    self.at(inst, format!("{doc_base}.{arm}"), tf);
                }
                self.at(inst, base, "");
                self.at(inst, doc_base, "");
            }
            "azurerm_lb_nat_rule" => {
                let mut p = lb_child_props(v, &lb_id, &NAT_RULE_PORTS);
                if let Some(r) = reference(self.refer(
                    inst,
                    "backend_address_pool_id",
                    v.get("backend_address_pool_id"),
                )) {
                    p.insert("backendAddressPool".into(), r);
                }
                let j = self.append(
                    k,
                    "inboundNatRules",
                    json!({ "name": name, "properties": Value::Object(p) }),
                );
                let base = format!("{root}.properties.inboundNatRules[{j}]");
                let doc_base = format!("{root}.properties.natRules[{j}]");
                for (tf, arm) in NAT_RULE_PORTS {
                    self.at(inst, format!("{base}.properties.{arm}"), tf);
                }
                self.at(inst, format!("{doc_base}.frontendPort"), "frontend_port");
                self.at(inst, format!("{doc_base}.backendPort"), "backend_port");
                self.at(
                    inst,
                    format!("{doc_base}.frontendPortEnd"),
                    "frontend_port_end",
                );
                self.at(inst, base, "");
                self.at(inst, doc_base, "");
            }
            "azurerm_lb_nat_pool" => {
                let p = lb_child_props(v, &lb_id, &NAT_POOL_PORTS);
                let j = self.append(
                    k,
                    "inboundNatPools",
                    json!({ "name": name, "properties": Value::Object(p) }),
                );
                let base = format!("{root}.properties.inboundNatPools[{j}]");
                for (tf, arm) in NAT_POOL_PORTS {
                    self.at(inst, format!("{base}.properties.{arm}"), tf);
                }
                self.at(inst, base, "");
            }
            _ => {
                self.append(k, "outboundRules", json!({ "name": name }));
            }
        }
    }

    /// A NIC configuration's membership of a backend pool, or its use of an
    /// inbound NAT rule: the id at `attr` added to the configuration's `list`.
    fn config_association(&mut self, inst: &Instance, attr: &str, list: &str) {
        let v = &inst.values;
        let Some(pool) = self.refer(inst, attr, v.get(attr)) else {
            self.report
                .skip(inst.address.clone(), format!("its {attr} is not known"));
            return;
        };
        let Some((k, root)) = self.target(inst, "network_interface_id", "network interface") else {
            return;
        };
        let cfg_name = st(v, "ip_configuration_name").unwrap_or_default();
        let Some(props) = self.props_of(k) else {
            return;
        };
        let Some(Value::Array(cfgs)) = props.get_mut("ipConfigurations") else {
            return;
        };
        let found = cfgs.iter_mut().enumerate().find(|(_, c)| {
            c.get("name")
                .and_then(Value::as_str)
                .is_some_and(|n| n.eq_ignore_ascii_case(&cfg_name))
        });
        let Some((j, cfg)) = found else {
            self.report.skip(
                inst.address.clone(),
                format!("its network interface has no IP configuration {cfg_name}"),
            );
            return;
        };
        if let Some(Value::Object(cp)) = cfg.get_mut("properties")
            && let Value::Array(l) = cp.entry(list).or_insert_with(|| Value::Array(Vec::new()))
        {
            l.push(json!({ "id": pool }));
        }
        self.at(
            inst,
            format!("{root}.properties.ipConfigurations[{j}].properties.{list}"),
            attr,
        );
    }

    /// A SQL server's virtual network or firewall rule, or a storage
    /// account's separate network rules, added to the service's `networkAcls`.
    fn service_rule(&mut self, inst: &Instance) {
        let v = &inst.values;
        let (attr, what) = if inst.ty == "azurerm_storage_account_network_rules" {
            ("storage_account_id", "storage account")
        } else {
            ("server_id", "SQL server")
        };
        let Some((k, root)) = self.target(inst, attr, what) else {
            return;
        };
        let acl = match inst.ty.as_str() {
            "azurerm_storage_account_network_rules" => {
                let subnets = self.ref_list(
                    inst,
                    "virtual_network_subnet_ids",
                    v.get("virtual_network_subnet_ids"),
                );
                network_acls(
                    is_deny(st(v, "default_action")),
                    subnets,
                    strs(v, "ip_rules"),
                )
            }
            "azurerm_mssql_virtual_network_rule" => {
                let Some(subnet) = self.refer(inst, "subnet_id", v.get("subnet_id")) else {
                    self.report
                        .skip(inst.address.clone(), "its subnet_id is not known");
                    return;
                };
                network_acls(true, vec![subnet], Vec::new())
            }
            _ => {
                let (Some(start), Some(end)) = (
                    st(v, "start_ip_address").and_then(|x| x.parse().ok()),
                    st(v, "end_ip_address").and_then(|x| x.parse().ok()),
                ) else {
                    self.report.skip(
                        inst.address.clone(),
                        "its start_ip_address or end_ip_address is not an IPv4 address",
                    );
                    return;
                };
                if start == std::net::Ipv4Addr::UNSPECIFIED && end == start {
                    self.report.skip(
                        inst.address.clone(),
                        "it lets Azure services in (0.0.0.0), which is not modelled",
                    );
                    return;
                }
                network_acls(true, Vec::new(), range_prefixes(start, end))
            }
        };
        let Some(props) = self.props_of(k) else {
            return;
        };
        let merged = match (props.remove("networkAcls"), acl) {
            (Some(Value::Object(mut old)), Value::Object(new))
                if inst.ty != "azurerm_storage_account_network_rules" =>
            {
                for key in ["virtualNetworkRules", "ipRules"] {
                    let extra = new
                        .get(key)
                        .and_then(Value::as_array)
                        .cloned()
                        .unwrap_or_default();
                    if let Value::Array(l) =
                        old.entry(key).or_insert_with(|| Value::Array(Vec::new()))
                    {
                        l.extend(extra);
                    }
                }
                old.insert("defaultAction".into(), "Deny".into());
                Value::Object(old)
            }
            (_, acl) => acl,
        };
        props.insert("networkAcls".into(), merged);
        self.at(inst, format!("{root}.properties.networkAcls"), "");
    }

    /// The ids a list attribute refers to.
    fn ref_list(&mut self, inst: &Instance, attr: &str, v: Option<&V>) -> Vec<String> {
        match v {
            Some(V::List(l)) => l
                .iter()
                .enumerate()
                .filter_map(|(n, x)| self.refer(inst, &format!("{attr}[{n}]"), Some(x)))
                .collect(),
            other => self.refer(inst, attr, other).into_iter().collect(),
        }
    }

    /// A PaaS service's public network access and network rules, from each
    /// resource's own arguments to the Azure reader's `networkAcls`.
    fn service_props(&mut self, inst: &Instance, root: &str, props: &mut Map<String, Value>) {
        let v = &inst.values;
        if boolean(v, "public_network_access_enabled") == Some(false) {
            props.insert("publicNetworkAccess".into(), "Disabled".into());
        }
        let first = |key: &str| blocks(v, key).into_iter().next();
        let sub_ids = |this: &mut Self, list: Vec<&V>, key: &str, attr: &str| -> Vec<String> {
            list.into_iter()
                .enumerate()
                .filter_map(|(n, b)| this.refer(inst, &format!("{attr}[{n}].{key}"), b.get(key)))
                .collect::<Vec<_>>()
        };
        let (attr, acl) = match inst.ty.as_str() {
            "azurerm_storage_account" | "azurerm_key_vault" => {
                let key = if inst.ty == "azurerm_key_vault" {
                    "network_acls"
                } else {
                    "network_rules"
                };
                let Some(b) = first(key) else { return };
                let attr = format!("{key}[0]");
                let subnets = self.ref_list(
                    inst,
                    &format!("{attr}.virtual_network_subnet_ids"),
                    b.get("virtual_network_subnet_ids"),
                );
                (
                    attr,
                    network_acls(
                        is_deny(st(b, "default_action")),
                        subnets,
                        strs(b, "ip_rules"),
                    ),
                )
            }
            "azurerm_cosmosdb_account" => {
                let subnets = sub_ids(
                    self,
                    blocks(v, "virtual_network_rule"),
                    "id",
                    "virtual_network_rule",
                );
                let ips: Vec<String> = strs(v, "ip_range_filter")
                    .iter()
                    .flat_map(|x| x.split(','))
                    .map(|x| x.trim().to_string())
                    .filter(|x| !x.is_empty())
                    .collect();
                let deny = boolean(v, "is_virtual_network_filter_enabled") == Some(true)
                    || !ips.is_empty();
                (
                    String::from("ip_range_filter"),
                    network_acls(deny, subnets, ips),
                )
            }
            "azurerm_container_registry" => {
                let Some(b) = first("network_rule_set") else {
                    return;
                };
                let ips = blocks(b, "ip_rule")
                    .into_iter()
                    .filter_map(|r| st(r, "ip_range"))
                    .collect();
                let subnets = sub_ids(
                    self,
                    blocks(b, "virtual_network"),
                    "subnet_id",
                    "network_rule_set[0].virtual_network",
                );
                (
                    String::from("network_rule_set[0]"),
                    network_acls(is_deny(st(b, "default_action")), subnets, ips),
                )
            }
            "azurerm_eventhub_namespace" => {
                let Some(b) = first("network_rulesets") else {
                    return;
                };
                let ips = blocks(b, "ip_rule")
                    .into_iter()
                    .filter_map(|r| st(r, "ip_mask"))
                    .collect();
                let subnets = sub_ids(
                    self,
                    blocks(b, "virtual_network_rule"),
                    "subnet_id",
                    "network_rulesets[0].virtual_network_rule",
                );
                (
                    String::from("network_rulesets[0]"),
                    network_acls(is_deny(st(b, "default_action")), subnets, ips),
                )
            }
            "azurerm_servicebus_namespace" => {
                let Some(b) = first("network_rule_set") else {
                    return;
                };
                let subnets = sub_ids(
                    self,
                    blocks(b, "network_rules"),
                    "subnet_id",
                    "network_rule_set[0].network_rules",
                );
                (
                    String::from("network_rule_set[0]"),
                    network_acls(
                        is_deny(st(b, "default_action")),
                        subnets,
                        strs(b, "ip_rules"),
                    ),
                )
            }
            "azurerm_linux_web_app" | "azurerm_windows_web_app" => {
                let Some(sc) = first("site_config") else {
                    return;
                };
                let allows: Vec<&V> = blocks(sc, "ip_restriction")
                    .into_iter()
                    .filter(|r| st(r, "action").is_none_or(|a| a.eq_ignore_ascii_case("Allow")))
                    .collect();
                let ips = allows.iter().filter_map(|r| st(r, "ip_address")).collect();
                let subnets = sub_ids(
                    self,
                    allows.clone(),
                    "virtual_network_subnet_id",
                    "site_config[0].ip_restriction",
                );
                // Any restriction denies what it does not allow.
                let deny = !allows.is_empty() || is_deny(st(sc, "ip_restriction_default_action"));
                (
                    String::from("site_config[0].ip_restriction"),
                    network_acls(deny, subnets, ips),
                )
            }
            _ => return,
        };
        props.insert("networkAcls".into(), acl);
        self.at(inst, format!("{root}.properties.networkAcls"), &attr);
        // Where the reader reports a wrong rule (its scenario field names).
        for field in ["allowedIpRanges", "allowedSubnets"] {
            self.at(inst, format!("{root}.properties.{field}"), &attr);
        }
    }

    /// A classic firewall rule collection, added to its firewall.
    fn rule_collection(&mut self, inst: &Instance) {
        let v = &inst.values;
        let (Some(fw), Some(rg)) = (st(v, "azure_firewall_name"), st(v, "resource_group_name"))
        else {
            self.report
                .skip(inst.address.clone(), "its firewall is not known");
            return;
        };
        let key = format!(
            "microsoft.network/azurefirewalls/{}",
            fw.to_ascii_lowercase()
        );
        let _ = rg;
        let Some(k) = self.by_key.get(&key).copied() else {
            self.report.skip(
                inst.address.clone(),
                format!("its firewall {fw} is not in the configuration"),
            );
            return;
        };
        let (list, kind) = match inst.ty.as_str() {
            "azurerm_firewall_network_rule_collection" => ("networkRuleCollections", "network"),
            "azurerm_firewall_nat_rule_collection" => ("natRuleCollections", "nat"),
            _ => ("applicationRuleCollections", "application"),
        };
        let mut rules = Vec::new();
        for r in blocks(v, "rule") {
            let mut p = Map::new();
            p.insert("name".into(), st(r, "name").unwrap_or_default().into());
            p.insert("sourceAddresses".into(), json!(strs(r, "source_addresses")));
            let groups = strs(r, "source_ip_groups");
            if !groups.is_empty() {
                p.insert("sourceIpGroups".into(), json!(groups));
            }
            match kind {
                "application" => {
                    let protocols: Vec<Value> = blocks(r, "protocol")
                        .into_iter()
                        .map(|x| json!({ "protocolType": st(x, "type").unwrap_or_default(), "port": number(x, "port").unwrap_or(Value::Null) }))
                        .collect();
                    p.insert("protocols".into(), Value::Array(protocols));
                    p.insert("targetFqdns".into(), json!(strs(r, "target_fqdns")));
                    let tags = strs(r, "fqdn_tags");
                    if !tags.is_empty() {
                        p.insert("fqdnTags".into(), json!(tags));
                    }
                }
                _ => {
                    p.insert("protocols".into(), json!(strs(r, "protocols")));
                    p.insert(
                        "destinationAddresses".into(),
                        json!(strs(r, "destination_addresses")),
                    );
                    p.insert(
                        "destinationPorts".into(),
                        json!(strs(r, "destination_ports")),
                    );
                    let fqdns = strs(r, "destination_fqdns");
                    if !fqdns.is_empty() {
                        p.insert("destinationFqdns".into(), json!(fqdns));
                    }
                    let dgroups = strs(r, "destination_ip_groups");
                    if !dgroups.is_empty() {
                        p.insert("destinationIpGroups".into(), json!(dgroups));
                    }
                    if let Some(t) = st(r, "translated_address") {
                        p.insert("translatedAddress".into(), t.into());
                    }
                    if let Some(t) = st(r, "translated_port") {
                        p.insert("translatedPort".into(), t.into());
                    }
                }
            }
            rules.push(Value::Object(p));
        }
        let action = st(v, "action").unwrap_or_default();
        let collection = json!({
            "name": st(v, "name").unwrap_or_default(),
            "properties": {
                "priority": number(v, "priority").unwrap_or(Value::Null),
                "action": { "type": action },
                "rules": rules,
            }
        });
        let root = self
            .items
            .get(k)
            .map(|(_, r)| r.clone())
            .unwrap_or_default();
        let Some(Value::Object(props)) = self
            .items
            .get_mut(k)
            .and_then(|(x, _)| x.get_mut("properties"))
        else {
            return;
        };
        let slot = props
            .entry(list)
            .or_insert_with(|| Value::Array(Vec::new()));
        let mut j = 0;
        if let Value::Array(l) = slot {
            j = l.len();
            l.push(collection);
        }
        self.at(inst, format!("{root}.properties.{list}[{j}]"), "");
    }
}

fn is_deny(action: Option<String>) -> bool {
    action.is_some_and(|a| a.eq_ignore_ascii_case("Deny"))
}

/// Network rules in the shape the Azure reader reads for every service.
fn network_acls(deny: bool, subnets: Vec<String>, ips: Vec<String>) -> Value {
    json!({
        "defaultAction": if deny { "Deny" } else { "Allow" },
        "virtualNetworkRules": subnets.into_iter().map(|id| json!({ "id": id })).collect::<Vec<_>>(),
        "ipRules": ips.into_iter().map(|ip| json!({ "value": ip })).collect::<Vec<_>>(),
    })
}

/// The fewest prefixes that cover an address range (a SQL firewall rule).
pub(crate) fn range_prefixes(start: std::net::Ipv4Addr, end: std::net::Ipv4Addr) -> Vec<String> {
    let (mut lo, hi) = (u64::from(u32::from(start)), u64::from(u32::from(end)));
    let mut out = Vec::new();
    while lo <= hi && out.len() < 64 {
        let mut size = if lo == 0 {
            1u64 << 32
        } else {
            1u64 << lo.trailing_zeros().min(32)
        };
        while lo + size - 1 > hi {
            size >>= 1;
        }
        let len = 32 - size.trailing_zeros();
        let addr = std::net::Ipv4Addr::from(u32::try_from(lo).unwrap_or(u32::MAX));
        out.push(if len == 32 {
            addr.to_string()
        } else {
            format!("{addr}/{len}")
        });
        lo += size;
    }
    out
}

/// An instance's id: its `id` attribute (a state), or the one Azure would give.
fn id_of(inst: &Instance) -> Option<String> {
    match inst.values.get("id") {
        Some(V::Str(s)) if s.starts_with('/') => Some(s.clone()),
        _ => synth_id(&inst.ty, &inst.values),
    }
}

/// The lower-case type-and-names key of an id (subscriptions and resource
/// groups aside, as the Azure reader matches references).
fn id_key(id: &str) -> String {
    azure::id_key(id).unwrap_or_else(|| id.to_ascii_lowercase())
}
