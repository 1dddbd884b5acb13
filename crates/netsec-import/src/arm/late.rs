//! `reference()` to a resource the template itself deploys, resolved after
//! every resource is evaluated.
//!
//! `reference(X)` returns the deployed resource's properties (with `'Full'`,
//! the whole resource), which only Azure has. When `X` is in the template,
//! most of what a network template reads back is what the template wrote:
//! a subnet's `addressPrefix`, a NIC's static address. Those are read from
//! the evaluated resource. Three values Azure computes are chosen the way
//! the rest of the import chooses them, and reported:
//!
//! - a firewall's or NIC's `privateIPAddress` as a route's next hop, a
//!   security rule's source or destination prefix, or a firewall DNAT
//!   rule's translated address: an [`azure::address_of`]
//!   marker, which the Azure reader fills in with the address it gives that
//!   resource;
//! - a public IP's `ipAddress`: a placeholder from `20.255.0.0/16` (the
//!   range the reader uses for public IPs without an address), written into
//!   the public IP itself so both agree;
//! - anything else is left out, as an unresolved value always was.

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};

use super::eval::{Session, clip_expr};
use super::func::get_ci;
use crate::azure;

/// The key of the object that stands for a late reference in evaluated
/// resources until [`resolve`] replaces it.
const LATE: &str = "$netsecLateReference";

/// One step into a value: a property or an array element.
#[derive(Clone, Debug)]
pub(crate) enum Seg {
    Key(String),
    Index(usize),
}

/// A `reference()` waiting for its resource.
#[derive(Clone, Debug)]
pub(crate) struct LateRef {
    /// The resource: an id, or a name within the template.
    pub target: String,
    /// `reference(x, version, 'Full')`: the chain starts at the resource, not
    /// at its properties.
    pub full: bool,
    pub chain: Vec<Seg>,
    /// Where the value goes, in the template.
    pub path: String,
    /// The expression as written.
    pub text: String,
    /// Why it could not be evaluated on the spot.
    pub why: String,
}

/// The stand-in for late reference `k`.
pub(crate) fn marker(k: usize) -> Value {
    let mut m = Map::new();
    m.insert(LATE.into(), Value::from(k));
    Value::Object(m)
}

/// The lower-case `type/names` key of a resource (as `azure::id_key` gives
/// for an id), from the id the evaluator gave it (a child declared on its
/// own, `hub/web`, has only `web` as its name there).
fn key_of(resource: &Value) -> Option<String> {
    let o = resource.as_object()?;
    if let Some(key) = get_ci(o, "id")
        .and_then(Value::as_str)
        .and_then(azure::id_key)
    {
        return Some(key);
    }
    let ty = get_ci(o, "type")?.as_str()?;
    let name = get_ci(o, "name")?.as_str()?;
    Some(format!("{ty}/{name}").to_ascii_lowercase())
}

/// A key's names (`hub/web` of `microsoft.network/virtualnetworks/subnets/hub/web`):
/// a type has one more segment than there are names.
fn names_of(key: &str) -> &str {
    let segments = key.split('/').count();
    let names = segments.saturating_sub(1) / 2;
    let skip = segments - names;
    key.splitn(skip + 1, '/').nth(skip).unwrap_or(key)
}

/// A resource's lower-case type.
fn type_of(resource: &Value) -> Option<String> {
    let ty = get_ci(resource.as_object()?, "type")?.as_str()?;
    Some(ty.split('@').next().unwrap_or(ty).to_ascii_lowercase())
}

