#include "dicometl/model/tag.hpp"

#include <array>

namespace dicometl {

namespace {
void put_hex4(std::string& out, std::uint16_t v) {
  static constexpr std::array<char, 16> kDigits = {'0', '1', '2', '3', '4', '5', '6', '7',
                                                    '8', '9', 'A', 'B', 'C', 'D', 'E', 'F'};
  for (int shift = 12; shift >= 0; shift -= 4) out.push_back(kDigits[(v >> shift) & 0xF]);
}
}  // namespace

std::string tag_hex(Tag t) {
  std::string out;
  out.reserve(8);
  put_hex4(out, tag_group(t));
  put_hex4(out, tag_element(t));
  return out;
}

std::string tag_paren(Tag t) {
  std::string out;
  out.reserve(11);
  out.push_back('(');
  put_hex4(out, tag_group(t));
  out.push_back(',');
  put_hex4(out, tag_element(t));
  out.push_back(')');
  return out;
}

}  // namespace dicometl
