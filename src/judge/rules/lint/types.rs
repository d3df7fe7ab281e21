//! The type of every fact an expression can name: the inventory's fields (from its model, in
//! [`schema`]) and the derived facts, read off what enrich writes for the sample machine. This
//! lives with lint, not with the inventory, because only the judgement layer knows what enrich
//! derives.

use crate::facts::inventory::schema::{self, FactType};
use crate::knowledge::Knowledge;
use serde_reflection::{ContainerFormat, Tracer, TracerConfig};
use std::collections::BTreeMap;

/// The types of every fact, by dotted path, worked out once per lint run from the knowledge
/// being linted (enrich derives with it).
pub struct FactTypes(BTreeMap<String, FactType>);

impl FactTypes {
    pub fn new(knowledge: &Knowledge) -> FactTypes {
        let mut types = schema::inventory_types().clone();
        derived_types(knowledge, &mut types);
        types.insert("as_of".into(), FactType::Text);
        FactTypes(types)
    }

    /// The type of the fact at a dotted path (`memory.installed_bytes`, `graphics.*.wddm` for
    /// an item of a list), where the inventory model or a sample of the derived facts tells it.
    pub fn get(&self, path: &str) -> Option<FactType> {
        if let Some(kind) = self.0.get(path) {
            return Some(kind.clone());
        }
        // A lifecycle entry's fields are the same whatever its id.
        let rest = path.strip_prefix("derived.lifecycle.")?;
        let (_, field) = rest.split_once('.')?;
        self.0.get(&format!("derived.lifecycle.*.{field}")).cloned()
    }
}

/// The derived facts' types, read off what enrich writes for a well-described machine (a fact
/// it leaves out there is of type [`FactType::Any`]).
fn derived_types(knowledge: &Knowledge, out: &mut BTreeMap<String, FactType>) {
    let Ok(inventory) =
        crate::yaml::from_str::<crate::facts::inventory::Inventory>(schema::SAMPLE_INVENTORY)
    else {
        return;
    };
    let derived = crate::judge::enrich::Derived::from_inventory(
        &inventory,
        knowledge,
        jiff::civil::date(2024, 1, 1),
    );
    let Ok(value) = serde_json::to_value(&derived) else {
        return;
    };
    fn walk(value: &serde_json::Value, path: &str, out: &mut BTreeMap<String, FactType>) {
        let kind = match value {
            serde_json::Value::Object(map) => {
                if !path.ends_with(".unknown")
                    && !path.ends_with(".lifecycle")
                    && !path.ends_with(".features")
                {
                    for (k, v) in map {
                        walk(v, &format!("{path}.{k}"), out);
                    }
                }
                FactType::Map
            }
            serde_json::Value::Array(_) => FactType::List,
            serde_json::Value::Bool(_) => FactType::Bool,
            serde_json::Value::Number(_) => FactType::Number,
            serde_json::Value::String(_) => FactType::Text,
            serde_json::Value::Null => FactType::Any,
        };
        out.insert(path.to_string(), kind);
    }
    walk(&value, "derived", out);
    if let Some(entry) = value["lifecycle"]
        .as_object()
        .and_then(|entries| entries.values().next())
    {
        walk(entry, "derived.lifecycle.*", out);
    }
    // Support statuses are written as strings; they are the words of the lifecycle's enum.
    let mut tracer = Tracer::new(TracerConfig::default());
    if tracer
        .trace_simple_type::<crate::knowledge::lifecycle::Status>()
        .is_ok()
    {
        if let Ok(registry) = tracer.registry() {
            if let Some(ContainerFormat::Enum(variants)) = registry.get("Status") {
                let words = FactType::Word(variants.values().map(|v| v.name.clone()).collect());
                for path in ["derived.os.support.status", "derived.lifecycle.*.status"] {
                    if out.contains_key(path) {
                        out.insert(path.to_string(), words.clone());
                    }
                }
            }
        }
    }
}
