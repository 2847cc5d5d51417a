// The generic bulk path: one prepared INSERT, bound field by field and run per row. Inside a
// transaction this is SQLite's fastest way in; PostgreSQL overrides it with COPY.
#include "dicometl/storage/database.hpp"

namespace dicometl::storage {

namespace {

class InsertBulkWriter final : public BulkWriter {
 public:
  InsertBulkWriter(Database& db, const std::string& table, const std::vector<std::string>& cols)
      : columns_(static_cast<int>(cols.size())) {
    std::string sql = "INSERT INTO " + table + " (";
    for (std::size_t i = 0; i < cols.size(); ++i) sql += (i ? "," : "") + cols[i];
    stmt_ = db.prepare(sql + ") VALUES " + placeholders(1, cols.size()));
  }
  void null() override { stmt_->bind_null(next()); }
  void integer(std::int64_t v) override { stmt_->bind_int(next(), v); }
  void real(double v) override { stmt_->bind_double(next(), v); }
  void text(std::string_view v) override { stmt_->bind_text(next(), v); }
  void end_row() override {
    if (field_ != columns_) throw Error("bulk row has the wrong number of fields");
    stmt_->step();
    stmt_->reset();
    field_ = 0;
  }
  void flush() override {}

 private:
  int next() {
    if (field_ >= columns_) throw Error("bulk row has too many fields");
    return ++field_;
  }
  std::unique_ptr<Statement> stmt_;
  int columns_;
  int field_ = 0;
};

}  // namespace

std::string placeholders(std::size_t rows, std::size_t columns) {
  std::string row = "(";
  for (std::size_t c = 0; c < columns; ++c) row += c ? ",?" : "?";
  row += ")";
  std::string out;
  out.reserve(rows * (row.size() + 1));
  for (std::size_t r = 0; r < rows; ++r) out += (r ? "," : "") + row;
  return out;
}

std::unique_ptr<BulkWriter> make_insert_bulk_writer(Database& db, std::string table,
                                                    std::vector<std::string> columns) {
  return std::make_unique<InsertBulkWriter>(db, table, columns);
}

}  // namespace dicometl::storage
