#include "dicometl/storage/sqlite/sqlite_database.hpp"

#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace dicometl::storage {

namespace {

class SqliteStatement final : public Statement {
 public:
  SqliteStatement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~SqliteStatement() override { sqlite3_finalize(stmt_); }
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  void bind_null(int i) override { check(sqlite3_bind_null(stmt_, i)); }
  void bind_int(int i, std::int64_t v) override { check(sqlite3_bind_int64(stmt_, i, v)); }
  void bind_double(int i, double v) override { check(sqlite3_bind_double(stmt_, i, v)); }
  void bind_text(int i, std::string_view v) override {
    // SQLITE_TRANSIENT: the caller's buffer may die before step().
    check(sqlite3_bind_text64(stmt_, i, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
  }
  void bind_text_unowned(int i, std::string_view v) override {
    check(sqlite3_bind_text64(stmt_, i, v.data(), v.size(), SQLITE_STATIC, SQLITE_UTF8));
  }
  bool step() override {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    std::string msg = sqlite3_errmsg(db_);
    sqlite3_reset(stmt_);
    throw Error("SQLite: " + msg);
  }
  void reset() override {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  bool column_is_null(int i) const override { return sqlite3_column_type(stmt_, i) == SQLITE_NULL; }
  std::int64_t column_int(int i) const override { return sqlite3_column_int64(stmt_, i); }
  double column_double(int i) const override { return sqlite3_column_double(stmt_, i); }
  std::string column_text(int i) const override {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, i));
    return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, i)))
             : std::string();
  }

 private:
  void check(int rc) const {
    if (rc != SQLITE_OK) throw Error(std::string("SQLite bind: ") + sqlite3_errmsg(db_));
  }
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

// During a bulk load, WAL checkpoints (copying committed pages into the database file, with
// fsync) cost as much as the inserts themselves when run inline at commit. This thread runs them
// on its own connection, overlapping the I/O with parsing; SQLite allows a checkpoint beside a
// writer, and a process crash loses nothing committed. The writer's WAL hook asks for one after
// any commit that leaves more than kWalLimit in the WAL: the WAL then restarts from its start
// instead of growing to the size of the whole catalog, and the run's last checkpoint is short.
class BackgroundCheckpointer {
 public:
  static constexpr std::int64_t kWalLimit = 16 << 20;

