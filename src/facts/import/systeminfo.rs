//! Reads `systeminfo` output (the default/`/FO LIST` text and `/FO CSV`) in any UI language into
//! an inventory fragment.
//!
//! Labels are localized and their value column differs by language (28 cells in English, 45 in
//! French, 48 in German; CJK labels count two cells a character), so this module does not split on
//! `:`. It takes the value column from the first line, then recognizes each field by its label
//! where the language is known, else by its position (the field order is the same in every
//! language from Windows 7 to 11), and checks both against the value's shape (`6.1.7601 …`,
//! `x64-based PC`, `fr;…`, `4,095 MB`), searching by shape when neither fits. It reports what
//! systeminfo can tell: no CPU brand string, no disks, no firmware mode.
//!
//! Memory goes to `memory.visible_bytes`: systeminfo's Total Physical Memory is what Windows can
//! use (less than what is installed by the memory reserved for hardware, and at most about 3.25 GB
//! on 32-bit Windows), so it is a lower bound of installed memory, not installed memory itself.

use super::text::{self, squash};
use super::values;
use super::Hotfixes;
use crate::facts::inventory::{Cpu, Firmware, Host, Inventory, License, Memory, Os, OsFamily};

/// Defines [`Key`] and [`ORDER`] from one list, so the fields are written once.
macro_rules! keys {
    ($($key:ident,)*) => {
        /// The fields of systeminfo.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        enum Key {
            $($key,)*
        }

        /// Every field, in the order systeminfo prints them.
        const ORDER: &[Key] = &[$(Key::$key,)*];
    };
}

// The fields in the order systeminfo prints them (the same from Windows 7 to 11).
keys! {
    Host,
    OsName,
    OsVersion,
    OsManufacturer,
    OsConfiguration,
    OsBuildType,
    Owner,
    Organization,
    ProductId,
    InstallDate,
    BootTime,
    SystemManufacturer,
    SystemModel,
    SystemType,
    Processors,
    Bios,
    WindowsDirectory,
    SystemDirectory,
    BootDevice,
    SystemLocale,
    InputLocale,
    TimeZone,
    TotalMemory,
    AvailableMemory,
    VirtualMax,
    VirtualAvailable,
    VirtualInUse,
    PageFile,
    Domain,
    LogonServer,
    Hotfixes,
    NetworkCards,
}

use Key::*;

