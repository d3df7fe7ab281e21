//! The terminal view, answer first: the plan in short (verdicts, recommended route, estimated
//! cost, deadline), one verdict line per target naming what blocks it or is left to confirm,
//! then the checks that need attention (failed, unknown, and passed only by inference) with what
//! was observed, what is required and what to do.

use super::wording::Wording;
use crate::judge::assess::Assessment;
use crate::judge::verdict::TargetResult;
use crate::vocab::Verdict;
use crate::vocab::{CheckResult, Evidence, Severity, Status};
use comfy_table::{presets, Attribute, Cell, Color, ContentArrangement, Table};

pub fn render(assessment: &Assessment, wording: &Wording, color: bool) -> String {
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

    out.push_str(&in_short(assessment, wording));

    let mut verdicts = new_table(color);
    verdicts.set_header(vec!["Target", "Verdict", "Checks", "Why"]);
    for target in &assessment.targets {
        let tally = &target.tally;
        let mut parts = vec![format!("{} pass", tally.pass)];
        if tally.fail > 0 {
            parts.insert(0, format!("{} fail", tally.fail));
        }
        if tally.unknown > 0 {
            parts.push(format!("{} unknown", tally.unknown));
        }
        if tally.inferred > 0 {
            parts.push(format!("{} inferred", tally.inferred));
        }
        verdicts.add_row(vec![
            Cell::new(&target.title),
            verdict_cell(target.verdict, wording, color),
            Cell::new(parts.join(", ")),
            Cell::new(headline(target)),
        ]);
    }
    out.push_str(&verdicts.to_string());
    out.push('\n');

    for target in &assessment.targets {
        let attention: Vec<_> = target
            .checks_by_urgency()
            .into_iter()
            .filter(|c| {
                matches!(c.status, Status::Fail | Status::Unknown)
                    || c.evidence == Some(Evidence::Inferred)
            })
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
            let inferred = check.evidence == Some(Evidence::Inferred);
            let todo = match check.status {
                Status::Fail => check
                    .fix
                    .as_ref()
                    .map(|f| f.action.clone())
                    .unwrap_or_default(),
                Status::Pass => check
                    .manual
                    .as_ref()
                    .map(|m| format!("Confirm by hand: {m}"))
                    .unwrap_or_default(),
                _ => {
                    let why = check.reason.clone().unwrap_or_default();
                    match &check.manual {
                        Some(manual) => format!("{why}\nCheck by hand: {manual}"),
                        None => why,
                    }
                }
            };
            let observed = match inferred {
                true => "Inferred from other facts (basis and source below)".to_string(),
                false => check
                    .observed
                    .clone()
                    .unwrap_or_else(|| "not collected".to_string()),
            };
            table.add_row(vec![
                Cell::new(format!("{}\n{}", check.title, check.id)),
                status_cell(check, color),
                Cell::new(observed),
                Cell::new(&check.required),
                Cell::new(todo),
            ]);
        }
        out.push_str(&table.to_string());
        out.push('\n');
        out.push_str(&inferred_answers(target));
    }
    out.push_str(&licence(assessment, color));
    out.push_str(&support(assessment, color));
    if !assessment.notes.is_empty() {
        out.push_str("\nNot collected:\n");
        for note in &assessment.notes {
            out.push_str(&format!("  - {note}\n"));
        }
    }
    out
}

/// The licence held, what it allows, and the licensing checks that apply.
fn licence(assessment: &Assessment, color: bool) -> String {
    let l = &assessment.plan.licence;
    let mut out = String::from("\nLicence\n");
    let edition = match (&l.edition, &l.windows11_edition) {
        (Some(e), Some(w)) => format!("{e} → Windows 11 {w} (like for like)"),
        (Some(e), None) => e.clone(),
        (None, Some(w)) => format!("Windows 11 {w} (like for like)"),
        (None, None) => "not collected".into(),
    };
    out.push_str(&format!("  Edition:  {edition}\n"));
    match &l.channel {
        Some(c) => out.push_str(&format!("  Channel:  {}, {}\n", c.id, c.how)),
        None => out.push_str(&format!(
            "  Channel:  not known: {}\n",
            l.unknown
                .get("channel")
                .map_or("not collected", String::as_str)
        )),
    }
    if let Some(key) = l
        .product_key
        .clone()
        .or_else(|| l.partial_key.as_ref().map(|p| format!("ending {p}")))
    {
        let gvlk = l
            .gvlk
            .as_ref()
            .map(|g| format!(" (Microsoft's published KMS client key for {g})"))
            .unwrap_or_default();
        out.push_str(&format!("  Key:      {key}{gvlk}\n"));
    }
    if let Some(c) = &l.channel {
        out.push_str(&format!("  Allows:   {}\n", c.allows));
    }
    let checks: Vec<_> = l
        .checks
        .iter()
        .filter(|c| c.status != Status::NotApplicable)
        .collect();
    if checks.is_empty() {
        return out;
    }
    let mut table = new_table(color);
    table.set_header(vec![
        "Licensing path",
        "Status",
        "What to do",
        "Estimated cost (USD)",
    ]);
    for check in checks {
        let (status, todo) = match check.status {
            Status::Pass => ("nothing to buy", String::new()),
            Status::Fail => (
                "licence needed",
                check
                    .fix
                    .as_ref()
                    .map(|f| f.action.clone())
                    .unwrap_or_default(),
            ),
            _ => (
                "check by hand",
                match &check.manual {
                    Some(manual) => format!(
                        "{}\nCheck by hand: {manual}",
                        check.reason.as_deref().unwrap_or_default()
                    ),
                    None => check.reason.clone().unwrap_or_default(),
                },
            ),
        };
        let cost = if check.status != Status::Fail {
            String::new()
        } else if check.prices.is_empty() {
            "no price in w7plan's table".into()
        } else {
            check
                .prices
                .iter()
                .map(|p| {
                    format!(
                        "{} ({}, estimate as of {})",
                        super::usd(p.usd),
                        p.item,
                        p.source.as_of.as_deref().unwrap_or("?")
                    )
                })
                .collect::<Vec<_>>()
                .join("\n")
        };
        table.add_row(vec![
            Cell::new(format!("{}\n{}", check.title, check.id)),
            Cell::new(status),
            Cell::new(todo),
            Cell::new(cost),
        ]);
    }
    out.push_str(&table.to_string());
    out.push('\n');
    out
}

