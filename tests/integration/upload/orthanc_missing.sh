#!/usr/bin/env bash
# Without Orthanc, orthanc_server.sh exits 77 (ctest: skipped) on a developer machine and 1
# (failed) under CI=true, where a missing dependency means a broken test machine.
here=$(cd "$(dirname "$0")" && pwd)
server=$here/../../support/orthanc_server.sh
env -u CI ORTHANC=/nonexistent bash "$server" start "$(mktemp -d -u)"
rc=$?
[ "$rc" = 77 ] || { echo "FAIL: without CI: exit $rc, expected 77"; exit 1; }
CI=true ORTHANC=/nonexistent bash "$server" start "$(mktemp -d -u)"
rc=$?
[ "$rc" = 1 ] || { echo "FAIL: CI=true: exit $rc, expected 1"; exit 1; }
echo "ok"
