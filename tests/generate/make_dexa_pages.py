#!/usr/bin/python3
r"""Draw DXA bone-density report pages (Hologic and GE Lunar layouts) as Secondary Capture DICOM,
with the values written on them in a JSON truth file.

Same arguments -> same files: every choice comes from random.Random(seed), UIDs are
2.25.<sha256(seed, role, indices)>. The truth is built from the generator's own choices (never by
reading pages back), so a test comparing `dicometl dexa` output against it can fail.

What is drawn (see ../../docs/dexa.md): a header block with patient data, a scan image area, the
results table, a reference chart with axis numbers (not results), a GE "Densitometry Trend" table
(dated earlier exams, not results) and a footer. Variants: clean, noise, blur, jpeg (lossy
round trip), lowres (100 dpi). Extra files: a DXA scan-like image and an NM whole-body-like image
(no values expected), duplicates (an identical copy; a less complete copy), one page stored RLE
and one stored as encapsulated JPEG baseline.

Needs Debian's python3-pydicom, python3-pil, python3-numpy and fonts-dejavu-core.

With --ladder it draws the realism ladder instead (dexa_ladder.py: pages as hard as real exports,
per resolution tier; --dpis, --per-layout, --layouts), which also needs fonts-liberation2 and
fonts-dejavu-extra.

Examples
  make_dexa_pages.py --out /tmp/dexa --truth /tmp/dexa/truth.json --seed 1 --patients 4
  make_dexa_pages.py --ladder --out /tmp/ladder --truth /tmp/ladder/truth.json --dpis 90,300 --per-layout 2
"""
import argparse
import hashlib
import io
import json
import os
import random

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.encaps import encapsulate
from pydicom.filewriter import dcmwrite
from pydicom.pixel_data_handlers.rle_handler import rle_encode_frame
from pydicom import uid as dicom_uid

FONT_DIR = "/usr/share/fonts/truetype/dejavu"
SC_SOP_CLASS = "1.2.840.10008.5.1.4.1.1.7"
NM_SOP_CLASS = "1.2.840.10008.5.1.4.1.1.20"

# --- values ---------------------------------------------------------------------------------------

# Young-adult and age-matched reference (mean, sd) of BMD per region family: only used to make
# T/Z-scores and percentages that agree with the BMD, as real pages do.
REF = {"spine": (1.047, 0.110), "neck": (0.849, 0.111), "troch": (0.708, 0.084),
       "inter": (1.182, 0.147), "total": (0.942, 0.122), "wards": (0.692, 0.126)}


def fmt(v, places):
    s = f"{v:.{places}f}"
    return "0." + "0" * places if s in ("-0." + "0" * places,) else s


class Uids:
    def __init__(self, seed):
        self.prefix = f"dexa|{seed}|"

    def __call__(self, *parts):
        digest = hashlib.sha256((self.prefix + "|".join(map(str, parts))).encode()).digest()
        return "2.25." + str(int.from_bytes(digest[:16], "big"))


def scores(rng, bmd, family, age_shift):
    mean, sd = REF[family]
    t = (bmd - mean) / sd
    z = t + age_shift
    ya = round(bmd / mean * 100)
    am = round(ya + age_shift * 9)
    return round(t, 1), round(z, 1), ya, am


