//! One PC seen by several inputs is one machine: rows whose inventories name the same system
//! serial number (else, without a usable serial, the same host name, case-insensitive) are
//! merged into one row, their facts merged newest collection first by the rule the evidence
//! folder's sources follow ([`crate::facts::import::evidence::merge_in_order`]).
//!
//! This module owns telling machines apart and the merge; it does not read inputs on its own
//! (each is read again through [`super::load`]) nor decide what a row shows
//! ([`super::assess_machine`]). Invariants: a placeholder serial ("To be filled by O.E.M.",
//! "System Serial Number", "0", …) never joins two machines; two different real serials are
//! two machines whatever their host names; lines read from standard input are never merged
//! (they cannot be read again). Rows are merged after the parallel pass, so only the machines
//! seen twice are read and assessed again; memory still holds no inventory beyond a group's.

use super::{assess_machine, load, source_order, Context, Reload, Row, Unit};
use crate::error::{Origin, Result};
use crate::facts::import::Found;
use crate::facts::inventory::Inventory;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

/// What tells a machine apart: its usable serial number (trimmed, upper case) and its host
/// name (the first label, lower case).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Key {
    serial: Option<Box<str>>,
    host: Option<Box<str>>,
}

impl Key {
    pub fn of(inventory: &Inventory) -> Key {
        let host = inventory.host.as_ref();
        Key {
            serial: host
                .and_then(|h| h.serial.as_deref())
                .filter(|s| !is_placeholder_serial(s))
                .map(|s| s.trim().to_uppercase().into()),
            host: host
                .and_then(|h| h.name.as_deref())
                .map(short_host_name)
                .filter(|n| !is_placeholder_host(n))
                .map(Into::into),
        }
    }

    pub fn is_some(&self) -> bool {
        self.serial.is_some() || self.host.is_some()
    }
}

/// A serial number that many machines share: the firmware maker's default text, a run of one
/// character (`0`, `00000000`, `XXXXXXXX`), or a count (`123456789`).
pub fn is_placeholder_serial(serial: &str) -> bool {
    let trimmed = serial.trim();
    let lower = trimmed.to_ascii_lowercase();
    let mut chars = lower.chars().filter(|c| !matches!(c, ' ' | '-' | '.'));
    let first = chars.next();
    crate::facts::import::values::is_placeholder(trimmed)
        || first.is_none()
        || chars.all(|c| Some(c) == first)
        || [
            "serial number",
            "chassis serial number",
            "base board serial number",
            "n/a",
            "na",
            "unknown",
            "invalid",
            "empty",
            "123456789",
            "1234567890",
            "0123456789",
        ]
        .contains(&lower.as_str())
}

/// The host name as NetBIOS knows it: `PC-01.corp.example` and `pc-01` are one name, and so are
/// a long DNS host name and its first 15 characters, the NetBIOS computer name Windows derives
/// from it (ConfigMgr's `Name0`, `%COMPUTERNAME%` and systeminfo show that one; GLPI and DNS the
/// long one). Windows sets the NetBIOS name to the DNS host name cut to MAX_COMPUTERNAME_LENGTH,
/// 15 characters: Microsoft Learn, "Computer Names"
/// (learn.microsoft.com/windows/win32/sysinfo/computer-names, as of 2026-12-05).
fn short_host_name(name: &str) -> String {
    const NETBIOS_NAME_CHARS: usize = 15;
    let name = name.trim();
    let first_label = name.split('.').next().unwrap_or(name);
    first_label
        .chars()
        .take(NETBIOS_NAME_CHARS)
        .collect::<String>()
        .to_lowercase()
}

fn is_placeholder_host(name: &str) -> bool {
    matches!(name, "" | "localhost" | "unknown" | "n/a")
}

