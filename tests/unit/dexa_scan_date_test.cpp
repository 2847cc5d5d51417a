// The scan date printed on a page (scan_date.cpp): month-name forms, the label's line only, and
// pages without a date label.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "dicometl/dexa/scan_date.hpp"

using namespace dicometl::dexa;

namespace {

// Words of one line at height y, 60 px apart.
std::vector<OcrWord> line(const std::vector<std::string>& texts, int y, int x = 10) {
  std::vector<OcrWord> out;
  for (const auto& t : texts) {
    out.push_back({t, x, y, x + 50, y + 20, 95, 95});
    x += 60;
  }
  return out;
}

std::vector<OcrWord> operator+(std::vector<OcrWord> a, const std::vector<OcrWord>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

}  // namespace

TEST(DexaScanDateNames, MonthNameDatesFoundAndCompared) {
  // Hologic: "Scan Date: December 04, 2019 ID: A12041907"
  auto hologic = line({"Scan", "Date:", "December", "04,", "2019", "ID:", "A12041907"}, 100) +
                 line({"Sex:", "Female"}, 130);
  EXPECT_EQ(find_scan_date(hologic), "December 04, 2019");
  EXPECT_TRUE(same_date("December 04, 2019", "20191204"));
  EXPECT_FALSE(same_date("December 04, 2019", "20190412"));  // a month name is not ambiguous

  EXPECT_EQ(find_scan_date(line({"Scan", "Date:", "Dec", "4,", "2019"}, 100)), "Dec 4, 2019");
  EXPECT_TRUE(same_date("Dec 4, 2019", "20191204"));
  EXPECT_TRUE(same_date("Sept. 30 2021", "20210930"));

  EXPECT_EQ(find_scan_date(line({"Exam", "Date:", "04-Dec-2019"}, 100)), "04-Dec-2019");
  EXPECT_TRUE(same_date("04-Dec-2019", "20191204"));
  EXPECT_TRUE(same_date("4 December 2019", "20191204"));
  EXPECT_FALSE(same_date("04-Dec-2019", "20191203"));

  // Numeric dates keep both readings.
  EXPECT_EQ(find_scan_date(line({"Scan", "Date:", "04.12.2019"}, 100)), "04.12.2019");
  EXPECT_TRUE(same_date("04.12.2019", "20191204"));
  EXPECT_TRUE(same_date("04.12.2019", "20190412"));
  EXPECT_FALSE(same_date("04.12.2019", "20191205"));

  // GE: "Measured: 12/4/2019 10:31:07 AM"
  EXPECT_EQ(find_scan_date(line({"Measured:", "12/4/2019", "10:31:07", "AM"}, 100)), "12/4/2019");
  EXPECT_TRUE(same_date("12/4/2019", "20191204"));
}

TEST(DexaScanDateNames, NoLabelNoDate) {
  // GE iDXA prints no date label; a trend table's "Measured Date" heading is no label either,
  // and a date on another line is not the label's.
  auto page = line({"Densitometry", "Trend:", "AP", "Spine"}, 100) +
              line({"Measured", "Date", "Age", "BMD"}, 130) +
              line({"04.12.2017", "67.1", "0.981"}, 160) + line({"Scan", "Date:"}, 300) +
              line({"December", "04,", "2019"}, 400);
  EXPECT_EQ(find_scan_date(page), "");
  EXPECT_FALSE(same_date("", "20191204"));
  EXPECT_FALSE(same_date("Smith 04, 2019", "20190404"));
}
