//! ARM template functions that need nothing but their arguments: strings,
//! arrays, objects, numbers, comparisons, conversions and CIDR arithmetic.
//! Names are lower-cased; semantics follow Microsoft's function reference
//! (`learn.microsoft.com/azure/azure-resource-manager/templates/template-functions`).

use std::net::IpAddr;

use netsec_engine::address::{self, IpNet};
use serde_json::{Map, Number, Value};

use super::eval::{Fail, fatal};

/// The longest string or array a function may build (ARM itself limits
/// templates to 4 MB; this only stops runaway growth).
pub(crate) const MAX_LEN: usize = 8 * 1024 * 1024;

type R = Result<Value, Fail>;

/// The functions this module implements.
pub(crate) const PURE: &[&str] = &[
    "concat",
    "format",
    "equals",
    "not",
    "createarray",
    "createobject",
    "union",
    "intersection",
    "length",
    "string",
    "int",
    "bool",
    "float",
    "json",
    "tolower",
    "toupper",
    "trim",
    "replace",
    "split",
    "join",
    "substring",
    "startswith",
    "endswith",
    "contains",
    "indexof",
    "lastindexof",
    "padleft",
    "first",
    "last",
    "empty",
    "take",
    "skip",
    "range",
    "min",
    "max",
    "add",
    "sub",
    "mul",
    "div",
    "mod",
    "less",
    "lessorequals",
    "greater",
    "greaterorequals",
    "array",
    "items",
    "objectkeys",
    "flatten",
    "uri",
    "uricomponent",
    "uricomponenttostring",
    "base64",
    "base64tostring",
    "base64tojson",
    "null",
    "true",
    "false",
    "cidrsubnet",
    "cidrhost",
    "parsecidr",
    "shallowmerge",
    "tryget",
];

