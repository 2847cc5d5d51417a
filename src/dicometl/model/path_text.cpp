#include "dicometl/model/path_text.hpp"

#include "dicometl/model/hex.hpp"
#include "dicometl/model/utf8.hpp"

namespace dicometl {

namespace {

// Whether s[i] starts `\x` followed by two hex digits: the one spelling decode_path() reads.
bool escape_at(std::string_view s, std::size_t i) {
  return i + 3 < s.size() && s[i] == '\\' && s[i + 1] == 'x' && hex_value(s[i + 2]) >= 0 &&
         hex_value(s[i + 3]) >= 0;
}

void append_escaped(unsigned char byte, std::string& out) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  out += "\\x";
  out += kHex[byte >> 4];
  out += kHex[byte & 0xF];
}

}  // namespace

std::string encode_path(std::string_view raw) {
  // The common case (valid UTF-8, no backslash) costs one scan and one copy.
  if (utf8_valid_prefix(raw) == raw.size() && raw.find('\\') == std::string_view::npos)
    return std::string(raw);
  std::string out;
  out.reserve(raw.size() + 8);
  for (std::size_t i = 0; i < raw.size();) {
    const std::size_t n = utf8_sequence_length(raw, i);
    if (n == 0) {
      append_escaped(static_cast<unsigned char>(raw[i]), out);
      ++i;
    } else if (escape_at(raw, i)) {
      append_escaped('\\', out);
      ++i;
    } else {
      out.append(raw.substr(i, n));
      i += n;
    }
  }
  return out;
}

std::string decode_path(std::string_view text) {
  if (text.find("\\x") == std::string_view::npos) return std::string(text);
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    if (escape_at(text, i)) {
      out += static_cast<char>(hex_value(text[i + 2]) * 16 + hex_value(text[i + 3]));
      i += 4;
    } else {
      out += text[i++];
    }
  }
  return out;
}

}  // namespace dicometl
