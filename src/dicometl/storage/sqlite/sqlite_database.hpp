#pragma once
#include <memory>
#include <string>

#include "dicometl/storage/database.hpp"

namespace dicometl::storage {

//! Opens (creating it if needed and `create`) an SQLite database in WAL mode, tuned for bulk
//! loading.
std::unique_ptr<Database> open_sqlite(const std::string& path, bool create = true);

}  // namespace dicometl::storage
