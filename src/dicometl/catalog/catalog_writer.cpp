#include "dicometl/catalog/catalog_writer.hpp"

#include <chrono>
#include <ctime>


namespace dicometl::catalog {

namespace {

std::string utc_now() {
  std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace

std::string parent_dir(const std::string& path) {
  auto slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

struct CatalogWriter::Statements {
  std::unique_ptr<storage::Statement> patient, study, series, instance, file, clear_error, error,
      drop_stale_instance;
};

CatalogWriter::CatalogWriter(storage::Database& db) : db_(db), st_(std::make_unique<Statements>()) {
  // ON CONFLICT DO NOTHING: the first file of a patient/study/series defines its row, so the
  // result does not depend on which thread finished first (writes are in walk order anyway).
  st_->patient = db.prepare(
      "INSERT INTO patient (patient_id, issuer_of_patient_id, patient_name, patient_sex, "
      "patient_birth_date) VALUES (?,?,?,?,?) ON CONFLICT (patient_id) DO NOTHING");
  st_->study = db.prepare(
      "INSERT INTO study (study_instance_uid, patient_id, study_date, study_time, study_id, "
      "accession_number, study_description, referring_physician_name, timezone_offset, "
      "patient_age) VALUES (?,?,?,?,?,?,?,?,?,?) ON CONFLICT (study_instance_uid) DO NOTHING");
  st_->series = db.prepare(
      "INSERT INTO series (series_instance_uid, study_instance_uid, series_number, series_date, "
      "series_time, modality, body_part_examined, series_description, protocol_name, laterality, "
      "institution_name, station_name, manufacturer, manufacturer_model_name, "
      "device_serial_number, software_versions) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
      "ON CONFLICT (series_instance_uid) DO NOTHING");
  // A file changed in place (same path) refreshes its instance; the same UID at another path is
  // a duplicate copy: recorded in `file`, never a second instance row.
  st_->instance = db.prepare(
      "INSERT INTO instance (sop_instance_uid, series_instance_uid, sop_class_uid, "
      "transfer_syntax_uid, instance_number, file_path, file_size, file_mtime_ns, rows, columns, "
      "number_of_frames, bits_allocated, photometric_interpretation, slice_thickness, "
      "pixel_spacing_row, pixel_spacing_col, kvp, image_type, acquisition_date, acquisition_time, "
      "content_date, content_time, specific_character_set, run_id, dicom_json) "
      "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
      "ON CONFLICT (sop_instance_uid) DO UPDATE SET file_size = excluded.file_size, "
      "file_mtime_ns = excluded.file_mtime_ns, transfer_syntax_uid = excluded.transfer_syntax_uid, "
      "dicom_json = excluded.dicom_json, run_id = excluded.run_id "
      "WHERE instance.file_path = excluded.file_path RETURNING 1");
  st_->file = db.prepare(
      "INSERT INTO file (path, dir, size, mtime_ns, status, sop_instance_uid, run_id) "
      "VALUES (?,?,?,?,?,?,?) ON CONFLICT (path) DO UPDATE SET size = excluded.size, "
      "mtime_ns = excluded.mtime_ns, status = excluded.status, "
      "sop_instance_uid = excluded.sop_instance_uid, run_id = excluded.run_id");
  st_->clear_error = db.prepare("DELETE FROM ingest_error WHERE path = ?");
  st_->error = db.prepare(
      "INSERT INTO ingest_error (path, kind, reason, size, mtime_ns, run_id) VALUES (?,?,?,?,?,?) "
      "ON CONFLICT (path) DO UPDATE SET kind = excluded.kind, reason = excluded.reason, "
      "size = excluded.size, mtime_ns = excluded.mtime_ns, run_id = excluded.run_id");
  // A file that was an instance and is now unreadable: the catalog follows the file system.
  st_->drop_stale_instance = db.prepare(
      "DELETE FROM instance WHERE file_path = ? AND sop_instance_uid = "
      "(SELECT sop_instance_uid FROM file WHERE path = ? AND status = 'ingested')");
}

CatalogWriter::~CatalogWriter() = default;

std::int64_t CatalogWriter::start_run(const std::string& tool_version) {
  storage::in_transaction(db_, [&] {
    auto q = db_.prepare(
        "INSERT INTO ingest_run (started_at, status, tool_version) VALUES (?, 'running', ?) "
        "RETURNING run_id");
    q->bind_text(1, utc_now());
    q->bind_text(2, tool_version);
    if (!q->step()) throw storage::Error("could not create an ingest_run row");
    run_id_ = q->column_int(0);
  });
  return run_id_;
}

void CatalogWriter::finish_run(const RunCounts& c, bool ok) {
  storage::in_transaction(db_, [&] {
    auto q = db_.prepare(
        "UPDATE ingest_run SET finished_at = ?, status = ?, files_seen = ?, ingested = ?, "
        "unchanged = ?, duplicates = ?, not_dicom = ?, failed = ?, seconds = ? WHERE run_id = ?");
    q->bind_text(1, utc_now());
    q->bind_text(2, ok ? "done" : "failed");
    q->bind_int(3, static_cast<std::int64_t>(c.seen));
    q->bind_int(4, static_cast<std::int64_t>(c.ingested));
    q->bind_int(5, static_cast<std::int64_t>(c.unchanged));
    q->bind_int(6, static_cast<std::int64_t>(c.duplicates));
    q->bind_int(7, static_cast<std::int64_t>(c.not_dicom));
    q->bind_int(8, static_cast<std::int64_t>(c.failed));
    q->bind_double(9, c.seconds);
    q->bind_int(10, run_id_);
    q->step();
  });
}

void CatalogWriter::write_patient(const Instance& in) {
  auto& p = *st_->patient;
  p.reset();
  p.bind_text(1, in.patient_id);
  p.bind_opt_text(2, in.issuer_of_patient_id);
  p.bind_opt_text(3, in.patient_name);
  p.bind_opt_text(4, in.patient_sex);
  p.bind_opt_text(5, in.patient_birth_date);
  p.step();

  last_patient_ = in.patient_id;
}

void CatalogWriter::write_study(const Instance& in) {
  auto& s = *st_->study;
  s.reset();
  s.bind_text(1, in.study_instance_uid);
  s.bind_text(2, in.patient_id);
  s.bind_opt_text(3, in.study_date);
  s.bind_opt_text(4, in.study_time);
  s.bind_opt_text(5, in.study_id);
  s.bind_opt_text(6, in.accession_number);
  s.bind_opt_text(7, in.study_description);
  s.bind_opt_text(8, in.referring_physician_name);
  s.bind_opt_text(9, in.timezone_offset);
  s.bind_opt_text(10, in.patient_age);
  s.step();

  last_study_ = in.study_instance_uid;
}

void CatalogWriter::write_series(const Instance& in) {
  auto& r = *st_->series;
  r.reset();
  r.bind_text(1, in.series_instance_uid);
  r.bind_text(2, in.study_instance_uid);
  r.bind_opt_int(3, in.series_number);
  r.bind_opt_text(4, in.series_date);
  r.bind_opt_text(5, in.series_time);
  r.bind_opt_text(6, in.modality);
  r.bind_opt_text(7, in.body_part_examined);
  r.bind_opt_text(8, in.series_description);
  r.bind_opt_text(9, in.protocol_name);
  r.bind_opt_text(10, in.laterality);
  r.bind_opt_text(11, in.institution_name);
  r.bind_opt_text(12, in.station_name);
  r.bind_opt_text(13, in.manufacturer);
  r.bind_opt_text(14, in.manufacturer_model_name);
  r.bind_opt_text(15, in.device_serial_number);
  r.bind_opt_text(16, in.software_versions);
  r.step();
  last_series_ = in.series_instance_uid;
}

bool CatalogWriter::write(const Instance& in, std::string_view dicom_json, bool new_path) {
  if (in.patient_id != last_patient_) write_patient(in);
  if (in.study_instance_uid != last_study_) write_study(in);
  if (in.series_instance_uid != last_series_) write_series(in);

  auto& i = *st_->instance;
  i.reset();
  i.bind_text(1, in.sop_instance_uid);
  i.bind_text(2, in.series_instance_uid);
  i.bind_opt_text(3, in.sop_class_uid);
  i.bind_opt_text(4, in.transfer_syntax_uid);
  i.bind_opt_int(5, in.instance_number);
  i.bind_text(6, in.file.path);
  i.bind_int(7, static_cast<std::int64_t>(in.file.size));
  i.bind_int(8, in.file.mtime_ns);
  i.bind_opt_int(9, in.rows);
  i.bind_opt_int(10, in.columns);
  i.bind_opt_int(11, in.number_of_frames);
  i.bind_opt_int(12, in.bits_allocated);
  i.bind_opt_text(13, in.photometric_interpretation);
  i.bind_opt_double(14, in.slice_thickness);
  i.bind_opt_double(15, in.pixel_spacing_row);
  i.bind_opt_double(16, in.pixel_spacing_col);
  i.bind_opt_double(17, in.kvp);
  i.bind_opt_text(18, in.image_type);
  i.bind_opt_text(19, in.acquisition_date);
  i.bind_opt_text(20, in.acquisition_time);
  i.bind_opt_text(21, in.content_date);
  i.bind_opt_text(22, in.content_time);
  i.bind_opt_text(23, in.specific_character_set);
  i.bind_int(24, run_id_);
  i.bind_text(25, dicom_json);
  const bool is_new = i.step();
  if (is_new) i.step();  // finish the statement so its RETURNING row is consumed

  auto& f = *st_->file;
  f.reset();
  f.bind_text(1, in.file.path);
  f.bind_text(2, parent_dir(in.file.path));
  f.bind_int(3, static_cast<std::int64_t>(in.file.size));
  f.bind_int(4, in.file.mtime_ns);
  f.bind_text(5, is_new ? "ingested" : "duplicate");
  f.bind_text(6, in.sop_instance_uid);
  f.bind_int(7, run_id_);
  f.step();

  if (!new_path) {
    auto& c = *st_->clear_error;
    c.reset();
    c.bind_text(1, in.file.path);
    c.step();
  }
  return is_new;
}

void CatalogWriter::write(const Reject& rej, bool new_path) {
  if (!new_path) {
    auto& d = *st_->drop_stale_instance;
    d.reset();
    d.bind_text(1, rej.file.path);
    d.bind_text(2, rej.file.path);
    d.step();
  }

  auto& f = *st_->file;
  f.reset();
  f.bind_text(1, rej.file.path);
  f.bind_text(2, parent_dir(rej.file.path));
  f.bind_int(3, static_cast<std::int64_t>(rej.file.size));
  f.bind_int(4, rej.file.mtime_ns);
  f.bind_text(5, "rejected");
  f.bind_null(6);
  f.bind_int(7, run_id_);
  f.step();

  auto& e = *st_->error;
  e.reset();
  e.bind_text(1, rej.file.path);
  e.bind_text(2, to_string(rej.kind));
  e.bind_text(3, rej.reason);
  e.bind_int(4, static_cast<std::int64_t>(rej.file.size));
  e.bind_int(5, rej.file.mtime_ns);
  e.bind_int(6, run_id_);
  e.step();
}

}  // namespace dicometl::catalog
