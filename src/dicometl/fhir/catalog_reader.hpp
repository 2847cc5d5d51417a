#pragma once
// Streams studies out of a catalog, one at a time, in a stable order (patient, study, series
// number, instance number), so memory holds one study whatever the size of the archive.
#include <functional>
#include <memory>
#include <string>

#include "dicometl/fhir/study_record.hpp"
#include "dicometl/storage/database.hpp"

namespace dicometl::fhir {

class CatalogReader {
 public:
  //! `include`: which studies to read by StudyInstanceUID (all when empty).
  explicit CatalogReader(storage::Database& db,
                         std::function<bool(const std::string&)> include = {});
  //! Fills `out` with the next study; false at the end. Throws storage::Error.
  bool next(StudyRecord& out);

 private:
  void read_row_into(StudyRecord& study);

  storage::Database& db_;
  std::function<bool(const std::string&)> include_;
  std::unique_ptr<storage::Statement> rows_;
  std::unique_ptr<storage::Statement> json_;
  bool pending_ = false;  //!< rows_ holds a row of the next study
  bool done_ = false;
};

//! Number of studies `CatalogReader` would return with no filter.
std::int64_t count_studies(storage::Database& db);

}  // namespace dicometl::fhir
