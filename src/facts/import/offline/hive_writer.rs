//! Writes small registry hive files (`regf`) and old-format transaction logs, for tests, fuzz
//! seeds and fixtures: a Windows 7 SOFTWARE, SYSTEM or NTUSER.DAT built from code, so no binary
//! blob from a real machine is ever committed.
//!
//! It writes what [`super::hive`] reads: one hive bin holding every cell, key nodes with their
//! subkey lists in the form asked for (`lh` as Windows 7 writes them, `lf`, `li`, or `ri` over
//! `lh` lists), value lists, values inline, in a cell or as big data. It is not a registry editor:
//! no security descriptors, no free cells, no volatile keys. Test support, not for users; kept in
//! the library so every test suite and the fuzz seeds can share it.

/// One key to write: its name, values and subkeys.
#[derive(Debug, Clone, Default)]
pub struct KeyBuilder {
    name: String,
    values: Vec<(String, u32, Vec<u8>)>,
    subkeys: Vec<KeyBuilder>,
}

/// How subkey lists are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ListKind {
    /// Hash leaves, as Windows XP and later write them.
    #[default]
    Lh,
    /// Fast leaves (name hints).
    Lf,
    /// Index leaves (offsets only).
    Li,
    /// An index root over hash leaves of at most two subkeys each.
    Ri,
}

