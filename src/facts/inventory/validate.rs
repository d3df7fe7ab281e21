//! What an inventory file holds that w7plan cannot use: fields it does not know (typos such as
//! `memroy:` or `instaled_bytes`) and values no machine can have (`cpu.family: 4294967295`, more
//! free space than the disk holds, the date `2012-13-45`).
//!
//! Unknown fields are reported and ignored; an impossible value is reported and treated as not
//! collected, so no check passes on it. Each finding names the line it is on. This module does
//! not judge plausible values (a 2 TB disk is fine): only values that cannot be.

use crate::error::{Location, Origin};
use crate::facts::inventory::schema::{inventory_shape, Shape};
use crate::facts::inventory::Inventory;

/// One thing in an inventory file that w7plan ignored or set aside.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub location: Option<Location>,
    pub message: String,
}

impl Warning {
    /// `file:line:column: message`, as editors and the other errors show it.
    pub fn at(&self, origin: &Origin) -> String {
        match &self.location {
            Some(l) => format!("{origin}:{l}: {}", self.message),
            None => format!("{origin}: {}", self.message),
        }
    }
}

/// The CPUID family a processor can report: the base family (4 bits) plus, when it is 15, the
/// extended family (8 bits): at most 15 + 255.
const MAX_CPU_FAMILY: u32 = 15 + 255;
/// The model: the extended model (4 bits) above the base model (4 bits).
const MAX_CPU_MODEL: u32 = 255;
/// The stepping is 4 bits.
const MAX_CPU_STEPPING: u32 = 15;
/// x86-64 addresses at most 2^52 bytes of physical memory (52-bit physical addresses).
const MAX_MEMORY_BYTES: u64 = 1 << 52;

/// How many unknown fields one file reports at most.
pub const MAX_UNKNOWN: usize = 100;

/// Warnings for the fields the typed parse ignored (each a path of keys, list indexes left out),
/// each with the line it is written on.
pub fn unknown_fields(paths: Vec<Vec<String>>, text: &str) -> Vec<Warning> {
    let mut warnings: Vec<Warning> = paths
        .into_iter()
        .map(|path| Warning {
            location: find_path(text, &path),
            message: format!(
                "unknown field `{}`{}; it is ignored",
                crate::input::excerpt(&path.join(".")),
                suggestion(&path)
                    .map(|s| format!(" (did you mean `{s}`?)"))
                    .unwrap_or_default()
            ),
        })
        .collect();
    // In the file's order, whatever order the parser met them in.
    warnings.sort_by_key(|w| w.location.map(|l| (l.line, l.column)));
    warnings
}

/// The known field at the same place whose name is closest to an unknown one, if close enough to
/// be a typo.
fn suggestion(path: &[String]) -> Option<String> {
    let (last, parents) = path.split_last()?;
    let mut shape = inventory_shape();
    for parent in parents {
        shape = match shape {
            Shape::Struct(fields) => fields.get(parent)?,
            _ => return None,
        };
        while let Shape::Seq(item) = shape {
            shape = item;
        }
    }
    let Shape::Struct(fields) = shape else {
        return None;
    };
    fields
        .keys()
        .map(|k| (distance(k, last), k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 5))
        .min()
        .map(|(_, k)| k.clone())
}

/// Levenshtein distance, for short field names.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().take(64).enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = if ca == *cb {
                previous
            } else {
                1 + previous.min(row[j]).min(current)
            };
            previous = current;
        }
    }
    row[b.len()]
}

