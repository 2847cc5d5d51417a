#!/usr/bin/python3
"""A sharded run on a real Slurm cluster equals a single-process run, and survives a killed task.

Starts PostgreSQL (tests/support/pg_server.sh) and a one-node Slurm cluster with munge
(tests/support/slurm_cluster.sh), generates an archive (tests/generate/make_archive.py), then:
  1. single   — vocab load, ingest, omop in one process each, into database `single`;
  2. sharded  — deploy/slurm/submit.sh --shards 4: prepare → 4 ingest tasks → 4 omop tasks →
                final (report), into database `sharded`;
  3. killed   — the same into `killed`, but ingest task 1 is cancelled (scancel) mid-run, after it
                committed part of its files; the dependent steps never start; the task is
                re-submitted alone (submit.sh --from ingest --tasks 1), and the chain completes.
Every catalog and OMOP table of 2 and 3 must equal 1's row for row, generated ids replaced by the
natural keys they stand for (UIDs, PatientIDs), run ids and timestamps left out.

  test_slurm.py DICOMETL
"""
import os, re, subprocess, sys, tempfile, time
from collections import Counter

import psycopg2

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
sys.path.insert(0, HERE)
from shard_rule import shard_of  # noqa: E402

PG = os.path.join(ROOT, "tests", "support", "pg_server.sh")
SLURM = os.path.join(ROOT, "tests", "support", "slurm_cluster.sh")
GEN = os.path.join(ROOT, "tests", "generate", "make_archive.py")
SUBMIT = os.path.join(ROOT, "deploy", "slurm", "submit.sh")
WRITER_LOCK = 7223019541027145001  # storage/postgres: every dicometl transaction takes it
SHARDS = 4
OMOP_ARGS = "--missing-person create --visits"

failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what, flush=True)
    if not cond:
        failures.append(what)


def run(cmd, **kw):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)
    if r.returncode not in (0, 1):
        sys.stdout.write(r.stdout + r.stderr)
        raise SystemExit("FAIL %s exited %d" % (" ".join(cmd[:3]), r.returncode))
    return r.stdout


# --- Slurm -----------------------------------------------------------------------------------

def submit(env, *args):
    out = run([SUBMIT, "--shards", str(SHARDS)] + list(args), env=env, cwd=env["WORK"])
    return dict(line.split() for line in out.strip().splitlines())


def job_states(env, job):
    """{task id: state} of a job or job array, from scontrol (MinJobAge keeps finished jobs)."""
    out = subprocess.run(["scontrol", "-o", "show", "job", str(job)], env=env, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, text=True).stdout
    states = {}
    for line in out.splitlines():
        jid = re.search(r"\bJobId=(\d+)", line).group(1)
        task = re.search(r"\bArrayTaskId=(\S+)", line)
        states[task.group(1) if task else jid] = re.search(r"\bJobState=(\S+)", line).group(1)
    return states


def wait_jobs(env, jobs, timeout=600):
    """Waits until no job of `jobs` is pending or running, or until the only ones left wait for
    a dependency that can never be met (a failed step); returns {job: {task: state}}."""
    end = time.time() + timeout
    while time.time() < end:
        queue = subprocess.run(["squeue", "-h", "-o", "%T %r", "-j", ",".join(jobs)], env=env,
                               stdout=subprocess.PIPE, text=True).stdout.split("\n")
        queue = [q.split(" ", 1) for q in queue if q.strip()]
        stuck = queue and all(s == "PENDING" and r.startswith("Dependency") for s, r in queue) and \
            any(r == "DependencyNeverSatisfied" for _, r in queue)
        if not queue or stuck:
            return {j: job_states(env, j) for j in jobs}
        time.sleep(0.5)
    raise SystemExit("FAIL jobs %s did not finish in %d s" % (jobs, timeout))


# --- Comparing databases ---------------------------------------------------------------------

# Generated id columns → the dicometl_omop_id kind whose source_key is their natural key.
ID_KINDS = {"person_id": "person", "visit_occurrence_id": "visit", "procedure_occurrence_id": "procedure",
            "image_occurrence_id": "image_occurrence", "radiology_occurrence_id": "radiology_occurrence"}
