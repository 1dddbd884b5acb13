//! A scenario → a deployable ARM template.
//!
//! Written: application security groups, network security groups with their
//! rules, route tables with their routes, public IPs, virtual networks with
//! their subnets (NSG, route table, service endpoints, private endpoint
//! policies, default outbound access), peerings (as child resources, after
//! both VNets), load balancers (frontends on a public IP or on a static
//! private address in the subnet that holds it, backend pools, load-balancing
//! rules, inbound NAT rules, probes, SKU; pool membership and single-VM NAT
//! rules are written on the member NICs' IP configurations,
//! `loadBalancerBackendAddressPools` and `loadBalancerInboundNatRules`),
//! network interfaces
//! (static private addresses, public IP, NSG, ASGs, IP forwarding, pools),
//! virtual machines (Ubuntu, size and credentials as parameters), Azure
//! Firewalls in their VNet's `AzureFirewallSubnet` with their public IPs and
//! either classic rule collections (NAT, network, application) or a firewall
//! policy with its rule collection groups (groups inherited from a parent
//! policy go into a parent policy named `<policy>-parent`, set as the
//! policy's `basePolicy`), PaaS services (storage accounts, SQL servers, key
//! vaults, Cosmos DB accounts, web apps with an App Service plan, container
//! registries, Event Hubs and Service Bus namespaces: the types the Azure
//! reader maps to service tags) with their public network access, and
//! private endpoints (subnet, static address, connection to the service's
//! sub-resource: `blob`, `sqlServer`, `vault`, ...).
//!
//! References are `resourceId()` expressions, `dependsOn` lists what each
//! resource refers to (a policy's rule collection groups also wait for one
//! another, as Azure updates one group of a policy at a time), every
//! Microsoft.Network resource uses API version [`NETWORK_API`], and the other
//! providers the versions in the constants below.
//!
//! Some values are written for reading back, not for Azure: a public IP's
//! address (`properties.ipAddress`) and a firewall's private address are
//! read-only and chosen by Azure (a firewall gets its subnet's first usable
//! address; the report says when the scenario's differs), and a service's
//! public endpoint address goes in the tag [`crate::export_tf::ADDRESS_TAG`].
//! Values the scenario does not hold are Azure's usual ones (health probes
//! every 5 s, `/` for HTTP probes, Standard SKUs where a private endpoint
//! needs them, SQL administrator credentials as parameters).
//!
//! Left out, in the report and the template's `metadata.notExported`: admin
//! rules, Internet clients, gateway routes, subscription settings, load
//! balancers with a private frontend outside every subnet, services whose tag
//! names no resource type (and their private endpoints), and the network
//! rules (allowed subnets and IP ranges) of services whose template form
//! holds them as child resources or site settings (SQL servers, Cosmos DB
//! accounts, web apps, Event Hubs and Service Bus namespaces; a container
//! registry keeps its IP ranges only). Flows, layout and the title are not
//! part of a network.

use serde_json::{Map, Value, json};

use crate::scenario::doc::*;
use crate::{ImportError, ImportReport};

/// The API version of the Microsoft.Network resources written.
pub const NETWORK_API: &str = "2024-05-01";
/// The API version of virtual machines.
pub const COMPUTE_API: &str = "2024-07-01";

/// How a service kind's template form holds the network rules the playground
/// models (allowed subnets and IP ranges).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ArmRules {
    /// `properties.networkAcls` with `virtualNetworkRules` and `ipRules`.
    NetworkAcls,
    /// `properties.networkRuleSet` with `ipRules` only (container registries).
    IpRuleSet,
    /// Rules are child resources or site settings the reader does not read.
    NotRead,
}

/// A PaaS service kind the exports write, by the service tag the Azure reader
/// gives its resource type (`azure::convert`'s table).
#[derive(Debug)]
pub(crate) struct ServiceKind {
    /// The service tag (`Storage`).
    pub tag: &'static str,
    /// The ARM resource type.
    pub arm_type: &'static str,
    /// The API version written for it.
    pub api: &'static str,
    /// The private endpoint sub-resource (`groupIds`).
    pub group_id: &'static str,
    /// Where a template holds its network rules.
    pub arm_rules: ArmRules,
}

/// The API versions of the PaaS resources written: the newest non-preview
/// version of each type in Microsoft's template reference when this was written.
pub const STORAGE_API: &str = "2025-01-01";
/// Key vaults.
pub const KEY_VAULT_API: &str = "2024-11-01";
/// SQL logical servers.
pub const SQL_API: &str = "2023-08-01";
/// Cosmos DB accounts.
pub const COSMOS_API: &str = "2024-11-15";
/// App Service apps and plans.
pub const WEB_API: &str = "2024-04-01";
/// Container registries.
pub const REGISTRY_API: &str = "2025-04-01";
/// Event Hubs namespaces.
pub const EVENT_HUB_API: &str = "2024-01-01";
/// Service Bus namespaces.
pub const SERVICE_BUS_API: &str = "2024-01-01";

pub(crate) const SERVICE_KINDS: &[ServiceKind] = &[
    ServiceKind {
        tag: "Storage",
        arm_type: "Microsoft.Storage/storageAccounts",
        api: STORAGE_API,
        group_id: "blob",
        arm_rules: ArmRules::NetworkAcls,
    },
    ServiceKind {
        tag: "Sql",
        arm_type: "Microsoft.Sql/servers",
        api: SQL_API,
        group_id: "sqlServer",
        arm_rules: ArmRules::NotRead,
    },
    ServiceKind {
        tag: "AzureKeyVault",
        arm_type: "Microsoft.KeyVault/vaults",
        api: KEY_VAULT_API,
        group_id: "vault",
        arm_rules: ArmRules::NetworkAcls,
    },
    ServiceKind {
        tag: "AzureCosmosDB",
        arm_type: "Microsoft.DocumentDB/databaseAccounts",
        api: COSMOS_API,
        group_id: "Sql",
        arm_rules: ArmRules::NotRead,
    },
    ServiceKind {
        tag: "AppService",
        arm_type: "Microsoft.Web/sites",
        api: WEB_API,
        group_id: "sites",
        arm_rules: ArmRules::NotRead,
    },
    ServiceKind {
        tag: "AzureContainerRegistry",
        arm_type: "Microsoft.ContainerRegistry/registries",
        api: REGISTRY_API,
        group_id: "registry",
        arm_rules: ArmRules::IpRuleSet,
    },
    ServiceKind {
        tag: "EventHub",
        arm_type: "Microsoft.EventHub/namespaces",
        api: EVENT_HUB_API,
        group_id: "namespace",
        arm_rules: ArmRules::NotRead,
    },
    ServiceKind {
        tag: "ServiceBus",
        arm_type: "Microsoft.ServiceBus/namespaces",
        api: SERVICE_BUS_API,
        group_id: "namespace",
        arm_rules: ArmRules::NotRead,
    },
];

/// The private endpoints both exports write (those to an exportable service),
/// each with its service's kind.
pub(crate) fn exportable_endpoints<'d>(
    doc: &'d ScenarioDoc,
    services: &'d [String],
) -> impl Iterator<Item = (&'d PrivateEndpointDoc, &'static ServiceKind)> + 'd {
    doc.private_endpoints
        .iter()
        .filter(|p| services.contains(&p.service))
        .filter_map(|pe| {
            let kind = doc
                .services
                .iter()
                .find(|s| s.name == pe.service)
                .and_then(|s| service_kind(&s.service_tag))?;
            Some((pe, kind))
        })
}

