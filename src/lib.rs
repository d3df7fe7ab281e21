//! w7plan plans the way off Windows 7: it reads what was observed on a machine (an
//! [`facts::inventory::Inventory`]), derives facts from Microsoft's published data
//! ([`judge::enrich`]), judges them with YAML rule packs ([`judge::rules`]), combines the checks
//! into an [`judge::assess::Assessment`] with its [`judge::plan`] and renders it
//! ([`output::report`]).
//!
//! The modules form layers, and a module imports only from its own layer or those below it
//! (`tests/layers.rs` keeps it so), bottom to top:
//!
//! 1. [`error`], [`yaml`], [`input`]: the error type and the helpers every stage reads files with;
//! 2. [`vocab`]: the shared words (targets, severities, statuses, verdicts, check results,
//!    references, prices, licence channels);
//! 3. [`facts`]: what was observed (the inventory, its importers and collectors, offline
//!    installations, product keys);
//! 4. [`knowledge`]: every data file (checks, routes, software, prices, lifecycle, licensing,
//!    GVLKs, processor lists, graphics families) and the one loader that reads them;
//! 5. [`judge`]: enrich, the rule engine, the verdict rule, licence reasoning, plan, assessment;
//! 6. [`output`]: reports and the files they are written to;
//! 7. [`fleet`] (a batch of machines from evidence to reports) and [`double_click`] (what a
//!    double-click in Explorer does): the pipelines the binary starts.
//!
//! Data flows one way: facts → enrich → rules → assessment → report. No stage reaches back. The
//! library never prints; the binary (`src/main.rs`, `src/cli/`) owns the terminal.
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod error;
pub mod input;
pub mod yaml;

pub mod vocab;

pub mod facts;

pub mod knowledge;

pub mod judge;

pub mod output;

pub mod double_click;
pub mod fleet;

pub use error::{Error, Result};
