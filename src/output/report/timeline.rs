//! The support timeline as a chart: one bar per product from its start (or the chart's first
//! year) to its last day of security updates, and a line at the assessment date.
//!
//! This computes the geometry only; `templates/report.html` draws it as inline SVG, so the chart
//! is text in the one self-contained file and prints as sharply as the page. Bars whose end date
//! is not confirmed are drawn dashed, and a reported but unconfirmed extension as an outline.

use crate::judge::assess::Assessment;
use crate::knowledge::lifecycle::{Status, Support};
use jiff::civil::Date;
use serde::Serialize;

/// Width of the label column and of the bar area, in SVG user units.
const LABEL_WIDTH: f64 = 300.0;
const BAR_AREA: f64 = 560.0;
const ROW_HEIGHT: f64 = 30.0;
const TOP: f64 = 28.0;

#[derive(Debug, Clone, Serialize)]
pub struct Chart {
    pub width: f64,
    pub height: f64,
    pub label_width: f64,
    pub ticks: Vec<Tick>,
    /// Where the assessment date falls, when it is inside the chart.
    pub today_x: Option<f64>,
    pub as_of: String,
    pub rows: Vec<Row>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Tick {
    pub x: f64,
    pub label: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub y: f64,
    pub label: String,
    pub editions: String,
    /// supported | ended | upcoming
    pub status: &'static str,
    pub x: f64,
    pub width: f64,
    pub ends_on: String,
    pub confirmed: bool,
    /// A reported, unconfirmed later end, drawn as an outline after the bar.
    pub extension_width: Option<f64>,
    /// "current OS", "ESU" or empty.
    pub role: &'static str,
}

impl Chart {
    /// The chart for an assessment: the current OS and its ESU first, then the options.
    pub fn new(assessment: &Assessment) -> Option<Chart> {
        let as_of: Date = assessment.as_of.parse().ok()?;
        let mut supports: Vec<(&Support, &'static str)> = Vec::new();
        if let Some(current) = assessment.os.support.known() {
            supports.push((current, "current OS"));
            if let Some(esu) = &current.esu {
                supports.push((esu, "ESU"));
            }
        }
        supports.extend(assessment.timeline.iter().map(|s| (s, "")));
        if supports.is_empty() {
            return None;
        }
        let end_of = |s: &Support| s.ends_on.or(s.ended_on).unwrap_or(s.starts_on);
        let last = supports
            .iter()
            .map(|(s, _)| {
                s.extension
                    .as_ref()
                    .map_or(end_of(s), |e| e.ends_on.max(end_of(s)))
            })
            .max()?;
        let first_year = supports
            .iter()
            .map(|(s, _)| end_of(s).year())
            .min()?
            .min(as_of.year());
        let start = Date::new(first_year, 1, 1).ok()?;
        let end = Date::new(last.year() + 1, 1, 1).ok()?;
        let days = f64::from((end - start).get_days());
        let x_of = |d: Date| {
            let d = d.clamp(start, end);
            LABEL_WIDTH + BAR_AREA * f64::from((d - start).get_days()) / days
        };
        let rows = supports
            .iter()
            .enumerate()
            .map(|(i, (s, role))| {
                let ends = end_of(s);
                let x = x_of(s.starts_on);
                let x_end = x_of(ends.tomorrow().unwrap_or(ends));
                let extension_width = s
                    .extension
                    .as_ref()
                    .filter(|e| e.ends_on > ends)
                    .map(|e| x_of(e.ends_on.tomorrow().unwrap_or(e.ends_on)) - x_end);
                Row {
                    y: TOP + ROW_HEIGHT * i as f64,
                    label: s.product.clone(),
                    editions: shorten(&s.editions, 56),
                    status: s.status.as_str(),
                    x: round(x),
                    width: round((x_end - x).max(1.5)),
                    ends_on: ends.to_string(),
                    confirmed: s.confirmed,
                    extension_width: extension_width.map(round),
                    role,
                }
            })
            .collect::<Vec<_>>();
        let ticks = (first_year..=last.year() + 1)
            .filter_map(|y| Date::new(y, 1, 1).ok())
            .map(|d| Tick {
                x: round(x_of(d)),
                label: d.year().to_string(),
            })
            .collect();
        let today_x = (start <= as_of && as_of < end).then(|| round(x_of(as_of)));
        Some(Chart {
            width: LABEL_WIDTH + BAR_AREA + 72.0,
            height: TOP + ROW_HEIGHT * rows.len() as f64 + 8.0,
            label_width: LABEL_WIDTH,
            ticks,
            today_x,
            as_of: as_of.to_string(),
            rows,
        })
    }
}

/// At most `max` characters, ending in "…" when cut, so a label stays left of the bars.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max - 1).collect();
    format!("{}…", cut.trim_end_matches([' ', ',']))
}

fn round(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// "ended", "ends today", "1 day left", "319 days left", "not yet released".
pub fn status_words(support: &Support) -> String {
    match (support.status, support.days_remaining) {
        (Status::Ended, _) => "ended".into(),
        (Status::Upcoming, _) => "not yet released".into(),
        (Status::Supported, Some(0)) => "last day today".into(),
        (Status::Supported, Some(1)) => "1 day left".into(),
        (Status::Supported, Some(n)) => format!("{n} days left"),
        (Status::Supported, None) => "supported".into(),
    }
}