/// The kind of a service tag (`Storage`, `storage`, `Storage.WestEurope`).
pub(crate) fn service_kind(tag: &str) -> Option<&'static ServiceKind> {
    let base = tag.split('.').next().unwrap_or(tag);
    SERVICE_KINDS
        .iter()
        .find(|k| k.tag.eq_ignore_ascii_case(base))
}

/// The private endpoint member name of a service's sub-resource.
pub(crate) fn member_name(kind: &ServiceKind, service: &str) -> String {
    match kind.group_id {
        "vault" => String::from("default"),
        // A Cosmos DB account's global member is named after the account.
        "Sql" => service.to_string(),
        g => g.to_string(),
    }
}

/// The subnet (VNet, subnet) of a scenario whose prefixes hold an address.
pub(crate) fn subnet_of(doc: &ScenarioDoc, ip: &str) -> Option<(String, String)> {
    let addr: std::net::IpAddr = ip.trim().parse().ok()?;
    for v in &doc.vnets {
        for sn in &v.subnets {
            let inside = sn.address_prefixes.iter().any(|p| {
                netsec_engine::address::parse_prefix(p)
                    .is_ok_and(|n| netsec_engine::address::net_contains(&n, addr))
            });
            if inside {
                return Some((v.name.clone(), sn.name.clone()));
            }
        }
    }
    None
}

/// The `AzureFirewallSubnet` of a VNet, spelled as the scenario spells it.
pub(crate) fn firewall_subnet<'d>(doc: &'d ScenarioDoc, vnet: &str) -> Option<&'d SubnetDoc> {
    doc.vnets
        .iter()
        .find(|v| v.name == vnet)?
        .subnets
        .iter()
        .find(|s| s.name.eq_ignore_ascii_case("AzureFirewallSubnet"))
}

/// The first address Azure gives out in a subnet (the fifth: it keeps four).
pub(crate) fn first_usable(subnet: &SubnetDoc) -> Option<String> {
    let p = subnet.address_prefixes.first()?;
    match netsec_engine::address::parse_prefix(p).ok()? {
        netsec_engine::address::IpNet::V4(n) => {
            Some(std::net::Ipv4Addr::from(u32::from(n.network()).wrapping_add(4)).to_string())
        }
        netsec_engine::address::IpNet::V6(_) => None,
    }
}

/// The load balancers an export writes: those whose private frontends are
/// in a subnet of the scenario (a template places a frontend by its subnet).
pub(crate) fn placeable_lbs(doc: &ScenarioDoc, report: &mut ImportReport) -> Vec<String> {
    let mut out = Vec::new();
    for lb in &doc.load_balancers {
        let lost = lb.frontends.iter().find(|f| {
            f.public_ip.is_none()
                && f.private_ip_address
                    .as_deref()
                    .is_none_or(|ip| subnet_of(doc, ip).is_none())
        });
        match lost {
            Some(f) => report.skip(
                format!("loadBalancers/{}", lb.name),
                format!(
                    "its frontend {} has a private address in no subnet of the scenario, and a template places a private frontend by its subnet",
                    f.name
                ),
            ),
            None => out.push(lb.name.clone()),
        }
    }
    out
}

/// The services an export writes (their tag names a resource type) and the
/// private endpoints that lead to them.
pub(crate) fn exportable_services(doc: &ScenarioDoc, report: &mut ImportReport) -> Vec<String> {
    let mut out = Vec::new();
    for s in &doc.services {
        match service_kind(&s.service_tag) {
            Some(_) => out.push(s.name.clone()),
            None => report.skip(
                format!("service {}", s.name),
                format!(
                    "no Azure resource type is known for service tag {}",
                    s.service_tag
                ),
            ),
        }
    }
    for p in &doc.private_endpoints {
        if !out.contains(&p.service) {
            report.skip(
                format!("privateEndpoints/{}", p.name),
                format!("its service {} is not exported", p.service),
            );
        }
    }
    out
}

/// The (load balancer, pool) pairs each NIC configuration belongs to, by
/// (NIC name, configuration index).
pub(crate) fn pool_memberships(
    doc: &ScenarioDoc,
    lbs: &[String],
) -> std::collections::HashMap<(String, usize), Vec<(String, String)>> {
    let mut out: std::collections::HashMap<(String, usize), Vec<(String, String)>> =
        std::collections::HashMap::new();
    for lb in doc.load_balancers.iter().filter(|l| lbs.contains(&l.name)) {
        for pool in &lb.backend_pools {
            for m in &pool.members {
                let Some(nic) = doc.nics.iter().find(|n| n.name == m.nic) else {
                    continue;
                };
                let k = match &m.ip_configuration {
                    None => 0,
                    Some(c) => match nic.ip_configurations.iter().position(|x| x.name == *c) {
                        Some(k) => k,
                        None => continue,
                    },
                };
                out.entry((m.nic.clone(), k))
                    .or_default()
                    .push((lb.name.clone(), pool.name.clone()));
            }
        }
    }
    out
}

/// The version 1 inbound NAT rules of the exported load balancers, by
/// (NIC name, IP configuration index): (load balancer, rule) names.
pub(crate) fn nat_memberships(
    doc: &ScenarioDoc,
    lbs: &[String],
) -> std::collections::HashMap<(String, usize), Vec<(String, String)>> {
    let mut out: std::collections::HashMap<(String, usize), Vec<(String, String)>> =
        std::collections::HashMap::new();
    for lb in doc.load_balancers.iter().filter(|l| lbs.contains(&l.name)) {
        for r in &lb.nat_rules {
            let Some(nic_name) = &r.nic else { continue };
            let Some(nic) = doc.nics.iter().find(|n| n.name == *nic_name) else {
                continue;
            };
            let k = match &r.ip_configuration {
                None => 0,
                Some(c) => match nic.ip_configurations.iter().position(|x| x.name == *c) {
                    Some(k) => k,
                    None => continue,
                },
            };
            out.entry((nic_name.clone(), k))
                .or_default()
                .push((lb.name.clone(), r.name.clone()));
        }
    }
    out
}

/// An exported text and what could not go into it.
#[derive(Clone, Debug, Default)]
pub struct Exported {
    /// The template or configuration.
    pub text: String,
    /// What was written (`imported`) and what was left out (`skipped`).
    pub report: ImportReport,
}

/// The scenario, validated (the engine builds it), as written: names, tags
/// and regions keep the user's spelling (`Sql.WestEurope`, not the engine's
/// normal `Sql.westeurope`). Flows, layout and the title are dropped.
pub(crate) fn normal(doc: &ScenarioDoc) -> Result<ScenarioDoc, ImportError> {
    crate::scenario::build::build(doc)?;
    Ok(ScenarioDoc {
        flows: Vec::new(),
        layout: Default::default(),
        ..doc.clone()
    })
}

/// What the exports leave out, one line each.
pub(crate) fn left_out(doc: &ScenarioDoc, report: &mut ImportReport) {
    let mut skip = |what: String, why: &str| report.skipped.push((what, why.to_string()));
    for a in &doc.admin_rules {
        skip(
            format!("admin rule {}", a.name),
            "Virtual Network Manager admin rules are not exported",
        );
    }
    for c in &doc.internet_clients {
        skip(
            format!("Internet client {}", c.name),
            "Internet clients are not Azure resources",
        );
    }
    for v in &doc.vnets {
        if !v.gateway_routes.is_empty() {
            skip(
                format!("virtualNetworks/{}: gatewayRoutes", v.name),
                "routes learned from a VNet gateway are not part of a template",
            );
        }
    }
    for vm in &doc.vms {
        if vm.is_appliance {
            let forwards = vm
                .nics
                .iter()
                .any(|n| doc.nics.iter().any(|x| x.name == *n && x.ip_forwarding));
            if !forwards {
                skip(
                    format!("virtualMachines/{}: appliance", vm.name),
                    "a VM is read back as an appliance only when one of its NICs forwards IP",
                );
            }
        }
    }
    if doc.subscription.offer_type != "PayAsYouGo" || doc.subscription.smtp_exemption {
        skip(
            String::from("subscription settings"),
            "the offer type and SMTP exemption belong to the subscription, not to a template",
        );
    }
}

