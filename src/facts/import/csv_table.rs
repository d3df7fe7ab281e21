//! Reads an inventory engine's export that is a CSV table with one machine per row (ConfigMgr's
//! wide query, Lansweeper's reports): finding the engine's columns in the header, streaming the
//! rows, reading typed cells, and the values such exports share (SQL Server dates, the CPUID
//! signature in `ProcessorId`, sizes in megabytes or bytes).
//!
//! It does not know any engine's columns or what they mean: each engine's module ([`Table`])
//! names its columns and maps a row to an inventory.
//!
//! Invariants: rows are numbered as a spreadsheet shows them, the header being row 1; a row that
//! cannot be read is an error naming the file and the row, and the rows after it are still read;
//! a row is never gathered past [`ROW_LIMIT`] bytes, so a file with no line ends cannot fill
//! memory.

use crate::error::{Origin, Result};
use crate::facts::inventory::Inventory;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// Columns by table (or view) and column, as an engine names them.
pub type Columns = &'static [(&'static str, &'static str)];

/// One engine's export format.
pub trait Table {
    /// The engine as messages name it ("ConfigMgr", "Lansweeper").
    const NAME: &'static str;
    /// The columns w7plan reads; [`Row`]'s accessors take names from this list.
    const COLUMNS: Columns;
    /// The index into [`Table::COLUMNS`] a header cell names, if w7plan reads it.
    fn column_of(cell: &str) -> Option<usize>;
    /// Refuses a header that lacks what makes a row a machine (the message follows `row 1: `).
    fn check(header: &Header) -> std::result::Result<(), String>;
    /// One row as an inventory.
    fn row_to_inventory(row: &Row<'_>) -> Result<Inventory>;
}

/// Whether `text` begins with a header naming at least `at_least` columns of `T`.
pub fn sniff<T: Table>(text: &str, at_least: usize) -> bool {
    header_columns::<T>(text).flatten().count() >= at_least
}

/// The columns of `T` the first line of `text` names, cell by cell.
pub fn header_columns<T: Table>(text: &str) -> impl Iterator<Item = Option<usize>> {
    header_cells(text)
        .into_iter()
        .map(|cell| T::column_of(&cell))
}

/// The cells of the first line of `text`.
pub fn header_cells(text: &str) -> Vec<String> {
    let first = super::text::lines(text.trim_start_matches('\u{feff}'))
        .next()
        .unwrap_or("");
    split_header(first)
}

/// A header line's cells, with CSV quotes removed (a header has no embedded line breaks).
pub fn split_header(line: &str) -> Vec<String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(line.as_bytes());
    reader
        .records()
        .next()
        .and_then(|r| r.ok())
        .map(|r| r.iter().map(str::to_string).collect())
        .unwrap_or_default()
}

/// A header cell without a byte-order mark, brackets or quotes: `[tblProcessor].[Name]` is
/// `tblProcessor.Name`.
pub fn clean_cell(cell: &str) -> String {
    cell.trim()
        .trim_start_matches('\u{feff}')
        .split('.')
        .map(|part| part.trim().trim_matches(['[', ']', '"']))
        .collect::<Vec<_>>()
        .join(".")
}

/// Where each column w7plan reads is in the file.
#[derive(Debug, Clone)]
pub struct Header {
    /// By index into the table's columns: the cell index in a row.
    at: Vec<Option<usize>>,
    width: usize,
}

impl Header {
    fn new<T: Table>(record: &csv::StringRecord, origin: &Origin) -> Result<Header> {
        let mut at = vec![None; T::COLUMNS.len()];
        for (cell_index, cell) in record.iter().enumerate() {
            if let Some(column) = T::column_of(cell) {
                at[column].get_or_insert(cell_index);
            }
        }
        let header = Header {
            at,
            width: record.len(),
        };
        T::check(&header).map_err(|message| failed(origin, format!("row 1: {message}")))?;
        Ok(header)
    }

    /// The header of a record joined from several files (ConfigMgr's per-view export): cell `i`
    /// holds column `i` of `T`, for the columns `present` says the export has; the others are
    /// absent, as a column left out of a wide export is.
    pub fn joined<T: Table>(present: impl Fn(usize) -> bool) -> Header {
        Header {
            at: (0..T::COLUMNS.len())
                .map(|i| present(i).then_some(i))
                .collect(),
            width: T::COLUMNS.len(),
        }
    }

    /// Whether the header has the column (index into the table's columns).
    pub fn has(&self, column: usize) -> bool {
        self.at.get(column).copied().flatten().is_some()
    }
}

