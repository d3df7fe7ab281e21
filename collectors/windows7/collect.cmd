@echo off
rem ==========================================================================
rem  w7plan evidence collector for Windows 7 (works on Vista to Windows 10 too)
rem
rem  Usage:   collect.cmd [OUTPUT-DIRECTORY]
rem
rem  Writes one folder per run, <COMPUTERNAME>-<yyyymmdd-hhmm>, holding the raw
rem  output of Windows' own tools plus manifest.txt (every command, its exit
rem  code, and whether the run was elevated). Nothing is installed, nothing is
rem  sent over the network, nothing on the machine is changed. `w7plan import`
rem  turns the folder into an inventory at the office.
rem
rem  Without OUTPUT-DIRECTORY the folder goes next to this script, or to the
rem  Desktop when the script's own folder is read-only (a CD, a locked share).
rem
rem  Exit codes: 0 evidence folder written (some commands may have failed; the
rem  manifest says which), 2 no writable output directory.
rem
rem  The manifest format is a contract with w7plan's importer (see README.md):
rem  change names only together with it.
rem ==========================================================================
setlocal EnableExtensions DisableDelayedExpansion
rem Delayed expansion stays off: a '!' in a path (E:\Tools!\) would be eaten.
rem The few places that need it enable it inside a subroutine.

rem Take DATE and TIME first so "started" is the moment the user ran us.
set "W7_STARTED=%DATE% %TIME%"

rem A 32-bit parent (e.g. a 32-bit file manager on 64-bit Windows) gives us
rem a 32-bit cmd: the registry would show the WOW64 view and bcdedit would be
rem missing. Re-run in the native 64-bit cmd via the Sysnative alias.
if defined PROCESSOR_ARCHITEW6432 if exist "%SystemRoot%\Sysnative\cmd.exe" goto :relaunch_native

rem Our own PATH so that a user's broken or hostile PATH cannot hide or
rem replace the tools; the output folder (our cwd later) holds only our files.
set "PATH=%SystemRoot%\System32;%SystemRoot%\System32\wbem;%SystemRoot%"
set "PATHEXT=.COM;.EXE;.BAT;.CMD"

set "W7_VERSION=1"
set "W7_HOST=%COMPUTERNAME%"
if not defined W7_HOST set "W7_HOST=UNKNOWN"

call :make_stamp
rem --print-stamp: print the folder's timestamp and stop (for the tests).
if "%~1"=="--print-stamp" (
    echo %W7_STAMP%
    endlocal
    exit /b 0
)
echo w7plan collector %W7_VERSION% on %W7_HOST%

rem ---- where to write ------------------------------------------------------
set "W7_OUT="
rem An explicit directory is a promise: fail loudly rather than write
rem somewhere the user did not ask for. Otherwise try the fallbacks in order.
if not "%~1"=="" (
    call :make_run_dir "%~f1"
) else (
    call :make_run_dir "%~dp0."
    if not defined W7_OUT call :make_run_dir "%USERPROFILE%\Desktop"
    if not defined W7_OUT call :make_run_dir "%TEMP%"
)
if not defined W7_OUT (
    echo ERROR: cannot create an output folder. Give a writable directory:
    echo        collect.cmd D:\evidence
    call :maybe_pause "%~1"
    endlocal
    exit /b 2
)
echo Writing to "%W7_OUT%"

rem Work inside the output folder so every command can be recorded exactly
rem as it ran (relative file names, no local paths in the manifest). pushd
rem also maps a UNC share to a temporary drive letter, which cd cannot do.
pushd "%W7_OUT%"
if errorlevel 1 (
    echo ERROR: cannot enter "%W7_OUT%"
    endlocal
    exit /b 2
)

rem ---- elevation, then the manifest header ---------------------------------
set "W7_STEP=0"
set "W7_STEPS=25"
call :detect_elevation
>manifest.txt echo w7plan-evidence 1
>>manifest.txt echo collector=collect.cmd
>>manifest.txt echo version=%W7_VERSION%
>>manifest.txt echo computername=%W7_HOST%
>>manifest.txt echo started=%W7_STARTED%
>>manifest.txt echo elevated=%W7_ELEVATED%
call :record whoami-groups.txt
if "%W7_ELEVATED%"=="no" echo Not elevated: TPM and boot configuration need "Run as administrator".

