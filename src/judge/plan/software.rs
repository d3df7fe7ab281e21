//! Programs at risk: the installed programs and built-in Windows 7 components of one machine that
//! break, vanish or need action on a target, judged against the software knowledge base
//! ([`crate::knowledge::software`], `rules/software.yaml`).
//!
//! It reports only what the inventory shows: a program by its Uninstall entry (DisplayName and
//! DisplayVersion), a component by the `os` fields that show it is there (a Windows 7 edition that
//! includes it, a 32-bit OS). What the inventory cannot show gives no finding, never a guess, and
//! neither does an `UNCONFIRMED` entry. It does not weigh findings into a verdict or a route.
//!
//! One finding per knowledge entry (several matching programs are listed in one finding), sorted
//! by severity, blockers first, then by id. Pure and cheap: each program name is tested against
//! every entry in one pass of a compiled regex set.

use crate::facts::inventory::{Arch, Inventory, Os, OsFamily};
use crate::knowledge::software::{
    edition_key, ComponentDetect, Detection, Entry, Kind, KnowledgeBase, Status,
};
use crate::vocab::{Severity, Target};
use serde::{Deserialize, Serialize};

/// One program or component at risk on a target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SoftwareFinding {
    /// The knowledge entry's id.
    pub id: String,
    /// The matched DisplayName (the first, in inventory order), or the component's name.
    pub program: String,
    /// The matched program's DisplayVersion, where the inventory has it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Further installed programs the same entry matched, in inventory order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_programs: Vec<MatchedProgram>,
    pub severity: Severity,
    pub kind: Kind,
    /// What happens on the target.
    pub summary: String,
    /// What to do.
    pub action: String,
    /// The public source the finding rests on.
    pub source: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_sources: Vec<String>,
    /// `confirmed` or `confirmed-secondary` (the official text seen only as quoted by others).
    pub status: Status,
    /// When the knowledge entry was last checked against its sources.
    pub as_of: String,
    /// What in the inventory showed it.
    pub evidence: String,
}

/// An installed program an entry matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchedProgram {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

/// The programs and components of `inventory` at risk on `target`, per the knowledge base
/// `knowledge` (the loaded one: shipped, or with a user's `software.yaml` over it).
pub fn programs_at_risk(
    knowledge: &KnowledgeBase,
    inventory: &Inventory,
    target: Target,
) -> Vec<SoftwareFinding> {
    let applies = |entry: &Entry| entry.gives_findings() && entry.affects.includes(target);
    let mut findings = Vec::new();

    // (entry index, program) for every accepted match; most programs match nothing.
    let mut matched: Vec<(usize, &str, Option<&str>)> = Vec::new();
    for program in inventory.software.iter().flatten() {
        let Some(name) = program
            .name
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
        else {
            continue;
        };
        let version = program
            .version
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty());
        for (index, entry) in knowledge.name_candidates(name) {
            if let Detection::Program(pattern) = &entry.detection {
                if applies(entry) && pattern.accepts(name, version) {
                    matched.push((index, name, version));
                }
            }
        }
    }
    // Stable, so each entry's programs stay in inventory order.
    matched.sort_by_key(|(index, _, _)| *index);
    for group in matched.chunk_by(|a, b| a.0 == b.0) {
        let entry = &knowledge.entries()[group[0].0];
        let mut programs: Vec<MatchedProgram> = Vec::with_capacity(group.len());
        for (_, name, version) in group {
            // The same program is often listed twice (64-bit and 32-bit Uninstall keys).
            if !programs
                .iter()
                .any(|p| p.name == *name && p.version.as_deref() == *version)
            {
                programs.push(MatchedProgram {
                    name: name.to_string(),
                    version: version.map(str::to_string),
                });
            }
        }
        let evidence = installed_evidence(&programs);
        let first = programs.remove(0);
        findings.push(finding(
            entry,
            first.name,
            first.version,
            programs,
            evidence,
        ));
    }

    if let Some(windows7) = inventory.os.as_ref().and_then(Windows7::of) {
        for entry in knowledge.entries().iter().filter(|e| applies(e)) {
            if let Detection::Component(detect) = &entry.detection {
                if let Some(evidence) = windows7.shows(detect, inventory) {
                    findings.push(finding(
                        entry,
                        detect.component.clone(),
                        None,
                        Vec::new(),
                        evidence,
                    ));
                }
            }
        }
    }

    let replaced: Vec<&str> = findings
        .iter()
        .filter_map(|f| knowledge.entries().iter().find(|e| e.id == f.id))
        .filter_map(|e| e.replaces.as_deref())
        .collect();
    if !replaced.is_empty() {
        let replaced: Vec<String> = replaced.into_iter().map(str::to_string).collect();
        findings.retain(|f| !replaced.contains(&f.id));
    }
    findings.sort_by(|a, b| b.severity.cmp(&a.severity).then_with(|| a.id.cmp(&b.id)));
    findings
}

