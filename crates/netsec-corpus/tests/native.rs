//! The corpus, natively: every row holds. Reads the corpus directory only to
//! check that the embedded list is complete; writes nothing.
#![cfg(not(target_arch = "wasm32"))]

use std::path::Path;

#[test]
fn every_corpus_row_holds() {
    let failures = netsec_corpus::run_all();
    assert!(
        failures.is_empty(),
        "{} corpus row(s) fail:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn every_corpus_file_is_embedded() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus");
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .expect("tests/corpus is readable")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".json"))
        .collect();
    on_disk.sort();
    let embedded: Vec<String> = netsec_corpus::FILES
        .iter()
        .map(|(n, _)| (*n).to_owned())
        .collect();
    assert_eq!(embedded, on_disk);
}
