//! The generic facts that sysinfo reads on other platforms (processor counts, memory the OS sees,
//! host name, the system volume), read on Windows with plain Win32 calls that Windows 7 SP1 has.
//!
//! sysinfo is not used on Windows: its `windows` crate imports the API set
//! `api-ms-win-core-winrt-error-l1-1-0.dll`, which Windows 7 lacks, and a program importing it
//! does not start there. CPU vendor, brand and clock, OS name and version come from the registry
//! in [`super::windows`], as on Windows they did before.

use super::windows_dynamic::wide;
use crate::facts::inventory::{Cpu, Host, Inventory, Memory, Os, Storage, Volume};
use windows_sys::Win32::Storage::FileSystem::GetDiskFreeSpaceExW;
use windows_sys::Win32::System::SystemInformation::{
    ComputerNameDnsHostname, GetComputerNameExW, GetLogicalProcessorInformation,
    GetNativeSystemInfo, GlobalMemoryStatusEx, RelationProcessorCore, MEMORYSTATUSEX, SYSTEM_INFO,
    SYSTEM_LOGICAL_PROCESSOR_INFORMATION,
};

/// Fills what sysinfo fills elsewhere; the platform probe then adds the rest.
pub fn collect(inv: &mut Inventory, system_mount: &str) {
    inv.cpu = Some(Cpu {
        cores: physical_cores(),
        logical_processors: logical_processors(),
        ..Cpu::default()
    });
    match visible_memory() {
        Some(bytes) => inv.memory.get_or_insert_with(Memory::default).visible_bytes = Some(bytes),
        None => inv
            .notes
            .push("memory.visible_bytes: GlobalMemoryStatusEx failed".to_string()),
    }
    inv.os = Some(Os::default());
    inv.host = Some(Host {
        name: host_name(),
        ..Host::default()
    });
    match volume_space(system_mount) {
        Some((size, free)) => {
            inv.storage
                .get_or_insert_with(Storage::default)
                .system_volume = Some(Volume {
                letter: Some(system_mount.trim_end_matches('\\').to_string()),
                mount_point: Some(system_mount.to_string()),
                size_bytes: Some(size),
                free_bytes: Some(free),
            });
        }
        None => inv.notes.push(format!(
            "storage.system_volume: GetDiskFreeSpaceExW cannot read {system_mount}"
        )),
    }
}

/// Logical processors of the machine (not of a 32-bit process's WOW64 view).
fn logical_processors() -> Option<u32> {
    // SAFETY: SYSTEM_INFO is plain data; GetNativeSystemInfo fills it and cannot fail.
    let info = unsafe {
        let mut info: SYSTEM_INFO = std::mem::zeroed();
        GetNativeSystemInfo(&mut info);
        info
    };
    Some(info.dwNumberOfProcessors).filter(|n| *n > 0)
}

/// Physical cores: one `RelationProcessorCore` record per core.
fn physical_cores() -> Option<u32> {
    let record = std::mem::size_of::<SYSTEM_LOGICAL_PROCESSOR_INFORMATION>();
    let mut bytes: u32 = 0;
    // SAFETY: a null buffer with length 0 asks for the size needed.
    unsafe { GetLogicalProcessorInformation(std::ptr::null_mut(), &mut bytes) };
    let count = (bytes as usize).div_ceil(record);
    if count == 0 {
        return None;
    }
    // SAFETY: the records are plain data; zeroed is a valid value for them.
    let mut buffer: Vec<SYSTEM_LOGICAL_PROCESSOR_INFORMATION> =
        (0..count).map(|_| unsafe { std::mem::zeroed() }).collect();
    let mut bytes = u32::try_from(count * record).ok()?;
    // SAFETY: buffer holds `bytes` bytes of records.
    if unsafe { GetLogicalProcessorInformation(buffer.as_mut_ptr(), &mut bytes) } == 0 {
        return None;
    }
    let filled = (bytes as usize / record).min(buffer.len());
    let cores = buffer[..filled]
        .iter()
        .filter(|r| r.Relationship == RelationProcessorCore)
        .count();
    u32::try_from(cores).ok().filter(|n| *n > 0)
}

fn visible_memory() -> Option<u64> {
    // SAFETY: MEMORYSTATUSEX is plain data; dwLength must be set before the call.
    let mut status: MEMORYSTATUSEX = unsafe { std::mem::zeroed() };
    status.dwLength = std::mem::size_of::<MEMORYSTATUSEX>() as u32;
    // SAFETY: status is a MEMORYSTATUSEX with its length set.
    let ok = unsafe { GlobalMemoryStatusEx(&mut status) } != 0;
    (ok && status.ullTotalPhys > 0).then_some(status.ullTotalPhys)
}

fn host_name() -> Option<String> {
    let mut len: u32 = 0;
    // SAFETY: a null buffer asks for the length needed (including the NUL).
    unsafe { GetComputerNameExW(ComputerNameDnsHostname, std::ptr::null_mut(), &mut len) };
    if len == 0 {
        return None;
    }
    let mut buf = vec![0u16; len as usize];
    // SAFETY: buf holds len u16s.
    if unsafe { GetComputerNameExW(ComputerNameDnsHostname, buf.as_mut_ptr(), &mut len) } == 0 {
        return None;
    }
    let name = String::from_utf16_lossy(&buf[..(len as usize).min(buf.len())]);
    Some(name.trim().to_string()).filter(|n| !n.is_empty())
}

/// Size and free bytes (for this user) of the volume at `root`, e.g. `C:\`.
fn volume_space(root: &str) -> Option<(u64, u64)> {
    let root = wide(root);
    let (mut available, mut total, mut free) = (0u64, 0u64, 0u64);
    // SAFETY: root is NUL-terminated; the three out-parameters are u64s.
    let ok = unsafe { GetDiskFreeSpaceExW(root.as_ptr(), &mut available, &mut total, &mut free) };
    (ok != 0 && total > 0).then_some((total, available))
}
