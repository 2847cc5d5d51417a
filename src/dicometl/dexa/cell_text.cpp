#include "dicometl/dexa/cell_text.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <climits>
#include <vector>

#include "dicometl/dexa/layouts.hpp"

namespace dicometl::dexa {

namespace {

// UTF-8 sequences OCR produces for a minus or dash.
constexpr std::string_view kDashes[] = {"\u2212", "\u2013", "\u2014", "\u2010", "\u2011", "\u00ad"};

// Region comparison key: lower case, no spaces, apostrophes, dots or bars.
// Only letters, digits and the separators names use ("L1-L4", "L1,L3", "1/3", "Radius 33%")
// count: specks and quote marks beside a name ("‘Rleg") are not part of it.
std::string region_key(std::string_view s) {
  std::string out;
  for (char c : fold_dashes(s))
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == ',' || c == '/' || c == '%')
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Spine names are a letter and digits: OCR reads 1 as l, I or |, and 0 as O. Only applied
// where the text has the shape of a vertebra name, so "Neck" stays "Neck".
std::string repair_vertebrae(std::string s) {
  bool shape = !s.empty() && (s[0] == 'L' || s[0] == 'T' || s[0] == 'l');
  if (!shape) return s;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char& c = s[i];
    bool after_letter = i > 0 && (s[i - 1] == 'L' || s[i - 1] == 'T');
    if (i == 0 && c == 'l')
      c = 'L';
    else if (after_letter && (c == 'l' || c == 'I' || c == 'i' || c == '|'))
      c = '1';
  }
  return s;
}

// Lower-case letters 90-ppi OCR reads for one another, folded to one: rn/in → m, cl → d, e/c → o,
// i/l/1/| → l, t → f; trailing marks dropped. Only for comparing names made of letters.
std::string confusion_fold(std::string s) {
  while (!s.empty() && (s.back() == ',' || s.back() == '.')) s.pop_back();
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i], n = i + 1 < s.size() ? s[i + 1] : '\0';
    if ((c == 'r' || c == 'i') && n == 'n') {
      out += 'm';
      ++i;
    } else if (c == 'c' && n == 'l') {
      out += 'd';
      ++i;
    } else if (c == 'e' || c == 'c') {
      out += 'o';
    } else if (c == 'i' || c == '1' || c == '|' || c == '!') {
      out += 'l';
    } else if (c == 't') {
      out += 'f';
    } else {
      out += c;
    }
  }
  return out;
}

// The region nearest to `key` by edit distance, and the distance of the next one. Two
// spellings of one region ("Neck Diff.", "Neck |Diff.|") are one candidate. `folded`: names of
// letters only, both sides through confusion_fold.
struct Nearest {
  const std::string* name = nullptr;
  int best = INT_MAX, second = INT_MAX;
};
Nearest nearest_region(const std::string& key, bool folded) {
  Nearest n;
  const std::string k = folded ? confusion_fold(key) : key;
  std::vector<std::string> seen;
  for (const auto& name : region_names()) {
    std::string rk = region_key(name);
    if (folded) {
      if (std::any_of(rk.begin(), rk.end(), [](char c) { return std::isdigit(c) != 0; })) continue;
      rk = confusion_fold(rk);
    }
    if (std::find(seen.begin(), seen.end(), rk) != seen.end()) continue;
    seen.push_back(rk);
    const int d = edit_distance(k, rk);
    if (d < n.best) {
      n.second = n.best;
      n.best = d;
      n.name = &name;
    } else if (d < n.second) {
      n.second = d;
    }
  }
  return n;
}

}  // namespace

