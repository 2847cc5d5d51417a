#!/usr/bin/env bash
# A throwaway Slurm cluster for tests: munged, one slurmctld and one slurmd on this machine,
# loopback only, every file (key, state, spool, logs, slurm.conf) in a temporary folder.
#
#   slurm_cluster.sh start DIR  → starts it (DIR must not exist or be empty) and prints the path
#                                 of its slurm.conf: export SLURM_CONF=that before sbatch/squeue
#   slurm_cluster.sh stop DIR   → stops the daemons (by their pid files) and removes DIR
#
# slurmd must start jobs as the submitting user, so this runs as root (as CI does); SlurmUser is
# root too, which needs no account on the machine. Needs Debian's slurm-wlm and munge
# (scripts/deps/scale.test.txt). The node offers 4 CPUs whatever the machine has
# (config_overrides), so a 4-task array runs at once even on 2 cores.
set -euo pipefail

free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# Waits up to $2 seconds for command $1 to succeed.
wait_for() {
  local i
  for ((i = 0; i < $2 * 5; i++)); do
    eval "$1" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  return 1
}

stop_pid_file() {
  local f=$1 pid i
  [[ -s "$f" ]] || return 0
  pid=$(cat "$f")
  kill "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.2; done
  kill -9 "$pid" 2>/dev/null || true
}

cmd=${1:-}; dir=${2:-}
[[ -n "$cmd" && -n "$dir" ]] || { sed -n '2,12p' "$0" >&2; exit 2; }

case "$cmd" in
  start)
    [[ $(id -u) -eq 0 ]] || { echo "slurm_cluster.sh: slurmd must run as root" >&2; exit 1; }
    for b in munged slurmctld slurmd sbatch; do
      command -v "$b" >/dev/null || { echo "slurm_cluster.sh: $b not found (apt-get install slurm-wlm munge)" >&2; exit 1; }
    done
    mkdir -p "$dir"
    [[ -z "$(ls -A "$dir")" ]] || { echo "slurm_cluster.sh: $dir is not empty" >&2; exit 2; }
    dir=$(cd "$dir" && pwd)
    mkdir -p "$dir/munge" "$dir/state" "$dir/spool" "$dir/log"
    chmod 700 "$dir/munge"
    head -c 1024 /dev/urandom >"$dir/munge/munge.key"
    chmod 400 "$dir/munge/munge.key"
    # --force: munged as root, with its files outside /etc/munge and /run/munge.
    munged --force --key-file="$dir/munge/munge.key" --socket="$dir/munge/munge.sock" \
      --pid-file="$dir/munge/munged.pid" --log-file="$dir/munge/munged.log" \
      --seed-file="$dir/munge/munged.seed" 2>"$dir/log/munged.err" ||
      { cat "$dir/log/munged.err" "$dir/munge/munged.log" >&2 2>/dev/null; exit 1; }
    wait_for "[[ -S '$dir/munge/munge.sock' ]]" 10 || { echo "slurm_cluster.sh: munged did not start" >&2; exit 1; }

    host=$(hostname -s)
    cat >"$dir/slurm.conf" <<CONF
ClusterName=dicometltest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$(free_port)
SlurmdPort=$(free_port)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/munge.sock
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/pgid
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
SlurmdParameters=config_overrides
ReturnToService=2
MpiDefault=none
KillWait=5
InactiveLimit=0
MinJobAge=600
NodeName=$host NodeAddr=127.0.0.1 NodeHostname=$host CPUs=4 RealMemory=1000 State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
    # No cgroup.conf: slurmd's default (autodetect) only probes; proctrack/pgid and task/none
    # create no cgroups.
    export SLURM_CONF=$dir/slurm.conf
    slurmctld -i 2>"$dir/log/slurmctld.err" || { cat "$dir/log/slurmctld.err" "$dir/log/slurmctld.log" >&2 2>/dev/null; exit 1; }
    slurmd -N "$host" 2>"$dir/log/slurmd.err" || { cat "$dir/log/slurmd.err" "$dir/log/slurmd.log" >&2 2>/dev/null; exit 1; }
    if ! wait_for "sinfo -h -N -o %T | grep -Eq '^(idle|mixed|allocated)'" 60; then
      echo "slurm_cluster.sh: the node did not come up" >&2
      sinfo -N >&2 || true
      tail -20 "$dir/log/slurmctld.log" "$dir/log/slurmd.log" >&2 || true
      exit 1
    fi
    echo "$dir/slurm.conf"
    ;;
  stop)
    [[ -d "$dir" ]] || exit 0
    stop_pid_file "$dir/slurmd.pid"
    stop_pid_file "$dir/slurmctld.pid"
    stop_pid_file "$dir/munge/munged.pid"
    rm -rf "$dir"
    ;;
  *)
    echo "slurm_cluster.sh: unknown command $cmd (start|stop)" >&2; exit 2 ;;
esac
