//! Knowledge: every data file w7plan judges with, their models, and the one loader that reads
//! them into a [`Knowledge`] value.
//!
//! The files live in `rules/` and are embedded in the binary; a `--rules DIR` adds to or replaces
//! them (see [`Knowledge::load`]). Each submodule owns one file's format and its lookups:
//! [`checks`] (the rule packs), [`routes`], [`software`] (programs at risk), [`prices`],
//! [`lifecycle`], [`licensing`] (what a channel allows, the edition map), [`gvlk`] (Microsoft's
//! KMS client keys), [`processors`] (the Windows 11 CPU lists), [`cpu_family_rule`] (the numbers of
//! Microsoft's CPU family/model rule), [`gpu_families`] and [`targets`]
//! (which Windows a machine may be assessed for, in order of preference). Nothing here
//! looks at a machine's verdict or renders anything; lookups answer questions ("is this brand
//! string listed") and judgement decides what the answers mean.
//!
//! Invariant: judgement reads data only from the `Knowledge` it is given, never from a shipped
//! default directly, so a `--rules DIR` reaches every decision.

pub mod checks;
pub mod cpu_family_rule;
pub mod gpu_families;
pub mod gvlk;
pub mod licensing;
pub mod lifecycle;
pub mod prices;
pub mod processors;
pub mod routes;
pub mod software;
pub mod targets;

use crate::error::{Error, Origin, Result};
use include_dir::{include_dir, Dir};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

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

/// The data files under `--rules DIR/data/` that replace a shipped file whole (the price table
/// merges by id instead, see [`prices::Prices::load`]).
pub const DATA_FILES: [&str; 8] = [
    "prices.yaml",
    "targets.yaml",
    "lifecycle.yaml",
    "licensing.yaml",
    "gvlk.yaml",
    "win11-processors.yaml",
    "cpu-family-rule.yaml",
    "gpu-families.yaml",
];

/// Everything w7plan judges with, loaded once: the shipped files with a `--rules DIR` over them.
#[derive(Debug)]
pub struct Knowledge {
    checks: Vec<checks::LoadedCheck>,
    routes: Vec<routes::RouteRule>,
    software: software::KnowledgeBase,
    prices: prices::Prices,
    lifecycle: lifecycle::Lifecycle,
    licensing: licensing::LicensingData,
    gvlks: gvlk::GvlkList,
    processors: processors::ProcessorList,
    cpu_family_rule: cpu_family_rule::CpuFamilyRule,
    gpu_families: gpu_families::Families,
    targets: targets::Targets,
    ignored: Vec<PathBuf>,
    /// Tells one loaded value from another, for caches of what is worked out from it.
    id: u64,
}

impl Knowledge {
    /// The shipped files, then those of `user_dir`:
    ///
    /// - `*.yaml`/`*.yml` at its top (except `routes.yaml` and `software.yaml`) are rule packs, whose
    ///   checks replace shipped ones by id or are added;
    /// - `routes.yaml` and `software.yaml` replace shipped entries by id or add to them;
    /// - `data/prices.yaml` replaces shipped prices by id; each other file of [`DATA_FILES`] under
    ///   `data/` replaces the shipped file of that name whole.
    ///
    /// Any other file under `user_dir` is not read and is listed in [`Knowledge::ignored`].
    pub fn load(user_dir: Option<&Path>) -> Result<Knowledge> {
        let ignored = match user_dir {
            Some(dir) => unread_files(dir)?,
            None => Vec::new(),
        };
        let knowledge = Knowledge {
            checks: checks::load_checks(user_dir)?,
            routes: routes::load(user_dir)?,
            software: software::KnowledgeBase::load(user_dir)?,
            prices: prices::Prices::load(user_dir)?,
            lifecycle: data_file(user_dir, "lifecycle.yaml", lifecycle::Lifecycle::parse)?
                .unwrap_or_else(|| lifecycle::Lifecycle::embedded().clone()),
            licensing: data_file(user_dir, "licensing.yaml", licensing::LicensingData::parse)?
                .unwrap_or_else(|| licensing::LicensingData::embedded().clone()),
            gvlks: data_file(user_dir, "gvlk.yaml", gvlk::GvlkList::parse)?
                .unwrap_or_else(|| gvlk::GvlkList::embedded().clone()),
            processors: match data_file(
                user_dir,
                "win11-processors.yaml",
                processors::ProcessorList::parse,
            )? {
                Some(list) => list,
                None => processors::ProcessorList::parse_embedded(),
            },
            cpu_family_rule: data_file(
                user_dir,
                cpu_family_rule::FILE_NAME,
                cpu_family_rule::CpuFamilyRule::parse,
            )?
            .unwrap_or_else(cpu_family_rule::CpuFamilyRule::embedded),
            gpu_families: data_file(user_dir, "gpu-families.yaml", gpu_families::Families::parse)?
                .unwrap_or_else(|| gpu_families::Families::embedded().clone()),
            targets: data_file(user_dir, targets::FILE_NAME, targets::Targets::parse)?
                .unwrap_or_else(targets::Targets::embedded),
            ignored,
            id: next_id(),
        };
        knowledge.check_targets()?;
        Ok(knowledge)
    }

