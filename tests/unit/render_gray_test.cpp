// dicom::render_gray on real files written by others (pydicom's corpus): every transfer syntax
// and photometric interpretation DXA pages may come in. Lossless encodings of one image must
// render to the same picture as the uncompressed original.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <variant>

#include "dicometl/dicom/header_reader.hpp"
#include "dicometl/dicom/render_gray.hpp"

namespace {

const std::string kCorpus = "/usr/lib/python3/dist-packages/pydicom/data/test_files/";

dicometl::dicom::GrayImage render_ok(const std::string& name) {
  auto out = dicometl::dicom::render_gray(kCorpus + name);
  if (auto* err = std::get_if<dicometl::dicom::RenderError>(&out)) {
    ADD_FAILURE() << name << ": " << err->reason;
    return {};
  }
  return std::get<dicometl::dicom::GrayImage>(out);
}

// Rows and Columns as the header reader sees them: the oracle for the rendered size.
std::pair<int, int> header_size(const std::string& name) {
  dicometl::FileStat file;
  file.path = kCorpus + name;
  file.size = 0;
  std::error_code ec;
  file.size = std::filesystem::file_size(file.path, ec);
  auto out = dicometl::dicom::read_header(file);
  const auto* inst = std::get_if<dicometl::Instance>(&out);
  if (!inst || !inst->rows || !inst->columns) return {0, 0};
  return {static_cast<int>(*inst->columns), static_cast<int>(*inst->rows)};
}

TEST(RenderGray, LosslessEncodingsOfOneImageRenderTheSame) {
  const auto reference = render_ok("MR_small.dcm");
  ASSERT_EQ(reference.width * reference.height, static_cast<int>(reference.pixels.size()));
  for (const char* name : {"MR_small_RLE.dcm", "MR_small_jpeg_ls_lossless.dcm",
                           "MR_small_bigendian.dcm", "MR_small_implicit.dcm"}) {
    const auto img = render_ok(name);
    EXPECT_EQ(img.width, reference.width) << name;
    EXPECT_EQ(img.height, reference.height) << name;
    EXPECT_TRUE(img.pixels == reference.pixels) << name << " differs from MR_small.dcm";
  }
}

TEST(RenderGray, CompressedAndColourPagesRenderAtTheirHeaderSize) {
  for (const char* name : {"JPEG-lossy.dcm", "JPGExtended.dcm", "SC_rgb_rle.dcm",
                           "SC_rgb_jpeg_dcmtk.dcm", "SC_rgb_dcmtk_+eb+cy+np.dcm",
                           "SC_ybr_full_422_uncompressed.dcm", "SC_rgb_small_odd_jpeg.dcm"}) {
    const auto img = render_ok(name);
    const auto [w, h] = header_size(name);
    EXPECT_EQ(img.width, w) << name;
    EXPECT_EQ(img.height, h) << name;
    ASSERT_EQ(static_cast<std::size_t>(img.width) * img.height, img.pixels.size()) << name;
    const auto [lo, hi] = std::minmax_element(img.pixels.begin(), img.pixels.end());
    EXPECT_LT(*lo, *hi) << name << " rendered as one flat grey";
  }
}

TEST(RenderGray, UndecodableSyntaxIsAReasonNotACrash) {
  // Debian's DCMTK has no JPEG 2000 decoder.
  auto out = dicometl::dicom::render_gray(kCorpus + "JPEG2000.dcm");
  const auto* err = std::get_if<dicometl::dicom::RenderError>(&out);
  ASSERT_NE(err, nullptr);
  EXPECT_FALSE(err->reason.empty());
}

}  // namespace
