//! Compiles rule checks once and evaluates them against an inventory, three-valued.
//!
//! Conditions are minijinja expressions evaluated with strict undefined handling, so a fact that
//! was not collected raises an error instead of comparing as false; every such error, and every
//! answer that is not true or false, becomes `unknown` with the reason. The engine never turns
//! missing evidence into a pass or a fail: only a check's own `infer` rules answer for missing
//! facts, and their answers are labelled `evidence: inferred` with the basis and its sources.
//! Observed/required texts are templates rendered with
//! chainable undefined handling, so `a.b is defined` works in them; printing an undefined value
//! makes the whole text "not collected" rather than a sentence with a hole in it.

use crate::error::{Error, Origin, Result};
use crate::facts::inventory::Inventory;
use crate::judge::enrich::Derived;
use crate::judge::rules::route::Routes;
use crate::knowledge::checks::{Check, LoadedCheck};
use crate::knowledge::prices::Prices;
use crate::knowledge::software::KnowledgeBase;
use crate::knowledge::Knowledge;
use crate::vocab::{CheckResult, Detail, Evidence, Status, Target};
use minijinja::value::Value;
use minijinja::{Environment, Expression, UndefinedBehavior};
use std::collections::BTreeSet;
use std::sync::Arc;

/// The expressions of one check, compiled, with the facts each one names.
struct CompiledCheck<'env> {
    when: Option<CompiledExpr<'env>>,
    pass: Vec<CompiledExpr<'env>>,
    fixable_when: Vec<CompiledExpr<'env>>,
    /// The `when` of each inference, in order.
    infer: Vec<CompiledExpr<'env>>,
}

struct CompiledExpr<'env> {
    expr: Expression<'env, 'static>,
    source: String,
    /// Dotted paths into the context that the expression reads, for "not collected" reasons.
    paths: Vec<String>,
}

type CompiledChecks<'env> = Vec<CompiledCheck<'env>>;

self_cell::self_cell!(
    struct Compiled {
        owner: Environment<'static>,
        #[not_covariant]
        dependent: CompiledChecks,
    }
);

/// Loaded and compiled checks, ready to evaluate any number of machines.
pub struct RuleSet {
    /// The data the checks, routes and enrichment read.
    knowledge: Arc<Knowledge>,
    compiled: Compiled,
    texts: Environment<'static>,
    /// The top-level context names any expression or text reads.
    roots: BTreeSet<String>,
    routes: Routes,
}

/// Names the engine defines in every expression; they are not inventory facts.
pub const GLOBALS: &[&str] = &[
    "GiB",
    "GB",
    "MiB",
    "as_of",
    "version_at_least",
    "ready",
    "derived",
];

impl RuleSet {
    /// The shipped knowledge with `user_dir` over it (see [`Knowledge::load`]), compiled.
    pub fn load(user_dir: Option<&std::path::Path>) -> Result<RuleSet> {
        RuleSet::new(Arc::new(Knowledge::load(user_dir)?))
    }

    /// The knowledge these rules were compiled from: what enrich, assess and plan read.
    pub fn knowledge(&self) -> &Knowledge {
        &self.knowledge
    }

    /// The migration routes judged after these checks.
    pub fn routes(&self) -> &Routes {
        &self.routes
    }

    /// The programs-at-risk knowledge base (`software.yaml`).
    pub fn software(&self) -> &KnowledgeBase {
        self.knowledge.software()
    }

