//! The SVG canvas: draws the layout, and turns pointer gestures into edits.
//!
//! - Drag a node onto a container to move it there (a VM into a subnet, a
//!   subnet into a VNet), onto a subnet or VM to attach an NSG, route table or
//!   ASG, or onto empty space to move a free-standing resource.
//! - Drop a palette item to create a resource where it lands.
//! - Drag the background to pan; the wheel and the buttons zoom; Fit shows all.

use std::rc::Rc;

use yew::prelude::*;

use crate::app::Ctx;
use crate::components::packet_layer::{PacketLayer, SharedDiagram};
use crate::components::palette::DRAG_PREFIX;
use crate::edit::{NewKind, NodeKey, add, attach, reparent};
use crate::geometry::{Diagram, NodeBox, Shape, clamp, layout, svg_num};
use crate::state::{Action, View};
use netsec_import::scenario::doc::{PositionDoc, ScenarioDoc};

#[derive(Clone, Debug, PartialEq)]
struct Drag {
    node: Option<NodeKey>,
    start_client: (f64, f64),
    start_view: View,
    grab: (f64, f64),
    at: (f64, f64),
    moved: bool,
}

fn svg_point(svg: &web_sys::Element, view: View, client_x: f64, client_y: f64) -> (f64, f64) {
    let rect = svg.get_bounding_client_rect();
    (
        view.x + (client_x - rect.left()) / view.zoom,
        view.y + (client_y - rect.top()) / view.zoom,
    )
}

fn is_attachable(key: &NodeKey) -> bool {
    matches!(
        key,
        NodeKey::Nsg(_) | NodeKey::RouteTable(_) | NodeKey::Asg(_)
    )
}

fn is_free_standing(key: &NodeKey) -> bool {
    matches!(
        key,
        NodeKey::AdminRule(_)
            | NodeKey::Nsg(_)
            | NodeKey::RouteTable(_)
            | NodeKey::Asg(_)
            | NodeKey::Client(_)
            | NodeKey::Service(_)
    )
}

/// The deepest container at a point (a leaf's container when over a leaf).
fn container_at(diagram: &Diagram, x: f64, y: f64) -> Option<&NodeBox> {
    diagram
        .nodes
        .iter()
        .filter(|n| n.shape == Shape::Container && n.contains(x, y))
        .max_by_key(|n| n.depth)
}

/// What dropping `node` at (x, y) means, as an edit.
fn drop_edit(
    doc: &ScenarioDoc,
    diagram: &Diagram,
    node: &NodeKey,
    x: f64,
    y: f64,
    grab: (f64, f64),
) -> Result<(String, ScenarioDoc), String> {
    let target = diagram.hit(x, y, Some(node)).and_then(|b| b.key.clone());
    match (node, target) {
        (n, Some(t))
            if is_attachable(n)
                && matches!(t, NodeKey::Subnet(..) | NodeKey::Vm(_) | NodeKey::Nic(_)) =>
        {
            Ok((
                format!("attach {} to {}", n.name(), t.name()),
                attach(doc, n, &t)?,
            ))
        }
        (NodeKey::Vm(_), Some(t @ NodeKey::Asg(_))) => Ok((
            format!("add {} to {}", node.name(), t.name()),
            attach(doc, node, &t)?,
        )),
        (NodeKey::Vm(_), Some(t)) => {
            let subnet = match t {
                NodeKey::Vm(_)
                | NodeKey::Nic(_)
                | NodeKey::PrivateEndpoint(_)
                | NodeKey::Firewall(_) => container_at(diagram, x, y)
                    .and_then(|b| b.key.clone())
                    .unwrap_or(t),
                other => other,
            };
            Ok((
                format!("move {} to {}", node.name(), subnet.name()),
                reparent(doc, node, &subnet)?,
            ))
        }
        (NodeKey::Subnet(..) | NodeKey::Vnet(_), Some(t)) => {
            let t = match t {
                NodeKey::Subnet(v, _) if matches!(node, NodeKey::Subnet(..)) => NodeKey::Vnet(v),
                other => other,
            };
            Ok((
                format!("move {} to {}", node.name(), t.name()),
                reparent(doc, node, &t)?,
            ))
        }
        (n, _) if is_free_standing(n) => {
            let mut d = doc.clone();
            d.layout.insert(
                n.layout_key(),
                PositionDoc {
                    x: (x - grab.0).round(),
                    y: (y - grab.1).round(),
                    w: None,
                    h: None,
                },
            );
            Ok((format!("move {}", n.name()), d))
        }
        (NodeKey::Vm(_), None) => Err(String::from(
            "a virtual machine goes into a subnet; drop it onto one",
        )),
        (n, _) => Err(format!(
            "a {} stays where Azure puts it; drag it onto a container to move it",
            n.kind_label().to_ascii_lowercase()
        )),
    }
}