/// Calls a pure function on evaluated arguments.
pub(crate) fn call(name: &str, a: &[Value]) -> R {
    match name {
        "concat" => concat(a),
        "format" => format_fn(a),
        "equals" => {
            arity(name, a, 2, 2)?;
            Ok(Value::Bool(json_eq(&a[0], &a[1])))
        }
        "not" => {
            arity(name, a, 1, 1)?;
            Ok(Value::Bool(!as_bool(name, &a[0])?))
        }
        "createarray" => Ok(Value::Array(a.to_vec())),
        "createobject" => {
            if !a.len().is_multiple_of(2) {
                return Err(fatal(
                    "createObject takes pairs of key and value; it was given an odd number of arguments",
                ));
            }
            let mut m = Map::new();
            for pair in a.chunks(2) {
                if let [k, v] = pair {
                    m.insert(as_str(name, k)?.to_string(), v.clone());
                }
            }
            Ok(Value::Object(m))
        }
        "union" => union(a),
        "intersection" => intersection(a),
        "length" => {
            arity(name, a, 1, 1)?;
            let n = match &a[0] {
                Value::String(s) => s.encode_utf16().count(),
                Value::Array(x) => x.len(),
                Value::Object(o) => o.len(),
                Value::Null => 0,
                other => {
                    return Err(fatal(format!(
                        "length takes a string, an array or an object, not {}",
                        kind(other)
                    )));
                }
            };
            Ok(Value::from(n as i64))
        }
        "string" => {
            arity(name, a, 1, 1)?;
            Ok(Value::String(to_text(&a[0])))
        }
        "int" => {
            arity(name, a, 1, 1)?;
            Ok(Value::from(to_int(&a[0])?))
        }
        "bool" => {
            arity(name, a, 1, 1)?;
            match &a[0] {
                Value::Bool(b) => Ok(Value::Bool(*b)),
                Value::String(s) if s.eq_ignore_ascii_case("true") => Ok(Value::Bool(true)),
                Value::String(s) if s.eq_ignore_ascii_case("false") => Ok(Value::Bool(false)),
                Value::Number(n) => Ok(Value::Bool(n.as_f64().is_some_and(|f| f != 0.0))),
                other => Err(fatal(format!("bool cannot convert {}", kind(other)))),
            }
        }
        "float" => {
            arity(name, a, 1, 1)?;
            let f = match &a[0] {
                Value::Number(n) => n.as_f64(),
                Value::String(s) => s.trim().parse::<f64>().ok(),
                _ => None,
            };
            f.and_then(Number::from_f64)
                .map(Value::Number)
                .ok_or_else(|| fatal(format!("float cannot convert {}", kind(&a[0]))))
        }
        "json" => {
            arity(name, a, 1, 1)?;
            let text = as_str(name, &a[0])?;
            serde_json::from_str(text)
                .map_err(|e| fatal(format!("json() was given text that is not JSON: {e}")))
        }
        "tolower" => {
            arity(name, a, 1, 1)?;
            Ok(Value::String(as_str(name, &a[0])?.to_lowercase()))
        }
        "toupper" => {
            arity(name, a, 1, 1)?;
            Ok(Value::String(as_str(name, &a[0])?.to_uppercase()))
        }
        "trim" => {
            arity(name, a, 1, 1)?;
            Ok(Value::String(as_str(name, &a[0])?.trim().to_string()))
        }
        "replace" => {
            arity(name, a, 3, 3)?;
            let s = as_str(name, &a[0])?;
            let old = as_str(name, &a[1])?;
            let new = as_str(name, &a[2])?;
            if old.is_empty() {
                return Ok(Value::String(s.to_string()));
            }
            let estimate = s.len() / old.len() * new.len().max(1) + s.len();
            if estimate > MAX_LEN {
                return Err(too_long());
            }
            Ok(Value::String(s.replace(old, new)))
        }
        "split" => {
            arity(name, a, 2, 2)?;
            let s = as_str(name, &a[0])?;
            let delims: Vec<String> = match &a[1] {
                Value::Array(x) => x.iter().map(to_text).collect(),
                other => vec![as_str(name, other)?.to_string()],
            };
            let mut parts = vec![s.to_string()];
            for d in delims.iter().filter(|d| !d.is_empty()) {
                parts = parts
                    .iter()
                    .flat_map(|p| p.split(d.as_str()).map(String::from).collect::<Vec<_>>())
                    .collect();
            }
            Ok(Value::Array(parts.into_iter().map(Value::String).collect()))
        }
        "join" => {
            arity(name, a, 2, 2)?;
            let items = as_array(name, &a[0])?;
            let d = as_str(name, &a[1])?;
            let parts: Vec<String> = items.iter().map(to_text).collect();
            let out = parts.join(d);
            check_len(out.len())?;
            Ok(Value::String(out))
        }
        "substring" => {
            arity(name, a, 2, 3)?;
            let s: Vec<char> = as_str(name, &a[0])?.chars().collect();
            let start = to_int(&a[1])?;
            let len = match a.get(2) {
                Some(v) => to_int(v)?,
                None => s.len() as i64 - start,
            };
            if start < 0 || len < 0 || start.saturating_add(len) > s.len() as i64 {
                return Err(fatal(format!(
                    "substring({start}, {len}) is outside the string, which has {} characters",
                    s.len()
                )));
            }
            let out: String = s.iter().skip(start as usize).take(len as usize).collect();
            Ok(Value::String(out))
        }
        "startswith" | "endswith" => {
            arity(name, a, 2, 2)?;
            let s = as_str(name, &a[0])?.to_lowercase();
            let p = as_str(name, &a[1])?.to_lowercase();
            Ok(Value::Bool(if name == "startswith" {
                s.starts_with(&p)
            } else {
                s.ends_with(&p)
            }))
        }
        "contains" => {
            arity(name, a, 2, 2)?;
            Ok(Value::Bool(match &a[0] {
                Value::String(s) => s.contains(&to_text(&a[1])),
                Value::Array(x) => x.iter().any(|v| json_eq(v, &a[1])),
                Value::Object(o) => {
                    let k = to_text(&a[1]);
                    o.keys().any(|x| x.eq_ignore_ascii_case(&k))
                }
                other => {
                    return Err(fatal(format!(
                        "contains takes a string, an array or an object, not {}",
                        kind(other)
                    )));
                }
            }))
        }
        "indexof" | "lastindexof" => {
            arity(name, a, 2, 2)?;
            let last = name == "lastindexof";
            let i = match &a[0] {
                Value::String(s) => {
                    let hay = s.to_lowercase();
                    let needle = to_text(&a[1]).to_lowercase();
                    let found = if last {
                        hay.rfind(&needle)
                    } else {
                        hay.find(&needle)
                    };
                    found.map(|b| hay.get(..b).map_or(0, |p| p.chars().count()))
                }
                Value::Array(x) => {
                    if last {
                        x.iter().rposition(|v| json_eq(v, &a[1]))
                    } else {
                        x.iter().position(|v| json_eq(v, &a[1]))
                    }
                }
                other => {
                    return Err(fatal(format!(
                        "{name} takes a string or an array, not {}",
                        kind(other)
                    )));
                }
            };
            Ok(Value::from(i.map_or(-1, |i| i as i64)))
        }
        "padleft" => {
            arity(name, a, 2, 3)?;
            let s = to_text(&a[0]);
            let total = to_int(&a[1])?;
            if !(0..=65_536).contains(&total) {
                return Err(fatal(format!(
                    "padLeft's total length {total} is outside 0-65536"
                )));
            }
            let pad = match a.get(2) {
                Some(v) => as_str(name, v)?.chars().next().unwrap_or(' '),
                None => ' ',
            };
            let have = s.chars().count();
            let mut out: String =
                std::iter::repeat_n(pad, (total as usize).saturating_sub(have)).collect();
            out.push_str(&s);
            Ok(Value::String(out))
        }
        "first" | "last" => {
            arity(name, a, 1, 1)?;
            let first = name == "first";
            Ok(match &a[0] {
                Value::String(s) => {
                    let c = if first {
                        s.chars().next()
                    } else {
                        s.chars().last()
                    };
                    Value::String(c.map(String::from).unwrap_or_default())
                }
                Value::Array(x) => {
                    let v = if first { x.first() } else { x.last() };
                    v.cloned().unwrap_or(Value::Null)
                }
                other => {
                    return Err(fatal(format!(
                        "{name} takes a string or an array, not {}",
                        kind(other)
                    )));
                }
            })
        }
        "empty" => {
            arity(name, a, 1, 1)?;
            Ok(Value::Bool(match &a[0] {
                Value::Null => true,
                Value::String(s) => s.is_empty(),
                Value::Array(x) => x.is_empty(),
                Value::Object(o) => o.is_empty(),
                _ => false,
            }))
        }
        "take" | "skip" => {
            arity(name, a, 2, 2)?;
            let n = to_int(&a[1])?.max(0) as usize;
            let take = name == "take";
            Ok(match &a[0] {
                Value::String(s) => Value::String(if take {
                    s.chars().take(n).collect()
                } else {
                    s.chars().skip(n).collect()
                }),
                Value::Array(x) => Value::Array(if take {
                    x.iter().take(n).cloned().collect()
                } else {
                    x.iter().skip(n).cloned().collect()
                }),
                other => {
                    return Err(fatal(format!(
                        "{name} takes a string or an array, not {}",
                        kind(other)
                    )));
                }
            })
        }
        "range" => {
            arity(name, a, 2, 2)?;
            let start = to_int(&a[0])?;
            let count = to_int(&a[1])?;
            if !(0..=10_000).contains(&count) {
                return Err(fatal(format!(
                    "range's count {count} is outside 0-10000 (Azure's limit)"
                )));
            }
            let end = start
                .checked_add(count)
                .ok_or_else(|| fatal("range goes past the largest whole number"))?;
            Ok(Value::Array((start..end).map(Value::from).collect()))
        }
        "min" | "max" => {
            let items: Vec<Value> = match a {
                [Value::Array(x)] => x.clone(),
                _ => a.to_vec(),
            };
            let mut best: Option<i64> = None;
            for v in &items {
                let n = to_int(v)?;
                best = Some(match best {
                    None => n,
                    Some(b) if name == "min" => b.min(n),
                    Some(b) => b.max(n),
                });
            }
            best.map(Value::from)
                .ok_or_else(|| fatal(format!("{name} needs at least one number")))
        }
        "add" | "sub" | "mul" | "div" | "mod" => {
            arity(name, a, 2, 2)?;
            let x = to_int(&a[0])?;
            let y = to_int(&a[1])?;
            let r = match name {
                "add" => x.checked_add(y),
                "sub" => x.checked_sub(y),
                "mul" => x.checked_mul(y),
                "div" if y == 0 => return Err(fatal("div divides by zero")),
                "div" => x.checked_div(y),
                _ if y == 0 => return Err(fatal("mod divides by zero")),
                _ => x.checked_rem(y),
            };
            r.map(Value::from)
                .ok_or_else(|| fatal(format!("{name}({x}, {y}) overflows")))
        }
        "less" | "lessorequals" | "greater" | "greaterorequals" => {
            arity(name, a, 2, 2)?;
            let ord = match (&a[0], &a[1]) {
                (Value::String(x), Value::String(y)) => x.cmp(y),
                (x, y) => to_int(x)?.cmp(&to_int(y)?),
            };
            use std::cmp::Ordering::*;
            Ok(Value::Bool(match name {
                "less" => ord == Less,
                "lessorequals" => ord != Greater,
                "greater" => ord == Greater,
                _ => ord != Less,
            }))
        }
        "array" => {
            arity(name, a, 1, 1)?;
            Ok(match &a[0] {
                Value::Array(x) => Value::Array(x.clone()),
                other => Value::Array(vec![other.clone()]),
            })
        }
        "items" => {
            arity(name, a, 1, 1)?;
            let o = as_object(name, &a[0])?;
            let mut keys: Vec<&String> = o.keys().collect();
            keys.sort_by_key(|k| k.to_lowercase());
            Ok(Value::Array(
                keys.into_iter()
                    .map(|k| {
                        let mut m = Map::new();
                        m.insert("key".into(), Value::String(k.clone()));
                        m.insert("value".into(), o.get(k).cloned().unwrap_or(Value::Null));
                        Value::Object(m)
                    })
                    .collect(),
            ))
        }
        "objectkeys" => {
            arity(name, a, 1, 1)?;
            let o = as_object(name, &a[0])?;
            Ok(Value::Array(
                o.keys().map(|k| Value::String(k.clone())).collect(),
            ))
        }
        "flatten" => {
            arity(name, a, 1, 1)?;
            let mut out = Vec::new();
            for v in as_array(name, &a[0])? {
                match v {
                    Value::Array(x) => out.extend(x.iter().cloned()),
                    other => out.push(other.clone()),
                }
            }
            Ok(Value::Array(out))
        }
        "uri" => {
            arity(name, a, 2, 2)?;
            let base = as_str(name, &a[0])?;
            let rel = as_str(name, &a[1])?;
            Ok(Value::String(join_uri(base, rel)))
        }
        "uricomponent" => {
            arity(name, a, 1, 1)?;
            Ok(Value::String(percent_encode(as_str(name, &a[0])?)))
        }
        "uricomponenttostring" => {
            arity(name, a, 1, 1)?;
            Ok(Value::String(percent_decode(as_str(name, &a[0])?)))
        }
        "base64" => {
            arity(name, a, 1, 1)?;
            Ok(Value::String(base64_encode(
                as_str(name, &a[0])?.as_bytes(),
            )))
        }
        "base64tostring" | "base64tojson" => {
            arity(name, a, 1, 1)?;
            let bytes = base64_decode(as_str(name, &a[0])?)
                .ok_or_else(|| fatal(format!("{name} was given text that is not base64")))?;
            let text = String::from_utf8(bytes)
                .map_err(|_| fatal(format!("{name}: the decoded bytes are not UTF-8 text")))?;
            if name == "base64tojson" {
                serde_json::from_str(&text)
                    .map_err(|e| fatal(format!("base64ToJson: the text is not JSON: {e}")))
            } else {
                Ok(Value::String(text))
            }
        }
        "null" => Ok(Value::Null),
        "true" => Ok(Value::Bool(true)),
        "false" => Ok(Value::Bool(false)),
        "cidrsubnet" => {
            arity(name, a, 3, 3)?;
            cidr_subnet(as_str(name, &a[0])?, to_int(&a[1])?, to_int(&a[2])?)
        }
        "cidrhost" => {
            arity(name, a, 2, 2)?;
            cidr_host(as_str(name, &a[0])?, to_int(&a[1])?)
        }
        "parsecidr" => {
            arity(name, a, 1, 1)?;
            parse_cidr(as_str(name, &a[0])?)
        }
        "shallowmerge" => {
            arity(name, a, 1, 1)?;
            let mut m = Map::new();
            for v in as_array(name, &a[0])? {
                for (k, x) in as_object(name, v)? {
                    m.insert(k.clone(), x.clone());
                }
            }
            Ok(Value::Object(m))
        }
        "tryget" => {
            if a.len() < 2 {
                return Err(fatal("tryGet needs an object and at least one key"));
            }
            let mut cur = a[0].clone();
            for k in &a[1..] {
                cur = match (&cur, k) {
                    (Value::Object(o), key) => {
                        get_ci(o, &to_text(key)).cloned().unwrap_or(Value::Null)
                    }
                    (Value::Array(x), Value::Number(n)) => n
                        .as_u64()
                        .and_then(|i| x.get(i as usize))
                        .cloned()
                        .unwrap_or(Value::Null),
                    _ => Value::Null,
                };
            }
            Ok(cur)
        }
        other => Err(fatal(format!("unknown template function '{other}'"))),
    }
}

