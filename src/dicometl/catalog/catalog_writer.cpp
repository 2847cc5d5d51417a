#include "dicometl/catalog/catalog_writer.hpp"

#include <map>
#include <string_view>
#include <unordered_set>

#include "dicometl/model/utc_time.hpp"

namespace dicometl::catalog {

namespace {

// Instance and file rows: one column list and one conflict rule, whether a statement carries one
// row or a batch of them.
constexpr int kInstanceColumns = 25;
constexpr const char* kInstanceInsert =
    "INSERT INTO instance (sop_instance_uid, series_instance_uid, sop_class_uid, "
    "transfer_syntax_uid, instance_number, file_path, file_size, file_mtime_ns, rows, columns, "
    "number_of_frames, bits_allocated, photometric_interpretation, slice_thickness, "
    "pixel_spacing_row, pixel_spacing_col, kvp, image_type, acquisition_date, acquisition_time, "
    "content_date, content_time, specific_character_set, run_id, dicom_json) VALUES ";
// A file changed in place (same path) refreshes its instance; the same UID at another path is
// a duplicate copy: recorded in `file`, never a second instance row.
constexpr const char* kInstanceUpsert =
    " ON CONFLICT (sop_instance_uid) DO UPDATE SET file_size = excluded.file_size, "
    "file_mtime_ns = excluded.file_mtime_ns, transfer_syntax_uid = excluded.transfer_syntax_uid, "
    "dicom_json = excluded.dicom_json, run_id = excluded.run_id "
    "WHERE instance.file_path = excluded.file_path RETURNING sop_instance_uid";
constexpr int kFileColumns = 7;
constexpr const char* kFileInsert =
    "INSERT INTO file (path, dir, size, mtime_ns, status, sop_instance_uid, run_id) VALUES ";
constexpr const char* kFileUpsert =
    " ON CONFLICT (path) DO UPDATE SET size = excluded.size, mtime_ns = excluded.mtime_ns, "
    "status = excluded.status, sop_instance_uid = excluded.sop_instance_uid, "
    "run_id = excluded.run_id, missing_since = NULL";
// Rows per multi-row statement: the pipeline's batch size, far below either backend's limit on
// parameters (SQLite 32766, PostgreSQL 65535).
constexpr std::size_t kRowsPerStatement = 64;

}  // namespace

std::string parent_dir(const std::string& path) {
  auto slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

struct CatalogWriter::Statements {
  std::unique_ptr<storage::Statement> patient, first_patient, study, first_study, series,
      clear_error, error,
      drop_stale_instance, clear_warning, warning;
  // Instance and file upserts by row count (1 for single rows, a batch's tail is shorter),
  // prepared on first use.
  std::map<std::size_t, std::unique_ptr<storage::Statement>> instances, files;
};

CatalogWriter::CatalogWriter(storage::Database& db)
    : db_(db), st_(std::make_unique<Statements>()), conflicts_(db) {
  // ON CONFLICT DO NOTHING: the first file of a patient/study/series defines its row, so the
  // result does not depend on which thread finished first (writes are in walk order anyway).
  // RETURNING says whether this file did; if not, the row is read to compare (conflicts.hpp).
  st_->patient = db.prepare(
      "INSERT INTO patient (patient_id, issuer_of_patient_id, patient_name, patient_sex, "
      "patient_birth_date, source_path) VALUES (?,?,?,?,?,?) ON CONFLICT (patient_id) DO NOTHING "
      "RETURNING patient_id");
  st_->first_patient = db.prepare(
      "SELECT patient_name, patient_sex, patient_birth_date, source_path FROM patient "
      "WHERE patient_id = ?");
  st_->study = db.prepare(
      "INSERT INTO study (study_instance_uid, patient_id, study_date, study_time, study_id, "
      "accession_number, study_description, referring_physician_name, timezone_offset, "
      "patient_age, source_path) VALUES (?,?,?,?,?,?,?,?,?,?,?) "
      "ON CONFLICT (study_instance_uid) DO NOTHING RETURNING study_instance_uid");
  st_->first_study =
      db.prepare("SELECT patient_id, source_path FROM study WHERE study_instance_uid = ?");
  st_->series = db.prepare(
      "INSERT INTO series (series_instance_uid, study_instance_uid, series_number, series_date, "
      "series_time, modality, body_part_examined, series_description, protocol_name, laterality, "
      "institution_name, station_name, manufacturer, manufacturer_model_name, "
      "device_serial_number, software_versions) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
      "ON CONFLICT (series_instance_uid) DO NOTHING");
  st_->clear_error = db.prepare("DELETE FROM ingest_error WHERE path = ?");
  st_->clear_warning = db.prepare("DELETE FROM ingest_warning WHERE path = ?");
  st_->warning = db.prepare(
      "INSERT INTO ingest_warning (path, reason, run_id) VALUES (?,?,?) ON CONFLICT (path) DO "
      "UPDATE SET reason = excluded.reason, run_id = excluded.run_id");
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
    q->bind_text(1, utc_now_iso8601());
    q->bind_text(2, tool_version);
    if (!q->step()) throw storage::Error("could not create an ingest_run row");
    run_id_ = q->column_int(0);
  });
  conflicts_.set_run(run_id_);
  return run_id_;
}

