//! Writing output files so that a reader never sees half of one: the content goes to a temporary
//! file beside the target, which is then renamed over it.

use crate::error::{Error, Result};
use std::io::Write;
use std::path::Path;

/// Writes a whole file atomically.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomic_with(path, |w| w.write_all(bytes))
}

/// Writes a file atomically through `fill`, which streams into a buffered writer.
pub fn write_atomic_with(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    let error = |source| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let temp = tempfile::NamedTempFile::new_in(dir).map_err(error)?;
    let mut writer = std::io::BufWriter::new(temp);
    fill(&mut writer).map_err(error)?;
    let temp = writer.into_inner().map_err(|e| error(e.into_error()))?;
    temp.persist(path).map_err(|e| error(e.error))?;
    Ok(())
}
