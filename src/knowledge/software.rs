//! The software knowledge base (`rules/software.yaml`): installed programs and Windows 7
//! components that break, vanish or need action on Windows 10/11, how an inventory shows each one,
//! and the public source it rests on.
//!
//! This module owns the file format, its checks (shared with [`crate::judge::rules::lint`], which reports every
//! problem, where loading stops at the first) and compiling the patterns once. It does not look at
//! a machine: matching an inventory is [`crate::judge::plan::software`].
//!
//! Invariant: a loaded [`KnowledgeBase`] has unique ids, compiled patterns, and a source URL and an
//! `as_of` date on every entry. An `UNCONFIRMED` entry still loads (lint rejects it) but must never
//! become a finding; [`Entry::gives_findings`] says which entries may.

use crate::error::{Error, Location, Origin, Result};
use crate::facts::inventory::Arch;
use crate::vocab::{LintCode, Severity, Target};
use regex::{Regex, RegexBuilder, RegexSet, RegexSetBuilder};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

/// The knowledge file's name, in `rules/` and in a user's `--rules DIR`. Rule-pack loading skips it.
pub const FILE_NAME: &str = "software.yaml";

const EMBEDDED: &str = include_str!("../../rules/software.yaml");

/// The value of the file's `knowledge` key, which tells it apart from a rule pack.
const KNOWLEDGE: &str = "software";

/// The targets on which an entry bites: one, by its id in `rules/data/targets.yaml`, or every
/// target (`both`, the word the file has always used).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Affects {
    Every,
    Only(Target),
}

/// How the file writes [`Affects::Every`].
const EVERY: &str = "both";

impl Affects {
    pub fn includes(self, target: Target) -> bool {
        match self {
            Affects::Every => true,
            Affects::Only(only) => only == target,
        }
    }
}

impl Serialize for Affects {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        match self {
            Affects::Every => s.serialize_str(EVERY),
            Affects::Only(target) => target.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for Affects {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Affects, D::Error> {
        let word = String::deserialize(d)?;
        Ok(if word == EVERY {
            Affects::Every
        } else {
            Affects::Only(Target::new(&word))
        })
    }
}

/// What kind of trouble an entry describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    RemovedFeature,
    UnsupportedApp,
    EndOfLife,
    Driver,
    NeedsReinstall,
    #[serde(rename = "16-bit")]
    SixteenBit,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::RemovedFeature => "removed-feature",
            Kind::UnsupportedApp => "unsupported-app",
            Kind::EndOfLife => "end-of-life",
            Kind::Driver => "driver",
            Kind::NeedsReinstall => "needs-reinstall",
            Kind::SixteenBit => "16-bit",
        }
    }
}

/// How well an entry's claim was verified (the knowledge base's own scale).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Status {
    /// Read in the source's own text.
    #[serde(rename = "confirmed")]
    Confirmed,
    /// The official text was seen only as quoted by independent sources; findings show this.
    #[serde(rename = "confirmed-secondary")]
    ConfirmedSecondary,
    /// Not verified: a lead, never a finding.
    #[serde(rename = "UNCONFIRMED", alias = "unconfirmed")]
    Unconfirmed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Confirmed => "confirmed",
            Status::ConfirmedSecondary => "confirmed-secondary",
            Status::Unconfirmed => "UNCONFIRMED",
        }
    }
}

/// One piece of knowledge, checked and compiled.
#[derive(Debug, Clone)]
pub struct Entry {
    pub id: String,
    pub detection: Detection,
    pub affects: Affects,
    pub kind: Kind,
    pub severity: Severity,
    /// What happens on the target.
    pub summary: String,
    /// What to do.
    pub action: String,
    /// The primary public source.
    pub source: String,
    /// More sources.
    pub also: Vec<String>,
    /// When the entry was last checked against its sources (ISO date).
    pub as_of: String,
    pub status: Status,
    /// What was read, and where.
    pub evidence: Option<String>,
    /// The id of a less specific entry this one supersedes on a machine where both fire (Media
    /// Center in use replaces the note that it is merely present).
    pub replaces: Option<String>,
}

