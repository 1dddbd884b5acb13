//! [`ImportError`]: where the input is wrong, and why, on one line.

use std::fmt;

use netsec_engine::{ErrorKind, ModelError};

/// Why an input could not be loaded.
///
/// Displayed as one line, `<location>: <message>`. The location is
/// `line L, column C` for JSON syntax errors and a JSON path (`$.nsgs[0].name`)
/// otherwise; the message is a plain sentence naming the resource and the problem.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportError {
    location: String,
    message: String,
}

impl ImportError {
    /// An error at `location` (a JSON path or `line L, column C`).
    pub fn new(location: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            location: one_line(location.into()),
            message: one_line(message.into()),
        }
    }

    /// Where: `line L, column C` or a JSON path such as `$.vnets[0].name`.
    pub fn location(&self) -> &str {
        &self.location
    }

    /// What is wrong, as a plain sentence.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The same error at another location (used to map paths back to the input).
    pub(crate) fn relocated(self, location: String) -> Self {
        Self {
            location: one_line(location),
            message: self.message,
        }
    }

    /// The same error, saying so when the value at fault is the placeholder
    /// made up for an input without a value (`'subnetPrefix' is not an IP
    /// address` means little until one knows where 'subnetPrefix' came from).
    /// `what` names such an input (`parameter`, `variable`); `how` says how to
    /// give it a value.
    pub(crate) fn with_placeholder_hint(
        self,
        placeholders: &std::collections::HashSet<String>,
        what: &str,
        how: &str,
    ) -> Self {
        const SAID: &str = "has no value, so its own name stands in for it";
        if self.message.contains(SAID) {
            return self;
        }
        let Some(p) = placeholders
            .iter()
            .filter(|p| self.message.contains(&format!("'{p}'")))
            .max_by_key(|p| p.len())
        else {
            return self;
        };
        let message = format!("{} ({what} '{p}' {SAID}: {how})", self.message);
        Self::new(self.location, message)
    }

    /// An engine error at `location`, in the engine's words with Azure's code.
    pub(crate) fn model(location: impl Into<String>, e: &ModelError) -> Self {
        Self::new(location, model_message(e))
    }

    /// An error the engine's field readers (`address_from_fields`,
    /// `ports_from_fields`) returned, worded as the engine words a [`ModelError`].
    pub(crate) fn kind(
        location: impl Into<String>,
        resource: &str,
        field: &str,
        kind: &ErrorKind,
    ) -> Self {
        let (text, code) = kind_text(kind);
        Self::new(location, format!("{resource} ({field}): {text} ({code})"))
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

impl std::error::Error for ImportError {}

/// The longest message or location kept, in characters; a hostile input (a
/// 100,000-character name) must not turn into a 100 KB error line.
const MAX_ERROR_CHARS: usize = 600;

/// Keeps the error on one line and safe to print, whatever the input held.
fn one_line(text: String) -> String {
    let text = if text.contains(['\n', '\r']) {
        text.replace(['\n', '\r'], " ")
    } else {
        text
    };
    printable(&text, MAX_ERROR_CHARS)
}

/// `text` made safe for a terminal or a log line: control characters (ESC,
/// NUL, DEL, C1) and bidirectional overrides, which can hide or reorder what
/// is printed, become `\u{..}` escapes; beyond `max` characters the rest is
/// cut, saying how much.
pub fn printable(text: &str, max: usize) -> String {
    let dangerous = |c: char| {
        c.is_control()
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}')
    };
    let escape = |c: char| format!("\\u{{{:x}}}", u32::from(c));
    // The limit is on what is printed: an escape takes several characters.
    let width = |c: char| if dangerous(c) { escape(c).len() } else { 1 };
    let total: usize = text.chars().map(width).sum();
    if total <= max && !text.chars().any(dangerous) {
        return String::from(text);
    }
    let chars: Vec<char> = text.chars().collect();
    // Keep both ends: the start names the resource, the end the problem.
    let (head, tail) = if total > max {
        let fits = |half: usize, it: &mut dyn Iterator<Item = &char>| {
            let mut used = 0;
            it.take_while(|c| {
                used += width(**c);
                used <= half
            })
            .count()
        };
        let head = fits(max / 2, &mut chars.iter());
        let tail = fits(max - max / 2, &mut chars.iter().rev()).min(chars.len() - head);
        (head, tail)
    } else {
        (chars.len(), 0)
    };
    let mut out = String::new();
    let mut push = |c: char| {
        if dangerous(c) {
            out.push_str(&escape(c));
        } else {
            out.push(c);
        }
    };
    chars.iter().take(head).for_each(|c| push(*c));
    if head + tail < chars.len() {
        push_str_cut(&mut push, chars.len() - head - tail);
        chars.iter().skip(chars.len() - tail).for_each(|c| push(*c));
    }
    out
}

