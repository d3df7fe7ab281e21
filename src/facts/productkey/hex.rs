//! Reads bytes written as hexadecimal text, in the shapes people paste: plain `a40000…`, spaced or
//! comma-separated pairs, `.reg` values (`"DigitalProductId"=hex:a4,00,…` with `\` line
//! continuations), `hex:`/`hex(3):` prefixes and `0x` pairs.
//!
//! It only turns text into bytes; what the bytes mean is the caller's business.

/// Why the text is not hexadecimal bytes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HexError {
    #[error("no hexadecimal digits were given")]
    Empty,
    #[error("`{found}` (character {position}) is not a hexadecimal digit")]
    NotHex { found: char, position: usize },
    #[error("`{token}` has an odd number of hexadecimal digits; each byte is two digits")]
    OddDigits { token: String },
}

/// The bytes the text spells out.
pub fn parse(text: &str) -> Result<Vec<u8>, HexError> {
    let mut bytes = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let line_start = offset;
        offset += line.len();
        // A .reg line names the value before `=`; the data follows it.
        let data = match line.find('=') {
            Some(i) => &line[i + 1..],
            None => line,
        };
        let data_start = line_start + (line.len() - data.len());
        for (token_start, token) in tokens(data) {
            let token = strip_prefixes(token);
            if token.is_empty() {
                continue;
            }
            if let Some((i, c)) = token.char_indices().find(|(_, c)| !c.is_ascii_hexdigit()) {
                let at = data_start + token_start + i;
                return Err(HexError::NotHex {
                    found: c,
                    position: text[..at].chars().count() + 1,
                });
            }
            if token.len() % 2 == 1 {
                return Err(HexError::OddDigits {
                    token: token.to_string(),
                });
            }
            for pair in token.as_bytes().chunks(2) {
                let pair = std::str::from_utf8(pair).expect("ASCII hex digits");
                bytes.push(u8::from_str_radix(pair, 16).expect("checked hex digits"));
            }
        }
    }
    if bytes.is_empty() {
        return Err(HexError::Empty);
    }
    Ok(bytes)
}

/// Pieces between separators (white space, commas, `\` continuations, a BOM), with their byte
/// offsets in `data`.
fn tokens(data: &str) -> impl Iterator<Item = (usize, &str)> {
    let separator = |c: char| c.is_whitespace() || matches!(c, ',' | '\\' | '\u{feff}' | ';');
    let mut rest = data;
    let mut at = 0;
    std::iter::from_fn(move || {
        let skipped = rest.len() - rest.trim_start_matches(separator).len();
        rest = &rest[skipped..];
        at += skipped;
        if rest.is_empty() {
            return None;
        }
        let end = rest.find(separator).unwrap_or(rest.len());
        let token = (at, &rest[..end]);
        rest = &rest[end..];
        at += end;
        Some(token)
    })
}

/// `hex:`, `hex(3):` and `0x` prefixes, in any case.
fn strip_prefixes(token: &str) -> &str {
    let mut token = token;
    let lower = token.to_ascii_lowercase();
    if lower.starts_with("hex") {
        if let Some(colon) = token.find(':') {
            let between = &lower[3..colon];
            if between.is_empty() || (between.starts_with('(') && between.ends_with(')')) {
                token = &token[colon + 1..];
            }
        }
    }
    // `get`: the token may start with a character of several bytes (found by fuzzing).
    if token.len() > 2 && token.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("0x")) {
        token = &token[2..];
    }
    token
}

// Not `#[from]` on the error's variant: that would also make this the source, and the binary
// would print its message twice. The message is kept as text so the error type needs nothing
// from this layer.
impl From<HexError> for crate::error::Error {
    fn from(e: HexError) -> Self {
        crate::error::Error::Hex(e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_multibyte_character_where_a_prefix_could_be_is_not_hex() {
        // `0x` is looked for in the first two bytes; `3` then 0xFF (U+FFFD once decoded) split a
        // character there and panicked.
        let text = String::from_utf8_lossy(b"3\xff\xff\xff\t,30");
        assert!(matches!(parse(&text), Err(HexError::NotHex { .. })));
        assert!(matches!(parse("é0"), Err(HexError::NotHex { .. })));
    }

    #[test]
    fn reads_the_shapes_people_paste() {
        assert_eq!(parse("c3aabf").unwrap(), vec![0xc3, 0xaa, 0xbf]);
        assert_eq!(parse("C3 AA BF\n").unwrap(), vec![0xc3, 0xaa, 0xbf]);
        assert_eq!(parse("c3,aa,bf").unwrap(), vec![0xc3, 0xaa, 0xbf]);
        assert_eq!(parse("hex:c3,aa,\\\n  bf").unwrap(), vec![0xc3, 0xaa, 0xbf]);
        assert_eq!(
            parse("\"DigitalProductId\"=hex:a4,00,\\\r\n  00,00\r\n").unwrap(),
            vec![0xa4, 0, 0, 0]
        );
        assert_eq!(parse("hex(3):01,02").unwrap(), vec![1, 2]);
        assert_eq!(parse("0xc3 0xAA").unwrap(), vec![0xc3, 0xaa]);
    }

    #[test]
    fn says_what_is_wrong() {
        assert_eq!(parse(" ,\n"), Err(HexError::Empty));
        assert_eq!(
            parse("c3 ag"),
            Err(HexError::NotHex {
                found: 'g',
                position: 5
            })
        );
        assert_eq!(
            parse("c3a"),
            Err(HexError::OddDigits {
                token: "c3a".into()
            })
        );
    }
}
