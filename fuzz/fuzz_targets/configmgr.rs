//! ConfigMgr exports on any bytes: a wide CSV streamed row by row, as the fleet reads it, and
//! read whole, as `assess` does; and a per-view export, the bytes split at their first NUL into
//! two view files beside a fixed v_R_System file (the second named as the 64-bit programs).
#![no_main]
use libfuzzer_sys::fuzz_target;
use w7plan::error::Origin;
use w7plan::facts::import::{configmgr, text};

fuzz_target!(|data: &[u8]| {
    let origin = Origin("fuzz".into());
    if let Ok(rows) = configmgr::Rows::new(data, &origin) {
        for (_, inventory) in rows {
            let _ = inventory;
        }
    }
    let decoded = text::decode(data).text;
    let _ = configmgr::sniff(&decoded);
    let _ = configmgr::single(&decoded, &origin);
    let _ = configmgr::views::sniff(&decoded);

    // One folder per fuzzing process, its files overwritten each run.
    let dir = std::env::temp_dir().join(format!("w7plan-fuzz-views-{}", std::process::id()));
    if std::fs::create_dir_all(&dir).is_err() {
        return;
    }
    let (first, second) = match data.iter().position(|b| *b == 0) {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (data, &[][..]),
    };
    let written = std::fs::write(
        dir.join("systems.csv"),
        "ResourceID,Netbios_Name0,Client0\n16777220,PC-A,1\n16777301,PC-B,1\n",
    )
    .and_then(|()| std::fs::write(dir.join("a.csv"), first))
    .and_then(|()| std::fs::write(dir.join("b64.csv"), second));
    if written.is_ok() {
        if let Ok(export) = configmgr::views::Export::open(&dir) {
            for item in export.items() {
                let _ = item;
            }
        }
    }
});
