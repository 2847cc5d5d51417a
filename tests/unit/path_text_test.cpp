// Catalog paths (model/path_text): byte-exact and reversible, valid UTF-8, and unchanged for the
// paths that were already valid UTF-8 (catalogs written before the escape keep their rows).
#include "dicometl/model/path_text.hpp"

#include <gtest/gtest.h>

#include <random>

#include "dicometl/model/utf8.hpp"

using namespace dicometl;

TEST(PathText, ValidUtf8NamesAreUnchanged) {
  for (const std::string p : {"/data/a.dcm", "/data/Müller/ß.dcm", "rel/日本語.dcm", "50%.dcm",
                              "a\\b.dcm", "back\\slash\\x", "\\x4", "\\xG1", "tab\there"})
    EXPECT_EQ(encode_path(p), p) << p;
}

TEST(PathText, Latin1NamesThatCollapseUnderReplacementStayDistinct) {
  // "é" and "è" in Latin-1: both become U+FFFD under replacement, so two files had one name.
  const std::string e_acute = "/share/caf\xE9.dcm", e_grave = "/share/caf\xE8.dcm";
  EXPECT_EQ(to_valid_utf8(e_acute), to_valid_utf8(e_grave));  // what the catalog did before
  EXPECT_EQ(encode_path(e_acute), "/share/caf\\xE9.dcm");
  EXPECT_EQ(encode_path(e_grave), "/share/caf\\xE8.dcm");
  EXPECT_EQ(decode_path(encode_path(e_acute)), e_acute);
  EXPECT_EQ(decode_path(encode_path(e_grave)), e_grave);
}

TEST(PathText, TheEscapeItselfIsEscaped) {
  // A real name that reads like an escape keeps its meaning: `\x` + two hex digits.
  EXPECT_EQ(encode_path("a\\xE9.dcm"), "a\\x5CxE9.dcm");
  EXPECT_EQ(decode_path("a\\x5CxE9.dcm"), "a\\xE9.dcm");
  EXPECT_EQ(encode_path("\\x\xE9"), "\\x\\xE9");  // `\x` not followed by two hex digits: kept
  EXPECT_EQ(decode_path("\\x\\xE9"), "\\x\xE9");
  // Surrogates, overlongs and lone continuation bytes are escaped byte by byte.
  EXPECT_EQ(encode_path("\xED\xA0\x80|\xC0\xAF|\x80"), "\\xED\\xA0\\x80|\\xC0\\xAF|\\x80");
}

TEST(PathText, RoundTripsEveryByteString) {
  // Random paths over an alphabet rich in the bytes that matter: '\\', 'x', hex digits, high
  // bytes that do and do not form UTF-8 sequences.
  const std::string alphabet = "\\xX0aF9g/.\xC3\xA9\xE9\xED\xA0\x80\xF0\x9F\x98\x80\xFF";
  std::mt19937 rng(14);
  std::uniform_int_distribution<std::size_t> len(0, 24), pick(0, alphabet.size() - 1);
  for (int n = 0; n < 200000; ++n) {
    std::string p;
    for (std::size_t k = len(rng); k > 0; --k) p += alphabet[pick(rng)];
    const std::string text = encode_path(p);
    ASSERT_EQ(utf8_valid_prefix(text), text.size()) << testing::PrintToString(p);
    ASSERT_EQ(decode_path(text), p) << testing::PrintToString(p);
    if (utf8_valid_prefix(p) == p.size() && p.find("\\x") == std::string::npos) ASSERT_EQ(text, p);
  }
}
