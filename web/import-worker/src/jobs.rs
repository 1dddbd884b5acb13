//! The worker's jobs as plain Rust, apart from the JS messages, so they run
//! (and are tested) on the host too.

use netsec_import_worker::Job;

/// What a job produced.
#[derive(Debug)]
pub enum Done {
    /// An import: the scenario it produced, the format read, the report lines.
    Imported {
        /// The imported document as scenario JSON.
        scenario: String,
        /// The label of the format the input was in.
        format: &'static str,
        /// `imported: ...`, `skipped: ...: ...`, `assumed: ...`, in that order.
        report: Vec<String>,
    },
    /// An export's text.
    Exported(String),
}

/// Runs `job` on `text` (a file's text, or for an export the scenario JSON).
/// A failure is the import error's one line.
pub fn run(job: Job, text: &str) -> Result<Done, String> {
    match job {
        Job::Import | Job::ImportFiles => {
            let loaded = if job == Job::Import {
                netsec_import::load(text)
            } else {
                netsec_import::load_terraform_files(&folder_files(text)?, None)
            }
            .map_err(|e| e.to_string())?;
            let r = &loaded.report;
            let report = r
                .imported
                .iter()
                .map(|i| format!("imported: {i}"))
                .chain(
                    r.skipped
                        .iter()
                        .map(|(what, why)| format!("skipped: {what}: {why}")),
                )
                .chain(r.assumptions.iter().map(|a| format!("assumed: {a}")))
                .collect();
            Ok(Done::Imported {
                scenario: netsec_import::to_scenario_json(&loaded.doc),
                format: loaded.format.label(),
                report,
            })
        }
        Job::ExportArm | Job::ExportTerraform => {
            // The page sends its document as scenario JSON (what Save writes);
            // reading it back also validates it, as the exporters need.
            let doc = netsec_import::load_scenario(text)
                .map_err(|e| e.to_string())?
                .doc;
            let exported = if job == Job::ExportArm {
                netsec_import::export_arm(&doc)
            } else {
                netsec_import::export_terraform(&doc)
            };
            exported.map(Done::Exported).map_err(|e| e.to_string())
        }
    }
}

