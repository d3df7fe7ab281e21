//! Reads OS, CPU, firmware, Secure Boot, TPM and memory facts from the Windows registry and Win32
//! calls into an [`Inventory`].
//!
//! This module owns the Windows sources of facts and how their values map onto inventory fields;
//! it does not judge them and does not read WMI, licence or program data ([`super::windows_licence`]
//! does, through the importers' mappings).
//! It runs where w7plan itself runs, down to Windows 7 SP1 (the `*-win7-windows-gnu` build of
//! `scripts/build-win7`): functions newer than Windows 7, such as `GetFirmwareType` and
//! `Tbsi_GetDeviceInfo`, are resolved at run time ([`super::windows_dynamic`]) with a fallback,
//! never imported. The value parsers are plain functions shared with the importers
//! (`import::values`), compiled on every platform; only the probe is Windows-only.

use crate::facts::inventory::Arch;

// The value parsers the importers share: one reading of an identifier, a service pack or a
// product name, whichever source printed it.
pub use crate::facts::import::values::{parse_cpu_identifier, parse_service_pack};

/// The OS architecture a `PROCESSOR_ARCHITECTURE` value names.
pub fn arch_from_env(value: &str) -> Option<Arch> {
    match value.trim().to_ascii_uppercase().as_str() {
        "AMD64" => Some(Arch::X64),
        "X86" => Some(Arch::X86),
        "ARM64" => Some(Arch::Arm64),
        _ => None,
    }
}

pub use crate::facts::import::values::product_name;

// The CPUID feature decoding lives with the other CPUID rules.
pub use crate::facts::cpuid::features_from_cpuid;

#[cfg(windows)]
pub(super) use probe_impl::reg_string;
#[cfg(windows)]
pub use probe_impl::{is_elevated, probe};

#[cfg(windows)]
mod probe_impl {
    use super::super::windows_dynamic::system_function;
    use super::*;
    use crate::facts::inventory::{BootMode, Cpu, Firmware, Inventory, Memory, Os, OsFamily, Tpm};
    use std::ptr::null_mut;
    use windows_sys::Win32::Foundation::{
        CloseHandle, GetLastError, ERROR_FILE_NOT_FOUND, ERROR_INVALID_FUNCTION, ERROR_SUCCESS,
        HANDLE, TBS_E_TPM_NOT_FOUND,
    };
    use windows_sys::Win32::Security::{
        GetTokenInformation, TokenElevation, TOKEN_ELEVATION, TOKEN_QUERY,
    };
    use windows_sys::Win32::System::Registry::{
        RegGetValueW, HKEY_LOCAL_MACHINE, RRF_RT_REG_DWORD, RRF_RT_REG_SZ,
    };
    use windows_sys::Win32::System::SystemInformation::{
        FirmwareTypeBios, FirmwareTypeUefi, GetPhysicallyInstalledSystemMemory, FIRMWARE_TYPE,
    };
    use windows_sys::Win32::System::Threading::{GetCurrentProcess, OpenProcessToken};
    use windows_sys::Win32::System::TpmBaseServices::{
        TBS_SUCCESS, TPM_DEVICE_INFO, TPM_VERSION_12, TPM_VERSION_20,
    };
    use windows_sys::Win32::System::WindowsProgramming::GetFirmwareEnvironmentVariableW;

    /// `GetFirmwareType` (kernel32, Windows 8+).
    type GetFirmwareTypeFn = unsafe extern "system" fn(*mut FIRMWARE_TYPE) -> i32;
    /// `Tbsi_GetDeviceInfo` (tbs.dll, Windows 8+).
    type TbsiGetDeviceInfoFn = unsafe extern "system" fn(u32, *mut std::ffi::c_void) -> u32;

    const CURRENT_VERSION: &str = r"SOFTWARE\Microsoft\Windows NT\CurrentVersion";
    const PROCESSOR: &str = r"HARDWARE\DESCRIPTION\System\CentralProcessor\0";
    const SECURE_BOOT: &str = r"SYSTEM\CurrentControlSet\Control\SecureBoot\State";

