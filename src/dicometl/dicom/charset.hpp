#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace dicometl::dicom {

//! What decoding the text of one instance met, summed over its dataset and items by every decoder
//! that reports to it (CharsetDecoder::report_to); it becomes part of the instance's warning.
struct TextReport {
  std::uint32_t replaced = 0;  //!< values with bytes their set does not define: U+FFFD written
  std::uint32_t guessed = 0;  //!< values with 8-bit bytes no declared set covers: read with a guess
  std::uint32_t shift_jis = 0;     //!< ISO_IR 13 values holding Shift-JIS double-byte characters
  std::uint32_t invalid_utf8 = 0;  //!< default-repertoire values (CS, UI, DA…) with invalid UTF-8
  std::string charset_problem;     //!< how a Specific Character Set value was interpreted
  //! Appends one sentence per finding, "; "-separated from what `warning` already holds.
  void append_to(std::string& warning) const;
};

//! Decodes raw DICOM text bytes to UTF-8 for one dataset's Specific Character Set.
//!
//! Implements PS3.5 6.1 (and PS3.3 C.12.1.1.2): the single-byte sets, UTF-8, GB18030/GBK and the
//! ISO 2022 code extensions, including JIS X 0208/0212, KS X 1001 and GB 2312, with glibc iconv.
//! Not thread-safe: decode() is const but fills lazily opened iconv handles and the error flag, so
//! use one decoder per dataset per thread. Movable, not copyable (it owns the iconv handles).
class CharsetDecoder {
 public:
  //! `specific_character_set`: the raw (0008,0005) value, backslash-separated defined terms, may
  //! be empty (= ISO IR 6 / ASCII).
  explicit CharsetDecoder(std::string_view specific_character_set);
  ~CharsetDecoder();
  CharsetDecoder(CharsetDecoder&& other) noexcept;
  CharsetDecoder& operator=(CharsetDecoder&& other) noexcept;
  CharsetDecoder(const CharsetDecoder&) = delete;
  CharsetDecoder& operator=(const CharsetDecoder&) = delete;

  //! Decodes one value (may contain backslash-separated multi-values). `person_name` = true for VR
  //! PN ('^' and '=' are delimiters that reset to the initial G0 set, as are '\\', CR, LF, TAB, FF
  //! for all text VRs). Never throws; undecodable bytes become U+FFFD and set had_errors().
  std::string decode(std::string_view raw, bool person_name = false) const;
  //! Like decode() but appends to `out` (reuse one buffer in hot loops); returns had_errors().
  bool decode_to(std::string_view raw, std::string& out, bool person_name = false) const;
  //! True when the last decode() met bytes its character set does not define: they became U+FFFD,
  //! or (high bytes where no G1 set was designated) were read with a fallback set.
  bool had_errors() const { return last_had_errors_; }
  //! Number of decode() calls so far whose value had errors (for one warning per dataset).
  std::uint64_t values_with_errors() const { return values_with_errors_; }
  //! True when a term in the Specific Character Set was not recognised (decode() then treats
  //! unknown as Latin-1 after ASCII).
  bool has_unknown_terms() const { return unknown_terms_; }
  //! Human-readable description of the problem, empty when none.
  const std::string& problem() const { return problem_; }
  //! Counts what decode() meets into `report` from now on (nullptr: stop); also records problem().
  void report_to(TextReport* report);
  TextReport* report() const { return report_; }
  //! Fast check: true when the character set is plain ASCII-compatible single-byte without code
  //! extensions (no ISO 2022 escapes, every byte is one character).
  bool is_single_byte() const { return mode_ == Mode::kSingleByte; }
  //! True when the terms enable ISO 2022 code extensions (escape sequences switch sets).
  bool uses_code_extensions() const { return mode_ == Mode::kIso2022; }
  //! True when `raw` has no byte >= 0x80 and no ESC: it then decodes to itself in every set.
  static bool is_plain_ascii(std::string_view raw);

