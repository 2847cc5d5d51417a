#include "dicometl/dexa/ocr.hpp"

#include <algorithm>

#include "dicometl/dexa/ocr_module.hpp"

namespace dicometl::dexa {

struct OcrEngine::Impl {
  std::unique_ptr<ocr::Backend> backend;
};

OcrEngine::OcrEngine(const std::string& tessdata) : impl_(std::make_unique<Impl>()) {
  const OcrModule& m = ocr_module();
  if (!m.make) {
    error_ = m.error;
    return;
  }
  impl_->backend.reset(m.make(tessdata.c_str()));
  error_ = impl_->backend->error();
  if (!error_.empty()) impl_->backend.reset();
}

OcrEngine::~OcrEngine() = default;

bool OcrEngine::ready() const { return impl_ && impl_->backend; }

std::variant<std::vector<OcrWord>, OcrError> OcrEngine::read(const dicom::GrayImage& image) {
  if (!ready()) return OcrError{error_};
  if (image.width <= 0 || image.height <= 0) return OcrError{"empty image"};
  width_ = image.width;
  height_ = image.height;
  std::vector<OcrWord> words;
  std::string error;
  if (!impl_->backend->read(image, words, error)) return OcrError{error};
  return words;
}

void OcrEngine::use_image(const dicom::GrayImage& image) {
  if (!ready() || image.width <= 0 || image.height <= 0) return;
  impl_->backend->use_image(image);
  width_ = image.width;
  height_ = image.height;
}

OcrEngine::LineRead OcrEngine::read_line(int x0, int y0, int x1, int y1,
                                         const std::string& whitelist) {
  LineRead out;
  if (!ready() || width_ <= 0) return out;
  x0 = std::clamp(x0, 0, width_ - 1);
  x1 = std::clamp(x1, x0 + 1, width_);
  y0 = std::clamp(y0, 0, height_ - 1);
  y1 = std::clamp(y1, y0 + 1, height_);
  impl_->backend->read_line(x0, y0, x1, y1, whitelist, out.text, out.conf, out.min_conf);
  return out;
}

}  // namespace dicometl::dexa

namespace dicometl::dexa {

double OcrEngine::deskew(dicom::GrayImage& image) {
  return ready() ? impl_->backend->deskew(image) : 0;
}

std::vector<OcrWord> OcrEngine::read_block(int x0, int y0, int x1, int y1,
                                           const std::string& whitelist) {
  std::vector<OcrWord> words;
  if (!ready() || width_ <= 0) return words;
  x0 = std::clamp(x0, 0, width_ - 1);
  x1 = std::clamp(x1, x0 + 1, width_);
  y0 = std::clamp(y0, 0, height_ - 1);
  y1 = std::clamp(y1, y0 + 1, height_);
  impl_->backend->read_block(x0, y0, x1, y1, whitelist, words);
  return words;
}

}  // namespace dicometl::dexa
