#include "dicometl/dexa/cell_reread.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "dicometl/dexa/cell_text.hpp"

namespace dicometl::dexa {

namespace {

constexpr const char* kDigits = "0123456789.-%";
// Spine region names are letters L/T, digits and separators; a lost or misread "L" is the
// most common region failure, so a second try allows only these.
constexpr const char* kSpine = "LT0123456789-,";

// One box read as a single line, with room around the glyphs: Tesseract reads a line better
// with a margin of paper. Spaces are dropped (a cell or region name holds none that matter).
std::pair<std::string, float> read_box(OcrEngine& ocr, const Box& b, const char* whitelist) {
  const int h = std::max(1, b.y1 - b.y0);
  auto r = ocr.read_line(b.x0 - h / 2, b.y0 - h / 3, b.x1 + h / 2, b.y1 + h / 3, whitelist);
  std::erase(r.text, ' ');
  return {r.text, r.min_conf};
}

// The three digits-only looks at a cell (cell box, column block, other picture) voted: two that
// agree make the second read, and the tie-breaker too, so QC sees "two of three reads agree"
// (or full agreement when the page read says the same). A page read backed by the third look
// against two others is a tie: the tie-breaker is then no number and QC flags the cell.
void combine_looks(Cell& cell) {
  struct Look {
    std::string text;
    float conf;
  };
  const Look looks[] = {{cell.reread, cell.reread_conf},
                        {cell.column, cell.column_conf},
                        {cell.third, cell.third_conf}};
  auto number = [](const std::string& t) { return !t.empty() && read_number(t, -1).has_value(); };
  for (int i = 0; i < 3; ++i)
    for (int j = i + 1; j < 3; ++j)
      if (number(looks[i].text) && looks[i].text == looks[j].text) {
        const std::string agreed = looks[i].text;
        const float conf = std::max(looks[i].conf, looks[j].conf);
        const int other = 3 - i - j;
        const bool tie = agreed != cell.raw && looks[other].text == cell.raw;
        cell.reread = agreed;
        cell.reread_conf = conf;
        cell.third = tie ? agreed + " / " + cell.raw : agreed;
        cell.third_conf = conf;
        return;
      }
  // The column read stands in for a cell read that gave no number ("LD" for "1.5"): both are a
  // second, digits-only look at the cell; QC still needs another read to agree.
  if (!number(cell.reread) && number(cell.column)) {
    cell.reread = cell.column;
    cell.reread_conf = cell.column_conf;
  }
  const bool third_agrees =
      !cell.third.empty() && (cell.third == cell.raw || cell.third == cell.reread);
  const bool column_agrees =
      !cell.column.empty() && (cell.column == cell.raw || cell.column == cell.reread);
  if (!third_agrees && column_agrees) {
    cell.third = cell.column;
    cell.third_conf = cell.column_conf;
  } else if (third_agrees && column_agrees && cell.third != cell.column) {
    // Two reads for each side: no majority. Not a number, so QC flags the disagreement.
    cell.third = cell.third + " / " + cell.column;
  }
}

}  // namespace

void reread_cells(ParsedTable& table, OcrEngine& ocr) {
  for (auto& row : table.rows) {
    for (auto& [metric, cell] : row.cells)
      std::tie(cell.reread, cell.reread_conf) = read_box(ocr, cell.box, kDigits);
    if (row.region.known && row.region_conf >= 80) continue;
    for (const char* whitelist : {"", kSpine}) {
      const auto [text, conf] = read_box(ocr, row.region_box, whitelist);
      RegionMatch m = match_region(text);
      if (m.known && conf >= 80) {
        const bool changed = m.name != row.region.name;
        row.region = m;
        // A name found only by the second read is marked repaired (QC keeps it out of "ok").
        if (changed) row.region.fuzzy = true;
        if (changed) row.region_raw = row.region_raw.empty() ? "(none)" : row.region_raw;
        row.region_conf = std::max(row.region_conf, conf);
        break;
      }
    }
  }
}

void reread_columns(ParsedTable& table, OcrEngine& ocr) {
  for (const auto& metric : table.columns) {
    std::vector<Cell*> cells;
    Box col{1 << 30, 1 << 30, -1, -1};
    std::vector<int> heights;
    for (auto& row : table.rows)
      if (auto it = row.cells.find(metric); it != row.cells.end()) {
        Cell& c = it->second;
        cells.push_back(&c);
        col.x0 = std::min(col.x0, c.box.x0);
        col.y0 = std::min(col.y0, c.box.y0);
        col.x1 = std::max(col.x1, c.box.x1);
        col.y1 = std::max(col.y1, c.box.y1);
        heights.push_back(c.box.y1 - c.box.y0);
      }
    if (cells.size() < 2) continue;
    std::sort(heights.begin(), heights.end());
    const int h = std::max(1, heights[heights.size() / 2]);
    auto words = ocr.read_block(col.x0 - h, col.y0 - h / 2, col.x1 + h, col.y1 + h / 2, kDigits);
    for (Cell* c : cells) {
      std::vector<const OcrWord*> mine;
      for (const auto& w : words) {
        const int overlap = std::min(w.y1, c->box.y1) - std::max(w.y0, c->box.y0);
        if (overlap > std::min(w.y1 - w.y0, c->box.y1 - c->box.y0) / 2) mine.push_back(&w);
      }
      std::sort(mine.begin(), mine.end(), [](auto* a, auto* b) { return a->x0 < b->x0; });
      c->column.clear();
      c->column_conf = mine.empty() ? 0 : 100;
      for (const auto* w : mine) {
        c->column += w->text;
        c->column_conf = std::min(c->column_conf, w->min_conf);
      }
      std::erase(c->column, ' ');
    }
  }
}

namespace {

// A dash at the start of `b` or just left of it: scanning [x0 − 1.2h, x0 + h/2) from the left,
// the first ink columns are ink only around mid-height (paper in the top and bottom quarters)
// for at least h/4 px — a bar, not a digit's stroke; the 90-ppi minus often touches the "1".
bool dash_at_start(const Box& b, const dicom::GrayImage& g, int threshold) {
  const int h = b.y1 - b.y0;
  if (h < 6) return false;
  const int x0 = std::max(0, b.x0 - h * 6 / 5), x1 = std::min(g.width, b.x0 + h / 2);
  auto dark = [&](int x, int y) {
    return y >= 0 && y < g.height && x >= 0 && x < g.width &&
           g.pixels[static_cast<std::size_t>(y) * static_cast<std::size_t>(g.width) + x] <
               threshold;
  };
  int dash = 0;
  bool started = false;
  for (int x = x0; x < x1; ++x) {
    int mid = 0, edge = 0;
    for (int y = b.y0 - h / 10; y < b.y1 + h / 10; ++y) {
      if (!dark(x, y)) continue;
      const bool in_mid = y >= b.y0 + h / 4 && y < b.y1 - h / 5;
      (in_mid ? mid : edge) += 1;
    }
    if (!started && mid == 0 && edge == 0) continue;  // paper before the first ink
    started = true;
    if (edge == 0 && mid > 0 && mid <= h / 3) {
      ++dash;
      continue;
    }
    break;
  }
  return dash >= std::max(2, h / 4);
}

// Bytes of the marks before the first digit of `t` when they hold a double quote mark (“ ” „ ")
// and nothing but marks and dashes; else 0.
std::size_t leading_quote(const std::string& t) {
  static constexpr std::string_view kQuotes[] = {"\u201c", "\u201d", "\u201e", "\""};
  std::size_t i = 0;
  bool quote = false;
  while (i < t.size() && !std::isdigit(static_cast<unsigned char>(t[i]))) {
    std::size_t len = 0;
    for (auto q : kQuotes)
      if (std::string_view(t).substr(i, q.size()) == q) len = q.size();
    if (len) {
      quote = true;
      i += len;
    } else if (t[i] == '-' || t[i] == '\'' || t[i] == '`' ||
               static_cast<unsigned char>(t[i]) >= 0x80) {
      ++i;  // a dash, a speck, a byte of a Unicode dash
    } else {
      return 0;
    }
  }
  return quote && i < t.size() ? i : 0;
}

}  // namespace

void mark_lost_minus(ParsedTable& table, const dicom::GrayImage& page) {
  if (page.pixels.empty()) return;
  // A 90-ppi minus is one anti-aliased pixel row, lighter than any digit stroke: after the
  // upscale its core is ~110-190 where digits reach ~40, so Otsu's split (~128 on a clean page)
  // loses it. Ink here is anything clearly darker than the paper (its commonest level, noise
  // already clipped to it): 55 levels or more. The dash's shape (paper above and below) decides.
  std::array<int, 256> hist{};
  for (auto p : page.pixels) ++hist[p];
  const int paper = static_cast<int>(std::max_element(hist.begin(), hist.end()) - hist.begin());
  const int threshold = std::max(128, paper - 55);
  for (auto& row : table.rows)
    for (auto& [metric, cell] : row.cells) {
      if (metric != "t_score" && metric != "z_score") continue;
      const auto has_minus = [](const std::string& t) {
        return fold_dashes(t).find('-') != std::string::npos;
      };
      if (const auto quote = leading_quote(cell.raw); quote > 0) {
        cell.raw = "-" + cell.raw.substr(quote);
        continue;
      }
      // A minus read as "4" ("40.3", "-40.7" for -0.3, -0.7): a score of 10 or more is not
      // printed, and another read has the digits without the 4. Taken only with the minus
      // seen, in the page read or as a dash in the pixels.
      if (const std::string f = fold_dashes(cell.raw);
          f.size() >= 3 && f[f[0] == '-' ? 1 : 0] == '4') {
        const std::size_t four = f[0] == '-' ? 1 : 0;
        const std::string rest = f.substr(four + 1);
        const bool ten_or_more = std::isdigit(static_cast<unsigned char>(rest[0]));  // "4" + digit
        bool backed = false;
        for (const std::string* r : {&cell.reread, &cell.column, &cell.third})
          backed = backed || (!r->empty() && digits_of(*r) == digits_of(rest));
        if (ten_or_more && backed && (four == 1 || dash_at_start(cell.box, page, threshold))) {
          cell.raw = "-" + rest;
          continue;
        }
      }
      if (has_minus(cell.raw) || has_minus(cell.reread) || has_minus(cell.column) ||
          has_minus(cell.third) || cell.raw.empty())
        continue;
      if (dash_at_start(cell.box, page, threshold)) cell.raw = "-" + cell.raw;
    }
}

void reread_on_alt(ParsedTable& table, OcrEngine& ocr, const dicom::GrayImage& alt) {
  if (alt.pixels.empty()) return;
  bool switched = false;
  for (auto& row : table.rows)
    for (auto& [metric, cell] : row.cells) {
      if (cell.raw == cell.reread) continue;
      if (!switched) {
        ocr.use_image(alt);
        switched = true;
      }
      std::tie(cell.third, cell.third_conf) = read_box(ocr, cell.box, kDigits);
      combine_looks(cell);
    }
}

}  // namespace dicometl::dexa
