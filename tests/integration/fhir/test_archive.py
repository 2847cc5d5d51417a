"""A generated archive (tests/generate/make_archive.py, with its quirks and junk files) checked
against the generator's manifest; every output mode; determinism (same ids and bytes on re-runs,
folder vs catalog source); a shared --db exports only the studies of the folders given."""
import filecmp
import json
import os
import shutil
import subprocess
import sys
from collections import Counter, defaultdict

from fhir_common import WORK, check, load_dir, load_ndjson, run, run_json, sha, validate
from fhir_refs import apply_transaction, check_bundle, check_resources

root = os.path.join(WORK, "archive")
shutil.rmtree(root, ignore_errors=True)
os.makedirs(root)
gen = os.path.join(os.path.dirname(__file__), "../../generate/make_archive.py")
for name, seed, patients in (("a", 11, 6), ("b", 12, 2)):
    subprocess.run([sys.executable, gen, "--out", f"{root}/{name}", "--seed", str(seed), "--patients",
                    str(patients), "--junk", "--manifest", f"{root}/{name}.json"], check=True,
                   stdout=subprocess.DEVNULL)
m = json.load(open(f"{root}/a.json"))
per_study = Counter(i["study_instance_uid"] for i in m["instances"])
series_of = defaultdict(set)
for i in m["instances"]:
    series_of[i["study_instance_uid"]].add(i["series_instance_uid"])

# NDJSON from the folder, twice: identical bytes.
rc, s, _ = run_json(f"{root}/a", "--out", f"{root}/nd1", "--ndjson", "--devices", "--patients",
                    "--timezone", "Europe/Berlin")
check(s["not_dicom"] == m["counts"]["non_dicom"], f"junk files counted: {s} vs {m['counts']}")
check(s["converted"] == m["counts"]["studies"], f"one ImagingStudy per study: {s}")
run(f"{root}/a", "--out", f"{root}/nd2", "--ndjson", "--devices", "--patients", "--timezone",
    "Europe/Berlin", "-q")
for t in ("ImagingStudy", "Device", "Patient"):
    check(filecmp.cmp(f"{root}/nd1/{t}.ndjson", f"{root}/nd2/{t}.ndjson", shallow=False),
          f"{t}.ndjson identical across runs")
studies = load_ndjson(f"{root}/nd1", "ImagingStudy")
check(len(studies) == m["counts"]["studies"], "study count vs manifest")
for st in studies:
    uid = st["identifier"][-1]["value"][len("urn:oid:"):]
    check(st["id"] == sha("urn:dicom:uid|" + uid), "id = sha256(system|StudyInstanceUID)")
    check(st["numberOfInstances"] == per_study[uid], f"instances of {uid}")
    check(st["numberOfSeries"] == len(series_of[uid]), f"series of {uid}")
check(len({p["id"] for p in load_ndjson(f"{root}/nd1", "Patient")}) == m["counts"]["patients"], "patients")

# Into a catalog, then from the catalog: the same resources.
run(f"{root}/a", "--db", f"sqlite:{root}/cat.db", "--out", f"{root}/nd3", "--ndjson", "--devices",
    "--patients", "--timezone", "Europe/Berlin", "-q")
run(f"sqlite:{root}/cat.db", "--out", f"{root}/nd4", "--ndjson", "--devices", "--patients",
    "--timezone", "Europe/Berlin", "-q", expect=0)
for t in ("ImagingStudy", "Device", "Patient"):
    check(filecmp.cmp(f"{root}/nd1/{t}.ndjson", f"{root}/nd4/{t}.ndjson", shallow=False),
          f"{t}: folder and catalog sources agree")

# A shared catalog: exporting folder b exports b's studies only.
mb = json.load(open(f"{root}/b.json"))
rc, s, _ = run_json(f"{root}/b", "--db", f"sqlite:{root}/cat.db", "--out", f"{root}/ndb", "--ndjson")
check(s["converted"] == mb["counts"]["studies"], f"only b's studies: {s} vs {mb['counts']}")

