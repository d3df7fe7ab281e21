//! Collects the facts of the machine w7plan runs on into an [`Inventory`].
//!
//! This module owns observation: a generic pass (sysinfo off Windows; on Windows, plain Win32
//! calls that Windows 7 has: CPU, memory, OS, host name, the system volume), then a platform probe
//! ([`linux`], or `windows` followed by `windows_firmware`) that adds and corrects what only the
//! platform can tell (firmware, TPM, Secure Boot, CPU features, installed memory, the system
//! disk; on Windows also the Direct3D feature level, `windows_d3d`, and the licence, programs,
//! licence channel and WMI's TPM, [`windows_licence`], mapped by the same importers that read
//! collect.cmd's evidence). The firmware's own formats are read by pure parsers both platforms share ([`smbios`],
//! [`acpi`], [`cpuid`], [`efivar`]) and mapped onto the inventory once ([`firmware_facts`]). It
//! does not judge the facts (the rules do) and never fails: whatever cannot be read stays
//! `None`, and a line in [`Inventory::notes`] says what and why.

pub mod acpi;
pub mod efivar;
pub mod firmware_facts;
pub mod linux;
pub mod smbios;
// Only the probe inside is Windows-only; its value parsers are also built for tests everywhere.
#[cfg(any(windows, test))]
pub mod windows;
// Likewise: the Windows 7-capable firmware, CPUID, graphics and disk probes.
#[cfg(windows)]
mod windows_basics;
#[cfg(windows)]
mod windows_dynamic;
#[cfg(any(windows, test))]
pub mod windows_firmware;
// Likewise: the Direct3D feature level, through d3d11.dll loaded at run time.
#[cfg(any(windows, test))]
mod windows_d3d;
// Likewise: licence, programs, and the WMI facts read through wmic.exe.
#[cfg(any(windows, test))]
pub mod windows_licence;

use crate::facts::inventory::{Arch, Cpu, Inventory, Source, SCHEMA};
#[cfg(not(windows))]
use crate::facts::inventory::{Host, Memory, Os, Storage, Volume};
#[cfg(not(windows))]
use sysinfo::{CpuRefreshKind, Disks, MemoryRefreshKind, RefreshKind, System};

/// Observes this machine. On Linux, run as root for the facts that need it (installed memory,
/// the serial number); without, they stay `None` with a note.
pub fn this_machine() -> Inventory {
    let mut inv = Inventory {
        schema: Some(SCHEMA.to_string()),
        collected_at: Some(now_utc()),
        source: Some(Source {
            collector: Some("w7plan inspect".to_string()),
            version: Some(env!("CARGO_PKG_VERSION").to_string()),
            elevated: elevated(),
        }),
        ..Inventory::default()
    };
    #[cfg(windows)]
    windows_basics::collect(&mut inv, &system_mount_point());
    #[cfg(not(windows))]
    from_sysinfo(&mut inv);
    platform_probe(&mut inv);
    // Win32_Processor.AddressWidth is the OS's bitness; the same here, wherever it came from.
    if let Some(arch) = inv.os.as_ref().and_then(|os| os.arch) {
        let cpu = inv.cpu.get_or_insert_with(Cpu::default);
        cpu.address_width = cpu.address_width.or(Some(match arch {
            Arch::X86 => 32,
            Arch::X64 | Arch::Arm64 => 64,
        }));
    }
    inv
}

/// Now, in RFC 3339 UTC to the second.
fn now_utc() -> String {
    let now = jiff::Timestamp::now();
    jiff::Timestamp::from_second(now.as_second())
        .unwrap_or(now)
        .to_string()
}

fn elevated() -> Option<bool> {
    #[cfg(windows)]
    {
        windows::is_elevated()
    }
    #[cfg(target_os = "linux")]
    {
        linux::is_root(std::path::Path::new("/"))
    }
    #[cfg(not(any(windows, target_os = "linux")))]
    {
        None
    }
}

