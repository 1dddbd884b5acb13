//! Found Azure resources → a scenario document, with a report.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::net::{IpAddr, Ipv4Addr};

use netsec_engine::address::{self, IpNet};
use netsec_engine::servicetag::ServiceTag;

use super::Found;
use super::ids::ResId;
use super::json::{Json, Node};
use crate::scenario::build::{clip, clip_to};
use crate::scenario::doc::*;
use crate::{ImportError, ImportReport};

type Res<T> = Result<T, ImportError>;

const VNET: &str = "microsoft.network/virtualnetworks";
const SUBNET: &str = "microsoft.network/virtualnetworks/subnets";
const PEERING: &str = "microsoft.network/virtualnetworks/virtualnetworkpeerings";
const NSG: &str = "microsoft.network/networksecuritygroups";
const RULE: &str = "microsoft.network/networksecuritygroups/securityrules";
const NAT_RULE: &str = "microsoft.network/loadbalancers/inboundnatrules";
const DEFAULT_RULE: &str = "microsoft.network/networksecuritygroups/defaultsecurityrules";
const ASG: &str = "microsoft.network/applicationsecuritygroups";
const RT: &str = "microsoft.network/routetables";
const ROUTE: &str = "microsoft.network/routetables/routes";
const PIP: &str = "microsoft.network/publicipaddresses";
const NIC: &str = "microsoft.network/networkinterfaces";
const VM: &str = "microsoft.compute/virtualmachines";
const VMSS: &str = "microsoft.compute/virtualmachinescalesets";
const LB: &str = "microsoft.network/loadbalancers";
const FW: &str = "microsoft.network/azurefirewalls";
const POLICY: &str = "microsoft.network/firewallpolicies";
const GROUP: &str = "microsoft.network/firewallpolicies/rulecollectiongroups";
const PE: &str = "microsoft.network/privateendpoints";

/// PaaS resource types and the service tag their public endpoints belong to.
const PAAS: &[(&str, &str)] = &[
    ("microsoft.storage/storageaccounts", "Storage"),
    ("microsoft.sql/servers", "Sql"),
    ("microsoft.keyvault/vaults", "AzureKeyVault"),
    ("microsoft.documentdb/databaseaccounts", "AzureCosmosDB"),
    ("microsoft.web/sites", "AppService"),
    (
        "microsoft.containerregistry/registries",
        "AzureContainerRegistry",
    ),
    ("microsoft.eventhub/namespaces", "EventHub"),
    ("microsoft.servicebus/namespaces", "ServiceBus"),
];

/// ARM spellings of the types, for report lines (`virtualNetworks/hub`).
const ARM_NAMES: &[(&str, &str)] = &[
    (VNET, "virtualNetworks"),
    (SUBNET, "virtualNetworks/subnets"),
    (PEERING, "virtualNetworks/virtualNetworkPeerings"),
    (NSG, "networkSecurityGroups"),
    (RULE, "networkSecurityGroups/securityRules"),
    (DEFAULT_RULE, "networkSecurityGroups/defaultSecurityRules"),
    (ASG, "applicationSecurityGroups"),
    (RT, "routeTables"),
    (ROUTE, "routeTables/routes"),
    (PIP, "publicIPAddresses"),
    (NIC, "networkInterfaces"),
    (VM, "virtualMachines"),
    (VMSS, "virtualMachineScaleSets"),
    (LB, "loadBalancers"),
    (NAT_RULE, "loadBalancers/inboundNatRules"),
    (FW, "azureFirewalls"),
    (POLICY, "firewallPolicies"),
    (GROUP, "firewallPolicies/ruleCollectionGroups"),
    (PE, "privateEndpoints"),
    ("microsoft.storage/storageaccounts", "storageAccounts"),
    ("microsoft.sql/servers", "servers"),
    ("microsoft.keyvault/vaults", "vaults"),
    ("microsoft.documentdb/databaseaccounts", "databaseAccounts"),
    ("microsoft.web/sites", "sites"),
    ("microsoft.containerregistry/registries", "registries"),
    ("microsoft.eventhub/namespaces", "namespaces"),
    ("microsoft.servicebus/namespaces", "namespaces"),
];

/// Known types the playground leaves out, with the reason.
const NOT_MODELLED: &[(&str, &str)] = &[
    (
        "microsoft.network/networkwatchers",
        "Network Watcher is a tool, not part of the network",
    ),
    (
        "microsoft.network/virtualnetworkgateways",
        "VPN and ExpressRoute gateways are not modelled (add their prefixes as gatewayRoutes of the VNet)",
    ),
    (
        "microsoft.network/natgateways",
        "NAT gateways are not modelled",
    ),
    (
        "microsoft.network/bastionhosts",
        "Azure Bastion is not modelled",
    ),
    (
        "microsoft.network/applicationgateways",
        "Application Gateway is not modelled",
    ),
    (
        "microsoft.network/privatednszones",
        "private DNS is not modelled (flows use addresses)",
    ),
    (
        "microsoft.network/networkmanagers",
        "Virtual Network Manager configurations are not read from Azure JSON yet (write admin rules in a scenario)",
    ),
    (
        "microsoft.network/ddosprotectionplans",
        "DDoS protection is not modelled",
    ),
    (
        "microsoft.network/localnetworkgateways",
        "local network gateways are not modelled (add their prefixes as gatewayRoutes of the VNet)",
    ),
    (
        "microsoft.network/connections",
        "gateway connections are not modelled",
    ),
    ("microsoft.network/ipgroups", "IP groups are not modelled"),
    ("microsoft.compute/disks", "disks have no network settings"),
    (
        "microsoft.compute/virtualmachines/extensions",
        "VM extensions have no network settings",
    ),
];

/// The region used when neither a resource nor its VNet names one.
const DEFAULT_LOCATION: &str = "westeurope";

/// Lookups by full id, then by type and names in a scope that may be the
/// same ([`ResId::may_mean`]).
#[derive(Default, Debug)]
struct Reg {
    by_full: HashMap<String, usize>,
    by_key: HashMap<String, Vec<(ResId, usize)>>,
}

impl Reg {
    fn insert(&mut self, id: &ResId, i: usize) {
        if !id.full.is_empty() {
            self.by_full.entry(id.full.clone()).or_insert(i);
        }
        self.by_key
            .entry(id.key())
            .or_default()
            .push((id.clone(), i));
    }
    fn get(&self, id: &ResId) -> Option<usize> {
        if !id.full.is_empty()
            && let Some(i) = self.by_full.get(&id.full)
        {
            return Some(*i);
        }
        let candidates = self.by_key.get(&id.key())?;
        candidates
            .iter()
            .find(|(c, _)| id.may_mean(c))
            .map(|(_, i)| *i)
    }
}

/// Where the document's parts are in the input, to report build errors
/// at the input's JSON paths.
#[derive(Clone, Debug, Default)]
pub(crate) struct Sources {
    /// (path in the document, path in the input).
    pairs: Vec<(String, String)>,
    /// NSG rules given inside their NSG, kept compact (an export may hold
    /// 100,000): per NSG, where its `securityRules` list is and, for each
    /// rule in the document's order, its index in the list and how its
    /// `properties` key is spelled (if it has one).
    inline_rules: Vec<InlineRules>,
}

#[derive(Clone, Debug)]
struct InlineRules {
    nsg: usize,
    list: String,
    rules: Vec<(usize, PropsKey)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum PropsKey {
    None,
    Properties,
    Other(String),
}

impl Sources {
    /// Route `r` of table `t` was taken out of the document: its paths go,
    /// and the later routes' paths move down by one.
    fn forget_route(&mut self, t: usize, r: usize) {
        let head = format!("$.routeTables[{t}].routes[");
        let moved = |d: &str| -> Option<Option<String>> {
            let rest = d.strip_prefix(head.as_str())?;
            let (q, tail) = rest.split_once(']')?;
            let q: usize = q.parse().ok()?;
            Some(match q.cmp(&r) {
                core::cmp::Ordering::Less => Some(d.to_string()),
                core::cmp::Ordering::Equal => None,
                core::cmp::Ordering::Greater => Some(format!("{head}{}]{tail}", q - 1)),
            })
        };
        self.pairs.retain_mut(|(d, _)| match moved(d) {
            None => true,
            Some(None) => false,
            Some(Some(new)) => {
                *d = new;
                true
            }
        });
    }

    /// The input path of a document path: the most specific part given,
    /// with the rest of the path appended.
    pub(crate) fn input_path(&self, loc: &str) -> Option<String> {
        if let Some(path) = self.inline_rule(loc) {
            return Some(path);
        }
        let (d, s) = self
            .pairs
            .iter()
            .filter(|(d, _)| {
                loc == *d
                    || (loc.starts_with(d.as_str())
                        && loc
                            .get(d.len()..)
                            .is_some_and(|rest| rest.starts_with(['.', '['])))
            })
            .max_by_key(|(d, _)| d.len())?;
        let rest = loc.get(d.len()..).unwrap_or("");
        Some(format!("{s}{rest}"))
    }

    /// `$.nsgs[I].rules[J]...` of a rule given inside its NSG.
    fn inline_rule(&self, loc: &str) -> Option<String> {
        let index = |text: &str| text.parse::<usize>().ok().filter(|n| n.to_string() == text);
        let rest = loc.strip_prefix("$.nsgs[")?;
        let (i, rest) = rest.split_once(']')?;
        let rest = rest.strip_prefix(".rules[")?;
        let (j, rest) = rest.split_once(']')?;
        if !(rest.is_empty() || rest.starts_with(['.', '['])) {
            return None;
        }
        let (i, j) = (index(i)?, index(j)?);
        let nsg = self.inline_rules.iter().find(|r| r.nsg == i)?;
        let (k, key) = nsg.rules.get(j)?;
        let mut out = format!("{}[{k}]", nsg.list);
        // A rule's name sits beside its `properties`, not inside them.
        let top_level = rest == ".name";
        match key {
            _ if top_level => {}
            PropsKey::None => {}
            PropsKey::Properties => out.push_str(".properties"),
            PropsKey::Other(k) => crate::scenario::push_key(&mut out, k),
        }
        out.push_str(rest);
        Some(out)
    }
}

/// The conversion's state.
#[derive(Default, Debug)]
pub(crate) struct Reader {
    doc: ScenarioDoc,
    report: ImportReport,
    sources: Sources,
    names: HashMap<&'static str, HashSet<String>>,
    vnets: Reg,
    subnets: Reg,
    subnet_pos: Vec<(usize, usize)>,
    nsgs: Reg,
    asgs: Reg,
    /// An ASG reference's id as written → the ASG's name in the document
    /// (rules name the same few ASGs thousands of times).
    asg_by_ref: HashMap<String, String>,
    route_tables: Reg,
    pips: Reg,
    nics: Reg,
    vms: Reg,
    services: Reg,
    used_ips: HashSet<IpAddr>,
    /// Public IPs (document names) whose SKU was not in the input.
    pips_without_sku: HashSet<String>,
    next_placeholder: u32,
    /// Pool key → (NIC name, IP configuration name), from the NICs' side.
    nic_pools: HashMap<String, Vec<(String, String)>>,
    /// Inbound NAT rule key → (NIC name, IP configuration name), from the
    /// NICs' side (`loadBalancerInboundNatRules`).
    nic_nat_rules: HashMap<String, Vec<(String, String)>>,
    /// Inbound NAT pools that scale set instances use: (pool key, instance
    /// index, the instance NIC's id, its IP configuration's name).
    scale_set_nat: Vec<(String, usize, ResId, String)>,
    /// NIC name → its index in the document.
    nic_by_name: HashMap<String, usize>,
    /// Private address → (NIC index, configuration index).
    nic_by_ip: HashMap<String, (usize, usize)>,
    /// (VM id, NIC name, primary) from the NICs' side.
    nic_vms: Vec<(ResId, String, bool)>,
    claimed_nics: HashSet<String>,
    /// Private addresses of private endpoints, by endpoint key and by NIC key.
    pe_ip_by_pe: HashMap<String, String>,
    pe_ip_by_nic: HashMap<String, String>,
    /// Keys of the firewall policies some firewall uses (directly or as a parent).
    used_policies: HashSet<String>,
    firewalls: Reg,
    /// Routes whose next hop is an address Azure assigns at deployment,
    /// filled in once every firewall and NIC has its address.
    pending_hops: Vec<PendingHop>,
}

/// Where a private address named by [`super::address_of`] goes.
#[derive(Debug)]
enum Slot {
    /// A route's next hop: (table, route) in the document.
    Route(usize, usize),
    /// A security rule's source (`true`) or destination prefix: (NSG, rule
    /// name, source?, the field's input path).
    RulePrefix(usize, String, bool, String),
}

/// A route's next hop or a rule's prefix named as another resource's
/// private address ([`super::address_of`]), not yet known.
#[derive(Debug)]
struct PendingHop {
    slot: Slot,
    /// The route or rule, for the report.
    what: String,
    /// The firewall or NIC: its id, or its name.
    resource: String,
    ip_configuration: usize,
    /// The template's expression, for the report.
    expression: String,
}

/// What a route's `nextHopIpAddress` or a rule's prefix names when it is
/// not an address yet: (resource, IP configuration, expression).
type HopRef = (String, usize, String);

/// The [`super::address_of`] marker a value is, read.
fn address_marker(v: &Node<'_>) -> Option<HopRef> {
    let m = v.child(super::ADDRESS_OF)?;
    let resource = m.child_str("resource")?.to_string();
    let k = m.prop_int("ipConfiguration")?.ok()?;
    let expression = m.child_str("expression").unwrap_or_default().to_string();
    Some((resource, usize::try_from(k).ok()?, expression))
}

fn arm_kind(ty: &str) -> String {
    ARM_NAMES
        .iter()
        .find(|(t, _)| *t == ty)
        .map_or_else(|| ty.to_string(), |(_, n)| (*n).to_string())
}

pub(crate) fn label(ty: &str, name: &str) -> String {
    format!("{}/{}", arm_kind(ty), name)
}

/// `virtualNetworks/hub/subnets/web`: the kinds of an id interleaved with its
/// names (with the namespace for types the reader does not know).
pub(crate) fn id_label(id: &ResId) -> String {
    let known = ARM_NAMES.iter().find(|(t, _)| *t == id.ty).map(|(_, n)| *n);
    let kinds: Vec<&str> = match known {
        Some(n) => n.split('/').collect(),
        None => id.ty_raw.split('/').skip(1).collect(),
    };
    let mut parts = Vec::new();
    for (k, kind) in kinds.iter().enumerate() {
        parts.push((*kind).to_string());
        if let Some(n) = id.names.get(k) {
            parts.push(n.clone());
        }
    }
    let text = parts.join("/");
    match known {
        Some(_) => text,
        None => format!("{}/{text}", id.ty_raw.split('/').next().unwrap_or("")),
    }
}

/// A scale set instance to make a VM of: its id, its name, and its NICs'
/// ids, primary first.
type Instance = (ResId, String, Vec<ResId>);

/// How many instances of one scale set are imported.
const MAX_INSTANCES: i64 = 10;

/// `1 rule`, `2 rules`.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The types the reader converts (lower-cased).
const KNOWN: &[&str] = &[
    VNET, SUBNET, PEERING, NSG, RULE, ASG, RT, ROUTE, PIP, NIC, VM, VMSS, LB, NAT_RULE, FW, POLICY,
    GROUP, PE,
];

/// Whether the reader converts resources of this (lower-cased) type.
pub(crate) fn reads_type(ty: &str) -> bool {
    KNOWN.contains(&ty) || PAAS.iter().any(|(t, _)| *t == ty)
}

/// Azure's default rules: name and priority (65000 and up, where custom
/// rules cannot be).
const DEFAULT_RULES: &[(&str, i64)] = &[
    ("AllowVnetInBound", 65000),
    ("AllowAzureLoadBalancerInBound", 65001),
    ("DenyAllInBound", 65500),
    ("AllowVnetOutBound", 65000),
    ("AllowInternetOutBound", 65001),
    ("DenyAllOutBound", 65500),
];

/// A default rule: by its id (`.../defaultSecurityRules/...`), or written out
/// among the custom rules with a default rule's name and priority (as some
/// exported templates and hand-written files do).
fn is_default_rule(n: &Node<'_>) -> bool {
    const MARK: &str = "/defaultsecurityrules/";
    if n.child_str("id").is_some_and(|id| {
        // Lower-cased on the stack (ids are a few hundred bytes), then one search.
        let mut buf = [0u8; 512];
        match buf.get_mut(..id.len()) {
            Some(lower) => {
                lower.copy_from_slice(id.as_bytes());
                lower.make_ascii_lowercase();
                std::str::from_utf8(lower).is_ok_and(|l| l.contains(MARK))
            }
            None => id.to_ascii_lowercase().contains(MARK),
        }
    }) {
        return true;
    }
    let Some(Ok(priority)) = n.prop_int("priority") else {
        return false;
    };
    if !DEFAULT_RULES.iter().any(|(_, p)| *p == priority) {
        return false;
    }
    let name = n.name().unwrap_or_default();
    DEFAULT_RULES
        .iter()
        .any(|(d, p)| name.eq_ignore_ascii_case(d) && priority == *p)
}

/// A resource-group name made fit for a resource name suffix.
fn name_part(text: &str) -> String {
    let s: String = text
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '-'
            }
        })
        .take(30)
        .collect();
    s.trim_end_matches(['-', '.']).to_string()
}

