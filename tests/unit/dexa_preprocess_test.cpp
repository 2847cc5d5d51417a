// Preprocessing before OCR (preprocess.cpp): pictures, frames and tall boxes beside the table are
// painted white; the text height is measured on the glyphs, not on a picture's noise.
#include <gtest/gtest.h>

#include <cstdint>

#include "dicometl/dexa/preprocess.hpp"

using namespace dicometl;
using namespace dicometl::dexa;

namespace {

dicom::GrayImage paper(int w, int h) {
  dicom::GrayImage g;
  g.width = w;
  g.height = h;
  g.pixels.assign(static_cast<std::size_t>(w) * static_cast<std::size_t>(h), 255);
  return g;
}

std::uint8_t& px(dicom::GrayImage& g, int x, int y) {
  return g.pixels[static_cast<std::size_t>(y) * static_cast<std::size_t>(g.width) +
                  static_cast<std::size_t>(x)];
}

// Rows of 7-px "C"-like glyphs (as a 90-ppi export prints them) from x0.
void glyphs(dicom::GrayImage& g, int x0, int y0, int rows, int per_row) {
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < per_row; ++c)
      for (int y = 0; y < 7; ++y)
        for (int x = 0; x < 4; ++x)
          if (x == 0 || y == 0 || y == 6) px(g, x0 + c * 12 + x, y0 + r * 25 + y) = 20;
}

// A scan-like picture: dark ground (mostly ink) with lighter bone windows, each holding small
// dark rings — the text-sized specks a noisy 300-ppi picture is full of (5 px, glyphs here 7).
void picture(dicom::GrayImage& g, int x0, int y0, int x1, int y1) {
  for (int y = y0; y < y1; ++y)
    for (int x = x0; x < x1; ++x) {
      const int cx = (x - x0) % 30, cy = (y - y0) % 30;
      const bool bone = cx >= 5 && cx < 25 && cy >= 5 && cy < 25 && x < x1 - 5 && y < y1 - 5;
      const int rx = (cx - 5) % 8, ry = (cy - 5) % 8;
      const bool ring = bone && cx >= 8 && cx < 21 && cy >= 8 && cy < 21 && rx >= 3 && ry >= 3 &&
                        (rx == 3 || rx == 7 || ry == 3 || ry == 7);
      px(g, x, y) = !bone || ring ? 15 : 170;
    }
}

int ink(const dicom::GrayImage& g, int x0, int y0, int x1, int y1) {
  int n = 0;
  for (int y = y0; y < y1; ++y)
    for (int x = x0; x < x1; ++x)
      n += g.pixels[static_cast<std::size_t>(y) * static_cast<std::size_t>(g.width) +
                    static_cast<std::size_t>(x)] < 128;
  return n;
}

}  // namespace

TEST(DexaPreprocess, TextHeightIgnoresThePictureBesideTheTable) {
  // At 300 ppi the specks of a noisy picture outnumbered the glyphs: the median "text height"
  // came out 6 px where the glyphs are 7 (here) or 20 (there).
  auto g = paper(700, 400);
  picture(g, 10, 10, 330, 390);
  glyphs(g, 400, 40, 8, 20);
  EXPECT_NEAR(measure_text_height(g), 7, 0.5);
}

TEST(DexaPreprocess, PicturesAndFramesGoTextStays) {
  auto g = paper(700, 400);
  picture(g, 10, 10, 300, 390);
  // A tall 1-px box (a legend bar) whose right side touches the first glyph of each row.
  for (int y = 20; y < 380; ++y) px(g, 330, y) = px(g, 345, y) = 30;
  for (int x = 330; x <= 345; ++x) px(g, x, 20) = px(g, x, 379) = 30;
  glyphs(g, 346, 40, 8, 20);
  const int text_before = ink(g, 347, 35, 700, 240);
  EXPECT_EQ(blank_pictures(g, 7), 2);
  EXPECT_EQ(ink(g, 10, 10, 300, 390), 0);  // the picture, with its lighter shapes
  // The box's sides (its short ends may stay: marks, not text).
  EXPECT_EQ(ink(g, 325, 22, 335, 378), 0);
  EXPECT_EQ(ink(g, 344, 245, 346, 378), 0);
  // The glyphs, also those touching the box, keep their ink.
  EXPECT_EQ(ink(g, 347, 35, 700, 240), text_before);
  // Glyphs alone are left as they are.
  auto t = paper(300, 200);
  glyphs(t, 10, 10, 6, 20);
  const auto before = t.pixels;
  EXPECT_EQ(blank_pictures(t, 7), 0);
  EXPECT_EQ(t.pixels, before);
}
