#include "dicometl/dexa/db_output.hpp"

#include <string>

#include "dicometl/catalog/embedded_sql.hpp"

namespace dicometl::dexa {

std::size_t write_dexa_values(storage::Database& db, const std::vector<Page>& pages) {
  // PostgreSQL checks CREATE privilege even for IF NOT EXISTS: an account that may only insert
  // into an existing dexa_value must not be asked to create it.
  if (!db.has_relation("dexa_value"))
    db.execute(embedded_sql(db.dialect() == storage::Dialect::kPostgres ? "postgres/dexa.sql"
                                                                         : "sqlite/dexa.sql"));
  std::size_t rows = 0;
  storage::in_transaction(db, [&] {
    auto del = db.prepare("DELETE FROM dexa_value WHERE sop_instance_uid = ?");
    auto ins = db.prepare(
        "INSERT INTO dexa_value (patient_id, exam_date, site, region, measure, value_as_number, "
        "value_text, unit, qc_status, qc_reason, ocr_confidence, layout, duplicate, source_path, "
        "sop_instance_uid, series_instance_uid, page_scan_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?, ?, ?, ?, ?, ?, ?, ?)");
    for (const auto& p : pages) {
      del->reset();
      del->bind_text(1, p.sop_instance_uid);
      while (del->step()) {
      }
      for (const auto& v : p.values) {
        ins->reset();
        ins->bind_opt_text(1, p.patient_id);
        ins->bind_opt_text(2, p.exam_date);
        ins->bind_text(3, p.site);
        ins->bind_text(4, v.region);
        ins->bind_text(5, v.metric);
        ins->bind_opt_double(6, v.number);
        ins->bind_opt_text(7, v.text);
        ins->bind_opt_text(8, v.unit);
        ins->bind_text(9, v.qc_status);
        ins->bind_opt_text(10, v.qc_reason);
        ins->bind_double(11, v.conf);
        ins->bind_opt_text(12, p.layout);
        ins->bind_opt_text(13, p.duplicate);
        ins->bind_opt_text(14, p.source_path);
        ins->bind_opt_text(15, p.sop_instance_uid);
        ins->bind_opt_text(16, p.series_instance_uid);
        ins->bind_opt_text(17, p.page_scan_date);
        while (ins->step()) {
        }
        ++rows;
      }
    }
  });
  return rows;
}

}  // namespace dicometl::dexa
