//! The playground's one store: [`State`], the [`Action`]s views dispatch, and
//! the pure [`reduce`]. Side effects (storage, URL, files) live in effects
//! hooks, never here, so the reducer is tested natively.

use std::rc::Rc;

use netsec_import::scenario::doc::ScenarioDoc;

use crate::edit::NodeKey;

/// How many edits undo remembers.
const UNDO_DEPTH: usize = 200;

/// The visible part of the canvas.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct View {
    /// Left edge, in diagram units.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Zoom factor (1 = one diagram unit per pixel).
    pub zoom: f64,
}

impl Default for View {
    fn default() -> Self {
        Self {
            x: 0.0,
            y: 0.0,
            zoom: 1.0,
        }
    }
}

/// A message for the user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Banner {
    /// Error or information.
    pub error: bool,
    /// The sentence.
    pub text: String,
}

/// An import waiting for the user's go-ahead, with its report.
#[derive(Clone, Debug, PartialEq)]
pub struct PendingImport {
    /// The imported document.
    pub doc: ScenarioDoc,
    /// Where it came from (file name, "shared link").
    pub source: String,
    /// What was imported, skipped, assumed.
    pub report: Vec<String>,
}

/// Which end of a new flow a canvas click picks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PickTarget {
    /// The source.
    Source,
    /// The destination.
    Destination,
}

/// The flow being composed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlowDraft {
    /// Source endpoint (`vm/web`, `client/laptop`, an IP).
    pub source: String,
    /// Destination endpoint.
    pub destination: String,
    /// Protocol (`Tcp`, ...).
    pub protocol: String,
    /// Destination port, as typed.
    pub port: String,
}

impl Default for FlowDraft {
    fn default() -> Self {
        Self {
            source: String::new(),
            destination: String::new(),
            protocol: String::from("Tcp"),
            port: String::from("443"),
        }
    }
}

/// The endpoint text of a canvas node, for flows (`vm/web`); `None` for
/// nodes that are not flow endpoints.
pub fn endpoint_of(node: &NodeKey) -> Option<String> {
    match node {
        NodeKey::Vm(n) => Some(format!("vm/{n}")),
        NodeKey::Nic(n) => Some(format!("nic/{n}")),
        NodeKey::Client(n) => Some(format!("client/{n}")),
        NodeKey::Service(n) => Some(format!("service/{n}")),
        NodeKey::PrivateEndpoint(n) => Some(format!("pe/{n}")),
        NodeKey::PublicIp(n) => Some(format!("pip/{n}")),
        NodeKey::LoadBalancer(n) => Some(format!("lb/{n}")),
        NodeKey::Firewall(n) => Some(format!("firewall/{n}")),
        _ => None,
    }
}

/// Everything the playground shows.
#[derive(Clone, Debug, PartialEq)]
pub struct State {
    /// The scenario being edited.
    pub doc: Rc<ScenarioDoc>,
    /// Earlier documents with the label of the edit that left them.
    pub undo: Vec<(String, Rc<ScenarioDoc>)>,
    /// Undone documents, for redo.
    pub redo: Vec<(String, Rc<ScenarioDoc>)>,
    /// The selected resource.
    pub selected: Option<NodeKey>,
    /// Pan and zoom.
    pub view: View,
    /// The current message.
    pub banner: Option<Banner>,
    /// An import shown for confirmation.
    pub pending: Option<PendingImport>,
    /// Bumped on every document change (autosave, flows re-run).
    pub revision: u64,
    /// The flow being traced (index into `doc.flows`).
    pub active_flow: Option<usize>,
    /// A rule to highlight in its NSG editor: (NSG name, rule name).
    pub focus_rule: Option<(String, String)>,
    /// Embedded in a page read-only: edits are refused.
    pub read_only: bool,
    /// The flow being composed.
    pub draft: FlowDraft,
    /// Whether canvas clicks pick the draft's endpoints.
    pub picking: Option<PickTarget>,
}

impl State {
    /// A store holding `doc`.
    pub fn new(doc: ScenarioDoc) -> Self {
        Self {
            doc: Rc::new(doc),
            undo: Vec::new(),
            redo: Vec::new(),
            selected: None,
            view: View::default(),
            banner: None,
            pending: None,
            revision: 0,
            active_flow: None,
            focus_rule: None,
            read_only: false,
            draft: FlowDraft::default(),
            picking: None,
        }
    }
}

