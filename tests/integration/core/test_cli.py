#!/usr/bin/python3
"""The command line: documented exit codes, help with examples, dump's record equals pydicom's."""
import json
import os

import pydicom

from common import check, finish, run, tmpdir

CT = "/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm"
work = tmpdir()

p = run(["--help"], expect=(0,))
check("ingest" in p.stdout and "Exit codes" in p.stdout, "top-level help lists commands and exit codes")
p = run(["ingest", "--help"], expect=(0,))
check("Examples" in p.stdout, "ingest --help has examples")
check(run(["--version"], expect=(0,)).stdout.startswith("dicometl "), "--version")
run(["ingest"], expect=(2,))                      # missing paths: usage error
run(["no-such-command"], expect=(2,))
run(["ingest", work, "--db", "mysql://x"], expect=(3,))  # unknown database: fatal
run(["ingest", work, "--db", f"sqlite:{work}/missing/dir/x.db"], expect=(3,))

clean = os.path.join(work, "clean")
os.makedirs(clean)
os.symlink(CT, os.path.join(clean, "ct.dcm"))
run(["ingest", clean, "--db", f"sqlite:{work}/ok.db"], expect=(0,))  # nothing rejected: 0

rec = json.loads(run(["dump", CT], expect=(0,)).stdout)
ds = pydicom.dcmread(CT, stop_before_pixels=True)
check(rec["outcome"] == "instance", "dump reads CT_small")
check(rec["patient_name"] == str(ds.PatientName), "dump patient name")
check(rec["sop_instance_uid"] == ds.SOPInstanceUID, "dump SOP Instance UID")
check(rec["rows"] == ds.Rows and rec["columns"] == ds.Columns, "dump rows/columns")
check(rec["dataset"]["00080060"]["Value"] == [ds.Modality], "dump dataset keeps every element")
check(len(rec["dataset"]) >= len([e for e in ds if e.tag.group != 0x7FE0]), "dump has all top-level elements")
check("7FE00010" not in rec["dataset"], "no pixel data in the header record")

junk = os.path.join(work, "junk.txt")
with open(junk, "w") as f:
    f.write("not an image\n" * 20)
rec = json.loads(run(["dump", junk], expect=(1,)).stdout)
check(rec["outcome"] == "rejected" and rec["kind"] == "not_dicom", "dump of a text file says not_dicom")
finish("core_cli")
