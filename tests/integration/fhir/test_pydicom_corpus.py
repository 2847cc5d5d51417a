"""pydicom's own test files (odd, old, broken on purpose): every resource produced validates, and
the studies match what pydicom itself finds (files with SOP, Series and Study Instance UIDs)."""
import os
import shutil

import pydicom

from fhir_common import WORK, check, load_ndjson, run_json, validate

corpus = os.path.join(os.path.dirname(pydicom.__file__), "data", "test_files")
root = os.path.join(WORK, "corpus")
shutil.rmtree(root, ignore_errors=True)
rc, s, _ = run_json(corpus, "--out", f"{root}/nd", "--ndjson", "--devices", "--patients",
                    "--timezone", "UTC")
check(rc in (0, 1), f"exit {rc}")

expected = set()
for dirpath, _, files in os.walk(corpus):
    for f in files:
        try:
            ds = pydicom.dcmread(os.path.join(dirpath, f), stop_before_pixels=True, force=True)
            if ds.get("SOPInstanceUID") and ds.get("SeriesInstanceUID") and ds.get("StudyInstanceUID"):
                expected.add(str(ds.StudyInstanceUID).strip())
        except Exception:
            pass
got = {st["identifier"][-1]["value"][len("urn:oid:"):] for st in load_ndjson(f"{root}/nd", "ImagingStudy")}
missing = expected - got
print(f"pydicom sees {len(expected)} studies, dicometl exported {len(got)}; summary {s}")
# dicometl may reject files pydicom reads leniently (they are counted as failed), never the reverse.
check(got <= expected, f"studies pydicom does not know: {sorted(got - expected)[:5]}")
check(len(missing) <= s["failed"] + s["not_dicom"], f"missing studies not explained: {sorted(missing)[:5]}")
check(len(got) >= 0.8 * len(expected), "most of the corpus converts")
validate(f"{root}/nd")
print("pydicom corpus ok")
