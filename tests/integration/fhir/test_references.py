"""Every reference dicometl writes resolves, in every output (issue 14, items 15 and 16):
Bundles (collection, transaction; urn:uuid fullUrls, or server-style ones with --server-base) by
R4's rules with a fullUrl on every entry, the resources a transaction leaves on a server, and
files/NDJSON among themselves. A reference to a resource the
run does not write (Patient without --patients, Encounter without --encounters) must be a logical
one (identifier only). Files are written here with pydicom; both validators check every output."""
import json
import os
import shutil

from fhir_common import WORK, check, load_dir, load_ndjson, run, sha, validate, write_dicom
from fhir_refs import apply_transaction, check_bundle, check_resources, references

root = os.path.join(WORK, "refs")
shutil.rmtree(root, ignore_errors=True)
src = f"{root}/src"

# Patient P1: two studies in the same admission, a CT scanner with a serial number.
for n in (1, 2):
    write_dicom(f"{src}/p1s{n}/1.dcm", f"1.2.826.0.5.{n}", f"1.2.826.0.5.{n}.1", f"1.2.826.0.5.{n}.1.1",
                PatientID="P1", PatientName="Roe^Rita", PatientSex="F", AdmissionID="ADM-1",
                AccessionNumber=f"ACC-{n}", StudyDate="20220101", SeriesNumber=1, InstanceNumber=1,
                Manufacturer="ACME", ManufacturerModelName="CT 1", DeviceSerialNumber="SN-1")
# Patient P2: another admission, no serial number.
write_dicom(f"{src}/p2/1.dcm", "1.2.826.0.5.3", "1.2.826.0.5.3.1", "1.2.826.0.5.3.1.1",
            PatientID="P2", AdmissionID="ADM-2", AccessionNumber="ACC-3", StudyDate="20220102")
# Patient P3: no admission, no scanner serial: nothing but the patient to link.
write_dicom(f"{src}/p3/1.dcm", "1.2.826.0.5.4", "1.2.826.0.5.4.1", "1.2.826.0.5.4.1.1",
            PatientID="P3", AccessionNumber="ACC-4", StudyDate="20220103")

ENC1 = sha("urn:dicometl:admission-id|ADM-1")
PAT1 = sha("urn:dicometl:patient-id|P1")
ALL = ("--patients", "--devices", "--encounters")


def export(name, *args):
    run(src, "--out", f"{root}/{name}", "-q", *args, expect=0)
    return f"{root}/{name}"


def no_problems(what, problems):
    check(not problems, f"{what}: {len(problems)} unresolved:\n  " + "\n  ".join(problems[:20]))


def files_of(folder):
    return [r for by_id in load_dir(folder).values() for r in by_id.values()]


def study_of(resources, uid):
    return next(r for r in resources if r["resourceType"] == "ImagingStudy" and r["id"] == sha("urn:dicom:uid|" + uid))


# 1. Files, nothing but ImagingStudy: subject and encounter are logical references.
out = export("files-plain")
res = files_of(out)
no_problems("files without --patients/--encounters", check_resources(res))
st = study_of(res, "1.2.826.0.5.1")
check("reference" not in st["subject"] and st["subject"]["identifier"]["value"] == "P1",
      f"subject is logical without --patients: {st['subject']}")
check(st["encounter"] == {"identifier": {"system": "urn:dicometl:admission-id", "value": "ADM-1"}},
      f"encounter is logical without --encounters: {st['encounter']}")
check(not any(r["resourceType"] == "Encounter" for r in res), "no Encounter written")

# 2. Files with everything emitted: literal references, all resolvable among the files.
out = export("files-all", *ALL)
res = files_of(out)
no_problems("files with --patients --devices --encounters", check_resources(res))
enc = [r for r in res if r["resourceType"] == "Encounter"]
check(len(enc) == 2, f"one Encounter per admission: {len(enc)}")
e1 = next(e for e in enc if e["id"] == ENC1)
check(e1["identifier"] == [{"system": "urn:dicometl:admission-id", "value": "ADM-1"}], f"identifier {e1}")
check(e1["status"] == "unknown" and "class" in e1, f"status and class (both 1..1 in R4): {e1}")
check(e1["subject"]["reference"] == f"Patient/{PAT1}", f"Encounter.subject -> Patient: {e1['subject']}")
st = study_of(res, "1.2.826.0.5.1")
check(st["encounter"]["reference"] == f"Encounter/{ENC1}", f"study -> Encounter: {st['encounter']}")
check(st["subject"]["reference"] == f"Patient/{PAT1}", "study -> Patient")

# 3. NDJSON: distinct resources, references among the files of the run.
out = export("nd-all", "--ndjson", *ALL)
nd = [r for t in ("Patient", "Encounter", "Device", "ImagingStudy") for r in load_ndjson(out, t)]
no_problems("NDJSON", check_resources(nd))
check(len(load_ndjson(out, "Encounter")) == 2, "NDJSON: ADM-1 written once for its two studies")
check(len(load_ndjson(out, "Patient")) == 3, "NDJSON: three patients")

