//! Reading and writing the scenario document types over [`super::json`].
//!
//! Every document type implements [`Codec`]: `read` takes a [`Json`] value and
//! the [`At`] path it sits at and returns the value or an error at that JSON
//! path (`$.nsgs[0].rules[2].priority`); `write` appends the value to a
//! [`Writer`]. Structs get both from one table in [`doc_codec!`], which names
//! each field's JSON key and what happens when it is absent:
//!
//! - `req`: required; a missing key is an error at the object's path.
//! - `opt`: defaults to `Default::default()`, always written.
//! - `skip`: defaults to `Default::default()`, left out when equal to it.
//! - `def(e)`: defaults to `e`, always written.
//! - `defskip(e)`: defaults to `e`, left out when equal to it.
//!
//! Unknown and repeated keys are errors (a typo is reported, not ignored),
//! `null` is only accepted where the field is optional (`Option`), and the
//! struct literal in the generated `read` lists every field, so a field added
//! to a type and not to its table does not compile.

use std::collections::BTreeMap;

use super::doc::*;
use super::json::{Json, Writer};
use crate::ImportError;

type Res<T> = Result<T, ImportError>;

/// Where a value sits in the document; rendered as a JSON path only when an
/// error needs it, so reading a valid file builds no path strings.
#[derive(Clone, Copy)]
pub enum At<'p> {
    /// `$`.
    Root,
    /// A member of an object.
    Key(&'p At<'p>, &'p str),
    /// An item of an array.
    Index(&'p At<'p>, usize),
}

impl At<'_> {
    /// The JSON path: `$.vnets[0].subnets[1].name`.
    pub fn path(&self) -> String {
        let mut out = String::new();
        self.push(&mut out);
        out
    }

    fn push(&self, out: &mut String) {
        match self {
            At::Root => out.push('$'),
            At::Key(parent, key) => {
                parent.push(out);
                super::push_key(out, key);
            }
            At::Index(parent, i) => {
                parent.push(out);
                out.push('[');
                out.push_str(&i.to_string());
                out.push(']');
            }
        }
    }

    /// An error at this path.
    #[inline(never)]
    pub fn error(&self, message: impl Into<String>) -> ImportError {
        ImportError::new(self.path(), message)
    }
}

/// "expected `what`, found <the value>", at `at`.
#[inline(never)]
fn expected(at: &At<'_>, what: &str, found: &Json<'_>) -> ImportError {
    at.error(format!("expected {what}, found {}", found.describe()))
}

/// A document value that reads itself from JSON and writes itself back.
pub trait Codec: Sized {
    /// Reads the value at `at`.
    fn read(v: &Json<'_>, at: &At<'_>) -> Res<Self>;
    /// Appends the value.
    fn write(&self, w: &mut Writer);
}

impl Codec for String {
    fn read(v: &Json<'_>, at: &At<'_>) -> Res<Self> {
        match v {
            Json::String(s) => Ok(s.to_string()),
            other => Err(expected(at, "a string", other)),
        }
    }
    fn write(&self, w: &mut Writer) {
        w.string(self);
    }
}

impl Codec for bool {
    fn read(v: &Json<'_>, at: &At<'_>) -> Res<Self> {
        match v {
            Json::Bool(b) => Ok(*b),
            other => Err(expected(at, "a boolean (true or false)", other)),
        }
    }
    fn write(&self, w: &mut Writer) {
        w.raw(if *self { "true" } else { "false" });
    }
}

/// An integer within `min..=max`, named `what` in messages.
#[inline(never)]
fn integer(v: &Json<'_>, at: &At<'_>, what: &str, min: i64, max: i64) -> Res<i64> {
    let Json::Number(text) = v else {
        return Err(expected(at, what, v));
    };
    if text.contains(['.', 'e', 'E']) {
        return Err(expected(at, what, v));
    }
    match text.parse::<i64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(at.error(format!(
            "expected {what}, found {} (out of range {min} to {max})",
            v.describe()
        ))),
    }
}

