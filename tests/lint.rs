//! `rules lint` catches each kind of mistake a consultant can make in a `--rules DIR`, with its
//! code and file:line:column (issue 13 §3). Each case writes a small directory and expects
//! exactly the findings it names; the shipped files add none.

use std::path::Path;
use w7plan::judge::rules::lint::{lint, Finding, Level, LintCode};

/// A check that lints clean but for what a case puts in place of `PASS` (line 7, column 11).
const PACK: &str = "\
pack: acme
checks:
  - id: acme.memory
    target: windows11
    title: Memory
    severity: blocker
    pass: PASS
    required: 4 GB
    manual: Look in the firmware setup.
    refs: [{title: Acme, url: \"https://example.com/acme\"}]
    examples:
      - inventory: {}
        expect: unknown
";

/// A route that lints clean but for what a case puts in place of `ELIGIBLE` (line 7, column 15).
const ROUTES: &str = "\
routes:
  - id: acme-route
    kind: route
    target: windows11
    rank: 5
    title: Acme's way
    eligible: ELIGIBLE
    why: Because.
    prices: [PRICE]
    deadline: DEADLINE
";

fn pack(pass: &str) -> String {
    PACK.replace("PASS", pass)
}

fn routes(eligible: &str, price: &str, deadline: &str) -> String {
    ROUTES
        .replace("ELIGIBLE", eligible)
        .replace("PRICE", price)
        .replace("DEADLINE", deadline)
}

/// Lints a directory holding `files` and returns the findings about those files, as
/// (code, file name, line, column).
fn lint_dir(files: &[(&str, &str)]) -> Vec<(LintCode, String, usize, usize)> {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
    }
    let findings = lint(Some(dir.path()));
    let ours: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.origin.0.starts_with(&dir.path().display().to_string()))
        .collect();
    let others: Vec<String> = findings
        .iter()
        .filter(|f| !ours.iter().any(|o| std::ptr::eq(*o, *f)))
        .map(|f| f.to_string())
        .collect();
    assert!(others.is_empty(), "the shipped files: {others:#?}");
    ours.iter()
        .map(|f| {
            let name = Path::new(&f.origin.0)
                .strip_prefix(dir.path())
                .unwrap()
                .display()
                .to_string();
            let at = f.location.unwrap_or_else(|| panic!("no location for {f}"));
            (f.code, name, at.line, at.column)
        })
        .collect()
}

fn one(
    code: LintCode,
    file: &str,
    line: usize,
    column: usize,
) -> Vec<(LintCode, String, usize, usize)> {
    vec![(code, file.to_string(), line, column)]
}

#[test]
fn a_clean_pack_and_route_give_nothing() {
    let found = lint_dir(&[
        ("acme.yaml", &pack("memory.installed_bytes >= 4 * GiB")),
        (
            "routes.yaml",
            &routes(
                "check[\"acme.memory\"] == \"pass\" and verdict.windows11 == \"ready\"",
                "windows11-pro",
                "windows10-esu-commercial",
            ),
        ),
    ]);
    assert_eq!(found, vec![]);
}

#[test]
fn an_unknown_filter() {
    let found = lint_dir(&[("acme.yaml", &pack("memory.installed_bytes | gigs >= 4"))]);
    assert_eq!(found, one(LintCode::UnknownFilter, "acme.yaml", 7, 36));
}

#[test]
fn an_unknown_test() {
    let found = lint_dir(&[("acme.yaml", &pack("cpu.cores is evenish"))]);
    assert_eq!(found, one(LintCode::UnknownTest, "acme.yaml", 7, 24));
}

#[test]
fn an_unknown_function() {
    let found = lint_dir(&[("acme.yaml", &pack("at_least(cpu.cores, 2)"))]);
    assert_eq!(found, one(LintCode::UnknownFunction, "acme.yaml", 7, 11));
}