def hologic_rows(rng, site, with_pct, age_shift):
    """Rows as dicts metric -> displayed string (None = blank cell)."""
    rows = []
    if site == "spine":
        parts = []
        for i, name in enumerate(["L1", "L2", "L3", "L4"]):
            area = round(rng.uniform(12.5, 18.5) + i * 0.9, 2)
            bmd_true = rng.uniform(0.70, 1.20) + i * 0.02
            bmc = round(bmd_true * area, 2)
            parts.append((name, area, bmc))
        combos = [p for p in parts]
        tot_area = round(sum(p[1] for p in parts), 2)
        tot_bmc = round(sum(p[2] for p in parts), 2)
        combos.append(("L1-L4", tot_area, tot_bmc))
        for name, area, bmc in combos:
            bmd = round(bmc / area, 3)
            t, z, ya, am = scores(rng, bmd, "spine", age_shift)
            row = {"region": name, "area": fmt(area, 2), "bmc": fmt(bmc, 2), "bmd": fmt(bmd, 3),
                   "t_score": fmt(t, 1), "z_score": fmt(z, 1)}
            if with_pct:
                row["ya_pct"], row["am_pct"] = str(ya), str(am)
            rows.append(row)
        return rows
    # femur: Neck, Troch, Inter, Total (= Neck + Troch + Inter), Ward's
    parts = []
    for name, fam, lo, hi, alo, ahi in [("Neck", "neck", 0.55, 1.0, 4.6, 5.6),
                                        ("Troch", "troch", 0.50, 0.90, 10.5, 14.0),
                                        ("Inter", "inter", 0.80, 1.30, 17.0, 22.0)]:
        area = round(rng.uniform(alo, ahi), 2)
        bmc = round(rng.uniform(lo, hi) * area, 2)
        parts.append((name, fam, area, bmc))
    parts.append(("Total", "total", round(sum(p[2] for p in parts), 2),
                  round(sum(p[3] for p in parts), 2)))
    area = round(rng.uniform(1.0, 1.3), 2)
    parts.append(("Ward's", "wards", area, round(rng.uniform(0.4, 0.9) * area, 2)))
    for name, fam, area, bmc in parts:
        bmd = round(bmc / area, 3)
        t, z, ya, am = scores(rng, bmd, fam, age_shift)
        row = {"region": name, "area": fmt(area, 2), "bmc": fmt(bmc, 2), "bmd": fmt(bmd, 3),
               "t_score": fmt(t, 1), "z_score": fmt(z, 1)}
        if with_pct:
            row["ya_pct"], row["am_pct"] = str(ya), str(am)
        if name == "Ward's" and rng.random() < 0.5:  # T-score may be blank: not an error
            row["t_score"] = None
            if with_pct:
                row["ya_pct"] = None
        rows.append(row)
    return rows


def lunar12_spine_rows(rng, age_shift):
    areas, bmcs = [], []
    rows = []
    names = ["L1", "L2", "L3", "L4"]
    for i in range(4):
        a = rng.uniform(12.0, 18.0) + i
        areas.append(a)
        bmcs.append(a * (rng.uniform(0.75, 1.25) + 0.02 * i))
    combos = [(n, [i]) for i, n in enumerate(names)] + [("L1-L4", [0, 1, 2, 3]), ("L2-L4", [1, 2, 3])]
    for name, idx in combos:
        bmd = round(sum(bmcs[i] for i in idx) / sum(areas[i] for i in idx), 3)
        t, z, ya, am = scores(rng, bmd, "spine", age_shift)
        rows.append({"region": name, "bmd": fmt(bmd, 3), "ya_pct": str(ya), "t_score": fmt(t, 1),
                     "am_pct": str(am), "z_score": fmt(z, 1)})
    return rows


def lunar17_dual_rows(rng, age_shift):
    rows = []
    for fam, name in [("neck", "Neck"), ("total", "Total")]:
        lo, hi = (0.60, 1.05) if fam == "neck" else (0.70, 1.15)
        left = round(rng.uniform(lo, hi), 3)
        right = round(left + rng.uniform(-0.06, 0.06), 3)
        vals = {}
        for side, bmd in [("Left", left), ("Right", right)]:
            t, z, _, _ = scores(rng, bmd, fam, age_shift)
            vals[side] = (bmd, t, z)
            rows.append({"region": f"{name} {side}", "bmd": fmt(bmd, 3), "t_score": fmt(t, 1),
                         "z_score": fmt(z, 1)})
        mean = round((left + right) / 2, 3)
        t, z, _, _ = scores(rng, mean, fam, age_shift)
        rows.append({"region": f"{name} Mean", "bmd": fmt(mean, 3), "t_score": fmt(t, 1),
                     "z_score": fmt(z, 1)})
        rows.append({"region": f"{name} Diff.", "bmd": fmt(abs(left - right), 3),
                     "t_score": fmt(abs(vals["Left"][1] - vals["Right"][1]), 1), "z_score": None})
    return rows


# --- drawing --------------------------------------------------------------------------------------

class Fonts:
    def __init__(self, dpi):
        px = lambda pt: max(8, round(pt * dpi / 72))
        self.regular = ImageFont.truetype(f"{FONT_DIR}/DejaVuSans.ttf", px(9))
        self.bold = ImageFont.truetype(f"{FONT_DIR}/DejaVuSans-Bold.ttf", px(9))
        self.small = ImageFont.truetype(f"{FONT_DIR}/DejaVuSans.ttf", px(7))
        self.title = ImageFont.truetype(f"{FONT_DIR}/DejaVuSans-Bold.ttf", px(13))


