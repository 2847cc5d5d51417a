#!/usr/bin/python3
"""--io-depth (first bytes read ahead of the parsing threads) changes how files are read, never what
the catalog holds: a quirky archive (every transfer syntax, deflated and big endian included,
realistic headers, junk files) plus files whose header is longer than the read-ahead, files that
end inside their header and an empty file give the same instance rows, DICOM JSON and reject rows
with --io-depth 0, 1 and 7."""
import os
import shutil

import pydicom  # Debian's, as the generator

from common import check, connect, finish, generate, ingest, tmpdir

work = tmpdir()
arch = os.path.join(work, "archive")
generate(arch, "--patients", "6", "--seed", "5", "--junk", "--realistic-headers")
extra = os.path.join(arch, "extra")
os.makedirs(extra)
files = sorted(os.path.join(d, f) for d, _, fs in os.walk(arch) for f in fs if f.endswith(".dcm"))
# A header far longer than any first read (a 50 KB Image Comments before Pixel Data).
ds = pydicom.dcmread(files[0])
ds.ImageComments = "x" * 50000
ds.SOPInstanceUID = ds.SOPInstanceUID + ".1"
ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
ds.save_as(os.path.join(extra, "long_header.dcm"), write_like_original=False)
long_bytes = open(os.path.join(extra, "long_header.dcm"), "rb").read()
# Files that end inside their header (corrupt as stored, not changed after the walk).
for cut in (200, 3000, 9000, 30000):
    with open(os.path.join(extra, f"cut_{cut}.dcm"), "wb") as f:
        f.write(long_bytes[:cut])
open(os.path.join(extra, "empty.dcm"), "wb").close()
# A Latin-1 name (not UTF-8): the catalog stores it escaped, the read-ahead must open its bytes.
ds = pydicom.dcmread(files[1])
ds.SOPInstanceUID = ds.SOPInstanceUID + ".2"
ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
with open(os.path.join(os.fsencode(extra), b"caf\xe9.dcm"), "wb") as f:
    ds.save_as(f, write_like_original=False)

def catalog(depth):
    db = os.path.join(work, f"catalog-{depth}.db")
    summary, rc = ingest([arch], db, extra=("--io-depth", str(depth), "-j", "2"))
    c = connect(db)
    instances = sorted((r["sop_instance_uid"], r["file_path"], r["dicom_json"])
                       for r in c.execute("SELECT * FROM instance"))
    errors = sorted((r["path"], r["kind"], r["reason"])
                    for r in c.execute("SELECT path, kind, reason FROM ingest_error"))
    return summary, rc, instances, errors

base = catalog(0)
check(base[0]["ingested"] > 50, f"only {base[0]['ingested']} instances ingested")
check(any(p.endswith("long_header.dcm") for _, p, _ in base[2]), "long header file catalogued")
check(sum(1 for p, _, _ in base[3] if "/extra/cut_" in p) == 4, f"cut files rejected: {base[3]}")
check(any(p.endswith("/extra/caf\\xE9.dcm") for _, p, _ in base[2]), "Latin-1 name catalogued")
for depth in (1, 7):
    got = catalog(depth)
    check(got[0] == {**base[0], "seconds": got[0]["seconds"], "files_per_second": got[0]["files_per_second"]},
          f"--io-depth {depth}: summary {got[0]} vs {base[0]}")
    check(got[1] == base[1], f"--io-depth {depth}: exit code {got[1]} vs {base[1]}")
    check(got[2] == base[2], f"--io-depth {depth}: instance rows differ")
    check(got[3] == base[3], f"--io-depth {depth}: reject rows differ: {got[3]} vs {base[3]}")
shutil.rmtree(work)
finish("io_depth")
