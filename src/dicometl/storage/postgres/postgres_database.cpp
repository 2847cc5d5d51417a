// PostgreSQL backend: prepared statements cached per connection, text-format parameters, COPY
// for bulk appends. Results are fetched whole (callers page large reads with keyset queries).
#include "dicometl/storage/postgres/postgres_database.hpp"

#include <libpq-fe.h>

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <unordered_map>
#include <vector>

#include "dicometl/model/utf8.hpp"

namespace dicometl::storage {

namespace {

// Every dicometl writer takes this transaction-level advisory lock in begin(): the PostgreSQL
// counterpart of SQLite's BEGIN IMMEDIATE. Two dicometl runs then queue batch by batch instead of
// deadlocking on each other's uncommitted rows, and per-batch id allocation cannot race.
// Sessions of other applications never take it, so they are not affected.
constexpr const char* kWriterLock = "SELECT pg_advisory_xact_lock(7223019541027145001)";

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

// The server's primary message and SQLSTATE only: its DETAIL and CONTEXT quote the rejected row
// ("Failing row contains …", the COPY line), which can hold a patient's name or ID.
std::string error_text(const PGresult* r, PGconn* conn) {
  const char* primary = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  std::string msg = primary ? primary : r ? PQresultErrorMessage(r) : PQerrorMessage(conn);
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  return state ? msg + " [SQLSTATE " + state + "]" : msg;
}

class PgDatabase;

class PgStatement final : public Statement {
 public:
  PgStatement(PgDatabase& db, std::string name, int params)
      : db_(db), name_(std::move(name)), values_(static_cast<std::size_t>(params)) {}

  void bind_null(int i) override { slot(i).reset(); }
  void bind_int(int i, std::int64_t v) override { slot(i) = std::to_string(v); }
  void bind_double(int i, double v) override {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    slot(i) = buf;
  }
  void bind_text(int i, std::string_view v) override {
    // PostgreSQL refuses invalid UTF-8 text: bad bytes become U+FFFD.
    slot(i) = utf8_valid_prefix(v) == v.size() ? std::string(v) : to_valid_utf8(v);
  }
  bool step() override;
  void reset() override {
    result_.reset();
    row_ = -1;
    for (auto& v : values_) v.reset();
  }
  bool column_is_null(int i) const override { return PQgetisnull(result_.get(), row_, i) != 0; }
  std::int64_t column_int(int i) const override {
    const char* v = PQgetvalue(result_.get(), row_, i);
    if (v[0] == 't' && v[1] == 0) return 1;  // booleans come back as t/f in text format
    if (v[0] == 'f' && v[1] == 0) return 0;
    return std::strtoll(v, nullptr, 10);
  }
  double column_double(int i) const override {
    return std::strtod(PQgetvalue(result_.get(), row_, i), nullptr);
  }
  std::string column_text(int i) const override {
    return {PQgetvalue(result_.get(), row_, i),
            static_cast<std::size_t>(PQgetlength(result_.get(), row_, i))};
  }

 private:
  std::optional<std::string>& slot(int i) {
    if (i < 1 || i > static_cast<int>(values_.size()))
      throw Error("PostgreSQL: parameter index " + std::to_string(i) + " out of range");
    return values_[static_cast<std::size_t>(i - 1)];
  }
  PgDatabase& db_;
  std::string name_;
  std::vector<std::optional<std::string>> values_;
  Result result_;
  int row_ = -1;
};

class PgDatabase final : public Database {
 public:
  explicit PgDatabase(PGconn* conn) : conn_(conn) {}
  ~PgDatabase() override { PQfinish(conn_); }
  PgDatabase(const PgDatabase&) = delete;
  PgDatabase& operator=(const PgDatabase&) = delete;

