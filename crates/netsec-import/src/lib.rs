//! # netsec-import: networks in and out of files
//!
//! The engine ([`netsec_engine`]) knows nothing of files. This crate reads
//! the formats below, turns them into a validated [`Network`], and writes
//! networks back out as scenarios, ARM templates and Terraform.
//!
//! ## The formats
//!
//! - **Scenario files** ([`scenario`]): the playground's own format, one JSON
//!   object with `"format": "netsec-scenario"` and `"version": 1`. Resources
//!   refer to each other by name; field names follow Azure's ARM properties.
//!   The document types are in [`scenario::doc`], the conversion to a network
//!   in [`scenario::build`] and the way back in [`scenario::export`].
//!   [`load_scenario`] reads one; [`to_scenario_json`] writes one. Every
//!   other format is converted to this document.
//! - **Azure resource JSON** ([`azure`]): what the Azure REST API and
//!   `az ... show` / `az ... list` print: one resource, an array of them,
//!   `{"value": [...]}`, objects wrapping resources, or several such documents
//!   one after another in one file. Both the REST shape (`properties`
//!   nested) and the az CLI's flattened shape are read. [`load_azure`]
//!   converts what it recognises into a scenario document, then builds it;
//!   what it cannot represent is listed in the [`ImportReport`], never
//!   silently dropped.
//! - **ARM templates** ([`arm`]), and Bicep compiled by `bicep build`: the
//!   template is evaluated (parameters, variables, copy loops, conditions,
//!   template functions) and the resources it would deploy are read like
//!   Azure resource JSON. A parameters file is optional ([`load_with_parameters`]).
//! - **Terraform** ([`terraform`]): `.tf` source (with the `hcl` feature) and
//!   the JSON `terraform show -json` prints for a plan or a state; `azurerm_*`
//!   resources are converted to their Azure form and read the same way.
//!
//! [`load`] tells the formats apart (see [`SourceFormat`]); [`export_arm()`]
//! and [`export_terraform()`] write a scenario's network resources (load
//! balancers, firewalls and their policies, PaaS services and private
//! endpoints included) as a deployable template or configuration that loads
//! back to the same network; what a format cannot hold is reported.
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
//!   `document N, $`. In an ARM template the path is into the template
//!   (`$.resources[1].properties.securityRules[0].properties.priority`); in
//!   an ARM parameters file it starts with `parameters file, `; in a `.tf`
//!   file it is `line L, column C` of the block or attribute at fault.
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

pub mod arm;
pub mod azure;
mod error;
pub mod expect;
pub mod export_arm;
pub mod export_tf;
mod flows;
mod jsonc;
pub mod scenario;
pub mod terraform;

pub use error::{ImportError, printable};
pub use flows::{DEFAULT_SOURCE_PORT, endpoint_nic, flow_from_doc, resolve_endpoint};

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
    /// An ARM deployment template (or Bicep compiled to one).
    ArmTemplate,
    /// Terraform `.tf` source.
    Terraform,
    /// Terraform plan or state JSON (`terraform show -json`, or a state file).
    TerraformJson,
}

impl SourceFormat {
    /// A short name for messages and reports.
    pub fn label(self) -> &'static str {
        match self {
            SourceFormat::Scenario => "scenario file",
            SourceFormat::AzureResources => "Azure resource JSON",
            SourceFormat::ArmTemplate => "ARM template",
            SourceFormat::Terraform => "Terraform configuration",
            SourceFormat::TerraformJson => "Terraform plan/state JSON",
        }
    }
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

/// Reads any supported format, whichever `text` is (see [`SourceFormat`]).
///
/// An object with `"format": "netsec-scenario"` (or with both `format` and
/// `version` keys) is a scenario; an object with a deployment template
/// `$schema` (or `contentVersion` and `resources`) is an ARM template, read
/// with its parameters' default values; `terraform show -json` output and
/// state files are Terraform JSON; text that is not JSON and has Terraform
/// blocks (`resource "azurerm_...`) is Terraform source; anything else is
/// read as Azure resource JSON.
pub fn load(text: &str) -> Result<Loaded, ImportError> {
    load_with_parameters(text, None)
}

