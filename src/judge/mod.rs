//! Judgement: everything that decides something about a machine from its facts and the loaded
//! knowledge.
//!
//! [`enrich`] derives facts (is this CPU listed, which licence channel), [`rules`] evaluates the
//! checks and the migration routes, [`verdict`] turns check results into a target's verdict,
//! [`license`] decides the licence channel, [`plan`] says what to do, and [`assess`] puts one
//! machine's assessment together. Every piece of data comes in as a parameter (the
//! [`crate::knowledge`] value the caller loaded); nothing here reads a file or renders text for
//! a reader.

pub mod assess;
pub mod enrich;
pub mod license;
pub mod plan;
pub mod rules;
pub mod verdict;
