//! The fleet's files: `fleet.json` (summary and rows), `fleet.csv` (one row per machine, RFC 4180)
//! and `index.html` (the dashboard). All three are written from the same rows and summary, so
//! their counts agree, and each is written atomically, with keys masked unless revealed. A CSV
//! cell that a spreadsheet would run as a formula is neutralised. A manifest records that w7plan
//! wrote them, and a run replaces none it did not write.

use super::{Fleet, Options, Row};
use crate::error::Result;
use crate::judge::rules::route::Open;
use crate::output::files::Keys;
use crate::output::report::Renderer;
use crate::vocab::Target;
use serde::Serialize;
use std::io::Write;
use std::path::Path;

/// The files a run writes at the top of its output directory, and its reports' directory.
const WRITTEN: [&str; 4] = ["fleet.json", "fleet.csv", "index.html", "machines"];

/// Fails, before a run starts, when the output directory holds a file of the name of one the
/// run writes that w7plan did not write: `-o ~/Documents` must not replace someone's
/// `index.html`. Output of a w7plan without manifests is known by its `fleet.json`.
pub fn check_owned(out_dir: &Path) -> Result<()> {
    crate::output::files::check_files_owned(out_dir, &WRITTEN, || {
        use std::io::Read;
        let mut head = [0u8; 256];
        let read = std::fs::File::open(out_dir.join("fleet.json"))
            .and_then(|mut f| f.read(&mut head))
            .unwrap_or(0);
        String::from_utf8_lossy(&head[..read]).contains(&format!("\"{}\"", super::SCHEMA))
    })
}

/// Writes the three files side by side: for a large fleet each takes a good part of a second,
/// and they only read the rows.
pub fn write_all(
    fleet: &Fleet,
    out_dir: &Path,
    renderer: &Renderer,
    options: &Options,
    targets: &crate::knowledge::targets::Targets,
) -> Result<()> {
    let keys = crate::output::files::Keys::revealed(options.reveal_keys);
    let (json, (csv, html)) = rayon::join(
        || write_json(fleet, &out_dir.join("fleet.json"), keys),
        || {
            rayon::join(
                || {
                    write_csv(
                        &fleet.rows,
                        &out_dir.join("fleet.csv"),
                        &options.targets,
                        keys,
                    )
                },
                || {
                    write_dashboard(
                        fleet,
                        &out_dir.join("index.html"),
                        renderer,
                        options,
                        targets,
                        keys,
                    )
                },
            )
        },
    );
    json.and(csv).and(html)?;
    crate::output::files::record_written(out_dir, &WRITTEN)
}

fn write_json(fleet: &Fleet, path: &Path, keys: Keys) -> Result<()> {
    crate::output::files::write_atomic_with(path, keys, |w| {
        serde_json::to_writer_pretty(&mut *w, fleet).map_err(std::io::Error::other)?;
        w.write_all(b"\n")
    })
}

fn write_dashboard(
    fleet: &Fleet,
    path: &Path,
    renderer: &Renderer,
    options: &Options,
    targets: &crate::knowledge::targets::Targets,
    keys: Keys,
) -> Result<()> {
    let mut render_error = None;
    crate::output::files::write_atomic_with(path, keys, |w| {
        let context = Dashboard {
            summary: &fleet.summary,
            errors: &fleet.errors,
            skipped: &fleet.skipped,
            targets: &options.targets,
            target_titles: options
                .targets
                .iter()
                .map(|&t| (t, targets.title(t)))
                .collect(),
            table_json: minijinja::Value::from_safe_string(TABLE_MARKER.to_string()),
        };
        let table = Table {
            targets: &options.targets,
            rows: &fleet.rows,
        };
        let mut fill = |out: &mut dyn Write| {
            let mut out = crate::output::report::ScriptSafe::new(out);
            serde_json::to_writer(&mut out, &table).map_err(std::io::Error::other)?;
            out.flush()
        };
        let mut out = Splice {
            out: w,
            pending: Vec::new(),
            fill: &mut fill,
        };
        renderer
            .render_page("fleet.html", &context, &mut out)
            .map_err(|e| {
                let message = e.to_string();
                render_error = Some(e);
                std::io::Error::other(message)
            })?;
        out.finish()
    })
    .map_err(|e| render_error.unwrap_or(e))
}

#[derive(Serialize)]
struct Dashboard<'a> {
    summary: &'a super::Summary,
    errors: &'a [super::InputError],
    skipped: &'a [super::Skipped],
    targets: &'a [Target],
    /// How reports head each target (`rules/data/targets.yaml`).
    target_titles: std::collections::BTreeMap<Target, &'a str>,
    /// A marker the machine table's JSON replaces as the page is written ([`Splice`]).
    table_json: minijinja::Value,
}

/// Where the template puts `table_json`, the machine table's JSON is written straight into the
/// page: handing 100,000 rows to the template engine, even as one string, would hold tens of
/// megabytes that the page only passes through. Text from machines is HTML-escaped before it
/// reaches the page, so it cannot spell the marker.
const TABLE_MARKER: &str = "<w7plan:fleet-table/>";

