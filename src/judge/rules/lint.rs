//! Finds mistakes in the files `--rules DIR` may hold, and in the shipped ones, before they reach
//! a machine: the rule packs, `routes.yaml`, the data files under `data/` and the software
//! knowledge base. Every finding has a code from [`LintCode`] and, wherever the file has the
//! node, its file:line:column.
//!
//! Besides syntax, duplicate ids, missing sources and examples, it reads every expression and
//! template the way the engine will ([`expr`]): unknown filters, tests and functions, names the
//! context does not have (`verdikt`), numbers compared with strings (`cpu.cores >= "2"`),
//! words outside their set (`"fial"`, `effort: weeks`), and ids that name nothing (check ids,
//! price ids, deadline ids).
//!
//! Lint reads the texts itself rather than a loaded [`super::RuleSet`], so it reports every
//! problem in one run instead of stopping at the first. It reads the data files through their
//! own parsers ([`data`]); that is the one place to repoint when they share a loader.

mod data;
pub mod expr;
mod types;

pub use crate::vocab::LintCode;

use crate::error::{Location, Origin};
use crate::knowledge::checks::{Check, Conditions, Pack};
use crate::knowledge::prices::Prices;
use crate::knowledge::software::{self, KnowledgeBase};
use crate::knowledge::Knowledge;
use crate::vocab::{Section, Severity, Status};
use crate::yaml::Positions;
use expr::Scope;
use minijinja::UndefinedBehavior;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Warning,
    Error,
}

/// What `fix.effort` may say (after its template, if it has one, is rendered).
pub const EFFORT_WORDS: &[&str] = &["minutes", "hours", "days", "replacement"];

