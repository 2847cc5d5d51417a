#pragma once
// Cheap first look at a file's opening bytes, before any parser runs: most non-DICOM files in an
// archive (reports, thumbnails, logs) are rejected here without handing them to DCMTK, whose
// auto-detection would otherwise try to read random bytes as a dataset.
#include <cstdint>
#include <string>
#include <string_view>

namespace dicometl::dicom {

enum class FileLayout {
  kPart10,      //!< 128-byte preamble + "DICM" + meta header
  kRawDataset,  //!< a dataset without preamble/meta header (little or big endian)
  kNotDicom,
};

struct Sniffed {
  FileLayout layout = FileLayout::kNotDicom;
  std::string reason;  //!< why it is not DICOM, when it is not
};

//! `head` is the first bytes of the file (at least 132 when the file is that long).
Sniffed sniff(std::string_view head, std::uint64_t file_size);

}  // namespace dicometl::dicom