    /// Compiles the checks and routes of `knowledge`; the first expression or template that
    /// does not compile, or the first price id the table does not have, is an error.
    pub fn new(knowledge: Arc<Knowledge>) -> Result<RuleSet> {
        let checks = knowledge.checks();
        let prices = knowledge.prices();
        let mut texts = new_environment(UndefinedBehavior::Chainable);
        texts.set_formatter(|out, state, value| {
            if value.is_undefined() {
                return Err(minijinja::Error::new(
                    minijinja::ErrorKind::UndefinedError,
                    "not collected",
                ));
            }
            minijinja::escape_formatter(out, state, value)
        });
        for loaded in checks {
            let check = &loaded.check;
            let invalid = |what: &str, e: minijinja::Error| Error::RuleInvalid {
                origin: loaded.origin.clone(),
                id: check.id.clone(),
                message: format!("{what} does not compile: {e}"),
            };
            let parts = [
                ("observed", check.observed.as_ref()),
                ("required", Some(&check.required)),
                ("manual", check.manual.as_ref()),
                ("action", check.fix.as_ref().map(|f| &f.action)),
                ("effort", check.fix.as_ref().and_then(|f| f.effort.as_ref())),
            ];
            for id in check.fix.iter().flat_map(|f| &f.price) {
                if prices.get(id).is_none() {
                    return Err(Error::RuleInvalid {
                        origin: loaded.origin.clone(),
                        id: check.id.clone(),
                        message: format!(
                            "the fix names price `{id}`, which the price table (rules/data/prices.yaml) does not have"
                        ),
                    });
                }
            }
            let bases = check
                .infer
                .iter()
                .enumerate()
                .map(|(i, inference)| (format!("infer.{i}.basis"), Some(&inference.basis)));
            let parts = parts
                .into_iter()
                .map(|(part, source)| (part.to_string(), source))
                .chain(bases);
            for (part, source) in parts {
                // Plain text is shown as written; only texts with template syntax are compiled,
                // which spares rendering them for every machine.
                if let Some(source) = source.filter(|s| s.contains("{{") || s.contains("{%")) {
                    texts
                        .add_template_owned(text_name(&check.id, &part), source.clone())
                        .map_err(|e| invalid(&part, e))?;
                }
            }
        }
        let compiled = Compiled::try_new(new_environment(UndefinedBehavior::Strict), |env| {
            checks
                .iter()
                .map(|loaded| compile_check(env, loaded))
                .collect::<Result<Vec<_>>>()
        })?;
        let mut roots: BTreeSet<String> = compiled.with_dependent(|_, compiled| {
            compiled
                .iter()
                .flat_map(|c| {
                    c.when
                        .iter()
                        .chain(&c.pass)
                        .chain(&c.fixable_when)
                        .chain(&c.infer)
                })
                .flat_map(|e| e.paths.iter())
                .map(|p| root_of(p).to_string())
                .collect()
        });
        for name in texts.templates().map(|(_, t)| t) {
            roots.extend(name.undeclared_variables(false));
        }
        let routes = Routes::new(knowledge.routes().to_vec())?;
        roots.extend(routes.roots());
        Ok(RuleSet {
            knowledge,
            compiled,
            texts,
            roots,
            routes,
        })
    }

    /// The context these rules need for one machine: only the inventory fields they read.
    pub fn context(
        &self,
        inventory: &Inventory,
        derived: &Derived,
        as_of: jiff::civil::Date,
    ) -> Context {
        Context::build(inventory, derived, as_of, |field| {
            self.roots.contains(field)
        })
    }

    pub fn checks(&self) -> &[LoadedCheck] {
        self.knowledge.checks()
    }

    pub fn prices(&self) -> &Prices {
        self.knowledge.prices()
    }

    pub fn find(&self, id: &str) -> Option<&LoadedCheck> {
        self.checks().iter().find(|c| c.check.id == id)
    }

    /// The dotted fact paths each check's conditions read, in check order.
    pub fn referenced_paths(&self) -> Vec<(String, Vec<String>)> {
        self.compiled.with_dependent(|_, compiled| {
            self.checks()
                .iter()
                .zip(compiled)
                .map(|(loaded, c)| {
                    let paths: BTreeSet<String> = c
                        .when
                        .iter()
                        .chain(&c.pass)
                        .chain(&c.infer)
                        .flat_map(|e| e.paths.iter().cloned())
                        .collect();
                    (loaded.check.id.clone(), paths.into_iter().collect())
                })
                .collect()
        })
    }

    /// Evaluates every check of the given targets, in pack order.
    pub fn evaluate(&self, context: &Context, targets: &[Target]) -> Vec<CheckResult> {
        self.evaluate_with(context, targets, Detail::Full)
    }

