//! Reading Azure JSON loosely: keys ignore case (REST writes `privateIPAddress`,
//! the az CLI `privateIpAddress`), `null` counts as absent, and a property is
//! looked up under `properties` (REST, ARM) and then at the top level (az CLI).
//!
//! The input is parsed into [`Json`], a tree that borrows its strings from
//! the text (only strings with escapes are copied) and keeps each object's
//! keys sorted and each key once, as `serde_json::Value` does; a 66 MB REST
//! export parses and drops several times faster than into `Value`. A
//! [`Node`] is a value with its place in the input; the JSON path
//! (`$[0].properties.subnets[1]`) is written out only when asked for, so
//! looking things up allocates nothing.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::fmt::{self, Write};
use std::rc::Rc;

use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Number, Value};

use super::ids::ResId;
use crate::scenario::push_key;

/// A JSON value whose strings borrow from the input where they can.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Json<'a> {
    Null,
    Bool(bool),
    Number(Number),
    String(Cow<'a, str>),
    Array(Vec<Json<'a>>),
    /// Sorted by key, each key once (the last value given wins), as
    /// `serde_json::Map` keeps them.
    Object(Vec<(Cow<'a, str>, Json<'a>)>),
}

impl<'a> Json<'a> {
    /// The same value, borrowing the strings of a `serde_json::Value`.
    pub fn from_value(v: &'a Value) -> Json<'a> {
        match v {
            Value::Null => Json::Null,
            Value::Bool(b) => Json::Bool(*b),
            Value::Number(n) => Json::Number(n.clone()),
            Value::String(s) => Json::String(Cow::Borrowed(s)),
            Value::Array(a) => Json::Array(a.iter().map(Json::from_value).collect()),
            // A `Map` iterates in key order, without duplicates.
            Value::Object(m) => Json::Object(
                m.iter()
                    .map(|(k, x)| (Cow::Borrowed(k.as_str()), Json::from_value(x)))
                    .collect(),
            ),
        }
    }

    /// An owned `serde_json::Value` with the same content.
    pub fn to_value(&self) -> Value {
        match self {
            Json::Null => Value::Null,
            Json::Bool(b) => Value::Bool(*b),
            Json::Number(n) => Value::Number(n.clone()),
            Json::String(s) => Value::String(s.to_string()),
            Json::Array(a) => Value::Array(a.iter().map(Json::to_value).collect()),
            Json::Object(m) => Value::Object(
                m.iter()
                    .map(|(k, x)| (k.to_string(), x.to_value()))
                    .collect(),
            ),
        }
    }

    pub fn as_object(&self) -> Option<&[(Cow<'a, str>, Json<'a>)]> {
        match self {
            Json::Object(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Json<'a>]> {
        match self {
            Json::Array(a) => Some(a),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Json::Null)
    }

    pub fn is_array(&self) -> bool {
        matches!(self, Json::Array(_))
    }

    pub fn is_object(&self) -> bool {
        matches!(self, Json::Object(_))
    }

    /// The value of exactly this key.
    pub fn get(&self, key: &str) -> Option<&Json<'a>> {
        self.as_object()?
            .iter()
            .find(|(k, _)| k.len() == key.len() && k.as_ref() == key)
            .map(|(_, v)| v)
    }

    /// Whether the object has exactly this key.
    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }
}

/// A key ignoring case (the exact spelling first), with the spelling found;
/// `null` is absent.
fn lookup<'j, 'a>(v: &'j Json<'a>, key: &str) -> Option<(&'j str, &'j Json<'a>)> {
    // Objects are small (a dozen keys): one pass, lengths first, beats a
    // binary search and a second pass for the other spellings.
    let mut other_case = None;
    for (k, x) in v.as_object()? {
        if k.len() != key.len() {
            continue;
        }
        if k.as_ref() == key {
            return (!x.is_null()).then_some((k.as_ref(), x));
        }
        if other_case.is_none() && k.eq_ignore_ascii_case(key) {
            other_case = Some((k.as_ref(), x));
        }
    }
    other_case.filter(|(_, x)| !x.is_null())
}

/// A property: under `properties` first, then at the top level.
fn lookup_prop<'j, 'a>(v: &'j Json<'a>, key: &str) -> Option<&'j Json<'a>> {
    lookup(v, "properties")
        .and_then(|(_, p)| lookup(p, key))
        .or_else(|| lookup(v, key))
        .map(|(_, x)| x)
}

/// A non-empty string, trimmed.
fn text<'j>(v: &'j Json<'_>) -> Option<&'j str> {
    v.as_str().map(str::trim).filter(|s| !s.is_empty())
}

impl<'de> Deserialize<'de> for Json<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        JsonSeed {
            scratch: &mut Scratch::default(),
        }
        .deserialize(d)
    }
}