void CatalogWriter::finish_run(const RunCounts& c, bool ok) {
  storage::in_transaction(db_, [&] {
    auto q = db_.prepare(
        "UPDATE ingest_run SET finished_at = ?, status = ?, files_seen = ?, ingested = ?, "
        "unchanged = ?, duplicates = ?, not_dicom = ?, failed = ?, seconds = ?, "
        "still_rejected = ?, missing = ?, conflicts = ? WHERE run_id = ?");
    q->bind_text(1, utc_now_iso8601());
    q->bind_text(2, ok ? "done" : "failed");
    q->bind_int(3, static_cast<std::int64_t>(c.seen));
    q->bind_int(4, static_cast<std::int64_t>(c.ingested));
    q->bind_int(5, static_cast<std::int64_t>(c.unchanged));
    q->bind_int(6, static_cast<std::int64_t>(c.duplicates));
    q->bind_int(7, static_cast<std::int64_t>(c.not_dicom));
    q->bind_int(8, static_cast<std::int64_t>(c.failed));
    q->bind_double(9, c.seconds);
    q->bind_int(10, static_cast<std::int64_t>(c.still_rejected));
    q->bind_int(11, static_cast<std::int64_t>(c.missing));
    q->bind_int(12, static_cast<std::int64_t>(c.conflicts));
    q->bind_int(13, run_id_);
    q->step();
  });
}

namespace {

constexpr std::size_t kFirstSeenCache = 4096;

std::string text_or_empty(const storage::Statement& q, int column) {
  return q.column_is_null(column) ? std::string() : q.column_text(column);
}

}  // namespace

const FirstPatient& CatalogWriter::write_patient(const Instance& in) {
  if (auto it = patients_.find(in.patient_id); it != patients_.end()) return it->second;
  if (patients_.size() >= kFirstSeenCache) patients_.clear();
  auto& p = *st_->patient;
  p.reset();
  p.bind_text(1, in.patient_id);
  p.bind_opt_text(2, in.issuer_of_patient_id);
  p.bind_opt_text(3, in.patient_name);
  p.bind_opt_text(4, in.patient_sex);
  p.bind_opt_text(5, in.patient_birth_date);
  p.bind_text(6, in.file.path);
  FirstPatient first{in.patient_name, in.patient_sex, in.patient_birth_date, in.file.path};
  const bool inserted = p.step();
  p.reset();  // a statement left in progress would keep SQLite from committing
  if (!inserted) {  // written before (by an earlier file, run or shard): compare with that
    auto& q = *st_->first_patient;
    q.reset();
    q.bind_text(1, in.patient_id);
    if (q.step())
      first = {text_or_empty(q, 0), text_or_empty(q, 1), text_or_empty(q, 2), text_or_empty(q, 3)};
    q.reset();
  }
  return patients_[in.patient_id] = std::move(first);
}