#[test]
fn a_number_compared_with_a_string() {
    let found = lint_dir(&[("acme.yaml", &pack("cpu.cores >= \"2\""))]);
    assert_eq!(found, one(LintCode::TypeMismatch, "acme.yaml", 7, 11));
}

#[test]
fn a_string_handed_to_a_number_filter() {
    let found = lint_dir(&[("acme.yaml", &pack("(os.version | gib) >= 4"))]);
    assert_eq!(found, one(LintCode::TypeMismatch, "acme.yaml", 7, 25));
}

#[test]
fn a_misspelt_fact() {
    let found = lint_dir(&[("acme.yaml", &pack("memory.installed >= 4 * GiB"))]);
    assert_eq!(found, one(LintCode::UnknownField, "acme.yaml", 7, 11));
}

#[test]
fn a_word_outside_an_inventory_enum() {
    let found = lint_dir(&[("acme.yaml", &pack("os.arch == \"x65\""))]);
    assert_eq!(found, one(LintCode::UnknownValue, "acme.yaml", 7, 22));
}

#[test]
fn a_misspelt_fact_in_a_text() {
    let text = PACK
        .replace("PASS", "cpu.cores >= 2")
        .replace("required: 4 GB", "required: \"{{ cpu.corez }} cores\"");
    let found = lint_dir(&[("acme.yaml", &text)]);
    assert_eq!(found, one(LintCode::UnknownField, "acme.yaml", 8, 19));
}

#[test]
fn free_text_where_an_effort_belongs() {
    let text = PACK.replace("PASS", "cpu.cores >= 2").replace(
        "    examples:",
        "    fix:\n      action: Buy a faster PC.\n      effort: weeks\n    examples:",
    );
    let found = lint_dir(&[("acme.yaml", &text)]);
    assert_eq!(found, one(LintCode::UnknownValue, "acme.yaml", 13, 15));
}

#[test]
fn free_text_where_a_severity_belongs() {
    let text = pack("cpu.cores >= 2").replace("severity: blocker", "severity: blocking");
    let found = lint_dir(&[("acme.yaml", &text)]);
    assert_eq!(found, one(LintCode::UnknownValue, "acme.yaml", 6, 15));
}

#[test]
fn free_text_where_a_target_belongs() {
    let text = pack("cpu.cores >= 2").replace("target: windows11", "target: win11");
    let found = lint_dir(&[("acme.yaml", &text)]);
    assert_eq!(found, one(LintCode::UnknownValue, "acme.yaml", 4, 13));
}

#[test]
fn an_unknown_price_in_a_fix() {
    let text = PACK.replace("PASS", "cpu.cores >= 2").replace(
        "    examples:",
        "    fix:\n      action: Buy memory.\n      price: no-such-price\n    examples:",
    );
    let found = lint_dir(&[("acme.yaml", &text)]);
    assert_eq!(found, one(LintCode::UnknownPrice, "acme.yaml", 13, 14));
}

#[test]
fn a_route_naming_an_unknown_check() {
    let text = routes(
        "check[\"acme.no-such-check\"] == \"fail\"",
        "windows11-pro",
        "current-os",
    );
    let found = lint_dir(&[("routes.yaml", &text)]);
    assert_eq!(found, one(LintCode::UnknownCheck, "routes.yaml", 7, 15));
}

#[test]
fn a_route_with_a_misspelt_status() {
    let text = routes(
        "check[\"win11.tpm\"] == \"fial\"",
        "windows11-pro",
        "current-os",
    );
    let found = lint_dir(&[("routes.yaml", &text)]);
    assert_eq!(found, one(LintCode::UnknownValue, "routes.yaml", 7, 37));
}

#[test]
fn a_route_with_a_misspelt_verdict() {
    let text = routes(
        "verdict.windows11 == \"redy\"",
        "windows11-pro",
        "current-os",
    );
    let found = lint_dir(&[("routes.yaml", &text)]);
    assert_eq!(found, one(LintCode::UnknownValue, "routes.yaml", 7, 36));
}

