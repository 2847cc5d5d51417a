#pragma once
// The catalog side of an upload: which instances to send (from the catalog), which were sent to
// this destination before, and the file_upload_metadata rows and wadors_uri values written back.
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include "dicometl/storage/database.hpp"
#include "dicometl/upload/item.hpp"

namespace dicometl::upload {

//! Creates file_upload_metadata if missing (sql/<dialect>/upload.sql).
void ensure_upload_schema(storage::Database& db);

//! True when an OMOP image_occurrence table is reachable in this database.
bool has_image_occurrence(storage::Database& db);

//! The catalog's instances, sorted by study, series and path; only those whose file lies under
//! one of `roots` when any are given (paths compared as the walk records them).
std::vector<UploadItem> load_items(storage::Database& db, const std::vector<std::string>& roots,
                                   bool with_image_occurrence);

//! True when `path` is `root` or lies below it.
bool under_root(const std::string& path, const std::string& root);

//! SOP Instance UIDs recorded as sent (or found present) at `destination` by earlier runs.
std::unordered_set<std::string> recorded_uploads(storage::Database& db, const std::string& destination);

//! Writes outcomes; call inside a transaction.
class UploadRecorder {
 public:
  UploadRecorder(storage::Database& db, std::string destination, bool with_image_occurrence);
  ~UploadRecorder();
  void record(const UploadItem& item, const ItemResult& result);
  //! image_occurrence.wadors_uri of the series (only with an image_occurrence table).
  void set_wadors_uri(const std::string& series_uid, const std::string& uri);

 private:
  std::string destination_;
  std::unique_ptr<storage::Statement> upsert_, wadors_;
};

}  // namespace dicometl::upload