/// An ARM expression string literal: `'it''s'`.
fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// A literal JSON string value (a leading `[` is escaped as `[[`).
fn lit(s: &str) -> Value {
    if s.starts_with('[') {
        Value::String(format!("[{s}"))
    } else {
        Value::String(s.to_string())
    }
}

fn rid(ty: &str, names: &[&str]) -> String {
    let names: Vec<String> = names.iter().map(|n| quote(n)).collect();
    format!(
        "[resourceId('Microsoft.Network/{ty}', {})]",
        names.join(", ")
    )
}

fn id_ref(ty: &str, names: &[&str]) -> Value {
    json!({ "id": rid(ty, names) })
}

/// `resourceId()` of a resource of any provider (`Microsoft.Storage/storageAccounts`).
fn rid_of(full_ty: &str, names: &[&str]) -> String {
    let names: Vec<String> = names.iter().map(|n| quote(n)).collect();
    format!("[resourceId('{full_ty}', {})]", names.join(", "))
}

fn add_dep(deps: &mut Vec<String>, id: String) {
    if !deps.contains(&id) {
        deps.push(id);
    }
}

/// Locations: a VNet's own; other resources take the region of the VNet
/// they are attached to, or the `location` parameter.
pub(crate) struct Places<'d> {
    pub doc: &'d ScenarioDoc,
}

const LOCATION_PARAM: &str = "[parameters('location')]";

impl Places<'_> {
    pub fn vnet(&self, name: &str) -> Option<String> {
        self.doc
            .vnets
            .iter()
            .find(|v| v.name == name)
            .map(|v| v.location.clone())
    }
    pub fn nic(&self, nic: &NicDoc) -> Option<String> {
        nic.ip_configurations
            .first()
            .and_then(|c| self.vnet(&c.vnet))
    }
    pub fn nsg(&self, name: &str) -> Option<String> {
        for v in &self.doc.vnets {
            if v.subnets.iter().any(|s| s.nsg.as_deref() == Some(name)) {
                return Some(v.location.clone());
            }
        }
        self.doc
            .nics
            .iter()
            .find(|n| n.nsg.as_deref() == Some(name))
            .and_then(|n| self.nic(n))
    }
    pub fn route_table(&self, name: &str) -> Option<String> {
        self.doc
            .vnets
            .iter()
            .find(|v| {
                v.subnets
                    .iter()
                    .any(|s| s.route_table.as_deref() == Some(name))
            })
            .map(|v| v.location.clone())
    }
    /// A public IP: the region of the NIC, firewall or load balancer using it.
    pub fn pip(&self, name: &str) -> Option<String> {
        let by_nic = self
            .doc
            .nics
            .iter()
            .find(|n| {
                n.ip_configurations
                    .iter()
                    .any(|c| c.public_ip.as_deref() == Some(name))
            })
            .and_then(|n| self.nic(n));
        by_nic
            .or_else(|| {
                self.doc
                    .firewalls
                    .iter()
                    .find(|f| f.public_ips.iter().any(|p| p == name))
                    .and_then(|f| self.vnet(&f.vnet))
            })
            .or_else(|| {
                self.doc
                    .load_balancers
                    .iter()
                    .find(|l| {
                        l.frontends
                            .iter()
                            .any(|f| f.public_ip.as_deref() == Some(name))
                    })
                    .and_then(|l| self.lb(l))
            })
    }
    /// A load balancer: the region of a private frontend's VNet, else of a
    /// member NIC.
    pub fn lb(&self, lb: &LoadBalancerDoc) -> Option<String> {
        lb.frontends
            .iter()
            .filter_map(|f| f.private_ip_address.as_deref())
            .find_map(|ip| subnet_of(self.doc, ip))
            .and_then(|(v, _)| self.vnet(&v))
            .or_else(|| {
                lb.backend_pools
                    .iter()
                    .flat_map(|p| &p.members)
                    .find_map(|m| self.doc.nics.iter().find(|n| n.name == m.nic))
                    .and_then(|n| self.nic(n))
            })
    }
    pub fn asg(&self, name: &str) -> Option<String> {
        self.doc
            .nics
            .iter()
            .find(|n| {
                n.ip_configurations
                    .iter()
                    .any(|c| c.asgs.iter().any(|a| a == name))
            })
            .and_then(|n| self.nic(n))
    }
    pub fn vm(&self, vm: &VmDoc) -> Option<String> {
        vm.nics
            .first()
            .and_then(|n| self.doc.nics.iter().find(|x| x.name == *n))
            .and_then(|n| self.nic(n))
    }
}

fn location(l: Option<String>) -> Value {
    match l {
        Some(l) => lit(&l),
        None => Value::String(LOCATION_PARAM.into()),
    }
}

fn rule_props(r: &RuleDoc) -> Value {
    let mut p = Map::new();
    if !r.description.is_empty() {
        p.insert("description".into(), lit(&r.description));
    }
    p.insert("priority".into(), r.priority.into());
    p.insert("direction".into(), lit(&r.direction));
    p.insert("access".into(), lit(&r.access));
    p.insert("protocol".into(), lit(&r.protocol));
    let side = |p: &mut Map<String, Value>,
                single: &Option<String>,
                list: &[String],
                asgs: &[String],
                key: &str| {
        if let Some(s) = single {
            p.insert(format!("{key}AddressPrefix"), lit(s));
        }
        if !list.is_empty() {
            p.insert(
                format!("{key}AddressPrefixes"),
                json!(list.iter().map(|x| lit(x)).collect::<Vec<_>>()),
            );
        }
        if !asgs.is_empty() {
            p.insert(
                format!("{key}ApplicationSecurityGroups"),
                Value::Array(
                    asgs.iter()
                        .map(|a| id_ref("applicationSecurityGroups", &[a]))
                        .collect(),
                ),
            );
        }
    };
    side(
        &mut p,
        &r.source_address_prefix,
        &r.source_address_prefixes,
        &r.source_application_security_groups,
        "source",
    );
    side(
        &mut p,
        &r.destination_address_prefix,
        &r.destination_address_prefixes,
        &r.destination_application_security_groups,
        "destination",
    );
    let ports =
        |p: &mut Map<String, Value>, single: &Option<String>, list: &[String], key: &str| {
            if let Some(s) = single {
                p.insert(format!("{key}PortRange"), lit(s));
            }
            if !list.is_empty() {
                p.insert(
                    format!("{key}PortRanges"),
                    json!(list.iter().map(|x| lit(x)).collect::<Vec<_>>()),
                );
            }
        };
    ports(
        &mut p,
        &r.source_port_range,
        &r.source_port_ranges,
        "source",
    );
    ports(
        &mut p,
        &r.destination_port_range,
        &r.destination_port_ranges,
        "destination",
    );
    Value::Object(p)
}

fn is_v6(address: &str) -> bool {
    address.contains(':')
}

