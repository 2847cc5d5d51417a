#include "dicometl/dexa/header_results.hpp"

#include <map>
#include <regex>
#include <utility>

#include "dicometl/dexa/qc.hpp"
#include "dicometl/dexa/result_labels.hpp"
#include "dicometl/dexa/scan_date.hpp"

namespace dicometl::dexa {

namespace {

constexpr const char* kMarker = "ResultsTable";

// "BMD[g/cm<sup><small>2</small></sup>]" → "BMD[g/cm2]": labels carry HTML markup.
std::string strip_markup(const std::string& s) {
  std::string out;
  bool in_tag = false;
  for (char c : s) {
    if (c == '<')
      in_tag = true;
    else if (c == '>')
      in_tag = false;
    else if (!in_tag)
      out += c;
  }
  return out;
}

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

// The text of an element that may hold the script: any text value, or a binary one (private
// elements are often OB or UN).
std::string element_text(const Element& e) {
  return e.binary.empty() ? e.joined() : std::string(e.binary);
}

const std::string* find_script(const Dataset& ds, std::string& holder) {
  for (const auto& e : ds.elements) {
    for (const auto& item : e.items)
      if (find_script(item, holder)) return &holder;
    std::string t = element_text(e);
    if (t.find(kMarker) != std::string::npos) {
      holder = std::move(t);
      return &holder;
    }
  }
  return nullptr;
}

}  // namespace

std::optional<Page> page_from_results_script(const std::string& script) {
  static const std::regex cell(
      R"re(ResultsTable\s*\[\s*(\d+)\s*\]\s*\[\s*(\d+)\s*\]\s*=\s*"([^"\r\n]*)")re");
  static const std::regex scan(R"re((?:^|[\r\n;])\s*Scan\s*=\s*"([^"\r\n]*)")re");
  std::map<std::pair<int, int>, std::string> grid;
  for (auto it = std::sregex_iterator(script.begin(), script.end(), cell);
       it != std::sregex_iterator(); ++it) {
    const auto& m = *it;
    if (m.str(1).size() > 3 || m.str(2).size() > 3) continue;  // no real table is that large
    grid[{std::stoi(m.str(1)), std::stoi(m.str(2))}] = m.str(3);
  }
  std::map<int, std::string> metric_of_column;
  for (const auto& [rc, text] : grid)
    if (rc.first == 0 && rc.second > 0)
      if (auto metric = metric_of_label(strip_markup(text)); !metric.empty())
        metric_of_column[rc.second] = metric;
  // A results table names BMD (as the OCR path's content confirmation); a body-composition
  // table (Fat, Lean, %Fat) is not one.
  bool has_bmd = false;
  for (const auto& [c, m] : metric_of_column) has_bmd = has_bmd || m == "bmd";
  if (!has_bmd) return std::nullopt;
  Page page;
  page.layout = "hologic-header";
  for (const auto& [rc, name] : grid) {
    const auto [r, c] = rc;
    if (r == 0 || c != 0) continue;
    const std::string raw = trim(strip_markup(name));
    const std::string region = region_of_label(raw);
    for (const auto& [col, metric] : metric_of_column) {
      auto it = grid.find({r, col});
      if (it == grid.end() || trim(it->second).empty()) continue;  // a blank cell is no error
      Value v = value_from_text(region.empty() ? raw : region, metric, trim(it->second));
      if (region.empty()) v.flag("unknown region");
      page.values.push_back(std::move(v));
    }
  }
  if (page.values.empty()) return std::nullopt;
  check_page(page.values);
  std::smatch m;
  if (std::regex_search(script, m, scan)) page.page_scan_date = first_date_in(m.str(1));
  return page;
}

std::optional<Page> page_from_header(const Instance& inst) {
  std::string holder;
  const std::string* script = find_script(inst.dataset, holder);
  return script ? page_from_results_script(*script) : std::nullopt;
}

}  // namespace dicometl::dexa
