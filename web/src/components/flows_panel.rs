//! The scenario's flows, their verdicts, and the trace of the chosen one:
//! one row per layer with the verdict, the deciding rule (a link to the rule
//! in its NSG editor), the fields that matched, NAT and route, and
//! assumption labels.

use std::collections::BTreeMap;

use netsec_engine::trace::{Layer, NoteKind, Outcome, Step, Trace, Verdict};
use netsec_import::scenario::doc::{FlowDoc, ScenarioDoc};
use yew::prelude::*;

use crate::app::Ctx;
use crate::geometry::Diagram;
use crate::state::Action;

/// Traces a flow of the document against the current network.
pub fn trace_flow(ctx: &Ctx, flow: &FlowDoc) -> Result<Trace, String> {
    let net = ctx
        .network()
        .ok_or("the scenario has an error; fix it to trace flows")?;
    let (f, host) = netsec_import::flow_from_doc(ctx.doc(), net, flow)?;
    Ok(netsec_engine::path::trace_with_host(
        net,
        &f,
        host.as_deref(),
    ))
}

/// The diagram node a step is about.
pub fn step_node_id(doc: &ScenarioDoc, step: &Step) -> Option<String> {
    let r = step.resource.as_ref();
    let path = r.map(|r| r.path.as_str()).unwrap_or_default();
    let name = r.map(|r| r.name.clone()).unwrap_or_default();
    match step.layer {
        Layer::Internet => {
            let addr = if step.outcome == Outcome::Arrived {
                step.packet.destination
            } else {
                step.packet.source
            }
            .to_string();
            doc.internet_clients
                .iter()
                .find(|c| c.address == addr)
                .map(|c| format!("client/{}", c.name))
                .or(Some(String::from("band/internet")))
        }
        Layer::AzureEdge => Some(String::from("band/edge")),
        Layer::RegionalGateway => path.strip_prefix("regions/").map(|n| format!("region/{n}")),
        Layer::Datacenter => path
            .strip_prefix("publicIPAddresses/")
            .map(|n| format!("pip/{n}"))
            .or_else(|| {
                path.strip_prefix("loadBalancers/")
                    .map(|n| format!("lb/{n}"))
            }),
        Layer::VnetFirewall => path
            .strip_prefix("azureFirewalls/")
            .map(|n| format!("firewall/{n}"))
            .or_else(|| {
                path.strip_prefix("networkInterfaces/")
                    .and_then(|n| doc.vms.iter().find(|v| v.nics.iter().any(|x| x == n)))
                    .map(|v| format!("vm/{}", v.name))
            }),
        Layer::SubnetNsg | Layer::NicNsg => path
            .strip_prefix("networkSecurityGroups/")
            .map(|n| format!("nsg/{n}")),
        Layer::Routing => path
            .strip_prefix("virtualNetworks/")
            .map(|rest| format!("subnet/{}", rest.replacen("/subnets/", "/", 1))),
        Layer::Vm => path
            .strip_prefix("virtualMachines/")
            .map(|n| format!("vm/{n}"))
            .or_else(|| {
                path.strip_prefix("networkInterfaces/")
                    .map(|n| format!("nic/{n}"))
            }),
        Layer::Service => path
            .strip_prefix("services/")
            .map(|n| format!("service/{n}"))
            .or_else(|| {
                path.strip_prefix("privateEndpoints/")
                    .map(|n| format!("pe/{n}"))
            }),
        Layer::AdminRules | Layer::PlatformPolicy => None,
    }
    .or_else(|| (!name.is_empty()).then(|| name.clone()))
}

/// CSS classes for nodes on the active flow's path.
pub fn path_highlight(ctx: &Ctx) -> BTreeMap<String, &'static str> {
    let mut out = BTreeMap::new();
    let Some(i) = ctx.state().active_flow else {
        return out;
    };
    let Some(flow) = ctx.doc().flows.get(i) else {
        return out;
    };
    let Ok(t) = trace_flow(ctx, flow) else {
        return out;
    };
    for s in &t.steps {
        if let Some(id) = step_node_id(ctx.doc(), s) {
            let class = if s.outcome == Outcome::Denied {
                "path-denied"
            } else {
                "on-path"
            };
            out.insert(id, class);
        }
    }
    out
}

