#!/usr/bin/python3
"""An archive on a network file system gets reads in flight without being asked: a FUSE mount
(bindfs, the kind of file system sshfs, s3fs and gcsfuse are) makes `ingest` choose --io-depth 16
and say so; the catalog is the one a plain walk of the same files gives; --io-depth 0 turns it
off. Skips (77) where the kernel or container offers no FUSE; fails under CI when bindfs is not
installed."""
import os
import re
import shutil
import subprocess

from common import check, connect, finish, generate, ingest, missing, run, tmpdir

if not shutil.which("bindfs"):
    missing("bindfs (scripts/deps/core.test.txt)")
work = tmpdir()
src, mnt = os.path.join(work, "archive"), os.path.join(work, "mnt")
os.makedirs(mnt)
generate(src, "--patients", "3", "--seed", "8", "--junk", "--realistic-headers")
mount = subprocess.run(["bindfs", "-r", "--no-allow-other", src, mnt], capture_output=True, text=True)
if mount.returncode != 0:
    print(f"no FUSE here ({mount.stderr.strip()}): skipped")
    shutil.rmtree(work)
    raise SystemExit(77)
try:
    fs_type = subprocess.run(["stat", "-f", "-c", "%t", mnt], capture_output=True, text=True).stdout.strip()
    check(fs_type == "65735546", f"the mount is not FUSE: f_type {fs_type}")

    def rows(db, root):
        c = connect(db)
        return sorted((r["sop_instance_uid"], os.path.relpath(r["file_path"], root),
                       r["dicom_json"].replace("file://" + root, "file://ROOT"))
                      for r in c.execute("SELECT sop_instance_uid, file_path, dicom_json FROM instance"))

    # On the FUSE mount, with the progress output a person sees: the choice is said.
    p = run(["ingest", mnt, "--db", f"sqlite:{os.path.join(work, 'fuse.db')}"])
    said = re.search(r"FUSE file system: (\d+) reads in flight", p.stderr)
    check(said and said.group(1) == "16", f"no io-depth note on FUSE: {p.stderr[-400:]}")
    # The same files walked directly: no note, the same catalog.
    p = run(["ingest", src, "--db", f"sqlite:{os.path.join(work, 'plain.db')}"])
    check("reads in flight" not in p.stderr, f"io-depth note on a local disk: {p.stderr[-400:]}")
    fuse_rows, plain_rows = rows(os.path.join(work, "fuse.db"), mnt), rows(os.path.join(work, "plain.db"), src)
    check(len(plain_rows) > 20, f"only {len(plain_rows)} instances")
    check(fuse_rows == plain_rows, "the catalog read through FUSE differs from the plain walk")
    # --io-depth 0 is obeyed.
    p = run(["ingest", mnt, "--db", f"sqlite:{os.path.join(work, 'off.db')}", "--io-depth", "0"])
    check("reads in flight" not in p.stderr, f"--io-depth 0 ignored: {p.stderr[-400:]}")
    summary, _ = ingest([mnt], os.path.join(work, "json.db"))
    check(summary["ingested"] == len(plain_rows), f"--json run: {summary}")
finally:
    subprocess.run(["fusermount", "-u", mnt], capture_output=True)
    subprocess.run(["umount", mnt], capture_output=True)
shutil.rmtree(work, ignore_errors=True)
finish("network_fs")
