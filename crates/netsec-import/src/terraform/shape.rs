//! The types of the arguments the converter reads, checked before it reads
//! them.
//!
//! The converter's accessors read a value of the wrong type as absent:
//! without this check `security_rule = "oops"` would be an NSG without
//! rules and `default_outbound_access_enabled = "no"` the default. Terraform
//! refuses such a configuration (`terraform validate`: "Inappropriate value
//! for attribute"), so the reader does too, at the argument.
//!
//! Accepted as Terraform converts them: a string argument takes a string,
//! a number or a bool; a bool takes `true`, `false` or those words as
//! strings; a list of strings takes one string too (the converter reads it
//! as a list of one). A value not known until apply, and `null`, pass
//! everywhere.

use std::fmt::Write;

use super::Instance;
use super::value::V;
use crate::ImportError;
use crate::scenario::build::clip_to;

/// What an argument must be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    /// A string, a number or a bool.
    Text,
    /// `true` / `false` (or those words as strings).
    Bool,
    /// A list of strings (or one string).
    Texts,
    /// Nested blocks: a list of objects (or one object), each read further.
    Blocks,
    /// A list whose elements are all strings or all blocks (a firewall
    /// policy's network rule lists `protocols` as strings, an application
    /// rule as `protocols {}` blocks).
    TextsOrBlocks,
}

/// The arguments the converter reads whose type is the same in every
/// resource that has them, sorted. (`sku`, `protocol` and
/// `public_ip_address` are a string in some resources and a block in
/// others; the converter checks those where it reads them.)
const SHAPES: &[(&str, Shape)] = &[
    ("access", Shape::Text),
    ("address_prefix", Shape::Texts),
    ("address_prefixes", Shape::Texts),
    ("address_space", Shape::Texts),
    ("allow_forwarded_traffic", Shape::Bool),
    ("allow_gateway_transit", Shape::Bool),
    ("allow_virtual_network_access", Shape::Bool),
    ("application_rule_collection", Shape::Blocks),
    ("application_security_group_ids", Shape::Texts),
    ("bgp_route_propagation_enabled", Shape::Bool),
    ("default_outbound_access_enabled", Shape::Bool),
    ("destination_address_prefix", Shape::Text),
    ("destination_address_prefixes", Shape::Texts),
    ("destination_addresses", Shape::Texts),
    ("destination_application_security_group_ids", Shape::Texts),
    ("destination_fqdn_tags", Shape::Texts),
    ("destination_fqdns", Shape::Texts),
    ("destination_ip_groups", Shape::Texts),
    ("destination_port_range", Shape::Text),
    ("destination_port_ranges", Shape::Texts),
    ("destination_ports", Shape::Texts),
    ("direction", Shape::Text),
    ("disable_bgp_route_propagation", Shape::Bool),
    ("enable_ip_forwarding", Shape::Bool),
    (
        "enforce_private_link_endpoint_network_policies",
        Shape::Bool,
    ),
    ("fqdn_tags", Shape::Texts),
    ("frontend_ip_configuration", Shape::Blocks),
    ("ip_configuration", Shape::Blocks),
    ("ip_forwarding", Shape::Bool),
    ("ip_forwarding_enabled", Shape::Bool),
    ("ip_range_filter", Shape::Texts),
    ("ip_restriction", Shape::Blocks),
    ("ip_rule", Shape::Blocks),
    ("ip_rules", Shape::Texts),
    ("is_manual_connection", Shape::Bool),
    ("is_virtual_network_filter_enabled", Shape::Bool),
    ("nat_rule_collection", Shape::Blocks),
    ("network_interface", Shape::Blocks),
    ("network_profile", Shape::Blocks),
    ("network_rule_collection", Shape::Blocks),
    ("network_rules", Shape::Blocks),
    ("next_hop_in_ip_address", Shape::Text),
    ("next_hop_type", Shape::Text),
    ("peer_complete_virtual_networks_enabled", Shape::Bool),
    ("primary", Shape::Bool),
    ("private_endpoint_network_policies_enabled", Shape::Bool),
    ("private_ip_address", Shape::Text),
    ("private_service_connection", Shape::Blocks),
    ("protocols", Shape::TextsOrBlocks),
    ("public_network_access_enabled", Shape::Bool),
    ("route", Shape::Blocks),
    ("rule", Shape::Blocks),
    ("security_rule", Shape::Blocks),
    ("service_endpoints", Shape::Texts),
    ("source_address_prefix", Shape::Text),
    ("source_address_prefixes", Shape::Texts),
    ("source_addresses", Shape::Texts),
    ("source_application_security_group_ids", Shape::Texts),
    ("source_ip_groups", Shape::Texts),
    ("source_port_range", Shape::Text),
    ("source_port_ranges", Shape::Texts),
    ("subnet", Shape::Blocks),
    ("subresource_names", Shape::Texts),
    ("target_fqdns", Shape::Texts),
    ("use_remote_gateways", Shape::Bool),
    ("virtual_network_rule", Shape::Blocks),
    ("zones", Shape::Texts),
];

