//! Proof that the Windows 7 exes load on Windows 7 SP1: every DLL and function in their PE import
//! tables must be on the allowed list `tests/win7/allowed-imports.txt`, whose entries each name
//! the oldest Windows that has the function and where that is documented. Windows refuses to
//! start a program whose import table names something the system lacks ("entry point not
//! found"), and Wine cannot show this because it implements newer functions while it reports
//! Windows 7. API-set DLLs (`api-ms-win-*`, `ext-ms-win-*`) are refused unless listed: most of
//! them do not exist on Windows 7.
//!
//! The exes are built by `scripts/build-win7`; where they are missing the test on them says so
//! and passes, unless `W7PLAN_REQUIRE_WIN7_EXES=1` (CI builds them first and sets it). The checker
//! itself is tested on synthetic import lists, so it runs everywhere.

use object::read::pe::{ImageNtHeaders, ImageThunkData, PeFile32, PeFile64};
use object::LittleEndian as LE;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const ALLOWED: &str = include_str!("win7/allowed-imports.txt");

/// One function the exes may import, with its evidence.
#[derive(Debug)]
struct Allowed {
    client: String,
    source: String,
}

/// DLL (lower case) → function → evidence.
type AllowedList = BTreeMap<String, BTreeMap<String, Allowed>>;

/// Windows versions up to Windows 7 as Microsoft's documentation names them in "Minimum
/// supported client". Anything else (Windows 8, 8.1, 10, 11) is newer than Windows 7.
const UP_TO_WINDOWS_7: &[&str] = &["Windows 2000", "Windows XP", "Windows Vista", "Windows 7"];

/// Parses the allowed list: `dll function minimum-client... source`, `#` comments.
fn parse_allowed(text: &str) -> Result<AllowedList, String> {
    let mut list = AllowedList::new();
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split_whitespace().collect();
        if fields.len() < 4 {
            return Err(format!(
                "allowed-imports.txt:{}: expected `dll function minimum-client source`",
                index + 1
            ));
        }
        let (dll, function) = (fields[0].to_ascii_lowercase(), fields[1].to_string());
        let source = fields[fields.len() - 1].to_string();
        let client = fields[2..fields.len() - 1].join(" ");
        if !source.starts_with("https://") {
            return Err(format!(
                "allowed-imports.txt:{}: {function}: the source must be an https address",
                index + 1
            ));
        }
        if !UP_TO_WINDOWS_7.iter().any(|v| client.starts_with(v)) {
            return Err(format!(
                "allowed-imports.txt:{}: {dll}!{function} needs {client}, newer than Windows 7",
                index + 1
            ));
        }
        let previous = list
            .entry(dll.clone())
            .or_default()
            .insert(function.clone(), Allowed { client, source });
        if previous.is_some() {
            return Err(format!(
                "allowed-imports.txt:{}: {dll}!{function} is listed twice",
                index + 1
            ));
        }
    }
    Ok(list)
}

/// One imported function: its DLL as written in the exe, and its name (`#N` for an ordinal).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Import {
    dll: String,
    function: String,
}

fn import(dll: &str, function: &str) -> Import {
    Import {
        dll: dll.to_string(),
        function: function.to_string(),
    }
}

/// What keeps these imports from loading on Windows 7 SP1, one line per problem.
fn check(imports: &[Import], allowed: &AllowedList) -> Vec<String> {
    let mut problems = Vec::new();
    for i in imports {
        let dll = i.dll.to_ascii_lowercase();
        let Some(functions) = allowed.get(&dll) else {
            let kind = if dll.starts_with("api-ms-win-") || dll.starts_with("ext-ms-win-") {
                "an API set Windows 7 does not have"
            } else {
                "a DLL not on the allowed list"
            };
            problems.push(format!("{}!{}: {} is {kind}", i.dll, i.function, i.dll));
            continue;
        };
        if i.function.starts_with('#') {
            problems.push(format!(
                "{}!{}: imported by ordinal, which cannot be checked",
                i.dll, i.function
            ));
        } else if !functions.contains_key(&i.function) {
            problems.push(format!(
                "{}!{}: not on the allowed list; add it with its minimum supported client and \
                 source only if that is Windows 7 or older, else resolve it at run time",
                i.dll, i.function
            ));
        }
    }
    problems.sort();
    problems.dedup();
    problems
}