fn utf16(text: &str) -> Vec<u8> {
    text.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

impl KeyBuilder {
    pub fn new(name: &str) -> KeyBuilder {
        KeyBuilder {
            name: name.to_string(),
            ..KeyBuilder::default()
        }
    }

    /// The key at `path` (`A\B\C`) below this one, created as needed.
    pub fn key(&mut self, path: &str) -> &mut KeyBuilder {
        let mut here = self;
        for name in path.split('\\').filter(|n| !n.is_empty()) {
            let at = match here
                .subkeys
                .iter()
                .position(|k| k.name.eq_ignore_ascii_case(name))
            {
                Some(at) => at,
                None => {
                    here.subkeys.push(KeyBuilder::new(name));
                    here.subkeys.len() - 1
                }
            };
            here = &mut here.subkeys[at];
        }
        here
    }

    /// A value of any type with its raw data; it replaces a value of the same name.
    pub fn raw(&mut self, name: &str, kind: u32, data: Vec<u8>) -> &mut KeyBuilder {
        self.values
            .retain(|(n, _, _)| !n.eq_ignore_ascii_case(name));
        self.values.push((name.to_string(), kind, data));
        self
    }

    /// `REG_SZ`, NUL-terminated as Windows stores it.
    pub fn sz(&mut self, name: &str, text: &str) -> &mut KeyBuilder {
        self.raw(name, 1, utf16(&format!("{text}\0")))
    }

    /// `REG_EXPAND_SZ`.
    pub fn expand_sz(&mut self, name: &str, text: &str) -> &mut KeyBuilder {
        self.raw(name, 2, utf16(&format!("{text}\0")))
    }

    /// `REG_BINARY`.
    pub fn binary(&mut self, name: &str, bytes: &[u8]) -> &mut KeyBuilder {
        self.raw(name, 3, bytes.to_vec())
    }

    /// `REG_DWORD`.
    pub fn dword(&mut self, name: &str, value: u32) -> &mut KeyBuilder {
        self.raw(name, 4, value.to_le_bytes().to_vec())
    }

    /// `REG_MULTI_SZ`.
    pub fn multi_sz(&mut self, name: &str, items: &[&str]) -> &mut KeyBuilder {
        let mut text: String = items.iter().map(|i| format!("{i}\0")).collect();
        text.push('\0');
        self.raw(name, 7, utf16(&text))
    }

    /// `REG_QWORD`.
    pub fn qword(&mut self, name: &str, value: u64) -> &mut KeyBuilder {
        self.raw(name, 11, value.to_le_bytes().to_vec())
    }
}

/// A hive to write.
#[derive(Debug, Clone)]
pub struct HiveWriter {
    pub root: KeyBuilder,
    pub lists: ListKind,
    /// The base block's last-written time (FILETIME).
    pub timestamp: u64,
    pub sequence: u32,
    /// The debugging file name in the base block, e.g. `\SystemRoot\System32\Config\SOFTWARE`.
    pub file_name: String,
}

impl HiveWriter {
    /// An empty hive whose root key has Windows' usual root name.
    pub fn new(file_name: &str) -> HiveWriter {
        HiveWriter {
            root: KeyBuilder::new("CMI-CreateHive{00000000-0000-0000-0000-000000000000}"),
            lists: ListKind::Lh,
            // 2013-05-14T09:30:12Z
            timestamp: 130_129_974_120_000_000,
            sequence: 42,
            file_name: file_name.to_string(),
        }
    }

    /// The key at `path` below the root, created as needed.
    pub fn key(&mut self, path: &str) -> &mut KeyBuilder {
        self.root.key(path)
    }

    /// The hive file's bytes: a base block and one hive bin.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut cells = Cells {
            data: vec![0; 32],
            lists: self.lists,
        };
        let root = cells.key(&self.root, u32::MAX, true);
        let mut bins = cells.data;
        let size = bins.len().div_ceil(4096) * 4096;
        // The rest of the bin is one free cell.
        let rest = size - bins.len();
        if rest >= 8 {
            bins.extend_from_slice(&(rest as u32).to_le_bytes());
        }
        bins.resize(size, 0);
        bins[..4].copy_from_slice(b"hbin");
        bins[8..12].copy_from_slice(&(size as u32).to_le_bytes());
        bins[20..28].copy_from_slice(&self.timestamp.to_le_bytes());

        let mut base = vec![0u8; 4096];
        base[..4].copy_from_slice(b"regf");
        base[4..8].copy_from_slice(&self.sequence.to_le_bytes());
        base[8..12].copy_from_slice(&self.sequence.to_le_bytes());
        base[12..20].copy_from_slice(&self.timestamp.to_le_bytes());
        base[20..24].copy_from_slice(&1u32.to_le_bytes());
        base[24..28].copy_from_slice(&5u32.to_le_bytes());
        base[32..36].copy_from_slice(&1u32.to_le_bytes());
        base[36..40].copy_from_slice(&root.to_le_bytes());
        base[40..44].copy_from_slice(&(size as u32).to_le_bytes());
        base[44..48].copy_from_slice(&1u32.to_le_bytes());
        let name = utf16(&self.file_name);
        let name = &name[..name.len().min(62)];
        base[48..48 + name.len()].copy_from_slice(name);
        seal(&mut base);
        base.extend_from_slice(&bins);
        base
    }
}

/// Recomputes a base block's checksum.
fn seal(base: &mut [u8]) {
    let sum = super::hive::checksum(base).unwrap_or(0);
    base[508..512].copy_from_slice(&sum.to_le_bytes());
}

/// The cells of the one hive bin, as they are allocated.
struct Cells {
    /// From the bin's start (its 32-byte header first).
    data: Vec<u8>,
    lists: ListKind,
}

impl Cells {
    /// Allocates a cell for `content`, 8-byte aligned; returns its offset.
    fn alloc(&mut self, content: &[u8]) -> u32 {
        let offset = self.data.len() as u32;
        let size = (content.len() + 4).div_ceil(8) * 8;
        self.data.extend_from_slice(&(-(size as i32)).to_le_bytes());
        self.data.extend_from_slice(content);
        self.data.resize(offset as usize + size, 0);
        offset
    }

    fn patch(&mut self, offset: u32, at: usize, bytes: &[u8]) {
        let from = offset as usize + 4 + at;
        self.data[from..from + bytes.len()].copy_from_slice(bytes);
    }