def draw_scan(draw, box, rng, kind):
    """A grey image area: a spine or a femur silhouette (pixels, not text)."""
    x0, y0, x1, y1 = box
    draw.rectangle(box, fill=20)
    w, h = x1 - x0, y1 - y0
    if kind == "spine":
        for i in range(5):
            cy = y0 + h * (0.15 + i * 0.17)
            draw.rounded_rectangle([x0 + w * 0.35, cy, x0 + w * 0.65, cy + h * 0.13], radius=6,
                                   fill=150 + rng.randint(0, 60))
    else:
        draw.ellipse([x0 + w * 0.45, y0 + h * 0.1, x0 + w * 0.75, y0 + h * 0.35], fill=170)
        draw.polygon([(x0 + w * 0.5, y0 + h * 0.3), (x0 + w * 0.3, y0 + h * 0.5),
                      (x0 + w * 0.4, y0 + h * 0.95), (x0 + w * 0.55, y0 + h * 0.95),
                      (x0 + w * 0.6, y0 + h * 0.45)], fill=190)


def draw_chart(draw, box, fonts, rng, ylo, yhi):
    """Reference curve with numbered axes: numbers a parser must not take for results."""
    x0, y0, x1, y1 = box
    draw.rectangle(box, outline=0, width=1)
    n = 5
    for i in range(n + 1):
        v = ylo + (yhi - ylo) * i / n
        y = y1 - (y1 - y0) * i / n
        draw.text((x0 - 6, y), f"{v:.2f}", font=fonts.small, fill=0, anchor="rm")
        draw.line([x0, y, x0 + 5, y], fill=0)
    for i, age in enumerate(range(20, 101, 20)):
        x = x0 + (x1 - x0) * i / 4
        draw.text((x, y1 + 4), str(age), font=fonts.small, fill=0, anchor="mt")
    draw.text(((x0 + x1) / 2, y1 + 4 + fonts.small.size * 1.4), "Age", font=fonts.small, fill=0,
              anchor="mt")
    pts = [(x0 + (x1 - x0) * k / 20, y0 + (y1 - y0) * (0.3 + 0.5 * (k / 20) ** 2)) for k in range(21)]
    draw.line(pts, fill=80, width=2)
    px = x0 + (x1 - x0) * rng.uniform(0.3, 0.8)
    draw.ellipse([px - 5, (y0 + y1) / 2 - 5, px + 5, (y0 + y1) / 2 + 5], fill=0)


# Columns per layout: (metric or "region", header line 1, header line 2).
LAYOUTS = {
    "hologic": [("region", "Region", ""), ("area", "Area", "(cm²)"), ("bmc", "BMC", "(g)"),
                ("bmd", "BMD", "(g/cm²)"), ("t_score", "T-", "score"), ("ya_pct", "PR", "(%)"),
                ("z_score", "Z-", "score"), ("am_pct", "AM", "(%)")],
    "lunar12": [("region", "Region", ""), ("bmd", "BMD", "(g/cm²)"), ("ya_pct", "Young-", "Adult (%)"),
                ("t_score", "T-score", ""), ("am_pct", "Age-", "Matched (%)"), ("z_score", "Z-score", "")],
    "lunar17": [("region", "Region", ""), ("bmd", "BMD", "(g/cm²)"), ("t_score", "YA", "T-score"),
                ("z_score", "AM", "Z-score")],
}


def draw_table(draw, x0, y0, fonts, layout, rows, bold_regions, max_right):
    cols = [c for c in LAYOUTS[layout] if c[0] == "region" or any(c[0] in r for r in rows)]
    line = round(fonts.regular.size * 1.9)
    region_w = fonts.regular.size * 7
    widths = [max(fonts.bold.getlength(h1), fonts.bold.getlength(h2), fonts.regular.size * 3.2)
              for _, h1, h2 in cols[1:]]
    # Columns spread over the width available, as the vendors' tables do (at most 3 em apart).
    pad = min(fonts.regular.size * 3, (max_right - x0 - region_w - sum(widths)) / len(widths))
    x = x0
    centers = {"region": (x0, x0)}
    x += region_w
    for (metric, _, _), w in zip(cols[1:], widths):
        centers[metric] = (x, x + (w + pad) / 2)
        x += w + pad
    right = x
    y = y0
    for metric, h1, h2 in cols:
        left, c = centers[metric]
        if metric == "region":
            draw.text((left, y), h1, font=fonts.bold, fill=0)
        else:
            draw.text((c, y), h1, font=fonts.bold, fill=0, anchor="mt")
            if h2:
                draw.text((c, y + line * 0.75), h2, font=fonts.bold, fill=0, anchor="mt")
    y += line * 1.8
    draw.line([x0, y - line * 0.3, right, y - line * 0.3], fill=0, width=1)
    for row in rows:
        font = fonts.bold if row["region"] in bold_regions else fonts.regular
        for metric, _, _ in cols:
            left, c = centers[metric]
            v = row.get(metric)
            if metric == "region":
                draw.text((left, y), row["region"], font=font, fill=0)
            elif v is not None:
                draw.text((c, y), v, font=font, fill=0, anchor="mt")
        y += line
    return y, right


