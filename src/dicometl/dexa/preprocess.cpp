#include "dicometl/dexa/preprocess.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace dicometl::dexa {

namespace {

// Bilinear resize: smooth enough that upscaled glyph edges do not turn into stairs, which
// Tesseract's LSTM reads worse than a soft edge.
dicom::GrayImage resize(const dicom::GrayImage& in, double scale) {
  dicom::GrayImage out;
  out.width = std::max(1, static_cast<int>(std::lround(in.width * scale)));
  out.height = std::max(1, static_cast<int>(std::lround(in.height * scale)));
  out.pixels.resize(static_cast<std::size_t>(out.width) * static_cast<std::size_t>(out.height));
  const double inv = 1.0 / scale;
  std::vector<int> x0(static_cast<std::size_t>(out.width));
  std::vector<int> wx(static_cast<std::size_t>(out.width));
  for (int x = 0; x < out.width; ++x) {
    double sx = std::clamp((x + 0.5) * inv - 0.5, 0.0, in.width - 1.0);
    x0[static_cast<std::size_t>(x)] =
        std::min(static_cast<int>(sx), in.width - 2 < 0 ? 0 : in.width - 2);
    wx[static_cast<std::size_t>(x)] =
        static_cast<int>((sx - x0[static_cast<std::size_t>(x)]) * 256);
  }
  const int stride = in.width;
  for (int y = 0; y < out.height; ++y) {
    double sy = std::clamp((y + 0.5) * inv - 0.5, 0.0, in.height - 1.0);
    int y0 = std::min(static_cast<int>(sy), in.height - 2 < 0 ? 0 : in.height - 2);
    int wy = static_cast<int>((sy - y0) * 256);
    int y1 = std::min(y0 + 1, in.height - 1);
    const std::uint8_t* r0 =
        &in.pixels[static_cast<std::size_t>(y0) * static_cast<std::size_t>(stride)];
    const std::uint8_t* r1 =
        &in.pixels[static_cast<std::size_t>(y1) * static_cast<std::size_t>(stride)];
    std::uint8_t* o =
        &out.pixels[static_cast<std::size_t>(y) * static_cast<std::size_t>(out.width)];
    for (int x = 0; x < out.width; ++x) {
      int a = x0[static_cast<std::size_t>(x)], b = std::min(a + 1, in.width - 1);
      int w = wx[static_cast<std::size_t>(x)];
      int top = r0[a] * (256 - w) + r0[b] * w;
      int bottom = r1[a] * (256 - w) + r1[b] * w;
      o[x] = static_cast<std::uint8_t>((top * (256 - wy) + bottom * wy) >> 16);
    }
  }
  return out;
}

}  // namespace

int otsu_threshold(const dicom::GrayImage& image) {
  std::array<std::uint64_t, 256> hist{};
  for (auto p : image.pixels) ++hist[p];
  const double total = static_cast<double>(image.pixels.size());
  double sum = 0;
  for (int i = 0; i < 256; ++i) sum += i * static_cast<double>(hist[static_cast<std::size_t>(i)]);
  double sum_b = 0, w_b = 0, best = -1;
  int level = 128;
  for (int t = 0; t < 256; ++t) {
    w_b += static_cast<double>(hist[static_cast<std::size_t>(t)]);
    if (w_b == 0) continue;
    double w_f = total - w_b;
    if (w_f == 0) break;
    sum_b += t * static_cast<double>(hist[static_cast<std::size_t>(t)]);
    double m_b = sum_b / w_b, m_f = (sum - sum_b) / w_f;
    double between = w_b * w_f * (m_b - m_f) * (m_b - m_f);
    if (between > best) {
      best = between;
      level = t;
    }
  }
  return level;
}

Prepared preprocess(const dicom::GrayImage& page, const PreprocessOptions& options) {
  Prepared p;
  p.scale = 1.0;
  if (page.width > 0 && page.width < options.target_width)
    p.scale = std::min(options.max_scale, static_cast<double>(options.target_width) / page.width);
  p.image = p.scale > 1.05 && page.width >= 2 && page.height >= 2 ? resize(page, p.scale) : page;
  if (p.scale <= 1.05) p.scale = 1.0;
  if (options.binarize) {
    p.gray = p.image;
    const int t = otsu_threshold(p.image);
    for (auto& v : p.image.pixels) v = v > t ? 255 : 0;
  }
  return p;
}

}  // namespace dicometl::dexa
