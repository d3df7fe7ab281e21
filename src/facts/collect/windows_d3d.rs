//! The highest Direct3D feature level of the default graphics adapter, asked of Direct3D 11.
//!
//! `d3d11.dll` is loaded at run time from the system directory and `D3D11CreateDevice` found by
//! name ([`super::windows_dynamic`]), never imported: Windows 7 without its Direct3D 11 runtime,
//! or a Windows without graphics, must still run w7plan. The call passes no device pointer, which
//! Microsoft documents as the way to learn the feature level without creating a device ("How To:
//! Get the Device Feature Level", learn.microsoft.com/windows/win32/direct3d11/
//! overviews-direct3d-11-devices-downlevel-get), so there is nothing to release.
//!
//! The answer is what this Windows's Direct3D runtime and driver offer: Windows 7's runtime stops
//! at 11.0 or 11.1, whatever the graphics chip could do under Windows 10, so it never proves that
//! an adapter lacks DirectX 12.

/// The `D3D_FEATURE_LEVEL` values asked for, highest first, as "major.minor".
const LEVELS: [(u32, &str); 9] = [
    (0xc100, "12.1"),
    (0xc000, "12.0"),
    (0xb100, "11.1"),
    (0xb000, "11.0"),
    (0xa100, "10.1"),
    (0xa000, "10.0"),
    (0x9300, "9.3"),
    (0x9200, "9.2"),
    (0x9100, "9.1"),
];

/// A `D3D_FEATURE_LEVEL` value as "major.minor", or `None` for a value this list does not know.
pub fn feature_level_name(level: u32) -> Option<&'static str> {
    LEVELS.iter().find(|(v, _)| *v == level).map(|(_, n)| *n)
}

/// The lists to try, longest first: a runtime older than the highest level listed refuses the
/// whole list with `E_INVALIDARG` (11.1 before the Direct3D 11.1 runtime, 12.x before Windows 10),
/// so each retry drops the levels it may not know.
fn attempts() -> [Vec<u32>; 3] {
    let from = |first: usize| LEVELS[first..].iter().map(|(v, _)| *v).collect();
    [from(0), from(2), from(3)]
}

#[cfg(windows)]
pub use probe_impl::probe;

#[cfg(windows)]
mod probe_impl {
    use super::super::windows_dynamic::system_function;
    use super::*;
    use crate::facts::inventory::Inventory;
    use std::ffi::c_void;
    use std::ptr::null_mut;

    /// `D3D11CreateDevice` (d3d11.dll).
    type D3d11CreateDeviceFn = unsafe extern "system" fn(
        *mut c_void,      // pAdapter
        i32,              // DriverType
        *mut c_void,      // Software
        u32,              // Flags
        *const u32,       // pFeatureLevels
        u32,              // FeatureLevels
        u32,              // SDKVersion
        *mut *mut c_void, // ppDevice
        *mut u32,         // pFeatureLevel
        *mut *mut c_void, // ppImmediateContext
    ) -> i32;

    const D3D_DRIVER_TYPE_HARDWARE: i32 = 1;
    const D3D11_SDK_VERSION: u32 = 7;
    const E_INVALIDARG: i32 = 0x8007_0057_u32 as i32;

    /// Puts the default adapter's highest feature level on the inventory's graphics adapter when
    /// there is one adapter; with several, which one Direct3D's default adapter is stays open, so
    /// only a note says the level.
    pub fn probe(inv: &mut Inventory) {
        let level = match feature_level() {
            Ok(level) => level,
            Err(why) => {
                inv.notes.push(format!("graphics.directx: {why}"));
                return;
            }
        };
        const FROM: &str = "D3D11CreateDevice (d3d11.dll, default adapter, hardware driver)";
        match inv.graphics.as_deref_mut() {
            Some([only]) => {
                only.directx = Some(level.to_string());
                super::super::firmware_facts::source(inv, "graphics.directx", FROM);
            }
            _ => inv.notes.push(format!(
                "graphics.directx: Direct3D's default adapter offers feature level {level} \
                 ({FROM}); with other than one adapter listed it is not attributed to one"
            )),
        }
    }

    fn feature_level() -> Result<&'static str, String> {
        let Some(address) = system_function("d3d11.dll", c"D3D11CreateDevice") else {
            return Err(
                "d3d11.dll or its D3D11CreateDevice is missing (Windows 7 without \
                        its Direct3D 11 runtime)"
                    .to_string(),
            );
        };
        // SAFETY: the address is d3d11.dll's D3D11CreateDevice, whose signature this type is.
        let create: D3d11CreateDeviceFn = unsafe { std::mem::transmute(address) };
        let mut last = 0;
        for levels in attempts() {
            let mut level = 0u32;
            // SAFETY: levels outlives the call and its length is passed; the device and context
            // pointers are null (no device is created) and level is a D3D_FEATURE_LEVEL.
            let hr = unsafe {
                create(
                    null_mut(),
                    D3D_DRIVER_TYPE_HARDWARE,
                    null_mut(),
                    0,
                    levels.as_ptr(),
                    levels.len() as u32,
                    D3D11_SDK_VERSION,
                    null_mut(),
                    &mut level,
                    null_mut(),
                )
            };
            if hr >= 0 {
                return feature_level_name(level)
                    .ok_or_else(|| format!("D3D11CreateDevice reports feature level 0x{level:X}"));
            }
            last = hr;
            if hr != E_INVALIDARG {
                break;
            }
        }
        Err(format!(
            "D3D11CreateDevice failed with 0x{:08X}: no hardware Direct3D 11 device (no graphics \
             driver, or a remote session)",
            last as u32
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_are_named_and_retries_drop_the_newest() {
        assert_eq!(feature_level_name(0xb000), Some("11.0"));
        assert_eq!(feature_level_name(0xc100), Some("12.1"));
        assert_eq!(feature_level_name(0x9100), Some("9.1"));
        assert_eq!(feature_level_name(0x1234), None);
        let [all, up_to_11_1, up_to_11_0] = attempts();
        assert_eq!(all.first(), Some(&0xc100));
        assert_eq!(up_to_11_1.first(), Some(&0xb100));
        assert_eq!(up_to_11_0.first(), Some(&0xb000));
        assert_eq!(up_to_11_0.last(), Some(&0x9100));
        assert!(all.windows(2).all(|w| w[0] > w[1]));
    }
}
