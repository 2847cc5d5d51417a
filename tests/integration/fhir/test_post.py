"""--post against a real HTTP server started here on loopback (no FHIR server is packaged in
Debian): a small transaction endpoint that applies PUT entries to an in-memory store, answers 503
to the first try of every bundle (so retries are exercised) and 422 to one study (reported per
study). Posting twice must leave the store unchanged: PUT with deterministic ids is idempotent.
The Bundles posted carry server-style fullUrls on the --post base (never its credentials) and
relative references, so the server stores no urn:uuid reference though it rewrites none."""
import base64
import json
import os
import shutil
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from fhir_common import WORK, check, run, run_json, sha, write_dicom

root = os.path.join(WORK, "post")
shutil.rmtree(root, ignore_errors=True)
gen = os.path.join(os.path.dirname(__file__), "../../generate/make_archive.py")
subprocess.run([sys.executable, gen, "--out", f"{root}/src", "--seed", "5", "--patients", "2",
                "--manifest", f"{root}/m.json"], check=True, stdout=subprocess.DEVNULL)
write_dicom(f"{root}/src/reject/1.dcm", "1.2.826.0.3.1", "1.2.826.0.3.1.1", "1.2.826.0.3.1.1.1",
            AccessionNumber="REJECTME", PatientID="PID-R")
studies = json.load(open(f"{root}/m.json"))["counts"]["studies"]

store, seen, log, auths, bodies = {}, set(), [], [], []
# Problems seen by the server's threads: a failed check there only ends that thread (SystemExit
# in a handler is swallowed), so they are collected here and checked by the main thread.
server_problems = []
lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self, code, body):
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/fhir+json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        try:
            self.handle_post()
        except Exception as e:  # a malformed request: record it, answer 500
            with lock:
                server_problems.append(f"{type(e).__name__}: {e}")
            self.answer(500, {"resourceType": "OperationOutcome", "issue": []})

    def handle_post(self):
        raw = self.rfile.read(int(self.headers["Content-Length"]))
        bundle = json.loads(raw)
        with lock:
            bodies.append(raw.decode())
            log.append((self.path, self.headers["Content-Type"], bundle["type"]))
            auths.append(self.headers.get("Authorization"))
            study = bundle["entry"][-1]["resource"]
            if any(i.get("value") == "REJECTME" for i in study["identifier"]):
                return self.answer(422, {"resourceType": "OperationOutcome", "issue": [
                    {"severity": "error", "code": "invalid", "diagnostics": "rejected by test"}]})
            if bundle["id"] not in seen:
                seen.add(bundle["id"])
                return self.answer(503, {"resourceType": "OperationOutcome", "issue": []})
            for e in bundle["entry"]:
                if e["request"]["method"] != "PUT":
                    server_problems.append(f"entry {e['request']} is not a PUT")
                if e["request"]["url"] != f"{e['resource']['resourceType']}/{e['resource']['id']}":
                    server_problems.append(f"entry url {e['request']['url']} is not type/id of its resource")
                store[e["request"]["url"]] = json.dumps(e["resource"], sort_keys=True)
        self.answer(200, {"resourceType": "Bundle", "type": "transaction-response"})


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
threading.Thread(target=server.serve_forever, daemon=True).start()
base = f"http://127.0.0.1:{server.server_address[1]}/fhir"
try:
    rc, s, err = run_json(f"{root}/src", "--post", base, "--devices", "--timezone", "+01:00")
    check(rc == 1, f"one study refused -> exit 1, got {rc}")
    check(s["posted"] == studies and s["post_failed"] == 1, f"summary {s}")
    check(f"study {sha('urn:dicom:uid|1.2.826.0.3.1')} not accepted after 1 attempt(s): HTTP 422" in err,
          f"failure reported per study, 4xx not retried: {err}")
    check(all(p == "/fhir" and ct == "application/fhir+json" and t == "transaction" for p, ct, t in log),
          "POST of transaction bundles to the base URL")
    first = dict(store)
    check(all(e["fullUrl"] == f"{base}/{e['request']['url']}" for b in bodies for e in json.loads(b)["entry"]),
          "fullUrls are BASE/Type/id on the --post base")
    check(not any("urn:uuid" in v for v in first.values()), "no urn:uuid reference stored")
    check(any('"reference": "Device/' in v for v in first.values()), "relative references stored")
    check(sum(k.startswith("ImagingStudy/") for k in first) == studies, "one ImagingStudy per study")
    check(any(k.startswith("Device/") for k in first), "Devices in the transaction")
    run(f"{root}/src", "--post", base, "--devices", "--timezone", "+01:00", "-q")
    check(store == first, "second load changes nothing (idempotent PUTs)")
    check(not server_problems, f"the server saw bad requests: {server_problems[:5]}")
    # Credentials in the URL travel as basic authentication and are printed nowhere.
    auths.clear()
    bodies.clear()
    p = subprocess.run([os.environ["DICOMETL"], "fhir", f"{root}/src", "--post",
                        base.replace("http://", "http://fhir-user:s%40cr3t@"), "-q"],
                       capture_output=True, text=True)
    token = "Basic " + base64.b64encode(b"fhir-user:s@cr3t").decode()
    check(auths and all(a == token for a in auths), f"basic authentication sent: {auths[:2]}")
    check("s%40cr3t" not in p.stdout + p.stderr and "s@cr3t" not in p.stdout + p.stderr,
          "the password is not printed")
    check(bodies and not any("fhir-user" in b or "cr3t" in b for b in bodies),
          "no credentials in the posted Bundles")
    check(all(e["fullUrl"].startswith(base + "/") for b in bodies for e in json.loads(b)["entry"]),
          "fullUrls on the base without its credentials")
finally:
    server.shutdown()
    server.server_close()

# Nobody listening: every study fails after its retries, reported, exit 1.
rc, s, err = run_json(f"{root}/src", "--post", base, "--post-attempts", "2")
check(rc == 1 and s["post_failed"] == studies + 1 and s["posted"] == 0, f"refused: {s}")
check("after 2 attempt(s): HTTP 0" in err, f"network failure reported: {err[:300]}")
print("post ok")
