//! ARM deployment templates (and Bicep, which `bicep build` compiles to them).
//!
//! [`read`] evaluates a template the way Azure Resource Manager would before
//! deploying it, then hands the resulting resources, in the REST shape, to the
//! Azure resource reader ([`crate::azure`]), so a template and the resources it
//! deploys import to the same scenario.
//!
//! What is evaluated:
//!
//! - resources at the top level and nested as children (`resources` inside a
//!   resource: `virtualNetworks` → `subnets`, `networkSecurityGroups` →
//!   `securityRules`, `virtualNetworks` → `virtualNetworkPeerings`), and the
//!   symbolic-name form (`"resources": {"vnet": {...}}`, language version 2.0);
//! - parameters: values from a parameters file, else the default value (which
//!   may itself be an expression), else, for a string, a placeholder (the
//!   parameter's name) or the first allowed value, reported as an assumption;
//!   a parameter of another type with no value is an error where it is used;
//! - variables (evaluated on first use; a circular variable is an error),
//!   variable, resource and property copy loops (`copyIndex`), `condition`,
//!   user-defined functions, and nested deployments with an inline template
//!   (Bicep modules), inner or outer scope;
//! - the template functions (see `func` and `eval`): every function of
//!   Microsoft's reference that does not need a live Azure.
//!
//! `reference()` to a resource the template deploys is resolved after
//! evaluation (see `late`): what the template gives the resource is read
//! back (a subnet's prefix, a NIC's static address); a firewall's or NIC's
//! private address as a route's next hop is the address the Azure reader
//! gives that resource; a public IP's address is a placeholder shared by the
//! IP and every value read from it. Each is reported as an assumption.
//! Templates may hold comments, multi-line strings and trailing commas, as
//! Azure allows (see `jsonc`).
//!
//! What cannot be: `reference()` to anything else, `list*()`, Key Vault references,
//! `newGuid()`, `utcNow()`, linked templates. A property whose value needs one
//! is reported with its JSON path and left out, so the Azure reader's
//! documented assumptions apply (a private address from the subnet, a
//! placeholder public address); a resource whose name or type needs one is
//! skipped and reported. The deployment itself is assumed to go to resource
//! group `netsec-rg` in `westeurope`, subscription `00000000-…` (reported when
//! the template asks), and `uniqueString()`/`guid()` give deterministic
//! stand-ins.
//!
//! Only what the network needs is evaluated: the name, type and condition of
//! every resource, and the properties (and tags) of the resource types the
//! Azure reader converts (a VM extension's settings are never evaluated, so an expression
//! there cannot fail the import).
//!
//! Errors name the place in the template as a JSON path
//! (`$.resources[2].properties.securityRules[0].properties.priority`); values
//! made by a property copy loop point at the loop's `input`.

mod eval;
mod expr;
mod func;
mod late;

use std::collections::{HashMap, HashSet};

use netsec_engine::Network;
use serde_json::{Map, Value};

use crate::azure::{self, AzureImport};
use crate::scenario::doc::ScenarioDoc;
use crate::scenario::push_key;
use crate::{ImportError, ImportReport};
use eval::{Env, Fail, Given, Mode, Scope, Session};
use func::get_ci;

/// Base64 of bytes (shared with the Terraform functions).
#[cfg_attr(not(feature = "hcl"), allow(dead_code))]
pub(crate) fn base64(data: &[u8]) -> String {
    func::base64_encode(data)
}

/// The most resources one template may expand to, all deployments together.
/// Each copy loop is held to Azure's 800, but nested loops multiply (800 x 800
/// x 800 is half a billion), which would exhaust memory before Azure's own
/// per-deployment limits could be checked.
const MAX_RESOURCES: usize = 50_000;

/// How deep nested deployments may go.
const MAX_DEPLOYMENT_DEPTH: usize = 8;

/// A template evaluated and converted to a scenario document.
#[derive(Clone, Debug)]
pub struct ArmImport {
    /// The document.
    pub doc: ScenarioDoc,
    /// What was imported, skipped and assumed.
    pub report: ImportReport,
    inner: AzureImport,
    relocations: Vec<(String, String)>,
    unresolved: Vec<(String, String, String)>,
    /// Parameters without a value, whose names stand in for their values.
    placeholders: HashSet<String>,
}

