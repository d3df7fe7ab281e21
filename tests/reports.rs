//! Snapshot tests of every report format for a few fixture machines, at a fixed date, so any
//! change to what a person reads shows up in review.

use std::collections::BTreeSet;
use std::path::Path;
use w7plan::facts::inventory::Inventory;
use w7plan::judge::assess::Assessment;
use w7plan::judge::rules::RuleSet;
use w7plan::knowledge::targets::Targets;
use w7plan::output::report::escape::link_url;
use w7plan::output::report::{Format, RenderOptions, Renderer};

const MACHINES: [&str; 5] = [
    "ivy-bridge-optiplex",
    "coffee-lake-ready",
    "no-admin-coffee-lake",
    "core2-32bit",
    "home-premium-oem-laptop",
];

fn render(machine: &str, format: Format) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/inventories")
        .join(format!("{machine}.yaml"));
    let inventory = Inventory::read(&path).unwrap();
    let rules = RuleSet::load(None).unwrap();
    let assessment = Assessment::new(
        &inventory,
        &rules,
        &Targets::embedded().all(),
        jiff::civil::date(2026, 11, 27),
    );
    Renderer::new(None)
        .unwrap()
        .render(format, &assessment, &inventory, RenderOptions::default())
        .unwrap()
}

#[test]
fn json_reports() {
    for machine in MACHINES {
        insta::assert_snapshot!(format!("{machine}.json"), render(machine, Format::Json));
    }
}

#[test]
fn markdown_reports() {
    for machine in MACHINES {
        insta::assert_snapshot!(format!("{machine}.md"), render(machine, Format::Markdown));
    }
}

#[test]
fn html_reports() {
    for machine in MACHINES {
        let html = render(machine, Format::Html);
        // The embedded JSON must be the same result the json format gives.
        let start =
            html.find("id=\"w7plan-assessment\">").unwrap() + "id=\"w7plan-assessment\">".len();
        let end = html[start..].find("</script>").unwrap() + start;
        let embedded: serde_json::Value = serde_json::from_str(&html[start..end]).unwrap();
        let json: serde_json::Value = serde_json::from_str(&render(machine, Format::Json)).unwrap();
        assert_eq!(embedded, json, "{machine}");
        // Every source the assessment cites is listed, as a link, under Sources.
        let cited: BTreeSet<String> = urls_in(&json).iter().map(|u| link_url(u)).collect();
        assert!(!cited.is_empty(), "{machine} cites no source");
        let start = html
            .find("<section id=\"sources\"")
            .expect("a Sources section");
        let sources = &html[start..start + html[start..].find("</section>").unwrap()];
        let listed: BTreeSet<String> = hrefs(sources).collect();
        let missing: Vec<&String> = cited.difference(&listed).collect();
        assert!(
            missing.is_empty(),
            "{machine}: not under Sources: {missing:#?}"
        );
        assert!(
            !html.contains("<link") && !html.contains("src=\""),
            "self-contained"
        );
        insta::assert_snapshot!(format!("{machine}.html"), html);
    }
}

/// Every `url` in a JSON report: the references of checks, prices, licence channels, support
/// dates and routes; a check that does not apply cites nothing.
fn urls_in(value: &serde_json::Value) -> Vec<String> {
    match value {
        serde_json::Value::Object(map)
            if map.get("status").is_some_and(|s| s == "not-applicable") =>
        {
            Vec::new()
        }
        serde_json::Value::Object(map) => map
            .iter()
            .flat_map(|(key, v)| match (key.as_str(), v) {
                ("url", serde_json::Value::String(url)) => vec![url.clone()],
                _ => urls_in(v),
            })
            .collect(),
        serde_json::Value::Array(items) => items.iter().flat_map(urls_in).collect(),
        _ => Vec::new(),
    }
}

/// An attribute's text as the browser reads it (minijinja escapes `/` too).
fn unescape(text: &str) -> String {
    text.replace("&#x2f;", "/")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The `href` values in `html`, unescaped.
fn hrefs(html: &str) -> impl Iterator<Item = String> + '_ {
    html.split("href=\"")
        .skip(1)
        .map(|rest| unescape(&rest[..rest.find('"').unwrap()]))
}

#[test]
fn table_reports() {
    for machine in MACHINES {
        insta::assert_snapshot!(format!("{machine}.table"), render(machine, Format::Table));
    }
}

#[test]
fn hwreadiness_reports() {
    for machine in MACHINES {
        insta::assert_snapshot!(
            format!("{machine}.hwreadiness"),
            render(machine, Format::HwReadiness)
        );
    }
}

#[test]
fn html_escapes_what_came_from_the_machine() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("evil.yaml");
    std::fs::write(
        &path,
        "schema: w7plan/inventory/v1\nhost: {name: \"<script>alert(1)</script>\"}\ncpu: {brand: \"</script><b>x\"}\n",
    )
    .unwrap();
    let inventory = Inventory::read(&path).unwrap();
    let rules = RuleSet::load(None).unwrap();
    let assessment = Assessment::new(
        &inventory,
        &rules,
        &Targets::embedded().all(),
        jiff::civil::date(2026, 11, 27),
    );
    let html = Renderer::new(None)
        .unwrap()
        .render(
            Format::Html,
            &assessment,
            &inventory,
            RenderOptions::default(),
        )
        .unwrap();
    assert!(!html.contains("<script>alert"), "host name escaped");
    assert!(
        !html.contains("</script><b>"),
        "brand escaped, also inside the embedded JSON"
    );
    assert_eq!(
        html.matches("</script>").count(),
        1,
        "only the JSON block's own end tag"
    );
}

/// Every link a report template writes goes through the `link` filter, which keeps only http(s)
/// URLs: a `javascript:` URL in a user's rule pack must never become a clickable link.
#[test]
fn every_link_in_the_templates_goes_through_the_link_filter() {
    for (name, opener, closer) in [
        ("report.html", "href=\"{{", "}}\""),
        ("report.md", "]({{", "}})"),
    ] {
        let text = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("templates")
                .join(name),
        )
        .unwrap();
        let mut links = 0;
        for (at, _) in text.match_indices(opener) {
            let rest = &text[at + opener.len()..];
            let expression = &rest[..rest.find(closer).expect("an unclosed link")];
            assert!(
                expression.trim_end().ends_with("| link"),
                "{name}: the link `{expression}` does not go through `| link`"
            );
            links += 1;
        }
        assert!(links >= 5, "{name}: only {links} links found");
    }
}
