# Embeds the DICOM vocabulary CSV files (data/vocab/dicom2omop) into dicometl_omop, so the binary
# is self-contained. Editing a CSV re-runs CMake (CMAKE_CONFIGURE_DEPENDS) and rebuilds.
set(_vocab_dir ${PROJECT_SOURCE_DIR}/data/vocab/dicom2omop)
set(_vocab_files omop_table_staging_v5.csv cs_values_maps_to.csv cs_values_maps_to_value.csv
    part6_attributes.csv)
set(_vocab_body "// Generated from data/vocab/dicom2omop by src/dicometl/omop/embed_vocab.cmake. Do not edit.\n#pragma GCC diagnostic ignored \"-Woverlength-strings\"\n#include \"dicometl/omop/vocabulary_data.hpp\"\n#include <cstring>\nnamespace dicometl::omop {\nnamespace {\nstruct Entry { const char* name; const char* text; };\nconst Entry kEntries[] = {\n")
foreach(f ${_vocab_files})
  file(READ ${_vocab_dir}/${f} _text)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${_vocab_dir}/${f})
  string(APPEND _vocab_body "  {\"${f}\", R\"__csv__(${_text})__csv__\"},\n")
endforeach()
string(APPEND _vocab_body "};\n}  // namespace\nstd::string_view embedded_vocab_file(std::string_view name) {\n  for (const auto& e : kEntries) if (name == e.name) return e.text;\n  return {};\n}\n}  // namespace dicometl::omop\n")
file(GENERATE OUTPUT ${CMAKE_CURRENT_BINARY_DIR}/embedded_vocab.cpp CONTENT "${_vocab_body}")
target_sources(dicometl_omop PRIVATE ${CMAKE_CURRENT_BINARY_DIR}/embedded_vocab.cpp)