int edit_distance(std::string_view a, std::string_view b) {
  std::vector<int> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = static_cast<int>(j);
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = static_cast<int>(i);
    for (std::size_t j = 1; j <= b.size(); ++j)
      cur[j] =
          std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string digits_of(std::string_view s) {
  std::string d;
  for (char c : s)
    if (std::isdigit(static_cast<unsigned char>(c))) d += c;
  return d;
}

char digit_for_letter(char c) {
  switch (c) {
    case 'l':
    case 'L':
    case 'I':
    case 'i':
    case '|': return '1';
    case 'O':
    case 'o':
    case 'D':
    case 'Q': return '0';
    case 'S':
    case 's':
    case '$': return '5';
    case 'A': return '4';
    case 'B': return '8';
    case 'Z':
    case 'z': return '2';
    default: return '\0';
  }
}

std::string fold_dashes(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    std::size_t len = 0;
    for (auto d : kDashes)
      if (s.substr(i, d.size()) == d) len = d.size();
    if (len) {
      out += '-';
      i += len;
    } else {
      out += s[i++];
    }
  }
  return out;
}

std::string label_key(std::string_view s) {
  std::string out;
  for (char c : fold_dashes(s))
    if (c != ' ') out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool looks_numeric(std::string_view raw) {
  std::string s = fold_dashes(raw);
  int digits = 0;
  for (char c : s) {
    if (std::isdigit(static_cast<unsigned char>(c)))
      ++digits;
    else if (c != '-' && c != '.' && c != ',' && c != '%' && c != '+' && c != 'O' && c != 'o')
      return false;
  }
  return digits > 0;
}

std::optional<CellNumber> read_number(std::string_view raw, int decimals) {
  std::string s = fold_dashes(raw);
  std::string repair;
  if (!s.empty() && s.back() == '%') s.pop_back();
  if (!s.empty() && s[0] == '+') s.erase(0, 1);
  // A speck or quote mark before a minus ("'-0.5", "‘-1.1") is not part of the number.
  for (std::string_view q : {"'", "\"", "\u2018", "\u2019", "\u201c", "\u201d"})
    if (s.size() > q.size() && s.starts_with(q) && s[q.size()] == '-') s.erase(0, q.size());
  // 90-ppi digits read as letters ("-L.1", "-OS", "-OA", "Lill" for -1.1, -0.5, -0.4, 1.111):
  // digits when every other character is a digit, a sign or a point, and the text has a digit,
  // a sign or a point, or 3+ characters ("Ll" alone is a region name). Repaired, never ok.
  const bool all_number_like = std::all_of(s.begin(), s.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '.' ||
           digit_for_letter(c) != '\0';
  });
  const bool anchored =
      s.size() >= 3 || std::any_of(s.begin(), s.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '.';
      });
  if (all_number_like && anchored &&
      std::any_of(s.begin(), s.end(), [](char c) { return digit_for_letter(c) != '\0'; })) {
    for (char& c : s)
      if (const char d = digit_for_letter(c)) c = d;
    repair = "letters read as digits";
  }
  if (std::count(s.begin(), s.end(), ',') == 1 && s.find('.') == std::string::npos) {
    std::replace(s.begin(), s.end(), ',', '.');
    repair = "comma read as decimal point";
  }
  if (std::count(s.begin(), s.end(), ':') == 1 && s.find('.') == std::string::npos &&
      s.find(',') == std::string::npos) {
    std::replace(s.begin(), s.end(), ':', '.');  // "1:3" at 90 ppi
    repair = "colon read as decimal point";
  }
  bool neg = !s.empty() && s[0] == '-';
  std::string body = neg ? s.substr(1) : s;
  if (body.empty() || std::count(body.begin(), body.end(), '.') > 1) return std::nullopt;
  for (char c : body)
    if (!std::isdigit(static_cast<unsigned char>(c)) && c != '.') return std::nullopt;
  if (body.front() == '.' || body.back() == '.') return std::nullopt;
  auto point = body.find('.');
  int have = point == std::string::npos ? 0 : static_cast<int>(body.size() - point - 1);
  if (point == std::string::npos && decimals > 0) {
    // A lost point is only repairable when the digit count leaves one place for it: values
    // printed with d decimals and a single leading digit (0.987, 1.2) have d + 1 digits.
    if (static_cast<int>(body.size()) != decimals + 1)
      return CellNumber{s, 0, -1, "no decimal point"};
    const std::size_t at = body.size() - static_cast<std::size_t>(decimals);
    body = body.substr(0, at) + '.' + body.substr(at);
    have = decimals;
    repair = repair.empty() ? "decimal point inserted" : repair + "; decimal point inserted";
  }
  CellNumber n;
  n.text = neg ? "-" : "";
  n.text += body;
  n.decimals = have;
  n.repair = repair;
  try {
    n.value = std::stod(n.text);
  } catch (...) {
    return std::nullopt;
  }
  return n;
}

