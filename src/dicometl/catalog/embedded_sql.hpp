#pragma once

namespace dicometl {

//! The text of sql/NAME (e.g. "sqlite/catalog.sql"), embedded at build time; nullptr if unknown.
const char* embedded_sql(const char* name);

}  // namespace dicometl