# Files, collection and transaction bundles, re-run into the same folder: same file names.
run(f"sqlite:{root}/cat.db", "--out", f"{root}/files", "--devices", "-q")
before = sorted(os.listdir(f"{root}/files"))
run(f"sqlite:{root}/cat.db", "--out", f"{root}/files", "--devices", "-q")
check(sorted(os.listdir(f"{root}/files")) == before, "re-run overwrites, no duplicates")
run(f"sqlite:{root}/cat.db", "--out", f"{root}/coll", "--bundle", "collection", "--patients", "-q")
run(f"sqlite:{root}/cat.db", "--out", f"{root}/tx", "--bundle", "transaction", "--devices",
    "--contained-patient", "-q")
check(len(load_dir(f"{root}/tx")["Bundle"]) == m["counts"]["studies"] + mb["counts"]["studies"], "bundles")

# Every reference resolves: NDJSON and files among themselves, each Bundle by R4's rules, each
# transaction as the server stores it (fhir_refs.py).
nd = [r for t in ("ImagingStudy", "Device", "Patient") for r in load_ndjson(f"{root}/nd1", t)]
problems = check_resources(nd)
problems += check_resources([r for d in load_dir(f"{root}/files").values() for r in d.values()])
for b in load_dir(f"{root}/coll")["Bundle"].values():
    problems += check_bundle(b)
for b in load_dir(f"{root}/tx")["Bundle"].values():
    problems += check_bundle(b) + check_resources(list(apply_transaction(b).values()))
check(not problems, f"{len(problems)} unresolved references: {problems[:5]}")

# --mii: per instance, slice thickness and pixel spacing as the generator wrote them; per series,
# the X-ray tube voltage of its first instance (the catalog's order: instance number).
run(f"sqlite:{root}/cat.db", "--out", f"{root}/mii", "--mii", "--devices", "-q")
mii = load_dir(f"{root}/mii")["ImagingStudy"]
by_sop = {i["sop_instance_uid"]: i for i in m["instances"]}
first = {}
for i in m["instances"]:
    if i["series_instance_uid"] not in first or i["instance_number"] < first[i["series_instance_uid"]]["instance_number"]:
        first[i["series_instance_uid"]] = i
checked = 0
for st in mii.values():
    for se in st["series"]:
        if se["uid"] not in first:
            continue  # a study of folder b
        ext = {e["url"].rsplit("/", 1)[-1]: {x["url"]: x for x in e["extension"]} for e in se.get("extension", [])}
        kvp = first[se["uid"]]["kvp"]
        tech = ext.get("mii-ex-bildgebung-modalitaet-ct") or ext.get("mii-ex-bildgebung-modalitaet-mg-cr-dx") or {}
        got = tech.get("KVP", {}).get("valueQuantity", {}).get("value")
        check(got == kvp, f"series {se['uid']} {se['modality']['code']}: KVP {got} vs manifest {kvp}")
        for inst in se["instance"]:
            want = by_sop[inst["uid"]]
            det = {x["url"]: x for e in inst.get("extension", []) for x in e["extension"]}
            thick = det.get("sliceThickness", {}).get("valueQuantity", {}).get("value")
            check(thick == want["slice_thickness"], f"{inst['uid']}: slice thickness {thick} vs {want['slice_thickness']}")
            if want["pixel_spacing"]:
                got = [det[k]["valueQuantity"]["value"] for k in ("pixelSpacingY", "pixelSpacingX")]
                check(got == want["pixel_spacing"], f"{inst['uid']}: pixel spacing {got} vs {want['pixel_spacing']}")
            checked += 1
check(checked == len(m["instances"]), f"every instance of a compared: {checked}")
validate(f"{root}/nd1", f"{root}/files", f"{root}/coll", f"{root}/tx", f"{root}/ndb", f"{root}/mii")
print("archive ok")