# 4. Bundles: every entry has a fullUrl and every reference resolves inside the Bundle.
bundle_dirs = []
for kind in ("collection", "transaction"):
    for flags in ((), ALL, ("--contained-patient", "--encounters", "--devices")):
        name = f"b-{kind}-{len(flags)}-{'c' if '--contained-patient' in flags else 'r'}"
        out = export(name, "--bundle", kind, *flags)
        bundles = list(load_dir(out)["Bundle"].values())
        check(len(bundles) == 4, f"{name}: a Bundle per study")
        for b in bundles:
            check(b["type"] == kind, f"{name}: type")
            no_problems(f"{name} Bundle/{b['id']}", check_bundle(b))
            if kind == "transaction":
                stored = apply_transaction(b)
                no_problems(f"{name} after the transaction", check_resources(list(stored.values())))
        bundle_dirs.append(out)

# The transaction of study 1 with everything: the server ends up with literal references.
b = load_dir(f"{root}/b-transaction-3-r")["Bundle"][sha("urn:dicom:uid|1.2.826.0.5.1")]
check([e["request"]["url"].split("/")[0] for e in b["entry"]] == ["Patient", "Encounter", "Device", "ImagingStudy"],
      "entries in reference order")
stored = apply_transaction(b)
st = stored["ImagingStudy/" + sha("urn:dicom:uid|1.2.826.0.5.1")]
check(st["subject"]["reference"] == f"Patient/{PAT1}" and st["encounter"]["reference"] == f"Encounter/{ENC1}",
      f"after the transaction: {st['subject']} {st['encounter']}")
check(st["series"][0]["performer"][0]["actor"]["reference"] == "Device/" + sha("SN-1|ACME"), "performer")
# With a contained patient the Encounter cannot point into the study: its subject is logical.
b = load_dir(f"{root}/b-transaction-3-c")["Bundle"][sha("urn:dicom:uid|1.2.826.0.5.1")]
enc = next(e["resource"] for e in b["entry"] if e["resource"]["resourceType"] == "Encounter")
check("reference" not in enc["subject"] and enc["subject"]["identifier"]["value"] == "P1",
      f"Encounter.subject logical beside a contained patient: {enc['subject']}")

# 5. --server-base: server-style fullUrls (BASE/Type/id) and relative references, which R4 resolves
# against the fullUrl's base, so no server has to rewrite urn:uuid references. The credentials and
# the trailing slash of the URL given are not part of the base written.
BASE = "https://fhir.example.org:8443/r4"
given = "https://fhir-user:s3cr3t@fhir.example.org:8443/r4/"
for kind in ("collection", "transaction"):
    for flags in (ALL, ("--contained-patient", "--encounters", "--devices")):
        name = f"sb-{kind}-{'c' if '--contained-patient' in flags else 'r'}"
        out = export(name, "--bundle", kind, "--server-base", given, *flags)
        bundles = list(load_dir(out)["Bundle"].values())
        check(len(bundles) == 4, f"{name}: a Bundle per study")
        for b in bundles:
            text = json.dumps(b)
            check("urn:uuid" not in text, f"{name}: no urn:uuid left: {text[:300]}")
            check("fhir-user" not in text and "s3cr3t" not in text, f"{name}: credentials written")
            for e in b["entry"]:
                tid = f"{e['resource']['resourceType']}/{e['resource']['id']}"
                check(e["fullUrl"] == f"{BASE}/{tid}", f"{name}: fullUrl {e['fullUrl']} for {tid}")
            no_problems(f"{name} Bundle/{b['id']}", check_bundle(b))
            refs = [r for e in b["entry"] for _, r in references(e["resource"]) if not r.startswith("#")]
            check(all(not r.startswith("http") for r in refs), f"{name}: references are relative: {refs}")
            if kind == "transaction":
                no_problems(f"{name} after the transaction", check_resources(list(apply_transaction(b).values())))
        bundle_dirs.append(out)
b = load_dir(f"{root}/sb-transaction-r")["Bundle"][sha("urn:dicom:uid|1.2.826.0.5.1")]
st = b["entry"][-1]["resource"]
check(st["subject"]["reference"] == f"Patient/{PAT1}" and st["encounter"]["reference"] == f"Encounter/{ENC1}"
      and st["series"][0]["performer"][0]["actor"]["reference"] == "Device/" + sha("SN-1|ACME"),
      f"--server-base: the study references its Patient, Encounter and Device: {st['subject']}")
check(sum(r.startswith("Patient/") for e in b["entry"] for _, r in references(e["resource"])) == 2,
      "--server-base: study and Encounter both reference the Patient entry")
for bad, why in ((("--bundle", "transaction", "--server-base", "fhir.example.org/r4"), "not http(s)"),
                 (("--server-base", BASE), "no Bundle to put it in")):
    rc, _, err = run(src, "--out", f"{root}/bad", "-q", *bad)
    check(rc == 2 and "--server-base" in err, f"--server-base {why}: exit {rc}, {err}")

validate(f"{root}/files-plain", f"{root}/files-all", f"{root}/nd-all", *bundle_dirs)
print("references ok")
