#include "dicometl/omop/values.hpp"

#include <charconv>

#include "dicometl/model/utf8.hpp"

namespace dicometl::omop {

namespace {
std::optional<int> number(std::string_view s) {
  int v = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc() || r.ptr != s.data() + s.size()) return std::nullopt;
  return v;
}
bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
}  // namespace

std::optional<std::string> iso_date(std::string_view da) {
  while (!da.empty() && da.back() == ' ') da.remove_suffix(1);
  std::string digits;
  if (da.size() == 10 && da[4] == '.' && da[7] == '.') {
    digits =
        std::string(da.substr(0, 4)) + std::string(da.substr(5, 2)) + std::string(da.substr(8, 2));
  } else if (da.size() == 8) {
    digits = std::string(da);
  } else {
    return std::nullopt;
  }
  auto y = number(std::string_view(digits).substr(0, 4));
  auto m = number(std::string_view(digits).substr(4, 2));
  auto d = number(std::string_view(digits).substr(6, 2));
  if (!y || !m || !d || *y < 1850 || *y > 2200 || *m < 1 || *m > 12 || *d < 1) return std::nullopt;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const int max_day = kDays[*m - 1] + (*m == 2 && leap(*y) ? 1 : 0);
  if (*d > max_day) return std::nullopt;
  return digits.substr(0, 4) + '-' + digits.substr(4, 2) + '-' + digits.substr(6, 2);
}

std::optional<std::string> iso_datetime(const std::string& day, std::string_view tm) {
  std::string t;
  for (char c : tm) {
    if (c == '.') break;
    if (c == ':') continue;  // ACR-NEMA style HH:MM:SS
    if (c < '0' || c > '9') return std::nullopt;
    t += c;
  }
  if (t.size() < 2 || t.size() % 2) return std::nullopt;
  while (t.size() < 6) t += "00";
  t.resize(6);
  auto h = number(std::string_view(t).substr(0, 2));
  auto mi = number(std::string_view(t).substr(2, 2));
  auto s = number(std::string_view(t).substr(4, 2));
  if (!h || !mi || !s || *h > 23 || *mi > 59 || *s > 59) return std::nullopt;
  return day + ' ' + t.substr(0, 2) + ':' + t.substr(2, 2) + ':' + t.substr(4, 2);
}

std::string truncate_chars(std::string_view s, std::size_t max_chars) {
  std::size_t chars = 0, i = 0;
  while (i < s.size()) {
    if (chars == max_chars) return std::string(s.substr(0, i));
    i += utf8_char_length(s, i);
    ++chars;
  }
  return std::string(s.substr(0, std::min(i, s.size())));
}

std::size_t count_chars(std::string_view s) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < s.size(); i += utf8_char_length(s, i)) ++chars;
  return chars;
}

std::optional<int> birth_year_from_age(std::string_view age, const std::string& study) {
  if (age.size() != 4 || study.size() < 4) return std::nullopt;
  auto n = number(age.substr(0, 3));
  auto y = number(std::string_view(study).substr(0, 4));
  if (!n || !y) return std::nullopt;
  double years = 0;
  switch (age[3]) {
    case 'Y': years = *n; break;
    case 'M': years = *n / 12.0; break;
    case 'W': years = *n / 52.0; break;
    case 'D': years = *n / 365.0; break;
    default: return std::nullopt;
  }
  // The birthday may or may not have passed at the study date: the year is imputed, as OMOP allows.
  return *y - static_cast<int>(years);
}

}  // namespace dicometl::omop
