//! Windows volumes inside disk images: raw disk or partition images (`.img`, `.dd`) and VM disks
//! (VHD, VHDX, VMDK), read without mounting and without root — container → partition table (MBR,
//! GPT) → NTFS → files.
//!
//! It owns finding the volumes and reading their files; what the files mean (registry hives) is
//! the business of the rest of `offline`. The container is told by its content (`conectix`,
//! `vhdxfile`, `KDMV`, a VMDK descriptor's text), never by the file's name. Everything is read
//! lazily through `Read + Seek`: opening a 40 GB VHDX and reading one hive reads a few MB.
//! Damaged or hostile images give typed errors (exit 2 at the CLI), never a panic, a hang or an
//! allocation larger than the image justifies; BitLocker volumes and NTFS-compressed or
//! encrypted files are named as such, never misread.
//!
//! The BCD store that says how Windows boots is found here too ([`Image::boot_stores`]): on the
//! EFI system partition (FAT, read by [`fat`]) or in `\Boot\BCD` on an NTFS volume.
//!
//! Crates: `ntfs` for NTFS, `fatfs` for FAT, `vhdx-core` for VHDX (log replay included), `vmdk-core` for VMDK
//! (sparse, stream-optimized, flat and split). By hand: legacy VHD ([`vhd`]: the one crate reads
//! the whole file into memory) and the partition tables ([`partition`]).

pub mod fat;
mod guard;
pub mod io;
pub mod ntfs;
pub mod partition;
pub mod vhd;

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use self::io::{Disk, SharedDisk, Window};
use self::ntfs::{boot_sector_kind, BootSector, NtfsVolume};
use self::partition::{Partition, Scheme};
use crate::error::{Error, Origin, Result};
use crate::facts::import::offline::volume::VolumeFiles;

/// A VMDK descriptor file larger than this is not a descriptor.
const MAX_DESCRIPTOR: u64 = 1 << 20;
const VHDX_MAGIC: &[u8; 8] = b"vhdxfile";
const VMDK_SPARSE_MAGIC: &[u8; 4] = b"KDMV";
const VMDK_DESCRIPTOR_START: &[u8] = b"# Disk DescriptorFile";

/// The container a disk image comes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    /// The disk's (or one partition's) bytes as they are: `.img`, `.dd`, `.raw`.
    Raw,
    VhdFixed,
    VhdDynamic,
    /// A differencing VHD, read through its parents.
    VhdDifferencing,
    Vhdx,
    /// A VMDK with the data in the file itself (`KDMV` header): monolithicSparse,
    /// streamOptimized, or one extent of a split disk.
    VmdkSparse,
    /// A VMDK descriptor (text) naming extent files beside it: monolithicFlat, twoGbMaxExtent*.
    VmdkDescriptor,
}

impl ImageFormat {
    pub fn label(self) -> &'static str {
        match self {
            ImageFormat::Raw => "raw image",
            ImageFormat::VhdFixed => "VHD (fixed)",
            ImageFormat::VhdDynamic => "VHD (dynamic)",
            ImageFormat::VhdDifferencing => "VHD (differencing)",
            ImageFormat::Vhdx => "VHDX",
            ImageFormat::VmdkSparse => "VMDK (sparse)",
            ImageFormat::VmdkDescriptor => "VMDK (descriptor and extents)",
        }
    }
}

/// The container format from the file's first bytes and its last 512 (a VHD's footer).
pub fn detect(head: &[u8], tail: &[u8]) -> ImageFormat {
    if head.starts_with(VHDX_MAGIC) {
        ImageFormat::Vhdx
    } else if head.starts_with(VMDK_SPARSE_MAGIC) {
        ImageFormat::VmdkSparse
    } else if head.starts_with(VMDK_DESCRIPTOR_START) {
        ImageFormat::VmdkDescriptor
    } else if tail.starts_with(vhd::FOOTER_COOKIE) {
        match vhd::parse_footer(tail) {
            Ok(f) if f.kind == vhd::Kind::Dynamic => ImageFormat::VhdDynamic,
            Ok(f) if f.kind == vhd::Kind::Differencing => ImageFormat::VhdDifferencing,
            _ => ImageFormat::VhdFixed,
        }
    } else {
        ImageFormat::Raw
    }
}