/// The machines of an export, one row at a time. Each item is the row's number in the file (the
/// header is row 1) and its machine, or the error that row met.
pub struct Rows<R: std::io::Read, T: Table> {
    reader: csv::Reader<RowBudget<R>>,
    /// Bytes read since the current row began (shared with the reader's [`RowBudget`]).
    used: Arc<AtomicU64>,
    header: Header,
    origin: Origin,
    record: csv::StringRecord,
    done: bool,
    table: std::marker::PhantomData<T>,
}

impl<R: std::io::Read, T: Table> Rows<R, T> {
    /// Reads the header; one [`Table::check`] refuses is an error.
    pub fn new(input: R, origin: &Origin) -> Result<Rows<R, T>> {
        let used = Arc::new(AtomicU64::new(0));
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(RowBudget {
                inner: input,
                used: Arc::clone(&used),
            });
        let mut first = csv::StringRecord::new();
        let read = reader.read_record(&mut first).map_err(|e| {
            failed(
                origin,
                format!("row 1: the {} header cannot be read: {e}", T::NAME),
            )
        })?;
        if !read {
            return Err(failed(
                origin,
                format!("empty: expected a {} export's header row", T::NAME),
            ));
        }
        if let Some(cell) = first.get(0) {
            let trimmed = cell.trim_start_matches('\u{feff}').to_string();
            let mut cells: Vec<String> = first.iter().map(str::to_string).collect();
            cells[0] = trimmed;
            first = csv::StringRecord::from(cells);
        }
        used.store(0, Ordering::Relaxed);
        Ok(Rows {
            header: Header::new::<T>(&first, origin)?,
            reader,
            used,
            origin: origin.clone(),
            record: csv::StringRecord::new(),
            done: false,
            table: std::marker::PhantomData,
        })
    }
}

impl<R: std::io::Read, T: Table> Iterator for Rows<R, T> {
    type Item = (u64, Result<Inventory>);

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.done {
                return None;
            }
            // A cell may hold line breaks (program lists), so a row is a record, not a line.
            let row = self.reader.position().record() + 1;
            self.used.store(0, Ordering::Relaxed);
            match self.reader.read_record(&mut self.record) {
                Ok(false) => {
                    self.done = true;
                    return None;
                }
                Ok(true) => {
                    // A blank line between rows is no machine.
                    if self.record.iter().all(|c| c.trim().is_empty()) {
                        continue;
                    }
                    let origin = Origin(format!("{}, row {row}", self.origin));
                    return Some((row, self.machine(&origin)));
                }
                Err(e) => {
                    // Bad UTF-8 spoils one row; an I/O error ends the file. The rows before it
                    // stand.
                    self.done = !matches!(e.kind(), csv::ErrorKind::Utf8 { .. });
                    let row = e.position().map_or(row, |p| p.record() + 1);
                    return Some((
                        row,
                        Err(failed(
                            &Origin(format!("{}, row {row}", self.origin)),
                            format!("cannot be read: {e}"),
                        )),
                    ));
                }
            }
        }
    }
}

impl<R: std::io::Read, T: Table> Rows<R, T> {
    fn machine(&self, origin: &Origin) -> Result<Inventory> {
        if self.record.len() < self.header.width {
            return Err(failed(
                origin,
                format!(
                    "expected {} cells as in the header, found {}: a truncated row",
                    self.header.width,
                    self.record.len()
                ),
            ));
        }
        T::row_to_inventory(&Row {
            columns: T::COLUMNS,
            header: &self.header,
            record: &self.record,
            origin,
        })
    }
}

/// The most one row may take: an inventory's own cap, as a row is one machine. A row past it
/// (a hostile or broken file with no line ends, an unclosed quote) ends the read with an error
/// instead of being gathered whole into memory.
pub const ROW_LIMIT: u64 = 32 << 20;

/// The file under the CSV reader, refusing to read on once the current row has taken
/// [`ROW_LIMIT`] bytes (counted by the reader's buffer fills, so a little over at most).
pub struct RowBudget<R> {
    inner: R,
    used: Arc<AtomicU64>,
}

impl<R> RowBudget<R> {
    /// The file under a reader, and the count to reset to 0 at each row's start.
    pub fn new(inner: R) -> (RowBudget<R>, Arc<AtomicU64>) {
        let used = Arc::new(AtomicU64::new(0));
        (
            RowBudget {
                inner,
                used: Arc::clone(&used),
            },
            used,
        )
    }
}