/// The current OS's support and the options' timeline.
fn support(assessment: &Assessment, color: bool) -> String {
    let mut out = String::from("\nSupport (last day of security updates, US Pacific time)\n");
    match assessment.os.support.known() {
        Some(s) => {
            let when = match s.status {
                crate::knowledge::lifecycle::Status::Ended => {
                    format!(
                        "ended on {}",
                        s.ended_on.map(|d| d.to_string()).unwrap_or_default()
                    )
                }
                _ => format!(
                    "supported to {} ({})",
                    s.ends_on.map(|d| d.to_string()).unwrap_or_default(),
                    super::timeline::status_words(s)
                ),
            };
            out.push_str(&format!("  This machine: {}, {when}", s.product));
            if let Some(esu) = &s.esu {
                let until = esu
                    .ends_on
                    .or(esu.ended_on)
                    .map(|d| d.to_string())
                    .unwrap_or_default();
                out.push_str(&format!(
                    "; Extended Security Updates {} {until}",
                    if esu.status == crate::knowledge::lifecycle::Status::Ended {
                        "ended on"
                    } else {
                        "run to"
                    }
                ));
            }
            out.push('\n');
        }
        None => {
            if let crate::judge::assess::OsSupport::Unknown { reason, .. } = &assessment.os.support
            {
                out.push_str(&format!(
                    "  This machine: support status unknown ({reason})\n"
                ));
            }
        }
    }
    let mut table = new_table(color);
    table.set_header(vec![
        "Option",
        "Editions",
        "Last day",
        "Status",
        "Cost (USD)",
    ]);
    for t in &assessment.timeline {
        let mut last = t
            .ends_on
            .or(t.ended_on)
            .map(|d| d.to_string())
            .unwrap_or_default();
        if !t.confirmed {
            last.push_str(" (unconfirmed)");
        }
        if let Some(e) = &t.extension {
            last.push_str(&format!(
                "\nreported extension to {} (unconfirmed)",
                e.ends_on
            ));
        }
        let cost = if t.cover.is_empty() {
            t.price
                .as_ref()
                .map(|p| {
                    format!(
                        "{} per {} (estimate)",
                        super::usd(p.usd),
                        p.per.as_deref().unwrap_or("item")
                    )
                })
                .unwrap_or_default()
        } else {
            // Years bought cumulatively: what it costs from today to each end.
            let ends: Vec<String> = t
                .cover
                .iter()
                .map(|c| format!("to {}: {}", c.until, super::usd(c.cost_usd)))
                .collect();
            format!("{} per device (estimate)", ends.join("\n"))
        };
        table.add_row(vec![
            Cell::new(&t.product),
            Cell::new(&t.editions),
            Cell::new(last),
            Cell::new(super::timeline::status_words(t)),
            Cell::new(cost),
        ]);
    }
    out.push_str(&table.to_string());
    out.push('\n');
    out
}

fn new_table(color: bool) -> Table {
    let mut table = Table::new();
    table
        .load_preset(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic);
    if color {
        table.enforce_styling();
        // Some terminals (a pty without a size, a CI log) report no usable width, which would
        // squeeze every column to one character.
        if table.width().is_none_or(|w| w < 60) {
            table.set_width(120);
        }
    } else {
        // Plain output goes to files and pipes: a fixed width keeps it reproducible.
        table.force_no_tty().set_width(120);
    }
    table
}

