//! The result of evaluating a flow: a [`Trace`], one [`Step`] per layer.
//!
//! Steps are written by the code that decides (see [`crate::path`]); nothing
//! here computes a verdict. A step says which layer, which resource, what it
//! did, why (the deciding rule and the fields that matched), what it changed
//! (address translation, the chosen route), and what the verdict rests on
//! ([`Note`]s: assumptions and things the engine does not model).

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
use core::net::IpAddr;

use crate::flow::Flow;
use crate::resources::{Direction, NextHopType};

/// Per-field match flags, as NSG diagnostics' `rulesEvaluationResult` has them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct FieldMatch {
    /// `protocolMatched`.
    pub protocol_matched: bool,
    /// `sourceMatched`.
    pub source_matched: bool,
    /// `sourcePortMatched`.
    pub source_port_matched: bool,
    /// `destinationMatched`.
    pub destination_matched: bool,
    /// `destinationPortMatched`.
    pub destination_port_matched: bool,
}

impl FieldMatch {
    /// Whether every field matched.
    pub fn all(&self) -> bool {
        self.protocol_matched
            && self.source_matched
            && self.source_port_matched
            && self.destination_matched
            && self.destination_port_matched
    }
}

/// A layer of the path, in the playground's layer model.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Layer {
    /// A client on the Internet (where north/south flows start or end).
    Internet,
    /// Layer 1: Microsoft's backbone and edge (points of presence, edge ACLs, DDoS).
    AzureEdge,
    /// Layer 2: the regional gateway leading to the region's zones.
    RegionalGateway,
    /// Layer 3: the datacenter, where public IPs and load balancers translate to private addresses.
    Datacenter,
    /// Layer 4: the VNet's firewall or appliance, reached by a route.
    VnetFirewall,
    /// Azure Virtual Network Manager security admin rules.
    AdminRules,
    /// Layer 5: the subnet's NSG.
    SubnetNsg,
    /// Layer 6: the NIC's NSG.
    NicNsg,
    /// The route lookup in a subnet (UDRs, peerings, endpoints).
    Routing,
    /// Platform egress policy (outbound SMTP).
    PlatformPolicy,
    /// A PaaS service's endpoint and its own network rules.
    Service,
    /// The virtual machine (or endpoint) that receives the flow.
    Vm,
}

impl Layer {
    /// A short human name.
    pub fn label(self) -> &'static str {
        match self {
            Layer::Internet => "Internet",
            Layer::AzureEdge => "Azure edge",
            Layer::RegionalGateway => "Regional gateway",
            Layer::Datacenter => "Datacenter",
            Layer::VnetFirewall => "VNet firewall",
            Layer::AdminRules => "Admin rules",
            Layer::SubnetNsg => "Subnet NSG",
            Layer::NicNsg => "NIC NSG",
            Layer::Routing => "Routing",
            Layer::PlatformPolicy => "Platform policy",
            Layer::Service => "Service",
            Layer::Vm => "VM",
        }
    }
}

/// What a layer did with the flow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Outcome {
    /// A rule allowed it.
    Allowed,
    /// The layer dropped it. The trace stops here.
    Denied,
    /// Nothing is configured at this layer, so it passes.
    NotConfigured,
    /// The layer passes traffic on without filtering (edge, gateway, routing).
    Forwarded,
    /// The layer translated addresses (NAT) and passed it on.
    Translated,
    /// The flow reached its destination.
    Arrived,
    /// A reply allowed because the connection was allowed (stateful).
    AllowedStateful,
}

impl Outcome {
    /// Whether the flow goes on after this step.
    pub fn passes(self) -> bool {
        self != Outcome::Denied
    }
}

/// How much a statement can be trusted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum NoteKind {
    /// Documented Azure behaviour, worth telling.
    Info,
    /// The engine chose a behaviour Azure does not document.
    Assumption,
    /// Something that can affect the real outcome but the engine does not model.
    NotModelled,
}

/// A remark attached to a step.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Note {
    /// What kind of statement.
    pub kind: NoteKind,
    /// The statement.
    pub text: String,
}

impl Note {
    /// Documented behaviour.
    pub fn documented(text: &str) -> Self {
        Self {
            kind: NoteKind::Info,
            text: String::from(text),
        }
    }
    /// A choice the engine made where Azure is silent.
    pub fn assumption(text: &str) -> Self {
        Self {
            kind: NoteKind::Assumption,
            text: String::from(text),
        }
    }
    /// Something not modelled.
    pub fn not_modelled(text: &str) -> Self {
        Self {
            kind: NoteKind::NotModelled,
            text: String::from(text),
        }
    }
}

