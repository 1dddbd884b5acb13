//! Terraform values, with the "known only after apply" value, and the
//! built-in functions configurations use for networks.

// Without the HCL reader only the JSON readers use values, not the functions.
#![cfg_attr(not(feature = "hcl"), allow(dead_code))]

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::net::IpAddr;
use std::rc::Rc;

use netsec_engine::address::{self, IpNet};

/// The longest string or list a function may build.
pub(crate) const MAX_LEN: usize = 8 * 1024 * 1024;

/// A value Terraform cannot know before `apply` (or this import cannot know
/// offline), with why, and the resource it comes from when there is one.
#[derive(Debug, PartialEq)]
pub(crate) struct Unknown {
    pub why: String,
    /// The address of the resource the value is an attribute of
    /// (`azurerm_subnet.web`), when known.
    pub target: Option<String>,
    /// The attribute of `target` it stands for (`private_ip_address`), when
    /// the source says (a plan does not).
    pub attribute: Option<String>,
}

/// A Terraform value.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum V {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    /// Lists, tuples and sets.
    List(Vec<V>),
    /// Maps and objects (keys sorted, as Terraform iterates them).
    Map(BTreeMap<String, V>),
    Unknown(Rc<Unknown>),
}

impl V {
    pub fn unknown(why: impl Into<String>) -> V {
        V::Unknown(Rc::new(Unknown {
            why: why.into(),
            target: None,
            attribute: None,
        }))
    }

    pub fn unknown_from(why: impl Into<String>, target: &str) -> V {
        V::Unknown(Rc::new(Unknown {
            why: why.into(),
            target: Some(target.to_string()),
            attribute: None,
        }))
    }

    /// A computed attribute of resource `target`.
    pub fn unknown_attribute(why: impl Into<String>, target: &str, attribute: &str) -> V {
        V::Unknown(Rc::new(Unknown {
            why: why.into(),
            target: Some(target.to_string()),
            attribute: Some(attribute.to_string()),
        }))
    }

    pub fn str(s: impl Into<String>) -> V {
        V::Str(s.into())
    }

    /// A short name for the value's type, for messages.
    pub fn kind(&self) -> &'static str {
        match self {
            V::Null => "null",
            V::Bool(_) => "a bool",
            V::Num(_) => "a number",
            V::Str(_) => "a string",
            V::List(_) => "a list",
            V::Map(_) => "a map",
            V::Unknown(_) => "a value known only after apply",
        }
    }

    pub fn get(&self, key: &str) -> Option<&V> {
        match self {
            V::Map(m) => m.get(key),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            V::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_list(&self) -> Option<&[V]> {
        match self {
            V::List(l) => Some(l),
            _ => None,
        }
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self, V::Unknown(_))
    }

    /// The first unknown value inside this one, if any.
    pub fn find_unknown(&self) -> Option<&V> {
        match self {
            V::Unknown(_) => Some(self),
            V::List(l) => l.iter().find_map(V::find_unknown),
            V::Map(m) => m.values().find_map(V::find_unknown),
            _ => None,
        }
    }

    /// From JSON (tfvars, plan and state files).
    pub fn from_json(j: &serde_json::Value) -> V {
        match j {
            serde_json::Value::Null => V::Null,
            serde_json::Value::Bool(b) => V::Bool(*b),
            serde_json::Value::Number(n) => V::Num(n.as_f64().unwrap_or(0.0)),
            serde_json::Value::String(s) => V::Str(s.clone()),
            serde_json::Value::Array(a) => V::List(a.iter().map(V::from_json).collect()),
            serde_json::Value::Object(o) => V::Map(
                o.iter()
                    .map(|(k, v)| (k.clone(), V::from_json(v)))
                    .collect(),
            ),
        }
    }

    /// To JSON; unknown values become null.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            V::Null | V::Unknown(_) => serde_json::Value::Null,
            V::Bool(b) => serde_json::Value::Bool(*b),
            V::Num(n) => num_json(*n),
            V::Str(s) => serde_json::Value::String(s.clone()),
            V::List(l) => serde_json::Value::Array(l.iter().map(V::to_json).collect()),
            V::Map(m) => {
                serde_json::Value::Object(m.iter().map(|(k, v)| (k.clone(), v.to_json())).collect())
            }
        }
    }
}

fn num_json(n: f64) -> serde_json::Value {
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        serde_json::Value::from(n as i64)
    } else {
        serde_json::Number::from_f64(n).map_or(serde_json::Value::Null, serde_json::Value::Number)
    }
}

