// Rendering with DCMTK's image modules. The decoders are registered once per process; each call
// owns its DicomImage, so reader threads can render in parallel.
#include "dicometl/dicom/render_gray.hpp"

#include <dcmtk/dcmdata/dcrledrg.h>
#include <dcmtk/dcmimage/diregist.h>  // colour images (RGB, YBR, palette) for DicomImage
#include <dcmtk/dcmimgle/dcmimage.h>
#include <dcmtk/dcmjpeg/djdecode.h>
#include <dcmtk/dcmjpls/djdecode.h>

#include <cstring>
#include <memory>
#include <mutex>

#include "dicometl/dicom/header_reader.hpp"

namespace dicometl::dicom {

namespace {

void register_decoders() {
  static std::once_flag once;
  std::call_once(once, [] {
    initialise();  // dictionary and quiet logger
    DJDecoderRegistration::registerCodecs();
    DJLSDecoderRegistration::registerCodecs();
    DcmRLEDecoderRegistration::registerCodecs();
  });
}

}  // namespace

std::variant<GrayImage, RenderError> render_gray(const std::string& path) {
  register_decoders();
  // One frame is enough for a report page; CIF_UsePartialAccessToPixelData keeps multi-frame
  // files from being decoded whole.
  DicomImage image(path.c_str(), CIF_UsePartialAccessToPixelData, 0, 1);
  if (image.getStatus() != EIS_Normal)
    return RenderError{std::string("cannot render pixel data: ") +
                       DicomImage::getString(image.getStatus())};
  std::unique_ptr<DicomImage> mono;
  DicomImage* gray = &image;
  if (!image.isMonochrome()) {
    mono.reset(image.createMonochromeImage());  // ITU-R 601 luminance
    if (!mono || mono->getStatus() != EIS_Normal)
      return RenderError{"cannot convert colour pixel data to grayscale"};
    gray = mono.get();
  }
  if (gray->getWindowCount() > 0)
    gray->setWindow(0);
  else
    gray->setMinMaxWindow();
  GrayImage out;
  out.width = static_cast<int>(gray->getWidth());
  out.height = static_cast<int>(gray->getHeight());
  if (out.width <= 0 || out.height <= 0) return RenderError{"empty image"};
  const void* data = gray->getOutputData(8, 0, 0);
  if (!data) return RenderError{"cannot render pixel data: no output"};
  const auto n = static_cast<std::size_t>(out.width) * static_cast<std::size_t>(out.height);
  if (gray->getOutputDataSize(8) < n) return RenderError{"cannot render pixel data: short output"};
  out.pixels.resize(n);
  std::memcpy(out.pixels.data(), data, n);
  return out;
}

}  // namespace dicometl::dicom
