//! systeminfo's list and CSV parsers on any text, in every encoding the decoder picks.
#![no_main]
use libfuzzer_sys::fuzz_target;
use w7plan::facts::import::{systeminfo, text};

fuzz_target!(|data: &[u8]| {
    let decoded = text::decode(data);
    let _ = systeminfo::sniff(&decoded.text);
    let _ = systeminfo::import(&decoded.text);
    let _ = text::regional_date(&decoded.text, &decoded.text);
});
