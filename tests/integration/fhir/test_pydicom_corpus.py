"""pydicom's own test files (odd, old, broken on purpose): every resource produced validates, and
the studies match what pydicom itself finds (files with SOP, Series and Study Instance UIDs)."""
import os
import shutil

import pydicom

from fhir_common import WORK, check, load_ndjson, run_json, validate

corpus = os.path.join(os.path.dirname(pydicom.__file__), "data", "test_files")
# Files pydicom reads with all three UIDs whose study dicometl may leave out, by name, with the
# reason. Empty today: every study pydicom finds is exported. A new entry needs a reason.
KNOWN_EXCEPTIONS = {}
root = os.path.join(WORK, "corpus")
shutil.rmtree(root, ignore_errors=True)
rc, s, _ = run_json(corpus, "--out", f"{root}/nd", "--ndjson", "--devices", "--patients",
                    "--timezone", "UTC")
check(rc in (0, 1), f"exit {rc}")

expected, excused = set(), set()
for dirpath, _, files in os.walk(corpus):
    for f in files:
        try:
            ds = pydicom.dcmread(os.path.join(dirpath, f), stop_before_pixels=True, force=True)
            if ds.get("SOPInstanceUID") and ds.get("SeriesInstanceUID") and ds.get("StudyInstanceUID"):
                (excused if f in KNOWN_EXCEPTIONS else expected).add(str(ds.StudyInstanceUID).strip())
        except Exception:
            pass
got = {st["identifier"][-1]["value"][len("urn:oid:"):] for st in load_ndjson(f"{root}/nd", "ImagingStudy")}
missing = expected - got
print(f"pydicom sees {len(expected)} studies, dicometl exported {len(got)}; summary {s}")
# Every study pydicom finds is exported (none may drop out silently), and nothing else.
check(not missing, f"studies pydicom reads but dicometl did not export: {sorted(missing)[:5]}")
check(got <= expected | excused, f"studies pydicom does not know: {sorted(got - expected - excused)[:5]}")
validate(f"{root}/nd")
print("pydicom corpus ok")
