#!/usr/bin/python3
"""Header reading is bounded in memory (issue 13, item 3): a small deflated file whose inflated
header holds a huge private element is rejected with a reason, at a bounded peak RSS, instead of
being inflated whole. Files are written here, byte by byte, from the DICOM standard's encoding
(PS3.5 7.1.2 explicit VR little endian; A.5 deflate), not by dicometl."""
import json
import os
import struct
import subprocess
import zlib

from common import check, dicometl_path, finish, tmpdir

HUGE = 512 << 20  # the private element's length: 512 MiB of zeros, about 0.5 MB deflated
RSS_LIMIT_MB = 200  # the reader holds at most 64 MiB of inflated header, plus the program itself
LONG_VRS = {b"OB", b"OD", b"OF", b"OL", b"OV", b"OW", b"SQ", b"UC", b"UN", b"UR", b"UT"}

work = tmpdir()


def element(group, elem, vr, value=b"", length=None):
    n = len(value) if length is None else length
    head = struct.pack("<HH", group, elem) + vr
    head += struct.pack("<HI", 0, n) if vr in LONG_VRS else struct.pack("<H", n)
    return head + value


def ui(group, elem, uid):
    v = uid.encode() + (b"\0" if len(uid) % 2 else b"")
    return element(group, elem, b"UI", v)


def text(group, elem, vr, s):
    v = s.encode() + (b" " if len(s) % 2 else b"")
    return element(group, elem, vr, v)


SOP_CLASS = "1.2.840.10008.5.1.4.1.1.7"  # Secondary Capture
SOP = "2.25.1234567890123456789"


def part10(ts):
    meta = (element(2, 1, b"OB", b"\0\1") + ui(2, 2, SOP_CLASS) + ui(2, 3, SOP) + ui(2, 0x10, ts) +
            ui(2, 0x12, "2.25.99"))
    return b"\0" * 128 + b"DICM" + element(2, 0, b"UL", struct.pack("<I", len(meta))) + meta


def write_deflated(path, huge):
    head = (ui(8, 0x16, SOP_CLASS) + ui(8, 0x18, SOP) + text(8, 0x60, b"CS", "OT") +
            text(9, 0x10, b"LO", "HUGE CREATOR"))
    tail = (text(0x10, 0x10, b"PN", "Test^Bounded") + ui(0x20, 0xD, "2.25.11") + ui(0x20, 0xE, "2.25.12"))
    z = zlib.compressobj(9, zlib.DEFLATED, -15)  # raw deflate, as PS3.5 A.5 says
    with open(path, "wb") as f:
        f.write(part10("1.2.840.10008.1.2.1.99"))
        f.write(z.compress(head))
        if huge:
            f.write(z.compress(element(9, 0x1000, b"OB", length=huge)))
            chunk = b"\0" * (1 << 20)
            for _ in range(huge >> 20):
                f.write(z.compress(chunk))
        f.write(z.compress(tail))
        f.write(z.flush())


def dump(path):
    """Runs dicometl dump; returns (exit code, parsed JSON, peak RSS in MB) of that one process."""
    p = subprocess.Popen([dicometl_path(), "dump", path], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out = p.stdout.read()
    p.stderr.read()
    _, status, usage = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    return p.returncode, json.loads(out or b"{}"), usage.ru_maxrss / 1024


# A small deflated file reads as an instance through the same inflation (control).
small = os.path.join(work, "small-deflated.dcm")
write_deflated(small, 0)
code, out, rss = dump(small)
check(code == 0 and out.get("sop_instance_uid") == SOP and out.get("patient_name") == "Test^Bounded",
      f"small deflated file: exit {code}, {str(out)[:300]}")

bomb = os.path.join(work, "deflate-bomb.dcm")
write_deflated(bomb, HUGE)
size_mb = os.path.getsize(bomb) / 1e6
check(size_mb < 2, f"the deflated file is {size_mb:.1f} MB, expected under 2")
code, out, rss = dump(bomb)
print(f"deflate bomb: {size_mb:.2f} MB on disk, {HUGE >> 20} MiB element, peak RSS {rss:.0f} MB, {out}")
check(code == 1 and out.get("outcome") == "rejected", f"deflate bomb: exit {code}, {out}")
check("inflates to more than" in out.get("reason", ""), f"deflate bomb: reason {out.get('reason')!r}")
check(rss < RSS_LIMIT_MB, f"deflate bomb: peak RSS {rss:.0f} MB, limit {RSS_LIMIT_MB} MB")

finish("core_bounded_memory")
