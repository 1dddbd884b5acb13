//! The top bar: gallery, undo/redo, files, share link, view and theme.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo::file::callbacks::FileReader;
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::app::Ctx;
use crate::components::import_text;
use crate::import_worker::{self, Export, JobError};
use crate::state::Action;
use crate::{gallery, persist};

/// Toolbar properties.
#[derive(Properties, PartialEq)]
pub struct ToolbarProps {
    /// `light` or `dark`.
    pub theme: String,
    /// Switches the theme.
    pub on_theme: Callback<String>,
}

/// Offers a text file for download.
pub fn download(name: &str, mime: &str, text: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|_| String::from("the browser refused to create the file"))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)
        .map_err(|_| String::from("the browser refused to create the file"))?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let a: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(|_| "no anchor")?
        .dyn_into()
        .map_err(|_| "no anchor")?;
    a.set_href(&url);
    a.set_download(name);
    a.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

fn file_name(title: &str) -> String {
    let slug: String = title
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let slug = slug.trim_matches('-').to_string();
    format!(
        "{}.netsec.json",
        if slug.is_empty() {
            String::from("scenario")
        } else {
            slug
        }
    )
}

/// The largest folder read, as the importers' own limit (bytes).
const FOLDER_LIMIT: f64 = 128.0 * 1024.0 * 1024.0;

/// A picked folder's name and its `.tf` files, with paths relative to it
/// (`main.tf`, `modules/vnet/main.tf`); files in hidden directories such as
/// `.terraform` are left out, as the command line does.
fn folder_tf_files(list: &web_sys::FileList) -> (String, Vec<(String, web_sys::File)>) {
    let mut folder = String::new();
    let mut out = Vec::new();
    for i in 0..list.length() {
        let Some(f) = list.get(i) else { continue };
        // web-sys leaves webkitRelativePath out of File; every browser has it.
        let relative = js_sys::Reflect::get(&f, &"webkitRelativePath".into())
            .ok()
            .and_then(|v| v.as_string())
            .filter(|p| !p.is_empty())
            .unwrap_or_else(|| f.name());
        let (top, inner) = relative.split_once('/').unwrap_or(("", &relative));
        if folder.is_empty() {
            folder = top.to_string();
        }
        let hidden = inner.split('/').any(|part| part.starts_with('.'));
        if inner.ends_with(".tf") && !hidden {
            out.push((inner.to_string(), f));
        }
    }
    if folder.is_empty() {
        folder = String::from("picked");
    }
    (folder, out)
}