fn too_long() -> Fail {
    fatal(format!(
        "the value grows past {} MB; the template is probably looping",
        MAX_LEN / (1024 * 1024)
    ))
}

pub(crate) fn check_len(n: usize) -> Result<(), Fail> {
    if n > MAX_LEN { Err(too_long()) } else { Ok(()) }
}

pub(crate) fn arity(name: &str, a: &[Value], min: usize, max: usize) -> Result<(), Fail> {
    if a.len() < min || a.len() > max {
        let want = if min == max {
            format!("{min}")
        } else {
            format!("{min} to {max}")
        };
        return Err(fatal(format!(
            "{name} takes {want} argument{}, not {}",
            if max == 1 { "" } else { "s" },
            a.len()
        )));
    }
    Ok(())
}

/// A short name for a JSON value's type, for messages.
pub(crate) fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

pub(crate) fn as_str<'v>(name: &str, v: &'v Value) -> Result<&'v str, Fail> {
    v.as_str()
        .ok_or_else(|| fatal(format!("{name} expects a string, not {}", kind(v))))
}

pub(crate) fn as_array<'v>(name: &str, v: &'v Value) -> Result<&'v Vec<Value>, Fail> {
    v.as_array()
        .ok_or_else(|| fatal(format!("{name} expects an array, not {}", kind(v))))
}

