// Files deleted since an earlier run: kept in the catalog, marked 'missing' (README: the file
// table).
#include <string>
#include <vector>

#include "dicometl/catalog/catalog_writer.hpp"
#include "dicometl/model/utc_time.hpp"

namespace dicometl::catalog {

namespace {

bool under(const std::string& path, const std::string& root) {
  return path == root || (path.size() > root.size() && path.compare(0, root.size(), root) == 0 &&
                          (root == "/" || path[root.size()] == '/'));
}

// Folders per query: one round trip for many small folders, far below parameter limits.
constexpr std::size_t kFoldersPerQuery = 64;

}  // namespace

std::vector<std::string> unseen_files(storage::Database& db, const std::vector<std::string>& roots,
                                      const std::function<bool(const std::string&)>& unseen,
                                      std::int64_t run_id) {
  if (roots.empty()) return {};
  // Folders are few next to files: list them, keep those a root covers (a root that is a file
  // covers a row of its parent folder).
  std::vector<std::string> dirs;
  {
    auto q = db.prepare("SELECT DISTINCT dir FROM file");
    while (q->step()) {
      std::string dir = q->column_text(0);
      for (const auto& r : roots)
        if (under(dir, r) || parent_dir(r) == dir) {
          dirs.push_back(std::move(dir));
          break;
        }
    }
  }
  std::vector<std::string> gone;
  for (std::size_t at = 0; at < dirs.size(); at += kFoldersPerQuery) {
    const std::size_t n = std::min(kFoldersPerQuery, dirs.size() - at);
    auto q =
        db.prepare("SELECT path FROM file WHERE status <> 'missing' AND run_id <> ? AND dir IN " +
                   storage::placeholders(1, n));
    q->bind_int(1, run_id);
    for (std::size_t k = 0; k < n; ++k) q->bind_text(static_cast<int>(k) + 2, dirs[at + k]);
    while (q->step()) {
      std::string path = q->column_text(0);
      if (unseen(path)) gone.push_back(std::move(path));
    }
  }
  return gone;
}

std::uint64_t mark_missing(storage::Database& db, const std::vector<std::string>& gone,
                           std::int64_t run_id) {
  if (gone.empty()) return 0;
  storage::in_transaction(db, [&] {
    auto u = db.prepare(
        "UPDATE file SET status = 'missing', missing_since = ?, run_id = ? WHERE path = ?");
    const std::string now = utc_now_iso8601();
    for (const auto& p : gone) {
      u->reset();
      u->bind_text(1, now);
      u->bind_int(2, run_id);
      u->bind_text(3, p);
      u->step();
    }
  });
  return gone.size();
}

}  // namespace dicometl::catalog
