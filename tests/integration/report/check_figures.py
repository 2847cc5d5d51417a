#!/usr/bin/python3
"""dicometl report: every figure of `--format json` equals what this script computes itself, with
plain SQL through Python's sqlite3 and from the generator's manifest (never from our code).

Two catalogs: `clean` (a generated archive: compared with the manifest too) and `full` (clean plus
bad inputs, a file with HTML in its text fields, fake OMOP and DXA tables). Leaves
WORK/report.html for the browser test and WORK/report-full.html.
"""
import argparse
import collections
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import warnings

from pydicom import dcmread

warnings.filterwarnings("ignore", module="pydicom")  # the hostile values are invalid CS on purpose

HOSTILE_MANUFACTURER = '<script>alert("x")</script><img src="http://127.0.0.1:9/x.png">'
HOSTILE_MODEL = "</svg><b onmouseover=alert(1)>M&M's"
HOSTILE_BODY = "CHEST\"'<i>"
FAILURES = []


def check(what, got, want):
    if got != want:
        FAILURES.append(what)
        print(f"FAIL {what}\n  got:  {got!r}\n  want: {want!r}")
    else:
        print(f"ok   {what}")


def run(cmd, ok=(0,)):
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode not in ok:
        sys.exit(f"{cmd} exited {p.returncode}\n{p.stdout}\n{p.stderr}")
    return p


def report_json(dicometl, db, html_out, *extra):
    run([dicometl, "report", "--db", "sqlite:" + db, "--out", html_out, "-q", *extra])
    return json.loads(run([dicometl, "report", "--db", "sqlite:" + db, "--format", "json", *extra]).stdout)


# --- Expected values, computed here -------------------------------------------------------------

