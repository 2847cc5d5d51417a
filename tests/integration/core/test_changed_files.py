#!/usr/bin/python3
"""Files that change under a run, stop signals and FIFOs: every case must end, within a bounded
time (a timeout is a failure), with the right rows and exit code (issue 13, items 1 and 2).

Files are changed between the walk and the read deterministically, with the test hook
DICOMETL_TEST_READ_GATE: the run creates GATE.walked once the walk is over, and a reader waits
before the file of walk index i while GATE does not exist or holds a number n <= i."""
import json
import os
import signal
import sqlite3
import subprocess
import time

from common import check, dicometl_path, finish, generate, tmpdir, wait_for

TIMEOUT = 60  # seconds; the runs below take about one second when nothing hangs

work = tmpdir()


def start_gated(paths, db, gate, extra=()):
    env = dict(os.environ, DICOMETL_TEST_READ_GATE=gate)
    return subprocess.Popen([dicometl_path(), "ingest", *paths, "--db", f"sqlite:{db}", "--json", "-q",
                             *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def finish_run(p, what):
    try:
        out, err = p.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        p.kill()
        p.communicate()
        check(False, f"{what}: still running after {TIMEOUT} s (hang)")
        return None, "", ""
    return p.returncode, out, err


# --- 1. Files truncated (or swapped for a FIFO) between the walk and the read -----------------------
arch = os.path.join(work, "shrinking")
manifest = generate(arch, "--patients", "4", "--seed", "13", "--instances", "4-6", "--syntax-mix", "off")
files = sorted(os.path.join(arch, i["path"]) for i in manifest["instances"])
check(len(files) >= 20, f"only {len(files)} files generated")
# Sizes that end inside the preamble, the meta header, the dataset, and at zero bytes.
cuts = {files[0]: 300, files[3]: 0, files[5]: 100, files[8]: 131, files[11]: 200, files[-1]: 600}
gate = os.path.join(work, "gate")
db = os.path.join(work, "shrinking.db")
p = start_gated([arch], db, gate, ["-j", "2"])
if wait_for(lambda: os.path.exists(gate + ".walked") or p.poll() is not None, TIMEOUT, "the walk"):
    for path, size in cuts.items():
        os.truncate(path, size)  # in place, as a tool rewriting files would
    fifo_victim = files[14]
    os.unlink(fifo_victim)
    os.mkfifo(fifo_victim)  # a read would block forever on it
    open(gate, "w").close()
    code, out, err = finish_run(p, "ingest of files truncated after the walk")
    check(code == 1, f"truncated files: exit {code}, expected 1 (done with rejects); {err.strip()}")
    c = sqlite3.connect(db)
    errors = dict(c.execute("SELECT path, reason FROM ingest_error"))
    for path in list(cuts) + [fifo_victim]:
        reason = errors.get(path, "")
        check(reason.startswith("changed while reading"), f"{os.path.basename(path)}: reason {reason!r}")
    n = c.execute("SELECT count(*) FROM instance").fetchone()[0]
    check(n == len(files) - len(cuts) - 1, f"{n} instances, expected {len(files) - len(cuts) - 1}")
    changed = [p for p, r in errors.items() if r.startswith("changed while reading")]
    check(len(changed) == len(cuts) + 1, f"{len(changed)} files rejected as changed: {changed[:3]}")
    # A re-run reads them again (the catalog keyed them by the walked size, which changed).
    os.unlink(fifo_victim)
    rerun = subprocess.run([dicometl_path(), "ingest", arch, "--db", f"sqlite:{db}", "--json"],
                           capture_output=True, text=True, timeout=TIMEOUT)
    summary = json.loads(rerun.stdout.strip().splitlines()[-1])
    check(summary["unchanged"] == len(files) - len(cuts) - 1, f"re-run: {summary}")

# --- 2. SIGTERM while reads are held: ends promptly, exit 3, what was written is committed ----------
arch2 = os.path.join(work, "many")
total = len(generate(arch2, "--patients", "12", "--seed", "14", "--instances", "8-12",
                     "--syntax-mix", "off")["instances"])
gate2 = os.path.join(work, "gate2")
db2 = os.path.join(work, "stopped.db")
with open(gate2, "w") as f:
    f.write("128")  # two batches of 64 are read and committed, then the readers wait
p = start_gated([arch2], db2, gate2, ["-j", "1", "--batch", "20"])


def committed():
    try:
        with sqlite3.connect(f"file:{db2}?mode=ro", uri=True, timeout=0.1) as c:
            return c.execute("SELECT count(*) FROM instance").fetchone()[0]
    except sqlite3.Error:
        return 0


# Once 128 files are committed and the readers wait, ask the run to stop.
if wait_for(lambda: committed() == 128 or p.poll() is not None, TIMEOUT, "128 committed files"):
    check(p.poll() is None, f"the run ended before it could be stopped ({total} files)")
    time.sleep(0.3)
    stopped_at = time.monotonic()
    p.send_signal(signal.SIGTERM)
    code, out, err = finish_run(p, "ingest after SIGTERM")
    took = time.monotonic() - stopped_at
    check(code == 3, f"SIGTERM: exit {code}, expected 3; {err.strip()}")
    check(took < 10, f"SIGTERM: the run took {took:.1f} s to stop")
    check("interrupted" in err, f"SIGTERM: no word of the interruption on stderr: {err.strip()}")
    c = sqlite3.connect(db2)
    n = c.execute("SELECT count(*) FROM instance").fetchone()[0]
    check(n == 128 and total > 128, f"SIGTERM: {n} of {total} instances committed, expected 128")
    files_rows = c.execute("SELECT count(*) FROM file").fetchone()[0]
    check(files_rows == n, f"SIGTERM: {files_rows} file rows for {n} instances (nothing half-written)")
    status = c.execute("SELECT status FROM ingest_run ORDER BY run_id DESC LIMIT 1").fetchone()[0]
    check(status != "running", f"SIGTERM: the run is left '{status}'")
    c.close()
    rerun = subprocess.run([dicometl_path(), "ingest", arch2, "--db", f"sqlite:{db2}", "--json"],
                           capture_output=True, text=True, timeout=TIMEOUT)
    summary = json.loads(rerun.stdout.strip().splitlines()[-1])
    check(summary["unchanged"] == n and summary["ingested"] == total - n, f"re-run after SIGTERM: {summary}")

# --- 3. dump refuses a FIFO instead of blocking on it ---------------------------------------------
fifo = os.path.join(work, "pipe.dcm")
os.mkfifo(fifo)
try:
    r = subprocess.run([dicometl_path(), "dump", fifo], capture_output=True, text=True, timeout=TIMEOUT)
    out = json.loads(r.stdout)
    check(r.returncode == 1 and out["outcome"] == "rejected" and "not a regular file" in out["reason"],
          f"dump FIFO: exit {r.returncode}, {r.stdout.strip()} {r.stderr.strip()}")
except subprocess.TimeoutExpired:
    check(False, f"dump on a FIFO still running after {TIMEOUT} s (blocked)")

finish("core_changed_files")
