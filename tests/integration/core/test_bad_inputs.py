#!/usr/bin/python3
"""Bad input never crashes a run and never vanishes: empty files, random bytes, truncations at many
offsets, lengths past end of file, 50,000-deep sequence nesting, odd lengths, FIFOs, broken and
looping links, and (as an unprivileged user) unreadable files and folders. Each ends as a row with
a kind the generator says is acceptable, and a reason."""
import json
import os
import shutil
import subprocess
import sys

from common import BAD_INPUTS, check, connect, dicometl_path, finish, generate, ingest, tmpdir

work = tmpdir()
good = generate(os.path.join(work, "good"), "--patients", "1", "--plain", "--seed", "5")
source = os.path.join(work, "good", good["instances"][0]["path"])
bad = os.path.join(work, "bad")
subprocess.run([sys.executable, BAD_INPUTS, "--out", bad, "--from", source], check=True,
               capture_output=True)
with open(os.path.join(bad, "expected.json"), encoding="utf-8") as f:
    expected = json.load(f)
entries = expected["files"]

# Extra hazards the generator cannot put in a folder of plain files.
os.mkfifo(os.path.join(bad, "a_fifo.dcm"))
os.symlink("/nonexistent/target.dcm", os.path.join(bad, "broken_link.dcm"))
os.makedirs(os.path.join(bad, "loop"))
os.symlink("..", os.path.join(bad, "loop", "back_up"))

db = os.path.join(work, "bad.db")
summary, rc = ingest([bad], db)
check(rc == 1, f"exit code 1 (done, with rejects), got {rc}")
c = connect(db)
outcome = {}
for r in c.execute("SELECT path, kind, reason FROM ingest_error"):
    check(bool(r["reason"]), f"{r['path']}: empty reason")
    outcome[r["path"]] = r["kind"]
# Truncated copies of one file share its SOP Instance UID: the first is the instance, the others
# are recorded as duplicates of it. Both count as "catalogued".
for r in c.execute("SELECT path FROM file WHERE status IN ('ingested', 'duplicate')"):
    outcome[r["path"]] = "instance"

for e in entries:
    path = os.path.join(bad, e["path"])
    ok = e.get("acceptable", [])
    if "ignored" in ok:
        continue
    got = outcome.get(path)
    check(got is not None, f"{e['path']}: vanished (no instance, no error row)")
    if got is not None and ok:
        check(got in ok, f"{e['path']}: {got}, acceptable {ok} ({e.get('description', '')})")

deep = [p for p in outcome if "deep" in os.path.basename(p)]
check(deep and all(outcome[p] == "corrupt" for p in deep), f"deep nesting rejected as corrupt: {deep}")
fifo = c.execute("SELECT reason FROM ingest_error WHERE path LIKE '%a_fifo.dcm'").fetchone()
check(fifo is not None and "not a regular file" in fifo[0], "FIFO reported, not opened")
link = c.execute("SELECT reason FROM ingest_error WHERE path LIKE '%broken_link.dcm'").fetchone()
check(link is not None and "broken symbolic link" in link[0], "broken link reported")


# Unreadable files and folders: root reads everything, so run as 'nobody'.
if os.geteuid() == 0 and shutil.which("setpriv"):
    locked = os.path.join(work, "locked")
    os.makedirs(os.path.join(locked, "closed_folder"))
    shutil.copy(source, os.path.join(locked, "closed_folder", "x.dcm"))
    shutil.copy(source, os.path.join(locked, "closed_file.dcm"))
    os.chmod(os.path.join(locked, "closed_file.dcm"), 0)
    os.chmod(os.path.join(locked, "closed_folder"), 0)
    out = os.path.join(work, "out")
    os.makedirs(out)
    for d in (work, locked, out):
        os.chmod(d, 0o777)
    os.chmod(os.path.dirname(dicometl_path()), 0o755)
    p = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                        dicometl_path(), "ingest", locked, "--db", f"sqlite:{out}/locked.db", "--json"],
                       capture_output=True, text=True)
    check(p.returncode == 1, f"unprivileged run exit code {p.returncode}: {p.stderr}")
    lc = connect(os.path.join(out, "locked.db"))
    reasons = {os.path.basename(r[0]): r[1] for r in lc.execute("SELECT path, reason FROM ingest_error")}
    check("Permission denied" in reasons.get("closed_file.dcm", ""), f"closed file: {reasons}")
    check("cannot read folder" in reasons.get("closed_folder", ""), f"closed folder: {reasons}")
else:
    print("not root or no setpriv: permission cases skipped")
finish("core_bad_inputs")