/// Markers drawn over the diagram for the active flow (the animation replaces this).
pub fn packet_overlay(ctx: &Ctx, diagram: &Diagram) -> Html {
    let Some(i) = ctx.state().active_flow else {
        return html! {};
    };
    let Some(flow) = ctx.doc().flows.get(i) else {
        return html! {};
    };
    let Ok(t) = trace_flow(ctx, flow) else {
        return html! {};
    };
    let points: Vec<(f64, f64)> = t
        .steps
        .iter()
        .filter_map(|s| step_node_id(ctx.doc(), s))
        .filter_map(|id| diagram.node(&id).map(|b| b.centre()))
        .collect();
    let d = points
        .iter()
        .enumerate()
        .map(|(i, (x, y))| format!("{}{x:.0} {y:.0}", if i == 0 { "M" } else { " L" }))
        .collect::<String>();
    html! { <path class={classes!("flow-path", (t.verdict == Verdict::Denied).then_some("denied"))} d={d} marker-end="url(#arrow)" data-testid="flow-path" /> }
}

fn outcome_view(o: Outcome) -> (&'static str, &'static str, &'static str) {
    match o {
        Outcome::Allowed => ("✓", "allowed", "pass"),
        Outcome::AllowedStateful => ("↩", "allowed (stateful)", "pass"),
        Outcome::Denied => ("✕", "denied", "deny"),
        Outcome::NotConfigured => ("○", "nothing configured", "neutral"),
        Outcome::Forwarded => ("→", "forwarded", "neutral"),
        Outcome::Translated => ("⇄", "translated (NAT)", "pass"),
        Outcome::Arrived => ("●", "arrived", "pass"),
    }
}

fn fields_view(step: &Step) -> Html {
    let Some(f) = step.fields else {
        return html! {};
    };
    let item = |label: &str, ok: bool| html! { <span class={classes!("field", if ok { "yes" } else { "no" })} title={format!("{label} {}", if ok { "matched" } else { "did not match" })}>{ format!("{}{label}", if ok { "✓" } else { "✕" }) }</span> };
    html! {
        <span class="fields" aria-label="Fields matched">
            { item("protocol", f.protocol_matched) }{ item("source", f.source_matched) }{ item("src port", f.source_port_matched) }
            { item("destination", f.destination_matched) }{ item("dst port", f.destination_port_matched) }
        </span>
    }
}

/// One trace row.
fn step_row(ctx: &Ctx, index: usize, step: &Step) -> Html {
    let (icon, word, class) = outcome_view(step.outcome);
    let rule = step.rule.as_ref().map(|r| {
        let nsg = step.resource.as_ref().filter(|r| r.kind == "networkSecurityGroups").map(|r| r.name.clone());
        let rule_name = r.name.rsplit('/').next().unwrap_or_default().to_string();
        match nsg {
            Some(nsg) if r.name.starts_with("securityRules/") => {
                let ctx = ctx.clone();
                let onclick = Callback::from(move |_| ctx.dispatch(Action::FocusRule { nsg: nsg.clone(), rule: rule_name.clone() }));
                html! { <button class="link rule-link" {onclick} data-testid="trace-rule">{ &r.name }</button> }
            }
            _ => html! { <code class="rule-name" data-testid="trace-rule">{ &r.name }</code> },
        }
    });
    let direction = step
        .direction
        .map(|d| format!(" ({})", d.to_string().to_lowercase()))
        .unwrap_or_default();
    let extra = {
        let mut parts = Vec::new();
        if let Some(t) = &step.translation {
            parts.push(format!(
                "NAT {}:{} → {}:{}",
                t.from.0, t.from.1, t.to.0, t.to.1
            ));
        }
        if let Some(r) = &step.route {
            parts.push(format!(
                "route {} → {}{}",
                r.prefix,
                r.next_hop_type,
                r.next_hop_ip.map(|i| format!(" {i}")).unwrap_or_default()
            ));
        }
        parts.join(" · ")
    };
    html! {
        <li class={classes!("step", class)} data-testid={format!("trace-step-{index}")} data-layer={format!("{:?}", step.layer)} data-outcome={format!("{:?}", step.outcome)}>
            <div class="step-head">
                <span class="verdict" aria-hidden="true">{ icon }</span>
                <strong class="layer">{ format!("{}{direction}", step.layer.label()) }</strong>
                <span class="outcome">{ word }</span>
                if let Some(r) = &step.resource { <span class="resource">{ &r.name }</span> }
                { for rule }
            </div>
            <div class="step-why">{ &step.reason }</div>
            { fields_view(step) }
            if !extra.is_empty() { <div class="step-extra">{ extra }</div> }
            { for step.notes.iter().map(|n| {
                let (badge, cls) = match n.kind { NoteKind::Assumption => ("assumption", "assumption"), NoteKind::NotModelled => ("not modelled", "not-modelled"), NoteKind::Info => ("note", "info") };
                html! { <div class={classes!("note", cls)}><span class="badge">{ badge }</span>{ " " }{ &n.text }</div> }
            }) }
        </li>
    }
}

