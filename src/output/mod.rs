//! What w7plan hands to people and programs: reports in every format ([`report`]) and the
//! output files they are written to ([`files`]).
//!
//! Output shows what judgement decided and never decides again: a report reads the assessment,
//! not the inventory's raw facts through a second enrichment.

pub mod files;
pub mod report;