/// Sets aside values no machine can have, each with a warning; a cleared value is "not
/// collected" to the rules, and the inventory's notes say why.
pub fn impossible_values(inventory: &mut Inventory, text: &str) -> Vec<Warning> {
    let mut out = Vec::new();
    let mut refuse = |path: &str, shown: String, why: &str| {
        out.push(Warning {
            location: find_path(
                text,
                &path.split('.').map(str::to_string).collect::<Vec<_>>(),
            ),
            message: format!(
                "`{path}: {}` is not possible ({why}); it is treated as not collected",
                crate::input::excerpt(&shown)
            ),
        });
    };
    if let Some(cpu) = inventory.cpu.as_mut() {
        for (name, field, most, what) in [
            (
                "cpu.family",
                &mut cpu.family,
                MAX_CPU_FAMILY,
                "a CPUID family is at most 270",
            ),
            (
                "cpu.model",
                &mut cpu.model,
                MAX_CPU_MODEL,
                "a CPUID model is at most 255",
            ),
            (
                "cpu.stepping",
                &mut cpu.stepping,
                MAX_CPU_STEPPING,
                "a stepping is at most 15",
            ),
        ] {
            if let Some(v) = field.filter(|v| *v > most) {
                refuse(name, v.to_string(), what);
                *field = None;
            }
        }
    }
    if let Some(memory) = inventory.memory.as_mut() {
        for (name, field) in [
            ("memory.installed_bytes", &mut memory.installed_bytes),
            ("memory.visible_bytes", &mut memory.visible_bytes),
        ] {
            if let Some(v) = field.filter(|v| *v > MAX_MEMORY_BYTES) {
                refuse(
                    name,
                    v.to_string(),
                    "more than an x86-64 PC can address, 4 PiB",
                );
                *field = None;
            }
        }
    }
    if let Some(volume) = inventory
        .storage
        .as_mut()
        .and_then(|s| s.system_volume.as_mut())
    {
        if let (Some(size), Some(free)) = (volume.size_bytes, volume.free_bytes) {
            if free > size {
                refuse(
                    "storage.system_volume.free_bytes",
                    free.to_string(),
                    &format!("more free space than the volume's size, {size} bytes"),
                );
                volume.free_bytes = None;
            }
        }
    }
    let mut dates: Vec<(&str, &mut Option<String>)> = Vec::new();
    if let Some(os) = inventory.os.as_mut() {
        dates.push(("os.installed_on", &mut os.installed_on));
    }
    if let Some(firmware) = inventory.firmware.as_mut() {
        dates.push(("firmware.date", &mut firmware.date));
    }
    dates.push(("collected_at", &mut inventory.collected_at));
    for (name, field) in dates {
        if let Some(text) = field.as_deref().filter(|t| impossible_date(t)) {
            refuse(name, text.to_string(), "no such day");
            *field = None;
        }
    }
    if let Some(software) = inventory.software.as_mut() {
        for program in software.iter_mut() {
            if let Some(text) = program
                .installed_on
                .as_deref()
                .filter(|t| impossible_date(t))
            {
                refuse("software.installed_on", text.to_string(), "no such day");
                program.installed_on = None;
            }
        }
    }
    out
}

/// A date written as `YYYY-MM-DD` (alone or starting a timestamp) or `YYYYMMDD` that names no
/// day. Other forms (`03/14/2012` from firmware) are left alone: they are not ambiguous about
/// being impossible only when their order is known.
fn impossible_date(text: &str) -> bool {
    let t = text.trim();
    let ymd = if t.len() >= 10 && t.as_bytes()[4] == b'-' && t.as_bytes()[7] == b'-' {
        Some((t.get(0..4), t.get(5..7), t.get(8..10)))
    } else if t.len() == 8 && t.bytes().all(|b| b.is_ascii_digit()) {
        Some((t.get(0..4), t.get(4..6), t.get(6..8)))
    } else {
        None
    };
    let Some((Some(y), Some(m), Some(d))) = ymd else {
        return false;
    };
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<i16>(), m.parse::<i8>(), d.parse::<i8>()) else {
        return false;
    };
    jiff::civil::Date::new(y, m, d).is_err()
}

/// The line where a nested key is written: each key of the path is looked for after its
/// parent's line (good enough for the block and flow styles inventories are written in).
fn find_path(text: &str, path: &[String]) -> Option<Location> {
    let lines: Vec<&str> = text.lines().collect();
    let mut from = 0;
    let mut found = None;
    for key in path {
        let (index, column) = lines
            .iter()
            .enumerate()
            .skip(from)
            .find_map(|(i, line)| key_column(line, key).map(|c| (i, c)))?;
        found = Some(Location {
            line: index + 1,
            column,
        });
        from = index;
    }
    found
}

