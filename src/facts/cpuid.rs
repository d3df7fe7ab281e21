//! Decodes x86 CPUID register values: vendor, family/model/stepping, brand string, the
//! instruction features Windows' checks need, and the CPU's own maximum clock where it says.
//!
//! This module owns the decoding only, from recorded register values, so it is tested with the
//! values of known CPUs and runs the same on every platform. Executing CPUID (on x86 and x64
//! Windows, through `core::arch`) is the probe's job: [`read_this_cpu`]. Bit positions and rules
//! per Intel SDM Vol. 2A (CPUID), AMD APM Vol. 3 (CPUID) and Linux's
//! arch/x86/include/asm/cpufeatures.h (the feature names).

use std::collections::BTreeMap;

/// The four registers one CPUID leaf returns.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Regs {
    pub eax: u32,
    pub ebx: u32,
    pub ecx: u32,
    pub edx: u32,
}

/// The leaves the decoder reads; a leaf the CPU does not have is `None`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dump {
    /// Leaf 0: the highest basic leaf (EAX) and the vendor (EBX, EDX, ECX).
    pub leaf0: Option<Regs>,
    pub leaf1: Option<Regs>,
    /// Leaf 16h (Intel, Skylake on): base, maximum and bus frequency in MHz.
    pub leaf16: Option<Regs>,
    /// Leaf 8000_0000h: the highest extended leaf.
    pub ext0: Option<Regs>,
    pub ext1: Option<Regs>,
    /// Leaves 8000_0002h to 8000_0004h: the brand string.
    pub brand: Option<[Regs; 3]>,
}

/// What the dump says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Decoded {
    pub vendor: Option<String>,
    pub family: Option<u32>,
    pub model: Option<u32>,
    pub stepping: Option<u32>,
    pub brand: Option<String>,
    /// The inventory's feature map (see [`features_from_cpuid`]).
    pub features: Option<BTreeMap<String, bool>>,
    /// Leaf 1 ECX bit 31, which hypervisors set for their guests.
    pub hypervisor: Option<bool>,
    /// Leaf 16h EBX: the maximum (turbo) frequency in MHz, where the CPU reports it.
    pub max_mhz: Option<u32>,
}

/// The features map from CPUID leaf 1 (ECX, EDX) and leaf 0x80000001 (ECX, EDX), when the CPU has
/// that leaf. Names follow Linux's /proc/cpuinfo flags as the inventory spells them; `lahf` is
/// LAHF/SAHF in 64-bit mode and `prefetchw` is PREFETCHW (AMD's 3DNowPrefetch bit, which Intel
/// sets from Broadwell on).
pub fn features_from_cpuid(
    leaf1_ecx: u32,
    leaf1_edx: u32,
    extended: Option<(u32, u32)>,
) -> BTreeMap<String, bool> {
    let bit = |reg: u32, n: u32| reg & (1 << n) != 0;
    let (ext_ecx, ext_edx) = extended.unwrap_or((0, 0));
    [
        ("pae", bit(leaf1_edx, 6)),
        ("sse2", bit(leaf1_edx, 26)),
        ("cx16", bit(leaf1_ecx, 13)),
        ("sse4_2", bit(leaf1_ecx, 20)),
        ("popcnt", bit(leaf1_ecx, 23)),
        ("nx", bit(ext_edx, 20)),
        ("lm", bit(ext_edx, 29)),
        ("lahf", bit(ext_ecx, 0)),
        ("prefetchw", bit(ext_ecx, 8)),
    ]
    .into_iter()
    .map(|(name, present)| (name.to_string(), present))
    .collect()
}

/// Family, model and stepping from leaf 1 EAX. The extended family (bits 20-27) is added only
/// when the base family (bits 8-11) is 0Fh; the extended model (bits 16-19) is the high nibble of
/// the model when the base family is 06h or 0Fh (Intel SDM, "Processor Signature"; AMD only uses
/// it with 0Fh, and its family 06h parts have a zero extended model, so one rule serves both).
pub fn signature(eax: u32) -> (u32, u32, u32) {
    let stepping = eax & 0xf;
    let base_model = (eax >> 4) & 0xf;
    let base_family = (eax >> 8) & 0xf;
    let ext_model = (eax >> 16) & 0xf;
    let ext_family = (eax >> 20) & 0xff;
    let family = if base_family == 0xf {
        base_family + ext_family
    } else {
        base_family
    };
    let model = if base_family == 0x6 || base_family == 0xf {
        (ext_model << 4) | base_model
    } else {
        base_model
    };
    (family, model, stepping)
}

