//! The Windows probes that see what Windows 7's own tools cannot: the raw SMBIOS table, the ACPI
//! table list, the UEFI Secure Boot variables, CPUID, the rated processor clock, the graphics
//! adapters' PCI ids, the display mode and the system disk's partition style.
//!
//! This module owns those Win32 sources and maps them onto inventory fields, recording each
//! fact's source in `Inventory::sources`; the byte formats are parsed by the shared parsers
//! (`smbios`, `acpi`, `cpuid`, `efivar`). Every call here exists on Windows 7 SP1 and is
//! imported statically only for that reason: `GetSystemFirmwareTable` and
//! `EnumSystemFirmwareTables` (Vista), `GetFirmwareEnvironmentVariableW` (XP),
//! `CallNtPowerInformation` (2000), `EnumDisplayDevicesW`/`EnumDisplaySettingsW` (2000),
//! `DeviceIoControl` with `IOCTL_VOLUME_GET_VOLUME_DISK_EXTENTS`,
//! `IOCTL_DISK_GET_PARTITION_INFO_EX` and `IOCTL_DISK_GET_DRIVE_GEOMETRY_EX` (XP). It runs after
//! the registry probe (`windows`) and fills what that one left empty, except for facts only
//! these sources have. The value parsers below are plain functions, compiled and tested on every
//! platform; only the probe is Windows-only.
//!
//! Not read here: WMI's `Win32_Tpm` (it needs COM and administrator rights; the ACPI table list
//! shows a TPM 2.0 without either) and the Direct3D feature level.

use crate::facts::inventory::PartitionStyle;

/// The PCI vendor and device ids in a device instance or hardware id such as
/// `PCI\VEN_8086&DEV_0152&SUBSYS_05771028&REV_09`, as four upper-case hex digits each.
pub fn pci_ids(id: &str) -> Option<(String, String)> {
    let upper = id.to_ascii_uppercase();
    if !upper.starts_with("PCI\\") {
        return None;
    }
    let field = |key: &str| -> Option<String> {
        let at = upper.find(key)? + key.len();
        let hex = upper.get(at..at + 4)?;
        hex.bytes()
            .all(|b| b.is_ascii_hexdigit())
            .then(|| hex.to_string())
    };
    Some((field("VEN_")?, field("DEV_")?))
}

/// A driver's `DriverDate` registry value (`M-D-YYYY`, as INF `DriverVer` dates are written) as
/// ISO `YYYY-MM-DD`.
pub fn driver_date(value: &str) -> Option<String> {
    let mut parts = value.trim().split('-');
    let (m, d, y) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 {
        return None;
    }
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !(all_digits(m) && all_digits(d) && all_digits(y)) {
        return None;
    }
    let (month, day, year): (u32, u32, u32) = (m.parse().ok()?, d.parse().ok()?, y.parse().ok()?);
    ((1..=12).contains(&month) && (1..=31).contains(&day))
        .then(|| format!("{year:04}-{month:02}-{day:02}"))
}

/// The partition style `IOCTL_DISK_GET_PARTITION_INFO_EX` reports (`PARTITION_STYLE`: 0 MBR,
/// 1 GPT, 2 RAW).
pub fn partition_style(code: i32) -> Option<PartitionStyle> {
    match code {
        0 => Some(PartitionStyle::Mbr),
        1 => Some(PartitionStyle::Gpt),
        _ => None,
    }
}

