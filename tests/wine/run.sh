#!/usr/bin/env bash
# End-to-end test of collectors/windows7/collect.cmd on Wine's Windows 7, then `w7plan import` on
# the evidence it wrote. Wine 8 reports itself as Windows 7 Professional SP1 and runs cmd, wmic and
# reg; what it cannot stand in for is listed in collectors/windows7/README.md.
#
# Usage: tests/wine/run.sh            (from anywhere; installs wine64 with apt-get when missing)
#   W7PLAN_WINE_KEEP=1  keep the temporary prefix and evidence for a look afterwards
#
# Prints PASS/FAIL/SKIP lines and the time each phase took; exits 1 when anything failed.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/tests/wine"
COLLECT="$ROOT/collectors/windows7/collect.cmd"
WINE=/usr/lib/wine/wine64
WINESERVER=/usr/lib/wine/wineserver

failures=0
pass() { printf 'PASS: %s\n' "$*"; }
fail() { printf 'FAIL: %s\n' "$*"; failures=$((failures + 1)); }
phase() { printf '\n== wine e2e: %s\n' "$*"; PHASE_START=$SECONDS; }
took() { printf '   (%ss)\n' "$((SECONDS - PHASE_START))"; }

# Z:\ is the Unix root in every fresh prefix, so this needs no running Wine.
winpath() { local p; p="$(realpath -m "$1")"; printf 'Z:%s' "${p//\//\\}"; }

ensure_wine() {
    phase "wine64"
    if [[ ! -x $WINE ]]; then
        local sudo=""
        [[ $(id -u) -eq 0 ]] || sudo="sudo"
        echo "   installing wine64 with apt-get (first run only)"
        if ! DEBIAN_FRONTEND=noninteractive $sudo apt-get update -qq >/dev/null ||
            ! DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq wine64 >/dev/null; then
            fail "could not install wine64"
            return 1
        fi
    fi
    if [[ ! -x $WINE ]]; then
        fail "wine64 installed but $WINE is missing"
        return 1
    fi
    echo "   $("$WINE" --version 2>/dev/null)"
    took
}

make_prefix() {
    phase "fresh prefix"
    WORK="$(mktemp -d "${TMPDIR:-/tmp}/w7plan-wine.XXXXXX")"
    export WINEPREFIX="$WORK/prefix" WINEDEBUG=-all
    # No Mono or Gecko: nothing here needs them, and their installers would only cost time.
    export WINEDLLOVERRIDES="mscoree,mshtml="
    if ! "$WINE" wineboot -i >"$WORK/wineboot.log" 2>&1; then
        fail "wineboot -i failed (see $WORK/wineboot.log)"
        return 1
    fi
    took
}

cleanup() {
    if [[ -n ${WINEPREFIX:-} && -d ${WINEPREFIX:-} ]]; then
        "$WINESERVER" -k >/dev/null 2>&1 || true
    fi
    if [[ -n ${WORK:-} ]]; then
        if [[ ${W7PLAN_WINE_KEEP:-} == 1 ]]; then
            echo "   kept $WORK"
        else
            rm -rf "$WORK"
        fi
    fi
}

