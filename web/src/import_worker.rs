//! The page's side of the import worker (`web/import-worker`): imports of
//! every format and the ARM and Terraform exports run there, so that the
//! importers are not in this bundle and a long import leaves the page
//! responsive. The protocol is in the `netsec_import_worker` library.
//!
//! The worker is started on the first job and kept for the later ones. Jobs
//! wait in a queue until it says it is ready (a message posted before its
//! wasm listens would be lost). If it cannot start or stops (its files are
//! missing, it crashed, it is from another build), every job waiting for it
//! fails with one sentence, and the next job starts a new one.

use std::cell::{Cell, RefCell};

use gloo::events::EventListener;
use gloo::timers::callback::Timeout;
use js_sys::{Array, Object, Reflect};
use netsec_import_worker::{Job, LOADER, VERSION, key};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{ErrorEvent, MessageEvent, Worker};

/// How long the worker may take to load and start before its jobs fail. A
/// missing or broken `.wasm` fails in a promise inside the worker's loader,
/// which fires no event on this side; this is how the page notices. Loading
/// the worker's wasm (about 460 KB gzip) takes a few seconds on a slow link.
const START_TIMEOUT_MS: u32 = 20_000;

/// What an import produced.
#[derive(Clone, Debug, PartialEq)]
pub struct Imported {
    /// The imported document as scenario JSON.
    pub scenario: String,
    /// The label of the format the file was in ("ARM template", ...).
    pub format: String,
    /// The report's `imported:`, `skipped:` and `assumed:` lines.
    pub report: Vec<String>,
}

/// The formats the worker exports to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Export {
    /// An ARM template.
    Arm,
    /// Terraform (azurerm) configuration.
    Terraform,
}

/// Why a job gave no result.
#[derive(Clone, Debug, PartialEq)]
pub enum JobError {
    /// The job ran and failed: the importer's one line, to be put in a
    /// sentence ("Could not import x: {line}.").
    Failed(String),
    /// The worker could not run the job: a whole sentence, which says the
    /// user's work is unchanged.
    Unavailable(String),
}

/// Reads a successful reply (`ok: true`) for the job that is waiting for it.
type OnReply = Box<dyn FnOnce(Result<JsValue, JobError>)>;

/// The running worker and the jobs it owes a reply.
struct Connection {
    worker: Worker,
    ready: bool,
    /// Jobs' messages held back until the worker is ready, by job id.
    queued: Vec<(u32, JsValue)>,
    /// Jobs owed a reply, in the order they were sent (ids only grow). A
    /// list, not a map: there are a few at most, and sorting a map's entries
    /// by id linked about 10 KB of sort code into the page.
    pending: Vec<(u32, OnReply)>,
    // Kept for their lifetime: dropping them removes the listeners and the timer.
    _listeners: [EventListener; 3],
    start_timer: Option<Timeout>,
}

thread_local! {
    static CONNECTION: RefCell<Option<Connection>> = const { RefCell::new(None) };
    static NEXT_ID: Cell<u32> = const { Cell::new(1) };
}

/// Reads a file's `text` (any format the importers know) in the worker,
/// starting it if needed. `on_done` is called once, later, with the result;
/// `name` is the file's name.
pub fn import(name: &str, text: &str, on_done: impl FnOnce(Result<Imported, JobError>) + 'static) {
    import_as(Job::Import, name, text, on_done);
}

/// Reads a Terraform configuration folder in the worker: `files` is a JSON
/// array of `{"path", "text"}` (see [`netsec_import_worker`]).
pub fn import_folder(
    name: &str,
    files: &str,
    on_done: impl FnOnce(Result<Imported, JobError>) + 'static,
) {
    import_as(Job::ImportFiles, name, files, on_done);
}

fn import_as(
    job: Job,
    name: &str,
    text: &str,
    on_done: impl FnOnce(Result<Imported, JobError>) + 'static,
) {
    run(
        job,
        name,
        text,
        Box::new(move |reply| {
            on_done(reply.and_then(|data| {
                let report = get(&data, key::REPORT);
                match (
                    get(&data, key::SCENARIO).as_string(),
                    get(&data, key::FORMAT).as_string(),
                    report.is_array(),
                ) {
                    (Some(scenario), Some(format), true) => Ok(Imported {
                        scenario,
                        format,
                        report: Array::from(&report)
                            .iter()
                            .filter_map(|line| line.as_string())
                            .collect(),
                    }),
                    _ => Err(unreadable()),
                }
            }))
        }),
    );
}

