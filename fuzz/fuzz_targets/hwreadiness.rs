//! HardwareReadiness.ps1 JSON on any bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;
use w7plan::error::Origin;
use w7plan::facts::import::{hwreadiness, text};

fuzz_target!(|data: &[u8]| {
    let decoded = text::decode(data).text;
    let _ = hwreadiness::import(&decoded, &Origin("fuzz".into()));
});
