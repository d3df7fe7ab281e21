//! The library's layers import only downward, and the modules inside a layer never import each
//! other in a circle.
//!
//! Every `crate::` path (and every `super::` path that climbs to the crate root) in `src/**/*.rs`
//! is read as an import of the top-level module it names; each module belongs to one layer (see
//! `LAYERS`, the same order `src/lib.rs` documents). Unit tests (everything from a file's
//! `#[cfg(test)]` on) may use fixtures from any layer and are not read. The binary (`src/main.rs`,
//! `src/cli/`) sits on top of everything and is not read either.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Each top-level module of the library and its layer, bottom (0) to top.
const LAYERS: &[(&str, u8)] = &[
    ("error", 0),
    ("input", 0),
    ("yaml", 0),
    ("vocab", 1),
    ("facts", 2),
    ("knowledge", 3),
    ("judge", 4),
    ("output", 5),
    ("fleet", 6),
    ("double_click", 6),
];

/// Top-level modules that are folders of a layer: their own submodules are the units whose
/// imports must not form a circle. The other top-level modules are units themselves.
const LAYER_FOLDERS: &[&str] = &["vocab", "facts", "knowledge", "judge", "output"];

#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Finding {
    /// `file` (in `from`) imports `to`, a module of a higher layer.
    Upward {
        file: String,
        from: String,
        to: String,
    },
    /// A top-level module outside every layer.
    Unlayered { file: String, module: String },
    /// Units of one layer that import each other in a circle, in order.
    Cycle(Vec<String>),
}

fn layer_of(module: &str) -> Option<u8> {
    // The crate root re-exports `error::{Error, Result}`.
    let module = match module {
        "Error" | "Result" => "error",
        other => other,
    };
    LAYERS.iter().find(|(m, _)| *m == module).map(|(_, l)| *l)
}

/// The module path of a file below `src/`: `judge/plan/mod.rs` is `judge::plan`.
fn module_path(file: &str) -> Vec<String> {
    let without = file.trim_end_matches(".rs");
    let mut parts: Vec<String> = without.split('/').map(str::to_string).collect();
    if parts.last().is_some_and(|p| p == "mod" || p == "lib") {
        parts.pop();
    }
    parts
}

/// The unit a module path belongs to, for the cycle check: `judge::plan::licence` is
/// `judge::plan`, `fleet::outputs` is `fleet`.
fn unit_of(path: &[String]) -> Option<String> {
    let top = path.first()?;
    if LAYER_FOLDERS.contains(&top.as_str()) {
        path.get(1).map(|second| format!("{top}::{second}"))
    } else {
        Some(top.clone())
    }
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The module paths a source text names, resolved from the module at `here`: `crate::a::b`,
/// each name of `crate::{a, b}`, and `super::` paths (relative to `here`).
fn imports(here: &[String], text: &str) -> Vec<Vec<String>> {
    let mut found = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("#[cfg(test)]") {
            break;
        }
        if trimmed.starts_with("//") {
            continue;
        }
        // A comment after code starts at ` //` (a URL's `://` is not one).
        let code = line.find(" //").map_or(line, |at| &line[..at]);
        let bytes: Vec<char> = code.chars().collect();
        let mut i = 0;
        while i < bytes.len() {
            let rest: String = bytes[i..].iter().collect();
            let boundary = i == 0 || !is_ident(bytes[i - 1]);
            if boundary && (rest.starts_with("crate::") || rest.starts_with("super::")) {
                let (mut base, mut j) = if rest.starts_with("crate::") {
                    (Vec::new(), i + "crate::".len())
                } else {
                    // `super` of module a::b is a, whether it is `a/b.rs` or `a/b/mod.rs`.
                    let mut base: Vec<String> = here.to_vec();
                    base.pop();
                    let mut j = i + "super::".len();
                    while bytes[j..].iter().collect::<String>().starts_with("super::") {
                        base.pop();
                        j += "super::".len();
                    }
                    (base, j)
                };
                let mut names: Vec<Vec<String>> = Vec::new();
                if bytes.get(j) == Some(&'{') {
                    // crate::{a, b::c}: each first name.
                    let close = bytes[j..].iter().position(|c| *c == '}').map(|p| j + p);
                    let inner: String = bytes[j + 1..close.unwrap_or(bytes.len())].iter().collect();
                    for item in inner.split(',') {
                        let first: String =
                            item.trim().chars().take_while(|c| is_ident(*c)).collect();
                        if !first.is_empty() && first != "self" {
                            let mut path = base.clone();
                            path.push(first);
                            names.push(path);
                        }
                    }
                    j = close.unwrap_or(bytes.len());
                } else {
                    loop {
                        let name: String =
                            bytes[j..].iter().take_while(|c| is_ident(**c)).collect();
                        if name.is_empty() {
                            break;
                        }
                        j += name.len();
                        base.push(name);
                        if bytes[j..].iter().collect::<String>().starts_with("::") && base.len() < 2
                        {
                            j += 2;
                        } else {
                            break;
                        }
                    }
                    if !base.is_empty() {
                        names.push(base);
                    }
                }
                found.extend(names);
                i = j.max(i + 1);
            } else {
                i += 1;
            }
        }
    }
    found
}

