#include "dicometl/storage/database.hpp"
#include "dicometl/storage/postgres/postgres_database.hpp"
#include "dicometl/storage/sqlite/sqlite_database.hpp"

namespace dicometl::storage {

namespace {
bool starts_with(const std::string& s, std::string_view p) { return s.rfind(p, 0) == 0; }
bool ends_with(const std::string& s, std::string_view p) {
  return s.size() >= p.size() && s.compare(s.size() - p.size(), p.size(), p) == 0;
}
}  // namespace

std::unique_ptr<Database> open_database(const std::string& url, OpenMode mode) {
  const bool create = mode == OpenMode::kCreate;
  if (starts_with(url, "sqlite:")) {
    std::string path = url.substr(7);
    if (starts_with(path, "//")) path = path.substr(2);  // sqlite:///abs/path
    if (path.empty()) throw Error("sqlite URL without a file: use sqlite:PATH");
    return open_sqlite(path, create);
  }
  if (starts_with(url, "postgresql://") || starts_with(url, "postgres://") ||
      url.find("dbname=") != std::string::npos || url.find("host=") != std::string::npos)
    return open_postgres(url);
  if (ends_with(url, ".db") || ends_with(url, ".sqlite") || ends_with(url, ".sqlite3"))
    return open_sqlite(url, create);
  throw Error("unrecognised database URL (expected sqlite:PATH or postgresql://...)");
}

}  // namespace dicometl::storage
