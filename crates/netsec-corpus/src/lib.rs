//! # netsec-corpus: one row per fact of Azure's documented behaviour
//!
//! `tests/corpus/*.json` are scenario files (format `netsec-scenario` v1).
//! Each flow in them carries an `expect`: the verdict Azure's documented
//! behaviour implies, the layer that denies, the deciding rule in Azure's
//! naming, whether the reply returns, and the fact of
//! `azure-semantics.md` it checks. This crate embeds every file (see
//! `build.rs`), evaluates each flow with [`trace_from`] (starting at the VM its source names), and compares.
//!
//! The same rows run natively (`tests/native.rs`) and in WASM under node
//! (`tests/wasm.rs`). [`results`] gives one canonical line per row; natively
//! they are pinned in `tests/corpus/expected-results.txt`, and the WASM run
//! must produce exactly the same lines.
//!
//! ## What an expectation means
//!
//! The same as `netsec check` (the CLI):
//!
//! - `verdict`: [`Trace::verdict`], `Allowed` or `Denied`.
//! - `layer`: the layer of the step that denied the flow ([`Trace::denied_at`]),
//!   named as in [`Layer`] (`NicNsg`, `Routing`, ...). Only for denied flows.
//! - `rule`: the deciding step's rule ([`Trace::deciding_step`]): the denying
//!   rule, or for an allowed flow the last rule that allowed it on the way.
//! - `reply`: [`Trace::reply_verdict`], `Allowed` or `Denied`.
//! - `fact`: required; the section of the reference the row checks. When the
//!   engine's answer rests on an assumption (a step of the trace carries a
//!   [`NoteKind::Assumption`](netsec_engine::NoteKind) note), the fact must
//!   say so (`assumption`, `GAP`, `INF` or `ISSUE`), or the row fails.

use netsec_engine::path::trace_from;
use netsec_engine::{Layer, Outcome, Step, Trace, Verdict};
use netsec_import::scenario::doc::{ExpectDoc, FlowDoc};

include!(concat!(env!("OUT_DIR"), "/corpus_files.rs"));

/// The snapshot of [`results`], as [`render`] writes it.
pub const SNAPSHOT: &str = include_str!("../../../tests/corpus/expected-results.txt");

/// One evaluated corpus row: a flow of a file, or a file that did not load.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// The corpus file.
    pub file: &'static str,
    /// The flow's name (empty for a file that did not load).
    pub flow: String,
    /// The fact the row checks.
    pub fact: String,
    /// The expectation, in words.
    pub expected: String,
    /// What the engine answered: [`summary`] of the trace, or the error.
    pub got: String,
    /// Why the answer was what it was (the deciding step's reason).
    pub why: String,
    /// How the answer differs from the expectation; empty when the row holds.
    pub problems: Vec<String>,
}

impl Row {
    /// `file :: flow`, the row's key.
    pub fn key(&self) -> String {
        format!("{} :: {}", self.file, self.flow)
    }

    /// The failure message: file, flow, fact, expected and got.
    pub fn failure(&self) -> String {
        format!(
            "{}\n    fact:     {}\n    expected: {}\n    got:      {}\n    problems: {}\n    why:      {}",
            self.key(),
            self.fact,
            self.expected,
            self.got,
            self.problems.join("; "),
            self.why
        )
    }
}

/// Evaluates every flow of every corpus file.
pub fn rows() -> Vec<Row> {
    let mut rows = Vec::new();
    for &(file, text) in FILES {
        let loaded = match netsec_import::load(text) {
            Ok(l) => l,
            Err(e) => {
                rows.push(Row {
                    file,
                    flow: String::new(),
                    fact: String::new(),
                    expected: String::from("the file loads"),
                    got: format!("load error: {e}"),
                    why: String::new(),
                    problems: vec![String::from("the scenario does not load")],
                });
                continue;
            }
        };
        if loaded.doc.flows.is_empty() {
            rows.push(Row {
                file,
                flow: String::new(),
                fact: String::new(),
                expected: String::from("at least one flow"),
                got: String::from("no flows"),
                why: String::new(),
                problems: vec![String::from("a corpus file without flows checks nothing")],
            });
        }
        for (i, f) in loaded.doc.flows.iter().enumerate() {
            let mut row = evaluate(file, &loaded, f);
            if loaded.doc.flows[..i].iter().any(|g| g.name == f.name) {
                row.problems
                    .push(String::from("duplicate flow name in this file"));
            }
            rows.push(row);
        }
    }
    rows
}

