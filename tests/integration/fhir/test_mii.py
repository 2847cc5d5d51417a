"""The MII Bildgebung extensions and profiles with --mii (issue 14, item 17). The expected
extensions are written here from the MII StructureDefinitions (modul-bildgebung: canonical URLs,
sub-extension names, UCUM units) and from the values this test puts into its pydicom files:
CT technique and dose, X-ray technique, MR field strength and sequence, contrast, PET/NM
radiopharmaceutical, and per instance pixel spacing, slice thickness and image type."""
import os
import shutil

from pydicom.dataset import Dataset
from pydicom.sequence import Sequence

from fhir_common import WORK, check, code_item, load_dir, run, sha, validate, write_dicom

root = os.path.join(WORK, "mii")
shutil.rmtree(root, ignore_errors=True)
src = f"{root}/src"
STUDY = "1.2.826.0.6.1"
MII = "https://www.medizininformatik-initiative.de/fhir/ext/modul-bildgebung/"
SD = MII + "StructureDefinition/"
UCUM = "http://unitsofmeasure.org"


def q(value, unit, code):
    return {"value": value, "unit": unit, "system": UCUM, "code": code}


def series(n, modality, **fields):
    write_dicom(f"{src}/s{n}/1.dcm", STUDY, f"{STUDY}.{n}", f"{STUDY}.{n}.1", Modality=modality,
                SeriesNumber=n, InstanceNumber=1, PatientID="P-MII", StudyDate="20230301",
                Manufacturer="ACME", ManufacturerModelName="X", DeviceSerialNumber=f"SN-{modality}", **fields)


series(1, "CT", KVP="120", CTDIvol=12.5, ExposureTime="500", XRayTubeCurrent="200", Exposure="100",
       ContrastBolusAgent="Iomeprol", PixelSpacing=["0.5", "0.7"], SliceThickness="1.25",
       ImageType=["ORIGINAL", "PRIMARY", "AXIAL"])
series(2, "CT", ContrastBolusAgent="")        # the Contrast/Bolus module present, agent unknown
series(3, "CT")                               # nothing to say: no extension at all
series(4, "MR", MagneticFieldStrength="1.5", ScanningSequence=["SE", "IR"], SequenceVariant="SK")
series(5, "MR", MagneticFieldStrength="3", ScanningSequence="GR", SequenceVariant=["SK", "SP"])
rp = Dataset()
rp.Radiopharmaceutical = "Fluorodeoxyglucose"
rp.RadionuclideTotalDose = "370000000"
rp.RadionuclideHalfLife = "6586.2"
rp.RadionuclideCodeSequence = Sequence([code_item("77004003", "SCT", "^18^Fluorine")])
rp.RadiopharmaceuticalCodeSequence = Sequence([code_item("35321007", "SCT", "Fluorodeoxyglucose F^18^")])
series(6, "PT", RadiopharmaceuticalInformationSequence=Sequence([rp]))
nm = Dataset()
nm.RadionuclideTotalDose = "740"
nm.RadionuclideCodeSequence = Sequence([code_item("C-163A8", "SRT", "^99m^Technetium")])
series(7, "NM", RadiopharmaceuticalInformationSequence=Sequence([nm]))
series(8, "DX", KVP="70", Exposure="5", ExposureTime="20", XRayTubeCurrent="250")

