#!/usr/bin/env bash
# Third-party client headers stay in their one module (DESIGN.md, lesson 1). Fails with the list
# of offending files.
set -u
bad=0
check() {  # pattern, allowed-path-regex, what
  local hits
  hits=$(grep -rlE "$1" src tests bench --include='*.cpp' --include='*.hpp' --include='*.h' 2>/dev/null | grep -vE "$2" || true)
  if [[ -n $hits ]]; then echo "$3 included outside its module:"; echo "$hits"; bad=1; fi
}
check '#include *[<"]dcmtk/' '^src/dicometl/dicom/' 'DCMTK'
check '#include *[<"]sqlite3\.h' '^src/dicometl/storage/sqlite/' 'sqlite3.h'
check '#include *[<"](postgresql/)?libpq-fe\.h' '^src/dicometl/storage/postgres/' 'libpq-fe.h'
check '#include *[<"]tesseract/' '^src/dicometl/ocr/' 'Tesseract'
check '#include *[<"]leptonica/' '^src/dicometl/ocr/' 'Leptonica'
check '#include *[<"]curl/' '^src/dicometl/http/' 'libcurl'
[[ $bad == 0 ]] && echo "fences hold"
exit $bad
