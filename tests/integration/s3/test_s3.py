#!/usr/bin/python3
"""dicometl ingest from s3:// against a real S3-compatible server (s3rver, from npm, pinned by
package-lock.json) on loopback, behind a proxy (proxy.py) that verifies every SigV4 signature with
botocore, logs requests and injects failures. Expected values come from the generator's manifest
and from boto3's view of the bucket, never from dicometl.

usage: test_s3.py DICOMETL NODE_DIR   (NODE_DIR: where `npm ci` installs the server, reused)"""
import filecmp
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

import boto3
from botocore.config import Config

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import proxy  # noqa: E402

REPO = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
GENERATE = os.path.join(REPO, "tests", "generate", "make_archive.py")
BUCKET = "dicom-archive"
ACCESS_KEY, SECRET_KEY, REGION = "AKIDDICOMETLTEST", "sEcReT-never-logged/42+x", "eu-west-3"
PAGE = 7  # max-keys: the archive spans many pages
# Odd names some objects are renamed to: spaces, non-ASCII, characters URLs and XML escape.
ODD_NAMES = ["Ünïcødé 日本語 scan.dcm", "a & b <c> 'd' \"e\".dcm",
             "plus+equals=percent%20?.dcm", "tilde~semi;colon:comma,.dcm"]

failures = []


def check(cond, message):
    if not cond:
        failures.append(message)
        print("FAIL:", message, flush=True)
    return cond


NODE_FILES = ("package.json", "package-lock.json", "server.js")


def npm_ci(node_dir):
    """Installs s3rver into node_dir. ctest runs it once (install_node.py, the fixture s3_node that
    s3_ingest and dexa.s3 require); then it only checks, writing nothing, so tests sharing the
    folder can run in parallel."""
    stamp = os.path.join(node_dir, "node_modules", ".lock-copy")
    lock = open(os.path.join(HERE, "package-lock.json")).read()
    if (os.path.exists(stamp) and open(stamp).read() == lock and all(
            os.path.exists(os.path.join(node_dir, f))
            and filecmp.cmp(os.path.join(HERE, f), os.path.join(node_dir, f), shallow=False) for f in NODE_FILES)):
        return
    os.makedirs(node_dir, exist_ok=True)
    for f in NODE_FILES:
        shutil.copy(os.path.join(HERE, f), node_dir)
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=node_dir,
                   check=True)
    open(stamp, "w").write(lock)


def start_s3rver(node_dir, data_dir):
    # s3rver encrypts continuation tokens with a cipher OpenSSL 3 keeps in its legacy provider.
    p = subprocess.Popen(["node", "--openssl-legacy-provider", os.path.join(node_dir, "server.js"),
                          data_dir, BUCKET],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=node_dir)
    line = p.stdout.readline()
    if not line.startswith("LISTENING"):
        p.kill()
        raise SystemExit(f"s3rver did not start: {line!r}")
    return p, int(line.split()[1])


def dicometl(args, env, expect=(0, 1)):
    p = subprocess.run([sys.argv[1], *args], capture_output=True, text=True, env=env)
    check(p.returncode in expect, f"dicometl {args[:3]} exited {p.returncode}: {p.stderr[-500:]}")
    check(SECRET_KEY not in p.stdout + p.stderr, "the secret key appears in dicometl's output")
    return p


def summary(p):
    return json.loads(p.stdout.strip().splitlines()[-1])