/// Text from a NUL-terminated UTF-16 buffer, trimmed; `None` if empty.
pub fn wide_text(buf: &[u16]) -> Option<String> {
    let end = buf.iter().position(|c| *c == 0).unwrap_or(buf.len());
    let text = String::from_utf16_lossy(&buf[..end]);
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

#[cfg(windows)]
pub use probe_impl::probe;

#[cfg(windows)]
mod probe_impl {
    use super::*;
    use crate::facts::collect::acpi::AcpiTables;
    use crate::facts::collect::efivar::{self, Read};
    use crate::facts::collect::firmware_facts::{apply_acpi, apply_smbios, source};
    use crate::facts::collect::smbios;
    use crate::facts::cpuid;
    use crate::facts::inventory::{
        BootMode, Cpu, Disk, Display, Firmware, GraphicsAdapter, Inventory, Storage,
    };
    use std::ptr::{null, null_mut};
    use windows_sys::Win32::Foundation::{
        CloseHandle, GetLastError, ERROR_ENVVAR_NOT_FOUND, ERROR_INVALID_FUNCTION,
        ERROR_NOT_ALL_ASSIGNED, ERROR_PRIVILEGE_NOT_HELD, ERROR_SUCCESS, HANDLE,
        INVALID_HANDLE_VALUE, LUID,
    };
    use windows_sys::Win32::Graphics::Gdi::{
        EnumDisplayDevicesW, EnumDisplaySettingsW, DEVMODEW, DISPLAY_DEVICEW,
        DISPLAY_DEVICE_MIRRORING_DRIVER, ENUM_CURRENT_SETTINGS,
    };
    use windows_sys::Win32::Security::{
        AdjustTokenPrivileges, LookupPrivilegeValueW, LUID_AND_ATTRIBUTES, SE_PRIVILEGE_ENABLED,
        SE_SYSTEM_ENVIRONMENT_NAME, TOKEN_ADJUST_PRIVILEGES, TOKEN_PRIVILEGES, TOKEN_QUERY,
    };
    use windows_sys::Win32::Storage::FileSystem::{
        CreateFileW, FILE_SHARE_READ, FILE_SHARE_WRITE, IOCTL_VOLUME_GET_VOLUME_DISK_EXTENTS,
        OPEN_EXISTING,
    };
    use windows_sys::Win32::System::Ioctl::{
        DISK_GEOMETRY_EX, IOCTL_DISK_GET_DRIVE_GEOMETRY_EX, IOCTL_DISK_GET_PARTITION_INFO_EX,
        PARTITION_INFORMATION_EX, VOLUME_DISK_EXTENTS,
    };
    use windows_sys::Win32::System::Power::{
        CallNtPowerInformation, ProcessorInformation, PROCESSOR_POWER_INFORMATION,
    };
    use windows_sys::Win32::System::Registry::{
        RegCloseKey, RegEnumKeyExW, RegOpenKeyExW, HKEY, HKEY_LOCAL_MACHINE, KEY_READ,
    };
    use windows_sys::Win32::System::SystemInformation::{
        EnumSystemFirmwareTables, GetSystemFirmwareTable, GetSystemInfo, ACPI, RSMB, SYSTEM_INFO,
    };
    use windows_sys::Win32::System::Threading::{GetCurrentProcess, OpenProcessToken};
    use windows_sys::Win32::System::WindowsProgramming::GetFirmwareEnvironmentVariableW;
    use windows_sys::Win32::System::IO::DeviceIoControl;

    /// The display adapters' driver keys (the Display device setup class GUID).
    const DISPLAY_CLASS: &str =
        r"SYSTEM\CurrentControlSet\Control\Class\{4d36e968-e325-11ce-bfc1-08002be10318}";

    /// Reads every fact this module knows into `inv`.
    pub fn probe(inv: &mut Inventory) {
        smbios_table(inv);
        acpi_tables(inv);
        secure_boot(inv);
        cpu(inv);
        graphics(inv);
        display(inv);
        system_disk(inv);
    }

    fn wide(s: &str) -> Vec<u16> {
        s.encode_utf16().chain(std::iter::once(0)).collect()
    }

    /// Calls a firmware-table function with a buffer that grows to the size it asks for. The
    /// functions return the bytes written, or the size needed when the buffer is too small
    /// (Microsoft's documentation); some implementations (Wine) fail a size query with a null
    /// buffer instead, so the first call already offers room.
    fn grow_buffer(mut call: impl FnMut(*mut u8, u32) -> u32) -> Result<Vec<u8>, u32> {
        let mut buf = vec![0u8; 64 * 1024];
        for _ in 0..3 {
            let size = buf.len() as u32;
            let got = call(buf.as_mut_ptr(), size);
            if got == 0 {
                // SAFETY: no preconditions.
                return Err(unsafe { GetLastError() });
            }
            if got <= size {
                buf.truncate(got as usize);
                return Ok(buf);
            }
            // Firmware tables are small; refuse a size beyond all reason rather than allocate it.
            if got > 64 << 20 {
                return Err(0);
            }
            buf = vec![0u8; got as usize];
        }
        Err(0)
    }

    /// " (error N)", or nothing when the call failed without setting an error (Wine does).
    fn error_suffix(code: u32) -> String {
        if code == 0 {
            String::new()
        } else {
            format!(" (error {code})")
        }
    }

    fn firmware_table(provider: u32, id: u32) -> Result<Vec<u8>, u32> {
        // SAFETY: the buffer pointer has `size` bytes of room.
        grow_buffer(|ptr, size| unsafe { GetSystemFirmwareTable(provider, id, ptr, size) })
    }

    fn smbios_table(inv: &mut Inventory) {
        const FROM: &str = "SMBIOS table (GetSystemFirmwareTable 'RSMB')";
        match firmware_table(RSMB, 0) {
            Ok(bytes) => match smbios::parse_rsmb(&bytes) {
                Ok(table) => apply_smbios(inv, &table, FROM),
                Err(why) => inv
                    .notes
                    .push(format!("firmware.uefi_capable: {FROM}: {why}")),
            },
            Err(code) => inv.notes.push(format!(
                "firmware.uefi_capable: GetSystemFirmwareTable('RSMB') gave no SMBIOS table{}",
                error_suffix(code)
            )),
        }
    }

    fn acpi_tables(inv: &mut Inventory) {
        const FROM: &str = "ACPI table list (EnumSystemFirmwareTables 'ACPI')";
        // SAFETY: the buffer pointer has `size` bytes of room.
        let buf =
            match grow_buffer(|ptr, size| unsafe { EnumSystemFirmwareTables(ACPI, ptr, size) }) {
                Ok(buf) => buf,
                Err(code) => {
                    inv.notes.push(format!(
                        "tpm.acpi_table: EnumSystemFirmwareTables('ACPI') gave no table list{}",
                        error_suffix(code)
                    ));
                    return;
                }
            };
        let (tables, problems) = AcpiTables::from_enum_buffer(&buf);
        for problem in problems {
            inv.notes.push(format!("tpm.acpi_table: {FROM}: {problem}"));
        }
        apply_acpi(inv, &tables, FROM);
    }

    /// Enables SeSystemEnvironmentPrivilege for this process; `false` when the token does not
    /// hold it (not elevated).
    fn enable_system_environment_privilege() -> bool {
        let mut token: HANDLE = null_mut();
        // SAFETY: GetCurrentProcess is a pseudo-handle; `token` receives a handle closed below.
        if unsafe {
            OpenProcessToken(
                GetCurrentProcess(),
                TOKEN_ADJUST_PRIVILEGES | TOKEN_QUERY,
                &mut token,
            )
        } == 0
        {
            return false;
        }
        let mut luid = LUID::default();
        // SAFETY: the name is a static NUL-terminated wide string; luid is an out-parameter.
        let found = unsafe { LookupPrivilegeValueW(null(), SE_SYSTEM_ENVIRONMENT_NAME, &mut luid) };
        let mut ok = false;
        if found != 0 {
            let privileges = TOKEN_PRIVILEGES {
                PrivilegeCount: 1,
                Privileges: [LUID_AND_ATTRIBUTES {
                    Luid: luid,
                    Attributes: SE_PRIVILEGE_ENABLED,
                }],
            };
            // SAFETY: privileges is a valid TOKEN_PRIVILEGES; no previous state is asked for.
            let adjusted =
                unsafe { AdjustTokenPrivileges(token, 0, &privileges, 0, null_mut(), null_mut()) };
            // AdjustTokenPrivileges succeeds even when it assigned nothing; the error says so.
            // SAFETY: no preconditions.
            ok = adjusted != 0 && unsafe { GetLastError() } != ERROR_NOT_ALL_ASSIGNED;
        }
        // SAFETY: token is the handle OpenProcessToken opened.
        unsafe { CloseHandle(token) };
        ok
    }

    /// One global UEFI variable: its data, or the Win32 error.
    fn efi_variable(name: &str) -> Result<Vec<u8>, u32> {
        let (name, guid) = (wide(name), wide(efivar::GLOBAL_VARIABLE_GUID));
        let mut buf = [0u8; 64];
        // SAFETY: name and guid are NUL-terminated; buf has 64 bytes.
        let got = unsafe {
            GetFirmwareEnvironmentVariableW(
                name.as_ptr(),
                guid.as_ptr(),
                buf.as_mut_ptr().cast(),
                buf.len() as u32,
            )
        };
        if got == 0 {
            // SAFETY: no preconditions.
            Err(unsafe { GetLastError() })
        } else {
            Ok(buf[..(got as usize).min(buf.len())].to_vec())
        }
    }

    fn drop_notes(inv: &mut Inventory, prefix: &str) {
        inv.notes.retain(|n| !n.starts_with(prefix));
    }

    /// UEFI or legacy boot, and the SecureBoot/SetupMode variables. Legacy boots answer
    /// `ERROR_INVALID_FUNCTION` whatever the rights (Microsoft's GetFirmwareEnvironmentVariable
    /// documentation); on a UEFI boot a process without SeSystemEnvironmentPrivilege gets
    /// `ERROR_PRIVILEGE_NOT_HELD`, which still shows the boot mode.
    fn secure_boot(inv: &mut Inventory) {
        const FROM: &str = "UEFI variables (GetFirmwareEnvironmentVariableW)";
        let privileged = enable_system_environment_privilege();
        let read = |name: &str| match efi_variable(name) {
            Ok(data) => Ok(Read::Data(data)),
            Err(ERROR_ENVVAR_NOT_FOUND) => Ok(Read::Absent),
            Err(code) => Err(code),
        };
        let boot = match read("SecureBoot") {
            Err(ERROR_INVALID_FUNCTION) => {
                set_boot_mode(inv, BootMode::Bios, FROM);
                drop_notes(inv, "firmware.secure_boot_capable:");
                inv.notes.push(
                    "firmware.secure_boot_capable: Windows was started in legacy (BIOS/CSM) mode, \
                     so the Secure Boot variables cannot be read; firmware.uefi_capable says \
                     whether the firmware could start in UEFI mode"
                        .to_string(),
                );
                return;
            }
            Err(ERROR_PRIVILEGE_NOT_HELD) => {
                set_boot_mode(inv, BootMode::Uefi, FROM);
                let known = inv
                    .firmware
                    .as_ref()
                    .is_some_and(|f| f.secure_boot_capable.is_some());
                if !known {
                    drop_notes(inv, "firmware.secure_boot_capable:");
                    inv.notes.push(format!(
                        "firmware.secure_boot_capable: reading the SecureBoot variable needs \
                         administrator rights{}; Run as administrator to settle Secure Boot",
                        if privileged { "" } else { " (not elevated)" }
                    ));
                }
                return;
            }
            // Any other error leaves even the boot mode open.
            Err(code) => {
                inv.notes.push(format!(
                    "firmware.secure_boot_capable: GetFirmwareEnvironmentVariableW(SecureBoot) \
                     failed with error {code}"
                ));
                return;
            }
            Ok(read) => read,
        };
        set_boot_mode(inv, BootMode::Uefi, FROM);
        let setup = read("SetupMode").unwrap_or_else(|code| {
            Read::Unreadable(format!("GetFirmwareEnvironmentVariableW error {code}"))
        });
        let state = efivar::secure_boot(&boot, &setup);
        for problem in &state.problems {
            inv.notes
                .push(format!("firmware.secure_boot_enabled: {FROM}: {problem}"));
        }
        let firmware = inv.firmware.get_or_insert_with(Firmware::default);
        // The variables are the firmware's own word: they win over the registry's copy.
        let mut answered = false;
        if state.capable.is_some() {
            firmware.secure_boot_capable = state.capable;
            firmware.secure_boot_enabled = state.enabled.or(firmware.secure_boot_enabled);
            answered = true;
        }
        firmware.secure_boot_setup_mode = state.setup_mode;
        if answered {
            drop_notes(inv, "firmware.secure_boot_capable:");
            source(inv, "firmware.secure_boot_capable", FROM);
        }
    }

    fn set_boot_mode(inv: &mut Inventory, mode: BootMode, from: &str) {
        let firmware = inv.firmware.get_or_insert_with(Firmware::default);
        if firmware.boot_mode.is_none() {
            firmware.boot_mode = Some(mode);
            drop_notes(inv, "firmware.boot_mode:");
            source(inv, "firmware.boot_mode", from);
        }
    }

    fn cpu(inv: &mut Inventory) {
        #[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
        {
            let decoded = cpuid::decode(&cpuid::read_this_cpu());
            let cpu = inv.cpu.get_or_insert_with(Cpu::default);
            cpu.vendor = cpu.vendor.take().or(decoded.vendor);
            cpu.brand = cpu.brand.take().or(decoded.brand);
            // CPUID's signature is the processor's own; the registry's Identifier is Windows'
            // reading of it, which older Windows got wrong for extended models (KB952978).
            if decoded.family.is_some() {
                cpu.family = decoded.family;
                cpu.model = decoded.model;
                cpu.stepping = decoded.stepping;
                source(inv, "cpu.family", "CPUID leaf 1");
            }
            if inv.cpu.as_ref().is_some_and(|c| c.features.is_some()) {
                source(inv, "cpu.features", "CPUID leaves 1 and 80000001h");
            }
        }
        max_clock(inv);
    }

    /// The rated maximum clock (`PROCESSOR_POWER_INFORMATION.MaxMhz`), not `~MHz`, which is
    /// measured at boot and lowered by power saving.
    fn max_clock(inv: &mut Inventory) {
        let mut info = SYSTEM_INFO::default();
        // SAFETY: info is an out-parameter.
        unsafe { GetSystemInfo(&mut info) };
        let count = (info.dwNumberOfProcessors as usize).clamp(1, 1024);
        let mut buf = vec![
            PROCESSOR_POWER_INFORMATION {
                Number: 0,
                MaxMhz: 0,
                CurrentMhz: 0,
                MhzLimit: 0,
                MaxIdleState: 0,
                CurrentIdleState: 0,
            };
            count
        ];
        let bytes = std::mem::size_of_val(buf.as_slice()) as u32;
        // SAFETY: buf holds `count` structures of `bytes` bytes in all.
        let status = unsafe {
            CallNtPowerInformation(
                ProcessorInformation,
                null(),
                0,
                buf.as_mut_ptr().cast(),
                bytes,
            )
        };
        let max = buf.iter().map(|p| p.MaxMhz).max().filter(|m| *m > 0);
        match (status, max) {
            (0, Some(mhz)) => {
                inv.cpu.get_or_insert_with(Cpu::default).max_mhz = Some(mhz);
                source(
                    inv,
                    "cpu.max_mhz",
                    "CallNtPowerInformation(ProcessorInformation).MaxMhz",
                );
            }
            _ => inv.notes.push(format!(
                "cpu.max_mhz: CallNtPowerInformation gave no maximum clock (status 0x{status:08X}); \
                 the value is the boot-time ~MHz"
            )),
        }
    }

    /// A `REG_SZ` value under HKLM, `None` if absent, empty or unreadable.
    fn reg_sz(subkey: &str, value: &str) -> Option<String> {
        crate::facts::collect::windows::reg_string(subkey, value)
            .ok()
            .filter(|text| !text.is_empty())
    }

    /// The names of a key's subkeys under HKLM.
    fn subkeys(path: &str) -> Vec<String> {
        let mut key: HKEY = null_mut();
        let wpath = wide(path);
        // SAFETY: wpath is NUL-terminated; key receives a handle closed below.
        if unsafe { RegOpenKeyExW(HKEY_LOCAL_MACHINE, wpath.as_ptr(), 0, KEY_READ, &mut key) }
            != ERROR_SUCCESS
        {
            return Vec::new();
        }
        let mut names = Vec::new();
        for index in 0..4096u32 {
            let mut name = [0u16; 256];
            let mut len = name.len() as u32;
            // SAFETY: name has `len` characters of room.
            let rc = unsafe {
                RegEnumKeyExW(
                    key,
                    index,
                    name.as_mut_ptr(),
                    &mut len,
                    null(),
                    null_mut(),
                    null_mut(),
                    null_mut(),
                )
            };
            if rc != ERROR_SUCCESS {
                break;
            }
            if let Some(n) = wide_text(&name[..(len as usize).min(name.len())]) {
                names.push(n);
            }
        }
        // SAFETY: key was opened above.
        unsafe { RegCloseKey(key) };
        names
    }

    /// The present display adapters (EnumDisplayDevicesW), with their driver's version and date
    /// from the Display class key whose MatchingDeviceId the adapter's id starts with.
    fn graphics(inv: &mut Inventory) {
        if inv.graphics.is_some() {
            return;
        }
        let drivers: Vec<(String, String)> = subkeys(DISPLAY_CLASS)
            .into_iter()
            .filter(|k| k.len() == 4 && k.bytes().all(|b| b.is_ascii_digit()))
            .filter_map(|k| {
                let path = format!(r"{DISPLAY_CLASS}\{k}");
                reg_sz(&path, "MatchingDeviceId").map(|m| (m.to_ascii_uppercase(), path))
            })
            .collect();
        let mut adapters: Vec<GraphicsAdapter> = Vec::new();
        for index in 0..64u32 {
            let mut device = DISPLAY_DEVICEW {
                cb: std::mem::size_of::<DISPLAY_DEVICEW>() as u32,
                ..DISPLAY_DEVICEW::default()
            };
            // SAFETY: device.cb is set to the structure's size.
            if unsafe { EnumDisplayDevicesW(null(), index, &mut device, 0) } == 0 {
                break;
            }
            if device.StateFlags & DISPLAY_DEVICE_MIRRORING_DRIVER != 0 {
                continue;
            }
            let Some(id) = wide_text(&device.DeviceID) else {
                continue;
            };
            let Some((vendor_id, device_id)) = pci_ids(&id) else {
                continue;
            };
            if adapters.iter().any(|a| {
                a.vendor_id.as_deref() == Some(&vendor_id)
                    && a.device_id.as_deref() == Some(&device_id)
            }) {
                continue;
            }
            let upper = id.to_ascii_uppercase();
            let driver = drivers
                .iter()
                .filter(|(matching, _)| upper.starts_with(matching.as_str()))
                .max_by_key(|(matching, _)| matching.len())
                .map(|(_, path)| path.as_str());
            adapters.push(GraphicsAdapter {
                name: wide_text(&device.DeviceString),
                driver_version: driver.and_then(|p| reg_sz(p, "DriverVersion")),
                driver_date: driver
                    .and_then(|p| reg_sz(p, "DriverDate"))
                    .and_then(|d| driver_date(&d)),
                vendor_id: Some(vendor_id),
                device_id: Some(device_id),
                ..GraphicsAdapter::default()
            });
        }
        if adapters.is_empty() {
            inv.notes
                .push("graphics: EnumDisplayDevicesW lists no PCI display adapter".to_string());
        } else {
            inv.graphics = Some(adapters);
            source(
                inv,
                "graphics",
                "EnumDisplayDevicesW and the Display class driver keys",
            );
        }
    }

    /// The primary display's current mode, in real pixels (unlike GetSystemMetrics, which DPI
    /// virtualization scales for a process that is not DPI-aware).
    fn display(inv: &mut Inventory) {
        if inv.display.is_some() {
            return;
        }
        // SAFETY: DEVMODEW is plain data; all-zero is a valid start.
        let mut mode: DEVMODEW = unsafe { std::mem::zeroed() };
        mode.dmSize = std::mem::size_of::<DEVMODEW>() as u16;
        // SAFETY: mode.dmSize is set; a null device name means the primary display.
        if unsafe { EnumDisplaySettingsW(null(), ENUM_CURRENT_SETTINGS, &mut mode) } != 0
            && mode.dmPelsWidth > 0
        {
            inv.display = Some(Display {
                width: Some(mode.dmPelsWidth),
                height: Some(mode.dmPelsHeight),
            });
            source(
                inv,
                "display",
                "EnumDisplaySettingsW(ENUM_CURRENT_SETTINGS)",
            );
        } else {
            inv.notes
                .push("display: EnumDisplaySettingsW gave no current mode".to_string());
        }
    }

    /// Opens a device for queries only (no read or write access), which needs no administrator
    /// rights.
    fn open_device(path: &str) -> Option<HANDLE> {
        let wpath = wide(path);
        // SAFETY: wpath is NUL-terminated; the handle is closed by the caller.
        let handle = unsafe {
            CreateFileW(
                wpath.as_ptr(),
                0,
                FILE_SHARE_READ | FILE_SHARE_WRITE,
                null(),
                OPEN_EXISTING,
                0,
                null_mut(),
            )
        };
        (handle != INVALID_HANDLE_VALUE && !handle.is_null()).then_some(handle)
    }

    /// One fixed-size IOCTL answer.
    fn ioctl<T: Default>(handle: HANDLE, code: u32) -> Option<T> {
        let mut out = T::default();
        let mut returned = 0u32;
        // SAFETY: out is a T and its size is passed; no input buffer.
        let ok = unsafe {
            DeviceIoControl(
                handle,
                code,
                null(),
                0,
                (&mut out as *mut T).cast(),
                std::mem::size_of::<T>() as u32,
                &mut returned,
                null_mut(),
            )
        };
        (ok != 0).then_some(out)
    }

    /// The system volume's partition style and its disk's size, with query-only handles.
    fn system_disk(inv: &mut Inventory) {
        let drive = std::env::var("SystemDrive").unwrap_or_else(|_| "C:".to_string());
        let volume_path = format!(r"\\.\{}", drive.trim_end_matches('\\'));
        let Some(volume) = open_device(&volume_path) else {
            inv.notes.push(format!(
                "storage.system_disk: cannot open {volume_path} for queries"
            ));
            return;
        };
        let style = ioctl::<PARTITION_INFORMATION_EX>(volume, IOCTL_DISK_GET_PARTITION_INFO_EX)
            .and_then(|p| partition_style(p.PartitionStyle));
        // One extent is the usual case; a volume spanning disks fails with ERROR_MORE_DATA.
        let disk_number =
            ioctl::<VOLUME_DISK_EXTENTS>(volume, IOCTL_VOLUME_GET_VOLUME_DISK_EXTENTS)
                .filter(|e| e.NumberOfDiskExtents == 1)
                .map(|e| e.Extents[0].DiskNumber);
        // SAFETY: volume was opened above.
        unsafe { CloseHandle(volume) };
        let size = disk_number.and_then(|n| {
            let disk = open_device(&format!(r"\\.\PhysicalDrive{n}"))?;
            let geometry = ioctl::<DISK_GEOMETRY_EX>(disk, IOCTL_DISK_GET_DRIVE_GEOMETRY_EX);
            // SAFETY: disk was opened just above.
            unsafe { CloseHandle(disk) };
            geometry.and_then(|g| u64::try_from(g.DiskSize).ok())
        });
        if style.is_none() {
            inv.notes.push(format!(
                "storage.system_disk.partition_style: IOCTL_DISK_GET_PARTITION_INFO_EX on \
                 {volume_path} gave no MBR or GPT style"
            ));
        }
        if style.is_none() && size.is_none() {
            return;
        }
        let disk = inv
            .storage
            .get_or_insert_with(Storage::default)
            .system_disk
            .get_or_insert_with(Disk::default);
        disk.partition_style = disk.partition_style.or(style);
        disk.size_bytes = disk.size_bytes.or(size);
        if style.is_some() {
            source(
                inv,
                "storage.system_disk.partition_style",
                "IOCTL_DISK_GET_PARTITION_INFO_EX on the system volume",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pci_ids_from_device_ids() {
        assert_eq!(
            pci_ids(r"PCI\VEN_8086&DEV_0152&SUBSYS_05771028&REV_09"),
            Some(("8086".into(), "0152".into()))
        );
        // MatchingDeviceId values are lower case.
        assert_eq!(
            pci_ids(r"pci\ven_10de&dev_1c82"),
            Some(("10DE".into(), "1C82".into()))
        );
        assert_eq!(pci_ids(r"ROOT\BasicDisplay"), None);
        assert_eq!(pci_ids(r"PCI\VEN_80&DEV_0152"), None);
        assert_eq!(pci_ids(r"PCI\VEN_8086"), None);
        assert_eq!(pci_ids(r"PCI\VEN_XYZW&DEV_0152"), None);
        assert_eq!(pci_ids("PCI\\VEN_8086&DEV_01é"), None);
    }

    #[test]
    fn driver_dates() {
        assert_eq!(driver_date("7-25-2016").as_deref(), Some("2016-07-25"));
        assert_eq!(driver_date("12-1-2012").as_deref(), Some("2012-12-01"));
        assert_eq!(driver_date("13-1-2012"), None);
        assert_eq!(driver_date("1-1-12"), None);
        assert_eq!(driver_date("2016-07-25"), None);
        assert_eq!(driver_date("+1-1-2012"), None);
        assert_eq!(driver_date(""), None);
    }

    #[test]
    fn partition_styles_and_wide_text() {
        assert_eq!(partition_style(0), Some(PartitionStyle::Mbr));
        assert_eq!(partition_style(1), Some(PartitionStyle::Gpt));
        assert_eq!(partition_style(2), None);
        let mut buf = [0u16; 8];
        for (i, c) in " Intel ".encode_utf16().enumerate() {
            buf[i] = c;
        }
        assert_eq!(wide_text(&buf).as_deref(), Some("Intel"));
        assert_eq!(wide_text(&[0; 4]), None);
        assert_eq!(wide_text(&[0x41, 0x42]).as_deref(), Some("AB"));
    }
}