    /// Reads every fact this module knows into `inv`. Values read here replace what a generic
    /// source (sysinfo) put there before.
    pub fn probe(inv: &mut Inventory) {
        os(inv);
        cpu(inv);
        firmware(inv);
        tpm(inv);
        installed_memory(inv);
    }

    use super::super::windows_dynamic::wide;

    /// A `REG_SZ` value under HKLM; `Err` holds the Win32 error (`ERROR_FILE_NOT_FOUND` if absent).
    pub(in crate::facts::collect) fn reg_string(subkey: &str, value: &str) -> Result<String, u32> {
        let (key, name) = (wide(subkey), wide(value));
        let mut size: u32 = 0;
        // SAFETY: key and name are NUL-terminated; a null data pointer asks only for the size.
        let rc = unsafe {
            RegGetValueW(
                HKEY_LOCAL_MACHINE,
                key.as_ptr(),
                name.as_ptr(),
                RRF_RT_REG_SZ,
                null_mut(),
                null_mut(),
                &mut size,
            )
        };
        if rc != ERROR_SUCCESS {
            return Err(rc);
        }
        let mut buf = vec![0u16; (size as usize).div_ceil(2).max(1)];
        let mut size = u32::try_from(buf.len() * 2).map_err(|_| ERROR_FILE_NOT_FOUND)?;
        // SAFETY: buf has room for `size` bytes; RegGetValueW writes no more and NUL-terminates.
        let rc = unsafe {
            RegGetValueW(
                HKEY_LOCAL_MACHINE,
                key.as_ptr(),
                name.as_ptr(),
                RRF_RT_REG_SZ,
                null_mut(),
                buf.as_mut_ptr().cast(),
                &mut size,
            )
        };
        if rc != ERROR_SUCCESS {
            return Err(rc);
        }
        let len = (size as usize / 2).min(buf.len());
        let text = String::from_utf16_lossy(&buf[..len]);
        Ok(text.trim_end_matches('\0').trim().to_string())
    }

    /// A `REG_DWORD` value under HKLM.
    fn reg_dword(subkey: &str, value: &str) -> Result<u32, u32> {
        let (key, name) = (wide(subkey), wide(value));
        let mut data: u32 = 0;
        let mut size = std::mem::size_of::<u32>() as u32;
        // SAFETY: data is a u32 and size says so.
        let rc = unsafe {
            RegGetValueW(
                HKEY_LOCAL_MACHINE,
                key.as_ptr(),
                name.as_ptr(),
                RRF_RT_REG_DWORD,
                null_mut(),
                (&mut data as *mut u32).cast(),
                &mut size,
            )
        };
        if rc == ERROR_SUCCESS {
            Ok(data)
        } else {
            Err(rc)
        }
    }

    fn non_empty(value: Result<String, u32>) -> Option<String> {
        value.ok().filter(|v| !v.is_empty())
    }

