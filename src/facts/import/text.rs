//! Turns the bytes a Windows tool wrote into text: the one place that knows encodings, line ends
//! and the shapes of localized numbers and dates.
//!
//! Windows 7 tools write what the capture chose, not what the tool prefers (FORMATS.md §2.1):
//! `cmd > file` gives the OEM code page (CP437/850/852/866/936), PowerShell's `>` and every `wmic`
//! or `reg export` redirect give UTF-16LE with a BOM, a copy from a console gives UTF-8 or ANSI.
//! [`decode`] sniffs a BOM, then the NUL pattern of BOM-less UTF-16, then UTF-8 validity, and only
//! then picks an 8-bit code page from the content (the `System Locale` value systeminfo prints, or a
//! hint from another file of the same machine), scoring the OEM and ANSI candidates by how
//! plausible the letters they give are. It never fails: undecodable bytes become U+FFFD.
//!
//! It does not parse any format; the importers do. Line splitting is on `\n` only (CP850's `à` is
//! byte 0x85, which Latin-1 would turn into U+0085 NEL, a line break for some splitters).

use std::borrow::Cow;

/// What the bytes were read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16Le,
    Utf16Be,
    Cp437,
    Cp850,
    Cp852,
    Cp866,
    /// CP936, which encoding_rs reads as GBK (a superset).
    Gbk,
    Big5,
    ShiftJis,
    EucKr,
    Windows1250,
    Windows1251,
    Windows1252,
}

impl Encoding {
    /// The name Windows would use for it.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf16Le => "UTF-16LE",
            Encoding::Utf16Be => "UTF-16BE",
            Encoding::Cp437 => "CP437",
            Encoding::Cp850 => "CP850",
            Encoding::Cp852 => "CP852",
            Encoding::Cp866 => "CP866",
            Encoding::Gbk => "CP936 (GBK)",
            Encoding::Big5 => "CP950 (Big5)",
            Encoding::ShiftJis => "CP932 (Shift_JIS)",
            Encoding::EucKr => "CP949",
            Encoding::Windows1250 => "Windows-1250",
            Encoding::Windows1251 => "Windows-1251",
            Encoding::Windows1252 => "Windows-1252",
        }
    }

    /// Whether a non-ASCII character takes two bytes (and two console cells).
    pub fn is_double_byte(self) -> bool {
        matches!(
            self,
            Encoding::Gbk | Encoding::Big5 | Encoding::ShiftJis | Encoding::EucKr
        )
    }

    /// Decodes `bytes` (without a BOM) in this encoding; bad sequences become U+FFFD.
    pub fn decode(self, bytes: &[u8]) -> String {
        match self {
            Encoding::Utf8 => String::from_utf8_lossy(bytes).into_owned(),
            Encoding::Utf16Le | Encoding::Utf16Be => {
                let units = bytes.chunks_exact(2).map(|pair| {
                    if self == Encoding::Utf16Le {
                        u16::from_le_bytes([pair[0], pair[1]])
                    } else {
                        u16::from_be_bytes([pair[0], pair[1]])
                    }
                });
                char::decode_utf16(units)
                    .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
                    .collect()
            }
            Encoding::Cp437 => single_byte(bytes, &oem_cp::code_table::DECODING_TABLE_CP437),
            Encoding::Cp850 => single_byte(bytes, &oem_cp::code_table::DECODING_TABLE_CP850),
            Encoding::Cp852 => single_byte(bytes, &oem_cp::code_table::DECODING_TABLE_CP852),
            Encoding::Cp866 => web(encoding_rs::IBM866, bytes),
            Encoding::Gbk => web(encoding_rs::GBK, bytes),
            Encoding::Big5 => web(encoding_rs::BIG5, bytes),
            Encoding::ShiftJis => web(encoding_rs::SHIFT_JIS, bytes),
            Encoding::EucKr => web(encoding_rs::EUC_KR, bytes),
            Encoding::Windows1250 => web(encoding_rs::WINDOWS_1250, bytes),
            Encoding::Windows1251 => web(encoding_rs::WINDOWS_1251, bytes),
            Encoding::Windows1252 => web(encoding_rs::WINDOWS_1252, bytes),
        }
    }
}

