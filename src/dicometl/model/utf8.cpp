#include "dicometl/model/utf8.hpp"

namespace dicometl {

namespace {

// Length of the sequence a lead byte announces and the range its second byte must fall in (RFC
// 3629 section 4): the second byte's range is what excludes overlong forms, surrogates and code
// points past U+10FFFF. len 0: the byte starts no sequence.
struct Lead {
  std::size_t len = 0;
  unsigned lo = 0x80, hi = 0xBF;
};

Lead lead(unsigned c) {
  if (c >= 0xC2 && c <= 0xDF) return {2};
  if (c >= 0xE0 && c <= 0xEF) return {3, c == 0xE0 ? 0xA0u : 0x80u, c == 0xED ? 0x9Fu : 0xBFu};
  if (c >= 0xF0 && c <= 0xF4) return {4, c == 0xF0 ? 0x90u : 0x80u, c == 0xF4 ? 0x8Fu : 0xBFu};
  return {};
}

// Bytes at s[i] that begin a well-formed sequence (lead included), at most its full length.
std::size_t well_formed_bytes(std::string_view s, std::size_t i, const Lead& l) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  if (l.len == 0) return 0;
  std::size_t k = 1;
  while (k < l.len && i + k < s.size()) {
    const unsigned b = p[i + k];
    if (k == 1 ? (b < l.lo || b > l.hi) : (b & 0xC0) != 0x80) break;
    ++k;
  }
  return k;
}

}  // namespace

std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
  const unsigned c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return 1;
  const Lead l = lead(c);
  return l.len != 0 && well_formed_bytes(s, i, l) == l.len ? l.len : 0;
}

std::size_t utf8_invalid_length(std::string_view s, std::size_t i) {
  const std::size_t k = well_formed_bytes(s, i, lead(static_cast<unsigned char>(s[i])));
  return k == 0 ? 1 : k;
}

std::size_t utf8_valid_prefix(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {  // ASCII runs: most of any text
      ++i;
      continue;
    }
    const std::size_t n = utf8_sequence_length(s, i);
    if (n == 0) return i;
    i += n;
  }
  return i;
}

std::size_t append_valid_utf8(std::string_view s, std::string& out) {
  std::size_t replaced = 0;
  while (!s.empty()) {
    const std::size_t ok = utf8_valid_prefix(s);
    out.append(s.substr(0, ok));
    if (ok == s.size()) break;
    out += kReplacementUtf8;
    ++replaced;
    s.remove_prefix(ok + utf8_invalid_length(s, ok));
  }
  return replaced;
}

std::string to_valid_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  append_valid_utf8(s, out);
  return out;
}

void append_utf8(char32_t cp, std::string& out) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

}  // namespace dicometl