rem ---- the evidence ----------------------------------------------------------
rem Most valuable and quickest first, so an interrupted run still says a lot;
rem systeminfo is the slowest (5-30 s) and comes last.
rem For wmic, Q is everything worth keeping (all present on Windows 7) and QC
rem the core that :wmic falls back to when the class rejects a property.

set "Q=os get Caption,Version,BuildNumber,CSDVersion,ServicePackMajorVersion,ServicePackMinorVersion,OSArchitecture,OperatingSystemSKU,ProductType,InstallDate,LastBootUpTime,OSLanguage,MUILanguages,Locale,CountryCode,CodeSet,TotalVisibleMemorySize,FreePhysicalMemory,SystemDrive,SystemDirectory,SerialNumber,PAEEnabled,DataExecutionPrevention_Available,DataExecutionPrevention_SupportPolicy,LocalDateTime"
set "QC=os get Caption,Version,BuildNumber,CSDVersion,ServicePackMajorVersion,OSArchitecture,InstallDate,OSLanguage,Locale,TotalVisibleMemorySize,SystemDrive,LocalDateTime"
call :wmic wmic-os.txt

set "Q=computersystem get Name,Manufacturer,Model,TotalPhysicalMemory,PCSystemType,SystemType,NumberOfProcessors,NumberOfLogicalProcessors,Domain,PartOfDomain"
set "QC=computersystem get Name,Manufacturer,Model,TotalPhysicalMemory,SystemType"
call :wmic wmic-computersystem.txt

set "Q=cpu get Name,Manufacturer,Level,Revision,NumberOfCores,NumberOfLogicalProcessors,MaxClockSpeed,AddressWidth,DataWidth,Architecture,Description,ProcessorId,Caption,SocketDesignation"
set "QC=cpu get Name,Manufacturer,Level,Revision,NumberOfCores,NumberOfLogicalProcessors,MaxClockSpeed,AddressWidth,DataWidth,Architecture,Description,ProcessorId"
call :wmic wmic-cpu.txt

set "Q=memorychip get Capacity,BankLabel,DeviceLocator,Manufacturer,PartNumber,Speed,MemoryType,FormFactor"
set "QC=memorychip get Capacity,BankLabel,DeviceLocator"
call :wmic wmic-memorychip.txt

rem reg export writes the file itself; the console only says "completed".
set "C=reg export "HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion" reg-currentversion.reg /y"
call :export reg-currentversion.reg
set "C=reg export "HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall" reg-uninstall-hklm.reg /y"
call :export reg-uninstall-hklm.reg
rem Absent on 32-bit Windows: a failure here is expected and harmless.
set "C=reg export "HKLM\SOFTWARE\Wow6432Node\Microsoft\Windows\CurrentVersion\Uninstall" reg-uninstall-wow64.reg /y"
call :export reg-uninstall-wow64.reg
rem HKCU is the account that runs the script: with "Run as administrator"
rem from a standard account it is the administrator's, not the user's.
set "C=reg export "HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall" reg-uninstall-hkcu.reg /y"
call :export reg-uninstall-hkcu.reg
set "C=reg export "HKLM\HARDWARE\DESCRIPTION\System\CentralProcessor\0" reg-cpu0.reg /y"
call :export reg-cpu0.reg

set "Q=logicaldisk get DeviceID,DriveType,FileSystem,Size,FreeSpace,VolumeName"
call :wmic wmic-logicaldisk.txt

set "Q=diskdrive get Index,Model,Size,InterfaceType,MediaType,Partitions,BytesPerSector,DeviceID,PNPDeviceID,FirmwareRevision,SerialNumber"
set "QC=diskdrive get Index,Model,Size,InterfaceType,MediaType,DeviceID"
call :wmic wmic-diskdrive.txt

rem Type "GPT: System" marks the EFI system partition, i.e. a GPT disk.
set "Q=partition get DiskIndex,Index,Type,BootPartition,PrimaryPartition,Bootable,Size,StartingOffset,DeviceID"
set "QC=partition get DiskIndex,Index,Type,BootPartition,Size"
call :wmic wmic-partition.txt