/// One problem found, with a stable code and where it is.
#[derive(Debug, Clone)]
pub struct Finding {
    pub level: Level,
    pub code: LintCode,
    pub origin: Origin,
    /// Where in the file, when the file could be read that far.
    pub location: Option<Location>,
    pub id: Option<String>,
    pub message: String,
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let level = match self.level {
            Level::Warning => "warning",
            Level::Error => "error",
        };
        write!(f, "{level}[{}]: {}", self.code, self.origin)?;
        if let Some(at) = self.location {
            write!(f, ":{at}")?;
        }
        if let Some(id) = &self.id {
            write!(f, ": {id}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// A file being linted: its text and where each of its nodes is.
pub(crate) struct Source {
    pub origin: Origin,
    pub text: String,
    pub positions: Positions,
    pub user: bool,
}

impl Source {
    /// Reads the positions of `text`; a text that is not YAML is a finding of `code`.
    fn new(
        origin: Origin,
        text: String,
        user: bool,
        code: LintCode,
        findings: &mut Vec<Finding>,
    ) -> Option<Source> {
        match Positions::of(&text) {
            Ok(positions) => Some(Source {
                origin,
                text,
                positions,
                user,
            }),
            Err((at, message)) => {
                findings.push(Finding {
                    level: Level::Error,
                    code,
                    origin,
                    location: Some(at),
                    id: None,
                    message,
                });
                None
            }
        }
    }

    /// The node at `path`, or the nearest one written above it.
    fn at(&self, path: &str) -> Option<Location> {
        self.positions.nearest(path)
    }

    /// Where `snippet` is first written at or after the node at `path` (an expression's
    /// offending piece), or the node itself.
    fn at_snippet(&self, path: &str, snippet: Option<&str>) -> Option<Location> {
        let start = self.at(path)?;
        let Some(snippet) = snippet else {
            return Some(start);
        };
        let offset = byte_offset(&self.text, start);
        let found = self.text[offset..].find(snippet).map(|i| offset + i);
        Some(found.map_or(start, |byte| location_of(&self.text, byte)))
    }

    fn finding(
        &self,
        level: Level,
        code: LintCode,
        location: Option<Location>,
        id: Option<&str>,
        message: String,
    ) -> Finding {
        Finding {
            level,
            code,
            origin: self.origin.clone(),
            location,
            id: id.map(str::to_string),
            message,
        }
    }
}

fn byte_offset(text: &str, at: Location) -> usize {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(at.line.saturating_sub(1))
        .map(str::len)
        .sum();
    let line = &text[line_start.min(text.len())..];
    let column: usize = line
        .chars()
        .take(at.column.saturating_sub(1))
        .map(char::len_utf8)
        .sum();
    (line_start + column).min(text.len())
}

fn location_of(text: &str, byte: usize) -> Location {
    let before = &text[..byte];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    Location {
        line,
        column: before[line_start..].chars().count() + 1,
    }
}

/// The error of a file that did not fit its format, as a finding where serde located it.
fn syntax_finding(origin: &Origin, error: &crate::Error, code: LintCode) -> Finding {
    let (location, message) = match error {
        crate::Error::RuleSyntax {
            location, message, ..
        }
        | crate::Error::DataSyntax {
            location, message, ..
        } => (*location, message.clone()),
        other => (None, other.to_string()),
    };
    // serde's "unknown variant `weeks`, expected one of ..." is a word outside its set.
    let code = if message.contains("unknown variant") {
        LintCode::UnknownValue
    } else {
        code
    };
    Finding {
        level: Level::Error,
        code,
        origin: origin.clone(),
        location,
        id: None,
        message,
    }
}

fn read_failed(origin: Origin, e: impl std::fmt::Display) -> Finding {
    Finding {
        level: Level::Error,
        code: LintCode::ReadFailed,
        origin,
        location: None,
        id: None,
        message: e.to_string(),
    }
}

/// Lints the shipped files and those in `user_dir`.
pub fn lint(user_dir: Option<&Path>) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut texts: Vec<(Origin, String, bool)> = crate::knowledge::checks::embedded_packs()
        .into_iter()
        .map(|(name, text)| (Origin(name), text.to_string(), false))
        .collect();
    if let Some(dir) = user_dir {
        match crate::knowledge::checks::user_pack_files(dir) {
            Ok(files) => {
                for path in files {
                    match std::fs::read_to_string(&path) {
                        Ok(text) => texts.push((Origin::path(&path), text, true)),
                        Err(e) => findings.push(read_failed(Origin::path(&path), e)),
                    }
                }
            }
            Err(e) => findings.push(read_failed(Origin::path(dir), e)),
        }
    }
    if let Some(dir) = user_dir {
        // Only when the directory can be read; a failure to read it is reported above.
        for path in crate::knowledge::unread_files(dir).unwrap_or_default() {
            findings.push(Finding {
                level: Level::Warning,
                code: LintCode::NotRead,
                origin: Origin::path(&path),
                // The whole file: its first line.
                location: Some(Location { line: 1, column: 1 }),
                id: None,
                message: format!(
                    "not read: --rules reads rule packs (*.yaml at its top), {} and data/{{{}}}",
                    crate::knowledge::checks::NOT_CHECK_PACKS.join(", "),
                    crate::knowledge::DATA_FILES.join(",")
                ),
            });
        }
    }
    let known = data::lint_data(user_dir, &mut findings);
    // Expressions are tried on what enrich derives with the knowledge being linted; a user's file
    // that does not load is reported above, and the shipped data stands in for it.
    let knowledge = match Knowledge::load(user_dir).or_else(|_| Knowledge::load(None)) {
        Ok(knowledge) => knowledge,
        Err(e) => {
            findings.push(read_failed(Origin("<shipped rules>".into()), e));
            return findings;
        }
    };

    let env = super::engine::new_environment(UndefinedBehavior::Strict);
    // Worked out once: both scopes, the checks' and the routes', type facts alike.
    let types = types::FactTypes::new(&knowledge);
    let scope = Scope::checks(&env, &knowledge, &types);
    let mut seen: BTreeMap<String, (Origin, bool)> = BTreeMap::new();
    let mut pack_ids = BTreeSet::new();
    for (origin, text, user) in texts {
        let Some(source) = Source::new(origin, text, user, LintCode::RuleSyntax, &mut findings)
        else {
            continue;
        };
        let pack = match Pack::parse(&source.text, &source.origin) {
            Ok(pack) => pack,
            Err(e) => {
                let mut finding = syntax_finding(&source.origin, &e, LintCode::RuleSyntax);
                if finding.location.is_none() {
                    finding.location = Some(data::locate_message(&source.text, &finding.message));
                }
                findings.push(finding);
                continue;
            }
        };
        pack_ids.insert(pack.pack.clone());
        for (index, check) in pack.checks.iter().enumerate() {
            let base = format!("checks.{index}");
            let mut report = |level, code, path: &str, snippet: Option<&str>, message| {
                let at = if path.is_empty() {
                    source.at(&base)
                } else {
                    source.at_snippet(&format!("{base}.{path}"), snippet)
                };
                findings.push(source.finding(level, code, at, Some(&check.id), message));
            };
            match seen.get(&check.id) {
                Some((first, first_user)) if source.user && !first_user => report(
                    Level::Warning,
                    LintCode::ReplacesShipped,
                    "id",
                    None,
                    format!("replaces the shipped check from {first}"),
                ),
                Some((first, _)) => report(
                    Level::Error,
                    LintCode::DuplicateId,
                    "id",
                    None,
                    format!("the id is also used in {first}"),
                ),
                None => {}
            }
            seen.insert(check.id.clone(), (source.origin.clone(), source.user));
            if !knowledge.targets().contains(check.target) {
                report(
                    Level::Error,
                    LintCode::UnknownValue,
                    "target",
                    None,
                    format!(
                        "`target: {}` is not a target of rules/data/targets.yaml ({})",
                        check.target,
                        knowledge.targets().ids()
                    ),
                );
            }
            lint_check(check, &known.prices, &env, &scope, &mut report);
        }
    }

    let check_ids: BTreeSet<String> = seen.into_keys().collect();
    data::lint_target_packs(user_dir, &pack_ids, &mut findings);
    data::lint_routes(
        user_dir,
        &known,
        &check_ids,
        &env,
        &knowledge,
        &types,
        &mut findings,
    );

    let shipped_text = KnowledgeBase::embedded_text();
    let shipped_origin = Origin(format!("rules/{}", software::FILE_NAME));
    let targets = knowledge.targets();
    let shipped_ids = lint_knowledge(&shipped_origin, shipped_text, None, targets, &mut findings);
    if let Some(dir) = user_dir {
        let path = dir.join(software::FILE_NAME);
        if path.is_file() {
            match std::fs::read_to_string(&path) {
                Ok(text) => {
                    lint_knowledge(
                        &Origin::path(&path),
                        &text,
                        Some(&shipped_ids),
                        targets,
                        &mut findings,
                    );
                }
                Err(e) => findings.push(read_failed(Origin::path(&path), e)),
            }
        }
    }
    findings
}

/// Lints a software knowledge file and returns the ids of its entries. With `shipped`, it is a
/// user's file, whose entries may replace shipped ones (a warning, as for checks).
fn lint_knowledge(
    origin: &Origin,
    text: &str,
    shipped: Option<&BTreeSet<String>>,
    targets: &crate::knowledge::targets::Targets,
    findings: &mut Vec<Finding>,
) -> BTreeSet<String> {
    let (entries, problems) = software::check(text);
    let positions = Positions::of(text).ok();
    for (index, entry) in entries.iter().enumerate() {
        if let software::Affects::Only(target) = entry.affects {
            if !targets.contains(target) {
                findings.push(Finding {
                    level: Level::Error,
                    code: LintCode::UnknownValue,
                    origin: origin.clone(),
                    location: positions
                        .as_ref()
                        .and_then(|p| p.nearest(&format!("entries.{index}.affects"))),
                    id: Some(entry.id.clone()),
                    message: format!(
                        "`affects: {target}` is neither `both` nor a target of \
                         rules/data/targets.yaml ({})",
                        targets.ids()
                    ),
                });
            }
        }
    }
    let clean = problems.is_empty();
    for problem in problems {
        findings.push(Finding {
            level: Level::Error,
            code: problem.code,
            origin: origin.clone(),
            location: problem.location,
            id: problem.id,
            message: problem.message,
        });
    }
    if clean {
        // Each pattern compiled alone; together they must also fit the set's size limits.
        if let Err(e) = KnowledgeBase::parse(text, origin) {
            findings.push(Finding {
                level: Level::Error,
                code: LintCode::of_error_code(e.code()),
                origin: origin.clone(),
                location: Some(data::locate_message(text, &e.to_string())),
                id: None,
                message: e.to_string(),
            });
        }
    }
    if let Some(shipped) = shipped {
        for (index, entry) in entries.iter().enumerate() {
            if !shipped.contains(&entry.id) {
                continue;
            }
            findings.push(Finding {
                level: Level::Warning,
                code: LintCode::ReplacesShipped,
                origin: origin.clone(),
                location: positions
                    .as_ref()
                    .and_then(|p| p.nearest(&format!("entries.{index}.id"))),
                id: Some(entry.id.clone()),
                message: format!(
                    "replaces the shipped entry from rules/{}",
                    software::FILE_NAME
                ),
            });
        }
    }
    entries.into_iter().map(|e| e.id).collect()
}

/// Reports a problem of one check: level, code, the path of the node below the check
/// (`pass.1`; empty for the check itself), the piece of text it is about, the message.
type Report<'r> = dyn FnMut(Level, LintCode, &str, Option<&str>, String) + 'r;

fn lint_check(
    check: &Check,
    prices: &Prices,
    env: &minijinja::Environment<'static>,
    scope: &Scope<'_>,
    report: &mut Report<'_>,
) {
    let valid_id = check.id.split('.').count() >= 2
        && check.id.split('.').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        });
    if !valid_id {
        report(
            Level::Error,
            LintCode::BadId,
            "id",
            None,
            "ids are dotted lowercase words, e.g. `win11.memory`".into(),
        );
    }
    if check.title.trim().is_empty() {
        report(
            Level::Error,
            LintCode::MissingField,
            "title",
            None,
            "`title` is empty".into(),
        );
    }
    if check.required.trim().is_empty() {
        report(
            Level::Error,
            LintCode::MissingField,
            "required",
            None,
            "`required` is empty".into(),
        );
    }
    if check.refs.is_empty() {
        report(
            Level::Error,
            LintCode::MissingSource,
            "",
            None,
            "no `refs`: every check cites the public source of its threshold".into(),
        );
    }
    for (index, reference) in check.refs.iter().enumerate() {
        if !(reference.url.starts_with("https://") || reference.url.starts_with("http://")) {
            report(
                Level::Error,
                LintCode::BadRef,
                &format!("refs.{index}.url"),
                None,
                format!("`{}` is not a web address", reference.url),
            );
        }
    }
    if check.section == Section::Licence && check.severity == Severity::Blocker {
        report(
            Level::Error,
            LintCode::LicenceBlocker,
            "severity",
            None,
            "a `section: licence` check cannot be a blocker: licensing never decides a hardware verdict".into(),
        );
    }
    let fixes =
        check.fix.iter().map(|f| ("fix".to_string(), f)).chain(
            check.infer.iter().enumerate().filter_map(|(i, inference)| {
                Some((format!("infer.{i}.fix"), inference.fix.as_ref()?))
            }),
        );
    for (at, fix) in fixes {
        for (index, id) in fix.price.iter().enumerate() {
            if prices.get(id).is_none() {
                // One id is written as a string, several as a list.
                let path = if fix.price.len() == 1 {
                    format!("{at}.price")
                } else {
                    format!("{at}.price.{index}")
                };
                report(
                    Level::Error,
                    LintCode::UnknownPrice,
                    &path,
                    None,
                    format!("the fix names price `{id}`, which the price table (rules/data/prices.yaml) does not have"),
                );
            }
        }
        if let Some(effort) = &fix.effort {
            lint_effort(&format!("{at}.effort"), effort, scope, report);
        }
        if at != "fix" {
            lint_template(env, scope, &format!("{at}.action"), &fix.action, report);
        }
    }
    if check.manual.is_none() {
        report(
            Level::Warning,
            LintCode::MissingManual,
            "",
            None,
            "no `manual`: say what to check by hand when the evidence cannot tell".into(),
        );
    }

