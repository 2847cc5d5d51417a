#!/usr/bin/python3
"""A PostgreSQL restart in the middle of an ingest (issue 13, item 10): the run ends with exit 3
and reports the error that started it (the server ending the connection), not what the clean-up
hit after it ("no connection to the server in: ROLLBACK"); a re-run then completes the catalog.

The restart lands between two batches deterministically, with the test hook
DICOMETL_TEST_READ_GATE: readers wait before the file of walk index i while GATE holds a number
n <= i (an empty GATE lets every file through). With n = 128 the writer commits exactly two
batches of 64 and then waits with its transaction open."""
import os
import shutil
import subprocess
import sys
import tempfile
import time

import psycopg2

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "core"))
from common import check, finish, wait_for  # noqa: E402

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
PG_SERVER = os.path.join(REPO, "tests", "support", "pg_server.sh")
GENERATE = os.path.join(REPO, "tests", "generate", "make_archive.py")
TIMEOUT = 120

def main():
    dicometl = os.path.abspath(sys.argv[1])
    work = tempfile.mkdtemp(prefix="dicometl-pg-restart-")
    os.chmod(work, 0o755)  # the server runs as nobody when the tests run as root
    pgdir = os.path.join(work, "pg")
    try:
        subprocess.run([PG_SERVER, "start", pgdir], check=True, stdout=subprocess.PIPE, text=True)
        conninfo = subprocess.run([PG_SERVER, "createdb", pgdir, "catalog"], check=True,
                                  stdout=subprocess.PIPE, text=True).stdout.strip()
        arch = os.path.join(work, "archive")
        subprocess.run([sys.executable, GENERATE, "--out", arch, "--patients", "10", "--seed", "21",
                        "--instances", "20-30", "--syntax-mix", "off", "--manifest", arch + ".json"],
                       check=True, capture_output=True)
        total = sum(len(f) for _, _, f in os.walk(arch))

        def committed():
            try:
                with psycopg2.connect(conninfo) as c, c.cursor() as cur:
                    cur.execute("SELECT count(*) FROM instance")
                    return cur.fetchone()[0]
            except psycopg2.Error:
                return 0

        check(total > 200, f"test bug: only {total} files")
        gate = os.path.join(work, "gate")
        with open(gate, "w") as f:
            f.write("128")
        env = dict(os.environ, DICOMETL_TEST_READ_GATE=gate)
        p = subprocess.Popen([dicometl, "ingest", arch, "--db", conninfo, "-q", "-j", "1",
                              "--batch", "20"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, env=env)
        if wait_for(lambda: committed() == 128 or p.poll() is not None, TIMEOUT, "128 committed files"):
            check(p.poll() is None, f"the run ended before the restart ({total} files)")
            time.sleep(0.3)
            subprocess.run([PG_SERVER, "restart", pgdir], check=True)
            open(gate, "w").close()  # no limit: the writer's next statement meets the new server
            try:
                _, err = p.communicate(timeout=TIMEOUT)
            except subprocess.TimeoutExpired:
                p.kill()
                _, err = p.communicate()
                check(False, "the run did not end after the restart")
            print(f"exit {p.returncode}, stderr: {err.strip()}")
            check(p.returncode == 3, f"exit {p.returncode}, expected 3")
            check("ROLLBACK" not in err and "no connection to the server" not in err,
                  f"the message names the clean-up, not the cause: {err.strip()}")
            check("terminating connection" in err or "server closed the connection" in err,
                  f"the message does not say the server ended the connection: {err.strip()}")
        # A re-run completes the catalog.
        r = subprocess.run([dicometl, "ingest", arch, "--db", conninfo, "-q"], capture_output=True,
                           text=True, timeout=TIMEOUT)
        check(r.returncode in (0, 1), f"re-run exit {r.returncode}: {r.stderr.strip()}")
        check(committed() == total, f"after the re-run {committed()} instances of {total}")
    finally:
        subprocess.run([PG_SERVER, "stop", pgdir])
        shutil.rmtree(work, ignore_errors=True)
    finish("storage_pg_restart")


if __name__ == "__main__":
    main()
