//! The playground's scenario format, version 1.
//!
//! [`doc`] holds the document types, [`build`] turns a document into a
//! validated network, [`export`] turns a network back into a document.
//! Reading a file is [`crate::load_scenario`].

pub mod build;
pub mod doc;
pub mod export;

use serde::Deserialize;
#[cfg(feature = "json-paths")]
use serde_path_to_error::Segment;

use crate::{ImportError, ImportReport};
use doc::ScenarioDoc;

/// Reads a scenario document: first the format and version (so a newer file
/// gets a version message, not an unknown-field one), then the whole document
/// with the JSON path of any type error.
pub(crate) fn parse(text: &str) -> Result<ScenarioDoc, ImportError> {
    #[derive(Deserialize)]
    struct Probe {
        format: Option<serde_json::Value>,
        version: Option<serde_json::Value>,
    }
    let one_object = || {
        ImportError::new(
            "$",
            "a scenario file is one JSON object, starting with {\"format\": \"netsec-scenario\", \"version\": 1",
        )
    };
    let first = text.trim_start().chars().next();
    if first.is_some_and(|c| c != '{') && serde_json::from_str::<serde_json::Value>(text).is_ok() {
        return Err(one_object());
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let probe = match Probe::deserialize(&mut de).and_then(|p| de.end().map(|()| p)) {
        Ok(p) => p,
        Err(e) if e.is_data() && first == Some('{') => {
            return Err(json_error(&e, "$"));
        }
        Err(e) if e.is_data() => return Err(one_object()),
        Err(e) => return Err(json_error(&e, "")),
    };
    match probe.format.as_ref() {
        None => {
            return Err(ImportError::new(
                "$.format",
                "the format is missing; a scenario file has \"format\": \"netsec-scenario\"",
            ));
        }
        Some(serde_json::Value::String(f)) if f == doc::FORMAT => {}
        Some(other) => {
            return Err(ImportError::new(
                "$.format",
                format!(
                    "{} is not a format this program reads; a scenario file has \"format\": \"netsec-scenario\"",
                    short_json(other)
                ),
            ));
        }
    }
    match probe.version.as_ref().map(|v| (v, v.as_i64())) {
        None => {
            return Err(ImportError::new(
                "$.version",
                "the version is missing; this program reads scenario files of version 1",
            ));
        }
        Some((_, Some(1))) => {}
        Some((_, Some(v))) if v > 1 => {
            return Err(ImportError::new(
                "$.version",
                format!(
                    "this file is scenario format version {v}, newer than this program reads (version 1); update NetSec Playground to open it"
                ),
            ));
        }
        Some((_, Some(v))) => {
            return Err(ImportError::new(
                "$.version",
                format!("scenario format version {v} does not exist; the current version is 1"),
            ));
        }
        Some((other, None)) => {
            return Err(ImportError::new(
                "$.version",
                format!(
                    "the version must be the number 1, not {}",
                    short_json(other)
                ),
            ));
        }
    }
    let mut de = serde_json::Deserializer::from_str(text);
    // With `json-paths`, a wrong type is reported at its JSON path; without it
    // (the browser bundle, where the tracking code costs ~150 KB), at its line
    // and column, which serde_json gives for every error.
    #[cfg(feature = "json-paths")]
    let doc: ScenarioDoc = match serde_path_to_error::deserialize(&mut de) {
        Ok(doc) => doc,
        Err(e) => {
            let path = json_path(e.path());
            return Err(json_error(e.inner(), &path));
        }
    };
    #[cfg(not(feature = "json-paths"))]
    let doc: ScenarioDoc = <ScenarioDoc as serde::Deserialize>::deserialize(&mut de)
        .map_err(|e| json_error(&e, ""))?;
    de.end().map_err(|e| json_error(&e, ""))?;
    Ok(doc)
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
    if !(e.is_syntax() || e.is_eof() || e.is_io()) && path.is_empty() {
        return ImportError::new(
            format!("line {}, column {}", e.line(), e.column()),
            friendly(&message),
        );
    }
    if e.is_syntax() || e.is_eof() || e.is_io() || path.is_empty() {
        let message = if e.is_eof() {
            format!("the JSON ends too early ({message})")
        } else {
            format!("this is not valid JSON: {message}")
        };
        return ImportError::new(format!("line {}, column {}", e.line(), e.column()), message);
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

/// `$.a[0].b` from serde_path_to_error's segments.
#[cfg(feature = "json-paths")]
fn json_path(path: &serde_path_to_error::Path) -> String {
    let mut out = String::from("$");
    for seg in path {
        match seg {
            Segment::Seq { index } => out.push_str(&format!("[{index}]")),
            Segment::Map { key } => push_key(&mut out, key),
            Segment::Enum { variant } => push_key(&mut out, variant),
            Segment::Unknown => out.push_str(".?"),
        }
    }
    out
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
        out.push_str(&format!("[{}]", serde_json::Value::from(key)));
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
