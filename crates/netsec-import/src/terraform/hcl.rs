//! Terraform `.tf` source: parsed with `hcl-edit` (which keeps every
//! expression's place in the text) and evaluated here.
//!
//! Evaluated: `variable` defaults and `.tfvars` values, `locals`, references
//! between resources (`azurerm_subnet.web.id`, the id Azure would give it),
//! `data` sources (their arguments and id), `count` and `for_each` over known
//! collections, `dynamic` blocks, `for` expressions, splats, conditionals,
//! string templates and the common built-in functions. Values Terraform only
//! knows after `apply` (a dynamic public address, `file()`, `timestamp()`)
//! stay unknown; the converter reports them where it needs them.

use std::collections::{BTreeMap, HashMap, HashSet};

use hcl_edit::expr::{
    BinaryOperator, Expression, ForExpr, ObjectKey, TraversalOperator, UnaryOperator,
};
use hcl_edit::structure::{Attribute, Block, Body, Structure};
use hcl_edit::template::{Directive, Element, Template};
use hcl_edit::{Ident, Span};

use super::value::{self, V};
use super::{Instance, Origin, synth_id};
use crate::{ImportError, ImportReport};

/// How much work evaluating a configuration may take.
const BUDGET: u64 = 50_000_000;
/// The most values all instances together may hold: 100 NSGs of 1,000 rules
/// are about 1.2 million (a value costs a few hundred bytes in memory).
const MAX_RETAINED: u64 = 3_000_000;
/// How deep locals and resources may refer to each other.
const MAX_NESTING: usize = 60;
/// How deep evaluation may nest in all: far deeper than real
/// configurations, shallow enough for a 1 MB stack.
const MAX_DEPTH: usize = 120;
/// The most instances `count` may make.
const MAX_COUNT: i64 = 10_000;

/// An evaluation error: where (a byte offset), and what.
#[derive(Clone, Debug)]
pub(crate) struct Error {
    at: Option<usize>,
    msg: String,
    /// Where, already written out, for an error inside a module (whose
    /// offsets are in another file's text).
    loc: Option<String>,
}

fn err(at: Option<usize>, msg: impl Into<String>) -> Error {
    Error {
        at,
        msg: msg.into(),
        loc: None,
    }
}

impl From<ImportError> for Error {
    fn from(e: ImportError) -> Self {
        Error {
            at: None,
            msg: e.message().to_string(),
            loc: Some(e.location().to_string()),
        }
    }
}

type R = Result<V, Error>;

/// Lines of the text, to turn byte offsets into line and column.
pub(crate) struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
    /// For files joined into one text: (index of the file's first line,
    /// the file's path); empty for a single text.
    files: Vec<(usize, String)>,
}

impl<'a> Lines<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Self {
            text,
            starts,
            files: Vec::new(),
        }
    }

    /// `line L, column C` of a byte offset, `PATH: line L, column C` when
    /// the text is files joined.
    pub fn at(&self, offset: usize) -> String {
        let line = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let start = self.starts.get(line).copied().unwrap_or(0);
        let col = self
            .text
            .get(start..offset.min(self.text.len()))
            .map_or(1, |s| s.chars().count() + 1);
        match self.files.iter().rev().find(|(first, _)| *first <= line) {
            Some((first, path)) => format!("{path}: line {}, column {col}", line - first + 1),
            None => format!("line {}, column {col}", line + 1),
        }
    }
}

/// One directory of a configuration: its `.tf` files joined, with where
/// each begins. `dir` is relative to the root (`""`, `modules/vnet`).
pub(crate) struct Unit {
    pub dir: String,
    pub text: String,
    /// (index of the file's first line in `text`, the file's path).
    pub files: Vec<(usize, String)>,
}

impl Unit {
    /// Groups files (paths relative to the root, `/`-separated) by
    /// directory, each directory's files in name order.
    pub fn from_files(files: &[crate::TerraformFile]) -> Vec<Unit> {
        let mut sorted: Vec<&crate::TerraformFile> = files.iter().collect();
        sorted.sort_by(|a, b| a.path.cmp(&b.path));
        let mut units: Vec<Unit> = Vec::new();
        for f in sorted {
            let dir = f.path.rsplit_once('/').map_or("", |(d, _)| d).to_string();
            let i = match units.iter().position(|u| u.dir == dir) {
                Some(i) => i,
                None => {
                    units.push(Unit {
                        dir,
                        text: String::new(),
                        files: Vec::new(),
                    });
                    units.len() - 1
                }
            };
            let u = &mut units[i];
            let part = f.text.strip_prefix('\u{feff}').unwrap_or(&f.text);
            let first = u.text.matches('\n').count();
            u.files.push((first, f.path.clone()));
            u.text.push_str(part);
            u.text.push('\n');
        }
        units
    }
}

/// A unit, parsed (or why it cannot be), with its lines.
struct Parsed<'t> {
    dir: &'t str,
    body: Result<Body, ImportError>,
    lines: Lines<'t>,
}

/// The directory `source` names from `dir`, normalised (`./a/../b` → `b`),
/// or `None` when it leaves the root.
fn module_dir(dir: &str, source: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for p in source.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

struct ResDecl<'a> {
    mode: &'static str,
    ty: String,
    name: String,
    block: &'a Block,
}

/// What reading a configuration gives: its resource instances (the
/// modules' with their `module.NAME.` addresses), the report, and the
/// placeholders made up for variables without a value.
type Read = (Vec<Instance>, ImportReport, HashSet<String>);

/// Reads the `.tf` text (one file, or several joined) into resource
/// instances. Its `module` blocks are reported, not read: there are no
/// module directories.
pub(crate) fn read(text: &str, tfvars: Option<&str>) -> Result<Read, ImportError> {
    let lines = Lines::new(text);
    let body = parse(text, &lines)?;
    let parsed = [Parsed {
        dir: "",
        body: Ok(body),
        lines,
    }];
    evaluate(&parsed, tfvars)
}

/// Reads a configuration directory: the root module is the unit with
/// `dir` `""`; the others are the local modules its `module` blocks may
/// call (one whose files do not parse is an error only once it is called).
pub(crate) fn read_units(units: &[Unit], tfvars: Option<&str>) -> Result<Read, ImportError> {
    let parsed: Vec<Parsed<'_>> = units
        .iter()
        .map(|u| {
            let mut lines = Lines::new(&u.text);
            lines.files.clone_from(&u.files);
            let body = parse(&u.text, &lines);
            Parsed {
                dir: &u.dir,
                body,
                lines,
            }
        })
        .collect();
    evaluate(&parsed, tfvars)
}

/// Parses one text; a syntax error at its line and column (in its file).
fn parse(text: &str, lines: &Lines<'_>) -> Result<Body, ImportError> {
    hcl_edit::parser::parse_body(text).map_err(|e| {
        let loc = e.location();
        let at = lines
            .starts
            .get(loc.line().saturating_sub(1))
            .map_or_else(
                || format!("line {}, column {}", loc.line(), loc.column()),
                |&line_start| {
                    // The column counts characters; the offset is bytes.
                    let offset = text
                        .get(line_start..)
                        .and_then(|rest| rest.char_indices().nth(loc.column().saturating_sub(1)))
                        .map_or(line_start, |(i, _)| line_start + i);
                    lines.at(offset)
                },
            );
        if let Some((column, number)) = huge_number_near(text, loc.line(), loc.column()) {
            let line_part = at.rsplit_once(", column ").map_or(at.as_str(), |(l, _)| l);
            return ImportError::new(
                format!("{line_part}, column {column}"),
                format!(
                    "the number {number} is too large to read (numbers here go up to about 1.8e308, and no Azure setting takes one this large)"
                ),
            );
        }
        ImportError::new(at, format!("this is not valid Terraform (HCL): {}", e.message()))
    })
}

