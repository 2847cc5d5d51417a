#!/usr/bin/python3
"""Bad input never crashes `dicometl dexa`, and every rejected file gets a reason: truncated pixel
data, garbage in an encapsulated (JPEG) frame, a report-like header without pixels, an empty file,
a non-DICOM file, a tiny image, a colour (RGB) page with no table. Names built from DICOM values
(SOP Instance UID, ProtocolName) never write outside --png-dir / --words-dir (issue 13 item 5)."""
import argparse
import csv
import os
import shutil
import subprocess
import sys

import numpy as np
import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.encaps import encapsulate
from pydicom.filewriter import dcmwrite
from pydicom import uid as dicom_uid

failures = []


def check(what, ok, detail=""):
    print(("ok   " if ok else "FAIL ") + what + (f": {detail}" if detail else ""))
    if not ok:
        failures.append(what)


def sc(path, rows=64, cols=64, pixels=True, syntax=dicom_uid.ExplicitVRLittleEndian, data=None,
       photometric="MONOCHROME2", samples=1):
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.7"
    ds.file_meta.MediaStorageSOPInstanceUID = "2.25." + str(abs(hash(path)) % 10**30)
    ds.file_meta.TransferSyntaxUID = syntax
    ds.SOPClassUID = ds.file_meta.MediaStorageSOPClassUID
    ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID
    ds.PatientID = "BAD1"
    ds.StudyDate = "20240101"
    ds.Modality = "OT"
    ds.ProtocolName = "AP Spine"
    ds.StudyInstanceUID = "2.25.1"
    ds.SeriesInstanceUID = "2.25.2"
    if pixels:
        ds.Rows, ds.Columns = rows, cols
        ds.SamplesPerPixel = samples
        ds.PhotometricInterpretation = photometric
        if samples > 1:
            ds.PlanarConfiguration = 0
        ds.BitsAllocated = ds.BitsStored = 8
        ds.HighBit = 7
        ds.PixelRepresentation = 0
        ds.PixelData = data if data is not None else bytes(rows * cols * samples)
        if syntax != dicom_uid.ExplicitVRLittleEndian:
            ds["PixelData"].is_undefined_length = True
            ds["PixelData"].VR = "OB"
    ds.is_little_endian, ds.is_implicit_VR = True, False
    dcmwrite(path, ds, write_like_original=False)


def check_traversal(args):
    """A crafted page whose SOP Instance UID and ProtocolName climb out of the output folders."""
    d = os.path.join(args.work, "traversal", "in")
    out = os.path.join(args.work, "traversal", "out")
    os.makedirs(d)
    sc(os.path.join(d, "climb.dcm"), rows=200, cols=200, data=bytes([255]) * 40000)
    sc(os.path.join(d, "climb_protocol.dcm"), rows=200, cols=200, data=bytes([255]) * 40000)
    sc(os.path.join(d, "dots.dcm"), rows=200, cols=200, data=bytes([255]) * 40000)
    for name, uid, protocol in [("climb.dcm", "../../../escaped", "AP Spine"),
                                ("climb_protocol.dcm", "2.25.7", "../../../escaped_dir"),
                                ("dots.dcm", "..", "..")]:
        ds = pydicom.dcmread(os.path.join(d, name))
        ds.SOPInstanceUID = uid  # not a valid UID: that is the attack
        ds.file_meta.MediaStorageSOPInstanceUID = uid
        ds.ProtocolName = protocol
        ds.StudyDescription = "DXA Bone Density"  # passes the header filter whatever the protocol
        dcmwrite(os.path.join(d, name), ds, write_like_original=False)
    png, words = os.path.join(out, "png", "deep"), os.path.join(out, "words", "deep")
    run = subprocess.run([args.dicometl, "dexa", d, "--csv", os.path.join(out, "v.csv"), "--png-dir", png,
                          "--words-dir", words, "-j", "1"], capture_output=True, text=True)
    check("crafted names: dicometl dexa ran", run.returncode in (0, 1), f"{run.returncode} {run.stderr[-300:]}")
    written = [os.path.join(dp, f) for dp, _, fs in os.walk(os.path.join(args.work, "traversal")) for f in fs]
    outside = [p for p in written if not (p.startswith(png + os.sep) or p.startswith(words + os.sep)
                                          or p.startswith(d + os.sep) or p == os.path.join(out, "v.csv"))]
    check("crafted SOP Instance UID / ProtocolName: nothing written outside --png-dir and --words-dir",
          not outside, str(outside))
    pngs = [p for p in written if p.startswith(png + os.sep) and p.endswith(".png")]
    tsvs = [p for p in written if p.startswith(words + os.sep) and p.endswith(".tsv")]
    check("crafted names: each page still exported, under a cleaned name", len(pngs) == 3 and len(tsvs) == 3,
          f"{sorted(os.path.relpath(p, out) for p in pngs + tsvs)}")
    hidden = [p for p in pngs + tsvs if any(part.startswith(".") for part in os.path.relpath(p, out).split(os.sep))]
    check("crafted names: no hidden file or folder ('..' cleaned)", not hidden, str(hidden))


