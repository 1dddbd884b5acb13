//! Azure resource JSON, as the REST API and the az CLI print it.
//!
//! [`read`] accepts:
//!
//! - one resource object, an array of them, or `{"value": [...]}` (REST list
//!   responses, `az ... list`);
//! - objects wrapping resources under any key (`{"NewNIC": {...}}` from
//!   `az network nic create`), and REST API example files (`responses.200.body`);
//! - several such JSON documents one after another in one file.
//!
//! Resources come in the REST/ARM shape (`{"id", "name", "type", "location",
//! "properties": {...}}`) or the az CLI's flattened shape (properties at the
//! top level, `privateIpAddress` spelled as az spells it, `type` sometimes
//! missing: it is then read from the id, `/providers/Microsoft.Network/<type>/…`).
//! Keys are matched ignoring case. References (`{"id": ...}`) are matched by
//! the type and names at the end of the id, ignoring case (the full id first,
//! when two resource groups hold resources of the same name).
//!
//! What the reader understands: virtual networks (subnets and peerings inline
//! or as separate resources), NSGs (rules inline or separate; default rules
//! are recognised and left to the engine), ASGs, route tables and routes,
//! public IPs, NICs, VMs, load balancers, Azure Firewalls (classic rule
//! collections or a firewall policy with its rule collection groups), private
//! endpoints, and PaaS services (storage accounts, SQL servers, key vaults,
//! Cosmos DB accounts, web apps, registries, Event Hubs and Service Bus
//! namespaces).
//!
//! Everything else, and every reference to something not in the input, is
//! listed in the report's `skipped`; values the input does not give are chosen
//! and listed in `assumptions`:
//!
//! - a public IP without an address (dynamic, not yet allocated) gets one from
//!   `20.255.0.0/16` (inside the engine's `AzureCloud` sample, outside every
//!   other service tag's sample);
//! - a PaaS service gets a public endpoint address from its service tag's
//!   sample prefixes (Azure's resources never hold one), unless its tag
//!   `netsec-ip-address`, written by the playground's exports, gives it;
//!   a service's network rules are its `networkAcls` (a container
//!   registry's `networkRuleSet`);
//! - an IP configuration, firewall or frontend without a private address gets
//!   the first free address of its subnet (from the fifth, as Azure's dynamic
//!   allocation does);
//! - a route whose next hop is a firewall's or NIC's address that Azure
//!   assigns at deployment (an `address_of` marker from the ARM or Terraform
//!   reader) gets the address that resource got here; if the resource is not
//!   in the input, the route is skipped;
//! - a missing `location` is the VNet's, or `westeurope`;
//! - an ASG named by a rule or NIC but absent from the input is created empty;
//! - NSG rules found without their NSG (`az network nsg rule list`) create the
//!   NSG; routes without their table create the table;
//! - NICs that name a VM absent from the input make a VM of that name;
//! - a VM whose NIC forwards IP is marked as an appliance;
//! - a resource name used twice (two resource groups) gets a suffix.
//!
//! What is an error: input that is not JSON; a value the reader reads that
//! has the wrong JSON type (`"securityRules": {}`, `"defaultOutboundAccess":
//! "no"`: see [`shape`]), or that a rule requires and lacks (a priority that
//! is not a number); an NSG rule's protocol "Any" or "All", which the API
//! does not take (it stores `*`).

mod convert;
pub(crate) mod ids;
mod json;
mod shape;

use netsec_engine::Network;
use serde_json::Value;

use crate::scenario::doc::ScenarioDoc;
use crate::{ImportError, ImportReport};
use json::{Json, Node};

/// Azure resources converted to a scenario document.
#[derive(Clone, Debug)]
pub struct AzureImport {
    /// The document.
    pub doc: ScenarioDoc,
    /// What was imported, skipped and assumed.
    pub report: ImportReport,
    /// Where the document's parts are in the input, to report build errors
    /// where the input has them.
    sources: convert::Sources,
}

impl AzureImport {
    /// Builds the network; errors point into the Azure input where possible.
    pub fn build(&self) -> Result<Network, ImportError> {
        crate::scenario::build::build(&self.doc).map_err(|e| self.relocate(e))
    }

    /// Maps a document path (`$.nsgs[0].rules[1].priority`) to the input.
    fn relocate(&self, e: ImportError) -> ImportError {
        match self.sources.input_path(e.location()) {
            Some(path) => e.relocated(path),
            None => e,
        }
    }
}