/// Whether a file that starts with `head` (its first 512 bytes or more) and is `len` bytes long
/// is worth opening as a disk image: a VM disk's magic, a partition table, or an NTFS or
/// BitLocker boot sector. Cheap and certain of nothing: [`open`] decides. (A fixed VHD is told
/// by its footer at the end; its head is the disk's own MBR, which this recognises.)
pub fn looks_like_image(head: &[u8], len: u64) -> bool {
    if head.starts_with(VHDX_MAGIC)
        || head.starts_with(VMDK_SPARSE_MAGIC)
        || head.starts_with(VMDK_DESCRIPTOR_START)
        || head.starts_with(vhd::FOOTER_COOKIE)
    {
        return true;
    }
    if len < 512 || head.len() < 512 {
        return false;
    }
    boot_sector_kind(head) != BootSector::Other || partition::looks_like_mbr(head)
}

/// [`looks_like_image`] given the file's last sector too, which is the only place a fixed VHD
/// shows what it is.
pub fn looks_like_image_ends(head: &[u8], tail: &[u8], len: u64) -> bool {
    looks_like_image(head, len) || detect(head, tail) != ImageFormat::Raw
}

/// A file's first 4 KiB, its last sector and its length, leaving it positioned at the start.
pub fn head_and_tail(file: &mut Disk) -> std::io::Result<(Vec<u8>, Vec<u8>, u64)> {
    let len = file.seek(SeekFrom::End(0))?;
    let mut head = vec![0u8; len.min(4096) as usize];
    file.seek(SeekFrom::Start(0))?;
    file.read_exact(&mut head)?;
    let mut tail = vec![0u8; len.min(512) as usize];
    file.seek(SeekFrom::Start(len - tail.len() as u64))?;
    file.read_exact(&mut tail)?;
    // The container readers start reading where the file stands.
    file.seek(SeekFrom::Start(0))?;
    Ok((head, tail, len))
}

/// What one partition (or the whole image, for a bare volume) holds.
#[derive(Debug)]
pub enum Content {
    Ntfs,
    BitLocker,
    /// An NTFS boot sector whose file system could not be read.
    Unreadable(Error),
    /// Anything else: FAT (an EFI system partition), Linux, empty, unknown.
    Other,
}

/// One partition of the image, or the image itself when it is a bare volume.
#[derive(Debug)]
pub struct Slot {
    /// The partition table's entry; `None` for a bare volume.
    pub partition: Option<Partition>,
    pub offset: u64,
    pub size: u64,
    pub content: Content,
    /// `disk.vhdx, partition 2 (NTFS)`, `part.img (NTFS)`.
    pub describe: String,
}

/// An opened disk image: its layout, and the NTFS volumes in it, ready to read.
pub struct Image {
    pub format: ImageFormat,
    /// The virtual disk's size in bytes.
    pub disk_size: u64,
    /// `None` when the image is a bare volume with no partition table.
    pub scheme: Option<Scheme>,
    pub slots: Vec<Slot>,
    volumes: Vec<NtfsVolume>,
    disk: SharedDisk,
}

/// The largest BCD store read (Windows 7's is some 30 KB).
const BCD_LIMIT: u64 = 16 << 20;
/// Where the EFI system partition keeps Windows' BCD store.
pub const ESP_BCD: [&str; 4] = ["EFI", "Microsoft", "Boot", "BCD"];
/// Where a BIOS-booting Windows keeps it, on the system partition ("System Reserved", or the
/// Windows volume when there is none).
pub const SYSTEM_BCD: [&str; 2] = ["Boot", "BCD"];

