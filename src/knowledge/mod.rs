//! Knowledge: every data file w7plan judges with, their models, and the loader that reads them.
//!
//! The files live in `rules/` and are embedded in the binary; a `--rules DIR` adds to or replaces
//! them. Each submodule owns one file's format and its lookups: [`checks`] (the rule packs),
//! [`software`] (programs at risk), [`prices`], [`lifecycle`], [`licensing`] (what a channel
//! allows, the edition map), [`gvlk`] (Microsoft's KMS client keys), [`processors`] (the
//! Windows 11 CPU lists) and [`gpu_families`]. Nothing here looks at a machine's verdict or
//! renders anything; lookups answer questions ("is this brand string listed") and judgement
//! decides what the answers mean.

pub mod checks;
pub mod gpu_families;
pub mod gvlk;
pub mod lifecycle;
pub mod prices;
pub mod software;

use crate::error::{Error, Origin, Result};
use include_dir::{include_dir, Dir};

/// The `rules/` directory shipped in the binary: packs, routes, software and `data/`.
static EMBEDDED: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/rules");

/// A shipped data file under `rules/data/`, by name.
pub fn embedded_data(name: &str) -> Option<&'static str> {
    EMBEDDED
        .get_file(format!("data/{name}"))
        .and_then(|f| f.contents_utf8())
}

/// Parses a knowledge data file of `rules/data/` into its model, with a located error.
pub fn parse_data<T: serde::de::DeserializeOwned>(text: &str, origin: &Origin) -> Result<T> {
    crate::yaml::from_str(text).map_err(|e| Error::DataSyntax {
        origin: origin.clone(),
        location: crate::yaml::location(&e),
        message: crate::yaml::message(&e),
    })
}

/// A shipped file at the top of `rules/`, by name.
pub fn embedded_rule_file(name: &str) -> Option<&'static str> {
    EMBEDDED.get_file(name).and_then(|f| f.contents_utf8())
}
