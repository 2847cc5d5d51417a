#!/usr/bin/env bash
# Ingest benchmark (issue: core catalog). Generates the archives once, then measures on a warm page
# cache, in one run: the seed projects' way (pydicom + sqlite3), dicometl's first run, a no-change
# re-run, the bare cost of opening each file and reading 8 KiB, and peak RSS at 10k and 100k files.
# Usage: bench/run_ingest_bench.sh [WORKDIR]   (default /var/tmp/dicometl-bench; needs ~11 GB)
# ARCHIVE=real (default): 10,000 CT slices with scanner-shaped headers (~300 elements, private
# groups, sequences: make_archive.py --realistic-headers); ARCHIVE=small-headers: the same slices
# with the generator's ~60-element headers (the figures before issue 15). SKIP_SMALL=1 leaves out the
# small-file archives (10k and 100k files) and their peak RSS lines.
# Cold-cache runs (page cache dropped, bytes read from the disk): bench/cold_ingest_bench.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-/var/tmp/dicometl-bench}
bin=build/src/cli/dicometl
mkdir -p "$work"
gen() {  # dir, args...
  local d=$1; shift
  [[ -f $d.json ]] || /usr/bin/python3 tests/generate/make_archive.py --out "$d" --manifest "$d.json" "$@" >/dev/null
}
gen "$work/ct10k" --total-instances 10000 --rows 512 --cols 512 --modality-mix CT --syntax-mix off --seed 11
gen "$work/ctreal10k" --total-instances 10000 --rows 512 --cols 512 --modality-mix CT --syntax-mix off \
    --realistic-headers --seed 11
archive=$work/ctreal10k
[[ ${ARCHIVE:-real} == small-headers ]] && archive=$work/ct10k
smalls=(10k 100k)
[[ -n ${SKIP_SMALL:-} ]] && smalls=()  # SKIP_SMALL=1: no small-file archives, no RSS lines for them
[[ -n ${SKIP_SMALL:-} ]] || gen "$work/small10k" --total-instances 10000 --plain --seed 12
[[ -n ${SKIP_SMALL:-} ]] || gen "$work/small100k" --total-instances 100000 --plain --seed 13

warm() { find "$1" -type f -print0 | xargs -0 cat >/dev/null; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# Peak RSS (kB), wall seconds and CPU seconds (user + system, this process and its threads) of a command.
measure() {
  /usr/bin/time -f "%M %e %U %S" -o "$work/time.txt" "$@" >/dev/null 2>"$work/stderr.txt" || true
  awk '{print $1, $2, $3 + $4}' "$work/time.txt"
}

echo "machine: $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB, $(uname -r)"
warm "$archive"
files=$(find "$archive" -type f | wc -l)

# The reference and dicometl alternate (ref, dicometl, ref, dicometl…), so a slow phase of the
# machine (another job, thermal throttling) weighs on both sides alike.
ref=(); first=(); rerun=(); rss=(); ref_cpu=(); cpu=()
for i in 1 2 3; do
  rm -f "$work/ref.db"
  read -r kb s c < <(measure /usr/bin/python3 bench/reference/pydicom_sqlite.py "$archive" "$work/ref.db")
  ref+=("$s"); ref_cpu+=("$c")
  rm -f "$work/cat.db"*
  read -r kb s c < <(measure "$bin" ingest "$archive" --db "sqlite:$work/cat.db" -q)
  first+=("$s"); rss+=("$kb"); cpu+=("$c")
  catalog_bytes=$(du -cb "$work"/cat.db* | tail -1 | cut -f1)
  read -r kb s c < <(measure "$bin" ingest "$archive" --db "sqlite:$work/cat.db" -q)
  rerun+=("$s")
done
ref_cpu_s=$(printf '%s\n' "${ref_cpu[@]}" | median)
cpu_s=$(printf '%s\n' "${cpu[@]}" | median)
ref_s=$(printf '%s\n' "${ref[@]}" | median)
first_s=$(printf '%s\n' "${first[@]}" | median)
rerun_s=$(printf '%s\n' "${rerun[@]}" | median)
# CPU work of one first run, all processes (from /proc/stat): with every core busy all along, the
# run could not take less than work / cores, which bounds any speed-up over the reference.
busy() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; }
rm -f "$work/cat.db"*
b0=$(busy); "$bin" ingest "$archive" --db "sqlite:$work/cat.db" -q >/dev/null 2>&1; b1=$(busy)
work_s=$(echo "($b1 - $b0) / $(getconf CLK_TCK)" | bc -l)
bare_s=$(build/bench/bare_read "$archive" "$(nproc)" | sed 's/.*seconds=\([0-9.]*\).*/\1/')
# The CPU floor of a first run on a warm cache, median of 3 each: ingest's system calls per file
# (walk stat, open, fstat, fadvise, pread 8 KiB, close) and the catalog writer alone on rows
# built beforehand (the same SQLite settings, batches and indexes as ingest).
io_floor=(); db_floor=()
for i in 1 2 3; do
  read -r kb s c < <(measure build/bench/bare_read "$archive" "$(nproc)" --as-ingest)
  io_floor+=("$c")
  rm -f "$work/floor.db"*
  db_floor+=("$(build/bench/catalog_write_floor "$archive" "$work/floor.db" | sed 's/.* cpu_s=\([0-9.]*\).*/\1/')")
