# dicometl upload against real Orthanc servers started on loopback by the test (orthanc +
# orthanc-dicomweb Debian packages): STOW-RS and C-STORE, skip-on-rerun, refusals.
# Exit 77 (Orthanc not installed) is a skip, except under CI=true where orthanc_server.sh fails.
add_test(NAME upload_orthanc
         COMMAND ${PY} ${CMAKE_CURRENT_LIST_DIR}/upload/test_upload.py ${DICOMETL}
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(upload_orthanc PROPERTIES TIMEOUT 300 LABELS upload SKIP_RETURN_CODE 77)
# Credentials in the URL reach an Orthanc that requires them and are stored and printed nowhere.
add_test(NAME upload.credentials
         COMMAND ${PY} ${CMAKE_CURRENT_LIST_DIR}/upload/test_credentials.py ${DICOMETL}
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(upload.credentials PROPERTIES TIMEOUT 300 LABELS upload SKIP_RETURN_CODE 77)
# A closed port: the run gives up after --max-connection-failures attempts, exit 3.
add_test(NAME upload.dead_server
         COMMAND ${PY} ${CMAKE_CURRENT_LIST_DIR}/upload/test_dead_server.py ${DICOMETL}
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(upload.dead_server PROPERTIES TIMEOUT 120 LABELS upload)
# A missing Orthanc is a skip (77) on a developer machine, a failure under CI=true.
add_test(NAME upload.orthanc_missing_under_ci
         COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/upload/orthanc_missing.sh)
set_tests_properties(upload.orthanc_missing_under_ci PROPERTIES TIMEOUT 30 LABELS upload)
# C-STORE associations are made with TCP_NODELAY (seen with strace: scripts/deps/upload.test.txt).
add_test(NAME upload.nodelay
         COMMAND ${PY} ${CMAKE_CURRENT_LIST_DIR}/upload/test_nodelay.py ${DICOMETL}
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(upload.nodelay PROPERTIES TIMEOUT 120 LABELS upload SKIP_RETURN_CODE 77)
