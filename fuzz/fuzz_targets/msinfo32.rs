//! msinfo32 text reports and .nfo files on any bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;
use w7plan::error::Origin;
use w7plan::facts::import::{msinfo32, text};

fuzz_target!(|data: &[u8]| {
    let decoded = text::decode(data).text;
    let _ = msinfo32::to_inventory(&msinfo32::parse_report(&decoded));
    if let Ok(report) = msinfo32::parse_nfo(&decoded, &Origin("fuzz".into())) {
        let _ = msinfo32::to_inventory(&report);
    }
});