#[test]
fn a_route_with_a_misspelt_context_name() {
    let text = routes(
        "verdikt.windows11 == \"ready\"",
        "windows11-pro",
        "current-os",
    );
    let found = lint_dir(&[("routes.yaml", &text)]);
    assert_eq!(found, one(LintCode::UnknownField, "routes.yaml", 7, 15));
}

#[test]
fn a_route_with_an_unknown_price() {
    let text = routes("true", "no-such-price", "current-os");
    let found = lint_dir(&[("routes.yaml", &text)]);
    assert_eq!(found, one(LintCode::UnknownPrice, "routes.yaml", 9, 14));
}

#[test]
fn a_route_with_an_unknown_deadline() {
    let text = routes("true", "windows11-pro", "windows10-esu-forever");
    let found = lint_dir(&[("routes.yaml", &text)]);
    assert_eq!(found, one(LintCode::UnknownDeadline, "routes.yaml", 10, 15));
}

#[test]
fn a_data_file_that_is_not_yaml() {
    let found = lint_dir(&[("data/prices.yaml", "prices:\n  - id: a\n    usd: [1, 2\n")]);
    assert_eq!(found.len(), 1, "{found:?}");
    let (code, file, line, _) = &found[0];
    assert_eq!(
        (*code, file.as_str()),
        (LintCode::DataSyntax, "data/prices.yaml")
    );
    assert!(*line >= 3, "{found:?}");
}

#[test]
fn a_data_file_that_does_not_fit_its_format() {
    let found = lint_dir(&[(
        "data/lifecycle.yaml",
        "entries:\n  - id: windows7\n    product: Windows 7\n    startz_on: 2009-10-22\n",
    )]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, LintCode::DataSyntax);
    assert_eq!((found[0].2, found[0].3), (4, 5), "{found:?}");
}

#[test]
fn every_finding_has_a_location_and_an_error_level() {
    let text = routes(
        "check[\"acme.nope\"] == \"fial\" and verdikt.x",
        "nope",
        "nope",
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("routes.yaml"), text).unwrap();
    let findings = lint(Some(dir.path()));
    assert!(findings.len() >= 5, "{findings:#?}");
    for finding in &findings {
        assert!(finding.location.is_some(), "{finding}");
        assert_eq!(finding.level, Level::Error, "{finding}");
    }
}

