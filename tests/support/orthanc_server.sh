#!/usr/bin/env bash
# Starts or stops a throwaway Orthanc (Debian packages orthanc + orthanc-dicomweb) for tests.
#   orthanc_server.sh start DIR [AET] [uncompressed-only]  → prints "HTTP_PORT DICOM_PORT"
#   orthanc_server.sh stop DIR                             → stops it and removes DIR
# REST and DICOMweb listen on loopback ports chosen free at start; remote REST access is off.
# "uncompressed-only" makes the DICOM port accept only uncompressed transfer syntaxes, which
# exercises a client's decompression fallback. ORTHANC_USER and ORTHANC_PASSWORD, when set,
# turn on HTTP basic authentication (REST and DICOMweb) with that one user.
# Exit 77 (ctest: skipped) when Orthanc is not installed, but exit 1 under CI=true: there a
# missing dependency is a broken test machine, not a reason to skip.
set -euo pipefail
cmd=${1:?start|stop}
dir=${2:?state directory}
orthanc=${ORTHANC:-/usr/sbin/Orthanc}
plugin=${ORTHANC_DICOMWEB:-/usr/share/orthanc/plugins/libOrthancDicomWeb.so}

free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

missing() {
  echo "orthanc_server.sh: $1 not found (apt-get install orthanc orthanc-dicomweb)" >&2
  case "${CI:-}" in
    true|TRUE|True|1|yes) echo "orthanc_server.sh: CI=$CI: a missing dependency fails the test" >&2; exit 1 ;;
  esac
  exit 77
}

case "$cmd" in
  start)
    aet=${3:-ORTHANC}
    mode=${4:-all}
    [ -x "$orthanc" ] || missing "$orthanc"
    [ -f "$plugin" ] || missing "$plugin"
    mkdir -p "$dir/storage"
    http=$(free_port); dicom=$(free_port)
    while [ "$dicom" = "$http" ]; do dicom=$(free_port); done
    syntaxes=''  # Orthanc's default: every transfer syntax
    if [ "$mode" = uncompressed-only ]; then
      syntaxes='"AcceptedTransferSyntaxes": ["1.2.840.10008.1.2", "1.2.840.10008.1.2.1", "1.2.840.10008.1.2.2"],'
    fi
    auth='"AuthenticationEnabled": false,'
    probe_auth=''
    if [ -n "${ORTHANC_USER:-}" ]; then
      auth=$(/usr/bin/python3 -c 'import json,os; print("\"AuthenticationEnabled\": true, \"RegisteredUsers\": %s," % json.dumps({os.environ["ORTHANC_USER"]: os.environ.get("ORTHANC_PASSWORD", "")}))')
      probe_auth=1
    fi
    cat > "$dir/orthanc.json" <<JSON
{
  "Name": "dicometl-test",
  "StorageDirectory": "$dir/storage",
  "IndexDirectory": "$dir/storage",
  "StorageCompression": false,
  "HttpPort": $http,
  "RemoteAccessAllowed": false,
  $auth
  "DicomAet": "$aet",
  "DicomPort": $dicom,
  "DicomCheckCalledAet": true,
  "DicomAlwaysAllowStore": true,
  $syntaxes
  "UnknownSopClassAccepted": true,
  "SaveJobs": false,
  "Plugins": ["$plugin"],
  "DicomWeb": { "Enable": true, "Root": "/dicom-web/", "EnableWado": true }
}
JSON
    "$orthanc" "$dir/orthanc.json" > "$dir/orthanc.log" 2>&1 &
    echo $! > "$dir/orthanc.pid"
    for _ in $(seq 1 100); do
      # Any HTTP answer (401 included, when authentication is on) means Orthanc is up.
      if /usr/bin/python3 -c "
import urllib.request, urllib.error
try:
    urllib.request.urlopen('http://127.0.0.1:$http/system', timeout=1)
except urllib.error.HTTPError as e:
    raise SystemExit(0 if e.code == 401 and '$probe_auth' else 1)" 2>/dev/null; then
        echo "$http $dicom"
        exit 0
      fi
      if ! kill -0 "$(cat "$dir/orthanc.pid")" 2>/dev/null; then break; fi
      sleep 0.2
    done
    echo "orthanc_server.sh: Orthanc did not start; log:" >&2
    tail -20 "$dir/orthanc.log" >&2
    exit 1
    ;;
  stop)
    if [ -f "$dir/orthanc.pid" ]; then
      pid=$(cat "$dir/orthanc.pid")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -rf "$dir"
    ;;
  *) echo "usage: $0 start DIR [AET] [uncompressed-only] | stop DIR" >&2; exit 2 ;;
esac
