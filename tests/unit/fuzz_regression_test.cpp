// Inputs the fuzzer (tests/fuzz/run.sh) found to break the header reader, kept so they stay fixed:
// each must come back as a value (an instance or a reject with a reason) from both parsers.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <sys/stat.h>

#include "dicometl/dicom/header_reader.hpp"

namespace {

TEST(FuzzRegression, EveryFoundInputIsAValueNotACrash) {
  const std::filesystem::path dir = std::filesystem::path(DICOMETL_TEST_DATA) / "fuzz";
  int seen = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    dicometl::FileStat file;
    file.path = entry.path().string();
    file.size = std::filesystem::file_size(entry.path());
    for (const bool dcmtk : {false, true}) {
      dicometl::dicom::ReadOptions options;
      options.force_dcmtk = dcmtk;
      dicometl::ReadOutcome out;
      ASSERT_NO_THROW(out = dicometl::dicom::read_header(file, options)) << file.path;
      if (const auto* rej = std::get_if<dicometl::Reject>(&out)) {
        EXPECT_FALSE(rej->reason.empty()) << file.path;
      }
    }
    ++seen;
  }
  EXPECT_GE(seen, 1);
}

TEST(FuzzRegression, MalformedDicomdirRecordIsRejectedAsCorrupt) {
  dicometl::FileStat file;
  file.path = std::string(DICOMETL_TEST_DATA) + "/fuzz/dicomdir-record-throws-in-dcmtk.dcm";
  file.size = std::filesystem::file_size(file.path);
  dicometl::dicom::ReadOptions options;
  options.force_dcmtk = true;
  const auto out = dicometl::dicom::read_header(file, options);
  const auto* rej = std::get_if<dicometl::Reject>(&out);
  ASSERT_NE(rej, nullptr);
  EXPECT_EQ(rej->kind, dicometl::RejectKind::kCorrupt);
  EXPECT_NE(rej->reason.find("malformed"), std::string::npos) << rej->reason;
}

}  // namespace