/// Evaluates the root module (and, through its `module` blocks, the local
/// modules) into instances.
fn evaluate(parsed: &[Parsed<'_>], tfvars: Option<&str>) -> Result<Read, ImportError> {
    let Some(root) = parsed.iter().find(|p| p.dir.is_empty()) else {
        return Err(ImportError::new(
            "line 1, column 1",
            "the directory has no .tf files of its own (only in subdirectories, which are modules)",
        ));
    };
    let body = root.body.as_ref().map_err(Clone::clone)?;
    let given = match tfvars {
        Some(t) => read_tfvars(t)?,
        None => HashMap::new(),
    };
    let mut ctx = Ctx::new(&root.lines, given, "", String::new(), parsed, 0, BUDGET);
    ctx.declare(body)?;
    ctx.evaluate_all().map_err(|e| {
        ctx.error(e)
            .with_placeholder_hint(&ctx.placeholders, "variable", super::GIVE_VARIABLES)
    })?;
    let out = ctx.take_instances();
    Ok((out, ctx.report, ctx.placeholders))
}

/// A number literal that overflows `f64` where the parser stopped (it reads
/// `1e400` as `1` followed by junk): its 1-based column and text.
fn huge_number_near(text: &str, line: usize, column: usize) -> Option<(usize, String)> {
    let l = text.lines().nth(line.checked_sub(1)?)?;
    let chars: Vec<char> = l.chars().collect();
    let at = column.checked_sub(1)?.min(chars.len());
    let is_part = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '-');
    let mut start = at;
    while start > 0 && chars.get(start - 1).is_some_and(|c| is_part(*c)) {
        start -= 1;
    }
    let mut end = at;
    while chars.get(end).is_some_and(|c| is_part(*c)) {
        end += 1;
    }
    let word: String = chars.get(start..end)?.iter().collect();
    let number = word.trim_start_matches(['+', '-']);
    let looks_numeric =
        number.chars().next().is_some_and(|c| c.is_ascii_digit()) && number.contains(['e', 'E']);
    match number.parse::<f64>() {
        Ok(v) if looks_numeric && v.is_infinite() => Some((start + 1, word)),
        _ => None,
    }
}

/// A `.tfvars` file: HCL attributes, or a JSON object.
fn read_tfvars(text: &str) -> Result<HashMap<String, V>, ImportError> {
    const WHERE: &str = "variables file, ";
    if text.trim_start().starts_with('{') {
        let j: serde_json::Value = serde_json::from_str(text).map_err(|e| {
            let e = crate::scenario::json_error(&e, "");
            ImportError::new(format!("{WHERE}{}", e.location()), e.message())
        })?;
        let Some(o) = j.as_object() else {
            return Err(ImportError::new(
                format!("{WHERE}$"),
                "a .tfvars.json file is one object",
            ));
        };
        return Ok(o
            .iter()
            .map(|(k, v)| (k.clone(), V::from_json(v)))
            .collect());
    }
    let body = hcl_edit::parser::parse_body(text).map_err(|e| {
        let loc = e.location();
        ImportError::new(
            format!("{WHERE}line {}, column {}", loc.line(), loc.column()),
            format!("this is not a valid .tfvars file: {}", e.message()),
        )
    })?;
    let lines = Lines::new(text);
    let mut ctx = Ctx::new(&lines, HashMap::new(), "", String::new(), &[], 0, BUDGET);
    let mut out = HashMap::new();
    for s in body.iter() {
        match s {
            Structure::Attribute(a) => {
                let v = ctx.eval(&a.value, &Env::default()).map_err(|e| {
                    let loc = e.at.map_or_else(|| String::from("$"), |o| lines.at(o));
                    ImportError::new(format!("{WHERE}{loc}"), e.msg)
                })?;
                out.insert(a.key.as_str().to_string(), v);
            }
            Structure::Block(b) => {
                let loc = b
                    .span()
                    .map_or_else(|| String::from("line 1, column 1"), |s| lines.at(s.start));
                return Err(ImportError::new(
                    format!("{WHERE}{loc}"),
                    "a .tfvars file holds only `name = value` lines, not blocks",
                ));
            }
        }
    }
    Ok(out)
}

/// Names bound while evaluating: `count`, `each`, `for` variables, dynamic iterators.
#[derive(Clone, Debug, Default)]
struct Env {
    bindings: Vec<(String, V)>,
}

impl Env {
    fn with(&self, name: &str, v: V) -> Env {
        let mut e = self.clone();
        e.bindings.push((name.to_string(), v));
        e
    }
    fn get(&self, name: &str) -> Option<&V> {
        self.bindings
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
    }
}

struct Ctx<'a, 'l> {
    lines: &'l Lines<'l>,
    vars: HashMap<String, &'a Block>,
    given: HashMap<String, V>,
    var_memo: HashMap<String, V>,
    locals: HashMap<String, &'a Attribute>,
    local_memo: HashMap<String, R>,
    resources: Vec<ResDecl<'a>>,
    by_key: HashMap<(&'static str, String, String), usize>,
    res_memo: HashMap<usize, R>,
    instances: HashMap<usize, Vec<Instance>>,
    stack: Vec<String>,
    report: ImportReport,
    placeholders: HashSet<String>,
    budget: u64,
    /// The size of every instance made so far, modules included (in
    /// [`weight`] units), held to [`MAX_RETAINED`].
    retained: u64,
    depth: usize,
    /// This module's directory (`""` for the root) and the prefix of its
    /// resources' addresses (`module.net.`).
    dir: &'l str,
    prefix: String,
    /// Every directory of the configuration, for the modules this one calls.
    units: &'a [Parsed<'l>],
    /// How many modules deep this one is.
    module_depth: usize,
    modules: Vec<(&'a str, &'a Block)>,
    module_memo: HashMap<String, R>,
    /// The instances of the modules this one called (theirs included).
    module_instances: Vec<Instance>,
    outputs: Vec<&'a Block>,
    /// The directories of the modules that called this one, outermost first.
    chain: Vec<String>,
}

/// How deep modules may call modules.
const MAX_MODULE_DEPTH: usize = 8;

fn start(s: &impl Span) -> Option<usize> {
    s.span().map(|r| r.start)
}

fn label(b: &Block, i: usize) -> Option<&str> {
    b.labels.get(i).map(|l| l.as_str())
}

/// Attributes that steer Terraform itself rather than describe the resource.
const META: &[&str] = &["count", "for_each", "depends_on", "provider", "lifecycle"];
/// Nested blocks that steer Terraform itself.
const META_BLOCKS: &[&str] = &[
    "lifecycle",
    "provisioner",
    "connection",
    "timeouts",
    "precondition",
    "postcondition",
];

