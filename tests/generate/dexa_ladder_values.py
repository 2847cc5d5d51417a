r"""Values and table layouts of the realism ladder (dexa_ladder.py): one function per layout returns
the table rows a vendor of that kind prints, internally consistent as real pages are:

- BMD = BMC / Area from the printed (rounded) BMC and Area; totals have Area and BMC = the sum of
  their parts, so their BMD lies within the parts';
- T = (BMD - mu) / sigma with a young-adult reference (mu, sigma) per vendor and region, Z = T +
  an age offset of the page, YA % = 100 BMD / mu, AM % = 100 BMD / (mu - offset sigma);
- dual hip: Mean = (Left + Right) / 2, |Diff.| = |Left - Right| (BMD and the printed T/Z).

The reference numbers are of the right size for each site, not any vendor's published tables:
they only have to make the page agree with itself. No vendor page was copied.

A row is {"region": canonical name, "label": printed label, "cells": {metric: printed text},
"bold": bool, "section": bool} and optionally "aliases": other names a reader may rightly give it. A section row (Hologic dual hip "Neck", "Total") has no cells.
"""

# Young-adult reference (mu, sigma) of BMD per vendor and region.
REF = {
    "hologic": {"L1": (0.921, 0.110), "L2": (1.033, 0.110), "L3": (1.077, 0.110), "L4": (1.094, 0.110),
                "L1-L4": (1.047, 0.110), "Neck": (0.858, 0.120), "Troch": (0.708, 0.084),
                "Inter": (1.182, 0.147), "Total": (0.942, 0.122), "Ward's": (0.692, 0.126),
                "UD": (0.466, 0.056), "MID": (0.652, 0.055), "1/3": (0.703, 0.058),
                "Forearm Total": (0.600, 0.052), "Body Total": (1.116, 0.088)},
    "lunar": {"L1": (1.110, 0.120), "L2": (1.170, 0.120), "L3": (1.210, 0.120), "L4": (1.200, 0.120),
              "L1-L2": (1.140, 0.120), "L1-L3": (1.165, 0.120), "L1-L4": (1.180, 0.120),
              "L2-L3": (1.190, 0.120), "L2-L4": (1.200, 0.120), "L3-L4": (1.205, 0.120),
              "Neck": (0.980, 0.120), "Wards": (0.910, 0.140), "Troch": (0.820, 0.110),
              "Shaft": (1.200, 0.150), "Total": (1.000, 0.120), "Body Total": (1.200, 0.090)},
}


def fmt(v, places):
    s = f"{v:.{places}f}"
    return s[1:] if s.startswith("-") and float(s) == 0 else s


class Scorer:
    """T/Z/YA%/AM% of a BMD for one page: the vendor's reference and the page's age offset."""

    def __init__(self, vendor, offset):
        self.ref, self.offset = REF[vendor], offset

    def cells(self, ref_name, bmd_text, metrics):
        mu, sd = self.ref[ref_name]
        bmd = float(bmd_text)
        t = (bmd - mu) / sd
        out = {"bmd": bmd_text}
        if "t_score" in metrics:
            out["t_score"] = fmt(t, 1)
        if "z_score" in metrics:
            out["z_score"] = fmt(t + self.offset, 1)
        if "ya_pct" in metrics:
            out["ya_pct"] = str(round(100 * bmd / mu))
        if "am_pct" in metrics:
            out["am_pct"] = str(round(100 * bmd / (mu - self.offset * sd)))
        return out


def row(region, cells, label=None, bold=False, section=False):
    return {"region": region, "label": label or region, "cells": cells, "bold": bold, "section": section}


def measured(rng, area_range, bmd_range):
    """Area and BMC as printed, and the BMD they give."""
    area = round(rng.uniform(*area_range), 2)
    bmc = round(rng.uniform(*bmd_range) * area, 2)
    return area, bmc


def physical_rows(rng, sc, parts, total, metrics, score_rows=None):
    """Rows with Area/BMC/BMD: parts [(region, label, ref, area_range, bmd_range)], then totals
    [(region, label, ref, indices of parts)] whose Area and BMC are sums of those parts."""
    measured_parts = [measured(rng, a, b) for _, _, _, a, b in parts]
    out = []
    entries = [(r, l, ref, m) for (r, l, ref, _, _), m in zip(parts, measured_parts)]
    for r, l, ref, idx in total:
        entries.append((r, l, ref, (round(sum(measured_parts[i][0] for i in idx), 2),
                                    round(sum(measured_parts[i][1] for i in idx), 2))))
    for r, l, ref, (area, bmc) in entries:
        bmd = fmt(bmc / area, 3)
        scored = metrics if score_rows is None or r in score_rows else ()
        cells = {"area": fmt(area, 2), "bmc": fmt(bmc, 2)}
        cells.update(sc.cells(ref, bmd, scored) if ref else {"bmd": bmd})
        out.append(row(r, {k: v for k, v in cells.items() if k in metrics or k == "bmd"}, l,
                       bold=r in ("L1-L4", "Total", "Forearm Total", "Body Total")))
    return out