fn shape_of(key: &str) -> Option<Shape> {
    SHAPES
        .binary_search_by(|(k, _)| (*k).cmp(key))
        .ok()
        .and_then(|i| SHAPES.get(i))
        .map(|(_, s)| *s)
}

/// Checks every managed `azurerm_*` resource; the first argument of the
/// wrong type is the error, at its place in the source or plan.
pub(crate) fn check(instances: &[Instance]) -> Result<(), ImportError> {
    for inst in instances {
        if !inst.ty.starts_with("azurerm_") || inst.address.contains("data.") {
            continue;
        }
        let mut walk = Walk {
            inst,
            attr: String::new(),
        };
        walk.block(&inst.values)?;
    }
    Ok(())
}

struct Walk<'i> {
    inst: &'i Instance,
    /// The attribute path being checked (`security_rule[1].priority`).
    attr: String,
}

impl Walk<'_> {
    fn block(&mut self, v: &V) -> Result<(), ImportError> {
        let V::Map(m) = v else { return Ok(()) };
        for (k, x) in m {
            if passes(x) {
                continue;
            }
            let Some(shape) = shape_of(k) else { continue };
            let len = self.attr.len();
            if !self.attr.is_empty() {
                self.attr.push('.');
            }
            self.attr.push_str(k);
            self.value(shape, k, x)?;
            self.attr.truncate(len);
        }
        Ok(())
    }

    fn value(&mut self, shape: Shape, key: &str, x: &V) -> Result<(), ImportError> {
        match shape {
            Shape::Text if !is_text(x) => Err(self.wrong(&format!("'{key}'"), "a string", x)),
            Shape::Bool if !is_bool(x) => Err(self.wrong(&format!("'{key}'"), "true or false", x)),
            Shape::Texts => self.list(key, x, false),
            Shape::Blocks => self.list(key, x, true),
            Shape::TextsOrBlocks => {
                let blocks = match x {
                    V::List(l) => l.iter().find(|e| !passes(e)).is_some_and(is_block),
                    other => is_block(other),
                };
                self.list(key, x, blocks)
            }
            _ => Ok(()),
        }
    }

    /// A list of strings or of blocks (`blocks`); one string, or one
    /// block, stands for a list of one.
    fn list(&mut self, key: &str, x: &V, blocks: bool) -> Result<(), ImportError> {
        let items = match x {
            V::List(l) => l.as_slice(),
            V::Map(_) if blocks => return self.block(x),
            _ if !blocks && is_text(x) => return Ok(()),
            _ => {
                let want = if blocks {
                    "blocks (a list of objects)"
                } else {
                    "a list of strings"
                };
                return Err(self.wrong(&format!("'{key}'"), want, x));
            }
        };
        for (i, e) in items.iter().enumerate() {
            if passes(e) {
                continue;
            }
            let len = self.attr.len();
            let _ = write!(self.attr, "[{i}]");
            if blocks {
                if !is_block(e) {
                    return Err(self.wrong(
                        &format!("each element of '{key}'"),
                        "a block (an object)",
                        e,
                    ));
                }
                self.block(e)?;
            } else if !is_text(e) {
                return Err(self.wrong(&format!("each element of '{key}'"), "a string", e));
            }
            self.attr.truncate(len);
        }
        Ok(())
    }

    /// `subject` (`'security_rule'`, `each element of 'zones'`) is not `want`.
    fn wrong(&self, subject: &str, want: &str, found: &V) -> ImportError {
        ImportError::new(
            self.inst.loc(&self.attr),
            format!(
                "{}: {subject} must be {want}, not {}; Terraform refuses the configuration",
                self.inst.address,
                kind(found)
            ),
        )
    }
}

/// `null` and values known only after apply: not checked.
fn passes(x: &V) -> bool {
    matches!(x, V::Null | V::Unknown(_))
}

fn is_text(x: &V) -> bool {
    matches!(x, V::Str(_) | V::Num(_) | V::Bool(_) | V::Unknown(_))
}

fn is_bool(x: &V) -> bool {
    match x {
        V::Bool(_) | V::Unknown(_) => true,
        V::Str(s) => s == "true" || s == "false",
        _ => false,
    }
}

fn is_block(x: &V) -> bool {
    matches!(x, V::Map(_))
}

/// A value's type, for a message (a string is quoted, shortened).
fn kind(x: &V) -> String {
    match x {
        V::Null => String::from("null"),
        V::Bool(b) => b.to_string(),
        V::Num(n) => format!("the number {}", super::value::num_text(*n)),
        V::Str(s) => format!("the string \"{}\"", clip_to(s, 40)),
        V::List(_) => String::from("a list"),
        V::Map(_) => String::from("an object"),
        V::Unknown(_) => String::from("a value known only after apply"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_sorted() {
        for w in SHAPES.windows(2) {
            assert!(w[0].0 < w[1].0, "{} before {}", w[0].0, w[1].0);
        }
        assert_eq!(shape_of("security_rule"), Some(Shape::Blocks));
        assert_eq!(shape_of("tags"), None);
    }
}
