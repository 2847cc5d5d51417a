#include "dicometl/dexa/omop_output.hpp"

#include <map>
#include <string>

#include "dicometl/model/utc_time.hpp"
#include "dicometl/omop/id_allocator.hpp"
#include "dicometl/omop/schema.hpp"
#include "dicometl/omop/values.hpp"

namespace dicometl::dexa {

namespace {

constexpr long long kEhrType = 32817;

// LOINC → OMOP concept ids from the spec, per body site family: {BMD, T-score, Z-score}.
struct Codes {
  long long bmd, t, z;
};
const std::map<std::string, Codes>& codes() {
  static const std::map<std::string, Codes> c = {
      {"spine", {3033804, 3049654, 36204417}},          // DXA Lumbar spine
      {"femur", {3021722, 3051450, 21494100}},          // DXA Femur
      {"femur_left", {21494209, 21494203, 21492968}},   // DXA Femur - left
      {"femur_right", {21494208, 21494202, 21494199}},  // DXA Femur - right
      {"hip", {3052486, 3049278, 21494099}},            // DXA Hip
      {"hip_left", {3051938, 21494201, 21494198}},      // DXA Hip - left
      {"hip_right", {3049418, 21494200, 21494197}},     // DXA Hip - right
      {"forearm", {3002101, 3049273, 21494098}},        // DXA Radius and Ulna
      {"total_body", {3051343, 0, 0}},                  // DXA Bone (no score codes)
  };
  return c;
}

bool has(const std::string& s, const char* part) { return s.find(part) != std::string::npos; }

// Which code family a value belongs to. The total hip ("Total", "Total Left") is the hip; the
// femoral sub-regions (Neck, Troch, Inter, Ward's, Shaft) have no code of their own and use the
// femur's (LOINC has no femoral-neck code; 38263-0 is Femur, not neck). Diff. rows are not
// measurements of a site.
std::string family(const std::string& site, const std::string& region) {
  if (has(region, "Diff")) return "";
  if (site == "spine") return "spine";
  if (site == "forearm") return "forearm";
  if (site == "total_body") return "total_body";
  const bool femur_site =
      site == "left_femur" || site == "right_femur" || site == "dual_femur" || site == "femur";
  if (!femur_site) return "";
  std::string side;
  if (site == "left_femur" || has(region, "Left")) side = "_left";
  if (site == "right_femur" || has(region, "Right")) side = "_right";
  if (has(region, "Mean")) side = "";
  return (region.rfind("Total", 0) == 0 ? "hip" : "femur") + side;
}

std::int64_t lookup_concept(storage::Database& db, bool has_concept_table, const std::string& sql,
                            const std::string& a) {
  if (!has_concept_table) return 0;
  auto st = db.prepare(sql);
  st->bind_text(1, a);
  return st->step() && !st->column_is_null(0) ? st->column_int(0) : 0;
}

}  // namespace

long long measurement_concept(const std::string& site, const std::string& region,
                              const std::string& metric) {
  const std::string f = family(site, region);
  if (f.empty()) return 0;
  const Codes& c = codes().at(f);
  if (metric == "bmd") return c.bmd;
  if (metric == "t_score") return c.t;
  if (metric == "z_score") return c.z;
  return 0;
}

OmopCounts write_omop_measurements(storage::Database& db, const std::vector<Page>& pages,
                                   const omop::Options& options) {
  OmopCounts counts;
  const auto names = omop::make_names(options, db.dialect());
  if (!db.has_relation(names.imaging_table("image_occurrence")) ||
      !db.has_relation(names.imaging_table("dicometl_omop_id"))) {
    counts.no_imaging_tables = true;
    return counts;
  }
  const std::string measurement = names.cdm_table("measurement");
  omop::ensure_measurement_table(db, options);
  const std::string feature = names.imaging_table("image_feature");
  if (!db.has_relation(feature)) omop::ensure_omop_schema(db, options);

  const bool concepts = db.has_relation(names.vocab_table("concept"));
  const std::string by_code = "SELECT concept_id FROM " + names.vocab_table("concept") +
                              " WHERE vocabulary_id = 'UCUM' AND concept_code = ?";
  // The CDM field concept of measurement.measurement_id, when the site's vocabulary has the CDM
  // field concepts; else 0 (the link still holds through image_feature_event_id).
  const std::int64_t field = lookup_concept(
      db, concepts,
      "SELECT concept_id FROM " + names.vocab_table("concept") +
          " WHERE vocabulary_id = 'CDM' AND concept_class_id = 'Field' AND concept_name = ?",
      "measurement.measurement_id");
  std::map<std::string, std::int64_t> unit_ids;
  for (const char* u : {"g/cm2", "{T-score}", "{Z-score}"})
    unit_ids[u] = lookup_concept(db, concepts, by_code, u);
  const std::string now = utc_now_sql();

  storage::in_transaction(db, [&] {
    omop::IdAllocator ids(db, names.imaging_table("dicometl_omop_id"));
    ids.add_kind("dexa_measurement", "SELECT max(measurement_id) FROM " + measurement);
    ids.add_kind("dexa_image_feature", "SELECT max(image_feature_id) FROM " + feature);
    auto series = db.prepare("SELECT image_occurrence_id, person_id FROM " +
                             names.imaging_table("image_occurrence") +
                             " WHERE image_series_uid = ? ORDER BY image_occurrence_id");
    auto ins_m = db.prepare("INSERT INTO " + measurement +
                            " (measurement_id, person_id, measurement_concept_id, "
                            "measurement_date, measurement_type_concept_id,"
                            " value_as_number, unit_concept_id, measurement_source_value, "
                            "unit_source_value, value_source_value,"
                            " measurement_event_id, meas_event_field_concept_id) VALUES (?, ?, ?, "
                            "?, ?, ?, ?, ?, ?, ?, ?, ?)");
    auto ins_f = db.prepare(
        "INSERT INTO " + feature +
        " (image_feature_id, person_id, image_occurrence_id, image_feature_event_field_concept_id,"
        " image_feature_event_id, image_feature_concept_id, image_feature_type_concept_id,"
        " anatomic_site_concept_id, alg_system, alg_datetime) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?)");
    for (const auto& p : pages) {
      std::optional<std::pair<std::int64_t, std::int64_t>> occ;
      bool looked = false;
      const auto date = omop::iso_date(p.exam_date);
      for (const auto& v : p.values) {
        if (!v.ok() || !v.number) {
          ++counts.not_ok;
          continue;
        }
        const long long concept_id = measurement_concept(p.site, v.region, v.metric);
        if (!concept_id) {
          ++counts.no_concept;
          continue;
        }
        if (!looked) {
          looked = true;
          series->reset();
          series->bind_text(1, p.series_instance_uid);
          if (series->step()) occ = std::make_pair(series->column_int(0), series->column_int(1));
        }
        if (!occ || !date) {
          ++counts.no_series;
          continue;
        }
        const std::string key = p.sop_instance_uid + "|" + v.region + "|" + v.metric;
        const auto mid = ids.get("dexa_measurement", key);
        if (!mid.fresh) {
          ++counts.already;
          continue;
        }
        const std::string source = ("DXA " + v.region + " " + v.metric).substr(0, 50);
        ins_m->reset();
        ins_m->bind_int(1, mid.id);
        ins_m->bind_int(2, occ->second);
        ins_m->bind_int(3, concept_id);
        ins_m->bind_text(4, *date);
        ins_m->bind_int(5, kEhrType);
        ins_m->bind_double(6, *v.number);
        ins_m->bind_int(7, unit_ids.count(v.unit) ? unit_ids[v.unit] : 0);
        ins_m->bind_text(8, source);
        ins_m->bind_text(9, v.unit);
        ins_m->bind_text(10, v.text);
        ins_m->bind_null(11);
        ins_m->bind_null(12);
        while (ins_m->step()) {
        }
        ins_f->reset();
        ins_f->bind_int(1, ids.get("dexa_image_feature", key).id);
        ins_f->bind_int(2, occ->second);
        ins_f->bind_int(3, occ->first);
        ins_f->bind_int(4, field);
        ins_f->bind_int(5, mid.id);
        ins_f->bind_int(6, concept_id);
        ins_f->bind_int(7, kEhrType);
        ins_f->bind_null(8);
        ins_f->bind_text(9, "dicometl dexa (Tesseract OCR, QC ok)");
        ins_f->bind_text(10, now);
        while (ins_f->step()) {
        }
        ++counts.measurements;
      }
    }
  });
  return counts;
}

}  // namespace dicometl::dexa
