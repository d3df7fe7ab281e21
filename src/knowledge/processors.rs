//! Microsoft's Windows 11 supported-processor lists (`rules/data/win11-processors.yaml`), and
//! looking a CPU brand string up in them.
//!
//! A lookup only says whether and where a brand is listed; what that means for a target is the
//! rules' decision, and Microsoft's family/model rule is [`crate::judge::enrich::cpu`]. Brand
//! strings and list names are normalized alike (decorations, core counts and vendor words
//! dropped) so "Intel(R) Core(TM) i5-8400 CPU @ 2.80GHz" finds "Core i5-8400".

use crate::error::{Error, Location, Origin, Result};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Which of Microsoft's lists an entry belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ListVendor {
    Intel,
    Amd,
    Qualcomm,
}

impl ListVendor {
    /// The list for a manufacturer as Windows or Linux reports it (`GenuineIntel`,
    /// `AuthenticAMD`, `Qualcomm Technologies Inc`), or `None` if it names none of the three.
    pub fn from_manufacturer(manufacturer: &str) -> Option<ListVendor> {
        let m = manufacturer.to_ascii_lowercase();
        if m.contains("intel") {
            Some(ListVendor::Intel)
        } else if m.contains("amd") {
            Some(ListVendor::Amd)
        } else if m.contains("qualcomm") {
            Some(ListVendor::Qualcomm)
        } else {
            None
        }
    }
}

/// Where the lists came from, for reports.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListSource {
    pub title: String,
    /// Microsoft's pages the lists were taken from.
    pub urls: Vec<String>,
    /// How the lists were obtained, in one paragraph.
    pub obtained: String,
    /// The date the lists were scraped; anything released later may be missing.
    pub as_of: jiff::civil::Date,
    #[serde(default)]
    pub caveats: Vec<String>,
}

/// The data file as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ListFile {
    source: ListSource,
    intel: Vec<String>,
    amd: Vec<String>,
    qualcomm: Vec<String>,
}

#[derive(Debug)]
struct Entry {
    name: String,
    vendor: ListVendor,
    /// The number of tokens the name normalizes to; more tokens is a more specific match.
    specificity: usize,
}

/// One token sequence that identifies an entry. An entry has one or two: its tokens, and its
/// tokens with hyphenated words joined back (`X1E-80-100` is `x1e80100` in brand strings).
#[derive(Debug)]
struct Pattern {
    entry: usize,
    tokens: Box<[Box<str>]>,
}

/// Microsoft's Windows 11 supported-processor lists, parsed and pre-normalized for lookup.
#[derive(Debug)]
pub struct ProcessorList {
    source: ListSource,
    entries: Vec<Entry>,
    /// Patterns keyed by their last token (nearly always the model number), so a lookup costs
    /// one hash probe per brand token instead of a scan of the whole list.
    by_last: HashMap<Box<str>, Vec<Pattern>>,
}

const EMBEDDED: &str = include_str!("../../rules/data/win11-processors.yaml");

impl ProcessorList {
    /// Parses a list file in w7plan's format (`rules/data/win11-processors.yaml`).
    pub fn parse(text: &str, origin: &Origin) -> Result<ProcessorList> {
        let file: ListFile = crate::yaml::from_str(text).map_err(|e| Error::DataSyntax {
            origin: origin.clone(),
            location: crate::yaml::location(&e),
            message: strip_position(&e.to_string()),
        })?;
        let mut list = ProcessorList {
            source: file.source,
            entries: Vec::new(),
            by_last: HashMap::new(),
        };
        let lists = [
            (ListVendor::Intel, file.intel),
            (ListVendor::Amd, file.amd),
            (ListVendor::Qualcomm, file.qualcomm),
        ];
        for (vendor, names) in lists {
            for name in names {
                let words = normalize(&name);
                if words.is_empty() {
                    return Err(Error::DataSyntax {
                        origin: origin.clone(),
                        location: find_line(text, &name),
                        message: format!(
                            "processor `{name}` has nothing to match once trademarks and generic words are removed"
                        ),
                    });
                }
                let entry = list.entries.len();
                let tokens: Vec<Box<str>> =
                    words.iter().flatten().map(|t| t.as_str().into()).collect();
                list.entries.push(Entry {
                    name,
                    vendor,
                    specificity: tokens.len(),
                });
                if words.iter().any(|w| w.len() > 1) {
                    let joined: Vec<Box<str>> = words.iter().map(|w| w.concat().into()).collect();
                    list.add(entry, joined);
                }
                list.add(entry, tokens);
            }
        }
        Ok(list)
    }

