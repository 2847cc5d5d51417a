#!/usr/bin/env bash
# Starts or stops a throwaway Orthanc (Debian packages orthanc + orthanc-dicomweb) for tests.
#   orthanc_server.sh start DIR [AET] [uncompressed-only]  → prints "HTTP_PORT DICOM_PORT"
#   orthanc_server.sh stop DIR                             → stops it and removes DIR
# REST and DICOMweb listen on loopback ports chosen free at start; remote REST access is off.
# "uncompressed-only" makes the DICOM port accept only uncompressed transfer syntaxes, which
# exercises a client's decompression fallback.
set -euo pipefail
cmd=${1:?start|stop}
dir=${2:?state directory}
orthanc=${ORTHANC:-/usr/sbin/Orthanc}
plugin=${ORTHANC_DICOMWEB:-/usr/share/orthanc/plugins/libOrthancDicomWeb.so}

free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

case "$cmd" in
  start)
    aet=${3:-ORTHANC}
    mode=${4:-all}
    [ -x "$orthanc" ] || { echo "orthanc_server.sh: $orthanc not found (apt-get install orthanc orthanc-dicomweb)" >&2; exit 77; }
    [ -f "$plugin" ] || { echo "orthanc_server.sh: $plugin not found (apt-get install orthanc-dicomweb)" >&2; exit 77; }
    mkdir -p "$dir/storage"
    http=$(free_port); dicom=$(free_port)
    while [ "$dicom" = "$http" ]; do dicom=$(free_port); done
    syntaxes=''  # Orthanc's default: every transfer syntax
    if [ "$mode" = uncompressed-only ]; then
      syntaxes='"AcceptedTransferSyntaxes": ["1.2.840.10008.1.2", "1.2.840.10008.1.2.1", "1.2.840.10008.1.2.2"],'
    fi
    cat > "$dir/orthanc.json" <<JSON
{
  "Name": "dicometl-test",
  "StorageDirectory": "$dir/storage",
  "IndexDirectory": "$dir/storage",
  "StorageCompression": false,
  "HttpPort": $http,
  "RemoteAccessAllowed": false,
  "AuthenticationEnabled": false,
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
      if /usr/bin/python3 -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:$http/system', timeout=1)" 2>/dev/null; then
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
