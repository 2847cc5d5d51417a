#include "dicometl/report/svg_charts.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/core.h>

#include "dicometl/report/html_text.hpp"

namespace dicometl::report {

namespace {

constexpr double kWidth = 640;
constexpr double kCharW = 6.6;  // average glyph width of a 12 px sans-serif font

std::int64_t stacked_total(const Chart& c, std::size_t i) {
  std::int64_t t = 0;
  for (const auto& s : c.series) t += i < s.values.size() ? s.values[i] : 0;
  return t;
}

std::int64_t max_total(const Chart& c) {
  std::int64_t m = 0;
  for (std::size_t i = 0; i < c.categories.size(); ++i) m = std::max(m, stacked_total(c, i));
  return m;
}

// `natural`: never scale the drawing up (a grid of cells should not grow to a poster).
std::string open_svg(double w, double h, const std::string& title, const std::string& desc,
                     bool natural = false) {
  return fmt::format(
      "<svg class=\"chart\" viewBox=\"0 0 {0:.0f} {1:.0f}\" width=\"{0:.0f}\" role=\"img\"{2} "
      "xmlns=\"http://www.w3.org/2000/svg\"><title>{3}</title><desc>{4}</desc>",
      w, h, natural ? fmt::format(" style=\"max-width:{:.0f}px\"", w) : std::string(), esc(title),
      esc(desc));
}

std::string legend(const Chart& c, double x, double y) {
  if (c.series.size() < 2) return {};
  std::string out;
  for (std::size_t s = 0; s < c.series.size(); ++s) {
    out += fmt::format("<rect class=\"s{}\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"10\" height=\"10\"/>"
                       "<text x=\"{:.1f}\" y=\"{:.1f}\">{}</text>",
                       s, x, y - 9, x + 14, y, esc(c.series[s].name));
    x += 24 + kCharW * static_cast<double>(text_width_chars(c.series[s].name));
  }
  return out;
}

std::string describe(const Chart& c) {
  return fmt::format("{} categories; {} against {}", c.categories.size(), c.x_label, c.y_label);
}

}  // namespace

std::vector<std::int64_t> nice_ticks(std::int64_t max) {
  if (max <= 0) return {0, 1};
  const double raw = static_cast<double>(max) / 5.0;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double step = mag;
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * mag >= raw) {
      step = m * mag;
      break;
    }
  const auto s = std::max<std::int64_t>(1, static_cast<std::int64_t>(step));
  std::vector<std::int64_t> ticks;
  for (std::int64_t v = 0;; v += s) {
    ticks.push_back(v);
    if (v >= max) break;
  }
  return ticks;
}

std::string horizontal_bars(const Chart& c) {
  const std::size_t n = c.categories.size();
  std::size_t longest = 4;
  for (const auto& l : c.categories) longest = std::max(longest, text_width_chars(l));
  const std::size_t max_chars = 34;
  // Category labels are often capitals (manufacturers): wider than the average glyph.
  const double label_w = std::clamp(7.4 * static_cast<double>(std::min(longest, max_chars)) + 8, 48.0, 270.0);
  const double row_h = 22, left = 22 + label_w, right = 64;
  const double top = c.series.size() > 1 ? 26 : 8;
  // Tall enough for the rotated y-axis label: with two or three bars it would stick out of the
  // drawing and be cut off.
  const double label_len = 7.5 * static_cast<double>(text_width_chars(c.y_label)) + 8;
  const double plot_w = c.width - left - right,
               plot_h = std::max(row_h * static_cast<double>(std::max<std::size_t>(n, 1)), label_len);
  const double h = top + plot_h + 44;
  const auto ticks = nice_ticks(max_total(c));
  const double scale = plot_w / static_cast<double>(ticks.back());

  std::string out = open_svg(c.width, h, c.title, describe(c));
  out += legend(c, left, 14);
  for (auto t : ticks) {
    const double x = left + scale * static_cast<double>(t);
    out += fmt::format("<line class=\"grid\" x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"{1:.1f}\" y2=\"{2:.1f}\"/>"
                       "<text class=\"tick\" x=\"{0:.1f}\" y=\"{3:.1f}\" text-anchor=\"middle\">{4}</text>",
                       x, top, top + plot_h, top + plot_h + 15, thousands(t));
  }
  for (std::size_t i = 0; i < n; ++i) {
    const double y = top + row_h * static_cast<double>(i);
    const std::string& label = c.categories[i];
    out += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\">{}<title>{}</title></text>",
                       left - 6, y + row_h / 2 + 4, esc(shorten(label, max_chars)), esc(label));
    double x = left;
    for (std::size_t s = 0; s < c.series.size(); ++s) {
      const auto v = i < c.series[s].values.size() ? c.series[s].values[i] : 0;
      const double w = scale * static_cast<double>(v);
      if (v > 0)
        out += fmt::format("<rect class=\"s{}\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\">"
                           "<title>{}{}: {}</title></rect>",
                           s, x, y + 4, std::max(w, 1.0), row_h - 8, esc(label),
                           c.series.size() > 1 ? " — " + esc(c.series[s].name) : "", thousands(v));
      x += w;
    }
    out += fmt::format("<text class=\"value\" x=\"{:.1f}\" y=\"{:.1f}\">{}</text>", x + 5,
                       y + row_h / 2 + 4, thousands(stacked_total(c, i)));
  }
  out += fmt::format("<line class=\"axis\" x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"{1:.1f}\" y2=\"{2:.1f}\"/>",
                     left, top, top + plot_h);
  out += fmt::format("<text class=\"axis-label\" x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{}</text>",
                     left + plot_w / 2, h - 6, esc(c.x_label));
  out += fmt::format("<text class=\"axis-label\" transform=\"translate(12 {:.1f}) rotate(-90)\" "
                     "text-anchor=\"middle\">{}</text>", top + plot_h / 2, esc(c.y_label));
  return out + "</svg>";
}

