#!/usr/bin/env python3
"""Check an evidence folder written by collect.cmd under Wine (tests/wine/run.sh).

Checks the manifest contract (collectors/windows7/README.md), that every command was run and
recorded, that commands Wine cannot answer were recorded as failed without stopping the run, and
that the registry fixtures came back out of `reg export` intact. Prints one line per file saying
what Wine produced, then PASS/FAIL lines. Exit 1 on any FAIL.
"""
import re
import sys
from pathlib import Path

# Every file the contract names, in the order collect.cmd runs them, with the command it records.
# A value ending in "..." is a prefix: the property list after it may shrink (core-list fallback)
# and the /format may change (XSL fallback).
EXPECTED = {
    "whoami-groups.txt": "whoami /groups",
    "wmic-os.txt": "wmic os get Caption,Version,BuildNumber,...",
    "wmic-computersystem.txt": "wmic computersystem get Name,Manufacturer,Model,...",
    "wmic-cpu.txt": "wmic cpu get Name,Manufacturer,Level,Revision,NumberOfCores,...",
    "wmic-memorychip.txt": "wmic memorychip get Capacity,...",
    "reg-currentversion.reg": 'reg export "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion" reg-currentversion.reg /y',
    "reg-uninstall-hklm.reg": 'reg export "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall" reg-uninstall-hklm.reg /y',
    "reg-uninstall-wow64.reg": 'reg export "HKLM\\SOFTWARE\\Wow6432Node\\Microsoft\\Windows\\CurrentVersion\\Uninstall" reg-uninstall-wow64.reg /y',
    "reg-uninstall-hkcu.reg": 'reg export "HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall" reg-uninstall-hkcu.reg /y',
    "reg-cpu0.reg": 'reg export "HKLM\\HARDWARE\\DESCRIPTION\\System\\CentralProcessor\\0" reg-cpu0.reg /y',
    "wmic-logicaldisk.txt": "wmic logicaldisk get DeviceID,...",
    "wmic-diskdrive.txt": "wmic diskdrive get ...",
    "wmic-partition.txt": "wmic partition get DiskIndex,Index,Type,BootPartition,...",
    "wmic-videocontroller.txt": "wmic path Win32_VideoController get ...",
    "wmic-bios.txt": "wmic bios get ...",
    "wmic-baseboard.txt": "wmic baseboard get ...",
    "wmic-tpm.txt": "wmic /namespace:\\\\root\\cimv2\\security\\microsofttpm path Win32_Tpm get * /format:list",
    "wmic-tpm-pnp.txt": "wmic path Win32_PnPEntity where \"Service='TPM'\" get ...",
    "reg-secureboot.txt": "reg query HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecureBoot\\State",
    "reg-firmwaretype.txt": "reg query HKLM\\SYSTEM\\CurrentControlSet\\Control /v PEFirmwareType",
    "bcdedit.txt": "bcdedit /enum {current}",
    "wmic-licensing.txt": 'wmic path SoftwareLicensingProduct where "PartialProductKey is not null" get Name,Description,ApplicationID,PartialProductKey,LicenseStatus,ProductKeyID /format:list',
    "wmic-qfe.txt": "wmic qfe get ...",
    "systeminfo.txt": "systeminfo /FO LIST",
    "systeminfo.csv": "systeminfo /FO CSV",
}

# What Wine 8 can answer (exit 0) and what it cannot (non-zero); see the README's Wine section.
WINE_OK = {
    "whoami-groups.txt", "wmic-os.txt", "wmic-computersystem.txt", "wmic-cpu.txt",
    "wmic-memorychip.txt", "reg-currentversion.reg", "reg-uninstall-hklm.reg",
    "reg-uninstall-wow64.reg", "reg-uninstall-hkcu.reg", "reg-cpu0.reg", "wmic-logicaldisk.txt",
    "wmic-diskdrive.txt", "wmic-videocontroller.txt", "wmic-bios.txt", "wmic-baseboard.txt",
    "systeminfo.txt", "systeminfo.csv",
}
WINE_FAILS = {
    "wmic-partition.txt", "wmic-tpm.txt", "wmic-tpm-pnp.txt", "reg-secureboot.txt",
    "reg-firmwaretype.txt", "bcdedit.txt", "wmic-licensing.txt", "wmic-qfe.txt",
}

FIXTURE_KEY = "FJ82H-XT6CR-J8D7P-XQJJ2-GPDD4"
VISIBLE = {
    "reg-uninstall-hklm.reg": ["7-Zip 9.20 (x64 edition)", "Mozilla Firefox 52.9.0 ESR (x64 en-US)"],
    "reg-uninstall-wow64.reg": ["Adobe Reader XI (11.0.23)"],
    "reg-uninstall-hkcu.reg": ["Kassenbuch Müller 2012"],
}

