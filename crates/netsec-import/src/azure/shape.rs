//! The JSON types of the properties the reader reads, checked before it
//! reads them.
//!
//! The reader's accessors are lenient about spelling (any case, under
//! `properties` or at the top level) and treat `null` as absent. Without
//! this check they would also read a value of the wrong type as absent:
//! `"securityRules": {}` as an NSG without rules, `"defaultOutboundAccess":
//! "no"` as the default (`true`), `"destinationPortRanges": [22, true]` as
//! port 22 alone. Azure's API refuses such a resource, so the reader does
//! too, at the value's JSON path.
//!
//! What is accepted where, as Azure's (JSON.NET) deserializer accepts it:
//! a string property takes a string or a number (ports are often written
//! as numbers, and a number becomes its decimal text); a boolean takes
//! `true`, `false` or those words as strings; a list of strings also takes
//! one string (read as a list of one, the user's evident meaning). `null`
//! is absent everywhere, and a `null` list element is skipped.
//!
//! Only the properties in [`SHAPES`] are checked, and only along the way to
//! them (a resource, its `properties`, the objects and lists of objects in
//! the table): `tags`, a VM's OS profile and everything else the reader does
//! not read can hold anything.

use super::json::{Json, Node};
use crate::ImportError;
use crate::scenario::build::clip_to;
use crate::scenario::push_key;

/// What a property must be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    /// A string or a number (or the marker the template and Terraform
    /// readers leave for an address Azure assigns at deployment,
    /// [`super::ADDRESS_OF`]).
    Text,
    /// `true` / `false` (or those words as strings).
    Bool,
    /// An object, read further.
    Object,
    /// A list of texts (or one text).
    Texts,
    /// A list of objects, each read further.
    Objects,
    /// A list whose elements are all texts or all objects (a classic
    /// firewall rule's `protocols` are strings in a network rule and
    /// objects in an application rule).
    TextsOrObjects,
}

/// The properties the reader reads, by lower-cased key, sorted.
const SHAPES: &[(&str, Shape)] = &[
    ("access", Shape::Text),
    ("addressprefix", Shape::Text),
    ("addressprefixes", Shape::Texts),
    ("addressspace", Shape::Object),
    ("allowforwardedtraffic", Shape::Bool),
    ("allowgatewaytransit", Shape::Bool),
    ("allowvirtualnetworkaccess", Shape::Bool),
    ("applicationrulecollections", Shape::Objects),
    ("backendaddresspools", Shape::Objects),
    ("customdnsconfigs", Shape::Objects),
    ("defaultaction", Shape::Text),
    ("defaultoutboundaccess", Shape::Bool),
    ("defaultsecurityrules", Shape::Objects),
    ("destinationaddresses", Shape::Texts),
    ("destinationaddressprefix", Shape::Text),
    ("destinationaddressprefixes", Shape::Texts),
    ("destinationapplicationsecuritygroups", Shape::Objects),
    ("destinationfqdns", Shape::Texts),
    ("destinationipgroups", Shape::Texts),
    ("destinationportrange", Shape::Text),
    ("destinationportranges", Shape::Texts),
    ("destinationports", Shape::Texts),
    ("direction", Shape::Text),
    ("disablebgproutepropagation", Shape::Bool),
    ("enableipforwarding", Shape::Bool),
    ("frontendipconfigurations", Shape::Objects),
    ("inboundnatpools", Shape::Objects),
    ("inboundnatrules", Shape::Objects),
    ("ipaddresses", Shape::Texts),
    ("ipconfigurations", Shape::Objects),
    ("ipprotocols", Shape::Texts),
    ("iprules", Shape::Objects),
    ("loadbalancerbackendaddresses", Shape::Objects),
    ("loadbalancingrules", Shape::Objects),
    ("manualprivatelinkserviceconnections", Shape::Objects),
    ("natrulecollections", Shape::Objects),
    ("networkacls", Shape::Object),
    ("networkinterfaceconfigurations", Shape::Objects),
    ("networkprofile", Shape::Object),
    ("networkrulecollections", Shape::Objects),
    ("networkruleset", Shape::Object),
    ("nexthopipaddress", Shape::Text),
    ("nexthoptype", Shape::Text),
    ("outboundrules", Shape::Objects),
    ("peercompletevnets", Shape::Bool),
    ("primary", Shape::Bool),
    ("privateendpointnetworkpolicies", Shape::Text),
    ("privateipaddress", Shape::Text),
    ("privatelinkserviceconnections", Shape::Objects),
    ("probes", Shape::Objects),
    ("properties", Shape::Object),
    ("protocol", Shape::Text),
    ("protocols", Shape::TextsOrObjects),
    ("protocoltype", Shape::Text),
    ("publicipaddressconfiguration", Shape::Object),
    ("publicipallocationmethod", Shape::Text),
    ("publicnetworkaccess", Shape::Text),
    ("routes", Shape::Objects),
    ("rulecollectiongroups", Shape::Objects),
    ("rulecollections", Shape::Objects),
    ("rulecollectiontype", Shape::Text),
    ("rules", Shape::Objects),
    ("ruletype", Shape::Text),
    ("securityrules", Shape::Objects),
    ("serviceendpoints", Shape::Objects),
    ("sourceaddresses", Shape::Texts),
    ("sourceaddressprefix", Shape::Text),
    ("sourceaddressprefixes", Shape::Texts),
    ("sourceapplicationsecuritygroups", Shape::Objects),
    ("sourceipgroups", Shape::Texts),
    ("sourceportrange", Shape::Text),
    ("sourceportranges", Shape::Texts),
    ("subnets", Shape::Objects),
    ("targetfqdns", Shape::Texts),
    ("threatintelmode", Shape::Text),
    ("translatedaddress", Shape::Text),
    ("translatedfqdn", Shape::Text),
    ("translatedport", Shape::Texts),
    ("virtualmachineprofile", Shape::Object),
    ("virtualnetworkpeerings", Shape::Objects),
    ("virtualnetworkrules", Shape::Objects),
    ("zones", Shape::Texts),
];

