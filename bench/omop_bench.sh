#!/usr/bin/env bash
# OMOP-into-PostgreSQL benchmark (not a test): dicometl ingest --omop vs the pydicom + psycopg2
# reference (bench/reference/pydicom_psycopg2.py), and the COPY bulk-load rate.
#
#   bench/omop_bench.sh DICOMETL [INSTANCES=10000] [ROWS=512]
#
# Starts a throwaway PostgreSQL 15 (tests/support/pg_server.sh), generates the archive once into
# bench/results/archive-N-R (kept for re-runs), prints one line per measurement.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
dicometl=${1:?path to the dicometl binary}
n=${2:-10000}
rows=${3:-512}
out="$root/bench/results"
mkdir -p "$out"
arch=${ARCHIVE:-$out/archive-$n-$rows}   # ARCHIVE=DIR reuses an archive made by run_ingest_bench.sh
if [[ ! -d "$arch" ]]; then
  /usr/bin/python3 "$root/tests/generate/make_archive.py" --out "$arch" --total-instances "$n" \
    --rows "$rows" --cols "$rows" --modality-mix CT --syntax-mix off --manifest "$arch.json" >/dev/null
fi
chmod -R a+rX "$arch"
pg=$(mktemp -d -u /tmp/dicometl-bench-pg.XXXXXX)
"$root/tests/support/pg_server.sh" start "$pg" >/dev/null
trap '"$root/tests/support/pg_server.sh" stop "$pg"' EXIT
db() { "$root/tests/support/pg_server.sh" createdb "$pg" "$1"; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), PostgreSQL 15 (fsync off)"
echo "archive: $n instances, ${rows}x${rows}, $(du -sh "$arch" | cut -f1)"
cat "$arch"/*/*/*/* >/dev/null 2>&1 || true   # warm the page cache for both sides

ref=$(db reference)
line=$(/usr/bin/python3 "$root/bench/reference/pydicom_psycopg2.py" "$arch" "$ref" | tail -1)
echo "reference pydicom+psycopg2 (catalog rows only): $line"
ref_rate=$(sed -n 's/.*files_per_s=\([0-9.]*\).*/\1/p' <<<"$line")

# Like for like: the catalog alone, as the reference writes it. Also its CPU work, dicometl and
# the server together (/proc/stat): the run cannot take less than work / cores.
busy() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; }
cat_db=$(db catalog_only)
start=$(date +%s.%N)
b0=$(busy)
"$dicometl" ingest "$arch" --db "$cat_db" -q >/dev/null 2>"$out/catalog-ingest.err"
b1=$(busy)
end=$(date +%s.%N)
secs=$(echo "$end - $start" | bc -l)
rate=$(echo "$n / $secs" | bc -l)
work=$(echo "($b1 - $b0) / $(getconf CLK_TCK)" | bc -l)
floor=$(echo "$work / $(nproc)" | bc -l)
printf 'dicometl ingest (catalog only, like the reference): files=%d seconds=%.3f files_per_s=%.1f (%.1fx reference)\n' \
  "$n" "$secs" "$rate" "$(echo "$rate / $ref_rate" | bc -l)"
printf '  its CPU work, client and server: %.2f cpu-s, so no faster than %.2f s on %d cores: at most %.1fx reference\n' \
  "$work" "$floor" "$(nproc)" "$(echo "$n / $floor / $ref_rate" | bc -l)"

ours=$(db ours)
"$dicometl" vocab load --db "$ours" >/dev/null
start=$(date +%s.%N)
"$dicometl" ingest "$arch" --db "$ours" --omop --missing-person zero -q --json >/dev/null 2>"$out/omop-ingest.err"
end=$(date +%s.%N)
secs=$(echo "$end - $start" | bc -l)
rate=$(echo "$n / $secs" | bc -l)
meta=$(psql -X -A -t "$ours" -c "SELECT count(*) FROM dicom_file_metadata")
printf 'dicometl ingest --omop (catalog + OMOP + %s metadata rows): files=%d seconds=%.3f files_per_s=%.1f (%.1fx reference)\n' \
  "$meta" "$n" "$secs" "$rate" "$(echo "$rate / $ref_rate" | bc -l)"

# Without the row-per-element table (the rows the reference does not write at all).
lean=$(db lean)
"$dicometl" vocab load --db "$lean" >/dev/null
start=$(date +%s.%N)
"$dicometl" ingest "$arch" --db "$lean" --omop --no-metadata --missing-person zero -q >/dev/null 2>&1
end=$(date +%s.%N)
secs=$(echo "$end - $start" | bc -l)
rate=$(echo "$n / $secs" | bc -l)
printf 'dicometl ingest --omop --no-metadata (catalog + OMOP tables): files=%d seconds=%.3f files_per_s=%.1f (%.1fx reference)\n' \
  "$n" "$secs" "$rate" "$(echo "$rate / $ref_rate" | bc -l)"

# COPY rate: the OMOP output again from the catalog into a fresh imaging schema, timed by phase.
start=$(date +%s.%N)
"$dicometl" omop --db "$ours" --imaging-schema bench2 --cdm-schema bench2 --vocab-schema public \
  --missing-person zero --json >/dev/null
end=$(date +%s.%N)
secs=$(echo "$end - $start" | bc -l)
rows_total=$(psql -X -A -t "$ours" -c "SELECT (SELECT count(*) FROM bench2.dicom_file_metadata) + (SELECT count(*) FROM bench2.radiology_image)")
printf 'dicometl omop from catalog (parse dicom_json + COPY): rows=%d seconds=%.3f rows_per_s=%.0f\n' \
  "$rows_total" "$secs" "$(echo "$rows_total / $secs" | bc -l)"

# Raw COPY through psql: the metadata rows copied again into a table with the same indexes.
psql -X -q "$ours" -c "CREATE TABLE copy_probe (LIKE bench2.dicom_file_metadata INCLUDING INDEXES)"
psql -X -q "$ours" -c "\\copy bench2.dicom_file_metadata TO '$out/metadata.tsv'"
start=$(date +%s.%N)
psql -X -q "$ours" -c "\\copy copy_probe FROM '$out/metadata.tsv'"
end=$(date +%s.%N)
secs=$(echo "$end - $start" | bc -l)
printf 'psql \\copy of the same rows (server ceiling): rows=%d seconds=%.3f rows_per_s=%.0f\n' \
  "$meta" "$secs" "$(echo "$meta / $secs" | bc -l)"
rm -f "$out/metadata.tsv"
