#!/usr/bin/env python3
"""Compare what `w7plan.exe inspect` saw with what `w7plan import` read from collect.cmd's evidence
folder, both on the same Wine prefix (tests/wine/exe.sh).

Issue 10: the evidence folder and the exe must give the same answers where both see the fact.
Each fact below is compared when both inventories have it; a fact listed in REQUIRED must be in
both. A difference fails unless DOCUMENTED names it with the reason.

Usage: compare_facts.py EXE.json IMPORTED.json. Exit 1 on any FAIL.
"""
import json
import sys

# Facts both sources read and must agree on.
FACTS = [
    "os.family",
    "os.name",
    "os.version",
    "os.build",
    "os.service_pack",
    "os.arch",
    "os.edition",
    "host.name",
    "cpu.vendor",
    "cpu.brand",
    "cpu.family",
    "cpu.model",
    "cpu.stepping",
    "cpu.logical_processors",
    "memory.visible_bytes",
    "license.product_id",
    "license.product_key",
    "license.partial_key",
    "license.channel",
    "tpm.present",
    "tpm.version",
    "programs.count",
    "programs.names",
    "firmware.boot_mode",
    "graphics.ids",
    "display.width",
    "display.height",
]

# What Wine always shows both (a fact missing from one of them is a regression, not a gap).
REQUIRED = [
    "os.family",
    "os.name",
    "os.version",
    "os.build",
    "os.arch",
    "os.edition",
    "host.name",
    "cpu.brand",
    "cpu.logical_processors",
    "license.product_key",
    "programs.count",
]

# Differences with a known cause: fact -> function(exe value, evidence value, both documents)
# giving the reason when the difference is that known one, else None (then it fails).
def _host_case(a, b, _docs):
    # The exe reads the DNS host name (GetComputerNameExW), WMI's Win32_ComputerSystem.Name the
    # NetBIOS name, which Windows keeps in upper case; host names ignore case.
    if isinstance(a, str) and isinstance(b, str) and a.lower() == b.lower():
        return "DNS host name vs NetBIOS name, equal but for case"
    return None


def _wine_processor_level(_a, _b, docs):
    # Wine's WMI fills Win32_Processor.Level with 15 whatever the CPU, and Revision with the low
    # 16 bits of CPUID leaf 1's EAX (dlls/wbemprox/builtin.c), not Windows' model and stepping;
    # the wmic importer reads family/model/stepping from those two. The exe reads CPUID itself.
    _exe, imported = docs
    if get(imported, "cpu.family") == 15 and get(_exe, "cpu.family") != 15:
        return "Wine's Win32_Processor.Level/Revision are not Windows' family/model/stepping"
    return None


DOCUMENTED = {
    "host.name": _host_case,
    "cpu.family": _wine_processor_level,
    "cpu.model": _wine_processor_level,
    "cpu.stepping": _wine_processor_level,
}


def get(doc, path):
    if path == "programs.count":
        programs = doc.get("software")
        return None if programs is None else len(programs)
    if path == "programs.names":
        programs = doc.get("software")
        return None if programs is None else sorted(p.get("name") or "" for p in programs)
    if path == "graphics.ids":
        adapters = doc.get("graphics")
        return None if not adapters else sorted(
            f"{a.get('vendor_id')}:{a.get('device_id')}" for a in adapters
        )
    for part in path.split("."):
        if not isinstance(doc, dict):
            return None
        doc = doc.get(part)
    return doc


def same(path, a, b):
    if path == "memory.visible_bytes":
        # wmic gives KiB, GlobalMemoryStatusEx bytes: equal to within the rounding.
        return abs(int(a) - int(b)) < 1024
    if isinstance(a, str) and isinstance(b, str):
        return a.strip() == b.strip()
    return a == b


def main():
    exe, imported = (json.load(open(p, encoding="utf-8")) for p in sys.argv[1:3])
    failures = 0
    compared = 0
    for path in FACTS:
        a, b = get(exe, path), get(imported, path)
        if a is None or b is None:
            if path in REQUIRED:
                failures += 1
                print(f"FAIL: {path}: exe {a!r}, evidence {b!r}: both should see it")
            else:
                print(f"   -  {path}: exe {a!r}, evidence {b!r} (not seen by both)")
            continue
        compared += 1
        if same(path, a, b):
            print(f"PASS: {path}: {a!r}")
        elif path in DOCUMENTED and (why := DOCUMENTED[path](a, b, (exe, imported))):
            print(f"   ~  {path}: exe {a!r}, evidence {b!r}: documented: {why}")
        else:
            failures += 1
            print(f"FAIL: {path}: exe {a!r}, evidence {b!r}")
    print(f"   {compared} facts seen by both compared, {failures} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
