//! # netsec-import: networks in and out of files
//!
//! The engine ([`netsec_engine`]) knows nothing of files. This crate reads
//! the two formats the playground accepts, turns them into a validated
//! [`Network`], and writes networks back out as scenarios.
//!
//! ## The two formats
//!
//! - **Scenario files** ([`scenario`]): the playground's own format, one JSON
//!   object with `"format": "netsec-scenario"` and `"version": 1`. Resources
//!   refer to each other by name; field names follow Azure's ARM properties.
//!   The document types are in [`scenario::doc`], the conversion to a network
//!   in [`scenario::build`] and the way back in [`scenario::export`].
//!   [`load_scenario`] reads one; [`to_scenario_json`] writes one.
//! - **Azure resource JSON** ([`azure`]): what the Azure REST API and
//!   `az ... show` / `az ... list` print: one resource, an array of them,
//!   `{"value": [...]}`, objects wrapping resources, or several such documents
//!   one after another in one file. Both the REST shape (`properties`
//!   nested) and the az CLI's flattened shape are read. [`load_azure`]
//!   converts what it recognises into a scenario document, then builds it;
//!   what it cannot represent is listed in the [`ImportReport`], never
//!   silently dropped.
//!
//! [`load`] tells the formats apart (see [`SourceFormat`]).
//!
//! ## The error contract
//!
//! Every failure is one [`ImportError`], displayed on **one line** as
//! `<location>: <plain sentence>`:
//!
//! - for JSON syntax errors the location is `line L, column C`;
//! - for everything else it is a JSON path into the input, such as
//!   `$.nsgs[0].rules[2].priority` or `$.vnets[0].subnets[1].addressPrefixes[0]`
//!   (`$` alone for the whole input). When several JSON documents are
//!   concatenated, paths into the second and later ones start with
//!   `document N, $`.
//!
//! The sentence names the resource and the problem; model errors carry the
//! engine's wording and Azure's error code (`SecurityRuleConflict`, ...).
//! Nothing in this crate panics on any input: malformed input is an error,
//! input Azure accepts but the playground cannot model is a report line.
//!
//! ## Example
//!
//! ```
//! let text = r#"{ "format": "netsec-scenario", "version": 1,
//!   "nsgs": [{ "name": "web-nsg", "rules": [
//!     { "name": "a", "priority": 100, "direction": "Inbound", "access": "Allow",
//!       "protocol": "Tcp", "sourceAddressPrefix": "*", "sourcePortRange": "*",
//!       "destinationAddressPrefix": "*", "destinationPortRange": "443" },
//!     { "name": "b", "priority": 100, "direction": "Inbound", "access": "Deny",
//!       "protocol": "*", "sourceAddressPrefix": "*", "sourcePortRange": "*",
//!       "destinationAddressPrefix": "*", "destinationPortRange": "*" } ] }] }"#;
//! let err = netsec_import::load(text).unwrap_err();
//! assert_eq!(err.location(), "$.nsgs[0].rules[1].priority");
//! assert!(err.to_string().contains("SecurityRuleConflict"));
//! ```

#![deny(missing_docs)]
// Tests may unwrap: a panic there is a failed test, not a crash on user input.
#![cfg_attr(
    test,
    allow(
        clippy::unwrap_used,
        clippy::panic,
        reason = "a panic in a test is a failed test"
    )
)]

pub mod azure;
mod error;
mod flows;
pub mod scenario;

pub use error::ImportError;
pub use flows::{flow_from_doc, resolve_endpoint};

use netsec_engine::Network;
use scenario::doc::ScenarioDoc;

/// The largest input read: 128 MiB.
pub const MAX_INPUT_BYTES: usize = 128 * 1024 * 1024;

/// A network read from a file, with the document it came from.
#[derive(Clone, Debug)]
pub struct Loaded {
    /// The scenario document (for Azure input, the one converted from it).
    pub doc: ScenarioDoc,
    /// The validated network.
    pub network: Network,
    /// What was imported, skipped and assumed.
    pub report: ImportReport,
    /// The format the input was in.
    pub format: SourceFormat,
}

/// The formats [`load`] recognises.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceFormat {
    /// A playground scenario file.
    Scenario,
    /// Azure resource JSON (REST API or az CLI output).
    AzureResources,
}

/// What an import did with the input.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// One line per resource imported (`networkSecurityGroups/web-nsg (3 rules)`).
    pub imported: Vec<String>,
    /// What was left out, and why.
    pub skipped: Vec<(String, String)>,
    /// Values the import had to choose because the input did not say.
    pub assumptions: Vec<String>,
}