/// The import table (and delay-load table) of a PE32 or PE32+ file.
fn imports_of(bytes: &[u8]) -> Result<Vec<Import>, String> {
    match object::FileKind::parse(bytes).map_err(|e| e.to_string())? {
        object::FileKind::Pe32 => imports_from::<object::pe::ImageNtHeaders32>(
            &PeFile32::parse(bytes).map_err(|e| e.to_string())?,
        ),
        object::FileKind::Pe64 => imports_from::<object::pe::ImageNtHeaders64>(
            &PeFile64::parse(bytes).map_err(|e| e.to_string())?,
        ),
        other => Err(format!("not a PE file: {other:?}")),
    }
}

fn imports_from<Pe: ImageNtHeaders>(
    pe: &object::read::pe::PeFile<Pe>,
) -> Result<Vec<Import>, String> {
    let err = |e: object::read::Error| e.to_string();
    let mut out = Vec::new();
    if let Some(table) = pe.import_table().map_err(err)? {
        let mut descriptors = table.descriptors().map_err(err)?;
        while let Some(descriptor) = descriptors.next().map_err(err)? {
            let dll = String::from_utf8_lossy(table.name(descriptor.name.get(LE)).map_err(err)?)
                .into_owned();
            let mut first = descriptor.original_first_thunk.get(LE);
            if first == 0 {
                first = descriptor.first_thunk.get(LE);
            }
            let mut thunks = table.thunks(first).map_err(err)?;
            while let Some(thunk) = thunks.next::<Pe>().map_err(err)? {
                let function = if thunk.is_ordinal() {
                    format!("#{}", thunk.ordinal())
                } else {
                    let (_hint, name) = table.hint_name(thunk.address()).map_err(err)?;
                    String::from_utf8_lossy(name).into_owned()
                };
                out.push(Import {
                    dll: dll.clone(),
                    function,
                });
            }
        }
    }
    let sections = pe.section_table();
    if let Some(table) = pe
        .data_directories()
        .delay_load_import_table(pe.data(), &sections)
        .map_err(err)?
    {
        let mut descriptors = table.descriptors().map_err(err)?;
        while let Some(descriptor) = descriptors.next().map_err(err)? {
            let dll =
                String::from_utf8_lossy(table.name(descriptor.dll_name_rva.get(LE)).map_err(err)?)
                    .into_owned();
            let mut thunks = table
                .thunks(descriptor.import_name_table_rva.get(LE))
                .map_err(err)?;
            while let Some(thunk) = thunks.next::<Pe>().map_err(err)? {
                let function = if thunk.is_ordinal() {
                    format!("#{}", thunk.ordinal())
                } else {
                    let (_hint, name) = table.hint_name(thunk.address()).map_err(err)?;
                    String::from_utf8_lossy(name).into_owned()
                };
                out.push(Import {
                    dll: dll.clone(),
                    function,
                });
            }
        }
    }
    Ok(out)
}

fn allowed() -> AllowedList {
    parse_allowed(ALLOWED).unwrap_or_else(|e| panic!("{e}"))
}

fn exe(arch: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/win7")
        .join(arch)
        .join("w7plan.exe")
}

