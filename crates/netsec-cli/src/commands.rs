//! One function per subcommand. Each reads its options, asks the engine, and
//! returns the text to print; none prints or exits by itself.

use netsec_engine::watcher::{self, DiagnosticAddress, DiagnosticProfile, IpFlowQuery};
use netsec_engine::{Direction, Flow, Protocol, RuleProtocol, path};
use netsec_import::Loaded;
use serde_json::json;

use crate::args::{Args, parse_endpoint, parse_port};
use crate::{load, render};

/// What a command produced.
pub struct Outcome {
    /// Text for stdout.
    pub output: String,
    /// Exit code.
    pub code: u8,
}

fn ok(output: String) -> Result<Outcome, String> {
    Ok(Outcome { output, code: 0 })
}

/// Runs one subcommand.
pub fn run(command: &str, words: &[String]) -> Result<Outcome, String> {
    let args = Args::parse(words)?;
    if args.flag("help") {
        return ok(format!(
            "see `netsec --help` for the options of {command}\n"
        ));
    }
    match command {
        "test-ip-flow" => test_ip_flow(&args),
        "show-next-hop" => show_next_hop(&args),
        "list-effective-nsg" => list_effective_nsg(&args),
        "diagnose" => diagnose(&args),
        "trace" => trace(&args),
        "flow-log" => flow_log(&args),
        "check" => check(&args),
        "validate" => validate(&args),
        other => Err(format!("unknown command '{other}' (see netsec --help)")),
    }
}

fn json_line(value: &impl serde::Serialize) -> Result<String, String> {
    serde_json::to_string(value)
        .map(|s| s + "\n")
        .map_err(|e| format!("cannot write JSON: {e}"))
}

fn json_pretty(value: &impl serde::Serialize) -> Result<String, String> {
    serde_json::to_string_pretty(value)
        .map(|s| s + "\n")
        .map_err(|e| format!("cannot write JSON: {e}"))
}

fn parse_direction(text: &str) -> Result<Direction, String> {
    match text.to_ascii_lowercase().as_str() {
        "inbound" | "in" => Ok(Direction::Inbound),
        "outbound" | "out" => Ok(Direction::Outbound),
        _ => Err(format!("--direction '{text}' is not Inbound or Outbound")),
    }
}

fn parse_protocol(text: &str) -> Result<Protocol, String> {
    text.parse::<Protocol>()
        .map_err(|e| format!("--protocol: {e}"))
}

fn test_ip_flow(args: &Args) -> Result<Outcome, String> {
    args.only(&[
        "scenario",
        "vm",
        "nic",
        "direction",
        "protocol",
        "local",
        "remote",
    ])?;
    let loaded = load::scenario(args.require("scenario")?)?;
    let target = load::target(&loaded, args.get("vm")?, args.get("nic")?)?;
    let direction = parse_direction(args.require("direction")?)?;
    let protocol = parse_protocol(args.require("protocol")?)?;
    let (local_ip, local_port) = parse_endpoint(args.require("local")?, "--local")?;
    let (remote_ip, remote_port) = parse_endpoint(args.require("remote")?, "--remote")?;
    if protocol.has_ports() && (local_port.is_none() || remote_port.is_none()) {
        return Err(format!(
            "'*' as a port is only for protocols without ports; {protocol} needs a port number"
        ));
    }
    let q = IpFlowQuery {
        target,
        direction,
        protocol,
        local_ip,
        local_port: local_port.unwrap_or(0),
        remote_ip,
        remote_port: remote_port.unwrap_or(0),
    };
    let result = watcher::ip_flow_verify(&loaded.network, &q).map_err(|e| e.to_string())?;
    ok(json_line(&result)?)
}

fn show_next_hop(args: &Args) -> Result<Outcome, String> {
    args.only(&["scenario", "vm", "nic", "source-ip", "dest-ip"])?;
    let loaded = load::scenario(args.require("scenario")?)?;
    let target = load::target(&loaded, args.get("vm")?, args.get("nic")?)?;
    let source = netsec_engine::address::parse_ip(args.require("source-ip")?)
        .map_err(|e| format!("--source-ip: {e}"))?;
    let dest = netsec_engine::address::parse_ip(args.require("dest-ip")?)
        .map_err(|e| format!("--dest-ip: {e}"))?;
    let result =
        watcher::next_hop(&loaded.network, target, source, dest).map_err(|e| e.to_string())?;
    ok(json_line(&result)?)
}

