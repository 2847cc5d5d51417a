// Unit tests of the report's text and chart helpers: escaping is the page's defence against
// markup in DICOM text, so it is tested on hostile and invalid input.
#include <gtest/gtest.h>

#include "dicometl/report/html_text.hpp"
#include "dicometl/report/report.hpp"
#include "dicometl/report/svg_charts.hpp"

using namespace dicometl::report;

TEST(ReportEscape, MarkupBecomesText) {
  EXPECT_EQ(esc("<script>alert(\"x\")</script>"), "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
  EXPECT_EQ(esc("M&M's"), "M&amp;M&#39;s");
  EXPECT_EQ(esc("Müller^Jürgen"), "Müller^Jürgen");
}

TEST(ReportEscape, InvalidUtf8AndControlsAreReplaced) {
  EXPECT_EQ(esc(std::string("a\xff" "b")), "a\xEF\xBF\xBD" "b");
  EXPECT_EQ(esc(std::string("a\x01" "b")), "a\xEF\xBF\xBD" "b");
  EXPECT_EQ(esc(std::string("\xC3")), "\xEF\xBF\xBD");  // cut multibyte sequence
}

TEST(ReportText, ShortenCountsCodePoints) {
  EXPECT_EQ(shorten("abcdef", 10), "abcdef");
  EXPECT_EQ(shorten("abcdef", 4), "abc…");
  EXPECT_EQ(shorten("äöüäöü", 3), "äö…");  // never cuts inside a character
}

TEST(ReportText, Numbers) {
  EXPECT_EQ(thousands(0), "0");
  EXPECT_EQ(thousands(1234567), "1,234,567");
  EXPECT_EQ(thousands(-1000), "-1,000");
  EXPECT_EQ(human_bytes(512), "512 bytes");
  EXPECT_EQ(human_bytes(1536), "1.5 KiB");
  EXPECT_EQ(percent(1, 8), "12.5%");
  EXPECT_EQ(percent(1, 0), "–");
}

TEST(ReportCharts, NiceTicksCoverTheMaximum) {
  EXPECT_EQ(nice_ticks(0), (std::vector<std::int64_t>{0, 1}));
  EXPECT_EQ(nice_ticks(5), (std::vector<std::int64_t>{0, 1, 2, 3, 4, 5}));
  EXPECT_EQ(nice_ticks(23), (std::vector<std::int64_t>{0, 5, 10, 15, 20, 25}));
  const auto big = nice_ticks(1234567);
  EXPECT_GE(big.back(), 1234567);
  EXPECT_LE(big.size(), 8u);
}

TEST(ReportCharts, LabelsAreEscapedInSvg) {
  Chart c{"t<", "x&", "y>", {"<b>bold</b>"}, {{"n", {3}}}};
  for (const std::string& svg : {horizontal_bars(c), columns(c)}) {
    EXPECT_EQ(svg.find("<b>"), std::string::npos);
    EXPECT_NE(svg.find("&lt;b&gt;bold&lt;/b&gt;"), std::string::npos);
    EXPECT_NE(svg.find("<title>t&lt;</title>"), std::string::npos);
  }
  Grid g{"g", "r", "c", {"<r>"}, {"<c>"}, {{2}}};
  EXPECT_EQ(heatmap(g).find("<r>"), std::string::npos);
}

TEST(ReportNames, TransferSyntaxes) {
  EXPECT_EQ(transfer_syntax_name("1.2.840.10008.1.2.1"), "Explicit VR Little Endian");
  EXPECT_EQ(transfer_syntax_name("1.2.840.10008.1.2.4.90"), "JPEG 2000 Lossless");
  EXPECT_EQ(transfer_syntax_name("1.2.3"), "");
}

TEST(ReportPage, EmptyCatalogFiguresRender) {
  Figures f;  // a catalog with no rows still gives a valid page and JSON
  const std::string html = to_html(f);
  EXPECT_NE(html.find("Content-Security-Policy"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_NE(to_json(f).find("\"omop\": null"), std::string::npos);
}
