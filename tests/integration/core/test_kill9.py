#!/usr/bin/python3
"""Crash safety: kill -9 an ingest at several moments, re-run, and the catalog equals the one an
uninterrupted run writes (run ids and timestamps aside)."""
import os
import random
import signal
import sqlite3
import subprocess
import time

from common import check, dicometl_path, finish, generate, ingest, tmpdir

work = tmpdir()
arch = os.path.join(work, "archive")
generate(arch, "--patients", "60", "--seed", "9", "--junk", "--instances", "10-30")

ref_db = os.path.join(work, "reference.db")
ingest([arch], ref_db)

TABLES = {
    "patient": "SELECT * FROM patient ORDER BY patient_id",
    "study": "SELECT * FROM study ORDER BY study_instance_uid",
    "series": "SELECT * FROM series ORDER BY series_instance_uid",
    "instance": "SELECT * FROM instance ORDER BY sop_instance_uid",
    "file": "SELECT path, dir, size, mtime_ns, status, sop_instance_uid FROM file ORDER BY path",
    "ingest_error": "SELECT path, kind, reason, size, mtime_ns FROM ingest_error ORDER BY path",
}


def snapshot(db):
    c = sqlite3.connect(db)
    out = {}
    for name, sql in TABLES.items():
        cur = c.execute(sql)
        cols = [d[0] for d in cur.description]
        keep = [i for i, col in enumerate(cols) if col != "run_id"]
        out[name] = [tuple(row[i] for i in keep) for row in cur]
    return out


reference = snapshot(ref_db)
check(len(reference["instance"]) > 500, f"reference has {len(reference['instance'])} instances")

db = os.path.join(work, "killed.db")
rng = random.Random(4)
kills = 0
for attempt in range(8):
    p = subprocess.Popen([dicometl_path(), "ingest", arch, "--db", f"sqlite:{db}", "--batch", "40",
                          "-q"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(rng.uniform(0.02, 0.25))
    if p.poll() is None:
        os.kill(p.pid, signal.SIGKILL)
        kills += 1
    p.wait()
check(kills >= 3, f"only {kills} runs were killed mid-way: archive too small for this machine")
summary, _ = ingest([arch], db)
after = snapshot(db)
for name in TABLES:
    check(after[name] == reference[name],
          f"{name}: {len(after[name])} rows after kills vs {len(reference[name])} uninterrupted"
          + ("" if len(after[name]) != len(reference[name]) else " (same count, different content)"))
runs = sqlite3.connect(db).execute("SELECT count(*) FROM ingest_run WHERE status = 'running'").fetchone()[0]
# A kill can land before the run row is committed or after it is closed: at most one per kill.
check(1 <= runs <= kills, f"{runs} runs left 'running' for {kills} kills")
print(f"{kills} kills, final run: {summary}")
finish("core_kill9")