impl Codec for i64 {
    fn read(v: &Json<'_>, at: &At<'_>) -> Res<Self> {
        integer(v, at, "i64", i64::MIN, i64::MAX)
    }
    fn write(&self, w: &mut Writer) {
        w.raw(&self.to_string());
    }
}

impl Codec for u32 {
    fn read(v: &Json<'_>, at: &At<'_>) -> Res<Self> {
        integer(v, at, "u32", 0, i64::from(u32::MAX)).map(|n| n as u32)
    }
    fn write(&self, w: &mut Writer) {
        w.raw(&self.to_string());
    }
}

impl Codec for u8 {
    fn read(v: &Json<'_>, at: &At<'_>) -> Res<Self> {
        integer(v, at, "u8", 0, 255).map(|n| n as u8)
    }
    fn write(&self, w: &mut Writer) {
        w.raw(&self.to_string());
    }
}

impl Codec for f64 {
    fn read(v: &Json<'_>, at: &At<'_>) -> Res<Self> {
        match v {
            Json::Number(text) => match decimal(text) {
                Some(x) if x.is_finite() => Ok(x),
                _ => Err(at.error(format!("the number {} is too large", v.short()))),
            },
            other => Err(expected(at, "a number", other)),
        }
    }
    /// To a thousandth ([`super::json::decimal_text`]): the only f64 fields
    /// are diagram positions, which the playground keeps in whole units.
    fn write(&self, w: &mut Writer) {
        w.raw(&super::json::decimal_text(*self));
    }
}

/// A JSON number's value, without core's float parser (its code and its
/// power-of-five tables cost the browser bundle about 10 KB gzip; the
/// scenario's only non-integers are diagram positions).
///
/// Exact (correctly rounded) when the number has at most 15 significant
/// digits and a decimal exponent within ±22, which covers every position the
/// playground writes (whole diagram units) and any hand-written one; longer
/// numbers are read to within a few units in the last place, which a diagram
/// cannot show. `None` when the text is not a JSON number.
fn decimal(text: &str) -> Option<f64> {
    /// Powers of ten that f64 holds exactly.
    const POW10: [f64; 23] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
        1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];
    let (negative, rest) = match text.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, text),
    };
    let (number, exponent) = match rest.find(['e', 'E']) {
        Some(i) => (
            rest.get(..i)?,
            rest.get(i + 1..)?
                .trim_start_matches('+')
                .parse::<i32>()
                .ok()?,
        ),
        None => (rest, 0),
    };
    let (int, frac) = number.split_once('.').unwrap_or((number, ""));
    let mut mantissa: u64 = 0;
    let mut scale: i32 = exponent;
    let mut digits = 0;
    for (i, b) in int.bytes().chain(frac.bytes()).enumerate() {
        if !b.is_ascii_digit() {
            return None;
        }
        let in_fraction = i >= int.len();
        if digits < 19 {
            if mantissa > 0 || b != b'0' {
                digits += 1;
            }
            mantissa = mantissa * 10 + u64::from(b - b'0');
            if in_fraction {
                scale -= 1;
            }
        } else if !in_fraction {
            // Digits beyond 19 in the integer part still count as magnitude.
            scale += 1;
        }
    }
    let m = mantissa as f64;
    let value = if mantissa <= 1 << 53 && (0..=22).contains(&scale) {
        m * POW10[scale as usize]
    } else if mantissa <= 1 << 53 && (-22..0).contains(&scale) {
        m / POW10[(-scale) as usize]
    } else if scale >= 0 {
        m * 10f64.powi(scale)
    } else {
        // Two steps, so 10^-scale does not overflow before m is applied.
        let half = scale / 2;
        m / 10f64.powi(-half) / 10f64.powi(half - scale)
    };
    Some(if negative { -value } else { value })
}

impl<T: Codec> Codec for Option<T> {
    fn read(v: &Json<'_>, at: &At<'_>) -> Res<Self> {
        match v {
            Json::Null => Ok(None),
            v => T::read(v, at).map(Some),
        }
    }
    fn write(&self, w: &mut Writer) {
        match self {
            Some(v) => v.write(w),
            None => w.raw("null"),
        }
    }
}