/// How a user gives template parameters their values.
const GIVE_PARAMETERS: &str = "give it a value in a parameters file (--parameters FILE)";

impl ArmImport {
    /// Builds the network; errors point into the template.
    pub fn build(&self) -> Result<Network, ImportError> {
        self.inner.build().map_err(|e| self.relocate(e))
    }

    fn relocate(&self, e: ImportError) -> ImportError {
        relocate(e, &self.relocations, &self.unresolved).with_placeholder_hint(
            &self.placeholders,
            "parameter",
            GIVE_PARAMETERS,
        )
    }
}

/// Maps a path in the evaluated resources back to the template, and says
/// when the value at fault could not be resolved.
fn relocate(
    e: ImportError,
    relocations: &[(String, String)],
    unresolved: &[(String, String, String)],
) -> ImportError {
    let loc = e.location().to_string();
    let hint = unresolved
        .iter()
        .filter(|(p, _, _)| under(&loc, p) || under(p, &loc))
        .max_by_key(|(p, _, _)| p.len())
        .map(|(_, text, why)| {
            format!(
                " (the value comes from '{}', which cannot be resolved offline: {why})",
                eval::clip_expr(text)
            )
        });
    let moved = relocations
        .iter()
        .filter(|(from, _)| under(&loc, from))
        .max_by_key(|(from, _)| from.len())
        .map(|(from, to)| format!("{to}{}", loc.get(from.len()..).unwrap_or("")));
    match (moved, hint) {
        (None, None) => e,
        (moved, hint) => {
            let message = format!("{}{}", e.message(), hint.unwrap_or_default());
            ImportError::new(moved.unwrap_or(loc), message)
        }
    }
}

/// Whether `path` is `prefix` or inside it.
fn under(path: &str, prefix: &str) -> bool {
    path == prefix
        || (path.starts_with(prefix)
            && path
                .get(prefix.len()..)
                .is_some_and(|rest| rest.starts_with(['.', '['])))
}

/// Reads a template (with an optional parameters file), evaluates it and
/// converts the resources it deploys.
pub fn read(template: &str, parameters: Option<&str>) -> Result<ArmImport, ImportError> {
    let mut s = Session::new();
    read_in(template, parameters, &mut s)
        .map_err(|e| e.with_placeholder_hint(&s.placeholders, "parameter", GIVE_PARAMETERS))
}

