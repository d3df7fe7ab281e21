//! Whether a typed product key has a key's form, and what was probably meant where it has not.
//!
//! A key is 25 symbols of [`ALPHABET`](super::ALPHABET), shown in five groups of five; keys from
//! Windows 8 on hold exactly one `N` as well, never last (its place encodes the first digit, which
//! is at most 23). The check accepts lower case, missing dashes and spaces, as people type keys
//! off stickers. It says nothing about whether Microsoft ever issued the key: only activation can.
//!
//! The alphabet leaves out the characters that are easily misread (`0`/`O`, `1`/`I`/`L`, `5`/`S`,
//! `Z`, the vowels) so a printed key is unambiguous; a left-out character in a typed key is
//! therefore almost always a misreading of a character that looks like it, and the suggestions
//! below name those look-alikes. They are hints to compare with the sticker, never corrections
//! made silently.

use super::ALPHABET;

/// The two forms a well-formed key takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyForm {
    /// No `N`: the form of Windows 7 and earlier keys.
    Classic,
    /// One `N` at this 0-based index: the form of Windows 8 and later keys.
    WithN { index: usize },
}

impl KeyForm {
    pub fn describe(self) -> String {
        match self {
            KeyForm::Classic => "the form of Windows 7 and earlier keys (no N)".to_string(),
            KeyForm::WithN { index } => format!(
                "the form of Windows 8 and later keys (one N, at character {})",
                index + 1
            ),
        }
    }
}

/// One thing wrong with a typed key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// 1-based character position among the 25 key characters, when the length is right.
    pub position: Option<usize>,
    /// The character as typed.
    pub found: Option<char>,
    /// Valid characters it is probably a misreading of, most likely first.
    pub suggestions: Vec<char>,
    pub message: String,
}

/// The result of checking one typed key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyCheck {
    /// Upper case, grouped `XXXXX-XXXXX-XXXXX-XXXXX-XXXXX`, when there are 25 characters (even
    /// if some of them are wrong).
    pub normalized: Option<String>,
    /// The key's form, when it is valid.
    pub form: Option<KeyForm>,
    pub problems: Vec<Problem>,
}

impl KeyCheck {
    pub fn is_valid(&self) -> bool {
        self.problems.is_empty() && self.form.is_some()
    }

    /// The normalized key, only when it is valid.
    pub fn key(&self) -> Option<&str> {
        self.is_valid()
            .then_some(self.normalized.as_deref())
            .flatten()
    }

    /// Every way of replacing the wrong characters with their suggestions, most likely first, up
    /// to `limit` candidates; empty when a wrong character has no suggestion or the length is
    /// wrong.
    pub fn corrections(&self, limit: usize) -> Vec<String> {
        let Some(normalized) = &self.normalized else {
            return Vec::new();
        };
        let fixes: Vec<(usize, &[char])> = self
            .problems
            .iter()
            .filter_map(|p| Some((p.position?, p.suggestions.as_slice())))
            .collect();
        if fixes.is_empty() || fixes.iter().any(|(_, s)| s.is_empty()) {
            return Vec::new();
        }
        let mut candidates = vec![normalized.replace('-', "").into_bytes()];
        for (position, suggestions) in fixes {
            let mut next = Vec::new();
            for candidate in &candidates {
                for &s in suggestions {
                    let mut c = candidate.clone();
                    c[position - 1] = s as u8;
                    next.push(c);
                }
            }
            next.truncate(limit);
            candidates = next;
        }
        candidates
            .into_iter()
            .filter_map(|c| String::from_utf8(c).ok())
            .map(|c| group(&c))
            .filter(|c| check(c).is_valid())
            .collect()
    }
}

/// `ABCDE…` (25 characters) as five dash-separated groups.
fn group(symbols: &str) -> String {
    symbols
        .as_bytes()
        .chunks(5)
        .map(|g| std::str::from_utf8(g).unwrap_or_default())
        .collect::<Vec<_>>()
        .join("-")
}

/// "character 7 (group 2, 2nd)".
pub fn position_words(position: usize) -> String {
    let group = (position - 1) / 5 + 1;
    let within = (position - 1) % 5 + 1;
    let nth = match within {
        1 => "1st",
        2 => "2nd",
        3 => "3rd",
        4 => "4th",
        _ => "5th",
    };
    format!("character {position} (group {group}, {nth})")
}

