//! The shared vocabulary: targets, severities, statuses, evidence, verdicts, check results,
//! references, prices, licence channels and the rule-pack lint codes.
//!
//! Every stage names these, so they sit at the bottom and import nothing but the error and YAML
//! helpers: no loading, no judging and no rendering lives here. Keeping them out of the rule
//! engine is what lets the engine sit above the data it reads.

pub mod check;
pub mod licence;
pub mod lint_code;
pub mod price;
pub mod reference;
pub mod target;
pub mod verdict;

pub use check::{CheckResult, Detail, Evidence, Fix, Section, Severity, Status};
pub use licence::{Channel, Family};
pub use lint_code::LintCode;
pub use price::Price;
pub use reference::Reference;
pub use target::Target;
pub use verdict::Verdict;
