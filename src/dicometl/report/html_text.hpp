#pragma once
// Text for the HTML page: escaping (every string from the database goes through esc()),
// number formatting, and HTML tables.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace dicometl::report {

//! Escapes text for HTML/SVG content and attribute values; invalid UTF-8 and control
//! characters become U+FFFD, so DICOM text can neither inject markup nor break the page.
std::string esc(std::string_view text);
//! At most `max_chars` code points, with "…" when cut (for chart labels; tables show it all).
std::string shorten(std::string_view text, std::size_t max_chars);
//! Code points in valid UTF-8 (bytes otherwise), for label width estimates.
std::size_t text_width_chars(std::string_view text);

std::string thousands(std::int64_t n);       //!< 1234567 → "1,234,567"
std::string human_bytes(std::int64_t bytes);  //!< 1536 → "1.5 KiB"
std::string percent(std::int64_t part, std::int64_t whole);  //!< "12.5%", "–" when whole is 0
//! A label for empty values in charts and tables.
std::string or_none(const std::string& s);

//! A data table; cells are plain text (escaped when rendered), or HTML when `html_cells`.
struct HtmlTable {
  std::vector<std::string> head;
  std::vector<bool> numeric;  //!< per column: right-aligned figures
  std::vector<std::vector<std::string>> rows;
  std::vector<std::vector<std::string>> foot;  //!< totals rows
  bool html_cells = false;
};
std::string render_table(const HtmlTable& t, std::string_view label);

}  // namespace dicometl::report