fn finding(
    entry: &Entry,
    program: String,
    version: Option<String>,
    other_programs: Vec<MatchedProgram>,
    evidence: String,
) -> SoftwareFinding {
    SoftwareFinding {
        id: entry.id.clone(),
        program,
        version,
        other_programs,
        severity: entry.severity,
        kind: entry.kind,
        summary: entry.summary.clone(),
        action: entry.action.clone(),
        source: entry.source.clone(),
        other_sources: entry.also.clone(),
        status: entry.status,
        as_of: entry.as_of.clone(),
        evidence,
    }
}

/// The program and its version are in the finding, so the evidence only says where they came from.
fn installed_evidence(programs: &[MatchedProgram]) -> String {
    match programs.len() {
        1 => "Uninstall entry (DisplayName, DisplayVersion)".to_string(),
        n => format!("{n} Uninstall entries (DisplayName, DisplayVersion)"),
    }
}

/// What an inventory shows about its OS, when the OS is Windows 7.
struct Windows7<'i> {
    /// How the inventory shows Windows 7.
    how: String,
    /// The edition's comparison key, the field it came from and that field's text.
    edition: Option<(String, &'static str, &'i str)>,
    arch: Option<Arch>,
}

impl<'i> Windows7<'i> {
    /// `Some` only when the inventory positively shows a Windows 7 client: os.version 6.1, or no
    /// version and "Windows 7" in os.name. Windows Server 2008 R2 is also 6.1 and is excluded.
    fn of(os: &'i Os) -> Option<Windows7<'i>> {
        if os.family.is_some_and(|f| f != OsFamily::Windows) {
            return None;
        }
        let name = os.name.as_deref().unwrap_or("").trim();
        if name.to_ascii_lowercase().contains("server")
            || os
                .edition
                .as_deref()
                .is_some_and(|e| e.to_ascii_lowercase().contains("server"))
        {
            return None;
        }
        let how = match os.version.as_deref().map(str::trim) {
            Some(v) if v == "6.1" || v.starts_with("6.1.") => format!("Windows 7 (os.version {v})"),
            Some(_) => return None,
            None if after_windows7(name).is_some() => format!("Windows 7 (os.name: {name})"),
            None => return None,
        };
        let edition = match os
            .edition
            .as_deref()
            .map(str::trim)
            .filter(|e| !e.is_empty())
        {
            Some(e) => Some((edition_key(e), "os.edition", e)),
            None => after_windows7(name)
                .map(edition_in_name)
                .filter(|e| !e.is_empty())
                .map(|e| (edition_key(e), "os.name", name)),
        };
        Some(Windows7 {
            how,
            edition,
            arch: os.arch,
        })
    }

    /// The evidence that this Windows 7 has the component, or `None` when the inventory does not
    /// show every condition the entry asks for.
    fn shows(&self, detect: &ComponentDetect, inventory: &Inventory) -> Option<String> {
        let mut evidence = vec![self.how.clone()];
        if !detect.editions.is_empty() {
            let (key, field, text) = self.edition.as_ref()?;
            if !detect.includes_edition(key) {
                return None;
            }
            evidence.push(format!("{field}: {text}"));
        }
        if !detect.arch.is_empty() {
            let arch = self.arch?;
            if !detect.arch.contains(&arch) {
                return None;
            }
            evidence.push(format!("os.arch: {}", arch_name(arch)));
        }
        if let Some(pattern) = &detect.programs {
            // Evidence that the component is used, not merely present.
            let mut used_by: Vec<&str> = inventory
                .software
                .iter()
                .flatten()
                .filter_map(|p| p.name.as_deref().map(str::trim))
                .filter(|name| pattern.is_match(name))
                .collect();
            // The same program is often listed under both Uninstall keys.
            used_by.sort_unstable();
            used_by.dedup();
            if used_by.is_empty() {
                return None;
            }
            evidence.push(format!("installed: {}", used_by.join(", ")));
        }
        Some(evidence.join("; "))
    }
}

/// The text after "Windows 7" in an OS name, if the name says Windows 7.
fn after_windows7(name: &str) -> Option<&str> {
    const WINDOWS7: &str = "windows 7";
    // ASCII lowercasing keeps byte offsets, so the index is valid in `name`.
    let at = name.to_ascii_lowercase().find(WINDOWS7)?;
    let rest = &name[at + WINDOWS7.len()..];
    (!rest.starts_with(|c: char| c.is_ascii_alphanumeric())).then_some(rest)
}

/// The edition words of what follows "Windows 7" in an OS name: "Home Premium" of
/// " Home Premium Service Pack 1".
fn edition_in_name(rest: &str) -> &str {
    let lower = rest.to_ascii_lowercase();
    let end = ["service pack", "(", ","]
        .iter()
        .filter_map(|stop| lower.find(stop))
        .min()
        .unwrap_or(rest.len());
    rest[..end].trim()
}

fn arch_name(arch: Arch) -> &'static str {
    match arch {
        Arch::X86 => "x86",
        Arch::X64 => "x64",
        Arch::Arm64 => "arm64",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(version: Option<&str>, name: Option<&str>, edition: Option<&str>) -> Os {
        Os {
            family: Some(OsFamily::Windows),
            name: name.map(str::to_string),
            edition: edition.map(str::to_string),
            version: version.map(str::to_string),
            arch: Some(Arch::X86),
            ..Os::default()
        }
    }

    #[test]
    fn windows7_needs_positive_evidence() {
        let seven = os(Some("6.1"), None, Some("Professional"));
        assert!(Windows7::of(&seven).is_some());
        assert!(Windows7::of(&os(Some("10.0"), None, Some("Professional"))).is_none());
        assert!(Windows7::of(&os(None, None, Some("Professional"))).is_none());
        let server = os(
            Some("6.1"),
            Some("Microsoft Windows Server 2008 R2 Standard"),
            Some("ServerStandard"),
        );
        assert!(Windows7::of(&server).is_none());
        let by_name = os(
            None,
            Some("Microsoft Windows 7 Home Premium Service Pack 1"),
            None,
        );
        let w7 = Windows7::of(&by_name).unwrap();
        assert_eq!(
            w7.edition.as_ref().map(|e| e.0.as_str()),
            Some("homepremium")
        );
        assert!(Windows7::of(&os(None, Some("Windows 70"), None)).is_none());
    }

    #[test]
    fn edition_words_stop_at_the_service_pack() {
        assert_eq!(edition_in_name(" Professional "), "Professional");
        assert_eq!(edition_in_name(" Ultimate Service Pack 1"), "Ultimate");
        assert_eq!(edition_in_name(" Enterprise (x64)"), "Enterprise");
    }
}