def main():
    node_dir = os.path.abspath(sys.argv[2])
    npm_ci(node_dir)
    work = tempfile.mkdtemp(prefix="dicometl-s3-")
    server = None
    try:
        # 1. Archive, uploaded with boto3 straight to s3rver.
        arch = os.path.join(work, "arch")
        manifest_path = os.path.join(work, "manifest.json")
        subprocess.run([sys.executable, GENERATE, "--out", arch, "--patients", "3", "--seed", "11",
                        "--rows", "256", "--cols", "256", "--manifest", manifest_path],
                       check=True, capture_output=True)
        manifest = json.load(open(manifest_path, encoding="utf-8"))
        server, port = start_s3rver(node_dir, os.path.join(work, "s3data"))
        s3 = boto3.client("s3", endpoint_url=f"http://127.0.0.1:{port}", region_name="us-east-1",
                          aws_access_key_id="S3RVER", aws_secret_access_key="S3RVER",
                          config=Config(s3={"addressing_style": "path"}))
        expected = {}  # key -> (sop_instance_uid, local file)
        key_inst = {}  # key -> manifest instance
        for i, inst in enumerate(sorted(manifest["instances"], key=lambda x: x["path"])):
            rel = inst["path"]
            if i % 9 == 4:  # rename some: same folder, odd name (unique per folder)
                rel = os.path.dirname(rel) + "/" + ODD_NAMES[(i // 9) % len(ODD_NAMES)]
            key = "archive/" + rel
            check(key not in expected, f"test bug: key {key} twice")
            expected[key] = (inst["sop_instance_uid"], os.path.join(arch, inst["path"]))
            key_inst[key] = inst
            s3.upload_file(os.path.join(arch, inst["path"]), BUCKET, key)
        first = os.path.join(arch, manifest["instances"][0]["path"])
        poison = ["archive/zz-poison/one.dcm", "archive/zz-poison/two.dcm"]
        for key in poison:  # the proxy fails every request for these
            s3.upload_file(first, BUCKET, key)
        s3.upload_file(first, BUCKET, "archive-other/not-mine.dcm")  # outside the root
        s3.put_object(Bucket=BUCKET, Key="archive/empty-folder/", Body=b"")  # console marker
        listed = [o["Key"] for page in s3.get_paginator("list_objects_v2").paginate(
            Bucket=BUCKET, Prefix="archive/", PaginationConfig={"PageSize": PAGE})
            for o in page.get("Contents", [])]
        check(len(listed) == len(expected) + len(poison) + 1,
              f"the server lists {len(listed)} objects under archive/ with pages of {PAGE}")
        archive_bytes = sum(os.path.getsize(f) for _, f in expected.values())

        state = proxy.State(port, ACCESS_KEY, SECRET_KEY, REGION)
        proxy_server = proxy.start(state)
        endpoint = f"http://127.0.0.1:{proxy_server.server_address[1]}"
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update(AWS_ACCESS_KEY_ID=ACCESS_KEY, AWS_SECRET_ACCESS_KEY=SECRET_KEY,
                   AWS_REGION=REGION, HOME=work, DICOMETL_S3_PAGE_SIZE=str(PAGE),
                   DICOMETL_S3_MAX_ATTEMPTS="4")

        # 2. Ranged ingest through a flaky proxy: every 5th request fails with 503 SlowDown.
        state.fail_every, state.poison = 5, "zz-poison"
        db = os.path.join(work, "a.db")
        t0 = time.time()
        p = dicometl(["ingest", "s3://" + BUCKET + "/archive", "--endpoint-url", endpoint,
                      "--db", "sqlite:" + db, "--json", "-q", "-j", "2"], env, expect=(1,))
        print(f"ranged ingest: {time.time() - t0:.1f} s, {p.stdout.strip()}")
        s = summary(p)
        check(s["ingested"] == len(expected), f"ingested {s['ingested']} of {len(expected)}")
        check(s["failed"] == len(poison), f"failed {s['failed']}, expected {len(poison)}")
        c = sqlite3.connect(db)
        got = dict(c.execute("SELECT f.path, i.sop_instance_uid FROM file f JOIN instance i "
                             "ON i.sop_instance_uid = f.sop_instance_uid"))
        want = {"s3://" + BUCKET + "/" + k: v[0] for k, v in expected.items()}
        check(got == want, f"catalog differs from the manifest: "
              f"{sorted(set(got.items()) ^ set(want.items()))[:4]}")
        errors = dict(c.execute("SELECT path, kind || ': ' || reason FROM ingest_error"))
        check(sorted(errors) == ["s3://" + BUCKET + "/" + k for k in poison], f"errors {errors}")
        check(all("unreadable" in r and "HTTP 500" in r and "4 attempts" in r
                  for r in errors.values()), f"error reasons {errors}")
        dump = "\n".join(str(r) for r in c.execute("SELECT * FROM ingest_error"))
        check(SECRET_KEY not in dump, "the secret key is in ingest_error")
        c.close()
        log = list(state.log)
        check(not state.bad_signatures, f"bad signatures: {state.bad_signatures[:3]}")
        injected = sum(1 for e in log if e["injected"] and e["status"] == 503)
        check(injected > 5, f"only {injected} injected 503s")
        gets = [e for e in log if not e["listing"]]
        served = sum(e["bytes"] for e in gets if e["status"] in (200, 206))
        # Whole-object GETs only where DCMTK must parse a file: big-endian syntax. Deflated objects
        # are read by ranges too (the reader inflates them itself).
        dcmtk_syntaxes = {"1.2.840.10008.1.2.2"}
        by_key = {"/" + BUCKET + "/" + k: i for k, i in key_inst.items()}
        whole = {e["path"] for e in gets if e["range"] is None and e["status"] == 200}
        check(all(by_key[p]["transfer_syntax_uid"] in dcmtk_syntaxes for p in whole),
              f"whole GETs of objects the fast parser reads: {sorted(whole)[:3]}")
        ranged = {e["path"] for e in gets if e["range"] and e["status"] == 206}
        check(ranged == set(by_key), f"{len(ranged)} objects read by range of {len(by_key)}")
        # Header-only proof: what the range reads fetched against the size of those objects.
        range_bytes = sum(e["bytes"] for e in gets if e["status"] == 206)
        range_size = sum(by_key[p]["file_size"] for p in ranged - whole)
        check(range_bytes < range_size / 5,
              f"range reads fetched {range_bytes} bytes of objects totalling {range_size}")
        lists = [e for e in log if e["listing"] and e["status"] == 200]
        check(len(lists) == -(-(len(listed)) // PAGE) or len(lists) == len(listed) // PAGE + 1,
              f"{len(lists)} listing pages for {len(listed)} objects")
        print(f"  requests {len(log)}, injected 503s {injected}, object bytes served {served} "
              f"of {archive_bytes} ({100.0 * served / archive_bytes:.1f}%), "
              f"list pages {len(lists)}, whole-object GETs {len(whole)} (big-endian); "
              f"range reads {range_bytes} bytes for {len(ranged)} objects")

        # 3. Re-run: incremental, listings only, no object GETs.
        state.fail_every = 0
        state.reset_log()
        p = dicometl(["ingest", "s3://" + BUCKET + "/archive", "--endpoint-url", endpoint,
                      "--db", "sqlite:" + db, "--json", "-q"], env)
        s = summary(p)
        check(s["unchanged"] == s["seen"] == len(expected) + len(poison), f"re-run: {s}")
        check(all(e["listing"] for e in state.log), "the re-run fetched objects")

        # 4. A listing that keeps failing is fatal (exit 3), with a reason and no secret.
        state.fail_list = True
        p = dicometl(["ingest", "s3://" + BUCKET + "/archive", "--endpoint-url", endpoint,
                      "--db", "sqlite:" + os.path.join(work, "fatal.db"), "--json", "-q"], env,
                     expect=(3,))
        check("listing s3://" + BUCKET + "/archive failed" in p.stderr and "HTTP 500" in p.stderr,
              f"fatal message: {p.stderr.strip()}")
        state.fail_list = False

        # 5. --download with a profile from the shared files: byte-identical mirror keeping key
        #    paths; the catalog holds the local copies; a re-run downloads nothing.
        creds = os.path.join(work, "creds.ini")
        with open(creds, "w") as f:
            f.write(f"[dicom]\naws_access_key_id = {ACCESS_KEY}\n"
                    f"aws_secret_access_key = {SECRET_KEY}\n")
        env2 = {k: v for k, v in env.items() if not k.startswith("AWS_")}
        env2.update(AWS_SHARED_CREDENTIALS_FILE=creds, AWS_CONFIG_FILE=os.path.join(work, "no"))
        mirror = os.path.join(work, "mirror")
        db2 = os.path.join(work, "d.db")
        state.poison = None
        state.reset_log()
        args = ["ingest", "s3://" + BUCKET + "/archive/", "--endpoint-url", endpoint, "--profile",
                "dicom", "--region", REGION, "--path-style", "--download", mirror,
                "--db", "sqlite:" + db2, "--json", "-q"]
        s = summary(dicometl(args, env2))
        check(s["ingested"] == len(expected) and s["failed"] == 0, f"download run: {s}")
        for key, (_, src) in expected.items():
            local = os.path.join(mirror, BUCKET, key)
            if not check(os.path.exists(local) and filecmp.cmp(local, src, shallow=False),
                         f"mirror of {key} missing or different"):
                break
        c = sqlite3.connect(db2)
        paths = {r[0] for r in c.execute("SELECT path FROM file WHERE status = 'ingested'")}
        check(paths == {os.path.join(mirror, BUCKET, k) for k in expected}, "download paths")
        c.close()
        check(not state.bad_signatures, f"bad signatures (profile): {state.bad_signatures[:3]}")
        check(sum(1 for e in state.log if not e["listing"] and e["range"] is None) ==
              len(expected) + len(poison), "one whole GET per object")
        state.reset_log()
        s = summary(dicometl(args, env2))
        check(s["unchanged"] == s["seen"], f"download re-run: {s}")
        check(all(e["listing"] for e in state.log), "the download re-run fetched objects")

        # 6. --shard K/N: three shards cover the listing exactly once, each key where the rule
        #    (tests/integration/scale/shard_rule.py) puts it; by folder, a shard lists one level
        #    and then only its own prefixes in full. Under its own root, one level of folders:
        #    s3rver leaves out common prefixes that hold only deeper folders (real S3 does not).
        sys.path.insert(0, os.path.join(REPO, "tests", "integration", "scale"))
        from shard_rule import shard_of
        files = []
        for i, inst in enumerate(manifest["instances"][:40]):
            key = f"shardtest/F{i % 12}/{i}.dcm" if i % 13 else f"shardtest/top{i}.dcm"
            s3.upload_file(os.path.join(arch, inst["path"]), BUCKET, key)
            files.append(key)
        state.poison = None
        for unit in ("file", "folder"):
            seen = []
            for k in range(3):
                state.reset_log()
                sdb = os.path.join(work, f"shard-{unit}-{k}.db")
                dicometl(["ingest", "s3://" + BUCKET + "/shardtest", "--endpoint-url", endpoint,
                          "--db", "sqlite:" + sdb, "--json", "-q", "--shard", f"{k}/3",
                          "--shard-by", unit], env)
                c = sqlite3.connect(sdb)
                mine = {r[0][len("s3://" + BUCKET + "/"):] for r in c.execute("SELECT path FROM file")}
                c.close()
                seen += sorted(mine)
                rel = {f: f[len("shardtest/"):] for f in files}
                want = {f for f in files
                        if shard_of(rel[f] if unit == "file" else rel[f].split("/")[0], 3) == k}
                check(mine == want, f"shard {k}/3 by {unit}: {len(mine)} objects, rule says {len(want)}")
                full = [e["query"].get("prefix", [""])[0] for e in state.log
                        if e["listing"] and "delimiter" not in e["query"]]
                if unit == "folder":
                    level = [e for e in state.log if e["listing"] and "delimiter" in e["query"]]
                    check(len(level) == 1, f"shard {k} by folder: {len(level)} one-level listings")
                    check(all(shard_of(p[len("shardtest/"):].rstrip("/"), 3) == k for p in full),
                          f"shard {k} by folder listed other shards' prefixes: {full}")
            check(sorted(seen) == sorted(files), f"by {unit}: the shards overlap or miss objects")

        # 7. Objects under 16 KB that DCMTK must parse (big endian): the first ranged read already
        #    holds the whole object, so it is not downloaded a second time (issue 13, item 17).
        small = os.path.join(work, "small")
        subprocess.run([sys.executable, GENERATE, "--out", small, "--patients", "2", "--seed", "12",
                        "--rows", "16", "--cols", "16", "--syntax-mix", "explicit-be",
                        "--manifest", small + ".json"], check=True, capture_output=True)
        small_keys = {}
        for inst in json.load(open(small + ".json", encoding="utf-8"))["instances"]:
            local = os.path.join(small, inst["path"])
            check(os.path.getsize(local) < 16 * 1024, f"test bug: {inst['path']} is not small")
            check(inst["transfer_syntax_uid"] == "1.2.840.10008.1.2.2", "test bug: not big endian")
            small_keys["small/" + inst["path"]] = inst["sop_instance_uid"]
            s3.upload_file(local, BUCKET, "small/" + inst["path"])
        state.reset_log()
        db3 = os.path.join(work, "small.db")
        s = summary(dicometl(["ingest", "s3://" + BUCKET + "/small", "--endpoint-url", endpoint,
                              "--db", "sqlite:" + db3, "--json", "-q"], env))
        check(s["ingested"] == len(small_keys), f"small objects: {s}")
        gets = {}
        for e in state.log:
            if not e["listing"]:
                gets.setdefault(e["path"], []).append(e["range"] or "whole")
        twice = {k: v for k, v in gets.items() if len(v) != 1}
        check(len(gets) == len(small_keys) and not twice,
              f"small objects: {len(gets)} fetched of {len(small_keys)}, more than one GET: "
              f"{sorted(twice.items())[:3]}")
        c = sqlite3.connect(db3)
        got = dict(c.execute("SELECT f.path, i.sop_instance_uid FROM file f JOIN instance i "
                             "ON i.sop_instance_uid = f.sop_instance_uid"))
        c.close()
        check(got == {"s3://" + BUCKET + "/" + k: v for k, v in small_keys.items()},
              "small objects: catalog differs from the manifest")
        print(f"  small big-endian objects: {len(small_keys)}, GETs {sum(map(len, gets.values()))}")
        proxy_server.shutdown()
    finally:
        if server:
            server.stdin.close()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
        shutil.rmtree(work, ignore_errors=True)
    if failures:
        print(f"s3: {len(failures)} failure(s)")
        sys.exit(1)
    print("s3: ok")


if __name__ == "__main__":
    main()
