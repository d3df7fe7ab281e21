//! Licence, installed programs and the WMI-only facts (licence channel, TPM through `Win32_Tpm`)
//! of the Windows PC w7plan runs on, read the way `collect.cmd` reads them and mapped by the same
//! importers.
//!
//! The registry keys `collect.cmd` exports (`Windows NT\CurrentVersion`, the Uninstall keys) are
//! read here into a [`RegFile`], key by key as `reg export` would write them, and mapped by
//! [`crate::facts::import::reg`]: one mapping of ProductId, DigitalProductId (the product key, masked in
//! every output unless `--reveal-keys`) and programs, whichever way the keys were read. The WMI
//! classes are read without COM code: Windows' own `wmic.exe` runs as a child process with the
//! queries `collect.cmd` runs, bounded in time, and its output is split and mapped by
//! [`crate::facts::import::wmic`]. Each fact taken from here is recorded in `Inventory::sources`.
//!
//! The merging is plain code, built and tested on every platform; only the reading is Windows-only.

use crate::facts::import::reg::{self, RegFile};
use crate::facts::import::wmic::{self, Class};
use crate::facts::inventory::{Arch, Inventory, License, Tpm};

/// Where the registry facts came from, as recorded in `sources`.
const FROM_CURRENT_VERSION: &str = r"registry HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion";
const FROM_UNINSTALL: &str =
    r"registry Uninstall keys (HKLM 64-bit and 32-bit views, HKCU, loaded HKEY_USERS hives)";
const FROM_LICENSING: &str = "WMI SoftwareLicensingProduct (wmic.exe)";
const FROM_TPM: &str = r"WMI root\cimv2\security\microsofttpm Win32_Tpm (wmic.exe)";

fn source(inv: &mut Inventory, field: &str, from: &str) {
    super::firmware_facts::source(inv, field, from);
}

/// Adds the licence (ProductId, the product key from DigitalProductId) and the installed programs
/// that the .reg importer maps from `keys` to `inv`. `native_arch` is the OS architecture: the
/// programs of the native HKLM view get it.
pub fn apply_registry(inv: &mut Inventory, keys: &RegFile, native_arch: Option<Arch>) {
    let fragment = reg::to_inventory_with(&[keys], native_arch);
    if let Some(from_reg) = fragment.license {
        let license = inv.license.get_or_insert_with(License::default);
        let took = |field: &str, ours: &mut Option<String>, theirs: Option<String>| {
            if ours.is_none() && theirs.is_some() {
                *ours = theirs;
                Some(format!("license.{field}"))
            } else {
                None
            }
        };
        let recorded: Vec<String> = [
            took("product_id", &mut license.product_id, from_reg.product_id),
            took(
                "product_key",
                &mut license.product_key,
                from_reg.product_key,
            ),
            took(
                "partial_key",
                &mut license.partial_key,
                from_reg.partial_key,
            ),
        ]
        .into_iter()
        .flatten()
        .collect();
        for field in recorded {
            source(inv, &field, FROM_CURRENT_VERSION);
        }
    }
    if let Some(edition) = fragment.os.and_then(|o| o.edition) {
        let os = inv.os.get_or_insert_with(Default::default);
        if os.edition.is_none() {
            os.edition = Some(edition);
            source(inv, "os.edition", FROM_CURRENT_VERSION);
        }
    }
    if let Some(programs) = fragment.software {
        inv.software = Some(programs);
        source(inv, "software", FROM_UNINSTALL);
    }
    // Only the importer's notes on what this module took: the OS and CPU are read elsewhere.
    inv.notes.extend(
        fragment
            .notes
            .into_iter()
            .filter(|n| n.starts_with("license")),
    );
}

/// What one `wmic` run gave: its output (any encoding wmic writes), or why there is none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WmicRun {
    Output(Vec<u8>),
    /// wmic.exe could not be started, did not finish in time, or similar.
    Failed(String),
}

