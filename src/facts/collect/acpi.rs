//! Reads which ACPI tables the firmware publishes, and what the TPM tables among them say.
//!
//! This module owns two list formats and their meaning; it is pure and platform-independent.
//! Windows' `EnumSystemFirmwareTables('ACPI')` (Vista and later) returns the 4-byte signatures
//! back to back; Linux lists one file per table under `/sys/firmware/acpi/tables/`, a second table
//! with the same signature getting a number (`SSDT1`, `SSDT2`). A `TPM2` table is how firmware
//! announces a TPM 2.0 to the OS (TCG ACPI Specification; the table Microsoft's HLK checks), and
//! it is there even when Windows 7 has no driver for that TPM; `TCPA` announces a TPM 1.2 (facts:
//! win7-probes-and-inference.md §3). Their absence proves nothing: a TPM may be switched off, and
//! firmware TPMs are not offered in legacy (CSM) boots.

use std::collections::BTreeSet;

/// The signatures of the ACPI tables the firmware publishes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AcpiTables {
    pub signatures: BTreeSet<String>,
}

/// What the ACPI tables say about a TPM.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TpmTable {
    /// A `TPM2` table: a TPM 2.0 is switched on in the firmware.
    Tpm2,
    /// A `TCPA` table (and no `TPM2`): a TPM 1.2.
    Tcpa,
}

impl TpmTable {
    /// The table's signature, as the inventory records it.
    pub fn signature(self) -> &'static str {
        match self {
            TpmTable::Tpm2 => "TPM2",
            TpmTable::Tcpa => "TCPA",
        }
    }

    /// The TPM spec version the table stands for.
    pub fn spec_version(self) -> &'static str {
        match self {
            TpmTable::Tpm2 => "2.0",
            TpmTable::Tcpa => "1.2",
        }
    }
}

/// An ACPI signature: four upper-case letters or digits (ACPI 6.x §5.2.6), punctuation allowed
/// for the odd OEM table such as `ASF!`. Lower case is refused, which keeps sysfs's `data` and
/// `dynamic` folders out.
fn is_signature(sig: &[u8]) -> bool {
    sig.len() == 4
        && sig
            .iter()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b.is_ascii_punctuation())
}

impl AcpiTables {
    /// Reads the buffer `EnumSystemFirmwareTables('ACPI', …)` fills: one DWORD per table, which
    /// in memory is the signature's four bytes in order (Microsoft's GetSystemFirmwareTable
    /// documentation: the ID of `FACP` is written `'PCAF'` in C, i.e. little-endian). A trailing
    /// partial entry and entries that are not signatures are returned as problems.
    pub fn from_enum_buffer(buf: &[u8]) -> (AcpiTables, Vec<String>) {
        let mut tables = AcpiTables::default();
        let mut problems = Vec::new();
        let chunks = buf.chunks_exact(4);
        if !chunks.remainder().is_empty() {
            problems.push(format!(
                "the table list has {} bytes, not a multiple of 4",
                buf.len()
            ));
        }
        for sig in chunks {
            if is_signature(sig) {
                tables
                    .signatures
                    .insert(String::from_utf8_lossy(sig).into_owned());
            } else {
                problems.push(format!("entry {sig:02X?} is not an ACPI signature"));
            }
        }
        (tables, problems)
    }

    /// Reads the file names of `/sys/firmware/acpi/tables/` (drivers/acpi/sysfs.c names each file
    /// by signature, appending the instance number from the second table of a signature on). The
    /// `data` and `dynamic` folders, and names that are not a signature, are skipped.
    pub fn from_sysfs_names<S: AsRef<str>>(names: &[S]) -> AcpiTables {
        let signatures = names
            .iter()
            .filter_map(|name| {
                let name = name.as_ref();
                let sig = name.get(..4)?;
                let instance = &name[4..];
                (is_signature(sig.as_bytes()) && instance.bytes().all(|b| b.is_ascii_digit()))
                    .then(|| sig.to_string())
            })
            .collect();
        AcpiTables { signatures }
    }

    /// The TPM the tables announce; `TPM2` wins when a firmware publishes both.
    pub fn tpm(&self) -> Option<TpmTable> {
        if self.signatures.contains("TPM2") {
            Some(TpmTable::Tpm2)
        } else if self.signatures.contains("TCPA") {
            Some(TpmTable::Tcpa)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_enum_buffer() {
        // The list a TPM 2.0 laptop gives, built as the DWORDs Windows writes: each signature's
        // bytes in order.
        let buf: Vec<u8> = ["FACP", "APIC", "SSDT", "SSDT", "TPM2", "MCFG"]
            .iter()
            .flat_map(|s| s.bytes())
            .collect();
        let (tables, problems) = AcpiTables::from_enum_buffer(&buf);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(tables.signatures.len(), 5);
        assert_eq!(tables.tpm(), Some(TpmTable::Tpm2));
        assert_eq!(tables.tpm().unwrap().spec_version(), "2.0");
        // The same written as the u32 IDs in C ('PCAF' for FACP), then laid out little-endian.
        let facp = u32::from_be_bytes(*b"PCAF");
        assert_eq!(&facp.to_le_bytes(), b"FACP");
    }

    #[test]
    fn hostile_enum_buffers() {
        let (tables, problems) = AcpiTables::from_enum_buffer(b"TCPAFAC");
        assert_eq!(tables.tpm(), Some(TpmTable::Tcpa));
        assert_eq!(problems.len(), 1);
        let (tables, problems) =
            AcpiTables::from_enum_buffer(&[0, 0, 0, 0, b'T', b'P', b'M', b'2']);
        assert_eq!(tables.tpm(), Some(TpmTable::Tpm2));
        assert!(problems[0].contains("not an ACPI signature"));
        let (tables, problems) = AcpiTables::from_enum_buffer(&[]);
        assert_eq!((tables.tpm(), problems.len()), (None, 0));
    }

    #[test]
    fn linux_sysfs_listing() {
        // `ls /sys/firmware/acpi/tables` on the QEMU VM this project is developed on (2026-12-05).
        let vm = ["APIC", "DSDT", "FACP", "MCFG", "data", "dynamic"];
        let tables = AcpiTables::from_sysfs_names(&vm);
        assert_eq!(
            tables.signatures.iter().collect::<Vec<_>>(),
            ["APIC", "DSDT", "FACP", "MCFG"]
        );
        assert_eq!(tables.tpm(), None);
        // A desktop with a TPM 1.2 and several SSDTs.
        let desktop = ["FACP", "SSDT", "SSDT1", "SSDT12", "TCPA", "SSDTx", "TPM"];
        let tables = AcpiTables::from_sysfs_names(&desktop);
        assert_eq!(tables.tpm(), Some(TpmTable::Tcpa));
        assert!(!tables.signatures.contains("SSDTx") && !tables.signatures.contains("TPM"));
        // Both: TPM2 wins.
        let both = AcpiTables::from_sysfs_names(&["TCPA", "TPM2"]);
        assert_eq!(both.tpm().map(TpmTable::signature), Some("TPM2"));
        // Names that are not ASCII do not panic on a char boundary.
        let odd = AcpiTables::from_sysfs_names(&["ÄÖÜ", "TPé2", "TPM2"]);
        assert_eq!(odd.signatures.len(), 1);
    }
}
