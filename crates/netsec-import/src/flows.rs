//! Flow endpoints and flows of a scenario, resolved against its network.

use std::net::IpAddr;
use std::str::FromStr;

use netsec_engine::{Flow, Network, NicId, Protocol};

use crate::scenario::build::clip;
use crate::scenario::doc::{FlowDoc, ScenarioDoc};

/// The source port a flow gets when its document does not give one.
pub const DEFAULT_SOURCE_PORT: u16 = 50000;

/// Resolves a flow endpoint to an address.
///
/// `text` is an IP address, or `<kind>/<name>` with kind one of: `vm` (the
/// primary IP of its primary NIC), `nic` (its primary IP), `client`,
/// `service` (its public endpoint), `pe` (a private endpoint), `pip` (a public
/// IP), `lb` (the first frontend's public or private address) and `firewall`
/// (its first public IP, or its private address when it has none). Names
/// ignore case, as Azure's do.
pub fn resolve_endpoint(doc: &ScenarioDoc, net: &Network, text: &str) -> Result<IpAddr, String> {
    let t = text.trim();
    if let Ok(ip) = IpAddr::from_str(t) {
        return Ok(ip);
    }
    let Some((kind, name)) = t.split_once('/') else {
        return Err(format!(
            "'{}' is not an IP address or an endpoint like vm/<name>, client/<name>, service/<name>",
            clip(t)
        ));
    };
    if IpAddr::from_str(kind.trim()).is_ok() {
        return Err(format!(
            "'{}' is an address prefix; a flow runs between single addresses (e.g. {})",
            clip(t),
            clip(kind.trim())
        ));
    }
    let not_found = |what: &str, names: Vec<&String>| {
        let known = if names.is_empty() {
            format!("the scenario has no {what}s")
        } else {
            let list: Vec<&str> = names.iter().take(8).map(|n| n.as_str()).collect();
            format!("known: {}", list.join(", "))
        };
        format!("there is no {what} named '{}' ({known})", clip(name))
    };
    match kind.to_ascii_lowercase().as_str() {
        "vm" => {
            let id = net
                .find_vm(name)
                .ok_or_else(|| not_found("vm", doc.vms.iter().map(|v| &v.name).collect()))?;
            net.vm(id)
                .and_then(|vm| vm.nics.first())
                .and_then(|nic| net.nic(*nic))
                .and_then(|nic| nic.ip_configs.first())
                .map(|c| c.private_ip)
                .ok_or_else(|| format!("vm '{}' has no IP address", clip(name)))
        }
        "nic" => {
            let id = net
                .find_nic(name)
                .ok_or_else(|| not_found("nic", doc.nics.iter().map(|n| &n.name).collect()))?;
            net.nic(id)
                .and_then(|n| n.ip_configs.first())
                .map(|c| c.private_ip)
                .ok_or_else(|| format!("nic '{}' has no IP address", clip(name)))
        }
        "client" => net
            .find_client(name)
            .and_then(|id| net.client(id))
            .map(|c| c.address)
            .ok_or_else(|| {
                not_found(
                    "client",
                    doc.internet_clients.iter().map(|c| &c.name).collect(),
                )
            }),
        "service" => net
            .find_paas(name)
            .and_then(|id| net.paas_service(id))
            .map(|s| s.public_ip)
            .ok_or_else(|| not_found("service", doc.services.iter().map(|s| &s.name).collect())),
        "pe" => net
            .find_private_endpoint(name)
            .and_then(|id| net.private_endpoint(id))
            .map(|p| p.private_ip)
            .ok_or_else(|| {
                not_found(
                    "pe",
                    doc.private_endpoints.iter().map(|p| &p.name).collect(),
                )
            }),
        "pip" => net
            .find_public_ip(name)
            .and_then(|id| net.public_ip(id))
            .map(|p| p.address)
            .ok_or_else(|| not_found("pip", doc.public_ips.iter().map(|p| &p.name).collect())),
        "lb" => {
            let id = net.find_load_balancer(name).ok_or_else(|| {
                not_found("lb", doc.load_balancers.iter().map(|l| &l.name).collect())
            })?;
            let fe = net
                .load_balancer(id)
                .and_then(|l| l.frontends.first())
                .ok_or_else(|| format!("lb '{}' has no frontend", clip(name)))?;
            fe.public_ip
                .and_then(|p| net.public_ip(p))
                .map(|p| p.address)
                .or(fe.private_ip)
                .ok_or_else(|| format!("lb '{}' has no frontend address", clip(name)))
        }
        "firewall" => {
            let id = net.find_firewall(name).ok_or_else(|| {
                not_found("firewall", doc.firewalls.iter().map(|f| &f.name).collect())
            })?;
            let fw = net
                .firewall(id)
                .ok_or_else(|| format!("firewall '{}' is missing", clip(name)))?;
            Ok(fw
                .public_ips
                .first()
                .and_then(|p| net.public_ip(*p))
                .map_or(fw.private_ip, |p| p.address))
        }
        other => Err(format!(
            "'{}' is not an endpoint kind; use vm/, nic/, client/, service/, pe/, pip/, lb/ or firewall/",
            clip(other)
        )),
    }
}

