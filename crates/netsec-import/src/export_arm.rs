//! A scenario → a deployable ARM template.
//!
//! Written: application security groups, network security groups with their
//! rules, route tables with their routes, public IPs, virtual networks with
//! their subnets (NSG, route table, service endpoints, private endpoint
//! policies, default outbound access), peerings (as child resources, after
//! both VNets), network interfaces (static private addresses, public IP, NSG,
//! ASGs, IP forwarding) and virtual machines (Ubuntu, size and credentials as
//! parameters). References are `resourceId()` expressions, `dependsOn` lists
//! what each resource refers to, and every Microsoft.Network resource uses
//! API version 2024-05-01.
//!
//! A public IP's address is written as `properties.ipAddress`, which Azure
//! ignores on creation (it allocates one), so the template loads back to the
//! same scenario. Resources the template cannot hold (load balancers,
//! firewalls, PaaS services, private endpoints, admin rules, Internet clients,
//! gateway routes) are listed in the report and in the template's
//! `metadata.notExported`; flows, layout and the title are not part of a
//! network.

use serde_json::{Map, Value, json};

use crate::scenario::doc::*;
use crate::{ImportError, ImportReport};

/// The API version of the Microsoft.Network resources written.
pub const NETWORK_API: &str = "2024-05-01";
/// The API version of virtual machines.
pub const COMPUTE_API: &str = "2024-07-01";

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
    for lb in &doc.load_balancers {
        skip(
            format!("loadBalancers/{}", lb.name),
            "load balancers are not exported yet",
        );
    }
    for f in &doc.firewalls {
        skip(
            format!("azureFirewalls/{}", f.name),
            "firewalls are not exported yet",
        );
    }
    for s in &doc.services {
        skip(
            format!("service {}", s.name),
            "PaaS services are not network resources of the template",
        );
    }
    for p in &doc.private_endpoints {
        skip(
            format!("privateEndpoints/{}", p.name),
            "private endpoints are not exported yet",
        );
    }
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

/// Locations: a VNet's own; other resources take the region of the VNet
/// they are attached to, or the `location` parameter.
struct Places<'d> {
    doc: &'d ScenarioDoc,
}

const LOCATION_PARAM: &str = "[parameters('location')]";

impl Places<'_> {
    fn vnet(&self, name: &str) -> Option<String> {
        self.doc
            .vnets
            .iter()
            .find(|v| v.name == name)
            .map(|v| v.location.clone())
    }
    fn nic(&self, nic: &NicDoc) -> Option<String> {
        nic.ip_configurations
            .first()
            .and_then(|c| self.vnet(&c.vnet))
    }
    fn nsg(&self, name: &str) -> Option<String> {
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
    fn route_table(&self, name: &str) -> Option<String> {
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
    fn pip(&self, name: &str) -> Option<String> {
        self.doc
            .nics
            .iter()
            .find(|n| {
                n.ip_configurations
                    .iter()
                    .any(|c| c.public_ip.as_deref() == Some(name))
            })
            .and_then(|n| self.nic(n))
    }
    fn asg(&self, name: &str) -> Option<String> {
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
    fn vm(&self, vm: &VmDoc) -> Option<String> {
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
            "location": loc(places.asg(&a.name)),
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

    let mut parameters = Map::new();
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
