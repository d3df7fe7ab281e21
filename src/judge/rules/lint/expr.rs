//! Reads an expression or a template the way the engine will run it, and finds what would make
//! it misbehave on every machine: a filter, test or function the engine does not define, a
//! name or field the context does not have, a number compared with a string, a word that is
//! not one of its set (`check["x"] == "fial"`), a check id no pack has.
//!
//! It walks minijinja's own syntax tree (the `unstable_machinery` feature) and types each node
//! from the inventory schema ([`super::types::FactTypes`]) and the names the caller
//! adds (a route's `verdict`, `check`…). It asks the engine's environment whether a filter,
//! test or function exists, so what it accepts cannot drift from what the engine registers.
//! It reports; it never changes what the engine does.

use super::types::FactTypes;
use super::LintCode;
use crate::facts::inventory::schema::{self, FactType};
use crate::knowledge::Knowledge;
use minijinja::machinery::ast::{self, Expr, Stmt};
use minijinja::machinery::Span;
use minijinja::value::ValueKind;
use minijinja::{Environment, ErrorKind};
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The words a check's status is written as (`check["id"] == "pass"`).
fn status_words() -> Vec<&'static str> {
    use crate::vocab::Status;
    [
        Status::Pass,
        Status::Fail,
        Status::Unknown,
        Status::NotApplicable,
    ]
    .iter()
    .map(|s| s.as_str())
    .collect()
}

/// What an expression may name besides the inventory: built once per lint run.
pub struct Scope<'a> {
    env: &'a Environment<'static>,
    /// Extra names with their types (a route's `verdict.windows11`), by dotted path; a name
    /// listed with a `.*` child has free keys of that child's type.
    extra: BTreeMap<String, FactType>,
    /// Check ids `check["…"]` may name; `None` where `check` is not in scope.
    check_ids: Option<&'a BTreeSet<String>>,
    probes: RefCell<HashMap<(Callable, String), bool>>,
    /// The type of every fact, for the knowledge being linted.
    types: &'a FactTypes,
    /// Contexts every expression is evaluated against: a machine with every part described, and
    /// one with nothing collected.
    samples: Vec<minijinja::Value>,
}

/// What a name is used as in an expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Callable {
    /// `x | name`
    Filter,
    /// `x is name`
    Test,
    /// `name(x)`
    Function,
}

/// One mistake found in a text, with the piece of the text it is about.
#[derive(Debug, Clone)]
pub struct Problem {
    pub code: LintCode,
    pub message: String,
    /// The words of the source it is about, to place it in the file.
    pub snippet: Option<String>,
}

