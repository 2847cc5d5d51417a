# Turns sql/<dialect>/<name>.sql into a C++ string constant at build time, so the binary carries
# its schema and the .sql files stay the single readable source.
function(dicometl_embed_sql target)
  file(GLOB_RECURSE _sql CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/sql/*.sql)
  set(_out ${CMAKE_CURRENT_BINARY_DIR}/embedded_sql.cpp)
  set(_body "// Generated from sql/*.sql by cmake/embed_sql.cmake. Do not edit.\n#include \"dicometl/catalog/embedded_sql.hpp\"\n#include <cstring>\nnamespace dicometl {\nnamespace {\nstruct Entry { const char* name; const char* sql; };\nconst Entry kEntries[] = {\n")
  foreach(f ${_sql})
    file(RELATIVE_PATH _rel ${PROJECT_SOURCE_DIR}/sql ${f})
    file(READ ${f} _text)
    # file(READ) runs at configure time: an edited .sql must re-run it, or the binary keeps the old text.
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${f})
    string(APPEND _body "  {\"${_rel}\", R\"__sql__(${_text})__sql__\"},\n")
  endforeach()
  string(APPEND _body "};\n}  // namespace\nconst char* embedded_sql(const char* name) {\n  for (const auto& e : kEntries) if (std::strcmp(e.name, name) == 0) return e.sql;\n  return nullptr;\n}\n}  // namespace dicometl\n")
  file(GENERATE OUTPUT ${_out} CONTENT "${_body}")
  target_sources(${target} PRIVATE ${_out})
endfunction()
