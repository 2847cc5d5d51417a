#include "dicometl/dicom/sniff.hpp"

#include <gtest/gtest.h>

using dicometl::dicom::FileLayout;
using dicometl::dicom::sniff;

TEST(Sniff, EmptyFileIsNotDicom) {
  auto s = sniff("", 0);
  EXPECT_EQ(s.layout, FileLayout::kNotDicom);
  EXPECT_NE(s.reason.find("empty"), std::string::npos);
}

TEST(Sniff, Part10Preamble) {
  std::string head(128, '\0');
  head += "DICM";
  EXPECT_EQ(sniff(head, 1000).layout, FileLayout::kPart10);
}

TEST(Sniff, RawExplicitLittleEndianDataset) {
  // (0008,0005) CS length 10
  std::string head("\x08\x00\x05\x00" "CS\x0a\x00" "ISO_IR 100", 18);
  EXPECT_EQ(sniff(head, 500).layout, FileLayout::kRawDataset);
}

TEST(Sniff, RawImplicitLittleEndianDataset) {
  // (0008,0016) length 26, implicit VR
  std::string head("\x08\x00\x16\x00\x1a\x00\x00\x00" "1.2.840.10008.5.1.4.1.1.2", 34);
  EXPECT_EQ(sniff(head, 500).layout, FileLayout::kRawDataset);
}

TEST(Sniff, RawBigEndianDataset) {
  std::string head("\x00\x08\x00\x05" "CS\x00\x0a" "ISO_IR 100", 18);
  EXPECT_EQ(sniff(head, 500).layout, FileLayout::kRawDataset);
}

TEST(Sniff, TextIsNotDicom) {
  std::string head = "This is a README file, not an image. It has more than 132 bytes of text in it, "
                     "so that the preamble check has something to look at. Yes indeed.";
  auto s = sniff(head, head.size());
  EXPECT_EQ(s.layout, FileLayout::kNotDicom);
  EXPECT_NE(s.reason.find("DICM"), std::string::npos);
}

TEST(Sniff, ImplicitLengthBeyondFileIsNotDicom) {
  std::string head("\x08\x00\x16\x00\xff\xff\x00\x00xxxxxxxx", 16);
  EXPECT_EQ(sniff(head, 100).layout, FileLayout::kNotDicom);
}
