//! # The import worker's message protocol
//!
//! The playground page (`netsec-web`) hands every import and export to a Web
//! Worker built from this package's binary, so that the ARM evaluator, the
//! HCL parser, the Azure reader and the exporters are not in the page's own
//! bundle and a long import does not freeze the page. This library is only
//! what both sides must agree on; it has no dependencies, so the page links
//! none of the importers by depending on it.
//!
//! Messages are plain JS objects (structured clone), read and written with
//! `js_sys::Reflect` under the [`key`] names:
//!
//! - page → worker: `{v, id, job, name, text}`, where `job` is one of
//!   [`Job`]'s names, `name` the file name (for messages) and `text` the
//!   file's text, for [`Job::ImportFiles`] a folder's files as a JSON array
//!   of `{"path", "text"}` (paths relative to the folder), or for an export
//!   the scenario JSON.
//! - worker → page, once, as soon as it listens: `{v, ready: true}`. Messages
//!   posted to a worker before its wasm has started would be lost, so the
//!   page queues jobs until this arrives.
//! - worker → page, per job: `{v, id, ok: true, scenario, format, report}`
//!   for an import (the scenario JSON, the format's label, the report's
//!   lines), `{v, id, ok: true, text}` for an export, `{v, id, ok: false,
//!   error}` when the job failed (the error's one line).
//!
//! `v` is [`VERSION`] on both sides. Trunk does not content-hash a worker's
//! file names, so a browser may pair a cached page with a newer worker (or
//! the reverse); a reply with another `v` is an error that asks for a reload.

/// The protocol version. Change it whenever a message's shape or meaning
/// changes, so that a page and a worker from different builds notice.
pub const VERSION: u32 = 2;

/// The script the page starts the worker from, relative to the page (so it
/// works from any sub-path). Trunk writes it for the `data-loader-shim` link
/// in `index.html`: it imports the wasm-bindgen glue and starts the wasm.
pub const LOADER: &str = "./netsec-import-worker_loader.js";

/// The property names of the messages.
pub mod key {
    /// The protocol version, a number.
    pub const V: &str = "v";
    /// The job's number, chosen by the page, echoed in the reply.
    pub const ID: &str = "id";
    /// The job's name ([`crate::Job::name`]).
    pub const JOB: &str = "job";
    /// The file name the text came from.
    pub const NAME: &str = "name";
    /// The input text; in an export's reply, the exported text.
    pub const TEXT: &str = "text";
    /// `true` in the worker's first message: it listens now.
    pub const READY: &str = "ready";
    /// Whether the job succeeded.
    pub const OK: &str = "ok";
    /// An import's result, as scenario JSON.
    pub const SCENARIO: &str = "scenario";
    /// The label of the format an import read.
    pub const FORMAT: &str = "format";
    /// An import's report lines (an array of strings).
    pub const REPORT: &str = "report";
    /// Why the job failed: one line.
    pub const ERROR: &str = "error";
}

/// What the worker can be asked to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Job {
    /// Read any supported file into a scenario.
    Import,
    /// Read a Terraform configuration folder (with its local modules).
    ImportFiles,
    /// Write a scenario as an ARM template.
    ExportArm,
    /// Write a scenario as Terraform configuration.
    ExportTerraform,
}

impl Job {
    /// Every job.
    pub const ALL: [Job; 4] = [
        Job::Import,
        Job::ImportFiles,
        Job::ExportArm,
        Job::ExportTerraform,
    ];

    /// The name in messages.
    pub fn name(self) -> &'static str {
        match self {
            Job::Import => "import",
            Job::ImportFiles => "import-files",
            Job::ExportArm => "export-arm",
            Job::ExportTerraform => "export-terraform",
        }
    }

    /// The job a message names, if any.
    pub fn from_name(name: &str) -> Option<Job> {
        Job::ALL.into_iter().find(|j| j.name() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn job_names_round_trip() {
        for job in Job::ALL {
            assert_eq!(Job::from_name(job.name()), Some(job));
        }
        assert_eq!(Job::from_name("Import"), None);
        assert_eq!(Job::from_name(""), None);
    }

    #[test]
    fn the_loader_is_relative_and_named_after_the_package() {
        // Trunk names the loader after the Cargo package (workers are not hashed).
        assert_eq!(
            LOADER,
            format!("./{}_loader.js", env!("CARGO_PKG_NAME")).as_str()
        );
    }
}
