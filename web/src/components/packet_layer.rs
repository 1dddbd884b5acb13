//! The moving packet(s) on the canvas, drawn from the engine's trace: the
//! path, the packet at its current position, and the verdict cue (colour,
//! icon and text together) when it pauses at a layer.

use std::rc::Rc;

use netsec_engine::trace::{Outcome, Verdict};
use yew::prelude::*;

use crate::app::{Ctx, PlayerCtx};
use crate::geometry::{Diagram, svg_num};
use crate::player::{PlayerAction, Track};

/// A diagram compared by identity (it is rebuilt only when the document changes).
#[derive(Clone)]
pub struct SharedDiagram(pub Rc<Diagram>);

impl PartialEq for SharedDiagram {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// Props: the diagram the packet moves on.
#[derive(Properties, PartialEq)]
pub struct PacketLayerProps {
    /// The laid-out diagram.
    pub diagram: SharedDiagram,
}

fn cue(outcome: Outcome) -> (&'static str, &'static str) {
    match outcome {
        Outcome::Denied => ("✕", "deny"),
        Outcome::Allowed | Outcome::AllowedStateful | Outcome::Translated | Outcome::Arrived => {
            ("✓", "pass")
        }
        Outcome::NotConfigured | Outcome::Forwarded => ("→", "neutral"),
    }
}

/// The packets.
#[component]
pub fn PacketLayer(props: &PacketLayerProps) -> Html {
    let Some(ctx) = use_context::<Ctx>() else {
        return html! {};
    };
    let Some(player) = use_context::<PlayerCtx>() else {
        return html! {};
    };
    let state = ctx.state();
    let active = state.active_flow;
    // Picking one flow leaves the every-flow mode.
    let all = player.0.all && active.is_none();
    let diagram = props.diagram.clone();
    // Tracks are recomputed only when the document, the diagram or the selection change.
    let tracks: Rc<Vec<(usize, Track, Verdict)>> = {
        let ctx = ctx.clone();
        use_memo(
            (state.revision, active, all, diagram.clone()),
            move |(_, active, all, diagram)| {
                let doc = ctx.doc();
                let indices: Vec<usize> = if *all {
                    (0..doc.flows.len()).collect()
                } else {
                    active.iter().copied().collect()
                };
                indices
                    .into_iter()
                    .filter_map(|i| {
                        let t = ctx.trace(i)?.as_ref().ok()?.clone();
                        Some((i, Track::new(doc, &diagram.0, &t), t.verdict))
                    })
                    .collect::<Vec<_>>()
            },
        )
    };
    // A new journey (another flow, run-all, or an edit) starts from the beginning.
    {
        let player = player.clone();
        let limit = tracks
            .iter()
            .map(|(_, t, _)| t.duration())
            .fold(0.0, f64::max);
        let previous = use_mut_ref(|| (None::<usize>, false));
        use_effect_with((state.revision, active, all, limit.to_bits()), move |_| {
            let (prev_flow, prev_all) = *previous.borrow();
            let changed_selection = prev_flow != active || prev_all != all;
            *previous.borrow_mut() = (active, all);
            let autoplay = changed_selection || player.0.playing;
            player.dispatch(PlayerAction::Load {
                limit,
                all,
                autoplay,
            });
        });
    }
    let t = player.0.t;
    let reduced = player.0.reduced;
    let single = tracks.len() == 1;
    html! {
        <g class="packets" data-testid="packets" aria-hidden="true">
            { for tracks.iter().map(|(i, track, verdict)| {
                // The path is drawn only when one flow is followed; building it per frame for every track is wasted.
                let path: String = if single { track.stops.iter().enumerate().map(|(k, s)| format!("{}{} {}", if k == 0 { "M" } else { " L" }, svg_num(s.x.round()), svg_num(s.y.round()))).collect() } else { String::new() };
                let pos = if reduced { track.at_reduced(t) } else { track.at(t) };
                let Some(pos) = pos else { return html! {} };
                let stop = &track.stops[pos.stop];
                let (icon, class) = if pos.paused { cue(stop.outcome) } else { ("", "moving") };
                html! {
                    <g class={classes!("packet-track", (*verdict == Verdict::Denied).then_some("denied"))} data-testid={format!("packet-track-{i}")}>
                        if single { <path class={classes!("flow-path", (*verdict == Verdict::Denied).then_some("denied"))} d={path} data-testid="flow-path" /> }
                        <g class={classes!("packet", class, stop.reply.then_some("reply"))} transform={format!("translate({} {})", svg_num((pos.x * 10.0).round() / 10.0), svg_num((pos.y * 10.0).round() / 10.0))}
                           data-testid={if single { String::from("packet") } else { format!("packet-{i}") }} data-stop={pos.stop.to_string()} data-outcome={crate::components::flows_panel::outcome_id(stop.outcome)}>
                            <circle r="9" />
                            <text class="packet-icon" text-anchor="middle" dy="4">{ icon }</text>
                            if single && pos.paused {
                                <text class="packet-label" x="14" y="-12">{ &stop.label }</text>
                            }
                        </g>
                    </g>
                }
            }) }
        </g>
    }
}
