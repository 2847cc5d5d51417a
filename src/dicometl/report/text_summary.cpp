// The few lines `dicometl report` prints on the terminal.
#include <fmt/core.h>

#include "dicometl/report/html_text.hpp"
#include "dicometl/report/report.hpp"

namespace dicometl::report {

std::string text_summary(const Figures& f) {
  const auto& t = f.totals;
  std::string out = fmt::format("dicometl report — {}\n", f.database);
  out += fmt::format("  patients {:>12}\n  studies {:>13}\n  series {:>14}\n  instances {:>11}\n",
                     thousands(t.patients), thousands(t.studies), thousands(t.series),
                     thousands(t.instances));
  out += fmt::format("  size {:>16}\n", human_bytes(t.bytes));
  if (t.studies)
    out += fmt::format("  instances/study  mean {:.1f}, median {}, max {}\n",
                       f.instances_per_study.mean, f.instances_per_study.median,
                       f.instances_per_study.max);
  if (!f.transfer_syntaxes.empty())
    out += fmt::format("  syntaxes {:>12} (most: {})\n", f.transfer_syntaxes.size(),
                       f.transfer_syntaxes.front().name.empty() ? f.transfer_syntaxes.front().uid
                                                                : f.transfer_syntaxes.front().name);
  out += fmt::format("  rejected files {:>6}\n", thousands(f.errors.total));
  if (f.conflicts && f.conflicts->total)
    out += fmt::format("  conflicts {:>11} (files contradicting the catalog)\n",
                       thousands(f.conflicts->total));
  if (f.omop)
    out += fmt::format("  OMOP: {} tables, {} persons referenced\n", f.omop->table_rows.size(),
                       thousands(f.omop->persons_referenced));
  if (f.dexa)
    out += fmt::format("  DXA: {} values, {} flagged\n", thousands(f.dexa->values),
                       thousands(f.dexa->flagged));
  return out;
}

}  // namespace dicometl::report