    /// Every check of `targets`, in pack order, worked out to `detail`.
    pub fn evaluate_with(
        &self,
        context: &Context,
        targets: &[Target],
        detail: Detail,
    ) -> Vec<CheckResult> {
        self.compiled.with_dependent(|_, compiled| {
            self.checks()
                .iter()
                .zip(compiled)
                .filter(|(loaded, _)| targets.contains(&loaded.check.target))
                .map(|(loaded, c)| self.evaluate_one(&loaded.check, c, context, detail))
                .collect()
        })
    }

    fn evaluate_one(
        &self,
        check: &Check,
        compiled: &CompiledCheck<'_>,
        context: &Context,
        detail: Detail,
    ) -> CheckResult {
        let ctx = &context.value;
        let full = detail == Detail::Full;
        let (mut status, mut reason) = judge_check(compiled, context, full);
        let mut evidence =
            matches!(status, Status::Pass | Status::Fail).then_some(Evidence::Observed);
        // The inference that answered, when the check's own facts could not.
        let inferred = (status == Status::Unknown)
            .then(|| {
                compiled
                    .infer
                    .iter()
                    .position(|when| matches!(judge(when, context, false), Answer::True))
            })
            .flatten()
            .map(|index| (index, &check.infer[index]));
        if let Some((_, inference)) = inferred {
            status = inference.status;
            evidence = Some(Evidence::Inferred);
            // The missing facts stay named: they are what a person confirms.
            reason = reason.map(|why| format!("not observed: {why}"));
        }
        let applies = status != Status::NotApplicable;
        let text = |part: &str, wanted: bool| {
            (full && wanted)
                .then(|| self.render_text(check, part, ctx))
                .flatten()
        };
        let basis = inferred.and_then(|(index, inference)| {
            full.then(|| {
                self.render_named(
                    &check.id,
                    &format!("infer.{index}.basis"),
                    &inference.basis,
                    ctx,
                )
            })
            .flatten()
            .or_else(|| full.then(|| inference.basis.trim().to_string()))
        });
        let fix = match (status, inferred) {
            (Status::Fail, Some((_, inference))) if inference.fix.is_some() => {
                inference.fix.clone()
            }
            (Status::Fail, _) => check.fix.clone().map(|mut fix| {
                if !fix.fixable && !compiled.fixable_when.is_empty() {
                    match judge_all(&compiled.fixable_when, context, full) {
                        Answer::True => fix.fixable = true,
                        Answer::False => {}
                        // Fixable only if the facts that could not be seen turn out well.
                        Answer::Unknown(why) => fix.fixable_if_confirmed = Some(why),
                    }
                }
                if let Some(action) = text("action", full) {
                    fix.action = action;
                }
                if fix.effort.is_some() {
                    fix.effort = text("effort", full).or(fix.effort);
                }
                fix
            }),
            _ => None,
        };
        let refs = match (full, inferred) {
            (false, _) => Vec::new(),
            (true, Some((_, inference))) => {
                let mut refs = inference.refs.clone();
                refs.extend(
                    check
                        .refs
                        .iter()
                        .filter(|r| !inference.refs.contains(r))
                        .cloned(),
                );
                refs
            }
            (true, None) => check.refs.clone(),
        };
        CheckResult {
            id: check.id.clone(),
            target: check.target,
            section: check.section,
            status,
            evidence,
            basis,
            severity: check.severity,
            enforced: check.enforced,
            title: check.title.clone(),
            observed: text("observed", applies),
            required: match detail {
                Detail::Full => self
                    .render_text(check, "required", ctx)
                    .unwrap_or_else(|| check.required.clone()),
                Detail::Counts => String::new(),
            },
            reason,
            manual: text(
                "manual",
                status == Status::Unknown || evidence == Some(Evidence::Inferred),
            ),
            prices: fix
                .iter()
                .flat_map(|f| &f.price)
                .filter_map(|id| self.prices().get(id).cloned())
                .collect(),
            fix,
            refs,
        }
    }

    /// Renders one of a check's texts by its template name; plain text as written.
    fn render_named(&self, id: &str, part: &str, source: &str, ctx: &Value) -> Option<String> {
        let text = match self.texts.get_template(&text_name(id, part)) {
            Ok(template) => template.render(ctx).ok()?,
            Err(_) => source.to_string(),
        };
        let text = text.trim();
        (!text.is_empty()).then(|| text.to_string())
    }

