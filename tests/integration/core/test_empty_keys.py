#!/usr/bin/python3
"""An empty or absent PatientID is a key like any other: whether the run's first file has it or a
later one, the catalog gets the patient row and every instance (it once stopped with exit 3,
FOREIGN KEY constraint failed, when the first instance written had an empty PatientID)."""
import os
import sys

import pydicom
from pydicom.dataset import FileDataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, SecondaryCaptureImageStorage, generate_uid

from common import check, connect, finish, ingest, tmpdir


def write(path, patient_id, study_uid):
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = SecondaryCaptureImageStorage
    meta.MediaStorageSOPInstanceUID = generate_uid()
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds = FileDataset(path, {}, file_meta=meta, preamble=b"\0" * 128)
    ds.SOPClassUID = SecondaryCaptureImageStorage
    ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
    ds.StudyInstanceUID = study_uid
    ds.SeriesInstanceUID = generate_uid()
    ds.Modality = "OT"
    if patient_id is not None:
        ds.PatientID = patient_id
    ds.save_as(path, write_like_original=False)


work = tmpdir()
# Walk order is sorted by path: a_* comes first in each folder.
cases = {
    "empty_first": [("a_empty.dcm", ""), ("b_named.dcm", "P1")],
    "absent_first": [("a_absent.dcm", None), ("b_named.dcm", "P1")],
    "empty_later": [("a_named.dcm", "P1"), ("b_empty.dcm", ""), ("c_empty.dcm", "")],
}
for name, files in cases.items():
    folder = os.path.join(work, name)
    os.makedirs(folder)
    study = generate_uid()
    for fname, pid in files:
        write(os.path.join(folder, fname), pid, study if pid else generate_uid())
    db = os.path.join(work, name + ".db")
    summary, code = ingest([folder], db)
    check(code == 0, f"{name}: exit {code}, want 0 ({summary})")
    c = connect(db)
    n = c.execute("SELECT count(*) FROM instance").fetchone()[0]
    check(n == len(files), f"{name}: {n} instances, want {len(files)}")
    ids = sorted(r[0] for r in c.execute("SELECT patient_id FROM patient"))
    want = sorted({pid or "" for _, pid in files})
    check(ids == want, f"{name}: patients {ids}, want {want}")

finish(os.path.basename(sys.argv[0]))
