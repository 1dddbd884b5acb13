//! ARM template expressions: `[concat('nsg-', parameters('env'))]`.
//!
//! A JSON string is an expression when it starts with `[` and ends with `]`;
//! `[[` at the start escapes a literal `[`. Inside: function calls (names
//! ignore case; user-defined functions are `namespace.name`), string literals
//! in single quotes (`''` is a quote), integers, `true`/`false`/`null`, and
//! property (`.name`) and index (`[expr]`) access.

/// How deep expressions may nest (`f(g(h(...)))`), so no input can overflow the stack.
const MAX_DEPTH: usize = 64;

/// A parsed expression.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Expr {
    /// `'text'`.
    Str(String),
    /// A whole number.
    Int(i64),
    /// A number with a fraction (rare; kept as JSON writes it).
    Float(f64),
    /// `true` / `false`.
    Bool(bool),
    /// `null`.
    Null,
    /// `name(args)`; the name lower-cased.
    Call(String, Vec<Expr>),
    /// `base.name`.
    Member(Box<Expr>, String),
    /// `base[index]`.
    Index(Box<Expr>, Box<Expr>),
}

/// What a template string is.
pub(crate) enum Parsed<'a> {
    /// A plain string (after `[[` unescaping).
    Literal(std::borrow::Cow<'a, str>),
    /// The text between the brackets.
    Expression(&'a str),
}

/// Tells literal strings from expressions.
pub(crate) fn classify(s: &str) -> Parsed<'_> {
    if let Some(rest) = s.strip_prefix("[[") {
        let mut out = String::with_capacity(s.len());
        out.push('[');
        out.push_str(rest);
        return Parsed::Literal(std::borrow::Cow::Owned(out));
    }
    match s.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
        Some(inner) => Parsed::Expression(inner),
        None => Parsed::Literal(std::borrow::Cow::Borrowed(s)),
    }
}

/// Parses the text between the brackets.
pub(crate) fn parse(text: &str) -> Result<Expr, String> {
    let mut p = Parser {
        s: text.as_bytes(),
        text,
        i: 0,
        depth: 0,
    };
    p.ws();
    if p.i >= p.s.len() {
        return Err(String::from("the expression is empty"));
    }
    let e = p.expr()?;
    p.ws();
    if p.i < p.s.len() {
        return Err(format!(
            "unexpected '{}' at character {} of the expression",
            p.rest_preview(),
            p.i + 1
        ));
    }
    Ok(e)
}

struct Parser<'a> {
    s: &'a [u8],
    text: &'a str,
    i: usize,
    depth: usize,
}

