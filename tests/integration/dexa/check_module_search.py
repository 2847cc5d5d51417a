#!/usr/bin/python3
"""The OCR module is looked for only beside the binary, in ../lib/dicometl, or in
DICOMETL_MODULE_DIR: never in the build folder compiled into the binary (where anyone able to
write there could plant a module). A copy of the binary in a fresh folder must not find it.
usage: check_module_search.py DICOMETL MODULE_DIR WORK"""
import os
import shutil
import subprocess
import sys

dicometl, module_dir, work = sys.argv[1], sys.argv[2], sys.argv[3]
shutil.rmtree(work, ignore_errors=True)
os.makedirs(os.path.join(work, "bin"))
os.makedirs(os.path.join(work, "in"))
copy = os.path.join(work, "bin", "dicometl")
shutil.copy(dicometl, copy)
shutil.copy("/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm", os.path.join(work, "in"))
env = {k: v for k, v in os.environ.items() if k != "DICOMETL_MODULE_DIR"}
failures = 0
p = subprocess.run([copy, "dexa", os.path.join(work, "in"), "--csv", os.path.join(work, "out.csv")],
                   capture_output=True, text=True, env=env)
if p.returncode != 3 or "was not found" not in p.stderr:
    print(f"FAIL: a copied binary found an OCR module (exit {p.returncode}): {p.stderr.strip()}")
    failures += 1
p = subprocess.run([copy, "dexa", os.path.join(work, "in"), "--csv", os.path.join(work, "out.csv")],
                   capture_output=True, text=True, env=dict(env, DICOMETL_MODULE_DIR=module_dir))
if p.returncode != 0:
    print(f"FAIL: DICOMETL_MODULE_DIR={module_dir} not used (exit {p.returncode}): {p.stderr.strip()}")
    failures += 1
print("module search:", "ok" if not failures else f"{failures} failure(s)")
sys.exit(1 if failures else 0)