/// The NIC IP configuration an endpoint names (`vm/NAME`: its primary NIC's
/// primary configuration; `nic/NAME`: the NIC's primary), for
/// [`netsec_engine::path::trace_from`]: VNets that are not peered may reuse
/// an address, and the named VM says which holder a flow starts at.
pub fn endpoint_nic(net: &Network, text: &str) -> Option<(NicId, usize)> {
    let (kind, name) = text.trim().split_once('/')?;
    let nic = match kind.to_ascii_lowercase().as_str() {
        "vm" => *net.vm(net.find_vm(name)?)?.nics.first()?,
        "nic" => net.find_nic(name)?,
        _ => return None,
    };
    Some((nic, 0))
}

/// Turns a flow of the document into an engine flow and its host name.
///
/// The source port defaults to 50000; TCP and UDP flows need a destination
/// port. Ports are checked to lie in 0..=65535. Errors are plain sentences
/// naming the flow.
pub fn flow_from_doc(
    doc: &ScenarioDoc,
    net: &Network,
    f: &FlowDoc,
) -> Result<(Flow, Option<String>), String> {
    let name = clip(&f.name);
    let protocol = Protocol::from_str(&f.protocol)
        .map_err(|e| format!("flow '{name}': {e}; a flow has one protocol"))?;
    let source =
        resolve_endpoint(doc, net, &f.source).map_err(|e| format!("flow '{name}', source: {e}"))?;
    let destination = resolve_endpoint(doc, net, &f.destination)
        .map_err(|e| format!("flow '{name}', destination: {e}"))?;
    if source.is_ipv4() != destination.is_ipv4() {
        return Err(format!(
            "flow '{name}': {source} and {destination} are of different IP versions; a packet stays in one"
        ));
    }
    let port = |what: &str, value: i64| {
        u16::try_from(value)
            .map_err(|_| format!("flow '{name}': {what} {value} is outside 0-65535"))
    };
    let source_port = match f.source_port {
        Some(p) => port("source port", p)?,
        None => DEFAULT_SOURCE_PORT,
    };
    let destination_port = match f.destination_port {
        Some(p) => port("destination port", p)?,
        None if protocol.has_ports() => {
            return Err(format!(
                "flow '{name}': a {} flow needs a destination port",
                protocol.api_name()
            ));
        }
        None => 0,
    };
    let host = f
        .host
        .as_deref()
        .map(str::trim)
        .filter(|h| !h.is_empty())
        .map(String::from);
    Ok((
        Flow::new(protocol, source, source_port, destination, destination_port),
        host,
    ))
}
