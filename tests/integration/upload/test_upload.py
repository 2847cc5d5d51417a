"""dicometl upload against real Orthanc servers on loopback.

Ground truth comes from outside dicometl: the generated files themselves (sha256, pydicom for
UIDs) and what Orthanc reports through its REST API (/instances, /instances/{id}/file)."""
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import urllib.request
import zlib

import pydicom

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
ORTHANC = os.path.join(REPO, "tests", "support", "orthanc_server.sh")
GENERATE = os.path.join(REPO, "tests", "generate", "make_archive.py")
CORPUS = "/usr/lib/python3/dist-packages/pydicom/data/test_files"
# Compressed files with distinct SOP Instance UIDs: JPEG 2000, JPEG-LS, JPEG baseline, RLE.
COMPRESSED = ["JPEG2000.dcm", "MR_small_jpeg_ls_lossless.dcm", "SC_rgb_jpeg_dcmtk.dcm", "SC_rgb_rle.dcm"]
UNCOMPRESSED = {"1.2.840.10008.1.2", "1.2.840.10008.1.2.1", "1.2.840.10008.1.2.2"}
DEFLATED = "1.2.840.10008.1.2.1.99"
J2K = "1.2.840.10008.1.2.4.91"

failures = []
servers = []


def check(cond, message):
    if not cond:
        failures.append(message)
        print("FAIL:", message)
    return cond