def hologic_spine(rng, sc, metrics):
    parts = [(n, n, n, (12.0 + 1.2 * i, 16.5 + 1.5 * i), (0.65 + 0.03 * i, 1.20 + 0.03 * i))
             for i, n in enumerate(["L1", "L2", "L3", "L4"])]
    total_label = rng.choice(["Total", "L1-L4"])  # APEX prints "Total"; others "L1-L4"
    rows = physical_rows(rng, sc, parts, [("L1-L4", total_label, "L1-L4", [0, 1, 2, 3])], metrics)
    rows[-1]["bold"] = True
    if total_label == "Total":  # printed "Total": a reader may name it so or L1-L4
        rows[-1]["aliases"] = ["Total"]
    return rows


def hologic_hip(rng, sc, metrics):
    parts = [("Neck", "Neck", "Neck", (4.6, 5.6), (0.55, 1.0)),
             ("Troch", "Troch", "Troch", (10.5, 14.0), (0.50, 0.90)),
             ("Inter", "Inter", "Inter", (17.0, 22.0), (0.80, 1.30)),
             ("Ward's", "Ward's", "Ward's", (1.0, 1.3), (0.40, 0.90))]
    rows = physical_rows(rng, sc, parts, [("Total", "Total", "Total", [0, 1, 2])], metrics)
    return rows[:3] + [rows[4], rows[3]]  # Neck, Troch, Inter, Total, Ward's


def hologic_forearm(rng, sc, metrics):
    parts = [("UD", "UD", "UD", (3.8, 5.2), (0.32, 0.52)),
             ("MID", "MID", "MID", (8.5, 11.5), (0.50, 0.75)),
             ("1/3", "1/3", "1/3", (2.8, 3.8), (0.55, 0.82))]
    rows = physical_rows(rng, sc, parts, [("Total", "Total", "Forearm Total", [0, 1, 2])], metrics)
    rows[-1]["bold"] = True
    return rows


def hologic_wholebody(rng, sc, metrics):
    parts = [("L Arm", "L Arm", None, (170, 215), (0.66, 0.86)), ("R Arm", "R Arm", None, (175, 220), (0.68, 0.88)),
             ("L Ribs", "L Ribs", None, (115, 150), (0.56, 0.74)), ("R Ribs", "R Ribs", None, (115, 150), (0.56, 0.74)),
             ("T Spine", "T Spine", None, (105, 135), (0.74, 0.96)), ("L Spine", "L Spine", None, (48, 64), (0.86, 1.14)),
             ("Pelvis", "Pelvis", None, (200, 260), (0.98, 1.28)), ("L Leg", "L Leg", None, (330, 400), (1.00, 1.28)),
             ("R Leg", "R Leg", None, (335, 405), (1.00, 1.30)), ("Head", "Head", None, (210, 250), (1.80, 2.30))]
    total = [("Subtotal", "Subtotal", None, list(range(9))), ("Total", "Total", "Body Total", list(range(10)))]
    rows = physical_rows(rng, sc, parts, total, metrics, score_rows={"Total"})
    return rows[:9] + [rows[10], rows[9], rows[11]]  # ... R Leg, Subtotal, Head, Total


def weighted_bmd_rows(rng, sc, parts, combos, metrics):
    """GE pages print BMD without BMC/Area: hidden areas make combinations weighted means."""
    hidden = [(rng.uniform(*a), rng.uniform(*b)) for _, a, b in parts]
    out = []
    for region, idx in [(p[0], [i]) for i, p in enumerate(parts)] + combos:
        area = sum(hidden[i][0] for i in idx)
        bmd = fmt(sum(hidden[i][0] * hidden[i][1] for i in idx) / area, 3)
        out.append(row(region, sc.cells(region, bmd, metrics), bold=region in ("L1-L4", "Total")))
    return out