/// Checks sources given as (path below `src/`, text).
fn check(sources: &[(String, String)]) -> Vec<Finding> {
    let mut findings = BTreeSet::new();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (file, text) in sources {
        let here = module_path(file);
        let Some(top) = here.first() else { continue };
        let Some(from_layer) = layer_of(top) else {
            findings.insert(Finding::Unlayered {
                file: file.clone(),
                module: top.clone(),
            });
            continue;
        };
        for path in imports(&here, text) {
            let Some(target) = path.first() else { continue };
            let Some(to_layer) = layer_of(target) else {
                findings.insert(Finding::Unlayered {
                    file: file.clone(),
                    module: target.clone(),
                });
                continue;
            };
            if to_layer > from_layer {
                findings.insert(Finding::Upward {
                    file: file.clone(),
                    from: top.clone(),
                    to: path.join("::"),
                });
            } else if to_layer == from_layer {
                if let (Some(a), Some(b)) = (unit_of(&here), unit_of(&path)) {
                    if a != b {
                        edges.entry(a).or_default().insert(b);
                    }
                }
            }
        }
    }
    findings.extend(cycles(&edges).into_iter().map(Finding::Cycle));
    findings.into_iter().collect()
}

/// One circle through each unit that is on one, found by depth-first search.
fn cycles(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    fn visit(
        node: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        stack: &mut Vec<String>,
        done: &mut BTreeSet<String>,
        found: &mut Vec<Vec<String>>,
    ) {
        if let Some(at) = stack.iter().position(|n| n == node) {
            let mut circle = stack[at..].to_vec();
            circle.push(node.to_string());
            found.push(circle);
            return;
        }
        if done.contains(node) {
            return;
        }
        stack.push(node.to_string());
        for next in edges.get(node).into_iter().flatten() {
            visit(next, edges, stack, done, found);
        }
        stack.pop();
        done.insert(node.to_string());
    }
    let mut found = Vec::new();
    let mut done = BTreeSet::new();
    for node in edges.keys() {
        visit(node, edges, &mut Vec::new(), &mut done, &mut found);
    }
    found
}

fn library_sources() -> Vec<(String, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut sources = Vec::new();
    for entry in walkdir::WalkDir::new(&src) {
        let entry = entry.expect("src/ is readable");
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) != Some("rs") {
            continue;
        }
        let relative = path
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if relative == "main.rs" || relative == "lib.rs" || relative.starts_with("cli/") {
            continue;
        }
        let text = std::fs::read_to_string(path).expect("a source file is UTF-8");
        sources.push((relative, text));
    }
    sources.sort();
    sources
}