/// Entries and elements of the objects and arrays being read, as a stack:
/// each object or array is then allocated once, at its size (a REST rule's
/// properties are a dozen keys: three allocations and two copies when a
/// `Vec` grows), and nothing is allocated for those the input leaves empty.
#[derive(Default)]
struct Scratch<'de> {
    entries: Vec<(Cow<'de, str>, Json<'de>)>,
    items: Vec<Json<'de>>,
    /// The sorting order of an object's entries.
    order: Vec<usize>,
}

/// Reads one value, nested ones through the same scratch stack.
struct JsonSeed<'s, 'de> {
    scratch: &'s mut Scratch<'de>,
}

impl<'de> DeserializeSeed<'de> for JsonSeed<'_, 'de> {
    type Value = Json<'de>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Json<'de>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for JsonSeed<'_, 'de> {
    type Value = Json<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any valid JSON value")
    }

    fn visit_bool<E>(self, b: bool) -> Result<Json<'de>, E> {
        Ok(Json::Bool(b))
    }

    fn visit_i64<E>(self, n: i64) -> Result<Json<'de>, E> {
        Ok(Json::Number(n.into()))
    }

    fn visit_u64<E>(self, n: u64) -> Result<Json<'de>, E> {
        Ok(Json::Number(n.into()))
    }

    fn visit_f64<E>(self, n: f64) -> Result<Json<'de>, E> {
        // As `Value` does: a float JSON cannot hold is null.
        Ok(Number::from_f64(n).map_or(Json::Null, Json::Number))
    }

    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Json<'de>, E> {
        Ok(Json::String(Cow::Borrowed(s)))
    }

    fn visit_str<E>(self, s: &str) -> Result<Json<'de>, E> {
        Ok(Json::String(Cow::Owned(s.to_string())))
    }

    fn visit_string<E>(self, s: String) -> Result<Json<'de>, E> {
        Ok(Json::String(Cow::Owned(s)))
    }

    fn visit_none<E>(self) -> Result<Json<'de>, E> {
        Ok(Json::Null)
    }

    fn visit_unit<E>(self) -> Result<Json<'de>, E> {
        Ok(Json::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Json<'de>, D::Error> {
        self.deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json<'de>, A::Error> {
        let start = self.scratch.items.len();
        while let Some(x) = seq.next_element_seed(JsonSeed {
            scratch: &mut *self.scratch,
        })? {
            self.scratch.items.push(x);
        }
        let out: Vec<Json<'de>> = self.scratch.items.drain(start..).collect();
        Ok(Json::Array(out))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json<'de>, A::Error> {
        let start = self.scratch.entries.len();
        while let Some(Key(k)) = map.next_key()? {
            let v = map.next_value_seed(JsonSeed {
                scratch: &mut *self.scratch,
            })?;
            self.scratch.entries.push((k, v));
        }
        let Scratch { entries, order, .. } = &mut *self.scratch;
        let mine = entries.get_mut(start..).unwrap_or_default();
        let mut out: Vec<(Cow<'de, str>, Json<'de>)> = Vec::with_capacity(mine.len());
        let mut push = |k: Cow<'de, str>, v: Json<'de>| match out.last_mut() {
            // A key given twice: the last value wins, as in `Value`.
            Some((kept, old)) if *kept == k => *old = v,
            _ => out.push((k, v)),
        };
        if mine.is_sorted_by(|a, b| key_order(&a.0, &b.0) == Ordering::Less) {
            for (k, v) in mine {
                push(std::mem::take(k), std::mem::replace(v, Json::Null));
            }
        } else {
            // Sort the positions, not the entries (they are 56 bytes); stable,
            // so of two equal keys the later one comes after.
            order.clear();
            order.extend(0..mine.len());
            order.sort_by(|&a, &b| match (mine.get(a), mine.get(b)) {
                (Some(x), Some(y)) => key_order(&x.0, &y.0),
                _ => Ordering::Equal,
            });
            for &i in order.iter() {
                if let Some((k, v)) = mine.get_mut(i) {
                    push(std::mem::take(k), std::mem::replace(v, Json::Null));
                }
            }
        }
        entries.truncate(start);
        Ok(Json::Object(out))
    }
}

/// Byte order, as `str`'s, the first bytes compared inline (keys mostly
/// differ there).
fn key_order(a: &str, b: &str) -> Ordering {
    match (a.as_bytes().first(), b.as_bytes().first()) {
        (Some(x), Some(y)) if x != y => x.cmp(y),
        _ => a.cmp(b),
    }
}

