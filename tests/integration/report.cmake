# dicometl report: figures checked against direct SQL and the generator's manifest, then the page
# checked in headless Chromium (screenshot and print PDF in ${CMAKE_BINARY_DIR}/test-artifacts).
set(_report_work ${CMAKE_BINARY_DIR}/report-test)
add_test(NAME report.figures
         COMMAND ${PY} ${CMAKE_CURRENT_LIST_DIR}/report/check_figures.py --dicometl ${DICOMETL}
                 --work ${_report_work} --generate ${PROJECT_SOURCE_DIR}/tests/generate)
set_tests_properties(report.figures PROPERTIES FIXTURES_SETUP report_pages TIMEOUT 120)
add_test(NAME report.browser
         COMMAND ${CMAKE_CURRENT_LIST_DIR}/report/browser_test.sh ${_report_work}
                 ${CMAKE_BINARY_DIR}/test-artifacts ${_report_work}/report-full.html report
                 ${_report_work}/report.html report-catalog-only
                 ${_report_work}/report-empty.html report-empty)
set_tests_properties(report.browser PROPERTIES FIXTURES_REQUIRED report_pages TIMEOUT 180)