/// Adds the licence channel and status (`SoftwareLicensingProduct`, what `slmgr /dli` shows) and
/// the TPM (`Win32_Tpm`) that the wmic importer maps from the two runs. `elevated` says whether
/// w7plan runs as administrator: `Win32_Tpm` answers nobody else.
pub fn apply_wmic(inv: &mut Inventory, licensing: &WmicRun, tpm: &WmicRun, elevated: Option<bool>) {
    let mut outputs = Vec::new();
    for (run, class, what) in [
        (licensing, Class::SoftwareLicensingProduct, "license"),
        (tpm, Class::Tpm, "tpm"),
    ] {
        match run {
            WmicRun::Output(bytes) => {
                let text = crate::facts::import::text::decode(bytes).text;
                outputs.push(wmic::parse_as(&text, Some(class)));
            }
            WmicRun::Failed(why) => inv
                .notes
                .push(format!("{what}: wmic.exe gave no answer ({why})")),
        }
    }
    let fragment = wmic::to_inventory(&outputs, elevated);
    let tpm_known_before = inv.tpm.as_ref().is_some_and(|t| t.version.is_some());
    let tpm_denied = elevated != Some(true) && fragment.tpm.is_none();

    if let Some(from_wmi) = fragment.license {
        let license = inv.license.get_or_insert_with(License::default);
        let mut took = Vec::new();
        for (field, ours, theirs) in [
            ("channel", &mut license.channel, from_wmi.channel),
            (
                "description",
                &mut license.description,
                from_wmi.description,
            ),
            ("status", &mut license.status, from_wmi.status),
            (
                "partial_key",
                &mut license.partial_key,
                from_wmi.partial_key,
            ),
        ] {
            if ours.is_none() && theirs.is_some() {
                *ours = theirs;
                took.push(field);
            }
        }
        for field in took {
            source(inv, &format!("license.{field}"), FROM_LICENSING);
        }
    }
    if let Some(from_wmi) = fragment.tpm {
        let tpm = inv.tpm.get_or_insert_with(Tpm::default);
        let mut took = Vec::new();
        if tpm.present.is_none() && from_wmi.present.is_some() {
            tpm.present = from_wmi.present;
            took.push("present");
        }
        if tpm.version.is_none() && from_wmi.version.is_some() {
            tpm.version = from_wmi.version;
            took.push("version");
        }
        if tpm.enabled.is_none() && from_wmi.enabled.is_some() {
            tpm.enabled = from_wmi.enabled;
            took.push("enabled");
        }
        if tpm.activated.is_none() && from_wmi.activated.is_some() {
            tpm.activated = from_wmi.activated;
            took.push("activated");
        }
        for field in took {
            source(inv, &format!("tpm.{field}"), FROM_TPM);
        }
    }
    // The TPM notes matter only while nothing else read the TPM's version.
    inv.notes.extend(
        fragment
            .notes
            .into_iter()
            .filter(|n| n.starts_with("license") || (n.starts_with("tpm") && !tpm_known_before)),
    );
    if tpm_denied && !tpm_known_before {
        inv.notes.push(
            "tpm: Win32_Tpm answers only an administrator: Run as administrator (right-click \
             w7plan.exe) for whether the TPM is present, enabled and activated"
                .to_string(),
        );
    }
}

#[cfg(windows)]
pub use probe_impl::probe;

#[cfg(windows)]
mod probe_impl {
    use super::super::windows_dynamic::{system_directory, wide};
    use super::*;
    use crate::facts::import::reg::{RegEntry, RegKey, RegValue};
    use std::io::Read;
    use std::process::{Command, Stdio};
    use std::ptr::null_mut;
    use std::time::{Duration, Instant};
    use windows_sys::Win32::Foundation::ERROR_SUCCESS;
    use windows_sys::Win32::System::Registry::{
        RegCloseKey, RegEnumKeyExW, RegEnumValueW, RegOpenKeyExW, RegQueryInfoKeyW, HKEY,
        HKEY_CURRENT_USER, HKEY_LOCAL_MACHINE, HKEY_USERS, KEY_READ, KEY_WOW64_32KEY,
        KEY_WOW64_64KEY, REG_BINARY, REG_DWORD, REG_EXPAND_SZ, REG_MULTI_SZ, REG_QWORD, REG_SZ,
    };

