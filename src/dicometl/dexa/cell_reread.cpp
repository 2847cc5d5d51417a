#include "dicometl/dexa/cell_reread.hpp"

#include <algorithm>

namespace dicometl::dexa {

namespace {

constexpr const char* kDigits = "0123456789.-%";
// Spine region names are letters L/T, digits and separators; a lost or misread "L" is the
// most common region failure, so a second try allows only these.
constexpr const char* kSpine = "LT0123456789-,";

}  // namespace

void reread_cells(ParsedTable& table, OcrEngine& ocr) {
  for (auto& row : table.rows) {
    for (auto& [metric, cell] : row.cells) {
      const int h = std::max(1, cell.box.y1 - cell.box.y0);
      // Room around the glyphs: Tesseract reads a line better with a margin of paper.
      auto r = ocr.read_line(cell.box.x0 - h / 2, cell.box.y0 - h / 3, cell.box.x1 + h / 2,
                             cell.box.y1 + h / 3, kDigits);
      cell.reread = r.text;
      std::erase(cell.reread, ' ');
      cell.reread_conf = r.min_conf;
    }
    if (row.region.known && row.region_conf >= 80) continue;
    const Box& b = row.region_box;
    const int h = std::max(1, b.y1 - b.y0);
    for (const char* whitelist : {"", kSpine}) {
      auto r = ocr.read_line(b.x0 - h / 2, b.y0 - h / 3, b.x1 + h / 2, b.y1 + h / 3, whitelist);
      RegionMatch m = match_region(r.text);
      if (m.known && r.min_conf >= 80) {
        const bool changed = m.name != row.region.name;
        row.region = m;
        // A name found only by the second read is marked repaired (QC keeps it out of "ok").
        if (changed) row.region.fuzzy = true;
        if (changed) row.region_raw = row.region_raw.empty() ? "(none)" : row.region_raw;
        row.region_conf = std::max(row.region_conf, r.min_conf);
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
      const int h = std::max(1, cell.box.y1 - cell.box.y0);
      auto r = ocr.read_line(cell.box.x0 - h / 2, cell.box.y0 - h / 3, cell.box.x1 + h / 2,
                             cell.box.y1 + h / 3, kDigits);
      cell.third = r.text;
      std::erase(cell.third, ' ');
      cell.third_conf = r.min_conf;
    }
}

}  // namespace dicometl::dexa