set "Q=path Win32_VideoController get Name,AdapterCompatibility,DriverVersion,DriverDate,InstalledDisplayDrivers,VideoProcessor,AdapterRAM,CurrentHorizontalResolution,CurrentVerticalResolution,CurrentRefreshRate,PNPDeviceID,Status"
call :wmic wmic-videocontroller.txt

set "Q=bios get Manufacturer,SMBIOSBIOSVersion,Version,BIOSVersion,ReleaseDate,SerialNumber,SMBIOSMajorVersion,SMBIOSMinorVersion"
set "QC=bios get Manufacturer,SMBIOSBIOSVersion,Version,ReleaseDate,SerialNumber"
call :wmic wmic-bios.txt

set "Q=baseboard get Manufacturer,Product,Version,SerialNumber"
call :wmic wmic-baseboard.txt

rem Win32_Tpm answers only an elevated caller ("Access denied" otherwise).
set "Q=/namespace:\\root\cimv2\security\microsofttpm path Win32_Tpm get *"
call :wmic wmic-tpm.txt
rem Without elevation the TPM's device entry still shows whether one exists.
set "Q=path Win32_PnPEntity where "Service='TPM'" get Name,DeviceID,Status"
call :wmic wmic-tpm-pnp.txt

rem Windows 7 itself knows neither key; their absence is the expected answer
rem there (they appear on Windows 8+ and in WinPE).
set "C=reg query HKLM\SYSTEM\CurrentControlSet\Control\SecureBoot\State"
call :run reg-secureboot.txt
set "C=reg query HKLM\SYSTEM\CurrentControlSet\Control /v PEFirmwareType"
call :run reg-firmwaretype.txt

rem winload.efi in the boot entry means the machine booted in UEFI mode.
set "C=bcdedit /enum {current}"
call :run bcdedit.txt

rem Can take a few seconds: the licensing service evaluates every product.
set "Q=path SoftwareLicensingProduct where "PartialProductKey is not null" get Name,Description,ApplicationID,PartialProductKey,LicenseStatus,ProductKeyID"
call :wmic wmic-licensing.txt

set "Q=qfe get HotFixID,Description,InstalledOn,ServicePackInEffect"
call :wmic wmic-qfe.txt

set "C=systeminfo /FO LIST"
call :run_quiet_stderr systeminfo.txt
set "C=systeminfo /FO CSV"
call :run_quiet_stderr systeminfo.csv

popd
echo.
echo Done: "%W7_OUT%"
echo Copy that folder to the assessing PC and run: w7plan import FOLDER
call :maybe_pause "%~1"
endlocal
exit /b 0


rem ==========================================================================
rem  Subroutines. Each runs outside any ( ) block, so ERRORLEVEL read on the
rem  line after a command is that command's code (inside a block it would be
rem  the value from before the block started).
rem ==========================================================================

:run
rem Run command line C, stdout and stderr into file arg 1, and record it.
call :progress "%~1"
call :exec "%~1"
call :record "%~1"
exit /b 0

:exec
rem stdin is nul: wmic otherwise waits for input when stdin is a pipe.
%C% <nul >"%~1" 2>&1
set "RC=%ERRORLEVEL%"
exit /b 0

:run_quiet_stderr
rem systeminfo writes "Loading ... Information" progress to stderr; mixed into
rem the file it would break column parsing. Keep stderr only when it failed.
call :progress "%~1"
%C% <nul >"%~1" 2>"%~1.stderr"
set "RC=%ERRORLEVEL%"
if not "%RC%"=="0" type "%~1.stderr" >>"%~1"
del "%~1.stderr" >nul 2>&1
call :record "%~1"
exit /b 0

:export
rem reg export writes its file itself (UTF-16LE); only its console chatter goes
rem through us. On failure the error text takes the file's place, so the
rem evidence says why it is missing.
call :progress "%~1"
call :exec "%~1.console"
if not "%RC%"=="0" (
    del "%~1" >nul 2>&1
    move /y "%~1.console" "%~1" >nul
)
del "%~1.console" >nul 2>&1
call :record "%~1"
exit /b 0

