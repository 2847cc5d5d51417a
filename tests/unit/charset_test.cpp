// Tests for CharsetDecoder. The raw bytes come from pydicom's charset corpus
// (pydicom/data/charset_files/*.dcm, expected strings from pydicom's own decoder) and from the
// examples in DICOM PS3.5 Annexes H, I, J and K; they live here so the test reads no files.
#include "dicometl/dicom/charset.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dicometl::dicom {
namespace {

struct Sample {
  const char* name;
  const char* charset;  // raw (0008,0005)
  const char* raw;
  const char* expected;
  bool person_name;
};

// Every non-ASCII text value (and PatientName) of every file in pydicom's charset corpus. Values
// keep their trailing pad space (the caller trims). chrH31, chrH32, chrI2, chrX1 and chrX2 are the
// PS3.5 examples H.3.1, H.3.2, I.2, J.1 and J.3 byte for byte.
const Sample kPydicomCorpus[] = {
    {"chrArab (0010,0010)", "ISO_IR 127", "\xe2\xc8\xc7\xe6\xea^\xe4\xe6\xd2\xc7\xd1 ",
     "قباني^لنزار ", true},
    {"chrFren (0010,0010)", "ISO_IR 100", "Buc^J\xe9r\xf4me", "Buc^Jérôme", true},
    {"chrFrenMulti (0010,0010)", "ISO_IR 100", "Buc^J\xe9r\xf4me", "Buc^Jérôme", true},
    {"chrFrenMulti (0010,1001)", "ISO_IR 100", "Buc^J\xe9r\xf4me\\Buc^J\xe9r\xf4me ",
     "Buc^Jérôme\\Buc^Jérôme ", true},
    {"chrGerm (0010,0010)", "ISO_IR 100",
     "\xc4neas^R\xfc"
     "diger ",
     "Äneas^Rüdiger ", true},
    {"chrGreek (0010,0010)", "ISO_IR 126", "\xc4\xe9\xef\xed\xf5\xf3\xe9\xef\xf2 ", "Διονυσιος ",
     true},
    {"chrH31 (0010,0010)", "\\ISO 2022 IR 87",
     "Yamada^Tarou=\x1b$B;3ED\x1b(B^\x1b$BB@O:\x1b(B=\x1b$B$d$^$@\x1b(B^\x1b$B$?$m$&\x1b(B",
     "Yamada^Tarou=山田^太郎=やまだ^たろう", true},
    {"chrH32 (0010,0010)", "ISO 2022 IR 13\\ISO 2022 IR 87",
     "\xd4\xcf\xc0\xde^\xc0\xdb\xb3=\x1b$B;3ED\x1b(J^\x1b$BB@O:\x1b(J=\x1b$B$d$^$@\x1b(J^\x1b$B$?$"
     "m$&\x1b(J",
     "ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう", true},
    {"chrHbrw (0010,0010)", "ISO_IR 138", "\xf9\xf8\xe5\xef^\xe3\xe1\xe5\xf8\xe4", "שרון^דבורה",
     true},
    {"chrI2 (0010,0010)", "\\ISO 2022 IR 149",
     "Hong^Gildong=\x1b$)C\xfb\xf3^\x1b$)C\xd1\xce\xd4\xd7=\x1b$)C\xc8\xab^\x1b$)C\xb1\xe6\xb5\xbf",
     "Hong^Gildong=洪^吉洞=홍^길동", true},
    {"chrJapMulti (0010,0010)", "\\ISO 2022 IR 87", "\x1b$B$d$^$@\x1b(B^\x1b$B$?$m$&\x1b(B ",
     "やまだ^たろう ", true},
    {"chrJapMulti (0010,1001)", "\\ISO 2022 IR 87",
     "\x1b$B$d$^$@\x1b(B^\x1b$B$?$m$&\x1b(B\\\x1b$B$d$^$@\x1b(B^\x1b$B$?$m$&\x1b(B ",
     "やまだ^たろう\\やまだ^たろう ", true},
    {"chrJapMulti (0010,21B0)", "\\ISO 2022 IR 87", "\x1b$B$?$m$&\x1b(B", "たろう", false},
    {"chrJapMultiExplicitIR6 (0010,0010)", "ISO 2022 IR 6\\ISO 2022 IR 87",
     "\x1b$B$d$^$@\x1b(B^\x1b$B$?$m$&\x1b(B ", "やまだ^たろう ", true},
    {"chrJapMultiExplicitIR6 (0010,1001)", "ISO 2022 IR 6\\ISO 2022 IR 87",
     "\x1b$B$d$^$@\x1b(B^\x1b$B$?$m$&\x1b(B\\\x1b$B$d$^$@\x1b(B^\x1b$B$?$m$&\x1b(B ",
     "やまだ^たろう\\やまだ^たろう ", true},
    {"chrJapMultiExplicitIR6 (0010,21B0)", "ISO 2022 IR 6\\ISO 2022 IR 87", "\x1b$B$?$m$&\x1b(B",
     "たろう", false},
    {"chrKoreanMulti (0008,1070)", "\\ISO 2022 IR 149", "\x1b$)C\xb1\xe8\xc8\xf1\xc1\xdf\x1b(B ",
     "김희중 ", true},
    {"chrKoreanMulti (0010,0010)", "\\ISO 2022 IR 149", "\x1b$)C\xb1\xe8\xc8\xf1\xc1\xdf\x1b(B ",
     "김희중 ", true},
    {"chrKoreanMulti (0010,1001)", "\\ISO 2022 IR 149",
     "\x1b$)C\xb1\xe8\xc8\xf1\xc1\xdf\x1b(B\\\x1b$)C\xb1\xe8\xc8\xf1\xc1\xdf\x1b(B ",
     "김희중\\김희중 ", true},
    {"chrKoreanMulti (0010,21B0)", "\\ISO 2022 IR 149", "\x1b$)C\xb1\xe8\xc8\xf1\xc1\xdf\x1b(B ",
     "김희중 ", false},
    {"chrRuss (0010,0010)", "ISO_IR 144",
     "\xbb\xee\xda"
     "ce\xdc\xd1yp\xd3",
     "Люкceмбypг", true},
    {"chrSQEncoding (0032,1064)>(0010,0010)", "ISO 2022 IR 13\\ISO 2022 IR 87",
     "\xd4\xcf\xc0\xde^\xc0\xdb\xb3=\x1b$B;3ED\x1b(B^\x1b$BB@O:\x1b(B=\x1b$B$d$^$@\x1b(B^\x1b$B$?$"
     "m$&\x1b(B",
     "ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう", true},
    {"chrSQEncoding1 (0032,1064)>(0010,0010)", "ISO 2022 IR 13\\ISO 2022 IR 87",
     "\xd4\xcf\xc0\xde^\xc0\xdb\xb3=\x1b$B;3ED\x1b(B^\x1b$BB@O:\x1b(B=\x1b$B$d$^$@\x1b(B^\x1b$B$?$"
     "m$&\x1b(B",
     "ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう", true},
    {"chrX1 (0010,0010)", "ISO_IR 192",
     "Wang^XiaoDong=\xe7\x8e\x8b^\xe5\xb0\x8f\xe6\x9d\xb1= ", "Wang^XiaoDong=王^小東= ", true},
    {"chrX2 (0010,0010)", "GB18030",
     "Wang^XiaoDong=\xcd\xf5^\xd0\xa1\xb6\xab=", "Wang^XiaoDong=王^小东=", true},
};

// PS3.5 examples not in the corpus, with the bytes the standard lists.
const Sample kAnnexExamples[] = {
    {"I.3 Korean LT", "\\ISO 2022 IR 149",
     "\x1b$)CThe first line includes \xc7\xd1\xb1\xdb.\r\n"
     "\x1b$)CThe second line includes \xc7\xd1\xb1\xdb, too.\r\nThe third line",
     "The first line includes 한글.\r\nThe second line includes 한글, too.\r\nThe third line",
     false},
    {"J.2 UTF-8 LT", "ISO_IR 192",
     "The first line includes\xe4\xb8\xad\xe6\x96\x87.\r\n"
     "The second line includes\xe4\xb8\xad\xe6\x96\x87, too.\r\nThe third line.\r\n",
     "The first line includes中文.\r\nThe second line includes中文, too.\r\nThe third line.\r\n",
     false},
    {"J.4 GB18030 LT", "GB18030",
     "The first line includes\xd6\xd0\xce\xc4.\r\n"
     "The second line includes\xd6\xd0\xce\xc4, too.\r\nThe third line.\r\n",
     "The first line includes中文.\r\nThe second line includes中文, too.\r\nThe third line.\r\n",
     false},
    {"K.2 GB2312 PN", "\\ISO 2022 IR 58",
     "Zhang^XiaoDong=\x1b$)A\xd5\xc5^\x1b$)A\xd0\xa1\xb6\xab= ", "Zhang^XiaoDong=张^小东= ", true},
    {"K.3 GB2312 LT (PS3.5 2015c, explicit ESC ( B)", "\\ISO 2022 IR 58",
     "1.\x1b$)A\xb5\xda\xd2\xbb\xd0\xd0\xce\xc4\xd7\xd6\xa1\xa3\x1b(B\r\n"
     "2.\x1b$)A\xb5\xda\xb6\xfe\xd0\xd0\xce\xc4\xd7\xd6\xa1\xa3\x1b(B\r\n"
     "3.\x1b$)A\xb5\xda\xc8\xfd\xd0\xd0\xce\xc4\xd7\xd6\xa1\xa3\x1b(B\r\n ",
     "1.第一行文字。\r\n2.第二行文字。\r\n3.第三行文字。\r\n ", false},
    {"K.3 GB2312 LT (PS3.5 2024e)", "\\ISO 2022 IR 58",
     "1.\x1b$)A\xb5\xda\xd2\xbb\xd0\xd0\xce\xc4\xd7\xd6\xa1\xa3\r\n"
     "2.\x1b$)A\xb5\xda\xb6\xfe\xd0\xd0\xce\xc4\xd7\xd6\xa1\xa3\r\n"
     "3.\x1b$)A\xb5\xda\xc8\xfd\xd0\xd0\xce\xc4\xd7\xd6\xa1\xa3\r\n",
     "1.第一行文字。\r\n2.第二行文字。\r\n3.第三行文字。\r\n", false},
};

// The remaining sets. Code extension bytes are pydicom's test_charset.py ENCODED_NAMES and its
// JIS X 0212 cases; the plain single-byte ones were encoded with Python's codecs.
const Sample kOtherSets[] = {
    {"IR 13 ext", "ISO 2022 IR 13", "\x1b)I\xd4\xcf\xc0\xde^\x1b)I\xc0\xdb\xb3", "ﾔﾏﾀﾞ^ﾀﾛｳ", true},
    {"IR 100 ext", "ISO 2022 IR 100", "\x1b-ABuc^\x1b-AJ\xe9r\xf4me", "Buc^Jérôme", true},
    {"IR 101 ext", "ISO 2022 IR 101", "\x1b-BWa\xb3\xeasa", "Wałęsa", true},
    {"IR 109 ext", "ISO 2022 IR 109", "\x1b-Canta\xfdnomo", "antaŭnomo", true},
    {"IR 110 ext", "ISO 2022 IR 110", "\x1b-Dv\xe0rds", "vārds", true},
    {"IR 127 ext", "ISO 2022 IR 127", "\x1b-G\xe2\xc8\xc7\xe6\xea^\x1b-G\xe4\xe6\xd2\xc7\xd1",
     "قباني^لنزار", true},
    {"IR 126 ext", "ISO 2022 IR 126", "\x1b-F\xc4\xe9\xef\xed\xf5\xf3\xe9\xef\xf2", "Διονυσιος",
     true},
    {"IR 138 ext", "ISO 2022 IR 138", "\x1b-H\xf9\xf8\xe5\xef^\x1b-H\xe3\xe1\xe5\xf8\xe4",
     "שרון^דבורה", true},
    {"IR 144 ext", "ISO 2022 IR 144",
     "\x1b-L\xbb\xee\xda"
     "ce\xdc\xd1yp\xd3",
     "Люкceмбypг", true},
    {"IR 148 ext", "ISO 2022 IR 148",
     "\x1b-M\xc7"
     "avu\xfeo\xf0lu",
     "Çavuşoğlu", true},
    {"IR 166 ext", "ISO 2022 IR 166", "\x1b-T\xb9\xd2\xc1\xca\xa1\xd8\xc5", "นามสกุล", true},
    {"IR 203 ext", "ISO 2022 IR 203", "\x1b-b\xa4 \xbcuvre \xbe", "€ Œuvre Ÿ", false},
    {"IR 159 Mori^Ogai", "ISO 2022 IR 6\\ISO 2022 IR 87\\ISO 2022 IR 159",
     "Mori^Ogai=\x1b$B?9\x1b(B^\x1b$(Dl?\x1b$B30\x1b(B=\x1b$B$b$j\x1b(B^"
     "\x1b$B$*$&$,$$\x1b(B",
     "Mori^Ogai=森^鷗外=もり^おうがい", true},
    {"IR 13+87+159 mixed", "ISO 2022 IR 13\\ISO 2022 IR 87\\ISO 2022 IR 159",
     "\x1b$B$\"\x1b(Ja\x1b)I\xb1\x1b$B%\"\x1b$(DmN\x1b(J", "あaｱア齩", false},
    {"ISO_IR 101", "ISO_IR 101", "Wa\xb3\xeasa", "Wałęsa", false},
    {"ISO_IR 109", "ISO_IR 109", "anta\xfdnomo", "antaŭnomo", false},
    {"ISO_IR 110", "ISO_IR 110", "v\xe0rds", "vārds", false},
    {"ISO_IR 148", "ISO_IR 148",
     "\xc7"
     "avu\xfeo\xf0lu",
     "Çavuşoğlu", false},
    {"ISO_IR 203", "ISO_IR 203", "\xa4 \xbcuvre \xbe", "€ Œuvre Ÿ", false},
    {"ISO_IR 166", "ISO_IR 166", "\xb9\xd2\xc1\xca\xa1\xd8\xc5", "นามสกุล", false},
    {"ISO_IR 13", "ISO_IR 13", "\xd4\xcf\xc0\xde^\xc0\xdb\xb3", "ﾔﾏﾀﾞ^ﾀﾛｳ", true},
    {"GBK", "GBK", "Wang^XiaoDong=\xcd\xf5^\xd0\xa1\xb6\xab=", "Wang^XiaoDong=王^小东=", true},
    {"GB18030 four-byte", "GB18030", "\x94\x39\xfc\x36\xa2\xe3", "😀€", false},
    // 0x5C can be a trail byte: the whole value is decoded before any split on '\\'.
    {"GB18030 trail 0x5C", "GB18030", "\x81\\\\\x95\\", "乗\\昞", false},
    {"JIS wave dash as pydicom", "\\ISO 2022 IR 87", "\x1b$B!A\x1b(B", "〜", false},
    {"JIS NEC row 13 via EUC-JP-MS", "\\ISO 2022 IR 87", "\x1b$B-!\x1b(B", "①", false},
};

void expect_samples(const Sample* begin, const Sample* end) {
  for (const Sample* s = begin; s != end; ++s) {
    SCOPED_TRACE(s->name);
    const CharsetDecoder decoder(s->charset);
    EXPECT_EQ(decoder.decode(s->raw, s->person_name), s->expected);
    EXPECT_FALSE(decoder.had_errors());
    EXPECT_FALSE(decoder.has_unknown_terms());
    EXPECT_EQ(decoder.problem(), "");
  }
}

TEST(CharsetDecoderTest, PydicomCorpus) {
  expect_samples(std::begin(kPydicomCorpus), std::end(kPydicomCorpus));
}

TEST(CharsetDecoderTest, Ps35AnnexExamples) {
  expect_samples(std::begin(kAnnexExamples), std::end(kAnnexExamples));
}

TEST(CharsetDecoderTest, OtherCharacterSets) {
  expect_samples(std::begin(kOtherSets), std::end(kOtherSets));
}

TEST(CharsetDecoderTest, JisBytesOfDelimitersAreNotDelimiters) {
  // ま is 0x24 0x5E and ぼ 0x24 0x5C: '^' and '\\' inside JIS X 0208 are halves of characters.
  const CharsetDecoder decoder("\\ISO 2022 IR 87");
  EXPECT_EQ(decoder.decode("\x1b$B$^$\\\x1b(B^x", true), "まぼ^x");
  EXPECT_FALSE(decoder.had_errors());
}

TEST(CharsetDecoderTest, ControlCharactersAndBackslashReturnToValue1Sets) {
  const CharsetDecoder jis("\\ISO 2022 IR 87");
  EXPECT_EQ(jis.decode("\x1b$B$d\x1b(B\\abc"), "や\\abc");
  EXPECT_EQ(jis.decode("\x1b$B$d\r\nab"), "や\r\nab");  // no ESC ( B, yet CR resets G0

  // Value 1 = Latin-1: after CR LF and '\\' a high byte is Latin-1 again, no ESC needed.
  const CharsetDecoder latin("ISO 2022 IR 100\\ISO 2022 IR 144");
  EXPECT_EQ(latin.decode("\x1b-L\xbb\r\n\xbb\\\x1b-L\xbb\\\xbb"), "Л\r\n»\\Л\\»");
  EXPECT_FALSE(latin.had_errors());
}

TEST(CharsetDecoderTest, PersonNameDelimitersResetG1) {
  const CharsetDecoder korean("\\ISO 2022 IR 149");
  EXPECT_EQ(korean.decode("\x1b$)C\xb1\xe8^\xc8\xf1", false), "김^희");  // '^' is text in LO
  EXPECT_FALSE(korean.had_errors());
  // In PN the writer must re-designate after '^'; the only G1 set declared is the best guess.
  EXPECT_EQ(korean.decode("\x1b$)C\xb1\xe8^\xc8\xf1", true), "김^희");
  EXPECT_TRUE(korean.had_errors());

  // Two G1 sets declared: nothing to guess from, Latin-1 after ASCII.
  const CharsetDecoder two("\\ISO 2022 IR 100\\ISO 2022 IR 144");
  EXPECT_EQ(two.decode("\x1b-L\xbb=\xbb", true), "Л=»");
  EXPECT_TRUE(two.had_errors());
}

TEST(CharsetDecoderTest, MalformedInputBecomesReplacementCharacters) {
  struct Case {
    const char* charset;
    const char* raw;
    const char* expected;
  };
  const Case cases[] = {
      {"ISO_IR 192",
       "a\xff"
       "b",
       "a\uFFFDb"},
      {"ISO_IR 192", "\xc0\xaf", "\uFFFD\uFFFD"},                      // overlong '/'
      {"ISO_IR 192", "\xed\xa0\x80", "\uFFFD\uFFFD\uFFFD"},            // surrogate
      {"ISO_IR 192", "\xf4\x90\x80\x80", "\uFFFD\uFFFD\uFFFD\uFFFD"},  // > U+10FFFF
      {"ISO_IR 192", "x\xe4\xb8", "x\uFFFD"},                          // truncated
      {"GB18030", "\x94\x39\xfc\x36\xcd", "😀\uFFFD"},                  // truncated pair
      {"ISO_IR 127", "\xa1", "\uFFFD"},                                // hole in ISO 8859-6
      {"\\ISO 2022 IR 149", "\x1b$)C\xc9\xa1", "\uFFFD"},              // KS X 1001 user-defined row
      {"\\ISO 2022 IR 149",
       "\x1b$)C\xb1"
       "a",
       "\uFFFDa"},                                        // half a character
      {"\\ISO 2022 IR 87", "\x1b$B$\x1b(Bx", "\uFFFDx"},  // half a character
      {"\\ISO 2022 IR 87", "\x1b$)Zab", "\uFFFDab"},      // unknown escape sequence
      {"\\ISO 2022 IR 87", "ab\x1b", "ab\uFFFD"},         // lone ESC
      {"ISO 2022 IR 13", "\x1b)I\xe0", "\uFFFD"},         // outside half-width katakana
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.raw);
    const CharsetDecoder decoder(c.charset);
    EXPECT_EQ(decoder.decode(c.raw), c.expected);
    EXPECT_TRUE(decoder.had_errors());
  }
}

