#include "dicometl/dicom/sniff.hpp"

#include <array>
#include <cctype>

namespace dicometl::dicom {

namespace {

bool is_vr(unsigned char a, unsigned char b) {
  static constexpr std::array<const char*, 34> kVrs = {
      "AE", "AS", "AT", "CS", "DA", "DS", "DT", "FL", "FD", "IS", "LO", "LT", "OB", "OD", "OF", "OL",
      "OV", "OW", "PN", "SH", "SL", "SQ", "SS", "ST", "SV", "TM", "UC", "UI", "UL", "UN", "UR", "US",
      "UT", "UV"};
  for (const char* vr : kVrs)
    if (vr[0] == a && vr[1] == b) return true;
  return false;
}

// Groups a dataset written without a meta header plausibly starts with.
bool plausible_first_group(std::uint16_t g) {
  return g == 0x0002 || g == 0x0004 || g == 0x0008 || g == 0x0010 || g == 0x0018 || g == 0x0020 ||
         g == 0x0028;
}

bool looks_like_dataset(std::string_view head, std::uint64_t file_size, bool big_endian) {
  if (head.size() < 8) return false;
  auto u8 = [&](std::size_t i) { return static_cast<unsigned char>(head[i]); };
  std::uint16_t group = big_endian ? (u8(0) << 8 | u8(1)) : (u8(1) << 8 | u8(0));
  std::uint16_t element = big_endian ? (u8(2) << 8 | u8(3)) : (u8(3) << 8 | u8(2));
  if (!plausible_first_group(group)) return false;
  if (is_vr(u8(4), u8(5))) return true;  // explicit VR
  if (big_endian) return false;          // big endian is always explicit VR
  // Implicit VR: a 32-bit length that fits in the file, on a group-length or low element.
  std::uint32_t len = u8(4) | u8(5) << 8 | u8(6) << 16 | static_cast<std::uint32_t>(u8(7)) << 24;
  return element < 0x1000 && len < file_size;
}

}  // namespace

Sniffed sniff(std::string_view head, std::uint64_t file_size) {
  if (file_size == 0) return {FileLayout::kNotDicom, "empty file (0 bytes)"};
  if (head.size() >= 132 && head.substr(128, 4) == "DICM") return {FileLayout::kPart10, {}};
  if (looks_like_dataset(head, file_size, false) || looks_like_dataset(head, file_size, true))
    return {FileLayout::kRawDataset, {}};
  if (file_size < 132 && head.size() < 8)
    return {FileLayout::kNotDicom, "too short to be DICOM (" + std::to_string(file_size) + " bytes)"};
  return {FileLayout::kNotDicom,
          "not DICOM: no 'DICM' marker at byte 128 and does not start like a DICOM dataset"};
}

}  // namespace dicometl::dicom
