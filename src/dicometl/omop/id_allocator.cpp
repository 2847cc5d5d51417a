#include "dicometl/omop/id_allocator.hpp"

#include <algorithm>

namespace dicometl::omop {

namespace {
// The CDM's ids are 32-bit integers.
constexpr std::int64_t kMaxCdmId = 2147483647;
}  // namespace

IdAllocator::IdAllocator(storage::Database& db, const std::string& map_table) : db_(db) {
  select_ = db.prepare("SELECT id FROM " + map_table + " WHERE kind = ? AND source_key = ?");
  insert_ = db.prepare("INSERT INTO " + map_table + " (kind, source_key, id) VALUES (?, ?, ?)");
  claim_ = db.prepare("INSERT INTO " + map_table + " (kind, source_key, id) VALUES (?, ?, ?) "
                      "ON CONFLICT (kind, source_key) DO NOTHING RETURNING id");
  map_max_ = db.prepare("SELECT coalesce(max(id), 0) FROM " + map_table + " WHERE kind = ?");
}

void IdAllocator::add_kind(const std::string& kind, std::string max_sql) {
  max_sql_[kind] = std::move(max_sql);
}

std::int64_t IdAllocator::next(const std::string& kind) {
  auto it = next_.find(kind);
  if (it == next_.end()) {
    map_max_->reset();
    map_max_->bind_text(1, kind);
    std::int64_t top = map_max_->step() ? map_max_->column_int(0) : 0;
    auto q = db_.prepare(max_sql_.at(kind));
    if (q->step() && !q->column_is_null(0)) top = std::max(top, q->column_int(0));
    it = next_.emplace(kind, top + 1).first;
  }
  const std::int64_t id = it->second++;
  if (id > kMaxCdmId && kind != "dicom_file_metadata")
    throw storage::Error("OMOP ids for " + kind + " exhausted the CDM's 32-bit integer range");
  return id;
}

std::int64_t IdAllocator::find(const std::string& kind, std::string_view key) {
  select_->reset();
  select_->bind_text(1, kind);
  select_->bind_text(2, key);
  return select_->step() ? select_->column_int(0) : 0;
}

IdAllocator::Id IdAllocator::get(const std::string& kind, std::string_view key) {
  if (auto id = find(kind, key)) return {id, false};
  const std::int64_t id = next(kind);
  insert_->reset();
  insert_->bind_text(1, kind);
  insert_->bind_text(2, key);
  insert_->bind_int(3, id);
  insert_->step();
  return {id, true};
}

IdAllocator::Id IdAllocator::claim(const std::string& kind, std::string_view key) {
  const std::int64_t id = next(kind);
  claim_->reset();
  claim_->bind_text(1, kind);
  claim_->bind_text(2, key);
  claim_->bind_int(3, id);
  if (claim_->step()) {
    claim_->step();  // consume the statement's end
    return {id, true};
  }
  --next_.at(kind);  // not used: the next new key gets it, so ids stay dense
  return {0, false};
}

}  // namespace dicometl::omop
