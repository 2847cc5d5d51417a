#include "dicometl/dicom/charset.hpp"

#include <iconv.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <utility>

#include "dicometl/model/utf8.hpp"

namespace dicometl::dicom {
namespace {

constexpr char32_t kReplacement = 0xFFFD;

// Strips the space/NUL padding around one '\\'-separated term.
std::string_view trim(std::string_view s) {
  auto pad = [](char c) { return c == ' ' || c == '\0' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && pad(s.front())) s.remove_prefix(1);
  while (!s.empty() && pad(s.back())) s.remove_suffix(1);
  return s;
}

// Reads one UTF-32LE code point produced by iconv.
char32_t read_utf32le(const unsigned char* p) {
  return static_cast<char32_t>(p[0] | (p[1] << 8) | (p[2] << 16) | (std::uint32_t{p[3]} << 24));
}

// ---------------------------------------------------------------------------------------------
// Term parsing

// The spelling of one term, before its registration number is looked up.
struct TermSyntax {
  enum Kind : std::uint8_t { kInvalid, kGb18030, kGbk, kIr } kind = kInvalid;
  bool iso2022 = false;  // spelled "ISO 2022 IR n"
  int ir = 0;
};

// Accepts the defined terms and common misspellings ("ISO_IR_100", "iso-ir 100", "ISO IR100"),
// because real-world files carry them and the intent is unambiguous.
TermSyntax parse_term(std::string_view term) {
  std::string key;
  for (char c : term) {
    if (c == ' ' || c == '_' || c == '-') continue;
    key.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
  }
  TermSyntax result;
  if (key == "GB18030" || key == "GBK") {
    result.kind = key == "GBK" ? TermSyntax::kGbk : TermSyntax::kGb18030;
    return result;
  }
  if (key == "UTF8") key = "ISOIR192";
  std::string_view digits = key;
  if (digits.starts_with("ISO2022")) {  // also "ISO 2022 58", seen in CP 1234 era files
    result.iso2022 = true;
    digits.remove_prefix(7);
    if (digits.starts_with("IR")) digits.remove_prefix(2);
  } else if (digits.starts_with("ISOIR")) {
    digits.remove_prefix(5);
  } else {
    return result;
  }
  if (digits.empty() || digits.size() > 3) return result;
  for (char c : digits) {
    if (c < '0' || c > '9') return result;
    result.ir = result.ir * 10 + (c - '0');
  }
  result.kind = TermSyntax::kIr;
  return result;
}

}  // namespace

CharsetDecoder::CharsetDecoder(std::string_view specific_character_set) {
  parse_terms(specific_character_set);
  if (high_set_ >= Set::kLatin2 && high_set_ <= Set::kThai) {
    const HighTable& table = high_table(high_set_);
    if (std::all_of(table.begin() + 0x20, table.end(),
                    [](char32_t c) { return c == kReplacement; })) {
      add_problem("iconv cannot convert this character set (gconv modules missing?)");
    }
  }
}

CharsetDecoder::~CharsetDecoder() { close_converters(); }

CharsetDecoder::CharsetDecoder(CharsetDecoder&& other) noexcept
    : mode_(other.mode_),
      high_set_(other.high_set_),
      fallback_g1_(other.fallback_g1_),
      unknown_terms_(other.unknown_terms_),
      problem_(std::move(other.problem_)),
      report_(other.report_),
      last_had_errors_(other.last_had_errors_),
      values_with_errors_(other.values_with_errors_),
      converters_(std::exchange(other.converters_, {})) {}

CharsetDecoder& CharsetDecoder::operator=(CharsetDecoder&& other) noexcept {
  if (this != &other) {
    close_converters();
    mode_ = other.mode_;
    high_set_ = other.high_set_;
    fallback_g1_ = other.fallback_g1_;
    unknown_terms_ = other.unknown_terms_;
    problem_ = std::move(other.problem_);
    report_ = other.report_;
    last_had_errors_ = other.last_had_errors_;
    values_with_errors_ = other.values_with_errors_;
    converters_ = std::exchange(other.converters_, {});
  }
  return *this;
}

void CharsetDecoder::report_to(TextReport* report) {
  report_ = report;
  if (report_ && !problem_.empty() && report_->charset_problem.empty())
    report_->charset_problem = problem_;
}

void TextReport::append_to(std::string& warning) const {
  auto say = [&](std::uint32_t n, std::string_view what) {
    if (n == 0) return;
    if (!warning.empty()) warning += "; ";
    warning += std::to_string(n);
    warning += n == 1 ? " text value " : " text values ";
    warning += what;
  };
  say(replaced, "held bytes their character set does not define: replaced by U+FFFD");
  say(guessed,
      "held 8-bit bytes outside the declared character set(s): read with a guessed set (Latin-1 "
      "without a declaration)");
  say(shift_jis,
      "declared ISO_IR 13 (JIS X 0201) held Shift-JIS double-byte characters: read as Shift-JIS, "
      "as pydicom, DCMTK and Orthanc do");
  say(invalid_utf8,
      "of a default-repertoire VR (AE, AS, CS, DA, DS, DT, IS, TM, UI, UR) held bytes that are "
      "not UTF-8: replaced by U+FFFD");
  if (!charset_problem.empty()) {
    if (!warning.empty()) warning += "; ";
    warning += "Specific Character Set: " + charset_problem;
  }
}

void CharsetDecoder::add_problem(std::string_view text) {
  if (!problem_.empty()) problem_ += "; ";
  problem_ += text;
}

void CharsetDecoder::parse_terms(std::string_view specific_character_set) {
  struct IrSpec {
    int ir;
    Set set;
  };
  static constexpr IrSpec kIrSets[] = {
      {6, Set::kAscii},    {100, Set::kLatin1},   {101, Set::kLatin2},   {109, Set::kLatin3},
      {110, Set::kLatin4}, {144, Set::kCyrillic}, {127, Set::kArabic},   {126, Set::kGreek},
      {138, Set::kHebrew}, {148, Set::kLatin5},   {203, Set::kLatin9},   {13, Set::kKatakana},
      {166, Set::kThai},   {87, Set::kJisX0208},  {159, Set::kJisX0212}, {149, Set::kKsX1001},
      {58, Set::kGb2312},  {192, Set::kUtf8}};
  struct Entry {
    Set set;
    bool iso2022;
  };
  std::array<Entry, 16> entries{};  // more terms than sets exist would be nonsense: cap it
  std::size_t count = 0;
  bool any_iso2022 = false;
  bool any_plain_term = false;  // a non-empty "ISO_IR n" term
  bool first = true;
  std::string_view rest = specific_character_set;
  while (true) {
    const std::size_t cut = rest.find('\\');
    const std::string_view term = trim(rest.substr(0, cut));
    Entry entry{Set::kAscii, false};
    if (!term.empty()) {
      const TermSyntax syntax = parse_term(term);
      const IrSpec* spec = nullptr;
      for (const IrSpec& candidate : kIrSets) {
        if (syntax.kind == TermSyntax::kIr && candidate.ir == syntax.ir) spec = &candidate;
      }
      std::string name;
      if (syntax.kind == TermSyntax::kGb18030 || syntax.kind == TermSyntax::kGbk) {
        entry.set = syntax.kind == TermSyntax::kGbk ? Set::kGbk : Set::kGb18030;
        name = syntax.kind == TermSyntax::kGbk ? "GBK" : "GB18030";
      } else if (spec != nullptr) {
        // UTF-8 has no ISO 2022 form, the CJK sets only that one: fix the spelling, keep the set.
        entry = {spec->set,
                 spec->set != Set::kUtf8 && (syntax.iso2022 || spec->set >= Set::kJisX0208)};
        name = (entry.iso2022 ? "ISO 2022 IR " : "ISO_IR ") + std::to_string(spec->ir);
      }
      if (name.empty()) {
        unknown_terms_ = true;
        add_problem("unrecognised Specific Character Set term '" + std::string(term) +
                    "', read as ISO_IR 100 (Latin-1)");
        entry = {Set::kLatin1, false};
      } else {
        if (term != name) {
          add_problem("non-standard term '" + std::string(term) + "' read as '" + name + "'");
        }
        any_plain_term = any_plain_term || !entry.iso2022;
      }
    }
    // An empty term is meaningful only as value 1 (= ISO IR 6); elsewhere it is padding.
    if ((!term.empty() || first) && count < entries.size()) {
      entries[count++] = entry;
      any_iso2022 = any_iso2022 || entry.iso2022;
    }
    first = false;
    if (cut == std::string_view::npos) break;
    rest.remove_prefix(cut + 1);
  }

  // UTF-8, GB18030 and GBK exclude code extensions (PS3.3 C.12.1.1.2): the first one wins.
  for (std::size_t i = 0; i < count; ++i) {
    const Set set = entries[i].set;
    if (set != Set::kUtf8 && set != Set::kGb18030 && set != Set::kGbk) continue;
    mode_ = set == Set::kUtf8 ? Mode::kUtf8 : Mode::kWholeIconv;
    high_set_ = set;
    if (count > 1) {
      add_problem("ISO_IR 192, GB18030 and GBK cannot be combined with other terms; using " +
                  std::string(set == Set::kUtf8  ? "ISO_IR 192"
                              : set == Set::kGbk ? "GBK"
                                                 : "GB18030") +
                  " alone");
    }
    return;
  }

  const Set first_set = count == 0 ? Set::kAscii : entries[0].set;
  const bool first_multi_byte = first_set >= Set::kJisX0208;
  if (count <= 1 && !any_iso2022 && !first_multi_byte) {
    mode_ = Mode::kSingleByte;
    high_set_ = first_set;
    return;
  }

  mode_ = Mode::kIso2022;
  if (count > 1 && any_plain_term) {
    add_problem("several terms need the 'ISO 2022 IR n' form; 'ISO_IR n' read as that");
  }
  // Value 1 fixes the sets active at the start of the value and after every delimiter. A CJK set
  // there is non-standard; G0 stays ASCII (text designates JIS X 0208/0212 explicitly anyway).
  high_set_ = first_set == Set::kAscii || first_set == Set::kJisX0208 || first_set == Set::kJisX0212
                  ? Set::kNone
                  : first_set;
  if (first_multi_byte) {
    add_problem("value 1 of Specific Character Set should be a single-byte set");
  }
  // Writers often omit the G1 re-designation after a delimiter; when the terms name exactly one
  // G1 set, that one is the best guess for such stray high bytes (still reported as errors).
  Set only_g1 = Set::kNone;
  bool several_g1 = false;
  for (std::size_t i = 1; i < count; ++i) {
    const Set set = entries[i].set;
    if (set == Set::kAscii || set == Set::kJisX0208 || set == Set::kJisX0212) continue;
    if (only_g1 != Set::kNone && only_g1 != set) several_g1 = true;
    only_g1 = set;
  }
  fallback_g1_ = only_g1 != Set::kNone && !several_g1 ? only_g1 : Set::kLatin1;
}

// ---------------------------------------------------------------------------------------------
// Decoding

bool CharsetDecoder::is_plain_ascii(std::string_view raw) {
  const char* p = raw.data();
  const std::size_t n = raw.size();
  std::size_t i = 0;
  // Eight bytes at a time: any high bit, or any byte equal to ESC (zero after XOR with 0x1B).
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHighs = 0x8080808080808080ULL;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t word;
    std::memcpy(&word, p + i, sizeof word);
    const std::uint64_t esc = word ^ (kOnes * 0x1B);
    if ((word | ((esc - kOnes) & ~esc)) & kHighs) return false;
  }
  for (; i < n; ++i) {
    const auto b = static_cast<unsigned char>(p[i]);
    if (b >= 0x80 || b == 0x1B) return false;
  }
  return true;
}

