//! Product keys: their form, decoding them from the registry's `DigitalProductId` blobs,
//! recognising Microsoft's published KMS client keys, and how they are shown.
//!
//! A full key is private: every output shows it masked to its last group, the part Windows itself
//! shows, unless the user asks to reveal it. This module owns that rule so no renderer has its own.
//! It never makes a key: it only reads the one a machine holds. Which licence channel a key
//! implies is [`crate::judge::license`]'s question; this module only says whether a key is a GVLK.

pub mod check;
pub mod hex;
pub mod shaped;

pub use check::{check, KeyCheck, KeyForm};
pub use shaped::{masked as mask_keys_in, MaskingWriter};

/// The 24 symbols of a product key, in digit order.
pub const ALPHABET: &[u8; 24] = b"BCDFGHJKMPQRTVWXY2346789";

/// Where the 15 encoded key bytes sit in each registry blob.
const DIGITAL_PRODUCT_ID_KEY_AT: usize = 52;
const DIGITAL_PRODUCT_ID4_KEY_AT: usize = 808;
const DIGITAL_PRODUCT_ID4_SIZE: usize = 1272;

/// Why a blob could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error(
        "{len} bytes are neither the 15 key bytes nor a whole DigitalProductId (key at bytes 52 to 66) or DigitalProductId4 (key at bytes 808 to 822)"
    )]
    TooShort { len: usize },
    #[error("the key bytes do not encode a product key (the number is too large)")]
    NotAKey,
}

/// Decodes the product key of a `DigitalProductId` (164 bytes, key at 52) or
/// `DigitalProductId4` (1272 bytes, key at 808) blob. `Ok(None)` means the blob holds no key, as
/// volume-licensed Windows 7 leaves it.
pub fn decode_digital_product_id(blob: &[u8]) -> Result<Option<String>, DecodeError> {
    let at = BlobKind::of(blob).key_at();
    let bytes: &[u8; 15] = blob
        .get(at..at + 15)
        .and_then(|b| b.try_into().ok())
        .ok_or(DecodeError::TooShort { len: blob.len() })?;
    decode_key_bytes(bytes)
}

/// What a run of bytes given to the decoder is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlobKind {
    /// The 15 encoded key bytes alone (a 16th, unused byte is allowed).
    KeyBytes,
    /// A `DigitalProductId` value: the key at bytes 52 to 66.
    DigitalProductId,
    /// A `DigitalProductId4` value: the key at bytes 808 to 822.
    DigitalProductId4,
}

impl BlobKind {
    /// Recognised by length: 15 or 16 bytes are key bytes; a blob of at least 1272 bytes (the size
    /// `DigitalProductId4` records in its first four bytes) is a `DigitalProductId4`; anything
    /// else is read as a `DigitalProductId`.
    pub fn of(bytes: &[u8]) -> BlobKind {
        match bytes.len() {
            15 | 16 => BlobKind::KeyBytes,
            n if n >= DIGITAL_PRODUCT_ID4_SIZE => BlobKind::DigitalProductId4,
            _ => BlobKind::DigitalProductId,
        }
    }

    pub fn key_at(self) -> usize {
        match self {
            BlobKind::KeyBytes => 0,
            BlobKind::DigitalProductId => DIGITAL_PRODUCT_ID_KEY_AT,
            BlobKind::DigitalProductId4 => DIGITAL_PRODUCT_ID4_KEY_AT,
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            BlobKind::KeyBytes => "the 15 encoded key bytes",
            BlobKind::DigitalProductId => "a DigitalProductId value (key at bytes 52 to 66)",
            BlobKind::DigitalProductId4 => "a DigitalProductId4 value (key at bytes 808 to 822)",
        }
    }
}

/// What decoding some bytes gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub kind: BlobKind,
    /// `None`: the key bytes are all zero, as volume-licensed Windows 7 and 8.1 leave them.
    pub key: Option<String>,
    /// The Product ID a `DigitalProductId` records at bytes 8 to 31 (e.g.
    /// `00371-OEM-8992671-00008`), where it is readable text.
    pub product_id: Option<String>,
}