def draw_page(rng, dpi, page):
    W, H = round(8.5 * dpi), round(11 * dpi)
    img = Image.new("L", (W, H), 255)
    d = ImageDraw.Draw(img)
    f = Fonts(dpi)
    m = dpi * 0.5
    hologic = page["vendor"] == "hologic"
    title = "DXA Results Summary" if hologic else "Bone Densitometry"
    d.text((m, m), ("Hologic Horizon A" if hologic else "GE Lunar iDXA") + " — " + title,
           font=f.title, fill=0)
    lh = f.regular.size * 1.5
    info = [f"Name: {page['name']}", f"Patient ID: {page['patient_id']}",
            f"DOB: {page['dob']}", f"Sex: {page['sex']}", f"Height: {page['height']} cm",
            f"Weight: {page['weight']} kg", "Ethnicity: White",
            f"Scan Date: {page['exam_date_text']}", f"Scan Type: {page['protocol']}"]
    for i, t in enumerate(info):
        d.text((m + (i % 3) * dpi * 2.5, m + dpi * 0.35 + (i // 3) * lh), t, font=f.regular, fill=0)
    top = m + dpi * 0.35 + 3 * lh + dpi * 0.2
    d.line([m, top, W - m, top], fill=0, width=2)
    # image area on the left, chart top right, table below the chart
    img_box = [m, top + dpi * 0.2, m + W * 0.33, top + dpi * 0.2 + H * 0.42]
    draw_scan(d, img_box, rng, "spine" if page["site"] == "spine" else "femur")
    d.text((img_box[0], img_box[3] + 6), "Image not for diagnosis", font=f.small, fill=0)
    cx0 = W * 0.45
    chart = [cx0 + dpi * 0.3, top + dpi * 0.3, W - m - dpi * 0.3, top + dpi * 0.3 + H * 0.2]
    draw_chart(d, chart, f, rng, 0.5, 1.4)
    ty = chart[3] + dpi * 0.6
    label = {"spine": "Total" if not hologic else "L1-L4"}.get(page["site"], "Total")
    d.text((cx0, ty - f.regular.size * 2.2), "Results Summary:", font=f.bold, fill=0)
    bold = {"L1-L4", "Total", "Total Mean"}
    end_y, right = draw_table(d, cx0, ty, f, page["layout"], page["rows"], bold, W - m)
    if page["layout"] == "lunar17":  # a trend table of earlier exams: not results
        y = end_y + dpi * 0.35
        d.text((cx0, y), "Densitometry Trend: Total Mean", font=f.bold, fill=0)
        y += lh * 1.3
        heads = ["Measured Date", "Age (years)", "BMD (g/cm²)", "Change (%)"]
        for i, h in enumerate(heads):
            d.text((cx0 + i * dpi * 0.95, y), h, font=f.small, fill=0)
        for k in range(3):
            y += lh
            year = int(page["exam_date"][:4]) - 2 * (k + 1)
            vals = [f"{page['exam_date'][6:8]}/{page['exam_date'][4:6]}/{year}",
                    f"{page['age'] - 2 * (k + 1):.1f}", f"{rng.uniform(0.7, 1.1):.3f}",
                    f"{rng.uniform(-3, 3):.1f}"]
            for i, v in enumerate(vals):
                d.text((cx0 + i * dpi * 0.95, y), v, font=f.small, fill=0)
    # footer
    fy = H - m - lh * 3
    d.line([m, fy - 6, W - m, fy - 6], fill=0)
    d.text((m, fy), "Reference: " + ("USA (Combined NHANES/Hologic)" if hologic
                                      else "USA (Combined NHANES/Lunar) Spine Ref 12"),
           font=f.small, fill=0)
    d.text((m, fy + lh), f"Device: {page['model']}  S/N {page['serial']}   Printed: "
           f"{page['exam_date_text']}", font=f.small, fill=0)
    d.text((m, fy + 2 * lh), "WHO classification applies to postmenopausal women and men aged 50+.",
           font=f.small, fill=0)
    return img


def degrade(img, variant, rng):
    if variant == "noise":
        a = np.asarray(img).astype(np.int16)
        nrng = np.random.default_rng(rng.randint(0, 2**31))
        a = a + nrng.normal(0, 18, a.shape).astype(np.int16)
        return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))
    if variant == "blur":
        return img.filter(ImageFilter.GaussianBlur(0.9))
    if variant == "jpeg":
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=30)
        return Image.open(io.BytesIO(buf.getvalue())).convert("L")
    return img