fn single_byte(bytes: &[u8], table: &[char; 128]) -> String {
    bytes
        .iter()
        .map(|&b| {
            if b < 0x80 {
                char::from(b)
            } else {
                table[usize::from(b - 0x80)]
            }
        })
        .collect()
}

fn web(encoding: &'static encoding_rs::Encoding, bytes: &[u8]) -> String {
    let (text, _had_errors) = encoding.decode_without_bom_handling(bytes);
    match text {
        Cow::Borrowed(s) => s.to_string(),
        Cow::Owned(s) => s,
    }
}

/// Text and how it was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    pub encoding: Encoding,
    /// Whether the bytes started with a byte-order mark.
    pub bom: bool,
}

/// Decodes a tool's output, choosing the encoding from the bytes alone.
pub fn decode(bytes: &[u8]) -> Decoded {
    decode_with(bytes, None)
}

/// Decodes a tool's output; `locale` (such as `fr`, `zh-cn` or `ro-RO`) is the machine's system
/// locale where another file told it, used only if the bytes are neither Unicode nor ASCII.
pub fn decode_with(bytes: &[u8], locale: Option<&str>) -> Decoded {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return decoded(Encoding::Utf8.decode(rest), Encoding::Utf8, true);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return decoded(Encoding::Utf16Le.decode(rest), Encoding::Utf16Le, true);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return decoded(Encoding::Utf16Be.decode(rest), Encoding::Utf16Be, true);
    }
    if let Some(encoding) = sniff_utf16(bytes) {
        return decoded(encoding.decode(bytes), encoding, false);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return decoded(text.to_string(), Encoding::Utf8, false);
    }
    let owned_hint;
    let hint = match locale {
        Some(l) => Some(l),
        None => {
            owned_hint = find_locale_tag(bytes);
            owned_hint.as_deref()
        }
    };
    // regedit writes REGEDIT4 files in the ANSI code page, never in the console's OEM one.
    let candidates = if bytes.starts_with(b"REGEDIT4") && hint.is_none() {
        &[
            Encoding::Windows1252,
            Encoding::Windows1250,
            Encoding::Windows1251,
            Encoding::Gbk,
        ][..]
    } else {
        candidates_for(hint)
    };
    let mut best: Option<(i64, Encoding, String)> = None;
    for &encoding in candidates {
        let text = encoding.decode(bytes);
        let mut score = plausibility(&text);
        if encoding == Encoding::Gbk {
            score -= 6 * outside_gb2312(&text);
        }
        if best.as_ref().is_none_or(|(s, _, _)| score > *s) {
            best = Some((score, encoding, text));
        }
    }
    match best {
        Some((_, encoding, text)) => decoded(text, encoding, false),
        None => decoded(Encoding::Cp850.decode(bytes), Encoding::Cp850, false),
    }
}

fn decoded(text: String, encoding: Encoding, bom: bool) -> Decoded {
    Decoded {
        text,
        encoding,
        bom,
    }
}

/// UTF-16 without a BOM: text that is mostly ASCII has a NUL in every other byte.
fn sniff_utf16(bytes: &[u8]) -> Option<Encoding> {
    let sample = &bytes[..bytes.len().min(4096)];
    if sample.len() < 4 {
        return None;
    }
    let pairs = sample.len() / 2;
    let (mut even_nul, mut odd_nul) = (0usize, 0usize);
    for pair in sample.chunks_exact(2) {
        even_nul += usize::from(pair[0] == 0);
        odd_nul += usize::from(pair[1] == 0);
    }
    if odd_nul * 10 >= pairs * 4 && even_nul * 20 <= pairs {
        Some(Encoding::Utf16Le)
    } else if even_nul * 10 >= pairs * 4 && odd_nul * 20 <= pairs {
        Some(Encoding::Utf16Be)
    } else {
        None
    }
}

/// The first `xx;` or `xx-yy;` value in an 8-bit text, as systeminfo prints `System Locale` (which
/// comes before `Input Locale`): it names the system locale, and so the OEM code page.
pub fn find_locale_tag(bytes: &[u8]) -> Option<String> {
    for line in bytes.split(|&b| b == b'\n') {
        for (i, window) in line.windows(2).enumerate() {
            // A tag starts after two spaces (the padding before systeminfo's value column).
            if window != b"  " {
                continue;
            }
            let rest = &line[i + 2..];
            let end = rest.iter().position(|&b| b == b';');
            let Some(end) = end else { continue };
            let tag = &rest[..end];
            if is_locale_tag(tag) {
                return std::str::from_utf8(tag).ok().map(str::to_ascii_lowercase);
            }
        }
    }
    None
}