impl<'a> Scope<'a> {
    /// The scope of a check's conditions and texts: the inventory, the derived facts and the
    /// engine's globals.
    pub fn checks(
        env: &'a Environment<'static>,
        knowledge: &Knowledge,
        types: &'a FactTypes,
    ) -> Scope<'a> {
        Scope {
            env,
            extra: BTreeMap::new(),
            check_ids: None,
            probes: RefCell::default(),
            types,
            samples: samples(&BTreeMap::new(), knowledge),
        }
    }

    /// The scope of a route: a check's, plus the verdicts, the check statuses and the licence.
    pub fn routes(
        env: &'a Environment<'static>,
        verdicts: &[&str],
        targets: &[&str],
        check_ids: &'a BTreeSet<String>,
        knowledge: &Knowledge,
        types: &'a FactTypes,
    ) -> Scope<'a> {
        let word = |words: &[&str]| FactType::Word(words.iter().map(|w| w.to_string()).collect());
        let mut extra = BTreeMap::new();
        for root in ["verdict", "after_fixes"] {
            extra.insert(root.to_string(), FactType::Map);
            for target in targets {
                extra.insert(format!("{root}.{target}"), word(verdicts));
            }
        }
        extra.insert("check".into(), FactType::Map);
        extra.insert("check.*".into(), word(&status_words()));
        extra.insert("licence".into(), FactType::Map);
        extra.insert("licence.carries_over".into(), FactType::Bool);
        let mut facts = BTreeMap::new();
        let verdict: BTreeMap<&str, &str> = targets.iter().map(|t| (*t, verdicts[0])).collect();
        facts.insert("verdict", minijinja::Value::from_serialize(&verdict));
        facts.insert("after_fixes", minijinja::Value::from_serialize(&verdict));
        let statuses: BTreeMap<&str, &str> = check_ids
            .iter()
            .map(|id| (id.as_str(), crate::vocab::Status::Pass.as_str()))
            .collect();
        facts.insert("check", minijinja::Value::from_serialize(&statuses));
        facts.insert(
            "licence",
            minijinja::Value::from_serialize(BTreeMap::from([("carries_over", true)])),
        );
        Scope {
            env,
            extra,
            check_ids: Some(check_ids),
            probes: RefCell::default(),
            types,
            samples: samples(&facts, knowledge),
        }
    }

    /// The type of a name or field, or `None` when the context does not have it.
    fn type_of(&self, path: &[String]) -> Option<FactType> {
        let dotted = path.join(".");
        let root = path[0].as_str();
        if self.extra.keys().any(|k| k == root) {
            if let Some(t) = self.extra.get(&dotted) {
                return Some(t.clone());
            }
            let parent = path[..path.len() - 1].join(".");
            return self.extra.get(&format!("{parent}.*")).cloned();
        }
        if let Some(value) = self
            .env
            .globals()
            .find(|(name, _)| *name == root)
            .map(|(_, v)| v)
        {
            return Some(match value.kind() {
                ValueKind::Number if path.len() == 1 => FactType::Number,
                _ => FactType::Any,
            });
        }
        if !schema::is_known(&dotted) {
            return None;
        }
        Some(self.types.get(&dotted).unwrap_or(FactType::Any))
    }

    /// Asks the environment whether it defines `name` as a filter, a test or a function.
    fn defines(&self, kind: Callable, name: &str) -> bool {
        let key = (kind, name.to_string());
        if let Some(known) = self.probes.borrow().get(&key) {
            return *known;
        }
        let probe = |source: String, missing: ErrorKind| match self.env.compile_expression(&source)
        {
            Ok(expr) => !matches!(expr.eval(()), Err(e) if e.kind() == missing),
            Err(e) => e.kind() != missing,
        };
        let known = match kind {
            Callable::Function => self.env.globals().any(|(global, value)| {
                global == name
                    && !matches!(
                        value.kind(),
                        ValueKind::Number | ValueKind::String | ValueKind::Bool
                    )
            }),
            Callable::Filter => probe(format!("none | {name}"), ErrorKind::UnknownFilter),
            Callable::Test => probe(format!("none is {name}"), ErrorKind::UnknownTest),
        };
        self.probes.borrow_mut().insert(key, known);
        known
    }
}

/// The sample contexts: the engine's context for [`schema::SAMPLE_INVENTORY`] and for an empty
/// inventory, with `extra` names on top.
fn samples(
    extra: &BTreeMap<&str, minijinja::Value>,
    knowledge: &Knowledge,
) -> Vec<minijinja::Value> {
    let as_of = jiff::civil::date(2024, 1, 1);
    let full =
        crate::yaml::from_str::<crate::facts::inventory::Inventory>(schema::SAMPLE_INVENTORY)
            .unwrap_or_default();
    [full, crate::facts::inventory::Inventory::default()]
        .iter()
        .map(|inventory| {
            let mut map: BTreeMap<String, minijinja::Value> = BTreeMap::new();
            if let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(inventory) {
                for (name, value) in fields {
                    map.insert(name, minijinja::Value::from_serialize(&value));
                }
            }
            let derived =
                crate::judge::enrich::Derived::from_inventory(inventory, knowledge, as_of);
            map.insert("derived".into(), minijinja::Value::from_serialize(&derived));
            map.insert("as_of".into(), minijinja::Value::from(as_of.to_string()));
            for (name, value) in extra {
                map.insert(name.to_string(), value.clone());
            }
            minijinja::Value::from(map)
        })
        .collect()
}

/// Checks an expression (a `pass`, `when`, `eligible`…); one that does not parse gives no
/// problems here (compiling it reports that). When reading it finds nothing, it is evaluated
/// against the sample machines: an error there that is not a missing fact is a mistake too.
pub fn check_expression(scope: &Scope<'_>, source: &str) -> Vec<Problem> {
    let Ok(expr) = minijinja::machinery::parse_expr(source) else {
        return Vec::new();
    };
    let mut walker = Walker::new(scope, source);
    walker.expr(&expr);
    if walker.problems.is_empty() {
        if let Ok(compiled) = scope.env.compile_expression(source) {
            for sample in &scope.samples {
                let Err(e) = compiled.eval(sample) else {
                    continue;
                };
                if matches!(
                    e.kind(),
                    ErrorKind::InvalidOperation
                        | ErrorKind::MissingArgument
                        | ErrorKind::TooManyArguments
                        | ErrorKind::UnknownMethod
                        | ErrorKind::CannotUnpack
                        | ErrorKind::BadSerialization
                ) {
                    walker.problems.push(Problem {
                        code: LintCode::FailsOnSample,
                        message: match e.detail() {
                            Some(detail) => {
                                format!("fails on a sample machine: {}: {detail}", e.kind())
                            }
                            None => format!("fails on a sample machine: {}", e.kind()),
                        },
                        snippet: None,
                    });
                    break;
                }
            }
        }
    }
    walker.problems
}

