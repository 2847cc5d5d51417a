#!/usr/bin/env bash
# Installs every Debian package dicometl needs to build, run and test. Idempotent: packages
# already present are left alone, and apt is only asked when something is missing.
# Usage: scripts/install-deps.sh [--test]
set -euo pipefail

build_pkgs=(
  build-essential cmake ninja-build pkg-config git
  libdcmtk-dev dcmtk            # DICOM parsing (the bridge in src/dicometl/dicom)
  libsqlite3-dev sqlite3        # embedded default database
  nlohmann-json3-dev            # JSON for non-hot paths
  libcli11-dev libfmt-dev       # command line, formatting
  python3-pydicom               # sample-data generator (Debian's /usr/bin/python3)
)
test_pkgs=(
  libgtest-dev libgmock-dev libbenchmark-dev
  python3-psycopg2 valgrind
)

want=("${build_pkgs[@]}")
[[ "${1:-}" == "--test" ]] && want+=("${test_pkgs[@]}")

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  if [[ $(id -u) -ne 0 ]]; then SUDO=sudo; else SUDO=; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
