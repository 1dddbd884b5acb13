//! Reading Azure JSON loosely: keys ignore case (REST writes `privateIPAddress`,
//! the az CLI `privateIpAddress`), `null` counts as absent, and a property is
//! looked up under `properties` (REST, ARM) and then at the top level (az CLI).

use serde_json::Value;

use super::ids::ResId;
use crate::scenario::push_key;

/// A JSON value with its path in the input.
#[derive(Clone, Debug)]
pub(crate) struct Node<'a> {
    /// The value.
    pub v: &'a Value,
    /// Its JSON path (`$[0].properties.subnets[1]`).
    pub path: String,
}

impl<'a> Node<'a> {
    pub fn new(v: &'a Value, path: String) -> Self {
        Self { v, path }
    }

    /// A top-level key, ignoring case; `null` is absent.
    pub fn child(&self, key: &str) -> Option<Node<'a>> {
        let obj = self.v.as_object()?;
        let (k, v) = match obj.get_key_value(key) {
            Some(kv) => kv,
            None => obj.iter().find(|(k, _)| k.eq_ignore_ascii_case(key))?,
        };
        if v.is_null() {
            return None;
        }
        let mut path = self.path.clone();
        push_key(&mut path, k);
        Some(Node::new(v, path))
    }

    /// A property: under `properties` first, then at the top level.
    pub fn prop(&self, key: &str) -> Option<Node<'a>> {
        self.child("properties")
            .and_then(|p| p.child(key))
            .or_else(|| self.child(key))
    }

    /// Where the properties are: `properties` if present, else the object itself.
    pub fn props_path(&self) -> String {
        match self.child("properties") {
            Some(p) if p.v.is_object() => p.path,
            _ => self.path.clone(),
        }
    }

    /// The string, if this is a non-empty string.
    pub fn str(&self) -> Option<&'a str> {
        self.v.as_str().map(str::trim).filter(|s| !s.is_empty())
    }

    /// A top-level string.
    pub fn child_str(&self, key: &str) -> Option<&'a str> {
        self.child(key).and_then(|n| n.str())
    }

    /// A property string.
    pub fn prop_str(&self, key: &str) -> Option<&'a str> {
        self.prop(key).and_then(|n| n.str())
    }

    /// The elements of an array (none for anything else).
    pub fn items(&self) -> Vec<Node<'a>> {
        match self.v.as_array() {
            Some(a) => a
                .iter()
                .enumerate()
                .filter(|(_, v)| !v.is_null())
                .map(|(i, v)| Node::new(v, format!("{}[{i}]", self.path)))
                .collect(),
            None => Vec::new(),
        }
    }

    /// The elements of an array property.
    pub fn prop_items(&self, key: &str) -> Vec<Node<'a>> {
        self.prop(key).map(|n| n.items()).unwrap_or_default()
    }

    /// A property's strings: an array of strings, or one string.
    pub fn prop_strings(&self, key: &str) -> Vec<String> {
        match self.prop(key) {
            Some(n) => match n.v {
                Value::String(s) if !s.trim().is_empty() => vec![s.trim().to_string()],
                Value::Array(a) => a
                    .iter()
                    .filter_map(|v| match v {
                        Value::String(s) => Some(s.trim().to_string()),
                        Value::Number(x) => Some(x.to_string()),
                        _ => None,
                    })
                    .filter(|s| !s.is_empty())
                    .collect(),
                Value::Number(x) => vec![x.to_string()],
                _ => Vec::new(),
            },
            None => Vec::new(),
        }
    }

    /// A property that is a boolean (or the strings `true` / `false`).
    pub fn prop_bool(&self, key: &str) -> Option<bool> {
        let n = self.prop(key)?;
        match n.v {
            Value::Bool(b) => Some(*b),
            Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
            Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
            _ => None,
        }
    }

    /// A whole number: a JSON integer, an integral float or a numeric string.
    /// `Some(Err(path))` when present but not a whole number.
    pub fn prop_int(&self, key: &str) -> Option<Result<i64, String>> {
        let n = self.prop(key)?;
        let value = match n.v {
            Value::Number(x) => x.as_i64().or_else(|| {
                x.as_f64()
                    .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
                    .map(|f| f as i64)
            }),
            Value::String(s) => s.trim().parse::<i64>().ok(),
            _ => None,
        };
        Some(value.ok_or(n.path))
    }

    /// The id of the resource a property refers to (`{"id": "..."}`).
    pub fn prop_ref(&self, key: &str) -> Option<ResId> {
        self.prop(key).and_then(|n| n.ref_id())
    }

    /// This object's `id`, parsed.
    pub fn ref_id(&self) -> Option<ResId> {
        self.child_str("id").and_then(ResId::parse)
    }

    /// The ids of a property that is a list of references.
    pub fn prop_refs(&self, key: &str) -> Vec<ResId> {
        self.prop_items(key)
            .iter()
            .filter_map(|n| n.ref_id())
            .collect()
    }

    /// The object's name: `name`, else the last name of its `id`.
    pub fn name(&self) -> Option<String> {
        self.child_str("name")
            .map(String::from)
            .or_else(|| self.ref_id().map(|id| id.name().to_string()))
    }
}
