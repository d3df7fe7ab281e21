//! Any bytes through format detection, decoding and the importer it picks.
#![no_main]
use libfuzzer_sys::fuzz_target;
use w7plan::error::Origin;

fuzz_target!(|data: &[u8]| {
    if let Ok(fragment) = w7plan::facts::import::import_bytes(data, &Origin("fuzz".into())) {
        let inventory = w7plan::facts::import::finish_single(fragment);
        let _ = inventory.to_yaml();
    }
});