fn is_locale_tag(tag: &[u8]) -> bool {
    let mut parts = tag.split(|&b| b == b'-');
    let Some(language) = parts.next() else {
        return false;
    };
    (2..=3).contains(&language.len())
        && language.iter().all(u8::is_ascii_alphabetic)
        && parts.all(|p| (2..=4).contains(&p.len()) && p.iter().all(u8::is_ascii_alphanumeric))
}

/// The OEM code page first, then the ANSI one, for a locale's language.
fn candidates_for(locale: Option<&str>) -> &'static [Encoding] {
    use Encoding::*;
    let locale = locale.unwrap_or("").to_ascii_lowercase();
    let language = locale.split(['-', '_']).next().unwrap_or("");
    match language {
        "" => &[
            Cp850,
            Cp437,
            Cp852,
            Cp866,
            Windows1252,
            Windows1250,
            Windows1251,
            Gbk,
        ],
        "zh" if locale.contains("tw") || locale.contains("hk") || locale.contains("mo") => &[Big5],
        "zh" => &[Gbk],
        "ja" => &[ShiftJis],
        "ko" => &[EucKr],
        "ru" | "uk" | "be" | "bg" | "mk" | "kk" | "tt" | "ky" | "mn" => &[Cp866, Windows1251],
        "sr" if locale.contains("cyrl") => &[Cp866, Windows1251],
        "cs" | "sk" | "pl" | "hu" | "ro" | "hr" | "sl" | "bs" | "sr" | "sq" => {
            &[Cp852, Windows1250]
        }
        "en" if locale == "en" || locale.starts_with("en-us") || locale.starts_with("en-ca") => {
            &[Cp437, Windows1252]
        }
        _ => &[Cp850, Windows1252],
    }
}

/// How plausible a decoding is: letters score, symbols, box drawing, C1 controls and capitals in
/// the middle of a word (`SystŠme` is CP850 read as Windows-1252) cost.
fn plausibility(text: &str) -> i64 {
    let mut score = 0i64;
    let mut prev = ' ';
    for c in text.chars() {
        if c.is_ascii() {
            prev = c;
            continue;
        }
        score += match c {
            '\u{FFFD}' => -10,
            '\u{80}'..='\u{9F}' => -5,
            '\u{A0}' => 0,
            c if is_wide(c) => 5,
            c if c.is_alphabetic() => {
                if prev.is_ascii_digit() {
                    -2
                } else if c.is_uppercase() && prev.is_lowercase() {
                    -3
                } else {
                    2
                }
            }
            _ => -3,
        };
        prev = c;
    }
    score
}

/// How many of the text's characters lie outside GB2312, the common core of GBK. Chinese text
/// is almost all GB2312 (both bytes 0xA1..=0xFE); a Western ANSI text misread as GBK turns each
/// accented letter and the ASCII letter after it into one rare GBK-only character (`é` `n` →
/// `閚`), which would otherwise outscore the accented letters it really is.
fn outside_gb2312(text: &str) -> i64 {
    let mut buffer = [0u8; 4];
    let count = text
        .chars()
        .filter(|c| is_wide(*c))
        .filter(|c| {
            let (bytes, _, _) = encoding_rs::GBK.encode(c.encode_utf8(&mut buffer));
            !matches!(bytes.as_ref(), [lead, trail] if *lead >= 0xA1 && *trail >= 0xA1)
        })
        .count();
    i64::try_from(count).unwrap_or(i64::MAX)
}

/// East Asian wide and fullwidth characters, which take two console cells (and two bytes in
/// CP936): systeminfo aligns its columns in those cells.
pub fn is_wide(c: char) -> bool {
    matches!(u32::from(c),
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x20000..=0x3FFFD)
}

/// The console width of a string.
pub fn width(s: &str) -> usize {
    s.chars().map(|c| if is_wide(c) { 2 } else { 1 }).sum()
}