/// Checks a template (an `observed`, a route's `why`…) and returns with its problems the plain
/// text it may print, piece by piece (an `effort` is one word of a set).
pub fn check_template(scope: &Scope<'_>, source: &str) -> (Vec<Problem>, Vec<String>) {
    let parsed =
        minijinja::machinery::parse(source, "<text>", Default::default(), Default::default());
    let Ok(stmt) = parsed else {
        return (Vec::new(), Vec::new());
    };
    let mut walker = Walker::new(scope, source);
    walker.stmt(&stmt);
    (walker.problems, walker.raw)
}

struct Walker<'s, 'a> {
    scope: &'s Scope<'a>,
    source: &'s str,
    /// Names bound inside the text (loop variables, `set`), innermost last.
    locals: Vec<BTreeSet<String>>,
    problems: Vec<Problem>,
    raw: Vec<String>,
}

/// A node's type, and its value when it is a constant string (for words of a set).
#[derive(Debug, Clone)]
struct Typed {
    kind: FactType,
    text: Option<String>,
    /// Where a constant is written, to point at a misspelt word.
    span: Option<Span>,
}

impl Typed {
    fn any() -> Typed {
        Typed {
            kind: FactType::Any,
            text: None,
            span: None,
        }
    }

    fn of(kind: FactType) -> Typed {
        Typed {
            kind,
            text: None,
            span: None,
        }
    }
}

impl<'s, 'a> Walker<'s, 'a> {
    fn new(scope: &'s Scope<'a>, source: &'s str) -> Self {
        Walker {
            scope,
            source,
            locals: Vec::new(),
            problems: Vec::new(),
            raw: Vec::new(),
        }
    }

    fn report(&mut self, code: LintCode, span: Span, message: String) {
        let start = span.start_offset as usize;
        let end = span.end_offset as usize;
        let snippet = self
            .source
            .get(start..end)
            .map(|s| s.lines().next().unwrap_or("").trim().to_string())
            .filter(|s| !s.is_empty());
        self.problems.push(Problem {
            code,
            message,
            snippet,
        });
    }

    fn is_local(&self, name: &str) -> bool {
        name == "loop" || self.locals.iter().any(|scope| scope.contains(name))
    }

    fn bind(&mut self, target: &Expr<'_>) {
        let Some(scope) = self.locals.last_mut() else {
            return;
        };
        match target {
            Expr::Var(v) => {
                scope.insert(v.id.to_string());
            }
            Expr::List(list) => {
                for item in &list.items {
                    self.bind(item);
                }
            }
            _ => {}
        }
    }

