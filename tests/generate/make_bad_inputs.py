#!/usr/bin/python3
"""Write a folder of bad inputs (not DICOM, truncated, lying lengths, deep nesting, ...) plus
expected.json, which lists every entry, the kind of damage and the outcomes a reader may report.

  make_bad_inputs.py --out DIR --from GOOD.dcm [--seed 1] [--depth 50000]

GOOD.dcm must be an uncompressed little endian Part 10 file (explicit or implicit VR), e.g. one
written by make_archive.py --plain; a 64x64 image keeps the folder well under 1 MB.

Outcomes in "acceptable" use the catalog's reject kinds ("not_dicom", "corrupt", "incomplete") plus
"instance" (the file was catalogued). Whatever the outcome, a reader must not crash or hang.
Deterministic: the same arguments give the same bytes. Needs only the standard library.
"""
import argparse
import json
import os
import random
import struct
import sys

# VRs whose explicit-VR encoding has 2 reserved bytes and a 4-byte length (PS3.5 7.1.2).
LONG_VRS = {b"OB", b"OD", b"OF", b"OL", b"OV", b"OW", b"SQ", b"SV", b"UC", b"UN", b"UR", b"UT", b"UV"}
ITEM, ITEM_END, SEQ_END = 0xFFFEE000, 0xFFFEE00D, 0xFFFEE0DD
UNDEFINED = 0xFFFFFFFF
EXPLICIT_LE = "1.2.840.10008.1.2.1"
IMPLICIT_LE = "1.2.840.10008.1.2"
MAX_TOTAL = 20 * 1024 * 1024


# --- Reading the good file ----------------------------------------------------------------------

class Element:
    """Where one top-level element sits in the file."""

    def __init__(self, tag, vr, start, value_start, length):
        self.tag, self.vr, self.start, self.value_start, self.length = tag, vr, start, value_start, length

    @property
    def end(self):
        return self.value_start + self.length


def read_header(data, pos, explicit):
    """(tag, vr, value_start, length) of the element at pos, little endian."""
    group, elem = struct.unpack_from("<HH", data, pos)
    tag = (group << 16) | elem
    if tag in (ITEM, ITEM_END, SEQ_END) or not explicit:
        (length,) = struct.unpack_from("<I", data, pos + 4)
        return tag, None, pos + 8, length
    vr = data[pos + 4:pos + 6]
    if vr in LONG_VRS:
        (length,) = struct.unpack_from("<I", data, pos + 8)
        return tag, vr, pos + 12, length
    (length,) = struct.unpack_from("<H", data, pos + 6)
    return tag, vr, pos + 8, length


def skip_undefined(data, pos, explicit):
    """Position after the delimiter that closes an undefined-length SQ or item starting at pos."""
    depth = 1
    while depth:
        tag, _, value_start, length = read_header(data, pos, explicit)
        if tag in (ITEM_END, SEQ_END):
            depth -= 1
            pos = value_start
        elif length == UNDEFINED:
            depth += 1
            pos = value_start
        else:
            pos = value_start + length
    return pos


def walk(data, pos, end, explicit):
    """Top-level elements from pos to end (sequences are skipped over, not entered)."""
    elements = []
    while pos < end:
        tag, vr, value_start, length = read_header(data, pos, explicit)
        if length == UNDEFINED:
            stop = skip_undefined(data, value_start, explicit)
            elements.append(Element(tag, vr, pos, value_start, stop - value_start))
            pos = stop
        else:
            elements.append(Element(tag, vr, pos, value_start, length))
            pos = value_start + length
    return elements


def parse_good(data):
    if len(data) < 144 or data[128:132] != b"DICM":
        sys.exit("--from: not a Part 10 file (no 'DICM' at offset 128)")
    meta = walk(data, 132, 132 + 12 + struct.unpack_from("<I", data, 140)[0], True)
    meta_end = meta[-1].end
    ts = next((data[e.value_start:e.end].rstrip(b"\0 ").decode() for e in meta if e.tag == 0x00020010), "")
    if ts not in (EXPLICIT_LE, IMPLICIT_LE):
        sys.exit(f"--from: transfer syntax {ts} not supported; use explicit or implicit VR little endian")
    explicit = ts == EXPLICIT_LE
    elements = walk(data, meta_end, len(data), explicit)
    return meta, meta_end, explicit, elements


# --- Building bad files -------------------------------------------------------------------------

def element_bytes(group, elem, vr, value, explicit=True, length=None):
    """Encode one little endian element; length overrides the real value length (to lie)."""
    length = len(value) if length is None else length
    head = struct.pack("<HH", group, elem)
    if not explicit:
        return head + struct.pack("<I", length) + value
    if vr.encode() in LONG_VRS:
        return head + vr.encode() + b"\0\0" + struct.pack("<I", length) + value
    return head + vr.encode() + struct.pack("<H", length) + value


