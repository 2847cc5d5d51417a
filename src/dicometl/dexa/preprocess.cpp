#include "dicometl/dexa/preprocess.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <vector>

namespace dicometl::dexa {

namespace {

double lanczos3(double x) {
  x = std::abs(x);
  if (x < 1e-9) return 1.0;
  if (x >= 3.0) return 0.0;
  const double px = std::numbers::pi * x;
  return 3.0 * std::sin(px) * std::sin(px / 3.0) / (px * px);
}

// Per output index: the first input index and the normalised weights of the taps.
struct Taps {
  std::vector<int> first;
  std::vector<int> count;
  std::vector<float> weights;  // count[i] weights per output, at offset i * stride
  int stride = 0;
};

Taps make_taps(int in_size, int out_size, double scale) {
  Taps t;
  // Shrinking widens the filter (it must low-pass); enlarging keeps the 3-lobe kernel.
  const double support_scale = scale < 1.0 ? 1.0 / scale : 1.0;
  const double radius = 3.0 * support_scale;
  t.stride = static_cast<int>(std::ceil(radius)) * 2 + 1;
  t.first.resize(static_cast<std::size_t>(out_size));
  t.count.resize(static_cast<std::size_t>(out_size));
  t.weights.assign(static_cast<std::size_t>(out_size) * static_cast<std::size_t>(t.stride), 0.f);
  for (int o = 0; o < out_size; ++o) {
    const double centre = (o + 0.5) / scale - 0.5;
    int lo = static_cast<int>(std::floor(centre - radius)) + 1;
    int hi = static_cast<int>(std::floor(centre + radius));
    lo = std::max(lo, 0);
    hi = std::min(hi, in_size - 1);
    if (hi < lo) hi = lo = std::clamp(static_cast<int>(std::lround(centre)), 0, in_size - 1);
    const int n = std::min(hi - lo + 1, t.stride);
    double sum = 0;
    float* w = &t.weights[static_cast<std::size_t>(o) * static_cast<std::size_t>(t.stride)];
    for (int k = 0; k < n; ++k) {
      const double v = lanczos3((lo + k - centre) / support_scale);
      w[k] = static_cast<float>(v);
      sum += v;
    }
    if (std::abs(sum) < 1e-9) {
      w[0] = 1.f;
      sum = 1;
    }
    for (int k = 0; k < n; ++k) w[k] = static_cast<float>(w[k] / sum);
    t.first[static_cast<std::size_t>(o)] = lo;
    t.count[static_cast<std::size_t>(o)] = n;
  }
  return t;
}

std::uint8_t clamp_byte(float v) {
  return static_cast<std::uint8_t>(std::clamp(std::lround(v), 0L, 255L));
}

}  // namespace

dicom::GrayImage resize_lanczos(const dicom::GrayImage& in, double scale) {
  dicom::GrayImage out;
  if (in.width <= 0 || in.height <= 0) return out;
  out.width = std::max(1, static_cast<int>(std::lround(in.width * scale)));
  out.height = std::max(1, static_cast<int>(std::lround(in.height * scale)));
  const double sx = static_cast<double>(out.width) / in.width;
  const double sy = static_cast<double>(out.height) / in.height;
  const Taps tx = make_taps(in.width, out.width, sx);
  const Taps ty = make_taps(in.height, out.height, sy);
  // Horizontal pass into floats (no clamping between passes: ringing cancels out better).
  std::vector<float> mid(static_cast<std::size_t>(out.width) * static_cast<std::size_t>(in.height));
  for (int y = 0; y < in.height; ++y) {
    const std::uint8_t* row = &in.pixels[static_cast<std::size_t>(y) * in.width];
    float* m = &mid[static_cast<std::size_t>(y) * out.width];
    for (int x = 0; x < out.width; ++x) {
      const float* w = &tx.weights[static_cast<std::size_t>(x) * tx.stride];
      const std::uint8_t* p = row + tx.first[static_cast<std::size_t>(x)];
      float acc = 0;
      for (int k = 0, n = tx.count[static_cast<std::size_t>(x)]; k < n; ++k) acc += w[k] * p[k];
      m[x] = acc;
    }
  }
  out.pixels.resize(static_cast<std::size_t>(out.width) * static_cast<std::size_t>(out.height));
  std::vector<float> acc(static_cast<std::size_t>(out.width));
  for (int y = 0; y < out.height; ++y) {
    std::fill(acc.begin(), acc.end(), 0.f);
    const float* w = &ty.weights[static_cast<std::size_t>(y) * ty.stride];
    for (int k = 0, n = ty.count[static_cast<std::size_t>(y)]; k < n; ++k) {
      const float* m =
          &mid[static_cast<std::size_t>(ty.first[static_cast<std::size_t>(y)] + k) * out.width];
      for (int x = 0; x < out.width; ++x) acc[static_cast<std::size_t>(x)] += w[k] * m[x];
    }
    std::uint8_t* o = &out.pixels[static_cast<std::size_t>(y) * out.width];
    for (int x = 0; x < out.width; ++x) o[x] = clamp_byte(acc[static_cast<std::size_t>(x)]);
  }
  return out;
}

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

namespace {

// One 8-connected component of ink: its box, its pixel count and one of its pixels.
struct InkComponent {
  int x0 = 0, y0 = 0, x1 = 0, y1 = 0;  // inclusive
  int pixels = 0;
  std::size_t seed = 0;
  int height() const { return y1 - y0 + 1; }
  int width() const { return x1 - x0 + 1; }
};

// Flood fill from `start` over the pixels where `mask` is 1, clearing them; `visit` sees each.
template <class Visit>
InkComponent flood(std::vector<std::uint8_t>& mask, int w, int h, std::size_t start,
                   std::vector<int>& stack, Visit&& visit) {
  InkComponent c;
  c.seed = start;
  c.x0 = c.x1 = static_cast<int>(start % static_cast<std::size_t>(w));
  c.y0 = c.y1 = static_cast<int>(start / static_cast<std::size_t>(w));
  mask[start] = 0;
  stack.assign(1, static_cast<int>(start));
  while (!stack.empty()) {
    const int p = stack.back();
    stack.pop_back();
    ++c.pixels;
    visit(static_cast<std::size_t>(p));
    const int py = p / w, px = p % w;
    c.y0 = std::min(c.y0, py);
    c.y1 = std::max(c.y1, py);
    c.x0 = std::min(c.x0, px);
    c.x1 = std::max(c.x1, px);
    for (int dy = -1; dy <= 1; ++dy)
      for (int dx = -1; dx <= 1; ++dx) {
        const int qy = py + dy, qx = px + dx;
        if (qy < 0 || qy >= h || qx < 0 || qx >= w) continue;
        const std::size_t q = static_cast<std::size_t>(qy) * static_cast<std::size_t>(w) +
                              static_cast<std::size_t>(qx);
        if (mask[q]) {
          mask[q] = 0;
          stack.push_back(static_cast<int>(q));
        }
      }
  }
  return c;
}

// Ink = darker than Otsu's threshold (pages are dark text on light paper; render_gray has
// already inverted MONOCHROME1).
std::vector<std::uint8_t> ink_mask(const dicom::GrayImage& page) {
  const int t = otsu_threshold(page);
  std::vector<std::uint8_t> ink(page.pixels.size());
  for (std::size_t i = 0; i < ink.size(); ++i) ink[i] = page.pixels[i] <= t ? 1 : 0;
  return ink;
}

std::vector<InkComponent> ink_components(const dicom::GrayImage& page) {
  std::vector<InkComponent> out;
  std::vector<std::uint8_t> ink = ink_mask(page);
  std::vector<int> stack;
  for (std::size_t i = 0; i < ink.size(); ++i)
    if (ink[i]) out.push_back(flood(ink, page.width, page.height, i, stack, [](std::size_t) {}));
  return out;
}

bool is_picture(const InkComponent& c, int too_tall) {
  return c.height() > too_tall &&
         c.pixels >= 0.25 * static_cast<double>(c.width()) * static_cast<double>(c.height());
}

}  // namespace

double measure_text_height(const dicom::GrayImage& page) {
  const int w = page.width, h = page.height;
  if (w < 8 || h < 8) return 0;
  const int max_h = std::max(12, h / 12);  // taller is a picture, a frame or a rule
  const auto comps = ink_components(page);
  // The specks of a noisy picture (a scan beside the table) are text-sized and at 300 ppi
  // outnumber the glyphs: components inside a picture do not count.
  std::vector<const InkComponent*> pictures;
  for (const auto& c : comps)
    if (is_picture(c, max_h)) pictures.push_back(&c);
  std::vector<int> heights;
  for (const auto& c : comps) {
    const int ch = c.height(), cw = c.width();
    // Text-sized: taller than a speck, not a picture, not a horizontal rule; touching glyphs
    // (a run of digits at 90 ppi) may be wide, their height still counts.
    if (ch < 4 || ch > max_h || c.pixels < 6 || cw > 12 * ch || c.pixels >= ch * cw) continue;
    const int cx = (c.x0 + c.x1) / 2, cy = (c.y0 + c.y1) / 2;
    if (std::any_of(pictures.begin(), pictures.end(), [&](const InkComponent* p) {
          return cx >= p->x0 && cx <= p->x1 && cy >= p->y0 && cy <= p->y1;
        }))
      continue;
    heights.push_back(ch);
  }
  if (heights.size() < 10) return 0;
  auto mid = heights.begin() + static_cast<std::ptrdiff_t>(heights.size() / 2);
  std::nth_element(heights.begin(), mid, heights.end());
  return *mid;
}

namespace {

// Paints white the pixels of one tall sparse component (`px`, a frame or a tall box) that lie
// on its long strokes: a vertical run of at least `v_run` or a horizontal run of at least `h_run`
// ink pixels. A 1-px line that steps sideways on a turned page breaks into short runs: there a
// run through the pixel and its two neighbours across counts, unless a neighbour is on a long
// run itself (then the pixel is a glyph touching the line, and stays).
void paint_strokes(dicom::GrayImage& g, const std::vector<std::uint8_t>& ink,
                   const std::vector<std::size_t>& px, const InkComponent& c, int v_run,
                   int h_run) {
  const int w = g.width, bw = c.width(), bh = c.height();
  auto at = [&](int x, int y) {
    return x >= 0 && x < w && y >= 0 && y < g.height &&
           ink[static_cast<std::size_t>(y) * static_cast<std::size_t>(w) +
               static_cast<std::size_t>(x)];
  };
  const std::size_t n = static_cast<std::size_t>(bw) * static_cast<std::size_t>(bh);
  auto idx = [&](int x, int y) {
    return static_cast<std::size_t>(y - c.y0) * static_cast<std::size_t>(bw) +
           static_cast<std::size_t>(x - c.x0);
  };
  auto inside = [&](int x, int y) { return x >= c.x0 && x <= c.x1 && y >= c.y0 && y <= c.y1; };
  // Run lengths in the box: plain, and of ink widened by one pixel across the run.
  std::vector<int> vrun(n, 0), hrun(n, 0), vwide(n, 0), hwide(n, 0);
  auto runs = [&](bool vertical, bool wide, std::vector<int>& out) {
    const int outer0 = vertical ? c.x0 : c.y0, outer1 = vertical ? c.x1 : c.y1;
    const int inner0 = vertical ? c.y0 : c.x0, inner1 = vertical ? c.y1 : c.x1;
    auto on = [&](int o, int i) {
      const int x = vertical ? o : i, y = vertical ? i : o;
      if (at(x, y)) return true;
      if (!wide) return false;
      return vertical ? at(x - 1, y) || at(x + 1, y) : at(x, y - 1) || at(x, y + 1);
    };
    for (int o = outer0; o <= outer1; ++o)
      for (int i = inner0; i <= inner1;) {
        if (!on(o, i)) {
          ++i;
          continue;
        }
        int i1 = i;
        while (i1 <= inner1 && on(o, i1)) ++i1;
        for (int k = i; k < i1; ++k) out[vertical ? idx(o, k) : idx(k, o)] = i1 - i;
        i = i1;
      }
  };
  runs(true, false, vrun);
  runs(false, false, hrun);
  runs(true, true, vwide);
  runs(false, true, hwide);
  auto long_v = [&](int x, int y) { return inside(x, y) && at(x, y) && vrun[idx(x, y)] >= v_run; };
  auto long_h = [&](int x, int y) { return inside(x, y) && at(x, y) && hrun[idx(x, y)] >= h_run; };
  auto on_stroke = [&](int x, int y) {
    if (long_v(x, y) || long_h(x, y)) return true;
    if (vwide[idx(x, y)] >= v_run && !long_v(x - 1, y) && !long_v(x + 1, y)) return true;
    return hwide[idx(x, y)] >= h_run && !long_h(x, y - 1) && !long_h(x, y + 1);
  };
  std::vector<std::size_t> stroke;
  for (std::size_t p : px) {
    const int x = static_cast<int>(p % static_cast<std::size_t>(w));
    const int y = static_cast<int>(p / static_cast<std::size_t>(w));
    if (on_stroke(x, y)) stroke.push_back(p);
  }
  // The stroke's gray edge (anti-aliasing, blur) is paper by the threshold but would stay as a
  // faint double line: the paper pixels within `halo` of a stroke pixel go too.
  const int halo = std::max(1, static_cast<int>(std::lround(v_run / 12.0)));
  for (std::size_t p : stroke) {
    const int x = static_cast<int>(p % static_cast<std::size_t>(w));
    const int y = static_cast<int>(p / static_cast<std::size_t>(w));
    g.pixels[p] = 255;
    for (int dy = -halo; dy <= halo; ++dy)
      for (int dx = -halo; dx <= halo; ++dx)
        if (x + dx >= 0 && x + dx < w && y + dy >= 0 && y + dy < g.height && !at(x + dx, y + dy))
          g.pixels[static_cast<std::size_t>(y + dy) * static_cast<std::size_t>(w) +
                   static_cast<std::size_t>(x + dx)] = 255;
  }
}

}  // namespace

int blank_pictures(dicom::GrayImage& g, double text_height) {
  const int w = g.width, h = g.height;
  if (w < 8 || h < 8 || text_height <= 0) return 0;
  const int too_tall = static_cast<int>(4 * text_height);
  int painted = 0;
  // Pictures first: mostly ink, their lighter shapes are not ink, so the whole box goes.
  for (const auto& c : ink_components(g))
    if (is_picture(c, too_tall)) {
      ++painted;
      for (int y = c.y0; y <= c.y1; ++y)
        std::fill_n(&g.pixels[static_cast<std::size_t>(y) * static_cast<std::size_t>(w) +
                              static_cast<std::size_t>(c.x0)],
                    c.width(), std::uint8_t{255});
    }
  // Then frames, tall boxes and line drawings, with the ink threshold of the page without its
  // pictures (a dark picture pulls Otsu's level below a thin gray line): their long strokes go,
  // text inside or touching them stays.
  const std::vector<std::uint8_t> ink = ink_mask(g);
  std::vector<std::uint8_t> mask = ink;
  std::vector<int> stack;
  std::vector<std::size_t> px;
  const int v_run = static_cast<int>(2 * text_height), h_run = too_tall;
  for (std::size_t i = 0; i < mask.size(); ++i) {
    if (!mask[i]) continue;
    px.clear();
    const InkComponent c = flood(mask, w, h, i, stack, [&](std::size_t p) { px.push_back(p); });
    if (c.height() <= too_tall) continue;
    ++painted;
    paint_strokes(g, ink, px, c, v_run, h_run);
  }
  return painted;
}

void remove_rules(dicom::GrayImage& g, double text_height) {
  const int w = g.width, h = g.height;
  if (w < 16 || h < 16) return;
  const int t = otsu_threshold(g);
  const int min_run = std::max(40, static_cast<int>(4 * text_height));
  const int r = std::max(2, static_cast<int>(std::ceil(0.15 * text_height)));
  auto dark = [&](int x, int y) {
    return g.pixels[static_cast<std::size_t>(y) * static_cast<std::size_t>(w) + x] <= t;
  };
  std::vector<std::pair<int, std::pair<int, int>>> cuts;  // row, [x0, x1)
  for (int y = r; y < h - r; ++y) {
    for (int x = 0; x < w;) {
      if (!dark(x, y)) {
        ++x;
        continue;
      }
      int x1 = x;
      while (x1 < w && dark(x1, y)) ++x1;
      if (x1 - x >= min_run) {
        // Thin: the rows r above and below the run are mostly paper (text crossed by the row
        // has strokes above or below it; a table rule has none).
        int above = 0, below = 0;
        for (int k = x; k < x1; ++k) {
          above += dark(k, y - r);
          below += dark(k, y + r);
        }
        if (above * 5 < x1 - x && below * 5 < x1 - x) cuts.push_back({y, {x, x1}});
      }
      x = x1;
    }
  }
  for (const auto& [y, span] : cuts)
    for (int dy = -(r - 1); dy <= r - 1; ++dy)
      for (int x = span.first; x < span.second; ++x) {
        auto& p = g.pixels[static_cast<std::size_t>(y + dy) * static_cast<std::size_t>(w) + x];
        p = 255;
      }
}

void clip_paper_noise(dicom::GrayImage& g) {
  if (g.pixels.empty()) return;
  const int t = otsu_threshold(g);
  std::array<std::uint64_t, 256> hist{};
  for (auto p : g.pixels) ++hist[p];
  auto quantile = [&](int from, int to, double q) {
    std::uint64_t n = 0;
    for (int v = from; v <= to; ++v) n += hist[static_cast<std::size_t>(v)];
    std::uint64_t want = static_cast<std::uint64_t>(q * static_cast<double>(n)), acc = 0;
    for (int v = from; v <= to; ++v) {
      acc += hist[static_cast<std::size_t>(v)];
      if (acc > want) return v;
    }
    return to;
  };
  const int paper = quantile(t + 1, 255, 0.5);
  const int paper_low = quantile(t + 1, 255, 0.1);  // ≈ median − 1.3σ for Gaussian noise
  const int ink = quantile(0, t, 0.5);
  const int spread = paper - paper_low;
  if (spread < 6) return;  // clean paper: nothing to clip
  const int hi = std::max(t + 1, paper - 2 * spread);
  const int lo = std::min(hi - 1, ink);
  if (hi <= lo) return;
  std::array<std::uint8_t, 256> map{};
  for (int v = 0; v < 256; ++v)
    map[static_cast<std::size_t>(v)] = v <= lo ? 0
                                       : v >= hi
                                           ? 255
                                           : static_cast<std::uint8_t>((v - lo) * 255 / (hi - lo));
  for (auto& p : g.pixels) p = map[p];
}

Prepared preprocess(const dicom::GrayImage& page, const PreprocessOptions& options,
                    const std::function<double(dicom::GrayImage&)>& straighten) {
  Prepared p;
  p.text_height = measure_text_height(page);
  double scale = 1.0;
  if (p.text_height > 0) {
    scale = std::clamp(options.target_text_height / p.text_height, options.min_scale,
                       options.max_scale);
  } else if (page.width > 0 && page.width < 1700) {
    // No text measured (a blank or unusual page): as for a letter page at ~300 dpi.
    scale = std::min(options.max_scale, 2550.0 / page.width);
  }
  const double pixels = static_cast<double>(page.width) * page.height;
  if (pixels * scale * scale > options.max_pixels)
    scale = std::max(options.min_scale, std::sqrt(options.max_pixels / std::max(1.0, pixels)));
  if (std::abs(scale - 1.0) < 0.1 || page.width < 2 || page.height < 2) scale = 1.0;
  p.scale = scale;
  // Straightened before scaling: the skew search and rotation cost scale² less there.
  dicom::GrayImage gray;
  if (straighten || options.clip_noise || options.blank_pictures) {
    dicom::GrayImage upright = page;
    // Noisy paper (a grainy scan, JPEG speckle) becomes white before scaling: Lanczos would
    // turn each noise pixel into a blob that runs words together.
    if (options.clip_noise) clip_paper_noise(upright);
    if (options.blank_pictures) blank_pictures(upright, p.text_height);
    if (straighten) p.skew = straighten(upright);
    gray = scale == 1.0 ? std::move(upright) : resize_lanczos(upright, scale);
  } else {
    gray = scale == 1.0 ? page : resize_lanczos(page, scale);
  }
  // Table rules touch the first row's glyphs at low resolution ("1.5" read as "LD").
  if (options.remove_rules)
    remove_rules(gray, p.text_height > 0 ? p.text_height * scale : options.target_text_height);
  dicom::GrayImage bin = gray;
  const int t = otsu_threshold(bin);
  for (auto& v : bin.pixels) v = v > t ? 255 : 0;
  if (options.binarize) {
    p.image = std::move(bin);
    p.alt = std::move(gray);
  } else {
    p.image = std::move(gray);
    p.alt = std::move(bin);
  }
  return p;
}

}  // namespace dicometl::dexa
