#!/usr/bin/env bash
# Fuzzes with libFuzzer + AddressSanitizer + UBSan (clang 14). Not part of the test suite (it runs
# until stopped or for SECONDS); findings are kept in tests/fuzz/out/TARGET/.
# Targets: read_header (any bytes through the header reader), changed_size (files whose size on
# disk differs from the walked size), json_utf8 (the writers' UTF-8 output for any bytes).
# Seeds: pydicom's test files and the bad-input generator's files.
# Usage: tests/fuzz/run.sh [SECONDS=600] [TARGET=read_header]
set -euo pipefail
cd "$(dirname "$0")/../.."
need=()
for p in clang libclang-rt-14-dev libdcmtk-dev python3-pydicom; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
if ((${#need[@]})); then
  SUDO=; [[ $(id -u) -ne 0 ]] && SUDO=sudo
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
target=${2:-read_header}
[[ -f tests/fuzz/fuzz_$target.cpp ]] || { echo "unknown target $target" >&2; exit 2; }
out=tests/fuzz/out
mkdir -p "$out/$target/corpus" "$out/$target/crashes"
bin=$out/fuzz_$target
srcs=(src/dicometl/dicom/*.cpp src/dicometl/model/*.cpp src/dicometl/catalog/dicom_json.cpp
      src/dicometl/catalog/bulk_data_uri.cpp
      src/dicometl/report/html_text.cpp)
if [[ ! -x $bin || -n $(find "${srcs[@]}" "tests/fuzz/fuzz_$target.cpp" tests/fuzz/memory_file.hpp -newer "$bin" | head -1) ]]; then
  echo "building $bin"
  clang++ -std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
    -Isrc "${srcs[@]}" "tests/fuzz/fuzz_$target.cpp" -o "$bin" \
    -ldcmnet -ldcmimage -ldcmimgle -ldcmjpeg -ldcmjpls -ldcmdata -loflog -lofstd -lfmt -lz -lcrypto \
    -lpthread
fi
seeds=$out/seeds
if [[ ! -d $seeds ]]; then
  mkdir -p "$seeds"
  find /usr/lib/python3/dist-packages/pydicom/data -type f -size -200k -exec cp {} "$seeds/" \; 2>/dev/null || true
  /usr/bin/python3 tests/generate/make_bad_inputs.py --out "$out/bad" --depth 3000 \
    --from /usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm >/dev/null 2>&1 &&
    find "$out/bad" -type f -size -200k -exec cp {} "$seeds/" \; 2>/dev/null || true
fi
# Deep nesting needs stack: the fuzzer runs on the main thread (dicometl reads on 1 GiB stacks).
ulimit -s unlimited || true
# Leaks are not checked: DCMTK leaks the half-read record when the standard library throws inside
# it on a malformed DICOMDIR (a few KB per such file; found by this fuzzer, reported in docs/reliability.md).
ASAN_OPTIONS=detect_leaks=0 "$bin" -detect_leaks=0 -max_total_time="${1:-600}" -max_len=65536 -timeout=10 -rss_limit_mb=4096 \
  -artifact_prefix="$out/$target/crashes/" "$out/$target/corpus" "$seeds"
