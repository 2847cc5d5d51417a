#!/usr/bin/python3
"""Reference pipeline for the benchmarks: DICOM folder -> PostgreSQL, the way the seed projects
(DICOMtoRCDMtable.py, Quire) do it: pydicom.dcmread(stop_before_pixels=True) per file and one
cursor.execute per row (no batching, no COPY), a single transaction committed at the end.

  pydicom_psycopg2.py DIR CONNINFO        e.g. CONNINFO = "host=/tmp dbname=bench" or a postgresql:// URL

Same tables, extraction and counting as pydicom_sqlite.py (imported from beside this file); rows
already present are skipped with ON CONFLICT DO NOTHING. The last line printed is:
files=N seconds=S files_per_s=R. Needs Debian's python3-pydicom and python3-psycopg2.
"""
import os
import sys
import time

import psycopg2

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pydicom_sqlite import SCHEMA, insert_statements, load  # noqa: E402  (same folder)


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    root, conninfo = argv[1], argv[2]
    started = time.perf_counter()
    connection = psycopg2.connect(conninfo)
    with connection.cursor() as cursor:
        cursor.execute(SCHEMA)  # CREATE TABLE IF NOT EXISTS: the same DDL works in PostgreSQL
        statements = insert_statements("%s", ("", " ON CONFLICT DO NOTHING"))
        files, instances, skipped = load(root, cursor, statements)
    connection.commit()
    connection.close()
    seconds = time.perf_counter() - started
    print(f"instances={instances} skipped={skipped}")
    print(f"files={files} seconds={seconds:.3f} files_per_s={files / seconds if seconds else 0:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