    const CURRENT_VERSION: &str = r"SOFTWARE\Microsoft\Windows NT\CurrentVersion";
    const UNINSTALL: &str = r"Software\Microsoft\Windows\CurrentVersion\Uninstall";
    /// How long one wmic query may take. Its first run after boot can take long while WMI starts.
    const WMIC_TIMEOUT: Duration = Duration::from_secs(90);

    /// Reads the licence, programs, licence channel and TPM into `inv`; `elevated` as the
    /// inventory's source says.
    pub fn probe(inv: &mut Inventory, elevated: Option<bool>) {
        let native_arch = inv.os.as_ref().and_then(|o| o.arch);
        let keys = registry_keys(native_arch);
        apply_registry(inv, &keys, native_arch);
        let licensing = run_wmic(&[
            "path",
            "SoftwareLicensingProduct",
            "where",
            "PartialProductKey is not null",
            "get",
            "Name,Description,ApplicationID,PartialProductKey,LicenseStatus,ProductKeyID",
        ]);
        let tpm = run_wmic(&[
            r"/namespace:\\root\cimv2\security\microsofttpm",
            "path",
            "Win32_Tpm",
            "get",
            "*",
        ]);
        apply_wmic(inv, &licensing, &tpm, elevated);
    }

    /// The keys collect.cmd exports, as a .reg export of them would hold them.
    fn registry_keys(native_arch: Option<Arch>) -> RegFile {
        let mut file = RegFile::default();
        let hklm = "HKEY_LOCAL_MACHINE";
        // The native view of both (KEY_WOW64_64KEY is ignored on 32-bit Windows), so a 32-bit
        // w7plan.exe on 64-bit Windows reads what a 64-bit one would.
        read_tree(
            HKEY_LOCAL_MACHINE,
            CURRENT_VERSION,
            KEY_WOW64_64KEY,
            &format!(r"{hklm}\{CURRENT_VERSION}"),
            0,
            &mut file,
        );
        read_tree(
            HKEY_LOCAL_MACHINE,
            UNINSTALL,
            KEY_WOW64_64KEY,
            &format!(r"{hklm}\{UNINSTALL}"),
            1,
            &mut file,
        );
        if matches!(native_arch, Some(Arch::X64 | Arch::Arm64)) {
            // The 32-bit programs, under the name reg export gives them.
            read_tree(
                HKEY_LOCAL_MACHINE,
                UNINSTALL,
                KEY_WOW64_32KEY,
                &format!(r"{hklm}\Software\Wow6432Node\Microsoft\Windows\CurrentVersion\Uninstall"),
                1,
                &mut file,
            );
        }
        read_tree(
            HKEY_CURRENT_USER,
            UNINSTALL,
            0,
            &format!(r"HKEY_CURRENT_USER\{UNINSTALL}"),
            1,
            &mut file,
        );
        // Other users whose hives are loaded (signed in, or services); HKCU is one of them, and
        // the importer drops the duplicates.
        for sid in subkeys(HKEY_USERS, "", 0) {
            if sid.ends_with("_Classes") {
                continue;
            }
            read_tree(
                HKEY_USERS,
                &format!(r"{sid}\{UNINSTALL}"),
                0,
                &format!(r"HKEY_USERS\{sid}\{UNINSTALL}"),
                1,
                &mut file,
            );
        }
        file
    }

    struct Key(HKEY);

    impl Drop for Key {
        fn drop(&mut self) {
            // SAFETY: the handle came from RegOpenKeyExW and is closed once.
            unsafe { RegCloseKey(self.0) };
        }
    }