std::string CharsetDecoder::decode(std::string_view raw, bool person_name) const {
  std::string out;
  decode_to(raw, out, person_name);
  return out;
}

bool CharsetDecoder::decode_to(std::string_view raw, std::string& out, bool person_name) const {
  bool errors = false;
  const std::size_t start = out.size();
  if (is_plain_ascii(raw)) {  // the hot path: no table, no iconv
    out.append(raw);
  } else {
    shift_jis_ = false;
    out.reserve(out.size() + raw.size() + raw.size() / 2);
    switch (mode_) {
      case Mode::kSingleByte: {
        for (std::size_t i = 0; i < raw.size();) {
          std::size_t j = i;
          while (j < raw.size() && static_cast<unsigned char>(raw[j]) < 0x80) ++j;
          out.append(raw.substr(i, j - i));
          if (j == raw.size()) break;
          if (high_set_ == Set::kKatakana) {  // JIS X 0201, or Shift-JIS written under its name
            i = decode_shift_jis(raw, j, out, errors);
            continue;
          }
          const auto byte = static_cast<unsigned char>(raw[j]);
          if (high_set_ == Set::kAscii) {  // undeclared 8-bit text: Latin-1 is the likeliest
            append_utf8(byte, out);
            errors = true;
          } else {
            append_high(high_set_, byte, out, errors);
          }
          i = j + 1;
        }
        break;
      }
      case Mode::kUtf8:
        if (append_valid_utf8(raw, out) != 0) errors = true;
        break;
      case Mode::kWholeIconv:
        convert(high_set_ == Set::kGbk ? kGbkConv : kGb18030Conv, kConvCount, raw, Unit::kByte, out,
                errors);
        break;
      case Mode::kIso2022:
        decode_iso2022(raw, person_name, out, errors);
        break;
    }
    if (report_ && shift_jis_) ++report_->shift_jis;
  }
  last_had_errors_ = errors;
  if (errors) {
    ++values_with_errors_;
    // Rare, so the output is searched rather than every error site told apart: a U+FFFD written
    // means lost text; none means high bytes were read with a guessed set.
    if (report_) {
      const bool replaced =
          std::string_view(out).substr(start).find(kReplacementUtf8) != std::string_view::npos;
      ++(replaced ? report_->replaced : report_->guessed);
    }
  }
  return errors;
}

