//! Expected verdicts: how a trace is compared with a flow's `expect`
//! (scenario files, the shared corpus, `netsec check`). One definition, so
//! the CLI, the corpus and lessons mean the same thing by an expectation.
//!
//! `verdict` is `Allowed` or `Denied`; `layer` is the layer that denied the
//! flow; `rule` is the rule of the deciding step (the denying rule, or for an
//! allowed flow the last rule that allowed it); `reply` is whether the reply
//! came back. Names are compared exactly, as Azure's are.

use netsec_engine::trace::{Layer, Trace, Verdict};

use crate::scenario::doc::ExpectDoc;

/// Every layer name an expectation may use.
pub const LAYERS: [Layer; 12] = [
    Layer::Internet,
    Layer::AzureEdge,
    Layer::RegionalGateway,
    Layer::Datacenter,
    Layer::VnetFirewall,
    Layer::AdminRules,
    Layer::SubnetNsg,
    Layer::NicNsg,
    Layer::Routing,
    Layer::PlatformPolicy,
    Layer::Service,
    Layer::Vm,
];

fn verdict_name(v: Verdict) -> &'static str {
    match v {
        Verdict::Allowed => "Allowed",
        Verdict::Denied => "Denied",
    }
}

fn layer_name(layer: Layer) -> String {
    format!("{layer:?}")
}

/// What is malformed in an expectation itself (not a mismatch with a trace):
/// a verdict or reply other than `Allowed`/`Denied`, an unknown layer. Each
/// item is `(field, sentence)`.
pub fn shape_errors(e: &ExpectDoc) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if !matches!(e.verdict.as_str(), "Allowed" | "Denied") {
        out.push((
            "verdict",
            format!("the verdict must be Allowed or Denied, not '{}'", e.verdict),
        ));
    }
    if let Some(reply) = &e.reply
        && !matches!(reply.as_str(), "Allowed" | "Denied")
    {
        out.push((
            "reply",
            format!("the reply must be Allowed or Denied, not '{reply}'"),
        ));
    }
    if let Some(layer) = &e.layer
        && !LAYERS.iter().any(|l| layer_name(*l) == *layer)
    {
        let names: Vec<String> = LAYERS.iter().map(|l| layer_name(*l)).collect();
        out.push((
            "layer",
            format!(
                "unknown layer '{layer}'; the layers are {}",
                names.join(", ")
            ),
        ));
    }
    out
}

/// How a trace differs from an expectation (empty when it holds). Names are
/// compared exactly: Azure's rule names and the layer names are case-exact.
pub fn check(e: &ExpectDoc, t: &Trace) -> Vec<String> {
    let mut problems = Vec::new();
    let verdict = verdict_name(t.verdict);
    if !matches!(e.verdict.as_str(), "Allowed" | "Denied") {
        problems.push(format!(
            "verdict must be Allowed or Denied, not {}",
            e.verdict
        ));
    } else if e.verdict != verdict {
        problems.push(format!("expected {}, got {verdict}", e.verdict));
    }
    if let Some(layer) = &e.layer {
        if !LAYERS.iter().any(|l| layer_name(*l) == *layer) {
            problems.push(format!("unknown layer {layer}"));
        }
        let got = t.denied_at().map(|s| layer_name(s.layer));
        if got.as_deref() != Some(layer.as_str()) {
            problems.push(format!(
                "expected the denial at {layer}, got {}",
                got.as_deref().unwrap_or("none")
            ));
        }
    }
    if let Some(rule) = &e.rule {
        let got = t
            .deciding_step()
            .and_then(|s| s.rule.as_ref())
            .map(|r| r.name.as_str());
        if got != Some(rule.as_str()) {
            problems.push(format!(
                "expected rule {rule}, got {}",
                got.unwrap_or("none")
            ));
        }
    }
    if let Some(reply) = &e.reply {
        let got = t.reply_verdict.map_or("none", verdict_name);
        if reply != got {
            problems.push(format!("expected reply {reply}, got {got}"));
        }
    }
    problems
}
