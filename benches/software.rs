//! What finding the programs at risk costs per machine: a realistic Windows 7 machine (200
//! Uninstall entries, a handful at risk) and synthetic fleet machines (100–300 entries, every one a
//! variant of a commonly flagged program, so a pessimistic case). The knowledge base is loaded
//! once, as in a batch.
//!
//! `cargo bench --bench software`.

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use w7plan::facts::inventory::{Arch, Inventory, Os, OsFamily, Program};
use w7plan::judge::plan::software::programs_at_risk;
use w7plan::knowledge::software::KnowledgeBase;
use w7plan::vocab::Target;

const AT_RISK: &[&str] = &[
    "Microsoft Office Professional Plus 2010",
    "Java 8 Update 341",
    "Adobe Flash Player 32 ActiveX",
    "Microsoft Silverlight",
    "Microsoft Security Essentials",
    "Cisco AnyConnect Secure Mobility Client",
];

const FINE: &[&str] = &[
    "Microsoft Visual C++ 2008 Redistributable - x86 9.0.30729.6161",
    "Intel(R) Management Engine Components",
    "Realtek High Definition Audio Driver",
    "Google Chrome",
    "Mozilla Firefox (x86 en-US)",
    "7-Zip 19.00 (x64)",
    "Notepad++ (32-bit x86)",
    "Microsoft .NET Framework 4.8",
    "HP Universal Print Driver",
    "Dell Command | Update",
];

/// A Windows 7 Professional machine with 200 programs, 6 of them at risk.
fn realistic() -> Inventory {
    let software = (0..200)
        .map(|i| {
            let name = match AT_RISK.get(i) {
                Some(name) => name.to_string(),
                None => format!("{} ({i})", FINE[i % FINE.len()]),
            };
            Program {
                name: Some(name),
                version: Some(format!("{}.0.{i}", i % 20)),
                ..Program::default()
            }
        })
        .collect();
    Inventory {
        os: Some(Os {
            family: Some(OsFamily::Windows),
            edition: Some("Professional".into()),
            version: Some("6.1".into()),
            arch: Some(Arch::X64),
            ..Os::default()
        }),
        software: Some(software),
        ..Inventory::default()
    }
}

fn bench(c: &mut Criterion) {
    KnowledgeBase::embedded();
    let machine = realistic();
    c.bench_function("programs at risk (realistic, 200 programs)", |b| {
        b.iter(|| {
            programs_at_risk(
                KnowledgeBase::embedded(),
                black_box(&machine),
                Target::new("windows11"),
            )
        })
    });
    let fleet: Vec<Inventory> = (0..1000)
        .map(|i| w7plan::fleet::synthetic::machine(7, i))
        .collect();
    let mut next = 0;
    c.bench_function(
        "programs at risk (synthetic fleet machine, 100-300 programs)",
        |b| {
            b.iter(|| {
                next = (next + 1) % fleet.len();
                programs_at_risk(
                    KnowledgeBase::embedded(),
                    black_box(&fleet[next]),
                    Target::new("windows11"),
                )
            })
        },
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