/// The trace of one flow.
#[derive(Properties, PartialEq)]
pub struct TraceViewProps {
    /// The trace.
    pub trace: Trace,
}

/// A trace as rows.
#[component]
pub fn TraceView(props: &TraceViewProps) -> Html {
    let Some(ctx) = use_context::<Ctx>() else {
        return html! {};
    };
    let t = &props.trace;
    let verdict = match (t.verdict, t.denied_at()) {
        (Verdict::Denied, Some(s)) => format!(
            "Denied at {}{}",
            s.layer.label(),
            s.rule
                .as_ref()
                .map(|r| format!(" by {}", r.name))
                .unwrap_or_default()
        ),
        _ => String::from("Allowed"),
    };
    let reply = match t.reply_verdict {
        Some(Verdict::Allowed) => "the reply comes back (stateful)",
        Some(Verdict::Denied) => "but the reply is dropped",
        None => "",
    };
    html! {
        <div class="trace" data-testid="trace">
            <p class={classes!("trace-verdict", if t.verdict == Verdict::Allowed { "pass" } else { "deny" })} data-testid="trace-verdict">
                { format!("{} · {}", verdict, t.kind) }{ if reply.is_empty() { String::new() } else { format!(" · {reply}") } }
                if t.has_assumptions() { <span class="badge assumption" title="Some steps rest on behaviour Azure does not document">{ "rests on assumptions" }</span> }
            </p>
            <ol class="steps">{ for t.steps.iter().enumerate().map(|(i, s)| step_row(&ctx, i, s)) }</ol>
            if !t.reply.is_empty() {
                <h4>{ "Reply" }</h4>
                <ol class="steps reply" data-testid="trace-reply">{ for t.reply.iter().enumerate().map(|(i, s)| step_row(&ctx, t.steps.len() + i, s)) }</ol>
            }
        </div>
    }
}

/// The flows list, a small composer, and the active trace.
#[component]
pub fn FlowsPanel() -> Html {
    let Some(ctx) = use_context::<Ctx>() else {
        return html! {};
    };
    let doc = ctx.doc().clone();
    let active = ctx.state().active_flow;
    let rows = doc.flows.iter().enumerate().map(|(i, f)| {
        let result = trace_flow(&ctx, f);
        let (badge, class) = match &result {
            Ok(t) if t.verdict == Verdict::Allowed => (String::from("allowed"), "pass"),
            Ok(t) => (format!("denied · {}", t.denied_at().map_or("", |s| s.layer.label())), "deny"),
            Err(_) => (String::from("cannot trace"), "neutral"),
        };
        let ctx2 = ctx.clone();
        let onclick = Callback::from(move |_| ctx2.dispatch(Action::SelectFlow(if active == Some(i) { None } else { Some(i) })));
        html! {
            <li class={classes!("flow", (active == Some(i)).then_some("active"))}>
                <button class="flow-button" {onclick} aria-pressed={(active == Some(i)).to_string()} data-testid={format!("flow-{i}")}>
                    <span class="flow-name">{ &f.name }</span>
                    <span class={classes!("badge", class)} data-testid={format!("flow-verdict-{i}")}>{ badge }</span>
                </button>
            </li>
        }
    });
    let trace = active
        .and_then(|i| doc.flows.get(i))
        .map(|f| trace_flow(&ctx, f));
    html! {
        <section class="panel flows" aria-label="Flows">
            <h2>{ "Flows" }</h2>
            if !doc.description.is_empty() { <p class="lesson" data-testid="lesson">{ &doc.description }</p> }
            <ul class="flow-list" data-testid="flow-list">{ for rows }</ul>
            <FlowComposer />
            { match trace {
                Some(Ok(t)) => html! { <TraceView trace={t} /> },
                Some(Err(e)) => html! { <p class="error">{ e }</p> },
                None => html! { <p class="hint">{ "Pick a flow to see its path through every layer." }</p> },
            } }
        </section>
    }
}

