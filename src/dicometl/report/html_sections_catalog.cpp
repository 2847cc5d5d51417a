// Sections about the catalog itself: what the archive holds.
#include <algorithm>
#include <map>

#include <fmt/core.h>

#include "dicometl/report/html_sections.hpp"
#include "dicometl/report/html_text.hpp"
#include "dicometl/report/svg_charts.hpp"

namespace dicometl::report {

namespace {

constexpr std::size_t kHeatRows = 10, kHeatCols = 14;

std::string fmt_mm(double mm) {
  std::string s = fmt::format("{:.3f}", mm);
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

// Study sizes as chart columns: exact sizes while they are few, else power-like ranges.
std::vector<std::pair<std::string, std::int64_t>> size_buckets(const InstancesPerStudy& ips) {
  std::vector<std::pair<std::string, std::int64_t>> out;
  if (ips.max <= 30) {
    for (std::int64_t n = ips.min; n <= ips.max; ++n) {
      std::int64_t k = 0;
      for (const auto& z : ips.sizes) k += z.instances == n ? z.studies : 0;
      out.emplace_back(std::to_string(n), k);
    }
    return out;
  }
  const std::int64_t edges[] = {1, 2, 6, 11, 26, 51, 101, 251, 501, 1001, 2501, 5001, 10001};
  for (std::size_t e = 0; e < std::size(edges); ++e) {
    const std::int64_t lo = edges[e];
    const std::int64_t hi = e + 1 < std::size(edges) ? edges[e + 1] - 1 : INT64_MAX;
    if (lo > ips.max) break;
    std::int64_t k = 0;
    for (const auto& z : ips.sizes) k += z.instances >= lo && z.instances <= hi ? z.studies : 0;
    out.emplace_back(hi == INT64_MAX ? fmt::format("{}+", lo)
                     : lo == hi      ? std::to_string(lo)
                                     : fmt::format("{}–{}", lo, hi),
                     k);
  }
  return out;
}

Chart one_series(std::string title, std::string x, std::string y, std::string series) {
  Chart c;
  c.title = std::move(title);
  c.x_label = std::move(x);
  c.y_label = std::move(y);
  c.series.push_back({std::move(series), {}});
  return c;
}

}  // namespace

std::string section_instances_per_study(const Figures& f) {
  const auto& ips = f.instances_per_study;
  // Nothing to draw: say so instead of an empty chart, a bare table and "smallest 0".
  if (ips.sizes.empty())
    return card("instances-per-study", "Instances per study", "No study in the catalog.", "", "");
  Chart c = one_series("Instances per study", "Instances in the study", "Studies", "Studies");
  HtmlTable t{{"Instances in the study", "Studies", "Share"}, {false, true, true}, {}, {}};
  std::int64_t studies = 0;
  for (const auto& z : ips.sizes) studies += z.studies;
  for (const auto& [label, k] : size_buckets(ips)) {
    c.categories.push_back(label);
    c.series[0].values.push_back(k);
    t.rows.push_back({label, thousands(k), percent(k, studies)});
  }
  const std::string lead = fmt::format(
      "Mean <b>{:.1f}</b> instances per study; median {}, smallest {}, largest {}.", ips.mean,
      thousands(ips.median), thousands(ips.min), thousands(ips.max));
  return card("instances-per-study", "Instances per study", lead, columns(c), render_table(t, c.title));
}

std::string section_slice_thickness(const Figures& f) {
  const auto& st = f.slice_thickness;
  Chart c = one_series("Slice thickness", "Slice thickness (mm)", "Instances", "Instances");
  HtmlTable t{{"Slice thickness (mm)", "Instances", "Share"}, {false, true, true}, {}, {}};
  std::int64_t with = 0;
  for (const auto& v : st.values) with += v.instances;
  if (st.values.empty())
    return card("slice-thickness", "Slice thickness",
                st.missing ? fmt::format("None of the {} instances carries a SliceThickness.",
                                         thousands(st.missing))
                           : std::string("No instance in the catalog."),
                "", "");
  if (st.values.size() <= 24) {
    for (const auto& v : st.values) {
      c.categories.push_back(fmt_mm(v.mm));
      c.series[0].values.push_back(v.instances);
    }
  } else {  // many distinct values: fixed ranges
    const double edges[] = {0, 0.5, 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10, 15, 20};
    for (std::size_t e = 0; e < std::size(edges); ++e) {
      const double lo = edges[e], hi = e + 1 < std::size(edges) ? edges[e + 1] : 1e300;
      std::int64_t k = 0;
      for (const auto& v : st.values) k += v.mm >= lo && v.mm < hi ? v.instances : 0;
      c.categories.push_back(hi > 1e299 ? fmt::format("≥ {}", fmt_mm(lo))
                                        : fmt::format("{}–<{}", fmt_mm(lo), fmt_mm(hi)));
      c.series[0].values.push_back(k);
    }
  }
  for (std::size_t i = 0; i < c.categories.size(); ++i)
    t.rows.push_back({c.categories[i], thousands(c.series[0].values[i]), percent(c.series[0].values[i], with)});
  t.foot.push_back({"no SliceThickness", thousands(st.missing), ""});
  const std::string lead = fmt::format(
      "{} instances carry a SliceThickness; {} do not (projection images, reports).",
      thousands(with), thousands(st.missing));
  return card("slice-thickness", "Slice thickness", lead, columns(c), render_table(t, c.title));
}

std::string section_sex(const Figures& f) {
  static const std::map<std::string, std::string> names{{"M", "M (male)"}, {"F", "F (female)"},
                                                        {"O", "O (other)"}};
  if (f.totals.patients == 0)
    return card("sex", "Sex distribution", "No patient in the catalog.", "", "");
  Chart c = one_series("Patient sex", "Patients", "PatientSex", "Patients");
  HtmlTable t{{"PatientSex", "Patients", "Share"}, {false, true, true}, {}, {}};
  auto add = [&](const std::string& label, std::int64_t n) {
    c.categories.push_back(label);
    c.series[0].values.push_back(n);
    t.rows.push_back({label, thousands(n), percent(n, f.totals.patients)});
  };
  for (const auto& b : f.sex.rows) add(names.count(b.label) ? names.at(b.label) : b.label, b.count);
  if (f.sex.missing) add("(empty)", f.sex.missing);
  return card("sex", "Sex distribution", "Patients by PatientSex (0010,0040).", horizontal_bars(c),
              render_table(t, c.title));
}

std::string section_age(const Figures& f) {
  const auto& a = f.age;
  Chart c = one_series("Age at study", "Age at the study date (years)", "Studies", "Studies");
  HtmlTable t{{"Age (years)", "Studies", "Share"}, {false, true, true}, {}, {}};
  const std::int64_t known = a.from_patient_age + a.from_dates;
  if (known == 0)
    return card("age", "Age at study",
                a.unknown ? fmt::format("No usable PatientAge or dates in any of the {} studies.",
                                        thousands(a.unknown))
                          : std::string("No study in the catalog."),
                "", "");
  for (const auto& b : a.decades) {
    c.categories.push_back(b.label);
    c.series[0].values.push_back(b.count);
    t.rows.push_back({b.label, thousands(b.count), percent(b.count, known)});
  }
  t.foot.push_back({"unknown", thousands(a.unknown), ""});
  const std::string lead = fmt::format(
      "From PatientAge (e.g. 045Y) for {} studies, from StudyDate − PatientBirthDate for {}; "
      "unknown for {}.", thousands(a.from_patient_age), thousands(a.from_dates), thousands(a.unknown));
  return card("age", "Age at study", lead, columns(c), render_table(t, c.title));
}

std::string section_modalities(const Figures& f) {
  if (f.modalities.empty())
    return card("modalities", "Modalities", "No series in the catalog.", "", "");
  Chart c{"Studies and instances per modality", "Studies", "Modality", {}, {{"Studies", {}}}};
  HtmlTable t{{"Modality", "Studies", "Series", "Instances", "Instance share"},
              {false, true, true, true, true},
              {},
              {}};
  for (const auto& m : f.modalities) {
    c.categories.push_back(or_none(m.modality));
    c.series[0].values.push_back(m.studies);
    t.rows.push_back({or_none(m.modality), thousands(m.studies), thousands(m.series),
                      thousands(m.instances), percent(m.instances, f.totals.instances)});
  }
  return card("modalities", "Modalities",
              "Studies, series and instances by the Modality (0008,0060) of their series; a study "
              "with series of several modalities counts under each.",
              horizontal_bars(c), render_table(t, c.title));
}

std::string section_modality_body_part(const Figures& f) {
  if (f.modality_body_part.empty())
    return card("modality-body-part", "Modality × body part", "No series in the catalog.", "", "",
                true);
  // Rank modalities and body parts by series; the tail of each folds into "other".
  std::map<std::string, std::int64_t> by_mod, by_part;
  for (const auto& m : f.modality_body_part) {
    by_mod[or_none(m.modality)] += m.series;
    by_part[or_none(m.body_part)] += m.series;
  }
  auto top = [](const std::map<std::string, std::int64_t>& m, std::size_t k) {
    std::vector<std::pair<std::string, std::int64_t>> v(m.begin(), m.end());
    std::stable_sort(v.begin(), v.end(), [](auto& a, auto& b) { return a.second > b.second; });
    std::vector<std::string> out;
    for (std::size_t i = 0; i < v.size(); ++i)
      out.push_back(v.size() <= k || i + 1 < k ? v[i].first : std::string("other"));
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  };
  Grid g{"Series by modality and body part", "Modality", "Body part examined",
         top(by_mod, kHeatRows), top(by_part, kHeatCols), {}};
  g.values.assign(g.rows.size(), std::vector<std::int64_t>(g.cols.size(), 0));
  auto index = [](const std::vector<std::string>& v, const std::string& s) {
    auto it = std::find(v.begin(), v.end(), s);
    return static_cast<std::size_t>(it == v.end() ? v.size() - 1 : it - v.begin());
  };
  HtmlTable t{{"Modality", "Body part examined", "Series"}, {false, false, true}, {}, {}};
  for (const auto& m : f.modality_body_part) {
    g.values[index(g.rows, or_none(m.modality))][index(g.cols, or_none(m.body_part))] += m.series;
    t.rows.push_back({or_none(m.modality), or_none(m.body_part), thousands(m.series)});
  }
  return card("modality-body-part", "Modality × body part",
              fmt::format("Series by Modality (0008,0060) and BodyPartExamined (0018,0015); "
                          "{} combinations.", f.modality_body_part.size()),
              g.rows.empty() ? std::string() : heatmap(g), render_table(t, g.title), true);
}

std::string section_studies_per_month(const Figures& f) {
  const auto& months = f.studies_per_month;
  // A time axis without gaps: every month (or year, for long spans) from first to last.
  std::vector<Bucket> axis;
  bool yearly = false;
  if (!months.empty()) {
    const int y0 = std::stoi(months.front().label.substr(0, 4)), m0 = std::stoi(months.front().label.substr(5));
    const int y1 = std::stoi(months.back().label.substr(0, 4)), m1 = std::stoi(months.back().label.substr(5));
    yearly = (y1 - y0) * 12 + (m1 - m0) + 1 > 36;
    // Placeholder dates (00010101, 19000101) would stretch the axis: then only years with data.
    const bool sparse = y1 - y0 > 150;
    if (sparse)
      for (const auto& b : months)
        if (axis.empty() || axis.back().label != b.label.substr(0, 4)) axis.push_back({b.label.substr(0, 4), 0});
    for (int y = y0, m = yearly ? 1 : m0; !sparse && (y < y1 || (y == y1 && (yearly || m <= m1)));) {
      axis.push_back({yearly ? fmt::format("{:04}", y) : fmt::format("{:04}-{:02}", y, m), 0});
      if (yearly || ++m > 12) m = 1, ++y;
    }
    for (const auto& b : months) {
      const std::string key = yearly ? b.label.substr(0, 4) : b.label;
      for (auto& a : axis)
        if (a.label == key) a.count += b.count;
    }
  }
  if (months.empty())
    return card("studies-per-month", "Studies per month",
                f.totals.studies ? fmt::format("None of the {} studies has a valid StudyDate.",
                                               thousands(f.totals.studies))
                                 : std::string("No study in the catalog."),
                "", "", true);
  Chart c = one_series(yearly ? "Studies per year" : "Studies per month",
                       yearly ? "Year of StudyDate" : "Month of StudyDate", "Studies", "Studies");
  c.width = 1100;
  HtmlTable t{{yearly ? "Year" : "Month", "Studies"}, {false, true}, {}, {}};
  for (const auto& a : axis) {
    c.categories.push_back(a.label);
    c.series[0].values.push_back(a.count);
    t.rows.push_back({a.label, thousands(a.count)});
  }
  t.foot.push_back({"no valid StudyDate", thousands(f.studies_without_date)});
  const std::string lead =
      fmt::format("From {} to {}; {} studies have no valid StudyDate.", esc(months.front().label),
                  esc(months.back().label), thousands(f.studies_without_date));
  return card("studies-per-month", c.title, lead, columns(c), render_table(t, c.title), true);
}

std::string section_equipment(const Figures& f) {
  if (f.equipment.empty())
    return card("equipment", "Manufacturers and models", "No series in the catalog.", "", "");
  Chart c = one_series("Manufacturers and models", "Series", "Manufacturer — model", "Series");
  HtmlTable t{{"Manufacturer", "Model", "Series", "Instances"}, {false, false, true, true}, {}, {}};
  for (const auto& e : f.equipment) {
    c.categories.push_back(or_none(e.manufacturer) + " — " + or_none(e.model));
    c.series[0].values.push_back(e.series);
    t.rows.push_back({or_none(e.manufacturer), or_none(e.model), thousands(e.series), thousands(e.instances)});
  }
  if (f.other_equipment.series)
    t.foot.push_back({"other", "", thousands(f.other_equipment.series), thousands(f.other_equipment.instances)});
  return card("equipment", "Manufacturers and models",
              "Series by Manufacturer (0008,0070) and ManufacturerModelName (0008,1090).",
              horizontal_bars(c), render_table(t, c.title));
}

std::string section_transfer_syntaxes(const Figures& f) {
  if (f.transfer_syntaxes.empty())
    return card("transfer-syntaxes", "Transfer syntaxes", "No instance in the catalog.", "", "");
  Chart c = one_series("Transfer syntaxes", "Instances", "Transfer syntax", "Instances");
  HtmlTable t{{"Transfer syntax", "UID", "Instances", "Share"}, {false, false, true, true}, {}, {}};
  for (const auto& s : f.transfer_syntaxes) {
    const std::string name = s.name.empty() ? or_none(s.uid) : s.name;
    c.categories.push_back(name);
    c.series[0].values.push_back(s.instances);
    t.rows.push_back({name, s.uid, thousands(s.instances), percent(s.instances, f.totals.instances)});
  }
  return card("transfer-syntaxes", "Transfer syntaxes",
              "Instances by the transfer syntax of their file (0002,0010).", horizontal_bars(c),
              render_table(t, c.title));
}

}  // namespace dicometl::report
