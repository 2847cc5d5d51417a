#!/usr/bin/env bash
# DXA extraction benchmark (not a test): pages per second, peak RSS and the share of thread time
# spent in OCR (page pass + cell passes) for `dicometl dexa`, per resolution tier, on one core
# (-j 1) and on all cores.
#
#   bench/dexa_bench.sh DICOMETL [PER_LAYOUT=2] [TIERS=90,120,150,300] [SEED=1]
#
# Pages: the realism ladder (tests/generate/make_dexa_pages.py --ladder: 14 layouts, 10 with
# results and 4 that must give nothing, PER_LAYOUT pages each per tier; anti-aliased text, JPEG,
# noise, rotation), generated once into bench/results/dexa-ladder-P-S. Every page is rendered
# and OCRed, so "pages" counts candidates, not only pages with a table. Peak RSS is the largest
# resident set of the dicometl process and "CPU per page" its user+system time / pages (getrusage
# of the child): on a shared machine CPU time stays meaningful when wall time does not. The
# numbers in docs/dexa.md ("Benchmark") come from this script.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
dicometl=${1:?path to the dicometl binary}
per_layout=${2:-2}
tiers=${3:-90,120,150,300}
seed=${4:-1}
out="$root/bench/results"
pages="$out/dexa-ladder-$per_layout-$seed"
mkdir -p "$out"
if [[ ! -f "$pages.json" ]]; then
  /usr/bin/python3 "$root/tests/generate/make_dexa_pages.py" --ladder --out "$pages" --truth "$pages.json" \
    --per-layout "$per_layout" --dpis "$tiers" --seed "$seed" >/dev/null
fi
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
for tier in ${tiers//,/ }; do
  dir="$pages/ladder/$tier"
  size=$(/usr/bin/python3 -c "import json,sys; p=[q for q in json.load(open(sys.argv[1]))['pages'] if q['tier']==$tier][0]; print('%dx%d' % tuple(p['size']))" "$pages.json")
  echo "tier $tier ppi: $(find "$dir" -name '*.dcm' | wc -l) pages of $size px ($(du -sh "$dir" | cut -f1))"
  for jobs in 1 "$(nproc)"; do
    /usr/bin/python3 - "$dicometl" "$dir" "$jobs" <<'PY'
import json, resource, subprocess, sys
dicometl, folder, jobs = sys.argv[1], sys.argv[2], int(sys.argv[3])
run = subprocess.run([dicometl, "dexa", folder, "--json", "-q", "-j", str(jobs), "--csv", "/dev/null"],
                     capture_output=True, text=True)
use = resource.getrusage(resource.RUSAGE_CHILDREN)
rss_mb, cpu = use.ru_maxrss / 1024, use.ru_utime + use.ru_stime
j = json.loads(run.stdout.strip().splitlines()[-1])
threads = j["seconds_header"] + j["seconds_render"] + j["seconds_preprocess"] + j["seconds_ocr"] + j["seconds_parse"]
pages = j["candidates"]
print(f"  -j {jobs}: {pages} pages in {j['seconds']:.2f} s wall = {pages / j['seconds']:.2f} pages/s, "
      f"CPU {cpu / pages:.2f} s per page, peak RSS {rss_mb:.0f} MB; thread time: OCR page pass "
      f"{100 * j['seconds_ocr'] / threads:.0f}%, OCR cell passes {100 * j['seconds_reread'] / threads:.0f}%, "
      f"preprocess {100 * j['seconds_preprocess'] / threads:.0f}%, render {100 * j['seconds_render'] / threads:.0f}%; "
      f"values {j['values']}, flagged {j['flagged']}")
PY
  done
done