impl Entry {
    /// Whether this entry may become a finding: confirmed, and something an inventory can show.
    pub fn gives_findings(&self) -> bool {
        self.status != Status::Unconfirmed
            && !matches!(self.detection, Detection::Undetectable { .. })
    }

    /// The component an entry is about, for `detect` and `undetectable` entries.
    pub fn component(&self) -> Option<&str> {
        match &self.detection {
            Detection::Program(_) => None,
            Detection::Component(c) => Some(&c.component),
            Detection::Undetectable { component, .. } => Some(component),
        }
    }
}

/// How an entry is found on a machine.
#[derive(Debug, Clone)]
pub enum Detection {
    /// An installed program, by its Uninstall entry.
    Program(ProgramMatch),
    /// A built-in Windows 7 component, by the inventory's `os` fields.
    Component(ComponentDetect),
    /// Nothing in an inventory shows it; never a finding.
    Undetectable { component: String, reason: String },
}

/// The patterns for an installed program. The `name` pattern is compiled into the knowledge
/// base's [`RegexSet`]; `exclude` and `version` are checked only for names it matched.
#[derive(Debug, Clone)]
pub struct ProgramMatch {
    /// The DisplayName pattern, as written.
    pub name: String,
    pub exclude: Option<Regex>,
    pub version: Option<Regex>,
}

impl ProgramMatch {
    /// Whether a program whose DisplayName the `name` pattern matched is this entry's: the
    /// exclusion does not match it, and, when a version pattern is given, the version is known
    /// and matches.
    pub fn accepts(&self, name: &str, version: Option<&str>) -> bool {
        if self.exclude.as_ref().is_some_and(|x| x.is_match(name)) {
            return false;
        }
        match &self.version {
            Some(pattern) => version.is_some_and(|v| pattern.is_match(v.trim())),
            None => true,
        }
    }
}

/// The `os` evidence that shows a Windows 7 component. Every condition given must hold; an empty
/// list is no condition (but at least one list is non-empty).
#[derive(Debug, Clone)]
pub struct ComponentDetect {
    pub component: String,
    /// Windows 7 editions that include it, as written (EditionID style: `HomePremium`).
    pub editions: Vec<String>,
    /// OS architectures on which it matters.
    pub arch: Vec<Arch>,
    /// Installed programs (a DisplayName pattern) whose presence shows the component is in use:
    /// when given, one must be installed.
    pub programs: Option<Regex>,
    edition_keys: Vec<String>,
}

impl ComponentDetect {
    /// Whether an edition, as [`edition_key`] normalizes it, is one of this component's.
    pub fn includes_edition(&self, key: &str) -> bool {
        self.edition_keys.iter().any(|k| k == key)
    }
}

