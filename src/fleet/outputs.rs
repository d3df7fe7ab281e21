//! The fleet's files: `fleet.json` (summary and rows), `fleet.csv` (one row per machine, RFC 4180)
//! and `index.html` (the dashboard). All three are written from the same rows and summary, so
//! their counts agree, and each is written atomically.

use super::{Fleet, Options, Row};
use crate::error::Result;
use crate::report::Renderer;
use crate::rules::Target;
use serde::Serialize;
use std::path::Path;

/// Writes the three files side by side: for a large fleet each takes a good part of a second,
/// and they only read the rows.
pub fn write_all(
    fleet: &Fleet,
    out_dir: &Path,
    renderer: &Renderer,
    options: &Options,
) -> Result<()> {
    let (json, (csv, html)) = rayon::join(
        || write_json(fleet, &out_dir.join("fleet.json")),
        || {
            rayon::join(
                || write_csv(&fleet.rows, &out_dir.join("fleet.csv"), &options.targets),
                || write_dashboard(fleet, &out_dir.join("index.html"), renderer, options),
            )
        },
    );
    json.and(csv).and(html)
}

fn write_json(fleet: &Fleet, path: &Path) -> Result<()> {
    crate::output::write_atomic_with(path, |w| {
        serde_json::to_writer_pretty(&mut *w, fleet).map_err(std::io::Error::other)?;
        w.write_all(b"\n")
    })
}

fn write_dashboard(
    fleet: &Fleet,
    path: &Path,
    renderer: &Renderer,
    options: &Options,
) -> Result<()> {
    let mut render_error = None;
    crate::output::write_atomic_with(path, |w| {
        let context = Dashboard {
            summary: &fleet.summary,
            errors: &fleet.errors,
            targets: &options.targets,
            table_json: table_json(fleet, &options.targets),
        };
        renderer
            .render_page("fleet.html", &context, w)
            .map_err(|e| {
                let message = e.to_string();
                render_error = Some(e);
                std::io::Error::other(message)
            })
    })
    .map_err(|e| render_error.unwrap_or(e))
}

#[derive(Serialize)]
struct Dashboard<'a> {
    summary: &'a super::Summary,
    errors: &'a [super::InputError],
    targets: &'a [Target],
    /// The machine table's data, already JSON: handing 100,000 rows to the template engine as
    /// values would cost more memory than the whole rest of the run.
    table_json: minijinja::Value,
}

fn table_json(fleet: &Fleet, targets: &[Target]) -> minijinja::Value {
    #[derive(Serialize)]
    struct Table<'a> {
        targets: &'a [Target],
        rows: &'a [Row],
    }
    crate::report::script_json(&Table {
        targets,
        rows: &fleet.rows,
    })
}

/// The CSV columns: identity, then one verdict column per target, then the findings.
fn write_csv(rows: &[Row], path: &Path, targets: &[Target]) -> Result<()> {
    crate::output::write_atomic_with(path, |w| {
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
                "cost_usd_low",
                "cost_usd_high",
                "report",
                "source",
            ]
            .map(String::from),
        );
        csv.write_record(&header).map_err(csv_io)?;
        for row in rows {
            let mut record: Vec<String> = vec![
                row.host.clone().unwrap_or_default(),
                row.serial.clone().unwrap_or_default(),
                row.manufacturer.clone().unwrap_or_default(),
                row.model.clone().unwrap_or_default(),
                row.os.clone().unwrap_or_default(),
            ];
            record.extend(targets.iter().map(|t| {
                row.verdicts
                    .get(t)
                    .map(|v| v.as_str().to_string())
                    .unwrap_or_default()
            }));
            record.push(row.failing.join(" "));
            record.push(row.unknown.to_string());
            record.push(row.route.clone().unwrap_or_default());
            let cost = |i: usize| {
                row.cost_usd
                    .map(|c| format!("{:.2}", c[i]))
                    .unwrap_or_default()
            };
            record.push(cost(0));
            record.push(cost(1));
            record.push(row.report.clone().unwrap_or_default());
            record.push(row.source.clone());
            csv.write_record(&record).map_err(csv_io)?;
        }
        csv.flush()
    })
}

fn csv_io(error: csv::Error) -> std::io::Error {
    std::io::Error::other(error.to_string())
}
