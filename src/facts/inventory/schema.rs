//! The facts an expression may name: every inventory field (traced from the serde model, so it
//! cannot drift from it), the derived facts, and the engine's globals.
//!
//! Lint uses this to catch a rule that reads a field the inventory does not have, which would
//! otherwise give `unknown` on every machine without anyone noticing.

use serde_reflection::{ContainerFormat, Format, Named, Registry, Samples, Tracer, TracerConfig};
use std::collections::BTreeSet;
use std::sync::OnceLock;

/// Paths below `derived.` (see [`crate::judge::enrich::Derived`]); `*` marks a map with free keys.
const DERIVED_PATHS: &[&str] = &[
    "derived.cpu.win11_family_ok",
    "derived.cpu.win11_family_reason",
    "derived.cpu.win11_listed",
    "derived.cpu.win11_list_entry",
    "derived.cpu.win11_override",
    "derived.cpu.address_width",
    "derived.cpu.is_64bit",
    "derived.cpu.is_64bit_basis",
    "derived.cpu.features.*",
    "derived.firmware.secure_boot_capable",
    "derived.firmware.secure_boot_capable_from",
    "derived.tpm.version",
    "derived.tpm.version_from",
    "derived.graphics.adapters",
    "derived.graphics.all_read",
    "derived.graphics.levels_final",
    "derived.graphics.family.id",
    "derived.graphics.family.vendor",
    "derived.graphics.family.title",
    "derived.graphics.family.adapter",
    "derived.graphics.family.dx12",
    "derived.graphics.family.statement",
    "derived.graphics.family.caveat",
    "derived.graphics.family.source.title",
    "derived.graphics.family.source.url",
    "derived.graphics.family.source.as_of",
    "derived.graphics.family.matched_by",
    "derived.graphics.family.pci_id",
    "derived.graphics.family.generation",
    "derived.graphics.family.pci_source.title",
    "derived.graphics.family.pci_source.url",
    "derived.graphics.family.pci_source.as_of",
    "derived.graphics.intel_adapter",
    "derived.license.channel",
    "derived.license.channel_family",
    "derived.license.channel_source",
    "derived.license.channel_conflict",
    "derived.license.key_valid",
    "derived.license.key_form",
    "derived.license.gvlk",
    "derived.license.gvlk_edition",
    "derived.license.windows11_edition",
    "derived.license.carries_over",
    "derived.os.windows11",
    "derived.os.support.product",
    "derived.os.support.status",
    "derived.os.support.ends_on",
    "derived.os.support.days_remaining",
    "derived.lifecycle.*",
    "derived.unknown.*",
];

/// Every path an expression may read, with `*` for maps whose keys are free.
pub fn known_paths() -> &'static BTreeSet<String> {
    static PATHS: OnceLock<BTreeSet<String>> = OnceLock::new();
    PATHS.get_or_init(|| {
        let mut paths = BTreeSet::new();
        let registry = trace_inventory();
        walk(&registry, "Inventory", "", &mut paths);
        paths.extend(DERIVED_PATHS.iter().map(|p| p.to_string()));
        paths.insert("as_of".into());
        paths
    })
}

/// Whether an expression may read `path`: it is a known field, a parent of one, or lies below a
/// free-keyed map or a list.
pub fn is_known(path: &str) -> bool {
    let paths = known_paths();
    if paths.contains(path) {
        return true;
    }
    let parent_of_known = paths
        .range(format!("{path}.")..)
        .next()
        .is_some_and(|p| p.starts_with(&format!("{path}.")));
    if parent_of_known {
        return true;
    }
    let mut prefix = path;
    while let Some((head, _)) = prefix.rsplit_once('.') {
        if paths.contains(&format!("{head}.*")) {
            return true;
        }
        prefix = head;
    }
    false
}

/// What kind of value a fact holds, as far as lint needs to know to catch a comparison of a
/// number with a string or a word that is not one of an enum's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FactType {
    Number,
    Text,
    Bool,
    /// One of these words (an inventory enum, a status, a verdict).
    Word(Vec<String>),
    List,
    Map,
    /// Not known (a derived fact the sample did not produce, a loop variable).
    Any,
}