#[derive(Serialize)]
struct Table<'a> {
    targets: &'a [Target],
    rows: &'a [Row],
}

/// A writer that passes text on and calls `fill` in place of each [`TABLE_MARKER`].
struct Splice<'a> {
    out: &'a mut dyn Write,
    /// Bytes not yet passed on: they may be the start of a marker split across writes.
    pending: Vec<u8>,
    fill: &'a mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
}

impl Splice<'_> {
    fn finish(self) -> std::io::Result<()> {
        self.out.write_all(&self.pending)?;
        self.out.flush()
    }
}

impl Write for Splice<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.pending.extend_from_slice(bytes);
        let marker = TABLE_MARKER.as_bytes();
        while let Some(at) = self
            .pending
            .windows(marker.len())
            .position(|window| window == marker)
        {
            self.out.write_all(&self.pending[..at])?;
            (self.fill)(&mut *self.out)?;
            self.pending.drain(..at + marker.len());
        }
        // Keep only what could still begin a marker.
        let keep = (1..marker.len())
            .rev()
            .find(|&n| self.pending.ends_with(&marker[..n]))
            .unwrap_or(0);
        let send = self.pending.len() - keep;
        self.out.write_all(&self.pending[..send])?;
        self.pending.drain(..send);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// The CSV columns: identity, then one verdict column per target, then the findings, then where
/// the facts came from and how old they are. Columns are only ever added at the end: scripts
/// read them by position.
fn write_csv(rows: &[Row], path: &Path, targets: &[Target], keys: Keys) -> Result<()> {
    crate::output::files::write_atomic_with(path, keys, |w| {
        let mut csv = csv::Writer::from_writer(w);
        let mut header: Vec<String> = ["host", "serial", "manufacturer", "model", "os"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        header.extend(targets.iter().map(|t| format!("verdict_{t}")));
        header.extend(
            [
                "failing_checks",
                "unknown_checks",
                "route",
                "route_open",
                "cost_usd_low",
                "cost_usd_high",
                "report",
                "source",
                "collector",
                "collector_version",
                "collected_at",
                "data_age_days",
                "freshness",
                "source_count",
            ]
            .map(String::from),
        );
        csv.write_record(&header).map_err(csv_io)?;
        // Text from machines (and file names) could start a formula: such cells are neutralised
        // as OWASP advises. The numbers are w7plan's own and stay numbers.
        let text = |value: &Option<String>| {
            crate::output::report::escape::csv_cell(value.as_deref().unwrap_or_default())
                .into_owned()
        };
        for row in rows {
            let mut record: Vec<String> = vec![
                text(&row.host),
                text(&row.serial),
                text(&row.manufacturer),
                text(&row.model),
                text(&row.os),
            ];
            record.extend(targets.iter().map(|t| {
                row.verdicts
                    .get(t)
                    .map(|v| v.as_str().to_string())
                    .unwrap_or_default()
            }));
            record.push(text(&Some(row.failing.join(" "))));
            record.push(row.unknown.to_string());
            record.push(text(&row.route));
            record.push(
                row.route_open
                    .map(Open::as_str)
                    .unwrap_or_default()
                    .to_string(),
            );
            let cost = |i: usize| {
                row.cost_usd
                    .map(|c| format!("{:.2}", c[i]))
                    .unwrap_or_default()
            };
            record.push(cost(0));
            record.push(cost(1));
            record.push(text(&row.report));
            record.push(text(&Some(row.source.clone())));
            record.push(text(&row.provenance.collector));
            record.push(text(&row.provenance.collector_version));
            record.push(text(&row.provenance.collected_at));
            record.push(row.age_days.map(|d| d.to_string()).unwrap_or_default());
            record.push(row.freshness.as_str().to_string());
            record.push(row.source_count.to_string());
            csv.write_record(&record).map_err(csv_io)?;
        }
        csv.flush()
    })
}

fn csv_io(error: csv::Error) -> std::io::Error {
    std::io::Error::other(error.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_marker_is_replaced_even_when_split_across_writes() {
        let page = format!("<p>a</p>{TABLE_MARKER}<p>b</p><w7plan:fleet<x>");
        for chunk in [1, 3, 7, page.len()] {
            let mut out = Vec::new();
            let mut fill = |w: &mut dyn Write| w.write_all(b"[1,2]");
            let mut splice = Splice {
                out: &mut out,
                pending: Vec::new(),
                fill: &mut fill,
            };
            for piece in page.as_bytes().chunks(chunk) {
                splice.write_all(piece).unwrap();
            }
            splice.finish().unwrap();
            assert_eq!(
                String::from_utf8(out).unwrap(),
                "<p>a</p>[1,2]<p>b</p><w7plan:fleet<x>",
                "chunks of {chunk}"
            );
        }
    }
}
