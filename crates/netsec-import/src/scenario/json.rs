//! The scenario format's own JSON: a tree parser and a pretty writer.
//!
//! Scenario files are read and written in the browser on every autosave,
//! share link and file, so this layer is small on purpose: one parser into
//! [`Json`] (strings borrowed from the input unless they hold escapes), one
//! writer, and no generic deserializer machinery (serde's costs the page
//! about 60 KB of gzipped wasm, see docs/BENCHMARKS.md). The typed reading on
//! top, with the JSON path of every error, is [`super::codec`].
//!
//! The grammar is RFC 8259's, strictly: no comments, no trailing commas, no
//! byte order mark, no lone surrogates in `\u` escapes, and nesting at most
//! [`MAX_DEPTH`] deep (a hostile file cannot exhaust the stack). A syntax
//! error names its line and column (1-based, columns in characters).

use std::borrow::Cow;

use crate::ImportError;

/// How deeply arrays and objects may nest (serde_json's limit too).
pub const MAX_DEPTH: usize = 128;

/// A JSON value. Numbers keep their text, checked against the grammar, so
/// each reader converts them to the type it wants, exactly.
#[derive(Clone, Debug, PartialEq)]
pub enum Json<'a> {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number's text, as written.
    Number(&'a str),
    /// A string, unescaped.
    String(Cow<'a, str>),
    /// An array.
    Array(Vec<Json<'a>>),
    /// An object's members in the order written (duplicates kept; readers decide).
    Object(Vec<(Cow<'a, str>, Json<'a>)>),
}

impl Json<'_> {
    /// What this value is, for messages: `string "web"`, `number 5`, `an object`.
    pub fn describe(&self) -> String {
        match self {
            Json::Null => String::from("null"),
            Json::Bool(b) => String::from(if *b { "true" } else { "false" }),
            Json::Number(n) => format!("number {}", crate::scenario::build::clip(n)),
            Json::String(s) => format!("string {}", crate::scenario::build::clip(&quoted(s))),
            Json::Array(_) => String::from("a list"),
            Json::Object(_) => String::from("an object"),
        }
    }

    /// The value as compact JSON, cut to about 40 characters for a message.
    pub fn short(&self) -> String {
        let mut w = Writer::compact();
        w.value(self);
        let text = w.finish();
        if text.chars().count() > 40 {
            let cut: String = text.chars().take(40).collect();
            format!("{cut}…")
        } else {
            text
        }
    }
}

/// `text` as a JSON string literal.
pub fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    push_string(&mut out, text);
    out
}

/// A number as JSON text to three decimals, trailing zeros dropped (`12`,
/// `-3.5`, `1.728`; non-finite values as `0`, which JSON cannot hold
/// otherwise). Integer arithmetic on purpose: f64 `Display` would link core's
/// float formatting (about 6 KB gzip) into the browser bundle, whose only
/// non-integers are diagram positions and SVG coordinates.
pub fn decimal_text(v: f64) -> String {
    if !v.is_finite() || v.abs() >= 9.0e15 {
        // Beyond i64 thousandths; diagrams never get there.
        return String::from(if v.is_finite() && v < 0.0 {
            "-9000000000000000"
        } else if v.is_finite() {
            "9000000000000000"
        } else {
            "0"
        });
    }
    let milli = (v * 1000.0).round() as i64;
    let sign = if milli < 0 { "-" } else { "" };
    let abs = milli.unsigned_abs();
    let (whole, frac) = (abs / 1000, abs % 1000);
    if frac == 0 {
        return format!("{sign}{whole}");
    }
    let mut digits = format!("{frac:03}");
    while digits.ends_with('0') {
        digits.pop();
    }
    format!("{sign}{whole}.{digits}")
}

/// Parses one JSON value that fills `text` (whitespace aside).
pub fn parse(text: &str) -> Result<Json<'_>, ImportError> {
    let mut p = Parser {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        depth: 0,
    };
    p.skip_ws();
    let value = p.value()?;
    p.skip_ws();
    if p.pos < p.bytes.len() {
        return Err(p.error("trailing characters after the JSON value"));
    }
    Ok(value)
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    depth: usize,
}

