#!/usr/bin/env bash
# Quick start: install, build, generate a small sample archive, ingest it into SQLite, summarise.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
sample=sample/archive
if [[ ! -d $sample ]]; then
  echo "generating a sample archive in $sample"
  /usr/bin/python3 tests/generate/make_archive.py --out "$sample" --patients 12 --seed 7 --junk \
    --manifest sample/manifest.json >/dev/null
fi
build/src/cli/dicometl ingest "$sample" --db sqlite:sample/catalog.db || [[ $? -eq 1 ]]
echo
echo "catalog: sample/catalog.db — try:"
echo "  sqlite3 sample/catalog.db 'SELECT modality, count(*) FROM series GROUP BY 1'"
sqlite3 -header -column sample/catalog.db \
  "SELECT s.modality, count(DISTINCT s.study_instance_uid) AS studies,
          count(DISTINCT s.series_instance_uid) AS series, count(i.sop_instance_uid) AS instances
     FROM series s JOIN instance i USING (series_instance_uid) GROUP BY 1 ORDER BY 1"