// ---------------------------------------------------------------------------------------------
// Single-byte tables

const CharsetDecoder::HighTable& CharsetDecoder::high_table(Set set) {
  // Built once per process from glibc's own tables, so every decoder shares them and a value in a
  // single-byte set never calls iconv. Thread-safe: a function-local static.
  static const std::array<HighTable, kSingleByteSets> tables = [] {
    std::array<HighTable, kSingleByteSets> t{};
    for (HighTable& table : t) table.fill(kReplacement);
    for (int b = 0; b < 128; ++b) t[static_cast<int>(Set::kLatin1)][b] = 0x80 + b;
    for (int b = 0xA1; b <= 0xDF; ++b) {
      t[static_cast<int>(Set::kKatakana)][b - 0x80] = 0xFF61 + (b - 0xA1);
    }
    static constexpr std::pair<Set, const char*> kNames[] = {
        {Set::kLatin2, "ISO-8859-2"},   {Set::kLatin3, "ISO-8859-3"}, {Set::kLatin4, "ISO-8859-4"},
        {Set::kCyrillic, "ISO-8859-5"}, {Set::kArabic, "ISO-8859-6"}, {Set::kGreek, "ISO-8859-7"},
        {Set::kHebrew, "ISO-8859-8"},   {Set::kLatin5, "ISO-8859-9"}, {Set::kLatin9, "ISO-8859-15"},
        {Set::kThai, "TIS-620"}};
    for (const auto& [set, name] : kNames) {
      iconv_t cd = iconv_open("UTF-32LE", name);
      if (cd == reinterpret_cast<iconv_t>(-1)) continue;  // stays all U+FFFD
      for (int b = 0x80; b < 0x100; ++b) {
        char in = static_cast<char>(b);
        unsigned char buf[8];
        char* src = &in;
        char* dst = reinterpret_cast<char*>(buf);
        std::size_t src_left = 1, dst_left = sizeof buf;
        iconv(cd, nullptr, nullptr, nullptr, nullptr);
        if (iconv(cd, &src, &src_left, &dst, &dst_left) != static_cast<std::size_t>(-1) &&
            dst_left == sizeof buf - 4) {
          t[static_cast<int>(set)][b - 0x80] = read_utf32le(buf);
        }
      }
      iconv_close(cd);
      // glibc's TIS-620 leaves the C1 controls out; every 8859 table keeps them, so do the same.
      for (int b = 0; b < 0x20; ++b) {
        if (t[static_cast<int>(set)][b] == kReplacement) t[static_cast<int>(set)][b] = 0x80 + b;
      }
    }
    return t;
  }();
  return tables[static_cast<int>(set)];
}

void CharsetDecoder::append_high(Set set, unsigned char byte, std::string& out, bool& errors) {
  const char32_t cp = high_table(set)[byte - 0x80];
  if (cp == kReplacement) errors = true;
  append_utf8(cp, out);
}

}  // namespace dicometl::dicom