    fn open(root: HKEY, path: &str, view: u32) -> Option<Key> {
        let path = wide(path);
        let mut key: HKEY = null_mut();
        // SAFETY: path is NUL-terminated; key receives a handle closed by Key's drop.
        let rc = unsafe { RegOpenKeyExW(root, path.as_ptr(), 0, KEY_READ | view, &mut key) };
        (rc == ERROR_SUCCESS).then_some(Key(key))
    }

    /// The names of a key's subkeys.
    fn subkeys(root: HKEY, path: &str, view: u32) -> Vec<String> {
        let Some(key) = open(root, path, view) else {
            return Vec::new();
        };
        let mut names = Vec::new();
        // Key names are at most 255 characters.
        let mut buf = [0u16; 256];
        for index in 0..100_000u32 {
            let mut len = buf.len() as u32;
            // SAFETY: buf holds len u16s; the optional out-parameters are null.
            let rc = unsafe {
                RegEnumKeyExW(
                    key.0,
                    index,
                    buf.as_mut_ptr(),
                    &mut len,
                    null_mut(),
                    null_mut(),
                    null_mut(),
                    null_mut(),
                )
            };
            if rc != ERROR_SUCCESS {
                break;
            }
            names.push(String::from_utf16_lossy(
                &buf[..(len as usize).min(buf.len())],
            ));
        }
        names
    }

    /// Adds the key at `path` (shown as `shown_as`) with its values, and its subkeys down to
    /// `depth` levels, to `file`.
    fn read_tree(
        root: HKEY,
        path: &str,
        view: u32,
        shown_as: &str,
        depth: usize,
        file: &mut RegFile,
    ) {
        let Some(key) = open(root, path, view) else {
            return;
        };
        file.keys.push(RegKey {
            path: shown_as.to_string(),
            values: values(&key),
        });
        drop(key);
        if depth == 0 {
            return;
        }
        for name in subkeys(root, path, view) {
            read_tree(
                root,
                &format!(r"{path}\{name}"),
                view,
                &format!(r"{shown_as}\{name}"),
                depth - 1,
                file,
            );
        }
    }

    /// Every value of a key.
    fn values(key: &Key) -> Vec<RegEntry> {
        let (mut max_name, mut max_data) = (0u32, 0u32);
        // SAFETY: only the two counts asked for are written; the rest are null.
        let rc = unsafe {
            RegQueryInfoKeyW(
                key.0,
                null_mut(),
                null_mut(),
                null_mut(),
                null_mut(),
                null_mut(),
                null_mut(),
                null_mut(),
                &mut max_name,
                &mut max_data,
                null_mut(),
                null_mut(),
            )
        };
        if rc != ERROR_SUCCESS {
            return Vec::new();
        }
        let mut name = vec![0u16; max_name as usize + 1];
        let mut data = vec![0u8; max_data as usize + 2];
        let mut entries = Vec::new();
        for index in 0..10_000u32 {
            let mut name_len = name.len() as u32;
            let mut data_len = data.len() as u32;
            let mut kind = 0u32;
            // SAFETY: name holds name_len u16s and data data_len bytes, as passed.
            let rc = unsafe {
                RegEnumValueW(
                    key.0,
                    index,
                    name.as_mut_ptr(),
                    &mut name_len,
                    null_mut(),
                    &mut kind,
                    data.as_mut_ptr(),
                    &mut data_len,
                )
            };
            if rc != ERROR_SUCCESS {
                // ERROR_NO_MORE_ITEMS, or a value that grew since RegQueryInfoKeyW: stop there.
                break;
            }
            let bytes = data[..(data_len as usize).min(data.len())].to_vec();
            entries.push(RegEntry {
                name: String::from_utf16_lossy(&name[..(name_len as usize).min(name.len())]),
                value: typed(kind, bytes),
            });
        }
        entries
    }

    fn utf16(bytes: &[u8]) -> String {
        let units: Vec<u16> = bytes
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        String::from_utf16_lossy(&units)
    }

