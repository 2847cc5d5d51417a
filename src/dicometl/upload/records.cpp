#include "dicometl/upload/records.hpp"

#include <algorithm>

#include "dicometl/catalog/embedded_sql.hpp"
#include "dicometl/model/utc_time.hpp"

namespace dicometl::upload {

const char* to_string(Status s) {
  switch (s) {
    case Status::kSent: return "sent";
    case Status::kAlreadyPresent: return "already_present";
    case Status::kFailed: return "failed";
  }
  return "failed";
}

void ensure_upload_schema(storage::Database& db) {
  const char* name = db.dialect() == storage::Dialect::kPostgres ? "postgres/upload.sql"
                                                                 : "sqlite/upload.sql";
  const char* sql = embedded_sql(name);
  if (!sql) throw storage::Error(std::string("missing embedded schema ") + name);
  db.execute(sql);
}

bool has_image_occurrence(storage::Database& db) {
  // Probing is portable across dialects and schemas on the search path; a missing table is the
  // expected answer, not a failure.
  try {
    auto st = db.prepare("SELECT image_occurrence_id, image_series_uid, wadors_uri "
                         "FROM image_occurrence WHERE 1 = 0");
    while (st->step()) {
    }
    return true;
  } catch (const storage::Error&) {
    return false;
  }
}

bool under_root(const std::string& path, const std::string& root) {
  std::string r = root;
  while (r.size() > 1 && r.back() == '/') r.pop_back();
  if (path == r) return true;
  if (r == "/") return path.size() > 1 && path[0] == '/';
  return path.size() > r.size() && path.compare(0, r.size(), r) == 0 && path[r.size()] == '/';
}

std::vector<UploadItem> load_items(storage::Database& db, const std::vector<std::string>& roots,
                                   bool with_image_occurrence) {
  std::string sql =
      "SELECT i.file_path, i.sop_instance_uid, i.sop_class_uid, i.transfer_syntax_uid, "
      "s.study_instance_uid, s.series_instance_uid, "
      "CASE WHEN f.status = 'missing' THEN 1 ELSE 0 END";
  sql += with_image_occurrence
             ? ", (SELECT min(io.image_occurrence_id) FROM image_occurrence io "
               "WHERE io.image_series_uid = s.series_instance_uid)"
             : ", NULL";
  sql +=
      " FROM instance i JOIN series s ON s.series_instance_uid = i.series_instance_uid "
      "LEFT JOIN file f ON f.path = i.file_path "
      "ORDER BY s.study_instance_uid, s.series_instance_uid, i.file_path";
  auto st = db.prepare(sql);
  std::vector<UploadItem> out;
  while (st->step()) {
    UploadItem it;
    it.path = st->column_text(0);
    if (!roots.empty() && std::none_of(roots.begin(), roots.end(), [&](const std::string& r) {
          return under_root(it.path, r);
        }))
      continue;
    it.sop_instance_uid = st->column_text(1);
    it.sop_class_uid = st->column_is_null(2) ? "" : st->column_text(2);
    it.transfer_syntax_uid = st->column_is_null(3) ? "" : st->column_text(3);
    it.study_uid = st->column_text(4);
    it.series_uid = st->column_text(5);
    it.missing = st->column_int(6) != 0;
    if (!st->column_is_null(7)) it.image_occurrence_id = st->column_int(7);
    out.push_back(std::move(it));
  }
  return out;
}

std::unordered_set<std::string> recorded_uploads(storage::Database& db,
                                                 const std::string& destination) {
  auto st = db.prepare(
      "SELECT sop_instance_id FROM file_upload_metadata WHERE destination = ? "
      "AND status IN ('sent', 'already_present')");
  st->bind_text(1, destination);
  std::unordered_set<std::string> out;
  while (st->step()) out.insert(st->column_text(0));
  return out;
}


UploadRecorder::UploadRecorder(storage::Database& db, std::string destination,
                               bool with_image_occurrence)
    : destination_(std::move(destination)) {
  upsert_ = db.prepare(
      "INSERT INTO file_upload_metadata (original_filename, sop_instance_id, image_occurrence_id, "
      "destination, instance_id, uploaded_filename, uploaded_datetime, status, error, attempts, "
      "transfer_syntax_uid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
      "ON CONFLICT (destination, sop_instance_id) DO UPDATE SET "
      "original_filename = excluded.original_filename, "
      "image_occurrence_id = excluded.image_occurrence_id, instance_id = excluded.instance_id, "
      "uploaded_filename = excluded.uploaded_filename, "
      "uploaded_datetime = excluded.uploaded_datetime, status = excluded.status, "
      "error = excluded.error, attempts = excluded.attempts, "
      "transfer_syntax_uid = excluded.transfer_syntax_uid");
  if (with_image_occurrence)
    wadors_ = db.prepare("UPDATE image_occurrence SET wadors_uri = ? WHERE image_series_uid = ?");
}

UploadRecorder::~UploadRecorder() = default;

void UploadRecorder::record(const UploadItem& item, const ItemResult& r) {
  upsert_->reset();
  upsert_->bind_text(1, item.path);
  upsert_->bind_text(2, item.sop_instance_uid);
  upsert_->bind_opt_int(3, item.image_occurrence_id);
  upsert_->bind_text(4, destination_);
  upsert_->bind_opt_text(5, r.server_id);
  upsert_->bind_opt_text(6, r.uploaded_url);
  upsert_->bind_text(7, utc_now_sql());
  upsert_->bind_text(8, to_string(r.status));
  upsert_->bind_opt_text(9, r.error);
  upsert_->bind_int(10, r.attempts);
  upsert_->bind_opt_text(11, r.transfer_syntax_uid);
  while (upsert_->step()) {
  }
}

void UploadRecorder::set_wadors_uri(const std::string& series_uid, const std::string& uri) {
  if (!wadors_) return;
  wadors_->reset();
  wadors_->bind_text(1, uri);
  wadors_->bind_text(2, series_uid);
  while (wadors_->step()) {
  }
}

}  // namespace dicometl::upload
