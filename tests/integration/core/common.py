"""Shared helpers for the core integration tests: run dicometl, generate archives, read catalogs.

Expected values always come from outside dicometl: the generator's manifest (its own choices)
or pydicom (an independent reader)."""
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
GENERATE = os.path.join(REPO, "tests", "generate", "make_archive.py")
BAD_INPUTS = os.path.join(REPO, "tests", "generate", "make_bad_inputs.py")

failures = []


def check(cond, message):
    if not cond:
        failures.append(message)
        print("FAIL:", message)
    return cond


def finish(name):
    if failures:
        print(f"{name}: {len(failures)} failure(s)")
        sys.exit(1)
    print(f"{name}: ok")


def missing(what):
    """A dependency is not installed: skip (exit 77) on a developer machine, fail under CI=true."""
    print(f"{what} not found")
    sys.exit(1 if os.environ.get("CI", "").lower() in ("true", "1", "yes") else 77)


def dicometl_path():
    return os.path.abspath(sys.argv[1])


def run(args, expect=(0, 1), **kw):
    """Runs dicometl; returns CompletedProcess. Fails the test on an unexpected exit code."""
    p = subprocess.run([dicometl_path()] + args, capture_output=True, text=True, **kw)
    if p.returncode not in expect:
        print(p.stdout, p.stderr)
        raise SystemExit(f"dicometl {' '.join(args)} exited {p.returncode}")
    return p


def ingest(paths, db, extra=(), expect=(0, 1)):
    p = run(["ingest", *paths, "--db", f"sqlite:{db}", "--json", *extra], expect=expect)
    return json.loads(p.stdout.strip().splitlines()[-1]), p.returncode


def generate(out, *args):
    manifest = out + ".json"
    subprocess.run([sys.executable, GENERATE, "--out", out, "--manifest", manifest, *args],
                   check=True, capture_output=True)
    with open(manifest, encoding="utf-8") as f:
        return json.load(f)


def connect(db):
    c = sqlite3.connect(db)
    c.row_factory = sqlite3.Row
    return c


def tmpdir():
    return tempfile.mkdtemp(prefix="dicometl-test-")


def wait_for(cond, seconds, what):
    """Polls cond() until it holds; a timeout is a test failure (returns False)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(0.02)
    check(False, f"timed out after {seconds} s waiting for {what}")
    return False
