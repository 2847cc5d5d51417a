#include "dicometl/catalog/dicom_json.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "dicometl/catalog/bulk_data_uri.hpp"

using namespace dicometl;

namespace {
Element text(Tag t, const char* vr, std::vector<std::string> values) {
  Element e;
  e.tag = t;
  e.vr[0] = vr[0];
  e.vr[1] = vr[1];
  e.values.assign(values.begin(), values.end());
  return e;
}
Element binary(Tag t, const char* vr) { return text(t, vr, {}); }
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
    Element bin = binary(make_tag(0x0009, 0x1001), "OB");
    bin.binary = raw;
    ds.elements.push_back(bin);
    EXPECT_EQ(nlohmann::json::parse(to_dicom_json(ds))["00091001"]["InlineBinary"], encoded) << raw;
  }
}

// Issue 14 item 5: a bulk value is a BulkDataURI naming the file and the value's byte range, in the
// form dcm4che writes and parses (BulkData.java: uri + "?offset=" + offset + "&length=" + length),
// not a bare {"vr":…} that reads as an empty element.
TEST(DicomJson, BulkValuesAreBulkDataUrisWithTheirByteRange) {
  Dataset ds;
  Element bulk = binary(make_tag(0x0029, 0x1010), "OB");
  bulk.bulk = true;
  bulk.offset = 1234;
  bulk.length = 5678;
  ds.elements.push_back(bulk);
  auto j = nlohmann::json::parse(to_dicom_json(ds, "/archive/CT 1/a#1.dcm"));
  EXPECT_EQ(j["00291010"]["vr"], "OB");
  EXPECT_EQ(j["00291010"]["BulkDataURI"],
            "file:///archive/CT%201/a%231.dcm?offset=1234&length=5678");
  EXPECT_FALSE(j["00291010"].contains("Value"));
  // The place of a value inside a deflated dataset is unknown: the VR alone, as before.
  ds.elements[0].offset = 0;
  EXPECT_EQ(to_dicom_json(ds, "/a.dcm"), R"({"00291010":{"vr":"OB"}})");
}

TEST(DicomJson, BulkDataUriEncodesAnyPathReversibly) {
  EXPECT_EQ(bulk_data_uri("s3://bucket/x y/z.dcm", 8, 2),
            "s3://bucket/x%20y/z.dcm?offset=8&length=2");
  EXPECT_EQ(bulk_data_uri("S3://b/k", 8, 2), "s3://b/k?offset=8&length=2");
  // Latin-1 file names (not UTF-8) keep their bytes; '&' and '=' cannot be mistaken for the query.
  EXPECT_EQ(bulk_data_uri("/d/caf\xe9&length=1.dcm", 10, 4),
            "file:///d/caf%E9%26length%3D1.dcm?offset=10&length=4");
  // The catalog's \xHH text of such a name (model/path_text.hpp) gives the file's own bytes.
  EXPECT_EQ(bulk_data_uri("/d/caf\\xE9.dcm", 10, 4), "file:///d/caf%E9.dcm?offset=10&length=4");
  // Relative paths are made absolute (the catalog outlives the working directory).
  const std::string relative = bulk_data_uri("sub/a.dcm", 10, 4);
  EXPECT_EQ(relative.rfind("file:///", 0), 0u) << relative;
  EXPECT_NE(relative.find("/sub/a.dcm?offset=10&length=4"), std::string::npos) << relative;
  EXPECT_EQ(bulk_data_uri("/a.dcm", 0, 4), "");
  EXPECT_EQ(bulk_data_uri("/a.dcm", 10, 0xFFFFFFFF), "");
  EXPECT_EQ(bulk_data_uri("", 10, 4), "");
}