/// Writes the template (two-space indent, trailing newline) and its report.
pub fn export_arm(doc: &ScenarioDoc) -> Result<Exported, ImportError> {
    let d = normal(doc)?;
    let mut report = ImportReport::default();
    left_out(&d, &mut report);
    let places = Places { doc: &d };
    let mut resources = Vec::new();
    let mut uses_location_param = false;
    let mut loc = |l: Option<String>| {
        if l.is_none() {
            uses_location_param = true;
        }
        location(l)
    };

    for a in &d.asgs {
        resources.push(json!({
            "type": "Microsoft.Network/applicationSecurityGroups",
            "apiVersion": NETWORK_API,
            "name": lit(&a.name),
            "location": loc(a.location.clone().or_else(|| places.asg(&a.name))),
            "properties": {}
        }));
        report
            .imported
            .push(format!("applicationSecurityGroups/{}", a.name));
    }
    for n in &d.nsgs {
        let mut deps: Vec<String> = Vec::new();
        for r in &n.rules {
            for a in r
                .source_application_security_groups
                .iter()
                .chain(&r.destination_application_security_groups)
            {
                let id = rid("applicationSecurityGroups", &[a]);
                if !deps.contains(&id) {
                    deps.push(id);
                }
            }
        }
        let rules: Vec<Value> = n
            .rules
            .iter()
            .map(|r| json!({ "name": lit(&r.name), "properties": rule_props(r) }))
            .collect();
        let mut res = json!({
            "type": "Microsoft.Network/networkSecurityGroups",
            "apiVersion": NETWORK_API,
            "name": lit(&n.name),
            "location": loc(places.nsg(&n.name)),
            "properties": { "securityRules": rules }
        });
        if !deps.is_empty()
            && let Value::Object(o) = &mut res
        {
            o.insert("dependsOn".into(), json!(deps));
        }
        resources.push(res);
        report.imported.push(format!(
            "networkSecurityGroups/{} ({} rules)",
            n.name,
            n.rules.len()
        ));
    }
    for t in &d.route_tables {
        let routes: Vec<Value> = t
            .routes
            .iter()
            .map(|r| {
                let mut p = Map::new();
                p.insert("addressPrefix".into(), lit(&r.address_prefix));
                p.insert("nextHopType".into(), lit(&r.next_hop_type));
                if let Some(ip) = &r.next_hop_ip_address {
                    p.insert("nextHopIpAddress".into(), lit(ip));
                }
                json!({ "name": lit(&r.name), "properties": Value::Object(p) })
            })
            .collect();
        resources.push(json!({
            "type": "Microsoft.Network/routeTables",
            "apiVersion": NETWORK_API,
            "name": lit(&t.name),
            "location": loc(places.route_table(&t.name)),
            "properties": {
                "disableBgpRoutePropagation": t.disable_bgp_route_propagation,
                "routes": routes
            }
        }));
        report.imported.push(format!(
            "routeTables/{} ({} routes)",
            t.name,
            t.routes.len()
        ));
    }
    for p in &d.public_ips {
        resources.push(json!({
            "type": "Microsoft.Network/publicIPAddresses",
            "apiVersion": NETWORK_API,
            "name": lit(&p.name),
            "location": loc(places.pip(&p.name)),
            "sku": { "name": lit(&p.sku), "tier": "Regional" },
            "properties": {
                "publicIPAllocationMethod": "Static",
                "publicIPAddressVersion": if is_v6(&p.address) { "IPv6" } else { "IPv4" },
                "ipAddress": lit(&p.address)
            }
        }));
        report
            .imported
            .push(format!("publicIPAddresses/{}", p.name));
    }
    for v in &d.vnets {
        let mut deps: Vec<String> = Vec::new();
        let mut subnets = Vec::new();
        for s in &v.subnets {
            let mut p = Map::new();
            if let [one] = s.address_prefixes.as_slice() {
                p.insert("addressPrefix".into(), lit(one));
            } else {
                p.insert(
                    "addressPrefixes".into(),
                    json!(
                        s.address_prefixes
                            .iter()
                            .map(|x| lit(x))
                            .collect::<Vec<_>>()
                    ),
                );
            }
            if let Some(n) = &s.nsg {
                p.insert(
                    "networkSecurityGroup".into(),
                    id_ref("networkSecurityGroups", &[n]),
                );
                let id = rid("networkSecurityGroups", &[n]);
                if !deps.contains(&id) {
                    deps.push(id);
                }
            }
            if let Some(t) = &s.route_table {
                p.insert("routeTable".into(), id_ref("routeTables", &[t]));
                let id = rid("routeTables", &[t]);
                if !deps.contains(&id) {
                    deps.push(id);
                }
            }
            if !s.service_endpoints.is_empty() {
                p.insert(
                    "serviceEndpoints".into(),
                    Value::Array(
                        s.service_endpoints
                            .iter()
                            .map(|e| json!({ "service": lit(e) }))
                            .collect(),
                    ),
                );
            }
            if let Some(pol) = &s.private_endpoint_network_policies {
                p.insert("privateEndpointNetworkPolicies".into(), lit(pol));
            }
            if !s.default_outbound_access {
                p.insert("defaultOutboundAccess".into(), false.into());
            }
            subnets.push(json!({ "name": lit(&s.name), "properties": Value::Object(p) }));
        }
        let mut res = json!({
            "type": "Microsoft.Network/virtualNetworks",
            "apiVersion": NETWORK_API,
            "name": lit(&v.name),
            "location": lit(&v.location),
            "properties": {
                "addressSpace": { "addressPrefixes": v.address_space.iter().map(|x| lit(x)).collect::<Vec<_>>() },
                "subnets": subnets
            }
        });
        if !deps.is_empty()
            && let Value::Object(o) = &mut res
        {
            o.insert("dependsOn".into(), json!(deps));
        }
        resources.push(res);
        report.imported.push(format!(
            "virtualNetworks/{} ({} subnets)",
            v.name,
            v.subnets.len()
        ));
    }
    for v in &d.vnets {
        for p in &v.peerings {
            let local = rid("virtualNetworks", &[&v.name]);
            let remote = rid("virtualNetworks", &[&p.remote_vnet]);
            let mut deps = vec![local];
            if !deps.contains(&remote) {
                deps.push(remote.clone());
            }
            resources.push(json!({
                "type": "Microsoft.Network/virtualNetworks/virtualNetworkPeerings",
                "apiVersion": NETWORK_API,
                "name": lit(&format!("{}/{}", v.name, p.name)),
                "dependsOn": deps,
                "properties": {
                    "remoteVirtualNetwork": { "id": remote },
                    "allowVirtualNetworkAccess": p.allow_virtual_network_access,
                    "allowForwardedTraffic": p.allow_forwarded_traffic,
                    "allowGatewayTransit": p.allow_gateway_transit,
                    "useRemoteGateways": p.use_remote_gateways
                }
            }));
            report.imported.push(format!(
                "virtualNetworks/{}/virtualNetworkPeerings/{}",
                v.name, p.name
            ));
        }
    }
    let lbs = placeable_lbs(&d, &mut report);
    let services = exportable_services(&d, &mut report);
    let pools = pool_memberships(&d, &lbs);
    let nats = nat_memberships(&d, &lbs);
    for lb in d.load_balancers.iter().filter(|l| lbs.contains(&l.name)) {
        resources.push(load_balancer(&d, lb, loc(places.lb(lb))));
        report.imported.push(format!(
            "loadBalancers/{} ({} frontends, {} rules)",
            lb.name,
            lb.frontends.len(),
            lb.rules.len()
        ));
    }
    for n in &d.nics {
        let mut deps: Vec<String> = Vec::new();
        let add = |deps: &mut Vec<String>, id: String| {
            if !deps.contains(&id) {
                deps.push(id);
            }
        };
        let mut cfgs = Vec::new();
        for (k, c) in n.ip_configurations.iter().enumerate() {
            let mut p = Map::new();
            p.insert("primary".into(), (k == 0).into());
            p.insert("privateIPAllocationMethod".into(), "Static".into());
            p.insert("privateIPAddress".into(), lit(&c.private_ip_address));
            p.insert(
                "privateIPAddressVersion".into(),
                if is_v6(&c.private_ip_address) {
                    "IPv6"
                } else {
                    "IPv4"
                }
                .into(),
            );
            p.insert(
                "subnet".into(),
                id_ref("virtualNetworks/subnets", &[&c.vnet, &c.subnet]),
            );
            add(&mut deps, rid("virtualNetworks", &[&c.vnet]));
            if let Some(pip) = &c.public_ip {
                p.insert(
                    "publicIPAddress".into(),
                    id_ref("publicIPAddresses", &[pip]),
                );
                add(&mut deps, rid("publicIPAddresses", &[pip]));
            }
            if let Some(list) = pools.get(&(n.name.clone(), k)) {
                p.insert(
                    "loadBalancerBackendAddressPools".into(),
                    Value::Array(
                        list.iter()
                            .map(|(lb, pool)| {
                                id_ref("loadBalancers/backendAddressPools", &[lb, pool])
                            })
                            .collect(),
                    ),
                );
                for (lb, _) in list {
                    add(&mut deps, rid("loadBalancers", &[lb]));
                }
            }
            if let Some(list) = nats.get(&(n.name.clone(), k)) {
                p.insert(
                    "loadBalancerInboundNatRules".into(),
                    Value::Array(
                        list.iter()
                            .map(|(lb, rule)| id_ref("loadBalancers/inboundNatRules", &[lb, rule]))
                            .collect(),
                    ),
                );
                for (lb, _) in list {
                    add(&mut deps, rid("loadBalancers", &[lb]));
                }
            }
            if !c.asgs.is_empty() {
                p.insert(
                    "applicationSecurityGroups".into(),
                    Value::Array(
                        c.asgs
                            .iter()
                            .map(|a| id_ref("applicationSecurityGroups", &[a]))
                            .collect(),
                    ),
                );
                for a in &c.asgs {
                    add(&mut deps, rid("applicationSecurityGroups", &[a]));
                }
            }
            cfgs.push(json!({ "name": lit(&c.name), "properties": Value::Object(p) }));
        }
        let mut props = Map::new();
        if let Some(nsg) = &n.nsg {
            props.insert(
                "networkSecurityGroup".into(),
                id_ref("networkSecurityGroups", &[nsg]),
            );
            add(&mut deps, rid("networkSecurityGroups", &[nsg]));
        }
        props.insert("enableIPForwarding".into(), n.ip_forwarding.into());
        props.insert("ipConfigurations".into(), Value::Array(cfgs));
        resources.push(json!({
            "type": "Microsoft.Network/networkInterfaces",
            "apiVersion": NETWORK_API,
            "name": lit(&n.name),
            "location": loc(places.nic(n)),
            "dependsOn": deps,
            "properties": Value::Object(props)
        }));
        report
            .imported
            .push(format!("networkInterfaces/{}", n.name));
    }
    let has_vms = !d.vms.is_empty();
    for vm in &d.vms {
        let nics: Vec<Value> = vm
            .nics
            .iter()
            .enumerate()
            .map(|(k, n)| json!({ "id": rid("networkInterfaces", &[n]), "properties": { "primary": k == 0 } }))
            .collect();
        let deps: Vec<String> = vm
            .nics
            .iter()
            .map(|n| rid("networkInterfaces", &[n]))
            .collect();
        let computer: String = vm
            .name
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
            .take(64)
            .collect();
        let mut res = json!({
            "type": "Microsoft.Compute/virtualMachines",
            "apiVersion": COMPUTE_API,
            "name": lit(&vm.name),
            "location": loc(places.vm(vm)),
            "dependsOn": deps,
            "properties": {
                "hardwareProfile": { "vmSize": "[parameters('vmSize')]" },
                "storageProfile": {
                    "imageReference": {
                        "publisher": "Canonical",
                        "offer": "ubuntu-24_04-lts",
                        "sku": "server",
                        "version": "latest"
                    },
                    "osDisk": {
                        "createOption": "FromImage",
                        "managedDisk": { "storageAccountType": "StandardSSD_LRS" }
                    }
                },
                "osProfile": {
                    "computerName": lit(if computer.is_empty() { "vm" } else { &computer }),
                    "adminUsername": "[parameters('adminUsername')]",
                    "adminPassword": "[parameters('adminPassword')]"
                },
                "networkProfile": { "networkInterfaces": nics }
            }
        });
        if let (Some(z), Value::Object(o)) = (vm.zone, &mut res) {
            o.insert("zones".into(), json!([z.to_string()]));
        }
        resources.push(res);
        report.imported.push(format!("virtualMachines/{}", vm.name));
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
        let location = loc(places.vnet(&f.vnet));
        if let Some(first) = first_usable(subnet)
            && first != f.private_ip_address
        {
            report.skip(
                format!("azureFirewalls/{}: privateIpAddress", f.name),
                format!(
                    "Azure gives a firewall the first usable address of its subnet ({first}); the template records {} so that it reads back, but a deployment gets {first}",
                    f.private_ip_address
                ),
            );
        }
        if let Some(policy) = &f.policy
            && !written_policies.contains(&policy.name)
        {
            written_policies.push(policy.name.clone());
            let parent_name = format!("{}-parent", policy.name);
            let has_parent = policy
                .rule_collection_groups
                .iter()
                .any(|g| g.from_parent_policy);
            if has_parent {
                resources.extend(firewall_policy(
                    &parent_name,
                    None,
                    policy
                        .rule_collection_groups
                        .iter()
                        .filter(|g| g.from_parent_policy),
                    f.threat_intel,
                    &location,
                ));
                report
                    .imported
                    .push(format!("firewallPolicies/{parent_name}"));
            }
            resources.extend(firewall_policy(
                &policy.name,
                has_parent.then_some(parent_name.as_str()),
                policy
                    .rule_collection_groups
                    .iter()
                    .filter(|g| !g.from_parent_policy),
                f.threat_intel,
                &location,
            ));
            report.imported.push(format!(
                "firewallPolicies/{} ({} rule collection groups)",
                policy.name,
                policy.rule_collection_groups.len()
            ));
        }
        resources.push(firewall(f, &subnet.name, location));
        report.imported.push(format!("azureFirewalls/{}", f.name));
    }
    let mut sql_params = false;
    for svc in d.services.iter().filter(|s| services.contains(&s.name)) {
        let Some(kind) = service_kind(&svc.service_tag) else {
            continue;
        };
        sql_params |= kind.tag == "Sql";
        let location = lit(&svc.location);
        resources.extend(service(svc, kind, location, &mut report));
        report.imported.push(format!(
            "{}/{} (service {})",
            kind.arm_type.rsplit('/').next().unwrap_or_default(),
            svc.name,
            kind.tag
        ));
    }
    for (pe, kind) in exportable_endpoints(&d, &services) {
        let target = rid_of(kind.arm_type, &[&pe.service]);
        let deps = vec![rid("virtualNetworks", &[&pe.vnet]), target.clone()];
        resources.push(json!({
            "type": "Microsoft.Network/privateEndpoints",
            "apiVersion": NETWORK_API,
            "name": lit(&pe.name),
            "location": loc(places.vnet(&pe.vnet)),
            "dependsOn": deps,
            "properties": {
                "subnet": id_ref("virtualNetworks/subnets", &[&pe.vnet, &pe.subnet]),
                "privateLinkServiceConnections": [{
                    "name": lit(&pe.name),
                    "properties": { "privateLinkServiceId": target, "groupIds": [kind.group_id] }
                }],
                "ipConfigurations": [{
                    "name": "ipconfig1",
                    "properties": {
                        "groupId": kind.group_id,
                        "memberName": lit(&member_name(kind, &pe.service)),
                        "privateIPAddress": lit(&pe.private_ip_address)
                    }
                }]
            }
        }));
        report.imported.push(format!(
            "privateEndpoints/{} (to service {})",
            pe.name, pe.service
        ));
    }

    let mut parameters = Map::new();
    if sql_params {
        parameters.insert(
            "sqlAdministratorLogin".into(),
            json!({ "type": "string", "defaultValue": "sqladmin", "metadata": { "description": "Administrator login of the SQL servers." } }),
        );
        parameters.insert(
            "sqlAdministratorPassword".into(),
            json!({ "type": "securestring", "metadata": { "description": "Administrator password of the SQL servers." } }),
        );
    }
    if uses_location_param {
        parameters.insert(
            "location".into(),
            json!({
                "type": "string",
                "defaultValue": "[resourceGroup().location]",
                "metadata": { "description": "Region of the resources not attached to a virtual network." }
            }),
        );
    }
    if has_vms {
        parameters.insert(
            "vmSize".into(),
            json!({ "type": "string", "defaultValue": "Standard_B2s", "metadata": { "description": "Size of the virtual machines." } }),
        );
        parameters.insert(
            "adminUsername".into(),
            json!({ "type": "string", "defaultValue": "azureuser", "metadata": { "description": "Administrator user name of the virtual machines." } }),
        );
        parameters.insert(
            "adminPassword".into(),
            json!({ "type": "securestring", "metadata": { "description": "Administrator password of the virtual machines." } }),
        );
    }
    let mut metadata = Map::new();
    metadata.insert(
        "_generator".into(),
        json!({ "name": "netsec-playground", "version": env!("CARGO_PKG_VERSION") }),
    );
    if !doc.title.is_empty() {
        metadata.insert("description".into(), Value::String(doc.title.clone()));
    }
    if !report.skipped.is_empty() {
        metadata.insert(
            "notExported".into(),
            Value::Array(
                report
                    .skipped
                    .iter()
                    .map(|(w, y)| Value::String(format!("{w}: {y}")))
                    .collect(),
            ),
        );
    }
    let template = json!({
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "contentVersion": "1.0.0.0",
        "metadata": Value::Object(metadata),
        "parameters": Value::Object(parameters),
        "resources": resources
    });
    let mut text = serde_json::to_string_pretty(&template)
        .map_err(|e| ImportError::new("$", format!("the template cannot be written: {e}")))?;
    text.push('\n');
    Ok(Exported { text, report })
}

