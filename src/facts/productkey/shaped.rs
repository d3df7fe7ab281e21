//! Finding anything shaped like a product key in free text and masking it: the one pass every
//! report, inventory, dashboard, CSV and error message goes through before it leaves w7plan, so
//! a key that sits in a field nobody expected (a note, a description, a channel, a parse error
//! quoting the bad value) is masked as the `product_key` field is.
//!
//! A key's shape is five groups of five symbols of the product-key alphabet (plus Windows 8's `N`),
//! in either case, joined by `-` or written without dashes, standing alone (no letter or digit
//! directly before or after). Masking keeps the last group, as Windows itself shows it, and keeps
//! the length, so the pass can run over a stream in place and never moves text around (a terminal
//! table's borders stay where they were). It does not judge whether the key is valid: a typo'd key
//! is still private.

use std::io::Write;

/// `XXXXX-XXXXX-XXXXX-XXXXX-` + last group (or 20 `X` and the last group without dashes).
const DASHED_LEN: usize = 29;
const BARE_LEN: usize = 25;

/// Whether `byte` is one of the key's symbols (upper or lower case, with `N`).
const fn key_symbols() -> [bool; 256] {
    let mut table = [false; 256];
    let mut i = 0;
    while i < super::ALPHABET.len() {
        let c = super::ALPHABET[i];
        table[c as usize] = true;
        table[c.to_ascii_lowercase() as usize] = true;
        i += 1;
    }
    table[b'N' as usize] = true;
    table[b'n' as usize] = true;
    table
}

static SYMBOL: [bool; 256] = key_symbols();

fn is_symbol(byte: u8) -> bool {
    SYMBOL[usize::from(byte)]
}

/// A byte a key may hold: one of its symbols or a dash.
fn in_key(byte: u8) -> bool {
    is_symbol(byte) || byte == b'-'
}

/// A letter or digit: what must not touch a key on either side for it to stand alone.
fn is_word(byte: u8) -> bool {
    byte.is_ascii_alphanumeric()
}

/// The length of a key starting at `at` (29 with dashes, 25 without), when one does and the
/// byte after it is known (`complete`: the text ends there) and not part of a word.
fn key_at(bytes: &[u8], at: usize, complete: bool) -> Option<usize> {
    let rest = &bytes[at..];
    let stands_alone = |len: usize| match rest.get(len) {
        Some(&next) => !is_word(next),
        None => complete,
    };
    let dashed = rest.len() >= DASHED_LEN
        && (0..DASHED_LEN).all(|i| {
            if i % 6 == 5 {
                rest[i] == b'-'
            } else {
                is_symbol(rest[i])
            }
        });
    if dashed && stands_alone(DASHED_LEN) {
        return Some(DASHED_LEN);
    }
    let bare = rest.len() >= BARE_LEN && rest[..BARE_LEN].iter().all(|&b| is_symbol(b));
    (bare && stands_alone(BARE_LEN)).then_some(BARE_LEN)
}

/// Calls `found` with the start and length of every key in `bytes` that starts where a word may
/// start (after `before`, the byte preceding `bytes`, for a stream) and whose end is known
/// (`complete`: nothing follows `bytes`).
fn find_keys(
    bytes: &[u8],
    before: Option<u8>,
    complete: bool,
    mut found: impl FnMut(usize, usize),
) {
    let mut previous = before;
    let mut at = 0;
    // Bytes in `at..known` are known to be symbols or dashes.
    let mut known = 0;
    while at < bytes.len() {
        // Every key's first 25 bytes are symbols or dashes, so a byte that is neither rules out
        // every start up to it: looking from the end of the window back, most text is passed
        // over 25 bytes at a time instead of one (reports are large, and all of them go
        // through here).
        if let Some(window) = bytes.get(known.max(at)..at + BARE_LEN) {
            if let Some(last) = window.iter().rposition(|&b| !in_key(b)) {
                let stop = known.max(at) + last;
                previous = Some(bytes[stop]);
                at = stop + 1;
                continue;
            }
            known = at + BARE_LEN;
        }
        let starts_word = previous.is_none_or(|p| !is_word(p));
        if starts_word && is_symbol(bytes[at]) {
            if let Some(len) = key_at(bytes, at, complete) {
                found(at, len);
                previous = Some(bytes[at + len - 1]);
                at += len;
                continue;
            }
        }
        previous = Some(bytes[at]);
        at += 1;
    }
}

