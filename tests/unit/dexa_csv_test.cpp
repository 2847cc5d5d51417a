// The DXA CSV writers against formula injection (issue 13 item 7): PatientID, paths and OCR text
// are attacker-controlled, and a spreadsheet runs a cell that starts with = + @ - (or tab/CR).
#include <gtest/gtest.h>

#include <sstream>

#include "dicometl/dexa/csv_output.hpp"

using namespace dicometl::dexa;

namespace {

Page page_with(const std::string& patient_id, const std::string& region, const std::string& value) {
  Page p;
  p.patient_id = patient_id;
  p.exam_date = "20240101";
  p.site = "spine";
  p.layout = "hologic";
  p.source_path = "/in/a.dcm";
  p.sop_instance_uid = "1.2.3";
  Value v;
  v.region = region;
  v.metric = "t_score";
  v.text = value;
  v.unit = "{T-score}";
  v.conf = 91;
  p.values.push_back(v);
  return p;
}

// The second line of a CSV (the first data row).
std::string first_row(const std::string& csv) {
  const auto a = csv.find('\n') + 1;
  return csv.substr(a, csv.find('\n', a) - a);
}

// The long CSV's data row of one value.
std::string long_row(const std::string& patient_id, const std::string& region,
                     const std::string& value) {
  std::ostringstream out;
  write_long_csv(out, {page_with(patient_id, region, value)});
  return first_row(out.str());
}

}  // namespace

TEST(DexaCsv, FormulaCellsAreDefusedInTextColumns) {
  for (const std::string bad :
       {"=HYPERLINK(\"http://x\")", "+1+1", "@SUM(A1)", "-2+3", "\tx", "\rx"}) {
    const std::string row = long_row(bad, "L1", "-1.2");
    // A leading single quote inside a quoted cell: shown as text, never evaluated.
    EXPECT_EQ(row.rfind("\"'", 0), 0u) << row;
  }
}

TEST(DexaCsv, NegativeNumbersStayNumbers) {
  const std::string row = long_row("P1", "L1", "-1.2");
  EXPECT_NE(row.find(",-1.2,"), std::string::npos) << row;
  EXPECT_EQ(row.find('\''), std::string::npos) << row;
}

TEST(DexaCsv, ANumericColumnThatIsNotANumberIsDefused) {
  const std::string row = long_row("P1", "=cmd|' /C calc'!A0", "-1+2");
  EXPECT_NE(row.find("\"'=cmd|' /C calc'!A0\""), std::string::npos) << row;
  EXPECT_NE(row.find("\"'-1+2\""), std::string::npos) << row;
}

TEST(DexaCsv, WideAndRejectsToo) {
  std::ostringstream wide;
  write_wide_csv(wide, {page_with("@evil", "L1", "-0.4")});
  const std::string row = first_row(wide.str());
  EXPECT_EQ(row.rfind("\"'@evil\"", 0), 0u) << row;
  EXPECT_NE(row.find(",-0.4"), std::string::npos) << row;
  std::ostringstream rejects;
  write_rejects_csv(rejects, {Rejected{"=1+1.dcm", "not DICOM"}});
  EXPECT_EQ(first_row(rejects.str()), "\"'=1+1.dcm\",not DICOM");
}