/// The 12-character vendor string of leaf 0 (EBX, EDX, ECX in that order).
pub fn vendor(leaf0: Regs) -> Option<String> {
    let bytes: Vec<u8> = [leaf0.ebx, leaf0.edx, leaf0.ecx]
        .iter()
        .flat_map(|r| r.to_le_bytes())
        .collect();
    printable(&bytes)
}

/// The 48-byte brand string of leaves 8000_0002h-8000_0004h (EAX, EBX, ECX, EDX of each), NUL
/// terminated; Intel pads it with leading spaces.
pub fn brand(leaves: &[Regs; 3]) -> Option<String> {
    let bytes: Vec<u8> = leaves
        .iter()
        .flat_map(|r| [r.eax, r.ebx, r.ecx, r.edx])
        .flat_map(u32::to_le_bytes)
        .collect();
    let end = bytes.iter().position(|b| *b == 0).unwrap_or(bytes.len());
    printable(&bytes[..end])
}

/// ASCII text with control characters and non-ASCII bytes refused, trimmed; `None` if empty.
fn printable(bytes: &[u8]) -> Option<String> {
    if !bytes.iter().all(|b| (0x20..0x7f).contains(b) || *b == 0) {
        return None;
    }
    let text: String = bytes
        .iter()
        .filter(|b| **b != 0)
        .map(|b| char::from(*b))
        .collect();
    // Collapse the runs of spaces some brand strings carry.
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (!text.is_empty()).then_some(text)
}

/// Decodes a dump. Leaves above the highest one leaf 0 / 8000_0000h report are ignored even if
/// present, since a CPU answers such a leaf with the data of its highest one.
pub fn decode(dump: &Dump) -> Decoded {
    let max_basic = dump.leaf0.map_or(0, |r| r.eax);
    let max_ext = dump.ext0.map_or(0, |r| r.eax);
    let leaf1 = dump.leaf1.filter(|_| max_basic >= 1);
    let ext1 = dump.ext1.filter(|_| max_ext >= 0x8000_0001);
    let (family, model, stepping) = match leaf1 {
        Some(r) => {
            let (f, m, s) = signature(r.eax);
            (Some(f), Some(m), Some(s))
        }
        None => (None, None, None),
    };
    Decoded {
        vendor: dump.leaf0.and_then(vendor),
        family,
        model,
        stepping,
        brand: dump
            .brand
            .as_ref()
            .filter(|_| max_ext >= 0x8000_0004)
            .and_then(brand),
        features: leaf1.map(|r| features_from_cpuid(r.ecx, r.edx, ext1.map(|e| (e.ecx, e.edx)))),
        hypervisor: leaf1.map(|r| r.ecx & (1 << 31) != 0),
        max_mhz: dump
            .leaf16
            .filter(|_| max_basic >= 0x16)
            .map(|r| r.ebx & 0xffff)
            .filter(|mhz| *mhz > 0),
    }
}

