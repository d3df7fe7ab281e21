//! What was observed on a machine: the inventory model and its checks, the importers that read
//! tool outputs (and the disks of Windows installations that are not running) into it, the
//! collectors that probe the running PC, and decoding what those sources hold (CPUID registers,
//! product keys).
//!
//! Facts are recorded as seen, never judged: nothing here knows what Windows 11 requires or
//! reads the knowledge data. A fact that could not be seen stays absent, with a note where the
//! source says why.

pub mod collect;
pub mod cpuid;
pub mod import;
pub mod inventory;
pub mod productkey;
