#include "dicometl/omop/id_allocator.hpp"

#include <algorithm>

namespace dicometl::omop {

namespace {
// The CDM's ids are 32-bit integers.
constexpr std::int64_t kMaxCdmId = 2147483647;
// Keys per statement: three parameters each, far below SQLite's 32766.
constexpr std::size_t kChunk = 500;
std::string cache_key(const std::string& kind, std::string_view key) {
  return kind + '\x1f' + std::string(key);
}
}  // namespace

IdAllocator::IdAllocator(storage::Database& db, const std::string& map_table)
    : db_(db), map_table_(map_table) {
  select_ = db.prepare("SELECT id FROM " + map_table + " WHERE kind = ? AND source_key = ?");
  insert_ = db.prepare("INSERT INTO " + map_table + " (kind, source_key, id) VALUES (?, ?, ?)");
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
  if (!prefetched_.empty())
    if (auto it = prefetched_.find(cache_key(kind, key)); it != prefetched_.end()) {
      const Id id = it->second;
      prefetched_.erase(it);
      return id;
    }
  if (auto id = find(kind, key)) return {id, false};
  const std::int64_t id = next(kind);
  insert_->reset();
  insert_->bind_text(1, kind);
  insert_->bind_text(2, key);
  insert_->bind_int(3, id);
  insert_->step();
  return {id, true};
}

std::vector<IdAllocator::Id> IdAllocator::resolve(const std::string& kind,
                                                  const std::vector<std::string_view>& keys,
                                                  std::size_t at, std::size_t n, bool claim) {
  auto& select = select_many_[n];
  if (!select) {
    select = db_.prepare("SELECT source_key, id FROM " + map_table_ + " WHERE kind = ? AND source_key IN " +
                         storage::placeholders(1, n));
  }
  select->reset();
  select->bind_text(1, kind);
  for (std::size_t k = 0; k < n; ++k) select->bind_text(static_cast<int>(k) + 2, keys[at + k]);
  std::unordered_map<std::string, std::int64_t> known;
  while (select->step()) known.emplace(select->column_text(0), select->column_int(1));

  // Known keys keep their id (not fresh); the first occurrence of each other key gets the next id.
  std::vector<Id> out(n, Id{0, false});
  std::vector<std::size_t> fresh;
  for (std::size_t k = 0; k < n; ++k) {
    const std::string key(keys[at + k]);
    if (auto it = known.find(key); it != known.end()) {
      if (!claim) out[k] = {it->second, false};
      continue;
    }
    out[k] = {next(kind), true};
    known.emplace(key, out[k].id);
    fresh.push_back(k);
  }
  if (fresh.empty()) return out;
  auto& insert = insert_many_[fresh.size()];
  if (!insert) {
    insert = db_.prepare("INSERT INTO " + map_table_ + " (kind, source_key, id) VALUES " +
                         storage::placeholders(fresh.size(), 3));
  }
  insert->reset();
  int p = 0;
  for (std::size_t k : fresh) {
    insert->bind_text(++p, kind);
    insert->bind_text(++p, keys[at + k]);
    insert->bind_int(++p, out[k].id);
  }
  insert->step();
  // PostgreSQL plans the IN look-up above from the map's statistics; planned on a map that was
  // small or empty, it scans the whole table at every call (1.2 s of a 10k-slice load). Refresh
  // them as this run's rows double the map (ANALYZE also re-plans the prepared statements).
  inserted_ += fresh.size();
  if (db_.dialect() == storage::Dialect::kPostgres && inserted_ >= analyze_at_) {
    db_.execute("ANALYZE " + map_table_);
    analyze_at_ = inserted_ * 2;
  }
  return out;
}

std::vector<IdAllocator::Id> IdAllocator::claim_many(const std::string& kind,
                                                     const std::vector<std::string_view>& keys) {
  std::vector<Id> out;
  out.reserve(keys.size());
  for (std::size_t at = 0; at < keys.size(); at += kChunk) {
    const auto part = resolve(kind, keys, at, std::min(kChunk, keys.size() - at), /*claim=*/true);
    out.insert(out.end(), part.begin(), part.end());
  }
  return out;
}

void IdAllocator::prefetch(const std::string& kind, const std::vector<std::string_view>& keys) {
  for (std::size_t at = 0; at < keys.size(); at += kChunk) {
    const std::size_t n = std::min(kChunk, keys.size() - at);
    const auto part = resolve(kind, keys, at, n, /*claim=*/false);
    for (std::size_t k = 0; k < n; ++k)
      if (part[k].id) prefetched_.emplace(cache_key(kind, keys[at + k]), part[k]);
  }
}

}  // namespace dicometl::omop