/// Azure's spelling of `privateEndpointNetworkPolicies` values.
const PE_POLICIES: &[&str] = &[
    "Disabled",
    "Enabled",
    "NetworkSecurityGroupEnabled",
    "RouteTableEnabled",
];

impl Reader {
    pub(crate) fn finish(mut self) -> (ScenarioDoc, ImportReport, Sources) {
        self.doc.format = String::from(FORMAT);
        self.doc.version = VERSION;
        (self.doc, self.report, self.sources)
    }

    fn map(&mut self, doc_path: String, input_path: String) {
        self.sources.pairs.push((doc_path, input_path));
    }

    fn assume(&mut self, text: String) {
        self.report.assumptions.push(text);
    }

    /// A name unique among resources of one kind (two resource groups may
    /// hold resources of the same name; the engine needs them apart).
    fn unique(&mut self, kind: &'static str, name: &str, id: &ResId, what: &str) -> String {
        let set = self.names.entry(kind).or_default();
        if set.insert(name.to_ascii_lowercase()) {
            return name.to_string();
        }
        let mut candidates = Vec::new();
        if let Some(rg) = id.resource_group.as_deref().map(name_part)
            && !rg.is_empty()
        {
            candidates.push(format!("{name}-{rg}"));
        }
        let mut n = 2;
        let chosen = loop {
            if let Some(c) = candidates.pop() {
                if set.insert(c.to_ascii_lowercase()) {
                    break c;
                }
                continue;
            }
            let c = format!("{name}-{n}");
            n += 1;
            if set.insert(c.to_ascii_lowercase()) {
                break c;
            }
        };
        self.assume(format!(
            "two {what}s are named {name}; the second one{} is called {chosen} here",
            id.resource_group
                .as_deref()
                .map_or_else(String::new, |rg| format!(" (resource group {rg})"))
        ));
        chosen
    }

    fn location(&mut self, n: &Node<'_>, what: &str, fallback: Option<String>) -> String {
        if let Some(l) = n.child_str("location") {
            return l.to_string();
        }
        match fallback {
            Some(l) => {
                self.assume(format!(
                    "{what} has no location in the input; it is taken to be in {l}, like its virtual network"
                ));
                l
            }
            None => {
                self.assume(format!(
                    "{what} has no location in the input; {DEFAULT_LOCATION} is assumed"
                ));
                String::from(DEFAULT_LOCATION)
            }
        }
    }

    /// Notes every address the input gives, so chosen addresses avoid them.
    fn scan_addresses(&mut self, v: &Json<'_>) {
        match v {
            Json::Object(obj) => {
                for (k, x) in obj {
                    if (k.eq_ignore_ascii_case("privateIPAddress")
                        || k.eq_ignore_ascii_case("ipAddress")
                        || k == crate::export_tf::ADDRESS_TAG)
                        && let Some(ip) = x.as_str().and_then(|s| address::parse_ip(s).ok())
                    {
                        self.used_ips.insert(ip);
                    }
                    if matches!(x, Json::Object(_) | Json::Array(_)) {
                        self.scan_addresses(x);
                    }
                }
            }
            Json::Array(a) => {
                for x in a {
                    if matches!(x, Json::Object(_) | Json::Array(_)) {
                        self.scan_addresses(x);
                    }
                }
            }
            _ => {}
        }
    }

