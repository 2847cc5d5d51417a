r"""The realism ladder: DXA results pages drawn as hard as real exports are, at several resolutions
(tiers), with a truth file of every value drawn. Called by `make_dexa_pages.py --ladder`.

What makes them hard (issue 12): text is rendered anti-aliased directly at the tier's resolution
(a US-letter page at 90 ppi is 765x990 px and its digits are ~7 px tall and touch), fonts of the
vendors' kind (Liberation Sans, DejaVu Sans Condensed; bold total rows), JPEG quality 60-90, a
0.5-1 degree rotation on half the pages, mild noise, a bone picture and a tall box right beside the
table, units printed "(g/cm²)", dates with month names or with no label, and the layouts below.
Every page of one layout and index has the same content at every tier (own random stream), so
tiers differ only by resolution; patient IDs differ per tier so that pages are not duplicates.

Layouts (LAYOUTS): results pages of Hologic (spine, single hip, dual hip with section rows,
forearm "Radius + Ulna", whole body) and GE Lunar (enCORE 12 spine and femur with YA %/AM %,
enCORE 16 spine, enCORE 17/18 dual femur, iDXA total body with no date label), and pages that
must give no values: another vendor (Norland-like), body composition, a trend table, an
ancillary table. No vendor page was copied; the layouts follow /docs/dexa.md's description.
"""
import io
import json
import os
import random

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

import dexa_ladder_values as V
from make_dexa_pages import Uids, draw_chart, write_dicom

FONTS = {  # family -> (regular, bold), Debian fonts-liberation2 and fonts-dejavu-extra
    "liberation": ("/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
                   "/usr/share/fonts/truetype/liberation2/LiberationSans-Bold.ttf"),
    "dejavu_condensed": ("/usr/share/fonts/truetype/dejavu/DejaVuSansCondensed.ttf",
                         "/usr/share/fonts/truetype/dejavu/DejaVuSansCondensed-Bold.ttf"),
}
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]

HOLOGIC_COLS = [("area", "Area", "(cm²)"), ("bmc", "BMC", "(g)"), ("bmd", "BMD", "(g/cm²)"),
                ("t_score", "T -", "Score"), ("ya_pct", "PR", "(%)"), ("z_score", "Z -", "Score"),
                ("am_pct", "AM", "(%)")]
LUNAR12_COLS = [("bmd", "BMD", "(g/cm²)"), ("ya_pct", "Young-Adult", "(%)"), ("t_score", "T-Score", ""),
                ("am_pct", "Age-Matched", "(%)"), ("z_score", "Z-Score", "")]
LUNAR16_COLS = [("bmd", "BMD", "(g/cm²)"), ("t_score", "Young-Adult", "T-Score"),
                ("z_score", "Age-Matched", "Z-Score")]
LUNAR17_COLS = [("bmd", "BMD", "(g/cm²)"), ("t_score", "YA", "T-Score"), ("z_score", "AM", "Z-Score")]


def hologic_metrics(rng, scores=("t_score", "z_score")):
    # PR/AM columns appear on some software versions only.
    extra = ("ya_pct", "am_pct") if rng.random() < 0.5 else ()
    return ("area", "bmc", "bmd") + scores + extra


