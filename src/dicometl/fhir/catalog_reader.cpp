#include "dicometl/fhir/catalog_reader.hpp"

#include "dicometl/fhir/dicom_json_fields.hpp"

namespace dicometl::fhir {

namespace {

// dicom_json is fetched separately, only for the rows that need it, so the sort the database
// does for ORDER BY carries short rows (SQLite spills large sorts to temporary files).
constexpr const char* kRowsSql =
    "SELECT st.study_instance_uid, st.study_date, st.study_time, st.accession_number, "
    "st.study_description, st.timezone_offset, p.patient_id, p.issuer_of_patient_id, "
    "p.patient_name, p.patient_sex, p.patient_birth_date, se.series_instance_uid, "
    "se.series_number, se.series_date, se.series_time, se.modality, se.body_part_examined, "
    "se.series_description, se.laterality, se.institution_name, se.manufacturer, "
    "se.manufacturer_model_name, se.device_serial_number, se.software_versions, "
    "i.sop_instance_uid, i.sop_class_uid, i.instance_number, i.image_type, i.slice_thickness, "
    "i.pixel_spacing_row, i.pixel_spacing_col "
    "FROM study st JOIN patient p ON p.patient_id = st.patient_id "
    "JOIN series se ON se.study_instance_uid = st.study_instance_uid "
    "JOIN instance i ON i.series_instance_uid = se.series_instance_uid "
    "ORDER BY st.patient_id, st.study_instance_uid, se.series_number IS NULL, se.series_number, "
    "se.series_instance_uid, i.instance_number IS NULL, i.instance_number, i.sop_instance_uid";

constexpr const char* kJsonSql = "SELECT dicom_json FROM instance WHERE sop_instance_uid = ?";

std::string text(const storage::Statement& s, int col) {
  return s.column_is_null(col) ? std::string{} : s.column_text(col);
}

std::optional<double> opt_real(const storage::Statement& s, int col) {
  if (s.column_is_null(col)) return std::nullopt;
  return s.column_double(col);
}

std::optional<std::int64_t> opt_int(const storage::Statement& s, int col) {
  if (s.column_is_null(col)) return std::nullopt;
  return s.column_int(col);
}

//! SR, KO and other structured documents: their title is the document's concept name.
bool is_document_class(const std::string& sop_class) {
  return sop_class.rfind("1.2.840.10008.5.1.4.1.1.88.", 0) == 0 ||
         sop_class == "1.2.840.10008.5.1.4.1.1.104.1";  // Encapsulated PDF
}

}  // namespace

CatalogReader::CatalogReader(storage::Database& db, std::function<bool(const std::string&)> include)
    : db_(db), include_(std::move(include)) {
  rows_ = db_.prepare(kRowsSql);
  json_ = db_.prepare(kJsonSql);
}

std::int64_t count_studies(storage::Database& db) {
  auto s = db.prepare("SELECT count(*) FROM study");
  return s->step() ? s->column_int(0) : 0;
}

void CatalogReader::read_row_into(StudyRecord& study) {
  const auto& r = *rows_;
  auto fetch_json = [&](const std::string& sop) {
    json_->reset();
    json_->bind_text(1, sop);
    std::string j = json_->step() ? text(*json_, 0) : std::string{};
    json_->reset();
    return j;
  };
  const bool first_of_study = study.series.empty();
  const std::string series_uid = text(r, 11);
  if (study.series.empty() || study.series.back().uid != series_uid) {
    SeriesRecord se;
    se.uid = series_uid;
    se.number = opt_int(r, 12);
    se.date = text(r, 13);
    se.time = text(r, 14);
    se.modality = text(r, 15);
    se.body_part_examined = text(r, 16);
    se.description = text(r, 17);
    se.laterality = text(r, 18);
    se.institution_name = text(r, 19);
    se.manufacturer = text(r, 20);
    se.model_name = text(r, 21);
    se.serial_number = text(r, 22);
    se.software_versions = text(r, 23);
    study.series.push_back(std::move(se));
  }
  SeriesRecord& series = study.series.back();
  InstanceRecord in;
  in.sop_instance_uid = text(r, 24);
  in.sop_class_uid = text(r, 25);
  in.number = opt_int(r, 26);
  in.title = text(r, 27);
  in.image_type = in.title;
  in.slice_thickness = opt_real(r, 28);
  in.pixel_spacing_row = opt_real(r, 29);
  in.pixel_spacing_col = opt_real(r, 30);
  const bool first_of_series = series.instances.empty();
  const bool document = is_document_class(in.sop_class_uid);
  if (first_of_series || document) {
    const std::string j = fetch_json(in.sop_instance_uid);
    if (first_of_study) read_study_extras(j, study);
    if (first_of_series) read_series_extras(j, series);
    if (document) {
      std::string name = concept_name_meaning(j);
      if (!name.empty()) in.title = std::move(name);
    }
  }
  series.instances.push_back(std::move(in));
}

bool CatalogReader::next(StudyRecord& out) {
  out = StudyRecord{};
  if (done_) return false;
  for (;;) {
    if (!pending_) {
      if (!rows_->step()) {
        done_ = true;
        return !out.uid.empty() || !out.series.empty();
      }
      pending_ = true;
    }
    const auto& r = *rows_;
    const std::string uid = text(r, 0);
    if (include_ && !include_(uid)) {
      pending_ = false;
      continue;
    }
    if (!out.series.empty() && uid != out.uid) return true;  // the row starts the next study
    if (out.series.empty()) {
      out.uid = uid;
      out.date = text(r, 1);
      out.time = text(r, 2);
      out.accession_number = text(r, 3);
      out.description = text(r, 4);
      out.timezone_offset = text(r, 5);
      out.patient_id = text(r, 6);
      out.issuer_of_patient_id = text(r, 7);
      out.patient_name = text(r, 8);
      out.patient_sex = text(r, 9);
      out.patient_birth_date = text(r, 10);
    }
    read_row_into(out);
    pending_ = false;
  }
}

}  // namespace dicometl::fhir