TEST(CharsetDecoderTest, UndeclaredHighBytesReadAsLatin1WithError) {
  for (const char* charset : {"", "ISO_IR 6", "  ", "\\ISO 2022 IR 87"}) {
    SCOPED_TRACE(charset);
    const CharsetDecoder decoder(charset);
    EXPECT_EQ(decoder.decode("J\xe9r\xf4me"), "Jérôme");
    EXPECT_TRUE(decoder.had_errors());
    EXPECT_FALSE(decoder.has_unknown_terms());
  }
}

TEST(CharsetDecoderTest, UnknownTermsAreLatin1) {
  const CharsetDecoder decoder("ISO_IR 999");
  EXPECT_TRUE(decoder.has_unknown_terms());
  EXPECT_NE(decoder.problem().find("ISO_IR 999"), std::string::npos);
  EXPECT_EQ(decoder.decode("J\xe9r\xf4me"), "Jérôme");
  EXPECT_FALSE(decoder.had_errors());  // reported once, in problem(), not per value

  const CharsetDecoder second("\\ISO 2022 IR 146");
  EXPECT_TRUE(second.has_unknown_terms());
  EXPECT_EQ(second.decode("\xe9"), "é");
}

TEST(CharsetDecoderTest, NonStandardSpellingsAreReadWithAProblemNote) {
  for (const char* charset : {"ISO_IR_100", "iso-ir 100", "ISO IR 100", "ISO_IR100 "}) {
    SCOPED_TRACE(charset);
    const CharsetDecoder decoder(charset);
    EXPECT_FALSE(decoder.has_unknown_terms());
    EXPECT_FALSE(decoder.problem().empty());
    EXPECT_EQ(decoder.decode("\xe9"), "é");
  }
  const CharsetDecoder jis("\\ISO_IR 87");
  EXPECT_EQ(jis.decode("\x1b$B$d\x1b(B"), "や");
  EXPECT_EQ(CharsetDecoder("ISO_IR 100").problem(), "");
  EXPECT_EQ(CharsetDecoder(" ISO_IR 100 \\").problem(), "");  // padding and an empty extra term
  // UTF-8 excludes code extensions; the rest is ignored with a note.
  const CharsetDecoder utf8("ISO_IR 192\\ISO 2022 IR 100");
  EXPECT_FALSE(utf8.problem().empty());
  EXPECT_EQ(utf8.decode("\xc3\xa9"), "é");
}

