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
# The OCR module is found beside the binary or through DICOMETL_MODULE_DIR, never through the
# build folder compiled in.
add_test(NAME dexa.module_search
         COMMAND ${PY} ${CMAKE_CURRENT_LIST_DIR}/dexa/check_module_search.py ${DICOMETL}
                 $<TARGET_FILE_DIR:dicometl_tesseract> ${CMAKE_BINARY_DIR}/dexa-module-search)
set_tests_properties(dexa.module_search PROPERTIES TIMEOUT 60 LABELS dexa)