/// An object key, borrowed from the input when it has no escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string key")
            }
            fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(s)))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(s.to_string())))
            }
            fn visit_string<E: de::Error>(self, s: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(s)))
            }
        }
        d.deserialize_str(KeyVisitor)
    }
}

/// Room for most paths (`document 3, $.value[12].properties.securityRules[345].properties`).
const PATH_CAPACITY: usize = 96;

/// Where a node is: the root's path, then keys and indexes.
#[derive(Debug)]
enum Step<'a> {
    Root(String),
    Key(Rc<Step<'a>>, &'a str),
    Index(Rc<Step<'a>>, usize),
}

impl Step<'_> {
    fn write(&self, out: &mut String) {
        match self {
            Step::Root(p) => out.push_str(p),
            Step::Key(parent, k) => {
                parent.write(out);
                push_key(out, k);
            }
            Step::Index(parent, i) => {
                parent.write(out);
                let _ = write!(out, "[{i}]");
            }
        }
    }
}

/// A JSON value with its place in the input.
#[derive(Clone, Debug)]
pub(crate) struct Node<'a> {
    /// The value.
    pub v: &'a Json<'a>,
    at: Rc<Step<'a>>,
}

impl<'a> Node<'a> {
    pub fn new(v: &'a Json<'a>, path: String) -> Self {
        Self {
            v,
            at: Rc::new(Step::Root(path)),
        }
    }

    /// Its JSON path (`$[0].properties.subnets[1]`).
    pub fn path(&self) -> String {
        let mut out = String::with_capacity(PATH_CAPACITY);
        self.at.write(&mut out);
        out
    }

    fn key(&self, v: &'a Json<'a>, k: &'a str) -> Node<'a> {
        Node {
            v,
            at: Rc::new(Step::Key(Rc::clone(&self.at), k)),
        }
    }

    /// A top-level key, ignoring case; `null` is absent.
    pub fn child(&self, key: &str) -> Option<Node<'a>> {
        let (k, v) = lookup(self.v, key)?;
        Some(self.key(v, k))
    }

