#include "dicometl/dexa/scan_date.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <regex>

namespace dicometl::dexa {

namespace {

std::string lower_alnum(const std::string& s) {
  std::string out;
  for (char c : s)
    if (std::isalnum(static_cast<unsigned char>(c)))
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string pad2(const std::string& s) { return s.size() == 1 ? "0" + s : s; }

// English month names as the vendors print them ("December", "Dec", "Dec.", "Sept"); 0 when
// the word is none.
int month_number(const std::string& word) {
  static const std::array<const char*, 12> names = {
      "january", "february", "march",     "april",   "may",      "june",
      "july",    "august",   "september", "october", "november", "december"};
  const std::string w = lower_alnum(word);
  if (w.size() < 3) return 0;
  for (std::size_t i = 0; i < names.size(); ++i) {
    const std::string name = names[i];
    // A full name, or a prefix of at least three letters ("dec", "sept").
    if (w.size() <= name.size() && name.compare(0, w.size(), w) == 0)
      return static_cast<int>(i) + 1;
  }
  return 0;
}

// The forms a printed date takes, month names first (they are unambiguous).
const std::regex& name_first() {  // December 04, 2019 · Dec 4 2019 · Dec. 4, 2019
  static const std::regex r(R"(([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4}))");
  return r;
}
const std::regex& day_first_name() {  // 04-Dec-2019 · 4 December 2019 · 04.Dec.2019
  static const std::regex r(R"((\d{1,2})[-./ ]?\s*([A-Za-z]{3,9})\.?[-./, ]\s*(\d{4}))");
  return r;
}
const std::regex& numeric_dmy() {  // 04.12.2019 · 12/4/2019 (either order)
  static const std::regex r(R"((\d{1,2})[./-](\d{1,2})[./-](\d{4}))");
  return r;
}
const std::regex& numeric_ymd() {  // 2019-12-04
  static const std::regex r(R"((\d{4})-(\d{2})-(\d{2}))");
  return r;
}

std::string ymd(const std::string& y, int m, const std::string& d) {
  return y + pad2(std::to_string(m)) + pad2(d);
}

// Every YYYYMMDD `text` can mean (two when day and month order is unknown); empty when `text`
// is no date.
std::vector<std::string> readings(const std::string& text) {
  std::smatch m;
  if (std::regex_match(text, m, name_first()))
    if (int mo = month_number(m.str(1))) return {ymd(m.str(3), mo, m.str(2))};
  if (std::regex_match(text, m, day_first_name()))
    if (int mo = month_number(m.str(2))) return {ymd(m.str(3), mo, m.str(1))};
  if (std::regex_match(text, m, numeric_ymd())) return {m.str(1) + m.str(2) + m.str(3)};
  if (std::regex_match(text, m, numeric_dmy())) {
    const std::string y = m.str(3), p = pad2(m.str(1)), q = pad2(m.str(2));
    return {y + q + p, y + p + q};
  }
  return {};
}

}  // namespace

std::string first_date_in(const std::string& text) {
  std::smatch m;
  for (const std::regex* r : {&name_first(), &day_first_name()}) {
    auto begin = text.cbegin();
    while (std::regex_search(begin, text.cend(), m, *r)) {
      if (!readings(m.str(0)).empty()) return m.str(0);
      begin = m[0].second;
    }
  }
  for (const std::regex* r : {&numeric_ymd(), &numeric_dmy()})
    if (std::regex_search(text, m, *r)) return m.str(0);
  return "";
}

std::string find_scan_date(const std::vector<OcrWord>& words) {
  for (std::size_t i = 0; i + 1 < words.size(); ++i) {
    const std::string a = lower_alnum(words[i].text);
    const std::string b = lower_alnum(words[i + 1].text);
    std::size_t value = 0;
    if ((a == "scan" || a == "exam" || a == "study") && b == "date")
      value = i + 2;
    else if (a == "scandate" || a == "examdate" || a == "acquired")
      value = i + 1;
    else if (a == "measured" && !words[i].text.empty() && words[i].text.back() == ':')
      value = i + 1;  // GE "Measured: 12/4/2019 …"; the trend table's "Measured Date" has no ':'
    if (!value) continue;
    // The date is in the next four words of the same line ("December 04, 2019" is three).
    std::string line;
    for (std::size_t k = value; k < words.size() && k < value + 4; ++k) {
      if (std::abs(words[k].y0 - words[i].y0) > (words[i].y1 - words[i].y0)) break;
      line += (line.empty() ? "" : " ") + words[k].text;
    }
    if (auto d = first_date_in(line); !d.empty()) return d;
  }
  return "";
}

bool same_date(const std::string& printed, const std::string& dicom_date) {
  const auto rs = readings(printed);
  return std::find(rs.begin(), rs.end(), dicom_date) != rs.end();
}

void check_scan_date(Page& page) {
  if (page.page_scan_date.empty() || page.exam_date.empty() ||
      same_date(page.page_scan_date, page.exam_date))
    return;
  for (auto& v : page.values)
    v.flag("scan date on the page (" + page.page_scan_date + ") is not the DICOM date");
}

}  // namespace dicometl::dexa
