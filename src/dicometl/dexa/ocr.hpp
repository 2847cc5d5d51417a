#pragma once
// The OCR engine behind a small interface: a picture in, words with boxes and confidences out.
// Tesseract itself lives in a module loaded on first use (ocr/backend.hpp, dexa/ocr_module.hpp).
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "dicometl/dexa/page.hpp"
#include "dicometl/dicom/render_gray.hpp"

namespace dicometl::dexa {

struct OcrError {
  std::string reason;
};

//! One Tesseract instance (English, LSTM). Not thread-safe: give each thread its own.
class OcrEngine {
 public:
  //! `tessdata`: folder holding eng.traineddata; empty = Tesseract's compiled-in default
  //! (or TESSDATA_PREFIX). Check ready() before use; error() says why not (no model, no module).
  explicit OcrEngine(const std::string& tessdata = "");
  ~OcrEngine();
  OcrEngine(const OcrEngine&) = delete;
  OcrEngine& operator=(const OcrEngine&) = delete;

  bool ready() const;
  const std::string& error() const { return error_; }
  //! Words of `image` in reading order, boxes in `image` pixels. `image` must stay alive and
  //! unchanged while read_line() is used on it.
  std::variant<std::vector<OcrWord>, OcrError> read(const dicom::GrayImage& image);

  //! One line of text inside a box of the image last given to read(), read again on its own
  //! (single-line mode), restricted to `whitelist` characters when not empty.
  struct LineRead {
    std::string text;    //!< words joined by one space
    float conf = 0;      //!< lowest word confidence
    float min_conf = 0;  //!< lowest symbol confidence
  };
  LineRead read_line(int x0, int y0, int x1, int y1, const std::string& whitelist);
  //! Straightens a slightly rotated page in place; the angle applied in degrees (0: none).
  double deskew(dicom::GrayImage& image);
  //! The words inside a box of the current image, read as a block of lines (one table column),
  //! restricted to `whitelist` when not empty. Boxes in image pixels.
  std::vector<OcrWord> read_block(int x0, int y0, int x1, int y1, const std::string& whitelist);
  //! Makes `image` (same size as the last read()) the picture read_line() crops from.
  void use_image(const dicom::GrayImage& image);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  int width_ = 0, height_ = 0;
  std::string error_;
};

}  // namespace dicometl::dexa
