//! .reg exports and `reg query` output, and their mapping, on any bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;
use w7plan::error::Origin;
use w7plan::facts::import::reg;

fuzz_target!(|data: &[u8]| {
    if let Ok(file) = reg::parse(data, &Origin("fuzz".into())) {
        let _ = reg::to_inventory(&[&file]);
        let _ = file.value("HKLM\\SOFTWARE", "");
    }
});