impl<'a, 'l> Ctx<'a, 'l> {
    #[allow(
        clippy::too_many_arguments,
        reason = "one constructor for the root, modules and .tfvars"
    )]
    fn new(
        lines: &'l Lines<'l>,
        given: HashMap<String, V>,
        dir: &'l str,
        prefix: String,
        units: &'a [Parsed<'l>],
        module_depth: usize,
        budget: u64,
    ) -> Self {
        Ctx {
            lines,
            vars: HashMap::new(),
            given,
            var_memo: HashMap::new(),
            locals: HashMap::new(),
            local_memo: HashMap::new(),
            resources: Vec::new(),
            by_key: HashMap::new(),
            res_memo: HashMap::new(),
            instances: HashMap::new(),
            stack: Vec::new(),
            report: ImportReport::default(),
            placeholders: HashSet::new(),
            budget,
            retained: 0,
            depth: 0,
            dir,
            prefix,
            units,
            module_depth,
            modules: Vec::new(),
            module_memo: HashMap::new(),
            module_instances: Vec::new(),
            outputs: Vec::new(),
            chain: Vec::new(),
        }
    }

    fn error(&self, e: Error) -> ImportError {
        if let Some(loc) = e.loc {
            return ImportError::new(loc, e.msg);
        }
        let loc =
            e.at.map_or_else(|| String::from("line 1, column 1"), |o| self.lines.at(o));
        ImportError::new(loc, e.msg)
    }

    /// Evaluates every resource of this module, then every module it calls.
    fn evaluate_all(&mut self) -> Result<(), Error> {
        for i in 0..self.resources.len() {
            if self.resources.get(i).is_some_and(|r| r.mode == "resource") {
                self.resource(i)?;
            }
        }
        let names: Vec<&str> = self.modules.iter().map(|(n, _)| *n).collect();
        for n in names {
            self.module(n, None)?;
        }
        Ok(())
    }

    /// This module's instances, in declaration order, then its modules'.
    fn take_instances(&mut self) -> Vec<Instance> {
        let mut out = Vec::new();
        for i in 0..self.resources.len() {
            if let Some(list) = self.instances.remove(&i) {
                out.extend(list);
            }
        }
        out.append(&mut self.module_instances);
        out
    }

    /// `module.NAME`: its outputs (a list or map of them for a module with
    /// `count` or `for_each`), evaluating the module the first time. A
    /// module from anywhere but a local directory is unknown (reported when
    /// declared).
    fn module(&mut self, name: &str, at: Option<usize>) -> R {
        if let Some(v) = self.module_memo.get(name) {
            return v.clone();
        }
        let Some(&(_, block)) = self.modules.iter().find(|(n, _)| *n == name) else {
            return Err(err(
                at,
                format!("module.{name} is not declared in this configuration"),
            ));
        };
        let v = self.call_module(name, block);
        self.module_memo.insert(name.to_string(), v.clone());
        v
    }

    fn call_module(&mut self, name: &str, block: &'a Block) -> R {
        let source = block
            .body
            .get_attribute("source")
            .and_then(|a| a.value.as_str())
            .unwrap_or_default();
        let local = source.starts_with("./") || source.starts_with("../");
        let unit = module_dir(self.dir, source)
            .filter(|_| local)
            .and_then(|d| self.units.iter().find(|u| u.dir == d));
        let Some(unit) = unit else {
            return Ok(V::unknown(format!(
                "module.{name} is not read, so its outputs are unknown"
            )));
        };
        if self.chain.iter().any(|d| d == unit.dir) || unit.dir == self.dir {
            return Err(err(
                start(block),
                format!(
                    "module.{name} calls '{}', a directory it is itself called from, so the calls would never end",
                    if unit.dir.is_empty() { "." } else { unit.dir }
                ),
            ));
        }
        if self.module_depth >= MAX_MODULE_DEPTH {
            return Err(err(
                start(block),
                format!("modules call modules more than {MAX_MODULE_DEPTH} deep (module.{name})"),
            ));
        }
        let body = unit.body.as_ref().map_err(|e| Error::from(e.clone()))?;
        let env = Env::default();
        // The instances: one, or one per count index or for_each key.
        let keys: Vec<(String, Env)> = if let Some(c) = block.body.get_attribute("count") {
            let n = self.eval(&c.value, &env)?;
            let n = value::to_num(&n).map_err(|m| err(start(&c.value), format!("count: {m}")))?;
            if n.fract() != 0.0 || !(0.0..=MAX_COUNT as f64).contains(&n) {
                return Err(err(
                    start(&c.value),
                    format!("count must be a whole number from 0 to {MAX_COUNT}"),
                ));
            }
            (0..n as i64)
                .map(|k| {
                    let mut idx = BTreeMap::new();
                    idx.insert(String::from("index"), V::Num(k as f64));
                    (format!("[{k}]"), env.with("count", V::Map(idx)))
                })
                .collect()
        } else if let Some(f) = block.body.get_attribute("for_each") {
            let items = match self.eval(&f.value, &env)? {
                V::Map(m) => m.into_iter().collect::<Vec<_>>(),
                V::List(l) => l
                    .into_iter()
                    .filter_map(|x| Some((value::to_string(&x).ok()?, x)))
                    .collect(),
                _ => Vec::new(),
            };
            items
                .into_iter()
                .map(|(k, v)| {
                    let mut each = BTreeMap::new();
                    each.insert(String::from("key"), V::Str(k.clone()));
                    each.insert(String::from("value"), v);
                    let key_text = serde_json::Value::String(k).to_string();
                    (format!("[{key_text}]"), env.with("each", V::Map(each)))
                })
                .collect()
        } else {
            vec![(String::new(), env)]
        };
        let counted = block.body.get_attribute("count").is_some();
        let mut results: Vec<(String, V)> = Vec::new();
        for (key, env) in keys {
            let mut given = HashMap::new();
            for a in block.body.attributes() {
                let k = a.key.as_str();
                if META.contains(&k) || matches!(k, "source" | "version" | "providers") {
                    continue;
                }
                given.insert(k.to_string(), self.eval(&a.value, &env)?);
            }
            let prefix = format!("{}module.{name}{key}.", self.prefix);
            let mut child = Ctx::new(
                &unit.lines,
                given,
                unit.dir,
                prefix,
                self.units,
                self.module_depth + 1,
                self.budget,
            );
            child.depth = self.depth;
            child.retained = self.retained;
            child.chain = self.chain.clone();
            child.chain.push(self.dir.to_string());
            child.declare(body).map_err(Error::from)?;
            let outcome = child.evaluate_all().and_then(|()| child.output_values());
            self.budget = child.budget;
            self.retained = child.retained;
            let outputs = outcome.map_err(|e| Error::from(child.error(e)))?;
            self.module_instances.extend(child.take_instances());
            self.report.imported.extend(child.report.imported);
            self.report.skipped.extend(child.report.skipped);
            self.report.assumptions.extend(child.report.assumptions);
            self.placeholders.extend(child.placeholders);
            results.push((key, outputs));
        }
        Ok(if block.body.get_attribute("for_each").is_some() {
            V::Map(
                results
                    .into_iter()
                    .map(|(k, v)| {
                        let k = k.trim_start_matches('[').trim_end_matches(']');
                        (serde_json::from_str::<String>(k).unwrap_or_default(), v)
                    })
                    .collect(),
            )
        } else if counted {
            V::List(results.into_iter().map(|(_, v)| v).collect())
        } else {
            results.pop().map_or(V::Null, |(_, v)| v)
        })
    }

    /// A module's `output` values, by name.
    fn output_values(&mut self) -> R {
        let mut out = BTreeMap::new();
        for b in self.outputs.clone() {
            let (Some(n), Some(v)) = (label(b, 0), b.body.get_attribute("value")) else {
                continue;
            };
            out.insert(n.to_string(), self.eval(&v.value, &Env::default())?);
        }
        Ok(V::Map(out))
    }

    fn charge(&mut self, units: u64, at: Option<usize>) -> Result<(), Error> {
        if self.budget < units {
            self.budget = 0;
            return Err(err(
                at,
                "evaluating the configuration takes too much work: its expressions grow without bound",
            ));
        }
        self.budget -= units;
        Ok(())
    }

    /// Indexes the top-level blocks.
    fn declare(&mut self, body: &'a Body) -> Result<(), ImportError> {
        for s in body.iter() {
            let Structure::Block(b) = s else {
                let at = start(s);
                return Err(self.error(err(
                    at,
                    "a Terraform file holds blocks (resource, variable, locals, ...), not attributes at the top level; is this a .tfvars file? give it with --parameters",
                )));
            };
            match b.ident.as_str() {
                "variable" => {
                    if let Some(n) = label(b, 0) {
                        self.vars.insert(n.to_string(), b);
                    }
                }
                "locals" => {
                    for a in b.body.attributes() {
                        self.locals.insert(a.key.as_str().to_string(), a);
                    }
                }
                "resource" | "data" => {
                    let mode: &'static str = if b.ident.as_str() == "resource" {
                        "resource"
                    } else {
                        "data"
                    };
                    let (Some(ty), Some(name)) = (label(b, 0), label(b, 1)) else {
                        return Err(self.error(err(
                            start(b),
                            format!("a {mode} block needs two labels: {mode} \"TYPE\" \"NAME\""),
                        )));
                    };
                    let key = (mode, ty.to_string(), name.to_string());
                    if self.by_key.contains_key(&key) {
                        return Err(self.error(err(
                            start(b),
                            format!(
                                "{}{ty}.{name} is declared twice",
                                if mode == "data" { "data." } else { "" }
                            ),
                        )));
                    }
                    self.by_key.insert(key, self.resources.len());
                    self.resources.push(ResDecl {
                        mode,
                        ty: ty.to_string(),
                        name: name.to_string(),
                        block: b,
                    });
                }
                "module" => {
                    let Some(name) = label(b, 0) else {
                        return Err(self.error(err(
                            start(b),
                            "a module block needs a label: module \"NAME\"",
                        )));
                    };
                    if self.modules.iter().any(|(n, _)| *n == name) {
                        return Err(
                            self.error(err(start(b), format!("module.{name} is declared twice")))
                        );
                    }
                    self.modules.push((name, b));
                    let source = b
                        .body
                        .get_attribute("source")
                        .and_then(|a| a.value.as_str())
                        .unwrap_or_default();
                    let address = format!("{}module.{name}", self.prefix);
                    if !(source.starts_with("./") || source.starts_with("../")) {
                        self.report.skip(
                            address,
                            format!("module source '{source}' is not a local directory, so it is not read: its resources are missing (load the plan, terraform show -json, which includes them)"),
                        );
                    } else if module_dir(self.dir, source)
                        .is_none_or(|d| !self.units.iter().any(|u| u.dir == d))
                    {
                        self.report.skip(
                            address,
                            format!("its source '{source}' is not among the files read (import the configuration's directory, which holds it)"),
                        );
                    }
                }
                "output" => self.outputs.push(b),
                _ => {}
            }
        }
        Ok(())
    }

    // ---- Variables and locals ------------------------------------------------

    fn variable(&mut self, name: &str, at: Option<usize>) -> R {
        if let Some(v) = self.var_memo.get(name) {
            return Ok(v.clone());
        }
        let v = if let Some(g) = self.given.get(name) {
            g.clone()
        } else if let Some(b) = self.vars.get(name).copied() {
            match b.body.get_attribute("default") {
                Some(d) => self.eval(&d.value, &Env::default())?,
                None => self.placeholder(name, Some(b)),
            }
        } else {
            self.placeholder(name, None)
        };
        let _ = at;
        self.var_memo.insert(name.to_string(), v.clone());
        Ok(v)
    }

    /// A variable with no value: a string stands in for a string variable.
    fn placeholder(&mut self, name: &str, decl: Option<&Block>) -> V {
        let ty = decl
            .and_then(|b| b.body.get_attribute("type"))
            .map(|a| expr_text(&a.value));
        let stringy = ty.as_deref().is_none_or(|t| t == "string");
        let declared = if decl.is_some() {
            "has no default value and no value was given"
        } else {
            "is not declared in this configuration (it may be in another .tf file)"
        };
        if stringy {
            self.report.assumptions.push(format!(
                "var.{name} {declared}; the placeholder '{name}' is used (give values with --parameters FILE.tfvars)"
            ));
            self.placeholders.insert(name.to_string());
            V::str(name)
        } else {
            V::unknown(format!("var.{name} {declared}"))
        }
    }

    fn local(&mut self, name: &str, at: Option<usize>) -> R {
        if let Some(v) = self.local_memo.get(name) {
            return v.clone();
        }
        let Some(a) = self.locals.get(name).copied() else {
            return Err(err(
                at,
                format!("local.{name} is not declared in a locals block"),
            ));
        };
        let tag = format!("local.{name}");
        if self.stack.contains(&tag) {
            let pos = self.stack.iter().position(|t| *t == tag).unwrap_or(0);
            let mut chain: Vec<String> = self.stack[pos..].to_vec();
            chain.push(tag);
            return Err(err(
                start(a),
                format!("local.{name} is circular: {}", chain.join(" → ")),
            ));
        }
        if self.stack.len() > MAX_NESTING {
            return Err(err(
                at,
                "locals and resources refer to each other too deeply",
            ));
        }
        self.stack.push(tag);
        let v = self.eval(&a.value, &Env::default());
        self.stack.pop();
        self.local_memo.insert(name.to_string(), v.clone());
        v
    }

    // ---- Resources -----------------------------------------------------------

    /// A resource's value as references see it: one instance, a list
    /// (`count`) or a map (`for_each`).
    fn resource(&mut self, i: usize) -> R {
        if let Some(v) = self.res_memo.get(&i) {
            return v.clone();
        }
        let Some(decl) = self.resources.get(i) else {
            return Err(err(None, "no such resource"));
        };
        let (mode, ty, name, block) = (decl.mode, decl.ty.clone(), decl.name.clone(), decl.block);
        let address = if mode == "data" {
            format!("{}data.{ty}.{name}", self.prefix)
        } else {
            format!("{}{ty}.{name}", self.prefix)
        };
        if let Some(pos) = self.stack.iter().position(|t| *t == address) {
            let mut chain: Vec<String> = self.stack[pos..].to_vec();
            chain.push(address.clone());
            return Err(err(
                start(block),
                format!("{address} refers to itself: {}", chain.join(" → ")),
            ));
        }
        if self.stack.len() > MAX_NESTING {
            return Err(err(
                start(block),
                "resources refer to each other too deeply",
            ));
        }
        self.stack.push(address.clone());
        let result = self.expand(mode, &ty, &address, block);
        self.stack.pop();
        let (value, instances) = match result {
            Ok(x) => x,
            Err(e) => {
                self.res_memo.insert(i, Err(e.clone()));
                return Err(e);
            }
        };
        if mode == "resource" {
            self.instances.insert(i, instances);
        }
        self.res_memo.insert(i, Ok(value.clone()));
        Ok(value)
    }

    fn expand(
        &mut self,
        mode: &str,
        ty: &str,
        address: &str,
        block: &'a Block,
    ) -> Result<(V, Vec<Instance>), Error> {
        let env = Env::default();
        let at = start(block);
        if let Some(c) = block.body.get_attribute("count") {
            let n = self.eval(&c.value, &env)?;
            if let V::Unknown(u) = &n {
                self.report.skip(
                    address.to_string(),
                    format!(
                        "its count is known only after apply ({}); no instance is imported",
                        u.why
                    ),
                );
                return Ok((V::List(Vec::new()), Vec::new()));
            }
            let n = value::to_num(&n).map_err(|m| err(start(&c.value), format!("count: {m}")))?;
            if n.fract() != 0.0 || !(0.0..=MAX_COUNT as f64).contains(&n) {
                return Err(err(
                    start(&c.value),
                    format!("count must be a whole number from 0 to {MAX_COUNT}"),
                ));
            }
            let mut list = Vec::new();
            let mut out = Vec::new();
            for k in 0..n as i64 {
                let mut idx = BTreeMap::new();
                idx.insert(String::from("index"), V::Num(k as f64));
                let e = env.with("count", V::Map(idx));
                let inst = self.instance(mode, ty, &format!("{address}[{k}]"), block, &e)?;
                list.push(inst.values.clone());
                out.push(inst);
            }
            return Ok((V::List(list), out));
        }
        if let Some(f) = block.body.get_attribute("for_each") {
            let coll = self.eval(&f.value, &env)?;
            let items: Vec<(String, V)> = match coll {
                V::Map(m) => m.into_iter().collect(),
                V::List(l) => {
                    let mut items = Vec::new();
                    for x in l {
                        let k = value::to_string(&x).map_err(|m| {
                            err(
                                start(&f.value),
                                format!("for_each over a set needs strings: {m}"),
                            )
                        })?;
                        items.push((k, x));
                    }
                    items.sort_by(|a, b| a.0.cmp(&b.0));
                    items.dedup_by(|a, b| a.0 == b.0);
                    items
                }
                V::Unknown(u) => {
                    self.report.skip(
                        address.to_string(),
                        format!(
                            "its for_each is known only after apply ({}); no instance is imported",
                            u.why
                        ),
                    );
                    return Ok((V::Map(BTreeMap::new()), Vec::new()));
                }
                V::Null => Vec::new(),
                other => {
                    return Err(err(
                        start(&f.value),
                        format!(
                            "for_each needs a map or a set of strings, not {}",
                            other.kind()
                        ),
                    ));
                }
            };
            let mut map = BTreeMap::new();
            let mut out = Vec::new();
            for (k, v) in items {
                let mut each = BTreeMap::new();
                each.insert(String::from("key"), V::Str(k.clone()));
                each.insert(String::from("value"), v);
                let e = env.with("each", V::Map(each));
                let key_text = serde_json::Value::String(k.clone()).to_string();
                let inst = self.instance(mode, ty, &format!("{address}[{key_text}]"), block, &e)?;
                map.insert(k, inst.values.clone());
                out.push(inst);
            }
            return Ok((V::Map(map), out));
        }
        let _ = at;
        let inst = self.instance(mode, ty, address, block, &env)?;
        Ok((inst.values.clone(), vec![inst]))
    }

    fn instance(
        &mut self,
        mode: &str,
        ty: &str,
        address: &str,
        block: &'a Block,
        env: &Env,
    ) -> Result<Instance, Error> {
        let mut locs = Vec::new();
        let mut values = self.body(&block.body, env, "", &mut locs)?;
        if mode == "resource"
            && let Some(note) = random_stand_in(ty, address, &mut values)
        {
            self.report.assumptions.push(note);
        }
        let map = V::Map(values.clone());
        // Counts multiply (a count of 10,000 over a dynamic block of 1,000
        // rules, modules with counts calling modules with counts): the
        // instances kept are held to a size far above real configurations,
        // before they exhaust memory.
        self.retained = self.retained.saturating_add(weight(&map));
        if self.retained > MAX_RETAINED {
            return Err(err(
                start(block),
                format!(
                    "the configuration expands to more than the playground reads ({address} and the instances before it hold over {MAX_RETAINED} values; counts, for_each and dynamic blocks multiply)"
                ),
            ));
        }
        if !values.contains_key("id") {
            let id = match synth_id(ty, &map) {
                Some(id) => V::Str(id),
                None => V::unknown_attribute("the id is known only after apply", address, "id"),
            };
            values.insert(String::from("id"), id);
        }
        let _ = mode;
        Ok(Instance {
            address: address.to_string(),
            ty: ty.to_string(),
            values: V::Map(values),
            origin: Origin::Hcl {
                block: start(block)
                    .map_or_else(|| String::from("line 1, column 1"), |o| self.lines.at(o)),
                attrs: locs
                    .into_iter()
                    .map(|(p, o): (String, usize)| (p, self.lines.at(o)))
                    .collect(),
            },
        })
    }

    /// A block body as a map: attributes, and nested blocks as lists.
    fn body(
        &mut self,
        body: &Body,
        env: &Env,
        prefix: &str,
        locs: &mut Vec<(String, usize)>,
    ) -> Result<BTreeMap<String, V>, Error> {
        let mut out: BTreeMap<String, V> = BTreeMap::new();
        for s in body.iter() {
            match s {
                Structure::Attribute(a) => {
                    let key = a.key.as_str();
                    if prefix.is_empty() && META.contains(&key) {
                        continue;
                    }
                    let v = self.eval(&a.value, env)?;
                    if let Some(o) = start(&a.value) {
                        locs.push((format!("{prefix}{key}"), o));
                    }
                    out.insert(key.to_string(), v);
                }
                Structure::Block(b) => {
                    let ident = b.ident.as_str();
                    if META_BLOCKS.contains(&ident) {
                        continue;
                    }
                    if ident == "dynamic" {
                        self.dynamic(b, env, prefix, locs, &mut out)?;
                        continue;
                    }
                    let slot = out
                        .entry(ident.to_string())
                        .or_insert_with(|| V::List(Vec::new()));
                    let k = slot.as_list().map_or(0, <[V]>::len);
                    let inner_prefix = format!("{prefix}{ident}[{k}].");
                    if let Some(o) = start(b) {
                        locs.push((format!("{prefix}{ident}[{k}]"), o));
                    }
                    let m = self.body(&b.body, env, &inner_prefix, locs)?;
                    if let Some(V::List(l)) = out.get_mut(ident) {
                        l.push(V::Map(m));
                    }
                }
            }
        }
        Ok(out)
    }

    /// `dynamic "security_rule" { for_each = ...; content { ... } }`.
    fn dynamic(
        &mut self,
        b: &Block,
        env: &Env,
        prefix: &str,
        locs: &mut Vec<(String, usize)>,
        out: &mut BTreeMap<String, V>,
    ) -> Result<(), Error> {
        let Some(kind) = label(b, 0) else {
            return Err(err(
                start(b),
                "a dynamic block needs a label: dynamic \"BLOCK_TYPE\"",
            ));
        };
        let Some(fe) = b.body.get_attribute("for_each") else {
            return Err(err(start(b), format!("dynamic \"{kind}\" has no for_each")));
        };
        let iterator = match b.body.get_attribute("iterator") {
            Some(a) => match &a.value {
                Expression::Variable(v) => v.as_str().to_string(),
                other => return Err(err(start(other), "iterator is a bare name")),
            },
            None => kind.to_string(),
        };
        let Some(content) = b.body.get_blocks("content").next() else {
            return Err(err(
                start(b),
                format!("dynamic \"{kind}\" has no content block"),
            ));
        };
        let coll = self.eval(&fe.value, env)?;
        let items: Vec<(V, V)> = match coll {
            V::List(l) => l
                .into_iter()
                .enumerate()
                .map(|(i, v)| (V::Num(i as f64), v))
                .collect(),
            V::Map(m) => m.into_iter().map(|(k, v)| (V::Str(k), v)).collect(),
            V::Null => Vec::new(),
            V::Unknown(u) => {
                self.report.assumptions.push(format!(
                    "{}: the for_each of dynamic \"{kind}\" is known only after apply ({}); no {kind} block is made",
                    start(&fe.value).map_or_else(String::new, |o| self.lines.at(o)),
                    u.why
                ));
                Vec::new()
            }
            other => {
                return Err(err(
                    start(&fe.value),
                    format!(
                        "dynamic \"{kind}\": for_each needs a collection, not {}",
                        other.kind()
                    ),
                ));
            }
        };
        let slot = out
            .entry(kind.to_string())
            .or_insert_with(|| V::List(Vec::new()));
        let first = slot.as_list().map_or(0, <[V]>::len);
        for (k, (key, val)) in (first..).zip(items) {
            let mut it = BTreeMap::new();
            it.insert(String::from("key"), key);
            it.insert(String::from("value"), val);
            let e = env.with(&iterator, V::Map(it));
            if let Some(o) = start(content) {
                locs.push((format!("{prefix}{kind}[{k}]"), o));
            }
            let m = self.body(&content.body, &e, &format!("{prefix}{kind}[{k}]."), locs)?;
            if let Some(V::List(l)) = out.get_mut(kind) {
                l.push(V::Map(m));
            }
        }
        Ok(())
    }

    // ---- Expressions ---------------------------------------------------------

    fn eval(&mut self, e: &Expression, env: &Env) -> R {
        let at = start(e);
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            self.depth -= 1;
            return Err(err(
                at,
                format!(
                    "expressions, locals and references nest more than {MAX_DEPTH} levels deep"
                ),
            ));
        }
        let out = self.eval_inner(e, env, at);
        self.depth -= 1;
        out
    }

    fn eval_inner(&mut self, e: &Expression, env: &Env, at: Option<usize>) -> R {
        self.charge(1, at)?;
        match e {
            Expression::Null(_) => Ok(V::Null),
            Expression::Bool(b) => Ok(V::Bool(*b.value())),
            Expression::Number(n) => Ok(V::Num(n.value().as_f64().unwrap_or(0.0))),
            Expression::String(s) => Ok(V::Str(s.value().clone())),
            Expression::Array(a) => {
                let mut out = Vec::with_capacity(a.len());
                for x in a.iter() {
                    out.push(self.eval(x, env)?);
                }
                Ok(V::List(out))
            }
            Expression::Object(o) => {
                let mut out = BTreeMap::new();
                for (k, v) in o.iter() {
                    let key = match k {
                        ObjectKey::Ident(i) => i.as_str().to_string(),
                        ObjectKey::Expression(x) => match self.eval(x, env)? {
                            V::Unknown(u) => return Ok(V::Unknown(u)),
                            kv => value::to_string(&kv)
                                .map_err(|m| err(start(x), format!("an object key: {m}")))?,
                        },
                    };
                    out.insert(key, self.eval(v.expr(), env)?);
                }
                Ok(V::Map(out))
            }
            Expression::StringTemplate(t) => self.template(t, env, at),
            Expression::HeredocTemplate(h) => {
                let mut h = (**h).clone();
                if h.indent().is_some() {
                    h.dedent();
                }
                self.template(&h.template, env, at)
            }
            Expression::Parenthesis(p) => self.eval(p.inner(), env),
            Expression::Variable(v) => self.root(v.as_str(), env, at),
            Expression::Conditional(c) => {
                let cond = self.eval(&c.cond_expr, env)?;
                if cond.is_unknown() {
                    return Ok(cond);
                }
                let b = value::to_bool(&cond)
                    .map_err(|m| err(start(&c.cond_expr), format!("the condition: {m}")))?;
                if b {
                    self.eval(&c.true_expr, env)
                } else {
                    self.eval(&c.false_expr, env)
                }
            }
            Expression::FuncCall(f) => self.func(f, env, at),
            Expression::Traversal(t) => self.traversal(&t.expr, &t.operators, env),
            Expression::UnaryOp(u) => {
                let v = self.eval(&u.expr, env)?;
                if v.is_unknown() {
                    return Ok(v);
                }
                match u.operator.value() {
                    UnaryOperator::Neg => value::to_num(&v)
                        .map(|n| V::Num(-n))
                        .map_err(|m| err(at, m)),
                    UnaryOperator::Not => value::to_bool(&v)
                        .map(|b| V::Bool(!b))
                        .map_err(|m| err(at, m)),
                }
            }
            Expression::BinaryOp(b) => {
                let op = *b.operator.value();
                let l = self.eval(&b.lhs_expr, env)?;
                if op == BinaryOperator::And && l == V::Bool(false) {
                    return Ok(V::Bool(false));
                }
                if op == BinaryOperator::Or && l == V::Bool(true) {
                    return Ok(V::Bool(true));
                }
                let r = self.eval(&b.rhs_expr, env)?;
                binary(op, &l, &r).map_err(|m| err(at, m))
            }
            Expression::ForExpr(f) => self.for_expr(f, env),
        }
    }

    fn template(&mut self, t: &Template, env: &Env, at: Option<usize>) -> R {
        // A template that is one interpolation gives the value itself.
        if let Some(Element::Interpolation(i)) = t.as_single_element() {
            return self.eval(&i.expr, env);
        }
        let mut out = String::new();
        for el in t.iter() {
            match el {
                Element::Literal(l) => out.push_str(l.value()),
                Element::Interpolation(i) => {
                    let v = self.eval(&i.expr, env)?;
                    if v.is_unknown() {
                        return Ok(v);
                    }
                    out.push_str(&value::to_string(&v).map_err(|m| err(start(&i.expr), m))?);
                }
                Element::Directive(d) => match &**d {
                    Directive::If(i) => {
                        let c = self.eval(&i.if_expr.cond_expr, env)?;
                        if c.is_unknown() {
                            return Ok(c);
                        }
                        let branch = if value::to_bool(&c).map_err(|m| err(at, m))? {
                            Some(&i.if_expr.template)
                        } else {
                            i.else_expr.as_ref().map(|e| &e.template)
                        };
                        if let Some(bt) = branch {
                            let v = self.template(bt, env, at)?;
                            if v.is_unknown() {
                                return Ok(v);
                            }
                            out.push_str(&value::to_string(&v).map_err(|m| err(at, m))?);
                        }
                    }
                    Directive::For(f) => {
                        let coll = self.eval(&f.for_expr.collection_expr, env)?;
                        for (k, v) in iterate(&coll).map_err(|m| err(at, m))? {
                            let mut e = env.with(f.for_expr.value_var.as_str(), v);
                            if let Some(kv) = &f.for_expr.key_var {
                                e = e.with(kv.as_str(), k);
                            }
                            let part = self.template(&f.for_expr.template, &e, at)?;
                            if part.is_unknown() {
                                return Ok(part);
                            }
                            out.push_str(&value::to_string(&part).map_err(|m| err(at, m))?);
                        }
                    }
                },
            }
            if out.len() > value::MAX_LEN {
                return Err(err(at, "the string grows past 8 MB"));
            }
        }
        self.charge((out.len() / 64) as u64, at)?;
        Ok(V::Str(out))
    }

    fn for_expr(&mut self, f: &ForExpr, env: &Env) -> R {
        let at = start(f);
        let coll = self.eval(&f.intro.collection_expr, env)?;
        if coll.is_unknown() {
            return Ok(coll);
        }
        let items = iterate(&coll).map_err(|m| err(start(&f.intro.collection_expr), m))?;
        let mut list = Vec::new();
        let mut map: BTreeMap<String, V> = BTreeMap::new();
        for (k, v) in items {
            let mut e = env.with(f.intro.value_var.as_str(), v);
            if let Some(kv) = &f.intro.key_var {
                e = e.with(kv.as_str(), k);
            }
            if let Some(c) = &f.cond {
                let keep = self.eval(&c.expr, &e)?;
                if keep.is_unknown() {
                    return Ok(keep);
                }
                if !value::to_bool(&keep).map_err(|m| err(start(&c.expr), m))? {
                    continue;
                }
            }
            let val = self.eval(&f.value_expr, &e)?;
            match &f.key_expr {
                None => list.push(val),
                Some(ke) => {
                    let key = self.eval(ke, &e)?;
                    if key.is_unknown() {
                        return Ok(key);
                    }
                    let key = value::to_string(&key).map_err(|m| err(start(ke), m))?;
                    if f.grouping {
                        if let V::List(l) = map.entry(key).or_insert_with(|| V::List(Vec::new())) {
                            l.push(val);
                        }
                    } else {
                        if map.contains_key(&key) {
                            return Err(err(
                                at,
                                format!(
                                    "the for expression makes the key '{key}' twice (use ... to group)"
                                ),
                            ));
                        }
                        map.insert(key, val);
                    }
                }
            }
            self.charge(1, at)?;
        }
        Ok(if f.key_expr.is_some() {
            V::Map(map)
        } else {
            V::List(list)
        })
    }

    fn func(&mut self, f: &hcl_edit::expr::FuncCall, env: &Env, at: Option<usize>) -> R {
        let name = f.name.name.as_str();
        if !f.name.namespace.is_empty() {
            return Err(err(
                at,
                format!("provider-defined function {name}() is not supported by this import"),
            ));
        }
        if name == "try" || name == "can" {
            let mut last = None;
            for a in f.args.iter() {
                match self.eval(a, env) {
                    Ok(v) => {
                        return Ok(if name == "can" { V::Bool(true) } else { v });
                    }
                    Err(e) => last = Some(e),
                }
            }
            return match (name, last) {
                ("can", _) => Ok(V::Bool(false)),
                (_, Some(e)) => Err(e),
                _ => Err(err(at, "try() needs at least one argument")),
            };
        }
        let mut args = Vec::with_capacity(f.args.len());
        for a in f.args.iter() {
            args.push(self.eval(a, env)?);
        }
        if f.args.expand_final()
            && let Some(last) = args.pop()
        {
            match last {
                V::List(l) => args.extend(l),
                V::Unknown(u) => return Ok(V::Unknown(u)),
                other => {
                    return Err(err(
                        at,
                        format!(
                            "{name}(...): only a list can be expanded with ..., not {}",
                            other.kind()
                        ),
                    ));
                }
            }
        }
        let v = value::call(name, args).map_err(|m| {
            if m.starts_with("unknown function") || m.contains(&format!("{name}(")) {
                err(at, m)
            } else {
                err(at, format!("{name}(): {m}"))
            }
        })?;
        self.charge(weight(&v), at)?;
        Ok(v)
    }

    /// A bare name: a bound name (`count`, `each`, a `for` variable), or the
    /// root of a reference that needs its attribute (`var`, `local`, ...).
    fn root(&mut self, name: &str, env: &Env, at: Option<usize>) -> R {
        if let Some(v) = env.get(name) {
            return Ok(v.clone());
        }
        match name {
            "path" => {
                let mut m = BTreeMap::new();
                for k in ["module", "root", "cwd"] {
                    m.insert(k.to_string(), V::str("."));
                }
                Ok(V::Map(m))
            }
            "terraform" => {
                let mut m = BTreeMap::new();
                m.insert(String::from("workspace"), V::str("default"));
                Ok(V::Map(m))
            }
            "self" => Ok(V::unknown("self is only known while provisioning")),
            "count" | "each" => Err(err(
                at,
                format!(
                    "{name} is only available in a resource with {}",
                    if name == "count" { "count" } else { "for_each" }
                ),
            )),
            _ => Err(err(
                at,
                format!("'{name}' needs an attribute (var.{name}? local.{name}?)"),
            )),
        }
    }

    fn traversal(
        &mut self,
        base: &Expression,
        ops: &[hcl_edit::Decorated<TraversalOperator>],
        env: &Env,
    ) -> R {
        let at = start(base);
        let attr = |k: usize| -> Option<&str> {
            match ops.get(k).map(|d| d.value()) {
                Some(TraversalOperator::GetAttr(i)) => Some(i.as_str()),
                _ => None,
            }
        };
        let (value, used, from) = match base {
            Expression::Variable(v) if env.get(v.as_str()).is_none() => {
                let root = v.as_str();
                match root {
                    "var" => {
                        let n = attr(0).ok_or_else(|| err(at, "var needs a name: var.NAME"))?;
                        (self.variable(n, at)?, 1, None)
                    }
                    "local" => {
                        let n = attr(0).ok_or_else(|| err(at, "local needs a name: local.NAME"))?;
                        (self.local(n, at)?, 1, None)
                    }
                    "module" => {
                        let n =
                            attr(0).ok_or_else(|| err(at, "module needs a name: module.NAME"))?;
                        (self.module(n, at)?, 1, None)
                    }
                    "data" => {
                        let (Some(t), Some(n)) = (attr(0), attr(1)) else {
                            return Err(err(at, "data needs a type and a name: data.TYPE.NAME"));
                        };
                        let Some(i) = self
                            .by_key
                            .get(&("data", t.to_string(), n.to_string()))
                            .copied()
                        else {
                            return Err(err(
                                at,
                                format!("data.{t}.{n} is not declared in this configuration"),
                            ));
                        };
                        (self.resource(i)?, 2, Some(format!("data.{t}.{n}")))
                    }
                    "path" | "terraform" | "self" | "count" | "each" => {
                        (self.root(root, env, at)?, 0, None)
                    }
                    ty => {
                        let Some(n) = attr(0) else {
                            return Err(err(at, format!("'{ty}' needs an attribute")));
                        };
                        let Some(i) = self
                            .by_key
                            .get(&("resource", ty.to_string(), n.to_string()))
                            .copied()
                        else {
                            return Err(err(
                                at,
                                format!(
                                    "{ty}.{n} is not declared in this configuration (if it is in another .tf file, load the files together: cat *.tf)"
                                ),
                            ));
                        };
                        (self.resource(i)?, 1, Some(format!("{ty}.{n}")))
                    }
                }
            }
            other => (self.eval(other, env)?, 0, self.passed_through(other)),
        };
        self.apply(value, ops.get(used..).unwrap_or(&[]), env, from.as_deref())
    }

    /// The resource whose values a function hands back unchanged
    /// (`one(azurerm_virtual_network.v.subnet)`, `tolist(..)`, `element(..)`):
    /// attributes read from the result are that resource's, so one Azure
    /// computes (`.id`) is known after apply, as it is on the resource itself.
    fn passed_through(&self, e: &Expression) -> Option<String> {
        const KEEP: &[&str] = &[
            "one",
            "tolist",
            "toset",
            "element",
            "values",
            "flatten",
            "coalesce",
            "coalescelist",
            "try",
            "concat",
            "distinct",
            "reverse",
            "slice",
        ];
        match e {
            Expression::Parenthesis(p) => self.passed_through(p.inner()),
            Expression::FuncCall(f)
                if f.name.namespace.is_empty() && KEEP.contains(&f.name.name.as_str()) =>
            {
                f.args.iter().find_map(|a| self.passed_through(a))
            }
            Expression::Traversal(t) => {
                let Expression::Variable(ty) = &t.expr else {
                    return self.passed_through(&t.expr);
                };
                let Some(TraversalOperator::GetAttr(n)) = t.operators.first().map(|o| o.value())
                else {
                    return None;
                };
                self.by_key
                    .contains_key(&("resource", ty.as_str().to_string(), n.as_str().to_string()))
                    .then(|| format!("{}.{}", ty.as_str(), n.as_str()))
            }
            _ => None,
        }
    }

    /// The id Azure gives a subnet declared inline in a VNet (`subnet { name =
    /// ... }` of `azurerm_virtual_network.x`): the VNet's id and
    /// `/subnets/NAME`, which azurerm exports as the block's `id`.
    fn inline_subnet_id(
        &mut self,
        block: &BTreeMap<String, V>,
        from: Option<&str>,
    ) -> Option<String> {
        let n = from?.strip_prefix("azurerm_virtual_network.")?;
        let subnet = block.get("name")?.as_str()?;
        if !(block.contains_key("address_prefixes") || block.contains_key("address_prefix")) {
            return None;
        }
        let i = *self.by_key.get(&(
            "resource",
            String::from("azurerm_virtual_network"),
            n.to_string(),
        ))?;
        let vnet = self.resource(i).ok()?;
        let id = vnet.get("id")?.as_str()?;
        Some(format!("{id}/subnets/{subnet}"))
    }

    /// Applies traversal operators. Below a resource, a missing attribute is
    /// one Azure computes (known after apply), not an error.
    fn apply(
        &mut self,
        mut v: V,
        ops: &[hcl_edit::Decorated<TraversalOperator>],
        env: &Env,
        from: Option<&str>,
    ) -> R {
        for (k, op) in ops.iter().enumerate() {
            if let V::Unknown(u) = &v {
                // A NIC's `private_ip_addresses[k]` keeps its index, so the
                // converter can tell which configuration's address it is.
                if let (Some("private_ip_addresses"), Some(target), TraversalOperator::Index(ix)) =
                    (u.attribute.as_deref(), u.target.clone(), op.value())
                    && let Ok(i) = self
                        .eval(ix, env)
                        .and_then(|i| value::to_num(&i).map_err(|m| err(start(op), m)))
                    && i.fract() == 0.0
                    && (0.0..1024.0).contains(&i)
                {
                    let attribute = format!("private_ip_addresses[{i}]");
                    v = V::unknown_attribute(
                        format!(
                            "{target}.{attribute} is computed by Azure, known only after apply"
                        ),
                        &target,
                        &attribute,
                    );
                    continue;
                }
                return Ok(v);
            }
            let at = start(op);
            match op.value() {
                TraversalOperator::GetAttr(name) => {
                    v = self.get_attr(v, name, from, at)?;
                }
                TraversalOperator::Index(ix) => {
                    let i = self.eval(ix, env)?;
                    v = index(v, &i, from).map_err(|m| err(at, m))?;
                }
                TraversalOperator::LegacyIndex(n) => {
                    v = index(v, &V::Num(*n.value() as f64), from).map_err(|m| err(at, m))?;
                }
                TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => {
                    let items = match v {
                        V::List(l) => l,
                        V::Null => Vec::new(),
                        other => vec![other],
                    };
                    let rest = ops.get(k + 1..).unwrap_or(&[]);
                    // The legacy `.*` takes only the attribute names after it
                    // to each element (`a.*.id[0]` is the first id); `[*]`
                    // takes every following step.
                    let each = match op.value() {
                        TraversalOperator::AttrSplat(_) => rest
                            .iter()
                            .position(|o| !matches!(o.value(), TraversalOperator::GetAttr(_)))
                            .unwrap_or(rest.len()),
                        _ => rest.len(),
                    };
                    let mut out = Vec::new();
                    for x in items {
                        out.push(self.apply(x, &rest[..each], env, from)?);
                    }
                    return self.apply(V::List(out), &rest[each..], env, from);
                }
            }
        }
        Ok(v)
    }

    fn get_attr(&mut self, v: V, name: &Ident, from: Option<&str>, at: Option<usize>) -> R {
        if let V::Map(m) = &v
            && name.as_str() == "id"
            && !m.contains_key("id")
            && let Some(id) = self.inline_subnet_id(m, from)
        {
            return Ok(V::Str(id));
        }
        // azurerm 3.x exported a subnet's first prefix as `address_prefix`
        // (deprecated, gone in 4.0); configurations still read it.
        if let V::Map(m) = &v
            && name.as_str() == "address_prefix"
            && !m.contains_key("address_prefix")
            && from.is_some_and(|a| a.starts_with("azurerm_subnet."))
            && let Some(V::List(prefixes)) = m.get("address_prefixes")
            && let Some(first) = prefixes.first()
        {
            return Ok(first.clone());
        }
        match v {
            V::Map(mut m) => match m.remove(name.as_str()) {
                Some(x) => Ok(x),
                None => match from {
                    Some(addr) => Ok(V::unknown_attribute(
                        format!(
                            "{}{addr}.{} is computed by Azure, known only after apply",
                            self.prefix,
                            name.as_str()
                        ),
                        &format!("{}{addr}", self.prefix),
                        name.as_str(),
                    )),
                    None => Err(err(
                        at,
                        format!("the object has no attribute '{}'", name.as_str()),
                    )),
                },
            },
            V::List(_) if from.is_some() => Err(err(
                at,
                format!(
                    "{} has several instances (count or for_each): pick one with [index] before .{}",
                    from.unwrap_or(""),
                    name.as_str()
                ),
            )),
            V::Null => Err(err(at, format!("cannot read '{}' of null", name.as_str()))),
            other => Err(err(
                at,
                format!("cannot read '{}' of {}", name.as_str(), other.kind()),
            )),
        }
    }
}