/// Replaces every late-reference marker in `out` with its value, or with
/// null (then listed as unresolved, as before).
pub(crate) fn resolve(out: &mut [(Value, String)], s: &mut Session) {
    if s.late.is_empty() && s.pip_placeholders.is_empty() {
        return;
    }
    let late = std::mem::take(&mut s.late);
    let index = Index::new(out);
    let mut taken: HashSet<String> = HashSet::new();
    collect_addresses(out.iter().map(|(v, _)| v), &mut taken);
    let mut values: Vec<Value> = Vec::with_capacity(late.len());
    // (resource position, address) for public IPs given a placeholder here.
    let mut pip_addresses: HashMap<usize, String> = HashMap::new();
    for (key, ip) in std::mem::take(&mut s.pip_placeholders) {
        taken.insert(ip.clone());
        let label = azure::label("microsoft.network/publicipaddresses", names_of(&key));
        match index.by_key.get(&key) {
            Some(&pos) => {
                pip_addresses.insert(pos, ip.clone());
                s.report.assumptions.push(format!(
                    "{label} gets its address from Azure at deployment, and the template reads it with reference(); it gets the placeholder {ip} from 20.255.0.0/16, and so does every value read from it"
                ));
            }
            None => s.report.assumptions.push(format!(
                "{label} is not in the template, and the template reads its address with reference(); the placeholder {ip} stands for it, and no public IP of the import holds it"
            )),
        }
    }
    for r in &late {
        let shown = clip_expr(&r.text);
        let Some((pos, resource, ty)) = index.find(out, &r.target) else {
            if is_next_hop(&r.path) && last_key(&r.chain) == "privateipaddress" {
                // The Azure reader says which resource is missing, and
                // leaves the route out.
                values.push(azure::address_of(&r.target, first_index(&r.chain), &r.text));
            } else {
                s.unresolved
                    .push((r.path.clone(), r.text.clone(), r.why.clone()));
                values.push(Value::Null);
            }
            continue;
        };
        let start = if r.full {
            Some(resource)
        } else {
            resource.as_object().and_then(|o| get_ci(o, "properties"))
        };
        let found = start
            .and_then(|v| walk(v, &r.chain))
            .filter(|v| !v.is_null());
        let last = last_key(&r.chain);
        let label = azure::label_of_id(&r.target)
            .unwrap_or_else(|| azure::label(&ty, resource_name(resource)));
        if let Some(v) = found {
            let given = if has_marker(v) {
                String::from("itself read with reference()")
            } else {
                crate::scenario::short_json(v)
            };
            s.report.assumptions.push(format!(
                "{}: '{shown}' reads {label}, which this template deploys; the value the template gives it ({given}) is used",
                r.path
            ));
            values.push(v.clone());
        } else if last == "privateipaddress"
            && (is_next_hop(&r.path) || is_rule_prefix(&r.path) || is_translated(&r.path))
            && (ty == "microsoft.network/azurefirewalls"
                || ty == "microsoft.network/networkinterfaces")
        {
            values.push(azure::address_of(&r.target, first_index(&r.chain), &r.text));
        } else if last == "ipaddress" && ty == "microsoft.network/publicipaddresses" {
            let ip = match pip_addresses.get(&pos) {
                Some(ip) => ip.clone(),
                None => {
                    let Some(ip) = free_placeholder(&taken) else {
                        s.unresolved
                            .push((r.path.clone(), r.text.clone(), r.why.clone()));
                        values.push(Value::Null);
                        continue;
                    };
                    taken.insert(ip.clone());
                    pip_addresses.insert(pos, ip.clone());
                    s.report.assumptions.push(format!(
                        "{label} gets its address from Azure at deployment, and the template reads it with reference(); it gets the placeholder {ip} from 20.255.0.0/16, and so does every value read from it"
                    ));
                    ip
                }
            };
            values.push(Value::from(ip));
        } else {
            s.unresolved
                .push((r.path.clone(), r.text.clone(), r.why.clone()));
            values.push(Value::Null);
        }
    }
    for (pos, ip) in pip_addresses {
        if let Some((Value::Object(o), _)) = out.get_mut(pos) {
            let props = o
                .entry("properties")
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(p) = props {
                p.insert("ipAddress".into(), Value::from(ip));
            }
        }
    }
    // A value read from a resource may itself be a late reference (a route
    // copied from a route whose next hop is one): settle those first, a few
    // rounds at most (a reference to itself settles as null).
    for _ in 0..8 {
        let snapshot = values.clone();
        let mut changed = false;
        for v in &mut values {
            changed |= replace_markers(v, &snapshot);
        }
        if !changed {
            break;
        }
    }
    let settled: Vec<Value> = values
        .into_iter()
        .map(|mut v| {
            replace_markers(&mut v, &[]);
            v
        })
        .collect();
    for (v, _) in out.iter_mut() {
        replace_markers(v, &settled);
    }
}

/// The template's resources by key and by name.
struct Index {
    by_key: HashMap<String, usize>,
    by_name: HashMap<String, usize>,
}

impl Index {
    fn new(out: &[(Value, String)]) -> Self {
        let mut by_key = HashMap::new();
        let mut by_name = HashMap::new();
        for (i, (v, _)) in out.iter().enumerate() {
            let Some(k) = key_of(v) else { continue };
            // By its names (`hub/web`) and by its own (`web`), the first
            // resource of a name winning.
            let names = names_of(&k).to_string();
            if let Some((_, last)) = names.rsplit_once('/') {
                by_name.entry(last.to_string()).or_insert(i);
            }
            by_name.entry(names).or_insert(i);
            by_key.entry(k).or_insert(i);
        }
        Self { by_key, by_name }
    }

