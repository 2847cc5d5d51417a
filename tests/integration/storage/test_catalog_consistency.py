#!/usr/bin/python3
"""The catalog stays true to the file system and says what contradicts it (issue 14 items 4, 6, 7),
on SQLite and on a real PostgreSQL 15 (argument: sqlite | postgres).

- Two Latin-1 file names that the old U+FFFD replacement made one ("caf\\xe9", "caf\\xe8") stay two
  paths, written \\xE9 / \\xE8 (README: file paths), every path valid UTF-8, and decoding a stored
  path gives the file's bytes back (PostgreSQL ingest used to fail on every run: ON CONFLICT DO
  UPDATE command cannot affect row a second time).
- The same tree named another way (./x/, x//, absolute) is not recorded again.
- An unchanged re-run with a rejected file still exits 1 (README: 0 = every input accepted).
- A deleted file becomes status 'missing' with missing_since; back again, it is present again.
- Conflicts: a PatientID with another name, a study split over two patients, a SOP Instance UID in
  two files with different series: one conflict row each, naming both files; the first-seen values
  stay in the main tables. Run as two shards (--shard 1/2, 2/2) into one database, the conflicts
  between files of different shards are found too, and a shard never calls the other's files
  missing.
Expected values come from the files this script writes, not from dicometl."""
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile

from pydicom.dataset import FileDataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, SecondaryCaptureImageStorage, generate_uid

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "core"))
from common import check, finish  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scale"))
from shard_rule import shard_of  # noqa: E402

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
PG_SERVER = os.path.join(REPO, "tests", "support", "pg_server.sh")


def write(path, patient_id, name, study, series=None, sop=None):
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = SecondaryCaptureImageStorage
    meta.MediaStorageSOPInstanceUID = sop or generate_uid()
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds = FileDataset(path, {}, file_meta=meta, preamble=b"\0" * 128)
    ds.SOPClassUID = SecondaryCaptureImageStorage
    ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
    ds.StudyInstanceUID = study
    ds.SeriesInstanceUID = series or generate_uid()
    ds.PatientID = patient_id
    ds.PatientName = name
    ds.Modality = "OT"
    ds.save_as(path, write_like_original=False)
    return ds.SOPInstanceUID


def decode_path(text):
    """README's rule, written from the documentation: \\xHH is the byte HH, all else is UTF-8."""
    out, i = bytearray(), 0
    hexdigits = "0123456789abcdefABCDEF"
    while i < len(text):
        if text.startswith("\\x", i) and i + 3 < len(text) and text[i + 2] in hexdigits and \
                text[i + 3] in hexdigits:
            out.append(int(text[i + 2:i + 4], 16))
            i += 4
        else:
            out += text[i].encode("utf-8")
            i += 1
    return bytes(out)


class Catalog:
    """One catalog per part, so that each part fails or passes on its own."""
    def __init__(self, kind, work, name, pgdir=None):
        self.kind = kind
        if kind == "sqlite":
            self.path = os.path.join(work, name + ".db")
            self.url = "sqlite:" + self.path
        else:
            self.url = subprocess.run([PG_SERVER, "createdb", pgdir, name], check=True,
                                      stdout=subprocess.PIPE, text=True).stdout.strip()

    def rows(self, sql):
        if self.kind == "sqlite":
            c = sqlite3.connect(self.path)
            c.text_factory = bytes  # raw bytes: the test checks they are UTF-8 itself
            try:
                return [tuple(v.decode("utf-8") if isinstance(v, bytes) else v for v in r)
                        for r in c.execute(sql)]
            finally:
                c.close()
        import psycopg2
        with psycopg2.connect(self.url) as c, c.cursor() as cur:
            cur.execute(sql)
            return cur.fetchall()



def ingest(dicometl, cat, paths, cwd, extra=()):
    p = subprocess.run([dicometl, "ingest", *paths, "--db", cat.url, "--json", "-q", *extra],
                       capture_output=True, text=True, cwd=cwd)
    if p.returncode not in (0, 1):
        print(p.stdout, p.stderr)
        check(False, f"ingest {paths} {extra} exited {p.returncode}")
        return {}, p.returncode
    import json
    return json.loads(p.stdout.strip().splitlines()[-1]), p.returncode


