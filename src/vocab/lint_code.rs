//! The codes `rules lint` gives its findings: one enum, each with a stable kebab-case spelling
//! that scripts and tests match on.
//!
//! A code is never renamed or reused; a new kind of mistake gets a new code. This file depends
//! on nothing else in the crate, so it can move to wherever the shared vocabulary lives.

/// What kind of mistake a finding is. [`LintCode::as_str`] is the spelling users see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LintCode {
    /// A file or directory could not be read.
    ReadFailed,
    /// A rule pack is not YAML, or does not fit the pack format.
    RuleSyntax,
    /// A data file (`rules/data/*.yaml`, `routes.yaml`) is not YAML, does not fit its format, or
    /// is inconsistent in itself.
    DataSyntax,
    /// The software knowledge base is not YAML or does not fit its format.
    KnowledgeSyntax,
    /// The software knowledge base's patterns do not fit together.
    KnowledgeInvalid,
    /// A user's check, entry or route replaces a shipped one with the same id (a warning).
    ReplacesShipped,
    /// Two checks, entries or routes share an id.
    DuplicateId,
    /// An id is not written as ids are.
    BadId,
    /// A field that must say something is empty.
    MissingField,
    /// A check, inference or entry cites no source.
    MissingSource,
    /// A reference is not a web address, or names nothing.
    BadRef,
    /// A knowledge entry has no `as_of` date.
    MissingAsOf,
    /// A date is not an ISO date.
    BadDate,
    /// A knowledge entry's detection is malformed.
    BadDetect,
    /// A pattern does not compile.
    BadRegex,
    /// A knowledge entry is marked `UNCONFIRMED`.
    Unconfirmed,
    /// A `section: licence` check is a blocker.
    LicenceBlocker,
    /// A price id that the price table does not have.
    UnknownPrice,
    /// A route's deadline names no lifecycle entry.
    UnknownDeadline,
    /// An expression names a check id that no pack has.
    UnknownCheck,
    /// A check has no `manual` step (a warning).
    MissingManual,
    /// An inference answers something other than pass or fail.
    BadInference,
    /// A check infers answers but no example shows one.
    NoInferenceExample,
    /// An expression does not compile.
    Expression,
    /// A template does not compile.
    Template,
    /// A check has no examples.
    NoExamples,
    /// No example shows what missing evidence gives (a warning).
    NoUnknownExample,
    /// An example's inventory does not fit the inventory schema.
    BadExample,
    /// An expression reads a name or field that the context does not have (a misspelt fact,
    /// or a route name such as `verdikt`).
    UnknownField,
    /// An expression uses a filter that the engine does not define.
    UnknownFilter,
    /// An expression uses a test (`is ...`) that the engine does not define.
    UnknownTest,
    /// An expression calls a function that the engine does not define.
    UnknownFunction,
    /// An expression compares or combines values of different types (a number with a string).
    TypeMismatch,
    /// An expression fails on a sample machine for a reason other than a missing fact (a
    /// missing argument, an operation its values do not support).
    FailsOnSample,
    /// A word outside its closed set: a status (`"fial"`), a verdict, an effort, a severity, a
    /// target, an enum value of the inventory.
    UnknownValue,
    /// A file under `--rules DIR` that w7plan does not read (a misplaced or misspelt name).
    NotRead,
}

impl LintCode {
    /// Every code, in declaration order.
    pub const ALL: &'static [LintCode] = &[
        LintCode::ReadFailed,
        LintCode::RuleSyntax,
        LintCode::DataSyntax,
        LintCode::KnowledgeSyntax,
        LintCode::KnowledgeInvalid,
        LintCode::ReplacesShipped,
        LintCode::DuplicateId,
        LintCode::BadId,
        LintCode::MissingField,
        LintCode::MissingSource,
        LintCode::BadRef,
        LintCode::MissingAsOf,
        LintCode::BadDate,
        LintCode::BadDetect,
        LintCode::BadRegex,
        LintCode::Unconfirmed,
        LintCode::LicenceBlocker,
        LintCode::UnknownPrice,
        LintCode::UnknownDeadline,
        LintCode::UnknownCheck,
        LintCode::MissingManual,
        LintCode::BadInference,
        LintCode::NoInferenceExample,
        LintCode::Expression,
        LintCode::Template,
        LintCode::NoExamples,
        LintCode::NoUnknownExample,
        LintCode::BadExample,
        LintCode::UnknownField,
        LintCode::UnknownFilter,
        LintCode::UnknownTest,
        LintCode::UnknownFunction,
        LintCode::TypeMismatch,
        LintCode::FailsOnSample,
        LintCode::UnknownValue,
        LintCode::NotRead,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LintCode::ReadFailed => "read-failed",
            LintCode::RuleSyntax => "rule-syntax",
            LintCode::DataSyntax => "data-syntax",
            LintCode::KnowledgeSyntax => "knowledge-syntax",
            LintCode::KnowledgeInvalid => "knowledge-invalid",
            LintCode::ReplacesShipped => "replaces-shipped",
            LintCode::DuplicateId => "duplicate-id",
            LintCode::BadId => "bad-id",
            LintCode::MissingField => "missing-field",
            LintCode::MissingSource => "missing-source",
            LintCode::BadRef => "bad-ref",
            LintCode::MissingAsOf => "missing-as-of",
            LintCode::BadDate => "bad-date",
            LintCode::BadDetect => "bad-detect",
            LintCode::BadRegex => "bad-regex",
            LintCode::Unconfirmed => "unconfirmed",
            LintCode::LicenceBlocker => "licence-blocker",
            LintCode::UnknownPrice => "unknown-price",
            LintCode::UnknownDeadline => "unknown-deadline",
            LintCode::UnknownCheck => "unknown-check",
            LintCode::MissingManual => "missing-manual",
            LintCode::BadInference => "bad-inference",
            LintCode::NoInferenceExample => "no-inference-example",
            LintCode::Expression => "expression",
            LintCode::Template => "template",
            LintCode::NoExamples => "no-examples",
            LintCode::NoUnknownExample => "no-unknown-example",
            LintCode::BadExample => "bad-example",
            LintCode::UnknownField => "unknown-field",
            LintCode::UnknownFilter => "unknown-filter",
            LintCode::UnknownTest => "unknown-test",
            LintCode::UnknownFunction => "unknown-function",
            LintCode::TypeMismatch => "type-mismatch",
            LintCode::FailsOnSample => "fails-on-sample",
            LintCode::UnknownValue => "unknown-value",
            LintCode::NotRead => "not-read",
        }
    }

    /// The code of a finding made from a library error (a data file that does not load).
    pub fn of_error_code(code: &str) -> LintCode {
        LintCode::ALL
            .iter()
            .copied()
            .find(|c| c.as_str() == code)
            .unwrap_or(LintCode::DataSyntax)
    }
}

impl std::fmt::Display for LintCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for LintCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

#[cfg(test)]
mod tests {
    use super::LintCode;
    use std::collections::BTreeSet;

    #[test]
    fn codes_are_distinct_kebab_case() {
        let spellings: BTreeSet<&str> = LintCode::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(spellings.len(), LintCode::ALL.len());
        for code in spellings {
            assert!(
                code.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{code}"
            );
        }
    }
}
