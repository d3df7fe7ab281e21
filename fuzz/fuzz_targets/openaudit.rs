//! Open-AudIT audit XML on any bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;
use w7plan::error::Origin;
use w7plan::facts::import::{openaudit, text};

fuzz_target!(|data: &[u8]| {
    let origin = Origin("fuzz/PC-20261118143012.xml".into());
    let decoded = text::decode(data).text;
    let _ = openaudit::sniff(&decoded);
    let _ = openaudit::import(&decoded, &origin);
});