def non_report_image(kind, rng):
    if kind == "scan":  # a DXA scan image: grey bone on black, a few labels
        img = Image.new("L", (512, 640), 10)
        d = ImageDraw.Draw(img)
        draw_scan(d, [0, 0, 511, 639], rng, "spine")
        f = ImageFont.truetype(f"{FONT_DIR}/DejaVuSans.ttf", 14)
        for i, t in enumerate(["L1", "L2", "L3", "L4"]):
            d.text((360, 120 + i * 109), t, font=f, fill=255)
        return img
    # NM whole-body bone scan: two body outlines of dots (anterior/posterior)
    img = Image.new("L", (512, 1024), 255)
    d = ImageDraw.Draw(img)
    for ox in (128, 384):
        d.ellipse([ox - 30, 40, ox + 30, 110], fill=90)
        d.rectangle([ox - 60, 120, ox + 60, 520], fill=140)
        d.rectangle([ox - 55, 520, ox - 10, 980], fill=150)
        d.rectangle([ox + 10, 520, ox + 55, 980], fill=150)
        for _ in range(40):
            x, y = ox + rng.randint(-55, 55), rng.randint(130, 960)
            d.ellipse([x - 4, y - 4, x + 4, y + 4], fill=30)
    f = ImageFont.truetype(f"{FONT_DIR}/DejaVuSans.ttf", 16)
    d.text((20, 1000), "ANT", font=f, fill=0)
    d.text((470, 1000), "POST", font=f, fill=0)
    return img


# --- DICOM ----------------------------------------------------------------------------------------

def write_dicom(path, img, meta, uids, key, storage="raw", modality="OT", sop_class=SC_SOP_CLASS):
    a = np.asarray(img.convert("L"), dtype=np.uint8)
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.MediaStorageSOPClassUID = sop_class
    ds.file_meta.MediaStorageSOPInstanceUID = uids("sop", *key)
    ds.file_meta.ImplementationClassUID = "2.25.1"
    ds.SOPClassUID = sop_class
    ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID
    ds.PatientName = meta["name"]
    ds.PatientID = meta["patient_id"]
    ds.PatientBirthDate = meta["dob_dicom"]
    ds.PatientSex = meta["sex"]
    ds.StudyInstanceUID = uids("study", meta["patient_id"], meta["exam_date"])
    ds.SeriesInstanceUID = uids("series", *key)
    ds.StudyDate = meta["exam_date"]
    ds.SeriesDate = meta["exam_date"]
    ds.ContentDate = meta["exam_date"]
    ds.StudyTime = "101500"
    ds.AccessionNumber = meta.get("accession", "")
    ds.Modality = modality
    ds.ConversionType = "WSD"
    ds.Manufacturer = meta.get("manufacturer", "")
    ds.ManufacturerModelName = meta.get("model", "")
    ds.DeviceSerialNumber = meta.get("serial", "")
    ds.ProtocolName = meta.get("protocol", "")
    ds.SeriesDescription = meta.get("protocol", "")
    ds.StudyDescription = meta.get("study_description", "DXA Bone Density")
    ds.SeriesNumber = 1
    ds.InstanceNumber = 1
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.Rows, ds.Columns = a.shape
    if storage == "mono1":  # stored inverted: 0 is white
        ds.PhotometricInterpretation = "MONOCHROME1"
        a = 255 - a
    elif storage == "rgb":  # a colour export of the page
        a = np.ascontiguousarray(np.stack([a, a, a], axis=-1))
        ds.SamplesPerPixel = 3
        ds.PhotometricInterpretation = "RGB"
        ds.PlanarConfiguration = 0
    ds.BitsAllocated = 8
    ds.BitsStored = 8
    ds.HighBit = 7
    ds.PixelRepresentation = 0
    if storage == "rle":
        ds.file_meta.TransferSyntaxUID = dicom_uid.RLELossless
        ds.PixelData = encapsulate([rle_encode_frame(a)])
    elif storage == "jpeg":
        buf = io.BytesIO()
        Image.fromarray(a).save(buf, "JPEG", quality=92)
        ds.file_meta.TransferSyntaxUID = dicom_uid.JPEGBaseline8Bit
        ds.PixelData = encapsulate([buf.getvalue()])
        ds.LossyImageCompression = "01"
    else:
        ds.file_meta.TransferSyntaxUID = dicom_uid.ExplicitVRLittleEndian
        ds.PixelData = a.tobytes()
    if storage in ("rle", "jpeg"):
        ds["PixelData"].is_undefined_length = True
        ds["PixelData"].VR = "OB"
    ds.is_little_endian = True
    ds.is_implicit_VR = False
    os.makedirs(os.path.dirname(path), exist_ok=True)
    dcmwrite(path, ds, write_like_original=False)
    return ds.SOPInstanceUID


