#!/usr/bin/python3
"""`dicometl dexa s3://…`: report pages read from an S3-compatible server (s3rver from npm, behind
the SigV4-checking proxy of tests/integration/s3) give the same values as the same pages read from
disk. Rendering a remote page needs the whole object (ByteSource::local_path), unlike ingest.

usage: check_s3.py DICOMETL NODE_DIR WORK GENERATE_DIR"""
import csv
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "s3"))
import boto3  # noqa: E402
from botocore.config import Config  # noqa: E402
import proxy  # noqa: E402
import test_s3  # noqa: E402  (npm_ci, start_s3rver, credentials)

failures = []


def check(what, ok, detail=""):
    print(("ok   " if ok else "FAIL ") + what + (f": {detail}" if detail else ""))
    if not ok:
        failures.append(what)


def values(path):
    return sorted((r["sop_instance_uid"], r["region"], r["metric"], r["value"], r["qc_status"])
                  for r in csv.DictReader(open(path)))


def main():
    dicometl, node_dir, work, generate = sys.argv[1], os.path.abspath(sys.argv[2]), sys.argv[3], sys.argv[4]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    pages = os.path.join(work, "pages")
    subprocess.run([sys.executable, os.path.join(generate, "make_dexa_pages.py"), "--out", pages, "--truth",
                    os.path.join(work, "truth.json"), "--seed", "3", "--patients", "1", "--variants", "clean",
                    "--no-extras"], check=True, capture_output=True)
    local = subprocess.run([dicometl, "dexa", pages, "--csv", os.path.join(work, "local.csv"), "-q", "-j", "2"])
    check("local run", local.returncode == 0, str(local.returncode))
    test_s3.npm_ci(node_dir)
    server, port = test_s3.start_s3rver(node_dir, os.path.join(work, "s3data"))
    try:
        s3 = boto3.client("s3", endpoint_url=f"http://127.0.0.1:{port}", region_name="us-east-1",
                          aws_access_key_id="S3RVER", aws_secret_access_key="S3RVER",
                          config=Config(s3={"addressing_style": "path"}))
        for dp, _, fs in os.walk(pages):
            for f in fs:
                s3.upload_file(os.path.join(dp, f), test_s3.BUCKET, "dxa/" + os.path.relpath(os.path.join(dp, f), pages))
        state = proxy.State(port, test_s3.ACCESS_KEY, test_s3.SECRET_KEY, test_s3.REGION)
        proxy_server = proxy.start(state)
        endpoint = f"http://127.0.0.1:{proxy_server.server_address[1]}"
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update(AWS_ACCESS_KEY_ID=test_s3.ACCESS_KEY, AWS_SECRET_ACCESS_KEY=test_s3.SECRET_KEY,
                   AWS_REGION=test_s3.REGION, HOME=work)
        remote_csv = os.path.join(work, "remote.csv")
        p = subprocess.run([dicometl, "dexa", f"s3://{test_s3.BUCKET}/dxa", "--endpoint-url", endpoint,
                            "--path-style", "--csv", remote_csv, "-j", "2"], capture_output=True, text=True,
                           env=env)
        sys.stderr.write(p.stderr)
        check("s3 run: exit code 0", p.returncode == 0, str(p.returncode))
        check("no bad signatures", not state.bad_signatures, str(state.bad_signatures[:2]))
        check("the secret key is never printed", test_s3.SECRET_KEY not in p.stdout + p.stderr)
        got, want = values(remote_csv) if os.path.exists(remote_csv) else [], values(os.path.join(work, "local.csv"))
        check("s3 values = local values", got == want and len(want) > 0, f"{len(got)} vs {len(want)} rows")
        proxy_server.shutdown()
    finally:
        server.kill()
    print(f"{len(failures)} failure(s)" if failures else "all checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