/// The toolbar.
#[component]
pub fn Toolbar(props: &ToolbarProps) -> Html {
    let Some(ctx) = use_context::<Ctx>() else {
        return html! {};
    };
    let reader = use_mut_ref(|| None::<FileReader>);
    let folder_readers = use_mut_ref(Vec::<FileReader>::new);
    // The gallery's titles, read once.
    let titles = use_memo((), |_| {
        gallery::SCENARIOS
            .iter()
            .map(|(id, text)| {
                (
                    *id,
                    netsec_import::load_scenario(text)
                        .map(|l| l.doc.title)
                        .unwrap_or_else(|_| id.to_string()),
                )
            })
            .collect::<Vec<_>>()
    });
    let share = use_state(String::new);
    let state = ctx.state();

    let on_gallery = {
        let ctx = ctx.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            let id = select.value();
            select.set_value("");
            let Some(text) = gallery::find(&id) else {
                return;
            };
            match netsec_import::load_scenario(text) {
                Ok(loaded) => {
                    let title = loaded.doc.title.clone();
                    ctx.dispatch(Action::Apply {
                        label: format!("open {title}"),
                        doc: loaded.doc,
                        select: None,
                    });
                    ctx.dispatch(Action::Select(None));
                    ctx.dispatch(Action::SelectFlow(None));
                    ctx.dispatch(Action::Inform(format!(
                        "Opened “{title}”. Its explanation is in the panel on the right."
                    )));
                }
                Err(e) => ctx.dispatch(Action::Refuse(format!(
                    "The built-in scenario {id} is broken: {e}"
                ))),
            }
        })
    };
    let undo = {
        let ctx = ctx.clone();
        Callback::from(move |_| ctx.dispatch(Action::Undo))
    };
    let redo = {
        let ctx = ctx.clone();
        Callback::from(move |_| ctx.dispatch(Action::Redo))
    };
    let save = {
        let ctx = ctx.clone();
        Callback::from(move |_| {
            let doc = ctx.doc();
            if let Err(e) = download(
                &file_name(&doc.title),
                "application/json",
                &netsec_import::to_scenario_json(doc),
            ) {
                ctx.dispatch(Action::Refuse(format!("Could not save: {e}")));
            }
        })
    };
    let open = {
        let ctx = ctx.clone();
        let reader = reader.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            input.set_value("");
            let file = gloo::file::File::from(file);
            let name = file.name();
            let ctx = ctx.clone();
            *reader.borrow_mut() =
                Some(gloo::file::callbacks::read_as_text(
                    &file,
                    move |text| match text {
                        Ok(text) => import_text(&ctx, &name, &text),
                        Err(_) => ctx.dispatch(Action::Refuse(format!(
                            "Could not read {name}: it is not a text file. Your work is unchanged."
                        ))),
                    },
                ));
        })
    };
    let open_folder = {
        let ctx = ctx.clone();
        let readers = folder_readers.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let Some(list) = input.files() else {
                return;
            };
            // The list is live: read it before clearing the input (which
            // lets the same folder be picked again).
            let (folder, picked) = folder_tf_files(&list);
            input.set_value("");
            if picked.is_empty() {
                ctx.dispatch(Action::Refuse(format!(
                    "The folder {folder} has no .tf files (Terraform configuration) at its top. Your work is unchanged."
                )));
                return;
            }
            let bytes: f64 = picked.iter().map(|(_, f)| f.size()).sum();
            if bytes > FOLDER_LIMIT {
                ctx.dispatch(Action::Refuse(format!(
                    "The folder {folder}'s .tf files add up to more than 128 MiB, the import limit. Your work is unchanged."
                )));
                return;
            }
            let texts: Rc<RefCell<Vec<(String, String)>>> = Rc::default();
            let left = Rc::new(Cell::new(picked.len()));
            let failed = Rc::new(Cell::new(false));
            let mut reading = Vec::with_capacity(picked.len());
            for (path, file) in picked {
                let (ctx, texts, left, failed, folder) = (
                    ctx.clone(),
                    texts.clone(),
                    left.clone(),
                    failed.clone(),
                    folder.clone(),
                );
                let file = gloo::file::File::from(file);
                reading.push(gloo::file::callbacks::read_as_text(&file, move |text| {
                    match text {
                        Ok(text) => texts.borrow_mut().push((path, text)),
                        Err(_) if !failed.replace(true) => ctx.dispatch(Action::Refuse(format!(
                            "Could not read {folder}/{path}: it is not a text file. Your work is unchanged."
                        ))),
                        Err(_) => {}
                    }
                    left.set(left.get() - 1);
                    if left.get() == 0 && !failed.get() {
                        crate::components::import_folder(&ctx, &folder, &texts.borrow());
                    }
                }));
            }
            *readers.borrow_mut() = reading;
        })
    };
    let export = |what: &'static str| {
        let ctx = ctx.clone();
        Callback::from(move |_| {
            let (to, name, mime) = match what {
                "arm" => (Export::Arm, "azuredeploy.json", "application/json"),
                _ => (Export::Terraform, "main.tf", "text/plain"),
            };
            // The exporters live in the import worker (not in this bundle);
            // it is sent the document as it is now, as scenario JSON.
            let scenario = netsec_import::to_scenario_json(ctx.doc());
            ctx.dispatch(Action::Inform(format!("Exporting {name}…")));
            let ctx = ctx.clone();
            import_worker::export(to, name, &scenario, move |result| {
                let sentence = match result {
                    Ok(text) => match download(name, mime, &text) {
                        Ok(()) => {
                            return ctx.dispatch(Action::Inform(format!(
                                "Exported {name}. Importing it back gives the same network."
                            )));
                        }
                        Err(e) => format!("Could not export: {e}"),
                    },
                    Err(JobError::Failed(e)) => format!("Could not export: {e}"),
                    Err(JobError::Unavailable(sentence)) => {
                        format!("Could not export {name}. {sentence}")
                    }
                };
                ctx.dispatch(Action::Refuse(sentence));
            });
        })
    };
    let make_link = {
        let ctx = ctx.clone();
        let share = share.clone();
        Callback::from(move |_| {
            let fragment = persist::encode_share(ctx.doc());
            let Some(location) = web_sys::window().map(|w| w.location()) else {
                return;
            };
            let base = location.href().unwrap_or_default();
            let base = base.split('#').next().unwrap_or_default().to_string();
            let link = format!("{base}#{fragment}");
            if let Some(clipboard) = web_sys::window().map(|w| w.navigator().clipboard()) {
                let _ = clipboard.write_text(&link);
            }
            share.set(link);
            ctx.dispatch(Action::Inform(String::from("Share link ready (copied to the clipboard where allowed). It carries the whole scenario; nothing is uploaded.")));
        })
    };
    let theme_toggle = {
        let on_theme = props.on_theme.clone();
        let next = if props.theme == "dark" {
            "light"
        } else {
            "dark"
        };
        Callback::from(move |_| on_theme.emit(next.to_string()))
    };
    let embed_open = use_state(|| false);
    let open_embed = {
        let embed_open = embed_open.clone();
        Callback::from(move |_| embed_open.set(true))
    };
    let close_embed = {
        let embed_open = embed_open.clone();
        Callback::from(move |_| embed_open.set(false))
    };
    let undo_title = state.undo.last().map_or_else(
        || String::from("Nothing to undo"),
        |(l, _)| format!("Undo {l} (Ctrl+Z)"),
    );
    let redo_title = state.redo.last().map_or_else(
        || String::from("Nothing to redo"),
        |(l, _)| format!("Redo {l} (Ctrl+Shift+Z)"),
    );
    html! {
        <header class="toolbar" role="toolbar" aria-label="Playground">
            <h1 class="brand">{ "NetSec Playground" }</h1>
            <span class="doc-title" data-testid="doc-title">{ &ctx.doc().title }</span>
            <label class="gallery">
                <span class="visually-hidden">{ "Open a built-in scenario" }</span>
                <select onchange={on_gallery} data-testid="gallery" aria-label="Open a built-in scenario">
                    <option value="" selected=true>{ "Gallery…" }</option>
                    { for titles.iter().map(|(id, title)| html! { <option value={*id}>{ title }</option> }) }
                </select>
            </label>
            <button onclick={undo} disabled={state.undo.is_empty()} title={undo_title.clone()} aria-label={undo_title} data-testid="undo">{ "↶ Undo" }</button>
            <button onclick={redo} disabled={state.redo.is_empty()} title={redo_title.clone()} aria-label={redo_title} data-testid="redo">{ "↷ Redo" }</button>
            <button onclick={save} data-testid="save" title="Download the scenario as a file">{ "Save" }</button>
            <label class="button" title="Open a scenario, ARM template, Terraform, plan JSON or Azure JSON file">
                { "Open…" }
                <input type="file" accept=".json,.tf,.tfvars,application/json,text/plain" class="visually-hidden" onchange={open} data-testid="open-file" />
            </label>
            <label class="button" title="Open a Terraform configuration folder, with the local modules below it">
                { "Open folder…" }
                <input type="file" webkitdirectory=true multiple=true class="visually-hidden" onchange={open_folder} data-testid="open-folder" />
            </label>
            <button onclick={export("arm")} data-testid="export-arm" title="Download a deployable ARM template">{ "Export ARM" }</button>
            <button onclick={export("terraform")} data-testid="export-terraform" title="Download Terraform (azurerm) configuration">{ "Export Terraform" }</button>
            <button onclick={make_link} data-testid="share" title="Make a link that carries this scenario">{ "Share link" }</button>
            if !share.is_empty() {
                <input class="share-link" readonly=true value={(*share).clone()} data-testid="share-link" aria-label="Share link" onfocus={Callback::from(|e: FocusEvent| { let i: HtmlInputElement = e.target_unchecked_into(); i.select(); })} />
            }
            <button onclick={open_embed} data-testid="embed" title="Get an iframe snippet for a documentation page">{ "Embed" }</button>
            if *embed_open { <EmbedDialog on_close={close_embed} /> }
            <button onclick={theme_toggle} data-testid="theme" aria-label="Switch light and dark theme">{ if props.theme == "dark" { "☀ Light" } else { "☾ Dark" } }</button>
        </header>
    }
}

