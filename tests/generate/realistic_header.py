r"""Headers shaped like a real scanner's, for benchmarks: make_archive.py --realistic-headers.

A GE CT slice (pydicom's CT_small.dcm) carries ~260 elements: ~90 public ones, ~170 private ones in
eight GE groups, each reserved by its private creator, and SS/DS/SL/FL/LO/SH values in about the
proportions such a header has; real headers also nest sequences (request attributes with codes,
referenced images, exposure). Small synthetic headers (~60 elements) flatter every parser, so this
module adds that shape to a series dataset: about 300 elements (sequence items included), ~5 KB of
header bytes and ~13 KB of DICOM JSON per instance. Nothing is copied from a real file; every value
comes from a Random seeded by the generator's seed and the series indices, so archives stay
byte-identical.
"""
import random

from pydicom.dataset import Dataset
from pydicom.sequence import Sequence

# (group, creator, element count): GE's groups as a GE CT header uses them (a few elements fewer).
PRIVATE_GROUPS = [
    (0x0009, "GEMS_IDEN_01", 10), (0x0019, "GEMS_ACQU_01", 48), (0x0021, "GEMS_RELA_01", 14),
    (0x0023, "GEMS_STDY_01", 4), (0x0025, "GEMS_SERS_01", 9), (0x0027, "GEMS_IMAG_01", 30),
    (0x0029, "GEMS_IMPS_01", 11), (0x0043, "GEMS_PARM_01", 36),
]
# Value representations of private elements, weighted as in a GE CT header.
PRIVATE_VRS = [("SS", 50), ("DS", 35), ("SL", 33), ("FL", 20), ("LO", 12), ("SH", 16), ("US", 6),
               ("OB", 3), ("IS", 3), ("UL", 2)]
# Elements that change from slice to slice (table position, times, counters): (group, offset).
PER_SLICE = [(0x0019, 0x23), (0x0019, 0x24), (0x0019, 0x27), (0x0027, 0x50), (0x0027, 0x51),
             (0x0043, 0x1E), (0x0021, 0x92)]


def _value(rng, vr):
    if vr in ("SS", "US", "SL", "UL"):
        lo, hi = {"SS": (-2000, 2000), "US": (0, 4096), "SL": (-100000, 100000), "UL": (0, 10**6)}[vr]
        n = rng.choice([1, 1, 1, 1, 1, 1, 2, 3])
        values = [rng.randint(lo, hi) for _ in range(n)]
        return values[0] if n == 1 else values
    if vr == "FL":
        return round(rng.uniform(-500, 500), 3)
    if vr == "DS":
        return f"{rng.uniform(-400, 400):.4g}"
    if vr == "IS":
        return str(rng.randint(0, 5000))
    if vr == "LO":
        return rng.choice(["STANDARD", "HELICAL", "Body Filter", "LARGE BOWTIE FIL", "SmartmA",
                           "ASIR 40%", "HEAD FIRST", "06MW03.5"])
    if vr == "SH":
        return rng.choice(["", "A", "CT01", "SCOUT", "AXIAL", "R", "LG", "HF"])
    return bytes(rng.getrandbits(8) for _ in range(rng.choice([4, 12, 24])))  # OB


def _code(value, scheme, meaning):
    item = Dataset()
    item.CodeValue, item.CodingSchemeDesignator, item.CodeMeaning = value, scheme, meaning
    return item


