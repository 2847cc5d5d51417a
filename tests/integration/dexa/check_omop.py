#!/usr/bin/python3
"""`dicometl dexa --db` on an OMOP database (SQLite, or PostgreSQL with --backend postgres): measurement rows with the spec's LOINC concepts, each
linked through an MI-CDM image_feature row to the report series' image_occurrence; values equal
the generator's truth; only qc ok values are loaded; a re-run adds nothing."""
import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys

failures = []


def check(what, ok, detail=""):
    print(("ok   " if ok else "FAIL ") + what + (f": {detail}" if detail else ""))
    if not ok:
        failures.append(what)


# (site, region prefix) → expected BMD concept (spec: LOINC → OMOP). Femoral sub-regions use the
# femur codes, total hip the hip codes (docs/dexa.md).
EXPECTED = {("spine", "L1-L4", "bmd"): 3033804, ("spine", "L2", "t_score"): 3049654,
            ("spine", "L1-L4", "z_score"): 36204417, ("left_femur", "Neck", "bmd"): 21494209,
            ("left_femur", "Total", "bmd"): 3051938, ("left_femur", "Total", "t_score"): 21494201,
            ("dual_femur", "Neck Left", "bmd"): 21494209, ("dual_femur", "Total Right", "bmd"): 3049418,
            ("dual_femur", "Neck Mean", "bmd"): 3021722, ("dual_femur", "Total Mean", "t_score"): 3049278}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dicometl", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--generate", required=True)
    ap.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    args = ap.parse_args()
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)
    pg_dir = None
    if args.backend == "postgres":
        pg_dir = os.path.join(args.work, "pg")
        support = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "support", "pg_server.sh")
        subprocess.run([support, "start", pg_dir], check=True, capture_output=True)
        try:
            return run_checks(args, subprocess.run([support, "createdb", pg_dir, "dexa"], check=True,
                                                   capture_output=True, text=True).stdout.strip())
        finally:
            subprocess.run([support, "stop", pg_dir], capture_output=True)
    return run_checks(args, None)


def run_checks(args, pg_conninfo):
    pages = os.path.join(args.work, "pages")
    truth_path = os.path.join(args.work, "truth.json")
    subprocess.run([sys.executable, os.path.join(args.generate, "make_dexa_pages.py"), "--out", pages,
                    "--truth", truth_path, "--seed", "11", "--patients", "2", "--variants", "clean",
                    "--no-extras"], check=True)
    truth = json.load(open(truth_path))
    db = os.path.join(args.work, "omop.db")
    url = pg_conninfo or "sqlite:" + db
    d = args.dicometl
    subprocess.run([d, "vocab", "load", "--db", url], check=True, capture_output=True)
    subprocess.run([d, "ingest", pages, "--db", url, "--omop", "--missing-person", "create", "-q"], check=True,
                   capture_output=True)
    run = subprocess.run([d, "dexa", pages, "--db", url, "-j", "2"], capture_output=True, text=True)
    sys.stderr.write(run.stderr)
    check("dexa exit code 0", run.returncode == 0, str(run.returncode))
    if pg_conninfo:
        import psycopg2
        con = psycopg2.connect(pg_conninfo)
        con.autocommit = True

        def q(sql):
            with con.cursor() as cur:
                cur.execute(sql)
                return cur.fetchall()
    else:
        con = sqlite3.connect(db)
        q = lambda sql: con.execute(sql).fetchall()
    n_m = q("SELECT count(*) FROM measurement")[0][0]
    n_ok = q("SELECT count(*) FROM dexa_value WHERE qc_status = 'ok' AND measure IN ('bmd', 't_score', 'z_score')"
             " AND region NOT LIKE '%Diff%'")[0][0]
    check("one measurement per ok BMD/T/Z value", n_m == n_ok and n_m > 0, f"{n_m} vs {n_ok}")
    rows = q("""SELECT m.measurement_id, m.measurement_concept_id, m.value_as_number, m.measurement_source_value,
                       f.image_feature_event_id, f.image_feature_concept_id, io.image_series_uid, m.person_id,
                       io.person_id, m.measurement_date
                FROM measurement m JOIN image_feature f ON f.image_feature_event_id = m.measurement_id
                JOIN image_occurrence io ON io.image_occurrence_id = f.image_occurrence_id""")
    check("every measurement has its image_feature and image_occurrence", len(rows) == n_m, f"{len(rows)} vs {n_m}")
    check("person of measurement = person of the image", all(r[7] == r[8] for r in rows))
    # values against the truth, via dexa_value (sop → series) and the generator's pages
    series_of = dict(q("SELECT DISTINCT sop_instance_uid, series_instance_uid FROM dexa_value"))
    truth_by_series = {}
    for p in truth["pages"]:
        s = series_of.get(p["sop_instance_uid"])
        if s:
            truth_by_series[s] = p
    wrong = 0
    concept_bad = 0
    checked_concepts = set()
    for r in rows:
        p = truth_by_series[r[6]]
        region, metric = r[3][len("DXA "):].rsplit(" ", 1)  # "DXA Neck Left bmd"
        want = [v["value"] for v in p["values"] if v["region"] == region and v["metric"] == metric]
        if not want or float(want[0]) != float(r[2]):
            wrong += 1
        expected = EXPECTED.get((p["site"], region, metric))
        if expected is not None and r[1] != expected:
            concept_bad += 1
        checked_concepts.add((p["site"], region, metric)) if expected is not None else None
        if str(r[9]) != f"{p['exam_date'][:4]}-{p['exam_date'][4:6]}-{p['exam_date'][6:]}":
            wrong += 1
    check("measurement values and dates equal the truth", wrong == 0, f"{wrong} wrong")
    check("concepts follow the spec's LOINC mapping", concept_bad == 0 and len(checked_concepts) >= 5,
          f"{concept_bad} wrong of {len(checked_concepts)} kinds checked")
    rep = subprocess.run([d, "report", "--db", url, "--format", "json", "-q"], capture_output=True, text=True)
    fig = json.loads(rep.stdout)["dexa"] if rep.returncode == 0 else None
    n_values = q("SELECT count(*) FROM dexa_value")[0][0]
    n_flagged = q("SELECT count(*) FROM dexa_value WHERE qc_status <> 'ok'")[0][0]
    check("dicometl report shows the DXA values and flags", fig is not None and fig["values"] == n_values
          and fig["flagged"] == n_flagged, f"{fig and (fig['values'], fig['flagged'])} vs {(n_values, n_flagged)}")
    run2 = subprocess.run([d, "dexa", pages, "--db", url, "-q", "-j", "2"], capture_output=True, text=True)
    n2 = q("SELECT count(*) FROM measurement")[0][0]
    f2 = q("SELECT count(*) FROM image_feature")[0][0]
    check("re-run adds no measurement or image_feature", n2 == n_m and f2 == n_m, f"{n2}, {f2} vs {n_m}")
    print(f"{len(failures)} failure(s)" if failures else "all checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
