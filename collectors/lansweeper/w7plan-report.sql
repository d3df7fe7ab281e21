/*
   w7plan: Lansweeper report, one row per active Windows asset.

   Paste it into Reports > Create New Report > "Switch to SQL editor", save, run it, and export
   the result as CSV (the report's export button; XLSX must be saved as CSV, w7plan does not
   read workbooks). `w7plan fleet report.csv -o out` assesses every row; see the README, "From
   Lansweeper".

   Written from the Lansweeper database schema (vv0rk/LSWDB, commit fa325086,
   LSWDB/dbo/Tables/tblAssets.sql, tblAssetCustom.sql, tsysAssetTypes.sql, tblComputersystem.sql,
   tblBIOS.sql, tblOperatingsystem.sql, tblProcessor.sql, tblPhysicalMemory.sql,
   tblDiskdrives.sql, tblFloppy.sql, tblTPM.sql, tblVideoController.sql, tblSerialnumber.sql,
   tblSoftware.sql, tblSoftwareUni.sql) and the joins of Lansweeper's built-in report views in
   the same repository (LSWDB/dbo/Views/web50reposoverview.sql, web50repTPM.sql,
   web40repsoftwarePC.sql). The `Windows` asset type name is the one jschlackman/Lansweeper's
   reports filter on.

   w7plan finds each column by its alias below; a column you delete is a fact w7plan reports as
   unknown. Tables with several rows per asset (processors, memory modules, disks, adapters,
   product keys, programs) are summed, picked or listed as noted.

   - ProcessorCaption ("x64 Family 6 Model 42 Stepping 7") and ProcessorId give the CPU's
     family, model and stepping, which decide Microsoft's CPU rule exactly.
     tblProcessor.Family is WMI's CIM family code, not the CPUID family: it is not read.
   - InstalledMemory is the modules' sum (Win32_PhysicalMemory.Capacity, bytes); MemoryMB is the
     asset's memory as Lansweeper's own reports show it.
   - SystemDrive* is Windows' own drive (tblOperatingsystem.SystemDrive, else C:), sizes in bytes;
     DiskSize is the size of the machine's one non-USB disk, empty when it has several.
   - The TPM is blank for a machine with no tblTPM row (no TPM, turned off, or not readable).
   - ProductID and ProductKey are the Windows entry of tblSerialnumber.
   - Software lists the programs one a line: name, version and publisher separated by tabs.
*/
Select Top 1000000
  tblAssets.AssetName As AssetName,
  tblAssets.Lastseen As Lastseen,
  tblAssetCustom.Manufacturer As Manufacturer,
  tblAssetCustom.Model As Model,
  tblComputersystem.SystemType As SystemType,
  tblBIOS.SerialNumber As BIOSSerial,
  tblBIOS.Manufacturer As BIOSManufacturer,
  tblBIOS.SMBIOSBIOSVersion As BIOSVersion,
  tblBIOS.ReleaseDate As BIOSDate,
  tblOperatingsystem.Caption As OSCaption,
  tblOperatingsystem.Version As OSVersion,
  tblOperatingsystem.ServicePackMajorVersion As ServicePack,
  tblOperatingsystem.OSLanguage As OSLanguage,
  tblOperatingsystem.InstallDate As OSInstallDate,
  tblOperatingsystem.TotalVisibleMemorySize As VisibleMemoryKB,
  tblOperatingsystem.SerialNumber As OSSerialNumber,
  cpu.Name As ProcessorName,
  cpu.Manufacturer As ProcessorManufacturer,
  cpu.Caption As ProcessorCaption,
  cpu.ProcessorId As ProcessorId,
  cpus.Cores As Cores,
  cpus.Threads As LogicalProcessors,
  cpu.MaxClockSpeed As MaxClockSpeed,
  tblAssets.Memory As MemoryMB,
  modules.Installed As InstalledMemory,
  sysdrive.Caption As SystemDrive,
  sysdrive.Size As SystemDriveSize,
  sysdrive.Freespace As SystemDriveFree,
  disks.LoneDisk As DiskSize,
  tblTPM.SpecVersion As TPMSpecVersion,
  tblTPM.IsEnabled_InitialValue As TPMEnabled,
  tblTPM.IsActivated_InitialValue As TPMActivated,
  video.Caption As VideoController,
  video.DriverVersion As VideoDriverVersion,
  video.CurrentHorizontalResolution As HorizontalResolution,
  video.CurrentVerticalResolution As VerticalResolution,
  winkey.ProductID As ProductID,
  winkey.ProductKey As ProductKey,
  Stuff((Select Char(10) + uni.softwareName + Char(9) + IsNull(sw.softwareVersion, N'')
        + Char(9) + IsNull(uni.SoftwarePublisher, N'')
      From tblSoftware sw
        Inner Join tblSoftwareUni uni On uni.SoftID = sw.softID
      Where sw.AssetID = tblAssets.AssetID And uni.softwareName Is Not Null
      Order By uni.softwareName
      For Xml Path(''), Type).value('.', 'nvarchar(max)'), 1, 1, N'') As Software
From tblAssets
  Inner Join tblAssetCustom On tblAssetCustom.AssetID = tblAssets.AssetID
  Inner Join tsysAssetTypes On tsysAssetTypes.AssetType = tblAssets.Assettype
  Left Join tblComputersystem On tblComputersystem.AssetID = tblAssets.AssetID
  Left Join tblBIOS On tblBIOS.AssetID = tblAssets.AssetID
  Left Join tblOperatingsystem On tblOperatingsystem.AssetID = tblAssets.AssetID
  Left Join tblTPM On tblTPM.AssetId = tblAssets.AssetID
  -- The first processor names the CPU; cores and threads are summed over the sockets.
  Outer Apply (Select Top 1 p.Name, p.Manufacturer, p.Caption, p.ProcessorId, p.MaxClockSpeed
      From tblProcessor p
      Where p.AssetID = tblAssets.AssetID
      Order By p.WIN32_PROCESSORid) cpu
  Outer Apply (Select Sum(p.NumberOfCores) As Cores, Sum(p.NumberOfLogicalProcessors) As Threads
      From tblProcessor p
      Where p.AssetID = tblAssets.AssetID) cpus
  Outer Apply (Select Sum(m.Capacity) As Installed
      From tblPhysicalMemory m
      Where m.AssetID = tblAssets.AssetID) modules
  Outer Apply (Select Top 1 d.Caption, d.Size, d.Freespace
      From tblDiskdrives d
      Where d.AssetID = tblAssets.AssetID
        And d.Caption = IsNull(tblOperatingsystem.SystemDrive, N'C:')) sysdrive
  Outer Apply (Select Case When Count(*) = 1 Then Max(f.Size) End As LoneDisk
      From tblFloppy f
      Where f.AssetID = tblAssets.AssetID And IsNull(f.InterfaceType, N'') <> N'USB') disks
  -- The adapter driving a display first.
  Outer Apply (Select Top 1 v.Caption, v.DriverVersion, v.CurrentHorizontalResolution,
        v.CurrentVerticalResolution
      From tblVideoController v
      Where v.AssetID = tblAssets.AssetID
      Order By Case When v.CurrentHorizontalResolution > 0 Then 0 Else 1 End,
        v.Win32_VideoControllerid) video
  Outer Apply (Select Top 1 k.ProductID, k.ProductKey
      From tblSerialnumber k
      Where k.AssetID = tblAssets.AssetID And k.Product Like N'Microsoft Windows%'
      Order By k.Lastchanged Desc) winkey
Where tsysAssetTypes.AssetTypename = N'Windows' And tblAssetCustom.State = 1
Order By tblAssets.AssetName