/// Labels of the fields this importer reads, lower-cased, without the colon. English, German,
/// French and Simplified Chinese are as seen in real outputs; the others are Windows' usual
/// translations, and a label missing here still works by position and shape.
const LABELS: &[(&str, Key)] = &[
    // en
    ("host name", Host),
    ("os name", OsName),
    ("os version", OsVersion),
    ("product id", ProductId),
    ("original install date", InstallDate),
    ("system manufacturer", SystemManufacturer),
    ("system model", SystemModel),
    ("system type", SystemType),
    ("processor(s)", Processors),
    ("bios version", Bios),
    ("system locale", SystemLocale),
    ("input locale", InputLocale),
    ("total physical memory", TotalMemory),
    ("hotfix(s)", Hotfixes),
    ("network card(s)", NetworkCards),
    // de
    ("hostname", Host),
    ("betriebssystemname", OsName),
    ("betriebssystemversion", OsVersion),
    ("produkt-id", ProductId),
    ("ursprüngliches installationsdatum", InstallDate),
    ("systemhersteller", SystemManufacturer),
    ("systemmodell", SystemModel),
    ("systemtyp", SystemType),
    ("prozessor(en)", Processors),
    ("bios-version", Bios),
    ("systemgebietsschema", SystemLocale),
    ("eingabegebietsschema", InputLocale),
    ("gesamter physikalischer speicher", TotalMemory),
    ("hotfix(es)", Hotfixes),
    ("netzwerkkarte(n)", NetworkCards),
    // fr
    ("nom de l'hôte", Host),
    ("nom du système d'exploitation", OsName),
    ("version du système", OsVersion),
    ("identificateur de produit", ProductId),
    ("date d'installation originale", InstallDate),
    ("fabricant du système", SystemManufacturer),
    ("modèle du système", SystemModel),
    ("type du système", SystemType),
    ("processeur(s)", Processors),
    ("version du bios", Bios),
    ("option régionale du système", SystemLocale),
    ("paramètres régionaux d'entrée", InputLocale),
    ("mémoire physique totale", TotalMemory),
    ("correctif(s)", Hotfixes),
    ("carte(s) réseau", NetworkCards),
    // zh-CN
    ("主机名", Host),
    ("os 名称", OsName),
    ("os 版本", OsVersion),
    ("产品 id", ProductId),
    ("初始安装日期", InstallDate),
    ("系统制造商", SystemManufacturer),
    ("系统型号", SystemModel),
    ("系统类型", SystemType),
    ("处理器", Processors),
    ("bios 版本", Bios),
    ("系统区域设置", SystemLocale),
    ("输入法区域设置", InputLocale),
    ("物理内存总量", TotalMemory),
    ("修补程序", Hotfixes),
    ("网卡", NetworkCards),
    // es
    ("nombre de host", Host),
    ("nombre del sistema operativo", OsName),
    ("versión del sistema operativo", OsVersion),
    ("id. del producto", ProductId),
    ("fecha de instalación original", InstallDate),
    ("fabricante del sistema", SystemManufacturer),
    ("modelo el sistema", SystemModel),
    ("modelo del sistema", SystemModel),
    ("tipo de sistema", SystemType),
    ("procesador(es)", Processors),
    ("versión del bios", Bios),
    ("configuración regional del sistema", SystemLocale),
    ("idioma de entrada", InputLocale),
    ("cantidad total de memoria física", TotalMemory),
    ("revisión(es)", Hotfixes),
    // it
    ("nome host", Host),
    ("nome so", OsName),
    ("versione so", OsVersion),
    ("id prodotto", ProductId),
    ("data di installazione originale", InstallDate),
    ("produttore sistema", SystemManufacturer),
    ("modello sistema", SystemModel),
    ("tipo sistema", SystemType),
    ("processore(i)", Processors),
    ("versione bios", Bios),
    ("impostazioni locali di sistema", SystemLocale),
    ("impostazioni locali di input", InputLocale),
    ("memoria fisica totale", TotalMemory),
    ("aggiornamenti rapidi", Hotfixes),
    // pt
    ("nome do host", Host),
    ("nome do sistema operacional", OsName),
    ("versão do sistema operacional", OsVersion),
    ("tipo de sistema", SystemType),
    ("processador(es)", Processors),
    ("versão do bios", Bios),
    ("localidade do sistema", SystemLocale),
    ("memória física total", TotalMemory),
    // nl
    ("hostnaam", Host),
    ("naam besturingssysteem", OsName),
    ("versie besturingssysteem", OsVersion),
    ("systeemtype", SystemType),
    ("totaal fysiek geheugen", TotalMemory),
    // pl
    ("nazwa hosta", Host),
    ("nazwa systemu operacyjnego", OsName),
    ("wersja systemu operacyjnego", OsVersion),
    ("typ systemu", SystemType),
    ("procesory", Processors),
    ("całkowita ilość pamięci fizycznej", TotalMemory),
    ("poprawki", Hotfixes),
    // ru
    ("имя узла", Host),
    ("название ос", OsName),
    ("версия ос", OsVersion),
    ("код продукта", ProductId),
    ("тип системы", SystemType),
    ("процессор(ы)", Processors),
    ("язык системы", SystemLocale),
    ("полный объем физической памяти", TotalMemory),
    ("исправление(я)", Hotfixes),
    // cs
    ("název hostitele", Host),
    ("název operačního systému", OsName),
    ("verze operačního systému", OsVersion),
    ("typ systému", SystemType),
    ("celková fyzická paměť", TotalMemory),
];

/// The UI language a host-name label is written in, for `os.language` when nothing better says.
const LANGUAGES: &[(&str, &str)] = &[
    ("host name", "en"),
    ("hostname", "de"),
    ("nom de l'hôte", "fr"),
    ("主机名", "zh-CN"),
    ("nombre de host", "es"),
    ("nome host", "it"),
    ("nome do host", "pt"),
    ("hostnaam", "nl"),
    ("nazwa hosta", "pl"),
    ("имя узла", "ru"),
    ("název hostitele", "cs"),
];

