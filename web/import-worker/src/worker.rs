//! The worker's side of the protocol (see the library's docs): listen, say
//! ready, then answer each message with one reply.

use js_sys::{Array, Object, Reflect};
use netsec_import_worker::{Job, VERSION, key};
use wasm_bindgen::JsCast;
use wasm_bindgen::JsValue;
use wasm_bindgen::closure::Closure;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use crate::jobs::{self, Done};

/// Installs the message handler, then tells the page the worker listens.
pub fn start() {
    // Started anywhere but in a dedicated worker (by mistake), there is no
    // one to talk to.
    let Ok(scope) = js_sys::global().dyn_into::<DedicatedWorkerGlobalScope>() else {
        return;
    };
    let replies = scope.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        // If the reply cannot be posted there is no one left to tell.
        let _ = replies.post_message(&answer(&event.data()));
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker does.
    on_message.forget();
    let ready = Object::new();
    set(&ready, key::V, &JsValue::from(VERSION));
    set(&ready, key::READY, &JsValue::TRUE);
    let _ = scope.post_message(&ready);
}

/// The reply to one message. Whatever the message holds, there is a reply
/// (an error one if the message makes no sense), so the page never waits
/// forever on a job this worker received.
fn answer(data: &JsValue) -> JsValue {
    let reply = Object::new();
    set(&reply, key::V, &JsValue::from(VERSION));
    set(&reply, key::ID, &get(data, key::ID));
    match request(data).and_then(|(job, text)| jobs::run(job, &text)) {
        Ok(Done::Imported {
            scenario,
            format,
            report,
        }) => {
            set(&reply, key::OK, &JsValue::TRUE);
            set(&reply, key::SCENARIO, &JsValue::from(scenario));
            set(&reply, key::FORMAT, &JsValue::from_str(format));
            let lines: Array = report.iter().map(|l| JsValue::from_str(l)).collect();
            set(&reply, key::REPORT, &lines);
        }
        Ok(Done::Exported(text)) => {
            set(&reply, key::OK, &JsValue::TRUE);
            set(&reply, key::TEXT, &JsValue::from(text));
        }
        Err(error) => {
            set(&reply, key::OK, &JsValue::FALSE);
            set(&reply, key::ERROR, &JsValue::from(error));
        }
    }
    reply.into()
}

/// The job and its text, if the message is one this worker understands.
fn request(data: &JsValue) -> Result<(Job, String), String> {
    let v = get(data, key::V).as_f64();
    if v != Some(f64::from(VERSION)) {
        // The page checks `v` on the reply too and asks for a reload.
        return Err(format!(
            "the page and the import worker come from different builds (protocol {} and {VERSION}); reload the page",
            v.map_or_else(|| String::from("unknown"), |v| v.to_string())
        ));
    }
    let job = get(data, key::JOB)
        .as_string()
        .and_then(|name| Job::from_name(&name))
        .ok_or_else(|| String::from("the import worker was sent a job it does not know"))?;
    let text = get(data, key::TEXT)
        .as_string()
        .ok_or_else(|| String::from("the import worker was sent no text"))?;
    Ok((job, text))
}

fn get(target: &JsValue, name: &str) -> JsValue {
    // Reflect.get throws on a non-object (a message that is a bare string).
    Reflect::get(target, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

fn set(target: &Object, name: &str, value: &JsValue) {
    // Setting a property on a fresh plain object cannot fail.
    let _ = Reflect::set(target, &JsValue::from_str(name), value);
}
