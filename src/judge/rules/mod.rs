//! The rule engine: compiling the checks and migration routes of the loaded knowledge once, and
//! evaluating them against a machine's facts, three-valued.
//!
//! [`engine`] compiles and evaluates checks, [`route`] judges the migration routes over their
//! results, and [`lint`] finds mistakes in a pack before it runs. What a pack file says is
//! [`crate::knowledge::checks`]; what a result says is [`crate::vocab::check`].

pub mod engine;
pub mod lint;
pub mod route;

pub use engine::{Context, RuleSet};
