#include "dicometl/omop/site_columns.hpp"

#include <cstdio>

namespace dicometl::omop {

namespace {

std::string lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

// SQLite's declared type, e.g. "varchar(255)" or "TEXT".
SiteColumn from_declared(const std::string& declared) {
  const std::string t = lower(declared);
  SiteColumn c;
  c.text = t.find("char") != std::string::npos || t.find("text") != std::string::npos ||
           t.find("clob") != std::string::npos;
  if (const auto open = t.find('('); c.text && open != std::string::npos) {
    std::size_t n = 0;
    if (std::sscanf(t.c_str() + open + 1, "%zu", &n) == 1 && n > 0) c.max_chars = n;
  }
  return c;
}

class FittedWriter final : public storage::BulkWriter {
 public:
  FittedWriter(std::unique_ptr<storage::BulkWriter> inner, std::vector<Fit> fits)
      : inner_(std::move(inner)), fits_(std::move(fits)) {}
  void null() override {
    if (fits_[next()] != Fit::kDrop) inner_->null();
  }
  void integer(std::int64_t v) override {
    switch (fits_[next()]) {
      case Fit::kDrop: return;
      case Fit::kAsIs: return inner_->integer(v);
      case Fit::kIntAsText: return inner_->text(std::to_string(v));
      case Fit::kIntAsHex: {
        char hex[17];
        std::snprintf(hex, sizeof hex, "%04llX", static_cast<unsigned long long>(v));
        return inner_->text(hex);
      }
    }
  }
  void real(double v) override {
    if (fits_[next()] != Fit::kDrop) inner_->real(v);
  }
  void text(std::string_view v) override {
    if (fits_[next()] != Fit::kDrop) inner_->text(v);
  }
  void end_row() override {
    field_ = 0;
    inner_->end_row();
  }
  void flush() override { inner_->flush(); }

 private:
  std::size_t next() { return field_++; }
  std::unique_ptr<storage::BulkWriter> inner_;
  std::vector<Fit> fits_;
  std::size_t field_ = 0;
};

}  // namespace

std::unordered_map<std::string, SiteColumn> site_columns(storage::Database& db,
                                                         const std::string& schema,
                                                         const std::string& table) {
  std::unordered_map<std::string, SiteColumn> out;
  if (db.dialect() == storage::Dialect::kPostgres) {
    auto q = db.prepare(
        "SELECT column_name, data_type, character_maximum_length FROM "
        "information_schema.columns WHERE table_schema = ? AND table_name = ?");
    q->bind_text(1, schema);
    q->bind_text(2, table);
    while (q->step()) {
      SiteColumn c;
      const std::string type = q->column_text(1);
      c.text = type == "character varying" || type == "text" || type == "character";
      if (!q->column_is_null(2)) c.max_chars = static_cast<std::size_t>(q->column_int(2));
      out[lower(q->column_text(0))] = c;
    }
  } else {
    auto q = db.prepare("SELECT name, type FROM pragma_table_info(?)");
    q->bind_text(1, table);
    while (q->step()) out[lower(q->column_text(0))] = from_declared(q->column_text(1));
  }
  return out;
}

std::unique_ptr<storage::BulkWriter> fitted_writer(std::unique_ptr<storage::BulkWriter> inner,
                                                   std::vector<Fit> fits) {
  return std::make_unique<FittedWriter>(std::move(inner), std::move(fits));
}

}  // namespace dicometl::omop
