//! Product keys: decoding them from the registry's `DigitalProductId` blobs, and how they are
//! shown.
//!
//! A full key is private: every output shows it masked to its last group, the part Windows itself
//! shows, unless the user asks to reveal it. This module owns that rule so no renderer has its own.
//! It never makes a key: it only reads the one a machine holds.

/// The 24 symbols of a product key, in digit order.
pub const ALPHABET: &[u8; 24] = b"BCDFGHJKMPQRTVWXY2346789";

/// Where the 15 encoded key bytes sit in each registry blob.
const DIGITAL_PRODUCT_ID_KEY_AT: usize = 52;
const DIGITAL_PRODUCT_ID4_KEY_AT: usize = 808;
const DIGITAL_PRODUCT_ID4_SIZE: usize = 1272;

/// Why a blob could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("the blob is {len} bytes; a DigitalProductId holds its key at bytes 52 to 66")]
    TooShort { len: usize },
    #[error("the key bytes do not encode a product key (the number is too large)")]
    NotAKey,
}

/// Decodes the product key of a `DigitalProductId` (164 bytes, key at 52) or
/// `DigitalProductId4` (1272 bytes, key at 808) blob. `Ok(None)` means the blob holds no key, as
/// volume-licensed Windows 7 leaves it.
pub fn decode_digital_product_id(blob: &[u8]) -> Result<Option<String>, DecodeError> {
    let at = if blob.len() >= DIGITAL_PRODUCT_ID4_SIZE {
        DIGITAL_PRODUCT_ID4_KEY_AT
    } else {
        DIGITAL_PRODUCT_ID_KEY_AT
    };
    let bytes: &[u8; 15] = blob
        .get(at..at + 15)
        .and_then(|b| b.try_into().ok())
        .ok_or(DecodeError::TooShort { len: blob.len() })?;
    decode_key_bytes(bytes)
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

/// The inventory as it may be shown: the full product key masked unless `reveal`.
pub fn redact(
    inventory: &crate::inventory::Inventory,
    reveal: bool,
) -> std::borrow::Cow<'_, crate::inventory::Inventory> {
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
