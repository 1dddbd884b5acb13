//! # netsec-engine: Azure network security semantics, offline
//!
//! Given an Azure network and a flow, this crate answers the question Azure
//! would answer (does the packet get through, and if not, where and why) and
//! returns the answer as a [`Trace`]: one [`Step`] per layer, each naming the
//! resource, the verdict, the deciding rule in Azure's naming, the fields that
//! matched, any address translation and route, and the assumptions it rests on.
//!
//! ## The layers a packet crosses
//!
//! North/south, from the Internet to a VM (the playground's layer model):
//!
//! 1. **Azure edge**: Microsoft's backbone, edge ACLs and DDoS protection
//!    (passes ordinary traffic; noted, not modelled as a filter).
//! 2. **Regional gateway**: into the region (its pair and zones are named).
//! 3. **Datacenter**: public IPs and load balancers translate to private
//!    addresses (NSGs then see private addresses); Azure Firewall's DNAT.
//! 4. **VNet**: Azure Firewall or an appliance, reached by user-defined routes.
//! 5. **Subnet NSG**, after any Azure Virtual Network Manager admin rules.
//! 6. **NIC NSG**, whose rules can name application security groups.
//!
//! Outbound and east/west flows go NIC NSG → subnet NSG → route lookup →
//! (appliance) → destination subnet NSG → destination NIC NSG. Replies of
//! allowed flows return statefully.
//!
//! ## Code map
//!
//! - Values in Azure's syntax: [`address`] (prefixes, address sets), [`port`],
//!   [`protocol`], [`servicetag`], [`rangeset`] (the interval sets under them).
//! - The model: [`resources`] (plain resource data), [`network`] ([`Network`],
//!   validated by [`NetworkBuilder`]), [`ids`] (typed ids), [`region`]
//!   (pairs and zones), [`error`] ([`ModelError`], Azure's error codes).
//! - Semantics, one job each: [`tags`] (what `VirtualNetwork` and `Internet`
//!   mean at a NIC), [`nsg_eval`] (one NSG, first match wins), [`admin`]
//!   (AVNM admin rules), [`routing`] (system and user routes, longest prefix),
//!   [`firewall`] (DNAT → network → application), [`path`] (the walk through
//!   the layers, which writes the [`trace`]).
//! - Network Watcher's tools: [`watcher`] (IP flow verify, NSG diagnostics,
//!   effective rules, next hop, flow logs), built on [`effective`] (rules with
//!   tags and ASGs expanded).
//! - Bulk evaluation: [`classifier`], a compiled form of the effective rules
//!   that decides many flows fast (benchmarks, all-pairs checks).
//!
//! ## Invariants
//!
//! - The engine does no I/O and knows nothing of files, JSON or the browser.
//! - A resource inside a [`Network`] is valid; code past the builder does not
//!   re-check. Nothing panics on any input that the builder accepted.
//! - The trace is written by the code that decides; there is no second pass.
//! - Where Azure's documentation is silent, the behaviour is chosen, written
//!   down at the code that implements it, and flagged with a
//!   [`NoteKind::Assumption`] note on every step that relies on it.
//!
//! ## Example
//!
//! ```
//! use netsec_engine::*;
//! use core::net::IpAddr;
//!
//! let mut b = Network::builder();
//! let region = b.region("westeurope").unwrap();
//! let vnet = b.add_vnet(VirtualNetwork {
//!     name: "vnet".into(), region,
//!     address_space: vec![address::parse_prefix("10.0.0.0/16").unwrap()],
//!     gateway_routes: vec![],
//! }).unwrap();
//! let nsg = b.add_nsg(NetworkSecurityGroup { name: "web-nsg".into(), rules: vec![] }).unwrap();
//! let subnet = b.add_subnet(Subnet {
//!     name: "web".into(), vnet, prefixes: vec![address::parse_prefix("10.0.1.0/24").unwrap()],
//!     nsg: None, route_table: None, service_endpoints: vec![],
//!     private_endpoint_policies: PrivateEndpointPolicies::Disabled, default_outbound_access: true,
//! }).unwrap();
//! let pip = b.add_public_ip(PublicIp { name: "web-ip".into(), sku: Sku::Standard, address: "20.1.2.3".parse().unwrap() }).unwrap();
//! let nic = b.add_nic(NetworkInterface {
//!     name: "web-nic".into(), nsg: Some(nsg), ip_forwarding: false, vm: None,
//!     ip_configs: vec![IpConfiguration { name: "ipconfig1".into(), subnet, private_ip: "10.0.1.4".parse().unwrap(), public_ip: Some(pip), asgs: vec![] }],
//! }).unwrap();
//! let net = b.build().unwrap();
//!
//! // A new VM is locked down: HTTPS from the Internet stops at the NIC's NSG.
//! let flow = Flow::tcp("203.0.113.9".parse().unwrap(), 50000, "20.1.2.3".parse().unwrap(), 443);
//! let trace = path::trace(&net, &flow);
//! assert_eq!(trace.verdict, Verdict::Denied);
//! let stop = trace.denied_at().unwrap();
//! assert_eq!(stop.layer, Layer::NicNsg);
//! assert_eq!(stop.rule.as_ref().unwrap().name, "defaultSecurityRules/DenyAllInBound");
//! # let _ = (nic, IpAddr::from([0u8; 4]));
//! ```

// Always no_std: the engine runs in the browser (wasm32) and natively alike.
#![no_std]
// Every public item explains itself; the crate docs are the architecture.
#![deny(missing_docs)]
// Tests may unwrap: a panic there is a failed test, not a crash on user input.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::panic))]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

pub mod address;
pub mod admin;
#[cfg(feature = "bench-gen")]
pub mod benchgen;
pub mod classifier;
pub mod effective;
pub mod error;
pub mod firewall;
pub mod flow;
pub mod ids;
pub mod ids_path;
pub mod network;
pub mod nsg_eval;
pub mod path;
pub mod port;
pub mod protocol;
pub mod rangeset;
pub mod region;
pub mod resources;
pub mod routing;
mod rule_check;
pub mod servicetag;
pub mod tags;
pub mod trace;
pub mod watcher;

pub use error::{AddressProblem, ErrorKind, ModelError};
pub use flow::Flow;
pub use ids::*;
pub use network::{AddressOwner, Network, NetworkBuilder};
pub use protocol::{Protocol, RuleProtocol};
pub use resources::*;
pub use rule_check::{Side, address_from_fields, ports_from_fields};
pub use trace::{Layer, Note, NoteKind, Outcome, Step, Trace, TrafficKind, Verdict};
