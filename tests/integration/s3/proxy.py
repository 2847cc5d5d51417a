"""A loopback HTTP proxy in front of s3rver that the S3 tests steer.

It checks every SigV4 signature with botocore (an implementation independent of dicometl's),
then forwards the request unsigned (s3rver knows only its own fake account); it logs each request
(method, path, Range, status, body bytes) and injects failures: every Nth request answered 503
SlowDown, keys containing a marker always 500, listings always 500."""
import http.client
import http.server
import re
import threading
import urllib.parse

from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

AUTH_RE = re.compile(r"AWS4-HMAC-SHA256 Credential=([^/]+)/(\d{8})/([^/]+)/s3/aws4_request, "
                     r"SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$")


class State:
    def __init__(self, upstream_port, access_key, secret_key, region):
        self.upstream_port = upstream_port
        self.access_key, self.secret_key, self.region = access_key, secret_key, region
        self.lock = threading.Lock()
        self.log = []            # dicts: method, path, query, range, status, bytes, injected
        self.bad_signatures = []
        self.fail_every = 0      # every Nth request gets a 503 SlowDown (0 = never)
        self.poison = None       # keys containing this always get a 500
        self.fail_list = False
        self.count = 0

    def reset_log(self):
        with self.lock:
            self.log = []
            self.bad_signatures = []


def verify(state, method, raw_path, headers):
    auth = headers.get("Authorization", "")
    m = AUTH_RE.match(auth)
    if not m:
        return "missing or malformed Authorization"
    key, _, region, signed, sig = m.groups()
    if key != state.access_key or region != state.region:
        return f"wrong key id or region {region}"
    signed_names = signed.split(";")
    req = AWSRequest(method=method, url="http://" + headers["Host"] + raw_path,
                     headers={h: headers[h] for h in signed_names if h in headers})
    req.context["timestamp"] = headers["x-amz-date"]
    signer = S3SigV4Auth(Credentials(state.access_key, state.secret_key), "s3", region)
    expected = signer.signature(signer.string_to_sign(req, signer.canonical_request(req)), req)
    return None if expected == sig else "signature mismatch"


def make_handler(state):
    local = threading.local()

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive: dicometl should re-use connections

        def log_message(self, *args):
            pass

        def upstream(self):
            if getattr(local, "conn", None) is None:
                local.conn = http.client.HTTPConnection("127.0.0.1", state.upstream_port,
                                                        timeout=30)
            return local.conn

        def reply(self, status, body, headers=()):
            self.send_response(status)
            for k, v in headers:
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def do_GET(self):
            self.handle_any()

        def do_HEAD(self):
            self.handle_any()

        def handle_any(self):
            parts = urllib.parse.urlsplit(self.path)
            query = urllib.parse.parse_qs(parts.query)
            path = urllib.parse.unquote(parts.path)
            entry = {"method": self.command, "path": path, "query": query,
                     "range": self.headers.get("Range"), "status": 0, "bytes": 0,
                     "injected": False, "listing": "list-type" in query}
            problem = verify(state, self.command, self.path, self.headers)
            with state.lock:
                state.count += 1
                n = state.count
                state.log.append(entry)
                if problem:
                    state.bad_signatures.append((self.path, problem))
            if problem:
                entry["status"] = 403
                return self.reply(403, b"<Error><Code>SignatureDoesNotMatch</Code></Error>")
            fail = None
            if state.fail_list and entry["listing"]:
                fail = (500, "InternalError")
            elif state.poison and state.poison in path:
                fail = (500, "InternalError")
            elif state.fail_every and n % state.fail_every == 0:
                fail = (503, "SlowDown")
            if fail:
                entry.update(status=fail[0], injected=True)
                body = f"<Error><Code>{fail[1]}</Code><Message>injected</Message></Error>".encode()
                return self.reply(fail[0], body, [("Content-Type", "application/xml")])
            headers = {k: v for k, v in self.headers.items()
                       if k.lower() not in ("authorization", "host", "connection")}
            for attempt in range(2):  # a stale keep-alive connection to s3rver: reconnect once
                try:
                    conn = self.upstream()
                    conn.request(self.command, self.path, headers=headers)
                    resp = conn.getresponse()
                    body = resp.read()
                    break
                except (http.client.HTTPException, OSError):
                    local.conn = None
                    if attempt:
                        raise
            entry.update(status=resp.status, bytes=len(body))
            keep = [(k, v) for k, v in resp.getheaders()
                    if k.lower() not in ("content-length", "connection", "transfer-encoding")]
            self.reply(resp.status, body, keep)

    return Handler


def start(state):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), make_handler(state))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