fn ip_version(address: &str) -> &'static str {
    if is_v6(address) { "IPv6" } else { "IPv4" }
}

/// A load balancer with its frontends, pools, rules and probes (members are
/// written on the NICs' IP configurations).
fn load_balancer(d: &ScenarioDoc, lb: &LoadBalancerDoc, location: Value) -> Value {
    let mut deps: Vec<String> = Vec::new();
    let frontends: Vec<Value> = lb
        .frontends
        .iter()
        .map(|f| {
            let mut p = Map::new();
            if let Some(pip) = &f.public_ip {
                p.insert(
                    "publicIPAddress".into(),
                    id_ref("publicIPAddresses", &[pip]),
                );
                add_dep(&mut deps, rid("publicIPAddresses", &[pip]));
            } else if let Some(ip) = &f.private_ip_address {
                if let Some((v, sn)) = subnet_of(d, ip) {
                    p.insert(
                        "subnet".into(),
                        id_ref("virtualNetworks/subnets", &[&v, &sn]),
                    );
                    add_dep(&mut deps, rid("virtualNetworks", &[&v]));
                }
                p.insert("privateIPAllocationMethod".into(), "Static".into());
                p.insert("privateIPAddress".into(), lit(ip));
                p.insert("privateIPAddressVersion".into(), ip_version(ip).into());
            }
            json!({ "name": lit(&f.name), "properties": Value::Object(p) })
        })
        .collect();
    let pools: Vec<Value> = lb
        .backend_pools
        .iter()
        .map(|p| json!({ "name": lit(&p.name) }))
        .collect();
    let probes: Vec<Value> = lb
        .probes
        .iter()
        .map(|p| {
            let mut props = Map::new();
            props.insert("protocol".into(), lit(&p.protocol));
            props.insert("port".into(), p.port.into());
            // Azure requires a path for HTTP(S) probes; the scenario has none.
            if p.protocol.eq_ignore_ascii_case("Http") || p.protocol.eq_ignore_ascii_case("Https") {
                props.insert("requestPath".into(), "/".into());
            }
            props.insert("intervalInSeconds".into(), 5.into());
            props.insert("probeThreshold".into(), 1.into());
            json!({ "name": lit(&p.name), "properties": Value::Object(props) })
        })
        .collect();
    let rules: Vec<Value> = lb
        .rules
        .iter()
        .map(|r| {
            let mut props = Map::new();
            props.insert(
                "frontendIPConfiguration".into(),
                id_ref(
                    "loadBalancers/frontendIPConfigurations",
                    &[&lb.name, &r.frontend],
                ),
            );
            props.insert(
                "backendAddressPool".into(),
                id_ref(
                    "loadBalancers/backendAddressPools",
                    &[&lb.name, &r.backend_pool],
                ),
            );
            if let Some(probe) = &r.probe {
                props.insert(
                    "probe".into(),
                    id_ref("loadBalancers/probes", &[&lb.name, probe]),
                );
            }
            props.insert("protocol".into(), lit(&r.protocol));
            props.insert("frontendPort".into(), r.frontend_port.into());
            props.insert("backendPort".into(), r.backend_port.into());
            props.insert("enableFloatingIP".into(), false.into());
            props.insert("idleTimeoutInMinutes".into(), 4.into());
            props.insert("loadDistribution".into(), "Default".into());
            json!({ "name": lit(&r.name), "properties": Value::Object(props) })
        })
        .collect();
    let nat_rules: Vec<Value> = lb
        .nat_rules
        .iter()
        .map(|r| {
            let mut props = Map::new();
            props.insert(
                "frontendIPConfiguration".into(),
                id_ref(
                    "loadBalancers/frontendIPConfigurations",
                    &[&lb.name, &r.frontend],
                ),
            );
            props.insert("protocol".into(), lit(&r.protocol));
            match &r.backend_pool {
                Some(pool) => {
                    props.insert(
                        "backendAddressPool".into(),
                        id_ref("loadBalancers/backendAddressPools", &[&lb.name, pool]),
                    );
                    props.insert("frontendPortRangeStart".into(), r.frontend_port.into());
                    props.insert(
                        "frontendPortRangeEnd".into(),
                        r.frontend_port_end.unwrap_or(r.frontend_port).into(),
                    );
                }
                None => {
                    props.insert("frontendPort".into(), r.frontend_port.into());
                }
            }
            props.insert("backendPort".into(), r.backend_port.into());
            props.insert("enableFloatingIP".into(), false.into());
            props.insert("idleTimeoutInMinutes".into(), 4.into());
            json!({ "name": lit(&r.name), "properties": Value::Object(props) })
        })
        .collect();
    let mut res = json!({
        "type": "Microsoft.Network/loadBalancers",
        "apiVersion": NETWORK_API,
        "name": lit(&lb.name),
        "location": location,
        "sku": { "name": lit(&lb.sku), "tier": "Regional" },
        "properties": {
            "frontendIPConfigurations": frontends,
            "backendAddressPools": pools,
            "loadBalancingRules": rules,
            "inboundNatRules": nat_rules,
            "probes": probes
        }
    });
    if !deps.is_empty()
        && let Value::Object(o) = &mut res
    {
        o.insert("dependsOn".into(), json!(deps));
    }
    res
}