/// A file may be read again at a machine's rows (ConfigMgr's per-view export).
impl<R: std::io::Seek> std::io::Seek for RowBudget<R> {
    fn seek(&mut self, to: std::io::SeekFrom) -> std::io::Result<u64> {
        self.inner.seek(to)
    }
}

impl<R: std::io::Read> std::io::Read for RowBudget<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.used.load(Ordering::Relaxed) > ROW_LIMIT {
            return Err(std::io::Error::other(format!(
                "a row over {} MiB: not one machine's inventory",
                ROW_LIMIT >> 20
            )));
        }
        let n = self.inner.read(buf)?;
        self.used.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Every machine of an export held in memory (`assess` and `import` of a one-machine file; the
/// fleet streams with [`Rows`]).
pub fn read_text<T: Table>(text: &str, origin: &Origin) -> Result<Vec<(u64, Result<Inventory>)>> {
    Ok(Rows::<_, T>::new(text.as_bytes(), origin)?.collect())
}

/// The one machine of a one-row export; an export of several is refused with what to run.
pub fn single<T: Table>(text: &str, origin: &Origin) -> Result<Inventory> {
    let mut rows = read_text::<T>(text, origin)?;
    match rows.len() {
        0 => Err(failed(
            origin,
            format!("a {} export with a header and no machine rows", T::NAME),
        )),
        1 => rows.remove(0).1,
        n => Err(failed(
            origin,
            format!(
                "a {} export of {n} machines: `w7plan fleet {origin} -o DIR` assesses each of \
                 them; `assess` takes one machine",
                T::NAME
            ),
        )),
    }
}

pub(crate) use super::failed;

/// One record as `T`'s machine, the record's cells placed by `header`.
pub fn inventory_of<T: Table>(
    header: &Header,
    record: &csv::StringRecord,
    origin: &Origin,
) -> Result<Inventory> {
    T::row_to_inventory(&Row {
        columns: T::COLUMNS,
        header,
        record,
        origin,
    })
}

/// One row's cells by column.
pub struct Row<'a> {
    columns: Columns,
    header: &'a Header,
    record: &'a csv::StringRecord,
    pub origin: &'a Origin,
}

impl Row<'_> {
    fn index(&self, table: &str, column: &str) -> usize {
        let at = self
            .columns
            .iter()
            .position(|(t, c)| *t == table && *c == column);
        // Every name a mapping asks for is in its COLUMNS; the fixtures exercise each one.
        debug_assert!(at.is_some(), "{table}.{column} is not in COLUMNS");
        at.unwrap_or(0)
    }

    /// Whether the export has the column at all (an empty cell is then an answer: none).
    pub fn has(&self, table: &str, column: &str) -> bool {
        self.header.has(self.index(table, column))
    }

    /// The cell's text; empty and SQL's `NULL` are absent.
    pub fn text(&self, table: &str, column: &str) -> Option<String> {
        let at = self.header.at[self.index(table, column)]?;
        let value = self.record.get(at)?.trim();
        (!value.is_empty() && !value.eq_ignore_ascii_case("null")).then(|| value.to_string())
    }

    /// A whole number; text that is not one is an error naming the column.
    pub fn number(&self, table: &str, column: &str) -> Result<Option<u64>> {
        match self.text(table, column) {
            None => Ok(None),
            Some(value) => value
                // SQL Server exports may write whole numbers of a decimal column as `4096.0`.
                .strip_suffix(".0")
                .unwrap_or(&value)
                .parse()
                .map(Some)
                .map_err(|_| {
                    failed(
                        self.origin,
                        format!(
                            "{table}.{column}: expected a whole number, found `{}`",
                            crate::input::excerpt(&value)
                        ),
                    )
                }),
        }
    }

    pub fn number_u32(&self, table: &str, column: &str) -> Result<Option<u32>> {
        match self.number(table, column)? {
            Some(n) => u32::try_from(n).map(Some).map_err(|_| {
                failed(
                    self.origin,
                    format!("{table}.{column}: {n} is too large for what it counts"),
                )
            }),
            None => Ok(None),
        }
    }

    /// A boolean written as 1/0, True/False or Yes/No (Lansweeper's reports).
    pub fn flag(&self, table: &str, column: &str) -> Result<Option<bool>> {
        match self.text(table, column).map(|v| v.to_ascii_lowercase()) {
            None => Ok(None),
            Some(v) if matches!(v.as_str(), "1" | "true" | "yes") => Ok(Some(true)),
            Some(v) if matches!(v.as_str(), "0" | "false" | "no") => Ok(Some(false)),
            Some(v) => Err(failed(
                self.origin,
                format!(
                    "{table}.{column}: expected 1 or 0 (True or False), found `{}`",
                    crate::input::excerpt(&v)
                ),
            )),
        }
    }
}