    for (index, inference) in check.infer.iter().enumerate() {
        let n = index + 1;
        if !matches!(inference.status, Status::Pass | Status::Fail) {
            report(
                Level::Error,
                LintCode::BadInference,
                &format!("infer.{index}.status"),
                None,
                format!(
                    "inference {n} gives `{}`: an inference answers pass or fail",
                    inference.status
                ),
            );
        }
        if inference.refs.is_empty() {
            report(
                Level::Error,
                LintCode::MissingSource,
                &format!("infer.{index}"),
                None,
                format!(
                    "inference {n} has no `refs`: every inference cites what its premise rests on"
                ),
            );
        }
        if inference.basis.trim().is_empty() {
            report(
                Level::Error,
                LintCode::MissingField,
                &format!("infer.{index}.basis"),
                None,
                format!("inference {n} has an empty `basis`"),
            );
        }
    }
    if !check.infer.is_empty()
        && !check
            .examples
            .iter()
            .any(|e| e.evidence == Some(crate::vocab::Evidence::Inferred))
    {
        report(
            Level::Error,
            LintCode::NoInferenceExample,
            "examples",
            None,
            "the check infers answers but no example expects `evidence: inferred`".into(),
        );
    }

    let pass_path = |index: usize| match &check.pass {
        Conditions::One(_) => "pass".to_string(),
        Conditions::All(_) => format!("pass.{index}"),
    };
    let fixable_path = |index: usize| match check.fix.as_ref().map(|f| f.fixable_when.len()) {
        Some(1) => "fix.fixable_when".to_string(),
        _ => format!("fix.fixable_when.{index}"),
    };
    let expressions = check
        .when
        .iter()
        .map(|w| ("when".to_string(), w))
        .chain(
            check
                .pass
                .as_slice()
                .iter()
                .enumerate()
                .map(|(i, p)| (pass_path(i), p)),
        )
        .chain(
            check
                .infer
                .iter()
                .enumerate()
                .map(|(i, inference)| (format!("infer.{i}.when"), &inference.when)),
        )
        .chain(
            check
                .fix
                .iter()
                .flat_map(|f| f.fixable_when.iter().enumerate())
                .map(|(i, w)| (fixable_path(i), w)),
        );
    for (path, source) in expressions {
        lint_expression(env, scope, &path, source, report);
    }
    let texts = [
        ("observed".to_string(), check.observed.as_ref()),
        ("required".to_string(), Some(&check.required)),
        ("manual".to_string(), check.manual.as_ref()),
        (
            "fix.action".to_string(),
            check.fix.as_ref().map(|f| &f.action),
        ),
    ]
    .into_iter()
    .chain(
        check
            .infer
            .iter()
            .enumerate()
            .map(|(i, inference)| (format!("infer.{i}.basis"), Some(&inference.basis))),
    );
    for (path, source) in texts {
        let Some(source) = source else { continue };
        lint_template(env, scope, &path, source, report);
    }

