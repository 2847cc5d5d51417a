#!/usr/bin/env bash
# The whole test suite: install, build, run unit and integration tests (ctest).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test
scripts/build.sh
cd build
ctest --output-on-failure --timeout 1800 -j "$(nproc)"
