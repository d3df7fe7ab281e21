//! The inventory reader on any bytes: the YAML guard, YAML and JSON parsing, the unknown-field
//! and impossible-value checks, and the fallback to the importers, as `assess FILE` reads.
#![no_main]
use libfuzzer_sys::fuzz_target;
use w7plan::error::Origin;
use w7plan::facts::inventory::Inventory;

fuzz_target!(|data: &[u8]| {
    let origin = Origin("fuzz".into());
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = w7plan::yaml::check(text, w7plan::yaml::Aliases::Refuse);
        if let Ok((inventory, warnings)) = Inventory::parse_checked(text, &origin) {
            for warning in &warnings {
                let _ = warning.at(&origin);
            }
            let _ = inventory.to_yaml();
            let _ = inventory.to_json();
        }
    }
    let _ = w7plan::facts::import::inventory_from_bytes(data, &origin);
});
