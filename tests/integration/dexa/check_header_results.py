#!/usr/bin/python3
"""Results in the DICOM header, read without OCR (src/dicometl/dexa/header_results.cpp): report
pages written here with pydicom whose private element holds a Hologic-style results script
(`ResultsTable[ r][ c] = "text";` lines, docs/dexa.md "Paths without OCR"). The pixels are blank,
so every value in the output came from the header. Checked: values and layout `hologic-header`,
explicit and implicit VR (a private UN value larger than the header reader's default inline
limit), QC on those values, the script's scan date against StudyDate, and a body-composition
script (no BMD column) giving no header values."""
import csv
import os
import shutil
import subprocess
import sys

from pydicom import dcmread
from pydicom.filewriter import dcmwrite
from pydicom import uid as dicom_uid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_bad_inputs import check, failures, sc  # noqa: E402

# A spine table whose numbers agree as a scanner's do: BMD = BMC/Area, T = (BMD - mu)/sigma,
# PR = 100 BMD/mu, Z = T + 1.1, AM = 100 BMD/(mu - 1.1 sigma); mu 1.047, sigma 0.110.
MU, SD, SHIFT = 1.047, 0.110, 1.1
PARTS = [("L1", 13.02, 11.84), ("L2", 14.31, 13.51), ("L3", 15.40, 15.37), ("L4", 16.77, 17.30)]
HEADER = ["Region", "Area[cm<sup><small>2</small></sup>]", "BMC[(g)]",
          "BMD[g/cm<sup><small>2</small></sup>]", "T-score", "PR (%)", "Z-score", "AM (%)"]
METRICS = [None, "area", "bmc", "bmd", "t_score", "ya_pct", "z_score", "am_pct"]


def spine_rows():
    rows = list(PARTS) + [("L1-L4", round(sum(p[1] for p in PARTS), 2), round(sum(p[2] for p in PARTS), 2))]
    out = []
    for name, area, bmc in rows:
        bmd = round(bmc / area, 3)
        t = (bmd - MU) / SD
        out.append([name, f"{area:.2f}", f"{bmc:.2f}", f"{bmd:.3f}", f"{t:.1f}", f"{round(100 * bmd / MU)}",
                    f"{t + SHIFT:.1f}", f"{round(100 * bmd / (MU - SHIFT * SD))}"])
    return out


def script(rows, header=HEADER, scan="04 December 2019 - A12041907", padding=0):
    lines = [f'Scan = "{scan}";', 'PatientSex = "F";', 'Ethnicity = "White";', "ImageXPos = 40;"]
    for c, label in enumerate(header):
        lines.append(f'ResultsTable[{0:2d}][{c:2d}] = "{label}";')
    for r, row in enumerate(rows, start=1):
        for c, text in enumerate(row):
            lines.append(f'ResultsTable[{r:2d}][{c:2d}] = "{text}";')
    lines += [f'Comment{i} = "padding line {i}";' for i in range(padding)]
    return ("\r\n".join(lines) + "\r\n").encode("ascii")


def page(path, payload, implicit=False, study_date="20191204", protocol="AP Spine"):
    sc(path)  # a blank 64x64 Secondary Capture page (check_bad_inputs.py)
    ds = dcmread(path)
    ds.PatientID = "HDR" + os.path.basename(path)[:3]
    ds.StudyDate = study_date
    ds.Manufacturer = "HOLOGIC"
    ds.ProtocolName = protocol
    ds.StudyInstanceUID = ds.SOPInstanceUID + ".1"
    ds.SeriesInstanceUID = ds.SOPInstanceUID + ".2"
    # Where the vendor's element sits is not documented: a private block of its own.
    block = ds.private_block(0x0029, "ACME RESULTS" if implicit else "HOLOGIC", create=True)
    block.add_new(0x00, "OB", payload)
    ds.file_meta.TransferSyntaxUID = (dicom_uid.ImplicitVRLittleEndian if implicit
                                      else dicom_uid.ExplicitVRLittleEndian)
    ds.is_little_endian, ds.is_implicit_VR = True, implicit
    dcmwrite(path, ds, write_like_original=False)


