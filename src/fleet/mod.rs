//! Assessing many machines in one run.
pub mod synthetic;