/// Indexes of the rows that are one machine, for each machine seen more than once: rows
/// sharing a usable serial; a row without one joins the single serial group of its host name,
/// or, where none or several have it, the other rows of that host name without a serial.
fn groups(rows: &[Row]) -> Vec<Vec<usize>> {
    let mut by_serial: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    let mut by_host: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (index, row) in rows.iter().enumerate() {
        if row.reload == Reload::None {
            continue;
        }
        match (&row.key.serial, &row.key.host) {
            (Some(serial), _) => by_serial.entry(serial).or_default().push(index),
            (None, Some(host)) => by_host.entry(host).or_default().push(index),
            (None, None) => {}
        }
    }
    // The serial groups each host name belongs to.
    let mut serials_of_host: HashMap<&str, HashSet<&str>> = HashMap::new();
    for (serial, members) in &by_serial {
        for &member in members {
            if let Some(host) = rows[member].key.host.as_deref() {
                serials_of_host.entry(host).or_default().insert(serial);
            }
        }
    }
    let mut joined: Vec<Vec<usize>> = Vec::new();
    for (host, members) in by_host {
        match serials_of_host.get(host) {
            Some(serials) if serials.len() == 1 => {
                let serial = serials.iter().next().copied().unwrap_or_default();
                if let Some(group) = by_serial.get_mut(serial) {
                    group.extend(members);
                }
            }
            _ => joined.push(members),
        }
    }
    joined.extend(by_serial.into_values());
    joined.retain(|g| g.len() > 1);
    joined
}

/// Merges the rows of each machine seen by several inputs into one row, and updates the
/// per-check counts to match (the members' statuses out, the merged machine's in). A group
/// whose inputs cannot all be read again (changed during the run) stays as it was.
pub(crate) fn merge_same_machines(
    rows: &mut Vec<Row>,
    counts: &mut Vec<[usize; 4]>,
    context: &Context<'_>,
) -> Result<()> {
    let groups = groups(rows);
    if groups.is_empty() {
        return Ok(());
    }
    let mut exports = ExportCache::new(rows, &groups);
    let mut merged_rows = Vec::new();
    let mut gone: HashSet<usize> = HashSet::new();
    for group in groups {
        let Some(inventories) = group
            .iter()
            .map(|&i| exports.read(&rows[i], context.options.strict))
            .collect::<Option<Vec<Inventory>>>()
        else {
            continue;
        };
        let mut members: Vec<(&Row, Inventory)> =
            group.iter().map(|&i| &rows[i]).zip(inventories).collect();
        // Newest collection first; without a date last; then in the outputs' order.
        members.sort_by(|(a, _), (b, _)| {
            b.provenance
                .date()
                .cmp(&a.provenance.date())
                .then_with(|| b.provenance.collected_at.cmp(&a.provenance.collected_at))
                .then_with(|| source_order(&a.source).cmp(&source_order(&b.source)))
        });
        let mut statuses_out = Vec::new();
        for (row, inventory) in &members {
            let quiet = Context {
                machines: None,
                ..*context
            };
            statuses_out.extend(assess_machine(inventory, &row.input_name, &row.source, &quiet)?.1);
            if let (Some(machines), Some(report)) = (context.machines, &row.report) {
                let stem = report
                    .trim_start_matches("machines/")
                    .trim_end_matches(".html");
                machines.remove(&format!("{stem}.html"))?;
                machines.remove(&format!("{stem}.md"))?;
            }
        }
        let merged = merge(&members);
        let names: Vec<&str> = members.iter().map(|(r, _)| r.input_name.as_str()).collect();
        let (mut row, statuses_in) =
            assess_machine(&merged, &names.join("+"), &members[0].0.source, context)?;
        row.source_count = members.len();
        row.merged_sources = members.iter().map(|(r, _)| r.source.clone()).collect();
        for (index, status) in statuses_out {
            // The members were counted with these statuses in the first pass (an assessment
            // is deterministic); saturating keeps a file changed in between from wrapping.
            if let Some(slot) = counts.get_mut(index) {
                let n = &mut slot[super::status_slot(status)];
                *n = n.saturating_sub(1);
            }
        }
        for (index, status) in statuses_in {
            if counts.len() <= index {
                counts.resize(index + 1, [0; 4]);
            }
            counts[index][super::status_slot(status)] += 1;
        }
        gone.extend(group);
        merged_rows.push(row);
    }
    let mut index = 0;
    rows.retain(|_| {
        index += 1;
        !gone.contains(&(index - 1))
    });
    rows.extend(merged_rows);
    Ok(())
}

