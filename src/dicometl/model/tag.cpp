#include "dicometl/model/tag.hpp"

namespace dicometl {

std::string tag_hex(Tag t) {
  std::string out(8, '0');
  write_tag_hex(t, out.data());
  return out;
}

std::string tag_paren(Tag t) {
  char hex[8];
  write_tag_hex(t, hex);
  std::string out = "(";
  out.append(hex, 4).append(",").append(hex + 4, 4).append(")");
  return out;
}

}  // namespace dicometl
