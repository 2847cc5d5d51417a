#!/usr/bin/python3
"""Values in the catalog, on SQLite and on a real PostgreSQL (issue 14 items 3, 4, 5).

Files are written at test time with pydicom, then the text bytes pydicom would not write as they
are (Shift-JIS under ISO_IR 13, invalid UTF-8) are patched into same-length placeholders. One
Part 10 file (read by the fast parser) and one raw dataset without meta header (read by the DCMTK
fallback) carry the same problems:
- a PatientName `Test-ДΘﾈ` in Shift-JIS under ISO_IR 13 reads as pydicom, DCMTK and Orthanc read
  it, with a warning;
- a CS holding a surrogate and a truncated UTF-8 sequence, an LO holding a byte ISO_IR 13 lacks:
  every stored text is valid UTF-8, one U+FFFD per maximal subpart, and a warning says so;
- a 3000-byte private OB and a 70 000-byte UT are BulkDataURIs whose byte ranges hold exactly the
  values written (checked against the bytes pydicom wrote, not against dicometl).
Expected strings come from Python's codecs (shift_jis, utf-8 with errors="replace")."""
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import urllib.parse

import psycopg2

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "core"))
from common import check, finish  # noqa: E402

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
PG_SERVER = os.path.join(REPO, "tests", "support", "pg_server.sh")

NAME = "Test-ДΘﾈ"
NAME_BYTES = NAME.encode("shift_jis")                    # b"Test-\x84D\x83\xa6\xc8"
IMAGE_TYPE = b"ORIGINAL\\X\xed\xa0\x80Y\xe2\x82Z"          # surrogate; truncated sequence
DESCRIPTION = b"A\x80B"                                    # 0x80: neither JIS X 0201 nor Shift-JIS
BINARY = bytes((i * 7) & 0xFF for i in range(3000))
TEXT = b"T" + b"x" * 69999

# Written by pydicom, then patched: the placeholders have the lengths of the padded values.
WRITE = r'''
import sys
import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian
out, part10, uid = sys.argv[1], sys.argv[2] == "1", sys.argv[3]
ds = Dataset()
ds.SpecificCharacterSet = "ISO_IR 13"
ds.ImageType = "P" * 18
ds.SOPClassUID = "1.2.840.10008.5.1.4.1.1.7"
ds.SOPInstanceUID = uid
ds.StudyDate = "20200102"
ds.Modality = "OT"
ds.StudyDescription = "Q" * 4
ds.add_new(0x00090010, "LO", "ACME")
ds.add_new(0x00091001, "OB", bytes(3000))
ds.PatientName = "N" * 10
ds.PatientID = "VALUES-" + uid[-1]
ds.PatientBirthDate = "19700101"
ds.StudyInstanceUID = uid + ".1"
ds.SeriesInstanceUID = uid + ".2"
ds.add_new(0x00204000, "UT", "L" * 70000)  # ImageComments (LT) as UT: a 4-byte length
ds.is_little_endian = True
if part10:
    ds.file_meta = FileMetaDataset()
    ds.file_meta.MediaStorageSOPClassUID = ds.SOPClassUID
    ds.file_meta.MediaStorageSOPInstanceUID = uid
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.is_implicit_VR = False
    ds.save_as(out, write_like_original=False)
else:
    ds.is_implicit_VR = True  # a raw dataset without preamble or meta header: DCMTK reads it
    ds.save_as(out, write_like_original=True)
'''


def write_file(path, part10, uid):
    subprocess.run(["/usr/bin/python3", "-W", "ignore", "-c", WRITE, path, "1" if part10 else "0", uid],
                   check=True)
    with open(path, "rb") as f:
        data = f.read()

    def patch(placeholder, value):
        nonlocal data
        value = value + b" " * (len(placeholder) - len(value))
        assert len(value) == len(placeholder) and data.count(placeholder) == 1, placeholder
        data = data.replace(placeholder, value)

    patch(b"P" * 18, IMAGE_TYPE)
    patch(b"Q" * 4, DESCRIPTION)
    patch(b"N" * 10, NAME_BYTES)
    at = data.index((3000).to_bytes(4, "little") + bytes(3000)) + 4  # the OB's length, then value
    data = data[:at] + BINARY + data[at + 3000:]
    at = data.index(b"L" * 70000)
    data = data[:at] + TEXT + data[at + 70000:]
    with open(path, "wb") as f:
        f.write(data)
    return data


def valid_utf8(b):
    try:
        b.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def expected_text(raw):
    return raw.decode("utf-8", errors="replace")


