# Storage backends under failure: a real PostgreSQL 15 (tests/support/pg_server.sh) restarted in
# the middle of a run.
add_test(NAME storage_pg_restart
         COMMAND ${PY} ${CMAKE_CURRENT_LIST_DIR}/storage/test_pg_restart.py ${DICOMETL}
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(storage_pg_restart PROPERTIES TIMEOUT 300 LABELS storage)

# Values in the catalog on SQLite and PostgreSQL (issue 14 items 3-5): Shift-JIS under ISO_IR 13,
# invalid UTF-8 replaced with a warning, bulk values as BulkDataURIs; fast parser and DCMTK alike.
add_test(NAME storage_values_catalog
         COMMAND ${PY} ${CMAKE_CURRENT_LIST_DIR}/storage/test_values_catalog.py ${DICOMETL}
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(storage_values_catalog PROPERTIES TIMEOUT 300 LABELS storage)

# Paths byte-exact, normalised roots, missing files, exit codes of re-runs, conflicts (issue 14
# items 4, 6, 7): the same script on SQLite and on a real PostgreSQL.
foreach(_db sqlite postgres)
  add_test(NAME storage_catalog_consistency_${_db}
           COMMAND ${PY} ${CMAKE_CURRENT_LIST_DIR}/storage/test_catalog_consistency.py ${DICOMETL} ${_db}
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(storage_catalog_consistency_${_db} PROPERTIES TIMEOUT 300 LABELS storage)
endforeach()