/// The iframe URL for the current scenario and flow: a built-in scenario by
/// id when it is unmodified, else the whole scenario in the fragment.
pub fn embed_url(
    base: &str,
    doc: &netsec_import::scenario::doc::ScenarioDoc,
    flow: Option<usize>,
    autoplay: bool,
) -> String {
    let base = base.split(['#', '?']).next().unwrap_or(base);
    let builtin = gallery::SCENARIOS
        .iter()
        .find(|(_, text)| netsec_import::load_scenario(text).is_ok_and(|l| l.doc == *doc))
        .map(|(id, _)| *id);
    let mut url = format!("{base}?embed=1");
    if let Some(id) = builtin {
        url.push_str(&format!("&scenario={id}"));
    }
    if let Some(i) = flow {
        url.push_str(&format!("&flow={i}"));
    }
    if autoplay {
        url.push_str("&autoplay=1");
    }
    if builtin.is_none() {
        url.push('#');
        url.push_str(&persist::encode_share(doc));
    }
    url
}

/// Embed dialog props.
#[derive(Properties, PartialEq)]
pub struct EmbedDialogProps {
    /// Closes the dialog.
    pub on_close: Callback<()>,
}

/// Produces the iframe snippet for a documentation page.
#[component]
pub fn EmbedDialog(props: &EmbedDialogProps) -> Html {
    let Some(ctx) = use_context::<Ctx>() else {
        return html! {};
    };
    let autoplay = use_state(|| true);
    let base = web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default();
    let url = embed_url(&base, ctx.doc(), ctx.state().active_flow, *autoplay);
    let title = ctx.doc().title.replace('"', "&quot;");
    let snippet = format!(
        "<iframe src=\"{url}\" title=\"{title}\" width=\"100%\" height=\"560\" style=\"border:1px solid #d0d6de;border-radius:8px\" loading=\"lazy\"></iframe>"
    );
    let toggle = {
        let autoplay = autoplay.clone();
        Callback::from(move |e: Event| {
            autoplay.set(e.target_unchecked_into::<HtmlInputElement>().checked())
        })
    };
    let close = {
        let on_close = props.on_close.clone();
        Callback::from(move |_| on_close.emit(()))
    };
    html! {
        <div class="modal-backdrop">
            <div class="modal" role="dialog" aria-modal="true" aria-labelledby="embed-title" data-testid="embed-dialog">
                <h2 id="embed-title">{ "Embed in a page" }</h2>
                <p>{ "Paste this into any static page. The embed is read-only, works offline from the same static build, and sends nothing anywhere. Pick a flow first to have it play." }</p>
                <label class="check"><input type="checkbox" checked={*autoplay} onchange={toggle} data-testid="embed-autoplay" /><span>{ "Play the selected flow at once" }</span></label>
                <textarea readonly=true rows="5" value={snippet} data-testid="embed-snippet" aria-label="Embed snippet"
                    onfocus={Callback::from(|e: FocusEvent| { let t: web_sys::HtmlTextAreaElement = e.target_unchecked_into(); t.select(); })} />
                <p><a href={url.clone()} target="_blank" rel="noopener" data-testid="embed-preview">{ "Preview the embed ↗" }</a></p>
                <div class="actions"><button onclick={close} data-testid="embed-close">{ "Close" }</button></div>
            </div>
        </div>
    }
}