/// Writes `scenario` (scenario JSON) in the `to` format in the worker,
/// starting it if needed. `on_done` is called once, later, with the text.
pub fn export(
    to: Export,
    name: &str,
    scenario: &str,
    on_done: impl FnOnce(Result<String, JobError>) + 'static,
) {
    let job = match to {
        Export::Arm => Job::ExportArm,
        Export::Terraform => Job::ExportTerraform,
    };
    run(
        job,
        name,
        scenario,
        Box::new(move |reply| {
            on_done(reply.and_then(|data| get(&data, key::TEXT).as_string().ok_or_else(unreadable)))
        }),
    );
}

/// Posts one job (or queues it until the worker is ready).
fn run(job: Job, name: &str, text: &str, on_reply: OnReply) {
    let id = NEXT_ID.with(|n| {
        let id = n.get();
        n.set(id.wrapping_add(1));
        id
    });
    let message = Object::new();
    set(&message, key::V, &JsValue::from(VERSION));
    set(&message, key::ID, &JsValue::from(id));
    set(&message, key::JOB, &JsValue::from_str(job.name()));
    set(&message, key::NAME, &JsValue::from_str(name));
    set(&message, key::TEXT, &JsValue::from_str(text));
    // The borrow ends before any callback runs: a callback may start a job.
    let refused = CONNECTION.with_borrow_mut(|slot| {
        if slot.is_none() {
            match connect() {
                Ok(connection) => *slot = Some(connection),
                Err(reason) => return Some((on_reply, could_not_start(&reason))),
            }
        }
        let Some(connection) = slot.as_mut() else {
            return Some((on_reply, could_not_start("the browser did not start it")));
        };
        if connection.ready {
            if connection.worker.post_message(&message).is_err() {
                return Some((on_reply, String::from(NOT_SENT)));
            }
        } else {
            connection.queued.push((id, message.into()));
        }
        connection.pending.push((id, on_reply));
        None
    });
    if let Some((on_reply, sentence)) = refused {
        on_reply(Err(JobError::Unavailable(sentence)));
    }
}

/// A message the browser would not post (it cannot happen with strings, but
/// a job must not wait forever for a reply to a message never sent).
const NOT_SENT: &str =
    "The browser could not hand the file to the importer. Your work is unchanged.";

fn could_not_start(reason: &str) -> String {
    format!("The importer could not start: {reason}. Your work is unchanged.")
}

/// Starts the worker and listens to it.
fn connect() -> Result<Connection, String> {
    // A classic worker: Trunk builds workers for wasm-bindgen's no-modules
    // target, whose loader uses importScripts. The URL is relative to the page.
    let worker = Worker::new(LOADER).map_err(|e| {
        // Worker::new throws on a URL the page may not load (CSP, origin).
        e.dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .unwrap_or_else(|| format!("the browser refused to run {LOADER}"))
    })?;
    let on_message = EventListener::new(&worker, "message", |event| {
        if let Some(event) = event.dyn_ref::<MessageEvent>() {
            received(&event.data());
        }
    });
    // A worker whose script is missing or throws (at start, or a crash in a
    // job) fires `error` on this side. It cannot be trusted after that.
    let on_error = EventListener::new(&worker, "error", |event| {
        // "Uncaught NetworkError: ... failed to load." → "NetworkError: ... failed to load"
        let detail = event
            .dyn_ref::<ErrorEvent>()
            .map(|e| {
                let m = e.message();
                let m = m.trim();
                m.strip_prefix("Uncaught ")
                    .unwrap_or(m)
                    .trim_end_matches('.')
                    .to_string()
            })
            .filter(|m| !m.is_empty());
        fail_all(|started| match (started, detail.as_deref()) {
            (false, Some(detail)) => could_not_start(detail),
            (false, None) => could_not_start(&format!(
                "the browser could not load {}",
                LOADER.trim_start_matches("./")
            )),
            (true, detail) => format!(
                "The importer stopped: {}. Your work is unchanged.",
                detail.unwrap_or("it failed without saying why")
            ),
        });
    });
    let on_message_error = EventListener::new(&worker, "messageerror", |_| {
        fail_all(|_| String::from(UNREADABLE));
    });
    let start_timer = Timeout::new(START_TIMEOUT_MS, || {
        fail_all(|_| {
            could_not_start(&format!(
                "it did not answer within {} seconds (its files may be missing; reload the page)",
                START_TIMEOUT_MS / 1000
            ))
        });
    });
    Ok(Connection {
        worker,
        ready: false,
        queued: Vec::new(),
        pending: Vec::new(),
        _listeners: [on_message, on_error, on_message_error],
        start_timer: Some(start_timer),
    })
}