def delimiter(elem, length):
    """An item (E000), item delimiter (E00D) or sequence delimiter (E0DD) header."""
    return struct.pack("<HHI", 0xFFFE, elem, length)


def text(value, pad=b" "):
    raw = value.encode("ascii")
    return raw + pad if len(raw) % 2 else raw


def meta_header(sop_class, sop_instance, transfer_syntax=EXPLICIT_LE):
    """A valid preamble, 'DICM' and File Meta Information group."""
    body = b"".join([
        element_bytes(0x0002, 0x0001, "OB", b"\0\1"),
        element_bytes(0x0002, 0x0002, "UI", text(sop_class, b"\0")),
        element_bytes(0x0002, 0x0003, "UI", text(sop_instance, b"\0")),
        element_bytes(0x0002, 0x0010, "UI", text(transfer_syntax, b"\0")),
        element_bytes(0x0002, 0x0012, "UI", text("2.25.1234567890", b"\0")),
    ])
    return b"\0" * 128 + b"DICM" + element_bytes(0x0002, 0x0000, "UL", struct.pack("<I", len(body))) + body


def deep_sequence(depth):
    """A Basic Text SR whose ContentSequence nests `depth` levels, all undefined lengths. Built with
    bytes.join, not recursion, so the generator itself has no depth limit."""
    sop_class, sop_instance = "1.2.840.10008.5.1.4.1.1.88.11", "2.25.4242424242"
    head = b"".join([
        element_bytes(0x0008, 0x0016, "UI", text(sop_class, b"\0")),
        element_bytes(0x0008, 0x0018, "UI", text(sop_instance, b"\0")),
        element_bytes(0x0008, 0x0060, "CS", text("SR")),
        element_bytes(0x0010, 0x0020, "LO", text("DEEP1")),
        element_bytes(0x0020, 0x000D, "UI", text("2.25.4242424243", b"\0")),
        element_bytes(0x0020, 0x000E, "UI", text("2.25.4242424244", b"\0")),
    ])
    open_level = element_bytes(0x0040, 0xA730, "SQ", b"", length=UNDEFINED) + delimiter(0xE000, UNDEFINED)
    close_level = delimiter(0xE00D, 0) + delimiter(0xE0DD, 0)
    return meta_header(sop_class, sop_instance) + head + open_level * depth + close_level * depth