    fn typed(kind: u32, bytes: Vec<u8>) -> RegValue {
        match kind {
            REG_SZ => RegValue::Sz(utf16(&bytes).trim_end_matches('\0').to_string()),
            REG_EXPAND_SZ => RegValue::ExpandSz(utf16(&bytes).trim_end_matches('\0').to_string()),
            REG_MULTI_SZ => RegValue::MultiSz(
                utf16(&bytes)
                    .split('\0')
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect(),
            ),
            REG_DWORD if bytes.len() >= 4 => {
                RegValue::Dword(u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]))
            }
            REG_QWORD if bytes.len() >= 8 => {
                let mut b = [0u8; 8];
                b.copy_from_slice(&bytes[..8]);
                RegValue::Qword(u64::from_le_bytes(b))
            }
            REG_BINARY => RegValue::Binary(bytes),
            other => RegValue::Other { kind: other, bytes },
        }
    }

    /// Runs wmic.exe with `args` and `/format:list`; when this Windows 7 lacks the list format's
    /// XSL file for the user's locale (collect.cmd explains why), again in wmic's table format.
    fn run_wmic(args: &[&str]) -> WmicRun {
        let Some(dir) = system_directory() else {
            return WmicRun::Failed("the system directory is unknown".to_string());
        };
        let exe = format!(r"{dir}\wbem\wmic.exe");
        let mut with_list: Vec<&str> = args.to_vec();
        with_list.push("/format:list");
        match run_bounded(&exe, &with_list) {
            Ok((code, out)) if code == Some(44210) || (code != Some(0) && mentions_xsl(&out)) => {
                match run_bounded(&exe, args) {
                    Ok((_, out)) => WmicRun::Output(out),
                    Err(why) => WmicRun::Failed(why),
                }
            }
            Ok((_, out)) => WmicRun::Output(out),
            Err(why) => WmicRun::Failed(why),
        }
    }

    fn mentions_xsl(out: &[u8]) -> bool {
        crate::facts::import::text::decode(out).text.contains("XSL")
    }

    /// Runs `exe` with stdin closed (wmic waits for input on a pipe otherwise) and stdout and
    /// stderr together, as collect.cmd does; kills it after [`WMIC_TIMEOUT`].
    fn run_bounded(exe: &str, args: &[&str]) -> Result<(Option<i32>, Vec<u8>), String> {
        let mut child = Command::new(exe)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("{exe} did not start: {e}"))?;
        // Read both pipes while waiting, so a full pipe cannot stall the child.
        let mut stdout = child.stdout.take();
        let mut stderr = child.stderr.take();
        let out_reader = std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(s) = stdout.as_mut() {
                let _ = s.take(4 << 20).read_to_end(&mut buf);
            }
            buf
        });
        let err_reader = std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(s) = stderr.as_mut() {
                let _ = s.take(1 << 20).read_to_end(&mut buf);
            }
            buf
        });
        let deadline = Instant::now() + WMIC_TIMEOUT;
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break status,
                Ok(None) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(50))
                }
                Ok(None) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err(format!(
                        "wmic.exe did not finish within {} seconds",
                        WMIC_TIMEOUT.as_secs()
                    ));
                }
                Err(e) => return Err(format!("waiting for wmic.exe failed: {e}")),
            }
        };
        let mut out = out_reader.join().unwrap_or_default();
        let err = err_reader.join().unwrap_or_default();
        // wmic prints its errors ("Access denied", "Invalid namespace") to stderr; the importer
        // reads them from the same text, as from collect.cmd's files.
        if out.is_empty() || !err.is_empty() {
            let text = crate::facts::import::text::decode(&err).text;
            let mut joined = crate::facts::import::text::decode(&out).text;
            joined.push_str(&text);
            out = joined.into_bytes();
        }
        Ok((status.code(), out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::import::reg::{RegEntry, RegKey, RegValue};
    use crate::facts::inventory::{Os, Tpm};

    fn key(path: &str, values: Vec<(&str, RegValue)>) -> RegKey {
        RegKey {
            path: path.to_string(),
            values: values
                .into_iter()
                .map(|(n, v)| RegEntry {
                    name: n.to_string(),
                    value: v,
                })
                .collect(),
        }
    }

    fn blob() -> Vec<u8> {
        let hex = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/productkey/glpi-win8.DigitalProductId.hex"
        ))
        .expect("fixture");
        crate::facts::productkey::hex::parse(&hex).expect("hex fixture")
    }

    fn registry() -> RegFile {
        let u = r"HKEY_LOCAL_MACHINE\Software\Microsoft\Windows\CurrentVersion\Uninstall";
        let w =
            r"HKEY_LOCAL_MACHINE\Software\Wow6432Node\Microsoft\Windows\CurrentVersion\Uninstall";
        let sz = |s: &str| RegValue::Sz(s.to_string());
        RegFile {
            keys: vec![
                key(
                    r"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows NT\CurrentVersion",
                    vec![
                        ("ProductId", sz("00426-OEM-8992662-00006")),
                        ("EditionID", sz("Professional")),
                        ("DigitalProductId", RegValue::Binary(blob())),
                    ],
                ),
                key(u, vec![]),
                key(
                    &format!(r"{u}\App"),
                    vec![("DisplayName", sz("App")), ("UninstallString", sz("x"))],
                ),
                key(
                    &format!(r"{u}\Sys"),
                    vec![
                        ("DisplayName", sz("Sys")),
                        ("UninstallString", sz("x")),
                        ("SystemComponent", RegValue::Dword(1)),
                    ],
                ),
                key(
                    &format!(r"{w}\Old"),
                    vec![("DisplayName", sz("Old")), ("UninstallString", sz("x"))],
                ),
                // The same entry seen through HKCU and HKEY_USERS\<SID> counts once.
                key(
                    r"HKEY_CURRENT_USER\Software\Microsoft\Windows\CurrentVersion\Uninstall\Mine",
                    vec![("DisplayName", sz("Mine")), ("UninstallString", sz("x"))],
                ),
                key(
                    r"HKEY_USERS\S-1-5-21-1\Software\Microsoft\Windows\CurrentVersion\Uninstall\Mine",
                    vec![("DisplayName", sz("Mine")), ("UninstallString", sz("x"))],
                ),
            ],
        }
    }

    #[test]
    fn registry_gives_key_product_id_and_programs_once() {
        let mut inv = Inventory {
            os: Some(Os {
                edition: Some("Professional".to_string()),
                ..Os::default()
            }),
            ..Inventory::default()
        };
        apply_registry(&mut inv, &registry(), Some(Arch::X64));
        let license = inv.license.as_ref().expect("licence");
        assert_eq!(
            license.product_id.as_deref(),
            Some("00426-OEM-8992662-00006")
        );
        assert_eq!(
            license.product_key.as_deref(),
            Some("NK2HF-3VG6G-X3YMF-JFT99-HCBRC")
        );
        assert_eq!(license.partial_key.as_deref(), Some("HCBRC"));
        let programs = inv.software.as_ref().expect("programs");
        let names: Vec<_> = programs.iter().filter_map(|p| p.name.as_deref()).collect();
        assert_eq!(names, ["App", "Mine", "Old"]);
        assert_eq!(programs[0].arch, Some(Arch::X64));
        assert_eq!(programs[2].arch, Some(Arch::X86));
        let sources = inv.sources.as_ref().expect("sources");
        assert_eq!(sources["license.product_key"], FROM_CURRENT_VERSION);
        assert!(sources["software"].contains("Uninstall"));
        // The edition was already read: not taken again, not re-sourced.
        assert!(!sources.contains_key("os.edition"));
    }

    const LICENSING: &str = "\r\n\r\nApplicationID=55c92734-d682-4d71-983e-d6ec3f16059f\r\nDescription=Windows Operating System - Windows(R) 7, OEM_SLP channel\r\nLicenseStatus=1\r\nName=Windows(R) 7, Professional edition\r\nPartialProductKey=HCBRC\r\nProductKeyID=00426-OEM-8992662-00006\r\n\r\n\r\n";

    fn utf16le(text: &str) -> Vec<u8> {
        let mut out = vec![0xFF, 0xFE];
        out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        out
    }

    #[test]
    fn wmic_gives_channel_and_tpm_with_sources() {
        let tpm = "\r\nIsActivated_InitialValue=TRUE\r\nIsEnabled_InitialValue=TRUE\r\nIsOwned_InitialValue=TRUE\r\nManufacturerId=1229346816\r\nSpecVersion=1.2, 2, 3\r\n\r\n";
        let mut inv = Inventory::default();
        apply_wmic(
            &mut inv,
            &WmicRun::Output(utf16le(LICENSING)),
            &WmicRun::Output(utf16le(tpm)),
            Some(true),
        );
        let license = inv.license.as_ref().expect("licence");
        assert_eq!(license.channel.as_deref(), Some("OEM:SLP"));
        assert_eq!(license.partial_key.as_deref(), Some("HCBRC"));
        assert!(license.status.is_some());
        let tpm = inv.tpm.as_ref().expect("tpm");
        assert_eq!(tpm.present, Some(true));
        assert_eq!(tpm.version.as_deref(), Some("1.2"));
        assert_eq!(tpm.activated, Some(true));
        let sources = inv.sources.as_ref().expect("sources");
        assert_eq!(sources["license.channel"], FROM_LICENSING);
        assert_eq!(sources["tpm.version"], FROM_TPM);
    }

    #[test]
    fn wmic_through_a_pipe_is_read_too() {
        // Into a pipe wmic writes the ANSI code page with `\r\r\n` line ends, not UTF-16.
        let piped = LICENSING.replace("\r\n", "\r\r\n");
        let mut inv = Inventory::default();
        apply_wmic(
            &mut inv,
            &WmicRun::Output(piped.into_bytes()),
            &WmicRun::Output(Vec::new()),
            Some(true),
        );
        let license = inv.license.as_ref().expect("licence");
        assert_eq!(license.channel.as_deref(), Some("OEM:SLP"));
        assert!(license
            .description
            .as_deref()
            .is_some_and(|d| d.ends_with("OEM_SLP channel")));
    }

    #[test]
    fn not_elevated_tpm_names_run_as_administrator() {
        let mut inv = Inventory::default();
        apply_wmic(
            &mut inv,
            &WmicRun::Failed("wmic.exe did not finish within 90 seconds".to_string()),
            &WmicRun::Output(b"No Instance(s) Available.\r\n".to_vec()),
            Some(false),
        );
        assert!(inv.tpm.is_none());
        assert!(inv.license.is_none());
        assert!(inv
            .notes
            .iter()
            .any(|n| n.starts_with("tpm:") && n.contains("Run as administrator")));
        assert!(inv
            .notes
            .iter()
            .any(|n| n.starts_with("license:") && n.contains("90 seconds")));
    }

    #[test]
    fn tbs_answer_is_kept_over_wmi() {
        let mut inv = Inventory {
            tpm: Some(Tpm {
                present: Some(true),
                version: Some("2.0".to_string()),
                ..Tpm::default()
            }),
            ..Inventory::default()
        };
        apply_wmic(
            &mut inv,
            &WmicRun::Output(Vec::new()),
            &WmicRun::Output(b"No Instance(s) Available.\r\n".to_vec()),
            Some(false),
        );
        assert_eq!(
            inv.tpm.as_ref().and_then(|t| t.version.as_deref()),
            Some("2.0")
        );
        assert!(!inv.notes.iter().any(|n| n.starts_with("tpm")));
    }
}
