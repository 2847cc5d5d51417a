# FHIR export (docs/fhir.md). Every resource the tests produce is validated by two independent
# validators installed here with `npm ci` (tests/integration/fhir/package-lock.json).
set(_fhir ${CMAKE_CURRENT_SOURCE_DIR}/integration/fhir)
set(_fhir_validator ${CMAKE_CURRENT_BINARY_DIR}/fhir-validator)
set(_fhir_env DICOMETL=${DICOMETL} FHIR_VALIDATOR_DIR=${_fhir_validator}
    FHIR_WORK=${CMAKE_CURRENT_BINARY_DIR}/fhir-work)

add_test(NAME fhir_validator_install COMMAND sh ${_fhir}/setup_validator.sh ${_fhir_validator})
set_tests_properties(fhir_validator_install PROPERTIES FIXTURES_SETUP fhir_validator TIMEOUT 300)

# The validators must reject known-bad resources (no status; a time without a zone; an extension
# with a text quantity value and a sub-extension without url, as in a broken MII extension).
add_test(NAME fhir_validator_rejects_bad
         COMMAND node ${_fhir_validator}/validate.mjs ${_fhir}/known_bad)
set_tests_properties(fhir_validator_rejects_bad PROPERTIES FIXTURES_REQUIRED fhir_validator
                     PASS_REGULAR_EXPRESSION "expected number, but got string.*url Missing required property.*valueQuantity/value must be number.*status Missing required property.*/started must match pattern.*6 error")

foreach(_case original_cases edge_cases archive pydicom_corpus post references mii)
  add_test(NAME fhir_${_case} COMMAND ${PY} ${_fhir}/test_${_case}.py)
  set_tests_properties(fhir_${_case} PROPERTIES FIXTURES_REQUIRED fhir_validator
                       ENVIRONMENT "${_fhir_env}" TIMEOUT 300)
endforeach()
# Without --db the temporary catalog lives in a private mkdtemp folder (seen with strace).
add_test(NAME fhir_temp_catalog
         COMMAND ${PY} ${_fhir}/test_temp_catalog.py ${DICOMETL} ${CMAKE_CURRENT_BINARY_DIR}/fhir-temp-catalog)
set_tests_properties(fhir_temp_catalog PROPERTIES TIMEOUT 60 SKIP_RETURN_CODE 77)
