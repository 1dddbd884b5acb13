//! The scenario's flows, their verdicts, and the trace of the chosen one:
//! one row per layer with the verdict, the deciding rule (a link to the rule
//! in its NSG editor), the fields that matched, NAT and route, and
//! assumption labels.

use std::collections::BTreeMap;

use netsec_engine::trace::{Layer, NoteKind, Outcome, Step, Trace, Verdict};
use yew::prelude::*;

use crate::app::Ctx;
use crate::app::{PlayerCtx, PlayerDispatch};
pub use crate::geometry::step_node_id;
use crate::player::{PlayerAction, announce, stop_at};
use crate::presets::PRESETS;
use crate::state::{Action, FlowDraft, PickTarget};

/// The speeds offered: (factor, option value, option label). The values are
/// what `f64`'s `Display` wrote before, so that nothing parses floats (the
/// float parser and its tables stay out of the bundle).
const SPEEDS: [(f64, &str, &str); 4] = [
    (0.5, "0.5", "0.5×"),
    (1.0, "1", "1×"),
    (2.0, "2", "2×"),
    (4.0, "4", "4×"),
];

/// A layer's variant name (the `data-layer` attribute), without `Debug`
/// formatting.
pub fn layer_id(layer: Layer) -> &'static str {
    match layer {
        Layer::Internet => "Internet",
        Layer::AzureEdge => "AzureEdge",
        Layer::RegionalGateway => "RegionalGateway",
        Layer::Datacenter => "Datacenter",
        Layer::VnetFirewall => "VnetFirewall",
        Layer::AdminRules => "AdminRules",
        Layer::SubnetNsg => "SubnetNsg",
        Layer::NicNsg => "NicNsg",
        Layer::Routing => "Routing",
        Layer::PlatformPolicy => "PlatformPolicy",
        Layer::Service => "Service",
        Layer::Vm => "Vm",
    }
}

/// An outcome's variant name (the `data-outcome` attribute), without `Debug`
/// formatting.
pub fn outcome_id(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Allowed => "Allowed",
        Outcome::Denied => "Denied",
        Outcome::NotConfigured => "NotConfigured",
        Outcome::Forwarded => "Forwarded",
        Outcome::Translated => "Translated",
        Outcome::Arrived => "Arrived",
        Outcome::AllowedStateful => "AllowedStateful",
    }
}

