//! The palette: drag a resource kind onto the canvas (or press Enter to add
//! it to the selected container).

use yew::prelude::*;

use crate::app::Ctx;
use crate::edit::{NewKind, add};
use crate::state::Action;

/// Drag data prefix for palette items.
pub const DRAG_PREFIX: &str = "netsec-new:";

/// The palette.
#[component]
pub fn Palette() -> Html {
    let Some(ctx) = use_context::<Ctx>() else {
        return html! {};
    };
    html! {
        <nav class="palette" aria-label="Add resources">
            <h2>{ "Add" }</h2>
            <p class="hint">{ "Drag onto the canvas, or select a container and press Enter." }</p>
            { for NewKind::ALL.iter().map(|kind| {
                let kind = *kind;
                let ondragstart = Callback::from(move |e: DragEvent| {
                    if let Some(dt) = e.data_transfer() {
                        let _ = dt.set_data("text/plain", &format!("{DRAG_PREFIX}{}", kind.id()));
                        dt.set_effect_allowed("copy");
                    }
                });
                let ctx2 = ctx.clone();
                let add_here = Callback::from(move |e: KeyboardEvent| {
                    if e.key() != "Enter" && e.key() != " " { return; }
                    e.prevent_default();
                    let parent = ctx2.state().selected.clone();
                    match add(ctx2.doc(), kind, parent.as_ref()) {
                        Ok((doc, node)) => ctx2.dispatch(Action::Apply { label: format!("add {}", node.name()), doc, select: Some(node) }),
                        Err(e) => ctx2.dispatch(Action::Refuse(e)),
                    }
                });
                html! {
                    <div class={classes!("palette-item", format!("kind-{}", kind.id()))} draggable="true" tabindex="0" role="button"
                         aria-label={format!("Add {}", kind.label())} data-testid={format!("palette-{}", kind.id())}
                         {ondragstart} onkeydown={add_here}>
                        <span class="icon" aria-hidden="true"></span>{ kind.label() }
                    </div>
                }
            }) }
        </nav>
    }
}