/// A BCD store found on the disk, or the error met reading it.
#[derive(Debug)]
pub struct BootStore {
    /// `disk.img, partition 1 (EFI system): \EFI\Microsoft\Boot\BCD`.
    pub describe: String,
    pub bytes: Result<Vec<u8>>,
}

impl Image {
    /// The disk as the inventory records the system disk: its size and partition style, read
    /// off the image; `None` for a bare volume image, which shows no disk.
    pub fn system_disk(&self) -> Option<crate::facts::inventory::Disk> {
        let style = match self.scheme? {
            Scheme::Mbr => crate::facts::inventory::PartitionStyle::Mbr,
            Scheme::Gpt => crate::facts::inventory::PartitionStyle::Gpt,
        };
        Some(crate::facts::inventory::Disk {
            size_bytes: Some(self.disk_size),
            partition_style: Some(style),
            ..crate::facts::inventory::Disk::default()
        })
    }

    /// Whether the disk has an EFI system partition (a Windows 7 disk that booted in UEFI mode).
    pub fn has_efi_system_partition(&self) -> bool {
        self.slots
            .iter()
            .any(|s| s.partition.as_ref().is_some_and(|p| p.kind.is_efi_system()))
    }

    /// The BCD stores on the disk, in the order Windows' firmware would use them: each EFI
    /// system partition's `\EFI\Microsoft\Boot\BCD`, then (on an MBR disk or a bare volume,
    /// which boot through a BIOS) each NTFS volume's `\Boot\BCD`. Missing files are left out;
    /// one that cannot be read is there with its error.
    pub fn boot_stores(&mut self) -> Vec<BootStore> {
        let mut stores = Vec::new();
        for slot in &self.slots {
            if !slot
                .partition
                .as_ref()
                .is_some_and(|p| p.kind.is_efi_system())
            {
                continue;
            }
            let is_fat = self
                .disk
                .read_exact_at(slot.offset, 512)
                .is_ok_and(|s| fat::looks_like_fat(&s));
            if !is_fat {
                continue;
            }
            let window = Window::new(self.disk.clone(), slot.offset, slot.size);
            let describe = format!("{}: \\{}", slot.describe, ESP_BCD.join("\\"));
            match fat::read_file(window, &ESP_BCD, BCD_LIMIT, &slot.describe) {
                Ok(None) => {}
                Ok(Some(bytes)) => stores.push(BootStore {
                    describe,
                    bytes: Ok(bytes),
                }),
                Err(e) => stores.push(BootStore {
                    describe,
                    bytes: Err(e),
                }),
            }
        }
        if self.scheme != Some(Scheme::Gpt) {
            for volume in &mut self.volumes {
                let describe = format!("{}: \\{}", volume.describe(), SYSTEM_BCD.join("\\"));
                match volume.read(&SYSTEM_BCD, BCD_LIMIT) {
                    Ok(None) => {}
                    Ok(Some(bytes)) => stores.push(BootStore {
                        describe,
                        bytes: Ok(bytes),
                    }),
                    Err(e) => stores.push(BootStore {
                        describe,
                        bytes: Err(e),
                    }),
                }
            }
        }
        stores
    }

    /// The readable NTFS volumes; an error naming why when there is none.
    pub fn into_volumes(self, origin: &Origin) -> Result<Vec<Box<dyn VolumeFiles>>> {
        if self.volumes.is_empty() {
            return Err(nothing_readable(origin, self.slots));
        }
        Ok(self
            .volumes
            .into_iter()
            .map(|v| Box::new(v) as Box<dyn VolumeFiles>)
            .collect())
    }
}