/// Like [`load`], with parameter values: an ARM parameters file
/// (`{"parameters": {"name": {"value": ...}}}`) for a template, or a
/// `.tfvars` file (HCL or JSON) for Terraform source. Other formats take none.
pub fn load_with_parameters(text: &str, parameters: Option<&str>) -> Result<Loaded, ImportError> {
    // Files saved by Windows tools may start with a byte order mark.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let parameters = parameters.map(|p| p.strip_prefix('\u{feff}').unwrap_or(p));
    check_input(text)?;
    if let Some(p) = parameters {
        check_size(p.len())?;
    }
    // A template that opens with a comment is not source code, whatever
    // its script variables hold.
    let opens_with_comment = {
        let head = text.trim_start();
        head.starts_with("//") || head.starts_with("/*")
    };
    // An ARM template or parameters file that uses what Azure accepts beyond
    // strict JSON (see `jsonc`); asked only where strict detection needs it.
    let relaxed_arm = || arm_schema_named(text).filter(|_| jsonc::relax(text).is_some());
    let detected = match opens_with_comment.then(relaxed_arm).flatten() {
        Some(kind) => kind,
        // Strict detection saw broken JSON; if it is still broken once
        // relaxed, the ARM reader says where (in its terms).
        None => match detect(text) {
            d @ (Detected::Azure | Detected::Scenario) => relaxed_arm().unwrap_or(d),
            d => d,
        },
    };
    let no_parameters = |what: &str| -> Result<(), ImportError> {
        match parameters {
            Some(_) => Err(ImportError::new(
                "$",
                format!(
                    "parameter values are only for ARM templates and Terraform source; this is {what}"
                ),
            )),
            None => Ok(()),
        }
    };
    let mut loaded = match detected {
        Detected::Scenario => {
            no_parameters("a scenario file")?;
            load_scenario(text)
        }
        Detected::ArmTemplate => load_arm(text, parameters),
        Detected::ArmParameters => Err(ImportError::new(
            "$.$schema",
            "this is an ARM parameters file, not a template; load the template and give this file as its parameters (--parameters FILE)",
        )),
        Detected::TerraformJson => {
            no_parameters("Terraform plan or state JSON, which holds its variables' values")?;
            load_terraform_json(text)
        }
        Detected::TerraformConfigJson => Err(ImportError::new(
            "$",
            "this is Terraform configuration in JSON syntax (.tf.json), which is not read; load the .tf source, or the plan as `terraform show -json` prints it",
        )),
        Detected::TerraformHcl => load_terraform(text, parameters),
        Detected::Bicep => Err(ImportError::new(
            "line 1, column 1",
            "this is Bicep source; compile it to an ARM template first (bicep build main.bicep, or az bicep build --file main.bicep) and load the JSON",
        )),
        Detected::Azure => {
            no_parameters("Azure resource JSON")?;
            load_azure(text)
        }
    }?;
    note_unknown_tags(&loaded.network, &mut loaded.report);
    Ok(loaded)
}

/// A network's size in one line: `1 VNets, 2 subnets, ..., 0 firewalls`, as
/// `netsec validate` and the page's import report begin.
pub fn network_counts(net: &Network) -> String {
    format!(
        "{} VNets, {} subnets, {} NSGs, {} ASGs, {} NICs, {} VMs, {} route tables, {} public IPs, {} load balancers, {} firewalls",
        net.vnets().len(),
        net.subnets().len(),
        net.nsgs().len(),
        net.asgs().len(),
        net.nics().len(),
        net.vms().len(),
        net.route_tables().len(),
        net.public_ips().len(),
        net.load_balancers().len(),
        net.firewalls().len()
    )
}

/// Lists the NSG rules that name a service tag the playground does not know:
/// such a rule matches no address here (Azure accepts only its published tag
/// names), which the report says, so that a misspelt tag is not silent.
fn note_unknown_tags(net: &Network, report: &mut ImportReport) {
    use netsec_engine::AddressSpec;
    use netsec_engine::servicetag::TagKind;
    for (_, nsg) in net.nsgs() {
        for rule in &nsg.rules {
            for (side, spec) in [("source", &rule.source), ("destination", &rule.destination)] {
                if let AddressSpec::Tag(tag) = spec
                    && tag.kind() == TagKind::Unknown
                {
                    report.assumptions.push(format!(
                        "networkSecurityGroups/{}/securityRules/{} ({side}): '{tag}' is not a service tag the playground knows; the rule matches no address here",
                        nsg.name, rule.name
                    ));
                }
            }
        }
    }
}

/// Reads an ARM template (or Bicep compiled to one), with an optional
/// parameters file, evaluates it and builds the network it deploys.
pub fn load_arm(text: &str, parameters: Option<&str>) -> Result<Loaded, ImportError> {
    let imported = arm::read(text, parameters)?;
    let network = imported.build()?;
    Ok(Loaded {
        doc: imported.doc,
        network,
        report: imported.report,
        format: SourceFormat::ArmTemplate,
    })
}