SR_NAMES = {"bmd": "BMD", "bmc": "BMC", "area": "Area", "t_score": "T-score", "z_score": "Z-score",
            "ya_pct": "Young-Adult %", "am_pct": "Age-Matched %"}
SR_UNITS = {"bmd": "g/cm2", "bmc": "g", "area": "cm2", "t_score": "{T-score}", "z_score": "{Z-score}",
            "ya_pct": "%", "am_pct": "%"}


def code(value, scheme, meaning):
    c = Dataset()
    c.CodeValue, c.CodingSchemeDesignator, c.CodeMeaning = value, scheme, meaning
    return c


def write_sr(path, meta, uids, key, rows):
    """The results as a Comprehensive SR: a CONTAINER per region holding NUM items, except the
    last row, whose NUM items carry a "Finding Site" concept modifier instead (both shapes are
    read by src/dicometl/dexa/sr_reader.cpp)."""
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.88.33"
    ds.file_meta.MediaStorageSOPInstanceUID = uids("sop", *key)
    ds.file_meta.TransferSyntaxUID = dicom_uid.ExplicitVRLittleEndian
    ds.file_meta.ImplementationClassUID = "2.25.1"
    ds.SOPClassUID = ds.file_meta.MediaStorageSOPClassUID
    ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID
    ds.PatientName, ds.PatientID, ds.PatientSex = meta["name"], meta["patient_id"], meta["sex"]
    ds.StudyInstanceUID = uids("study", meta["patient_id"], meta["exam_date"])
    ds.SeriesInstanceUID = uids("series", *key)
    ds.StudyDate = ds.ContentDate = meta["exam_date"]
    ds.Modality = "SR"
    ds.SeriesDescription = meta["protocol"]
    ds.Manufacturer = meta.get("manufacturer", "")
    ds.ValueType = "CONTAINER"
    ds.ContinuityOfContent = "SEPARATE"
    ds.ConceptNameCodeSequence = [code("DXARPT", "99DICOMETL", "DXA Report")]

    def num(metric, value, site=None):
        item = Dataset()
        item.RelationshipType = "CONTAINS"
        item.ValueType = "NUM"
        item.ConceptNameCodeSequence = [code(metric.upper(), "99DICOMETL", SR_NAMES[metric])]
        mv = Dataset()
        mv.NumericValue = value
        mv.MeasurementUnitsCodeSequence = [code(SR_UNITS[metric], "UCUM", SR_UNITS[metric])]
        item.MeasuredValueSequence = [mv]
        if site:
            mod = Dataset()
            mod.RelationshipType = "HAS CONCEPT MOD"
            mod.ValueType = "CODE"
            mod.ConceptNameCodeSequence = [code("363698007", "SCT", "Finding Site")]
            mod.ConceptCodeSequence = [code(site.upper(), "99DICOMETL", site)]
            item.ContentSequence = [mod]
        return item

    content = []
    for i, row in enumerate(rows):
        nums = [(k, v) for k, v in row.items() if k != "region" and v is not None]
        if i == len(rows) - 1:
            content += [num(k, v, row["region"]) for k, v in nums]
        else:
            box = Dataset()
            box.RelationshipType = "CONTAINS"
            box.ValueType = "CONTAINER"
            box.ContinuityOfContent = "SEPARATE"
            box.ConceptNameCodeSequence = [code(row["region"].upper(), "99DICOMETL", row["region"])]
            box.ContentSequence = [num(k, v) for k, v in nums]
            content.append(box)
    ds.ContentSequence = content
    ds.is_little_endian, ds.is_implicit_VR = True, False
    os.makedirs(os.path.dirname(path), exist_ok=True)
    dcmwrite(path, ds, write_like_original=False)
    return ds.SOPInstanceUID