  explicit BackgroundCheckpointer(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
      sqlite3_close_v2(db_);
      db_ = nullptr;
      return;  // no background checkpoints: the writer's final checkpoint still runs
    }
    sqlite3_busy_timeout(db_, 1000);
    // A connection learns that the file is in WAL mode on its first read; until then a
    // checkpoint call is a silent no-op (it reports -1 frames).
    sqlite3_exec(db_, "SELECT count(*) FROM sqlite_master", nullptr, nullptr, nullptr);
    thread_ = std::thread([this] { run(); });
  }
  ~BackgroundCheckpointer() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
    sqlite3_close_v2(db_);
  }
  BackgroundCheckpointer(const BackgroundCheckpointer&) = delete;
  BackgroundCheckpointer& operator=(const BackgroundCheckpointer&) = delete;

  //! Called by the writer after a commit: `wal_bytes` are in the WAL now.
  void committed(std::int64_t wal_bytes) {
    if (wal_bytes <= kWalLimit) return;
    {
      std::lock_guard lock(mu_);
      wanted_ = true;
    }
    cv_.notify_one();
  }
  //! Called by the writer after a commit that left the WAL past its bound: waits for a running
  //! background checkpoint (SQLite lets one run at a time), then checkpoints on the writer's
  //! connection in RESTART mode, so that the next transaction writes the WAL from its start.
  void restart(sqlite3* writer) {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return !running_; });
    running_ = true;  // the background thread does not start one meanwhile
    wanted_ = false;
    lock.unlock();
    sqlite3_wal_checkpoint_v2(writer, nullptr, SQLITE_CHECKPOINT_RESTART, nullptr, nullptr);
    lock.lock();
    running_ = false;
  }
  //! Checkpoints run so far that copied frames (for tests and profiles).
  int checkpoints() const { return done_.load(); }

 private:
  void run() {
    std::unique_lock lock(mu_);
    for (;;) {
      cv_.wait(lock, [&] { return stop_ || (wanted_ && !running_); });
      if (stop_) return;
      wanted_ = false;
      running_ = true;
      lock.unlock();
      int frames = 0, copied = 0;
      if (sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, &frames, &copied) ==
              SQLITE_OK &&
          copied > 0)
        ++done_;
      lock.lock();
      running_ = false;
      cv_.notify_all();  // a writer may wait in restart()
    }
  }
  sqlite3* db_ = nullptr;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false, wanted_ = false, running_ = false;
  std::atomic<int> done_{0};
};

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  ~SqliteDatabase() override {
    checkpointer_.reset();
    sqlite3_close_v2(db_);
  }
  SqliteDatabase(const SqliteDatabase&) = delete;
  SqliteDatabase& operator=(const SqliteDatabase&) = delete;

  Dialect dialect() const override { return Dialect::kSqlite; }
  void execute(std::string_view sql) override {
    std::string s(sql);
    char* err = nullptr;
    if (sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : "unknown error";
      sqlite3_free(err);
      throw Error("SQLite: " + msg);
    }
  }
  std::unique_ptr<Statement> prepare(std::string_view sql) override {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr) !=
        SQLITE_OK)
      throw Error(std::string("SQLite prepare: ") + sqlite3_errmsg(db_) +
                  " in: " + std::string(sql));
    return std::make_unique<SqliteStatement>(db_, stmt);
  }
  // IMMEDIATE: take the write lock up front so two writers queue instead of deadlocking.
  void begin() override { execute("BEGIN IMMEDIATE"); }
  void commit() override { execute("COMMIT"); }
  void rollback() override {
    try {
      if (!sqlite3_get_autocommit(db_)) execute("ROLLBACK");
    } catch (const Error&) {
      // Never replace the error in flight (Database::rollback's promise).
    }
  }
  std::string display_name() const override { return "sqlite:" + path_; }
  bool has_relation(const std::string& name) override {
    std::string bare;
    for (char c : name)
      if (c != '"') bare += c;
    auto q = prepare(
        "SELECT 1 FROM sqlite_master WHERE type IN ('table', 'view', 'index') AND name = ?");
    q->bind_text(1, bare);
    return q->step();
  }

  void bulk_load(bool on) override {
    if (on && !checkpointer_) {
      auto q = prepare("PRAGMA page_size");
      page_size_ = q->step() ? q->column_int(0) : 4096;
      checkpointer_ = std::make_unique<BackgroundCheckpointer>(path_);
      // Replaces SQLite's own hook (wal_autocheckpoint), which checkpoints inline.
      sqlite3_wal_hook(db_, &SqliteDatabase::on_commit, this);
    } else if (!on && checkpointer_) {
      execute("PRAGMA wal_autocheckpoint=1000");  // reinstalls SQLite's hook
      checkpointer_.reset();
      sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    }
  }

 private:
  // SQLite's WAL hook: runs inside every commit, so it only passes the WAL's size on.
  // Past kWalBound it also restarts the WAL itself. The background checkpoints alone could not:
  // SQLite starts the WAL over only when a write transaction begins after every frame was copied,
  // and a writer committing batch after batch always began while the copy of its previous batch
  // was still running, so the WAL grew to the size of the catalog (11.6 GB beside a 3.6 GB
  // database on one million files). The background checkpoint has copied most frames by then,
  // so what the writer waits for here is short.
  static int on_commit(void* self, sqlite3* db, const char*, int frames) {
    auto* me = static_cast<SqliteDatabase*>(self);
    if (!me->checkpointer_) return SQLITE_OK;
    const std::int64_t wal_bytes = std::int64_t{frames} * me->page_size_;
    if (wal_bytes > kWalBound)
      me->checkpointer_->restart(db);
    else
      me->checkpointer_->committed(wal_bytes);
    return SQLITE_OK;  // a busy checkpoint is tried again after the next commit
  }
  static constexpr std::int64_t kWalBound = 64 << 20;

  sqlite3* db_;
  std::string path_;
  std::int64_t page_size_ = 4096;
  std::unique_ptr<BackgroundCheckpointer> checkpointer_;
};

}  // namespace

std::unique_ptr<Database> open_sqlite(const std::string& path, bool create) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db,
                           SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0), nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close_v2(db);
    if (!create && rc == SQLITE_CANTOPEN && ::access(path.c_str(), F_OK) != 0)
      throw Error("no SQLite database " + path +
                  " (this command reads a catalog; it creates none)");
    throw Error("cannot open SQLite database " + path + ": " + msg);
  }
  sqlite3_busy_timeout(db, 60000);
  auto out = std::make_unique<SqliteDatabase>(db, path);
  // WAL + NORMAL: a committed batch survives a killed process; readers never block the writer.
  // 32 KiB pages (new databases only): a catalog row carries 3–14 KB of DICOM JSON; against
  // 16 KiB, the catalog writer alone costs ~20% less CPU on scanner headers (fewer page writes
  // and checkpoint copies) and ~10% less on small ones (bench/catalog_write_floor.cpp).
  // 16 MiB of page cache: a bigger cache is mostly fresh memory that each new page faults in
  // (64 MiB made the 10k-slice first run 15% slower); a smaller one slows large archives.
  out->execute(
      "PRAGMA page_size=32768; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
      "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY; PRAGMA cache_size=-16384;");
  return out;
}

}  // namespace dicometl::storage