/// A number as Terraform writes it in a string (`5`, not `5.0`).
pub(crate) fn num_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// A value as a string, as interpolation converts it; `None` for
/// collections (which Terraform refuses to interpolate).
pub(crate) fn to_string(v: &V) -> Result<String, String> {
    match v {
        V::Str(s) => Ok(s.clone()),
        V::Num(n) => Ok(num_text(*n)),
        V::Bool(b) => Ok(b.to_string()),
        V::Null => Err(String::from("a null value cannot be used in a string")),
        other => Err(format!("{} cannot be used in a string", other.kind())),
    }
}

/// A value as a number (strings of digits convert, as in Terraform).
pub(crate) fn to_num(v: &V) -> Result<f64, String> {
    match v {
        V::Num(n) => Ok(*n),
        V::Str(s) => s
            .trim()
            .parse::<f64>()
            .map_err(|_| format!("'{}' is not a number", clip(s))),
        other => Err(format!("expected a number, not {}", other.kind())),
    }
}

pub(crate) fn to_bool(v: &V) -> Result<bool, String> {
    match v {
        V::Bool(b) => Ok(*b),
        V::Str(s) if s == "true" => Ok(true),
        V::Str(s) if s == "false" => Ok(false),
        other => Err(format!("expected true or false, not {}", other.kind())),
    }
}

fn clip(s: &str) -> String {
    crate::scenario::build::clip(s)
}

/// Terraform equality: numbers by value, strings exactly, collections deeply.
pub(crate) fn equal(a: &V, b: &V) -> bool {
    match (a, b) {
        (V::Num(x), V::Num(y)) => x == y,
        (V::Num(x), V::Str(s)) | (V::Str(s), V::Num(x)) => {
            s.trim().parse::<f64>().is_ok_and(|y| y == *x)
        }
        (V::List(x), V::List(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| equal(p, q)),
        (V::Map(x), V::Map(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| equal(v, w)))
        }
        _ => a == b,
    }
}

fn int(v: &V) -> Result<i64, String> {
    let n = to_num(v)?;
    if n.fract() != 0.0 || n.abs() > 9.0e15 {
        return Err(format!("{} is not a whole number", num_text(n)));
    }
    Ok(n as i64)
}

fn list(name: &str, v: &V) -> Result<Vec<V>, String> {
    match v {
        V::List(l) => Ok(l.clone()),
        V::Map(m) if name == "values" => Ok(m.values().cloned().collect()),
        other => Err(format!("{name} expects a list, not {}", other.kind())),
    }
}

fn text(name: &str, v: &V) -> Result<String, String> {
    to_string(v).map_err(|e| format!("{name}: {e}"))
}

fn arity(name: &str, a: &[V], min: usize, max: usize) -> Result<(), String> {
    if a.len() < min || a.len() > max {
        let want = if min == max {
            min.to_string()
        } else if max == usize::MAX {
            format!("at least {min}")
        } else {
            format!("{min} to {max}")
        };
        return Err(format!("{name}() takes {want} arguments, not {}", a.len()));
    }
    Ok(())
}

fn check(n: usize) -> Result<(), String> {
    if n > MAX_LEN {
        Err(format!(
            "the value grows past {} MB; the configuration is probably looping",
            MAX_LEN / (1024 * 1024)
        ))
    } else {
        Ok(())
    }
}

/// Sorted, without duplicates: a Terraform set of strings.
fn set_of(items: Vec<V>) -> V {
    let mut out: Vec<V> = Vec::new();
    for x in items {
        if !out.iter().any(|y| equal(&x, y)) {
            out.push(x);
        }
    }
    out.sort_by(|a, b| match (a, b) {
        (V::Str(x), V::Str(y)) => x.cmp(y),
        (V::Num(x), V::Num(y)) => x.partial_cmp(y).unwrap_or(std::cmp::Ordering::Equal),
        _ => std::cmp::Ordering::Equal,
    });
    V::List(out)
}

/// Functions that read files, the clock or random sources.
const UNKNOWABLE: &[&str] = &[
    "file",
    "filebase64",
    "fileexists",
    "fileset",
    "templatefile",
    "filemd5",
    "filesha1",
    "filesha256",
    "filesha512",
    "timestamp",
    "uuid",
    "bcrypt",
    "plantimestamp",
];

