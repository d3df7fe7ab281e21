//! An installation of Windows that is not running: a mounted volume, or the hive files
//! themselves. Reads its registry hives and maps them onto an inventory.
//!
//! Placeholder while the reader lands; the dispatch follows.

pub mod folder;
pub mod hive;
#[doc(hidden)]
pub mod hive_writer;
pub mod volume;

pub use volume::VolumeFiles;
