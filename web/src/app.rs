//! The root component: owns the store, derives the engine's network from the
//! document, and runs the side effects (autosave, share-link reading,
//! keyboard shortcuts).

use std::rc::Rc;

use gloo::events::EventListener;
use netsec_engine::Network;
use netsec_import::scenario::doc::ScenarioDoc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::components::{Banner, Canvas, FlowsPanel, ImportDialog, Inspector, Palette, Toolbar};
use crate::player::{Player, PlayerAction};
use crate::state::{Action, State, Store};

/// The animation player's store, provided to the canvas and the trace.
pub type PlayerCtx = UseReducerHandle<Player>;

/// The player's dispatcher alone: stable across ticks, for components that
/// only send commands and must not re-render on every frame.
pub type PlayerDispatch = UseReducerDispatcher<Player>;

/// What the page's URL asks for (`?embed=1&scenario=...&flow=...&autoplay=1`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct UrlOptions {
    /// Compact, read-only chrome for documentation pages.
    pub embed: bool,
    /// A built-in scenario id.
    pub scenario: Option<String>,
    /// A flow, by name or index.
    pub flow: Option<String>,
    /// Start the animation at once.
    pub autoplay: bool,
}

impl UrlOptions {
    /// Reads a query string (`?a=b&c=d`).
    pub fn parse(query: &str) -> Self {
        let mut o = UrlOptions::default();
        for pair in query
            .trim_start_matches('?')
            .split('&')
            .filter(|p| !p.is_empty())
        {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let v = js_sys::decode_uri_component(&v.replace('+', " "))
                .ok()
                .and_then(|s| s.as_string())
                .unwrap_or_else(|| v.to_string());
            match k {
                "embed" => o.embed = v != "0" && v != "false",
                "scenario" => o.scenario = Some(v),
                "flow" => o.flow = Some(v),
                "autoplay" => o.autoplay = v != "0" && v != "false",
                _ => {}
            }
        }
        o
    }

    fn from_page() -> Self {
        Self::parse(
            &web_sys::window()
                .and_then(|w| w.location().search().ok())
                .unwrap_or_default(),
        )
    }
}

/// The flow a URL names, by index or name.
fn flow_index(doc: &ScenarioDoc, wanted: &str) -> Option<usize> {
    wanted
        .parse::<usize>()
        .ok()
        .filter(|i| *i < doc.flows.len())
        .or_else(|| {
            doc.flows
                .iter()
                .position(|f| f.name.eq_ignore_ascii_case(wanted))
        })
}
use crate::{gallery, persist};

/// The document as the engine sees it: a network, or the first error with
/// its JSON path, and the trace of every flow (computed once per edit).
#[derive(Clone)]
pub struct Built {
    /// The network, when the document is valid.
    pub network: Option<Rc<Network>>,
    /// The error's JSON path and message.
    pub error: Option<(String, String)>,
    /// The last valid network (drawn and traced while the document is invalid).
    pub last_good: Option<Rc<Network>>,
    /// The trace of each of the document's flows, in order.
    pub traces: Vec<Result<netsec_engine::Trace, String>>,
}

/// Traces every flow of `doc` on `net`.
fn trace_all(
    doc: &ScenarioDoc,
    net: Option<&Network>,
) -> Vec<Result<netsec_engine::Trace, String>> {
    doc.flows
        .iter()
        .map(|f| {
            let net = net.ok_or("the scenario has an error; fix it to trace flows")?;
            let (flow, host) = netsec_import::flow_from_doc(doc, net, f)?;
            let start = netsec_import::endpoint_nic(net, &f.source);
            Ok(netsec_engine::path::trace_from(
                net,
                &flow,
                host.as_deref(),
                start,
            ))
        })
        .collect()
}

/// What every component reads: the store and the built network.
#[derive(Clone)]
pub struct Ctx {
    /// The store.
    pub store: UseReducerHandle<Store>,
    /// The derived network.
    pub built: Rc<Built>,
}

impl PartialEq for Ctx {
    fn eq(&self, other: &Self) -> bool {
        self.store == other.store && Rc::ptr_eq(&self.built, &other.built)
    }
}

impl Ctx {
    /// Dispatches an action.
    pub fn dispatch(&self, action: Action) {
        self.store.dispatch(action);
    }

