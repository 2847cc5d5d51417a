#include "dicometl/dexa/png_export.hpp"

#include <filesystem>
#include <system_error>

#include "dicometl/dexa/ocr_module.hpp"

namespace dicometl::dexa {

bool write_png(const dicom::GrayImage& image, const std::string& path, std::string& error) {
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  if (ec) {
    error = "cannot create folder: " + ec.message();
    return false;
  }
  const OcrModule& m = ocr_module();  // PNGs are written by Leptonica, in the OCR module
  if (!m.write_png) {
    error = m.error;
    return false;
  }
  return m.write_png(image, path, error);
}

}  // namespace dicometl::dexa