def main():
    dicometl, kind = os.path.abspath(sys.argv[1]), sys.argv[2]
    work = tempfile.mkdtemp(prefix="dicometl-consistency-")
    os.chmod(work, 0o755)  # the PostgreSQL server runs as nobody when the tests run as root
    pgdir = os.path.join(work, "pg") if kind == "postgres" else None
    try:
        if pgdir:
            import psycopg2  # noqa: F401 (only this backend needs it)
            subprocess.run([PG_SERVER, "start", pgdir], check=True, stdout=subprocess.PIPE)
        for part in (latin1_paths, spellings_rejects_missing, conflicts):
            try:
                part(dicometl, Catalog(kind, work, part.__name__, pgdir), work)
            except Exception as e:  # one part's failure must not hide another's result
                check(False, f"{part.__name__}: {type(e).__name__}: {e}")
    finally:
        if pgdir:
            subprocess.run([PG_SERVER, "stop", pgdir], check=False)
        shutil.rmtree(work, ignore_errors=True)
    finish(f"{os.path.basename(sys.argv[0])} {kind}")


def latin1_paths(dicometl, cat, work):
    """Item 4: file names that are not UTF-8."""
    arch = os.path.join(work, "latin1")
    os.makedirs(os.path.join(arch, "share"))
    # Item 4: two Latin-1 names that replacement makes one, plus names that must stay as they are.
    latin1 = [b"caf\xe9.dcm", b"caf\xe8.dcm"]
    share = os.fsencode(os.path.join(arch, "share"))
    for n in latin1:
        write(os.fsdecode(os.path.join(share, n)), "P-L1", "Latin^One", generate_uid())
    literal = os.path.join(arch, "share", "lit\\xE9.dcm")  # a real name that reads like an escape
    write(literal, "P-L2", "Latin^Two", generate_uid())
    utf8_name = os.path.join(arch, "share", "Müller.dcm")
    write(utf8_name, "P-L3", "Latin^Three", generate_uid())
    summary, code = ingest(dicometl, cat, [arch], work)
    check(code == 0, f"first run: exit {code}, want 0: {summary}")
    paths = [r[0] for r in cat.rows("SELECT path FROM file ORDER BY path")]
    check(len(paths) == 4, f"file rows: {paths}, want 4")
    on_disk = {os.path.join(share, n) for n in latin1} | {os.fsencode(literal),
                                                           os.fsencode(utf8_name)}
    decoded = {decode_path(p) for p in paths}
    check(decoded == on_disk, f"decoded paths {sorted(decoded)} != files {sorted(on_disk)}")
    check(any(p.endswith("/caf\\xE9.dcm") for p in paths) and
          any(p.endswith("/caf\\xE8.dcm") for p in paths), f"Latin-1 names not escaped: {paths}")
    check(any(p.endswith("/Müller.dcm") for p in paths), f"UTF-8 name changed: {paths}")
    inst = [decode_path(r[0]) for r in cat.rows("SELECT file_path FROM instance")]
    check(sorted(inst) == sorted(on_disk), f"instance paths {inst}, want {sorted(on_disk)}")
    summary, code = ingest(dicometl, cat, [arch], work)
    check(summary.get("unchanged") == 4 and code == 0, f"unchanged re-run: {summary}, exit {code}")