def dicometl(*args):
    p = subprocess.run([os.path.abspath(sys.argv[1]), "upload", *args, "--json", "-q"],
                       capture_output=True, text=True, timeout=120)
    try:
        summary = json.loads(p.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        print(p.stdout, p.stderr)
        raise SystemExit(f"dicometl upload {' '.join(args)}: no JSON summary (exit {p.returncode})")
    return p.returncode, summary


def start_orthanc(tmp, name, aet, mode="all"):
    d = os.path.join(tmp, name)
    p = subprocess.run(["bash", ORTHANC, "start", d, aet, mode], capture_output=True, text=True)
    if p.returncode == 77:
        print(p.stderr)
        sys.exit(77)
    if p.returncode != 0:
        raise SystemExit(f"orthanc did not start: {p.stderr}")
    servers.append(d)
    http, dicom = (int(x) for x in p.stdout.split())
    return d, f"http://127.0.0.1:{http}", dicom


def stop_orthanc(d):
    subprocess.run(["bash", ORTHANC, "stop", d], check=False)
    servers.remove(d)


def rest(base, path, method="GET"):
    with urllib.request.urlopen(urllib.request.Request(base + path, method=method), timeout=30) as r:
        return r.read()


def stored(base):
    """Orthanc's view: SOP Instance UID -> (Orthanc id, file bytes, transfer syntax)."""
    out = {}
    for oid in json.loads(rest(base, "/instances")):
        tags = json.loads(rest(base, f"/instances/{oid}"))["MainDicomTags"]
        ts = rest(base, f"/instances/{oid}/metadata/TransferSyntax").decode()
        out[tags["SOPInstanceUID"]] = (oid, rest(base, f"/instances/{oid}/file"), ts)
    return out


def clear(base):
    for oid in json.loads(rest(base, "/instances")):
        rest(base, f"/instances/{oid}", "DELETE")


def dataset_bytes(data):
    """The bytes after the File Meta Information (which a C-STORE receiver writes anew);
    deflated data sets are inflated, since the deflate stream itself may differ."""
    pos = 132
    while data[pos:pos + 2] == b"\x02\x00":
        vr = data[pos + 4:pos + 6]
        if vr in (b"OB", b"OW", b"OF", b"SQ", b"UT", b"UN"):
            pos += 12 + int.from_bytes(data[pos + 8:pos + 12], "little")
        else:
            pos += 8 + int.from_bytes(data[pos + 6:pos + 8], "little")
    return pos


def body(data, ts):
    rest_ = data[dataset_bytes(data):]
    return zlib.decompress(rest_, -15) if ts == DEFLATED else rest_


def catalog_text(path):
    """A path as README says the catalog writes it: bytes that are not UTF-8 as \\xHH (the test's
    paths hold no backslash, so nothing else is escaped)."""
    text = os.fsencode(path).decode("utf-8", "backslashreplace")  # \xhh, lower case
    return re.sub(r"\\x([0-9a-f]{2})", lambda m: "\\x" + m.group(1).upper(), text)


def rows(db):
    with sqlite3.connect(db) as c:
        return c.execute("SELECT sop_instance_id, status, instance_id, error, original_filename, "
                         "destination FROM file_upload_metadata").fetchall()


def main():
    tmp = tempfile.mkdtemp(prefix="dicometl-upload-test-")
    try:
        run(tmp)
    finally:
        for d in list(servers):
            stop_orthanc(d)
        shutil.rmtree(tmp, ignore_errors=True)
    if failures:
        print(f"upload: {len(failures)} failure(s)")
        sys.exit(1)
    print("upload: ok")


def run(tmp):
    arch = os.path.join(tmp, "archive")
    subprocess.run([sys.executable, GENERATE, "--out", arch, "--patients", "3", "--seed", "11",
                    "--rows", "64", "--cols", "64", "--manifest", arch + ".json"],
                   check=True, capture_output=True)
    os.makedirs(os.path.join(arch, "corpus"))
    for f in COMPRESSED:
        shutil.copy(os.path.join(CORPUS, f), os.path.join(arch, "corpus", f))
    # A file name that is not UTF-8 (Latin-1 "é", as on a Windows share): the catalog stores it
    # as \xE9 (README: file paths) and upload must open the file by its real name.
    first = next(os.path.join(d, f) for d, _, fs in sorted(os.walk(arch)) for f in sorted(fs)
                 if f.endswith(".dcm"))
    ds = pydicom.dcmread(first)
    ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID = pydicom.uid.generate_uid()
    ds.save_as(os.fsdecode(os.path.join(os.fsencode(arch), b"corpus", b"caf\xe9.dcm")))
    # The oracle: every DICOM file's UID, bytes and transfer syntax, read by pydicom.
    files = {}
    for root, _, names in os.walk(arch):
        for n in names:
            p = os.path.join(root, n)
            try:
                ds = pydicom.dcmread(p, stop_before_pixels=True)
                uid, ts = str(ds.SOPInstanceUID), str(ds.file_meta.TransferSyntaxUID)
            except Exception:  # junk files are not sent
                continue
            with open(p, "rb") as f:
                files[uid] = (p, f.read(), ts)
    n = len(files)
    print(f"{n} instances, {sum(len(v[1]) for v in files.values())} bytes")

    a_dir, a, a_port = start_orthanc(tmp, "a", "ORTHANCA")
    dicomweb = a + "/dicom-web"

    # 1. STOW-RS: everything arrives byte-identical, with a row each
    db1 = os.path.join(tmp, "stow.db")
    rc, s = dicometl(arch, "--to", dicomweb, "--db", f"sqlite:{db1}", "--orthanc", a)
    check(rc == 0 and s["sent"] == n and s["failed"] == 0, f"STOW first run: rc={rc} {s}")
    got = stored(a)
    check(set(got) == set(files), f"STOW: Orthanc has {len(got)} instances, expected {n}")
    same = [u for u in files if u in got and hashlib.sha256(got[u][1]).digest()
            == hashlib.sha256(files[u][1]).digest()]
    check(len(same) == n, f"STOW: {n - len(same)} instances not byte-identical")
    r = rows(db1)
    check(len(r) == n and all(x[1] == "sent" for x in r), f"STOW: rows {len(r)} / statuses")
    check(all(x[2] == got[x[0]][0] for x in r if x[0] in got), "STOW: instance_id is not Orthanc's id")
    check(all(x[4] == catalog_text(files[x[0]][0]) for x in r if x[0] in files),
          "STOW: original_filename")

    # 2. again: nothing sent (from our records, then from the server via QIDO-RS)
    rc, s = dicometl(arch, "--to", dicomweb, "--db", f"sqlite:{db1}")
    check(rc == 0 and s["sent"] == 0 and s["previously_sent"] == n, f"STOW rerun (records): {s}")
    rc, s = dicometl(arch, "--to", dicomweb)
    check(rc == 0 and s["sent"] == 0 and s["already_there"] == n, f"STOW rerun (QIDO-RS): {s}")
    check(len(json.loads(rest(a, "/instances"))) == n, "STOW rerun changed Orthanc")

    # 3. C-STORE to the same server after clearing it; the catalog is reused with --db alone
    clear(a)
    rc, s = dicometl("--db", f"sqlite:{db1}", "--to", f"dicom://ORTHANCA@127.0.0.1:{a_port}",
                     "--orthanc", a, "--connections", "3")
    check(rc == 0 and s["sent"] == n and s["failed"] == 0, f"C-STORE first run: rc={rc} {s}")
    got = stored(a)
    check(set(got) == set(files), f"C-STORE: Orthanc has {len(got)} instances, expected {n}")
    # DIMSE carries a data set, not a file: the receiver writes a new meta header, and DCMTK
    # sends sequences with explicit lengths. So: same transfer syntax, and the bytes after the
    # meta header identical, or (re-encoded sequence lengths only) every element equal.
    same = [u for u in files if u in got and got[u][2] == files[u][2]
            and body(got[u][1], got[u][2]) == body(files[u][1], files[u][2])]
    equal = [u for u in files if u in got and u not in same and got[u][2] == files[u][2]
             and pydicom.dcmread(io.BytesIO(got[u][1])) == pydicom.dcmread(io.BytesIO(files[u][1]))]
    # pydicom's MR_small_jpeg_ls_lossless.dcm is not conformant (Pixel Data with a defined
    # length, OW, in an encapsulated syntax, plus trailing padding): DCMTK re-encodes it.
    quirky = {u for u, v in files.items() if v[0].endswith("MR_small_jpeg_ls_lossless.dcm")}
    differ = [u for u in files if u not in same and u not in equal]
    print(f"C-STORE: {len(same)} byte-identical data sets, {len(equal)} equal element by element,"
          f" {len(differ)} re-encoded")
    check(set(differ) <= quirky, f"C-STORE: {len(set(differ) - quirky)} instances differ")
    dimse_rows = [x for x in rows(db1) if x[5].startswith("dicom://")]
    check(len(dimse_rows) == n and all(x[1] == "sent" and x[2] == got[x[0]][0] for x in dimse_rows),
          "C-STORE: one 'sent' row per instance with Orthanc's id")
    rc, s = dicometl("--db", f"sqlite:{db1}", "--to", f"dicom://ORTHANCA@127.0.0.1:{a_port}")
    check(rc == 0 and s["sent"] == 0 and s["previously_sent"] == n, f"C-STORE rerun: {s}")

    # 4. a server taking only uncompressed data: JPEG, JPEG-LS and RLE are decoded, JPEG 2000
    #    (no decoder in DCMTK) fails with a reason
    b_dir, b, b_port = start_orthanc(tmp, "b", "ORTHANCB", "uncompressed-only")
    db2 = os.path.join(tmp, "dimse.db")
    rc, s = dicometl(arch, "--to", f"dicom://ORTHANCB@127.0.0.1:{b_port}", "--db", f"sqlite:{db2}")
    j2k = [u for u, v in files.items() if v[2] == J2K]
    check(rc == 1 and s["failed"] == len(j2k) and s["sent"] == n - len(j2k),
          f"uncompressed-only: rc={rc} {s}")
    got = stored(b)
    check(all(v[2] in UNCOMPRESSED for v in got.values()), "uncompressed-only: stored a compressed file")
    decoded = [u for u, v in files.items() if v[2] not in UNCOMPRESSED | {DEFLATED, J2K}]
    check(all(u in got for u in decoded), "uncompressed-only: a decodable file is missing")
    r = {x[0]: x for x in rows(db2)}
    check(len(r) == n, f"uncompressed-only: {len(r)} rows, expected {n}")
    check(all(r[u][1] == "failed" and r[u][3] for u in j2k), "uncompressed-only: J2K row has no reason")

    # 5. refusals: a wrong AE title, then a stopped server; every instance gets a failed row
    db3 = os.path.join(tmp, "refused.db")
    rc, s = dicometl(arch, "--to", f"dicom://WRONG@127.0.0.1:{a_port}", "--db", f"sqlite:{db3}",
                     "--attempts", "2", "--backoff-ms", "50")
    r = rows(db3)
    check(rc == 1 and s["failed"] == n and s["sent"] == 0, f"wrong AET: rc={rc} {s}")
    check(len(r) == n and all(x[1] == "failed" and "rejected" in (x[3] or "") for x in r),
          "wrong AET: rows are not 'failed' with 'rejected' in the reason")
    stop_orthanc(b_dir)
    for to in (b + "/dicom-web", f"dicom://ORTHANCB@127.0.0.1:{b_port}"):
        # --max-connection-failures 0: try every instance (giving up early is upload.dead_server's)
        rc, s = dicometl(arch, "--to", to, "--db", f"sqlite:{db3}", "--attempts", "2",
                         "--backoff-ms", "50", "--timeout", "5", "--max-connection-failures", "0")
        r = [x for x in rows(db3) if x[5] == to]
        check(rc == 1 and s["failed"] == n, f"stopped server {to}: rc={rc} {s}")
        check(len(r) == n and all(x[1] == "failed" and x[3] for x in r),
              f"stopped server {to}: rows are not 'failed' with a reason")

    # 6. a file deleted after it was catalogued: the next ingest marks it missing, and upload
    #    from the catalog says so instead of failing to open it
    arch6 = os.path.join(tmp, "archive6")
    shutil.copytree(arch, arch6)
    db6 = os.path.join(tmp, "missing.db")
    ingest = [os.path.abspath(sys.argv[1]), "ingest", arch6, "--db", f"sqlite:{db6}", "-q"]
    subprocess.run(ingest, capture_output=True, check=False)
    gone = next(os.path.join(d, f) for d, _, fs in sorted(os.walk(arch6)) for f in sorted(fs)
                if f.endswith(".dcm"))
    os.remove(gone)
    subprocess.run(ingest, capture_output=True, check=False)
    clear(a)
    rc, s = dicometl("--db", f"sqlite:{db6}", "--to", dicomweb)
    check(rc == 1 and s["missing"] == 1 and s["sent"] == n - 1 and s["failed"] == 0,
          f"missing file: rc={rc} {s}")
    check(len(json.loads(rest(a, "/instances"))) == n - 1, "missing file: Orthanc count")
    stop_orthanc(a_dir)


if __name__ == "__main__":
    main()
