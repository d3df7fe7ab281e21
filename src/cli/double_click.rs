//! `w7plan.exe` double-clicked in Explorer: assess this PC, write the HTML report where the person
//! finds it, open it in the default browser, say what happened, and wait for a key so the window
//! does not vanish. The decisions are in `w7plan::double_click`; this file performs them.

use std::process::ExitCode;

/// Whether this process was started by a double-click (see `w7plan::double_click`).
pub fn started_by_double_click() -> bool {
    w7plan::double_click::is_double_click(std::env::args_os().len(), console_processes())
}

#[cfg(windows)]
fn console_processes() -> Option<u32> {
    use windows_sys::Win32::System::Console::GetConsoleProcessList;
    let mut ids = [0u32; 4];
    // SAFETY: ids holds ids.len() process ids; the call writes no more.
    let count = unsafe { GetConsoleProcessList(ids.as_mut_ptr(), ids.len() as u32) };
    (count > 0).then_some(count)
}

#[cfg(not(windows))]
fn console_processes() -> Option<u32> {
    None
}

/// Assesses this PC into an HTML report and shows it. Every outcome is said in the window, which
/// stays open until a key is pressed.
pub fn run() -> ExitCode {
    println!(
        "w7plan {}: checking this PC for Windows 11 and Windows 10...",
        env!("CARGO_PKG_VERSION")
    );
    let code = match assess_and_write() {
        Ok(path) => {
            println!();
            println!("The report is in:");
            println!("  {}", path.display());
            if open(&path) {
                println!("It is opening in your web browser.");
            } else {
                println!("Open it by double-clicking it; any web browser shows it.");
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            println!();
            println!("No report could be written: {error:#}");
            ExitCode::from(2)
        }
    };
    println!();
    println!("Press any key to close this window.");
    wait_for_key();
    code
}

fn assess_and_write() -> anyhow::Result<std::path::PathBuf> {
    use w7plan::double_click::{choose_folder, is_writable, report_file_name};
    let rules = w7plan::judge::rules::RuleSet::load(None)?;
    let targets = rules.knowledge().targets().all();
    let renderer = w7plan::output::report::Renderer::new(None)?;
    let today = jiff::Zoned::now().date();
    let inventory = w7plan::facts::collect::this_machine();
    let assessment = w7plan::judge::assess::Assessment::new(&inventory, &rules, &targets, today);
    let html = renderer.render(
        w7plan::output::report::Format::Html,
        &assessment,
        &inventory,
        w7plan::output::report::RenderOptions {
            reveal_keys: false,
            color: false,
        },
    )?;
    let host = inventory.host.as_ref().and_then(|h| h.name.as_deref());
    let name = report_file_name(host, today);
    let folder = choose_folder(&candidate_folders(), is_writable).ok_or_else(|| {
        anyhow::anyhow!(
            "neither the exe's folder, the Desktop nor the temporary folder can be written to"
        )
    })?;
    let path = folder.join(name);
    w7plan::output::files::write_atomic(
        &path,
        html.as_bytes(),
        w7plan::output::files::Keys::Masked,
    )?;
    Ok(path)
}

/// Next to the exe (a USB stick is often read-only), then the Desktop, then %TEMP%.
fn candidate_folders() -> Vec<std::path::PathBuf> {
    let mut folders = Vec::new();
    if let Some(dir) = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|p| p.to_path_buf()))
    {
        folders.push(dir);
    }
    if let Some(desktop) = desktop() {
        folders.push(desktop);
    }
    folders.push(std::env::temp_dir());
    folders
}

#[cfg(windows)]
fn desktop() -> Option<std::path::PathBuf> {
    use std::os::windows::ffi::OsStringExt;
    use windows_sys::Win32::UI::Shell::{SHGetFolderPathW, CSIDL_DESKTOPDIRECTORY};
    let mut buf = [0u16; 260];
    // SAFETY: buf has MAX_PATH u16s, as SHGetFolderPathW requires.
    let hr = unsafe {
        SHGetFolderPathW(
            std::ptr::null_mut(),
            CSIDL_DESKTOPDIRECTORY as i32,
            std::ptr::null_mut(),
            0,
            buf.as_mut_ptr(),
        )
    };
    let len = buf.iter().position(|&c| c == 0).unwrap_or(buf.len());
    (hr >= 0 && len > 0).then(|| std::ffi::OsString::from_wide(&buf[..len]).into())
}

#[cfg(not(windows))]
fn desktop() -> Option<std::path::PathBuf> {
    None
}

/// Opens `path` with its default program (the browser, for .html); false when Windows refused.
#[cfg(windows)]
fn open(path: &std::path::Path) -> bool {
    use std::os::windows::ffi::OsStrExt;
    use windows_sys::Win32::UI::Shell::ShellExecuteW;
    use windows_sys::Win32::UI::WindowsAndMessaging::SW_SHOWNORMAL;
    let wide = |s: &std::ffi::OsStr| s.encode_wide().chain(Some(0)).collect::<Vec<u16>>();
    let (verb, file) = (wide("open".as_ref()), wide(path.as_os_str()));
    // SAFETY: verb and file are NUL-terminated; the other pointers may be null.
    let result = unsafe {
        ShellExecuteW(
            std::ptr::null_mut(),
            verb.as_ptr(),
            file.as_ptr(),
            std::ptr::null(),
            std::ptr::null(),
            SW_SHOWNORMAL,
        )
    };
    // Documented: a value greater than 32 means success.
    result as usize > 32
}

#[cfg(not(windows))]
fn open(_path: &std::path::Path) -> bool {
    false
}

/// Waits for one key press in the console (not Enter only: "any key" means any key).
#[cfg(windows)]
fn wait_for_key() {
    use windows_sys::Win32::System::Console::{
        GetStdHandle, ReadConsoleInputW, INPUT_RECORD, KEY_EVENT, STD_INPUT_HANDLE,
    };
    // SAFETY: GetStdHandle has no preconditions.
    let input = unsafe { GetStdHandle(STD_INPUT_HANDLE) };
    if input.is_null() || input as isize == -1 {
        return;
    }
    loop {
        // SAFETY: INPUT_RECORD is plain data; one record is read into it.
        let mut record: INPUT_RECORD = unsafe { std::mem::zeroed() };
        let mut read = 0u32;
        // SAFETY: record is one INPUT_RECORD and the count passed is 1.
        if unsafe { ReadConsoleInputW(input, &mut record, 1, &mut read) } == 0 || read == 0 {
            return;
        }
        // SAFETY: for a KEY_EVENT record the union holds a KEY_EVENT_RECORD.
        if u32::from(record.EventType) == KEY_EVENT
            && unsafe { record.Event.KeyEvent.bKeyDown } != 0
        {
            return;
        }
    }
}

#[cfg(not(windows))]
fn wait_for_key() {}
