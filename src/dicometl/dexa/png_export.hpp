#pragma once
// Rendered pages as PNG files (--png-dir), for people checking what OCR saw.
#include <string>

#include "dicometl/dicom/render_gray.hpp"

namespace dicometl::dexa {

//! Writes `image` to `path` (folders created). False with `error` on failure.
bool write_png(const dicom::GrayImage& image, const std::string& path, std::string& error);

}  // namespace dicometl::dexa