/// An edition name compared ignoring case and white space: `Home Premium` is `HomePremium`, but
/// `ProfessionalN` is not `Professional`.
pub fn edition_key(edition: &str) -> String {
    edition
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The software knowledge base: its entries in file order, and one compiled set of every
/// program-name pattern so that a DisplayName is tested against all of them in a single pass.
#[derive(Debug, Clone)]
pub struct KnowledgeBase {
    entries: Vec<Entry>,
    names: RegexSet,
    /// For each pattern of `names`, the index of its entry.
    name_entries: Vec<usize>,
}

impl KnowledgeBase {
    /// Each entry that bites on one target only, with that target.
    pub fn targets_named(&self) -> impl Iterator<Item = (&str, Target)> {
        self.entries.iter().filter_map(|e| match e.affects {
            Affects::Only(target) => Some((e.id.as_str(), target)),
            Affects::Every => None,
        })
    }

    /// Parses and compiles a knowledge file; the first problem found is the error, naming the file,
    /// the line and the entry. `UNCONFIRMED` entries load (lint reports them) but never ship.
    pub fn parse(text: &str, origin: &Origin) -> Result<KnowledgeBase> {
        let (entries, problems) = check(text);
        if let Some(problem) = problems
            .into_iter()
            .find(|p| p.code != LintCode::Unconfirmed)
        {
            return Err(problem.into_error(origin));
        }
        Self::from_entries(entries).map_err(|e| Error::DataSyntax {
            origin: origin.clone(),
            location: None,
            message: format!("the program-name patterns do not compile together: {e}"),
        })
    }

    /// The knowledge base shipped in the binary, parsed on first use.
    pub fn embedded() -> &'static KnowledgeBase {
        static BASE: OnceLock<KnowledgeBase> = OnceLock::new();
        BASE.get_or_init(|| {
            let origin = Origin(format!("rules/{FILE_NAME} (built in)"));
            // A test parses the shipped file, so this only fires on a broken build.
            KnowledgeBase::parse(EMBEDDED, &origin)
                .unwrap_or_else(|e| panic!("the built-in software knowledge is broken: {e}"))
        })
    }

    /// The shipped text of `rules/software.yaml`.
    pub fn embedded_text() -> &'static str {
        EMBEDDED
    }

    /// The shipped knowledge, then `software.yaml` in `user_dir` if there is one: a user entry
    /// replaces a shipped one with the same id, and a new id is added at the end.
    pub fn load(user_dir: Option<&Path>) -> Result<KnowledgeBase> {
        let shipped = Self::embedded();
        let Some(path) = user_dir.map(|d| d.join(FILE_NAME)).filter(|p| p.is_file()) else {
            return Ok(shipped.clone());
        };
        let text = std::fs::read_to_string(&path).map_err(|source| Error::Read {
            path: path.clone(),
            source,
        })?;
        let user = Self::parse(&text, &Origin::path(&path))?;
        let mut entries = shipped.entries.clone();
        for entry in user.entries {
            match entries.iter_mut().find(|e| e.id == entry.id) {
                Some(existing) => *existing = entry,
                None => entries.push(entry),
            }
        }
        Self::from_entries(entries).map_err(|e| Error::DataSyntax {
            origin: Origin::path(&path),
            location: None,
            message: format!("the program-name patterns do not compile together: {e}"),
        })
    }

    fn from_entries(entries: Vec<Entry>) -> Result<KnowledgeBase, regex::Error> {
        let mut patterns = Vec::new();
        let mut name_entries = Vec::new();
        for (index, entry) in entries.iter().enumerate() {
            if let Detection::Program(m) = &entry.detection {
                patterns.push(m.name.as_str());
                name_entries.push(index);
            }
        }
        let names = RegexSetBuilder::new(patterns.iter().map(|p| ascii_word_boundaries(p)))
            .case_insensitive(true)
            .build()?;
        Ok(KnowledgeBase {
            entries,
            names,
            name_entries,
        })
    }

    /// Every entry, in file order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    pub fn get(&self, id: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.id == id)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entries, with their index, whose `name` pattern matches a DisplayName, in file order.
    /// Exclusions and versions are not applied yet: see [`ProgramMatch::accepts`].
    pub fn name_candidates<'k>(
        &'k self,
        display_name: &str,
    ) -> impl Iterator<Item = (usize, &'k Entry)> + 'k {
        let matches = if self.names.is_match(display_name) {
            Some(self.names.matches(display_name))
        } else {
            None
        };
        matches.into_iter().flatten().map(move |pattern| {
            let index = self.name_entries[pattern];
            (index, &self.entries[index])
        })
    }
}

