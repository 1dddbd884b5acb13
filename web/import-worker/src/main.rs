//! The playground's import worker: a Web Worker that reads and writes files
//! for the page (imports of every format, ARM and Terraform exports), so the
//! page's own wasm stays small and the page keeps responding during a long
//! import. The message protocol is in this package's library
//! (`netsec_import_worker`); Trunk builds this binary for the
//! `data-type="worker"` link in `index.html`.

// On the host the jobs are only reached from their tests.
#[cfg_attr(
    not(target_arch = "wasm32"),
    allow(dead_code, reason = "the host build only runs the jobs' tests")
)]
mod jobs;
#[cfg(target_arch = "wasm32")]
mod worker;

#[cfg(target_arch = "wasm32")]
fn main() {
    worker::start();
}

// `cargo test --workspace` and clippy build every binary for the host too.
#[cfg(not(target_arch = "wasm32"))]
fn main() {
    println!(
        "netsec-import-worker only runs in a browser, as the playground's Web Worker (trunk build)."
    );
}
