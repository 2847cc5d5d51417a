"""Mapping edge cases, each written with pydicom so the expected values are known here:
datetime with TimezoneOffsetFromUTC and with --timezone (IANA, DST), empty accession, many series,
an SR instance (title from ConceptNameCodeSequence), a scanner without serial number, a file
without StudyInstanceUID (reported, not converted), codes, encounter, laterality, Annex L."""
import csv
import os
import shutil

from pydicom.sequence import Sequence

from fhir_common import (BASIC_TEXT_SR, WORK, check, code_item, load_dir, load_ndjson, run,
                         run_json, sha, validate, write_dicom)

# The published Annex L table shipped in data/terminology (copied from the DICOM standard).
_csv = os.path.join(os.path.dirname(__file__), "../../../data/terminology/bodypart_snomed_annex_l.csv")
ANNEX_L = {r["BodyPartExamined"]: (r["SNOMED_CT_code"], r["CodeMeaning"]) for r in csv.DictReader(open(_csv))}

root = os.path.join(WORK, "edge")
shutil.rmtree(root, ignore_errors=True)
src = f"{root}/src"

# Study A: offset in the file, empty accession, codes, encounter, laterality, device with serial.
req = code_item("R-123", "RADLEX", "Chest pain")
write_dicom(f"{src}/a/1.dcm", "1.2.826.0.2.1", "1.2.826.0.2.1.1", "1.2.826.0.2.1.1.1",
            PatientID="PID-A", PatientName="Müller^Hans^Peter^Dr.", PatientSex="M",
            PatientBirthDate="19600229", AccessionNumber="", StudyDate="20210304",
            StudyTime="101112.5", TimezoneOffsetFromUTC="+0530", SeriesNumber=1,
            InstanceNumber=1, BodyPartExamined="chest", Laterality="L", AdmissionID="ADM-77",
            ProcedureCodeSequence=Sequence([code_item("24627-2", "LN", "CT Chest")]),
            ReasonForRequestedProcedureCodeSequence=Sequence([req]),
            Manufacturer="ACME", ManufacturerModelName="Scan 9", DeviceSerialNumber="SN-42",
            SoftwareVersions="1.0", ImageType=["ORIGINAL", "PRIMARY", "AXIAL"])

# Study B: 25 series, no offset in the files (January and July: DST), unknown body part, no serial.
for s in range(25):
    write_dicom(f"{src}/b/s{s}.dcm", "1.2.826.0.2.2", f"1.2.826.0.2.2.{s + 1}",
                f"1.2.826.0.2.2.{s + 1}.1", PatientID="PID-B", AccessionNumber="ACC-B",
                StudyDate="20200115", StudyTime="0930", SeriesDate="20200715" if s == 0 else "20200115",
                SeriesTime="120000", SeriesNumber=s + 1, InstanceNumber=1, Modality="MR",
                BodyPartExamined="FOOBAR", Manufacturer="NoSerial Inc", ManufacturerModelName="M1",
                ReasonForTheRequestedProcedure="follow-up")

# Study C: an SR document; the title is the concept name.
write_dicom(f"{src}/c/sr.dcm", "1.2.826.0.2.3", "1.2.826.0.2.3.1", "1.2.826.0.2.3.1.1",
            sop_class=BASIC_TEXT_SR, Modality="SR", PatientID="PID-C", AccessionNumber="ACC-C",
            StudyDate="20190101", SeriesNumber=1, InstanceNumber=1,
            ConceptNameCodeSequence=Sequence([code_item("18748-4", "LN", "Diagnostic imaging study")]),
            ValueType="CONTAINER")

# A file without StudyInstanceUID: cannot be placed in a study, reported.
write_dicom(f"{src}/d/nouid.dcm", None, "1.2.826.0.2.4.1", "1.2.826.0.2.4.1.1", PatientID="PID-D")

# 1. Files, devices, patients, profile, IANA zone.
profile = ("https://www.medizininformatik-initiative.de/fhir/ext/modul-bildgebung/"
           "StructureDefinition/mii-pr-bildgebung-bildgebungsstudie")
rc, s, err = run_json(src, "--out", f"{root}/files", "--devices", "--patients", "--profile", profile,
                      "--timezone", "Europe/Berlin", "--patient-id-system", "https://h.example/pid",
                      expect=1)
check(s["converted"] == 3 and s["failed"] == 1, f"3 studies converted, 1 file failed: {s}")
check(s["series_without_serial"] == 26, f"25 MR series + the SR lack a serial: {s}")
res = load_dir(f"{root}/files")
a = res["ImagingStudy"][sha("urn:dicom:uid|1.2.826.0.2.1")]
b = res["ImagingStudy"][sha("urn:dicom:uid|1.2.826.0.2.2")]
c = res["ImagingStudy"][sha("urn:dicom:uid|1.2.826.0.2.3")]
check(a["started"] == "2021-03-04T10:11:12.5+05:30", f"A started {a['started']}")
check(a["identifier"] == [{"system": "urn:dicom:uid", "value": "urn:oid:1.2.826.0.2.1"}],
      f"A: empty accession -> only the UID identifier: {a['identifier']}")
