//! The import report, shown before an import replaces anything.

use yew::prelude::*;

use crate::app::Ctx;
use crate::state::Action;

/// A modal with the pending import's report and Import / Cancel.
#[component]
pub fn ImportDialog() -> Html {
    let Some(ctx) = use_context::<Ctx>() else {
        return html! {};
    };
    let Some(pending) = ctx.state().pending.clone() else {
        return html! {};
    };
    let accept = {
        let ctx = ctx.clone();
        Callback::from(move |_| ctx.dispatch(Action::AcceptImport))
    };
    let reject = Callback::from(move |_| ctx.dispatch(Action::RejectImport));
    html! {
        <div class="modal-backdrop">
            <div class="modal" role="dialog" aria-modal="true" aria-labelledby="import-title" data-testid="import-dialog">
                <h2 id="import-title">{ format!("Import {}", pending.source) }</h2>
                <p>{ "This replaces the current scenario. Undo (Ctrl+Z) brings it back." }</p>
                <ul class="report" data-testid="import-report">
                    { for pending.report.iter().map(|line| html! { <li>{ line }</li> }) }
                </ul>
                <div class="actions">
                    <button class="primary" onclick={accept} data-testid="import-accept">{ "Import" }</button>
                    <button onclick={reject} data-testid="import-cancel">{ "Cancel" }</button>
                </div>
            </div>
        </div>
    }
}
