#pragma once
// Tesseract behind a small interface: a picture in, words with boxes and confidences out. The
// only file of the project that includes Tesseract headers.
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
  //! (or TESSDATA_PREFIX). Check ready() before use.
  explicit OcrEngine(const std::string& tessdata = "");
  ~OcrEngine();
  OcrEngine(const OcrEngine&) = delete;
  OcrEngine& operator=(const OcrEngine&) = delete;

  bool ready() const;
  const std::string& error() const { return error_; }
  //! Words of `image` in reading order, boxes in `image` pixels.
  std::variant<std::vector<OcrWord>, OcrError> read(const dicom::GrayImage& image);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string error_;
};

}  // namespace dicometl::dexa
