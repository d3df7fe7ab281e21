//! `key decode` on any input: hex parsing, the DigitalProductId/DigitalProductId4 decoder, a
//! `.reg` export's values, and `key check` on the text.
#![no_main]
use libfuzzer_sys::fuzz_target;
use w7plan::error::Origin;
use w7plan::facts::productkey;

fuzz_target!(|data: &[u8]| {
    let _ = productkey::decode_any(data);
    let text = String::from_utf8_lossy(data);
    if let Ok(bytes) = productkey::hex::parse(&text) {
        let _ = productkey::decode_any(&bytes);
    }
    if let Ok(blobs) =
        w7plan::facts::import::reg::digital_product_ids_from_reg(data, &Origin("fuzz".into()))
    {
        for (_, blob) in blobs {
            let _ = productkey::decode_any(&blob);
        }
    }
    let checked = productkey::check(&text);
    let _ = checked.corrections(8);
});
