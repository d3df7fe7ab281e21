//! Every shipped rule's examples hold, and the shipped packs lint clean.

use w7plan::judge::rules::lint::{lint, Level};
use w7plan::judge::rules::RuleSet;

#[test]
fn shipped_rule_examples_hold() {
    let rules = RuleSet::load(None).expect("shipped packs load");
    let outcomes = rules.run_examples();
    assert!(
        outcomes.len() > 50,
        "expected many examples, got {}",
        outcomes.len()
    );
    let failures: Vec<String> = outcomes
        .iter()
        .filter(|o| !o.passed())
        .map(|o| match &o.got {
            Ok(r) => format!(
                "{} example {}: expected {}, got {} ({})",
                o.id,
                o.index + 1,
                o.expected,
                r.status,
                r.reason.as_deref().unwrap_or("")
            ),
            Err(e) => format!("{} example {}: {e}", o.id, o.index + 1),
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn shipped_packs_lint_clean() {
    let findings = lint(None);
    let problems: Vec<String> = findings.iter().map(|f| f.to_string()).collect();
    assert!(
        findings.iter().all(|f| f.level < Level::Error) && findings.is_empty(),
        "{}",
        problems.join("\n")
    );
}

/// Checks that give unknown where others would fail, by design, and so have no fail example:
/// `win10.prefetchw` (a missing CPUID flag does not show the instruction is missing).
const CANNOT_FAIL: &[&str] = &["win10.prefetchw"];

#[test]
fn every_check_has_the_three_kinds_of_example() {
    let rules = RuleSet::load(None).unwrap();
    for id in CANNOT_FAIL {
        assert!(
            rules.checks().iter().any(|c| c.check.id == *id),
            "{id} is no longer shipped: take it off CANNOT_FAIL"
        );
    }
    for loaded in rules.checks() {
        let expects: Vec<_> = loaded.check.examples.iter().map(|e| e.expect).collect();
        // What missing evidence gives: unknown, or, for a check whose `when` makes it a
        // question only once its fact was read, not-applicable on an empty inventory.
        let shows_missing = expects.contains(&w7plan::vocab::Status::Unknown)
            || (loaded.check.when.is_some()
                && loaded.check.examples.iter().any(|e| {
                    e.expect == w7plan::vocab::Status::NotApplicable
                        && e.inventory.as_mapping().is_some_and(|m| m.is_empty())
                }));
        let id = loaded.check.id.as_str();
        assert!(shows_missing, "{id} has no unknown example");
        assert!(
            expects.contains(&w7plan::vocab::Status::Pass),
            "{id} has no pass example"
        );
        if CANNOT_FAIL.contains(&id) {
            assert!(
                !expects.contains(&w7plan::vocab::Status::Fail),
                "{id} has a fail example: take it off CANNOT_FAIL"
            );
        } else {
            assert!(
                expects.contains(&w7plan::vocab::Status::Fail),
                "{id} has no fail example"
            );
        }
    }
}