fn index(v: V, i: &V, from: Option<&str>) -> Result<V, String> {
    if i.is_unknown() {
        return Ok(i.clone());
    }
    match v {
        V::List(l) => {
            let n = value::to_num(i)?;
            if n < 0.0 || n.fract() != 0.0 || n as usize >= l.len() {
                return Err(format!(
                    "index {} is outside the list of {}",
                    value::num_text(n),
                    l.len()
                ));
            }
            Ok(l.into_iter().nth(n as usize).unwrap_or(V::Null))
        }
        V::Map(mut m) => {
            let k = value::to_string(i)?;
            match m.remove(&k) {
                Some(x) => Ok(x),
                None => match from {
                    Some(addr) => Ok(V::unknown_attribute(
                        format!("{addr}[\"{k}\"] is not known"),
                        addr,
                        &k,
                    )),
                    None => Err(format!("the map has no key '{k}'")),
                },
            }
        }
        other => Err(format!("cannot index {}", other.kind())),
    }
}

/// (key, value) pairs of a collection: list indexes or map keys.
fn iterate(v: &V) -> Result<Vec<(V, V)>, String> {
    match v {
        V::List(l) => Ok(l
            .iter()
            .enumerate()
            .map(|(i, x)| (V::Num(i as f64), x.clone()))
            .collect()),
        V::Map(m) => Ok(m
            .iter()
            .map(|(k, x)| (V::Str(k.clone()), x.clone()))
            .collect()),
        V::Null => Ok(Vec::new()),
        other => Err(format!("cannot iterate over {}", other.kind())),
    }
}