pub(crate) fn as_object<'v>(name: &str, v: &'v Value) -> Result<&'v Map<String, Value>, Fail> {
    v.as_object()
        .ok_or_else(|| fatal(format!("{name} expects an object, not {}", kind(v))))
}

pub(crate) fn as_bool(name: &str, v: &Value) -> Result<bool, Fail> {
    match v {
        Value::Bool(b) => Ok(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Ok(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Ok(false),
        other => Err(fatal(format!(
            "{name} expects true or false, not {}",
            kind(other)
        ))),
    }
}

/// A whole number from a number or a numeric string.
pub(crate) fn to_int(v: &Value) -> Result<i64, Fail> {
    match v {
        Value::Number(n) => n
            .as_i64()
            .or_else(|| n.as_f64().filter(|f| f.abs() < 9.0e18).map(|f| f as i64))
            .ok_or_else(|| fatal(format!("{n} is not a whole number"))),
        Value::String(s) => s
            .trim()
            .parse::<i64>()
            .map_err(|_| fatal(format!("'{}' is not a whole number", clip(s)))),
        Value::Bool(b) => Ok(i64::from(*b)),
        other => Err(fatal(format!(
            "expected a whole number, not {}",
            kind(other)
        ))),
    }
}

fn clip(s: &str) -> String {
    crate::scenario::build::clip(s)
}

/// A value as text, as ARM's `string()` writes it.
pub(crate) fn to_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Bool(true) => String::from("True"),
        Value::Bool(false) => String::from("False"),
        Value::Null => String::new(),
        Value::Number(n) => n.to_string(),
        other => other.to_string(),
    }
}