check(a["meta"]["profile"] == [profile], "profile")
check(a["subject"]["reference"] == "Patient/" + sha("https://h.example/pid|PID-A"), "subject ref")
check(a["subject"]["identifier"]["value"] == "PID-A", "MR identifier")
check(a["encounter"]["identifier"]["value"] == "ADM-77", "encounter from AdmissionID")
check(a["procedureCode"][0]["coding"][0] == {"system": "http://loinc.org", "code": "24627-2",
                                             "display": "CT Chest"}, f"procedureCode {a.get('procedureCode')}")
check(a["reasonCode"][0]["coding"][0]["system"] == "http://www.radlex.org", "reasonCode coded")
sa = a["series"][0]
check(sa["bodySite"] == {"system": "http://snomed.info/sct", "code": ANNEX_L["CHEST"][0],
                        "display": ANNEX_L["CHEST"][1]},
      f"bodySite chest {sa['bodySite']}")
check(sa["laterality"]["code"] == "7771000", "laterality L")
dev_id = sha("SN-42|ACME")
check(sa["performer"][0]["actor"]["reference"] == "Device/" + dev_id, "performer -> Device")
check(sa["instance"][0]["title"] == "ORIGINAL\\PRIMARY\\AXIAL", "title from ImageType")
check(sa["instance"][0]["sopClass"]["code"] == "urn:oid:1.2.840.10008.5.1.4.1.1.2", "sopClass")
dev = res["Device"][dev_id]
check(dev["serialNumber"] == "SN-42" and dev["manufacturer"] == "ACME", "Device fields")
check(dev["identifier"][0]["type"]["coding"][0]["code"] == "SNO", "Device SNO identifier")
check(len(res["Device"]) == 1, "no Device without a serial number")
pat = res["Patient"][sha("https://h.example/pid|PID-A")]
check(pat["name"][0] == {"family": "Müller", "given": ["Hans", "Peter"], "prefix": ["Dr."]}, f"name {pat['name']}")
check(pat["gender"] == "male" and pat["birthDate"] == "1960-02-29", "patient sex, birth date")
check(b["numberOfSeries"] == 25 and len(b["series"]) == 25, "many series")
check(b["started"] == "2020-01-15T09:30:00+01:00", f"B started, Berlin winter: {b['started']}")
check(b["series"][0]["started"] == "2020-07-15T12:00:00+02:00", f"B series, Berlin summer: {b['series'][0]['started']}")
check(b["series"][0]["bodySite"] == {"code": "FOOBAR"}, f"unknown body part, no system: {b['series'][0]['bodySite']}")
check(b["series"][0]["performer"][0]["actor"] == {"display": "NoSerial Inc M1"}, "no serial: named only")
check(b["reasonCode"] == [{"text": "follow-up"}], "reason as text")
check("identifier" in b and b["identifier"][0]["value"] == "ACC-B", "accession B")
check(c["series"][0]["instance"][0]["title"] == "Diagnostic imaging study", "SR title")
check(c["series"][0]["instance"][0]["sopClass"]["code"] == "urn:oid:" + BASIC_TEXT_SR, "SR sopClass")

# 2. No zone anywhere: a time cannot be written, the date stays (R4 needs a zone with a time).
rc, s, err = run_json(src, "--out", f"{root}/nozone", expect=1)
b2 = load_dir(f"{root}/nozone")["ImagingStudy"][sha("urn:dicom:uid|1.2.826.0.2.2")]
check(b2["started"] == "2020-01-15", f"no zone: date only {b2['started']}")
check(s["studies_time_dropped"] == 1, f"only B has a time and no zone: {s}")
rc, out, err = run(src, "--out", f"{root}/nozone2")
check("no Study or Series Instance UID" in err, f"the file without StudyInstanceUID is reported: {err}")

# 3. Fixed offset, contained patient, transaction bundles and NDJSON.
run(src, "--out", f"{root}/tx", "--bundle", "transaction", "--devices", "--contained-patient",
    "--timezone", "+01:00", "-q", expect=1)
tx = load_dir(f"{root}/tx")["Bundle"]
check(len(tx) == 3, "a transaction bundle per study")
bt = tx[sha("urn:dicom:uid|1.2.826.0.2.1")]
urls = [e["request"]["url"] for e in bt["entry"]]
check(urls == ["Device/" + dev_id, "ImagingStudy/" + sha("urn:dicom:uid|1.2.826.0.2.1")], f"PUT urls {urls}")
check(all(e["request"]["method"] == "PUT" for e in bt["entry"]), "PUT entries")
st = bt["entry"][-1]["resource"]
check(st["subject"] == {"reference": "#patient"} and st["contained"][0]["resourceType"] == "Patient", "contained")
run(src, "--out", f"{root}/nd", "--ndjson", "--devices", "--patients", "--timezone", "-05:00", "-q", expect=1)
check(len(load_ndjson(f"{root}/nd", "ImagingStudy")) == 3, "ndjson studies")
check(len(load_ndjson(f"{root}/nd", "Patient")) == 3 and len(load_ndjson(f"{root}/nd", "Device")) == 1,
      "ndjson patients and devices, distinct")
check(load_ndjson(f"{root}/nd", "ImagingStudy")[1]["started"].endswith("-05:00"), "fixed zone")

# Bad --timezone is a usage error.
check(run(src, "--out", f"{root}/x", "--timezone", "Mars/Olympus")[0] == 2, "bad zone -> 2")

validate(f"{root}/files", f"{root}/nozone", f"{root}/tx", f"{root}/nd")
print("edge cases ok")
