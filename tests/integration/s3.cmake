# S3 source: `dicometl ingest s3://…` against s3rver (npm, pinned) on loopback behind a
# signature-checking, fault-injecting proxy. Needs node/npm and python3-boto3 (scripts/deps).
add_test(NAME s3_ingest
         COMMAND ${PY} ${CMAKE_CURRENT_LIST_DIR}/s3/test_s3.py ${DICOMETL}
                 ${CMAKE_BINARY_DIR}/s3-node
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(s3_ingest PROPERTIES TIMEOUT 300 LABELS s3)