/// Azure spells the threat intelligence switch `Alert` (the default) or `Off`.
fn threat_intel_mode(on: bool) -> &'static str {
    if on { "Alert" } else { "Off" }
}

/// An application rule protocol (`Https:443`) as `{protocolType, port}`.
fn app_protocol(text: &str) -> Value {
    match text.split_once(':') {
        Some((t, port)) => match port.trim().parse::<i64>() {
            Ok(n) => json!({ "protocolType": lit(t.trim()), "port": n }),
            Err(_) => json!({ "protocolType": lit(text) }),
        },
        None => json!({ "protocolType": lit(text) }),
    }
}

fn lits(items: &[String]) -> Value {
    Value::Array(items.iter().map(|x| lit(x)).collect())
}

/// A rule's properties, in the classic (`policy` false) or policy shape.
fn firewall_rule(kind: &str, r: &FirewallRuleDoc, policy: bool) -> Value {
    let mut p = Map::new();
    p.insert("name".into(), lit(&r.name));
    match kind {
        "Application" => {
            if policy {
                p.insert("ruleType".into(), "ApplicationRule".into());
            }
            p.insert(
                "protocols".into(),
                Value::Array(r.protocols.iter().map(|x| app_protocol(x)).collect()),
            );
            p.insert("sourceAddresses".into(), lits(&r.source_addresses));
            p.insert("targetFqdns".into(), lits(&r.target_fqdns));
        }
        _ => {
            let nat = kind == "Dnat";
            if policy {
                p.insert(
                    "ruleType".into(),
                    if nat { "NatRule" } else { "NetworkRule" }.into(),
                );
            }
            p.insert(
                if policy { "ipProtocols" } else { "protocols" }.into(),
                lits(&r.protocols),
            );
            p.insert("sourceAddresses".into(), lits(&r.source_addresses));
            p.insert(
                "destinationAddresses".into(),
                lits(&r.destination_addresses),
            );
            if !r.destination_fqdns.is_empty() {
                p.insert("destinationFqdns".into(), lits(&r.destination_fqdns));
            }
            p.insert("destinationPorts".into(), lits(&r.destination_ports));
            if nat {
                if let Some(a) = &r.translated_address {
                    p.insert("translatedAddress".into(), lit(a));
                }
                if let Some(port) = &r.translated_port {
                    p.insert("translatedPort".into(), lit(port));
                }
            }
        }
    }
    Value::Object(p)
}

