# OMOP output: the same conformance tests on SQLite and on a real PostgreSQL 15 started by
# tests/support/pg_server.sh (Debian package postgresql; see scripts/deps/omop.test.txt).
set(_omop ${CMAKE_CURRENT_SOURCE_DIR}/integration/omop/omop_test.py)
add_test(NAME omop_conformance_sqlite COMMAND ${PY} ${_omop} --dicometl ${DICOMETL} --backend sqlite)
add_test(NAME omop_conformance_postgres COMMAND ${PY} ${_omop} --dicometl ${DICOMETL} --backend postgres)
add_test(NAME omop_ohdsi_ddl_postgres COMMAND ${PY} ${_omop} --dicometl ${DICOMETL} --backend postgres --case ohdsi)
add_test(NAME omop_concurrent_postgres COMMAND ${PY} ${_omop} --dicometl ${DICOMETL} --backend postgres --case concurrent)
set_tests_properties(omop_conformance_sqlite omop_conformance_postgres omop_ohdsi_ddl_postgres
                     omop_concurrent_postgres PROPERTIES TIMEOUT 600 LABELS omop)
# OHDSI's v5.4 primary and foreign keys applied after a run (tests/integration/omop/cdm54/, written
# from OHDSI's published DDL): with an Athena-like vocabulary, on a fresh CDM, on d2e's imaging tables.
set(_keys ${CMAKE_CURRENT_SOURCE_DIR}/integration/omop/omop_keys_test.py)
foreach(_case athena fresh d2e)
  add_test(NAME omop_keys_${_case}_postgres COMMAND ${PY} ${_keys} --dicometl ${DICOMETL} --case ${_case})
  set_tests_properties(omop_keys_${_case}_postgres PROPERTIES TIMEOUT 600 LABELS omop)
endforeach()