/// Hash functions: deterministic, but not computed here (no network value
/// depends on one except as a name suffix), so their results are unknown.
const HASHES: &[&str] = &[
    "md5",
    "sha1",
    "sha256",
    "sha512",
    "base64sha256",
    "base64sha512",
    "uuidv5",
];

/// Calls a built-in function. Unknown arguments give an unknown result.
pub(crate) fn call(name: &str, a: Vec<V>) -> Result<V, String> {
    if UNKNOWABLE.contains(&name) {
        return Ok(V::unknown(format!(
            "{name}() reads files, the clock or a random source, which this import does not"
        )));
    }
    if HASHES.contains(&name) {
        return Ok(V::unknown(format!(
            "{name}() is a hash, which this import does not compute"
        )));
    }
    let lenient = matches!(
        name,
        "length"
            | "coalesce"
            | "concat"
            | "merge"
            | "tolist"
            | "toset"
            | "tomap"
            | "jsonencode"
            | "compact"
            | "flatten"
    );
    if let Some(u) = a.iter().find(|v| {
        if lenient {
            v.is_unknown()
        } else {
            v.find_unknown().is_some()
        }
    }) {
        return Ok(u.find_unknown().cloned().unwrap_or_else(|| u.clone()));
    }
    match name {
        "abs" | "ceil" | "floor" | "signum" => {
            arity(name, &a, 1, 1)?;
            let n = to_num(&a[0])?;
            Ok(V::Num(match name {
                "abs" => n.abs(),
                "ceil" => n.ceil(),
                "floor" => n.floor(),
                _ => n.signum(),
            }))
        }
        "max" | "min" => {
            arity(name, &a, 1, usize::MAX)?;
            let mut best: Option<f64> = None;
            for v in &a {
                let n = to_num(v)?;
                best = Some(match best {
                    None => n,
                    Some(b) if name == "max" => b.max(n),
                    Some(b) => b.min(n),
                });
            }
            Ok(V::Num(best.unwrap_or(0.0)))
        }
        "pow" => {
            arity(name, &a, 2, 2)?;
            Ok(V::Num(to_num(&a[0])?.powf(to_num(&a[1])?)))
        }
        "parseint" => {
            arity(name, &a, 2, 2)?;
            let s = text(name, &a[0])?;
            let base = int(&a[1])?;
            if !(2..=62).contains(&base) {
                return Err(format!("parseint: base {base} is outside 2-36"));
            }
            i64::from_str_radix(s.trim(), base as u32)
                .map(|n| V::Num(n as f64))
                .map_err(|_| format!("parseint: '{}' is not a base-{base} number", clip(&s)))
        }
        "tonumber" => {
            arity(name, &a, 1, 1)?;
            match &a[0] {
                V::Null => Ok(V::Null),
                v => to_num(v).map(V::Num),
            }
        }
        "tostring" => {
            arity(name, &a, 1, 1)?;
            match &a[0] {
                V::Null => Ok(V::Null),
                v => to_string(v).map(V::Str),
            }
        }
        "tobool" => {
            arity(name, &a, 1, 1)?;
            match &a[0] {
                V::Null => Ok(V::Null),
                v => to_bool(v).map(V::Bool),
            }
        }
        "tolist" | "tuple" => {
            arity(name, &a, 1, 1)?;
            Ok(V::List(list(name, &a[0])?))
        }
        "toset" => {
            arity(name, &a, 1, 1)?;
            Ok(set_of(list(name, &a[0])?))
        }
        "tomap" => {
            arity(name, &a, 1, 1)?;
            match &a[0] {
                V::Map(m) => Ok(V::Map(m.clone())),
                other => Err(format!("tomap expects a map, not {}", other.kind())),
            }
        }
        "sensitive" | "nonsensitive" => {
            arity(name, &a, 1, 1)?;
            Ok(a.into_iter().next().unwrap_or(V::Null))
        }
        "lower" | "upper" | "trimspace" | "chomp" | "strrev" | "title" => {
            arity(name, &a, 1, 1)?;
            let s = text(name, &a[0])?;
            Ok(V::Str(match name {
                "lower" => s.to_lowercase(),
                "upper" => s.to_uppercase(),
                "trimspace" => s.trim().to_string(),
                "chomp" => s.trim_end_matches(['\n', '\r']).to_string(),
                "strrev" => s.chars().rev().collect(),
                _ => {
                    let mut out = String::new();
                    let mut start = true;
                    for c in s.chars() {
                        if start && c.is_alphabetic() {
                            out.extend(c.to_uppercase());
                        } else {
                            out.push(c);
                        }
                        start = !c.is_alphanumeric();
                    }
                    out
                }
            }))
        }
        "trim" | "trimprefix" | "trimsuffix" => {
            arity(name, &a, 2, 2)?;
            let s = text(name, &a[0])?;
            let t = text(name, &a[1])?;
            Ok(V::Str(match name {
                "trim" => s.trim_matches(|c| t.contains(c)).to_string(),
                "trimprefix" => s.strip_prefix(t.as_str()).unwrap_or(&s).to_string(),
                _ => s.strip_suffix(t.as_str()).unwrap_or(&s).to_string(),
            }))
        }
        "startswith" | "endswith" | "strcontains" => {
            arity(name, &a, 2, 2)?;
            let s = text(name, &a[0])?;
            let t = text(name, &a[1])?;
            Ok(V::Bool(match name {
                "startswith" => s.starts_with(&t),
                "endswith" => s.ends_with(&t),
                _ => s.contains(&t),
            }))
        }
        "replace" => {
            arity(name, &a, 3, 3)?;
            let s = text(name, &a[0])?;
            let old = text(name, &a[1])?;
            let new = text(name, &a[2])?;
            if old.len() > 1 && old.starts_with('/') && old.ends_with('/') {
                return Err(String::from(
                    "replace() with a regular expression is not supported by this import",
                ));
            }
            if old.is_empty() {
                return Ok(V::Str(s));
            }
            let out = s.replace(&old, &new);
            check(out.len())?;
            Ok(V::Str(out))
        }
        "split" => {
            arity(name, &a, 2, 2)?;
            let sep = text(name, &a[0])?;
            let s = text(name, &a[1])?;
            if s.is_empty() {
                return Ok(V::List(vec![V::str("")]));
            }
            if sep.is_empty() {
                return Ok(V::List(s.chars().map(|c| V::Str(c.to_string())).collect()));
            }
            Ok(V::List(s.split(sep.as_str()).map(V::str).collect()))
        }
        "join" => {
            arity(name, &a, 2, usize::MAX)?;
            let sep = text(name, &a[0])?;
            let mut parts = Vec::new();
            for l in &a[1..] {
                for v in list(name, l)? {
                    parts.push(text(name, &v)?);
                }
            }
            let out = parts.join(&sep);
            check(out.len())?;
            Ok(V::Str(out))
        }
        "basename" | "dirname" => {
            arity(name, &a, 1, 1)?;
            let path = text(name, &a[0])?;
            let trimmed = path.trim_end_matches('/');
            let (dir, base) = match trimmed.rsplit_once('/') {
                Some((d, b)) => (if d.is_empty() { "/" } else { d }, b),
                None => (".", trimmed),
            };
            Ok(V::Str(String::from(if name == "basename" {
                base
            } else {
                dir
            })))
        }
        "substr" => {
            arity(name, &a, 3, 3)?;
            let s: Vec<char> = text(name, &a[0])?.chars().collect();
            let len = s.len() as i64;
            let mut off = int(&a[1])?;
            if off < 0 {
                off += len;
            }
            let n = int(&a[2])?;
            let off = off.clamp(0, len) as usize;
            let take = if n < 0 { s.len() } else { n as usize };
            Ok(V::Str(s.iter().skip(off).take(take).collect()))
        }
        "format" => {
            arity(name, &a, 1, usize::MAX)?;
            let spec = text(name, &a[0])?;
            format(&spec, &a[1..]).map(V::Str)
        }
        "formatlist" => {
            arity(name, &a, 1, usize::MAX)?;
            let spec = text(name, &a[0])?;
            let n = a[1..]
                .iter()
                .filter_map(V::as_list)
                .map(<[V]>::len)
                .max()
                .unwrap_or(1);
            let mut out = Vec::new();
            for i in 0..n {
                let args: Vec<V> = a[1..]
                    .iter()
                    .map(|v| match v {
                        V::List(l) => l.get(i).cloned().unwrap_or(V::Null),
                        other => other.clone(),
                    })
                    .collect();
                out.push(V::Str(format(&spec, &args)?));
            }
            Ok(V::List(out))
        }
        "indent" => {
            arity(name, &a, 2, 2)?;
            let n = int(&a[0])?.clamp(0, 1024) as usize;
            let s = text(name, &a[1])?;
            let pad = " ".repeat(n);
            Ok(V::Str(s.replace('\n', &format!("\n{pad}"))))
        }
        "length" => {
            arity(name, &a, 1, 1)?;
            match &a[0] {
                V::List(l) => Ok(V::Num(l.len() as f64)),
                V::Map(m) => Ok(V::Num(m.len() as f64)),
                V::Str(s) => Ok(V::Num(s.chars().count() as f64)),
                V::Unknown(_) => Ok(a[0].clone()),
                other => Err(format!(
                    "length() takes a collection or a string, not {}",
                    other.kind()
                )),
            }
        }
        "concat" => {
            let mut out = Vec::new();
            for v in &a {
                if v.is_unknown() {
                    return Ok(v.clone());
                }
                out.extend(list(name, v)?);
                check(out.len())?;
            }
            Ok(V::List(out))
        }
        "merge" => {
            let mut out = BTreeMap::new();
            for v in &a {
                match v {
                    V::Map(m) => out.extend(m.iter().map(|(k, x)| (k.clone(), x.clone()))),
                    V::Null => {}
                    V::Unknown(_) => return Ok(v.clone()),
                    other => return Err(format!("merge() takes maps, not {}", other.kind())),
                }
            }
            Ok(V::Map(out))
        }
        "coalesce" => {
            for v in &a {
                match v {
                    V::Null => {}
                    V::Str(s) if s.is_empty() => {}
                    other => return Ok(other.clone()),
                }
            }
            Err(String::from("coalesce(): no non-null, non-empty argument"))
        }
        "coalescelist" => {
            for v in &a {
                if v.as_list().is_some_and(|l| !l.is_empty()) {
                    return Ok(v.clone());
                }
            }
            Ok(V::List(Vec::new()))
        }
        "compact" => {
            arity(name, &a, 1, 1)?;
            Ok(V::List(
                list(name, &a[0])?
                    .into_iter()
                    .filter(|v| !matches!(v, V::Null) && v.as_str() != Some(""))
                    .collect(),
            ))
        }
        "contains" => {
            arity(name, &a, 2, 2)?;
            Ok(V::Bool(list(name, &a[0])?.iter().any(|x| equal(x, &a[1]))))
        }
        "distinct" => {
            arity(name, &a, 1, 1)?;
            let mut out: Vec<V> = Vec::new();
            for x in list(name, &a[0])? {
                if !out.iter().any(|y| equal(&x, y)) {
                    out.push(x);
                }
            }
            Ok(V::List(out))
        }
        "element" => {
            arity(name, &a, 2, 2)?;
            let l = list(name, &a[0])?;
            if l.is_empty() {
                return Err(String::from("element() of an empty list"));
            }
            let i = int(&a[1])?;
            if i < 0 {
                return Err(String::from("element(): the index must not be negative"));
            }
            Ok(l.get((i as usize) % l.len()).cloned().unwrap_or(V::Null))
        }
        "index" => {
            arity(name, &a, 2, 2)?;
            list(name, &a[0])?
                .iter()
                .position(|x| equal(x, &a[1]))
                .map(|i| V::Num(i as f64))
                .ok_or_else(|| String::from("index(): the value is not in the list"))
        }
        "flatten" => {
            arity(name, &a, 1, 1)?;
            fn flat(v: &V, out: &mut Vec<V>) {
                match v {
                    V::List(l) => l.iter().for_each(|x| flat(x, out)),
                    other => out.push(other.clone()),
                }
            }
            let mut out = Vec::new();
            flat(&a[0], &mut out);
            check(out.len())?;
            Ok(V::List(out))
        }
        "keys" | "values" => {
            arity(name, &a, 1, 1)?;
            match &a[0] {
                V::Map(m) => Ok(V::List(if name == "keys" {
                    m.keys().map(|k| V::Str(k.clone())).collect()
                } else {
                    m.values().cloned().collect()
                })),
                other => Err(format!("{name}() takes a map, not {}", other.kind())),
            }
        }
        "lookup" => {
            arity(name, &a, 2, 3)?;
            let key = text(name, &a[1])?;
            match (&a[0], a.get(2)) {
                (V::Map(m), default) => match (m.get(&key), default) {
                    (Some(v), _) => Ok(v.clone()),
                    (None, Some(d)) => Ok(d.clone()),
                    (None, None) => Err(format!("lookup(): the map has no key '{}'", clip(&key))),
                },
                (other, _) => Err(format!("lookup() takes a map, not {}", other.kind())),
            }
        }
        "one" => {
            arity(name, &a, 1, 1)?;
            let l = list(name, &a[0])?;
            match l.len() {
                0 => Ok(V::Null),
                1 => Ok(l.into_iter().next().unwrap_or(V::Null)),
                n => Err(format!("one(): the list has {n} elements")),
            }
        }
        "range" => {
            arity(name, &a, 1, 3)?;
            let (start, end, step) = match a.len() {
                1 => (0.0, to_num(&a[0])?, 1.0),
                2 => (to_num(&a[0])?, to_num(&a[1])?, 1.0),
                _ => (to_num(&a[0])?, to_num(&a[1])?, to_num(&a[2])?),
            };
            if step == 0.0 {
                return Err(String::from("range(): the step must not be zero"));
            }
            let mut out = Vec::new();
            let mut x = start;
            while (step > 0.0 && x < end) || (step < 0.0 && x > end) {
                out.push(V::Num(x));
                x += step;
                if out.len() > 1024 {
                    return Err(String::from("range() would make more than 1024 numbers"));
                }
            }
            Ok(V::List(out))
        }
        "reverse" => {
            arity(name, &a, 1, 1)?;
            let mut l = list(name, &a[0])?;
            l.reverse();
            Ok(V::List(l))
        }
        "slice" => {
            arity(name, &a, 3, 3)?;
            let l = list(name, &a[0])?;
            let (s, e) = (int(&a[1])?, int(&a[2])?);
            if s < 0 || e < s || e as usize > l.len() {
                return Err(format!(
                    "slice(): {s}..{e} is outside the list of {}",
                    l.len()
                ));
            }
            Ok(V::List(l[s as usize..e as usize].to_vec()))
        }
        "sort" => {
            arity(name, &a, 1, 1)?;
            let mut l: Vec<String> = list(name, &a[0])?
                .iter()
                .map(|v| text(name, v))
                .collect::<Result<_, _>>()?;
            l.sort();
            Ok(V::List(l.into_iter().map(V::Str).collect()))
        }
        "sum" => {
            arity(name, &a, 1, 1)?;
            let mut t = 0.0;
            for v in list(name, &a[0])? {
                t += to_num(&v)?;
            }
            Ok(V::Num(t))
        }
        "alltrue" | "anytrue" => {
            arity(name, &a, 1, 1)?;
            let l = list(name, &a[0])?;
            let bools: Vec<bool> = l.iter().map(to_bool).collect::<Result<_, _>>()?;
            Ok(V::Bool(if name == "alltrue" {
                bools.iter().all(|b| *b)
            } else {
                bools.iter().any(|b| *b)
            }))
        }
        "setunion" | "setintersection" | "setsubtract" => {
            arity(name, &a, 1, usize::MAX)?;
            let mut acc = list(name, &a[0])?;
            for other in &a[1..] {
                let o = list(name, other)?;
                acc = match name {
                    "setunion" => acc.into_iter().chain(o).collect(),
                    "setintersection" => acc
                        .into_iter()
                        .filter(|x| o.iter().any(|y| equal(x, y)))
                        .collect(),
                    _ => acc
                        .into_iter()
                        .filter(|x| !o.iter().any(|y| equal(x, y)))
                        .collect(),
                };
            }
            Ok(set_of(acc))
        }
        "setproduct" => {
            let mut acc: Vec<Vec<V>> = vec![Vec::new()];
            for l in &a {
                let items = list(name, l)?;
                let mut next = Vec::new();
                for prefix in &acc {
                    for x in &items {
                        let mut p = prefix.clone();
                        p.push(x.clone());
                        next.push(p);
                        check(next.len())?;
                    }
                }
                acc = next;
            }
            Ok(V::List(acc.into_iter().map(V::List).collect()))
        }
        "chunklist" => {
            arity(name, &a, 2, 2)?;
            let l = list(name, &a[0])?;
            let n = int(&a[1])?;
            if n <= 0 {
                return Ok(V::List(vec![V::List(l)]));
            }
            Ok(V::List(
                l.chunks(n as usize).map(|c| V::List(c.to_vec())).collect(),
            ))
        }
        "zipmap" => {
            arity(name, &a, 2, 2)?;
            let k = list(name, &a[0])?;
            let v = list(name, &a[1])?;
            let mut out = BTreeMap::new();
            for (key, val) in k.iter().zip(v) {
                out.insert(text(name, key)?, val);
            }
            Ok(V::Map(out))
        }
        "jsonencode" => {
            arity(name, &a, 1, 1)?;
            Ok(V::Str(a[0].to_json().to_string()))
        }
        "jsondecode" => {
            arity(name, &a, 1, 1)?;
            let s = text(name, &a[0])?;
            serde_json::from_str::<serde_json::Value>(&s)
                .map(|j| V::from_json(&j))
                .map_err(|e| format!("jsondecode(): not JSON: {e}"))
        }
        "base64encode" => {
            arity(name, &a, 1, 1)?;
            Ok(V::Str(crate::arm::base64(text(name, &a[0])?.as_bytes())))
        }
        "cidrhost" => {
            arity(name, &a, 2, 2)?;
            cidr_host(&text(name, &a[0])?, int(&a[1])?)
        }
        "cidrnetmask" => {
            arity(name, &a, 1, 1)?;
            let n = net(&text(name, &a[0])?)?;
            match n {
                IpNet::V4(v4) => Ok(V::Str(v4.netmask().to_string())),
                IpNet::V6(_) => Err(String::from("cidrnetmask() is for IPv4 prefixes")),
            }
        }
        "cidrsubnet" => {
            arity(name, &a, 3, 3)?;
            cidr_subnet(&text(name, &a[0])?, int(&a[1])?, int(&a[2])?).map(V::Str)
        }
        "cidrsubnets" => {
            arity(name, &a, 1, usize::MAX)?;
            let prefix = text(name, &a[0])?;
            let base = net(&prefix)?;
            let width: u32 = if matches!(base, IpNet::V4(_)) {
                32
            } else {
                128
            };
            let start = bits(&base);
            let mut cursor: u128 = start;
            let mut out = Vec::new();
            for v in &a[1..] {
                let nb = int(v)?;
                let len = i64::from(base.prefix_len()) + nb;
                if nb < 1 || len > i64::from(width) {
                    return Err(format!("cidrsubnets(): {nb} new bits do not fit {prefix}"));
                }
                let size: u128 = 1u128 << (width - len as u32).min(127);
                cursor = cursor.div_ceil(size) * size;
                out.push(V::Str(format!("{}/{len}", addr(cursor, width))));
                cursor += size;
            }
            Ok(V::List(out))
        }
        "can" | "try" => Err(format!("{name}() is evaluated by the expression reader")),
        other => Err(format!("unknown function '{other}'")),
    }
}