/// The longest key in [`SHAPES`], so that longer keys are passed over
/// without being lower-cased.
const LONGEST_KEY: usize = 40;

fn shape_of(key: &str) -> Option<Shape> {
    if key.len() > LONGEST_KEY {
        return None;
    }
    let mut buf = [0u8; LONGEST_KEY];
    let lower = buf.get_mut(..key.len())?;
    lower.copy_from_slice(key.as_bytes());
    lower.make_ascii_lowercase();
    SHAPES
        .binary_search_by(|(k, _)| k.as_bytes().cmp(lower))
        .ok()
        .and_then(|i| SHAPES.get(i))
        .map(|(_, s)| *s)
}

/// One step of the way from the resource to the value being checked.
#[derive(Clone, Copy)]
enum Step<'j> {
    Key(&'j str),
    Index(usize),
}

/// Checks a resource and everything in it the reader reads; the first
/// value of the wrong type is the error.
pub(crate) fn check(resource: &Node<'_>) -> Result<(), ImportError> {
    let mut walk = Walk {
        root: resource,
        steps: Vec::new(),
    };
    walk.object(resource.v)
}

struct Walk<'n, 'j> {
    /// The resource: its path is written out only for an error.
    root: &'n Node<'j>,
    steps: Vec<Step<'j>>,
}

impl<'j> Walk<'_, 'j> {
    fn object(&mut self, v: &'j Json<'j>) -> Result<(), ImportError> {
        let Some(entries) = v.as_object() else {
            return Ok(());
        };
        for (k, x) in entries {
            if x.is_null() {
                continue;
            }
            let Some(shape) = shape_of(k) else { continue };
            self.steps.push(Step::Key(k));
            self.value(shape, k, x)?;
            self.steps.pop();
        }
        Ok(())
    }

    fn value(&mut self, shape: Shape, key: &str, x: &'j Json<'j>) -> Result<(), ImportError> {
        match shape {
            Shape::Text if !is_text(x) => Err(self.wrong(&format!("'{key}'"), "a string", x)),
            Shape::Bool if !is_bool(x) => Err(self.wrong(&format!("'{key}'"), "true or false", x)),
            Shape::Object if !x.is_object() => Err(self.wrong(&format!("'{key}'"), "an object", x)),
            Shape::Object => self.object(x),
            Shape::Texts => self.list(key, x, false),
            Shape::Objects => self.list(key, x, true),
            Shape::TextsOrObjects => {
                let objects = x
                    .as_array()
                    .and_then(|a| a.iter().find(|e| !e.is_null()))
                    .is_some_and(Json::is_object);
                self.list(key, x, objects)
            }
            _ => Ok(()),
        }
    }

    /// A list of texts or of objects (`objects`); one text stands for a
    /// list of one.
    fn list(&mut self, key: &str, x: &'j Json<'j>, objects: bool) -> Result<(), ImportError> {
        let Some(items) = x.as_array() else {
            return if !objects && is_text(x) {
                Ok(())
            } else {
                let want = if objects {
                    "a list of objects"
                } else {
                    "a list of strings"
                };
                Err(self.wrong(&format!("'{key}'"), want, x))
            };
        };
        for (i, e) in items.iter().enumerate() {
            if e.is_null() {
                continue;
            }
            self.steps.push(Step::Index(i));
            if objects {
                if !e.is_object() {
                    return Err(self.wrong(&format!("each element of '{key}'"), "an object", e));
                }
                self.object(e)?;
            } else if !is_text(e) {
                return Err(self.wrong(&format!("each element of '{key}'"), "a string", e));
            }
            self.steps.pop();
        }
        Ok(())
    }

    fn path(&self) -> String {
        let mut out = self.root.path();
        for s in &self.steps {
            match s {
                Step::Key(k) => push_key(&mut out, k),
                Step::Index(i) => {
                    out.push('[');
                    out.push_str(&i.to_string());
                    out.push(']');
                }
            }
        }
        out
    }

    /// `subject` (`'securityRules'`, `each element of 'zones'`) is not `want`.
    fn wrong(&self, subject: &str, want: &str, found: &Json<'_>) -> ImportError {
        ImportError::new(
            self.path(),
            format!(
                "{subject} must be {want}, not {}; Azure refuses the resource",
                kind(found)
            ),
        )
    }
}

