# S3 source: `dicometl ingest s3://…` against s3rver (npm, pinned) on loopback behind a
# signature-checking, fault-injecting proxy. Needs node/npm and python3-boto3 (scripts/deps).
# s3rver is installed once by a fixture: s3_ingest and dexa.s3 share the folder and may run at the
# same time (ctest -j), which two `npm ci` into one node_modules do not survive.
add_test(NAME s3_node_install
         COMMAND ${PY} ${CMAKE_CURRENT_LIST_DIR}/s3/install_node.py ${CMAKE_BINARY_DIR}/s3-node)
set_tests_properties(s3_node_install PROPERTIES FIXTURES_SETUP s3_node TIMEOUT 600 LABELS s3)
add_test(NAME s3_ingest
         COMMAND ${PY} ${CMAKE_CURRENT_LIST_DIR}/s3/test_s3.py ${DICOMETL}
                 ${CMAKE_BINARY_DIR}/s3-node
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(s3_ingest PROPERTIES TIMEOUT 300 LABELS s3 FIXTURES_REQUIRED s3_node)
add_test(NAME s3_node_shared_once
         COMMAND ${PY} ${CMAKE_CURRENT_LIST_DIR}/s3/check_shared_install.py ${CMAKE_BINARY_DIR})
set_tests_properties(s3_node_shared_once PROPERTIES TIMEOUT 60 LABELS s3)