 private:
  //! How a whole value is decoded.
  enum class Mode : std::uint8_t { kSingleByte, kUtf8, kWholeIconv, kIso2022 };
  //! Coded character sets a term or an escape sequence can name.
  enum class Set : std::uint8_t {
    kNone,   // nothing designated (G1 under ISO IR 6)
    kAscii,  // ISO IR 6; also ISO IR 14 (JIS X 0201 romaji), read as ASCII so '\\' stays a
             // delimiter
    kLatin1,
    kLatin2,
    kLatin3,
    kLatin4,
    kCyrillic,
    kArabic,
    kGreek,
    kHebrew,
    kLatin5,
    kLatin9,
    kThai,
    kKatakana,  // ISO IR 13: JIS X 0201 half-width katakana (G1)
    kJisX0208,  // ISO IR 87, G0, 94x94
    kJisX0212,  // ISO IR 159, G0, 94x94
    kKsX1001,   // ISO IR 149, G1, 94x94
    kGb2312,    // ISO IR 58, G1, 94x94
    kUtf8,
    kGb18030,
    kGbk,
  };
  //! iconv converters (to UTF-8) the multi-byte sets need; opened on first use.
  enum Conv : std::uint8_t {
    kEucJp,
    kEucJpMs,
    kEucKr,
    kEucCn,
    kGbkConv,
    kGb18030Conv,
    kShiftJis,
    kCp932,
    kConvCount
  };
  //! How iconv input splits into characters when one must be skipped.
  enum class Unit : std::uint8_t { kByte, kEucChar, kPair };

  static constexpr int kSingleByteSets = static_cast<int>(Set::kKatakana) + 1;  // have a table
  using HighTable = std::array<char32_t, 128>;

  void parse_terms(std::string_view specific_character_set);
  void add_problem(std::string_view text);
  //! Decodes a byte >= 0x80 of a single-byte set.
  static void append_high(Set set, unsigned char byte, std::string& out, bool& errors);
  static const HighTable& high_table(Set set);
  //! Decodes the run of bytes >= 0x80 at `pos` as Shift-JIS: half-width katakana (JIS X 0201, what
  //! ISO IR 13 defines) and double-byte JIS X 0208 characters, which Japanese modalities write
  //! under ISO_IR 13 and pydicom, DCMTK and Orthanc read. Returns the position after the run.
  std::size_t decode_shift_jis(std::string_view raw, std::size_t pos, std::string& out,
                               bool& errors) const;
  //! Converts complete characters of `conv`'s encoding to UTF-8; a character iconv rejects is
  //! retried with `fallback` (kConvCount = none) and otherwise becomes U+FFFD.
  void convert(Conv conv, Conv fallback, std::string_view in, Unit unit, std::string& out,
               bool& errors) const;
  //! Returns the cached iconv_t for `conv`, or nullptr when glibc lacks it.
  void* converter(Conv conv) const;
  void close_converters();

  // ISO 2022 state machine (charset_iso2022.cpp).
  void decode_iso2022(std::string_view raw, bool person_name, std::string& out, bool& errors) const;
  std::size_t apply_escape(std::string_view raw, std::size_t pos, Set& g0, Set& g1,
                           std::string& out, bool& errors) const;
  std::size_t decode_g0_run(std::string_view raw, std::size_t pos, Set g0, std::string& out,
                            bool& errors) const;
  std::size_t decode_g1(std::string_view raw, std::size_t pos, Set g1, std::string& out,
                        bool& errors) const;

  Mode mode_ = Mode::kSingleByte;
  Set high_set_ = Set::kNone;  // kSingleByte: the set for bytes >= 0x80; kIso2022: G1 at each reset
  Set fallback_g1_ = Set::kLatin1;  // kIso2022: read high bytes with this when G1 is kNone
  bool unknown_terms_ = false;
  std::string problem_;
  TextReport* report_ = nullptr;    // not owned
  mutable bool shift_jis_ = false;  // the value being decoded held Shift-JIS double-byte characters
  mutable bool last_had_errors_ = false;
  mutable std::uint64_t values_with_errors_ = 0;
  mutable std::array<void*, kConvCount> converters_{};  // iconv_t; nullptr = not opened yet
};

}  // namespace dicometl::dicom
