//! What assessing one machine costs: parsing its inventory, evaluating every rule, rendering the
//! HTML report, and the three together; and looking a processor brand up. Rules and templates
//! are loaded once, as in a batch.

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use w7plan::error::Origin;
use w7plan::facts::inventory::Inventory;
use w7plan::judge::assess::Assessment;
use w7plan::judge::rules::RuleSet;
use w7plan::knowledge::targets::Targets;
use w7plan::output::report::{Format, RenderOptions, Renderer};

const FIXTURE: &str = include_str!("../tests/fixtures/inventories/ivy-bridge-optiplex.yaml");

fn bench(c: &mut Criterion) {
    let origin = Origin("bench.yaml".into());
    let inventory = Inventory::parse(FIXTURE, &origin).unwrap();
    let json = inventory.to_json();
    let rules = RuleSet::load(None).unwrap();
    let renderer = Renderer::new(None).unwrap();
    let as_of = jiff::civil::date(2026, 11, 27);
    let assessment = Assessment::new(&inventory, &rules, &Targets::embedded().all(), as_of);

    c.bench_function("parse inventory (yaml)", |b| {
        b.iter(|| Inventory::parse(black_box(FIXTURE), &origin).unwrap())
    });
    c.bench_function("parse inventory (json)", |b| {
        b.iter(|| Inventory::parse(black_box(&json), &origin).unwrap())
    });
    c.bench_function("evaluate all rules", |b| {
        b.iter(|| {
            Assessment::new(
                black_box(&inventory),
                &rules,
                &Targets::embedded().all(),
                as_of,
            )
        })
    });
    let big = w7plan::fleet::synthetic::machine(7, 42);
    let big_json = big.to_json();
    c.bench_function("parse inventory (json, 300 programs)", |b| {
        b.iter(|| Inventory::parse(black_box(&big_json), &origin).unwrap())
    });
    c.bench_function("evaluate all rules (300 programs)", |b| {
        b.iter(|| Assessment::new(black_box(&big), &rules, &Targets::embedded().all(), as_of))
    });
    c.bench_function("render html", |b| {
        b.iter(|| {
            renderer
                .render(
                    Format::Html,
                    black_box(&assessment),
                    &inventory,
                    RenderOptions::default(),
                )
                .unwrap()
        })
    });
    // What `fleet` does per machine when it writes reports: one context, both templates.
    let big_assessment = Assessment::new(&big, &rules, &Targets::embedded().all(), as_of);
    c.bench_function("render html + md (300 programs)", |b| {
        b.iter(|| {
            renderer
                .render_templates(
                    &[Format::Html, Format::Markdown],
                    black_box(&big_assessment),
                    &big,
                    RenderOptions::default(),
                )
                .unwrap()
        })
    });
    // One brand-string lookup in the shipped processor lists (each rule run does a few).
    let list = w7plan::knowledge::processors::ProcessorList::parse_embedded();
    let brands = [
        ("GenuineIntel", "Intel(R) Core(TM) i5-8400 CPU @ 2.80GHz"),
        ("AuthenticAMD", "AMD Ryzen 5 2600 Six-Core Processor"),
        ("GenuineIntel", "Intel(R) Core(TM)2 Duo CPU E8400 @ 3.00GHz"),
        ("GenuineIntel", "12th Gen Intel(R) Core(TM) i7-1265U"),
        ("AuthenticAMD", "AMD Ryzen 7 5800H with Radeon Graphics"),
    ];
    c.bench_function("find a processor brand (5 brands)", |b| {
        b.iter(|| {
            brands
                .iter()
                .filter(|(vendor, brand)| list.find(Some(vendor), black_box(brand)).is_some())
                .count()
        })
    });
    c.bench_function("assess one machine (parse yaml + evaluate + html)", |b| {
        b.iter(|| {
            let inventory = Inventory::parse(black_box(FIXTURE), &origin).unwrap();
            let assessment = Assessment::new(&inventory, &rules, &Targets::embedded().all(), as_of);
            renderer
                .render(
                    Format::Html,
                    &assessment,
                    &inventory,
                    RenderOptions::default(),
                )
                .unwrap()
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
