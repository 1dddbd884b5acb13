//! Evaluating template expressions in a deployment's scope: parameters,
//! variables, copy indexes, resource ids, lambdas, user-defined functions,
//! and the functions that ask Azure about the live deployment.
//!
//! An expression either gives a value, cannot be resolved offline
//! ([`Fail::Unresolved`]: `reference()`, `listKeys()`, a Key Vault secret,
//! ...), or is wrong ([`Fail::Fatal`]: an unknown function, a circular
//! variable, a type error). Unresolved values are reported and treated as
//! absent where a property needs them; wrong ones are errors at their JSON path.

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use serde_json::{Map, Value};

use super::expr::{self, Expr, Parsed};
use super::func::{self, as_array, as_str, get_ci, kind, to_int, to_text};
use crate::ImportReport;
use crate::scenario::push_key;

/// Why an expression has no value.
#[derive(Clone, Debug)]
pub(crate) enum Fail {
    /// Only Azure knows (the reason, as a sentence fragment).
    Unresolved(String),
    /// The template is wrong: (where, if known yet; what).
    Fatal(Option<String>, String),
}

/// A fatal failure whose location the caller fills in.
pub(crate) fn fatal(message: impl Into<String>) -> Fail {
    Fail::Fatal(None, message.into())
}

type R = Result<Value, Fail>;

/// The resource group used where the template asks for one.
pub(crate) use crate::azure::ids::ASSUMED_RESOURCE_GROUP as RESOURCE_GROUP;
/// The subscription id used where the template asks for one.
pub(crate) use crate::azure::ids::ASSUMED_SUBSCRIPTION as SUBSCRIPTION;
/// The region of that resource group.
pub(crate) const LOCATION: &str = "westeurope";
/// How much work evaluating one template may take (function calls plus the
/// size of the values they return): far above any real template, low enough
/// that an exponential one stops in well under a second.
const BUDGET: u64 = 50_000_000;
/// How deep variables, parameters and functions may refer to each other.
const MAX_NESTING: usize = 60;
/// How deep evaluation may nest in all (expression calls, variables, JSON
/// values): far deeper than real templates, shallow enough for a 1 MB stack.
const MAX_DEPTH: usize = 120;
/// Azure's limit on copy loops.
pub(crate) const MAX_COPY: i64 = 800;

/// State shared by every scope of one import: the report, the work budget,
/// and where values came from.
#[derive(Debug)]
pub(crate) struct Session {
    pub report: ImportReport,
    noted: HashSet<String>,
    budget: u64,
    /// (path, expression, reason) of every value that could not be resolved.
    pub unresolved: Vec<(String, String, String)>,
    /// (path in the evaluated resources, path in the template).
    pub relocations: Vec<(String, String)>,
    /// Values made up for parameters that have none.
    pub placeholders: HashSet<String>,
    /// `reference()`s to resources, resolved once every resource is
    /// evaluated (see `late`); each stands in the output as a marker.
    pub late: Vec<super::late::LateRef>,
    /// Public IPs (lower-case id key → placeholder address) whose
    /// `reference(x).ipAddress` the template reads, often inside a larger
    /// expression (`first(split(reference(ip).ipAddress, ','))`) where a late
    /// marker cannot stand: the placeholder is given on the spot, and `late`
    /// writes it into the public IP.
    pub pip_placeholders: Vec<(String, String)>,
    /// How deep evaluation is nested right now (calls, variables, JSON).
    depth: usize,
}

impl Session {
    pub fn new() -> Self {
        Self {
            report: ImportReport::default(),
            noted: HashSet::new(),
            budget: BUDGET,
            unresolved: Vec::new(),
            relocations: Vec::new(),
            placeholders: HashSet::new(),
            late: Vec::new(),
            pip_placeholders: Vec::new(),
            depth: 0,
        }
    }

    /// Enters one level of nesting; refuses to go deeper than the stack allows.
    fn enter(&mut self) -> Result<(), Fail> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            self.depth -= 1;
            return Err(fatal(format!(
                "expressions, variables and values nest more than {MAX_DEPTH} levels deep"
            )));
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    /// Adds an assumption once, however often it is used.
    pub fn assume_once(&mut self, key: &str, text: impl Into<String>) {
        if self.noted.insert(key.to_string()) {
            self.report.assumptions.push(text.into());
        }
    }

    fn charge(&mut self, units: u64) -> Result<(), Fail> {
        if self.budget < units {
            self.budget = 0;
            return Err(fatal(
                "evaluating the template takes too much work: its expressions grow without bound (a variable doubling itself, a huge copy loop)",
            ));
        }
        self.budget -= units;
        Ok(())
    }
}

/// The size of a value, counted up to `cap`.
fn weight(v: &Value, cap: u64) -> u64 {
    let mut total = 0u64;
    let mut stack = vec![v];
    while let Some(x) = stack.pop() {
        total += 1;
        if total >= cap {
            return cap;
        }
        match x {
            Value::String(s) => total += (s.len() / 64) as u64,
            Value::Array(a) => stack.extend(a.iter()),
            Value::Object(o) => stack.extend(o.values()),
            _ => {}
        }
    }
    total
}

/// A parameter as the template declares it.
#[derive(Clone, Debug)]
struct ParamDecl<'t> {
    name: String,
    ty: String,
    default: Option<(&'t Value, String)>,
    allowed: Option<&'t Vec<Value>>,
    /// `"nullable": true` (Bicep's `param x type?`): without a value the
    /// parameter is `null`, as in a deployment.
    nullable: bool,
}

/// A parameter value from outside: a parameters file or a nested deployment.
#[derive(Clone, Debug)]
pub(crate) enum Given {
    Value(Value),
    Unresolved(String),
}

#[derive(Clone, Debug)]
enum VarDecl<'t> {
    Plain(&'t Value, String),
    /// A variable made by `"copy": [{"name", "count", "input"}]`.
    Copy(&'t Value, String),
}

/// The copy loops, lambda variables and function arguments in effect.
#[derive(Clone, Debug, Default)]
pub(crate) struct Env {
    /// The resource's own copy loop, if it has one: (name, index).
    pub resource_loop: Option<(String, i64)>,
    /// Property and variable loops, innermost last.
    pub loops: Vec<(String, i64)>,
    pub lambdas: Vec<(String, Value)>,
    pub fn_args: Option<Rc<Vec<(String, Value)>>>,
}

/// How unresolved values are handled while evaluating JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    /// A variable or parameter: the whole value is unresolved.
    Strict,
    /// A resource property: the value is recorded and left out (null).
    Lenient,
}