TEST(CharsetDecoderTest, ModeQueries) {
  for (const char* charset : {"", "ISO_IR 6", "ISO_IR 100", "ISO_IR 13", "ISO_IR 166", "bogus"}) {
    SCOPED_TRACE(charset);
    EXPECT_TRUE(CharsetDecoder(charset).is_single_byte());
    EXPECT_FALSE(CharsetDecoder(charset).uses_code_extensions());
  }
  for (const char* charset : {"ISO 2022 IR 100", "\\ISO 2022 IR 87", "\\ISO 2022 IR 149"}) {
    SCOPED_TRACE(charset);
    EXPECT_FALSE(CharsetDecoder(charset).is_single_byte());
    EXPECT_TRUE(CharsetDecoder(charset).uses_code_extensions());
  }
  for (const char* charset : {"ISO_IR 192", "GB18030", "GBK"}) {
    EXPECT_FALSE(CharsetDecoder(charset).is_single_byte());
    EXPECT_FALSE(CharsetDecoder(charset).uses_code_extensions());
  }
}

// Every term the decoder knows, alone and in the combinations PS3.5 shows.
const char* const kAllCharsets[] = {"",
                                    "ISO_IR 6",
                                    "ISO_IR 100",
                                    "ISO_IR 101",
                                    "ISO_IR 109",
                                    "ISO_IR 110",
                                    "ISO_IR 144",
                                    "ISO_IR 127",
                                    "ISO_IR 126",
                                    "ISO_IR 138",
                                    "ISO_IR 148",
                                    "ISO_IR 203",
                                    "ISO_IR 13",
                                    "ISO_IR 166",
                                    "ISO_IR 192",
                                    "GB18030",
                                    "GBK",
                                    "ISO 2022 IR 6",
                                    "ISO 2022 IR 100",
                                    "ISO 2022 IR 101",
                                    "ISO 2022 IR 109",
                                    "ISO 2022 IR 110",
                                    "ISO 2022 IR 144",
                                    "ISO 2022 IR 127",
                                    "ISO 2022 IR 126",
                                    "ISO 2022 IR 138",
                                    "ISO 2022 IR 148",
                                    "ISO 2022 IR 203",
                                    "ISO 2022 IR 13",
                                    "ISO 2022 IR 166",
                                    "\\ISO 2022 IR 87",
                                    "ISO 2022 IR 13\\ISO 2022 IR 87",
                                    "ISO 2022 IR 6\\ISO 2022 IR 87\\ISO 2022 IR 159",
                                    "\\ISO 2022 IR 149",
                                    "\\ISO 2022 IR 58",
                                    "ISO 2022 IR 100\\ISO 2022 IR 144\\ISO 2022 IR 126",
                                    "ISO 2022 IR 87",
                                    "unknown"};

