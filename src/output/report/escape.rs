//! Making text from machines safe for where it is shown: a terminal, a Markdown file, a link,
//! a spreadsheet cell. Values in an inventory come from a client's machine or a file anyone
//! could have written, so none of them may steer the medium: no escape sequences reach a
//! terminal, no line break opens a Markdown heading or code fence, no raw HTML or `javascript:`
//! link reaches a Markdown viewer, and no cell runs as a spreadsheet formula.
//!
//! HTML output is autoescaped by the template engine and is not handled here; product keys are
//! masked by [`crate::facts::productkey::shaped`] on every output, not here.

use std::borrow::Cow;

/// A character that must not reach a terminal as itself: C0 and C1 controls (ESC starts
/// escape sequences, CR overwrites a line, BEL rings) and the bidirectional overrides that make
/// text read differently from what it holds. A line break is kept where `keep_newline`.
fn is_unsafe_for_terminal(c: char, keep_newline: bool) -> bool {
    (c.is_control() && !(keep_newline && c == '\n'))
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every control character shown as an escape (`\e` for ESC, `\u{..}` otherwise)
/// and a tab as a space. Line breaks are kept only where `keep_newline` (multi-line cells).
pub fn terminal(text: &str, keep_newline: bool) -> Cow<'_, str> {
    if !text
        .chars()
        .any(|c| is_unsafe_for_terminal(c, keep_newline))
    {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\t' => out.push(' '),
            '\u{1b}' => out.push_str("\\e"),
            '\r' => out.push_str("\\r"),
            '\n' if !keep_newline => out.push_str("\\n"),
            c if is_unsafe_for_terminal(c, keep_newline) => {
                out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// A message for stderr (an error that may quote a bad value): control characters escaped and
/// product keys masked, whatever `--reveal-keys` says.
pub fn for_stderr(text: &str) -> String {
    crate::facts::productkey::mask_keys_in(&terminal(text, true)).into_owned()
}

/// Every string of `value` made safe for a terminal, with keys masked unless `keys` reveals
/// them; strings under `host` and `os` (one-line facts printed in the headline) lose their line
/// breaks too.
fn terminal_value(value: &mut serde_json::Value, one_line: bool, keys: crate::output::files::Keys) {
    match value {
        serde_json::Value::String(text) => {
            let safe = terminal(text, !one_line);
            let safe = keys.apply(&safe);
            if *safe != **text {
                *text = safe.into_owned();
            }
        }
        serde_json::Value::Array(items) => {
            for item in items {
                terminal_value(item, one_line, keys);
            }
        }
        serde_json::Value::Object(fields) => {
            for (name, field) in fields.iter_mut() {
                terminal_value(field, one_line || name == "host" || name == "os", keys);
            }
        }
        _ => {}
    }
}

/// The assessment with every string made safe for a terminal before the table lays it out
/// (a key wrapped over two lines of a cell would escape a pass over the finished text), or
/// `None` if it does not come back from its JSON form.
pub fn terminal_assessment(
    assessment: &crate::judge::assess::Assessment,
    keys: crate::output::files::Keys,
) -> Option<crate::judge::assess::Assessment> {
    let mut value = serde_json::to_value(assessment).ok()?;
    terminal_value(&mut value, false, keys);
    serde_json::from_value(value).ok()
}

/// Text for Markdown: shown as written, whatever Markdown or HTML it holds. Line breaks become
/// spaces (a value is never more than one line: a break would start a heading, a list, a code
/// fence or a table row), and the characters that start Markdown or HTML syntax are escaped
/// with a backslash (`_` only where it could start emphasis, not inside a word).
///
/// Code spans are kept: their content is shown literally anyway, and the shipped rules' texts
/// use them for commands (`grep -w nx /proc/cpuinfo`). That holds only for single backticks
/// that pair up within the value; otherwise every backtick is escaped, so a value cannot open
/// a span that the text after it would close. In a table cell (`in_table`) a `|` is escaped in
/// a code span too, as GitHub's tables need.
pub fn markdown(text: &str, in_table: bool) -> String {
    // Most texts hold nothing to escape: copied as they are, without the walk below.
    let plain = |b: &u8| (b' '..0x7f).contains(b) && !b"\\*_[]<>|#!~&`".contains(b);
    if text.bytes().all(|b| plain(&b)) {
        return text.to_string();
    }
    let spans_pair = text.matches('`').count() % 2 == 0 && !text.contains("``");
    let mut out = String::with_capacity(text.len() + 8);
    let mut in_code = false;
    let mut previous: Option<char> = None;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let next = chars.peek().copied();
        match c {
            '\r' | '\n' => out.push(' '),
            '`' if spans_pair => {
                in_code = !in_code;
                out.push(c);
            }
            '`' => out.push_str("\\`"),
            '|' if in_code && in_table => out.push_str("\\|"),
            c if c.is_control() => {}
            c if in_code => out.push(c),
            '_' if previous.is_some_and(char::is_alphanumeric)
                && next.is_some_and(char::is_alphanumeric) =>
            {
                out.push(c)
            }
            '\\' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '!' | '~' | '&' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
        previous = Some(c);
    }
    out
}

/// A link target that may be followed: an `http` or `https` URL, with the characters that
/// would end a Markdown link or break out of an HTML attribute percent-encoded. Anything else
/// (`javascript:`, `data:`, `file:`, a relative path) becomes `#`, a link to nowhere.
pub fn link_url(url: &str) -> String {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://")) {
        return "#".into();
    }
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        match c {
            ' ' | '(' | ')' | '<' | '>' | '"' | '\'' | '`' | '\\' | '[' | ']' => {
                out.push_str(&format!("%{:02X}", u32::from(c)))
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A text cell for a spreadsheet: one that begins with `=`, `+`, `-`, `@`, a tab or a carriage
/// return would be read as a formula, so it gets a leading `'`, as OWASP's CSV injection
/// guidance advises (spreadsheets show the rest as text). A plain number (`-12.5`) stays one.
pub fn csv_cell(text: &str) -> Cow<'_, str> {
    let starts_formula = text
        .chars()
        .next()
        .is_some_and(|c| matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r'));
    if starts_formula && !is_plain_number(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

fn is_plain_number(text: &str) -> bool {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_text_shows_controls_escaped() {
        assert_eq!(
            terminal("Intel\u{1b}]0;pwned\u{7}\u{1b}[2J cpu", true),
            "Intel\\e]0;pwned\\u{7}\\e[2J cpu"
        );
        assert_eq!(terminal("a\nb\rc\td", true), "a\nb\\rc d");
        assert_eq!(terminal("a\nb", false), "a\\nb");
        assert_eq!(terminal("abc\u{202e}fed", true), "abc\\u{202e}fed");
        assert!(matches!(terminal("plain — text", true), Cow::Borrowed(_)));
    }

    #[test]
    fn markdown_values_cannot_make_markup() {
        assert_eq!(
            markdown("PC\n# Owned\n```\n<script>x</script>", false),
            "PC \\# Owned \\`\\`\\` \\<script\\>x\\</script\\>"
        );
        assert_eq!(
            markdown("[click](javascript:alert(1))", false),
            "\\[click\\](javascript:alert(1))"
        );
        assert_eq!(markdown("a|b", true), "a\\|b");
        // Commands in code spans stay as written; an unpaired backtick opens nothing.
        assert_eq!(
            markdown("run `grep -e sse4_2 x | sort` on Win32_Tpm", false),
            "run `grep -e sse4_2 x | sort` on Win32_Tpm"
        );
        assert_eq!(markdown("`a | b`", true), "`a \\| b`");
        assert_eq!(markdown("` <b>", false), "\\` \\<b\\>");
        assert_eq!(markdown("_x_ *y*", false), "\\_x\\_ \\*y\\*");
    }

    #[test]
    fn only_web_links_are_kept() {
        assert_eq!(link_url("javascript:alert(1)"), "#");
        assert_eq!(link_url(" JavaScript:alert(1)"), "#");
        assert_eq!(link_url("data:text/html,x"), "#");
        assert_eq!(
            link_url("https://example.com/a b)(\"x\""),
            "https://example.com/a%20b%29%28%22x%22"
        );
        assert_eq!(link_url("HTTP://example.com"), "HTTP://example.com");
    }

    #[test]
    fn formula_cells_are_neutralised_and_numbers_kept() {
        assert_eq!(
            csv_cell("=HYPERLINK(\"http://x\",\"y\")"),
            "'=HYPERLINK(\"http://x\",\"y\")"
        );
        assert_eq!(csv_cell("+cmd|' /C calc'!A0"), "'+cmd|' /C calc'!A0");
        assert_eq!(csv_cell("-2+3"), "'-2+3");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("\t=1"), "'\t=1");
        assert_eq!(csv_cell("-12.50"), "-12.50");
        assert_eq!(csv_cell("PC-01"), "PC-01");
        assert_eq!(csv_cell(""), "");
    }
}
