//! `terraform show -json` output (a plan or a state) and state files.
//!
//! A plan's `planned_values` hold every attribute known before apply; the
//! rest (the ids of resources still to be created, above all) are missing.
//! For those, the plan's `configuration` says which resource each attribute
//! refers to (`"references": ["azurerm_subnet.web.id", "azurerm_subnet.web"]`),
//! and the reference becomes the id that resource will get.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::value::V;
use super::{Instance, Origin};
use crate::{ImportError, ImportReport};

pub(crate) fn read(text: &str) -> Result<(Vec<Instance>, ImportReport), ImportError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let root: Value = serde::Deserialize::deserialize(&mut de)
        .and_then(|v: Value| de.end().map(|()| v))
        .map_err(|e| crate::scenario::json_error(&e, ""))?;
    let Some(obj) = root.as_object() else {
        return Err(ImportError::new("$", "Terraform JSON is one object"));
    };
    let mut out = Vec::new();
    let report = ImportReport::default();
    if let Some(pv) = obj.get("planned_values").and_then(Value::as_object) {
        let mut unknown: HashMap<&str, &Value> = HashMap::new();
        for c in obj
            .get("resource_changes")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let (Some(a), Some(u)) = (
                c.get("address").and_then(Value::as_str),
                c.get("change").and_then(|ch| ch.get("after_unknown")),
            ) {
                unknown.insert(a, u);
            }
        }
        let mut config = HashMap::new();
        if let Some(root_module) = obj
            .get("configuration")
            .and_then(|c| c.get("root_module"))
            .and_then(Value::as_object)
        {
            config_module(root_module, "", &mut config);
        }
        if let Some(m) = pv.get("root_module").and_then(Value::as_object) {
            module(
                m,
                "$.planned_values.root_module",
                &config,
                &unknown,
                &mut out,
            );
        }
    } else if let Some(vals) = obj.get("values").and_then(Value::as_object) {
        if let Some(m) = vals.get("root_module").and_then(Value::as_object) {
            module(
                m,
                "$.values.root_module",
                &HashMap::new(),
                &HashMap::new(),
                &mut out,
            );
        }
    } else if let Some(resources) = obj.get("resources").and_then(Value::as_array) {
        state_file(resources, &mut out);
    } else {
        return Err(ImportError::new(
            "$",
            "this Terraform JSON holds neither planned_values (a plan), values (a state) nor resources (a state file)",
        ));
    }
    Ok((out, report))
}

/// The expressions of every resource in the configuration, by address
/// (`module.net.azurerm_subnet.web`).
fn config_module<'a>(
    m: &'a Map<String, Value>,
    prefix: &str,
    out: &mut HashMap<String, (&'a Value, String)>,
) {
    for r in m
        .get("resources")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let Some(addr) = r.get("address").and_then(Value::as_str) else {
            continue;
        };
        if let Some(e) = r.get("expressions") {
            out.insert(format!("{prefix}{addr}"), (e, prefix.to_string()));
        }
    }
    if let Some(calls) = m.get("module_calls").and_then(Value::as_object) {
        for (name, call) in calls {
            if let Some(inner) = call.get("module").and_then(Value::as_object) {
                config_module(inner, &format!("{prefix}module.{name}."), out);
            }
        }
    }
}

fn module(
    m: &Map<String, Value>,
    path: &str,
    config: &HashMap<String, (&Value, String)>,
    unknown: &HashMap<&str, &Value>,
    out: &mut Vec<Instance>,
) {
    for (i, r) in m
        .get("resources")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let base = format!("{path}.resources[{i}]");
        let Some(address) = r.get("address").and_then(Value::as_str) else {
            continue;
        };
        let ty = r
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let mode = r.get("mode").and_then(Value::as_str).unwrap_or("managed");
        let mut values = r
            .get("values")
            .map(V::from_json)
            .unwrap_or(V::Map(Default::default()));
        // The configuration entry has no instance index.
        let config_addr = strip_index(address);
        match config.get(&config_addr) {
            Some((expr, prefix)) => fill(
                &mut values,
                Some(expr),
                prefix,
                unknown.get(address).copied(),
            ),
            None => fill(
                &mut values,
                None,
                &module_prefix(&config_addr),
                unknown.get(address).copied(),
            ),
        }
        out.push(Instance {
            address: address.to_string(),
            ty: if mode == "data" {
                format!("data.{ty}")
            } else {
                ty
            },
            values,
            origin: Origin::Json {
                base,
                key: "values",
            },
        });
    }
    for (i, c) in m
        .get("child_modules")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        if let Some(cm) = c.as_object() {
            module(
                cm,
                &format!("{path}.child_modules[{i}]"),
                config,
                unknown,
                out,
            );
        }
    }
}

/// The module part of an address: `module.net.azurerm_subnet.a` → `module.net.`.
fn module_prefix(address: &str) -> String {
    let mut out = String::new();
    let mut rest = address;
    while let Some(r) = rest.strip_prefix("module.") {
        let Some(dot) = r.find('.') else { break };
        out.push_str("module.");
        out.push_str(r.get(..dot).unwrap_or(""));
        out.push('.');
        rest = r.get(dot + 1..).unwrap_or("");
    }
    out
}