# name -> vendor, site, protocol, first column header, columns, rows(rng, scorer, metrics), metrics(rng)
LAYOUTS = {
    "hologic_spine": ("hologic", "spine", "AP Spine", "Region", HOLOGIC_COLS, V.hologic_spine, hologic_metrics),
    "hologic_hip": ("hologic", "left_femur", "Left Hip", "Region", HOLOGIC_COLS, V.hologic_hip, hologic_metrics),
    "hologic_dual_hip": ("hologic", "dual_femur", "DualFemur", "Region", HOLOGIC_COLS,
                         lambda rng, sc, m: V.dual_hip(rng, sc, m, "|Diff.|", True),
                         lambda rng: ("bmd", "t_score", "z_score")),
    "hologic_forearm": ("hologic", "forearm", "L Forearm", "Radius + Ulna", HOLOGIC_COLS, V.hologic_forearm,
                        hologic_metrics),
    "hologic_wholebody": ("hologic", "total_body", "Whole Body", "Region", HOLOGIC_COLS, V.hologic_wholebody,
                          hologic_metrics),
    "lunar12_spine": ("lunar", "spine", "AP Spine", "Region", LUNAR12_COLS, V.lunar_spine,
                      lambda rng: ("bmd", "ya_pct", "t_score", "am_pct", "z_score")),
    "lunar12_femur": ("lunar", "left_femur", "Left Femur", "Region", LUNAR12_COLS, V.lunar_femur,
                      lambda rng: ("bmd", "ya_pct", "t_score", "am_pct", "z_score")),
    "lunar16_spine": ("lunar", "spine", "AP Spine", "Region", LUNAR16_COLS, V.lunar_spine,
                      lambda rng: ("bmd", "t_score", "z_score")),
    "lunar17_dual_femur": ("lunar", "dual_femur", "DualFemur", "Region", LUNAR17_COLS,
                           lambda rng, sc, m: V.dual_hip(rng, sc, m, "Diff.", False),
                           lambda rng: ("bmd", "t_score", "z_score")),
    "idxa_total_body": ("lunar", "total_body", "Total Body", "Region", LUNAR17_COLS, V.lunar_total_body,
                        lambda rng: ("bmd", "t_score", "z_score")),
}
# Pages that must give no values: name -> vendor, protocol, title, first header, columns, rows(rng, year)
NOTHING = {
    "norland_spine": ("norland", "AP Spine", "Lumbar Spine Bone Density", "Region",
                      [("bmd", "BMD", "(g/cm²)"), ("bmc", "BMC", "(g)"), ("area", "Area", "(cm²)"),
                       ("t_score", "T-Score", ""), ("z_score", "Z-Score", "")], None),
    "body_composition": ("hologic", "Whole Body", "Body Composition Results", "Region",
                         [("fat", "Fat", "(g)"), ("lean", "Lean + BMC", "(g)"), ("mass", "Total Mass", "(g)"),
                          ("pct_fat", "% Fat", "")], lambda rng, year: V.body_composition(rng)),
    "trend_table": ("hologic", "AP Spine", "Trend: L1-L4", "Scan Date",
                    [("age", "Age", ""), ("bmd", "BMD", "(g/cm²)"), ("base", "Change vs", "Baseline (%)"),
                     ("prev", "Change vs", "Previous (%)")], lambda rng, year: V.trend(rng, year)),
    "ancillary": ("lunar", "AP Spine", "Ancillary Results [Spine]", "Region",
                  [("bmc", "BMC", "(g)"), ("area", "Area", "(cm²)"), ("width", "Width", "(cm)"),
                   ("height", "Height", "(cm)")], lambda rng, year: V.ancillary(rng)),
}
DEVICES = {"hologic": ("HOLOGIC", "Horizon A", "Hologic Horizon A", "DXA Results Summary"),
           "lunar": ("GE Healthcare", "Lunar iDXA", "GE Healthcare Lunar iDXA", "Bone Densitometry"),
           "norland": ("Norland", "XR-800", "NORLAND XR-800", "Bone Densitometer")}


class Fonts:
    def __init__(self, family, dpi, pt):
        regular, bold = FONTS[family]
        px = lambda p: max(6, round(p * dpi / 72))
        self.regular = ImageFont.truetype(regular, px(pt))
        self.bold = ImageFont.truetype(bold, px(pt))
        self.small = ImageFont.truetype(regular, px(pt - 1.5))
        self.title = ImageFont.truetype(bold, px(pt + 4))