    /// Dispatches an edited copy of the document as one undo step, selecting
    /// nothing. Never inlined: the editors call it from dozens of closures.
    #[inline(never)]
    pub fn apply_doc(&self, label: &str, doc: ScenarioDoc) {
        self.dispatch(Action::Apply {
            label: label.to_string(),
            doc,
            select: None,
        });
    }

    /// The current document.
    pub fn doc(&self) -> &ScenarioDoc {
        &self.store.0.doc
    }

    /// The state.
    pub fn state(&self) -> &State {
        &self.store.0
    }

    /// The network to draw and trace (the current one, or the last valid one).
    pub fn network(&self) -> Option<&Rc<Network>> {
        self.built
            .network
            .as_ref()
            .or(self.built.last_good.as_ref())
    }

    /// The trace of flow `i` of the document.
    pub fn trace(&self, i: usize) -> Option<&Result<netsec_engine::Trace, String>> {
        self.built.traces.get(i)
    }

    /// The validation error at `path` or below it.
    pub fn error_at(&self, path: &str) -> Option<String> {
        let (at, message) = self.built.error.as_ref()?;
        (at == path || at.starts_with(&format!("{path}.")) || at.starts_with(&format!("{path}[")))
            .then(|| message.clone())
    }
}

fn default_doc() -> ScenarioDoc {
    gallery::find(gallery::DEFAULT)
        .and_then(|text| netsec_import::load_scenario(text).ok())
        .map(|l| l.doc)
        .unwrap_or_default()
}

/// The first state: URL options, then a share link in the URL, else the
/// autosave, else the default scenario.
fn initial_state(options: &UrlOptions) -> State {
    let mut s = initial_document(options);
    s.read_only = options.embed;
    if let Some(i) = options.flow.as_deref().and_then(|f| flow_index(&s.doc, f)) {
        s.active_flow = Some(i);
    }
    s
}

fn initial_document(options: &UrlOptions) -> State {
    let has_link = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
        .starts_with("#s=");
    if let (Some(id), false) = (&options.scenario, has_link) {
        return match gallery::find(id).and_then(|t| netsec_import::load_scenario(t).ok()) {
            Some(l) => State::new(l.doc),
            None => {
                let mut s = State::new(default_doc());
                s.banner = Some(crate::state::Banner {
                    error: true,
                    text: format!(
                        "There is no built-in scenario called '{id}'; showing the default one."
                    ),
                });
                s
            }
        };
    }
    let fragment = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    if fragment.starts_with(&format!("#{}", persist::FRAGMENT_PREFIX)) {
        return match persist::decode_share(&fragment) {
            Ok(doc) => {
                let mut s = State::new(doc);
                s.banner = Some(crate::state::Banner {
                    error: false,
                    text: String::from("Opened the scenario from the shared link."),
                });
                s
            }
            Err(e) => {
                let mut s = State::new(saved_or_default());
                s.banner = Some(crate::state::Banner {
                    error: true,
                    text: format!(
                        "Could not open the shared link: {e}. Your own work is unchanged."
                    ),
                });
                s
            }
        };
    }
    State::new(saved_or_default())
}

fn saved_or_default() -> ScenarioDoc {
    persist::read_autosave()
        .and_then(|text| netsec_import::load_scenario(&text).ok())
        .map(|l| l.doc)
        .unwrap_or_else(default_doc)
}