/// A size in megabytes, as bytes; a value too large to be megabytes of a PC's memory or disk
/// (over 16 TiB) is taken as bytes already, as a custom query (or WMI's own unit) may give it.
pub fn megabytes(n: u64) -> Option<u64> {
    if n > 16 << 20 {
        Some(n)
    } else {
        n.checked_mul(1 << 20)
    }
}

/// A date as SQL Server exports it (`2011-03-14 09:12:00.000`) or a WMI datetime, as ISO.
pub fn date_of(value: &str) -> Option<String> {
    let head = value.get(..10)?;
    let b = head.as_bytes();
    if b[4] == b'-' && b[7] == b'-' {
        let numbers: Vec<u32> = head.split('-').filter_map(|p| p.parse().ok()).collect();
        if let [y, m, d] = numbers[..] {
            return super::text::iso_date(y, m, d);
        }
    }
    if b.iter().take(8).all(u8::is_ascii_digit) {
        let y = value.get(..4)?.parse().ok()?;
        let m = value.get(4..6)?.parse().ok()?;
        let d = value.get(6..8)?.parse().ok()?;
        return super::text::iso_date(y, m, d);
    }
    None
}

/// A SQL Server `datetime` as an ISO date, keeping its time of day where it has one
/// (`2026-11-02 08:15:00.000` is `2026-11-02T08:15:00`).
pub fn date_time_of(value: &str) -> Option<String> {
    let day = date_of(value)?;
    Some(match value.get(11..19) {
        Some(time) if time.as_bytes().get(2) == Some(&b':') => format!("{day}T{time}"),
        _ => day,
    })
}

/// The CPUID signature (EAX of leaf 1) in `Win32_Processor.ProcessorId`: the 16 hex digits are
/// EDX then EAX (`BFEBFBFF000206A7`), so the last eight are the signature.
pub fn processor_id_signature(id: &str) -> Option<(u32, u32, u32)> {
    let id = id.trim();
    if id.len() != 16 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let eax = u32::from_str_radix(&id[8..], 16).ok()?;
    let bytes = eax.to_le_bytes();
    super::glpi::cpuid_signature(&format!(
        "{:02X} {:02X} {:02X} {:02X}",
        bytes[0], bytes[1], bytes[2], bytes[3]
    ))
}

/// Programs listed one per line in a cell, `name<TAB>version<TAB>publisher` (the shipped queries'
/// aggregate of a machine's program rows).
pub fn program_lines(
    list: &str,
    arch: Option<crate::facts::inventory::Arch>,
) -> impl Iterator<Item = crate::facts::inventory::Program> + '_ {
    list.lines().filter_map(move |line| {
        let mut parts = line.split('\t').map(str::trim);
        let name = parts.next().filter(|n| !n.is_empty())?;
        let mut next = || parts.next().filter(|v| !v.is_empty()).map(str::to_string);
        Some(crate::facts::inventory::Program {
            name: Some(name.to_string()),
            version: next(),
            publisher: next(),
            installed_on: None,
            arch,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn processor_ids() {
        // Sandy Bridge i5-2400 (family 6, model 42, stepping 7) and Haswell (6/60/3).
        assert_eq!(processor_id_signature("BFEBFBFF000206A7"), Some((6, 42, 7)));
        assert_eq!(processor_id_signature("BFEBFBFF000306C3"), Some((6, 60, 3)));
        assert_eq!(processor_id_signature("xyz"), None);
    }

    #[test]
    fn dates() {
        assert_eq!(
            date_of("2011-03-14 09:12:00.000").as_deref(),
            Some("2011-03-14")
        );
        assert_eq!(
            date_of("20110314091200.000000+060").as_deref(),
            Some("2011-03-14")
        );
        assert_eq!(date_of("14/03/2011"), None);
        assert_eq!(
            date_time_of("2026-11-02 08:15:00.000").as_deref(),
            Some("2026-11-02T08:15:00")
        );
    }

    #[test]
    fn header_cells() {
        assert_eq!(
            clean_cell("\u{feff}[tblProcessor].[Name]"),
            "tblProcessor.Name"
        );
        assert_eq!(clean_cell(" AssetName "), "AssetName");
    }

    #[test]
    fn sizes() {
        assert_eq!(megabytes(4096), Some(4 << 30));
        assert_eq!(megabytes(4 << 30), Some(4 << 30));
    }
}
