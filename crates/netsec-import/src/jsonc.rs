//! The JSON that Azure Resource Manager accepts beyond strict JSON, made
//! strict: comments (`//` to the end of the line, `/* ... */`), multi-line
//! strings (line breaks and other control characters inside a string), and
//! a trailing comma before `]` or `}`. Microsoft documents the first two for
//! templates and parameters files ("Comments and multi-line strings" in the
//! template syntax reference); the third its parser has always let through,
//! and published quickstart templates rely on all three.
//!
//! Comments and trailing commas become spaces, so lines and columns stay
//! where they were; a control character in a string becomes its escape,
//! which moves what follows, so [`Relaxed::original_position`] maps a
//! syntax error's line and column back to the file the user has.

/// A text rewritten to strict JSON, and where its pieces came from.
#[derive(Debug)]
pub(crate) struct Relaxed {
    /// The strict JSON.
    pub text: String,
    /// (offset in `text`, offset in the original) at each place where the
    /// two stop advancing together, in order.
    anchors: Vec<(usize, usize)>,
}

/// Rewrites `text` if it uses any of the relaxations; `None` if it has none
/// (strict JSON, or broken in some other way), so the caller keeps the text.
pub(crate) fn relax(text: &str) -> Option<Relaxed> {
    let mut out = String::with_capacity(text.len() + 16);
    let mut anchors = Vec::new();
    let mut changed = false;
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut in_string = false;
    // Where the last comma outside strings was written, while only blanks
    // and comments have followed it.
    let mut pending_comma: Option<usize> = None;
    while i < bytes.len() {
        let b = bytes[i];
        if in_string {
            match b {
                b'\\' => {
                    // An escape: copy it and the character it escapes.
                    let end = next_char_end(text, i + 1);
                    out.push_str(&text[i..end]);
                    i = end;
                }
                b'"' => {
                    in_string = false;
                    out.push('"');
                    i += 1;
                }
                0x00..=0x1f => {
                    changed = true;
                    let escape = match b {
                        b'\n' => String::from("\\n"),
                        b'\r' => String::from("\\r"),
                        b'\t' => String::from("\\t"),
                        other => format!("\\u{other:04x}"),
                    };
                    out.push_str(&escape);
                    i += 1;
                    anchors.push((out.len(), i));
                }
                _ => {
                    let end = next_char_end(text, i);
                    out.push_str(&text[i..end]);
                    i = end;
                }
            }
            continue;
        }
        match b {
            b'"' => {
                pending_comma = None;
                in_string = true;
                out.push('"');
                i += 1;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                changed = true;
                // To the end of the line, whichever line break the file uses.
                let end = text[i..].find(['\n', '\r']).map_or(text.len(), |k| i + k);
                blank(&mut out, &text[i..end]);
                i = end;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                changed = true;
                // An unclosed comment runs to the end, as in JavaScript.
                let end = text[i + 2..]
                    .find("*/")
                    .map_or(text.len(), |k| i + 2 + k + 2);
                blank(&mut out, &text[i..end]);
                i = end;
            }
            b',' => {
                pending_comma = Some(out.len());
                out.push(',');
                i += 1;
            }
            b']' | b'}' => {
                if let Some(at) = pending_comma.take() {
                    changed = true;
                    out.replace_range(at..=at, " ");
                }
                out.push(char::from(b));
                i += 1;
            }
            b' ' | b'\t' | b'\n' | b'\r' => {
                out.push(char::from(b));
                i += 1;
            }
            _ => {
                pending_comma = None;
                let end = next_char_end(text, i);
                out.push_str(&text[i..end]);
                i = end;
            }
        }
    }
    changed.then_some(Relaxed { text: out, anchors })
}

/// Where the character starting at `i` ends (at least `i + 1`, at most the end).
fn next_char_end(text: &str, i: usize) -> usize {
    let mut end = (i + 1).min(text.len());
    while end < text.len() && !text.is_char_boundary(end) {
        end += 1;
    }
    end
}

/// Writes `piece` as spaces, keeping its line breaks.
fn blank(out: &mut String, piece: &str) {
    for c in piece.chars() {
        match c {
            '\n' | '\r' => out.push(c),
            // One space per byte keeps every later byte offset on its line.
            other => out.extend(std::iter::repeat_n(' ', other.len_utf8())),
        }
    }
}

impl Relaxed {
    /// A (line, column) of [`Relaxed::text`] (1-based, columns in bytes, as
    /// serde_json counts them) as a position in `original`.
    pub fn original_position(&self, original: &str, line: usize, column: usize) -> (usize, usize) {
        let Some(offset) = offset_of(&self.text, line, column) else {
            return (line, column);
        };
        let (out_at, in_at) = self
            .anchors
            .iter()
            .rev()
            .find(|(o, _)| *o <= offset)
            .copied()
            .unwrap_or((0, 0));
        let mapped = (in_at + (offset - out_at)).min(original.len());
        position_of(original, mapped)
    }

    /// An error of the strict text, relocated to the original when it names
    /// a line and column (`line L, column C`); other errors are returned as
    /// they are.
    pub fn locate(&self, original: &str, e: crate::ImportError) -> crate::ImportError {
        let loc = e.location();
        let Some(rest) = loc.strip_prefix("line ") else {
            return e;
        };
        let Some((l, c)) = rest.split_once(", column ") else {
            return e;
        };
        let (Ok(l), Ok(c)) = (l.parse::<usize>(), c.parse::<usize>()) else {
            return e;
        };
        let (l, c) = self.original_position(original, l, c);
        crate::ImportError::new(format!("line {l}, column {c}"), e.message())
    }
}