/// Masks one key in place: every symbol but the last group's becomes `X`.
fn mask_at(bytes: &mut [u8], at: usize, len: usize) {
    for byte in &mut bytes[at..at + len - 5] {
        if *byte != b'-' {
            *byte = b'X';
        }
    }
}

fn mask_in_place(bytes: &mut [u8], before: Option<u8>, complete: bool) {
    let mut keys = Vec::new();
    find_keys(bytes, before, complete, |at, len| keys.push((at, len)));
    for (at, len) in keys {
        mask_at(bytes, at, len);
    }
}

/// Whether `text` holds anything shaped like a product key (other than an already masked one).
pub fn holds_key(text: &str) -> bool {
    masked(text) != text
}

/// `text` with everything shaped like a product key masked to its last group.
pub fn masked(text: &str) -> std::borrow::Cow<'_, str> {
    match masked_bytes(text.as_bytes()) {
        std::borrow::Cow::Borrowed(_) => std::borrow::Cow::Borrowed(text),
        // Only ASCII symbols were replaced by `X`, so the text is still UTF-8.
        std::borrow::Cow::Owned(bytes) => std::borrow::Cow::Owned(
            String::from_utf8(bytes)
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into()),
        ),
    }
}

/// The same over bytes (a file's content, whatever its encoding's ASCII part holds).
pub fn masked_bytes(bytes: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    let mut keys = Vec::new();
    find_keys(bytes, None, true, |at, len| keys.push((at, len)));
    if keys.is_empty() {
        return std::borrow::Cow::Borrowed(bytes);
    }
    let mut bytes = bytes.to_vec();
    for (at, len) in keys {
        mask_at(&mut bytes, at, len);
    }
    std::borrow::Cow::Owned(bytes)
}

/// A writer that masks keys in what passes through it. It holds back the last few bytes
/// written, which may be the start of a key the next write completes, even across a flush;
/// [`MaskingWriter::finish`] passes them on and must end every stream.
pub struct MaskingWriter<W: Write> {
    inner: W,
    pending: Vec<u8>,
    /// The last byte passed on: whether a key may start right after it.
    before: Option<u8>,
}

impl<W: Write> MaskingWriter<W> {
    /// Enough to hold a whole dashed key and the byte after it.
    const HOLD: usize = DASHED_LEN + 1;

    pub fn new(inner: W) -> MaskingWriter<W> {
        MaskingWriter {
            inner,
            pending: Vec::with_capacity(64 * 1024),
            before: None,
        }
    }

    /// Ends the text: passes on what was held back, and flushes.
    pub fn finish(mut self) -> std::io::Result<W> {
        self.pass_on(true)?;
        self.inner.flush()?;
        Ok(self.inner)
    }

    fn pass_on(&mut self, complete: bool) -> std::io::Result<()> {
        mask_in_place(&mut self.pending, self.before, complete);
        let send = if complete {
            self.pending.len()
        } else {
            self.pending.len().saturating_sub(Self::HOLD)
        };
        if send == 0 {
            return Ok(());
        }
        self.inner.write_all(&self.pending[..send])?;
        self.before = Some(self.pending[send - 1]);
        self.pending.drain(..send);
        Ok(())
    }
}