def main(dicometl, work):
    shutil.rmtree(work, ignore_errors=True)
    d = os.path.join(work, "in")
    os.makedirs(d)
    rows = spine_rows()
    page(os.path.join(d, "explicit.dcm"), script(rows))
    big = script(rows, padding=80)
    check("implicit-VR script is larger than the default inline limit (1024 bytes)", len(big) > 1024, str(len(big)))
    page(os.path.join(d, "implicit.dcm"), big, implicit=True)
    wrong = [list(r) for r in rows]
    wrong[1][3] = "0.444"  # L2 BMD 0.944 with a wrong digit: BMC/Area and PR disagree
    page(os.path.join(d, "wrong_bmd.dcm"), script(wrong))
    page(os.path.join(d, "misdated.dcm"), script(rows, scan="03 December 2019 - A12031901"))
    body = script([["Trunk", "12000", "23000", "35000", "34.2"]],
                  header=["Region", "Fat[(g)]", "Lean[(g)]", "Total[(g)]", "% Fat[(%)]"])
    page(os.path.join(d, "body_comp.dcm"), body, protocol="Whole Body")
    before = {p: open(os.path.join(d, p), "rb").read() for p in os.listdir(d)}

    out = os.path.join(work, "out.csv")
    run = subprocess.run([dicometl, "dexa", d, "--csv", out, "-j", "2"], capture_output=True, text=True)
    sys.stderr.write(run.stderr)
    check("dexa ran (exit 0 or 1)", run.returncode in (0, 1), str(run.returncode))
    got = list(csv.DictReader(open(out)))
    by_file = {}
    for r in got:
        by_file.setdefault(os.path.basename(r["source_file"]), []).append(r)

    for name in ["explicit.dcm", "implicit.dcm"]:
        rs = by_file.get(name, [])
        check(f"{name}: every value from the header", len(rs) == 5 * 7, str(len(rs)))
        check(f"{name}: layout hologic-header", rs and all(r["layout"] == "hologic-header" for r in rs))
        values = {(r["region"], r["metric"]): r["value"] for r in rs}
        expected = {(row[0], METRICS[c]): row[c] for row in rows for c in range(1, 8)}
        check(f"{name}: values as written", values == expected,
              str(sorted(set(expected.items()) ^ set(values.items())))[:300])
        check(f"{name}: all ok", rs and all(r["qc_status"] == "ok" for r in rs),
              str([(r["region"], r["metric"], r["qc_reason"]) for r in rs if r["qc_status"] != "ok"])[:300])
        check(f"{name}: scan date from the script", rs and rs[0]["page_scan_date"] == "04 December 2019",
              rs[0]["page_scan_date"] if rs else "")

    rs = {(r["region"], r["metric"]): r for r in by_file.get("wrong_bmd.dcm", [])}
    bad = rs.get(("L2", "bmd"), {})
    check("wrong BMD flagged by BMD = BMC/Area", bad.get("qc_status") == "flagged" and "BMC/Area" in bad.get("qc_reason", ""),
          str(bad.get("qc_reason")))
    check("wrong BMD flagged by the young-adult mean", "young-adult mean" in bad.get("qc_reason", ""), str(bad.get("qc_reason")))
    check("other rows of that page ok", rs.get(("L4", "t_score"), {}).get("qc_status") == "ok")

    rs = by_file.get("misdated.dcm", [])
    check("misdated: every value flagged by the scan date", rs and all(
        r["qc_status"] == "flagged" and "scan date" in r["qc_reason"] for r in rs), str(len(rs)))
    check("body composition script: no values", "body_comp.dcm" not in by_file)
    after = {p: open(os.path.join(d, p), "rb").read() for p in os.listdir(d)}
    check("input files unchanged", before == after)
    print(f"{len(failures)} failure(s)" if failures else "all checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: check_header_results.py DICOMETL WORKDIR")
    sys.exit(main(sys.argv[1], sys.argv[2]))
