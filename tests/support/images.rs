//! Builds disk-image fixtures at test time from Debian's tools: NTFS volumes with `mkntfs` and
//! ntfs-3g (FUSE, to create folders: `ntfscp` cannot), FAT volumes (an EFI system partition) with
//! `mkfs.vfat` and mtools (`mmd`/`mcopy` write into the image, no mount), partition tables with
//! `sfdisk`/`sgdisk`, VM disks with `qemu-img convert`. No binary blobs are committed.
//!
//! [`disk_tools`] says whether the tools are there; without them a test skips, unless
//! `W7PLAN_REQUIRE_DISK_TOOLS=1` (CI installs them and sets it), when it fails.
//! Install: `apt-get install -y ntfs-3g dosfstools mtools qemu-utils fdisk gdisk`.

use std::fs::{self, File, OpenOptions};
use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const MIB: u64 = 1 << 20;

/// The tools each fixture needs, with the package that has them.
const TOOLS: &[(&str, &str)] = &[
    ("mkntfs", "ntfs-3g"),
    ("ntfs-3g", "ntfs-3g"),
    ("mkfs.vfat", "dosfstools"),
    ("mcopy", "mtools"),
    ("qemu-img", "qemu-utils"),
    ("sfdisk", "fdisk"),
    ("sgdisk", "gdisk"),
];

fn on_path(tool: &str) -> bool {
    let dirs = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&dirs)
        .chain(["/sbin".into(), "/usr/sbin".into()])
        .any(|d| d.join(tool).is_file())
}

/// Whether the image tools (and FUSE) are here. When not: panics if
/// `W7PLAN_REQUIRE_DISK_TOOLS=1`, otherwise prints a SKIP line and returns false.
pub fn disk_tools() -> bool {
    let mut missing: Vec<String> = TOOLS
        .iter()
        .filter(|(t, _)| !on_path(t))
        .map(|(t, p)| format!("{t} (package {p})"))
        .collect();
    if !Path::new("/dev/fuse").exists() {
        missing.push("/dev/fuse (ntfs-3g mounts images to create folders)".into());
    }
    if missing.is_empty() {
        return true;
    }
    let required = std::env::var_os("W7PLAN_REQUIRE_DISK_TOOLS").is_some_and(|v| v == "1");
    assert!(
        !required,
        "W7PLAN_REQUIRE_DISK_TOOLS=1 but missing: {}",
        missing.join(", ")
    );
    eprintln!("SKIP: disk image tools missing: {}", missing.join(", "));
    false
}

