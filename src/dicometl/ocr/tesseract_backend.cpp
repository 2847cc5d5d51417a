// Tesseract + Leptonica behind ocr::Backend: the only file of the project that includes their
// headers. Built as a loadable module (see backend.hpp).
#include <leptonica/allheaders.h>
#include <tesseract/baseapi.h>
#include <tesseract/resultiterator.h>

#include <algorithm>
#include <cmath>
#include <memory>

#include "dicometl/ocr/backend.hpp"

namespace dicometl::ocr {

// An 8-bit Leptonica copy of `image`; nullptr when out of memory.
PIX* to_pix(const dicom::GrayImage& image);

namespace {

class TesseractBackend final : public Backend {
 public:
  explicit TesseractBackend(const char* tessdata) {
    // Quiet: Tesseract and Leptonica print warnings (e.g. on DPI) to stderr; logs are ours.
    setMsgSeverity(L_SEVERITY_NONE);
    api_.SetVariable("debug_file", "/dev/null");
    if (api_.Init(tessdata && *tessdata ? tessdata : nullptr, "eng", tesseract::OEM_LSTM_ONLY) !=
        0) {
      error_ = "Tesseract could not load the English model (install tesseract-ocr-eng)";
      return;
    }
    // One uniform block: the table parser rebuilds rows from boxes itself, and sparse-text mode
    // drops short words such as the region names "L2" and "L3".
    api_.SetPageSegMode(tesseract::PSM_SINGLE_BLOCK);
    // Reports are dark text on white: skip the inverted-text pass (a large share of the time).
    api_.SetVariable("tessedit_do_invert", "0");
    ok_ = true;
  }
  ~TesseractBackend() override {
    if (ok_) api_.End();
  }

  std::string error() const override { return error_; }

  bool read(const dicom::GrayImage& image, std::vector<dexa::OcrWord>& words,
            std::string& error) override {
    api_.SetPageSegMode(tesseract::PSM_SINGLE_BLOCK);
    api_.SetVariable("tessedit_char_whitelist", "");
    use_image(image);
    api_.SetSourceResolution(300);
    if (api_.Recognize(nullptr) != 0) {
      error = "OCR failed";
      return false;
    }
    collect_words(words);
    return true;
  }

  double deskew(dicom::GrayImage& image) override {
    if (image.width < 64 || image.height < 64) return 0;
    PIX* gray = to_pix(image);
    if (!gray) return 0;
    double applied = 0;
    PIX* bin = pixConvertTo1(gray, 160);
    l_float32 angle = 0, conf = 0;
    if (bin && pixFindSkew(bin, &angle, &conf) == 0 && conf >= 2.5 && std::abs(angle) >= 0.1 &&
        std::abs(angle) <= 5) {
      PIX* rot =
          pixRotateAMGray(gray, static_cast<l_float32>(angle * 3.14159265358979 / 180.0), 255);
      if (rot && pixGetWidth(rot) == image.width && pixGetHeight(rot) == image.height) {
        const l_uint32* data = pixGetData(rot);
        const int wpl = pixGetWpl(rot);
        for (int y = 0; y < image.height; ++y) {
          const l_uint32* line = data + static_cast<std::ptrdiff_t>(y) * wpl;
          std::uint8_t* dst =
              &image.pixels[static_cast<std::size_t>(y) * static_cast<std::size_t>(image.width)];
          for (int x = 0; x < image.width; ++x)
            dst[x] = static_cast<std::uint8_t>(GET_DATA_BYTE(line, x));
        }
        applied = angle;
      }
      pixDestroy(&rot);
    }
    pixDestroy(&bin);
    pixDestroy(&gray);
    return applied;
  }

