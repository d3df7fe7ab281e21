//! Reads `Get-CimInstance` results saved with `ConvertTo-Json`: one instance, an array of them,
//! or an object of them by name (`@{ComputerSystem = Get-CimInstance Win32_ComputerSystem; …} |
//! ConvertTo-Json -Depth 10`). Each instance carries its class in
//! `CimSystemProperties.ClassName`; the `Win32_*` classes wmic reads become wmic records and go
//! through the wmic mapping, so a class means the same facts whichever tool printed it.
//!
//! `Get-CimInstance` ships with Windows PowerShell 3.0 and later (WMF 3.0 installs on Windows 7
//! SP1); `Get-WmiObject` results converted the same way lack `CimSystemProperties` and are not
//! read. Instances of other classes are passed over; a file holding only those is not used, with
//! the classes named.

use super::{parse_json, record};
use crate::error::{Error, Origin, Result};
use crate::facts::import::wmic::{self, Class, Output, Record, Status};
use crate::facts::inventory::Inventory;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// The tool, as provenance names it.
pub const COLLECTOR: &str = "Get-CimInstance";

/// How deep instances are looked for: an object of arrays of instances is two levels down.
const MAX_DEPTH: usize = 3;

/// Whether `text` is JSON of CIM instances.
pub fn sniff(text: &str) -> bool {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    (trimmed.starts_with('{') || trimmed.starts_with('['))
        && super::has_key(text, "CimSystemProperties")
        && super::has_key(text, "ClassName")
}

/// Reads the instances; JSON that cannot be read is an error naming the line, and a file with no
/// instance of a class w7plan reads is not used.
pub fn import(text: &str, origin: &Origin) -> Result<Inventory> {
    let value = parse_json(text, "Get-CimInstance", origin)?;
    let mut by_class: BTreeMap<Class, Vec<Record>> = BTreeMap::new();
    let mut other: BTreeSet<String> = BTreeSet::new();
    collect(&value, 0, &mut by_class, &mut other);
    if by_class.is_empty() {
        let message = if other.is_empty() {
            "Get-CimInstance JSON with no CIM instance in it".to_string()
        } else {
            format!(
                "Get-CimInstance output of classes w7plan does not read ({})",
                other.into_iter().take(8).collect::<Vec<_>>().join(", ")
            )
        };
        return Err(Error::ImportNotUsed {
            origin: origin.clone(),
            message,
        });
    }
    let outputs: Vec<Output> = by_class
        .into_iter()
        .map(|(class, records)| Output {
            class: Some(class),
            status: Status::Records,
            records,
        })
        .collect();
    Ok(wmic::to_inventory(&outputs, None))
}

/// Finds the instances in `value`: an object with `CimSystemProperties` is one; any other
/// object or array is looked into.
fn collect(
    value: &Value,
    depth: usize,
    by_class: &mut BTreeMap<Class, Vec<Record>>,
    other: &mut BTreeSet<String>,
) {
    if depth > MAX_DEPTH {
        return;
    }
    match value {
        Value::Object(object) => match class_name(object) {
            Some(name) => match Class::from_wmi_name(name) {
                Some(class) => by_class.entry(class).or_default().push(instance(object)),
                None => {
                    other.insert(crate::input::excerpt(name));
                }
            },
            None => object
                .values()
                .for_each(|v| collect(v, depth + 1, by_class, other)),
        },
        Value::Array(items) => items
            .iter()
            .for_each(|v| collect(v, depth + 1, by_class, other)),
        _ => {}
    }
}

fn class_name(object: &Map<String, Value>) -> Option<&str> {
    object
        .get("CimSystemProperties")?
        .get("ClassName")?
        .as_str()
}

/// An instance's own properties; the CIM metadata (`CimClass`, `CimInstanceProperties`,
/// `CimSystemProperties`) and `PSComputerName` are left out.
fn instance(object: &Map<String, Value>) -> Record {
    record(object, |key| {
        (!key.starts_with("Cim") && key != "PSComputerName").then(|| key.to_string())
    })
}