done
io_floor_s=$(printf '%s\n' "${io_floor[@]}" | median)
db_floor_s=$(printf '%s\n' "${db_floor[@]}" | median)
# The floor of any no-change re-run: listing the tree with each file's size and mtime.
stat=()
for i in 1 2 3; do
  s0=$(date +%s.%N); find "$archive" -type f -printf '%s %T@ %p\n' >/dev/null; s1=$(date +%s.%N)
  stat+=("$(echo "$s1 - $s0" | bc -l)")
done
stat_s=$(printf '%s\n' "${stat[@]}" | median)

rss_small=()
for n in "${smalls[@]}"; do
  warm "$work/small$n"
  rm -f "$work/s.db"*
  read -r kb s < <(measure "$bin" ingest "$work/small$n" --db "sqlite:$work/s.db" -q)
  rss_small+=("$n: $((kb / 1024)) MB peak RSS, $s s")
done

awk -v arch="$(basename "$archive")" -v rc="$ref_cpu_s" -v dc="$cpu_s" -v cb="$catalog_bytes" -v w="$work_s" -v c="$(nproc)" -v f="$files" -v r="$ref_s" -v d="$first_s" -v n="$rerun_s" -v b="$bare_s" -v t="$stat_s" -v m="$(printf '%s\n' "${rss[@]}" | sort -n | tail -1)" -v fi="$io_floor_s" -v fd="$db_floor_s" 'BEGIN {
  printf "| measure | value |\n|---|---|\n"
  printf "| files | %d CT slices, 512x512, 16 bit (%s) |\n", f, arch
  printf "| reference (pydicom + sqlite3), median of 3 | %.2f s, %.0f files/s |\n", r, f / r
  printf "| dicometl ingest, first run, median of 3 | %.2f s, %.0f files/s |\n", d, f / d
  printf "| speed-up over the reference | %.1fx |\n", r / d
  printf "| CPU, user + system, median of 3: reference / dicometl | %.2f cpu-s / %.2f cpu-s = %.1fx |\n", rc, dc, rc / dc
  printf "| catalog (SQLite file after the first run) | %.0f bytes per instance |\n", cb / f
  printf "| no-change re-run | %.3f s = %.1f%% of the first run |\n", n, 100 * n / d
  printf "| its floor: find -printf size+mtime of every file | %.3f s = %.1f%% of the first run |\n", t, 100 * t / d
  printf "| bare open + read 8 KiB per file | %.3f s, %.0f files/s; dicometl takes %.1fx that |\n", b, f / b, d / b
  printf "| peak RSS, first run | %d MB |\n", m / 1024
  printf "| CPU floor: ingest system calls per file / catalog writer alone | %.2f + %.2f = %.2f cpu-s: at most %.1fx the reference |\n", fi, fd, fi + fd, rc / (fi + fd)
  printf "| CPU work of a first run (all processes, /proc/stat) | %.2f cpu-s: no faster than %.2f s on %d cores, so at most %.1fx the reference |\n", w, w / c, c, r / (w / c)
}'
[[ ${#rss_small[@]} -eq 0 ]] || printf '| peak RSS, small files | %s |\n' "${rss_small[@]}"
