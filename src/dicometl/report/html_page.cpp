// The page around the sections: one self-contained file. A Content-Security-Policy forbids
// every fetch and every script, so even text that slipped past escaping could not call out.
#include <fmt/core.h>

#include "dicometl/report/html_sections.hpp"
#include "dicometl/report/html_text.hpp"
#include "dicometl/report/report.hpp"

namespace dicometl::report {

namespace {

constexpr const char* kCss = R"css(
:root { --ink: #1d2430; --muted: #5b6575; --line: #dfe3ea; --bg: #f4f6f9; --card: #fff;
  --s0: #2f66b3; --s1: #e0892f; --heat: #1f5aa6; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", Roboto, Arial, sans-serif; }
header { background: #1f2d44; color: #fff; padding: 18px 28px 16px; }
header h1 { margin: 0 0 4px; font-size: 22px; font-weight: 600; }
header p { margin: 0; color: #c9d3e3; font-size: 13px; }
main { max-width: 1400px; margin: 0 auto; padding: 18px 24px 32px; }
.tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px;
  margin: 0 0 18px; }
.tile { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; }
.tile dt { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.tile dd { margin: 2px 0 0; font-size: 24px; font-weight: 600; font-variant-numeric: tabular-nums; }
.tile dd small { display: block; font-size: 12px; font-weight: 400; color: var(--muted); }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(540px, 1fr)); gap: 18px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px;
  padding: 14px 18px 16px; min-width: 0; }
.card.wide { grid-column: 1 / -1; }
.card h2 { margin: 0 0 2px; font-size: 17px; }
.lead { margin: 0 0 8px; color: var(--muted); }
h3.part { font-size: 16px; margin: 22px 0 10px; color: var(--muted); font-weight: 600;
  grid-column: 1 / -1; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
figure { margin: 0; }
.card.wide .table-wrap { max-width: 1200px; }
.parts { display: grid; grid-template-columns: repeat(auto-fit, minmax(360px, 1fr)); gap: 8px 24px; }
.parts h3 { font-size: 14px; margin: 8px 0 4px; }
footer code { white-space: nowrap; }
svg.chart { display: block; width: 100%; max-width: 760px; height: auto; }
.card.wide svg.chart { max-width: 1200px; }
svg.chart text { font-size: 12px; fill: var(--ink); }
svg.chart .tick { fill: var(--muted); font-size: 11px; }
svg.chart .value { font-size: 11px; fill: var(--ink); font-variant-numeric: tabular-nums; }
svg.chart .axis-label { font-size: 12px; font-weight: 600; fill: var(--muted); }
svg.chart .grid { stroke: #eceff3; stroke-width: 1; }
svg.chart .axis { stroke: #8a93a3; stroke-width: 1; }
svg.chart .s0 { fill: var(--s0); } svg.chart .s1 { fill: var(--s1); }
svg.chart .heat { fill: var(--heat); } svg.chart .heat-empty { fill: #f1f3f6; }
svg.chart .cell { font-size: 11px; } svg.chart .cell.light { fill: #fff; }
.table-wrap { max-height: 260px; overflow: auto; margin-top: 10px; border-top: 1px solid var(--line); }
table { border-collapse: collapse; width: 100%; font-size: 13px; font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: 3px 8px; border-bottom: 1px solid #eef0f4; vertical-align: top; }
thead th { position: sticky; top: 0; background: #f8f9fb; color: var(--muted); font-weight: 600; }
tbody th { font-weight: 400; }
tfoot th, tfoot td { color: var(--muted); font-style: italic; }
.num { text-align: right; }
code { font-size: 12px; overflow-wrap: anywhere; }
footer { color: var(--muted); font-size: 12px; max-width: 1400px; margin: 0 auto; padding: 0 24px 24px; }
:focus-visible { outline: 2px solid var(--s0); outline-offset: 2px; }
@media print {
  body { background: #fff; font-size: 11px; }
  header { background: none; color: #000; padding: 0 0 8px; border-bottom: 2px solid #000; }
  header p { color: #333; }
  main { max-width: none; padding: 8px 0; }
  .cards { display: block; }
  .card { border: none; border-top: 1px solid #999; border-radius: 0; padding: 10px 0;
    break-inside: avoid; page-break-inside: avoid; }
  .tile { border-color: #999; }
  .table-wrap { max-height: none; overflow: visible; }
  thead th { position: static; }
  svg.chart, .card.wide svg.chart { max-width: 17cm; }
  .parts { display: block; }
  a { color: inherit; text-decoration: none; }
}
@page { margin: 15mm; }
)css";

std::string tile(const std::string& label, const std::string& value, const std::string& note = "") {
  return fmt::format("<div class=\"tile\"><dt>{}</dt><dd>{}{}</dd></div>", esc(label), esc(value),
                     note.empty() ? std::string() : "<small>" + esc(note) + "</small>");
}

std::string tiles(const Totals& t) {
  std::string out = "<dl class=\"tiles\" aria-label=\"Totals\">";
  out += tile("Patients", thousands(t.patients));
  out += tile("Studies", thousands(t.studies));
  out += tile("Series", thousands(t.series));
  out += tile("Instances", thousands(t.instances));
  out += tile("Size", human_bytes(t.bytes), thousands(t.bytes) + " bytes");
  out += tile("Rejected files", thousands(t.rejected_files));
  out += tile("Duplicate files", thousands(t.duplicate_files), "same SOP Instance UID");
  return out + "</dl>\n";
}

}  // namespace

std::string to_html(const Figures& f) {
  std::string out;
  out.reserve(256 * 1024);
  out += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
         "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
         "style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
         "<meta name=\"referrer\" content=\"no-referrer\">\n"
         "<title>DICOM archive report</title>\n<style>";
  out += kCss;
  out += "</style></head>\n<body>\n<header><h1>DICOM archive report</h1><p>";
  out += fmt::format("Catalog <b>{}</b> · generated {}", esc(f.database), esc(f.generated_at));
  if (f.totals.ingest_runs)
    out += fmt::format(" · {} ingest run{}, last finished {} ({})", thousands(f.totals.ingest_runs),
                       f.totals.ingest_runs == 1 ? "" : "s",
                       esc(f.totals.last_run_finished.empty() ? "—" : f.totals.last_run_finished),
                       esc(f.totals.last_run_tool));
  out += "</p></header>\n<main>\n";
  out += tiles(f.totals);
  out += "<div class=\"cards\">\n<h3 class=\"part\">Archive content</h3>\n";
  out += section_instances_per_study(f);
  out += section_slice_thickness(f);
  out += section_sex(f);
  out += section_age(f);
  out += section_modalities(f);
  out += section_modality_body_part(f);
  out += section_studies_per_month(f);
  out += section_equipment(f);
  out += section_transfer_syntaxes(f);
  out += "<h3 class=\"part\">ETL quality</h3>\n";
  out += section_errors(f);
  if (f.conflicts) out += section_conflicts(*f.conflicts);
  if (f.omop) out += section_omop(*f.omop, f.totals);
  if (f.dexa) out += section_dexa(*f.dexa);
  out +=
      "</div>\n</main>\n<footer>Made by dicometl report from SQL aggregates over the catalog. "
      "Counts only: no patient names, IDs, dates of birth or accession numbers are shown";
  out +=
      f.errors.paths_shown ? "; error examples are file paths (--show-paths)" : ", nor file paths";
  out +=
      ". The same figures: <code>dicometl report --format json</code>.</footer>\n</body></html>\n";
  return out;
}

}  // namespace dicometl::report
