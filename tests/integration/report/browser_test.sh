#!/bin/bash
# Installs playwright-core (pinned by package-lock.json, no browser download) into WORK/node and
# checks REPORT.html in /usr/bin/chromium.   browser_test.sh WORK ARTIFACT_DIR REPORT.html NAME...
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$1 artifacts=$2
shift 2
command -v /usr/bin/chromium >/dev/null || { echo "chromium missing: scripts/install-deps.sh --test"; exit 1; }
mkdir -p "$work/node"
cp "$here/package.json" "$here/package-lock.json" "$here/browser_check.js" "$work/node/"
cd "$work/node"
# npm ci is quick from the local cache; skip it when the installed lock is the pinned one.
if ! cmp -s package-lock.json node_modules/.package-lock.json.pinned 2>/dev/null; then
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
  cp package-lock.json node_modules/.package-lock.json.pinned
fi
status=0
while (($#)); do
  node browser_check.js "$1" "$artifacts" "$2" || status=1
  shift 2
done
exit $status