/// One field: its label, its value and any continuation lines (trimmed).
#[derive(Debug, Clone, Default)]
struct Field {
    label: String,
    value: String,
    more: Vec<String>,
}

/// Whether the text is systeminfo's list output, its CSV output, or neither: `Label: value`
/// fields (or CSV cells) among which an OS version (`6.1.7601 …`) and a system type
/// (`x64-based PC`) have their shapes.
pub fn sniff(text: &str) -> Option<super::Format> {
    let first = text::lines(text).find(|l| !l.trim().is_empty())?;
    let shaped = |fields: &[Field]| {
        fields.iter().take(6).any(|f| is_os_version(&f.value))
            && fields
                .iter()
                .any(|f| values::arch_from_system_type(&f.value).is_some())
    };
    if first.starts_with('"') && first.contains("\",\"") {
        return shaped(&parse_csv(text)).then_some(super::Format::SysteminfoCsv);
    }
    let fields = parse_list(text);
    // systeminfo writes `Label:` with the colon right after the label; Get-ComputerInfo's list
    // view writes `Label : value`, wmic `Key=Value`.
    let labelled = fields
        .iter()
        .filter(|f| {
            f.label
                .strip_suffix(':')
                .is_some_and(|l| !l.ends_with(char::is_whitespace))
        })
        .count();
    (labelled >= 8 && labelled * 5 >= fields.len() * 4 && shaped(&fields))
        .then_some(super::Format::SysteminfoList)
}

/// Reads systeminfo's list or CSV output (already decoded) into a fragment.
pub fn import(text: &str) -> super::Fragment {
    let (fields, csv) = match sniff(text) {
        Some(super::Format::SysteminfoCsv) => (parse_csv(text), true),
        _ => (parse_list(text), false),
    };
    let mut fragment = to_fragment(&fields);
    fragment.format = if csv {
        super::Format::SysteminfoCsv
    } else {
        super::Format::SysteminfoList
    };
    fragment
}

/// Splits the list output into fields: a line that does not start with white space starts a
/// field, an indented one continues it.
fn parse_list(text: &str) -> Vec<Field> {
    let mut fields: Vec<Field> = Vec::new();
    let mut column: Option<usize> = None;
    for line in text::lines(text) {
        if line.trim().is_empty() {
            continue;
        }
        let indented = line.starts_with([' ', '\t', '\u{a0}']);
        if indented {
            if let Some(field) = fields.last_mut() {
                field.more.push(line.trim().to_string());
            }
            continue;
        }
        let col = *column.get_or_insert_with(|| value_column(line));
        let (label, value) = split_field(line, col);
        fields.push(Field {
            label: label.trim_end().to_string(),
            value: value.trim().to_string(),
            more: Vec::new(),
        });
    }
    fields
}

/// The console column where values start, from the first line (`Host Name:` has no inner colon):
/// after the first `:` and the padding that follows it.
fn value_column(line: &str) -> usize {
    match line.find(':') {
        Some(i) => {
            let after = &line[i + 1..];
            let pad = after.len() - after.trim_start_matches([' ', '\u{a0}']).len();
            text::width(&line[..i + 1 + pad])
        }
        None => 0,
    }
}

/// Cuts a field line at the value column; when the label does not end in `:` there (padding lost
/// in a copy, or a label longer than the column), at the last `:` followed by white space.
fn split_field(line: &str, column: usize) -> (&str, &str) {
    let (label, value) = text::split_at_width(line, column);
    if column > 0 && label.trim_end().ends_with(':') {
        return (label, value);
    }
    let mut cut = None;
    for (i, _) in line.match_indices(':') {
        if line[i + 1..].starts_with([' ', '\u{a0}', '\t']) || i + 1 == line.len() {
            cut = Some(i + 1);
        }
    }
    match cut {
        Some(i) => (&line[..i], &line[i..]),
        None => (line, ""),
    }
}