const FirstStudy& CatalogWriter::write_study(const Instance& in) {
  if (auto it = studies_.find(in.study_instance_uid); it != studies_.end()) return it->second;
  if (studies_.size() >= kFirstSeenCache) studies_.clear();
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
  s.bind_text(11, in.file.path);
  FirstStudy first{in.patient_id, in.file.path};
  const bool inserted = s.step();
  s.reset();
  if (!inserted) {
    auto& q = *st_->first_study;
    q.reset();
    q.bind_text(1, in.study_instance_uid);
    if (q.step()) first = {q.column_text(0), text_or_empty(q, 1)};
    q.reset();
  }
  return studies_[in.study_instance_uid] = std::move(first);
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

namespace {

// Binds one instance row at parameter `base` + 1 … + kInstanceColumns.
void bind_instance(storage::Statement& i, int base, const Instance& in, std::string_view json,
                   std::int64_t run_id) {
  i.bind_text(base + 1, in.sop_instance_uid);
  i.bind_text(base + 2, in.series_instance_uid);
  i.bind_opt_text(base + 3, in.sop_class_uid);
  i.bind_opt_text(base + 4, in.transfer_syntax_uid);
  i.bind_opt_int(base + 5, in.instance_number);
  i.bind_text(base + 6, in.file.path);
  i.bind_int(base + 7, static_cast<std::int64_t>(in.file.size));
  i.bind_int(base + 8, in.file.mtime_ns);
  i.bind_opt_int(base + 9, in.rows);
  i.bind_opt_int(base + 10, in.columns);
  i.bind_opt_int(base + 11, in.number_of_frames);
  i.bind_opt_int(base + 12, in.bits_allocated);
  i.bind_opt_text(base + 13, in.photometric_interpretation);
  i.bind_opt_double(base + 14, in.slice_thickness);
  i.bind_opt_double(base + 15, in.pixel_spacing_row);
  i.bind_opt_double(base + 16, in.pixel_spacing_col);
  i.bind_opt_double(base + 17, in.kvp);
  i.bind_opt_text(base + 18, in.image_type);
  i.bind_opt_text(base + 19, in.acquisition_date);
  i.bind_opt_text(base + 20, in.acquisition_time);
  i.bind_opt_text(base + 21, in.content_date);
  i.bind_opt_text(base + 22, in.content_time);
  i.bind_opt_text(base + 23, in.specific_character_set);
  i.bind_int(base + 24, run_id);
  i.bind_text_unowned(base + 25, json);  // ~13 KB on a scanner's header: no copy
}

// Binds one file row at parameter `base` + 1 … + kFileColumns; no UID for a rejected file.
void bind_file(storage::Statement& f, int base, const FileStat& file, const char* status,
               const std::string* sop_instance_uid, std::int64_t run_id) {
  f.bind_text(base + 1, file.path);
  f.bind_text(base + 2, parent_dir(file.path));
  f.bind_int(base + 3, static_cast<std::int64_t>(file.size));
  f.bind_int(base + 4, file.mtime_ns);
  f.bind_text(base + 5, status);
  sop_instance_uid ? f.bind_text(base + 6, *sop_instance_uid) : f.bind_null(base + 6);
  f.bind_int(base + 7, run_id);
}

storage::Statement& statement_for(std::map<std::size_t, std::unique_ptr<storage::Statement>>& cache,
                                  storage::Database& db, std::size_t rows, const char* insert,
                                  int columns, const char* upsert) {
  auto& st = cache[rows];
  if (!st)
    st = db.prepare(std::string(insert) +
                    storage::placeholders(rows, static_cast<std::size_t>(columns)) + upsert);
  st->reset();
  return *st;
}

}  // namespace

void CatalogWriter::write_parents(const Instance& in) {
  conflicts_.check_patient(write_patient(in), in);
  conflicts_.check_study(write_study(in), in);
  if (in.series_instance_uid != last_series_) write_series(in);
}

namespace {

// Splits 0..n-1 into first occurrences of key(k) and repeats. One multi-row statement cannot
// touch a row twice (PostgreSQL refuses it), so repeats are written after, one row at a time:
// a UID met again becomes a duplicate, a path named twice is written twice as row by row.
template <typename Key>
std::pair<std::vector<std::size_t>, std::vector<std::size_t>> split_repeats(std::size_t n,
                                                                            Key key) {
  std::pair<std::vector<std::size_t>, std::vector<std::size_t>> out;
  std::unordered_set<std::string_view> seen;
  for (std::size_t k = 0; k < n; ++k)
    (seen.insert(key(k)).second ? out.first : out.second).push_back(k);
  return out;
}

}  // namespace

void CatalogWriter::upsert_instances(const std::vector<BatchEntry>& entries,
                                     const std::vector<std::size_t>& rows,
                                     std::size_t per_statement, std::vector<bool>& is_new) {
  for (std::size_t at = 0; at < rows.size(); at += per_statement) {
    const std::size_t n = std::min(per_statement, rows.size() - at);
    auto& st =
        statement_for(st_->instances, db_, n, kInstanceInsert, kInstanceColumns, kInstanceUpsert);
    for (std::size_t r = 0; r < n; ++r) {
      const auto& e = entries[rows[at + r]];
      bind_instance(st, static_cast<int>(r) * kInstanceColumns, *e.inst, e.dicom_json, run_id_);
    }
    // RETURNING names the rows inserted or refreshed in place; order is not promised.
    std::unordered_set<std::string> written;
    while (st.step()) written.insert(st.column_text(0));
    for (std::size_t r = 0; r < n; ++r)
      is_new[rows[at + r]] = written.count(entries[rows[at + r]].inst->sop_instance_uid) > 0;
  }
}

void CatalogWriter::upsert_files(const std::vector<BatchEntry>& entries,
                                 const std::vector<std::size_t>& rows, std::size_t per_statement,
                                 const std::vector<bool>& is_new) {
  for (std::size_t at = 0; at < rows.size(); at += per_statement) {
    const std::size_t n = std::min(per_statement, rows.size() - at);
    auto& st = statement_for(st_->files, db_, n, kFileInsert, kFileColumns, kFileUpsert);
    for (std::size_t r = 0; r < n; ++r) {
      const std::size_t k = rows[at + r];
      const auto& in = *entries[k].inst;
      bind_file(st, static_cast<int>(r) * kFileColumns, in.file,
                is_new[k] ? "ingested" : "duplicate", &in.sop_instance_uid, run_id_);
    }
    st.step();
  }
}

std::vector<bool> CatalogWriter::write_batch(const std::vector<BatchEntry>& entries) {
  std::vector<bool> is_new(entries.size(), false);
  for (const auto& e : entries) {
    if (!e.new_path) conflicts_.forget(e.inst->file.path);  // read again: judged again below
    write_parents(*e.inst);
  }

  const auto [instances, uid_repeats] = split_repeats(entries.size(), [&](std::size_t k) {
    return std::string_view(entries[k].inst->sop_instance_uid);
  });
  upsert_instances(entries, instances, kRowsPerStatement, is_new);
  upsert_instances(entries, uid_repeats, 1, is_new);
  std::vector<const Instance*> copies;
  for (std::size_t k = 0; k < entries.size(); ++k)
    if (!is_new[k]) copies.push_back(entries[k].inst);
  if (!copies.empty()) conflicts_.check_duplicates(copies);

  const auto [files, path_repeats] = split_repeats(
      entries.size(), [&](std::size_t k) { return std::string_view(entries[k].inst->file.path); });
  upsert_files(entries, files, kRowsPerStatement, is_new);
  upsert_files(entries, path_repeats, 1, is_new);

  for (const auto& e : entries) {
    if (!e.new_path) clear_error(e.inst->file.path);
    // A re-read file's warning is replaced by what this read found.
    storage::Statement& w = e.inst->warning.empty() ? *st_->clear_warning : *st_->warning;
    if (e.inst->warning.empty() && e.new_path) continue;
    w.reset();
    w.bind_text(1, e.inst->file.path);
    if (!e.inst->warning.empty()) {
      w.bind_text(2, e.inst->warning);
      w.bind_int(3, run_id_);
    }
    w.step();
  }
  return is_new;
}

void CatalogWriter::clear_error(const std::string& path) {
  auto& c = *st_->clear_error;
  c.reset();
  c.bind_text(1, path);
  c.step();
}

void CatalogWriter::write(const Reject& rej, bool new_path) {
  if (!new_path) {
    conflicts_.forget(rej.file.path);
    auto& d = *st_->drop_stale_instance;
    d.reset();
    d.bind_text(1, rej.file.path);
    d.bind_text(2, rej.file.path);
    d.step();
  }

  auto& f = statement_for(st_->files, db_, 1, kFileInsert, kFileColumns, kFileUpsert);
  bind_file(f, 0, rej.file, "rejected", nullptr, run_id_);
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