/// Decodes key bytes or a whole `DigitalProductId`/`DigitalProductId4` blob.
pub fn decode_any(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    let kind = BlobKind::of(bytes);
    let at = kind.key_at();
    let key_bytes: &[u8; 15] = bytes
        .get(at..at + 15)
        .and_then(|b| b.try_into().ok())
        .ok_or(DecodeError::TooShort { len: bytes.len() })?;
    let product_id = match kind {
        BlobKind::DigitalProductId => product_id_at(bytes, 8, 24),
        _ => None,
    };
    Ok(Decoded {
        kind,
        key: decode_key_bytes(key_bytes)?,
        product_id,
    })
}

/// NUL-terminated ASCII at `at`, when it is printable.
fn product_id_at(bytes: &[u8], at: usize, len: usize) -> Option<String> {
    let field = bytes.get(at..at + len)?;
    let end = field.iter().position(|&b| b == 0).unwrap_or(len);
    let text = std::str::from_utf8(&field[..end]).ok()?;
    (!text.is_empty() && text.chars().all(|c| c.is_ascii_graphic())).then(|| text.to_string())
}

/// Decodes the 15 key bytes (a little-endian number in base 24, with Windows 8's `N` marker in
/// bit 3 of the top byte). Works for Windows 7 keys and for later keys with their single `N`.
pub fn decode_key_bytes(bytes: &[u8; 15]) -> Result<Option<String>, DecodeError> {
    if bytes.iter().all(|&b| b == 0) {
        return Ok(None);
    }
    let mut number = *bytes;
    let has_n = (number[14] >> 3) & 1 == 1;
    number[14] &= 0xF7;
    let mut digits = [0u8; 25];
    for digit in digits.iter_mut().rev() {
        let mut remainder: u32 = 0;
        for byte in number.iter_mut().rev() {
            let accumulator = remainder * 256 + u32::from(*byte);
            *byte = (accumulator / 24) as u8;
            remainder = accumulator % 24;
        }
        *digit = remainder as u8;
    }
    if number.iter().any(|&b| b != 0) {
        return Err(DecodeError::NotAKey);
    }
    let symbols: Vec<u8> = if has_n {
        // The first digit says where the N goes among the other 24 symbols.
        let mut body: Vec<u8> = digits[1..]
            .iter()
            .map(|&d| ALPHABET[usize::from(d)])
            .collect();
        body.insert(usize::from(digits[0]).min(body.len()), b'N');
        body
    } else {
        digits.iter().map(|&d| ALPHABET[usize::from(d)]).collect()
    };
    let groups: Vec<&str> = symbols
        .chunks(5)
        .map(|g| std::str::from_utf8(g).expect("the alphabet is ASCII"))
        .collect();
    Ok(Some(groups.join("-")))
}

/// `XXXXX-XXXXX-XXXXX-XXXXX-GPDD4` for a full key; anything shorter than a group is masked whole.
pub fn mask(key: &str) -> String {
    let key = key.trim();
    let last: String = key
        .chars()
        .rev()
        .take_while(|c| *c != '-')
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    if key.contains('-') && last.chars().count() == 5 {
        format!("XXXXX-XXXXX-XXXXX-XXXXX-{last}")
    } else {
        "XXXXX-XXXXX-XXXXX-XXXXX-XXXXX".to_string()
    }
}

/// Whether a key is already masked (an inventory written with keys hidden holds it so).
pub fn is_masked(key: &str) -> bool {
    key.trim()
        .to_ascii_uppercase()
        .starts_with("XXXXX-XXXXX-XXXXX-XXXXX-")
}

/// The last group of a key, `GPDD4` of `FJ82H-…-GPDD4`, when it has the form of one.
pub fn last_group(key: &str) -> Option<String> {
    let symbols: String = key
        .chars()
        .filter(|c| *c != '-' && !c.is_whitespace())
        .collect();
    // A key is 25 ASCII letters and digits; anything else (a damaged cell, another script) has
    // no last group, and is never cut inside a character.
    (symbols.len() == 25 && symbols.bytes().all(|b| b.is_ascii_alphanumeric()))
        .then(|| symbols[20..].to_ascii_uppercase())
}