EXPECTED = {
    1: [{"url": SD + "mii-ex-bildgebung-modalitaet-ct", "extension": [
            {"url": "CTDIvol", "valueQuantity": q(12.5, "milligray", "mGy")},
            {"url": "KVP", "valueQuantity": q(120, "kilovolt", "kV")},
            {"url": "exposureTime", "valueQuantity": q(500, "milliseconds", "ms")},
            {"url": "exposure", "valueQuantity": q(100, "milliampere second", "mA.s")},
            {"url": "xRayTubeCurrent", "valueQuantity": q(200, "milliampere", "mA")}]},
        {"url": SD + "mii-ex-bildgebung-kontrastmittel", "extension": [{"url": "contrastBolus", "valueBoolean": True}]}],
    2: [{"url": SD + "mii-ex-bildgebung-kontrastmittel", "extension": [{"url": "contrastBolus", "valueBoolean": True}]}],
    3: None,
    4: [{"url": SD + "mii-ex-bildgebung-modalitaet-mr", "extension": [
            {"url": "magneticFieldStrength", "valueQuantity": q(1.5, "Tesla", "T")},
            {"url": "scanningSequence", "valueCoding": {"code": "SE\\IR"}},
            {"url": "scanningSequenceVariant", "valueCoding": {
                "system": MII + "CodeSystem/mii-cs-bildgebung-scanning-sequence-variant", "code": "SK"}}]}],
    5: [{"url": SD + "mii-ex-bildgebung-modalitaet-mr", "extension": [
            {"url": "magneticFieldStrength", "valueQuantity": q(3, "Tesla", "T")},
            {"url": "scanningSequence", "valueCoding": {
                "system": MII + "CodeSystem/mii-cs-bildgebung-scanning-sequence", "code": "GR"}},
            {"url": "scanningSequenceVariant", "valueCoding": {"code": "SK\\SP"}}]}],
    6: [{"url": SD + "mii-ex-bildgebung-modalitaet-pt", "extension": [
            {"url": "radiopharmaceutical", "valueCodeableConcept": {
                "coding": [{"system": "http://snomed.info/sct", "code": "35321007", "display": "Fluorodeoxyglucose F^18^"}],
                "text": "Fluorodeoxyglucose"}},
            {"url": "radionuclide", "valueCodeableConcept": {
                "coding": [{"system": "http://snomed.info/sct", "code": "77004003", "display": "^18^Fluorine"}],
                "text": "^18^Fluorine"}},
            {"url": "radionuclideTotalDose", "valueQuantity": q(370000000, "Becquerel", "Bq")},
            {"url": "radionuclideHalfLife", "valueQuantity": q(6586.2, "Seconds", "s")}]}],
    7: [{"url": SD + "mii-ex-bildgebung-modalitaet-nm", "extension": [
            {"url": "radionuclide", "valueCodeableConcept": {
                "coding": [{"code": "C-163A8", "display": "^99m^Technetium"}], "text": "^99m^Technetium"}},
            {"url": "radionuclideTotalDose", "valueQuantity": q(740, "Megabecquerel", "MBq")}]}],
    8: [{"url": SD + "mii-ex-bildgebung-modalitaet-mg-cr-dx", "extension": [
            {"url": "KVP", "valueQuantity": q(70, "kilovolt", "kV")},
            {"url": "exposureTime", "valueQuantity": q(20, "milliseconds", "ms")},
            {"url": "exposure", "valueQuantity": q(5, "milliampere second", "mA.s")},
            {"url": "xRayTubeCurrent", "valueQuantity": q(250, "milliampere", "mA")}]}],
}

# --mii: extensions and the MII profiles.
run(src, "--out", f"{root}/mii", "--mii", "--devices", "-q", expect=0)
res = load_dir(f"{root}/mii")
st = res["ImagingStudy"][sha("urn:dicom:uid|" + STUDY)]
check(st["meta"]["profile"] == [SD + "mii-pr-bildgebung-bildgebungsstudie"], f"profile {st.get('meta')}")
check(all(d["meta"]["profile"] == [SD + "mii-pr-bildgebung-geraet"] for d in res["Device"].values()),
      "Device profile")
by_uid = {s["uid"]: s for s in st["series"]}
for n, want in EXPECTED.items():
    got = by_uid[f"{STUDY}.{n}"].get("extension")
    check(got == want, f"series {n}:\n got  {got}\n want {want}")
inst = by_uid[f"{STUDY}.1"]["instance"][0]
want = [{"url": SD + "mii-ex-bildgebung-instanz-details", "extension": [
    {"url": "pixelSpacingX", "valueQuantity": q(0.7, "millimeter", "mm")},   # column spacing
    {"url": "pixelSpacingY", "valueQuantity": q(0.5, "millimeter", "mm")},   # row spacing
    {"url": "sliceThickness", "valueQuantity": q(1.25, "millimeter", "mm")},
    {"url": "imageType", "valueString": "ORIGINAL\\PRIMARY\\AXIAL"}]}]
check(inst.get("extension") == want, f"instance details:\n got  {inst.get('extension')}\n want {want}")
check("extension" not in by_uid[f"{STUDY}.3"]["instance"][0], "no instance details without values")

# --profile still names the ImagingStudy profile; without --mii nothing MII-specific appears.
run(src, "--out", f"{root}/own", "--mii", "--profile", "https://h.example/StructureDefinition/is", "-q", expect=0)
own = load_dir(f"{root}/own")["ImagingStudy"][sha("urn:dicom:uid|" + STUDY)]
check(own["meta"]["profile"] == ["https://h.example/StructureDefinition/is"], "--profile wins")
run(src, "--out", f"{root}/plain", "--devices", "-q", expect=0)
plain = load_dir(f"{root}/plain")
pst = plain["ImagingStudy"][sha("urn:dicom:uid|" + STUDY)]
check("meta" not in pst and all("extension" not in s and all("extension" not in i for i in s["instance"])
                                 for s in pst["series"]), "no MII content without --mii")
check(all("meta" not in d for d in plain["Device"].values()), "no Device profile without --mii")

run(src, "--out", f"{root}/tx", "--mii", "--devices", "--bundle", "transaction", "-q", expect=0)
validate(f"{root}/mii", f"{root}/own", f"{root}/plain", f"{root}/tx")
print("mii ok")
