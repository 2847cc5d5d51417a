#!/usr/bin/env bash
# Installs every Debian package dicometl needs. Idempotent: apt is only asked when something is
# missing. Package lists live in scripts/deps/*.txt, one file per topic, one package per line
# ('#' comments); files named *.test.txt are only for --test.
# Usage: scripts/install-deps.sh [--test]
set -euo pipefail
cd "$(dirname "$0")/deps"

want=()
for f in *.txt; do
  [[ $f == *.test.txt && "${1:-}" != "--test" ]] && continue
  while read -r line; do
    line=${line%%#*}
    for p in $line; do want+=("$p"); done
  done <"$f"
done

# Node.js may come from elsewhere than Debian (NodeSource bundles npm in its nodejs package, and
# Debian's npm then conflicts with it): when node and npm already run, leave them alone.
if command -v node >/dev/null && command -v npm >/dev/null; then
  filtered=()
  for p in "${want[@]}"; do [[ $p == nodejs || $p == npm ]] || filtered+=("$p"); done
  want=("${filtered[@]}")
fi
mapfile -t want < <(printf '%s\n' "${want[@]}" | sort -u)

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  SUDO=; [[ $(id -u) -ne 0 ]] && SUDO=sudo
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
