#pragma once
// Makes small report text readable for OCR: upscale to about 300 dpi equivalent, then binarize.
#include "dicometl/dicom/render_gray.hpp"

namespace dicometl::dexa {

struct PreprocessOptions {
  //! Pages narrower than this are upscaled towards it (a US-letter page at 300 dpi is 2550 px):
  //! Tesseract reads best with capital letters 20–30 px high.
  int target_width = 2550;
  double max_scale = 3.0;
  bool binarize = true;
};

//! The picture Tesseract reads, and the factor applied (boxes divide by it to map back).
struct Prepared {
  dicom::GrayImage image;
  dicom::GrayImage gray;  //!< the upscaled page before binarizing (empty when not binarized)
  double scale = 1.0;
};

Prepared preprocess(const dicom::GrayImage& page, const PreprocessOptions& options = {});

//! Otsu's threshold of the histogram of `image` (the level that best splits ink from paper).
int otsu_threshold(const dicom::GrayImage& image);

}  // namespace dicometl::dexa