/// Reads Terraform `.tf` source (several files may be concatenated), with
/// optional `.tfvars` values, and builds the network it describes.
pub fn load_terraform(text: &str, tfvars: Option<&str>) -> Result<Loaded, ImportError> {
    // HCL ends lines with LF or CRLF; a lone CR (old Mac editors) is not a
    // line break to Terraform either, so the whole file would be one line.
    if text.contains('\r') && !text.contains('\n') {
        return Err(ImportError::new(
            "line 1, column 1",
            "the file's lines end with a carriage return alone (CR); Terraform reads LF or CRLF line endings: convert the file (e.g. tr '\\r' '\\n') and load it again",
        ));
    }
    let imported = terraform::read_hcl(text, tfvars)?;
    let network = imported.build()?;
    Ok(Loaded {
        doc: imported.doc,
        network,
        report: imported.report,
        format: SourceFormat::Terraform,
    })
}

/// One file of a Terraform configuration directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TerraformFile {
    /// Its path relative to the directory, `/`-separated (`main.tf`,
    /// `modules/vnet/main.tf`).
    pub path: String,
    /// Its text.
    pub text: String,
}

/// Reads a Terraform configuration directory and builds the network it
/// describes: the root module is the `.tf` files at the top, in name order;
/// the files below are the local modules its `module` blocks call
/// (`source = "./modules/vnet"`), read with the inputs the block gives and
/// their resources addressed `module.NAME.TYPE.NAME`. Errors name the file
/// (`modules/vnet/main.tf: line 3, column 5`). Modules from a registry or
/// a Git URL are reported, not read.
pub fn load_terraform_files(
    files: &[TerraformFile],
    tfvars: Option<&str>,
) -> Result<Loaded, ImportError> {
    for f in files {
        if f.text.contains('\r') && !f.text.contains('\n') {
            return Err(ImportError::new(
                format!("{}: line 1, column 1", f.path),
                "the file's lines end with a carriage return alone (CR); Terraform reads LF or CRLF line endings: convert the file (e.g. tr '\\r' '\\n') and load it again",
            ));
        }
    }
    let imported = terraform::read_hcl_files(files, tfvars)?;
    let network = imported.build()?;
    Ok(Loaded {
        doc: imported.doc,
        network,
        report: imported.report,
        format: SourceFormat::Terraform,
    })
}

/// Reads Terraform plan or state JSON and builds the network it describes.
pub fn load_terraform_json(text: &str) -> Result<Loaded, ImportError> {
    let imported = terraform::read_json(text)?;
    let network = imported.build()?;
    Ok(Loaded {
        doc: imported.doc,
        network,
        report: imported.report,
        format: SourceFormat::TerraformJson,
    })
}

/// Writes a scenario's network resources as a deployable ARM template
/// (see [`export_arm`](crate::export_arm::export_arm) for what it holds).
pub fn export_arm(doc: &ScenarioDoc) -> Result<String, ImportError> {
    export_arm::export_arm(doc).map(|e| e.text)
}

/// Writes a scenario's network resources as Terraform (azurerm provider).
pub fn export_terraform(doc: &ScenarioDoc) -> Result<String, ImportError> {
    export_tf::export_terraform(doc).map(|e| e.text)
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
    scenario::codec::write_doc(doc)
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

pub(crate) fn check_size(len: usize) -> Result<(), ImportError> {
    if len > MAX_INPUT_BYTES {
        // Tenths of a MiB in integers: no float formatting in the browser bundle.
        let tenths = len as u64 * 10 / (1024 * 1024);
        let mib = format!("{}.{}", tenths / 10, tenths % 10);
        return Err(ImportError::new(
            "$",
            format!("the input is {mib} MiB ({len} bytes); the limit is 128 MiB"),
        ));
    }
    Ok(())
}

/// What `load` found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Detected {
    Scenario,
    Azure,
    ArmTemplate,
    ArmParameters,
    TerraformJson,
    TerraformConfigJson,
    TerraformHcl,
    Bicep,
}

/// An ARM template or parameters file, if the start of a text names one's
/// schema (cheap enough to ask of a 50 MB export).
fn arm_schema_named(text: &str) -> Option<Detected> {
    let mut end = text.len().min(64 * 1024);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let head = &text[..end];
    if head.contains("eploymentTemplate.json") {
        Some(Detected::ArmTemplate)
    } else if head.contains("eploymentParameters.json") {
        Some(Detected::ArmParameters)
    } else {
        None
    }
}

