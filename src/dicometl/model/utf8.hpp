#pragma once
// The one UTF-8 validator every writer uses (DICOM JSON, the report's HTML, PostgreSQL text):
// strict as RFC 3629 says, so no overlong forms, no surrogates (U+D800-DFFF), nothing past
// U+10FFFF.
#include <cstddef>
#include <string>
#include <string_view>

namespace dicometl {

//! Bytes of the valid UTF-8 sequence starting at s[i] (1 to 4), or 0 when it is not one.
std::size_t utf8_sequence_length(std::string_view s, std::size_t i);
//! Length of the longest valid UTF-8 prefix of `s` (s.size() when all of it is valid).
std::size_t utf8_valid_prefix(std::string_view s);
//! `s` with each byte that does not start a valid sequence replaced by U+FFFD.
std::string to_valid_utf8(std::string_view s);

}  // namespace dicometl