/// Executes CPUID on this CPU for the leaves [`decode`] reads.
#[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
pub fn read_this_cpu() -> Dump {
    #[cfg(target_arch = "x86")]
    use std::arch::x86::{__cpuid, CpuidResult};
    #[cfg(target_arch = "x86_64")]
    use std::arch::x86_64::{__cpuid, CpuidResult};
    let regs = |r: CpuidResult| Regs {
        eax: r.eax,
        ebx: r.ebx,
        ecx: r.ecx,
        edx: r.edx,
    };
    // SAFETY: CPUID exists on every CPU that runs Windows 7 or any x86-64 OS; leaves above the
    // reported maximum are not executed. (Newer Rust made __cpuid safe, hence the allow.)
    #[allow(unused_unsafe)]
    let cpuid = |leaf: u32| regs(unsafe { __cpuid(leaf) });
    let leaf0 = cpuid(0);
    let ext0 = cpuid(0x8000_0000);
    let basic = |leaf: u32| (leaf0.eax >= leaf).then(|| cpuid(leaf));
    let ext = |leaf: u32| (ext0.eax >= leaf).then(|| cpuid(leaf));
    Dump {
        leaf0: Some(leaf0),
        leaf1: basic(1),
        leaf16: basic(0x16),
        ext0: Some(ext0),
        ext1: ext(0x8000_0001),
        brand: (ext0.eax >= 0x8000_0004)
            .then(|| [cpuid(0x8000_0002), cpuid(0x8000_0003), cpuid(0x8000_0004)]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Registers from a string, as CPUID lays a vendor or brand string out: little-endian, four
    /// characters per register.
    fn text_regs(text: &str) -> Vec<u32> {
        let mut bytes = text.as_bytes().to_vec();
        bytes.resize(bytes.len().div_ceil(16) * 16, 0);
        bytes
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect()
    }

    fn leaf0(max: u32, vendor: &str) -> Regs {
        let r = text_regs(vendor);
        // EBX, EDX, ECX hold characters 0-3, 4-7, 8-11.
        Regs {
            eax: max,
            ebx: r[0],
            edx: r[1],
            ecx: r[2],
        }
    }

    fn brand_leaves(brand: &str) -> [Regs; 3] {
        assert!(
            brand.len() < 48,
            "CPUID's brand string is 48 bytes with its NUL"
        );
        let mut r = text_regs(brand);
        r.resize(12, 0);
        let leaf = |i: usize| Regs {
            eax: r[i],
            ebx: r[i + 1],
            ecx: r[i + 2],
            edx: r[i + 3],
        };
        [leaf(0), leaf(4), leaf(8)]
    }

    /// Intel Core i5-8250U (Kaby Lake R): leaf 1 EAX 000806EAh is family 6, model 8Eh = 142,
    /// stepping 10 (Linux /proc/cpuinfo of such a laptop shows the same triple). Leaf 1 ECX/EDX and
    /// 8000_0001h ECX/EDX are the values that CPU reports: SSE4.2, POPCNT, CX16 and the rest set.
    fn kaby_lake_r() -> Dump {
        Dump {
            leaf0: Some(leaf0(0x16, "GenuineIntel")),
            leaf1: Some(Regs {
                eax: 0x0008_06ea,
                ebx: 0x0010_0800,
                ecx: 0x7ffa_fbbf,
                edx: 0xbfeb_fbff,
            }),
            leaf16: Some(Regs {
                eax: 1800,
                ebx: 3400,
                ecx: 100,
                edx: 0,
            }),
            ext0: Some(Regs {
                eax: 0x8000_0008,
                ..Regs::default()
            }),
            ext1: Some(Regs {
                eax: 0,
                ebx: 0,
                ecx: 0x0000_0121,
                edx: 0x2c10_0800,
            }),
            brand: Some(brand_leaves("Intel(R) Core(TM) i5-8250U CPU @ 1.60GHz")),
        }
    }

    #[test]
    fn kaby_lake_r_laptop() {
        let d = decode(&kaby_lake_r());
        assert_eq!(d.vendor.as_deref(), Some("GenuineIntel"));
        assert_eq!(
            (d.family, d.model, d.stepping),
            (Some(6), Some(142), Some(10))
        );
        assert_eq!(
            d.brand.as_deref(),
            Some("Intel(R) Core(TM) i5-8250U CPU @ 1.60GHz")
        );
        let f = d.features.unwrap();
        for name in [
            "pae",
            "sse2",
            "cx16",
            "sse4_2",
            "popcnt",
            "nx",
            "lm",
            "lahf",
            "prefetchw",
        ] {
            assert!(f[name], "{name}");
        }
        assert_eq!(d.hypervisor, Some(false));
        assert_eq!(d.max_mhz, Some(3400));
    }

    /// Core 2 Duo E8400 (Wolfdale): leaf 1 EAX 0001067Ah is family 6, model 17h = 23, stepping 10.
    /// SSE4.1 but no SSE4.2/POPCNT; LAHF in 64-bit mode, no PREFETCHW; no leaf 16h.
    #[test]
    fn core_2_duo() {
        let mut dump = Dump {
            leaf0: Some(leaf0(0xd, "GenuineIntel")),
            leaf1: Some(Regs {
                eax: 0x0001_067a,
                ebx: 0,
                ecx: 0x0008_e3fd,
                edx: 0xbfeb_fbff,
            }),
            // Present in the dump but above leaf 0's maximum: ignored.
            leaf16: Some(Regs {
                ebx: 9999,
                ..Regs::default()
            }),
            ext0: Some(Regs {
                eax: 0x8000_0008,
                ..Regs::default()
            }),
            ext1: Some(Regs {
                ecx: 0x1,
                edx: 0x2010_0800,
                ..Regs::default()
            }),
            // 47 characters with the runs of spaces this CPU's brand string has.
            brand: Some(brand_leaves(
                "Intel(R) Core(TM)2 Duo CPU     E8400  @ 3.00GHz",
            )),
        };
        let d = decode(&dump);
        assert_eq!(
            (d.family, d.model, d.stepping),
            (Some(6), Some(23), Some(10))
        );
        assert_eq!(
            d.brand.as_deref(),
            Some("Intel(R) Core(TM)2 Duo CPU E8400 @ 3.00GHz")
        );
        let f = d.features.as_ref().unwrap();
        assert!(f["cx16"] && f["lahf"] && f["nx"] && f["lm"] && f["sse2"]);
        assert!(!f["sse4_2"] && !f["popcnt"] && !f["prefetchw"]);
        assert_eq!(d.max_mhz, None);
        // Without leaf 8000_0001h, the extended features read as absent.
        dump.ext0 = Some(Regs::default());
        let f = decode(&dump).features.unwrap();
        assert!(!f["lm"] && !f["nx"] && f["cx16"]);
    }

    /// AMD Phenom II X4 (K10, family 10h): leaf 1 EAX 00100F42h is base family 0Fh + extended
    /// family 01h = 16, model 4 (AMD adds the extended model only with base family 0Fh; here it
    /// is 0), stepping 2. POPCNT (ECX bit 23) but no SSE4.2 (bit 20): the case that fails 24H2
    /// setup with "SSE4.2 missing" (facts §4). Ryzen 5 3600: 00870F10h is family 17h = 23, model
    /// 71h = 113, stepping 0.
    #[test]
    fn amd_families() {
        let k10 = Dump {
            leaf0: Some(leaf0(5, "AuthenticAMD")),
            leaf1: Some(Regs {
                eax: 0x0010_0f42,
                ecx: 0x0080_2009,
                edx: 0x178b_fbff,
                ..Regs::default()
            }),
            ext0: Some(Regs {
                eax: 0x8000_001b,
                ..Regs::default()
            }),
            ext1: Some(Regs {
                ecx: 0x0000_37ff,
                edx: 0xefd3_fbff,
                ..Regs::default()
            }),
            ..Dump::default()
        };
        let d = decode(&k10);
        assert_eq!(d.vendor.as_deref(), Some("AuthenticAMD"));
        assert_eq!(
            (d.family, d.model, d.stepping),
            (Some(16), Some(4), Some(2))
        );
        let f = d.features.unwrap();
        assert!(f["popcnt"] && !f["sse4_2"] && f["prefetchw"] && f["lahf"]);
        assert_eq!(d.brand, None, "no brand leaves recorded");
        assert_eq!(signature(0x0087_0f10), (23, 113, 0));
        // Pentium 4 (NetBurst, family 0Fh): 00000F29h is family 15, model 2, stepping 9.
        assert_eq!(signature(0x0000_0f29), (15, 2, 9));
        // A 486 (family 4): the extended model is not used.
        assert_eq!(signature(0x0001_0435), (4, 3, 5));
    }

    #[test]
    fn hypervisor_bit_and_bad_strings() {
        let mut dump = kaby_lake_r();
        dump.leaf1.as_mut().unwrap().ecx |= 1 << 31;
        assert_eq!(decode(&dump).hypervisor, Some(true));
        // Non-ASCII vendor bytes are refused rather than shown.
        dump.leaf0 = Some(Regs {
            eax: 1,
            ebx: 0xffff_ffff,
            ..Regs::default()
        });
        assert_eq!(decode(&dump).vendor, None);
        // Leaf 0 says there is no leaf 1: no signature, no features.
        dump.leaf0 = Some(leaf0(0, "GenuineIntel"));
        let d = decode(&dump);
        assert_eq!((d.family, d.features), (None, None));
        assert_eq!(decode(&Dump::default()), Decoded::default());
    }

    #[test]
    fn this_cpu_decodes() {
        #[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
        {
            let d = decode(&read_this_cpu());
            assert!(d.vendor.is_some() && d.family.is_some());
            // Every x86-64 CPU has long mode, SSE2 and PAE.
            #[cfg(target_arch = "x86_64")]
            {
                let f = d.features.unwrap();
                assert!(f["lm"] && f["sse2"] && f["pae"]);
            }
        }
    }
}