/// `format("%s-%03d", ...)`: the verbs Terraform configurations use.
fn format(spec: &str, args: &[V]) -> Result<String, String> {
    let mut out = String::new();
    let mut it = spec.chars().peekable();
    let mut next = 0usize;
    while let Some(c) = it.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        if it.peek() == Some(&'%') {
            it.next();
            out.push('%');
            continue;
        }
        let mut flags = String::new();
        while let Some(&f) = it.peek() {
            if f.is_ascii_digit() || matches!(f, '-' | '+' | ' ' | '#' | '.') {
                flags.push(f);
                it.next();
            } else {
                break;
            }
        }
        let verb = it.next().ok_or("format(): the string ends after '%'")?;
        let v = args
            .get(next)
            .ok_or_else(|| format!("format(): '{}' has more verbs than arguments", clip(spec)))?;
        next += 1;
        let zero = flags.starts_with('0');
        let width: usize = flags
            .trim_start_matches(['0', '-'])
            .split('.')
            .next()
            .unwrap_or("")
            .parse()
            .unwrap_or(0)
            .min(64);
        let body = match verb {
            'd' => num_text(to_num(v)?.trunc()),
            's' | 'v' => to_string(v)?,
            'q' => format!("{:?}", to_string(v)?),
            'f' => format!("{:.6}", to_num(v)?),
            'x' => format!("{:x}", int(v)?),
            'X' => format!("{:X}", int(v)?),
            't' => to_bool(v)?.to_string(),
            other => return Err(format!("format(): the verb %{other} is not supported")),
        };
        let pad = width.saturating_sub(body.chars().count());
        if flags.starts_with('-') {
            out.push_str(&body);
            out.push_str(&" ".repeat(pad));
        } else if zero {
            let (sign, digits) = match body.strip_prefix('-') {
                Some(d) => ("-", d.to_string()),
                None => ("", body.clone()),
            };
            let _ = write!(out, "{sign}{}{digits}", "0".repeat(pad));
        } else {
            out.push_str(&" ".repeat(pad));
            out.push_str(&body);
        }
        check(out.len())?;
    }
    Ok(out)
}