// ---------------------------------------------------------------------------------------------
// The file format and its checks
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    knowledge: String,
    #[serde(default)]
    entries: Vec<RawEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    id: String,
    #[serde(default)]
    component: Option<String>,
    #[serde(default, rename = "match")]
    matches: Option<RawMatch>,
    #[serde(default)]
    detect: Option<RawDetect>,
    #[serde(default)]
    undetectable: Option<String>,
    affects: Affects,
    kind: Kind,
    severity: Severity,
    summary: String,
    action: String,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    also: Vec<String>,
    #[serde(default)]
    as_of: Option<String>,
    status: Status,
    #[serde(default)]
    evidence: Option<String>,
    #[serde(default)]
    replaces: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMatch {
    name: String,
    #[serde(default)]
    exclude: Option<String>,
    #[serde(default)]
    version: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDetect {
    #[serde(default)]
    editions: Vec<String>,
    #[serde(default)]
    arch: Vec<Arch>,
    #[serde(default)]
    programs: Option<String>,
}

/// A problem in a knowledge file, with a stable code (lint's codes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub code: LintCode,
    pub id: Option<String>,
    pub location: Option<Location>,
    pub message: String,
}

impl Problem {
    fn into_error(self, origin: &Origin) -> Error {
        match self.id {
            Some(id) => Error::KnowledgeInvalid {
                origin: origin.clone(),
                location: self.location,
                id,
                message: self.message,
            },
            None => Error::DataSyntax {
                origin: origin.clone(),
                location: self.location,
                message: self.message,
            },
        }
    }
}

/// Checks a knowledge file: every problem found, and the entries that compiled (those with a
/// problem are left out). Codes: `knowledge-syntax`, `bad-id`, `duplicate-id`, `bad-detect`,
/// `bad-regex`, `missing-source`, `bad-ref`, `missing-as-of`, `bad-date`, `missing-field` and
/// `unconfirmed` (the only one that keeps its entry).
pub fn check(text: &str) -> (Vec<Entry>, Vec<Problem>) {
    let mut problems = Vec::new();
    let locator = Locator::new(text);
    let file: RawFile = match crate::yaml::from_str(text) {
        Ok(file) => file,
        Err(e) => {
            problems.push(Problem {
                code: LintCode::KnowledgeSyntax,
                id: None,
                location: crate::yaml::location(&e),
                message: crate::yaml::message(&e),
            });
            return (Vec::new(), problems);
        }
    };
    if file.knowledge != KNOWLEDGE {
        problems.push(Problem {
            code: LintCode::KnowledgeSyntax,
            id: None,
            location: locator.key_line(0, usize::MAX, "knowledge"),
            message: format!(
                "`knowledge: {}` is not known; this file must say `knowledge: {KNOWLEDGE}`",
                file.knowledge
            ),
        });
        return (Vec::new(), problems);
    }
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut entries = Vec::new();
    for raw in file.entries {
        let occurrence = seen.get(&raw.id).copied().unwrap_or(0);
        seen.insert(raw.id.clone(), occurrence + 1);
        let span = locator.entry(&raw.id, occurrence);
        let id = raw.id.clone();
        let mut report = |code: LintCode, key: &str, message: String| {
            problems.push(Problem {
                code,
                id: Some(id.clone()),
                location: span.map(|(start, end)| {
                    // A pattern in flow style (`match: {name: ...}`) points at `match`.
                    let parent = ["name", "exclude", "version"]
                        .contains(&key)
                        .then_some("match");
                    locator
                        .key_line(start, end, key)
                        .or_else(|| parent.and_then(|p| locator.key_line(start, end, p)))
                        .unwrap_or_else(|| locator.at(start))
                }),
                message,
            })
        };
        if let Some(entry) = check_entry(raw, occurrence, &mut report) {
            entries.push(entry);
        }
    }
    for entry in &entries {
        if let Some(other) = &entry.replaces {
            if !seen.contains_key(other) || other == &entry.id {
                problems.push(Problem {
                    code: LintCode::BadRef,
                    id: Some(entry.id.clone()),
                    location: locator
                        .entry(&entry.id, 0)
                        .and_then(|(start, end)| locator.key_line(start, end, "replaces")),
                    message: format!("`replaces: {other}` names no other entry of this file"),
                });
            }
        }
    }
    (entries, problems)
}