def age_of(patient_age, study_date, birth_date):
    """(age in years, source) the way docs/report.md defines it; source 0 = unknown."""
    if patient_age and re.fullmatch(r"[0-9]{3}[DWMY]", patient_age):
        n = int(patient_age[:3])
        return {"Y": n, "M": n // 12, "W": n // 52, "D": n // 365}[patient_age[3]], 1
    if (study_date and birth_date and re.fullmatch(r"[0-9]{8}", study_date)
            and re.fullmatch(r"[0-9]{8}", birth_date) and study_date >= birth_date):
        return int(study_date[:4]) - int(birth_date[:4]) - (study_date[4:] < birth_date[4:]), 2
    return None, 0


def decades(ages):
    out = collections.Counter()
    for a in ages:
        out["90+" if a >= 90 else f"{a // 10 * 10}-{a // 10 * 10 + 9}"] += 1
    return out


def expected_from_sql(db):
    c = sqlite3.connect(db)
    one = lambda q: c.execute(q).fetchone()[0]
    e = {}
    e["totals"] = {
        "patients": one("SELECT count(*) FROM patient"), "studies": one("SELECT count(*) FROM study"),
        "series": one("SELECT count(*) FROM series"), "instances": one("SELECT count(*) FROM instance"),
        "bytes": one("SELECT total(file_size) FROM instance"),
        "rejected_files": one("SELECT count(*) FROM ingest_error"),
        "duplicate_files": one("SELECT count(*) FROM file WHERE status = 'duplicate'")}
    per_study = collections.Counter(r[0] for r in c.execute(
        "SELECT se.study_instance_uid FROM instance i JOIN series se USING (series_instance_uid)"))
    e["sizes"] = dict(collections.Counter(per_study.values()))
    e["mean"] = sum(per_study.values()) / len(per_study)
    e["thickness"] = dict(collections.Counter(round(r[0], 3) for r in c.execute(
        "SELECT slice_thickness FROM instance WHERE slice_thickness IS NOT NULL")))
    e["thickness_missing"] = one("SELECT count(*) FROM instance WHERE slice_thickness IS NULL")
    e["sex"] = dict(c.execute("SELECT patient_sex, count(*) FROM patient WHERE patient_sex <> '' "
                              "GROUP BY patient_sex").fetchall())
    ages = [age_of(*r) for r in c.execute(
        "SELECT s.patient_age, s.study_date, p.patient_birth_date FROM study s "
        "LEFT JOIN patient p USING (patient_id)")]
    e["age"] = decades(a for a, src in ages if src)
    e["age_sources"] = collections.Counter(src for _, src in ages)
    e["mod_body"] = {(m or "", b or ""): n for m, b, n in c.execute(
        "SELECT modality, body_part_examined, count(*) FROM series GROUP BY 1, 2")}
    per_series = collections.Counter(r[0] for r in c.execute("SELECT series_instance_uid FROM instance"))
    mods = collections.defaultdict(lambda: [set(), 0, 0])
    for uid, study, mod in c.execute("SELECT series_instance_uid, study_instance_uid, modality FROM series"):
        m = mods[mod or ""]
        m[0].add(study)
        m[1] += 1
        m[2] += per_series[uid]
    e["modalities"] = {k: (len(v[0]), v[1], v[2]) for k, v in mods.items()}
    e["months"] = dict(collections.Counter(d[:4] + "-" + d[4:6] for (d,) in c.execute(
        "SELECT study_date FROM study") if d and re.fullmatch(r"[0-9]{8}", d)))
    inst = collections.Counter(r[0] for r in c.execute("SELECT series_instance_uid FROM instance"))
    eq = collections.defaultdict(lambda: [0, 0])
    for uid, man, mod in c.execute("SELECT series_instance_uid, manufacturer, "
                                   "manufacturer_model_name FROM series"):
        eq[(man or "", mod or "")][0] += 1
        eq[(man or "", mod or "")][1] += inst[uid]
    e["equipment"] = {k: tuple(v) for k, v in eq.items()}
    e["syntaxes"] = dict(c.execute("SELECT transfer_syntax_uid, count(*) FROM instance GROUP BY 1"))
    e["errors_by_kind"] = dict(c.execute("SELECT kind, count(*) FROM ingest_error GROUP BY kind"))
    e["errors_by_reason"] = {(k, r): n for k, r, n in c.execute(
        "SELECT kind, reason, count(*) FROM ingest_error GROUP BY 1, 2")}
    e["conflicts"] = {(k, a): (n, keys) for k, a, n, keys in c.execute(
        "SELECT kind, attribute, count(*), count(DISTINCT key_value) FROM conflict GROUP BY 1, 2")}
    e["error_paths"] = {(k, r): set() for k, r in e["errors_by_reason"]}
    for k, r, p in c.execute("SELECT kind, reason, path FROM ingest_error"):
        e["error_paths"][(k, r)].add(p)
    return e


def expected_from_manifest(m):
    inst = m["instances"]
    e = {"patients": len({i["patient_id"] for i in inst}), "studies": len({i["study_instance_uid"] for i in inst}),
         "series": len({i["series_instance_uid"] for i in inst}), "instances": len(inst),
         "bytes": sum(i["file_size"] for i in inst)}
    e["sex"] = dict(collections.Counter({i["patient_id"]: i["patient_sex"] for i in inst}.values()))
    e["syntaxes"] = dict(collections.Counter(i["transfer_syntax_uid"] for i in inst))
    e["thickness"] = dict(collections.Counter(round(float(i["slice_thickness"]), 3)
                                              for i in inst if i["slice_thickness"] is not None))
    series = {i["series_instance_uid"]: i for i in inst}
    e["mod_body"] = dict(collections.Counter((s["modality"] or "", s["body_part_examined"] or "")
                                             for s in series.values()))
    studies = {i["study_instance_uid"]: i for i in inst}
    e["months"] = dict(collections.Counter(s["study_date"][:4] + "-" + s["study_date"][4:6]
                                           for s in studies.values()))
    e["age"] = decades(a for a, src in (age_of(s["patient_age"], s["study_date"], s["patient_birth_date"])
                                        for s in studies.values()) if src)
    e["sizes"] = dict(collections.Counter(collections.Counter(i["study_instance_uid"] for i in inst).values()))
    per_series = collections.Counter(i["series_instance_uid"] for i in inst)
    eq = collections.defaultdict(lambda: [0, 0])
    for uid, s in series.items():
        eq[(s["manufacturer"] or "", s["manufacturer_model_name"] or "")][0] += 1
        eq[(s["manufacturer"] or "", s["manufacturer_model_name"] or "")][1] += per_series[uid]
    e["equipment"] = {k: tuple(v) for k, v in eq.items()}
    e["rejected"] = len(m["non_dicom"])
    return e


# --- What the report says, in the same shapes ----------------------------------------------------

def got_shapes(j):
    g = {}
    g["sizes"] = {r["instances"]: r["studies"] for r in j["instances_per_study"]["studies_by_size"]}
    g["thickness"] = {round(v["mm"], 3): v["instances"] for v in j["slice_thickness"]["values"]}
    g["sex"] = {r["sex"]: r["patients"] for r in j["sex"]["rows"]}
    g["age"] = collections.Counter({r["age"]: r["studies"] for r in j["age_at_study"]["decades"] if r["studies"]})
    g["mod_body"] = {(r["modality"], r["body_part"]): r["series"] for r in j["modality_body_part"]}
    g["modalities"] = {r["modality"]: (r["studies"], r["series"], r["instances"]) for r in j["modalities"]}
    g["months"] = {r["month"]: r["studies"] for r in j["studies_per_month"]["months"]}
    g["equipment"] = {(r["manufacturer"], r["model"]): (r["series"], r["instances"]) for r in j["equipment"]["rows"]}
    g["syntaxes"] = {r["uid"]: r["instances"] for r in j["transfer_syntaxes"]}
    return g


def compare_with_sql(tag, j, e):
    g = got_shapes(j)
    for k, v in e["totals"].items():
        check(f"{tag}: totals.{k} = SQL", j["totals"][k], v)
    check(f"{tag}: instances per study = SQL", g["sizes"], e["sizes"])
    check(f"{tag}: conflicts = SQL",
          {(r["kind"], r["attribute"]): (r["files"], r["keys"]) for r in j["conflicts"]["by_attribute"]},
          e["conflicts"])
    check(f"{tag}: mean instances per study = SQL", round(j["instances_per_study"]["mean"], 9), round(e["mean"], 9))
    check(f"{tag}: slice thickness = SQL", g["thickness"], e["thickness"])
    check(f"{tag}: no slice thickness = SQL", j["slice_thickness"]["missing"], e["thickness_missing"])
    check(f"{tag}: sex = SQL", g["sex"], e["sex"])
    check(f"{tag}: age decades = SQL", g["age"], e["age"])
    a = j["age_at_study"]
    check(f"{tag}: age sources = SQL", (a["from_patient_age"], a["from_dates"], a["unknown"]),
          (e["age_sources"][1], e["age_sources"][2], e["age_sources"][0]))
    check(f"{tag}: modality x body part = SQL", g["mod_body"], e["mod_body"])
    check(f"{tag}: studies, series, instances per modality = SQL", g["modalities"], e["modalities"])
    check(f"{tag}: studies per month = SQL", g["months"], e["months"])
    check(f"{tag}: equipment = SQL", g["equipment"], e["equipment"])
    check(f"{tag}: transfer syntaxes = SQL", g["syntaxes"], e["syntaxes"])
    names = {r["uid"]: r["name"] for r in j["transfer_syntaxes"]}
    check(f"{tag}: explicit LE named", names.get("1.2.840.10008.1.2.1"), "Explicit VR Little Endian")
    err = j["ingest_errors"]
    check(f"{tag}: errors total = SQL", err["total"], e["totals"]["rejected_files"])
    check(f"{tag}: errors by kind = SQL", {r["kind"]: r["count"] for r in err["by_kind"]}, e["errors_by_kind"])
    check(f"{tag}: errors by reason = SQL", {(r["kind"], r["reason"]): r["count"] for r in err["by_reason"]},
          e["errors_by_reason"])
    if err["paths_shown"]:
        check(f"{tag}: error examples are paths of that reason",
              all(set(r["examples"]) <= e["error_paths"][(r["kind"], r["reason"])] and 0 < len(r["examples"]) <= 3
                  for r in err["by_reason"]), True)
    else:
        check(f"{tag}: no example paths without --show-paths",
              [r["examples"] for r in err["by_reason"] if "examples" in r], [])


def compare_with_manifest(j, m):
    g, e = got_shapes(j), expected_from_manifest(m)
    for k in ("patients", "studies", "series", "instances", "bytes"):
        check(f"clean: totals.{k} = manifest", j["totals"][k], e[k])
    for k in ("sex", "syntaxes", "thickness", "mod_body", "months", "age", "sizes", "equipment"):
        check(f"clean: {k} = manifest", g[k], e[k])
    check("clean: rejected files = manifest non_dicom", j["ingest_errors"]["total"], e["rejected"])
    check("clean: no OMOP section without OMOP tables", j["omop"], None)
    check("clean: no DXA section without dexa_value", j["dexa"], None)


# --- The full catalog: bad inputs, hostile text, OMOP and DXA tables ---------------------------------

def write_hostile(src, out_dir):
    """A copy of a generated file in a new study and series, with markup in its text fields and no
    PatientAge (so its age comes from the dates)."""
    ds = dcmread(src)
    ds.Manufacturer = HOSTILE_MANUFACTURER
    ds.ManufacturerModelName = HOSTILE_MODEL
    ds.BodyPartExamined = HOSTILE_BODY
    for kw in ("StudyInstanceUID", "SeriesInstanceUID", "SOPInstanceUID"):
        setattr(ds, kw, getattr(ds, kw) + ".9")
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    if "PatientAge" in ds:
        del ds.PatientAge
    os.makedirs(out_dir, exist_ok=True)
    ds.save_as(os.path.join(out_dir, "hostile.dcm"), write_like_original=False)


def add_omop_and_dexa(db):
    """OMOP-shaped tables (columns from the CDM v5.4 / MI-CDM DDL, a subset) filled from the
    catalog with some unmapped concepts and one unmatched patient, and a dexa_value table."""
    c = sqlite3.connect(db)
    c.executescript("""
      CREATE TABLE person (person_id INTEGER PRIMARY KEY, gender_concept_id INTEGER NOT NULL,
        year_of_birth INTEGER NOT NULL, race_concept_id INTEGER NOT NULL,
        ethnicity_concept_id INTEGER NOT NULL, person_source_value TEXT);
      CREATE TABLE procedure_occurrence (procedure_occurrence_id INTEGER PRIMARY KEY,
        person_id INTEGER NOT NULL, procedure_concept_id INTEGER NOT NULL, procedure_date TEXT NOT NULL,
        procedure_type_concept_id INTEGER NOT NULL, procedure_source_value TEXT);
      CREATE TABLE image_occurrence (image_occurrence_id INTEGER PRIMARY KEY, person_id INTEGER NOT NULL,
        procedure_occurrence_id INTEGER NOT NULL, anatomic_site_concept_id INTEGER,
        image_occurrence_date TEXT NOT NULL, image_study_uid TEXT NOT NULL, image_series_uid TEXT NOT NULL,
        modality_concept_id INTEGER NOT NULL);
      CREATE TABLE dexa_value (dexa_value_id INTEGER PRIMARY KEY, sop_instance_uid TEXT, region TEXT,
        measure TEXT, value REAL, qc_flag TEXT);
    """)
    patients = [r[0] for r in c.execute("SELECT patient_id FROM patient ORDER BY patient_id")]
    pid = {p: n + 1 for n, p in enumerate(patients[:-1])}  # the last patient stays unmatched
    for p, n in pid.items():
        c.execute("INSERT INTO person VALUES (?, ?, 1970, 0, 0, ?)", (n, 8507 if n % 2 else 0, f"p{n}"))
    studies = c.execute("SELECT study_instance_uid, patient_id, study_date FROM study "
                        "ORDER BY study_instance_uid").fetchall()
    proc = {}
    for n, (uid, p, d) in enumerate(studies, 1):
        proc[uid] = n
        c.execute("INSERT INTO procedure_occurrence VALUES (?, ?, ?, ?, 32817, 'x')",
                  (n, pid.get(p, 0), 0 if n % 3 == 0 else 4000000 + n, d or "20000101"))
    modality = {"CT": 2128009190, "MR": 2128009230, "CR": 2128009189, "DX": 2128009197}
    site = {"CHEST": 4184181, "BRAIN": 4133034, "HEAD": 4287390, "HIP": 4082516}
    for n, (suid, stuid, mod, body) in enumerate(c.execute(
            "SELECT series_instance_uid, study_instance_uid, modality, body_part_examined FROM series "
            "ORDER BY series_instance_uid").fetchall(), 1):
        p = c.execute("SELECT patient_id FROM study WHERE study_instance_uid = ?", (stuid,)).fetchone()[0]
        c.execute("INSERT INTO image_occurrence VALUES (?, ?, ?, ?, '20200101', ?, ?, ?)",
                  (n, pid.get(p, 0), proc[stuid], site.get(body), stuid, suid, modality.get(mod, 0)))
    regions = ["L1", "L2", "L3", "L4", "L1-L4", "Neck", "Total"]
    flags = ["ok", "ok", "", None, "implausible", "ok", "bmd_mismatch"]
    for n in range(1, 31):
        c.execute("INSERT INTO dexa_value VALUES (?, ?, ?, ?, ?, ?)",
                  (n, f"1.2.3.{n // 7}", regions[n % 7], "BMD" if n % 2 else "T-score", 1.0, flags[n % 7]))
    c.commit()


def compare_omop_dexa(j, db):
    c = sqlite3.connect(db)
    one = lambda q: c.execute(q).fetchone()[0]
    o = j["omop"]
    check("full: OMOP section present", o is not None, True)
    if o is None:
        return
    check("full: OMOP rows per table = SQL", {r["table"]: r["rows"] for r in o["table_rows"]},
          {t: one(f"SELECT count(*) FROM {t}") for t in ("person", "procedure_occurrence", "image_occurrence")})
    check("full: persons referenced = SQL", o["persons_referenced"], one(
        "SELECT count(DISTINCT person_id) FROM (SELECT person_id FROM procedure_occurrence UNION ALL "
        "SELECT person_id FROM image_occurrence) WHERE person_id <> 0"))
    check("full: event rows with person 0 = SQL", o["event_rows_person_zero"], one(
        "SELECT (SELECT count(*) FROM procedure_occurrence WHERE person_id = 0) + "
        "(SELECT count(*) FROM image_occurrence WHERE person_id = 0)"))
    check("full: person rows = SQL", o["person_rows"], one("SELECT count(*) FROM person"))
    want = {}
    for t, col in (("person", "gender_concept_id"), ("procedure_occurrence", "procedure_concept_id"),
                   ("image_occurrence", "modality_concept_id"), ("image_occurrence", "anatomic_site_concept_id")):
        mapped = one(f"SELECT count(*) FROM {t} WHERE {col} IS NOT NULL AND {col} <> 0")
        want[f"{t}.{col}"] = (mapped, one(f"SELECT count(*) FROM {t}") - mapped)
    check("full: concept coverage = SQL",
          {f"{r['table']}.{r['column']}": (r["mapped"], r["unmapped"]) for r in o["concept_coverage"]}, want)
    d = j["dexa"]
    check("full: DXA values = SQL", d["values"], one("SELECT count(*) FROM dexa_value"))
    check("full: DXA flagged = SQL", d["flagged"], one(
        "SELECT count(*) FROM dexa_value WHERE qc_flag IS NOT NULL AND qc_flag NOT IN ('', 'ok', 'OK', '0')"))
    check("full: DXA reports = SQL", d["reports"], one("SELECT count(DISTINCT sop_instance_uid) FROM dexa_value"))
    check("full: DXA by region = SQL", {r["region"]: r["values"] for r in d["by_region"]["rows"]},
          dict(c.execute("SELECT region, count(*) FROM dexa_value GROUP BY region")))


def expected_charts(j):
    """The charts the page must draw, from the JSON figures (already compared with SQL): one per
    section with data, none for an empty one."""
    n = sum([bool(j["instances_per_study"]["studies_by_size"]), bool(j["slice_thickness"]["values"]),
             j["totals"]["patients"] > 0,
             j["age_at_study"]["from_patient_age"] + j["age_at_study"]["from_dates"] > 0,
             bool(j["modalities"]), bool(j["modality_body_part"]), bool(j["studies_per_month"]["months"]),
             bool(j["equipment"]["rows"]), bool(j["transfer_syntaxes"]), j["ingest_errors"]["total"] > 0,
             bool(j["conflicts"]) and j["conflicts"]["total"] > 0])
    if j["omop"]:
        n += 2  # rows per table, concept coverage
    if j["dexa"]:
        n += sum(bool(j["dexa"][k]["rows"]) for k in ("by_region", "by_measure", "by_flag"))
    return n


def check_html(tag, path, db, j, hostile, paths_shown):
    html = open(path, encoding="utf-8").read()
    check(f"{tag} html: no script element", re.search(r"<script", html, re.I) is None, True)
    check(f"{tag} html: no external reference", re.search(r"(src|href)\s*=\s*[\"']?(https?:|//)", html, re.I) is None, True)
    if hostile:
        check_hostile(html)
    want = expected_charts(j)
    check(f"{tag} html: charts drawn", len(re.findall(r"<svg", html)), want)
    check(f"{tag} html: tables (one per chart)", len(re.findall(r"<table", html)), want)
    check(f"{tag} html: no table without rows",
          [t[:80] for t in re.findall(r"<table>.*?</table>", html, re.S) if "<tbody><tr>" not in t], [])
    c = sqlite3.connect(db)
    paths = [p for (p,) in c.execute("SELECT path FROM ingest_error")]
    shown = [p for p in paths if html_escape(p) in html]
    if paths_shown:
        check(f"{tag} html: example paths with --show-paths", len(shown) > 0, True)
    else:
        check(f"{tag} html: no rejected file's path without --show-paths", shown, [])
        check(f"{tag} html: no <code> path column", "<th scope=\"col\">Examples</th>" in html, False)
    check_no_identifiers(html, db)


def html_escape(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;").replace("'", "&#39;")


def check_hostile(html):
    check("html: hostile manufacturer shown escaped",
          "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=&quot;http://127.0.0.1:9/x.png&quot;&gt;" in html, True)
    check("html: hostile model shown escaped", "&lt;/svg&gt;&lt;b onmouseover=alert(1)&gt;M&amp;M&#39;s" in html, True)
    check("html: no raw markup from data", any(s in html for s in ("<img", "<b onmouseover", "<i>")), False)


def check_no_identifiers(html, db):
    # No patient identifier outside file paths (error examples are paths, which is accepted).
    text = re.sub(r"<code>.*?</code>", "", html, flags=re.S)
    c = sqlite3.connect(db)
    leaks = []
    for pid, name, birth in c.execute("SELECT patient_id, patient_name, patient_birth_date FROM patient"):
        for v in (pid, name, birth):
            if v and len(v) > 3 and v in text:
                leaks.append(v)
        for part in re.split(r"[\^=]", name or ""):
            if len(part) > 3 and re.search(r"\b" + re.escape(part) + r"\b", text):
                leaks.append(part)
    for (acc,) in c.execute("SELECT accession_number FROM study"):
        if acc and len(acc) > 3 and acc in text:
            leaks.append(acc)
    check("html: no patient names, IDs, birth dates or accession numbers", leaks, [])


def check_empty(dicometl, work):
    """A catalog with no instance: every section says so in words, with no empty chart (whose
    axis labels would be cut), no table with a bare header, no "smallest 0, largest 0"."""
    os.makedirs(os.path.join(work, "empty-src"))
    db = os.path.join(work, "empty.db")
    run([dicometl, "ingest", os.path.join(work, "empty-src"), "--db", "sqlite:" + db, "-q"])
    j = report_json(dicometl, db, os.path.join(work, "report-empty.html"))
    check("empty: totals are zero", [j["totals"][k] for k in ("patients", "studies", "series", "instances")], [0, 0, 0, 0])
    check("empty: one ingest run", j["totals"]["ingest_runs"], 1)
    html = open(os.path.join(work, "report-empty.html"), encoding="utf-8").read()
    check("empty html: no chart", len(re.findall(r"<svg", html)), 0)
    check("empty html: no table", len(re.findall(r"<table", html)), 0)
    check("empty html: no 'smallest 0, largest 0'", "smallest 0" in html, False)
    check("empty html: '1 ingest run,' (singular)", "1 ingest run," in html and "1 ingest runs" not in html, True)
    for section in ("instances-per-study", "slice-thickness", "sex", "age", "modalities",
                    "modality-body-part", "studies-per-month", "equipment", "transfer-syntaxes"):
        m = re.search(r'<section[^>]*id="%s".*?<p class="lead">(.*?)</p>' % section, html, re.S)
        check(f"empty html: {section} says why it is empty", bool(m and m.group(1).startswith("No")), True)


def check_no_create(dicometl, work):
    """Commands that read a catalog never create one: a typo in --db is an error (exit 3)."""
    typo = os.path.join(work, "typo.db")
    for cmd in (["report", "--db", "sqlite:" + typo, "--out", os.path.join(work, "x.html")],
                ["report", "--db", "sqlite:" + typo, "--format", "json"],
                ["fhir", "sqlite:" + typo, "--out", os.path.join(work, "fhir-x")],
                ["fhir", "--db", "sqlite:" + typo, "--out", os.path.join(work, "fhir-x")],
                ["upload", "--db", "sqlite:" + typo, "--to", "http://127.0.0.1:9/dicom-web"],
                ["omop", "--db", "sqlite:" + typo]):
        p = subprocess.run([dicometl, *cmd], capture_output=True, text=True)
        check(f"{cmd[0]} {cmd[1]}: exit 3 on a missing catalog", p.returncode, 3)
        check(f"{cmd[0]} {cmd[1]}: says the catalog does not exist", "no SQLite database" in p.stderr, True)
        check(f"{cmd[0]} {cmd[1]}: created no database", os.path.exists(typo), False)
        if os.path.exists(typo):
            os.remove(typo)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dicometl", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--generate", required=True, help="tests/generate folder")
    a = ap.parse_args()
    shutil.rmtree(a.work, ignore_errors=True)
    os.makedirs(a.work)
    w = lambda *p: os.path.join(a.work, *p)
    gen = os.path.join(a.generate, "make_archive.py")
    run([sys.executable, gen, "--out", w("archive"), "--patients", "12", "--seed", "17", "--junk",
         "--manifest", w("manifest.json")])
    run([a.dicometl, "ingest", w("archive"), "--db", "sqlite:" + w("clean.db"), "-q", "-j", "2"], ok=(0, 1))
    # A symlink planted at the temporary name the report used to write through (report.html.tmp)
    # must not be followed: the file it points to stays as it was.
    with open(w("victim.txt"), "w") as f:
        f.write("precious")
    os.symlink(w("victim.txt"), w("report.html.tmp"))
    j = report_json(a.dicometl, w("clean.db"), w("report.html"))
    check("planted report.html.tmp symlink not followed", open(w("victim.txt")).read(), "precious")
    compare_with_sql("clean", j, expected_from_sql(w("clean.db")))
    compare_with_manifest(j, json.load(open(w("manifest.json"))))
    check_html("clean", w("report.html"), w("clean.db"), j, False, False)

    # Bad inputs and hostile text, on top of the clean catalog.
    run([sys.executable, gen, "--out", w("plain"), "--patients", "1", "--seed", "2", "--plain",
         "--rows", "64", "--cols", "64", "--modality-mix", "CT"])
    good = next(os.path.join(d, f) for d, _, fs in sorted(os.walk(w("plain"))) for f in sorted(fs) if f.endswith(".dcm"))
    run([sys.executable, os.path.join(a.generate, "make_bad_inputs.py"), "--out", w("extra", "bad"),
         "--from", good, "--depth", "300"])
    ct = next(i["path"] for i in json.load(open(w("manifest.json")))["instances"] if i["modality"] == "CT")
    write_hostile(w("archive", ct), w("extra", "hostile"))
    shutil.copy(w("clean.db"), w("full.db"))
    run([a.dicometl, "ingest", w("extra"), "--db", "sqlite:" + w("full.db"), "-q", "-j", "2"], ok=(0, 1))
    add_omop_and_dexa(w("full.db"))
    j = report_json(a.dicometl, w("full.db"), w("report-full.html"), "--show-paths")
    e = expected_from_sql(w("full.db"))
    compare_with_sql("full", j, e)
    check("full: several error kinds", len(e["errors_by_kind"]) >= 2, True)
    check("full: some age from dates", j["age_at_study"]["from_dates"] >= 1, True)
    check("full: hostile manufacturer kept verbatim in JSON",
          any(r["manufacturer"] == HOSTILE_MANUFACTURER for r in j["equipment"]["rows"]), True)
    compare_omop_dexa(j, w("full.db"))
    check_html("full", w("report-full.html"), w("full.db"), j, True, True)
    check_empty(a.dicometl, a.work)
    check_no_create(a.dicometl, a.work)
    print(f"{len(FAILURES)} failures")
    sys.exit(1 if FAILURES else 0)


if __name__ == "__main__":
    main()
