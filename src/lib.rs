//! w7plan plans the way off Windows 7: it reads what was observed on a machine (an
//! [`inventory::Inventory`]), derives facts from Microsoft's published data ([`enrich`]), judges
//! them with YAML rule packs ([`rules`]), combines the checks into an [`assess::Assessment`](crate::assess::Assessment) and
//! renders it ([`report`]).
//!
//! Data flows one way: collect → inventory → enrich → rules → assessment → report. No stage
//! reaches back. The library never prints; the binary owns the terminal.
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod assess;
pub mod collect;
pub mod double_click;
pub mod enrich;
pub mod error;
pub mod fleet;
pub mod import;
pub mod input;
pub mod inventory;
pub mod license;
pub mod lifecycle;
pub mod offline;
pub mod output;
pub mod plan;
pub mod prices;
pub mod productkey;
pub mod report;
pub mod rules;
pub mod validate;
pub mod yaml;

pub use error::{Error, Result};
