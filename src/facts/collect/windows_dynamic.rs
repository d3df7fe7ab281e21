//! Run-time resolution of Win32 functions that Windows 7 SP1 does not export.
//!
//! w7plan.exe must start on Windows 7 SP1, and Windows refuses to start a program whose import
//! table names a function the system DLL lacks ("entry point not found"). So a function newer
//! than Windows 7 is never imported: it is looked up here, by name, in a DLL loaded from the
//! system directory, and the caller falls back to an older way when it is missing. The import
//! table of the built exes is checked against Windows 7 SP1 by `tests/win7_imports.rs`.

use std::ffi::c_void;
use windows_sys::Win32::Foundation::HMODULE;
use windows_sys::Win32::System::LibraryLoader::{GetModuleHandleW, GetProcAddress, LoadLibraryW};
use windows_sys::Win32::System::SystemInformation::GetSystemDirectoryW;

/// A NUL-terminated UTF-16 copy of `s`.
pub fn wide(s: &str) -> Vec<u16> {
    s.encode_utf16().chain(std::iter::once(0)).collect()
}

/// The address of `function` in the system DLL `dll` (e.g. `"tbs.dll"`), or `None` when the DLL
/// or the function does not exist on this Windows. The DLL stays loaded for the life of the
/// process, so the address stays valid.
///
/// The DLL is loaded by its full path in the system directory, never by bare name: the exe often
/// runs from a USB stick or a download folder, where a planted DLL of the same name would
/// otherwise be found first.
pub fn system_function(dll: &str, function: &std::ffi::CStr) -> Option<*const c_void> {
    let module = system_module(dll)?;
    // SAFETY: module is a loaded module handle and function is NUL-terminated.
    let address = unsafe { GetProcAddress(module, function.as_ptr().cast()) }?;
    Some(address as *const c_void)
}

/// Windows' system directory (`C:\Windows\System32`; for a 32-bit process on 64-bit Windows the
/// same name, which Windows redirects to SysWOW64).
pub fn system_directory() -> Option<String> {
    let mut dir = vec![0u16; 260];
    // SAFETY: dir holds dir.len() u16s; the call writes at most that many.
    let len = unsafe { GetSystemDirectoryW(dir.as_mut_ptr(), dir.len() as u32) } as usize;
    if len == 0 || len >= dir.len() {
        return None;
    }
    Some(String::from_utf16_lossy(&dir[..len]))
}

fn system_module(dll: &str) -> Option<HMODULE> {
    // Already loaded (kernel32.dll always is): no search, no new reference.
    let name = wide(dll);
    // SAFETY: name is NUL-terminated.
    let loaded = unsafe { GetModuleHandleW(name.as_ptr()) };
    if !loaded.is_null() {
        return Some(loaded);
    }
    let path = format!("{}\\{dll}", system_directory()?);
    let path = wide(&path);
    // SAFETY: path is NUL-terminated.
    let module = unsafe { LoadLibraryW(path.as_ptr()) };
    (!module.is_null()).then_some(module)
}
