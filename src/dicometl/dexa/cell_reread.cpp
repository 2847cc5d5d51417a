#include "dicometl/dexa/cell_reread.hpp"

#include <algorithm>
#include <string>
#include <tuple>
#include <utility>

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

void reread_on_gray(ParsedTable& table, OcrEngine& ocr, const dicom::GrayImage& gray) {
  if (gray.pixels.empty()) return;
  bool switched = false;
  for (auto& row : table.rows)
    for (auto& [metric, cell] : row.cells) {
      if (cell.raw == cell.reread) continue;
      if (!switched) {
        ocr.use_image(gray);
        switched = true;
      }
      std::tie(cell.third, cell.third_conf) = read_box(ocr, cell.box, kDigits);
    }
}

}  // namespace dicometl::dexa