/// Splits a string at a console column: the part before takes `column` cells (or the whole
/// string, if shorter).
pub fn split_at_width(s: &str, column: usize) -> (&str, &str) {
    let mut cells = 0;
    for (i, c) in s.char_indices() {
        if cells >= column {
            return (&s[..i], &s[i..]);
        }
        cells += if is_wide(c) { 2 } else { 1 };
    }
    (s, "")
}

/// Lines split on `\n`, with any trailing `\r`s (a `\r\r\n` is common after piping) removed.
pub fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.trim_start_matches('\u{feff}')
        .split('\n')
        .map(|l| l.trim_end_matches('\r'))
}

/// Collapses runs of white space (NBSP included) into one space and trims the ends.
pub fn squash(s: &str) -> String {
    s.split(|c: char| c.is_whitespace() || c == '\u{a0}')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A whole number written with thousands separators as the regional format has them: `8,192`,
/// `8.192`, `8 192` or `8\u{a0}192` (NBSP, byte 0xFF in CP850). Reads from the start of `s` up to
/// the first character that is neither a digit nor a separator between digits.
pub fn grouped_number(s: &str) -> Option<u64> {
    let s = s.trim_start();
    let mut digits = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            digits.push(c);
        } else if matches!(c, ',' | '.' | ' ' | '\u{a0}' | '\u{202f}' | '\'')
            && !digits.is_empty()
            && chars.peek().is_some_and(char::is_ascii_digit)
        {
            continue;
        } else {
            break;
        }
    }
    if digits.is_empty() || digits.len() > 19 {
        return None;
    }
    digits.parse().ok()
}

/// The first run of ASCII digits in `s`, as a number.
pub fn first_number(s: &str) -> Option<u64> {
    let start = s.find(|c: char| c.is_ascii_digit())?;
    let digits: String = s[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .take(19)
        .collect();
    digits.parse().ok()
}

/// A calendar date written the way the user's regional format has it: `4/25/2014`, `29/04/2019`,
/// `15.06.2016`, `18. 3. 2019`, `26-1-2019`, `2019/1/24`, `2022-04-13`. Day and month are told
/// apart by a number over 12 where there is one, by the year coming first (y/m/d), and otherwise
/// by the separator: `/` with an AM/PM marker in `context` is the US month/day order, `/` alone,
/// `.` and `-` are day/month. Returns ISO `YYYY-MM-DD`.
pub fn regional_date(s: &str, context: &str) -> Option<String> {
    let s = s.trim();
    // The date is the part before the first comma (systeminfo writes `date, time`).
    let date_part = s.split(',').next().unwrap_or(s).trim();
    let numbers: Vec<&str> = date_part
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .collect();
    if numbers.len() < 3 {
        return None;
    }
    let values: Vec<u32> = numbers[..3]
        .iter()
        .map(|n| n.parse::<u32>().ok())
        .collect::<Option<_>>()?;
    let separator = date_part
        .chars()
        .find(|c| !c.is_ascii_digit() && !c.is_whitespace())
        .unwrap_or('/');
    let (year, month, day) = if numbers[0].len() == 4 {
        (values[0], values[1], values[2])
    } else if numbers[2].len() == 4 || numbers[2].len() == 2 {
        let year = if numbers[2].len() == 2 {
            2000 + values[2]
        } else {
            values[2]
        };
        let (a, b) = (values[0], values[1]);
        let us = separator == '/' && has_am_pm(context);
        if a > 12 {
            (year, b, a)
        } else if b > 12 || us {
            (year, a, b)
        } else {
            (year, b, a)
        }
    } else {
        return None;
    };
    iso_date(year, month, day)
}

fn has_am_pm(s: &str) -> bool {
    let upper = s.to_uppercase();
    upper.contains(" AM") || upper.contains(" PM")
}

/// `YYYY-MM-DD` if the three numbers make a real date.
pub fn iso_date(year: u32, month: u32, day: u32) -> Option<String> {
    let year = i16::try_from(year).ok()?;
    let month = i8::try_from(month).ok()?;
    let day = i8::try_from(day).ok()?;
    jiff::civil::Date::new(year, month, day)
        .ok()
        .map(|d| d.to_string())
}

/// A CIM datetime as WMI prints it: `20130514093012.000000+120` (local time, then the offset from
/// UTC in minutes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CimDateTime {
    /// The local calendar date, `YYYY-MM-DD`.
    pub date: String,
    /// The instant in RFC 3339 UTC, when the time and offset are readable.
    pub utc: Option<String>,
}