/// Why a character is not in keys, and the valid characters it most resembles.
///
/// The pairs are the classic look-alikes of print and handwriting: round `0`/`O` against `D` and
/// `Q`; the upright strokes of `1`/`I`/`L` against `7`, `T` and `J`; `5`/`S` against `6` and `8`;
/// `Z` against `2`; `A` against `4`, `E` against `F`, `U` against `V`.
fn look_alikes(typed: char) -> (&'static str, &'static [char]) {
    match typed {
        '0' | 'O' | 'o' => ("0 (zero) and O are never in a product key", &['D', 'Q']),
        '1' | 'I' | 'i' | 'l' | 'L' => ("1, I and L are never in a product key", &['7', 'T', 'J']),
        '5' => ("5 and S are never in a product key", &['6', '8']),
        'S' | 's' => ("5 and S are never in a product key", &['8', '6']),
        'Z' | 'z' => ("Z is never in a product key", &['2']),
        'A' | 'a' => ("vowels are never in a product key", &['4']),
        'E' | 'e' => ("vowels are never in a product key", &['F']),
        'U' | 'u' => ("vowels are never in a product key", &['V']),
        c if c.is_ascii_alphanumeric() => ("it is not one of the 24 key characters", &[]),
        _ => ("it is not a letter or a digit", &[]),
    }
}

