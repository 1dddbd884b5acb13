//! Components mounted in a real browser (headless Chromium through
//! chromedriver), clicked and read back through the DOM.
//!
//! Run: CHROMEDRIVER=$(command -v chromedriver) \
//!   CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
//!   cargo test -p netsec-web --target wasm32-unknown-unknown --test components
//! (`web/webdriver.json` passes Chromium's offline flags.)

#![cfg(target_arch = "wasm32")]
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test code: a panic is a failed test"
)]

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// Mounts the whole app in a fresh element, with no autosave or link.
async fn mount() -> web_sys::Element {
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    storage.clear().unwrap();
    let root = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<netsec_web::app::App>::with_root(root.clone()).render();
    yew::scheduler::flush().await;
    root
}

fn find(root: &web_sys::Element, testid: &str) -> web_sys::Element {
    root.query_selector(&format!("[data-testid=\"{testid}\"]"))
        .unwrap()
        .unwrap_or_else(|| panic!("no element with data-testid {testid}"))
}

fn click(el: &web_sys::Element) {
    el.dyn_ref::<web_sys::HtmlElement>().unwrap().click();
}

#[wasm_bindgen_test]
async fn the_app_opens_on_the_default_scenario_with_its_flows_traced() {
    let root = mount().await;
    assert!(
        find(&root, "doc-title")
            .text_content()
            .unwrap()
            .contains("web VM opened on 80 and 443")
    );
    assert!(
        find(&root, "node-vm/web-vm")
            .get_attribute("aria-label")
            .unwrap()
            .contains("10.1.1.4")
    );
    assert_eq!(
        find(&root, "flow-verdict-0").text_content().unwrap().trim(),
        "✓ allowed"
    );
    assert!(
        find(&root, "flow-verdict-2")
            .text_content()
            .unwrap()
            .contains("denied")
    );
    root.remove();
}

#[wasm_bindgen_test]
async fn choosing_a_flow_shows_its_layers_and_the_rule_link_opens_the_nsg_editor() {
    let root = mount().await;
    click(&find(&root, "flow-2"));
    yew::scheduler::flush().await;
    let verdict = find(&root, "trace-verdict").text_content().unwrap();
    assert!(
        verdict.contains("Denied at NIC NSG by defaultSecurityRules/DenyAllInBound"),
        "{verdict}"
    );
    let layers: Vec<String> = (0..9)
        .filter_map(|i| {
            root.query_selector(&format!("[data-testid=\"trace-step-{i}\"]"))
                .unwrap()
        })
        .map(|e| e.get_attribute("data-layer").unwrap())
        .collect();
    assert_eq!(
        layers[..4],
        ["Internet", "AzureEdge", "RegionalGateway", "Datacenter"]
    );
    click(&find(&root, "flow-0"));
    yew::scheduler::flush().await;
    let rule = root
        .query_selector_all("[data-testid=\"trace-rule\"]")
        .unwrap();
    let link = (0..rule.length())
        .filter_map(|i| rule.item(i))
        .find(|e| e.text_content().unwrap_or_default().contains("allow-web"))
        .unwrap();
    click(link.dyn_ref::<web_sys::Element>().unwrap());
    yew::scheduler::flush().await;
    assert!(
        find(&root, "rule-allow-web")
            .class_name()
            .contains("focused")
    );
    root.remove();
}

#[wasm_bindgen_test]
async fn adding_a_rule_through_the_editor_updates_every_verdict() {
    let root = mount().await;
    // Select the NSG through its canvas node (keyboard path: Enter).
    let nsg = find(&root, "node-nsg/web-nsg");
    let enter = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &{
        let init = web_sys::KeyboardEventInit::new();
        init.set_key("Enter");
        init.set_bubbles(true);
        init
    })
    .unwrap();
    nsg.dispatch_event(&enter).unwrap();
    yew::scheduler::flush().await;
    assert!(
        find(&root, "inspector-title")
            .text_content()
            .unwrap()
            .contains("web-nsg")
    );
    click(&find(&root, "add-rule-inbound"));
    yew::scheduler::flush().await;
    // allow-in-1: TCP 443 from anywhere, after allow-web; SSH (flow 2) still denied.
    assert!(
        root.query_selector("[data-testid=\"rule-allow-in-1\"]")
            .unwrap()
            .is_some()
    );
    assert!(
        find(&root, "flow-verdict-2")
            .text_content()
            .unwrap()
            .contains("denied")
    );
    // Undo brings the rule back out.
    click(&find(&root, "undo"));
    yew::scheduler::flush().await;
    assert!(
        root.query_selector("[data-testid=\"rule-allow-in-1\"]")
            .unwrap()
            .is_none()
    );
    root.remove();
}
