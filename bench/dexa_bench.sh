#!/usr/bin/env bash
# DXA extraction benchmark (not a test): report pages per second per core, and the share of
# thread time spent in OCR (page pass + cell pass), for `dicometl dexa`.
#
#   bench/dexa_bench.sh DICOMETL [PATIENTS=8] [DPI=150]
#
# Generates clean report pages once (tests/generate/make_dexa_pages.py, 2 pages per patient,
# Hologic and GE Lunar alternating) into bench/results/dexa-P-D, then runs with 1 thread and with
# all cores. Prints one line per run; the numbers in docs/dexa.md come from this script.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
dicometl=${1:?path to the dicometl binary}
patients=${2:-8}
dpi=${3:-150}
out="$root/bench/results"
pages="$out/dexa-$patients-$dpi"
mkdir -p "$out"
if [[ ! -d "$pages" ]]; then
  /usr/bin/python3 "$root/tests/generate/make_dexa_pages.py" --out "$pages" --truth "$pages.json" \
    --patients "$patients" --variants clean --dpi "$dpi" --no-extras >/dev/null
fi
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "pages: $(find "$pages" -name '*.dcm' | wc -l) report pages at $dpi dpi ($(du -sh "$pages" | cut -f1))"
for jobs in 1 "$(nproc)"; do
  json=$("$dicometl" dexa "$pages" --json -q -j "$jobs" | tail -1)
  /usr/bin/python3 - "$jobs" "$json" <<'PY'
import json, sys
jobs, j = int(sys.argv[1]), json.loads(sys.argv[2])
threads = j["seconds_header"] + j["seconds_render"] + j["seconds_preprocess"] + j["seconds_ocr"] + j["seconds_parse"]
print(f"-j {jobs}: {j['pages_read']} pages in {j['seconds']:.2f} s wall = {j['pages_read'] / j['seconds']:.2f} pages/s, "
      f"{j['pages_read'] / j['seconds'] / jobs:.2f} pages/s per core; thread time: OCR page pass "
      f"{100 * j['seconds_ocr'] / threads:.0f}%, OCR cell pass {100 * j['seconds_reread'] / threads:.0f}%, "
      f"preprocess {100 * j['seconds_preprocess'] / threads:.0f}%, render {100 * j['seconds_render'] / threads:.0f}%, "
      f"rest {100 * (threads - j['seconds_ocr'] - j['seconds_reread'] - j['seconds_preprocess'] - j['seconds_render']) / threads:.0f}%; "
      f"values {j['values']}, flagged {j['flagged']}")
PY
done