/// Looks at the first JSON value only: its top-level keys decide. Text that
/// is not JSON is looked at line by line for Terraform or Bicep.
fn detect(text: &str) -> Detected {
    let first = text.trim_start().chars().next();
    if first != Some('{') && first != Some('[') {
        return match sniff_source(text) {
            Some(d) => d,
            // Not JSON and not source: the Azure reader reports the JSON error.
            None => Detected::Azure,
        };
    }
    if first != Some('{') {
        return Detected::Azure;
    }
    #[derive(serde::Deserialize)]
    struct Probe {
        format: Option<serde_json::Value>,
        version: Option<serde_json::Value>,
        #[serde(rename = "$schema")]
        schema: Option<serde_json::Value>,
        #[serde(rename = "contentVersion")]
        content_version: Option<serde_json::Value>,
        resources: Option<serde_json::Value>,
        format_version: Option<serde_json::Value>,
        terraform_version: Option<serde_json::Value>,
        planned_values: Option<serde_json::Value>,
        values: Option<serde_json::Value>,
        resource_changes: Option<serde_json::Value>,
        resource: Option<serde_json::Value>,
        vnets: Option<serde::de::IgnoredAny>,
        nsgs: Option<serde::de::IgnoredAny>,
        title: Option<serde::de::IgnoredAny>,
    }
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<Probe>();
    let Some(Ok(probe)) = stream.next() else {
        // A scenario with a duplicated key still goes to the scenario reader,
        // which names the key and its line; any other syntax error goes to
        // the Azure reader, which reports it with its line and column.
        let head = text.get(..text.len().min(4096)).unwrap_or(text);
        if head.contains(&format!("\"{}\"", scenario::doc::FORMAT)) {
            return Detected::Scenario;
        }
        return Detected::Azure;
    };
    let format = probe.format.as_ref().and_then(|f| f.as_str());
    // A scenario whose "format" was lost still has its version and its own
    // keys; the scenario reader then says what is missing, where the Azure
    // reader would find no resources and import nothing without a word.
    // ("vnets" and "nsgs" are no Azure resource's top-level keys.)
    let scenario_lists = probe.vnets.is_some() || probe.nsgs.is_some();
    if format == Some(scenario::doc::FORMAT)
        || (probe.format.is_some() && probe.version.is_some())
        || (probe.schema.is_none()
            && (scenario_lists || (probe.version.is_some() && probe.title.is_some())))
    {
        return Detected::Scenario;
    }
    let schema = probe.schema.as_ref().and_then(|s| s.as_str()).unwrap_or("");
    if schema.contains("eploymentTemplate") {
        return Detected::ArmTemplate;
    }
    if schema.contains("eploymentParameters") {
        return Detected::ArmParameters;
    }
    if probe.content_version.is_some() && probe.resources.is_some() {
        return Detected::ArmTemplate;
    }
    let terraform = probe.terraform_version.is_some()
        || (probe.format_version.is_some()
            && (probe.planned_values.is_some()
                || probe.values.is_some()
                || probe.resource_changes.is_some()));
    if terraform {
        return Detected::TerraformJson;
    }
    if probe
        .resource
        .as_ref()
        .and_then(|r| r.as_object())
        .is_some_and(|r| r.keys().any(|k| k.starts_with("azurerm_")))
    {
        return Detected::TerraformConfigJson;
    }
    Detected::Azure
}

/// Terraform or Bicep source, by the first lines that start a block. Text of
/// comments alone is Terraform (`#` and `//` are its comments, and JSON has
/// none): an empty configuration, not broken JSON. Lines may end with LF, CRLF
/// or a lone CR (which the Terraform reader then names).
fn sniff_source(text: &str) -> Option<Detected> {
    let (mut comments, mut other) = (false, false);
    for line in text.split(['\n', '\r']).take(5000) {
        let l = line.trim_start();
        if l.is_empty() {
            continue;
        }
        if l.starts_with('#') || l.starts_with("//") || l.starts_with("/*") {
            comments = true;
            continue;
        }
        // Inside or after a block comment's first line: not a block start.
        if l.starts_with('*') {
            continue;
        }
        other = true;
        let word = l
            .split(|c: char| c.is_whitespace() || c == '{')
            .next()
            .unwrap_or("");
        let rest = l.get(word.len()..).unwrap_or("").trim_start();
        match word {
            "resource" | "data" | "module" if rest.starts_with('"') => {
                return Some(Detected::TerraformHcl);
            }
            "variable" | "provider" | "output" if rest.starts_with('"') => {
                return Some(Detected::TerraformHcl);
            }
            "terraform" | "locals" if rest.starts_with('{') => return Some(Detected::TerraformHcl),
            "param" | "var" | "targetScope" | "metadata" | "import" | "type" | "func" => {
                return Some(Detected::Bicep);
            }
            "resource" | "module" | "output" | "existing" if !rest.starts_with('"') => {
                return Some(Detected::Bicep);
            }
            _ if l.starts_with('@') => return Some(Detected::Bicep),
            _ => {}
        }
    }
    (comments && !other).then_some(Detected::TerraformHcl)
}

#[cfg(test)]
mod tests;