fn push_str_cut(push: &mut impl FnMut(char), cut: usize) {
    format!(" …({cut} characters cut)… ").chars().for_each(push);
}

/// The engine's message, with Azure's error code unless the message already names it.
pub(crate) fn model_message(e: &ModelError) -> String {
    let text = e.to_string();
    let code = e.code();
    // azure-semantics §1.3: the code for a priority out of range is a GAP.
    let assumed = matches!(e.kind(), ErrorKind::PriorityOutOfRange { .. });
    if text.contains(code) {
        text
    } else if assumed {
        format!("{text} ({code}, {})", crate::scenario::build::ASSUMED_CODE)
    } else {
        format!("{text} ({code})")
    }
}

/// The engine's wording and Azure's code for the kinds its field readers return.
///
/// The engine can only word a whole `ModelError`, which importers cannot make;
/// this mirrors `ModelError`'s `Display` and `code` for those kinds.
fn kind_text(kind: &ErrorKind) -> (String, &'static str) {
    match kind {
        ErrorKind::Malformed { message } => (message.clone(), "InvalidRequestFormat"),
        ErrorKind::UnsupportedValueInList { value } => (
            format!(
                "'{value}' is not allowed in a prefix list: service tags and '*' go in the single-value field"
            ),
            "SecurityRuleParameterContainsUnsupportedValue",
        ),
        ErrorKind::ExactlyOneAddressField => (
            String::from(
                "specify exactly one of an address prefix, a list of prefixes, or application security groups",
            ),
            "SecurityRuleInvalidAddressPrefix",
        ),
        ErrorKind::NotAllowed { reason } => (reason.clone(), "InvalidParameter"),
        ErrorKind::PriorityOutOfRange { priority, min, max } => (
            format!("priority {priority} is outside the allowed range {min}-{max}"),
            "SecurityRuleInvalidPriority",
        ),
        ErrorKind::HostBitsSet { prefix } => (
            format!("{prefix} has bits set after the mask; write the network address"),
            "InvalidCIDRNotation",
        ),
        other => (format!("{other:?}"), "InvalidParameter"),
    }
}

#[cfg(test)]
mod tests {
    use super::printable;

    #[test]
    fn the_limit_holds_for_what_is_printed_escapes_included() {
        let escapes = "\u{1b}".repeat(3000);
        let shown = printable(&escapes, 2000);
        assert!(shown.chars().count() <= 2000 + 40, "{}", shown.len());
        assert!(shown.starts_with("\\u{1b}") && shown.ends_with("\\u{1b}"));
        assert!(shown.contains("characters cut"));
        // Short text with an escape is escaped, not cut.
        assert_eq!(printable("a\u{1b}b", 2000), "a\\u{1b}b");
        // Plain text within the limit is unchanged; beyond it, both ends stay.
        assert_eq!(printable("plain", 2000), "plain");
        let long = format!("start{}end", "x".repeat(5000));
        let cut = printable(&long, 100);
        assert!(cut.starts_with("start") && cut.ends_with("end") && cut.chars().count() < 140);
    }
}
