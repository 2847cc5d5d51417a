#pragma once
// The one UTF-8 validator every reader and writer uses (the DICOM readers, DICOM JSON, the
// report's HTML, PostgreSQL text, OMOP's character counts): strict as RFC 3629 says, so no overlong
// forms, no surrogates (U+D800-DFFF), nothing past U+10FFFF. Invalid bytes become U+FFFD, one per
// maximal subpart (Unicode 15 section 3.9, "U+FFFD Substitution of Maximal Subparts", which the
// WHATWG Encoding Standard also follows).
#include <cstddef>
#include <string>
#include <string_view>

namespace dicometl {

//! Bytes of the valid UTF-8 sequence starting at s[i] (1 to 4), or 0 when it is not one.
std::size_t utf8_sequence_length(std::string_view s, std::size_t i);
//! Bytes of one character at s[i] for counting: the valid sequence, or 1 for an invalid byte.
inline std::size_t utf8_char_length(std::string_view s, std::size_t i) {
  const std::size_t n = utf8_sequence_length(s, i);
  return n == 0 ? 1 : n;
}
//! Bytes of the maximal subpart at s[i], where no valid sequence starts: the bytes one U+FFFD
//! replaces (a truncated but well-begun sequence is one subpart; any other bad byte is its own).
std::size_t utf8_invalid_length(std::string_view s, std::size_t i);
//! Length of the longest valid UTF-8 prefix of `s` (s.size() when all of it is valid).
std::size_t utf8_valid_prefix(std::string_view s);
//! Appends `s` to `out` with each maximal invalid subpart replaced by U+FFFD; returns how many
//! were replaced (0: `s` was valid and is appended unchanged).
std::size_t append_valid_utf8(std::string_view s, std::string& out);
//! `s` with each maximal invalid subpart replaced by U+FFFD.
std::string to_valid_utf8(std::string_view s);
//! Appends one code point (< 0x110000, not a surrogate) as UTF-8.
void append_utf8(char32_t code_point, std::string& out);

//! U+FFFD REPLACEMENT CHARACTER in UTF-8.
inline constexpr std::string_view kReplacementUtf8 = "\xEF\xBF\xBD";

}  // namespace dicometl
