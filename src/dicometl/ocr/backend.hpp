#pragma once
// The OCR engine as the dexa module sees it. Implemented by a loadable module
// (libdicometl_tesseract.so, this folder) that is the only code linked to Tesseract and
// Leptonica: loading them costs ~30 ms of static initialisation, which every other command
// would pay for nothing (the module is opened by dexa/ocr.cpp on first use).
#include <string>
#include <vector>

#include "dicometl/dexa/page.hpp"
#include "dicometl/dicom/render_gray.hpp"

namespace dicometl::ocr {

class Backend {
 public:
  virtual ~Backend() = default;
  //! Empty when the engine is usable, else why not.
  virtual std::string error() const = 0;
  //! Words of `image` in reading order; false with `error` on failure. `image` must stay alive
  //! while read_line() crops from it.
  virtual bool read(const dicom::GrayImage& image, std::vector<dexa::OcrWord>& words,
                    std::string& error) = 0;
  //! Makes `image` the picture read_line() crops from.
  virtual void use_image(const dicom::GrayImage& image) = 0;
  //! One line inside a box of the current image, in single-line mode, restricted to
  //! `whitelist` when not empty: its words joined by a space, the lowest word and symbol
  //! confidences.
  virtual void read_line(int x0, int y0, int x1, int y1, const std::string& whitelist,
                         std::string& text, float& conf, float& min_conf) = 0;
  //! Straightens a page scanned or exported slightly rotated (Leptonica's skew search on the
  //! binarized page, area-map rotation of the gray one): rows of a table drift across lines
  //! otherwise. Returns the angle applied in degrees (0 when none was found with confidence).
  virtual double deskew(dicom::GrayImage& image) = 0;
  //! The words inside a box of the current image read as one block of lines (a table column),
  //! restricted to `whitelist` when not empty; boxes in image pixels.
  virtual void read_block(int x0, int y0, int x1, int y1, const std::string& whitelist,
                          std::vector<dexa::OcrWord>& words) = 0;
};

//! The module's exported symbols. The first makes a new engine (English, LSTM). `tessdata`: folder
//! holding eng.traineddata, or empty for Tesseract's default.
using MakeBackend = Backend* (*)(const char* tessdata);
constexpr const char* kMakeBackendSymbol = "dicometl_make_ocr_backend";
//! Its second: an 8-bit grey PNG at `path` (Leptonica); false with `error` on failure.
using WritePng = bool (*)(const dicom::GrayImage& image, const std::string& path,
                          std::string& error);
constexpr const char* kWritePngSymbol = "dicometl_write_png";
constexpr const char* kModuleFile = "libdicometl_tesseract.so";

}  // namespace dicometl::ocr