    fn render_text(&self, check: &Check, part: &str, ctx: &Value) -> Option<String> {
        let source = match part {
            "observed" => check.observed.as_ref(),
            "required" => Some(&check.required),
            "action" => check.fix.as_ref().map(|f| &f.action),
            "effort" => check.fix.as_ref().and_then(|f| f.effort.as_ref()),
            _ => check.manual.as_ref(),
        }?;
        let text = match self.texts.get_template(&text_name(&check.id, part)) {
            Ok(template) => template.render(ctx).ok()?,
            Err(_) => source.clone(),
        };
        let text = text.trim();
        (!text.is_empty()).then(|| text.to_string())
    }

    /// Runs every check's examples; each outcome says what was expected and what came out.
    pub fn run_examples(&self) -> Vec<ExampleOutcome> {
        let as_of = jiff::civil::date(2026, 11, 27);
        let mut outcomes = Vec::new();
        for loaded in self.checks() {
            for (index, example) in loaded.check.examples.iter().enumerate() {
                let outcome =
                    match crate::knowledge::checks::example_inventory(example, &loaded.origin) {
                        Ok(inventory) => {
                            let context = Context::new(&inventory, &self.knowledge, as_of);
                            let got = self
                                .evaluate(&context, &[loaded.check.target])
                                .into_iter()
                                .find(|r| r.id == loaded.check.id)
                                .expect("the check is in its own target");
                            Ok(got)
                        }
                        Err(e) => Err(e.to_string()),
                    };
                outcomes.push(ExampleOutcome {
                    id: loaded.check.id.clone(),
                    origin: loaded.origin.clone(),
                    index,
                    expected: example.expect,
                    expected_evidence: example.evidence,
                    got: outcome,
                });
            }
        }
        outcomes
    }
}

/// One rule example's run.
#[derive(Debug)]
pub struct ExampleOutcome {
    pub id: String,
    pub origin: Origin,
    pub index: usize,
    pub expected: Status,
    /// The evidence the example asks for, if it pins one.
    pub expected_evidence: Option<Evidence>,
    pub got: std::result::Result<CheckResult, String>,
}

impl ExampleOutcome {
    pub fn passed(&self) -> bool {
        matches!(&self.got, Ok(r) if r.status == self.expected
            && self.expected_evidence.is_none_or(|e| r.evidence == Some(e)))
    }
}

/// What the expressions see for one machine: the inventory's fields at the top level (with the
/// product key masked, so no check text can show it), the derived facts under `derived`, and the
/// assessment date as `as_of`.
pub struct Context {
    value: Value,
}

impl Context {
    /// This context plus more top-level names (the plan adds the verdicts and check statuses).
    /// The names are looked up in the additions first, then here: nothing is copied.
    pub fn with(&self, extra: impl IntoIterator<Item = (&'static str, Value)>) -> Context {
        Context {
            value: Value::from_object(Layered {
                extra: extra.into_iter().collect(),
                base: self.value.clone(),
            }),
        }
    }

    /// Evaluates a condition three-valued: `Some(true/false)`, or `None` with the reason.
    pub fn judge(&self, expr: &Expression<'_, '_>) -> std::result::Result<bool, String> {
        match expr.eval(&self.value) {
            Ok(v) if v.kind() == minijinja::value::ValueKind::Bool => Ok(v.is_true()),
            Ok(v) if v.is_undefined() || v.is_none() => Err("cannot tell".into()),
            Ok(v) => Err(format!("gave {v:?}, not true or false")),
            Err(e) => Err(e
                .detail()
                .map(str::to_string)
                .unwrap_or_else(|| e.to_string())),
        }
    }

    /// Renders a template against this context; `None` when it prints a missing fact.
    pub fn render(&self, template: &minijinja::Template<'_, '_>) -> Option<String> {
        template
            .render(&self.value)
            .ok()
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
    }
}

/// A context with names added on top of another.
#[derive(Debug)]
struct Layered {
    extra: std::collections::BTreeMap<&'static str, Value>,
    base: Value,
}

impl minijinja::value::Object for Layered {
    fn get_value(self: &std::sync::Arc<Self>, key: &Value) -> Option<Value> {
        if let Some(value) = key.as_str().and_then(|k| self.extra.get(k)) {
            return Some(value.clone());
        }
        self.base.get_item(key).ok().filter(|v| !v.is_undefined())
    }