def check_non_utf8_name(args):
    """A page whose file name is not UTF-8 (Latin-1 "é", as on a Windows share): the catalog writes
    it as \\xE9 and dexa must reopen the file by its real bytes to render it."""
    d = os.path.join(args.work, "latin1", "in")
    png = os.path.join(args.work, "latin1", "png")
    os.makedirs(d)
    name = os.fsdecode(b"r\xe9sultat.dcm")
    sc(os.path.join(d, name), rows=200, cols=200, data=bytes([255]) * 40000)
    ds = pydicom.dcmread(os.path.join(d, name))
    ds.StudyDescription = "DXA Bone Density"
    dcmwrite(os.path.join(d, name), ds, write_like_original=False)
    rejects = os.path.join(args.work, "latin1", "rejects.csv")
    run = subprocess.run([args.dicometl, "dexa", d, "--csv", os.path.join(args.work, "latin1", "v.csv"),
                          "--png-dir", png, "--rejects", rejects, "-j", "1"], capture_output=True, text=True)
    pngs = [f for _, _, fs in os.walk(png) for f in fs if f.endswith(".png")]
    listed = [r for r in csv.DictReader(open(rejects))] if os.path.exists(rejects) else []
    check("non-UTF-8 file name: the page is opened and rendered", len(pngs) == 1,
          f"exit {run.returncode}, {pngs}, rejects {listed}")
    # A blank page has no table: rejected for that, by its catalog name, not as unreadable.
    check("non-UTF-8 file name: rejected for its content only, listed as \\xE9",
          len(listed) == 1 and "\\xE9" in listed[0]["path"] and listed[0]["reason"].startswith("no results table"),
          str(listed))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dicometl", required=True)
    ap.add_argument("--work", required=True)
    args = ap.parse_args()
    shutil.rmtree(args.work, ignore_errors=True)
    d = os.path.join(args.work, "in")
    os.makedirs(d)
    sc(os.path.join(d, "truncated.dcm"), rows=512, cols=512)
    with open(os.path.join(d, "truncated.dcm"), "r+b") as f:
        f.truncate(os.path.getsize(os.path.join(d, "truncated.dcm")) - 100000)
    sc(os.path.join(d, "bad_jpeg.dcm"), syntax=dicom_uid.JPEGBaseline8Bit,
       data=encapsulate([b"\xff\xd8" + os.urandom(500)]))
    sc(os.path.join(d, "no_pixels.dcm"), pixels=False)
    sc(os.path.join(d, "tiny.dcm"), rows=1, cols=1)
    rgb = np.full((300, 400, 3), 200, dtype=np.uint8)
    sc(os.path.join(d, "rgb_blank.dcm"), rows=300, cols=400, data=rgb.tobytes(), photometric="RGB", samples=3)
    open(os.path.join(d, "empty.dcm"), "wb").close()
    with open(os.path.join(d, "junk.dcm"), "wb") as f:
        f.write(os.urandom(4096))
    before = {p: open(os.path.join(d, p), "rb").read() for p in os.listdir(d)}
    out = os.path.join(args.work, "out.csv")
    run = subprocess.run([args.dicometl, "dexa", d, "--csv", out, "-j", "2"], capture_output=True, text=True)
    sys.stderr.write(run.stderr)
    check("no crash: exit code 1 (done with rejected files)", run.returncode == 1, str(run.returncode))
    for name in ["truncated.dcm", "bad_jpeg.dcm", "tiny.dcm", "rgb_blank.dcm", "empty.dcm", "junk.dcm"]:
        line = [l for l in run.stderr.splitlines() if l.strip().startswith(os.path.join(d, name) + ":")]
        check(f"{name} rejected with a reason", bool(line) and len(line[0].split(": ", 1)[1]) > 3,
              line[0].strip() if line else "not listed")
    check("CSV has a header and no values", open(out).read().count("\n") == 1)
    # --rejects: every rejected file with its reason in a CSV, and no path on the terminal.
    rejects = os.path.join(args.work, "rejects.csv")
    run2 = subprocess.run([args.dicometl, "dexa", d, "--csv", out, "--rejects", rejects, "-j", "2"],
                          capture_output=True, text=True)
    check("--rejects: exit code 1", run2.returncode == 1, str(run2.returncode))
    listed = {os.path.basename(r["path"]): r["reason"] for r in csv.DictReader(open(rejects))}
    for name in ["truncated.dcm", "bad_jpeg.dcm", "tiny.dcm", "rgb_blank.dcm", "empty.dcm", "junk.dcm"]:
        check(f"--rejects lists {name} with a reason", len(listed.get(name, "")) > 3, listed.get(name, "missing"))
    check("--rejects: no input path on stderr", d not in run2.stderr, run2.stderr[-300:])
    # A broken OCR module (DICOMETL_MODULE_DIR is searched first): a fatal error that says so,
    # not a crash and not a run that silently reads nothing.
    broken = os.path.join(args.work, "broken-module")
    os.makedirs(broken, exist_ok=True)
    with open(os.path.join(broken, "libdicometl_tesseract.so"), "wb") as f:
        f.write(b"not a shared object")
    run3 = subprocess.run([args.dicometl, "dexa", d, "--csv", out], capture_output=True, text=True,
                          env=dict(os.environ, DICOMETL_MODULE_DIR=broken))
    check("broken OCR module: fatal exit with the reason", run3.returncode == 3 and
          "cannot load the OCR module" in run3.stderr, "%d %s" % (run3.returncode, run3.stderr[-300:]))
    check_traversal(args)
    check_non_utf8_name(args)
    after = {p: open(os.path.join(d, p), "rb").read() for p in os.listdir(d)}
    check("input files unchanged", before == after)
    print(f"{len(failures)} failure(s)" if failures else "all checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