impl ImportReport {
    /// Records something left out.
    pub(crate) fn skip(&mut self, what: impl Into<String>, why: impl Into<String>) {
        self.skipped.push((what.into(), why.into()));
    }
}

/// Reads a scenario file or Azure resource JSON, whichever `text` is.
///
/// An object with `"format": "netsec-scenario"` (or with both `format` and
/// `version` keys) is a scenario; anything else is read as Azure resource
/// JSON. An ARM deployment template is recognised and refused with a clear
/// message (templates are not supported yet).
pub fn load(text: &str) -> Result<Loaded, ImportError> {
    check_input(text)?;
    match detect(text) {
        Detected::Scenario => load_scenario(text),
        Detected::ArmTemplate => Err(ImportError::new(
            "$.$schema",
            "this is an ARM deployment template; templates are not read yet: deploy it, then \
             load the resources as `az resource list` or `az network ... show` prints them",
        )),
        Detected::Azure => load_azure(text),
    }
}

/// Reads a scenario file (format `netsec-scenario`, version 1) and builds it.
pub fn load_scenario(text: &str) -> Result<Loaded, ImportError> {
    check_input(text)?;
    let doc = scenario::parse(text)?;
    let network = scenario::build::build(&doc)?;
    let report = scenario::summary(&doc);
    Ok(Loaded {
        doc,
        network,
        report,
        format: SourceFormat::Scenario,
    })
}

/// Reads Azure resource JSON (REST API or az CLI output), converts it to a
/// scenario document and builds it.
pub fn load_azure(text: &str) -> Result<Loaded, ImportError> {
    check_input(text)?;
    let imported = azure::read(text)?;
    let network = imported.build()?;
    Ok(Loaded {
        doc: imported.doc,
        network,
        report: imported.report,
        format: SourceFormat::AzureResources,
    })
}

/// Writes a scenario document as pretty-printed JSON (two-space indent,
/// trailing newline).
pub fn to_scenario_json(doc: &ScenarioDoc) -> String {
    match serde_json::to_string_pretty(doc) {
        Ok(mut s) => {
            s.push('\n');
            s
        }
        // Serializing plain data with string keys cannot fail.
        Err(_) => String::from("{}\n"),
    }
}

/// Rejects input that is too large or empty, before parsing.
pub(crate) fn check_input(text: &str) -> Result<(), ImportError> {
    check_size(text.len())?;
    if text.trim().is_empty() {
        return Err(ImportError::new(
            "$",
            "the input is empty; expected a scenario file or Azure resource JSON",
        ));
    }
    Ok(())
}

fn check_size(len: usize) -> Result<(), ImportError> {
    if len > MAX_INPUT_BYTES {
        let mib = len as f64 / (1024.0 * 1024.0);
        return Err(ImportError::new(
            "$",
            format!("the input is {mib:.1} MiB ({len} bytes); the limit is 128 MiB"),
        ));
    }
    Ok(())
}

/// What `load` found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Detected {
    Scenario,
    Azure,
    /// Recognised so that it gets a clear message; a reader can replace it.
    ArmTemplate,
    // Terraform state/plan JSON (`terraform_version`, `resource_changes`) and
    // Bicep would be recognised here when readers for them exist.
}

/// Looks at the first JSON value only: its top-level keys decide.
fn detect(text: &str) -> Detected {
    #[derive(serde::Deserialize)]
    struct Probe {
        format: Option<serde_json::Value>,
        version: Option<serde_json::Value>,
        #[serde(rename = "$schema")]
        schema: Option<serde_json::Value>,
    }
    if !text.trim_start().starts_with('{') {
        return Detected::Azure;
    }
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<Probe>();
    let Some(Ok(probe)) = stream.next() else {
        // A syntax error: the Azure reader reports it with its line and column.
        return Detected::Azure;
    };
    let format = probe.format.as_ref().and_then(|f| f.as_str());
    if format == Some(scenario::doc::FORMAT) || (probe.format.is_some() && probe.version.is_some())
    {
        return Detected::Scenario;
    }
    let schema = probe.schema.as_ref().and_then(|s| s.as_str()).unwrap_or("");
    if schema.contains("deploymentTemplate") {
        return Detected::ArmTemplate;
    }
    Detected::Azure
}

#[cfg(test)]
mod tests;
