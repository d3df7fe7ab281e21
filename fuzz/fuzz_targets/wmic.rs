//! wmic's list and table parsers and the class mapping on any text.
#![no_main]
use libfuzzer_sys::fuzz_target;
use w7plan::facts::import::{text, wmic};

fuzz_target!(|data: &[u8]| {
    let decoded = text::decode(data).text;
    let outputs = [
        wmic::parse(&decoded),
        wmic::parse_as(&decoded, Some(wmic::Class::Tpm)),
    ];
    let _ = wmic::to_inventory(&outputs, Some(true));
    let _ = wmic::hotfixes(&outputs[0]);
    let _ = wmic::channel_from_description(&decoded);
    let _ = text::cim_datetime(&decoded);
});