    fn add(&mut self, entry: usize, tokens: Vec<Box<str>>) {
        let last = tokens.last().expect("patterns are never empty").clone();
        self.by_last.entry(last).or_default().push(Pattern {
            entry,
            tokens: tokens.into_boxed_slice(),
        });
    }

    /// The list shipped with w7plan; [`super::Knowledge`] holds the one in use.
    pub fn parse_embedded() -> ProcessorList {
        let origin = Origin("rules/data/win11-processors.yaml (built in)".into());
        // A test parses the shipped file, so this only fires on a broken build.
        ProcessorList::parse(EMBEDDED, &origin)
            .unwrap_or_else(|e| panic!("the built-in processor list is broken: {e}"))
    }

    /// The list entry matching a CPU brand string, as the list writes it, or `None`.
    ///
    /// Both sides are normalized (case, trademarks, clock speed, "CPU"/"Processor", AMD's
    /// "Six-Core" and "with Radeon … Graphics" suffixes) and split into tokens at spaces and
    /// punctuation; an entry matches when its tokens appear as a contiguous run in the brand's.
    /// Among several matches the entry with the most tokens wins (`Snapdragon (TM) 8cx Gen 3`
    /// over `Snapdragon (TM) 8cx`, `X1E-80-100` over `Snapdragon (R) X`), then the one written
    /// first. Tokens must be equal, so `i5-8400` never matches `i5-8400T` and vice versa. When `vendor` names Intel,
    /// AMD or Qualcomm only that list is searched; otherwise all are.
    pub fn find(&self, vendor: Option<&str>, brand: &str) -> Option<&str> {
        let only = vendor.and_then(ListVendor::from_manufacturer);
        let tokens: Vec<String> = normalize(brand).into_iter().flatten().collect();
        let mut best: Option<usize> = None;
        for (end, token) in tokens.iter().enumerate() {
            let Some(patterns) = self.by_last.get(token.as_str()) else {
                continue;
            };
            for pattern in patterns {
                let n = pattern.tokens.len();
                if n > end + 1 {
                    continue;
                }
                let entry = &self.entries[pattern.entry];
                if only.is_some_and(|v| v != entry.vendor) {
                    continue;
                }
                let run = &tokens[end + 1 - n..=end];
                if !pattern.tokens.iter().zip(run).all(|(a, b)| **a == **b) {
                    continue;
                }
                let better = match best {
                    None => true,
                    Some(b) => {
                        let current = &self.entries[b];
                        entry.specificity > current.specificity
                            || (entry.specificity == current.specificity && pattern.entry < b)
                    }
                };
                if better {
                    best = Some(pattern.entry);
                }
            }
        }
        best.map(|b| self.entries[b].name.as_str())
    }

    /// The names on one vendor's list, in file order.
    pub fn names(&self, vendor: ListVendor) -> impl Iterator<Item = &str> {
        self.entries
            .iter()
            .filter(move |e| e.vendor == vendor)
            .map(|e| e.name.as_str())
    }

    /// Where the lists came from.
    pub fn source(&self) -> &ListSource {
        &self.source
    }

