#!/usr/bin/env bash
# C-STORE throughput on one connection: storescu (DCMTK, one association for all files) against
# dicometl upload --connections 1 (associations of up to 60 files), both to a throwaway Orthanc on
# loopback, alternating, median of 3. Small instances, so the per-instance round trip (and Nagle's
# delayed-ACK wait, which TCP_NODELAY removes) dominates. Twice: against Orthanc as Debian ships
# it (its DCMTK leaves Nagle on for the server's answers too) and against Orthanc started with
# TCP_NODELAY=1 (the server's half of the wait gone as well).
# Usage: bench/cstore_bench.sh [N_INSTANCES] [WORKDIR]   (default 200, a fresh temporary folder)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-200}
work=${2:-$(mktemp -d /var/tmp/dicometl-cstore-XXXXXX)}
bin=build/src/cli/dicometl
mkdir -p "$work"
/usr/bin/python3 tests/generate/make_archive.py --out "$work/arch" --total-instances "$n" --plain \
  --rows 32 --cols 32 --modality-mix CT --seed 21 >/dev/null
mapfile -t files < <(find "$work/arch" -name '*.dcm' | sort)
trap 'bash tests/support/orthanc_server.sh stop "$work/orthanc" 2>/dev/null || true' EXIT
clear() {  # empty Orthanc between runs, so every run stores every instance
  /usr/bin/python3 - "$http" <<'PY'
import json, sys, urllib.request
base = f"http://127.0.0.1:{sys.argv[1]}"
for i in json.load(urllib.request.urlopen(base + "/instances")):
    urllib.request.urlopen(urllib.request.Request(base + "/instances/" + i, method="DELETE"))
PY
}
"$bin" ingest "$work/arch" --db "sqlite:$work/cat.db" -q >/dev/null
secs() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null 2>&1; t1=$(date +%s.%N); echo "$t1 - $t0" | bc -l; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "machine: $(nproc) cores, $(uname -r), load $(cut -d' ' -f1 /proc/loadavg); $n instances of $(stat -c %s "${files[0]}") bytes"
printf '| C-STORE, one connection, median of 3 | server | seconds | instances/s |\n|---|---|---|---|\n'
for server_nodelay in 0 1; do
  label="Orthanc as shipped"; env_server=(env -u TCP_NODELAY)
  if [[ $server_nodelay == 1 ]]; then label="Orthanc with TCP_NODELAY=1"; env_server=(env TCP_NODELAY=1); fi
  read -r http dicom < <("${env_server[@]}" bash tests/support/orthanc_server.sh start "$work/orthanc" ORTHANC)
  ref=(); ours=()
  for i in 1 2 3; do
    clear
    ref+=("$(secs env -u TCP_NODELAY storescu -aec ORTHANC 127.0.0.1 "$dicom" "${files[@]}")")
    clear
    ours+=("$(secs env -u TCP_NODELAY "$bin" upload --db "sqlite:$work/cat.db" \
              --to "dicom://ORTHANC@127.0.0.1:$dicom" --connections 1 --resend -q)")
  done
  bash tests/support/orthanc_server.sh stop "$work/orthanc"
  r=$(printf '%s\n' "${ref[@]}" | median)
  o=$(printf '%s\n' "${ours[@]}" | median)
  awk -v n="$n" -v r="$r" -v o="$o" -v l="$label" 'BEGIN {
    printf "| storescu (DCMTK 3.6.7, Nagle on) | %s | %.2f | %.0f |\n", l, r, n / r
    printf "| dicometl upload --connections 1 | %s | %.2f | %.0f (%.1fx) |\n", l, o, n / o, r / o
  }'
done
