# Storage backends under failure: a real PostgreSQL 15 (tests/support/pg_server.sh) restarted in
# the middle of a run.
add_test(NAME storage_pg_restart
         COMMAND ${PY} ${CMAKE_CURRENT_LIST_DIR}/storage/test_pg_restart.py ${DICOMETL}
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(storage_pg_restart PROPERTIES TIMEOUT 300 LABELS storage)
