#pragma once
// PostgreSQL through libpq. Only this folder includes libpq-fe.h.
#include <memory>
#include <string>
#include <string_view>

#include "dicometl/storage/database.hpp"

namespace dicometl::storage {

//! Opens a `postgresql://…` URL or a libpq conninfo ("host=… dbname=…"). Passwords come only from
//! libpq's own sources (PGPASSWORD, ~/.pgpass, a service file): one written in the URL is refused,
//! because command lines are visible to every local user.
std::unique_ptr<Database> open_postgres(const std::string& conninfo);

//! `?` placeholders → `$1..$n`, leaving quoted strings, identifiers and comments alone.
std::string translate_placeholders(std::string_view sql, int* count = nullptr);

//! One COPY text-format field: backslash, tab, newline and carriage return escaped; NUL dropped.
void append_copy_text(std::string_view value, std::string& out);

}  // namespace dicometl::storage
