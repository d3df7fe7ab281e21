//! Reads what PowerShell prints about a machine: `Get-ComputerInfo` as its list view or as JSON
//! ([`computerinfo`]), `Get-CimInstance` results of `Win32_*` classes as JSON ([`cim`]), and the
//! Uninstall keys' `Get-ItemProperty` as JSON ([`uninstall`]).
//!
//! Get-ComputerInfo and Get-CimInstance show the same WMI classes wmic shows, so they are turned
//! into wmic records and mapped by [`super::wmic::to_inventory`]: one mapping per class, whatever
//! tool printed it. The uninstall list is filtered as [`super::reg`] filters the keys it reads.
//! This module owns the shapes PowerShell gives values (JSON numbers, `true`, ISO-8601 and
//! `\/Date(ms)\/` dates, arrays), and leaves their meaning to those mappings.
//!
//! A fact the output does not carry stays unknown; only input that is not JSON at all, or a list
//! view with a line that is neither `Name : value` nor a continuation, is an error, naming the
//! line.

pub mod cim;
pub mod computerinfo;
pub mod uninstall;

use super::wmic::Record;
use crate::error::{Error, Origin};
use serde_json::{Map, Value};

/// A JSON document, or an error naming the line and column where it stops being one (a
/// truncated file stops at its end).
pub(crate) fn parse_json(text: &str, what: &str, origin: &Origin) -> crate::error::Result<Value> {
    serde_json::from_str(text.trim_start_matches('\u{feff}')).map_err(|e| Error::ImportFailed {
        origin: origin.clone(),
        message: format!(
            "{what} JSON that cannot be read at line {}, column {}: {e}",
            e.line(),
            e.column()
        ),
    })
}

/// Whether `text` has `"key"` followed by a colon (a JSON object key), anywhere.
pub(crate) fn has_key(text: &str, key: &str) -> bool {
    let quoted = format!("\"{key}\"");
    text.match_indices(&quoted)
        .any(|(at, q)| text[at + q.len()..].trim_start().starts_with(':'))
}

/// A JSON object's properties as a wmic record: each value as wmic would print it (see
/// [`value_text`]); `rename` gives the WMI property name of a key, or `None` to leave it out.
pub(crate) fn record(
    object: &Map<String, Value>,
    rename: impl Fn(&str) -> Option<String>,
) -> Record {
    Record(
        object
            .iter()
            .filter_map(|(key, value)| Some((rename(key)?, value_text(value)?)))
            .collect(),
    )
}

/// A JSON value as wmic's `/format:list` prints the property: numbers as digits, booleans as
/// `TRUE`/`FALSE`, dates as CIM datetimes, arrays as `{"a","b"}`; `None` for null and nested
/// objects (which wmic does not print).
pub(crate) fn value_text(value: &Value) -> Option<String> {
    match value {
        Value::Null | Value::Object(_) => None,
        Value::Bool(b) => Some(if *b { "TRUE" } else { "FALSE" }.to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) => Some(json_date_as_cim(s).unwrap_or_else(|| s.clone())),
        Value::Array(items) => {
            let parts: Vec<String> = items
                .iter()
                .filter_map(|item| match item {
                    Value::String(s) => Some(format!("\"{s}\"")),
                    Value::Number(_) | Value::Bool(_) => value_text(item),
                    _ => None,
                })
                .collect();
            Some(format!("{{{}}}", parts.join(",")))
        }
    }
}