fn check_entry(
    raw: RawEntry,
    occurrence: usize,
    report: &mut impl FnMut(LintCode, &str, String),
) -> Option<Entry> {
    let mut fatal = false;
    let mut fail = |code, key: &str, message: String| {
        fatal = true;
        report(code, key, message);
    };
    if occurrence > 0 {
        fail(
            LintCode::DuplicateId,
            "id",
            "the id is already used by an earlier entry".into(),
        );
    }
    if !valid_id(&raw.id) {
        fail(
            LintCode::BadId,
            "id",
            "ids are lowercase words, digits, `-` and `.`, e.g. `office-2010`".into(),
        );
    }
    for (key, text) in [("summary", &raw.summary), ("action", &raw.action)] {
        if text.trim().is_empty() {
            fail(LintCode::MissingField, key, format!("`{key}` is empty"));
        }
    }
    let source = match raw.source.as_deref().map(str::trim) {
        None | Some("") => {
            fail(
                LintCode::MissingSource,
                "id",
                "no `source`: every entry cites the public URL it rests on".into(),
            );
            String::new()
        }
        Some(url) => {
            if !is_url(url) {
                fail(
                    LintCode::BadRef,
                    "source",
                    format!("`{url}` is not a web address"),
                );
            }
            url.to_string()
        }
    };
    for url in &raw.also {
        if !is_url(url.trim()) {
            fail(
                LintCode::BadRef,
                "also",
                format!("`{url}` in `also` is not a web address"),
            );
        }
    }
    let as_of = match raw.as_of.as_deref().map(str::trim) {
        None | Some("") => {
            fail(
                LintCode::MissingAsOf,
                "id",
                "no `as_of`: say when the entry was last checked (YYYY-MM-DD)".into(),
            );
            String::new()
        }
        Some(date) => {
            if date.parse::<jiff::civil::Date>().is_err() {
                fail(
                    LintCode::BadDate,
                    "as_of",
                    format!("`as_of: {date}` is not a date (YYYY-MM-DD)"),
                );
            }
            date.to_string()
        }
    };

    let ways = [
        raw.matches.is_some(),
        raw.detect.is_some(),
        raw.undetectable.is_some(),
    ];
    let detection = match (raw.matches, raw.detect, raw.undetectable) {
        _ if ways.iter().filter(|w| **w).count() != 1 => {
            fail(
                LintCode::BadDetect,
                "id",
                "say how the entry is found with exactly one of `match`, `detect` or `undetectable`"
                    .into(),
            );
            None
        }
        (Some(m), _, _) => {
            if raw.component.is_some() {
                fail(
                    LintCode::BadDetect,
                    "component",
                    "`component` is for `detect` and `undetectable` entries; a `match` entry's program is the DisplayName it matched".into(),
                );
            }
            let mut compile =
                |key: &str, pattern: &str| match RegexBuilder::new(&ascii_word_boundaries(pattern))
                    .case_insensitive(true)
                    .build()
                {
                    Ok(regex) => Some(regex),
                    Err(e) => {
                        fail(
                            LintCode::BadRegex,
                            key,
                            format!(
                                "`match.{key}` does not compile: {} (pattern `{pattern}`)",
                                regex_reason(&e)
                            ),
                        );
                        None
                    }
                };
            let name_ok = compile("name", &m.name).is_some();
            let exclude = m.exclude.as_deref().map(|p| compile("exclude", p));
            let version = m.version.as_deref().map(|p| compile("version", p));
            let failed = |x: &Option<Option<Regex>>| matches!(x, Some(None));
            (name_ok && !failed(&exclude) && !failed(&version)).then(|| {
                Detection::Program(ProgramMatch {
                    name: m.name,
                    exclude: exclude.flatten(),
                    version: version.flatten(),
                })
            })
        }
        (_, Some(d), _) => {
            let component = raw.component.filter(|c| !c.trim().is_empty());
            if component.is_none() {
                fail(
                    LintCode::BadDetect,
                    "detect",
                    "a `detect` entry names its `component`".into(),
                );
            }
            if d.editions.is_empty() && d.arch.is_empty() {
                fail(
                    LintCode::BadDetect,
                    "detect",
                    "`detect` needs `editions` or `arch`: with neither it would fire on every Windows 7"
                        .into(),
                );
            }
            if d.editions.iter().any(|e| e.trim().is_empty()) {
                fail(
                    LintCode::BadDetect,
                    "editions",
                    "an edition is empty".into(),
                );
            }
            let programs = match d.programs.as_deref() {
                None => Some(None),
                Some(pattern) => match RegexBuilder::new(&ascii_word_boundaries(pattern))
                    .case_insensitive(true)
                    .build()
                {
                    Ok(regex) => Some(Some(regex)),
                    Err(e) => {
                        fail(
                            LintCode::BadRegex,
                            "programs",
                            format!(
                                "`detect.programs` does not compile: {} (pattern `{pattern}`)",
                                regex_reason(&e)
                            ),
                        );
                        None
                    }
                },
            };
            component.zip(programs).map(|(component, programs)| {
                Detection::Component(ComponentDetect {
                    component,
                    edition_keys: d.editions.iter().map(|e| edition_key(e)).collect(),
                    editions: d.editions,
                    arch: d.arch,
                    programs,
                })
            })
        }
        (_, _, Some(reason)) => match raw.component.filter(|c| !c.trim().is_empty()) {
            Some(component) => Some(Detection::Undetectable { component, reason }),
            None => {
                fail(
                    LintCode::BadDetect,
                    "undetectable",
                    "an `undetectable` entry names its `component`".into(),
                );
                None
            }
        },
        (None, None, None) => None,
    };
    if raw.status == Status::Unconfirmed {
        report(
            LintCode::Unconfirmed,
            "status",
            "status UNCONFIRMED: a lead is not a finding; confirm it from its source or leave it out"
                .into(),
        );
    }
    if fatal {
        return None;
    }
    Some(Entry {
        id: raw.id,
        detection: detection?,
        affects: raw.affects,
        kind: raw.kind,
        severity: raw.severity,
        summary: raw.summary.trim().to_string(),
        action: raw.action.trim().to_string(),
        source,
        also: raw.also.iter().map(|u| u.trim().to_string()).collect(),
        as_of,
        status: raw.status,
        evidence: raw.evidence.map(|e| e.trim().to_string()),
        replaces: raw.replaces,
    })
}