/// JSON equality; object keys ignore case, as ARM's do.
pub(crate) fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(i), Some(j)) => i == j,
            _ => x.as_f64() == y.as_f64(),
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| json_eq(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| get_ci(y, k).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}

/// An object's value by key, exact first, then ignoring case.
pub(crate) fn get_ci<'m>(m: &'m Map<String, Value>, key: &str) -> Option<&'m Value> {
    m.get(key).or_else(|| {
        m.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    })
}

fn concat(a: &[Value]) -> R {
    if a.iter().any(Value::is_array) {
        let mut out = Vec::new();
        for v in a {
            match v {
                Value::Array(x) => out.extend(x.iter().cloned()),
                Value::Null => {}
                other => out.push(other.clone()),
            }
            check_len(out.len())?;
        }
        return Ok(Value::Array(out));
    }
    let mut out = String::new();
    for v in a {
        out.push_str(&to_text(v));
        check_len(out.len())?;
    }
    Ok(Value::String(out))
}

/// `format('{0}-{1:D3}', ...)`: .NET composite formatting, with `{{`/`}}`
/// escapes and the `D`/`N` number formats.
fn format_fn(a: &[Value]) -> R {
    let Some((fmt, args)) = a.split_first() else {
        return Err(fatal("format needs a format string"));
    };
    let fmt = as_str("format", fmt)?;
    let mut out = String::new();
    let mut chars = fmt.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                out.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                out.push('}');
            }
            '{' => {
                let mut spec = String::new();
                let mut closed = false;
                for d in chars.by_ref() {
                    if d == '}' {
                        closed = true;
                        break;
                    }
                    spec.push(d);
                }
                if !closed {
                    return Err(fatal(format!(
                        "format string '{}' has an unclosed '{{'",
                        clip(fmt)
                    )));
                }
                let (index, style) = match spec.split_once(':') {
                    Some((i, s)) => (i, Some(s)),
                    None => (spec.as_str(), None),
                };
                let index = index.split(',').next().unwrap_or("").trim();
                let i: usize = index.parse().map_err(|_| {
                    fatal(format!(
                        "format string '{}': '{{{spec}}}' is not a placeholder",
                        clip(fmt)
                    ))
                })?;
                let v = args.get(i).ok_or_else(|| {
                    fatal(format!(
                        "format string '{}' uses {{{i}}} but has only {} argument{}",
                        clip(fmt),
                        args.len(),
                        if args.len() == 1 { "" } else { "s" }
                    ))
                })?;
                out.push_str(&format_one(v, style));
            }
            other => out.push(other),
        }
        check_len(out.len())?;
    }
    Ok(Value::String(out))
}