/// Reads a CIM datetime; `None` unless at least the date is valid.
pub fn cim_datetime(s: &str) -> Option<CimDateTime> {
    let s = s.trim();
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = s.get(range)?;
        part.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| part.parse().ok())
            .flatten()
    };
    let (year, month, day) = (digits(0..4)?, digits(4..6)?, digits(6..8)?);
    let date = iso_date(year, month, day)?;
    let utc = (|| {
        let (hour, minute, second) = (digits(8..10)?, digits(10..12)?, digits(12..14)?);
        let sign = match s.get(21..22)? {
            "+" => 1i64,
            "-" => -1,
            _ => return None,
        };
        let offset_minutes: i64 = s.get(22..)?.trim().parse().ok()?;
        let civil = jiff::civil::DateTime::new(
            i16::try_from(year).ok()?,
            i8::try_from(month).ok()?,
            i8::try_from(day).ok()?,
            i8::try_from(hour).ok()?,
            i8::try_from(minute).ok()?,
            i8::try_from(second).ok()?,
            0,
        )
        .ok()?;
        let offset =
            jiff::tz::Offset::from_seconds(i32::try_from(sign * offset_minutes * 60).ok()?).ok()?;
        let instant = civil.to_zoned(offset.to_time_zone()).ok()?.timestamp();
        Some(instant.to_string())
    })();
    Some(CimDateTime { date, utc })
}