TEST(CharsetDecoderTest, PlainAsciiIsTheIdentityEverywhere) {
  const std::string ascii = "Doe^John^^Dr.=x\\y\r\n\t~ 0123456789 abcdefghijklmnopqrstuvwxyz";
  for (const char* charset : kAllCharsets) {
    SCOPED_TRACE(charset);
    const CharsetDecoder decoder(charset);
    EXPECT_EQ(decoder.decode(ascii, true), ascii);
    EXPECT_EQ(decoder.decode(ascii, false), ascii);
    EXPECT_EQ(decoder.decode(""), "");
    EXPECT_FALSE(decoder.had_errors());
  }
}

TEST(CharsetDecoderTest, IsPlainAsciiChecksEveryPosition) {
  EXPECT_TRUE(CharsetDecoder::is_plain_ascii(""));
  for (std::size_t length = 1; length < 24; ++length) {
    for (std::size_t at = 0; at < length; ++at) {
      std::string s(length, 'a');
      EXPECT_TRUE(CharsetDecoder::is_plain_ascii(s));
      s[at] = '\x1b';
      EXPECT_FALSE(CharsetDecoder::is_plain_ascii(s)) << length << " " << at;
      s[at] = '\x80';
      EXPECT_FALSE(CharsetDecoder::is_plain_ascii(s)) << length << " " << at;
      s[at] = '\x1a';  // neighbours of ESC are plain
      EXPECT_TRUE(CharsetDecoder::is_plain_ascii(s));
      s[at] = '\x1c';
      EXPECT_TRUE(CharsetDecoder::is_plain_ascii(s));
    }
  }
}