/// Reads Azure resource JSON into a scenario document, without building it.
pub fn read(text: &str) -> Result<AzureImport, ImportError> {
    crate::check_input(text)?;
    let docs = parse_documents(text)?;
    let mut found = Vec::new();
    let mut seen = Seen::default();
    let many = docs.len() > 1;
    for (d, v) in docs.iter().enumerate() {
        let root = if many {
            format!("document {}, $", d + 1)
        } else {
            String::from("$")
        };
        collect(Node::new(v, root), &mut found, &mut seen);
    }
    let hint = || docs.iter().find_map(|d| watcher_hint(d, 0));
    // A Network Watcher result is not a resource list, but the security
    // group view and the effective rules name the NSGs and rules they show:
    // import those, and say what was left out.
    // Nothing to import is an error, not an empty network, unless the input
    // is empty lists (what `az ... list` prints for an empty resource group):
    // lists holding things that are not resources, anywhere in the input, are
    // almost surely the wrong file.
    if found.is_empty() && (!seen.lists || seen.items || seen.flow_log.is_some()) {
        if let Some(h) = hint() {
            return watcher_import(&docs, h);
        }
        let expected = "expected resource objects with an id like \
                        /subscriptions/…/providers/Microsoft.Network/…, as the Azure REST API or az CLI print them";
        if let Some(at) = seen.flow_log {
            return Err(ImportError::new(
                at,
                format!(
                    "this is an NSG flow log record, not a description of resources: the playground \
                     imports the network itself; {expected}, or a scenario, ARM template or Terraform"
                ),
            ));
        }
        return Err(ImportError::new(
            "$",
            if seen.lists {
                format!("the input's lists hold no Azure resources: {expected}")
            } else {
                format!("no Azure resources found: {expected}")
            },
        ));
    }
    let mut reader = convert::Reader::default();
    reader.run(found)?;
    let (doc, report, sources) = reader.finish();
    if is_empty(&doc)
        && let Some(h) = hint()
    {
        return watcher_import(&docs, h);
    }
    Ok(AzureImport {
        doc,
        report,
        sources,
    })
}

/// Converts resources already found (an evaluated template's, a Terraform
/// configuration's), each with the path its errors are reported at.
pub(crate) fn read_resources(items: &[(Value, String)]) -> Result<AzureImport, ImportError> {
    let trees: Vec<Json<'_>> = items.iter().map(|(v, _)| Json::from_value(v)).collect();
    let mut found = Vec::new();
    let mut seen = Seen::default();
    for (v, (_, path)) in trees.iter().zip(items) {
        collect(Node::new(v, path.clone()), &mut found, &mut seen);
    }
    let mut reader = convert::Reader::default();
    reader.run(found)?;
    let (doc, report, sources) = reader.finish();
    Ok(AzureImport {
        doc,
        report,
        sources,
    })
}

/// The placeholder public addresses, in the order they are given out:
/// `20.255.0.1` to `20.255.255.254` (inside the engine's `AzureCloud` sample,
/// outside every other service tag's sample).
pub(crate) fn placeholder_public_ips() -> impl Iterator<Item = std::net::Ipv4Addr> {
    (1u32..65_535).map(|n| std::net::Ipv4Addr::from(0x14ff_0000 + n))
}

/// The key of a marker object that stands, in converted resources, for a
/// private address Azure assigns at deployment: a route's next hop written
/// as `reference(<firewall>).ipConfigurations[0].properties.privateIPAddress`
/// in a template, or as `azurerm_firewall.x.ip_configuration[0].private_ip_address`
/// in Terraform. The reader places the firewall or NIC first, then fills the
/// next hop with the address that resource got (an assumption it reports).
pub(crate) const ADDRESS_OF: &str = "$netsecAddressOf";

/// The marker for the private address of `resource` (an id, or a name within
/// one template), IP configuration `ip_configuration`; `expression` is what the
/// source wrote, for the report.
pub(crate) fn address_of(resource: &str, ip_configuration: usize, expression: &str) -> Value {
    let mut inner = serde_json::Map::new();
    inner.insert("resource".into(), Value::from(resource));
    inner.insert("ipConfiguration".into(), Value::from(ip_configuration));
    inner.insert("expression".into(), Value::from(expression));
    let mut outer = serde_json::Map::new();
    outer.insert(ADDRESS_OF.into(), Value::Object(inner));
    Value::Object(outer)
}

/// The lower-case type-and-names key of a resource id, as references match.
pub(crate) fn id_key(id: &str) -> Option<String> {
    ids::ResId::parse(id).map(|r| r.key())
}

/// A resource as the report names it (`publicIPAddresses/web-ip`), from its
/// lower-cased type.
pub(crate) fn label(ty: &str, name: &str) -> String {
    convert::label(ty, name)
}

/// A resource id as the report names it (`virtualNetworks/v/subnets/web`).
pub(crate) fn label_of_id(id: &str) -> Option<String> {
    ids::ResId::parse(id).map(|r| convert::id_label(&r))
}

/// Whether the reader converts resources of this (lower-cased) type.
pub(crate) fn reads_type(ty: &str) -> bool {
    convert::reads_type(ty)
}