/// The members' facts in one inventory, newest first, with each member's notes (prefixed by
/// its source) and a note saying what was merged.
fn merge(members: &[(&Row, Inventory)]) -> Inventory {
    let inventories: Vec<&Inventory> = members.iter().map(|(_, i)| i).collect();
    let mut merged = crate::facts::import::evidence::merge_in_order(&inventories);
    let described: Vec<String> = members
        .iter()
        .map(|(row, _)| {
            let p = &row.provenance;
            let by = [p.collector.as_deref(), p.collector_version.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
            let when = p.collected_at.as_deref().unwrap_or("date unknown");
            if by.is_empty() {
                format!("{} ({when})", row.source)
            } else {
                format!("{} ({by}, {when})", row.source)
            }
        })
        .collect();
    merged.notes = vec![format!(
        "this machine was seen by {} inputs, merged newest first (a fact comes from the newest \
         input that has it): {}",
        members.len(),
        described.join("; ")
    )];
    for (row, inventory) in members {
        merged.notes.extend(
            inventory
                .notes
                .iter()
                .map(|n| format!("{}: {n}", row.source)),
        );
    }
    merged
}

/// Reads members again; the rows of a many-machine export are read in one pass per export.
struct ExportCache {
    rows: HashMap<(Arc<Path>, u64), Inventory>,
}

impl ExportCache {
    fn new(rows: &[Row], groups: &[Vec<usize>]) -> ExportCache {
        let mut wanted: HashMap<Arc<Path>, HashSet<u64>> = HashMap::new();
        for &index in groups.iter().flatten() {
            if let Reload::Row(export, row) = &rows[index].reload {
                wanted.entry(Arc::clone(export)).or_default().insert(*row);
            }
        }
        let mut cache = HashMap::new();
        for (export, numbers) in wanted {
            if export.is_dir() {
                // A per-view export: its machines by ResourceID.
                let Ok(views) = crate::facts::import::configmgr::views::Export::open(&export)
                else {
                    continue;
                };
                for item in views.items() {
                    if let crate::facts::import::configmgr::views::Item::Machine {
                        resource,
                        inventory,
                    } = item
                    {
                        if numbers.contains(&resource) {
                            cache.insert(
                                (Arc::clone(&export), resource),
                                crate::facts::import::finish_inventory(*inventory),
                            );
                        }
                    }
                }
                continue;
            }
            let Some((kind, text_whole)) = super::table_export(&export) else {
                continue;
            };
            let origin = Origin::path(&export);
            let Ok(read) = super::export_rows(&export, kind, text_whole, &origin) else {
                continue;
            };
            for (number, inventory) in read {
                if let (true, Ok(inventory)) = (numbers.contains(&number), inventory) {
                    cache.insert(
                        (Arc::clone(&export), number),
                        crate::facts::import::finish_inventory(inventory),
                    );
                }
            }
        }
        ExportCache { rows: cache }
    }

    fn read(&mut self, row: &Row, strict: bool) -> Option<Inventory> {
        let unit = match &row.reload {
            Reload::File(path) => Unit::File(path.clone()),
            Reload::Found(path) => Unit::Found(path.clone()),
            Reload::Evidence(path) => Unit::Evidence(path.clone()),
            Reload::Row(export, number) => {
                return self.rows.remove(&(Arc::clone(export), *number));
            }
            Reload::None => return None,
        };
        match load(unit, strict) {
            Ok(Found::Machine(inventory, _)) => Some(*inventory),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholder_serials() {
        for serial in [
            "To be filled by O.E.M.",
            "System Serial Number",
            "0",
            "",
            "  ",
            "Default string",
            "None",
            "00000000",
            "XXXXXXXXXX",
            "123456789",
            "Chassis Serial Number",
        ] {
            assert!(is_placeholder_serial(serial), "{serial:?}");
        }
        for serial in [
            "5CG1234XYZ",
            "VMware-56 4d 7e 1a",
            "CZC2451ABC",
            "R9-0A1B2C",
        ] {
            assert!(!is_placeholder_serial(serial), "{serial:?}");
        }
    }

    #[test]
    fn host_names_compare_as_netbios_names() {
        assert_eq!(short_host_name("VM"), short_host_name("vm"));
        assert_eq!(short_host_name(" PC-01.corp.example "), "pc-01");
        // A 20-character DNS name and the NetBIOS name Windows cut from it are one machine.
        assert_eq!(
            short_host_name("RECEPTION-DESK-01234.corp.example"),
            short_host_name("RECEPTION-DESK-")
        );
        assert_ne!(
            short_host_name("RECEPTION-DESK-"),
            short_host_name("RECEPTION-DESK")
        );
    }
}