    fn key(&mut self, key: &KeyBuilder, parent: u32, root: bool) -> u32 {
        let ascii = key.name.chars().all(|c| (c as u32) < 0x80);
        let name = if ascii {
            key.name.as_bytes().to_vec()
        } else {
            utf16(&key.name)
        };
        let mut nk = vec![0u8; 76];
        nk[..2].copy_from_slice(b"nk");
        let flags: u16 = if ascii { 0x20 } else { 0 } | if root { 0x0C } else { 0 };
        nk[2..4].copy_from_slice(&flags.to_le_bytes());
        nk[16..20].copy_from_slice(&parent.to_le_bytes());
        for field in [28, 32, 40, 44, 48] {
            nk[field..field + 4].copy_from_slice(&u32::MAX.to_le_bytes());
        }
        nk[72..74].copy_from_slice(&(name.len() as u16).to_le_bytes());
        nk.extend_from_slice(&name);
        let at = self.alloc(&nk);

        let values: Vec<u32> = key.values.iter().map(|v| self.value(v)).collect();
        if !values.is_empty() {
            let list: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
            let list = self.alloc(&list);
            self.patch(at, 36, &(values.len() as u32).to_le_bytes());
            self.patch(at, 40, &list.to_le_bytes());
        }

        let mut children: Vec<&KeyBuilder> = key.subkeys.iter().collect();
        children.sort_by_key(|k| k.name.to_uppercase());
        let offsets: Vec<(u32, &str)> = children
            .iter()
            .map(|child| (self.key(child, at, false), child.name.as_str()))
            .collect();
        if !offsets.is_empty() {
            let list = match self.lists {
                ListKind::Ri => {
                    let leaves: Vec<u32> = offsets
                        .chunks(2)
                        .map(|chunk| self.leaf(ListKind::Lh, chunk))
                        .collect();
                    let mut ri = b"ri".to_vec();
                    ri.extend_from_slice(&(leaves.len() as u16).to_le_bytes());
                    ri.extend(leaves.iter().flat_map(|l| l.to_le_bytes()));
                    self.alloc(&ri)
                }
                kind => self.leaf(kind, &offsets),
            };
            self.patch(at, 20, &(offsets.len() as u32).to_le_bytes());
            self.patch(at, 28, &list.to_le_bytes());
        }
        at
    }

    fn leaf(&mut self, kind: ListKind, keys: &[(u32, &str)]) -> u32 {
        let mut leaf = match kind {
            ListKind::Lf => b"lf".to_vec(),
            ListKind::Li => b"li".to_vec(),
            _ => b"lh".to_vec(),
        };
        leaf.extend_from_slice(&(keys.len() as u16).to_le_bytes());
        for (offset, name) in keys {
            leaf.extend_from_slice(&offset.to_le_bytes());
            match kind {
                ListKind::Li => {}
                ListKind::Lf => {
                    let mut hint = [0u8; 4];
                    for (slot, b) in hint.iter_mut().zip(name.bytes()) {
                        *slot = b;
                    }
                    leaf.extend_from_slice(&hint);
                }
                _ => {
                    let hash = name
                        .to_uppercase()
                        .encode_utf16()
                        .fold(0u32, |h, c| h.wrapping_mul(37).wrapping_add(u32::from(c)));
                    leaf.extend_from_slice(&hash.to_le_bytes());
                }
            }
        }
        self.alloc(&leaf)
    }