/// Rewrites `\b` and `\B` (outside character classes) as ASCII word boundaries, `(?-u:\b)`.
///
/// A Unicode word boundary makes the regex crate's fast engine give up on any name with a
/// non-ASCII character (`Skype™`, a French or German Office), costing about 50 times as much; the
/// words patterns look for are ASCII, so the ASCII boundary finds the same ones.
pub fn ascii_word_boundaries(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut chars = pattern.chars();
    let mut class_depth = 0usize;
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(b @ ('b' | 'B')) if class_depth == 0 => {
                    out.push_str("(?-u:\\");
                    out.push(b);
                    out.push(')');
                }
                Some(next) => {
                    out.push('\\');
                    out.push(next);
                }
                None => out.push('\\'),
            },
            '[' => {
                class_depth += 1;
                out.push(c);
            }
            ']' if class_depth > 0 => {
                class_depth -= 1;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.split(['-', '.']).all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

fn is_url(text: &str) -> bool {
    (text.starts_with("https://") || text.starts_with("http://"))
        && !text.contains(char::is_whitespace)
}

/// The reason in a regex error: the crate's syntax errors span several lines (a heading, the
/// pattern, a caret, then `error: <reason>`).
fn regex_reason(error: &regex::Error) -> String {
    let text = error.to_string();
    let last = text
        .lines()
        .map(str::trim)
        .rfind(|l| !l.is_empty())
        .unwrap_or("");
    last.strip_prefix("error: ").unwrap_or(last).to_string()
}

/// Finds where an entry and its keys are written, for messages about problems found after parsing
/// (serde_yaml keeps no positions). It understands the block style the shipped file uses; for
/// anything else it falls back to the entry's line, or to none.
struct Locator<'t> {
    lines: Vec<&'t str>,
    /// (line index, id) of every `- id:` line, in order.
    ids: Vec<(usize, String)>,
}

