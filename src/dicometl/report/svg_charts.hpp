#pragma once
// Charts as inline SVG, drawn by hand: no chart library, no script, no font download. Sizes are
// in a fixed viewBox that scales with the page; colours come from the page's CSS classes.
#include <cstdint>
#include <string>
#include <vector>

namespace dicometl::report {

//! One series of values, one per category; several series are stacked.
struct ChartSeries {
  std::string name;
  std::vector<std::int64_t> values;
};

struct Chart {
  std::string title;    //!< also the SVG's accessible name
  std::string x_label;  //!< the horizontal axis
  std::string y_label;  //!< the vertical axis
  std::vector<std::string> categories;
  std::vector<ChartSeries> series;
  double width = 640;  //!< viewBox width: wider for full-width cards, so text keeps its size
};

//! Categories down the left, bars growing right (long labels: manufacturers, syntaxes…).
std::string horizontal_bars(const Chart& c);
//! Categories along the bottom, columns growing up (histograms, time).
std::string columns(const Chart& c);

//! A table of counts drawn as shaded cells (modality × body part).
struct Grid {
  std::string title, row_label, col_label;
  std::vector<std::string> rows, cols;
  std::vector<std::vector<std::int64_t>> values;  //!< [row][col]
};
std::string heatmap(const Grid& g);

//! "Nice" axis ticks from 0 to at least `max` (steps of 1, 2 or 5 × 10^k).
std::vector<std::int64_t> nice_ticks(std::int64_t max);

}  // namespace dicometl::report