fn net(text: &str) -> Result<IpNet, String> {
    address::parse_prefix(text).map_err(|_| format!("'{}' is not a CIDR prefix", clip(text)))
}

fn bits(n: &IpNet) -> u128 {
    match n {
        IpNet::V4(v) => u128::from(u32::from(v.network())),
        IpNet::V6(v) => u128::from(v.network()),
    }
}

fn addr(v: u128, width: u32) -> IpAddr {
    if width == 32 {
        IpAddr::V4(std::net::Ipv4Addr::from(v as u32))
    } else {
        IpAddr::V6(std::net::Ipv6Addr::from(v))
    }
}

/// Terraform's `cidrsubnet(prefix, newbits, netnum)`.
pub(crate) fn cidr_subnet(prefix: &str, newbits: i64, netnum: i64) -> Result<String, String> {
    let n = net(prefix)?;
    let width: u32 = if matches!(n, IpNet::V4(_)) { 32 } else { 128 };
    let len = i64::from(n.prefix_len()) + newbits;
    if newbits < 0 || len > i64::from(width) {
        return Err(format!(
            "cidrsubnet(): {newbits} new bits do not fit {prefix}"
        ));
    }
    let count: u128 = if newbits >= 127 {
        u128::MAX
    } else {
        1u128 << newbits
    };
    if netnum < 0 || (netnum as u128) >= count {
        return Err(format!(
            "cidrsubnet(): {prefix} has {count} subnets of /{len}; {netnum} is outside them"
        ));
    }
    let host = width - len as u32;
    let step: u128 = if host >= 128 { 0 } else { 1u128 << host };
    Ok(format!(
        "{}/{len}",
        addr(bits(&n) + netnum as u128 * step, width)
    ))
}

