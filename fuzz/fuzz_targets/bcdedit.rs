//! bcdedit output and the evidence manifest on any text.
#![no_main]
use libfuzzer_sys::fuzz_target;
use w7plan::facts::import::{bcdedit, evidence, text};

fuzz_target!(|data: &[u8]| {
    let decoded = text::decode(data).text;
    let _ = bcdedit::sniff(&decoded);
    let _ = bcdedit::import(&decoded);
    let _ = evidence::parse_manifest(&decoded);
    let _ = evidence::started_at(&decoded);
});