class RealisticHeader:
    """Adds the realistic part to one series' dataset; slice() updates it per instance."""

    def __init__(self, seed, series_key, uid):
        self.rng = random.Random(f"{seed}|realistic|{series_key}")
        self.uid = uid
        self.key = series_key

    def add(self, ds, modality):
        rng = self.rng
        ds.InstanceCreationDate = ds.StudyDate
        ds.InstanceCreationTime = ds.SeriesTime
        ds.InstanceCreatorUID = "1.2.840.113619.6.95"
        ds.AcquisitionDate = ds.StudyDate
        ds.AcquisitionTime = ds.SeriesTime
        ds.OperatorsName = rng.choice(["RT^ANNA", "Tech^Bob", "CT^OPERATOR"])
        ds.PerformingPhysicianName = ""
        ds.NameOfPhysiciansReadingStudy = rng.choice(["", "Reader^Ruth"])
        ds.InstitutionalDepartmentName = "Radiology"
        ds.PatientWeight = f"{rng.uniform(45, 120):.1f}"
        ds.PatientSize = f"{rng.uniform(1.5, 2.0):.2f}"
        ds.ContrastBolusAgent = rng.choice(["", "ISOVUE300/100", "OMNIPAQUE 350"])
        ds.ContrastBolusRoute = "IV"
        ds.ScanOptions = rng.choice(["HELICAL MODE", "AXIAL MODE"])
        ds.SpacingBetweenSlices = ds.get("SliceThickness", "1.0")
        ds.DataCollectionDiameter = "500.0"
        ds.ReconstructionDiameter = f"{rng.uniform(300, 450):.4f}"
        ds.DistanceSourceToDetector = "1099.31"
        ds.DistanceSourceToPatient = "630.0"
        ds.GantryDetectorTilt = "0.0"
        ds.TableHeight = f"{rng.uniform(100, 180):.6f}"
        ds.RotationDirection = "CW"
        ds.ExposureTime = str(rng.randint(500, 2000))
        ds.XRayTubeCurrent = str(rng.randint(80, 500))
        ds.Exposure = str(rng.randint(50, 400))
        ds.FilterType = "BODY FILTER"
        ds.GeneratorPower = str(rng.randint(20, 80))
        ds.FocalSpots = ["0.7", "1.2"]
        ds.ConvolutionKernel = rng.choice(["STANDARD", "BONE", "LUNG", "SOFT"])
        ds.RevolutionTime = 0.8
        ds.SingleCollimationWidth = 0.625
        ds.TotalCollimationWidth = 40.0
        ds.TableSpeed = 39.375
        ds.TableFeedPerRotation = 39.375
        ds.SpiralPitchFactor = 0.984375
        ds.CTDIvol = round(rng.uniform(2, 20), 4)
        ds.PositionReferenceIndicator = "SN"
        ds.ImagesInAcquisition = str(rng.randint(50, 400))
        ds.ImageComments = rng.choice(["", "Uncompressed", "recon 2"])
        ds.PixelPaddingValue = 0  # unsigned pixels here (PixelRepresentation 0)
        ds.LossyImageCompression = "00"
        ds.RequestedProcedureDescription = ds.get("StudyDescription", "")
        ds.PerformedProcedureStepID = str(rng.randint(10000, 99999))
        ds.PerformedProcedureStepDescription = ds.get("StudyDescription", "")
        ds.OtherPatientIDsSequence = Sequence([self._other_id(i) for i in range(2)])
        ds.ProcedureCodeSequence = Sequence([_code(f"IMG{rng.randint(1000, 9999)}", "99LOCAL",
                                                   ds.get("StudyDescription", "") or "CT")])
        request = Dataset()
        request.RequestedProcedureID = str(rng.randint(10**6, 10**7))
        request.ScheduledProcedureStepID = str(rng.randint(10**6, 10**7))
        request.ScheduledProcedureStepDescription = ds.get("StudyDescription", "")
        request.ScheduledProtocolCodeSequence = Sequence([_code("P1", "99GEMS", "routine"),
                                                          _code("P7", "99GEMS", "contrast")])
        ds.RequestAttributesSequence = Sequence([request])
        ds.AnatomicRegionSequence = Sequence([_code("T-D0010", "SRT", ds.get("BodyPartExamined", "")
                                                    or "Body")])
        exposure = Dataset()
        exposure.KVP = ds.get("KVP", "120")
        exposure.XRayTubeCurrentInmA = float(ds.XRayTubeCurrent)
        exposure.ExposureTimeInms = float(ds.ExposureTime)
        exposure.CTDIvol = float(ds.CTDIvol)
        ds.CTExposureSequence = Sequence([exposure])
        for group, creator, count in PRIVATE_GROUPS:
            ds.add_new((group << 16) | 0x0010, "LO", creator)
            for k in range(count):
                vr = rng.choices([v for v, _ in PRIVATE_VRS], weights=[w for _, w in PRIVATE_VRS])[0]
                ds.add_new((group << 16) | 0x1000 | (k + 1), vr, _value(rng, vr))
        ds.ReferencedImageSequence = Sequence(
            [self._reference(ds.SOPClassUID, "ref", i) for i in range(2)])
        ds.SourceImageSequence = Sequence([self._reference(ds.SOPClassUID, "source")])

    def _other_id(self, i):
        item = Dataset()
        item.PatientID = f"X{self.rng.randint(10**7, 10**8)}"
        item.IssuerOfPatientID = ["HOSP_A", "REGION"][i]
        item.TypeOfPatientID = "TEXT"
        return item

    def _reference(self, sop_class, role, i=0):
        item = Dataset()
        item.ReferencedSOPClassUID = sop_class
        item.ReferencedSOPInstanceUID = self.uid("realistic", role, self.key, i)
        return item

    def slice(self, ds, i):
        """Per-instance values: private table positions and counters move with the slice."""
        for group, offset in PER_SLICE:
            tag = (group << 16) | 0x1000 | offset
            if tag in ds:
                element = ds[tag]
                if element.VR in ("DS", "IS", "LO", "SH"):
                    element.value = f"{i * 1.25:.3f}" if element.VR == "DS" else str(i)
                elif element.VR == "FL":
                    element.value = i * 1.25
                elif element.VR in ("SS", "US", "SL", "UL"):
                    element.value = i % 2000
        t = ds.SeriesTime
        seconds = (int(t[0:2]) * 3600 + int(t[2:4]) * 60 + int(t[4:6]) + i) % 86400
        ds.InstanceCreationTime = f"{seconds // 3600:02d}{seconds // 60 % 60:02d}{seconds % 60:02d}"