/// What views can ask for.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Replace the document with an edited one (undoable).
    Apply {
        /// What the edit did, for the undo button's title.
        label: String,
        /// The new document.
        doc: ScenarioDoc,
        /// What to select afterwards.
        select: Option<NodeKey>,
    },
    /// An edit was refused: say why, change nothing.
    Refuse(String),
    /// Say something.
    Inform(String),
    /// Hide the message.
    Dismiss,
    /// Step back one edit.
    Undo,
    /// Step forward one edit.
    Redo,
    /// Select a resource (or nothing).
    Select(Option<NodeKey>),
    /// Set pan and zoom.
    SetView(View),
    /// Show an import's report before applying it.
    OfferImport(PendingImport),
    /// Apply the pending import (undoable in one step).
    AcceptImport,
    /// Drop the pending import.
    RejectImport,
    /// Trace this flow.
    SelectFlow(Option<usize>),
    /// Edit the flow being composed.
    SetDraft(FlowDraft),
    /// Let canvas clicks pick an endpoint (or stop picking).
    StartPick(Option<PickTarget>),
    /// A node was clicked while picking.
    Picked(NodeKey),
    /// Open an NSG's editor on one rule (from a trace's deciding rule).
    FocusRule {
        /// NSG name.
        nsg: String,
        /// Rule name, without prefix.
        rule: String,
    },
}

/// The one place state changes.
pub fn reduce(state: &State, action: Action) -> State {
    let mut s = state.clone();
    match action {
        Action::Apply { .. } | Action::OfferImport(_) if s.read_only => {
            s.banner = Some(Banner {
                error: true,
                text: String::from(
                    "This embedded playground is read-only; open it in full to edit.",
                ),
            });
        }
        Action::Apply { label, doc, select } => {
            if doc == *s.doc {
                return s;
            }
            let old = std::mem::replace(&mut s.doc, Rc::new(doc));
            s.undo.push((label, old));
            if s.undo.len() > UNDO_DEPTH {
                s.undo.remove(0);
            }
            s.redo.clear();
            s.revision += 1;
            if select.is_some() {
                s.selected = select;
            }
            s.banner = None;
            s.active_flow = s.active_flow.filter(|i| *i < s.doc.flows.len());
        }
        Action::Refuse(text) => s.banner = Some(Banner { error: true, text }),
        Action::Inform(text) => s.banner = Some(Banner { error: false, text }),
        Action::Dismiss => s.banner = None,
        Action::Undo => {
            if let Some((label, doc)) = s.undo.pop() {
                let current = std::mem::replace(&mut s.doc, doc);
                s.redo.push((label.clone(), current));
                s.revision += 1;
                s.banner = Some(Banner {
                    error: false,
                    text: format!("Undid: {label}"),
                });
                s.active_flow = s.active_flow.filter(|i| *i < s.doc.flows.len());
            }
        }
        Action::Redo => {
            if let Some((label, doc)) = s.redo.pop() {
                let current = std::mem::replace(&mut s.doc, doc);
                s.undo.push((label.clone(), current));
                s.revision += 1;
                s.banner = Some(Banner {
                    error: false,
                    text: format!("Redid: {label}"),
                });
                s.active_flow = s.active_flow.filter(|i| *i < s.doc.flows.len());
            }
        }
        Action::Select(node) => {
            s.focus_rule = None;
            s.selected = node;
        }
        Action::SetView(view) => {
            let zoom = if view.zoom.is_finite() {
                crate::geometry::clamp(view.zoom, 0.2, 4.0)
            } else {
                1.0
            };
            let finite = |v: f64| if v.is_finite() { v } else { 0.0 };
            s.view = View {
                x: finite(view.x),
                y: finite(view.y),
                zoom,
            };
        }
        Action::OfferImport(p) => s.pending = Some(p),
        Action::AcceptImport => {
            if let Some(p) = s.pending.take() {
                let label = format!("import {}", p.source);
                return reduce(
                    &s,
                    Action::Apply {
                        label,
                        doc: p.doc,
                        select: None,
                    },
                );
            }
        }
        Action::RejectImport => s.pending = None,
        Action::SelectFlow(i) => s.active_flow = i.filter(|i| *i < s.doc.flows.len()),
        Action::SetDraft(d) => s.draft = d,
        Action::StartPick(p) => s.picking = p,
        Action::Picked(node) => match (s.picking, endpoint_of(&node)) {
            (Some(PickTarget::Source), Some(e)) => {
                s.draft.source = e;
                s.picking = Some(PickTarget::Destination);
            }
            (Some(PickTarget::Destination), Some(e)) => {
                s.draft.destination = e;
                s.picking = None;
            }
            (Some(_), None) => {
                s.banner = Some(Banner {
                    error: true,
                    text: format!(
                        "a {} cannot send or receive a flow; pick a VM, a client, a public IP, a load balancer or a service",
                        node.kind_label().to_ascii_lowercase()
                    ),
                })
            }
            (None, _) => s.selected = Some(node),
        },
        Action::FocusRule { nsg, rule } => {
            s.selected = Some(NodeKey::Nsg(nsg.clone()));
            s.focus_rule = Some((nsg, rule));
        }
    }
    s
}