/// A classic rule collection (`networkRuleCollections` and the others).
fn classic_collection(c: &RuleCollectionDoc) -> Value {
    let action = if c.kind == "Dnat" {
        String::from("Dnat")
    } else {
        c.action.clone().unwrap_or_else(|| String::from("Deny"))
    };
    json!({
        "name": lit(&c.name),
        "properties": {
            "priority": c.priority,
            "action": { "type": lit(&action) },
            "rules": c.rules.iter().map(|r| firewall_rule(&c.kind, r, false)).collect::<Vec<_>>()
        }
    })
}

/// A policy rule collection.
fn policy_collection(c: &RuleCollectionDoc) -> Value {
    let (ty, action) = if c.kind == "Dnat" {
        ("FirewallPolicyNatRuleCollection", String::from("DNAT"))
    } else {
        (
            "FirewallPolicyFilterRuleCollection",
            c.action.clone().unwrap_or_else(|| String::from("Deny")),
        )
    };
    json!({
        "ruleCollectionType": ty,
        "name": lit(&c.name),
        "priority": c.priority,
        "action": { "type": lit(&action) },
        "rules": c.rules.iter().map(|r| firewall_rule(&c.kind, r, true)).collect::<Vec<_>>()
    })
}

/// A firewall policy and its rule collection groups, each group after the
/// one before (Azure updates one group of a policy at a time).
fn firewall_policy<'g>(
    name: &str,
    parent: Option<&str>,
    groups: impl Iterator<Item = &'g RuleCollectionGroupDoc>,
    threat_intel: bool,
    location: &Value,
) -> Vec<Value> {
    let mut props = Map::new();
    props.insert("sku".into(), json!({ "tier": "Standard" }));
    props.insert(
        "threatIntelMode".into(),
        threat_intel_mode(threat_intel).into(),
    );
    let mut policy = json!({
        "type": "Microsoft.Network/firewallPolicies",
        "apiVersion": NETWORK_API,
        "name": lit(name),
        "location": location.clone()
    });
    if let (Some(p), Value::Object(o)) = (parent, &mut policy) {
        props.insert("basePolicy".into(), id_ref("firewallPolicies", &[p]));
        o.insert("dependsOn".into(), json!([rid("firewallPolicies", &[p])]));
    }
    if let Value::Object(o) = &mut policy {
        o.insert("properties".into(), Value::Object(props));
    }
    let mut out = vec![policy];
    let mut before = rid("firewallPolicies", &[name]);
    for g in groups {
        let mut deps = vec![rid("firewallPolicies", &[name])];
        add_dep(&mut deps, before.clone());
        out.push(json!({
            "type": "Microsoft.Network/firewallPolicies/ruleCollectionGroups",
            "apiVersion": NETWORK_API,
            "name": lit(&format!("{name}/{}", g.name)),
            "dependsOn": deps,
            "properties": {
                "priority": g.priority,
                "ruleCollections": g.rule_collections.iter().map(policy_collection).collect::<Vec<_>>()
            }
        }));
        before = rid("firewallPolicies/ruleCollectionGroups", &[name, &g.name]);
    }
    out
}

