#pragma once
// Integer ids for OMOP rows. A table dicometl_omop_id maps (kind, DICOM key) → id, so a re-run
// finds the id it gave before; new ids continue above both that table and the target table's
// own maximum, so rows written by others are never collided with. Allocation happens under the
// writer lock every dicometl transaction holds (SQLite BEGIN IMMEDIATE; PostgreSQL an advisory
// transaction lock), so two concurrent runs cannot hand out the same id.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

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
  //! get() for many keys ahead of use, in two statements; the get() calls that follow (in key
  //! order, within the same transaction) are answered from memory. Only for keys that will be
  //! used: a prefetched key is recorded as having an id.
  void prefetch(const std::string& kind, const std::vector<std::string_view>& keys);
  //! For callers that need ids only when new: {new id, true} per key, or {0, false} when (kind,
  //! key) already has one. Two statements for all keys (which have ids; one insert for the
  //! rest): one round trip per image was most of a bulk load's waiting. Ids are given in key
  //! order; a key repeated in `keys` is fresh at most once.
  std::vector<Id> claim_many(const std::string& kind, const std::vector<std::string_view>& keys);
  //! The id of (kind, key) if one was given before.
  std::int64_t find(const std::string& kind, std::string_view key);
  //! A new id of `kind` with no key (rows that are never looked up, e.g. metadata elements).
  std::int64_t next(const std::string& kind);
  //! Forget counters and prefetched ids: after a commit another writer may allocate.
  void end_batch() {
    next_.clear();
    prefetched_.clear();
  }

 private:
  storage::Database& db_;
  std::string map_table_;
  std::unique_ptr<storage::Statement> select_, insert_, map_max_;
  // Ids the next get() calls will ask for: "kind\x1fkey" → id.
  std::unordered_map<std::string, Id> prefetched_;
  // Which of up to kChunk keys have ids (→ source_key, id); one insert for the others.
  std::vector<Id> resolve(const std::string& kind, const std::vector<std::string_view>& keys,
                          std::size_t at, std::size_t n, bool claim);
  std::size_t inserted_ = 0, analyze_at_ = 256;  // rows this run added; next statistics refresh
  // claim_many's and prefetch's statements by key count.
  std::map<std::size_t, std::unique_ptr<storage::Statement>> select_many_, insert_many_;
  std::unordered_map<std::string, std::string> max_sql_;
  std::unordered_map<std::string, std::int64_t> next_;
};

}  // namespace dicometl::omop
