# Turns data/terminology/*.csv into C++ string constants at build time, so the binary carries its
# terminology and the CSV files stay the single readable source (see data/terminology/README.md).
function(dicometl_embed_fhir_terminology target)
  file(GLOB _csv CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/data/terminology/*.csv)
  set(_out ${CMAKE_CURRENT_BINARY_DIR}/embedded_fhir_terminology.cpp)
  set(_body "// Generated from data/terminology/*.csv by cmake/embed_fhir_terminology.cmake. Do not edit.\n#include \"dicometl/fhir/embedded_terminology.hpp\"\n#include <cstring>\nnamespace dicometl::fhir {\nnamespace {\nstruct Entry { const char* name; const char* text; };\nconst Entry kEntries[] = {\n")
  foreach(f ${_csv})
    get_filename_component(_name ${f} NAME)
    file(READ ${f} _text)
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${f})  # edits must re-embed
    string(APPEND _body "  {\"${_name}\", R\"__csv__(${_text})__csv__\"},\n")
  endforeach()
  string(APPEND _body "};\n}  // namespace\nconst char* embedded_terminology(const char* name) {\n  for (const auto& e : kEntries) if (std::strcmp(e.name, name) == 0) return e.text;\n  return nullptr;\n}\n}  // namespace dicometl::fhir\n")
  file(GENERATE OUTPUT ${_out} CONTENT "${_body}")
  target_sources(${target} PRIVATE ${_out})
endfunction()