def spellings_rejects_missing(dicometl, cat, work):
    """Item 7: other spellings of a root, rejects on unchanged re-runs, deleted files."""
    arch = os.path.join(work, "arch")
    os.makedirs(os.path.join(arch, "share"))
    share = os.fsencode(os.path.join(arch, "share"))
    names = [b"a.dcm", b"b.dcm", b"c.dcm", b"d.dcm"]
    for n in names:
        write(os.fsdecode(os.path.join(share, n)), "P-S", "Spell^One", generate_uid())
    junk = os.path.join(arch, "share", "notes.txt")
    with open(junk, "w") as f:
        f.write("not DICOM\n")
    summary, code = ingest(dicometl, cat, [arch], work)
    check(code == 1, f"first run: exit {code}, want 1 (one non-DICOM file): {summary}")
    for (p,) in cat.rows("SELECT path FROM file"):
        check(p.startswith(arch + "/"), f"path not under the absolute root: {p!r}")

    # Item 7a and 7b: unchanged re-runs under other spellings of the same root.
    for spelling, cwd in ((arch, work), ("./arch/", work), ("arch//", work), (".", arch),
                          (work + "//arch/./", "/")):
        summary, code = ingest(dicometl, cat, [spelling], cwd)
        check(summary.get("unchanged") == 5 and summary.get("duplicates") == 0 and
              summary.get("ingested") == 0,
              f"re-run as {spelling!r} from {cwd}: {summary}, want 5 unchanged")
        check(code == 1, f"unchanged re-run as {spelling!r}: exit {code}, want 1 (notes.txt is "
              "still rejected)")
    n = cat.rows("SELECT count(*) FROM file")[0][0]
    check(n == 5, f"{n} file rows after re-runs under other spellings, want 5")

    # Item 7c: a deleted file is missing, then present again.
    gone = os.path.join(share, names[0])
    keep = gone + b".kept"
    os.rename(gone, keep)
    os.remove(junk)
    summary, code = ingest(dicometl, cat, [arch], work)
    check(code == 0, f"after deleting notes.txt: exit {code}, want 0: {summary}")
    check(summary.get("missing") == 2, f"missing in summary: {summary}, want 2")
    missing = cat.rows("SELECT path, missing_since FROM file WHERE status = 'missing' ORDER BY 1")
    check(sorted(decode_path(p) for p, _ in missing) == sorted([gone, os.fsencode(junk)]),
          f"missing rows: {missing}")
    check(all(since for _, since in missing), f"missing_since not set: {missing}")
    inst = cat.rows("SELECT count(*) FROM instance")[0][0]
    check(inst == 4, f"{inst} instances after a deletion, want 4 (kept, marked missing)")
    summary, _ = ingest(dicometl, cat, [arch], work)
    check(summary.get("missing") == 0, f"second run after deletion: {summary}, want missing 0")
    os.rename(keep, gone)
    summary, code = ingest(dicometl, cat, [arch], work)
    back = [(st, since) for p, st, since in cat.rows("SELECT path, status, missing_since FROM file")
            if decode_path(p) == gone]
    check(back == [("ingested", None)], f"a file back again: {back}, want ingested")
    check(code == 0, f"all present again: exit {code}: {summary}")
    # --rescan reads no catalog before the walk: the files it no longer meets are found by
    # querying the catalog folder by folder afterwards (the path large catalogs take too).
    second, aside = os.path.join(share, names[1]), os.fsencode(os.path.join(work, "b.aside"))
    os.rename(second, aside)
    summary, _ = ingest(dicometl, cat, [arch], work, ["--rescan"])
    rows = [(decode_path(p), st) for p, st in cat.rows("SELECT path, status FROM file WHERE "
                                                      "run_id = (SELECT max(run_id) FROM ingest_run) "
                                                      "AND status = 'missing'")]
    check(summary.get("missing") == 1 and rows == [(second, "missing")],
          f"--rescan after deleting {second}: {summary}, missing rows {rows}")
    os.rename(aside, second)