impl<T: Codec> Codec for Vec<T> {
    #[inline(never)]
    fn read(v: &Json<'_>, at: &At<'_>) -> Res<Self> {
        let Json::Array(items) = v else {
            return Err(expected(at, "a list", v));
        };
        items
            .iter()
            .enumerate()
            .map(|(i, item)| T::read(item, &At::Index(at, i)))
            .collect()
    }
    fn write(&self, w: &mut Writer) {
        w.begin_array();
        for item in self {
            w.item();
            item.write(w);
        }
        w.end_array();
    }
}

impl<T: Codec> Codec for BTreeMap<String, T> {
    fn read(v: &Json<'_>, at: &At<'_>) -> Res<Self> {
        let Json::Object(members) = v else {
            return Err(expected(at, "an object", v));
        };
        let mut map = BTreeMap::new();
        for (k, v) in members {
            // A repeated key: the last one wins, as in most JSON readers.
            map.insert(k.to_string(), T::read(v, &At::Key(at, k))?);
        }
        Ok(map)
    }
    fn write(&self, w: &mut Writer) {
        w.begin_object();
        for (k, v) in self {
            w.key(k);
            v.write(w);
        }
        w.end_object();
    }
}

/// An object's members, checked against the keys its type knows: each known
/// at most once, none unknown.
#[inline(never)]
pub(crate) fn members<'v, 'a>(
    v: &'v Json<'a>,
    at: &At<'_>,
    keys: &[&str],
) -> Res<&'v [(std::borrow::Cow<'a, str>, Json<'a>)]> {
    let Json::Object(members) = v else {
        return Err(expected(at, "an object", v));
    };
    for (i, (k, _)) in members.iter().enumerate() {
        if !keys.contains(&k.as_ref()) {
            let known: Vec<String> = keys.iter().map(|k| format!("'{k}'")).collect();
            return Err(At::Key(at, k).error(format!(
                "unknown field '{}', expected one of {}",
                crate::scenario::build::clip(k),
                known.join(", ")
            )));
        }
        if members
            .get(..i)
            .is_some_and(|before| before.iter().any(|(b, _)| b == k))
        {
            return Err(At::Key(at, k).error(format!("duplicate field '{k}'")));
        }
    }
    Ok(members)
}

