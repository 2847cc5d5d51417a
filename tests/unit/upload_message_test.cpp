// STOW-RS message building and answer parsing, destination URLs.
#include <gtest/gtest.h>

#include "dicometl/upload/destination.hpp"
#include "dicometl/upload/records.hpp"
#include "dicometl/upload/stow_message.hpp"

using namespace dicometl::upload;

TEST(UploadDestination, ParsesDicomWebAndDimse) {
  auto w = parse_destination("https://user:s%40cret%3Ax@pacs.example/dicom-web/");
  EXPECT_EQ(w.protocol, Protocol::kDicomWeb);
  // The password leaves the URL: it travels as a libcurl option only, percent-decoded.
  EXPECT_EQ(w.base, "https://pacs.example/dicom-web");
  EXPECT_EQ(w.key, "https://pacs.example/dicom-web");
  EXPECT_EQ(w.credentials.user, "user");
  EXPECT_EQ(w.credentials.password, "s@cret:x");
  EXPECT_TRUE(parse_destination("http://h:8042/dicom-web").credentials.empty());
  EXPECT_EQ(without_credentials("ftp://u:pw@h/x"), "ftp://h/x");  // error messages show no password
  EXPECT_EQ(without_credentials("dicom://AET@h:104"), "dicom://AET@h:104");
  EXPECT_EQ(without_credentials("dicom://u:pw@h:104"), "dicom://h:104");
  auto d = parse_destination("dicom://ORTHANC@127.0.0.1:4242");
  EXPECT_EQ(d.protocol, Protocol::kDimse);
  EXPECT_EQ(d.aet, "ORTHANC");
  EXPECT_EQ(d.host, "127.0.0.1");
  EXPECT_EQ(d.port, 4242);
  EXPECT_EQ(d.key, "dicom://ORTHANC@127.0.0.1:4242");
  EXPECT_EQ(parse_destination("dicom://A@h").port, 104);
  EXPECT_THROW(parse_destination("dicom://host:104"), std::invalid_argument);
  EXPECT_THROW(parse_destination("dicom://A@h:0"), std::invalid_argument);
  EXPECT_THROW(parse_destination("ftp://h/x"), std::invalid_argument);
}

TEST(UploadRecords, UnderRoot) {
  EXPECT_TRUE(under_root("a/b/c.dcm", "a"));
  EXPECT_TRUE(under_root("a//c.dcm", "a/"));
  EXPECT_TRUE(under_root("a/c.dcm", "a/c.dcm"));
  EXPECT_FALSE(under_root("ab/c.dcm", "a"));
}

TEST(UploadStow, MultipartIsTheSpecsLayout) {
  // Written out by hand from RFC 2046 §5.1.1 and PS3.18 §10.5 (STOW-RS): each part is
  // "--" boundary CRLF, its headers, CRLF, the bytes, CRLF; the close delimiter ends with "--".
  using namespace std::string_literals;
  const std::vector<std::string> parts = {"DICM\0\x01"s, "second"};
  const std::string expected =
      "--b0undary\r\n"
      "Content-Type: application/dicom\r\n"
      "\r\n"
      "DICM\0\x01\r\n"
      "--b0undary\r\n"
      "Content-Type: application/dicom\r\n"
      "\r\n"
      "second\r\n"
      "--b0undary--\r\n"s;
  EXPECT_EQ(make_multipart(parts, "b0undary"), expected);
  EXPECT_EQ(multipart_content_type("b0undary"),
            "multipart/related; type=\"application/dicom\"; boundary=b0undary");
}

TEST(UploadStow, BoundaryIsLegalAndAbsentFromTheParts) {
  // RFC 2046: 1 to 70 characters from a restricted set, and not inside any part.
  const std::string bchars =
      "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'()+_,-./:=? ";
  for (int i = 0; i < 50; ++i) {
    std::vector<std::string> parts = {std::string(4096, '-'), "dicometl-"};
    const std::string b = make_boundary(parts);
    ASSERT_FALSE(b.empty());
    EXPECT_LE(b.size(), 70u);
    EXPECT_NE(b.back(), ' ');
    EXPECT_EQ(b.find_first_not_of(bchars), std::string::npos) << b;
    for (const auto& p : parts) EXPECT_EQ(p.find(b), std::string::npos);
  }
}

TEST(UploadStow, ReadsReferencedAndFailedSequences) {
  const char* answer = R"({
    "00081199": {"vr": "SQ", "Value": [{"00081155": {"vr": "UI", "Value": ["1.2.3"]},
                                        "00081190": {"vr": "UR", "Value": ["http://x/1.2.3"]}}]},
    "00081198": {"vr": "SQ", "Value": [{"00081155": {"vr": "UI", "Value": ["1.2.4"]},
                                        "00081197": {"vr": "US", "Value": [42752]}}]}})";
  auto m = parse_stow_response(answer);
  ASSERT_EQ(m.size(), 2u);
  EXPECT_TRUE(m["1.2.3"].stored);
  EXPECT_EQ(m["1.2.3"].retrieve_url, "http://x/1.2.3");
  EXPECT_FALSE(m["1.2.4"].stored);
  EXPECT_EQ(m["1.2.4"].failure, "failure reason 0xA700");
  EXPECT_TRUE(parse_stow_response("").empty());
  EXPECT_THROW(parse_stow_response("<html>"), std::runtime_error);
}

TEST(UploadStow, ReadsQidoInstances) {
  auto uids = parse_qido_sop_uids(R"([{"00080018": {"vr": "UI", "Value": ["1.2"]}}, {}])");
  ASSERT_EQ(uids.size(), 1u);
  EXPECT_EQ(uids[0], "1.2");
  EXPECT_TRUE(parse_qido_sop_uids("").empty());
}