    /// The number of entries on all lists.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// Words that carry no identity: generic nouns and vendor names (the vendor is matched
/// separately, and list names omit it).
const NOISE: &[&str] = &["cpu", "processor", "apu", "intel", "amd"];

/// Splits a brand string or list name into words, each a group of comparable tokens.
///
/// The grouping is kept so list names can also be matched with a hyphenated word joined back
/// into one token. Brand strings carry decorations the lists do not: trademarks, a clock speed
/// after `@`, AMD's "Six-Core"/"16-Cores" and "with Radeon Vega Graphics"/"w/ Radeon 780M",
/// generic words such as "CPU" in the middle of "Celeron(R) CPU G4900". Microsoft's AMD names
/// sometimes carry a series ("Ryzen Embedded R2000 Series R2312") that brand strings lack, so
/// "<word> Series" is dropped too.
fn normalize(text: &str) -> Vec<Vec<String>> {
    let lower = text.to_lowercase();
    let head = lower.split('@').next().unwrap_or_default();
    // A space, not nothing: "Intel(R)Core(TM)i5" must still split into words.
    let cleaned = head
        .replace("(r)", " ")
        .replace("(tm)", " ")
        .replace(['®', '™'], " ");
    let mut words: Vec<&str> = Vec::new();
    for word in cleaned.split_whitespace() {
        if word == "with" || word.starts_with("w/") {
            break;
        }
        if word == "series" {
            words.pop();
            continue;
        }
        if is_core_count(word) {
            continue;
        }
        words.push(word);
    }
    words
        .into_iter()
        .filter_map(|word| {
            let tokens: Vec<String> = word
                .split(|c: char| !(c.is_alphanumeric() || c == '+'))
                .filter(|t| !t.is_empty() && !NOISE.contains(t))
                .map(str::to_owned)
                .collect();
            (!tokens.is_empty()).then_some(tokens)
        })
        .collect()
}

/// AMD's core-count words: "six-core", "16-cores", "twenty-four-core". Intel's own "Core" is a
/// word of its own and never ends a hyphenated word.
fn is_core_count(word: &str) -> bool {
    word.rsplit_once('-')
        .is_some_and(|(count, core)| !count.is_empty() && (core == "core" || core == "cores"))
}

/// serde's messages end in " at line X column Y"; the location is reported separately.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// The first line naming `needle`, for errors found after parsing.
fn find_line(text: &str, needle: &str) -> Option<Location> {
    text.lines().enumerate().find_map(|(i, line)| {
        line.find(needle).map(|at| Location {
            line: i + 1,
            column: line[..at].chars().count() + 1,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flat(text: &str) -> Vec<String> {
        normalize(text).into_iter().flatten().collect()
    }

    #[test]
    fn normalization_drops_decorations() {
        assert_eq!(
            flat("Intel(R) Core(TM) i5-8400 CPU @ 2.80GHz"),
            ["core", "i5", "8400"]
        );
        assert_eq!(
            flat("Intel(R) Celeron(R) CPU G4900 @ 3.10GHz"),
            ["celeron", "g4900"]
        );
        assert_eq!(
            flat("AMD Ryzen 5 2600 Six-Core Processor"),
            ["ryzen", "5", "2600"]
        );
        assert_eq!(
            flat("AMD Ryzen Threadripper PRO 3955WX 16-Cores"),
            ["ryzen", "threadripper", "pro", "3955wx"]
        );
        assert_eq!(
            flat("AMD Ryzen 5 2400G with Radeon Vega Graphics"),
            ["ryzen", "5", "2400g"]
        );
        assert_eq!(
            flat("AMD Ryzen 7 7840HS w/ Radeon 780M Graphics"),
            ["ryzen", "7", "7840hs"]
        );
        assert_eq!(
            flat("Ryzen Embedded R2000 Series R2312"),
            ["ryzen", "embedded", "r2312"]
        );
        assert_eq!(flat("Intel® Core™ i7-8550U"), ["core", "i7", "8550u"]);
        assert_eq!(
            flat("Snapdragon (TM) 7c+ Gen 3"),
            ["snapdragon", "7c+", "gen", "3"]
        );
        assert!(flat("").is_empty());
        assert!(flat("@@@ (R)(TM) - -").is_empty());
    }

    #[test]
    fn hyphenated_names_also_match_joined() {
        let text = "source: {title: t, urls: [], obtained: o, as_of: 2025-01-01}\nintel: []\namd: []\nqualcomm: [X1E-80-100, Snapdragon (R) X]\n";
        let list = ProcessorList::parse(text, &Origin("t".into())).unwrap();
        assert_eq!(
            list.find(
                None,
                "Snapdragon(R) X Elite - X1E80100 - Qualcomm(R) Oryon(TM) CPU"
            ),
            Some("X1E-80-100")
        );
    }

    #[test]
    fn an_entry_with_nothing_to_match_is_a_data_error() {
        let text = "source: {title: t, urls: [], obtained: o, as_of: 2025-01-01}\nintel:\n  - Processor\namd: []\nqualcomm: []\n";
        let err = ProcessorList::parse(text, &Origin("t.yaml".into())).unwrap_err();
        assert_eq!(err.code(), "data-syntax");
        assert!(err.to_string().starts_with("t.yaml:3:5:"), "{err}");
    }
}
