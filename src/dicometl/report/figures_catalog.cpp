// The catalog figures. Every number is an SQL aggregate; C++ only sees grouped rows (a few per
// distinct value), so the cost in memory does not grow with the number of instances.
#include <algorithm>
#include <array>

#include <fmt/core.h>

#include "dicometl/model/utc_time.hpp"
#include "dicometl/report/figures_internal.hpp"
#include "dicometl/report/report.hpp"
#include "dicometl/report/sql_helpers.hpp"

namespace dicometl::report {

namespace {

using storage::Database;
using storage::Statement;

constexpr std::size_t kMaxEquipment = 25;
constexpr std::size_t kMaxReasons = 15;
constexpr int kExamplesPerReason = 3;

Totals collect_totals(Database& db) {
  Totals t;
  t.patients = query_int(db, "SELECT count(*) FROM patient");
  t.studies = query_int(db, "SELECT count(*) FROM study");
  t.series = query_int(db, "SELECT count(*) FROM series");
  query_rows(db, "SELECT count(*), CAST(coalesce(sum(file_size), 0) AS BIGINT) FROM instance",
             [&](const Statement& s) {
               t.instances = s.column_int(0);
               t.bytes = s.column_int(1);
             });
  if (db.has_relation("ingest_error")) t.rejected_files = query_int(db, "SELECT count(*) FROM ingest_error");
  if (db.has_relation("file"))
    t.duplicate_files = query_int(db, "SELECT count(*) FROM file WHERE status = 'duplicate'");
  if (db.has_relation("ingest_run")) {
    t.ingest_runs = query_int(db, "SELECT count(*) FROM ingest_run");
    query_rows(db,
               "SELECT finished_at, tool_version FROM ingest_run ORDER BY run_id DESC LIMIT 1",
               [&](const Statement& s) {
                 t.last_run_finished = text_or_empty(s, 0);
                 t.last_run_tool = text_or_empty(s, 1);
               });
  }
  return t;
}

InstancesPerStudy collect_instances_per_study(Database& db) {
  InstancesPerStudy r;
  query_rows(db,
             // Count per series first: that walks the instance_series index in order, with
             // no sort of the instance table; only series rows are then grouped by study.
             "SELECT n, count(*) FROM (SELECT se.study_instance_uid AS s, sum(c.k) AS n "
             "FROM (SELECT series_instance_uid, count(*) AS k FROM instance "
             "GROUP BY series_instance_uid) c JOIN series se "
             "ON se.series_instance_uid = c.series_instance_uid "
             "GROUP BY se.study_instance_uid) t GROUP BY n ORDER BY n",
             [&](const Statement& s) { r.sizes.push_back({s.column_int(0), s.column_int(1)}); });
  std::int64_t studies = 0, instances = 0;
  for (const auto& z : r.sizes) {
    studies += z.studies;
    instances += z.instances * z.studies;
  }
  if (studies == 0) return r;
  r.mean = static_cast<double>(instances) / static_cast<double>(studies);
  r.min = r.sizes.front().instances;
  r.max = r.sizes.back().instances;
  // Lower median: the size of the study at position (studies-1)/2 in ascending order.
  std::int64_t seen = 0;
  for (const auto& z : r.sizes) {
    seen += z.studies;
    if (seen > (studies - 1) / 2) {
      r.median = z.instances;
      break;
    }
  }
  return r;
}

SliceThickness collect_slice_thickness(Database& db) {
  SliceThickness r;
  const std::string t = sql_round(db.dialect(), "slice_thickness", 3);
  query_rows(db,
             fmt::format("SELECT {0}, count(*) FROM instance WHERE slice_thickness IS NOT NULL "
                         "GROUP BY {0} ORDER BY {0}", t),
             [&](const Statement& s) { r.values.push_back({s.column_double(0), s.column_int(1)}); });
  r.missing = query_int(db, "SELECT count(*) FROM instance WHERE slice_thickness IS NULL");
  return r;
}

AgeAtStudy collect_age(Database& db) {
  const auto d = db.dialect();
  const std::string age_ok = sql_is_age_string(d, "st.patient_age");
  const std::string dates_ok =
      fmt::format("{} AND {} AND st.study_date >= p.patient_birth_date",
                  sql_is_digits(d, "st.study_date", 8), sql_is_digits(d, "p.patient_birth_date", 8));
  const std::string n = "CAST(substr(st.patient_age, 1, 3) AS INTEGER)";
  const std::string year = "CAST(substr({}, 1, 4) AS INTEGER)";
  const std::string sql = fmt::format(
      "SELECT age, src, count(*) FROM (SELECT "
      "CASE WHEN {age_ok} THEN CASE substr(st.patient_age, 4, 1) WHEN 'Y' THEN {n} "
      "WHEN 'M' THEN {n} / 12 WHEN 'W' THEN {n} / 52 ELSE {n} / 365 END "
      "WHEN {dates_ok} THEN {sy} - {by} - CASE WHEN substr(st.study_date, 5, 4) < "
      "substr(p.patient_birth_date, 5, 4) THEN 1 ELSE 0 END END AS age, "
      "CASE WHEN {age_ok} THEN 1 WHEN {dates_ok} THEN 2 ELSE 0 END AS src "
      "FROM study st LEFT JOIN patient p ON p.patient_id = st.patient_id) t "
      "GROUP BY age, src",
      fmt::arg("age_ok", age_ok), fmt::arg("dates_ok", dates_ok), fmt::arg("n", n),
      fmt::arg("sy", fmt::format(fmt::runtime(year), "st.study_date")),
      fmt::arg("by", fmt::format(fmt::runtime(year), "p.patient_birth_date")));
  AgeAtStudy r;
  std::array<std::int64_t, 10> decades{};
  query_rows(db, sql, [&](const Statement& s) {
    const auto src = s.column_int(1);
    const auto count = s.column_int(2);
    if (src == 0 || s.column_is_null(0)) {
      r.unknown += count;
      return;
    }
    (src == 1 ? r.from_patient_age : r.from_dates) += count;
    decades[age_decade(s.column_int(0))] += count;
  });
  for (std::size_t i = 0; i < decades.size(); ++i)
    r.decades.push_back({decade_label(i), decades[i]});
  return r;
}

std::vector<ModalityCounts> collect_modalities(Database& db) {
  std::vector<ModalityCounts> r;
  query_rows(db,
             "SELECT coalesce(se.modality, ''), count(DISTINCT se.study_instance_uid), count(*), "
             "CAST(coalesce(sum(c.n), 0) AS BIGINT) FROM series se LEFT JOIN "
             "(SELECT series_instance_uid, count(*) AS n FROM instance GROUP BY "
             "series_instance_uid) c ON c.series_instance_uid = se.series_instance_uid "
             "GROUP BY coalesce(se.modality, '') ORDER BY 4 DESC, 3 DESC, 1",
             [&](const Statement& s) {
               r.push_back({s.column_text(0), s.column_int(1), s.column_int(2), s.column_int(3)});
             });
  return r;
}

std::vector<ModalityBodyPart> collect_modality_body_part(Database& db) {
  std::vector<ModalityBodyPart> r;
  query_rows(db,
             "SELECT coalesce(modality, ''), coalesce(body_part_examined, ''), count(*) "
             "FROM series GROUP BY coalesce(modality, ''), coalesce(body_part_examined, '') "
             "ORDER BY 3 DESC, 1, 2",
             [&](const Statement& s) {
               r.push_back({s.column_text(0), s.column_text(1), s.column_int(2)});
             });
  return r;
}

void collect_months(Database& db, Figures& f) {
  const std::string ok = sql_is_digits(db.dialect(), "study_date", 8);
  query_rows(db,
             fmt::format("SELECT substr(study_date, 1, 6), count(*) FROM study WHERE {} "
                         "GROUP BY substr(study_date, 1, 6) ORDER BY 1", ok),
             [&](const Statement& s) {
               const std::string ym = s.column_text(0);
               f.studies_per_month.push_back({ym.substr(0, 4) + "-" + ym.substr(4), s.column_int(1)});
             });
  std::int64_t dated = 0;
  for (const auto& b : f.studies_per_month) dated += b.count;
  f.studies_without_date = f.totals.studies - dated;
}

void collect_equipment(Database& db, Figures& f) {
  query_rows(db,
             "SELECT coalesce(se.manufacturer, ''), coalesce(se.manufacturer_model_name, ''), "
             "count(*), CAST(coalesce(sum(c.n), 0) AS BIGINT) FROM series se LEFT JOIN "
             "(SELECT series_instance_uid, count(*) AS n FROM instance GROUP BY "
             "series_instance_uid) c ON c.series_instance_uid = se.series_instance_uid "
             "GROUP BY coalesce(se.manufacturer, ''), coalesce(se.manufacturer_model_name, '') "
             "ORDER BY 3 DESC, 4 DESC, 1, 2",
             [&](const Statement& s) {
               if (f.equipment.size() < kMaxEquipment) {
                 f.equipment.push_back(
                     {s.column_text(0), s.column_text(1), s.column_int(2), s.column_int(3)});
               } else {
                 f.other_equipment.series += s.column_int(2);
                 f.other_equipment.instances += s.column_int(3);
               }
             });
}

std::vector<TransferSyntax> collect_transfer_syntaxes(Database& db) {
  std::vector<TransferSyntax> r;
  query_rows(db,
             "SELECT coalesce(transfer_syntax_uid, ''), count(*) FROM instance "
             "GROUP BY coalesce(transfer_syntax_uid, '') ORDER BY 2 DESC, 1",
             [&](const Statement& s) {
               std::string uid = s.column_text(0);
               std::string name = transfer_syntax_name(uid);
               r.push_back({std::move(uid), std::move(name), s.column_int(1)});
             });
  return r;
}

IngestErrors collect_errors(Database& db, bool with_paths) {
  IngestErrors r;
  r.paths_shown = with_paths;
  if (!db.has_relation("ingest_error")) return r;
  query_rows(db, "SELECT kind, count(*) FROM ingest_error GROUP BY kind ORDER BY 2 DESC, 1",
             [&](const Statement& s) {
               r.by_kind.push_back({text_or_empty(s, 0), s.column_int(1)});
               r.total += s.column_int(1);
             });
  query_rows(db,
             "SELECT kind, reason, count(*) FROM ingest_error GROUP BY kind, reason "
             "ORDER BY 3 DESC, 1, 2",
             [&](const Statement& s) {
               if (r.by_reason.size() < kMaxReasons)
                 r.by_reason.push_back({text_or_empty(s, 0), text_or_empty(s, 1), s.column_int(2), {}});
               else
                 r.other_reasons += s.column_int(2);
             });
  if (!with_paths) return r;
  auto ex = db.prepare(fmt::format(
      "SELECT path FROM ingest_error WHERE kind = ? AND reason = ? ORDER BY path LIMIT {}",
      kExamplesPerReason));
  for (auto& reason : r.by_reason) {
    ex->reset();
    ex->bind_text(1, reason.kind);
    ex->bind_text(2, reason.reason);
    while (ex->step()) reason.examples.push_back(ex->column_text(0));
  }
  return r;
}

std::optional<Conflicts> collect_conflicts(Database& db) {
  if (!db.has_relation("conflict")) return std::nullopt;
  Conflicts r;
  query_rows(db,
             "SELECT kind, attribute, count(*), count(DISTINCT key_value) FROM conflict "
             "GROUP BY kind, attribute ORDER BY 1, 2",
             [&](const Statement& s) {
               r.by_attribute.push_back(
                   {text_or_empty(s, 0), text_or_empty(s, 1), s.column_int(2), s.column_int(3), {}});
               r.total += s.column_int(2);
             });
  auto ex = db.prepare(fmt::format(
      "SELECT DISTINCT CASE WHEN kind = 'patient_attributes' THEN other_sop_instance_uid "
      "ELSE key_value END FROM conflict WHERE kind = ? AND attribute = ? ORDER BY 1 LIMIT {}",
      kExamplesPerReason));
  for (auto& a : r.by_attribute) {
    ex->reset();
    ex->bind_text(1, a.kind);
    ex->bind_text(2, a.attribute);
    while (ex->step()) a.examples.push_back(ex->column_text(0));
  }
  return r;
}

Breakdown collect_sex(Database& db) {
  Breakdown r;
  query_rows(db,
             "SELECT coalesce(patient_sex, ''), count(*) FROM patient "
             "GROUP BY coalesce(patient_sex, '') ORDER BY 2 DESC, 1",
             [&](const Statement& s) {
               std::string v = s.column_text(0);
               if (v.empty())
                 r.missing += s.column_int(1);
               else
                 r.rows.push_back({std::move(v), s.column_int(1)});
             });
  return r;
}

}  // namespace

std::size_t age_decade(std::int64_t age) {
  if (age < 0) return 0;
  return static_cast<std::size_t>(std::min<std::int64_t>(age / 10, 9));
}

std::string decade_label(std::size_t i) {
  return i >= 9 ? std::string("90+") : fmt::format("{}-{}", i * 10, i * 10 + 9);
}

Figures collect_figures(storage::Database& db, const ReportOptions& options) {
  for (const char* t : {"patient", "study", "series", "instance"})
    if (!db.has_relation(t))
      throw storage::Error(fmt::format("{} has no table '{}': not a dicometl catalog",
                                       db.display_name(), t));
  // GROUP BY over the instance table sorts every row; SQLite keeps that sorter in memory when
  // temp_store is MEMORY (the ingest setting), i.e. ~80 MB per million instances. Spill to disk.
  if (db.dialect() == storage::Dialect::kSqlite) db.execute("PRAGMA temp_store=FILE");
  Figures f;
  f.database = db.display_name();
  f.generated_at = utc_now_iso8601();
  f.totals = collect_totals(db);
  f.instances_per_study = collect_instances_per_study(db);
  f.slice_thickness = collect_slice_thickness(db);
  f.sex = collect_sex(db);
  f.age = collect_age(db);
  f.modalities = collect_modalities(db);
  f.modality_body_part = collect_modality_body_part(db);
  collect_months(db, f);
  collect_equipment(db, f);
  f.transfer_syntaxes = collect_transfer_syntaxes(db);
  f.errors = collect_errors(db, options.show_paths);
  f.conflicts = collect_conflicts(db);
  f.omop = collect_omop(db);
  f.dexa = collect_dexa(db);
  return f;
}

}  // namespace dicometl::report