/// An Azure Firewall in its VNet's `AzureFirewallSubnet`.
fn firewall(f: &FirewallDoc, subnet: &str, location: Value) -> Value {
    let mut deps = vec![rid("virtualNetworks", &[&f.vnet])];
    let mut cfgs = Vec::new();
    let count = f.public_ips.len().max(1);
    for k in 0..count {
        let mut p = Map::new();
        if k == 0 {
            p.insert(
                "subnet".into(),
                id_ref("virtualNetworks/subnets", &[&f.vnet, subnet]),
            );
            // Azure sets it (read-only); written so that the template reads back.
            p.insert("privateIPAddress".into(), lit(&f.private_ip_address));
        }
        if let Some(pip) = f.public_ips.get(k) {
            p.insert(
                "publicIPAddress".into(),
                id_ref("publicIPAddresses", &[pip]),
            );
            add_dep(&mut deps, rid("publicIPAddresses", &[pip]));
        }
        cfgs.push(json!({ "name": format!("ipconfig{}", k + 1), "properties": Value::Object(p) }));
    }
    let mut props = Map::new();
    props.insert(
        "sku".into(),
        json!({ "name": "AZFW_VNet", "tier": "Standard" }),
    );
    props.insert("ipConfigurations".into(), Value::Array(cfgs));
    match &f.policy {
        Some(policy) => {
            props.insert(
                "firewallPolicy".into(),
                id_ref("firewallPolicies", &[&policy.name]),
            );
            add_dep(&mut deps, rid("firewallPolicies", &[&policy.name]));
            for g in &policy.rule_collection_groups {
                let owner = if g.from_parent_policy {
                    format!("{}-parent", policy.name)
                } else {
                    policy.name.clone()
                };
                add_dep(
                    &mut deps,
                    rid("firewallPolicies/ruleCollectionGroups", &[&owner, &g.name]),
                );
            }
        }
        None => {
            props.insert(
                "threatIntelMode".into(),
                threat_intel_mode(f.threat_intel).into(),
            );
            for (key, kind) in [
                ("natRuleCollections", "Dnat"),
                ("networkRuleCollections", "Network"),
                ("applicationRuleCollections", "Application"),
            ] {
                let list: Vec<Value> = f
                    .rule_collections
                    .iter()
                    .filter(|c| c.kind == kind)
                    .map(classic_collection)
                    .collect();
                if !list.is_empty() {
                    props.insert(key.into(), Value::Array(list));
                }
            }
        }
    }
    json!({
        "type": "Microsoft.Network/azureFirewalls",
        "apiVersion": NETWORK_API,
        "name": lit(&f.name),
        "location": location,
        "dependsOn": deps,
        "properties": Value::Object(props)
    })
}

/// A PaaS service (and an App Service plan for a web app), with its public
/// network access and the network rules its template form can hold.
fn service(
    svc: &ServiceDoc,
    kind: &ServiceKind,
    location: Value,
    report: &mut ImportReport,
) -> Vec<Value> {
    let mut out = Vec::new();
    let mut deps: Vec<String> = Vec::new();
    let mut props = Map::new();
    let mut top = Map::new();
    top.insert("type".into(), kind.arm_type.into());
    top.insert("apiVersion".into(), kind.api.into());
    top.insert("name".into(), lit(&svc.name));
    top.insert("location".into(), location.clone());
    top.insert(
        "tags".into(),
        json!({ crate::export_tf::ADDRESS_TAG: lit(&svc.public_ip_address) }),
    );
    props.insert(
        "publicNetworkAccess".into(),
        if svc.public_network_access {
            "Enabled"
        } else {
            "Disabled"
        }
        .into(),
    );
    let restricted = !svc.allowed_subnets.is_empty() || !svc.allowed_ip_ranges.is_empty();
    let default_action = if restricted { "Deny" } else { "Allow" };
    let what = format!("service {}", svc.name);
    match kind.arm_rules {
        ArmRules::NetworkAcls => {
            let storage = kind.tag == "Storage";
            let vnet_rules: Vec<Value> = svc
                .allowed_subnets
                .iter()
                .map(|r| {
                    add_dep(&mut deps, rid("virtualNetworks", &[&r.vnet]));
                    let id = rid("virtualNetworks/subnets", &[&r.vnet, &r.subnet]);
                    if storage {
                        json!({ "id": id, "action": "Allow" })
                    } else {
                        json!({ "id": id })
                    }
                })
                .collect();
            let ip_rules: Vec<Value> = svc
                .allowed_ip_ranges
                .iter()
                .map(|r| {
                    if storage {
                        json!({ "value": lit(r), "action": "Allow" })
                    } else {
                        json!({ "value": lit(r) })
                    }
                })
                .collect();
            props.insert(
                "networkAcls".into(),
                json!({
                    "bypass": "AzureServices",
                    "defaultAction": default_action,
                    "virtualNetworkRules": vnet_rules,
                    "ipRules": ip_rules
                }),
            );
        }
        ArmRules::IpRuleSet => {
            if !svc.allowed_subnets.is_empty() {
                report.skip(
                    format!("{what}: allowed subnets"),
                    "container registries no longer take virtual network rules; the template allows only its IP ranges",
                );
            }
            let ip_rules: Vec<Value> = svc
                .allowed_ip_ranges
                .iter()
                .map(|r| json!({ "action": "Allow", "value": lit(r) }))
                .collect();
            props.insert(
                "networkRuleSet".into(),
                json!({ "defaultAction": default_action, "ipRules": ip_rules }),
            );
        }
        ArmRules::NotRead => {
            if restricted {
                report.skip(
                    format!("{what}: allowed subnets and IP ranges"),
                    format!(
                        "a template holds a {} resource's network rules as child resources or site settings, which are not written yet; the template leaves them out",
                        kind.arm_type
                    ),
                );
            }
        }
    }
    match kind.tag {
        "Storage" => {
            top.insert("sku".into(), json!({ "name": "Standard_LRS" }));
            top.insert("kind".into(), "StorageV2".into());
            props.insert("minimumTlsVersion".into(), "TLS1_2".into());
            props.insert("supportsHttpsTrafficOnly".into(), true.into());
        }
        "AzureKeyVault" => {
            props.insert("tenantId".into(), "[subscription().tenantId]".into());
            props.insert("sku".into(), json!({ "family": "A", "name": "standard" }));
            props.insert("enableRbacAuthorization".into(), true.into());
        }
        "Sql" => {
            props.insert(
                "administratorLogin".into(),
                "[parameters('sqlAdministratorLogin')]".into(),
            );
            props.insert(
                "administratorLoginPassword".into(),
                "[parameters('sqlAdministratorPassword')]".into(),
            );
            props.insert("version".into(), "12.0".into());
            props.insert("minimalTlsVersion".into(), "1.2".into());
        }
        "AzureCosmosDB" => {
            top.insert("kind".into(), "GlobalDocumentDB".into());
            props.insert("databaseAccountOfferType".into(), "Standard".into());
            props.insert(
                "locations".into(),
                json!([{ "locationName": location, "failoverPriority": 0 }]),
            );
            props.insert(
                "consistencyPolicy".into(),
                json!({ "defaultConsistencyLevel": "Session" }),
            );
        }
        "AppService" => {
            let plan = format!("{}-plan", svc.name);
            out.push(json!({
                "type": "Microsoft.Web/serverfarms",
                "apiVersion": WEB_API,
                "name": lit(&plan),
                "location": location,
                "sku": { "name": "B1" },
                "kind": "linux",
                "properties": { "reserved": true }
            }));
            let id = rid_of("Microsoft.Web/serverfarms", &[&plan]);
            props.insert("serverFarmId".into(), id.clone().into());
            props.insert("httpsOnly".into(), true.into());
            add_dep(&mut deps, id);
        }
        "AzureContainerRegistry" => {
            // Private endpoints and network rules need the Premium tier.
            top.insert("sku".into(), json!({ "name": "Premium" }));
            props.insert("adminUserEnabled".into(), false.into());
        }
        "EventHub" => {
            top.insert(
                "sku".into(),
                json!({ "name": "Standard", "tier": "Standard", "capacity": 1 }),
            );
        }
        _ => {
            // Service Bus: private endpoints need the Premium tier.
            top.insert(
                "sku".into(),
                json!({ "name": "Premium", "tier": "Premium", "capacity": 1 }),
            );
        }
    }
    if !deps.is_empty() {
        top.insert("dependsOn".into(), json!(deps));
    }
    top.insert("properties".into(), Value::Object(props));
    out.push(Value::Object(top));
    out
}