/// Imports the NSG rules a Network Watcher result shows (security group view:
/// rules with their resource ids; effective rules: rules under their NSG's
/// id, with Azure's expanded spellings turned back into API values). Results
/// that show no rules (IP flow verify, next hop) import as an empty network
/// with a report line saying why.
fn watcher_import(docs: &[Json<'_>], what: &str) -> Result<AzureImport, ImportError> {
    let mut items: Vec<(Value, String)> = Vec::new();
    for (d, v) in docs.iter().enumerate() {
        watcher_rules(
            &v.to_value(),
            &format!("document {}, $", d + 1),
            None,
            &mut items,
            0,
        );
    }
    let mut imported = if items.is_empty() {
        AzureImport {
            doc: ScenarioDoc::default(),
            report: ImportReport::default(),
            sources: Default::default(),
        }
    } else {
        read_resources(&items)?
    };
    imported.doc.format = String::from(crate::scenario::doc::FORMAT);
    imported.doc.version = crate::scenario::doc::VERSION;
    let why = if items.is_empty() {
        format!(
            "it is a Network Watcher {what} result: it shows a verdict, not resources, so there is nothing to import (load the resources it is about: az network vnet/nsg/nic show)"
        )
    } else {
        format!(
            "it is a Network Watcher {what} result: only the NSG rules it shows were imported; the VNets, subnets and NICs they apply to are not in it"
        )
    };
    imported.report.skip("the rest of the file", why);
    Ok(imported)
}

/// Collects rule objects from a Network Watcher result.
fn watcher_rules(
    v: &Value,
    path: &str,
    nsg_id: Option<&str>,
    out: &mut Vec<(Value, String)>,
    depth: usize,
) {
    if depth > 12 {
        return;
    }
    match v {
        Value::Object(obj) => {
            let id = obj.get("id").and_then(Value::as_str);
            // Security group view: a rule with its full id and properties.
            if let (Some(id), Some(props)) = (id, obj.get("properties")) {
                let lower = id.to_ascii_lowercase();
                if lower.contains("/networksecuritygroups/")
                    && lower.contains("/securityrules/")
                    && !lower.contains("/defaultsecurityrules/")
                {
                    let name = id.rsplit('/').next().unwrap_or_default();
                    let rule = serde_json::json!({ "id": id, "name": name, "type": "Microsoft.Network/networkSecurityGroups/securityRules", "properties": props });
                    out.push((rule, path.to_string()));
                    return;
                }
            }
            // Effective rules: under `networkSecurityGroup.id`, names prefixed.
            let here_nsg = obj
                .get("networkSecurityGroup")
                .and_then(|n| n.get("id"))
                .and_then(Value::as_str)
                .or(nsg_id);
            if let (Some(nsg), Some(name), None) =
                (here_nsg, obj.get("name").and_then(Value::as_str), id)
            {
                if let Some(rule) = name.strip_prefix("securityRules/") {
                    let mut props = obj.clone();
                    props.remove("name");
                    for key in [
                        "expandedSourceAddressPrefix",
                        "expandedDestinationAddressPrefix",
                    ] {
                        props.remove(key);
                    }
                    let unexpand = |x: &Value| match x.as_str() {
                        Some("0.0.0.0/0") | Some("0-65535") => Value::String(String::from("*")),
                        Some("All") => Value::String(String::from("*")),
                        _ => x.clone(),
                    };
                    for (_, val) in props.iter_mut() {
                        let next = match &*val {
                            Value::Array(a) => Value::Array(a.iter().map(unexpand).collect()),
                            other => unexpand(other),
                        };
                        *val = next;
                    }
                    let id = format!("{nsg}/securityRules/{rule}");
                    let rule_value = serde_json::json!({ "id": id, "name": rule, "type": "Microsoft.Network/networkSecurityGroups/securityRules", "properties": props });
                    out.push((rule_value, path.to_string()));
                    return;
                }
                if name.starts_with("defaultSecurityRules/") {
                    return;
                }
            }
            for (k, x) in obj {
                watcher_rules(x, &format!("{path}.{k}"), here_nsg, out, depth + 1);
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                watcher_rules(x, &format!("{path}[{i}]"), nsg_id, out, depth + 1);
            }
        }
        _ => {}
    }
}

#[allow(
    dead_code,
    reason = "kept for messages about pasted tool output elsewhere"
)]
fn not_a_network(what: &str) -> String {
    format!(
        "this is a Network Watcher {what} result, not a network; load the resources it is about instead \
         (az network vnet show, az network nsg show, az network nic show, ...)"
    )
}

/// Whether a document holds no resource at all.
fn is_empty(doc: &ScenarioDoc) -> bool {
    doc.vnets.is_empty()
        && doc.nsgs.is_empty()
        && doc.asgs.is_empty()
        && doc.route_tables.is_empty()
        && doc.public_ips.is_empty()
        && doc.nics.is_empty()
        && doc.vms.is_empty()
        && doc.load_balancers.is_empty()
        && doc.firewalls.is_empty()
        && doc.services.is_empty()
        && doc.private_endpoints.is_empty()
}

