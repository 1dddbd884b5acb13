//! Turning a file's text into a pending import (or a refusal that keeps the work).

use crate::app::Ctx;
use crate::import_worker::{self, Imported, JobError};
use crate::state::{Action, PendingImport};

/// Reads `text` (any supported format) in the import worker and, when it
/// answers, offers the result for import with its report. The page stays
/// usable meanwhile; nothing changes until the user accepts the import.
pub fn import_text(ctx: &Ctx, source: &str, text: &str) {
    ctx.dispatch(Action::Inform(format!("Importing {source}…")));
    let ctx = ctx.clone();
    let name = source.to_string();
    import_worker::import(source, text, move |result| offer_result(&ctx, name, result));
}

/// Imports a Terraform folder's `.tf` files, (path relative to the folder,
/// text), with the local modules below it, through the import worker.
pub fn import_folder(ctx: &Ctx, folder: &str, files: &[(String, String)]) {
    ctx.dispatch(Action::Inform(format!("Importing the folder {folder}…")));
    let mut json = String::from("[");
    for (i, (path, text)) in files.iter().enumerate() {
        if i > 0 {
            json.push(',');
        }
        json.push_str("{\"path\":");
        netsec_import::scenario::json::push_string(&mut json, path);
        json.push_str(",\"text\":");
        netsec_import::scenario::json::push_string(&mut json, text);
        json.push('}');
    }
    json.push(']');
    let ctx = ctx.clone();
    let name = format!("the folder {folder}");
    import_worker::import_folder(folder, &json, move |result| {
        offer_result(&ctx, name, result)
    });
}

/// Offers a finished import, or says why it cannot be.
fn offer_result(ctx: &Ctx, source: String, result: Result<Imported, JobError>) {
    match offer(&source, result) {
        Ok((pending, format)) => {
            // Replaces "Importing …", which would outlive a cancelled import.
            ctx.dispatch(Action::Inform(format!("Read {source} ({format}).")));
            ctx.dispatch(Action::OfferImport(pending));
        }
        Err(sentence) => ctx.dispatch(Action::Refuse(sentence)),
    }
}

/// The import to offer (and the format read), or the sentence that refuses it.
fn offer(
    source: &str,
    result: Result<Imported, JobError>,
) -> Result<(PendingImport, String), String> {
    let failed = |e: &dyn std::fmt::Display| {
        format!("Could not import {source}: {e}. Your work is unchanged.")
    };
    let (scenario, format, lines) = match result {
        Ok(Imported {
            scenario,
            format,
            report,
        }) => (scenario, format, report),
        Err(JobError::Failed(e)) => return Err(failed(&e)),
        Err(JobError::Unavailable(sentence)) => {
            return Err(format!("Could not import {source}. {sentence}"));
        }
    };
    // The worker sends the scenario document; reading it here validates it
    // again and gives the network for the counts.
    let loaded = netsec_import::load_scenario(&scenario).map_err(|e| failed(&e))?;
    let mut report = Vec::with_capacity(lines.len() + 1);
    report.push(netsec_import::network_counts(&loaded.network));
    report.extend(lines);
    Ok((
        PendingImport {
            doc: loaded.doc,
            source: source.to_string(),
            report,
        },
        format,
    ))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "a panic in a test is a failed test")]

    use super::*;

    fn imported(scenario: &str) -> Imported {
        Imported {
            scenario: scenario.to_string(),
            format: String::from("ARM template"),
            report: vec![String::from("imported: virtualNetworks/x")],
        }
    }

    #[test]
    fn a_reply_is_offered_with_the_counts_first() {
        let (_, text) = crate::gallery::SCENARIOS[0];
        let (pending, format) = offer("a.json", Ok(imported(text))).unwrap();
        assert_eq!(format, "ARM template");
        assert_eq!(pending.source, "a.json");
        assert!(
            pending.report[0].contains(" VNets, "),
            "{:?}",
            pending.report
        );
        assert_eq!(
            pending.report[1..],
            [String::from("imported: virtualNetworks/x")]
        );
        assert_eq!(pending.doc, netsec_import::load_scenario(text).unwrap().doc);
    }

    #[test]
    fn failures_are_one_sentence_that_keeps_the_work() {
        let failed = offer(
            "a.tf",
            Err(JobError::Failed(String::from("line 3, column 1: oops"))),
        );
        assert_eq!(
            failed.err().unwrap(),
            "Could not import a.tf: line 3, column 1: oops. Your work is unchanged."
        );
        let down = offer(
            "a.tf",
            Err(JobError::Unavailable(String::from(
                "The importer could not start: x. Your work is unchanged.",
            ))),
        );
        assert_eq!(
            down.err().unwrap(),
            "Could not import a.tf. The importer could not start: x. Your work is unchanged."
        );
        let broken = offer("a.tf", Ok(imported("{")));
        assert!(
            broken
                .err()
                .unwrap()
                .starts_with("Could not import a.tf: line 1")
        );
    }
}
