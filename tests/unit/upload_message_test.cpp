// STOW-RS message building and answer parsing, destination URLs.
#include <gtest/gtest.h>

#include "dicometl/upload/destination.hpp"
#include "dicometl/upload/records.hpp"
#include "dicometl/upload/stow_message.hpp"

using namespace dicometl::upload;

TEST(UploadDestination, ParsesDicomWebAndDimse) {
  auto w = parse_destination("https://user:secret@pacs.example/dicom-web/");
  EXPECT_EQ(w.protocol, Protocol::kDicomWeb);
  EXPECT_EQ(w.base, "https://user:secret@pacs.example/dicom-web");
  EXPECT_EQ(w.key, "https://pacs.example/dicom-web");
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

TEST(UploadStow, MultipartFramesEveryPart) {
  std::vector<std::string> parts = {std::string("DICM\0\x01", 6), "second"};
  const std::string b = make_boundary(parts);
  const std::string body = make_multipart(parts, b);
  EXPECT_EQ(body, "--" + b + "\r\nContent-Type: application/dicom\r\n\r\n" + parts[0] + "\r\n--" + b +
                      "\r\nContent-Type: application/dicom\r\n\r\nsecond\r\n--" + b + "--\r\n");
  EXPECT_EQ(multipart_content_type(b), "multipart/related; type=\"application/dicom\"; boundary=" + b);
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