def check_catalog(label, rows, warnings, files):
    """rows: sop_uid -> dict of catalog values; warnings: path -> reason."""
    for path, (uid, data) in files.items():
        row = rows.get(uid)
        if not check(row is not None, f"{label}: {path} not in the catalog"):
            continue
        check(row["patient_name"] == NAME, f"{label}: {path} name {row['patient_name']!r}")
        want = expected_text(IMAGE_TYPE)
        check(row["image_type"] == want, f"{label}: {path} image_type {row['image_type']!r} != {want!r}")
        check(row["study_description"] == "A\ufffdB",
              f"{label}: {path} description {row['study_description']!r}")
        reason = warnings.get(path, "")
        for words in ("1 text value declared ISO_IR 13 (JIS X 0201) held Shift-JIS",
                      "1 text value held bytes their character set does not define: replaced by U+FFFD",
                      "1 text value of a default-repertoire VR"):
            check(words in reason, f"{label}: {path} warning lacks {words!r}: {reason!r}")
        ds = json.loads(row["dicom_json"])
        for tag, value in (("00091001", BINARY), ("00204000", TEXT)):
            uri = ds.get(tag, {}).get("BulkDataURI", "")
            parsed = urllib.parse.urlsplit(uri)
            query = urllib.parse.parse_qs(parsed.query)
            if not check(parsed.scheme == "file" and "offset" in query and "length" in query,
                         f"{label}: {path} {tag} has no BulkDataURI with a byte range: {ds.get(tag)}"):
                continue
            check(urllib.parse.unquote(parsed.path) == path,
                  f"{label}: {path} {tag} URI names {parsed.path}")
            offset, length = int(query["offset"][0]), int(query["length"][0])
            check(data[offset:offset + length] == value,
                  f"{label}: {path} {tag} bytes at offset {offset}, length {length} are not the value")


def main():
    dicometl = os.path.abspath(sys.argv[1])
    work = tempfile.mkdtemp(prefix="dicometl-values-")
    os.chmod(work, 0o755)  # the server runs as nobody when the tests run as root
    pgdir = os.path.join(work, "pg")
    arch = os.path.join(work, "archive")
    os.makedirs(arch)
    files = {}
    for name, part10, uid in (("fast.dcm", True, "2.25.1401"), ("dcmtk.dcm", False, "2.25.1402")):
        path = os.path.join(arch, name)
        files[path] = (uid, write_file(path, part10, uid))
    try:
        # SQLite: the stored bytes themselves must be UTF-8 (SQLite would keep anything).
        db = os.path.join(work, "catalog.db")
        p = subprocess.run([dicometl, "ingest", arch, "--db", "sqlite:" + db, "-q"],
                           capture_output=True, text=True)
        check(p.returncode == 0, f"sqlite ingest exit {p.returncode}: {p.stderr}")
        con = sqlite3.connect(db)
        con.text_factory = bytes
        for table in ("patient", "study", "series", "instance"):
            cur = con.execute(f"SELECT * FROM {table}")
            names = [d[0] for d in cur.description]
            for r in cur:
                for n, v in zip(names, r):
                    if isinstance(v, bytes):
                        check(valid_utf8(v), f"sqlite: {table}.{n} is not UTF-8: {v[:60]!r}")
        con.text_factory = lambda b: b.decode("utf-8", errors="replace")  # checked above
        rows = {r[0]: dict(zip(("uid", "patient_name", "image_type", "study_description",
                                "dicom_json"), r))
                for r in con.execute(
                    "SELECT i.sop_instance_uid, p.patient_name, i.image_type, st.study_description,"
                    " i.dicom_json FROM instance i JOIN series s USING (series_instance_uid)"
                    " JOIN study st USING (study_instance_uid) JOIN patient p USING (patient_id)")}
        warnings = dict(con.execute("SELECT path, reason FROM ingest_warning"))
        con.close()
        check_catalog("sqlite", rows, warnings, files)
        p = subprocess.run([dicometl, "omop", "--db", "sqlite:" + db, "--load-vocab",
                            "--missing-person", "create"], capture_output=True, text=True)
        check(p.returncode == 0, f"sqlite omop exit {p.returncode}: {p.stderr}")

        subprocess.run([PG_SERVER, "start", pgdir], check=True, stdout=subprocess.PIPE, text=True)
        conninfo = subprocess.run([PG_SERVER, "createdb", pgdir, "catalog"], check=True,
                                  stdout=subprocess.PIPE, text=True).stdout.strip()
        p = subprocess.run([dicometl, "ingest", arch, "--db", conninfo, "-q"],
                           capture_output=True, text=True)
        check(p.returncode == 0, f"postgres ingest exit {p.returncode}: {p.stderr}")
        with psycopg2.connect(conninfo) as c, c.cursor() as cur:
            cur.execute("SELECT i.sop_instance_uid, p.patient_name, i.image_type,"
                        " st.study_description, i.dicom_json FROM instance i"
                        " JOIN series s USING (series_instance_uid)"
                        " JOIN study st USING (study_instance_uid)"
                        " JOIN patient p USING (patient_id)")
            rows = {r[0]: dict(zip(("uid", "patient_name", "image_type", "study_description",
                                    "dicom_json"), r)) for r in cur.fetchall()}
            cur.execute("SELECT path, reason FROM ingest_warning")
            warnings = dict(cur.fetchall())
        check_catalog("postgres", rows, warnings, files)
    finally:
        if os.path.exists(pgdir):
            subprocess.run([PG_SERVER, "stop", pgdir])
        shutil.rmtree(work, ignore_errors=True)
    finish("storage_values_catalog")


if __name__ == "__main__":
    main()
