#!/usr/bin/python3
r"""Generate a deterministic DICOM archive (patients/studies/series/instances) plus its ground truth.

Same arguments -> byte-identical files: every choice comes from random.Random(seed) and every UID
is 2.25.<128 bits of sha256(seed, role, indices)>; nothing depends on time, uuid4 or hash().

The manifest (--manifest) is built from the generator's own choices, never by reading files back,
so tests can compare a catalog against it. Needs Debian's pydicom (python3-pydicom 2.3), not numpy.

Examples
  # small, quirky tree for tests (charsets, mixed transfer syntaxes, odd paths, junk files)
  make_archive.py --out /tmp/arch --patients 5 --seed 1 --junk --manifest /tmp/arch.json
  # benchmark: exactly 10,000 CT slices of 512x512, 16 bit (about 5 GB)
  make_archive.py --out /tmp/bench --total-instances 10000 --rows 512 --cols 512 \
      --modality-mix CT --syntax-mix off --manifest /tmp/bench.json
  # the same with headers shaped like a scanner's (~270 elements, GE private groups, sequences)
  make_archive.py --out /tmp/bench --total-instances 10000 --rows 512 --cols 512 \
      --modality-mix CT --syntax-mix off --realistic-headers
"""
import argparse
import array
import datetime
import hashlib
import json
import os
import random
import sys
import time

from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.filewriter import dcmwrite
from pydicom.sequence import Sequence
from pydicom import uid as dicom_uid

from realistic_header import RealisticHeader

GENERATOR_VERSION = 1
IMPLEMENTATION_VERSION_NAME = "DICOMETL_GEN_1"

# --- Vocabulary ---------------------------------------------------------------------------------

TRANSFER_SYNTAXES = {
    "explicit-le": dicom_uid.ExplicitVRLittleEndian,
    "implicit-le": dicom_uid.ImplicitVRLittleEndian,
    "explicit-be": dicom_uid.ExplicitVRBigEndian,
    "deflated": dicom_uid.DeflatedExplicitVRLittleEndian,
}
DEFAULT_SYNTAX_MIX = "explicit-le:85,implicit-le:6,explicit-be:4,deflated:5"
DEFAULT_MODALITY_MIX = "CT:4,MR:3,CR:2,DX:2,US:1,PT:1,MG:1,SR:0.5"

