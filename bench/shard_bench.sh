#!/usr/bin/env bash
# Scale-out benchmark (not a test): N = 1, 2, 4 shards as separate processes on this machine,
# all writing into one PostgreSQL, for `ingest --shard K/N` and then `omop --shard K/N`.
#
#   bench/shard_bench.sh DICOMETL [INSTANCES=4000] [ROWS=64] [JOBS_PER_PROCESS=1]
#
# A throwaway PostgreSQL 15 (tests/support/pg_server.sh: fsync off), one database per N; the
# archive is generated once into bench/results/ and its page cache warmed. Prints a Markdown
# table (median of REPS=3 runs): wall seconds from the first process started to the last one
# done, files/s, and the CPU the dicometl processes spent (the server's excluded). On a machine with fewer
# cores than N × JOBS the processes share cores: the figure then shows what sharding costs
# (writer lock, connections), not what N machines would gain.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
dicometl=${1:?path to the dicometl binary}
n=${2:-4000}
rows=${3:-64}
jobs=${4:-1}
out="$root/bench/results"
mkdir -p "$out"
arch=${ARCHIVE:-$out/archive-$n-$rows}
if [[ ! -d "$arch" ]]; then
  /usr/bin/python3 "$root/tests/generate/make_archive.py" --out "$arch" --total-instances "$n" \
    --rows "$rows" --cols "$rows" --modality-mix CT:4,MR:3,CR:1 --syntax-mix off >/dev/null
fi
chmod -R a+rX "$arch"
find "$arch" -type f -exec cat {} + >/dev/null
pg=$(mktemp -d -u /tmp/dicometl-shard-bench-pg.XXXXXX)
"$root/tests/support/pg_server.sh" start "$pg" >/dev/null
trap '"$root/tests/support/pg_server.sh" stop "$pg"' EXIT
reps=${REPS:-3}
now() { date +%s.%N; }

# Runs N processes of `dicometl STEP --shard K/N ARGS...` at once; prints "seconds cpu_seconds"
# (CPU: user + system of the dicometl processes, not the server's, not other load's).
shards() {
  local step=$1 count=$2 k t0 pids=() cpu
  shift 2
  cpu=$(mktemp)
  t0=$(now)
  for ((k = 0; k < count; k++)); do
    /usr/bin/time -a -o "$cpu" -f "%U %S" "$dicometl" "$step" "$@" --shard "$k/$count" \
      >>"$out/shard-bench.log" 2>&1 &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p" || [[ $? -eq 1 ]]; done
  echo "$(echo "$(now) - $t0" | bc -l) $(awk '{s += $1 + $2} END {print s}' "$cpu")"
  rm -f "$cpu"
}
median() { sort -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load average $(cut -d' ' -f1-3 /proc/loadavg) at start"
echo "archive: $n instances (${rows}x${rows}, CT/MR/CR), $(du -sh "$arch" | cut -f1); -j $jobs per process; PostgreSQL 15, fsync off; median of $reps runs"
echo
echo "| N | ingest s | ingest files/s | ingest cpu-s | omop s | omop instances/s | omop cpu-s |"
echo "|---|---|---|---|---|---|---|"
for count in 1 2 4; do
  results=()
  for ((r = 0; r < reps; r++)); do
    db=$("$root/tests/support/pg_server.sh" createdb "$pg" "shards${count}_$r")
    "$dicometl" vocab load --db "$db" >/dev/null
    read -r is ic < <(shards ingest "$count" "$arch" --db "$db" -j "$jobs" -q)
    read -r os oc < <(shards omop "$count" --db "$db" --missing-person create)
    results+=("$is $ic $os $oc")
  done
  col() { printf '%s\n' "${results[@]}" | cut -d' ' -f"$1" | median; }
  is=$(col 1) ic=$(col 2) os=$(col 3) oc=$(col 4)
  printf '| %d | %.2f | %.0f | %.1f | %.2f | %.0f | %.1f |\n' "$count" "$is" "$(echo "$n / $is" | bc -l)" "$ic" \
    "$os" "$(echo "$n / $os" | bc -l)" "$oc"
done