/// The playground.
#[component]
pub fn App() -> Html {
    let options = use_memo((), |_| UrlOptions::from_page());
    let store = {
        let options = options.clone();
        use_reducer(move || Store(initial_state(&options)))
    };
    let player = use_reducer(Player::default);
    let last_good = use_mut_ref(|| None::<Rc<Network>>);
    let doc = store.0.doc.clone();
    let built = {
        let last_good = last_good.clone();
        use_memo(doc, move |doc| {
            let result = netsec_import::scenario::build::build(doc);
            let previous = last_good.borrow().clone();
            match result {
                Ok(net) => {
                    let net = Rc::new(net);
                    *last_good.borrow_mut() = Some(net.clone());
                    let traces = trace_all(doc, Some(&net));
                    Rc::new(Built {
                        network: Some(net),
                        error: None,
                        last_good: previous,
                        traces,
                    })
                }
                Err(e) => {
                    let traces = trace_all(doc, previous.as_deref());
                    Rc::new(Built {
                        network: None,
                        error: Some((e.location().to_string(), e.message().to_string())),
                        last_good: previous,
                        traces,
                    })
                }
            }
        })
    };

    // Autosave after every change of the document (not in an embed: a
    // documentation page must not overwrite the reader's own work).
    {
        let doc = store.0.doc.clone();
        let embed = options.embed;
        use_effect_with(store.0.revision, move |_| {
            if !embed {
                persist::write_autosave(&netsec_import::to_scenario_json(&doc));
            }
        });
    }

    // Reduced motion: follow the user's system setting.
    {
        let player = player.clone();
        use_effect_with((), move |_| {
            let reduced = web_sys::window()
                .and_then(|w| {
                    w.match_media("(prefers-reduced-motion: reduce)")
                        .ok()
                        .flatten()
                })
                .is_some_and(|m| m.matches());
            player.dispatch(PlayerAction::SetReduced(reduced));
        });
    }

    // The animation clock: one frame request at a time while playing; the
    // handle is owned here, so pausing or unmounting cancels it.
    {
        let player = player.clone();
        use_effect_with(player.0.playing, move |playing| {
            let handle: Rc<std::cell::RefCell<Option<gloo::render::AnimationFrame>>> =
                Rc::default();
            if *playing {
                schedule_frame(handle.clone(), Rc::new(std::cell::Cell::new(None)), player);
            }
            move || {
                handle.borrow_mut().take();
            }
        });
    }

    // Keyboard: undo/redo everywhere; Delete on the selection when not typing.
    {
        let store = store.clone();
        use_effect_with((), move |_| {
            let listener = web_sys::window().map(|w| {
                // Not passive (gloo's default): Ctrl+Z and Delete prevent the browser's own action.
                EventListener::new_with_options(
                    &w,
                    "keydown",
                    gloo::events::EventListenerOptions::enable_prevent_default(),
                    move |e| {
                        let Some(e) = e.dyn_ref::<KeyboardEvent>() else {
                            return;
                        };
                        let typing = e
                            .target()
                            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                            .is_some_and(|el| {
                                matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                            });
                        let key = e.key();
                        if (e.ctrl_key() || e.meta_key())
                            && key.eq_ignore_ascii_case("z")
                            && !typing
                        {
                            e.prevent_default();
                            store.dispatch(if e.shift_key() {
                                Action::Redo
                            } else {
                                Action::Undo
                            });
                        } else if (e.ctrl_key() || e.meta_key())
                            && key.eq_ignore_ascii_case("y")
                            && !typing
                        {
                            e.prevent_default();
                            store.dispatch(Action::Redo);
                        } else if (key == "Delete" || key == "Backspace") && !typing {
                            if let Some(node) = store.0.selected.clone() {
                                e.prevent_default();
                                let doc = crate::edit::delete(&store.0.doc, &node);
                                store.dispatch(Action::Apply {
                                    label: format!("delete {}", node.name()),
                                    doc,
                                    select: None,
                                });
                                store.dispatch(Action::Select(None));
                            }
                        } else if key == "Escape" {
                            store.dispatch(Action::Select(None));
                        }
                    },
                )
            });
            move || drop(listener)
        });
    }

    // A share link pasted into this tab changes only the fragment: read it too.
    {
        let store = store.clone();
        use_effect_with((), move |_| {
            let listener = web_sys::window().map(|w| {
                EventListener::new(&w, "hashchange", move |_| {
                    let fragment = web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default();
                    if !fragment.starts_with(&format!("#{}", persist::FRAGMENT_PREFIX)) {
                        return;
                    }
                    match persist::decode_share(&fragment) {
                        Ok(doc) => {
                            store.dispatch(Action::Apply { label: String::from("open a shared link"), doc, select: None });
                            store.dispatch(Action::Inform(String::from("Opened the scenario from the shared link (Undo brings your previous work back).")));
                        }
                        Err(e) => store.dispatch(Action::Refuse(format!("Could not open the shared link: {e}. Your own work is unchanged."))),
                    }
                })
            });
            move || drop(listener)
        });
    }

    // An embed with autoplay starts its flow once.
    {
        let player = player.clone();
        let autoplay = options.autoplay && store.0.active_flow.is_some();
        use_effect_with((), move |_| {
            if autoplay {
                player.dispatch(PlayerAction::Play);
            }
        });
    }

    // Dropping a file anywhere on the page imports it (after its report).
    let ondragover = Callback::from(|e: DragEvent| e.prevent_default());
    let reader = use_mut_ref(|| None::<gloo::file::callbacks::FileReader>);
    let ondrop = {
        let store = store.clone();
        let built = built.clone();
        Callback::from(move |e: DragEvent| {
            let Some(file) = e
                .data_transfer()
                .and_then(|d| d.files())
                .and_then(|f| f.get(0))
            else {
                return;
            };
            e.prevent_default();
            let file = gloo::file::File::from(file);
            let name = file.name();
            let ctx = Ctx {
                store: store.clone(),
                built: (*built).clone(),
            };
            *reader.borrow_mut() =
                Some(gloo::file::callbacks::read_as_text(
                    &file,
                    move |text| match text {
                        Ok(text) => crate::components::import_text(&ctx, &name, &text),
                        Err(_) => ctx.dispatch(Action::Refuse(format!(
                            "Could not read {name}: it is not a text file. Your work is unchanged."
                        ))),
                    },
                ));
        })
    };

    let ctx = Ctx {
        store: store.clone(),
        built: (*built).clone(),
    };
    let theme = use_state(|| String::from("light"));
    // A stable callback, so the toolbar does not re-render on every animation frame.
    let on_theme = {
        let theme = theme.setter();
        use_callback((), move |t: String, _| theme.set(t))
    };
    let embed = options.embed;
    html! {
        <ContextProvider<Ctx> context={ctx}>
        <ContextProvider<PlayerDispatch> context={player.dispatcher()}>
        <ContextProvider<PlayerCtx> context={player}>
            <div class={classes!("app", format!("theme-{}", *theme), embed.then_some("embed"))} data-testid="app" {ondragover} {ondrop}>
                if embed {
                    <EmbedBar />
                } else {
                    <Toolbar theme={(*theme).clone()} on_theme={on_theme} />
                }
                <Banner />
                <ImportDialog />
                <main class="workspace">
                    if !embed { <Palette /> }
                    <Canvas />
                    <aside class="side" aria-label="Details">
                        if !embed { <Inspector /> }
                        <FlowsPanel />
                    </aside>
                </main>
            </div>
        </ContextProvider<PlayerCtx>>
        </ContextProvider<PlayerDispatch>>
        </ContextProvider<Ctx>>
    }
}