/// CSV output: a header row (unless `/NH`) and a data row; multi-line fields are joined with
/// commas, each continuation starting `[NN]:` (NIC sub-lines keep their leading spaces).
fn parse_csv(text: &str) -> Vec<Field> {
    let rows = csv_rows(text);
    let data_at = rows
        .iter()
        .position(|row| row.get(1).is_some_and(|c| c.contains("Windows")))
        .unwrap_or(rows.len().saturating_sub(1));
    let Some(data) = rows.get(data_at) else {
        return Vec::new();
    };
    let header = data_at.checked_sub(1).and_then(|i| rows.get(i));
    data.iter()
        .enumerate()
        .map(|(i, cell)| {
            let mut parts = split_csv_continuations(cell).into_iter();
            Field {
                label: header
                    .and_then(|h| h.get(i))
                    .map(|l| format!("{l}:"))
                    .unwrap_or_default(),
                value: parts.next().unwrap_or_default().trim().to_string(),
                more: parts.map(|p| p.trim().to_string()).collect(),
            }
        })
        .collect()
}

/// Splits a joined multi-line CSV cell before each `,[NN]:`.
fn split_csv_continuations(cell: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut start = 0;
    let bytes = cell.as_bytes();
    for (i, _) in cell.match_indices(",[") {
        let rest = &bytes[i + 2..];
        let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        if digits > 0 && rest.get(digits) == Some(&b']') {
            parts.push(cell[start..i].to_string());
            start = i + 1;
        }
    }
    parts.push(cell[start..].to_string());
    parts
}

/// RFC 4180 rows: quoted cells may hold commas, doubled quotes and line breaks.
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = text.trim_start_matches('\u{feff}').chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut cell)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut cell));
                if row.iter().any(|c| !c.is_empty()) {
                    rows.push(std::mem::take(&mut row));
                } else {
                    row.clear();
                }
            }
            (false, c) => cell.push(c),
        }
    }
    row.push(cell);
    if row.iter().any(|c| !c.is_empty()) {
        rows.push(row);
    }
    rows
}

fn normalize_label(label: &str) -> String {
    squash(label.trim_end().trim_end_matches(':').trim_end()).to_lowercase()
}