/// CSS classes for nodes on the active flow's path.
pub fn path_highlight(ctx: &Ctx) -> BTreeMap<String, &'static str> {
    let mut out = BTreeMap::new();
    let Some(Some(Ok(t))) = ctx.state().active_flow.map(|i| ctx.trace(i)) else {
        return out;
    };
    for s in &t.steps {
        if let Some(id) = step_node_id(ctx.doc(), s) {
            out.insert(
                id,
                if s.outcome == Outcome::Denied {
                    "path-denied"
                } else {
                    "on-path"
                },
            );
        }
    }
    out
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
fn step_row(ctx: &Ctx, index: usize, step: &Step, current: bool) -> Html {
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
        .map(|d| format!(" ({})", d.to_string().to_ascii_lowercase()))
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
        <li class={classes!("step", class, current.then_some("current"))} aria-current={if current { "step" } else { "false" }} data-testid={format!("trace-step-{index}")} data-layer={layer_id(step.layer)} data-outcome={outcome_id(step.outcome)}>
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

/// A trace as rows, in step with the animation: the row of the layer the
/// packet is at is marked, and a live region announces each layer's verdict.
#[component]
pub fn TraceView(props: &TraceViewProps) -> Html {
    let Some(ctx) = use_context::<Ctx>() else {
        return html! {};
    };
    let player = use_context::<PlayerCtx>();
    let t = &props.trace;
    let total = t.steps.len() + t.reply.len();
    let current = player
        .as_ref()
        .filter(|p| !p.0.all && (p.0.playing || p.0.t > 0.0))
        .map(|p| stop_at(p.0.t, total));
    let current_step = current.and_then(|i| t.steps.iter().chain(t.reply.iter()).nth(i));
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
    let kind = match t.kind {
        netsec_engine::TrafficKind::NorthSouth => "north/south",
        netsec_engine::TrafficKind::EastWest => "east/west",
    };
    html! {
        <div class="trace" data-testid="trace">
            <p class={classes!("trace-verdict", if t.verdict == Verdict::Allowed { "pass" } else { "deny" })} data-testid="trace-verdict">
                { format!("{verdict} · {kind}") }{ if reply.is_empty() { String::new() } else { format!(" · {reply}") } }
                if t.has_assumptions() { <span class="badge assumption" title="Some steps rest on behaviour Azure does not document">{ "rests on assumptions" }</span> }
            </p>
            <div class="visually-hidden" aria-live="polite" data-testid="live">{ current_step.map(announce).unwrap_or_default() }</div>
            <ol class="steps">{ for t.steps.iter().enumerate().map(|(i, s)| step_row(&ctx, i, s, current == Some(i))) }</ol>
            if !t.reply.is_empty() {
                <h4>{ "Reply" }</h4>
                <ol class="steps reply" data-testid="trace-reply">{ for t.reply.iter().enumerate().map(|(i, s)| step_row(&ctx, t.steps.len() + i, s, current == Some(t.steps.len() + i))) }</ol>
            }
        </div>
    }
}

/// Play, pause, step and speed.
#[component]
fn Controls() -> Html {
    let Some(player) = use_context::<PlayerCtx>() else {
        return html! {};
    };
    let active = use_context::<Ctx>().and_then(|c| c.state().active_flow);
    if active.is_none() && !player.0.all {
        return html! {};
    }
    let p = player.0.clone();
    let send = |a: PlayerAction| {
        let player = player.clone();
        Callback::from(move |_| player.dispatch(a.clone()))
    };
    let speed = {
        let player = player.clone();
        Callback::from(move |e: Event| {
            let s: web_sys::HtmlSelectElement = e.target_unchecked_into();
            let v = s.value();
            let speed = SPEEDS
                .iter()
                .find(|(_, value, _)| *value == v)
                .map_or(1.0, |(x, _, _)| *x);
            player.dispatch(PlayerAction::SetSpeed(speed));
        })
    };
    html! {
        <div class="controls" role="group" aria-label="Animation" data-testid="controls">
            <button onclick={send(PlayerAction::StepBack)} aria-label="Step back one layer" data-testid="step-back">{ "← Back" }</button>
            if p.playing {
                <button onclick={send(PlayerAction::Pause)} aria-label="Pause" data-testid="play">{ "Pause" }</button>
            } else {
                <button class="primary" onclick={send(PlayerAction::Play)} aria-label="Play" data-testid="play">{ "▶ Play" }</button>
            }
            <button onclick={send(PlayerAction::StepForward)} aria-label="Step forward one layer" data-testid="step-forward">{ "Next →" }</button>
            <button onclick={send(PlayerAction::Replay)} aria-label="Replay" data-testid="replay">{ "↻ Replay" }</button>
            <label>
                <span class="visually-hidden">{ "Speed" }</span>
                <select onchange={speed} aria-label="Speed" data-testid="speed">
                    { for SPEEDS.iter().map(|(v, value, label)| html! { <option value={*value} selected={(p.speed - v).abs() < 1e-9}>{ *label }</option> }) }
                </select>
            </label>
            if p.reduced { <span class="badge" title="Your system asks for reduced motion: the packet steps from layer to layer">{ "reduced motion" }</span> }
        </div>
    }
}

/// The flows of the scenario as a table, with verdicts kept live.
#[component]
fn FlowTable() -> Html {
    let Some(ctx) = use_context::<Ctx>() else {
        return html! {};
    };
    let doc = ctx.doc().clone();
    let active = ctx.state().active_flow;
    let read_only = ctx.state().read_only;
    html! {
        <table class="flow-table" data-testid="flow-table">
            <thead><tr><th scope="col">{ "Flow" }</th><th scope="col">{ "Kind" }</th><th scope="col">{ "Protocol/port" }</th><th scope="col">{ "Verdict" }</th><th scope="col">{ "Deciding layer" }</th>
                if !read_only { <th><span class="visually-hidden">{ "Remove" }</span></th> }</tr></thead>
            <tbody>
            { for doc.flows.iter().enumerate().map(|(i, f)| {
                let result = ctx.trace(i).cloned().unwrap_or_else(|| Err(String::from("not traced yet")));
                let (verdict, class, layer, kind) = match &result {
                    Ok(t) => {
                        let layer = t.deciding_step().map_or_else(String::new, |s| s.layer.label().to_string());
                        let kind = if t.kind == netsec_engine::TrafficKind::NorthSouth { "N/S" } else { "E/W" };
                        if t.verdict == Verdict::Allowed { (String::from("allowed"), "pass", layer, kind) } else { (String::from("denied"), "deny", layer, kind) }
                    }
                    Err(e) => (String::from("cannot trace"), "neutral", e.clone(), ""),
                };
                let ctx2 = ctx.clone();
                let select = Callback::from(move |_| ctx2.dispatch(Action::SelectFlow(if active == Some(i) { None } else { Some(i) })));
                let ctx3 = ctx.clone();
                let remove = Callback::from(move |_| {
                    let mut d = ctx3.doc().clone();
                    if i < d.flows.len() {
                        let name = d.flows.remove(i).name;
                        ctx3.dispatch(Action::SelectFlow(None));
                        ctx3.dispatch(Action::Apply { label: format!("remove flow {name}"), doc: d, select: None });
                    }
                });
                let port = f.destination_port.map(|p| format!("{}/{p}", f.protocol)).unwrap_or_else(|| f.protocol.clone());
                html! {
                    <tr class={classes!("flow", (active == Some(i)).then_some("active"))}>
                        <td><button class="flow-button" onclick={select} aria-pressed={(active == Some(i)).to_string()} data-testid={format!("flow-{i}")} title={format!("{} → {}", f.source, f.destination)}>{ &f.name }</button></td>
                        <td data-testid={format!("flow-kind-{i}")}>{ kind }</td>
                        <td>{ port }</td>
                        <td><span class={classes!("badge", class)} data-testid={format!("flow-verdict-{i}")}>{ if class == "pass" { "✓ " } else if class == "deny" { "✕ " } else { "" } }{ verdict }</span></td>
                        <td data-testid={format!("flow-layer-{i}")}>{ layer }</td>
                        if !read_only { <td><button class="link" onclick={remove} aria-label={format!("Remove flow {}", f.name)}>{ "×" }</button></td> }
                    </tr>
                }
            }) }
            </tbody>
        </table>
    }
}

/// Adds preset flows (one, or all of them for a run-all animation).
fn add_presets(ctx: &Ctx, player: Option<&PlayerDispatch>, which: &[usize]) {
    let mut d = ctx.doc().clone();
    let mut added = Vec::new();
    let mut missing = Vec::new();
    let mut first = None;
    for &p in which {
        let Some(preset) = PRESETS.get(p) else {
            continue;
        };
        match (preset.build)(&d) {
            Ok(f) => {
                let existing = d.flows.iter().position(|x| x.name == f.name);
                let index = match existing {
                    Some(i) => i,
                    None => {
                        added.push(f.name.clone());
                        d.flows.push(f);
                        d.flows.len() - 1
                    }
                };
                first.get_or_insert(index);
            }
            Err(why) => missing.push(format!("{}: {why}", preset.label)),
        }
    }
    if !added.is_empty() {
        ctx.dispatch(Action::Apply {
            label: format!("add {}", added.join(", ")),
            doc: d,
            select: None,
        });
    }
    if which.len() > 1 {
        if let Some(p) = player {
            p.dispatch(PlayerAction::Load {
                limit: 0.0,
                all: true,
                autoplay: true,
            });
        }
        ctx.dispatch(Action::SelectFlow(None));
    } else {
        ctx.dispatch(Action::SelectFlow(first));
    }
    if !missing.is_empty() {
        ctx.dispatch(Action::Refuse(format!(
            "Not in this scenario: {}",
            missing.join("; ")
        )));
    }
}

/// The flows: lesson, presets, table, composer, controls and the active trace.
///
/// It takes only the player's dispatcher, which never changes, so it does
/// not re-render on every animation frame; the parts that follow the clock
/// (controls, the trace's current row, the every-flow hint) read the player.
#[component]
pub fn FlowsPanel() -> Html {
    let Some(ctx) = use_context::<Ctx>() else {
        return html! {};
    };
    let player = use_context::<PlayerDispatch>();
    let doc = ctx.doc().clone();
    let active = ctx.state().active_flow;
    let read_only = ctx.state().read_only;
    let trace = active.and_then(|i| ctx.trace(i)).cloned();
    let preset_buttons = PRESETS.iter().enumerate().map(|(i, p)| {
        let ctx = ctx.clone();
        let player = player.clone();
        let onclick = Callback::from(move |_| add_presets(&ctx, player.as_ref(), &[i]));
        html! { <button {onclick} data-testid={format!("preset-{}", p.id)} disabled={read_only}>{ p.label }</button> }
    });
    let run_all = {
        let ctx = ctx.clone();
        let player = player.clone();
        Callback::from(move |_| {
            add_presets(
                &ctx,
                player.as_ref(),
                &(0..PRESETS.len()).collect::<Vec<_>>(),
            )
        })
    };
    let animate_all = {
        let player = player.clone();
        let ctx = ctx.clone();
        Callback::from(move |_| {
            ctx.dispatch(Action::SelectFlow(None));
            if let Some(p) = &player {
                p.dispatch(PlayerAction::Load {
                    limit: 0.0,
                    all: true,
                    autoplay: true,
                });
            }
        })
    };
    html! {
        <section class="panel flows" aria-label="Flows">
            <h2>{ "Flows" }</h2>
            if !doc.description.is_empty() { <p class="lesson" data-testid="lesson">{ &doc.description }</p> }
            if !read_only {
                <div class="presets" role="group" aria-label="Preset flows">
                    { for preset_buttons }
                    <button onclick={run_all} data-testid="run-all-presets">{ "Run all presets" }</button>
                </div>
            }
            <FlowTable />
            if doc.flows.len() > 1 { <button onclick={animate_all} data-testid="animate-all">{ "Animate every flow" }</button> }
            if !read_only { <FlowComposer /> }
            <Controls />
            { match trace {
                Some(Ok(t)) => html! { <TraceView trace={t} /> },
                Some(Err(e)) => html! { <p class="error">{ e }</p> },
                None => html! { <IdleHint /> },
            } }
        </section>
    }
}

/// What to do when no single flow is followed.
#[component]
fn IdleHint() -> Html {
    let all = use_context::<PlayerCtx>().is_some_and(|p| p.0.all);
    if all {
        html! { <p class="hint">{ "Every flow is moving on the canvas; pick one in the table to follow its trace." }</p> }
    } else {
        html! { <p class="hint">{ "Pick a flow, or a preset, to watch its packet cross every layer." }</p> }
    }
}

/// Adds a flow from endpoints picked on the canvas or typed.
#[component]
fn FlowComposer() -> Html {
    let Some(ctx) = use_context::<Ctx>() else {
        return html! {};
    };
    let draft = ctx.state().draft.clone();
    let picking = ctx.state().picking;
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
    endpoints.extend(doc.firewalls.iter().map(|p| format!("firewall/{}", p.name)));
    let set = |f: fn(&mut FlowDraft, String)| {
        let ctx = ctx.clone();
        let draft = draft.clone();
        Callback::from(move |e: InputEvent| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            let mut d = draft.clone();
            f(&mut d, input.value());
            ctx.dispatch(Action::SetDraft(d));
        })
    };
    let protocol = {
        let ctx = ctx.clone();
        let draft = draft.clone();
        Callback::from(move |e: Event| {
            let s: web_sys::HtmlSelectElement = e.target_unchecked_into();
            ctx.dispatch(Action::SetDraft(FlowDraft {
                protocol: s.value(),
                ..draft.clone()
            }));
        })
    };
    let pick = {
        let ctx = ctx.clone();
        Callback::from(move |_| {
            ctx.dispatch(Action::StartPick(if picking.is_some() {
                None
            } else {
                Some(PickTarget::Source)
            }))
        })
    };
    let add = {
        let ctx = ctx.clone();
        let draft = draft.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let portless = !matches!(draft.protocol.as_str(), "Tcp" | "Udp");
            let port_value = match draft.port.trim().parse::<i64>() {
                Ok(p) if (0..=65535).contains(&p) => Some(p),
                _ if portless => None,
                _ => {
                    ctx.dispatch(Action::Refuse(format!(
                        "port '{}' is not a number from 0 to 65535",
                        draft.port.trim()
                    )));
                    return;
                }
            };
            let mut d = ctx.doc().clone();
            let name = format!(
                "{} → {} {}{}",
                draft.source,
                draft.destination,
                draft.protocol,
                port_value
                    .filter(|_| !portless)
                    .map(|p| format!(":{p}"))
                    .unwrap_or_default()
            );
            let flow = netsec_import::scenario::doc::FlowDoc {
                name,
                source: draft.source.trim().to_string(),
                destination: draft.destination.trim().to_string(),
                protocol: draft.protocol.clone(),
                destination_port: port_value.filter(|_| !portless),
                ..Default::default()
            };
            if let Some(net) = ctx.network()
                && let Err(reason) = netsec_import::flow_from_doc(&d, net, &flow)
            {
                ctx.dispatch(Action::Refuse(format!("Cannot trace this flow: {reason}")));
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
    let pick_text = match picking {
        None => "Pick on canvas",
        Some(PickTarget::Source) => "Click the source…",
        Some(PickTarget::Destination) => "Click the destination…",
    };
    html! {
        <form class="composer" onsubmit={add} aria-label="New flow" data-testid="flow-composer">
            <datalist id="endpoints">{ for endpoints.iter().map(|e| html! { <option value={e.clone()} /> }) }</datalist>
            <input list="endpoints" placeholder="from: client/laptop or 203.0.113.5" value={draft.source.clone()} oninput={set(|d, v| d.source = v)} aria-label="Flow source" data-testid="flow-source" />
            <input list="endpoints" placeholder="to: pip/web-ip or 10.0.1.4" value={draft.destination.clone()} oninput={set(|d, v| d.destination = v)} aria-label="Flow destination" data-testid="flow-destination" />
            <select aria-label="Protocol" data-testid="flow-protocol" onchange={protocol}>
                { for ["Tcp", "Udp", "Icmp", "Esp", "Ah"].iter().map(|p| html! { <option value={*p} selected={draft.protocol == *p}>{ *p }</option> }) }
            </select>
            <input class="port" value={draft.port.clone()} oninput={set(|d, v| d.port = v)} aria-label="Destination port" data-testid="flow-port" />
            <button type="button" onclick={pick} aria-pressed={picking.is_some().to_string()} data-testid="flow-pick">{ pick_text }</button>
            <button type="submit" class="primary" data-testid="flow-add">{ "Trace" }</button>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_the_variant_names() {
        for l in [
            Layer::Internet,
            Layer::AzureEdge,
            Layer::RegionalGateway,
            Layer::Datacenter,
            Layer::VnetFirewall,
            Layer::AdminRules,
            Layer::SubnetNsg,
            Layer::NicNsg,
            Layer::Routing,
            Layer::PlatformPolicy,
            Layer::Service,
            Layer::Vm,
        ] {
            assert_eq!(layer_id(l), format!("{l:?}"));
        }
        for o in [
            Outcome::Allowed,
            Outcome::Denied,
            Outcome::NotConfigured,
            Outcome::Forwarded,
            Outcome::Translated,
            Outcome::Arrived,
            Outcome::AllowedStateful,
        ] {
            assert_eq!(outcome_id(o), format!("{o:?}"));
        }
        for (v, value, label) in SPEEDS {
            assert_eq!(value, v.to_string());
            assert_eq!(label, format!("{v}×"));
        }
    }
}