impl<'a> Parser<'a> {
    /// A syntax error at the current position.
    #[inline(never)]
    fn error(&self, what: &str) -> ImportError {
        let at = self.pos.min(self.bytes.len());
        // `at` can fall inside a multi-byte character only after a bad byte
        // was met, which `str` input rules out; be safe all the same.
        let before = self.text.get(..at).unwrap_or(self.text);
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before.get(line_start..).map_or(0, |l| l.chars().count()) + 1;
        let location = format!("line {line}, column {column}");
        if at >= self.bytes.len() {
            ImportError::new(location, format!("the JSON ends too early ({what})"))
        } else {
            ImportError::new(location, format!("this is not valid JSON: {what}"))
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    fn value(&mut self) -> Result<Json<'a>, ImportError> {
        match self.peek() {
            None => Err(self.error("expected a value")),
            Some(b'{') => self.nested(Self::object),
            Some(b'[') => self.nested(Self::array),
            Some(b'"') => Ok(Json::String(self.string()?)),
            Some(b't') => self.word("true", Json::Bool(true)),
            Some(b'f') => self.word("false", Json::Bool(false)),
            Some(b'n') => self.word("null", Json::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(self.error("expected a value")),
        }
    }

    fn nested(
        &mut self,
        inner: fn(&mut Self) -> Result<Json<'a>, ImportError>,
    ) -> Result<Json<'a>, ImportError> {
        if self.depth >= MAX_DEPTH {
            return Err(self.error("nested more than 128 levels deep"));
        }
        self.depth += 1;
        let v = inner(self);
        self.depth -= 1;
        v
    }

    fn word(&mut self, word: &str, value: Json<'a>) -> Result<Json<'a>, ImportError> {
        for expected in word.bytes() {
            match self.peek() {
                Some(b) if b == expected => self.pos += 1,
                None => return Err(self.error("expected a value")),
                Some(_) => return Err(self.error("expected a value")),
            }
        }
        Ok(value)
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
        self.pos - start
    }

    fn number(&mut self) -> Result<Json<'a>, ImportError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(self.error("invalid number")),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if self.digits() == 0 {
                return Err(self.error("invalid number: no digit after the decimal point"));
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return Err(self.error("invalid number: no digit in the exponent"));
            }
        }
        Ok(Json::Number(self.text.get(start..self.pos).unwrap_or("0")))
    }

    fn four_hex(&mut self) -> Result<u32, ImportError> {
        let mut v = 0u32;
        for _ in 0..4 {
            let d = match self.peek() {
                Some(b @ b'0'..=b'9') => b - b'0',
                Some(b @ b'a'..=b'f') => b - b'a' + 10,
                Some(b @ b'A'..=b'F') => b - b'A' + 10,
                _ => return Err(self.error("invalid \\u escape: expected four hex digits")),
            };
            v = v * 16 + u32::from(d);
            self.pos += 1;
        }
        Ok(v)
    }

    fn string(&mut self) -> Result<Cow<'a, str>, ImportError> {
        self.pos += 1; // the opening quote
        let start = self.pos;
        // Fast path: no escapes, borrow the text.
        loop {
            match self.peek() {
                None => return Err(self.error("a string is not closed")),
                Some(b'"') => {
                    let s = self.text.get(start..self.pos).unwrap_or("");
                    self.pos += 1;
                    return Ok(Cow::Borrowed(s));
                }
                Some(b'\\') => break,
                Some(0..=0x1f) => {
                    return Err(
                        self.error("a control character in a string (write it as an escape)")
                    );
                }
                Some(_) => self.pos += 1,
            }
        }
        let mut out = String::from(self.text.get(start..self.pos).unwrap_or(""));
        loop {
            match self.peek() {
                None => return Err(self.error("a string is not closed")),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(Cow::Owned(out));
                }
                Some(b'\\') => {
                    self.pos += 1;
                    let c = match self.peek() {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            self.pos += 1;
                            let c = self.unicode_escape()?;
                            out.push(c);
                            continue;
                        }
                        None => return Err(self.error("a string is not closed")),
                        Some(_) => return Err(self.error("invalid escape in a string")),
                    };
                    self.pos += 1;
                    out.push(c);
                }
                Some(0..=0x1f) => {
                    return Err(
                        self.error("a control character in a string (write it as an escape)")
                    );
                }
                Some(_) => {
                    // Copy up to the next quote, backslash or control byte.
                    let from = self.pos;
                    while let Some(b) = self.peek() {
                        if b == b'"' || b == b'\\' || b < 0x20 {
                            break;
                        }
                        self.pos += 1;
                    }
                    out.push_str(self.text.get(from..self.pos).unwrap_or(""));
                }
            }
        }
    }

    /// After `\u`: one code point, joining a surrogate pair.
    fn unicode_escape(&mut self) -> Result<char, ImportError> {
        let first = self.four_hex()?;
        let code = match first {
            0xD800..=0xDBFF => {
                if self.bytes.get(self.pos..self.pos + 2) != Some(b"\\u") {
                    return Err(self.error("a lone surrogate in a \\u escape"));
                }
                self.pos += 2;
                let second = self.four_hex()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return Err(self.error("a lone surrogate in a \\u escape"));
                }
                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            }
            0xDC00..=0xDFFF => return Err(self.error("a lone surrogate in a \\u escape")),
            c => c,
        };
        char::from_u32(code).ok_or_else(|| self.error("invalid \\u escape"))
    }

    fn array(&mut self) -> Result<Json<'a>, ImportError> {
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Json::Array(items));
        }
        loop {
            self.skip_ws();
            items.push(self.value()?);
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Json::Array(items));
                }
                _ => return Err(self.error("expected ',' or ']'")),
            }
        }
    }

    fn object(&mut self) -> Result<Json<'a>, ImportError> {
        self.pos += 1;
        let mut members = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Json::Object(members));
        }
        loop {
            self.skip_ws();
            if self.peek() != Some(b'"') {
                return Err(self.error("expected a key in double quotes"));
            }
            let key = self.string()?;
            self.skip_ws();
            if self.peek() != Some(b':') {
                return Err(self.error("expected ':' after a key"));
            }
            self.pos += 1;
            self.skip_ws();
            let value = self.value()?;
            members.push((key, value));
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Json::Object(members));
                }
                _ => return Err(self.error("expected ',' or '}'")),
            }
        }
    }
}

