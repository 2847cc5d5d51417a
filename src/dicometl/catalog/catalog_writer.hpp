#pragma once
// Instance records and rejects → catalog rows. Knows the catalog schema; knows nothing of DCMTK
// or of how files were found.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "dicometl/catalog/conflicts.hpp"
#include "dicometl/model/instance.hpp"
#include "dicometl/storage/database.hpp"

namespace dicometl::catalog {

//! Counts a run reports; the same names appear in ingest_run and in the summary.
struct RunCounts {
  std::uint64_t seen = 0;        //!< files met by the walk
  std::uint64_t ingested = 0;    //!< new instances written
  std::uint64_t unchanged = 0;   //!< skipped: same path, size and mtime as before
  std::uint64_t duplicates = 0;  //!< an instance already catalogued, found again elsewhere
  std::uint64_t not_dicom = 0;   //!< rejected as not DICOM (incl. DICOMDIR, which is not an image)
  std::uint64_t failed = 0;      //!< DICOM that could not be read or lacks identifying UIDs
  std::uint64_t still_rejected = 0;  //!< unchanged files whose last read was a reject (not re-read)
  std::uint64_t missing = 0;    //!< catalogued files under the roots that the walk no longer found
  std::uint64_t conflicts = 0;  //!< conflict rows written (catalog/conflicts.hpp)
  double seconds = 0;
  //! Inputs of this run that are not instances: what exit code 1 reports.
  std::uint64_t rejected() const { return not_dicom + failed + still_rejected; }
};

//! Creates the catalog tables if missing (idempotent) and checks the schema version. With
//! `allow_deferred_indexes`, an empty catalog gets its secondary indexes later (returns true:
//! call ensure_indexes() after loading); otherwise they are created now (returns false).
bool ensure_schema(storage::Database& db, bool allow_deferred_indexes = false);
//! Creates the secondary indexes if missing (sql/<dialect>/catalog_indexes.sql).
void ensure_indexes(storage::Database& db);

class CatalogWriter {
 public:
  //! `db` must outlive the writer; the schema must exist.
  explicit CatalogWriter(storage::Database& db);
  ~CatalogWriter();
  CatalogWriter(const CatalogWriter&) = delete;
  CatalogWriter& operator=(const CatalogWriter&) = delete;

  //! Opens a run row (committed at once, so a killed run is visible as 'running').
  std::int64_t start_run(const std::string& tool_version);
  void finish_run(const RunCounts& counts, bool ok);
  std::int64_t run_id() const { return run_id_; }
  //! Conflict rows written by this writer (catalog/conflicts.hpp).
  std::uint64_t conflicts() const { return conflicts_.written(); }

  //! Records a file that did not become an instance (and drops a stale instance at its path).
  void write(const Reject& rej, bool new_path = false);

  struct BatchEntry {
    const Instance* inst;
    std::string_view dicom_json;
    bool new_path;
  };
  //! Writes instances, one multi-row upsert per table and 64 rows (per-statement round trips are
  //! what a networked database charges for). is_new per entry: false when its SOP Instance UID
  //! was already catalogued at another path (the file is then recorded as a duplicate).
  //! `dicom_json` is to_dicom_json(inst.dataset), made by reader threads; `new_path`: the catalog
  //! has no row for this path yet, so there is no stale error to clear. Call inside a transaction.
  std::vector<bool> write_batch(const std::vector<BatchEntry>& entries);

 private:
  void write_parents(const Instance& in);
  void upsert_instances(const std::vector<BatchEntry>& entries, const std::vector<std::size_t>& rows,
                        std::size_t per_statement, std::vector<bool>& is_new);
  void upsert_files(const std::vector<BatchEntry>& entries, const std::vector<std::size_t>& rows,
                    std::size_t per_statement, const std::vector<bool>& is_new);
  void clear_error(const std::string& path);
  const FirstPatient& write_patient(const Instance& in);
  const FirstStudy& write_study(const Instance& in);
  void write_series(const Instance& in);

  struct Statements;
  storage::Database& db_;
  std::unique_ptr<Statements> st_;
  std::int64_t run_id_ = 0;
  ConflictLog conflicts_;
  // Patients and studies as first written (by this run or before), to compare every file with:
  // consecutive files mostly share them, so most files cost a look-up here and no statement.
  // Bounded: cleared when full (a cleared entry costs one INSERT and one SELECT again).
  std::unordered_map<std::string, FirstPatient> patients_;
  std::unordered_map<std::string, FirstStudy> studies_;
  // Consecutive files mostly share a series: skip re-inserting it. Empty until the first write.
  std::optional<std::string> last_series_;
};

//! The parent folder of a path, as the file table's `dir` column holds it.
std::string parent_dir(const std::string& path);

//! The catalogued files under `roots` (catalog paths) that are not missing already, were not
//! written by run `run_id`, and that `unseen` says the run's walk did not meet. Reads the
//! catalog folder by folder (bounded memory).
std::vector<std::string> unseen_files(storage::Database& db, const std::vector<std::string>& roots,
                                      const std::function<bool(const std::string&)>& unseen,
                                      std::int64_t run_id);
//! Sets status 'missing', missing_since (now) and run_id on these files. Returns how many.
std::uint64_t mark_missing(storage::Database& db, const std::vector<std::string>& paths,
                           std::int64_t run_id);

}  // namespace dicometl::catalog
