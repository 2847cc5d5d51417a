#pragma once
// Makes report text readable for OCR whatever the page's resolution: measure the height of the
// glyphs (connected components of ink), then resample the gray page with a Lanczos-3 filter so
// that glyphs land where Tesseract's LSTM reads best (x-height ≈ 20–30 px). A 90-ppi export
// (glyphs 6–8 px) is scaled ~3.5×, a 300-dpi page stays as it is. Binarizing a blurred 7-px
// glyph destroys it, so the page pass reads the gray picture; an Otsu-binarized copy is kept as
// a second candidate for the cell re-reads.
#include <functional>

#include "dicometl/dicom/render_gray.hpp"

namespace dicometl::dexa {

struct PreprocessOptions {
  //! Median height (px) the page's glyph components should have after scaling. Components are
  //! mostly lower-case letters and digits: 28 px puts x-height near 24 px and digits near 30 px.
  double target_text_height = 28;
  double max_scale = 4.5;
  double min_scale = 0.5;
  //! Scaled pages are kept under this many pixels (time and memory of the page pass).
  double max_pixels = 16e6;
  //! Horizontal rules (table lines) longer than 4 text heights and thinner than a stroke are
  //! painted white: they touch the glyphs of the row below them.
  bool remove_rules = true;
  //! Paper noise clipped to white, ink to black, before scaling (clip_paper_noise).
  bool clip_noise = true;
  //! Pictures, frames and tall boxes (ink components over 4 text heights tall) painted white
  //! before OCR (blank_pictures): Tesseract reads a bone picture as words ("os", "am") that
  //! join the table's header, and a frame beside the region names as letters.
  bool blank_pictures = true;
  //! Tuning: the page pass reads the binarized page instead of the gray one.
  bool binarize = false;
};

//! The pictures Tesseract reads, and the factor applied (boxes divide by it to map back).
struct Prepared {
  dicom::GrayImage image;  //!< what the page pass reads (gray, or binarized with `binarize`)
  dicom::GrayImage alt;    //!< the other candidate (binarized, or gray), same size
  double scale = 1.0;
  double text_height = 0;  //!< median glyph height measured on the input page (px), 0 if none
  double skew = 0;         //!< degrees the page was turned to straighten it
};

//! `straighten`, when given, deskews the scaled gray page in place (ocr.hpp) before the
//! binarized copy is made, so both pictures share one geometry.
Prepared preprocess(const dicom::GrayImage& page, const PreprocessOptions& options = {},
                    const std::function<double(dicom::GrayImage&)>& straighten = {});

//! Median height of the ink components of `page` that are text-sized (px); 0 when none.
double measure_text_height(const dicom::GrayImage& page);

//! `in` resampled by `scale` with a separable Lanczos-3 filter (widened when shrinking).
dicom::GrayImage resize_lanczos(const dicom::GrayImage& in, double scale);

//! Paints white the ink components of `image` taller than 4 × `text_height`: a mostly-ink
//! component (a picture) with its whole box, a sparse one (a frame, a tall box, a chart's axes)
//! stroke by stroke, so text inside a frame stays. Returns how many were painted.
int blank_pictures(dicom::GrayImage& image, double text_height);

//! Paints white the thin horizontal rules of `image` (runs of ink ≥ 4 × `text_height` long,
//! with paper a stroke's width above and below).
void remove_rules(dicom::GrayImage& image, double text_height);

//! Levels stretched so that paper noise becomes white and ink black, keeping the gray edges of
//! glyphs: paper lighter than its median minus twice its spread (median − 10th percentile of
//! the paper side of Otsu's split) → 255, darker than the ink's median → 0. Clean paper (spread
//! < 6 levels) is left as it is.
void clip_paper_noise(dicom::GrayImage& image);

//! Otsu's threshold of the histogram of `image` (the level that best splits ink from paper).
int otsu_threshold(const dicom::GrayImage& image);

}  // namespace dicometl::dexa