/// `azurerm_subnet.web[0]` → `azurerm_subnet.web` (also inside module paths).
fn strip_index(address: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for c in address.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// Fills the attributes a plan does not know with references to the
/// resources the configuration points them at. `unknown` is the change's
/// `after_unknown` (what is known only after apply); without it, an absent
/// attribute with references counts as unknown.
fn fill(values: &mut V, expr: Option<&Value>, prefix: &str, unknown: Option<&Value>) {
    let V::Map(vals) = values else {
        return;
    };
    let exprs = expr.and_then(Value::as_object);
    let mut keys: Vec<&String> = exprs.map(|e| e.keys().collect()).unwrap_or_default();
    if let Some(Value::Object(u)) = unknown {
        for k in u.keys() {
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
    }
    for k in keys {
        let e = exprs.and_then(|x| x.get(k.as_str()));
        let marked = unknown.and_then(|u| u.get(k.as_str()));
        let absent = matches!(vals.get(k.as_str()), None | Some(V::Null));
        let refs = e.and_then(|x| x.get("references"));
        match (marked, e) {
            // Nested blocks: one expression object (and unknown marker) per block.
            (Some(Value::Array(_)), _) | (None, Some(Value::Array(_))) if matches!(vals.get(k.as_str()), Some(V::List(l)) if l.iter().any(|b| matches!(b, V::Map(_)))) => {
                if let Some(V::List(list)) = vals.get_mut(k.as_str()) {
                    for (i, b) in list.iter_mut().enumerate() {
                        let be = e.and_then(|x| x.get(i));
                        let u = match unknown {
                            Some(_) => Some(marked.and_then(|m| m.get(i)).unwrap_or(&Value::Null)),
                            None => None,
                        };
                        fill(b, be, prefix, u);
                    }
                }
            }
            _ => {
                let is_unknown = match marked {
                    Some(Value::Bool(b)) => *b,
                    Some(Value::Array(a)) => a.iter().any(|x| x == &Value::Bool(true)),
                    Some(_) => false,
                    None => unknown.is_none() && absent && refs.is_some(),
                };
                if !is_unknown || !absent {
                    continue;
                }
                let targets = resource_refs(refs, prefix);
                let why = format!("{k} is known only after apply");
                let v = if k.ends_with("_ids") {
                    if targets.is_empty() {
                        V::List(vec![V::unknown(why)])
                    } else {
                        V::List(
                            targets
                                .iter()
                                .map(|t| V::unknown_from(why.clone(), t))
                                .collect(),
                        )
                    }
                } else {
                    match targets.first() {
                        Some(t) => V::unknown_from(why, t),
                        None => V::unknown(why),
                    }
                };
                vals.insert(k.clone(), v);
            }
        }
    }
}

/// The resource addresses among a reference list (`azurerm_subnet.web.id`,
/// `azurerm_subnet.web` → `azurerm_subnet.web`), qualified by the module.
fn resource_refs(refs: Option<&Value>, prefix: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for r in refs
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
    {
        let Some(addr) = resource_address(r) else {
            continue;
        };
        let full = format!("{prefix}{addr}");
        if !out.contains(&full) {
            out.push(full);
        }
    }
    out
}

/// `azurerm_subnet.web.id` → `azurerm_subnet.web`; `azurerm_nic.a[0].id` →
/// `azurerm_nic.a[0]`; an index that is not a literal is dropped
/// (`azurerm_nic.a[count.index]` → `azurerm_nic.a`). `None` for `var.x`,
/// `local.y`, `each.value` and the like.
fn resource_address(r: &str) -> Option<String> {
    let (data, rest) = match r.strip_prefix("data.") {
        Some(rest) => ("data.", rest),
        None => ("", r),
    };
    let (ty, rest) = rest.split_once('.')?;
    if data.is_empty()
        && ([
            "var",
            "local",
            "each",
            "count",
            "path",
            "terraform",
            "self",
            "module",
        ]
        .contains(&ty)
            || !ty.contains('_'))
    {
        return None;
    }
    let name_len = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(rest.len());
    let name = rest.get(..name_len)?;
    if name.is_empty() {
        return None;
    }
    let mut out = format!("{data}{ty}.{name}");
    if let Some(idx) = rest.get(name_len..).and_then(|x| x.strip_prefix('['))
        && let Some(end) = idx.find(']')
    {
        let inner = idx.get(..end).unwrap_or("");
        let literal = inner.chars().all(|c| c.is_ascii_digit())
            || (inner.starts_with('"') && inner.ends_with('"'));
        if literal && !inner.is_empty() {
            out.push_str(&format!("[{inner}]"));
        }
    }
    Some(out)
}

/// A raw state file (`terraform.tfstate`, version 4).
fn state_file(resources: &[Value], out: &mut Vec<Instance>) {
    for (i, r) in resources.iter().enumerate() {
        let ty = r.get("type").and_then(Value::as_str).unwrap_or("");
        let name = r.get("name").and_then(Value::as_str).unwrap_or("");
        let mode = r.get("mode").and_then(Value::as_str).unwrap_or("managed");
        let module = r
            .get("module")
            .and_then(Value::as_str)
            .map(|m| format!("{m}."))
            .unwrap_or_default();
        let data = if mode == "data" { "data." } else { "" };
        for (j, inst) in r
            .get("instances")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let key = match inst.get("index_key") {
                Some(Value::Number(n)) => format!("[{n}]"),
                Some(Value::String(s)) => format!("[{}]", Value::String(s.clone())),
                _ => String::new(),
            };
            out.push(Instance {
                address: format!("{module}{data}{ty}.{name}{key}"),
                ty: format!("{data}{ty}"),
                values: inst
                    .get("attributes")
                    .map(V::from_json)
                    .unwrap_or(V::Map(Default::default())),
                origin: Origin::Json {
                    base: format!("$.resources[{i}].instances[{j}]"),
                    key: "attributes",
                },
            });
        }
    }
}