/// Undoes the HTML escaping of wmic's `/format:list` XSL: `&amp;`, `&lt;`, `&gt;`, `&quot;`,
/// `&apos;` and numeric references.
pub fn html_unescape(s: &str) -> Cow<'_, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let end = tail.find(';').filter(|&e| e <= 10);
        let replaced = end.and_then(|e| {
            let entity = &tail[1..e];
            let c = match entity {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => entity
                    .strip_prefix("#x")
                    .or_else(|| entity.strip_prefix("#X"))
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            }?;
            Some((c, e + 1))
        });
        match replaced {
            Some((c, len)) => {
                out.push(c);
                rest = &tail[len..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boms_and_utf16_without_bom() {
        let utf16: Vec<u8> = "\u{feff}Host Name: PC\r\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let d = decode(&utf16);
        assert_eq!((d.encoding, d.bom), (Encoding::Utf16Le, true));
        assert_eq!(d.text, "Host Name: PC\r\n");
        let d = decode(&utf16[2..]);
        assert_eq!((d.encoding, d.bom), (Encoding::Utf16Le, false));
        let be: Vec<u8> = "\u{feff}x=1"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        assert_eq!(decode(&be).text, "x=1");
        assert_eq!(decode(b"\xEF\xBB\xBF{}").text, "{}");
        // An odd trailing byte is dropped, never a panic.
        assert_eq!(
            decode(&utf16[..utf16.len() - 1]).encoding,
            Encoding::Utf16Le
        );
    }

    #[test]
    fn western_ansi_is_not_taken_for_rare_gbk_characters() {
        // A REGEDIT4 file is in the ANSI code page: "Bénédicte" in Windows-1252 also reads as
        // GBK ("B閚閐icte"), but only through characters outside GB2312.
        let d = decode(b"REGEDIT4\r\n\r\n\"RegisteredOwner\"=\"B\xE9n\xE9dicte\"\r\n");
        assert!(d.text.contains("Bénédicte"), "{}", d.text);
    }

    #[test]
    fn oem_code_pages_from_the_system_locale() {
        // "Système" and "2 047 Mo" (NBSP) in CP850, with the French system locale.
        let cp850 = b"Type du syst\x8Ame:        x64\r\nOption r\x82gionale du syst\x8Ame:   fr;Fran\x87ais (France)\r\nM\x82moire:  2\xFF047 Mo\r\n";
        let d = decode(cp850);
        assert_eq!(d.encoding, Encoding::Cp850);
        assert!(d.text.contains("système") && d.text.contains("2\u{a0}047 Mo"));
        // Romanian in CP852: "ş" is 0xAD in CP852.
        let cp852 = b"System Locale:  ro;Rom\x83n\xA8\r\nx: Bucure\xADti\r\n";
        let d = decode(cp852);
        assert_eq!(d.encoding, Encoding::Cp852);
        assert!(d.text.contains("Bucureşti"), "{}", d.text);
        // GBK: 主机名
        let gbk = b"\xD6\xF7\xBB\xFA\xC3\xFB:   PC\r\nx:   zh-cn;\xD6\xD0\xCE\xC4\r\n";
        let d = decode(gbk);
        assert_eq!(d.encoding, Encoding::Gbk);
        assert!(d.text.starts_with("主机名"));
        // CP866 Russian without any hint: "Имя узла"
        let cp866 = b"\x88\xAC\xEF \xE3\xA7\xAB\xA0:   PC\r\n";
        assert_eq!(decode(cp866).text, "Имя узла:   PC\r\n");
        // Windows-1252 text (a copy into Notepad) is not mistaken for CP850.
        let ansi = b"Nom de l'h\xF4te:    PC\r\nSyst\xE8me d'exploitation: x\r\n";
        let d = decode_with(ansi, Some("fr"));
        assert_eq!(d.encoding, Encoding::Windows1252);
        assert!(d.text.contains("hôte") && d.text.contains("Système"));
    }

    #[test]
    fn widths_and_splits() {
        assert_eq!(width("主机名:"), 7);
        assert_eq!(split_at_width("主机名:  PC", 9), ("主机名:  ", "PC"));
        assert_eq!(split_at_width("ab", 5), ("ab", ""));
    }

    #[test]
    fn numbers_in_regional_formats() {
        for s in [
            "8,192 MB",
            "8.192 MB",
            "8 192 MB",
            "8\u{a0}192 Mo",
            "8192 MB",
        ] {
            assert_eq!(grouped_number(s), Some(8192), "{s}");
        }
        assert_eq!(grouped_number("4 MB"), Some(4));
        assert_eq!(grouped_number("MB"), None);
        assert_eq!(grouped_number("99999999999999999999999"), None);
        assert_eq!(first_number("安装了 12 个修补程序"), Some(12));
    }

    #[test]
    fn regional_dates() {
        let d = |s: &str| regional_date(s, s);
        assert_eq!(d("4/25/2014, 3:34:47 PM").as_deref(), Some("2014-04-25"));
        assert_eq!(d("5/4/2014, 3:34:47 PM").as_deref(), Some("2014-05-04"));
        assert_eq!(d("29/04/2019, 18:52:20").as_deref(), Some("2019-04-29"));
        assert_eq!(d("05/04/2019, 18:52:20").as_deref(), Some("2019-04-05"));
        assert_eq!(d("15.06.2016, 18:34:33").as_deref(), Some("2016-06-15"));
        assert_eq!(d("18. 3. 2019, 14:40:35").as_deref(), Some("2019-03-18"));
        assert_eq!(d("26-1-2019, 10:00:00").as_deref(), Some("2019-01-26"));
        assert_eq!(d("2019/1/24, 9:46:29").as_deref(), Some("2019-01-24"));
        assert_eq!(d("1999-01-01, 1:00:00 PM").as_deref(), Some("1999-01-01"));
        assert_eq!(d("31/02/2019"), None);
        assert_eq!(d("garbage"), None);
    }

    #[test]
    fn cim_datetimes() {
        let t = cim_datetime("20130813153755.000000+120").unwrap();
        assert_eq!(t.date, "2013-08-13");
        assert_eq!(t.utc.as_deref(), Some("2013-08-13T13:37:55Z"));
        let t = cim_datetime("20130813153755.000000-300").unwrap();
        assert_eq!(t.utc.as_deref(), Some("2013-08-13T20:37:55Z"));
        assert_eq!(cim_datetime("20130813").unwrap().utc, None);
        assert_eq!(cim_datetime("2013"), None);
        assert_eq!(cim_datetime("2013ééé"), None);
    }

    #[test]
    fn html_entities() {
        assert_eq!(html_unescape("5&amp;33D1&amp;0"), "5&33D1&0");
        assert_eq!(
            html_unescape("&lt;a&gt; &#65;&#x42; &bogus; &"),
            "<a> AB &bogus; &"
        );
    }
}