/// One template's parameters, variables and functions, with their values
/// worked out on first use.
pub(crate) struct Scope<'t> {
    params: HashMap<String, ParamDecl<'t>>,
    given: HashMap<String, Given>,
    param_memo: HashMap<String, Result<Value, Fail>>,
    vars: HashMap<String, VarDecl<'t>>,
    var_memo: HashMap<String, Result<Value, Fail>>,
    stack: Vec<String>,
    funcs: HashMap<String, (&'t Value, String)>,
    /// Resources by lower-cased symbolic name (language version 2.0), for
    /// `reference('name')`.
    symbols: HashMap<String, &'t Value>,
    /// The template's public IP resources (top level, without a copy loop),
    /// for [`Scope::public_ip_placeholder`].
    public_ips: Vec<&'t Value>,
    /// The resource group deployed to.
    pub rg: String,
    /// The subscription deployed to.
    pub sub: String,
    /// The path of the template in the input (`$` or a nested template's).
    pub base: String,
}

fn path_key(base: &str, key: &str) -> String {
    let mut p = base.to_string();
    push_key(&mut p, key);
    p
}

impl<'t> Scope<'t> {
    /// Reads a template's declarations. `given` are parameter values from
    /// outside, by lower-cased name.
    pub fn new(
        template: &'t Value,
        base: &str,
        given: HashMap<String, Given>,
        rg: String,
        sub: String,
    ) -> Self {
        let mut params = HashMap::new();
        let obj = template.as_object();
        let member = |k: &str| obj.and_then(|o| get_ci(o, k));
        if let Some(Value::Object(ps)) = member("parameters") {
            let ppath = path_key(base, "parameters");
            for (name, decl) in ps {
                let dpath = path_key(&ppath, name);
                let d = decl.as_object();
                let ty = d
                    .and_then(|d| get_ci(d, "type"))
                    .and_then(Value::as_str)
                    .unwrap_or("string")
                    .to_ascii_lowercase();
                let default = d
                    .and_then(|d| get_ci(d, "defaultValue"))
                    .map(|v| (v, path_key(&dpath, "defaultValue")));
                let allowed = d
                    .and_then(|d| get_ci(d, "allowedValues"))
                    .and_then(Value::as_array);
                let nullable = d
                    .and_then(|d| get_ci(d, "nullable"))
                    .and_then(Value::as_bool)
                    == Some(true);
                params.insert(
                    name.to_ascii_lowercase(),
                    ParamDecl {
                        name: name.clone(),
                        ty,
                        default,
                        allowed,
                        nullable,
                    },
                );
            }
        }
        let mut vars = HashMap::new();
        if let Some(Value::Object(vs)) = member("variables") {
            let vpath = path_key(base, "variables");
            for (name, v) in vs {
                if name.eq_ignore_ascii_case("copy")
                    && let Value::Array(items) = v
                {
                    let cpath = path_key(&vpath, name);
                    for (j, item) in items.iter().enumerate() {
                        let n = item
                            .as_object()
                            .and_then(|o| get_ci(o, "name"))
                            .and_then(Value::as_str);
                        if let Some(n) = n {
                            vars.insert(
                                n.to_ascii_lowercase(),
                                VarDecl::Copy(item, format!("{cpath}[{j}]")),
                            );
                        }
                    }
                    continue;
                }
                vars.insert(
                    name.to_ascii_lowercase(),
                    VarDecl::Plain(v, path_key(&vpath, name)),
                );
            }
        }
        let mut funcs = HashMap::new();
        if let Some(Value::Array(namespaces)) = member("functions") {
            let fpath = path_key(base, "functions");
            for (i, ns) in namespaces.iter().enumerate() {
                let Some(o) = ns.as_object() else { continue };
                let Some(nsname) = get_ci(o, "namespace").and_then(Value::as_str) else {
                    continue;
                };
                if let Some(Value::Object(members)) = get_ci(o, "members") {
                    for (m, def) in members {
                        let key = format!("{nsname}.{m}").to_ascii_lowercase();
                        let p = path_key(&format!("{fpath}[{i}].members"), m);
                        funcs.insert(key, (def, p));
                    }
                }
            }
        }
        let symbols = match member("resources") {
            Some(Value::Object(rs)) => rs
                .iter()
                .map(|(k, r)| (k.to_ascii_lowercase(), r))
                .collect(),
            _ => HashMap::new(),
        };
        let public_ips = match member("resources") {
            Some(Value::Array(rs)) => rs.iter().collect(),
            Some(Value::Object(rs)) => rs.values().collect(),
            _ => Vec::new(),
        }
        .into_iter()
        .filter(|r| {
            r.as_object().is_some_and(|o| {
                get_ci(o, "copy").is_none()
                    && get_ci(o, "type")
                        .and_then(Value::as_str)
                        .and_then(|t| t.split('@').next())
                        .is_some_and(|t| {
                            t.eq_ignore_ascii_case("Microsoft.Network/publicIPAddresses")
                        })
            })
        })
        .collect();
        Self {
            params,
            given,
            param_memo: HashMap::new(),
            vars,
            var_memo: HashMap::new(),
            stack: Vec::new(),
            funcs,
            symbols,
            public_ips,
            rg,
            sub,
            base: base.to_string(),
        }
    }

    /// The parameters `text` reads that have no value given and default to
    /// the empty string: the usual reason a resource's name is empty (the
    /// template expects the deployer to fill it in).
    pub fn empty_defaults_in(&self, text: &str) -> Vec<String> {
        let lower = text.to_ascii_lowercase();
        let mut out: Vec<String> = self
            .params
            .iter()
            .filter(|(k, d)| {
                !self.given.contains_key(*k)
                    && d.default
                        .as_ref()
                        .is_some_and(|(v, _)| v.as_str() == Some(""))
                    && (lower.contains(&format!("parameters('{k}')"))
                        || lower.contains(&format!("parameters(\"{k}\")")))
            })
            .map(|(_, d)| d.name.clone())
            .collect();
        out.sort();
        out
    }

    /// Parameter names the template declares (for checking a parameters file).
    pub fn declares(&self, name: &str) -> bool {
        self.params.contains_key(&name.to_ascii_lowercase())
    }