:wmic
rem wmic Q into file arg 1. If the class rejects one of the properties asked
rem for ("Invalid query": an old or damaged WMI, or Wine), ask again for the
rem core list QC, the facts w7plan cannot do without. Only the final
rem attempt is recorded, so the manifest's command is what produced the file.
call :progress "%~1"
set "W7_Q=%Q%"
call :wmic_try "%~1"
if "%RC%"=="0" goto :wmic_done
if not defined QC goto :wmic_done
set "W7_Q=%QC%"
call :wmic_try "%~1"
:wmic_done
call :record "%~1"
set "QC="
exit /b 0

:wmic_try
rem Windows 7's wmic looks for list.xsl in the folder of the user's *format*
rem locale (wbem\en-GB, wbem\de-AT ...) but the files exist only for the
rem installed UI language, so /format:list fails with "Invalid XSL format (or)
rem file name." and exit code 44210 whenever the two differ. On that failure
rem retry with the full path of a list.xsl that exists, and as a last resort
rem with wmic's built-in table format (no XSL; also what Wine always prints).
rem The mode that worked is kept for the rest of the run.
if "%W7_WMIC_MODE%"=="table" goto :wmic_try_table
if "%W7_WMIC_MODE%"=="xsl" goto :wmic_try_xsl
set "C=wmic %W7_Q% /format:list"
call :exec "%~1"
call :is_xsl_error "%~1"
if errorlevel 1 exit /b 0
call :find_list_xsl
set "W7_WMIC_MODE=xsl"
:wmic_try_xsl
if not defined W7_XSL goto :wmic_try_to_table
set "C=wmic %W7_Q% /format:"%W7_XSL%""
call :exec "%~1"
call :is_xsl_error "%~1"
if errorlevel 1 exit /b 0
:wmic_try_to_table
set "W7_WMIC_MODE=table"
:wmic_try_table
set "C=wmic %W7_Q%"
call :exec "%~1"
exit /b 0

