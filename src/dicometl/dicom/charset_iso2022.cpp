// CharsetDecoder's multi-byte half: the ISO 2022 code extensions (PS3.5 6.1.2.5), where escape
// sequences designate sets to G0 (bytes 0x21-0x7E) and G1 (bytes 0xA0-0xFF) and delimiters return
// to the sets of value 1, and the iconv conversions of the CJK sets.
#include <iconv.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <string>
#include <string_view>

#include "dicometl/dicom/charset.hpp"
#include "dicometl/model/utf8.hpp"

namespace dicometl::dicom {
namespace {

constexpr unsigned char kEsc = 0x1B;

// What iconv_open returns on failure; cached so a missing converter is not retried per value.
void* const kFailedConverter = reinterpret_cast<void*>(~std::uintptr_t{0});

// glibc names of the converters, in CharsetDecoder::Conv order.
// (glibc's SHIFT_JIS reads JIS X 0208 as Python's shift_jis does; only its single bytes 0x5C and
// 0x7E are yen and overline, so decode_shift_jis gives it double-byte characters only. CP932 adds
// the NEC and IBM extensions Windows writers use.)
constexpr const char* kConverterNames[] = {"EUC-JP", "EUC-JP-MS", "EUC-KR",    "EUC-CN",
                                           "GBK",    "GB18030",   "SHIFT_JIS", "CP932"};

bool is_g0_multi_byte_byte(unsigned char b) { return b >= 0x21 && b <= 0x7E; }
bool is_g1_multi_byte_byte(unsigned char b) { return b >= 0xA1 && b <= 0xFE; }
bool is_shift_jis_lead(unsigned char b) {
  return (b >= 0x81 && b <= 0x9F) || (b >= 0xE0 && b <= 0xFC);
}
bool is_shift_jis_trail(unsigned char b) { return b >= 0x40 && b <= 0xFC && b != 0x7F; }

// PS3.5 6.1.2.5.3: value 1's sets are active again before CR, LF, FF, '\\', any other control
// character but ESC, and, in PN, before '^' and '='.
bool is_reset_point(unsigned char b, bool person_name) {
  if (b < 0x20) return b != kEsc;
  if (b == '\\') return true;
  return person_name && (b == '^' || b == '=');
}

}  // namespace

void CharsetDecoder::decode_iso2022(std::string_view raw, bool person_name, std::string& out,
                                    bool& errors) const {
  Set g0 = Set::kAscii;
  Set g1 = high_set_;
  std::size_t i = 0;
  while (i < raw.size()) {
    const auto b = static_cast<unsigned char>(raw[i]);
    if (b == kEsc) {
      i = apply_escape(raw, i, g0, g1, out, errors);
    } else if (b >= 0x80) {
      i = decode_g1(raw, i, g1, out, errors);
    } else if (g0 != Set::kAscii && is_g0_multi_byte_byte(b)) {
      // Inside JIS X 0208/0212 the bytes of '\\', '^' and '=' are halves of characters (ま is
      // 0x24 0x5E), so they are no delimiters here: writers must switch back to ASCII first.
      i = decode_g0_run(raw, i, g0, out, errors);
    } else {
      if (is_reset_point(b, person_name)) {
        g0 = Set::kAscii;
        g1 = high_set_;
      }
      out.push_back(static_cast<char>(b));
      ++i;
    }
  }
}

std::size_t CharsetDecoder::apply_escape(std::string_view raw, std::size_t pos, Set& g0, Set& g1,
                                         std::string& out, bool& errors) const {
  // ISO 2022 syntax: ESC, intermediate bytes 0x20-0x2F, one final byte 0x30-0x7E.
  std::size_t end = pos + 1;
  while (end < raw.size() && raw[end] >= 0x20 && raw[end] <= 0x2F) ++end;
  if (end >= raw.size() || raw[end] < 0x30 || raw[end] > 0x7E) {
    append_utf8(0xFFFD, out);  // a lone ESC: keep the bytes after it, they are likely text
    errors = true;
    return pos + 1;
  }
  struct Designation {
    std::string_view sequence;  // after ESC
    bool to_g1;
    Set set;
  };
  static constexpr Designation kDesignations[] = {
      {"(B", false, Set::kAscii},     {"(J", false, Set::kAscii},     // ISO IR 14 romaji
      {"$B", false, Set::kJisX0208},  {"$@", false, Set::kJisX0208},  // JIS C 6226-1978
      {"$(B", false, Set::kJisX0208}, {"$(D", false, Set::kJisX0212}, {")I", true, Set::kKatakana},
      {"-A", true, Set::kLatin1},     {"-B", true, Set::kLatin2},     {"-C", true, Set::kLatin3},
      {"-D", true, Set::kLatin4},     {"-L", true, Set::kCyrillic},   {"-G", true, Set::kArabic},
      {"-F", true, Set::kGreek},      {"-H", true, Set::kHebrew},     {"-M", true, Set::kLatin5},
      {"-b", true, Set::kLatin9},     {"-T", true, Set::kThai},       {"$)C", true, Set::kKsX1001},
      {"$)A", true, Set::kGb2312},
  };
  const std::string_view sequence = raw.substr(pos + 1, end - pos);
  // Sets missing from (0008,0005) are honoured too: the escape names them unambiguously.
  for (const Designation& d : kDesignations) {
    if (d.sequence != sequence) continue;
    (d.to_g1 ? g1 : g0) = d.set;
    return end + 1;
  }
  append_utf8(0xFFFD, out);  // unknown set: what follows is unreadable until the next switch
  errors = true;
  return end + 1;
}

std::size_t CharsetDecoder::decode_g0_run(std::string_view raw, std::size_t pos, Set g0,
                                          std::string& out, bool& errors) const {
  // JIS X 0208 7-bit pairs + 0x80 are EUC-JP; JIS X 0212 is EUC-JP code set 3 (0x8F prefix).
  std::string euc;
  std::size_t i = pos;
  while (i + 1 < raw.size() && is_g0_multi_byte_byte(static_cast<unsigned char>(raw[i])) &&
         is_g0_multi_byte_byte(static_cast<unsigned char>(raw[i + 1]))) {
    if (g0 == Set::kJisX0212) euc.push_back(static_cast<char>(0x8F));
    euc.push_back(static_cast<char>(raw[i] | 0x80));
    euc.push_back(static_cast<char>(raw[i + 1] | 0x80));
    i += 2;
  }
  convert(kEucJp, kEucJpMs, euc, Unit::kEucChar, out, errors);
  if (i < raw.size() && is_g0_multi_byte_byte(static_cast<unsigned char>(raw[i]))) {
    append_utf8(0xFFFD, out);  // half a character before ESC, a control or the end
    errors = true;
    ++i;
  }
  return i;
}

std::size_t CharsetDecoder::decode_g1(std::string_view raw, std::size_t pos, Set g1,
                                      std::string& out, bool& errors) const {
  if (g1 == Set::kNone) {
    errors = true;  // high bytes with no G1 designated: read them with the best guess
    g1 = fallback_g1_;
  }
  if (g1 == Set::kKatakana) return decode_shift_jis(raw, pos, out, errors);
  if (g1 != Set::kKsX1001 && g1 != Set::kGb2312) {
    append_high(g1, static_cast<unsigned char>(raw[pos]), out, errors);
    return pos + 1;
  }
  // KS X 1001 and GB 2312 in G1 are already EUC-KR / EUC-CN byte pairs.
  const Conv conv = g1 == Set::kKsX1001 ? kEucKr : kEucCn;
  const Conv fallback = g1 == Set::kKsX1001 ? kConvCount : kGbkConv;  // GBK extends GB 2312
  std::size_t i = pos;
  std::size_t run = pos;  // start of the pending well-formed pairs
  while (i < raw.size() && static_cast<unsigned char>(raw[i]) >= 0x80) {
    if (i + 1 < raw.size() && is_g1_multi_byte_byte(static_cast<unsigned char>(raw[i])) &&
        is_g1_multi_byte_byte(static_cast<unsigned char>(raw[i + 1]))) {
      i += 2;
      continue;
    }
    convert(conv, fallback, raw.substr(run, i - run), Unit::kEucChar, out, errors);
    append_utf8(0xFFFD, out);
    errors = true;
    run = ++i;
  }
  convert(conv, fallback, raw.substr(run, i - run), Unit::kEucChar, out, errors);
  return i;
}

std::size_t CharsetDecoder::decode_shift_jis(std::string_view raw, std::size_t pos,
                                             std::string& out, bool& errors) const {
  std::size_t i = pos;
  std::size_t run = pos;  // start of the pending double-byte characters
  auto flush = [&] {
    if (i == run) return;
    convert(kShiftJis, kCp932, raw.substr(run, i - run), Unit::kPair, out, errors);
    shift_jis_ = true;
  };
  while (i < raw.size() && static_cast<unsigned char>(raw[i]) >= 0x80) {
    const auto b = static_cast<unsigned char>(raw[i]);
    // A trail byte may be ASCII ('\\' included): a pair is taken whole, before any delimiter.
    if (is_shift_jis_lead(b) && i + 1 < raw.size() &&
        is_shift_jis_trail(static_cast<unsigned char>(raw[i + 1]))) {
      i += 2;
      continue;
    }
    flush();
    if (b >= 0xA1 && b <= 0xDF) {
      append_utf8(0xFF61 + (b - 0xA1), out);  // half-width katakana: ISO IR 13 itself
    } else {
      append_utf8(0xFFFD, out);
      errors = true;
    }
    run = ++i;
  }
  flush();
  return i;
}

// ---------------------------------------------------------------------------------------------
// iconv

void* CharsetDecoder::converter(Conv conv) const {
  void*& slot = converters_[conv];
  if (slot == nullptr) slot = iconv_open("UTF-8", kConverterNames[conv]);
  return slot == kFailedConverter ? nullptr : slot;
}

void CharsetDecoder::close_converters() {
  for (void*& slot : converters_) {
    if (slot != nullptr && slot != kFailedConverter) iconv_close(static_cast<iconv_t>(slot));
    slot = nullptr;
  }
}

void CharsetDecoder::convert(Conv conv, Conv fallback, std::string_view in, Unit unit,
                             std::string& out, bool& errors) const {
  if (in.empty()) return;
  auto unit_size = [unit](const char* p, std::size_t left) -> std::size_t {
    if (unit == Unit::kByte) return 1;
    if (unit == Unit::kPair) return std::min<std::size_t>(2, left);
    return std::min<std::size_t>(static_cast<unsigned char>(*p) == 0x8F ? 3 : 2, left);
  };
  // Tries `fallback` on one character; false when it is missing or rejects the character too.
  auto try_fallback = [&](const char* p, std::size_t size) {
    if (fallback == kConvCount) return false;
    auto* cd = static_cast<iconv_t>(converter(fallback));
    if (cd == nullptr) return false;
    iconv(cd, nullptr, nullptr, nullptr, nullptr);
    char buf[16];
    char* src = const_cast<char*>(p);
    char* dst = buf;
    std::size_t src_left = size, dst_left = sizeof buf;
    if (iconv(cd, &src, &src_left, &dst, &dst_left) == static_cast<std::size_t>(-1)) return false;
    out.append(buf, sizeof buf - dst_left);
    return true;
  };

  auto* cd = static_cast<iconv_t>(converter(conv));
  char* src = const_cast<char*>(in.data());  // iconv's API is not const-correct; it never writes
  std::size_t src_left = in.size();
  if (cd == nullptr) {  // glibc without this gconv module: one U+FFFD per character
    while (src_left > 0) {
      const std::size_t size = unit_size(src, src_left);
      if (!try_fallback(src, size)) {
        append_utf8(0xFFFD, out);
        errors = true;
      }
      src += size;
      src_left -= size;
    }
    return;
  }
  iconv(cd, nullptr, nullptr, nullptr, nullptr);  // a previous value may have left it mid-way
  while (src_left > 0) {
    const std::size_t base = out.size();
    const std::size_t capacity = src_left * 2 + 16;  // CJK: at most 3 UTF-8 bytes per 2 input
    out.resize(base + capacity);
    char* dst = out.data() + base;
    std::size_t dst_left = capacity;
    const std::size_t rc = iconv(cd, &src, &src_left, &dst, &dst_left);
    const int error = errno;
    out.resize(base + (capacity - dst_left));
    if (rc != static_cast<std::size_t>(-1)) break;
    if (error == E2BIG) continue;
    if (error == EILSEQ) {
      const std::size_t size = unit_size(src, src_left);
      if (!try_fallback(src, size)) {
        append_utf8(0xFFFD, out);
        errors = true;
      }
      src += size;
      src_left -= size;
      iconv(cd, nullptr, nullptr, nullptr, nullptr);
    } else {  // EINVAL: truncated character at the end (or an unexpected failure)
      append_utf8(0xFFFD, out);
      errors = true;
      break;
    }
  }
}

}  // namespace dicometl::dicom