    fn value(&mut self, (name, kind, data): &(String, u32, Vec<u8>)) -> u32 {
        let ascii = name.chars().all(|c| (c as u32) < 0x80);
        let name_bytes = if ascii {
            name.as_bytes().to_vec()
        } else {
            utf16(name)
        };
        let (size, offset) = if data.len() <= 4 {
            let mut inline = [0u8; 4];
            inline[..data.len()].copy_from_slice(data);
            (data.len() as u32 | 0x8000_0000, u32::from_le_bytes(inline))
        } else if data.len() > 16344 {
            let segments: Vec<u32> = data.chunks(16344).map(|c| self.alloc(c)).collect();
            let list: Vec<u8> = segments.iter().flat_map(|s| s.to_le_bytes()).collect();
            let list = self.alloc(&list);
            let mut db = b"db".to_vec();
            db.extend_from_slice(&(segments.len() as u16).to_le_bytes());
            db.extend_from_slice(&list.to_le_bytes());
            (data.len() as u32, self.alloc(&db))
        } else {
            (data.len() as u32, self.alloc(data))
        };
        let mut vk = b"vk".to_vec();
        vk.extend_from_slice(&(name_bytes.len() as u16).to_le_bytes());
        vk.extend_from_slice(&size.to_le_bytes());
        vk.extend_from_slice(&offset.to_le_bytes());
        vk.extend_from_slice(&kind.to_le_bytes());
        vk.extend_from_slice(&u16::from(ascii).to_le_bytes());
        vk.extend_from_slice(&[0, 0]);
        vk.extend_from_slice(&name_bytes);
        self.alloc(&vk)
    }
}

/// A hive left dirty and the old-format log that brings it to `new`: the primary file is `old`
/// with its sequence numbers left apart, as a write cut short leaves them; the log holds `new`'s
/// base block and each 4096-byte block of hive bins where `new` differs from `old`. Both must
/// come from writers with the same timestamp.
pub fn dirty_with_log(old: &[u8], new: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let mut primary = old.to_vec();
    let sequence = u32::from_le_bytes([old[8], old[9], old[10], old[11]]);
    primary[4..8].copy_from_slice(&(sequence + 1).to_le_bytes());
    seal(&mut primary[..4096]);

    let mut log = new[..512].to_vec();
    log[4..8].copy_from_slice(&(sequence + 1).to_le_bytes());
    log[8..12].copy_from_slice(&(sequence + 1).to_le_bytes());
    log[28..32].copy_from_slice(&1u32.to_le_bytes());
    seal(&mut log);
    let bins = &new[4096..];
    let blocks = bins.len() / 4096;
    let mut bitmap = vec![0u8; blocks];
    let mut pages = Vec::new();
    for (block, byte) in bitmap.iter_mut().enumerate() {
        let range = 4096 + block * 4096..4096 + (block + 1) * 4096;
        if old.get(range.clone()) != new.get(range.clone()) {
            *byte = 0xFF;
            pages.extend_from_slice(&new[range]);
        }
    }
    log.extend_from_slice(b"DIRT");
    log.extend_from_slice(&bitmap);
    log.resize(log.len().div_ceil(512) * 512, 0);
    log.extend_from_slice(&pages);
    (primary, log)
}

/// A hive left dirty with no log: `bytes` with its primary sequence number one ahead.
pub fn dirty(bytes: &[u8]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    let sequence = u32::from_le_bytes([out[8], out[9], out[10], out[11]]);
    out[4..8].copy_from_slice(&(sequence + 1).to_le_bytes());
    seal(&mut out[..4096]);
    out
}

/// The 15 bytes a product key is stored as (a number in base 24, first symbol most
/// significant), for building `DigitalProductId` values. Keys with Windows 8's `N` are not
/// written.
pub fn encode_key(key: &str) -> [u8; 15] {
    let mut number = [0u8; 15];
    for symbol in key.bytes().filter(|b| *b != b'-') {
        let digit = crate::facts::productkey::ALPHABET
            .iter()
            .position(|a| *a == symbol.to_ascii_uppercase())
            .expect("a product key symbol") as u32;
        let mut carry = digit;
        for byte in number.iter_mut() {
            let value = u32::from(*byte) * 24 + carry;
            *byte = value as u8;
            carry = value >> 8;
        }
    }
    number
}

/// A 164-byte `DigitalProductId` holding `product_id` and `key`, as Windows 7 stores it.
pub fn digital_product_id(product_id: &str, key: &str) -> Vec<u8> {
    let mut blob = vec![0u8; 164];
    blob[..4].copy_from_slice(&164u32.to_le_bytes());
    blob[4..6].copy_from_slice(&3u16.to_le_bytes());
    blob[8..8 + product_id.len()].copy_from_slice(product_id.as_bytes());
    blob[52..67].copy_from_slice(&encode_key(key));
    blob
}