/// Appends `text` as a JSON string literal: quotes, backslashes and control
/// characters escaped, everything else (Unicode included) as is.
pub fn push_string(out: &mut String, text: &str) {
    out.push('"');
    let mut from = 0;
    for (i, b) in text.bytes().enumerate() {
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(text.get(from..i).unwrap_or(""));
        if escape.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 15)]));
        } else {
            out.push_str(escape);
        }
        from = i + 1;
    }
    out.push_str(text.get(from..).unwrap_or(""));
    out.push('"');
}

/// Writes JSON: pretty (two-space indents, one member per line, `[]` and
/// `{}` when empty) or compact.
pub struct Writer {
    out: String,
    pretty: bool,
    /// Per open array or object: whether it has a member yet.
    open: Vec<bool>,
}

impl Writer {
    /// A pretty writer.
    pub fn pretty() -> Self {
        Writer {
            out: String::new(),
            pretty: true,
            open: Vec::new(),
        }
    }

    /// A compact writer.
    pub fn compact() -> Self {
        Writer {
            out: String::new(),
            pretty: false,
            open: Vec::new(),
        }
    }

    /// The text written.
    pub fn finish(self) -> String {
        self.out
    }

    fn newline(&mut self) {
        if self.pretty {
            self.out.push('\n');
            for _ in 0..self.open.len() {
                self.out.push_str("  ");
            }
        }
    }

    /// Before a member of the innermost array or object.
    fn separate(&mut self) {
        if let Some(has) = self.open.last_mut() {
            if *has {
                self.out.push(',');
            }
            *has = true;
            self.newline();
        }
    }

    /// Opens an object (as a value).
    pub fn begin_object(&mut self) {
        self.out.push('{');
        self.open.push(false);
    }

    /// Closes the innermost object.
    pub fn end_object(&mut self) {
        self.close('}');
    }

    /// Opens an array (as a value).
    pub fn begin_array(&mut self) {
        self.out.push('[');
        self.open.push(false);
    }

    /// Closes the innermost array.
    pub fn end_array(&mut self) {
        self.close(']');
    }

    fn close(&mut self, bracket: char) {
        if self.open.pop() == Some(true) {
            self.newline();
        }
        self.out.push(bracket);
    }

