# dicometl upload against real Orthanc servers started on loopback by the test (orthanc +
# orthanc-dicomweb Debian packages): STOW-RS and C-STORE, skip-on-rerun, refusals.
add_test(NAME upload_orthanc
         COMMAND ${PY} ${CMAKE_CURRENT_LIST_DIR}/upload/test_upload.py ${DICOMETL}
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(upload_orthanc PROPERTIES TIMEOUT 300 LABELS upload SKIP_RETURN_CODE 77)