fn is_text(x: &Json<'_>) -> bool {
    matches!(x, Json::String(_) | Json::Number(_)) || is_address_marker(x)
}

fn is_bool(x: &Json<'_>) -> bool {
    match x {
        Json::Bool(_) => true,
        Json::String(s) => s.eq_ignore_ascii_case("true") || s.eq_ignore_ascii_case("false"),
        _ => false,
    }
}

fn is_address_marker(x: &Json<'_>) -> bool {
    x.get(super::ADDRESS_OF).is_some()
}

/// A value's JSON type, for a message (a string is quoted, shortened).
fn kind(x: &Json<'_>) -> String {
    match x {
        Json::Null => String::from("null"),
        Json::Bool(b) => b.to_string(),
        Json::Number(n) => format!("the number {n}"),
        Json::String(s) => format!("the string '{}'", clip_to(s, 40)),
        Json::Array(_) => String::from("a list"),
        Json::Object(_) => String::from("an object"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_text(text: &str) -> Result<(), ImportError> {
        let v: Json<'_> = serde_json::from_str(text).unwrap();
        check(&Node::new(&v, String::from("$[0]")))
    }

    #[test]
    fn the_table_is_sorted_lower_case_and_fits_the_key_buffer() {
        for w in SHAPES.windows(2) {
            assert!(w[0].0 < w[1].0, "{} before {}", w[0].0, w[1].0);
        }
        for (k, _) in SHAPES {
            assert_eq!(*k, k.to_ascii_lowercase());
            assert!(k.len() <= LONGEST_KEY, "{k}");
        }
        assert_eq!(shape_of("SecurityRules"), Some(Shape::Objects));
        assert_eq!(shape_of("tags"), None);
    }

    #[test]
    fn values_of_the_wrong_type_are_errors_at_their_path() {
        let e = check_text(r#"{"properties": {"securityRules": {}}}"#).unwrap_err();
        assert_eq!(e.location(), "$[0].properties.securityRules");
        assert!(
            e.message().contains("a list of objects, not an object"),
            "{e}"
        );

        let e = check_text(r#"{"properties": {"subnets": [{"name": "a", "properties": {"defaultOutboundAccess": "no"}}]}}"#).unwrap_err();
        assert_eq!(
            e.location(),
            "$[0].properties.subnets[0].properties.defaultOutboundAccess"
        );
        assert!(
            e.message().contains("true or false, not the string 'no'"),
            "{e}"
        );

        let e = check_text(r#"{"properties": {"destinationPortRanges": [22, true]}}"#).unwrap_err();
        assert_eq!(e.location(), "$[0].properties.destinationPortRanges[1]");
        assert!(e.message().contains("a string, not true"), "{e}");

        let e = check_text(r#"{"protocol": ["Tcp"]}"#).unwrap_err();
        assert_eq!(e.location(), "$[0].protocol");

        let e = check_text(r#"{"properties": "oops"}"#).unwrap_err();
        assert_eq!(e.location(), "$[0].properties");
    }

    #[test]
    fn what_azure_accepts_passes() {
        check_text(
            r#"{"name": "n", "tags": {"subnets": "anything"}, "properties": {
                "securityRules": [null, {"properties": {"destinationPortRange": 443,
                  "sourceAddressPrefixes": "10.0.0.0/8", "destinationPortRanges": ["80", 8080],
                  "sourceAddressPrefix": {"$netsecAddressOf": {"resource": "fw"}}}}],
                "enableIPForwarding": "True", "primary": false, "zones": null,
                "osProfile": {"rules": "not read"},
                "rules": [{"protocols": ["TCP", "UDP"]}, {"protocols": [{"protocolType": "Https", "port": 443}]}]}}"#,
        )
        .unwrap();
    }
}
