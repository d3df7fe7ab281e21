//! Registry hives, with a transaction log replayed onto them, and their mapping to an inventory,
//! on any bytes: no panic, no hang, no allocation beyond the input's size.
#![no_main]
use libfuzzer_sys::fuzz_target;
use w7plan::error::Origin;
use w7plan::facts::import::offline::{self, hive};

fuzz_target!(|data: &[u8]| {
    let _ = offline::inventory_of_hive_bytes(data);
    if let Ok(hive) = hive::Hive::parse(data.to_vec(), &Origin("fuzz".into())) {
        let _ = hive::walk(&hive, 10_000);
    }
});