    pub(crate) fn run(&mut self, all: Vec<Found<'_>>) -> Res<()> {
        let mut buckets: BTreeMap<String, Vec<Found<'_>>> = BTreeMap::new();
        let mut seen = HashSet::new();
        let mut defaults = 0usize;
        for r in all {
            if r.name.starts_with('[') && r.name.ends_with(']') {
                return Err(ImportError::new(
                    format!("{}.name", r.node.path()),
                    format!(
                        "'{}' is an ARM template expression: this is part of a template; load the whole template (with its $schema, parameters and variables) so the expression can be evaluated",
                        clip(&r.name)
                    ),
                ));
            }
            self.scan_addresses(r.node.v);
            if !r.id.full.is_empty() && !seen.insert(r.id.full.clone()) {
                self.report.skip(
                    id_label(&r.id),
                    "it appears more than once in the input; the first copy is used",
                );
                continue;
            }
            if r.ty == DEFAULT_RULE {
                defaults += 1;
            } else if reads_type(&r.ty) {
                super::shape::check(&r.node)?;
                buckets.entry(r.ty.clone()).or_default().push(r);
            } else if let Some((_, why)) = NOT_MODELLED.iter().find(|(t, _)| *t == r.ty) {
                self.report.skip(id_label(&r.id), *why);
            } else {
                let ty = r.id.ty_raw.clone();
                self.report.skip(
                    id_label(&r.id),
                    format!("resources of type {ty} are not modelled"),
                );
            }
        }
        if defaults > 0 {
            self.assume(format!(
                "{defaults} default security rules given as separate resources were recognised and not imported: the engine supplies Azure's default rules"
            ));
        }
        let mut take = |ty: &str| buckets.remove(ty).unwrap_or_default();
        let asgs = take(ASG);
        let nsgs = take(NSG);
        let rules = take(RULE);
        let rts = take(RT);
        let routes = take(ROUTE);
        let vnets = take(VNET);
        let subnets = take(SUBNET);
        let peerings = take(PEERING);
        let pips = take(PIP);
        let nics = take(NIC);
        let vms = take(VM);
        let scale_sets = take(VMSS);
        let lbs = take(LB);
        let nat_rules = take(NAT_RULE);
        let fws = take(FW);
        let policies = take(POLICY);
        let groups = take(GROUP);
        let pes = take(PE);
        let paas: Vec<(Vec<Found<'_>>, &str)> =
            PAAS.iter().map(|(ty, tag)| (take(ty), *tag)).collect();

        for r in &asgs {
            self.add_asg(&r.id, &r.name, Some(&r.node), "");
        }
        self.nsgs(&nsgs, &rules)?;
        self.route_tables(&rts, &routes)?;
        self.vnets(&vnets, &subnets, &peerings);
        self.public_ips(&pips);
        let (instance_nics, instances) = self.scale_set_instances(&scale_sets);
        let nics: Vec<Found<'_>> = nics.into_iter().chain(instance_nics).collect();
        self.nics(&nics);
        self.vms(&vms);
        self.scale_set_vms(instances);
        for (list, tag) in &paas {
            for r in list {
                self.service(r, tag);
            }
        }
        self.load_balancers(&lbs, &nat_rules)?;
        self.firewalls(&fws, &policies, &groups)?;
        self.resolve_hops()?;
        self.private_endpoints(&pes);
        self.settle_asg_locations();
        Ok(())
    }

    // ---- ASGs -------------------------------------------------------------

    /// Keeps an ASG's location only where it disagrees with a member's VNet
    /// (which the scenario builder then refuses, as Azure does). A location
    /// that agrees says nothing more, and leaving it out keeps the documents
    /// that the exports round-trip the same.
    fn settle_asg_locations(&mut self) {
        let vnet_region = |doc: &ScenarioDoc, vnet: &str| {
            doc.vnets
                .iter()
                .find(|v| v.name == vnet)
                .map(|v| netsec_engine::region::normalize(&v.location))
        };
        for k in 0..self.doc.asgs.len() {
            let Some(location) = self.doc.asgs[k].location.clone() else {
                continue;
            };
            let name = &self.doc.asgs[k].name;
            let conflict = (self.doc.nics.iter())
                .flat_map(|n| &n.ip_configurations)
                .filter(|c| c.asgs.contains(name))
                .any(|c| vnet_region(&self.doc, &c.vnet).is_some_and(|r| r != location));
            if !conflict {
                self.doc.asgs[k].location = None;
            }
        }
    }

    /// The ASG's name in the document, creating it if new.
    fn add_asg(&mut self, id: &ResId, name: &str, node: Option<&Node<'_>>, by: &str) -> String {
        if let Some(a) = self.asgs.get(id).and_then(|i| self.doc.asgs.get(i)) {
            return a.name.clone();
        }
        let name = self.unique("asg", name, id, "application security group");
        let i = self.doc.asgs.len();
        // Its location only when it names a known region: an ASG's region
        // only refuses members elsewhere, so a location the reader cannot
        // place is left out rather than turned into an error.
        let location = node
            .and_then(|n| n.child_str("location"))
            .filter(|l| netsec_engine::region::lookup(l).is_some())
            .map(netsec_engine::region::normalize);
        self.doc.asgs.push(AsgDoc {
            name: name.clone(),
            location,
        });
        self.asgs.insert(id, i);
        match node {
            Some(n) => {
                self.map(format!("$.asgs[{i}]"), n.path());
                self.report
                    .imported
                    .push(label(ASG, &name));
            }
            None => self.assume(format!(
                "application security group {name} is named by {by} but is not in the input; it is created, with only the network interfaces of the input as members"
            )),
        }
        name
    }

    /// The ASGs a list of references names; `by` (who names them, for the
    /// report) is written out only when there are some.
    /// Reports a reference property that is there but is not a resource id
    /// (`{"id": "nsg1"}`, a bare string), which Azure refuses: reading it as
    /// absent would leave the resource unprotected without a word.
    fn unreadable_ref(&mut self, n: &Node<'_>, key: &str, what: &str, consequence: &str) {
        if n.prop(key).is_some() && n.prop_ref(key).is_none() {
            let text = n
                .prop(key)
                .map(|p| match (p.str(), p.child_str("id")) {
                    (Some(t), _) | (None, Some(t)) => format!("'{}'", clip(t)),
                    _ => String::from("(no id)"),
                })
                .unwrap_or_default();
            self.report.skip(
                format!("{what}: its {key} {text}"),
                format!("it is not a resource id ({{\"id\": \"/subscriptions/.../{key}s/NAME\"}}); Azure refuses it. {consequence}"),
            );
        }
    }

    fn asg_refs(&mut self, n: &Node<'_>, key: &str, by: impl FnOnce() -> String) -> Vec<String> {
        let ids = n.prop_ref_texts(key);
        if ids.is_empty() {
            return Vec::new();
        }
        let by = by();
        let mut names = Vec::with_capacity(ids.len());
        for text in ids {
            if let Some(name) = self.asg_by_ref.get(text) {
                names.push(name.clone());
                continue;
            }
            let Some(id) = ResId::parse(text) else {
                self.report.skip(
                    format!("{by}: its application security group '{}'", clip(text)),
                    "the reference is not a resource id; Azure refuses it. The configuration is imported without that ASG",
                );
                continue;
            };
            let name = self.add_asg(&id, id.name(), None, &by);
            self.asg_by_ref.insert(text.to_string(), name.clone());
            names.push(name);
        }
        names
    }

    // ---- NSGs -------------------------------------------------------------

    fn nsgs(&mut self, nsgs: &[Found<'_>], rules: &[Found<'_>]) -> Res<()> {
        let mut lines: Vec<(usize, usize, String, String)> = Vec::new();
        for r in nsgs {
            if r.name.is_empty() {
                self.report.skip(label(NSG, "?"), "it has no name");
                continue;
            }
            let name = self.unique("nsg", &r.name, &r.id, "network security group");
            let i = self.doc.nsgs.len();
            let what = label(NSG, &name);
            let mut docs = Vec::new();
            // Default rules by name: written out both as defaultSecurityRules
            // and among the rules, they still count once.
            let mut defaults: HashSet<String> = r
                .node
                .prop_items("defaultSecurityRules")
                .iter()
                .enumerate()
                .map(|(k, d)| {
                    d.name()
                        .unwrap_or_else(|| k.to_string())
                        .to_ascii_lowercase()
                })
                .collect();
            let list = r.node.prop("securityRules");
            let rule_nodes = list.as_ref().map(Node::items).unwrap_or_default();
            docs.reserve(rule_nodes.len());
            let mut inline = InlineRules {
                nsg: i,
                list: list.as_ref().map(Node::path).unwrap_or_default(),
                rules: Vec::with_capacity(rule_nodes.len()),
            };
            let mut seen: HashSet<String> = HashSet::with_capacity(rule_nodes.len());
            for rn in rule_nodes {
                if is_default_rule(&rn) {
                    defaults.insert(rn.name().unwrap_or_default().to_ascii_lowercase());
                    continue;
                }
                let rd = self.rule_doc(&rn, &what, i)?;
                if !seen.insert(rd.name.to_ascii_lowercase()) {
                    // Azure refuses a list that names a rule twice (names are
                    // not case-sensitive).
                    return Err(ImportError::new(
                        format!("{}.name", rn.path()),
                        format!(
                            "{what} has two rules named '{}'; rule names are unique in a network security group, whatever their case",
                            clip(&rd.name)
                        ),
                    ));
                }
                // $.nsgs[i].rules[docs.len()] is rn.props_path().
                let key = match rn.props_key() {
                    None => PropsKey::None,
                    Some("properties") => PropsKey::Properties,
                    Some(other) => PropsKey::Other(other.to_string()),
                };
                inline.rules.push((rn.index().unwrap_or(0), key));
                docs.push(rd);
            }
            self.sources.inline_rules.push(inline);
            self.doc.nsgs.push(NsgDoc { name, rules: docs });
            self.nsgs.insert(&r.id, i);
            self.map(format!("$.nsgs[{i}]"), r.node.props_path());
            let defaults = if !defaults.is_empty() {
                let n = defaults.len();
                format!("; {n} default rules recognised (the engine supplies them)")
            } else {
                String::new()
            };
            // Written once separate rule resources are in (below).
            lines.push((self.report.imported.len(), i, what, defaults));
            self.report.imported.push(String::new());
        }
        let mut separate_defaults = 0usize;
        let mut rule_names: HashMap<usize, HashSet<String>> = HashMap::new();
        for rr in rules {
            if is_default_rule(&rr.node) {
                separate_defaults += 1;
                continue;
            }
            let Some(parent) = rr.id.parent() else {
                self.report.skip(
                    label(RULE, &rr.name),
                    "its network security group cannot be told from its id",
                );
                continue;
            };
            let i = match self.nsgs.get(&parent) {
                Some(i) => i,
                None => {
                    let name = self.unique("nsg", parent.name(), &parent, "network security group");
                    let i = self.doc.nsgs.len();
                    self.doc.nsgs.push(NsgDoc {
                        name: name.clone(),
                        rules: Vec::new(),
                    });
                    self.nsgs.insert(&parent, i);
                    self.assume(format!(
                        "network security group {name} is not in the input, only its rules; it is created from them"
                    ));
                    self.report
                        .imported
                        .push(format!("{} (made from its rules)", label(NSG, &name)));
                    i
                }
            };
            let owner = self
                .doc
                .nsgs
                .get(i)
                .map_or_else(String::new, |n| label(NSG, &n.name));
            let rd = self.rule_doc(&rr.node, &owner, i)?;
            let Some(nsg) = self.doc.nsgs.get_mut(i) else {
                continue;
            };
            let names = rule_names.entry(i).or_insert_with(|| {
                nsg.rules
                    .iter()
                    .map(|d| d.name.to_ascii_lowercase())
                    .collect()
            });
            if !names.insert(rd.name.to_ascii_lowercase()) {
                // A rule resource deploys after its NSG (it depends on it)
                // and replaces the NSG's rule of that name: the resource wins.
                // (In REST exports the two are the same rule, listed twice.)
                if let Some(j) = nsg
                    .rules
                    .iter()
                    .position(|d| d.name.eq_ignore_ascii_case(&rd.name))
                {
                    if let Some(slot) = nsg.rules.get_mut(j) {
                        *slot = rd;
                    }
                    let path = format!("$.nsgs[{i}].rules[{j}]");
                    self.sources.pairs.retain(|(d, _)| d != &path);
                    self.map(path, rr.node.props_path());
                }
                continue;
            }
            let j = nsg.rules.len();
            nsg.rules.push(rd);
            self.map(format!("$.nsgs[{i}].rules[{j}]"), rr.node.props_path());
        }
        for (line, i, what, defaults) in lines {
            let n = self.doc.nsgs.get(i).map_or(0, |x| x.rules.len());
            if let Some(l) = self.report.imported.get_mut(line) {
                *l = format!("{what} ({}{defaults})", count(n, "rule", "rules"));
            }
        }
        if separate_defaults > 0 {
            self.assume(format!(
                "{separate_defaults} default security rules written out as securityRules resources were recognised by name and priority and not imported: the engine supplies Azure's default rules"
            ));
        }
        Ok(())
    }

    fn rule_doc(&mut self, n: &Node<'_>, owner: &str, nsg: usize) -> Res<RuleDoc> {
        let name = n.name().unwrap_or_default();
        for (key, source) in [
            ("sourceAddressPrefix", true),
            ("destinationAddressPrefix", false),
        ] {
            let Some(field) = n.prop(key) else { continue };
            if let Some((resource, ip_configuration, expression)) = address_marker(&field) {
                self.pending_hops.push(PendingHop {
                    slot: Slot::RulePrefix(nsg, name.clone(), source, field.path()),
                    what: format!("{owner}/securityRules/{name}"),
                    resource,
                    ip_configuration,
                    expression,
                });
            }
        }
        // Written out only for an error or a report line: an NSG has up to
        // 1,000 rules.
        let what = || format!("{owner}/securityRules/{name}");
        let priority = match n.prop_int("priority") {
            Some(Ok(p)) => p,
            Some(Err(path)) => {
                return Err(ImportError::new(
                    path,
                    format!("{}: the priority must be a whole number", what()),
                ));
            }
            None => {
                return Err(ImportError::new(
                    format!("{}.priority", n.props_path()),
                    format!("{} has no priority; every security rule needs one", what()),
                ));
            }
        };
        let required = |key: &str| -> Res<String> {
            n.prop_str(key).map(String::from).ok_or_else(|| {
                ImportError::new(
                    format!("{}.{key}", n.props_path()),
                    format!("{} has no {key}; every security rule needs one", what()),
                )
            })
        };
        let direction = required("direction")?;
        let access = required("access")?;
        let protocol = required("protocol")?;
        // The API's enum is Tcp, Udp, Icmp, Esp, Ah and `*`; "Any" is only
        // the portal's label for `*` and "All" the effective rules view's
        // (that view is read apart, its spellings turned back into `*`). The
        // playground's own scenario format takes all three.
        if protocol.eq_ignore_ascii_case("any") || protocol.eq_ignore_ascii_case("all") {
            return Err(ImportError::new(
                format!("{}.protocol", n.props_path()),
                format!(
                    "{}: protocol '{protocol}' is not one of the API's values Tcp, Udp, Icmp, Esp, Ah and * ('{protocol}' is what the portal shows for *); Azure refuses the rule",
                    what()
                ),
            ));
        }
        let by = || format!("security rule {}", what());
        let source_asgs = self.asg_refs(n, "sourceApplicationSecurityGroups", by);
        let destination_asgs = self.asg_refs(n, "destinationApplicationSecurityGroups", by);
        Ok(RuleDoc {
            description: n.prop_str("description").unwrap_or("").to_string(),
            priority,
            direction,
            access,
            protocol,
            source_address_prefix: n.prop_str("sourceAddressPrefix").map(String::from),
            source_address_prefixes: n.prop_strings("sourceAddressPrefixes"),
            source_application_security_groups: source_asgs,
            source_port_range: n.prop_text("sourcePortRange"),
            source_port_ranges: n.prop_strings("sourcePortRanges"),
            destination_address_prefix: n.prop_str("destinationAddressPrefix").map(String::from),
            destination_address_prefixes: n.prop_strings("destinationAddressPrefixes"),
            destination_application_security_groups: destination_asgs,
            destination_port_range: n.prop_text("destinationPortRange"),
            destination_port_ranges: n.prop_strings("destinationPortRanges"),
            name,
        })
    }

    // ---- Route tables -----------------------------------------------------

    fn route_tables(&mut self, tables: &[Found<'_>], routes: &[Found<'_>]) -> Res<()> {
        let mut lines: Vec<(usize, usize, String)> = Vec::new();
        for r in tables {
            if r.name.is_empty() {
                self.report.skip(label(RT, "?"), "it has no name");
                continue;
            }
            let name = self.unique("rt", &r.name, &r.id, "route table");
            let i = self.doc.route_tables.len();
            let what = label(RT, &name);
            let mut docs = Vec::new();
            for rn in r.node.prop_items("routes") {
                if let Some((rd, hop)) = self.route_doc(&rn, &what) {
                    self.map(
                        format!("$.routeTables[{i}].routes[{}]", docs.len()),
                        rn.props_path(),
                    );
                    self.defer_hop(i, docs.len(), &rd, &what, hop);
                    docs.push(rd);
                }
            }
            self.doc.route_tables.push(RouteTableDoc {
                name,
                routes: docs,
                disable_bgp_route_propagation: r
                    .node
                    .prop_bool("disableBgpRoutePropagation")
                    .unwrap_or(false),
            });
            self.route_tables.insert(&r.id, i);
            self.map(format!("$.routeTables[{i}]"), r.node.props_path());
            // Written once separate route resources are in (below).
            lines.push((self.report.imported.len(), i, what));
            self.report.imported.push(String::new());
        }
        for rr in routes {
            let Some(parent) = rr.id.parent() else {
                self.report.skip(
                    label(ROUTE, &rr.name),
                    "its route table cannot be told from its id",
                );
                continue;
            };
            let i = match self.route_tables.get(&parent) {
                Some(i) => i,
                None => {
                    let name = self.unique("rt", parent.name(), &parent, "route table");
                    let i = self.doc.route_tables.len();
                    self.doc.route_tables.push(RouteTableDoc {
                        name: name.clone(),
                        ..RouteTableDoc::default()
                    });
                    self.route_tables.insert(&parent, i);
                    self.assume(format!(
                        "route table {name} is not in the input, only its routes; it is created from them (BGP route propagation on)"
                    ));
                    self.report
                        .imported
                        .push(format!("{} (made from its routes)", label(RT, &name)));
                    i
                }
            };
            let owner = self
                .doc
                .route_tables
                .get(i)
                .map_or_else(String::new, |t| label(RT, &t.name));
            let Some((rd, hop)) = self.route_doc(&rr.node, &owner) else {
                continue;
            };
            let Some(table) = self.doc.route_tables.get_mut(i) else {
                continue;
            };
            if let Some(j) = table
                .routes
                .iter()
                .position(|d| d.name.eq_ignore_ascii_case(&rd.name))
            {
                // A route resource deploys after its table and replaces the
                // table's route of that name (in REST exports, the same
                // route listed twice). One whose next hop waits on another
                // resource is left to the table's own route.
                let waiting = self
                    .pending_hops
                    .iter()
                    .any(|h| matches!(h.slot, Slot::Route(t, r) if t == i && r == j));
                if hop.is_none()
                    && !waiting
                    && let Some(slot) = table.routes.get_mut(j)
                {
                    *slot = rd;
                    let path = format!("$.routeTables[{i}].routes[{j}]");
                    self.sources.pairs.retain(|(d, _)| d != &path);
                    self.map(path, rr.node.props_path());
                }
                continue;
            }
            let j = table.routes.len();
            let hop_rd = hop.is_some().then(|| rd.clone());
            table.routes.push(rd);
            if let Some(rd) = hop_rd {
                self.defer_hop(i, j, &rd, &owner, hop);
            }
            self.map(
                format!("$.routeTables[{i}].routes[{j}]"),
                rr.node.props_path(),
            );
        }
        for (line, i, what) in lines {
            let n = self.doc.route_tables.get(i).map_or(0, |x| x.routes.len());
            if let Some(l) = self.report.imported.get_mut(line) {
                *l = format!("{what} ({})", count(n, "route", "routes"));
            }
        }
        Ok(())
    }

    /// A route; with, when its next hop is another resource's address that
    /// Azure assigns at deployment, what names that resource.
    fn route_doc(&mut self, n: &Node<'_>, owner: &str) -> Option<(RouteDoc, Option<HopRef>)> {
        let name = n.name().unwrap_or_default();
        let what = format!("{owner}/routes/{name}");
        let (Some(prefix), Some(hop)) = (n.prop_str("addressPrefix"), n.prop_str("nextHopType"))
        else {
            self.report
                .skip(what, "it has no addressPrefix or no nextHopType");
            return None;
        };
        let appliance = hop.eq_ignore_ascii_case("VirtualAppliance");
        let ip = n
            .prop_str("nextHopIpAddress")
            .filter(|_| appliance)
            .map(String::from);
        let pending = n
            .prop("nextHopIpAddress")
            .filter(|_| appliance)
            .and_then(|v| address_marker(&v));
        let doc = RouteDoc {
            name,
            address_prefix: prefix.to_string(),
            next_hop_type: hop.to_string(),
            next_hop_ip_address: ip,
        };
        Some((doc, pending))
    }

    fn defer_hop(
        &mut self,
        table: usize,
        route: usize,
        rd: &RouteDoc,
        owner: &str,
        hop: Option<HopRef>,
    ) {
        if let Some((resource, ip_configuration, expression)) = hop {
            self.pending_hops.push(PendingHop {
                slot: Slot::Route(table, route),
                what: format!("{owner}/routes/{}", rd.name),
                resource,
                ip_configuration,
                expression,
            });
        }
    }

    /// Fills in the next hops that name a firewall's or NIC's private
    /// address, now that every one has its address; a route whose resource
    /// is not in the input is dropped, and the report says why.
    fn resolve_hops(&mut self) -> Res<()> {
        let mut dropped: Vec<(usize, usize)> = Vec::new();
        for h in std::mem::take(&mut self.pending_hops) {
            let found = self.private_address(&h.resource, h.ip_configuration);
            let shown = if h.expression.is_empty() {
                String::new()
            } else {
                let bare = h
                    .expression
                    .strip_prefix('[')
                    .and_then(|e| e.strip_suffix(']'));
                format!(" ('{}')", clip_to(bare.unwrap_or(&h.expression), 120))
            };
            match (found, h.slot) {
                (Ok((owner, ip)), Slot::Route(t, r)) => {
                    if let Some(r) = self
                        .doc
                        .route_tables
                        .get_mut(t)
                        .and_then(|t| t.routes.get_mut(r))
                    {
                        r.next_hop_ip_address = Some(ip.clone());
                    }
                    self.assume(format!(
                        "{}: the next hop is {owner}'s private address{shown}, which Azure assigns at deployment; {ip}, the address it has in this import, is used",
                        h.what
                    ));
                }
                (Err(why), Slot::Route(t, r)) => {
                    dropped.push((t, r));
                    self.report.skip(
                        h.what,
                        format!("its next hop is the private address of {why}{shown}; the route is left out"),
                    );
                }
                (Ok((owner, ip)), Slot::RulePrefix(nsg, rule, source, _)) => {
                    let side = if source { "source" } else { "destination" };
                    if let Some(r) = self.doc.nsgs.get_mut(nsg).and_then(|n| {
                        n.rules
                            .iter_mut()
                            .find(|r| r.name.eq_ignore_ascii_case(&rule))
                    }) {
                        let field = if source {
                            &mut r.source_address_prefix
                        } else {
                            &mut r.destination_address_prefix
                        };
                        field.get_or_insert_with(|| ip.clone());
                    }
                    self.assume(format!(
                        "{} ({side}): {owner}'s private address{shown} is assigned by Azure at deployment; {ip}, the address it has in this import, is used",
                        h.what
                    ));
                }
                (Err(why), Slot::RulePrefix(_, _, source, path)) => {
                    let key = if source {
                        "sourceAddressPrefix"
                    } else {
                        "destinationAddressPrefix"
                    };
                    return Err(ImportError::new(
                        path,
                        format!(
                            "{} ({key}): the prefix is the private address of {why}{shown}",
                            h.what
                        ),
                    ));
                }
            }
        }
        // Highest index first, so the others stay where they are.
        dropped.sort_unstable_by(|a, b| b.cmp(a));
        for &(t, r) in &dropped {
            if let Some(table) = self.doc.route_tables.get_mut(t)
                && r < table.routes.len()
            {
                table.routes.remove(r);
                self.sources.forget_route(t, r);
            }
        }
        // The report's line for each such table counts its routes anew.
        for t in dropped.iter().map(|d| d.0).collect::<HashSet<_>>() {
            let Some(table) = self.doc.route_tables.get(t) else {
                continue;
            };
            let head = format!("{} (", label(RT, &table.name));
            let counted = format!("{head}{})", count(table.routes.len(), "route", "routes"));
            if let Some(line) = self
                .report
                .imported
                .iter_mut()
                .find(|l| l.starts_with(&head))
            {
                *line = counted;
            }
        }
        Ok(())
    }

    /// The private address of a firewall, or of a NIC's `k`th IP
    /// configuration, named by id or (within one template) by name:
    /// (the resource as the report names it, the address), or why not.
    fn private_address(&self, resource: &str, k: usize) -> Result<(String, String), String> {
        let parsed = ResId::parse(resource);
        let kinds = [FW, NIC];
        let ids: Vec<ResId> = match &parsed {
            Some(id) => vec![id.clone()],
            None => kinds
                .iter()
                .map(|ty| ResId::from_parts(ty, vec![resource.to_string()]))
                .collect(),
        };
        for id in &ids {
            if id.ty == FW
                && let Some(f) = self
                    .firewalls
                    .get(id)
                    .and_then(|i| self.doc.firewalls.get(i))
            {
                return Ok((label(FW, &f.name), f.private_ip_address.clone()));
            }
            if id.ty == NIC
                && let Some(n) = self.nics.get(id).and_then(|i| self.doc.nics.get(i))
            {
                return match n.ip_configurations.get(k) {
                    Some(c) => Ok((
                        format!("{} ({})", label(NIC, &n.name), c.name),
                        c.private_ip_address.clone(),
                    )),
                    None => Err(format!(
                        "{}'s IP configuration {k}, which it does not have",
                        label(NIC, &n.name)
                    )),
                };
            }
        }
        let name = match &parsed {
            Some(id) if id.ty == FW || id.ty == NIC => {
                return Err(format!(
                    "{}, which is not in the input",
                    label(&id.ty, id.name())
                ));
            }
            Some(id) => {
                return Err(format!(
                    "{}, which is neither a firewall nor a network interface",
                    id.ty_raw
                ));
            }
            None => resource,
        };
        Err(format!(
            "'{}', which is neither a firewall nor a network interface of the input",
            clip(name)
        ))
    }

    // ---- VNets, subnets, peerings -------------------------------------------

    fn vnets(&mut self, vnets: &[Found<'_>], subnets: &[Found<'_>], peerings: &[Found<'_>]) {
        let mut inline_peerings: Vec<(usize, Node<'_>)> = Vec::new();
        for r in vnets {
            let what = label(VNET, &r.name);
            let space_node = r.node.prop("addressSpace");
            let space = space_node
                .as_ref()
                .map(|a| a.prop_strings("addressPrefixes"))
                .unwrap_or_default();
            if r.name.is_empty() || space.is_empty() {
                self.report.skip(
                    what,
                    "it has no name or no address space in the input (IPAM-allocated spaces are not read)",
                );
                continue;
            }
            let location = self.location(&r.node, &what, None);
            let name = self.unique("vnet", &r.name, &r.id, "virtual network");
            let i = self.doc.vnets.len();
            self.doc.vnets.push(VnetDoc {
                name: name.clone(),
                location,
                address_space: space,
                ..VnetDoc::default()
            });
            self.vnets.insert(&r.id, i);
            self.map(format!("$.vnets[{i}]"), r.node.props_path());
            if let Some(a) = space_node.and_then(|a| a.prop("addressPrefixes")) {
                self.map(format!("$.vnets[{i}].addressSpace"), a.path());
            }
            for sn in r.node.prop_items("subnets") {
                self.subnet(i, &r.id, &sn);
            }
            for pn in r.node.prop_items("virtualNetworkPeerings") {
                inline_peerings.push((i, pn));
            }
        }
        for s in subnets {
            let vnet = s.id.parent().and_then(|p| self.vnets.get(&p));
            match vnet {
                Some(i) => {
                    if let Some(p) = s.id.parent() {
                        self.subnet(i, &p, &s.node);
                    }
                }
                None => self.report.skip(
                    id_label(&s.id),
                    format!(
                        "its virtual network {} is not in the input",
                        s.id.names.first().map_or("", String::as_str)
                    ),
                ),
            }
        }
        for (i, pn) in inline_peerings {
            self.peering(i, &pn);
        }
        for p in peerings {
            match p.id.parent().and_then(|v| self.vnets.get(&v)) {
                Some(i) => self.peering(i, &p.node),
                None => self.report.skip(
                    id_label(&p.id),
                    format!(
                        "its virtual network {} is not in the input",
                        p.id.names.first().map_or("", String::as_str)
                    ),
                ),
            }
        }
        for v in &self.doc.vnets {
            let peerings = if v.peerings.is_empty() {
                String::new()
            } else {
                format!(", {}", count(v.peerings.len(), "peering", "peerings"))
            };
            self.report.imported.push(format!(
                "{} ({}{peerings})",
                label(VNET, &v.name),
                count(v.subnets.len(), "subnet", "subnets")
            ));
        }
    }

    fn subnet(&mut self, i: usize, vnet_id: &ResId, n: &Node<'_>) {
        let Some(name) = n.name() else {
            self.report.skip(
                format!("{}/subnets/?", label(VNET, vnet_id.name())),
                "it has no name",
            );
            return;
        };
        let vnet_name = self
            .doc
            .vnets
            .get(i)
            .map_or_else(String::new, |v| v.name.clone());
        let what = format!("{}/subnets/{name}", label(VNET, &vnet_name));
        // A subnet resource deploys after its VNet (it depends on it) and
        // replaces the VNet's inline subnet of that name: it wins. (In REST
        // exports the two are the same subnet, listed twice.)
        let existing = self.doc.vnets.get(i).and_then(|v| {
            v.subnets
                .iter()
                .position(|s| s.name.eq_ignore_ascii_case(&name))
        });
        let list = n.prop_strings("addressPrefixes");
        let single = n.prop_str("addressPrefix");
        let prefixes: Vec<String> = if list.is_empty() {
            single.map(String::from).into_iter().collect()
        } else {
            list.clone()
        };
        if prefixes.is_empty() {
            self.report.skip(
                what,
                "it has no address prefix in the input (IPAM-allocated prefixes are not read)",
            );
            return;
        }
        self.unreadable_ref(
            n,
            "networkSecurityGroup",
            &what,
            "The subnet is imported without an NSG, so nothing filters its traffic at the subnet.",
        );
        self.unreadable_ref(
            n,
            "routeTable",
            &what,
            "The subnet is imported with system routes only.",
        );
        let nsg = match n.prop_ref("networkSecurityGroup") {
            Some(id) => match self.nsgs.get(&id).and_then(|k| self.doc.nsgs.get(k)) {
                Some(x) => Some(x.name.clone()),
                None => {
                    self.report.skip(
                        format!("{what}: its network security group {}", id.name()),
                        "the NSG is not in the input; the subnet is imported without it, so nothing filters its traffic at the subnet",
                    );
                    None
                }
            },
            None => None,
        };
        let route_table = match n.prop_ref("routeTable") {
            Some(id) => match self
                .route_tables
                .get(&id)
                .and_then(|k| self.doc.route_tables.get(k))
            {
                Some(x) => Some(x.name.clone()),
                None => {
                    self.report.skip(
                        format!("{what}: its route table {}", id.name()),
                        "the route table is not in the input; the subnet is imported with system routes only",
                    );
                    None
                }
            },
            None => None,
        };
        let service_endpoints = n
            .prop_items("serviceEndpoints")
            .iter()
            .filter_map(|s| s.child_str("service").map(String::from))
            .collect();
        let policies = match n.prop_str("privateEndpointNetworkPolicies") {
            None => None,
            Some(p) => match PE_POLICIES.iter().find(|x| x.eq_ignore_ascii_case(p)) {
                Some(&"Disabled") => None,
                Some(x) => Some((*x).to_string()),
                None => {
                    self.assume(format!(
                        "{what}: privateEndpointNetworkPolicies '{}' is not known; Disabled (Azure's default) is assumed",
                        clip(p)
                    ));
                    None
                }
            },
        };
        let Some(vnet) = self.doc.vnets.get_mut(i) else {
            return;
        };
        let subnet = SubnetDoc {
            name: name.clone(),
            address_prefixes: prefixes,
            nsg,
            route_table,
            service_endpoints,
            private_endpoint_network_policies: policies,
            default_outbound_access: n.prop_bool("defaultOutboundAccess").unwrap_or(true),
        };
        let id = n
            .ref_id()
            .filter(|id| id.ty == SUBNET)
            .unwrap_or_else(|| vnet_id.child("subnets", &name));
        let j = match existing {
            Some(j) => {
                if let Some(slot) = vnet.subnets.get_mut(j) {
                    // Keep the first spelling of the name: references resolve to it.
                    let first = core::mem::take(&mut slot.name);
                    *slot = SubnetDoc {
                        name: first,
                        ..subnet
                    };
                }
                if let Some(pos) = self.subnets.get(&vnet_id.child("subnets", &name)) {
                    self.subnets.insert(&id, pos);
                }
                let base = format!("$.vnets[{i}].subnets[{j}]");
                self.sources
                    .pairs
                    .retain(|(d, _)| !(d == &base || d.starts_with(&format!("{base}."))));
                j
            }
            None => {
                let j = vnet.subnets.len();
                vnet.subnets.push(subnet);
                // Register under both the id given and the one derived from the VNet.
                let pos = self.subnet_pos.len();
                self.subnet_pos.push((i, j));
                self.subnets.insert(&id, pos);
                self.subnets.insert(&vnet_id.child("subnets", &name), pos);
                j
            }
        };
        let base = format!("$.vnets[{i}].subnets[{j}]");
        self.map(base.clone(), n.props_path());
        if list.is_empty() {
            if let Some(p) = n.prop("addressPrefix") {
                self.map(format!("{base}.addressPrefixes[0]"), p.path());
            }
        } else if let Some(p) = n.prop("addressPrefixes") {
            self.map(format!("{base}.addressPrefixes"), p.path());
        }
        if let Some(p) = n.prop("networkSecurityGroup") {
            self.map(format!("{base}.nsg"), p.path());
        }
        if let Some(p) = n.prop("routeTable") {
            self.map(format!("{base}.routeTable"), p.path());
        }
    }

    /// The VNet and subnet names of a subnet reference, if both are imported.
    fn subnet_names(&self, id: &ResId) -> Option<(usize, usize, String, String)> {
        let pos = self.subnets.get(id)?;
        let (i, j) = *self.subnet_pos.get(pos)?;
        let v = self.doc.vnets.get(i)?;
        let s = v.subnets.get(j)?;
        Some((i, j, v.name.clone(), s.name.clone()))
    }

    fn peering(&mut self, i: usize, n: &Node<'_>) {
        let Some(name) = n.name() else {
            return;
        };
        let vnet_name = self
            .doc
            .vnets
            .get(i)
            .map_or_else(String::new, |v| v.name.clone());
        let what = format!("{}/virtualNetworkPeerings/{name}", label(VNET, &vnet_name));
        let Some(remote_id) = n.prop_ref("remoteVirtualNetwork") else {
            self.report.skip(what, "it names no remote virtual network");
            return;
        };
        // REST and az exports say whether the peering works: only a
        // Connected one carries traffic (Initiated: the other side is missing;
        // Disconnected: the other side was deleted).
        if let Some(state) = n.prop_str("peeringState")
            && !state.eq_ignore_ascii_case("Connected")
        {
            self.report.skip(
                what,
                format!("its peeringState is {state}; only a Connected peering carries traffic"),
            );
            return;
        }
        // Subnet peering (peerCompleteVnets false) connects only the named
        // subnets; reading it as a whole-VNet peering would let more through.
        if n.prop_bool("peerCompleteVnets") == Some(false) {
            self.report.skip(
                what,
                "it peers only some subnets (peerCompleteVnets false), which the playground does not model; no peering is drawn",
            );
            return;
        }
        let Some(remote) = self
            .vnets
            .get(&remote_id)
            .and_then(|k| self.doc.vnets.get(k))
            .map(|v| v.name.clone())
        else {
            self.report.skip(
                what,
                format!(
                    "the remote virtual network {} is not in the input",
                    remote_id.name()
                ),
            );
            return;
        };
        let Some(vnet) = self.doc.vnets.get_mut(i) else {
            return;
        };
        if vnet
            .peerings
            .iter()
            .any(|p| p.name.eq_ignore_ascii_case(&name))
        {
            return;
        }
        let k = vnet.peerings.len();
        vnet.peerings.push(PeeringDoc {
            name,
            remote_vnet: remote,
            allow_virtual_network_access: n.prop_bool("allowVirtualNetworkAccess").unwrap_or(true),
            allow_forwarded_traffic: n.prop_bool("allowForwardedTraffic").unwrap_or(false),
            allow_gateway_transit: n.prop_bool("allowGatewayTransit").unwrap_or(false),
            use_remote_gateways: n.prop_bool("useRemoteGateways").unwrap_or(false),
        });
        let base = format!("$.vnets[{i}].peerings[{k}]");
        self.map(base.clone(), n.props_path());
        if let Some(p) = n.prop("remoteVirtualNetwork") {
            self.map(format!("{base}.remoteVnet"), p.path());
        }
    }

    // ---- Addresses the input does not give ---------------------------------

    /// A placeholder public address from 20.255.0.0/16.
    fn placeholder_public_ip(&mut self) -> Option<IpAddr> {
        let skip = self.next_placeholder as usize;
        for (k, ip) in super::placeholder_public_ips().enumerate().skip(skip) {
            self.next_placeholder = k as u32 + 1;
            if self.used_ips.insert(IpAddr::V4(ip)) {
                return Some(IpAddr::V4(ip));
            }
        }
        None
    }

    /// A placeholder public endpoint for a service, from its tag's sample prefixes.
    fn placeholder_service_ip(&mut self, tag: &str) -> Option<IpAddr> {
        let base = ServiceTag::parse(tag)
            .and_then(|t| t.builtin_prefixes().first().copied())
            .and_then(|p| address::parse_prefix(p).ok());
        let (hi, size) = match base {
            Some(IpNet::V4(n)) => (
                u32::from(n.broadcast()),
                1u32 << (32 - n.prefix_len()).min(16),
            ),
            _ => (u32::from(Ipv4Addr::new(20, 254, 255, 255)), 1 << 16),
        };
        (1..size.saturating_sub(1))
            .map(|k| IpAddr::V4(Ipv4Addr::from(hi.wrapping_sub(k))))
            .find(|ip| !self.used_ips.contains(ip))
            .inspect(|ip| {
                self.used_ips.insert(*ip);
            })
    }

    /// The first free private address of a subnet (from the fifth: Azure
    /// reserves the first four and the last).
    fn allocate(&mut self, i: usize, j: usize, what: &str) -> Option<String> {
        let subnet = self.doc.vnets.get(i)?.subnets.get(j)?;
        let net = subnet
            .address_prefixes
            .iter()
            .filter_map(|p| address::parse_prefix(p).ok())
            .find_map(|p| match p {
                IpNet::V4(n) if n.prefix_len() <= 29 => Some(n),
                _ => None,
            })?;
        let subnet_name = subnet.name.clone();
        let start = u32::from(net.network()).checked_add(4)?;
        let end = u32::from(net.broadcast());
        let limit = self.used_ips.len() as u32 + 1;
        let ip = (start..end)
            .take(limit as usize)
            .map(|a| IpAddr::V4(Ipv4Addr::from(a)))
            .find(|ip| !self.used_ips.contains(ip))?;
        self.used_ips.insert(ip);
        self.assume(format!(
            "{what} has no private address in the input; it gets {ip}, the first free address of subnet {subnet_name}, as Azure's dynamic allocation would"
        ));
        Some(ip.to_string())
    }

    // ---- Public IPs -----------------------------------------------------------

    fn sku(&mut self, n: &Node<'_>, what: &str) -> Option<String> {
        match n.child("sku").and_then(|s| s.child_str("name")) {
            Some(s) if s.eq_ignore_ascii_case("Standard") => Some(String::from("Standard")),
            Some(s) if s.eq_ignore_ascii_case("Basic") => Some(String::from("Basic")),
            Some(_) => None,
            // Only a Basic public IP can be allocated dynamically (Standard is
            // always static), so an IP that asks for Dynamic is Basic: the
            // SKU of templates written before Standard became the default.
            None if n
                .prop_str("publicIPAllocationMethod")
                .is_some_and(|m| m.eq_ignore_ascii_case("Dynamic")) =>
            {
                self.assume(format!(
                    "{what} has no SKU in the input and is allocated dynamically, which only Basic allows; Basic is assumed (Basic public IPs were retired on 2025-09-30)"
                ));
                Some(String::from("Basic"))
            }
            None => {
                self.assume(standard_sku_assumed(what));
                Some(String::from("Standard"))
            }
        }
    }

    /// The first public IP of a load balancer's frontends that is Basic in
    /// the document (given so, or assumed for a dynamic allocation).
    fn basic_frontend_pip(&self, lb: &Node<'_>) -> Option<String> {
        lb.prop_items("frontendIPConfigurations")
            .iter()
            .find_map(|f| {
                let id = f.prop_ref("publicIPAddress")?;
                let p = self
                    .pips
                    .get(&id)
                    .and_then(|i| self.doc.public_ips.get(i))?;
                (p.sku == "Basic").then(|| p.name.clone())
            })
    }

    /// A Basic load balancer takes only Basic public IPs, so one of its
    /// frontend IPs whose SKU the input left out is Basic: azurerm before 4.0
    /// and the API before Standard became the default made both Basic, and
    /// only that pair deploys.
    fn basic_pip_for_basic_lb(&mut self, lb_sku: &str, pip: &str, lb: &str) {
        if lb_sku != "Basic" || !self.pips_without_sku.remove(pip) {
            return;
        }
        if let Some(doc) = self.doc.public_ips.iter_mut().find(|p| p.name == pip)
            && doc.sku != "Basic"
        {
            doc.sku = String::from("Basic");
            let standard = standard_sku_assumed(&label(PIP, pip));
            self.report.assumptions.retain(|a| *a != standard);
            self.assume(format!(
                "{} has no SKU in the input and is a frontend of the Basic load balancer {lb}, which takes only Basic public IPs; Basic is assumed",
                label(PIP, pip)
            ));
        }
    }

    fn public_ips(&mut self, pips: &[Found<'_>]) {
        for r in pips {
            let what = label(PIP, &r.name);
            if r.name.is_empty() {
                self.report.skip(what, "it has no name");
                continue;
            }
            let Some(sku) = self.sku(&r.node, &what) else {
                self.report
                    .skip(what, "its SKU is neither Standard nor Basic");
                continue;
            };
            let address = match r
                .node
                .prop_str("ipAddress")
                .and_then(|a| address::parse_ip(a).ok())
            {
                Some(ip) => ip.to_string(),
                None => match self.placeholder_public_ip() {
                    Some(ip) => {
                        self.assume(format!(
                            "{what} has no address in the input (not allocated yet); it gets the placeholder {ip} from 20.255.0.0/16"
                        ));
                        ip.to_string()
                    }
                    None => {
                        self.report.skip(what, "no placeholder address is left");
                        continue;
                    }
                },
            };
            let name = self.unique("pip", &r.name, &r.id, "public IP");
            if r.node.child("sku").is_none() {
                self.pips_without_sku.insert(name.clone());
            }
            let i = self.doc.public_ips.len();
            self.doc.public_ips.push(PublicIpDoc {
                name: name.clone(),
                sku,
                address,
            });
            self.pips.insert(&r.id, i);
            let base = format!("$.publicIps[{i}]");
            self.map(base.clone(), r.node.props_path());
            if let Some(p) = r.node.prop("ipAddress") {
                self.map(format!("{base}.address"), p.path());
            }
            self.report.imported.push(label(PIP, &name));
        }
    }

    fn pip_name(
        &mut self,
        n: &Node<'_>,
        key: &str,
        what: &str,
        consequence: &str,
    ) -> Option<String> {
        let id = n.prop_ref(key)?;
        match self.pips.get(&id).and_then(|i| self.doc.public_ips.get(i)) {
            Some(p) => Some(p.name.clone()),
            None => {
                self.report.skip(
                    format!("{what}: its public IP {}", id.name()),
                    format!("the public IP is not in the input; {consequence}"),
                );
                None
            }
        }
    }

    // ---- NICs and VMs -----------------------------------------------------------

    fn nics(&mut self, nics: &[Found<'_>]) {
        for r in nics {
            let what = label(NIC, &r.name);
            let mut cfg_nodes = r.node.prop_items("ipConfigurations");
            if let Some(pe) = r.node.prop_ref("privateEndpoint") {
                let ip = cfg_nodes
                    .iter()
                    .find_map(|c| c.prop_str("privateIPAddress"))
                    .map(String::from);
                if let Some(ip) = ip {
                    self.pe_ip_by_pe.insert(pe.key(), ip.clone());
                    self.pe_ip_by_nic.insert(r.id.key(), ip);
                }
                self.report.imported.push(format!(
                    "{what} (the network interface of private endpoint {}, read with it)",
                    pe.name()
                ));
                continue;
            }
            if r.node.prop("privateLinkService").is_some() {
                self.report.skip(
                    what,
                    "it belongs to a private link service, which is not modelled",
                );
                continue;
            }
            if r.name.is_empty() {
                self.report.skip(what, "it has no name");
                continue;
            }
            // The primary configuration first, as the scenario format expects.
            cfg_nodes.sort_by_key(|c| c.prop_bool("primary") != Some(true));
            let mut configs = Vec::new();
            let mut cfg_sources = Vec::new();
            let mut pools = Vec::new();
            let mut nat_rules = Vec::new();
            for (k, c) in cfg_nodes.iter().enumerate() {
                let cname = c.name().unwrap_or_else(|| format!("ipconfig{}", k + 1));
                let cwhat = format!("{what}/ipConfigurations/{cname}");
                let Some(subnet_id) = c.prop_ref("subnet") else {
                    self.report.skip(cwhat, "it names no subnet");
                    continue;
                };
                let Some((vi, sj, vnet, subnet)) = self.subnet_names(&subnet_id) else {
                    self.report.skip(
                        cwhat,
                        format!(
                            "its subnet {} is not in the input",
                            subnet_id.names.join("/")
                        ),
                    );
                    continue;
                };
                let ip = match c.prop_str("privateIPAddress") {
                    Some(ip) => ip.to_string(),
                    None => match self.allocate(vi, sj, &cwhat) {
                        Some(ip) => ip,
                        None => {
                            self.report.skip(
                                cwhat,
                                "it has no private address and its subnet has no free IPv4 address to give it",
                            );
                            continue;
                        }
                    },
                };
                let public_ip = self.pip_name(
                    c,
                    "publicIPAddress",
                    &cwhat,
                    "the configuration is imported without it",
                );
                let asgs = self.asg_refs(c, "applicationSecurityGroups", || {
                    format!("IP configuration {cwhat}")
                });
                for pool in c.prop_refs("loadBalancerBackendAddressPools") {
                    pools.push((pool.key(), cname.clone()));
                }
                for rule in c.prop_refs("loadBalancerInboundNatRules") {
                    nat_rules.push((rule.key(), cname.clone()));
                }
                cfg_sources.push(c.clone());
                configs.push(IpConfigDoc {
                    name: cname,
                    vnet,
                    subnet,
                    private_ip_address: ip,
                    public_ip,
                    asgs,
                });
            }
            if configs.is_empty() {
                self.report.skip(
                    what,
                    "none of its IP configurations is in a subnet of the input",
                );
                continue;
            }
            self.unreadable_ref(
                &r.node,
                "networkSecurityGroup",
                &what,
                "The NIC is imported without an NSG.",
            );
            let nsg = match r.node.prop_ref("networkSecurityGroup") {
                Some(id) => match self.nsgs.get(&id).and_then(|k| self.doc.nsgs.get(k)) {
                    Some(x) => Some(x.name.clone()),
                    None => {
                        self.report.skip(
                            format!("{what}: its network security group {}", id.name()),
                            "the NSG is not in the input; the NIC is imported without it, so nothing filters its traffic at the NIC",
                        );
                        None
                    }
                },
                None => None,
            };
            let name = self.unique("nic", &r.name, &r.id, "network interface");
            let i = self.doc.nics.len();
            if let Some(vm) = r.node.prop_ref("virtualMachine") {
                let primary = r.node.prop_bool("primary").unwrap_or(false);
                self.nic_vms.push((vm, name.clone(), primary));
            }
            for (pool, cfg) in pools {
                self.nic_pools
                    .entry(pool)
                    .or_default()
                    .push((name.clone(), cfg));
            }
            for (rule, cfg) in nat_rules {
                self.nic_nat_rules
                    .entry(rule)
                    .or_default()
                    .push((name.clone(), cfg));
            }
            self.nic_by_name.insert(name.clone(), i);
            for (k, c) in configs.iter().enumerate() {
                self.nic_by_ip
                    .entry(c.private_ip_address.clone())
                    .or_insert((i, k));
            }
            let base = format!("$.nics[{i}]");
            self.map(base.clone(), r.node.props_path());
            if let Some(p) = r.node.prop("networkSecurityGroup") {
                self.map(format!("{base}.nsg"), p.path());
            }
            for (k, c) in cfg_sources.iter().enumerate() {
                let cbase = format!("{base}.ipConfigurations[{k}]");
                self.map(cbase.clone(), c.props_path());
                for (field, key) in [
                    ("privateIpAddress", "privateIPAddress"),
                    ("subnet", "subnet"),
                    ("vnet", "subnet"),
                    ("publicIp", "publicIPAddress"),
                    ("asgs", "applicationSecurityGroups"),
                ] {
                    if let Some(p) = c.prop(key) {
                        self.map(format!("{cbase}.{field}"), p.path());
                    }
                }
            }
            let count_cfgs = configs.len();
            self.doc.nics.push(NicDoc {
                name: name.clone(),
                nsg,
                ip_forwarding: r.node.prop_bool("enableIPForwarding").unwrap_or(false),
                ip_configurations: configs,
            });
            self.nics.insert(&r.id, i);
            self.report.imported.push(format!(
                "{} ({})",
                label(NIC, &name),
                count(count_cfgs, "IP configuration", "IP configurations")
            ));
        }
    }

    fn vms(&mut self, vms: &[Found<'_>]) {
        for r in vms {
            let what = label(VM, &r.name);
            if r.name.is_empty() {
                self.report.skip(what, "it has no name");
                continue;
            }
            let mut refs = r
                .node
                .prop("networkProfile")
                .map(|p| p.prop_items("networkInterfaces"))
                .unwrap_or_default();
            refs.sort_by_key(|n| n.prop_bool("primary") != Some(true));
            let mut nics = Vec::new();
            for n in &refs {
                let Some(id) = n.ref_id() else { continue };
                match self.nics.get(&id).and_then(|i| self.doc.nics.get(i)) {
                    Some(nic) if !self.claimed_nics.contains(&nic.name.to_ascii_lowercase()) => {
                        nics.push(nic.name.clone());
                    }
                    Some(_) => {}
                    None => self.report.skip(
                        format!("{what}: its network interface {}", id.name()),
                        "the NIC is not in the input (or was skipped); the VM is imported without it",
                    ),
                }
            }
            if nics.is_empty() {
                self.report
                    .skip(what, "none of its network interfaces is in the input");
                continue;
            }
            let zone = r
                .node
                .child("zones")
                .and_then(|z| z.items().first().and_then(|x| x.str().map(String::from)))
                .and_then(|z| z.parse::<u8>().ok());
            self.add_vm(&r.id, &r.name, nics, zone, Some(&r.node));
        }
        // NICs that name a VM the input does not hold.
        let mut missing: Vec<(ResId, Vec<(String, bool)>)> = Vec::new();
        // VM key → its place in `missing` (one entry per VM, in input order).
        let mut missing_at: HashMap<String, usize> = HashMap::new();
        for (vm, nic, primary) in std::mem::take(&mut self.nic_vms) {
            if self.vms.get(&vm).is_some() || self.claimed_nics.contains(&nic.to_ascii_lowercase())
            {
                continue;
            }
            match missing_at.get(&vm.key()).and_then(|&k| missing.get_mut(k)) {
                Some((_, list)) => list.push((nic, primary)),
                None => {
                    missing_at.insert(vm.key(), missing.len());
                    missing.push((vm, vec![(nic, primary)]));
                }
            }
        }
        for (vm, mut list) in missing {
            list.sort_by_key(|(_, primary)| !primary);
            let nics: Vec<String> = list.into_iter().map(|(n, _)| n).collect();
            let name = vm.name().to_string();
            self.assume(format!(
                "virtual machine {name} is not in the input, but network interface {} names it; it is created with its NICs",
                nics.join(", ")
            ));
            self.add_vm(&vm, &name, nics, None, None);
        }
    }

    /// A scale set's instances, as NICs to read (each network interface
    /// configuration, which has a NIC's shape) and VMs to make of them
    /// (id, name, the NICs' ids, primary first). Instances are named as
    /// Azure names them (`web_0`, `web_1`); at most [`MAX_INSTANCES`].
    fn scale_set_instances<'n>(&mut self, sets: &[Found<'n>]) -> (Vec<Found<'n>>, Vec<Instance>) {
        let mut nics = Vec::new();
        let mut vms = Vec::new();
        for r in sets {
            let what = label(VMSS, &r.name);
            let mut configs = r
                .node
                .prop("virtualMachineProfile")
                .and_then(|p| p.prop("networkProfile"))
                .map(|p| p.prop_items("networkInterfaceConfigurations"))
                .unwrap_or_default();
            if r.name.is_empty() || configs.is_empty() {
                self.report.skip(
                    what,
                    "it has no network interface configurations (a Flexible scale set's VMs are their own resources, read as VMs)",
                );
                continue;
            }
            configs.sort_by_key(|c| c.prop_bool("primary") != Some(true));
            let capacity = match r.node.child("sku").and_then(|s| s.prop_int("capacity")) {
                Some(Ok(n)) => n,
                Some(Err(_)) => {
                    self.report
                        .skip(what, "its capacity (sku.capacity) is not a whole number");
                    continue;
                }
                None => {
                    self.assume(format!(
                        "{what} gives no capacity (sku.capacity); one instance is imported"
                    ));
                    1
                }
            };
            if capacity <= 0 {
                self.report
                    .skip(what, "its capacity is 0: it has no instances");
                continue;
            }
            let n = capacity.min(MAX_INSTANCES);
            if capacity > MAX_INSTANCES {
                self.assume(format!(
                    "{what} has {capacity} instances; the first {MAX_INSTANCES} are imported (instances share their network settings, so the others behave the same)"
                ));
            }
            self.assume(format!(
                "{what}: its instances are imported as the VMs {0}_0 to {0}_{1}, with the next free addresses of their subnets in instance order (Azure assigns them at deployment)",
                r.name,
                n - 1
            ));
            for k in 0..n as usize {
                let vm_name = format!("{}_{k}", r.name);
                let mut ids = Vec::new();
                for c in &configs {
                    let cname = c.name().unwrap_or_else(|| String::from("nic"));
                    let nic_name = format!("{vm_name}-{cname}");
                    let id = ResId::from_parts(
                        "Microsoft.Network/networkInterfaces",
                        vec![nic_name.clone()],
                    );
                    for ip in c.prop_items("ipConfigurations") {
                        let ip_name = ip.name().unwrap_or_default();
                        for pool in ip.prop_refs("loadBalancerInboundNatPools") {
                            self.scale_set_nat
                                .push((pool.key(), k, id.clone(), ip_name.clone()));
                        }
                        if k == 0 && ip.prop("publicIPAddressConfiguration").is_some() {
                            self.report.skip(
                                format!("{what}: the instances' public IPs ({cname}/{ip_name})"),
                                "per-instance public IPs are not modelled",
                            );
                        }
                    }
                    nics.push(Found {
                        node: c.clone(),
                        ty: NIC.to_string(),
                        id: id.clone(),
                        name: nic_name,
                    });
                    ids.push(id);
                }
                vms.push((
                    ResId::from_parts("Microsoft.Compute/virtualMachines", vec![vm_name.clone()]),
                    vm_name,
                    ids,
                ));
            }
        }
        (nics, vms)
    }

    /// The scale sets' instances as VMs, with the NICs read for them.
    fn scale_set_vms(&mut self, instances: Vec<Instance>) {
        for (id, name, nic_ids) in instances {
            let nics: Vec<String> = nic_ids
                .iter()
                .filter_map(|n| self.nics.get(n).and_then(|i| self.doc.nics.get(i)))
                .map(|n| n.name.clone())
                .collect();
            if nics.is_empty() {
                self.report.skip(
                    label(VM, &name),
                    "none of the scale set instance's network interface configurations could be read",
                );
                continue;
            }
            self.add_vm(&id, &name, nics, None, None);
        }
    }

    fn add_vm(
        &mut self,
        id: &ResId,
        name: &str,
        nics: Vec<String>,
        zone: Option<u8>,
        node: Option<&Node<'_>>,
    ) {
        let name = self.unique("vm", name, id, "virtual machine");
        let forwarding: Vec<&String> = nics
            .iter()
            .filter(|n| {
                self.nic_by_name
                    .get(n.as_str())
                    .and_then(|i| self.doc.nics.get(*i))
                    .is_some_and(|x| x.ip_forwarding)
            })
            .collect();
        let is_appliance = !forwarding.is_empty();
        if is_appliance {
            let list: Vec<&str> = forwarding.iter().map(|s| s.as_str()).collect();
            self.assume(format!(
                "virtual machine {name} is taken to be a network virtual appliance because its network interface {} has IP forwarding enabled",
                list.join(", ")
            ));
        }
        for n in &nics {
            self.claimed_nics.insert(n.to_ascii_lowercase());
        }
        let i = self.doc.vms.len();
        let nic_count = nics.len();
        self.doc.vms.push(VmDoc {
            name: name.clone(),
            nics,
            zone,
            is_appliance,
        });
        self.vms.insert(id, i);
        if let Some(n) = node {
            self.map(format!("$.vms[{i}]"), n.props_path());
        }
        self.report.imported.push(format!(
            "{} ({})",
            label(VM, &name),
            count(nic_count, "network interface", "network interfaces")
        ));
    }

    // ---- PaaS services --------------------------------------------------------

    fn service(&mut self, r: &Found<'_>, tag: &str) {
        let what = label(&r.ty, &r.name);
        if r.name.is_empty() {
            self.report.skip(what, "it has no name");
            return;
        }
        let location = self.location(&r.node, &what, None);
        // An address the playground's exports carry in a tag (Azure's own
        // resources never say it).
        let tagged = r
            .node
            .child("tags")
            .and_then(|t| t.child_str(crate::export_tf::ADDRESS_TAG))
            .and_then(|a| a.parse::<IpAddr>().ok());
        let ip = match tagged {
            Some(ip) => {
                self.used_ips.insert(ip);
                ip
            }
            None => {
                let Some(ip) = self.placeholder_service_ip(tag) else {
                    self.report.skip(what, "no placeholder address is left");
                    return;
                };
                self.assume(format!(
                    "{what}: the input does not hold its public endpoint's address; it gets {ip} from the {tag} service tag's sample range"
                ));
                ip
            }
        };
        let mut public_network_access = !r
            .node
            .prop_str("publicNetworkAccess")
            .is_some_and(|p| p.eq_ignore_ascii_case("Disabled"));
        let mut allowed_subnets = Vec::new();
        let mut allowed_ip_ranges = Vec::new();
        // Container registries call their network rules `networkRuleSet`.
        let acls = r
            .node
            .prop("networkAcls")
            .or_else(|| r.node.prop("networkRuleSet"));
        if let Some(acl) = acls
            && acl
                .prop_str("defaultAction")
                .is_some_and(|a| a.eq_ignore_ascii_case("Deny"))
        {
            for v in acl.prop_items("virtualNetworkRules") {
                let id = v.ref_id().or_else(|| {
                    v.prop_str("virtualNetworkResourceId")
                        .and_then(ResId::parse)
                });
                let Some(id) = id else { continue };
                match self.subnet_names(&id) {
                    Some((_, _, vnet, subnet)) => {
                        allowed_subnets.push(SubnetRefDoc { vnet, subnet })
                    }
                    None => self.report.skip(
                        format!(
                            "{what}: its virtual network rule for {}",
                            id.names.join("/")
                        ),
                        "the subnet is not in the input",
                    ),
                }
            }
            for ip_rule in acl.prop_items("ipRules") {
                let value = ip_rule
                    .prop_str("value")
                    .or_else(|| ip_rule.prop_str("ipAddressOrRange"));
                if let Some(v) = value {
                    allowed_ip_ranges.push(v.to_string());
                }
            }
            if allowed_subnets.is_empty() && allowed_ip_ranges.is_empty() {
                public_network_access = false;
                self.assume(format!(
                    "{what}: its firewall denies by default and allows no network of the input; its public endpoint is treated as closed"
                ));
            }
        }
        let name = self.unique("service", &r.name, &r.id, "service");
        let i = self.doc.services.len();
        self.doc.services.push(ServiceDoc {
            name: name.clone(),
            service_tag: tag.to_string(),
            location,
            public_ip_address: ip.to_string(),
            public_network_access,
            allowed_subnets,
            allowed_ip_ranges,
        });
        self.services.insert(&r.id, i);
        self.map(format!("$.services[{i}]"), r.node.props_path());
        self.report.imported.push(format!("{what} (service {tag})"));
    }

    // ---- Load balancers --------------------------------------------------------

    fn load_balancers(&mut self, lbs: &[Found<'_>], nat_rules: &[Found<'_>]) -> Res<()> {
        for nr in nat_rules {
            let parent = nr.id.parent().map(|p| p.key());
            if !lbs.iter().any(|l| Some(l.id.key()) == parent) {
                self.report.skip(
                    label(NAT_RULE, &nr.name),
                    "its load balancer is not in the input",
                );
            }
        }
        for r in lbs {
            let what = label(LB, &r.name);
            if r.name.is_empty() {
                self.report.skip(what, "it has no name");
                continue;
            }
            let given = r.node.child("sku").and_then(|s| s.child_str("name"));
            let basic_pip = given
                .is_none()
                .then(|| self.basic_frontend_pip(&r.node))
                .flatten();
            let sku = match basic_pip {
                // Templates from before Standard was the default leave out
                // both SKUs and allocate the IP dynamically: a Basic pair,
                // the only one that deploys (Basic was the API's default).
                Some(pip) => {
                    self.assume(format!(
                        "{what} has no SKU in the input and a frontend uses the Basic public IP {pip}, which only a Basic load balancer takes; Basic is assumed (Basic load balancers were retired on 2025-09-30)"
                    ));
                    Some(String::from("Basic"))
                }
                None => self.sku(&r.node, &what),
            };
            let Some(sku) = sku else {
                self.report.skip(
                    what,
                    "only Standard and Basic load balancers are modelled (not Gateway)",
                );
                continue;
            };
            let mut frontends = Vec::new();
            let mut fe_nodes = Vec::new();
            for f in r.node.prop_items("frontendIPConfigurations") {
                let fname = f.name().unwrap_or_default();
                let fwhat = format!("{what}/frontendIPConfigurations/{fname}");
                let (public_ip, private_ip) = if f.prop("publicIPAddress").is_some() {
                    match self.pip_name(&f, "publicIPAddress", &fwhat, "the frontend is left out") {
                        Some(p) => {
                            self.basic_pip_for_basic_lb(&sku, &p, &what);
                            (Some(p), None)
                        }
                        None => continue,
                    }
                } else if let Some(ip) = f.prop_str("privateIPAddress") {
                    // Like a NIC's: an address in a subnet the input does not
                    // hold (an existing VNet) cannot be placed, so the frontend
                    // is reported rather than rejected.
                    if f.prop_ref("subnet")
                        .is_some_and(|s| self.subnet_names(&s).is_none())
                    {
                        self.report.skip(
                            fwhat,
                            "its subnet is not in the input (an existing virtual network?)",
                        );
                        continue;
                    }
                    (None, Some(ip.to_string()))
                } else if let Some(pos) = f.prop_ref("subnet").and_then(|s| self.subnet_names(&s)) {
                    match self.allocate(pos.0, pos.1, &fwhat) {
                        Some(ip) => (None, Some(ip)),
                        None => {
                            self.report
                                .skip(fwhat, "it has no address and its subnet none free");
                            continue;
                        }
                    }
                } else {
                    self.report.skip(
                        fwhat,
                        "it has neither a public IP nor a private address in a subnet of the input (public IP prefixes are not modelled)",
                    );
                    continue;
                };
                fe_nodes.push(f.clone());
                frontends.push(FrontendDoc {
                    name: fname,
                    public_ip,
                    private_ip_address: private_ip,
                });
            }
            if frontends.is_empty() {
                self.report
                    .skip(what, "none of its frontends could be imported");
                continue;
            }
            let lb_id = r.id.clone();
            let mut pools = Vec::new();
            for p in r.node.prop_items("backendAddressPools") {
                let pname = p.name().unwrap_or_default();
                let pwhat = format!("{what}/backendAddressPools/{pname}");
                let mut members: Vec<BackendMemberDoc> = Vec::new();
                let add =
                    |members: &mut Vec<BackendMemberDoc>, nic: String, cfg: Option<String>| {
                        if !members
                            .iter()
                            .any(|m| m.nic == nic && m.ip_configuration == cfg)
                        {
                            members.push(BackendMemberDoc {
                                nic,
                                ip_configuration: cfg,
                            });
                        }
                    };
                for cfg_id in p.prop_refs("backendIPConfigurations") {
                    match cfg_id.parent().and_then(|n| self.member(&n, cfg_id.name())) {
                        Some((nic, cfg)) => add(&mut members, nic, cfg),
                        None => self.report.skip(
                            format!("{pwhat}: member {}", cfg_id.names.join("/")),
                            "that network interface configuration is not in the input",
                        ),
                    }
                }
                for a in p.prop_items("loadBalancerBackendAddresses") {
                    let Some(ip) = a.prop_str("ipAddress") else {
                        continue;
                    };
                    match self.member_by_ip(ip) {
                        Some((nic, cfg)) => add(&mut members, nic, cfg),
                        None => self.report.skip(
                            format!("{pwhat}: member {ip}"),
                            "no network interface of the input has this address",
                        ),
                    }
                }
                let pool_key = lb_id.child("backendAddressPools", &pname).key();
                let from_nics: Vec<(String, String)> =
                    self.nic_pools.get(&pool_key).cloned().unwrap_or_default();
                for (nic, cfg) in from_nics {
                    let first = self
                        .nic_by_name
                        .get(&nic)
                        .and_then(|i| self.doc.nics.get(*i))
                        .and_then(|n| n.ip_configurations.first())
                        .is_some_and(|c| c.name.eq_ignore_ascii_case(&cfg));
                    add(&mut members, nic, if first { None } else { Some(cfg) });
                }
                pools.push(BackendPoolDoc {
                    name: pname,
                    members,
                });
            }
            let mut probes = Vec::new();
            for p in r.node.prop_items("probes") {
                let pname = p.name().unwrap_or_default();
                let Some(Ok(port)) = p.prop_int("port") else {
                    self.report
                        .skip(format!("{what}/probes/{pname}"), "it has no port");
                    continue;
                };
                probes.push(ProbeDoc {
                    name: pname,
                    protocol: p.prop_str("protocol").unwrap_or("Tcp").to_string(),
                    port,
                });
            }
            let mut rules = Vec::new();
            for lr in r.node.prop_items("loadBalancingRules") {
                let rname = lr.name().unwrap_or_default();
                let rwhat = format!("{what}/loadBalancingRules/{rname}");
                let frontend = lr
                    .prop_ref("frontendIPConfiguration")
                    .map(|f| f.name().to_string())
                    .filter(|f| frontends.iter().any(|x| x.name.eq_ignore_ascii_case(f)));
                let pool = lr
                    .prop_ref("backendAddressPool")
                    .or_else(|| lr.prop_refs("backendAddressPools").into_iter().next())
                    .map(|p| p.name().to_string())
                    .filter(|p| pools.iter().any(|x| x.name.eq_ignore_ascii_case(p)));
                let (Some(frontend), Some(pool)) = (frontend, pool) else {
                    self.report
                        .skip(rwhat, "its frontend or backend pool is not imported");
                    continue;
                };
                let probe = lr
                    .prop_ref("probe")
                    .map(|p| p.name().to_string())
                    .filter(|p| probes.iter().any(|x| x.name.eq_ignore_ascii_case(p)));
                let port = |key: &str| -> Res<i64> {
                    match lr.prop_int(key) {
                        Some(Ok(p)) => Ok(p),
                        Some(Err(path)) => Err(ImportError::new(
                            path,
                            format!("{rwhat}: {key} must be a whole number"),
                        )),
                        None => Ok(0),
                    }
                };
                rules.push(LbRuleDoc {
                    name: rname,
                    frontend,
                    backend_pool: pool,
                    protocol: lr.prop_str("protocol").unwrap_or("Tcp").to_string(),
                    frontend_port: port("frontendPort")?,
                    backend_port: port("backendPort")?,
                    probe,
                });
            }
            let mut nat_nodes: Vec<(String, Node<'_>)> = r
                .node
                .prop_items("inboundNatRules")
                .into_iter()
                .map(|n| (n.name().unwrap_or_default(), n))
                .collect();
            nat_nodes.extend(
                nat_rules
                    .iter()
                    .filter(|nr| nr.id.parent().is_some_and(|p| p.key() == r.id.key()))
                    .map(|nr| (nr.name.clone(), nr.node.clone())),
            );
            let mut nats = self.nat_rules(&r.id, &what, &frontends, &pools, &nat_nodes)?;
            nats.extend(self.nat_pools(
                &r.id,
                &what,
                &frontends,
                &r.node.prop_items("inboundNatPools"),
            )?);
            let outbound = r.node.prop_items("outboundRules").len();
            if outbound > 0 {
                self.report.skip(
                    format!("{what}: {outbound} outboundRules"),
                    "outbound rules are not modelled (a Standard load balancer gives no way out)",
                );
            }
            let name = self.unique("lb", &r.name, &r.id, "load balancer");
            let i = self.doc.load_balancers.len();
            let base = format!("$.loadBalancers[{i}]");
            self.map(base.clone(), r.node.props_path());
            for (k, f) in fe_nodes.iter().enumerate() {
                self.map(format!("{base}.frontends[{k}]"), f.props_path());
            }
            for (k, (_, path)) in nats.iter().enumerate() {
                self.map(format!("{base}.natRules[{k}]"), path.clone());
            }
            let nat_count = if nats.is_empty() {
                String::new()
            } else {
                format!(", {}", count(nats.len(), "NAT rule", "NAT rules"))
            };
            self.report.imported.push(format!(
                "{} ({}, {}{nat_count})",
                label(LB, &name),
                count(frontends.len(), "frontend", "frontends"),
                count(rules.len(), "rule", "rules")
            ));
            self.doc.load_balancers.push(LoadBalancerDoc {
                name,
                sku,
                frontends,
                backend_pools: pools,
                rules,
                nat_rules: nats.into_iter().map(|(n, _)| n).collect(),
                probes,
            });
        }
        Ok(())
    }

    /// A load balancer's inbound NAT pools, as the NAT rules Azure makes of
    /// them: one per scale set instance that uses the pool, named
    /// `POOL.INSTANCE`, on frontend port `frontendPortRangeStart + INSTANCE`
    /// (instances take the range's ports in order: an assumption).
    fn nat_pools(
        &mut self,
        lb_id: &ResId,
        what: &str,
        frontends: &[FrontendDoc],
        items: &[Node<'_>],
    ) -> Res<Vec<(InboundNatRuleDoc, String)>> {
        let mut out = Vec::new();
        for p in items {
            let pname = p.name().unwrap_or_default();
            let pwhat = format!("{what}/inboundNatPools/{pname}");
            let Some(frontend) = p
                .prop_ref("frontendIPConfiguration")
                .map(|f| f.name().to_string())
                .filter(|f| frontends.iter().any(|x| x.name.eq_ignore_ascii_case(f)))
            else {
                self.report.skip(pwhat, "its frontend is not imported");
                continue;
            };
            let int = |key: &str| -> Res<Option<i64>> {
                match p.prop_int(key) {
                    Some(Ok(n)) => Ok(Some(n)),
                    Some(Err(path)) => Err(ImportError::new(
                        path,
                        format!("{pwhat}: {key} must be a whole number"),
                    )),
                    None => Ok(None),
                }
            };
            let (Some(start), Some(end), Some(backend_port)) = (
                int("frontendPortRangeStart")?,
                int("frontendPortRangeEnd")?,
                int("backendPort")?,
            ) else {
                self.report.skip(
                    pwhat,
                    "it lacks frontendPortRangeStart, frontendPortRangeEnd or backendPort",
                );
                continue;
            };
            let key = lb_id.child("inboundNatPools", &pname).key();
            let mut users: Vec<(usize, ResId, String)> = self
                .scale_set_nat
                .iter()
                .filter(|(k, ..)| *k == key)
                .map(|(_, i, nic, cfg)| (*i, nic.clone(), cfg.clone()))
                .collect();
            users.sort_by_key(|(i, ..)| *i);
            if users.is_empty() {
                self.report.skip(pwhat, "no scale set of the input uses it");
                continue;
            }
            for (i, nic_id, cfg) in users {
                let port = start + i as i64;
                if port > end {
                    self.report.skip(
                        format!("{pwhat}: instance {i}"),
                        format!("the pool's ports {start}-{end} are fewer than its instances"),
                    );
                    continue;
                }
                let Some(n) = self.nics.get(&nic_id).and_then(|k| self.doc.nics.get(k)) else {
                    continue;
                };
                let primary = n
                    .ip_configurations
                    .first()
                    .is_some_and(|c| c.name.eq_ignore_ascii_case(&cfg));
                out.push((
                    InboundNatRuleDoc {
                        name: format!("{pname}.{i}"),
                        frontend: frontend.clone(),
                        protocol: p.prop_str("protocol").unwrap_or("Tcp").to_string(),
                        frontend_port: port,
                        frontend_port_end: None,
                        backend_port,
                        nic: Some(n.name.clone()),
                        ip_configuration: (!primary).then_some(cfg),
                        backend_pool: None,
                    },
                    p.props_path(),
                ));
            }
            self.assume(format!(
                "{pwhat}: each scale set instance gets one frontend port of {start}-{end}, in instance order (Azure assigns them at deployment)"
            ));
        }
        Ok(out)
    }

    /// A load balancer's inbound NAT rules (declared inline or as separate
    /// resources), each with the JSON path of its properties. A version 1
    /// rule's target is the NIC IP configuration that lists it in
    /// `loadBalancerInboundNatRules` (a template) or its read-only
    /// `backendIPConfiguration` (a REST export); a version 2 rule's is its
    /// `backendAddressPool`.
    fn nat_rules(
        &mut self,
        lb_id: &ResId,
        what: &str,
        frontends: &[FrontendDoc],
        pools: &[BackendPoolDoc],
        nodes: &[(String, Node<'_>)],
    ) -> Res<Vec<(InboundNatRuleDoc, String)>> {
        let mut out: Vec<(InboundNatRuleDoc, String)> = Vec::new();
        for (name, n) in nodes {
            let rwhat = format!("{what}/inboundNatRules/{name}");
            if name.is_empty() {
                self.report.skip(rwhat, "it has no name");
                continue;
            }
            if out.iter().any(|(d, _)| d.name.eq_ignore_ascii_case(name)) {
                continue;
            }
            let Some(frontend) = n
                .prop_ref("frontendIPConfiguration")
                .map(|f| f.name().to_string())
                .filter(|f| frontends.iter().any(|x| x.name.eq_ignore_ascii_case(f)))
            else {
                self.report.skip(rwhat, "its frontend is not imported");
                continue;
            };
            let int = |key: &str| -> Res<Option<i64>> {
                match n.prop_int(key) {
                    Some(Ok(p)) => Ok(Some(p)),
                    Some(Err(path)) => Err(ImportError::new(
                        path,
                        format!("{rwhat}: {key} must be a whole number"),
                    )),
                    None => Ok(None),
                }
            };
            let pool = n.prop_ref("backendAddressPool");
            let (nic, ip_configuration, backend_pool, frontend_port, frontend_port_end) =
                if let Some(pool) = pool {
                    let Some(p) = pools
                        .iter()
                        .find(|p| p.name.eq_ignore_ascii_case(pool.name()))
                    else {
                        self.report.skip(rwhat, "its backend pool is not imported");
                        continue;
                    };
                    let start = int("frontendPortRangeStart")?;
                    let end = int("frontendPortRangeEnd")?;
                    let Some(start) = start.or(int("frontendPort")?) else {
                        self.report.skip(rwhat, "it has no frontendPortRangeStart");
                        continue;
                    };
                    (None, None, Some(p.name.clone()), start, end)
                } else {
                    let key = lb_id.child("inboundNatRules", name).key();
                    let mut targets: Vec<(String, Option<String>)> = Vec::new();
                    if let Some(cfg) = n.prop_ref("backendIPConfiguration")
                        && let Some(m) = cfg.parent().and_then(|nic| self.member(&nic, cfg.name()))
                    {
                        targets.push(m);
                    }
                    for (nic, cfg) in self.nic_nat_rules.get(&key).cloned().unwrap_or_default() {
                        let primary = self
                            .nic_by_name
                            .get(&nic)
                            .and_then(|i| self.doc.nics.get(*i))
                            .and_then(|x| x.ip_configurations.first())
                            .is_some_and(|c| c.name.eq_ignore_ascii_case(&cfg));
                        let m = (nic, (!primary).then_some(cfg));
                        if !targets.contains(&m) {
                            targets.push(m);
                        }
                    }
                    let Some((nic, cfg)) = targets.first().cloned() else {
                        self.report.skip(
                            rwhat,
                            "no network interface of the input uses it (loadBalancerInboundNatRules), so it forwards to nothing",
                        );
                        continue;
                    };
                    for (other, _) in &targets[1..] {
                        self.report.skip(
                            format!("{rwhat}: network interface {other}"),
                            format!(
                                "a single-VM inbound NAT rule forwards to one IP configuration; it goes to {nic}"
                            ),
                        );
                    }
                    let Some(port) = int("frontendPort")? else {
                        self.report.skip(rwhat, "it has no frontendPort");
                        continue;
                    };
                    (Some(nic), cfg, None, port, None)
                };
            let Some(backend_port) = int("backendPort")? else {
                self.report.skip(rwhat, "it has no backendPort");
                continue;
            };
            out.push((
                InboundNatRuleDoc {
                    name: name.clone(),
                    frontend,
                    protocol: n.prop_str("protocol").unwrap_or("Tcp").to_string(),
                    frontend_port,
                    frontend_port_end,
                    backend_port,
                    nic,
                    ip_configuration,
                    backend_pool,
                },
                n.props_path(),
            ));
        }
        Ok(out)
    }

    /// A NIC configuration by the NIC's id and the configuration's name, as a pool member.
    fn member(&self, nic: &ResId, cfg: &str) -> Option<(String, Option<String>)> {
        let n = self.nics.get(nic).and_then(|i| self.doc.nics.get(i))?;
        let k = n
            .ip_configurations
            .iter()
            .position(|c| c.name.eq_ignore_ascii_case(cfg))?;
        let cfg = n.ip_configurations.get(k).map(|c| c.name.clone());
        Some((n.name.clone(), if k == 0 { None } else { cfg }))
    }

    fn member_by_ip(&self, ip: &str) -> Option<(String, Option<String>)> {
        let (i, k) = *self.nic_by_ip.get(ip)?;
        let n = self.doc.nics.get(i)?;
        let cfg = n.ip_configurations.get(k).map(|c| c.name.clone());
        Some((n.name.clone(), if k == 0 { None } else { cfg }))
    }

    // ---- Firewalls ---------------------------------------------------------

    fn firewalls(
        &mut self,
        fws: &[Found<'_>],
        policies: &[Found<'_>],
        groups: &[Found<'_>],
    ) -> Res<()> {
        let mut policy_reg = Reg::default();
        for (k, p) in policies.iter().enumerate() {
            policy_reg.insert(&p.id, k);
        }
        for r in fws {
            let what = label(FW, &r.name);
            if r.name.is_empty() {
                self.report.skip(what, "it has no name");
                continue;
            }
            let hub = r
                .node
                .child("sku")
                .and_then(|s| s.child_str("name"))
                .is_some_and(|s| s.eq_ignore_ascii_case("AZFW_Hub"))
                || r.node.prop("virtualHub").is_some();
            if hub {
                self.report.skip(
                    what,
                    "firewalls in a secured virtual hub (Virtual WAN) are not modelled",
                );
                continue;
            }
            let cfgs = r.node.prop_items("ipConfigurations");
            let placed = cfgs.iter().find_map(|c| {
                let id = c.prop_ref("subnet")?;
                Some((c.clone(), id))
            });
            let Some((cfg, subnet_id)) = placed else {
                self.report.skip(what, "it names no subnet");
                continue;
            };
            let Some((vi, sj, vnet, subnet)) = self.subnet_names(&subnet_id) else {
                self.report.skip(
                    what,
                    format!(
                        "its subnet {} is not in the input",
                        subnet_id.names.join("/")
                    ),
                );
                continue;
            };
            if !subnet.eq_ignore_ascii_case("AzureFirewallSubnet") {
                self.report.skip(
                    what,
                    format!("its subnet is {subnet}, not AzureFirewallSubnet"),
                );
                continue;
            }
            let private_ip = match cfg.prop_str("privateIPAddress") {
                Some(ip) => ip.to_string(),
                None => match self.allocate(vi, sj, &what) {
                    Some(ip) => ip,
                    None => {
                        self.report.skip(
                            what,
                            "it has no private address and its subnet has none free",
                        );
                        continue;
                    }
                },
            };
            let mut public_ips = Vec::new();
            for c in &cfgs {
                if let Some(p) = self.pip_name(
                    c,
                    "publicIPAddress",
                    &what,
                    "the firewall is imported without it",
                ) {
                    public_ips.push(p);
                }
            }
            let mut threat_intel = r
                .node
                .prop_str("threatIntelMode")
                .is_some_and(|m| !m.eq_ignore_ascii_case("Off"));
            let name = self.unique("fw", &r.name, &r.id, "firewall");
            let i = self.doc.firewalls.len();
            let base = format!("$.firewalls[{i}]");
            let mut rule_collections = Vec::new();
            let mut policy = None;
            if let Some(pid) = r.node.prop_ref("firewallPolicy") {
                match policy_reg.get(&pid).and_then(|k| policies.get(k)) {
                    Some(p) => {
                        self.used_policies.insert(pid.key());
                        threat_intel |= p
                            .node
                            .prop_str("threatIntelMode")
                            .is_some_and(|m| !m.eq_ignore_ascii_case("Off"));
                        policy = Some(self.policy_doc(
                            p,
                            policies,
                            &policy_reg,
                            groups,
                            &format!("{base}.policy"),
                        )?);
                    }
                    None => self.report.skip(
                        format!("{what}: its firewall policy {}", pid.name()),
                        "the policy is not in the input; the firewall is imported without rules, so it denies everything",
                    ),
                }
            }
            let classic = [
                ("natRuleCollections", "Dnat"),
                ("networkRuleCollections", "Network"),
                ("applicationRuleCollections", "Application"),
            ];
            for (key, kind) in classic {
                for c in r.node.prop_items(key) {
                    if policy.is_some() {
                        self.report.skip(
                            format!(
                                "{what}: classic collection {}",
                                c.name().unwrap_or_default()
                            ),
                            "the firewall has a policy, which replaces classic rules",
                        );
                        continue;
                    }
                    let cbase = format!("{base}.ruleCollections[{}]", rule_collections.len());
                    if let Some(doc) = self.classic_collection(&c, kind, &what, &cbase)? {
                        self.map(cbase, c.props_path());
                        rule_collections.push(doc);
                    }
                }
            }
            self.map(base.clone(), r.node.props_path());
            self.map(format!("{base}.vnet"), subnet_id.full.clone());
            if let Some(p) = cfg.prop("privateIPAddress") {
                self.map(format!("{base}.privateIpAddress"), p.path());
            }
            self.report.imported.push(format!(
                "{} ({})",
                label(FW, &name),
                match &policy {
                    Some(p) => format!("policy {}", p.name),
                    None => format!("{} classic rule collections", rule_collections.len()),
                }
            ));
            self.firewalls.insert(&r.id, i);
            self.doc.firewalls.push(FirewallDoc {
                name,
                vnet,
                private_ip_address: private_ip,
                public_ips,
                threat_intel,
                rule_collections,
                policy,
            });
        }
        for p in policies {
            if !self.used_policies.contains(&p.id.key()) {
                self.report.skip(
                    label(POLICY, &p.name),
                    "no firewall of the input uses this policy",
                );
            }
        }
        for g in groups {
            let used =
                g.id.parent()
                    .is_some_and(|p| self.used_policies.contains(&p.key()));
            if !used {
                self.report
                    .skip(id_label(&g.id), "no firewall of the input uses its policy");
            }
        }
        Ok(())
    }

    fn priority(n: &Node<'_>, what: &str) -> Res<i64> {
        match n.prop_int("priority") {
            Some(Ok(p)) => Ok(p),
            Some(Err(path)) => Err(ImportError::new(
                path,
                format!("{what}: the priority must be a whole number"),
            )),
            None => Err(ImportError::new(
                format!("{}.priority", n.props_path()),
                format!("{what} has no priority"),
            )),
        }
    }

    fn classic_collection(
        &mut self,
        c: &Node<'_>,
        kind: &str,
        owner: &str,
        doc_base: &str,
    ) -> Res<Option<RuleCollectionDoc>> {
        let name = c.name().unwrap_or_default();
        let what = format!("{owner}/ruleCollections/{name}");
        let priority = Self::priority(c, &what)?;
        let action = c
            .prop("action")
            .and_then(|a| a.child_str("type"))
            .map(String::from);
        if kind != "Dnat" && action.is_none() {
            self.report.skip(what, "it has no action");
            return Ok(None);
        }
        let rule_kind = match kind {
            "Dnat" => RuleKind::Nat,
            "Network" => RuleKind::Network,
            _ => RuleKind::Application,
        };
        let mut rules = Vec::new();
        for rn in c.prop_items("rules") {
            if let Some(r) = self.firewall_rule(&rn, rule_kind, &what) {
                self.map(
                    format!("{doc_base}.rules[{}]", rules.len()),
                    rn.props_path(),
                );
                rules.push(r);
            }
        }
        Ok(Some(RuleCollectionDoc {
            name,
            priority,
            kind: kind.to_string(),
            action: if kind == "Dnat" { None } else { action },
            rules,
        }))
    }

    /// One firewall rule, classic or policy shape.
    fn firewall_rule(
        &mut self,
        n: &Node<'_>,
        kind: RuleKind,
        owner: &str,
    ) -> Option<FirewallRuleDoc> {
        let name = n.name().unwrap_or_default();
        let what = format!("{owner}/rules/{name}");
        let mut source_addresses = n.prop_strings("sourceAddresses");
        if source_addresses.is_empty() && n.prop_strings("sourceIpGroups").is_empty() {
            // The portal and azurerm require a source; the API takes a rule
            // without one, and Microsoft's own sample templates (the firewall
            // sandbox quickstarts) rely on such a rule matching.
            self.assume(format!(
                "{what} names no source addresses or IP groups; it is taken to match any source (*), as Microsoft's sample templates expect (unconfirmed: the reference does not say)"
            ));
            source_addresses.push(String::from("*"));
        }
        if !n.prop_strings("sourceIpGroups").is_empty() {
            if source_addresses.is_empty() {
                self.report
                    .skip(what, "its sources are IP groups, which are not modelled");
                return None;
            }
            self.report.skip(
                format!("{what}: its source IP groups"),
                "IP groups are not modelled; the rule keeps its source addresses",
            );
        }
        let mut protocols = n.prop_strings("protocols");
        if protocols.is_empty() {
            protocols = n.prop_strings("ipProtocols");
        }
        match kind {
            RuleKind::Nat => {
                if n.prop_str("translatedFqdn").is_some()
                    && n.prop_str("translatedAddress").is_none()
                {
                    self.report
                        .skip(what, "it translates to an FQDN, which is not modelled");
                    return None;
                }
                // A VM's private address read with reference() (NICs are
                // placed by now): the address this import gives it.
                let translated = match n
                    .prop("translatedAddress")
                    .as_ref()
                    .and_then(address_marker)
                {
                    Some((resource, k, expression)) => match self.private_address(&resource, k) {
                        Ok((owner, ip)) => {
                            self.assume(format!(
                                "{what} (translatedAddress): {owner}'s private address ('{}') is assigned by Azure at deployment; {ip}, the address it has in this import, is used",
                                clip_to(expression.trim_start_matches('[').trim_end_matches(']'), 120)
                            ));
                            Some(ip)
                        }
                        Err(why) => {
                            self.report.skip(
                                what,
                                format!("it translates to the private address of {why}"),
                            );
                            return None;
                        }
                    },
                    None => n.prop_str("translatedAddress").map(String::from),
                };
                Some(FirewallRuleDoc {
                    name,
                    protocols,
                    source_addresses,
                    destination_addresses: n.prop_strings("destinationAddresses"),
                    destination_ports: n.prop_strings("destinationPorts"),
                    translated_address: translated,
                    translated_port: n.prop_strings("translatedPort").into_iter().next(),
                    ..FirewallRuleDoc::default()
                })
            }
            RuleKind::Network => {
                let destination_addresses = n.prop_strings("destinationAddresses");
                let destination_fqdns = n.prop_strings("destinationFqdns");
                if !n.prop_strings("destinationIpGroups").is_empty() {
                    if destination_addresses.is_empty() && destination_fqdns.is_empty() {
                        self.report.skip(
                            what,
                            "its destinations are IP groups, which are not modelled",
                        );
                        return None;
                    }
                    self.report.skip(
                        format!("{what}: its destination IP groups"),
                        "IP groups are not modelled; the rule keeps its other destinations",
                    );
                }
                Some(FirewallRuleDoc {
                    name,
                    protocols,
                    source_addresses,
                    destination_addresses,
                    destination_fqdns,
                    destination_ports: n.prop_strings("destinationPorts"),
                    ..FirewallRuleDoc::default()
                })
            }
            RuleKind::Application => {
                let protocols: Vec<String> = n
                    .prop_items("protocols")
                    .iter()
                    .filter_map(|p| {
                        let t = p.prop_str("protocolType")?;
                        Some(match p.prop_int("port") {
                            Some(Ok(port)) => format!("{t}:{port}"),
                            _ => t.to_string(),
                        })
                    })
                    .collect();
                let target_fqdns = n.prop_strings("targetFqdns");
                let extras: Vec<&str> = ["fqdnTags", "webCategories", "targetUrls"]
                    .into_iter()
                    .filter(|k| !n.prop_strings(k).is_empty())
                    .collect();
                if !extras.is_empty() {
                    if target_fqdns.is_empty() {
                        self.report.skip(
                            what,
                            format!(
                                "it matches on {}, which are not modelled",
                                extras.join(", ")
                            ),
                        );
                        return None;
                    }
                    self.report.skip(
                        format!("{what}: its {}", extras.join(", ")),
                        "not modelled; the rule keeps its target FQDNs",
                    );
                }
                Some(FirewallRuleDoc {
                    name,
                    protocols,
                    source_addresses,
                    target_fqdns,
                    ..FirewallRuleDoc::default()
                })
            }
        }
    }

    fn policy_doc(
        &mut self,
        p: &Found<'_>,
        policies: &[Found<'_>],
        policy_reg: &Reg,
        groups: &[Found<'_>],
        doc_base: &str,
    ) -> Res<FirewallPolicyDoc> {
        let mut out = Vec::new();
        if let Some(parent_id) = p.node.prop_ref("basePolicy") {
            match policy_reg.get(&parent_id).and_then(|k| policies.get(k)) {
                Some(parent) => {
                    self.used_policies.insert(parent.id.key());
                    for g in self.group_nodes(parent, groups) {
                        let gbase = format!("{doc_base}.ruleCollectionGroups[{}]", out.len());
                        if let Some(doc) =
                            self.group_doc(&g, true, &label(POLICY, &parent.name), &gbase)?
                        {
                            out.push(doc);
                        }
                    }
                }
                None => self.report.skip(
                    format!(
                        "{}: its parent policy {}",
                        label(POLICY, &p.name),
                        parent_id.name()
                    ),
                    "the parent policy is not in the input; its rules are missing",
                ),
            }
        }
        for g in self.group_nodes(p, groups) {
            let gbase = format!("{doc_base}.ruleCollectionGroups[{}]", out.len());
            if let Some(doc) = self.group_doc(&g, false, &label(POLICY, &p.name), &gbase)? {
                out.push(doc);
            }
        }
        Ok(FirewallPolicyDoc {
            name: p.name.clone(),
            rule_collection_groups: out,
        })
    }

    /// A policy's groups: those given inline with their content, and the
    /// separate group resources whose id names the policy.
    fn group_nodes<'a>(&self, p: &Found<'a>, groups: &[Found<'a>]) -> Vec<Node<'a>> {
        let mut out: Vec<Node<'a>> = p
            .node
            .prop_items("ruleCollectionGroups")
            .into_iter()
            .filter(|g| g.prop("ruleCollections").is_some())
            .collect();
        let key = p.id.key();
        for g in groups {
            if g.id.parent().is_some_and(|x| x.key() == key) {
                let dup = out
                    .iter()
                    .any(|o| o.name().is_some_and(|n| n.eq_ignore_ascii_case(&g.name)));
                if !dup {
                    out.push(g.node.clone());
                }
            }
        }
        out
    }

    fn group_doc(
        &mut self,
        g: &Node<'_>,
        from_parent: bool,
        owner: &str,
        doc_base: &str,
    ) -> Res<Option<RuleCollectionGroupDoc>> {
        let name = g.name().unwrap_or_default();
        let what = format!("{owner}/ruleCollectionGroups/{name}");
        let priority = Self::priority(g, &what)?;
        let mut collections = Vec::new();
        for c in g.prop_items("ruleCollections") {
            let cname = c.name().unwrap_or_default();
            let cwhat = format!("{what}/ruleCollections/{cname}");
            let priority = Self::priority(&c, &cwhat)?;
            let ctype = c.prop_str("ruleCollectionType").unwrap_or("");
            let action = c
                .prop("action")
                .and_then(|a| a.child_str("type"))
                .map(String::from);
            let nat = ctype.to_ascii_lowercase().contains("nat");
            let mut nat_rules = Vec::new();
            let mut network = Vec::new();
            let mut application = Vec::new();
            for rn in c.prop_items("rules") {
                let rule_type = rn.prop_str("ruleType").unwrap_or("").to_ascii_lowercase();
                let kind = if nat || rule_type.contains("nat") {
                    RuleKind::Nat
                } else if rule_type.contains("application") {
                    RuleKind::Application
                } else {
                    RuleKind::Network
                };
                if let Some(r) = self.firewall_rule(&rn, kind, &cwhat) {
                    match kind {
                        RuleKind::Nat => nat_rules.push((r, rn.props_path())),
                        RuleKind::Network => network.push((r, rn.props_path())),
                        RuleKind::Application => application.push((r, rn.props_path())),
                    }
                }
            }
            if !nat && action.is_none() {
                self.report.skip(cwhat, "it has no action");
                continue;
            }
            let mixed = !network.is_empty() && !application.is_empty();
            if mixed {
                self.assume(format!(
                    "{cwhat} mixes network and application rules; it is split into {cname} (network) and {cname}-application, same priority (network rules run first anyway)"
                ));
            }
            let parts: Vec<CollectionPart<'_>> = if nat {
                vec![("Dnat", cname.clone(), None, nat_rules)]
            } else if mixed {
                vec![
                    ("Network", cname.clone(), action.clone(), network),
                    (
                        "Application",
                        format!("{cname}-application"),
                        action.clone(),
                        application,
                    ),
                ]
            } else if !application.is_empty() {
                vec![("Application", cname.clone(), action.clone(), application)]
            } else {
                vec![("Network", cname.clone(), action.clone(), network)]
            };
            for (kind, cname, action, rules) in parts {
                let cbase = format!("{doc_base}.ruleCollections[{}]", collections.len());
                self.map(cbase.clone(), c.props_path());
                let mut docs = Vec::new();
                for (k, (r, path)) in rules.into_iter().enumerate() {
                    self.map(format!("{cbase}.rules[{k}]"), path);
                    docs.push(r);
                }
                collections.push(RuleCollectionDoc {
                    name: cname,
                    priority,
                    kind: kind.to_string(),
                    action,
                    rules: docs,
                });
            }
        }
        self.map(doc_base.to_string(), g.props_path());
        Ok(Some(RuleCollectionGroupDoc {
            name,
            priority,
            from_parent_policy: from_parent,
            rule_collections: collections,
        }))
    }

    // ---- Private endpoints --------------------------------------------------

    fn private_endpoints(&mut self, pes: &[Found<'_>]) {
        for r in pes {
            let what = label(PE, &r.name);
            if r.name.is_empty() {
                self.report.skip(what, "it has no name");
                continue;
            }
            let Some(subnet_id) = r.node.prop_ref("subnet") else {
                self.report.skip(what, "it names no subnet");
                continue;
            };
            let Some((vi, sj, vnet, subnet)) = self.subnet_names(&subnet_id) else {
                self.report.skip(
                    what,
                    format!(
                        "its subnet {} is not in the input",
                        subnet_id.names.join("/")
                    ),
                );
                continue;
            };
            let mut conns = r.node.prop_items("privateLinkServiceConnections");
            conns.extend(r.node.prop_items("manualPrivateLinkServiceConnections"));
            let Some(target) = conns
                .iter()
                .find_map(|c| c.prop_str("privateLinkServiceId").and_then(ResId::parse))
            else {
                self.report.skip(what, "it names no service");
                continue;
            };
            let Some((_, tag)) = PAAS.iter().find(|(t, _)| *t == target.ty) else {
                self.report.skip(
                    what,
                    format!(
                        "it leads to a resource of type {}, which is not modelled as a service",
                        target.ty
                    ),
                );
                continue;
            };
            let service = match self
                .services
                .get(&target)
                .and_then(|i| self.doc.services.get(i))
            {
                Some(s) => s.name.clone(),
                None => {
                    let vnet_location = self.doc.vnets.get(vi).map(|v| v.location.clone());
                    let location = r
                        .node
                        .child_str("location")
                        .map(String::from)
                        .or(vnet_location)
                        .unwrap_or_else(|| String::from(DEFAULT_LOCATION));
                    let Some(ip) = self.placeholder_service_ip(tag) else {
                        self.report.skip(what, "no placeholder address is left");
                        continue;
                    };
                    let name = self.unique("service", target.name(), &target, "service");
                    self.assume(format!(
                        "service {name} ({tag}), which private endpoint {} leads to, is not in the input; it is created in {location} with the placeholder public address {ip}",
                        r.name
                    ));
                    let i = self.doc.services.len();
                    self.doc.services.push(ServiceDoc {
                        name: name.clone(),
                        service_tag: tag.to_string(),
                        location,
                        public_ip_address: ip.to_string(),
                        public_network_access: true,
                        allowed_subnets: Vec::new(),
                        allowed_ip_ranges: Vec::new(),
                    });
                    self.services.insert(&target, i);
                    name
                }
            };
            let ip = r
                .node
                .prop_items("ipConfigurations")
                .iter()
                .find_map(|c| c.prop_str("privateIPAddress").map(String::from))
                .or_else(|| {
                    r.node
                        .prop_items("customDnsConfigs")
                        .iter()
                        .find_map(|c| c.prop_strings("ipAddresses").into_iter().next())
                })
                .or_else(|| self.pe_ip_by_pe.get(&r.id.key()).cloned())
                .or_else(|| {
                    r.node
                        .prop_refs("networkInterfaces")
                        .iter()
                        .find_map(|n| self.pe_ip_by_nic.get(&n.key()).cloned())
                });
            let ip = match ip {
                Some(ip) => ip,
                None => match self.allocate(vi, sj, &what) {
                    Some(ip) => ip,
                    None => {
                        self.report.skip(
                            what,
                            "it has no private address and its subnet has none free",
                        );
                        continue;
                    }
                },
            };
            let name = self.unique("pe", &r.name, &r.id, "private endpoint");
            let i = self.doc.private_endpoints.len();
            self.map(format!("$.privateEndpoints[{i}]"), r.node.props_path());
            self.report
                .imported
                .push(format!("{} (to service {service})", label(PE, &name)));
            self.doc.private_endpoints.push(PrivateEndpointDoc {
                name,
                vnet,
                subnet,
                private_ip_address: ip,
                service,
            });
        }
    }
}

/// A collection to write: kind, name, action and rules with their input paths.
type CollectionPart<'k> = (
    &'k str,
    String,
    Option<String>,
    Vec<(FirewallRuleDoc, String)>,
);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RuleKind {
    Nat,
    Network,
    Application,
}

/// The report line for a resource given no SKU, which is taken as Standard
/// (one text, so that a later, better-founded choice can withdraw it).
fn standard_sku_assumed(what: &str) -> String {
    format!("{what} has no SKU in the input; Standard is assumed")
}
