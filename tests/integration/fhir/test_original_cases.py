"""The original converter's three test cases (LinuxForHealth dicom-fhir-converter): one instance;
five instances with non-DICOM files mixed in; four series with one in a subfolder. Plus its
one-folder-one-study rule (--single-study)."""
import os
import shutil

from fhir_common import (WORK, check, code_item, fail, load_dir, run, run_json, sha, validate,  # noqa: F401
                         write_dicom)

root = os.path.join(WORK, "original")
shutil.rmtree(root, ignore_errors=True)

# Case 1: one instance.
c1 = os.path.join(root, "case1")
write_dicom(f"{c1}/IM1.dcm", "1.2.826.0.1.1", "1.2.826.0.1.1.1", "1.2.826.0.1.1.1.1",
            Modality="CR", AccessionNumber="ACC1", StudyDate="20050906", StudyTime="163926",
            TimezoneOffsetFromUTC="-0400", SeriesNumber=1, InstanceNumber=1, BodyPartExamined="HEAD")
rc, s, _ = run_json(c1, "--out", f"{root}/out1", "--single-study", "--bundle", "collection", expect=0)
check(s["converted"] == 1 and s["not_dicom"] == 0, f"case1 summary {s}")
bundle = load_dir(f"{root}/out1")["Bundle"]
(b,) = bundle.values()
study = b["entry"][-1]["resource"]
check(study["id"] == sha("urn:dicom:uid|1.2.826.0.1.1"), "case1 id is sha256(system|uid)")
check(study["started"] == "2005-09-06T16:39:26-04:00", f"case1 started {study['started']}")
check(study["numberOfSeries"] == 1 and study["numberOfInstances"] == 1, "case1 counts")
check(study["series"][0]["bodySite"]["code"] == "69536005", "case1 HEAD -> SNOMED 69536005")
check(study["identifier"][0]["value"] == "ACC1", "case1 accession identifier")

# Case 2: five instances with non-DICOM files mixed in.
c2 = os.path.join(root, "case2")
for i in range(5):
    write_dicom(f"{c2}/IM{i}.dcm", "1.2.826.0.1.2", "1.2.826.0.1.2.1", f"1.2.826.0.1.2.1.{i + 1}",
                AccessionNumber="ACC2", SeriesNumber=1, InstanceNumber=i + 1)
open(f"{c2}/notes.txt", "w").write("not a DICOM file\n")
open(f"{c2}/random.bin", "wb").write(os.urandom(3000))
open(f"{c2}/empty", "w").close()
rc, s, _ = run_json(c2, "--out", f"{root}/out2", "--single-study", expect=1)
check(s["not_dicom"] == 3 and s["converted"] == 1, f"case2: 3 skipped, 1 study: {s}")
(study,) = load_dir(f"{root}/out2")["ImagingStudy"].values()
check(study["numberOfInstances"] == 5, "case2 five instances")
check([i["number"] for i in study["series"][0]["instance"]] == [1, 2, 3, 4, 5], "case2 order")

# Case 3: four series, one in a subfolder.
c3 = os.path.join(root, "case3")
for s_ in range(4):
    folder = f"{c3}/sub" if s_ == 3 else c3
    for i in range(2):
        write_dicom(f"{folder}/S{s_}I{i}.dcm", "1.2.826.0.1.3", f"1.2.826.0.1.3.{s_ + 1}",
                    f"1.2.826.0.1.3.{s_ + 1}.{i + 1}", AccessionNumber="ACC3",
                    Modality="MR" if s_ % 2 else "CT", SeriesNumber=s_ + 1, InstanceNumber=i + 1)
rc, s, _ = run_json(c3, "--out", f"{root}/out3", "--single-study", "--ndjson", expect=0)
from fhir_common import load_ndjson  # noqa: E402
(study,) = load_ndjson(f"{root}/out3", "ImagingStudy")
check(study["numberOfSeries"] == 4 and study["numberOfInstances"] == 8, "case3 counts")
check([x["number"] for x in study["series"]] == [1, 2, 3, 4], "case3 series order")
check(sorted(m["code"] for m in study["modality"]) == ["CT", "MR"], "case3 modality list")

# One folder, two studies: --single-study refuses, as the original converter raised an error.
rc, _, err = run(root, "--out", f"{root}/out4", "--single-study", "-q")
check(rc == 3 and "expected exactly one" in err, f"--single-study with 3 studies: rc {rc} {err}")
validate(f"{root}/out1", f"{root}/out2", f"{root}/out3")
print("original cases ok")