    fn enumerate(self: &std::sync::Arc<Self>) -> minijinja::value::Enumerator {
        let mut keys: Vec<Value> = self.base.try_iter().into_iter().flatten().collect();
        keys.extend(self.extra.keys().map(|k| Value::from(*k)));
        keys.sort();
        keys.dedup();
        minijinja::value::Enumerator::Values(keys)
    }
}

impl Context {
    /// The context with every inventory field, its facts derived from `knowledge`.
    pub fn new(inventory: &Inventory, knowledge: &Knowledge, as_of: jiff::civil::Date) -> Context {
        let derived = Derived::from_inventory(inventory, knowledge, as_of);
        Context::build(inventory, &derived, as_of, |_| true)
    }

    /// The context with only the inventory fields `wanted` says are read: turning a field into
    /// template values is most of a context's cost, and a long program list is most of that.
    /// `derived` must come from the same inventory (the full one: it reads the key); the context
    /// itself shows the key masked, so no rule text can print it.
    fn build(
        inventory: &Inventory,
        derived: &Derived,
        as_of: jiff::civil::Date,
        wanted: impl Fn(&str) -> bool,
    ) -> Context {
        let mut map: std::collections::BTreeMap<&'static str, Value> =
            std::collections::BTreeMap::new();
        macro_rules! put {
            ($($field:ident),*) => {$(
                if wanted(stringify!($field)) {
                    if let Some(value) = &inventory.$field {
                        map.insert(stringify!($field), Value::from_serialize(value));
                    }
                }
            )*};
        }
        put!(
            schema,
            collected_at,
            source,
            host,
            os,
            cpu,
            memory,
            storage,
            firmware,
            tpm,
            graphics,
            display,
            software,
            sources
        );
        if wanted("license") {
            if let Some(license) = &inventory.license {
                let mut shown = license.clone();
                shown.product_key = shown
                    .product_key
                    .as_deref()
                    .map(crate::facts::productkey::mask);
                map.insert("license", Value::from_serialize(&shown));
            }
        }
        if wanted("notes") && !inventory.notes.is_empty() {
            map.insert("notes", Value::from_serialize(&inventory.notes));
        }
        map.insert("derived", Value::from_serialize(derived));
        map.insert("as_of", Value::from(as_of.to_string()));
        Context {
            value: Value::from(map),
        }
    }