/// The product key in the sample installation: made up, in the form of a Windows 7 key.
pub const SAMPLE_KEY: &str = "BCDFG-HJKMP-QRTVW-XY234-6789B";

/// The SOFTWARE hive of the sample Windows 7 Professional x64 installation (`sp1`: with
/// Service Pack 1, build 7601; without, 7600).
pub fn windows7_software(sp1: bool) -> HiveWriter {
    let mut w = HiveWriter::new(r"\SystemRoot\System32\Config\SOFTWARE");
    let cv = w.key(r"Microsoft\Windows NT\CurrentVersion");
    cv.sz("ProductName", "Windows 7 Professional")
        .sz("EditionID", "Professional")
        .sz("CurrentVersion", "6.1")
        .sz("CurrentBuildNumber", if sp1 { "7601" } else { "7600" })
        .sz("CurrentBuild", if sp1 { "7601" } else { "7600" })
        .dword("InstallDate", 1_368_523_812)
        .sz("RegisteredOwner", "Jane Example")
        .sz("ProductId", "00371-OEM-8992671-00008")
        .sz("SystemRoot", r"C:\Windows")
        .binary(
            "DigitalProductId",
            &digital_product_id("00371-OEM-8992671-00008", SAMPLE_KEY),
        );
    if sp1 {
        cv.sz("CSDVersion", "Service Pack 1");
    }
    let uninstall = r"Microsoft\Windows\CurrentVersion\Uninstall";
    w.key(&format!(r"{uninstall}\7-Zip"))
        .sz("DisplayName", "7-Zip 9.20 (x64 edition)")
        .sz("DisplayVersion", "9.20.00.0")
        .sz("Publisher", "Igor Pavlov")
        .sz("InstallDate", "20130601")
        .dword("WindowsInstaller", 1);
    w.key(&format!(r"{uninstall}\Microsoft Security Client"))
        .sz("DisplayName", "Microsoft Security Essentials")
        .sz("DisplayVersion", "4.10.209.0")
        .sz("Publisher", "Microsoft Corporation")
        .sz(
            "UninstallString",
            r"C:\Program Files\Microsoft Security Client\Setup.exe /x",
        );
    w.key(&format!(r"{uninstall}\KB2534111"))
        .sz("DisplayName", "Hotfix for Microsoft Windows (KB2534111)")
        .sz("UninstallString", "x");
    w.key(&format!(r"{uninstall}\Hidden"))
        .sz("DisplayName", "A system component")
        .sz("UninstallString", "x")
        .dword("SystemComponent", 1);
    w.key(&format!(r"Wow6432Node\{uninstall}\Example Accounting 2012"))
        .sz("DisplayName", "Example Accounting 2012")
        .sz("DisplayVersion", "12.0.3")
        .sz("Publisher", "Example Software Ltd")
        .sz(
            "UninstallString",
            r"C:\Program Files (x86)\Example\uninst.exe",
        );
    w
}