TEST(CharsetDecoderTest, ErrorFlagsPerValueAndCumulative) {
  const CharsetDecoder decoder("ISO_IR 192");
  EXPECT_EQ(decoder.values_with_errors(), 0u);
  decoder.decode("\xff");
  EXPECT_TRUE(decoder.had_errors());
  decoder.decode("ok");
  EXPECT_FALSE(decoder.had_errors());
  decoder.decode("\xfe");
  EXPECT_EQ(decoder.values_with_errors(), 2u);

  std::string out = "prefix:";
  EXPECT_FALSE(decoder.decode_to("\xc3\xa9", out));
  EXPECT_EQ(out, "prefix:é");
}

TEST(CharsetDecoderTest, MovesKeepOpenConverters) {
  CharsetDecoder korean("\\ISO 2022 IR 149");
  EXPECT_EQ(korean.decode("\x1b$)C\xc8\xab"), "홍");  // opens the EUC-KR converter
  CharsetDecoder moved(std::move(korean));
  EXPECT_EQ(moved.decode("\x1b$)C\xb1\xe6\xb5\xbf"), "길동");
  CharsetDecoder japanese("\\ISO 2022 IR 87");
  EXPECT_EQ(japanese.decode("\x1b$B;3ED\x1b(B"), "山田");
  japanese = std::move(moved);  // closes the EUC-JP converter, takes EUC-KR
  EXPECT_EQ(japanese.decode("\x1b$)C\xc8\xab"), "홍");
  EXPECT_TRUE(japanese.uses_code_extensions());
}