fn format_one(v: &Value, style: Option<&str>) -> String {
    let Some(style) = style else {
        return to_text(v);
    };
    let n = v.as_i64();
    let (letter, digits) = style.split_at(style.len().min(1));
    let width: usize = digits.parse().unwrap_or(0).min(64);
    match (letter, n) {
        ("D" | "d", Some(n)) => {
            let s = n.unsigned_abs().to_string();
            let pad = "0".repeat(width.saturating_sub(s.len()));
            format!("{}{pad}{s}", if n < 0 { "-" } else { "" })
        }
        ("N" | "n", Some(n)) => {
            let s = n.unsigned_abs().to_string();
            let mut grouped = String::new();
            for (k, ch) in s.chars().enumerate() {
                if k > 0 && (s.len() - k) % 3 == 0 {
                    grouped.push(',');
                }
                grouped.push(ch);
            }
            if width > 0 {
                grouped.push('.');
                grouped.push_str(&"0".repeat(width));
            }
            format!("{}{grouped}", if n < 0 { "-" } else { "" })
        }
        _ => to_text(v),
    }
}

fn union(a: &[Value]) -> R {
    match a.first() {
        None => Err(fatal("union needs at least one argument")),
        Some(Value::Object(_)) => {
            let mut out = Map::new();
            for v in a {
                merge_into(&mut out, as_object("union", v)?);
            }
            Ok(Value::Object(out))
        }
        Some(_) => {
            let mut out: Vec<Value> = Vec::new();
            for v in a {
                for x in as_array("union", v)? {
                    if !out.iter().any(|y| json_eq(x, y)) {
                        out.push(x.clone());
                    }
                }
                check_len(out.len())?;
            }
            Ok(Value::Array(out))
        }
    }
}

/// Deep merge: nested objects merge, other values are replaced.
fn merge_into(out: &mut Map<String, Value>, add: &Map<String, Value>) {
    for (k, v) in add {
        let existing = out.keys().find(|x| x.eq_ignore_ascii_case(k)).cloned();
        match (existing.and_then(|e| out.get_mut(&e)), v) {
            (Some(Value::Object(o)), Value::Object(n)) => merge_into(o, n),
            (Some(slot), _) => *slot = v.clone(),
            (None, _) => {
                out.insert(k.clone(), v.clone());
            }
        }
    }
}

fn intersection(a: &[Value]) -> R {
    let Some((first, rest)) = a.split_first() else {
        return Err(fatal("intersection needs at least one argument"));
    };
    match first {
        Value::Object(o) => {
            let mut out = Map::new();
            for (k, v) in o {
                let everywhere = rest.iter().all(|r| {
                    r.as_object()
                        .and_then(|m| get_ci(m, k))
                        .is_some_and(|w| json_eq(v, w))
                });
                if everywhere {
                    out.insert(k.clone(), v.clone());
                }
            }
            Ok(Value::Object(out))
        }
        _ => {
            let mut out: Vec<Value> = Vec::new();
            for x in as_array("intersection", first)? {
                let everywhere = rest.iter().all(|r| {
                    r.as_array()
                        .is_some_and(|y| y.iter().any(|z| json_eq(x, z)))
                });
                if everywhere && !out.iter().any(|y| json_eq(x, y)) {
                    out.push(x.clone());
                }
            }
            Ok(Value::Array(out))
        }
    }
}

