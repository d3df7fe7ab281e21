//! The library's typed errors, each with a stable kebab-case code.
//!
//! Codes are part of the public surface: scripts and tests match on them, so a code is never
//! renamed or reused. The binary turns any of these into exit code 2 (bad input or usage).

use std::path::PathBuf;

/// A position in a text input, 1-based, as editors show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    pub line: usize,
    pub column: usize,
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// Where an input came from, for messages: a file path or a description such as `<stdin>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin(pub String);

impl Origin {
    pub fn path(path: &std::path::Path) -> Self {
        Origin(path.display().to_string())
    }
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn at(origin: &Origin, location: &Option<Location>) -> String {
    match location {
        Some(l) => format!("{origin}:{l}"),
        None => origin.to_string(),
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: cannot read: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: cannot write: {source}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}: not a valid inventory: {message}", at(origin, location))]
    InventorySyntax {
        origin: Origin,
        location: Option<Location>,
        message: String,
    },
    #[error(
        "{}: unknown inventory schema `{found}`; expected `{expected}`",
        at(origin, location)
    )]
    InventorySchema {
        origin: Origin,
        location: Option<Location>,
        found: String,
        expected: &'static str,
    },
    #[error("{origin}: no `schema` field; an inventory starts with `schema: {expected}`")]
    InventorySchemaMissing {
        origin: Origin,
        expected: &'static str,
    },
    #[error("{}: not a valid rule pack: {message}", at(origin, location))]
    RuleSyntax {
        origin: Origin,
        location: Option<Location>,
        message: String,
    },
    #[error("{origin}: rule `{id}`: {message}")]
    RuleInvalid {
        origin: Origin,
        id: String,
        message: String,
    },
    #[error("{}: not valid knowledge data: {message}", at(origin, location))]
    DataSyntax {
        origin: Origin,
        location: Option<Location>,
        message: String,
    },
    #[error("{}: entry `{id}`: {message}", at(origin, location))]
    KnowledgeInvalid {
        origin: Origin,
        location: Option<Location>,
        id: String,
        message: String,
    },
    #[error("template `{name}`: {message}")]
    Template { name: String, message: String },
    #[error("unknown target `{given}`; expected one of {known}, or all")]
    UnknownTarget { given: String, known: String },
    #[error("no rule with id `{0}`")]
    UnknownRule(String),
    #[error("{0}")]
    Collect(String),
    #[error("not hexadecimal bytes: {0}")]
    Hex(String),
    #[error("cannot decode a product key: {0}")]
    KeyBlob(String),
    #[error(
        "{origin}: not a recognized tool output (expected systeminfo text or CSV, wmic, a .reg \
         export or `reg query` output, bcdedit, HardwareReadiness.ps1 JSON, a msinfo32 report \
         or .nfo, PowerShell's Get-ComputerInfo, Get-CimInstance or Uninstall-key listing, or a \
         GLPI Agent / FusionInventory inventory)"
    )]
    ImportUnrecognized { origin: Origin },
    #[error("{origin}: {message}")]
    ImportFailed { origin: Origin, message: String },
    /// The tool's output, read, but of something w7plan takes no fact from (a wmic class it does
    /// not use): a fleet walk lists such a file as skipped rather than unreadable.
    #[error("{origin}: {message}")]
    ImportNotUsed { origin: Origin, message: String },

    #[error("{origin}: larger than {limit_mib} MiB, far more than {kind} holds; refused unread")]
    TooLarge {
        origin: Origin,
        limit_mib: u64,
        kind: &'static str,
    },
    /// A registry hive (or its transaction log) that cannot be read.
    #[error("{origin}: not a readable registry hive: {message}")]
    HiveInvalid { origin: Origin, message: String },
    #[error(
        "{path}: no recognizable evidence (neither a collect.cmd manifest.txt nor any tool output \
         w7plan can read)"
    )]
    EvidenceEmpty { path: PathBuf },

    // Offline installations inside disk images (src/offline/disk).
    /// A disk image or VM disk that cannot be read as one: truncated, damaged, or of a kind
    /// w7plan does not know.
    #[error("{origin}: {message}")]
    DiskImage { origin: Origin, message: String },
    #[error(
        "{origin}: a BitLocker-encrypted volume; w7plan cannot read it locked (unlock it in \
         Windows, or give w7plan the drive or folder once unlocked)"
    )]
    BitLocker { origin: Origin },
    #[error(
        "{origin}: `{path}` is NTFS-compressed; w7plan does not decompress NTFS files (give \
         w7plan the volume mounted, or a copy of the file)"
    )]
    NtfsCompressed { origin: Origin, path: String },
    #[error("{origin}: `{path}` is encrypted with EFS; it cannot be read without the user's key")]
    NtfsEncrypted { origin: Origin, path: String },
}

impl Error {
    /// The stable code of this kind of error.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Read { .. } => "read-failed",
            Error::Write { .. } => "write-failed",
            Error::InventorySyntax { .. } => "inventory-syntax",
            Error::InventorySchema { .. } => "inventory-schema",
            Error::InventorySchemaMissing { .. } => "inventory-schema-missing",
            Error::RuleSyntax { .. } => "rule-syntax",
            Error::RuleInvalid { .. } => "rule-invalid",
            Error::DataSyntax { .. } => "data-syntax",
            Error::KnowledgeInvalid { .. } => "knowledge-invalid",
            Error::Template { .. } => "template",
            Error::UnknownTarget { .. } => "unknown-target",
            Error::UnknownRule(_) => "unknown-rule",
            Error::Collect(_) => "collect-failed",
            Error::Hex(_) => "hex-syntax",
            Error::KeyBlob(_) => "key-blob",
            Error::ImportUnrecognized { .. } => "import-unrecognized",
            Error::ImportFailed { .. } => "import-failed",
            Error::ImportNotUsed { .. } => "import-not-used",
            Error::EvidenceEmpty { .. } => "evidence-empty",
            Error::TooLarge { .. } => "input-too-large",
            Error::HiveInvalid { .. } => "hive-invalid",
            Error::DiskImage { .. } => "disk-image-invalid",
            Error::BitLocker { .. } => "volume-bitlocker",
            Error::NtfsCompressed { .. } => "ntfs-file-compressed",
            Error::NtfsEncrypted { .. } => "ntfs-file-encrypted",
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