/// The error for an image without a readable NTFS volume: BitLocker first (the likeliest reason
/// a Windows disk shows nothing), then a damaged NTFS, then a list of what is there.
fn nothing_readable(origin: &Origin, slots: Vec<Slot>) -> Error {
    if let Some(s) = slots
        .iter()
        .find(|s| matches!(s.content, Content::BitLocker))
    {
        return Error::BitLocker {
            origin: Origin(s.describe.clone()),
        };
    }
    let listed: Vec<String> = slots.iter().map(|s| s.describe.clone()).collect();
    if let Some(e) = slots.into_iter().find_map(|s| match s.content {
        Content::Unreadable(e) => Some(e),
        _ => None,
    }) {
        return e;
    }
    Error::DiskImage {
        origin: origin.clone(),
        message: if listed.is_empty() {
            "no partitions, so no NTFS volume".into()
        } else {
            format!("no NTFS volume among: {}", listed.join("; "))
        },
    }
}

fn image_error(origin: &Origin, what: &str, e: impl std::fmt::Display) -> Error {
    Error::DiskImage {
        origin: origin.clone(),
        message: format!("{what}: {e}"),
    }
}

/// The virtual disk inside an image file, whatever its container, with its format and size.
pub fn open_virtual_disk(path: &Path) -> Result<(ImageFormat, Disk, u64)> {
    let file = File::open(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    open_container(path, Box::new(file), &Origin::path(path))
}

/// Opens the container (`file`: the bytes of `path`) and returns the virtual disk inside it with
/// its size.
fn open_container(
    path: &Path,
    mut file: Disk,
    origin: &Origin,
) -> Result<(ImageFormat, Disk, u64)> {
    let read_err = |source| Error::Read {
        path: path.to_path_buf(),
        source,
    };
    let (head, tail, len) = head_and_tail(&mut file).map_err(read_err)?;
    let format = detect(&head, &tail);
    let fail = |e: &dyn std::fmt::Display| {
        image_error(origin, &format!("not a readable {}", format.label()), e)
    };
    let (disk, size): (Disk, u64) = match format {
        ImageFormat::Raw => (Box::new(file), len),
        ImageFormat::VhdFixed | ImageFormat::VhdDynamic | ImageFormat::VhdDifferencing => {
            let v = vhd::Vhd::open_at(file, len, path).map_err(|e| fail(&e))?;
            let size = v.size();
            (Box::new(v), size)
        }
        ImageFormat::Vhdx => {
            let v = vhdx::VhdxReader::open_reader(Box::new(file)).map_err(|e| fail(&e))?;
            let size = v.virtual_disk_size();
            (Box::new(v), size)
        }
        ImageFormat::VmdkSparse => {
            let v = vmdk::VmdkReader::open(file).map_err(|e| fail(&e))?;
            let size = v.virtual_disk_size();
            (Box::new(v), size)
        }
        ImageFormat::VmdkDescriptor => {
            if len > MAX_DESCRIPTOR {
                return Err(fail(&"a VMDK descriptor of more than 1 MiB"));
            }
            // The extents a descriptor names must be plain files: never a device or a pipe
            // (which could block forever).
            let extents = vmdk::VmdkReader::extent_dependencies(path).map_err(|e| fail(&e))?;
            if let Some(odd) = extents.iter().find(|e| !e.is_file()) {
                return Err(fail(&format!(
                    "its extent {} is missing or not a plain file",
                    odd.display()
                )));
            }
            let v = vmdk::VmdkReader::open_path(path).map_err(|e| fail(&e))?;
            let size = v.virtual_disk_size();
            (Box::new(v), size)
        }
    };
    Ok((format, disk, size))
}

/// Opens a disk image: its container, its partition table and every NTFS volume in it.
pub fn open(path: &Path) -> Result<Image> {
    let file = File::open(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    open_source(path, Box::new(file))
}

/// [`open`] reading the container's bytes from `source` (e.g. a counting reader); `path` names
/// the image in messages and locates a VMDK descriptor's extent files.
pub fn open_source(path: &Path, source: Disk) -> Result<Image> {
    let origin = Origin::path(path);
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let (format, disk, disk_size) = open_container(path, source, &origin)?;
    let disk = SharedDisk::new(disk, disk_size);
    let first = disk
        .read_exact_at(0, 512)
        .map_err(|e| image_error(&origin, "too short for a disk image", e))?;

    let (scheme, layout) = layout(&disk, &first, format, &origin)?;

    let mut slots = Vec::new();
    let mut volumes = Vec::new();
    for (partition, offset, size) in layout {
        let where_ = match &partition {
            Some(p) => format!("{name}, partition {}", p.number),
            None => name.clone(),
        };
        let boot = if size >= 512 {
            disk.read_exact_at(offset, 512)
                .map(|s| boot_sector_kind(&s))
                .unwrap_or(BootSector::Other)
        } else {
            BootSector::Other
        };
        let (content, describe) = match boot {
            BootSector::Ntfs => {
                let describe = format!("{where_} (NTFS)");
                let window = Window::new(disk.clone(), offset, size);
                match NtfsVolume::open(window, describe.clone()) {
                    Ok(v) => {
                        volumes.push(v);
                        (Content::Ntfs, describe)
                    }
                    Err(e) => (Content::Unreadable(e), describe),
                }
            }
            BootSector::BitLocker => (Content::BitLocker, format!("{where_} (BitLocker)")),
            BootSector::Other => {
                let label = partition
                    .as_ref()
                    .map_or_else(|| "unknown".to_string(), |p| p.kind.label());
                (Content::Other, format!("{where_} ({label})"))
            }
        };
        slots.push(Slot {
            partition,
            offset,
            size,
            content,
            describe,
        });
    }
    Ok(Image {
        format,
        disk_size,
        scheme,
        slots,
        volumes,
        disk,
    })
}

/// Where the volumes are: `None` with the whole disk for a bare volume, else the partitions.
type Layout = (Option<Scheme>, Vec<(Option<Partition>, u64, u64)>);

fn layout(disk: &SharedDisk, first: &[u8], format: ImageFormat, origin: &Origin) -> Result<Layout> {
    if boot_sector_kind(first) != BootSector::Other {
        return Ok((None, vec![(None, 0, disk.len())]));
    }
    match partition::read(disk) {
        Ok(Some((scheme, parts))) => Ok((
            Some(scheme),
            parts
                .into_iter()
                .map(|p| {
                    let (offset, size) = (p.offset, p.size);
                    (Some(p), offset, size)
                })
                .collect(),
        )),
        Ok(None) => Err(image_error(
            origin,
            &format!("a {} without a partition table", format.label()),
            "neither an MBR nor a GPT, nor an NTFS volume",
        )),
        Err(e) => Err(image_error(origin, "cannot read its partition table", e)),
    }
}

/// Every NTFS volume in the image (or the image itself when it is a bare NTFS volume).
/// An image with none is an error saying why (BitLocker, damage, or what it holds instead).
pub fn open_image(path: &Path) -> Result<Vec<Box<dyn VolumeFiles>>> {
    open(path)?.into_volumes(&Origin::path(path))
}

/// The path that marks a Windows installation's volume.
pub const WINDOWS_MARKER: [&str; 4] = ["Windows", "System32", "config", "SOFTWARE"];

/// Whether a volume holds `Windows\System32\config\SOFTWARE`, in any letter case.
pub fn holds_windows(volume: &mut dyn VolumeFiles) -> Result<bool> {
    let (dir, file) = WINDOWS_MARKER.split_at(3);
    Ok(volume
        .list(dir)?
        .is_some_and(|names| names.iter().any(|n| n.eq_ignore_ascii_case(file[0]))))
}

/// The first volume in the image that holds a Windows installation.
pub fn find_windows_volume(path: &Path) -> Result<Box<dyn VolumeFiles>> {
    find_windows_installation(path).map(|found| found.volume)
}

/// A Windows installation found in a disk image.
pub struct FoundInstallation {
    /// The volume that holds `Windows\System32\config\SOFTWARE`.
    pub volume: Box<dyn VolumeFiles>,
    /// The disk it is on as the inventory records a system disk (`None` for a bare volume
    /// image, which has no disk).
    pub disk: Option<crate::facts::inventory::Disk>,
    /// The BCD stores on the disk ([`Image::boot_stores`]).
    pub boot_stores: Vec<BootStore>,
}

/// The first volume in the image that holds a Windows installation, with its disk and the BCD
/// stores that boot it.
pub fn find_windows_installation(path: &Path) -> Result<FoundInstallation> {
    let mut image = open(path)?;
    let disk = image.system_disk();
    let boot_stores = image.boot_stores();
    Ok(FoundInstallation {
        volume: windows_volume_of(image, Origin::path(path))?,
        disk,
        boot_stores,
    })
}

/// [`find_windows_volume`] reading the container's bytes from `source` (see [`open_source`]).
pub fn find_windows_volume_in(path: &Path, source: Disk) -> Result<Box<dyn VolumeFiles>> {
    windows_volume_of(open_source(path, source)?, Origin::path(path))
}

fn windows_volume_of(image: Image, origin: Origin) -> Result<Box<dyn VolumeFiles>> {
    let bitlocker = image
        .slots
        .iter()
        .find(|s| matches!(s.content, Content::BitLocker))
        .map(|s| s.describe.clone());
    let listed: Vec<String> = image.slots.iter().map(|s| s.describe.clone()).collect();
    let mut first_error = None;
    for mut volume in image.into_volumes(&origin)? {
        match holds_windows(volume.as_mut()) {
            Ok(true) => return Ok(volume),
            Ok(false) => {}
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    if let Some(describe) = bitlocker {
        return Err(Error::BitLocker {
            origin: Origin(describe),
        });
    }
    if let Some(e) = first_error {
        return Err(e);
    }
    Err(Error::DiskImage {
        origin,
        message: format!(
            "no Windows installation (no volume holds Windows\\System32\\config\\SOFTWARE) \
             among: {}",
            listed.join("; ")
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_container_is_told_by_content() {
        let zeros = [0u8; 512];
        assert_eq!(detect(b"vhdxfile\0\0", &zeros), ImageFormat::Vhdx);
        assert_eq!(detect(b"KDMV\x01\0\0\0", &zeros), ImageFormat::VmdkSparse);
        assert_eq!(
            detect(b"# Disk DescriptorFile\nversion=1\n", &zeros),
            ImageFormat::VmdkDescriptor
        );
        let fixed = vhd::footer_bytes(vhd::Kind::Fixed, u64::MAX, 1 << 20);
        let dynamic = vhd::footer_bytes(vhd::Kind::Dynamic, 512, 1 << 20);
        assert_eq!(detect(&zeros, &fixed), ImageFormat::VhdFixed);
        assert_eq!(detect(&dynamic, &dynamic), ImageFormat::VhdDynamic);
        assert_eq!(detect(&zeros, &zeros), ImageFormat::Raw);
    }

    #[test]
    fn looks_like_image_knows_tables_boot_sectors_and_magics() {
        let mbr = partition::mbr_bytes(&[(0x07, 2048, 4096)]);
        assert!(looks_like_image(&mbr, 1 << 20));
        let mut ntfs = [0u8; 512];
        ntfs[3..11].copy_from_slice(b"NTFS    ");
        assert!(looks_like_image(&ntfs, 1 << 20));
        ntfs[3..11].copy_from_slice(b"-FVE-FS-");
        assert!(looks_like_image(&ntfs, 1 << 20));
        assert!(looks_like_image(b"vhdxfile", 8));
        // A registry hive, a text export, an empty MBR: no.
        let mut hive = [0u8; 4096];
        hive[..4].copy_from_slice(b"regf");
        assert!(!looks_like_image(&hive, 1 << 20));
        assert!(!looks_like_image(
            b"Windows Registry Editor Version 5.00",
            40
        ));
        assert!(!looks_like_image(&partition::mbr_bytes(&[]), 1 << 20));
    }
}