def bone_picture(img, box, rng, site):
    """A scan-like picture: grey bone shapes on black, softened; pixels, not text."""
    x0, y0, x1, y1 = [round(v) for v in box]
    w, h = x1 - x0, y1 - y0
    pic = Image.new("L", (w, h), 15)
    d = ImageDraw.Draw(pic)
    if site in ("spine",):
        for i in range(5):
            cy = h * (0.08 + i * 0.18)
            d.rounded_rectangle([w * 0.3, cy, w * 0.7, cy + h * 0.14], radius=max(2, w // 20),
                                fill=140 + rng.randint(0, 70))
    elif site in ("total_body",):
        d.ellipse([w * 0.4, h * 0.02, w * 0.6, h * 0.14], fill=200)
        d.rectangle([w * 0.3, h * 0.16, w * 0.7, h * 0.5], fill=120)
        d.rectangle([w * 0.1, h * 0.16, w * 0.22, h * 0.55], fill=140)
        d.rectangle([w * 0.78, h * 0.16, w * 0.9, h * 0.55], fill=140)
        d.rectangle([w * 0.32, h * 0.52, w * 0.46, h * 0.98], fill=160)
        d.rectangle([w * 0.54, h * 0.52, w * 0.68, h * 0.98], fill=160)
    elif site == "forearm":
        d.rectangle([w * 0.3, h * 0.05, w * 0.42, h * 0.95], fill=170)
        d.rectangle([w * 0.55, h * 0.05, w * 0.65, h * 0.95], fill=150)
    else:
        d.ellipse([w * 0.45, h * 0.1, w * 0.75, h * 0.35], fill=170)
        d.polygon([(w * 0.5, h * 0.3), (w * 0.3, h * 0.5), (w * 0.4, h * 0.95), (w * 0.55, h * 0.95),
                   (w * 0.6, h * 0.45)], fill=190)
    pic = pic.filter(ImageFilter.GaussianBlur(max(1, w / 120)))
    a = np.asarray(pic).astype(np.int16)
    a = a + np.random.default_rng(rng.randint(0, 2**31)).normal(0, 12, a.shape).astype(np.int16)
    img.paste(Image.fromarray(np.clip(a, 0, 255).astype(np.uint8)), (x0, y0))


def draw_table(d, x0, y0, right, fonts, first_header, cols, rows, first_on_top=True):
    """The table as the vendors print it: region labels left-aligned, numbers right-aligned in
    columns spread over the width, headers centred over their column (the first column's header
    on the top or the unit line); sub-rows of a section indented. Returns the table's bottom."""
    used = [c for c in cols if any(c[0] in r["cells"] for r in rows)]
    size = fonts.regular.size
    label_w = max([fonts.bold.getlength(r["label"]) + (size if not r["section"] and any(
        q["section"] for q in rows) else 0) for r in rows] + [fonts.bold.getlength(first_header)]) + size
    widths = [max(fonts.bold.getlength(h1), fonts.bold.getlength(h2),
                  max((fonts.bold.getlength(r["cells"].get(m, "")) for r in rows), default=0)) for m, h1, h2 in used]
    pad = max(size * 0.6, min(size * 3, (right - x0 - label_w - sum(widths)) / max(1, len(used))))
    pitch = round(size * 1.45)
    d.text((x0, y0 if first_on_top else y0 + pitch), first_header, font=fonts.bold, fill=0)
    x = x0 + label_w
    col_right = {}
    for (m, h1, h2), w in zip(used, widths):
        x += w + pad
        col_right[m] = x
        c = x - w / 2
        d.text((c, y0), h1, font=fonts.bold, fill=0, anchor="mt")
        if h2:
            d.text((c, y0 + pitch), h2, font=fonts.bold, fill=0, anchor="mt")
    y = y0 + pitch * 2.2
    d.line([x0, y - pitch * 0.25, x, y - pitch * 0.25], fill=0, width=max(1, size // 12))
    sections = any(r["section"] for r in rows)
    for r in rows:
        font = fonts.bold if r["bold"] else fonts.regular
        indent = size if sections and not r["section"] else 0
        d.text((x0 + indent, y), r["label"], font=font, fill=0)
        for m, text in r["cells"].items():
            d.text((col_right[m], y), text, font=font, fill=0, anchor="ra")
        y += pitch
    return y, x


def date_text(style, exam):
    y, m, dd = int(exam[:4]), int(exam[4:6]), int(exam[6:8])
    return {"month_name": f"{MONTHS[m - 1]} {dd:02d}, {y}", "us": f"{m}/{dd}/{y}",
            "dmy_dash": f"{dd:02d}-{MONTHS[m - 1][:3]}-{y}"}[style]


def draw_page(rng, dpi, page, fonts):
    W, H = round(8.5 * dpi), round(11 * dpi)
    img = Image.new("L", (W, H), 255)
    d = ImageDraw.Draw(img)
    m = dpi * 0.4
    lh = fonts.regular.size * 1.35
    d.text((m, m), page["device_title"] + "   " + page["title"], font=fonts.title, fill=0)
    info = [f"Name: {page['name']}", f"Patient ID: {page['patient_id']}", f"DOB: {page['dob']}",
            f"Sex: {page['sex_text']}", f"Height: {page['height']:.1f} cm", f"Weight: {page['weight']:.1f} kg",
            "Ethnicity: White", f"Age: {page['age']}", f"Referring Physician: {page['physician']}"]
    if page["date_label"]:
        info.append(f"{page['date_label']} {page['date_text']}")
    info.append(f"Scan Type: {page['protocol']}")
    y = m + fonts.title.size * 1.8
    for i, t in enumerate(info):
        d.text((m + (i % 3) * dpi * 2.6, y + (i // 3) * lh), t, font=fonts.regular, fill=0)
    if not page["date_label"]:  # GE iDXA style: the date alone, beside the title
        d.text((W - m, m), page["date_text"] + " 10:15:32 AM", font=fonts.regular, fill=0, anchor="ra")
    top = y + 4 * lh + dpi * 0.1
    d.line([m, top, W - m, top], fill=0, width=max(1, dpi // 75))
    # picture on the left, reference chart top right, table right beside the picture
    pic_w = W * rng.uniform(0.30, 0.36)
    chart = [W * 0.5, top + dpi * 0.3, W - m - dpi * 0.2, top + dpi * 0.3 + H * 0.18]
    if page["chart"]:
        draw_chart(d, chart, fonts, rng, 0.5, 1.4)
    ty = chart[3] + dpi * 0.55
    pic = [m, top + dpi * 0.2, m + pic_w, ty + H * 0.3]
    bone_picture(img, pic, rng, page["site"])
    tx = pic[2] + dpi * rng.uniform(0.08, 0.2)
    if page["tall_box"]:  # a tall box (a legend bar) between the picture and the table
        bx = tx
        d.rectangle([bx, ty - dpi * 0.3, bx + dpi * 0.12, ty + H * 0.25], outline=0, width=max(1, dpi // 90))
        tx = bx + dpi * rng.uniform(0.12, 0.2)
    d.text((tx, ty - fonts.regular.size * 2), page["table_title"], font=fonts.bold, fill=0)
    end_y, _ = draw_table(d, tx, ty, W - m, fonts, page["first_header"], page["cols"], page["rows"],
                          page["first_on_top"])
    if page.get("trend"):  # earlier exams under the results: not results
        y = end_y + dpi * 0.3
        d.text((tx, y), "Trend: " + page["rows"][-1]["label"], font=fonts.bold, fill=0)
        trend_rows = [V.row(f"{rng.randint(1, 12)}/{rng.randint(1, 28)}/{r['label']}", r["cells"])
                      for r in V.trend(rng, page["year"])]
        draw_table(d, tx, y + lh * 1.2, W - m, fonts, "Scan Date", NOTHING["trend_table"][4], trend_rows)
    fy = H - m - lh * 3
    d.line([m, fy - 4, W - m, fy - 4], fill=0)
    d.text((m, fy), page["reference_text"], font=fonts.small, fill=0)
    d.text((m, fy + lh), f"Device: {page['model']}  S/N {page['serial']}", font=fonts.small, fill=0)
    d.text((m, fy + 2 * lh), "WHO classification applies to postmenopausal women and men aged 50+.",
           font=fonts.small, fill=0)
    return img


def finish(img, rng, page):
    """Rotation (half the pages), mild noise, JPEG round trip: the parameters go into the truth."""
    angle = rng.choice([0.0, rng.uniform(0.5, 1.0) * rng.choice([-1, 1])])
    if angle:
        img = img.rotate(angle, resample=Image.BICUBIC, fillcolor=255)
    sigma = rng.uniform(2, 6)
    a = np.asarray(img).astype(np.float32)
    a += np.random.default_rng(rng.randint(0, 2**31)).normal(0, sigma, a.shape).astype(np.float32)
    img = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))
    quality = rng.randint(60, 90)
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality)
    page.update(rotation=round(angle, 2), noise_sigma=round(sigma, 1), jpeg_quality=quality)
    return Image.open(io.BytesIO(buf.getvalue())).convert("L")


def page_content(seed, layout, index):
    """Everything on one page but its resolution: the same at every tier."""
    rng = random.Random(f"ladder|{seed}|{layout}|{index}")
    nothing = layout in NOTHING
    year = 2016 + rng.randint(0, 9)
    exam = f"{year}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    sex = rng.choice(["F", "F", "M"])
    age = rng.randint(45, 85)
    page = {"layout": layout, "expect_values": not nothing, "exam_date": exam, "year": year, "sex": sex,
            "sex_text": {"F": "Female", "M": "Male"}[sex], "age": age, "dob": f"{rng.randint(1, 12)}/"
            f"{rng.randint(1, 28)}/{year - age}", "dob_dicom": f"{year - age}0615",
            "name": f"{rng.choice(['MEYER', 'KIM', 'PARK', 'LEE', 'WAGNER'])}^{rng.choice(['ANNA', 'EVA', 'JOHN'])}",
            "height": rng.uniform(150, 185), "weight": rng.uniform(48, 95),
            "physician": rng.choice(["Dr. A Smith", "Dr. B Jones", ""]), "serial": str(rng.randint(100000, 999999)),
            "tall_box": rng.random() < 0.5, "chart": rng.random() < 0.8, "first_on_top": rng.random() < 0.7}
    if nothing:
        vendor, protocol, title, first, cols, rows_fn = NOTHING[layout]
        site = "spine" if "Spine" in protocol else "total_body"
        if rows_fn is None:  # another vendor's results: drawn consistent, yet must not be read as ok
            rows = V.hologic_spine(rng, V.Scorer("hologic", rng.uniform(0.2, 1.5)), ("area", "bmc", "bmd", "t_score", "z_score"))
        else:
            rows = rows_fn(rng, year)
        if layout == "trend_table":
            rows = [V.row(f"{rng.randint(1, 12)}/{rng.randint(1, 28)}/{r['label']}", r["cells"]) for r in rows]
        table_title = title
    else:
        vendor, site, protocol, first, cols, rows_fn, metrics_fn = LAYOUTS[layout]
        rows = rows_fn(rng, V.Scorer(vendor, rng.uniform(0.2, 1.5)), metrics_fn(rng))
        title = DEVICES[vendor][3]
        table_title = "Results Summary:" if vendor == "hologic" else protocol + " Bone Density"
        page["trend"] = layout in ("hologic_spine", "lunar17_dual_femur") and rng.random() < 0.5
    manufacturer, model, device_title, _ = DEVICES[vendor]
    if layout == "idxa_total_body":
        date_style, label = "us", None
    elif vendor == "hologic":
        date_style, label = "month_name", "Scan Date:"
    elif vendor == "norland":
        date_style, label = "dmy_dash", "Date:"
    else:
        date_style, label = rng.choice([("us", "Measured:"), ("month_name", "Scan Date:")])
    page.update(vendor=vendor, site=site, protocol=protocol, title=title, table_title=table_title,
                first_header=first, cols=cols, rows=rows, manufacturer=manufacturer, model=model,
                device_title=device_title, date_style=date_style, date_label=label,
                date_text=date_text(date_style, exam),
                reference_text="Reference curve and scores matched to White " + page["sex_text"],
                font=rng.choice(list(FONTS)) if vendor != "hologic" else rng.choice(["liberation"] * 3 + ["dejavu_condensed"]),
                font_pt=rng.choice([7.5, 8, 8, 8.5]), rng_state=rng.getstate())
    return page


def generate(args):
    tiers = [int(t) for t in args.dpis.split(",")]
    names = args.layouts.split(",") if args.layouts else list(LAYOUTS) + list(NOTHING)
    uids = Uids(f"ladder{args.seed}")
    truth = {"generator": "make_dexa_pages.py --ladder", "seed": args.seed, "tiers": tiers, "pages": []}
    n = 0
    for t, dpi in enumerate(tiers):
        for layout in names:
            for i in range(args.per_layout):
                n += 1
                page = page_content(args.seed, layout, i)
                rng = random.Random()
                rng.setstate(page.pop("rng_state"))  # same drawing choices at every tier
                page["patient_id"] = f"LD{args.seed % 100:02d}{t}{n:04d}"
                fonts = Fonts(page["font"], dpi, page["font_pt"])
                img = finish(draw_page(rng, dpi, page, fonts), rng, page)
                rel = f"ladder/{dpi}/{layout}/{i}.dcm"
                sop = write_dicom(os.path.join(args.out, rel), img, page, uids, (dpi, layout, i))
                values = [{"region": r["region"], "label": r["label"], "aliases": r.get("aliases", []), "metric": k,
                           "value": v, "bold": r["bold"], "tier": dpi, "layout": layout, "file": rel}
                          for r in page["rows"] for k, v in r["cells"].items()]
                truth["pages"].append({
                    "file": rel, "sop_instance_uid": sop, "tier": dpi, "layout": layout, "vendor": page["vendor"],
                    "site": page["site"], "expect_values": page["expect_values"], "patient_id": page["patient_id"],
                    "exam_date": page["exam_date"], "size": list(img.size), "font": page["font"],
                    "font_pt": page["font_pt"], "rotation": page["rotation"], "noise_sigma": page["noise_sigma"],
                    "jpeg_quality": page["jpeg_quality"], "date_text": page["date_text"],
                    "date_label": page["date_label"], "values": values})
    os.makedirs(os.path.dirname(os.path.abspath(args.truth)), exist_ok=True)
    with open(args.truth, "w") as fh:
        json.dump(truth, fh, indent=1)
    nv = sum(len(p["values"]) for p in truth["pages"] if p["expect_values"])
    print(f"{len(truth['pages'])} ladder pages, {nv} values to read -> {args.out}")
