#!/usr/bin/python3
"""Checks deploy/: YAML syntax and style (yamllint -s), shell syntax (bash -n; shellcheck when
installed), and what the Kubernetes jobs must agree on: Indexed completion, completions =
parallelism = DICOMETL_SHARDS, the database URL from a Secret, --shard built from
JOB_COMPLETION_INDEX.   check_deploy.py DEPLOY_DIR"""
import glob, os, shutil, subprocess, sys

import yaml

deploy = sys.argv[1]
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


k8s = os.path.join(deploy, "k8s")
r = subprocess.run(["yamllint", "-s", "-c", os.path.join(k8s, ".yamllint")] +
                   sorted(glob.glob(os.path.join(k8s, "*.yaml"))), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
check(r.returncode == 0, "yamllint -s deploy/k8s" + ("" if r.returncode == 0 else ":\n" + r.stdout))
scripts = sorted(glob.glob(os.path.join(deploy, "*", "*.sh")) + glob.glob(os.path.join(deploy, "*", "*.sbatch")))
check(len(scripts) >= 4, "%d scripts" % len(scripts))
for s in scripts:
    r = subprocess.run(["bash", "-n", s], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    check(r.returncode == 0, "bash -n %s %s" % (os.path.relpath(s, deploy), r.stdout))
    if shutil.which("shellcheck"):
        r = subprocess.run(["shellcheck", s], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        check(r.returncode == 0, "shellcheck %s %s" % (os.path.relpath(s, deploy), r.stdout))

jobs = {}
for f in sorted(glob.glob(os.path.join(k8s, "*.yaml"))):
    for doc in yaml.safe_load_all(open(f)):
        if doc and doc.get("kind") == "Job":
            jobs[doc["metadata"]["name"]] = doc
check(set(jobs) == {"dicometl-prepare", "dicometl-ingest", "dicometl-omop", "dicometl-final"},
      "the four jobs run.sh waits for: %s" % sorted(jobs))
for name in ("dicometl-ingest", "dicometl-omop"):
    spec = jobs.get(name, {}).get("spec", {})
    c = spec.get("template", {}).get("spec", {}).get("containers", [{}])[0]
    env = {e["name"]: e for e in c.get("env", [])}
    check(spec.get("completionMode") == "Indexed", name + ": Indexed Job")
    n = env.get("DICOMETL_SHARDS", {}).get("value")
    check(n is not None and spec.get("completions") == spec.get("parallelism") == int(n),
          name + ": completions = parallelism = DICOMETL_SHARDS (%s)" % n)
    check("secretKeyRef" in env.get("DICOMETL_DB", {}).get("valueFrom", {}), name + ": database URL from a Secret")
    check('--shard "$JOB_COMPLETION_INDEX/$DICOMETL_SHARDS"' in " ".join(c.get("args", [])),
          name + ": --shard K/N from JOB_COMPLETION_INDEX")
print("%d failure(s)" % len(failures))
sys.exit(1 if failures else 0)