    /// The allowed values of a parameter, if the template lists them.
    pub fn allowed(&self, name: &str) -> Option<&'t Vec<Value>> {
        self.params
            .get(&name.to_ascii_lowercase())
            .and_then(|d| d.allowed)
    }

    // ---- JSON ------------------------------------------------------------

    /// Evaluates every expression in a JSON value, expanding property copy loops.
    pub fn eval_json(
        &mut self,
        s: &mut Session,
        v: &Value,
        path: &str,
        env: &Env,
        mode: Mode,
    ) -> R {
        s.enter().map_err(|f| at(f, path))?;
        let out = self.eval_json_inner(s, v, path, env, mode);
        s.leave();
        out
    }

    fn eval_json_inner(
        &mut self,
        s: &mut Session,
        v: &Value,
        path: &str,
        env: &Env,
        mode: Mode,
    ) -> R {
        match v {
            Value::String(text) => match expr::classify(text) {
                Parsed::Literal(l) => Ok(Value::String(l.into_owned())),
                Parsed::Expression(inner) => match self.eval_text(s, inner, text, path, env) {
                    Err(Fail::Unresolved(why)) if mode == Mode::Lenient => {
                        if let Some(r) = self.late_reference(s, inner, env) {
                            let k = s.late.len();
                            s.late.push(super::late::LateRef {
                                path: path.to_string(),
                                text: text.clone(),
                                why,
                                ..r
                            });
                            return Ok(super::late::marker(k));
                        }
                        s.unresolved.push((path.to_string(), text.clone(), why));
                        Ok(Value::Null)
                    }
                    other => other,
                },
            },
            Value::Array(items) => {
                s.charge(1)?;
                let mut out = Vec::with_capacity(items.len());
                for (i, x) in items.iter().enumerate() {
                    out.push(self.eval_json(s, x, &format!("{path}[{i}]"), env, mode)?);
                }
                Ok(Value::Array(out))
            }
            Value::Object(obj) => {
                s.charge(1)?;
                let mut out = Map::new();
                for (k, x) in obj {
                    if k.eq_ignore_ascii_case("copy") && x.is_array() {
                        self.property_copies(s, x, path, k, env, mode, &mut out)?;
                        continue;
                    }
                    let value = self.eval_json(s, x, &path_key(path, k), env, mode)?;
                    out.insert(k.clone(), value);
                }
                Ok(Value::Object(out))
            }
            other => Ok(other.clone()),
        }
    }

    /// `"copy": [{"name": "securityRules", "count": 3, "input": {...}}]`.
    #[allow(clippy::too_many_arguments)]
    fn property_copies(
        &mut self,
        s: &mut Session,
        copies: &Value,
        path: &str,
        key: &str,
        env: &Env,
        mode: Mode,
        out: &mut Map<String, Value>,
    ) -> Result<(), Fail> {
        let cpath = path_key(path, key);
        for (j, item) in copies.as_array().into_iter().flatten().enumerate() {
            let ipath = format!("{cpath}[{j}]");
            let Some(o) = item.as_object() else {
                return Err(Fail::Fatal(
                    Some(ipath),
                    String::from("a copy element is an object with name, count and input"),
                ));
            };
            let name = match get_ci(o, "name") {
                Some(n) => self.eval_json(s, n, &path_key(&ipath, "name"), env, Mode::Strict)?,
                None => Value::Null,
            };
            let Some(name) = name.as_str().map(String::from) else {
                return Err(Fail::Fatal(
                    Some(path_key(&ipath, "name")),
                    String::from("the copy element has no name (the property it fills)"),
                ));
            };
            let count_path = path_key(&ipath, "count");
            let count = match self.copy_count(s, get_ci(o, "count"), &count_path, env) {
                Ok(c) => c,
                Err(Fail::Unresolved(why)) if mode == Mode::Lenient => {
                    let text = get_ci(o, "count").map(to_text).unwrap_or_default();
                    s.unresolved.push((count_path, text, why));
                    continue;
                }
                Err(e) => return Err(e),
            };
            let Some(input) = get_ci(o, "input") else {
                return Err(Fail::Fatal(
                    Some(ipath),
                    format!("the copy element for '{name}' has no input"),
                ));
            };
            let input_path = path_key(&ipath, "input");
            let target = path_key(path, &name);
            let mut items = Vec::new();
            for i in 0..count {
                let mut inner = env.clone();
                inner.loops.push((name.to_ascii_lowercase(), i));
                items.push(self.eval_json(s, input, &input_path, &inner, mode)?);
                s.relocations
                    .push((format!("{target}[{i}]"), input_path.clone()));
            }
            out.insert(name, Value::Array(items));
        }
        Ok(())
    }

    /// A copy loop's count: a whole number from 0 to 800.
    pub fn copy_count(
        &mut self,
        s: &mut Session,
        count: Option<&Value>,
        path: &str,
        env: &Env,
    ) -> Result<i64, Fail> {
        let Some(count) = count else {
            return Err(Fail::Fatal(
                Some(path.to_string()),
                String::from("the copy loop has no count"),
            ));
        };
        let v = self.eval_json(s, count, path, env, Mode::Strict)?;
        let n = to_int(&v).map_err(|e| at(e, path))?;
        if !(0..=MAX_COPY).contains(&n) {
            return Err(Fail::Fatal(
                Some(path.to_string()),
                format!("a copy loop's count must be 0 to {MAX_COPY} (Azure's limit), not {n}"),
            ));
        }
        Ok(n)
    }

    /// Parses and evaluates one expression string found at `path`.
    fn eval_text(&mut self, s: &mut Session, inner: &str, text: &str, path: &str, env: &Env) -> R {
        let e = expr::parse(inner).map_err(|m| {
            Fail::Fatal(
                Some(path.to_string()),
                format!("the expression '{}' cannot be read: {m}", clip_expr(text)),
            )
        })?;
        self.eval(s, &e, env).map_err(|f| match f {
            Fail::Fatal(None, m) => Fail::Fatal(
                Some(path.to_string()),
                format!("{m}, in '{}'", clip_expr(text)),
            ),
            other => other,
        })
    }

    /// The placeholder for `reference(X).ipAddress` when `X` is a public IP's
    /// id (see [`Session::pip_placeholders`]); `None` otherwise. Given on the
    /// spot, so that functions can work on it; Azure assigns the address, so
    /// a template never gives one to read back.
    fn public_ip_placeholder(&mut self, s: &mut Session, base: &Expr, env: &Env) -> Option<String> {
        let Expr::Call(f, args) = base else {
            return None;
        };
        if f != "reference" {
            return None;
        }
        let id = self.eval(s, args.first()?, env).ok()?;
        let key = crate::azure::id_key(id.as_str()?)?;
        let name = key.strip_prefix("microsoft.network/publicipaddresses/")?;
        // Only a public IP this template deploys: another one's address is
        // unknown, as before.
        let deployed = self.public_ips.clone().into_iter().any(|r| {
            r.as_object()
                .and_then(|o| get_ci(o, "name"))
                .and_then(|n| self.eval_json(s, n, "", env, Mode::Strict).ok())
                .is_some_and(|n| n.as_str().is_some_and(|n| n.eq_ignore_ascii_case(name)))
        });
        if !deployed {
            return None;
        }
        if let Some((_, ip)) = s.pip_placeholders.iter().find(|(k, _)| *k == key) {
            return Some(ip.clone());
        }
        let ip = crate::azure::placeholder_public_ips()
            .map(|a| a.to_string())
            .find(|a| !s.pip_placeholders.iter().any(|(_, b)| b == a))?;
        s.pip_placeholders.push((key, ip.clone()));
        Some(ip)
    }

    /// `reference(X[, version[, 'Full']]).a.b[0].c`, with `X` a resource id
    /// or name (a symbolic name in language version 2.0): what to look up
    /// once every resource is evaluated. `None` for any other expression.
    fn late_reference(
        &mut self,
        s: &mut Session,
        inner: &str,
        env: &Env,
    ) -> Option<super::late::LateRef> {
        use super::late::Seg;
        let e = expr::parse(inner).ok()?;
        let mut chain = Vec::new();
        let mut cur = &e;
        let args = loop {
            match cur {
                Expr::Member(base, name) => {
                    chain.push(Seg::Key(name.clone()));
                    cur = base;
                }
                Expr::Index(base, index) => {
                    chain.push(match self.eval(s, index, env).ok()? {
                        Value::String(k) => Seg::Key(k),
                        v => Seg::Index(usize::try_from(to_int(&v).ok()?).ok()?),
                    });
                    cur = base;
                }
                Expr::Call(name, args) if name == "reference" => break args,
                _ => return None,
            }
        };
        if chain.is_empty() {
            return None;
        }
        chain.reverse();
        let arg = self.eval(s, args.first()?, env).ok()?;
        let mut target = arg.as_str()?.to_string();
        if !target.starts_with('/')
            && let Some(r) = self.symbols.get(&target.to_ascii_lowercase()).copied()
        {
            // A symbolic name (language version 2.0): the resource's own id.
            let o = r.as_object()?;
            let ty = self
                .eval_json(s, get_ci(o, "type")?, "", env, Mode::Strict)
                .ok()?;
            let nm = self
                .eval_json(s, get_ci(o, "name")?, "", env, Mode::Strict)
                .ok()?;
            let ty = ty.as_str()?.split('@').next()?.to_string();
            target = self
                .resource_id("resourceid", &[Value::String(ty), nm])
                .ok()?
                .as_str()?
                .to_string();
        }
        let full = match args.get(2) {
            Some(a) => self
                .eval(s, a, env)
                .ok()?
                .as_str()
                .is_some_and(|t| t.eq_ignore_ascii_case("full")),
            None => false,
        };
        Some(super::late::LateRef {
            target,
            full,
            chain,
            path: String::new(),
            text: String::new(),
            why: String::new(),
        })
    }

    // ---- Expressions -------------------------------------------------------

    /// Evaluates an expression.
    pub fn eval(&mut self, s: &mut Session, e: &Expr, env: &Env) -> R {
        s.enter()?;
        let out = self.eval_inner(s, e, env);
        s.leave();
        out
    }

    fn eval_inner(&mut self, s: &mut Session, e: &Expr, env: &Env) -> R {
        match e {
            Expr::Str(x) => Ok(Value::String(x.clone())),
            Expr::Int(i) => Ok(Value::from(*i)),
            Expr::Float(f) => {
                Ok(serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number))
            }
            Expr::Bool(b) => Ok(Value::Bool(*b)),
            Expr::Null => Ok(Value::Null),
            Expr::Member(base, name) => {
                if name.eq_ignore_ascii_case("ipAddress")
                    && let Some(ip) = self.public_ip_placeholder(s, base, env)
                {
                    return Ok(Value::String(ip));
                }
                let v = self.eval(s, base, env)?;
                match &v {
                    Value::Object(o) => match get_ci(o, name) {
                        Some(x) => Ok(x.clone()),
                        None if runtime_root(base) => Err(Fail::Unresolved(format!(
                            "'{}' is only known to Azure at deployment time",
                            expr::show(e)
                        ))),
                        None => {
                            let keys: Vec<&str> = o.keys().map(String::as_str).take(12).collect();
                            Err(fatal(format!(
                                "the object has no property '{name}' (it has: {})",
                                if keys.is_empty() {
                                    String::from("none")
                                } else {
                                    keys.join(", ")
                                }
                            )))
                        }
                    },
                    Value::Null if runtime_root(base) => Err(Fail::Unresolved(format!(
                        "'{}' is only known to Azure at deployment time",
                        expr::show(e)
                    ))),
                    other => Err(fatal(format!(
                        "cannot read property '{name}' of {}",
                        kind(other)
                    ))),
                }
            }
            Expr::Index(base, index) => {
                let v = self.eval(s, base, env)?;
                let i = self.eval(s, index, env)?;
                match (&v, &i) {
                    (Value::Array(a), idx) => {
                        let k = to_int(idx)?;
                        usize::try_from(k)
                            .ok()
                            .and_then(|k| a.get(k))
                            .cloned()
                            .ok_or_else(|| {
                                fatal(format!(
                                    "index {k} is outside the array, which has {} element{}",
                                    a.len(),
                                    if a.len() == 1 { "" } else { "s" }
                                ))
                            })
                    }
                    (Value::Object(o), key) => {
                        let key = to_text(key);
                        match get_ci(o, &key) {
                            Some(x) => Ok(x.clone()),
                            None if runtime_root(base) => Err(Fail::Unresolved(format!(
                                "'{}' is only known to Azure at deployment time",
                                expr::show(e)
                            ))),
                            None => Err(fatal(format!("the object has no property '{key}'"))),
                        }
                    }
                    (other, _) => Err(fatal(format!("cannot index into {}", kind(other)))),
                }
            }
            Expr::Call(name, args) => {
                s.charge(1)?;
                let v = self.call(s, name, args, env)?;
                s.charge(weight(&v, 1_000_000))?;
                Ok(v)
            }
        }
    }

    fn args(&mut self, s: &mut Session, args: &[Expr], env: &Env) -> Result<Vec<Value>, Fail> {
        args.iter().map(|a| self.eval(s, a, env)).collect()
    }

    fn call(&mut self, s: &mut Session, name: &str, args: &[Expr], env: &Env) -> R {
        // Each group is its own function: evaluation recurses through here,
        // and one huge frame per level would cost stack (1 MB in WASM).
        match name {
            "parameters" | "variables" | "copyindex" | "if" | "and" | "or" | "coalesce"
            | "lambdavariables" => self.call_flow(s, name, args, env),
            "resourcegroup"
            | "subscription"
            | "tenant"
            | "deployment"
            | "environment"
            | "managementgroup"
            | "resourceid"
            | "subscriptionresourceid"
            | "tenantresourceid"
            | "extensionresourceid"
            | "managementgroupresourceid"
            | "reference"
            | "providers"
            | "pickzones"
            | "newguid"
            | "utcnow"
            | "uniquestring"
            | "guid" => self.call_context(s, name, args, env),
            "lambda" => Err(fatal(
                "lambda() may only be an argument of map, filter, reduce, sort, toObject, mapValues or groupBy",
            )),
            "map" | "filter" | "sort" | "toobject" | "mapvalues" | "groupby" | "reduce" => {
                self.lambda_call(s, name, args, env)
            }
            _ if name.starts_with("list") => Err(Fail::Unresolved(format!(
                "{name}() reads keys or secrets from a deployed resource"
            ))),
            _ if self.funcs.contains_key(name) => {
                let a = self.args(s, args, env)?;
                self.user_function(s, name, a)
            }
            _ if func::PURE.contains(&name) => {
                let a = self.args(s, args, env)?;
                func::call(name, &a)
            }
            _ if name.contains('.') => Err(fatal(format!(
                "the template defines no function '{name}' (user-defined functions go in its 'functions' section)"
            ))),

            _ => Err(fatal(format!("unknown template function '{name}'"))),
        }
    }

    /// Parameters, variables, copy indexes and the lazy logic functions.
    fn call_flow(&mut self, s: &mut Session, name: &str, args: &[Expr], env: &Env) -> R {
        match name {
            "parameters" => {
                let a = self.args(s, args, env)?;
                func::arity(name, &a, 1, 1)?;
                let p = as_str(name, &a[0])?.to_string();
                self.parameter(s, &p, env)
            }
            "variables" => {
                let a = self.args(s, args, env)?;
                func::arity(name, &a, 1, 1)?;
                let v = as_str(name, &a[0])?.to_string();
                if env.fn_args.is_some() {
                    return Err(fatal(
                        "a user-defined function cannot read the template's variables",
                    ));
                }
                self.variable(s, &v)
            }
            "copyindex" => {
                let a = self.args(s, args, env)?;
                func::arity(name, &a, 0, 2)?;
                let (loop_name, offset) = match a.as_slice() {
                    [] => (None, 0),
                    [Value::String(n)] => (Some(n.clone()), 0),
                    [n] => (None, to_int(n)?),
                    [n, o] => (Some(as_str(name, n)?.to_string()), to_int(o)?),
                    _ => (None, 0),
                };
                let index =
                    match &loop_name {
                        None => env.resource_loop.as_ref().map(|(_, i)| *i).ok_or_else(|| {
                            fatal("copyIndex() is used outside a resource copy loop")
                        })?,
                        Some(n) => {
                            let key = n.to_ascii_lowercase();
                            env.loops
                                .iter()
                                .rev()
                                .chain(env.resource_loop.iter())
                                .find(|(l, _)| *l == key)
                                .map(|(_, i)| *i)
                                .ok_or_else(|| {
                                    fatal(format!(
                                        "copyIndex('{n}') is used outside the copy loop '{n}'"
                                    ))
                                })?
                        }
                    };
                index
                    .checked_add(offset)
                    .map(Value::from)
                    .ok_or_else(|| fatal("copyIndex overflows"))
            }
            "if" => {
                if args.len() != 3 {
                    return Err(fatal(format!("if takes 3 arguments, not {}", args.len())));
                }
                let c = self.eval(s, &args[0], env)?;
                if func::as_bool("if", &c)? {
                    self.eval(s, &args[1], env)
                } else {
                    self.eval(s, &args[2], env)
                }
            }
            "and" | "or" => {
                if args.len() < 2 {
                    return Err(fatal(format!("{name} takes at least 2 arguments")));
                }
                let stop = name == "or";
                let mut pending: Option<Fail> = None;
                for a in args {
                    match self.eval(s, a, env) {
                        Ok(v) => {
                            if func::as_bool(name, &v)? == stop {
                                return Ok(Value::Bool(stop));
                            }
                        }
                        Err(Fail::Unresolved(why)) => pending = Some(Fail::Unresolved(why)),
                        Err(e) => return Err(e),
                    }
                }
                match pending {
                    Some(f) => Err(f),
                    None => Ok(Value::Bool(!stop)),
                }
            }
            "coalesce" => {
                if args.is_empty() {
                    return Err(fatal("coalesce takes at least 1 argument"));
                }
                for a in args {
                    let v = self.eval(s, a, env)?;
                    if !v.is_null() {
                        return Ok(v);
                    }
                }
                Ok(Value::Null)
            }
            "lambdavariables" => {
                let a = self.args(s, args, env)?;
                func::arity(name, &a, 1, 1)?;
                let n = as_str(name, &a[0])?;
                env.lambdas
                    .iter()
                    .rev()
                    .find(|(k, _)| k.eq_ignore_ascii_case(n))
                    .map(|(_, v)| v.clone())
                    .ok_or_else(|| {
                        fatal(format!("lambdaVariables('{n}') names no lambda variable"))
                    })
            }
            _ => Err(fatal(format!("unknown template function '{name}'"))),
        }
    }

    /// What the deployment would know: its resource group, subscription,
    /// resource ids, and the functions only Azure can answer.
    fn call_context(&mut self, s: &mut Session, name: &str, args: &[Expr], env: &Env) -> R {
        match name {
            "resourcegroup" => {
                s.assume_once(
                    "rg",
                    format!(
                        "resourceGroup() is not known offline: the template is taken to be deployed to resource group {} in {LOCATION}, subscription {}",
                        self.rg, self.sub
                    ),
                );
                let mut m = Map::new();
                m.insert(
                    "id".into(),
                    format!("/subscriptions/{}/resourceGroups/{}", self.sub, self.rg).into(),
                );
                m.insert("name".into(), self.rg.clone().into());
                m.insert("type".into(), "Microsoft.Resources/resourceGroups".into());
                m.insert("location".into(), LOCATION.into());
                m.insert("managedBy".into(), Value::Null);
                m.insert("tags".into(), Value::Object(Map::new()));
                let mut props = Map::new();
                props.insert("provisioningState".into(), "Succeeded".into());
                m.insert("properties".into(), Value::Object(props));
                Ok(Value::Object(m))
            }
            "subscription" => {
                s.assume_once(
                    "sub",
                    format!(
                        "subscription() is not known offline: the subscription is taken to be {}",
                        self.sub
                    ),
                );
                let mut m = Map::new();
                m.insert("id".into(), format!("/subscriptions/{}", self.sub).into());
                m.insert("subscriptionId".into(), self.sub.clone().into());
                m.insert("tenantId".into(), SUBSCRIPTION.into());
                m.insert("displayName".into(), "NetSec Playground".into());
                Ok(Value::Object(m))
            }
            "tenant" => {
                let mut m = Map::new();
                m.insert("id".into(), format!("/tenants/{SUBSCRIPTION}").into());
                m.insert("tenantId".into(), SUBSCRIPTION.into());
                m.insert("displayName".into(), "NetSec Playground".into());
                Ok(Value::Object(m))
            }
            "deployment" => {
                let mut m = Map::new();
                m.insert("name".into(), "netsec-import".into());
                m.insert("location".into(), LOCATION.into());
                let mut props = Map::new();
                props.insert("mode".into(), "Incremental".into());
                m.insert("properties".into(), Value::Object(props));
                Ok(Value::Object(m))
            }
            "environment" => {
                s.assume_once(
                    "env",
                    "environment() is taken to be Azure's public cloud (AzureCloud)",
                );
                Ok(serde_json::json!({
                    "name": "AzureCloud",
                    "gallery": "https://gallery.azure.com/",
                    "graph": "https://graph.windows.net/",
                    "portal": "https://portal.azure.com",
                    "graphAudience": "https://graph.windows.net/",
                    "activeDirectoryDataLake": "https://datalake.azure.net/",
                    "batch": "https://batch.core.windows.net/",
                    "media": "https://rest.media.azure.net",
                    "sqlManagement": "https://management.core.windows.net:8443/",
                    "vmImageAliasDoc": "https://raw.githubusercontent.com/Azure/azure-rest-api-specs/main/arm-compute/quickstart-templates/aliases.json",
                    "resourceManager": "https://management.azure.com/",
                    "authentication": {
                        "loginEndpoint": "https://login.microsoftonline.com/",
                        "audiences": ["https://management.core.windows.net/", "https://management.azure.com/"],
                        "tenant": "common",
                        "identityProvider": "AAD"
                    },
                    "suffixes": {
                        "acrLoginServer": ".azurecr.io",
                        "azureDatalakeAnalyticsCatalogAndJob": "azuredatalakeanalytics.net",
                        "azureDatalakeStoreFileSystem": "azuredatalakestore.net",
                        "azureFrontDoorEndpointSuffix": "azurefd.net",
                        "keyvaultDns": ".vault.azure.net",
                        "sqlServerHostname": ".database.windows.net",
                        "storage": "core.windows.net"
                    }
                }))
            }
            "managementgroup" => Err(Fail::Unresolved(String::from(
                "managementGroup() describes a management group, which an offline import cannot see",
            ))),
            "resourceid"
            | "subscriptionresourceid"
            | "tenantresourceid"
            | "extensionresourceid"
            | "managementgroupresourceid" => {
                let a = self.args(s, args, env)?;
                self.resource_id(name, &a)
            }
            "reference" => Err(Fail::Unresolved(String::from(
                "reference() reads the live state of a deployed resource, which an offline import cannot see",
            ))),
            "providers" => Err(Fail::Unresolved(String::from(
                "providers() asks Azure about resource providers",
            ))),
            "pickzones" => {
                let a = self.args(s, args, env)?;
                func::arity(name, &a, 3, 5)?;
                let region = to_text(&a[2]);
                let count = match a.get(3) {
                    Some(v) => to_int(v)?.clamp(0, 3),
                    None => 1,
                };
                let has = netsec_engine::region::lookup(&region).is_some_and(|r| r.has_zones);
                s.assume_once(
                    &format!("zones-{region}"),
                    format!(
                        "pickZones() for {region} is answered from the playground's region table ({})",
                        if has { "zones 1-3" } else { "no zones" }
                    ),
                );
                Ok(Value::Array(if has {
                    (1..=count).map(|z| Value::String(z.to_string())).collect()
                } else {
                    Vec::new()
                }))
            }
            "newguid" | "utcnow" => Err(Fail::Unresolved(format!(
                "{name}() gives a new value at every deployment"
            ))),
            "uniquestring" | "guid" => {
                let a = self.args(s, args, env)?;
                if a.is_empty() {
                    return Err(fatal(format!("{name} needs at least one argument")));
                }
                let joined = a.iter().map(to_text).collect::<Vec<_>>().join("-");
                s.assume_once(
                    "hash",
                    "uniqueString() and guid() give deterministic stand-ins here: Azure's values depend on the real subscription and resource group",
                );
                let h1 = func::hash64(&joined, 0);
                if name == "guid" {
                    let h2 = func::hash64(&joined, 0x9e37_79b9_7f4a_7c15);
                    let b = [h1.to_be_bytes(), h2.to_be_bytes()].concat();
                    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
                    return Ok(Value::String(format!(
                        "{}-{}-{}-{}-{}",
                        hex.get(0..8).unwrap_or(""),
                        hex.get(8..12).unwrap_or(""),
                        hex.get(12..16).unwrap_or(""),
                        hex.get(16..20).unwrap_or(""),
                        hex.get(20..32).unwrap_or("")
                    )));
                }
                const ALPHABET: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";
                let out: String = (0..13)
                    .map(|k| {
                        let shift = 64u32.saturating_sub(5 * (k + 1));
                        char::from(ALPHABET[((h1 >> shift) & 31) as usize])
                    })
                    .collect();
                Ok(Value::String(out))
            }
            _ => Err(fatal(format!("unknown template function '{name}'"))),
        }
    }

    fn lambda_call(&mut self, s: &mut Session, name: &str, args: &[Expr], env: &Env) -> R {
        /// The parameter names and body of a `lambda(...)` argument.
        fn lambda_of<'e>(
            e: Option<&'e Expr>,
            fname: &str,
        ) -> Result<(Vec<String>, &'e Expr), Fail> {
            match e {
                Some(Expr::Call(n, a)) if n == "lambda" && !a.is_empty() => {
                    let (body, names) = a.split_last().ok_or_else(|| fatal("empty lambda"))?;
                    let names = names
                        .iter()
                        .map(|x| match x {
                            Expr::Str(s) => Ok(s.clone()),
                            _ => Err(fatal("lambda parameter names are quoted strings")),
                        })
                        .collect::<Result<Vec<_>, _>>()?;
                    Ok((names, body))
                }
                _ => Err(fatal(format!("{fname} needs a lambda(...) argument"))),
            }
        }
        let run = |this: &mut Self,
                   s: &mut Session,
                   names: &[String],
                   body: &Expr,
                   vals: Vec<Value>|
         -> R {
            let mut inner = env.clone();
            for (n, v) in names.iter().zip(vals) {
                inner.lambdas.push((n.clone(), v));
            }
            this.eval(s, body, &inner)
        };
        match name {
            "reduce" => {
                if args.len() != 3 {
                    return Err(fatal(
                        "reduce takes an array, an initial value and a lambda",
                    ));
                }
                let arr = self.eval(s, &args[0], env)?;
                let mut acc = self.eval(s, &args[1], env)?;
                let (names, body) = lambda_of(args.get(2), name)?;
                for (i, x) in as_array(name, &arr)?.iter().enumerate() {
                    acc = run(
                        self,
                        s,
                        &names,
                        body,
                        vec![acc, x.clone(), Value::from(i as i64)],
                    )?;
                }
                Ok(acc)
            }
            "mapvalues" => {
                let obj = self.eval(
                    s,
                    args.first()
                        .ok_or_else(|| fatal("mapValues needs an object"))?,
                    env,
                )?;
                let (names, body) = lambda_of(args.get(1), name)?;
                let mut out = Map::new();
                for (k, v) in func::as_object(name, &obj)? {
                    out.insert(k.clone(), run(self, s, &names, body, vec![v.clone()])?);
                }
                Ok(Value::Object(out))
            }
            _ => {
                let arr = self.eval(
                    s,
                    args.first()
                        .ok_or_else(|| fatal(format!("{name} needs an array")))?,
                    env,
                )?;
                let items = as_array(name, &arr)?.clone();
                let (names, body) = lambda_of(args.get(1), name)?;
                match name {
                    "map" => {
                        let mut out = Vec::new();
                        for (i, x) in items.into_iter().enumerate() {
                            out.push(run(self, s, &names, body, vec![x, Value::from(i as i64)])?);
                        }
                        Ok(Value::Array(out))
                    }
                    "filter" => {
                        let mut out = Vec::new();
                        for (i, x) in items.into_iter().enumerate() {
                            let keep = run(
                                self,
                                s,
                                &names,
                                body,
                                vec![x.clone(), Value::from(i as i64)],
                            )?;
                            if func::as_bool(name, &keep)? {
                                out.push(x);
                            }
                        }
                        Ok(Value::Array(out))
                    }
                    "sort" => {
                        // Insertion sort with the lambda as "less than": stable and
                        // needs no panicking comparator. Arrays here are small.
                        let mut out: Vec<Value> = Vec::new();
                        for x in items {
                            let mut pos = out.len();
                            for (k, y) in out.iter().enumerate() {
                                let less = run(self, s, &names, body, vec![x.clone(), y.clone()])?;
                                if func::as_bool(name, &less)? {
                                    pos = k;
                                    break;
                                }
                            }
                            out.insert(pos, x);
                        }
                        Ok(Value::Array(out))
                    }
                    "groupby" => {
                        let mut out = Map::new();
                        for x in items {
                            let k = to_text(&run(self, s, &names, body, vec![x.clone()])?);
                            if let Value::Array(list) =
                                out.entry(k).or_insert_with(|| Value::Array(Vec::new()))
                            {
                                list.push(x);
                            }
                        }
                        Ok(Value::Object(out))
                    }
                    _ => {
                        // toObject(array, keyLambda, [valueLambda])
                        let value_lambda = match args.get(2) {
                            Some(e) => Some(lambda_of(Some(e), name)?),
                            None => None,
                        };
                        let mut out = Map::new();
                        for x in items {
                            let k = to_text(&run(self, s, &names, body, vec![x.clone()])?);
                            let v = match &value_lambda {
                                Some((vn, vb)) => run(self, s, vn, vb, vec![x])?,
                                None => x,
                            };
                            out.insert(k, v);
                        }
                        Ok(Value::Object(out))
                    }
                }
            }
        }
    }

    fn user_function(&mut self, s: &mut Session, name: &str, args: Vec<Value>) -> R {
        let Some((def, path)) = self.funcs.get(name).cloned() else {
            return Err(fatal(format!("unknown function '{name}'")));
        };
        let params: Vec<String> = def
            .as_object()
            .and_then(|o| get_ci(o, "parameters"))
            .and_then(Value::as_array)
            .map(|ps| {
                ps.iter()
                    .filter_map(|p| {
                        p.as_object()
                            .and_then(|o| get_ci(o, "name"))
                            .and_then(Value::as_str)
                    })
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default();
        if params.len() != args.len() {
            return Err(fatal(format!(
                "function '{name}' takes {} argument{}, not {}",
                params.len(),
                if params.len() == 1 { "" } else { "s" },
                args.len()
            )));
        }
        let Some(output) = def
            .as_object()
            .and_then(|o| get_ci(o, "output"))
            .and_then(Value::as_object)
            .and_then(|o| get_ci(o, "value"))
        else {
            return Err(Fail::Fatal(
                Some(path),
                format!("function '{name}' has no output value"),
            ));
        };
        if self.stack.len() > MAX_NESTING {
            return Err(fatal(format!("function '{name}' calls itself too deeply")));
        }
        let env = Env {
            fn_args: Some(Rc::new(params.into_iter().zip(args).collect())),
            ..Env::default()
        };
        self.stack.push(format!("function {name}"));
        let out = self.eval_json(s, output, &path_key(&path, "output"), &env, Mode::Strict);
        self.stack.pop();
        out
    }

    fn resource_id(&self, name: &str, a: &[Value]) -> R {
        let texts: Vec<String> = a.iter().map(to_text).collect();
        if name == "extensionresourceid" {
            let (scope, rest) = texts.split_first().ok_or_else(|| {
                fatal("extensionResourceId needs a resource id, a type and names")
            })?;
            let tail = type_and_names(name, rest)?;
            return Ok(Value::String(format!(
                "{}/providers/{tail}",
                scope.trim_end_matches('/')
            )));
        }
        let pos = texts.iter().position(|t| t.contains('/')).ok_or_else(|| {
            fatal(format!(
                "{name} needs a resource type such as 'Microsoft.Network/virtualNetworks'"
            ))
        })?;
        let (before, rest) = texts.split_at(pos);
        let tail = type_and_names(name, rest)?;
        let id = match name {
            "resourceid" => {
                let (sub, rg) = match before {
                    [] => (self.sub.clone(), self.rg.clone()),
                    [rg] => (self.sub.clone(), rg.clone()),
                    [sub, rg] => (sub.clone(), rg.clone()),
                    _ => {
                        return Err(fatal(
                            "resourceId takes at most a subscription id and a resource group before the type",
                        ));
                    }
                };
                format!("/subscriptions/{sub}/resourceGroups/{rg}/providers/{tail}")
            }
            "subscriptionresourceid" => {
                let sub = match before {
                    [] => self.sub.clone(),
                    [sub] => sub.clone(),
                    _ => {
                        return Err(fatal(
                            "subscriptionResourceId takes at most a subscription id before the type",
                        ));
                    }
                };
                format!("/subscriptions/{sub}/providers/{tail}")
            }
            "managementgroupresourceid" => {
                let mg = before
                    .first()
                    .cloned()
                    .unwrap_or_else(|| String::from("root"));
                format!("/providers/Microsoft.Management/managementGroups/{mg}/providers/{tail}")
            }
            _ => format!("/providers/{tail}"),
        };
        Ok(Value::String(id))
    }

    // ---- Parameters and variables -------------------------------------------

    /// A parameter's value (a function's argument inside a user-defined function).
    pub fn parameter(&mut self, s: &mut Session, name: &str, env: &Env) -> R {
        if let Some(fa) = &env.fn_args {
            return fa
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.clone())
                .ok_or_else(|| fatal(format!("the function has no parameter '{name}'")));
        }
        let key = name.to_ascii_lowercase();
        if let Some(v) = self.param_memo.get(&key) {
            let v = v.clone();
            if let Ok(x) = &v {
                s.charge(weight(x, 1_000_000))?;
            }
            return v;
        }
        let Some(decl) = self.params.get(&key).cloned() else {
            let known: Vec<&str> = self
                .params
                .values()
                .map(|d| d.name.as_str())
                .take(12)
                .collect();
            return Err(fatal(format!(
                "the template declares no parameter '{name}' (parameters: {})",
                if known.is_empty() {
                    String::from("none")
                } else {
                    known.join(", ")
                }
            )));
        };
        let tag = format!("parameter {}", decl.name);
        if self.stack.contains(&tag) {
            return Err(fatal(format!(
                "parameter '{}' is circular: its default value refers back to it",
                decl.name
            )));
        }
        let value = match self.given.get(&key).cloned() {
            Some(Given::Value(v)) => Ok(v),
            Some(Given::Unresolved(why)) => Err(Fail::Unresolved(why)),
            None => match decl.default {
                Some((d, path)) => {
                    self.stack.push(tag);
                    let v = self.eval_json(s, d, &path, &Env::default(), Mode::Strict);
                    self.stack.pop();
                    v
                }
                None if decl.nullable => Ok(Value::Null),
                None => self.placeholder(s, &decl),
            },
        };
        self.param_memo.insert(key, value.clone());
        value
    }

    /// The value of a parameter that has no default and was not given.
    fn placeholder(&mut self, s: &mut Session, decl: &ParamDecl<'_>) -> R {
        let path = path_key(&path_key(&self.base, "parameters"), &decl.name);
        if let Some(first) = decl.allowed.and_then(|a| a.first()) {
            s.report.assumptions.push(format!(
                "{path}: parameter '{}' has no default value and none was given; its first allowed value {} is used",
                decl.name, first
            ));
            return Ok(first.clone());
        }
        match decl.ty.as_str() {
            "string" | "securestring" => {
                let value = decl.name.clone();
                s.report.assumptions.push(format!(
                    "{path}: parameter '{}' has no default value and none was given; the placeholder '{value}' is used (give real values with --parameters)",
                    decl.name
                ));
                s.placeholders.insert(value.clone());
                Ok(Value::String(value))
            }
            ty => Err(Fail::Fatal(
                None,
                format!(
                    "parameter '{}' ({ty}) has no default value and no value was given; give it in a parameters file (--parameters FILE)",
                    decl.name
                ),
            )),
        }
    }

    /// A variable's value.
    pub fn variable(&mut self, s: &mut Session, name: &str) -> R {
        let key = name.to_ascii_lowercase();
        if let Some(v) = self.var_memo.get(&key) {
            let v = v.clone();
            if let Ok(x) = &v {
                s.charge(weight(x, 1_000_000))?;
            }
            return v;
        }
        let Some(decl) = self.vars.get(&key).cloned() else {
            let mut known: Vec<&str> = self.vars.keys().map(String::as_str).collect();
            known.sort_unstable();
            known.truncate(12);
            return Err(fatal(format!(
                "the template declares no variable '{name}' (variables: {})",
                if known.is_empty() {
                    String::from("none")
                } else {
                    known.join(", ")
                }
            )));
        };
        let tag = format!("variable {name}");
        if let Some(start) = self.stack.iter().position(|t| t.eq_ignore_ascii_case(&tag)) {
            let mut chain: Vec<String> = self
                .stack
                .iter()
                .skip(start)
                .filter_map(|t| t.strip_prefix("variable ").map(String::from))
                .collect();
            chain.push(name.to_string());
            let path = match &decl {
                VarDecl::Plain(_, p) | VarDecl::Copy(_, p) => p.clone(),
            };
            return Err(Fail::Fatal(
                Some(path),
                format!("variable '{name}' is circular: {}", chain.join(" → ")),
            ));
        }
        if self.stack.len() > MAX_NESTING {
            return Err(fatal(format!(
                "variables refer to each other more than {MAX_NESTING} levels deep"
            )));
        }
        self.stack.push(tag);
        let value = match &decl {
            VarDecl::Plain(v, path) => self.eval_json(s, v, path, &Env::default(), Mode::Strict),
            VarDecl::Copy(item, path) => self.variable_copy(s, item, path, &key),
        };
        self.stack.pop();
        self.var_memo.insert(key, value.clone());
        value
    }

    fn variable_copy(&mut self, s: &mut Session, item: &Value, path: &str, key: &str) -> R {
        let o = item.as_object().ok_or_else(|| {
            Fail::Fatal(
                Some(path.to_string()),
                String::from("a copy element is an object"),
            )
        })?;
        let count = self.copy_count(
            s,
            get_ci(o, "count"),
            &path_key(path, "count"),
            &Env::default(),
        )?;
        let input = get_ci(o, "input").ok_or_else(|| {
            Fail::Fatal(
                Some(path.to_string()),
                String::from("the copy element has no input"),
            )
        })?;
        let ipath = path_key(path, "input");
        let mut out = Vec::new();
        for i in 0..count {
            let env = Env {
                loops: vec![(key.to_string(), i)],
                ..Env::default()
            };
            out.push(self.eval_json(s, input, &ipath, &env, Mode::Strict)?);
        }
        Ok(Value::Array(out))
    }
}