/// A date as PowerShell's `ConvertTo-Json` writes it, as a CIM datetime (`yyyymmddHHMMSS.000000`
/// and the offset from UTC in minutes, where known): PowerShell 7's ISO 8601
/// (`2024-12-15T04:46:29+01:00`, or with no offset) or Windows PowerShell 5.1's `/Date(ms)/` (UTC).
pub(crate) fn json_date_as_cim(s: &str) -> Option<String> {
    if let Some(ms) = s.strip_prefix("/Date(").and_then(|r| r.strip_suffix(")/")) {
        // `/Date(1570156859000-0700)/` carries the local offset too; the instant is UTC.
        let digits_end = ms
            .char_indices()
            .find(|&(i, c)| i > 0 && (c == '+' || c == '-'))
            .map_or(ms.len(), |(i, _)| i);
        let ms: i64 = ms[..digits_end].parse().ok()?;
        let utc = jiff::Timestamp::from_millisecond(ms).ok()?;
        let t = utc.to_zoned(jiff::tz::TimeZone::UTC).datetime();
        let n = |v: i16| u32::try_from(v).ok();
        return Some(cim(
            (n(t.year())?, n(t.month().into())?, n(t.day().into())?),
            Some((
                n(t.hour().into())?,
                n(t.minute().into())?,
                n(t.second().into())?,
            )),
            Some(0),
        ));
    }
    let b = s.as_bytes();
    if b.len() < 19 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' {
        return None;
    }
    let n = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = s.get(r)?;
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    let date = (n(0..4)?, n(5..7)?, n(8..10)?);
    let time = (n(11..13)?, n(14..16)?, n(17..19)?);
    // After the seconds: an optional fraction, then `Z`, `±hh:mm` or nothing.
    let rest = s[19..].trim_start_matches(|c: char| c == '.' || c.is_ascii_digit());
    let offset = match rest {
        "" => None,
        "Z" => Some(0),
        _ => {
            let sign = match rest.get(..1)? {
                "+" => 1,
                "-" => -1,
                _ => return None,
            };
            let (h, m) = rest.get(1..)?.split_once(':')?;
            Some(sign * (h.parse::<i32>().ok()? * 60 + m.parse::<i32>().ok()?))
        }
    };
    Some(cim(date, Some(time), offset))
}

/// A CIM datetime from its parts; without a time or an offset the part is left out, so
/// [`super::text::cim_datetime`] reads the date alone.
pub(crate) fn cim(
    (year, month, day): (u32, u32, u32),
    time: Option<(u32, u32, u32)>,
    offset_minutes: Option<i32>,
) -> String {
    let mut s = format!("{year:04}{month:02}{day:02}");
    if let Some((h, m, sec)) = time {
        s.push_str(&format!("{h:02}{m:02}{sec:02}.000000"));
        if let Some(offset) = offset_minutes {
            s.push_str(&format!(
                "{}{:03}",
                if offset < 0 { '-' } else { '+' },
                offset.unsigned_abs()
            ));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::import::text::cim_datetime;

    #[test]
    fn json_dates_of_both_powershells() {
        let seven = json_date_as_cim("2024-12-15T04:46:29+01:00").unwrap();
        assert_eq!(seven, "20241215044629.000000+060");
        assert_eq!(
            cim_datetime(&seven).unwrap().utc.as_deref(),
            Some("2024-12-15T03:46:29Z")
        );
        let fraction = json_date_as_cim("2024-12-22T07:14:35.425-05:30").unwrap();
        assert_eq!(fraction, "20241222071435.000000-330");
        let local = json_date_as_cim("2024-12-15T03:46:29").unwrap();
        assert_eq!(cim_datetime(&local).unwrap().date, "2024-12-15");
        assert_eq!(cim_datetime(&local).unwrap().utc, None);
        let five = json_date_as_cim("/Date(1570156859000)/").unwrap();
        assert_eq!(
            cim_datetime(&five).unwrap().utc.as_deref(),
            Some("2019-10-04T02:40:59Z")
        );
        assert!(json_date_as_cim("/Date(1570156859000-0700)/").is_some());
        assert_eq!(json_date_as_cim("10.0.26100"), None);
        assert_eq!(json_date_as_cim("2024-12-15Tx"), None);
        assert_eq!(json_date_as_cim("/Date(abc)/"), None);
    }

    #[test]
    fn values_as_wmic_prints_them() {
        let v: Value = serde_json::json!([7, "a", null, {"x": 1}]);
        assert_eq!(value_text(&v).as_deref(), Some("{7,\"a\"}"));
        assert_eq!(value_text(&Value::Bool(true)).as_deref(), Some("TRUE"));
        assert_eq!(value_text(&Value::Null), None);
        assert!(has_key("{ \"OsName\" : 1 }", "OsName"));
        assert!(!has_key("{ \"x\": \"OsName\" }", "OsName"));
    }
}