fn run(cmd: &mut Command) {
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn tool(name: &str) -> Command {
    let path = ["/usr/sbin", "/sbin", "/usr/bin", "/bin"]
        .iter()
        .map(|d| Path::new(d).join(name))
        .find(|p| p.is_file())
        .unwrap_or_else(|| PathBuf::from(name));
    Command::new(path)
}

/// A file to put on a volume: its path from the volume root with `/`, and its bytes.
#[derive(Clone)]
pub struct Entry {
    pub path: String,
    pub bytes: Vec<u8>,
    /// Store it NTFS-compressed (its folder gets the compressed attribute first).
    pub compressed: bool,
}

pub fn entry(path: &str, bytes: &[u8]) -> Entry {
    Entry {
        path: path.into(),
        bytes: bytes.to_vec(),
        compressed: false,
    }
}

/// Distinct, recognisable bytes: `label`, then a pattern, `len` bytes in all.
pub fn pattern(label: &str, len: usize) -> Vec<u8> {
    let mut b = label.as_bytes().to_vec();
    let mut x = 0x9E37_79B9u32 ^ label.len() as u32;
    while b.len() < len {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        b.push(x as u8);
    }
    b.truncate(len);
    b
}

/// The files of a small Windows 7 volume. The hives are stand-ins (bytes, not hives): this
/// layer reads files; hive parsing is tested on its own. SOFTWARE spans many clusters.
pub fn windows_files() -> Vec<Entry> {
    vec![
        entry(
            "Windows/System32/config/SOFTWARE",
            &pattern("regf SOFTWARE", 300_000),
        ),
        entry(
            "Windows/System32/config/SYSTEM",
            &pattern("regf SYSTEM", 70_000),
        ),
        entry(
            "Users/Alice/NTUSER.DAT",
            &pattern("regf NTUSER Alice", 40_000),
        ),
        entry("Users/Bob/NTUSER.DAT", &pattern("regf NTUSER Bob", 500)),
    ]
}

/// The files of Windows 7's "System Reserved" partition (boot files, no Windows folder).
pub fn system_reserved_files() -> Vec<Entry> {
    vec![entry("Boot/BCD", &pattern("regf BCD", 20_000))]
}

/// A FUSE mount of an NTFS image by ntfs-3g, unmounted (and the daemon awaited, so every write
/// reached the image) on drop.
struct Mount {
    dir: PathBuf,
    daemon: Option<Child>,
}

impl Mount {
    fn new(image: &Path, dir: &Path) -> Mount {
        fs::create_dir_all(dir).unwrap();
        let daemon = tool("ntfs-3g")
            .arg("-o")
            .arg("compression,no_detach")
            .arg(image)
            .arg(dir)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("cannot start ntfs-3g");
        let mut mount = Mount {
            dir: dir.to_path_buf(),
            daemon: Some(daemon),
        };
        let start = Instant::now();
        while !mount.mounted() {
            if let Some(status) = mount.daemon.as_mut().unwrap().try_wait().unwrap() {
                panic!("ntfs-3g could not mount {}: {status}", image.display());
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "ntfs-3g mount timed out"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        mount
    }

    fn mounted(&self) -> bool {
        let dir = fs::canonicalize(&self.dir).unwrap();
        fs::read_to_string("/proc/self/mounts")
            .unwrap_or_default()
            .lines()
            .any(|l| l.split(' ').nth(1) == Some(dir.to_str().unwrap()))
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.dir).status();
        if let Some(mut d) = self.daemon.take() {
            let start = Instant::now();
            while d.try_wait().ok().flatten().is_none() {
                if start.elapsed() > Duration::from_secs(20) {
                    let _ = d.kill();
                    let _ = d.wait();
                    break;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        }
    }
}

/// Gives a folder on an ntfs-3g mount the NTFS compressed attribute: files made in it are
/// stored compressed.
fn set_compressed(dir: &Path) {
    const DIRECTORY: u32 = 0x10;
    const COMPRESSED: u32 = 0x800;
    rustix::fs::setxattr(
        dir,
        "system.ntfs_attrib_be",
        &(DIRECTORY | COMPRESSED).to_be_bytes(),
        rustix::fs::XattrFlags::empty(),
    )
    .unwrap_or_else(|e| panic!("cannot mark {} compressed: {e}", dir.display()));
}

/// An NTFS volume image of `size` bytes (sparse) at `path`, holding `files`.
pub fn ntfs_volume(path: &Path, size: u64, files: &[Entry]) -> PathBuf {
    File::create(path).unwrap().set_len(size).unwrap();
    run(tool("mkntfs")
        .args(["-F", "-f", "-Q", "-q", "-L", "W7PLAN"])
        .arg(path));
    let mnt = path.with_extension("mnt");
    {
        let _mount = Mount::new(path, &mnt);
        for f in files {
            let target = mnt.join(&f.path);
            let parent = target.parent().unwrap();
            fs::create_dir_all(parent).unwrap();
            if f.compressed {
                set_compressed(parent);
            }
            fs::write(&target, &f.bytes).unwrap();
        }
    }
    let _ = fs::remove_dir(&mnt);
    path.to_path_buf()
}

/// A FAT volume image of `size` bytes at `path` holding `files`: FAT32 (as Windows formats an
/// EFI system partition) from 34 MiB, below that the FAT mkfs.vfat picks (FAT12 or FAT16). Folders are made with `mmd`, files copied in
/// with `mcopy`.
pub fn fat_volume(path: &Path, size: u64, files: &[Entry]) -> PathBuf {
    File::create(path).unwrap().set_len(size).unwrap();
    let mut mkfs = tool("mkfs.vfat");
    if size >= 34 * MIB {
        mkfs.args(["-F", "32"]);
    }
    run(mkfs.args(["-n", "ESP"]).arg(path).stdout(Stdio::null()));
    let image = path.to_str().unwrap();
    let mut made = std::collections::BTreeSet::new();
    for f in files {
        let parts: Vec<&str> = f.path.split('/').collect();
        for depth in 1..parts.len() {
            let dir = format!("::/{}", parts[..depth].join("/"));
            if made.insert(dir.clone()) {
                run(tool("mmd")
                    .args(["-i", image, &dir])
                    .env("MTOOLS_SKIP_CHECK", "1"));
            }
        }
        let local = path.with_extension("part");
        fs::write(&local, &f.bytes).unwrap();
        run(tool("mcopy")
            .args(["-o", "-i", image])
            .arg(&local)
            .arg(format!("::/{}", f.path))
            .env("MTOOLS_SKIP_CHECK", "1"));
        fs::remove_file(&local).unwrap();
    }
    path.to_path_buf()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    Mbr,
    Gpt,
}

/// A raw disk image at `path` holding `volumes` (volume images) as partitions, each starting on
/// a MiB boundary. GPT disks get an (unformatted) EFI system partition first, as Windows lays
/// them out; the volumes then are partitions 2, 3, ….
pub fn raw_disk(path: &Path, table: Table, volumes: &[&Path]) -> PathBuf {
    disk_with_esp(path, table, None, volumes)
}

/// [`raw_disk`] with `esp` (a volume image, e.g. [`fat_volume`]) as the GPT disk's EFI system
/// partition instead of an unformatted one.
pub fn gpt_disk_with_esp(path: &Path, esp: &Path, volumes: &[&Path]) -> PathBuf {
    disk_with_esp(path, Table::Gpt, Some(esp), volumes)
}

fn disk_with_esp(
    path: &Path,
    table: Table,
    esp_image: Option<&Path>,
    volumes: &[&Path],
) -> PathBuf {
    let sizes: Vec<u64> = volumes
        .iter()
        .map(|v| fs::metadata(v).unwrap().len().div_ceil(MIB) * MIB)
        .collect();
    let esp = match (table, esp_image) {
        (Table::Mbr, _) => 0,
        (Table::Gpt, None) => MIB,
        (Table::Gpt, Some(image)) => fs::metadata(image).unwrap().len().div_ceil(MIB) * MIB,
    };
    let total = MIB + esp + sizes.iter().sum::<u64>() + MIB;
    File::create(path).unwrap().set_len(total).unwrap();
    let mut starts = Vec::new();
    let mut at = MIB + esp;
    for s in &sizes {
        starts.push(at);
        at += s;
    }
    match table {
        Table::Mbr => {
            let mut script = String::from("label: dos\n");
            for (start, size) in starts.iter().zip(&sizes) {
                script.push_str(&format!(
                    "start={}, size={}, type=7\n",
                    start / 512,
                    size / 512
                ));
            }
            let mut child = tool("sfdisk")
                .arg("-q")
                .arg(path)
                .stdin(Stdio::piped())
                .stdout(Stdio::null())
                .spawn()
                .unwrap();
            child
                .stdin
                .take()
                .unwrap()
                .write_all(script.as_bytes())
                .unwrap();
            assert!(child.wait().unwrap().success(), "sfdisk failed");
        }
        Table::Gpt => {
            let mut cmd = tool("sgdisk");
            cmd.arg("-n")
                .arg(format!("1:{}:+{}K", MIB / 512, esp / 1024))
                .args(["-t", "1:EF00", "-c", "1:EFI system partition"]);
            for (i, (start, size)) in starts.iter().zip(&sizes).enumerate() {
                let n = i + 2;
                cmd.arg("-n")
                    .arg(format!("{n}:{}:+{}K", start / 512, size / 1024))
                    .arg("-t")
                    .arg(format!("{n}:0700"))
                    .arg("-c")
                    .arg(format!("{n}:Basic data partition"));
            }
            run(cmd.arg(path));
        }
    }
    let mut disk = OpenOptions::new().write(true).open(path).unwrap();
    if let Some(image) = esp_image {
        disk.seek(SeekFrom::Start(MIB)).unwrap();
        std::io::copy(&mut File::open(image).unwrap(), &mut disk).unwrap();
    }
    for (v, start) in volumes.iter().zip(&starts) {
        disk.seek(SeekFrom::Start(*start)).unwrap();
        std::io::copy(&mut File::open(v).unwrap(), &mut disk).unwrap();
    }
    path.to_path_buf()
}

/// The VM disk formats `qemu-img` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VmFormat {
    VhdFixed,
    VhdDynamic,
    Vhdx,
    VmdkSparse,
    /// A descriptor `NAME.vmdk` and the raw extent `NAME-flat.vmdk` beside it.
    VmdkFlat,
}

pub const VM_FORMATS: [VmFormat; 5] = [
    VmFormat::VhdFixed,
    VmFormat::VhdDynamic,
    VmFormat::Vhdx,
    VmFormat::VmdkSparse,
    VmFormat::VmdkFlat,
];

/// Converts a raw disk image into `format`, at `path` (for VMDK flat: the descriptor).
pub fn convert(raw: &Path, format: VmFormat, path: &Path) -> PathBuf {
    let (fmt, opts) = match format {
        VmFormat::VhdFixed => ("vpc", "subformat=fixed,force_size=on"),
        VmFormat::VhdDynamic => ("vpc", "subformat=dynamic,force_size=on"),
        VmFormat::Vhdx => ("vhdx", "subformat=dynamic"),
        VmFormat::VmdkSparse => ("vmdk", "subformat=monolithicSparse"),
        VmFormat::VmdkFlat => ("vmdk", "subformat=monolithicFlat"),
    };
    run(tool("qemu-img")
        .args(["convert", "-q", "-f", "raw", "-O", fmt, "-o", opts])
        .arg(raw)
        .arg(path));
    path.to_path_buf()
}

/// A 40 GiB VHDX (sparse: a few MB on disk) with an MBR and one NTFS partition over the whole
/// disk holding `files`: the laziness check's image. Built without writing the 40 GiB: the
/// volume is formatted in a sparse file and copied in by `qemu-img`, which skips its holes.
pub fn big_vhdx(dir: &Path, files: &[Entry]) -> PathBuf {
    let disk_size: u64 = 40 << 30;
    let part_start = MIB;
    let part_size = disk_size - 2 * MIB;
    let volume = ntfs_volume(&dir.join("big-volume.img"), part_size, files);
    let vhdx = dir.join("big.vhdx");
    run(tool("qemu-img")
        .args(["create", "-q", "-f", "vhdx"])
        .arg(&vhdx)
        .arg(disk_size.to_string()));
    let mbr = dir.join("big-mbr.img");
    let mut mbr_sector = vec![0u8; MIB as usize];
    let e = &mut mbr_sector[446..462];
    e[4] = 0x07;
    e[8..12].copy_from_slice(&((part_start / 512) as u32).to_le_bytes());
    e[12..16].copy_from_slice(&((part_size / 512) as u32).to_le_bytes());
    mbr_sector[510] = 0x55;
    mbr_sector[511] = 0xAA;
    fs::write(&mbr, &mbr_sector).unwrap();
    for (src, offset, size) in [(&mbr, 0, MIB), (&volume, part_start, part_size)] {
        run(tool("qemu-img")
            .args(["convert", "-q", "-n", "--target-is-zero", "-f", "raw"])
            .arg(src)
            .arg("--target-image-opts")
            .arg(format!(
                "driver=raw,offset={offset},size={size},file.driver=vhdx,file.file.filename={}",
                vhdx.display()
            )));
    }
    fs::remove_file(&volume).unwrap();
    fs::remove_file(&mbr).unwrap();
    vhdx
}

/// Sets file attribute `flags` (e.g. 0x4000, encrypted) in the `$STANDARD_INFORMATION` of the
/// file named `name` on an NTFS volume image, as Windows' EFS would: ntfs-3g cannot encrypt.
/// Returns how many MFT records were changed.
pub fn set_file_attribute_flags(image: &Path, name: &str, flags: u32) -> usize {
    let mut bytes = fs::read(image).unwrap();
    let want: Vec<u16> = name.encode_utf16().collect();
    let le16 = |b: &[u8], at: usize| u16::from_le_bytes([b[at], b[at + 1]]) as usize;
    let le32 = |b: &[u8], at: usize| u32::from_le_bytes(b[at..at + 4].try_into().unwrap());
    let mut changed = 0;
    for record in (0..bytes.len().saturating_sub(1024)).step_by(1024) {
        let r = &bytes[record..record + 1024];
        if &r[..4] != b"FILE" {
            continue;
        }
        let (mut at, mut info, mut named) = (le16(r, 0x14), None, false);
        while at + 24 <= 1024 && le32(r, at) != 0xFFFF_FFFF {
            let (ty, len) = (le32(r, at), le32(r, at + 4) as usize);
            if len < 24 || at + len > 1024 {
                break;
            }
            let value = at + le16(r, at + 0x14);
            if ty == 0x10 {
                info = Some(value + 0x20);
            } else if ty == 0x30 && value + 0x42 <= 1024 {
                let n = r[value + 0x40] as usize;
                let got: Vec<u16> = (0..n)
                    .filter(|i| value + 0x42 + i * 2 + 2 <= 1024)
                    .map(|i| le16(r, value + 0x42 + i * 2) as u16)
                    .collect();
                named |= got == want;
            }
            at += len;
        }
        if let (true, Some(field)) = (named, info) {
            let old = le32(&bytes, record + field);
            bytes[record + field..record + field + 4].copy_from_slice(&(old | flags).to_le_bytes());
            changed += 1;
        }
    }
    fs::write(image, bytes).unwrap();
    changed
}