fn key_column(line: &str, key: &str) -> Option<usize> {
    for quoted in [format!("\"{key}\""), format!("'{key}'"), key.to_string()] {
        let mut start = 0;
        while let Some(at) = line[start..].find(&quoted) {
            let at = start + at;
            let before = line[..at].chars().next_back();
            let after = line[at + quoted.len()..].trim_start_matches([' ', '\t']);
            if before.is_none_or(|c| matches!(c, ' ' | '\t' | '{' | ',' | '-'))
                && after.starts_with(':')
            {
                return Some(line[..at].chars().count() + 1);
            }
            start = at + quoted.len();
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unknown(text: &str) -> Vec<Warning> {
        let (_, warnings) = Inventory::parse_checked(text, &Origin("t.yaml".into())).unwrap();
        warnings
    }

    #[test]
    fn typos_are_found_with_their_line_and_a_suggestion() {
        let text = "schema: w7plan/inventory/v1\nmemroy:\n  installed_bytes: 1\nstorage:\n  system_disk:\n    size_bytes: 5\n    partiton_style: gpt\ngraphics:\n  - {name: x, wdm: '2.0'}\ncpu:\n  features: {anything: true}\n";
        let found = unknown(text);
        let messages: Vec<String> = found
            .iter()
            .map(|w| w.at(&Origin("t.yaml".into())))
            .collect();
        assert_eq!(messages.len(), 3, "{messages:#?}");
        assert!(
            messages[0].starts_with("t.yaml:2:1: unknown field `memroy`"),
            "{messages:#?}"
        );
        assert!(
            messages[0].contains("did you mean `memory`"),
            "{messages:#?}"
        );
        assert!(
            messages[1]
                .starts_with("t.yaml:7:5: unknown field `storage.system_disk.partiton_style`"),
            "{messages:#?}"
        );
        assert!(
            messages[2].contains("`graphics.wdm`") && messages[2].contains("`wddm`"),
            "{messages:#?}"
        );
        assert!(messages[2].starts_with("t.yaml:9:"), "{messages:#?}");
        assert!(unknown("schema: w7plan/inventory/v1\nmemory: {installed_bytes: 1}\n").is_empty());
    }

    #[test]
    fn impossible_values_are_set_aside() {
        let text = "cpu:\n  family: 4294967295\n  model: 158\nmemory:\n  installed_bytes: 18446744073709551615\nstorage:\n  system_volume: {size_bytes: 100, free_bytes: 200}\nos:\n  installed_on: 2012-13-45\nfirmware:\n  date: 03/14/2012\n";
        let mut inventory: Inventory = crate::yaml::from_str(text).unwrap();
        let found = impossible_values(&mut inventory, text);
        assert_eq!(found.len(), 4, "{found:#?}");
        assert_eq!(found[0].location.map(|l| l.line), Some(2));
        assert!(
            found[0].message.contains("cpu.family: 4294967295"),
            "{found:#?}"
        );
        assert_eq!(inventory.cpu.as_ref().unwrap().family, None);
        assert_eq!(inventory.cpu.as_ref().unwrap().model, Some(158));
        assert_eq!(inventory.memory.as_ref().unwrap().installed_bytes, None);
        assert_eq!(
            inventory
                .storage
                .as_ref()
                .unwrap()
                .system_volume
                .as_ref()
                .unwrap()
                .free_bytes,
            None
        );
        assert_eq!(inventory.os.as_ref().unwrap().installed_on, None);
        assert_eq!(found[3].location.map(|l| l.line), Some(9));
        assert_eq!(
            inventory.firmware.as_ref().unwrap().date.as_deref(),
            Some("03/14/2012")
        );
        assert!(!impossible_date("2012-02-29") && impossible_date("2013-02-29"));
        assert!(impossible_date("20121345") && !impossible_date("2012-03-14T10:00:00Z"));
    }
}
