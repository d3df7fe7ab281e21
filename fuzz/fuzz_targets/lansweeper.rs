//! Lansweeper report CSV exports on any bytes: streamed row by row, as the fleet reads them, and
//! read whole, as `assess` does.
#![no_main]
use libfuzzer_sys::fuzz_target;
use w7plan::error::Origin;
use w7plan::facts::import::{lansweeper, text};

fuzz_target!(|data: &[u8]| {
    let origin = Origin("fuzz".into());
    if let Ok(rows) = lansweeper::Rows::new(data, &origin) {
        for (_, inventory) in rows {
            let _ = inventory;
        }
    }
    let decoded = text::decode(data).text;
    let _ = lansweeper::is_xlsx(data);
    let _ = lansweeper::sniff(&decoded);
    let _ = lansweeper::single(&decoded, &origin);
});