failures = 0


def ok(msg):
    print(f"PASS: {msg}")


def bad(msg):
    global failures
    failures += 1
    print(f"FAIL: {msg}")


def decode(data: bytes) -> str:
    """The tools' own encodings: UTF-16LE with BOM (wmic, reg export), UTF-16LE without BOM
    (Wine's wmic errors), else the OEM code page (cp437 is close enough for checks)."""
    if data.startswith(b"\xff\xfe"):
        return data[2:].decode("utf-16-le", "replace")
    if len(data) >= 4 and data[1] == 0 and data[3] == 0:
        return data.decode("utf-16-le", "replace")
    return data.decode("cp437", "replace")


def decode_product_key(blob: bytes):
    """DigitalProductId bytes 52..66 -> key (licensing-lifecycle.md section 4.2)."""
    alphabet = "BCDFGHJKMPQRTVWXY2346789"
    k = list(blob[52:67])
    if not any(k):
        return None
    nflag = (k[14] >> 3) & 1
    k[14] &= 0xF7
    digits = [0] * 25
    for i in range(24, -1, -1):
        rem = 0
        for j in range(14, -1, -1):
            acc = rem * 256 + k[j]
            k[j], rem = divmod(acc, 24)
        digits[i] = rem
    if nflag:
        body = "".join(alphabet[d] for d in digits[1:])
        key = body[: digits[0]] + "N" + body[digits[0]:]
    else:
        key = "".join(alphabet[d] for d in digits)
    return "-".join(key[i:i + 5] for i in range(0, 25, 5))


def reg_binary(text: str, name: str) -> bytes:
    """A hex: value from a .reg export, following its backslash continuations."""
    m = re.search(r'^"%s"=hex:((?:[0-9a-fA-F]{2},?(?:\\\r?\n\s*)?)*)' % re.escape(name), text, re.M)
    if not m:
        return b""
    return bytes.fromhex(re.sub(r"[^0-9a-fA-F]", "", m.group(1)))