/// The type of every inventory field, by dotted path (`cpu.cores`, `disks.*.size_bytes`), read
/// off the inventory's serde model. The derived facts' types are the judgement layer's to add
/// (lint does), since only enrich knows what it writes.
pub fn inventory_types() -> &'static std::collections::BTreeMap<String, FactType> {
    static TYPES: OnceLock<std::collections::BTreeMap<String, FactType>> = OnceLock::new();
    TYPES.get_or_init(|| {
        let mut types = std::collections::BTreeMap::new();
        let registry = trace_inventory();
        type_walk(
            &registry,
            &Format::TypeName("Inventory".into()),
            "",
            &mut types,
        );
        types
    })
}

fn type_walk(
    registry: &Registry,
    format: &Format,
    path: &str,
    out: &mut std::collections::BTreeMap<String, FactType>,
) {
    let join = |part: &str| {
        if path.is_empty() {
            part.to_string()
        } else {
            format!("{path}.{part}")
        }
    };
    let kind = match format {
        Format::Option(inner) => return type_walk(registry, inner, path, out),
        Format::Seq(inner) => {
            type_walk(registry, inner, &join("*"), out);
            FactType::List
        }
        Format::Map { .. } => FactType::Map,
        Format::Bool => FactType::Bool,
        Format::Str | Format::Char => FactType::Text,
        Format::I8
        | Format::I16
        | Format::I32
        | Format::I64
        | Format::I128
        | Format::U8
        | Format::U16
        | Format::U32
        | Format::U64
        | Format::U128
        | Format::F32
        | Format::F64 => FactType::Number,
        Format::TypeName(name) => match registry.get(name) {
            Some(ContainerFormat::Struct(fields)) => {
                for field in fields {
                    type_walk(registry, &field.value, &join(&field.name), out);
                }
                FactType::Map
            }
            Some(ContainerFormat::Enum(variants)) => {
                FactType::Word(variants.values().map(|v| v.name.clone()).collect())
            }
            Some(ContainerFormat::NewTypeStruct(inner)) => {
                return type_walk(registry, inner, path, out)
            }
            _ => FactType::Any,
        },
        _ => FactType::Any,
    };
    if !path.is_empty() {
        out.insert(path.to_string(), kind);
    }
}

/// A machine that gives enrich something to say about every part; lint also evaluates every
/// expression against it.
pub const SAMPLE_INVENTORY: &str = "\
cpu: {vendor: GenuineIntel, brand: Intel Core i5-8400, family: 6, model: 158, stepping: 10, data_width: 64, address_width: 64}
firmware: {secure_boot_capable: true, uefi_capable: true, boot_mode: uefi}
tpm: {present: true, version: '2.0'}
graphics: [{name: Intel UHD Graphics 630, wddm: '2.0', directx: '12'}]
os: {family: windows, name: Microsoft Windows 7 Professional, edition: Professional, version: '6.1', service_pack: 1, arch: x64}
license: {product_key: FJ82H-XT6CR-J8D7P-XQJJ2-GPDD4, channel: 'Volume:GVLK'}
";

/// The shape of the inventory model, for telling which fields of a file w7plan does not know.
#[derive(Debug)]
pub enum Shape {
    /// A value (number, string, enum).
    Leaf,
    /// A struct: its fields by name.
    Struct(std::collections::BTreeMap<String, Shape>),
    /// A map with free keys (`cpu.features`).
    Map,
    /// A list of items of one shape.
    Seq(Box<Shape>),
}

/// The inventory model's shape, traced from its serde model once.
pub fn inventory_shape() -> &'static Shape {
    static SHAPE: OnceLock<Shape> = OnceLock::new();
    SHAPE.get_or_init(|| {
        let registry = trace_inventory();
        shape_of(&registry, &Format::TypeName("Inventory".into()))
    })
}

fn shape_of(registry: &Registry, format: &Format) -> Shape {
    match format {
        Format::Option(inner) => shape_of(registry, inner),
        Format::Seq(inner) => Shape::Seq(Box::new(shape_of(registry, inner))),
        Format::Map { .. } => Shape::Map,
        Format::TypeName(name) => match registry.get(name) {
            Some(ContainerFormat::Struct(fields)) => Shape::Struct(
                fields
                    .iter()
                    .map(|f| (f.name.clone(), shape_of(registry, &f.value)))
                    .collect(),
            ),
            _ => Shape::Leaf,
        },
        _ => Shape::Leaf,
    }
}

