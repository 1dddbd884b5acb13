//! The message line: refusals and confirmations, announced to screen readers.

use yew::prelude::*;

use crate::app::Ctx;
use crate::state::Action;

/// Shows the current message, if any.
#[component]
pub fn Banner() -> Html {
    let Some(ctx) = use_context::<Ctx>() else {
        return html! {};
    };
    let banner = ctx.state().banner.clone();
    let dismiss = {
        let ctx = ctx.clone();
        Callback::from(move |_| ctx.dispatch(Action::Dismiss))
    };
    html! {
        <div class="banner-slot" aria-live="polite" data-testid="banner-slot">
            if let Some(b) = banner {
                <div class={classes!("banner", b.error.then_some("error"))} role={if b.error { "alert" } else { "status" }} data-testid="banner">
                    <span>{ b.text }</span>
                    <button class="link" onclick={dismiss} aria-label="Dismiss message">{ "×" }</button>
                </div>
            }
        </div>
    }
}
