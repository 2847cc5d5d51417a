// Part 10 files written byte by byte in tests (PS3.10 7.1, PS3.5 7.1.2), independently of the code
// under test.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace dicometl::test {

// Explicit VR little endian elements (PS3.5 7.1.2), written here rather than by the code under
// test.
inline std::string element(std::uint16_t group, std::uint16_t elem, const char* vr,
                           std::string value) {
  if (value.size() % 2) value += (vr[0] == 'U' && vr[1] == 'I') ? '\0' : ' ';
  std::string out;
  auto u16 = [&](std::uint16_t v) {
    out += static_cast<char>(v & 0xFF), out += static_cast<char>(v >> 8);
  };
  auto u32 = [&](std::uint32_t v) {
    u16(static_cast<std::uint16_t>(v)), u16(static_cast<std::uint16_t>(v >> 16));
  };
  u16(group), u16(elem);
  out += vr;
  const std::string_view v(vr);
  if (v == "OB" || v == "SQ" || v == "UN" || v == "UT") {
    u16(0), u32(static_cast<std::uint32_t>(value.size()));
  } else {
    u16(static_cast<std::uint16_t>(value.size()));
  }
  return out + value;
}

inline std::string part10(const std::string& ts, const std::string& dataset) {
  std::string meta = element(2, 1, "OB", std::string("\0\1", 2)) +
                     element(2, 2, "UI", "1.2.840.10008.5.1.4.1.1.7") +
                     element(2, 3, "UI", "2.25.5") + element(2, 0x10, "UI", ts);
  std::string len(4, '\0');
  for (int i = 0; i < 4; ++i) len[i] = static_cast<char>((meta.size() >> (8 * i)) & 0xFF);
  return std::string(128, '\0') + "DICM" + element(2, 0, "UL", len) + meta + dataset;
}

}  // namespace dicometl::test