impl Parser<'_> {
    fn ws(&mut self) {
        while self.s.get(self.i).is_some_and(u8::is_ascii_whitespace) {
            self.i += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn rest_preview(&self) -> String {
        let rest = self.text.get(self.i..).unwrap_or("");
        rest.chars().take(12).collect()
    }

    fn expect(&mut self, c: u8, what: &str) -> Result<(), String> {
        self.ws();
        if self.peek() == Some(c) {
            self.i += 1;
            Ok(())
        } else if self.i >= self.s.len() {
            Err(format!("the expression ends early: {what} is missing"))
        } else {
            Err(format!(
                "expected {what} at character {}, found '{}'",
                self.i + 1,
                self.rest_preview()
            ))
        }
    }

    fn expr(&mut self) -> Result<Expr, String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(format!(
                "the expression nests more than {MAX_DEPTH} levels deep"
            ));
        }
        let mut e = self.primary()?;
        loop {
            self.ws();
            match self.peek() {
                Some(b'.') => {
                    self.i += 1;
                    self.ws();
                    let at = self.i + 1;
                    let name = self.ident().map(str::to_string).ok_or_else(|| {
                        format!("expected a property name after '.' at character {at}")
                    })?;
                    e = Expr::Member(Box::new(e), name);
                }
                Some(b'[') => {
                    self.i += 1;
                    self.ws();
                    let index = self.expr()?;
                    self.expect(b']', "']'")?;
                    e = Expr::Index(Box::new(e), Box::new(index));
                }
                _ => break,
            }
        }
        self.depth -= 1;
        Ok(e)
    }

    fn ident(&mut self) -> Option<&str> {
        let start = self.i;
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'$')
        {
            self.i += 1;
        }
        let first = self.s.get(start).copied();
        if self.i == start || first.is_some_and(|c| c.is_ascii_digit()) {
            self.i = start;
            return None;
        }
        self.text.get(start..self.i)
    }

    fn primary(&mut self) -> Result<Expr, String> {
        self.ws();
        match self.peek() {
            None => Err(String::from("the expression ends early")),
            Some(b'\'') => self.string(),
            Some(c) if c.is_ascii_digit() || c == b'-' => self.number(),
            Some(_) => {
                let start = self.i;
                let Some(name) = self.ident().map(str::to_string) else {
                    return Err(format!(
                        "unexpected '{}' at character {}",
                        self.rest_preview(),
                        self.i + 1
                    ));
                };
                // A user-defined function: namespace.member(...)
                let save = self.i;
                let mut full = name.clone();
                if self.peek() == Some(b'.') {
                    self.i += 1;
                    match self.ident().map(str::to_string) {
                        Some(member) => {
                            self.ws();
                            if self.peek() == Some(b'(') {
                                full = format!("{name}.{member}");
                            } else {
                                self.i = save;
                            }
                        }
                        None => self.i = save,
                    }
                }
                self.ws();
                if self.peek() == Some(b'(') {
                    self.i += 1;
                    let args = self.args()?;
                    return Ok(Expr::Call(full.to_ascii_lowercase(), args));
                }
                match name.to_ascii_lowercase().as_str() {
                    "true" => Ok(Expr::Bool(true)),
                    "false" => Ok(Expr::Bool(false)),
                    "null" => Ok(Expr::Null),
                    _ => Err(format!(
                        "'{}' at character {} is not a function call (write {}(...)) or a quoted string",
                        name,
                        start + 1,
                        name
                    )),
                }
            }
        }
    }

    fn args(&mut self) -> Result<Vec<Expr>, String> {
        let mut args = Vec::new();
        self.ws();
        if self.peek() == Some(b')') {
            self.i += 1;
            return Ok(args);
        }
        loop {
            args.push(self.expr()?);
            self.ws();
            match self.peek() {
                Some(b',') => {
                    self.i += 1;
                }
                Some(b')') => {
                    self.i += 1;
                    return Ok(args);
                }
                None => return Err(String::from("the expression ends early: ')' is missing")),
                Some(_) => {
                    return Err(format!(
                        "expected ',' or ')' at character {}, found '{}'",
                        self.i + 1,
                        self.rest_preview()
                    ));
                }
            }
        }
    }

    fn string(&mut self) -> Result<Expr, String> {
        let start = self.i;
        self.i += 1;
        let mut out = String::new();
        let mut seg = self.i;
        loop {
            match self.peek() {
                None => {
                    return Err(format!(
                        "the string starting at character {} has no closing quote",
                        start + 1
                    ));
                }
                Some(b'\'') => {
                    out.push_str(self.text.get(seg..self.i).unwrap_or(""));
                    self.i += 1;
                    if self.peek() == Some(b'\'') {
                        out.push('\'');
                        self.i += 1;
                        seg = self.i;
                    } else {
                        return Ok(Expr::Str(out));
                    }
                }
                Some(_) => self.i += 1,
            }
        }
    }

    fn number(&mut self) -> Result<Expr, String> {
        let start = self.i;
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.i += 1;
        }
        let mut float = false;
        if self.peek() == Some(b'.') && self.s.get(self.i + 1).is_some_and(u8::is_ascii_digit) {
            float = true;
            self.i += 1;
            while self.peek().is_some_and(|c| c.is_ascii_digit()) {
                self.i += 1;
            }
        }
        let text = self.text.get(start..self.i).unwrap_or("");
        if float {
            return text
                .parse::<f64>()
                .map(Expr::Float)
                .map_err(|_| format!("'{text}' is not a number"));
        }
        text.parse::<i64>()
            .map(Expr::Int)
            .map_err(|_| format!("'{text}' is not a whole number ARM can hold"))
    }
}

/// The expression written back as ARM text (for messages).
pub(crate) fn show(e: &Expr) -> String {
    match e {
        Expr::Str(s) => format!("'{}'", s.replace('\'', "''")),
        Expr::Int(i) => i.to_string(),
        Expr::Float(f) => f.to_string(),
        Expr::Bool(b) => b.to_string(),
        Expr::Null => String::from("null"),
        Expr::Call(name, args) => {
            let args: Vec<String> = args.iter().map(show).collect();
            format!("{name}({})", args.join(", "))
        }
        Expr::Member(b, m) => format!("{}.{m}", show(b)),
        Expr::Index(b, i) => format!("{}[{}]", show(b), show(i)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_calls_members_and_literals() {
        let e = parse("concat('a''b', parameters('x').y[0], -3, true)").unwrap();
        assert_eq!(
            e,
            Expr::Call(
                "concat".into(),
                vec![
                    Expr::Str("a'b".into()),
                    Expr::Index(
                        Box::new(Expr::Member(
                            Box::new(Expr::Call("parameters".into(), vec![Expr::Str("x".into())])),
                            "y".into()
                        )),
                        Box::new(Expr::Int(0))
                    ),
                    Expr::Int(-3),
                    Expr::Bool(true),
                ]
            )
        );
        assert_eq!(
            parse("ns.fn(1)").unwrap(),
            Expr::Call("ns.fn".into(), vec![Expr::Int(1)])
        );
        assert_eq!(
            parse("resourceGroup().location").unwrap(),
            Expr::Member(
                Box::new(Expr::Call("resourcegroup".into(), vec![])),
                "location".into()
            )
        );
    }

    #[test]
    fn reports_syntax_errors() {
        assert!(parse("concat('a'").unwrap_err().contains("')'"));
        assert!(parse("'abc").unwrap_err().contains("closing quote"));
        assert!(parse("foo").unwrap_err().contains("not a function call"));
        assert!(parse("").is_err());
        let deep = "f(".repeat(100) + &")".repeat(100);
        assert!(parse(&deep).unwrap_err().contains("nests"));
    }

    #[test]
    fn classifies_escapes() {
        assert!(matches!(classify("[[literal]"), Parsed::Literal(s) if s == "[literal]"));
        assert!(matches!(classify("[x()]"), Parsed::Expression("x()")));
        assert!(matches!(classify("plain"), Parsed::Literal(_)));
    }
}