/// The inventory as it may be shown: the full product key masked unless `reveal`.
pub fn redact(
    inventory: &crate::facts::inventory::Inventory,
    reveal: bool,
) -> std::borrow::Cow<'_, crate::facts::inventory::Inventory> {
    let has_key = inventory
        .license
        .as_ref()
        .is_some_and(|l| l.product_key.is_some());
    if reveal || !has_key {
        return std::borrow::Cow::Borrowed(inventory);
    }
    let mut shown = inventory.clone();
    if let Some(license) = shown.license.as_mut() {
        license.product_key = license.product_key.as_deref().map(mask);
    }
    std::borrow::Cow::Owned(shown)
}

/// The 15 key bytes a key decodes from: the inverse of [`decode_key_bytes`], for tests that
/// build registry blobs from known keys.
// Not `#[from]` on the error's variant: that would also make this the source, and the binary
// would print its message twice. The message is kept as text so the error type needs nothing
// from this layer.
impl From<DecodeError> for crate::error::Error {
    fn from(e: DecodeError) -> Self {
        crate::error::Error::KeyBlob(e.to_string())
    }
}

#[cfg(test)]
pub(crate) fn encode_key_bytes(key: &str) -> [u8; 15] {
    let symbols: Vec<u8> = key.bytes().filter(|b| *b != b'-').collect();
    let n_at = symbols.iter().position(|&b| b == b'N');
    let mut digits: Vec<u8> = symbols
        .iter()
        .filter(|&&b| b != b'N')
        .map(|b| ALPHABET.iter().position(|a| a == b).unwrap() as u8)
        .collect();
    if let Some(index) = n_at {
        digits.insert(0, index as u8);
    }
    let mut number = [0u8; 15];
    for digit in digits {
        let mut carry = u32::from(digit);
        for byte in number.iter_mut() {
            let value = u32::from(*byte) * 24 + carry;
            *byte = (value & 0xff) as u8;
            carry = value >> 8;
        }
    }
    if n_at.is_some() {
        number[14] |= 0x08;
    }
    number
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes(hex: &str) -> [u8; 15] {
        let v: Vec<u8> = (0..30)
            .step_by(2)
            .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
            .collect();
        v.try_into().unwrap()
    }

    /// The vectors of the shared facts (productkey_vectors.yaml): public test data of
    /// fox-it/dissect.target and glpi-agent, and two synthetic ones from Microsoft's GVLKs.
    #[test]
    fn decodes_the_published_vectors() {
        let cases = [
            (
                "ec0c00000000a8d27b6e89814f6d09",
                "VK7JG-NPHTM-C97JM-9MPGT-3V66T",
            ),
            (
                "d71000000000288b1b9eaf44f3d708",
                "J4WNC-H9BG3-6XRX4-3XD8K-Y7XRX",
            ),
            (
                "09078014743314aa32e4d511251508",
                "NK2HF-3VG6G-X3YMF-JFT99-HCBRC",
            ),
            (
                "c3aabfa65bba18b8878e89d24ed800",
                "FJ82H-XT6CR-J8D7P-XQJJ2-GPDD4",
            ),
            (
                "da0c30000000186367e01565be1908",
                "NPPR9-FWDCX-D2C8J-H872K-2YT43",
            ),
            (
                "ef0c10000000343dc5394ebd6e2f09",
                "W269N-WFGWX-YVC9B-4J6C9-T83GX",
            ),
            (
                "7d29d9af2c54917dd6ecd23311d204",
                "33PXH-7Y6KF-2VJC9-XBBR8-HVTHH",
            ),
        ];
        for (hex, key) in cases {
            assert_eq!(
                decode_key_bytes(&bytes(hex)).unwrap().as_deref(),
                Some(key),
                "{hex}"
            );
        }
        assert_eq!(decode_key_bytes(&[0; 15]).unwrap(), None);
        assert_eq!(decode_key_bytes(&[0xff; 15]), Err(DecodeError::NotAKey));
    }

    #[test]
    fn finds_the_key_in_either_blob() {
        let mut short = vec![0u8; 164];
        short[52..67].copy_from_slice(&bytes("c3aabfa65bba18b8878e89d24ed800"));
        assert_eq!(
            decode_digital_product_id(&short).unwrap().as_deref(),
            Some("FJ82H-XT6CR-J8D7P-XQJJ2-GPDD4")
        );
        let mut long = vec![0u8; 1272];
        long[808..823].copy_from_slice(&bytes("09078014743314aa32e4d511251508"));
        assert_eq!(
            decode_digital_product_id(&long).unwrap().as_deref(),
            Some("NK2HF-3VG6G-X3YMF-JFT99-HCBRC")
        );
        assert_eq!(
            decode_digital_product_id(&[1, 2, 3]),
            Err(DecodeError::TooShort { len: 3 })
        );
    }

    /// Every published GVLK survives encoding and decoding, which covers an N at each place the
    /// list has one (0, 1, 2, 3, 4, 7, 8, 11, 13, 16, 18, 21) and both forms.
    #[test]
    fn every_gvlk_round_trips() {
        for g in &crate::knowledge::gvlk::GvlkList::embedded().keys {
            let bytes = encode_key_bytes(&g.key);
            assert_eq!(
                decode_key_bytes(&bytes).unwrap().as_deref(),
                Some(g.key.as_str()),
                "{}",
                g.key
            );
        }
        let key = "9DH4N-BBBBB-BBBBB-BBBBB-BBBBB";
        let bytes = encode_key_bytes(key);
        assert_eq!(decode_key_bytes(&bytes).unwrap().as_deref(), Some(key));
        let late_n = "BBBBB-BBBBB-BBBBB-BBBBB-BBBN9";
        assert_eq!(
            decode_key_bytes(&encode_key_bytes(late_n))
                .unwrap()
                .as_deref(),
            Some(late_n)
        );
    }

    #[test]
    fn decode_any_reads_key_bytes_and_both_blobs() {
        let key = bytes("09078014743314aa32e4d511251508");
        let d = decode_any(&key).unwrap();
        assert_eq!(d.kind, BlobKind::KeyBytes);
        assert_eq!(d.key.as_deref(), Some("NK2HF-3VG6G-X3YMF-JFT99-HCBRC"));
        let mut sixteen = key.to_vec();
        sixteen.push(0);
        assert_eq!(decode_any(&sixteen).unwrap().key, d.key);

        let mut dpid = vec![0u8; 164];
        dpid[0] = 0xa4;
        dpid[8..31].copy_from_slice(b"00371-OEM-8992671-00008");
        dpid[52..67].copy_from_slice(&bytes("c3aabfa65bba18b8878e89d24ed800"));
        let d = decode_any(&dpid).unwrap();
        assert_eq!(d.kind, BlobKind::DigitalProductId);
        assert_eq!(d.product_id.as_deref(), Some("00371-OEM-8992671-00008"));
        assert_eq!(d.key.as_deref(), Some("FJ82H-XT6CR-J8D7P-XQJJ2-GPDD4"));

        let mut dpid4 = vec![0u8; 1272];
        dpid4[808..823].copy_from_slice(&bytes("ec0c00000000a8d27b6e89814f6d09"));
        let d = decode_any(&dpid4).unwrap();
        assert_eq!(d.kind, BlobKind::DigitalProductId4);
        assert_eq!(d.key.as_deref(), Some("VK7JG-NPHTM-C97JM-9MPGT-3V66T"));

        assert_eq!(decode_any(&[0u8; 164]).unwrap().key, None);
        assert_eq!(
            decode_any(&[0u8; 40]),
            Err(DecodeError::TooShort { len: 40 })
        );
    }

    #[test]
    fn a_key_with_a_character_that_is_not_ascii_has_no_last_group() {
        // 25 characters, one of them two bytes: found by tests/no_panic.rs as a panic.
        assert_eq!(last_group("FJ82H-XT6CR-J8D7P-XQJJ2-GPDé4"), None);
        assert_eq!(
            last_group("fj82h xt6cr j8d7p xqjj2 gpdd4"),
            Some("GPDD4".into())
        );
    }

    #[test]
    fn masks_all_but_the_last_group() {
        assert_eq!(
            mask("FJ82H-XT6CR-J8D7P-XQJJ2-GPDD4"),
            "XXXXX-XXXXX-XXXXX-XXXXX-GPDD4"
        );
        assert_eq!(mask("garbage"), "XXXXX-XXXXX-XXXXX-XXXXX-XXXXX");
        assert_eq!(mask(""), "XXXXX-XXXXX-XXXXX-XXXXX-XXXXX");
    }
}
