// OMOP and DXA figures: shown only when their tables exist, and only columns that exist are
// queried, so a site's CDM built by other tools (or an older dicometl) still gets a report.
#include <fmt/core.h>

#include "dicometl/report/figures_internal.hpp"
#include "dicometl/report/sql_helpers.hpp"

namespace dicometl::report {

namespace {

using storage::Database;
using storage::Statement;

// CDM v5.4, MI-CDM and R-CDM tables a dicometl load writes or relies on.
constexpr const char* kOmopTables[] = {
    "person", "visit_occurrence", "procedure_occurrence", "image_occurrence", "image_feature",
    "measurement", "device_exposure", "radiology_occurrence", "radiology_image",
    "dicom_file_metadata"};

struct ConceptColumn {
  const char* table;
  const char* column;
};
constexpr ConceptColumn kConceptColumns[] = {
    {"person", "gender_concept_id"},
    {"procedure_occurrence", "procedure_concept_id"},
    {"image_occurrence", "modality_concept_id"},
    {"image_occurrence", "anatomic_site_concept_id"},
    {"measurement", "measurement_concept_id"},
    {"measurement", "unit_concept_id"},
    {"image_feature", "image_feature_concept_id"}};

constexpr const char* kEventTables[] = {"procedure_occurrence", "image_occurrence",
                                        "measurement"};

Breakdown breakdown(Database& db, const std::string& table, const std::string& column,
                    std::size_t max_rows) {
  Breakdown r;
  const std::string v = fmt::format("coalesce(CAST({} AS TEXT), '')", column);
  query_rows(db, fmt::format("SELECT {0}, count(*) FROM {1} GROUP BY {0} ORDER BY 2 DESC, 1", v, table),
             [&](const Statement& s) {
               std::string label = s.column_text(0);
               if (label.empty())
                 r.missing += s.column_int(1);
               else if (r.rows.size() < max_rows)
                 r.rows.push_back({std::move(label), s.column_int(1)});
               else
                 r.other += s.column_int(1);
             });
  return r;
}

const char* first_column(Database& db, const char* table,
                         std::initializer_list<const char*> names) {
  for (const char* n : names)
    if (has_column(db, table, n)) return n;
  return nullptr;
}

}  // namespace

std::optional<OmopFigures> collect_omop(Database& db) {
  bool any = false;
  for (const char* t : kEventTables) any = any || db.has_relation(t);
  if (!any) return std::nullopt;
  OmopFigures o;
  for (const char* t : kOmopTables) {
    if (!db.has_relation(t)) continue;
    const auto n = query_int(db, fmt::format("SELECT count(*) FROM {}", t));
    o.table_rows.push_back({t, n});
    if (std::string(t) == "person") o.person_rows = n;
  }
  // Distinct persons over all event tables: a UNION keeps it one aggregate in the database.
  std::string persons, zero;
  for (const char* t : kEventTables) {
    if (!db.has_relation(t) || !has_column(db, t, "person_id")) continue;
    persons += fmt::format("{}SELECT person_id FROM {} WHERE person_id <> 0",
                           persons.empty() ? "" : " UNION ", t);
    zero += fmt::format("{}(SELECT count(*) FROM {} WHERE person_id = 0)", zero.empty() ? "" : " + ", t);
  }
  if (!persons.empty()) {
    o.persons_referenced = query_int(db, fmt::format("SELECT count(*) FROM ({}) p", persons));
    o.events_person_zero = query_int(db, "SELECT " + zero);
  }
  for (const auto& c : kConceptColumns) {
    if (!db.has_relation(c.table) || !has_column(db, c.table, c.column)) continue;
    ConceptCoverage cov{c.table, c.column, 0, 0};
    query_rows(db,
               fmt::format("SELECT count(*), CAST(coalesce(sum(CASE WHEN {0} IS NULL OR {0} = 0 "
                           "THEN 1 ELSE 0 END), 0) AS BIGINT) FROM {1}", c.column, c.table),
               [&](const Statement& s) {
                 cov.unmapped = s.column_int(1);
                 cov.mapped = s.column_int(0) - cov.unmapped;
               });
    o.coverage.push_back(cov);
  }
  return o;
}

std::optional<DexaFigures> collect_dexa(Database& db) {
  const std::string t = "dexa_value";
  if (!db.has_relation(t)) return std::nullopt;
  DexaFigures d;
  d.values = query_int(db, "SELECT count(*) FROM dexa_value");
  if (const char* c = first_column(db, "dexa_value", {"region"})) d.by_region = breakdown(db, t, c, 20);
  if (const char* c = first_column(db, "dexa_value", {"measure", "quantity", "kind", "name"}))
    d.by_measure = breakdown(db, t, c, 20);
  if (const char* c = first_column(db, "dexa_value", {"qc_flag", "flag", "flags", "qc_status"})) {
    // A value is flagged when its flag column says anything but empty/'ok'.
    d.by_flag = breakdown(db, t, c, 20);
    for (const auto& b : d.by_flag.rows)
      if (b.label != "ok" && b.label != "OK" && b.label != "0") d.flagged += b.count;
    d.flagged += d.by_flag.other;
  }
  if (const char* c = first_column(db, "dexa_value", {"sop_instance_uid", "source_path", "report_id"}))
    d.reports = query_int(db, fmt::format("SELECT count(DISTINCT {}) FROM dexa_value", c));
  return d;
}

}  // namespace dicometl::report