/// Checks one built exe, or says it is not built.
fn check_exe(arch: &str) {
    let path = exe(arch);
    let Ok(bytes) = std::fs::read(&path) else {
        assert!(
            std::env::var_os("W7PLAN_REQUIRE_WIN7_EXES").is_none_or(|v| v != "1"),
            "{} is missing; run scripts/build-win7 first",
            path.display()
        );
        eprintln!(
            "SKIP: {} is not built (scripts/build-win7 builds it)",
            path.display()
        );
        return;
    };
    let imports = imports_of(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(
        imports.len() > 50,
        "{}: only {} imports read; the import table was not parsed",
        path.display(),
        imports.len()
    );
    let problems = check(&imports, &allowed());
    assert!(
        problems.is_empty(),
        "{} would not start on Windows 7 SP1:\n  {}",
        path.display(),
        problems.join("\n  ")
    );
    let dlls: std::collections::BTreeSet<_> =
        imports.iter().map(|i| i.dll.to_ascii_lowercase()).collect();
    eprintln!(
        "{}: {} imports from {} DLLs, all on the Windows 7 SP1 list",
        path.display(),
        imports.len(),
        dlls.len()
    );
}

#[test]
fn x64_exe_imports_only_what_windows_7_has() {
    check_exe("x64");
}

#[test]
fn x86_exe_imports_only_what_windows_7_has() {
    check_exe("x86");
}

#[test]
fn the_checker_refuses_windows_8_functions_and_missing_api_sets() {
    let allowed = allowed();
    let fine = [
        import("KERNEL32.dll", "CreateFileW"),
        import("kernel32.dll", "GetFirmwareEnvironmentVariableW"),
        import("ADVAPI32.dll", "RegGetValueW"),
    ];
    assert_eq!(check(&fine, &allowed), Vec::<String>::new());

    // The three imports that kept the first Windows 7 build from starting there.
    let windows_8 = [
        import("KERNEL32.dll", "CreateFileW"),
        import("KERNEL32.dll", "GetFirmwareType"),
        import("tbs.dll", "Tbsi_GetDeviceInfo"),
        import(
            "api-ms-win-core-winrt-error-l1-1-0.dll",
            "RoOriginateErrorW",
        ),
    ];
    let problems = check(&windows_8, &allowed);
    assert_eq!(problems.len(), 3, "{problems:#?}");
    assert!(problems[0].starts_with("KERNEL32.dll!GetFirmwareType: not on the allowed list"));
    assert!(problems[1].contains("an API set Windows 7 does not have"));
    assert!(problems[2].starts_with("tbs.dll!Tbsi_GetDeviceInfo: tbs.dll is a DLL not on"));

    // An import by ordinal says nothing about which function it is.
    let ordinal = [import("KERNEL32.dll", "#17")];
    assert!(check(&ordinal, &allowed)[0].contains("by ordinal"));
}

#[test]
fn the_allowed_list_refuses_entries_newer_than_windows_7() {
    let newer = "kernel32.dll GetFirmwareType Windows 8 \
                 https://learn.microsoft.com/en-us/windows/win32/api/winbase/nf-winbase-getfirmwaretype";
    let error = parse_allowed(newer).unwrap_err();
    assert!(error.contains("newer than Windows 7"), "{error}");
    let unsourced = "kernel32.dll CreateFileW Windows XP -";
    assert!(parse_allowed(unsourced).unwrap_err().contains("https"));
    let twice = "kernel32.dll Sleep Windows XP https://a\nKERNEL32.dll Sleep Windows XP https://a";
    assert!(parse_allowed(twice).unwrap_err().contains("twice"));
}

#[test]
fn every_allowed_entry_names_its_oldest_windows_and_source() {
    let allowed = allowed();
    assert!(allowed.contains_key("kernel32.dll"));
    for (dll, functions) in &allowed {
        assert!(
            !dll.starts_with("api-ms-win-"),
            "{dll}: Windows 7 has few API sets"
        );
        for (function, entry) in functions {
            assert!(
                entry.source.starts_with("https://"),
                "{dll}!{function}: {}",
                entry.source
            );
            assert!(!entry.client.is_empty(), "{dll}!{function}");
        }
    }
}

#[test]
fn a_pe_that_is_not_one_is_an_error_not_a_pass() {
    assert!(imports_of(b"MZ not really").is_err());
    assert!(imports_of(&[]).is_err());
}