/// The SYSTEM hive of the sample installation: control set 1 is current (set 2 holds an older
/// computer name), an Ivy Bridge processor, a Dell desktop and its Intel graphics.
pub fn windows7_system() -> HiveWriter {
    let mut w = HiveWriter::new(r"\SystemRoot\System32\Config\SYSTEM");
    w.key("Select")
        .dword("Current", 1)
        .dword("Default", 1)
        .dword("LastKnownGood", 2);
    w.key(r"ControlSet002\Control\ComputerName\ComputerName")
        .sz("ComputerName", "OLD-NAME");
    let set = r"ControlSet001";
    w.key(&format!(r"{set}\Control\ComputerName\ComputerName"))
        .sz("ComputerName", "PC-OFFICE-07");
    w.key(&format!(r"{set}\Control\Session Manager\Environment"))
        .sz("PROCESSOR_ARCHITECTURE", "AMD64")
        .sz(
            "PROCESSOR_IDENTIFIER",
            "Intel64 Family 6 Model 58 Stepping 9, GenuineIntel",
        )
        .sz("NUMBER_OF_PROCESSORS", "4")
        .expand_sz("Path", r"%SystemRoot%\system32");
    w.key(&format!(r"{set}\Control\SystemInformation"))
        .sz("SystemManufacturer", "Dell Inc.")
        .sz("SystemProductName", "OptiPlex 7010")
        .sz("BIOSVersion", "A12")
        .sz("BIOSReleaseDate", "05/14/2013");
    let display = "{4d36e968-e325-11ce-bfc1-08002be10318}";
    w.key(&format!(
        r"{set}\Enum\PCI\VEN_8086&DEV_0162&SUBSYS_05771028&REV_09\3&11583659&0&10"
    ))
    .sz("ClassGUID", display)
    .sz("Class", "Display")
    .sz(
        "DeviceDesc",
        "@oem1.inf,%iivbgd0%;Intel(R) HD Graphics 4000",
    )
    .sz("Driver", &format!(r"{display}\0000"));
    w.key(&format!(
        r"{set}\Enum\PCI\VEN_8086&DEV_1502&SUBSYS_05771028&REV_04\3&11583659&0&C8"
    ))
    .sz("ClassGUID", "{4d36e972-e325-11ce-bfc1-08002be10318}")
    .sz("Class", "Net");
    w.key(&format!(r"{set}\Control\Class\{display}\0000"))
        .sz("DriverVersion", "9.17.10.4459")
        .sz("DriverDate", "5-12-2016");
    w
}

/// A user's NTUSER.DAT with one per-user program.
pub fn windows7_user() -> HiveWriter {
    let mut w = HiveWriter::new(r"\??\C:\Users\jane\ntuser.dat");
    w.key(r"Control Panel\Desktop").sz("Wallpaper", "");
    w.key("Environment")
        .expand_sz("TEMP", r"%USERPROFILE%\AppData\Local\Temp");
    w.key(r"Software\Microsoft\Windows\CurrentVersion\Uninstall\ExampleSync")
        .sz("DisplayName", "Example Sync")
        .sz("DisplayVersion", "3.1")
        .sz("Publisher", "Example Cloud Inc.")
        .sz(
            "UninstallString",
            r"C:\Users\jane\AppData\Local\ExampleSync\uninstall.exe",
        );
    w
}

/// A Windows 7 BCD store as `bcdboot` writes it for `mode`: the boot manager (its own path on
/// UEFI only, as `\EFI\Microsoft\Boot\bootmgfw.efi`) whose default is one Windows Boot Loader
/// with `winload.efi` or `winload.exe`.
pub fn windows7_bcd(mode: crate::facts::inventory::BootMode) -> HiveWriter {
    use crate::facts::inventory::BootMode;
    let bootmgr = r"Objects\{9dea862c-5cdd-4e70-acc1-f32b344d4795}";
    let loader = r"Objects\{5a8f5a1c-1b4e-11e1-9a5e-e1d3ab5e3c61}";
    let mut w = HiveWriter::new(r"\Device\HarddiskVolume1\Boot\BCD");
    w.key("Description").sz("KeyName", "BCD00000000");
    w.key(&format!(r"{bootmgr}\Description"))
        .dword("Type", 0x1010_0002);
    w.key(&format!(r"{bootmgr}\Elements\12000004"))
        .sz("Element", "Windows Boot Manager");
    w.key(&format!(r"{bootmgr}\Elements\23000003"))
        .sz("Element", "{5a8f5a1c-1b4e-11e1-9a5e-e1d3ab5e3c61}");
    if mode == BootMode::Uefi {
        w.key(&format!(r"{bootmgr}\Elements\12000002"))
            .sz("Element", r"\EFI\Microsoft\Boot\bootmgfw.efi");
    }
    w.key(&format!(r"{loader}\Description"))
        .dword("Type", 0x1020_0003);
    w.key(&format!(r"{loader}\Elements\12000004"))
        .sz("Element", "Windows 7");
    w.key(&format!(r"{loader}\Elements\22000002"))
        .sz("Element", r"\Windows");
    w.key(&format!(r"{loader}\Elements\12000002")).sz(
        "Element",
        match mode {
            BootMode::Uefi => r"\Windows\system32\winload.efi",
            BootMode::Bios => r"\Windows\system32\winload.exe",
        },
    );
    w
}

