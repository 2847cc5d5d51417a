#!/usr/bin/python3
"""Reference pipeline for the benchmarks: DICOM folder -> SQLite, written the way the seed projects
(Quire) do it: walk the folder, pydicom.dcmread(stop_before_pixels=True) per file, pick the
patient/study/series/instance attributes, INSERT OR IGNORE row by row, one transaction, commit at
the end. Deliberately plain: it is the baseline dicometl is compared against, not a tool.

  pydicom_sqlite.py DIR DB.sqlite

Tables are created if absent (re-running over the same DB inserts nothing new). Files that are not
DICOM, cannot be parsed, or lack a SOP Instance UID (e.g. DICOMDIR) or another key (Patient ID,
Study/Series Instance UID) are counted and skipped.
The last line printed is: files=N seconds=S files_per_s=R (N = every file walked).
Needs Debian's python3-pydicom.
"""
import os
import sqlite3
import sys
import time

import pydicom

SCHEMA = """
CREATE TABLE IF NOT EXISTS patient (
    patient_id TEXT PRIMARY KEY,
    patient_name TEXT,
    patient_sex TEXT,
    patient_birth_date TEXT
);
CREATE TABLE IF NOT EXISTS study (
    study_instance_uid TEXT PRIMARY KEY,
    patient_id TEXT REFERENCES patient (patient_id),
    study_date TEXT,
    study_time TEXT,
    study_description TEXT,
    accession_number TEXT
);
CREATE TABLE IF NOT EXISTS series (
    series_instance_uid TEXT PRIMARY KEY,
    study_instance_uid TEXT REFERENCES study (study_instance_uid),
    series_number INTEGER,
    modality TEXT,
    body_part_examined TEXT,
    series_description TEXT
);
CREATE TABLE IF NOT EXISTS instance (
    sop_instance_uid TEXT PRIMARY KEY,
    series_instance_uid TEXT REFERENCES series (series_instance_uid),
    sop_class_uid TEXT,
    instance_number INTEGER,
    slice_thickness REAL,
    pixel_spacing TEXT,
    rows INTEGER,
    columns INTEGER,
    manufacturer TEXT,
    manufacturer_model_name TEXT,
    file_path TEXT,
    file_size INTEGER
);
"""

# (table, columns) in insert order; the values come from extract() in the same order.
TABLES = {
    "patient": ("patient_id", "patient_name", "patient_sex", "patient_birth_date"),
    "study": ("study_instance_uid", "patient_id", "study_date", "study_time", "study_description",
              "accession_number"),
    "series": ("series_instance_uid", "study_instance_uid", "series_number", "modality",
               "body_part_examined", "series_description"),
    "instance": ("sop_instance_uid", "series_instance_uid", "sop_class_uid", "instance_number",
                 "slice_thickness", "pixel_spacing", "rows", "columns", "manufacturer",
                 "manufacturer_model_name", "file_path", "file_size"),
}


def walk_files(root):
    """Every regular file under root, in a stable order."""
    for directory, subdirs, files in os.walk(root):
        subdirs.sort()
        for name in sorted(files):
            yield os.path.join(directory, name)


def text(ds, keyword):
    """str of a value (PersonName decoded by pydicom); None when absent, '' when empty."""
    value = ds.get(keyword)
    # NUL can come from damaged files, and PostgreSQL refuses it in text
    return None if value is None else str(value).replace("\0", "")


def number(ds, keyword, kind):
    value = ds.get(keyword)
    if value is None or value == "":
        return None
    try:
        return kind(value)
    except (TypeError, ValueError):
        return None


def extract(path):
    """Rows for the four tables from one file, or None when it is not a usable DICOM instance."""
    try:
        ds = pydicom.dcmread(path, stop_before_pixels=True)
    except Exception:  # not DICOM, truncated, nested too deep (RecursionError), ...
        return None
    try:
        sop_instance_uid = text(ds, "SOPInstanceUID")
        keys = (text(ds, "PatientID"), text(ds, "StudyInstanceUID"), text(ds, "SeriesInstanceUID"))
        if not sop_instance_uid or None in keys:
            return None  # e.g. DICOMDIR, or a truncated header: no row without its keys
        spacing = ds.get("PixelSpacing")
        return {
            "patient": (text(ds, "PatientID"), text(ds, "PatientName"), text(ds, "PatientSex"),
                        text(ds, "PatientBirthDate")),
            "study": (text(ds, "StudyInstanceUID"), text(ds, "PatientID"), text(ds, "StudyDate"),
                      text(ds, "StudyTime"), text(ds, "StudyDescription"), text(ds, "AccessionNumber")),
            "series": (text(ds, "SeriesInstanceUID"), text(ds, "StudyInstanceUID"),
                       number(ds, "SeriesNumber", int), text(ds, "Modality"),
                       text(ds, "BodyPartExamined"), text(ds, "SeriesDescription")),
            "instance": (sop_instance_uid, text(ds, "SeriesInstanceUID"), text(ds, "SOPClassUID"),
                         number(ds, "InstanceNumber", int), number(ds, "SliceThickness", float),
                         "\\".join(str(v) for v in spacing) if spacing else None,
                         number(ds, "Rows", int), number(ds, "Columns", int),
                         text(ds, "Manufacturer"), text(ds, "ManufacturerModelName"),
                         path, os.path.getsize(path)),
        }
    except Exception:  # a value pydicom cannot decode (bad charset, malformed number, ...)
        return None


def insert_statements(placeholder, conflict_clause):
    """INSERT statements per table for a DB-API paramstyle."""
    return {
        table: f"INSERT {conflict_clause[0]}INTO {table} ({', '.join(columns)}) "
               f"VALUES ({', '.join([placeholder] * len(columns))}){conflict_clause[1]}"
        for table, columns in TABLES.items()
    }


def load(root, cursor, statements):
    """Walk root and insert every instance; returns (files, instances, skipped)."""
    files = instances = skipped = 0
    for path in walk_files(root):
        files += 1
        rows = extract(path)
        if rows is None:
            skipped += 1
            continue
        for table in ("patient", "study", "series", "instance"):
            cursor.execute(statements[table], rows[table])
        instances += 1
    return files, instances, skipped


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    root, db_path = argv[1], argv[2]
    started = time.perf_counter()
    connection = sqlite3.connect(db_path)
    connection.executescript(SCHEMA)
    cursor = connection.cursor()
    statements = insert_statements("?", ("OR IGNORE ", ""))
    files, instances, skipped = load(root, cursor, statements)
    connection.commit()
    connection.close()
    seconds = time.perf_counter() - started
    print(f"instances={instances} skipped={skipped}")
    print(f"files={files} seconds={seconds:.3f} files_per_s={files / seconds if seconds else 0:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
