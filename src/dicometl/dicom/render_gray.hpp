#pragma once
// Pixel data → 8-bit grayscale, for OCR and PNG export. No DCMTK type crosses this header.
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace dicometl::dicom {

//! An 8-bit grayscale picture, rows top to bottom, 0 = black. Plain data for any consumer.
struct GrayImage {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> pixels;  //!< width * height bytes
};

//! Why a file could not be rendered; a sentence without patient data.
struct RenderError {
  std::string reason;
};

//! Renders the first frame of the file at `path` (opened read-only, never written):
//! uncompressed, RLE, JPEG (baseline, extended, lossless) and JPEG-LS; MONOCHROME1/2 (shown as
//! displayed: MONOCHROME1 inverted), RGB, YBR and palette colour reduced to luminance. The
//! stored VOI window is applied when present, otherwise the full range of the pixel values.
//! Thread-safe; never throws for bad input.
std::variant<GrayImage, RenderError> render_gray(const std::string& path);

}  // namespace dicometl::dicom