    /// Looks a dotted path up; undefined and none both mean "not collected".
    fn lookup(&self, path: &str) -> Option<Value> {
        let mut value = self.value.clone();
        for part in path.split('.') {
            value = value.get_attr(part).ok()?;
            if value.is_undefined() || value.is_none() {
                return None;
            }
        }
        Some(value)
    }
}

impl Context {
    /// The enrich stage's reason for leaving out a derived fact.
    fn derived_unknown(&self, path: &str) -> Option<String> {
        let reasons = self.lookup("derived.unknown")?;
        let why = reasons.get_item(&Value::from(path)).ok()?;
        why.as_str().map(str::to_string)
    }
}

enum Answer {
    True,
    False,
    /// Cannot tell, and why (empty when no explanation was asked for).
    Unknown(String),
}

/// A check's status, and with `explain` the reason for any status but pass.
fn judge_check(
    compiled: &CompiledCheck<'_>,
    context: &Context,
    explain: bool,
) -> (Status, Option<String>) {
    if let Some(when) = &compiled.when {
        match judge(when, context, explain) {
            Answer::True => {}
            Answer::False => {
                return (
                    Status::NotApplicable,
                    explain.then(|| format!("does not apply: {}", when.source)),
                );
            }
            Answer::Unknown(why) => {
                return (
                    Status::Unknown,
                    explain.then(|| format!("cannot tell whether it applies: {why}")),
                );
            }
        }
    }
    let mut unknown = Vec::new();
    let mut failed = Vec::new();
    for condition in &compiled.pass {
        match judge(condition, context, explain) {
            Answer::True => {}
            // One false condition fails the check whatever the others say (Kleene AND); only
            // an explanation needs to know which others failed too.
            Answer::False if !explain => return (Status::Fail, None),
            Answer::False => failed.push(condition.source.as_str()),
            Answer::Unknown(why) => unknown.push(why),
        }
    }
    if !failed.is_empty() {
        (
            Status::Fail,
            explain.then(|| format!("not met: {}", failed.join("; "))),
        )
    } else if !unknown.is_empty() {
        dedup_in_order(&mut unknown);
        (Status::Unknown, explain.then(|| unknown.join("; ")))
    } else {
        (Status::Pass, None)
    }
}

/// All of `conditions`, in three-valued logic: one false condition makes the whole false
/// whatever the others say; otherwise one unknown makes it unknown.
fn judge_all(conditions: &[CompiledExpr<'_>], context: &Context, explain: bool) -> Answer {
    let mut unknown = Vec::new();
    for condition in conditions {
        match judge(condition, context, explain) {
            Answer::True => {}
            Answer::False => return Answer::False,
            Answer::Unknown(why) => unknown.push(why),
        }
    }
    if unknown.is_empty() {
        Answer::True
    } else {
        dedup_in_order(&mut unknown);
        Answer::Unknown(unknown.join("; "))
    }
}

fn judge(condition: &CompiledExpr<'_>, context: &Context, explain: bool) -> Answer {
    let unknown =
        |why: &dyn Fn() -> String| Answer::Unknown(if explain { why() } else { String::new() });
    match condition.expr.eval(&context.value) {
        Ok(v) if v.kind() == minijinja::value::ValueKind::Bool => {
            if v.is_true() {
                Answer::True
            } else {
                Answer::False
            }
        }
        Ok(v) if v.is_undefined() || v.is_none() => {
            unknown(&|| missing_reason(condition, context, None))
        }
        Ok(v) => unknown(&|| format!("`{}` gave {v:?}, not true or false", condition.source)),
        Err(e) => unknown(&|| missing_reason(condition, context, Some(&e))),
    }
}

/// Says which facts were missing, preferring the enrich stage's own explanation for a derived
/// fact it could not establish.
fn missing_reason(
    condition: &CompiledExpr<'_>,
    context: &Context,
    error: Option<&minijinja::Error>,
) -> String {
    let missing: Vec<&str> = condition
        .paths
        .iter()
        .filter(|p| context.lookup(p).is_none())
        .map(String::as_str)
        .collect();
    if missing.is_empty() {
        return match error {
            Some(e) => format!(
                "`{}` could not be evaluated: {}",
                condition.source,
                e.detail().unwrap_or(&e.to_string())
            ),
            None => format!("`{}` gave no answer", condition.source),
        };
    }
    let mut parts = Vec::new();
    let mut plain = Vec::new();
    for path in missing {
        match path
            .strip_prefix("derived.")
            .and_then(|p| context.derived_unknown(p))
        {
            Some(why) => parts.push(why.to_string()),
            None => plain.push(path),
        }
    }
    // Facts the enrich stage leaves out for one reason (no adapter collected) say it once.
    dedup_in_order(&mut parts);
    if !plain.is_empty() {
        parts.insert(0, format!("not collected: {}", plain.join(", ")));
    }
    parts.join("; ")
}

fn root_of(path: &str) -> &str {
    path.split('.').next().unwrap_or(path)
}

fn dedup_in_order(items: &mut Vec<String>) {
    let mut seen = BTreeSet::new();
    items.retain(|i| seen.insert(i.clone()));
}

fn text_name(id: &str, part: &str) -> String {
    format!("{id}#{part}")
}

fn compile_check<'env>(
    env: &'env Environment<'static>,
    loaded: &LoadedCheck,
) -> Result<CompiledCheck<'env>> {
    let check = &loaded.check;
    let compile = |what: &str, source: &str| -> Result<CompiledExpr<'env>> {
        let expr = env
            .compile_expression_owned(source.to_string())
            .map_err(|e| Error::RuleInvalid {
                origin: loaded.origin.clone(),
                id: check.id.clone(),
                message: format!("`{what}` does not compile: {e}"),
            })?;
        let mut paths: Vec<String> = expr
            .undeclared_variables(true)
            .into_iter()
            .filter(|p| !GLOBALS.contains(&p.as_str()))
            .collect();
        paths.sort();
        Ok(CompiledExpr {
            expr,
            source: source.to_string(),
            paths,
        })
    };
    Ok(CompiledCheck {
        when: check
            .when
            .as_deref()
            .map(|w| compile("when", w))
            .transpose()?,
        pass: check
            .pass
            .as_slice()
            .iter()
            .map(|p| compile("pass", p))
            .collect::<Result<_>>()?,
        fixable_when: check
            .fix
            .iter()
            .flat_map(|f| &f.fixable_when)
            .map(|w| compile("fix.fixable_when", w))
            .collect::<Result<_>>()?,
        infer: check
            .infer
            .iter()
            .map(|i| compile("infer.when", &i.when))
            .collect::<Result<_>>()?,
    })
}