# Per modality: SOP class, pixel format, body parts, descriptions, equipment (manufacturer, model,
# software). "volume" modalities get slices with position/orientation/thickness.
MODALITIES = {
    "CT": dict(
        sop="1.2.840.10008.5.1.4.1.1.2", bits=16, stored=12, photometric="MONOCHROME2",
        volume=True, kvp=["80", "100", "120", "140"], thickness=["0.625", "1.0", "1.25", "2.5", "5.0"],
        window=("40", "400"), rescale=("-1024", "1"),
        body=["CHEST", "ABDOMEN", "HEAD", "PELVIS", "NECK", "LSPINE"],
        study_desc=["CT {part} W/O CONTRAST", "CT {part} WITH CONTRAST", "CT {part}"],
        series_desc=["Topogram 0.6 T20f", "{part} 5.0 B30f", "{part} 1.0 B70f", "{part} venous 3.0"],
        equipment=[("SIEMENS", "SOMATOM Definition AS+", "syngo CT VA48A"),
                   ("GE MEDICAL SYSTEMS", "LightSpeed VCT", "07MW18.4"),
                   ("Philips", "Brilliance 64", "3.2.1"),
                   ("TOSHIBA", "Aquilion ONE", "V6.00ER010")]),
    "MR": dict(
        sop="1.2.840.10008.5.1.4.1.1.4", bits=16, stored=12, photometric="MONOCHROME2",
        volume=True, kvp=None, thickness=["1.0", "2.0", "3.0", "4.0", "5.0"],
        window=("600", "1200"), rescale=None,
        body=["BRAIN", "HEAD", "LSPINE", "CSPINE", "KNEE", "HIP"],
        study_desc=["MRI {part}", "MR {part} W/WO CONTRAST"],
        series_desc=["localizer", "t1_se_tra", "t2_tse_sag", "{part} FLAIR", "ep2d_diff b1000"],
        equipment=[("SIEMENS", "Skyra", "syngo MR E11"),
                   ("GE MEDICAL SYSTEMS", "SIGNA Architect", "DV26.0_R03"),
                   ("Philips Medical Systems", "Ingenia", "5.3.1")]),
    "CR": dict(
        sop="1.2.840.10008.5.1.4.1.1.1", bits=16, stored=12, photometric="MONOCHROME1",
        volume=False, kvp=["70", "81", "109", "125"], thickness=None,
        window=("2048", "4096"), rescale=None,
        body=["CHEST", "HIP", "KNEE", "HAND", "LSPINE", "SKULL"],
        study_desc=["XR {part} 2 VIEWS", "XR {part} 1 VIEW"],
        series_desc=["{part} PA", "{part} LAT", "{part} AP"],
        equipment=[("FUJIFILM Corporation", "FCR PROFECT CS", "A07-12"),
                   ("Agfa", "CR 85-X", "NX 2.0"), ("KODAK", "CR 975", "5.1")]),
    "DX": dict(
        sop="1.2.840.10008.5.1.4.1.1.1.1", bits=16, stored=12, photometric="MONOCHROME2",
        volume=False, kvp=["60", "70", "81", "125"], thickness=None,
        window=("2048", "4096"), rescale=None,
        body=["CHEST", "KNEE", "HIP", "FOOT", "HAND", "SHOULDER"],
        study_desc=["XR {part}", "XR {part} STANDING"],
        series_desc=["{part} PA", "{part} LAT", "{part} AP"],
        equipment=[("Philips Medical Systems", "DigitalDiagnost", "2.1.3"),
                   ("Carestream Health", "DRX-Evolution", "5.7"), ("SIEMENS", "Ysio Max", "VF10")]),
    "US": dict(
        sop="1.2.840.10008.5.1.4.1.1.6.1", sop_multiframe="1.2.840.10008.5.1.4.1.1.3.1",
        bits=8, stored=8, photometric="RGB", volume=False, kvp=None, thickness=None,
        window=None, rescale=None,
        body=["ABDOMEN", "NECK", "PELVIS", "BREAST", "HEART"],
        study_desc=["US {part}", "US {part} DOPPLER"],
        series_desc=["{part}", "{part} Doppler", "Cine"],
        equipment=[("GE Healthcare", "LOGIQ E9", "R6.1.0"),
                   ("Philips Medical Systems", "iU22", "6.3.2"),
                   ("TOSHIBA_MEC_US", "Aplio 500", "V4.0")]),
    "PT": dict(
        sop="1.2.840.10008.5.1.4.1.1.128", bits=16, stored=16, photometric="MONOCHROME2",
        volume=True, kvp=None, thickness=["2.0", "3.0", "4.0"],
        window=("5000", "10000"), rescale=("0", "0.25"),
        body=["WHOLEBODY", "HEAD"],
        study_desc=["PET/CT {part}", "PET FDG {part}"],
        series_desc=["PET WB AC", "PET WB NAC", "PET {part}"],
        equipment=[("SIEMENS", "Biograph64", "syngo MI.PET/CT 2012A"),
                   ("GE MEDICAL SYSTEMS", "Discovery MI", "pet_coreload.46")]),
    "MG": dict(
        sop="1.2.840.10008.5.1.4.1.1.1.2", bits=16, stored=14, photometric="MONOCHROME2",
        volume=False, kvp=["26", "28", "30", "32"], thickness=None,
        window=("8192", "16384"), rescale=None,
        body=["BREAST"],
        study_desc=["MAMMO SCREENING BILATERAL", "MAMMO DIAGNOSTIC"],
        series_desc=["{lat} CC", "{lat} MLO"],
        equipment=[("HOLOGIC, Inc.", "Selenia Dimensions", "1.7.4"),
                   ("GE MEDICAL SYSTEMS", "Senographe Essential", "ADS_53.40")]),
    "SR": dict(
        sop="1.2.840.10008.5.1.4.1.1.88.11", bits=None, volume=False, kvp=None, thickness=None,
        window=None, rescale=None, body=[None],
        study_desc=["REPORT"], series_desc=["Radiology report"],
        equipment=[("Nuance", "PowerScribe 360", "4.0"), ("Agfa", "IMPAX", "6.5")]),
}

FAMILY = ["Smith", "Johnson", "Garcia", "Brown", "O'Brien", "Smith-Jones", "Nguyen", "Kowalski",
          "Rossi", "Fischer", "Dubois", "Andersson", "Patel", "Kim", "Cohen", "Silva"]
GIVEN = {"M": ["James", "Robert", "Luca", "Jan", "Ahmed", "Pierre", "Kenji", "Lars"],
         "F": ["Mary", "Anna", "Sofia", "Emma", "Fatima", "Claire", "Yuki", "Ingrid"]}

# Non-ASCII patients: (Specific Character Set as written, [(name, sex)], local study descriptions).
# The Japanese value is PS3.5 Annex H.3.1's example; pydicom encodes it with ISO 2022 escapes.
CHARSETS = {
    "latin1": ("ISO_IR 100", [("Müller^Jürgen", "M"), ("Gonçalves^João", "M"), ("Sørensen^Åse", "F"),
                              ("Lefèvre^Chloé", "F")],
               ["Verlaufskontrolle Größe", "Contrôle après thérapie"]),
    "cyrillic": ("ISO_IR 144", [("Иванова^Мария", "F"), ("Смирнов^Алексей", "M"),
                                ("Кузнецов^Дмитрий", "M")],
                 ["Контрольное исследование", "Первичное обследование"]),
    "japanese": (["", "ISO 2022 IR 87"],
                 [("Yamada^Tarou=山田^太郎=やまだ^たろう", "M"),
                  ("Suzuki^Hanako=鈴木^花子=すずき^はなこ", "F"),
                  ("Tanaka^Ichiro=田中^一郎=たなか^いちろう", "M")],
                 ["造影検査", "経過観察"]),
    "utf8": ("ISO_IR 192", [("Wang^XiaoDong=王^小東", "M"), ("Παπαδοπούλου^Ελένη", "F")],
             ["复查 Follow-up", "Επανέλεγχος"]),
}
CHARSET_WEIGHTS = [("ascii", 90), ("latin1", 3), ("cyrillic", 2), ("japanese", 2), ("utf8", 3)]