    /// The resource a `reference()` names: (position, the resource, its
    /// lower-case type). A subnet declared inside its VNet is found too.
    fn find<'o>(
        &self,
        out: &'o [(Value, String)],
        target: &str,
    ) -> Option<(usize, &'o Value, String)> {
        let key = if target.starts_with('/') {
            azure::id_key(target)?
        } else {
            let i = *self.by_name.get(&target.to_ascii_lowercase())?;
            let v = &out.get(i)?.0;
            return Some((i, v, type_of(v)?));
        };
        if let Some(&i) = self.by_key.get(&key) {
            let v = &out.get(i)?.0;
            return Some((i, v, type_of(v)?));
        }
        // `.../virtualNetworks/v/subnets/s`, declared inline in v.
        let rest = key.strip_prefix("microsoft.network/virtualnetworks/subnets/")?;
        let (vnet, subnet) = rest.split_once('/')?;
        let vkey = format!("microsoft.network/virtualnetworks/{vnet}");
        let &i = self.by_key.get(&vkey)?;
        let v = &out.get(i)?.0;
        let subnets = get_ci(
            get_ci(v.as_object()?, "properties")?.as_object()?,
            "subnets",
        )?;
        let found = subnets.as_array()?.iter().find(|x| {
            x.as_object()
                .and_then(|o| get_ci(o, "name"))
                .and_then(Value::as_str)
                .is_some_and(|n| n.eq_ignore_ascii_case(subnet))
        })?;
        Some((
            i,
            found,
            String::from("microsoft.network/virtualnetworks/subnets"),
        ))
    }
}

/// Follows a chain of properties (ignoring case) and indexes.
fn walk<'v>(mut v: &'v Value, chain: &[Seg]) -> Option<&'v Value> {
    for seg in chain {
        v = match (seg, v) {
            (Seg::Key(k), Value::Object(o)) => get_ci(o, k)?,
            (Seg::Index(i), Value::Array(a)) => a.get(*i)?,
            _ => return None,
        };
    }
    Some(v)
}

/// Replaces each marker in `v` with its value (null when `values` has
/// none); whether any was replaced.
fn replace_markers(v: &mut Value, values: &[Value]) -> bool {
    match v {
        Value::Object(o) => {
            if o.len() == 1
                && let Some(k) = o.get(LATE).and_then(Value::as_u64)
            {
                *v = usize::try_from(k)
                    .ok()
                    .and_then(|k| values.get(k))
                    .cloned()
                    .unwrap_or(Value::Null);
                return true;
            }
            let mut any = false;
            for x in o.values_mut() {
                any |= replace_markers(x, values);
            }
            any
        }
        Value::Array(a) => {
            let mut any = false;
            for x in a {
                any |= replace_markers(x, values);
            }
            any
        }
        _ => false,
    }
}

/// Whether a value holds a marker.
fn has_marker(v: &Value) -> bool {
    match v {
        Value::Object(o) => o.contains_key(LATE) || o.values().any(has_marker),
        Value::Array(a) => a.iter().any(has_marker),
        _ => false,
    }
}

/// Every string that is an address, anywhere in the resources.
fn collect_addresses<'v>(values: impl Iterator<Item = &'v Value>, into: &mut HashSet<String>) {
    for v in values {
        match v {
            Value::String(t) if t.parse::<std::net::IpAddr>().is_ok() => {
                into.insert(t.clone());
            }
            Value::Object(o) => collect_addresses(o.values(), into),
            Value::Array(a) => collect_addresses(a.iter(), into),
            _ => {}
        }
    }
}

/// The first address of `20.255.0.0/16` (from `.0.1`) nothing uses.
fn free_placeholder(taken: &HashSet<String>) -> Option<String> {
    azure::placeholder_public_ips()
        .map(|ip| ip.to_string())
        .find(|ip| !taken.contains(ip))
}

/// The chain's last property, lower-cased ("" if it ends in an index).
fn last_key(chain: &[Seg]) -> String {
    match chain.last() {
        Some(Seg::Key(k)) => k.to_ascii_lowercase(),
        _ => String::new(),
    }
}

/// The first index in a chain: the IP configuration of
/// `ipConfigurations[k].properties.privateIPAddress` (0 if none).
fn first_index(chain: &[Seg]) -> usize {
    chain
        .iter()
        .find_map(|seg| match seg {
            Seg::Index(i) => Some(*i),
            Seg::Key(_) => None,
        })
        .unwrap_or(0)
}

/// Whether a value's path is a security rule's single source or
/// destination prefix.
fn is_rule_prefix(path: &str) -> bool {
    path.rsplit('.').next().is_some_and(|k| {
        k.eq_ignore_ascii_case("sourceAddressPrefix")
            || k.eq_ignore_ascii_case("destinationAddressPrefix")
    })
}

/// Whether a value's path is a firewall DNAT rule's translated address.
fn is_translated(path: &str) -> bool {
    path.rsplit('.')
        .next()
        .is_some_and(|k| k.eq_ignore_ascii_case("translatedAddress"))
}

/// Whether a value's path is a route's next-hop address.
fn is_next_hop(path: &str) -> bool {
    path.rsplit('.')
        .next()
        .is_some_and(|k| k.eq_ignore_ascii_case("nextHopIpAddress"))
}

fn resource_name(v: &Value) -> &str {
    v.as_object()
        .and_then(|o| get_ci(o, "name"))
        .and_then(Value::as_str)
        .unwrap_or("?")
}