fn cidr_host(prefix: &str, hostnum: i64) -> Result<V, String> {
    let n = net(prefix)?;
    let width: u32 = if matches!(n, IpNet::V4(_)) { 32 } else { 128 };
    let host = width - u32::from(n.prefix_len());
    let size: u128 = if host >= 128 {
        u128::MAX
    } else {
        1u128 << host
    };
    let index: u128 = if hostnum < 0 {
        size.checked_sub(hostnum.unsigned_abs() as u128)
            .ok_or_else(|| format!("cidrhost(): {hostnum} is outside {prefix}"))?
    } else {
        hostnum as u128
    };
    if index >= size {
        return Err(format!("cidrhost(): host {hostnum} is outside {prefix}"));
    }
    Ok(V::Str(addr(bits(&n) + index, width).to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(x: &str) -> V {
        V::str(x)
    }

    #[test]
    fn functions_follow_terraform() {
        assert_eq!(
            call(
                "cidrsubnet",
                vec![s("10.1.0.0/16"), V::Num(8.0), V::Num(2.0)]
            )
            .unwrap(),
            s("10.1.2.0/24")
        );
        assert_eq!(
            call("cidrhost", vec![s("10.1.2.0/24"), V::Num(5.0)]).unwrap(),
            s("10.1.2.5")
        );
        assert_eq!(
            call("cidrhost", vec![s("10.1.2.0/24"), V::Num(-2.0)]).unwrap(),
            s("10.1.2.254")
        );
        assert_eq!(
            call(
                "cidrsubnets",
                vec![s("10.0.0.0/16"), V::Num(8.0), V::Num(4.0)]
            )
            .unwrap(),
            V::List(vec![s("10.0.0.0/24"), s("10.0.16.0/20")])
        );
        assert_eq!(
            call("format", vec![s("%s-%03d"), s("vm"), V::Num(7.0)]).unwrap(),
            s("vm-007")
        );
        assert_eq!(
            call("join", vec![s(","), V::List(vec![s("a"), s("b")])]).unwrap(),
            s("a,b")
        );
        assert_eq!(
            call("toset", vec![V::List(vec![s("b"), s("a"), s("b")])]).unwrap(),
            V::List(vec![s("a"), s("b")])
        );
        assert!(call("range", vec![V::Num(1e9)]).is_err());
        assert!(call("file", vec![s("x")]).unwrap().is_unknown());
        assert!(
            call("upper", vec![V::unknown("later")])
                .unwrap()
                .is_unknown()
        );
    }
}
