"""dicometl upload to a closed loopback port (DICOMweb and DIMSE) gives up within seconds, with
exit 3 and a message saying why, instead of retrying every series (3 s each: minutes for a real
archive). What was tried is recorded as failed; the rest is left for a re-run."""
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
GENERATE = os.path.join(REPO, "tests", "generate", "make_archive.py")
LIMIT_S = 20  # the old behaviour needs ~45 s (DICOMweb) and ~25 s (DIMSE) for this archive

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "core"))
from common import check, finish  # noqa: E402


def closed_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now: connections are refused
    return port


def main():
    tmp = tempfile.mkdtemp(prefix="dicometl-dead-server-")
    try:
        arch = os.path.join(tmp, "archive")
        # 60 series of 1-2 small instances: one work unit per series.
        subprocess.run([sys.executable, GENERATE, "--out", arch, "--patients", "10", "--seed", "4",
                        "--studies", "2-2", "--series", "3-3", "--instances", "1-2", "--rows", "16",
                        "--cols", "16", "--plain"], check=True, capture_output=True)
        db = os.path.join(tmp, "catalog.db")
        subprocess.run([sys.argv[1], "ingest", arch, "--db", f"sqlite:{db}", "-q"], check=True)
        port = closed_port()
        for to in (f"http://127.0.0.1:{port}/dicom-web", f"dicom://NOBODY@127.0.0.1:{port}"):
            start = time.monotonic()
            try:
                p = subprocess.run([sys.argv[1], "upload", "--db", f"sqlite:{db}", "--to", to, "--json", "-q"],
                                   capture_output=True, text=True, timeout=LIMIT_S)
            except subprocess.TimeoutExpired:
                check(False, f"{to}: still retrying after {LIMIT_S} s")
                continue
            took = time.monotonic() - start
            print(f"{to}: exit {p.returncode} after {took:.1f} s; stderr: {p.stderr.strip()}")
            s = json.loads(p.stdout.strip().splitlines()[-1])
            check(p.returncode == 3, f"{to}: exit {p.returncode}, expected 3")
            check("gave up" in p.stderr and "could not reach the server" in p.stderr,
                  f"{to}: no clear message: {p.stderr!r}")
            check(s["gave_up"] is True and s["sent"] == 0, f"{to}: summary {s}")
            check(s["not_attempted"] > 0, f"{to}: it tried every instance: {s}")
            check(s["failed"] + s["not_attempted"] == s["selected"], f"{to}: instances unaccounted for: {s}")
            with sqlite3.connect(db) as c:
                rows = c.execute("SELECT status, error FROM file_upload_metadata WHERE destination = ?",
                                 (to,)).fetchall()
            check(len(rows) == s["failed"] and all(st == "failed" and err for st, err in rows),
                  f"{to}: {len(rows)} rows for {s['failed']} failures, each failed with a reason")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    finish("dead server")


if __name__ == "__main__":
    main()
