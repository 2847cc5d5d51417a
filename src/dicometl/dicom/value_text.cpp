#include "dicometl/dicom/value_text.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>

#include "dicometl/dicom/charset.hpp"
#include "dicometl/model/tag.hpp"
#include "dicometl/model/utf8.hpp"

namespace dicometl::dicom {

namespace {

std::string_view trim_value(std::string_view s, std::string_view vr) {
  // Trailing spaces and NULs are padding everywhere; leading spaces only where the VR allows.
  while (!s.empty() && (s.back() == ' ' || s.back() == '\0')) s.remove_suffix(1);
  if (!(vr_single_valued(vr) || vr == "UC"))
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  return s;
}

template <typename T>
T load_le(const char* p) {
  T v;
  std::memcpy(&v, p, sizeof v);  // x86-64 and aarch64 hosts are little endian, as is the data
  return v;
}

// Properties of every VR in one table indexed by its two letters: these checks run for every
// element of every file.
enum VrFlag : std::uint8_t {
  kValid = 1, kString = 2, kCharset = 4, kSingle = 8, kLong = 16,
};
struct VrInfo {
  std::uint8_t flags = 0;
  std::uint8_t number_size = 0;
};
using VrTable = std::array<VrInfo, 26 * 26>;

constexpr int vr_index(const char* vr) { return (vr[0] - 'A') * 26 + (vr[1] - 'A'); }

constexpr VrTable make_vr_table() {
  VrTable t{};
  struct Def { const char* vr; std::uint8_t flags; std::uint8_t size; };
  constexpr Def kDefs[] = {
      {"AE", kValid | kString, 0}, {"AS", kValid | kString, 0}, {"AT", kValid, 4},
      {"CS", kValid | kString, 0}, {"DA", kValid | kString, 0}, {"DS", kValid | kString, 0},
      {"DT", kValid | kString, 0}, {"FL", kValid, 4}, {"FD", kValid, 8},
      {"IS", kValid | kString, 0}, {"LO", kValid | kString | kCharset, 0},
      {"LT", kValid | kString | kCharset | kSingle, 0}, {"OB", kValid | kLong, 0},
      {"OD", kValid | kLong, 0}, {"OF", kValid | kLong, 0}, {"OL", kValid | kLong, 0},
      {"OV", kValid | kLong, 0}, {"OW", kValid | kLong, 0}, {"PN", kValid | kString | kCharset, 0},
      {"SH", kValid | kString | kCharset, 0}, {"SL", kValid, 4}, {"SQ", kValid | kLong, 0},
      {"SS", kValid, 2}, {"ST", kValid | kString | kCharset | kSingle, 0},
      {"SV", kValid | kLong, 8}, {"TM", kValid | kString, 0},
      {"UC", kValid | kString | kCharset | kLong, 0}, {"UI", kValid | kString, 0},
      {"UL", kValid, 4}, {"UN", kValid | kLong, 0}, {"UR", kValid | kString | kSingle | kLong, 0},
      {"US", kValid, 2}, {"UT", kValid | kString | kCharset | kSingle | kLong, 0},
      {"UV", kValid | kLong, 8},
  };
  for (const auto& d : kDefs) t[vr_index(d.vr)] = VrInfo{d.flags, d.size};
  return t;
}
constexpr VrTable kVrTable = make_vr_table();

VrInfo info(std::string_view vr) {
  if (vr.size() != 2 || vr[0] < 'A' || vr[0] > 'Z' || vr[1] < 'A' || vr[1] > 'Z') return {};
  return kVrTable[vr_index(vr.data())];
}

}  // namespace

bool vr_uses_charset(std::string_view vr) { return info(vr).flags & kCharset; }
bool vr_single_valued(std::string_view vr) { return info(vr).flags & kSingle; }
bool vr_is_string(std::string_view vr) { return info(vr).flags & kString; }
bool vr_is_number(std::string_view vr) { return info(vr).number_size != 0; }
int vr_number_size(std::string_view vr) { return info(vr).number_size; }
bool vr_has_long_length(std::string_view vr) { return info(vr).flags & kLong; }
bool vr_is_valid(std::string_view vr) { return info(vr).flags & kValid; }

void split_text_values(std::string_view text, std::string_view vr, Values& out) {
  if (vr_single_valued(vr)) {
    auto v = trim_value(text, vr);
    if (!v.empty()) out.emplace_back(v);
    return;
  }
  out.reserve(out.size() + 1 +
              static_cast<std::size_t>(std::count(text.begin(), text.end(), '\\')));
  std::size_t start = 0;
  while (true) {
    std::size_t end = text.find('\\', start);
    auto part = trim_value(
        text.substr(start, end == std::string_view::npos ? text.npos : end - start), vr);
    out.emplace_back(part);
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  if (out.size() == 1 && out.front().empty()) out.clear();  // one empty value = no value
}

void decode_text_values(std::string_view bytes, std::string_view vr, const CharsetDecoder* decoder,
                        Values& out) {
  if (decoder && vr_uses_charset(vr)) {
    split_text_values(decoder->decode(bytes, vr == "PN"), vr, out);
  } else if (CharsetDecoder::is_plain_ascii(bytes) || utf8_valid_prefix(bytes) == bytes.size()) {
    split_text_values(bytes, vr, out);
  } else {
    // Bytes no character set applies to: the catalog stores UTF-8 only (PostgreSQL, JSON and the
    // OMOP readers refuse anything else), so what is not UTF-8 is replaced, and said.
    std::string valid;
    append_valid_utf8(bytes, valid);
    if (decoder && decoder->report()) ++decoder->report()->invalid_utf8;
    split_text_values(valid, vr, out);
  }
}

void append_le_numbers(std::string_view bytes, std::string_view vr, Values& out) {
  const int size = vr_number_size(vr);
  if (size == 0) return;
  const char* p = bytes.data();
  out.reserve(out.size() + bytes.size() / static_cast<std::size_t>(size));
  for (std::size_t i = 0; i + size <= bytes.size(); i += size) {
    switch (vr[0] << 8 | vr[1]) {
      case 'U' << 8 | 'S': append_number(out, load_le<std::uint16_t>(p + i)); break;
      case 'S' << 8 | 'S': append_number(out, load_le<std::int16_t>(p + i)); break;
      case 'U' << 8 | 'L': append_number(out, load_le<std::uint32_t>(p + i)); break;
      case 'S' << 8 | 'L': append_number(out, load_le<std::int32_t>(p + i)); break;
      case 'U' << 8 | 'V': append_number(out, load_le<std::uint64_t>(p + i)); break;
      case 'S' << 8 | 'V': append_number(out, load_le<std::int64_t>(p + i)); break;
      case 'F' << 8 | 'L': append_number(out, load_le<float>(p + i)); break;
      case 'F' << 8 | 'D': append_number(out, load_le<double>(p + i)); break;
      case 'A' << 8 | 'T':
        out.emplace_back(
            tag_hex(make_tag(load_le<std::uint16_t>(p + i), load_le<std::uint16_t>(p + i + 2))));
        break;
      default: break;
    }
  }
}

}  // namespace dicometl::dicom