/// The files of the sample Windows 7 volume, by path from its root (`/`-separated, in the
/// letter case Windows 7 uses), for a folder or a disk image to hold.
pub fn windows7_files() -> Vec<(String, Vec<u8>)> {
    vec![
        (
            "Windows/System32/config/SOFTWARE".into(),
            windows7_software(true).to_bytes(),
        ),
        (
            "Windows/System32/config/SYSTEM".into(),
            windows7_system().to_bytes(),
        ),
        ("Users/jane/NTUSER.DAT".into(), windows7_user().to_bytes()),
        (
            "Users/Default/NTUSER.DAT".into(),
            windows7_user().to_bytes(),
        ),
        (
            "Users/Public/desktop.ini".into(),
            b"[.ShellClassInfo]\r\n".to_vec(),
        ),
    ]
}

/// Writes `files` below `root`, creating folders.
pub fn write_tree(root: &std::path::Path, files: &[(String, Vec<u8>)]) -> std::io::Result<()> {
    for (path, bytes) in files {
        let full = root.join(path);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(full, bytes)?;
    }
    Ok(())
}

/// A volume held in memory, for tests of anything that reads a [`super::VolumeFiles`]: the same
/// files as a folder or a disk image would hold, by `/`-separated path, matched ignoring case.
#[derive(Debug, Clone, Default)]
pub struct MemoryVolume {
    pub files: Vec<(String, Vec<u8>)>,
    pub size: Option<u64>,
    pub name: String,
}

impl MemoryVolume {
    pub fn new(name: &str, files: Vec<(String, Vec<u8>)>, size: Option<u64>) -> MemoryVolume {
        MemoryVolume {
            files,
            size,
            name: name.to_string(),
        }
    }

    fn segments(path: &str) -> Vec<String> {
        path.split('/').map(str::to_uppercase).collect()
    }
}

impl super::VolumeFiles for MemoryVolume {
    fn read(&mut self, path: &[&str], limit: u64) -> crate::Result<Option<Vec<u8>>> {
        let wanted: Vec<String> = path.iter().map(|s| s.to_uppercase()).collect();
        match self.files.iter().find(|(p, _)| Self::segments(p) == wanted) {
            Some((p, bytes)) if bytes.len() as u64 > limit => Err(crate::Error::TooLarge {
                origin: crate::error::Origin(p.clone()),
                limit_mib: limit >> 20,
                kind: "a registry hive",
            }),
            Some((_, bytes)) => Ok(Some(bytes.clone())),
            None => Ok(None),
        }
    }

    fn list(&mut self, path: &[&str]) -> crate::Result<Option<Vec<String>>> {
        let wanted: Vec<String> = path.iter().map(|s| s.to_uppercase()).collect();
        let mut names: Vec<String> = self
            .files
            .iter()
            .filter_map(|(p, _)| {
                let segments = Self::segments(p);
                let original: Vec<&str> = p.split('/').collect();
                (segments.len() > wanted.len() && segments[..wanted.len()] == wanted[..])
                    .then(|| original[wanted.len()].to_string())
            })
            .collect();
        names.sort();
        names.dedup();
        Ok((!names.is_empty()).then_some(names))
    }

    fn describe(&self) -> String {
        self.name.clone()
    }

    fn volume_size(&self) -> Option<u64> {
        self.size
    }
}
