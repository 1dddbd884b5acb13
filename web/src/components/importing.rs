//! Turning a file's text into a pending import (or a refusal that keeps the work).

use crate::app::Ctx;
use crate::state::{Action, PendingImport};

/// Reads `text` (any supported format) and offers it for import with its report.
pub fn import_text(ctx: &Ctx, source: &str, text: &str) {
    match netsec_import::load(text) {
        Ok(loaded) => {
            let mut report = Vec::new();
            let net = &loaded.network;
            report.push(format!(
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
            ));
            report.extend(
                loaded
                    .report
                    .imported
                    .iter()
                    .map(|i| format!("imported: {i}")),
            );
            report.extend(
                loaded
                    .report
                    .skipped
                    .iter()
                    .map(|(what, why)| format!("skipped: {what}: {why}")),
            );
            report.extend(
                loaded
                    .report
                    .assumptions
                    .iter()
                    .map(|a| format!("assumed: {a}")),
            );
            ctx.dispatch(Action::OfferImport(PendingImport {
                doc: loaded.doc,
                source: source.to_string(),
                report,
            }));
        }
        Err(e) => ctx.dispatch(Action::Refuse(format!(
            "Could not import {source}: {e}. Your work is unchanged."
        ))),
    }
}