def main(folder: Path) -> int:
    name = folder.name
    if re.fullmatch(r".+-\d{8}-\d{4}(-\d)?", name):
        ok(f"folder name <COMPUTERNAME>-<yyyymmdd-hhmm>: {name}")
    else:
        bad(f"folder name {name!r} is not <COMPUTERNAME>-<yyyymmdd-hhmm>")

    manifest_path = folder / "manifest.txt"
    if not manifest_path.is_file():
        bad("manifest.txt missing")
        return 1
    raw = manifest_path.read_bytes()
    if b"\n" in raw.replace(b"\r\n", b""):
        bad("manifest.txt has LF-only line ends (contract: CRLF)")
    else:
        ok("manifest.txt uses CRLF")
    lines = raw.decode("cp437").split("\r\n")
    if lines and lines[-1] == "":
        lines.pop()

    header = lines[:6]
    want = ["w7plan-evidence 1", "collector=collect.cmd", "version=1"]
    if header[:3] == want:
        ok("manifest header: w7plan-evidence 1, collector=collect.cmd, version=1")
    else:
        bad(f"manifest header {header[:3]!r}, expected {want!r}")
    keys = dict(line.split("=", 1) for line in header[3:] if "=" in line)
    if [line.split("=", 1)[0] for line in header[3:]] == ["computername", "started", "elevated"]:
        ok(f"computername={keys['computername']}, started={keys['started']}")
    else:
        bad(f"manifest lines 4-6 should be computername/started/elevated: {header[3:]!r}")
    elevated = keys.get("elevated")
    if elevated in ("yes", "no"):
        ok(f"elevated={elevated} (Wine: whoami has no /groups, fsutil has no 'dirty', so 'no')")
    else:
        bad(f"elevated={elevated!r}, expected yes or no")
    if not keys.get("computername") or not keys.get("started", "").strip():
        bad("computername or started is empty")

    records = {}
    order = []
    for line in lines[6:]:
        m = re.fullmatch(r"file=([^|]+)\|exit=(-?\d+)\|command=(.+)", line)
        if not m:
            bad(f"manifest line not file=NAME|exit=N|command=CMD: {line!r}")
            continue
        fname, code, command = m.group(1), int(m.group(2)), m.group(3)
        if fname in records:
            bad(f"{fname} recorded twice")
        records[fname] = (code, command)
        order.append(fname)

    print("   what Wine produced:")
    for fname in EXPECTED:
        path = folder / fname
        if fname not in records:
            print(f"     {fname:26} NOT RECORDED")
            continue
        code = records[fname][0]
        text = decode(path.read_bytes()) if path.is_file() else ""
        first = next((t.strip() for t in text.splitlines() if t.strip()), "")
        what = "ok" if code == 0 else "error"
        detail = first[:90] if first else "(empty)"
        print(f"     {fname:26} exit={code:<5} {what:5} {detail}")

    missing = [f for f in EXPECTED if f not in records]
    if missing:
        bad(f"not recorded in the manifest: {', '.join(missing)}")
    else:
        ok(f"all {len(EXPECTED)} commands recorded")
    absent = [f for f in EXPECTED if not (folder / f).is_file()]
    if absent:
        bad(f"files missing from the folder: {', '.join(absent)}")
    else:
        ok("every recorded file exists")
    extra = sorted(p.name for p in folder.iterdir() if p.name != "manifest.txt" and p.name not in EXPECTED)
    if extra:
        bad(f"unexpected files (temporary files left behind?): {', '.join(extra)}")
    if order and order[-1] != "systeminfo.csv":
        bad(f"last recorded command is {order[-1]}, expected systeminfo.csv: the run stopped early")
    elif order:
        ok("ran to the end (systeminfo.csv last) despite failing commands")

    before = failures
    for fname, expected in EXPECTED.items():
        if fname not in records:
            continue
        command = records[fname][1]
        if expected.endswith("..."):
            good = command.startswith(expected[:-3])
        else:
            good = command == expected
        if not good:
            bad(f"{fname}: command {command!r}, expected {expected!r}")
    if failures == before:
        ok("every command line as the contract names it")

    wrong_ok = [f for f in WINE_OK if f in records and records[f][0] != 0]
    if wrong_ok:
        bad("should succeed under Wine but failed: " + ", ".join(f"{f} (exit {records[f][0]})" for f in sorted(wrong_ok)))
    else:
        ok(f"{len(WINE_OK)} commands Wine can answer: exit 0")
    wrong_fail = [f for f in WINE_FAILS if f in records and records[f][0] == 0]
    if wrong_fail:
        bad("expected to fail under Wine but exit 0 (has Wine learnt them? update WINE_FAILS): " + ", ".join(sorted(wrong_fail)))
    else:
        ok(f"{len(WINE_FAILS)} commands Wine cannot answer recorded with their non-zero exit codes "
           f"(partition {records.get('wmic-partition.txt', ('?',))[0]}, Win32_Tpm {records.get('wmic-tpm.txt', ('?',))[0]}, "
           f"SoftwareLicensingProduct {records.get('wmic-licensing.txt', ('?',))[0]}, bcdedit {records.get('bcdedit.txt', ('?',))[0]})")
    if records.get("bcdedit.txt", (0,))[0] == 9009:
        ok("a missing tool (bcdedit) is recorded as exit 9009 with cmd's message in bcdedit.txt")

    # The registry came back out through reg export as Windows writes it.
    for fname in [f for f in EXPECTED if f.endswith(".reg")]:
        data = (folder / fname).read_bytes() if (folder / fname).is_file() else b""
        if data.startswith(b"\xff\xfe") and decode(data).startswith("Windows Registry Editor Version 5.00"):
            continue
        bad(f"{fname} is not a UTF-16LE 'Windows Registry Editor Version 5.00' export")
    cv = decode((folder / "reg-currentversion.reg").read_bytes())
    blob = reg_binary(cv, "DigitalProductId")
    key = decode_product_key(blob) if len(blob) >= 67 else None
    if len(blob) == 164 and key == FIXTURE_KEY:
        ok(f"DigitalProductId exported intact (164 bytes) and decodes to the fixture key ...{key[-5:]}")
    else:
        bad(f"DigitalProductId: {len(blob)} bytes, decodes to {key!r}, expected the fixture key")
    for needle in ('"ProductName"="Windows 7 Professional"', '"EditionID"="Professional"', '"CSDVersion"="Service Pack 1"', '"CurrentBuild"="7601"'):
        if needle not in cv:
            bad(f"reg-currentversion.reg lacks {needle}")
    for fname, names in VISIBLE.items():
        text = decode((folder / fname).read_bytes())
        lost = [n for n in names if f'"DisplayName"="{n}"' not in text]
        if lost:
            bad(f"{fname} lacks {lost}")
    ok("uninstall exports hold the fixture programs (HKLM, WOW6432Node, HKCU, non-ASCII intact)")

    os_text = decode((folder / "wmic-os.txt").read_bytes())
    if "Windows 7" in os_text and "7601" in os_text:
        ok("wmic-os.txt: Windows 7, 7601")
    else:
        bad("wmic-os.txt lacks 'Windows 7' or '7601'")
    cpu_text = decode((folder / "wmic-cpu.txt").read_bytes())
    if re.search(r"\bName\b", cpu_text):
        ok("wmic-cpu.txt has the Name property")
    else:
        bad("wmic-cpu.txt has no Name")

    return 1 if failures else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: check_evidence.py EVIDENCE_FOLDER")
    sys.exit(main(Path(sys.argv[1])))
