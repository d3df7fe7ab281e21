//! The terminal view: one verdict line per target, then the checks that need attention (failed
//! and unknown) with what was observed, what is required and what to do.

use crate::assess::{Assessment, Verdict};
use crate::rules::Status;
use comfy_table::{presets, Attribute, Cell, Color, ContentArrangement, Table};

pub fn render(assessment: &Assessment, color: bool) -> String {
    let mut out = String::new();
    let host = assessment.host.name.as_deref().unwrap_or("This machine");
    let os = assessment.os.name.as_deref().unwrap_or("unknown OS");
    let arch = assessment
        .os
        .arch
        .map(|a| format!(" ({})", serde_plain(&a)))
        .unwrap_or_default();
    out.push_str(&format!(
        "{host} — {os}{arch} — as of {}\n",
        assessment.as_of
    ));

    let mut verdicts = new_table(color);
    verdicts.set_header(vec!["Target", "Verdict", "Checks"]);
    for target in &assessment.targets {
        let tally = &target.tally;
        let mut parts = vec![format!("{} pass", tally.pass)];
        if tally.fail > 0 {
            parts.insert(0, format!("{} fail", tally.fail));
        }
        if tally.unknown > 0 {
            parts.push(format!("{} unknown", tally.unknown));
        }
        verdicts.add_row(vec![
            Cell::new(&target.title),
            verdict_cell(target.verdict, color),
            Cell::new(parts.join(", ")),
        ]);
    }
    out.push_str(&verdicts.to_string());
    out.push('\n');

    for target in &assessment.targets {
        let attention: Vec<_> = target
            .checks_by_urgency()
            .into_iter()
            .filter(|c| matches!(c.status, Status::Fail | Status::Unknown))
            .collect();
        if attention.is_empty() {
            continue;
        }
        out.push_str(&format!("\n{}: what needs attention\n", target.title));
        let mut table = new_table(color);
        table.set_header(vec![
            "Check",
            "Status",
            "Observed",
            "Required",
            "What to do",
        ]);
        for check in attention {
            let todo = match check.status {
                Status::Fail => check
                    .fix
                    .as_ref()
                    .map(|f| f.action.clone())
                    .unwrap_or_default(),
                _ => {
                    let why = check.reason.clone().unwrap_or_default();
                    match &check.manual {
                        Some(manual) => format!("{why}\nCheck by hand: {manual}"),
                        None => why,
                    }
                }
            };
            table.add_row(vec![
                Cell::new(format!("{}\n{}", check.title, check.id)),
                status_cell(check.status, check.severity.as_str(), color),
                Cell::new(check.observed.as_deref().unwrap_or("not collected")),
                Cell::new(&check.required),
                Cell::new(todo),
            ]);
        }
        out.push_str(&table.to_string());
        out.push('\n');
    }
    if !assessment.notes.is_empty() {
        out.push_str("\nNot collected:\n");
        for note in &assessment.notes {
            out.push_str(&format!("  - {note}\n"));
        }
    }
    out
}

fn new_table(color: bool) -> Table {
    let mut table = Table::new();
    table
        .load_preset(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic);
    if color {
        table.enforce_styling();
    } else {
        // Plain output goes to files and pipes: a fixed width keeps it reproducible.
        table.force_no_tty().set_width(120);
    }
    table
}

fn verdict_cell(verdict: Verdict, color: bool) -> Cell {
    let text = match verdict {
        Verdict::Ready => "READY",
        Verdict::NotReady => "NOT READY",
        Verdict::Unknown => "UNKNOWN",
    };
    let cell = Cell::new(text);
    if !color {
        return cell;
    }
    let fg = match verdict {
        Verdict::Ready => Color::Green,
        Verdict::NotReady => Color::Red,
        Verdict::Unknown => Color::Yellow,
    };
    cell.fg(fg).add_attribute(Attribute::Bold)
}

fn status_cell(status: Status, severity: &str, color: bool) -> Cell {
    let cell = Cell::new(format!("{status}\n({severity})"));
    if !color {
        return cell;
    }
    match status {
        Status::Fail => cell.fg(Color::Red),
        Status::Unknown => cell.fg(Color::Yellow),
        _ => cell,
    }
}

fn serde_plain<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}
