#include "dicometl/catalog/dicom_json.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using namespace dicometl;

namespace {
Element text(Tag t, const char* vr, std::vector<std::string> values) {
  Element e;
  e.tag = t;
  e.vr[0] = vr[0];
  e.vr[1] = vr[1];
  e.values = std::move(values);
  return e;
}
}  // namespace

// Expected shapes are PS3.18 Annex F's own examples, parsed by an independent JSON library.
TEST(DicomJson, FollowsPs3_18AnnexF) {
  Dataset ds;
  ds.elements.push_back(text(tags::kSopClassUid, "UI", {"1.2.840.10008.5.1.4.1.1.2"}));
  ds.elements.push_back(text(tags::kModality, "CS", {"CT"}));
  ds.elements.push_back(text(tags::kPatientName, "PN", {"Yamada^Tarou=山田^太郎=やまだ^たろう"}));
  ds.elements.push_back(text(tags::kSliceThickness, "DS", {"2.5"}));
  ds.elements.push_back(text(tags::kPixelSpacing, "DS", {"0.5", "0.5"}));
  ds.elements.push_back(text(tags::kRows, "US", {"512"}));
  Element seq;
  seq.tag = make_tag(0x0008, 0x1115);
  seq.vr[0] = 'S';
  seq.vr[1] = 'Q';
  Dataset item;
  item.elements.push_back(text(tags::kSeriesInstanceUid, "UI", {"1.2.3"}));
  seq.items.push_back(item);
  ds.elements.push_back(seq);
  Element bin;
  bin.tag = make_tag(0x0009, 0x1001);
  bin.vr[0] = 'O';
  bin.vr[1] = 'B';
  bin.binary = std::string("\x01\x02\x03", 3);
  ds.elements.push_back(bin);
  ds.elements.push_back(text(tags::kStudyDescription, "LO", {}));

  auto j = nlohmann::json::parse(to_dicom_json(ds));
  EXPECT_EQ(j["00080016"]["vr"], "UI");
  EXPECT_EQ(j["00080060"]["Value"][0], "CT");
  EXPECT_EQ(j["00100010"]["Value"][0]["Alphabetic"], "Yamada^Tarou");
  EXPECT_EQ(j["00100010"]["Value"][0]["Ideographic"], "山田^太郎");
  EXPECT_EQ(j["00100010"]["Value"][0]["Phonetic"], "やまだ^たろう");
  EXPECT_DOUBLE_EQ(j["00180050"]["Value"][0].get<double>(), 2.5);
  EXPECT_EQ(j["00280030"]["Value"].size(), 2u);
  EXPECT_EQ(j["00280010"]["Value"][0], 512);
  EXPECT_EQ(j["00081115"]["Value"][0]["0020000E"]["Value"][0], "1.2.3");
  EXPECT_EQ(j["00091001"]["InlineBinary"], "AQID");
  EXPECT_FALSE(j["00081030"].contains("Value"));
}

TEST(DicomJson, InvalidNumbersStayStringsAndBadUtf8IsReplaced) {
  Dataset ds;
  ds.elements.push_back(text(tags::kSliceThickness, "DS", {"2,5"}));
  ds.elements.push_back(text(tags::kStudyDescription, "LO", {std::string("caf\xe9\"\n", 6)}));
  auto j = nlohmann::json::parse(to_dicom_json(ds));  // throws if the output is not valid JSON
  EXPECT_EQ(j["00180050"]["Value"][0], "2,5");
  EXPECT_EQ(j["00081030"]["Value"][0], "caf\xEF\xBF\xBD\"\n");
}

// InlineBinary is base64 as RFC 4648 section 10 gives its test vectors (OpenSSL's encoder).
TEST(DicomJson, InlineBinaryIsRfc4648Base64) {
  const std::pair<std::string, const char*> vectors[] = {{"f", "Zg=="},
                                                         {"fo", "Zm8="},
                                                         {"foo", "Zm9v"},
                                                         {"foob", "Zm9vYg=="},
                                                         {"fooba", "Zm9vYmE="},
                                                         {"foobar", "Zm9vYmFy"},
                                                         {std::string("\xFF\xFE\x00", 3), "//4A"}};
  for (const auto& [raw, encoded] : vectors) {
    Dataset ds;
    Element bin;
    bin.tag = make_tag(0x0009, 0x1001);
    bin.vr[0] = 'O';
    bin.vr[1] = 'B';
    bin.binary = raw;
    ds.elements.push_back(bin);
    EXPECT_EQ(nlohmann::json::parse(to_dicom_json(ds))["00091001"]["InlineBinary"], encoded) << raw;
  }
}
