//! Runs a third-party file-system reader so that a panic in it is a damaged-image error, not a
//! crash: `ntfs` 0.4 (and the `byteorder` reads under it) index slices unchecked on some damaged
//! structures, and `fatfs` 0.3 does unchecked arithmetic on boot-sector fields; fuzzing found both.
//!
//! What is guarded is the call, not a crate's source files, since the panic may come from any
//! crate the reader calls. While a guarded call runs, the panic hook stays quiet, so the damage
//! is reported once, as the error, rather than as a "panicked at" line on stderr before it.
//! Panics anywhere else still reach the hook that was installed before (the default one, or a
//! fuzzer's abort, which is how the fuzz targets tell a finding from a caught panic).

use std::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    static GUARD_DEPTH: Cell<u32> = const { Cell::new(0) };
}

/// `f`'s value, or the text of the panic that stopped it.
pub fn guarded<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    quiet_hook_while_guarded();
    GUARD_DEPTH.with(|depth| depth.set(depth.get() + 1));
    let outcome = catch_unwind(AssertUnwindSafe(f));
    GUARD_DEPTH.with(|depth| depth.set(depth.get() - 1));
    outcome.map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "no message".to_string())
    })
}

fn quiet_hook_while_guarded() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if GUARD_DEPTH.with(Cell::get) == 0 {
                previous(info);
            }
        }));
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_in_a_guarded_call_comes_back_as_its_text_and_the_guard_is_left() {
        let short = [0u8; 1];
        let result = guarded(|| {
            // The shape of the fuzz finding: a fixed-width read past a slice's end.
            let end = short.len() + 1;
            u16::from_le_bytes(short[..end].try_into().unwrap())
        });
        assert!(result.unwrap_err().contains("out of range"));
        assert_eq!(guarded(|| 7), Ok(7));
        assert_eq!(GUARD_DEPTH.with(Cell::get), 0);
    }
}
