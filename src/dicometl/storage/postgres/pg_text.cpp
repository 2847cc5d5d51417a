// SQL text helpers for the PostgreSQL backend; no libpq here so unit tests need no server.
#include "dicometl/storage/postgres/postgres_database.hpp"

namespace dicometl::storage {

std::string translate_placeholders(std::string_view sql, int* count) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  for (std::size_t i = 0; i < sql.size(); ++i) {
    const char c = sql[i];
    if (c == '\'' || c == '"') {  // copy a quoted literal or identifier whole ('' and "" escape)
      std::size_t j = i + 1;
      while (j < sql.size()) {
        if (sql[j] == c) {
          if (j + 1 < sql.size() && sql[j + 1] == c) { j += 2; continue; }
          break;
        }
        ++j;
      }
      out.append(sql.substr(i, j - i + 1));
      i = j;
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      std::size_t j = sql.find('\n', i);
      if (j == std::string_view::npos) j = sql.size() - 1;
      out.append(sql.substr(i, j - i + 1));
      i = j;
    } else if (c == '?') {
      out += '$';
      out += std::to_string(++n);
    } else {
      out += c;
    }
  }
  if (count) *count = n;
  return out;
}

std::size_t utf8_prefix_ok(std::string_view s) {
  std::size_t i = 0;
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  while (i < s.size()) {
    const unsigned c = p[i];
    std::size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (len == 0 || i + len > s.size() || (len == 2 && c < 0xC2)) return i;
    for (std::size_t k = 1; k < len; ++k)
      if ((p[i + k] & 0xC0) != 0x80) return i;
    if (len == 3 && ((c == 0xE0 && p[i + 1] < 0xA0) || (c == 0xED && p[i + 1] >= 0xA0))) return i;
    if (len == 4 && ((c == 0xF0 && p[i + 1] < 0x90) || c > 0xF4 || (c == 0xF4 && p[i + 1] >= 0x90)))
      return i;
    i += len;
  }
  return i;
}

std::string to_valid_utf8(std::string_view s) {
  std::string out;
  while (!s.empty()) {
    const std::size_t ok = utf8_prefix_ok(s);
    out.append(s.substr(0, ok));
    if (ok == s.size()) break;
    out += "\xEF\xBF\xBD";  // U+FFFD for one bad byte, as PostgreSQL refuses invalid UTF-8
    s.remove_prefix(ok + 1);
  }
  return out;
}

void append_copy_text(std::string_view v, std::string& out) {
  if (utf8_prefix_ok(v) != v.size()) {
    append_copy_text(to_valid_utf8(v), out);
    return;
  }
  for (char c : v) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\0': break;  // PostgreSQL text cannot hold NUL
      default: out += c;
    }
  }
}

}  // namespace dicometl::storage
