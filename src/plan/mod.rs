//! The migration plan: routes, fixes, the verdict after fixes, and programs at risk.

pub mod software;
