//! Pins [`netsec_corpus::results`] in `tests/corpus/expected-results.txt`,
//! the file the WASM run compares itself with. `UPDATE_SNAPSHOTS=1` rewrites
//! it (review the diff: a changed line is a changed answer).
#![cfg(not(target_arch = "wasm32"))]

use std::path::Path;

#[test]
fn results_match_the_snapshot() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus/expected-results.txt");
    let got = netsec_corpus::render(&netsec_corpus::results());
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some_and(|v| v == "1") {
        std::fs::write(&path, &got).expect("the snapshot is writable");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    let diff = netsec_corpus::snapshot_diff(&expected, &got);
    assert!(
        diff.is_empty(),
        "{} differs from the corpus results (rerun with UPDATE_SNAPSHOTS=1 and review):\n{}",
        path.display(),
        diff.join("\n")
    );
}
