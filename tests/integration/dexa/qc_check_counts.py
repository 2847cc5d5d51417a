#!/usr/bin/python3
"""How many right values each QC check flags: reads a finished dexa.accuracy run (its truth.json
and values.csv, default build/dexa-test) and counts, per check named in qc_reason, the values
whose output equals the generator's truth (right values) and the wrong ones it caught.

Usage: qc_check_counts.py [WORK]   (after `ctest -R dexa.accuracy`)"""
import collections
import csv
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_dexa import same  # noqa: E402

# The page checks of qc.cpp / qc_scores.cpp by the words their reasons start with or contain.
CHECKS = ["BMC/Area", "not the sum of its parts", "outside the range of its parts",
          "is not the mean of Left and Right", "is not |Left - Right|", "T-score vs YA%",
          "Z-score vs AM%", "young-adult mean", "age-matched mean", "Z - T", "total within parts",
          "reference fit", "scan date"]


def main():
    work = sys.argv[1] if len(sys.argv) > 1 else "build/dexa-test"
    truth = json.load(open(os.path.join(work, "truth.json")))
    rows = list(csv.DictReader(open(os.path.join(work, "values.csv"))))
    by_sop = collections.defaultdict(dict)
    for r in rows:
        by_sop[r["sop_instance_uid"]].setdefault((r["region"], r["metric"]), r)
    right = collections.Counter()  # right values flagged on pages where the check caught nothing
    beside = collections.Counter()  # right values flagged beside a wrong value the check caught
    caught = collections.Counter()
    totals = collections.Counter()
    for page in truth["pages"]:
        if not page["report"] or page.get("dup_role") in ("identical", "dropped"):
            continue
        misfiled = page["variant"] == "misfiled"
        read = []
        for v in page["values"]:
            r = by_sop[page["sop_instance_uid"]].get((v["region"], v["metric"]))
            if r:
                read.append((r, same(r["value"], v["value"])))
        for check in CHECKS:
            page_caught = sum(1 for r, ok in read if not ok and check in r["qc_reason"])
            caught[check] += page_caught
            flagged_right = sum(1 for r, ok in read if ok and check in r["qc_reason"])
            if not (misfiled and check == "scan date"):
                (beside if page_caught else right)[check] += flagged_right
        for _, ok in read:
            totals["right" if ok else "wrong"] += 1
    print(f"{totals['right']} right and {totals['wrong']} wrong values read ({work})")
    print(f"{'check':36} {'right flagged':>13} {'right flagged beside a caught wrong':>36} "
          f"{'wrong caught':>12}")
    for check in CHECKS:
        print(f"{check:36} {right[check]:13} {beside[check]:36} {caught[check]:12}")


if __name__ == "__main__":
    main()