impl<W: Write> Write for MaskingWriter<W> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.pending.extend_from_slice(bytes);
        if self.pending.len() >= 32 * 1024 {
            self.pass_on(false)?;
        }
        Ok(bytes.len())
    }

    /// Passes on all but what may be the start of a key.
    fn flush(&mut self) -> std::io::Result<()> {
        self.pass_on(false)?;
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "FJ82H-XT6CR-J8D7P-XQJJ2-GPDD4";

    #[test]
    fn masks_keys_anywhere_in_text() {
        assert_eq!(
            masked(&format!("note: PartialProductKey={KEY}.")),
            "note: PartialProductKey=XXXXX-XXXXX-XXXXX-XXXXX-GPDD4."
        );
        assert_eq!(
            masked("fj82h-xt6cr-j8d7p-xqjj2-gpdd4"),
            "XXXXX-XXXXX-XXXXX-XXXXX-gpdd4"
        );
        assert_eq!(
            masked("\"FJ82HXT6CRJ8D7PXQJJ2GPDD4\""),
            "\"XXXXXXXXXXXXXXXXXXXXGPDD4\""
        );
        // Windows 8 keys with their N, two keys side by side.
        assert_eq!(
            masked("NK2HF-3VG6G-X3YMF-JFT99-HCBRC,W269N-WFGWX-YVC9B-4J6C9-T83GX"),
            "XXXXX-XXXXX-XXXXX-XXXXX-HCBRC,XXXXX-XXXXX-XXXXX-XXXXX-T83GX"
        );
        // A key inside a JSON string, an HTML cell.
        assert_eq!(
            masked(&format!("<td>{KEY}</td>")),
            "<td>XXXXX-XXXXX-XXXXX-XXXXX-GPDD4</td>"
        );
    }

    #[test]
    fn leaves_what_is_not_a_key() {
        for text in [
            "XXXXX-XXXXX-XXXXX-XXXXX-GPDD4",
            "00371-OEM-8992671-00008",
            "FJ82H-XT6CR-J8D7P-XQJJ2-GPDD",
            "AFJ82H-XT6CR-J8D7P-XQJJ2-GPDD4",
            "FJ82H-XT6CR-J8D7P-XQJJ2-GPDD4X",
            "FJ82H-XT6CR-J8D7P-XQJJ2-GPDD0",
            "1FJ82HXT6CRJ8D7PXQJJ2GPDD4",
            "Intel(R) Core(TM) i5-3470 CPU @ 3.20GHz",
            "6fd1b7e2-5c1f-4b0e-9a63-2f4d8a9c1e77",
            "",
        ] {
            assert_eq!(masked(text), text, "{text}");
        }
        assert!(holds_key(KEY));
        assert!(!holds_key("XXXXX-XXXXX-XXXXX-XXXXX-GPDD4"));
    }

    #[test]
    fn a_stream_masks_keys_split_across_writes() {
        let text = format!("a {KEY} b-{KEY}\n{}{KEY}x {KEY}", "y".repeat(40_000));
        let expected = masked(&text).into_owned();
        assert_ne!(expected, text);
        for chunk in [1, 2, 7, 28, 29, 30, 4096, text.len()] {
            let mut out = Vec::new();
            let mut writer = MaskingWriter::new(&mut out);
            for piece in text.as_bytes().chunks(chunk) {
                writer.write_all(piece).unwrap();
                // A flush in the middle (a template engine's) must not let a key through.
                writer.flush().unwrap();
            }
            writer.finish().unwrap();
            assert_eq!(
                String::from_utf8(out).unwrap(),
                expected,
                "chunks of {chunk}"
            );
        }
    }

    /// The skipping search finds exactly the keys a byte-by-byte one does, on text made mostly
    /// of key symbols, dashes and the separators around them, and over a stream as well.
    #[test]
    fn skipping_finds_what_a_plain_search_finds() {
        fn plain(bytes: &[u8]) -> Vec<(usize, usize)> {
            let mut found = Vec::new();
            let mut at = 0;
            while at < bytes.len() {
                let starts_word = at == 0 || !is_word(bytes[at - 1]);
                match key_at(bytes, at, true).filter(|_| starts_word) {
                    Some(len) => {
                        found.push((at, len));
                        at += len;
                    }
                    None => at += 1,
                }
            }
            found
        }
        let alphabet = b"BCDFGHJKMNPQRTVWXY2346789bcdfg-- .aei0\n";
        let mut rng = fastrand::Rng::with_seed(7);
        for round in 0..3000 {
            let len = rng.usize(0..120);
            let mut text: Vec<u8> = (0..len)
                .map(|_| alphabet[rng.usize(0..alphabet.len())])
                .collect();
            if round % 3 == 0 && len > 30 {
                let at = rng.usize(0..len - 29);
                text[at..at + 29].copy_from_slice(KEY.as_bytes());
            }
            let mut skipping = Vec::new();
            find_keys(&text, None, true, |at, len| skipping.push((at, len)));
            assert_eq!(
                skipping,
                plain(&text),
                "{:?}",
                String::from_utf8_lossy(&text)
            );
        }
    }
}