    /// Whether this process runs with an elevated (administrator) token.
    pub fn is_elevated() -> Option<bool> {
        let mut token: HANDLE = null_mut();
        // SAFETY: GetCurrentProcess returns a pseudo-handle that needs no closing; `token` receives
        // a real handle, closed below.
        if unsafe { OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &mut token) } == 0 {
            return None;
        }
        let mut elevation = TOKEN_ELEVATION { TokenIsElevated: 0 };
        let mut returned = 0u32;
        // SAFETY: the buffer is a TOKEN_ELEVATION and its size is passed.
        let ok = unsafe {
            GetTokenInformation(
                token,
                TokenElevation,
                (&mut elevation as *mut TOKEN_ELEVATION).cast(),
                std::mem::size_of::<TOKEN_ELEVATION>() as u32,
                &mut returned,
            )
        };
        // SAFETY: token is the handle OpenProcessToken opened.
        unsafe { CloseHandle(token) };
        (ok != 0).then_some(elevation.TokenIsElevated != 0)
    }

    fn os(inv: &mut Inventory) {
        let build = non_empty(reg_string(CURRENT_VERSION, "CurrentBuild"))
            .or_else(|| non_empty(reg_string(CURRENT_VERSION, "CurrentBuildNumber")))
            .and_then(|b| b.parse::<u32>().ok());
        let os = inv.os.get_or_insert_with(Os::default);
        os.family = Some(OsFamily::Windows);
        os.build = build.or(os.build);
        if let Some(name) = non_empty(reg_string(CURRENT_VERSION, "ProductName")) {
            os.name = Some(product_name(&name, build));
        }
        os.edition = non_empty(reg_string(CURRENT_VERSION, "EditionID")).or(os.edition.take());
        // Windows 10 froze CurrentVersion at "6.3" and added the major/minor numbers.
        os.version = match (
            reg_dword(CURRENT_VERSION, "CurrentMajorVersionNumber"),
            reg_dword(CURRENT_VERSION, "CurrentMinorVersionNumber"),
        ) {
            (Ok(major), Ok(minor)) => Some(format!("{major}.{minor}")),
            _ => non_empty(reg_string(CURRENT_VERSION, "CurrentVersion")).or(os.version.take()),
        };
        // CSDVersion is absent (or empty) until a service pack is installed.
        os.service_pack = match reg_string(CURRENT_VERSION, "CSDVersion") {
            Ok(csd) if csd.is_empty() => Some(0),
            Ok(csd) => parse_service_pack(&csd),
            Err(ERROR_FILE_NOT_FOUND) => Some(0),
            Err(_) => None,
        };
        // InstallDate: seconds since 1970 (UTC) of the installation or the last feature update.
        os.installed_on = reg_dword(CURRENT_VERSION, "InstallDate")
            .ok()
            .filter(|s| *s > 0)
            .and_then(|s| jiff::Timestamp::from_second(i64::from(s)).ok())
            .map(|t| t.strftime("%Y-%m-%d").to_string());
        // A 32-bit process on 64-bit Windows finds the native architecture in
        // PROCESSOR_ARCHITEW6432.
        os.arch = std::env::var("PROCESSOR_ARCHITEW6432")
            .or_else(|_| std::env::var("PROCESSOR_ARCHITECTURE"))
            .ok()
            .and_then(|v| arch_from_env(&v));
        if os.arch.is_none() {
            inv.notes.push(
                "os.arch: PROCESSOR_ARCHITECTURE is unset or names an unknown architecture"
                    .to_string(),
            );
        }
    }

    fn cpu(inv: &mut Inventory) {
        let cpu = inv.cpu.get_or_insert_with(Cpu::default);
        if let Some(vendor) = non_empty(reg_string(PROCESSOR, "VendorIdentifier")) {
            cpu.vendor = Some(vendor);
        }
        if let Some(brand) = non_empty(reg_string(PROCESSOR, "ProcessorNameString")) {
            cpu.brand = Some(brand);
        }
        match non_empty(reg_string(PROCESSOR, "Identifier")) {
            Some(id) => {
                let (family, model, stepping) = parse_cpu_identifier(&id);
                cpu.family = family;
                cpu.model = model;
                cpu.stepping = stepping;
            }
            None => inv.notes.push(format!(
                "cpu.family: HKLM\\{PROCESSOR}\\Identifier is unreadable"
            )),
        }
        // Intel's platform ID, which Microsoft's script reads for two Kaby Lake models.
        cpu.platform_id = reg_dword(PROCESSOR, "Platform Specific Field 1").ok();
        if let Ok(mhz) = reg_dword(PROCESSOR, "~MHz") {
            cpu.max_mhz = Some(mhz).filter(|m| *m > 0).or(cpu.max_mhz);
        }
        cpu_features(cpu);
    }

    #[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
    fn cpu_features(cpu: &mut Cpu) {
        #[cfg(target_arch = "x86")]
        use std::arch::x86::__cpuid;
        #[cfg(target_arch = "x86_64")]
        use std::arch::x86_64::__cpuid;
        // SAFETY: CPUID exists on every CPU that runs Windows 7; the extended leaf is read only
        // when leaf 0x80000000 says it exists. (Newer Rust made __cpuid safe, hence the allow.)
        #[allow(unused_unsafe)]
        let (leaf1, extended) = unsafe {
            let leaf1 = __cpuid(1);
            let max_ext = __cpuid(0x8000_0000).eax;
            let ext = (max_ext >= 0x8000_0001).then(|| __cpuid(0x8000_0001));
            (leaf1, ext.map(|e| (e.ecx, e.edx)))
        };
        let features = features_from_cpuid(leaf1.ecx, leaf1.edx, extended);
        let long_mode = features.get("lm").copied().unwrap_or(false);
        cpu.arch = Some(if long_mode { Arch::X64 } else { Arch::X86 });
        cpu.data_width = Some(if long_mode { 64 } else { 32 });
        cpu.features = Some(features);
    }

    #[cfg(target_arch = "aarch64")]
    fn cpu_features(cpu: &mut Cpu) {
        use windows_sys::Win32::System::Threading::{
            IsProcessorFeaturePresent, PF_ARM_V81_ATOMIC_INSTRUCTIONS_AVAILABLE,
        };
        // SAFETY: a plain query with no pointers.
        let atomics =
            unsafe { IsProcessorFeaturePresent(PF_ARM_V81_ATOMIC_INSTRUCTIONS_AVAILABLE) } != 0;
        cpu.arch = Some(Arch::Arm64);
        cpu.data_width = Some(64);
        cpu.features = Some(std::collections::BTreeMap::from([(
            "atomics".to_string(),
            atomics,
        )]));
    }

    #[cfg(not(any(target_arch = "x86", target_arch = "x86_64", target_arch = "aarch64")))]
    fn cpu_features(_cpu: &mut Cpu) {}

    /// UEFI or legacy BIOS boot: `GetFirmwareType` where Windows has it (8 and later) and it
    /// answers, else the documented behaviour of `GetFirmwareEnvironmentVariableW` (XP and later), which fails with
    /// `ERROR_INVALID_FUNCTION` on a legacy BIOS boot and with another error on a UEFI boot when
    /// asked for a variable of a namespace that does not exist.
    fn boot_mode() -> Option<BootMode> {
        if let Some(address) = system_function("kernel32.dll", c"GetFirmwareType") {
            // SAFETY: the address is kernel32's GetFirmwareType, whose signature this type is.
            let get_firmware_type: GetFirmwareTypeFn = unsafe { std::mem::transmute(address) };
            let mut kind: FIRMWARE_TYPE = 0;
            // SAFETY: kind is a FIRMWARE_TYPE out-parameter.
            if unsafe { get_firmware_type(&mut kind) } != 0 {
                if kind == FirmwareTypeUefi {
                    return Some(BootMode::Uefi);
                }
                if kind == FirmwareTypeBios {
                    return Some(BootMode::Bios);
                }
            }
            // FirmwareTypeUnknown or a failure: the older test below may still tell.
        }
        let (name, guid) = (wide(""), wide("{00000000-0000-0000-0000-000000000000}"));
        // SAFETY: name and guid are NUL-terminated; a null buffer of size 0 only asks.
        let read =
            unsafe { GetFirmwareEnvironmentVariableW(name.as_ptr(), guid.as_ptr(), null_mut(), 0) };
        if read != 0 {
            // Nothing can be stored under the empty name of the null GUID; an answer is not one
            // of the two documented outcomes.
            return None;
        }
        // SAFETY: reads the calling thread's last error, set by the call above.
        match unsafe { GetLastError() } {
            ERROR_INVALID_FUNCTION => Some(BootMode::Bios),
            _ => Some(BootMode::Uefi),
        }
    }

    fn firmware(inv: &mut Inventory) {
        let boot_mode = boot_mode();
        // Windows 7 and Vista predate Secure Boot: their registry never holds its state.
        let before_secure_boot = inv
            .os
            .as_ref()
            .and_then(|os| os.version.as_deref())
            .is_some_and(|v| v.starts_with("6.0") || v.starts_with("6.1"));
        let firmware = inv.firmware.get_or_insert_with(Firmware::default);
        firmware.boot_mode = boot_mode;
        // 1 = on, 0 = supported but off; absent = not a UEFI boot or no Secure Boot (facts §6.1).
        match reg_dword(SECURE_BOOT, "UEFISecureBootEnabled") {
            Ok(value @ (0 | 1)) => {
                firmware.secure_boot_capable = Some(true);
                firmware.secure_boot_enabled = Some(value == 1);
            }
            Ok(other) => inv.notes.push(format!(
                "firmware.secure_boot_enabled: UEFISecureBootEnabled is {other}, neither 0 nor 1"
            )),
            Err(_) if before_secure_boot => inv.notes.push(
                "firmware.secure_boot_capable: this Windows predates Secure Boot and records \
                 nothing of it; the firmware's SecureBoot variable (read as administrator on a \
                 UEFI boot) or the firmware setup shows it"
                    .to_string(),
            ),
            Err(_) => inv.notes.push(
                "firmware.secure_boot_capable: UEFISecureBootEnabled is absent: a BIOS/CSM boot \
                 or firmware without Secure Boot; the firmware setup shows which"
                    .to_string(),
            ),
        }
        if boot_mode.is_none() {
            inv.notes.push(
                "firmware.boot_mode: neither GetFirmwareType nor GetFirmwareEnvironmentVariableW \
                 gave an answer"
                    .to_string(),
            );
        }
    }

    fn tpm(inv: &mut Inventory) {
        let Some(address) = system_function("tbs.dll", c"Tbsi_GetDeviceInfo") else {
            // Windows 7 has TBS but not this query (Windows 8+); its TPM is read elsewhere.
            inv.notes.push(
                "tpm.version: Tbsi_GetDeviceInfo is not available on this Windows (it came with \
                 Windows 8); the TPM management console (tpm.msc) shows the TPM"
                    .to_string(),
            );
            return;
        };
        // SAFETY: the address is tbs.dll's Tbsi_GetDeviceInfo, whose signature this type is.
        let tbsi_get_device_info: TbsiGetDeviceInfoFn = unsafe { std::mem::transmute(address) };
        let mut info = TPM_DEVICE_INFO::default();
        // SAFETY: info is a TPM_DEVICE_INFO and its size is passed.
        let rc = unsafe {
            tbsi_get_device_info(
                std::mem::size_of::<TPM_DEVICE_INFO>() as u32,
                (&mut info as *mut TPM_DEVICE_INFO).cast(),
            )
        };
        if rc == TBS_SUCCESS {
            let tpm = inv.tpm.get_or_insert_with(Tpm::default);
            tpm.present = Some(true);
            tpm.version = match info.tpmVersion {
                TPM_VERSION_20 => Some("2.0".to_string()),
                TPM_VERSION_12 => Some("1.2".to_string()),
                _ => None,
            };
            if tpm.version.is_none() {
                inv.notes.push(format!(
                    "tpm.version: TBS reports TPM version code {}",
                    info.tpmVersion
                ));
            }
        } else if rc == TBS_E_TPM_NOT_FOUND as u32 {
            inv.notes.push(
                "tpm.present: Windows finds no TPM: there is none, or it is disabled in the \
                 firmware"
                    .to_string(),
            );
        } else {
            inv.notes.push(format!(
                "tpm.present: Tbsi_GetDeviceInfo failed with 0x{rc:08X}"
            ));
        }
    }

    fn installed_memory(inv: &mut Inventory) {
        let mut kib: u64 = 0;
        // SAFETY: kib is a u64 out-parameter.
        if unsafe { GetPhysicallyInstalledSystemMemory(&mut kib) } != 0 && kib > 0 {
            inv.memory
                .get_or_insert_with(Memory::default)
                .installed_bytes = kib.checked_mul(1024);
        } else {
            inv.notes.push(
                "memory.installed_bytes: GetPhysicallyInstalledSystemMemory failed (the SMBIOS \
                 memory tables are missing or malformed)"
                    .to_string(),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_packs_and_arch() {
        assert_eq!(arch_from_env("AMD64"), Some(Arch::X64));
        assert_eq!(arch_from_env("x86"), Some(Arch::X86));
        assert_eq!(arch_from_env("IA64"), None);
    }

    #[test]
    fn windows_11_product_name() {
        assert_eq!(
            product_name("Windows 10 Pro", Some(22631)),
            "Windows 11 Pro"
        );
        assert_eq!(
            product_name("Windows 10 Pro", Some(19045)),
            "Windows 10 Pro"
        );
        assert_eq!(
            product_name("Windows 7 Professional", Some(7601)),
            "Windows 7 Professional"
        );
    }
}