fn is_os_version(value: &str) -> bool {
    let head = value.split_whitespace().next().unwrap_or("");
    let parts: Vec<&str> = head.split('.').collect();
    parts.len() >= 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

fn is_locale_value(value: &str) -> bool {
    value
        .split_once(';')
        .is_some_and(|(tag, _)| tag.len() >= 2 && is_tag(tag))
}

fn is_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    parts
        .next()
        .is_some_and(|l| (2..=3).contains(&l.len()) && l.bytes().all(|b| b.is_ascii_alphabetic()))
        && parts.all(|p| (2..=4).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

fn is_memory(value: &str) -> bool {
    let rest = value.trim_start_matches(|c: char| {
        c.is_ascii_digit() || matches!(c, ',' | '.' | ' ' | '\u{a0}' | '\u{202f}' | '\'')
    });
    text::grouped_number(value).is_some()
        && !rest.is_empty()
        && rest.chars().all(|c| c.is_alphabetic())
}

fn is_processor_list(field: &Field) -> bool {
    field.more.iter().any(|l| l.contains(" Family "))
}

fn hotfix_entry(line: &str) -> Option<&str> {
    let rest = line.trim().strip_prefix('[')?;
    let close = rest.find(']')?;
    if close == 0 || !rest[..close].bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let after = rest[close + 1..].trim_start();
    Some(after.strip_prefix(':').unwrap_or(after).trim())
}

fn is_hotfix_list(field: &Field) -> bool {
    !field.more.is_empty()
        && field.more.iter().all(|l| {
            hotfix_entry(l).is_some_and(|e| {
                e.is_empty()
                    || e.len() <= 2
                    || e.to_ascii_uppercase().starts_with("KB")
                    || e.bytes().all(|b| b.is_ascii_digit())
                    || e.starts_with("File ")
            })
        })
}

/// Which field holds which fact.
fn assign(fields: &[Field]) -> Vec<Option<Key>> {
    let mut keys: Vec<Option<Key>> = fields
        .iter()
        .map(|f| {
            let label = normalize_label(&f.label);
            LABELS.iter().find(|(l, _)| *l == label).map(|(_, k)| *k)
        })
        .collect();
    let taken = |keys: &[Option<Key>], k: Key| keys.contains(&Some(k));
    // Position, where the label was not recognized and the value has the shape the key expects.
    for i in 0..fields.len().min(ORDER.len()) {
        let key = ORDER[i];
        if keys[i].is_none() && !taken(&keys, key) && fits(key, &fields[i]) {
            keys[i] = Some(key);
        }
    }
    // Shape, for the facts that have one, anywhere.
    for key in [
        OsVersion,
        SystemType,
        Processors,
        SystemLocale,
        TotalMemory,
        Hotfixes,
    ] {
        if taken(&keys, key) {
            continue;
        }
        if let Some(i) = (0..fields.len()).find(|&i| keys[i].is_none() && shaped(key, &fields[i])) {
            keys[i] = Some(key);
        }
    }
    keys
}

/// Whether a field at the position of `key` may be it.
fn fits(key: Key, field: &Field) -> bool {
    match key {
        OsVersion | SystemType | Processors | SystemLocale | InputLocale | TotalMemory
        | Hotfixes => shaped(key, field),
        OsName => field.value.contains("Windows"),
        ProductId => field.value.contains('-') || field.value.is_empty(),
        _ => true,
    }
}

/// Whether a value has the shape of `key`'s values.
fn shaped(key: Key, field: &Field) -> bool {
    match key {
        OsVersion => is_os_version(&field.value),
        SystemType => values::arch_from_system_type(&field.value).is_some(),
        Processors => is_processor_list(field),
        SystemLocale | InputLocale => is_locale_value(&field.value),
        TotalMemory => is_memory(&field.value),
        Hotfixes => is_hotfix_list(field),
        _ => false,
    }
}

fn to_fragment(fields: &[Field]) -> super::Fragment {
    let keys = assign(fields);
    let get = |key: Key| -> Option<&Field> {
        keys.iter()
            .position(|k| *k == Some(key))
            .and_then(|i| fields.get(i))
    };
    let value = |key: Key| -> Option<String> {
        get(key).map(|f| squash(&f.value)).filter(|v| !v.is_empty())
    };
    let mut inv = Inventory::default();
    let mut notes = Vec::new();

    let mut os = Os {
        family: Some(OsFamily::Windows),
        ..Os::default()
    };
    os.name = value(OsName);
    os.edition = os.name.as_deref().and_then(values::edition_from_name);
    match value(OsVersion) {
        Some(v) => {
            let head = v.split_whitespace().next().unwrap_or("");
            let mut parts = head.split('.');
            let (major, minor, build) = (parts.next(), parts.next(), parts.next());
            if let (Some(major), Some(minor)) = (major, minor) {
                os.version = Some(format!("{major}.{minor}"));
            }
            os.build = build.and_then(|b| b.parse().ok());
            os.service_pack = Some(match v.find("Service Pack") {
                Some(i) => text::first_number(&v[i..]).and_then(|n| u32::try_from(n).ok()),
                None => Some(0),
            })
            .flatten();
        }
        None => notes.push("the OS Version line was not recognized".to_string()),
    }
    let arch_value = value(SystemType);
    os.arch = arch_value
        .as_deref()
        .and_then(values::arch_from_system_type);
    if os.arch.is_none() {
        notes.push("the System Type line was not recognized".to_string());
    }
    os.locale = value(SystemLocale)
        .and_then(|v| v.split(';').next().map(values::normalize_locale))
        .filter(|l| !l.is_empty());
    os.language = fields.first().and_then(|f| {
        let label = normalize_label(&f.label);
        LANGUAGES
            .iter()
            .find(|(l, _)| *l == label)
            .map(|(_, lang)| (*lang).to_string())
    });
    let date_context = get(InstallDate)
        .map(|f| f.value.clone())
        .unwrap_or_default();
    os.installed_on = value(InstallDate).and_then(|v| text::regional_date(&v, &date_context));

    let hotfixes = get(Hotfixes).map(hotfix_list);
    if let Some(h) = &hotfixes {
        os.hotfix_count = h.reported.or_else(|| u32::try_from(h.listed.len()).ok());
        if let Some(reported) = h.reported {
            let listed = u32::try_from(h.listed.len()).unwrap_or(u32::MAX);
            if listed < reported {
                notes.push(format!(
                    "the hotfix list is incomplete: systeminfo lists {listed} of the {reported} \
                     installed hotfixes (Windows 7's systeminfo stops at 245); `wmic qfe` or the \
                     registry has the full list"
                ));
            }
        }
    }
    inv.os = Some(os);

    inv.host = Some(Host {
        name: value(Host),
        manufacturer: value(SystemManufacturer).filter(|v| !values::is_placeholder(v)),
        model: value(SystemModel).filter(|v| !values::is_placeholder(v)),
        ..Host::default()
    });

    let mut cpu = Cpu::default();
    if let Some(line) = get(Processors).and_then(|f| {
        f.more
            .iter()
            .find(|l| l.contains(" Family "))
            .or(f.more.first())
    }) {
        let line = hotfix_entry(line).unwrap_or(line);
        let (family, model, stepping) = values::parse_cpu_identifier(line);
        cpu.family = family;
        cpu.model = model;
        cpu.stepping = stepping;
        let words: Vec<&str> = line.split_whitespace().collect();
        cpu.vendor = words
            .iter()
            .position(|w| *w == "Stepping")
            .and_then(|i| words.get(i + 2))
            .filter(|w| !w.starts_with('~'))
            .map(|w| (*w).to_string());
        // `~2496 Mhz` is the clock the registry measured at boot, which power saving lowers (a
        // 2.5 GHz laptop shows ~783): not the maximum the rules judge, but a lower bound of it.
        if let Some(mhz) = words.iter().find_map(|w| w.strip_prefix('~')) {
            cpu.boot_mhz = mhz.trim().parse().ok().filter(|m| *m > 0);
            notes.push(format!(
                "cpu.max_mhz: systeminfo shows only the clock measured at boot (~{mhz} MHz), not \
                 the processor's maximum; wmic cpu get MaxClockSpeed has it"
            ));
        }
    }
    if cpu != Cpu::default() {
        inv.cpu = Some(cpu);
    }

    match value(TotalMemory).and_then(|v| text::grouped_number(&v)) {
        Some(mb) => {
            inv.memory = Some(Memory {
                visible_bytes: mb.checked_mul(1024 * 1024),
                ..Memory::default()
            });
        }
        None => notes.push("the Total Physical Memory line was not recognized".to_string()),
    }

    if let Some(bios) = value(Bios) {
        // `Phoenix Technologies LTD 6.00, 5/19/2017`: the maker and version, then the date.
        let (version, date) = match bios.rsplit_once(", ") {
            Some((v, d)) => (v.trim().to_string(), text::regional_date(d, &date_context)),
            None => (bios.clone(), None),
        };
        inv.firmware = Some(Firmware {
            version: Some(version).filter(|v| !v.is_empty()),
            date,
            ..Firmware::default()
        });
    }

    if let Some(id) = value(ProductId) {
        inv.license = Some(License {
            product_id: Some(id),
            ..License::default()
        });
    }
    inv.notes = notes;
    super::Fragment {
        format: super::Format::SysteminfoList,
        inventory: inv,
        hotfixes,
    }
}

fn hotfix_list(field: &Field) -> Hotfixes {
    let listed = field
        .more
        .iter()
        .filter_map(|l| hotfix_entry(l))
        // A capture cut mid-entry leaves `[246]: K`.
        .filter(|e| e.len() > 2)
        .map(str::to_string)
        .collect();
    Hotfixes {
        reported: text::first_number(&field.value).and_then(|n| u32::try_from(n).ok()),
        listed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::inventory::Arch;

    const EN: &str = "\r\nHost Name:                 PC-01\r\nOS Name:                   Microsoft Windows 7 Professional \r\nOS Version:                6.1.7601 Service Pack 1 Build 7601\r\nOS Manufacturer:           Microsoft Corporation\r\nOS Configuration:          Standalone Workstation\r\nOS Build Type:             Multiprocessor Free\r\nRegistered Owner:          User\r\nRegistered Organization:   \r\nProduct ID:                00371-OEM-8992671-00008\r\nOriginal Install Date:     5/14/2013, 9:30:12 AM\r\nSystem Boot Time:          11/20/2026, 8:01:02 AM\r\nSystem Manufacturer:       Dell Inc.\r\nSystem Model:              OptiPlex 7010\r\nSystem Type:               x64-based PC\r\nProcessor(s):              1 Processor(s) Installed.\r\n                           [01]: Intel64 Family 6 Model 58 Stepping 9 GenuineIntel ~3201 Mhz\r\nBIOS Version:              Dell Inc. A29, 6/20/2018\r\nWindows Directory:         C:\\Windows\r\nSystem Directory:          C:\\Windows\\system32\r\nBoot Device:               \\Device\\HarddiskVolume1\r\nSystem Locale:             en-us;English (United States)\r\nInput Locale:              en-us;English (United States)\r\nTime Zone:                 (UTC-05:00) Eastern Time (US & Canada)\r\nTotal Physical Memory:     8,083 MB\r\nAvailable Physical Memory: 5,001 MB\r\nVirtual Memory: Max Size:  16,165 MB\r\nVirtual Memory: Available: 12,000 MB\r\nVirtual Memory: In Use:    4,165 MB\r\nPage File Location(s):     C:\\pagefile.sys\r\nDomain:                    WORKGROUP\r\nLogon Server:              \\\\PC-01\r\nHotfix(s):                 3 Hotfix(s) Installed.\r\n                           [01]: KB2534111\r\n                           [02]: KB976902\r\nNetwork Card(s):           1 NIC(s) Installed.\r\n                           [01]: Intel(R) 82579LM Gigabit Network Connection\r\n";

    #[test]
    fn english_list() {
        assert_eq!(sniff(EN), Some(super::super::Format::SysteminfoList));
        let f = import(EN);
        let os = f.inventory.os.as_ref().unwrap();
        assert_eq!(os.name.as_deref(), Some("Microsoft Windows 7 Professional"));
        assert_eq!(os.edition.as_deref(), Some("Professional"));
        assert_eq!((os.build, os.service_pack), (Some(7601), Some(1)));
        assert_eq!(os.arch, Some(Arch::X64));
        assert_eq!(os.installed_on.as_deref(), Some("2013-05-14"));
        assert_eq!(os.locale.as_deref(), Some("en-US"));
        assert_eq!(os.hotfix_count, Some(3));
        let cpu = f.inventory.cpu.as_ref().unwrap();
        assert_eq!(
            (cpu.family, cpu.model, cpu.stepping),
            (Some(6), Some(58), Some(9))
        );
        assert_eq!(cpu.vendor.as_deref(), Some("GenuineIntel"));
        assert_eq!(cpu.max_mhz, None);
        assert_eq!(
            cpu.boot_mhz,
            Some(3201),
            "the boot clock is kept as a lower bound"
        );
        assert_eq!(
            f.inventory.memory.unwrap().visible_bytes,
            Some(8083 * 1024 * 1024)
        );
        let fw = f.inventory.firmware.unwrap();
        assert_eq!(fw.version.as_deref(), Some("Dell Inc. A29"));
        assert_eq!(fw.date.as_deref(), Some("2018-06-20"));
        assert!(
            f.inventory.notes[0].contains("lists 2 of the 3"),
            "{:?}",
            f.inventory.notes
        );
    }

    #[test]
    fn unknown_language_by_position_and_shape() {
        // Labels in a language the table does not know: positions and shapes still find them.
        let text: String = EN
            .lines()
            .map(|l| {
                if l.starts_with(' ') || l.is_empty() {
                    l.to_string()
                } else {
                    let (label, value) = l.split_at(27);
                    format!("{}{value}", label.replace(|c: char| c.is_alphabetic(), "q"))
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        let f = import(&text);
        let os = f.inventory.os.as_ref().unwrap();
        assert_eq!(os.build, Some(7601));
        assert_eq!(os.arch, Some(Arch::X64));
        assert_eq!(f.inventory.host.unwrap().name.as_deref(), Some("PC-01"));
        assert_eq!(os.hotfix_count, Some(3));
        assert_eq!(os.language, None);
    }

    #[test]
    fn csv_cells_are_split_back_into_lines() {
        assert_eq!(
            split_csv_continuations("2 Hotfix(s) Installed.,[01]: KB1,[02]: KB2"),
            vec!["2 Hotfix(s) Installed.", "[01]: KB1", "[02]: KB2"]
        );
        let rows = csv_rows("\"a\",\"b,\"\"c\"\"\"\n\"d\",\"e\nf\"\n");
        assert_eq!(rows, vec![vec!["a", "b,\"c\""], vec!["d", "e\nf"]]);
    }
}