/// Adds a flow by picking endpoints, protocol and port.
#[component]
fn FlowComposer() -> Html {
    let Some(ctx) = use_context::<Ctx>() else {
        return html! {};
    };
    let source = use_state(String::new);
    let dest = use_state(String::new);
    let protocol = use_state(|| String::from("Tcp"));
    let port = use_state(|| String::from("443"));
    let doc = ctx.doc();
    let mut endpoints: Vec<String> = Vec::new();
    endpoints.extend(
        doc.internet_clients
            .iter()
            .map(|c| format!("client/{}", c.name)),
    );
    endpoints.extend(doc.vms.iter().map(|v| format!("vm/{}", v.name)));
    endpoints.extend(doc.public_ips.iter().map(|p| format!("pip/{}", p.name)));
    endpoints.extend(doc.load_balancers.iter().map(|p| format!("lb/{}", p.name)));
    endpoints.extend(doc.services.iter().map(|p| format!("service/{}", p.name)));
    endpoints.extend(
        doc.private_endpoints
            .iter()
            .map(|p| format!("pe/{}", p.name)),
    );
    let text_input = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |e: InputEvent| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            state.set(input.value());
        })
    };
    let add = {
        let ctx = ctx.clone();
        let (source, dest, protocol, port) =
            (source.clone(), dest.clone(), protocol.clone(), port.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let mut d = ctx.doc().clone();
            let port_value = match port.trim().parse::<i64>() {
                Ok(p) if (0..=65535).contains(&p) => Some(p),
                _ if !matches!(protocol.as_str(), "Tcp" | "Udp") => None,
                _ => {
                    ctx.dispatch(Action::Refuse(format!(
                        "port '{}' is not a number from 0 to 65535",
                        *port
                    )));
                    return;
                }
            };
            let flow = FlowDoc {
                name: format!(
                    "{} → {} {}/{}",
                    *source,
                    *dest,
                    *protocol,
                    port_value.map(|p| p.to_string()).unwrap_or_default()
                ),
                source: (*source).clone(),
                destination: (*dest).clone(),
                protocol: (*protocol).clone(),
                destination_port: port_value,
                ..Default::default()
            };
            if let Some(net) = ctx.network()
                && let Err(reason) = netsec_import::flow_from_doc(&d, net, &flow)
            {
                ctx.dispatch(Action::Refuse(format!("Cannot add this flow: {reason}")));
                return;
            }
            d.flows.push(flow);
            let index = d.flows.len() - 1;
            ctx.dispatch(Action::Apply {
                label: String::from("add a flow"),
                doc: d,
                select: None,
            });
            ctx.dispatch(Action::SelectFlow(Some(index)));
        })
    };
    html! {
        <form class="composer" onsubmit={add} aria-label="New flow" data-testid="flow-composer">
            <datalist id="endpoints">{ for endpoints.iter().map(|e| html! { <option value={e.clone()} /> }) }</datalist>
            <input list="endpoints" placeholder="from: vm/web or 203.0.113.5" value={(*source).clone()} oninput={text_input(&source)} aria-label="Flow source" data-testid="flow-source" />
            <input list="endpoints" placeholder="to: pip/web-ip or 10.0.1.4" value={(*dest).clone()} oninput={text_input(&dest)} aria-label="Flow destination" data-testid="flow-destination" />
            <select aria-label="Protocol" data-testid="flow-protocol" onchange={{ let p = protocol.clone(); Callback::from(move |e: Event| { let s: web_sys::HtmlSelectElement = e.target_unchecked_into(); p.set(s.value()); }) }}>
                { for ["Tcp", "Udp", "Icmp", "Esp", "Ah"].iter().map(|p| html! { <option value={*p} selected={*protocol == *p}>{ *p }</option> }) }
            </select>
            <input class="port" value={(*port).clone()} oninput={text_input(&port)} aria-label="Destination port" data-testid="flow-port" />
            <button type="submit" data-testid="flow-add">{ "Trace" }</button>
        </form>
    }
}
