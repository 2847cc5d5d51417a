#pragma once
// Opens the OCR module (libdicometl_tesseract.so) on first use. Looked for in
// $DICOMETL_MODULE_DIR, beside the running binary, in ../lib/dicometl from it, and in the build
// tree's output folder (for test binaries living elsewhere in the build).
#include <string>

#include "dicometl/ocr/backend.hpp"

namespace dicometl::dexa {

struct OcrModule {
  ocr::MakeBackend make = nullptr;
  ocr::WritePng write_png = nullptr;
  std::string error;  //!< why the module could not be used, when the functions are null
};

//! The module, opened once per process (thread-safe).
const OcrModule& ocr_module();

}  // namespace dicometl::dexa
