//! Human-readable output: the trace as a table, and expectation checks.

use netsec_engine::trace::{NoteKind, Outcome, Step, Trace, Verdict};
use netsec_import::scenario::doc::ExpectDoc;

fn outcome_word(o: Outcome) -> &'static str {
    match o {
        Outcome::Allowed => "ALLOW",
        Outcome::Denied => "DENY",
        Outcome::NotConfigured => "pass (none)",
        Outcome::Forwarded => "forward",
        Outcome::Translated => "NAT",
        Outcome::Arrived => "arrived",
        Outcome::AllowedStateful => "allow (stateful)",
    }
}

fn detail(step: &Step) -> String {
    let mut parts = Vec::new();
    if let Some(rule) = &step.rule {
        match rule.priority {
            Some(p) => parts.push(format!("{} ({p})", rule.name)),
            None => parts.push(rule.name.clone()),
        }
    }
    if let Some(route) = &step.route {
        let ip = route
            .next_hop_ip
            .map(|i| format!(" {i}"))
            .unwrap_or_default();
        parts.push(format!(
            "route {} -> {}{ip}",
            route.prefix, route.next_hop_type
        ));
    }
    if let Some(t) = &step.translation {
        parts.push(format!(
            "{}:{} => {}:{}",
            t.from.0, t.from.1, t.to.0, t.to.1
        ));
    }
    if parts.is_empty() {
        String::from("-")
    } else {
        parts.join("; ")
    }
}

fn layer_name(step: &Step) -> String {
    match step.direction {
        Some(d) => format!(
            "{} ({})",
            step.layer.label(),
            if d == netsec_engine::Direction::Inbound {
                "in"
            } else {
                "out"
            }
        ),
        None => step.layer.label().to_string(),
    }
}

fn rows(out: &mut String, steps: &[Step], notes: &mut Vec<String>, offset: usize) {
    for (i, s) in steps.iter().enumerate() {
        let n = i + 1 + offset;
        let resource = s.resource.as_ref().map_or("-", |r| r.name.as_str());
        let mark = if s.has_assumption() { "*" } else { " " };
        out.push_str(&format!(
            "{n:>3}{mark} {:<20} {:<22} {:<17} {}\n",
            layer_name(s),
            truncate(resource, 22),
            outcome_word(s.outcome),
            detail(s)
        ));
        out.push_str(&format!("       {}\n", s.reason));
        for note in &s.notes {
            let kind = match note.kind {
                NoteKind::Info => "note",
                NoteKind::Assumption => "assumption",
                NoteKind::NotModelled => "not modelled",
            };
            notes.push(format!("  step {n} [{kind}] {}", note.text));
        }
    }
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(max - 1).collect::<String>())
    }
}

/// The trace as a table: one row per layer, the reply, then the notes.
pub fn trace_table(name: &str, t: &Trace) -> String {
    let name = netsec_import::printable(name, 200);
    let mut out = format!("Flow: {name}\n  {}  ({})\n", t.flow, t.kind);
    let verdict = match (t.verdict, t.denied_at()) {
        (Verdict::Denied, Some(s)) => {
            let rule = s
                .rule
                .as_ref()
                .map(|r| format!(" by {}", r.name))
                .unwrap_or_default();
            format!("DENIED at {}{rule}", layer_name(s))
        }
        _ => String::from("ALLOWED"),
    };
    let reply = match t.reply_verdict {
        Some(Verdict::Allowed) => ", reply returns (stateful)",
        Some(Verdict::Denied) => ", but the REPLY is dropped",
        None => "",
    };
    let assumed = if t.has_assumptions() {
        "  [rests on assumptions: rows marked *]"
    } else {
        ""
    };
    out.push_str(&format!("Verdict: {verdict}{reply}{assumed}\n\n"));
    out.push_str(&format!(
        "{:>4} {:<20} {:<22} {:<17} {}\n",
        "#", "Layer", "Resource", "Outcome", "Rule / route / NAT"
    ));
    let mut notes = Vec::new();
    rows(&mut out, &t.steps, &mut notes, 0);
    if !t.reply.is_empty() {
        out.push_str("  Reply:\n");
        rows(&mut out, &t.reply, &mut notes, t.steps.len());
    }
    if !notes.is_empty() {
        out.push_str("Notes:\n");
        for n in notes {
            out.push_str(&n);
            out.push('\n');
        }
    }
    out.push('\n');
    out
}

/// What differs between an expectation and a trace (empty when it holds),
/// with the fact the row checks when something differs.
pub fn expectation_problems(expect: &ExpectDoc, t: &Trace) -> Vec<String> {
    let mut problems = netsec_import::expect::check(expect, t);
    if !expect.fact.is_empty() && !problems.is_empty() {
        problems.push(format!("fact: {}", expect.fact));
    }
    problems
}
