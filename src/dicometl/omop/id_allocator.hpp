#pragma once
// Integer ids for OMOP rows. A table dicometl_omop_id maps (kind, DICOM key) → id, so a re-run
// finds the id it gave before; new ids continue above both that table and the target table's
// own maximum, so rows written by others are never collided with. Allocation happens under the
// writer lock every dicometl transaction holds (SQLite BEGIN IMMEDIATE; PostgreSQL an advisory
// transaction lock), so two concurrent runs cannot hand out the same id.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "dicometl/storage/database.hpp"

namespace dicometl::omop {

class IdAllocator {
 public:
  //! `map_table`: the quoted dicometl_omop_id table.
  IdAllocator(storage::Database& db, const std::string& map_table);
  //! Declares a kind and the SQL giving its target table's largest id (one column, one row).
  void add_kind(const std::string& kind, std::string max_sql);
  struct Id {
    std::int64_t id;
    bool fresh;  //!< allocated now: its rows are still to be written
  };
  //! The id of (kind, key), allocating and recording one when new.
  Id get(const std::string& kind, std::string_view key);
  //! Like get() for callers that need the id only when it is new (one statement instead of
  //! two): returns {new id, true}, or {0, false} when (kind, key) already has one.
  Id claim(const std::string& kind, std::string_view key);
  //! The id of (kind, key) if one was given before.
  std::int64_t find(const std::string& kind, std::string_view key);
  //! A new id of `kind` with no key (rows that are never looked up, e.g. metadata elements).
  std::int64_t next(const std::string& kind);
  //! Forget counters: after a commit another writer may allocate.
  void end_batch() { next_.clear(); }

 private:
  storage::Database& db_;
  std::unique_ptr<storage::Statement> select_, insert_, claim_, map_max_;
  std::unordered_map<std::string, std::string> max_sql_;
  std::unordered_map<std::string, std::int64_t> next_;
};

}  // namespace dicometl::omop