fn list_effective_nsg(args: &Args) -> Result<Outcome, String> {
    args.only(&["scenario", "vm", "nic"])?;
    let loaded = load::scenario(args.require("scenario")?)?;
    let target = load::target(&loaded, args.get("vm")?, args.get("nic")?)?;
    let nic = load::target_nic(&loaded, target)?;
    let value = watcher::effective_security_rules(&loaded.network, nic);
    ok(json_pretty(&json!({ "value": value }))?)
}

fn diagnose(args: &Args) -> Result<Outcome, String> {
    args.only(&[
        "scenario",
        "vm",
        "nic",
        "direction",
        "protocol",
        "source",
        "destination",
        "destination-port",
    ])?;
    let loaded = load::scenario(args.require("scenario")?)?;
    let target = load::target(&loaded, args.get("vm")?, args.get("nic")?)?;
    let nic = load::target_nic(&loaded, target)?;
    let direction = parse_direction(args.require("direction")?)?;
    let protocol_text = args.get("protocol")?.unwrap_or("*");
    let protocol = protocol_text
        .parse::<RuleProtocol>()
        .map_err(|e| format!("--protocol: {e}"))?;
    let address = |key: &str| -> Result<(DiagnosticAddress, String), String> {
        let text = args.get(key)?.unwrap_or("*");
        DiagnosticAddress::parse(text)
            .map(|a| (a, text.to_string()))
            .ok_or_else(|| {
                format!("--{key} '{text}' is not an IP, a CIDR prefix, a service tag or *")
            })
    };
    let (source, source_text) = address("source")?;
    let (destination, destination_text) = address("destination")?;
    let port_text = args.get("destination-port")?.unwrap_or("*");
    let destination_port = if port_text == "*" {
        None
    } else {
        Some(parse_port(port_text, "--destination-port")?)
    };
    let profile = DiagnosticProfile {
        direction,
        protocol,
        source,
        destination,
        destination_port,
    };
    let result =
        watcher::nsg_diagnostics(&loaded.network, nic, &profile).map_err(|e| e.to_string())?;
    let out = json!({
        "results": [{
            "profile": {
                "direction": direction.to_string(),
                "protocol": protocol.api_name(),
                "source": source_text,
                "destination": destination_text,
                "destinationPort": port_text,
            },
            "networkSecurityGroupResult": result,
        }]
    });
    ok(json_pretty(&out)?)
}

/// The flows a command runs: `--flow NAME` (repeatable) from the file, or one
/// flow from `--from/--to/--protocol/--port`, or all of the file's flows.
fn flows(
    loaded: &Loaded,
    args: &Args,
    default_all: bool,
) -> Result<Vec<(String, Flow, Option<String>)>, String> {
    let names = args.all("flow");
    let doc = &loaded.doc;
    if !names.is_empty() {
        let mut out = Vec::new();
        for name in names {
            let f = doc
                .flows
                .iter()
                .find(|f| f.name.eq_ignore_ascii_case(name))
                .ok_or_else(|| {
                    let known: Vec<&str> = doc.flows.iter().map(|f| f.name.as_str()).collect();
                    format!(
                        "no flow named '{name}' in the scenario (flows: {})",
                        if known.is_empty() {
                            String::from("none")
                        } else {
                            known.join(", ")
                        }
                    )
                })?;
            let (flow, host) = netsec_import::flow_from_doc(doc, &loaded.network, f)
                .map_err(|e| format!("flow '{name}': {e}"))?;
            out.push((f.name.clone(), flow, host));
        }
        return Ok(out);
    }
    if let Some(from) = args.get("from")? {
        let to = args.require("to")?;
        let protocol = parse_protocol(args.get("protocol")?.unwrap_or("Tcp"))?;
        let src = netsec_import::resolve_endpoint(doc, &loaded.network, from)
            .map_err(|e| format!("--from: {e}"))?;
        let dst = netsec_import::resolve_endpoint(doc, &loaded.network, to)
            .map_err(|e| format!("--to: {e}"))?;
        let port = match args.get("port")? {
            Some(p) => parse_port(p, "--port")?,
            None if protocol.has_ports() => {
                return Err(format!("--port is required for {protocol}"));
            }
            None => 0,
        };
        let sport = match args.get("source-port")? {
            Some(p) => parse_port(p, "--source-port")?,
            None => 50000,
        };
        let host = args.get("host")?.map(String::from);
        return Ok(vec![(
            format!("{from} -> {to}"),
            Flow::new(protocol, src, sport, dst, port),
            host,
        )]);
    }
    if default_all {
        return doc
            .flows
            .iter()
            .map(|f| {
                netsec_import::flow_from_doc(doc, &loaded.network, f)
                    .map(|(flow, host)| (f.name.clone(), flow, host))
                    .map_err(|e| format!("flow '{}': {e}", f.name))
            })
            .collect();
    }
    Err(String::from(
        "give --flow NAME, or --from ENDPOINT --to ENDPOINT --protocol P --port N",
    ))
}