const GIB: u64 = 1 << 30;

/// An environment with the engine's globals, filters and functions.
pub fn new_environment(undefined: UndefinedBehavior) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(undefined);
    env.add_global("GiB", GIB);
    env.add_global("MiB", 1u64 << 20);
    env.add_global("GB", 1_000_000_000u64);
    env.add_filter("ps_gib", filters::ps_gib);
    env.add_filter("gib", filters::gib);
    env.add_filter("gb", filters::gb);
    env.add_filter("ghz", filters::ghz);
    env.add_filter("version_major", filters::version_major);
    env.add_filter("version", filters::version);
    env.add_filter("yes_no", filters::yes_no);
    env.add_function("version_at_least", filters::version_at_least);
    env.add_function("ready", filters::ready);
    env.add_test("version_at_least", filters::is_version_at_least);
    env
}

/// The filters and functions rules may use. Each passes an undefined input through as undefined,
/// so a missing fact stays missing instead of becoming a number.
pub mod filters {
    use minijinja::value::Value;
    use minijinja::{Error, ErrorKind};

    fn number(value: &Value, what: &str) -> Result<Option<f64>, Error> {
        if value.is_undefined() || value.is_none() {
            return Ok(None);
        }
        f64::try_from(value.clone()).map(Some).map_err(|_| {
            Error::new(
                ErrorKind::InvalidOperation,
                format!("{what} needs a number, got {value}"),
            )
        })
    }

    /// PowerShell's `$bytes / 1GB -as [int]`, as HardwareReadiness.ps1 computes sizes: division
    /// first, then rounding half to even (.NET's default for a double to int conversion).
    pub fn ps_gib(value: Value) -> Result<Value, Error> {
        Ok(match number(&value, "ps_gib")? {
            Some(bytes) => Value::from(crate::facts::inventory::powershell_gib(bytes)),
            None => Value::UNDEFINED,
        })
    }

    /// Bytes as GiB with one decimal, for people.
    pub fn gib(value: Value) -> Result<Value, Error> {
        Ok(match number(&value, "gib")? {
            Some(bytes) => Value::from(((bytes / super::GIB as f64) * 10.0).round() / 10.0),
            None => Value::UNDEFINED,
        })
    }

    /// Bytes as decimal gigabytes with one decimal, as disk makers label them.
    pub fn gb(value: Value) -> Result<Value, Error> {
        Ok(match number(&value, "gb")? {
            Some(bytes) => Value::from((bytes / 1e8).round() / 10.0),
            None => Value::UNDEFINED,
        })
    }

    /// MHz as GHz with two decimals.
    pub fn ghz(value: Value) -> Result<Value, Error> {
        Ok(match number(&value, "ghz")? {
            Some(mhz) => Value::from((mhz / 10.0).round() / 100.0),
            None => Value::UNDEFINED,
        })
    }

    /// A tri-state fact for people: yes, no, or not collected.
    pub fn yes_no(value: Value) -> Value {
        Value::from(if value.is_undefined() || value.is_none() {
            "not collected"
        } else if value.is_true() {
            "yes"
        } else {
            "no"
        })
    }

    pub use crate::facts::inventory::parse_version;

