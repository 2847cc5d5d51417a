#!/bin/bash
# Runs the jobs in order, each once the previous one completed: prepare → ingest (Indexed, N
# pods) → omop (Indexed, N pods) → final. Kubernetes Jobs have no dependencies, hence this script.
#   kubectl apply -f my-secret.yaml && deploy/k8s/run.sh [TIMEOUT]      (TIMEOUT default 24h)
# A step whose pods failed beyond backoffLimit stops the chain: fix, then re-run this script
# (completed shards then find their files unchanged and add nothing).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
timeout=${1:-24h}
for step in prepare ingest omop final; do
  kubectl delete job "dicometl-$step" --ignore-not-found
  kubectl apply -f "$here/$step-job.yaml"
  kubectl wait --for=condition=complete "job/dicometl-$step" --timeout="$timeout"
done
