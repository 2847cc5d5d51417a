#pragma once
// Files that contradict what the catalog already holds (README: the conflict table). The
// first-seen values stay in patient/study/instance; each file that differs gets a conflict row
// per attribute, naming both values and both files.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "dicometl/model/instance.hpp"
#include "dicometl/storage/database.hpp"

namespace dicometl::catalog {

//! A patient row as first written (values as the table holds them; NULL is empty).
struct FirstPatient {
  std::string name, sex, birth_date, source_path;
};
//! A study row as first written.
struct FirstStudy {
  std::string patient_id, source_path;
};

class ConflictLog {
 public:
  //! `db` must outlive the log; the schema must exist.
  explicit ConflictLog(storage::Database& db);
  ~ConflictLog();
  ConflictLog(const ConflictLog&) = delete;
  ConflictLog& operator=(const ConflictLog&) = delete;

  void set_run(std::int64_t run_id) { run_id_ = run_id; }
  //! Rows written so far by this log (a run's count).
  std::uint64_t written() const { return written_; }

  //! The patient's name, sex or birth date differs from the first-seen ones.
  void check_patient(const FirstPatient& first, const Instance& in);
  //! The study was first seen under another PatientID.
  void check_study(const FirstStudy& first, const Instance& in);
  //! Instances whose SOP Instance UID the catalog holds from another file: compares the key
  //! attributes (patient, study, series, SOP class) with that file's. One query per call.
  void check_duplicates(const std::vector<const Instance*>& copies);
  //! A file read again: what it said before no longer counts.
  void forget(const std::string& path);

 private:
  void record(const char* kind, const std::string& key, const char* attribute,
              const std::string& first_value, const std::string& first_path,
              const std::string& other_value, const Instance& other);

  storage::Database& db_;
  std::unique_ptr<storage::Statement> insert_, forget_;
  std::int64_t run_id_ = 0;
  std::uint64_t written_ = 0;
  // Whether the table may hold rows this run could have to forget. Other processes only write
  // rows for the files they read (shards split files), so a run's own writes are what can add.
  bool any_ = false;
};

}  // namespace dicometl::catalog
