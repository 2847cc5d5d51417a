#!/usr/bin/env bash
# Cold-cache ingest benchmark (issue 15): the page cache is dropped before each run, and each run
# reports its seconds and the bytes read from the block device that holds the archive, side by
# side for dicometl, the bare floor (bench/bare_read.cpp: open + read 8 KiB per file) and the
# pydicom reference. Needs root (drop_caches). Results: docs/benchmarks.md.
#
# Usage: bench/cold_ingest_bench.sh [ARCHIVE] [RUNS] [-- EXTRA dicometl ingest OPTIONS]
#   ARCHIVE  default /var/tmp/dicometl-bench/ctreal10k (bench/run_ingest_bench.sh generates it)
#   RUNS     cold runs of each program, alternating (default 3); medians are printed last
#   BIN=path/to/dicometl to measure another build; IO_DEPTHS="0 8 32" also runs dicometl with --io-depth N for each N (0 = the option left out)
#
# Bytes read come from two counters: the device's sectors read in /proc/diskstats (what the
# issue asks for; other processes on the machine add to it), and the program's own file-system
# inputs (getrusage ru_inblock via /usr/bin/time %I, 512-byte units: only this program's reads).
# Before each timed run the program is started once after the drop (--version, or importing
# pydicom), so its own binary and libraries are not counted: what remains is the archive's
# directories, inodes and file bytes. The catalogs go to /dev/shm so that writes stay off the disk.
set -euo pipefail
cd "$(dirname "$0")/.."
archive=${1:-/var/tmp/dicometl-bench/ctreal10k}
runs=${2:-3}
shift $(($# > 2 ? 2 : $#))
[[ ${1:-} == -- ]] && shift
extra=("$@")
bin=${BIN:-build/src/cli/dicometl}
py=/usr/bin/python3
out=$(mktemp -d /dev/shm/dicometl-cold.XXXXXX)
trap 'rm -rf "$out"' EXIT
[[ -w /proc/sys/vm/drop_caches ]] || { echo "needs root (drop_caches)" >&2; exit 2; }
[[ -d $archive ]] || { echo "no archive at $archive (run bench/run_ingest_bench.sh first)" >&2; exit 2; }

device=$(basename "$(findmnt -no SOURCE -T "$archive")")
sectors() { awk -v d="$device" '$3 == d {print $6}' /proc/diskstats; }
archive_bytes=$(du -sb "$archive" | cut -f1)
files=$(find "$archive" -type f | wc -l)

drop() { sync; echo 3 > /proc/sys/vm/drop_caches; }
# cold NAME WARM-UP-COMMAND -- COMMAND...: prints "NAME seconds device_bytes own_bytes"
cold() {
  local name=$1; shift
  local warmup=()
  while [[ $1 != -- ]]; do warmup+=("$1"); shift; done
  shift
  [[ -n ${nodrop:-} ]] || drop
  "${warmup[@]}" >/dev/null 2>&1 || true
  local s0 s1
  s0=$(sectors)
  /usr/bin/time -f "%e %I" -o "$out/time.txt" "$@" >/dev/null 2>"$out/stderr.txt" || true
  s1=$(sectors)
  read -r secs inblock < "$out/time.txt"
  echo "$name $secs $(((s1 - s0) * 512)) $((inblock * 512))"
}

echo "machine: $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB, $(uname -r); archive on /dev/$device" \
     "(read_ahead_kb $(cat /sys/block/"$device"/queue/read_ahead_kb 2>/dev/null || echo ?)); load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "archive: $archive, $files files, $((archive_bytes >> 20)) MiB"
depths=(${IO_DEPTHS:-0})
results=()
for ((i = 1; i <= runs; i++)); do
  results+=("$(cold bare build/bench/bare_read /nonexistent 1 -- build/bench/bare_read "$archive" "$(nproc)")")
  for d in "${depths[@]}"; do
    rm -f "$out"/cat.db*
    opt=(); name=dicometl
    if [[ $d != 0 ]]; then opt=(--io-depth "$d"); name="dicometl--io-depth=$d"; fi
    results+=("$(cold "$name" "$bin" --version -- "$bin" ingest "$archive" --db "sqlite:$out/cat.db" -q "${opt[@]}" "${extra[@]}")")
    if [[ $d == 0 ]]; then
      # The same again without the drop: what it read is cached, so this is its time without
      # waiting for the disk (the CPU-bound part of a cold run on this machine).
      rm -f "$out"/cat.db*
      results+=("$(nodrop=1 cold dicometl-warm-after true -- "$bin" ingest "$archive" --db "sqlite:$out/cat.db" -q "${extra[@]}")")
    fi
  done
  rm -f "$out/ref.db"
  [[ -n ${NO_REFERENCE:-} ]] || results+=("$(cold pydicom "$py" -c "import pydicom, sqlite3" -- "$py" bench/reference/pydicom_sqlite.py "$archive" "$out/ref.db")")
  printf '%s\n' "${results[@]: -$((${#depths[@]} + 3))}" >&2
done

printf '%s\n' "${results[@]}" | awk -v ab="$archive_bytes" -v f="$files" -v runs="$runs" '
  function median(name, field,   n, i, j, t, a) {
    n = 0
    for (i = 1; i <= N; i++) if (nm[i] == name) a[++n] = val[i, field]
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
    return a[int((n + 1) / 2)]
  }
  { N++; nm[N] = $1; val[N, 2] = $2; val[N, 3] = $3; val[N, 4] = $4; if (!($1 in seen)) { seen[$1] = 1; order[++K] = $1 } }
  END {
    bare = median("bare", 2)
    printf "\n| cold run, median of %d | seconds | files/s | read from the device | its own reads (ru_inblock) | per file | vs bare floor |\n", runs
    printf "|---|---|---|---|---|---|---|\n"
    for (k = 1; k <= K; k++) {
      n = order[k]; s = median(n, 2); dev = median(n, 3); own = median(n, 4)
      printf "| %s | %.2f | %.0f | %.1f MiB = %.2f%% of the archive | %.1f MiB = %.2f%% | %.1f KiB | %.2fx |\n",
        n, s, f / s, dev / 1048576, 100 * dev / ab, own / 1048576, 100 * own / ab, own / f / 1024, s / bare
    }
  }'
