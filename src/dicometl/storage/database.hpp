#pragma once
// The small storage interface every output writes through. Backends live in sqlite/ and
// postgres/, the only folders that include their client library headers.
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace dicometl::storage {

//! A storage failure stops the run (the database is gone, the disk is full, SQL is wrong).
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class Dialect { kSqlite, kPostgres };

//! A prepared statement with positional parameters written `?` (backends translate).
class Statement {
 public:
  virtual ~Statement() = default;
  virtual void bind_null(int index) = 0;  //!< 1-based, as SQL numbers parameters
  virtual void bind_int(int index, std::int64_t value) = 0;
  virtual void bind_double(int index, double value) = 0;
  virtual void bind_text(int index, std::string_view value) = 0;
  //! bind_text without a copy, for large values (an instance's DICOM JSON): `value` must stay as
  //! it is until step() has run with it, and the parameter must be bound again before any later step.
  virtual void bind_text_unowned(int index, std::string_view value) { bind_text(index, value); }
  //! Runs the statement; true while a result row is available.
  virtual bool step() = 0;
  //! Ready to bind and run again.
  virtual void reset() = 0;
  virtual bool column_is_null(int index) const = 0;  //!< 0-based, as result columns are
  virtual std::int64_t column_int(int index) const = 0;
  virtual double column_double(int index) const = 0;
  virtual std::string column_text(int index) const = 0;

  // Convenience binders: empty text and absent numbers become NULL.
  void bind_opt_text(int index, std::string_view value) {
    value.empty() ? bind_null(index) : bind_text(index, value);
  }
  void bind_opt_int(int index, const std::optional<std::int64_t>& v) {
    v ? bind_int(index, *v) : bind_null(index);
  }
  void bind_opt_double(int index, const std::optional<double>& v) {
    v ? bind_double(index, *v) : bind_null(index);
  }
};

//! Appends many rows to one table: COPY on PostgreSQL, a prepared INSERT elsewhere. Fields are
//! given in the column order passed to Database::bulk_append; rows may be buffered until flush().
class BulkWriter {
 public:
  virtual ~BulkWriter() = default;
  virtual void null() = 0;
  virtual void integer(std::int64_t value) = 0;
  virtual void real(double value) = 0;
  virtual void text(std::string_view value) = 0;
  virtual void end_row() = 0;
  //! Sends buffered rows; call before commit. Other statements may run between flushes only.
  //! The server may still be storing them when flush returns (PostgreSQL): a failure is then
  //! reported by the connection's next statement, at the latest by commit().
  virtual void flush() = 0;

  void opt_text(std::string_view v) { v.empty() ? null() : text(v); }
  void opt_integer(const std::optional<std::int64_t>& v) { v ? integer(*v) : null(); }
  void opt_real(const std::optional<double>& v) { v ? real(*v) : null(); }
};

//! `rows` groups of `columns` parameters, "(?,?),(?,?)": for VALUES lists and IN lists.
std::string placeholders(std::size_t rows, std::size_t columns);

//! The generic BulkWriter: a prepared multi-row INSERT (what SQLite uses).
std::unique_ptr<BulkWriter> make_insert_bulk_writer(class Database& db, std::string table,
                                                    std::vector<std::string> columns);

class Database {
 public:
  virtual ~Database() = default;
  virtual Dialect dialect() const = 0;
  //! Runs one or more statements without parameters.
  virtual void execute(std::string_view sql) = 0;
  virtual std::unique_ptr<Statement> prepare(std::string_view sql) = 0;
  virtual void begin() = 0;
  virtual void commit() = 0;
  //! Never throws: it runs while another error is in flight, and that first error is the one
  //! to report (a rollback on a lost connection has nothing left to undo anyway).
  virtual void rollback() = 0;
  //! Whether a table, view or index called `name` exists, `name` written as SQL would name it:
  //! on PostgreSQL optionally schema-qualified and quoted, resolved as a query would; on SQLite
  //! (one schema) quotes are ignored.
  virtual bool has_relation(const std::string& name) = 0;
  //! A URL safe to print: credentials removed.
  virtual std::string display_name() const = 0;
  //! Many rows follow (an ingest) until bulk_load(false): a backend may trade bookkeeping for
  //! speed. SQLite moves WAL checkpoints to a background connection.
  virtual void bulk_load(bool /*on*/) {}
  //! Bulk row appends to `table` (already quoted/qualified) in `columns` (already quoted).
  virtual std::unique_ptr<BulkWriter> bulk_append(std::string table, std::vector<std::string> columns) {
    return make_insert_bulk_writer(*this, std::move(table), std::move(columns));
  }
};

//! Whether opening may create the database: commands that read a catalog never do, so a typo in
//! `--db` is an error instead of a new empty file.
enum class OpenMode { kCreate, kExisting };

//! Opens `sqlite:PATH` (or a bare path ending in .db/.sqlite) or `postgresql://…`.
//! Throws Error when the URL is malformed or the database cannot be opened (or, with
//! OpenMode::kExisting, does not exist).
std::unique_ptr<Database> open_database(const std::string& url, OpenMode mode = OpenMode::kCreate);

//! Runs `work` inside a transaction; rolls back and rethrows if it throws.
template <typename F>
void in_transaction(Database& db, F&& work) {
  db.begin();
  try {
    work();
  } catch (...) {
    db.rollback();
    throw;
  }
  db.commit();
}

}  // namespace dicometl::storage