#[test]
fn the_cli_fails_and_prints_each_finding_with_its_place() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("acme.yaml"),
        pack("memory.installed_bytes | gigs >= 4"),
    )
    .unwrap();
    let output = assert_cmd::Command::cargo_bin("w7plan")
        .unwrap()
        .args(["rules", "lint", "--rules"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    let expected = format!(
        "error[unknown-filter]: {}:7:36: acme.memory:",
        dir.path().join("acme.yaml").display()
    );
    assert!(stderr.contains(&expected), "{stderr}");
}

#[test]
fn a_call_that_fails_on_a_sample_machine() {
    let found = lint_dir(&[("acme.yaml", &pack("version_at_least(os.version)"))]);
    assert_eq!(found, one(LintCode::FailsOnSample, "acme.yaml", 7, 11));
}

#[test]
fn a_lifecycle_year_priced_by_an_unknown_id() {
    let text = "\
entries:
  - id: acme-esu
    product: Acme ESU
    editions: all
    starts_on: 2025-10-15
    ends_on: 2026-10-13
    stages:
      - {name: Year 1, ends_on: 2026-10-13, price: acme-esu-year1}
    confidence: primary
    source: {title: Acme, url: \"https://example.com/acme\", as_of: \"2026-11-27\"}
";
    let found = lint_dir(&[("data/lifecycle.yaml", text)]);
    assert_eq!(
        found,
        one(LintCode::UnknownPrice, "data/lifecycle.yaml", 8, 52)
    );
}

#[test]
fn a_deadline_from_the_users_lifecycle_file_is_known() {
    let lifecycle = "\
entries:
  - id: acme-support
    product: Acme support
    editions: all
    starts_on: 2025-10-15
    ends_on: 2030-10-13
    confidence: primary
    source: {title: Acme, url: \"https://example.com/acme\", as_of: \"2026-11-27\"}
";
    let found = lint_dir(&[
        ("data/lifecycle.yaml", lifecycle),
        (
            "routes.yaml",
            &routes("true", "windows11-pro", "acme-support"),
        ),
    ]);
    assert_eq!(found, vec![]);
}

#[test]
fn a_user_route_replacing_a_shipped_one_is_a_warning() {
    let text = routes("true", "windows11-pro", "current-os").replace("acme-route", "replace");
    let found = lint_dir(&[("routes.yaml", &text)]);
    assert_eq!(found, one(LintCode::ReplacesShipped, "routes.yaml", 2, 9));
}

#[test]
fn free_text_where_a_status_belongs_in_an_example() {
    let text = pack("cpu.cores >= 2").replace("expect: unknown", "expect: fial");
    let found = lint_dir(&[("acme.yaml", &text)]);
    assert_eq!(found, one(LintCode::UnknownValue, "acme.yaml", 13, 17));
}

#[test]
fn a_data_file_inconsistent_in_itself_points_at_the_value() {
    let found = lint_dir(&[("data/prices.yaml", "currency: EUR\nprices: []\n")]);
    assert_eq!(found, one(LintCode::DataSyntax, "data/prices.yaml", 1, 11));
}

#[test]
fn loop_variables_and_method_calls_are_not_mistakes() {
    let text = PACK.replace("PASS", "graphics | selectattr(\"wddm\") | list | length > 0").replace(
        "required: 4 GB",
        "required: \"{% for g in graphics %}{% set v = g.wddm %}{{ v | version_major }} {{ loop.index }}{% endfor %} {{ os.name.upper() }}\"",
    );
    let found = lint_dir(&[("acme.yaml", &text)]);
    assert_eq!(found, vec![]);
}

#[test]
fn a_misspelt_support_status() {
    let found = lint_dir(&[(
        "acme.yaml",
        &pack("derived.lifecycle.windows10_esu_consumer.status != \"endd\""),
    )]);
    assert_eq!(found, one(LintCode::UnknownValue, "acme.yaml", 7, 62));
}

#[test]
fn free_text_where_a_route_kind_belongs() {
    let text = routes("true", "windows11-pro", "current-os").replace("kind: route", "kind: detour");
    let found = lint_dir(&[("routes.yaml", &text)]);
    assert_eq!(found, one(LintCode::UnknownValue, "routes.yaml", 3, 11));
}

#[test]
fn a_file_under_rules_that_is_not_read_is_named() {
    let found = lint_dir(&[
        ("data/lifecycle.yml", "entries: []\n"),
        ("notes.txt", "what I changed\n"),
        ("old/windows11.yaml", "pack: old\nchecks: []\n"),
    ]);
    assert_eq!(
        found,
        vec![
            (LintCode::NotRead, "data/lifecycle.yml".into(), 1, 1),
            (LintCode::NotRead, "notes.txt".into(), 1, 1),
            (LintCode::NotRead, "old/windows11.yaml".into(), 1, 1),
        ]
    );
}

/// A target list that lints clean but for what a case changes.
const TARGETS: &str = "\
targets:
  - id: windows11
    title: Windows 11 for Acme
    pack: windows11
    source: {title: Acme, url: \"https://example.com/acme\", as_of: \"2026-01-01\"}
  - id: windows10
    title: Windows 10
    pack: windows10
    source: {title: Acme, url: \"https://example.com/acme\", as_of: \"2026-01-01\"}
";

#[test]
fn a_clean_target_list_gives_nothing() {
    assert_eq!(lint_dir(&[("data/targets.yaml", TARGETS)]), vec![]);
}

#[test]
fn a_target_list_with_an_unknown_key() {
    let text = TARGETS.replace(
        "    pack: windows10\n",
        "    pack: windows10\n    rank: 2\n",
    );
    let found = lint_dir(&[("data/targets.yaml", &text)]);
    assert_eq!(found, one(LintCode::DataSyntax, "data/targets.yaml", 9, 5));
}

#[test]
fn a_target_list_with_a_wrong_type() {
    let text = TARGETS.replace("title: Windows 10\n", "title: [Windows, 10]\n");
    let found = lint_dir(&[("data/targets.yaml", &text)]);
    assert_eq!(found, one(LintCode::DataSyntax, "data/targets.yaml", 7, 12));
}

#[test]
fn a_target_source_without_a_date() {
    let text = TARGETS.replacen(", as_of: \"2026-01-01\"", "", 1);
    let found = lint_dir(&[("data/targets.yaml", &text)]);
    assert_eq!(found, one(LintCode::DataSyntax, "data/targets.yaml", 2, 9));
}

#[test]
fn a_target_naming_no_pack() {
    let text = TARGETS.replace("pack: windows10", "pack: windows-ten");
    let found = lint_dir(&[("data/targets.yaml", &text)]);
    assert_eq!(
        found,
        one(LintCode::UnknownValue, "data/targets.yaml", 8, 11)
    );
}

#[test]
fn a_route_for_an_unknown_target() {
    let text = routes("true", "windows11-pro", "windows7")
        .replace("target: windows11", "target: windows12");
    let found = lint_dir(&[("routes.yaml", &text)]);
    assert_eq!(found, one(LintCode::UnknownValue, "routes.yaml", 4, 13));
}

fn shipped_cpu_rule() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/data/cpu-family-rule.yaml");
    std::fs::read_to_string(path).unwrap()
}

/// Where `needle` starts in `text`, as (line, column).
fn position_of(text: &str, needle: &str) -> (usize, usize) {
    let byte = text.find(needle).unwrap();
    let line = text[..byte].matches('\n').count() + 1;
    let column = byte - text[..byte].rfind('\n').map_or(0, |i| i + 1) + 1;
    (line, column)
}

#[test]
fn a_cpu_family_rule_with_an_unknown_key() {
    let text = shipped_cpu_rule().replacen(
        "  lowest_family: 23\n",
        "  lowest_family: 23\n  highest_family: 26\n",
        1,
    );
    let (line, column) = position_of(&text, "highest_family");
    let found = lint_dir(&[("data/cpu-family-rule.yaml", &text)]);
    assert_eq!(
        found,
        one(
            LintCode::DataSyntax,
            "data/cpu-family-rule.yaml",
            line,
            column
        )
    );
}

#[test]
fn a_cpu_family_rule_with_a_wrong_type() {
    let text = shipped_cpu_rule().replacen(
        "blocked_up_to_model: 95\n",
        "blocked_up_to_model: ninety-five\n",
        1,
    );
    let (line, column) = position_of(&text, "ninety-five");
    let found = lint_dir(&[("data/cpu-family-rule.yaml", &text)]);
    assert_eq!(
        found,
        one(
            LintCode::DataSyntax,
            "data/cpu-family-rule.yaml",
            line,
            column
        )
    );
}

#[test]
fn a_cpu_family_rule_without_a_dated_source() {
    let text = shipped_cpu_rule().replacen("  as_of: \"2021-11-29\"\n", "", 1);
    let (line, column) = position_of(&text, "source:");
    let found = lint_dir(&[("data/cpu-family-rule.yaml", &text)]);
    assert_eq!(
        found,
        one(
            LintCode::DataSyntax,
            "data/cpu-family-rule.yaml",
            line,
            column
        )
    );
}