    /// Starts an object member; its value follows.
    pub fn key(&mut self, key: &str) {
        self.separate();
        push_string(&mut self.out, key);
        self.out.push(':');
        if self.pretty {
            self.out.push(' ');
        }
    }

    /// Starts an array item; its value follows.
    pub fn item(&mut self) {
        self.separate();
    }

    /// A string value.
    pub fn string(&mut self, s: &str) {
        push_string(&mut self.out, s);
    }

    /// A value written as is (numbers, `true`, `null`).
    pub fn raw(&mut self, text: &str) {
        self.out.push_str(text);
    }

    /// A whole tree.
    pub fn value(&mut self, v: &Json<'_>) {
        match v {
            Json::Null => self.raw("null"),
            Json::Bool(b) => self.raw(if *b { "true" } else { "false" }),
            Json::Number(n) => self.raw(n),
            Json::String(s) => self.string(s),
            Json::Array(items) => {
                self.begin_array();
                for item in items {
                    self.item();
                    self.value(item);
                }
                self.end_array();
            }
            Json::Object(members) => {
                self.begin_object();
                for (k, v) in members {
                    self.key(k);
                    self.value(v);
                }
                self.end_object();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    fn err(text: &str) -> ImportError {
        parse(text).unwrap_err()
    }

    #[test]
    fn parses_every_kind_of_value() {
        let v = parse(
            r#" {"a": [1, -2.5e3, true, false, null], "b": "x\"\u00e9\ud83d\ude00", "a": {}} "#,
        )
        .unwrap();
        let Json::Object(m) = v else { panic!("object") };
        assert_eq!(m.len(), 3, "duplicates are kept for the reader to judge");
        assert_eq!(
            m[0].1,
            Json::Array(vec![
                Json::Number("1"),
                Json::Number("-2.5e3"),
                Json::Bool(true),
                Json::Bool(false),
                Json::Null
            ])
        );
        assert_eq!(m[1].1, Json::String(Cow::Owned("x\"é😀".into())));
    }

    #[test]
    fn syntax_errors_name_line_and_column() {
        let e = err("{\n  \"a\": [,]\n}");
        assert_eq!(e.location(), "line 2, column 9");
        assert!(e.message().starts_with("this is not valid JSON"), "{e}");
        let e = err("{\"a\": 1");
        assert_eq!(e.location(), "line 1, column 8");
        assert!(e.message().contains("ends too early"), "{e}");
        for bad in [
            "[1,]",
            "{\"a\" 1}",
            "{a: 1}",
            "01",
            "1.",
            "1e",
            "-",
            "\"\\x\"",
            "\"a\nb\"",
            "\"\\ud800\"",
            "\"\\udc00x\"",
            "[1] 2",
            "tru",
            "nul",
            "{\"a\":1,}",
            "\u{feff}{}",
        ] {
            assert!(parse(bad).is_err(), "{bad:?} is refused");
        }
    }

    #[test]
    fn columns_count_characters() {
        let e = err("[\"é\", x]");
        assert_eq!(e.location(), "line 1, column 7");
    }

    #[test]
    fn deep_nesting_is_refused_without_overflowing() {
        let deep = "[".repeat(100_000);
        assert!(err(&deep).message().contains("128 levels"));
        let ok = format!("{}{}", "[".repeat(128), "]".repeat(128));
        assert!(parse(&ok).is_ok());
    }

    #[test]
    fn writer_round_trips_and_escapes() {
        let text =
            "{\n  \"a\": [\n    1,\n    \"t\\u0001\\n\\\"é\"\n  ],\n  \"e\": [],\n  \"o\": {}\n}";
        let v = parse(text).unwrap();
        let mut w = Writer::pretty();
        w.value(&v);
        assert_eq!(w.finish(), text);
        let mut w = Writer::compact();
        w.value(&v);
        assert_eq!(
            w.finish(),
            "{\"a\":[1,\"t\\u0001\\n\\\"é\"],\"e\":[],\"o\":{}}"
        );
    }

    #[test]
    fn short_cuts_long_values() {
        let text = format!("\"{}\"", "x".repeat(100));
        let v = parse(&text).unwrap();
        assert!(v.short().ends_with('…'));
        assert!(v.short().chars().count() <= 41);
    }
}
