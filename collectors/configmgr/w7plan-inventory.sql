-- w7plan: Microsoft Configuration Manager hardware inventory, one row per machine.
--
-- Run against the site database (CM_<site code>) with SQL Server Management Studio, then save
-- the results as CSV with headers ("Results to File", or right-click the grid > "Save Results
-- As..." with Tools > Options > Query Results > SQL Server > Results to Grid > "Include column
-- headers when copying or saving the results" ticked). `w7plan fleet export.csv -o report`
-- assesses every row; see the README, "From Configuration Manager".
--
-- Only the documented reporting views are read (v_R_System, v_GS_*), joined by ResourceID. Each
-- column is named <view>.<column>, which is how w7plan finds it; a column you remove is a fact
-- w7plan reports as unknown. Where a view holds several rows per machine (processors, memory
-- modules, disks, adapters, programs) the query sums, picks or lists them as noted.
-- Works on SQL Server 2012 and later (FOR XML PATH rather than STRING_AGG).
--
-- Optional: v_GS_PROCESSOR.Caption0 ("Intel64 Family 6 Model 42 Stepping 7") and
-- ProcessorId0 give the CPU's family, model and stepping, which decide Microsoft's CPU rule
-- exactly. If your hardware inventory client settings do not collect those properties of
-- Win32_Processor, delete the two lines marked (*) and w7plan matches the CPU by name.
-- v_GS_TPM and v_GS_FIRMWARE exist only where their classes are inventoried; delete their lines
-- (and joins) if the query fails on them.

SELECT
    sys.ResourceID                          AS [v_R_System.ResourceID],
    sys.Netbios_Name0                       AS [v_R_System.Netbios_Name0],
    ws.LastHWScan                           AS [v_GS_WORKSTATION_STATUS.LastHWScan],
    cs.Manufacturer0                        AS [v_GS_COMPUTER_SYSTEM.Manufacturer0],
    cs.Model0                               AS [v_GS_COMPUTER_SYSTEM.Model0],
    cs.SystemType0                          AS [v_GS_COMPUTER_SYSTEM.SystemType0],
    bios.SerialNumber0                      AS [v_GS_PC_BIOS.SerialNumber0],
    bios.Manufacturer0                      AS [v_GS_PC_BIOS.Manufacturer0],
    bios.SMBIOSBIOSVersion0                 AS [v_GS_PC_BIOS.SMBIOSBIOSVersion0],
    bios.ReleaseDate0                       AS [v_GS_PC_BIOS.ReleaseDate0],
    cpu.Name0                               AS [v_GS_PROCESSOR.Name0],
    cpu.Manufacturer0                       AS [v_GS_PROCESSOR.Manufacturer0],
    cpu.Caption0                            AS [v_GS_PROCESSOR.Caption0],      -- (*)
    cpu.ProcessorId0                        AS [v_GS_PROCESSOR.ProcessorId0],  -- (*)
    cpus.Cores                              AS [v_GS_PROCESSOR.NumberOfCores0],
    cpus.Threads                            AS [v_GS_PROCESSOR.NumberOfLogicalProcessors0],
    cpu.MaxClockSpeed0                      AS [v_GS_PROCESSOR.MaxClockSpeed0],
    os.Caption0                             AS [v_GS_OPERATING_SYSTEM.Caption0],
    os.Version0                             AS [v_GS_OPERATING_SYSTEM.Version0],
    os.BuildNumber0                         AS [v_GS_OPERATING_SYSTEM.BuildNumber0],
    os.CSDVersion0                          AS [v_GS_OPERATING_SYSTEM.CSDVersion0],
    os.OSArchitecture0                      AS [v_GS_OPERATING_SYSTEM.OSArchitecture0],
    os.OSLanguage0                          AS [v_GS_OPERATING_SYSTEM.OSLanguage0],
    os.InstallDate0                         AS [v_GS_OPERATING_SYSTEM.InstallDate0],
    os.TotalVisibleMemorySize0              AS [v_GS_OPERATING_SYSTEM.TotalVisibleMemorySize0],
    os.SerialNumber0                        AS [v_GS_OPERATING_SYSTEM.SerialNumber0],
    mem.TotalPhysicalMemory0                AS [v_GS_X86_PC_MEMORY.TotalPhysicalMemory0],
    ram.Capacity                            AS [v_GS_PHYSICAL_MEMORY.Capacity0],
    disk.DeviceID0                          AS [v_GS_LOGICAL_DISK.DeviceID0],
    disk.Size0                              AS [v_GS_LOGICAL_DISK.Size0],
    disk.FreeSpace0                         AS [v_GS_LOGICAL_DISK.FreeSpace0],
    tpm.SpecVersion0                        AS [v_GS_TPM.SpecVersion0],
    tpm.IsEnabled_InitialValue0             AS [v_GS_TPM.IsEnabled_InitialValue0],
    tpm.IsActivated_InitialValue0           AS [v_GS_TPM.IsActivated_InitialValue0],
    fw.UEFI0                                AS [v_GS_FIRMWARE.UEFI0],
    fw.SecureBoot0                          AS [v_GS_FIRMWARE.SecureBoot0],
    video.Name0                             AS [v_GS_VIDEO_CONTROLLER.Name0],
    video.DriverVersion0                    AS [v_GS_VIDEO_CONTROLLER.DriverVersion0],
    video.CurrentHorizontalResolution0      AS [v_GS_VIDEO_CONTROLLER.CurrentHorizontalResolution0],
    video.CurrentVerticalResolution0        AS [v_GS_VIDEO_CONTROLLER.CurrentVerticalResolution0],
    -- One program a line: DisplayName0 <TAB> Version0 <TAB> Publisher0.
    (SELECT arp.DisplayName0 + CHAR(9) + ISNULL(arp.Version0, '') + CHAR(9)
            + ISNULL(arp.Publisher0, '') + CHAR(10)
       FROM v_GS_ADD_REMOVE_PROGRAMS arp
      WHERE arp.ResourceID = sys.ResourceID AND arp.DisplayName0 IS NOT NULL
      ORDER BY arp.DisplayName0
        FOR XML PATH(''), TYPE).value('.', 'nvarchar(max)')
                                            AS [v_GS_ADD_REMOVE_PROGRAMS.DisplayName0],
    (SELECT arp.DisplayName0 + CHAR(9) + ISNULL(arp.Version0, '') + CHAR(9)
            + ISNULL(arp.Publisher0, '') + CHAR(10)
       FROM v_GS_ADD_REMOVE_PROGRAMS_64 arp
      WHERE arp.ResourceID = sys.ResourceID AND arp.DisplayName0 IS NOT NULL
      ORDER BY arp.DisplayName0
        FOR XML PATH(''), TYPE).value('.', 'nvarchar(max)')
                                            AS [v_GS_ADD_REMOVE_PROGRAMS_64.DisplayName0],
    sysdisk.Model0                          AS [v_GS_DISK.Model0],
    sysdisk.Size0                           AS [v_GS_DISK.Size0]
FROM v_R_System sys
LEFT JOIN v_GS_WORKSTATION_STATUS ws   ON ws.ResourceID = sys.ResourceID
LEFT JOIN v_GS_COMPUTER_SYSTEM cs      ON cs.ResourceID = sys.ResourceID
LEFT JOIN v_GS_OPERATING_SYSTEM os     ON os.ResourceID = sys.ResourceID
LEFT JOIN v_GS_X86_PC_MEMORY mem       ON mem.ResourceID = sys.ResourceID
LEFT JOIN v_GS_FIRMWARE fw             ON fw.ResourceID = sys.ResourceID
-- The first BIOS and TPM instance (there is one per machine).
OUTER APPLY (SELECT TOP 1 * FROM v_GS_PC_BIOS b WHERE b.ResourceID = sys.ResourceID) bios
OUTER APPLY (SELECT TOP 1 * FROM v_GS_TPM t WHERE t.ResourceID = sys.ResourceID) tpm
-- The first processor names the CPU; the cores and threads of every socket are summed.
OUTER APPLY (SELECT TOP 1 * FROM v_GS_PROCESSOR p WHERE p.ResourceID = sys.ResourceID
              ORDER BY p.DeviceID0) cpu
OUTER APPLY (SELECT SUM(p.NumberOfCores0) AS Cores, SUM(p.NumberOfLogicalProcessors0) AS Threads
               FROM v_GS_PROCESSOR p WHERE p.ResourceID = sys.ResourceID) cpus
-- Installed memory: the modules' capacities summed.
OUTER APPLY (SELECT SUM(CAST(m.Capacity0 AS bigint)) AS Capacity
               FROM v_GS_PHYSICAL_MEMORY m WHERE m.ResourceID = sys.ResourceID) ram
-- The system volume: drive C:.
OUTER APPLY (SELECT TOP 1 * FROM v_GS_LOGICAL_DISK d
              WHERE d.ResourceID = sys.ResourceID AND d.DeviceID0 = 'C:') disk
-- The system disk: the first (Index0 0).
OUTER APPLY (SELECT TOP 1 * FROM v_GS_DISK k WHERE k.ResourceID = sys.ResourceID
              ORDER BY k.Index0) sysdisk
-- The adapter driving a display (the one with a resolution), else the first.
OUTER APPLY (SELECT TOP 1 * FROM v_GS_VIDEO_CONTROLLER v WHERE v.ResourceID = sys.ResourceID
              ORDER BY CASE WHEN v.CurrentHorizontalResolution0 > 0 THEN 0 ELSE 1 END) video
WHERE sys.Client0 = 1
ORDER BY sys.Netbios_Name0;