    if check.examples.is_empty() {
        report(
            Level::Error,
            LintCode::NoExamples,
            "",
            None,
            "no `examples`: each check pins its behaviour with examples".into(),
        );
    } else if !check.examples.iter().any(|e| {
        // A check whose `when` turns missing evidence into "does not apply" shows that with
        // an empty inventory instead.
        e.expect == Status::Unknown
            || (check.when.is_some()
                && e.expect == Status::NotApplicable
                && e.inventory.as_mapping().is_some_and(|m| m.is_empty()))
    }) {
        report(
            Level::Warning,
            LintCode::NoUnknownExample,
            "examples",
            None,
            "no example expects `unknown`: show what missing evidence gives".into(),
        );
    }
    for (index, example) in check.examples.iter().enumerate() {
        if let Err(e) =
            crate::yaml::from_value::<crate::facts::inventory::Inventory>(example.inventory.clone())
        {
            report(
                Level::Error,
                LintCode::BadExample,
                &format!("examples.{index}.inventory"),
                None,
                format!(
                    "example {} does not fit the inventory schema: {e}",
                    index + 1
                ),
            );
        }
    }
}

/// An expression at `path` (below the item being linted): it must compile, and read only what
/// the scope has, in the types it has.
pub(crate) fn lint_expression(
    env: &minijinja::Environment<'static>,
    scope: &Scope<'_>,
    path: &str,
    source: &str,
    report: &mut Report<'_>,
) {
    if let Err(e) = env.compile_expression(source) {
        report(
            Level::Error,
            LintCode::Expression,
            path,
            None,
            format!("`{path}` does not compile: {e}"),
        );
        return;
    }
    for problem in expr::check_expression(scope, source) {
        report(
            Level::Error,
            problem.code,
            path,
            problem.snippet.as_deref(),
            format!("`{path}`: {}", problem.message),
        );
    }
}

