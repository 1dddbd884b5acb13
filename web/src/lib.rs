//! # netsec-web: the playground's front end
//!
//! A Yew application over the engine: the user edits a scenario document on
//! an SVG canvas and in editors; every edit goes through one store
//! ([`state`]: `State` + `Action` + a pure `reduce`), is validated by building
//! the engine's network from the document ([`netsec_import::scenario::build`]),
//! and is traced layer by layer by [`netsec_engine::path`]. The web crate holds
//! no Azure rule: it converts at the edge and draws.
//!
//! - [`state`]: the store. [`edit`]: pure document edits (add, reparent,
//!   attach, delete, next free address). [`geometry`]: pure layout.
//! - [`persist`]: share links, autosave, files. [`gallery`]: built-in scenarios.
//! - [`player`]: the packet animation as a pure timeline and a small reducer;
//!   the app's animation-frame loop only feeds it time.
//! - [`components`]: one component per file; [`app`] wires them.
//! - [`import_worker`]: imports and exports, run in a Web Worker so the
//!   importers stay out of this bundle and off the page's thread.

pub mod app;
pub mod components;
pub mod deflate;
pub mod edit;
pub mod gallery;
pub mod geometry;
pub mod import_worker;
pub mod persist;
pub mod player;
pub mod presets;
pub mod state;

/// Mounts the app on the page's body.
pub fn start() {
    yew::Renderer::<app::App>::new().render();
}