fn join_uri(base: &str, rel: &str) -> String {
    if rel.contains("://") {
        return rel.to_string();
    }
    if let Some(r) = rel.strip_prefix('/') {
        // Root-relative: keep scheme and authority.
        let after_scheme = base.find("://").map_or(0, |i| i + 3);
        let authority_end = base
            .get(after_scheme..)
            .and_then(|s| s.find('/'))
            .map_or(base.len(), |i| i + after_scheme);
        return format!("{}/{r}", base.get(..authority_end).unwrap_or(base));
    }
    match base.rfind('/') {
        Some(i) if i + 1 > base.find("://").map_or(0, |j| j + 3) => {
            format!("{}{rel}", base.get(..=i).unwrap_or(base))
        }
        _ => format!("{base}/{rel}"),
    }
}

fn percent_encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'%'
            && let Some(hex) = s.get(i + 1..i + 3)
            && let Ok(v) = u8::from_str_radix(hex, 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

pub(crate) fn base64_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for k in 0..4 {
            if k <= chunk.len() {
                let idx = ((n >> (18 - 6 * k)) & 63) as usize;
                out.push(char::from(B64[idx]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut acc = 0u32;
    let mut bits = 0;
    for c in s.bytes().filter(|c| !c.is_ascii_whitespace()) {
        if c == b'=' {
            break;
        }
        let v = B64.iter().position(|x| *x == c)? as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((acc >> bits) & 0xff) as u8);
        }
    }
    Some(out)
}

fn parse_net(text: &str) -> Result<IpNet, Fail> {
    address::parse_prefix(text).map_err(|_| {
        fatal(format!(
            "'{}' is not an address range in CIDR notation",
            clip(text)
        ))
    })
}

fn bits_of(net: &IpNet) -> (u128, u8) {
    match net {
        IpNet::V4(n) => (u128::from(u32::from(n.network())), 32),
        IpNet::V6(n) => (u128::from(n.network()), 128),
    }
}

fn addr_of(v: u128, width: u8) -> IpAddr {
    if width == 32 {
        IpAddr::V4(std::net::Ipv4Addr::from(v as u32))
    } else {
        IpAddr::V6(std::net::Ipv6Addr::from(v))
    }
}

fn cidr_subnet(net: &str, new_len: i64, index: i64) -> R {
    let n = parse_net(net)?;
    let (base, width) = bits_of(&n);
    let old = i64::from(n.prefix_len());
    if new_len < old || new_len > i64::from(width) {
        return Err(fatal(format!(
            "cidrSubnet: the new prefix length {new_len} must be between {old} and {width}"
        )));
    }
    let extra = (new_len - old) as u32;
    let count: u128 = if extra >= 128 {
        u128::MAX
    } else {
        1u128 << extra
    };
    if index < 0 || (index as u128) >= count {
        return Err(fatal(format!(
            "cidrSubnet: {net} has {count} subnets of /{new_len}; index {index} is outside them"
        )));
    }
    let host_bits = u32::from(width) - new_len as u32;
    let step = if host_bits >= 128 {
        0
    } else {
        1u128 << host_bits
    };
    let start = base + (index as u128) * step;
    Ok(Value::String(format!(
        "{}/{new_len}",
        addr_of(start, width)
    )))
}

fn cidr_host(net: &str, index: i64) -> R {
    let n = parse_net(net)?;
    let (base, width) = bits_of(&n);
    let host_bits = u32::from(width) - u32::from(n.prefix_len());
    let size: u128 = if host_bits >= 128 {
        u128::MAX
    } else {
        1u128 << host_bits
    };
    let usable = if width == 32 {
        size.saturating_sub(2)
    } else {
        size.saturating_sub(1)
    };
    if index < 0 || (index as u128) >= usable {
        return Err(fatal(format!(
            "cidrHost: {net} has {usable} usable addresses; index {index} is outside them"
        )));
    }
    Ok(Value::String(
        addr_of(base + 1 + index as u128, width).to_string(),
    ))
}

fn parse_cidr(net: &str) -> R {
    let n = parse_net(net)?;
    let (base, width) = bits_of(&n);
    let len = u32::from(n.prefix_len());
    let host_bits = u32::from(width) - len;
    let size: u128 = if host_bits >= 128 {
        u128::MAX
    } else {
        1u128 << host_bits
    };
    let last = base.saturating_add(size - 1);
    let mask: u128 = if width == 32 {
        (u128::from(u32::MAX) >> host_bits << host_bits) & u128::from(u32::MAX)
    } else if host_bits >= 128 {
        0
    } else {
        u128::MAX >> host_bits << host_bits
    };
    let mut m = Map::new();
    m.insert("network".into(), addr_of(base, width).to_string().into());
    m.insert("netmask".into(), addr_of(mask, width).to_string().into());
    if width == 32 {
        m.insert("broadcast".into(), addr_of(last, width).to_string().into());
        let (first, lastu) = if host_bits >= 2 {
            (base + 1, last - 1)
        } else {
            (base, last)
        };
        m.insert(
            "firstUsable".into(),
            addr_of(first, width).to_string().into(),
        );
        m.insert(
            "lastUsable".into(),
            addr_of(lastu, width).to_string().into(),
        );
    } else {
        m.insert(
            "firstUsable".into(),
            addr_of(base, width).to_string().into(),
        );
        m.insert("lastUsable".into(), addr_of(last, width).to_string().into());
    }
    m.insert("cidr".into(), Value::from(i64::from(len)));
    Ok(Value::Object(m))
}

/// A deterministic 64-bit hash (FNV-1a) for the stand-ins of `uniqueString` and `guid`.
pub(crate) fn hash64(text: &str, seed: u64) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ seed;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn call_ok(name: &str, args: Vec<Value>) -> Value {
        match call(name, &args) {
            Ok(v) => v,
            Err(Fail::Fatal(_, m)) | Err(Fail::Unresolved(m)) => panic!("{name}: {m}"),
        }
    }

    #[test]
    fn strings_and_formats() {
        assert_eq!(
            call_ok("concat", vec![json!("a"), json!(1), json!(true)]),
            json!("a1True")
        );
        assert_eq!(
            call_ok(
                "format",
                vec![json!("{0}-{1:D3}{{x}}"), json!("web"), json!(7)]
            ),
            json!("web-007{x}")
        );
        assert_eq!(call_ok("tolower", vec![json!("AbC")]), json!("abc"));
        assert_eq!(
            call_ok("indexof", vec![json!("Hello"), json!("LL")]),
            json!(2)
        );
        assert_eq!(
            call_ok("padleft", vec![json!(7), json!(3), json!("0")]),
            json!("007")
        );
        assert_eq!(
            call_ok("split", vec![json!("a,b;c"), json!([",", ";"])]),
            json!(["a", "b", "c"])
        );
        assert_eq!(call_ok("string", vec![json!({"a": 1})]), json!("{\"a\":1}"));
        assert_eq!(
            call_ok(
                "base64tostring",
                vec![call_ok("base64", vec![json!("hi there")])]
            ),
            json!("hi there")
        );
        assert_eq!(
            call_ok("uri", vec![json!("https://x.org/a/b.json"), json!("c.sh")]),
            json!("https://x.org/a/c.sh")
        );
    }

    #[test]
    fn arrays_objects_and_numbers() {
        assert_eq!(
            call_ok("union", vec![json!([1, 2]), json!([2, 3])]),
            json!([1, 2, 3])
        );
        assert_eq!(
            call_ok(
                "union",
                vec![json!({"a": {"x": 1}}), json!({"a": {"y": 2}, "b": 1})]
            ),
            json!({"a": {"x": 1, "y": 2}, "b": 1})
        );
        assert_eq!(call_ok("length", vec![json!([1, 2, 3])]), json!(3));
        assert_eq!(call_ok("range", vec![json!(2), json!(3)]), json!([2, 3, 4]));
        assert_eq!(call_ok("int", vec![json!(" 42 ")]), json!(42));
        assert!(call("div", &[json!(1), json!(0)]).is_err());
        assert!(call("range", &[json!(0), json!(100_000)]).is_err());
        assert_eq!(
            call_ok("equals", vec![json!({"A": 1}), json!({"a": 1})]),
            json!(true)
        );
    }

    #[test]
    fn cidr_functions_follow_the_reference() {
        assert_eq!(
            call_ok(
                "cidrsubnet",
                vec![json!("10.144.0.0/20"), json!(24), json!(3)]
            ),
            json!("10.144.3.0/24")
        );
        assert_eq!(
            call_ok("cidrhost", vec![json!("10.144.3.0/24"), json!(2)]),
            json!("10.144.3.3")
        );
        assert_eq!(
            call_ok("parsecidr", vec![json!("10.144.0.0/20")]),
            json!({"network": "10.144.0.0", "netmask": "255.255.240.0", "broadcast": "10.144.15.255",
                   "firstUsable": "10.144.0.1", "lastUsable": "10.144.15.254", "cidr": 20})
        );
        assert_eq!(
            call_ok(
                "cidrsubnet",
                vec![json!("fdad:3236:5555::/48"), json!(52), json!(1)]
            ),
            json!("fdad:3236:5555:1000::/52")
        );
    }
}
