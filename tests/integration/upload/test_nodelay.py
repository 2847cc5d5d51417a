"""C-STORE sends with Nagle's algorithm off: every association's socket gets TCP_NODELAY (Debian's
DCMTK leaves it on, and each instance then waits ~40-90 ms for the peer's delayed ACK, as
storescu does). Seen from outside, in the system calls (strace), against a real Orthanc."""
import os
import re
import shutil
import subprocess
import sys
import tempfile

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
ORTHANC = os.path.join(REPO, "tests", "support", "orthanc_server.sh")
GENERATE = os.path.join(REPO, "tests", "generate", "make_archive.py")
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "core"))
from common import missing  # noqa: E402


def main():
    if not shutil.which("strace"):
        missing("strace (apt-get install strace)")
    tmp = tempfile.mkdtemp(prefix="dicometl-nodelay-")
    orthanc_dir = os.path.join(tmp, "orthanc")
    try:
        p = subprocess.run(["bash", ORTHANC, "start", orthanc_dir, "ORTHANC"], capture_output=True, text=True)
        if p.returncode == 77:
            sys.exit(77)
        if p.returncode != 0:
            raise SystemExit(f"orthanc did not start: {p.stderr}")
        dicom_port = int(p.stdout.split()[1])
        arch = os.path.join(tmp, "archive")
        subprocess.run([sys.executable, GENERATE, "--out", arch, "--patients", "1", "--seed", "8",
                        "--studies", "1-1", "--series", "2-2", "--instances", "2-2", "--rows", "16",
                        "--cols", "16", "--plain"], check=True, capture_output=True)
        env = {k: v for k, v in os.environ.items() if k != "TCP_NODELAY"}
        p = subprocess.run(["strace", "-f", "-e", "trace=connect,setsockopt", "-o", os.path.join(tmp, "trace"),
                            sys.argv[1], "upload", arch, "--to", f"dicom://ORTHANC@127.0.0.1:{dicom_port}",
                            "--connections", "2", "--json", "-q"],
                           capture_output=True, text=True, timeout=120, env=env)
        trace = open(os.path.join(tmp, "trace")).read()
        connects = len(re.findall(r"connect\(\d+, \{sa_family=AF_INET, sin_port=htons\(%d\)" % dicom_port, trace))
        nodelay = len(re.findall(r"setsockopt\(\d+, SOL_TCP, TCP_NODELAY, \[1\]", trace))
        print(f"exit {p.returncode}; {connects} connections to the DICOM port, {nodelay} with TCP_NODELAY")
        ok = p.returncode == 0 and connects >= 1 and nodelay >= connects
        if not ok:
            print("FAIL: an association was sent without TCP_NODELAY\n" + p.stdout + p.stderr)
            sys.exit(1)
        print("nodelay: ok")
    finally:
        subprocess.run(["bash", ORTHANC, "stop", orthanc_dir], check=False)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