:is_xsl_error
rem Exit 0 when the last wmic run failed for want of its XSL file. The exit
rem code says so; the message is a second tell should the code differ (type
rem turns wmic's UTF-16 file into text that find can search).
if "%RC%"=="0" exit /b 1
if "%RC%"=="44210" exit /b 0
type "%~1" 2>nul | find "XSL" >nul
if errorlevel 1 exit /b 1
exit /b 0

:find_list_xsl
rem en-US first (it is there on every English and most multi-language
rem installs), then any language folder that has one.
set "W7_XSL="
if exist "%SystemRoot%\System32\wbem\en-US\list.xsl" set "W7_XSL=%SystemRoot%\System32\wbem\en-US\list.xsl"
if defined W7_XSL exit /b 0
for /d %%L in ("%SystemRoot%\System32\wbem\*") do (
    if not defined W7_XSL if exist "%%~fL\list.xsl" set "W7_XSL=%%~fL\list.xsl"
)
exit /b 0

:record
rem Append "file=NAME|exit=RC|command=C" to the manifest. Delayed expansion
rem prints C verbatim even when it holds quotes, braces or * .
setlocal EnableDelayedExpansion
set "SEP=|"
>>manifest.txt echo file=%~1!SEP!exit=!RC!!SEP!command=!C!
endlocal
exit /b 0

:progress
set /a W7_STEP+=1
echo   [%W7_STEP%/%W7_STEPS%] %~1
exit /b 0

:detect_elevation
rem Windows 7 marks an elevated token (or UAC off for an administrator) with
rem the High mandatory level S-1-16-12288, LocalSystem with S-1-16-16384.
rem This needs no service and no privilege, unlike `net session` (fails when
rem the Server service is stopped). whoami without mandatory labels (XP, and
rem Wine, whose whoami ignores /groups) falls back to `fsutil dirty query`,
rem which only an administrator may run.
rem (Exit codes are tested with "if errorlevel" on their own lines, not with
rem && or ||, which Wine's cmd does not honour.)
set "W7_ELEVATED=no"
set "C=whoami /groups"
call :progress whoami-groups.txt
call :exec whoami-groups.txt
rem The decision reads whoami through a pipe (the common idiom): find may not
rem read the file above if whoami wrote it as UTF-16.
whoami /groups 2>nul | find "S-1-16-" >nul
if errorlevel 1 goto :elevation_fallback
whoami /groups 2>nul | find "S-1-16-12288" >nul
if not errorlevel 1 set "W7_ELEVATED=yes"
whoami /groups 2>nul | find "S-1-16-16384" >nul
if not errorlevel 1 set "W7_ELEVATED=yes"
exit /b 0
:elevation_fallback
fsutil dirty query %SystemDrive% <nul >nul 2>&1
if not errorlevel 1 set "W7_ELEVATED=yes"
exit /b 0

:make_stamp
rem yyyymmdd-hhmm whatever the regional settings: WMI's LocalDateTime is
rem always yyyymmddHHMMSS.ffffff+zzz. Table output needs no XSL (see :wmic).
rem The first wmic run on a machine may print "Please wait while WMIC is
rem being installed" and nothing else, so take the first token that looks
rem like a date, and ask twice before giving up on WMI.
rem W7PLAN_CLOCK=locale skips WMI: the tests use it (with DATE and TIME set in
rem the environment, which cmd then reports) to exercise the fallback.
set "W7_LDT="
if /i "%W7PLAN_CLOCK%"=="locale" goto :stamp_from_locale
for %%R in (1 2) do if not defined W7_LDT call :ldt_from_wmi
if defined W7_LDT (
    set "W7_STAMP=%W7_LDT:~0,8%-%W7_LDT:~8,4%"
    exit /b 0
)
:stamp_from_locale
rem Fallback: %DATE% and %TIME% as this locale prints them. Their numbers are
rem read in the order the locale's iDate names (0 month-day-year, 1 day-month-
rem year, 2 year-month-day; a four-digit first number is always the year),
rem padded to two digits, and a 12-hour time (Wine prints "1:24 PM") is turned
rem into 24-hour with the locale's own PM and AM designators.
set "W7_ORDER=0"
set "W7_PMS="
set "W7_AMS="
for /f "tokens=3" %%V in ('reg query "HKCU\Control Panel\International" /v iDate 2^>nul ^<nul ^| find "REG_SZ"') do set "W7_ORDER=%%V"
for /f "tokens=2,*" %%U in ('reg query "HKCU\Control Panel\International" /v s2359 2^>nul ^<nul ^| find "REG_SZ"') do set "W7_PMS=%%V"
for /f "tokens=2,*" %%U in ('reg query "HKCU\Control Panel\International" /v s1159 2^>nul ^<nul ^| find "REG_SZ"') do set "W7_AMS=%%V"
if not defined W7_PMS set "W7_PMS=PM"
if not defined W7_AMS set "W7_AMS=AM"
set "W7_N1="
set "W7_N2="
set "W7_N3="
for /f "tokens=1-5 delims=/.-, " %%a in ("%DATE%") do call :date_numbers %%a %%b %%c %%d %%e
if not defined W7_N3 (
    set "W7_STAMP=00000000-0000"
    exit /b 0
)
set "W7_Y=%W7_N3%"
set "W7_MO=%W7_N1%"
set "W7_DD=%W7_N2%"
if "%W7_ORDER%"=="1" call :order_dmy
if "%W7_ORDER%"=="2" call :order_ymd
rem Padding with # makes the length tests safe: a substring past the end of
rem a short value is not reliably empty.
set "W7_L=%W7_N1%####"
if not "%W7_L:~3,1%"=="#" call :order_ymd
set "W7_L=%W7_Y%####"
if "%W7_L:~2,1%"=="#" set "W7_Y=20%W7_Y%"
set "W7_MO=0%W7_MO%"
set "W7_DD=0%W7_DD%"
set "W7_H=00"
set "W7_MI=00"
for /f "tokens=1,2 delims=:., " %%a in ("%TIME%") do call :time_numbers %%a %%b
rem 1xx-100 keeps set /a from reading 08 and 09 as bad octal numbers.
set /a "W7_HN=1%W7_H%-100"
echo(%TIME%| find "%W7_PMS%" >nul
if not errorlevel 1 if %W7_HN% LSS 12 set /a "W7_HN+=12"
echo(%TIME%| find "%W7_AMS%" >nul
if not errorlevel 1 if %W7_HN% EQU 12 set "W7_HN=0"
set "W7_H=0%W7_HN%"
set "W7_STAMP=%W7_Y%%W7_MO:~-2%%W7_DD:~-2%-%W7_H:~-2%%W7_MI%"
exit /b 0

:ldt_from_wmi
for /f "skip=1 tokens=1" %%A in ('wmic os get LocalDateTime 2^>nul ^<nul') do (
    if not defined W7_LDT call :take_ldt "%%A"
)
exit /b 0

:order_dmy
set "W7_MO=%W7_N2%"
set "W7_DD=%W7_N1%"
exit /b 0

:order_ymd
set "W7_Y=%W7_N1%"
set "W7_MO=%W7_N2%"
set "W7_DD=%W7_N3%"
exit /b 0

:time_numbers
rem Hour and minute, two digits each; anything that is not a number leaves 00.
call :all_digits "%~1"
if not errorlevel 1 set "W7_H=0%~1"
call :all_digits "%~2"
if not errorlevel 1 set "W7_MI=0%~2"
set "W7_H=%W7_H:~-2%"
set "W7_MI=%W7_MI:~-2%"
exit /b 0

:date_numbers
rem Keep the first three all-digit arguments: a weekday name ("Sat", "Sa.")
rem or an era mark around the date is skipped.
if "%~1"=="" exit /b 0
call :all_digits "%~1"
if errorlevel 1 goto :date_numbers_next
if not defined W7_N1 (
    set "W7_N1=%~1"
) else if not defined W7_N2 (
    set "W7_N2=%~1"
) else if not defined W7_N3 (
    set "W7_N3=%~1"
)
:date_numbers_next
shift
goto :date_numbers

:all_digits
rem errorlevel 0 when arg 1 is one or more digits only. The '#' keeps W7_X
rem defined: substitution on an undefined variable does not give "".
set "W7_X=#%~1"
if "%W7_X%"=="#" exit /b 1
for %%D in (0 1 2 3 4 5 6 7 8 9) do call set "W7_X=%%W7_X:%%D=%%"
if not "%W7_X%"=="#" exit /b 1
exit /b 0

:take_ldt
rem Accept arg 1 only if its first 12 characters are all digits.
set "W7_T=%~1"
set "W7_T=%W7_T:~0,12%"
set "W7_L=%W7_T%####"
if "%W7_L:~11,1%"=="#" exit /b 1
call :all_digits "%W7_T%"
if errorlevel 1 exit /b 1
set "W7_LDT=%W7_T%"
exit /b 0

:make_run_dir
rem Create <base>\<HOST>-<stamp> (or -2 ... -9 if that exists) and prove it is
rem writable by writing the manifest's first line. Sets W7_OUT on success.
set "W7_BASE=%~f1"
if "%W7_BASE:~-1%"=="\" set "W7_BASE=%W7_BASE:~0,-1%"
set "W7_NAME=%W7_HOST%-%W7_STAMP%"
for %%N in ("" -2 -3 -4 -5 -6 -7 -8 -9) do (
    if not defined W7_OUT if not exist "%W7_BASE%\%W7_NAME%%%~N" call :try_dir "%W7_BASE%\%W7_NAME%%%~N"
)
exit /b 0

:try_dir
mkdir "%~1" >nul 2>&1
if not exist "%~1\" exit /b 0
rem stderr of the call hides "Access is denied" on a read-only medium.
call :write_first_line "%~1" 2>nul
if exist "%~1\manifest.txt" (
    set "W7_OUT=%~1"
) else (
    rd "%~1" >nul 2>&1
)
exit /b 0

:write_first_line
>"%~1\manifest.txt" echo w7plan-evidence 1
exit /b 0

:maybe_pause
rem Started by double-click (cmd /c, no arguments): keep the window open so
rem the user can read where the folder went. From a prompt or a script: no.
if not "%~1"=="" exit /b 0
setlocal EnableDelayedExpansion
set "W7_CCL=!CMDCMDLINE!"
if not defined W7_CCL (endlocal & exit /b 0)
if /i not "!W7_CCL:/c =!"=="!W7_CCL!" pause
endlocal
exit /b 0

:relaunch_native
"%SystemRoot%\Sysnative\cmd.exe" /d /c ""%~f0" %*"
exit /b %ERRORLEVEL%
