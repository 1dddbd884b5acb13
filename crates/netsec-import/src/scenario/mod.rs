//! The playground's scenario format, version 1.
//!
//! [`doc`] holds the document types, [`json`] parses and writes JSON,
//! [`codec`] reads and writes the document types over it (with the JSON
//! path of every error), [`build`] turns a document into a validated
//! network, [`export`] turns a network back into a document. Reading a file
//! is [`crate::load_scenario`].
//!
//! The format has its own small JSON layer instead of serde because the
//! browser reads and writes it (autosave, share links, files) and serde's
//! generic code was a seventh of the page's wasm; the Azure, ARM and
//! Terraform readers, which run in the CLI and the import worker, keep
//! serde_json.

pub mod build;
pub mod codec;
pub mod doc;
pub mod export;
pub mod json;

use crate::{ImportError, ImportReport};
use codec::{At, Codec};
use doc::ScenarioDoc;
use json::Json;

/// Reads a scenario document: the JSON first (syntax errors at their line
/// and column), then the format and version (so a newer file gets a version
/// message, not an unknown-field one), then the whole document, with the
/// JSON path of any wrong, missing or unknown field.
pub(crate) fn parse(text: &str) -> Result<ScenarioDoc, ImportError> {
    let tree = json::parse(text)?;
    let Json::Object(members) = &tree else {
        return Err(ImportError::new(
            "$",
            "a scenario file is one JSON object, starting with {\"format\": \"netsec-scenario\", \"version\": 1",
        ));
    };
    let member = |key: &str| members.iter().find(|(k, _)| k == key).map(|(_, v)| v);
    match member("format") {
        None => {
            return Err(ImportError::new(
                "$.format",
                "the format is missing; a scenario file has \"format\": \"netsec-scenario\"",
            ));
        }
        Some(Json::String(f)) if f == doc::FORMAT => {}
        Some(other) => {
            return Err(ImportError::new(
                "$.format",
                format!(
                    "{} is not a format this program reads; a scenario file has \"format\": \"netsec-scenario\"",
                    other.short()
                ),
            ));
        }
    }
    let version = match member("version") {
        None => {
            return Err(ImportError::new(
                "$.version",
                "the version is missing; this program reads scenario files of version 1",
            ));
        }
        Some(v @ Json::Number(n)) => n.parse::<i64>().map_err(|_| {
            ImportError::new(
                "$.version",
                format!("the version must be the number 1, not {}", v.short()),
            )
        })?,
        Some(other) => {
            return Err(ImportError::new(
                "$.version",
                format!("the version must be the number 1, not {}", other.short()),
            ));
        }
    };
    match version {
        1 => {}
        v if v > 1 => {
            return Err(ImportError::new(
                "$.version",
                format!(
                    "this file is scenario format version {v}, newer than this program reads (version 1); update NetSec Playground to open it"
                ),
            ));
        }
        v => {
            return Err(ImportError::new(
                "$.version",
                format!("scenario format version {v} does not exist; the current version is 1"),
            ));
        }
    }
    ScenarioDoc::read(&tree, &At::Root)
}

/// A serde_json error as an [`ImportError`]: syntax errors at their line and
/// column, data errors at `path`.
pub(crate) fn json_error(e: &serde_json::Error, path: &str) -> ImportError {
    let full = e.to_string();
    // serde_json appends " at line L column C"; the location says it already.
    let message = match full.rfind(" at line ") {
        Some(i) if e.line() > 0 => full.get(..i).unwrap_or(&full).to_string(),
        _ => full.clone(),
    };
    // serde_json counts columns from 1 but says 0 just after a line break
    // (the input ended there); editors have no column 0.
    let at = format!("line {}, column {}", e.line(), e.column().max(1));
    if !(e.is_syntax() || e.is_eof() || e.is_io()) && path.is_empty() {
        return ImportError::new(at, friendly(&message));
    }
    if e.is_syntax() || e.is_eof() || e.is_io() || path.is_empty() {
        let message = if e.is_eof() {
            format!("the JSON ends too early ({message})")
        } else {
            format!("this is not valid JSON: {message}")
        };
        return ImportError::new(at, message);
    }
    ImportError::new(path, friendly(&message))
}

/// Rewords serde's `invalid type: X, expected Y` as `expected Y, found X`.
fn friendly(message: &str) -> String {
    for prefix in ["invalid type: ", "invalid value: "] {
        if let Some(rest) = message.strip_prefix(prefix)
            && let Some((found, expected)) = rest.split_once(", expected ")
        {
            return format!("expected {expected}, found {found}");
        }
    }
    message.replace('`', "'")
}

/// Appends `.key`, or `["key"]` when the key is not a plain identifier.
pub(crate) fn push_key(out: &mut String, key: &str) {
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
    if plain {
        out.push('.');
        out.push_str(key);
    } else {
        out.push('[');
        json::push_string(out, key);
        out.push(']');
    }
}

/// A JSON value shortened for a message.
pub(crate) fn short_json(v: &serde_json::Value) -> String {
    let text = v.to_string();
    if text.chars().count() > 40 {
        let cut: String = text.chars().take(40).collect();
        format!("{cut}…")
    } else {
        text
    }
}

/// Counts per kind, for the report of a scenario load.
pub(crate) fn summary(doc: &ScenarioDoc) -> ImportReport {
    let subnets: usize = doc.vnets.iter().map(|v| v.subnets.len()).sum();
    let peerings: usize = doc.vnets.iter().map(|v| v.peerings.len()).sum();
    let rules: usize = doc.nsgs.iter().map(|n| n.rules.len()).sum();
    let counts = [
        (doc.vnets.len(), "virtual network", "virtual networks"),
        (subnets, "subnet", "subnets"),
        (peerings, "peering", "peerings"),
        (
            doc.nsgs.len(),
            "network security group",
            "network security groups",
        ),
        (rules, "security rule", "security rules"),
        (
            doc.asgs.len(),
            "application security group",
            "application security groups",
        ),
        (doc.route_tables.len(), "route table", "route tables"),
        (doc.public_ips.len(), "public IP", "public IPs"),
        (doc.nics.len(), "network interface", "network interfaces"),
        (doc.vms.len(), "virtual machine", "virtual machines"),
        (doc.load_balancers.len(), "load balancer", "load balancers"),
        (doc.firewalls.len(), "firewall", "firewalls"),
        (doc.services.len(), "service", "services"),
        (
            doc.private_endpoints.len(),
            "private endpoint",
            "private endpoints",
        ),
        (doc.admin_rules.len(), "admin rule", "admin rules"),
        (
            doc.internet_clients.len(),
            "Internet client",
            "Internet clients",
        ),
        (doc.flows.len(), "flow", "flows"),
    ];
    ImportReport {
        imported: counts
            .iter()
            .filter(|(n, _, _)| *n > 0)
            .map(|(n, one, many)| format!("{n} {}", if *n == 1 { one } else { many }))
            .collect(),
        ..ImportReport::default()
    }
}