  void read_block(int x0, int y0, int x1, int y1, const std::string& whitelist,
                  std::vector<dexa::OcrWord>& words) override {
    api_.SetPageSegMode(tesseract::PSM_SINGLE_BLOCK);
    api_.SetVariable("tessedit_char_whitelist", whitelist.c_str());
    api_.SetRectangle(x0, y0, x1 - x0, y1 - y0);
    words.clear();
    if (api_.Recognize(nullptr) != 0) return;
    collect_words(words);
    // Boxes of a rectangle read are relative to the page already (Tesseract adds the offset).
  }

 private:
  void collect_words(std::vector<dexa::OcrWord>& words) {
    words.clear();
    std::unique_ptr<tesseract::ResultIterator> it(api_.GetIterator());
    if (!it || it->Empty(tesseract::RIL_SYMBOL)) return;
    // Walk symbols so each word also gets its lowest symbol confidence: a word's mean hides the
    // one doubtful digit that makes a value wrong.
    do {
      if (it->IsAtBeginningOf(tesseract::RIL_WORD)) {
        dexa::OcrWord w;
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
    std::erase_if(words, [](const dexa::OcrWord& w) { return w.text.empty(); });
  }

 public:
  void use_image(const dicom::GrayImage& image) override {
    api_.SetImage(image.pixels.data(), image.width, image.height, 1, image.width);
  }

  void read_line(int x0, int y0, int x1, int y1, const std::string& whitelist, std::string& text,
                 float& conf, float& min_conf) override {
    api_.SetPageSegMode(tesseract::PSM_SINGLE_LINE);
    api_.SetVariable("tessedit_char_whitelist", whitelist.c_str());
    api_.SetRectangle(x0, y0, x1 - x0, y1 - y0);
    text.clear();
    conf = min_conf = 100;
    if (api_.Recognize(nullptr) != 0) {
      conf = min_conf = 0;
      return;
    }
    std::unique_ptr<tesseract::ResultIterator> it(api_.GetIterator());
    if (it && !it->Empty(tesseract::RIL_SYMBOL)) {
      do {
        if (it->IsAtBeginningOf(tesseract::RIL_WORD)) {
          std::unique_ptr<char[]> word(it->GetUTF8Text(tesseract::RIL_WORD));
          if (word) {
            if (!text.empty()) text += ' ';
            text += word.get();
          }
          conf = std::min(conf, it->Confidence(tesseract::RIL_WORD));
        }
        min_conf = std::min(min_conf, it->Confidence(tesseract::RIL_SYMBOL));
      } while (it->Next(tesseract::RIL_SYMBOL));
    }
    if (text.empty()) conf = min_conf = 0;
  }

 private:
  tesseract::TessBaseAPI api_;
  bool ok_ = false;
  std::string error_;
};

}  // namespace

PIX* to_pix(const dicom::GrayImage& image) {
  PIX* pix = pixCreate(image.width, image.height, 8);
  if (!pix) return nullptr;
  l_uint32* data = pixGetData(pix);
  const int wpl = pixGetWpl(pix);
  for (int y = 0; y < image.height; ++y) {
    l_uint32* line = data + static_cast<std::ptrdiff_t>(y) * wpl;
    const std::uint8_t* src =
        &image.pixels[static_cast<std::size_t>(y) * static_cast<std::size_t>(image.width)];
    for (int x = 0; x < image.width; ++x) SET_DATA_BYTE(line, x, src[x]);
  }
  return pix;
}

}  // namespace dicometl::ocr

extern "C" __attribute__((visibility("default"))) dicometl::ocr::Backend* dicometl_make_ocr_backend(
    const char* tessdata) {
  return new dicometl::ocr::TesseractBackend(tessdata);
}

extern "C" __attribute__((visibility("default"))) bool dicometl_write_png(
    const dicometl::dicom::GrayImage& image, const std::string& path, std::string& error) {
  PIX* pix = dicometl::ocr::to_pix(image);
  if (!pix) {
    error = "out of memory";
    return false;
  }
  const bool ok = pixWrite(path.c_str(), pix, IFF_PNG) == 0;
  pixDestroy(&pix);
  if (!ok) error = "cannot write PNG";
  return ok;
}