FIRST = ["ANNA", "MARIA", "HELGA", "RUTH", "EVA", "JOHN", "PETER", "KARL"]
LAST = ["MEYER", "SCHMIDT", "KIM", "PARK", "LEE", "MUELLER", "WAGNER", "BECKER"]

# Which pages an exam has per vendor layout family.
EXAMS = {
    "hologic": [("spine", "hologic", "AP Spine"), ("left_femur", "hologic", "Left Femur")],
    "lunar": [("spine", "lunar12", "AP Spine"), ("dual_femur", "lunar17", "DualFemur")],
}
MODELS = {"hologic": ("HOLOGIC", "Horizon A"), "lunar": ("GE Healthcare", "Lunar iDXA")}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    ap.add_argument("--truth", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--patients", type=int, default=4, help="patients per variant (each one exam)")
    ap.add_argument("--variants", default="clean,noise,blur,jpeg,lowres")
    ap.add_argument("--dpi", type=int, default=150, help="resolution of all but lowres pages")
    ap.add_argument("--no-extras", action="store_true", help="no duplicates, non-reports, RLE/JPEG")
    ap.add_argument("--ladder", action="store_true",
                    help="draw the realism ladder instead (dexa_ladder.py): --dpis, --per-layout, --layouts")
    ap.add_argument("--dpis", default="90,120,150,300", help="ladder tiers (pixels per inch)")
    ap.add_argument("--per-layout", type=int, default=2, help="ladder pages per layout and tier")
    ap.add_argument("--layouts", default="", help="ladder layouts (default: all)")
    args = ap.parse_args()
    if args.ladder:
        import dexa_ladder  # a sibling module; it imports this one's DICOM writer
        dexa_ladder.generate(args)
        return
    rng = random.Random(args.seed)
    uids = Uids(args.seed)
    truth = {"generator": "make_dexa_pages.py", "seed": args.seed, "pages": []}
    pid_counter = 0

    def new_patient():
        nonlocal pid_counter
        pid_counter += 1
        sex = rng.choice(["F", "F", "M"])
        age = rng.uniform(45, 85)
        year = 2020 + rng.randint(0, 5)
        exam = f"{year}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
        by = year - int(age)
        return {"patient_id": f"DX{args.seed:02d}{pid_counter:04d}",
                "name": f"{rng.choice(LAST)}^{rng.choice(FIRST)}", "sex": sex, "age": age,
                "dob": f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{by}",
                "dob_dicom": f"{by}0615", "height": rng.randint(150, 185),
                "weight": rng.randint(48, 95), "exam_date": exam,
                "exam_date_text": f"{exam[6:8]}.{exam[4:6]}.{exam[:4]}",
                "age_shift": rng.uniform(0.2, 1.6)}

    def make_page(p, vendor, site, layout, protocol, with_pct):
        if layout == "hologic":
            rows = hologic_rows(rng, "spine" if site == "spine" else "femur", with_pct, p["age_shift"])
        elif layout == "lunar12":
            rows = lunar12_spine_rows(rng, p["age_shift"])
        else:
            rows = lunar17_dual_rows(rng, p["age_shift"])
        man, model = MODELS[vendor]
        return dict(p, vendor=vendor, site=site, layout=layout, protocol=protocol, rows=rows,
                    manufacturer=man, model=model, serial=f"{rng.randint(100000, 999999)}")

    def values(rows):
        out = []
        for r in rows:
            for k, v in r.items():
                if k != "region" and v is not None:
                    out.append({"region": r["region"], "metric": k, "value": v})
        return out

    def emit(page, img, variant, rel, storage="raw", extra=None):
        sop = write_dicom(os.path.join(args.out, rel), img, page, uids,
                          (page["patient_id"], page["site"], rel), storage)
        rec = {"file": rel, "sop_instance_uid": sop, "report": True, "variant": variant,
               "patient_id": page["patient_id"], "exam_date": page["exam_date"],
               "site": page["site"], "vendor": page["vendor"], "layout": page["layout"],
               "storage": storage, "values": values(page["rows"])}
        rec.update(extra or {})
        truth["pages"].append(rec)
        return rec

    variants = args.variants.split(",")
    for variant in variants:
        for i in range(args.patients):
            p = new_patient()
            vendor = "hologic" if i % 2 == 0 else "lunar"
            dpi = 100 if variant == "lowres" else args.dpi
            for site, layout, protocol in EXAMS[vendor]:
                page = make_page(p, vendor, site, layout, protocol, with_pct=(i % 4 == 0))
                img = degrade(draw_page(rng, dpi, page), variant, rng)
                rel = f"{variant}/{p['patient_id']}/{site}.dcm"
                emit(page, img, variant, rel)

    if not args.no_extras:
        # compressed storage: the pixels must be rendered through DCMTK's decoders
        for storage, vendor in [("rle", "hologic"), ("jpeg", "lunar"), ("mono1", "hologic"),
                                ("rgb", "lunar")]:
            p = new_patient()
            site, layout, protocol = EXAMS[vendor][0]
            page = make_page(p, vendor, site, layout, protocol, with_pct=True)
            emit(page, draw_page(rng, args.dpi, page), "clean", f"compressed/{storage}.dcm", storage)
        # duplicates of one exam: an identical copy and a less complete copy (cells blanked)
        p = new_patient()
        site, layout, protocol = EXAMS["hologic"][0]
        page = make_page(p, "hologic", site, layout, protocol, with_pct=False)
        img = draw_page(rng, args.dpi, page)
        group = f"{p['patient_id']}|{p['exam_date']}|{site}"
        emit(page, img, "clean", "dup/a_original.dcm", extra={"dup_group": group, "dup_role": "kept"})
        emit(page, img, "clean", "dup/b_identical_copy.dcm",
             extra={"dup_group": group, "dup_role": "identical"})
        p2 = new_patient()
        page2 = make_page(p2, "lunar", "spine", "lunar12", "AP Spine", with_pct=True)
        group2 = f"{p2['patient_id']}|{p2['exam_date']}|spine"
        emit(page2, draw_page(rng, args.dpi, page2), "clean", "dup2/a_complete.dcm",
             extra={"dup_group": group2, "dup_role": "kept"})
        partial = dict(page2, rows=[{k: (None if k in ("am_pct", "z_score") else v)
                                     for k, v in r.items()} for r in page2["rows"]])
        emit(partial, draw_page(rng, args.dpi, partial), "clean", "dup2/b_partial.dcm",
             extra={"dup_group": group2, "dup_role": "dropped"})
        # a page filed under another date than the one printed on it: every value flagged
        p = new_patient()
        page = make_page(p, "lunar", "spine", "lunar12", "AP Spine", with_pct=True)
        printed = dict(page, exam_date_text="01.02.2019")
        emit(page, draw_page(rng, args.dpi, printed), "misfiled", "misfiled/spine.dcm")
        # structured results (SR): read without OCR
        p = new_patient()
        page = make_page(p, "hologic", "spine", "hologic", "AP Spine", with_pct=True)
        rel = "sr/spine_sr.dcm"
        sop = write_sr(os.path.join(args.out, rel), page, uids, (p["patient_id"], "sr"), page["rows"])
        truth["pages"].append({"file": rel, "sop_instance_uid": sop, "report": True, "variant": "sr",
                               "patient_id": p["patient_id"], "exam_date": p["exam_date"], "site": "spine",
                               "vendor": "hologic", "layout": "sr", "storage": "sr",
                               "values": values(page["rows"])})
        # non-report images that pass the metadata filter: the content check must reject them
        p = new_patient()
        for kind, protocol in [("scan", "AP Spine"), ("nm", "Total Body Bone Scan")]:
            meta = dict(p, protocol=protocol, manufacturer="X", model="Y", serial="1")
            rel = f"nonreport/{kind}.dcm"
            sop = write_dicom(os.path.join(args.out, rel), non_report_image(kind, rng), meta, uids,
                              (p["patient_id"], kind), modality="OT")
            truth["pages"].append({"file": rel, "sop_instance_uid": sop, "report": False,
                                   "variant": "nonreport", "values": []})
        # a file that is not DICOM at all, and one the metadata filter skips (a CT-like image)
        with open(os.path.join(args.out, "nonreport", "notes.txt"), "w") as fh:
            fh.write("not a DICOM file\n")
        meta = dict(p, protocol="CHEST", manufacturer="X", model="Y", serial="1")
        write_dicom(os.path.join(args.out, "nonreport", "chest.dcm"), Image.new("L", (64, 64), 0),
                    meta, uids, (p["patient_id"], "chest"), modality="CT",
                    sop_class="1.2.840.10008.5.1.4.1.1.2")

    os.makedirs(os.path.dirname(os.path.abspath(args.truth)), exist_ok=True)
    with open(args.truth, "w") as fh:
        json.dump(truth, fh, indent=1)
    n = sum(len(p["values"]) for p in truth["pages"])
    print(f"{len(truth['pages'])} pages, {n} values -> {args.out}")


if __name__ == "__main__":
    main()