/// The answers inferred from other facts, each with its basis and source, as plain lines: a
/// table cell would wrap a sentence and a web address beyond use.
fn inferred_answers(target: &TargetResult) -> String {
    let inferred: Vec<&CheckResult> = target
        .checks
        .iter()
        .filter(|c| c.evidence == Some(Evidence::Inferred))
        .collect();
    if inferred.is_empty() {
        return String::new();
    }
    let mut out = format!("{}: answers inferred from other facts\n", target.title);
    for check in inferred {
        out.push_str(&format!(
            "  - {} ({}): {}\n    Basis: {}\n",
            check.title,
            check.id,
            check.status,
            check.basis.as_deref().unwrap_or("not given")
        ));
        if let Some(source) = check.refs.first() {
            out.push_str(&format!("    Source: {} <{}>\n", source.title, source.url));
        }
    }
    out
}

/// The plan in short, as the reports' "In short" block gives it: the verdicts (and after the
/// fixes), the recommended route, its estimated cost and the deadline.
fn in_short(assessment: &Assessment, wording: &Wording) -> String {
    let plan = &assessment.plan;
    let mut out = String::from("\nIn short\n");
    for target in &assessment.targets {
        let words = |verdict| wording.label(verdict).to_lowercase();
        let mut line = format!("  {}: {}", target.title, words(target.verdict));
        if let Some(after) = plan.after_fixes.get(&target.target) {
            if *after != target.verdict {
                line.push_str(&format!("; after the fixes: {}", words(*after)));
            }
        }
        out.push_str(&line);
        out.push('\n');
    }
    match plan.route.recommended_option() {
        Some(route) => {
            let when = match route.open {
                crate::judge::rules::route::Open::IfUnknownsPass => {
                    " (once the checks left to confirm are confirmed)"
                }
                _ => "",
            };
            out.push_str(&format!("  Recommended: {}{when}\n", route.title));
            let cost = match (&route.cost_usd, &route.cost_note) {
                (Some([low, high]), note) => {
                    let mut cost = super::usd(*low);
                    if high != low {
                        cost.push_str(&format!("–{}", super::usd(*high)));
                    }
                    cost.push_str(" (estimate)");
                    if let Some(note) = note {
                        cost.push_str(&format!(", {note}"));
                    }
                    cost
                }
                (None, Some(note)) => note.clone(),
                (None, None) => "not estimated".to_string(),
            };
            out.push_str(&format!("  Estimated cost: {cost}\n"));
        }
        None => out.push_str("  Recommended: nothing can be recommended from this evidence\n"),
    }
    let deadline = match assessment.os.support.known() {
        Some(s) if s.status == crate::knowledge::lifecycle::Status::Ended => format!(
            "now: {} has had no security updates since {}",
            s.product,
            s.ended_on.map(|d| d.to_string()).unwrap_or_default()
        ),
        Some(s) => format!(
            "{} is supported to {}",
            s.product,
            s.ends_on.map(|d| d.to_string()).unwrap_or_default()
        ),
        None => "support of the current system not known".to_string(),
    };
    out.push_str(&format!("  Deadline: {deadline}\n\n"));
    out
}

/// What the verdict rests on, in one cell: the blockers that fail, and the checks behind an
/// `unknown` or a "to confirm", each with the one thing to do.
fn headline(target: &TargetResult) -> String {
    let mut lines = Vec::new();
    let blockers: Vec<&str> = target
        .checks
        .iter()
        .filter(|c| c.severity == Severity::Blocker && c.status == Status::Fail)
        .map(|c| c.title.as_str())
        .collect();
    if !blockers.is_empty() {
        lines.push(format!("Blocked by: {}", blockers.join("; ")));
    }
    let to_confirm = target.to_confirm();
    if target.verdict == Verdict::NotReady && !to_confirm.is_empty() {
        // The failures decide; the rest would bury them (they are listed below).
        lines.push(format!("and {} more to confirm (below)", to_confirm.len()));
        return lines.join("\n");
    }
    for check in to_confirm {
        let label = super::confirm_label(check);
        let mut label = label.to_string();
        label[..1].make_ascii_uppercase();
        lines.push(format!(
            "{label} — {}: {}",
            check.title,
            super::one_thing(check)
        ));
    }
    lines.join("\n")
}

fn verdict_cell(verdict: Verdict, wording: &Wording, color: bool) -> Cell {
    let cell = Cell::new(wording.label(verdict).to_uppercase());
    if !color {
        return cell;
    }
    let fg = match verdict {
        Verdict::Ready | Verdict::ReadyToConfirm => Color::Green,
        Verdict::NotReady => Color::Red,
        Verdict::Unknown => Color::Yellow,
    };
    cell.fg(fg).add_attribute(Attribute::Bold)
}

fn status_cell(check: &CheckResult, color: bool) -> Cell {
    let status = check.status;
    let how = match check.evidence {
        Some(Evidence::Inferred) => " (inferred)",
        _ => "",
    };
    let cell = Cell::new(format!("{status}{how}\n({})", check.severity.as_str()));
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
