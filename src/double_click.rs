//! What `w7plan.exe` does when a person double-clicks it in Explorer: the decisions, kept free of
//! Win32 so they are tested on every platform. The binary supplies the facts (how many processes
//! share the console, which folders exist) and performs the effects.
//!
//! Started from Explorer, a console program gets a console window of its own, which closes the
//! moment the program ends; started from cmd.exe it shares cmd's console. So "no arguments and the
//! console belongs to this process alone" means a double-click: assess this PC, write an HTML
//! report where the person can find it, open it, and keep the window open until a key is pressed.

use std::path::{Path, PathBuf};

/// Whether this start is a double-click: no arguments besides the program's own name, and a
/// console that only this process is attached to (`GetConsoleProcessList` returned 1). Unknown
/// console owners (`None`: not Windows, or the call failed) are not a double-click, so every
/// other way of starting w7plan keeps the ordinary command line.
pub fn is_double_click(arg_count: usize, console_processes: Option<u32>) -> bool {
    arg_count <= 1 && console_processes == Some(1)
}

/// `w7plan-<HOST>-<YYYY-MM-DD>.html`, with the host name reduced to characters that are safe in
/// a file name on every file system (letters, digits, `-`, `_`); `PC` when there is none.
pub fn report_file_name(host: Option<&str>, date: jiff::civil::Date) -> String {
    let host: String = host
        .unwrap_or("")
        .trim()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .take(63)
        .collect();
    let host = if host.trim_matches('_').is_empty() {
        "PC".to_string()
    } else {
        host
    };
    format!("w7plan-{host}-{}.html", date.strftime("%Y-%m-%d"))
}

/// The first folder of `candidates` (in order: next to the exe, the Desktop, the temporary
/// folder) where a file can be written; `None` when none can.
pub fn choose_folder(candidates: &[PathBuf], writable: impl Fn(&Path) -> bool) -> Option<PathBuf> {
    candidates.iter().find(|dir| writable(dir)).cloned()
}

/// Whether a file can be created in `dir`, tried for real: a read-only USB stick or a folder the
/// user may not write to (Program Files) fails here, whatever its attributes claim.
pub fn is_writable(dir: &Path) -> bool {
    dir.is_dir()
        && tempfile::Builder::new()
            .prefix(".w7plan-")
            .tempfile_in(dir)
            .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_lone_console_without_arguments_is_a_double_click() {
        assert!(is_double_click(1, Some(1)));
        assert!(is_double_click(0, Some(1)));
        // From cmd.exe: cmd and w7plan share the console.
        assert!(!is_double_click(1, Some(2)));
        // With arguments it is the command line, wherever it was started.
        assert!(!is_double_click(2, Some(1)));
        // Not Windows, or the console could not be asked.
        assert!(!is_double_click(1, None));
    }

    #[test]
    fn report_names_carry_a_safe_host_and_the_date() {
        let day = jiff::civil::date(2026, 12, 5);
        assert_eq!(
            report_file_name(Some("OFFICE-PC7"), day),
            "w7plan-OFFICE-PC7-2026-12-05.html"
        );
        assert_eq!(
            report_file_name(Some("a/b\\c:d*e"), day),
            "w7plan-a_b_c_d_e-2026-12-05.html"
        );
        assert_eq!(report_file_name(None, day), "w7plan-PC-2026-12-05.html");
        assert_eq!(
            report_file_name(Some(" :: "), day),
            "w7plan-PC-2026-12-05.html"
        );
        let long = "x".repeat(300);
        assert!(report_file_name(Some(&long), day).len() < 90);
    }

    #[test]
    fn the_first_writable_folder_wins() {
        let exe_dir = PathBuf::from("/stick");
        let desktop = PathBuf::from("/home/me/Desktop");
        let temp = PathBuf::from("/tmp");
        let all = [exe_dir.clone(), desktop.clone(), temp.clone()];
        assert_eq!(choose_folder(&all, |_| true), Some(exe_dir.clone()));
        assert_eq!(choose_folder(&all, |d| d != exe_dir), Some(desktop));
        assert_eq!(choose_folder(&all, |d| d == temp), Some(temp));
        assert_eq!(choose_folder(&all, |_| false), None);
    }

    #[test]
    fn writability_is_tried_for_real() {
        let dir = tempfile::tempdir().unwrap();
        assert!(is_writable(dir.path()));
        // A path below a regular file can never be a folder, even for root.
        let file = dir.path().join("file");
        std::fs::write(&file, b"x").unwrap();
        assert!(!is_writable(&file.join("below")));
        assert!(!is_writable(&file));
        // Nothing is left behind by the probe.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