def conflicts(dicometl, cat, work):
    """Item 6: conflicts, written as two shards of one tree into one catalog."""
    tree = os.path.join(work, "conflicts")
    os.makedirs(tree)
    study_a, study_b, study_c, dup_sop = generate_uid(), generate_uid(), generate_uid(), generate_uid()
    files = {}
    # One folder per file, named so that the first of each pair falls in shard 0 and the other in
    # shard 1 (docs/scale.md's rule, written again in tests/integration/scale/shard_rule.py).
    names = {0: iter(n for n in (f"d{k:03d}" for k in range(1000)) if shard_of(n, 2) == 0),
             1: iter(n for n in (f"d{k:03d}" for k in range(1000)) if shard_of(n, 2) == 1)}
    for i, (pid, name, study, sop) in enumerate([
            ("P-1", "Smith^Ann", study_a, None),     # first seen: Smith^Ann
            ("P-1", "Jones^Ann", study_b, None),     # same PatientID, another name
            ("P-2", "Brown^Bob", study_c, None),     # study C under P-2 first ...
            ("P-3", "Green^Cy", study_c, None),      # ... and under P-3: split
            ("P-4", "White^Di", generate_uid(), dup_sop),
            ("P-4", "White^Di", generate_uid(), dup_sop)]):  # same SOP UID, other study/series
        d = os.path.join(tree, next(names[i % 2]))
        os.makedirs(d)
        files[i] = os.path.join(d, "x.dcm")
        write(files[i], pid, name, study, sop=sop)
    for shard in ("0/2", "1/2"):
        summary, code = ingest(dicometl, cat, [tree], work, ["--shard", shard, "--shard-by", "folder"])
        check(code == 0, f"shard {shard}: exit {code}: {summary}")
    rows = cat.rows("SELECT kind, key_value, attribute, first_value, first_path, other_value, "
                    "other_path FROM conflict ORDER BY kind, attribute")
    got = {(r[0], r[1], r[2]) for r in rows}
    want = {("patient_attributes", "P-1", "patient_name"),
            ("study_patient", study_c, "patient_id"),
            ("instance_attributes", dup_sop, "study_instance_uid"),
            ("instance_attributes", dup_sop, "series_instance_uid")}
    check(got == want, f"conflicts {sorted(got)}, want {sorted(want)}")
    for kind, key, attr, first, first_path, other, other_path in rows:
        pair = {decode_path(first_path or ""), decode_path(other_path)}
        check(len(pair) == 2 and pair <= {os.fsencode(p) for p in files.values()},
              f"{kind} {attr}: files {first_path!r}, {other_path!r} are not two of the test's")
        if kind == "patient_attributes":
            check({first, other} == {"Smith^Ann", "Jones^Ann"}, f"names {first}, {other}")
            kept = cat.rows("SELECT patient_name FROM patient WHERE patient_id = 'P-1'")[0][0]
            check(kept == first, f"patient row holds {kept}, the conflict's first value is {first}")
        if kind == "study_patient":
            check({first, other} == {"P-2", "P-3"}, f"study patients {first}, {other}")
    check(cat.rows("SELECT count(*) FROM instance WHERE sop_instance_uid = '%s'" % dup_sop)[0][0]
          == 1, "the duplicated SOP Instance UID has one instance row")
    # A shard run again finds nothing missing: the other shard's files are not its own.
    summary, _ = ingest(dicometl, cat, [tree], work, ["--shard", "0/2", "--shard-by", "folder"])
    check(summary.get("missing") == 0, f"shard 0/2 re-run: {summary}, want missing 0")
    # Re-reading everything refreshes the conflict rows instead of adding new ones.
    before = cat.rows("SELECT count(*) FROM conflict")[0][0]
    ingest(dicometl, cat, [tree], work, ["--rescan"])
    after = cat.rows("SELECT count(*) FROM conflict")[0][0]
    check(after == before, f"--rescan: {after} conflict rows, before {before}")

    # The report counts conflicts per kind, and never prints a patient name or ID.
    out = os.path.join(work, "report.html")
    p = subprocess.run([dicometl, "report", "--db", cat.url, "--out", out, "-q"],
                       capture_output=True, text=True)
    check(p.returncode == 0, f"report exited {p.returncode}: {p.stderr}")
    html = open(out, encoding="utf-8").read() if os.path.exists(out) else ""
    check('id="conflicts"' in html, "the report has no conflicts section")
    for secret in ("Smith", "Jones", "P-1", "P-2", "P-3"):
        check(secret not in html, f"the report shows {secret!r}")
    check(study_c in html or dup_sop in html, "the conflicts section shows no example UID")


if __name__ == "__main__":
    main()
