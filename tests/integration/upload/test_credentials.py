"""DICOMweb credentials given in the URL (http://user:password@host/dicom-web) reach a real Orthanc
that requires them, and are never recorded or printed: not in file_upload_metadata, not in OMOP
image_occurrence.wadors_uri, not on stdout or stderr (docs/upload.md)."""
import base64
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import urllib.request

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
ORTHANC = os.path.join(REPO, "tests", "support", "orthanc_server.sh")
GENERATE = os.path.join(REPO, "tests", "generate", "make_archive.py")
USER = "stow-user"
PASSWORD = "Pw9@x:q!z"                # '@' and ':' must be percent-encoded in the URL
PASSWORD_IN_URL = "Pw9%40x%3Aq!z"
SECRETS = [PASSWORD, PASSWORD_IN_URL, "Pw9", "q!z"]

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "core"))
from common import check, finish  # noqa: E402


def rest(base, path):
    req = urllib.request.Request(base + path)
    token = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
    req.add_header("Authorization", "Basic " + token)
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read())


def upload(*args):
    p = subprocess.run([sys.argv[1], "upload", *args], capture_output=True, text=True, timeout=120)
    out = p.stdout + p.stderr
    check(not any(s in out for s in SECRETS), f"upload {args[-1]}: a secret is printed:\n{out}")
    return p


def database_text(db):
    """Every text value of every table."""
    c = sqlite3.connect(db)
    values = []
    for (t,) in c.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
        for row in c.execute(f'SELECT * FROM "{t}"'):
            values += [(t, v) for v in row if isinstance(v, str)]
    return values


def main():
    tmp = tempfile.mkdtemp(prefix="dicometl-upload-credentials-")
    orthanc_dir = os.path.join(tmp, "orthanc")
    try:
        env = dict(os.environ, ORTHANC_USER=USER, ORTHANC_PASSWORD=PASSWORD)
        p = subprocess.run(["bash", ORTHANC, "start", orthanc_dir, "ORTHANC"], capture_output=True,
                           text=True, env=env)
        if p.returncode == 77:
            print(p.stderr)
            sys.exit(77)
        if p.returncode != 0:
            raise SystemExit(f"orthanc did not start: {p.stderr}")
        http_port = int(p.stdout.split()[0])
        base = f"http://127.0.0.1:{http_port}"
        arch = os.path.join(tmp, "archive")
        subprocess.run([sys.executable, GENERATE, "--out", arch, "--patients", "2", "--seed", "3",
                        "--rows", "16", "--cols", "16", "--plain"], check=True, capture_output=True)
        db = os.path.join(tmp, "catalog.db")
        subprocess.run([sys.argv[1], "ingest", arch, "--db", f"sqlite:{db}", "--omop", "--missing-person", "zero", "-q"], check=True)
        with sqlite3.connect(db) as c:
            n = c.execute("SELECT count(*) FROM instance").fetchone()[0]
            series = c.execute("SELECT count(*) FROM image_occurrence").fetchone()[0]
        check(series > 0, "ingest --omop made image_occurrence rows")

        # Orthanc really requires the credentials: without them every instance fails (401).
        p = upload("--db", f"sqlite:{db}", "--to", base + "/dicom-web", "--json", "-q",
                   "--attempts", "1")
        check(p.returncode == 1 and "HTTP 401" in p.stdout, f"no credentials: exit {p.returncode} {p.stdout}")

        to = f"http://{USER}:{PASSWORD_IN_URL}@127.0.0.1:{http_port}/dicom-web"
        orthanc = f"http://{USER}:{PASSWORD_IN_URL}@127.0.0.1:{http_port}"
        p = upload("--db", f"sqlite:{db}", "--to", to, "--orthanc", orthanc, "-q")
        check(p.returncode == 0, f"with credentials: exit {p.returncode}\n{p.stdout}{p.stderr}")
        check(f"→ {base}/dicom-web" in p.stdout, f"the destination is shown without credentials: {p.stdout}")
        check(len(rest(base, "/instances")) == n, "Orthanc has every instance")

        with sqlite3.connect(db) as c:
            rows = c.execute("SELECT destination, status, instance_id, uploaded_filename "
                             "FROM file_upload_metadata WHERE destination LIKE 'http%'").fetchall()
            wado = c.execute("SELECT image_study_uid, image_series_uid, wadors_uri FROM image_occurrence").fetchall()
        check(len(rows) == n and all(r[1] == "sent" for r in rows), f"{len(rows)} 'sent' rows for {n}")
        check(all(r[0] == base + "/dicom-web" for r in rows), "destination without credentials")
        check(all(r[3].startswith(base + "/dicom-web/studies/") for r in rows),
              f"uploaded_filename is the plain WADO-RS URL: {rows[0][3]}")
        ids = set(rest(base, "/instances"))
        check(all(r[2] in ids for r in rows), "instance_id is Orthanc's id (looked up with credentials)")
        check(all(w == f"{base}/dicom-web/studies/{st}/series/{se}" for st, se, w in wado),
              f"wadors_uri without credentials: {wado[:1]}")
        leaks = [(t, v) for t, v in database_text(db) if any(s in v for s in SECRETS) or USER + ":" in v]
        check(not leaks, f"credentials stored in the database: {leaks[:3]}")

        # A wrong password: refused per instance, and still printed nowhere.
        p = upload("--db", f"sqlite:{db}", "--to", f"http://{USER}:Zq7wrongpw@127.0.0.1:{http_port}/dicom-web",
                   "--json", "-q", "--attempts", "1", "--resend")
        check(p.returncode == 1 and "Zq7wrongpw" not in p.stdout + p.stderr, f"wrong password: {p.returncode}")
    finally:
        subprocess.run(["bash", ORTHANC, "stop", orthanc_dir], check=False)
        shutil.rmtree(tmp, ignore_errors=True)
    finish("credentials")


if __name__ == "__main__":
    main()