/// Yew's store wrapper around [`reduce`].
#[derive(Clone, Debug, PartialEq)]
pub struct Store(pub State);

impl yew::Reducible for Store {
    type Action = Action;
    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let next = reduce(&self.0, action);
        if next == self.0 {
            self
        } else {
            Rc::new(Store(next))
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    fn doc(title: &str) -> ScenarioDoc {
        ScenarioDoc {
            format: String::from("netsec-scenario"),
            version: 1,
            title: String::from(title),
            ..Default::default()
        }
    }

    #[test]
    fn apply_then_undo_then_redo() {
        let s = State::new(doc("a"));
        let s = reduce(
            &s,
            Action::Apply {
                label: String::from("rename"),
                doc: doc("b"),
                select: None,
            },
        );
        assert_eq!(s.doc.title, "b");
        let s = reduce(&s, Action::Undo);
        assert_eq!(s.doc.title, "a");
        let s = reduce(&s, Action::Redo);
        assert_eq!(s.doc.title, "b");
        assert_eq!(s.revision, 3);
    }

    #[test]
    fn a_new_edit_clears_redo_and_refusals_keep_the_document() {
        let s = State::new(doc("a"));
        let s = reduce(
            &s,
            Action::Apply {
                label: String::from("x"),
                doc: doc("b"),
                select: None,
            },
        );
        let s = reduce(&s, Action::Undo);
        let s = reduce(
            &s,
            Action::Apply {
                label: String::from("y"),
                doc: doc("c"),
                select: None,
            },
        );
        assert!(s.redo.is_empty());
        let s2 = reduce(&s, Action::Refuse(String::from("no")));
        assert_eq!(s2.doc, s.doc);
        assert!(s2.banner.unwrap().error);
    }

    #[test]
    fn import_waits_for_confirmation_and_undoes_in_one_step() {
        let s = State::new(doc("mine"));
        let s = reduce(
            &s,
            Action::OfferImport(PendingImport {
                doc: doc("theirs"),
                source: String::from("x.json"),
                report: vec![],
            }),
        );
        assert_eq!(s.doc.title, "mine");
        let s = reduce(&s, Action::AcceptImport);
        assert_eq!(s.doc.title, "theirs");
        let s = reduce(&s, Action::Undo);
        assert_eq!(s.doc.title, "mine");
    }

    #[test]
    fn picking_fills_source_then_destination() {
        let s = State::new(doc("a"));
        let s = reduce(&s, Action::StartPick(Some(PickTarget::Source)));
        let s = reduce(&s, Action::Picked(NodeKey::Client(String::from("laptop"))));
        assert_eq!(s.picking, Some(PickTarget::Destination));
        let s = reduce(&s, Action::Picked(NodeKey::Nsg(String::from("n"))));
        assert!(s.banner.clone().unwrap().error, "an NSG is not an endpoint");
        let s = reduce(&s, Action::Picked(NodeKey::Vm(String::from("web"))));
        assert_eq!(
            (
                s.draft.source.as_str(),
                s.draft.destination.as_str(),
                s.picking
            ),
            ("client/laptop", "vm/web", None)
        );
    }

    #[test]
    fn read_only_refuses_edits() {
        let mut s = State::new(doc("a"));
        s.read_only = true;
        let s = reduce(
            &s,
            Action::Apply {
                label: String::from("x"),
                doc: doc("b"),
                select: None,
            },
        );
        assert_eq!(s.doc.title, "a");
        assert!(s.banner.unwrap().text.contains("read-only"));
    }

    #[test]
    fn view_is_clamped_and_finite() {
        let s = reduce(
            &State::new(doc("a")),
            Action::SetView(View {
                x: f64::NAN,
                y: 1.0,
                zoom: 100.0,
            }),
        );
        assert_eq!(
            s.view,
            View {
                x: 0.0,
                y: 1.0,
                zoom: 4.0
            }
        );
    }
}