impl<'t> Locator<'t> {
    fn new(text: &'t str) -> Self {
        let lines: Vec<&str> = text.lines().collect();
        let ids = lines
            .iter()
            .enumerate()
            .filter_map(|(i, line)| {
                let rest = line.trim_start().strip_prefix('-')?.trim_start();
                let value = rest.strip_prefix("id:")?.trim();
                Some((i, value.trim_matches(['"', '\'']).to_string()))
            })
            .collect();
        Locator { lines, ids }
    }

    /// The lines [start, end) of the `occurrence`-th entry with this id.
    fn entry(&self, id: &str, occurrence: usize) -> Option<(usize, usize)> {
        let k = self
            .ids
            .iter()
            .enumerate()
            .filter(|(_, (_, i))| i == id)
            .nth(occurrence)?
            .0;
        let start = self.ids[k].0;
        let end = self.ids.get(k + 1).map_or(self.lines.len(), |(l, _)| *l);
        Some((start, end))
    }

    /// The first line in [start, end) that sets `key`.
    fn key_line(&self, start: usize, end: usize, key: &str) -> Option<Location> {
        (start..end.min(self.lines.len())).find_map(|i| {
            let line = self.lines[i];
            let trimmed = line.trim_start().trim_start_matches("- ");
            let column = line.len() - trimmed.len() + 1;
            trimmed
                .strip_prefix(key)
                .filter(|rest| rest.starts_with(':'))
                .map(|_| Location {
                    line: i + 1,
                    column,
                })
        })
    }

