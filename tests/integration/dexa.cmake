# dicometl dexa: report pages drawn at test time (tests/generate/make_dexa_pages.py) with known
# values; the output CSV, wide CSV and dexa_value table are compared against the generator's truth.
set(_dexa_work ${CMAKE_BINARY_DIR}/dexa-test)
add_test(NAME dexa.accuracy
         COMMAND ${PY} ${CMAKE_CURRENT_LIST_DIR}/dexa/check_dexa.py --dicometl ${DICOMETL}
                 --work ${_dexa_work} --generate ${PROJECT_SOURCE_DIR}/tests/generate)
set_tests_properties(dexa.accuracy PROPERTIES TIMEOUT 900 LABELS dexa)
add_test(NAME dexa.bad_inputs
         COMMAND ${PY} ${CMAKE_CURRENT_LIST_DIR}/dexa/check_bad_inputs.py --dicometl ${DICOMETL}
                 --work ${CMAKE_BINARY_DIR}/dexa-bad)
set_tests_properties(dexa.bad_inputs PROPERTIES TIMEOUT 300 LABELS dexa)
add_test(NAME dexa.omop
         COMMAND ${PY} ${CMAKE_CURRENT_LIST_DIR}/dexa/check_omop.py --dicometl ${DICOMETL}
                 --work ${CMAKE_BINARY_DIR}/dexa-omop --generate ${PROJECT_SOURCE_DIR}/tests/generate)
set_tests_properties(dexa.omop PROPERTIES TIMEOUT 600 LABELS dexa)
add_test(NAME dexa.omop_postgres
         COMMAND ${PY} ${CMAKE_CURRENT_LIST_DIR}/dexa/check_omop.py --dicometl ${DICOMETL}
                 --work ${CMAKE_BINARY_DIR}/dexa-omop-pg --generate ${PROJECT_SOURCE_DIR}/tests/generate
                 --backend postgres)
set_tests_properties(dexa.omop_postgres PROPERTIES TIMEOUT 600 LABELS dexa)
# s3:// sources: s3rver (npm, installed once by the s3 topic's fixture s3_node) behind the
# SigV4-checking proxy.
add_test(NAME dexa.s3
         COMMAND ${PY} ${CMAKE_CURRENT_LIST_DIR}/dexa/check_s3.py ${DICOMETL} ${CMAKE_BINARY_DIR}/s3-node
                 ${CMAKE_BINARY_DIR}/dexa-s3 ${PROJECT_SOURCE_DIR}/tests/generate)
set_tests_properties(dexa.s3 PROPERTIES TIMEOUT 300 LABELS dexa FIXTURES_REQUIRED s3_node)
# The realism ladder (tests/generate/dexa_ladder.py, issue 12): pages as hard as real exports, at
# 90/120/150/300 ppi, 2 pages per layout and tier (112 pages, 14 layouts, 4 that must give nothing).
# Exact-% floors per tier are what the code on branch dxa-ladder achieves (measured at 15c744c+,
# reader = main 2e6b8ca: 21.6 / 38.9 / 35.2 / 30.2 %; docs/dexa.md "Realism ladder"), so accuracy
# cannot drop; raise them as the reader improves (issue 12's target: >= 95 % at every tier).
# Raised by branch dxa-reader (text-height scaling, tolerant table finder): 70.6 / 88.1 / 81.1 /
# 74.9 %; Norland-like pages give no ok value. With the score QC merged (T/Z against BMD, YA%, AM%)
# 8 wrong-ok values became 2. KNOWN GAP, not a target: those 2 pass as ok at 90 ppi (a Z-score's
# minus lost by every read on a page with no AM% to contradict it; a whole-body BMD digit with no
# BMC/Area check on that row). The hard rule is 0.
# Raised by branch dexa-read (pictures and frames painted white before OCR, text height without
# the picture's specks, skipped header lines and rows, 90-ppi minus and region slips, spine fit and
# site's-mean QC): 88.9 / 99.0 / 98.4 % at 90 / 120 / 300 ppi and 99.6 % at 150; KNOWN GAP: 3
# wrong-ok at 90 ppi that no check can see (a forearm Total T 0.9 read 0.3 and a whole-body Total
# T -0.6 read 0.6, rows whose other numbers say nothing about the score; a YA % 101 read 102,
# within the rounding of its T-score). The hard rule is still 0.
# Raised by branch dexa-90 (faint 90-ppi minus, digits shared by reads that lost the point, dual
# hip Diff. rows and whole-body names from their sequences, 90-ppi letter confusions in names, a
# "Score" or first-column header only on the unit line; QC: every look must agree, a low word
# confidence on small glyphs is never ok): 95.7 / 100.0 / 99.8 / 100.0 %, 0 wrong-ok.
# Then (lost section titles and spine names, split region labels, letters for digits, a digit
# set right by BMD = BMC/Area and the sums, in-range reads, rounding-step QC on small glyphs):
# 96.9 / 100.0 / 99.8 / 100.0 %, 0 wrong-ok.
add_test(NAME dexa.ladder
         COMMAND ${PY} ${CMAKE_CURRENT_LIST_DIR}/dexa/check_ladder.py --dicometl ${DICOMETL}
                 --work ${CMAKE_BINARY_DIR}/dexa-ladder --generate ${PROJECT_SOURCE_DIR}/tests/generate
                 --seed 3 --per-layout 2 --min-exact 90=95 --min-exact 120=99 --min-exact 150=99
                 --min-exact 300=99 --max-wrong-ok 0 --max-ok-on-nothing 0)
set_tests_properties(dexa.ladder PROPERTIES TIMEOUT 1200 LABELS dexa)
# 90 ppi on two more seeds' pages, so that the 90-ppi floor does not rest on one page set (ten
# seeds measured 2026-12-02, docs/dexa.md: 94.4-97.7 % exact, 0 wrong-ok; seeds 11 and 23 here).
foreach(seed 11 23)
  add_test(NAME dexa.ladder_90_seed${seed}
           COMMAND ${PY} ${CMAKE_CURRENT_LIST_DIR}/dexa/check_ladder.py --dicometl ${DICOMETL}
                   --work ${CMAKE_BINARY_DIR}/dexa-ladder-90-${seed} --generate
                   ${PROJECT_SOURCE_DIR}/tests/generate --seed ${seed} --per-layout 2 --dpis 90
                   --min-exact 90=95 --max-wrong-ok 0 --max-ok-on-nothing 0)
  set_tests_properties(dexa.ladder_90_seed${seed} PROPERTIES TIMEOUT 600 LABELS dexa)
endforeach()
# Results in the report's DICOM header (Hologic-style results script in a private element), read
# without OCR; pages written at test time with pydicom.
add_test(NAME dexa.header_results
         COMMAND ${PY} ${CMAKE_CURRENT_LIST_DIR}/dexa/check_header_results.py ${DICOMETL}
                 ${CMAKE_BINARY_DIR}/dexa-header)
set_tests_properties(dexa.header_results PROPERTIES TIMEOUT 300 LABELS dexa)
# The OCR module is found beside the binary or through DICOMETL_MODULE_DIR, never through the
# build folder compiled in.
add_test(NAME dexa.module_search
         COMMAND ${PY} ${CMAKE_CURRENT_LIST_DIR}/dexa/check_module_search.py ${DICOMETL}
                 $<TARGET_FILE_DIR:dicometl_tesseract> ${CMAKE_BINARY_DIR}/dexa-module-search)
set_tests_properties(dexa.module_search PROPERTIES TIMEOUT 60 LABELS dexa)