fn or_list(chars: &[char]) -> String {
    let quoted: Vec<String> = chars.iter().map(|c| format!("{c}")).collect();
    match quoted.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// Checks a typed key: 25 characters of the alphabet, at most one `N`, never last.
pub fn check(input: &str) -> KeyCheck {
    let typed: Vec<char> = input
        .chars()
        .filter(|c| *c != '-' && !c.is_whitespace() && *c != '\u{feff}')
        .collect();
    let mut problems = Vec::new();
    if typed.len() != 25 {
        problems.push(Problem {
            position: None,
            found: None,
            suggestions: Vec::new(),
            message: format!(
                "it has {} characters (not counting dashes and spaces); a product key has 25, in five groups of five",
                typed.len()
            ),
        });
    }
    let with_positions = typed.len() == 25;
    let mut n_at = Vec::new();
    for (index, &c) in typed.iter().enumerate() {
        let upper = c.to_ascii_uppercase();
        if upper.is_ascii() && ALPHABET.contains(&(upper as u8)) {
            continue;
        }
        if upper == 'N' {
            n_at.push(index);
            continue;
        }
        let (why, suggestions) = look_alikes(c);
        let shown = if c.is_control() {
            format!("{:?}", c)
        } else {
            format!("`{c}`")
        };
        let hint = if suggestions.is_empty() {
            "check the sticker again".to_string()
        } else {
            format!(
                "it is probably {} {} (compare with the sticker)",
                if suggestions.len() == 1 {
                    "a"
                } else {
                    "one of"
                },
                or_list(suggestions)
            )
        };
        problems.push(Problem {
            position: with_positions.then_some(index + 1),
            found: Some(c),
            suggestions: suggestions.to_vec(),
            message: match with_positions {
                true => format!("{} is {shown}: {why}; {hint}", position_words(index + 1)),
                false => format!("it contains {shown}: {why}; {hint}"),
            },
        });
    }
    if n_at.len() > 1 {
        let places: Vec<String> = n_at.iter().map(|i| (i + 1).to_string()).collect();
        problems.push(Problem {
            position: None,
            found: Some('N'),
            suggestions: vec!['M', 'H'],
            message: format!(
                "it has {} Ns (characters {}); a key has at most one (Windows 8 and later keys have exactly one): the others are probably an M or an H",
                n_at.len(),
                places.join(", ")
            ),
        });
    } else if n_at == [24] && with_positions {
        problems.push(Problem {
            position: Some(25),
            found: Some('N'),
            suggestions: vec!['M', 'H'],
            message: "character 25 is N, but N is never the last character of a key (its place encodes a digit of at most 23): it is probably an M or an H".into(),
        });
    }
    let normalized = with_positions.then(|| {
        let upper: String = typed.iter().map(|c| c.to_ascii_uppercase()).collect();
        group(&upper)
    });
    let form = problems.is_empty().then(|| match n_at.first() {
        Some(&index) => KeyForm::WithN { index },
        None => KeyForm::Classic,
    });
    KeyCheck {
        normalized,
        form,
        problems,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_both_forms_lower_case_and_missing_dashes() {
        let c = check("fj82h xt6cr j8d7p-xqjj2gpdd4");
        assert!(c.is_valid(), "{:?}", c.problems);
        assert_eq!(c.key(), Some("FJ82H-XT6CR-J8D7P-XQJJ2-GPDD4"));
        assert_eq!(c.form, Some(KeyForm::Classic));
        let n = check("NPPR9-FWDCX-D2C8J-H872K-2YT43");
        assert_eq!(n.form, Some(KeyForm::WithN { index: 0 }));
        let n4 = check("W269N-WFGWX-YVC9B-4J6C9-T83GX");
        assert_eq!(n4.form, Some(KeyForm::WithN { index: 4 }));
    }

    #[test]
    fn names_the_position_and_the_look_alikes() {
        let c = check("FJ82H-XT6CR-J8D7P-XQJJ2-GPDD0");
        assert!(!c.is_valid());
        assert_eq!(c.problems.len(), 1);
        let p = &c.problems[0];
        assert_eq!(p.position, Some(25));
        assert_eq!(p.suggestions, vec!['D', 'Q']);
        assert!(
            p.message
                .starts_with("character 25 (group 5, 5th) is `0`: 0 (zero) and O are never"),
            "{}",
            p.message
        );
        assert_eq!(
            c.corrections(16),
            vec![
                "FJ82H-XT6CR-J8D7P-XQJJ2-GPDDD",
                "FJ82H-XT6CR-J8D7P-XQJJ2-GPDDQ"
            ]
        );

        let one = check("FJ82H-XT6CR-J8D7P-XQJJ2-GPDD1");
        assert_eq!(one.problems[0].suggestions, vec!['7', 'T', 'J']);
        let five = check("5J82H-XT6CR-J8D7P-XQJJ2-GPDD4");
        assert_eq!(five.problems[0].position, Some(1));
        assert_eq!(five.problems[0].suggestions, vec!['6', '8']);
        let s = check("FJ82H-XT6CR-J8D7P-XQJJ2-GPDDs");
        assert_eq!(s.problems[0].suggestions, vec!['8', '6']);
        assert!(
            s.problems[0].message.contains("`s`"),
            "shows what was typed"
        );
        let z = check("FJ8ZH-XT6CR-J8D7P-XQJJ2-GPDD4");
        assert_eq!(z.problems[0].suggestions, vec!['2']);
        assert!(z.problems[0].message.contains("character 4 (group 1, 4th)"));
        let vowel = check("FJ82H-XT6CR-J8D7P-XQJJ2-GPDU4");
        assert!(vowel.problems[0].message.contains("vowels"));
        assert_eq!(vowel.problems[0].suggestions, vec!['V']);
    }

    #[test]
    fn length_and_n_rules() {
        let short = check("FJ82H-XT6CR-J8D7P-XQJJ2-GPDD");
        assert!(short.normalized.is_none());
        assert!(short.problems[0].message.contains("it has 24 characters"));
        let two_n = check("NPPR9-FWDCX-D2C8J-H872K-2YTN3");
        assert!(two_n.problems[0]
            .message
            .contains("2 Ns (characters 1, 24)"));
        let last_n = check("PPR9F-WDCXD-2C8JH-872K2-YT43N");
        assert!(last_n.problems[0].message.contains("never the last"));
        let junk = check("FJ82H-XT6CR-J8D7P-XQJJ2-GPD#4");
        assert!(junk.problems[0].message.contains("not a letter or a digit"));
        assert!(junk.corrections(16).is_empty());
        assert!(!check("").is_valid());
    }

    #[test]
    fn several_typos_give_every_combination() {
        let c = check("FJ82H-XT6CR-J8D7P-XQJJ2-GP0O4");
        let fixes = c.corrections(64);
        assert_eq!(fixes.len(), 4);
        assert!(fixes.contains(&"FJ82H-XT6CR-J8D7P-XQJJ2-GPDD4".to_string()));
    }
}
