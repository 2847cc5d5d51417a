// The figures as JSON: the machine-readable twin of the HTML page (same numbers, same limits).
#include <nlohmann/json.hpp>

#include "dicometl/report/report.hpp"

namespace dicometl::report {

namespace {

using Json = nlohmann::ordered_json;

Json buckets(const std::vector<Bucket>& rows, const char* label, const char* count) {
  Json a = Json::array();
  for (const auto& b : rows) a.push_back({{label, b.label}, {count, b.count}});
  return a;
}

Json breakdown(const Breakdown& b, const char* label, const char* count) {
  return {{"rows", buckets(b.rows, label, count)}, {"other", b.other}, {"missing", b.missing}};
}

Json omop_json(const OmopFigures& o) {
  Json cov = Json::array();
  for (const auto& c : o.coverage)
    cov.push_back({{"table", c.table}, {"column", c.column}, {"mapped", c.mapped},
                   {"unmapped", c.unmapped}});
  return {{"table_rows", buckets(o.table_rows, "table", "rows")},
          {"person_rows", o.person_rows ? Json(*o.person_rows) : Json()},
          {"persons_referenced", o.persons_referenced},
          {"event_rows_person_zero", o.events_person_zero},
          {"concept_coverage", cov}};
}

Json dexa_json(const DexaFigures& d) {
  return {{"values", d.values},
          {"flagged", d.flagged},
          {"reports", d.reports ? Json(*d.reports) : Json()},
          {"by_region", breakdown(d.by_region, "region", "values")},
          {"by_measure", breakdown(d.by_measure, "measure", "values")},
          {"by_flag", breakdown(d.by_flag, "flag", "values")}};
}

}  // namespace

std::string to_json(const Figures& f) {
  Json j;
  j["database"] = f.database;
  j["generated_at"] = f.generated_at;
  const auto& t = f.totals;
  j["totals"] = {{"patients", t.patients},
                 {"studies", t.studies},
                 {"series", t.series},
                 {"instances", t.instances},
                 {"bytes", t.bytes},
                 {"rejected_files", t.rejected_files},
                 {"duplicate_files", t.duplicate_files},
                 {"ingest_runs", t.ingest_runs},
                 {"last_run_finished", t.last_run_finished},
                 {"last_run_tool", t.last_run_tool}};
  Json sizes = Json::array();
  for (const auto& z : f.instances_per_study.sizes)
    sizes.push_back({{"instances", z.instances}, {"studies", z.studies}});
  const auto& ips = f.instances_per_study;
  j["instances_per_study"] = {{"mean", ips.mean}, {"median", ips.median}, {"min", ips.min},
                              {"max", ips.max},   {"studies_by_size", sizes}};
  Json st = Json::array();
  for (const auto& v : f.slice_thickness.values)
    st.push_back({{"mm", v.mm}, {"instances", v.instances}});
  j["slice_thickness"] = {{"values", st}, {"missing", f.slice_thickness.missing}};
  j["sex"] = breakdown(f.sex, "sex", "patients");
  j["age_at_study"] = {{"decades", buckets(f.age.decades, "age", "studies")},
                       {"from_patient_age", f.age.from_patient_age},
                       {"from_dates", f.age.from_dates},
                       {"unknown", f.age.unknown}};
  Json mods = Json::array();
  for (const auto& m : f.modalities)
    mods.push_back({{"modality", m.modality},
                    {"studies", m.studies},
                    {"series", m.series},
                    {"instances", m.instances}});
  j["modalities"] = mods;
  Json mb = Json::array();
  for (const auto& c : f.modality_body_part)
    mb.push_back({{"modality", c.modality}, {"body_part", c.body_part}, {"series", c.series}});
  j["modality_body_part"] = mb;
  j["studies_per_month"] = {{"months", buckets(f.studies_per_month, "month", "studies")},
                            {"without_date", f.studies_without_date}};
  Json eq = Json::array();
  for (const auto& e : f.equipment)
    eq.push_back({{"manufacturer", e.manufacturer}, {"model", e.model}, {"series", e.series},
                  {"instances", e.instances}});
  j["equipment"] = {{"rows", eq},
                    {"other", {{"series", f.other_equipment.series},
                               {"instances", f.other_equipment.instances}}}};
  Json ts = Json::array();
  for (const auto& s : f.transfer_syntaxes)
    ts.push_back({{"uid", s.uid}, {"name", s.name}, {"instances", s.instances}});
  j["transfer_syntaxes"] = ts;
  Json reasons = Json::array();
  for (const auto& r : f.errors.by_reason) {
    Json one = {{"kind", r.kind}, {"reason", r.reason}, {"count", r.count}};
    if (f.errors.paths_shown) one["examples"] = r.examples;
    reasons.push_back(std::move(one));
  }
  j["ingest_errors"] = {{"total", f.errors.total},
                        {"paths_shown", f.errors.paths_shown},
                        {"by_kind", buckets(f.errors.by_kind, "kind", "count")},
                        {"by_reason", reasons},
                        {"other_reasons", f.errors.other_reasons}};
  if (f.conflicts) {
    Json attrs = Json::array();
    for (const auto& a : f.conflicts->by_attribute)
      attrs.push_back({{"kind", a.kind}, {"attribute", a.attribute}, {"files", a.files},
                       {"keys", a.keys}, {"examples", a.examples}});
    j["conflicts"] = {{"total", f.conflicts->total}, {"by_attribute", attrs}};
  } else {
    j["conflicts"] = Json();
  }
  j["omop"] = f.omop ? omop_json(*f.omop) : Json();
  j["dexa"] = f.dexa ? dexa_json(*f.dexa) : Json();
  // DICOM text can hold invalid UTF-8 when a file lies about its character set.
  return j.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace dicometl::report