/// Requests the next animation frame and feeds the elapsed time to the player.
fn schedule_frame(
    handle: Rc<std::cell::RefCell<Option<gloo::render::AnimationFrame>>>,
    last: Rc<std::cell::Cell<Option<f64>>>,
    player: PlayerCtx,
) {
    let next = handle.clone();
    let frame = gloo::render::request_animation_frame(move |now| {
        if let Some(before) = last.get() {
            player.dispatch(PlayerAction::Tick(now - before));
        }
        last.set(Some(now));
        // The handle was taken (paused or unmounted): stop here.
        if next.borrow().is_some() {
            schedule_frame(next.clone(), last.clone(), player.clone());
        }
    });
    *handle.borrow_mut() = Some(frame);
}

/// The compact header of an embed: the title and a way out to the full playground.
#[component]
fn EmbedBar() -> Html {
    let Some(ctx) = use_context::<Ctx>() else {
        return html! {};
    };
    let full = web_sys::window()
        .and_then(|w| w.location().href().ok())
        .map(|h| {
            let (base, fragment) = h.split_once('#').map_or((h.as_str(), ""), |(b, f)| (b, f));
            let base = base.split('?').next().unwrap_or(base);
            let fragment = if fragment.is_empty() {
                persist::encode_share(ctx.doc())
            } else {
                fragment.to_string()
            };
            format!("{base}#{fragment}")
        });
    html! {
        <header class="toolbar embed-bar" data-testid="embed-bar">
            <h1 class="brand">{ &ctx.doc().title }</h1>
            <span class="badge">{ "read-only" }</span>
            if let Some(href) = full { <a href={href} target="_blank" rel="noopener" data-testid="open-full">{ "Open in the playground ↗" }</a> }
        </header>
    }
}