INSTITUTIONS = ["General Hospital", "St. Mary Medical Center", "Klinikum Nord", "City Imaging Center",
                "University Hospital Radiology"]
PHYSICIANS = ["House^Gregory^^Dr.", "Quinn^Michaela", "Kildare^James", "", "Watson^John^H^Dr."]
TIMEZONES = ["+0100", "+0200", "-0500", "+0900", "+0000", "-0330"]

# Folder names with spaces and non-ASCII characters (used for a few studies when quirks are on).
ODD_STUDY_DIRS = ["Study {n} (with spaces)", "Études {n}", "Исследование {n}", "検査 {n}",
                  "Ärztliche Kontrolle {n}"]
# File name styles; "flat" studies prefix the series number to keep names unique.
FILE_STYLES = ["IM{i:05d}.dcm", "{i:08d}", "{uid}.dcm", "IMG{i:04d}.DCM", "image {i}.dcm"]

MEDIA_STORAGE_DIRECTORY = "1.2.840.10008.1.3.10"


# --- Helpers ------------------------------------------------------------------------------------

def parse_range(text):
    """'3' -> (3, 3); '1-4' -> (1, 4)."""
    lo, _, hi = text.partition("-")
    lo, hi = int(lo), int(hi or lo)
    if lo < 1 or hi < lo:
        raise argparse.ArgumentTypeError(f"bad range {text!r} (want N or LO-HI, LO >= 1)")
    return lo, hi


def parse_mix(text, known):
    """'CT:4,MR:3,SR' -> [('CT', 4.0), ('MR', 3.0), ('SR', 1.0)] (weight 1 when omitted)."""
    mix = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, _, weight = part.partition(":")
        if name not in known:
            raise argparse.ArgumentTypeError(f"unknown {name!r}; known: {', '.join(known)}")
        mix.append((name, float(weight or 1)))
    if not mix or sum(w for _, w in mix) <= 0:
        raise argparse.ArgumentTypeError(f"empty mix {text!r}")
    return mix


def pick(rng, mix, k):
    """The k-th choice from a weighted mix. The first len(mix) calls (k = 0, 1, ...) walk the mix
    in order so that small trees contain every option at least once; later calls are random."""
    options = [name for name, weight in mix if weight > 0]
    if k < len(options):
        return options[k]
    return rng.choices([n for n, _ in mix], weights=[w for _, w in mix])[0]


class UidMaker:
    """2.25.<decimal> UIDs from sha256(seed | role | indices): stable across runs and machines."""

    def __init__(self, seed):
        self.prefix = f"{seed}|"

    def __call__(self, *parts):
        digest = hashlib.sha256((self.prefix + "|".join(map(str, parts))).encode()).digest()
        return "2.25." + str(int.from_bytes(digest[:16], "big") or 1)


def age_string(birth, on):
    """DICOM AS value (nnnY / nnnM / nnnD) for the age at a date."""
    years = on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
    if years >= 2:
        return f"{years:03d}Y"
    months = (on.year - birth.year) * 12 + on.month - birth.month - (on.day < birth.day)
    if months >= 1:
        return f"{months:03d}M"
    return f"{(on - birth).days:03d}D"


def random_date(rng, start, end):
    return start + datetime.timedelta(days=rng.randrange((end - start).days + 1))


def safe_component(text):
    """A folder name from a description: no path separators, no leading/trailing blanks."""
    return text.replace("/", "-").replace("\\", "-").strip() or "unnamed"


class PixelCache:
    """One bytes object per pixel format, reused by every instance (cheap pattern, right length)."""

    def __init__(self):
        self.cache = {}

    def get(self, rows, cols, bits, stored, samples, frames, big_endian):
        key = (rows, cols, bits, stored, samples, frames, big_endian and bits == 16)
        data = self.cache.get(key)
        if data is None:
            mask = (1 << stored) - 1
            if bits == 16:
                # A diagonal ramp with a coarse checkerboard: structure a viewer shows, computed once.
                row = [[((r + c) * 8 + (((r >> 5) ^ (c >> 5)) & 1) * 512) & mask for c in range(cols)]
                       for r in range(rows)]
                values = array.array("H", [v for line in row for v in line])
                if big_endian:
                    values.byteswap()  # pydicom writes OW bytes as given, so swap for big endian
                frame = values.tobytes()
            else:
                frame = bytes(((r + c) * 2) & mask for r in range(rows) for c in range(cols)
                              for _ in range(samples))
            data = frame * frames
            if len(data) % 2:
                data += b"\0"  # values are padded to even length
            self.cache[key] = data
        return data


# --- The generator ------------------------------------------------------------------------------

