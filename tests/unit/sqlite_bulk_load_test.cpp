// SQLite bulk loads checkpoint the WAL in the background: the database file grows while the
// load goes on, instead of the WAL holding the whole catalog until the end.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <thread>

#include "dicometl/storage/database.hpp"

namespace {

off_t file_size(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? st.st_size : 0;
}

TEST(SqliteBulkLoad, CheckpointsWhileLoading) {
  const std::string path = ::testing::TempDir() + "bulk_load_" + std::to_string(::getpid()) + ".db";
  for (const char* suffix : {"", "-wal", "-shm"}) ::unlink((path + suffix).c_str());
  auto db = dicometl::storage::open_database("sqlite:" + path);
  db->execute("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)");
  const off_t empty = file_size(path);

  db->bulk_load(true);
  const std::string body(8000, 'x');
  int id = 0;
  for (int txn = 0; txn < 12; ++txn) {  // 12 commits of ~3 MB: past the 16 MiB WAL limit
    dicometl::storage::in_transaction(*db, [&] {
      auto insert = db->prepare("INSERT INTO t (id, body) VALUES (?, ?)");
      for (int k = 0; k < 400; ++k) {
        insert->reset();
        insert->bind_int(1, ++id);
        insert->bind_text(2, body);
        insert->step();
      }
    });
  }
  // The checkpoint runs on another thread: give it a moment, still inside the bulk load.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (file_size(path) < (8 << 20) && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_GE(file_size(path), 8 << 20)
      << "no pages reached the database file during the load (empty: " << empty << " bytes)";
  db->bulk_load(false);

  auto count = db->prepare("SELECT count(*), sum(length(body)) FROM t");
  ASSERT_TRUE(count->step());
  EXPECT_EQ(count->column_int(0), id);
  EXPECT_EQ(count->column_int(1), static_cast<std::int64_t>(id) * 8000);
  db.reset();
  for (const char* suffix : {"", "-wal", "-shm"}) ::unlink((path + suffix).c_str());
}

// The WAL stays bounded however long the load: it does not grow to the size of the catalog.
TEST(SqliteBulkLoad, WalStaysBoundedOnALongLoad) {
  const std::string path = ::testing::TempDir() + "bulk_wal_" + std::to_string(::getpid()) + ".db";
  for (const char* suffix : {"", "-wal", "-shm"}) ::unlink((path + suffix).c_str());
  auto db = dicometl::storage::open_database("sqlite:" + path);
  db->execute("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)");
  db->bulk_load(true);
  const std::string body(8000, 'y');
  int id = 0;
  off_t largest_wal = 0;
  for (int txn = 0; txn < 18; ++txn) {  // 18 commits of ~8 MB: 144 MB in all
    dicometl::storage::in_transaction(*db, [&] {
      auto insert = db->prepare("INSERT INTO t (id, body) VALUES (?, ?)");
      for (int k = 0; k < 1000; ++k) {
        insert->reset();
        insert->bind_int(1, ++id);
        insert->bind_text(2, body);
        insert->step();
      }
    });
    largest_wal = std::max(largest_wal, file_size(path + "-wal"));
  }
  db->bulk_load(false);
  // The bound (64 MiB) plus the commit that crossed it; before, the WAL held all 144 MB.
  EXPECT_LE(largest_wal, off_t{80} << 20);
  auto count = db->prepare("SELECT count(*) FROM t");
  ASSERT_TRUE(count->step());
  EXPECT_EQ(count->column_int(0), id);
  db.reset();
  for (const char* suffix : {"", "-wal", "-shm"}) ::unlink((path + suffix).c_str());
}

}  // namespace
