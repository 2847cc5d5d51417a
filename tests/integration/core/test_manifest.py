#!/usr/bin/python3
"""A generated multi-patient archive ends in the catalog exactly as the generator made it; re-runs
add nothing; duplicates are recorded, not duplicated."""
import os
import shutil

from common import check, connect, finish, generate, ingest, tmpdir

work = tmpdir()
arch = os.path.join(work, "archive")
m = generate(arch, "--patients", "8", "--seed", "3", "--junk")
db = os.path.join(work, "catalog.db")

summary, rc = ingest([arch], db)
n = len(m["instances"])
check(rc == 1, f"exit code 1 when junk files are rejected, got {rc}")
check(summary["ingested"] == n, f"ingested {summary['ingested']} of {n}")
check(summary["not_dicom"] == len(m["non_dicom"]), f"not_dicom {summary['not_dicom']} vs {len(m['non_dicom'])}")
check(summary["failed"] == 0, f"failed {summary['failed']}")

c = connect(db)
rows = {r["sop_instance_uid"]: r for r in c.execute(
    "SELECT i.*, s.*, st.*, p.* FROM instance i JOIN series s USING (series_instance_uid) "
    "JOIN study st USING (study_instance_uid) JOIN patient p USING (patient_id)")}
check(len(rows) == n, f"{len(rows)} instance rows, manifest has {n}")

def same(field, got, want):
    if want is None:
        want_norm = None
    elif isinstance(want, float):
        return abs((got or 0) - want) < 1e-6
    else:
        want_norm = want if want != "" else None
    return got == want_norm

fields = ["patient_id", "patient_name", "patient_sex", "patient_birth_date", "study_instance_uid",
          "study_date", "study_time", "accession_number", "study_description", "series_instance_uid",
          "series_number", "modality", "body_part_examined", "series_description", "manufacturer",
          "manufacturer_model_name", "device_serial_number", "instance_number", "slice_thickness",
          "rows", "columns", "number_of_frames", "transfer_syntax_uid", "sop_class_uid",
          "timezone_offset", "kvp", "bits_allocated"]
mismatches = 0
for inst in m["instances"]:
    r = rows.get(inst["sop_instance_uid"])
    if not check(r is not None, f"missing instance {inst['path']}"):
        continue
    check(r["file_path"] == os.path.join(arch, inst["path"]), f"path {r['file_path']}")
    check(r["file_size"] == inst["file_size"], f"size of {inst['path']}")
    for f in fields:
        if f in inst and not same(f, r[f], inst[f]):
            mismatches += 1
            if mismatches < 20:
                check(False, f"{inst['path']}: {f} = {r[f]!r}, manifest {inst[f]!r}")
check(mismatches == 0, f"{mismatches} field mismatches")

# Every character set the generator wrote decodes to the manifest's Unicode text.
names = {i["patient_name"] for i in m["instances"]}
check(any(any(ord(ch) > 0x3000 for ch in nm) for nm in names), "archive holds a CJK name")

# JSON per instance is queryable with SQL and agrees with the columns.
bad_json = c.execute("SELECT count(*) FROM instance WHERE json_extract(dicom_json, '$.00080018.Value[0]') "
                     "IS NOT sop_instance_uid").fetchone()[0]
check(bad_json == 0, f"{bad_json} instances whose DICOM JSON disagrees with the SOP Instance UID column")

junk = {os.path.join(arch, j["path"]) for j in m["non_dicom"]}
errors = {r["path"]: r for r in c.execute("SELECT * FROM ingest_error")}
check(set(errors) == junk, f"ingest_error paths {sorted(errors)} vs junk {sorted(junk)}")
check(all(e["kind"] == "not_dicom" and e["reason"] for e in errors.values()), "junk rows say not_dicom with a reason")

# Re-run: nothing new, nothing parsed.
summary2, _ = ingest([arch], db)
check(summary2["unchanged"] == summary["seen"], f"re-run unchanged {summary2['unchanged']} of {summary['seen']}")
check(summary2["ingested"] == 0, "re-run ingests nothing")
check(c.execute("SELECT count(*) FROM instance").fetchone()[0] == n, "re-run adds no instance")

# A copy elsewhere is a duplicate: recorded in file, not a second instance.
first = os.path.join(arch, m["instances"][0]["path"])
copy_dir = os.path.join(arch, "zz_copies")
os.makedirs(copy_dir)
shutil.copy2(first, os.path.join(copy_dir, "copy.dcm"))
summary3, _ = ingest([arch], db)
check(summary3["duplicates"] == 1, f"duplicates {summary3['duplicates']}")
check(c.execute("SELECT count(*) FROM instance").fetchone()[0] == n, "duplicate adds no instance")
dup = c.execute("SELECT status, sop_instance_uid FROM file WHERE path LIKE '%zz_copies/copy.dcm'").fetchone()
check(dup is not None and dup["status"] == "duplicate" and dup["sop_instance_uid"] == m["instances"][0]["sop_instance_uid"],
      "copy recorded as duplicate of the original instance")

# A file changed in place is read again; --rescan re-reads everything without adding rows.
os.utime(first, None)
summary4, _ = ingest([arch], db)
check(summary4["seen"] - summary4["unchanged"] == 1, f"one touched file re-read, got {summary4}")
summary5, _ = ingest([arch], db, extra=["--rescan"])
check(summary5["unchanged"] == 0, "rescan re-reads every file")
check(c.execute("SELECT count(*) FROM instance").fetchone()[0] == n, "rescan adds no instance")
check(c.execute("SELECT count(*) FROM ingest_run WHERE status = 'done'").fetchone()[0] == 5, "five finished runs recorded")
finish("core_manifest")