/// The files of [`Job::ImportFiles`]: a JSON array of `{"path", "text"}`.
fn folder_files(text: &str) -> Result<Vec<netsec_import::TerraformFile>, String> {
    use netsec_import::scenario::json::{Json, parse};
    let bad = || {
        String::from(
            "the page sent the folder's files in a shape the importer does not read; reload the page",
        )
    };
    let Json::Array(items) = parse(text).map_err(|e| e.to_string())? else {
        return Err(bad());
    };
    items
        .into_iter()
        .map(|item| {
            let Json::Object(members) = item else {
                return Err(bad());
            };
            let field = |k: &str| {
                members.iter().find_map(|(key, v)| match v {
                    Json::String(s) if key == k => Some(s.to_string()),
                    _ => None,
                })
            };
            Ok(netsec_import::TerraformFile {
                path: field("path").ok_or_else(bad)?,
                text: field("text").ok_or_else(bad)?,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::panic, reason = "a panic in a test is a failed test")]

    use super::*;

    const TEMPLATE: &str = r#"{
      "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
      "contentVersion": "1.0.0.0",
      "parameters": { "prefix": { "type": "string", "defaultValue": "shop" } },
      "resources": [
        { "type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2024-05-01",
          "name": "[concat(parameters('prefix'), '-nsg')]", "location": "westeurope",
          "properties": { "securityRules": [] } },
        { "type": "Microsoft.Network/virtualNetworks", "apiVersion": "2024-05-01",
          "name": "[concat(parameters('prefix'), '-vnet')]", "location": "westeurope",
          "properties": { "addressSpace": { "addressPrefixes": ["10.30.0.0/16"] },
            "subnets": [ { "name": "app", "properties": { "addressPrefix": "10.30.1.0/24" } } ] } }
      ]
    }"#;

    const TERRAFORM: &str = r#"
resource "azurerm_virtual_network" "main" {
  name                = "tf-vnet"
  location            = "westeurope"
  resource_group_name = "rg"
  address_space       = ["10.40.0.0/16"]
}
"#;

    fn import(text: &str) -> (String, &'static str, Vec<String>) {
        match run(Job::Import, text) {
            Ok(Done::Imported {
                scenario,
                format,
                report,
            }) => (scenario, format, report),
            other => panic!("expected an import, got {other:?}"),
        }
    }

    fn export(job: Job, scenario: &str) -> String {
        match run(job, scenario) {
            Ok(Done::Exported(text)) => text,
            other => panic!("expected an export, got {other:?}"),
        }
    }

    #[test]
    fn an_arm_template_imports_to_scenario_json_the_page_can_read() {
        let (scenario, format, report) = import(TEMPLATE);
        assert_eq!(format, "ARM template");
        assert!(report.iter().any(|l| l.starts_with("imported: ")));
        let back = netsec_import::load_scenario(&scenario).map_err(|e| e.to_string());
        let Ok(back) = back else {
            panic!("the worker's scenario does not load: {back:?}");
        };
        assert_eq!(back.network.vnets().len(), 1);
        assert_eq!(back.network.nsgs().len(), 1);
    }

    #[test]
    fn terraform_source_imports() {
        let (_, format, _) = import(TERRAFORM);
        assert_eq!(format, "Terraform configuration");
    }

    #[test]
    fn a_folder_imports_with_its_local_module() {
        let files = r#"[
          {"path": "main.tf", "text": "module \"net\" {\n  source = \"./modules/net\"\n}\n"},
          {"path": "modules/net/main.tf", "text": "resource \"azurerm_virtual_network\" \"v\" {\n  name = \"from-module\"\n  location = \"westeurope\"\n  resource_group_name = \"rg\"\n  address_space = [\"10.41.0.0/16\"]\n}\n"}
        ]"#;
        match run(Job::ImportFiles, files) {
            Ok(Done::Imported {
                scenario, format, ..
            }) => {
                assert_eq!(format, "Terraform configuration");
                assert!(scenario.contains("from-module"), "{scenario}");
            }
            other => panic!("expected an import, got {other:?}"),
        }
        match run(
            Job::ImportFiles,
            r#"[{"path": "main.tf", "text": "resource {"}]"#,
        ) {
            Err(e) => assert!(e.starts_with("main.tf: line 1"), "{e}"),
            other => panic!("expected an error, got {other:?}"),
        }
    }

    #[test]
    fn exports_read_the_scenario_and_import_back() {
        let (scenario, _, _) = import(TEMPLATE);
        let arm = export(Job::ExportArm, &scenario);
        assert!(arm.contains("Microsoft.Network/virtualNetworks"));
        let tf = export(Job::ExportTerraform, &scenario);
        assert!(tf.contains("azurerm_virtual_network"));
        for text in [arm, tf] {
            let (again, _, _) = import(&text);
            let a = netsec_import::load_scenario(&again).map(|l| l.network.subnets().len());
            assert_eq!(a.ok(), Some(1));
        }
    }

    #[test]
    fn failures_are_one_line() {
        for (job, text) in [
            (Job::Import, "{ not json"),
            (Job::Import, ""),
            (Job::Import, "resource \"azurerm_subnet\" {"),
            (Job::ExportArm, "{}"),
            (Job::ExportTerraform, "[1, 2"),
            (Job::ImportFiles, "{}"),
            (Job::ImportFiles, "[{\"path\": 1}]"),
            (Job::ImportFiles, "[]"),
        ] {
            match run(job, text) {
                Err(e) => assert!(!e.is_empty() && !e.contains('\n'), "{job:?}: {e}"),
                Ok(done) => panic!("{job:?} on {text:?} succeeded: {done:?}"),
            }
        }
    }
}