def lunar_spine(rng, sc, metrics):
    parts = [(n, (11.0 + i, 16.0 + i), (0.75 + 0.03 * i, 1.30 + 0.03 * i))
             for i, n in enumerate(["L1", "L2", "L3", "L4"])]
    combos = [("L1-L2", [0, 1]), ("L1-L3", [0, 1, 2]), ("L1-L4", [0, 1, 2, 3]), ("L2-L3", [1, 2]),
              ("L2-L4", [1, 2, 3]), ("L3-L4", [2, 3])]
    chosen = sorted({2, 4, rng.choice([0, 1, 3, 5])})  # L1-L4 and L2-L4 always, one more
    return weighted_bmd_rows(rng, sc, parts, [combos[i] for i in chosen], metrics)


def lunar_femur(rng, sc, metrics):
    parts = [("Neck", (4.5, 5.5), (0.62, 1.05)), ("Wards", (1.0, 1.3), (0.50, 0.95)),
             ("Troch", (10.0, 13.0), (0.55, 0.92)), ("Shaft", (12.0, 15.0), (0.85, 1.35))]
    rows = weighted_bmd_rows(rng, sc, parts, [("Total", [0, 2, 3])], metrics)
    return rows


def dual_hip(rng, sc, metrics, diff_label, sections):
    """Neck/Total x Left, Right, Mean, Diff. With sections, Hologic style: a bold section row
    ("Neck") then indented sub-rows ("Left" ...); otherwise GE style rows "Neck Left" ..."""
    out = []
    for name, (lo, hi) in [("Neck", (0.60, 1.05)), ("Total", (0.70, 1.15))]:
        left = rng.uniform(lo, hi)
        right = left + rng.uniform(-0.07, 0.07)
        if sections:
            out.append(row(name, {}, bold=True, section=True))
        sides = {}
        for side, v in [("Left", left), ("Right", right), ("Mean", None)]:
            bmd = fmt(v, 3) if v is not None else fmt((float(sides["Left"]["bmd"]) + float(sides["Right"]["bmd"])) / 2, 3)
            sides[side] = sc.cells(name, bmd, metrics)
            out.append(row(f"{name} {side}", sides[side], side if sections else f"{name} {side}",
                           bold=side == "Mean" and name == "Total"))
        diff = {"bmd": fmt(abs(float(sides["Left"]["bmd"]) - float(sides["Right"]["bmd"])), 3)}
        for m in ("t_score", "z_score"):
            if m in metrics:
                diff[m] = fmt(abs(float(sides["Left"][m]) - float(sides["Right"][m])), 1)
        out.append(row(f"{name} Diff.", diff, diff_label if sections else f"{name} {diff_label}"))
    return out


def lunar_total_body(rng, sc, metrics):
    names = [("Head", (1.85, 2.40)), ("Arms", (0.72, 0.98)), ("Legs", (1.02, 1.36)), ("Trunk", (0.80, 1.05)),
             ("Ribs", (0.62, 0.84)), ("Pelvis", (0.95, 1.25)), ("Spine", (0.92, 1.22)), ("Total", (1.00, 1.30))]
    out = []
    for name, r in names:
        bmd = fmt(rng.uniform(*r), 3)
        cells = sc.cells("Body Total", bmd, metrics) if name == "Total" else {"bmd": bmd}
        out.append(row(name, cells, bold=name == "Total"))
    return out


# --- pages that must give no values --------------------------------------------------------------

def body_composition(rng):
    rows = []
    for name in ["L Arm", "R Arm", "Trunk", "L Leg", "R Leg", "Subtotal", "Head", "Total"]:
        fat, lean = rng.uniform(800, 12000), rng.uniform(2000, 25000)
        rows.append(row(name, {"fat": fmt(fat, 1), "lean": fmt(lean, 1), "mass": fmt(fat + lean, 1),
                               "pct_fat": fmt(100 * fat / (fat + lean), 1)}, bold=name == "Total"))
    return rows


def ancillary(rng):
    rows = []
    for name in ["L1", "L2", "L3", "L4", "L1-L4"]:
        rows.append(row(name, {"bmc": fmt(rng.uniform(9, 22), 2), "area": fmt(rng.uniform(12, 18), 2),
                               "width": fmt(rng.uniform(3.8, 5.4), 1), "height": fmt(rng.uniform(2.4, 3.4), 1)},
                        bold=name == "L1-L4"))
    return rows


def trend(rng, year):
    rows, bmd = [], rng.uniform(0.8, 1.1)
    base = bmd
    for k in range(4):
        prev, bmd = bmd, bmd * (1 + rng.uniform(-0.03, 0.01))
        rows.append(row(f"{year - 2 * (3 - k)}", {"age": fmt(60 + 2 * k + rng.uniform(0, 1), 1), "bmd": fmt(bmd, 3),
                                                   "base": fmt(100 * (bmd / base - 1), 1),
                                                   "prev": fmt(100 * (bmd / prev - 1), 1)}))
    return rows