fn binary(op: BinaryOperator, l: &V, r: &V) -> Result<V, String> {
    use BinaryOperator::*;
    if let Some(u) = [l, r].into_iter().find(|v| v.is_unknown()) {
        return Ok(u.clone());
    }
    let num = value::to_num;
    Ok(match op {
        Eq => V::Bool(value::equal(l, r)),
        NotEq => V::Bool(!value::equal(l, r)),
        Less => V::Bool(num(l)? < num(r)?),
        LessEq => V::Bool(num(l)? <= num(r)?),
        Greater => V::Bool(num(l)? > num(r)?),
        GreaterEq => V::Bool(num(l)? >= num(r)?),
        Plus => V::Num(num(l)? + num(r)?),
        Minus => V::Num(num(l)? - num(r)?),
        Mul => V::Num(num(l)? * num(r)?),
        Div => {
            let d = num(r)?;
            if d == 0.0 {
                return Err(String::from("division by zero"));
            }
            V::Num(num(l)? / d)
        }
        Mod => {
            let d = num(r)?;
            if d == 0.0 {
                return Err(String::from("modulo by zero"));
            }
            V::Num(num(l)? % d)
        }
        And => V::Bool(value::to_bool(l)? && value::to_bool(r)?),
        Or => V::Bool(value::to_bool(l)? || value::to_bool(r)?),
    })
}

