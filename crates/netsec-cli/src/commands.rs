//! One function per subcommand. Each reads its options, asks the engine, and
//! returns the text to print; none prints or exits by itself.

use std::mem::ManuallyDrop;

use netsec_engine::watcher::{self, DiagnosticAddress, DiagnosticProfile, IpFlowQuery};
use netsec_engine::{Direction, Flow, NicId, Protocol, RuleProtocol, path};
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
    if !matches!(command, "import" | "convert") {
        args.no_positional()?;
    }
    match command {
        "import" => import(&args),
        "convert" => convert(&args),
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

/// `--scenario FILE` in any format, with `--parameters FILE` if given.
fn scenario(args: &Args) -> Result<ManuallyDrop<Loaded>, String> {
    load::scenario(args.require("scenario")?, args.get("parameters")?)
}

/// The input file of `import` and `convert`: `FILE` or `--scenario FILE`.
fn input_file(args: &Args) -> Result<String, String> {
    match (args.positional(), args.get("scenario")?) {
        ([one], None) => Ok(one.clone()),
        ([], Some(f)) => Ok(f.to_string()),
        ([], None) => Err(String::from("give the file to read: netsec import FILE")),
        _ => Err(String::from("give exactly one file to read")),
    }
}

fn import(args: &Args) -> Result<Outcome, String> {
    args.only(&["scenario", "parameters"])?;
    let path = input_file(args)?;
    let loaded = load::scenario(&path, args.get("parameters")?)?;
    // A scenario's flows are part of what it says: checked as `validate` does.
    checked_flows(&path, &loaded)?;
    let net = &loaded.network;
    let report = &loaded.report;
    let mut text = format!("Read {path} as {}.\n", article(loaded.format.label()));
    text.push_str(&format!("\nImported ({}):\n", report.imported.len()));
    for line in &report.imported {
        text.push_str(&format!("  {line}\n"));
    }
    if report.imported.is_empty() {
        text.push_str("  nothing\n");
    }
    text.push_str(&format!("\nSkipped ({}):\n", report.skipped.len()));
    for (what, why) in &report.skipped {
        text.push_str(&format!("  {what}: {why}\n"));
    }
    if report.skipped.is_empty() {
        text.push_str("  nothing\n");
    }
    text.push_str(&format!("\nAssumptions ({}):\n", report.assumptions.len()));
    for a in &report.assumptions {
        text.push_str(&format!("  {a}\n"));
    }
    if report.assumptions.is_empty() {
        text.push_str("  none\n");
    }
    text.push_str(&format!(
        "\nNetwork: {} VNets, {} subnets, {} NSGs, {} ASGs, {} NICs, {} VMs, {} route tables, {} public IPs, {} peerings, {} load balancers, {} firewalls\n",
        net.vnets().len(),
        net.subnets().len(),
        net.nsgs().len(),
        net.asgs().len(),
        net.nics().len(),
        net.vms().len(),
        net.route_tables().len(),
        net.public_ips().len(),
        net.peerings().len(),
        net.load_balancers().len(),
        net.firewalls().len(),
    ));
    ok(text)
}

fn article(label: &str) -> String {
    let vowel = label.starts_with(['A', 'E', 'I', 'O', 'U', 'a', 'e', 'i', 'o', 'u']);
    format!("{} {label}", if vowel { "an" } else { "a" })
}

fn convert(args: &Args) -> Result<Outcome, String> {
    args.only(&["scenario", "parameters", "to"])?;
    let path = input_file(args)?;
    // `get` says when --to is given twice; only its absence gets the hint.
    let to = args
        .get("to")?
        .ok_or_else(|| String::from("--to is required: scenario, arm or terraform"))?;
    let loaded = load::scenario(&path, args.get("parameters")?)?;
    checked_flows(&path, &loaded)?;
    let mut notes = String::new();
    let text = match to.to_ascii_lowercase().as_str() {
        "scenario" | "json" => netsec_import::to_scenario_json(&loaded.doc),
        "arm" | "template" | "arm-template" => {
            let e = netsec_import::export_arm::export_arm(&loaded.doc)
                .map_err(|e| format!("{path}: {e}"))?;
            for (what, why) in &e.report.skipped {
                notes.push_str(&format!("netsec: not exported: {what}: {why}\n"));
            }
            e.text
        }
        "terraform" | "tf" | "hcl" => {
            let e = netsec_import::export_tf::export_terraform(&loaded.doc)
                .map_err(|e| format!("{path}: {e}"))?;
            for (what, why) in &e.report.skipped {
                notes.push_str(&format!("netsec: not exported: {what}: {why}\n"));
            }
            e.text
        }
        other => {
            return Err(format!(
                "--to '{other}' is not a format; use scenario, arm or terraform"
            ));
        }
    };
    if !notes.is_empty() {
        eprint!("{notes}");
    }
    ok(text)
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
    if matches!(text.parse::<RuleProtocol>(), Ok(RuleProtocol::Any)) {
        return Err(format!(
            "--protocol: a packet has one protocol (Tcp, Udp, Icmp, Esp or Ah); '{}' is for rules",
            netsec_import::printable(text, 40)
        ));
    }
    text.parse::<Protocol>()
        .map_err(|e| format!("--protocol: {e}"))
}

/// An `--x-ip` value: one address, not a prefix.
fn parse_address(text: &str, what: &str) -> Result<std::net::IpAddr, String> {
    netsec_engine::address::parse_ip(text).map_err(|_| {
        format!(
            "{what}: '{}' is not an IP address (e.g. 10.0.0.4)",
            netsec_import::printable(text, 60)
        )
    })
}

fn test_ip_flow(args: &Args) -> Result<Outcome, String> {
    args.only(&[
        "scenario",
        "parameters",
        "vm",
        "nic",
        "direction",
        "protocol",
        "local",
        "remote",
    ])?;
    let loaded = scenario(args)?;
    let target = load::target(&loaded, args.get("vm")?, args.get("nic")?)?;
    let direction = parse_direction(args.require("direction")?)?;
    let protocol = parse_protocol(args.require("protocol")?)?;
    let (local_ip, local_port) = parse_endpoint(args.require("local")?, "--local")?;
    let (remote_ip, remote_port) = parse_endpoint(args.require("remote")?, "--remote")?;
    // Azure's IP flow verify takes TCP or UDP, IPv4, and `*` only for the
    // port on the source side: the remote port inbound, the local port
    // outbound (azure-semantics §7.1).
    if !matches!(protocol, Protocol::Tcp | Protocol::Udp) {
        return Err(format!(
            "--protocol: IP flow verify takes TCP or UDP, not {protocol}; for other protocols use `netsec diagnose`"
        ));
    }
    if !(local_ip.is_ipv4() && remote_ip.is_ipv4()) {
        return Err(String::from(
            "IP flow verify takes IPv4 addresses only (--local and --remote)",
        ));
    }
    let destination_side = match direction {
        Direction::Inbound => ("--local", local_port),
        Direction::Outbound => ("--remote", remote_port),
    };
    if destination_side.1.is_none() {
        return Err(format!(
            "{}: '*' is allowed only for the source side's port (the remote port inbound, the local port outbound); give the destination port",
            destination_side.0
        ));
    }
    // Assumption: a `*` source port is evaluated as an ephemeral port, 50000.
    let any_port = |p: Option<u16>| p.unwrap_or(netsec_import::DEFAULT_SOURCE_PORT);
    let q = IpFlowQuery {
        target,
        direction,
        protocol,
        local_ip,
        local_port: any_port(local_port),
        remote_ip,
        remote_port: any_port(remote_port),
    };
    let result = watcher::ip_flow_verify(&loaded.network, &q).map_err(|e| e.to_string())?;
    ok(json_line(&result)?)
}

fn show_next_hop(args: &Args) -> Result<Outcome, String> {
    args.only(&[
        "scenario",
        "parameters",
        "vm",
        "nic",
        "source-ip",
        "dest-ip",
    ])?;
    let loaded = scenario(args)?;
    let target = load::target(&loaded, args.get("vm")?, args.get("nic")?)?;
    let source = parse_address(args.require("source-ip")?, "--source-ip")?;
    let dest = parse_address(args.require("dest-ip")?, "--dest-ip")?;
    let result =
        watcher::next_hop(&loaded.network, target, source, dest).map_err(|e| e.to_string())?;
    ok(json_line(&result)?)
}

fn list_effective_nsg(args: &Args) -> Result<Outcome, String> {
    args.only(&["scenario", "parameters", "vm", "nic"])?;
    let loaded = scenario(args)?;
    let target = load::target(&loaded, args.get("vm")?, args.get("nic")?)?;
    let nic = load::target_nic(&loaded, target)?;
    let value = watcher::effective_security_rules(&loaded.network, nic);
    ok(json_pretty(&json!({ "value": value }))?)
}

fn diagnose(args: &Args) -> Result<Outcome, String> {
    args.only(&[
        "scenario",
        "parameters",
        "vm",
        "nic",
        "direction",
        "protocol",
        "source",
        "destination",
        "destination-port",
    ])?;
    let loaded = scenario(args)?;
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
/// A flow to trace: its name, the packet, the host name it asks for, and the
/// NIC configuration it starts at when its source names a VM or NIC.
type FlowToTrace = (String, Flow, Option<String>, Option<(NicId, usize)>);

fn flows(loaded: &Loaded, args: &Args, default_all: bool) -> Result<Vec<FlowToTrace>, String> {
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
            let start = netsec_import::endpoint_nic(&loaded.network, &f.source);
            out.push((f.name.clone(), flow, host, start));
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
            netsec_import::endpoint_nic(&loaded.network, from),
        )]);
    }
    if default_all {
        return doc
            .flows
            .iter()
            .map(|f| {
                netsec_import::flow_from_doc(doc, &loaded.network, f).map(|(flow, host)| {
                    let start = netsec_import::endpoint_nic(&loaded.network, &f.source);
                    (f.name.clone(), flow, host, start)
                })
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
        "parameters",
        "flow",
        "from",
        "to",
        "protocol",
        "port",
        "source-port",
        "host",
        "json",
    ])?;
    let loaded = scenario(args)?;
    let flows = flows(&loaded, args, false)?;
    let traces: Vec<_> = flows
        .iter()
        .map(|(name, flow, host, start)| {
            (
                name.clone(),
                path::trace_from(&loaded.network, flow, host.as_deref(), *start),
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
        "parameters",
        "flow",
        "from",
        "to",
        "protocol",
        "port",
        "source-port",
        "host",
        "time",
    ])?;
    let loaded = scenario(args)?;
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
        .map(|(_, flow, host, start)| {
            path::trace_from(&loaded.network, flow, host.as_deref(), *start)
        })
        .collect();
    let records = watcher::flow_log_records(&loaded.network, &traces, time);
    ok(json_pretty(&json!({ "records": records }))?)
}

/// Every flow of the scenario, resolved, or the first malformed one at its
/// JSON path: an endpoint that is not in the network, a port outside
/// 0-65535, a missing port, two flows with one name, a malformed `expect`.
fn checked_flows(path: &str, loaded: &Loaded) -> Result<Vec<(Flow, Option<String>)>, String> {
    let doc = &loaded.doc;
    let mut out = Vec::with_capacity(doc.flows.len());
    for (i, f) in doc.flows.iter().enumerate() {
        let at = |field: &str, e: &str| format!("{path}: $.flows[{i}]{field}: {e}");
        if let Some(j) = doc.flows[..i]
            .iter()
            .position(|g| g.name.eq_ignore_ascii_case(&f.name))
        {
            return Err(at(
                ".name",
                &format!(
                    "flow '{}' has the name of flow {j}; flow names are unique",
                    netsec_import::printable(&f.name, 200)
                ),
            ));
        }
        if let Some((field, e)) = f
            .expect
            .as_ref()
            .and_then(|e| netsec_import::expect::shape_errors(e).into_iter().next())
        {
            return Err(at(&format!(".expect.{field}"), &e));
        }
        for (field, port) in [
            (".sourcePort", f.source_port),
            (".destinationPort", f.destination_port),
        ] {
            if let Some(p) = port.filter(|p| !(0..=65535).contains(p)) {
                return Err(at(field, &format!("port {p} is outside 0-65535")));
            }
        }
        let name = netsec_import::printable(&f.name, 200);
        out.push(
            netsec_import::flow_from_doc(doc, &loaded.network, f).map_err(|e| {
                // flow_from_doc names the flow and the side; the path says both.
                let field = if e.starts_with(&format!("flow '{name}', source:")) {
                    ".source"
                } else if e.starts_with(&format!("flow '{name}', destination:")) {
                    ".destination"
                } else {
                    ""
                };
                at(field, &e)
            })?,
        );
    }
    Ok(out)
}

fn check(args: &Args) -> Result<Outcome, String> {
    args.only(&["scenario", "parameters"])?;
    let loaded = scenario(args)?;
    let flows = checked_flows(args.require("scenario")?, &loaded)?;
    let mut text = String::new();
    let (mut passed, mut failed) = (0, 0);
    for (f, (flow, host)) in loaded.doc.flows.iter().zip(flows) {
        let Some(expect) = &f.expect else { continue };
        let start = netsec_import::endpoint_nic(&loaded.network, &f.source);
        let t = path::trace_from(&loaded.network, &flow, host.as_deref(), start);
        let problems = render::expectation_problems(expect, &t);
        if problems.is_empty() {
            passed += 1;
            text.push_str(&format!(
                "PASS  {}\n",
                netsec_import::printable(&f.name, 200)
            ));
        } else {
            failed += 1;
            text.push_str(&format!(
                "FAIL  {}: {}\n",
                netsec_import::printable(&f.name, 200),
                netsec_import::printable(&problems.join("; "), 2000)
            ));
        }
    }
    text.push_str(&format!("{passed} passed, {failed} failed\n"));
    Ok(Outcome {
        output: text,
        code: u8::from(failed > 0),
    })
}

fn validate(args: &Args) -> Result<Outcome, String> {
    args.only(&["scenario", "parameters"])?;
    let loaded = scenario(args)?;
    checked_flows(args.require("scenario")?, &loaded)?;
    let mut text = format!(
        "OK: {}, {} flows\n",
        netsec_import::network_counts(&loaded.network),
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