std::string columns(const Chart& c) {
  const std::size_t n = std::max<std::size_t>(c.categories.size(), 1);
  std::size_t longest = 1;
  for (const auto& l : c.categories) longest = std::max(longest, text_width_chars(l));
  const double left = 70, right = 12, top = c.series.size() > 1 ? 30 : 16;
  const double plot_w = c.width - left - right, col_w = plot_w / static_cast<double>(n);
  const bool rotate = kCharW * static_cast<double>(longest) > col_w - 4;
  const double label_h = rotate ? std::min(90.0, kCharW * static_cast<double>(std::min<std::size_t>(longest, 14)) * 0.75 + 14) : 18;
  const double plot_h = 200, h = top + plot_h + label_h + 28;
  // Thin out labels that would collide even when rotated.
  const std::size_t every = std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(14.0 / col_w)));
  const auto ticks = nice_ticks(max_total(c));
  const double scale = plot_h / static_cast<double>(ticks.back());

  std::string out = open_svg(c.width, h, c.title, describe(c));
  out += legend(c, left, 14);
  for (auto t : ticks) {
    const double y = top + plot_h - scale * static_cast<double>(t);
    out += fmt::format("<line class=\"grid\" x1=\"{0:.1f}\" x2=\"{1:.1f}\" y1=\"{2:.1f}\" y2=\"{2:.1f}\"/>"
                       "<text class=\"tick\" x=\"{3:.1f}\" y=\"{4:.1f}\" text-anchor=\"end\">{5}</text>",
                       left, left + plot_w, y, left - 6, y + 4, thousands(t));
  }
  const bool show_values = col_w >= 22;
  for (std::size_t i = 0; i < c.categories.size(); ++i) {
    const double x = left + col_w * static_cast<double>(i);
    const double bw = std::max(1.0, col_w * 0.78), bx = x + (col_w - bw) / 2;
    double y = top + plot_h;
    const std::string& label = c.categories[i];
    for (std::size_t s = 0; s < c.series.size(); ++s) {
      const auto v = i < c.series[s].values.size() ? c.series[s].values[i] : 0;
      const double bh = scale * static_cast<double>(v);
      y -= bh;
      if (v > 0)
        out += fmt::format("<rect class=\"s{}\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\">"
                           "<title>{}: {}</title></rect>",
                           s, bx, y, bw, std::max(bh, 1.0), esc(label), thousands(v));
    }
    if (show_values && stacked_total(c, i) > 0)
      out += fmt::format("<text class=\"value\" x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{}</text>",
                         x + col_w / 2, y - 4, thousands(stacked_total(c, i)));
    if (i % every != 0) continue;
    const double ly = top + plot_h + 14;
    if (rotate)
      out += fmt::format("<text class=\"tick\" transform=\"translate({:.1f} {:.1f}) rotate(-45)\" "
                         "text-anchor=\"end\">{}</text>", x + col_w / 2 + 3, ly, esc(shorten(label, 14)));
    else
      out += fmt::format("<text class=\"tick\" x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{}</text>",
                         x + col_w / 2, ly, esc(label));
  }
  out += fmt::format("<line class=\"axis\" x1=\"{0:.1f}\" x2=\"{1:.1f}\" y1=\"{2:.1f}\" y2=\"{2:.1f}\"/>",
                     left, left + plot_w, top + plot_h);
  out += fmt::format("<text class=\"axis-label\" x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{}</text>",
                     left + plot_w / 2, h - 6, esc(c.x_label));
  out += fmt::format("<text class=\"axis-label\" transform=\"translate(14 {:.1f}) rotate(-90)\" "
                     "text-anchor=\"middle\">{}</text>", top + plot_h / 2, esc(c.y_label));
  return out + "</svg>";
}