fn platform_probe(inv: &mut Inventory) {
    #[cfg(windows)]
    {
        windows::probe(inv);
        windows_firmware::probe(inv);
        windows_d3d::probe(inv);
        let elevated = inv.source.as_ref().and_then(|s| s.elevated);
        windows_licence::probe(inv, elevated);
    }
    #[cfg(target_os = "linux")]
    {
        linux::probe(std::path::Path::new("/"), inv);
        // The architecture this build was compiled for: on Linux the OS's own bitness matters
        // little (the Windows to install is judged by the CPU), so a 32-bit build on a 64-bit
        // kernel simply reports x86.
        inv.os.get_or_insert_with(Os::default).arch = this_build_arch();
    }
    #[cfg(not(any(windows, target_os = "linux")))]
    inv.notes.push(
        "this platform has no probe: only generic facts (CPU, memory, OS, volume) were collected"
            .to_string(),
    );
}

#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
fn this_build_arch() -> Option<Arch> {
    if cfg!(target_arch = "x86_64") {
        Some(Arch::X64)
    } else if cfg!(target_arch = "x86") {
        Some(Arch::X86)
    } else if cfg!(target_arch = "aarch64") {
        Some(Arch::Arm64)
    } else {
        None
    }
}

/// The facts sysinfo reads the same way on every platform, with a targeted refresh: CPU list and
/// frequency, RAM; nothing about processes. (Windows reads them in [`windows_basics`].)
#[cfg(not(windows))]
fn from_sysinfo(inv: &mut Inventory) {
    let sys = System::new_with_specifics(
        RefreshKind::nothing()
            .with_cpu(CpuRefreshKind::nothing().with_frequency())
            .with_memory(MemoryRefreshKind::nothing().with_ram()),
    );

    let cpus = sys.cpus();
    let first = cpus.first();
    let text = |s: &str| Some(s.trim()).filter(|s| !s.is_empty()).map(str::to_string);
    inv.cpu = Some(Cpu {
        vendor: first.and_then(|c| text(c.vendor_id())),
        brand: first.and_then(|c| text(c.brand())),
        max_mhz: first
            .map(|c| c.frequency())
            .filter(|f| *f > 0)
            .and_then(|f| u32::try_from(f).ok()),
        cores: System::physical_core_count().and_then(|n| u32::try_from(n).ok()),
        logical_processors: u32::try_from(cpus.len()).ok().filter(|n| *n > 0),
        ..Cpu::default()
    });

    let visible = sys.total_memory();
    if visible > 0 {
        inv.memory.get_or_insert_with(Memory::default).visible_bytes = Some(visible);
    } else {
        inv.notes
            .push("memory.visible_bytes: the OS reported no memory total".to_string());
    }

    inv.os = Some(Os {
        name: System::name(),
        version: System::os_version(),
        ..Os::default()
    });
    inv.host = Some(Host {
        name: System::host_name(),
        ..Host::default()
    });

    let system_mount = system_mount_point();
    let disks = Disks::new_with_refreshed_list();
    match disks
        .list()
        .iter()
        .find(|d| d.mount_point() == std::path::Path::new(&system_mount))
    {
        Some(disk) => {
            inv.storage
                .get_or_insert_with(Storage::default)
                .system_volume = Some(Volume {
                letter: cfg!(windows).then(|| system_mount.trim_end_matches('\\').to_string()),
                mount_point: Some(system_mount.clone()),
                size_bytes: Some(disk.total_space()),
                free_bytes: Some(disk.available_space()),
            });
        }
        None => inv.notes.push(format!(
            "storage.system_volume: no mounted volume at {system_mount} among the {} the OS lists",
            disks.list().len()
        )),
    }
}

/// Where the OS is installed: `%SystemDrive%\` on Windows, `/` elsewhere.
fn system_mount_point() -> String {
    if cfg!(windows) {
        let drive = std::env::var("SystemDrive").unwrap_or_else(|_| "C:".to_string());
        format!("{}\\", drive.trim_end_matches('\\'))
    } else {
        "/".to_string()
    }
}