/// The resource a step is about.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ResourceRef {
    /// Azure resource type, short (`networkSecurityGroups`, `azureFirewalls`).
    pub kind: String,
    /// Azure-style path (`networkSecurityGroups/web-nsg`).
    pub path: String,
    /// Display name.
    pub name: String,
}

/// The rule that decided a step.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct RuleHit {
    /// Name in Azure's naming (`securityRules/allow-ssh`,
    /// `defaultSecurityRules/DenyAllInBound`, `networkRuleCollections/c/rules/r`).
    pub name: String,
    /// Priority (NSG and admin rules; collection priority for firewalls).
    pub priority: Option<u32>,
    /// `Allow`, `Deny`, `AlwaysAllow`, `Dnat`.
    pub action: String,
}

/// An address translation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Translation {
    /// Before.
    pub from: (IpAddr, u16),
    /// After.
    pub to: (IpAddr, u16),
    /// Which side of the flow changed.
    pub side: TranslatedSide,
}

/// Which side of a flow a translation changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum TranslatedSide {
    /// Destination NAT (public IP, load balancer, DNAT).
    Destination,
    /// Source NAT (outbound).
    Source,
}

/// The route a lookup chose.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct RouteHit {
    /// The prefix that matched (`10.1.0.0/16`, or a tag for tag routes).
    pub prefix: String,
    /// Next-hop type.
    pub next_hop_type: NextHopType,
    /// Next-hop address (appliances).
    pub next_hop_ip: Option<IpAddr>,
    /// `Default`, `User` or `VirtualNetworkGateway`.
    pub source: String,
    /// Route table path for user routes; `System Route` otherwise.
    pub route_table: String,
    /// The user route's name, if any.
    pub route_name: Option<String>,
}

/// One layer's handling of the flow.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Step {
    /// Layer.
    pub layer: Layer,
    /// Direction of the check, for NSG and admin layers.
    pub direction: Option<Direction>,
    /// The resource, if one is involved.
    pub resource: Option<ResourceRef>,
    /// What happened.
    pub outcome: Outcome,
    /// The deciding rule.
    pub rule: Option<RuleHit>,
    /// Field flags of the deciding rule (NSG layers).
    pub fields: Option<FieldMatch>,
    /// Address translation done here.
    pub translation: Option<Translation>,
    /// Route chosen here.
    pub route: Option<RouteHit>,
    /// The packet as this layer saw it.
    pub packet: Flow,
    /// One sentence saying why.
    pub reason: String,
    /// Assumptions and remarks.
    pub notes: Vec<Note>,
}

impl Step {
    pub(crate) fn new(layer: Layer, outcome: Outcome, packet: Flow, reason: String) -> Self {
        Self {
            layer,
            direction: None,
            resource: None,
            outcome,
            rule: None,
            fields: None,
            translation: None,
            route: None,
            packet,
            reason,
            notes: Vec::new(),
        }
    }

    /// Whether a verdict at this step rests on an assumption.
    pub fn has_assumption(&self) -> bool {
        self.notes.iter().any(|n| n.kind == NoteKind::Assumption)
    }
}

/// North/south (crosses the Internet edge) or east/west (inside Azure).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum TrafficKind {
    /// From or to the Internet.
    NorthSouth,
    /// Between workloads (including PaaS over the backbone).
    EastWest,
}

impl fmt::Display for TrafficKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TrafficKind::NorthSouth => "north/south",
            TrafficKind::EastWest => "east/west",
        })
    }
}

/// The final verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Verdict {
    /// The flow reached its destination.
    Allowed,
    /// A layer dropped it.
    Denied,
}

/// A flow's whole journey.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct Trace {
    /// The flow as asked.
    pub flow: Flow,
    /// North/south or east/west.
    pub kind: TrafficKind,
    /// The forward path, one step per layer, ending at the destination or at the denying layer.
    pub steps: Vec<Step>,
    /// Allowed or denied.
    pub verdict: Verdict,
    /// The return path of an allowed flow (stateful), empty when denied.
    pub reply: Vec<Step>,
    /// Whether the reply got back.
    pub reply_verdict: Option<Verdict>,
}

impl Trace {
    /// The step that denied the flow, if any.
    pub fn denied_at(&self) -> Option<&Step> {
        self.steps.iter().find(|s| s.outcome == Outcome::Denied)
    }

    /// The deciding step: the denial, or the last allowing rule on the way.
    pub fn deciding_step(&self) -> Option<&Step> {
        self.denied_at()
            .or_else(|| self.steps.iter().rev().find(|s| s.rule.is_some()))
    }

    /// Whether any step's verdict rests on an assumption.
    pub fn has_assumptions(&self) -> bool {
        self.steps
            .iter()
            .chain(self.reply.iter())
            .any(Step::has_assumption)
    }
}