  Dialect dialect() const override { return Dialect::kPostgres; }
  void execute(std::string_view sql) override {
    finish_copy();
    Result r(PQexec(conn_, std::string(sql).c_str()));
    check(r.get(), sql);
  }
  std::unique_ptr<Statement> prepare(std::string_view sql) override {
    int params = 0;
    std::string text = translate_placeholders(sql, &params);
    auto it = names_.find(text);
    if (it == names_.end()) {
      finish_copy();
      std::string name = "dicometl_" + std::to_string(names_.size() + 1);
      Result r(PQprepare(conn_, name.c_str(), text.c_str(), 0, nullptr));
      check(r.get(), sql);
      it = names_.emplace(std::move(text), std::move(name)).first;
    }
    return std::make_unique<PgStatement>(*this, it->second, params);
  }
  void begin() override {
    execute("BEGIN");
    execute(kWriterLock);
  }
  void commit() override { execute("COMMIT"); }
  void rollback() override {
    try {
      finish_copy();
    } catch (const Error&) {
      // the COPY's failure is what is being rolled back
    }
    // A lost connection has no transaction left to roll back (the server ended it): saying
    // "no connection to the server in: ROLLBACK" would hide the error that started it all.
    if (PQstatus(conn_) != CONNECTION_OK) return;
    try {
      if (PQtransactionStatus(conn_) != PQTRANS_IDLE) execute("ROLLBACK");
    } catch (const Error&) {
      // Never replace the error in flight (Database::rollback's promise).
    }
  }
  std::string display_name() const override {
    // Rebuilt from the live connection: never the string the user gave, which could hold secrets.
    const char* host = PQhost(conn_);
    std::string h = host ? host : "";
    if (!h.empty() && h.front() == '/') h = "[" + h + "]";  // a Unix socket directory
    return std::string("postgresql://") + PQuser(conn_) + "@" + h + ":" + PQport(conn_) + "/" +
           PQdb(conn_);
  }
  std::unique_ptr<BulkWriter> bulk_append(std::string table, std::vector<std::string> columns) override;
  bool has_relation(const std::string& name) override {
    auto q = prepare("SELECT to_regclass(?) IS NOT NULL");
    q->bind_text(1, name);
    return q->step() && q->column_int(0) != 0;
  }

  PGconn* conn() { return conn_; }
  // A COPY is sent without waiting for the server to finish it, so the server stores one chunk
  // while the caller builds the next; its result is read before the connection's next command
  // (a failure surfaces there, before any commit).
  void copy_sent(std::string sql) { copy_in_flight_ = std::move(sql); }
  void finish_copy() {
    if (copy_in_flight_.empty()) return;
    const std::string sql = std::move(copy_in_flight_);
    copy_in_flight_.clear();
    Result end(PQgetResult(conn_));
    while (PGresult* extra = PQgetResult(conn_)) PQclear(extra);
    check(end.get(), sql);
  }
  void check(const PGresult* r, std::string_view sql) {
    const auto st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_COPY_IN) return;
    std::string where(sql.substr(0, 200));
    throw Error("PostgreSQL: " + error_text(r, conn_) + " in: " + where);
  }