/// Recognises the outputs of Network Watcher's tools, which people paste by
/// mistake, to say so instead of "nothing found".
fn watcher_hint(v: &Json<'_>, depth: usize) -> Option<&'static str> {
    if depth > 8 {
        return None;
    }
    match v {
        Json::Object(obj) => {
            let has = |k: &str| v.contains_key(k);
            if has("effectiveSecurityRules") {
                return Some("effective security rules");
            }
            if has("securityRuleAssociations") {
                return Some("security group view");
            }
            if has("access") && has("ruleName") {
                return Some("IP flow verify");
            }
            if has("nextHopType") && has("routeTableId") {
                return Some("next hop");
            }
            if has("nextHopType") && has("source") && has("state") {
                return Some("effective routes");
            }
            obj.iter().find_map(|(_, x)| watcher_hint(x, depth + 1))
        }
        Json::Array(a) => a.iter().find_map(|x| watcher_hint(x, depth + 1)),
        _ => None,
    }
}

/// Every JSON document in the text, one after another.
fn parse_documents(text: &str) -> Result<Vec<Json<'_>>, ImportError> {
    let mut docs = Vec::new();
    for item in serde_json::Deserializer::from_str(text).into_iter::<Json<'_>>() {
        match item {
            Ok(v) => docs.push(v),
            Err(e) => return Err(crate::scenario::json_error(&e, "")),
        }
    }
    Ok(docs)
}

/// A resource object found in the input.
#[derive(Clone, Debug)]
pub(crate) struct Found<'a> {
    pub node: Node<'a>,
    /// Lower-cased type (`microsoft.network/virtualnetworks`).
    pub ty: String,
    pub id: ids::ResId,
    pub name: String,
}

impl<'a> Found<'a> {
    fn recognise(n: &Node<'a>) -> Option<Found<'a>> {
        let obj = n.v.as_object()?;
        let type_field = n.child_str("type").filter(|t| t.contains('/'));
        let id = n.ref_id();
        if type_field.is_none() {
            // A bare reference ({"id": ...}) is not a resource.
            id.as_ref()?;
            let only_ref = obj.iter().all(|(k, _)| {
                k.eq_ignore_ascii_case("id") || k.eq_ignore_ascii_case("resourceGroup")
            });
            if only_ref {
                return None;
            }
        }
        let ty_raw = match (type_field, &id) {
            (Some(t), _) => t.to_string(),
            (None, Some(id)) => id.ty_raw.clone(),
            (None, None) => return None,
        };
        let ty = ty_raw.to_ascii_lowercase();
        let name = n.name().unwrap_or_default();
        let id = id.unwrap_or_else(|| ids::ResId::from_parts(&ty_raw, vec![name.clone()]));
        Some(Found {
            node: n.clone(),
            ty,
            id,
            name,
        })
    }
}

/// What [`collect`] saw besides resources, for the error when it found none.
#[derive(Default)]
struct Seen {
    /// Some array (an `az ... list` output, a `value` list).
    lists: bool,
    /// Some array with an element: an empty resource group prints `[]`, but
    /// a list of non-resources is the wrong file.
    items: bool,
    /// The path of an NSG flow log record (`"category": "NetworkSecurityGroupFlowEvent"`).
    flow_log: Option<String>,
}

/// Finds resource objects, looking through arrays, `value` lists and wrapper objects.
fn collect<'a>(n: Node<'a>, out: &mut Vec<Found<'a>>, seen: &mut Seen) {
    match n.v {
        Json::Array(a) => {
            seen.lists = true;
            seen.items |= !a.is_empty();
            for item in n.items() {
                collect(item, out, seen);
            }
        }
        Json::Object(obj) => {
            if let Some(r) = Found::recognise(&n) {
                out.push(r);
                return;
            }
            if seen.flow_log.is_none()
                && n.child("category")
                    .and_then(|c| c.str())
                    .is_some_and(|c| c.ends_with("FlowEvent"))
            {
                seen.flow_log = Some(n.path());
            }
            if let Some(v) = n.child("value").filter(|v| v.v.is_array()) {
                collect(v, out, seen);
                return;
            }
            // A REST API specification example: the response body holds the resource.
            if let Some(responses) = n.child("responses") {
                let body = ["200", "201"]
                    .iter()
                    .find_map(|code| responses.child(code).and_then(|r| r.child("body")));
                if let Some(body) = body {
                    collect(body, out, seen);
                }
                return;
            }
            for (key, _) in obj {
                if let Some(child) = n.child(key) {
                    collect(child, out, seen);
                }
            }
        }
        _ => {}
    }
}
