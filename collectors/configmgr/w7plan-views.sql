-- w7plan: Microsoft Configuration Manager hardware inventory, one result (one CSV) per view.
--
-- For sites where the single joined query (w7plan-inventory.sql) is not wanted or not allowed:
-- run this against the site database (CM_<site code>) in SQL Server Management Studio; it gives
-- one result per view. Save each result as CSV with its column headers (Tools > Options > Query
-- Results > SQL Server > Results to Grid > "Include column headers when copying or saving the
-- results"; then right-click the result's grid > Save Results As...), all into one folder, and
-- run `w7plan fleet FOLDER -o report`. See the README, "From Configuration Manager".
--
-- File names may be anything: w7plan tells each view by its columns. The one exception is the
-- 64-bit programs view, whose columns are the 32-bit view's: its file name must contain "64"
-- (v_GS_ADD_REMOVE_PROGRAMS_64.csv). A view you leave out is a fact w7plan reports as unknown
-- ("view X not in the export"); v_R_System is required (it names the machines).
-- Each result is ordered by ResourceID: w7plan then finds a machine's programs in one place.
-- v_GS_TPM and v_GS_FIRMWARE exist only where their classes are inventoried: delete their lines
-- if SQL Server says the view does not exist.

-- v_R_System.csv (required): the machines with a client.
SELECT ResourceID, Netbios_Name0, Client0 FROM v_R_System WHERE Client0 = 1 ORDER BY ResourceID;
-- v_GS_WORKSTATION_STATUS.csv: the last hardware scan, the collection date.
SELECT * FROM v_GS_WORKSTATION_STATUS ORDER BY ResourceID;
-- v_GS_COMPUTER_SYSTEM.csv, v_GS_PC_BIOS.csv: maker, model, serial, BIOS.
SELECT * FROM v_GS_COMPUTER_SYSTEM ORDER BY ResourceID;
SELECT * FROM v_GS_PC_BIOS ORDER BY ResourceID;
-- v_GS_PROCESSOR.csv: one row per socket (the first names the CPU, cores are summed).
SELECT * FROM v_GS_PROCESSOR ORDER BY ResourceID;
-- v_GS_OPERATING_SYSTEM.csv
SELECT * FROM v_GS_OPERATING_SYSTEM ORDER BY ResourceID;
-- v_GS_X86_PC_MEMORY.csv and v_GS_PHYSICAL_MEMORY.csv (one row per module, summed).
SELECT * FROM v_GS_X86_PC_MEMORY ORDER BY ResourceID;
SELECT * FROM v_GS_PHYSICAL_MEMORY ORDER BY ResourceID;
-- v_GS_LOGICAL_DISK.csv (drive C: is the system volume) and v_GS_DISK.csv (Index0 0).
SELECT * FROM v_GS_LOGICAL_DISK ORDER BY ResourceID;
SELECT * FROM v_GS_DISK ORDER BY ResourceID;
-- v_GS_TPM.csv and v_GS_FIRMWARE.csv
SELECT * FROM v_GS_TPM ORDER BY ResourceID;
SELECT * FROM v_GS_FIRMWARE ORDER BY ResourceID;
-- v_GS_VIDEO_CONTROLLER.csv (the adapter driving a display is taken)
SELECT * FROM v_GS_VIDEO_CONTROLLER ORDER BY ResourceID;
-- v_GS_ADD_REMOVE_PROGRAMS.csv and v_GS_ADD_REMOVE_PROGRAMS_64.csv (the name must hold "64"):
-- the largest results, a hundred rows or more per machine; the columns w7plan reads only (with
-- GroupID, which marks the file as one view's rather than a joined export).
SELECT ResourceID, GroupID, DisplayName0, Version0, Publisher0 FROM v_GS_ADD_REMOVE_PROGRAMS
 WHERE DisplayName0 IS NOT NULL ORDER BY ResourceID;
SELECT ResourceID, GroupID, DisplayName0, Version0, Publisher0 FROM v_GS_ADD_REMOVE_PROGRAMS_64
 WHERE DisplayName0 IS NOT NULL ORDER BY ResourceID;
