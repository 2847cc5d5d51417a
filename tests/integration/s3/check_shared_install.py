#!/usr/bin/python3
"""Every ctest test that uses the shared s3rver folder (BUILD/s3-node) requires the fixture that
installs it once (s3_node), and only that fixture installs: two tests running `npm ci` into one
folder at the same time (ctest -j) break each other.   usage: check_shared_install.py BUILD_DIR"""
import json
import subprocess
import sys

build = sys.argv[1]
info = json.loads(subprocess.run(["ctest", "--show-only=json-v1"], cwd=build, capture_output=True,
                                 text=True, check=True).stdout)
users, installers, bad = [], [], []
for t in info["tests"]:
    command = " ".join(t.get("command", []))
    if "s3-node" not in command:
        continue
    props = {p["name"]: p["value"] for p in t.get("properties", [])}
    if "FIXTURES_SETUP" in props and "s3_node" in props["FIXTURES_SETUP"]:
        installers.append(t["name"])
    elif "s3_node" not in props.get("FIXTURES_REQUIRED", []):
        bad.append(t["name"])
    else:
        users.append(t["name"])
print(f"installer: {installers}; users: {users}")
if len(installers) != 1 or bad or len(users) < 2:
    print(f"FAIL: tests sharing s3-node without the s3_node fixture: {bad}; installers {installers}")
    sys.exit(1)
print("ok")