/// `Microsoft.Network/virtualNetworks/subnets` and `vnet`, `web` →
/// `Microsoft.Network/virtualNetworks/vnet/subnets/web`.
fn type_and_names(fname: &str, rest: &[String]) -> Result<String, Fail> {
    let (ty, names) = rest
        .split_first()
        .ok_or_else(|| fatal(format!("{fname} needs a resource type")))?;
    let segs: Vec<&str> = ty.split('/').filter(|x| !x.is_empty()).collect();
    let names: Vec<&str> = names
        .iter()
        .flat_map(|n| n.split('/'))
        .filter(|x| !x.is_empty())
        .collect();
    let Some((ns, types)) = segs.split_first() else {
        return Err(fatal(format!("{fname}: '{ty}' is not a resource type")));
    };
    if types.len() != names.len() {
        return Err(fatal(format!(
            "{fname}: type '{ty}' needs {} name{}, but {} {} given",
            types.len(),
            if types.len() == 1 { "" } else { "s" },
            names.len(),
            if names.len() == 1 { "was" } else { "were" }
        )));
    }
    let mut out = (*ns).to_string();
    for (t, n) in types.iter().zip(names) {
        out.push('/');
        out.push_str(t);
        out.push('/');
        out.push_str(n);
    }
    Ok(out)
}

/// Whether an expression reads from an object only Azure fills in
/// (`deployment().properties.templateLink`, `reference(...)`).
fn runtime_root(e: &Expr) -> bool {
    match e {
        Expr::Member(b, _) | Expr::Index(b, _) => runtime_root(b),
        Expr::Call(n, _) => {
            matches!(
                n.as_str(),
                "deployment" | "reference" | "environment" | "managementgroup"
            ) || n.starts_with("list")
        }
        _ => false,
    }
}

/// Sets the location of a fatal failure that has none yet.
pub(crate) fn at(f: Fail, path: &str) -> Fail {
    match f {
        Fail::Fatal(None, m) => Fail::Fatal(Some(path.to_string()), m),
        other => other,
    }
}

/// An expression shortened for a message.
pub(crate) fn clip_expr(text: &str) -> String {
    let n = text.chars().count();
    if n <= 90 {
        return text.to_string();
    }
    let cut: String = text.chars().take(87).collect();
    format!("{cut}…")
}