fn weight(v: &V) -> u64 {
    let mut total = 0u64;
    let mut stack = vec![v];
    while let Some(x) = stack.pop() {
        total += 1;
        if total > 1_000_000 {
            return total;
        }
        match x {
            V::Str(s) => total += (s.len() / 64) as u64,
            V::List(l) => stack.extend(l.iter()),
            V::Map(m) => stack.extend(m.values()),
            _ => {}
        }
    }
    total
}

/// An expression's source-like text, for `type = string` checks.
fn expr_text(e: &Expression) -> String {
    match e {
        Expression::Variable(v) => v.as_str().to_string(),
        Expression::FuncCall(f) => f.name.name.as_str().to_string(),
        Expression::String(s) => s.value().clone(),
        _ => String::from("?"),
    }
}

/// Stand-in results for the `random` provider's resources, which are only
/// known after apply. Quickstarts name their resource group and resources
/// from them (`random_pet.rg_name.id`); without a value every resource would
/// be skipped for an unknown name. The stand-in is built from the resource's
/// own name, so each is distinct, and respects the lengths and character sets
/// the configuration asks for. `None` for other types; else the report line.
fn random_stand_in(ty: &str, address: &str, values: &mut BTreeMap<String, V>) -> Option<String> {
    let local = address.split('.').nth(1).unwrap_or("random");
    let local: String = local
        .chars()
        .take_while(|c| *c != '[')
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let number = |k: &str| {
        values.get(k).and_then(|v| match v {
            V::Num(n) if n.is_finite() && *n >= 0.0 => Some(*n as usize),
            _ => None,
        })
    };
    let text = |k: &str| values.get(k).and_then(V::as_str).map(String::from);
    let set = |values: &mut BTreeMap<String, V>, k: &str, v: String| {
        values.entry(String::from(k)).or_insert(V::Str(v));
    };
    let shown = match ty {
        "random_pet" => {
            let separator = text("separator").unwrap_or_else(|| String::from("-"));
            let pet = match text("prefix") {
                Some(p) => format!("{p}{separator}{local}"),
                None => local.replace('-', &separator),
            };
            set(values, "id", pet.clone());
            pet
        }
        "random_string" | "random_password" => {
            let length = number("length").unwrap_or(16).min(1024);
            let pool: Vec<char> = local.chars().filter(char::is_ascii_alphanumeric).collect();
            let pool = if pool.is_empty() { vec!['x'] } else { pool };
            let result: String = pool.iter().copied().cycle().take(length).collect();
            set(values, "result", result.clone());
            set(values, "id", result.clone());
            if ty == "random_password" {
                String::from("(a password)")
            } else {
                result
            }
        }
        "random_id" => {
            let bytes = number("byte_length").unwrap_or(8).min(512);
            let prefix = text("prefix").unwrap_or_default();
            let hex: String = "0123456789abcdef".chars().cycle().take(bytes * 2).collect();
            let b64: String = "A".repeat(bytes.div_ceil(3) * 4);
            set(values, "hex", format!("{prefix}{hex}"));
            set(values, "b64_url", format!("{prefix}{b64}"));
            set(values, "b64_std", format!("{prefix}{b64}"));
            set(values, "id", b64.clone());
            set(
                values,
                "dec",
                format!("{prefix}{}", "1".repeat(bytes.max(1))),
            );
            format!("{prefix}{hex}")
        }
        "random_integer" => {
            let min = number("min").unwrap_or(0);
            values
                .entry(String::from("result"))
                .or_insert(V::Num(min as f64));
            set(values, "id", min.to_string());
            min.to_string()
        }
        "random_uuid" => {
            let uuid = String::from("00000000-0000-4000-8000-000000000000");
            set(values, "result", uuid.clone());
            set(values, "id", uuid.clone());
            uuid
        }
        _ => return None,
    };
    Some(format!(
        "{address} is random, known only after apply; the stand-in '{shown}' is used for it"
    ))
}