fn evaluate(file: &'static str, loaded: &netsec_import::Loaded, f: &FlowDoc) -> Row {
    let mut row = Row {
        file,
        flow: f.name.clone(),
        fact: String::new(),
        expected: String::new(),
        got: String::new(),
        why: String::new(),
        problems: Vec::new(),
    };
    match &f.expect {
        Some(e) => {
            row.fact = e.fact.clone();
            row.expected = describe_expectation(e);
            if e.fact.trim().is_empty() {
                row.problems
                    .push(String::from("the expectation names no fact"));
            }
        }
        None => row
            .problems
            .push(String::from("the flow has no expectation")),
    }
    let (flow, host) = match netsec_import::flow_from_doc(&loaded.doc, &loaded.network, f) {
        Ok(x) => x,
        Err(e) => {
            row.got = format!("flow error: {e}");
            row.problems
                .push(String::from("the flow's endpoints do not resolve"));
            return row;
        }
    };
    let start = netsec_import::endpoint_nic(&loaded.network, &f.source);
    let trace = trace_from(&loaded.network, &flow, host.as_deref(), start);
    row.got = summary(&trace);
    row.why = trace
        .deciding_step()
        .or_else(|| trace.steps.last())
        .map(|s| s.reason.clone())
        .unwrap_or_default();
    if let Some(e) = &f.expect {
        row.problems.extend(check(e, &trace));
        if trace.has_assumptions() && !flags_assumption(&e.fact) {
            row.problems.push(String::from(
                "the engine's answer rests on an assumption (a step carries an Assumption note); the fact must say so",
            ));
        }
    }
    row
}

/// Whether a fact admits that the answer is not plain documented behaviour:
/// an engine assumption, a GAP or inference of the reference, or an issue report.
fn flags_assumption(fact: &str) -> bool {
    ["assumption", "GAP", "INF", "ISSUE"]
        .iter()
        .any(|w| fact.contains(w))
}

/// The failures: one message per row that does not hold, naming the file,
/// the flow, the fact, and what was expected against what the engine said.
pub fn run_all() -> Vec<String> {
    rows()
        .iter()
        .filter(|r| !r.problems.is_empty())
        .map(Row::failure)
        .collect()
}

/// `file :: flow` and the canonical one-line [`summary`] of every row, in
/// corpus order. Native and WASM runs must give identical results.
pub fn results() -> Vec<(String, String)> {
    rows().into_iter().map(|r| (r.key(), r.got)).collect()
}

/// The snapshot text of [`results`]: a header, then `key => summary` lines.
pub fn render(results: &[(String, String)]) -> String {
    let mut out = String::from(
        "# netsec-corpus results: file :: flow => verdict | deciding layer | deciding rule | reply\n\
         # Written by `UPDATE_SNAPSHOTS=1 cargo test -p netsec-corpus --test snapshot`; the WASM run must match it.\n",
    );
    for (key, summary) in results {
        out.push_str(key);
        out.push_str(" => ");
        out.push_str(summary);
        out.push('\n');
    }
    out
}

/// The lines where two snapshot texts differ, for a readable failure.
pub fn snapshot_diff(expected: &str, got: &str) -> Vec<String> {
    let (e, g): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), got.lines().collect());
    let mut diff = Vec::new();
    for i in 0..e.len().max(g.len()) {
        match (e.get(i), g.get(i)) {
            (Some(a), Some(b)) if a == b => {}
            (a, b) => diff.push(format!(
                "line {}:\n  - {}\n  + {}",
                i + 1,
                a.unwrap_or(&"(none)"),
                b.unwrap_or(&"(none)")
            )),
        }
    }
    diff
}

fn verdict_name(v: Verdict) -> &'static str {
    match v {
        Verdict::Allowed => "Allowed",
        Verdict::Denied => "Denied",
    }
}

fn layer_name(layer: Layer) -> String {
    format!("{layer:?}")
}

/// One line: `verdict | deciding layer | deciding rule | reply`. The deciding
/// step is the denial, or the last step with a rule; `-` where there is none.
/// A route that dropped the flow stands in for the rule
/// (`route 10.0.0.0/8 -> None [System Route]`).
pub fn summary(t: &Trace) -> String {
    let deciding = t.deciding_step();
    let layer = deciding.map_or_else(|| String::from("-"), |s| layer_name(s.layer));
    let rule = match deciding {
        Some(Step { rule: Some(r), .. }) => r.name.clone(),
        Some(Step {
            route: Some(r),
            outcome: Outcome::Denied,
            ..
        }) => {
            let table = match &r.route_name {
                Some(name) => format!("{}/routes/{name}", r.route_table),
                None => r.route_table.clone(),
            };
            format!("route {} -> {} [{table}]", r.prefix, r.next_hop_type)
        }
        _ => String::from("-"),
    };
    let reply = match t.reply_verdict {
        None => String::from("-"),
        Some(Verdict::Allowed) => String::from("Allowed"),
        Some(Verdict::Denied) => {
            let at = t
                .reply
                .iter()
                .find(|s| !s.outcome.passes())
                .map_or_else(String::new, |s| format!(" at {}", layer_name(s.layer)));
            format!("Denied{at}")
        }
    };
    format!(
        "{} | {layer} | {rule} | reply {reply}",
        verdict_name(t.verdict)
    )
}

fn describe_expectation(e: &ExpectDoc) -> String {
    let mut s = e.verdict.clone();
    if let Some(layer) = &e.layer {
        s.push_str(&format!(" at {layer}"));
    }
    if let Some(rule) = &e.rule {
        s.push_str(&format!(" by {rule}"));
    }
    if let Some(reply) = &e.reply {
        s.push_str(&format!("; reply {reply}"));
    }
    s
}

pub use netsec_import::expect::check;