/// The byte offset of a 1-based (line, column) in `text`; columns count
/// bytes, as serde_json's do (and so the strict path's errors).
fn offset_of(text: &str, line: usize, column: usize) -> Option<usize> {
    let mut start = 0;
    for _ in 1..line {
        start += text.get(start..)?.find('\n')? + 1;
    }
    let rest = text.get(start..)?;
    let line_len = rest.find('\n').unwrap_or(rest.len());
    Some(start + column.saturating_sub(1).min(line_len))
}

/// The 1-based (line, column) of a byte offset in `text`, the column in
/// bytes.
fn position_of(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |k| k + 1);
    (line, offset - line_start + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strict(text: &str) -> serde_json::Value {
        let r = relax(text).expect("the text uses a relaxation");
        serde_json::from_str(&r.text).expect("the result is strict JSON")
    }

    #[test]
    fn strict_json_is_left_alone() {
        assert!(relax(r#"{"a": [1, 2], "b": "x // not a comment, /* nor this */"}"#).is_none());
        // Broken in another way: not this module's business.
        assert!(relax(r#"{"a": }"#).is_none());
    }

    #[test]
    fn comments_go_and_nothing_else_moves() {
        let text = "{\n  // first\n  \"a\": 1, /* two\n lines */ \"b\": \"//kept\"\n}";
        let r = relax(text).unwrap();
        assert_eq!(r.text.len(), text.len());
        assert_eq!(r.text.lines().count(), text.lines().count());
        assert_eq!(strict(text), serde_json::json!({"a": 1, "b": "//kept"}));
    }

    #[test]
    fn a_line_comment_ends_at_a_lone_carriage_return() {
        assert_eq!(
            strict("{\"a\": 1, // one\r\"b\": 2}"),
            serde_json::json!({"a": 1, "b": 2})
        );
    }

    #[test]
    fn trailing_commas_go_even_before_a_comment() {
        assert_eq!(
            strict("{\"a\": [1, 2, // last\n], \"b\": {\"c\": 3,},}"),
            serde_json::json!({"a": [1, 2], "b": {"c": 3}})
        );
        // A comma inside a string is text.
        assert_eq!(strict("[\"a,]\",]"), serde_json::json!(["a,]"]));
    }

    #[test]
    fn multi_line_strings_keep_their_line_breaks() {
        assert_eq!(
            strict("{\"script\": \"line one\n\tline two\"}"),
            serde_json::json!({"script": "line one\n\tline two"})
        );
        // An escaped quote does not end the string.
        assert_eq!(
            strict("[\"say \\\"hi\\\"\nthere\"]"),
            serde_json::json!(["say \"hi\"\nthere"])
        );
    }

    #[test]
    fn errors_after_a_multi_line_string_point_into_the_original() {
        let text = "{\"s\": \"a\nb\nc\",\n \"x\": tru }";
        let r = relax(text).unwrap();
        let e = serde_json::from_str::<serde_json::Value>(&r.text).unwrap_err();
        let (line, column) = r.original_position(text, e.line(), e.column());
        // `tru` is on line 4 of the original (line 2 of the strict text).
        assert_eq!(line, 4);
        assert!(text.lines().nth(3).unwrap().get(column - 1..).is_some());
        // Columns count bytes on both paths: after a comment and wide
        // characters, the error is where the strict reader would put it.
        let wide = "{\n // c\n \"k\": \"ééé\", \"x\": tru }";
        let r = relax(wide).unwrap();
        let e = serde_json::from_str::<serde_json::Value>(&r.text).unwrap_err();
        let strict =
            serde_json::from_str::<serde_json::Value>(&wide.replace("// c", "    ")).unwrap_err();
        assert_eq!(
            r.original_position(wide, e.line(), e.column()),
            (strict.line(), strict.column())
        );
    }

    proptest::proptest! {
        /// Comments and trailing commas added between the tokens of strict
        /// JSON change nothing in the value it reads as.
        #[test]
        fn comments_and_trailing_commas_change_no_value(
            words in proptest::collection::vec("[a-z\\n\\t/*é\"]{0,8}", 1..6),
            comment in "[ -~]{0,12}",
        ) {
            let value = serde_json::json!({"list": words, "nested": {"n": 1, "text": words.join(",")}});
            let strict = serde_json::to_string_pretty(&value).unwrap_or_default();
            // A line comment at the end of every line (line breaks are never
            // inside strings in pretty JSON), and a trailing comma after
            // each last element.
            let lines: Vec<&str> = strict.lines().collect();
            let mut relaxed = String::new();
            let mut commas = 0;
            for (i, line) in lines.iter().enumerate() {
                relaxed.push_str(line);
                let closes_next = lines
                    .get(i + 1)
                    .is_some_and(|n| n.trim_start().starts_with([']', '}']));
                if closes_next && !line.trim_end().ends_with([',', '[', '{']) {
                    relaxed.push(',');
                    commas += 1;
                }
                relaxed.push_str(" // ");
                relaxed.push_str(&comment);
                relaxed.push('\n');
            }
            proptest::prop_assert!(commas > 0);
            let r = relax(&relaxed).expect("comments were added");
            let back: serde_json::Value = serde_json::from_str(&r.text).expect("strict again");
            proptest::prop_assert_eq!(back, value);
        }
    }

    #[test]
    fn hostile_input_does_not_panic() {
        for text in [
            "/",
            "/*",
            "\"\n",
            "{\"a\":\"\\",
            "[,",
            ",]",
            "\"é\n\"//é",
            "/*é*/",
        ] {
            if let Some(r) = relax(text) {
                let _ = r.original_position(text, 1, 99);
                let _ = r.original_position(text, 99, 1);
            }
        }
    }
}