    /// A property: under `properties` first, then at the top level.
    pub fn prop(&self, key: &str) -> Option<Node<'a>> {
        if let Some((pk, p)) = lookup(self.v, "properties")
            && let Some((k, v)) = lookup(p, key)
        {
            return Some(self.key(p, pk).key(v, k));
        }
        self.child(key)
    }

    /// Its index, if it is an element of an array.
    pub fn index(&self) -> Option<usize> {
        match *self.at {
            Step::Index(_, i) => Some(i),
            _ => None,
        }
    }

    /// The key of its `properties` object as spelled, if it has one.
    pub fn props_key(&self) -> Option<&'a str> {
        lookup(self.v, "properties")
            .filter(|(_, p)| p.is_object())
            .map(|(k, _)| k)
    }

    /// Where the properties are: `properties` if present, else the object itself.
    pub fn props_path(&self) -> String {
        let mut out = self.path();
        if let Some((k, p)) = lookup(self.v, "properties")
            && p.is_object()
        {
            push_key(&mut out, k);
        }
        out
    }

    /// The string, if this is a non-empty string.
    pub fn str(&self) -> Option<&'a str> {
        text(self.v)
    }

    /// A top-level string.
    pub fn child_str(&self, key: &str) -> Option<&'a str> {
        lookup(self.v, key).and_then(|(_, v)| text(v))
    }

    /// A property string.
    pub fn prop_str(&self, key: &str) -> Option<&'a str> {
        lookup_prop(self.v, key).and_then(text)
    }

    /// A property that is a non-empty string or a number, as text. Port
    /// ranges are strings in the API, but templates often pass an `int`
    /// parameter (`"destinationPortRange": "[parameters('port')]"`), which the
    /// network API accepts and stores as its decimal text.
    pub fn prop_text(&self, key: &str) -> Option<String> {
        match lookup_prop(self.v, key)? {
            Json::Number(x) => Some(x.to_string()),
            v => text(v).map(String::from),
        }
    }

    /// The elements of an array (none for anything else).
    pub fn items(&self) -> Vec<Node<'a>> {
        match self.v.as_array() {
            Some(a) => a
                .iter()
                .enumerate()
                .filter(|(_, v)| !v.is_null())
                .map(|(i, v)| Node {
                    v,
                    at: Rc::new(Step::Index(Rc::clone(&self.at), i)),
                })
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
        match lookup_prop(self.v, key) {
            Some(v) => match v {
                Json::String(s) if !s.trim().is_empty() => vec![s.trim().to_string()],
                Json::Array(a) => a
                    .iter()
                    .filter_map(|v| match v {
                        Json::String(s) => Some(s.trim().to_string()),
                        Json::Number(x) => Some(x.to_string()),
                        _ => None,
                    })
                    .filter(|s| !s.is_empty())
                    .collect(),
                Json::Number(x) => vec![x.to_string()],
                _ => Vec::new(),
            },
            None => Vec::new(),
        }
    }

    /// A property that is a boolean (or the strings `true` / `false`).
    pub fn prop_bool(&self, key: &str) -> Option<bool> {
        match lookup_prop(self.v, key)? {
            Json::Bool(b) => Some(*b),
            Json::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
            Json::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
            _ => None,
        }
    }

    /// A whole number: a JSON integer, an integral float or a numeric string.
    /// `Some(Err(path))` when present but not a whole number.
    pub fn prop_int(&self, key: &str) -> Option<Result<i64, String>> {
        let value = match lookup_prop(self.v, key)? {
            Json::Number(x) => x.as_i64().or_else(|| {
                x.as_f64()
                    .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
                    .map(|f| f as i64)
            }),
            Json::String(s) => s.trim().parse::<i64>().ok(),
            _ => None,
        };
        match value {
            Some(v) => Some(Ok(v)),
            None => Some(Err(self.prop(key).map(|n| n.path()).unwrap_or_default())),
        }
    }

    /// The id of the resource a property refers to (`{"id": "..."}`).
    pub fn prop_ref(&self, key: &str) -> Option<ResId> {
        lookup_prop(self.v, key)
            .and_then(|v| lookup(v, "id"))
            .and_then(|(_, id)| text(id))
            .and_then(ResId::parse)
    }

    /// This object's `id`, parsed.
    pub fn ref_id(&self) -> Option<ResId> {
        self.child_str("id").and_then(ResId::parse)
    }

    /// The ids of a property that is a list of references.
    pub fn prop_refs(&self, key: &str) -> Vec<ResId> {
        self.prop_ref_texts(key)
            .into_iter()
            .filter_map(ResId::parse)
            .collect()
    }

    /// The ids of a property that is a list of references, as written.
    pub fn prop_ref_texts(&self, key: &str) -> Vec<&'a str> {
        match lookup_prop(self.v, key).and_then(Json::as_array) {
            Some(a) => a
                .iter()
                .filter_map(|v| lookup(v, "id"))
                .filter_map(|(_, id)| text(id))
                .collect(),
            None => Vec::new(),
        }
    }

    /// The object's name: `name`, else the last name of its `id`.
    pub fn name(&self) -> Option<String> {
        self.child_str("name")
            .map(String::from)
            .or_else(|| self.ref_id().map(|id| id.name().to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Json<'_> {
        serde_json::from_str(text).unwrap()
    }

    #[test]
    fn objects_are_sorted_and_the_last_duplicate_wins_as_in_value() {
        let text = r#"{"b": 1, "a": {"y": [1, 2.5, "x\"y"], "x": null}, "b": 2, "B": true}"#;
        let v = parse(text);
        let value: Value = serde_json::from_str(text).unwrap();
        assert_eq!(v.to_value(), value);
        assert_eq!(Json::from_value(&value), v);
        let keys: Vec<&str> = v
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, _)| k.as_ref())
            .collect();
        assert_eq!(keys, ["B", "a", "b"]);
        assert_eq!(v.get("b"), Some(&Json::Number(2.into())));
    }

    #[test]
    fn nodes_look_up_ignoring_case_and_write_paths_on_demand() {
        let v = parse(
            r#"{"Properties": {"privateIpAddress": "10.0.0.4", "rules": [null, {"a b": 1}],
                "priority": "high"}, "name": "n", "zones": null}"#,
        );
        let n = Node::new(&v, String::from("$[3]"));
        assert_eq!(n.prop_str("privateIPAddress"), Some("10.0.0.4"));
        let p = n.prop("privateIPAddress").unwrap();
        assert_eq!(p.path(), "$[3].Properties.privateIpAddress");
        let items = n.prop_items("rules");
        assert_eq!(items.len(), 1);
        assert_eq!(
            items[0].child("a b").unwrap().path(),
            r#"$[3].Properties.rules[1]["a b"]"#
        );
        assert_eq!(n.props_path(), "$[3].Properties");
        assert_eq!(
            n.prop_int("priority"),
            Some(Err(String::from("$[3].Properties.priority")))
        );
        assert!(n.child("zones").is_none());
        assert_eq!(n.name().as_deref(), Some("n"));
    }
}