fn trace_inventory() -> Registry {
    let mut tracer = Tracer::new(TracerConfig::default());
    let samples = Samples::new();
    // Enums must be traced before the structs holding them (serde-reflection needs to see each
    // variant once).
    macro_rules! trace_enums {
        ($($t:ty),*) => { $( tracer.trace_simple_type::<$t>().expect("the enum traces"); )* };
    }
    use crate::facts::inventory::*;
    trace_enums!(Chassis, OsFamily, Arch, PartitionStyle, Media, BootMode);
    tracer
        .trace_type::<Inventory>(&samples)
        .expect("the inventory model traces");
    tracer.registry().expect("the inventory model is complete")
}

fn walk(registry: &Registry, name: &str, prefix: &str, out: &mut BTreeSet<String>) {
    let Some(ContainerFormat::Struct(fields)) = registry.get(name) else {
        return;
    };
    for Named { name: field, value } in fields {
        let path = if prefix.is_empty() {
            field.clone()
        } else {
            format!("{prefix}.{field}")
        };
        walk_format(registry, value, &path, out);
    }
}

fn walk_format(registry: &Registry, format: &Format, path: &str, out: &mut BTreeSet<String>) {
    match format {
        Format::Option(inner) => walk_format(registry, inner, path, out),
        Format::TypeName(type_name) => {
            if matches!(registry.get(type_name), Some(ContainerFormat::Struct(_))) {
                walk(registry, type_name, path, out);
            } else {
                out.insert(path.to_string());
            }
        }
        Format::Map { .. } => {
            out.insert(path.to_string());
            out.insert(format!("{path}.*"));
        }
        Format::Seq(_) => {
            // Expressions iterate lists; an item's fields are read through a loop variable.
            out.insert(path.to_string());
            out.insert(format!("{path}.*"));
        }
        _ => {
            out.insert(path.to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::inventory::Inventory;

    #[test]
    fn inventory_fields_are_known() {
        for path in [
            "memory.installed_bytes",
            "storage.system_volume.size_bytes",
            "cpu.features.popcnt",
            "tpm.version",
            "graphics",
            "os.arch",
            "derived.cpu.features.nx",
            "derived.license.windows11_edition",
            "derived.lifecycle.windows10_esu_consumer.status",
            "license.description",
            "as_of",
            "cpu",
        ] {
            assert!(is_known(path), "{path}");
        }
        for path in [
            "memory.installed",
            "cpu.flags",
            "derived.cpu.listed",
            "tpm.version.major",
        ] {
            assert!(!is_known(path), "{path}");
        }
    }

    #[test]
    fn derived_paths_cover_what_enrich_writes() {
        let inventory: Inventory = crate::yaml::from_str(
            "cpu: {vendor: GenuineIntel, brand: x, family: 6, model: 158, stepping: 10, data_width: 64}\n\
             firmware: {secure_boot_capable: true}\n\
             graphics: [{wddm: '2.0', directx: '12'}]\n\
             os: {family: windows, name: Microsoft Windows 7 Professional, edition: Professional, version: '6.1', service_pack: 1}\n\
             license: {product_key: FJ82H-XT6CR-J8D7P-XQJJ2-GPDD4, channel: 'Volume:GVLK'}\n",
        )
        .unwrap();
        let derived = crate::judge::enrich::Derived::from_inventory(
            &inventory,
            &crate::knowledge::Knowledge::embedded(),
            jiff::civil::date(2019, 1, 1),
        );
        let value = serde_json::to_value(&derived).unwrap();
        let mut leaves = Vec::new();
        collect_leaves(&value, "derived", &mut leaves);
        for leaf in leaves {
            assert!(
                is_known(&leaf),
                "enrich writes {leaf} but the schema does not list it"
            );
        }
    }

    fn collect_leaves(value: &serde_json::Value, path: &str, out: &mut Vec<String>) {
        match value {
            serde_json::Value::Object(map) if !map.is_empty() => {
                for (k, v) in map {
                    collect_leaves(v, &format!("{path}.{k}"), out);
                }
            }
            _ => out.push(path.to_string()),
        }
    }
}
