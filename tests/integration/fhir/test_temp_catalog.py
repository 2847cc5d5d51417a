#!/usr/bin/python3
"""`dicometl fhir FOLDER` without --db keeps its temporary catalog in a private folder (mkdtemp,
mode 0700) under TMPDIR, removed afterwards; not as a predictable /tmp/dicometl-fhir-PID-N.db
that other users can read. Seen from outside, in the system calls (strace).
usage: test_temp_catalog.py DICOMETL WORK"""
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "core"))
from common import check, finish, missing  # noqa: E402

dicometl, work = sys.argv[1], sys.argv[2]
if not shutil.which("strace"):
    missing("strace (apt-get install strace)")
shutil.rmtree(work, ignore_errors=True)
tmp = os.path.join(work, "tmp")
os.makedirs(tmp)
src = os.path.join(work, "src")
os.makedirs(src)
shutil.copy("/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm", src)
trace = os.path.join(work, "trace")
p = subprocess.run(["strace", "-f", "-e", "trace=mkdir,openat", "-o", trace, dicometl, "fhir", src,
                    "--out", os.path.join(work, "out"), "-q"],
                   capture_output=True, text=True, env=dict(os.environ, TMPDIR=tmp))
check(p.returncode == 0, f"fhir exit {p.returncode}: {p.stderr}")
calls = open(trace).read()
dirs = re.findall(r'mkdir\("(%s/[^"]+)", 0700\)' % re.escape(tmp), calls)
dbs = set(re.findall(r'openat\(AT_FDCWD, "(%s/[^"]+?)(?:-wal|-shm|-journal)?", [^)]*O_CREAT' % re.escape(tmp), calls))
print(f"private folders: {dirs}; files created under TMPDIR: {sorted(dbs)}")
check(len(dirs) == 1, "one private folder (mode 0700) made under TMPDIR")
check(dbs and all(os.path.dirname(d) in dirs for d in dbs),
      "every file under TMPDIR is created inside that private folder")
check(os.listdir(tmp) == [], f"TMPDIR left with {os.listdir(tmp)}")
finish("fhir temp catalog")