/// Removes and returns the reply callback of job `id`.
fn take_pending(pending: &mut Vec<(u32, OnReply)>, id: u32) -> Option<OnReply> {
    let at = pending.iter().position(|(p, _)| *p == id)?;
    Some(pending.remove(at).1)
}

/// Stops the worker and fails every job it owed a reply with `sentence`
/// (given whether the worker had started). The next job starts a new worker.
fn fail_all(sentence: impl Fn(bool) -> String) {
    // Dropping the connection at the end removes its listeners and timer,
    // one of which may be running this: wasm-bindgen frees a closure only
    // once its call has returned.
    let Some(connection) = CONNECTION.with_borrow_mut(Option::take) else {
        return;
    };
    connection.worker.terminate();
    let text = sentence(connection.ready);
    for (_, on_reply) in connection.pending {
        on_reply(Err(JobError::Unavailable(text.clone())));
    }
}

fn version_mismatch(theirs: Option<f64>) -> String {
    format!(
        "The importer comes from another build of the playground than this page \
         (protocol {} there, {VERSION} here): reload the page. Your work is unchanged.",
        // Whole numbers only: f64 `Display` would link core's float printing.
        theirs
            .filter(|v| v.fract() == 0.0 && v.abs() < 1e15)
            .map_or_else(|| String::from("unknown"), |v| (v as i64).to_string())
    )
}

/// Handles one message from the worker.
fn received(data: &JsValue) {
    let v = get(data, key::V).as_f64();
    if v != Some(f64::from(VERSION)) {
        // Not this page's worker (a cached page with a newer worker, or the
        // reverse): nothing it says can be read.
        fail_all(|_| version_mismatch(v));
        return;
    }
    if get(data, key::READY).is_truthy() {
        let not_sent = CONNECTION.with_borrow_mut(|slot| {
            let mut not_sent = Vec::new();
            let Some(connection) = slot.as_mut() else {
                return not_sent;
            };
            connection.ready = true;
            if let Some(timer) = connection.start_timer.take() {
                timer.cancel();
            }
            for (id, message) in std::mem::take(&mut connection.queued) {
                if connection.worker.post_message(&message).is_err() {
                    not_sent.extend(take_pending(&mut connection.pending, id));
                }
            }
            not_sent
        });
        for on_reply in not_sent {
            on_reply(Err(JobError::Unavailable(String::from(NOT_SENT))));
        }
        return;
    }
    let Some(id) = get(data, key::ID).as_f64().map(|id| id as u32) else {
        return;
    };
    let Some(on_reply) = CONNECTION.with_borrow_mut(|slot| {
        slot.as_mut()
            .and_then(|connection| take_pending(&mut connection.pending, id))
    }) else {
        return;
    };
    if get(data, key::OK).is_truthy() {
        on_reply(Ok(data.clone()));
    } else {
        on_reply(Err(get(data, key::ERROR)
            .as_string()
            .map_or_else(unreadable, JobError::Failed)));
    }
}

const UNREADABLE: &str =
    "The importer's reply could not be read; reload the page. Your work is unchanged.";

/// A reply without the fields its job promises.
fn unreadable() -> JobError {
    JobError::Unavailable(String::from(UNREADABLE))
}

fn get(target: &JsValue, name: &str) -> JsValue {
    // Reflect.get throws on a non-object.
    Reflect::get(target, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

fn set(target: &Object, name: &str, value: &JsValue) {
    // Setting a property on a fresh plain object cannot fail.
    let _ = Reflect::set(target, &JsValue::from_str(name), value);
}
