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

//! Length of the longest valid UTF-8 prefix of `s`.
std::size_t utf8_prefix_ok(std::string_view s);
//! `s` with each byte that is not valid UTF-8 replaced by U+FFFD (PostgreSQL refuses such text).
std::string to_valid_utf8(std::string_view s);

//! One COPY text-format field: backslash, tab, newline and carriage return escaped; NUL dropped.
void append_copy_text(std::string_view value, std::string& out);

}  // namespace dicometl::storage