TABLE_ID_KINDS = {("radiology_image", "image_id"): "radiology_image"}
DROPPED = {"run_id", "etl_created_datetime", "etl_modified_datetime", "recorded_at",
           "source_release_date", "cdm_release_date",
           # patient/study: the file that first defined the row, i.e. whichever shard committed
           # first (the values themselves must be equal; conflicts would be rows of `conflict`).
           "source_path"}
SKIPPED_TABLES = {"ingest_run"}  # one row per process: differs by design


def snapshot(conninfo):
    """{table: Counter of rows} with ids replaced by natural keys."""
    con = psycopg2.connect(conninfo)
    cur = con.cursor()
    cur.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")
    tables = sorted(r[0] for r in cur.fetchall() if r[0] not in SKIPPED_TABLES)
    cur.execute("SELECT kind, id, source_key FROM dicometl_omop_id")
    key_of = {(k, i): s for k, i, s in cur.fetchall()}
    meta = {}
    if "dicom_file_metadata" in tables:
        cur.execute("SELECT metadata_id, sop_instance_id, metadata_source_tag, parent_sequence_id, "
                    "parent_dataset_id FROM dicom_file_metadata")
        meta = {r[0]: r[1:] for r in cur.fetchall()}
    memo = {}

    def meta_key(mid):  # an element: its instance, tag, parent sequence and item number
        if mid is None or mid not in meta:
            return mid
        if mid not in memo:
            sop, tag, seq, item = meta[mid]
            memo[mid] = (sop, tag, meta_key(seq), item)
        return memo[mid]

    snap = {}
    for t in tables:
        cur.execute("SELECT * FROM \"%s\"" % t)
        cols = [d[0] for d in cur.description]
        rows = Counter()
        for r in cur.fetchall():
            out = []
            for c, v in zip(cols, r):
                if c in DROPPED or (t == "dicometl_omop_id" and c == "id"):
                    continue
                kind = TABLE_ID_KINDS.get((t, c)) or ID_KINDS.get(c)
                if kind and v is not None and v != 0:
                    v = (kind, key_of.get((kind, v), "unmapped id"))
                elif c in ("metadata_id", "parent_sequence_id"):  # parent_dataset_id: item number
                    v = meta_key(v)
                out.append((c, repr(v)))
            rows[tuple(out)] += 1
        snap[t] = rows
    con.close()
    return snap


def compare(name, want, got):
    check(sorted(want) == sorted(got), "%s: the same tables (%d)" % (name, len(want)))
    for t in sorted(want):
        w, g = want[t], got.get(t, Counter())
        same = w == g
        detail = "" if same else " (%d rows missing, %d extra; e.g. %s)" % (
            sum((w - g).values()), sum((g - w).values()), next(iter((w - g) or (g - w)))[:4])
        check(same, "%s: %s equals the single run's %d rows%s" % (name, t, sum(w.values()), detail))


# --- The test --------------------------------------------------------------------------------

