#!/usr/bin/env python3
"""Check the inventory `w7plan import` made from the Wine evidence folder (tests/wine/run.sh).

Field names are inventory v1 (DESIGN.md appendix A). The expected values come from Wine (Windows 7
Professional SP1, build 7601) and from the registry fixtures in tests/wine/fixtures.
Usage: check_inventory.py FILE yaml|json. Exit 1 on any FAIL.
"""
import json
import sys

FIXTURE_KEY = "FJ82H-XT6CR-J8D7P-XQJJ2-GPDD4"
VISIBLE = [
    "7-Zip 9.20 (x64 edition)",
    "Mozilla Firefox 52.9.0 ESR (x64 en-US)",
    "Adobe Reader XI (11.0.23)",
    "Kassenbuch Müller 2012",
]
HIDDEN = [
    "Microsoft Office Access MUI (English) 2010",  # SystemComponent=1
    "Security Update for Microsoft Office 2010 (KB2553347) 32-Bit Edition",  # ParentKeyName
    "Connection Manager",  # SystemComponent=1, no DisplayName
    "AddressBook",  # no DisplayName
]

failures = 0


def check(cond, msg):
    global failures
    if cond:
        print(f"PASS: {msg}")
    else:
        failures += 1
        print(f"FAIL: {msg}")


def get(doc, path):
    for part in path.split("."):
        if not isinstance(doc, dict):
            return None
        doc = doc.get(part)
    return doc


def load(path, fmt):
    text = open(path, encoding="utf-8").read()
    if fmt == "json":
        doc = json.loads(text)
    else:
        import yaml
        docs = [d for d in yaml.safe_load_all(text) if d is not None]
        doc = docs[0] if len(docs) == 1 else docs
    # One PATH gives one inventory; accept a one-element list as well.
    if isinstance(doc, list) and len(doc) == 1:
        doc = doc[0]
    return doc


def main(path, fmt):
    inv = load(path, fmt)
    if not isinstance(inv, dict):
        check(False, f"import output is one inventory mapping (got {type(inv).__name__})")
        return 1
    check(inv.get("schema") == "w7plan/inventory/v1", f"schema: {inv.get('schema')!r}")
    check(get(inv, "source.collector") == "collect.cmd", f"source.collector: {get(inv, 'source.collector')!r}")
    check(get(inv, "source.elevated") in (True, False), f"source.elevated: {get(inv, 'source.elevated')!r}")

    name = get(inv, "os.name") or ""
    check("Windows 7" in name, f"os.name contains 'Windows 7': {name!r}")
    check(str(get(inv, "os.build")) == "7601", f"os.build 7601: {get(inv, 'os.build')!r}")
    check(str(get(inv, "os.service_pack")) == "1", f"os.service_pack 1: {get(inv, 'os.service_pack')!r}")
    edition = get(inv, "os.edition")
    check(edition in (None, "Professional"), f"os.edition Professional (or absent): {edition!r}")

    partial = get(inv, "license.partial_key")
    check(partial == "GPDD4", f"license.partial_key GPDD4: {partial!r}")
    full = get(inv, "license.product_key")
    if full is not None:
        # An inventory holds the full key and reports mask it; should import ever print it masked,
        # only the visible tail can be checked.
        if full == FIXTURE_KEY:
            check(True, "license.product_key decodes to the fixture key")
        else:
            check(str(full).endswith("-GPDD4"), f"license.product_key is the fixture key, masked: {full!r}")

    brand = get(inv, "cpu.brand")
    check(isinstance(brand, str) and brand.strip() != "", f"cpu.brand non-empty: {brand!r}")

    software = inv.get("software") or []
    names = {s.get("name") for s in software if isinstance(s, dict)}
    for n in VISIBLE:
        check(n in names, f"software lists {n!r}")
    for n in HIDDEN:
        check(n not in names, f"software hides {n!r}")
    return 1 if failures else 0


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[2] not in ("yaml", "json"):
        sys.exit("usage: check_inventory.py FILE yaml|json")
    sys.exit(main(sys.argv[1], sys.argv[2]))