    fn stmts(&mut self, body: &[Stmt<'_>]) {
        for stmt in body {
            self.stmt(stmt);
        }
    }

    fn stmt(&mut self, stmt: &Stmt<'_>) {
        match stmt {
            Stmt::Template(t) => {
                self.locals.push(BTreeSet::new());
                self.stmts(&t.children);
                self.locals.pop();
            }
            Stmt::EmitExpr(e) => {
                self.expr(&e.expr);
            }
            Stmt::EmitRaw(r) => {
                let text = r.raw.trim();
                if !text.is_empty() {
                    self.raw.push(text.to_string());
                }
            }
            Stmt::ForLoop(f) => {
                self.expr(&f.iter);
                self.locals.push(BTreeSet::new());
                self.bind(&f.target);
                if let Some(filter) = &f.filter_expr {
                    self.expr(filter);
                }
                self.stmts(&f.body);
                self.locals.pop();
                self.stmts(&f.else_body);
            }
            Stmt::IfCond(c) => {
                self.expr(&c.expr);
                self.stmts(&c.true_body);
                self.stmts(&c.false_body);
            }
            Stmt::WithBlock(w) => {
                for (_, value) in &w.assignments {
                    self.expr(value);
                }
                self.locals.push(BTreeSet::new());
                for (target, _) in &w.assignments {
                    self.bind(target);
                }
                self.stmts(&w.body);
                self.locals.pop();
            }
            Stmt::Set(s) => {
                self.expr(&s.expr);
                self.bind(&s.target);
            }
            Stmt::AutoEscape(a) => self.stmts(&a.body),
            // Blocks, macros and the rest do not appear in rule texts; what they bind is not
            // tracked, so they are not judged.
            _ => {}
        }
    }

    /// The dotted path a chain of names, attributes and constant subscripts reads.
    fn path_of(&self, expr: &Expr<'_>) -> Option<Vec<String>> {
        match expr {
            Expr::Var(v) if !self.is_local(v.id) => Some(vec![v.id.to_string()]),
            Expr::GetAttr(g) => {
                let mut path = self.path_of(&g.expr)?;
                path.push(g.name.to_string());
                Some(path)
            }
            Expr::GetItem(g) => {
                let mut path = self.path_of(&g.expr)?;
                match &g.subscript_expr {
                    Expr::Const(c) => match c.value.as_str() {
                        Some(key) => path.push(key.to_string()),
                        // A list index: the item's fields are the list's `*`.
                        None => path.push("*".into()),
                    },
                    _ => return None,
                }
                Some(path)
            }
            _ => None,
        }
    }

    fn span_of(expr: &Expr<'_>) -> Span {
        match expr {
            Expr::Var(s) => s.span(),
            Expr::Const(s) => s.span(),
            Expr::Slice(s) => s.span(),
            Expr::UnaryOp(s) => s.span(),
            Expr::BinOp(s) => s.span(),
            Expr::Compare(s) => s.span(),
            Expr::IfExpr(s) => s.span(),
            Expr::Filter(s) => s.span(),
            Expr::Test(s) => s.span(),
            Expr::GetAttr(s) => s.span(),
            Expr::GetItem(s) => s.span(),
            Expr::Call(s) => s.span(),
            Expr::List(s) => s.span(),
            Expr::Map(s) => s.span(),
        }
    }

    /// Reads a path: reports a name the context lacks and a check id no pack has.
    fn read_path(&mut self, expr: &Expr<'_>, path: &[String]) -> Typed {
        let span = Self::span_of(expr);
        if path[0] == "check" && path.len() == 2 {
            if let Some(ids) = self.scope.check_ids {
                if !ids.contains(&path[1]) {
                    self.report(
                        LintCode::UnknownCheck,
                        span,
                        format!("`check[\"{}\"]` names a check that no pack has", path[1]),
                    );
                }
            }
        }
        match self.scope.type_of(path) {
            Some(kind) => Typed::of(kind),
            None => {
                self.report(
                    LintCode::UnknownField,
                    span,
                    format!(
                        "reads `{}`, which the inventory schema does not have{}",
                        path.join("."),
                        if self.scope.extra.is_empty() {
                            ""
                        } else {
                            " (nor do a route's `verdict`, `after_fixes`, `check` and `licence`)"
                        }
                    ),
                );
                Typed::any()
            }
        }
    }

    fn call_args(&mut self, args: &[ast::CallArg<'_>]) -> Vec<Typed> {
        args.iter()
            .map(|arg| match arg {
                ast::CallArg::Pos(e)
                | ast::CallArg::Kwarg(_, e)
                | ast::CallArg::PosSplat(e)
                | ast::CallArg::KwargSplat(e) => self.expr(e),
            })
            .collect()
    }

    fn expr(&mut self, expr: &Expr<'_>) -> Typed {
        if let Some(path) = self.path_of(expr) {
            return self.read_path(expr, &path);
        }
        match expr {
            Expr::Var(_) => Typed::any(),
            Expr::Const(c) => {
                let value = &c.value;
                match value.kind() {
                    ValueKind::Number => Typed::of(FactType::Number),
                    ValueKind::String => Typed {
                        kind: FactType::Text,
                        text: value.as_str().map(str::to_string),
                        span: Some(c.span()),
                    },
                    ValueKind::Bool => Typed::of(FactType::Bool),
                    ValueKind::Seq => Typed::of(FactType::List),
                    _ => Typed::any(),
                }
            }
            Expr::Slice(s) => {
                let inner = self.expr(&s.expr);
                for part in [&s.start, &s.stop, &s.step].into_iter().flatten() {
                    self.expr(part);
                }
                Typed::of(inner.kind)
            }
            Expr::UnaryOp(u) => {
                let inner = self.expr(&u.expr);
                match u.op {
                    ast::UnaryOpKind::Not => Typed::of(FactType::Bool),
                    ast::UnaryOpKind::Neg => {
                        if matches!(inner.kind, FactType::Text | FactType::Word(_)) {
                            self.report(
                                LintCode::TypeMismatch,
                                u.span(),
                                "negates a string".into(),
                            );
                        }
                        Typed::of(FactType::Number)
                    }
                }
            }
            Expr::BinOp(b) => {
                let left = self.expr(&b.left);
                let right_items = list_items(&b.right);
                let right = self.expr(&b.right);
                self.binop(b.op, &left, &right, right_items, b.span())
            }
            Expr::Compare(c) => {
                let mut left = self.expr(&c.expr);
                for op in &c.ops {
                    let items = list_items(&op.expr);
                    let right = self.expr(&op.expr);
                    let kind = match op.op {
                        ast::CompareOpKind::Eq => ast::BinOpKind::Eq,
                        ast::CompareOpKind::Ne => ast::BinOpKind::Ne,
                        ast::CompareOpKind::Lt => ast::BinOpKind::Lt,
                        ast::CompareOpKind::Lte => ast::BinOpKind::Lte,
                        ast::CompareOpKind::Gt => ast::BinOpKind::Gt,
                        ast::CompareOpKind::Gte => ast::BinOpKind::Gte,
                        ast::CompareOpKind::In | ast::CompareOpKind::NotIn => ast::BinOpKind::In,
                    };
                    self.binop(kind, &left, &right, items, c.span());
                    left = right;
                }
                Typed::of(FactType::Bool)
            }
            Expr::IfExpr(i) => {
                self.expr(&i.test_expr);
                let yes = self.expr(&i.true_expr);
                let no = i.false_expr.as_ref().map(|e| self.expr(e));
                match no {
                    Some(no) if no.kind == yes.kind => Typed::of(yes.kind),
                    _ => Typed::any(),
                }
            }
            Expr::Filter(f) => {
                let input = f.expr.as_ref().map(|e| self.expr(e));
                self.call_args(&f.args);
                if !self.scope.defines(Callable::Filter, f.name) {
                    self.report(
                        LintCode::UnknownFilter,
                        f.span(),
                        format!("the engine has no filter `{}`", f.name),
                    );
                    return Typed::any();
                }
                filter_result(self, f.name, input, f.span())
            }
            Expr::Test(t) => {
                self.expr(&t.expr);
                self.call_args(&t.args);
                if !self.scope.defines(Callable::Test, t.name) {
                    self.report(
                        LintCode::UnknownTest,
                        t.span(),
                        format!("the engine has no test `{}`", t.name),
                    );
                }
                Typed::of(FactType::Bool)
            }
            Expr::GetAttr(g) => {
                self.expr(&g.expr);
                Typed::any()
            }
            Expr::GetItem(g) => {
                self.expr(&g.expr);
                self.expr(&g.subscript_expr);
                Typed::any()
            }
            Expr::Call(c) => {
                self.call_args(&c.args);
                match &c.expr {
                    Expr::Var(v) if !self.is_local(v.id) => {
                        if !self.scope.defines(Callable::Function, v.id) {
                            self.report(
                                LintCode::UnknownFunction,
                                c.span(),
                                format!("the engine has no function `{}`", v.id),
                            );
                        }
                        if v.id == "version_at_least" {
                            return Typed::of(FactType::Bool);
                        }
                    }
                    // A method call (`x.startswith(…)`): the object is read like any value.
                    Expr::GetAttr(g) => {
                        self.expr(&g.expr);
                    }
                    other => {
                        self.expr(other);
                    }
                }
                Typed::any()
            }
            Expr::List(l) => {
                for item in &l.items {
                    self.expr(item);
                }
                Typed::of(FactType::List)
            }
            Expr::Map(m) => {
                for e in m.keys.iter().chain(&m.values) {
                    self.expr(e);
                }
                Typed::of(FactType::Map)
            }
        }
    }

    fn binop(
        &mut self,
        op: ast::BinOpKind,
        left: &Typed,
        right: &Typed,
        right_items: Option<Vec<Typed>>,
        span: Span,
    ) -> Typed {
        use ast::BinOpKind as Op;
        let number = |t: &Typed| t.kind == FactType::Number;
        let text = |t: &Typed| matches!(t.kind, FactType::Text | FactType::Word(_));
        let boolean = |t: &Typed| t.kind == FactType::Bool;
        match op {
            Op::Eq | Op::Ne | Op::Lt | Op::Lte | Op::Gt | Op::Gte => {
                if (number(left) && text(right)) || (text(left) && number(right)) {
                    let s = if number(left) { right } else { left };
                    let shown = s
                        .text
                        .as_ref()
                        .map(|t| format!(" `\"{t}\"`"))
                        .unwrap_or_default();
                    self.report(
                        LintCode::TypeMismatch,
                        span,
                        format!(
                            "compares a number with a string{shown}: they are never equal or \
                             ordered as intended; write the number without quotes"
                        ),
                    );
                } else if (boolean(left) && (text(right) || number(right)))
                    || (boolean(right) && (text(left) || number(left)))
                {
                    self.report(
                        LintCode::TypeMismatch,
                        span,
                        "compares true/false with a number or a string; write `true` or `false`"
                            .into(),
                    );
                } else {
                    self.word_check(left, right, span);
                    self.word_check(right, left, span);
                }
                Typed::of(FactType::Bool)
            }
            Op::In => {
                if let Some(items) = right_items {
                    for item in &items {
                        self.word_check(left, item, span);
                    }
                } else if number(left) && text(right) {
                    self.report(
                        LintCode::TypeMismatch,
                        span,
                        "looks for a number in a string".into(),
                    );
                }
                Typed::of(FactType::Bool)
            }
            Op::ScAnd | Op::ScOr => {
                if left.kind == right.kind {
                    Typed::of(left.kind.clone())
                } else {
                    Typed::any()
                }
            }
            Op::Concat => Typed::of(FactType::Text),
            Op::Add | Op::Sub | Op::Mul | Op::Div | Op::FloorDiv | Op::Rem | Op::Pow => {
                let repeat = matches!(op, Op::Mul);
                let mixed = (number(left) && text(right)) || (text(left) && number(right));
                if mixed && !repeat {
                    self.report(
                        LintCode::TypeMismatch,
                        span,
                        "does arithmetic on a number and a string".into(),
                    );
                    return Typed::any();
                }
                if number(left) && number(right) {
                    Typed::of(FactType::Number)
                } else {
                    Typed::any()
                }
            }
        }
    }

    /// A constant string compared with a value of a closed set must be one of its words.
    fn word_check(&mut self, value: &Typed, other: &Typed, span: Span) {
        let (FactType::Word(words), Some(text)) = (&value.kind, &other.text) else {
            return;
        };
        if !words.iter().any(|w| w == text) {
            self.report(
                LintCode::UnknownValue,
                other.span.unwrap_or(span),
                format!(
                    "`\"{text}\"` is not one of the words here: {}",
                    words.join(", ")
                ),
            );
        }
    }
}

/// The items of a constant list (`x in ["a", "b"]`), each as a constant.
fn list_items(expr: &Expr<'_>) -> Option<Vec<Typed>> {
    let Expr::List(list) = expr else {
        return None;
    };
    Some(
        list.items
            .iter()
            .map(|item| match item {
                Expr::Const(c) => Typed {
                    kind: FactType::Text,
                    text: c.value.as_str().map(str::to_string),
                    span: Some(c.span()),
                },
                _ => Typed::any(),
            })
            .collect(),
    )
}

/// What a filter gives, and a string handed to a filter that needs a number.
fn filter_result(
    walker: &mut Walker<'_, '_>,
    name: &str,
    input: Option<Typed>,
    span: Span,
) -> Typed {
    let numeric = ["gib", "gb", "ghz", "ps_gib", "round", "abs"];
    if numeric.contains(&name) {
        if input
            .as_ref()
            .is_some_and(|i| matches!(i.kind, FactType::Text | FactType::Word(_) | FactType::Bool))
        {
            walker.report(
                LintCode::TypeMismatch,
                span,
                format!("`{name}` needs a number, and this is not one"),
            );
        }
        return Typed::of(FactType::Number);
    }
    match name {
        "version_major" | "length" | "count" | "int" | "float" | "sum" => {
            Typed::of(FactType::Number)
        }
        "yes_no" | "lower" | "upper" | "trim" | "string" | "title" | "capitalize" | "join" => {
            Typed::of(FactType::Text)
        }
        "version" | "list" | "sort" | "unique" | "reverse" | "map" | "select" | "reject"
        | "selectattr" | "rejectattr" => Typed::of(FactType::List),
        _ => Typed::any(),
    }
}
