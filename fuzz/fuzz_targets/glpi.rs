//! GLPI inventories (XML and JSON) on any bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;
use w7plan::error::Origin;
use w7plan::facts::import::{glpi, text};

fuzz_target!(|data: &[u8]| {
    let origin = Origin("fuzz".into());
    let decoded = text::decode(data).text;
    if let Ok(tree) = glpi::from_xml(&decoded, &origin) {
        let _ = glpi::to_inventory(&tree, true, &origin);
    }
    if let Ok(tree) = glpi::from_json(&decoded, &origin) {
        let _ = glpi::to_inventory(&tree, false, &origin);
    }
});