def truncation_offsets(data, meta_end, elements, pixel):
    """About 20 offsets spread over the header plus the interesting edges, with what they cut."""
    header_end = pixel.start if pixel else len(data)
    offsets = {1 + (header_end - 1) * k // 20 for k in range(20)}
    offsets |= {64, 128, 130, 132, 140, meta_end, meta_end + 3}
    for e in elements:  # a few element edges: boundary, inside the tag, inside the value
        if e.tag in (0x00080018, 0x00100010, 0x0020000E):
            offsets |= {e.start, e.start + 2, e.value_start + max(1, e.length // 2)}
    offsets.add(header_end)  # everything but the pixel data element
    if pixel:
        offsets |= {pixel.start + 6, pixel.value_start, pixel.value_start + 1,
                    pixel.value_start + pixel.length // 2, len(data) - 1}
    return sorted(o for o in offsets if 0 < o < len(data))


def describe_cut(offset, meta_end, elements, pixel):
    """(region, where, acceptable outcomes) for a file cut at offset."""
    if offset < 128:
        return "preamble", "inside", ["not_dicom"]
    if offset < 132:
        return "prefix", "inside", ["not_dicom"]
    if offset < meta_end:
        return "meta", "inside", ["corrupt", "not_dicom"]
    if pixel and offset >= pixel.start:
        # the whole header is there: a reader that stops before the pixels may catalogue it
        return "pixel_data", "boundary" if offset == pixel.start else "inside", ["instance", "corrupt"]
    boundaries = {meta_end} | {e.start for e in elements}
    if offset in boundaries:
        # a well-formed but shorter dataset: may lack what a catalog needs
        return "dataset", "boundary", ["instance", "incomplete", "corrupt"]
    return "dataset", "inside", ["corrupt", "incomplete"]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True)
    parser.add_argument("--from", dest="good", required=True, metavar="GOOD.dcm")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--depth", type=int, default=50000, help="sequence nesting depth (default 50000)")
    args = parser.parse_args(argv)

    rng = random.Random(args.seed)
    with open(args.good, "rb") as f:
        good = f.read()
    meta, meta_end, explicit, elements = parse_good(good)
    by_tag = {e.tag: e for e in elements}
    pixel = by_tag.get(0x7FE00010)
    os.makedirs(args.out, exist_ok=True)
    entries = []

    def add(name, content, kind, description, acceptable, **extra):
        with open(os.path.join(args.out, name), "wb") as f:
            f.write(content)
        entries.append(dict(path=name, kind=kind, size=len(content), description=description,
                            acceptable=acceptable, **extra))

    def random_bytes(n):
        data = bytearray(rng.getrandbits(8) for _ in range(n))
        if len(data) >= 132 and data[128:132] == b"DICM":
            data[128] ^= 0xFF  # never a DICM marker by chance
        return bytes(data)

    # Not DICOM at all.
    add("empty.dcm", b"", "empty", "0 bytes", ["not_dicom"])
    add("random_132.bin", random_bytes(132), "random", "132 random bytes (preamble + prefix size)",
        ["not_dicom"])
    add("random_64k.dcm", random_bytes(64 * 1024), "random", "64 KiB random bytes", ["not_dicom"])
    add("x.dcm", b"This is a text file with a .dcm name, not DICOM.\n" * 4, "text",
        "plain text named x.dcm", ["not_dicom"])
    add("dicm_garbage.dcm", b"\0" * 128 + b"DICM" + random_bytes(2048), "garbage_after_prefix",
        "valid preamble and 'DICM', random bytes after", ["corrupt", "not_dicom"])

    # The good file cut short.
    for offset in truncation_offsets(good, meta_end, elements, pixel):
        region, where, acceptable = describe_cut(offset, meta_end, elements, pixel)
        add(f"truncated_{offset:07d}.dcm", good[:offset], "truncated",
            f"{os.path.basename(args.good)} cut after {offset} of {len(good)} bytes ({region}, {where})",
            acceptable, offset=offset, region=region, cut=where)

    # Lengths that point past the end of the file.
    name_elem = by_tag.get(0x00100010) or elements[len(elements) // 2]
    claimed = 0xFFFE if explicit else 0x7FFFFFF0  # explicit VR PN has a 2-byte length
    lying = good[:name_elem.start] + element_bytes(
        name_elem.tag >> 16, name_elem.tag & 0xFFFF, "PN", b"Doe^John  ", explicit, length=claimed)
    add("length_past_eof_header.dcm", lying, "length_past_eof",
        "an element in the header claims more bytes than the file has", ["corrupt", "incomplete"])
    # ContentSequence (0040,A730): after the image header's groups, so tag order stays ascending
    sq = element_bytes(0x0040, 0xA730, "SQ", b"", explicit, length=0x7FFFFFF0) + delimiter(0xE000, 0x7FFFFFE0)
    add("length_past_eof_sequence.dcm", good[:(pixel or elements[-1]).start] + sq, "length_past_eof",
        "a defined-length sequence and item that run far past the end of the file", ["corrupt", "incomplete"])
    if pixel:
        patched = bytearray(good)
        length_at = pixel.value_start - 4
        struct.pack_into("<I", patched, length_at, pixel.length + 0x100000)
        add("length_past_eof_pixeldata.dcm", bytes(patched), "length_past_eof",
            "Pixel Data claims 1 MiB more than the file has", ["instance", "corrupt"])

    # Deep nesting and odd lengths.
    add("deep_sequence.dcm", deep_sequence(args.depth), "deep_nesting",
        f"explicit VR LE dataset with a sequence nested {args.depth} levels (undefined lengths)",
        ["corrupt", "instance"], depth=args.depth)
    target = by_tag.get(0x00100010) or by_tag.get(0x00080080)
    if target:
        odd = element_bytes(target.tag >> 16, target.tag & 0xFFFF, "PN" if target.tag == 0x00100010 else "LO",
                            b"Odd^Len", explicit)  # 7 bytes: DICOM requires even lengths
        add("odd_length.dcm", good[:target.start] + odd + good[target.end:], "odd_length",
            f"element ({target.tag >> 16:04X},{target.tag & 0xFFFF:04X}) has odd length 7",
            ["instance", "corrupt"])

    # A directory that looks like a file.
    os.makedirs(os.path.join(args.out, "dir.dcm"), exist_ok=True)
    entries.append(dict(path="dir.dcm", kind="directory", size=None,
                        description="a directory named like a DICOM file (empty)", acceptable=["ignored"]))

    total = sum(e["size"] or 0 for e in entries)
    with open(os.path.join(args.out, "expected.json"), "w", encoding="utf-8") as f:
        header = {"generator": "make_bad_inputs.py", "source": os.path.basename(args.good),
                  "source_size": len(good), "seed": args.seed}
        f.write(json.dumps(header, indent=1)[:-2] + ',\n "files": [\n')  # one entry per line
        f.write(",\n".join(json.dumps(e) for e in entries))
        f.write("\n ]\n}\n")
    print(f"{len(entries)} bad inputs, {total} bytes, in {args.out}", file=sys.stderr)
    if total > MAX_TOTAL:
        print(f"warning: more than {MAX_TOTAL} bytes; use a smaller --from file", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