    fn version_of(value: &Value) -> Result<Option<Vec<u64>>, Error> {
        if value.is_undefined() || value.is_none() {
            return Ok(None);
        }
        let text = value.to_string();
        parse_version(&text).map(Some).ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidOperation,
                format!("`{text}` is not a version"),
            )
        })
    }

    /// The major number of a version such as "1.2" or "2.0".
    pub fn version_major(value: Value) -> Result<Value, Error> {
        Ok(match version_of(&value)? {
            Some(parts) => Value::from(parts[0]),
            None => Value::UNDEFINED,
        })
    }

    /// A version as a list of numbers, which compares part by part.
    pub fn version(value: Value) -> Result<Value, Error> {
        Ok(match version_of(&value)? {
            Some(parts) => Value::from(parts),
            None => Value::UNDEFINED,
        })
    }

    /// The test form of [`version_at_least`], for `selectattr`: a value that is missing or not a
    /// version is not at least anything.
    pub fn is_version_at_least(value: Value, minimum: Value) -> bool {
        matches!(
            (version_of(&value), version_of(&minimum)),
            (Ok(Some(v)), Ok(Some(m))) if v >= m
        )
    }

    /// A verdict as a route's tri-state answer: true for `ready`, false for `not-ready`, none for
    /// anything else (`unknown`, `ready-to-confirm`, or a verdict not given), so "open only if
    /// the unknown checks turn out well" is written once instead of in every route.
    pub fn ready(verdict: Value) -> Value {
        match verdict.as_str() {
            Some("ready") => Value::from(true),
            Some("not-ready") => Value::from(false),
            _ => Value::from(()),
        }
    }

    /// Whether `value` is at least `minimum`, comparing dotted versions part by part.
    pub fn version_at_least(value: Value, minimum: Value) -> Result<Value, Error> {
        match (version_of(&value)?, version_of(&minimum)?) {
            (Some(v), Some(m)) => Ok(Value::from(v >= m)),
            _ => Ok(Value::UNDEFINED),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::filters::*;
    use minijinja::value::Value;

    #[test]
    fn the_context_carries_every_inventory_field() {
        let inventory: crate::facts::inventory::Inventory = crate::yaml::from_str(
            "schema: s\ncollected_at: t\nsource: {}\nhost: {}\nos: {}\ncpu: {}\nmemory: {}\nstorage: {}\n\
             firmware: {}\ntpm: {}\ngraphics: []\ndisplay: {}\nlicense: {}\nsoftware: []\nnotes: [n]\n\
             sources: {a: b}\n",
        )
        .unwrap();
        let full = Value::from_serialize(&inventory);
        let context = super::Context::new(
            &inventory,
            &crate::knowledge::Knowledge::embedded(),
            jiff::civil::date(2026, 1, 1),
        );
        for key in full.try_iter().unwrap() {
            assert!(
                !context.value.get_item(&key).unwrap().is_undefined(),
                "the context leaves out `{key}`: add it to Context::build"
            );
        }
    }

    #[test]
    fn ps_gib_rounds_like_powershell() {
        assert_eq!(
            ps_gib(Value::from(64_000_000_000u64)).unwrap(),
            Value::from(60)
        );
        assert_eq!(ps_gib(Value::from(4u64 << 30)).unwrap(), Value::from(4));
        // 2.5 GiB rounds to even (2), 3.5 GiB to 4.
        assert_eq!(ps_gib(Value::from(5u64 << 29)).unwrap(), Value::from(2));
        assert_eq!(ps_gib(Value::from(7u64 << 29)).unwrap(), Value::from(4));
        assert!(ps_gib(Value::UNDEFINED).unwrap().is_undefined());
        assert!(ps_gib(Value::from("many")).is_err());
    }

    #[test]
    fn versions_compare_part_by_part() {
        assert_eq!(
            version_at_least(Value::from("2.0"), Value::from("2.0")).unwrap(),
            Value::from(true)
        );
        assert_eq!(
            version_at_least(Value::from("1.10"), Value::from("1.9")).unwrap(),
            Value::from(true)
        );
        assert_eq!(
            version_at_least(Value::from("1.2"), Value::from("2")).unwrap(),
            Value::from(false)
        );
        assert_eq!(
            version_major(Value::from("1.2, 2, 3")).unwrap(),
            Value::from(1)
        );
        assert!(version_at_least(Value::UNDEFINED, Value::from("2"))
            .unwrap()
            .is_undefined());
    }
}