bool is_valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    const std::size_t len = b < 0x80                 ? 1
                            : b >= 0xC2 && b <= 0xDF ? 2
                            : b >= 0xE0 && b <= 0xEF ? 3
                            : b >= 0xF0 && b <= 0xF4 ? 4
                                                     : 0;
    if (len == 0 || i + len > s.size()) return false;
    std::uint32_t cp = len == 1 ? b : b & (0x7F >> len);
    for (std::size_t k = 1; k < len; ++k) {
      const auto c = static_cast<unsigned char>(s[i + k]);
      if ((c & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (c & 0x3F);
    }
    const std::uint32_t min = len == 2 ? 0x80 : len == 3 ? 0x800 : len == 4 ? 0x10000 : 0;
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

TEST(CharsetDecoderTest, RandomBytesNeverCrashAndGiveValidUtf8) {
  // Biased towards what drives the state machine: escapes, their bytes, delimiters, high bytes.
  const std::string_view interesting = "\x1b\x1b$()-BJIDCAL^=\\\r\n\t\x8f\xa1\xfe";
  std::mt19937 random(20240229);
  for (const char* charset : kAllCharsets) {
    SCOPED_TRACE(charset);
    const CharsetDecoder decoder(charset);
    for (int round = 0; round < 1500; ++round) {
      std::string raw(random() % 48, '\0');
      for (char& c : raw) {
        const unsigned pick = random() % 8;
        c = pick < 3   ? interesting[random() % interesting.size()]
            : pick < 5 ? static_cast<char>(0x80 | random() % 0x80)
            : pick < 7 ? static_cast<char>(0x21 + random() % 0x5E)
                       : static_cast<char>(random() % 0x100);
      }
      const bool person_name = round % 2 == 0;
      const std::string first = decoder.decode(raw, person_name);
      ASSERT_TRUE(is_valid_utf8(first)) << testing::PrintToString(raw);
      ASSERT_EQ(decoder.decode(raw, person_name), first);  // no state leaks between values
    }
  }
}

// Issue 14 item 3: Japanese modalities write Shift-JIS under ISO_IR 13 (JIS X 0201 only). pydicom,
// DCMTK and Orthanc decode it as Shift-JIS; the expected strings are Python's shift_jis codec
// ("Test-ДΘﾈ".encode("shift_jis") is Orthanc's test name). It is said in the report, never silent.
TEST(CharsetDecoderTest, IsoIr13HoldingShiftJisIsReadAsShiftJisAndReported) {
  TextReport report;
  CharsetDecoder decoder("ISO_IR 13");
  decoder.report_to(&report);
  EXPECT_EQ(decoder.decode("Test-\x84"
                           "D\x83\xa6\xc8",
                           true),
            "Test-ДΘﾈ");
  EXPECT_FALSE(decoder.had_errors());
  // A trail byte 0x5C is half of ソ, not a value delimiter; the '\\' after it is one.
  EXPECT_EQ(decoder.decode("\x83\\\\\xb1"), "ソ\\ｱ");
  EXPECT_EQ(decoder.decode("\x8eR\x93"
                           "c^\x91\xbe\x98Y",
                           true),
            "山田^太郎");
  EXPECT_EQ(report.shift_jis, 3u);
  // What ISO IR 13 itself defines (half-width katakana) is no finding.
  EXPECT_EQ(decoder.decode("\xd4\xcf\xc0\xde"), "ﾔﾏﾀﾞ");
  EXPECT_EQ(report.shift_jis, 3u);
  EXPECT_EQ(report.replaced, 0u);
  // Bytes neither set defines still become U+FFFD, and that is counted.
  EXPECT_EQ(decoder.decode("A\x80"
                           "B\xa0"
                           "C\xfd"
                           "D"),
            "A\uFFFDB\uFFFDC\uFFFDD");
  EXPECT_TRUE(decoder.had_errors());
  EXPECT_EQ(report.replaced, 1u);
  // The same convention with code extensions (pydicom's shift_jis for ISO 2022 IR 13).
  CharsetDecoder extended("ISO 2022 IR 13\\ISO 2022 IR 87");
  extended.report_to(&report);
  EXPECT_EQ(extended.decode("\x8eR\x93"
                            "c=\x1b$B;3ED\x1b(J",
                            true),
            "山田=山田");
  EXPECT_EQ(report.shift_jis, 4u);
}

// Issue 14 item 4: invalid UTF-8 becomes one U+FFFD per maximal subpart (as Python's and WHATWG's
// decoders do: b"a\xf0\x9f\x98b\xed\xa0\x80c\xf4\x90\x80\x80d\xc0\xafe".decode("utf-8",
// "replace")), and every replacement is reported.
TEST(CharsetDecoderTest, InvalidUtf8IsReplacedPerMaximalSubpartAndReported) {
  TextReport report;
  CharsetDecoder decoder("ISO_IR 192");
  decoder.report_to(&report);
  EXPECT_EQ(decoder.decode("a\xf0\x9f\x98"
                           "b\xed\xa0\x80"
                           "c\xf4\x90\x80\x80"
                           "d\xc0\xaf"
                           "e"),
            "a\uFFFD"
            "b\uFFFD\uFFFD\uFFFD"
            "c\uFFFD\uFFFD\uFFFD\uFFFD"
            "d\uFFFD\uFFFD"
            "e");
  EXPECT_EQ(decoder.decode("\xef\xbf"), "\uFFFD");
  EXPECT_EQ(decoder.decode("ok \xc3\xa9"), "ok é");
  EXPECT_EQ(report.replaced, 2u);
  // 8-bit bytes without a declared set are read as Latin-1: a guess, counted apart.
  CharsetDecoder undeclared("");
  undeclared.report_to(&report);
  EXPECT_EQ(undeclared.decode("Caf\xe9"), "Café");
  EXPECT_EQ(report.guessed, 1u);
  EXPECT_EQ(report.replaced, 2u);
}

TEST(CharsetDecoderTest, TextReportSaysEachFindingOnce) {
  TextReport report;
  std::string warning;
  report.append_to(warning);
  EXPECT_EQ(warning, "");
  CharsetDecoder odd("ISO_IR 999");
  odd.report_to(&report);
  report.replaced = 2;
  report.shift_jis = 1;
  warning = "first";
  report.append_to(warning);
  EXPECT_EQ(warning,
            "first; 2 text values held bytes their character set does not define: replaced by "
            "U+FFFD; 1 text value declared ISO_IR 13 (JIS X 0201) held Shift-JIS double-byte "
            "characters: read as Shift-JIS, as pydicom, DCMTK and Orthanc do; Specific Character "
            "Set: unrecognised Specific Character Set term 'ISO_IR 999', read as ISO_IR 100 "
            "(Latin-1)");
}

}  // namespace
}  // namespace dicometl::dicom