fn trace(args: &Args) -> Result<Outcome, String> {
    args.only(&[
        "scenario",
        "flow",
        "from",
        "to",
        "protocol",
        "port",
        "source-port",
        "host",
        "json",
    ])?;
    let loaded = load::scenario(args.require("scenario")?)?;
    let flows = flows(&loaded, args, false)?;
    let traces: Vec<_> = flows
        .iter()
        .map(|(name, flow, host)| {
            (
                name.clone(),
                path::trace_with_host(&loaded.network, flow, host.as_deref()),
            )
        })
        .collect();
    if args.flag("json") {
        let list: Vec<_> = traces
            .iter()
            .map(|(name, t)| json!({ "name": name, "trace": t }))
            .collect();
        let out = if list.len() == 1 {
            list.into_iter().next().unwrap_or_default()
        } else {
            json!(list)
        };
        return ok(json_pretty(&out)?);
    }
    let mut text = String::new();
    for (name, t) in &traces {
        text.push_str(&render::trace_table(name, t));
    }
    ok(text)
}

fn flow_log(args: &Args) -> Result<Outcome, String> {
    args.only(&[
        "scenario",
        "flow",
        "from",
        "to",
        "protocol",
        "port",
        "source-port",
        "host",
        "time",
    ])?;
    let loaded = load::scenario(args.require("scenario")?)?;
    let flows = flows(&loaded, args, true)?;
    let time = match args.get("time")? {
        Some(t) => t
            .parse::<u64>()
            .map_err(|_| format!("--time '{t}' is not a number of seconds since 1970"))?,
        None => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0),
    };
    let traces: Vec<_> = flows
        .iter()
        .map(|(_, flow, host)| path::trace_with_host(&loaded.network, flow, host.as_deref()))
        .collect();
    let records = watcher::flow_log_records(&loaded.network, &traces, time);
    ok(json_pretty(&json!({ "records": records }))?)
}

fn check(args: &Args) -> Result<Outcome, String> {
    args.only(&["scenario"])?;
    let loaded = load::scenario(args.require("scenario")?)?;
    let mut text = String::new();
    let (mut passed, mut failed) = (0, 0);
    for f in &loaded.doc.flows {
        let Some(expect) = &f.expect else { continue };
        let (flow, host) = netsec_import::flow_from_doc(&loaded.doc, &loaded.network, f)
            .map_err(|e| format!("flow '{}': {e}", f.name))?;
        let t = path::trace_with_host(&loaded.network, &flow, host.as_deref());
        let problems = render::expectation_problems(expect, &t);
        if problems.is_empty() {
            passed += 1;
            text.push_str(&format!("PASS  {}\n", f.name));
        } else {
            failed += 1;
            text.push_str(&format!("FAIL  {}: {}\n", f.name, problems.join("; ")));
        }
    }
    text.push_str(&format!("{passed} passed, {failed} failed\n"));
    Ok(Outcome {
        output: text,
        code: u8::from(failed > 0),
    })
}

fn validate(args: &Args) -> Result<Outcome, String> {
    args.only(&["scenario"])?;
    let loaded = load::scenario(args.require("scenario")?)?;
    let net = &loaded.network;
    let mut text = format!(
        "OK: {} VNets, {} subnets, {} NSGs, {} ASGs, {} NICs, {} VMs, {} route tables, {} public IPs, {} load balancers, {} firewalls, {} flows\n",
        net.vnets().len(),
        net.subnets().len(),
        net.nsgs().len(),
        net.asgs().len(),
        net.nics().len(),
        net.vms().len(),
        net.route_tables().len(),
        net.public_ips().len(),
        net.load_balancers().len(),
        net.firewalls().len(),
        loaded.doc.flows.len()
    );
    for (what, why) in &loaded.report.skipped {
        text.push_str(&format!("skipped: {what}: {why}\n"));
    }
    for a in &loaded.report.assumptions {
        text.push_str(&format!("assumed: {a}\n"));
    }
    ok(text)
}
