// Sections about the ETL's quality: rejected files, OMOP coverage, DXA values.
#include <fmt/core.h>

#include "dicometl/report/html_sections.hpp"
#include "dicometl/report/html_text.hpp"
#include "dicometl/report/svg_charts.hpp"

namespace dicometl::report {

std::string card(const std::string& id, const std::string& title, const std::string& lead_html,
                 const std::string& svg, const std::string& table, bool wide) {
  return fmt::format(
      "<section class=\"card{}\" id=\"{}\" aria-labelledby=\"{}-h\"><h2 id=\"{}-h\">{}</h2>"
      "<p class=\"lead\">{}</p>{}{}</section>\n",
      wide ? " wide" : "", id, id, id, esc(title), lead_html,
      svg.empty() ? std::string() : "<figure>" + svg + "</figure>", table);
}

std::string section_errors(const Figures& f) {
  const auto& e = f.errors;
  if (e.total == 0)
    return card("ingest-errors", "Ingest errors", "No file was rejected by ingest.", "", "", true);
  // A full-width card: a wider drawing keeps its text at the size of the other charts.
  Chart c{"Rejected files by kind", "Files", "Kind", {}, {{"Files", {}}}, 1100};
  for (const auto& b : e.by_kind) {
    c.categories.push_back(or_none(b.label));
    c.series[0].values.push_back(b.count);
  }
  // Paths often carry patient names (PACS exports): an Examples column only when asked for.
  HtmlTable t{{"Kind", "Reason", "Files"}, {false, false, true}, {}, {}, true};
  if (e.paths_shown) {
    t.head.push_back("Examples");
    t.numeric.push_back(false);
  }
  for (const auto& r : e.by_reason) {
    t.rows.push_back({esc(r.kind), esc(r.reason), thousands(r.count)});
    if (!e.paths_shown) continue;
    std::string ex;
    for (const auto& p : r.examples) ex += "<code>" + esc(p) + "</code><br>";
    t.rows.back().push_back(ex);
  }
  if (e.other_reasons) {
    t.foot.push_back({"other reasons", "", thousands(e.other_reasons)});
    if (e.paths_shown) t.foot.back().push_back("");
  }
  const std::string lead = fmt::format(
      "{} files did not become instances ({} of the files ingest met). {}", thousands(e.total),
      percent(e.total, e.total + f.totals.instances + f.totals.duplicate_files),
      e.paths_shown ? "Examples show paths only."
                    : "Example paths: <code>dicometl report --show-paths</code>.");
  return card("ingest-errors", "Ingest errors", lead, horizontal_bars(c),
              render_table(t, "Rejected files by reason"), true);
}

std::string section_conflicts(const Conflicts& c) {
  if (c.total == 0)
    return card("conflicts", "Conflicts",
                "No file contradicts the catalog: every PatientID, study and SOP Instance UID "
                "was seen with one set of values.",
                "", "");
  // The differing values themselves (names, PatientIDs) stay in the conflict table.
  auto kind_text = [](const std::string& k) {
    if (k == "patient_attributes") return std::string("same PatientID, other patient attributes");
    if (k == "study_patient") return std::string("study split over patients");
    if (k == "instance_attributes") return std::string("same SOP Instance UID, other key attributes");
    return k;
  };
  // A full-width card, drawn as wide as the errors chart so its text keeps the page's size.
  Chart chart{"Files contradicting the catalog", "Files", "Attribute", {}, {{"Files", {}}}, 1100};
  HtmlTable t{{"Kind", "Attribute", "Files", "Keys", "Example UIDs"},
              {false, false, true, true, false}, {}, {}, true};
  for (const auto& a : c.by_attribute) {
    chart.categories.push_back(a.attribute);
    chart.series[0].values.push_back(a.files);
    std::string ex;
    for (const auto& e : a.examples) ex += "<code>" + esc(e) + "</code><br>";
    t.rows.push_back({esc(kind_text(a.kind)), esc(a.attribute), thousands(a.files),
                      thousands(a.keys), ex});
  }
  const std::string lead = fmt::format(
      "{} files hold values that differ from those first catalogued (which stay in the main "
      "tables). Examples are study or SOP Instance UIDs (for patients: a differing file's SOP "
      "Instance UID); values and paths: <code>SELECT * FROM conflict</code>.",
      thousands(c.total));
  return card("conflicts", "Conflicts", lead, horizontal_bars(chart),
              render_table(t, "Conflicts by attribute"), true);
}

std::string section_omop(const OmopFigures& o, const Totals& totals) {
  std::string out;
  Chart rows{"OMOP rows per table", "Rows", "Table", {}, {{"Rows", {}}}};
  HtmlTable rt{{"Table", "Rows"}, {false, true}, {}, {}};
  for (const auto& b : o.table_rows) {
    rows.categories.push_back(b.label);
    rows.series[0].values.push_back(b.count);
    rt.rows.push_back({b.label, thousands(b.count)});
  }
  std::string lead = fmt::format(
      "<b>{}</b> distinct persons referenced by imaging events (catalog: {} patients)",
      thousands(o.persons_referenced), thousands(totals.patients));
  if (o.person_rows) lead += fmt::format("; {} rows in person", thousands(*o.person_rows));
  lead += fmt::format("; {} event rows with person_id 0 (patient not matched). ",
                      thousands(o.events_person_zero));
  lead += fmt::format("Catalog: {} studies, {} series.", thousands(totals.studies),
                      thousands(totals.series));
  out += card("omop-rows", "OMOP: rows per table", lead, horizontal_bars(rows),
              render_table(rt, rows.title));

  Chart cov{"OMOP concept coverage", "Rows", "Concept column", {}, {{"Mapped", {}}, {"0 / NULL", {}}}};
  HtmlTable ct{{"Table.column", "Mapped", "0 or NULL", "Mapped share"}, {false, true, true, true}, {}, {}};
  for (const auto& c : o.coverage) {
    const std::string name = c.table + "." + c.column;
    cov.categories.push_back(name);
    cov.series[0].values.push_back(c.mapped);
    cov.series[1].values.push_back(c.unmapped);
    ct.rows.push_back({name, thousands(c.mapped), thousands(c.unmapped), percent(c.mapped, c.mapped + c.unmapped)});
  }
  out += card("omop-coverage", "OMOP: concepts mapped",
              "Rows whose concept column holds a concept, against 0 (no matching concept) or NULL.",
              horizontal_bars(cov), render_table(ct, cov.title));
  return out;
}

std::string section_dexa(const DexaFigures& d) {
  std::string lead = fmt::format("<b>{}</b> values extracted from DXA reports, <b>{}</b> flagged by QC",
                                 thousands(d.values), thousands(d.flagged));
  if (d.reports) lead += fmt::format(", from {} report images", thousands(*d.reports));
  lead += ".";
  auto part = [](const Breakdown& b, const std::string& title, const std::string& axis) {
    Chart c{title, "Values", axis, {}, {{"Values", {}}}, 400};  // three side by side
    HtmlTable t{{axis, "Values"}, {false, true}, {}, {}};
    for (const auto& r : b.rows) {
      c.categories.push_back(r.label);
      c.series[0].values.push_back(r.count);
      t.rows.push_back({r.label, thousands(r.count)});
    }
    if (b.other) t.foot.push_back({"other", thousands(b.other)});
    if (b.missing) t.foot.push_back({"(empty)", thousands(b.missing)});
    return c.categories.empty() ? std::string()
                                : "<div><h3>" + esc(title) + "</h3>" + horizontal_bars(c) +
                                      render_table(t, title) + "</div>";
  };
  const std::string body = "<div class=\"parts\">" +
                           part(d.by_region, "Values by region", "Region") +
                           part(d.by_measure, "Values by measure", "Measure") +
                           part(d.by_flag, "Values by QC flag", "Flag") + "</div>";
  return card("dexa", "DXA values", lead, "", body, true);
}

}  // namespace dicometl::report
