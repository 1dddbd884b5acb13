//! The root component: owns the store, derives the engine's network from the
//! document, and runs the side effects (autosave, share-link reading,
//! keyboard shortcuts).

use std::rc::Rc;

use gloo::events::EventListener;
use gloo::storage::{LocalStorage, Storage};
use netsec_engine::Network;
use netsec_import::scenario::doc::ScenarioDoc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::components::{Banner, Canvas, FlowsPanel, ImportDialog, Inspector, Palette, Toolbar};
use crate::state::{Action, State, Store};
use crate::{gallery, persist};

/// The document as the engine sees it: a network, or the first error with its JSON path.
#[derive(Clone)]
pub struct Built {
    /// The network, when the document is valid.
    pub network: Option<Rc<Network>>,
    /// The error's JSON path and message.
    pub error: Option<(String, String)>,
    /// The last valid network (drawn and traced while the document is invalid).
    pub last_good: Option<Rc<Network>>,
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

/// The first document: a share link in the URL, else the autosave, else the default scenario.
fn initial_state() -> State {
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
    let saved: Option<String> = LocalStorage::get(persist::AUTOSAVE_KEY).ok();
    saved
        .and_then(|text| netsec_import::load_scenario(&text).ok())
        .map(|l| l.doc)
        .unwrap_or_else(default_doc)
}

/// The playground.
#[component]
pub fn App() -> Html {
    let store = use_reducer(|| Store(initial_state()));
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
                    Rc::new(Built {
                        network: Some(net),
                        error: None,
                        last_good: previous,
                    })
                }
                Err(e) => Rc::new(Built {
                    network: None,
                    error: Some((e.location().to_string(), e.to_string())),
                    last_good: previous,
                }),
            }
        })
    };

    // Autosave after every change of the document.
    {
        let doc = store.0.doc.clone();
        use_effect_with(store.0.revision, move |_| {
            let _ = LocalStorage::set(persist::AUTOSAVE_KEY, netsec_import::to_scenario_json(&doc));
        });
    }

    // Keyboard: undo/redo everywhere; Delete on the selection when not typing.
    {
        let store = store.clone();
        use_effect_with((), move |_| {
            let listener = web_sys::window().map(|w| {
                EventListener::new(&w, "keydown", move |e| {
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
                    if (e.ctrl_key() || e.meta_key()) && key.eq_ignore_ascii_case("z") && !typing {
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
                })
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

    let ctx = Ctx {
        store: store.clone(),
        built: (*built).clone(),
    };
    let theme = use_state(|| String::from("light"));
    html! {
        <ContextProvider<Ctx> context={ctx}>
            <div class={classes!("app", format!("theme-{}", *theme))} data-testid="app">
                <Toolbar theme={(*theme).clone()} on_theme={Callback::from(move |t: String| theme.set(t))} />
                <Banner />
                <ImportDialog />
                <main class="workspace">
                    <Palette />
                    <Canvas />
                    <aside class="side" aria-label="Details">
                        <Inspector />
                        <FlowsPanel />
                    </aside>
                </main>
            </div>
        </ContextProvider<Ctx>>
    }
}
