// The one UTF-8 validator (model/utf8) and the writers that use it: DICOM JSON, the report's HTML
// escaping, PostgreSQL text. Cases from RFC 3629 and Markus Kuhn's UTF-8 decoder stress test.
#include "dicometl/model/utf8.hpp"

#include <gtest/gtest.h>

#include "dicometl/catalog/dicom_json.hpp"
#include "dicometl/report/html_text.hpp"

using namespace dicometl;

namespace {
const std::string kFffd = "\xEF\xBF\xBD";
}

TEST(Utf8, AcceptsEveryWellFormedLength) {
  for (const std::string s :
       {"a", "\xC2\x80", "\xDF\xBF", "\xE0\xA0\x80", "\xED\x9F\xBF", "\xEE\x80\x80", "\xEF\xBF\xBF",
        "\xF0\x90\x80\x80", "\xF4\x8F\xBF\xBF"})
    EXPECT_EQ(utf8_sequence_length(s, 0), s.size()) << testing::PrintToString(s);
}

TEST(Utf8, RejectsOverlongsSurrogatesAndBeyondU10FFFF) {
  for (const std::string s :
       {"\xC0\xAF", "\xC1\xBF",                  // overlong 2-byte
        "\xE0\x80\xAF", "\xE0\x9F\xBF",          // overlong 3-byte
        "\xF0\x80\x80\xAF", "\xF0\x8F\xBF\xBF",  // overlong 4-byte
        "\xED\xA0\x80", "\xED\xBF\xBF",          // UTF-16 surrogates U+D800, U+DFFF
        "\xF4\x90\x80\x80", "\xF5\x80\x80\x80",  // past U+10FFFF
        "\xF8\x88\x80\x80\x80", "\xFF", "\x80",  // 5-byte form, invalid byte, lone continuation
        "\xE2\x82", "\xC3"})                     // truncated
    EXPECT_EQ(utf8_sequence_length(s, 0), 0u) << testing::PrintToString(s);
  EXPECT_EQ(utf8_valid_prefix("ab\xED\xA0\x80"), 2u);
  EXPECT_EQ(to_valid_utf8("a\xC0\xAF"
                          "b"),
            "a" + kFffd + kFffd + "b");
}

TEST(Utf8, EveryWriterReplacesASurrogateAndAnOverlong) {
  const std::string bad = "x\xED\xA0\x80y\xE0\x80\xAFz";
  // The report's escaper used to let both through.
  EXPECT_EQ(report::esc(bad), "x" + kFffd + kFffd + kFffd + "y" + kFffd + kFffd + kFffd + "z");
  std::string json;
  append_json_string(bad, json);
  EXPECT_EQ(json, "\"x" + kFffd + kFffd + kFffd + "y" + kFffd + kFffd + kFffd + "z\"");
  EXPECT_EQ(to_valid_utf8(bad), "x" + kFffd + kFffd + kFffd + "y" + kFffd + kFffd + kFffd + "z");
}

// Issue 14 item 4: one U+FFFD per maximal subpart (Unicode 15 section 3.9; the WHATWG Encoding
// Standard; Python's bytes.decode("utf-8", "replace") gives the same), so a truncated character is
// one replacement, not one per byte.
TEST(Utf8, ReplacesEachMaximalSubpartOnce) {
  EXPECT_EQ(utf8_invalid_length("\xE2\x82"
                                "A",
                                0),
            2u);
  EXPECT_EQ(utf8_invalid_length("\xF0\x9F\x98", 0), 3u);
  EXPECT_EQ(utf8_invalid_length("\xED\xA0\x80", 0), 1u);  // a surrogate: no valid prefix
  EXPECT_EQ(utf8_invalid_length("\xF4\x90", 0), 1u);
  EXPECT_EQ(to_valid_utf8("\xE2\x82"
                          "A"),
            kFffd + "A");
  EXPECT_EQ(to_valid_utf8("a\xF0\x9F\x98"
                          "b"),
            "a" + kFffd + "b");
  std::string out = "<";
  EXPECT_EQ(append_valid_utf8("x\xF1\x80\x80\xE1\x80\xC2"
                              "y",
                              out),
            3u);
  EXPECT_EQ(out, "<x" + kFffd + kFffd + kFffd + "y");
  EXPECT_EQ(append_valid_utf8("\xC3\xA9", out), 0u);
  // Every writer that meets invalid bytes agrees.
  std::string json;
  append_json_string(
      "\xE2\x82"
      "A",
      json);
  EXPECT_EQ(json, "\"" + kFffd + "A\"");
  EXPECT_EQ(report::esc("\xE2\x82"
                        "A"),
            kFffd + "A");
}

TEST(Utf8, CharacterLengthCountsAnInvalidByteAsOne) {
  EXPECT_EQ(utf8_char_length("\xE0"
                             "ab",
                             0),
            1u);
  EXPECT_EQ(utf8_char_length("\xE5\xB1\xB1", 0), 3u);
  std::string s;
  append_utf8(0x10FFFF, s);
  append_utf8(0xFF88, s);
  append_utf8(0xE9, s);
  EXPECT_EQ(s, "\xF4\x8F\xBF\xBF\xEF\xBE\x88\xC3\xA9");
}