std::string heatmap(const Grid& g) {
  std::size_t row_chars = 4, col_chars = 4;
  for (const auto& r : g.rows) row_chars = std::max(row_chars, text_width_chars(r));
  for (const auto& c : g.cols) col_chars = std::max(col_chars, std::min<std::size_t>(text_width_chars(c), 16));
  const double left = 26 + kCharW * static_cast<double>(std::min<std::size_t>(row_chars, 16)) + 8;
  const double top = 24 + kCharW * static_cast<double>(col_chars) * 0.72 + 8;
  const double cell_w = std::clamp((kWidth - left - 8) / static_cast<double>(std::max<std::size_t>(g.cols.size(), 1)), 30.0, 64.0);
  const double cell_h = 26;
  const double w = left + cell_w * static_cast<double>(g.cols.size()) + 8;
  const double h = top + cell_h * static_cast<double>(g.rows.size()) + 8;
  std::int64_t max = 1;
  for (const auto& r : g.values)
    for (auto v : r) max = std::max(max, v);

  std::string out = open_svg(w, h, g.title,
                             fmt::format("{} rows ({}) by {} columns ({})", g.rows.size(),
                                         g.row_label, g.cols.size(), g.col_label), true);
  out += fmt::format("<text class=\"axis-label\" x=\"{:.1f}\" y=\"14\">{} →</text>", left, esc(g.col_label));
  out += fmt::format("<text class=\"axis-label\" transform=\"translate(14 {:.1f}) rotate(-90)\" "
                     "text-anchor=\"middle\">{}</text>", top + cell_h * static_cast<double>(g.rows.size()) / 2,
                     esc(g.row_label));
  for (std::size_t c = 0; c < g.cols.size(); ++c)
    out += fmt::format("<text class=\"tick\" transform=\"translate({:.1f} {:.1f}) rotate(-45)\">{}<title>{}</title></text>",
                       left + cell_w * (static_cast<double>(c) + 0.5) - 3, top - 6,
                       esc(shorten(g.cols[c], 16)), esc(g.cols[c]));
  for (std::size_t r = 0; r < g.rows.size(); ++r) {
    const double y = top + cell_h * static_cast<double>(r);
    out += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\">{}<title>{}</title></text>",
                       left - 6, y + cell_h / 2 + 4, esc(shorten(g.rows[r], 16)), esc(g.rows[r]));
    for (std::size_t c = 0; c < g.cols.size(); ++c) {
      const auto v = g.values[r][c];
      const double x = left + cell_w * static_cast<double>(c);
      // Square root keeps small cells visible next to a dominant one.
      const double t = v > 0 ? 0.12 + 0.88 * std::sqrt(static_cast<double>(v) / static_cast<double>(max)) : 0;
      out += fmt::format("<rect class=\"{}\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" "
                         "fill-opacity=\"{:.2f}\"><title>{} × {}: {}</title></rect>",
                         v > 0 ? "heat" : "heat-empty", x + 1, y + 1, cell_w - 2, cell_h - 2,
                         v > 0 ? t : 1.0, esc(g.rows[r]), esc(g.cols[c]), thousands(v));
      if (v > 0)
        out += fmt::format("<text class=\"{}\" x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{}</text>",
                           t > 0.55 ? "cell light" : "cell", x + cell_w / 2, y + cell_h / 2 + 4, thousands(v));
    }
  }
  return out + "</svg>";
}

}  // namespace dicometl::report
