#!/usr/bin/python3
"""Independent oracle: every file of Debian's pydicom corpus (real DICOM written by others) ends as
an instance or an ingest_error row, and for every file pydicom reads, dicometl's key attributes
equal pydicom's — person names in every character set included."""
import os
import warnings

import pydicom
from pydicom.valuerep import PersonName

from common import check, connect, finish, ingest, tmpdir

CORPORA = ["/usr/lib/python3/dist-packages/pydicom/data/test_files",
           "/usr/lib/python3/dist-packages/pydicom/data/charset_files"]
# Files pydicom reads that dicometl rejects, by name, with the reason; any other rejection of a
# file pydicom reads fails the test, and so does an entry here that is no longer rejected.
KNOWN_REJECTS = {
    "rtplan_truncated.dcm": "cut inside IsocenterPosition (300A,012C): pydicom keeps what came "
                            "before, dicometl rejects a truncated header",
}
rejected_known = set()
warnings.simplefilter("ignore")

db = os.path.join(tmpdir(), "oracle.db")
summary, _ = ingest(CORPORA, db)
c = connect(db)
files = {r["path"]: r for r in c.execute("SELECT * FROM file")}
errors = {r["path"]: r for r in c.execute("SELECT * FROM ingest_error")}
# SC_rgb_jpeg.dcm holds an implicit VR dataset under an explicit syntax: read, with a warning.
warned = {os.path.basename(r["path"]): r["reason"] for r in c.execute("SELECT * FROM ingest_warning")}
check(warned.get("SC_rgb_jpeg.dcm", "").startswith("dataset encoded implicit VR"),
      f"SC_rgb_jpeg.dcm has its warning: {warned}")
# Patient- and study-level columns hold the first file's values when files disagree (the corpus
# reuses IDs), so per-file attributes are compared with the instance's own DICOM JSON.
instances = {r["sop_instance_uid"]: r for r in c.execute(
    "SELECT i.*, s.*, "
    " json_extract(i.dicom_json, '$.00100020.Value[0]') AS patient_id,"
    " trim(coalesce(json_extract(i.dicom_json, '$.00100010.Value[0].Alphabetic'), '') || '=' ||"
    "  coalesce(json_extract(i.dicom_json, '$.00100010.Value[0].Ideographic'), '') || '=' ||"
    "  coalesce(json_extract(i.dicom_json, '$.00100010.Value[0].Phonetic'), ''), '=') AS patient_name,"
    " json_extract(i.dicom_json, '$.00080020.Value[0]') AS study_date,"
    " json_extract(i.dicom_json, '$.00080050.Value[0]') AS accession_number,"
    " json_extract(i.dicom_json, '$.00081030.Value[0]') AS study_description"
    " FROM instance i JOIN series s USING (series_instance_uid)")}


def text(v):
    if v is None:
        return None
    if isinstance(v, PersonName):
        # pydicom keeps the component groups; DICOM joins them with '=' and drops trailing empties.
        s = "=".join(v.components)
        return s.rstrip("=").strip() or None
    if isinstance(v, pydicom.multival.MultiValue):
        return "\\".join(str(x) for x in v) or None
    s = str(v).strip()
    return s or None


def num(v):
    return None if v in (None, "") else int(v)


seen = compared = names_checked = 0
for corpus in CORPORA:
    for root, _, names in os.walk(corpus):
        for name in names:
            path = os.path.join(root, name)
            seen += 1
            # Nothing vanishes: a file row, and an error row when it is not an instance.
            f = files.get(path)
            if not check(f is not None, f"{path}: no file row"):
                continue
            try:
                ds = pydicom.dcmread(path, stop_before_pixels=True)
                ds.decode()
            except Exception:
                ds = None  # pydicom cannot read it: nothing to compare
            if f["status"] == "rejected":
                check(path in errors and errors[path]["reason"], f"{path}: rejected without a reason")
                if name in KNOWN_REJECTS:
                    rejected_known.add(name)
                elif ds is not None and ds.get("SOPInstanceUID"):
                    check(False, f"{name}: pydicom reads it, dicometl rejected it: "
                                 f"{errors[path]['reason'] if path in errors else '?'}")
                continue
            if ds is None:
                continue
            inst = instances.get(f["sop_instance_uid"])
            if not check(inst is not None, f"{path}: file row without instance"):
                continue
            if inst["file_path"] != path:
                continue  # a duplicate of another file's instance: compared there
            compared += 1
            pairs = [("patient_id", text(ds.get("PatientID"))),
                     ("patient_name", text(ds.get("PatientName"))),
                     ("study_instance_uid", text(ds.get("StudyInstanceUID"))),
                     ("series_instance_uid", text(ds.get("SeriesInstanceUID"))),
                     ("sop_class_uid", text(ds.get("SOPClassUID"))),
                     ("study_date", text(ds.get("StudyDate"))),
                     ("modality", text(ds.get("Modality"))),
                     ("accession_number", text(ds.get("AccessionNumber"))),
                     ("study_description", text(ds.get("StudyDescription"))),
                     ("series_number", num(ds.get("SeriesNumber"))),
                     ("instance_number", num(ds.get("InstanceNumber"))),
                     ("rows", num(ds.get("Rows"))),
                     ("columns", num(ds.get("Columns")))]
            for col, want in pairs:
                got = inst[col]
                if col == "patient_name":
                    got = got or None
                check(got == want, f"{os.path.basename(path)}: {col} = {got!r}, pydicom {want!r}")
            if ds.get("PatientName") and any(ord(ch) > 127 for ch in str(ds.PatientName)):
                names_checked += 1

check(rejected_known == set(KNOWN_REJECTS),
      f"listed as known rejects but read now: {sorted(set(KNOWN_REJECTS) - rejected_known)}")
check(seen == summary["seen"], f"walk saw {summary['seen']} files, os.walk {seen}")
check(compared > 60, f"compared only {compared} files")
check(names_checked >= 12, f"only {names_checked} non-ASCII names compared")
print(f"seen {seen}, compared {compared}, non-ASCII names {names_checked}, errors {len(errors)}")
finish("core_pydicom_oracle")