fn read_in(
    template: &str,
    parameters: Option<&str>,
    s: &mut Session,
) -> Result<ArmImport, ImportError> {
    crate::check_input(template)?;
    let relaxed = crate::jsonc::relax(template);
    let root: Value = match &relaxed {
        Some(r) => one_json(&r.text, "").map_err(|e| r.locate(template, e))?,
        None => one_json(template, "")?,
    };
    let Some(obj) = root.as_object() else {
        return Err(ImportError::new(
            "$",
            "an ARM template is one JSON object with $schema, parameters, variables and resources",
        ));
    };
    let given = match parameters {
        Some(p) => read_parameters(p)?,
        None => HashMap::new(),
    };
    let mut scope = Scope::new(
        &root,
        "$",
        given
            .iter()
            .map(|(k, (_, g))| (k.clone(), g.clone()))
            .collect(),
        String::from(eval::RESOURCE_GROUP),
        String::from(eval::SUBSCRIPTION),
    );
    for (key, (path, g)) in &given {
        if !scope.declares(key) {
            return Err(ImportError::new(
                path.clone(),
                format!(
                    "the template declares no parameter '{key}'; Azure refuses a parameters file with it"
                ),
            ));
        }
        if let (Given::Value(v), Some(allowed)) = (g, scope.allowed(key))
            && !allowed.iter().any(|a| func::json_eq(a, v))
        {
            return Err(ImportError::new(
                format!("{path}.value"),
                format!(
                    "{} is not one of the values the template allows for parameter '{key}' ({})",
                    crate::scenario::short_json(v),
                    allowed
                        .iter()
                        .map(crate::scenario::short_json)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
    }
    let mut p = Processor {
        s: &mut *s,
        out: Vec::new(),
    };
    match get_ci(obj, "resources") {
        Some(list) => p.resources(&mut scope, list, "$.resources", None, &Env::default(), 0)?,
        None => {
            return Err(ImportError::new(
                "$",
                "this template has no resources section",
            ));
        }
    }
    let mut out = std::mem::take(&mut p.out);
    late::resolve(&mut out, s);
    let relocations = std::mem::take(&mut s.relocations);
    let unresolved = std::mem::take(&mut s.unresolved);
    let placeholders = std::mem::take(&mut s.placeholders);
    let inner = azure::read_resources(&out).map_err(|e| {
        relocate(e, &relocations, &unresolved).with_placeholder_hint(
            &placeholders,
            "parameter",
            GIVE_PARAMETERS,
        )
    })?;
    let mut report = inner.report.clone();
    let mut assumptions = std::mem::take(&mut s.report.assumptions);
    for (path, text, why) in &unresolved {
        assumptions.push(format!(
            "{path}: '{}' cannot be resolved offline ({why}); the value is left out",
            eval::clip_expr(text)
        ));
    }
    assumptions.append(&mut report.assumptions);
    report.assumptions = assumptions;
    let mut skipped = std::mem::take(&mut s.report.skipped);
    skipped.append(&mut report.skipped);
    report.skipped = skipped;
    Ok(ArmImport {
        doc: inner.doc.clone(),
        report,
        inner,
        relocations,
        unresolved,
        placeholders,
    })
}

/// Parses exactly one JSON value; errors at line and column, prefixed with `what`.
fn one_json(text: &str, what: &str) -> Result<Value, ImportError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let parsed = serde::Deserialize::deserialize(&mut de).and_then(|v: Value| de.end().map(|()| v));
    parsed.map_err(|e| {
        let err = crate::scenario::json_error(&e, "");
        if what.is_empty() {
            err
        } else {
            ImportError::new(format!("{what}{}", err.location()), err.message())
        }
    })
}

/// A parameters file: `{"parameters": {"name": {"value": ...}}}`.
/// Returns values by lower-cased name, with their paths.
fn read_parameters(text: &str) -> Result<HashMap<String, (String, Given)>, ImportError> {
    const WHERE: &str = "parameters file, ";
    if text.trim().is_empty() {
        return Err(ImportError::new(
            format!("{WHERE}$"),
            "the parameters file is empty",
        ));
    }
    if text.trim_start().starts_with("using ") {
        return Err(ImportError::new(
            format!("{WHERE}line 1, column 1"),
            "this is a .bicepparam file; build it to JSON first (bicep build-params FILE)",
        ));
    }
    let root = match crate::jsonc::relax(text) {
        Some(r) => one_json(&r.text, "").map_err(|e| {
            let e = r.locate(text, e);
            ImportError::new(format!("{WHERE}{}", e.location()), e.message())
        })?,
        None => one_json(text, WHERE)?,
    };
    let Some(obj) = root.as_object() else {
        return Err(ImportError::new(
            format!("{WHERE}$"),
            "a parameters file is one JSON object: {\"parameters\": {\"name\": {\"value\": ...}}}",
        ));
    };
    let (entries, base) = match get_ci(obj, "parameters") {
        Some(Value::Object(p)) => (p, String::from("$.parameters")),
        _ => (obj, String::from("$")),
    };
    let mut out = HashMap::new();
    for (name, v) in entries {
        if name.starts_with('$') || name.eq_ignore_ascii_case("contentVersion") {
            continue;
        }
        let mut path = format!("{WHERE}{base}");
        push_key(&mut path, name);
        let given = match v.as_object() {
            Some(o) if get_ci(o, "value").is_some() => {
                Given::Value(get_ci(o, "value").cloned().unwrap_or(Value::Null))
            }
            Some(o) if get_ci(o, "reference").is_some() => Given::Unresolved(String::from(
                "its value is a Key Vault secret reference, which an offline import cannot read",
            )),
            _ => {
                return Err(ImportError::new(
                    path,
                    format!(
                        "parameter '{name}' has neither a value nor a reference: write {{\"value\": ...}}"
                    ),
                ));
            }
        };
        out.insert(name.to_ascii_lowercase(), (path, given));
    }
    Ok(out)
}

/// Turns a failure into an error at `path` (unless it knows its own place).
fn to_error(f: Fail, path: &str) -> ImportError {
    match f {
        Fail::Fatal(Some(p), m) => ImportError::new(p, m),
        Fail::Fatal(None, m) => ImportError::new(path, m),
        Fail::Unresolved(why) => {
            ImportError::new(path, format!("this cannot be resolved offline: {why}"))
        }
    }
}

fn key_path(base: &str, key: &str) -> String {
    let mut p = base.to_string();
    push_key(&mut p, key);
    p
}

/// Walks the resources of a template and its nested deployments.
struct Processor<'s> {
    s: &'s mut Session,
    /// Evaluated resources with their paths in the template.
    out: Vec<(Value, String)>,
}

impl Processor<'_> {
    fn resources<'t>(
        &mut self,
        scope: &mut Scope<'t>,
        list: &'t Value,
        path: &str,
        parent: Option<(&str, &str)>,
        env: &Env,
        depth: usize,
    ) -> Result<(), ImportError> {
        match list {
            Value::Array(items) => {
                for (i, r) in items.iter().enumerate() {
                    self.resource(scope, r, &format!("{path}[{i}]"), parent, env, depth)?;
                }
                Ok(())
            }
            // Language version 2.0: resources by symbolic name.
            Value::Object(map) => {
                for (k, r) in map {
                    self.resource(scope, r, &key_path(path, k), parent, env, depth)?;
                }
                Ok(())
            }
            _ => Err(ImportError::new(
                path,
                "resources must be an array (or, in language version 2.0, an object by symbolic name)",
            )),
        }
    }

    fn resource<'t>(
        &mut self,
        scope: &mut Scope<'t>,
        r: &'t Value,
        path: &str,
        parent: Option<(&str, &str)>,
        env: &Env,
        depth: usize,
    ) -> Result<(), ImportError> {
        let Some(obj) = r.as_object() else {
            return Err(ImportError::new(path, "a resource is a JSON object"));
        };
        let Some(copy) = get_ci(obj, "copy") else {
            return self.instance(scope, obj, path, parent, env, depth);
        };
        let cpath = key_path(path, "copy");
        let Some(c) = copy.as_object() else {
            return Err(ImportError::new(
                cpath,
                "a resource's copy is an object with name and count",
            ));
        };
        let name = match get_ci(c, "name") {
            Some(n) => scope
                .eval_json(self.s, n, &key_path(&cpath, "name"), env, Mode::Strict)
                .map_err(|f| to_error(f, &cpath))?,
            None => Value::Null,
        };
        let name = name.as_str().unwrap_or("").to_ascii_lowercase();
        let count_path = key_path(&cpath, "count");
        let count = match scope.copy_count(self.s, get_ci(c, "count"), &count_path, env) {
            Ok(n) => n,
            Err(Fail::Unresolved(why)) => {
                self.s.report.skip(
                    path.to_string(),
                    format!("its copy count cannot be resolved offline ({why})"),
                );
                return Ok(());
            }
            Err(f) => return Err(to_error(f, &count_path)),
        };
        for i in 0..count {
            let mut e = env.clone();
            e.resource_loop = Some((name.clone(), i));
            self.instance(scope, obj, path, parent, &e, depth)?;
        }
        Ok(())
    }

    /// A string field of a resource (type, name), or why it has none.
    fn text_field(
        &mut self,
        scope: &mut Scope<'_>,
        obj: &Map<String, Value>,
        key: &str,
        path: &str,
        env: &Env,
    ) -> Result<Result<String, String>, ImportError> {
        let fpath = key_path(path, key);
        let Some(v) = get_ci(obj, key) else {
            return Err(ImportError::new(path, format!("the resource has no {key}")));
        };
        match scope.eval_json(self.s, v, &fpath, env, Mode::Strict) {
            Ok(Value::String(t)) if !t.trim().is_empty() => Ok(Ok(t)),
            Ok(other) => {
                let empty = v
                    .as_str()
                    .map(|t| scope.empty_defaults_in(t))
                    .unwrap_or_default();
                let hint = match empty.as_slice() {
                    [] => String::new(),
                    [p] => format!(
                        " (parameter '{p}' defaults to \"\": the template expects a value; give it in a parameters file (--parameters FILE))"
                    ),
                    ps => format!(
                        " (parameters {} default to \"\": the template expects values; give them in a parameters file (--parameters FILE))",
                        ps.iter()
                            .map(|p| format!("'{p}'"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                };
                Err(ImportError::new(
                    fpath,
                    format!(
                        "the resource's {key} must be a non-empty string, not {}{hint}",
                        crate::scenario::short_json(&other)
                    ),
                ))
            }
            Err(Fail::Unresolved(why)) => Ok(Err(why)),
            Err(f) => Err(to_error(f, &fpath)),
        }
    }

    /// `type/name` of a resource for a report line when the resource is not
    /// deployed, or `type at path` when its name does not evaluate.
    fn lenient_label<'t>(
        &mut self,
        scope: &mut Scope<'t>,
        obj: &'t Map<String, Value>,
        path: &str,
        parent: Option<(&str, &str)>,
        ty: &str,
        env: &Env,
    ) -> String {
        match self.text_field(scope, obj, "name", path, env) {
            Ok(Ok(name)) => {
                let (full_ty, full_name) = compose(parent, ty, &name);
                format!("{full_ty}/{full_name}")
            }
            _ => format!("{ty} at {path}"),
        }
    }

    fn instance<'t>(
        &mut self,
        scope: &mut Scope<'t>,
        obj: &'t Map<String, Value>,
        path: &str,
        parent: Option<(&str, &str)>,
        env: &Env,
        depth: usize,
    ) -> Result<(), ImportError> {
        let ty = match self.text_field(scope, obj, "type", path, env)? {
            Ok(t) => t,
            Err(why) => {
                self.s.report.skip(
                    path.to_string(),
                    format!("its type cannot be resolved offline ({why})"),
                );
                return Ok(());
            }
        };
        // Azure evaluates nothing else of a resource whose condition is false,
        // and deploys nothing of an `existing` one, so both are decided before
        // the name: modules compiled from Bicep give such resources names that
        // only resolve when they are deployed (an empty string, a property of
        // a null object). Their report line names them when it can.
        let mut unresolved_condition = None;
        if let Some(c) = get_ci(obj, "condition") {
            let cpath = key_path(path, "condition");
            match scope.eval_json(self.s, c, &cpath, env, Mode::Strict) {
                Ok(v) => match func::as_bool("condition", &v) {
                    Ok(true) => {}
                    Ok(false) => {
                        let label = self.lenient_label(scope, obj, path, parent, &ty, env);
                        self.s.report.skip(
                            label,
                            format!("its condition is false ({})", condition_text(c)),
                        );
                        return Ok(());
                    }
                    Err(f) => return Err(to_error(f, &cpath)),
                },
                Err(Fail::Unresolved(why)) => unresolved_condition = Some((cpath, why)),
                Err(f) => return Err(to_error(f, &cpath)),
            }
        }
        if get_ci(obj, "existing").and_then(Value::as_bool) == Some(true) {
            let label = self.lenient_label(scope, obj, path, parent, &ty, env);
            self.s.report.skip(
                label,
                "it is declared `existing`: the template refers to it but does not deploy it",
            );
            return Ok(());
        }
        let name = match self.text_field(scope, obj, "name", path, env)? {
            Ok(n) => n,
            Err(why) => {
                self.s.report.skip(
                    format!("{ty} at {path}"),
                    format!("its name cannot be resolved offline ({why})"),
                );
                return Ok(());
            }
        };
        let (full_ty, full_name) = compose(parent, &ty, &name);
        let types: Vec<&str> = full_ty.split('/').filter(|x| !x.is_empty()).collect();
        let names: Vec<&str> = full_name.split('/').filter(|x| !x.is_empty()).collect();
        let label = format!("{full_ty}/{full_name}");
        if let Some((cpath, why)) = unresolved_condition {
            self.s.report.assumptions.push(format!(
                "{cpath}: the condition of {label} cannot be resolved offline ({why}); the resource is taken to be deployed"
            ));
        }
        if full_ty.eq_ignore_ascii_case("Microsoft.Resources/deployments") {
            return self.deployment(scope, obj, path, &full_name, env, depth);
        }
        if types.len() < 2 || types.len() - 1 != names.len() {
            return Err(ImportError::new(
                key_path(path, "name"),
                format!(
                    "the name '{}' does not fit the type '{}': it needs {} segment{} separated by '/'",
                    crate::scenario::build::clip(&full_name),
                    crate::scenario::build::clip(&full_ty),
                    types.len().saturating_sub(1),
                    if types.len() == 2 { "" } else { "s" }
                ),
            ));
        }
        let mut id = format!(
            "/subscriptions/{}/resourceGroups/{}/providers/{}",
            scope.sub,
            scope.rg,
            types.first().copied().unwrap_or("")
        );
        for (t, n) in types.iter().skip(1).zip(&names) {
            id.push('/');
            id.push_str(t);
            id.push('/');
            id.push_str(n);
        }
        let mut out = Map::new();
        out.insert("id".into(), Value::String(id));
        out.insert(
            "name".into(),
            Value::String(names.last().copied().unwrap_or("").to_string()),
        );
        out.insert("type".into(), Value::String(full_ty.clone()));
        if azure::reads_type(&full_ty.to_ascii_lowercase()) {
            // A scale set's size is often a parameter without a default; the
            // import is still useful with one instance (the reader says so).
            let scale_set =
                full_ty.eq_ignore_ascii_case("Microsoft.Compute/virtualMachineScaleSets");
            for key in ["location", "sku", "zones", "kind", "tags", "properties"] {
                let Some(v) = get_ci(obj, key) else { continue };
                let value = match scope.eval_json(
                    self.s,
                    v,
                    &key_path(path, key),
                    env,
                    Mode::Lenient,
                ) {
                    Ok(value) => value,
                    Err(f) if scale_set && key == "sku" => {
                        let e = to_error(f, &key_path(path, key));
                        self.s.report.assumptions.push(format!(
                            "{}: the scale set's sku cannot be evaluated ({}); its capacity is taken as one instance",
                            e.location(),
                            e.message()
                        ));
                        continue;
                    }
                    Err(f) if scale_set && key == "properties" => {
                        // Only the network profile matters here: read it on
                        // its own when another setting (a disk size, say)
                        // needs a parameter value.
                        let e = to_error(f, &key_path(path, key));
                        let profile_path = key_path(
                            &key_path(&key_path(path, key), "virtualMachineProfile"),
                            "networkProfile",
                        );
                        let Some(profile) = v
                            .as_object()
                            .and_then(|o| get_ci(o, "virtualMachineProfile"))
                            .and_then(Value::as_object)
                            .and_then(|o| get_ci(o, "networkProfile"))
                        else {
                            return Err(e);
                        };
                        let np = scope
                            .eval_json(self.s, profile, &profile_path, env, Mode::Lenient)
                            .map_err(|f| to_error(f, &profile_path))?;
                        self.s.report.assumptions.push(format!(
                            "{}: a setting of the scale set cannot be evaluated ({}); only its network profile is read",
                            e.location(),
                            e.message()
                        ));
                        serde_json::json!({ "virtualMachineProfile": { "networkProfile": np } })
                    }
                    Err(f) => return Err(to_error(f, &key_path(path, key))),
                };
                if !value.is_null() {
                    out.insert(key.to_string(), value);
                }
            }
            if let Some(Value::String(l)) = out.get("location")
                && self.s.placeholders.contains(l)
            {
                self.s.assume_once(
                    &format!("location-{l}"),
                    format!(
                        "the location placeholder '{l}' is not a region; {} is used",
                        eval::LOCATION
                    ),
                );
                out.insert("location".into(), Value::String(eval::LOCATION.into()));
            }
        }
        if self.out.len() >= MAX_RESOURCES {
            return Err(ImportError::new(
                path.to_string(),
                format!(
                    "the template expands to more than {MAX_RESOURCES} resources (copy loops and nested deployments multiply their counts); the playground reads at most {MAX_RESOURCES}"
                ),
            ));
        }
        self.out.push((Value::Object(out), path.to_string()));
        if let Some(children) = get_ci(obj, "resources") {
            if depth >= MAX_DEPLOYMENT_DEPTH {
                return Err(ImportError::new(
                    key_path(path, "resources"),
                    format!(
                        "child resources and nested deployments go deeper than {MAX_DEPLOYMENT_DEPTH} levels"
                    ),
                ));
            }
            self.resources(
                scope,
                children,
                &key_path(path, "resources"),
                Some((&full_ty, &full_name)),
                env,
                depth + 1,
            )?;
        }
        Ok(())
    }

    /// A nested deployment (`Microsoft.Resources/deployments`), as Bicep
    /// writes modules: its inline template's resources are deployed too.
    fn deployment<'t>(
        &mut self,
        scope: &mut Scope<'t>,
        obj: &'t Map<String, Value>,
        path: &str,
        name: &str,
        env: &Env,
        depth: usize,
    ) -> Result<(), ImportError> {
        let label = format!("Microsoft.Resources/deployments/{name}");
        let Some(props) = get_ci(obj, "properties").and_then(Value::as_object) else {
            self.s.report.skip(label, "it has no properties");
            return Ok(());
        };
        let ppath = key_path(path, "properties");
        let Some(template) = get_ci(props, "template") else {
            let what = get_ci(props, "templateLink")
                .and_then(Value::as_object)
                .and_then(|l| get_ci(l, "uri").or_else(|| get_ci(l, "id")))
                .map(|u| format!(" at {}", func::to_text(u)))
                .unwrap_or_default();
            self.s.report.skip(
                label,
                format!(
                    "it links to a template{what}, which is not fetched: its resources are missing"
                ),
            );
            return Ok(());
        };
        if depth >= MAX_DEPLOYMENT_DEPTH {
            return Err(ImportError::new(
                ppath,
                format!("nested deployments go deeper than {MAX_DEPLOYMENT_DEPTH} levels"),
            ));
        }
        let tpath = key_path(&ppath, "template");
        let Some(tobj) = template.as_object() else {
            return Err(ImportError::new(
                tpath,
                "the nested template is not a JSON object",
            ));
        };
        let inner_scope = get_ci(props, "expressionEvaluationOptions")
            .and_then(Value::as_object)
            .and_then(|o| get_ci(o, "scope"))
            .and_then(Value::as_str)
            .is_some_and(|s| s.eq_ignore_ascii_case("inner"));
        let Some(resources) = get_ci(tobj, "resources") else {
            return Ok(());
        };
        let rpath = key_path(&tpath, "resources");
        if !inner_scope {
            return self.resources(scope, resources, &rpath, None, env, depth + 1);
        }
        let mut given = HashMap::new();
        if let Some(Value::Object(ps)) = get_ci(props, "parameters") {
            let base = key_path(&ppath, "parameters");
            for (k, v) in ps {
                let vpath = key_path(&key_path(&base, k), "value");
                let g = match v.as_object().and_then(|o| get_ci(o, "value")) {
                    Some(x) => match scope.eval_json(self.s, x, &vpath, env, Mode::Strict) {
                        Ok(val) => Given::Value(val),
                        Err(Fail::Unresolved(why)) => Given::Unresolved(why),
                        Err(f) => return Err(to_error(f, &vpath)),
                    },
                    None => Given::Unresolved(String::from(
                        "its value is a Key Vault secret reference, which an offline import cannot read",
                    )),
                };
                given.insert(k.to_ascii_lowercase(), g);
            }
        }
        let text = |key: &str, scope: &mut Scope<'t>, s: &mut Session| -> Option<String> {
            let v = get_ci(obj, key)?;
            scope
                .eval_json(s, v, &key_path(path, key), env, Mode::Strict)
                .ok()
                .and_then(|v| v.as_str().map(String::from))
        };
        let rg = text("resourceGroup", scope, self.s).unwrap_or_else(|| scope.rg.clone());
        let sub = text("subscriptionId", scope, self.s).unwrap_or_else(|| scope.sub.clone());
        let mut inner = Scope::new(template, &tpath, given, rg, sub);
        self.resources(
            &mut inner,
            resources,
            &rpath,
            None,
            &Env::default(),
            depth + 1,
        )
    }
}

/// The full type and name of a resource, given its parent's.
fn compose(parent: Option<(&str, &str)>, ty: &str, name: &str) -> (String, String) {
    let ty = ty.trim().trim_matches('/');
    let name = name.trim().trim_matches('/');
    match parent {
        None => (ty.to_string(), name.to_string()),
        Some((pty, pname)) => {
            let qualified = ty.split('/').next().is_some_and(|ns| ns.contains('.'));
            if qualified {
                let want = ty.split('/').count().saturating_sub(1);
                let have = name.split('/').count();
                if have == want {
                    (ty.to_string(), name.to_string())
                } else {
                    (ty.to_string(), format!("{pname}/{name}"))
                }
            } else {
                (format!("{pty}/{ty}"), format!("{pname}/{name}"))
            }
        }
    }
}

fn condition_text(c: &Value) -> String {
    match c {
        Value::String(s) => eval::clip_expr(s),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests;