    fn at(&self, line: usize) -> Location {
        let text = self.lines.get(line).copied().unwrap_or("");
        Location {
            line: line + 1,
            column: text.len() - text.trim_start().len() + 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ONE: &str = r#"knowledge: software
entries:
  - id: silverlight
    match:
      name: '^Microsoft Silverlight'
    affects: both
    kind: end-of-life
    severity: warning
    summary: Silverlight 5 reached end of support on October 12, 2021.
    action: Replace it.
    source: https://learn.microsoft.com/lifecycle/products/silverlight-5
    as_of: "2026-11-27"
    status: confirmed
"#;

    fn origin() -> Origin {
        Origin("k.yaml".into())
    }

    #[test]
    fn a_minimal_file_loads() {
        let kb = KnowledgeBase::parse(ONE, &origin()).unwrap();
        assert_eq!(kb.len(), 1);
        let hits: Vec<_> = kb
            .name_candidates("microsoft silverlight")
            .map(|(_, e)| e.id.as_str())
            .collect();
        assert_eq!(hits, ["silverlight"], "patterns ignore case");
        assert_eq!(kb.name_candidates("Silverlight").count(), 0);
    }

    #[test]
    fn a_bad_regex_names_file_entry_and_line() {
        let text = ONE.replace("'^Microsoft Silverlight'", "'^Microsoft (Silverlight'");
        let err = KnowledgeBase::parse(&text, &origin()).unwrap_err();
        assert_eq!(err.code(), "knowledge-invalid");
        let message = err.to_string();
        assert!(
            message.starts_with("k.yaml:5:7: entry `silverlight`: `match.name` does not compile"),
            "{message}"
        );
        let text = ONE.replace(
            "      name: '^Microsoft Silverlight'\n",
            "      name: '^Microsoft Silverlight'\n      version: '^5\\.(?=1)'\n",
        );
        let err = KnowledgeBase::parse(&text, &origin()).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("k.yaml:6:7: entry `silverlight`: `match.version`"),
            "look-around is not Rust regex syntax: {err}"
        );
    }

    #[test]
    fn every_problem_is_reported_with_its_code() {
        let text = format!(
            "{ONE}{}",
            r#"  - id: silverlight
    component: Silverlight
    detect: {}
    affects: both
    kind: end-of-life
    severity: warning
    summary: x
    action: y
    source: not a url
    status: UNCONFIRMED
"#
        );
        let (entries, problems) = check(&text);
        let codes: Vec<_> = problems.iter().map(|p| p.code).collect();
        assert_eq!(
            codes,
            [
                "duplicate-id",
                "bad-ref",
                "missing-as-of",
                "bad-detect",
                "unconfirmed"
            ]
        );
        assert_eq!(entries.len(), 1, "the broken entry is left out");
        assert_eq!(problems[0].location.map(|l| l.line), Some(14));
        assert_eq!(problems[1].location.map(|l| l.line), Some(22));
    }

    #[test]
    fn an_unconfirmed_entry_loads_but_does_not_ship() {
        let text = ONE.replace("status: confirmed", "status: UNCONFIRMED");
        let kb = KnowledgeBase::parse(&text, &origin()).unwrap();
        assert!(!kb.entries()[0].gives_findings());
        let (_, problems) = check(&text);
        assert_eq!(problems[0].code, "unconfirmed");
    }

    #[test]
    fn missing_source_and_syntax_errors() {
        let text = ONE.replace(
            "    source: https://learn.microsoft.com/lifecycle/products/silverlight-5\n",
            "",
        );
        let err = KnowledgeBase::parse(&text, &origin()).unwrap_err();
        assert!(err.to_string().contains("no `source`"), "{err}");
        let err = KnowledgeBase::parse(&ONE.replace("kind: end-of-life", "kind: gone"), &origin())
            .unwrap_err();
        assert_eq!(err.code(), "data-syntax");
        assert!(err.to_string().starts_with("k.yaml:7:"), "{err}");
        let err = KnowledgeBase::parse(
            &ONE.replace("knowledge: software", "knowledge: hardware"),
            &origin(),
        )
        .unwrap_err();
        assert!(err.to_string().starts_with("k.yaml:1:1:"), "{err}");
    }

    #[test]
    fn word_boundaries_become_ascii_outside_classes() {
        assert_eq!(
            ascii_word_boundaries(r"^Microsoft\b.*\b2010\B"),
            r"^Microsoft(?-u:\b).*(?-u:\b)2010(?-u:\B)"
        );
        assert_eq!(ascii_word_boundaries(r"a\\b[\]b]\.x"), r"a\\b[\]b]\.x");
        let kb = KnowledgeBase::parse(&ONE.replace("Silverlight'", "Silverlight\\b'"), &origin())
            .unwrap();
        assert_eq!(kb.name_candidates("Microsoft Silverlight™ 5").count(), 1);
        assert_eq!(kb.name_candidates("Microsoft Silverlights").count(), 0);
    }

    #[test]
    fn editions_compare_without_case_or_spaces() {
        assert_eq!(edition_key("Home Premium"), "homepremium");
        assert_eq!(edition_key("HomePremium"), edition_key("homepremium"));
        assert_ne!(edition_key("ProfessionalN"), edition_key("Professional"));
    }

    #[test]
    fn affects_filters_targets() {
        let (w10, w11) = (Target::new("windows10"), Target::new("windows11"));
        assert!(Affects::Every.includes(w10));
        assert!(Affects::Only(w11).includes(w11));
        assert!(!Affects::Only(w11).includes(w10));
        assert!(!Affects::Only(w10).includes(w11));
    }
}