RegionMatch match_region(std::string_view raw) {
  std::string cleaned = fold_dashes(raw);
  // fold_dashes removed nothing but dashes; tidy the spaces OCR leaves around '-' and ','.
  std::string tidy;
  for (std::size_t i = 0; i < cleaned.size(); ++i) {
    char c = cleaned[i];
    if (c == ' ' && (i + 1 < cleaned.size() && (cleaned[i + 1] == '-' || cleaned[i + 1] == ',')))
      continue;
    if (c == ' ' && !tidy.empty() &&
        (tidy.back() == '-' || tidy.back() == ',' || tidy.back() == ' '))
      continue;
    tidy += c;
  }
  while (!tidy.empty() && tidy.back() == ' ') tidy.pop_back();
  std::string repaired = repair_vertebrae(tidy);
  // Repair each dash/comma-separated part of a range: "L1-L4" is "L1" "-" "L4".
  for (std::size_t i = 1; i < repaired.size(); ++i)
    if ((repaired[i - 1] == '-' || repaired[i - 1] == ',') && i + 1 < repaired.size()) {
      std::string tail = repair_vertebrae(repaired.substr(i));
      repaired = repaired.substr(0, i) + tail;
    }
  const std::string key = region_key(repaired);
  for (const auto& name : region_names())
    if (region_key(name) == key) return {name, true, false};
  // In the region column a lost "L" turns "L2" into "12" and "L1-L4" into "11-14": a vertebra
  // number 1–5 after a '1' (or l, I, |) is read as L<n>, as a repair QC does not call ok.
  {
    std::string as_spine;
    bool shape = !key.empty();
    for (std::size_t i = 0; i < key.size() && shape;) {
      const char c = key[i];
      if ((c == '1' || c == 'l' || c == 'i' || c == '|') && i + 1 < key.size() &&
          key[i + 1] >= '1' && key[i + 1] <= '5') {
        as_spine += 'L';
        as_spine += key[i + 1];
        i += 2;
      } else if (c == 'l' && i + 1 < key.size() && key[i + 1] >= '1' && key[i + 1] <= '5') {
        as_spine += 'L';
        ++i;
      } else if ((c == '-' || c == ',') && !as_spine.empty() && i + 1 < key.size()) {
        as_spine += c;
        ++i;
      } else {
        shape = false;
      }
    }
    if (shape)
      for (const auto& name : region_names())
        if (region_key(name) == region_key(as_spine)) return {name, true, true};
  }
  // Fuzzy: only names of letters or longer ones (L1/L2 differ by one character by design), and
  // only when one candidate is nearest ("LAm": L Arm at one edit, R Arm at two).
  const bool letters = std::none_of(
      key.begin(), key.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
  if (key.size() >= 4 || (key.size() == 3 && letters)) {
    const Nearest n = nearest_region(key, false);
    if (n.name && n.best <= 1 && n.second >= 2) return {*n.name, true, true};
  }
  // Names of letters once more, with the letters 90-ppi OCR confuses folded alike ("LSpme" for
  // L Spine: in/m; "Total Dit," for Total Diff.: t/f, a trailing mark): the nearest name must be
  // unique, and exact after folding or one edit from it with no other within two.
  if (key.size() >= 4 && letters) {
    const Nearest n = nearest_region(key, true);
    if (n.name && ((n.best == 0 && n.second >= 1) || (n.best == 1 && n.second >= 2)))
      return {*n.name, true, true};
  }
  return {tidy, false, false};
}

}  // namespace dicometl::dexa