 private:
  PGconn* conn_;
  std::unordered_map<std::string, std::string> names_;  // translated SQL → prepared name
  std::string copy_in_flight_;  // the COPY sent and not yet confirmed, or empty
};

bool PgStatement::step() {
  if (!result_) {
    std::vector<const char*> ptrs(values_.size());
    std::vector<int> lengths(values_.size());
    for (std::size_t i = 0; i < values_.size(); ++i) {
      ptrs[i] = values_[i] ? values_[i]->c_str() : nullptr;
      lengths[i] = values_[i] ? static_cast<int>(values_[i]->size()) : 0;
    }
    db_.finish_copy();
    result_.reset(PQexecPrepared(db_.conn(), name_.c_str(), static_cast<int>(ptrs.size()),
                                 ptrs.data(), lengths.data(), nullptr, 0));
    db_.check(result_.get(), name_);
    row_ = -1;
  }
  ++row_;
  return row_ < PQntuples(result_.get());
}

// COPY … FROM STDIN in text format. Rows are buffered and sent as one COPY per flush, so other
// statements can run on the connection between flushes; the flush does not wait for the server
// (PgDatabase::finish_copy).
class PgCopyWriter final : public BulkWriter {
 public:
  PgCopyWriter(PgDatabase& db, const std::string& table, const std::vector<std::string>& cols)
      : db_(db) {
    sql_ = "COPY " + table + " (";
    for (std::size_t i = 0; i < cols.size(); ++i) sql_ += (i ? "," : "") + cols[i];
    sql_ += ") FROM STDIN";
    columns_ = cols.size();
  }
  ~PgCopyWriter() override = default;  // unflushed rows are dropped: flush() is part of commit
  void null() override { sep(); buf_ += "\\N"; }
  void integer(std::int64_t v) override { sep(); buf_ += std::to_string(v); }
  void real(double v) override {
    sep();
    char b[32];
    std::snprintf(b, sizeof b, "%.17g", v);
    buf_ += b;
  }
  void text(std::string_view v) override { sep(); append_copy_text(v, buf_); }
  void end_row() override {
    if (field_ != columns_) throw Error("bulk row has the wrong number of fields");
    buf_ += '\n';
    field_ = 0;
    ++rows_;
    // Small enough to overlap: the server stores one chunk while the next one is built.
    if (buf_.size() > (1u << 20)) flush();
  }
  void flush() override {
    if (rows_ == 0) return;
    PGconn* c = db_.conn();
    db_.finish_copy();
    Result start(PQexec(c, sql_.c_str()));
    db_.check(start.get(), sql_);
    if (PQputCopyData(c, buf_.data(), static_cast<int>(buf_.size())) != 1 || PQputCopyEnd(c, nullptr) != 1)
      throw Error("PostgreSQL COPY: " + std::string(PQerrorMessage(c)));
    db_.copy_sent(sql_);
    buf_.clear();
    rows_ = 0;
  }

 private:
  void sep() {
    if (field_++) buf_ += '\t';
    if (field_ > columns_) throw Error("bulk row has too many fields");
  }
  PgDatabase& db_;
  std::string sql_, buf_;
  std::size_t columns_ = 0, field_ = 0, rows_ = 0;
};

std::unique_ptr<BulkWriter> PgDatabase::bulk_append(std::string table, std::vector<std::string> columns) {
  return std::make_unique<PgCopyWriter>(*this, table, columns);
}

void notice_sink(void*, const char*) {}  // NOTICEs ("relation exists, skipping") are not news

}  // namespace

std::unique_ptr<Database> open_postgres(const std::string& conninfo) {
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(conninfo.c_str(), &err);
  if (!opts) {
    std::string msg = err ? err : "malformed connection string";
    PQfreemem(err);
    throw Error("PostgreSQL connection string: " + msg);
  }
  bool has_password = false;
  for (auto* o = opts; o->keyword; ++o)
    if (std::string_view(o->keyword) == "password" && o->val && *o->val) has_password = true;
  PQconninfoFree(opts);
  if (has_password)
    throw Error("a password in the database URL is refused (it would show in process lists and "
                "logs); use PGPASSWORD, ~/.pgpass or a service file");

  const char* keys[] = {"dbname", "client_encoding", "application_name", nullptr};
  const char* vals[] = {conninfo.c_str(), "UTF8", "dicometl", nullptr};
  PGconn* conn = PQconnectdbParams(keys, vals, 1);
  if (!conn || PQstatus(conn) != CONNECTION_OK) {
    std::string msg = conn ? PQerrorMessage(conn) : "out of memory";
    while (!msg.empty() && msg.back() == '\n') msg.pop_back();
    PQfinish(conn);
    throw Error("cannot connect to PostgreSQL: " + msg);
  }
  PQsetNoticeProcessor(conn, notice_sink, nullptr);
  auto db = std::make_unique<PgDatabase>(conn);
  db->execute("SET client_min_messages = warning");
  return db;
}

}  // namespace dicometl::storage
