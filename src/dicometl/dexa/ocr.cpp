#include "dicometl/dexa/ocr.hpp"

#include <leptonica/allheaders.h>
#include <tesseract/baseapi.h>
#include <tesseract/resultiterator.h>

#include <algorithm>

namespace dicometl::dexa {

struct OcrEngine::Impl {
  tesseract::TessBaseAPI api;
  bool ok = false;
};

OcrEngine::OcrEngine(const std::string& tessdata) : impl_(std::make_unique<Impl>()) {
  // Quiet: Tesseract and Leptonica print warnings (e.g. on DPI) to stderr; logs are ours to write.
  setMsgSeverity(L_SEVERITY_NONE);
  impl_->api.SetVariable("debug_file", "/dev/null");
  if (impl_->api.Init(tessdata.empty() ? nullptr : tessdata.c_str(), "eng",
                      tesseract::OEM_LSTM_ONLY) != 0) {
    error_ = "Tesseract could not load the English model (install tesseract-ocr-eng)";
    return;
  }
  // One uniform block: the table parser rebuilds rows from boxes itself, and sparse-text mode
  // drops short words such as the region names "L2" and "L3".
  impl_->api.SetPageSegMode(tesseract::PSM_SINGLE_BLOCK);
  // Reports are dark text on white: skip the inverted-text pass (a large share of the time).
  impl_->api.SetVariable("tessedit_do_invert", "0");
  impl_->ok = true;
}

OcrEngine::~OcrEngine() {
  if (impl_ && impl_->ok) impl_->api.End();
}

bool OcrEngine::ready() const { return impl_ && impl_->ok; }

std::variant<std::vector<OcrWord>, OcrError> OcrEngine::read(const dicom::GrayImage& image) {
  if (!ready()) return OcrError{error_};
  if (image.width <= 0 || image.height <= 0) return OcrError{"empty image"};
  auto& api = impl_->api;
  api.SetPageSegMode(tesseract::PSM_SINGLE_BLOCK);
  api.SetVariable("tessedit_char_whitelist", "");
  api.SetImage(image.pixels.data(), image.width, image.height, 1, image.width);
  width_ = image.width;
  height_ = image.height;
  api.SetSourceResolution(300);
  if (api.Recognize(nullptr) != 0) return OcrError{"OCR failed"};
  std::vector<OcrWord> words;
  std::unique_ptr<tesseract::ResultIterator> it(api.GetIterator());
  if (!it || it->Empty(tesseract::RIL_SYMBOL)) return words;
  // Walk symbols so each word also gets its lowest symbol confidence: a word's mean hides the
  // one doubtful digit that makes a value wrong.
  do {
    if (it->IsAtBeginningOf(tesseract::RIL_WORD)) {
      OcrWord w;
      std::unique_ptr<char[]> text(it->GetUTF8Text(tesseract::RIL_WORD));
      if (text) w.text = text.get();
      it->BoundingBox(tesseract::RIL_WORD, &w.x0, &w.y0, &w.x1, &w.y1);
      w.conf = it->Confidence(tesseract::RIL_WORD);
      w.min_conf = 100;
      words.push_back(std::move(w));
    }
    if (!words.empty())
      words.back().min_conf =
          std::min(words.back().min_conf, it->Confidence(tesseract::RIL_SYMBOL));
  } while (it->Next(tesseract::RIL_SYMBOL));
  // No Clear(): it would drop the image that read_line() crops from.
  std::erase_if(words, [](const OcrWord& w) { return w.text.empty(); });
  return words;
}

void OcrEngine::use_image(const dicom::GrayImage& image) {
  if (!ready() || image.width <= 0 || image.height <= 0) return;
  impl_->api.SetImage(image.pixels.data(), image.width, image.height, 1, image.width);
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
  auto& api = impl_->api;
  api.SetPageSegMode(tesseract::PSM_SINGLE_LINE);
  api.SetVariable("tessedit_char_whitelist", whitelist.c_str());
  api.SetRectangle(x0, y0, x1 - x0, y1 - y0);
  if (api.Recognize(nullptr) != 0) return out;
  std::unique_ptr<tesseract::ResultIterator> it(api.GetIterator());
  out.conf = 100;
  out.min_conf = 100;
  if (it && !it->Empty(tesseract::RIL_SYMBOL)) {
    do {
      if (it->IsAtBeginningOf(tesseract::RIL_WORD)) {
        std::unique_ptr<char[]> text(it->GetUTF8Text(tesseract::RIL_WORD));
        if (text) {
          if (!out.text.empty()) out.text += ' ';
          out.text += text.get();
        }
        out.conf = std::min(out.conf, it->Confidence(tesseract::RIL_WORD));
      }
      out.min_conf = std::min(out.min_conf, it->Confidence(tesseract::RIL_SYMBOL));
    } while (it->Next(tesseract::RIL_SYMBOL));
  }
  if (out.text.empty()) out.conf = out.min_conf = 0;
  return out;
}

}  // namespace dicometl::dexa