/// The canvas.
#[component]
pub fn Canvas() -> Html {
    let Some(ctx) = use_context::<Ctx>() else {
        return html! {};
    };
    let svg_ref = use_node_ref();
    let drag = use_state(|| None::<Drag>);
    let doc = ctx.state().doc.clone();
    let diagram: Rc<Diagram> = use_memo(doc.clone(), |d| layout(d));
    let view = ctx.state().view;
    let selected = ctx.state().selected.clone();
    let highlight = crate::components::flows_panel::path_highlight(&ctx);

    let onpointerdown_bg = {
        let drag = drag.clone();
        let svg_ref = svg_ref.clone();
        Callback::from(move |e: PointerEvent| {
            if e.button() != 0 {
                return;
            }
            if let Some(svg) = svg_ref.cast::<web_sys::Element>() {
                let _ = svg.set_pointer_capture(e.pointer_id());
                let at = svg_point(&svg, view, f64::from(e.client_x()), f64::from(e.client_y()));
                drag.set(Some(Drag {
                    node: None,
                    start_client: (f64::from(e.client_x()), f64::from(e.client_y())),
                    start_view: view,
                    grab: (0.0, 0.0),
                    at,
                    moved: false,
                }));
            }
        })
    };
    let onpointermove = {
        let drag = drag.clone();
        let svg_ref = svg_ref.clone();
        let ctx = ctx.clone();
        Callback::from(move |e: PointerEvent| {
            let Some(d) = (*drag).clone() else { return };
            let Some(svg) = svg_ref.cast::<web_sys::Element>() else {
                return;
            };
            let (cx, cy) = (f64::from(e.client_x()), f64::from(e.client_y()));
            let moved =
                d.moved || (cx - d.start_client.0).abs() + (cy - d.start_client.1).abs() > 4.0;
            match &d.node {
                None => {
                    if moved {
                        let v = d.start_view;
                        ctx.dispatch(Action::SetView(View {
                            x: v.x - (cx - d.start_client.0) / v.zoom,
                            y: v.y - (cy - d.start_client.1) / v.zoom,
                            zoom: v.zoom,
                        }));
                    }
                    drag.set(Some(Drag { moved, ..d }));
                }
                Some(_) => {
                    let at = svg_point(&svg, view, cx, cy);
                    drag.set(Some(Drag { at, moved, ..d }));
                }
            }
        })
    };
    let onpointerup = {
        let drag = drag.clone();
        let ctx = ctx.clone();
        let diagram = diagram.clone();
        Callback::from(move |_e: PointerEvent| {
            let Some(d) = (*drag).clone() else { return };
            drag.set(None);
            match (&d.node, d.moved) {
                (None, false) => ctx.dispatch(Action::Select(None)),
                (None, true) => {}
                // Picked() selects, unless the flow composer is picking endpoints.
                (Some(node), false) => ctx.dispatch(Action::Picked(node.clone())),
                (Some(_), true) if ctx.state().read_only => {}
                (Some(node), true) => {
                    match drop_edit(ctx.doc(), &diagram, node, d.at.0, d.at.1, d.grab) {
                        Ok((label, doc)) => ctx.dispatch(Action::Apply {
                            label,
                            doc,
                            select: Some(node.clone()),
                        }),
                        Err(reason) => ctx.dispatch(Action::Refuse(reason)),
                    }
                }
            }
        })
    };
    let ondragover = Callback::from(|e: DragEvent| e.prevent_default());
    let ondrop = {
        let ctx = ctx.clone();
        let svg_ref = svg_ref.clone();
        let diagram = diagram.clone();
        Callback::from(move |e: DragEvent| {
            let Some(dt) = e.data_transfer() else { return };
            let data = dt.get_data("text/plain").unwrap_or_default();
            let Some(kind) = data.strip_prefix(DRAG_PREFIX).and_then(NewKind::from_id) else {
                return;
            };
            e.prevent_default();
            e.stop_propagation();
            let Some(svg) = svg_ref.cast::<web_sys::Element>() else {
                return;
            };
            let (x, y) = svg_point(&svg, view, f64::from(e.client_x()), f64::from(e.client_y()));
            let hit = diagram.hit(x, y, None).and_then(|b| b.key.clone());
            let parent = match (&hit, kind.needs()) {
                (
                    Some(
                        NodeKey::Vm(_)
                        | NodeKey::Nic(_)
                        | NodeKey::PrivateEndpoint(_)
                        | NodeKey::Firewall(_),
                    ),
                    Some(_),
                ) => container_at(&diagram, x, y).and_then(|b| b.key.clone()),
                _ => hit.clone(),
            };
            match add(ctx.doc(), kind, parent.as_ref()) {
                Ok((mut doc, node)) => {
                    let mut label = format!("add {}", node.name());
                    // Dropped straight onto something it attaches to: attach it too.
                    if is_attachable(&node) {
                        if let Some(target) = hit.filter(|t| {
                            matches!(t, NodeKey::Subnet(..) | NodeKey::Vm(_) | NodeKey::Nic(_))
                        }) {
                            match attach(&doc, &node, &target) {
                                Ok(d) => {
                                    doc = d;
                                    label = format!("add {} to {}", node.name(), target.name());
                                }
                                Err(reason) => ctx.dispatch(Action::Refuse(reason)),
                            }
                        } else if matches!(
                            node,
                            NodeKey::Nsg(_)
                                | NodeKey::Asg(_)
                                | NodeKey::RouteTable(_)
                                | NodeKey::Client(_)
                                | NodeKey::Service(_)
                        ) {
                            doc.layout.insert(
                                node.layout_key(),
                                PositionDoc {
                                    x: x.round(),
                                    y: y.round(),
                                    w: None,
                                    h: None,
                                },
                            );
                        }
                    } else if matches!(node, NodeKey::Client(_) | NodeKey::Service(_)) {
                        doc.layout.insert(
                            node.layout_key(),
                            PositionDoc {
                                x: x.round(),
                                y: y.round(),
                                w: None,
                                h: None,
                            },
                        );
                    }
                    ctx.dispatch(Action::Apply {
                        label,
                        doc,
                        select: Some(node),
                    });
                }
                Err(reason) => ctx.dispatch(Action::Refuse(reason)),
            }
        })
    };
    let onwheel = {
        let ctx = ctx.clone();
        let svg_ref = svg_ref.clone();
        Callback::from(move |e: WheelEvent| {
            let Some(svg) = svg_ref.cast::<web_sys::Element>() else {
                return;
            };
            let (px, py) = svg_point(&svg, view, f64::from(e.client_x()), f64::from(e.client_y()));
            let factor = if e.delta_y() < 0.0 { 1.1 } else { 1.0 / 1.1 };
            let zoom = clamp(view.zoom * factor, 0.2, 4.0);
            // Keep the point under the pointer still.
            ctx.dispatch(Action::SetView(View {
                x: px - (px - view.x) * view.zoom / zoom,
                y: py - (py - view.y) * view.zoom / zoom,
                zoom,
            }));
        })
    };
    let zoom_by = |factor: f64| {
        let ctx = ctx.clone();
        Callback::from(move |_| {
            ctx.dispatch(Action::SetView(View {
                zoom: view.zoom * factor,
                ..view
            }))
        })
    };
    let fit = {
        let ctx = ctx.clone();
        let svg_ref = svg_ref.clone();
        let diagram = diagram.clone();
        Callback::from(move |_| {
            let Some(svg) = svg_ref.cast::<web_sys::Element>() else {
                return;
            };
            let rect = svg.get_bounding_client_rect();
            let zoom = clamp(
                (rect.width() / diagram.width.max(1.0))
                    .min(rect.height() / diagram.height.max(1.0)),
                0.2,
                2.0,
            );
            ctx.dispatch(Action::SetView(View {
                x: 0.0,
                y: 0.0,
                zoom,
            }));
        })
    };

    let node_view = |b: &NodeBox| -> Html {
        let Some(key) = b.key.clone() else {
            return html! {
                <g class={classes!("band", format!("band-{}", b.class))} data-testid={format!("band-{}", b.class)}>
                    <rect x={svg_num(b.x)} y={svg_num(b.y)} width={svg_num(b.w)} height={svg_num(b.h)} rx="10" />
                    <text x={svg_num(b.x + 10.0)} y={svg_num(b.y + 20.0)} class="band-label">{ &b.label }</text>
                    <text x={svg_num(b.x + 10.0)} y={svg_num(b.y + 36.0)} class="detail">{ &b.detail }</text>
                </g>
            };
        };
        let onpointerdown = {
            let drag = drag.clone();
            let svg_ref = svg_ref.clone();
            let key = key.clone();
            let (bx, by) = (b.x, b.y);
            Callback::from(move |e: PointerEvent| {
                if e.button() != 0 {
                    return;
                }
                e.stop_propagation();
                let Some(svg) = svg_ref.cast::<web_sys::Element>() else {
                    return;
                };
                let _ = svg.set_pointer_capture(e.pointer_id());
                let at = svg_point(&svg, view, f64::from(e.client_x()), f64::from(e.client_y()));
                drag.set(Some(Drag {
                    node: Some(key.clone()),
                    start_client: (f64::from(e.client_x()), f64::from(e.client_y())),
                    start_view: view,
                    grab: (at.0 - bx, at.1 - by),
                    at,
                    moved: false,
                }));
            })
        };
        let onkeydown = {
            let ctx = ctx.clone();
            let key = key.clone();
            Callback::from(move |e: KeyboardEvent| {
                if e.key() == "Enter" || e.key() == " " {
                    e.prevent_default();
                    ctx.dispatch(Action::Select(Some(key.clone())));
                }
            })
        };
        let is_selected = selected.as_ref() == Some(&key);
        let path_class = highlight.get(&b.id).copied();
        let container = b.shape == Shape::Container;
        let label = format!(
            "{} {}{}",
            key.kind_label(),
            b.label,
            if b.detail.is_empty() {
                String::new()
            } else {
                format!(", {}", b.detail)
            }
        );
        let short = |s: &str, n: usize| {
            if s.chars().count() > n {
                format!("{}…", s.chars().take(n - 1).collect::<String>())
            } else {
                s.to_string()
            }
        };
        let width_chars = ((b.w - 16.0) / 6.6).max(8.0) as usize;
        html! {
            <g class={classes!("node", format!("kind-{}", b.class), container.then_some("container"), is_selected.then_some("selected"), path_class)}
               role="button" tabindex="0" aria-label={label} aria-pressed={is_selected.to_string()}
               data-testid={format!("node-{}", b.id)} {onpointerdown} {onkeydown}>
                <rect x={svg_num(b.x)} y={svg_num(b.y)} width={svg_num(b.w)} height={svg_num(b.h)} rx={if container { "8" } else { "6" }} />
                <text x={svg_num(b.x + 10.0)} y={svg_num(b.y + 19.0)} class="label">{ short(&b.label, width_chars) }</text>
                <text x={svg_num(b.x + 10.0)} y={svg_num(b.y + 34.0)} class="detail">{ short(&b.detail, width_chars + 4) }</text>
            </g>
        }
    };

    let ghost = (*drag).as_ref().filter(|d| d.moved).and_then(|d| {
        let key = d.node.as_ref()?;
        let b = diagram.node(&key.layout_key())?;
        Some(html! { <rect class="ghost" x={svg_num(d.at.0 - d.grab.0)} y={svg_num(d.at.1 - d.grab.1)} width={svg_num(b.w.min(260.0))} height={svg_num(b.h.min(120.0))} rx="6" /> })
    });

    let transform = format!(
        "scale({}) translate({} {})",
        svg_num(view.zoom),
        svg_num(-view.x),
        svg_num(-view.y)
    );
    html! {
        <section class="canvas-wrap" aria-label="Network diagram">
            <svg ref={svg_ref.clone()} class={classes!("canvas", ctx.state().picking.is_some().then_some("picking"))} data-testid="canvas" role="application" aria-roledescription="network diagram"
                 onpointerdown={onpointerdown_bg} {onpointermove} {onpointerup} {ondragover} {ondrop} {onwheel}>
                <defs>
                    <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
                        <path d="M 0 0 L 10 5 L 0 10 z" class="arrowhead" />
                    </marker>
                </defs>
                <g transform={transform}>
                    { for diagram.nodes.iter().filter(|n| n.shape != Shape::Leaf).map(node_view) }
                    { for diagram.edges.iter().filter_map(|e| {
                        let (a, b) = (diagram.node(&e.from)?, diagram.node(&e.to)?);
                        let ((x1, y1), (x2, y2)) = (a.centre(), b.centre());
                        Some(html! { <line class={classes!("edge", format!("edge-{}", e.class))} x1={svg_num(x1)} y1={svg_num(y1)} x2={svg_num(x2)} y2={svg_num(y2)} /> })
                    }) }
                    { for diagram.nodes.iter().filter(|n| n.shape == Shape::Leaf).map(node_view) }
                    <PacketLayer diagram={SharedDiagram(diagram.clone())} />
                    { for ghost }
                </g>
            </svg>
            <div class="zoom-controls" role="group" aria-label="Zoom">
                <button onclick={zoom_by(1.2)} aria-label="Zoom in" data-testid="zoom-in">{ "+" }</button>
                <button onclick={zoom_by(1.0 / 1.2)} aria-label="Zoom out" data-testid="zoom-out">{ "−" }</button>
                <button onclick={fit} aria-label="Fit to view" data-testid="fit">{ "Fit" }</button>
            </div>
        </section>
    }
}
