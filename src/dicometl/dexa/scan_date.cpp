#include "dicometl/dexa/scan_date.hpp"

#include <algorithm>
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

}  // namespace

std::string find_scan_date(const std::vector<OcrWord>& words) {
  static const std::regex date(R"((\d{1,2})[./-](\d{1,2})[./-](\d{4})|(\d{4})-(\d{2})-(\d{2}))");
  for (std::size_t i = 0; i + 1 < words.size(); ++i) {
    const std::string a = lower_alnum(words[i].text);
    const std::string b = lower_alnum(words[i + 1].text);
    std::size_t value = 0;
    if ((a == "scan" || a == "exam" || a == "study") && b == "date")
      value = i + 2;
    else if (a == "scandate" || a == "examdate" || a == "acquired")
      value = i + 1;
    if (!value) continue;
    // The date is the first word within the next three that looks like one, on the same line.
    for (std::size_t k = value; k < words.size() && k < value + 3; ++k) {
      if (std::abs(words[k].y0 - words[i].y0) > (words[i].y1 - words[i].y0)) break;
      std::smatch m;
      if (std::regex_search(words[k].text, m, date)) return m.str(0);
    }
  }
  return "";
}

bool same_date(const std::string& printed, const std::string& dicom_date) {
  static const std::regex dmy(R"((\d{1,2})[./-](\d{1,2})[./-](\d{4}))");
  static const std::regex ymd(R"((\d{4})-(\d{2})-(\d{2}))");
  std::smatch m;
  if (std::regex_match(printed, m, ymd)) return m.str(1) + m.str(2) + m.str(3) == dicom_date;
  if (!std::regex_match(printed, m, dmy)) return false;
  const std::string y = m.str(3), p = pad2(m.str(1)), q = pad2(m.str(2));
  return y + q + p == dicom_date || y + p + q == dicom_date;
}

}  // namespace dicometl::dexa
