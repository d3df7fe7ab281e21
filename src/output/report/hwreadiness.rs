//! Microsoft's HardwareReadiness.ps1 result shape (`returnCode`, `returnResult`, `returnReason`,
//! `logging`), so scripts built around Microsoft's tool can read ours.
//!
//! It follows the script's combining rules (facts §1.3): a failed check sets 1 and always wins;
//! an undetermined one sets -1 unless a check failed; a pass sets 0 only over the initial -2; the
//! i7-7820HQ exception forces 0. Only the five checks the script has count here.

use crate::facts::inventory::{powershell_gib, Inventory};
use crate::judge::assess::Assessment;
use crate::vocab::{Status, Target};
use serde::Serialize;

/// The script's JSON result. Field names are Microsoft's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HwReadiness {
    pub return_code: i32,
    pub return_result: String,
    pub return_reason: String,
    pub logging: String,
}

/// The script's checks in its order: our id and the name it reports.
const CHECKS: [(&str, &str); 5] = [
    ("win11.storage", "Storage"),
    ("win11.memory", "Memory"),
    ("win11.tpm", "TPM"),
    ("win11.processor", "Processor"),
    ("win11.secure-boot", "SecureBoot"),
];

const UNDETERMINED: &str = "Undetermined";

/// The target Microsoft's script judges: the format is by definition about Windows 11.
pub const TARGET: Target = Target::named("windows11");

impl HwReadiness {
    pub fn new(assessment: &Assessment, inventory: &Inventory) -> HwReadiness {
        // The script reads the TPM from Win32_Tpm and Secure Boot from Confirm-SecureBootUEFI
        // only: an answer w7plan read elsewhere (the firmware's ACPI or SMBIOS tables) is as
        // undetermined to it as an inferred one.
        let tpm_read_by_os = inventory
            .tpm
            .as_ref()
            .is_some_and(|t| t.version.is_some() || t.present == Some(false));
        let secure_boot_read = inventory.firmware.as_ref().is_some_and(|f| {
            f.secure_boot_capable.is_some() || f.secure_boot_enabled == Some(true)
        });
        // Nor does a clock over 1 GHz only known as a lower bound (systeminfo's boot clock).
        let max_clock_read = inventory.cpu.as_ref().is_some_and(|c| c.max_mhz.is_some());
        let status_of = |id: &str| {
            if (id == "win11.tpm" && !tpm_read_by_os)
                || (id == "win11.secure-boot" && !secure_boot_read)
                || (id == "win11.processor" && !max_clock_read)
            {
                return Status::Unknown;
            }
            assessment
                .target(TARGET)
                .and_then(|t| t.checks.iter().find(|c| c.id == id))
                // Microsoft's script knows only what it measures: an answer w7plan inferred
                // from other facts is undetermined to it.
                .map_or(Status::Unknown, |c| match c.evidence {
                    Some(crate::vocab::Evidence::Inferred) => Status::Unknown,
                    _ => c.status,
                })
        };
        let mut code = -2;
        let mut reason = String::new();
        let mut logging = String::new();
        for (id, name) in CHECKS {
            let status = status_of(id);
            let word = match status {
                Status::Pass | Status::NotApplicable => {
                    if code == -2 {
                        code = 0;
                    }
                    "PASS"
                }
                Status::Fail => {
                    code = 1;
                    reason.push_str(name);
                    reason.push_str(", ");
                    "FAIL"
                }
                Status::Unknown => {
                    if code != 1 {
                        code = -1;
                    }
                    "UNDETERMINED"
                }
            };
            logging.push_str(&log_line(name, status, word, inventory));
        }
        if assessment.derived.cpu.win11_override {
            let model = inventory
                .host
                .as_ref()
                .and_then(|h| h.model.as_deref())
                .unwrap_or_default();
            logging.push_str(&format!("i7-7820hq CPU: {model}. PASS; "));
            code = 0;
        }
        HwReadiness {
            return_code: code,
            return_result: match code {
                0 => "CAPABLE",
                1 => "NOT CAPABLE",
                -1 => "UNDETERMINED",
                _ => "FAILED TO RUN",
            }
            .to_string(),
            return_reason: reason,
            logging,
        }
    }

    /// Compact JSON, as `ConvertTo-Json -Compress` writes it.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("plain strings serialize")
    }
}

fn or_undetermined<T: ToString>(value: Option<T>) -> String {
    value.map_or_else(|| UNDETERMINED.to_string(), |v| v.to_string())
}

/// One `logging` entry in the script's format strings.
fn log_line(name: &str, status: Status, word: &str, inventory: &Inventory) -> String {
    match name {
        "Storage" => {
            let size = inventory
                .storage
                .as_ref()
                .and_then(|s| s.system_volume.as_ref())
                .and_then(|v| v.size_bytes);
            match size.map(|b| powershell_gib(b as f64)) {
                Some(gb) => format!("Storage: OSDiskSize={gb}GB. {word}; "),
                None => format!("Storage: OSDiskSize={UNDETERMINED}. {word}; "),
            }
        }
        "Memory" => {
            let memory = inventory.memory.as_ref();
            let bytes = memory.and_then(|m| m.installed_bytes.or(m.visible_bytes));
            match bytes.map(|b| powershell_gib(b as f64)) {
                Some(gb) => format!("Memory: System_Memory={gb}GB. {word}; "),
                None => format!("Memory: System_Memory={UNDETERMINED}. {word}; "),
            }
        }
        "TPM" => {
            let tpm = inventory.tpm.as_ref();
            let value = match (
                tpm.and_then(|t| t.version.clone()),
                tpm.and_then(|t| t.present),
            ) {
                (Some(version), _) => version,
                (None, Some(false)) => "False".to_string(),
                _ => UNDETERMINED.to_string(),
            };
            format!("TPM: TPMVersion={value}. {word}; ")
        }
        "Processor" => {
            let cpu = inventory.cpu.clone().unwrap_or_default();
            let caption = match (&cpu.family, &cpu.model, &cpu.stepping) {
                (Some(f), Some(m), Some(s)) => {
                    let arch = match (cpu.vendor.as_deref(), cpu.data_width.or(cpu.address_width)) {
                        (_, Some(32)) => "x86",
                        (Some("AuthenticAMD"), _) => "AMD64",
                        _ => "Intel64",
                    };
                    format!("{arch} Family {f} Model {m} Stepping {s}")
                }
                _ => UNDETERMINED.to_string(),
            };
            format!(
                "Processor: {{AddressWidth={}; MaxClockSpeed={}; NumberOfLogicalCores={}; Manufacturer={}; Caption={}; }}. {word}; ",
                or_undetermined(cpu.address_width),
                or_undetermined(cpu.max_mhz),
                or_undetermined(cpu.logical_processors),
                or_undetermined(cpu.vendor),
                caption
            )
        }
        _ => {
            let text = match status {
                Status::Pass | Status::NotApplicable => "Capable",
                Status::Fail => "Not capable",
                Status::Unknown => UNDETERMINED,
            };
            format!("SecureBoot: {text}. {word}; ")
        }
    }
}
