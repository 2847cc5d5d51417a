"""Helpers shared by the FHIR integration tests: run dicometl, write small DICOM files with
pydicom (Debian python3-pydicom), validate outputs with the independent validators (validate.mjs).
Expected values come from what the tests write or from the generator's manifest, never from
dicometl itself."""
import hashlib
import json
import os
import subprocess
import sys

DICOMETL = os.environ["DICOMETL"]
VALIDATOR_DIR = os.environ["FHIR_VALIDATOR_DIR"]  # where the fixture ran `npm ci`
WORK = os.environ["FHIR_WORK"]

import warnings  # noqa: E402

import pydicom  # noqa: E402

warnings.filterwarnings("ignore", module="pydicom")
from pydicom.dataset import Dataset, FileDataset, FileMetaDataset  # noqa: E402
from pydicom.sequence import Sequence  # noqa: E402
from pydicom.uid import ExplicitVRLittleEndian  # noqa: E402

CT = "1.2.840.10008.5.1.4.1.1.2"
BASIC_TEXT_SR = "1.2.840.10008.5.1.4.1.1.88.11"


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def check(cond, msg):
    if not cond:
        fail(msg)


def sha(text):
    return hashlib.sha256(text.encode()).hexdigest()


def run(*args, expect=None):
    """Runs dicometl; returns (exit code, stdout, stderr)."""
    p = subprocess.run([DICOMETL, "fhir", *args], capture_output=True, text=True)
    if expect is not None and p.returncode != expect:
        fail(f"dicometl {' '.join(args)} -> {p.returncode}, expected {expect}\n{p.stdout}\n{p.stderr}")
    return p.returncode, p.stdout, p.stderr


def run_json(*args, expect=None):
    rc, out, err = run(*args, "--json", expect=expect)
    return rc, json.loads(out.strip().splitlines()[-1]), err


def validate(*paths):
    """Every resource under `paths` must pass both validators with zero errors."""
    p = subprocess.run(["node", os.path.join(VALIDATOR_DIR, "validate.mjs"), *paths],
                       capture_output=True, text=True, cwd=VALIDATOR_DIR)
    print(p.stdout.strip().splitlines()[-1] if p.stdout.strip() else p.stderr)
    if p.returncode != 0:
        fail("validator: " + p.stdout[-4000:] + p.stderr[-2000:])


def load_dir(path):
    """resourceType -> {id: resource} from a --out folder of files."""
    out = {}
    for f in sorted(os.listdir(path)):
        if f.endswith(".json"):
            r = json.load(open(os.path.join(path, f)))
            out.setdefault(r["resourceType"], {})[r["id"]] = r
    return out


def load_ndjson(path, rtype):
    f = os.path.join(path, rtype + ".ndjson")
    return [json.loads(line) for line in open(f)] if os.path.exists(f) else []


def code_item(value, scheme, meaning):
    d = Dataset()
    d.CodeValue, d.CodingSchemeDesignator, d.CodeMeaning = value, scheme, meaning
    return d


def write_dicom(path, study, series, sop, sop_class=CT, **fields):
    """A small DICOM file (no pixel data) with the given UIDs and any other keywords."""
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = sop_class
    meta.MediaStorageSOPInstanceUID = sop or "1.2.3.999"
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds = FileDataset(path, {}, file_meta=meta, preamble=b"\0" * 128)
    ds.SOPClassUID = sop_class
    if sop:
        ds.SOPInstanceUID = sop
    if study:
        ds.StudyInstanceUID = study
    if series:
        ds.SeriesInstanceUID = series
    ds.PatientID = fields.pop("PatientID", "PID-1")
    ds.PatientName = fields.pop("PatientName", "Doe^Jane")
    ds.Modality = fields.pop("Modality", "CT")
    for k, v in fields.items():
        setattr(ds, k, v)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    ds.is_little_endian, ds.is_implicit_VR = True, False
    ds.save_as(path, write_like_original=False)