fn find<'v, 'a>(
    members: &'v [(std::borrow::Cow<'a, str>, Json<'a>)],
    key: &str,
) -> Option<&'v Json<'a>> {
    members.iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

// Size: the helpers below are never inlined, so each exists once per field
// type (a dozen) rather than once per field (two hundred); the same holds for
// each struct's `read` and `write`. This roughly halves the codec's wasm.

/// A required member.
#[inline(never)]
fn required<T: Codec>(
    members: &[(std::borrow::Cow<'_, str>, Json<'_>)],
    at: &At<'_>,
    key: &str,
) -> Res<T> {
    match find(members, key) {
        Some(v) => T::read(v, &At::Key(at, key)),
        None => Err(missing(at, key)),
    }
}

#[inline(never)]
fn missing(at: &At<'_>, key: &str) -> ImportError {
    at.error(format!("missing field '{key}'"))
}

/// A member that may be absent.
#[inline(never)]
fn optional<T: Codec>(
    members: &[(std::borrow::Cow<'_, str>, Json<'_>)],
    at: &At<'_>,
    key: &str,
    default: fn() -> T,
) -> Res<T> {
    match find(members, key) {
        Some(v) => T::read(v, &At::Key(at, key)),
        None => Ok(default()),
    }
}

fn is_default<T: Default + PartialEq>(v: &T) -> bool {
    *v == T::default()
}

macro_rules! field_read {
    ($m:ident, $at:ident, $key:literal, req) => {
        required($m, $at, $key)?
    };
    ($m:ident, $at:ident, $key:literal, opt) => {
        optional($m, $at, $key, Default::default)?
    };
    ($m:ident, $at:ident, $key:literal, skip) => {
        optional($m, $at, $key, Default::default)?
    };
    ($m:ident, $at:ident, $key:literal, def($d:expr)) => {
        optional($m, $at, $key, || $d)?
    };
    ($m:ident, $at:ident, $key:literal, defskip($d:expr)) => {
        optional($m, $at, $key, || $d)?
    };
}

/// Writes one member.
#[inline(never)]
fn put<T: Codec>(w: &mut Writer, key: &str, v: &T) {
    w.key(key);
    v.write(w);
}

/// Writes one member unless it has its type's default value.
#[inline(never)]
fn put_unless_default<T: Codec + Default + PartialEq>(w: &mut Writer, key: &str, v: &T) {
    if !is_default(v) {
        put(w, key, v);
    }
}

macro_rules! field_write {
    ($w:ident, $v:expr, $key:literal, skip) => {
        put_unless_default($w, $key, &$v)
    };
    ($w:ident, $v:expr, $key:literal, defskip($d:expr)) => {
        if $v != $d {
            put($w, $key, &$v);
        }
    };
    ($w:ident, $v:expr, $key:literal, $($always:tt)*) => {
        put($w, $key, &$v)
    };
}

/// [`Codec`] for a document struct from its field table (see the module docs).
macro_rules! doc_codec {
    ($ty:ident { $($field:ident : $key:literal $mode:ident $(($d:expr))?),* $(,)? }) => {
        impl Codec for $ty {
            #[inline(never)]
            fn read(v: &Json<'_>, at: &At<'_>) -> Res<Self> {
                let m = members(v, at, &[$($key),*])?;
                Ok($ty { $($field: field_read!(m, at, $key, $mode $(($d))?)),* })
            }
            #[inline(never)]
            fn write(&self, w: &mut Writer) {
                w.begin_object();
                $(field_write!(w, self.$field, $key, $mode $(($d))?);)*
                w.end_object();
            }
        }
    };
}

doc_codec!(ScenarioDoc {
    format: "format" req,
    version: "version" req,
    title: "title" skip,
    description: "description" skip,
    subscription: "subscription" opt,
    vnets: "vnets" skip,
    nsgs: "nsgs" skip,
    asgs: "asgs" skip,
    route_tables: "routeTables" skip,
    public_ips: "publicIps" skip,
    nics: "nics" skip,
    vms: "vms" skip,
    load_balancers: "loadBalancers" skip,
    firewalls: "firewalls" skip,
    services: "services" skip,
    private_endpoints: "privateEndpoints" skip,
    admin_rules: "adminRules" skip,
    internet_clients: "internetClients" skip,
    flows: "flows" skip,
    layout: "layout" skip,
});

doc_codec!(SubscriptionDoc {
    offer_type: "offerType" def(String::from(DEFAULT_OFFER)),
    smtp_exemption: "smtpExemption" skip,
});

doc_codec!(PositionDoc {
    x: "x" req,
    y: "y" req,
    w: "w" skip,
    h: "h" skip,
});

doc_codec!(VnetDoc {
    name: "name" req,
    location: "location" req,
    address_space: "addressSpace" req,
    gateway_routes: "gatewayRoutes" skip,
    subnets: "subnets" skip,
    peerings: "peerings" skip,
});

doc_codec!(SubnetDoc {
    name: "name" req,
    address_prefixes: "addressPrefixes" req,
    nsg: "nsg" skip,
    route_table: "routeTable" skip,
    service_endpoints: "serviceEndpoints" skip,
    private_endpoint_network_policies: "privateEndpointNetworkPolicies" skip,
    default_outbound_access: "defaultOutboundAccess" defskip(true),
});

doc_codec!(PeeringDoc {
    name: "name" req,
    remote_vnet: "remoteVnet" req,
    allow_virtual_network_access: "allowVirtualNetworkAccess" def(true),
    allow_forwarded_traffic: "allowForwardedTraffic" opt,
    allow_gateway_transit: "allowGatewayTransit" opt,
    use_remote_gateways: "useRemoteGateways" opt,
});

doc_codec!(NsgDoc {
    name: "name" req,
    rules: "rules" opt,
});

doc_codec!(RuleDoc {
    name: "name" req,
    description: "description" skip,
    priority: "priority" req,
    direction: "direction" req,
    access: "access" req,
    protocol: "protocol" req,
    source_address_prefix: "sourceAddressPrefix" skip,
    source_address_prefixes: "sourceAddressPrefixes" skip,
    source_application_security_groups: "sourceApplicationSecurityGroups" skip,
    source_port_range: "sourcePortRange" skip,
    source_port_ranges: "sourcePortRanges" skip,
    destination_address_prefix: "destinationAddressPrefix" skip,
    destination_address_prefixes: "destinationAddressPrefixes" skip,
    destination_application_security_groups: "destinationApplicationSecurityGroups" skip,
    destination_port_range: "destinationPortRange" skip,
    destination_port_ranges: "destinationPortRanges" skip,
});

doc_codec!(AsgDoc { name: "name" req, location: "location" skip });

doc_codec!(RouteTableDoc {
    name: "name" req,
    routes: "routes" opt,
    disable_bgp_route_propagation: "disableBgpRoutePropagation" skip,
});

doc_codec!(RouteDoc {
    name: "name" req,
    address_prefix: "addressPrefix" req,
    next_hop_type: "nextHopType" req,
    next_hop_ip_address: "nextHopIpAddress" skip,
});

doc_codec!(PublicIpDoc {
    name: "name" req,
    sku: "sku" def(String::from(DEFAULT_SKU)),
    address: "address" req,
});

doc_codec!(NicDoc {
    name: "name" req,
    nsg: "nsg" skip,
    ip_forwarding: "ipForwarding" skip,
    ip_configurations: "ipConfigurations" req,
});

doc_codec!(IpConfigDoc {
    name: "name" req,
    vnet: "vnet" req,
    subnet: "subnet" req,
    private_ip_address: "privateIpAddress" req,
    public_ip: "publicIp" skip,
    asgs: "asgs" skip,
});

doc_codec!(VmDoc {
    name: "name" req,
    nics: "nics" req,
    zone: "zone" skip,
    is_appliance: "isAppliance" skip,
});

doc_codec!(LoadBalancerDoc {
    name: "name" req,
    sku: "sku" def(String::from(DEFAULT_SKU)),
    frontends: "frontends" req,
    backend_pools: "backendPools" opt,
    rules: "rules" opt,
    nat_rules: "natRules" skip,
    probes: "probes" opt,
});

doc_codec!(FrontendDoc {
    name: "name" req,
    public_ip: "publicIp" skip,
    private_ip_address: "privateIpAddress" skip,
});

doc_codec!(BackendPoolDoc {
    name: "name" req,
    members: "members" opt,
});

doc_codec!(BackendMemberDoc {
    nic: "nic" req,
    ip_configuration: "ipConfiguration" skip,
});

doc_codec!(LbRuleDoc {
    name: "name" req,
    frontend: "frontend" req,
    backend_pool: "backendPool" req,
    protocol: "protocol" req,
    frontend_port: "frontendPort" req,
    backend_port: "backendPort" req,
    probe: "probe" skip,
});

doc_codec!(InboundNatRuleDoc {
    name: "name" req,
    frontend: "frontend" req,
    protocol: "protocol" req,
    frontend_port: "frontendPort" req,
    frontend_port_end: "frontendPortEnd" skip,
    backend_port: "backendPort" req,
    nic: "nic" skip,
    ip_configuration: "ipConfiguration" skip,
    backend_pool: "backendPool" skip,
});

doc_codec!(ProbeDoc {
    name: "name" req,
    protocol: "protocol" req,
    port: "port" req,
});

doc_codec!(FirewallDoc {
    name: "name" req,
    vnet: "vnet" req,
    private_ip_address: "privateIpAddress" req,
    public_ips: "publicIps" skip,
    threat_intel: "threatIntel" skip,
    rule_collections: "ruleCollections" skip,
    policy: "policy" skip,
});

doc_codec!(FirewallPolicyDoc {
    name: "name" req,
    rule_collection_groups: "ruleCollectionGroups" opt,
});

doc_codec!(RuleCollectionGroupDoc {
    name: "name" req,
    priority: "priority" req,
    from_parent_policy: "fromParentPolicy" skip,
    rule_collections: "ruleCollections" opt,
});

doc_codec!(RuleCollectionDoc {
    name: "name" req,
    priority: "priority" req,
    kind: "kind" req,
    action: "action" skip,
    rules: "rules" opt,
});

doc_codec!(FirewallRuleDoc {
    name: "name" req,
    protocols: "protocols" opt,
    source_addresses: "sourceAddresses" opt,
    destination_addresses: "destinationAddresses" skip,
    destination_fqdns: "destinationFqdns" skip,
    destination_ports: "destinationPorts" skip,
    target_fqdns: "targetFqdns" skip,
    translated_address: "translatedAddress" skip,
    translated_port: "translatedPort" skip,
});

doc_codec!(ServiceDoc {
    name: "name" req,
    service_tag: "serviceTag" req,
    location: "location" req,
    public_ip_address: "publicIpAddress" req,
    public_network_access: "publicNetworkAccess" defskip(true),
    allowed_subnets: "allowedSubnets" skip,
    allowed_ip_ranges: "allowedIpRanges" skip,
});

doc_codec!(SubnetRefDoc {
    vnet: "vnet" req,
    subnet: "subnet" req,
});

doc_codec!(PrivateEndpointDoc {
    name: "name" req,
    vnet: "vnet" req,
    subnet: "subnet" req,
    private_ip_address: "privateIpAddress" req,
    service: "service" req,
});

doc_codec!(AdminRuleDoc {
    name: "name" req,
    priority: "priority" req,
    direction: "direction" req,
    access: "access" req,
    protocol: "protocol" req,
    sources: "sources" opt,
    source_port_ranges: "sourcePortRanges" opt,
    destinations: "destinations" opt,
    destination_port_ranges: "destinationPortRanges" opt,
    applies_to: "appliesTo" req,
});

doc_codec!(ClientDoc {
    name: "name" req,
    address: "address" req,
});

doc_codec!(FlowDoc {
    name: "name" req,
    source: "source" req,
    destination: "destination" req,
    protocol: "protocol" req,
    source_port: "sourcePort" skip,
    destination_port: "destinationPort" skip,
    host: "host" skip,
    expect: "expect" skip,
});

doc_codec!(ExpectDoc {
    verdict: "verdict" req,
    layer: "layer" skip,
    rule: "rule" skip,
    reply: "reply" skip,
    fact: "fact" skip,
});

/// A whole document as pretty JSON with a final newline.
pub fn write_doc(doc: &ScenarioDoc) -> String {
    let mut w = Writer::pretty();
    doc.write(&mut w);
    let mut text = w.finish();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    fn read(text: &str) -> Res<ScenarioDoc> {
        ScenarioDoc::read(&super::super::json::parse(text).unwrap(), &At::Root)
    }

    const HEAD: &str = r#""format": "netsec-scenario", "version": 1"#;

    #[test]
    fn errors_sit_at_the_json_path_of_the_field() {
        let cases = [
            (
                r#""vnets": [{"name": "v", "location": "x", "addressSpace": [7]}]"#,
                "$.vnets[0].addressSpace[0]",
                "expected a string, found number 7",
            ),
            (
                r#""vnets": [{"name": "v", "location": "x"}]"#,
                "$.vnets[0]",
                "missing field 'addressSpace'",
            ),
            (
                r#""vnets": [{"name": "v", "name": "w", "location": "x", "addressSpace": []}]"#,
                "$.vnets[0].name",
                "duplicate field 'name'",
            ),
            (r#""titel": "x""#, "$.titel", "unknown field 'titel'"),
            (
                r#""title": null"#,
                "$.title",
                "expected a string, found null",
            ),
            (
                r#""vms": [{"name": "v", "nics": [], "zone": 300}]"#,
                "$.vms[0].zone",
                "out of range 0 to 255",
            ),
            (
                r#""nsgs": [{"name": "n", "rules": [{"name": "r", "priority": 1.5, "direction": "Inbound", "access": "Allow", "protocol": "*"}]}]"#,
                "$.nsgs[0].rules[0].priority",
                "expected i64, found number 1.5",
            ),
            (
                r#""layout": {"vm/a b": {"x": 1, "y": "2"}}"#,
                "$.layout[\"vm/a b\"].y",
                "expected a number",
            ),
            (
                r#""subscription": []"#,
                "$.subscription",
                "expected an object, found a list",
            ),
        ];
        for (body, at, message) in cases {
            let e = read(&format!("{{{HEAD}, {body}}}")).unwrap_err();
            assert_eq!(e.location(), at, "{body}: {e}");
            assert!(e.message().contains(message), "{body}: {e}");
        }
    }

    #[test]
    fn absent_fields_take_their_defaults_and_defaults_are_not_written() {
        let doc = read(&format!(
            r#"{{{HEAD}, "vnets": [{{"name": "v", "location": "x", "addressSpace": ["10.0.0.0/16"],
               "subnets": [{{"name": "s", "addressPrefixes": ["10.0.0.0/24"]}}],
               "peerings": [{{"name": "p", "remoteVnet": "w"}}]}}],
               "publicIps": [{{"name": "ip", "address": "20.0.0.1"}}],
               "vms": [{{"name": "vm", "nics": [], "zone": null}}]}}"#
        ))
        .unwrap();
        assert_eq!(doc.subscription.offer_type, DEFAULT_OFFER);
        assert!(doc.vnets[0].subnets[0].default_outbound_access);
        assert!(doc.vnets[0].peerings[0].allow_virtual_network_access);
        assert_eq!(doc.public_ips[0].sku, DEFAULT_SKU);
        assert_eq!(doc.vms[0].zone, None);
        let text = write_doc(&doc);
        assert!(!text.contains("defaultOutboundAccess"), "{text}");
        assert!(!text.contains("zone"), "{text}");
        assert!(
            text.contains("\"allowVirtualNetworkAccess\": true"),
            "{text}"
        );
        assert!(text.contains("\"sku\": \"Standard\""), "{text}");
        assert_eq!(read(&text).unwrap(), doc);
    }

    #[test]
    fn decimals_read_exactly_within_fifteen_digits_and_closely_beyond() {
        for (text, x) in [
            ("0", 0.0),
            ("-0.5", -0.5),
            ("120", 120.0),
            ("0.1", 0.1),
            ("123456.789", 123456.789),
            ("1e-7", 1e-7),
            ("2.5E+3", 2500.0),
            ("1000000000000000000000", 1e21),
            ("999999999999999", 999999999999999.0),
        ] {
            assert_eq!(decimal(text), Some(x), "{text}");
        }
        for x in [
            2.0_f64 / 3.0,
            f64::MIN_POSITIVE,
            1e-30,
            1.5e300,
            12345.678901234567,
        ] {
            let back = decimal(&x.to_string()).unwrap();
            assert!((back - x).abs() <= x.abs() * 1e-15, "{x} read as {back}");
        }
        assert!(decimal("1e400").unwrap().is_infinite());
    }

    #[test]
    fn positions_to_a_thousandth_round_trip_bit_for_bit() {
        let mut doc = read(&format!("{{{HEAD}}}")).unwrap();
        for (i, x) in [0.1, -3.25, 0.001, 123456.789, 1e12, 120.0, -4096.0, 0.5]
            .into_iter()
            .enumerate()
        {
            doc.layout.insert(
                format!("vm/{i}"),
                PositionDoc {
                    x,
                    y: -x,
                    w: Some(x * 2.0),
                    h: None,
                },
            );
        }
        assert_eq!(read(&write_doc(&doc)).unwrap(), doc);
    }
}