/// A template at `path`: it must compile and read only what the scope has. Returns the plain
/// text pieces it may print.
pub(crate) fn lint_template(
    env: &minijinja::Environment<'static>,
    scope: &Scope<'_>,
    path: &str,
    source: &str,
    report: &mut Report<'_>,
) -> Vec<String> {
    if let Err(e) = env.template_from_str(source) {
        report(
            Level::Error,
            LintCode::Template,
            path,
            None,
            format!("`{path}` does not compile: {e}"),
        );
        return Vec::new();
    }
    let (problems, raw) = expr::check_template(scope, source);
    for problem in problems {
        report(
            Level::Error,
            problem.code,
            path,
            problem.snippet.as_deref(),
            format!("`{path}`: {}", problem.message),
        );
    }
    raw
}

/// `fix.effort` is one of [`EFFORT_WORDS`], or a template that prints only those.
fn lint_effort(path: &str, effort: &str, scope: &Scope<'_>, report: &mut Report<'_>) {
    let env = super::engine::new_environment(UndefinedBehavior::Chainable);
    let words = lint_template(&env, scope, path, effort, report);
    for word in words {
        if !EFFORT_WORDS.contains(&word.as_str()) {
            report(
                Level::Error,
                LintCode::UnknownValue,
                path,
                Some(&word),
                format!(
                    "`effort: {word}` is not one of {}: it says how much work a fix is",
                    EFFORT_WORDS.join(", ")
                ),
            );
        }
    }
}
