#!/bin/bash
# Submits a whole sharded run: prepare → N ingest shards → N OMOP shards → final, each step
# after the previous one succeeded (--dependency=afterok). Prints the job ids, one per line:
# "prepare ID", "ingest ID", "omop ID", "final ID".
#
#   DICOMETL_DB=postgresql://etl@db/cdm submit.sh --shards 16 /archive
#   submit.sh --shards 16 --from ingest --tasks 3,7 /archive   # after tasks 3 and 7 failed
#
# --from STEP starts at prepare | ingest | omop | final; --tasks LIST limits the first array step
# to those tasks (Slurm's --array syntax; later steps run every shard). Extra sbatch options go
# in SBATCH_OPTS (e.g. "--partition=cpu --time=4:00:00"); more ingest options in
# DICOMETL_INGEST_ARGS, of `omop` in DICOMETL_OMOP_ARGS, of `vocab load` in DICOMETL_VOCAB_ARGS.
# docs/scale.md says how to size N.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
shards=4 from=prepare tasks=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --shards) shards=$2; shift 2 ;;
    --from) from=$2; shift 2 ;;
    --tasks) tasks=$2; shift 2 ;;
    --) shift; break ;;
    -*) echo "submit.sh: unknown option $1" >&2; exit 2 ;;
    *) break ;;
  esac
done
[[ $# -gt 0 ]] || { echo "usage: submit.sh [--shards N] [--from STEP] [--tasks LIST] ARCHIVE..." >&2; exit 2; }
: "${DICOMETL_DB:?set DICOMETL_DB to the database URL}"
export DICOMETL_SHARDS=$shards

# shellcheck disable=SC2206
opts=(--parsable ${SBATCH_OPTS:-})
after=()
submit() {  # NAME ARRAY SCRIPT ARGS...
  local name=$1 array=$2 id
  shift 2
  id=$(sbatch "${opts[@]}" "${after[@]}" ${array:+--array=$array} "$@")
  id=${id%%;*}
  echo "$name $id"
  after=("--dependency=afterok:$id")
}
ingest_tasks="0-$((shards - 1))" omop_tasks="0-$((shards - 1))"
if [[ -n "$tasks" ]]; then
  case "$from" in
    prepare | ingest) ingest_tasks=$tasks ;;
    omop) omop_tasks=$tasks ;;
  esac
fi
# shellcheck disable=SC2206
ingest_args=(${DICOMETL_INGEST_ARGS:-}) omop_args=(${DICOMETL_OMOP_ARGS:-})

case "$from" in
  prepare) submit prepare "" "$here/once.sbatch" prepare ;&
  ingest) submit ingest "$ingest_tasks" "$here/shard.sbatch" ingest "$@" "${ingest_args[@]}" ;&
  omop) submit omop "$omop_tasks" "$here/shard.sbatch" omop "${omop_args[@]}" ;&
  final) submit final "" "$here/once.sbatch" final ;;
  *) echo "submit.sh: --from prepare|ingest|omop|final" >&2; exit 2 ;;
esac
