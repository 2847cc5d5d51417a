#include "dicometl/dexa/csv_output.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <map>

#include "dicometl/dexa/layouts.hpp"

namespace dicometl::dexa {

namespace {

bool plain_number(const std::string& s) {
  std::size_t i = s[0] == '-' ? 1 : 0, digits = 0, points = 0;
  for (; i < s.size(); ++i) {
    if (s[i] == '.')
      ++points;
    else if (s[i] >= '0' && s[i] <= '9')
      ++digits;
    else
      return false;
  }
  return digits > 0 && points <= 1;
}

// RFC 4180 quoting, and OWASP's defence against formula injection: PatientID, paths and OCR text
// come from the archive, and a spreadsheet evaluates a cell starting with = + @ - tab or CR. Such
// a cell gets a leading single quote (shown as text) and is quoted. A number in a numeric column
// ("-1.2") stays a number.
std::string cell(const std::string& s, bool numeric) {
  const bool formula =
      !s.empty() && (s[0] == '=' || s[0] == '+' || s[0] == '@' || s[0] == '\t' || s[0] == '\r' ||
                     (s[0] == '-' && !(numeric && plain_number(s))));
  if (!formula && s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = formula ? "\"'" : "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

// `numeric_from`: the first of the trailing numeric columns (wide CSV); `numeric`: single ones.
void row(std::ostream& out, const std::vector<std::string>& fields,
         std::initializer_list<std::size_t> numeric = {}, std::size_t numeric_from = SIZE_MAX) {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const bool num =
        i >= numeric_from || std::find(numeric.begin(), numeric.end(), i) != numeric.end();
    out << (i ? "," : "") << cell(fields[i], num);
  }
  out << "\n";
}

std::string column_key(const std::string& site, const std::string& region,
                       const std::string& metric) {
  std::string r = region;
  std::replace(r.begin(), r.end(), ' ', '_');
  return site + "_" + r + "_" + metric;
}

// Sort position of a column: site, then region in vocabulary order, then metric order.
std::tuple<std::string, std::size_t, std::string, std::size_t> column_order(const Page& p,
                                                                            const Value& v) {
  const auto& names = region_names();
  const auto rit = std::find(names.begin(), names.end(), v.region);
  std::size_t m = 0;
  for (; m < metrics().size() && metrics()[m].name != v.metric; ++m) {
  }
  return {p.site, static_cast<std::size_t>(rit - names.begin()), v.region, m};
}

}  // namespace

void write_long_csv(std::ostream& out, const std::vector<Page>& pages) {
  row(out, {"patient_id", "exam_date", "site", "region", "metric", "value", "unit", "qc_status",
            "qc_reason", "ocr_confidence", "layout", "duplicate", "source_file", "sop_instance_uid",
            "page_scan_date"});
  for (const auto& p : pages)
    for (const auto& v : p.values)
      row(out,
          {p.patient_id, p.exam_date, p.site, v.region, v.metric, v.text, v.unit, v.qc_status,
           v.qc_reason, fmt::format("{:.0f}", v.conf), p.layout, p.duplicate, p.source_path,
           p.sop_instance_uid, p.page_scan_date},
          {5, 9});  // value, ocr_confidence
}

void write_wide_csv(std::ostream& out, const std::vector<Page>& pages) {
  using Order = std::tuple<std::string, std::size_t, std::string, std::size_t>;
  std::map<Order, std::string> columns;  // order → column name
  struct Exam {
    std::vector<std::string> files, duplicates, flagged;
    std::map<std::string, std::string> cells;
  };
  std::map<std::pair<std::string, std::string>, Exam> exams;
  std::vector<std::pair<std::string, std::string>> order;
  for (const auto& p : pages) {
    auto key = std::make_pair(p.patient_id, p.exam_date);
    if (!exams.count(key)) order.push_back(key);
    Exam& e = exams[key];
    e.files.push_back(p.source_path);
    if (!p.duplicate.empty()) e.duplicates.push_back(p.site + " " + p.duplicate);
    for (const auto& v : p.values) {
      const std::string col = column_key(p.site, v.region, v.metric);
      columns.emplace(column_order(p, v), col);
      e.cells[col] = v.text;
      if (!v.ok()) e.flagged.push_back(col);
    }
  }
  auto join = [](const std::vector<std::string>& xs) {
    std::string s;
    for (const auto& x : xs) s += (s.empty() ? "" : ";") + x;
    return s;
  };
  std::vector<std::string> header = {"patient_id", "exam_date", "pages", "flagged", "duplicate"};
  for (const auto& [o, name] : columns) header.push_back(name);
  row(out, header);
  for (const auto& key : order) {
    const Exam& e = exams[key];
    std::vector<std::string> fields = {key.first, key.second, join(e.files), join(e.flagged),
                                       join(e.duplicates)};
    for (const auto& [o, name] : columns) {
      auto it = e.cells.find(name);
      fields.push_back(it == e.cells.end() ? "" : it->second);
    }
    row(out, fields, {}, 5);  // the value columns
  }
}

void write_rejects_csv(std::ostream& out, const std::vector<Rejected>& rejected) {
  row(out, {"path", "reason"});
  for (const auto& r : rejected) row(out, {r.path, r.reason});
}

}  // namespace dicometl::dexa