#[test]
fn library_modules_import_only_downward_and_without_circles() {
    let sources = library_sources();
    assert!(sources.len() > 50, "found the library's sources");
    let findings = check(&sources);
    assert!(
        findings.is_empty(),
        "imports against the layers (src/lib.rs lists them):\n{}",
        findings
            .iter()
            .map(|f| format!("  {f:?}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

fn fake(files: &[(&str, &str)]) -> Vec<(String, String)> {
    files
        .iter()
        .map(|(p, t)| (p.to_string(), t.to_string()))
        .collect()
}

#[test]
fn the_check_fails_on_an_upward_import() {
    let findings = check(&fake(&[
        (
            "facts/import/wmic.rs",
            "use crate::judge::license::channel_of;\n",
        ),
        ("knowledge/prices.rs", "use crate::vocab::Price;\n"),
    ]));
    assert_eq!(
        findings,
        vec![Finding::Upward {
            file: "facts/import/wmic.rs".into(),
            from: "facts".into(),
            to: "judge::license".into(),
        }]
    );
}

#[test]
fn the_check_reads_grouped_inline_and_super_paths() {
    let findings = check(&fake(&[
        ("error.rs", "use crate::{input, vocab::Target};\n"),
        (
            "vocab/mod.rs",
            "fn f() { super::facts::inventory::Inventory::default(); }\n",
        ),
        (
            "facts/inventory/mod.rs",
            "let x = crate::output::files::write(); // crate::fleet\n",
        ),
        (
            "output/report/mod.rs",
            "#[cfg(test)]\nmod tests { use crate::fleet::run; }\n",
        ),
    ]));
    let upward: Vec<(&str, &str)> = findings
        .iter()
        .filter_map(|f| match f {
            Finding::Upward { file, to, .. } => Some((file.as_str(), to.as_str())),
            _ => None,
        })
        .collect();
    assert_eq!(
        upward,
        vec![
            ("error.rs", "vocab"),
            ("facts/inventory/mod.rs", "output::files"),
            ("vocab/mod.rs", "facts::inventory"),
        ]
    );
}

#[test]
fn the_check_fails_on_a_circle_inside_a_layer_and_on_an_unlayered_module() {
    let findings = check(&fake(&[
        (
            "judge/rules/engine.rs",
            "use crate::judge::plan::route::Routes;\n",
        ),
        (
            "judge/plan/mod.rs",
            "use crate::judge::rules::engine::Context;\n",
        ),
        ("judge/assess.rs", "use crate::judge::plan::Plan;\n"),
        ("widgets.rs", "use crate::vocab::Target;\n"),
    ]));
    assert_eq!(
        findings,
        vec![
            Finding::Unlayered {
                file: "widgets.rs".into(),
                module: "widgets".into(),
            },
            Finding::Cycle(vec![
                "judge::plan".into(),
                "judge::rules".into(),
                "judge::plan".into(),
            ]),
        ]
    );
}

/// Judgement reads its data from the loaded knowledge it is given, never from a shipped default,
/// so a `--rules DIR` reaches every decision. (Lint reads the pack files itself, to report every
/// mistake in one run; it judges packs, not machines.)
#[test]
fn judgement_reads_no_shipped_default() {
    let offenders: Vec<String> = library_sources()
        .into_iter()
        .filter(|(file, _)| file.starts_with("judge/") && file != "judge/rules/lint.rs")
        .flat_map(|(file, text)| {
            text.lines()
                .take_while(|l| !l.trim_start().starts_with("#[cfg(test)]"))
                .enumerate()
                .filter(|(_, l)| !l.trim_start().starts_with("//") && l.contains("::embedded()"))
                .map(|(n, l)| format!("{file}:{}: {}", n + 1, l.trim()))
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(
        offenders.is_empty(),
        "judgement must take its data as a parameter:\n{}",
        offenders.join("\n")
    );
}