class ArchiveGenerator:
    def __init__(self, args):
        self.args = args
        self.rng = random.Random(args.seed)
        self.uid = UidMaker(args.seed)
        self.pixels = PixelCache()
        self.quirks = not args.plain
        self.modality_mix = args.modality_mix
        self.syntax_mix = args.syntax_mix
        self.instances = []        # manifest entries
        self.non_dicom = []
        self.made_dirs = set()
        self.counters = dict(patient=0, study=0, series=0)
        self.fileset = None
        if args.dicomdir:
            from pydicom.fileset import FileSet
            self.fileset = FileSet()
            self.fileset.UID = self.uid("fileset")  # FileSet() draws a random UID otherwise
            self.fileset.ID = "DICOMETL"
        self.implementation_uid = self.uid("implementation", GENERATOR_VERSION)
        self.started = time.monotonic()

    # Top level -----------------------------------------------------------------------------------

    def run(self):
        total = self.args.total_instances
        patient_index = 0
        while True:
            if total is None and patient_index >= self.args.patients:
                break
            if total is not None and len(self.instances) >= total:
                break
            self.make_patient(patient_index)
            patient_index += 1
        if self.fileset is not None:
            self.write_fileset()
        if self.args.junk:
            self.write_junk()
        elapsed = time.monotonic() - self.started
        print(f"done: {len(self.instances)} instances in {elapsed:.1f} s "
              f"({len(self.instances) / max(elapsed, 1e-9):.0f} files/s)", file=sys.stderr)

    def remaining(self):
        if self.args.total_instances is None:
            return None
        return self.args.total_instances - len(self.instances)

    # Patient -------------------------------------------------------------------------------------

    def make_patient(self, p):
        rng = self.rng
        k = self.counters["patient"]
        self.counters["patient"] += 1
        charset_key = pick(rng, CHARSET_WEIGHTS, k) if self.quirks else "ascii"
        if charset_key == "ascii":
            charset, local_desc = None, None
            sex = rng.choices(["M", "F", "O"], weights=[48, 49, 3])[0]
            given = rng.choice(GIVEN.get(sex) or GIVEN["M"] + GIVEN["F"])
            name = f"{rng.choice(FAMILY)}^{given}"
        else:
            charset, names, local_desc = CHARSETS[charset_key]
            # the first patient of each character set gets the list's first (canonical) name
            name, sex = names[0] if k < len(CHARSET_WEIGHTS) else rng.choice(names)
        id_format = rng.choice(["PAT{:05d}", "{:08d}", "MRN-{:06d}"])
        birth = random_date(rng, datetime.date(1930, 1, 1), datetime.date(2015, 12, 31))
        patient = dict(
            index=p, charset=charset, local_desc=local_desc, name=name, sex=sex,
            id=id_format.format(p + 1), birth=birth,
            # a few patients without a birth date (type 2: present but empty)
            birth_text="" if self.quirks and rng.random() < 0.05 else birth.strftime("%Y%m%d"),
        )
        patient["dir"] = patient["id"]
        for s in range(rng.randint(*self.args.studies)):
            if self.remaining() == 0:
                return
            self.make_study(patient, s)

    # Study ---------------------------------------------------------------------------------------

    def make_study(self, patient, s):
        rng = self.rng
        k = self.counters["study"]
        self.counters["study"] += 1
        modality = pick(rng, self.modality_mix, k)
        spec = MODALITIES[modality]
        part = rng.choice(spec["body"])
        date = random_date(rng, max(patient["birth"] + datetime.timedelta(days=1),
                                    datetime.date(2008, 1, 1)), datetime.date(2024, 12, 31))
        hour, minute, second = rng.randrange(7, 20), rng.randrange(60), rng.randrange(60)
        study_time = f"{hour:02d}{minute:02d}{second:02d}"
        if rng.random() < 0.3:
            study_time += f".{rng.randrange(1000000):06d}"
        # quirks: a few empty accession numbers and some timezone offsets (k-based so small trees have them)
        empty_accession = self.quirks and (k % 9 == 2 or rng.random() < 0.04)
        accession = "" if empty_accession else f"A{rng.randrange(10**9):09d}"
        timezone = None
        if self.quirks and (k % 5 == 3 or rng.random() < 0.1):
            timezone = rng.choice(TIMEZONES)
        description = rng.choice(spec["study_desc"]).format(part=part or "")
        if patient["local_desc"] and rng.random() < 0.7:
            description = f"{modality} {rng.choice(patient['local_desc'])}"
        manufacturer, model, software = rng.choice(spec["equipment"])
        study = dict(
            index=s, modality=modality, spec=spec, part=part, date=date,
            date_text=date.strftime("%Y%m%d"), time_text=study_time, hour=hour, minute=minute,
            uid=self.uid("study", patient["index"], s), accession=accession, timezone=timezone,
            id=str(rng.randrange(1, 100000)), description=description,
            physician=rng.choice(PHYSICIANS), institution=rng.choice(INSTITUTIONS),
            station=f"{modality}{rng.randrange(1, 10):02d}", manufacturer=manufacturer,
            model=model, software=software, serial=str(rng.randrange(10000, 99999)),
            age=age_string(patient["birth"], date),
        )
        # Layout: one folder per series (usual), all series flat in the study folder, or series
        # folders with an extra level below. A few study folders have spaces / non-ASCII names.
        layout = rng.choice(["per_series", "per_series", "flat", "deep"]) if self.quirks else "per_series"
        folder = f"{study['date_text']}_{modality}_{s + 1}"
        if self.quirks and k % 4 == 1:
            folder = ODD_STUDY_DIRS[(k // 4) % len(ODD_STUDY_DIRS)].format(n=s + 1)
        study["layout"] = layout
        study["dir"] = f"{patient['dir']}/{folder}"
        n_series = 1 if modality == "SR" else rng.randint(*self.args.series)
        for r in range(n_series):
            if self.remaining() == 0:
                return
            self.make_series(patient, study, r)

    # Series --------------------------------------------------------------------------------------

    def make_series(self, patient, study, r):
        rng = self.rng
        k = self.counters["series"]
        self.counters["series"] += 1
        spec = study["spec"]
        modality = study["modality"]
        syntax = pick(rng, self.syntax_mix, k)
        transfer_syntax = TRANSFER_SYNTAXES[syntax]
        laterality = rng.choice(["L", "R"])
        number = r + 1
        description = rng.choice(spec["series_desc"]).format(part=study["part"] or "", lat=laterality)
        multiframe = modality == "US" and rng.random() < 0.4
        n_instances = 1 if modality == "SR" else rng.randint(*self.args.instances)
        if self.remaining() is not None:
            n_instances = min(n_instances, self.remaining())
        thickness = rng.choice(spec["thickness"]) if spec["thickness"] else None
        spacing = None
        if modality in ("CT", "MR", "PT", "DX", "MG"):
            spacing = rng.choice(["0.488281", "0.703125", "0.976562", "1.0", "0.15"])
        series = dict(
            index=r, number=number, description=description, syntax=transfer_syntax,
            uid=self.uid("series", patient["index"], study["index"], r),
            frame_of_reference=self.uid("for", patient["index"], study["index"]),
            thickness=thickness, spacing=spacing, laterality=laterality, multiframe=multiframe,
            frames=rng.randint(4, 16) if multiframe else None,
            time_text=f"{study['hour']:02d}{(study['minute'] + r) % 60:02d}00",
            origin=(rng.uniform(-250, -100), rng.uniform(-250, -100), rng.uniform(-400, 100)),
        )
        if study["layout"] == "flat":
            series["dir"] = study["dir"]
            prefix = f"S{number:03d}_"
        else:
            series["dir"] = f"{study['dir']}/{number:03d}_{safe_component(description).replace(' ', '_')}"
            if study["layout"] == "deep":
                series["dir"] += "/DICOM"
            prefix = ""
        style = FILE_STYLES[k % len(FILE_STYLES)] if self.quirks else FILE_STYLES[0]
        ds = self.series_dataset(patient, study, series)
        series["realistic"] = None
        if self.args.realistic_headers and modality != "SR":
            # its own Random: the rest of the archive stays what it is without the option
            series["realistic"] = RealisticHeader(self.args.seed, (patient["index"], study["index"], r),
                                                  self.uid)
            series["realistic"].add(ds, modality)
        for i in range(n_instances):
            sop_uid = self.uid("instance", patient["index"], study["index"], r, i)
            name = prefix + style.format(i=i + 1, uid=sop_uid)
            self.write_instance(ds, patient, study, series, i, sop_uid, f"{series['dir']}/{name}")

    def series_dataset(self, patient, study, series):
        """The dataset shared by all instances of a series; write_instance changes the per-instance
        elements in place (cheaper than building or copying a dataset per file)."""
        spec = study["spec"]
        modality = study["modality"]
        ds = Dataset()
        if patient["charset"]:
            ds.SpecificCharacterSet = patient["charset"]
        if modality != "SR":
            ds.ImageType = ["ORIGINAL", "PRIMARY", "AXIAL"] if spec["volume"] else ["ORIGINAL", "PRIMARY"]
        sop_class = spec["sop"]
        if series["multiframe"]:
            sop_class = spec["sop_multiframe"]
        ds.SOPClassUID = sop_class
        ds.SOPInstanceUID = "1.2"  # replaced per instance
        ds.StudyDate = study["date_text"]
        ds.SeriesDate = study["date_text"]
        ds.ContentDate = study["date_text"]
        ds.StudyTime = study["time_text"]
        ds.SeriesTime = series["time_text"]
        ds.ContentTime = series["time_text"]
        ds.AccessionNumber = study["accession"]
        ds.Modality = modality
        if modality in ("DX", "MG"):
            ds.PresentationIntentType = "FOR PRESENTATION"
        ds.Manufacturer = study["manufacturer"]
        ds.InstitutionName = study["institution"]
        ds.ReferringPhysicianName = study["physician"]
        if study["timezone"] is not None:
            ds.TimezoneOffsetFromUTC = study["timezone"]
        ds.StationName = study["station"]
        ds.StudyDescription = study["description"]
        ds.SeriesDescription = series["description"]
        ds.ManufacturerModelName = study["model"]
        ds.PatientName = patient["name"]
        ds.PatientID = patient["id"]
        ds.PatientBirthDate = patient["birth_text"]
        ds.PatientSex = patient["sex"]
        ds.PatientAge = study["age"] if patient["birth_text"] else ""
        if study["part"]:
            ds.BodyPartExamined = study["part"]
        if series["thickness"]:
            ds.SliceThickness = series["thickness"]
        if spec.get("kvp"):
            ds.KVP = self.rng.choice(spec["kvp"])
        ds.DeviceSerialNumber = study["serial"]
        ds.SoftwareVersions = study["software"]
        ds.ProtocolName = f"{study['part'] or modality} routine"
        if modality == "MR":
            ds.MagneticFieldStrength = self.rng.choice(["1.5", "3.0"])
            ds.RepetitionTime = "4000.0"
            ds.EchoTime = "90.0"
        if spec["volume"]:
            ds.PatientPosition = "HFS"
        if modality in ("CR", "DX", "MG"):
            # the view named by the series description (e.g. "L MLO", "CHEST LAT"), else PA
            view = series["description"].split()[-1]
            ds.ViewPosition = view if view in ("PA", "AP", "LAT", "CC", "MLO") else "PA"
        if series["multiframe"]:
            ds.FrameTime = "33.3"
        ds.StudyInstanceUID = study["uid"]
        ds.SeriesInstanceUID = series["uid"]
        ds.StudyID = study["id"]
        ds.SeriesNumber = series["number"]
        ds.AcquisitionNumber = 1
        ds.InstanceNumber = 1
        if spec["volume"]:
            ds.ImagePositionPatient = ["0", "0", "0"]
            ds.ImageOrientationPatient = ["1", "0", "0", "0", "1", "0"]
            ds.FrameOfReferenceUID = series["frame_of_reference"]
            ds.PositionReferenceIndicator = ""
            ds.SliceLocation = "0"
        if modality in ("CR", "DX", "MG", "US"):
            ds.Laterality = series["laterality"] if study["part"] in ("KNEE", "HIP", "HAND", "FOOT",
                                                                     "SHOULDER", "BREAST") else ""
        if modality == "MG":
            ds.ImageLaterality = series["laterality"]
        if modality == "PT":
            ds.Units = "BQML"
            ds.DecayCorrection = "START"
            ds.CorrectedImage = ["ATTN", "DECY"]
        if modality == "SR":
            self.add_sr_content(ds, study)
        else:
            self.add_image_pixel_module(ds, study, series)
        return ds

    def add_image_pixel_module(self, ds, study, series):
        spec = study["spec"]
        rows, cols = self.args.rows, self.args.cols
        # US: single frames in colour, multi-frame cine loops in grey (keeps them small)
        samples = 3 if spec["photometric"] == "RGB" and not series["multiframe"] else 1
        ds.SamplesPerPixel = samples
        ds.PhotometricInterpretation = "MONOCHROME2" if spec["photometric"] == "RGB" and samples == 1 \
            else spec["photometric"]
        if samples == 3:
            ds.PlanarConfiguration = 0
        if series["frames"]:
            ds.NumberOfFrames = series["frames"]
            ds.FrameIncrementPointer = 0x00181063  # Frame Time
        ds.Rows = rows
        ds.Columns = cols
        if series["spacing"]:
            ds.PixelSpacing = [series["spacing"], series["spacing"]]
        if study["modality"] in ("CR", "DX", "MG"):
            ds.ImagerPixelSpacing = ["0.1", "0.1"]
        ds.BitsAllocated = spec["bits"]
        ds.BitsStored = spec["stored"]
        ds.HighBit = spec["stored"] - 1
        ds.PixelRepresentation = 0
        if spec["window"]:
            ds.WindowCenter, ds.WindowWidth = spec["window"]
        if spec["rescale"]:
            ds.RescaleIntercept, ds.RescaleSlope = spec["rescale"]
            ds.RescaleType = "HU" if study["modality"] == "CT" else "US"
        big_endian = series["syntax"] == dicom_uid.ExplicitVRBigEndian
        data = self.pixels.get(rows, cols, spec["bits"], spec["stored"], samples,
                               series["frames"] or 1, big_endian)
        ds.add_new(0x7FE00010, "OW" if spec["bits"] == 16 else "OB", data)

    @staticmethod
    def add_sr_content(ds, study):
        """A minimal Basic Text SR document (with the attributes a DICOMDIR SR record needs)."""
        def code(value, scheme, meaning):
            item = Dataset()
            item.CodeValue, item.CodingSchemeDesignator, item.CodeMeaning = value, scheme, meaning
            return Sequence([item])
        ds.ValueType = "CONTAINER"
        ds.ConceptNameCodeSequence = code("18748-4", "LN", "Diagnostic imaging report")
        ds.ContinuityOfContent = "SEPARATE"
        ds.CompletionFlag = "COMPLETE"
        ds.VerificationFlag = "UNVERIFIED"
        ds.ReferencedPerformedProcedureStepSequence = Sequence()
        ds.PerformedProcedureCodeSequence = Sequence()
        finding = Dataset()
        finding.RelationshipType = "CONTAINS"
        finding.ValueType = "TEXT"
        finding.ConceptNameCodeSequence = code("121071", "DCM", "Finding")
        finding.TextValue = "No acute abnormality."
        ds.ContentSequence = Sequence([finding])

    # Instance ------------------------------------------------------------------------------------

    def write_instance(self, ds, patient, study, series, i, sop_uid, rel_path):
        spec = study["spec"]
        ds.SOPInstanceUID = sop_uid
        ds.InstanceNumber = i + 1
        if spec["volume"]:
            x, y, z = series["origin"]
            step = float(series["thickness"])
            location = f"{z + i * step:.3f}"
            ds.ImagePositionPatient = [f"{x:.3f}", f"{y:.3f}", location]
            ds.SliceLocation = location
        if series["realistic"] is not None:
            series["realistic"].slice(ds, i)
        meta = FileMetaDataset()
        meta.MediaStorageSOPClassUID = ds.SOPClassUID
        meta.MediaStorageSOPInstanceUID = sop_uid
        meta.TransferSyntaxUID = series["syntax"]
        meta.ImplementationClassUID = self.implementation_uid
        meta.ImplementationVersionName = IMPLEMENTATION_VERSION_NAME
        ds.file_meta = meta
        ds.is_little_endian = series["syntax"] != dicom_uid.ExplicitVRBigEndian
        ds.is_implicit_VR = series["syntax"] == dicom_uid.ImplicitVRLittleEndian

        if self.fileset is not None:
            self.fileset.add(ds)  # FileSet writes a staged copy now; final paths come at the end
        else:
            path = os.path.join(self.args.out, rel_path)
            directory = os.path.dirname(path)
            if directory not in self.made_dirs:
                os.makedirs(directory, exist_ok=True)
                self.made_dirs.add(directory)
            dcmwrite(path, ds, write_like_original=False)
        self.instances.append(self.manifest_entry(ds, patient, study, series, rel_path))
        n = len(self.instances)
        if n % 1000 == 0:
            elapsed = time.monotonic() - self.started
            print(f"{n} files, {elapsed:.1f} s, {n / elapsed:.0f} files/s", file=sys.stderr)

    def manifest_entry(self, ds, patient, study, series, rel_path):
        """Ground truth for one instance, from the generator's own values (null = element absent,
        "" = present but empty)."""
        spec = study["spec"]
        has_pixels = spec["bits"] is not None
        charset = patient["charset"]
        if isinstance(charset, list):
            charset = "\\".join(charset)
        return {
            "path": rel_path,
            "file_size": None,  # filled in after writing
            "transfer_syntax_uid": str(series["syntax"]),
            "specific_character_set": charset,
            "sop_class_uid": str(ds.SOPClassUID),
            "sop_instance_uid": str(ds.SOPInstanceUID),
            "patient_id": patient["id"],
            "patient_name": patient["name"],
            "patient_sex": patient["sex"],
            "patient_birth_date": patient["birth_text"],
            "patient_age": study["age"] if patient["birth_text"] else "",
            "study_instance_uid": study["uid"],
            "study_date": study["date_text"],
            "study_time": study["time_text"],
            "study_id": study["id"],
            "study_description": study["description"],
            "accession_number": study["accession"],
            "referring_physician_name": study["physician"],
            "timezone_offset": study["timezone"],
            "institution_name": study["institution"],
            "series_instance_uid": series["uid"],
            "series_number": series["number"],
            "series_description": series["description"],
            "modality": study["modality"],
            "body_part_examined": study["part"],
            "manufacturer": study["manufacturer"],
            "manufacturer_model_name": study["model"],
            "device_serial_number": study["serial"],
            "software_versions": study["software"],
            "instance_number": int(ds.InstanceNumber),
            "slice_thickness": float(series["thickness"]) if series["thickness"] else None,
            "pixel_spacing": [float(series["spacing"])] * 2 if series["spacing"] and has_pixels else None,
            "kvp": float(ds.KVP) if "KVP" in ds else None,
            "rows": self.args.rows if has_pixels else None,
            "columns": self.args.cols if has_pixels else None,
            "number_of_frames": series["frames"],
            "bits_allocated": spec["bits"],
        }

    # DICOMDIR and junk ---------------------------------------------------------------------------

    def write_fileset(self):
        """Write all staged instances and the DICOMDIR with pydicom's FileSet. File IDs must be
        PS3.10 conformant (<= 8 components of <= 8 chars A-Z0-9_), so FileSet chooses the layout
        (PTxxxxxx/STxxxxxx/SExxxxxx/IMxxxxxx) and the manifest paths are updated here."""
        self.fileset.write(self.args.out)
        by_uid = {entry["sop_instance_uid"]: entry for entry in self.instances}
        for instance in self.fileset:
            by_uid[instance.SOPInstanceUID]["path"] = instance.FileID.replace(os.sep, "/")

    def write_junk(self):
        """Non-DICOM files an archive picks up in real life."""
        readme = os.path.join(self.args.out, "README.txt")
        os.makedirs(self.args.out, exist_ok=True)
        with open(readme, "w", encoding="utf-8") as f:
            f.write("Exported archive. Do not edit.\n")
        self.non_dicom.append({"path": "README.txt", "kind": "text"})
        # a Windows thumbnail cache next to the first instance (binary, not DICOM)
        folder = os.path.dirname(self.instances[0]["path"]) if self.instances else ""
        thumbs_rel = f"{folder}/thumbs.db" if folder else "thumbs.db"
        with open(os.path.join(self.args.out, thumbs_rel), "wb") as f:
            f.write(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(random.Random(self.args.seed).getrandbits(8)
                                                               for _ in range(1016)))
        self.non_dicom.append({"path": thumbs_rel, "kind": "binary"})

    # Manifest ------------------------------------------------------------------------------------

    def write_manifest(self, path):
        for entry in self.instances:
            entry["file_size"] = os.path.getsize(os.path.join(self.args.out, entry["path"]))
        counts = dict(
            patients=len({e["patient_id"] for e in self.instances}),
            studies=len({e["study_instance_uid"] for e in self.instances}),
            series=len({e["series_instance_uid"] for e in self.instances}),
            instances=len(self.instances),
            non_dicom=len(self.non_dicom),
        )
        header = {
            "generator": "make_archive.py",
            "version": GENERATOR_VERSION,
            "seed": self.args.seed,
            "arguments": sys.argv[1:],
            "counts": counts,
            "dicomdir": {"path": "DICOMDIR", "sop_class_uid": MEDIA_STORAGE_DIRECTORY}
            if self.fileset is not None else None,
            "non_dicom": self.non_dicom,
        }
        # One instance per line: greppable and diff-friendly even for 10,000 entries.
        with open(path, "w", encoding="utf-8") as f:
            text = json.dumps(header, ensure_ascii=False, indent=1)
            f.write(text[:-2] + ',\n "instances": [\n')
            f.write(",\n".join(json.dumps(e, ensure_ascii=False) for e in self.instances))
            f.write("\n ]\n}\n")


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True, help="output folder (created)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--patients", type=int, default=5, help="number of patients (default 5)")
    parser.add_argument("--studies", type=parse_range, default=(1, 3), metavar="LO-HI",
                        help="studies per patient (default 1-3)")
    parser.add_argument("--series", type=parse_range, default=(1, 4), metavar="LO-HI",
                        help="series per study (default 1-4; SR studies have one)")
    parser.add_argument("--instances", type=parse_range, default=(1, 8), metavar="LO-HI",
                        help="instances per series (default 1-8; SR series have one)")
    parser.add_argument("--total-instances", type=int, default=None, metavar="N",
                        help="generate patients until exactly N instances exist (ignores --patients)")
    parser.add_argument("--rows", type=int, default=64)
    parser.add_argument("--cols", type=int, default=64)
    parser.add_argument("--modality-mix", default=DEFAULT_MODALITY_MIX, metavar="MOD[:W],...",
                        type=lambda t: parse_mix(t, MODALITIES),
                        help=f"study modalities and weights (default {DEFAULT_MODALITY_MIX})")
    parser.add_argument("--syntax-mix", default=None, metavar="TS[:W],...|off",
                        help=f"transfer syntaxes per series: {', '.join(TRANSFER_SYNTAXES)} "
                             f"(default {DEFAULT_SYNTAX_MIX}; 'off' = explicit-le only)")
    parser.add_argument("--plain", action="store_true",
                        help="no quirks: ASCII names, plain paths, no timezone/empty accession, "
                             "explicit-le only unless --syntax-mix is given")
    parser.add_argument("--dicomdir", action="store_true",
                        help="write a DICOMDIR; files then get PS3.10 File IDs chosen by pydicom")
    parser.add_argument("--junk", action="store_true", help="add README.txt and thumbs.db")
    parser.add_argument("--realistic-headers", action="store_true",
                        help="headers shaped like a scanner's: ~270 elements with GE private groups "
                             "and nested sequences (~11 KB of DICOM JSON), for benchmarks")
    parser.add_argument("--manifest", metavar="FILE.json", help="write the ground truth here")
    args = parser.parse_args(argv)
    if args.syntax_mix in (None, ""):
        args.syntax_mix = "explicit-le" if args.plain else DEFAULT_SYNTAX_MIX
    if args.syntax_mix in ("off", "none"):
        args.syntax_mix = "explicit-le"
    try:
        args.syntax_mix = parse_mix(args.syntax_mix, TRANSFER_SYNTAXES)
    except argparse.ArgumentTypeError as exc:
        parser.error(f"--syntax-mix: {exc}")
    if args.total_instances is not None and args.total_instances < 1:
        parser.error("--total-instances must be >= 1")
    if args.rows < 1 or args.cols < 1:
        parser.error("--rows and --cols must be >= 1")
    return args


def main(argv=None):
    args = parse_args(argv)
    os.makedirs(args.out, exist_ok=True)
    generator = ArchiveGenerator(args)
    generator.run()
    if args.manifest:
        generator.write_manifest(args.manifest)
    return 0


if __name__ == "__main__":
    sys.exit(main())
