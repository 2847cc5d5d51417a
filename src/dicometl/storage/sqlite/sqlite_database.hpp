#pragma once
#include <memory>
#include <string>

#include "dicometl/storage/database.hpp"

namespace dicometl::storage {

//! Opens (creating if needed) an SQLite database in WAL mode, tuned for bulk loading.
std::unique_ptr<Database> open_sqlite(const std::string& path);

}  // namespace dicometl::storage