import_fixtures() {
    phase "registry fixtures"
    local f u16
    for f in "$HERE"/fixtures/*.reg; do
        # regedit writes UTF-16LE with a BOM; the fixtures are kept as UTF-8 for review.
        u16="$WORK/$(basename "$f" .reg).utf16.reg"
        python3 -c 'import sys; t = open(sys.argv[1], encoding="utf-8").read(); open(sys.argv[2], "wb").write(b"\xff\xfe" + t.encode("utf-16-le"))' "$f" "$u16"
        if "$WINE" reg import "$(winpath "$u16")" >"$WORK/reg-import.log" 2>&1; then
            pass "reg import $(basename "$f")"
        else
            fail "reg import $(basename "$f"): $(cat "$WORK/reg-import.log")"
        fi
    done
    took
}

# run_collector LOG [ARG]: collect.cmd under `wine cmd /c`, from a directory that is not the
# script's, as a user double-clicking or typing a path would. Sets COLLECT_RC.
run_collector() {
    local log=$1
    shift
    (cd "$WORK" && timeout 300 "$WINE" cmd /c "$@") >"$log" 2>&1
    COLLECT_RC=$?
    # Wine's own stderr chatter about the Z: drive is not the script's output.
    grep -v 'FS volume label and serial are not available' "$log" | tr -d '\r' | sed 's/^/   | /'
}

# stamp_case IDATE DATE TIME EXPECTED: the fallback timestamp (no WMI) for one locale setting and
# one %DATE%/%TIME% pair; cmd reports DATE and TIME from the environment when they are set there.
stamp_case() {
    local idate=$1 date=$2 time=$3 want=$4 got
    "$WINE" reg add 'HKCU\Control Panel\International' /v iDate /d "$idate" /f >/dev/null 2>&1
    got="$(cd "$WORK" && DATE="$date" TIME="$time" W7PLAN_CLOCK=locale timeout 60 "$WINE" cmd /c "$(winpath "$COLLECT")" --print-stamp 2>&1 | tr -d '\r')"
    if [[ $got == "$want" ]]; then
        pass "fallback stamp iDate=$idate DATE='$date' TIME='$time': $got"
    else
        fail "fallback stamp iDate=$idate DATE='$date' TIME='$time': got '$got', expected '$want'"
    fi
}

# The folder's timestamp: from WMI when it answers (zero-padded, 24-hour, whatever the locale),
# and from %DATE%/%TIME% read in the locale's order otherwise. Single-digit days and months and
# afternoon times are the cases that used to come out unpadded or in 12-hour form.
check_stamp() {
    phase "folder timestamp"
    local before after got
    before="$(date +%Y%m%d)"
    got="$(cd "$WORK" && timeout 60 "$WINE" cmd /c "$(winpath "$COLLECT")" --print-stamp 2>&1 | tr -d '\r')"
    after="$(date +%Y%m%d)"
    if [[ $got =~ ^[0-9]{8}-[0-9]{4}$ && ( ${got:0:8} == "$before" || ${got:0:8} == "$after" ) ]]; then
        pass "WMI stamp is today's date, padded: $got"
    else
        fail "WMI stamp '$got' is not $before-hhmm"
    fi
    # Wine's en-US defaults: iDate 0 (month first), 12-hour %TIME% with PM/AM.
    stamp_case 0 "12/5/2026" "1:24 PM" 20261205-1324
    stamp_case 0 "Sat 01/05/2026" " 9:05:12.34" 20260105-0905
    stamp_case 0 "1/5/2026" "12:07 AM" 20260105-0007
    stamp_case 0 "1/5/2026" "12:30 PM" 20260105-1230
    stamp_case 0 "2026-01-05" "8:04:59.00" 20260105-0804
    # Day first (German, French, British), with a weekday name and two-digit years.
    stamp_case 1 "05.01.2026" "13:24:05,12" 20260105-1324
    stamp_case 1 "Sa 05.01.2026" " 9:59:59,99" 20260105-0959
    stamp_case 1 "5/1/26" "0:05:00.00" 20260105-0005
    # Year first (Japanese, Swedish, ISO).
    stamp_case 2 "2026/1/5" "23:59:00.00" 20260105-2359
    stamp_case 2 "26-01-05" "7:00" 20260105-0700
    # Nothing readable: a fixed placeholder, never a name that looks like a wrong date.
    stamp_case 0 "garbage" "x" 00000000-0000
    "$WINE" reg add 'HKCU\Control Panel\International' /v iDate /d 0 /f >/dev/null 2>&1
    took
}

collect_with_output_dir() {
    phase "collect.cmd with an output directory"
    OUT="$WORK/evidence"
    mkdir -p "$OUT"
    local day_before day_after
    day_before="$(date +%Y%m%d)"
    run_collector "$WORK/collect.log" "$(winpath "$COLLECT")" "$(winpath "$OUT")"
    if [[ $COLLECT_RC -eq 0 ]]; then pass "collect.cmd exit code 0"; else fail "collect.cmd exit code $COLLECT_RC"; fi
    local dirs=("$OUT"/*/)
    if [[ ${#dirs[@]} -eq 1 && -d ${dirs[0]} ]]; then
        EVIDENCE="${dirs[0]%/}"
        pass "one evidence folder: $(basename "$EVIDENCE")"
        day_after="$(date +%Y%m%d)"
        if [[ $(basename "$EVIDENCE") =~ -($day_before|$day_after)-[0-9]{4}$ ]]; then
            pass "evidence folder named with today's date from WMI"
        else
            fail "evidence folder $(basename "$EVIDENCE") is not named <HOST>-$day_before-hhmm"
        fi
    else
        fail "expected one evidence folder in $OUT, found: $(ls -A "$OUT")"
        EVIDENCE=""
    fi
    took
}

check_evidence() {
    phase "evidence folder"
    [[ -n $EVIDENCE ]] || { fail "no evidence folder to check"; return; }
    python3 "$HERE/check_evidence.py" "$EVIDENCE"
    local rc=$?
    [[ $rc -eq 0 ]] || failures=$((failures + 1))
    took
}

collect_next_to_script() {
    phase "collect.cmd without arguments (output next to the script)"
    local stick="$WORK/stick"
    mkdir -p "$stick"
    cp "$COLLECT" "$stick/collect.cmd"
    run_collector "$WORK/collect-stick.log" "$(winpath "$stick/collect.cmd")"
    [[ $COLLECT_RC -eq 0 ]] || fail "collect.cmd without arguments: exit code $COLLECT_RC"
    local found=("$stick"/*-*/manifest.txt)
    if [[ ${#found[@]} -eq 1 && -f ${found[0]} ]] && grep -q '^file=systeminfo.csv|' "${found[0]}"; then
        pass "no-argument run wrote a complete folder next to the script: $(basename "$(dirname "${found[0]}")")"
    else
        fail "no-argument run: no complete evidence folder next to the script ($(ls -A "$stick"))"
    fi
    took
}

collect_into_unwritable() {
    phase "collect.cmd with an output directory that cannot be created"
    # A path below a regular file can never become a directory, even for root.
    : >"$WORK/not-a-directory"
    run_collector "$WORK/collect-bad.log" "$(winpath "$COLLECT")" "$(winpath "$WORK/not-a-directory/out")"
    if [[ $COLLECT_RC -eq 2 ]]; then
        pass "unwritable output directory: exit code 2"
    else
        fail "unwritable output directory: exit code $COLLECT_RC, expected 2"
    fi
    took
}

# The last step needs `w7plan import` (issue 3, item 2). Until that subcommand exists in this
# build it is skipped with a message rather than failed.
check_import() {
    phase "w7plan import"
    [[ -n $EVIDENCE ]] || { fail "no evidence folder to import"; return; }
    cd "$ROOT" || return
    if ! cargo build --quiet --locked; then
        fail "cargo build"
        return
    fi
    if ! cargo run --quiet --locked -- import --help >/dev/null 2>&1; then
        echo "SKIP: w7plan import is not in this build yet; the inventory assertions did not run"
        took
        return
    fi
    local inv="$WORK/inventory.yaml" fmt=yaml
    if ! cargo run --quiet --locked -- import "$EVIDENCE" --format yaml >"$inv" 2>"$WORK/import.err"; then
        fail "w7plan import $EVIDENCE --format yaml: $(cat "$WORK/import.err")"
        return
    fi
    pass "w7plan import --format yaml"
    if ! python3 -c 'import yaml' 2>/dev/null; then
        # Same assertions on JSON when PyYAML is not installed.
        inv="$WORK/inventory.json"
        fmt=json
        cargo run --quiet --locked -- import "$EVIDENCE" --format json >"$inv" 2>"$WORK/import.err" ||
            { fail "w7plan import --format json: $(cat "$WORK/import.err")"; return; }
    fi
    python3 "$HERE/check_inventory.py" "$inv" "$fmt" || failures=$((failures + 1))
    took
}

main() {
    local start=$SECONDS
    trap cleanup EXIT
    ensure_wine || return 1
    make_prefix || return 1
    import_fixtures
    check_stamp
    collect_with_output_dir
    check_evidence
    collect_next_to_script
    collect_into_unwritable
    check_import
    printf '\n== wine e2e: %s failure(s), %ss in all\n' "$failures" "$((SECONDS - start))"
    [[ $failures -eq 0 ]]
}

main "$@"
