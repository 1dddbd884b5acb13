//! The corpus in WebAssembly, under node:
//!
//! CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner cargo test -p netsec-corpus --target wasm32-unknown-unknown
//!
//! Every row must hold, and the results must be identical to the native ones
//! pinned in `tests/corpus/expected-results.txt`.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
fn every_corpus_row_holds_in_wasm() {
    let failures = netsec_corpus::run_all();
    assert!(
        failures.is_empty(),
        "{} corpus row(s) fail in WASM:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[wasm_bindgen_test]
fn wasm_results_are_the_native_snapshot() {
    let got = netsec_corpus::render(&netsec_corpus::results());
    let diff = netsec_corpus::snapshot_diff(netsec_corpus::SNAPSHOT, &got);
    assert!(
        diff.is_empty(),
        "WASM results differ from tests/corpus/expected-results.txt:\n{}",
        diff.join("\n")
    );
}