def main():
    dicometl = os.path.abspath(sys.argv[1])
    work = tempfile.mkdtemp(prefix="dicometl-scale-")
    os.chmod(work, 0o755)
    pgdir, slurmdir = os.path.join(work, "pg"), os.path.join(work, "slurm")
    arch = os.path.join(work, "arch")
    try:
        # Big enough that ingest task 1 commits its files in many batches (the kill lands between).
        run(["/usr/bin/python3", GEN, "--out", arch, "--patients", "10", "--instances", "20-40",
             "--seed", "21", "--junk"])
        run([PG, "start", pgdir])
        db = {n: run([PG, "createdb", pgdir, n]).strip() for n in ("single", "sharded", "killed")}
        conf = run([SLURM, "start", slurmdir]).strip()
        env = dict(os.environ, SLURM_CONF=conf, DICOMETL=dicometl, WORK=work, DICOMETL_OMOP_ARGS=OMOP_ARGS)

        # 1. One process per step.
        run([dicometl, "vocab", "load", "--db", db["single"]])
        run([dicometl, "ingest", arch, "--db", db["single"], "-j", "1", "-q"])
        run([dicometl, "omop", "--db", db["single"]] + OMOP_ARGS.split())
        single = snapshot(db["single"])
        check(sum(single["instance"].values()) > 1000 and sum(single["image_occurrence"].values()) > 10,
              "the single run wrote %d instances, %d image_occurrence rows" %
              (sum(single["instance"].values()), sum(single["image_occurrence"].values())))

        # 2. The Slurm chain, 4 shards.
        t0 = time.time()
        e = dict(env, DICOMETL_DB=db["sharded"], DICOMETL_REPORT=os.path.join(work, "report.html"))
        ids = submit(e, arch)
        states = wait_jobs(e, list(ids.values()))
        print("sharded chain: %.1f s" % (time.time() - t0))
        check(states[ids["ingest"]] == {str(k): "COMPLETED" for k in range(SHARDS)},
              "4 ingest tasks completed: %s" % states[ids["ingest"]])
        check(all(v == "COMPLETED" for s in states.values() for v in s.values()),
              "every step completed: %s" % states)
        check(os.path.getsize(os.path.join(work, "report.html")) > 1000, "the final job wrote the report")
        compare("sharded", single, snapshot(db["sharded"]))

        # 3. Kill ingest task 1 after it committed part of its files, then re-submit it alone.
        files = [os.path.relpath(os.path.join(d, f), arch) for d, _, fs in os.walk(arch) for f in fs]
        mine = {os.path.join(arch, f) for f in files if shard_of(f, SHARDS) == 1}
        e = dict(env, DICOMETL_DB=db["killed"], DICOMETL_REPORT=os.path.join(work, "report2.html"),
                 DICOMETL_INGEST_ARGS="--batch 5")
        ids = submit(e, arch)
        lock = psycopg2.connect(db["killed"])
        lock.autocommit = True
        cur = lock.cursor()
        mine = sorted(mine)

        def committed():
            cur.execute("SELECT count(*) FROM file WHERE path = ANY(%s)", (mine,))
            return cur.fetchone()[0]

        done, end = 0, time.time() + 300
        while done == 0 and time.time() < end:
            try:
                done = committed()
            except psycopg2.Error:
                pass  # no catalog yet
            time.sleep(0.02)
        # Holding the writer lock freezes every writer at its next transaction: task 1 is then
        # killed between two batches of its own, the others wait.
        cur.execute("SELECT pg_advisory_lock(%s)", (WRITER_LOCK,))
        done = committed()
        task1 = "%s_1" % ids["ingest"]
        subprocess.run(["scancel", task1], env=e, check=True)
        end = time.time() + 60
        while job_states(e, task1).get("1") not in ("CANCELLED",) and time.time() < end:
            time.sleep(0.2)
        cur.execute("SELECT pg_advisory_unlock(%s)", (WRITER_LOCK,))
        lock.close()
        check(0 < done < len(mine), "task 1 was cancelled with %d of its %d files committed" % (done, len(mine)))
        states = wait_jobs(e, list(ids.values()))
        check(states[ids["ingest"]].get("1") == "CANCELLED", "scancel ended task 1: %s" % states[ids["ingest"]])
        check(all(states[ids["ingest"]][k] == "COMPLETED" for k in ("0", "2", "3")), "the other tasks completed")
        check(states[ids["omop"]] and all(v == "PENDING" for v in states[ids["omop"]].values()),
              "the omop step did not start: %s" % states[ids["omop"]])
        subprocess.run(["scancel", ids["omop"], ids["final"]], env=e, check=True)
        again = submit(e, "--from", "ingest", "--tasks", "1", arch)
        states = wait_jobs(e, list(again.values()))
        check(all(v == "COMPLETED" for s in states.values() for v in s.values()),
              "re-submitted task 1 and the rest of the chain completed: %s" % states)
        compare("killed and re-run", single, snapshot(db["killed"]))
    finally:
        subprocess.run([SLURM, "stop", slurmdir])
        subprocess.run([PG, "stop", pgdir])
        if not failures:
            subprocess.run(["rm", "-rf", work])
    print("%d failure(s)" % len(failures))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
