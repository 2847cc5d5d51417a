# OMOP output: the same conformance tests on SQLite and on a real PostgreSQL 15 started by
# tests/support/pg_server.sh (Debian package postgresql; see scripts/deps/omop.test.txt).
set(_omop ${CMAKE_CURRENT_SOURCE_DIR}/integration/omop/omop_test.py)
add_test(NAME omop_conformance_sqlite COMMAND ${PY} ${_omop} --dicometl ${DICOMETL} --backend sqlite)
add_test(NAME omop_conformance_postgres COMMAND ${PY} ${_omop} --dicometl ${DICOMETL} --backend postgres)
add_test(NAME omop_ohdsi_ddl_postgres COMMAND ${PY} ${_omop} --dicometl ${DICOMETL} --backend postgres --case ohdsi)
add_test(NAME omop_concurrent_postgres COMMAND ${PY} ${_omop} --dicometl ${DICOMETL} --backend postgres --case concurrent)
set_tests_properties(omop_conformance_sqlite omop_conformance_postgres omop_ohdsi_ddl_postgres
                     omop_concurrent_postgres PROPERTIES TIMEOUT 600 LABELS omop)
