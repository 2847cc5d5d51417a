#!/usr/bin/env bash
# Memory against archive size (issue 15): peak RSS and time per file of `dicometl ingest` on
# 1,000,000 small files, against the first 10,000 of them. Generated once under WORKDIR: 1,000
# small instances from tests/generate/make_archive.py (8x8 pixels, plain), each cloned 1,000 times
# with its SOP Instance UID's last 7 digits replaced by the clone's number (same length, so the
# files stay valid; no pydicom per clone, which would take an hour). 1,000 folders of 1,000 files,
# ~4 GB on disk with the catalog. Runs on a warm page cache as far as the machine allows.
# Usage: bench/million_files_bench.sh [WORKDIR] [FILES]   (default /var/tmp/dicometl-bench, 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-/var/tmp/dicometl-bench}
total=${2:-1000000}
bin=build/src/cli/dicometl
tree=$work/small$((total / 1000))k-clones
if [[ ! -f $tree.done ]]; then
  rm -rf "$tree" "$work/clone-template"
  /usr/bin/python3 tests/generate/make_archive.py --out "$work/clone-template" --total-instances 1000 \
      --plain --rows 8 --cols 8 --seed 14 >/dev/null 2>&1
  /usr/bin/python3 - "$work/clone-template" "$tree" "$total" <<'EOF'
import os, sys
src, out, total = sys.argv[1], sys.argv[2], int(sys.argv[3])
templates = []
for d, _, files in os.walk(src):
    for f in sorted(files):
        data = open(os.path.join(d, f), "rb").read()
        # The SOP Instance UID (0008,0018) as written: tag, VR "UI", 2-byte length, value.
        at = data.index(b"\x08\x00\x18\x00UI")
        n = int.from_bytes(data[at + 6:at + 8], "little")
        uid = data[at + 8:at + 8 + n].rstrip(b"\0")
        templates.append((data, uid))
templates.sort(key=lambda t: t[1])
for i in range(total):
    data, uid = templates[i % len(templates)]
    new = uid[:-7] + b"%07d" % (i // len(templates))
    folder = os.path.join(out, f"d{i // 1000:04d}")
    if i % 1000 == 0:
        os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, f"f{i % 1000:04d}.dcm"), "wb") as f:
        f.write(data.replace(uid, new))  # the meta header's copy of the UID changes with it
EOF
  touch "$tree.done"
fi

measure() {  # prints: peak RSS MB, wall s, cpu s
  /usr/bin/time -f "%M %e %U %S" -o "$work/time.txt" "$@" >/dev/null 2>&1 || true
  awk '{printf "%d %.2f %.2f\n", $1 / 1024, $2, $3 + $4}' "$work/time.txt"
}
echo "machine: $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB, $(uname -r); load: $(cut -d' ' -f1-3 /proc/loadavg)"
first10=()
for ((k = 0; k < 10; k++)); do first10+=("$tree/d$(printf %04d $k)"); done
find "${first10[@]}" -type f -print0 | xargs -0 cat >/dev/null
rm -f "$work"/m10k.db*
read -r rss10 s10 c10 < <(measure "$bin" ingest "${first10[@]}" --db "sqlite:$work/m10k.db" -q)
find "$tree" -type f -print0 | xargs -0 cat >/dev/null
rm -f "$work"/m1m.db*
read -r rss s c < <(measure "$bin" ingest "$tree" --db "sqlite:$work/m1m.db" -q)
rows=$(sqlite3 "$work/m1m.db" "SELECT count(*) FROM instance")
rm -f "$work"/m10k.db* "$work"/m1m.db*
printf '| files | peak RSS | wall | per file | cpu-s | instances catalogued |\n|---|---|---|---|---|---|\n'
awk -v r="$rss10" -v s="$s10" -v c="$c10" 'BEGIN { printf "| 10,000 | %d MB | %.2f s | %.1f µs | %.2f |  |\n", r, s, 1e6 * s / 10000, c }'
awk -v r="$rss" -v s="$s" -v c="$c" -v n="$total" -v rows="$rows" 'BEGIN { printf "| %d | %d MB | %.2f s | %.1f µs | %.2f | %d |\n", n, r, s, 1e6 * s / n, c, rows }'