    /// Every check, route and software entry names a target of the list: a target the list
    /// does not have would be silently never assessed.
    fn check_targets(&self) -> Result<()> {
        let unknown = |target: crate::vocab::Target| {
            format!(
                "names target `{target}`, which rules/data/targets.yaml does not list (it lists {})",
                self.targets.ids()
            )
        };
        if let Some(loaded) = self
            .checks
            .iter()
            .find(|c| !self.targets.contains(c.check.target))
        {
            return Err(Error::RuleInvalid {
                origin: loaded.origin.clone(),
                id: loaded.check.id.clone(),
                message: unknown(loaded.check.target),
            });
        }
        if let Some(route) = self
            .routes
            .iter()
            .find(|r| !self.targets.contains(r.target))
        {
            return Err(Error::KnowledgeInvalid {
                origin: Origin("routes.yaml".into()),
                location: None,
                id: route.id.clone(),
                message: unknown(route.target),
            });
        }
        if let Some((id, target)) = self
            .software
            .targets_named()
            .find(|(_, t)| !self.targets.contains(*t))
        {
            return Err(Error::KnowledgeInvalid {
                origin: Origin(software::FILE_NAME.into()),
                location: None,
                id: id.to_string(),
                message: unknown(target),
            });
        }
        Ok(())
    }

    /// The shipped files alone, loaded once.
    pub fn embedded() -> Arc<Knowledge> {
        static SHIPPED: OnceLock<Arc<Knowledge>> = OnceLock::new();
        SHIPPED
            .get_or_init(|| {
                // A test loads the shipped files, so this only fires on a broken build.
                Arc::new(
                    Knowledge::load(None)
                        .unwrap_or_else(|e| panic!("the built-in knowledge is broken: {e}")),
                )
            })
            .clone()
    }

    /// The same knowledge with other checks (and the shipped ones' other data), for tests and
    /// tools that build packs in memory.
    pub fn with_checks(self, checks: Vec<checks::LoadedCheck>) -> Knowledge {
        Knowledge {
            checks,
            id: next_id(),
            ..self
        }
    }

    pub fn checks(&self) -> &[checks::LoadedCheck] {
        &self.checks
    }

    pub fn routes(&self) -> &[routes::RouteRule] {
        &self.routes
    }

    pub fn software(&self) -> &software::KnowledgeBase {
        &self.software
    }

    pub fn prices(&self) -> &prices::Prices {
        &self.prices
    }

    pub fn lifecycle(&self) -> &lifecycle::Lifecycle {
        &self.lifecycle
    }

    pub fn licensing(&self) -> &licensing::LicensingData {
        &self.licensing
    }

    pub fn gvlks(&self) -> &gvlk::GvlkList {
        &self.gvlks
    }

    pub fn processors(&self) -> &processors::ProcessorList {
        &self.processors
    }

    pub fn cpu_family_rule(&self) -> &cpu_family_rule::CpuFamilyRule {
        &self.cpu_family_rule
    }

    pub fn gpu_families(&self) -> &gpu_families::Families {
        &self.gpu_families
    }

    pub fn targets(&self) -> &targets::Targets {
        &self.targets
    }

    /// Files under the `--rules` directory that were not read, sorted; the binary warns about
    /// each by name.
    pub fn ignored(&self) -> &[PathBuf] {
        &self.ignored
    }

    /// A number no other loaded `Knowledge` has: what is worked out from one (the support table
    /// of a date) may be cached under it.
    pub fn id(&self) -> u64 {
        self.id
    }
}

fn next_id() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// `user_dir/data/<name>` parsed, when the file is there.
fn data_file<T>(
    user_dir: Option<&Path>,
    name: &str,
    parse: impl Fn(&str, &Origin) -> Result<T>,
) -> Result<Option<T>> {
    let Some(path) = user_dir.map(|d| d.join("data").join(name)) else {
        return Ok(None);
    };
    if !path.is_file() {
        return Ok(None);
    }
    let text = std::fs::read_to_string(&path).map_err(|source| Error::Read {
        path: path.clone(),
        source,
    })?;
    parse(&text, &Origin::path(&path)).map(Some)
}

/// The files below a `--rules` directory (at any depth) that [`Knowledge::load`] does not read,
/// sorted: what the binary warns about and `rules lint` reports, by name.
pub fn unread_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut read: BTreeSet<PathBuf> = BTreeSet::new();
    read.extend(checks::user_pack_files(dir)?);
    for name in checks::NOT_CHECK_PACKS {
        read.insert(dir.join(name));
    }
    for name in DATA_FILES {
        read.insert(dir.join("data").join(name));
    }
    let mut unread: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| !e.file_type().is_dir())
        .map(|e| e.into_path())
        .filter(|p| !read.contains(p))
        .collect();
    unread.sort();
    Ok(unread)
}
